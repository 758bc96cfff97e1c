#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: checkpatch.sh KERNEL_TREE SERIES_DIR...
# Run scripts/checkpatch.pl --strict on every patch.  Any ERROR or WARNING
# fails.  A CHECK is tolerated only where every include/trace/events/*.h
# header draws the same one, the layout of the TRACE_EVENT() macros:
# PARENTHESIS_ALIGNMENT and OPEN_ENDED_LINE on a trace event header.
set -eu
tree=$1
shift
# spdxcheck.py needs the system python with python3-ply
PATH=/usr/bin:$PATH
export PATH
status=0
for series in "$@"; do
	for p in "$series"/0*.patch; do
		case "$p" in */0000-cover-letter.patch) continue ;; esac
		abs=$(realpath "$p")
		out=$(cd "$tree" && ./scripts/checkpatch.pl --strict \
			--show-types --no-color "$abs" 2>&1) || true
		summary=$(echo "$out" | grep '^total:' || echo 'total: ?')
		bad=$(echo "$out" | awk '
			/^(ERROR|WARNING):/ { print; next }
			/^CHECK:/ { chk = $0; next }
			chk != "" && /^#[0-9]+: FILE:/ {
				if (chk !~ /^CHECK:(PARENTHESIS_ALIGNMENT|OPEN_ENDED_LINE):/ ||
				    $3 !~ /^include\/trace\/events\//)
					print chk " " $0
				chk = ""
			}')
		if [ -n "$bad" ] || ! echo "$summary" | grep -q '^total: 0 errors, 0 warnings'; then
			echo "checkpatch: $p: $summary"
			echo "$out"
			status=1
		else
			echo "checkpatch: $p: $summary"
		fi
	done
done
exit $status
