#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check what pingtrace did in the guest's consumer scenario.

Compares pingtrace's JSON Lines with what iputils ping itself printed for
the same echoes, and tracefs afterwards with tracefs before.  Prints one
line per check and a final 'N passed, N failed' line.
"""
import json
import re
import sys

from checklib import (A, B, NOHOST, check, finish, info, ping_text,
                      pingtrace_jsonl, read_result, result_rc)

out = '.'


def read(name, default=None):
    return read_result(out, name, default)


def rc(name):
    return result_rc(out, name)


def jsonl(name):
    """(echoes, summaries, events, bad lines) of a pingtrace JSON file;
    a record of any other type is a bad line too, but drops (-e)"""
    by_type, bad = pingtrace_jsonl(read('%s.json' % name))
    for t, objs in by_type.items():
        if t not in ('echo', 'summary', 'event', 'drop'):
            bad.extend(objs)
    return (by_type.get('echo', []), by_type.get('summary', []),
            by_type.get('event', []), bad)


def ping(name):
    """{seq: rtt_ns upper bound} and (transmitted, received) of a ping"""
    return ping_text(read('%s.ping' % name))


def expanded(before, after):
    """Up to 6.6, the first use of any trace event or instance expands the
    top-level ring buffer from its boot-time size, '7 (expanded: 1408)', to
    the size it announced (rounded up to pages): a one-time allocation of
    the kernel's, not a setting anyone made.  Accept exactly that."""
    m = re.search(r'^buffer_size_kb: \d+ \(expanded: (\d+)\)$', before or '',
                  re.M)
    if not m or after is None:
        return after
    want = int(m.group(1))

    def same(a):
        return m.group(0) if want <= int(a.group(1)) <= want + 16 \
            else a.group(0)
    return re.sub(r'^buffer_size_kb: (\d+)$', same, after, flags=re.M)


def unchanged(name):
    """tracefs after a pingtrace run is as it was just before it."""
    before = read('%s.before' % name) or read('tracing.before')
    after = expanded(before, read('%s.after' % name))
    return check(after is not None and after == before,
                 '%s: tracing left as it was found' % name,
                 'before:\n%s\nafter:\n%s' % (before, after))


def check_summary(name, summaries, **want):
    s = summaries[-1] if summaries else {}
    got = {k: s.get(k) for k in want}
    check(len(summaries) == 1 and got == want,
          '%s: summary %s' % (name, want), 'got %s' % got)
    return s


def check_ok_echoes(name, echoes, pings, src, dst, four_point=True):
    """Every echo answered; kernel rtt positive and within ping's rtt."""
    bounds = {}
    for p in pings:
        times, tx, rx = ping(p)
        check(tx is not None and tx == rx and tx == len(times),
              '%s: %s got every reply (%s/%s)' % (name, p, rx, tx))
        for seq, t in times.items():
            bounds[seq] = max(bounds.get(seq, 0), t)
    ok_echoes = [e for e in echoes if e['status'] == 'ok']
    check(len(ok_echoes) == len(echoes) and
          len(echoes) == sum(ping(p)[1] or 0 for p in pings),
          '%s: %d echoes, all ok' % (name, len(echoes)),
          '\n'.join(json.dumps(e) for e in echoes))
    bad = [e for e in ok_echoes
           if not (e['src'] == src and e['dst'] == dst and
                   e['recv_ns'] - e['send_ns'] == e['rtt_ns'] and
                   0 < e['rtt_ns'] <= bounds.get(e['seq'], 0))]
    check(not bad, '%s: kernel rtt > 0 and <= ping\'s rtt for every seq'
          % name, '\n'.join('%s (ping bound %s ns)' %
                            (json.dumps(e), bounds.get(e['seq']))
                            for e in bad))
    if four_point:
        bad = [e for e in ok_echoes
               if not (e['send_ns'] < e.get('target_recv_ns', -1) <=
                       e.get('target_send_ns', -1) < e['recv_ns'])]
        check(not bad, '%s: four-point breakdown in time order' % name,
              '\n'.join(json.dumps(e) for e in bad))
    return ok_echoes


