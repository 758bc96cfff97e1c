#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write BENCHMARKS.md from the measurements of bench/run.sh.

usage: report.py OUTDIR > BENCHMARKS.md

Every number in the page is computed here from the files in OUTDIR;
nothing is typed in.  A part that was not measured is said to be
missing, never filled in.
"""
import os
import re
import statistics
import sys

# Issue 15: events per second against trace-cmd report's, with the
# timeline and with -q; anonymous memory flat (the largest file's RssAnon
# at most this much over the smallest's); startup no slower
TARGET_SPEEDUP = 20
TARGET_SPEEDUP_Q = 50
TARGET_FLAT = 1.25
TARGET_STARTUP = 1.0
# pingtrace live over 10 minutes of 1,000 echoes a second or more
TARGET_LONGRUN_SECONDS = 600
TARGET_LONGRUN_RATE = 1000


def read_kv(path):
    kv = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if '=' in line and not line.startswith('#'):
                    k, v = line.split('=', 1)
                    kv[k] = v.strip('"')
    return kv


def read_rows(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip() and not line.startswith('#'):
                    rows.append(line.split())
    return rows


def text(path, default=''):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return f.read().rstrip()


def spread(values):
    """(max - min) / median, in percent"""
    med = statistics.median(values)
    return 100.0 * (max(values) - min(values)) / med if med else 0.0


def fmt_int(v):
    return '{:,}'.format(int(round(v)))


# ---- the tracepoint's cost ------------------------------------------------

def cost_rows(out, kernel, part='cost-'):
    """{(path, mode): [(round, elapsed, events, echoes)]}"""
    rows = {}
    for r in read_rows(os.path.join(out, part + kernel, 'cost.txt')):
        path, mode, rnd, elapsed, events, echoes = r
        rows.setdefault((path, mode), []).append(
            (int(rnd), int(elapsed), int(events), int(echoes)))
    return rows


def paired_diffs(rows, path, mode):
    """Per round: (mode - off) instructions, and the mode's events"""
    off = {r[0]: r for r in rows.get((path, 'off'), [])}
    diffs = []
    for rnd, elapsed, events, _ in rows.get((path, mode), []):
        if rnd in off and events:
            diffs.append(((elapsed - off[rnd][1]) / events, events))
    return diffs


# the modes of bench-cost.sh, in the order of the tables; off first
COST_MODES = ('off', 'tracepoint', 'stages', 'kprobe', 'bpf', 'bpf-live',
              'bpftrace')


