#!/bin/bash
# An unprivileged user cannot blind the stream by holding what the hooks
# keep for a task between the entry of unshare/setns and its end (a
# "stash"): a failed setns leaves nothing behind once it returns, nor when
# ptrace stops the task at the exit of the call (the kernel runs task_works
# before that stop). Until 2026-12-04, 600 tasks of nobody that each failed
# one setns(-1, 0), stopped there or not, hid every other transition of
# the host.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

W=$(mktemp -d)
chmod 755 "$W"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
N=600	# more than every stash there ever was (512)

check "insmod nslink.ko" load_module
check "nswatch -j receives events" start_watch "$W/ev"

# hold MODE: N tasks of nobody, each past a failed setns; sets HOLDER.
hold() {
	local i
	as_nobody "$HELPER" "$1" $N > "$W/hold" 2>&1 &
	HOLDER=$!
	for i in $(seq $(slow 1200)); do
		grep -q "^held $N\$" "$W/hold" && return 0
		kill -0 $HOLDER 2>/dev/null || break
		sleep 0.1
	done
	cat "$W/hold"
	return 1
}
# reported WHO TYPES: a task of WHO (root or nobody) unshares TYPES; is it
# in the stream?
reported() {
	local pid
	if [ "$1" = root ]; then
		pid=$("$HELPER" unshare-loop 1 "$2")
	else
		pid=$(as_nobody "$HELPER" unshare-loop 1 "$2")
	fi
	wait_for "$W/ev" ".pid == $pid and .reason == \"unshare\"" 5
}
dropped() { stats_json | jq '"\(.dropped) \(.summarized)"'; }

check "nobody's $N tasks each failed a setns and sleep" hold hold-failed
check "root's unshare is still reported" reported root uts
check "nobody's own unshare is still reported" reported nobody user
kill $HOLDER; wait $HOLDER 2>/dev/null

check "nobody's $N tasks are each stopped by ptrace at the exit of a failed setns" hold hold-ptraced
check "root's unshare is still reported" reported root uts
d0=$(dropped)
check "another user's (uid 4242) unshare is still reported" \
	eval 'pid=$(setpriv --reuid=4242 --regid=4242 --clear-groups -- "$HELPER" unshare-loop 1 user) &&
	      wait_for "$W/ev" ".pid == $pid and .reason == \"unshare\"" 5'
check "nobody's own unshare is still reported" reported nobody user
check_eq "no transition was dropped or summarized (dropped, summarized)" "$d0" "$(dropped)"
kill $HOLDER; wait $HOLDER 2>/dev/null

kill $WATCH_PID; wait $WATCH_PID 2>/dev/null
check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