def check_live_veth():
    name = 'live-veth'
    echoes, summaries, events, bad = jsonl(name)
    check(rc(name) == 0 and not bad, '%s: exit 0, valid JSON Lines' % name,
          read('%s.err' % name))
    check_ok_echoes(name, echoes, [name], A, B)
    check(sorted(e['seq'] for e in echoes) == [1, 2, 3, 4, 5],
          '%s: seq 1..5' % name)
    check(len(events) == 20, '%s: --events gives the 20 events' % name)
    check_summary(name, summaries, sent=5, received=5, lost=0, dup=0,
                  unmatched=0, events_lost=0)
    # skb:kfree_skb by default: the drops of answered echoes' packets (a
    # root ping's raw socket takes a copy, the kernel frees the reply
    # with NO_SOCKET) are records of their own, attached to no echo
    drops = pingtrace_jsonl(read('%s.json' % name))[0].get('drop', [])
    s = summaries[-1] if summaries else {}
    check(all(d['attached'] is False and d['icmp_type'] == 0 and
              d['seq'] in range(1, 6) for d in drops) and
          s.get('drops') == 0 and
          s.get('drops_answered', 0) == len(drops),
          '%s: %d drops, each of an answered echo\'s reply, none an '
          'echo\'s end' % (name, len(drops)),
          '\n'.join(json.dumps(d) for d in drops) + '\n' + json.dumps(s))
    for d in drops[:1]:
        info('%s: seq %d reply freed at %s (%s) after delivery' %
             (name, d['seq'], d['drop']['location'], d['drop']['reason']))
    unchanged(name)


def check_live_text():
    name = 'live-text'
    text = read('live-text.txt') or ''
    check(rc(name) == 0, '%s: exit 0' % name, read('%s.err' % name))
    rcv = [l for l in text.splitlines()
           if l.startswith('RCV') and 'echo-reply' in l and 'rtt=' in l]
    check(len(rcv) == 5, '%s: five reply lines with rtt' % name, text)
    check(re.search(r'^5 requests, 5 replies, 0% loss', text, re.M),
          '%s: ping-style summary' % name, text)


def check_live_nohost():
    name = 'live-nohost'
    echoes, summaries, _, _ = jsonl(name)
    times, tx, rx = ping(name)
    check(rc(name) == 0 and tx == 3 and rx == 0,
          '%s: ping sent 3, got nothing' % name)
    check(len(echoes) == 3 and all(e['status'] == 'lost' and e['dst'] ==
                                   NOHOST for e in echoes),
          '%s: three echoes lost' % name,
          '\n'.join(json.dumps(e) for e in echoes))
    check_summary(name, summaries, sent=3, received=0, lost=3, dup=0,
                  unmatched=0, events_lost=0)
    unchanged(name)


def check_simple(name, pings, src, dst, n, four_point=True):
    echoes, summaries, _, bad = jsonl(name)
    check(rc(name) == 0 and not bad, '%s: exit 0, valid JSON Lines' % name,
          read('%s.err' % name))
    ok = check_ok_echoes(name, echoes, pings, src, dst, four_point)
    check_summary(name, summaries, sent=n, received=n, lost=0, dup=0,
                  unmatched=0, events_lost=0)
    unchanged(name)
    return ok


def check_live_two():
    ok = check_simple('live-two', ['live-two.0', 'live-two.1'], A, B, 10)
    ids = set(e['id'] for e in ok)
    check(len(ids) == 2 and all(sorted(e['seq'] for e in ok if e['id'] == i)
                                == [1, 2, 3, 4, 5] for i in ids),
          'live-two: two echo ids, seq 1..5 each')


