# SPDX-License-Identifier: GPL-2.0
"""Events of a trace file as the host's `trace-cmd report -t` prints them
(an independent reader: libtraceevent, no pingtrace code), for the
virtio-net and two-guest checkers.

Each event is a dict: 'event', 'ts' (integer ns, as recorded), 'cpu',
'comm', 'pid', 'host' (the file's name given to report(), or trace-cmd's
name for a file of a multi-file report), 'rest' (the event's printed
text), the printed fields ('dev',
'skbaddr', 'len', ...) and, for ip_icmp, 'dir', 'saddr', 'daddr', 'type',
'id' and 'seq' with numbers as int."""
import re
import subprocess

LINE_RE = re.compile(
    r'^\s*(?:(?P<host>\S+):\s+)?(?P<comm>.+?)-(?P<pid>\d+)\s+'
    r'\[(?P<cpu>\d+)\]\s*(?:\S+\s+)?(?P<sec>\d+)(?:\.(?P<frac>\d+))?:\s+'
    r'(?P<event>\w+):\s+(?P<rest>.*)$')
KV_RE = re.compile(r'(\w+)=(\S*)')
ICMP_RE = re.compile(r'^(?P<dir>SND|RCV) .*? (?P<saddr>[\d.]+) -> '
                     r'(?P<daddr>[\d.]+) ')
INT_KEYS = ('id', 'seq', 'len', 'ifindex', 'netns', 'ttl', 'rc', 'code')


def ns_of(sec, frac):
    """'123', '456789' -> 123456789000: report -t prints 9 digits for a
    nanosecond clock, fewer are padded.  With --raw-ts report prints the
    raw timestamp alone, no point: ns for the clocks recorded here."""
    if frac is None:
        return int(sec)
    return int(sec) * 10 ** 9 + int((frac + '000000000')[:9])


def parse_line(line):
    """One event of report's output, or None for any other line"""
    m = LINE_RE.match(line)
    if not m:
        return None
    ev = {'event': m.group('event'), 'ts': ns_of(m.group('sec'),
                                                   m.group('frac')),
          'cpu': int(m.group('cpu')), 'comm': m.group('comm').strip(),
          'pid': int(m.group('pid')), 'host': m.group('host')}
    rest = m.group('rest')
    ev['rest'] = rest
    for k, v in KV_RE.findall(rest):
        ev.setdefault(k, v)
    if ev['event'] == 'ip_icmp':
        im = ICMP_RE.match(rest)
        if not im:
            return None
        ev.update(im.groupdict())
    for k in INT_KEYS:
        if k in ev and re.fullmatch(r'-?\d+', str(ev[k])):
            ev[k] = int(ev[k])
    return ev


def run_report(args):
    """(stdout, error text or None) of trace-cmd report ARGS"""
    p = subprocess.run(['trace-cmd', 'report', '-t'] + args,
                       capture_output=True, text=True)
    if p.returncode != 0:
        return p.stdout, 'trace-cmd report %s exited %d: %s' % (
            ' '.join(args), p.returncode, p.stderr.strip()[-400:])
    return p.stdout, None


def report(dat, more=()):
    """(events, error or None, unparsed event lines) of one file"""
    out, err = run_report(list(more) + ['-i', dat])
    events, bad = [], []
    for line in out.splitlines():
        ev = parse_line(line)
        if ev:
            events.append(ev)
        elif 'FAILED TO PARSE' in line or 'ip_icmp:' in line:
            bad.append(line)
    return events, err, bad


def echoes(events, dir_, dev, src, dst, typ):
    """{seq: [ip_icmp events]} of one hop (direction, device, addresses,
    ICMP type name as report prints it)"""
    out = {}
    for ev in events:
        if (ev['event'] == 'ip_icmp' and ev['dir'] == dir_ and
                ev.get('dev') == dev and ev['saddr'] == src and
                ev['daddr'] == dst and ev.get('type') == typ):
            out.setdefault(ev['seq'], []).append(ev)
    return out
