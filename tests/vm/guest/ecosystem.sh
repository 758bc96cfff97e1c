#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario: the tools people already have see net:ip_icmp.  Debian's
# perf records the event around real pings and prints it with perf
# script; a bpftrace program on tracepoint:net:ip_icmp prints the fields
# it reads.  tests/vm/check_ecosystem.py checks both against ping's own
# output.  Each tool gets its own ping, with an identifier of its own
# (ping -e), so that one tool's events cannot stand in for the other's.
. /tests/lib.sh
set -u

PERF_ID=4201
BPF_ID=4202

setup_netns || exit 1
uname -r > kernel.txt
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# perf keeps build ids under $HOME; bpftrace wants no terminal
export HOME=/root

step "perf record -e net:ip_icmp around ping -e $PERF_ID"
perf version > perf-version.txt 2>&1
perf record -q -N -B -a -e net:ip_icmp -o perf.data -- \
	ip netns exec a /usr/bin/ping -c 3 -i 0.2 -e $PERF_ID $B \
	> perf-ping.out 2> perf-record.err
echo "$?" > perf-record.rc
cat perf-ping.out
perf script -i perf.data -F comm,pid,cpu,time,event,trace \
	> perf-script.txt 2> perf-script.err
echo "$?" > perf-script.rc
cat perf-script.txt

step "bpftrace on tracepoint:net:ip_icmp around ping -e $BPF_ID"
bpftrace --version > bpftrace-version.txt 2>&1
# BEGIN runs once every probe is attached: READY says ping may start
# The event's format declares fields as the kernel's u8 and u16, which
# clang does not know without the kernel's own headers: define them.
cat > ip_icmp.bt <<'EOB'
#define u8 unsigned char
#define u16 unsigned short
BEGIN { printf("READY\n"); }
tracepoint:net:ip_icmp
{
	printf("dir=%u dev=%s saddr=%u.%u.%u.%u daddr=%u.%u.%u.%u type=%u id=%u seq=%u ifindex=%d netns=%u\n",
	       args->dir, args->dev,
	       args->saddr[0], args->saddr[1], args->saddr[2], args->saddr[3],
	       args->daddr[0], args->daddr[1], args->daddr[2], args->daddr[3],
	       args->icmp_type, args->icmp_id, args->icmp_seq,
	       args->ifindex, args->netns);
}
EOB
cp ip_icmp.bt /out/
bpftrace ip_icmp.bt > bpftrace.txt 2> bpftrace.err &
bt=$!
# LLVM compiles the program under TCG: give it time
i=0
while ! grep -q READY bpftrace.txt 2>/dev/null; do
	if ! kill -0 $bt 2>/dev/null || [ $i -ge 300 ]; then
		echo "bpftrace did not start"
		cat bpftrace.err
		kill -INT $bt 2>/dev/null
		break
	fi
	sleep 1
	i=$((i + 1))
done
echo "bpftrace ready after $i s"
ip netns exec a /usr/bin/ping -c 3 -i 0.2 -e $BPF_ID $B > bpf-ping.out 2>&1
cat bpf-ping.out
kill -INT $bt 2>/dev/null
wait $bt
echo "$?" > bpftrace.rc
cat bpftrace.txt bpftrace.err
exit 0
