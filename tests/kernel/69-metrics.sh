#!/bin/bash
# nslink's counters in Prometheus' format, the way a Debian host collects
# them: nswatch --stats --prometheus --output into a textfile directory
# after real transitions (unshare, ip netns), clean for promtool and equal
# to nswatch --stats -j; Debian's prometheus-node-exporter serving that
# directory and Debian's prometheus scraping it, until PromQL returns the
# value nswatch wrote, with deploy/nslink-alerts.yml loaded; then, the
# module unloaded, nslink_up 0 all the way to PromQL.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"

DIR=$(mktemp -d /tmp/metrics69.XXXXXX)
TF=$DIR/textfile	# node_exporter's textfile directory: *.prom only
mkdir "$TF"
NE_ADDR=127.0.0.1:19169
PROM_ADDR=127.0.0.1:19170
NE_PID= PROM_PID= WATCH_PID=
cleanup() {
	local p
	for p in $WATCH_PID $NE_PID $PROM_PID; do
		kill "$p" 2>/dev/null
	done
	for p in $WATCH_PID $NE_PID $PROM_PID; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$DIR"
}
trap cleanup EXIT

have() { command -v "$1" > /dev/null; }
for tool in promtool prometheus prometheus-node-exporter curl; do
	check "$tool is installed (tests/deps.sh: apt-get install prometheus prometheus-node-exporter curl)" \
		have "$tool"
done

# samples FILE: the sample lines of an exposition, sorted.
samples() { grep -v '^#' "$1" | LC_ALL=C sort; }
# expected_samples: the sample lines nswatch --stats -j's counters make
# (stdin: its JSON), sorted.
expected_samples() {
	jq -r '"nslink_up 1",
		"nslink_events_emitted_total \(.emitted)",
		"nslink_events_dropped_total \(.dropped)",
		"nslink_events_seq \(.seq)",
		(if has("summarized") then "nslink_events_summarized_total \(.summarized)" else empty end),
		(if has("summaries") then "nslink_summaries_total \(.summaries)" else empty end),
		(.reasons | to_entries[] | "nslink_transitions_total{reason=\"\(.key)\"} \(.value)"),
		"nslink_uevents_injected_total \(.injected)",
		"nslink_uevents_inject_refused_total \(.inject_refused)",
		(if has("subscribers") then
			"nslink_subscribers \(.subscribers | length)",
			(.subscribers[] |
			 "nslink_subscriber_drops_total{portid=\"\(.portid)\"} \(.drops)",
			 "nslink_subscriber_queued_bytes{portid=\"\(.portid)\"} \(.queued)",
			 "nslink_subscriber_rcvbuf_bytes{portid=\"\(.portid)\"} \(.rcvbuf)")
		 else empty end)' | LC_ALL=C sort
}
# lint FILE: promtool check metrics has nothing to say about FILE.
lint() {
	local out
	out=$(promtool check metrics < "$1" 2>&1) && [ -z "$out" ] && return 0
	printf '%s\n' "$out"
	return 1
}

check "insmod nslink.ko" load_module

# A listener, and transitions of three reasons it hears.
check "nswatch receives events" start_watch "$DIR/events.json"
for i in 1 2 3; do
	unshare -u -i true
	unshare -n true
done
ip netns add m69 && ip netns exec m69 true && ip netns delete m69
check "the listener got the unshares and the setns" \
	wait_for "$DIR/events.json" '.reason == "setns" and .comm == "ip"'

# With the listener there: it is a subscriber, by the same port id.
"$NSWATCH" --stats --prometheus > "$DIR/live.prom"
rc=$?
live_json=$(stats_json)
check_eq "--stats --prometheus, a listener there: status 0" 0 $rc
check "--stats --prometheus, a listener there: promtool check metrics is clean" lint "$DIR/live.prom"
check_eq "the subscribers' port ids: the same as --stats -j's" \
	"$(jq -r '.subscribers[].portid' <<<"$live_json" | sort -n | paste -sd,)" \
	"$(sed -n 's/^nslink_subscriber_drops_total{portid="\([0-9]*\)"} [0-9]*$/\1/p' "$DIR/live.prom" | sort -n | paste -sd,)"
check_match "nslink_subscribers counts the listener" '^nslink_subscribers [1-9][0-9]*$' "$(cat "$DIR/live.prom")"
kill "$WATCH_PID"
wait "$WATCH_PID" 2>/dev/null
WATCH_PID=

# No listener now: nothing moves between the two readings.
echo stale > "$TF/nslink.prom"
"$NSWATCH" --stats --prometheus --output "$TF/nslink.prom" > "$DIR/stdout" 2> "$DIR/stderr"
rc=$?
json=$(stats_json)
check_eq "--output: status 0, nothing on stdout or stderr" "0||" "$rc|$(cat "$DIR/stdout")|$(cat "$DIR/stderr")"
check_eq "--output: the file replaced, no temporary file beside it, mode 644" "nslink.prom 644" \
	"$(ls -A "$TF" | paste -sd' ') $(stat -c %a "$TF/nslink.prom")"
check "--output: promtool check metrics is clean" lint "$TF/nslink.prom"
check_eq "--output: every sample equals --stats -j's counter" \
	"$(expected_samples <<<"$json")" "$(samples "$TF/nslink.prom")"
emitted=$(jq .emitted <<<"$json")
check_match "the counters are not empty: emitted, unshare and setns above 0" '^[1-9][0-9]* [1-9][0-9]* [1-9][0-9]*$' \
	"$emitted $(jq '.reasons.unshare' <<<"$json") $(jq '.reasons.setns' <<<"$json")"
