#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, in the guest: the kernel's cost per packet of a ping flood
# with net:ip_icmp off, on, with kprobe events on ip_output and ip_rcv in
# its place, and with a BPF program on the same functions.
# Meant for QEMU's -icount: the clock then counts instructions
# (bench/run.sh).
#
# /root/bench.conf sets ROUNDS, PINGS (echoes per flood), MODES and
# SKB_DATA, SKB_HEAD, SKB_NETWORK_HEADER (offsetof() in struct sk_buff).
# The modes:
#   off         no tracing
#   tracepoint  net:ip_icmp
#   stages      net:ip_icmp and the stage events of pingtrace --stages
#   kprobe      kprobe events on ip_output and ip_rcv, fetch arguments
#   bpf         a BPF kprobe program on the same functions (/root/pt-bpf,
#               bench/pt-bpf.c), its ring buffer read after the flood, as
#               the trace buffer of the modes above is
#   bpf-live    the same program, its ring buffer drained by user space
#               while the flood runs
#   bpftrace    the same program written for bpftrace, which prints
#               each record while the flood runs; started once, after the
#               other modes' floods (the initramfs needs bpftrace, 1G of
#               memory)
# PATHS (bench.conf, "lo veth" without it): lo and veth ping 127.0.0.1
# and b over veth; lo6 and veth6 the same with ping -6 (::1, and b's
# 2001:db8::2), in the modes off and tracepoint only, where tracepoint
# then means net:ip6_icmp (the IPv4 probes and programs never fire).
# One line per flood goes to /out/cost.txt:
#   path mode round elapsed_ns events echoes
. /tests/lib.sh
. /root/bench.conf
set -u

T=/sys/kernel/tracing
CLOCK=/root/pt-clock
BPF=/root/pt-bpf

has_mode() {
	case " $MODES " in *" $1 "*) return 0 ;; esac
	return 1
}

# The console shows how far the guest is while it runs (the log comes
# back only at the end), each line with the guest's uptime: under
# -icount, its instructions in units of 10^9 plus the idle time QEMU
# skips (sleep=off); the host's clock on console.log gives the wall time
progress() {
	echo "bench-cost: [$(cut -d ' ' -f 1 /proc/uptime)] $*" > /dev/console
}

step() {
	echo "== $*"
	progress "$*"
}

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
setup_netns || exit 1
setup_netns6 || exit 1
uname -r > kernel.txt
PATHS=${PATHS:-lo veth}

# The old way: a kprobe on each function, fetching the IP header through
# skb->data (skb is ip_output's third argument and ip_rcv's first) and
# keeping ICMP only, like the SystemTap script pingtrace replaces.  The
# ICMP id and seq assume a 20-byte header: a kprobe cannot follow IHL.
kprobe_args() {
	d="+$SKB_DATA($1)"
	echo "proto=+9($d):u8 saddr=+12($d):x32 daddr=+16($d):x32" \
	     "type=+20($d):u8 id=+24($d):u16 seq=+26($d):u16"
}

# kprobes_add, kprobes_del: the kprobe events exist only for the kprobe
# floods.  Registered, even disabled, they would share their addresses
# with the BPF program's kprobes, which then all run through an
# aggregated kprobe's handler
kprobes_add() {
	echo "p:pingtrace/ip_output ip_output $(kprobe_args '$arg3')" \
		>> $T/kprobe_events || exit 1
	echo "p:pingtrace/ip_rcv ip_rcv $(kprobe_args '$arg1')" \
		>> $T/kprobe_events || exit 1
	for e in ip_output ip_rcv; do
		echo 'proto == 1' > $T/events/pingtrace/$e/filter || exit 1
	done
}

kprobes_del() {
	[ -d $T/events/pingtrace ] || return 0
	echo 0 > $T/events/pingtrace/enable
	for e in ip_output ip_rcv; do
		echo "-:pingtrace/$e" >> $T/kprobe_events || exit 1
	done
}

if has_mode kprobe; then
	kprobes_add
	cat $T/kprobe_events > kprobe_events.txt
	kprobes_del
