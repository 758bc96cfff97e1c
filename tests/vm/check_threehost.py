#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check the three-guest bench (tests/vm/run-threevms.sh, guest scenarios
threehost-a.sh, -b.sh, -c.sh): guests A, B and C in a triangle of
virtio-net links, each recording with pingtrace record, in two steps:

chain:    A pings B, B pings C; A never pings C.  pingtrace report
          -i A -i B -i C can only put C on A's clock through B: C's
          offset must be chained via B, its bound the sum of the two.
triangle: A pings B and C, B pings C.  The A-C edge and the path A-B-C
          both give C's offset to A: they agree within the sum of their
          bounds.  With B as the reference (-i B -i C -i A), C - A is
          C - B less A - B: it agrees with A's report within the bounds.

In both: every echo that ping answered is in pingtrace's merged report
once, answered, out, target and back all positive and adding up to the
rtt exactly, and that rtt is the requester's own, as trace-cmd report
reads the requester's file.  C's chained offset (chain) and C's offset
in the triangle agree too: two recordings seconds apart, of the same two
monotonic clocks.

usage: check_threehost.py OUTDIR PINGTRACE
(TAP; non-zero on failure)
"""
import json
import os
import subprocess
import sys

from checklib import check, finish, info, ping_file
from reportlib import echoes, report

AB_A, AB_B = '198.51.100.1', '198.51.100.2'
AC_A, AC_C = '203.0.113.1', '203.0.113.3'
BC_B, BC_C = '192.0.2.2', '192.0.2.3'
REQ, REP = 'echo-request', 'echo-reply'

# each step's pings: (requester, responder, src, dst, requester's NIC,
# ping's output file)
PINGS = {
    'chain': [('A', 'B', AB_A, AB_B, 'ab', 'a/chain-A-ping-B.out'),
              ('B', 'C', BC_B, BC_C, 'bc', 'b/chain-B-ping.out')],
    'tri': [('A', 'B', AB_A, AB_B, 'ab', 'a/tri-A-ping-B.out'),
            ('A', 'C', AC_A, AC_C, 'ac', 'a/tri-A-ping-C.out'),
            ('B', 'C', BC_B, BC_C, 'bc', 'b/tri-B-ping.out')],
}


def dat(outdir, step, host):
    return os.path.join(outdir, host.lower(), '%s-%s.dat' % (step, host))


def rc_of(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def run(pingtrace, fmt, inputs):
    """(stdout, stderr, rc) of pingtrace report -F FMT -i NAME=FILE..."""
    args = [pingtrace, 'report', '-F', fmt]
    for name, path in inputs:
        args += ['-i', '%s=%s' % (name, path)]
    p = subprocess.run(args, capture_output=True, text=True)
    return p.stdout, p.stderr, p.returncode


def json_records(text):
    """(echo records, the summary) of pingtrace's JSON Lines"""
    recs, summary = [], None
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get('type') == 'echo':
            recs.append(rec)
        elif rec.get('type') == 'summary':
            summary = rec
    return recs, summary


def requester_rtts(path, dev, src, dst):
    """{seq: rtt} as trace-cmd report reads the requester's own file"""
    ev, err, _ = report(path)
    if err:
        return None, err
    out = echoes(ev, 'SND', dev, src, dst, REQ)
    back = echoes(ev, 'RCV', dev, dst, src, REP)
    return dict((s, back[s][0]['ts'] - out[s][0]['ts']) for s in out
                if len(out[s]) == 1 and len(back.get(s, [])) == 1), None


def check_echoes(label, outdir, step, recs):
    """Each ping's answered seqs: once in pingtrace's merged report, ok,
    out + target + back == rtt == the requester's own rtt"""
    for req, rsp, src, dst, dev, ping_out in PINGS[step]:
        what = '%s: %s -> %s' % (label, req, rsp)
        times, tx, rx = ping_file(os.path.join(outdir, ping_out))
        check(tx and rx == tx, '%s: ping %s transmitted, %s received'
              % (what, tx, rx))
        rtts, err = requester_rtts(dat(outdir, step, req), dev, src, dst)
        check(rtts is not None, '%s: trace-cmd report reads %s\'s file'
              % (what, req), err)
        rtts = rtts or {}
        mine = [r for r in recs if r.get('src') == src and
                r.get('dst') == dst]
        for seq in sorted(times):
            got = [r for r in mine if r['seq'] == seq]
            if not check(len(got) == 1 and got[0]['status'] == 'ok' and
                         got[0].get('src_host') == req and
                         got[0].get('dst_host') == rsp,
                         '%s: seq %d once, answered, %s to %s'
                         % (what, seq, req, rsp), got):
                continue
            r = got[0]
            parts = (r.get('out_ns'), r.get('target_ns'), r.get('back_ns'))
            if not check(all(isinstance(x, int) and x > 0 for x in parts),
                         '%s: seq %d: out, target, back all positive %s'
                         % (what, seq, parts)):
                continue
            check(sum(parts) == r['rtt_ns'] == rtts.get(seq),
                  '%s: seq %d: out + target + back == rtt == %s\'s own: '
                  '%d + %d + %d == %d == %s' % ((what, seq, req) + parts +
                                               (r['rtt_ns'],
                                                rtts.get(seq))))
            info('%s: seq %d: out %d, in %s %d, back %d, rtt %d ns '
                 '(bound %s)' % (what, seq, parts[0], rsp, parts[1],
                                 parts[2], r['rtt_ns'],
                                 r.get('oneway_bound_ns')))