def check_live_jq():
    """live -F json -- ping, piped through jq: ping's lines went to
    stderr, and every line on stdout is JSON."""
    name = 'live-jq'
    jqrc = read('%s.jqrc' % name)
    lines = (read('%s.json' % name) or '').splitlines()
    parsed = (read('%s.jq' % name) or '').splitlines()
    check(jqrc is not None and int(jqrc) == 0 and lines and
          len(parsed) == len(lines),
          '%s: jq parses every line of live -F json (%d)' % (name, len(lines)),
          read('%s.jqerr' % name))
    _, tx, rx = ping(name)
    check(tx == 3 and rx == 3, "%s: ping's own output went to stderr" % name,
          read('%s.err' % name))
    check_simple(name, [name], A, B, 3)


def check_event_account(name, summary, tx, rx):
    """Every event of a veth flood is read or counted lost: 4 net:ip_icmp
    events for an answered echo, up to 4 for one that was not, and at
    most one skb:kfree_skb per echo (the kernel frees a root ping's reply
    with NO_SOCKET once the raw socket has its copy)."""
    read_ = summary.get('events', 0)
    drops = summary.get('drop_events', 0)
    lost = summary.get('events_lost', 0)
    check(4 * rx <= read_ + drops + lost <= 5 * tx and drops <= tx,
          '%s: %d events + %d drops read + %d lost, for %d echoes answered '
          'of %d' % (name, read_, drops, lost, rx, tx))
    if not lost:
        check(4 * rx <= read_ <= 4 * tx,
              '%s: nothing lost: 4 net:ip_icmp events per echo (%d)'
              % (name, read_))
    info('%s: skb:kfree_skb read %d, of answered echoes %d, of echoes %d'
         % (name, drops, summary.get('drops_answered', 0),
            summary.get('drops', 0)))


def check_live_flood():
    name = 'live-flood'
    echoes, summaries, _, _ = jsonl(name)
    times, tx, rx = ping(name)
    check(rc(name) == 0 and tx == 2000, '%s: ping -f sent 2000' % name)
    check(not echoes, '%s: -q prints the summary only' % name)
    check_summary(name, summaries, sent=tx, received=rx, lost=tx - rx,
                  dup=0, unmatched=0, events_lost=0)
    check_event_account(name, summaries[-1] if summaries else {}, tx, rx)
    unchanged(name)


def check_live_tiny():
    """Ring buffer overruns are counted, and never become packet loss."""
    name = 'live-tiny'
    echoes, summaries, _, _ = jsonl(name)
    times, tx, rx = ping(name)
    s = summaries[-1] if summaries else {}
    check(rc(name) == 0 and tx == 3000 and len(summaries) == 1,
          '%s: ping -f sent 3000, pingtrace -b 4 ran' % name,
          read(name + '.err'))
    check(s.get('events_lost', 0) > 0,
          '%s: the overrun is reported (%s events lost)'
          % (name, s.get('events_lost')))
    check(s.get('lost') == tx - rx and s.get('sent', 0) <= tx and
          s.get('received', 0) + s.get('unknown', 0) <= tx,
          '%s: no echo called lost that ping got back (%s)' % (name, s))
    check_event_account(name, s, tx, rx)
    unchanged(name)


def check_memory():
    """Memory is bounded by outstanding requests, not the trace's length."""
    name = 'mem'
    echoes, summaries, _, _ = jsonl(name)
    times, tx, rx = ping(name)
    s = summaries[-1] if summaries else {}
    check(rc(name) == 0 and tx is not None and tx >= 1000 and rx == 0,
          '%s: pingtrace ran through %s unanswered pings' % (name, tx),
          read(name + '.err'))
    check(s.get('sent') == tx and s.get('lost') == tx and
          s.get('evicted') == 0,
          '%s: every request counted and lost, none evicted (%s)'
          % (name, s))
    rss = [int(v) for v in re.findall(r'RssAnon:\s+(\d+) kB',
                                        read('mem.rss') or '')]
    # The first sample is the baseline: the ring buffer and tables are
    # allocated by then.  Keeping anything per request would cost well
    # over 16 bytes each.  The tables' pages are touched as the number
    # of requests outstanding at once peaks (a second of them): one
    # extension of malloc's heap (its top pad, 128 KB) after the
    # baseline is that, not the trace's length.
    check(len(rss) == 6 and tx and
          (max(rss[1:]) - rss[0]) * 1024 < 16 * tx + 128 * 1024,
          '%s: anonymous memory flat over 30 s and %s requests (%s kB)'
          % (name, tx, rss))
    unchanged(name)


