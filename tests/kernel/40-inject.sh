#!/bin/bash
# Injection into netns A, judged by real receivers: udevadm monitor in A
# gets exactly the injected properties plus SEQNUM, monitors in the host
# and in netns B get nothing, /sys/kernel/uevent_seqnum rises by one per
# event and matches the reply; targets by name, path and pid; the exact
# 2048-byte boundary; every refusal with its message; batches never
# half-sent; a real udevadm capture replays; permission.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"
only_with_injection

check "build the test helpers" build_helpers
check "insmod nslink.ko" load_module
check_match "GET_INFO lists the inject feature" '^features: .*inject' "$("$NSWATCH" --info)"
ip netns add A && ip netns add B

check "udevadm monitor in A listens" start_monitor MA "$W/monA" ip netns exec A
check "udevadm monitor in B listens" start_monitor MB "$W/monB" ip netns exec B
check "udevadm monitor in the host listens" start_monitor MH "$W/monH" env
check "raw listener in A listens" start_receiver LA "$W/lisA" ip netns exec A "$W/uevent-listen" -x -t $((60000 * SLOW))

# One event, by name.
before=$(seqnum)
out=$("$NSINJECT" -v --netns A add /devices/virtual/nslink/t0 SUBSYSTEM=nslink-test FOO=bar 'SPACE=a b' EMPTY=)
check_eq "nsinject -n NAME exits 0" 0 $?
after=$(seqnum)
check_eq "uevent_seqnum rose by exactly one" $((before + 1)) "$after"
check_eq "-v prints the SEQNUM the module assigned, and the header" "$after add@/devices/virtual/nslink/t0" "$out"
check "udevadm monitor in A printed the event" wait_for "$W/monA" '^SEQNUM='"$after"'$'
check_eq "udevadm in A: exactly the injected properties, plus SEQNUM" \
"ACTION=add
DEVPATH=/devices/virtual/nslink/t0
SUBSYSTEM=nslink-test
FOO=bar
SPACE=a b
SEQNUM=$after" "$(monitor_block "$W/monA" /devices/virtual/nslink/t0 | grep -v '^EMPTY=')"
check "raw listener in A got it" wait_for "$W/lisA" "seqnum=$after "
line=$(grep "seqnum=$after " -A1 "$W/lisA")
check_match "A: the bytes are the kernel format, SEQNUM last" \
	"bytes=add@/devices/virtual/nslink/t0\\|ACTION=add\\|DEVPATH=/devices/virtual/nslink/t0\\|SUBSYSTEM=nslink-test\\|FOO=bar\\|SPACE=a b\\|EMPTY=\\|SEQNUM=$after\\|\$" "$line"
check_match "A: from portid 0 with uid 0, gid 0, pid 0, as a kernel uevent" \
	'^portid=0 uid=0 gid=0 pid=0 ' "$line"

# Isolation: a sentinel into the host and into B comes after anything the
# event could have left there (each socket's queue is in order).
"$NSINJECT" add /devices/virtual/nslink/sentinel-host SUBSYSTEM=nslink-test
"$NSINJECT" -n B add /devices/virtual/nslink/sentinel-b SUBSYSTEM=nslink-test
check "host monitor got the host sentinel" wait_for "$W/monH" 'sentinel-host'
check "B monitor got the B sentinel" wait_for "$W/monB" 'sentinel-b'
check_eq "host monitor: nothing injected into A" 0 "$(grep -c 'nslink/t0' "$W/monH")"
check_eq "B monitor: nothing injected into A" 0 "$(grep -c 'nslink/t0' "$W/monB")"
check_eq "A monitor: nothing injected into the host or B" 0 "$(grep -c sentinel "$W/monA")"

# Targets by path and by pid.
out=$("$NSINJECT" -v -n /run/netns/A change /devices/virtual/nslink/t1 SUBSYSTEM=nslink-test)
check_eq "nsinject -n PATH exits 0" 0 $?
s=${out%% *}
check "by path: A received SEQNUM $s" wait_for "$W/monA" "^SEQNUM=$s\$"
out=$("$NSINJECT" -v -p "$MA" remove /devices/virtual/nslink/t1 SUBSYSTEM=nslink-test)
check_eq "nsinject -p PID exits 0" 0 $?
s=${out%% *}
check "by pid: A received SEQNUM $s" wait_for "$W/monA" "^SEQNUM=$s\$"
out=$(ip netns exec A "$NSINJECT" -v bind /devices/virtual/nslink/t1 SUBSYSTEM=nslink-test)
check_eq "without a target: nsinject's own netns (run in A)" 0 $?
s=${out%% *}
check "own netns: A received SEQNUM $s" wait_for "$W/monA" "^SEQNUM=$s\$"

