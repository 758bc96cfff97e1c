#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario "die": where a ping dies.  On the routed bench of
# lib.sh (a -- r -- c), pings that end in an ICMP error, traced by
# pingtrace live (JSON and text) and by trace-cmd record then pingtrace
# report.  Each case leaves NAME.ping (iputils ping), NAME.json or
# NAME.txt (pingtrace), NAME.rc and NAME.err in /out for
# tests/vm/check_die.py.
. /tests/lib.sh
set -u

PT=/usr/bin/pingtrace

# live NAME TARGET FORMAT PING-ARGS...: pingtrace live -t TARGET around
# ping PING-ARGS in netns a
live() {
	name=$1 target=$2 format=$3
	shift 3
	step "pingtrace live -F $format -t $target -- ping $*"
	"$PT" live -F "$format" -t "$target" -- sh -c \
		"/usr/bin/ip netns exec a /usr/bin/ping $* > $name.ping" \
		> "$name.$format" 2> "$name.err"
	echo "$?" > "$name.rc"
	cat "$name.ping"
}

start=$(date +%s)
setup_routed || exit 1

# TTL 1: r's time exceeded, from 198.51.100.254, for each request
live ttl $RT_C json -c 3 -i 0.2 -t 1 $RT_C
live ttl-text $RT_C text -c 3 -i 0.2 -t 1 $RT_C
mv ttl-text.text ttl-text.txt
# the same recorded by trace-cmd, then read by pingtrace report -t
record ttl-rec 6 a /usr/bin/ping -c 3 -i 0.2 -t 1 $RT_C
step "pingtrace report -F json -t $RT_C -i ttl-rec.dat"
"$PT" report -F json -t $RT_C -i ttl-rec.dat > ttl-rec.json 2> ttl-rec.err
echo "$?" > ttl-rec.rc
mv ttl-rec.out ttl-rec.ping
# no host behind the router: r's ARP fails, r says host unreachable
live nohost-r $RT_NOHOST_C json -c 3 -i 0.2 $RT_NOHOST_C
# no host on a's own subnet: a's ARP fails, a tells itself
live nohost-a $RT_NOHOST_A json -c 3 -i 0.2 $RT_NOHOST_A
# both again, recorded with the kernel's drops: where and why each died
for h in r a; do
	[ $h = r ] && host=$RT_NOHOST_C || host=$RT_NOHOST_A
	record nohost-$h-rec 6 a -e skb:kfree_skb -f "protocol == 2048" \
		/usr/bin/ping -c 3 -i 0.2 $host
	mv nohost-$h-rec.out nohost-$h-rec.ping
	step "pingtrace report -F json -t $host -i nohost-$h-rec.dat"
	"$PT" report -F json -t $host -i nohost-$h-rec.dat \
		> nohost-$h-rec.json 2> nohost-$h-rec.err
	echo "$?" > nohost-$h-rec.rc
	"$PT" report -t $host -i nohost-$h-rec.dat > nohost-$h-rec.txt 2>&1
done

# every hop of an answered echo: a, r, c and back
live routed $RT_C json -c 3 -i 0.2 $RT_C
live routed-text $RT_C text -c 3 -i 0.2 $RT_C
mv routed-text.text routed-text.txt

# rp_filter in c: its route back to a goes out another device, vd, so
# the strict reverse-path check refuses what comes in on vc
ip -n c link add vd type veth peer name vd2
ip -n c link set vd up
ip -n c link set vd2 up
ip -n c route add $RT_A/32 dev vd
ip netns exec c sh -c 'echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter &&
	echo 1 > /proc/sys/net/ipv4/conf/vc/rp_filter'
live rpfilter $RT_C json -c 3 -i 0.2 -W 1 $RT_C
ip netns exec c sh -c 'echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter &&
	echo 0 > /proc/sys/net/ipv4/conf/vc/rp_filter'
ip -n c route del $RT_A/32 dev vd
ip -n c link del vd

# c ignores echoes: the request arrives, no reply leaves
ip netns exec c sh -c 'echo 1 > /proc/sys/net/ipv4/icmp_echo_ignore_all'
live ignore $RT_C json -c 3 -i 0.2 -W 1 $RT_C
ip netns exec c sh -c 'echo 0 > /proc/sys/net/ipv4/icmp_echo_ignore_all'

# r's link to c carries 1280 bytes: a 1428-byte echo that may not be
# fragmented gets r's fragmentation needed, with the mtu ping prints.
# One request each: a learns the mtu, and its next one would fail in a's
# own sendmsg (no packet, no event); flushing a's route cache forgets it.
ip -n r link set rc mtu 1280
ip -n c link set vc mtu 1280
live fragneeded $RT_C json -c 1 -W 1 -M do -s 1400 $RT_C
ip -n a route flush cache
live fragneeded-text $RT_C text -c 1 -W 1 -M do -s 1400 $RT_C
mv fragneeded-text.text fragneeded-text.txt
ip -n r link set rc mtu 1500
ip -n c link set vc mtu 1500
ip -n a route flush cache

# c's link goes down while pings are in flight, and stays down: when
# ping has printed its third reply (it flushes each line), whatever the
# time pingtrace took to start
rm -f linkdown.ping
(
	n=0
	until grep -q 'icmp_seq=3 ' linkdown.ping 2> /dev/null; do
		n=$((n + 1))
		[ $n -lt 600 ] || break
		sleep 0.05
	done
	ip -n c link set vc down
) &
live linkdown $RT_C json -c 10 -i 0.2 -W 1 $RT_C
wait
ip -n c link set vc up

echo "die: $(( $(date +%s) - start )) s of cases"
echo "die: done"
