#!/bin/bash
# How nswatch ends when its output does, with the module loaded (the
# shared write path itself is tested without it in tests/unit/test_out.c
# and check-cli): a reader gone away (`| head -1`, also during
# --snapshot and while no event comes) is status 0 and quiet; SIGINT or
# SIGTERM while a write is blocked on a full pipe is status 0; --stats and
# --info into /dev/full name the error and fail with 4 (nswatch(8)).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT

# appears FILE SECONDS [CMD...]: FILE is non-empty within SECONDS, CMD
# run meanwhile (to make events).
appears() {
	local file=$1 secs=$2 i
	shift 2
	for i in $(seq $(( secs * 10 * SLOW ))); do
		[ -s "$file" ] && return 0
		[ $# -gt 0 ] && "$@" > /dev/null 2>&1
		sleep 0.1
	done
	return 1
}

check "insmod nslink.ko" load_module

# A reader gone: head takes one line and goes; no event comes after it,
# yet nswatch sees its pipe's reader gone and ends, 0, quiet.
( "$NSWATCH" -j 2> "$W/e1" | head -1 > "$W/o1"; echo "${PIPESTATUS[0]}" > "$W/rc1" ) &
check "nswatch -j | head -1: head got a line" appears "$W/o1" 10 unshare -u true
check "nswatch -j | head -1: the pipeline ends with no further event" appears "$W/rc1" 3
check_eq "nswatch -j | head -1: nswatch's status is 0" 0 "$(cat "$W/rc1")"
check_eq "nswatch -j | head -1: nothing on stderr" "" "$(cat "$W/e1")"

# During --snapshot (was 141, SIGPIPE).
"$NSWATCH" -j --snapshot 2> "$W/e2" | head -1 > /dev/null; rc=${PIPESTATUS[0]}
check_eq "nswatch -j --snapshot | head -1: status 0, not SIGPIPE's 141" 0 "$rc"
check_eq "nswatch -j --snapshot | head -1: nothing on stderr" "" "$(cat "$W/e2")"

# SIGINT/SIGTERM while blocked writing into a pipe nobody reads.
for sig in INT TERM; do
	rm -f "$W/fifo"; mkfifo "$W/fifo"
	sleep 1000 < "$W/fifo" & holder=$!
	"$NSWATCH" -j --exit > "$W/fifo" 2> "$W/e3" & wpid=$!
	"$HELPER" unshare-loop 100000000 uts > /dev/null & storm=$!
	blocked=1
	for i in $(seq $(slow 100)); do
		grep -qs pipe_write "/proc/$wpid/wchan" "/proc/$wpid/stack" && { blocked=0; break; }
		sleep 0.1
	done
	check "SIG$sig: nswatch is blocked writing to the full pipe" test $blocked = 0
	kill -$sig $wpid
	check "SIG$sig while blocked in a write: nswatch ends within 3 s" ended $wpid 3
	check_eq "SIG$sig while blocked in a write: status 0" 0 "$STATUS"
	check "SIG$sig while blocked in a write: no error on stderr" \
		bash -c "! grep -Ev 'lost|overrun' '$W/e3' | grep -q ."
	kill $storm $holder; wait $storm $holder 2>/dev/null
done

# The one-shot commands: a write error named, a gone reader quiet.
for opt in --stats --info; do
	out=$("$NSWATCH" $opt 2>&1 > /dev/full); rc=$?
	check_eq "nswatch $opt >/dev/full: status 4" 4 "$rc"
	check_eq "nswatch $opt >/dev/full: the error named" \
		"nswatch: write error on standard output: No space left on device" "$out"
	"$NSWATCH" $opt 2> "$W/e4" | head -c1 > /dev/null; rc=${PIPESTATUS[0]}
	check_eq "nswatch $opt | head -c1: status 0" 0 "$rc"
	check_eq "nswatch $opt | head -c1: nothing on stderr" "" "$(cat "$W/e4")"
done

check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
