#!/bin/bash
# Namespace-change events from the real tools: every unshare flag alone and
# together, clone with CLONE_NEW* (child pid), setns on a pidfd moving user
# and net at once, nsenter -a, ip netns; each inode checked against
# /proc/PID/ns and lsns, each reason, exit events only when asked for,
# refusal of unprivileged listeners, and GET_STATS against what arrived.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

EV=/tmp/ev20.json
check "insmod nslink.ko" load_module
out=$("$NSWATCH" --info -j)
check_match "features: events stats snapshot exit-events" \
	'"features":\["events","stats","snapshot","exit-events"' "$out"
check "nswatch receives events" start_watch "$EV"
A=$WATCH_PID
nsfs_dev=$(stat -L -c %d /proc/self/ns/net)

# check_event WHAT PID REASON TYPES: exactly one event of PID, with REASON,
# changing exactly TYPES (sorted, comma-separated); each new inode as
# /proc/PID/ns shows it, each old one as OLDPID's (default: this shell's).
# Exec events are left aside: an `unshare -T CMD` also makes one where the
# kernel switches the time namespace at exec, which the test after
# "-T --fork" checks.
check_event() {
	local what=$1 pid=$2 reason=$3 types=$4 oldpid=${5:-$$} e t want=""
	local -A new old
	wait_for "$EV" ".pid == $pid and .reason == \"$reason\"" || { fail "$what: no $reason event for pid $pid"; return; }
	sleep 0.3	# a second event would be a bug: give it time to show
	ns_map "$pid" new
	ns_map "$oldpid" old
	e=$(events_of "$EV" "$pid" | jq -c "select(.reason != \"exec\" or \"$reason\" == \"exec\")")
	check_eq "$what: one event (exec events aside)" 1 "$(printf '%s\n' "$e" | grep -c .)"
	LAST_EVENT=$(printf '%s\n' "$e" | head -1)
	for t in ${types//,/ }; do
		want+=" $t=${new[$t]:-?}/${old[$t]:-?}/$nsfs_dev"
	done
	check_eq "$what: reason, types, inodes = /proc/PID/ns (new) and parent's (old), nsfs dev" \
		"$reason|$types|${want# }" \
		"$(jq -r '[.reason, (.ns | keys | join(",")),
			(.ns | to_entries | sort_by(.key) |
			 map("\(.key)=\(.value.new)/\(.value.old)/\(.value.dev)") | join(" "))] |
			join("|")' <<<"$LAST_EVENT")"
}

# Each unshare flag alone.
declare -A type_of=([n]=net [m]=mnt [u]=uts [i]=ipc [C]=cgroup [T]=time [U]=user [p]=pid)
for f in n m u i C T U; do
	unshare -$f sleep $(slow 20) &
	p=$!
	check_event "unshare -$f" $p unshare "${type_of[$f]}"
	kill $p
done
# pid_for_children reads ENOENT until the namespace has its init: fork one.
unshare -p sh -c 'sleep 20 & wait' &
p=$!
check_event "unshare -p" $p unshare pid
kill $p

# All of them in one call: one event with seven types; lsns agrees.
unshare -n -m -u -i -C -T -U sleep $(slow 20) &
p=$!
check_event "unshare -n -m -u -i -C -T -U" $p unshare cgroup,ipc,mnt,net,time,user,uts
check_eq "unshare -n -m -u -i -C -T -U: lsns shows the new namespaces" \
	"$(jq -r '[.ns.cgroup.new, .ns.ipc.new, .ns.mnt.new, .ns.net.new, .ns.user.new, .ns.uts.new] | join(" ")' <<<"$LAST_EVENT")" \
	"$(lsns -p $p -n -o TYPE,NS | sort | awk '$1 ~ /^(cgroup|ipc|mnt|net|user|uts)$/ { printf "%s%s", sep, $2; sep = " " }')"
kill $p

# An unprivileged user's own user namespace: the event names its uid, as
# the initial user namespace sees it (/proc/PID/status).
setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare -U sleep $(slow 20) &
p=$!
check_event "nobody: unshare -U" $p unshare user
check_eq "nobody: unshare -U: uid is the task's real uid in the initial user namespace" \
	"$(awk '/^Uid:/ { print $2 }' /proc/$p/status)" "$(jq .uid <<<"$LAST_EVENT")"
