# Shared by the namespace-event tests (2x-*.sh): a watcher writing JSON
# lines to a file, and readers of /proc/PID/ns.
HELPER=/tmp/nshelper
cc -O2 -Wall -o "$HELPER" "$TOP/tests/kernel/nshelper.c" || { fail "cannot build nshelper"; finish; }

# The /proc/PID/ns link that a type's inode in events is compared with.
ns_file() {
	case $1 in
	pid) echo pid_for_children ;;
	time) echo time_for_children ;;
	*) echo "$1" ;;
	esac
}
# ns_ino PID TYPE: the inode /proc/PID/ns shows for TYPE.
ns_ino() { stat -L -c %i "/proc/$1/ns/$(ns_file "$2")"; }

# ns_map PID ARRAY: ARRAY[type]=inode for every type, with one stat(1).
ns_map() {
	local -n m_=$2
	local path ino f
	m_=()
	while read -r path ino; do
		f=${path##*/}
		case $f in
		pid_for_children) m_[pid]=$ino ;;
		time_for_children) m_[time]=$ino ;;
		pid|time) ;;
		*) m_[$f]=$ino ;;
		esac
	done < <(stat -L -c '%n %i' /proc/$1/ns/* 2>/dev/null)
}

# start_watch FILE [NSWATCH ARGS]: run nswatch -j into FILE and wait until
# it receives events (a sentinel unshare -u shows up). Sets WATCH_PID.
start_watch() {
	local file=$1 i
	shift
	: > "$file"
	"$NSWATCH" -j "$@" > "$file" 2> "$file.err" &
	WATCH_PID=$!
	for i in $(seq $(slow 100)); do
		unshare -u true
		grep -q '"reason":"unshare"' "$file" && return 0
		sleep 0.1
	done
	cat "$file.err"
	return 1
}

# wait_for FILE JQ-FILTER [SECONDS]: until some line matches the filter.
wait_for() {
	local i
	for i in $(seq $(( (${3:-10} * 10) * SLOW ))); do
		[ -n "$(jq -c "select($2)" "$1" 2>/dev/null | head -1)" ] && return 0
		sleep 0.1
	done
	return 1
}

# events_of FILE PID: the event lines of one task.
events_of() { jq -c "select(.pid == $2 and .reason != null)" "$1"; }

# ended PID SECONDS: PID (a child of this shell) ends within SECONDS
# (scaled); its exit status is then in $STATUS.
ended() {
	local i
	for i in $(seq $(( $2 * 10 * SLOW ))); do
		if ! kill -0 "$1" 2>/dev/null || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null; then
			wait "$1"
			STATUS=$?
			return 0
		fi
		sleep 0.1
	done
	return 1
}

stats_json() { "$NSWATCH" --stats -j; }

# hooked: the functions ftrace has patched (enabled_functions), sorted, on
# one line: "genl_bind " alone while the hooks are disarmed.
hooked() {
	mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
	awk '{ print $1 }' /sys/kernel/tracing/enabled_functions | LC_ALL=C sort | tr '\n' ' '
}

# events_group: the "events" multicast group's id.
events_group() { genl ctrl get name nslink | sed -n 's/.*ID-\(0x[0-9a-f]*\) *name: events.*/\1/p'; }
