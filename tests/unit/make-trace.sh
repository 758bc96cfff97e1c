#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate the synthetic trace files in tests/unit/data/ (committed, so
# that the unit tests need neither a kernel nor trace-cmd):
#
#   make-trace.sh GEN-TRACE OUTDIR
#
# GEN-TRACE (gen-trace.c) writes ring buffer pages of net:ip_icmp
# records; "trace-cmd restore" turns them into a trace.dat with trace-cmd's
# own writer, and "trace-cmd convert" makes the version 6 and the
# compressed version 7 files.  The event formats come from a fake tracing
# directory: our net:ip_icmp format plus the running kernel's ftrace
# formats, which trace-cmd insists on.
set -eu

gen=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$out"
: > "$tmp/kallsyms"
. "$(dirname "$0")/fake-tracing.sh"
fake_partial "$gen" "$tmp" "$tmp/kallsyms"

restore() {	# restore NAME [BASE_NS]
	"$gen" cpus "$tmp/$1" ${2:-}
	(cd "$tmp" && trace-cmd restore -i partial.dat -o "$1.dat" \
		"$1.cpu0" "$1.cpu1" >/dev/null 2>&1)
}

restore boot
trace-cmd convert --file-version 6 -i "$tmp/boot.dat" \
	-o "$out/synthetic-v6.dat" >/dev/null 2>&1
trace-cmd convert --file-version 7 --compression zstd -i "$tmp/boot.dat" \
	-o "$out/synthetic-v7.dat" >/dev/null 2>&1

# 2026-01-02 03:04:05 UTC: times as trace-cmd record --date leaves them
restore wall 1767323045000000000
trace-cmd convert --file-version 7 --compression zstd -i "$tmp/wall.dat" \
	-o "$out/synthetic-wall.dat" >/dev/null 2>&1

# 250 answered echoes, 1,000 records on 9 pages a CPU: pages to walk
"$gen" flood "$tmp/flood" 250
(cd "$tmp" && trace-cmd restore -i partial.dat -o flood.dat \
	flood.cpu0 flood.cpu1 >/dev/null 2>&1)
trace-cmd convert --file-version 6 -i "$tmp/flood.dat" \
	-o "$out/synthetic-flood-v6.dat" >/dev/null 2>&1
trace-cmd convert --file-version 7 --compression zstd -i "$tmp/flood.dat" \
	-o "$out/synthetic-flood-v7.dat" >/dev/null 2>&1

ls -l "$out"
