#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check what the guest's hostile scenario left in OUTDIR.

craft.dat, read with the host's `trace-cmd report`, against the
expectations the crafter printed (cases.jsonl): for every case the event
fired or not, and said what it could and could not read (has_icmp=0 means
no ICMP field is filled in).  Then the stress phase (toggles, flood, a
final ping that gets every reply) and the kernel log (no BUG, KASAN,
UBSAN, Oops or WARNING).  Prints one line per check and a final
'N passed, N failed' line; exits non-zero on any failure.

usage: check_hostile.py OUTDIR
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_kernel import report, report6, ping_output  # noqa: E402
from checklib import A, B, check, finish, info, read_env  # noqa: E402

ICMP_TYPES = {'echo-reply': 0, 'dest-unreach': 3, 'source-quench': 4,
              'redirect': 5, 'echo-request': 8, 'time-exceeded': 11,
              'parameter-problem': 12, 'timestamp': 13,
              'timestamp-reply': 14, 'info-request': 15, 'info-reply': 16,
              'address-mask-request': 17, 'address-mask-reply': 18,
              'ext-echo-request': 42, 'ext-echo-reply': 43}
ICMP6_TYPES = {'dest-unreach': 1, 'packet-too-big': 2, 'time-exceeded': 3,
               'parameter-problem': 4, 'echo-request': 128, 'echo-reply': 129,
               'mld-query': 130, 'mld-report': 131, 'mld-done': 132,
               'router-solicit': 133, 'router-advert': 134,
               'neighbour-solicit': 135, 'neighbour-advert': 136,
               'redirect': 137, 'mldv2-report': 143,
               'ext-echo-request': 160, 'ext-echo-reply': 161}
# pt-craft -6 sends from this address (tests/crafter/pt-craft.c)
CRAFT6_SADDR = '2001:db8::1'
KERNEL_BAD = re.compile(r'BUG:|KASAN|UBSAN|Oops|WARNING:|Kernel panic|'
                        r'general protection fault')



def icmp_type(name):
    """The printed type (a name, or a number when it has none) as a
    number; None for 'none', the header that was not read."""
    if name == 'none':
        return None
    if name in ICMP_TYPES:
        return ICMP_TYPES[name]
    return int(name, 0)


def seen(ev):
    """An event reduced to what a case expects of it"""
    return (ev['len'], ev['frag_off'], ev['has_icmp'], icmp_type(ev['type']),
            ev['code'], ev['id'], ev['seq'], ev['mtu'], ev['has_orig'],
            ev['orig_saddr'], ev['orig_daddr'], ev['orig_proto'],
            ev['orig_id'], ev['orig_seq'])


def wanted(e):
    return (e['tot_len'], e['frag_off'], e['has_icmp'],
            e['type'] if e['has_icmp'] else None,
            e['code'], e['id'], e['seq'], e['mtu'], e['has_orig'],
            e['orig_saddr'],
            e['orig_daddr'], e['orig_proto'], e['orig_id'], e['orig_seq'])


def load_cases(out):
    runs = []
    path = '%s/cases.jsonl' % out
    if os.path.exists(path):
        with open(path) as f:
            runs = [json.loads(line) for line in f if line.strip()]
    return runs


def check_no_invention(events):
    """has_icmp=0 must leave every ICMP field empty, in every event"""
    bad = [e for e in events if not e['has_icmp'] and
           (e['type'] != 'none' or e['code'] or e['id'] or e['seq'] or
            e['mtu'] or e['has_orig'])]
    check(not bad, 'craft: %d events without an ICMP header show type none, '
          'code, id and seq 0 and no quote (%d do not)'
          % (sum(1 for e in events if not e['has_icmp']), len(bad)))
    for e in bad[:5]:
        info(e)
    other = [e for e in events if e['proto'] != 1]
    check(not other, 'craft: no event for a protocol other than ICMP (%d)'
          % len(other))
    orig = [e for e in events if e['has_orig']]
    check(orig, 'craft: %d events quote a datagram (has_orig=1)' % len(orig))
    noorig = [e for e in events if not e['has_orig'] and
              (e['orig_saddr'], e['orig_daddr'], e['orig_proto'],
               e['orig_id'], e['orig_seq']) != ('0.0.0.0', '0.0.0.0', 0, 0, 0)]
    check(not noorig, 'craft: has_orig=0 leaves every orig_* field 0 (%d do '
          'not)' % len(noorig))


