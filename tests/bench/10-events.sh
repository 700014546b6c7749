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
# included) per round trip. That pass also runs the peer, with the module
# unloaded: bpftrace doing nswatch's job for setns the eBPF way (fentry on
# the setns entry and on perf_event_namespaces, the eight old inodes as a
# tuple in a hash map keyed by thread, a printf of old and new), and
# bpftrace merely counting calls of one function, the floor of any eBPF
# hook; then nslink's added instructions as a ratio of each.
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

# The peer's two programs (bpftrace 0.17: kfunc is fentry).
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
echo 'kfunc:perf_event_namespaces { @calls = count(); }' > /tmp/peer-count.bt
configs="off idle listen"
if [ "$clock" = icount ]; then
	if ! command -v bpftrace >/dev/null; then
		echo "the eBPF peer is left out: bpftrace is missing (tests/deps.sh installs it)"
	elif [ ! -e /sys/kernel/btf/vmlinux ]; then
		echo "the eBPF peer is left out: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	else
		configs+=" bpf count"
	fi
fi
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
ip netns add benchb || exit 1
declare -A setns setns_cpu unshare_all unshare_call
wpid= peer_lines=
for r in $(seq "$ROUNDS"); do
	for c in $configs; do
		case $c in
		off|bpf|count) loaded && rmmod nslink ;;
		*) loaded || insmod "$KO" || exit 1 ;;
		esac
		case $c in
		listen)
			"$NSWATCH" > /dev/null 2>> /tmp/listen.err &
			wpid=$!
			sleep 0.5
			;;
		bpf) start_peer /tmp/peer-job.bt ;;
		count) start_peer /tmp/peer-count.bt ;;
		esac
		read -r wall cpu < <("$B" setns "$SETNS_N" /run/netns/benchb)
		setns[$c]+="$wall " setns_cpu[$c]+="$cpu "
		# The peer follows setns only: no unshare figures for it.
		if [ "$c" != bpf ] && [ "$c" != count ]; then
			read -r all call < <("$B" unshare "$UNSHARE_N")
			unshare_all[$c]+="$all " unshare_call[$c]+="$call "
		fi
		if [ -n "$wpid" ]; then
			kill -INT "$wpid"
			wait "$wpid" 2>/dev/null
			wpid=
		fi
		[ "$c" = bpf ] && peer_lines+="$(grep -c ' setns ' /tmp/peer.out) "
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
	if [[ $configs == *bpf* ]]; then
		med() { local -n a_=$1; tr ' ' '\n' <<<"${a_[$2]}" | grep . | median; }
		for arr in setns_cpu setns; do
			[ $arr = setns_cpu ] && what=caller || what=system
			awk -v w=$what -v o="$(med $arr off)" -v l="$(med $arr listen)" \
			    -v b="$(med $arr bpf)" -v c="$(med $arr count)" 'BEGIN {
				printf "setns round trip, %s: instructions added by nslink + nswatch %+d, bpftrace doing the same job %+d, bpftrace counting one function %+d\n",
					w, l - o, b - o, c - o
				printf "  ratio nslink/bpftrace same job %.2f, nslink/bpftrace counter %.2f (the counter alone: %+.1f %% of the bare round trip)\n",
					(l - o) / (b - o), (l - o) / (c - o), (c / o - 1) * 100 }'
		done
		echo "bpftrace printed $(tr ' ' '\n' <<<"$peer_lines" | grep . | median) of the $((2 * SETNS_N)) transitions of a round (median)"
	fi
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
