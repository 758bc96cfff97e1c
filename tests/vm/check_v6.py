#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of the guest scenario "v6" (tests/vm/guest/v6.sh):
pingtrace for ping -6, each case compared seq by seq with what iputils
ping printed.  Nothing expected here is a constant of the run: replies,
errors and their words, mtu, sizes and namespaces all come from ping's
output or the guest's bench.env.

usage: check_v6.py OUTDIR"""
import csv
import io
import os
import re
import sys

from checklib import (check, finish, info, ping_text, pingtrace_jsonl,
                      read_env, read_result, result_rc)

A6, B6, C6 = '2001:db8::1', '2001:db8::2', '2001:db8:c::2'
B4 = '198.51.100.2'
ND_MLD = ('neighbour-solicit', 'neighbour-advert', 'router-solicit',
          'router-advert', 'redirect', 'mld-query', 'mld-report',
          'mld-done', 'mldv2-report')

FROM_RE = re.compile(r'^From (\S+)(?: \((\S+)\))? icmp_seq=(\d+) (.+)$')
DATA_RE = re.compile(r'^PING \S+ ?\(\S+\) (\d+) data bytes')
ERRORS_RE = re.compile(r'\+(\d+) errors')

OUT = None


def read(name):
    return read_result(OUT, name)


def ping_of(name):
    """ping's output: ({seq: rtt bound}, {seq: (from, text)}, tx, rx,
    errors, data bytes)"""
    text = read('%s.ping' % name) or ''
    times, tx, rx = ping_text(text)
    errors, data = {}, None
    for line in text.splitlines():
        m = FROM_RE.match(line.strip())
        if m:
            errors[int(m.group(3))] = (m.group(2) or m.group(1),
                                       m.group(4).strip())
        m = DATA_RE.match(line)
        if m:
            data = int(m.group(1))
    m = ERRORS_RE.search(text)
    return times, errors, tx, rx, int(m.group(1)) if m else 0, data


def jsonl(name, ext='json'):
    by_type, bad = pingtrace_jsonl(read('%s.%s' % (name, ext)))
    check(not bad, '%s: every line is JSON' % name, '\n'.join(bad[:3]))
    return by_type


def ran(name):
    return check(result_rc(OUT, name) == 0, '%s: pingtrace exit status 0'
                 % name, read('%s.err' % name))


def compare(name, echoes, ping, dst=None):
    """pingtrace's echoes of one ping, seq by seq against ping's output"""
    times, errors, tx, rx, nerr, _ = ping
    mine = {e['seq']: e for e in echoes if dst is None or e['dst'] == dst}
    ok = tx is not None and tx > 0
    detail = []
    for seq in range(1, (tx or 0) + 1):
        e = mine.get(seq)
        if seq in times:
            want = 'ok'
        elif seq in errors:
            want = 'error'
        else:
            want = 'lost'
        got = e['status'] if e else None
        if got != want:
            ok = False
            detail.append('seq %d: ping %s, pingtrace %s' % (seq, want, got))
            continue
        if want == 'ok' and not (e['rtt_ns'] is not None and
                                 0 < e['rtt_ns'] <= times[seq]):
            ok = False
            detail.append('seq %d: kernel rtt %s ns, ping %d ns'
                          % (seq, e['rtt_ns'], times[seq]))
        if want == 'error':
            err = e.get('error') or {}
            if (err.get('from'), err.get('text')) != errors[seq]:
                ok = False
                detail.append('seq %d: ping From %s %s, pingtrace %s %s'
                              % ((seq,) + errors[seq] +
                                 (err.get('from'), err.get('text'))))
    check(ok, '%s: each of ping\'s %s seqs as ping saw it' % (name, tx),
          '\n'.join(detail))
    return mine


def summary_matches(name, by_type, ping):
    _, _, tx, rx, nerr, _ = ping
    s = (by_type.get('summary') or [{}])[-1]
    check((s.get('sent'), s.get('received'), s.get('errors', 0)) ==
          (tx, rx, nerr), '%s: summary %s sent, %s received, +%s errors '
          'as ping\'s' % (name, tx, rx, nerr),
          'pingtrace: %s' % s)


def check_echo(env):
    """Answered echoes a -> b: four points, b the target, no ND shown"""
    name = 'echo'
    ran(name)
    ping = ping_of(name)
    by_type = jsonl(name)
    mine = compare(name, by_type.get('echo', []), ping)
    summary_matches(name, by_type, ping)
    four = [e for e in mine.values() if e.get('target_netns') ==
            env.get('netns_b') and e['send_ns'] < e['target_recv_ns'] <
            e['target_send_ns'] < e['recv_ns']]
    check(mine and len(four) == len(mine), '%s: four points in order, '
          'the target in netns b' % name, str(list(mine.values())[:1]))
    ev = by_type.get('event', [])
    kinds = {e['kind'] for e in ev}
    check(not kinds & set(ND_MLD), '%s: no neighbour discovery or MLD '
          'event without --all' % name, str(kinds))
    want = {('SND', A6, B6, env.get('netns_a')),
            ('RCV', A6, B6, env.get('netns_b')),
            ('SND', B6, A6, env.get('netns_b')),
            ('RCV', B6, A6, env.get('netns_a'))}
    ok = True
    for seq in ping[0]:
        got = {(e['dir'], e['src'], e['dst'], e['netns']) for e in ev
               if e.get('seq') == seq and e['kind'].startswith('echo')}
        ok = ok and got == want
    check(ok and ping[0], '%s: each answered seq has its SND and RCV in '
          'a and b' % name)


def check_text(name, all_):
    ran(name)
    text = read('%s.txt' % name) or ''
    times, _, tx, rx, _, _ = ping_of(name)
    nd = [line for line in text.splitlines()
          if any(' %s ' % k in line for k in ND_MLD)]
    if all_:
        check(nd, '%s: --all shows neighbour discovery' % name, text)
    else:
        check(not nd, '%s: no neighbour discovery line' % name, nd[:3])
    m = re.search(r'(\d+) requests, (\d+) replies', text)
    check(m and (int(m.group(1)), int(m.group(2))) == (tx, rx),
          '%s: %s requests, %s replies as ping (ND never counted)'
          % (name, tx, rx), m.group(0) if m else text[-400:])
    rtts = re.findall(r'echo-reply .* rtt=[\d.]+ ms \(out=', text)
    check(len(rtts) == len(times), '%s: an rtt with its breakdown on each '
          'of %d replies' % (name, len(times)), text[-600:])


def check_simple(name, env, dst=None, extra=None):
    ran(name)
    ping = ping_of(name)
    by_type = jsonl(name)
    mine = compare(name, by_type.get('echo', []), ping, dst)
    summary_matches(name, by_type, ping)
    if extra:
        extra(name, mine, by_type, ping, env)


def noreply(name, mine, by_type, ping, env):
    arrived = [e for e in mine.values()
               if e.get('target_netns') == env.get('netns_b') and
               e.get('target_recv_ns') and not e.get('target_send_ns')]
    check(mine and len(arrived) == len(mine), '%s: each request arrived '
          'in b, no reply left' % name)


def loopback(name, mine, by_type, ping, env):
    check(mine and all(e['src'] == e['dst'] == '::1'
                       for e in mine.values()),
          '%s: echoes of ::1 to ::1' % name)


def frag(name, mine, by_type, ping, env):
    data = ping[5]
    ev = by_type.get('event', [])
    snd = [e for e in ev if e['dir'] == 'SND' and e['src'] == A6 and
           e.get('kind') == 'echo-request']
    check(snd and data and all(e['len'] == data + 48 for e in snd),
          '%s: the request leaves whole, %s bytes of data + 48' %
          (name, data), str(snd[:1]))
    ok = bool(ping[0])
    for seq in ping[0]:
        first = [e for e in ev if e['dir'] == 'RCV' and
                 e['netns'] == env.get('netns_b') and e.get('seq') == seq]
        ids = {e['ip_id'] for e in first}
        rest = [e for e in ev if e['dir'] == 'RCV' and
                e['netns'] == env.get('netns_b') and
                e['kind'] == 'fragment' and e['ip_id'] in ids]
        ok = ok and len(first) == 1 and len(rest) >= 1 and \
            sum(e['len'] - 48 for e in first + rest) >= data + 8
    check(ok, '%s: each request arrives in b as a first fragment with its '
          'seq and the rest under its fragment id' % name)


def toobig(name, mine, by_type, ping, env):
    errs = ping[1]
    ok = bool(errs)
    for seq, (_, text) in errs.items():
        m = re.search(r'mtu=(\d+)', text)
        e = mine.get(seq) or {}
        ok = ok and m and (e.get('error') or {}).get('mtu') == \
            int(m.group(1)) and e['error']['type'] == 2
    check(ok, '%s: packet too big with ping\'s mtu (%s)' %
          (name, sorted(errs.items())))


def nohost(name, mine, by_type, ping, env):
    drops = [e['drop'] for e in mine.values() if e.get('drop')]
    check(mine and len(drops) == len(mine) and
          all(d['netns'] == env.get('netns_b') and d['location']
              for d in drops),
          '%s: each request dropped in b (skb:kfree_skb, IPv6), with its '
          'location' % name, str(drops[:2]))


def check_two(env):
    name = 'two'
    ran(name)
    by_type = jsonl(name)
    echoes = by_type.get('echo', [])
    for sub, ident, dst in (('two-b', 4601, B6), ('two-c', 4602, C6)):
        mine = [e for e in echoes if e['id'] == ident]
        check(mine and all(e['dst'] == dst for e in mine),
              '%s: echoes of id %d are to %s' % (sub, ident, dst))
        compare(sub, mine, ping_of(sub))
    tx = sum(ping_of(s)[2] or 0 for s in ('two-b', 'two-c'))
    s = (by_type.get('summary') or [{}])[-1]
    check(s.get('sent') == tx, '%s: %d requests of both pingers' %
          (name, tx), str(s))


def check_orphan(env):
    name = 'orphan'
    check_simple(name, env)
    err = read('%s.err' % name) or ''
    check('cannot remove' not in err, '%s: the instance is removed while '
          'the command\'s leftover process runs' % name, err)


def check_mixed(env):
    name = 'mixed'
    ran(name)
    by_type = jsonl(name)
    echoes = by_type.get('echo', [])
    compare('mixed4', echoes, ping_of('mixed4'), B4)
    compare('mixed', echoes, ping_of('mixed'), B6)


def check_record(env):
    name = 'rec'
    check(result_rc(OUT, name) == 0, 'rec: pingtrace record -t NAME '
          'exit status 0', read('rec.err'))
    ping = ping_of(name)
    check(result_rc(OUT, 'rec-json') == 0, 'rec: report -F json exit 0',
          read('rec-json.err'))
    by_type = jsonl(name)
    compare('rec (report -t NAME)', by_type.get('echo', []), ping)
    summary_matches(name, by_type, ping)
    text = read('rec.txt') or ''
    m = re.search(r'(\d+) requests, (\d+) replies', text)
    check(m and (int(m.group(1)), int(m.group(2))) == ping[2:4],
          'rec: record\'s own report counts as ping', text[-300:])
    check(result_rc(OUT, 'rec-csv') == 0, 'rec: report -F csv exit 0',
          read('rec-csv.err'))
    rows = list(csv.DictReader(io.StringIO(read('rec.csv') or '')))
    ok_rows = {int(r['seq']) for r in rows if r.get('type') == 'echo' and
               r.get('src') == A6 and r.get('dst') == B6 and
               r.get('status') == 'ok'}
    check(ok_rows == set(ping[0]), 'rec: CSV echo rows ok for ping\'s '
          'replies %s' % sorted(ping[0]), str(rows[:2]))


def check_stages():
    from stagecheck import check_stage_echoes, check_task_filter
    check(result_rc(OUT, 'stages-rec') == 0 and result_rc(OUT, 'stages') == 0,
          'stages: record --stages and report --stages exit 0',
          (read('stages-rec.err') or '') + (read('stages.err') or ''))
    check_stage_echoes('stages (IPv6)', read('stages.json'),
                       read('stages.ping'), 'veth')
    check_task_filter('stages (IPv6)', os.path.join(OUT, 'stages.dat'))


def check_tracing_left():
    before, after = read('tracing.before'), read('tracing.after')
    check(before is not None and before == after, 'tracefs after every '
          'case as it was before the first', 'before:\n%s\nafter:\n%s'
          % (before, after))


def check_badtarget():
    err = (read('badtarget.err') or '').strip().splitlines()
    check(result_rc(OUT, 'badtarget') == 2 and len(err) == 1 and
          'invalid target' in err[0], 'a malformed IPv6 target is a usage '
          'error in one line', '\n'.join(err))


def main():
    global OUT
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    OUT = sys.argv[1]
    env = read_env(os.path.join(OUT, 'bench.env'))
    info('v6: bench %s' % env)
    check_echo(env)
    check_text('echo-text', False)
    check_text('all-text', True)
    check_simple('loop', env, extra=loopback)
    check_simple('noreply', env, extra=noreply)
    check_simple('frag', env, extra=frag)
    check_simple('hoplimit', env)
    check_simple('toobig', env, extra=toobig)
    check_simple('nohost', env, extra=nohost)
    check_two(env)
    check_orphan(env)
    check_mixed(env)
    check_record(env)
    check_stages()
    check_badtarget()
    check_tracing_left()
    return finish()


if __name__ == '__main__':
    sys.exit(main())
