#!/bin/bash
# The kernel's own YNL client (tools/net/ynl/cli.py from Debian's
# linux-source, unpacked by tests/vm/ynl) drives the family from
# include/uapi/linux/nslink.yaml alone: the spec passes the genetlink-c
# schema, every do and dump decodes, an event notification decodes, and
# each value equals what nswatch (libnl, the header) or the kernel reports.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"
. "$(dirname "$0")/inject.lib"

YNL=${NSLINK_YNL:-}
if [ -z "$YNL" ] || [ ! -r "$YNL/tools/net/ynl/cli.py" ]; then
	fail "the kernel's YNL client is here (NSLINK_YNL='$YNL'; tests/vm/ynl unpacks it)"
	finish
fi
SPEC=$TOP/include/uapi/linux/nslink.yaml
ynl() {
	python3 "$YNL/tools/net/ynl/cli.py" --spec "$SPEC" \
		--schema "$YNL/Documentation/netlink/genetlink-c.yaml" --output-json "$@"
}
# same WHAT PYTHON-EXPR: pass when the expression, over the JSON files
# $W/ynl.json (a) and $W/ref.json (b), is true; print both otherwise.
same() {
	local out
	if out=$(python3 - "$W/ynl.json" "$W/ref.json" "$2" <<'EOF' 2>&1
import json, sys
def load(p):
    text = open(p).read()
    try:
        return json.loads(text)
    except ValueError:
        return [json.loads(l) for l in text.splitlines() if l.strip()]
a, b = load(sys.argv[1]), load(sys.argv[2])
ok = eval(sys.argv[3])
if not ok:
    print("ynl:", json.dumps(a)[:600])
    print("ref:", json.dumps(b)[:600])
sys.exit(0 if ok else 1)
EOF
	); then
		pass "$1"
	else
		fail "$1: $out"
	fi
}

load_module || { fail "module loads"; finish; }

ops=$(ynl --list-msgs 2>&1)
check_eq "the spec passes the genetlink-c schema and lists the 7 messages" \
	"event get-info get-stats get-tasks inject subscribe summary" \
	"$(awk '{print $1}' <<<"$ops" | sort | tr '\n' ' ' | sed 's/ $//')"

# GET_INFO.
ynl --do get-info > "$W/ynl.json" 2>&1
echo "ynl --do get-info: $(cat "$W/ynl.json")"
"$NSWATCH" --info -j > "$W/ref.json"
same "get-info decodes: version, features (flags by name) and hook as nswatch --info shows them" \
	'a["info-version"] == b["version"] and sorted(a["info-features"]) == sorted(b["features"]) and a["info-hook"] == b["hook"]'

# GET_STATS, with counters that moved and then stand still: the hooks
# count only while someone listens.
start_watch "$W/watch.json" || fail "nswatch starts"
for i in 1 2 3; do unshare -u true; nsenter -t 1 -u true; done
"$HELPER" unshare-loop 1 uts > /dev/null
kill $WATCH_PID; wait $WATCH_PID 2>/dev/null
ynl --do get-stats > "$W/ynl.json" 2>&1
"$NSWATCH" --stats -j > "$W/ref.json"
same "get-stats decodes every counter (the summary ones too) and the stats-reasons nest, equal to nswatch --stats" \
	'a["stats-emitted"] == b["emitted"] > 0 and a["stats-dropped"] == b["dropped"] and a["stats-seq"] == b["seq"] and a["stats-injected"] == b["injected"] and a["stats-inject-refused"] == b["inject_refused"] and a["stats-reasons"] == b["reasons"] and a["stats-summarized"] == b["summarized"] and a["stats-summaries"] == b["summaries"]'

# GET_TASKS: the snapshot of pid 1 and of this shell, against nswatch's
# snapshot and /proc/PID/ns.
ynl --dump get-tasks > "$W/ynl.json" 2>&1
"$NSWATCH" -j --snapshot -c 0 > "$W/ref.json"
for p in 1 $$; do
	declare -A truth=()
	ns_map "$p" truth
	want=$(for t in "${!truth[@]}"; do printf '"%s": %s, ' "$t" "${truth[$t]}"; done)
	same "get-tasks dumps pid $p with its eight namespaces, as nswatch --snapshot and /proc/$p/ns show them" \
		"[{n['type']: n['new'] for n in t['ev-ns']} for t in a if t['ev-pid'] == $p] == [{k: v['new'] for k, v in t['ns'].items()} for t in b if t.get('pid') == $p] == [{${want%, }}]"
done
same "get-tasks: each task's cgroup id and namespace ids (where the kernel has them) as nswatch --snapshot gives them" \
	'(lambda ref: len(a) > 10 and all(t["ev-cgroup-id"] == ref[t["ev-pid"]]["cgroup"]["id"] and {n["type"]: n.get("new-id") for n in t["ev-ns"]} == {k: v.get("new_id") for k, v in ref[t["ev-pid"]]["ns"].items()} for t in a if t["ev-pid"] in ref))({r["pid"]: r for r in b if r.get("snapshot")})'
same "every message of the dump carries one seq and all eight types" \
	'len(a) > 10 and len({t["ev-seq"] for t in a}) == 1 and all(len(t["ev-ns"]) == 8 and all("dev" in n and "old" not in n for n in t["ev-ns"]) for t in a)'

