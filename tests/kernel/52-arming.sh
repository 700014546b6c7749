#!/bin/bash
# Who can arm the hooks: only a join the kernel grants in the initial
# network namespace, where events are sent. A refused join by an
# unprivileged user, retried, arms nothing; the root of a container that
# joins the group in its own network namespace (genetlink lets it) arms
# nothing, and does not keep them armed once the real listener is gone.
# Until 2026-12-04 the first armed the hooks for 10 s per try, and the
# second kept them armed, and every event built, for as long as it stayed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

W=$(mktemp -d)
chmod 755 "$W"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT

check "insmod nslink.ko" load_module
grp=$(events_group)
check_eq "loaded, nobody listening: only genl_bind is hooked" "genl_bind " "$(hooked)"

armed=
for i in 1 2 3 4 5; do
	out=$(as_nobody "$HELPER" join "$grp")
	[ "$out" = EPERM ] || fail "nobody's join was not refused: $out"
	sleep 0.2
	[ "$(hooked)" = "genl_bind " ] || armed="$armed $i"
done
check_eq "nobody's refused joins, five in a row, arm nothing" "" "$armed"

as_nobody unshare -Urn "$HELPER" join-hold "$grp" > "$W/ctr" 2>&1 & ctr=$!
for i in $(seq $(slow 100)); do grep -q . "$W/ctr" && break; sleep 0.1; done
check_eq "a container's root joins in its own netns" joined "$(cat "$W/ctr")"
sleep 1
check_eq "and arms nothing" "genl_bind " "$(hooked)"

check "a real listener (root, initial netns) receives events" start_watch "$W/ev"
check_match "and armed the hooks" "ksys_unshare" "$(hooked)"
kill $WATCH_PID; wait $WATCH_PID 2>/dev/null
# The container's member stays; transitions go on. Once the real
# listener's join is 10 s old, an event that reaches nobody disarms.
for i in $(seq $(slow 100)); do
	[ "$(hooked)" = "genl_bind " ] && break
	unshare -u true
	sleep 0.5
done
check_eq "the real listener gone, the container's member keeps nothing armed" "genl_bind " "$(hooked)"
e1=$(stats_json | jq .emitted)
for i in 1 2 3; do unshare -u true; done
sleep 0.5
check_eq "and no event is built for it" "$e1" "$(stats_json | jq .emitted)"
check "a new real listener still receives events" start_watch "$W/ev2"
kill $WATCH_PID $ctr; wait $WATCH_PID $ctr 2>/dev/null

check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
