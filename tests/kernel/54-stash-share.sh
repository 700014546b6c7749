#!/bin/bash
# The stash share (module/hooks.c, "Stashes"; nslink.h, "Fair sharing"): an
# owner whose tasks hold NSLINK_STASH_SHARE (32) stashes of the pool has
# its further calls of unshare/setns counted in its own summary with cause
# "stash", exactly, and nobody else's calls are touched.
#
# Holding 32 takes tasks asleep inside the call, which no unprivileged user
# was found to manage (a ptrace stop at the exit of the call comes after the
# task_works: ptrace_notify() runs them first). Root sets a trap instead:
# an autofs direct mount whose daemon never answers, bound over "/" in a
# mount namespace of its own, with a pending request (nshelper
# autofs-trap). A setns into that namespace goes down the mounts on "/"
# (mntns_install()'s LOOKUP_DOWN) to the autofs root, and sleeps there
# (autofs_wait(), killable) with its stash held. The owner is uid 4242,
# given CAP_SYS_ADMIN and CAP_SYS_CHROOT for the setns only (its owner is
# still its uid). First 600 tasks of nobody, each past a failed setns, hold
# most of the 256 fast slots, so that most calls go to the pool, where the
# share applies; then 80 tasks of uid 4242 go to sleep in that setns: 32
# hold pool stashes, those that found a fast slot free hold that, and the
# rest are counted in a summary (cause stash). Then:
#  - 100 tasks of uid 4242 (all alive at once) each unshare their user
#    namespace: the events one by one of uid 4242 plus what its summaries
#    count are the 100 calls, every such summary says "stash" and only
#    that, and at least one came;
#  - meanwhile root's, uid 4343's and nobody's unshares all arrive as
#    events, and nothing is dropped;
#  - once the 80 are killed, uid 4242's next 20 calls are all events again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

W=$(mktemp -d)
chmod 755 "$W"
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
OWNER=4242 OTHER=4343 NOBODY=65534
HOLD=600	# tasks of nobody holding fast slots
S=80		# tasks of the owner asleep in setns
K=100		# the owner's calls past its share

as_uid() { local u=$1; shift; setpriv --reuid=$u --regid=$u --clear-groups -- "$@"; }

check "insmod nslink.ko" load_module
check "nswatch -j receives events" start_watch "$W/ev"

# settle: until GET_STATS's seq stands still and the listener has reached
# it (a summary comes about 100 ms after the first call it counts); sets
# SEQ to that seq.
settle() {
	local i s l prev=
	for i in $(seq $(slow 60)); do
		sleep 1
		s=$(stats_json | jq .seq)
		l=$(tail -n 50 "$W/ev" | jq -r '.seq // empty' 2>/dev/null | sort -n | tail -1)
		if [ -n "$s" ] && [ "$s" = "$prev" ] && [ "${l:-0}" -ge "$s" ]; then
			SEQ=$s
			return 0
		fi
		prev=$s
	done
	echo "GET_STATS's seq ${s:-?}, the listener's last ${l:-none}"
	return 1
}

# The trap.
modprobe autofs4 2>/dev/null
mkdir "$W/trap"
"$HELPER" autofs-trap "$W/trap" > "$W/trap.out" 2> "$W/trap.err" &
TRAP=$!
for i in $(seq $(slow 100)); do
	grep -q '^pending ' "$W/trap.out" && break
	kill -0 $TRAP 2>/dev/null || break
	sleep 0.1
done
check "root's autofs trap has a request pending (its daemon never answers)" grep -q '^pending ' "$W/trap.out"
cat "$W/trap.err"

# The fast slots, as 51-stash-hold holds them.
as_nobody "$HELPER" hold-failed $HOLD > "$W/hold" 2>&1 &
HOLDER=$!
for i in $(seq $(slow 1200)); do
	grep -q "^held $HOLD\$" "$W/hold" && break
	kill -0 $HOLDER 2>/dev/null || break
	sleep 0.1
done
check "nobody's $HOLD tasks each failed a setns and sleep (holding fast slots)" grep -q "^held $HOLD\$" "$W/hold"

# The owner's sleepers.
"$HELPER" setns-sleep /proc/$TRAP/ns/mnt $OWNER $S > "$W/sleepers" 2> "$W/sleepers.err" &
SLEEPERS=$!
# asleep: how many of the sleepers wait in autofs, inside their setns.
asleep() {
	local p n=0
	for p in $(cat "$W/sleepers"); do
		[[ $(cat /proc/$p/wchan 2>/dev/null) == autofs* ]] && n=$((n + 1))
	done
	echo $n
}
for i in $(seq $(slow 600)); do
	[ "$(asleep)" = $S ] && break
	kill -0 $SLEEPERS 2>/dev/null || break
	sleep 0.1
