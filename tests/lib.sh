# Shared by the kernel tests (run inside the VM by tests/kernel/run).
# Every check prints one line, "PASS: <test>: <what>" or "FAIL: <test>: <what>",
# which tests/check counts.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NSWATCH=$TOP/userspace/nswatch
NSINJECT=$TOP/userspace/nsinject
KO=$TOP/nslink.ko
T=${T:-$(basename "$0" .sh)}
FAILED=0

# The kernel's slowness (tests/kernel/run measures it: 1 on Debian's
# kernels, more on the debug kernel): slow N is N times that, for every
# wait and time limit that depends on the kernel's speed.
SLOW=${NSLINK_SLOW:-1}
slow() { echo $(( $1 * SLOW )); }

pass() { echo "PASS: $T: $*"; }
fail() { echo "FAIL: $T: $*"; FAILED=$((FAILED + 1)); }

# check WHAT CMD...: pass when CMD succeeds.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1 (expected '$2', got '$3')"
	fi
}

# check_match WHAT REGEX TEXT
check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		pass "$1"
	else
		fail "$1 (no match for /$2/ in: $(printf '%s' "$3" | head -c 400))"
	fi
}

# re_escape TEXT: TEXT as an extended regex that matches it literally (a
# kernel release such as 6.12.95+deb12-amd64 has a +).
re_escape() { printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|/]/\\&/g'; }

# The installed module's file, compressed or not (Debian compresses
# modules from 6.12 on).
KO_RE='nslink\.ko(\.xz|\.zst|\.gz)?'
# The setns syscall's entry point, as the architecture's syscall wrapper
# names it (the module hooks it: module/compat.h).
case $(uname -m) in
aarch64) SETNS_FN=__arm64_sys_setns ;;
*) SETNS_FN=__x64_sys_setns ;;
esac

# Load the module built in the tree, unloading any other copy first.
load_module() {
	unload_module
	insmod "$KO" "$@"
}

unload_module() {
	if grep -q '^nslink ' /proc/modules; then
		rmmod nslink
	fi
}

# Does this kernel keep its data out of kallsyms (built without
# CONFIG_KALLSYMS_ALL, as Debian's arm64 6.1 is)? The module cannot find
# uevent_seqnum there and loads with injection off (module/compat.h).
inject_off_here() {
	if [ -z "${INJECT_OFF_HERE:-}" ]; then
		INJECT_OFF_HERE=no
		awk '$3 == "uevent_seqnum" { found = 1 } END { exit !found }' /proc/kallsyms ||
			INJECT_OFF_HERE=yes
	fi
	[ "$INJECT_OFF_HERE" = yes ]
}

# Run as the unprivileged user nobody.
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }

# Slab/leak bookkeeping: the count of kmalloc objects is too noisy to assert
# on; the module's own allocations are checked through kmemleak-free
# counters it exposes, so here we look at the kernel log only.
# The debug kernel's detectors report as tests/vm/run knows them; kmemleak's
# own notices at boot are not reports. A KCSAN report with no frame of
# nslink's ("[nslink]") is a race of the kernel's own: the KCSAN twin shows
# it (tests/vm/run, NSLINK_VM_KCSAN=own-pass) and it fails no test here;
# one with a frame of nslink's stays in and fails.
kcsan_own_strip() {
	awk '/BUG: KCSAN: / { inrep = 1; rule = 0; ours = 0; n = 0 }
	!inrep { print; next }
	{ buf[n++] = $0; if (/\[nslink\]/) ours = 1 }
	/Reported by Kernel Concurrency Sanitizer/ { rule = 1 }
	rule && /^(\[[^]]*\] )?=+\r?$/ {
		if (ours) for (i = 0; i < n; i++) print buf[i]
		inrep = 0
	}
	END { if (inrep) for (i = 0; i < n; i++) print buf[i] }'
}
kernel_log_clean() {
	! dmesg | kcsan_own_strip |
		grep -Ev 'kmemleak: (Kernel memory leak detector|Automatic memory scanning)' |
		grep -Eq 'WARNING:|BUG:|Oops|leak|refcount_t|UBSAN:|KASAN:|KFENCE:|possible circular locking|inconsistent lock state|suspicious RCU usage'
}

# On a kernel with kmemleak (the debug kernel): no new suspected leak since
# the last clear (two scans: kmemleak reports an object 5 s old that a
# second scan still finds unreferenced); the report is printed.
KMEMLEAK=/sys/kernel/debug/kmemleak
have_kmemleak() { [ -w "$KMEMLEAK" ]; }
kmemleak_clean() {
	local report
	sleep 6
	echo scan > "$KMEMLEAK" && sleep 2 && echo scan > "$KMEMLEAK" || return 1
	report=$(cat "$KMEMLEAK")
	[ -z "$report" ] && return 0
	printf '%s\n' "$report"
	return 1
}

finish() {
	exit $((FAILED > 0))
}
