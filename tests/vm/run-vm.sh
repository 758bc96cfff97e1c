#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot the test guest on a scenario and bring its /out back.
#
# usage: run-vm.sh BZIMAGE INITRAMFS SCENARIO OUTDIR
# environment: ACCEL (tcg), VM_TCG_THREAD (single), VM_TIMEOUT (seconds,
#              600), VM_SMP (2), VM_MEM (512M), VM_DISK (results disk,
#              256M), VM_QEMU_ARGS (more QEMU options, e.g. -icount),
#              QEMU (qemu-system-x86_64), VM_NET (NICs, none by default:
#              tests/vm/qemu-net.sh prints them, on 127.0.0.1 only),
#              VM_APPEND (more kernel command line: a scenario's
#              pingtrace.NAME=VALUE settings)
#
# Exits 0 only when the guest ran the scenario to the end and it passed.
# A guest that hangs is killed after VM_TIMEOUT seconds; on any failure
# the console log is printed.
set -u

kernel=$1
initrd=$2
scenario=$3
outdir=$4
accel=${ACCEL:-tcg}
# Multi-threaded TCG (one host thread per vCPU) lets a guest vCPU run a
# call site that another vCPU is patching for a tracepoint toggle: the
# guest dies on "Oops: int3" (tests/vm/guest/hostile.sh finds it in
# seconds; upstream events too).  One thread for all vCPUs does not.
# VM_TCG_THREAD=multi brings the fast, racy mode back.
[ "$accel" = tcg ] && accel="tcg,thread=${VM_TCG_THREAD:-single}"
timeout=${VM_TIMEOUT:-600}
qemu=${QEMU:-qemu-system-x86_64}

rm -rf "$outdir"
mkdir -p "$outdir"
disk=$outdir/results.img
console=$outdir/console.log
truncate -s "${VM_DISK:-256M}" "$disk"

fail() {
	echo "run-vm: $scenario: $*" >&2
	echo "----- guest console ($console) -----" >&2
	tail -n 200 "$console" >&2
	echo "----- end of guest console -----" >&2
	exit 1
}

# no_timer_check: on a loaded host the kernel's boot-time check of the
# IO-APIC timer can see too few ticks of TCG's slow clock and panic
# ("IO-APIC + timer doesn't work!"), which a 10-minute run met once
start=$(date +%s)
timeout --foreground -k 10 "$timeout" "$qemu" \
	-accel "$accel" -m "${VM_MEM:-512M}" -smp "${VM_SMP:-2}" \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 oops=panic no_timer_check pingtrace.scenario=$scenario ${VM_APPEND:-}" \
	-drive "file=$disk,format=raw,if=virtio" ${VM_QEMU_ARGS:-} ${VM_NET:-} \
	< /dev/null > "$console" 2>&1
rc=$?
end=$(date +%s)
echo "run-vm: $scenario: guest ran $((end - start)) s (accel $accel)"

[ $rc -eq 124 ] && fail "guest did not finish within $timeout s"
[ $rc -ne 0 ] && fail "qemu exited with status $rc"
grep -q 'PINGTRACE-GUEST-DONE' "$console" ||
	fail "guest stopped before the end of the scenario"
tar -C "$outdir" -xf "$disk" 2>/dev/null ||
	fail "cannot read the results disk"
rm -f "$disk"
guest_rc=$(cat "$outdir/rc" 2>/dev/null)
[ "$guest_rc" = 0 ] || fail "scenario failed in the guest (rc=$guest_rc)"
exit 0
