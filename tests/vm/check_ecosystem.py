#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check what perf and bpftrace printed of net:ip_icmp in the guest
(tests/vm/guest/ecosystem.sh) against ping's own output, field by field:
for every echo ping saw answered, its request leaves va (SND) and
arrives on vb (RCV), its reply leaves vb and arrives on va, with the
addresses of each direction, the identifier ping was given, the
sequence number ping printed, and the device, ifindex and netns of each
hop.  TAP output; exit status 0 only when every check passed.

usage: check_ecosystem.py OUTDIR
"""
import re
import sys

from checklib import A, B, check, finish, info, ping_file, read_env

PERF_ID, BPF_ID = 4201, 4202

# perf script -F comm,pid,cpu,time,event,trace: the event's TP_printk
PERF_RE = re.compile(
    r'^\s*(?P<comm>\S+)\s+(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+'
    r'(?P<ts>\d+\.\d+):\s+net:ip_icmp:\s+(?P<dir>SND|RCV) '
    r'dev=(?P<dev>\S*) ifindex=(?P<ifindex>-?\d+) netns=(?P<netns>\d+) '
    r'(?P<saddr>[\d.]+) -> (?P<daddr>[\d.]+) proto=1 .*'
    r'type=(?P<type>\S+) code=\d+ id=(?P<id>\d+) seq=(?P<seq>\d+) ')
# the bpftrace program of ecosystem.sh
BPF_RE = re.compile(
    r'^dir=(?P<dir>\d+) dev=(?P<dev>\S*) saddr=(?P<saddr>[\d.]+) '
    r'daddr=(?P<daddr>[\d.]+) type=(?P<type>\d+) id=(?P<id>\d+) '
    r'seq=(?P<seq>\d+) ifindex=(?P<ifindex>-?\d+) netns=(?P<netns>\d+)$')
BPF_DIR = {'0': 'SND', '1': 'RCV'}
BPF_TYPE = {'0': 'echo-reply', '8': 'echo-request'}
INTS = ('id', 'seq', 'ifindex', 'netns')


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except OSError:
        return None


def parse(text, regex, fix=None):
    """(events, lines that name the event but do not parse)"""
    events, bad = [], []
    for line in (text or '').splitlines():
        m = regex.match(line)
        if not m:
            if 'ip_icmp' in line or line.startswith('dir='):
                bad.append(line)
            continue
        ev = m.groupdict()
        for k in INTS:
            ev[k] = int(ev[k])
        if fix:
            fix(ev)
        events.append(ev)
    return events, bad


def fix_bpf(ev):
    ev['dir'] = BPF_DIR.get(ev['dir'], ev['dir'])
    ev['type'] = BPF_TYPE.get(ev['type'], ev['type'])


def path(env):
    return [('SND', 'va', env.get('ifindex_va'), env.get('netns_a'), A, B,
             'echo-request'),
            ('RCV', 'vb', env.get('ifindex_vb'), env.get('netns_b'), A, B,
             'echo-request'),
            ('SND', 'vb', env.get('ifindex_vb'), env.get('netns_b'), B, A,
             'echo-reply'),
            ('RCV', 'va', env.get('ifindex_va'), env.get('netns_a'), B, A,
             'echo-reply')]


def fields(ev):
    return (ev['dir'], ev['dev'], ev['ifindex'], ev['netns'], ev['saddr'],
            ev['daddr'], ev['type'])


def check_tool(tool, out, env, events, bad, ping_out, echo_id):
    times, tx, rx = ping_file('%s/%s' % (out, ping_out))
    check(tx == 3 and rx == 3 and sorted(times) == [1, 2, 3],
          '%s: ping -e %d: 3 echoes answered' % (tool, echo_id),
          'transmitted %s, received %s, seqs %s' % (tx, rx, sorted(times)))
    check(not bad, '%s: every ip_icmp line parses' % tool, '\n'.join(bad))
    ours = [e for e in events if e['id'] == echo_id]
    check(len(ours) == 4 * len(times),
          '%s: four events per answered echo, id %d' % (tool, echo_id),
          '%d events of id %d for %d echoes; ids seen: %s'
          % (len(ours), echo_id, len(times),
             sorted(set(e['id'] for e in events))))
    for seq in sorted(times):
        hops = [fields(e) for e in ours if e['seq'] == seq]
        want = path(env)
        check(sorted(hops) == sorted(want),
              '%s: seq %d: request %s -> %s out of va and into vb, reply '
              'out of vb and into va' % (tool, seq, A, B),
              'got:\n%s\nwant:\n%s' % ('\n'.join(map(str, hops)),
                                       '\n'.join(map(str, want))))


def main():
    out = sys.argv[1]
    env = read_env('%s/bench.env' % out)
    check(bool(env), 'bench.env was written')
    info('guest kernel: %s' % (read('%s/kernel.txt' % out) or '?').strip())

    # perf
    info((read('%s/perf-version.txt' % out) or 'perf: no version').strip())
    check(read('%s/perf-record.rc' % out) == '0\n',
          'perf record -e net:ip_icmp exits 0',
          read('%s/perf-record.err' % out))
    check(read('%s/perf-script.rc' % out) == '0\n', 'perf script exits 0',
          read('%s/perf-script.err' % out))
    events, bad = parse(read('%s/perf-script.txt' % out), PERF_RE)
    check_tool('perf', out, env, events, bad, 'perf-ping.out', PERF_ID)

    # bpftrace
    info((read('%s/bpftrace-version.txt' % out) or 'bpftrace: ?').strip())
    text = read('%s/bpftrace.txt' % out) or ''
    check('READY' in text, 'bpftrace attached to tracepoint:net:ip_icmp',
          read('%s/bpftrace.err' % out))
    check(read('%s/bpftrace.rc' % out) == '0\n', 'bpftrace exits 0',
          read('%s/bpftrace.err' % out))
    events, bad = parse(text, BPF_RE, fix_bpf)
    check_tool('bpftrace', out, env, events, bad, 'bpf-ping.out', BPF_ID)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
