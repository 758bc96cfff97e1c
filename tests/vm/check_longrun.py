#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check the longrun scenario (tests/vm/guest/longrun.sh, make
test-long): pingtrace live through a long session of fast answered
pings, its resident memory flat and nothing lost.

usage: check_longrun.py OUTDIR [MIN_RATE]   (TAP; non-zero on failure)

MIN_RATE (echoes a second, 200 by default) is what the guest must have
sent for the run to say anything about a rate; the rate reached is
printed either way.
"""
import json
import os
import re
import sys

from checklib import (check, finish, info, ping_text, pingtrace_jsonl,
                      read_env, read_result, result_rc)
from reportlib import report


def main():
    out = sys.argv[1]
    min_rate = float(sys.argv[2]) if len(sys.argv) > 2 else 200.0
    log = read_result(out, 'guest.log') or ''
    check('longrun: done' in log, 'the longrun scenario ran to its end',
          log[-2000:])
    env = read_env('%s/longrun.env' % out)
    seconds = env.get('seconds')
    try:
        ping_seconds = float(env.get('ping_seconds'))
    except (TypeError, ValueError):
        ping_seconds = None

    # pingtrace.pingers: the pings side by side, their counts added up
    try:
        pingers = int(env.get('pingers', '1'))
    except ValueError:
        pingers = 0
    texts = [read_result(out, 'longrun.ping.%d' % n)
             for n in range(1, pingers + 1)]
    counts = [ping_text(t)[1:] for t in texts]
    check(pingers >= 1 and all(tx is not None and rx is not None
                               for tx, rx in counts),
          'each of the %d pings printed its totals' % pingers,
          '\n'.join(t or '(none)' for t in texts))
    tx = sum(c[0] or 0 for c in counts)
    rx = sum(c[1] or 0 for c in counts)
    check(tx and rx == tx,
          'ping: %s requests, %s replies, none lost (%s)'
          % (tx, rx, ', '.join('%s/%s' % c for c in counts)),
          '\n'.join(t or '(none)' for t in texts))
    rate = tx / ping_seconds if tx and ping_seconds else 0
    info('%d pings ran %s s (asked for %s s): %.0f echoes a second'
         % (pingers, ping_seconds, seconds, rate))
    check(rate >= min_rate, 'the run sent at least %.0f echoes a second '
          '(%.0f)' % (min_rate, rate))

    by_type, bad = pingtrace_jsonl(read_result(out, 'longrun.json'))
    summaries = by_type.get('summary', [])
    s = summaries[-1] if summaries else {}
    check(result_rc(out, 'longrun') == 0 and not bad and len(summaries) == 1,
          'pingtrace: exit 0 on SIGINT, one JSON summary',
          read_result(out, 'longrun.err'))
    lost = s.get('events_lost') or 0
    err = read_result(out, 'longrun.err') or ''
    missing = 4 * tx - s.get('events', 0) if tx else None
    odd = by_type.get('echo', [])
    if lost == 0:
        check(s.get('sent') == tx and s.get('received') == rx and
              s.get('lost') == 0 and s.get('unknown') == 0 and
              s.get('unmatched') == 0,
              'pingtrace counted what ping counted: %s sent, %s received'
              % (tx, rx), json.dumps(s))
        check(missing == 0, 'pingtrace read 4 events an echo: %s of %s'
              % (s.get('events'), 4 * tx if tx else None))
        # under --slow 100 s only the echoes that did not end answered
        check(not odd, 'no echo ended other than answered (%d did)'
              % len(odd), '\n'.join(json.dumps(e) for e in odd[:20]))
        check(not err.strip(), 'pingtrace live printed no warning', err)
    else:
        # The 6.12 guest's ring buffer keeps some records from read()
        # (consumer/ring.c, pt_ring_ghosts()): then what ping answered
        # and pingtrace did not see must be within the losses it counted
        # and said, and none of it called "lost"
        info('pingtrace counted %d events lost: %s' % (lost, err.strip()))
        check(s.get('lost') == 0 and missing is not None and
              0 <= missing <= lost and tx - s.get('received', 0) <= lost and
              'counted as lost' in err,
              'every echo pingtrace missed is within the %d events it said '
              'it lost (%s events missing, %s of %s echoes not received, '
              '0 lost)' % (lost, missing, tx - s.get('received', 0), tx),
              json.dumps(s) + '\n' + err)
        # a reply whose request was kept waits for the count: unknown
        check(s.get('unmatched') == 0, 'no reply called unmatched (%s): '
              'one whose request the kernel kept is unknown'
              % s.get('unmatched'), json.dumps(s))
        for e in odd[:10]:
            info('not answered: %s' % json.dumps(e))
    check(s.get('evicted') == 0, 'no request evicted (%s)'
          % s.get('evicted'))
    witness = os.path.join(out, 'witness.dat')
    if os.path.exists(witness):
        # LONGRUN_WITNESS=1: trace-cmd recorded a's requests in an
        # instance of its own, read with splice, not ring.c
        events, err, _ = report(witness)
        sent = [e for e in events if e['event'] == 'ip_icmp']
        check(err is None and len(sent) == tx,
              'witness: trace-cmd recorded the %s requests (%d)'
              % (tx, len(sent)), err)
        second = read_result(out, 'longrun2.json')
        if second is not None:
            info('second live (LONGRUN_WITNESS=2): %s'
                 % ' '.join(second.split('\n')[-3:]))
        seqs = {e.get('seq') for e in odd}
        for e in sent:
            if e.get('seq') in seqs:
                info('witness: %s' % e['rest'][:160])

    text = read_result(out, 'longrun.rss') or ''
    anon = [int(v) for v in re.findall(r'RssAnon:\s+(\d+) kB', text)]
    rss = [int(v) for v in re.findall(r'VmRSS:\s+(\d+) kB', text)]
    want = int(ping_seconds // 10) - 1 if ping_seconds else 1
    # the sampling loop's own time makes a loaded guest miss a few
    want = max(want * 9 // 10, 2)
    check(len(anon) >= want,
          'a memory sample about every 10 s (%d of at least %d)'
          % (len(anon), want))
    # The baseline is the sample at 30 s: by then the tables, the
    # ring-buffer pages and malloc's arenas have met the steady rate
    # (a 60 s run grew 7208, 7480, 7596 kB, then stayed).  Answered
    # echoes leave nothing behind: from there, one extension of malloc's
    # heap (its 128 KB top pad) is allowed; growth with the session's
    # length, even 1 byte an echo, is not.
    base = 2 if len(anon) >= 4 else 0
    if len(anon) > base + 1:
        grow = max(anon[base + 1:]) - anon[base]
        check(grow * 1024 <= 128 * 1024,
              'anonymous memory flat from 30 s on, over %s echoes: %d kB '
              'to at most %d kB (+%d kB)'
              % (tx, anon[base], max(anon[base + 1:]), grow),
              ' '.join(map(str, anon)))
    info('RssAnon kB: %s' % ' '.join(map(str, anon)))
    info('VmRSS kB: %s' % ' '.join(map(str, rss)))
    return finish()


if __name__ == '__main__':
    sys.exit(main())
