#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check the guest's "die" scenario (tests/vm/guest/die.sh): pings that
end in an ICMP error, on the routed bench a -- r -- c.

Each case is compared seq by seq with what iputils ping printed: the
same error, from the same address, in the same words, and the summary's
errors equal to ping's "+N errors".  Prints TAP.
"""
import json
import re
import sys

from checklib import (PING_TOTALS_RE, check, finish, info, pingtrace_jsonl,
                      read_env, read_result, result_rc)

out = '.'

RT_A, RT_RA = '198.51.100.1', '198.51.100.254'
RT_C, NOHOST_C, NOHOST_A = '203.0.113.2', '203.0.113.99', '198.51.100.99'

PING_ERROR_RE = re.compile(r'^From (\S+) icmp_seq=(\d+) (.+?)\s*$')


def read(name, default=None):
    return read_result(out, name, default)


def rc(name):
    return result_rc(out, name)


def ping_errors(name):
    """({seq: (from, text)}, transmitted, received, errors) of NAME.ping"""
    errors, tx, rx, nerr = {}, None, None, None
    for line in (read('%s.ping' % name) or '').splitlines():
        m = PING_ERROR_RE.match(line)
        if m:
            errors[int(m.group(2))] = (m.group(1), m.group(3))
        m = PING_TOTALS_RE.search(line)
        if m:
            tx, rx = int(m.group(1)), int(m.group(2))
            nerr = int(m.group(3) or 0)
    return errors, tx, rx, nerr


def jsonl(name):
    """(echoes, summaries, bad lines) of NAME.json"""
    by_type, bad = pingtrace_jsonl(read('%s.json' % name))
    return by_type.get('echo', []), by_type.get('summary', []), bad


def pings_words(error):
    """What ping prints for an error object of pingtrace's JSON"""
    if 'mtu' in error:
        return '%s (mtu = %d)' % (error['text'], error['mtu'])
    return error['text']


def check_json_case(name, target, sender, text, n):
    """ping saw n errors TEXT from SENDER; pingtrace the same, seq by seq"""
    perr, tx, rx, nerr = ping_errors(name)
    check(tx == n and rx == 0 and nerr == n and len(perr) == n and
          all(v == (sender, text) for v in perr.values()),
          '%s: ping sent %d, got +%d errors "%s" from %s' %
          (name, n, n, text, sender), read('%s.ping' % name))
    echoes, summaries, bad = jsonl(name)
    check(rc(name) == 0 and not bad, '%s: exit 0, valid JSON Lines' % name,
          read('%s.err' % name))
    got = {e['seq']: (e.get('error') or {}).get('from') and
           (e['error']['from'], pings_words(e['error']))
           for e in echoes if e['status'] == 'error'}
    check(got == perr and len(echoes) == n,
          '%s: an "error" echo per seq, the error ping printed' % name,
          'pingtrace %s\nping %s' % (got, perr))
    check(all(e['dst'] == target and e['send_ns'] is not None and
              'unattached' not in e['error'] and
              e['error']['ns'] >= e['send_ns'] for e in echoes
              if e['status'] == 'error'),
          '%s: each error attached to its request to %s, after it' %
          (name, target), '\n'.join(json.dumps(e) for e in echoes))
    s = summaries[-1] if summaries else {}
    check(len(summaries) == 1 and s.get('sent') == tx and
          s.get('received') == rx and s.get('errors') == nerr and
          s.get('lost') == 0,
          '%s: summary %d sent, %d errors as ping, none lost twice' %
          (name, n, n), json.dumps(s))
    for e in echoes:
        if e['status'] == 'error':
            info('%s seq %d: %s from %s after %.3f ms' %
                 (name, e['seq'], e['error']['text'], e['error']['from'],
                  (e['error']['ns'] - e['send_ns']) / 1e6))


def check_text_case(name, sender, text, n):
    perr, tx, _, nerr = ping_errors(name)
    txt = read('%s.txt' % name) or ''
    lines = [l for l in txt.splitlines() if ' From ' in l]
    want = ['From %s icmp_seq=%d %s after=' % (sender, seq, text)
            for seq in sorted(perr)]
    check(rc(name) == 0 and len(perr) == n and len(lines) == n and
          all(w in l for w, l in zip(want, lines)),
          '%s: text says what ping said, seq by seq, with the time' % name,
          txt)
    check(re.search(r'^%d requests, 0 replies, \+%d errors, 100%% loss' %
                    (tx or -1, nerr or -1), txt, re.M),
          '%s: summary "+%d errors" and ping\'s loss' % (name, n), txt)