def hosts_of(summary):
    return dict((h['name'], h) for h in (summary or {}).get('hosts', []))


def edge(summary, x, y):
    """(offset of y - x, bound, echoes) of the edge x-y, or None"""
    for e in (summary or {}).get('edges', []):
        if (e['from'], e['to']) == (x, y):
            return e['offset_ns'], e['bound_ns'], e['echoes']
        if (e['from'], e['to']) == (y, x):
            return -e['offset_ns'], e['bound_ns'], e['echoes']
    return None


def merged(label, outdir, step, pingtrace, inputs):
    """pingtrace report of @inputs, text and JSON: the echoes checked;
    returns the JSON summary"""
    text, err, rc = run(pingtrace, 'text', inputs)
    check(rc == 0, '%s: pingtrace report %s exited 0 (%s)'
          % (label, ' '.join('-i %s' % n for n, _ in inputs), rc), err)
    lines = text.splitlines()
    info('%s: pingtrace report, its summary:' % label)
    start = next((i for i, ln in enumerate(lines)
                  if ln.startswith('--- pingtrace')), len(lines))
    for line in lines[start:]:
        info('  ' + line)
    for line in err.splitlines():
        info('  stderr: ' + line)
    check(not err.strip(), '%s: no warning: every offset is of echoes '
          'whose intervals meet' % label, err)
    jtext, jerr, jrc = run(pingtrace, 'json', inputs)
    check(jrc == 0, '%s: pingtrace report -F json exited 0' % label, jerr)
    recs, summary = json_records(jtext)
    hosts = hosts_of(summary)
    check(len(hosts) == 3, '%s: the JSON summary has three hosts' % label,
          jtext[-800:])
    for name, h in sorted(hosts.items()):
        if name == inputs[0][0]:
            continue
        ok = isinstance(h.get('offset_ns'), int) and \
            isinstance(h.get('offset_bound_ns'), int) and \
            h['offset_bound_ns'] > 0 and h.get('offset_source') in \
            ('estimated', 'tsync', 'chained')
        check(ok, '%s: host %s has an offset with a bound: %s ns, bound %s '
              'ns, %s via %s' % (label, name, h.get('offset_ns'),
                                 h.get('offset_bound_ns'),
                                 h.get('offset_source'), h.get('via')))
        check(('clock %s - %s = %s ns, bound %s ns, %s' %
               (name, inputs[0][0], h.get('offset_ns'),
                h.get('offset_bound_ns'), h.get('offset_source'))) in text,
              '%s: the text summary says %s\'s offset, bound and source'
              % (label, name))
    if inputs[0][0] == 'A':
        check_echoes(label, outdir, step, recs)
    return summary, text, recs


def check_step_rc(outdir, step):
    for host in 'ABC':
        rc = rc_of(os.path.join(outdir, host.lower(), '%s-%s.rc'
                                % (step, host)))
        check(rc == '0', '%s: %s\'s pingtrace record exited 0 (%s)'
              % (step, host, rc))
        check(os.path.exists(dat(outdir, step, host)), '%s: %s\'s file '
              'came out' % (step, host))


