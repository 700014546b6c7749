#!/bin/bash
# nsinject --udev into netns A, judged by the receivers a container's
# programs use, none of them udevd: udevadm monitor --udev, pyudev with a
# subsystem filter and with a tag filter, and a libudev program with no
# filter and with a subsystem/devtype filter. Each gets exactly the events
# its filter passes (the module's header hashes and tag bloom go through
# libudev's socket filter), with the properties as injected; the host, netns
# B and A's kernel group get nothing. SEQNUM: taken from the kernel's
# sequence, or as given (not above it); the 8192-byte limit; every refusal
# with its message; a batch never half-sent; a capture of udevadm monitor
# --udev replays.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"
only_with_injection

check "build the test helpers" build_helpers
check "build the libudev receiver" build_udev_listen
check "insmod nslink.ko" load_module
check_match "GET_INFO lists the inject-udev feature" '^features: .*inject-udev' "$("$NSWATCH" --info)"
ip netns add A && ip netns add B

check "udevadm monitor --udev in A listens" start_udev_monitor MA "$W/monA" ip netns exec A
check "pyudev, subsystem nslink-test, in A listens" \
	start_receiver PS "$W/pysub" ip netns exec A "$PYUDEV_LISTEN" -s nslink-test
check "pyudev, tag nslink-seat, in A listens" \
	start_receiver PT "$W/pytag" ip netns exec A "$PYUDEV_LISTEN" -t nslink-seat
check "libudev, no filter, in A listens" start_receiver LA "$W/libA" ip netns exec A "$W/udev-listen"
check "libudev, nslink-test/disk, in A listens" \
	start_receiver LD "$W/libdisk" ip netns exec A "$W/udev-listen" -s nslink-test/disk
check "udevadm monitor --kernel in A listens" start_monitor MK "$W/monK" ip netns exec A
check "udevadm monitor --udev in B listens" start_udev_monitor MB "$W/monB" ip netns exec B
check "udevadm monitor --udev in the host listens" start_udev_monitor MH "$W/monH" env

# u1: subsystem nslink-test, devtype disk, tagged nslink-seat: every
# filter passes it.
before=$(seqnum)
out=$("$NSINJECT" -v --udev -n A add /devices/virtual/nslink/u1 SUBSYSTEM=nslink-test \
	DEVTYPE=disk ID_FOO=bar 'SPACE=a b' TAGS=:nslink-seat:uaccess: CURRENT_TAGS=:nslink-seat:)
check_eq "nsinject --udev: exit 0" 0 $?
s1=$((before + 1))
check_eq "without SEQNUM=: one taken from the kernel's sequence" "$s1" "$(seqnum)"
check_eq "-v prints it" "$s1 add@/devices/virtual/nslink/u1" "$out"
# u2: another subsystem, tagged uaccess only: the filters drop it.
out=$("$NSINJECT" -v --udev -n A add /devices/virtual/nslink/u2 SUBSYSTEM=other-test TAGS=:uaccess:)
s2=${out%% *}
# u3: SEQNUM given (an event that happened: the current one): kept, and no
# number taken. Devtype partition: the disk filter drops it, the subsystem
# filter passes it; no tag.
given=$(seqnum)
out=$("$NSINJECT" -v --udev -n A change /devices/virtual/nslink/u3 SUBSYSTEM=nslink-test \
	DEVTYPE=partition SEQNUM="$given")
check_eq "SEQNUM= given: exit 0, the reply says it" "0 $given change@/devices/virtual/nslink/u3" "$? $out"
check_eq "SEQNUM= given: the kernel's sequence did not move" "$given" "$(seqnum)"
# u4: passes every filter, and comes last: once a receiver has it, it has
# everything sent before it (one socket queue, in order).
out=$("$NSINJECT" -v --udev -n A add /devices/virtual/nslink/u4 SUBSYSTEM=nslink-test \
	DEVTYPE=disk TAGS=:nslink-seat:)
s4=${out%% *}
for r in monA pysub pytag libA libdisk; do
	check "$r got the last event" wait_for "$W/$r" ' /devices/virtual/nslink/u4 '
done
cp "$W/monA" "$W/capture"	# for the replay below
check_eq "udevadm monitor --udev in A: all four, in order" \
"add /devices/virtual/nslink/u1
add /devices/virtual/nslink/u2
change /devices/virtual/nslink/u3
add /devices/virtual/nslink/u4" "$(udev_events "$W/monA")"
check_eq "libudev, no filter: all four" "$(udev_events "$W/monA")" "$(udev_events "$W/libA")"
check_eq "pyudev, subsystem nslink-test: u1, u3, u4 (not other-test)" \
"add /devices/virtual/nslink/u1
change /devices/virtual/nslink/u3
add /devices/virtual/nslink/u4" "$(udev_events "$W/pysub")"
check_eq "pyudev, tag nslink-seat: u1, u4 (not uaccess alone, not untagged)" \
"add /devices/virtual/nslink/u1
add /devices/virtual/nslink/u4" "$(udev_events "$W/pytag")"
check_eq "libudev, nslink-test/disk: u1, u4 (not partition, not other-test)" \
"add /devices/virtual/nslink/u1
add /devices/virtual/nslink/u4" "$(udev_events "$W/libdisk")"

