#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario: hostile packets and event toggling under a flood.
#
# 1. craft: /root/pt-craft (tests/crafter) injects malformed IPv4 frames
#    on va in netns a, so vb in netns b runs them through ip_rcv_core(),
#    while trace-cmd records net:ip_icmp.  Every case runs REPS times,
#    each run with its own IP ids.  The crafter's expectations go to
#    cases.jsonl, the trace to craft.dat.  Then the IPv6 cases (-6),
#    through ip6_rcv_core() with net:ip6_icmp: cases6.jsonl, craft6.dat.
# 2. stress: for SECS seconds, ping -f floods from a to b and the crafter
#    loops (IPv4 and IPv6 cases), while the event is switched on and off in the top-level
#    buffer and in three more tracefs instances at once.  Then a normal
#    ping must get every reply.
# dmesg ends in dmesg.txt; tests/vm/check_hostile.py judges it all.
#
# /root/hostile.env, when given to mkinitramfs.sh as an extra file, may
# set REPS, SECS and TOGGLE (the event the stress phase switches, as
# SYSTEM/EVENT; another event than net/ip_icmp tells whether a crash
# comes from the series or from tracing itself).
. /tests/lib.sh
set -u

REPS=5
SECS=20
TOGGLE=net/ip_icmp
[ -r /root/hostile.env ] && . /root/hostile.env
CRAFT=/root/pt-craft
T=/sys/kernel/tracing
INSTANCES="h1 h2 h3"

# rx_packets of vb, read inside netns b
vb_rx() {
	ip netns exec b cat /sys/class/net/vb/statistics/rx_packets
}

# toggle NAME ON OFF FILE: write ON then OFF to FILE until stop exists;
# the number of on/off pairs goes to toggles.NAME
toggle() {
	n=0
	while [ ! -e /tmp/stop ]; do
		echo "$2" > "$4"
		echo "$3" > "$4"
		n=$((n + 1))
	done
	echo "$n" > "toggles.$1"
}

# the crafter, every case, over and over until stop exists
craft_loop() {
	n=0
	while [ ! -e /tmp/stop ]; do
		ip netns exec a $CRAFT -g 0 -d "$mac_vb" -i 0xe000 va all \
			> /dev/null 2>> craft-loop.err
		ip netns exec a $CRAFT -6 -g 0 -d "$mac_vb" -i 0xe000 va all \
			> /dev/null 2>> craft-loop.err
		n=$((n + 1))
	done
	echo "$n" > craft-loop.count
}

# events written to an instance's ring buffer: read, still there, or
# overwritten
ring_events() {
	cat "$1"/per_cpu/cpu*/stats | awk '
		/^(entries|overrun|read events):/ { n += $NF }
		END { print n + 0 }'
}

[ -x $CRAFT ] || { echo "hostile: no $CRAFT in the initramfs"; exit 1; }
setup_netns || exit 1
# frames of a page or more make AF_PACKET build paged skbs
ip -n a link set va mtu 9000 || exit 1
ip -n b link set vb mtu 9000 || exit 1
mac_vb=$(ip netns exec b cat /sys/class/net/vb/address)
echo "mac_vb=$mac_vb" >> bench.env

step "craft: $($CRAFT -l | wc -l) cases, $REPS runs"
echo "craft_reps=$REPS" > craft.env
echo "vb_rx_before=$(vb_rx)" >> craft.env
record craft 6 a sh -c "
	r=1
	while [ \$r -le $REPS ]; do
		$CRAFT -d $mac_vb -i \$((4096 + r * 256)) va all \
			>> cases.jsonl || echo \"run \$r failed\" >&2
		r=\$((r + 1))
	done
	sleep 1"
echo "vb_rx_after=$(vb_rx)" >> craft.env

# The same for IPv6 and net:ip6_icmp: the cases' keys are flow labels
step "craft6: $($CRAFT -6 -l | wc -l) IPv6 cases, $REPS runs"
echo "vb_rx_before6=$(vb_rx)" >> craft.env
export RECORD_EVENT=net:ip6_icmp
record craft6 6 a sh -c "
	r=1
	while [ \$r -le $REPS ]; do
		$CRAFT -6 -d $mac_vb -i \$((0x10000 + r * 256)) va all \
			>> cases6.jsonl || echo \"run \$r failed\" >&2
		r=\$((r + 1))
	done
	sleep 1"
unset RECORD_EVENT
echo "vb_rx_after6=$(vb_rx)" >> craft.env

step "stress: ping -f for $SECS s, toggling $TOGGLE in 4 buffers"
for i in $INSTANCES; do
	mkdir $T/instances/$i || exit 1
done
rm -f /tmp/stop
toggle top 1 0 $T/events/$TOGGLE/enable &
toggle h1 1 0 $T/instances/h1/events/$TOGGLE/enable &
toggle h2 1 0 $T/instances/h2/events/${TOGGLE%/*}/enable &
toggle h3 "${TOGGLE%/*}:${TOGGLE#*/}" "!${TOGGLE%/*}:${TOGGLE#*/}" \
	$T/instances/h3/set_event &
cat $T/instances/h1/trace_pipe > /dev/null &
reader=$!
craft_loop &
ip netns exec a /usr/bin/ping -f -q -w "$SECS" $B > flood.out 2>&1
echo "$?" > flood.rc
touch /tmp/stop
sleep 1
kill "$reader"
wait

{
	echo "stress_secs=$SECS"
	echo "stress_event=$TOGGLE"
	for i in top $INSTANCES; do
		echo "toggles_$i=$(cat toggles.$i 2>/dev/null || echo 0)"
	done
	echo "craft_loops=$(cat craft-loop.count 2>/dev/null || echo 0)"
	echo "ring_events_top=$(ring_events $T)"
	for i in $INSTANCES; do
		echo "ring_events_$i=$(ring_events $T/instances/$i)"
	done
	# every switch must be off again and the instances must go away
	left=0
	for f in $T/events/$TOGGLE/enable \
		 $T/instances/*/events/$TOGGLE/enable; do
		[ "$(cat "$f")" = 0 ] || left=$((left + 1))
	done
	echo "left_enabled=$left"
	gone=0
	for i in $INSTANCES; do
		rmdir $T/instances/$i && gone=$((gone + 1))
	done
	echo "instances_removed=$gone"
} > stress.env
cat stress.env

step "final ping after the flood"
ip netns exec a /usr/bin/ping -c 5 -i 0.2 -W 2 $B > final.out 2>&1
echo "$?" > final.rc
cat flood.out final.out

dmesg > /out/dmesg.txt
exit 0
