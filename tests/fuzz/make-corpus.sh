#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Seed corpora for the libFuzzer harnesses (tests/fuzz/fuzz-*.c).
#
#   make-corpus.sh OUTDIR
#
# OUTDIR/corpus-tracefile: the trace files of tests/fixtures and
#   tests/unit/data, and variants of each: truncated, bit-flipped, and
#   with another version in the header.
# OUTDIR/corpus-decode: inputs of fuzz-decode.c, in both of its modes:
#   the real format generated field by field, with raw records, and
#   built events (one ping seen at four points, a lost one, a duplicate,
#   a fragmented one).
#
# The corpora are generated, never committed; fuzzing adds to them.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: make-corpus.sh OUTDIR}
tf=$out/corpus-tracefile
dc=$out/corpus-decode
mkdir -p "$tf" "$dc"

# ---- trace files ------------------------------------------------------

# flip FILE OFFSET BIT OUT: a copy of FILE with one bit inverted
flip() {
	cp "$1" "$4"
	byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	[ -n "$byte" ] || return 0
	printf "$(printf '\\%03o' $((byte ^ (1 << $3))))" |
		dd of="$4" bs=1 seek="$2" conv=notrunc status=none
}

# poke FILE OFFSET CHAR OUT: a copy of FILE with one byte replaced
poke() {
	cp "$1" "$4"
	printf '%s' "$3" | dd of="$4" bs=1 seek="$2" conv=notrunc status=none
}