def check_filter():
    kfilter = read('filter.kernel') or ''
    # the address as the kernel compares a u8[4]: a native (little) endian u32
    want = '0x%x' % int.from_bytes(bytes(int(x) for x in B.split('.')),
                                   'little')
    check(want in kfilter.lower(), 'filter: the instance filter compares '
          'the address as a native-endian u32 (%s)' % want, kfilter)

    def entries(stats):
        n = 0
        for key in ('entries', 'read events'):
            n += sum(int(v) for v in re.findall(r'^%s: (\d+)' % key,
                                                stats, re.M))
        return n
    nohost, b = read('filter.stats.nohost') or '', read('filter.stats.b') or ''
    check('entries' in nohost and entries(nohost) == 0,
          'filter: pings to another host never reach the ring buffer', nohost)
    check(entries(b) >= 12, 'filter: pings to the target do (%d events)'
          % entries(b), b)
    echoes, summaries, _, _ = jsonl('filter')
    check(rc('filter') == 0 and len(echoes) == 3 and
          all(e['status'] == 'ok' and e['dst'] == B for e in echoes),
          'filter: three echoes to the target, none other')
    unchanged('filter')


def check_signals():
    for sig in ('INT', 'TERM'):
        name = 'sig' + sig
        echoes, summaries, _, _ = jsonl(name)
        check(rc(name) == 0, '%s: clean exit 0' % name, read(name + '.err'))
        check(len(echoes) == 2 and all(e['status'] == 'ok' for e in echoes)
              and len(summaries) == 1,
              '%s: the echoes and the summary are printed' % name)
        unchanged(name)
    # stderr holds the "tracing ... Ctrl-C to stop" banner, and no error
    errors = [l for l in (read('sigpipe.err') or '').splitlines()
              if not l.startswith('pingtrace: tracing ')]
    check(rc('sigpipe') == 0 and not errors and
          len((read('sigpipe.txt') or '').splitlines()) == 1,
          'sigpipe: quiet exit 0 when head closes the pipe',
          read('sigpipe.err'))
    unchanged('sigpipe')
    echoes, summaries, _, _ = jsonl('crash')
    check(rc('crash') == 0 and len(echoes) == 2 and len(summaries) == 1,
          'crash: a crashing command still gets its echoes and summary',
          read('crash.err'))
    unchanged('crash')


def check_two_pingtraces():
    for name, dst in (('both-b', B), ('both-lo', '127.0.0.1')):
        echoes, summaries, _, _ = jsonl(name)
        check(rc(name) == 0 and len(echoes) == 4 and
              all(e['status'] == 'ok' and e['dst'] == dst for e in echoes),
              '%s: four echoes to %s only' % (name, dst), read(name + '.err'))
    unchanged('both')


def check_reports():
    check_simple('report-rec-v6', ['rec-v6'], A, B, 5)
    check_simple('report-rec-v7', ['rec-v7.0', 'rec-v7.1'], A, B, 10)
    check_simple('report-rec-frag', ['rec-frag'], A, B, 3)
    name = 'report-rec-damaged'
    check((read('rec-damaged.tcrc') or '').strip() != '',
          'rec-damaged: trace-cmd wrote a file without /proc/kallsyms')
    err = read(name + '.err') or ''
    check(rc(name) not in (0, None) and (read(name + '.json') or '') == ''
          and 'kallsyms' in err and 'version 7' in err,
          '%s: pingtrace says the file is damaged and why' % name, err)
    check(rc('ptrec') == 0, 'ptrec: pingtrace record works without '
          '/proc/kallsyms', read('ptrec.err'))
    check_simple('report-ptrec', ['ptrec'], A, B, 3)
    text = read('report-text.txt') or ''
    check(rc('report-text') == 0 and
          re.search(r'^5 requests, 5 replies, 0% loss', text, re.M),
          'report-text: text timeline and summary', text)