fi

# The bpf modes: what pwru and retis do, the way a user without BTF can.
# A BPF program on each function's entry finds the IP header at
# skb->head + skb->network_header, keeps ICMP only, follows IHL to the
# ICMP header, reads the addresses, type, id and seq (in host order, as
# the event has them) and sends them to user space.  pt-bpf loads it
# with bpf(2), hand-assembled, and attaches it with perf_event_open(2)'s
# kprobe PMU, as libbpf does: it is started before each flood and
# stopped after it, outside the flood's two clock readings, like the
# events' enabling.  Its records are counted as the flood's events.
BPF_OUT=/tmp/pt-bpf.out
bpf_pid=

# bpf_start MODE: pt-bpf attached, ready for a flood
bpf_start() {
	flags=
	[ "$1" = bpf-live ] && flags=-l
	# the first records, of the warm-up's first ping, as the trace's
	[ -f sample-$1.txt ] || flags="$flags -s sample-$1.txt"
	$BPF $flags -n $((PINGS * 4 + 64)) \
		"$SKB_HEAD" "$SKB_NETWORK_HEADER" > $BPF_OUT 2> pt-bpf.err &
	bpf_pid=$!
	tries=0
	until grep -q READY $BPF_OUT; do
		kill -0 $bpf_pid 2>/dev/null || { cat pt-bpf.err; exit 1; }
		[ $tries -lt 60 ] || { echo "pt-bpf: no READY in 60 s"; exit 1; }
		sleep 1
		tries=$((tries + 1))
	done
}

# bpf_stop: detach; the records read and dropped in bpf_records and
# bpf_dropped
bpf_stop() {
	[ -n "$bpf_pid" ] || return 0
	kill -INT $bpf_pid
	wait $bpf_pid || { cat pt-bpf.err; exit 1; }
	bpf_pid=
	bpf_records=$(sed -n 's/^records \([0-9]*\) .*/\1/p' $BPF_OUT | tail -n 1)
	bpf_dropped=$(sed -n 's/.* dropped \([0-9]*\)$/\1/p' $BPF_OUT | tail -n 1)
}

# The bpftrace mode: the same program, which bpftrace compiles with
# LLVM, prints with printf (a perf buffer) and writes to a file while
# the flood runs.  It is ready within 2 s of guest time (at most 2 *
# 10^9 instructions; 7 s of the host's time under -icount, measured in a
# guest alone): it is started once, for the bpftrace floods of every
# round, after the other modes' floods.
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

if has_mode bpftrace; then
	{
		# busybox's echo keeps "\\n" as it is: bpftrace would print
		# "READY\n" with no newline, which its line buffering holds back
		# for ever (why the cost part never ended)
		printf '%s\n' 'BEGIN { printf("READY\n"); }'
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
	bpf_stop
	[ -d $T/events/net/ip_icmp ] && echo 0 > $T/events/net/ip_icmp/enable
	[ -d $T/events/net/ip6_icmp ] && echo 0 > $T/events/net/ip6_icmp/enable
	kprobes_del
	stage_events 0
	case $1 in
	tracepoint)
		echo 1 > $T/events/net/ip_icmp/enable
		[ -d $T/events/net/ip6_icmp ] &&
			echo 1 > $T/events/net/ip6_icmp/enable
		;;
	stages) echo 1 > $T/events/net/ip_icmp/enable; stage_events 1 ;;
	kprobe) kprobes_add; echo 1 > $T/events/pingtrace/enable ;;
	bpf | bpf-live) bpf_start "$1" ;;
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
	fam=
	case $1 in
	lo) ns=root dst=127.0.0.1 ;;
	veth) ns=a dst=$B ;;
	lo6) ns=root dst=::1 fam=-6 ;;
	veth6) ns=a dst=$B6 fam=-6 ;;
	esac
	cmd="$CLOCK; /usr/bin/ping $fam -f -q -c $PINGS $dst; $CLOCK"
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
	case " $PATHS " in *6\ *)
		ping -6 -c 2 -i 0.2 ::1 > /dev/null
		ip netns exec a /usr/bin/ping -6 -c 2 -i 0.2 $B6 > /dev/null
	esac
