#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario for pingtrace: live mode around real pings, report on
# trace-cmd recordings, signals, and tracing left as it was found.  Each
# case leaves NAME.json/NAME.txt (pingtrace), NAME.ping (iputils ping),
# NAME.rc, NAME.err and NAME.after (tracefs state afterwards) in /out for
# tests/vm/check_consumer.py.
. /tests/lib.sh
set -u

PT=/usr/bin/pingtrace
T=/sys/kernel/tracing

# ping -U times each echo from user space to user space, an interval
# that holds the kernel rtt whatever happens in the guest.  ping's
# default (the receive timestamp of the reply skb, taken before
# ip_rcv_core()) failed the bound once on 6.1: under round-robin TCG a
# vCPU can be paused between the timestamp and the tracepoint, and the
# guest clock runs on (kernel rtt 1.004 ms, ping 0.545 ms).

# Everything pingtrace could leave behind in tracefs
tracing_state() {
	echo "instances: $(ls $T/instances | tr '\n' ' ')"
	echo "set_event: $(cat $T/set_event | tr '\n' ' ')"
	echo "tracing_on: $(cat $T/tracing_on)"
	echo "current_tracer: $(cat $T/current_tracer)"
	echo "trace_clock: $(cat $T/trace_clock)"
	echo "buffer_size_kb: $(cat $T/buffer_size_kb)"
	echo "ip_icmp enable: $(cat $T/events/net/ip_icmp/enable)"
	echo "ip_icmp filter: $(cat $T/events/net/ip_icmp/filter)"
}


# pt NAME ARGS...: run pingtrace, keep its output, status and what it left
pt() {
	name=$1
	shift
	step "pingtrace $*"
	tracing_state > "$name.before"
	"$PT" "$@" > "$name.json" 2> "$name.err"
	echo "$?" > "$name.rc"
	tracing_state > "$name.after"
}


tracing_state > tracing.before
setup_netns || exit 1

step "pingtrace check"
"$PT" check > check.txt 2>&1
echo "$?" > check.rc

# live: one pinger, JSON and text
pt live-veth live -F json -e -t $B -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 5 -i 0.2 $B > live-veth.ping"
pt live-text live -t $B -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 5 -i 0.2 $B > live-text.ping"
mv live-text.json live-text.txt
# unanswered: only requests leave
pt live-nohost live -F json -W 1 -t $NOHOST -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 3 -i 0.2 -W 1 $NOHOST > live-nohost.ping"
# fragmented: 3028-byte datagrams over MTU 1500
pt live-frag live -F json -t $B -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 3 -i 0.2 -s 3000 $B > live-frag.ping"
# loopback inside netns a
pt live-lo live -F json -t 127.0.0.1 -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 3 -i 0.2 127.0.0.1 > live-lo.ping"
# two pingers at once, one per CPU
pt live-two live -F json -t $B -- sh -c "
	/usr/bin/ip netns exec a taskset 1 /usr/bin/ping -U -c 5 -i 0.2 $B > live-two.0.ping &
	/usr/bin/ip netns exec a taskset 2 /usr/bin/ping -U -c 5 -i 0.2 $B > live-two.1.ping
	wait"
# flood: every echo paired, nothing lost
pt live-flood live -q -F json -t $B -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -f -c 2000 $B > live-flood.ping"
# a flood into a 4 KB ring buffer: events are lost, echoes are not.
# pingtrace drains every millisecond while events flow, which a 4 KB
# buffer can survive; the command stops pingtrace (its parent) for a
# second of the flood, so that the buffer must overrun.
pt live-tiny live -q -F json -b 4 -t $B -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -f -c 3000 $B \
		> live-tiny.ping & kill -STOP \$PPID; sleep 1; \
		kill -CONT \$PPID; wait \$!"
# all ICMP, no target
pt live-all live -F json -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 2 -i 0.2 $B > live-all.ping"

# live -F json through a real JSON parser: the traced command's own
# stdout (ping's lines) must go to stderr, not into the JSON Lines.  tee
# keeps pingtrace's own text for the exact checks: jq 1.6 reads numbers
# as doubles, which round 19-digit nanosecond times.
step "pingtrace live -F json -- ping | jq"
tracing_state > live-jq.before
( "$PT" live -F json -t $B -- \
	/usr/bin/ip netns exec a /usr/bin/ping -U -c 3 -i 0.2 $B \
	2> live-jq.err; echo "$?" > live-jq.rc ) | tee live-jq.json |
	jq -c . > live-jq.jq 2> live-jq.jqerr
