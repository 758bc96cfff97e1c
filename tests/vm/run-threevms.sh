#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot three test guests at once, wired in a triangle of virtio-net
# links, and bring each one's /out back (issue 13's three-host bench).
#
# usage: run-threevms.sh BZIMAGE INITRAMFS SCENARIO OUTDIR
#
# Guest A runs SCENARIO-a, B SCENARIO-b, C SCENARIO-c, each by run-vm.sh
# (its timeout, results disk, and console shown on failure), into
# OUTDIR/a, OUTDIR/b and OUTDIR/c.  Each guest has two NICs, one per
# link, each link a -netdev socket pair on 127.0.0.1 (qemu-net.sh): A
# listens for A-B and A-C, B connects to A-B and listens for B-C, C
# connects to both.  The frames never leave the QEMU processes' loopback
# sockets.  The MACs are those of tests/vm/guest/threehost-lib.sh.
#
# Exits 0 only when the three guests ran their scenario to the end and
# passed.
set -u

kernel=$1
initrd=$2
scenario=$3
outdir=$4
here=$(cd "$(dirname "$0")" && pwd)
net=$here/qemu-net.sh

rm -rf "$outdir"
mkdir -p "$outdir"
port_ab=$("$net" free-port) || exit 1
port_ac=$("$net" free-port) || exit 1
port_bc=$("$net" free-port) || exit 1
echo "run-threevms: $scenario: A-B on 127.0.0.1:$port_ab, A-C on" \
	"$port_ac, B-C on $port_bc"

# wait_listen PORT PID NAME: until PORT listens (seen passively with ss:
# a probe connection would be taken for a NIC), or guest PID is gone
wait_listen() {
	n=0
	until ss -Htln "sport = :$1" 2> /dev/null | grep -q .; do
		n=$((n + 1))
		if [ $n -gt 300 ] || ! kill -0 "$2" 2> /dev/null; then
			echo "run-threevms: $scenario: guest $3 never listened" \
				"on $1" >&2
			cat "$outdir/run-$(echo "$3" | tr A-C a-c).log" >&2
			return 1
		fi
		sleep 0.1
	done
}

start=$(date +%s)
VM_NET="$("$net" listen "$port_ab" 52:54:00:70:74:01 ab) $("$net" listen "$port_ac" 52:54:00:70:74:11 ac)" \
	"$here/run-vm.sh" "$kernel" "$initrd" "$scenario-a" "$outdir/a" \
	> "$outdir/run-a.log" 2>&1 &
pid_a=$!
pid_b=
pid_c=
ok=1
wait_listen "$port_ab" $pid_a A && wait_listen "$port_ac" $pid_a A || ok=0

if [ $ok = 1 ]; then
	VM_NET="$("$net" connect "$port_ab" 52:54:00:70:74:02 ab) $("$net" listen "$port_bc" 52:54:00:70:74:22 bc)" \
		"$here/run-vm.sh" "$kernel" "$initrd" "$scenario-b" \
		"$outdir/b" > "$outdir/run-b.log" 2>&1 &
	pid_b=$!
	wait_listen "$port_bc" $pid_b B || ok=0
fi
if [ $ok = 1 ]; then
	VM_NET="$("$net" connect "$port_ac" 52:54:00:70:74:13 ac) $("$net" connect "$port_bc" 52:54:00:70:74:23 bc)" \
		"$here/run-vm.sh" "$kernel" "$initrd" "$scenario-c" \
		"$outdir/c" > "$outdir/run-c.log" 2>&1 &
	pid_c=$!
fi

# A guest left waiting for a peer that never came ends by its own
# run-vm.sh timeout
rc_a=1 rc_b=1 rc_c=1
wait $pid_a; rc_a=$?
[ -n "$pid_b" ] && { wait $pid_b; rc_b=$?; }
[ -n "$pid_c" ] && { wait $pid_c; rc_c=$?; }
end=$(date +%s)
for g in a b c; do
	echo "----- guest $g -----"
	cat "$outdir/run-$g.log" 2> /dev/null
done
echo "run-threevms: $scenario: the guests ran $((end - start)) s" \
	"(A rc $rc_a, B rc $rc_b, C rc $rc_c)"
[ $ok = 1 ] && [ $rc_a -eq 0 ] && [ $rc_b -eq 0 ] && [ $rc_c -eq 0 ]