# A batch from a file: consecutive SEQNUMs, each as the monitor saw it.
cat > "$W/three" <<'EOF'
ACTION=add
DEVPATH=/devices/virtual/nslink/b1
SUBSYSTEM=nslink-test

ACTION=online
DEVPATH=/devices/virtual/nslink/b2
SUBSYSTEM=nslink-test

ACTION=unbind
DEVPATH=/devices/virtual/nslink/b3
SUBSYSTEM=nslink-test
DRIVER=x
EOF
before=$(seqnum)
out=$("$NSINJECT" -v -n A -f "$W/three")
check_eq "a batch of three: exit 0" 0 $?
check_eq "a batch of three: uevent_seqnum rose by 3" $((before + 3)) "$(seqnum)"
check_eq "a batch of three: -v lines" \
"$((before + 1)) add@/devices/virtual/nslink/b1
$((before + 2)) online@/devices/virtual/nslink/b2
$((before + 3)) unbind@/devices/virtual/nslink/b3" "$out"
check "a batch of three: A saw the last one" wait_for "$W/monA" "^SEQNUM=$((before + 3))\$"
check_eq "a batch of three: A saw b2 with its SEQNUM" "SEQNUM=$((before + 2))" \
	"$(monitor_block "$W/monA" /devices/virtual/nslink/b2 | grep SEQNUM)"

# More than one request's worth (NSLINK_INJECT_MAX_BATCH = 256) from stdin.
before=$(seqnum)
for i in $(seq 600); do
	printf 'ACTION=add\nDEVPATH=/devices/virtual/nslink/m%d\nSUBSYSTEM=nslink-test\n\n' "$i"
done | "$NSINJECT" -n A -f -
check_eq "600 events from stdin: exit 0" 0 $?
check_eq "600 events: uevent_seqnum rose by 600" $((before + 600)) "$(seqnum)"
check "600 events: A got the last" wait_for "$W/lisA" "seqnum=$((before + 600)) "
check_eq "600 events: the raw listener in A got all 600" 600 \
	"$(grep -c 'header=add@/devices/virtual/nslink/m[0-9]*$' "$W/lisA")"

# Refusals: message, exit status 5, nothing sent.
refuse() {	# WHAT EXTACK-REGEX NSINJECT-ARGS...
	local what=$1 re=$2 before out rc
	shift 2
	before=$(seqnum)
	out=$("$NSINJECT" -n A "$@" 2>&1); rc=$?
	check_eq "$what: exit status 5" 5 "$rc"
	check_match "$what: the kernel's message" "$re" "$out"
	check_eq "$what: no SEQNUM consumed" "$before" "$(seqnum)"
}
refuse "unknown action" 'refused: unknown uevent action: not one of add remove change move online offline bind unbind$' \
	frob /devices/x SUBSYSTEM=s
refuse "relative DEVPATH" 'refused: uevent DEVPATH is not absolute$' add devices/x SUBSYSTEM=s
refuse "no SUBSYSTEM" 'refused: uevent has no SUBSYSTEM=$' add /devices/x DRIVER=d
refuse "empty SUBSYSTEM" 'refused: uevent SUBSYSTEM= is empty$' add /devices/x SUBSYSTEM=
refuse "repeated SUBSYSTEM" 'refused: uevent repeats SUBSYSTEM=$' add /devices/x SUBSYSTEM=a SUBSYSTEM=b
refuse "variable without =" 'refused: uevent variable is not KEY=VALUE$' add /devices/x SUBSYSTEM=s junk
refuse "empty KEY" 'refused: uevent variable is not KEY=VALUE$' add /devices/x SUBSYSTEM=s =v
refuse "sender's SEQNUM" 'refused: uevent carries SEQNUM=: the kernel assigns it, remove it$' \
	add /devices/x SUBSYSTEM=s SEQNUM=5
refuse "ACTION= given again" 'refused: uevent repeats ACTION= or DEVPATH=$' add /devices/x SUBSYSTEM=s ACTION=remove
refuse "DEVPATH= given again" 'refused: uevent repeats ACTION= or DEVPATH=$' add /devices/x SUBSYSTEM=s DEVPATH=/y

