#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario for the kernel series: record net:ip_icmp around real
# pings and leave the traces in /out for the host to check.
. /tests/lib.sh
set -u

cp /sys/kernel/tracing/events/net/ip_icmp/format ip_icmp.format || exit 1
setup_netns || exit 1

# ping exit codes are kept in NAME.rc and judged on the host
record veth-v6 6 a ping -c 5 -i 0.2 $B
# Version 7 (zstd): two pingers at once, one pinned to each CPU, so that
# the file has data from both per-CPU buffers
record veth-v7 7 a sh -c "
	taskset 1 /usr/bin/ping -c 5 -i 0.2 $B > veth-v7.cpu0.out &
	taskset 2 /usr/bin/ping -c 5 -i 0.2 $B > veth-v7.cpu1.out
	wait"
record lo 6 a ping -c 3 -i 0.2 127.0.0.1
record nohost 6 a ping -c 3 -i 0.2 -W 1 $NOHOST
record frag 6 a ping -c 3 -i 0.2 -s 3000 $B

# The GRO/list receive path: with GRO on vb, and no TSO on va (else veth
# takes only TCP/UDP through GRO), vb receives through NAPI, and IPv4 gets
# the packets from netif_receive_skb_list() in ip_list_rcv(), which never
# calls ip_rcv().  The napi and netif_rx events show each packet's path.
step "record gro: ping with GRO on vb"
ip netns exec b /usr/bin/ethtool -K vb gro on || exit 1
ip netns exec a /usr/bin/ethtool -K va tso off || exit 1
ip netns exec a trace-cmd record -q --file-version 6 -o gro.dat \
	-e net:ip_icmp -e net:napi_gro_receive_entry -e net:netif_rx_entry \
	/usr/bin/ping -c 3 -i 0.2 $B > gro.out 2> gro.err
echo "$?" > gro.rc
ip netns exec b /usr/bin/ethtool -K vb gro off
ip netns exec a /usr/bin/ethtool -K va tso on

# A broadcast echo leaves through ip_mc_output(), not ip_output()
record bcast 6 a ping -b -c 2 -i 0.2 -W 1 198.51.100.255

# ICMP errors from the router b: time exceeded for TTL 1, fragmentation
# needed (its second word is the MTU, no echo identity) for 1428 bytes
# with DF into b's 1280-byte link to c
setup_router || exit 1
record ttl 6 a ping -c 2 -i 0.2 -W 1 -t 1 $C
record fragneeded 6 a ping -c 1 -W 1 -M "do" -s 1400 $C

# The series' net selftest (three namespaces of its own)
step "selftests/net/ip_icmp_trace.sh"
/usr/bin/bash /selftests/net/ip_icmp_trace.sh > /out/net-selftest.log 2>&1
echo "$?" > /out/net-selftest.rc
cat /out/net-selftest.log

cd /selftests/ftrace || exit 1
./ftracetest -vv test.d/event/net-ip_icmp.tc > /out/selftest.log 2>&1
echo "$?" > /out/selftest.rc
cat /out/selftest.log
# The same test made to fail (a filter no event passes): it must fail,
# and say why, although ftracetest runs it under set -e
sed 's/ifindex == 1/ifindex == 999999/' test.d/event/net-ip_icmp.tc \
	> test.d/event/net-ip_icmp-broken.tc
./ftracetest -vv test.d/event/net-ip_icmp-broken.tc \
	> /out/selftest-broken.log 2>&1
echo "$?" > /out/selftest-broken.rc
grep -c 'ifindex == 999999' test.d/event/net-ip_icmp-broken.tc \
	> /out/selftest-broken.changed
cat /out/selftest-broken.log
exit 0
