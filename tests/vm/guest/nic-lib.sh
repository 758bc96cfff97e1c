# SPDX-License-Identifier: GPL-2.0
# Shared by the virtio-net scenarios (nic.sh, twohost-a.sh, twohost-b.sh):
# find a NIC by the MAC that tests/vm/qemu-net.sh gave it, put it in a
# network namespace with an address, and describe it in bench.env.
. /tests/lib.sh

MAC_A=52:54:00:70:74:01
MAC_B=52:54:00:70:74:02

# The events of a packet's path through a real driver (issue 12), to
# record with net:ip_icmp
NIC_EVENTS="-e net:net_dev_queue -e net:net_dev_xmit
	-e net:netif_receive_skb -e net:napi_gro_receive_entry
	-e net:netif_receive_skb_list_entry -e net:netif_rx"

# nic_by_mac MAC: the name of the interface that has MAC, in this netns
nic_by_mac() {
	for d in /sys/class/net/*; do
		[ "$(cat "$d/address" 2>/dev/null)" = "$1" ] &&
			{ basename "$d"; return 0; }
	done
	echo "nic-lib: no interface with MAC $1" >&2
	ls -l /sys/class/net >&2
	return 1
}

# nic_into_netns MAC NETNS ADDR NAME: move the NIC with MAC into NETNS
# (created here) as NAME, with ADDR/24, up; write NAME's facts to
# bench.env.  NAME is ours, so that the checkers need not guess eth0/eth1.
nic_into_netns() {
	mac=$1 ns=$2 addr=$3 name=$4
	dev=$(nic_by_mac "$mac") || return 1
	ip netns add "$ns" || return 1
	ip link set "$dev" netns "$ns" || return 1
	ip -n "$ns" link set "$dev" name "$name" || return 1
	ip -n "$ns" addr add "$addr/24" dev "$name" || return 1
	ip -n "$ns" link set lo up || return 1
	ip -n "$ns" link set "$name" up || return 1
	{
		echo "netns_$ns=$(ip netns exec "$ns" readlink /proc/self/ns/net | tr -dc 0-9)"
		echo "ifindex_$name=$(ip netns exec "$ns" cat /sys/class/net/$name/ifindex)"
		echo "driver_$name=$(basename "$(ip netns exec "$ns" \
			readlink /sys/class/net/$name/device/driver)")"
		echo "gro_$name=$(ip netns exec "$ns" /usr/bin/ethtool -k "$name" |
			awk '/^generic-receive-offload:/ { print $2 }')"
	} >> bench.env
}

# wait_ping NETNS DST SECONDS: ping DST once a second until it answers
wait_ping() {
	n=0
	while [ $n -lt "$3" ]; do
		ip netns exec "$1" /usr/bin/ping -c 1 -W 1 "$2" > /dev/null 2>&1 &&
			return 0
		n=$((n + 1))
	done
	echo "nic-lib: $2 did not answer from netns $1 within $3 s" >&2
	return 1
}

# nic_up MAC ADDR NAME: the NIC with MAC, in this netns, as NAME with
# ADDR/24 (the two-guest bench: one NIC per guest, no namespaces)
nic_up() {
	dev=$(nic_by_mac "$1") || return 1
	ip link set "$dev" name "$3" || return 1
	ip addr add "$2/24" dev "$3" || return 1
	ip link set "$3" up || return 1
	{
		echo "ifindex_$3=$(cat /sys/class/net/$3/ifindex)"
		echo "driver_$3=$(basename "$(readlink /sys/class/net/$3/device/driver)")"
	} >> bench.env
}

# The two guests' control channel: TCP ports on B that A connects to, one
# per step, with busybox nc (a connection is the message; nothing else
# is sent).  Traffic stays on the QEMU socket wire between 198.51.100.1
# and .2.
PORT_B_RECORDING=7001	# B records alone: A may ping
PORT_B_STOP=7002	# A is done pinging: B stops recording
PORT_B_AGENT=7003	# B's trace-cmd agent listens
PORT_B_DONE=7004	# A is done with the agent: B stops it
PORT_B_LOSS=7005	# B records the loss step: A may ping
PORT_B_LOSS_STOP=7006	# A is done losing echoes: B stops recording
PORT_B_LOSE_REPLIES=7007	# B: send A's replies astray for a while
# A MAC no NIC of the bench has: frames sent to it are lost on the wire
LOST_MAC=02:00:00:70:74:99
AGENT_PORT=823		# trace-cmd's default agent port

# knock HOST PORT SECONDS: connect to HOST:PORT once a second until it
# accepts, at most SECONDS times
knock() {
	n=0
	while [ $n -lt "$3" ]; do
		echo knock | busybox nc -w 1 "$1" "$2" > /dev/null 2>&1 && return 0
		sleep 1
		n=$((n + 1))
	done
	echo "nic-lib: nothing accepted on $1:$2 within $3 tries" >&2
	return 1
}

# wait_knock PORT: block until someone connects to PORT (and closes)
wait_knock() {
	busybox nc -l -p "$1" < /dev/null > /dev/null
}

# tcp_listening PORT: is there a TCP socket listening on PORT (IPv4 or 6)?
tcp_listening() {
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A" { f = 1 } END { exit !f }'
}

# stamp WHAT: a line with the guest's monotonic time, for the host's
# account of how long each step took; on the console too, which the host
# shows when a guest hangs or fails
stamp() {
	line="$(cut -d' ' -f1 /proc/uptime) $*"
	echo "$line" >> steps.txt
	echo "== $line"
	echo "pingtrace-step: $line" > /dev/console
}