want="ACTION=add
DEVPATH=/devices/virtual/nslink/u1
DEVTYPE=disk
ID_FOO=bar
SEQNUM=$s1
SPACE=a b
SUBSYSTEM=nslink-test"
for r in monA pysub pytag libA libdisk; do
	check_eq "$r: u1's properties as injected, with the SEQNUM taken" "$want" \
		"$(udev_props "$W/$r" /devices/virtual/nslink/u1)"
	check_eq "$r: u1's tags" "nslink-seat uaccess " "$(udev_tags "$W/$r" /devices/virtual/nslink/u1)"
done
check_eq "udevadm: u1's CURRENT_TAGS" "CURRENT_TAGS=:nslink-seat:" \
	"$(udev_block "$W/monA" /devices/virtual/nslink/u1 | grep ^CURRENT_TAGS=)"
check_eq "udevadm: u2 as injected" "ACTION=add
DEVPATH=/devices/virtual/nslink/u2
SEQNUM=$s2
SUBSYSTEM=other-test" "$(udev_props "$W/monA" /devices/virtual/nslink/u2)"
check_eq "pyudev: u3 with the SEQNUM given" "ACTION=change
DEVPATH=/devices/virtual/nslink/u3
DEVTYPE=partition
SEQNUM=$given
SUBSYSTEM=nslink-test" "$(udev_props "$W/pysub" /devices/virtual/nslink/u3)"

# Isolation: sentinels into the host, B, and A's kernel group come after
# anything the events could have left there.
"$NSINJECT" --udev add /devices/virtual/nslink/sentinel-host SUBSYSTEM=nslink-test
"$NSINJECT" --udev -n B add /devices/virtual/nslink/sentinel-b SUBSYSTEM=nslink-test
"$NSINJECT" -n A add /devices/virtual/nslink/sentinel-kernel SUBSYSTEM=nslink-test
check "host: the udev sentinel arrived" wait_for "$W/monH" 'sentinel-host'
check "B: the udev sentinel arrived" wait_for "$W/monB" 'sentinel-b'
check "A's kernel group: the kernel sentinel arrived" wait_for "$W/monK" 'sentinel-kernel'
check_eq "host: nothing injected into A" 0 "$(grep -c 'nslink/u[0-9]' "$W/monH")"
check_eq "B: nothing injected into A" 0 "$(grep -c 'nslink/u[0-9]' "$W/monB")"
check_eq "A's kernel group: no udev message" 0 "$(grep -c 'nslink/u[0-9]' "$W/monK")"
check_eq "A's udev group: not the kernel sentinel, nor the others'" 0 "$(grep -c sentinel "$W/monA")"

