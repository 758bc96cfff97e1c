#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check the traces that the guest's kernel scenario recorded.

Reads every NAME.dat in OUTDIR with the host's `trace-cmd report` (an
independent reader: libtraceevent, no pingtrace code) and checks that
net:ip_icmp said what the guest's pings did.  Prints one line per check
and a final 'N passed, N failed' line; exits non-zero on any failure.
"""
import re
import subprocess
import sys

from checklib import A, B, NOHOST, check, finish, info, ping_file, read_env

EVENT_RE = re.compile(
    r'^\s*(?P<comm>.+?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?:\S+\s+)?'
    r'(?P<ts>\d+\.\d+): ip_icmp:\s+(?P<dir>SND|RCV) dev=(?P<dev>\S*) '
    r'ifindex=(?P<ifindex>-?\d+) netns=(?P<netns>\d+) '
    r'(?P<saddr>[\d.]+) -> (?P<daddr>[\d.]+) proto=(?P<proto>\d+) '
    r'ttl=(?P<ttl>\d+) len=(?P<len>\d+) ip_id=(?P<ip_id>\d+) '
    r'frag_off=0x(?P<frag_off>[0-9a-f]+) has_icmp=(?P<has_icmp>\d) '
    r'type=(?P<type>\S+) code=(?P<code>\d+) id=(?P<id>\d+) '
    r'seq=(?P<seq>\d+) mtu=(?P<mtu>\d+) has_orig=(?P<has_orig>\d) '
    r'orig_saddr=(?P<orig_saddr>[\d.]+) orig_daddr=(?P<orig_daddr>[\d.]+) '
    r'orig_proto=(?P<orig_proto>\d+) orig_id=(?P<orig_id>\d+) '
    r'orig_seq=(?P<orig_seq>\d+) skbaddr=(?P<skbaddr>\S+)\s*$')
INT_FIELDS = ('pid', 'cpu', 'ifindex', 'netns', 'proto', 'ttl', 'len',
              'ip_id', 'has_icmp', 'code', 'id', 'seq', 'mtu', 'has_orig',
              'orig_proto', 'orig_id', 'orig_seq')
IP_MF, IP_OFFSET, IP_DF = 0x2000, 0x1fff, 0x4000
# the printed names of the types that carry an echo identifier and
# sequence; every other type must show id=0 seq=0
ECHO_ID_TYPES = ('echo-reply', 'echo-request', 'timestamp',
                 'timestamp-reply', 'info-request', 'info-reply',
                 'ext-echo-request', 'ext-echo-reply')
# ICMP errors, which quote the datagram that caused them
ERROR_TYPES = ('dest-unreach', 'source-quench', 'redirect', 'time-exceeded',
               'parameter-problem')
# 203.0.113.2, netns c behind the router b (tests/vm/guest/lib.sh)
C = '203.0.113.2'
BCAST = '198.51.100.255'



def report(dat):
    """Return (events, bad_lines) of a trace file, via trace-cmd report."""
    p = subprocess.run(['trace-cmd', 'report', '-i', dat],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, ['trace-cmd report exited %d: %s' %
                      (p.returncode, p.stderr.strip()[-300:])]
    events, bad = [], []
    for line in p.stdout.splitlines():
        if 'ip_icmp:' not in line:
            if 'FAILED TO PARSE' in line:
                bad.append(line)
            continue
        m = EVENT_RE.match(line)
        if not m:
            bad.append(line)
            continue
        ev = m.groupdict()
        for k in INT_FIELDS:
            ev[k] = int(ev[k])
        ev['frag_off'] = int(ev['frag_off'], 16)
        ev['ts'] = float(ev['ts'])
        events.append(ev)
    return events, bad



def ping_output(path):
    """seqs answered, in order, and (transmitted, received) of a ping"""
    times, tx, rx = ping_file(path)
    return list(times), tx, rx


def load(out, name):
    events, bad = report('%s/%s.dat' % (out, name))
    check(events is not None, '%s: trace-cmd report reads the file' % name)
    if events is None:
        for b in bad:
            info(b)
        return []
    check(not bad, '%s: every ip_icmp line parses (%d bad)' % (name, len(bad)))
    for b in bad[:5]:
        info('bad: %s' % b)
    check_invented(name, events)
    return events


def hop(ev, d, dev, ifindex, netns, src, dst, typ, code=0):
    return (ev['dir'] == d and ev['dev'] == dev and
            ev['ifindex'] == ifindex and ev['netns'] == netns and
            ev['saddr'] == src and ev['daddr'] == dst and
            ev['proto'] == 1 and ev['has_icmp'] == 1 and
            ev['type'] == typ and ev['code'] == code and
            (typ in ERROR_TYPES or ev['has_orig'] == 0))


def orig_of(ev):
    return (ev['has_orig'], ev['orig_saddr'], ev['orig_daddr'],
            ev['orig_proto'], ev['orig_id'], ev['orig_seq'])


def check_invented(name, events):
    """No event fills what its message does not carry: id and seq only
    for types with an echo identity, orig_* only for an error whose
    quote was read."""
    bad_id = [e for e in events if e['type'] not in ECHO_ID_TYPES and
              (e['id'] or e['seq'])]
    check(not bad_id, '%s: id and seq are 0 for every type without an '
          'echo identity (%d events do not)' % (name, len(bad_id)),
          '\n'.join(map(str, bad_id[:3])))
    bad_orig = [e for e in events if
                (not e['has_orig'] and
                 orig_of(e) != (0, '0.0.0.0', '0.0.0.0', 0, 0, 0)) or
                (e['has_orig'] and e['type'] not in ERROR_TYPES)]
    check(not bad_orig, '%s: has_orig only on errors, orig_* 0 without it '
          '(%d events do not)' % (name, len(bad_orig)),
          '\n'.join(map(str, bad_orig[:3])))
    bad_mtu = [e for e in events if e['mtu'] and
               (e['type'], e['code']) != ('dest-unreach', 4)]
    check(not bad_mtu, '%s: mtu is 0 but for fragmentation needed '
          '(%d events do not)' % (name, len(bad_mtu)),
          '\n'.join(map(str, bad_mtu[:3])))


def check_echoes(name, events, seqs, path):
    """Every answered seq shows its four hops in order along path,
    for each echo id (one per pinger) in the trace."""
    by_id = {}
    for e in events:
        if e['has_icmp']:
            by_id.setdefault(e['id'], []).append(e)
    for echo_id, evs in sorted(by_id.items()):
        for seq in seqs:
            hops = sorted((e for e in evs if e['seq'] == seq),
                          key=lambda e: e['ts'])
            ok = len(hops) == 4 and all(hop(e, *p) for e, p in zip(hops, path))
            check(ok, '%s: id %d seq %d: request out, in, reply out, in'
                  % (name, echo_id, seq))
            if not ok:
                for e in hops:
                    info(e)
    return sorted(by_id)


def veth_path(env):
    return [('SND', 'va', env['ifindex_va'], env['netns_a'], A, B,
             'echo-request'),
            ('RCV', 'vb', env['ifindex_vb'], env['netns_b'], A, B,
             'echo-request'),
            ('SND', 'vb', env['ifindex_vb'], env['netns_b'], B, A,
             'echo-reply'),
            ('RCV', 'va', env['ifindex_va'], env['netns_a'], B, A,
             'echo-reply')]


def check_veth(out, env, name, pingers):
    events = load(out, name)
    seqs = [1, 2, 3, 4, 5]
    for p in pingers:
        got, tx, rx = ping_output('%s/%s.out' % (out, p))
        check(tx == 5 and rx == 5 and got == seqs,
              '%s: %s got 5 replies of 5' % (name, p))
    ids = check_echoes(name, events, seqs, veth_path(env))
    check(len(ids) == len(pingers), '%s: one echo id per pinger (%s)' %
          (name, ids))
    check(len(events) == 4 * len(seqs) * len(pingers),
          '%s: no other ICMP events (%d)' % (name, len(events)))
    req = [e for e in events if e['type'] == 'echo-request']
    check(all(e['ttl'] == 64 and e['len'] == 84 for e in req),
          '%s: requests have ttl 64 and length 84' % name)
    return events


def check_lo(out, env):
    events = load(out, 'lo')
    seqs, tx, rx = ping_output('%s/lo.out' % out)
    check(tx == 3 and rx == 3, 'lo: ping got 3 replies of 3')
    lo = ('lo', env['ifindex_lo'], env['netns_a'], '127.0.0.1', '127.0.0.1')
    path = [('SND',) + lo + ('echo-request',), ('RCV',) + lo + ('echo-request',),
            ('SND',) + lo + ('echo-reply',), ('RCV',) + lo + ('echo-reply',)]
    ids = check_echoes('lo', events, seqs, path)
    check(len(ids) == 1, 'lo: one echo id (%s)' % ids)
    check(len(events) == 12, 'lo: 12 events (%d)' % len(events))


def check_nohost(out, env):
    events = load(out, 'nohost')
    seqs, tx, rx = ping_output('%s/nohost.out' % out)
    check(tx == 3 and rx == 0, 'nohost: ping sent 3, got no reply')
    snd = [e for e in events if e['dir'] == 'SND' and
           hop(e, 'SND', 'va', env['ifindex_va'], env['netns_a'], A, NOHOST,
               'echo-request')]
    check(len(snd) == 3 and sorted(e['seq'] for e in snd) == [1, 2, 3],
          'nohost: three requests sent, seq 1..3')
    check(not [e for e in events if e['dir'] == 'RCV'],
          'nohost: nothing received')


def check_frag(out, env):
    events = load(out, 'frag')
    seqs, tx, rx = ping_output('%s/frag.out' % out)
    check(tx == 3 and rx == 3, 'frag: ping -s 3000 got 3 replies of 3')
    for d, dev, src, dst, typ in (('SND', 'va', A, B, 'echo-request'),
                                  ('SND', 'vb', B, A, 'echo-reply')):
        whole = [e for e in events if e['dir'] == d and e['dev'] == dev]
        check(len(whole) == 3 and
              all(e['len'] == 3028 and e['has_icmp'] and e['type'] == typ and
                  not e['frag_off'] & (IP_MF | IP_OFFSET) for e in whole),
              'frag: %s %s: ip_output sees each 3028-byte datagram whole'
              % (d, typ))
    for dev, src, dst, typ in (('vb', A, B, 'echo-request'),
                               ('va', B, A, 'echo-reply')):
        rcv = [e for e in events if e['dir'] == 'RCV' and e['dev'] == dev]
        by_id = {}
        for e in rcv:
            by_id.setdefault(e['ip_id'], []).append(e)
        check(len(by_id) == 3, 'frag: RCV %s: three datagrams (%d)'
              % (typ, len(by_id)))
        for ip_id, frags in sorted(by_id.items()):
            frags.sort(key=lambda e: e['frag_off'] & IP_OFFSET)
            first, rest = frags[0], frags[1:]
            payload = sum(e['len'] - 20 for e in frags)
            ok = (len(frags) == 3 and payload == 3008 and
                  first['frag_off'] == IP_MF and first['has_icmp'] == 1 and
                  first['type'] == typ and
                  all(e['has_icmp'] == 0 and e['type'] == 'none' and
                      e['id'] == 0 and e['seq'] == 0 and e['code'] == 0 and
                      e['frag_off'] & IP_OFFSET for e in rest) and
                  not rest[-1]['frag_off'] & IP_MF and
                  all(e['saddr'] == src and e['daddr'] == dst for e in frags))
            check(ok, 'frag: RCV %s ip_id %d: first fragment has the ICMP '
                  'header, the others none' % (typ, ip_id))


RX_RE = re.compile(r'\s(?P<ts>\d+\.\d+): (?P<ev>napi_gro_receive_entry|'
                   r'netif_rx_entry):\s+dev=(?P<dev>\S+) .*?'
                   r'skbaddr=(?P<skb>0x[0-9a-f]+)')


def check_gro(out, env):
    """With GRO on vb, every packet vb receives came through NAPI (and so
    ip_list_rcv()), none through netif_rx(), and net:ip_icmp saw it."""
    events = load(out, 'gro')
    seqs, tx, rx = ping_output('%s/gro.out' % out)
    check(tx == 3 and rx == 3, 'gro: ping got 3 replies of 3')
    ids = check_echoes('gro', events, seqs, veth_path(env))
    check(len(ids) == 1, 'gro: one echo id (%s)' % ids)
    p = subprocess.run(['trace-cmd', 'report', '-i', '%s/gro.dat' % out],
                       capture_output=True, text=True)
    rx_events = [m.groupdict() for m in map(RX_RE.search,
                                            p.stdout.splitlines()) if m]
    napi = set(e['skb'] for e in rx_events
               if e['ev'] == 'napi_gro_receive_entry' and e['dev'] == 'vb')
    legacy = [e for e in rx_events
              if e['ev'] == 'netif_rx_entry' and e['dev'] == 'vb']
    rcv = [e for e in events if e['dir'] == 'RCV' and e['dev'] == 'vb']
    check(len(rcv) == 3 and not legacy and
          all(e['skbaddr'] in napi for e in rcv),
          'gro: vb received all 3 requests through NAPI/GRO (%d napi, %d '
          'netif_rx) and ip_icmp fired in ip_rcv_core()'
          % (len(napi), len(legacy)))


def check_bcast(out, env):
    """ping -b: every request leaves a through ip_mc_output() (SND) and
    reaches b (RCV); b ignores broadcast echoes and does not answer."""
    events = load(out, 'bcast')
    _, tx, rx = ping_output('%s/bcast.out' % out)
    check(tx == 2, 'bcast: ping -b sent 2 requests (%s)' % tx)
    snd = [e for e in events if hop(e, 'SND', 'va', env['ifindex_va'],
                                   env['netns_a'], A, BCAST, 'echo-request')]
    rcv = [e for e in events if hop(e, 'RCV', 'vb', env['ifindex_vb'],
                                   env['netns_b'], A, BCAST, 'echo-request')]
    check(sorted(e['seq'] for e in snd) == [1, 2] and
          len(set(e['id'] for e in snd)) == 1,
          'bcast: SND of both broadcast requests from ip_mc_output(), seq '
          '1 and 2 (%d)' % len(snd))
    check(sorted((e['id'], e['seq']) for e in rcv) ==
          sorted((e['id'], e['seq']) for e in snd),
          'bcast: RCV of both in netns b (%d)' % len(rcv))


def ping_errors(path):
    """seq -> the error text of iputils ping's 'From ADDR icmp_seq=N TEXT'
    lines"""
    errs = {}
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r'From (\S+) icmp_seq=(\d+) (.+)$', line.strip())
                if m:
                    errs[int(m.group(2))] = (m.group(1), m.group(3))
    except OSError:
        pass
    return errs


def check_error(out, env, name, seqs, typ, code, text):
    """An echo from a to c that b answers with an ICMP error: the
    request's SND in a, the error's SND in b and RCV in a, with the
    quoted echo's addresses, id and seq, and id and seq of the error 0;
    its mtu the one ping printed, or 0 when ping printed none."""
    events = load(out, name)
    errs = ping_errors('%s/%s.out' % (out, name))
    check(sorted(errs) == seqs and
          all(v == (B, text) for v in errs.values()),
          '%s: ping printed "From %s icmp_seq=N %s" for seq %s (%s)'
          % (name, B, text, seqs, errs))
    req = [e for e in events if hop(e, 'SND', 'va', env['ifindex_va'],
                                   env['netns_a'], A, C, 'echo-request')]
    check(sorted(e['seq'] for e in req) == seqs,
          '%s: SND of the requests to %s, seq %s' % (name, C, seqs))
    if not req:
        return events, req
    echo_id = req[0]['id']
    m = re.search(r'\(mtu = (\d+)\)', text)
    mtu = int(m.group(1)) if m else 0
    for d, dev, netns in (('SND', 'vb', 'netns_b'), ('RCV', 'va', 'netns_a')):
        got = sorted((e for e in events
                      if hop(e, d, dev, env['ifindex_' + dev], env[netns],
                             B, A, typ, code)), key=lambda e: e['orig_seq'])
        want = [(1, A, C, 1, echo_id, s) for s in seqs]
        check([orig_of(e) for e in got] == want and
              all(e['id'] == 0 and e['seq'] == 0 and e['mtu'] == mtu
                  for e in got),
              '%s: %s %s code %d on %s, id=0 seq=0 mtu=%d, quoting echo '
              'id %d seq %s' % (name, d, typ, code, dev, mtu, echo_id, seqs),
              '\n'.join(str(e) for e in got) or 'no such event')
    return events, req


def check_ttl(out, env):
    _, req = check_error(out, env, 'ttl', [1, 2], 'time-exceeded', 0,
                         'Time to live exceeded')
    check(req and all(e['ttl'] == 1 for e in req),
          'ttl: the requests left with ttl 1')


def check_fragneeded(out, env):
    _, req = check_error(out, env, 'fragneeded', [1], 'dest-unreach', 4,
                         'Frag needed and DF set (mtu = 1280)')
    check(req and all(e['len'] == 1428 and e['frag_off'] == IP_DF
                      for e in req),
          'fragneeded: the request left whole, 1428 bytes with DF')


def check_net_selftest(out):
    try:
        with open('%s/net-selftest.log' % out) as f:
            log = f.read()
        with open('%s/net-selftest.rc' % out) as f:
            rc = int(f.read())
    except (OSError, ValueError):
        log, rc = '', None
    ok = len(re.findall(r'^TEST: .*\[ OK \]$', log, re.M))
    failed = len(re.findall(r'^TEST: .*\[FAIL\]$', log, re.M))
    check(rc == 0 and ok >= 13 and not failed,
          'selftest: selftests/net/ip_icmp_trace.sh passed (rc %s, %d ok, '
          '%d failed)' % (rc, ok, failed),
          '\n'.join(l for l in log.splitlines() if 'TEST:' in l or 'SKIP' in l))


def check_selftest_broken(out):
    """The ftrace selftest made to fail must fail, and say why"""
    try:
        with open('%s/selftest-broken.log' % out) as f:
            log = f.read()
        with open('%s/selftest-broken.rc' % out) as f:
            rc = int(f.read())
        with open('%s/selftest-broken.changed' % out) as f:
            changed = int(f.read())
    except (OSError, ValueError):
        log, rc, changed = '', None, 0
    counts = dict((k, int(v)) for k, v in
                  re.findall(r'^# of ([a-z ()]+):\s+(\d+)', log, re.M))
    # ftracetest runs it twice, at the top level and in an instance
    check(changed == 1 and rc not in (None, 0) and
          counts.get('failed', 0) >= 1 and counts.get('passed', 1) == 0 and
          'no SND echo-request event for 127.0.0.1' in log,
          'selftest: net-ip_icmp.tc with a filter that no event passes '
          'fails and prints why (rc %s, %s)' % (rc, counts))


def check_selftest(out):
    with open('%s/selftest.log' % out) as f:
        log = f.read()
    with open('%s/selftest.rc' % out) as f:
        rc = int(f.read())
    counts = dict((k, int(v)) for k, v in
                  re.findall(r'^# of ([a-z ()]+):\s+(\d+)', log, re.M))
    bad = sum(v for k, v in counts.items() if k != 'passed')
    check(rc == 0 and counts.get('passed', 0) >= 1 and bad == 0,
          'selftest: ftracetest test.d/event/net-ip_icmp.tc passed %s'
          % counts)


# ---- net:ip6_icmp ------------------------------------------------------
EVENT6_RE = re.compile(
    r'^\s*(?P<comm>.+?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?:\S+\s+)?'
    r'(?P<ts>\d+\.\d+): ip6_icmp:\s+(?P<dir>SND|RCV) dev=(?P<dev>\S*) '
    r'ifindex=(?P<ifindex>-?\d+) netns=(?P<netns>\d+) '
    r'(?P<saddr>[0-9a-f:.]+) -> (?P<daddr>[0-9a-f:.]+) '
    r'nexthdr=(?P<nexthdr>\d+) proto=(?P<proto>\d+) '
    r'hop_limit=(?P<hop_limit>\d+) payload_len=(?P<payload_len>\d+) '
    r'flow_label=0x(?P<flow_label>[0-9a-f]+) has_frag=(?P<has_frag>\d) '
    r'frag_id=(?P<frag_id>\d+) frag_off=0x(?P<frag_off>[0-9a-f]+) '
    r'has_icmp=(?P<has_icmp>\d) type=(?P<type>\S+) code=(?P<code>\d+) '
    r'id=(?P<id>\d+) seq=(?P<seq>\d+) mtu=(?P<mtu>\d+) '
    r'has_orig=(?P<has_orig>\d) orig_saddr=(?P<orig_saddr>[0-9a-f:.]+) '
    r'orig_daddr=(?P<orig_daddr>[0-9a-f:.]+) '
    r'orig_proto=(?P<orig_proto>\d+) orig_id=(?P<orig_id>\d+) '
    r'orig_seq=(?P<orig_seq>\d+) skbaddr=(?P<skbaddr>\S+)\s*$')
INT6_FIELDS = ('pid', 'cpu', 'ifindex', 'netns', 'nexthdr', 'proto',
               'hop_limit', 'payload_len', 'has_frag', 'frag_id',
               'has_icmp', 'code', 'id', 'seq', 'mtu', 'has_orig',
               'orig_proto', 'orig_id', 'orig_seq')
IP6_MF, IP6_OFFSET = 0x0001, 0xfff8
ICMPV6 = 58
ERROR6_TYPES = ('dest-unreach', 'packet-too-big', 'time-exceeded',
                'parameter-problem')
ND_TYPES = ('router-solicit', 'router-advert', 'neighbour-solicit',
            'neighbour-advert', 'redirect', 'mld-query', 'mld-report',
            'mld-done', 'mldv2-report')
# tests/vm/guest/lib.sh, setup_netns6 and setup_router6
A6, B6, B6_OTHER, C6 = '2001:db8::1', '2001:db8::2', '2001:db8::22', \
    '2001:db8:c::2'
NO_ORIG6 = (0, '::', '::', 0, 0, 0)


def report6(dat):
    """(events, bad_lines) of the ip6_icmp events of a trace file"""
    p = subprocess.run(['trace-cmd', 'report', '-i', dat],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, ['trace-cmd report exited %d: %s' %
                      (p.returncode, p.stderr.strip()[-300:])]
    events, bad = [], []
    for line in p.stdout.splitlines():
        if 'ip6_icmp:' not in line:
            if 'FAILED TO PARSE' in line:
                bad.append(line)
            continue
        m = EVENT6_RE.match(line)
        if not m:
            bad.append(line)
            continue
        ev = m.groupdict()
        for k in INT6_FIELDS:
            ev[k] = int(ev[k])
        ev['frag_off'] = int(ev['frag_off'], 16)
        ev['flow_label'] = int(ev['flow_label'], 16)
        ev['ts'] = float(ev['ts'])
        events.append(ev)
    return events, bad


def load6(out, name):
    events, bad = report6('%s/%s.dat' % (out, name))
    check(events is not None, '%s: trace-cmd report reads the file' % name)
    if events is None:
        for b in bad:
            info(b)
        return []
    check(not bad, '%s: every ip6_icmp line parses (%d bad)'
          % (name, len(bad)))
    for b in bad[:5]:
        info('bad: %s' % b)
    check(events, '%s: ip6_icmp events were recorded (%d)'
          % (name, len(events)))
    bad_proto = [e for e in events if e['proto'] != ICMPV6]
    check(not bad_proto, '%s: every event is ICMPv6, proto 58 (%d not)'
          % (name, len(bad_proto)), '\n'.join(map(str, bad_proto[:3])))
    bad_id = [e for e in events if e['type'] not in
              ('echo-request', 'echo-reply') and (e['id'] or e['seq'])]
    check(not bad_id, '%s: id and seq are 0 but for echoes (%d not)'
          % (name, len(bad_id)), '\n'.join(map(str, bad_id[:3])))
    bad_mtu = [e for e in events if e['type'] != 'packet-too-big' and
               e['mtu']]
    check(not bad_mtu, '%s: mtu is 0 but for packet too big (%d not)'
          % (name, len(bad_mtu)))
    bad_orig = [e for e in events if
                (not e['has_orig'] and orig_of(e) != NO_ORIG6) or
                (e['has_orig'] and e['type'] not in ERROR6_TYPES)]
    check(not bad_orig, '%s: has_orig only on errors, orig_* 0 without it '
          '(%d not)' % (name, len(bad_orig)),
          '\n'.join(map(str, bad_orig[:3])))
    bad_frag = [e for e in events if not e['has_frag'] and
                (e['frag_id'] or e['frag_off'])]
    check(not bad_frag, '%s: frag_id and frag_off 0 without a fragment '
          'header (%d not)' % (name, len(bad_frag)))
    return events


def hop6(ev, d, dev, ifindex, netns, src, dst, typ, code=0):
    return (ev['dir'] == d and ev['dev'] == dev and
            ev['ifindex'] == ifindex and ev['netns'] == netns and
            ev['saddr'] == src and ev['daddr'] == dst and
            ev['proto'] == ICMPV6 and ev['has_icmp'] == 1 and
            ev['type'] == typ and ev['code'] == code)


def veth6_path(env, dst=B6):
    return [('SND', 'va', env['ifindex_va'], env['netns_a'], A6, dst,
             'echo-request'),
            ('RCV', 'vb', env['ifindex_vb'], env['netns_b'], A6, dst,
             'echo-request'),
            ('SND', 'vb', env['ifindex_vb'], env['netns_b'], dst, A6,
             'echo-reply'),
            ('RCV', 'va', env['ifindex_va'], env['netns_a'], dst, A6,
             'echo-reply')]


def echoes6(events):
    return [e for e in events if e['has_icmp'] and
            e['type'] in ('echo-request', 'echo-reply')]


def check_echoes6(name, events, seqs, path):
    """Every answered seq shows its four hops in order along path"""
    by_id = {}
    for e in echoes6(events):
        by_id.setdefault(e['id'], []).append(e)
    for echo_id, evs in sorted(by_id.items()):
        for seq in seqs:
            hops = sorted((e for e in evs if e['seq'] == seq),
                          key=lambda e: e['ts'])
            ok = len(hops) == 4 and all(hop6(e, *p)
                                        for e, p in zip(hops, path))
            check(ok, '%s: id %d seq %d: request out, in, reply out, in'
                  % (name, echo_id, seq))
            if not ok:
                for e in hops:
                    info(e)
    return sorted(by_id)


def check_v6arrayfilter(out):
    """The reason for the u64 halves, as the running kernel shows it"""
    def number(name):
        try:
            with open('%s/v6arrayfilter.%s' % (out, name)) as f:
                return int(f.read().strip() or -1)
        except (OSError, ValueError):
            return None
    _, tx, rx = ping_output('%s/v6arrayfilter.out' % out)
    rc, count = number('rc'), number('count')
    check(tx == 1 and rx == 1 and rc == 0 and count == 0,
          'v6arrayfilter: "daddr == 1" on the __u8[16] daddr is accepted '
          '(rc %s) and lets none of the 4 events of a ping to ::1 through '
          '(%s)' % (rc, count))


def check_v6(out, env):
    events = load6(out, 'v6')
    seqs, tx, rx = ping_output('%s/v6.out' % out)
    check(tx == 3 and rx == 3 and seqs == [1, 2, 3],
          'v6: ping -6 got 3 replies of 3')
    ids = check_echoes6('v6', events, [1, 2, 3], veth6_path(env))
    check(len(ids) == 1, 'v6: one echo id (%s)' % ids)
    echo = echoes6(events)
    check(len(echo) == 12, 'v6: 12 echo events (%d)' % len(echo))
    other = [e for e in events if e not in echo]
    check(all(e['type'] in ND_TYPES for e in other),
          'v6: the other events are neighbour discovery or MLD (%s)'
          % sorted(set(e['type'] for e in other)))
    # ping -6 sends 56 bytes of data: 64 of ICMPv6, no extension header
    req = [e for e in echo if e['type'] == 'echo-request']
    check(all(e['payload_len'] == 64 and e['nexthdr'] == ICMPV6 and
              e['hop_limit'] == 64 and not e['has_frag'] for e in req),
          'v6: requests have payload_len 64, nexthdr 58, hop_limit 64, '
          'no fragment header')
    snd = [e for e in req if e['dir'] == 'SND']
    rcv = dict(((e['id'], e['seq']), e) for e in req if e['dir'] == 'RCV')
    check(snd and all(rcv.get((e['id'], e['seq']), {}).get('flow_label')
                      == e['flow_label'] for e in snd),
          'v6: each request arrives with the flow label it left with')


def check_v6frag(out, env):
    events = load6(out, 'v6frag')
    seqs, tx, rx = ping_output('%s/v6frag.out' % out)
    check(tx == 2 and rx == 2, 'v6frag: ping -6 -s 3000 got 2 replies of 2')
    for d, dev, typ in (('SND', 'va', 'echo-request'),
                        ('SND', 'vb', 'echo-reply')):
        whole = [e for e in events if e['dir'] == d and e['dev'] == dev and
                 e['type'] == typ]
        check(len(whole) == 2 and
              all(e['payload_len'] == 3008 and not e['has_frag'] and
                  e['nexthdr'] == ICMPV6 for e in whole),
              'v6frag: %s %s: ip6_output sees each 3008-byte packet whole'
              % (d, typ))
    for dev, src, dst, typ in (('vb', A6, B6, 'echo-request'),
                               ('va', B6, A6, 'echo-reply')):
        rcv = [e for e in events if e['dir'] == 'RCV' and e['dev'] == dev and
               e['has_frag']]
        by_id = {}
        for e in rcv:
            by_id.setdefault(e['frag_id'], []).append(e)
        check(len(by_id) == 2, 'v6frag: RCV %s: two fragmented packets (%d)'
              % (typ, len(by_id)))
        for frag_id, frags in sorted(by_id.items()):
            frags.sort(key=lambda e: e['frag_off'] & IP6_OFFSET)
            first, rest = frags[0], frags[1:]
            # each fragment: 8 bytes of fragment header, then its part
            payload = sum(e['payload_len'] - 8 for e in frags)
            ok = (len(frags) == 3 and payload == 3008 and
                  all(e['nexthdr'] == 44 and e['proto'] == ICMPV6 and
                      e['saddr'] == src and e['daddr'] == dst
                      for e in frags) and
                  first['frag_off'] == IP6_MF and first['has_icmp'] == 1 and
                  first['type'] == typ and first['seq'] in (1, 2) and
                  all(e['has_icmp'] == 0 and e['type'] == 'none' and
                      e['id'] == 0 and e['seq'] == 0 and
                      e['frag_off'] & IP6_OFFSET for e in rest) and
                  not rest[-1]['frag_off'] & IP6_MF)
            check(ok, 'v6frag: RCV %s frag_id %d: three fragments, the '
                  'first has the ICMPv6 header, the others none'
                  % (typ, frag_id), '\n'.join(map(str, frags)))


def check_v6filter(out, env):
    """The target filter on the u64 halves: the pings to B6_OTHER, on
    the same device and answered, never reach the ring buffer"""
    events = load6(out, 'v6filter')
    seqs, tx, rx = ping_output('%s/v6filter.out' % out)
    check(tx == 3 and rx == 3, 'v6filter: ping -6 %s got 3 replies of 3'
          % B6)
    seqs, tx, rx = ping_output('%s/v6filter.other.out' % out)
    check(tx == 3 and rx == 3, 'v6filter: ping -6 %s got 3 replies of 3'
          % B6_OTHER)
    ids = check_echoes6('v6filter', events, [1, 2, 3], veth6_path(env))
    check(len(ids) == 1, 'v6filter: the echoes of one pinger only (%s)'
          % ids)
    stray = [e for e in events if B6 not in (e['saddr'], e['daddr'])]
    check(not stray, 'v6filter: every event is from or to %s (%d not)'
          % (B6, len(stray)), '\n'.join(map(str, stray[:3])))
    other = [e for e in events if B6_OTHER in (e['saddr'], e['daddr'])]
    check(not other, 'v6filter: no event of the pings to %s (%d)'
          % (B6_OTHER, len(other)))


def check_error6(out, env, name, seqs, typ, code, text, mtu=0):
    """An echo from a to c that b answers with an ICMPv6 error, quoting
    the echo: its addresses, protocol 58, id and seq"""
    events = load6(out, name)
    errs = ping_errors('%s/%s.out' % (out, name))
    check(sorted(errs) == seqs and
          all(v == (B6, text) for v in errs.values()),
          '%s: ping printed "From %s icmp_seq=N %s" for seq %s (%s)'
          % (name, B6, text, seqs, errs))
    req = [e for e in events if hop6(e, 'SND', 'va', env['ifindex_va'],
                                     env['netns_a'], A6, C6, 'echo-request')]
    check(sorted(e['seq'] for e in req) == seqs,
          '%s: SND of the requests to %s, seq %s' % (name, C6, seqs))
    if not req:
        return req
    echo_id = req[0]['id']
    for d, dev, netns in (('SND', 'vb', 'netns_b'), ('RCV', 'va', 'netns_a')):
        got = sorted((e for e in events
                      if hop6(e, d, dev, env['ifindex_' + dev], env[netns],
                              B6, A6, typ, code)),
                     key=lambda e: e['orig_seq'])
        want = [(1, A6, C6, ICMPV6, echo_id, s) for s in seqs]
        check([orig_of(e) for e in got] == want and
              all(e['id'] == 0 and e['seq'] == 0 and e['mtu'] == mtu
                  for e in got),
              '%s: %s %s code %d on %s, mtu %d, quoting echo id %d seq %s'
              % (name, d, typ, code, dev, mtu, echo_id, seqs),
              '\n'.join(str(e) for e in got) or 'no such event')
    return req


def check_v6ttl(out, env):
    req = check_error6(out, env, 'v6ttl', [1, 2], 'time-exceeded', 0,
                       'Time exceeded: Hop limit')
    check(req and all(e['hop_limit'] == 1 for e in req),
          'v6ttl: the requests left with hop limit 1')


def check_v6ptb(out, env):
    req = check_error6(out, env, 'v6ptb', [1], 'packet-too-big', 0,
                       'Packet too big: mtu=1280', mtu=1280)
    check(req and all(e['payload_len'] == 1408 and not e['has_frag']
                      for e in req),
          'v6ptb: the request left whole, payload 1408, no fragment header')


def check_selftest_log(out, name, desc, minimum):
    try:
        with open('%s/%s.log' % (out, name)) as f:
            log = f.read()
        with open('%s/%s.rc' % (out, name)) as f:
            rc = int(f.read())
    except (OSError, ValueError):
        log, rc = '', None
    ok = len(re.findall(r'^TEST: .*\[ OK \]$', log, re.M))
    failed = len(re.findall(r'^TEST: .*\[FAIL\]$', log, re.M))
    check(rc == 0 and ok >= minimum and not failed,
          'selftest: %s passed (rc %s, %d ok, %d failed)'
          % (desc, rc, ok, failed),
          '\n'.join(l for l in log.splitlines() if 'TEST:' in l or 'SKIP' in l))


def check_ftracetest6(out):
    try:
        with open('%s/selftest6.log' % out) as f:
            log = f.read()
        with open('%s/selftest6.rc' % out) as f:
            rc = int(f.read())
    except (OSError, ValueError):
        log, rc = '', None
    counts = dict((k, int(v)) for k, v in
                  re.findall(r'^# of ([a-z ()]+):\s+(\d+)', log, re.M))
    bad = sum(v for k, v in counts.items() if k != 'passed')
    check(rc == 0 and counts.get('passed', 0) >= 1 and bad == 0,
          'selftest: ftracetest test.d/event/net-ip6_icmp.tc passed %s'
          % counts)
    try:
        with open('%s/selftest6-broken.log' % out) as f:
            log = f.read()
        with open('%s/selftest6-broken.rc' % out) as f:
            rc = int(f.read())
        with open('%s/selftest6-broken.changed' % out) as f:
            changed = int(f.read())
    except (OSError, ValueError):
        log, rc, changed = '', None, 0
    counts = dict((k, int(v)) for k, v in
                  re.findall(r'^# of ([a-z ()]+):\s+(\d+)', log, re.M))
    check(changed == 1 and rc not in (None, 0) and
          counts.get('failed', 0) >= 1 and counts.get('passed', 1) == 0 and
          'no SND echo-request event for ::1' in log,
          'selftest: net-ip6_icmp.tc with a filter on ::2 fails and '
          'prints why (rc %s, %s)' % (rc, counts))


def main():
    out = sys.argv[1]
    env = read_env('%s/bench.env' % out)
    check_veth(out, env, 'veth-v6', ['veth-v6'])
    events = check_veth(out, env, 'veth-v7',
                        ['veth-v7.cpu0', 'veth-v7.cpu1'])
    cpus = sorted(set(e['cpu'] for e in events))
    check(cpus == list(range(env['nproc'])),
          'veth-v7: every CPU recorded events (%s)' % cpus)
    check_lo(out, env)
    check_nohost(out, env)
    check_frag(out, env)
    check_gro(out, env)
    check_bcast(out, env)
    check_ttl(out, env)
    check_fragneeded(out, env)
    check_v6arrayfilter(out)
    check_v6(out, env)
    check_v6frag(out, env)
    check_v6filter(out, env)
    check_v6ttl(out, env)
    check_v6ptb(out, env)
    check_net_selftest(out)
    check_selftest(out)
    check_selftest_broken(out)
    check_selftest_log(out, 'net6-selftest',
                       'selftests/net/ip6_icmp_trace.sh', 19)
    check_ftracetest6(out)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