# EVENT: cli.py subscribed to "events" while unshares run, against the
# same events seen by nswatch.
start_watch "$W/watch.json" || fail "nswatch starts"
ynl --subscribe events --sleep $(slow 8) > "$W/ynl.json" 2> "$W/ynl.err" &
ynl_pid=$!
for i in $(seq 80); do
	kill -0 $ynl_pid 2>/dev/null || break
	"$HELPER" unshare-loop 1 uts > /dev/null
	sleep 0.1
done
wait $ynl_pid
kill $WATCH_PID; wait $WATCH_PID 2>/dev/null
cp "$W/watch.json" "$W/ref.json"
cat "$W/ynl.err"
same "event notifications decode, each equal to nswatch's event of the same seq (cgroup and namespace ids too)" \
	'(lambda ev, ref: len(ev) > 0 and all(m["name"] == "event" for m in a) and all(e["ev-seq"] in ref and ref[e["ev-seq"]]["pid"] == e["ev-pid"] and ref[e["ev-seq"]]["reason"] == e["ev-reason"] and ref[e["ev-seq"]]["comm"] == e["ev-comm"] and e["ev-cgroup-id"] == ref[e["ev-seq"]]["cgroup"]["id"] and {n["type"]: (n.get("old"), n.get("new"), n.get("old-id"), n.get("new-id")) for n in e["ev-ns"]} == {k: (v.get("old"), v.get("new"), v.get("old_id"), v.get("new_id")) for k, v in ref[e["ev-seq"]]["ns"].items()} for e in ev))([m["msg"] for m in a], {r["seq"]: r for r in b if "seq" in r and "reason" in r})'

# SUBSCRIBE.
out=$(ynl --do subscribe --json '{"sub-exit": 1}' 2>&1)
check_eq "subscribe (sub-exit) is accepted" "null" "$out"

# INJECT, by netns fd and by pid, and a refusal with its extack; where the
# kernel has no CONFIG_KALLSYMS_ALL, the refusal of every INJECT.
if inject_off_here; then
	ip netns add nslink-ynl || fail "ip netns add"
	hex() { printf '%s\0' "$@" | od -An -v -tx1 | tr -d ' \n'; }
	ev=$(hex add@/devices/virtual/misc/ynl ACTION=add DEVPATH=/devices/virtual/misc/ynl SUBSYSTEM=misc YNL=1)
	out=$(ynl --do inject --json "{\"inj-netns-fd\": 3, \"inj-uevent\": [\"$ev\"]}" 2>&1 3</run/netns/nslink-ynl)
	check_match "injection off: ynl shows the kernel's extack (no CONFIG_KALLSYMS_ALL)" \
		'built without CONFIG_KALLSYMS_ALL' "$out"
	ip netns del nslink-ynl
	check "no warning in the kernel log" kernel_log_clean
	finish
fi
build_helpers || fail "helpers build"
ip netns add nslink-ynl || fail "ip netns add"
start_monitor MON "$W/mon" ip netns exec nslink-ynl || fail "udevadm monitor in the netns"
hex() { printf '%s\0' "$@" | od -An -v -tx1 | tr -d ' \n'; }
ev=$(hex add@/devices/virtual/misc/ynl ACTION=add DEVPATH=/devices/virtual/misc/ynl SUBSYSTEM=misc YNL=1)
before=$(seqnum)
out=$(ynl --do inject --json "{\"inj-netns-fd\": 3, \"inj-uevent\": [\"$ev\", \"$ev\"]}" 2>&1 3</run/netns/nslink-ynl)
after=$(seqnum)
check_eq "inject by fd: the reply's inj-seqnum list is the two SEQNUMs taken" \
	"{\"inj-seqnum\": [$((before + 1)), $((before + 2))]}" "$out"
check_eq "uevent_seqnum advanced by two" "$((before + 2))" "$after"
wait_for "$W/mon" "^SEQNUM=$after\$" && pass "udevadm monitor in the netns got SEQNUM=$after" ||
	fail "udevadm monitor in the netns got SEQNUM=$after: $(tail -5 "$W/mon")"
out=$(ynl --do inject --json "{\"inj-netns-pid\": $MON, \"inj-uevent\": [\"$ev\"]}" 2>&1)
check_eq "inject by pid: one SEQNUM" "{\"inj-seqnum\": [$((after + 1))]}" "$out"
bad=$(hex add@/devices/virtual/misc/ynl ACTION=add DEVPATH=/devices/virtual/misc/ynl SUBSYSTEM=misc SEQNUM=7)
out=$(ynl --do inject --json "{\"inj-netns-pid\": $MON, \"inj-uevent\": [\"$bad\"]}" 2>&1)
check_match "a refused inject shows the kernel's extack message through ynl" 'the kernel assigns it' "$out"
check_eq "and takes no SEQNUM" "$((after + 1))" "$(seqnum)"
# The udev group by its name in the spec's enum: the same event with a
# SEQNUM= it may carry there (one that happened), to udevadm monitor --udev.
start_udev_monitor MONU "$W/monu" ip netns exec nslink-ynl || fail "udevadm monitor --udev in the netns"
out=$(ynl --do inject --json "{\"inj-netns-pid\": $MON, \"inj-group\": \"udev\", \"inj-uevent\": [\"$bad\"]}" 2>&1)
check_eq "inject with inj-group udev: the SEQNUM given" '{"inj-seqnum": [7]}' "$out"
wait_for "$W/monu" '^SEQNUM=7$' && pass "udevadm monitor --udev in the netns got it" ||
	fail "udevadm monitor --udev in the netns got it: $(tail -5 "$W/monu")"
kill $MON $MONU 2>/dev/null
ip netns del nslink-ynl

check "no warning in the kernel log" kernel_log_clean
finish
