#!/bin/bash
# rmmod while injections run: two loops inject batches into netns A while
# the module is unloaded and loaded again 20 times. Every nsinject either
# succeeds or says the module is gone; the kernel logs no warning; the
# last load still injects.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"
only_with_injection

check "insmod nslink.ko" load_module
ip netns add A
for i in $(seq 256); do
	printf 'ACTION=change\nDEVPATH=/devices/virtual/nslink/u%d\nSUBSYSTEM=nslink-test\n\n' "$i"
done > "$W/batch"
inject_loop "$W/rc1" -n A & l1=$!
inject_loop "$W/rc2" -n A & l2=$!
cycles=0
for i in $(seq 20); do
	sleep 0.2
	rmmod nslink || break
	insmod "$KO" || break
	cycles=$((cycles + 1))
done
touch "$W/stop"
wait $l1 $l2
check_eq "20 unload/load cycles during injection" 20 "$cycles"
ok=$(cat "$W/rc1" "$W/rc2" | grep -c '^0 $')
other=$(cat "$W/rc1" "$W/rc2" | grep -v '^0 $' | grep -v '^2 nsinject: the nslink kernel module is not loaded')
[ -z "$other" ] || echo "$other" | sort | uniq -c
check "injections succeeded between reloads ($ok batches of 256)" test "$ok" -gt 0
check_eq "every failed injection said: module not loaded (status 2)" "" "$other"
out=$("$NSINJECT" -v -n A add /devices/virtual/nslink/last SUBSYSTEM=nslink-test)
check_eq "after the cycles the module still injects" "$(seqnum) add@/devices/virtual/nslink/last" "$out"
check "rmmod after the test" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