# Refusals only a raw request can provoke.
raw() {		# WHAT EXPECTED-OUTPUT-REGEX inject-raw-ARGS...
	local what=$1 re=$2 before out
	shift 2
	before=$(seqnum)
	out=$("$W/inject-raw" "$@" 2>&1)
	check_match "$what" "$re" "$out"
	check_eq "$what: no SEQNUM consumed" "$before" "$(seqnum)"
}
exec 7</run/netns/A
raw "raw: header differs from ACTION=" '^error EINVAL: uevent ACTION= does not match its header$' \
	--fd 7 'add@/x|ACTION=remove|DEVPATH=/x|SUBSYSTEM=s|'
raw "raw: header differs from DEVPATH=" '^error EINVAL: uevent DEVPATH= does not match its header$' \
	--fd 7 'add@/x|ACTION=add|DEVPATH=/y|SUBSYSTEM=s|'
raw "raw: ACTION= not first" '^error EINVAL: first uevent variable is not ACTION=$' \
	--fd 7 'add@/x|DEVPATH=/x|ACTION=add|SUBSYSTEM=s|'
raw "raw: DEVPATH= not second" '^error EINVAL: second uevent variable is not DEVPATH=$' \
	--fd 7 'add@/x|ACTION=add|SUBSYSTEM=s|DEVPATH=/x|'
raw "raw: header only" '^error EINVAL: uevent lacks ACTION= and DEVPATH= after its header$' \
	--fd 7 'add@/x|'
raw "raw: header without @" '^error EINVAL: uevent header is not ACTION@DEVPATH$' \
	--fd 7 'add/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|'
raw "raw: no final NUL" '^error EINVAL: uevent does not end in \\0$' \
	--fd 7 'add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s'
raw "raw: empty variable" '^error EINVAL: uevent variable is not KEY=VALUE$' \
	--fd 7 'add@/x|ACTION=add|DEVPATH=/x||SUBSYSTEM=s|'
raw "raw: no event" '^error EINVAL: no uevent: give at least one NSLINK_A_INJ_UEVENT$' --fd 7
raw "raw: no target" '^error EINVAL: no target netns: give NSLINK_A_INJ_NETNS_FD or NSLINK_A_INJ_NETNS_PID$' \
	'add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|'
raw "raw: fd and pid" '^error EINVAL: give the target netns as an fd or a pid, not both$' \
	--fd 7 --pid "$MA" 'add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|'
raw "raw: 257 events" '^error EINVAL: too many uevents in one request \(NSLINK_INJECT_MAX_BATCH\)$' \
	--fd 7 --repeat 257 'add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|'
out=$("$W/inject-raw" --fd 7 --repeat 256 'add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|')
check_eq "raw: 256 events go out, 256 SEQNUMs in the reply" 257 "$(echo $out | wc -w)"

# Targets that do not exist: each its own message, exit status 6.
target_refused() {	# WHAT EXTACK-REGEX ERRNO-TEXT NSINJECT-ARGS...
	local what=$1 re=$2 out rc
	shift 2
	out=$("$NSINJECT" "$@" add /devices/x SUBSYSTEM=s 2>&1); rc=$?
	check_eq "$what: exit status 6" 6 "$rc"
	check_match "$what: message" "$re" "$out"
}
target_refused "fd that is not open" 'netns fd 77: netns fd is not an open file descriptor \(Bad file descriptor\)$' --netns-fd 77
target_refused "fd that is not a netns (uts)" 'netns /proc/self/ns/uts: netns fd does not refer to a network namespace \(Invalid argument\)$' \
	-n /proc/self/ns/uts
target_refused "fd that is not a namespace (a file)" 'netns /etc/hostname: netns fd does not refer to a network namespace' \
	-n /etc/hostname
target_refused "pid that does not exist" 'netns of pid 4000000: no process with this pid in the caller.s pid namespace \(No such process\)$' \
	-p 4000000
target_refused "name that does not exist" '/run/netns/nosuch: No such file or directory$' -n nosuch

