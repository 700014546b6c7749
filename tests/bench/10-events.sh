#!/bin/bash
# Namespace events: what the hooks cost, in one VM run, as ratios.
#  1. setns round trip between two netns, and fork + unshare(CLONE_NEWUTS)
#     + exit in a fresh process: module not loaded / loaded with no
#     listener / loaded with nswatch listening (medians of alternating
#     rounds; targets: +2 % idle, +15 % listening). Wall-clock time, and
#     the CPU time charged to the calling thread, which leaves out time the
#     loop waited while the listener had its CPU.
#  2. The sustained transition rate nswatch follows with no loss.
#  3. Noticing a namespace change with 2000 processes alive: CPU per change
#     of a /proc/*/ns poller (one scan a second) against nswatch.
# NSLINK_BENCH_CLOCK=icount (tests/bench/run's first pass, qemu -icount,
# 1 vCPU): part 1 only, where every "ns" is one guest instruction: the
# caller's count, and the whole system's (nswatch and the sending work
# included) per round trip.
set -u
clock=${NSLINK_BENCH_CLOCK:-time}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=/tmp/nsbench
cc -O2 -Wall -o "$B" tests/bench/nsbench.c || exit 1
NSWATCH=$top/userspace/nswatch
KO=$top/nslink.ko
ROUNDS=${NSLINK_BENCH_ROUNDS:-7}
SETNS_N=${NSLINK_BENCH_SETNS:-20000}
UNSHARE_N=${NSLINK_BENCH_UNSHARE:-1000}

loaded() { grep -q '^nslink ' /proc/modules; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

ip netns add benchb || exit 1
declare -A setns setns_cpu unshare_all unshare_call
wpid=
for r in $(seq "$ROUNDS"); do
	for c in off idle listen; do
		case $c in
		off) loaded && rmmod nslink ;;
		*) loaded || insmod "$KO" || exit 1 ;;
		esac
		if [ $c = listen ]; then
			"$NSWATCH" > /dev/null 2>> /tmp/listen.err &
			wpid=$!
			sleep 0.5
		fi
		read -r wall cpu < <("$B" setns "$SETNS_N" /run/netns/benchb)
		setns[$c]+="$wall " setns_cpu[$c]+="$cpu "
		read -r all call < <("$B" unshare "$UNSHARE_N")
		unshare_all[$c]+="$all " unshare_call[$c]+="$call "
		if [ -n "$wpid" ]; then kill "$wpid"; wait "$wpid" 2>/dev/null; wpid=; fi
	done
done
report() {	# NAME ARRAY
	local -n a=$2
	local off idle listen
	off=$(tr ' ' '\n' <<<"${a[off]}" | grep . | median)
	idle=$(tr ' ' '\n' <<<"${a[idle]}" | grep . | median)
	listen=$(tr ' ' '\n' <<<"${a[listen]}" | grep . | median)
	awk -v n="$1" -v u="${U:-ns}" -v o="$off" -v i="$idle" -v l="$listen" 'BEGIN {
		printf "%-46s not loaded 1.000 (%d %s)  no listener %.3f (%+.1f %%)  nswatch %.3f (%+.1f %%)\n",
			n, o, u, i / o, (i / o - 1) * 100, l / o, (l / o - 1) * 100 }'
}
echo "median of $ROUNDS rounds, ratio to the module not loaded:"
if [ "$clock" = icount ]; then
	U=instr report "setns round trip, instructions of the caller" setns_cpu
	U=instr report "setns round trip, instructions of the system" setns
	U=instr report "fork+unshare(NEWUTS)+exit, system" unshare_all
	U=instr report "unshare(NEWUTS) call alone, caller" unshare_call
else
	report "setns round trip (netns A->B->A), wall" setns
	report "setns round trip, CPU time of the caller" setns_cpu
	report "fork+unshare(NEWUTS)+exit, whole, wall" unshare_all
	report "unshare(NEWUTS) call alone, CPU time" unshare_call
fi
echo "nswatch loss reports during the listening rounds: $(cat /tmp/listen.err 2>/dev/null | grep -c lost)"
ip netns delete benchb
[ "$clock" = icount ] && exit 0

# 2. Sustained rate: paced generator, nswatch -j must get every event.
loaded || insmod "$KO" || exit 1
best=0
for rate in 1000 2000 5000 10000 20000 0; do
	n=$(( rate ? rate * 3 : 30000 ))
	"$NSWATCH" -j -r unshare -t uts -c "$n" > /tmp/rate.out 2> /tmp/rate.err &
	wpid=$!
	sleep 0.5
	got_rate=$("$B" loop "$n" $([ $rate = 0 ] || echo $rate))
	for i in $(seq 100); do kill -0 $wpid 2>/dev/null || break; sleep 0.1; done
	kill $wpid 2>/dev/null; wait $wpid 2>/dev/null
	got=$(grep -c '"reason"' /tmp/rate.out)
	lost=$(grep -c 'lost\|overrun' /tmp/rate.err)
	echo "rate: generator at ${got_rate}/s (asked ${rate:-max}), nswatch got $got of $n, loss reports: $lost"
	if [ "$got" = "$n" ] && [ "$lost" = 0 ]; then best=$got_rate; else break; fi
done
echo "sustained rate nswatch followed with no loss: ${best}/s (of the rates tried)"

# 3. Polling /proc against nswatch with 2000 processes alive.
"$B" spawn 2000 > /tmp/spawn.out &
spid=$!
for i in $(seq 600); do grep -q ready /tmp/spawn.out && break; sleep 0.1; done
"$NSWATCH" > /tmp/flip.out &
wpid=$!
sleep 0.5
w0=$(awk '{ print $1 }' /proc/$wpid/schedstat)
SECS=10
"$B" flip $SECS &
fpid=$!
read -r poll_cpu tasks changes < <("$B" poll $SECS)
wait $fpid
sleep 0.5
w1=$(awk '{ print $1 }' /proc/$wpid/schedstat)
seen=$(grep -c 'reason=unshare' /tmp/flip.out)
kill $wpid $spid; pkill -P $spid 2>/dev/null; wait 2>/dev/null
awk -v p="$poll_cpu" -v t="$tasks" -v c="$changes" -v w=$((w1 - w0)) -v s="$seen" 'BEGIN {
	per = s ? w / s : 0
	printf "polling %d tasks once a second: %.2f ms CPU per scan (= per change at 1 change/s), saw %d changes, latency up to 1 s\n", t, p / 1e6, c
	printf "nswatch: %.1f us CPU per change, saw %d changes, latency: about one timer tick\n", per / 1e3, s
	if (per) printf "ratio polling/nswatch CPU per change noticed: %.0f\n", p / per }'