def check_errors():
    for name, what in (('err-nofile', 'No such file'),
                       ('err-notrace', ''),
                       ('err-noevent', 'net:ip_icmp'),
                       ('err-target', '198.51.100.300')):
        err = read(name + '.err') or ''
        check(rc(name) not in (0, None) and (read(name + '.json') or '') == ''
              and err.startswith('pingtrace: ') and what in err,
              '%s: non-zero exit, one clear message, no output' % name, err)


def check_stages():
    """pingtrace --stages on veth and loopback (issue 12)"""
    import os
    from stagecheck import (check_slow, check_stage_echoes,
                            check_stage_summary, check_stage_text, check_svg,
                            check_task_filter)
    veth = []
    for m in ('veth', 'lo'):
        check(rc('stages-rec-' + m) == 0 and rc('stages-' + m) == 0,
              'stages-%s: record --stages and report --stages exit 0 '
              '(%s, %s)' % (m, rc('stages-rec-' + m), rc('stages-' + m)),
              (read('stages-rec-%s.err' % m) or '') +
              (read('stages-%s.err' % m) or ''))
        echoes = check_stage_echoes('stages-' + m,
                                    read('stages-%s.json' % m),
                                    read('stages-%s.ping' % m), m)
        check_stage_summary('stages-' + m, read('stages-%s.json' % m),
                            echoes)
        check_task_filter('stages-' + m, os.path.join(out,
                                                      'stages-%s.dat' % m))
        if m == 'veth':
            veth = echoes
    check_stage_text('stages-text', read('stages-text.txt'), len(veth))
    info('stages-text (report --stages on veth):\n%s' %
         (read('stages-text.txt') or ''))
    thr = read('stages-slow.thr')
    check(rc('stages-slow') == 0 and thr and thr.strip().isdigit(),
          'stages-slow: report --slow at the median rtt exits 0 (%s, %s)'
          % (rc('stages-slow'), thr))
    if thr and thr.strip().isdigit():
        check_slow('stages-slow', read('stages-slow.json'), veth,
                   int(thr))
    check(rc('stages-svg') == 0, 'stages-svg: report --svg exits 0',
          read('stages-svg.err'))
    check_svg('stages-svg', os.path.join(out, 'stages-veth.svg'), veth, out)
    check(rc('stages-live') == 0, 'stages-live: live --stages exits 0',
          read('stages-live.err'))
    check_stage_echoes('stages-live', read('stages-live.json'),
                       read('stages-live.ping'), 'veth')


def main():
    global out
    out = sys.argv[1]
    check(rc('check') == 0 and 'net:ip_icmp' in (read('check.txt') or '') and
          'field:' in (read('check.txt') or ''),
          'check: finds net:ip_icmp and prints its format', read('check.txt'))
    check_live_veth()
    check_live_text()
    check_live_nohost()
    check_simple('live-frag', ['live-frag'], A, B, 3)
    check_simple('live-lo', ['live-lo'], '127.0.0.1', '127.0.0.1', 3)
    check_live_two()
    check_live_flood()
    check_live_tiny()
    check_memory()
    check_simple('live-all', ['live-all'], A, B, 2)
    check_live_jq()
    check_filter()
    check_signals()
    check_two_pingtraces()
    check_reports()
    check_errors()
    check_stages()
    return finish()


if __name__ == '__main__':
    sys.exit(main())
