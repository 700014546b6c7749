#!/bin/bash
# Which cgroup, which container, which namespace, by the kernel's own
# names: every event's cgroup v2 id and path checked against the cgroup's
# directory (its inode is the id) and /proc/PID/cgroup, for a cgroup made
# before nswatch started and removed before the event was read, one made
# after it started, the root cgroup, exit events and the snapshot; one
# named like a container where no runtime puts one (a claim); an LXC
# container started with lxc-execute, named as lxc-info sees it, and
# --container keeping to it; and, where the kernel has them, the 64-bit
# namespace ids of events and the snapshot against ioctl(NS_GET_ID).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

EV=/tmp/ev66.json
CG=/sys/fs/cgroup/nslink66
check "insmod nslink.ko" load_module
info=$("$NSWATCH" --info -j)
check_match "features: cgroup-id" '"cgroup-id"' "$info"
if ! grep -q cgroup2 /proc/self/mounts; then
	fail "no cgroup v2 hierarchy is mounted in the VM"
	finish
fi
# The cgroup a task is in, as /proc/PID/cgroup says (the v2 line).
proc_cgroup() { sed -n 's/^0:://p' "/proc/$1/cgroup"; }

rmdir "$CG"/* "$CG" 2>/dev/null
mkdir -p "$CG/before" "$CG/gone"
check "nswatch receives events" start_watch "$EV" --exit
W1=$WATCH_PID
mkdir -p "$CG/after"

# run_in DIR CMD...: run CMD (backgrounded) as a task of cgroup DIR; its
# pid in $RUN_PID.
run_in() {
	local dir=$1
	shift
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$dir" "$@" &
	RUN_PID=$!
}

# cgroup_of_event WHAT FILE PID REASON DIR: the event's cgroup is DIR
# (id = the directory's inode, path = /proc/PID/cgroup's).
cgroup_of_event() {
	local what=$1 file=$2 pid=$3 reason=$4 dir=$5 path=$6 e
	wait_for "$file" ".pid == $pid and .reason == \"$reason\"" ||
		{ fail "$what: no $reason event for pid $pid"; return; }
	e=$(jq -c "select(.pid == $pid and .reason == \"$reason\")" "$file" | head -1)
	check_eq "$what: cgroup id = the directory's inode, path = /proc/PID/cgroup, no container" \
		"$(stat -c %i "$dir")|$path|null" \
		"$(jq -r '"\(.cgroup.id)|\(.cgroup.path)|\(.container)"' <<<"$e")"
}

run_in "$CG/before" unshare -u sleep $(slow 30)
p=$RUN_PID
wait_for "$EV" ".pid == $p and .reason == \"unshare\""
cgroup_of_event "a cgroup made before nswatch" "$EV" "$p" unshare "$CG/before" "$(proc_cgroup "$p")"
check_eq "/proc/PID/cgroup agrees" "/nslink66/before" "$(proc_cgroup "$p")"

run_in "$CG/after" unshare -i sleep $(slow 30)
q=$RUN_PID
wait_for "$EV" ".pid == $q and .reason == \"unshare\""
cgroup_of_event "a cgroup made after nswatch started" "$EV" "$q" unshare "$CG/after" "/nslink66/after"

# A cgroup gone by the time the event is read: known from nswatch's walk.
gone_ino=$(stat -c %i "$CG/gone")
run_in "$CG/gone" unshare -u true
g=$RUN_PID
wait "$g"
for i in $(seq $(slow 50)); do rmdir "$CG/gone" 2>/dev/null && break; sleep 0.1; done
check "the short-lived cgroup is removed" test ! -d "$CG/gone"
wait_for "$EV" ".pid == $g and .reason == \"unshare\""
check_eq "a cgroup removed before the event was read is still named" \
	"$gone_ino|/nslink66/gone" \
	"$(jq -r "select(.pid == $g and .reason == \"unshare\") | \"\(.cgroup.id)|\(.cgroup.path)\"" "$EV" | head -1)"
check_eq "its exit event names the cgroup it exited in" \
	"$gone_ino|/nslink66/gone" \
	"$(jq -r "select(.pid == $g and .reason == \"exit\") | \"\(.cgroup.id)|\(.cgroup.path)\"" "$EV" | head -1)"

# The root cgroup: id 1, path "/", reported as such.
sh -c 'echo $$ > /sys/fs/cgroup/cgroup.procs && exec unshare -u true' &
r=$!
wait "$r"
wait_for "$EV" ".pid == $r and .reason == \"unshare\""
check_eq "the root cgroup: id 1 (its directory's inode), path /, no container" \
	"1|1|/|null" \
	"$(stat -c %i /sys/fs/cgroup)|$(jq -r "select(.pid == $r and .reason == \"unshare\") | \"\(.cgroup.id)|\(.cgroup.path)|\(.container)\"" "$EV" | head -1)"

# A cgroup named after a container where no runtime puts one (anyone with
# a delegated cgroup could name it so): a claim, not a container.
SPOOF=$CG/docker-3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8.scope
mkdir -p "$SPOOF"
run_in "$SPOOF" unshare -u true
s=$RUN_PID
wait "$s"
wait_for "$EV" ".pid == $s and .reason == \"unshare\""
check_eq "a docker-ID.scope outside system.slice: no container, delegated, the claim apart" \
	"null|true|docker|${SPOOF##*/docker-}" \
	"$(jq -r "select(.pid == $s and .reason == \"unshare\") | \"\(.container)|\(.delegated)|\(.claimed_container.runtime)|\(.claimed_container.id).scope\"" "$EV" | head -1)"
