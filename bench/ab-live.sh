#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: ab-live.sh BUILD_A BUILD_B OUTDIR [ROUNDS]
#
# Two builds of pingtrace, live, against each other: ROUNDS [4] boots of
# run.sh's live part for each, alternated (A B A B ...) so that the
# machine's noise falls on both, then one line a build and tool:
#
#   build tool runs mean_echoes_per_s missing_% clean_runs cpu_s_per_run
#
# missing_% is the ICMP events missing (4 x answered echoes - events)
# over all the runs' expected events, clean_runs the runs missing none.
# BUILD_A and BUILD_B are laid out as run.sh's BUILD (pingtrace and
# links to kernel-6.12-bench, linux-6.12, pt-clock, pt-bpf).  The live
# part's environment applies; the defaults here are the smallest
# buffer's floods, where the losses are: LIVE_BUFFERS=16
# LIVE_STEPS="2:f 4:f" LIVE_ICMP_BUFFERS=16.
set -eu

a=${1:?usage: ab-live.sh BUILD_A BUILD_B OUTDIR [ROUNDS]}
b=${2:?usage: ab-live.sh BUILD_A BUILD_B OUTDIR [ROUNDS]}
out=${3:?usage: ab-live.sh BUILD_A BUILD_B OUTDIR [ROUNDS]}
rounds=${4:-4}
here=$(cd "$(dirname "$0")" && pwd)

: "${LIVE_BUFFERS:=16}" "${LIVE_STEPS:=2:f 4:f}" "${LIVE_ICMP_BUFFERS:=16}"
export LIVE_BUFFERS LIVE_STEPS LIVE_ICMP_BUFFERS
export BENCH_PARTS=live

for build in "$a" "$b"; do
	if [ ! -x "$build/pingtrace" ]; then
		echo "ab-live: $build/pingtrace: not built" >&2
		exit 1
	fi
done
mkdir -p "$out"
r=1
while [ "$r" -le "$rounds" ]; do
	for side in A B; do
		[ "$side" = A ] && build=$a || build=$b
		if ! "$here/run.sh" "$build" "$out/$side-$r" \
		     > "$out/$side-$r.log" 2>&1; then
			echo "ab-live: round $r of $side failed:" \
			     "$out/$side-$r.log" >&2
			exit 1
		fi
	done
	r=$((r + 1))
done

# live.txt: tool buffer_kb step sent received elapsed events lost cpu ...
for side in A B; do
	cat "$out/$side"-*/live/live.txt |
	awk -v side="$side" -v secs="${LIVE_SECONDS:-5}" '
	{
		t = $1; n[t]++; exp_ev[t] += 4 * $5; rate[t] += $5 / secs
		m = 4 * $5 - $7; if (m < 0) m = 0
		miss[t] += m; clean[t] += (m == 0); cpu[t] += $9
	}
	END {
		for (t in n)
			printf "%s %s %d %d %.3f %d %.2f\n", side, t, n[t],
			       rate[t] / n[t],
			       exp_ev[t] ? 100 * miss[t] / exp_ev[t] : 0,
			       clean[t], cpu[t] / n[t]
	}' | sort -k2
done | tee "$out/summary.txt"