# The 2048-byte boundary, exact: header, variables and "SEQNUM=<n>\0".
base="add@/b|ACTION=add|DEVPATH=/b|SUBSYSTEM=s|PAD=|"
next=$(( $(seqnum) + 1 ))
seqlen=$(( ${#next} + 8 ))
pad=$(( 2048 - ${#base} - seqlen ))
big=$(head -c "$pad" /dev/zero | tr '\0' x)
out=$("$NSINJECT" -v -n A add /b SUBSYSTEM=s "PAD=$big" 2>&1)
check_eq "the largest event that fits (2048 bytes with SEQNUM) goes out" 0 $?
check "... and A's raw listener got all 2048 bytes" wait_for "$W/lisA" "len=2048 seqnum=$next "
out=$("$NSINJECT" -n A add /b SUBSYSTEM=s "PAD=${big}x" 2>&1); rc=$?
check_eq "one byte more: exit status 5" 5 "$rc"
check_match "one byte more: 'uevent message too big'" 'refused: uevent message too big$' "$out"
out=$("$W/inject-raw" --fd 7 "add@/b|ACTION=add|DEVPATH=/b|SUBSYSTEM=s|PAD=${big}x|")
check_eq "one byte more, raw: EINVAL with exactly the kernel's text" "error EINVAL: uevent message too big" "$out"

# A batch with one bad event sends nothing.
printf 'ACTION=add\nDEVPATH=/devices/virtual/nslink/g1\nSUBSYSTEM=s\n\nACTION=add\nDEVPATH=/devices/virtual/nslink/g2\n\nACTION=add\nDEVPATH=/devices/virtual/nslink/g3\nSUBSYSTEM=s\n' > "$W/bad"
before=$(seqnum)
out=$("$NSINJECT" -n A -f "$W/bad" 2>&1); rc=$?
check_eq "batch with a bad 2nd event: exit status 5" 5 "$rc"
check_match "batch with a bad 2nd event: names it, FILE:LINE, and that nothing was sent" \
	"^nsinject: $(re_escape "$W/bad"):5: event add@/devices/virtual/nslink/g2 refused: uevent has no SUBSYSTEM=; no event was sent\$" "$out"
check_eq "batch with a bad 2nd event: no SEQNUM consumed" "$before" "$(seqnum)"
out=$("$W/inject-raw" --fd 7 'add@/g1|ACTION=add|DEVPATH=/g1|SUBSYSTEM=s|' "add@/g2|ACTION=add|DEVPATH=/g2|SUBSYSTEM=s|PAD=${big}x|")
check_eq "batch whose 2nd event is too big: refused whole" "error EINVAL: uevent message too big" "$out"
check_eq "batch whose 2nd event is too big: no SEQNUM consumed" "$before" "$(seqnum)"
"$NSINJECT" -n A add /devices/virtual/nslink/sentinel-a2 SUBSYSTEM=s
check "sentinel after the refused batches reached A" wait_for "$W/monA" 'sentinel-a2'
check_eq "A never saw an event of a refused batch" 0 "$(grep -cE 'nslink/g[123]|/g[12] ' "$W/monA")"

# A capture recorded for real replays into A.
start_monitor MC "$W/capture" env
ip link add dummy7 type dummy && ip link del dummy7
check "capture: recorded add and remove of dummy7" wait_for "$W/capture" '^KERNEL\[.*/net/dummy7 \(net\)' 2
kill "$MC"; wait "$MC" 2>/dev/null
ncap=$(monitor_count "$W/capture")
before=$(seqnum)
out=$("$NSINJECT" -v -n A -f "$W/capture" 2>&1)
check_eq "capture replay: exit status 0" 0 $?
check_match "capture replay: the capture holds events" '^[1-9]' "$ncap"
check_eq "capture replay: one SEQNUM per captured event ($ncap)" $((before + ncap)) "$(seqnum)"
check "capture replay: A saw the last one" wait_for "$W/monA" "^SEQNUM=$((before + ncap))\$"
check_eq "capture replay: A saw the same events, property for property" \
	"$(monitor_blocks "$W/capture" 0)" "$(monitor_blocks "$W/monA" "$before")"

# Permission.
out=$(as_nobody "$NSINJECT" -n A add /devices/x SUBSYSTEM=s 2>&1); rc=$?
check_eq "unprivileged user: exit status 3" 3 "$rc"
check_match "unprivileged user: the kernel's reason" \
	'nsinject: netns /run/netns/A: missing CAP_SYS_ADMIN in the user namespace that owns the target netns \(Operation not permitted\)$' "$out"

check_eq "A's monitor stayed up" 0 "$(kill -0 "$MA"; echo $?)"
exec 7<&-
rmmod nslink
out=$("$NSINJECT" -n A add /devices/x SUBSYSTEM=s 2>&1); rc=$?
check_eq "without the module: exit status 2" 2 "$rc"
check_match "without the module: names the fix" "modprobe nslink" "$out"
check "no warning in the kernel log" kernel_log_clean
finish
