#!/bin/bash
# An unprivileged container (user + network namespace made by nobody with
# `unshare -Urn`): udevadm monitor inside accepts events injected by the
# host's root and by the container's own root, and sees them from uid 0 of
# its user namespace; the container's root is refused for the host's netns
# and for another netns it does not own.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"
only_with_injection

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
check "build the test helpers" build_helpers
check "insmod nslink.ko" load_module
ip netns add A
ip netns attach host 1

check "udevadm monitor in nobody's unshare -Urn listens" \
	start_monitor MU "$W/monU" "${NOBODY[@]}" unshare -Urn
check_eq "the container's user namespace maps its root to nobody" "0 65534 1" \
	"$(awk '{ print $1, $2, $3 }' "/proc/$MU/uid_map")"
check "raw listener in the container listens" \
	start_receiver LU "$W/lisU" "${NOBODY[@]}" nsenter -t "$MU" -U -n --preserve-credentials -- "$W/uevent-listen" -t $((60000 * SLOW))
# The container's root: nobody, entered into the container's namespaces,
# where it is uid 0 (unshare -Ur denied setgroups, so keep the groups).
in_ctr() { "${NOBODY[@]}" nsenter -t "$MU" -U -n --preserve-credentials -- "$@"; }
check_eq "the container's root is uid 0 inside" 0 "$(in_ctr id -u)"

# From the host's root.
before=$(seqnum)
out=$("$NSINJECT" -v -p "$MU" add /devices/virtual/nslink/u1 SUBSYSTEM=nslink-test KEY=host)
check_eq "host root injects into the container: exit 0" 0 $?
check_eq "host root: uevent_seqnum rose by one" $((before + 1)) "$(seqnum)"
check "host root: udevadm monitor in the container accepted it" wait_for "$W/monU" "^SEQNUM=$((before + 1))\$"
check_eq "host root: the properties as udevadm shows them" \
"ACTION=add
DEVPATH=/devices/virtual/nslink/u1
SUBSYSTEM=nslink-test
KEY=host
SEQNUM=$((before + 1))" "$(monitor_block "$W/monU" /devices/virtual/nslink/u1)"
check "host root: the raw listener got it" wait_for "$W/lisU" "seqnum=$((before + 1)) "
check_match "host root: sent by the kernel (portid 0) as the container's uid 0 / gid 0" \
	"^portid=0 uid=0 gid=0 pid=0 .*seqnum=$((before + 1)) " "$(cat "$W/lisU")"

# From the container's own root, into its own netns (no target given).
before=$(seqnum)
out=$(in_ctr "$NSINJECT" -v add /devices/virtual/nslink/u2 SUBSYSTEM=nslink-test KEY=ctr 2>&1)
check_eq "container root injects into its own netns: exit 0" 0 $?
check_eq "container root: the reply's SEQNUM is the host's next" "$((before + 1)) add@/devices/virtual/nslink/u2" "$out"
check "container root: udevadm monitor in the container accepted it" wait_for "$W/monU" "^SEQNUM=$((before + 1))\$"
check_match "container root: portid 0, uid 0, gid 0 in the container" \
	"^portid=0 uid=0 gid=0 pid=0 .*seqnum=$((before + 1)) " "$(cat "$W/lisU")"

# The container's root may not reach namespaces its user namespace does
# not own.
before=$(seqnum)
out=$(in_ctr "$NSINJECT" -n host add /devices/virtual/nslink/u3 SUBSYSTEM=nslink-test 2>&1); rc=$?
check_eq "container root into the host netns: exit status 3" 3 "$rc"
check_match "container root into the host netns: the kernel's reason" \
	'netns /run/netns/host: missing CAP_SYS_ADMIN in the user namespace that owns the target netns \(Operation not permitted\)$' "$out"
out=$(in_ctr "$NSINJECT" -p 1 add /devices/virtual/nslink/u3 SUBSYSTEM=nslink-test 2>&1); rc=$?
check_eq "container root into pid 1's netns: exit status 3" 3 "$rc"
out=$(in_ctr "$NSINJECT" -n A add /devices/virtual/nslink/u3 SUBSYSTEM=nslink-test 2>&1); rc=$?
check_eq "container root into another root-owned netns: exit status 3" 3 "$rc"
check_eq "refusals consumed no SEQNUM" "$before" "$(seqnum)"
# Outside the container, its owner (nobody) has every capability over the
# user namespace it made, as the kernel's rule has it; another
# unprivileged user has none.
before=$(seqnum)
out=$("${NOBODY[@]}" "$NSINJECT" -v -p "$MU" add /devices/virtual/nslink/u4 SUBSYSTEM=nslink-test 2>&1)
check_eq "the container's owner, outside it: exit 0" "0 $((before + 1)) add@/devices/virtual/nslink/u4" "$? $out"
check "the container's owner: udevadm in the container accepted it" wait_for "$W/monU" "^SEQNUM=$((before + 1))\$"
out=$(setpriv --reuid=1000 --regid=1000 --clear-groups -- "$NSINJECT" -p "$MU" add /devices/virtual/nslink/u5 SUBSYSTEM=nslink-test 2>&1); rc=$?
check_eq "another unprivileged user (uid 1000): exit status 3" 3 "$rc"
check_match "another unprivileged user: the kernel's reason" \
	'netns of pid [0-9]+: missing CAP_SYS_ADMIN in the user namespace that owns the target netns \(Operation not permitted\)$' "$out"
check_eq "the container saw exactly the three events it was given" 3 "$(monitor_count "$W/monU")"

# A user namespace that maps no root (nobody's `unshare -U -n`, no
# uid_map): its owner may inject into the netns it owns, but there is no
# root there whose credentials the events could carry. They carry the
# overflow ids, never the initial namespace's root (until 2026-12-04 they
# said uid 0, gid 0: the host's root, to a listener of the host).
# (A process holds capabilities in such a namespace only until it execs:
# inject-raw unshares and sends itself.)
"${NOBODY[@]}" "$W/inject-raw" --unshare-wait "$W/go" \
	'add@/devices/virtual/nslink/u6|ACTION=add|DEVPATH=/devices/virtual/nslink/u6|SUBSYSTEM=nslink-test|' > "$W/rawX" 2>&1 &
MX=$!
for i in $(seq $(slow 100)); do grep -q unshared "$W/rawX" && break; sleep 0.1; done
check_eq "the unmapped user namespace maps nothing" "" "$(cat /proc/$MX/uid_map)"
check "the host's raw listener in its netns listens" \
	start_receiver LX "$W/lisX" nsenter -t "$MX" -n -- "$W/uevent-listen" -t $((60000 * SLOW))
before=$(seqnum)
touch "$W/go"
wait $MX
check_eq "the unmapped namespace's root injects into its netns" "unshared
ok $((before + 1))" "$(cat "$W/rawX")"
check "the host's listener got it" wait_for "$W/lisX" "seqnum=$((before + 1)) "
check_match "with the overflow ids, not the host's root" \
	"^portid=0 uid=65534 gid=65534 pid=0 .*seqnum=$((before + 1)) " "$(cat "$W/lisX")"
check "no warning in the kernel log" kernel_log_clean
finish
