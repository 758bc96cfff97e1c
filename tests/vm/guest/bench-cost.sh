#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, in the guest: the kernel's cost per packet of a ping flood
# with net:ip_icmp off, on, and with kprobe events on ip_output and
# ip_rcv in its place.  Meant for QEMU's -icount: the clock then counts
# instructions (bench/run.sh).
#
# /root/bench.conf sets ROUNDS, PINGS (echoes per flood), MODES (of off,
# tracepoint, kprobe) and SKB_DATA (offsetof(struct sk_buff, data)).
# One line per flood goes to /out/cost.txt:
#   path mode round elapsed_ns events echoes
. /tests/lib.sh
. /root/bench.conf
set -u

T=/sys/kernel/tracing
CLOCK=/root/pt-clock

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
setup_netns || exit 1
uname -r > kernel.txt

# The old way: a kprobe on each function, fetching the IP header through
# skb->data (skb is ip_output's third argument and ip_rcv's first) and
# keeping ICMP only, like the SystemTap script pingtrace replaces.  The
# ICMP id and seq assume a 20-byte header: a kprobe cannot follow IHL.
kprobe_args() {
	d="+$SKB_DATA($1)"
	echo "proto=+9($d):u8 saddr=+12($d):x32 daddr=+16($d):x32" \
	     "type=+20($d):u8 id=+24($d):u16 seq=+26($d):u16"
}

if echo "$MODES" | grep -q kprobe; then
	echo "p:pingtrace/ip_output ip_output $(kprobe_args '$arg3')" \
		>> $T/kprobe_events || exit 1
	echo "p:pingtrace/ip_rcv ip_rcv $(kprobe_args '$arg1')" \
		>> $T/kprobe_events || exit 1
	for e in ip_output ip_rcv; do
		echo 'proto == 1' > $T/events/pingtrace/$e/filter || exit 1
	done
	cat $T/kprobe_events > kprobe_events.txt
fi

# Every event of a flood stays in the buffer: nothing is overwritten
echo "${BUFFER_KB:-16384}" > $T/buffer_size_kb || exit 1

set_mode() {
	echo 0 > $T/tracing_on
	[ -d $T/events/net/ip_icmp ] && echo 0 > $T/events/net/ip_icmp/enable
	[ -d $T/events/pingtrace ] && echo 0 > $T/events/pingtrace/enable
	case $1 in
	tracepoint) echo 1 > $T/events/net/ip_icmp/enable ;;
	kprobe) echo 1 > $T/events/pingtrace/enable ;;
	esac
	echo > $T/trace
	echo 1 > $T/tracing_on
}

# events written since the buffer was cleared, kept or overwritten
events() {
	cat $T/per_cpu/cpu*/stats |
	awk '/^entries:/ { n += $2 } /^overrun:/ { n += $2 } END { print n }'
}

# flood PATH: one ping -f, timed from inside the namespace it runs in
flood() {
	case $1 in
	lo) ns=root dst=127.0.0.1 ;;
	veth) ns=a dst=$B ;;
	esac
	cmd="$CLOCK; /usr/bin/ping -f -q -c $PINGS $dst; $CLOCK"
	if [ $ns = root ]; then
		sh -c "$cmd"
	else
		ip netns exec $ns sh -c "$cmd"
	fi
}

# warm up both paths (neighbour resolution, caches) and each mode
for mode in $MODES; do
	set_mode "$mode"
	ping -c 2 -i 0.2 127.0.0.1 > /dev/null
	ip netns exec a /usr/bin/ping -c 2 -i 0.2 $B > /dev/null
done

step "$ROUNDS rounds of $PINGS echoes per path and mode: $MODES"
: > cost.txt
round=1
while [ $round -le "$ROUNDS" ]; do
	# a different order of the modes in each round
	order=$MODES
	i=1
	while [ $i -lt $round ] && [ "$order" != "${order#* }" ]; do
		order="${order#* } ${order%% *}"
		i=$((i + 1))
	done
	for path in lo veth; do
		for mode in $order; do
			set_mode "$mode"
			flood $path > flood.out 2>&1
			echo 0 > $T/tracing_on
			# what each mode records, and how the kprobes are armed
			if [ ! -f sample-$mode.txt ]; then
				grep -v '^#' $T/trace | head -n 4 > sample-$mode.txt
				[ $mode = kprobe ] &&
					cat /sys/kernel/debug/kprobes/list \
						> kprobes.list
			fi
			t0=$(sed -n 1p flood.out)
			t1=$(tail -n 1 flood.out)
			got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' flood.out)
			echo "$path $mode $round $((t1 - t0)) $(events) ${got:-0}" |
				tee -a cost.txt
		done
	done
	round=$((round + 1))
done
set_mode off
exit 0