echo "$?" > live-jq.jqrc
tracing_state > live-jq.after
cp live-jq.err live-jq.ping

# A long session of unanswered pings: with -W 1 pingtrace keeps only the
# last second's requests, so its memory must stay flat while the trace
# grows.  Its anonymous memory is sampled every 5 s.  A static neighbour
# entry lets ping send without ARP (unresolved, it gives up after 10);
# vb drops the frames, which are not for its MAC, before ip_rcv_core().
# 50 a second, a rate the loaded guest keeps: at ping's fastest the rate,
# and with it the requests outstanding at once and the table pages they
# touch, followed the host's load.
step "memory over 30 s of unanswered pings"
/usr/bin/ip -n a neigh replace $NOHOST lladdr 02:00:00:00:00:03 dev va \
	nud permanent
tracing_state > mem.before
"$PT" live -q -F json -W 1 -t $NOHOST > mem.json 2> mem.err &
ptpid=$!
wait_tracing $ptpid
/usr/bin/ip netns exec a /usr/bin/ping -q -i 0.02 -w 30 $NOHOST > mem.ping 2>&1 &
pingpid=$!
for t in 1 2 3 4 5 6; do
	sleep 5
	grep -E "^(VmRSS|RssAnon|RssFile):" /proc/$ptpid/status >> mem.rss
done
wait $pingpid
sleep 2
kill -INT $ptpid
wait $ptpid
echo "$?" > mem.rc
tracing_state > mem.after
/usr/bin/ip -n a neigh del $NOHOST dev va

# The in-kernel filter: with -t B, pings to NOHOST must never reach the
# ring buffer of pingtrace's instance, pings to B must.  -D: the filter
# is net:ip_icmp's; skb:kfree_skb has no addresses to filter on (vb's
# drops of frames for NOHOST would reach the buffer).
step "in-kernel filter"
tracing_state > filter.before
"$PT" live -D -F json -t $B > filter.json 2> filter.err &
ptpid=$!
wait_tracing $ptpid
inst=$(ls $T/instances | grep "^pingtrace-$ptpid\$")
cat $T/instances/$inst/events/net/ip_icmp/filter > filter.kernel 2>&1
ip netns exec a /usr/bin/ping -U -c 3 -i 0.2 -W 1 $NOHOST > /dev/null
sleep 0.5
cat $T/instances/$inst/per_cpu/cpu*/stats > filter.stats.nohost 2>&1
ip netns exec a /usr/bin/ping -U -c 3 -i 0.2 $B > filter.ping
sleep 0.5
cat $T/instances/$inst/per_cpu/cpu*/stats > filter.stats.b 2>&1
kill -INT $ptpid
wait $ptpid
echo "$?" > filter.rc
tracing_state > filter.after

# Signals: SIGINT and SIGTERM while waiting, SIGPIPE into head, and a
# traced command that crashes.  Each must leave tracing as it was.
for sig in INT TERM; do
	step "SIG$sig"
	tracing_state > sig$sig.before
	"$PT" live -F json -t $B > sig$sig.json 2> sig$sig.err &
	ptpid=$!
	wait_tracing $ptpid
	/usr/bin/ip netns exec a /usr/bin/ping -U -c 2 -i 0.2 $B > sig$sig.ping
	sleep 0.5
	kill -$sig $ptpid
	wait $ptpid
	echo "$?" > sig$sig.rc
	tracing_state > sig$sig.after
