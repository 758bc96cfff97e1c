#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: format-series.sh KERNEL_GIT_TREE BASE OUTDIR
# Regenerate a patch series from a kernel git tree in which the series is
# committed on top of BASE (Debian's linux-source tree, committed as is).
# The cover letter's subject and blurb come from patches/cover-letter.txt.
set -eu
tree=$1
base=$2
out=$3
here=$(cd "$(dirname "$0")/.." && pwd)
letter=$here/patches/cover-letter.txt

rm -f "$out"/0*.patch
git -C "$tree" format-patch -q --cover-letter --no-signature \
	--subject-prefix="PATCH net-next" -o "$(cd "$out" && pwd)" "$base"..HEAD
cover=$out/0000-cover-letter.patch
subject=$(head -n 1 "$letter")
# cover-letter.txt: first line the subject, then a blank line, then the blurb
tail -n +3 "$letter" > "$out/.blurb"
awk -v subject="$subject" -v blurb="$out/.blurb" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
	/^\*\*\* BLURB HERE \*\*\*$/ {
		while ((getline line < blurb) > 0)
			print line
		next
	}
	{ print }' "$cover" > "$cover.new"
mv "$cover.new" "$cover"
rm -f "$out/.blurb"
ls "$out"/0*.patch
