#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: run.sh BUILD OUTDIR
#
# The measurements of make bench, each part into OUTDIR/PART, for
# bench/report.py to write BENCHMARKS.md from:
#
#   cost-patched, cost-vanilla  bench-cost.sh under -icount on the bench
#                               kernel with and without the series (and
#                               a BPF kprobe program, bench/pt-bpf.c)
#   off-patched, off-vanilla    the same with no tracing at all, for the
#                               event-off comparison
#   record                      loopback floods recorded by trace-cmd
#   consumer                    pingtrace report and trace-cmd report on
#                               them, on this machine (bench/consumer.py)
#   live                        bench-live.sh: floods under each tool
#   longrun                     pingtrace live through LONGRUN_SECONDS of
#                               LONGRUN_PINGERS ping -i 0.001 side by side
#                               (tests/vm/guest/longrun.sh), checked by
#                               tests/vm/check_longrun.py
#
# The kernels (make kernel KFLAVOR=bench [VANILLA=1]), BUILD/pingtrace,
# BUILD/pt-clock and BUILD/pt-bpf must be built.  Environment (defaults
# in brackets):
#   BENCH_ROUNDS [7]  BENCH_PINGS [4000]       the cost floods
#   RECORD_ECHOES ["65536 262144"]             echoes per recorded flood
#                               (without the VM, bench/synth-flood.sh
#                               writes such files into OUTDIR/record)
#   CONSUMER_RUNS [5]                          timed runs per tool, file
#   SYNTH_ECHOES [1048576]                     the synthesized file's echoes
#                                              (4 events each), for memory
#   LIVE_STEPS ["1:0.002 4:0.001 8:0.001 1:f 2:f 4:f"]  LIVE_SECONDS [5]
#   LIVE_BUFFERS ["16 64 256"]           ring buffer KB per CPU
#   LIVE_ICMP_BUFFERS ["16"]             of those, the ones also run with
#                                        the ICMP events alone (live -D)
#   LONGRUN_SECONDS [600]  LONGRUN_PINGERS [2]
#   BENCH_PARTS ["cost off record consumer live longrun"]
#   BENCH_KERNELS ["patched vanilla"]          the cost and off parts' kernels
#   BENCH_MODES [each kernel's own]            the cost part's modes
#   BENCH_PATHS ["lo veth lo6 veth6"]          the cost floods' paths: the
#                               ...6 ones ping -6 (::1, and veth), with no
#                               tracing and net:ip6_icmp only
#                               (patched: off tracepoint stages kprobe
#                               bpf bpf-live bpftrace; vanilla: off
#                               kprobe bpf;
#                               tests/vm/guest/bench-cost.sh); an override
#                               applies to both, less what vanilla lacks
set -eu

