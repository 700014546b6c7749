#!/bin/bash
# Namespace events: what the hooks cost, in one VM run, side by side.
#  1. setns round trip between two netns (two transitions), and fork +
#     unshare(CLONE_NEWUTS) + exit in a fresh process; medians of
#     alternating rounds, every configuration in each round:
#       off     the module not loaded: bare
#       idle    loaded, nobody listening (no hook but genl_bind's armed)
#       empty   the bench-only build (make module NSLINK_BENCH=empty-hooks,
#               made by tests/bench/run: NSLINK_BENCH_EMPTY_KO) with nswatch
#               listening, so that its hooks arm; its handlers return at
#               once: what nslink's hook points alone cost
#       listen  nslink with nswatch listening (its output counted)
#       count1  module unloaded, bpftrace counting the calls of one
#               function (perf_event_namespaces): the floor of any eBPF hook
#       count2  the same counter on both functions the job hooks (the setns
#               entry and perf_event_namespaces): the eBPF floor of the job
#       bpf     bpftrace doing nswatch's job for setns the eBPF way (fentry
#               on the setns entry and on perf_event_namespaces, the eight
#               old inodes as a tuple in a hash map keyed by thread, a
#               printf of old and new)
#     (bpftrace 0.17's kfunc is fentry, as nslink's hooks are ftrace; the
#     three bpftrace cases in the instruction pass only, see below.)
#     Per setns round trip: the caller's count and the whole system's, the
#     count added over bare, per transition, and as multiples of each eBPF
#     floor; the transitions the listener printed against those made, and
#     the losses it reported (nswatch's "lost N" lines and the kernel's
#     dropped counter from nswatch --stats; bpftrace's "Lost N events").
#     One "BENCH key=value ..." line per row besides the human table:
#     tests/bench/table makes tests/README.md's table of them.
#  2. The sustained transition rate nswatch follows with no loss.
#  3. Noticing a namespace change with 2000 processes alive: CPU per change
#     of a /proc/*/ns poller (one scan a second) against nswatch.
# NSLINK_BENCH_CLOCK=icount (tests/bench/run's first pass, qemu -icount,
# 1 vCPU): part 1 only, where every "ns" is one guest instruction: the
# caller's count, and the whole system's (the listener and the sending
# work included) per round trip. In the time pass (2 vCPUs) the caller's
# figure is its CPU time and the system's the wall-clock time.
set -u
clock=${NSLINK_BENCH_CLOCK:-time}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=/tmp/nsbench
cc -O2 -Wall -o "$B" tests/bench/nsbench.c || exit 1
NSWATCH=$top/userspace/nswatch
KO=$top/nslink.ko
KO_EMPTY=${NSLINK_BENCH_EMPTY_KO:-}
ROUNDS=${NSLINK_BENCH_ROUNDS:-7}
SETNS_N=${NSLINK_BENCH_SETNS:-20000}
UNSHARE_N=${NSLINK_BENCH_UNSHARE:-1000}

