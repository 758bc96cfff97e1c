#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, in the guest: record loopback ping floods with trace-cmd,
# for the host to time pingtrace report and trace-cmd report on them.
#
# /root/bench.conf sets RECORD_ECHOES (one flood per number) and
# RECORD_BUFFER_KB, a ring buffer that holds a whole flood, so that the
# files lose nothing however slowly trace-cmd drains it.
. /tests/lib.sh
. /root/bench.conf
set -u

uname -r > kernel.txt
for n in $RECORD_ECHOES; do
	step "record a loopback flood of $n echoes"
	trace-cmd record -q -b "$RECORD_BUFFER_KB" -e net:ip_icmp \
		-o "flood-$n.dat" /usr/bin/ping -f -q -c "$n" 127.0.0.1 \
		> "flood-$n.out" 2> "flood-$n.err" || {
		cat "flood-$n.err"
		exit 1
	}
	cat "flood-$n.out"
	ls -l "flood-$n.dat"
done
exit 0
