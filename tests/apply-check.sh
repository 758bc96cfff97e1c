#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: apply-check.sh TARBALL SERIES_DIR
# git apply --check every patch of a series, in order, on the files it
# touches from a Debian linux-source tarball: no fuzz, no offset drama.
set -eu
tarball=$1
series=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pingtrace-apply.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

top=$(tar -tf "$tarball" | head -n 1 | cut -d/ -f1)
files=$(cat "$series"/0*.patch | sed -n 's|^--- a/||p' | sort -u)
# shellcheck disable=SC2086
tar -xf "$tarball" -C "$tmp" $(for f in $files; do echo "$top/$f"; done)
n=0
for p in "$series"/0*.patch; do
	case "$p" in */0000-cover-letter.patch) continue ;; esac
	abs=$(realpath "$p")
	(cd "$tmp/$top" && GIT_CEILING_DIRECTORIES="$tmp" \
		git apply -p1 --whitespace=error-all "$abs") || {
		echo "apply-check: $p does not apply to $tarball" >&2
		exit 1
	}
	n=$((n + 1))
done
echo "apply-check: $n patches of $series apply cleanly to $(basename "$tarball")"
