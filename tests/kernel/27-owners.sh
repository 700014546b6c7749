#!/bin/bash
# Fair sharing's owner table (module/events.c: NSLINK_OWNERS, 64 slots, an
# owner looks at NSLINK_OWNER_PROBES, 8, from its hash, and takes over only
# a slot whose owner's share is whole and has no summary waiting): owners
# that find none count together in the "others" slot, and nothing of
# theirs is lost. With the module loaded with owner_rate=1 owner_burst=1
# (a slot stays taken for a second after each transition sent), 80 uids,
# each in a user namespace of its own, unshare their uts namespace as fast
# as they can for 6 s while root makes 10 transitions (unshare -u true):
# at least one SUMMARY names the "others" owner, the 80 owners' events one
# by one plus what the summaries naming them or "others" count are exactly
# the calls that succeeded (each process counts its own), and every one of
# root's transitions arrives as an event.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

W=$(mktemp -d)
chmod 755 "$W"
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
RATE=1 BURST=1
N=80		# more owners than the table's 64 slots
UID0=20000	# the owners: uids 20000 to 20079
R=10		# root's transitions

check "insmod nslink.ko owner_rate=$RATE owner_burst=$BURST" load_module owner_rate=$RATE owner_burst=$BURST
check "nswatch -j receives events" start_watch "$W/ev"
st0=$(stats_json)
SEQ0=$(jq .seq <<<"$st0")

# root_unshares FILE N: N transitions of root, one after the other
# (unshare -u true), their pids appended to FILE.
root_unshares() {
	local i
	for i in $(seq "$2"); do
		unshare -u true &
		echo $! >> "$1"
		wait $!
	done
}

# The flood, as SCHED_IDLE: 80 floods at nice 19 would still leave root's
# forks and execs (nice 0) about half of the two vCPUs. It goes on for
# 6 s, or until 1 s after root's transitions if that is later (SIGUSR1),
# or at its own limit, 6 + slow(40) s.
t0=$(date +%s%N)
chrt --idle 0 "$HELPER" owners-flood $N $UID0 $((6 + $(slow 40))) uts > "$W/flood" 2> "$W/flood.err" &
F=$!
for i in $(seq $(slow 300)); do
	grep -q "^started $N\$" "$W/flood" && break
	kill -0 $F 2>/dev/null || break
	sleep 0.1
done
check "$N owners (uids $UID0 to $((UID0 + N - 1))), each in a user namespace of its own, flood" \
	grep -q "^started $N\$" "$W/flood"
sleep 1
: > "$W/root.pids"
root_unshares "$W/root.pids" $R
sleep 1
check "root's $R transitions were made while the owners flooded" \
	eval '! grep -q "^ok " "$W/flood"'
while [ $(( $(date +%s%N) - t0 )) -lt 6000000000 ]; do sleep 0.2; done
kill -USR1 $F 2>/dev/null
wait $F
elapsed=$(( ($(date +%s%N) - t0 + 999999999) / 1000000000 ))
cat "$W/flood.err"
read -r _ ok _ failed < <(grep '^ok ' "$W/flood")
check_eq "each of the $N owners counted its calls" $N "$(grep -c '^uid ' "$W/flood")"
check "the floods succeeded (${ok:-?} calls succeeded, ${failed:-?} failed, in $elapsed s)" \
	test -n "$ok" -a "${failed:-1}" = 0
WANT=${ok:-0}

# Until GET_STATS's seq stands still and the listener has reached it.
settle "$W/ev"
check_eq "GET_STATS's seq stood still and the listener reached it (seq $SEQ, listener $LAST)" \
	yes "$SETTLED"
st1=$(stats_json)

# One pass of jq over what came after SEQ0: the owners' events; the
# summaries naming one of them (count, how many, how many owners), those
# of "others" (count, how many), those of any other owner; summaries whose
# reasons do not add up to their count; loss records; root's unshares.
read -r ev named nnamed nowners others nothers stray bad lost rootpids < <(
	jq -rn --argjson s0 "$SEQ0" --argjson u0 $UID0 --argjson u1 $((UID0 + N)) '
	reduce inputs as $l ({ev: 0, named: 0, nn: 0, owners: {}, others: 0, no: 0,
			      stray: 0, bad: 0, lost: 0, root: []};
		if $l | has("lost") then .lost += 1
		elif ($l.seq // 0) <= $s0 then .
		elif $l.summary == true then
			.bad += (if (($l.reasons // {}) | [.[]] | add) == $l.count then 0 else 1 end) |
			if $l.owner.kind == "others" then .others += $l.count | .no += 1
			elif $l.owner.kind == "uid" and $l.owner.uid >= $u0 and $l.owner.uid < $u1 then
				.named += $l.count | .nn += 1 | .owners[$l.owner.uid | tostring] = 1
			else .stray += 1 end
		elif $l.reason == null then .
		elif $l.uid >= $u0 and $l.uid < $u1 then .ev += 1
		elif $l.uid == 0 and $l.reason == "unshare" then .root += [$l.pid]
		else . end)
	| "\(.ev) \(.named) \(.nn) \(.owners | length) \(.others) \(.no) \(.stray) \(.bad) \(.lost) \(.root | map(tostring) | join(",") | if . == "" then "-" else . end)"' "$W/ev")
echo "the owners' events one by one ${ev:-?}; summaries naming one of them ${nnamed:-?} (for ${nowners:-?} owners) counting ${named:-?}; summaries of \"others\" ${nothers:-?} counting ${others:-?}; lines $(grep -c . "$W/ev")"
check "at least one summary names the owner \"others\" (${nothers:-?})" test "${nothers:-0}" -ge 1
check "summaries name some of the owners too (${nowners:-?} of them)" test "${nowners:-0}" -ge 1
check_eq "no summary names an owner that did not flood" 0 "${stray:-?}"
check_eq "the owners' events one by one ($ev) + counted in summaries naming them ($named) or \"others\" ($others) = the calls that succeeded" \
	"$WANT" "$(( ${ev:-0} + ${named:-0} + ${others:-0} ))"
check_eq "each summary's reasons add up to its count" 0 "${bad:-?}"
missing=
for p in $(cat "$W/root.pids"); do
	[[ ,$rootpids, == *,$p,* ]] || missing+=" $p"
done
check_eq "all $R of root's transitions arrived as events (pids missing)" "" "$missing"
errs=$(grep -Eci 'lost|overrun' "$W/ev.err")
check_eq "no loss, neither a record ({\"lost\":...}) nor a word on stderr" "0 0" "${lost:-?} $errs"
check_eq "GET_STATS: nothing dropped" "$(jq .dropped <<<"$st0")" "$(jq .dropped <<<"$st1")"
check_eq "GET_STATS: summarized meanwhile = what the summaries counted" \
	"$(( ${named:-0} + ${others:-0} ))" "$(( $(jq '.summarized // 0' <<<"$st1") - $(jq '.summarized // 0' <<<"$st0") ))"

kill $WATCH_PID 2>/dev/null
wait $WATCH_PID 2>/dev/null
check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
