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

# record NAME FILEVERSION NETNS COMMAND...: trace-cmd record around COMMAND
# in NETNS; the trace goes to NAME.dat, COMMAND's output to NAME.out.
# TRACE_CLOCK, when set, is passed to -C.
record() {
	name=$1 version=$2 ns=$3
	shift 3
	step "record $name (file version $version): $*"
	ip netns exec "$ns" trace-cmd record -q --file-version "$version" \
		${TRACE_CLOCK:+-C $TRACE_CLOCK} \
		-o "$name.dat" -e net:ip_icmp "$@" > "$name.out" 2> "$name.err"
	echo "$?" > "$name.rc"
	cat "$name.out"
}