def section_cost(out, w):
    conf = read_kv(os.path.join(out, 'cost-patched', 'bench.conf'))
    patched = cost_rows(out, 'patched')
    vanilla = cost_rows(out, 'vanilla')
    w('## The tracepoint\'s cost, in the VM\n')
    if not patched:
        w('Not measured: %s/cost-patched/cost.txt is missing.\n' % out)
        return {}
    pings = int(conf.get('PINGS', 0))
    rounds = int(conf.get('ROUNDS', 0))
    w('Method: `bench-cost.sh` floods with `ping -f -c %d`, on loopback '
      '(127.0.0.1) and over veth between two network namespaces, %d '
      'round%s, the order of the modes rotating from round to round, all '
      'in one boot per kernel.  QEMU runs with `-icount shift=0,sleep=off` '
      'and one vCPU: the guest clock then advances one nanosecond per '
      'guest instruction, so a flood\'s elapsed guest time *is* its '
      'instruction count.  Events are counted from the ring buffer\'s '
      'per-CPU stats (entries + overrun), BPF records by the program that '
      'reads them (`bench/pt-bpf.c`), and every flood must have been '
      'answered in full.\n' % (pings, rounds, '' if rounds == 1 else 's'))
    w('')
    w('Instructions per echo (4 events an echo when tracing), median of '
      'the rounds, the spread (max - min) / median, and how much more '
      'than the same kernel\'s floods without tracing:\n')
    w('| path | kernel | mode | instructions / echo | spread | vs no '
      'tracing | events / flood |')
    w('|---|---|---|---:|---:|---:|---:|')
    result = {}
    # lo and veth: IPv4; lo6 and veth6: ping -6, net:ip6_icmp (BENCH_PATHS)
    paths = [p for p in ('lo', 'veth', 'lo6', 'veth6')
             if any(k[0] == p for k in list(patched) + list(vanilla))]
    for path in paths:
        for kernel, rows in (('unpatched', vanilla), ('patched', patched)):
            off = None
            for mode in COST_MODES:
                got = rows.get((path, mode))
                if not got:
                    continue
                per_echo = [r[1] / r[3] for r in got]
                med = statistics.median(per_echo)
                result[(path, kernel, mode)] = med
                if mode == 'off':
                    off = med
                w('| %s | %s | %s | %s | %.2f%% | %s | %s |' % (
                    path, kernel, mode if mode != 'off' else 'no tracing',
                    fmt_int(med), spread(per_echo),
                    '%+.1f%%' % (100.0 * (med - off) / off)
                    if off and mode != 'off' else '-',
                    fmt_int(statistics.median([r[2] for r in got]))))
    w('')
    summary = {}
    # the event-off floods of a boot per kernel that traces nothing
    # (off-patched, off-vanilla), when run.sh made them: in the boots
    # above, an off flood may follow floods that traced
    boot_p = cost_rows(out, 'patched', 'off-')
    boot_v = cost_rows(out, 'vanilla', 'off-')
    clean = bool(boot_p and boot_v)
    src_p, src_v = (boot_p, boot_v) if clean else (patched, vanilla)

    def off_median(rows, path):
        v = [r[1] / r[3] for r in rows.get((path, 'off'), [])]
        return statistics.median(v) if v else None

    w('The event-off cost of the series, per path%s:\n' % (
        ', in a boot per kernel that enables no tracing' if clean else ''))
    w('| path | patched, event off, vs unpatched | noise (off) |%s' % (
        ' in the boots of every mode |' if clean else ''))
    w('|---|---:|---:|%s' % ('---:|' if clean else ''))
    for path in paths:
        off_p, off_v = off_median(src_p, path), off_median(src_v, path)
        # the noise of "off": the widest range of its rounds, either kernel
        ranges = [max(v) - min(v) for v in (
            [r[1] / r[3] for r in rows.get((path, 'off'), [])]
            for rows in (src_p, src_v)) if v]
        noise = max(ranges) if ranges else None
        if off_p and off_v:
            d = off_p - off_v
            disabled = '%+.0f instr / echo (%+.3f%%)' % (d, 100.0 * d / off_v)
            within = ('%.0f: %s' % (noise, 'within' if abs(d) <= noise
                                    else 'outside')) if noise else '-'
        else:
            disabled, within = 'not measured', '-'
        mixed = ''
        if clean:
            mp = result.get((path, 'patched', 'off'))
            mv = result.get((path, 'unpatched', 'off'))
            mixed = (' %+.0f |' % (mp - mv)) if mp and mv else ' - |'
        summary[path] = {'off_p': off_p, 'off_v': off_v, 'noise': noise,
                         'clean': clean, 'cost': {}}
        w('| %s | %s | %s |%s' % (path, disabled, within, mixed))
    w('')
    w('"Noise (off)" is the widest range (max - min) of the event-off '
      'floods\' instructions per echo, on either kernel: a disabled event '
      'costs nothing measurable when the difference is within it.\n')
    if clean:
        w('The last column is the same comparison in the boots of the '
          'table above, which are not alike: the patched kernel\'s boot '
          'also runs bpftrace (1 GB of memory and an 85 MB initramfs, '
          'against 512 MB and 7 MB) and traces in ways the unpatched one '
          'cannot before some of its event-off floods.  The first columns '
          'come from one boot per kernel with the same memory and '
          'initramfs that enables no tracing at all.\n')
    w('Each way of tracing, per event: the paired difference, round by '
      'round, between the flood with tracing and the flood without it in '
      'the same round and boot, divided by the events (or BPF records) '
      'the flood wrote; the median of the rounds, its spread, and the '
      'ratio to net:ip_icmp\'s on the same path:\n')
    w('| path | kernel | mode | instructions / event | spread | rounds | '
      '/ net:ip_icmp |')
    w('|---|---|---|---:|---:|---:|---:|')
    for path in paths:
        tp = None
        for kernel, rows in (('patched', patched), ('unpatched', vanilla)):
            for mode in COST_MODES[1:]:
                diffs = [d for d, _ in paired_diffs(rows, path, mode)]
                if not diffs:
                    continue
                cost = statistics.median(diffs)
                if kernel == 'patched':
                    summary[path]['cost'][mode] = cost
                    if mode == 'tracepoint':
                        tp = cost
                w('| %s | %s | %s | %s | %.1f%% | %d | %s |' % (
                    path, kernel, mode, fmt_int(cost), spread(diffs),
                    len(diffs), '%.2f x' % (cost / tp) if tp else '-'))
    w('')
    v6 = [(p, summary.get(p, {}).get('cost', {}).get('tracepoint'),
           summary.get(p[:-1], {}).get('cost', {}).get('tracepoint'))
          for p in ('lo6', 'veth6')]
    v6 = [(p, c6, c4) for p, c6, c4 in v6 if c6 and c4]
    if v6:
        w('On the lo6 and veth6 paths (`ping -6`), "tracepoint" is '
          'net:ip6_icmp: per event, against net:ip_icmp on the same path '
          'in IPv4, %s.\n' % ', '.join(
              '%s %s against %s (%.2f x)' % (p, fmt_int(c6), fmt_int(c4),
                                            c6 / c4) for p, c6, c4 in v6))
    w('Under -icount one instruction is one nanosecond of guest time, so '
      'these are also the guest\'s nanoseconds; on hardware, divide by the '
      'instructions per nanosecond of the CPU (about 3 to 10 on a current '
      'x86 core).\n')
    short = []
    for kernel, rows in (('patched', patched), ('unpatched', vanilla)):
        for (path, mode), got in sorted(rows.items()):
            if mode in ('off', 'stages'):
                continue
            n = sum(1 for r in got if r[2] != 4 * r[3])
            if n:
                short.append('%s %s %s (%d of %d floods)' % (
                    path, kernel, mode, n, len(got)))
    w('Floods whose events were not 4 an echo (its cost is then divided '
      'by fewer events than its probes ran for): %s.\n' % (
          ', '.join(short) if short else 'none'))
    dropped = []
    for kernel in ('patched', 'vanilla'):
        dropped += [[kernel] + r for r in read_rows(
            os.path.join(out, 'cost-' + kernel, 'bpf-dropped.txt'))]
    w('BPF records the program had no ring buffer room for: %s.\n' % (
        ', '.join('%s %s %s round %s: %s' % tuple(r) for r in dropped)
        if dropped else 'none'))
    w('What each records (first lines of the ring buffer, patched '
      'kernel; for bpf and bpf-live, the records as pt-bpf prints them):\n')
    w('```')
    for mode in COST_MODES[1:]:
        f = os.path.join(out, 'cost-patched', 'sample-%s.txt' % mode)
        if os.path.exists(f):
            w('# %s' % mode)
            w(text(f, ''))
    w('```\n')
    w('The kprobe events, the old way (skb->data at offset %s, computed by '
      '`bench/skb-offsets.sh` from the kernel build; ICMP id and seq '
      'assume a 20-byte IP header, which is all a kprobe can do, and come '
      'out in network byte order, seq 1 as 256: a fetch argument cannot '
      'swap bytes), and how the kernel armed them '
      '(`/sys/kernel/debug/kprobes/list`):\n' % conf.get('SKB_DATA', '?'))
    w('```')
    w(text(os.path.join(out, 'cost-patched', 'kprobe_events.txt'), '-'))
    w(text(os.path.join(out, 'cost-patched', 'kprobes.list'), '-'))
    w('```\n')
    bpf_list = os.path.join(out, 'cost-patched', 'kprobes-bpf.list')
    if os.path.exists(bpf_list):
        w('The BPF program (`bench/pt-bpf.c`) does what pwru and retis do, '
          'the way a tool without BTF can: a kprobe on the entry of '
          'ip_output() and of ip_rcv(), the IP header at skb->head (offset '
          '%s) + skb->network_header (offset %s), ICMP only, IHL followed, '
          'the addresses, type, id and seq (host order) sent to user space, '
          '16 bytes a packet, with bpf_ringbuf_output(): four '
          'bpf_probe_read_kernel() calls and one output per packet.  It is '
          'hand-assembled, loaded with bpf(2) and attached through the '
          'kprobe PMU with perf_event_open(2), as libbpf attaches, so that '
          'no LLVM runs in the guest.  It reads less than the event writes '
          '(no device, ifindex, netns, TTL, length, IP id or fragment '
          'offset).  `bpf` reads its ring buffer after each flood, as the '
          'trace buffer of the other modes is read; `bpf-live` drains it '
          'from epoll while the flood runs, on the same vCPU, as a tracing '
          'tool does, so its user space instructions count too.  The '
          'program is attached before each flood and detached after it, '
          'outside the flood\'s clock readings, as the events are enabled '
          'and disabled.  How its kprobes were armed, and the JIT:\n' % (
              conf.get('SKB_HEAD', '?'), conf.get('SKB_NETWORK_HEADER', '?')))
        w('```')
        w(text(bpf_list))
        w('```\n')
    bt = os.path.join(out, 'cost-patched', 'ip_icmp-kprobe.bt')
    if os.path.exists(bt):
        lost = text(os.path.join(out, 'cost-patched', 'bpftrace-lost.txt'))
        w('The bpftrace mode runs the same program written for %s, which '
          'sends each record with printf() through a perf buffer and '
          'formats and writes it to a file while the flood runs, on the '
          'same vCPU: its user space instructions count.  Started once, '
          'after the other modes\' floods of every round; each of its '
          'floods is paired with the same round\'s event-off flood.  Its '
          'perf buffer, %s pages a CPU (BPFTRACE_PERF_RB_PAGES), holds a '
          'flood.  Lost events bpftrace reported: %s.\n' % (
              text(os.path.join(out, 'cost-patched', 'bpftrace-version.txt'),
                   'bpftrace').split('\n')[0],
              text(os.path.join(out, 'cost-patched', 'bpftrace-pages.txt'),
                   '?'), lost.replace('\n', '; ') if lost else 'none'))
        w('```')
        w(text(bt))
        w('```\n')
    w('Limits of the method: -icount counts instructions, not time.  It '
      'models no caches, no branch prediction and no pipeline, and a '
      'trap costs what its handler executes: the int3 and exception '
      'entry of a breakpoint kprobe cost more on hardware than here '
      '(these kprobes ride on ftrace, `[FTRACE]`, so no trap is taken).  '
      'The disabled tracepoint is a static branch: its cost is the '
      'layout change of the patched functions, which instruction counts '
      'see and cache effects would add to.  Both kernels are the same '
      'config (kconfig/vm.config + kconfig/vm-bench.config) and source, '
      'with and without the series.\n')
    return summary


