# SPDX-License-Identifier: GPL-2.0
"""pingtrace --stages as the VM saw it (issue 12), shared by
check_consumer.py (veth, loopback) and check_nic.py (virtio-net): every
echo's stages present, positive and in order, those of the kernel rtt
adding up to it, the syscall-to-syscall time within what ping -U printed
for the seq; and report --svg's picture, rendered to PNG with
rsvg-convert and read back pixel by pixel."""
import json
import os
import re
import struct
import subprocess
import zlib

from checklib import check, info, ping_text, pingtrace_jsonl
from reportlib import report

# consumer/stages.h, in order; the kernel rtt's are req_ip_out..rep_rx_ip
STAGES = ('user_to_ip', 'req_ip_out', 'req_dev', 'req_link', 'req_rx_queue',
          'req_rx_ip', 'target', 'rep_ip_out', 'rep_dev', 'rep_link',
          'rep_rx_queue', 'rep_rx_ip', 'sock_to_wake', 'wake_to_run',
          'run_to_user')
RTT_STAGES = STAGES[1:12]
TASK_STAGES = STAGES[12:]
# What a path may not have ("n/a", consumer/stages.c): a link where the
# driver delivers inside its xmit, wakeups where the task did not sleep
MAY_BE_NA = ('req_link', 'rep_link', 'sock_to_wake', 'wake_to_run')


def stages_of(echo):
    return [(s, echo.get('stages', {}).get(s + '_ns', None)) for s in STAGES]


def check_stage_echoes(name, text, ping_out, medium):
    """The echoes of a pingtrace --stages -F json output against ping's;
    medium: 'veth', 'lo' or 'nic'.  Returns the echoes."""
    by_type, bad = pingtrace_jsonl(text)
    echoes = by_type.get('echo', [])
    times, tx, rx = ping_text(ping_out)
    check(not bad, '%s: every line is JSON (%d are not)' % (name, len(bad)),
          '\n'.join(bad[:5]))
    check(tx and tx == rx and len(echoes) == tx and
          all(e['status'] == 'ok' for e in echoes),
          '%s: %d echoes, all ok, as ping saw (%s/%s)' %
          (name, len(echoes), rx, tx))
    missing, nonpos, na_bad, sums, bounds = [], [], [], [], []
    for e in echoes:
        st = dict(stages_of(e))
        for s, v in st.items():
            if v is None or (v == 'n/a' and s not in MAY_BE_NA):
                missing.append('seq %d %s: %s' % (e['seq'], s, v))
            elif v != 'n/a' and not (isinstance(v, int) and v > 0):
                nonpos.append('seq %d %s: %s' % (e['seq'], s, v))
        # veth and lo hand the skb over inside their xmit: no link
        if medium in ('veth', 'lo'):
            for s in ('req_link', 'rep_link'):
                if st[s] != 'n/a':
                    na_bad.append('seq %d %s: %s' % (e['seq'], s, st[s]))
        rtt = sum(st[s] for s in RTT_STAGES if isinstance(st[s], int))
        if rtt != e.get('rtt_ns'):
            sums.append('seq %d: stages %d, rtt %s' % (e['seq'], rtt,
                                                       e.get('rtt_ns')))
        # the stages telescope: their sum is recvmsg exit - sendto entry
        user = sum(v for v in st.values() if isinstance(v, int))
        if not 0 < user <= times.get(e['seq'], 0):
            bounds.append('seq %d: sendto to recvmsg %s ns, ping -U %s ns'
                          % (e['seq'], user, times.get(e['seq'])))
    check(echoes and not missing, '%s: every stage of every echo seen '
          '(n/a only where the path has none)' % name, '\n'.join(missing))
    check(echoes and not nonpos, '%s: every stage seen is positive, so in '
          'order' % name, '\n'.join(nonpos))
    if medium in ('veth', 'lo'):
        check(echoes and not na_bad, '%s: no link stage: %s delivers inside '
              'its xmit' % (name, medium), '\n'.join(na_bad))
    check(echoes and not sums, '%s: the stages from req_ip_out to rep_rx_ip '
          'add up to the kernel rtt' % name, '\n'.join(sums))
    check(echoes and not bounds, '%s: sendto entry to recvmsg exit is '
          'within ping -U\'s time for the seq' % name, '\n'.join(bounds))
    return echoes


