#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest C of the three-guest bench: answers A on A-C and B on B-C, and
# records (threehost-lib.sh)
. /tests/threehost-lib.sh
set -u

echo "host=C" > bench.env
nic_up $MAC_AC_C $AC_C ac || exit 1
nic_up $MAC_BC_C $BC_C bc || exit 1
stamp "C: ac, bc up"

for step in chain tri; do
	if [ $step = chain ]; then
		rec=$PORT_REC_CHAIN stop=$PORT_STOP_CHAIN
	else
		rec=$PORT_REC_TRI stop=$PORT_STOP_TRI
	fi
	# recording already when the knock comes: nc listens inside it
	record $step-C sh -c ". /tests/nic-lib.sh
		wait_knock $rec
		wait_knock $stop"
	stamp "C: $step done (rc $(cat $step-C.rc))"
done
ls -l
[ "$(cat chain-C.rc)" = 0 ] && [ "$(cat tri-C.rc)" = 0 ]
