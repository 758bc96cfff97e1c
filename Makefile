# SPDX-License-Identifier: GPL-2.0
# pingtrace: follow one ping through the Linux IPv4 stack with net:ip_icmp.
#
#   make demo    install what is missing, build kernel and tool, boot, show
#   make test    every test: unit, kernel series checks, VM end to end
#   make help    the list of targets

KVER		?= 6.12
KVERS		?= 6.12 6.1
BUILD		?= build
ACCEL		?= tcg
VM_TIMEOUT	?= 600
JOBS		?= $(shell nproc)

TOP		:= $(CURDIR)
# VANILLA=1: Debian's kernel source as it is, without the series (make bench)
VANILLA		?=
KVARIANT	= $(if $(VANILLA),-vanilla)
KSRC		= $(BUILD)/linux-$(KVER)$(KVARIANT)
# KFLAVOR=kasan: the same kernel with KASAN and UBSAN (kconfig/vm-kasan.config)
# KFLAVOR=bench: with kprobe events and the function tracer (vm-bench.config)
KFLAVOR		?=
KNAME		= $(KVER)$(if $(KFLAVOR),-$(KFLAVOR))$(KVARIANT)
KOBJ		= $(BUILD)/kernel-$(KNAME)
# kconfig/vm-$(KVER).config: what a version cannot have of vm.config
KCONFIGS	= kconfig/vm.config $(wildcard kconfig/vm-$(KVER).config) \
		  $(if $(KFLAVOR),kconfig/vm-$(KFLAVOR).config)