def check_cases(runs, events):
    """Match the RCV events on vb to the cases by IP id"""
    by_id = {}
    for e in events:
        if e['dir'] == 'RCV' and e['dev'] == 'vb':
            by_id.setdefault(e['ip_id'], []).append(e)
    names = []
    per_case = {}
    for r in runs:
        if r['case'] not in per_case:
            names.append(r['case'])
            per_case[r['case']] = []
        per_case[r['case']].append(r)
    used = set()
    for name in names:
        rs = per_case[name]
        frames = sum(r['frames'] for r in rs)
        nbytes = sum(r['bytes'] for r in rs)
        errors = [r['error'] for r in rs if 'error' in r]
        bad = []
        got_n = 0
        for r in rs:
            used.add(r['ip_id'])
            got = [e for e in by_id.get(r['ip_id'], [])
                   if e['saddr'] == r['saddr'] and e['daddr'] == r['daddr']]
            got_n += len(got)
            if sorted(map(seen, got), key=repr) != \
               sorted(map(wanted, r['events']), key=repr):
                bad.append((r, got))
        want_n = sum(len(r['events']) for r in rs)
        fires = rs[0]['fires']
        check(not errors and not bad,
              'case %-18s %d runs, %3d frames, %6d bytes: %s (%d events of '
              '%d)' % (name, len(rs), frames, nbytes,
                       'fires as expected' if fires else 'no event',
                       got_n, want_n))
        for e in errors[:1]:
            info('crafter: %s' % e)
        for r, got in bad[:2]:
            info('ip_id %d wanted %s' % (r['ip_id'],
                                         [wanted(e) for e in r['events']]))
            info('ip_id %d got    %s' % (r['ip_id'], [seen(e) for e in got]))
    stray = sorted(set(by_id) - used)
    check(not stray, 'craft: no RCV event on vb that no case sent (%d ip ids)'
          % len(stray))


def check_craft(out):
    env = read_env('%s/craft.env' % out)
    runs = load_cases(out)
    reps = int(env.get('craft_reps', 0))
    names = sorted(set(r['case'] for r in runs))
    if not check(runs and reps and len(runs) == reps * len(names),
                 'craft: %d runs of %d cases in cases.jsonl (%d lines)'
                 % (reps, len(names), len(runs))):
        return
    frames = sum(r['frames'] for r in runs)
    info('crafted %d frames, %d bytes, in %d case runs; %d frames should '
         'fire the event' % (frames, sum(r['bytes'] for r in runs),
                             len(runs),
                             sum(len(r['events']) for r in runs)))
    rx = int(env['vb_rx_after']) - int(env['vb_rx_before'])
    check(rx >= frames, 'craft: vb received every crafted frame (rx_packets '
          '+%d, %d sent)' % (rx, frames))
    dat = '%s/craft.dat' % out
    if not check(os.path.exists(dat), 'craft: craft.dat was recorded'):
        return
    events, bad = report(dat)
    if not check(events is not None, 'craft: trace-cmd report reads the file'):
        for b in bad:
            info(b)
        return
    check(not bad, 'craft: every ip_icmp line parses (%d bad)' % len(bad))
    for b in bad[:5]:
        info('bad: %s' % b)
    check_no_invention(events)
    check_cases(runs, events)


def icmp6_type(name):
    if name == 'none':
        return None
    if name in ICMP6_TYPES:
        return ICMP6_TYPES[name]
    return int(name, 0)


def seen6(ev):
    return (ev['payload_len'], ev['nexthdr'], ev['proto'], ev['has_frag'],
            ev['frag_id'], ev['frag_off'], ev['has_icmp'],
            icmp6_type(ev['type']), ev['code'], ev['id'], ev['seq'],
            ev['mtu'], ev['has_orig'], ev['orig_saddr'], ev['orig_daddr'],
            ev['orig_proto'], ev['orig_id'], ev['orig_seq'])


def wanted6(e):
    return (e['payload_len'], e['nexthdr'], e['proto'], e['has_frag'],
            e['frag_id'], e['frag_off'], e['has_icmp'],
            e['type'] if e['has_icmp'] else None, e['code'], e['id'],
            e['seq'], e['mtu'], e['has_orig'], e['orig_saddr'],
            e['orig_daddr'], e['orig_proto'], e['orig_id'], e['orig_seq'])