def check_drops(name, env, ns, n):
    """Each request of NAME was dropped in netns NS (a name of
    routed.env) by the neighbour layer: skb:kfree_skb joined to it, the
    location a kernel symbol, the reason a name of the event's table."""
    echoes, summaries, _ = jsonl(name)
    drops = [e.get('drop') for e in echoes]
    check(len(echoes) == n and all(drops),
          '%s: every request has its kernel drop' % name,
          '\n'.join(json.dumps(e) for e in echoes))
    drops = [d for d in drops if d]
    check(drops and all(d['netns'] == env.get('netns_' + ns) for d in drops),
          '%s: dropped in netns %s (%s)' % (name, ns, env.get('netns_' + ns)),
          '\n'.join(json.dumps(d) for d in drops))
    check(drops and all(re.fullmatch(r'[A-Za-z_][\w.]*(\+0x[0-9a-f]+)?',
                                     d['location']) and d['reason'] and
                        not d['reason'].isdigit() for d in drops),
          '%s: location a kernel symbol, reason a name' % name,
          '\n'.join(json.dumps(d) for d in drops))
    s = summaries[-1] if summaries else {}
    check(s.get('drops') == n, '%s: summary drops %d' % (name, n),
          json.dumps(s))
    for d in drops:
        info('%s: dropped in netns %s dev %s at %s, reason %s' %
             (name, ns, d['dev'], d['location'], d['reason']))


PING_REPLY_RE = re.compile(r'^\d+ bytes from (\S+): icmp_seq=(\d+) ')


def ping_replies(name):
    """(answered seqs, transmitted, received) of NAME.ping"""
    seqs, tx, rx = set(), None, None
    for line in (read('%s.ping' % name) or '').splitlines():
        m = PING_REPLY_RE.match(line)
        if m:
            seqs.add(int(m.group(2)))
        m = PING_TOTALS_RE.search(line)
        if m:
            tx, rx = int(m.group(1)), int(m.group(2))
    return seqs, tx, rx


def hops(e, env):
    """an echo's path as (DIR, netns name, dev, what)"""
    names = {v: k[len('netns_'):] for k, v in env.items()
             if k.startswith('netns_')}
    return [(h['dir'], names.get(h['netns'], str(h['netns'])), h['dev'],
             h['what']) for h in e.get('path', [])]


ROUTED_PATH = [('SND', 'a', 'ar', 'request'), ('RCV', 'r', 'ra', 'request'),
               ('SND', 'r', 'rc', 'request'), ('RCV', 'c', 'vc', 'request'),
               ('SND', 'c', 'vc', 'reply'), ('RCV', 'r', 'rc', 'reply'),
               ('SND', 'r', 'ra', 'reply'), ('RCV', 'a', 'ar', 'reply')]


def check_routed(env):
    """Every hop of an echo through r, in order, adding up to its rtt"""
    name = 'routed'
    seqs, tx, rx = ping_replies(name)
    echoes, summaries, bad = jsonl(name)
    check(rc(name) == 0 and not bad and tx == 3 and rx == 3,
          '%s: ping got its 3 replies, pingtrace exit 0' % name,
          read('%s.ping' % name))
    ok = [e for e in echoes if e['status'] == 'ok']
    check(sorted(e['seq'] for e in ok) == sorted(seqs) and
          len(echoes) == 3, '%s: pingtrace answered the seqs ping did (%s)'
          % (name, sorted(seqs)))
    check(ok and all(hops(e, env) == ROUTED_PATH for e in ok),
          '%s: each echo passed a, r, c and back, in order' % name,
          '\n'.join(str(hops(e, env)) for e in echoes))
    check(ok and all(e['path'][-1]['ns'] - e['path'][0]['ns'] ==
                     e['rtt_ns'] and
                     all(a['ns'] <= b['ns'] for a, b in
                         zip(e['path'], e['path'][1:])) for e in ok),
          '%s: the hops are in time order and add up to the rtt' % name)
    check(ok and all(e.get('target_netns') == env.get('netns_c') and
                     e.get('target_recv_ns') == e['path'][3]['ns'] and
                     e.get('target_send_ns') == e['path'][4]['ns']
                     for e in ok),
          '%s: the target is c, not the router' % name,
          '\n'.join(json.dumps(e) for e in ok))
    s = summaries[-1] if summaries else {}
    check(s.get('received') == rx and s.get('lost') == 0,
          '%s: loss equal to ping\'s' % name, json.dumps(s))
    txt = read('routed-text.txt') or ''
    paths = re.findall(r'^  path: (.*)$', txt, re.M)
    check(rc('routed-text') == 0 and len(paths) == 3 and
          all(p.count(' > ') == 7 and p.startswith('SND ar > RCV ra')
              for p in paths),
          'routed-text: a path line of 8 points per echo', txt)


def check_ttl_path(env):
    """The router that answered with an error is not the target"""
    echoes, _, _ = jsonl('ttl')
    check(echoes and all('target_recv_ns' not in e and
                         hops(e, env)[:2] == ROUTED_PATH[:2] and
                         [h[1:] for h in hops(e, env)[2:]] ==
                         [('r', 'ra', 'error'), ('a', 'ar', 'error')]
                         for e in echoes),
          'ttl: no target points; the path ends in r, its error back to a',
          '\n'.join(str(hops(e, env)) for e in echoes))


