#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario for the kernel series: record net:ip_icmp around real
# pings and leave the traces in /out for the host to check.
. /tests/lib.sh
set -u

cp /sys/kernel/tracing/events/net/ip_icmp/format ip_icmp.format || exit 1
cp /sys/kernel/tracing/events/net/ip6_icmp/format ip6_icmp.format || exit 1
setup_netns || exit 1
setup_netns6 || exit 1

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

# Why the halves: a filter on the __u8[16] daddr is accepted, and lets
# nothing through (select_comparison_fn() has no 16-byte comparison)
step "a filter on the __u8[16] daddr, around a ping to ::1"
E6=/sys/kernel/tracing/events/net/ip6_icmp
echo > /sys/kernel/tracing/trace
echo 'daddr == 1' > $E6/filter
echo "$?" > v6arrayfilter.rc
echo 1 > $E6/enable
ping -6 -c 1 -W 2 ::1 > v6arrayfilter.out
echo 0 > $E6/enable
grep -c 'ip6_icmp:' /sys/kernel/tracing/trace > v6arrayfilter.count
echo 0 > $E6/filter
echo > /sys/kernel/tracing/trace

# net:ip6_icmp: echoes, fragments, and the target filter.  A filter
# cannot compare the __u8[16] saddr and daddr; their u64 halves can.
# B6_OTHER is on the same vb: its pings, answered, must stay out.
export RECORD_EVENT=net:ip6_icmp
record v6 6 a ping -6 -c 3 -i 0.2 $B6
record v6frag 6 a ping -6 -c 2 -i 0.2 -s 3000 $B6
export RECORD_FILTER="(saddr_hi == 0x20010db800000000 && saddr_lo == 0x2) ||
	(daddr_hi == 0x20010db800000000 && daddr_lo == 0x2)"
record v6filter 6 a sh -c "
	/usr/bin/ping -6 -c 3 -i 0.2 $B6_OTHER > v6filter.other.out &
	/usr/bin/ping -6 -c 3 -i 0.2 $B6
	wait"
unset RECORD_EVENT RECORD_FILTER

# ICMP errors from the router b: time exceeded for TTL 1, fragmentation
# needed (its second word is the MTU, no echo identity) for 1428 bytes
# with DF into b's 1280-byte link to c
setup_router || exit 1
record ttl 6 a ping -c 2 -i 0.2 -W 1 -t 1 $C
record fragneeded 6 a ping -c 1 -W 1 -M "do" -s 1400 $C
# and their ICMPv6 counterparts: time exceeded for hop limit 1, packet
# too big for 1448 bytes that may not be fragmented
setup_router6 || exit 1
export RECORD_EVENT=net:ip6_icmp
record v6ttl 6 a ping -6 -c 2 -i 0.2 -W 1 -t 1 $C6
record v6ptb 6 a ping -6 -c 1 -W 1 -M "do" -s 1400 $C6
unset RECORD_EVENT

# The series' net selftest (three namespaces of its own)
step "selftests/net/ip_icmp_trace.sh"
/usr/bin/bash /selftests/net/ip_icmp_trace.sh > /out/net-selftest.log 2>&1
echo "$?" > /out/net-selftest.rc
cat /out/net-selftest.log

step "selftests/net/ip6_icmp_trace.sh"
/usr/bin/bash /selftests/net/ip6_icmp_trace.sh > /out/net6-selftest.log 2>&1
echo "$?" > /out/net6-selftest.rc
cat /out/net6-selftest.log

cd /selftests/ftrace || exit 1
./ftracetest -vv test.d/event/net-ip6_icmp.tc > /out/selftest6.log 2>&1
echo "$?" > /out/selftest6.rc
cat /out/selftest6.log
# made to fail: a filter on ::2, which loopback never carries
sed 's/daddr_lo == 1/daddr_lo == 2/' test.d/event/net-ip6_icmp.tc \
	> test.d/event/net-ip6_icmp-broken.tc
./ftracetest -vv test.d/event/net-ip6_icmp-broken.tc \
	> /out/selftest6-broken.log 2>&1
echo "$?" > /out/selftest6-broken.rc
grep -c 'daddr_lo == 2' test.d/event/net-ip6_icmp-broken.tc \
	> /out/selftest6-broken.changed
rm -f test.d/event/net-ip6_icmp-broken.tc

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
