#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What tests/kernel/objcheck.sh built, checked (TAP):

1. No new warning: the W=1 C=2 build of the series draws no warning or
   error, per config, that the unpatched tree does not draw.  Warnings are
   compared as a multiset of (file, kind, message), line numbers dropped,
   so a patch that only moves code draws no "new" warning and a second
   copy of an old warning still counts.

2. Free when disabled, with Debian's config and with the bench kernel's
   (both with jump labels and netfilter; the bench one small, at -O2):
   each hot-path function grows by at most HOT_PATH_BOUND bytes and saves
   no more callee-saved registers than before: ip_output(), ip_mc_output()
   and ip_rcv_core() for net:ip_icmp, ip6_output() and ip6_rcv_core() for
   net:ip6_icmp.  The receive cores are static: where GCC inlines one into
   its callers (ip_rcv() and ip_list_rcv(), ipv6_rcv() and
   ipv6_list_rcv()), those are checked instead; an inlining decision
   that differs between the two builds is itself a change of the hot
   path, and fails.

   HOT_PATH_BOUND: a disabled event costs its static branch and the call
   it guards, and nothing else.  On x86-64 that is a 5-byte jump-label NOP
   at the call site and, out of line, at most two register moves for the
   helper's arguments (3 bytes each), a 5-byte call and a 5-byte jump back
   to the hot path: 21 bytes, plus 3 for an argument taken as an
   immediate instead of a register (mov $imm32,%esi is 5 bytes): 24.
