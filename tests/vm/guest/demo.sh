#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario for `make demo`: ping from one namespace to the other
# and show what net:ip_icmp saw.
. /tests/lib.sh
set -u

setup_netns || exit 1
{
	if command -v pingtrace > /dev/null; then
		echo "# pingtrace live -t $B -- ip netns exec a ping -c 4 -i 0.2 $B"
		pingtrace live -t $B -- ip netns exec a ping -c 4 -i 0.2 $B
	else
		record demo 7 a ping -c 4 -i 0.2 $B
		echo "# trace-cmd report demo.dat"
		trace-cmd report demo.dat
	fi
} > demo.txt 2>&1
cat demo.txt
