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
#
# One take is the kernel's own on some kernels, whoever's family it is: a
# join of a multicast group. Debian's 5.10 (5.10.223, linux-source-5.10,
# net/netlink/genetlink.c) checks the group in genl_bind() (lines
# 1367-1399) under genl_lock_all() (1373), which is down_write(&cb_lock)
# then genl_lock() (lines 51-55), for every join (af_netlink.c 1031 at
# bind(), 1675 at NETLINK_ADD_MEMBERSHIP); 6.1's takes no genl_mutex there.
# nswatch --snapshot joins two groups (nlctrl's notify, nslink's events),
# so 5.10 showed 6 takes for 4 look-ups. A take is the kernel's join when
# mutex_lock()'s return address is in genl_bind() itself (genl_lock() is
# inlined there as in genl_rcv_msg()): no code of the module's can return
# there, so a take of the module's, in its handlers, its dump or its hook
# on genl_bind, is still counted against it.
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
	{ echo 0 > $TR/events/nslinktest/any_mutex/enable; } 2>/dev/null
	echo '-:nslinktest/any_mutex' >> $TR/kprobe_events 2>/dev/null
}
fn=mutex_lock	# mutex_lock_nested under lockdep (the debug kernel)
grep -qw mutex_lock_nested /proc/kallsyms && fn=mutex_lock_nested
# genl_mutex's address: the kernel's own, the lock that genl_rcv_msg()
# (or genl_lock(), where it is not inlined) hands to $fn while nlctrl
# answers a look-up, told apart by $fn's return address (on its entry: the
# link register on arm64, the top of the stack on x86). Where kallsyms
# lists data both are read and must agree; where it does not (Debian's
# arm64 6.1 has no CONFIG_KALLSYMS_ALL), the second is all there is.
case $(uname -m) in
aarch64) ret='%x30' ;;
*) ret='+0($stack)' ;;
esac
# text_range SYMBOL: "START END" of a function, END the next symbol's
# address (kallsyms' addresses are 16 hex digits: compared as strings).
text_range() {
	awk -v s="$1" '$3 == s && $2 ~ /^[tT]$/ { a = $1 } { all[NR] = $1 }
		END { if (a == "") exit; e = ""
		      for (i in all) if (all[i] > a && (e == "" || all[i] < e)) e = all[i]
		      print a, e }' /proc/kallsyms
}
taken_by_genl() {
	local pid ranges
	ranges="$(text_range genl_rcv_msg) $(text_range genl_lock)"
	[ -n "${ranges// /}" ] || { echo "neither genl_rcv_msg nor genl_lock in /proc/kallsyms"; return 1; }
	echo "p:nslinktest/any_mutex $fn lock=\$arg1:x64 ret=$ret:x64" >> $TR/kprobe_events &&
		echo 1 > $TR/events/nslinktest/any_mutex/enable && echo 1 > $TR/tracing_on || return 1
	echo > $TR/trace
	sh -c 'echo $$ > "$0"; exec "$@"' "$W/pid" genl ctrl get name nslink > /dev/null 2>&1
	pid=$(cat "$W/pid")
	echo 0 > $TR/events/nslinktest/any_mutex/enable
	# (removing the event empties the buffer: read it first)
	grep -E -- "-$pid +\[.* any_mutex:" $TR/trace > "$W/any_mutex"
	echo '-:nslinktest/any_mutex' >> $TR/kprobe_events
	< "$W/any_mutex" \
		sed -nE 's/.* lock=0x([0-9a-f]+) ret=0x([0-9a-f]+).*/\1 \2/p' |
		awk -v r="$ranges" 'BEGIN { n = split(r, b, " ") }
			{ for (i = 1; i < n; i += 2) if ($2 >= b[i] && $2 < b[i + 1]) print $1 }' |
		sort -u
}
found=$(taken_by_genl)
check_match "the lock genl_rcv_msg takes for nlctrl, by $fn's return address" '^[0-9a-f]{16}$' "$found"
addr=$(awk '$3 == "genl_mutex" { print $1; exit }' /proc/kallsyms)
if [ -n "$addr" ]; then
	check_eq "it is genl_mutex, at the address kallsyms gives" "$addr" "$found"
