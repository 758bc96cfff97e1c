#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: timed.sh NAME COMMAND...
# Run COMMAND and say how long it took, pass or fail, so that a CI log
# shows where the time of make test goes (a cold run's budget is the
# kernel builds, objcheck and the packages; the guests are the same
# warm or cold).  The exit status is COMMAND's.
name=${1:?usage: timed.sh NAME COMMAND...}
shift
start=$(date +%s)
"$@"
rc=$?
echo "time: $name: $(( $(date +%s) - start )) s (exit $rc)"
exit $rc
