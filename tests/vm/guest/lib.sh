# SPDX-License-Identifier: GPL-2.0
# Shared by the guest scenarios: two network namespaces joined by veth.
#
#   netns a: va 198.51.100.1/24  <--veth-->  netns b: vb 198.51.100.2/24
#
# 198.51.100.3 has no host: pings to it go unanswered.

A=198.51.100.1
B=198.51.100.2
NOHOST=198.51.100.3

# busybox sh runs its own applets before searching PATH: name the host's
# iproute2 and iputils binaries explicitly
ip() {
	/usr/bin/ip "$@"
}

ping() {
	/usr/bin/ping "$@"
}

step() {
	echo "== $*"
}

# boot_arg NAME DEFAULT: pingtrace.NAME=VALUE of the kernel command line
# (run-vm.sh's VM_APPEND), or DEFAULT
boot_arg() {
	for arg in $(cat /proc/cmdline); do
		case $arg in
		pingtrace.$1=*) echo "${arg#pingtrace.$1=}"; return ;;
		esac
	done
	echo "$2"
}

# wait_tracing PID: until pingtrace PID's instance has net:ip_icmp on
# (its events are in the ring buffer from then on, read or not yet), at
# most 30 s.  A fixed sleep was too short with the host loaded.
wait_tracing() {
	i=0
	while [ "$(cat /sys/kernel/tracing/instances/pingtrace-$1/events/net/ip_icmp/enable \
		2>/dev/null)" != 1 ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && { echo "pingtrace $1: not tracing after 30 s"; return 1; }
		sleep 0.1
	done
}

# IPv6 on the same bench (setup_netns6, setup_router6):
#   a: va 2001:db8::1/64 <--> vb 2001:db8::2/64 and 2001:db8::22/64 :b
#   b (forwarding): vbc 2001:db8:c::1/64 <--MTU 1280--> vc 2001:db8:c::2/64 :c
A6=2001:db8::1
B6=2001:db8::2
B6_OTHER=2001:db8::22
C6=2001:db8:c::2

setup_netns() {
	# ping's rtt ends at the reply's receive timestamp.  By default the
	# kernel takes it when netif_rx() queues the skb, before the softirq
	# that runs ip_rcv_core(); take it when that softirq dequeues it, so
	# that ping's rtt covers the kernel rtt that net:ip_icmp measures.
	echo 0 > /proc/sys/net/core/netdev_tstamp_prequeue || return 1
	ip netns add a || return 1
	ip netns add b || return 1
	ip link add va type veth peer name vb || return 1
	ip link set va netns a
	ip link set vb netns b
	ip -n a addr add $A/24 dev va
	ip -n b addr add $B/24 dev vb
	ip -n a link set lo up
	ip -n b link set lo up
	ip -n a link set va up
	ip -n b link set vb up
	# describe the bench for the host side checks
	{
		echo "netns_root=$(readlink /proc/self/ns/net | tr -dc 0-9)"
		echo "netns_a=$(ip netns exec a readlink /proc/self/ns/net | tr -dc 0-9)"
		echo "netns_b=$(ip netns exec b readlink /proc/self/ns/net | tr -dc 0-9)"
		echo "ifindex_va=$(ip netns exec a cat /sys/class/net/va/ifindex)"
		echo "ifindex_vb=$(ip netns exec b cat /sys/class/net/vb/ifindex)"
		echo "ifindex_lo=$(cat /sys/class/net/lo/ifindex)"
		echo "nproc=$(nproc)"
	} > bench.env
}

# setup_router: after setup_netns, netns b routes between a and a third
# namespace, c, over a second veth pair whose MTU is 1280:
#
#   netns a: va 198.51.100.1 <--> vb 198.51.100.2 :netns b (forwarding):
#            vbc 203.0.113.1/24  <--veth, MTU 1280-->  netns c: vc 203.0.113.2/24
#
# so that b sends ICMP errors to a: time exceeded for a TTL of 1, and
# fragmentation needed for more than 1280 bytes with DF.
C=203.0.113.2

setup_router() {
	ip netns add c || return 1
	ip link add vbc type veth peer name vc || return 1
	ip link set vbc netns b
	ip link set vc netns c
	ip -n b addr add 203.0.113.1/24 dev vbc
	ip -n c addr add $C/24 dev vc
	ip -n b link set vbc mtu 1280 up
	ip -n c link set vc mtu 1280 up
	ip -n c link set lo up
	ip -n a route add 203.0.113.0/24 via $B || return 1
	ip -n c route add default via 203.0.113.1 || return 1
	ip netns exec b sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward' ||
		return 1
	{
		echo "netns_c=$(ip netns exec c readlink /proc/self/ns/net | tr -dc 0-9)"
		echo "ifindex_vbc=$(ip netns exec b cat /sys/class/net/vbc/ifindex)"
	} >> bench.env
}

# setup_netns6: after setup_netns, IPv6 addresses on va and vb, without
# duplicate address detection, so that they are usable at once
setup_netns6() {
	ip -n a addr add $A6/64 dev va nodad || return 1
	ip -n b addr add $B6/64 dev vb nodad || return 1
	# deprecated: never the source b picks, for its errors to a either
	ip -n b addr add $B6_OTHER/64 dev vb nodad preferred_lft 0 || return 1
}

# setup_router6: after setup_router and setup_netns6, b routes IPv6
# between a and c too, and does not rate-limit its ICMPv6 errors
setup_router6() {
	ip -n b addr add 2001:db8:c::1/64 dev vbc nodad || return 1
	ip -n c addr add $C6/64 dev vc nodad || return 1
	ip -n a -6 route add 2001:db8:c::/64 via $B6 || return 1
	ip -n c -6 route add default via 2001:db8:c::1 || return 1
	ip netns exec b sh -c '
		echo 1 > /proc/sys/net/ipv6/conf/all/forwarding &&
		echo 0 > /proc/sys/net/ipv6/icmp/ratelimit' || return 1
}

# record NAME FILEVERSION NETNS COMMAND...: trace-cmd record around COMMAND
# in NETNS; the trace goes to NAME.dat, COMMAND's output to NAME.out.
# TRACE_CLOCK, when set, is passed to -C; RECORD_EVENT replaces
# net:ip_icmp, and RECORD_FILTER is the event's filter (-f).
record() {
	name=$1 version=$2 ns=$3
	shift 3
	step "record $name (file version $version): $*"
	ip netns exec "$ns" trace-cmd record -q --file-version "$version" \
		${TRACE_CLOCK:+-C $TRACE_CLOCK} \
		-o "$name.dat" -e "${RECORD_EVENT:-net:ip_icmp}" \
		${RECORD_FILTER:+-f "$RECORD_FILTER"} \
		"$@" > "$name.out" 2> "$name.err"
	echo "$?" > "$name.rc"
	cat "$name.out"
}

# setup_routed: a bench of its own (not with setup_netns), a router
# namespace r between a and c, as a user would build one:
#
#   netns a: ar 198.51.100.1/24 <--> ra 198.51.100.254 :netns r (forwarding):
#            rc 203.0.113.254/24 <--veth--> netns c: vc 203.0.113.2/24
#
# 203.0.113.99 and 198.51.100.99 have no host.  r answers ARP quickly
# (a failed resolution takes 3 x 300 ms) and does not rate-limit its
# ICMP errors, so that each request gets its error as ping sees it.
RT_A=198.51.100.1
RT_RA=198.51.100.254
RT_RC=203.0.113.254
RT_C=203.0.113.2
RT_NOHOST_C=203.0.113.99
RT_NOHOST_A=198.51.100.99

setup_routed() {
	echo 0 > /proc/sys/net/core/netdev_tstamp_prequeue || return 1
	for ns in a r c; do
		ip netns add $ns || return 1
		ip -n $ns link set lo up
	done
	ip link add ar type veth peer name ra || return 1
	ip link add rc type veth peer name vc || return 1
	ip link set ar netns a
	ip link set ra netns r
	ip link set rc netns r
	ip link set vc netns c
	ip -n a addr add $RT_A/24 dev ar
	ip -n r addr add $RT_RA/24 dev ra
	ip -n r addr add $RT_RC/24 dev rc
	ip -n c addr add $RT_C/24 dev vc
	ip -n a link set ar up
	ip -n r link set ra up
	ip -n r link set rc up
	ip -n c link set vc up
	ip -n a route add default via $RT_RA || return 1
	ip -n c route add default via $RT_RC || return 1
	ip netns exec r sh -c '
		echo 1 > /proc/sys/net/ipv4/ip_forward &&
		echo 0 > /proc/sys/net/ipv4/icmp_ratelimit &&
		echo 300 > /proc/sys/net/ipv4/neigh/rc/retrans_time_ms' ||
		return 1
	ip netns exec a sh -c '
		echo 300 > /proc/sys/net/ipv4/neigh/ar/retrans_time_ms' ||
		return 1
	{
		for ns in a r c; do
			echo "netns_$ns=$(ip netns exec $ns readlink /proc/self/ns/net | tr -dc 0-9)"
		done
	} > routed.env
}