for i in $(seq $(slow 50)); do rmdir "$SPOOF" 2>/dev/null && break; sleep 0.1; done

# The snapshot: the same cgroup for a task listed there.
snap=$("$NSWATCH" -j --snapshot -c 0 -p "$p")
check_eq "snapshot: the task's cgroup" "$(stat -c %i "$CG/before")|/nslink66/before" \
	"$(jq -r 'select(.snapshot) | "\(.cgroup.id)|\(.cgroup.path)"' <<<"$snap" | head -1)"
txt=$("$NSWATCH" --snapshot -c 0 -p "$p")
check_match "text: cgroup=PATH" " cgroup=/nslink66/before( |\$)" "$txt"
kill "$p" "$q" 2>/dev/null
wait "$p" "$q" 2>/dev/null

# Namespace ids, where the kernel has them.
nsids() {	# PID: "type=id ..." for every type, from ioctl(NS_GET_ID)
	python3 - "$1" <<'EOF'
import fcntl, os, struct, sys
NS_GET_ID = 0x8008b70d	# _IOR(0xb7, 13, __u64)
out = []
for t, f in [("cgroup", "cgroup"), ("ipc", "ipc"), ("mnt", "mnt"), ("net", "net"),
             ("pid", "pid_for_children"), ("time", "time_for_children"),
             ("user", "user"), ("uts", "uts")]:
    fd = os.open("/proc/%s/ns/%s" % (sys.argv[1], f), os.O_RDONLY)
    b = bytearray(8)
    fcntl.ioctl(fd, NS_GET_ID, b)
    os.close(fd)
    out.append("%s=%d" % (t, struct.unpack("Q", b)[0]))
print(" ".join(out))
EOF
}
if grep -q '"ns-id"' <<<"$info"; then
	unshare -n sleep $(slow 30) &
	n=$!
	wait_for "$EV" ".pid == $n and .reason == \"unshare\""
	want=$(nsids "$n") mine=$(nsids $$)
	net_new=$(tr ' ' '\n' <<<"$want" | sed -n 's/^net=//p')
	net_old=$(tr ' ' '\n' <<<"$mine" | sed -n 's/^net=//p')
	check_eq "event: net old_id/new_id = ioctl(NS_GET_ID) of the shell's and the task's" \
		"$net_old/$net_new" \
		"$(jq -r "select(.pid == $n and .reason == \"unshare\") | \"\(.ns.net.old_id)/\(.ns.net.new_id)\"" "$EV" | head -1)"
	check_eq "snapshot: every type's new_id = ioctl(NS_GET_ID)" "$want" \
		"$("$NSWATCH" -j --snapshot -c 0 -p "$n" | jq -r 'select(.snapshot and .pid == '"$n"') | .ns | to_entries | sort_by(.key) | map("\(.key)=\(.value.new_id)") | join(" ")')"
	kill "$n"
	wait "$n" 2>/dev/null