def check_stage_summary(name, text, echoes):
    """The stages_summary record counts every echo and agrees with them"""
    by_type, _ = pingtrace_jsonl(text)
    sums = by_type.get('stages_summary', [])
    if not check(len(sums) == 1, '%s: one stages_summary' % name):
        return
    s = sums[0]
    rtts = sorted(e['rtt_ns'] for e in echoes)
    check(s['echoes'] == len(echoes) and s['rtt']['n'] == len(rtts) and
          rtts and s['rtt']['min_ns'] == rtts[0] and
          s['rtt']['max_ns'] == rtts[-1] and
          sum(s['rtt']['log2_ns'].values()) == len(rtts),
          '%s: summary: rtt n, min, max and histogram count agree with '
          'the echoes' % name, json.dumps(s['rtt']))
    bad = []
    for st in STAGES:
        vals = sorted(e['stages'][st + '_ns'] for e in echoes
                      if isinstance(e['stages'][st + '_ns'], int))
        got = s['stages'][st]
        if got['n'] != len(vals) or (vals and (
                got['min_ns'] != vals[0] or got['max_ns'] != vals[-1] or
                not vals[0] <= got['p50_ns'] <= got['p99_ns'] <= vals[-1])):
            bad.append('%s: %s vs %s' % (st, json.dumps(got), vals))
    check(not bad, '%s: summary: per stage n, min, p50, p99, max agree '
          'with the echoes' % name, '\n'.join(bad))


def check_stage_text(name, text, n):
    """The text view: the header once, one line per echo"""
    lines = (text or '').splitlines()
    heads = [i for i, l in enumerate(lines) if l.split()[:2] ==
             ['seq', 'rtt_us']]
    rows = [l for l in lines if re.match(r'^\s*\d+\s+[\d.]+(\s+(\S+)){15}$',
                                         l)]
    check(len(heads) == 1 and len(rows) == n,
          '%s: text view: one header, %d lines of 15 stages (%d, %d)' %
          (name, n, len(heads), len(rows)), text)


def check_task_filter(name, dat):
    """record --stages -- COMMAND filters the task events by the pinger's
    pid in the kernel: every syscall and sched event of the file is the
    pinger's, as the host's trace-cmd report reads it"""
    events, err, _ = report(dat)
    pingers = {e['pid'] for e in events
               if e['event'] in ('ip_icmp', 'ip6_icmp') and
               e['rest'].startswith('SND ') and
               e.get('type') == 'echo-request'}
    task = [e for e in events if e['event'].startswith(('sys_', 'sched_'))]

    def pinger_s(e):
        # trace-cmd's sched plugin prints "COMM:PID [PRIO]": the woken
        # task of a wakeup, prev ==> next of a switch (not the pid of
        # the CPU's current task, which ev['pid'] is)
        if e['event'] in ('sched_switch', 'sched_wakeup'):
            pids = {int(p) for p in re.findall(r':(\d+) \[\d+\]', e['rest'])}
            return bool(pids & pingers)
        return e['pid'] in pingers
    others = [e for e in task if not pinger_s(e)]
    check(err is None and len(pingers) == 1 and task and not others,
          '%s: the %d task events are all the pinger\'s (pid %s): %d '
          'of others' % (name, len(task), sorted(pingers), len(others)),
          '%s %s' % (err, others[:5]))


def check_slow(name, text, all_echoes, threshold_ns):
    """--slow: only the echoes above the threshold, the summary all"""
    by_type, _ = pingtrace_jsonl(text)
    want = sorted(e['seq'] for e in all_echoes if e['rtt_ns'] > threshold_ns)
    got = sorted(e['seq'] for e in by_type.get('echo', []))
    check(got == want, '%s: --slow %d ns prints the echoes above it only '
          '(%s, want %s)' % (name, threshold_ns, got, want))
    summ = by_type.get('summary', [{}])[0]
    check(summ.get('received') == len(all_echoes),
          '%s: --slow: the summary still counts all %d echoes (%s)' %
          (name, len(all_echoes), summ.get('received')))


# ---- the picture -------------------------------------------------------

