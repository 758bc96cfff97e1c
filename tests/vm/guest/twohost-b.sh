#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest B of the two-guest bench: 198.51.100.2, follows A's steps
# (tests/vm/guest/twohost-a.sh)
. /tests/nic-lib.sh
set -u

echo "host=B" > bench.env
echo "nproc=$(nproc)" >> bench.env
nic_up $MAC_B $B nb || exit 1
stamp "B: nb up"

# 1. alone: the recording runs while nc waits for A's two knocks
trace-cmd record -q -C mono --file-version 6 -o alone-B.dat -e net:ip_icmp \
	sh -c ". /tests/nic-lib.sh
		wait_knock $PORT_B_RECORDING
		wait_knock $PORT_B_STOP" > alone-B.out 2> alone-B.err
echo $? > alone-B.rc
stamp "B: alone done (rc $(cat alone-B.rc))"

# 1b. loss: the same, while some echoes are lost on the wire; when A
# says so, B's replies to A go to a MAC no NIC has for 0.7 s (a
# permanent entry: B does not ARP for A meanwhile)
trace-cmd record -q -C mono --file-version 6 -o loss-B.dat -e net:ip_icmp \
	sh -c ". /tests/nic-lib.sh
		wait_knock $PORT_B_LOSS
		wait_knock $PORT_B_LOSE_REPLIES
		/usr/bin/ip neigh replace $A lladdr $LOST_MAC dev nb nud permanent
		sleep 0.7
		/usr/bin/ip neigh replace $A lladdr $MAC_A dev nb nud reachable
		wait_knock $PORT_B_LOSS_STOP" > loss-B.out 2> loss-B.err
echo $? > loss-B.rc
stamp "B: loss done (rc $(cat loss-B.rc))"

# 2. the agent, for A only; quickack: see twohost-a.sh
quickack=$(boot_arg quickack 1)
ip route add $A/32 dev nb src $B quickack $quickack || exit 1
trace-cmd agent --verbose=info -N $A -p $AGENT_PORT > /dev/console 2>&1 &
agent=$!
n=0
until tcp_listening $AGENT_PORT; do
	n=$((n + 1))
	[ $n -lt 30 ] || { echo "B: the agent does not listen" >&2; exit 1; }
	sleep 1
done
stamp "B: agent listens on $AGENT_PORT"
wait_knock $PORT_B_AGENT
# A's record -A is bounded to 160 s; do not outlive it by much
timeout 240 busybox nc -l -p $PORT_B_DONE < /dev/null > /dev/null
stamp "B: A is done"
kill $agent 2> /dev/null
wait $agent
echo "agent exit status $?" > agent-B.log
ls -l
exit 0
