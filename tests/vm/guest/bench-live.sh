#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, in the guest: how fast a flood can be before pingtrace live,
# and trace-cmd record, start to lose events.
#
# Each step of the ladder in /root/bench.conf (LIVE_STEPS, each
# "pingers:interval", interval "f" for ping -f) runs for LIVE_SECONDS
# under each tool, with the same ring buffer for both, of each size in
# LIVE_BUFFERS (KB per CPU).  A flood over veth from netns a to b makes 4
# events per echo answered.  One line per run goes to /out/live.txt:
#   tool buffer_kb step echoes_sent echoes_received elapsed_ns events
#   events_lost
. /tests/lib.sh
. /root/bench.conf
set -u

CLOCK=/root/pt-clock
setup_netns || exit 1
uname -r > kernel.txt
ip netns exec a /usr/bin/ping -c 2 -i 0.2 $B > /dev/null

# flood.sh PINGERS INTERVAL: the load, run by each tool
cat > /tmp/flood.sh <<EOS
#!/bin/sh
n=\$1 i=\$2
[ "\$i" = f ] && opt=-f || opt="-i \$i"
k=0
while [ \$k -lt \$n ]; do
	/usr/bin/ip netns exec a /usr/bin/ping \$opt -q -w $LIVE_SECONDS $B \
		> /tmp/ping.\$k 2>&1 &
	k=\$((k + 1))
done
wait
EOS
chmod +x /tmp/flood.sh

# sum of "N packets transmitted, M received" over the pingers
ping_counts() {
	cat /tmp/ping.* | sed -n \
	    's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' |
	awk '{ t += $1; r += $2 } END { print t + 0, r + 0 }'
}

json_field() {
	sed -n "s/.*\"$1\":\([-0-9]*\).*/\1/p" "$2" | tail -n 1
}

: > live.txt
for kb in $LIVE_BUFFERS; do
for s in $LIVE_STEPS; do
	n=${s%%:*} i=${s#*:}
	for tool in pingtrace trace-cmd; do
		rm -f /tmp/ping.* live.json rec.dat
		t0=$($CLOCK)
		case $tool in
		pingtrace)
			pingtrace live -q -F json -W 1 -b "$kb" \
				-- /tmp/flood.sh "$n" "$i" > live.json
			;;
		trace-cmd)
			trace-cmd record -q -b "$kb" \
				-e net:ip_icmp -o rec.dat \
				/tmp/flood.sh "$n" "$i" > /dev/null 2>&1
			pingtrace report -q -F json rec.dat > live.json
			;;
		esac
		t1=$($CLOCK)
		counts=$(ping_counts)
		if [ "${counts#* }" = 0 ]; then
			echo "bench-live: $tool $s: no echo answered"
			cat /tmp/ping.*
			exit 1
		fi
		echo "$tool $kb $s $counts $((t1 - t0))" \
		     "$(json_field events live.json)" \
		     "$(json_field events_lost live.json)" | tee -a live.txt
	done
done
done
exit 0
