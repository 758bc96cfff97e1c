#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: checkpatch.sh KERNEL_TREE SERIES_DIR...
# Run scripts/checkpatch.pl --strict on every patch.  Any ERROR or WARNING
# fails, but for two things every patch of its kind draws:
# - a CHECK where every include/trace/events/*.h header draws the same
#   one, the layout of the TRACE_EVENT() macros: PARENTHESIS_ALIGNMENT and
#   OPEN_ENDED_LINE on a trace event header;
# - FILE_PATH_CHANGES ("does MAINTAINERS need updating?"), which any
#   patch that adds a file and leaves MAINTAINERS alone draws, when every
#   file the patch adds is already in a MAINTAINERS section other than
#   THE REST, as scripts/get_maintainer.pl finds it.
set -eu
tree=$1
shift
# spdxcheck.py needs the system python with python3-ply
PATH=/usr/bin:$PATH
export PATH
status=0

# The files a patch adds
added_files() {
	awk '/^diff --git a\// { f = $4; sub(/^b\//, "", f) }
	     /^new file mode/ { print f }' "$1"
}

# The MAINTAINERS sections of a file, but THE REST
sections() {
	(cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
		--sections -f "$1" 2>/dev/null) |
		grep -v -e '^[A-Z]:	' -e '^$' -e '^THE REST$' || true
}

for series in "$@"; do
	for p in "$series"/0*.patch; do
		case "$p" in */0000-cover-letter.patch) continue ;; esac
		abs=$(realpath "$p")
		out=$(cd "$tree" && ./scripts/checkpatch.pl --strict \
			--show-types --no-color "$abs" 2>&1) || true
		summary=$(echo "$out" | grep '^total:' || echo 'total: ?')
		bad=$(echo "$out" | awk '
			/^WARNING:FILE_PATH_CHANGES:/ { next }
			/^(ERROR|WARNING):/ { print; next }
			/^CHECK:/ { chk = $0; next }
			chk != "" && /^#[0-9]+: FILE:/ {
				if (chk !~ /^CHECK:(PARENTHESIS_ALIGNMENT|OPEN_ENDED_LINE):/ ||
				    $3 !~ /^include\/trace\/events\//)
					print chk " " $0
				chk = ""
			}')
		warn=0
		note=
		if echo "$out" | grep -q '^WARNING:FILE_PATH_CHANGES:'; then
			warn=1
			for f in $(added_files "$abs"); do
				s=$(sections "$f" | paste -s -d, -)
				if [ -z "$s" ]; then
					bad="$bad
FILE_PATH_CHANGES: $f is in no MAINTAINERS section but THE REST"
				else
					note="$note
checkpatch: $p: adds $f, already in MAINTAINERS: $s"
				fi
			done
		fi
		if [ -n "$bad" ] || ! echo "$summary" |
		   grep -q "^total: 0 errors, $warn warnings"; then
			echo "checkpatch: $p: $summary"
			echo "$out"
			echo "$bad"
			status=1
		else
			echo "checkpatch: $p: $summary${note}"
		fi
	done
done
exit $status
