#!/bin/bash
# Stress: for NSLINK_STRESS_SECONDS (make check: 20, make stress: 60),
# processes run unshare/setns/clone loops while two nswatch listeners
# follow, one of them deliberately slow, and an injection storm goes into
# 10 network namespaces that are created and destroyed meanwhile.
# Pass: no kernel warning; exact loss accounting (the gaps each listener saw
# equal the losses it reported, and the events missed by either listener
# equal the kernel's drop counter); memory back to baseline.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"	# builds $HELPER (nshelper)

# On a slower kernel (the debug kernel) the loops make fewer transitions a
# second: the run, and the slow listener's stop, last longer by as much.
secs=${NSLINK_STRESS_SECONDS:-$(slow 20)}
d=$(mktemp -d)
mem() { awk '/^(SUnreclaim|Percpu):/ { s += $2 } END { print s }' /proc/meminfo; }
stat_of() { "$NSWATCH" --stats -j | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
settle() { echo 3 > /proc/sys/vm/drop_caches; sleep $(slow 2); echo 3 > /proc/sys/vm/drop_caches; }

load_module || { fail "insmod"; finish; }
ip netns add stress-base

# Two listeners. The slow one has a small receive buffer and a reader that
# takes 5 ms a line, so its socket overflows: it must lose, and say so.
"$NSWATCH" -j > "$d/fast" 2> "$d/fast.err" &
fast=$!
"$NSWATCH" -j --rcvbuf 65536 2> "$d/slow.err" | python3 -u -c '
import sys, time
for line in sys.stdin:
    sys.stdout.write(line); sys.stdout.flush(); time.sleep(0.005)
' > "$d/slow" &
slow=$!
storm() {	# storm SECONDS: the loops and the injection storm, then cleanup
	local end=$(( $(date +%s) + $1 )) loops=() n
	# Transition loops: unshare in batches, setns with nsenter, clone with new namespaces.
	( while [ "$(date +%s)" -lt $end ]; do "$HELPER" unshare-loop 200 uts true >/dev/null; done ) & loops+=($!)
	( while [ "$(date +%s)" -lt $end ]; do nsenter --net=/run/netns/stress-base true; done ) & loops+=($!)
	( while [ "$(date +%s)" -lt $end ]; do "$HELPER" clone net,uts true >/dev/null; done ) & loops+=($!)
	( while [ "$(date +%s)" -lt $end ]; do unshare -n -m -u true; done ) & loops+=($!)
	# Injection storm into 10 namespaces that come and go.
	( n=0; : "$n"
	  while [ "$(date +%s)" -lt $end ]; do
		i=$((n % 10)); n=$((n + 1))
		ip netns add "stress$i" 2>/dev/null
		printf 'ACTION=add\nDEVPATH=/devices/virtual/misc/s%d\nSUBSYSTEM=misc\n\nACTION=remove\nDEVPATH=/devices/virtual/misc/s%d\nSUBSYSTEM=misc\n\n' $n $n |
			"$NSINJECT" -n "stress$i" -f - && echo ok >> "$d/inj"
		[ $((n % 3)) = 0 ] && ip netns delete "stress$(( (n + 5) % 10 ))" 2>/dev/null
	  done ) & loops+=($!)
	wait "${loops[@]}"
	for i in $(seq 0 9); do ip netns delete "stress$i" 2>/dev/null; done
}
marker() {	# a transition a second until both listeners have seen the last
	local want i j
	for i in $(seq $(slow 60)); do	# the listeners may still be joining
		unshare -u true
		want=$(stat_of seq)
		for j in $(seq 10); do
			grep -q "\"seq\":$want," "$d/fast" && grep -q "\"seq\":$want," "$d/slow" && return 0
			sleep 0.1
		done
	done
	return 1
}
check "both listeners receive before the storm" marker
# Warm up: the first namespaces populate per-cpu chunks and caches that stay.
rm -f "$d/inj"; storm 5; rm -f "$d/inj"
settle; sleep $(slow 3); settle
mem_before=$(mem)
seq0=$(stat_of seq) emitted0=$(stat_of emitted) dropped0=$(stat_of dropped) injected0=$(stat_of injected)
refused0=$(stat_of inject_refused)

# The slow reader also stops for 8 s early in the storm, so that its socket
# overflows however fast this machine makes transitions.
( sleep 1; kill -STOP $slow; sleep $(slow 8); kill -CONT $slow ) &
pauser=$!
storm "$secs"
wait $pauser

check "both listeners catch up after the storm" marker
seq1=$(stat_of seq) emitted1=$(stat_of emitted) dropped1=$(stat_of dropped) injected1=$(stat_of injected)
refused1=$(stat_of inject_refused)
pkill -INT -x nswatch
wait $fast $slow 2>/dev/null

inj_batches=$(wc -l < "$d/inj" 2>/dev/null || echo 0)
echo "seq $seq0 -> $seq1; emitted +$((emitted1 - emitted0)); dropped +$((dropped1 - dropped0)); injected +$((injected1 - injected0)) in $inj_batches batches"
check "the injection storm delivered (2 uevents per accepted batch)" test $((injected1 - injected0)) -eq $((2 * inj_batches))
if inject_off_here; then
	# No CONFIG_KALLSYMS_ALL: the storm is one of refusals.
	check "injection is off on this kernel: every batch refused ($((refused1 - refused0)) refusals)" \
		test "$inj_batches" -eq 0 -a $((refused1 - refused0)) -gt 0
else
	check "injections happened" test "$inj_batches" -gt 0
fi

# Each listener: seqs strictly increasing; the gaps in (seq0, seq1] equal
# the {"lost":N} it reported; the union of both listeners' misses equals
# the kernel's dropped counter.
out=$(python3 - "$d/fast" "$d/slow" "$seq0" "$seq1" "$((dropped1 - dropped0))" <<'PY'
import json, sys
fast, slow, lo, hi, dropped = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
missed = {}
ok = True
for name, path in (("fast", fast), ("slow", slow)):
    seen, lost, prev, order = set(), 0, None, True
    for line in open(path):
        o = json.loads(line)
        if "lost" in o:
            # {"lost":null,"overrun":true}: said at the overrun; the count
            # follows in the next {"lost":N}
            if o["lost"] is not None and prev is not None and prev >= lo:
                lost += o["lost"]
            continue
        s = o["seq"]
        if prev is not None and s <= prev:
            order = False
        prev = s
        if lo < s <= hi:
            seen.add(s)
    gaps = set(range(lo + 1, hi + 1)) - seen
    missed[name] = gaps
    print(f"{name}: {len(seen)} events, {len(gaps)} missed, {lost} reported lost, in order: {order}")
    print(f"CHECK {name}_order {int(order)}")
    print(f"CHECK {name}_accounting {int(len(gaps) == lost)}")
union = missed["fast"] | missed["slow"]
print(f"missed by either: {len(union)}; kernel dropped: {dropped}")
print(f"CHECK kernel_drops {int(len(union) == dropped)}")
print(f"CHECK slow_lost {int(len(missed['slow']) > 0)}")
print(f"CHECK volume {int(hi - lo >= 1000)}")
PY
)
echo "$out" | grep -v '^CHECK'
res() { echo "$out" | sed -n "s/^CHECK $1 //p"; }
check_eq "fast listener: events in seq order" 1 "$(res fast_order)"
check_eq "slow listener: events in seq order" 1 "$(res slow_order)"
check_eq "fast listener: reported losses equal its seq gaps" 1 "$(res fast_accounting)"
check_eq "slow listener: reported losses equal its seq gaps" 1 "$(res slow_accounting)"
check_eq "events missed by either listener equal the kernel's drop counter" 1 "$(res kernel_drops)"
check_eq "the slow listener really lost events (the accounting was exercised)" 1 "$(res slow_lost)"
check_eq "at least 1000 transitions under stress" 1 "$(res volume)"

ip netns delete stress-base
check "rmmod after the storm" rmmod nslink
settle; sleep $(slow 3); settle
mem_after=$(mem)
echo "unreclaimable slab + percpu: ${mem_before} kB before, ${mem_after} kB after"
if have_kmemleak; then
	# KASAN's quarantine moves the count by megabytes: kmemleak tells instead.
	check "memory back to baseline (kmemleak: no new suspected leak; slab + percpu moved $((mem_after - mem_before)) kB)" kmemleak_clean
else
	check "memory back to baseline (grew $((mem_after - mem_before)) kB, limit 1024)" test $((mem_after - mem_before)) -lt 1024
fi
check "no warning in the kernel log" kernel_log_clean
cat "$d/slow.err" "$d/fast.err" | sort | uniq -c | head -5
rm -rf "$d"
finish
