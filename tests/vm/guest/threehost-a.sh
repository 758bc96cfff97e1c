#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest A of the three-guest bench (tests/vm/run-threevms.sh): drives the
# steps of threehost-lib.sh.  In each step B and C record first, then A
# records its own pings; A's file comes last and ends first.
. /tests/threehost-lib.sh
set -u

echo "host=A" > bench.env
nic_up $MAC_AB_A $AB_A ab || exit 1
nic_up $MAC_AC_A $AC_A ac || exit 1
stamp "A: ab, ac up"
wait_answer $AB_B A || exit 1
wait_answer $AC_C A || exit 1
stamp "A: B and C answer"

# chain: C records, then B (which pings C), then A pings B
knock $AC_C $PORT_REC_CHAIN 120 || exit 1
knock $AB_B $PORT_REC_CHAIN 120 || exit 1
# as in twohost-a.sh: a second for the others' tracing to be on
sleep 1
record chain-A sh -c "$PING $AB_B > chain-A-ping-B.out 2>&1"
stamp "A: chain recorded (rc $(cat chain-A.rc))"
knock $AB_B $PORT_STOP_CHAIN 60 || exit 1
knock $AC_C $PORT_STOP_CHAIN 60 || exit 1
stamp "A: chain done"

# triangle: the same, and A pings C too
knock $AC_C $PORT_REC_TRI 120 || exit 1
knock $AB_B $PORT_REC_TRI 120 || exit 1
sleep 1
record tri-A sh -c "$PING $AB_B > tri-A-ping-B.out 2>&1
	$PING $AC_C > tri-A-ping-C.out 2>&1"
stamp "A: triangle recorded (rc $(cat tri-A.rc))"
knock $AB_B $PORT_STOP_TRI 60 || exit 1
knock $AC_C $PORT_STOP_TRI 60 || exit 1
stamp "A: triangle done"
ls -l
[ "$(cat chain-A.rc)" = 0 ] && [ "$(cat tri-A.rc)" = 0 ]
