#!/bin/bash
# Injection throughput into netns A, three ways, in one run:
#   nsinject   nsinject -f in batch mode (256 events per request), from the host
#   native     one process already inside A writing to its own uevent socket
#              (the kernel's path since 4.18), one event per message, ACKed
#   per-event  the container managers' way: one process per event that
#              enters A and writes it natively (nsenter --net, the lightest
#              way in; LXD's forkuevent also enters the user namespace)
# A listener in A counts every delivery, so a method that loses events is
# caught. Prints events/s and the ratios; only the ratios mean anything.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
NSINJECT=$top/userspace/nsinject
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
N=${NSLINK_BENCH_EVENTS:-20000}		# nsinject and native
NP=${NSLINK_BENCH_PROCS:-100}		# per-event processes

cc -O2 -o "$W/uevent-listen" "$top/tests/bench/uevent-listen.c" &&
cc -O2 -o "$W/uevent-write" "$top/tests/bench/uevent-write.c" || exit 1
grep -q '^nslink ' /proc/modules && rmmod nslink
insmod "$top/nslink.ko" || exit 1
ip netns add A || exit 1

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }

# run NAME COUNT CMD...: time CMD while a listener in A counts deliveries.
run() {
	local name=$1 count=$2 t0 t1 got i
	shift 2
	ip netns exec A "$W/uevent-listen" -q -n "$count" -t 20000 > "$W/$name.count" &
	local lp=$!
	for i in $(seq 200); do
		ip netns exec A awk '$2 == 15 && $3 != 0' /proc/net/netlink | grep -q . && break
		sleep 0.05
	done
	t0=$(now)
	"$@" || { echo "bench 40-inject: $name failed"; return 1; }
	t1=$(now)
	wait "$lp"
	got=$(sed -n 's/^received=\([0-9]*\).*/\1/p' "$W/$name.count")
	if [ "$got" != "$count" ]; then
		echo "bench 40-inject: $name: the listener in A got $got of $count events"
		return 1
	fi
	eval "rate_$name=$(rate "$count" "$t0" "$t1")"
	printf '%-10s %6d events in %6.2f s: %8d events/s (all %d delivered)\n' \
		"$name" "$count" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
		"$(eval echo "\$rate_$name")" "$got"
}

for i in $(seq "$N"); do
	printf 'ACTION=add\nDEVPATH=/devices/virtual/nslink-bench/n-%d\nSUBSYSTEM=nslink-bench\n\n' "$i"
done > "$W/events"

per_event() {
	local i
	for i in $(seq "$NP"); do
		nsenter --net=/run/netns/A "$W/uevent-write" 1 "p$i" || return 1
	done
}

echo "injection into a netns; $(nproc) CPUs, TCG: absolute figures are noise, ratios are the result"
run nsinject "$N" "$NSINJECT" -n A -f "$W/events" || exit 1
run native "$N" ip netns exec A "$W/uevent-write" "$N" || exit 1
run perevent "$NP" per_event || exit 1

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
r_native=$(ratio "$rate_nsinject" "$rate_native")
r_proc=$(ratio "$rate_nsinject" "$rate_perevent")
echo "RATIO nsinject/native:    $r_native (target >= 1)"
echo "RATIO nsinject/per-event: $r_proc (target >= 10)"
status=0
awk -v r="$r_native" 'BEGIN { exit !(r >= 1) }' || { echo "below target: nsinject slower than the native path"; status=1; }
awk -v r="$r_proc" 'BEGIN { exit !(r >= 10) }' || { echo "below target: nsinject less than 10x one process per event"; status=1; }
rmmod nslink
exit $status
