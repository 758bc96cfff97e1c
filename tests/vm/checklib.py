# SPDX-License-Identifier: GPL-2.0
"""What the tests/vm checkers share: one 'ok'/'FAILED' line per check and
a closing 'N passed, N failed' line."""

_counts = {'passed': 0, 'failed': 0}


def check(ok, what, detail=None):
    """Count and print one check; print detail (a few lines) on failure."""
    if ok:
        _counts['passed'] += 1
        print('ok     %s' % what)
    else:
        _counts['failed'] += 1
        print('FAILED %s' % what)
        if detail:
            for line in str(detail).splitlines()[:20]:
                print('       %s' % line)
    return ok


def finish():
    """Print the closing line; the exit status: 0 only if all passed."""
    print('%(passed)d passed, %(failed)d failed' % _counts)
    return 1 if _counts['failed'] or not _counts['passed'] else 0