done
check_eq "uid $OWNER's $S tasks are asleep inside setns (in autofs)" $S "$(asleep)"
cat "$W/sleepers.err"
# owner_sums FILTER: "COUNT N" of the owner's summaries that FILTER
# selects (its seq is .seq).
owner_sums() {
	jq -rn --argjson u $OWNER "[inputs | select(.summary == true and .owner.kind == \"uid\" and .owner.uid == \$u) | select($1)]
		| \"\(map(.count) | add // 0) \(length)\"" "$W/ev"
}
# stash_summary: a summary for the owner with cause stash is in the file
# (grep: nswatch writes its members in this order; jq each 0.1 s is slow).
stash_summary() {
	local i
	for i in $(seq $(slow 100)); do
		grep -Eq '^\{"summary":true,.*"owner":\{"kind":"uid","uid":'$OWNER'\},.*"causes":\[[^]]*"stash"' "$W/ev" &&
			return 0
		sleep 0.1
	done
	return 1
}
check "a summary for uid $OWNER with cause stash came (its sleepers past its share)" stash_summary
check "GET_STATS's seq settles" settle
SEQ0=$SEQ
read -r c n < <(owner_sums true)
echo "uid $OWNER's sleepers: ${c:-?} of $S counted in ${n:-?} summaries (the rest hold a stash: 32 in the pool, and fast slots)"
check "at least 32 of the $S sleepers' calls were followed, not counted ($((S - ${c:-0})))" \
	test $((S - ${c:-0})) -ge 32
st0=$(stats_json)

# The owner's K calls past its share, and meanwhile root's, another
# user's and nobody's.
as_uid $OWNER "$HELPER" fork-unshare $K user > "$W/k" 2> "$W/k.err" &
KP=$!
: > "$W/root.pids"; : > "$W/other.pids"; : > "$W/nobody.pids"
for i in 1 2 3 4 5; do
	unshare -u true &
	echo $! >> "$W/root.pids"
	wait $!
	as_uid $OTHER "$HELPER" unshare-loop 1 user >> "$W/other.pids"
	as_nobody "$HELPER" unshare-loop 1 user >> "$W/nobody.pids"
done
wait $KP
cat "$W/k.err"
check_eq "uid $OWNER's $K tasks each unshared its user namespace" "ok $K failed 0" "$(cat "$W/k")"
check "GET_STATS's seq settles" settle
st1=$(stats_json)

# What came after SEQ0: the owner's events, its summaries (count, how
# many, those whose causes are not exactly ["stash"], those whose reasons
# do not add up), loss records, and the pids of everyone else's unshares.
read -r ev sum nsum notstash bad lost < <(jq -rn --argjson s0 "$SEQ0" --argjson u $OWNER '
	reduce inputs as $l ({ev: 0, sum: 0, n: 0, ns: 0, bad: 0, lost: 0};
		if $l | has("lost") then .lost += 1
		elif ($l.seq // 0) <= $s0 then .
		elif $l.summary == true then
			if $l.owner.kind == "uid" and $l.owner.uid == $u then
				.sum += $l.count | .n += 1 |
				.ns += (if $l.causes == ["stash"] then 0 else 1 end) |
				.bad += (if (($l.reasons // {}) | [.[]] | add) == $l.count then 0 else 1 end)
			else . end
		elif $l.uid == $u and $l.reason == "unshare" then .ev += 1
		else . end)
	| "\(.ev) \(.sum) \(.n) \(.ns) \(.bad) \(.lost)"' "$W/ev")
echo "uid $OWNER's $K calls: events one by one ${ev:-?}, summaries ${nsum:-?} counting ${sum:-?}"
check "at least one summary for uid $OWNER came for them (${nsum:-?})" test "${nsum:-0}" -ge 1
check_eq "each says cause stash, and only that (summaries that do not)" 0 "${notstash:-?}"
check_eq "uid $OWNER's events one by one (${ev:-?}) + counted in its summaries (${sum:-?}) = its $K calls" \
	$K "$(( ${ev:-0} + ${sum:-0} ))"
check_eq "each summary's reasons add up to its count" 0 "${bad:-?}"
# arrived WHO FILE: every pid of FILE has an unshare event after SEQ0.
PIDS=,$(jq -r "select(.seq > $SEQ0 and .reason == \"unshare\") | .pid" "$W/ev" | paste -sd,),
arrived() {
	local p missing=
	for p in $(cat "$2"); do
		[[ $PIDS == *,$p,* ]] || missing+=" $p"
	done
	check_eq "meanwhile $1's $(grep -c . "$2") unshares all arrived as events (pids missing)" "" "$missing"
}
arrived root "$W/root.pids"
arrived "uid $OTHER" "$W/other.pids"
arrived nobody "$W/nobody.pids"
check_eq "no loss record" 0 "${lost:-?}"
check_eq "GET_STATS: nothing dropped" "$(jq .dropped <<<"$st0")" "$(jq .dropped <<<"$st1")"

# The sleepers go (SIGKILL wakes them): the owner's share is whole again.
kill $SLEEPERS; wait $SLEEPERS 2>/dev/null
for i in $(seq $(slow 100)); do
	[ "$(asleep)" = 0 ] && break
	sleep 0.1
done
check_eq "uid $OWNER's sleepers are gone" 0 "$(asleep)"
check "GET_STATS's seq settles" settle
SEQ1=$SEQ
as_uid $OWNER "$HELPER" fork-unshare 20 user > "$W/k2" 2>&1
check_eq "uid $OWNER's next 20 tasks each unshared its user namespace" "ok 20 failed 0" "$(cat "$W/k2")"
check "GET_STATS's seq settles" settle
read -r c n < <(owner_sums ".seq > $SEQ1")
check_eq "none of them is counted in a summary (count, summaries)" "0 0" "${c:-?} ${n:-?}"
check_eq "all 20 arrive as events" 20 \
	"$(jq -c "select(.seq > $SEQ1 and .uid == $OWNER and .reason == \"unshare\")" "$W/ev" | grep -c .)"

kill $HOLDER $TRAP 2>/dev/null
wait $HOLDER $TRAP 2>/dev/null
kill $WATCH_PID 2>/dev/null
wait $WATCH_PID 2>/dev/null
check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