def read_png(path):
    """(width, height, rows of (r, g, b, a)) of an 8-bit RGBA or RGB,
    non-interlaced PNG, as rsvg-convert writes it"""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', chunk)
        elif kind == b'IDAT':
            idat += chunk
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError('PNG depth %d type %d interlace %d' %
                         (depth, ctype, interlace))
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xff
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xff
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xff
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 0xff
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def hex_rgb(s):
    return tuple(int(s[i:i + 2], 16) for i in (1, 3, 5))


def check_svg(name, svg_path, echoes, workdir):
    """Render report --svg's file and read the bars back: one per echo,
    each as tall as its rtt against the tallest, in the legend's colours
    of the stages it has"""
    try:
        svg = open(svg_path).read()
    except OSError as e:
        check(False, '%s: the SVG file was written' % name, str(e))
        return
    legend = dict(re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"/><text '
                             r'[^>]*>([a-z_]+)</text>', svg))
    legend = {v: hex_rgb(k) for k, v in legend.items()}
    check(set(RTT_STAGES) <= set(legend), '%s: the legend names every '
          'stage of the rtt' % name, ', '.join(sorted(legend)))
    png = os.path.join(workdir, os.path.basename(svg_path) + '.png')
    try:
        subprocess.run(['rsvg-convert', '-o', png, svg_path], check=True,
                       capture_output=True, timeout=60)
        w, h, rows = read_png(png)
    except (OSError, subprocess.SubprocessError, ValueError) as e:
        check(False, '%s: rsvg-convert renders the SVG to PNG' % name, e)
        return
    check(True, '%s: rsvg-convert rendered it, %dx%d' % (name, w, h))
    colours = {c: s for s, c in legend.items() if s in RTT_STAGES}
    # the plot's frame, from its axes: the y axis first, then the x axis
    axes = [tuple(int(float(v)) for v in m) for m in re.findall(
        r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"',
        svg)]
    if not check(len(axes) >= 2, '%s: the SVG has its two axes' % name):
        return
    left, top, _, bottom = axes[0]
    right = axes[1][2]
    # a bar is a run of painted columns just above the x axis.  Not of
    # stage colours only: a short echo beside a slow one is a bar of a
    # few pixels, whose lowest stages are less than one, blended on that
    # row.  The rtt line meets that row only between two bars of under
    # a pixel, and is one or two columns wide where it crosses it.
    base = bottom - 2
    cols = [x for x in range(left + 1, right)
            if rows[base][x] != (255, 255, 255)]
    runs = []
    for x in cols:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    bars = [r for r in runs if len(r) >= 3]
    ok = [e for e in sorted(echoes, key=lambda e: e['send_ns'])
          if e['status'] == 'ok']
    check(len(bars) == len(ok), '%s: one bar per answered echo (%d bars, '
          '%d echoes)' % (name, len(bars), len(ok)))
    if len(bars) != len(ok) or not ok:
        return
    top_rtt = max(e['rtt_ns'] for e in ok)
    bad, seen = [], set()
    for bar, e in zip(bars, ok):
        # every column of the bar up to its first white: bands meet on
        # antialiased rows, and the rtt line crosses the bar's top at
        # its middle, where a steep line covers a top band of 2 or 3 px
        # whole and paints some rows above it.  Away from the middle it
        # is above the bar on one side, beside a white row, and inside
        # it on the other: the bar's height is its lowest column's.
        tops = []
        for x in bar:
            y = base
            while y > 0 and rows[y][x] != (255, 255, 255):
                if rows[y][x] in colours:
                    seen.add(colours[rows[y][x]])
                y -= 1
            tops.append(y)
        height = bottom - 1 - max(tops)		# rows top+1 .. bottom-1
        want = e['rtt_ns'] / top_rtt * (bottom - top)
        if abs(height - want) > 3:
            bad.append('seq %d: bar %d px, rtt says %.1f' %
                       (e['seq'], height, want))
    check(not bad, '%s: each bar is as tall as its rtt (within 3 px, the '
          'plot\'s %d px for the largest)' % (name, bottom - top),
          '\n'.join(bad))
    have = {s for e in ok for s in RTT_STAGES
            if isinstance(e['stages'][s + '_ns'], int) and
            e['stages'][s + '_ns'] * (bottom - top) / top_rtt >= 2}
    check(have <= seen, '%s: every stage of 2 px or more shows in its '
          'colour' % name, 'missing: %s' % sorted(have - seen))
    info('%s: colours found in the bars: %s' % (name, ', '.join(
        sorted(seen))))
