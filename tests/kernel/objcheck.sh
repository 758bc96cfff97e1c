#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: objcheck.sh KVER SERIES_DIR PATCHED_TREE WORKDIR
#
# The kernel objects the series touches, built the way netdev's CI builds
# them, then checked by tests/kernel/objcheck.py:
#
#   - with Debian's own config (linux-config-KVER, amd64_none_amd64, with
#     no signing key, no trusted keys, no BTF and no debug info, so that
#     only the objects need building; lockdown keeps MODULE_SIG itself on)
#     and with the bench kernel's config (tinyconfig plus kconfig/vm.config
#     and kconfig/vm-bench.config, as make bench builds the guest kernel
#     whose instructions BENCHMARKS.md counts);
#   - on the unpatched tree, after each patch of the series in turn
#     ("every patch builds on its own"), and with the whole series;
#   - unpatched and patched with W=1 C=2 (sparse): objcheck.py fails on a
#     warning the unpatched tree does not draw;
#   - both configs have jump labels and netfilter: objcheck.py compares
#     ip_output(), ip_mc_output(), ip_rcv_core(), ip6_output() and
#     ip6_rcv_core() (or what inlines a receive core) before and after
#     the series, by size and by registers saved.  The small config is
#     the stricter one: with less around the call sites, a value kept
#     across the helper's call costs a callee-saved register that
#     Debian's config saves anyway.
#
# The unpatched tree is PATCHED_TREE (the Makefile's build/linux-KVER)
# linked file by file (cp -al) with the series reversed: git apply
# replaces a file instead of writing into it, so PATCHED_TREE is never
# changed.  Objects are compiled through ccache; sparse is not cached.
set -eu