def check_lost_in_c(name, env, want_reason):
    """Each request reached c and no reply left it; with WANT_REASON the
    kernel's drop in c, with that reason, ends it"""
    seqs, tx, rx = ping_replies(name)
    echoes, summaries, bad = jsonl(name)
    check(rc(name) == 0 and not bad and tx == 3 and rx == 0,
          '%s: ping sent 3, got nothing back' % name, read('%s.ping' % name))
    check(len(echoes) == 3 and all(e['status'] == 'lost' for e in echoes),
          '%s: 3 echoes lost' % name, '\n'.join(json.dumps(e) for e in echoes))
    check(echoes and all(hops(e, env) == ROUTED_PATH[:4] and
                         e.get('target_netns') == env.get('netns_c')
                         for e in echoes),
          '%s: each request arrived in c, the target, and went no further'
          % name, '\n'.join(str(hops(e, env)) for e in echoes))
    drops = [e.get('drop') for e in echoes]
    if want_reason:
        check(all(d and d['netns'] == env.get('netns_c') and
                  want_reason in d['reason'] for d in drops),
              '%s: dropped in c, reason %s' % (name, want_reason),
              '\n'.join(json.dumps(d) for d in drops))
    for d in drops:
        info('%s: %s' % (name, 'dropped at %s (%s)' % (d['location'],
                                                       d['reason'])
                         if d else 'no kernel drop reported'))
    s = summaries[-1] if summaries else {}
    check(s.get('lost') == tx - rx, '%s: loss equal to ping\'s' % name,
          json.dumps(s))


def check_linkdown(env):
    """c's link down mid-run: what ping got back, pingtrace did, the same
    errors for the same seqs; each unanswered request's path shows it
    reached r, and where it ended"""
    name = 'linkdown'
    seqs, tx, rx = ping_replies(name)
    perr, _, _, nerr = ping_errors(name)
    echoes, summaries, bad = jsonl(name)
    check(rc(name) == 0 and not bad and tx == 10 and 0 < rx < 10,
          '%s: ping sent 10, some answered before the link went down (%s)'
          % (name, rx), read('%s.ping' % name))
    ok = sorted(e['seq'] for e in echoes if e['status'] == 'ok')
    got_err = {e['seq']: (e['error']['from'], e['error']['text'])
               for e in echoes if e['status'] == 'error'}
    unanswered = [e for e in echoes if e['status'] != 'ok']
    check(ok == sorted(seqs) and got_err == perr and
          len(echoes) == tx,
          '%s: the seqs ping got answered and the errors it printed, seq '
          'by seq' % name, 'pingtrace ok %s errors %s\nping %s %s'
          % (ok, got_err, sorted(seqs), perr))
    check(unanswered and all(hops(e, env)[:3] == ROUTED_PATH[:3]
                             for e in unanswered),
          '%s: each unanswered request reached r and was sent on' % name,
          '\n'.join(str(hops(e, env)) for e in unanswered))
    for e in unanswered:
        d = e.get('drop')
        last = hops(e, env)[-1]
        info('%s: seq %d %s, last seen %s in %s on %s%s' % (
            name, e['seq'], e['status'], last[0], last[1], last[2],
            ', dropped at %s (%s)' % (d['location'], d['reason'])
            if d else ''))
    s = summaries[-1] if summaries else {}
    check(s.get('received') == rx and s.get('errors') == nerr and
          s.get('lost') == tx - rx - nerr,
          '%s: replies, errors and loss as ping counts them' % name,
          json.dumps(s))


def main():
    global out
    out = sys.argv[1]
    check('die: done' in (read('guest.log') or ''),
          'the die scenario ran to its end', read('guest.log'))
    check_json_case('ttl', RT_C, RT_RA, 'Time to live exceeded', 3)
    check_text_case('ttl-text', RT_RA, 'Time to live exceeded', 3)
    check_json_case('ttl-rec', RT_C, RT_RA, 'Time to live exceeded', 3)
    check_json_case('nohost-r', NOHOST_C, RT_RA,
                    'Destination Host Unreachable', 3)
    check_json_case('nohost-a', NOHOST_A, RT_A,
                    'Destination Host Unreachable', 3)
    env = read_env('%s/routed.env' % out)
    check_drops('nohost-r', env, 'r', 3)
    check_drops('nohost-a', env, 'a', 3)
    check_ttl_path(env)
    check_routed(env)
    check_lost_in_c('rpfilter', env, 'RPFILTER')
    check_lost_in_c('ignore', env, None)
    check_json_case('fragneeded', RT_C, RT_RA,
                    'Frag needed and DF set (mtu = 1280)', 1)
    check_text_case('fragneeded-text', RT_RA,
                    'Frag needed and DF set (mtu = 1280)', 1)
    check_linkdown(env)
    for h, host, sender in (('r', NOHOST_C, RT_RA), ('a', NOHOST_A, RT_A)):
        name = 'nohost-%s-rec' % h
        check_json_case(name, host, sender, 'Destination Host Unreachable', 3)
        check_drops(name, env, h, 3)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
