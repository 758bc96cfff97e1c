#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot two test guests at once, wired by one virtio-net link, and bring
# each one's /out back (issue 13's two-host bench).
#
# usage: run-vms.sh BZIMAGE INITRAMFS SCENARIO OUTDIR
#
# Guest A runs SCENARIO-a, guest B SCENARIO-b, each by run-vm.sh (its
# timeout, results disk, and console shown on failure), into OUTDIR/a and
# OUTDIR/b.  A's NIC listens on a free port of 127.0.0.1 and B's connects
# to it (tests/vm/qemu-net.sh): the frames between them never leave the
# two QEMU processes' loopback socket.  The environment is run-vm.sh's.
#
# Exits 0 only when both guests ran their scenario to the end and passed.
set -u

kernel=$1
initrd=$2
scenario=$3
outdir=$4
here=$(cd "$(dirname "$0")" && pwd)
MAC_A=52:54:00:70:74:01
MAC_B=52:54:00:70:74:02

rm -rf "$outdir"
mkdir -p "$outdir"
port=$("$here/qemu-net.sh" free-port) || exit 1
echo "run-vms: $scenario: A listens on 127.0.0.1:$port, B connects"

start=$(date +%s)
VM_NET=$("$here/qemu-net.sh" listen "$port" $MAC_A) \
	"$here/run-vm.sh" "$kernel" "$initrd" "$scenario-a" "$outdir/a" \
	> "$outdir/run-a.log" 2>&1 &
pid_a=$!

# B's QEMU must find A's socket listening, or it exits at once.  Look for
# it passively (ss): a probe connection would be taken for B's NIC.
n=0
until ss -Htln "sport = :$port" 2> /dev/null | grep -q .; do
	n=$((n + 1))
	if [ $n -gt 300 ] || ! kill -0 $pid_a 2> /dev/null; then
		echo "run-vms: $scenario: guest A never listened on $port" >&2
		wait $pid_a
		cat "$outdir/run-a.log" >&2
		exit 1
	fi
	sleep 0.1
done

VM_NET=$("$here/qemu-net.sh" connect "$port" $MAC_B) \
	"$here/run-vm.sh" "$kernel" "$initrd" "$scenario-b" "$outdir/b" \
	> "$outdir/run-b.log" 2>&1 &
pid_b=$!

wait $pid_a
rc_a=$?
wait $pid_b
rc_b=$?
end=$(date +%s)
for g in a b; do
	echo "----- guest $g -----"
	cat "$outdir/run-$g.log"
done
echo "run-vms: $scenario: both guests ran $((end - start)) s" \
	"(A rc $rc_a, B rc $rc_b)"
[ $rc_a -eq 0 ] && [ $rc_b -eq 0 ]
