#!/bin/bash
# nsinject --relay --udev: the host's systemd-udevd (started here, with a
# rule of this test in /run/udev/rules.d) processes real uevents (dummy
# netdevs made in the host, a udevadm trigger), and the relay forwards its
# processed events, filtered by --subsystem and --tag, into an unprivileged
# container (nobody's `unshare -Urn`, no udevd inside), where udevadm
# monitor --udev, pyudev with a tag filter and a libudev program see each
# device appear with the host's properties (the rule's included) and the
# SEQNUM the host's event had; another netns gets nothing; SIGTERM stops
# the relay with a summary.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"
only_with_injection

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
UDEVD=/lib/systemd/systemd-udevd
check "build the libudev receiver" build_udev_listen
check "insmod nslink.ko" load_module
check "systemd-udevd is installed (package udev)" test -x "$UDEVD"
ip netns add B
# Loading dummy.ko sends a uevent of its own: before udevd and the relay.
modprobe dummy

# udevd, with a rule of this test, as a job of this test (the trap ends it);
# /run is this VM's own tmpfs.
had_run_udev=0
[ -e /run/udev ] && had_run_udev=1
mkdir -p /run/udev/rules.d
cat > /run/udev/rules.d/99-nslink-relay-test.rules <<'RULES'
SUBSYSTEM=="net", KERNEL=="relayu*", ENV{NSLINK_RULE}="host-rule", TAG+="nslink-seat"
SUBSYSTEM=="module", KERNEL=="dummy", ENV{NSLINK_RULE}="host-rule", TAG+="nslink-seat"
RULES
"$UDEVD" > "$W/udevd.log" 2>&1 &
UD=$!
ping_udevd() {
	local i
	for i in $(seq $(slow 200)); do
		udevadm control --ping 2>/dev/null && return 0
		kill -0 "$UD" 2>/dev/null || break
		sleep 0.05
	done
	cat "$W/udevd.log"
	return 1
}
check "systemd-udevd runs in the host" ping_udevd

check "udevadm monitor --udev in the host listens" start_udev_monitor MH "$W/monH" env
check "udevadm monitor --kernel in the host listens" start_monitor MK "$W/monK" env
check "udevadm monitor --udev in nobody's unshare -Urn listens" \
	start_udev_monitor MU "$W/monU" "${NOBODY[@]}" unshare -Urn
IN_CTR=("${NOBODY[@]}" nsenter -t "$MU" -U -n --preserve-credentials --)
check "pyudev, tag nslink-seat, in the container listens" \
	start_receiver PT "$W/pytag" "${IN_CTR[@]}" "$PYUDEV_LISTEN" -t nslink-seat
check "libudev in the container listens" start_receiver LU "$W/libU" "${IN_CTR[@]}" "$W/udev-listen"
check "udevadm monitor --udev in B listens" start_udev_monitor MB "$W/monB" ip netns exec B
check "the relay listens to the host's udev group" start_receiver RL "$W/relay" \
	"$NSINJECT" -v --relay --udev -p "$MU" --subsystem net --tag nslink-seat
check_match "the relay says what it relays where" \
	"^nsinject: relaying udev events into netns of pid $MU " "$(cat "$W/relay")"

# One at a time, each processed by udevd before the next (udevd may finish
# events of different devices in any order).
host_did() {	# WHAT REGEX: the host's udev monitor saw it
	check "udevd processed $1" wait_for "$W/monH" "$2"
}
ip link add relayu0 type dummy
host_did "relayu0 add" '^UDEV .* add +/devices/virtual/net/relayu0 \(net\)'
ip link add other0 type dummy	# net, but not tagged: --tag drops it
host_did "other0 add" '^UDEV .* add +/devices/virtual/net/other0 \(net\)'
udevadm trigger --action=change /sys/module/dummy	# tagged, not net: --subsystem drops it
host_did "the trigger of /module/dummy" '^UDEV .* change +/module/dummy \(module\)'
ip link add relayu1 type dummy
host_did "relayu1 add" '^UDEV .* add +/devices/virtual/net/relayu1 \(net\)'
for r in monU pytag libU; do
	check "$r: relayu1 arrived through the relay" wait_for "$W/$r" ' /devices/virtual/net/relayu1 '
done

check_eq "the container (udevadm): relayu0 and relayu1, nothing else" \
"add /devices/virtual/net/relayu0
add /devices/virtual/net/relayu1" "$(udev_events "$W/monU")"
check_eq "the container (pyudev, tag filter): the same" "$(udev_events "$W/monU")" "$(udev_events "$W/pytag")"
check_eq "the container (libudev): the same" "$(udev_events "$W/monU")" "$(udev_events "$W/libU")"
for d in /devices/virtual/net/relayu0 /devices/virtual/net/relayu1; do
	host=$(udev_props "$W/monH" "$d")
	check_match "host: udevd's rule added NSLINK_RULE to $d" '^NSLINK_RULE=host-rule$' "$host"
	for r in monU pytag libU; do
		check_eq "$r: $d with the host's processed properties, SEQNUM included" \
			"$host" "$(udev_props "$W/$r" "$d")"
		check_eq "$r: $d with the host's tags" \
			"$(udev_tags "$W/monH" "$d")" "$(udev_tags "$W/$r" "$d")"
	done
	ks=$(monitor_block "$W/monK" "$d" | sed -n 's/^SEQNUM=//p' | head -1)
	check_eq "$d: the SEQNUM in the container is the host kernel event's" \
		"SEQNUM=$ks" "$(udev_block "$W/monU" "$d" | grep ^SEQNUM=)"
	check_match "-v: the relay forwarded $d with that SEQNUM" "^$ks add@$d\$" "$(cat "$W/relay")"
done

"$NSINJECT" --udev -n B add /devices/virtual/nslink/sentinel-b SUBSYSTEM=net
check "B got its sentinel" wait_for "$W/monB" sentinel-b
check_eq "B: nothing relayed, only its sentinel" "add /devices/virtual/nslink/sentinel-b" \
	"$(udev_events "$W/monB")"

kill -TERM "$RL"
wait "$RL"; rc=$?
check_eq "SIGTERM: the relay exits 0" 0 "$rc"
check_match "SIGTERM: a summary: 2 matched, 2 forwarded" \
	'^nsinject: relay stopped: [0-9]+ udev events received, 2 matched, 2 forwarded, 0 refused, 0 receive overruns, 0 other messages ignored$' \
	"$(grep 'relay stopped' "$W/relay")"

ip link del relayu0
ip link del relayu1
ip link del other0
kill "$UD"
wait "$UD"
rm -f /run/udev/rules.d/99-nslink-relay-test.rules
[ "$had_run_udev" = 1 ] || rm -rf /run/udev
check "no warning in the kernel log" kernel_log_clean
finish