# ---- the consumer ---------------------------------------------------------

consumer_startup = {}


def section_consumer(out, w):
    rows = read_rows(os.path.join(out, 'consumer', 'consumer.txt'))
    w('## The consumer: pingtrace report vs trace-cmd report\n')
    if not rows:
        w('Not measured: %s/consumer/consumer.txt is missing.\n' % out)
        return None
    heads = {}
    text_bytes = {}
    with open(os.path.join(out, 'consumer', 'consumer.txt')) as f:
        for line in f:
            m = re.match(r'# (\S+): version (\d+), (\d+) events, (\d+) bytes',
                         line)
            if m:
                heads[m.group(1)] = (m.group(2), int(m.group(3)),
                                     int(m.group(4)))
                t = re.search(r'(\d+) bytes of text', line)
                text_bytes[m.group(1)] = int(t.group(1)) if t else 0
    runs = {}
    for row in rows:
        tool, name, version, events, seconds, rss, anon = row[:7]
        cpu = float(row[7]) if len(row) > 7 else None
        runs.setdefault((name, tool), []).append(
            (float(seconds), int(rss), int(anon), cpu))
    record = read_kv(os.path.join(out, 'record', 'bench.conf'))
    synth = read_kv(os.path.join(out, 'record', 'synth.txt'))
    if synth:
        w('The trace files were synthesized by `bench/synth-flood.sh` (no '
          'VM): floods of N answered echoes, N in {%s}, with %s lines of '
          'kallsyms, written by trace-cmd restore and convert (version 7, '
          'zstd, as trace-cmd record writes).' % (
              ', '.join(synth.get('ECHOES', '?').split()),
              synth.get('KALLSYMS_LINES', '?')))
    if not synth:
        w('The trace files were recorded in the VM (patched kernel, plain '
          'TCG) with `trace-cmd record -b %s -e net:ip_icmp ping -f -q -c N '
          '127.0.0.1`, N in {%s}, a ring buffer that holds a whole flood; '
          'trace-cmd\'s default output is version 7, zstd-compressed.' % (
              record.get('RECORD_BUFFER_KB', '?'),
              ', '.join(record.get('RECORD_ECHOES', '?').split())))
    w('Each was also converted to version 6 with `trace-cmd convert '
      '--file-version 6`.  On this machine, each tool read each file %d '
      'times, alternating: `trace-cmd report -i FILE`, `pingtrace report '
      '-i FILE` (its full text timeline, one line per event) and '
      '`pingtrace report -q -i FILE` (the summary alone), all into '
      '/dev/null.  pingtrace\'s event count is checked against the lines '
      'of trace-cmd report.\n' % (
          max([len(v) for (n, t), v in runs.items() if t == 'pingtrace']
              or [0])))
    w('| file | version | events | size | trace-cmd report | pingtrace '
      'report | speedup | pingtrace report -q | speedup |')
    w('|---|---|---:|---:|---:|---:|---:|---:|---:|')
    speedups = []
    mem = []
    for name in sorted(heads, key=lambda n: (heads[n][0], heads[n][1])):
        version, events, size = heads[name]
        tc = runs.get((name, 'trace-cmd'))
        pt = runs.get((name, 'pingtrace'))
        ptq = runs.get((name, 'pingtrace-q'))
        if not pt or not tc or not ptq:
            continue
        mem_row = (name, version, events,
                   max(r[1] for r in pt), max(r[2] for r in pt),
                   max(r[1] for r in tc), max(r[2] for r in tc))
        if name.startswith('synth-'):
            mem.append(mem_row)	# for memory only: not the VM's floods
            continue
        tc_s = statistics.median([r[0] for r in tc])
        pt_s = statistics.median([r[0] for r in pt])
        ptq_s = statistics.median([r[0] for r in ptq])
        speedups.append((name, version, events, tc_s / pt_s, tc_s / ptq_s))
        w('| %s | %s | %s | %.1f MB | %s ev/s | %s ev/s | %.1f x | %s ev/s '
          '| %.1f x |' % (
              name, version, fmt_int(events), size / 1e6,
              fmt_int(events / tc_s), fmt_int(events / pt_s), tc_s / pt_s,
              fmt_int(events / ptq_s), tc_s / ptq_s))
        mem.append(mem_row)
    w('')
    cpu_rows = []
    for name in sorted(heads, key=lambda n: (heads[n][0], heads[n][1])):
        version, events, size = heads[name]
        if name.startswith('synth-'):
            continue
        r = [runs.get((name, t)) for t in
             ('trace-cmd', 'pingtrace', 'pingtrace-q')]
        if not all(r) or any(x[3] is None for v in r for x in v):
            continue
        tc_c, pt_c, ptq_c = [statistics.median([x[3] for x in v])
                             for v in r]
        if pt_c > 0 and ptq_c > 0:
            cpu_rows.append((name, version, events, tc_c, pt_c, ptq_c))
    if cpu_rows:
        w('pingtrace report reads the file in a child on one CPU while it '
          'pairs and writes on the other (consumer/replay.c), so its time '
          'is not its CPU time.  The CPU time, user and system, of the '
          'whole run (GNU time, children included), median of the runs, '
          'per event and against trace-cmd report\'s (one process):\n')
        w('| file | version | trace-cmd report | pingtrace report | '
          'ratio | pingtrace report -q | ratio |')
        w('|---|---|---:|---:|---:|---:|---:|')
        for name, version, events, tc_c, pt_c, ptq_c in cpu_rows:
            w('| %s | %s | %.0f ns | %.0f ns | %.1f x | %.0f ns | %.1f x |'
              % (name, version, 1e9 * tc_c / events, 1e9 * pt_c / events,
                 tc_c / pt_c, 1e9 * ptq_c / events, tc_c / ptq_c))
        w('')
    limits = []
    for name in sorted(heads, key=lambda n: (heads[n][0], heads[n][1])):
        version, events, size = heads[name]
        if name.startswith('synth-'):
            continue
        cat = runs.get((name, 'cat'))
        wr = runs.get((name, 'write'))
        pt = runs.get((name, 'pingtrace'))
        ptq = runs.get((name, 'pingtrace-q'))
        if not cat or not wr or not pt or not ptq:
            continue
        cat_s = statistics.median([r[0] for r in cat])
        wr_s = statistics.median([r[0] for r in wr])
        pt_s = statistics.median([r[0] for r in pt])
        ptq_s = statistics.median([r[0] for r in ptq])
        limits.append((name, version, events, cat_s, wr_s, pt_s, ptq_s))
    if limits:
        w('The physical limit, in the same rounds: `cat FILE > /dev/null` '
          'reads the file\'s pages, and `cat OUT > /dev/null` writes as '
          'many bytes as the timeline has (OUT holds it, in the page '
          'cache).  Each as events of the file per second, and how much '
          'of it pingtrace reaches:\n')
        w('| file | version | events | text | cat FILE | cat OUT | '
          'pingtrace -q / cat FILE | pingtrace / (cat FILE + cat OUT) |')
        w('|---|---|---:|---:|---:|---:|---:|---:|')
        for name, version, events, cat_s, wr_s, pt_s, ptq_s in limits:
            w('| %s | %s | %s | %.1f MB | %s ev/s | %s ev/s | %.0f%% | '
              '%.0f%% |' % (
                  name, version, fmt_int(events),
                  text_bytes.get(name, 0) / 1e6, fmt_int(events / cat_s),
                  fmt_int(events / wr_s), 100.0 * cat_s / ptq_s,
                  100.0 * (cat_s + wr_s) / pt_s))
        w('')
    startup = {}
    for (name, tool), r in runs.items():
        if tool.startswith('startup-'):
            startup.setdefault(name, {})[tool[8:]] = statistics.median(
                [x[0] for x in r])
    for name, t in sorted(startup.items()):
        if 'pingtrace' in t and 'trace-cmd' in t:
            w('Startup, on the small recorded file %s (median of %d runs '
              'each, alternating, timed without the RssAnon sampler, whose '
              'thread would take one of the two CPUs from pingtrace\'s two '
              'processes): pingtrace report %.1f ms, trace-cmd '
              'report %.1f ms, a ratio of %.2f.\n' % (
                  name, len(runs[(name, 'startup-pingtrace')]),
                  1000 * t['pingtrace'], 1000 * t['trace-cmd'],
                  t['pingtrace'] / t['trace-cmd']))
    consumer_startup.clear()
    consumer_startup.update(startup)
    w('Events per second are the events of the file over the median '
      'time of its runs.  Memory, the largest of the runs: peak RSS as '
      'GNU time reports it (file pages mapped included), and the largest '
      'anonymous resident set (RssAnon) seen, of all of the tool\'s '
      'processes.  The synth-* files, 4M events, are synthesized by '
      '`bench/synth-flood.sh` (no VM: a flood of 1M answered echoes, '
      'written by trace-cmd restore and convert), for the memory alone; '
      'they are not in the speed tables (trace-cmd report reads their '
      'simpler records about twice as fast):\n')
    w('| file | version | events | pingtrace peak RSS | pingtrace RssAnon '
      '| trace-cmd peak RSS | trace-cmd RssAnon |')
    w('|---|---|---:|---:|---:|---:|---:|')
    for name, version, events, prss, panon, trss, tanon in mem:
        w('| %s | %s | %s | %.1f MB | %.1f MB | %.1f MB | %.1f MB |' % (
            name, version, fmt_int(events), prss / 1024, panon / 1024,
            trss / 1024, tanon / 1024))
    w('')
    return speedups, mem


