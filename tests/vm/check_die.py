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
           (e['error']['from'], e['error']['text'])
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
    for h, host, sender in (('r', NOHOST_C, RT_RA), ('a', NOHOST_A, RT_A)):
        name = 'nohost-%s-rec' % h
        check_json_case(name, host, sender, 'Destination Host Unreachable', 3)
        check_drops(name, env, h, 3)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
