#!/bin/bash
# nsinject --relay: real kernel uevents of the host (a dummy netdev made in
# the host, whose uevents are tagged for the host's netns only) reach
# udevadm monitor in netns A through the relay, with a new SEQNUM; --match
# filters; a burst past the receive buffer is counted as a loss; SIGTERM
# stops it with a summary; relaying into its own netns is refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"
only_with_injection

check "insmod nslink.ko" load_module
ip netns add A
# Loading dummy.ko sends an untagged uevent (/module/dummy), which every
# netns owned by the initial user namespace, A included, gets from the
# kernel itself: load it before the receivers start.
modprobe dummy

out=$("$NSINJECT" --relay 2>&1); rc=$?
check_eq "relay into its own netns (no target): exit status 1" 1 "$rc"
check_match "relay into its own netns: says why" 'the target is the network namespace nsinject listens in' "$out"
out=$("$NSINJECT" --relay -n /proc/self/ns/net 2>&1); rc=$?
check_eq "relay into its own netns by path: exit status 1" 1 "$rc"
out=$("$NSINJECT" --relay -n A add /x 2>&1); rc=$?
check_eq "relay with events given: usage error" 1 "$rc"

check "udevadm monitor in A listens" start_monitor MA "$W/monA" ip netns exec A
check "udevadm monitor in the host listens" start_monitor MH "$W/monH" env
# Without CAP_NET_ADMIN, SO_RCVBUFFORCE fails and the relay falls back to
# SO_RCVBUF, capped by rmem_max: a buffer small enough to overrun.
rmem_max=$(cat /proc/sys/net/core/rmem_max)
echo 65536 > /proc/sys/net/core/rmem_max
check "the relay listens (without CAP_NET_ADMIN)" start_receiver RL "$W/relay" \
	setpriv --bounding-set -net_admin -- \
	"$NSINJECT" -v --relay -n A --match SUBSYSTEM=net --match 'INTERFACE=relay*'
check_match "the relay says where it relays and its receive buffer (rmem_max, doubled)" \
	'^nsinject: relaying kernel uevents into netns /run/netns/A \(receive buffer 131072 bytes\)$' "$(cat "$W/relay")"

ip link add relay0 type dummy
ip link add other0 type dummy
ip link del relay0
check "host monitor saw relay0 added and removed" wait_for "$W/monH" '^KERNEL\[.* /devices/virtual/net/relay0 \(net\)' 2
check "A saw relay0 added and removed, through the relay" wait_for "$W/monA" '^KERNEL\[.* /devices/virtual/net/relay0 \(net\)' 2
hs=$(monitor_block "$W/monH" /devices/virtual/net/relay0 | sed -n 's/^SEQNUM=//p' | head -1)
as=$(monitor_block "$W/monA" /devices/virtual/net/relay0 | sed -n 's/^SEQNUM=//p' | head -1)
check "the relayed event has a SEQNUM of its own, after the original ($hs < $as)" test "$hs" -lt "$as"
check_eq "A: the properties of the real event, SEQNUM aside" \
	"$(monitor_block "$W/monH" /devices/virtual/net/relay0 | grep -v ^SEQNUM= | head -6)" \
	"$(monitor_block "$W/monA" /devices/virtual/net/relay0 | grep -v ^SEQNUM= | head -6)"
# Everything the host saw for other0 came before relay0's removal, which A
# has seen: A never got other0, nor the queues, nor anything not matched.
check_eq "--match: A got nothing but relay0's net events" \
	"add /devices/virtual/net/relay0 (net)
remove /devices/virtual/net/relay0 (net)" \
	"$(grep '^KERNEL\[' "$W/monA" | awk '{ print $2, $3, $4 }')"
check_match "-v prints the SEQNUM of each forwarded event" "^$as add@/devices/virtual/net/relay0\$" "$(cat "$W/relay")"

# A burst larger than the relay's receive buffer while it is stopped: the
# loss is counted and said; the relay goes on.
kill -STOP "$RL"
for i in $(seq 3000); do
	printf 'ACTION=add\nDEVPATH=/devices/virtual/net/relayburst%d\nSUBSYSTEM=net\nINTERFACE=relayburst%d\n\n' "$i" "$i"
done > "$W/burst"
check "3000 events into the host's netns" "$NSINJECT" -f "$W/burst"
kill -CONT "$RL"
check "the relay reports the overrun" wait_for "$W/relay" 'receive buffer overrun: kernel uevents were lost'
ip link add relay1 type dummy
check "after the overrun the relay still forwards" wait_for "$W/monA" '/devices/virtual/net/relay1 \(net\)'
ip link del relay1
ip link del other0

kill -TERM "$RL"
wait "$RL"; rc=$?
check_eq "SIGTERM: the relay exits 0" 0 "$rc"
sum=$(grep 'relay stopped' "$W/relay")
check_match "SIGTERM: a summary with what was received, forwarded and lost" \
	'^nsinject: relay stopped: [0-9]+ kernel uevents received, [0-9]+ matched, [0-9]+ forwarded, 0 refused, [1-9][0-9]* receive overruns, 0 other messages ignored$' "$sum"
fwd=$(echo "$sum" | sed 's/.* matched, \([0-9]*\) forwarded.*/\1/')
check "the burst was partly lost: fewer than 3000 forwarded ($fwd)" test "$fwd" -lt 3000
check_eq "every forwarded event has its -v line" "$fwd" "$(grep -c ' add@\| remove@' "$W/relay")"

# SIGINT too, with a relay that forwarded nothing.
start_receiver R2 "$W/relay2" "$NSINJECT" --relay -n A --match SUBSYSTEM=nothing
kill -INT "$R2"
wait "$R2"; rc=$?
check_eq "SIGINT: the relay exits 0" 0 "$rc"
check_match "SIGINT: summary" 'relay stopped: .* 0 forwarded' "$(cat "$W/relay2")"
check "no warning in the kernel log" kernel_log_clean
echo "$rmem_max" > /proc/sys/net/core/rmem_max	# as it was, for the tests after
finish