done
step "SIGPIPE"
tracing_state > sigpipe.before
( "$PT" live -t $B -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 10 -i 0.1 $B > /dev/null" \
	2> sigpipe.err; echo "$?" > sigpipe.rc ) | head -n 1 > sigpipe.txt
tracing_state > sigpipe.after
pt crash live -F json -t $B -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 2 -i 0.2 $B > crash.ping; kill -SEGV \$\$"

# Two pingtrace processes at once, each with its own target
step "two pingtrace at once"
tracing_state > both.before
"$PT" live -F json -t $B -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 4 -i 0.2 $B > both-b.ping" \
	> both-b.json 2> both-b.err &
p1=$!
"$PT" live -F json -t 127.0.0.1 -- \
	sh -c "/usr/bin/ip netns exec a /usr/bin/ping -U -c 4 -i 0.2 127.0.0.1 > both-lo.ping" \
	> both-lo.json 2> both-lo.err &
p2=$!
wait $p1
echo "$?" > both-b.rc
wait $p2
echo "$?" > both-lo.rc
tracing_state > both.after

# report: files written by trace-cmd record, both file versions.  The
# boot clock: where the guest's TSC is unstable (6.1 under TCG), the
# kernel's default trace clock is "global", which clamps timestamps across
# CPUs, and ping's rtt is no bound for the kernel rtt measured with it.
export TRACE_CLOCK=boot
record rec-v6 6 a /usr/bin/ping -U -c 5 -i 0.2 $B
mv rec-v6.out rec-v6.ping
record rec-v7 7 a sh -c "
	taskset 1 /usr/bin/ping -U -c 5 -i 0.2 $B > rec-v7.0.ping &
	taskset 2 /usr/bin/ping -U -c 5 -i 0.2 $B > rec-v7.1.ping
	wait"
record rec-frag 6 a /usr/bin/ping -U -c 3 -i 0.2 -s 3000 $B
mv rec-frag.out rec-frag.ping
# Where /proc/kallsyms is missing, trace-cmd 3.1.6 writes a damaged
# version 7 file (README.md, "trace-cmd file versions"): hide it in a
# mount namespace
nokallsyms() {	# NETNS COMMAND...: run COMMAND with a /proc that has
		# nothing but a copy of mounts, for libtracefs to find tracefs
	ns=$1
	shift
	/usr/bin/ip netns exec "$ns" unshare -m sh -c '
		cp /proc/mounts /tmp/mounts.real &&
		mount -t tmpfs none /proc &&
		cp /tmp/mounts.real /proc/mounts &&
		"$@"' sh "$@"
}
unset TRACE_CLOCK
step "record without /proc/kallsyms"
nokallsyms a trace-cmd record -q -o rec-damaged.dat \
	-e net:ip_icmp /usr/bin/ping -U -c 2 -i 0.2 $B > rec-damaged.ping 2>&1
for f in rec-v6 rec-v7 rec-frag rec-damaged; do
	pt report-$f report -F json -e -i $f.dat
	trace-cmd report -i $f.dat > $f.tcreport 2>&1
	echo "$?" > $f.tcrc
done
# pingtrace record must write a readable file there
step "pingtrace record without /proc/kallsyms"
tracing_state > ptrec.before
nokallsyms a "$PT" record -F json -t $B -o ptrec.dat -- \
	sh -c "/usr/bin/ping -U -c 3 -i 0.2 $B > ptrec.ping" \
	> ptrec.json 2> ptrec.err
echo "$?" > ptrec.rc
tracing_state > ptrec.after
pt report-ptrec report -F json -i ptrec.dat
pt report-text report -i rec-v6.dat
mv report-text.json report-text.txt

# Per-stage latency (issue 12): record --stages over veth and loopback,
# report --stages in JSON and text, with --slow above the median rtt
# and with --svg; live --stages with ping as the command itself, whose
# pid filters the task events in the kernel
for where in veth:$B lo:127.0.0.1; do
	m=${where%%:*} dst=${where#*:}
	step "pingtrace record --stages ($m)"
	# exec: the command's pid is the pinger's, which filters the
	# task events (ip netns exec execs ping in its own process too)
	"$PT" record --stages -q -t $dst -o stages-$m.dat -- \
		sh -c "exec /usr/bin/ip netns exec a /usr/bin/ping -U -c 5 -i 0.2 $dst > stages-$m.ping" \
		> stages-rec-$m.txt 2> stages-rec-$m.err
	echo "$?" > stages-rec-$m.rc
	pt stages-$m report --stages -F json -i stages-$m.dat
done
pt stages-text report --stages -i stages-veth.dat
mv stages-text.json stages-text.txt
jq -s '[.[] | select(.type == "echo") | .rtt_ns] | sort | .[length / 2 | floor]' \
	stages-veth.json > stages-slow.thr
pt stages-slow report --stages -F json \
	--slow "$(awk '{ printf "%.6f", $1 / 1e6 }' stages-slow.thr)" -i stages-veth.dat
pt stages-svg report --stages -q --svg stages-veth.svg -i stages-veth.dat
pt stages-live live --stages -F json -t $B -- \
	/usr/bin/ip netns exec a /usr/bin/ping -U -c 5 -i 0.2 $B
cp stages-live.err stages-live.ping

# errors: no file, not a trace file, a trace without net:ip_icmp
pt err-nofile report -i /nonexistent.dat
pt err-notrace report -i /tests/lib.sh
trace-cmd record -q -o noicmp.dat -e sched:sched_process_exec true > /dev/null 2>&1
pt err-noevent report -i noicmp.dat
pt err-target live -t 198.51.100.300
exit 0