loaded() { grep -q '^nslink ' /proc/modules; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The peer's programs (bpftrace 0.17: kfunc is fentry).
# The setns entry as the architecture's syscall wrapper names it.
setns_fn=__x64_sys_setns
[ "$(uname -m)" = aarch64 ] && setns_fn=__arm64_sys_setns
sed "s/@SETNS@/$setns_fn/" > /tmp/peer-job.bt <<'BT'
kfunc:@SETNS@
{
	$n = curtask->nsproxy;
	@old[tid] = ($n->mnt_ns->ns.inum, $n->uts_ns->ns.inum, $n->ipc_ns->ns.inum,
		     $n->net_ns->ns.inum, $n->pid_ns_for_children->ns.inum,
		     $n->cgroup_ns->ns.inum, $n->time_ns_for_children->ns.inum,
		     curtask->cred->user_ns->ns.inum);
}
kfunc:perf_event_namespaces
/@old[tid].0/
{
	$o = @old[tid];
	$n = curtask->nsproxy;
	printf("%d setns %u %u %u %u %u %u %u %u -> %u %u %u %u %u %u %u %u\n", tid,
	       $o.0, $o.1, $o.2, $o.3, $o.4, $o.5, $o.6, $o.7,
	       $n->mnt_ns->ns.inum, $n->uts_ns->ns.inum, $n->ipc_ns->ns.inum,
	       $n->net_ns->ns.inum, $n->pid_ns_for_children->ns.inum,
	       $n->cgroup_ns->ns.inum, $n->time_ns_for_children->ns.inum,
	       curtask->cred->user_ns->ns.inum);
	delete(@old[tid]);
}
BT
echo 'kfunc:perf_event_namespaces { @calls = count(); }' > /tmp/peer-count1.bt
printf 'kfunc:%s { @entries = count(); }\nkfunc:perf_event_namespaces { @calls = count(); }\n' \
	"$setns_fn" > /tmp/peer-count2.bt
configs="off idle"
if [ -z "$KO_EMPTY" ]; then
	echo "the empty-hooks floor is left out: no NSLINK_BENCH_EMPTY_KO (tests/bench/run builds it)"
elif [ ! -e "$KO_EMPTY" ]; then
	echo "the empty-hooks floor is left out: $KO_EMPTY is missing"
else
	configs+=" empty"
fi
configs+=" listen"
# The eBPF rows in the instruction pass only: a bpftrace start costs
# minutes of multi-threaded TCG, three a round.
if [ "$clock" != icount ]; then
	echo "the eBPF peer runs in the instruction pass only"
elif ! command -v bpftrace >/dev/null; then
	echo "the eBPF peer is left out: bpftrace is missing (tests/deps.sh installs it)"
elif [ ! -e /sys/kernel/btf/vmlinux ]; then
	echo "the eBPF peer is left out: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
else
	configs+=" count1 count2 bpf"
fi
is_peer() { case $1 in count1|count2|bpf) return 0 ;; esac; return 1; }
# start_peer SCRIPT: bpftrace, attached, its output in /tmp/peer.out.
start_peer() {
	local i
	# 8 MiB of perf ring, as nswatch has of receive buffer.
	BPFTRACE_PERF_RB_PAGES=2048 bpftrace "$1" > /tmp/peer.out 2>&1 &
	wpid=$!
	for i in $(seq 1200); do
		grep -q '^Attaching' /tmp/peer.out && break
		kill -0 "$wpid" 2>/dev/null || break
		sleep 0.1
	done
	grep -q '^Attaching' /tmp/peer.out || { echo "bpftrace did not start:"; cat /tmp/peer.out; exit 1; }
	sleep 0.5
}
# kstats: the kernel's setns and dropped counters (nswatch --stats).
kstats() { "$NSWATCH" --stats 2>/dev/null | awk '$1 == "setns" { s = $2 } $1 == "dropped" { d = $2 } END { print s + 0, d + 0 }'; }
# drain FILE: until nswatch's FILE shows the kernel's last seq (nswatch
# --stats, which sends all that is recorded first), or it stands still
# for 10 s (a listener that lost the last events never shows it).
drain() {
	local want got last= still=0
	want=$("$NSWATCH" --stats 2>/dev/null | awk '$1 == "seq" { print $2 }')
	while [ "$still" -lt 100 ]; do
		got=$(tail -n 3 "$1" | sed -n 's/^seq=\([0-9]*\) .*/\1/p' | sort -n | tail -n 1)
		[ -n "$want" ] && [ -n "$got" ] && [ "$got" -ge "$want" ] && return 0
		if [ "$got" = "$last" ]; then still=$((still + 1)); else still=0 last=$got; fi
		sleep 0.1
	done
	echo "the listener stood still at seq ${got:-none} of ${want:-?} for 10 s" >&2
}
# lost_sum FILE: the events a listener said it lost (nswatch: "lost N
# events before seq S"; bpftrace: "Lost N events").
lost_sum() { awk '{ for (i = 1; i < NF; i++) if (tolower($i) == "lost" && $(i + 1) ~ /^[0-9]+$/ && $(i + 2) == "events") s += $(i + 1) } END { print s + 0 }' "$1"; }
ip netns add benchb || exit 1
declare -A setns setns_cpu unshare_all unshare_call delivered expected lost kdropped
wpid= cur=none
loaded && { rmmod nslink || exit 1; }
: > /tmp/listen.err
for r in $(seq "$ROUNDS"); do
	for c in $configs; do
		# Which build is loaded: none, the normal one or the empty one.
		want=normal
		case $c in
		off|count1|count2|bpf) want=none ;;
		empty) want=empty ;;
		esac
		if [ "$want" != "$cur" ]; then
			loaded && { rmmod nslink || exit 1; }
			case $want in
			normal) insmod "$KO" || exit 1 ;;
			empty) insmod "$KO_EMPTY" || exit 1 ;;
			esac
			cur=$want
		fi
		case $c in
		listen|empty)
			"$NSWATCH" > /tmp/listen.out 2> /tmp/listen.round.err &
			wpid=$!
			sleep 0.5
			read -r ks0 kd0 < <(kstats)
			;;
		bpf) start_peer /tmp/peer-job.bt ;;
		count1|count2) start_peer /tmp/peer-$c.bt ;;
		esac
		read -r wall cpu < <("$B" setns "$SETNS_N" /run/netns/benchb)
		setns[$c]+="$wall " setns_cpu[$c]+="$cpu "
		if [ "$c" = listen ] || [ "$c" = empty ]; then
			read -r ks1 kd1 < <(kstats)
			kdropped[$c]=$(( ${kdropped[$c]:-0} + kd1 - kd0 ))
			# The empty handlers see nothing: no transition is expected.
			[ "$c" = listen ] && expected[$c]=$(( ${expected[$c]:-0} + 2 * SETNS_N ))
		fi
		# The peer follows setns only: no unshare figures for it.
		if ! is_peer "$c"; then
			read -r all call < <("$B" unshare "$UNSHARE_N")
			unshare_all[$c]+="$all " unshare_call[$c]+="$call "
		fi
		if [ -n "$wpid" ]; then
			# Let the listener drain what it has queued: until it has
			# printed the kernel's last seq (a second where it follows
			# nothing, or bpftrace).
			if [ "$c" = listen ]; then
				drain /tmp/listen.out
			else
				sleep 1
			fi
			kill -INT "$wpid"
			wait "$wpid" 2>/dev/null
			wpid=
		fi
		case $c in
		listen|empty)
			delivered[$c]=$(( ${delivered[$c]:-0} + $(grep -c 'reason=setns' /tmp/listen.out) ))
			lost[$c]=$(( ${lost[$c]:-0} + $(lost_sum /tmp/listen.round.err) ))
			cat /tmp/listen.round.err >> /tmp/listen.err
			;;
		bpf)
			delivered[$c]=$(( ${delivered[$c]:-0} + $(grep -c ' setns ' /tmp/peer.out) ))
			expected[$c]=$(( ${expected[$c]:-0} + 2 * SETNS_N ))
			lost[$c]=$(( ${lost[$c]:-0} + $(lost_sum /tmp/peer.out) ))
			;;
		esac
	done
