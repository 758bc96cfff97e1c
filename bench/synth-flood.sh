#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Synthesize the trace files of bench/run.sh's part "record" without the
# VM: a flood of N answered echoes per file, written as ring buffer
# pages by gen-trace (tests/unit/gen-trace.c) and made a trace.dat by
# trace-cmd's own writer (restore, then convert to version 7 with zstd,
# trace-cmd record's default), as tests/unit/make-trace.sh does.
#
#   synth-flood.sh GEN-TRACE OUTDIR N...     writes OUTDIR/flood-N.dat
#
# The files carry KALLSYMS_LINES [30000] lines of this host's
# /proc/kallsyms, about what the guest kernel's kallsyms holds, so that
# opening a file costs what opening a recorded one does.
set -eu
# the records and format of the series as the kernel has them (80 bytes)
export GEN_TRACE_LAYOUT=v2

gen=$1
out=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$out"
head -n "${KALLSYMS_LINES:-30000}" /proc/kallsyms > "$tmp/kallsyms"
. "$(dirname "$0")/../tests/unit/fake-tracing.sh"
fake_partial "$gen" "$tmp" "$tmp/kallsyms"

# for bench/report.py: these files are not the VM's
printf 'ECHOES="%s"\nKALLSYMS_LINES=%s\n' "$*" "${KALLSYMS_LINES:-30000}" \
	> "$out/synth.txt"
for n in "$@"; do
	"$gen" flood "$tmp/flood" "$n"
	(cd "$tmp" && trace-cmd restore -i partial.dat -o flood.dat \
		flood.cpu0 flood.cpu1 >/dev/null 2>&1)
	trace-cmd convert --file-version 7 --compression zstd \
		-i "$tmp/flood.dat" -o "$out/flood-$n.dat" >/dev/null 2>&1
	rm -f "$tmp/flood.dat" "$tmp/flood.cpu0" "$tmp/flood.cpu1"
	ls -l "$out/flood-$n.dat"
done
