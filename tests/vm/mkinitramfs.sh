#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the test guest's initramfs: busybox-static, the host's trace-cmd,
# iputils ping, iproute2 ip, ethtool and pingtrace with their shared libraries,
# the kernel's ftrace selftests and the guest test scripts.
#
# usage: mkinitramfs.sh OUT.cpio.gz KERNEL_SRC [PINGTRACE [EXTRA...]]
# environment: INITRAMFS_TOOLS, more host programs to copy with their
#              libraries (e.g. "perf bpftrace": tests/vm/guest/ecosystem.sh)
set -eu

out=$1
ksrc=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)

stage=$(mktemp -d "${TMPDIR:-/tmp}/pingtrace-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

die() {
	echo "mkinitramfs: $*" >&2
	exit 1
}

# copy_bin FILE: FILE and every library ldd lists, at the same paths
copy_bin() {
	[ -x "$1" ] || die "cannot find '$1'"
	install -D -m 0755 "$1" "$stage/usr/bin/$(basename "$1")"
	ldd "$1" 2>/dev/null | awk '/=> \//{ print $3 } /^\t\//{ print $1 }' |
	while read -r lib; do
		[ -e "$stage$lib" ] && continue
		install -D -m 0755 "$(readlink -f "$lib")" "$stage$lib"
	done
}

[ -x /bin/busybox ] || die "busybox-static is not installed"
file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
	ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' ||
	die "/bin/busybox is not static (install busybox-static)"

mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" \
	 "$stage/run" "$stage/tmp" "$stage/out" "$stage/etc" "$stage/root"
install -m 0755 /bin/busybox "$stage/bin/busybox"
for b in trace-cmd ping ip ethtool jq; do
	copy_bin "$(command -v $b)"
done
for b in ${INITRAMFS_TOOLS:-}; do
	copy_bin "$(command -v "$b")"
done
# glibc's pthread_exit() and pthread_cancel() dlopen() libgcc_s.so.1 for
# unwinding, so ldd does not list it: without it trace-cmd's time sync
# thread (record -A, agent) aborts with "libgcc_s.so.1 must be installed
# for pthread_exit to work"
gcc_s=$(PATH=$PATH:/sbin:/usr/sbin ldconfig -p | awk '/libgcc_s\.so\.1 \(libc6,x86-64\)/ { print $NF; exit }')
[ -n "$gcc_s" ] || die "cannot find libgcc_s.so.1 (ldconfig -p)"
install -D -m 0755 "$(readlink -f "$gcc_s")" "$stage$gcc_s"
# bpftrace's clang parses tracepoint structs with <linux/types.h>
# (linux-libc-dev's uapi headers)
case " ${INITRAMFS_TOOLS:-} " in
*" bpftrace "*)
	for d in /usr/include/linux /usr/include/asm-generic \
		 /usr/include/x86_64-linux-gnu/asm; do
		mkdir -p "$stage$(dirname "$d")"
		cp -a "$d" "$stage$d"
	done ;;
esac
# ldd may list the loader as /lib64/...; make sure it is there
[ -e "$stage/lib64/ld-linux-x86-64.so.2" ] ||
	install -D -m 0755 /lib64/ld-linux-x86-64.so.2 \
		"$stage/lib64/ld-linux-x86-64.so.2"

if [ $# -gt 0 ]; then
	[ -n "$1" ] && copy_bin "$1"
	shift
fi
for extra in "$@"; do
	cp -a "$extra" "$stage/root/"
done

# The kernel's own ftrace selftests, with the one from our series, and
# the series' net selftest (bash, as tools/testing/selftests/net has it)
mkdir -p "$stage/selftests"
cp -a "$ksrc/tools/testing/selftests/ftrace" "$stage/selftests/"
for t in ip_icmp_trace.sh ip6_icmp_trace.sh; do
	net_test=$ksrc/tools/testing/selftests/net/$t
	if [ -e "$net_test" ]; then
		install -D -m 0755 "$net_test" "$stage/selftests/net/$t"
		copy_bin "$(command -v bash)"
	fi
done

install -m 0755 "$here/init" "$stage/init"
mkdir -p "$stage/tests"
cp -a "$here/guest/." "$stage/tests/"
echo 'root:x:0:0:root:/root:/bin/sh' > "$stage/etc/passwd"
echo 'root:x:0:' > "$stage/etc/group"
printf '127.0.0.1\tlocalhost\n' > "$stage/etc/hosts"

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
