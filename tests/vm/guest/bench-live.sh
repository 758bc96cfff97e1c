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
#   events_lost tool_cpu_s flood_cpu_s drop_events
# The CPU times are the shell's "times": the run's, the tool with all it
# waited for (the flood included), less the flood's own (its shell and
# its pingers): the tool's, its threads and trace-cmd's recorders
# included; trace-cmd report's reading of the file afterwards is not.
# drop_events is the skb:kfree_skb records the tool delivered.
. /tests/lib.sh
. /root/bench.conf
set -u

CLOCK=/root/pt-clock
# trace-cmd records what pingtrace live enables with no target: both
# ICMP events and the drops of both families (consumer/drop.h), so the
# two tools' ring buffers hold the same events.  A root ping's reply is
# freed as a drop once its raw socket has a copy, and each pinger's
# socket filter drops the other pingers' replies.
DROP_FILTER="protocol == 2048 || protocol == 34525"
# With the buffers of LIVE_ICMP_BUFFERS, the same ladder with the ICMP
# events alone: pingtrace live -D (no drops) against trace-cmd record
# -e net:ip_icmp.
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
times > /tmp/flood.times
EOS
chmod +x /tmp/flood.sh

# sum of "N packets transmitted, M received" over the pingers
ping_counts() {
	cat /tmp/ping.* | sed -n \
	    's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' |
	awk '{ t += $1; r += $2 } END { print t + 0, r + 0 }'
}

# seconds of a "times" output: user + system of lines @1 (and @2)
times_s() {
	awk -v lines="$2" '
	function s(t,  m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]*m/, "", t);
			    sub(/s$/, "", t); return m * 60 + t }
	NR <= 2 && index(lines, NR) { c += s($1) + s($2) }
	END { printf "%.2f", c }' "$1"
}

json_field() {
	sed -n "s/.*\"$1\":\([-0-9]*\).*/\1/p" "$2" | tail -n 1
}

: > live.txt
for kb in $LIVE_BUFFERS; do
for s in $LIVE_STEPS; do
	n=${s%%:*} i=${s#*:}
	tools="pingtrace trace-cmd"
	case " $LIVE_ICMP_BUFFERS " in
	*" $kb "*) tools="$tools pingtrace-D trace-cmd-icmp" ;;
	esac
	for tool in $tools; do
		rm -f /tmp/ping.* live.json rec.dat
		t0=$($CLOCK)
		case $tool in
		pingtrace)
			(pingtrace live -q -F json -W 1 -b "$kb" \
				-- /tmp/flood.sh "$n" "$i" > live.json
			 times > /tmp/tool.times)
			;;
		pingtrace-D)
			(pingtrace live -q -F json -W 1 -b "$kb" -D \
				-- /tmp/flood.sh "$n" "$i" > live.json
			 times > /tmp/tool.times)
			;;
		trace-cmd)
			(trace-cmd record -q -b "$kb" \
				-e net:ip_icmp -e net:ip6_icmp \
				-e skb:kfree_skb -f "$DROP_FILTER" -o rec.dat \
				/tmp/flood.sh "$n" "$i" > /dev/null 2>&1
			 times > /tmp/tool.times)
			;;
		trace-cmd-icmp)
			(trace-cmd record -q -b "$kb" -e net:ip_icmp -o rec.dat \
				/tmp/flood.sh "$n" "$i" > /dev/null 2>&1
			 times > /tmp/tool.times)
			;;
		esac
		t1=$($CLOCK)
		case $tool in trace-cmd*)
			pingtrace report -q -F json rec.dat > live.json ;;
		esac
		run_cpu=$(times_s /tmp/tool.times 2)
		flood_cpu=$(times_s /tmp/flood.times 12)
		tool_cpu=$(echo "$run_cpu $flood_cpu" |
			   awk '{ printf "%.2f", $1 - $2 }')
		counts=$(ping_counts)
		if [ "${counts#* }" = 0 ]; then
			echo "bench-live: $tool $s: no echo answered"
			cat /tmp/ping.*
			exit 1
		fi
		echo "$tool $kb $s $counts $((t1 - t0))" \
		     "$(json_field events live.json)" \
		     "$(json_field events_lost live.json)" \
		     "$tool_cpu" "$flood_cpu" \
		     "$(json_field drop_events live.json | grep . || echo 0)" | tee -a live.txt
	done
done
done
exit 0
