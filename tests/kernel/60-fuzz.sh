#!/bin/bash
# The generic netlink fuzzer (tests/fuzz/nlfuzz.c): NSLINK_FUZZ_COUNT
# messages (default 100000) as root, then as nobody. Pass: every check the
# fuzzer makes holds (outcomes the contract decides, well-formed answers,
# counters), the module still answers GET_INFO, nothing in the kernel log,
# and rmmod works. NSLINK_FUZZ_SEED replays a run.
. "$(dirname "$0")/../lib.sh"

NLFUZZ=$TOP/tests/fuzz/nlfuzz
COUNT=${NSLINK_FUZZ_COUNT:-100000}
SEED=${NSLINK_FUZZ_SEED:-}

# Built on the host by tests/check (make fuzz-build); compiling under TCG is
# slow, but better than not running.
if [ ! -x "$NLFUZZ" ] || [ "$NLFUZZ" -ot "$TOP/tests/fuzz/nlfuzz.c" ]; then
	echo "building the fuzzer inside the VM (run 'make fuzz-build' first to save time)"
	make -s -C "$TOP" fuzz-build || { fail "build tests/fuzz/nlfuzz"; finish; }
fi

# The fuzzer's own CHECK lines become this test's PASS/FAIL lines.
report() {	# WHO OUTPUT
	local who=$1 line
	while IFS= read -r line; do
		case $line in
		"CHECK ok: "*) pass "$who: ${line#CHECK ok: }" ;;
		"CHECK FAIL: "*) fail "$who: ${line#CHECK FAIL: }" ;;
		esac
	done <<< "$2"
}

stat_of() {	# KEY STATS-LINE
	sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<< "$2"
}

check "insmod nslink.ko" load_module
version=$(cat /sys/module/nslink/version)

# As root.
start=$(date +%s)
out=$("$NLFUZZ" --count "$COUNT" ${SEED:+--seed "$SEED"} 2>&1)
rc=$?
printf '%s\n' "$out"
echo "root run took $(( $(date +%s) - start )) s"
report root "$out"
check_eq "nlfuzz as root: exit status" 0 "$rc"
# Every command of the contract, both modes of GET_TASKS and unknown
# numbers each got a fair share (0.5 % of the messages at least).
min=$((COUNT / 200))
for c in 'UNSPEC\(0\)' GET_INFO GET_STATS 'GET_TASKS ' 'GET_TASKS \(dump\)' EVENT SUBSCRIBE INJECT 'unknown\(7-255\)'; do
	n=$(grep -E "^$c" <<< "$out" | head -1 | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) { print $i; exit } }')
	check "root: ${c//\\/} got at least $min messages (${n:-0})" test "${n:-0}" -ge "$min"
done

# As nobody, with a throwaway netns made by root among its targets: it
# must get EPERM for it. GET_STATS is privileged, so the counters are
# compared here, around the run.
ip netns add nlfuzz-nobody
before=$("$NLFUZZ" --print-stats 2>&1)
start=$(date +%s)
out=$(as_nobody "$NLFUZZ" --expect-unprivileged --netns /run/netns/nlfuzz-nobody \
	--count "$COUNT" ${SEED:+--seed "$SEED"} 2>&1)
rc=$?
printf '%s\n' "$out"
echo "nobody run took $(( $(date +%s) - start )) s"
after=$("$NLFUZZ" --print-stats 2>&1)
report nobody "$out"
check_eq "nlfuzz as nobody: exit status" 0 "$rc"
acked=$(sed -n 's/^acked-uevents: //p' <<< "$out")
if grep -q '^stats ' <<< "$before"; then
	check_eq "nobody: stats-injected grew by the uevents nobody got acknowledged" \
		"${acked:-?}" "$(( $(stat_of injected "$after") - $(stat_of injected "$before") ))"
	check "nobody: stats-seq did not go backwards" \
		test "$(stat_of seq "$after")" -ge "$(stat_of seq "$before")"
	check "nobody: stats-emitted did not go backwards" \
		test "$(stat_of emitted "$after")" -ge "$(stat_of emitted "$before")"
else
	echo "counters around the nobody run skipped: $before"
fi
ip netns delete nlfuzz-nobody

out=$("$NSWATCH" --info 2>&1)
check_match "nswatch --info still answers after the fuzzing" "module version: $version" "$out"
check "no warning in the kernel log" kernel_log_clean
check "rmmod nslink after the fuzzing" rmmod nslink
finish
