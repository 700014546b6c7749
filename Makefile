# SPDX-License-Identifier: GPL-2.0
# nslink: a thin wrapper for people. Kbuild holds the module's object list;
# dkms.conf holds the version.

KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := /usr/src/nslink-$(VERSION)
# What DKMS needs to build the module, copied to $(DKMS_SRC).
DKMS_FILES := dkms.conf Kbuild Makefile module include

all: module userspace

module: check-kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Headers that are missing or for another kernel are the most common build
# failure: say so in one sentence.
check-kdir:
	@test -f "$(KDIR)/Makefile" || { \
	  echo "nslink: no kernel headers for $(KERNELRELEASE) at $(KDIR): install them with 'apt-get install linux-headers-$(KERNELRELEASE)', or point KDIR= at a kernel build tree" >&2; exit 1; }
	@rel=$$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$(KDIR)/include/generated/utsrelease.h" 2>/dev/null); \
	 if [ -n "$$rel" ] && [ "$$rel" != "$(KERNELRELEASE)" ]; then \
	  echo "nslink: the headers at $(KDIR) are for kernel $$rel, not $(KERNELRELEASE): install linux-headers-$(KERNELRELEASE), or set KERNELRELEASE=$$rel" >&2; exit 1; fi

userspace:
	$(MAKE) -C userspace

install: module userspace
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KERNELRELEASE)
	$(MAKE) -C userspace install
	$(MAKE) install-units

# The systemd units (deploy/*.service.in with the tools' path filled in,
# deploy/*.timer as they are): nswatch.service, nsinject-relay@.service,
# and nslink-metrics.service with its timer (the counters for
# node_exporter's textfile collector, every 15 s), under $(UNITDIR), which
# systemd searches (/usr/local/lib/systemd/system for PREFIX=/usr/local).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
UNITDIR ?= $(PREFIX)/lib/systemd/system
UNITS := nswatch.service nsinject-relay@.service nslink-metrics.service
UNITS_AS_IS := nslink-metrics.timer

install-units:
	install -d $(DESTDIR)$(UNITDIR)
	for u in $(UNITS); do \
	  sed 's|@BINDIR@|$(BINDIR)|g' deploy/$$u.in > $(DESTDIR)$(UNITDIR)/$$u && \
	  chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	install -m 0644 $(addprefix deploy/,$(UNITS_AS_IS)) $(DESTDIR)$(UNITDIR)/
	@echo "nslink: units in $(DESTDIR)$(UNITDIR): systemctl daemon-reload, then systemctl enable --now nswatch (and nsinject-relay@NETNS for a relay; nslink-metrics.timer for Prometheus)"

