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

# last_seq FILE: the highest seq among the last lines of nswatch -j's FILE.
last_seq() {
	tail -n 50 "$1" | jq -r '.seq // empty' 2>/dev/null | sort -n | tail -1
}

# settle FILE...: wait until GET_STATS's seq stands still and each
# listener's output FILE has reached it (a summary follows the first
# transition it counts by about 100 ms), or until nothing has moved for
# 5 s (a listener that lost the last events never reaches it). Sets
# SETTLED (yes or no), SEQ (the kernel's last) and LAST (each FILE's last
# seq, in order, "none" for a FILE with none).
settle() {
	local i f got ok prev= prev_seq= still=0
	SETTLED=no
	for i in $(seq "$(slow 150)"); do
		sleep 1
		SEQ=$(stats_json | jq .seq)
		SEQ=${SEQ:-0} LAST= ok=yes
		for f; do
			got=$(last_seq "$f")
			LAST="$LAST ${got:-none}"
			[ "${got:-0}" -ge "$SEQ" ] || ok=no
		done
		LAST=${LAST# }
		if [ "$SEQ" = "$prev_seq" ] && [ $ok = yes ]; then
			SETTLED=yes
			return 0
		fi
		if [ "$SEQ $LAST" = "$prev" ]; then still=$((still + 1)); else still=0; fi
		[ $still -ge 5 ] && return 1
		prev="$SEQ $LAST" prev_seq=$SEQ
	done
	return 1
}

# hooked: the functions ftrace has patched (enabled_functions), sorted, on
# one line: "genl_bind " alone while the hooks are disarmed.
hooked() {
	mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
	awk '{ print $1 }' /sys/kernel/tracing/enabled_functions | LC_ALL=C sort | tr '\n' ' '
}

# events_group: the "events" multicast group's id.
events_group() { genl ctrl get name nslink | sed -n 's/.*ID-\(0x[0-9a-f]*\) *name: events.*/\1/p'; }

# flood_start DIR N SECONDS: two processes of nobody, each in a user
# namespace of its own (unshare -U -r), at nice 19, call unshare of uts N
# times each, or until SIGUSR1 or SECONDS (nshelper unshare-count); their
# pids in F1 and F2, their output in DIR/flood1 and DIR/flood2 (then "ok K
# failed F"). True once both have begun. At nice 19: at nice 0, on two
# vCPUs, the floods left root's forks and execs so little time that 20 of
# them took over 25 s.
flood_start() {
	local f i
	for f in 1 2; do
		nice -n 19 setpriv --reuid=65534 --regid=65534 --clear-groups -- \
			unshare -U -r "$HELPER" unshare-count "$2" "$3" uts \
			> "$1/flood$f" 2> "$1/flood$f.err" &
		eval "F$f=\$!"
	done
	for i in $(seq "$(slow 100)"); do
		[ -s "$1/flood1" ] && [ -s "$1/flood2" ] && return 0
		sleep 0.1
	done
	return 1
}