"""
import argparse
import collections
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'vm'))
from checklib import check, info, finish  # noqa: E402

HOT_PATH_BOUND = 24
CALLEE_SAVED = ('%rbx', '%rbp', '%r12', '%r13', '%r14', '%r15')
KINDS = ('debian', 'bench')

WARN_RE = re.compile(r'^(?P<file>[^\s:]+):(?P<line>\d+):(?:\d+:)?\s*'
                     r'(?P<kind>warning|error):\s*(?P<msg>.*)$')


def warnings(path, src):
    """The warning and error lines of a build log, normalised"""
    found = collections.Counter()
    try:
        with open(path, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        m = WARN_RE.match(line.strip())
        if not m:
            continue
        name = m.group('file')
        name = os.path.relpath(os.path.abspath(name), src) \
            if name.startswith('/') else re.sub(r'^(\.\./)+', '', name)
        found[(name, m.group('kind'), m.group('msg'))] += 1
    return found


def check_warnings(work, src, kver):
    for kind in KINDS:
        old = warnings(os.path.join(work, kind + '-vanilla.log'), src)
        new = warnings(os.path.join(work, kind + '-patched.log'), src)
        if not check(old is not None and new is not None,
                     '%s %s: W=1 C=2 build logs exist' % (kver, kind)):
            continue
        added = new - old
        info('%s %s: W=1 C=2 warnings: %d unpatched, %d patched, %d new'
             % (kver, kind, sum(old.values()), sum(new.values()),
                sum(added.values())))
        check(not added, '%s %s: the series draws no new W=1 or sparse '
              'warning' % (kver, kind),
              '\n'.join('%s: %s: %s (x%d)' % (k + (n,))
                        for k, n in sorted(added.items())))


def symbols(obj):
    """{function name: [(address, size, piece name)]}: pieces such as
    .cold, .part.0, .isra.0 are counted with the function they came from"""
    out = subprocess.run(['nm', '-S', '--defined-only', obj], check=True,
                         capture_output=True, text=True).stdout
    funcs = collections.defaultdict(list)
    for line in out.splitlines():
        f = line.split()
        if len(f) != 4 or f[2] not in 'tT':
            continue
        base = f[3].split('.')[0]
        funcs[base].append((int(f[0], 16), int(f[1], 16), f[3]))
    return funcs


def disassembly(obj):
    """{piece name: [instruction text]}"""
    out = subprocess.run(['objdump', '-d', '--no-show-raw-insn', obj],
                         check=True, capture_output=True, text=True).stdout
    code, cur = {}, None
    for line in out.splitlines():
        m = re.match(r'^[0-9a-f]+ <(.+)>:$', line)
        if m:
            cur = code.setdefault(m.group(1), [])
        elif cur is not None and re.match(r'^\s+[0-9a-f]+:\t', line):
            cur.append(line.split('\t', 1)[1].strip())
    return code


def pushes(code, pieces):
    return sum(1 for p in pieces for insn in code.get(p[2], [])
               if re.match(r'push\s+(%s)$' % '|'.join(
                   re.escape(r) for r in CALLEE_SAVED), insn))


class Obj:
    def __init__(self, path):
        self.path = path
        self.funcs = symbols(path)
        self.code = disassembly(path)

    def size(self, fn):
        return sum(p[1] for p in self.funcs[fn])

    def saves(self, fn):
        return pushes(self.code, self.funcs[fn])


def check_function(kver, old, new, fn):
    """kver is 'KVER KIND' in what is printed"""
    o_size, n_size = old.size(fn), new.size(fn)
    o_push, n_push = old.saves(fn), new.saves(fn)
    info('%s %s(): %d -> %d bytes (%+d), callee-saved pushes %d -> %d'
         % (kver, fn, o_size, n_size, n_size - o_size, o_push, n_push))
    check(n_size - o_size <= HOT_PATH_BOUND,
          '%s %s() grows by at most %d bytes (a static branch and a call)'
          % (kver, fn, HOT_PATH_BOUND),
          '%d -> %d bytes: %+d' % (o_size, n_size, n_size - o_size))
    check(n_push <= o_push,
          '%s %s() saves no more callee-saved registers' % (kver, fn),
          'push of %s: %d -> %d' % ('/'.join(CALLEE_SAVED), o_push, n_push))


def check_hot_paths(work, src, kver, kind):
    old_dir = os.path.join(work, kind + '-vanilla')
    new_dir = os.path.join(work, kind + '-patched')
    kver = '%s %s' % (kver, kind)
    plan = {'ip_output.o': [('ip_output',), ('ip_mc_output',)],
            'ip_input.o': [('ip_rcv_core', 'ip_rcv', 'ip_list_rcv')],
            'ip6_output.o': [('ip6_output',)],
            'ip6_input.o': [('ip6_rcv_core', 'ipv6_rcv', 'ipv6_list_rcv')]}
    bloat = os.path.join(src, 'scripts', 'bloat-o-meter')
    for objname, groups in plan.items():
        a = os.path.join(old_dir, objname)
        b = os.path.join(new_dir, objname)
        if not check(os.path.exists(a) and os.path.exists(b),
                     '%s: %s built with and without the series'
                     % (kver, objname)):
            continue
        r = subprocess.run([bloat, a, b], capture_output=True, text=True)
        info('%s: bloat-o-meter %s\n%s' % (kver, objname, r.stdout))
        old, new = Obj(a), Obj(b)
        for group in groups:
            fn = group[0]
            if not check(fn in old.funcs or fn in new.funcs or
                         len(group) > 1,
                         '%s %s() is in %s' % (kver, fn, objname)):
                continue
            if len(group) == 1:
                check_function(kver, old, new, fn)
                continue
            # a static function GCC may inline into its callers
            inl_old, inl_new = fn not in old.funcs, fn not in new.funcs
            if not check(inl_old == inl_new,
                         '%s %s() is inlined in both builds or in neither'
                         % (kver, fn),
                         'inlined: unpatched %s, patched %s'
                         % (inl_old, inl_new)):
                continue
            if not inl_old:
                check_function(kver, old, new, fn)
                continue
            info('%s %s() is inlined: checking %s'
                 % (kver, fn, ', '.join(group[1:])))
            for caller in group[1:]:
                if check(caller in old.funcs and caller in new.funcs,
                         '%s %s() is in %s' % (kver, caller, objname)):
                    check_function(kver, old, new, caller)
    a = os.path.join(old_dir, 'net-traces.o')
    b = os.path.join(new_dir, 'net-traces.o')
    if os.path.exists(a) and os.path.exists(b):
        r = subprocess.run([bloat, a, b], capture_output=True, text=True)
        lines = r.stdout.splitlines()
        info('%s: bloat-o-meter net-traces.o (total)\n%s'
             % (kver, '\n'.join(lines[:1] + lines[-1:])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kver', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--src', required=True)
    ap.add_argument('objs', nargs='*')
    args = ap.parse_args()
    check_warnings(args.work, os.path.abspath(args.src), args.kver)
    for kind in KINDS:
        check_hot_paths(args.work, args.src, args.kver, kind)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
