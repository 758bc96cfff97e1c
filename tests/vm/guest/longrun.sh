#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario "longrun" (make test-long, issue 15): pingtrace live
# left running for a long session of fast, answered pings.  Its resident
# memory is sampled every 10 s; at the end its summary is compared with
# ping's by tests/vm/check_longrun.py.  The length and the interval come
# from the kernel command line: pingtrace.seconds (600),
# pingtrace.interval (0.001, ping -i) and pingtrace.pingers (1), the
# pings run side by side, each with its own id: iputils ping counts its
# interval in whole milliseconds and drops the fraction of each late
# wakeup, so one ping -i 0.001 sends about 910 a second on a TCG guest.
. /tests/lib.sh
set -u

PT=/usr/bin/pingtrace
seconds=$(boot_arg seconds 600)
interval=$(boot_arg interval 0.001)
pingers=$(boot_arg pingers 1)
echo "seconds=$seconds" > longrun.env
echo "interval=$interval" >> longrun.env
echo "pingers=$pingers" >> longrun.env

setup_netns || exit 1

# --slow 100 s: no answered echo is printed, every other one is, with
# its seq and times, so that a miscount can be found in the trace
step "pingtrace live --slow 100000 -F json -t $B, ping -q -i $interval -w $seconds $B"
"$PT" live --slow 100000 -F json -t $B > longrun.json 2> longrun.err &
ptpid=$!
wait_tracing $ptpid || exit 1
# pingtrace.witness=1: trace-cmd records the requests sent from a as
# well, in an instance of its own, as a second reader of the same events;
# 2: a second pingtrace live too (longrun2.json), a third reader
witness=$(boot_arg witness 0)
if [ "$witness" = 2 ]; then
	"$PT" live --slow 100000 -F json -t $B > longrun2.json 2> longrun2.err &
	pt2pid=$!
	wait_tracing $pt2pid || exit 1
	witness=1
else
	pt2pid=
fi
if [ "$witness" = 1 ]; then
	trace-cmd record -B witness -e net:ip_icmp \
		-f "dir == 0 && icmp_type == 8" -o witness.dat \
		> witness.log 2>&1 &
	twpid=$!
	while ! grep -qs 1 /sys/kernel/tracing/instances/witness/events/net/ip_icmp/enable; do
		sleep 0.1
	done
	sleep 1
fi
start=$(cat /proc/uptime)
pingpids=
n=1
while [ $n -le "$pingers" ]; do
	ip netns exec a /usr/bin/ping -q -i "$interval" -w "$seconds" $B \
		> longrun.ping.$n 2>&1 &
	pingpids="$pingpids $!"
	n=$((n + 1))
done
pingpid=${pingpids##* }
# a sample every 10 s while ping runs: uptime, then pingtrace's status
while kill -0 $pingpid 2> /dev/null; do
	sleep 10
	kill -0 $pingpid 2> /dev/null || break
	{
		echo "uptime $(cut -d' ' -f1 /proc/uptime)"
		grep -E "^(VmRSS|RssAnon|RssFile):" /proc/$ptpid/status
	} >> longrun.rss
done
rc=0
for p in $pingpids; do
	wait $p || rc=$?
done
echo "$rc" > longrun.pingrc
end=$(cat /proc/uptime)
echo "ping_seconds=$(echo "$start $end" | awk '{ print $3 - $1 }')" >> longrun.env
sleep 2
kill -INT $ptpid
wait $ptpid
echo "$?" > longrun.rc
if [ -n "$pt2pid" ]; then
	kill -INT $pt2pid
	wait $pt2pid
	tail -n 3 longrun2.json
fi
if [ "$witness" = 1 ]; then
	kill -INT $twpid
	wait $twpid
	echo "witness rc $?" >> witness.log
fi
cat longrun.ping.*
tail -n 1 longrun.json
echo "longrun: done"