BZIMAGE		= $(KOBJ)/arch/x86/boot/bzImage
KTARBALL	= /usr/src/linux-source-$(KVER).tar.xz
# A kernel version uses its own series when one exists, else the main one
SERIES		= $(firstword $(wildcard patches/$(KVER)) patches)
PATCHES		= $(if $(VANILLA),,$(sort $(filter-out %/0000-cover-letter.patch,\
			$(wildcard $(SERIES)/*.patch))))

export ACCEL VM_TIMEOUT VM_MEM

# git apply in a tree under build/ must not see pingtrace's own repository.
# It takes no fuzz: a context line that moved breaks the build loudly.
GIT_APPLY	= GIT_CEILING_DIRECTORIES=$(abspath $(BUILD)) git apply -p1 \
		  --whitespace=error-all

.PHONY: all help deps kernel kernels initramfs vm-test vm-hostile vm-nic vm-twohost vm-threehost vm-longrun test test-long test-kernel bench \
	apply-check checkpatch demo clean distclean objcheck objcheck-one vm-ecosystem \
	vm-ringcheck

all: pingtrace

help:
	@echo 'pingtrace targets (the VM and kernel ones build what they need):'
	@echo '  demo          install deps, build kernel and pingtrace, boot the VM, print a timeline'
	@echo '  test          every test: unit, fuzz-smoke, series checks, VM on $(KVERS) (~10 min warm)'
	@echo '  test-long     fuzz-long, and vm-hostile on a KASAN and UBSAN kernel'
	@echo '  test-kernel   apply-check, checkpatch, objcheck; vm-test, vm-ecosystem, vm-nic on $(KVERS); vm-hostile'
	@echo '  deps          apt-get install the build and test dependencies that are missing'
	@echo '  all, pingtrace  build $(BUILD)/pingtrace (no kernel needed)'
	@echo '  test-unit     CUnit tests of the consumer (UNIT_ARGS=-s, -r SUITE)'
	@echo '  test-unit-asan  the same under ASan and UBSan'
	@echo '  test-unit-valgrind  the same under valgrind memcheck'
	@echo '  unit-data     regenerate tests/unit/data/*.dat (needs trace-cmd)'
	@echo '  fuzz-build    build the libFuzzer harnesses (clang)'
	@echo '  fuzz-corpus   seed corpora from the fixtures'
	@echo '  fuzz-regressions  replay tests/fuzz/regressions/'
	@echo '  fuzz-smoke    regression inputs, then fuzz 20 s each (FUZZ_TIME)'
	@echo '  fuzz-long     the same for 180 s each (FUZZ_LONG_TIME)'
	@echo '  kernel        build bzImage for KVER=$(KVER) with the series (incremental)'
	@echo '  kernels       kernel for each of KVERS=$(KVERS)'
	@echo '  initramfs     the test guest for KVER: $(INITRAMFS)'
	@echo '  vm-test       boot the KVER kernel in QEMU and check net:ip_icmp and net:ip6_icmp end to end'
	@echo '  vm-hostile    hostile IPv4 and IPv6 frames, and the events toggled under ping -f, in the VM'
	@echo '  vm-nic        one guest, two virtio-net NICs back to back: the driver and NAPI path'
	@echo '  vm-twohost    two guests over virtio-net: trace-cmd agent over TCP, clock offsets, report -i A -i B'
	@echo '  vm-threehost  three guests in a triangle: offsets direct and chained, report -i A -i B -i C'
	@echo '  vm-longrun    pingtrace live over LONGRUN_SECONDS (600) of LONGRUN_PINGERS (2) ping -i 0.001: memory, loss'
	@echo '  vm-ringcheck  live'"'"'s ring-buffer reader against numbered events: nothing lost unexplained'
	@echo '  bench         measure the tracepoint and pingtrace, write BENCHMARKS.md'
	@echo '  apply-check   git apply --check the series on every Debian source tree'
	@echo '  checkpatch    scripts/checkpatch.pl --strict on the series'
	@echo '  objcheck      the touched objects: W=1 C=2, each patch alone, bloat-o-meter'
	@echo '  vm-ecosystem  perf and bpftrace read net:ip_icmp in the VM'
	@echo '  install       install pingtrace and its man page (PREFIX, DESTDIR)'
	@echo '  clean         remove the tool build (also clean-pingtrace, clean-fuzz)'
	@echo '  distclean     remove $(BUILD), kernel trees included'
	@echo 'variables: KVER=6.12|6.1  KFLAVOR=|kasan|bench  VANILLA=|1  ACCEL=tcg|kvm  VM_TIMEOUT=seconds  BUILD=dir'
	@echo '           CFLAGS CPPFLAGS LDFLAGS (pingtrace)  JOBS=$(JOBS)'

# ---- dependencies -------------------------------------------------------
DEB_PACKAGES = build-essential bc bison flex libelf-dev libssl-dev \
	ccache cpio gzip xz-utils kmod python3 python3-ply pkg-config \
	qemu-system-x86 busybox-static iputils-ping iproute2 util-linux ethtool \
	trace-cmd libtraceevent-dev libtracefs-dev libtracecmd-dev \
	time libcunit1-dev valgrind clang libclang-rt-14-dev jq librsvg2-bin $(addprefix linux-source-,$(KVERS)) \
	$(addprefix linux-config-,$(KVERS)) sparse linux-perf bpftrace

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing $$missing"; \
		start=$$(date +%s); \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $$missing || exit 1; \
		echo "time: deps: $$(( $$(date +%s) - start )) s"; \
	fi

# ---- kernel -------------------------------------------------------------
# Unpack Debian's source and apply the series; redone when either changes.
$(KSRC)/.pingtrace-series: $(KTARBALL) $(PATCHES)
	@echo "kernel $(KVER): unpacking $(KTARBALL) and applying the series (about 1 min)"
	rm -rf $(KSRC)
	mkdir -p $(KSRC)
	tar -xf $(KTARBALL) -C $(KSRC) --strip-components=1
	for p in $(PATCHES); do \
		echo "applying $$p"; \
		(cd $(KSRC) && $(GIT_APPLY) $(TOP)/$$p) || exit 1; \
	done
	touch $@

$(KOBJ)/.config: $(KSRC)/.pingtrace-series $(KCONFIGS)
	mkdir -p $(KOBJ)
	$(MAKE) -s -C $(KSRC) O=$(abspath $(KOBJ)) tinyconfig
	cd $(KSRC) && scripts/kconfig/merge_config.sh -m -O $(abspath $(KOBJ)) \
		$(abspath $(KOBJ))/.config $(addprefix $(TOP)/,$(KCONFIGS))
	$(MAKE) -s -C $(KSRC) O=$(abspath $(KOBJ)) olddefconfig
	tests/kconfig-check.sh $(KOBJ)/.config $(KCONFIGS)

# ccache hits survive a clone in another directory: paths are hashed
# relative to the top of the clone.
kernel: deps $(KOBJ)/.config
	@echo "kernel $(KNAME): building bzImage (10 to 30 min cold on 2 CPUs, less with ccache, seconds when up to date)"
	PATH=/usr/lib/ccache:$$PATH CCACHE_BASEDIR=$(TOP) CCACHE_NOHASHDIR=1 \
		$(MAKE) -s -C $(KSRC) O=$(abspath $(KOBJ)) -j$(JOBS) bzImage
	@echo "kernel: $(BZIMAGE)"

kernels:
	for v in $(KVERS); do $(MAKE) kernel KVER=$$v || exit 1; done

# ---- the kernel series --------------------------------------------------
# Each Debian source tree must take its series with no fuzz.
apply-check: deps
	@for v in $(KVERS); do \
		series=$$(ls -d patches/$$v 2>/dev/null || echo patches); \
		tests/apply-check.sh /usr/src/linux-source-$$v.tar.xz \
			$$series || exit 1; \
	done

# checkpatch.pl of the 6.12 tree, on every patch of every series
checkpatch: deps
	$(MAKE) $(BUILD)/linux-6.12/.pingtrace-series KVER=6.12
	tests/checkpatch.sh $(BUILD)/linux-6.12 patches $(wildcard patches/6.*)

# The objects the series touches, built with Debian's config and the
# test config, unpatched, after each patch and patched, with W=1 C=2;
# and the hot paths' size and register saves (tests/kernel/objcheck.sh)
objcheck: deps
	for v in $(KVERS); do $(MAKE) objcheck-one KVER=$$v || exit 1; done

objcheck-one: $(KSRC)/.pingtrace-series
	tests/kernel/objcheck.sh $(KVER) $(SERIES) $(KSRC) $(BUILD)/objcheck-$(KVER)

# ---- the test VM --------------------------------------------------------
INITRAMFS	= $(BUILD)/initramfs-$(KVER).cpio.gz
VM_OUT		= $(BUILD)/vm-$(KNAME)

# Redone when pingtrace, the guest scripts or the kernel tree change (the
# host's trace-cmd, ping and libraries are taken as they are)
$(INITRAMFS): tests/vm/mkinitramfs.sh tests/vm/init $(wildcard tests/vm/guest/*) \
		$(KSRC)/.pingtrace-series $(BUILD)/pingtrace
	tests/vm/mkinitramfs.sh $@ $(KSRC) $(BUILD)/pingtrace

initramfs: $(INITRAMFS)

vm-test: kernel
	$(MAKE) pingtrace
	$(MAKE) $(INITRAMFS)
	@echo "vm-test $(KNAME): booting the kernel scenario under $(ACCEL) (about 1 min)"
	tests/vm/run-vm.sh $(BZIMAGE) $(INITRAMFS) kernel $(VM_OUT)/kernel
	tests/vm/check_kernel.py $(VM_OUT)/kernel
	@echo "vm-test $(KNAME): booting the consumer scenario (about 2 min)"
	tests/vm/run-vm.sh $(BZIMAGE) $(INITRAMFS) consumer $(VM_OUT)/consumer
	tests/vm/check_consumer.py $(VM_OUT)/consumer
	@echo "vm-test $(KNAME): booting the die scenario, ICMP errors (about 30 s)"
	tests/vm/run-vm.sh $(BZIMAGE) $(INITRAMFS) die $(VM_OUT)/die
	tests/vm/check_die.py $(VM_OUT)/die
	@echo "vm-test $(KNAME): booting the v6 scenario, ping -6 (about 1 min)"
	tests/vm/run-vm.sh $(BZIMAGE) $(INITRAMFS) v6 $(VM_OUT)/v6
	tests/vm/check_v6.py $(VM_OUT)/v6

# Hostile frames and tracepoint toggling under a flood (issue 4)
PT_CRAFT	= $(BUILD)/pt-craft
HOSTILE_INITRAMFS = $(BUILD)/initramfs-hostile-$(KVER).cpio.gz

$(PT_CRAFT): tests/crafter/pt-craft.c
	mkdir -p $(BUILD)
	$(CC) -static -O2 -Wall -Wextra -o $@ $<

vm-hostile: kernel $(PT_CRAFT)
	tests/vm/mkinitramfs.sh $(HOSTILE_INITRAMFS) $(KSRC) '' $(PT_CRAFT)
	tests/vm/run-vm.sh $(BZIMAGE) $(HOSTILE_INITRAMFS) hostile \
		$(VM_OUT)/hostile || \
		{ tests/vm/check_hostile.py $(VM_OUT)/hostile; exit 1; }
	tests/vm/check_hostile.py $(VM_OUT)/hostile

# perf and bpftrace on net:ip_icmp (issue 10): LLVM and clang make the
# initramfs big, hence a separate one and 1G of guest memory
ECO_INITRAMFS	= $(BUILD)/initramfs-ecosystem-$(KVER).cpio.gz

vm-ecosystem: kernel
	INITRAMFS_TOOLS="perf bpftrace" tests/vm/mkinitramfs.sh \
		$(ECO_INITRAMFS) $(KSRC)
	VM_MEM=1G tests/vm/run-vm.sh $(BZIMAGE) $(ECO_INITRAMFS) ecosystem \
		$(VM_OUT)/ecosystem || \
		{ tests/vm/check_ecosystem.py $(VM_OUT)/ecosystem; exit 1; }
	tests/vm/check_ecosystem.py $(VM_OUT)/ecosystem

# A real driver (issues 12 and 13): virtio-net NICs wired by QEMU's
# -netdev socket on 127.0.0.1 (tests/vm/qemu-net.sh), one guest with two
# NICs back to back, and two guests (tests/vm/run-vms.sh)
TWOHOST_TIMEOUT	?= 420
# 0: without trace-cmd's ptp exchange, minutes under TCG (make test-long)
TWOHOST_AGENT	?= 1
# 0: without the quickack routes that make 3.1.6's ptp over TCP finish
TWOHOST_QUICKACK ?= 1
CLOCKSYNC_TOOL	= $(BUILD)/clocksync-tool

vm-nic: kernel
	$(MAKE) $(INITRAMFS)
	VM_NET="$$(tests/vm/qemu-net.sh pair)" \
		tests/vm/run-vm.sh $(BZIMAGE) $(INITRAMFS) nic $(VM_OUT)/nic
	tests/vm/check_nic.py $(VM_OUT)/nic

$(CLOCKSYNC_TOOL): tests/vm/clocksync-tool.c consumer/clocksync.c consumer/clocksync.h
	mkdir -p $(BUILD)
	$(CC) -O2 -g -Wall -Wextra -Iconsumer -o $@ tests/vm/clocksync-tool.c \
		consumer/clocksync.c -lm

vm-twohost: kernel $(CLOCKSYNC_TOOL)
	$(MAKE) pingtrace
	$(MAKE) $(INITRAMFS)
	VM_TIMEOUT=$(TWOHOST_TIMEOUT) VM_APPEND="pingtrace.agent=$(TWOHOST_AGENT) pingtrace.quickack=$(TWOHOST_QUICKACK)" \
		tests/vm/run-vms.sh $(BZIMAGE) \
		$(INITRAMFS) twohost $(VM_OUT)/twohost
	tests/vm/check_twohost.py $(VM_OUT)/twohost $(CLOCKSYNC_TOOL) \
		$(BUILD)/pingtrace

# Three guests in a triangle of virtio-net links (issue 13, make
# test-long): C's offset to A direct, and chained through B
THREEHOST_TIMEOUT ?= 600

vm-threehost: kernel
	$(MAKE) pingtrace
	$(MAKE) $(INITRAMFS)
	VM_TIMEOUT=$(THREEHOST_TIMEOUT) tests/vm/run-threevms.sh $(BZIMAGE) \
		$(INITRAMFS) threehost $(VM_OUT)/threehost
	tests/vm/check_threehost.py $(VM_OUT)/threehost $(BUILD)/pingtrace

# pingtrace live left running (issue 15, make test-long): ping -i
# LONGRUN_INTERVAL for LONGRUN_SECONDS, memory sampled every 10 s
LONGRUN_SECONDS	?= 600
LONGRUN_INTERVAL ?= 0.001
# pings side by side: one ping -i 0.001 sends about 910 a second here
LONGRUN_PINGERS	?= 2
LONGRUN_MIN_RATE ?= 1000
# 1: trace-cmd records the requests too, a second reader (witness.dat)
LONGRUN_WITNESS	?= 0

vm-longrun: kernel
	$(MAKE) pingtrace
	$(MAKE) $(INITRAMFS)
	VM_TIMEOUT=$$(( $(LONGRUN_SECONDS) + 300 )) \
	VM_APPEND="pingtrace.seconds=$(LONGRUN_SECONDS) pingtrace.interval=$(LONGRUN_INTERVAL) pingtrace.pingers=$(LONGRUN_PINGERS) pingtrace.witness=$(LONGRUN_WITNESS)" \
		tests/vm/run-vm.sh $(BZIMAGE) $(INITRAMFS) longrun \
		$(VM_OUT)/longrun || \
		{ tests/vm/check_longrun.py $(VM_OUT)/longrun $(LONGRUN_MIN_RATE); exit 1; }
	tests/vm/check_longrun.py $(VM_OUT)/longrun $(LONGRUN_MIN_RATE)

# live's ring-buffer reader against numbered events (make test-long):
# trace_marker and a filtered syscall event, RINGCHECK_SECONDS each,
# RINGCHECK_RATE events a second from each of two writers
RING_CHECK	= $(BUILD)/ring-check
RINGCHECK_INITRAMFS = $(BUILD)/initramfs-ringcheck-$(KVER).cpio.gz
RINGCHECK_SECONDS ?= 120
RINGCHECK_RATE	?= 10000

$(RING_CHECK): tests/vm/ring-check.c consumer/ring.c consumer/ring.h
	mkdir -p $(BUILD)
	$(CC) -O2 -g -Wall -Wextra -D_GNU_SOURCE -Iconsumer $(PT_PC_CFLAGS) \
		-o $@ tests/vm/ring-check.c consumer/ring.c $(PT_PC_LIBS)

vm-ringcheck: kernel $(RING_CHECK)
	INITRAMFS_TOOLS=$(abspath $(RING_CHECK)) tests/vm/mkinitramfs.sh \
		$(RINGCHECK_INITRAMFS) $(KSRC) ''
	VM_TIMEOUT=$$(( 2 * $(RINGCHECK_SECONDS) + 300 )) \
	VM_APPEND="pingtrace.seconds=$(RINGCHECK_SECONDS) pingtrace.rate=$(RINGCHECK_RATE)" \
		tests/vm/run-vm.sh $(BZIMAGE) $(RINGCHECK_INITRAMFS) ringcheck \
		$(VM_OUT)/ringcheck
	cat $(VM_OUT)/ringcheck/ring-marker.txt $(VM_OUT)/ringcheck/ring-syscall.txt

# ---- benchmarks (BENCHMARKS.md) ----------------------------------------
BENCH_OUT	= $(BUILD)/bench

$(BUILD)/pt-clock: bench/pt-clock.c
	mkdir -p $(BUILD)
	$(CC) -static -O2 -Wall -Wextra -o $@ $<

# the BPF kprobe program of the cost part, loaded without LLVM
$(BUILD)/pt-bpf: bench/pt-bpf.c
	mkdir -p $(BUILD)
	$(CC) -static -O2 -Wall -Wextra -o $@ $<

# The same kernel with and without the series; the measurements; then
# BENCHMARKS.md, written from them alone
bench: deps
	$(MAKE) kernel KVER=6.12 KFLAVOR=bench
	$(MAKE) kernel KVER=6.12 KFLAVOR=bench VANILLA=1
	$(MAKE) pingtrace $(BUILD)/pt-clock $(BUILD)/pt-bpf $(BUILD)/gen-trace
	bench/run.sh $(BUILD) $(BENCH_OUT)
	bench/report.py $(BENCH_OUT) > BENCHMARKS.md.tmp
	mv BENCHMARKS.md.tmp BENCHMARKS.md
	@echo "bench: BENCHMARKS.md written from $(BENCH_OUT)"

TIMED		= scripts/timed.sh

test-kernel: apply-check checkpatch
	$(TIMED) objcheck $(MAKE) objcheck
	for v in $(KVERS); do $(TIMED) kernel-$$v $(MAKE) kernel KVER=$$v || exit 1; done
	for v in $(KVERS); do $(TIMED) vm-test-$$v $(MAKE) vm-test KVER=$$v || exit 1; done
	for v in $(KVERS); do $(TIMED) vm-ecosystem-$$v $(MAKE) vm-ecosystem KVER=$$v || exit 1; done
	for v in $(KVERS); do $(TIMED) vm-nic-$$v $(MAKE) vm-nic KVER=$$v || exit 1; done
	$(TIMED) vm-hostile-6.12 $(MAKE) vm-hostile KVER=6.12
	$(TIMED) vm-twohost-6.12 $(MAKE) vm-twohost KVER=6.12 TWOHOST_AGENT=0

# ---- everything ---------------------------------------------------------
test: deps
	$(TIMED) test-unit $(MAKE) test-unit
	$(TIMED) test-unit-asan $(MAKE) test-unit-asan
	$(TIMED) test-unit-valgrind $(MAKE) test-unit-valgrind
	$(TIMED) fuzz-smoke $(MAKE) fuzz-smoke
	$(TIMED) test-kernel $(MAKE) test-kernel
	@echo "make test: all tests passed"

# What does not fit in make test: longer fuzzing, and the hostile
# scenario on a KASAN and UBSAN kernel (a third kernel build)
test-long: deps
	$(TIMED) fuzz-long $(MAKE) fuzz-long
	$(TIMED) vm-hostile-kasan $(MAKE) vm-hostile KVER=6.12 KFLAVOR=kasan VM_MEM=1G
	$(TIMED) vm-longrun $(MAKE) vm-longrun KVER=6.12
	$(TIMED) vm-ringcheck $(MAKE) vm-ringcheck KVER=6.12
	$(TIMED) vm-twohost-agent $(MAKE) vm-twohost KVER=6.12 TWOHOST_AGENT=1
	$(TIMED) vm-threehost $(MAKE) vm-threehost KVER=6.12

demo: deps kernel
	$(MAKE) pingtrace
	$(MAKE) $(INITRAMFS)
	@echo "demo: booting the VM and pinging between two namespaces (about 1 min)"
	tests/vm/run-vm.sh $(BZIMAGE) $(INITRAMFS) demo $(VM_OUT)/demo
	@cat $(VM_OUT)/demo/demo.txt

install: install-pingtrace

clean:
	rm -rf $(BUILD)/consumer $(BUILD)/asan $(BUILD)/fuzz $(BUILD)/pingtrace \
		$(BUILD)/unit-tests $(BUILD)/vm-* $(BUILD)/initramfs-*

distclean:
	rm -rf $(BUILD)

FORCE:

include mk/consumer.mk
include mk/fuzz.mk