done
ip netns delete benchb
loaded && rmmod nslink
med() { local -n a_=$1; tr ' ' '\n' <<<"${a_[$2]:-}" | grep . | median; }
pass=$clock unit=ns
[ "$clock" = icount ] && unit=instr
bpftrace_v=
is_peer "${configs##* }" && bpftrace_v=$(bpftrace --version 2>/dev/null | awk '{ sub(/^v/, "", $2); print $2 }')
echo "BENCH-PASS pass=$pass unit=$unit kernel=$(uname -r) arch=$(uname -m) vcpus=$(nproc) clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) rounds=$ROUNDS setns_n=$SETNS_N unshare_n=$UNSHARE_N bpftrace=${bpftrace_v:-none} configs=${configs// /,}"
# The rows, medians first, then what each adds over bare, per transition
# (a round trip is two), and as multiples of each eBPF floor.
{
	for c in $configs; do
		echo "setns $c $(med setns_cpu "$c") $(med setns "$c") ${delivered[$c]:--} ${expected[$c]:--} ${lost[$c]:--} ${kdropped[$c]:--}"
	done
	for c in $configs; do
		is_peer "$c" && continue
		echo "unshare $c $(med unshare_all "$c") $(med unshare_call "$c")"
	done
} | awk -v pass="$pass" -v unit="$unit" -v rounds="$ROUNDS" -v n="$SETNS_N" '
function ratio(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "-" }
function pct(a, b) { return sprintf("%+.1f", (a / b - 1) * 100) }
$1 == "setns" { c = $2; order[++nc] = c; cpu[c] = $3; sys[c] = $4; dl[c] = $5; ex[c] = $6; ls[c] = $7; kd[c] = $8 }
$1 == "unshare" { c = $2; uorder[++nu] = c; all[c] = $3; call[c] = $4 }
END {
	name["off"] = "bare (module not loaded)"
	name["idle"] = "module idle (no listener)"
	name["empty"] = "nslink, empty handlers (hooks armed)"
	name["listen"] = "nslink + nswatch"
	name["count1"] = "eBPF counter, one hook"
	name["count2"] = "eBPF counter, two hooks"
	name["bpf"] = "bpftrace doing the job"
	c1 = ("count1" in cpu) ? cpu["count1"] - cpu["off"] : 0
	c2 = ("count2" in cpu) ? cpu["count2"] - cpu["off"] : 0
	s1 = ("count1" in sys) ? sys["count1"] - sys["off"] : 0
	s2 = ("count2" in sys) ? sys["count2"] - sys["off"] : 0
	printf "setns round trip (2 transitions), median of %d rounds of %d, %s; caller: %s; system: %s\n", rounds, n, unit,
		pass == "icount" ? "its instructions" : "its CPU time", pass == "icount" ? "all instructions" : "wall-clock time"
	printf "%-38s %8s %8s %9s %6s %6s %8s %8s %9s %6s %6s  %s\n", "", "caller", "added", "/transit.", "x1hook", "x2hook",
		"system", "added", "/transit.", "x1hook", "x2hook", "delivered/made, lost (listener; kernel)"
	for (i = 1; i <= nc; i++) {
		c = order[i]
		a = cpu[c] - cpu["off"]; s = sys[c] - sys["off"]
		ev = (ex[c] != "-") ? sprintf("%d/%d, lost %s; %s", dl[c], ex[c], ls[c], kd[c]) : (dl[c] != "-" ? sprintf("%d (none made), lost %s; %s", dl[c], ls[c], kd[c]) : "-")
		printf "%-38s %8d %+8d %+9.1f %6s %6s %8d %+8d %+9.1f %6s %6s  %s\n", name[c], cpu[c], a, a / 2,
			ratio(a, c1), ratio(a, c2), sys[c], s, s / 2, ratio(s, s1), ratio(s, s2), ev
		printf "BENCH pass=%s bench=setns config=%s caller=%d caller_added=%d caller_per_transition=%.1f caller_pct=%s caller_x_count1=%s caller_x_count2=%s system=%d system_added=%d system_per_transition=%.1f system_pct=%s system_x_count1=%s system_x_count2=%s delivered=%s expected=%s lost=%s kernel_dropped=%s\n",
			pass, c, cpu[c], a, a / 2, pct(cpu[c], cpu["off"]), ratio(a, c1), ratio(a, c2),
			sys[c], s, s / 2, pct(sys[c], sys["off"]), ratio(s, s1), ratio(s, s2), dl[c], ex[c], ls[c], kd[c]
	}
	if (("listen" in cpu) && ("bpf" in cpu))
		printf "nslink + nswatch / bpftrace doing the job: caller %s, system %s\n",
			ratio(cpu["listen"] - cpu["off"], cpu["bpf"] - cpu["off"]), ratio(sys["listen"] - sys["off"], sys["bpf"] - sys["off"])
	printf "fork+unshare(NEWUTS)+exit, median of %d rounds, %s: whole (system) and the unshare call alone (caller)\n", rounds, unit
	for (i = 1; i <= nu; i++) {
		c = uorder[i]
		printf "%-38s %10d %+7.1f %%  %9d %+7.1f %%\n", name[c], all[c], (all[c] / all["off"] - 1) * 100, call[c], (call[c] / call["off"] - 1) * 100
		printf "BENCH pass=%s bench=unshare config=%s system=%d system_pct=%s caller=%d caller_pct=%s\n",
			pass, c, all[c], pct(all[c], all["off"]), call[c], pct(call[c], call["off"])
	}
}'
echo "nswatch loss reports during the listening rounds: $(grep -c lost /tmp/listen.err)"
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
