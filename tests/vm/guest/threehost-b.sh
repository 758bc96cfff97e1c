#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest B of the three-guest bench: answers A on A-B, pings C on B-C
# (threehost-lib.sh)
. /tests/threehost-lib.sh
set -u

echo "host=B" > bench.env
nic_up $MAC_AB_B $AB_B ab || exit 1
nic_up $MAC_BC_B $BC_B bc || exit 1
stamp "B: ab, bc up"
wait_answer $BC_C B || exit 1
stamp "B: C answers"

# each step: recording already when A's knock comes (nc listens inside
# it), pinging C a second later (C records by then: A knocks C first);
# the stop is taken once B's own ping is over
for step in chain tri; do
	if [ $step = chain ]; then
		rec=$PORT_REC_CHAIN stop=$PORT_STOP_CHAIN
	else
		rec=$PORT_REC_TRI stop=$PORT_STOP_TRI
	fi
	record $step-B sh -c ". /tests/nic-lib.sh
		wait_knock $rec
		sleep 1
		$PING $BC_C > $step-B-ping.out 2>&1
		echo \$? > $step-B-ping.rc
		wait_knock $stop"
	stamp "B: $step done (rc $(cat $step-B.rc))"
done
ls -l
[ "$(cat chain-B.rc)" = 0 ] && [ "$(cat tri-B.rc)" = 0 ]