# ---- live ---------------------------------------------------------------

def section_live(out, w):
    rows = read_rows(os.path.join(out, 'live', 'live.txt'))
    conf = read_kv(os.path.join(out, 'live', 'bench.conf'))
    w('## Live: pingtrace live vs trace-cmd record under a flood\n')
    if not rows:
        w('Not measured: %s/live/live.txt is missing.\n' % out)
        return None
    secs = float(conf.get('LIVE_SECONDS', '0') or 0)
    w('`bench-live.sh`, in the VM (patched kernel, plain TCG, 2 vCPUs): a '
      'veth flood from netns a to b, `P` pingers at interval `I` (`f`: '
      '`ping -f`) for %g s, under `pingtrace live -q -F json -W 1 -b KB -- '
      'FLOOD` and under `trace-cmd record -b KB -e net:ip_icmp -e '
      'net:ip6_icmp -e skb:kfree_skb -f "protocol == 2048 || protocol == '
      '34525" FLOOD`: the same ring buffer size per CPU and the same '
      'events, those pingtrace live enables with no target (its drops '
      'of both families).  An answered echo makes 4 ICMP events; a root '
      'ping\'s reply is also freed as a drop once its raw socket has a '
      'copy, and each pinger\'s socket filter drops the other pingers\' '
      'replies: *drops* is the skb:kfree_skb records the tool delivered.  '
      'With some buffer sizes the ladder is run again with the ICMP '
      'events alone: *pingtrace-D* is `pingtrace live -D` (no drops), '
      '*trace-cmd-icmp* `trace-cmd record -e net:ip_icmp`.  '
      '*events* counts the ICMP events; *missing* is 4 x answered echoes '
      'minus them (pingtrace report counts those of trace-cmd\'s file); '
      '*reported* is what the tool says it lost, of every kind (-1: '
      'trace-cmd\'s file marks a loss without a count).  The tool runs '
      'on the same two '
      'vCPUs as the flood, so each sees its own flood rate.  *tool CPU* '
      'is the guest CPU time (user + system) of the tool, its threads '
      'and trace-cmd\'s recorders included, the flood\'s own taken out '
      '(the shell\'s `times`); per event, of the 4 x answered echoes '
      'there were.  trace-cmd\'s does not count the reading of its file, '
      'which comes after.\n' % secs)
    w('| buffer KB/CPU | P:I | tool | echoes/s | events | drops | missing | '
      'reported lost | tool CPU | per event |')
    w('|---:|---|---|---:|---:|---:|---:|---:|---:|---:|')
    first_loss, clean = {}, {}
    for row in rows:
        tool, kb, step, sent, received, elapsed, events, lost = row[:8]
        cpu = float(row[8]) if len(row) > 8 else None
        drops = fmt_int(int(row[10])) if len(row) > 10 else '-'
        received, events = int(received), int(events or 0)
        missing = max(0, 4 * received - events)
        rate = received / secs if secs else 0
        w('| %s | %s | %s | %s | %s | %s | %s (%.2f%%) | %s | %s | %s |' % (
            kb, step, tool, fmt_int(rate), fmt_int(events), drops,
            fmt_int(missing),
            100.0 * missing / (4 * received) if received else 0, lost,
            '%.2f s' % cpu if cpu is not None else '-',
            '%.1f us' % (1e6 * cpu / (4 * received))
            if cpu is not None and received else '-'))
        key = (tool, int(kb))
        if missing:
            if key not in first_loss or rate < first_loss[key]:
                first_loss[key] = rate
        else:
            clean.setdefault(key, []).append(rate)
    w('')
    return first_loss, rows, clean


