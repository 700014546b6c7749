#!/bin/bash
# Docker (docker.io: dockerd, containerd, runc; cgroupfs driver, as on a
# host without systemd as PID 1) runs real containers, and nswatch is
# checked against docker's own answers:
# - a container that unshares (unshare -u) and enters (nsenter) a
#   namespace: container = docker inspect's full .Id, the parent is
#   .State.Pid, the task is in that init's pid namespace, the setns enters
#   the namespace /proc/PID/ns says, the cgroup is /proc/PID/cgroup's;
# - --container ID keeps exactly that container's events (a second
#   container transitions meanwhile);
# - nswatch inside a privileged container, started by the README's own
#   command (the DaemonSet shape), names the host's and the other
#   containers' transitions by host pids, and /run/netns names;
# - the less privileged shapes stop with a sentence that names the flag:
#   no --network=host (status 5), no --pid=host (6), no --privileged (3).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"
. "$(dirname "$0")/engines.sh"

EV=/tmp/ev67.json
for b in "$DOCKER" "$DOCKERD"; do
	[ -x "$b" ] || { fail "$b is missing: install docker.io (tests/deps.sh)"; finish; }
done
check "insmod nslink.ko" load_module
t0=$(date +%s)
if ! docker_up; then
	fail "dockerd did not start (above: /tmp/dockerd.log)"
	finish
fi
echo "dockerd up in $(( $(date +%s) - t0 )) s: $("$DOCKER" version -f 'client {{.Client.Version}}, server {{.Server.Version}}')"
check_eq "docker info: cgroup v2, the cgroupfs driver (no systemd in the VM)" "2 cgroupfs" \
	"$("$DOCKER" info -f '{{.CgroupVersion}} {{.CgroupDriver}}')"
IMG=$("$TOP/deploy/image" -e docker -t nslink/nswatch) ||
	{ fail "deploy/image could not build the image"; docker_down; finish; }
pass "deploy/image: $IMG imported ($("$DOCKER" image inspect -f '{{.Size}}' "$IMG") bytes)"

check "nswatch receives events" start_watch "$EV"
W1=$WATCH_PID
ip netns add nslink67

# The DaemonSet shape, as the README gives it, with docker's client here.
cmd=$(sed -n '/^docker run -d --name nswatch /,/[^\\]$/p' "$TOP/README.md")
[ -n "$cmd" ] || { fail "README.md gives no 'docker run -d --name nswatch' command"; docker_down; finish; }
echo "the README's command: $cmd"
eval "\"\$DOCKER\"${cmd#docker}" > /dev/null
check_eq "nswatch's container runs" true "$("$DOCKER" inspect -f '{{.State.Running}}' nswatch 2>&1)"
DL=/tmp/ev67-daemonset.json
# dlog_wait FILTER: the container's nswatch printed a matching line.
dlog_wait() {
	local i
	for i in $(seq $(( ${2:-20} * 10 * SLOW ))); do
		"$DOCKER" logs nswatch > "$DL" 2> "$DL.err"
		[ -n "$(jq -c "select($1)" "$DL" 2>/dev/null | head -1)" ] && return 0
		sleep 0.2
	done
	return 1
}
# Ready once it prints a host transition.
unshare -u sleep 600 &
h=$!
h_want="null|$(proc_cgroup $h)|$(ns_ino $h uts)"
check "the containerised nswatch sees a host unshare" dlog_wait ".pid == $h and .reason == \"unshare\""
check_eq "DaemonSet shape: the host's unshare, no container, the host's cgroup and uts" \
	"$h_want" \
	"$(jq -r "select(.pid == $h and .reason == \"unshare\") | \"\(.container)|\(.cgroup.path)|\(.ns.uts.new)\"" "$DL" | head -1)"

# The container under test (CAP_SYS_ADMIN, which unshare and setns need,
# and docker's seccomp profile then allows them), created first so that the filtered watcher
# can be given its id before it starts; another one beside it.
# (The image's entry point is nswatch: a shell instead.)
"$DOCKER" create --network=none --cap-add=SYS_ADMIN --name other67 --entrypoint /bin/sh "$IMG" -c "$WORKLOAD" >/dev/null
cid=$("$DOCKER" create --network=none --cap-add=SYS_ADMIN --name work67 --entrypoint /bin/sh "$IMG" -c "$WORKLOAD")
check_match "docker create: a full id" '^[0-9a-f]{64}$' "$cid"
"$NSWATCH" -j -C "$cid" > /tmp/ev67c.json 2> /tmp/ev67c.err &
W2=$!
watch_ready "$W2"
"$DOCKER" start work67 other67 >/dev/null
init=$("$DOCKER" inspect -f '{{.State.Pid}}' work67)
oid=$("$DOCKER" inspect -f '{{.Id}}' other67)
check_eq "docker inspect: the id create printed" "$cid" "$("$DOCKER" inspect -f '{{.Id}}' work67)"

sel_u=".reason == \"unshare\" and .comm == \"unshare\" and .container.id == \"$cid\""
sel_s=".reason == \"setns\" and .comm == \"nsenter\" and .container.id == \"$cid\""
if ! wait_for "$EV" "$sel_u" 30 || ! wait_for "$EV" "$sel_s" 30; then
	fail "no unshare and setns events from the container"
	"$DOCKER" logs work67 2>&1 | tail -5
