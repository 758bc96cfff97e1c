# SPDX-License-Identifier: GPL-2.0
"""What the tests/vm checkers share: the bench's addresses, bench.env,
iputils ping's own output, and reporting in TAP (as rtla's
tests/engine.sh prints it), closed by a 'N passed, N failed' line."""
import json
import os
import re

# tests/vm/guest/lib.sh: netns a (va) <-veth-> netns b (vb); no host at .3
A, B, NOHOST = '198.51.100.1', '198.51.100.2', '198.51.100.3'

_counts = {'passed': 0, 'failed': 0, 'todo': 0}
_started = []


def _plan_header():
    if not _started:
        _started.append(True)
        print('TAP version 13')


def info(what):
    """A diagnostic line: TAP's '#' comment"""
    _plan_header()
    for line in str(what).splitlines() or ['']:
        print('# %s' % line)


def _point(status, what, detail):
    """Print test point N (status 'ok' or 'not ok') and, when it is not
    ok, a few lines of detail"""
    n = _counts['passed'] + _counts['failed'] + _counts['todo']
    print('%s %d - %s' % (status, n, what))
    if status != 'ok' and detail:
        for line in str(detail).splitlines()[:20]:
            print('#        %s' % line)


def check(ok, what, detail=None):
    """Count and print one check as a TAP test point; print detail (a few
    lines) on failure."""
    _plan_header()
    _counts['passed' if ok else 'failed'] += 1
    _point('ok' if ok else 'not ok', what, detail)
    return ok


def known_failure(ok, what, why, detail=None):
    """A check that fails for a reason outside this project, said so: TAP's
    '# TODO' directive, counted apart and not failing the run.  It passes
    like any check when ok; why must name the defect and where it is."""
    if ok:
        return check(ok, what)
    _plan_header()
    _counts['todo'] += 1
    _point('not ok', '%s # TODO %s' % (what, why), detail)
    return ok


def finish():
    """Print the plan and the closing line; the exit status: 0 only if all
    passed and there was something to check."""
    _plan_header()
    print('1..%d' % (_counts['passed'] + _counts['failed'] + _counts['todo']))
    if _counts['todo']:
        print('%(passed)d passed, %(failed)d failed, %(todo)d known '
              'failures (# TODO)' % _counts)
    else:
        print('%(passed)d passed, %(failed)d failed' % _counts)
    return 1 if _counts['failed'] or not _counts['passed'] else 0


def read_env(path):
    """bench.env (tests/vm/guest/lib.sh writes it) as a dict; numbers as
    int.  A missing file gives {}, and the checks that need it fail."""
    env = {}
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return env
    for line in lines:
        k, _, v = line.strip().partition('=')
        if k:
            env[k] = int(v) if re.fullmatch(r'-?\d+', v) else v
    return env


PING_REPLY_RE = re.compile(r'icmp_seq=(\d+) ttl=\d+ time=([\d.]+) ms')
# group 3: ping's '+N errors', when it printed any
PING_TOTALS_RE = re.compile(r'(\d+) packets transmitted, (\d+) received'
                            r'(?:, \+(\d+) errors)?')


def ping_text(text):
    """iputils ping's output: ({seq: rtt upper bound in ns}, transmitted,
    received).  ping rounds its times: the bound adds half of the last
    printed digit."""
    times, tx, rx = {}, None, None
    for line in (text or '').splitlines():
        m = PING_REPLY_RE.search(line)
        if m:
            digits = len(m.group(2).partition('.')[2])
            bound = float(m.group(2)) + 0.5 * 10 ** -digits
            times[int(m.group(1))] = int(bound * 1e6)
        m = PING_TOTALS_RE.search(line)
        if m:
            tx, rx = int(m.group(1)), int(m.group(2))
    return times, tx, rx


def ping_file(path):
    """ping_text() of a file; a missing file reads as no output"""
    try:
        with open(path) as f:
            return ping_text(f.read())
    except OSError:
        return ping_text('')


def read_result(outdir, name, default=None):
    """The text of the file NAME a guest scenario left in OUTDIR"""
    try:
        with open(os.path.join(outdir, name)) as f:
            return f.read()
    except OSError:
        return default


def result_rc(outdir, name):
    """The exit status in OUTDIR/NAME.rc; None when there is none"""
    text = read_result(outdir, '%s.rc' % name)
    return int(text) if text is not None else None


def pingtrace_jsonl(text):
    """pingtrace's JSON Lines: ({type: [objects]}, lines that do not
    parse)"""
    by_type, bad = {}, []
    for line in (text or '').splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            bad.append(line)
            continue
        by_type.setdefault(obj.get('type'), []).append(obj)
    return by_type, bad
