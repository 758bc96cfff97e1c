#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, in the guest: the kernel's cost per packet of a ping flood
# with net:ip_icmp off, on, with kprobe events on ip_output and ip_rcv in
# its place, and with a BPF program (bpftrace) on the same functions.
# Meant for QEMU's -icount: the clock then counts instructions
# (bench/run.sh).
#
# /root/bench.conf sets ROUNDS, PINGS (echoes per flood), MODES (of off,
# tracepoint, stages, kprobe, bpf) and SKB_DATA, SKB_HEAD, SKB_NETWORK_HEADER
# (offsetof() in struct sk_buff).
# One line per flood goes to /out/cost.txt:
#   path mode round elapsed_ns events echoes
. /tests/lib.sh
. /root/bench.conf
set -u

T=/sys/kernel/tracing
CLOCK=/root/pt-clock

# The console shows how far the guest is while it runs (the log comes
# back only at the end), each line with the guest's uptime: under
# -icount that is instructions, in units of 10^9, and the host's clock
# on console.log gives the wall time
progress() {
	echo "bench-cost: [$(cut -d ' ' -f 1 /proc/uptime)] $*" > /dev/console
}

step() {
	echo "== $*"
	progress "$*"
}

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

# What pwru and retis do, the way a user without BTF can: a BPF program
# on each function's entry that finds the IP header at skb->head +
# skb->network_header, keeps ICMP only, follows IHL to the ICMP header,
# reads the addresses, id and seq (in host order, as the event has them)
# and sends them to user space, where bpftrace prints them.  bpftrace
# compiles it with LLVM, which takes long under TCG: it is started once,
# for the bpf floods of every round, after the other modes' floods.
bpf_body() {
	cat <<EOB
{
	\$skb = $1;
	\$iph = *(uint64 *)(\$skb + $SKB_HEAD) +
		*(uint16 *)(\$skb + $SKB_NETWORK_HEADER);
	if (*(uint8 *)(\$iph + 9) == 1) {
		\$icmp = \$iph + (*(uint8 *)\$iph & 15) * 4;
		printf("$2 %s %s type=%u id=%u seq=%u\\n",
		       ntop(*(uint32 *)(\$iph + 12)),
		       ntop(*(uint32 *)(\$iph + 16)),
		       *(uint8 *)\$icmp,
		       (*(uint8 *)(\$icmp + 4) << 8) | *(uint8 *)(\$icmp + 5),
		       (*(uint8 *)(\$icmp + 6) << 8) | *(uint8 *)(\$icmp + 7));
	}
}
EOB
}

if echo "$MODES" | grep -q bpf; then
	{
		echo 'BEGIN { printf("READY\\n"); }'
		echo 'kprobe:ip_output'
		bpf_body arg2 SND
		echo 'kprobe:ip_rcv'
		bpf_body arg0 RCV
	} > /out/ip_icmp-kprobe.bt
fi

# Every event of a flood stays in the buffer: nothing is overwritten
echo "${BUFFER_KB:-16384}" > $T/buffer_size_kb || exit 1

# What pingtrace --stages enables besides net:ip_icmp (consumer/
# stage-decode.c), here without live's pid filter: the most they cost
STAGE_EVENTS="net/net_dev_queue net/net_dev_xmit net/netif_rx
	net/napi_gro_receive_entry net/netif_receive_skb_list_entry
	net/netif_receive_skb_entry net/netif_receive_skb
	syscalls/sys_enter_sendto syscalls/sys_enter_sendmsg
	syscalls/sys_exit_recvmsg syscalls/sys_exit_recvfrom
	sched/sched_wakeup sched/sched_switch"

stage_events() {
	for e in $STAGE_EVENTS; do
		[ -d $T/events/$e ] && echo "$1" > $T/events/$e/enable
	done
}

set_mode() {
	echo 0 > $T/tracing_on
	[ -d $T/events/net/ip_icmp ] && echo 0 > $T/events/net/ip_icmp/enable
	[ -d $T/events/pingtrace ] && echo 0 > $T/events/pingtrace/enable
	stage_events 0
	case $1 in
	tracepoint) echo 1 > $T/events/net/ip_icmp/enable ;;
	stages) echo 1 > $T/events/net/ip_icmp/enable; stage_events 1 ;;
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

step "set up; warming up the modes: $MODES"
# warm up both paths (neighbour resolution, caches) and each mode
for mode in $MODES; do
	set_mode "$mode"
	ping -c 2 -i 0.2 127.0.0.1 > /dev/null
	ip netns exec a /usr/bin/ping -c 2 -i 0.2 $B > /dev/null
done

step "$ROUNDS rounds of $PINGS echoes per path and mode: $MODES"
: > cost.txt
round=1
rotate=$(echo $MODES | tr ' ' '\n' | grep -vx bpf | tr '\n' ' ')
rotate=${rotate% }
while [ $round -le "$ROUNDS" ]; do
	# a different order of the modes in each round
	order=$rotate
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
			progress "$(tail -n 1 cost.txt)"
		done
	done
	round=$((round + 1))
done
set_mode off

# lines BPF_OUT has, once bpftrace has written what it was sent
bpf_lines() {
	n=-1
	while [ "$n" != "$(grep -c '^[SR][NC][DV] ' $BPF_OUT)" ]; do
		n=$(grep -c '^[SR][NC][DV] ' $BPF_OUT)
		sleep 1
	done
	echo "$n"
}

if echo "$MODES" | grep -q bpf; then
	step "bpftrace: /out/ip_icmp-kprobe.bt"
	BPF_OUT=/tmp/bpftrace.out
	bpftrace --version > bpftrace-version.txt 2>&1
	bpftrace /out/ip_icmp-kprobe.bt > $BPF_OUT 2> bpftrace.err &
	bt=$!
	i=0
	until grep -q READY $BPF_OUT; do
		kill -0 $bt 2>/dev/null || { cat bpftrace.err; exit 1; }
		sleep 1
		i=$((i + 1))
	done
	echo "bpftrace attached ($i s)"
	progress "bpftrace attached ($i s of guest time)"
	ping -c 2 -i 0.2 127.0.0.1 > /dev/null
	ip netns exec a /usr/bin/ping -c 2 -i 0.2 $B > /dev/null
	seen=$(bpf_lines)
	progress "bpftrace warm-up drained: $seen lines"
	round=1
	while [ $round -le "$ROUNDS" ]; do
		for path in lo veth; do
			flood $path > flood.out 2>&1
			now=$(bpf_lines)
			[ -f sample-bpf.txt ] ||
				sed -n "$((seen + 1)),$((seen + 4))p" $BPF_OUT \
					> sample-bpf.txt
			t0=$(sed -n 1p flood.out)
			t1=$(tail -n 1 flood.out)
			got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' flood.out)
			echo "$path bpf $round $((t1 - t0)) $((now - seen)) ${got:-0}" |
				tee -a cost.txt
			progress "$(tail -n 1 cost.txt)"
			seen=$now
		done
		round=$((round + 1))
	done
	kill -INT $bt
	wait $bt
	echo "bpftrace exited $?"
	progress "bpftrace exited"
	grep -i lost $BPF_OUT bpftrace.err > bpf-lost.txt
fi
exit 0