def section_longrun(out, w):
    """The longrun part: check_longrun.py's TAP, its rate and memory"""
    tap = text(os.path.join(out, 'longrun', 'check.txt'))
    w('## Long run: pingtrace live for minutes\n')
    if not tap:
        w('Not measured: %s/longrun/check.txt is missing.\n' % out)
        return None
    res = {'ok': [], 'failed': [], 'rate': None, 'seconds': None,
           'echoes': None, 'anon': []}
    for line in tap.splitlines():
        m = re.match(r'(not ok|ok) \d+ - (.*)', line)
        if m:
            res['failed' if m.group(1) == 'not ok' else 'ok'].append(
                m.group(2))
        m = re.match(r'# (\d+) pings ran ([0-9.]+) s .*: (\d+) echoes a '
                     r'second', line)
        if m:
            res['seconds'] = float(m.group(2))
            res['rate'] = int(m.group(3))
        m = re.match(r'ok \d+ - ping: (\d+) requests', line)
        if m:
            res['echoes'] = int(m.group(1))
        m = re.match(r'# RssAnon kB: (.*)', line)
        if m:
            res['anon'] = [int(v) for v in m.group(1).split()]
    w('`tests/vm/guest/longrun.sh` on the bench kernel (plain TCG, 2 vCPUs): '
      '`pingtrace live --slow 100000 -F json -t B` while pings side by side '
      '(`ping -i 0.001` each; one sends about 910 a second here) run from '
      'netns a to b; pingtrace\'s RssAnon sampled every 10 s; its summary '
      'checked against ping\'s by `tests/vm/check_longrun.py`, whose '
      'checks are:\n')
    w('```')
    for line in tap.rstrip('\n').splitlines():
        # the samples, one a line of their own: their range
        m = re.match(r'# (RssAnon|VmRSS) kB: (.*)', line)
        if m:
            v = [int(x) for x in m.group(2).split()]
            line = '# %s kB: %d samples, %d to %d' % (
                m.group(1), len(v), min(v), max(v)) if v else line
        w(line)
    w('```\n')
    return res