check_eq "HELP and TYPE for each family, once, before its samples" "" \
	"$(awk '/^# HELP / { help[$3]++; next }
		/^# TYPE / { if (!help[$3]) print "no HELP before TYPE: " $3; type[$3] = $4; next }
		{ n = $1; sub(/\{.*/, "", n); if (!type[n]) print "no TYPE before " n }
		END { for (h in help) if (help[h] != 1) print h " has " help[h] " HELP lines" }' "$TF/nslink.prom")"

# Debian's node_exporter, the textfile collector alone (the others are
# slow under TCG and say nothing of nslink).
prometheus-node-exporter --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$TF" --web.listen-address="$NE_ADDR" \
	> "$DIR/node-exporter.log" 2>&1 &
NE_PID=$!
# until_ok SECONDS CMD...: CMD succeeds within SECONDS (scaled) of
# wall-clock time, however long each try takes.
until_ok() {
	local end=$(( SECONDS + $1 * SLOW ))
	shift
	while :; do
		"$@" && return 0
		[ $SECONDS -lt $end ] || return 1
		sleep 0.5
	done
}
ne_emitted() {
	curl -sf -m 10 "http://$NE_ADDR/metrics" | grep -qx "nslink_events_emitted_total $emitted"
}
if until_ok 60 ne_emitted; then
	pass "node_exporter serves nslink_events_emitted_total $emitted from the file"
else
	fail "node_exporter serves nslink_events_emitted_total $emitted from the file"
	tail -n 20 "$DIR/node-exporter.log"
fi
ne=$(curl -sf -m 10 "http://$NE_ADDR/metrics")
check_match "node_exporter read the file without an error" '^node_textfile_scrape_error 0$' "$ne"
check_eq "node_exporter serves every sample of the file" "$(samples "$TF/nslink.prom")" \
	"$(grep '^nslink_' <<<"$ne" | LC_ALL=C sort)"

# Debian's prometheus scraping it every second, with the alert rules.
cat > "$DIR/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $TOP/deploy/nslink-alerts.yml
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['$NE_ADDR']
EOF
prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/tsdb" \
	--web.listen-address="$PROM_ADDR" > "$DIR/prometheus.log" 2>&1 &
PROM_PID=$!
# promql QUERY: the value of QUERY's one result, or nothing.
promql() {
	curl -sf -m 10 -G "http://$PROM_ADDR/api/v1/query" --data-urlencode "query=$1" |
		jq -r 'select(.status == "success") | .data.result | select(length == 1) | .[0].value[1]'
}
# promql_is QUERY VALUE
promql_is() { [ "$(promql "$1")" = "$2" ]; }
if until_ok 120 promql_is nslink_events_emitted_total "$emitted"; then
	pass "PromQL nslink_events_emitted_total returns $emitted, what nswatch wrote"
else
	fail "PromQL nslink_events_emitted_total returns $emitted, what nswatch wrote (got '$(promql nslink_events_emitted_total)')"
	tail -n 20 "$DIR/prometheus.log"
fi
check_eq "PromQL: nslink_transitions_total{reason=\"unshare\"} as --stats -j" \
	"$(jq .reasons.unshare <<<"$json")" "$(promql 'nslink_transitions_total{reason="unshare"}')"
check_eq "PromQL: nslink_up is 1" 1 "$(promql nslink_up)"
rules=$(curl -sf -m 10 "http://$PROM_ADDR/api/v1/rules" |
	jq -r '[.data.groups[] | select(.name == "nslink") | .rules[] | select(.type == "alerting") | .name] | sort | join(" ")')
check_eq "prometheus loaded deploy/nslink-alerts.yml's alerts (/api/v1/rules)" \
	"NslinkDown NslinkEventsDropped NslinkMetricsAbsent NslinkMetricsStale NslinkSubscriberDrops" "$rules"
health=$(curl -sf -m 10 "http://$PROM_ADDR/api/v1/rules" |
	jq -r '[.data.groups[].rules[] | select(.health != "ok" and .health != "unknown") | "\(.name): \(.lastError)"] | join("; ")')
check_eq "the alert rules evaluate without an error" "" "$health"

# The module gone: nslink_up 0 in the file, the status and the fix on
# stderr, and PromQL sees it.
check "rmmod nslink" rmmod nslink
"$NSWATCH" --stats --prometheus --output "$TF/nslink.prom" > /dev/null 2> "$DIR/stderr"
rc=$?
check_eq "without the module: status 2" 2 $rc
check_match "without the module: stderr names the fix" 'modprobe nslink' "$(cat "$DIR/stderr")"
check_eq "without the module: the file is nslink_up 0 alone, with HELP and TYPE" \
	"nslink_up 0|2" "$(samples "$TF/nslink.prom")|$(grep -c '^# ' "$TF/nslink.prom")"
check "without the module: promtool check metrics is clean" lint "$TF/nslink.prom"
check "PromQL nslink_up turns 0" until_ok 60 promql_is nslink_up 0

# Both servers end, and nothing of theirs is left.
kill "$NE_PID" "$PROM_PID"
check "node_exporter ends on SIGTERM" ended "$NE_PID" 30
check "prometheus ends on SIGTERM" ended "$PROM_PID" 30
NE_PID= PROM_PID=
# (A process name as pgrep sees it: 15 characters at most.)
check_eq "no prometheus or node_exporter process left" "" \
	"$(pgrep -x prometheus; pgrep -x prometheus-node)"
check "no listening socket left on their ports" \
	bash -c "! ss -ltn | grep -Eq '127.0.0.1:(19169|19170) '"
check "no warning in the kernel log" kernel_log_clean
finish
