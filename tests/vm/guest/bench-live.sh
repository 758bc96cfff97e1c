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
#   events_lost tool_cpu_s flood_cpu_s
# The CPU times are the shell's "times": the run's, the tool with all it
# waited for (the flood included), less the flood's own (its shell and
# its pingers): the tool's, its threads and trace-cmd's recorders
# included; trace-cmd report's reading of the file afterwards is not.
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
	for tool in pingtrace trace-cmd; do
		rm -f /tmp/ping.* live.json rec.dat
		t0=$($CLOCK)
		case $tool in
		pingtrace)
			(pingtrace live -q -F json -W 1 -b "$kb" \
				-- /tmp/flood.sh "$n" "$i" > live.json
			 times > /tmp/tool.times)
			;;
		trace-cmd)
			(trace-cmd record -q -b "$kb" \
				-e net:ip_icmp -o rec.dat \
				/tmp/flood.sh "$n" "$i" > /dev/null 2>&1
			 times > /tmp/tool.times)
			;;
		esac
		t1=$($CLOCK)
		[ "$tool" = trace-cmd ] &&
			pingtrace report -q -F json rec.dat > live.json
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
		     "$tool_cpu" "$flood_cpu" | tee -a live.txt
	done
done
done
exit 0