def live_clean_max(clean, tool, kb, first_loss):
    """The highest rate of @tool's runs with nothing missing, below its
    first loss: how far it was seen to keep up"""
    rates = [r for r in clean.get((tool, kb), [])
             if first_loss is None or r < first_loss]
    return max(rates) if rates else None


def live_same_load(rows, kb, pt_tool='pingtrace', tc_tool='trace-cmd'):
    """(more, fewer): the steps where @pt_tool missed more, or fewer,
    of its events than @tc_tool did of its own, with @kb"""
    frac = {}
    for row in rows:
        tool, k, step, received, events = (row[0], int(row[1]), row[2],
                                           int(row[4]), int(row[6] or 0))
        if k == kb and received:
            frac[(tool, step)] = max(0, 4 * received - events) / \
                (4.0 * received)
    more = fewer = 0
    for (tool, step), f in frac.items():
        other = frac.get((tc_tool, step))
        if tool != pt_tool or other is None:
            continue
        more += f > other
        fewer += f < other
    return more, fewer


def met(ok):
    return '**met**' if ok else '**not met**'


# (pingtrace's run, trace-cmd's, what both traced): bench-live.sh
LIVE_PAIRS = [
    ('pingtrace', 'trace-cmd', 'the same events, live\'s default'),
    ('pingtrace-D', 'trace-cmd-icmp', 'the ICMP events alone'),
]


def live_verdict(w, live, kb, pt_tool, tc_tool, what):
    first_loss, rows, clean = live
    said = {}
    for tool in (pt_tool, tc_tool):
        rate = first_loss.get((tool, kb))
        said[tool] = rate
        up_to = live_clean_max(clean, tool, kb, rate)
        w('- Live, %d KB per CPU, %s: %s%s.' % (
            kb, tool, 'lost events from %s echoes/s' % fmt_int(rate)
            if rate is not None else 'no event missing at any rate '
            'reached', ', none missing up to %s echoes/s' %
            fmt_int(up_to) if up_to else ''))
    pt, tc = said[pt_tool], said[tc_tool]
    pt_clean = live_clean_max(clean, pt_tool, kb, pt)
    if pt is not None:
        verdict = met(tc is not None and pt >= tc)
        why = ('%s lost none' % tc_tool if tc is None else
               '%s from %.2f times %s\'s rate' % (pt_tool, pt / tc, tc_tool))
    elif tc is None:
        verdict, why = met(True), 'neither lost an event'
    elif pt_clean is not None and pt_clean >= tc:
        verdict = met(True)
        why = '%s lost none up to %.2f times the rate %s lost from' % (
            pt_tool, pt_clean / tc, tc_tool)
    else:
        verdict = '**not shown**'
        why = ('%s lost none, but its flood did not reach the rate %s '
               'lost from (%s against %s echoes/s)' % (
                   pt_tool, tc_tool, fmt_int(pt_clean or 0), fmt_int(tc)))
    worse, better = live_same_load(rows, kb, pt_tool, tc_tool)
    w('- Live, %d KB per CPU, %s: %s starts losing at a rate at least as '
      'high as %s\'s (target: %s; %s).  Under the same load (P:I), %s '
      'missed fewer events in %d runs, more in %d.' % (
          kb, what, pt_tool, tc_tool, verdict, why, pt_tool, better, worse))



# ---- what the numbers say ---------------------------------------------------

def growth(mem, version, col):
    rows = sorted((m for m in mem if m[1] == version), key=lambda m: m[2])
    if len(rows) < 2 or not rows[0][col]:
        return None
    return rows[-1][col] / rows[0][col]