else
	check_eq "no ns-id feature: events carry no ids" "" \
		"$(jq -r 'select(.ns != null) | .ns[] | select(.old_id != null or .new_id != null) | "id"' "$EV" | head -1)"
	if python3 -c 'import fcntl, os; fcntl.ioctl(os.open("/proc/self/ns/net", os.O_RDONLY), 0x8008b70d, bytearray(8))' 2>/dev/null; then
		fail "the kernel answers NS_GET_ID but the module reports no ns-id feature"
	else
		pass "the kernel has no NS_GET_ID either"
	fi
fi

# A real container: LXC, host root, its own uts, ipc, pid, mnt and net.
NAME=nslinkt66
if ! command -v lxc-execute >/dev/null; then
	fail "lxc-execute is missing: install lxc (tests/deps.sh, tests/vm/mkroot)"
	finish
fi
cat > /tmp/lxc66.conf <<EOF
lxc.uts.name = $NAME
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
lxc.mount.auto = proc:mixed sys:ro cgroup:mixed
lxc.log.file = /tmp/lxc66.log
lxc.log.level = INFO
lxc.console.path = none
lxc.tty.max = 0
EOF
# The filtered watcher shows none of start_watch's sentinels: it is ready
# once its socket is open (it joins right after), well before the
# container's first transition a second after the container starts.
"$NSWATCH" -j -C "lxc:$NAME" > /tmp/ev66c.json 2> /tmp/ev66c.err &
W2=$!
for i in $(seq $(slow 50)); do
	ls -l /proc/$W2/fd 2>/dev/null | grep -q 'socket:' && break
	sleep 0.1
done
sleep 0.5
lxc-execute -n "$NAME" -f /tmp/lxc66.conf -- /bin/sh -c 'sleep 1; exec unshare -u sleep 60' \
	> /tmp/lxc66.out 2>&1 &
L=$!
for i in $(seq $(slow 300)); do
	[ "$(lxc-info -n "$NAME" -s -H 2>/dev/null)" = RUNNING ] && break
	kill -0 "$L" 2>/dev/null || break	# lxc-execute gave up
	sleep 0.1
done
check_eq "lxc-info: the container runs" RUNNING "$(lxc-info -n "$NAME" -s -H 2>/dev/null)"
init=$(lxc-info -n "$NAME" -p -H 2>/dev/null)
if ! wait_for "$EV" '.reason == "unshare" and .comm == "unshare" and .container.runtime == "lxc"' 30; then
	fail "no unshare event from inside the container"
	cat /tmp/lxc66.out /tmp/lxc66.log | tail -20
else
	e=$(jq -c 'select(.reason == "unshare" and .comm == "unshare" and .container.runtime == "lxc")' "$EV" | head -1)
	c=$(jq -r .pid <<<"$e")
	check_eq "container: lxc and the name lxc-info knows" "lxc|$NAME" \
		"$(jq -r '"\(.container.runtime)|\(.container.id)"' <<<"$e")"
	check_eq "container: the task's parent is the container's init (lxc-info -p)" \
		"$init" "$(jq -r .ppid <<<"$e")"
	check_eq "container: cgroup path = /proc/PID/cgroup, id = its directory's inode" \
		"$(proc_cgroup "$c")|$(stat -c %i "/sys/fs/cgroup$(proc_cgroup "$c")")" \
		"$(jq -r '"\(.cgroup.path)|\(.cgroup.id)"' <<<"$e")"
	check_eq "container: the task is in the container's pid namespace" \
		"$(readlink /proc/"$init"/ns/pid)" "$(readlink /proc/"$c"/ns/pid)"
	check "--container lxc:$NAME: the container's event arrives" \
		wait_for /tmp/ev66c.json ".pid == $c and .reason == \"unshare\""
	check_eq "--container lxc:$NAME: nothing else (the sentinels from the host are left out)" \
		"" "$(jq -c "select(.container.id != \"$NAME\")" /tmp/ev66c.json | head -1)"
	txt=$("$NSWATCH" --snapshot -c 0 -p "$c")
	check_match "text: container=lxc:$NAME" " container=lxc:$NAME( |\$)" "$txt"
fi
lxc-stop -n "$NAME" -k >/dev/null 2>&1
wait "$L" 2>/dev/null
check_eq "host tasks: no container" "" \
	"$(jq -c "select(.pid == $p and .container != null)" "$EV" | head -1)"

kill "$W1" "$W2" 2>/dev/null
wait "$W1" "$W2" 2>/dev/null
rmdir "$CG"/* "$CG" 2>/dev/null
check "nothing in the kernel log" kernel_log_clean
finish
