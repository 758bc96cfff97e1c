#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario "v6": pingtrace for ping -6 (issue 14).  On the bench of
# lib.sh with IPv6 (a -- b -- c, b routing, b's far side MTU 1280), each
# case runs iputils ping -6 under pingtrace live, or record then report,
# and leaves NAME.ping (ping's own output), NAME.json / NAME.txt /
# NAME.csv (pingtrace), NAME.rc and NAME.err in /out for
# tests/vm/check_v6.py, which compares them seq by seq.  Addresses are
# in 2001:db8::/32 only.
. /tests/lib.sh
set -u

PT=/usr/bin/pingtrace
T=/sys/kernel/tracing

# What pingtrace could leave behind in tracefs (the ring buffer's size
# is left out: its first use expands it, see check_consumer.py)
tracing_state() {
	echo "instances: $(ls $T/instances | tr '\n' ' ')"
	echo "set_event: $(cat $T/set_event | tr '\n' ' ')"
	echo "tracing_on: $(cat $T/tracing_on)"
	for e in net/ip_icmp net/ip6_icmp skb/kfree_skb; do
		echo "$e: $(cat $T/events/$e/enable) $(cat $T/events/$e/filter)"
	done
}

# live NAME FORMAT PT-ARGS SHELL-COMMAND: pingtrace live PT-ARGS around
# SHELL-COMMAND, which writes NAME.ping itself; NAME.json or NAME.txt
live() {
	name=$1 format=$2 args=$3 cmd=$4
	ext=$format
	[ "$format" = text ] && ext=txt
	step "pingtrace live -F $format $args -- $cmd"
	# shellcheck disable=SC2086
	"$PT" live -F "$format" $args -- sh -c "$cmd" \
		> "$name.$ext" 2> "$name.err"
	echo "$?" > "$name.rc"
	cat "$name.ping" 2> /dev/null
}

# ping6 NAME PING-ARGS...: the shell command of ping -6 in netns a,
# which execs it (its pid is the command's: record --stages filters by it).
# -U, as consumer.sh: ping's user-to-user time bounds the kernel rtt.
# Its default, the reply's receive timestamp, is taken where the device
# hands the skb over (veth: netif_rx(), before the backlog), so ahead of
# ip6_rcv_core(): the cold CI run saw toobig's seq 2 at kernel rtt
# 8.25 ms against ping's 5.52 ms.
ping6() {
	name=$1
	shift
	echo "exec /usr/bin/ip netns exec a /usr/bin/ping -6 -n -U $* > $name.ping"
}

start=$(date +%s)
setup_netns || exit 1
setup_netns6 || exit 1
setup_router || exit 1
setup_router6 || exit 1
ip netns exec b sh -c '
	echo 300 > /proc/sys/net/ipv6/neigh/vbc/retrans_time_ms' || exit 1
echo "netns_c=$(ip netns exec c readlink /proc/self/ns/net | tr -dc 0-9)" \
	>> bench.env
cp /sys/kernel/tracing/events/net/ip6_icmp/format ip6_icmp.format
# a name with an AAAA record only, for -t NAME
printf '2001:db8::2\tv6peer\n' >> /etc/hosts

tracing_state > tracing.before

# echoes a -> b, JSON with every event, then text: the four points
live echo json "-e -t $B6" "$(ping6 echo -c 3 -i 0.2 $B6)"
live echo-text text "-t $B6" "$(ping6 echo-text -c 3 -i 0.2 $B6)"
# --all after the neighbours are forgotten: ND shown, and never an echo
ip -n a neigh flush dev va
ip -n b neigh flush dev vb
live all-text text "--all -t $B6" "$(ping6 all-text -c 2 -i 0.2 $B6)"
# loopback in a
live loop json "-t ::1" "$(ping6 loop -c 2 -i 0.2 ::1)"
# b ignores echoes: requests arrive, none is answered
ip netns exec b sh -c 'echo 1 > /proc/sys/net/ipv6/icmp/echo_ignore_all'
live noreply json "-W 1 -t $B6" "$(ping6 noreply -c 2 -i 0.2 -W 1 $B6)"
ip netns exec b sh -c 'echo 0 > /proc/sys/net/ipv6/icmp/echo_ignore_all'
# -s 3000: fragments both ways
live frag json "-e -t $B6" "$(ping6 frag -c 2 -i 0.2 -s 3000 $B6)"
# hop limit 1 through b: time exceeded from b
live hoplimit json "-t $C6" "$(ping6 hoplimit -c 3 -i 0.2 -t 1 $C6)"
# 1448 bytes into b's 1280-byte link: packet too big, then fragments
live toobig json "-t $C6" "$(ping6 toobig -c 3 -i 0.3 -s 1400 $C6)"
# no host behind b: b's neighbour solicitation fails, it drops the
# request (skb:kfree_skb, protocol 34525) and says address unreachable
live nohost json "-t 2001:db8:c::99" \
	"$(ping6 nohost -c 2 -i 0.5 -W 3 2001:db8:c::99)"
# two pingers at once, told apart by their identifiers
live two json "-t $B6 -t $C6" \
	"$(ping6 two-b -c 3 -i 0.2 -e 4601 $B6) & $(ping6 two-c -c 3 -i 0.2 -e 4602 $C6) & wait"
# the command leaves a process behind that outlives pingtrace: it must
# hold none of our files, or the instance cannot be removed (EBUSY)
live orphan json "-t $B6" \
	"sleep 5 < /dev/null > /dev/null 2>&1 & $(ping6 orphan -c 2 -i 0.2 $B6)"
# IPv4 and IPv6 in one run, no -t: neither family hides the other
live mixed json "" \
	"/usr/bin/ip netns exec a /usr/bin/ping -n -U -c 2 -i 0.2 $B > mixed4.ping; $(ping6 mixed -c 2 -i 0.2 $B6)"
# record by name (AAAA), then report JSON and CSV
step "pingtrace record -t v6peer -o rec.dat"
"$PT" record -t v6peer -o rec.dat -- sh -c "$(ping6 rec -c 3 -i 0.2 v6peer)" \
	> rec.txt 2> rec.err
echo "$?" > rec.rc
"$PT" report -F json -t v6peer -i rec.dat > rec.json 2> rec-json.err
echo "$?" > rec-json.rc
"$PT" report -F csv -t $B6 -i rec.dat > rec.csv 2> rec-csv.err
echo "$?" > rec-csv.rc
# --stages: the same joins for an IPv6 echo, against ping -U's times
step "pingtrace record --stages -t $B6"
"$PT" record --stages -q -t $B6 -o stages.dat -- \
	sh -c "$(ping6 stages -c 3 -i 0.2 $B6)" > stages-rec.txt 2> stages-rec.err
echo "$?" > stages-rec.rc
"$PT" report --stages -F json -i stages.dat > stages.json 2> stages.err
echo "$?" > stages.rc
# a bad target is an error, said in one line
"$PT" report -t 2001:db8::zz -i rec.dat > badtarget.out 2> badtarget.err
echo "$?" > badtarget.rc

tracing_state > tracing.after
echo "v6: $(( $(date +%s) - start )) s of cases"
echo "v6: done"