def explain(w, consumer, live):
    """Explanations, each given only when the numbers show its case"""
    speedups, mem = consumer if consumer else ([], [])
    w('## Why, and what would move it\n')
    anon7 = growth(mem, '7', 4)
    anon6 = growth(mem, '6', 4)
    rss6 = growth(mem, '6', 3)
    tc_anon7 = growth(mem, '7', 6)
    if tc_anon7 and tc_anon7 > 1.5:
        w('- **trace-cmd report\'s memory grows with a compressed (version '
          '7) file** (RssAnon x %.1f): Debian 12\'s libtracecmd 3.1.6 keeps '
          'every decompressed chunk until the handle is closed (its '
          'free_zpage() tests "map <= cache->map && map > cache->map + '
          'size", true of no pointer; trace-cmd 3.2 rewrote the cache).  '
          'pingtrace reads such a file in segments of 8 MB of records '
          '(consumer/tracefile.c): at each cut the file is opened again, '
          'the session moved to the new handle\'s tep, the old handle '
          'closed (which frees its chunks) and each CPU moved back to its '
          'next record with tracecmd_read_at(), checked to be the same '
          'record.  Its RssAnon is x %s from the smallest file to the '
          'largest: one segment\'s chunks at most.' % (
              tc_anon7, '%.2f' % anon7 if anon7 else '?'))
    if rss6 and anon6 and rss6 > 1.5 and anon6 < 1.5:
        w('- **Peak RSS grows with a version 6 file while RssAnon does not** '
          '(x %.1f against x %.1f): libtracecmd maps each CPU\'s whole data '
          'at once (its page_map_size is the data size rounded down to a '
          'power of two, where a comment says "about a meg"), and mapped '
          'file pages count in RSS.  They are clean page cache, which the '
          'kernel can drop under pressure; nothing is allocated.' %
          (rss6, anon6))
    short = [s for s in speedups if s[3] < TARGET_SPEEDUP]
    short_q = [s for s in speedups if s[4] < TARGET_SPEEDUP_Q]
    if short or short_q:
        which = []
        if short:
            which.append('the timeline (%d x) on %s' % (
                TARGET_SPEEDUP, ', '.join(s[0] for s in short)))
        if short_q:
            which.append('-q (%d x) on %s' % (
                TARGET_SPEEDUP_Q, ', '.join(s[0] for s in short_q)))
        w('- **Short of the speed targets: %s.**  pingtrace report runs in two processes, a CPU '
          'each (consumer/replay.c, consumer/shring.c): the reader takes '
          'the first record of each page from libtracecmd and walks the '
          'rest of the page on its kbuffer (consumer/tracefile.c; no '
          'tep_record malloc and free per event); the writer pairs, joins '
          'and formats; the decoding goes to the side with less to do (the '
          'reader on version 6 with the timeline, else the writer).  The '
          'profiles below, of the timeline on the smaller version 7 file, '
          'show the two sides about even, and zstd alone '
          '(ZSTD_decompressDCtx) half of the reader, which trace-cmd report '
          'pays the same; on version 6 what is left is the pairing and join '
          'tables (a hash lookup, insert and remove per event), the decode '
          'and the text formatter.  What would move it: on version 7, '
          'decompressing the next chunk on a third CPU (libtracecmd 3.1.6 '
          'decompresses in tracecmd_read_data() itself, and this machine '
          'has two CPUs); on version 6, a cheaper pairing table (the '
          'answered-echo table stored densely).  On a compressed file each '
          '8 MB segment pays a tracecmd_open(), the price of flat memory '
          'with this library; its kallsyms section is not parsed there '
          'unless a drop asks for a symbol (consumer/kallsyms.c).' %
          '; '.join(which))
    if live:
        first_loss, rows, clean = live
        w('- **Live mode** reads each CPU\'s trace_pipe_raw out in a thread '
          'of its own, on that CPU and in SCHED_FIFO (consumer/ring.c), '
          'woken when its buffer is a quarter full (buffer_percent) or by '
          'a 10 ms timer, into a queue in memory; the main thread decodes '
          'and pairs from the queues at nice +10 (consumer/live.c).  '
          'trace-cmd record\'s recorders only splice pages to a file and '
          'leave the decoding for later: the *tool CPU* column above is '
          'what each takes of the guest while the flood runs, and '
          'pingtrace\'s is several times trace-cmd\'s per event, since it '
          'decodes and pairs then.  Under TCG the two vCPUs are one host '
          'thread, so that CPU is the flood\'s: the same load runs slower '
          'under pingtrace, and its floods reach lower rates than under '
          'trace-cmd.  The rate at which each starts to lose compares '
          'floods of different speeds; the runs of the same load (P:I) '
          'compare the tools on one workload.  Both tools trace the same '
          'events (the first pair of each buffer size): a root ping flood '
          'frees each reply as a drop once its raw socket has a copy, and '
          'with several pingers each socket drops the others\' replies, '
          'so skb:kfree_skb records fill the buffer beside net:ip_icmp\'s '
          '(the *drops* column).  perf in the guest, one ping -f, 16 KB: '
          'pingtrace took 29% of the samples (the flood\'s ping 40%), a '
          'third of it in the kernel (reading pages, polls, wakeups), the '
          'rest spread over the pairing\'s hash (the largest, 3% of '
          'pingtrace\'s), the decode, the tables and libtraceevent; a '
          'binary search of the kernel\'s symbols and two snprintf() per '
          'drop, and one of the events per record, are gone since.  What '
          'would move it: less '
          'CPU per event in the pairing thread (the decode, the pairing '
          'and join tables, as in report).  Since commit 4792aef a '
          'reader never waits for a lock the pairing thread holds (a '
          'lock-free queue per CPU): bench/ab-live.sh, 16 KB, two and '
          'four ping -f, its boots alternated with the mutex\'s, '
          'missed 0.181% of the events against 0.269% (0.125% against '
          '0.225% with -D; 8 runs each, the same CPU), not none; a pool of '
          'pages touched before the flood for the readers did not '
          'help (0.71% against 0.065% in the same three rounds).')
    w('')


# ---- the page -------------------------------------------------------------