def check_craft6(out):
    """The IPv6 cases: RCV events on vb joined to the cases by flow label"""
    env = read_env('%s/craft.env' % out)
    runs = []
    path = '%s/cases6.jsonl' % out
    if os.path.exists(path):
        with open(path) as f:
            runs = [json.loads(line) for line in f if line.strip()]
    reps = int(env.get('craft_reps', 0))
    names = []
    for r in runs:
        if r['case'] not in names:
            names.append(r['case'])
    if not check(runs and reps and len(runs) == reps * len(names),
                 'craft6: %d runs of %d IPv6 cases in cases6.jsonl (%d lines)'
                 % (reps, len(names), len(runs))):
        return
    frames = sum(r['frames'] for r in runs)
    info('crafted %d IPv6 frames in %d case runs; %d should fire the event'
         % (frames, len(runs), sum(len(r['events']) for r in runs)))
    rx = int(env.get('vb_rx_after6', 0)) - int(env.get('vb_rx_before6', 0))
    check(rx >= frames, 'craft6: vb received every crafted frame '
          '(rx_packets +%d, %d sent)' % (rx, frames))
    events, bad = report6('%s/craft6.dat' % out)
    if not check(events is not None,
                 'craft6: trace-cmd report reads craft6.dat'):
        for b in bad:
            info(b)
        return
    check(not bad, 'craft6: every ip6_icmp line parses (%d bad)' % len(bad))
    for b in bad[:5]:
        info('bad: %s' % b)
    bad = [e for e in events if not e['has_icmp'] and
           (e['type'] != 'none' or e['code'] or e['id'] or e['seq'] or
            e['mtu'] or e['has_orig'])]
    check(not bad, 'craft6: events without an ICMPv6 header show type none '
          'and nothing else (%d do not)' % len(bad))
    other = [e for e in events if e['proto'] != 58]
    check(not other, 'craft6: no event for another upper layer than ICMPv6 '
          '(%d)' % len(other))
    mine = [e for e in events if e['dir'] == 'RCV' and e['dev'] == 'vb' and
            e['saddr'] == CRAFT6_SADDR]
    by_flow = {}
    for e in mine:
        by_flow.setdefault(e['flow_label'], []).append(e)
    used = set()
    for name in names:
        rs = [r for r in runs if r['case'] == name]
        errors = [r['error'] for r in rs if 'error' in r]
        bad, got_n = [], 0
        for r in rs:
            used.add(r['flow_label'])
            got = [e for e in by_flow.get(r['flow_label'], [])
                   if e['daddr'] == r['daddr']]
            got_n += len(got)
            if sorted(map(seen6, got), key=repr) != \
               sorted(map(wanted6, r['events']), key=repr):
                bad.append((r, got))
        want_n = sum(len(r['events']) for r in rs)
        check(not errors and not bad,
              'case6 %-20s %d runs, %3d frames: %s (%d events of %d)'
              % (name, len(rs), sum(r['frames'] for r in rs),
                 'fires as expected' if rs[0]['fires'] else 'no event',
                 got_n, want_n))
        for e in errors[:1]:
            info('crafter: %s' % e)
        for r, got in bad[:2]:
            info('flow %d wanted %s' % (r['flow_label'],
                                        [wanted6(e) for e in r['events']]))
            info('flow %d got    %s' % (r['flow_label'],
                                        [seen6(e) for e in got]))
    stray = sorted(set(by_flow) - used)
    check(not stray, 'craft6: no RCV event on vb from %s that no case sent '
          '(%d flow labels)' % (CRAFT6_SADDR, len(stray)))


def check_stress(out):
    env = read_env('%s/stress.env' % out)
    if not check(env, 'stress: the phase ran to its end (stress.env)'):
        return
    toggles = {k[8:]: int(v) for k, v in env.items()
               if k.startswith('toggles_')}
    info('%s s of ping -f, %s switched in %d buffers: %s on/off pairs; '
         '%s crafter runs of every case alongside'
         % (env.get('stress_secs'), env.get('stress_event'), len(toggles),
            ', '.join('%s %d' % kv for kv in sorted(toggles.items())),
            env.get('craft_loops')))
    info('events written per buffer: %s' % ', '.join(
        '%s %s' % (k[12:], v) for k, v in sorted(env.items())
        if k.startswith('ring_events_')))
    check(len(toggles) == 4 and all(toggles.values()),
          'stress: every buffer was switched on and off (%d total)'
          % sum(toggles.values()))
    check(int(env.get('craft_loops', 0)) > 0,
          'stress: the crafter ran during the flood')
    check(env.get('left_enabled') == 0,
          'stress: no event left enabled afterwards')
    check(env.get('instances_removed') == 3,
          'stress: the three instances were removed')
    _, tx, rx = ping_output('%s/flood.out' % out)
    check(tx and rx, 'stress: ping -f sent %s, got %s replies' % (tx, rx))
    if tx:
        info('flood loss %.2f%% (the last requests may be in flight at '
             'the deadline)' % (100.0 * (tx - rx) / tx))
    seqs, tx, rx = ping_output('%s/final.out' % out)
    check(tx == 5 and rx == 5 and seqs == [1, 2, 3, 4, 5],
          'stress: a ping after the flood got 5 replies of 5 (%s of %s)'
          % (rx, tx))


def check_kernel_log(out):
    for name in ('dmesg.txt', 'console.log'):
        path = '%s/%s' % (out, name)
        if name == 'dmesg.txt' and not check(os.path.exists(path),
                                             'kernel: dmesg.txt was saved'):
            continue
        if not os.path.exists(path):
            continue
        with open(path, errors='replace') as f:
            bad = [line.rstrip() for line in f if KERNEL_BAD.search(line)]
        check(not bad, 'kernel: %s has no BUG, KASAN, UBSAN, Oops or '
              'WARNING line (%d)' % (name, len(bad)))
        for line in bad[:10]:
            info(line)


def main():
    if len(sys.argv) != 2:
        print('usage: check_hostile.py OUTDIR', file=sys.stderr)
        return 2
    out = sys.argv[1]
    check_craft(out)
    check_craft6(out)
    check_stress(out)
    check_kernel_log(out)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