else
	u=$(jq -c "select($sel_u)" "$EV" | head -1)
	s=$(jq -c "select($sel_s)" "$EV" | head -1)
	up=$(jq -r .pid <<<"$u") sp=$(jq -r .pid <<<"$s")
	check_eq "unshare: container = docker, docker inspect's .Id" "docker|$cid" \
		"$(jq -r '"\(.container.runtime)|\(.container.id)"' <<<"$u")"
	check_eq "unshare, setns: the parent is docker inspect's .State.Pid" "$init $init" \
		"$(jq -r .ppid <<<"$u") $(jq -r .ppid <<<"$s")"
	check_eq "the tasks are in the init's pid namespace, not the host's" \
		"$(readlink /proc/$init/ns/pid) $(readlink /proc/$init/ns/pid) different" \
		"$(readlink /proc/$up/ns/pid) $(readlink /proc/$sp/ns/pid) $([ "$(readlink /proc/$init/ns/pid)" != "$(readlink /proc/1/ns/pid)" ] && echo different)"
	check_eq "unshare: uts new = /proc/PID/ns/uts, old = the init's" \
		"$(ns_ino $up uts) $(ns_ino $init uts)" "$(jq -r '"\(.ns.uts.new) \(.ns.uts.old)"' <<<"$u")"
	check_eq "setns (nsenter -t UNSHARED -u): uts new = the unshared task's" \
		"$(ns_ino $up uts) $(ns_ino $sp uts)" "$(jq -r '.ns.uts.new' <<<"$s") $(ns_ino $sp uts)"
	check_eq "cgroup: /proc/PID/cgroup's path, /docker/ID (cgroupfs driver), its directory's inode" \
		"$(proc_cgroup "$up")|/docker/$cid|$(stat -c %i "/sys/fs/cgroup/docker/$cid")" \
		"$(jq -r '"\(.cgroup.path)|\(.cgroup.path)|\(.cgroup.id)"' <<<"$u")"
	check "--container ID: the container's unshare arrives" \
		wait_for /tmp/ev67c.json ".pid == $up and .reason == \"unshare\""
	check "--container ID: its setns arrives" \
		wait_for /tmp/ev67c.json ".pid == $sp and .reason == \"setns\""
	check "the other container's unshare (seen by the host's watcher)" \
		wait_for "$EV" ".reason == \"unshare\" and .container.id == \"$oid\""
	check_eq "--container ID: nothing else (not the other container, not the host)" \
		"" "$(jq -c "select(.container.id != \"$cid\")" /tmp/ev67c.json | head -1)"
	check_match "text: container=docker:SHORT" " container=docker:${cid:0:12}( |\$)" \
		"$("$NSWATCH" --snapshot -c 0 -p "$up")"

	# What the containerised nswatch says of the same tasks.
	check "DaemonSet shape: the container's unshare, by its host pid" dlog_wait ".pid == $up and .reason == \"unshare\""
	check_eq "DaemonSet shape: the same event as the host's nswatch (pid, ppid, container, cgroup, uts)" \
		"$(jq -c '[.seq, .pid, .ppid, .container, .cgroup, .ns.uts]' <<<"$u")" \
		"$(jq -c "select(.pid == $up and .reason == \"unshare\") | [.seq, .pid, .ppid, .container, .cgroup, .ns.uts]" "$DL" | head -1)"
	check "DaemonSet shape: the other container's unshare, named" \
		dlog_wait ".reason == \"unshare\" and .container.id == \"$oid\""
fi
ip netns exec nslink67 true &
n=$!
wait "$n"
check "DaemonSet shape: ip netns exec, the netns named from the host's /run/netns" \
	dlog_wait ".pid == $n and .reason == \"setns\" and .ns.net.new_name == \"nslink67\""
check_eq "DaemonSet shape: nothing on its standard error" "" "$(cat "$DL.err")"

# The less privileged shapes: a sentence that names the missing flag.
shape() {	# WHAT STATUS REGEX DOCKER-RUN-OPTIONS...
	local what=$1 want=$2 re=$3 out rc
	shift 3
	out=$("$DOCKER" run --rm "$@" "$IMG" --snapshot -c 0 2>&1 >/dev/null); rc=$?
	check_eq "$what: exit status $want" "$want" "$rc"
	check_match "$what: the sentence names the flag" "$re" "$out"
}
CG=(-v /sys/fs/cgroup:/sys/fs/cgroup:ro)
shape "without --network=host" 5 '^nswatch: .*--network=host' \
	--privileged --pid=host "${CG[@]}" --network=none
shape "without --pid=host" 6 '^nswatch: .*--pid=host' --privileged --network=host "${CG[@]}"
shape "without --privileged" 3 '^nswatch: .*--privileged' --pid=host --network=host "${CG[@]}"
shape "without the host's /sys/fs/cgroup (docker's own cgroup namespace): works, and warns" 0 \
	'^nswatch: warning: .*-v /sys/fs/cgroup:/sys/fs/cgroup:ro.*--cgroupns=host' \
	--privileged --pid=host --network=host
kill "$h" 2>/dev/null
"$DOCKER" stop -t 1 nswatch >/dev/null
check_eq "DaemonSet shape: docker stop ends nswatch with status 0" 0 \
	"$("$DOCKER" inspect -f '{{.State.ExitCode}}' nswatch)"
kill "$W1" "$W2" 2>/dev/null
wait "$W1" "$W2" 2>/dev/null
docker_down
ip netns delete nslink67
check "nothing in the kernel log" kernel_log_clean
finish