kill $p

# -p --fork: the unshare process changes pid_for_children; its child lives
# in that pid namespace and is no transition of its own.
unshare -p --fork sleep $(slow 20) &
p=$!
check_event "unshare -p --fork" $p unshare pid
for i in $(seq $(slow 50)); do c=$(pgrep -P $p); [ -n "$c" ] && break; sleep 0.1; done
check_eq "unshare -p --fork: child's pid namespace is the event's new one" \
	"$(jq .ns.pid.new <<<"$LAST_EVENT")" "$(readlink /proc/$c/ns/pid | tr -dc 0-9)"
check_eq "unshare -p --fork: no event for the child" "" "$(events_of "$EV" "$c")"
kill $p

# -T --fork: the child enters the time namespace at fork; its exec switches
# nothing, so no exec event.
unshare -T --fork sleep $(slow 20) &
p=$!
check_event "unshare -T --fork" $p unshare time
for i in $(seq $(slow 50)); do c=$(pgrep -P $p); [ -n "$c" ] && break; sleep 0.1; done
check_eq "unshare -T --fork: child's time namespace is the event's new one" \
	"$(jq .ns.time.new <<<"$LAST_EVENT")" "$(readlink /proc/$c/ns/time | tr -dc 0-9)"
kill $p

# -T without --fork: unshare, then exec. Kernels with exec_task_namespaces
# move the task itself into the new time namespace at exec; nslink reports
# that as a second event, reason exec, and says so in GET_INFO
# (exec-events). The kernel's own truth decides which kind this is.
unshare -T sleep $(slow 20) &
p=$!
wait_for "$EV" ".pid == $p and .reason == \"unshare\"" || fail "unshare -T: no unshare event"
for i in $(seq $(slow 50)); do [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && break; sleep 0.1; done
sleep 0.3
own=$(readlink /proc/$p/ns/time | tr -dc 0-9) shell=$(readlink /proc/$$/ns/time | tr -dc 0-9)
e=$(jq -c "select(.pid == $p and .reason == \"exec\")" "$EV")
if [ "$own" != "$shell" ]; then
	check_match "unshare -T: the kernel switched at exec, and GET_INFO says exec-events" \
		'"exec-events"' "$("$NSWATCH" --info -j)"
	check_eq "unshare -T: one exec event" 1 "$(grep -c . <<<"$e")"
	check_eq "unshare -T: exec event: time only, old = parent's, new = /proc/PID/ns/time" \
		"time $shell $own" "$(jq -r '[(.ns | keys | join(",")), .ns.time.old, .ns.time.new] | join(" ")' <<<"$e")"
else
	check "unshare -T: the kernel switched nothing at exec, and GET_INFO has no exec-events" \
		bash -c "! grep -q exec-events <<<\"\$1\"" _ "$("$NSWATCH" --info -j)"
	check_eq "unshare -T: no exec event" "" "$e"
fi
kill $p

# clone(CLONE_NEW*): the event carries the child's own pid, its parent's
# namespaces as old.
bash -c "echo \$\$; exec $HELPER clone net,user,uts sleep $(slow 20)" > /tmp/clone.out
parent=$(sed -n 1p /tmp/clone.out) child=$(sed -n 2p /tmp/clone.out)
check_event "clone(NEWNET|NEWUSER|NEWUTS)" "$child" clone net,user,uts
check_eq "clone: tgid is the child's" "$child" "$(jq .tgid <<<"$LAST_EVENT")"
check_eq "clone: ppid is the cloning process" "$parent" "$(jq .ppid <<<"$LAST_EVENT")"
kill "$child"
bash -c "echo \$\$; exec $HELPER clone mnt,ipc,pid,cgroup,time sleep $(slow 20)" > /tmp/clone.out
child=$(sed -n 2p /tmp/clone.out)
check_event "clone(NEWNS|NEWIPC|NEWPID|NEWCGROUP|NEWTIME)" "$child" clone cgroup,ipc,mnt,pid,time
check_eq "clone: the child's own pid namespace is the new one" \
	"$(jq .ns.pid.new <<<"$LAST_EVENT")" "$(readlink /proc/$child/ns/pid | tr -dc 0-9)"
kill "$child"
# A plain fork changes nothing and says nothing.
sleep $(slow 20) &
p=$!
sleep 0.5
check_eq "plain fork: no event" "" "$(events_of "$EV" $p)"
# Nor does an unshare with no CLONE_NEW* flag (the hooks skip it), even
# right after a failed setns of the same task, whose state the module kept;
# and the task's next real unshare is still seen, from the right namespaces.
p=$("$HELPER" after-failed-setns fs,files)
"$HELPER" after-failed-setns uts sleep $(slow 20) > /dev/null &
q=$!
check_event "unshare(CLONE_NEWUTS) after a failed setns" "$q" unshare uts
kill "$q"
check_eq "unshare(CLONE_FS|CLONE_FILES) after a failed setns: no event" "" "$(events_of "$EV" $p)"
kill $p

# setns on a pidfd moving user and net at once: one event, both types.
unshare -U -n sleep $(slow 20) &
target=$!
wait_for "$EV" ".pid == $target"
"$HELPER" setns $target user,net sleep $(slow 20) > /tmp/setns.pid &
for i in $(seq $(slow 50)); do s=$(cat /tmp/setns.pid); [ -n "$s" ] && break; sleep 0.1; done
check_event "setns(pidfd, NEWUSER|NEWNET)" "$s" setns net,user
check_eq "setns(pidfd): user is the target's" "$(ns_ino $target user)" "$(jq .ns.user.new <<<"$LAST_EVENT")"
kill "$s" $target

# setns through the 32-bit entry (int $0x80) of a 64-bit process: the
# kernel's compat setns, a function hooked apart from the native one.
if grep -q ' __ia32_sys_setns$' /proc/kallsyms; then
	unshare -n sleep $(slow 20) &
	target=$!
	wait_for "$EV" ".pid == $target"
	: > /tmp/setns32.pid
	"$HELPER" setns-compat /proc/$target/ns/net sleep $(slow 20) > /tmp/setns32.pid &
	for i in $(seq $(slow 50)); do s=$(cat /tmp/setns32.pid); [ -n "$s" ] && break; sleep 0.1; done
	check_event "setns through int \$0x80 (the compat syscall)" "$s" setns net
	check_eq "compat setns: net is the target's" "$(ns_ino $target net)" "$(jq .ns.net.new <<<"$LAST_EVENT")"
	kill "$s" $target
else
	echo "note: $T: no compat setns on this kernel ($(uname -m), no __ia32_sys_setns): nothing to hook, nothing checked"
fi

# nsenter -t PID -a: one setns per namespace; in the end the task is in
# every namespace of the target.
unshare -U -r -m -u -i -n -C sleep $(slow 20) &
target=$!
wait_for "$EV" ".pid == $target"
nsenter -t $target -a sleep $(slow 20) &
p=$!
wait_for "$EV" ".pid == $p and .ns.mnt != null"
sleep 0.5
e=$(events_of "$EV" $p)
check_eq "nsenter -a: every event is setns" "setns" "$(jq -r .reason <<<"$e" | sort -u | tr '\n' ' ' | sed 's/ $//')"
declare -A tgt mine
ns_map $target tgt
ns_map $p mine
bad=""
for t in cgroup ipc mnt net user uts; do
	last=$(jq "select(.ns.$t != null) | .ns.$t.new" <<<"$e" | tail -1)
	[ "$last" = "${tgt[$t]}" ] && [ "$last" = "${mine[$t]}" ] || bad+=" $t"
done
check_eq "nsenter -a: each type entered, inode = target's = /proc/PID/ns" "" "$bad"
kill $p $target

# ip netns add / exec / delete; names shown like ip netns identify.
ip netns add blue
blue=$(stat -L -c %i /run/netns/blue)
check "ip netns add: an unshare event into the new netns" \
	wait_for "$EV" ".reason == \"unshare\" and .comm == \"ip\" and .ns.net.new == $blue"
ip netns exec blue sleep $(slow 20) &
p=$!
wait_for "$EV" ".pid == $p and .ns.mnt != null"
e=$(events_of "$EV" $p)
check_eq "ip netns exec: setns into blue" "$blue" "$(jq 'select(.reason == "setns") | .ns.net.new' <<<"$e")"
check_eq "ip netns exec: the netns is named" '"blue"' "$(jq 'select(.reason == "setns") | .ns.net.new_name' <<<"$e")"
check_eq "ip netns exec: /proc/PID/ns/net" "$blue" "$(ns_ino $p net)"
check_match "lsns lists the netns" "^ *$blue\$" "$(lsns -t net -n -o NS)"
kill $p; wait $p 2>/dev/null
n=$(grep -c . "$EV")
ip netns delete blue
sleep 0.5
check_eq "ip netns delete: no transition, no event" "$n" "$(grep -c . "$EV")"

# Text output names the netns too.
ip netns add red
"$NSWATCH" -c 1 -t net -r setns > /tmp/text.out &
w=$!
sleep $(slow 1)
ip netns exec red true
wait $w
check_match "text output: one line, net:[old]->[new](red), then the cgroup" \
	"^seq=[0-9]+ ts=[0-9]+\\.[0-9]{9} reason=setns pid=[0-9]+ tgid=[0-9]+ ppid=[0-9]+ uid=0 comm=ip net:\\[[0-9]+\\]->\\[[0-9]+\\]\\(red\\) cgroup=$(re_escape "$(sed -n 's/^0:://p' /proc/self/cgroup)")\$" \
	"$(cat /tmp/text.out)"
ip netns delete red

# Wall-clock time and boot id: JSON has both; --time-format utc puts the
# RFC 3339 time in the text form in place of ts.
unshare -u true &
u=$!
wait $u
wait_for "$EV" ".pid == $u and .reason == \"unshare\""
e=$(events_of "$EV" "$u" | head -1)
check_eq "JSON: boot_id is the kernel's" "$(cat /proc/sys/kernel/random/boot_id)" "$(jq -r .boot_id <<<"$e")"
t=$(date -u -d "$(jq -r .time <<<"$e")" +%s 2>/dev/null)
check "JSON: time is RFC 3339 UTC, within a minute of now ($(jq -r .time <<<"$e"))" \
	test -n "$t" -a "$(( $(date +%s) - ${t:-0} ))" -ge 0 -a "$(( $(date +%s) - ${t:-0} ))" -le 60
"$NSWATCH" -c 1 -r unshare --time-format utc > /tmp/text.out &
w=$!
sleep $(slow 1)
unshare -u true
wait $w
check_match "text --time-format utc: time= in place of ts=" \
	"^seq=[0-9]+ time=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z reason=unshare " \
	"$(cat /tmp/text.out)"

# Filters.
"$NSWATCH" -j -c 1 -t ipc > /tmp/f.out &
w=$!
sleep $(slow 1)
unshare -u true; unshare -i -u true
wait $w
check_eq "-t ipc: only the ipc change, only ipc shown" "ipc" "$(jq -r '.ns | keys | join(",")' /tmp/f.out)"
rm -f /tmp/go; mkfifo /tmp/go
bash -c 'read x < /tmp/go; exec unshare -u true' &
p=$!
"$NSWATCH" -j -c 1 -p $p > /tmp/f.out &
w=$!
sleep $(slow 1)
unshare -u true; unshare -n true
echo > /tmp/go
wait $w
check_eq "-p PID: only that task's event" "$p unshare" "$(jq -r '"\(.pid) \(.reason)"' /tmp/f.out)"
"$NSWATCH" -j -c 1 -r clone > /tmp/f.out &
w=$!
sleep $(slow 1)
unshare -n true; $HELPER clone uts true >/dev/null
wait $w
check_eq "-r clone: only clone" "clone" "$(jq -r .reason /tmp/f.out)"

# Exit events: none while nobody asked (the kernel does not send them).
sleep 0.2
st=$(stats_json)
check_eq "no exit events sent while nobody subscribed" 0 "$(jq .reasons.exit <<<"$st")"
check_eq "watcher without --exit printed no exit" "" "$(jq -c 'select(.reason == "exit")' "$EV")"

# GET_STATS against what the only listener received.
seq=$(jq .seq <<<"$st")
check "the watcher caught up with seq $seq" wait_for "$EV" ".seq == $seq"
check_eq "GET_STATS: emitted = events received" "$(jq -c 'select(.seq <= '"$seq"')' "$EV" | grep -c .)" "$(jq .emitted <<<"$st")"
check_eq "GET_STATS: seq = emitted (no message lost before sending)" "$(jq .emitted <<<"$st")" "$seq"
check_eq "GET_STATS: dropped" 0 "$(jq .dropped <<<"$st")"
bad=""
for r in clone unshare setns exec exit; do
	[ "$(jq .reasons.$r <<<"$st")" = "$(jq -c 'select(.seq <= '"$seq"' and .reason == "'$r'")' "$EV" | grep -c .)" ] || bad+=" $r"
done
check_eq "GET_STATS: per-reason counts = events received" "" "$bad"
check_eq "no loss reported" "" "$(grep lost "$EV" "$EV.err")"
seqs=$(jq .seq "$EV")
check_eq "events arrived in seq order, no gap" "$(seq 1 $seq | tr '\n' ' ')" "$(head -n $seq <<<"$seqs" | tr '\n' ' ')"

# With --exit: exits arrive, with the task's namespaces as old.
start_watch /tmp/exit.json --exit
B=$WATCH_PID
sleep 0.1 &
x=$!
wait $x
check "--exit: exit event of a short-lived task" wait_for /tmp/exit.json ".pid == $x and .reason == \"exit\""
declare -A sh_ns
ns_map $$ sh_ns
want=""
for t in cgroup ipc mnt net pid time user uts; do want+=" $t=null/${sh_ns[$t]}"; done
check_eq "exit event: all eight types, old only, as the task had" "${want# }" \
	"$(jq -r 'select(.pid == '$x' and .reason == "exit") | .ns | to_entries | sort_by(.key) |
		map("\(.key)=\(.value.new)/\(.value.old)") | join(" ")' /tmp/exit.json)"
sleep 0.5
check_eq "watcher without --exit still prints no exit" "" "$(jq -c 'select(.reason == "exit")' "$EV")"
kill $B; wait $B 2>/dev/null
before=$(stats_json | jq .reasons.exit)
for i in 1 2 3 4 5; do /bin/true; done
sleep 0.3
check_eq "closing the --exit socket withdraws its subscription" "$before" "$(stats_json | jq .reasons.exit)"

# Unprivileged listeners are refused, by the kernel itself.
grp=$(events_group)
check "root may join the events group ($grp)" "$HELPER" join "$grp"
check_eq "nobody may not join the events group" EPERM "$(as_nobody "$HELPER" join "$grp")"
out=$(as_nobody "$NSWATCH" 2>&1); rc=$?
check_eq "nswatch as nobody: exit status 3" 3 "$rc"
check_match "nswatch as nobody: says why" "CAP_SYS_ADMIN in the initial user namespace" "$out"
out=$(as_nobody "$NSWATCH" --stats 2>&1); rc=$?
check_eq "nswatch --stats as nobody: exit status 3" 3 "$rc"
out=$(as_nobody "$NSWATCH" --snapshot -c 0 2>&1); rc=$?
check_eq "nswatch --snapshot as nobody: exit status 3" 3 "$rc"

# Root inside another network namespace would receive nothing: told so.
ip netns add other
out=$(ip netns exec other "$NSWATCH" 2>&1); rc=$?
check_eq "nswatch in a non-initial netns: exit status 5" 5 "$rc"
check_match "nswatch in a non-initial netns: says why" "initial network namespace" "$out"
ip netns delete other

kill $A; wait $A 2>/dev/null
check "rmmod nslink" rmmod nslink
out=$("$NSWATCH" 2>&1); rc=$?
check_eq "nswatch without the module: exit status 2" 2 "$rc"
check_match "nswatch without the module names the fix" "modprobe nslink" "$out"
check "no warning in the kernel log" kernel_log_clean
finish