def check_chain(outdir, pingtrace):
    check_step_rc(outdir, 'chain')
    inputs = [(h, dat(outdir, 'chain', h)) for h in 'ABC']
    summary, text, recs = merged('chain', outdir, 'chain', pingtrace,
                                 inputs)
    hosts = hosts_of(summary)
    b, c = hosts.get('B', {}), hosts.get('C', {})
    check(b.get('offset_source') == 'estimated', 'chain: B\'s offset is '
          'estimated from its echoes with A (%s)' % b.get('offset_source'))
    check(c.get('offset_source') == 'chained' and c.get('via') == ['B'],
          'chain: C\'s offset is chained via B (%s via %s)'
          % (c.get('offset_source'), c.get('via')))
    check(edge(summary, 'A', 'C') is None, 'chain: no echo between A and C')
    bc = edge(summary, 'B', 'C')
    if not check(bc is not None and 'offset_ns' in b and 'offset_ns' in c,
                 'chain: the B-C edge is in the summary'):
        return None
    want = b['offset_ns'] + bc[0], b['offset_bound_ns'] + bc[1]
    check((c['offset_ns'], c['offset_bound_ns']) == want,
          'chain: C - A = (B - A) + (C - B): %d = %d + %d, bound %d = %d + '
          '%d' % (c['offset_ns'], b['offset_ns'], bc[0],
                  c['offset_bound_ns'], b['offset_bound_ns'], bc[1]))
    check('chained via B: B - A = ' in text, 'chain: the text says C is '
          'chained via B, step by step')
    # C - B is B's offset plus the B-C edge, less B's: B-C's bound alone
    bounds = set(r.get('oneway_bound_ns') for r in recs
                 if r.get('src_host') == 'B' and r.get('dst_host') == 'C')
    check(bounds == set([bc[1]]), 'chain: B -> C one-way delays are '
          'bounded by the B-C edge alone (%s == %d)' % (sorted(bounds),
                                                         bc[1]))
    return c['offset_ns'], c['offset_bound_ns'], b['offset_ns'], \
        b['offset_bound_ns']


def agree(label, x, bx, y, by):
    diff = x - y
    check(abs(diff) <= bx + by, '%s: %d and %d agree within %d + %d: '
          '|%d| <= %d ns' % (label, x, y, bx, by, diff, bx + by))


def check_triangle(outdir, pingtrace, chained):
    check_step_rc(outdir, 'tri')
    inputs = [(h, dat(outdir, 'tri', h)) for h in 'ABC']
    summary, _, _ = merged('triangle', outdir, 'tri', pingtrace, inputs)
    hosts = hosts_of(summary)
    ab, ac, bc = (edge(summary, 'A', 'B'), edge(summary, 'A', 'C'),
                  edge(summary, 'B', 'C'))
    if not check(ab and ac and bc, 'triangle: the summary has the three '
                 'edges A-B, A-C, B-C'):
        return
    for name, e in (('A-B', ab), ('A-C', ac), ('B-C', bc)):
        info('triangle: edge %s: offset %d ns, bound %d ns, %d echoes'
             % ((name,) + e))
    c = hosts.get('C', {})
    info('triangle: C\'s offset used: %s ns, bound %s ns, %s via %s'
         % (c.get('offset_ns'), c.get('offset_bound_ns'),
            c.get('offset_source'), c.get('via')))
    # the path through B, with B's reference edge as the tool weighs it
    b = hosts.get('B', {})
    via_b = b['offset_ns'] + bc[0], b['offset_bound_ns'] + bc[1]
    info('triangle: C - A direct (edge A-C) %d ns, bound %d; via B %d ns, '
         'bound %d' % (ac[0], ac[1], via_b[0], via_b[1]))
    agree('triangle: C - A direct and via B', ac[0], ac[1], via_b[0],
          via_b[1])
    smaller = 'chained' if via_b[1] < ac[1] else 'estimated'
    check(c.get('offset_source') == smaller, 'triangle: C\'s offset is the '
          'path of smaller bound (%s, %s)' % (smaller,
                                              c.get('offset_source')))
    if chained:
        agree('chain vs triangle: C - A chained (chain step) and used '
              '(triangle step)', chained[0], chained[1], c['offset_ns'],
              c['offset_bound_ns'])
        agree('chain vs triangle: B - A', chained[2], chained[3],
              b['offset_ns'], b['offset_bound_ns'])
    # B as the reference: C - A = (C - B) - (A - B)
    binputs = [inputs[1], inputs[2], inputs[0]]
    bsum, _, _ = merged('triangle, B first', outdir, 'tri', pingtrace,
                        binputs)
    bh = hosts_of(bsum)
    if not check('offset_ns' in bh.get('A', {}) and
                 'offset_ns' in bh.get('C', {}),
                 'triangle, B first: A and C have offsets to B'):
        return
    a_b, c_b = bh['A'], bh['C']
    c_a = c_b['offset_ns'] - a_b['offset_ns']
    c_a_bound = c_b['offset_bound_ns'] + a_b['offset_bound_ns']
    info('triangle, B first: A - B %d ns (bound %d, %s), C - B %d ns '
         '(bound %d, %s): C - A %d ns, bound %d' %
         (a_b['offset_ns'], a_b['offset_bound_ns'], a_b['offset_source'],
          c_b['offset_ns'], c_b['offset_bound_ns'], c_b['offset_source'],
          c_a, c_a_bound))
    agree('triangle: C - A with A first and with B first', c['offset_ns'],
          c['offset_bound_ns'], c_a, c_a_bound)


def main():
    outdir, pingtrace = sys.argv[1], sys.argv[2]
    chained = check_chain(outdir, pingtrace)
    check_triangle(outdir, pingtrace, chained)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
