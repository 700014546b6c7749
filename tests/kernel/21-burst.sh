#!/bin/bash
# A burst of 1000 transitions from four processes at once arrives complete,
# in seq order, without a gap, each chained to the one before; GET_STATS
# agrees. The snapshot matches /proc for every task, and a snapshot taken
# while transitions run, with the events after its seq applied, ends in
# the state /proc shows.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

EV=/tmp/ev21.json
check "insmod nslink.ko" load_module
check "nswatch receives events" start_watch "$EV"
first=$(jq -s 'map(.seq) | max' "$EV")

for t in uts ipc uts,ipc cgroup; do
	"$HELPER" unshare-loop 250 $t > /tmp/burst.${t/,/-} &
done
wait $(jobs -p | grep -v "^$WATCH_PID\$")
pids=$(cat /tmp/burst.* | tr '\n' ' ')
sel="select(.seq > $first and (.pid as \$p | [$(echo $pids | tr ' ' ',')] | index(\$p)))"
for i in $(seq $(slow 120)); do
	n=$(jq -c "$sel" "$EV" | grep -c .)
	[ "$n" -ge 1000 ] && break
	sleep 0.5
done
check_eq "1000 transitions from 4 processes all arrived" 1000 "$n"
bad=""
for p in $pids; do
	[ "$(jq -c "select(.pid == $p)" "$EV" | grep -c .)" = 250 ] || bad+=" $p"
done
check_eq "250 events for each process" "" "$bad"
check_eq "in seq order with no gap" 0 \
	"$(jq .seq "$EV" | awk 'NR > 1 && $1 != prev + 1 { bad++ } { prev = $1 } END { print bad + 0 }')"
check_eq "no loss reported" "" "$(grep lost "$EV" "$EV.err")"
# Each task's events chain: every old inode is the new one of its last event.
check_eq "per task, each event's old = the previous event's new" 0 \
	"$(jq -r "$sel"' | .pid as $p | .ns | to_entries[] | "\($p) \(.key) \(.value.old) \(.value.new)"' "$EV" |
	   awk '{ k = $1 " " $2 } (k in last) && last[k] != $3 { bad++ } { last[k] = $4 } END { print bad + 0 }')"
st=$(stats_json)
check_eq "GET_STATS: dropped 0" 0 "$(jq .dropped <<<"$st")"
check_eq "GET_STATS: emitted = seq = last received" "$(jq .seq <<<"$st") $(jq .seq <<<"$st")" \
	"$(jq .emitted <<<"$st") $(jq -s 'map(.seq) | max' "$EV")"

# The snapshot against /proc, every thread, all eight types.
unshare -n -u sleep $(slow 60) & s1=$!
unshare -U -r -m -i sleep $(slow 60) & s2=$!
ip netns add snap
ip netns exec snap sleep $(slow 60) & s3=$!
sleep $(slow 1)
seq_before=$(stats_json | jq .seq)
"$NSWATCH" --snapshot -c 0 -j > /tmp/snap.json
check_eq "snapshot: every entry marked and carrying the seq it began at" \
	"true $seq_before" "$(jq -r '"\(.snapshot) \(.seq)"' /tmp/snap.json | sort -u)"
jq -r '.pid as $p | .ns | to_entries[] | "\($p) \(.key) \(.value.new)"' /tmp/snap.json | sort > /tmp/snap.txt
stat -L -c '%n %i' /proc/[0-9]*/task/[0-9]*/ns/* 2>/dev/null |
	awk '{ split($1, a, "/"); t = a[7]
	       if (t == "pid" || t == "time") next
	       sub(/_for_children$/, "", t); print a[5], t, $2 }' | sort > /tmp/proc.txt
common=$(join -o 0 <(cut -d' ' -f1 /tmp/snap.txt | sort -u) <(cut -d' ' -f1 /tmp/proc.txt | sort -u) | tr '\n' '|')
check "snapshot and /proc share most tasks ($(tr -cd '|' <<<"$common" | wc -c))" \
	test "$(tr -cd '|' <<<"$common" | wc -c)" -gt 30
check_eq "snapshot = /proc/TID/ns for every task in both" "" \
	"$(diff <(grep -E "^(${common%|}) " /tmp/snap.txt) <(grep -E "^(${common%|}) " /tmp/proc.txt) | head -5)"
check_eq "snapshot lists the tasks in other namespaces" 3 \
	"$(jq "select(.pid == $s1 or .pid == $s2 or .pid == $s3) | .pid" /tmp/snap.json | grep -c .)"
kill $s1 $s2 $s3
ip netns delete snap

# A snapshot taken while a task keeps changing, plus the events after its
# seq, gives the task's final state.
rm -f /tmp/go; mkfifo /tmp/go
bash -c "read x < /tmp/go; exec $HELPER unshare-loop 20000 uts sleep $(slow 60)" > /dev/null &
p=$!
exec 3>/tmp/go
exec 3>&-	# go, and start the snapshot while the loop runs
for i in $(seq $(slow 100)); do [ "$(cat /proc/$p/comm)" = nshelper ] && break; sleep 0.05; done
"$NSWATCH" --snapshot -j -p $p > /tmp/live.json &
w=$!
for i in $(seq $(slow 300)); do [ "$(cat /proc/$p/comm)" = sleep ] && break; sleep 0.2; done
want=$(stats_json | jq .seq)
for i in $(seq $(slow 100)); do [ "$(tail -1 /tmp/live.json | jq .seq)" -ge "$want" ] 2>/dev/null && break; sleep 0.2; done
kill $w
# Without the task the comparison below is empty against empty.
check "the changing task was there throughout (now sleep)" test "$(cat /proc/$p/comm 2>/dev/null)" = sleep
final=$(jq -s 'first(.[] | select(.snapshot)) as $s |
	reduce (.[] | select(.snapshot != true and .seq > $s.seq and .ns.uts != null)) as $e
		($s.ns.uts.new; $e.ns.uts.new)' /tmp/live.json)
check_eq "snapshot + later events = /proc state" "$(ns_ino $p uts)" "$final"
echo "events applied after the snapshot (of 20000): $(jq -s 'first(.[] | select(.snapshot)) as $s | map(select(.snapshot != true and .seq > $s.seq)) | length' /tmp/live.json)"
kill $p $WATCH_PID
check "no warning in the kernel log" kernel_log_clean
finish