for f in "$top"/tests/fixtures/*.dat "$top"/tests/unit/data/*.dat; do
	name=$(basename "$f" .dat)
	size=$(stat -c %s "$f")
	cp "$f" "$tf/$name.dat"
	for len in 12 20 64 512 4096 8192 $((size / 2)) $((size - 1)); do
		[ "$len" -lt "$size" ] || continue
		head -c "$len" "$f" > "$tf/$name-cut$len.dat"
	done
	# The header (endianness, long and page size), the first sections,
	# the middle and the end of the file
	for off in 12 13 14 18 24 40 100 300 1000 4096 4100 \
		   $((size / 2)) $((size - 8)); do
		[ "$off" -lt "$size" ] || continue
		flip "$f" "$off" $((off % 8)) "$tf/$name-flip$off.dat"
	done
	# The version is the string after the magic: "6" or "7"
	for v in 5 6 7 8 9; do
		poke "$f" 10 "$v" "$tf/$name-version$v.dat"
	done
done

# ---- decode inputs ----------------------------------------------------

le16() { printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))"; }
bytes() { for b in "$@"; do printf "\\$(printf %03o "$b")"; done; }

# ev B0 B1 ID SEQ STEP_US: one event of fuzz-decode.c's real mode
ev() {
	bytes "$1" "$2" "$3"
	le16 "$4"
	le16 "$5"
	bytes 7 64 0
}

# One echo (id 42, SEQ) seen at the requester and the responder
echo4() {
	ev 2 4 42 "$1" 100	# request out of 198.51.100.1 to .2
	ev 3 20 42 "$1" 50	# request in at .2, in another netns
	ev 6 17 42 "$1" 10	# reply out of .2
	ev 7 1 42 "$1" 50	# reply in at .1
}

for opts in 1 3 11 5 13 7 65 129 193 49; do
	{ bytes "$opts" 0; echo4 1; echo4 2; ev 2 4 42 3 100; } \
		> "$dc/real-$opts"
done
{ bytes 1 0; echo4 65535; echo4 0; ev 7 1 42 0 30; } > "$dc/real-wrap-dup"
{ bytes 65 0; ev 2 4 7 1 10; ev 66 4 7 2 10; ev 7 1 7 1 10; } \
	> "$dc/real-loss"
# A fragmented request: first fragment out with the header, the others
# without; in at the responder first, middle, last
{ bytes 1 0; ev 18 4 9 1 10; ev 32 4 9 1 1; ev 48 4 9 1 1;
  ev 19 20 9 1 40; ev 33 20 9 1 1; ev 49 20 9 1 1;
  ev 6 17 9 1 10; ev 7 1 9 1 40; } > "$dc/real-frag"

# rec DIR TYPE SRC DST SEQ: a raw 64-byte record of the fixture's format
# err SEQ SPARE: an ICMP unreachable from .2 into .1's netns; in the v2
# format (second byte 128) SPARE 4 quotes .1 -> .2 id 42 SEQ, 68 quotes
# UDP, 132 quotes nothing
err() {
	bytes 15 1 42
	le16 "$1"
	le16 50
	bytes 7 64 "$2"
}
for sel in 0 128; do
	{ bytes 1 "$sel"; ev 2 4 42 1 100; err 1 4; ev 2 4 42 2 100; err 2 68
	  err 9 4; ev 2 4 42 3 100; err 3 132; ev 7 1 42 3 10; } \
		> "$dc/real-errors-$sel"
done

# drop SKB REASON STEP_US: an skb:kfree_skb (second byte bit 6) of the
# skb of the events whose ip id is SKB (ev gives them 7)
drop() {
	bytes 0 0 1
	le16 0
	le16 "$3"
	bytes "$1" 0 "$2"
}
for sel in 64 192; do
	{ bytes 1 "$sel"; ev 2 4 42 1 100; drop 7 73 900; err 1 4
	  ev 2 4 42 2 100; ev 7 1 42 2 10; drop 7 2 5; drop 9 1 5; } \
		> "$dc/real-drops-$sel"
done

ip() { bytes $(echo "$1" | tr . ' '); }
rec() {
	bytes 64 100				# record size, time step
	le16 410; bytes 0 0 232 3 0 0		# common_type, pid 1000
	bytes 1 2 3 4 128 136 255 255		# skbaddr
	bytes 0 0 0 240 2 0 0 0			# netns, ifindex
	printf 'veth0'; bytes 0 0 0 0 0 0 0 0 0 0 0
	ip "$3"; ip "$4"
	le16 84; le16 "$5"; le16 0		# tot_len, ip_id, frag_off
	le16 42; le16 "$5"			# icmp id, seq
	bytes "$1" 1 64 "$2" 0 1		# dir, protocol, ttl, type...
}

# field NAME TYPE OFFSET SIZE FLAGS: one field of a generated format, as
# fuzz-decode.c reads it (indexes into its field_names and field_types;
# TYPE + 16 makes an array of SIZE; FLAGS 1 signed, 8 ends the common
# fields)
field() { bytes "$@"; }

# The fixture's format (tests/fixtures/ip_icmp.format), field by field
real_format() {
	bytes 21
	field 17 5 0 2 0; field 18 4 2 1 0; field 19 4 3 1 0
	field 20 7 4 4 9
	field 0 9 8 8 0; field 1 6 16 4 0; field 2 7 20 4 1
	field 3 27 24 16 0; field 4 26 40 4 0; field 5 26 44 4 0
	field 6 1 48 2 0; field 7 1 50 2 0; field 8 1 52 2 0
	field 9 1 54 2 0; field 10 1 56 2 0
	field 11 0 58 1 0; field 12 0 59 1 0; field 13 0 60 1 0
	field 14 0 61 1 0; field 15 0 62 1 0; field 16 0 63 1 0
}

for opts in 0 2 10 4 12 16 6; do
	{ bytes "$opts" 0; real_format
	  rec 0 8 198.51.100.1 198.51.100.2 1
	  rec 1 0 198.51.100.2 198.51.100.1 1
	  rec 0 8 198.51.100.1 198.51.100.2 2; } > "$dc/format-$opts"
done

echo "make-corpus: $(ls "$tf" | wc -l) trace files in $tf," \
     "$(ls "$dc" | wc -l) decode inputs in $dc"
