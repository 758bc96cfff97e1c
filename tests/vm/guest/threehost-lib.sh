# SPDX-License-Identifier: GPL-2.0
# Shared by the three-guest bench (threehost-a.sh, -b.sh, -c.sh; the
# host side is tests/vm/run-threevms.sh): a triangle of virtio-net
# links, documentation addresses only, one /24 per link:
#
#	A-B  198.51.100.0/24  A .1  B .2   NIC "ab" on both
#	A-C  203.0.113.0/24   A .1  C .3   NIC "ac" on both
#	B-C  192.0.2.0/24     B .2  C .3   NIC "bc" on both
#
# A drives the steps with knocks (nic-lib.sh), to B over A-B and to C
# over A-C; B pings C over B-C.  No traffic goes to any other address.
. /tests/nic-lib.sh

MAC_AB_A=52:54:00:70:74:01
MAC_AB_B=52:54:00:70:74:02
MAC_AC_A=52:54:00:70:74:11
MAC_AC_C=52:54:00:70:74:13
MAC_BC_B=52:54:00:70:74:22
MAC_BC_C=52:54:00:70:74:23

AB_A=198.51.100.1
AB_B=198.51.100.2
AC_A=203.0.113.1
AC_C=203.0.113.3
BC_B=192.0.2.2
BC_C=192.0.2.3

# The steps: each a recording on every guest.  chain: A pings B, B pings
# C, A never pings C (C's offset to A can only be chained through B);
# triangle: A pings B and C, B pings C.
PORT_REC_CHAIN=7101	# B, C: record the chain step
PORT_STOP_CHAIN=7102	# B, C: A is done: stop (B: once its ping ends)
PORT_REC_TRI=7103	# B, C: record the triangle step
PORT_STOP_TRI=7104	# B, C: A is done: stop

# The pings of each step, a few echoes each
PING="/usr/bin/ping -c 5 -i 0.2 -W 2"

# record NAME COMMAND: pingtrace record of net:ip_icmp around COMMAND
# into NAME.dat, on the monotonic clock (as the two-guest bench), its
# report in NAME.txt, its exit status in NAME.rc
record() {
	name=$1
	shift
	/usr/bin/pingtrace record -q -C mono -o "$name.dat" -- "$@" \
		> "$name.txt" 2> "$name.err"
	echo $? > "$name.rc"
}

# wait_answer ADDR NAME: ping ADDR once a second, 120 times at most
wait_answer() {
	n=0
	until ping -c 1 -W 1 "$1" > /dev/null 2>&1; do
		n=$((n + 1))
		[ $n -lt 120 ] || { echo "$2: $1 never answered" >&2; return 1; }
	done
}
