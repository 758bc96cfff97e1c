#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: format-series.sh KERNEL_GIT_TREE BASE OUTDIR [BACKPORT]
# Regenerate a patch series from a kernel git tree in which the series is
# committed on top of BASE (Debian's linux-source tree, committed as is).
# The cover letter's subject and blurb come from patches/cover-letter.txt.
#
# BACKPORT (e.g. 6.1): the series rebased on an older tree, for
# patches/BACKPORT/: its subject prefix names the tree, and it has no
# cover letter (the one sent is the net-next series').
set -eu
tree=$1
base=$2
out=$3
backport=${4:-}
prefix="PATCH net-next v2"
[ -z "$backport" ] || prefix="PATCH $backport v2"
here=$(cd "$(dirname "$0")/.." && pwd)
letter=$here/patches/cover-letter.txt

rm -f "$out"/0*.patch
# To and Cc: scripts/get_maintainer.pl on the whole series; netdev is To
recipients() {
	git -C "$tree" diff "$base"..HEAD |
		(cd "$tree" && ./scripts/get_maintainer.pl --no-git \
			--no-git-fallback --no-rolestats)
}
to=netdev@vger.kernel.org
set --
while IFS= read -r addr; do
	[ "$addr" = "$to" ] || set -- "$@" "--cc=$addr"
done <<EOF
$(recipients)
EOF

# --notes: each patch's changelog, a git note on its commit, goes below
# its "---"; --base: the cover letter ends with base-commit:
git -C "$tree" format-patch -q --cover-letter --no-signature --notes \
	--base="$base" --subject-prefix="$prefix" \
	--to="$to" "$@" \
	-o "$(cd "$out" && pwd)" "$base"..HEAD
cover=$out/0000-cover-letter.patch
if [ -n "$backport" ]; then
	rm -f "$cover"
	ls "$out"/0*.patch
	exit 0
fi
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