done

step "$ROUNDS rounds of $PINGS echoes per path and mode: $MODES"
: > cost.txt
round=1
rotate=$(echo $MODES | tr ' ' '\n' | grep -vx bpftrace | tr '\n' ' ')
rotate=${rotate% }
while [ $round -le "$ROUNDS" ]; do
	# a different order of the modes in each round
	order=$rotate
	i=1
	while [ $i -lt $round ] && [ "$order" != "${order#* }" ]; do
		order="${order#* } ${order%% *}"
		i=$((i + 1))
	done
	for path in $PATHS; do
		for mode in $order; do
			case $path in
			*6) case $mode in off | tracepoint) ;; *) continue ;; esac ;;
			esac
			set_mode "$mode"
			flood $path > flood.out 2>&1
			echo 0 > $T/tracing_on
			n=$(events)
			case $mode in
			bpf | bpf-live)
				# how the program's kprobes are armed, and run
				[ -f kprobes-bpf.list ] || {
					cat /sys/kernel/debug/kprobes/list
					echo "bpf_jit_enable=$(cat /proc/sys/net/core/bpf_jit_enable)"
				} > kprobes-bpf.list
				bpf_stop
				n=${bpf_records:-0}
				[ "${bpf_dropped:-0}" = 0 ] ||
					echo "$path $mode $round $bpf_dropped" \
						>> bpf-dropped.txt
				;;
			esac
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
			echo "$path $mode $round $((t1 - t0)) $n ${got:-0}" |
				tee -a cost.txt
			progress "$(tail -n 1 cost.txt)"
		done
	done
	round=$((round + 1))
done
set_mode off

# lines BT_OUT has, once bpftrace has written what it was sent
bpf_lines() {
	n=-1
	while [ "$n" != "$(grep -c '^[SR][NC][DV] ' $BT_OUT)" ]; do
		n=$(grep -c '^[SR][NC][DV] ' $BT_OUT)
		sleep 1
	done
	echo "$n"
}

if has_mode bpftrace; then
	step "bpftrace: /out/ip_icmp-kprobe.bt"
	BT_OUT=/tmp/bpftrace.out
	bpftrace --version > bpftrace-version.txt 2>&1
	# Its perf buffer holds a flood, as the other modes' buffers do: with
	# the default 64 pages bpftrace lost half the events of a flood of
	# 4000 echoes, which its probes had paid for all the same.  A record
	# of this printf is 96 bytes with its perf header (80 of arguments in
	# bpftrace's LLVM IR): 256 an event leave room.
	pages=64
	while [ $((pages * 4096)) -lt $((PINGS * 4 * 256)) ]; do
		pages=$((pages * 2))
	done
	echo "$pages" > bpftrace-pages.txt
	BPFTRACE_PERF_RB_PAGES=$pages \
		bpftrace /out/ip_icmp-kprobe.bt > $BT_OUT 2> bpftrace.err &
	bt=$!
	i=0
	until grep -q READY $BT_OUT; do
		kill -0 $bt 2>/dev/null || { cat bpftrace.err; exit 1; }
		# 2 s of guest time were enough
		[ $i -lt 60 ] || { echo "bpftrace: no READY in $i s"; exit 1; }
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
			# the flood's first records (BT_OUT has other lines)
			[ -f sample-bpftrace.txt ] ||
				grep '^[SR][NC][DV] ' $BT_OUT |
				sed -n "$((seen + 1)),$((seen + 4))p" \
					> sample-bpftrace.txt
			t0=$(sed -n 1p flood.out)
			t1=$(tail -n 1 flood.out)
			got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' flood.out)
			echo "$path bpftrace $round $((t1 - t0)) $((now - seen)) ${got:-0}" |
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
	grep -i lost $BT_OUT bpftrace.err > bpftrace-lost.txt
fi
exit 0
