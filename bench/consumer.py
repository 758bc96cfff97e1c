#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Time pingtrace report and trace-cmd report on the same trace files.

usage: consumer.py [--runs N] [--pingtrace PATH] [--v6dir DIR]
                   [--small FILE.dat]... FILE.dat...

Each file is read as it is (trace-cmd's default: version 7, compressed)
and, converted by trace-cmd convert into --v6dir, as version 6.  Each
run of each tool reads the whole file and writes its whole output to
/dev/null: pingtrace report's timeline (one line an event), its summary
alone (-q, as pingtrace-q), and trace-cmd report's lines.  The runs of
the tools alternate, so that all see the same machine.  One line per
tool, file and run:

    tool file version events seconds max_rss_kb max_anon_kb

max_rss_kb is GNU time's (the peak of the resident set, mapped file
pages included); max_anon_kb the largest RssAnon seen, summed over the
tool's processes (pingtrace report works in a child), read every 5 ms
from /proc/PID/status.

The physical limit, in the same rounds: "cat" is `cat FILE > /dev/null`
(reading the file's pages), "write" is `cat OUT > /dev/null` where OUT
holds pingtrace report's text of the file (writing as many bytes; its
size is on the file's "#" line).  And the startup: each --small file is
read by both tools as the others, as tool startup-pingtrace and
startup-trace-cmd, but without the RssAnon sampler (0 in its column).  events is what pingtrace counted
("events" in its JSON summary), checked against the net:ip_icmp lines
of trace-cmd report: the runs stop when the two disagree.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time


def status_kb(pid, field):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid):
    """pid's children, theirs, and so on"""
    out = []
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open('/proc/%d/task/%d/children' % (p, p)) as f:
                kids = [int(k) for k in f.read().split()]
        except OSError:
            kids = []
        out.extend(kids)
        todo.extend(kids)
    return out


def run(argv, capture=False, stdout=None, sample=True):
    """Run argv under GNU time.

    sample=False: no RssAnon sampling (0 is returned for it).  The
    sampler is a thread of this process reading /proc every 5 ms: on two
    CPUs it takes one from a tool that runs in two processes (pingtrace
    report's reader and writer) and from none of trace-cmd's, which
    shows in a run of a few milliseconds; the startup runs go without.

    Returns (seconds, peak RSS in KB, peak RssAnon in KB, stdout if
    captured, CPU seconds).  The peak comes from GNU time: a child of
    this Python process would carry Python's own peak over from before
    its exec().  The CPU time (user + system) is GNU time's too, which
    counts the children the command waited for: pingtrace's reading
    child included.
    """
    with tempfile.TemporaryFile() as out, \
            tempfile.NamedTemporaryFile(mode='r') as rss:
        start = time.perf_counter()
        proc = subprocess.Popen(['/usr/bin/time', '-f', '%M %U %S', '-o',
                                 rss.name]
                                + argv, stderr=subprocess.PIPE,
                                stdout=stdout or (out if capture else
                                                  subprocess.DEVNULL))
        # RssAnon sampled every 5 ms on the side; the time is the wait's,
        # not quantized by the sampling's sleeps
        anon = [0]
        done = threading.Event()

        def sampling():
            while not done.is_set():
                anon[0] = max(anon[0], sum(status_kb(p, 'RssAnon')
                                           for p in descendants(proc.pid)))
                done.wait(0.005)
        sampler = threading.Thread(target=sampling)
        if sample:
            sampler.start()
        proc.wait()
        seconds = time.perf_counter() - start
        done.set()
        if sample:
            sampler.join()
        anon = anon[0]
        err = proc.stderr.read()
        if proc.returncode != 0:
            sys.exit('consumer: %s failed: %s' %
                     (' '.join(argv), err.decode(errors='replace')))
        out.seek(0)
        peak, user, system = rss.read().split()[-3:]
        return (seconds, int(peak), anon, out.read() if capture else None,
                float(user) + float(system))


def count_events(pingtrace, path):
    """Events of the file, as pingtrace and as trace-cmd count them."""
    text = run([pingtrace, 'report', '-q', '-F', 'json', path],
               capture=True)[3]
    summary = json.loads(text.decode().strip().splitlines()[-1])
    text = run(['trace-cmd', 'report', '-i', path], capture=True)[3]
    lines = len(re.findall(rb'\bip_icmp:', text))
    if summary['events'] != lines:
        sys.exit('consumer: %s: pingtrace counts %d events, trace-cmd '
                 'report prints %d' % (path, summary['events'], lines))
    return lines, summary


def version_of(path):
    with open(path, 'rb') as f:
        head = f.read(16)
    return head[10:11].decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--pingtrace', default='build/pingtrace')
    ap.add_argument('--v6dir', help='convert each file to version 6 here')
    ap.add_argument('--small', action='append', default=[],
                    help='a small file, to time the startup on')
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()

    files = list(args.files)
    if args.v6dir:
        os.makedirs(args.v6dir, exist_ok=True)
        for path in args.files:
            v6 = os.path.join(args.v6dir, os.path.basename(path)[:-4] +
                              '-v6.dat')
            subprocess.run(['trace-cmd', 'convert', '--file-version', '6',
                            '-i', path, '-o', v6], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            files.append(v6)

    tools = {
        'pingtrace': lambda f: [args.pingtrace, 'report', '-i', f],
        'pingtrace-q': lambda f: [args.pingtrace, 'report', '-q', '-i', f],
        'trace-cmd': lambda f: ['trace-cmd', 'report', '-i', f],
    }
    for path in args.small:
        name = os.path.basename(path)
        print('# startup %s: version %s, %d bytes' %
              (name, version_of(path), os.path.getsize(path)))
        for _ in range(args.runs * 4):
            for tool in ('pingtrace', 'trace-cmd'):
                seconds, rss, anon, _, _ = run(tools[tool](path),
                                               sample=False)
                print('startup-%s %s %s 0 %.4f %d %d' %
                      (tool, name, version_of(path), seconds, rss, anon))
        sys.stdout.flush()
    for path in files:
        events, summary = count_events(args.pingtrace, path)
        name = os.path.basename(path)
        text = tempfile.NamedTemporaryFile(prefix='pingtrace-out.')
        run(tools['pingtrace'](path), stdout=text)
        text.flush()
        tools['cat'] = lambda f: ['cat', f]
        tools['write'] = lambda f, t=text.name: ['cat', t]
        print('# %s: version %s, %d events, %d bytes, events_lost %d, '
              '%d echoes, %d bytes of text' %
              (name, version_of(path), events, os.path.getsize(path),
               summary['events_lost'], summary['sent'],
               os.path.getsize(text.name)))
        for _ in range(args.runs):
            for tool, argv in tools.items():
                seconds, rss, anon, _, cpu = run(argv(path))
                print('%s %s %s %d %.4f %d %d %.2f' %
                      (tool, name, version_of(path), events, seconds, rss,
                       anon, cpu))
                sys.stdout.flush()
        text.close()


if __name__ == '__main__':
    main()