def main():
    if len(sys.argv) != 2:
        sys.exit('usage: report.py OUTDIR')
    out = sys.argv[1]
    lines = []
    w = lines.append
    machine = read_kv(os.path.join(out, 'machine.txt'))

    w('# pingtrace benchmarks\n')
    w('Written by `make bench` (bench/run.sh, then bench/report.py) on %s, '
      'commit %s.  Every number below is computed from that run\'s files '
      '(`build/bench/`); rerun `make bench` to reproduce the page.  The '
      'machines are shared and noisy: read ratios measured side by side, '
      'not absolute times.\n' % (machine.get('date', '?'),
                                   machine.get('commit', '?')))
    parts = []
    for part in ('cost-patched', 'cost-vanilla', 'off-patched',
                 'off-vanilla', 'record', 'consumer', 'live', 'longrun'):
        m = read_kv(os.path.join(out, part, 'machine.txt'))
        if m:
            parts.append((part, m.get('date', '?'), m.get('commit', '?')))
    # parts measured by runs apart (BENCH_PARTS) say when and where
    if len({(d, c) for _, d, c in parts}) > 1:
        w('The parts were measured in separate runs: %s.\n' % '; '.join(
            '%s on %s, commit %s' % p for p in parts))
    w('Machine: %s, %s CPUs, host kernel %s; %s; trace-cmd %s, '
      'libtracecmd %s.\n' % (
          machine.get('cpu', '?'), machine.get('nproc', '?'),
          machine.get('host_kernel', '?'), machine.get('qemu', '?'),
          machine.get('trace_cmd', '?'), machine.get('libtracecmd', '?')))
    cost = section_cost(out, w)
    consumer = section_consumer(out, w)
    live = section_live(out, w)
    longrun = section_longrun(out, w)

    w('## Against the targets\n')
    names = {'kprobe': 'the kprobe events',
             'bpf': 'the BPF kprobe program (ring buffer read after the '
                    'flood)',
             'bpf-live': 'the BPF kprobe program drained while the flood '
                         'runs',
             'bpftrace': 'the bpftrace program',
             'stages': 'net:ip_icmp with the stage events'}
    for path, c in sorted(cost.items()):
        off_p, off_v, noise = c['off_p'], c['off_v'], c['noise']
        if off_p and off_v:
            w('- Disabled, %s: the patched kernel runs %+.3f%% of the '
              'unpatched one\'s instructions per echo (%+.0f an echo; the '
              'noise of the event-off floods is %s%s).' %
              (path, 100.0 * (off_p - off_v) / off_v, off_p - off_v,
               '%.0f' % noise if noise else '?',
               '; boots that trace nothing' if c.get('clean') else ''))
        tp = c['cost'].get('tracepoint')
        if not tp:
            continue
        w('- Enabled, %s: net:%s costs %s instructions an event.' %
          (path, 'ip6_icmp' if path.endswith('6') else 'ip_icmp',
           fmt_int(tp)))
        for mode in COST_MODES[2:]:
            other = c['cost'].get(mode)
            if other:
                w('- %s, %s: %s cost %s instructions an event, %.2f times '
                  'net:ip_icmp\'s.' % (mode, path, names[mode],
                                      fmt_int(other), other / tp))
    speedups, mem = consumer if consumer else ([], [])
    for name, version, events, speedup, speedup_q in speedups:
        w('- %s (version %s, %s events): pingtrace report reads %.1f times '
          'the events per second of trace-cmd report with its timeline '
          '(target %d x: %s), %.1f times with the summary alone, -q '
          '(target %d x: %s).' % (
              name, version, fmt_int(events), speedup, TARGET_SPEEDUP,
              met(speedup >= TARGET_SPEEDUP), speedup_q, TARGET_SPEEDUP_Q,
              met(speedup_q >= TARGET_SPEEDUP_Q)))
    for name, t in sorted(consumer_startup.items()):
        if 'pingtrace' in t and 'trace-cmd' in t:
            ratio = t['pingtrace'] / t['trace-cmd']
            w('- Startup, %s: pingtrace report takes %.2f times trace-cmd '
              'report\'s time (target at most %.1f: %s).' % (
                  name, ratio, TARGET_STARTUP, met(ratio <= TARGET_STARTUP)))
    for version in sorted({m[1] for m in mem}):
        rows = sorted((m for m in mem if m[1] == version),
                      key=lambda m: m[2])
        if len(rows) < 2:
            continue
        small, big = rows[0], rows[-1]
        grow = big[4] / small[4] if small[4] else 0
        w('- Memory, version %s, %s to %s events (x %.1f): pingtrace peak '
          'RSS %.1f to %.1f MB, RssAnon %s MB (x %.2f; flat, at most x %.2f: '
          '%s); trace-cmd peak RSS %.1f to %.1f MB, RssAnon %.1f to %.1f '
          'MB.' % (
              version, fmt_int(small[2]), fmt_int(big[2]), big[2] / small[2],
              small[3] / 1024, big[3] / 1024,
              ', '.join('%.1f' % (m[4] / 1024) for m in rows), grow,
              TARGET_FLAT, met(small[4] and grow <= TARGET_FLAT),
              small[5] / 1024, big[5] / 1024, small[6] / 1024,
              big[6] / 1024))
    if live:
        first_loss, rows, clean = live
        for pt_tool, tc_tool, what in LIVE_PAIRS:
            for kb in sorted({int(r[1]) for r in rows if r[0] == pt_tool}):
                live_verdict(w, live, kb, pt_tool, tc_tool, what)
    if longrun:
        ok = (not longrun['failed'] and longrun['rate'] is not None and
              longrun['rate'] >= TARGET_LONGRUN_RATE and
              longrun['seconds'] >= TARGET_LONGRUN_SECONDS - 1)
        anon = longrun['anon']
        w('- Long run: pingtrace live over %s s of %s echoes a second '
          '(%s echoes), RssAnon %s kB (target %d s at %s a second or more, '
          'nothing lost, memory flat: %s)%s.' % (
              '%.0f' % longrun['seconds'] if longrun['seconds'] else '?',
              fmt_int(longrun['rate']) if longrun['rate'] else '?',
              fmt_int(longrun['echoes']) if longrun['echoes'] else '?',
              '%d to %d' % (min(anon), max(anon)) if anon else '?',
              TARGET_LONGRUN_SECONDS, fmt_int(TARGET_LONGRUN_RATE), met(ok),
              '; failed: ' + '; '.join(longrun['failed'])
              if longrun['failed'] else ''))
    w('')
    explain(w, consumer, live)
    profile = os.path.join(out, 'consumer', 'profile.txt')
    if os.path.exists(profile):
        w('### Where pingtrace report spends its instructions\n')
        w('`valgrind --tool=callgrind` on `pingtrace report` of the smaller '
          'version 7 file: the reader (the child that reads the file and '
          'decodes) and the writer (pairs, joins and writes), each '
          'inclusive then self, top entries:\n')
        w('```')
        w(text(profile))
        w('```\n')
    sys.stdout.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
