#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest A of the two-guest bench (tests/vm/run-vms.sh; issue 13):
# 198.51.100.1 on a virtio-net NIC whose QEMU socket is wired to guest B
# (198.51.100.2, tests/vm/guest/twohost-b.sh).  A drives, B follows (the
# knock ports of nic-lib.sh):
#
#   1. alone: B records net:ip_icmp on its own, A records its own file
#      around a ping: two files on two clocks, for the offset estimator
#      and pingtrace report -i A -i B; then the same while some echoes
#      are lost on the wire (loss-A.dat, loss-B.dat)
#   2. agent: B runs `trace-cmd agent -N A`; A runs `trace-cmd record -A`
#      over TCP with ptp time sync: A's file and B's file, with trace-cmd's
#      offsets
#   3. the same with `pingtrace record --agent`
#
# Everything is recorded with -C mono in both guests and both steps, so
# that one offset between the clocks holds for both (up to drift).
. /tests/nic-lib.sh
set -u

# 0: trace-cmd's ptp exchange once at the start and once at the end, a
# few seconds under TCG each; a loop (TSYNC_MS > 0) runs them back to back
TSYNC_MS=${TSYNC_MS:-0}
# pingtrace.agent=0 (make test): step 1 and record -A without time sync
# only; the ptp exchange takes minutes under TCG (make test-long runs it)
agent=$(boot_arg agent 1)
# pingtrace.quickack=0: without the workaround below, to measure it
quickack=$(boot_arg quickack 1)

echo "host=A" > bench.env
echo "nproc=$(nproc)" >> bench.env
echo "agent=$agent" >> bench.env
echo "quickack=$quickack" >> bench.env
nic_up $MAC_A $A na || exit 1
stamp "A: na up"
# B boots at about the same time; its NIC answers when QEMU's two ends
# are connected and B has set its address
n=0
until ping -c 1 -W 1 $B > /dev/null 2>&1; do
	n=$((n + 1))
	[ $n -lt 120 ] || { echo "A: $B never answered" >&2; exit 1; }
done
stamp "A: B answers ping"

# 1. each guest alone
knock $B $PORT_B_RECORDING 60 || exit 1
stamp "A: B records alone"
# B's nc runs inside its trace-cmd record, yet in one run of three B's
# file missed seq 1: give B's tracing a second to be on
sleep 1
trace-cmd record -q -C mono --file-version 6 -o alone-A.dat -e net:ip_icmp \
	/usr/bin/ping -c 10 -i 0.2 $B > alone-A.out 2> alone-A.err
echo $? > alone-A.rc
cat alone-A.out
knock $B $PORT_B_STOP 30 || exit 1
stamp "A: alone done"

# 1b. loss on the wire, in the traced command so that the times are the
# ping's: for about 0.7 s a MAC for B that no NIC has in A's neighbour
# table (A's requests leave A and never reach B); then, told by a knock,
# B does the same with its entry for A (B's replies leave B and never
# reach A).  Frames to another MAC are PACKET_OTHERHOST: dropped before
# ip_rcv_core()'s event, were a NIC to pass them up.  The knock may not
# see its connection closed (B's FIN goes astray): one try, not checked.
knock $B $PORT_B_LOSS 60 || exit 1
stamp "A: B records the loss step"
sleep 1
trace-cmd record -q -C mono --file-version 6 -o loss-A.dat -e net:ip_icmp \
	sh -c ". /tests/nic-lib.sh
		/usr/bin/ping -c 16 -i 0.2 -W 1 $B > loss-A.out 2>&1 &
		ping=\$!
		sleep 0.7
		/usr/bin/ip neigh replace $B lladdr $LOST_MAC dev na nud permanent
		sleep 0.7
		/usr/bin/ip neigh replace $B lladdr $MAC_B dev na nud reachable
		sleep 0.3
		knock $B $PORT_B_LOSE_REPLIES 1
		wait \$ping
		echo \$? > loss-ping.rc" 2> loss-A.err
echo $? > loss-A.rc
cat loss-A.out
knock $B $PORT_B_LOSS_STOP 30 || exit 1
stamp "A: loss done (rc $(cat loss-A.rc), ping $(cat loss-ping.rc))"

# 2. trace-cmd's agent.  Options before -A are A's, after it B's; the
# command runs on A.  trace-cmd passes A's clock (-C mono) to the agent.
# B's file is agent-198.51.100.2.dat: no --name, since trace-cmd 3.1.6
# then connects to the name given ("connecting to TCP server B:1502")
# instead of the address.
knock $B $PORT_B_AGENT 60 || exit 1
stamp "A: B's agent listens"
# trace-cmd 3.1.6 writes each message of the ptp exchange in two
# write()s, so Nagle holds the second until the peer's delayed ACK
# (40 ms or more), for each of ~680 messages per agent CPU, at the start
# and again at the end: minutes (fixed in 3.3 with TCP_NODELAY).  A host
# route with quickack makes both ends ACK at once: no rebuilt trace-cmd.
ip route add $B/32 dev na src $A quickack $quickack || exit 1
# First without time sync (--tsync-interval -1), to tell a hang in the
# ptp exchange from one in the agent's setup
timeout -s INT -k 10 30 trace-cmd record -C mono --file-version 6 \
	-o notsync.dat --tsync-interval -1 -e net:ip_icmp \
	-A $B:$AGENT_PORT -e net:ip_icmp \
	/usr/bin/ping -c 5 -i 0.2 $B > notsync.out 2> notsync.err
echo $? > notsync.rc
stamp "A: record -A without tsync done (rc $(cat notsync.rc))"
cat notsync.out notsync.err > /dev/console
if [ "$agent" = 0 ]; then
	stamp "A: record -A with time sync not run (pingtrace.agent=0)"
	knock $B $PORT_B_DONE 30 || exit 1
	ls -l
	exit 0
fi
# bounded: trace-cmd 3.1.6 over TCP may not come back by itself (README,
# "trace-cmd's agent over TCP"); SIGINT after 150 s is how a user stops
# it, SIGKILL 10 s later.  Its output goes to the console as well, which
# the host shows on failure.  The checker reads agent.rc and the time.
timeout -s INT -k 10 150 trace-cmd record --verbose=info -C mono \
	--file-version 6 -o agent.dat --tsync-interval "$TSYNC_MS" \
	-e net:ip_icmp -A $B:$AGENT_PORT -e net:ip_icmp \
	/usr/bin/ping -c 5 -i 0.2 $B > agent.out 2> agent.err
echo $? > agent.rc
stamp "A: record -A done (rc $(cat agent.rc))"
cat agent.out agent.err > /dev/console
# 3. the same through pingtrace record --agent, which runs trace-cmd
# record -A and then reports both files in one timeline (JSON here)
timeout -s INT -k 10 150 /usr/bin/pingtrace record -F json -C mono \
	-o ptagent.dat -t $B -A $B:$AGENT_PORT -- \
	/usr/bin/ping -c 5 -i 0.2 $B > ptagent.json 2> ptagent.err
echo $? > ptagent.rc
stamp "A: pingtrace record --agent done (rc $(cat ptagent.rc))"
cat ptagent.err > /dev/console
knock $B $PORT_B_DONE 30 || exit 1
ls -l
exit 0