build=${1:?usage: run.sh BUILD OUTDIR}
out=${2:?usage: run.sh BUILD OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
vm=$top/tests/vm
patched=$build/kernel-6.12-bench
vanilla=$build/kernel-6.12-bench-vanilla
ksrc=$build/linux-6.12

: "${BENCH_ROUNDS:=7}" "${BENCH_PINGS:=4000}"
: "${RECORD_ECHOES:=65536 262144}" "${CONSUMER_RUNS:=5}"
: "${SYNTH_ECHOES:=1048576}"
: "${LIVE_STEPS:=1:0.002 4:0.001 8:0.001 1:f 2:f 4:f}" "${LIVE_SECONDS:=5}"
: "${LIVE_BUFFERS:=16 64 256}" "${LIVE_ICMP_BUFFERS=16}"
: "${LONGRUN_SECONDS:=600}" "${LONGRUN_PINGERS:=2}"
: "${BENCH_PARTS:=cost off record consumer live longrun}"

mkdir -p "$out"
# the machine, for BENCHMARKS.md, and a copy in each part measured:
# BENCH_PARTS may run the parts in different runs, from different commits
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "nproc=$(nproc)"
	echo "host_kernel=$(uname -r)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "trace_cmd=$(trace-cmd --version 2>/dev/null | grep -o 'version [0-9.]*' | head -n 1)"
	echo "libtracecmd=$(dpkg-query -W -f '${Version}' libtracecmd1 2>/dev/null)"
	echo "commit=$(git -C "$top" describe --always --dirty 2>/dev/null)"
} > "$out/machine.txt"
stage=$(mktemp -d "${TMPDIR:-/tmp}/pingtrace-bench.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# initramfs KOBJ MODES [TOOLS]: the test guest with pingtrace, pt-clock,
# the host programs TOOLS and the configuration of this run in /root
initramfs() {
	cat > "$stage/bench.conf" <<EOC
ROUNDS=$BENCH_ROUNDS
PINGS=$BENCH_PINGS
MODES="$2"
PATHS="${BENCH_PATHS:-lo veth lo6 veth6}"
$("$here/skb-offsets.sh" "$1" | tr a-z A-Z)
RECORD_ECHOES="$RECORD_ECHOES"
RECORD_BUFFER_KB=$(( $(echo "$RECORD_ECHOES" | tr ' ' '\n' |
	sort -n | tail -n 1) * 4 * 80 / 1024 + 1024 ))
LIVE_STEPS="$LIVE_STEPS"
LIVE_SECONDS=$LIVE_SECONDS
LIVE_BUFFERS="$LIVE_BUFFERS"
LIVE_ICMP_BUFFERS="$LIVE_ICMP_BUFFERS"
EOC
	INITRAMFS_TOOLS=${3:-} "$vm/mkinitramfs.sh" "$stage/initramfs.cpio.gz" "$ksrc" \
		"$build/pingtrace" "$build/pt-clock" "$build/pt-bpf" \
		"$stage/bench.conf"
}

part() {
	case " $BENCH_PARTS " in *" $1 "*) return 0 ;; esac
	return 1
}

# The cost floods count instructions: QEMU's -icount with shift=0 makes
# the guest clock advance 1 ns per guest instruction, with one vCPU and
# no sleeping (sleep=off), so a flood's time is its instruction count.
# cost_boot KOBJ MODES OUTDIR: one boot of bench-cost.sh in those modes
cost_boot() {
	# bpftrace (LLVM, clang) only where it runs: an 85 MB initramfs
	# instead of 7 MB, and the room to run it
	tools= mem=512M
	case " $2 " in *" bpftrace "*) tools=bpftrace mem=1G ;; esac
	initramfs "$1" "$2" "$tools"
	VM_MEM=$mem VM_SMP=1 VM_TIMEOUT=${VM_TIMEOUT:-2400} \
	VM_QEMU_ARGS="-icount shift=0,sleep=off" \
		"$vm/run-vm.sh" "$1/arch/x86/boot/bzImage" \
		"$stage/initramfs.cpio.gz" bench-cost "$3"
	cp "$1/.config" "$3/config"
	cp "$stage/bench.conf" "$out/machine.txt" "$3/"
}

if part cost; then
	for k in ${BENCH_KERNELS:-patched vanilla}; do
		modes=${BENCH_MODES:-off tracepoint stages kprobe bpf bpf-live bpftrace}
		# without the series there is no net:ip_icmp to enable
		[ $k = vanilla ] && modes=$(echo "${BENCH_MODES:-off kprobe bpf}" |
			tr ' ' '\n' | grep -vx -e tracepoint -e stages | tr '\n' ' ')
		cost_boot "$(eval echo "\$$k")" "$modes" "$out/cost-$k"
	done
fi

if part off; then
	# The event-off comparison, in a boot per kernel that traces
	# nothing, the same for both: above, the patched kernel's boot runs
	# bpftrace (1 GB and an 85 MB initramfs, against 512 MB and 7 MB)
	# and traces in ways the unpatched one cannot before some of its
	# event-off floods.  That made its ::1 echoes 48 instructions
	# longer, event off, in every round; in boots like these, +1.  A
	# boot of only event-off and tracepoint floods on ::1 stayed at the
	# clean count: enabling and disabling the event leaves nothing.
	for k in ${BENCH_KERNELS:-patched vanilla}; do
		cost_boot "$(eval echo "\$$k")" off "$out/off-$k"
	done
fi

# Plain TCG from here: the trace files and the live runs count events
if part record; then
	initramfs "$patched" off
	VM_MEM=1536M VM_DISK=1G VM_TIMEOUT=${VM_TIMEOUT:-1800} \
		"$vm/run-vm.sh" "$patched/arch/x86/boot/bzImage" \
		"$stage/initramfs.cpio.gz" bench-record "$out/record"
	cp "$stage/bench.conf" "$out/machine.txt" "$out/record/"
