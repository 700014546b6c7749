#!/bin/bash
# nsinject --udev into an unprivileged container (user + network namespace
# made by nobody with `unshare -Urn`, no udevd inside): udevadm monitor
# --udev, pyudev with a tag filter and a libudev program there receive
# exactly the events injected by the host's root and by the container's own
# root (libudev takes a udev-group message only from uid 0: the container's
# root, as the module sends it); another container and the host get
# nothing; the container's root is refused for the host's netns.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"
only_with_injection

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
check "build the libudev receiver" build_udev_listen
check "insmod nslink.ko" load_module
ip netns attach host 1

check "udevadm monitor --udev in nobody's unshare -Urn listens" \
	start_udev_monitor MU "$W/monU" "${NOBODY[@]}" unshare -Urn
check_eq "the container's user namespace maps its root to nobody" "0 65534 1" \
	"$(awk '{ print $1, $2, $3 }' "/proc/$MU/uid_map")"
# The container's root: nobody, entered into the container's namespaces
# (an array, not a function: the receivers must be exec'd, not forked).
IN_CTR=("${NOBODY[@]}" nsenter -t "$MU" -U -n --preserve-credentials --)
in_ctr() { "${IN_CTR[@]}" "$@"; }
check "pyudev, tag nslink-seat, in the container listens" \
	start_receiver PT "$W/pytag" "${IN_CTR[@]}" "$PYUDEV_LISTEN" -t nslink-seat
check "libudev in the container listens" start_receiver LU "$W/libU" "${IN_CTR[@]}" "$W/udev-listen"
check "udevadm monitor --udev in another such container listens" \
	start_udev_monitor MO "$W/monO" "${NOBODY[@]}" unshare -Urn
check "udevadm monitor --udev in the host listens" start_udev_monitor MH "$W/monH" env

# From the host's root.
out=$("$NSINJECT" -v --udev -p "$MU" add /devices/virtual/nslink/c1 SUBSYSTEM=input \
	ID_INPUT=1 ID_INPUT_KEYBOARD=1 DEVNAME=/dev/input/event7 TAGS=:nslink-seat:)
check_eq "host root injects into the container: exit 0" 0 $?
s1=${out%% *}
out=$("$NSINJECT" -v --udev -p "$MU" add /devices/virtual/nslink/c2 SUBSYSTEM=input)
s2=${out%% *}
# From the container's own root, into its own netns.
out=$(in_ctr "$NSINJECT" -v --udev add /devices/virtual/nslink/c3 SUBSYSTEM=input TAGS=:nslink-seat: 2>&1)
check_eq "container root injects into its own netns: exit 0" 0 $?
s3=${out%% *}
for r in monU pytag libU; do
	check "$r got the last event" wait_for "$W/$r" ' /devices/virtual/nslink/c3 '
done
check_eq "udevadm monitor --udev in the container: the three events" \
"add /devices/virtual/nslink/c1
add /devices/virtual/nslink/c2
add /devices/virtual/nslink/c3" "$(udev_events "$W/monU")"
check_eq "libudev in the container: the three events" "$(udev_events "$W/monU")" "$(udev_events "$W/libU")"
check_eq "pyudev, tag nslink-seat: c1 and c3 only" \
"add /devices/virtual/nslink/c1
add /devices/virtual/nslink/c3" "$(udev_events "$W/pytag")"
want="ACTION=add
DEVNAME=/dev/input/event7
DEVPATH=/devices/virtual/nslink/c1
ID_INPUT=1
ID_INPUT_KEYBOARD=1
SEQNUM=$s1
SUBSYSTEM=input"
for r in monU pytag libU; do
	check_eq "$r: c1's properties as injected" "$want" "$(udev_props "$W/$r" /devices/virtual/nslink/c1)"
done
check_eq "libudev: c3, the container root's, with its SEQNUM" "ACTION=add
DEVPATH=/devices/virtual/nslink/c3
SEQNUM=$s3
SUBSYSTEM=input" "$(udev_props "$W/libU" /devices/virtual/nslink/c3)"
check "the SEQNUMs are the kernel's, in order" test "$s1" -lt "$s2" -a "$s2" -lt "$s3"

# The container's root may not reach the host.
before=$(seqnum)
out=$(in_ctr "$NSINJECT" --udev -n host add /devices/virtual/nslink/c4 SUBSYSTEM=input 2>&1); rc=$?
check_eq "container root into the host netns: exit status 3" 3 "$rc"
check_match "... the kernel's reason" 'missing CAP_SYS_ADMIN in the user namespace that owns the target netns' "$out"
check_eq "... no SEQNUM consumed" "$before" "$(seqnum)"

# Isolation: sentinels after everything else.
"$NSINJECT" --udev -p "$MO" add /devices/virtual/nslink/sentinel-o SUBSYSTEM=input
"$NSINJECT" --udev add /devices/virtual/nslink/sentinel-host SUBSYSTEM=input
check "the other container got its sentinel" wait_for "$W/monO" sentinel-o
check "the host got its sentinel" wait_for "$W/monH" sentinel-host
check_eq "the other container: only its sentinel" "add /devices/virtual/nslink/sentinel-o" "$(udev_events "$W/monO")"
check_eq "the host: only its sentinel" "add /devices/virtual/nslink/sentinel-host" "$(udev_events "$W/monH")"
check "no warning in the kernel log" kernel_log_clean
finish