kver=${1:?usage: objcheck.sh KVER SERIES_DIR PATCHED_TREE WORKDIR}
series=$(cd "${2:?}" && pwd)
tree=$(cd "${3:?}" && pwd)
mkdir -p "${4:?}"
work=$(cd "$4" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
jobs=${JOBS:-$(nproc)}
src=$work/src

die() {
	echo "objcheck: $kver: $*" >&2
	exit 1
}

patches=$(ls "$series"/0*.patch | grep -v '/0000-cover-letter\.patch$')
[ -n "$patches" ] || die "no patches in $series"

# Every object the series can change: its .c files, and net-traces.o,
# which instantiates the trace event headers (CREATE_TRACE_POINTS)
objs=$(cat $patches | sed -n 's|^+++ b/||p' | sort -u |
	awk '/^tools\// || /^Documentation\// { next }
	     /\.c$/ { sub(/\.c$/, ".o"); print }
	     END { print "net/core/net-traces.o" }' | sort -u)
echo "objcheck: $kver: objects: $(echo $objs)"

# ---- the unpatched source -------------------------------------------
# A tree the last run left fully patched with the same series is only
# reversed: linking 80,000 files anew takes minutes on a busy disk
series_id=$( { ls -il "$tree/Makefile"; cat $patches; } | md5sum)
if [ "$(cat "$work/.objcheck-src" 2>/dev/null)" != "$series_id" ]; then
	rm -rf "$src"
	cp -al "$tree" "$src"
else
	echo "objcheck: $kver: reusing $src"
fi
rm -f "$work/.objcheck-src"
for p in $(echo "$patches" | sort -r); do
	(cd "$src" && GIT_CEILING_DIRECTORIES="$work" \
		git apply -p1 -R "$p") || die "cannot reverse $p"
done

export PATH="/usr/lib/ccache:$PATH" CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1


# ---- the two configs ------------------------------------------------
# config KIND: O=$work/KIND configured and prepared; redone only when
# what it is made from changes
config_debian() {
	xzcat "/usr/src/linux-config-$kver/config.amd64_none_amd64.xz" \
		> "$1/.config"
	"$src/scripts/config" --file "$1/.config" \
		-d MODULE_SIG -d MODULE_SIG_ALL \
		--set-str MODULE_SIG_KEY '' \
		--set-str SYSTEM_TRUSTED_KEYS '' \
		--set-str SYSTEM_REVOCATION_KEYS '' \
		-d DEBUG_INFO_BTF -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT \
		-d DEBUG_INFO_DWARF4 -d DEBUG_INFO_DWARF5 -e DEBUG_INFO_NONE
}

config_bench() {
	make -s -C "$src" O="$1" tinyconfig > /dev/null
	(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$1" \
		"$1/.config" "$top/kconfig/vm.config" \
		$(ls "$top/kconfig/vm-$kver.config" 2>/dev/null) \
		"$top/kconfig/vm-bench.config") > /dev/null
}

for kind in debian bench; do
	o=$work/$kind
	mkdir -p "$o"
	want=$( { cat "/usr/src/linux-config-$kver/config.amd64_none_amd64.xz" \
		"$top"/kconfig/vm.config "$top"/kconfig/vm-"$kver".config \
		"$top"/kconfig/vm-bench.config 2>/dev/null
		sed -n '/^config_[a-z]*() {/,/^}/p' "$0"
		echo "$kind $kver"; } | md5sum)
	if [ "$(cat "$o/.objcheck-config" 2>/dev/null)" != "$want" ]; then
		echo "objcheck: $kver: configuring $kind"
		"config_$kind" "$o"
		make -s -C "$src" O="$o" olddefconfig
		echo "$want" > "$o/.objcheck-config"
	fi
	echo "objcheck: $kver: make prepare ($kind)"
	t0=$(date +%s)
	out=$(make -s -C "$src" O="$o" -j"$jobs" prepare 2>&1) ||
		{ echo "$out"; die "make prepare failed ($kind)"; }
	echo "objcheck: $kver: prepared $kind in $(( $(date +%s) - t0 )) s"
done

# build STEP KIND FRESH [FLAGS]: the objects into $work/KIND-STEP.log,
# their copies in $work/KIND-STEP/.  FRESH=1 compiles each one afresh,
# for its warnings; else make rebuilds what the step changed, as kbuild's
# dependency files say.
build() {
	o=$work/$2
	log=$work/$2-$1.log
	have=
	for obj in $objs; do
		[ -f "$src/${obj%.o}.c" ] || continue
		[ "$3" = 1 ] && rm -f "$o/$obj"
		have="$have $obj"
	done
	shift 3
	t0=$(date +%s)
	# shellcheck disable=SC2086
	if ! make -C "$src" O="$o" -j"$jobs" "$@" $have > "$log" 2>&1; then
		grep -E 'error|warning' "$log" | head -n 40
		return 1
	fi
	mkdir -p "${log%.log}"
	for obj in $have; do
		cp "$o/$obj" "${log%.log}/$(basename "$obj")"
	done
	echo "objcheck: $kver: built$have ($(basename "$o") $(basename "$log" .log), $(( $(date +%s) - t0 )) s)"
}

status=0
# step 0: unpatched, W=1 C=2, the reference
for kind in debian bench; do
	build vanilla "$kind" 1 W=1 C=2 || die "the unpatched tree does not build ($kind)"
done
n=0
last=$(echo "$patches" | tail -n 1)
for p in $patches; do
	n=$((n + 1))
	(cd "$src" && GIT_CEILING_DIRECTORIES="$work" git apply -p1 "$p") ||
		die "$(basename "$p") does not apply"
	# W=1 throughout: a change of flags would rebuild everything
	if [ "$p" = "$last" ]; then
		step=patched fresh=1 flags="W=1 C=2"
	else
		step=$n fresh=0 flags=W=1
	fi
	for kind in debian bench; do
		# shellcheck disable=SC2086
		build "$step" "$kind" $fresh $flags || {
			echo "not ok - $kver $kind: the tree does not build after $(basename "$p")"
			status=1
		}
	done
done
[ $status = 0 ] || die "a patch of the series does not build on its own"
echo "$series_id" > "$work/.objcheck-src"
echo "objcheck: $kver: each of the $n patches builds on its own (debian and bench configs)"

"$here/objcheck.py" --kver "$kver" --work "$work" --src "$src" $objs
