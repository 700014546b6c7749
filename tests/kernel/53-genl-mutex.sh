#!/bin/bash
# The family's operations run without genl_mutex (parallel_ops), which
# every generic netlink family without parallel operations shares (nlctrl,
# nl80211, ...): an INJECT of up to 256 broadcasts, open to the root of any
# container, or a GET_STATS waiting for a busy ring, must not hold them up.
# Counted per command with a kprobe on mutex_lock() filtered on
# genl_mutex's address (genl_lock() itself is inlined into genl_rcv_msg())
# and one on nlctrl's ctrl_getfamily(): each command takes genl_mutex once
# for each of its look-ups in nlctrl (a family without parallel
# operations), and never for nslink's own requests. Until 2026-12-04 each
# took it once more per request (an INJECT, a GET_STATS), and a snapshot
# once more per part of its dump.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"

TR=/sys/kernel/tracing
check "build the test helpers" build_helpers
check "insmod nslink.ko" load_module
mountpoint -q $TR || mount -t tracefs nodev $TR
cleanup_probe() {
	echo 0 > $TR/events/nslinktest/enable 2>/dev/null
	echo '-:nslinktest/genl_mutex' >> $TR/kprobe_events 2>/dev/null
	echo '-:nslinktest/ctrl' >> $TR/kprobe_events 2>/dev/null
}
fn=mutex_lock	# mutex_lock_nested under lockdep (the debug kernel)
grep -qw mutex_lock_nested /proc/kallsyms && fn=mutex_lock_nested
addr=$(awk '$3 == "genl_mutex" { print $1; exit }' /proc/kallsyms)
check_match "genl_mutex's address" '^[0-9a-f]{16}$' "$addr"
check "a kprobe event on $fn, for genl_mutex only" \
	eval "echo 'p:nslinktest/genl_mutex $fn lock=\$arg1:x64' >> $TR/kprobe_events &&
	      echo 'lock == 0x$addr' > $TR/events/nslinktest/genl_mutex/filter &&
	      echo 1 > $TR/events/nslinktest/genl_mutex/enable"
check "a kprobe event on ctrl_getfamily (nlctrl's look-up)" \
	eval "echo 'p:nslinktest/ctrl ctrl_getfamily' >> $TR/kprobe_events &&
	      echo 1 > $TR/events/nslinktest/ctrl/enable && echo 1 > $TR/tracing_on"
# locks CMD...: "L C": how often CMD took genl_mutex (L) and looked up a
# family in nlctrl (C).
locks() {
	local pid
	echo > $TR/trace
	sh -c 'echo $$ > "$0"; exec "$@"' "$W/pid" "$@" > /dev/null 2>&1
	pid=$(cat "$W/pid")
	echo "$(grep -E -- "-$pid +\[.* genl_mutex:" $TR/trace | grep -c .)" \
	     "$(grep -E -- "-$pid +\[.* ctrl:" $TR/trace | grep -c .)"
}
set -- $(locks genl ctrl get name nslink)
check_eq "control: a look-up in nlctrl (no parallel operations) takes genl_mutex" "1 1" "$1 $2"
same() { set -- $(locks "$@"); [ "$1" = "$2" ] && [ "$2" -ge 1 ] || { echo "genl_mutex $1 times, $2 look-ups"; return 1; }; }
check "nswatch --info takes it for its look-ups only" same "$NSWATCH" --info
check "nswatch --stats takes it for its look-ups only" same "$NSWATCH" --stats
ev='add@/devices/virtual/nslink/p1|ACTION=add|DEVPATH=/devices/virtual/nslink/p1|SUBSYSTEM=nslink-test|'
check "an INJECT of 256 events takes it for its look-ups only" same "$W/inject-raw" --repeat 256 "$ev"
check "a snapshot dump takes it for its look-ups only" same "$NSWATCH" --snapshot -c 0
cleanup_probe
check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