fi

if part consumer; then
	mkdir -p "$out/consumer"
	small=$(ls -S "$out/record"/flood-*.dat | tail -n 1)
	# the startup on a small recorded file, the fixture
	# 4M events for the memory: synthesized, the VM would take an hour
	"$here/synth-flood.sh" "$build/gen-trace" "$out/consumer/synth" \
		"$SYNTH_ECHOES" > /dev/null
	mv "$out/consumer/synth/flood-$SYNTH_ECHOES.dat" \
		"$out/consumer/synth-flood-$SYNTH_ECHOES.dat"
	rm -rf "$out/consumer/synth"
	"$here/consumer.py" --runs "$CONSUMER_RUNS" \
		--pingtrace "$build/pingtrace" --v6dir "$out/consumer" \
		--small "$top/tests/fixtures/veth-v6.dat" \
		"$out/record"/flood-*.dat \
		"$out/consumer/synth-flood-$SYNTH_ECHOES.dat" \
		> "$out/consumer/consumer.txt"
	cat "$out/consumer/consumer.txt"
	cp "$out/machine.txt" "$out/consumer/"
	# where pingtrace report's instructions go, on the smaller file:
	# in the child that reads it and the one that pairs and writes, on
	# a CPU each (consumer/replay.c)
	rm -f "$out/consumer"/callgrind.out*
	valgrind --tool=callgrind \
		--callgrind-out-file="$out/consumer/callgrind.out.%p" \
		"$build/pingtrace" report -i "$small" > /dev/null 2>&1
	# the reader runs split_put(), the writer the pairing
	for f in $(ls -S "$out/consumer"/callgrind.out.*); do
		if grep -q split_put "$f"; then
			side=reader
		elif grep -q pt_pair_feed "$f"; then
			side=writer
		else
			continue
		fi
		[ -e "$out/consumer/callgrind.$side" ] ||
			mv "$f" "$out/consumer/callgrind.$side"
	done
	rm -f "$out/consumer"/callgrind.out.*
	: > "$out/consumer/profile.txt"
	for side in reader writer; do
		f=$out/consumer/callgrind.$side
		[ -e "$f" ] || continue
		{
			echo "$side ($(grep -h '^summary' "$f" | awk '{print $2}') instructions), inclusive:"
			callgrind_annotate --inclusive=yes "$f" |
				sed -n '/file:function/,$p' | sed -n '13,30p'
			echo
			echo "$side, self:"
			callgrind_annotate "$f" |
				sed -n '/file:function/,$p' | sed -n '3,16p'
			echo
		} | cut -c1-130 >> "$out/consumer/profile.txt"
	done
fi

if part live; then
	initramfs "$patched" off
	VM_TIMEOUT=${VM_TIMEOUT:-1800} \
		"$vm/run-vm.sh" "$patched/arch/x86/boot/bzImage" \
		"$stage/initramfs.cpio.gz" bench-live "$out/live"
	cp "$stage/bench.conf" "$out/machine.txt" "$out/live/"
fi

# Issue 15's long run, on the bench kernel: its checks (rate, nothing
# lost, memory flat) go into check.txt for report.py, pass or fail; a
# failed run is a result, not the end of the bench
if part longrun; then
	initramfs "$patched" off
	rm -rf "$out/longrun"
	VM_TIMEOUT=$((LONGRUN_SECONDS + 300)) \
	VM_APPEND="pingtrace.seconds=$LONGRUN_SECONDS pingtrace.interval=0.001 pingtrace.pingers=$LONGRUN_PINGERS" \
		"$vm/run-vm.sh" "$patched/arch/x86/boot/bzImage" \
		"$stage/initramfs.cpio.gz" longrun "$out/longrun" ||
		echo "run.sh: longrun: the guest failed" >&2
	mkdir -p "$out/longrun"
	"$vm/check_longrun.py" "$out/longrun" 1000 > "$out/longrun/check.txt" ||
		echo "run.sh: longrun: checks failed" >&2
	cat "$out/longrun/check.txt"
	cp "$out/machine.txt" "$out/longrun/"
fi
