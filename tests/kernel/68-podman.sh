#!/bin/bash
# Rootful Podman (podman 4.3 with crun and conmon; the cgroupfs manager,
# as on a host without systemd as PID 1) runs a real container, and
# nswatch is checked against podman inspect: a container that unshares
# and nsenters is named podman and .Id, its tasks' parent is .State.Pid
# (the init conmon started) and they are in that init's pid namespace,
# the uts inodes and the cgroup (/libpod_parent/libpod-ID) are /proc's,
# and --container ID keeps exactly its events while another container
# transitions. Then nswatch in a privileged podman container (the docker
# command's flags) reports the same event by host pid.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"
. "$(dirname "$0")/engines.sh"

EV=/tmp/ev68.json
[ -x "$PODMAN" ] || { fail "$PODMAN is missing: install podman and crun (tests/deps.sh)"; finish; }
check "insmod nslink.ko" load_module
podman_conf
check_eq "podman info: cgroup v2, the cgroupfs manager, crun" "v2 cgroupfs crun" \
	"$("$PODMAN" info -f '{{.Host.CgroupsVersion}} {{.Host.CgroupManager}} {{.Host.OCIRuntime.Name}}' 2>&1)"
IMG=$("$TOP/deploy/image" -e podman -t localhost/nslink/nswatch) ||
	{ fail "deploy/image -e podman could not build the image"; finish; }
pass "deploy/image -e podman: $IMG imported"

check "nswatch receives events" start_watch "$EV"
W1=$WATCH_PID
run() {	# NAME: create a container that runs the workload; its id
	"$PODMAN" create --network=none --cap-add=SYS_ADMIN --name "$1" \
		--entrypoint /bin/sh "$IMG" -c "$WORKLOAD"
}
cid=$(run work68)
oid=$(run other68)
check_match "podman create: a full id" '^[0-9a-f]{64}$' "$cid"
"$NSWATCH" -j -C "$cid" > /tmp/ev68c.json 2> /tmp/ev68c.err &
W2=$!
watch_ready "$W2"
"$PODMAN" start work68 other68 >/dev/null
init=$("$PODMAN" inspect -f '{{.State.Pid}}' work68)
check_eq "podman inspect: the id create printed" "$cid" "$("$PODMAN" inspect -f '{{.Id}}' work68)"

sel_u=".reason == \"unshare\" and .comm == \"unshare\" and .container.id == \"$cid\""
sel_s=".reason == \"setns\" and .comm == \"nsenter\" and .container.id == \"$cid\""
if ! wait_for "$EV" "$sel_u" 30 || ! wait_for "$EV" "$sel_s" 30; then
	fail "no unshare and setns events from the container"
	"$PODMAN" logs work68 2>&1 | tail -5
	jq -c 'select(.comm == "unshare" or .comm == "nsenter")' "$EV" | head -5
else
	u=$(jq -c "select($sel_u)" "$EV" | head -1)
	s=$(jq -c "select($sel_s)" "$EV" | head -1)
	up=$(jq -r .pid <<<"$u") sp=$(jq -r .pid <<<"$s")
	check_eq "unshare: container = podman, podman inspect's .Id" "podman|$cid" \
		"$(jq -r '"\(.container.runtime)|\(.container.id)"' <<<"$u")"
	check_eq "unshare, setns: the parent is podman inspect's .State.Pid" "$init $init" \
		"$(jq -r .ppid <<<"$u") $(jq -r .ppid <<<"$s")"
	check_eq "the tasks are in the init's pid namespace, not the host's" \
		"$(readlink /proc/$init/ns/pid) $(readlink /proc/$init/ns/pid) different" \
		"$(readlink /proc/$up/ns/pid) $(readlink /proc/$sp/ns/pid) $([ "$(readlink /proc/$init/ns/pid)" != "$(readlink /proc/1/ns/pid)" ] && echo different)"
	check_eq "unshare: uts new = /proc/PID/ns/uts, old = the init's" \
		"$(ns_ino $up uts) $(ns_ino $init uts)" "$(jq -r '"\(.ns.uts.new) \(.ns.uts.old)"' <<<"$u")"
	check_eq "setns (nsenter -t UNSHARED -u): uts new = the unshared task's" \
		"$(ns_ino $up uts)" "$(jq -r '.ns.uts.new' <<<"$s")"
	check_eq "cgroup: /proc/PID/cgroup's path, /libpod_parent/libpod-ID (cgroupfs manager), its directory's inode" \
		"$(proc_cgroup "$up")|/libpod_parent/libpod-$cid|$(stat -c %i "/sys/fs/cgroup/libpod_parent/libpod-$cid")" \
		"$(jq -r '"\(.cgroup.path)|\(.cgroup.path)|\(.cgroup.id)"' <<<"$u")"
	check "--container ID: the container's unshare arrives" \
		wait_for /tmp/ev68c.json ".pid == $up and .reason == \"unshare\""
	check "--container ID: its setns arrives" \
		wait_for /tmp/ev68c.json ".pid == $sp and .reason == \"setns\""
	check "the other container's unshare (seen by the host's watcher)" \
		wait_for "$EV" ".reason == \"unshare\" and .container.id == \"$oid\""
	check_eq "--container ID: nothing else (not the other container, not the host)" \
		"" "$(jq -c "select(.container.id != \"$cid\")" /tmp/ev68c.json | head -1)"
	check_match "text: container=podman:SHORT" " container=podman:${cid:0:12}( |\$)" \
		"$("$NSWATCH" --snapshot -c 0 -p "$up")"
	# nswatch in a privileged podman container: the same task, by its
	# host pid, in the same container.
	out=$("$PODMAN" run --rm --privileged --pid=host --network=host \
		-v /sys/fs/cgroup:/sys/fs/cgroup:ro -v /run/netns:/run/netns:ro \
		"$IMG" --snapshot -c 0 -p "$up" 2>&1)
	check_eq "privileged podman container: nswatch --snapshot -p PID: the host's pid, ppid, container, cgroup" \
		"$(jq -c '[.pid, .ppid, .container, .cgroup]' <<<"$u")" \
		"$(jq -c "select(.snapshot and .pid == $up) | [.pid, .ppid, .container, .cgroup]" <<<"$out" 2>&1 | head -1)"
fi
"$PODMAN" rm -f -t 0 work68 other68 >/dev/null 2>&1
kill "$W1" "$W2" 2>/dev/null
wait "$W1" "$W2" 2>/dev/null
check "nothing in the kernel log" kernel_log_clean
finish