dkms-install:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	cp -a $(DKMS_FILES) $(DKMS_SRC)/
	rm -f $(DKMS_SRC)/module/*.o $(DKMS_SRC)/module/.*.cmd
	dkms add nslink/$(VERSION)
	dkms build nslink/$(VERSION) -k $(KERNELRELEASE)
	dkms install nslink/$(VERSION) -k $(KERNELRELEASE)

dkms-remove:
	-dkms remove nslink/$(VERSION) --all
	rm -rf $(DKMS_SRC)

# Debian packages, built by dpkg-buildpackage from a copy of the tree in
# build/deb-src (the tree is not touched): nslink-dkms (the module's source,
# built by DKMS for every kernel through dh-dkms) and nslink-tools (nswatch,
# nsinject, their man pages and units), into build/deb. DEB_VERSION= another
# version for both, in debian/changelog and dkms.conf of the copy alike.
DEB_VERSION ?= $(VERSION)
DEB_OUT := build/deb
DEB_SRC := build/deb-src/nslink-$(DEB_VERSION)
DEB_TREE := $(DKMS_FILES) userspace deploy debian README.md
deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null && test -e /usr/share/perl5/Debian/Debhelper/Sequence/dkms.pm || { \
	  echo "nslink: dpkg-buildpackage, debhelper or dh-dkms not found: apt-get install build-essential dpkg-dev debhelper dh-dkms (or run tests/deps.sh as root)" >&2; exit 1; }
	@case '$(DEB_VERSION)' in *[!A-Za-z0-9.+~]*|'') echo "nslink: DEB_VERSION='$(DEB_VERSION)' is not a native Debian version (digits, letters, . + ~)" >&2; exit 1;; esac
	@echo "nslink: dpkg-buildpackage nslink $(DEB_VERSION) in $(DEB_SRC)"
	@rm -rf $(DEB_SRC) && install -d $(DEB_SRC) $(DEB_OUT)
	@cp -a $(DEB_TREE) $(DEB_SRC)/
	@rm -f $(DEB_SRC)/module/*.o $(DEB_SRC)/module/.*.cmd $(DEB_SRC)/userspace/*.o $(DEB_SRC)/userspace/nswatch $(DEB_SRC)/userspace/nsinject
	@sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(DEB_VERSION)"/' $(DEB_SRC)/dkms.conf
	@sed -i '1s/^nslink ([^)]*)/nslink ($(DEB_VERSION))/' $(DEB_SRC)/debian/changelog
	@cd $(DEB_SRC) && dpkg-checkbuilddeps || { echo "nslink: missing build dependencies (above): apt-get install them, or run tests/deps.sh as root" >&2; exit 1; }
	@cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc >../build.log 2>&1 || { \
	  tail -n 40 ../build.log >&2; echo "nslink: dpkg-buildpackage failed: the whole log is in build/deb-src/build.log" >&2; exit 1; }
	@arch=$$(dpkg-architecture -qDEB_HOST_ARCH) && cd build/deb-src && \
	  mv nslink-dkms_$(DEB_VERSION)_all.deb nslink-tools_$(DEB_VERSION)_$$arch.deb \
	     nslink-tools-dbgsym_$(DEB_VERSION)_$$arch.deb nslink_$(DEB_VERSION)_$$arch.changes \
	     nslink_$(DEB_VERSION)_$$arch.buildinfo $(CURDIR)/$(DEB_OUT)/ && \
	  echo "$(DEB_OUT)/nslink-dkms_$(DEB_VERSION)_all.deb" && echo "$(DEB_OUT)/nslink-tools_$(DEB_VERSION)_$$arch.deb"

# The README's test command: unit tests natively, kernel tests in the VM.
# KERNEL= picks the kernel target (tests/vm/target list; default bookworm).
KERNEL ?=
check:
	NSLINK_KERNEL=$(KERNEL) tests/check

# The kernel tests on every target (KERNELS= a subset; JOBS=N targets at
# once, each VM taking a host thread per vCPU), one summary line
# each before the usual last line.
KERNELS ?=
JOBS ?= 1
check-kernels:
	NSLINK_KERNELS="$(KERNELS)" NSLINK_KERNELS_JOBS=$(JOBS) tests/check-kernels

# The kernels tables of README.md and tests/README.md, rewritten between
# their kernels-table markers from the records the runs leave in
# tests/results (check-kernels, .ci/run), each row with its run's date and
# commit (tests/kernels-table --help).
kernels-table:
	tests/kernels-table

# Every kernel test under a debug kernel built from Debian's 6.12 source
# (KASAN, lockdep, kmemleak, KFENCE, UBSAN; cached in /var/cache/nslink),
# then each detector shown catching a module broken on purpose for it.
check-debug:
	tests/check-debug

# The same kernel tests under its PREEMPT_RT twin (tests/vm/debug-rt.config).
check-debug-rt:
	tests/check-debug --rt

# The same kernel tests under its KCSAN twin (tests/vm/debug-kcsan.config:
# KCSAN, the data race detector, instead of KASAN).
check-debug-kcsan:
	tests/check-debug --kcsan

# The generic netlink fuzzer, built here (a compile under TCG is slow) and
# run in the VM by tests/kernel/60-fuzz.sh; `make fuzz` runs a long session
# (FUZZ_COUNT messages as root and again as nobody; FUZZ_SEED to replay).
FUZZ_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude/uapi
FUZZ_COUNT ?= 1000000

FUZZ_SECONDS ?= 300
STRESS_SECONDS ?= 60

fuzz-build: tests/fuzz/nlfuzz

tests/fuzz/nlfuzz: tests/fuzz/nlfuzz.c include/uapi/linux/nslink.h
	$(CC) $(FUZZ_CFLAGS) -o $@ $<

fuzz: fuzz-build userspace
	$(MAKE) module KERNELRELEASE=$$(tests/vm/kernel) W=1
	NSLINK_FUZZ_COUNT=$(FUZZ_COUNT) NSLINK_FUZZ_SEED=$(FUZZ_SEED) \
	  tests/vm/run -t 7200 -- tests/kernel/60-fuzz.sh
	tests/fuzz/run-libfuzzer $(FUZZ_SECONDS)

# 60 s of transition loops, two listeners (one slow) and an injection storm.
stress: userspace
	$(MAKE) module KERNELRELEASE=$$(tests/vm/kernel)
	NSLINK_STRESS_SECONDS=$(STRESS_SECONDS) NSLINK_TEST_FILTER='^70' \
	  tests/vm/run -t 1800 -- tests/kernel/run

# make bench KERNEL=TARGET: the same on another kernel target (an arm64 one).
bench:
	NSLINK_KERNEL=$(KERNEL) tests/bench/run

# The table of tests/README.md's Performance section, rewritten from the
# last make bench's saved output (build/bench/last.out, or BENCH_OUT=) and
# stamped with its date, commit, kernel and pass (BENCH_PASS=time: the
# time pass's rows rather than the instruction pass's; tests/bench/table).
BENCH_OUT ?= build/bench/last.out
BENCH_PASS ?= icount
bench-table:
	tests/bench/table --pass $(BENCH_PASS) --readme tests/README.md $(BENCH_OUT)

# Where the instructions of a listened-to setns go, by symbol, bare and
# listening: an exact count by a qemu TCG plugin (tests/bench/kcount.c, built
# into build/bench; the VM on this machine's qemu 7.2) under qemu -icount,
# the tables kept in build/bench/profile/table (tests/bench/profile;
# NSLINK_PROFILE_MODE=perf: perf's sampled estimate instead).
bench-profile:
	tests/bench/profile

# The control for a hang under multi-threaded TCG: the kernel's own function
# tracer switched on and off on nslink's hook sites in an unshare storm, no
# nslink loaded (KERNEL= a target, CYCLES= how many; tests/vm/control).
CYCLES ?= 200
vm-control:
	tests/vm/control -k $(or $(KERNEL),bookworm) -n $(CYCLES)

# Static checks: sparse over the module (with the kernel's own sparse flags),
# cppcheck over userspace. Any finding in our files fails.
lint: check-kdir
	@command -v sparse >/dev/null || { echo "nslink: sparse not found: apt-get install sparse" >&2; exit 1; }
	@command -v cppcheck >/dev/null || { echo "nslink: cppcheck not found: apt-get install cppcheck" >&2; exit 1; }
	@touch module/*.c
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR) C=2 modules 2>&1 | \
	  grep -E '^($(CURDIR)/)?(module|include)/.*(warning|error):' ; \
	  test $$? -eq 1 || { echo "nslink: sparse found the problems above" >&2; exit 1; }
	@echo "sparse: module clean"
	@cppcheck --enable=warning,style,performance,portability --error-exitcode=1 \
	  --inline-suppr --suppress=variableScope -q --std=c11 -I include/uapi -I userspace userspace/*.c
	@cppcheck --enable=warning,style,performance,portability --error-exitcode=1 \
	  --inline-suppr --suppress=variableScope -q --std=c11 -I include/uapi tests/fuzz/*.c
	@echo "cppcheck: userspace and fuzzer clean"

clean:
	-test -f "$(KDIR)/Makefile" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f module/*.o module/.*.cmd
	$(MAKE) -C userspace clean
	rm -f tests/fuzz/nlfuzz
	rm -rf build

.PHONY: all module check-kdir userspace install install-units dkms-install dkms-remove deb check check-debug check-debug-rt check-debug-kcsan check-kernels kernels-table bench bench-table bench-profile vm-control lint stress clean fuzz fuzz-build
