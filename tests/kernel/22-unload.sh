#!/bin/bash
# rmmod while a storm of transitions, exits and snapshot dumps runs, with
# listeners attached: five rounds (NSLINK_UNLOAD_ROUNDS), no warning, and
# the module loads again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

storm() {
	"$HELPER" unshare-loop 1000000 uts > /dev/null &
	"$HELPER" unshare-loop 1000000 uts > /dev/null &
	while :; do unshare -n -U true; done &
	while :; do /bin/true; done &
	while :; do nsenter -t 1 -n -m true; done &
	while :; do "$NSWATCH" --snapshot -c 0 > /dev/null 2>&1; done &
}

rounds=${NSLINK_UNLOAD_ROUNDS:-5}
ok=0
for round in $(seq "$rounds"); do
	load_module || break
	"$NSWATCH" -j --exit > /tmp/u.json 2>&1 &
	"$NSWATCH" > /dev/null 2>&1 &
	storm
	sleep $(slow 3)
	n=$(stats_json | jq .emitted)
	# A running dump holds a module reference: rmmod may need a retry.
	for i in $(seq $(slow 50)); do rmmod nslink 2>/dev/null && break; sleep 0.1; done
	gone=$(grep -c '^nslink ' /proc/modules)
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	[ "$gone" = 0 ] && [ "$n" -gt 100 ] || { echo "round $round: emitted $n, still loaded: $gone"; break; }
	echo "round $round: $n events emitted before rmmod"
	ok=$((ok + 1))
done
check_eq "$rounds rounds of rmmod during a storm (>100 events each)" "$rounds" "$ok"
check "loads again afterwards" load_module
check "no warning in the kernel log" kernel_log_clean
finish
