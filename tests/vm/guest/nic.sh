#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario for issue 12's real NIC: two virtio-net NICs of this one
# guest wired back to back by QEMU (-netdev socket on 127.0.0.1, see
# tests/vm/qemu-net.sh pair), each in its own namespace:
#
#   netns a: na 198.51.100.1/24  <--QEMU socket-->  netns b: nb 198.51.100.2/24
#
# Records net:ip_icmp with the device and NAPI events around a ping; the
# host checks the path with tests/vm/check_nic.py.
. /tests/nic-lib.sh
set -u

# As setup_netns does: ping's receive timestamp is taken when the softirq
# dequeues the skb, so that ping's rtt covers the kernel rtt
echo 0 > /proc/sys/net/core/netdev_tstamp_prequeue || exit 1
{
	echo "netns_root=$(readlink /proc/self/ns/net | tr -dc 0-9)"
	echo "nproc=$(nproc)"
} > bench.env
nic_into_netns $MAC_A a $A na || exit 1
nic_into_netns $MAC_B b $B nb || exit 1
cat bench.env
ip -n a addr show na
ip -n b addr show nb
# the link comes up when QEMU's two ends are connected; ARP then works
wait_ping a $B 20 || exit 1

# mono: one clock for both CPUs, since tx and rx of one echo may run on
# different CPUs
TRACE_CLOCK=mono record nic 6 a $NIC_EVENTS ping -c 5 -i 0.2 $B
ip -s -n a link show na
ip -s -n b link show nb

# Per-stage latency over the real driver (issue 12): record and live
step "pingtrace record --stages (nic)"
/usr/bin/pingtrace record --stages -q -t $B -o stages-nic.dat -- \
	sh -c "exec /usr/bin/ip netns exec a /usr/bin/ping -U -c 5 -i 0.2 $B > stages-nic.ping" \
	> stages-rec-nic.txt 2> stages-rec-nic.err
echo "$?" > stages-rec-nic.rc
/usr/bin/pingtrace report --stages -F json -i stages-nic.dat \
	> stages-nic.json 2> stages-nic.err
echo "$?" > stages-nic.rc
/usr/bin/pingtrace report --stages -i stages-nic.dat > stages-nic.txt 2>&1
step "pingtrace live --stages (nic)"
/usr/bin/pingtrace live --stages -F json -t $B -- \
	/usr/bin/ip netns exec a /usr/bin/ping -U -c 5 -i 0.2 $B \
	> stages-nic-live.json 2> stages-nic-live.ping
echo "$?" > stages-nic-live.rc
exit 0