else
	echo "# kallsyms lists no data here (no CONFIG_KALLSYMS_ALL): genl_mutex is the lock found"
	addr=$found
fi
check "a kprobe event on $fn, for genl_mutex only" \
	eval "echo 'p:nslinktest/genl_mutex $fn lock=\$arg1:x64 ret=$ret:x64' >> $TR/kprobe_events &&
	      echo 'lock == 0x$addr' > $TR/events/nslinktest/genl_mutex/filter &&
	      echo 1 > $TR/events/nslinktest/genl_mutex/enable"
check "a kprobe event on ctrl_getfamily (nlctrl's look-up)" \
	eval "echo 'p:nslinktest/ctrl ctrl_getfamily' >> $TR/kprobe_events &&
	      echo 1 > $TR/events/nslinktest/ctrl/enable && echo 1 > $TR/tracing_on"
bind_range=$(text_range genl_bind)
check_match "genl_bind in /proc/kallsyms (where a join's take is the kernel's)" '^[0-9a-f]+ [0-9a-f]+$' "$bind_range"
# caller_of ADDRESS...: the symbol each return address is in, from
# /proc/kallsyms (the module's are listed there with [nslink]).
caller_of() {
	awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
		$2 ~ /^[tT]$/ { for (i = 1; i <= n; i++)
			if ($1 <= w[i] && $1 > best[i]) { best[i] = $1; name[i] = $3 $4 } }
		END { for (i = 1; i <= n; i++) print name[i] }' /proc/kallsyms
}
# locks CMD...: "L C B": how often CMD took genl_mutex (L), looked up a
# family in nlctrl (C), and of the L, how many the kernel's genl_bind()
# took for a join (B); $W/callers: the symbol of each take's return address.
locks() {
	local pid rets
	echo > $TR/trace
	sh -c 'echo $$ > "$0"; exec "$@"' "$W/pid" "$@" > /dev/null 2>&1
	pid=$(cat "$W/pid")
	rets=$(grep -E -- "-$pid +\[.* genl_mutex:" $TR/trace |
		sed -nE 's/.* ret=0x([0-9a-f]+).*/\1/p' | awk '{ printf "%016s\n", $1 }' | tr ' ' 0)
	caller_of $rets | sort | uniq -c | awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }' > "$W/callers"
	echo "$(printf '%s\n' $rets | grep -c .)" \
	     "$(grep -E -- "-$pid +\[.* ctrl:" $TR/trace | grep -c .)" \
	     "$(printf '%s\n' $rets | awk -v r="$bind_range" 'BEGIN { split(r, b, " ") }
		$1 >= b[1] && $1 < b[2]' | grep -c .)"
}
set -- $(locks genl ctrl get name nslink)
check_eq "control: a look-up in nlctrl (no parallel operations) takes genl_mutex" "1 1" "$1 $2"
# Every take but the kernel's in genl_bind() is one look-up's.
same() {
	set -- $(locks "$@")
	[ $(($1 - $3)) = "$2" ] && [ "$2" -ge 1 ] ||
		{ echo "genl_mutex $1 times ($3 in genl_bind for a join), $2 look-ups; taken in: $(cat "$W/callers")"; return 1; }
	[ "$3" = 0 ] || echo "# genl_mutex $1 times, $3 of them in the kernel's genl_bind() for a join, $2 look-ups (taken in: $(cat "$W/callers"))"
}
check "nswatch --info takes it for its look-ups only" same "$NSWATCH" --info
check "nswatch --stats takes it for its look-ups only" same "$NSWATCH" --stats
ev='add@/devices/virtual/nslink/p1|ACTION=add|DEVPATH=/devices/virtual/nslink/p1|SUBSYSTEM=nslink-test|'
check "an INJECT of 256 events takes it for its look-ups only" same "$W/inject-raw" --repeat 256 "$ev"
check "a snapshot dump takes it for its look-ups only" same "$NSWATCH" --snapshot -c 0
cleanup_probe
check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
