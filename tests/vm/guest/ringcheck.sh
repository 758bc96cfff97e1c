#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest scenario "ringcheck": live's ring-buffer reader against numbered
# events (tests/vm/ring-check.c), trace_marker and a filtered syscall
# event, pingtrace.seconds (60) each, pingtrace.writers (2) writers.
. /tests/lib.sh
set -u

seconds=$(boot_arg seconds 60)
writers=$(boot_arg writers 2)
rate=$(boot_arg rate 10000)
kb=$(boot_arg buffer_kb 1024)
rc=0
for src in marker syscall; do
	step "ring-check $src $seconds $writers $kb $rate"
	/usr/bin/ring-check $src "$seconds" "$writers" "$kb" "$rate" > ring-$src.txt \
		2> ring-$src.err
	echo "$?" > ring-$src.rc
	cat ring-$src.txt
	head -n 20 ring-$src.err
	[ "$(cat ring-$src.rc)" = 0 ] || rc=1
done
echo "ringcheck: done"
exit $rc