# The size: header (40) + properties, SEQNUM= included, up to 8192 bytes,
# past the kernel group's 2048; the properties here are 11 + 11 + 12 + 9 +
# 5 + N bytes.
pad() { head -c "$1" /dev/zero | tr '\0' p; }
out=$("$NSINJECT" -v --udev -n A add /x SUBSYSTEM=s SEQNUM=1 "PAD=$(pad 8104)" 2>&1)
check_eq "a udev message of exactly 8192 bytes: sent" "0 1 add@/x" "$? $out"
check "libudev in A received it whole" wait_for "$W/libA" "^PAD=p{8104}\$"
before=$(seqnum)
out=$("$NSINJECT" --udev -n A add /x SUBSYSTEM=s SEQNUM=1 "PAD=$(pad 8105)" 2>&1); rc=$?
check_eq "8193 bytes: exit status 5" 5 "$rc"
check_match "8193 bytes: the kernel's message" 'refused: udev message too big$' "$out"
# Without SEQNUM=, the room for the one taken counts: SEQNUM=<n> is
# 8 + digits bytes, and 40 + 11 + 11 + 12 + 5 + N + 8 + digits = 8192.
next=$((before + 1))
n=$(( 8105 - ${#next} ))
out=$("$NSINJECT" -v --udev -n A add /x SUBSYSTEM=s "PAD=$(pad $((n + 1)))" 2>&1); rc=$?
check_eq "one byte too many with the SEQNUM taken: exit status 5" 5 "$rc"
check_eq "... no SEQNUM consumed" "$before" "$(seqnum)"
out=$("$NSINJECT" -v --udev -n A add /x SUBSYSTEM=s "PAD=$(pad $n)" 2>&1)
check_eq "exactly 8192 with the SEQNUM taken: sent" "0 $((before + 1)) add@/x" "$? $out"

# Refusals: message, exit status 5, nothing sent.
refuse() {	# WHAT EXTACK-REGEX NSINJECT-ARGS...
	local what=$1 re=$2 before out rc
	shift 2
	before=$(seqnum)
	out=$("$NSINJECT" --udev -n A "$@" 2>&1); rc=$?
	check_eq "$what: exit status 5" 5 "$rc"
	check_match "$what: the kernel's message" "$re" "$out"
	check_eq "$what: no SEQNUM consumed" "$before" "$(seqnum)"
}
refuse "SEQNUM above the kernel's" "refused: udev event SEQNUM= is above the kernel's uevent sequence number" \
	add /devices/r SUBSYSTEM=s SEQNUM=$(( $(seqnum) + 1 ))
refuse "SEQNUM=0" 'refused: udev event SEQNUM= is not a decimal number above 0$' add /devices/r SUBSYSTEM=s SEQNUM=0
refuse "SEQNUM not decimal" 'refused: udev event SEQNUM= is not a decimal number above 0$' add /devices/r SUBSYSTEM=s SEQNUM=0x10
refuse "SEQNUM twice" 'refused: udev event repeats SEQNUM=$' add /devices/r SUBSYSTEM=s SEQNUM=1 SEQNUM=1
refuse "a tag with a space" 'refused: udev event TAGS= or CURRENT_TAGS= has a tag with a space' \
	add /devices/r SUBSYSTEM=s 'TAGS=:a b:'
refuse "no SUBSYSTEM (as for the kernel group)" 'refused: uevent has no SUBSYSTEM=$' add /devices/r DEVTYPE=d
refuse "unknown action (as for the kernel group)" 'refused: unknown uevent action' frob /devices/r SUBSYSTEM=s

# A batch refused at its third event sends nothing; a group that is neither.
exec 7</run/netns/A
before=$(seqnum)
out=$("$W/inject-raw" --group 2 --fd 7 \
	'add@/devices/virtual/nslink/h1|ACTION=add|DEVPATH=/devices/virtual/nslink/h1|SUBSYSTEM=nslink-test|' \
	'add@/devices/virtual/nslink/h2|ACTION=add|DEVPATH=/devices/virtual/nslink/h2|SUBSYSTEM=nslink-test|' \
	"add@/devices/virtual/nslink/h3|ACTION=add|DEVPATH=/devices/virtual/nslink/h3|SUBSYSTEM=nslink-test|SEQNUM=$((before + 5))|" 2>&1)
check_match "raw: a batch whose third SEQNUM= is ahead: refused" \
	"^error EINVAL: udev event SEQNUM= is above the kernel's uevent sequence number" "$out"
check_eq "raw: no SEQNUM consumed" "$before" "$(seqnum)"
out=$("$W/inject-raw" --group 3 --fd 7 'add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|' 2>&1)
check_match "raw: group 3 refused by the policy, with its message" '^error (EINVAL|ERANGE): .+' "$out"
out=$("$W/inject-raw" --group 1 --fd 7 'add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|SEQNUM=1|' 2>&1)
check_match "raw: group 1 still refuses a sender's SEQNUM" '^error EINVAL: uevent carries SEQNUM=' "$out"
exec 7<&-

# A capture of udevadm monitor --udev --property (u1 to u4, as A saw them)
# replays: each event as captured, SEQNUM aside (the replay takes new
# ones), into B.
out=$("$NSINJECT" --udev -n B -f "$W/capture" 2>&1)
check_eq "replaying A's capture into B: exit 0" "0 " "$? $out"
check "B got the last event of the capture" wait_for "$W/monB" ' /devices/virtual/nslink/u4 '
# libudev keeps a device's tags in a hash set, seeded per process: each
# udevadm prints TAGS= in an order of its own, so the tags are sorted too.
norm() {
	local line
	udev_block "$1" "$2" | grep -v '^SEQNUM=' | while IFS= read -r line; do
		case $line in
		TAGS=*|CURRENT_TAGS=*)
			printf '%s=:%s:\n' "${line%%=*}" \
				"$(tr ':' '\n' <<<"${line#*=}" | grep . | LC_ALL=C sort | paste -sd:)" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done | sort
}
for d in /devices/virtual/nslink/u1 /devices/virtual/nslink/u2 /devices/virtual/nslink/u3; do
	check_eq "replay: $d as A saw it, SEQNUM aside" "$(norm "$W/monA" "$d")" "$(norm "$W/monB" "$d")"
done
check_eq "replay: B got as many events as A's capture had, plus its sentinel" \
	$(( $(udev_events "$W/capture" | wc -l) + 1 )) "$(udev_events "$W/monB" | wc -l)"

# The kernel-group tools reject the udev-group options where they mean nothing.
out=$("$NSINJECT" -n A --tag x add /x SUBSYSTEM=s 2>&1); rc=$?
check_eq "--tag without --relay: usage error" 1 "$rc"
out=$("$NSINJECT" --relay -n A --tag x 2>&1); rc=$?
check_eq "--relay --tag without --udev: usage error" 1 "$rc"
check_match "... says why" 'kernel uevents carry no tags' "$out"
check "no warning in the kernel log" kernel_log_clean
finish
