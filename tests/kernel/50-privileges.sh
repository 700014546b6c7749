#!/bin/bash
# The privilege matrix: every caller against every action, as the README's
# table states it. Callers: an unprivileged user; a user with CAP_NET_ADMIN
# only; root of an unprivileged user+network namespace (a container); init
# root. The other container is owned by another uid, so that no caller but
# init root holds CAP_SYS_ADMIN over it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"	# $HELPER (nshelper: raw group join)

load_module || { fail "insmod"; finish; }
grp=$(events_group)
ev=(add /devices/virtual/misc/nslink-matrix SUBSYSTEM=misc)

# The other container: a user+network namespace owned by uid 4242.
setpriv --reuid=4242 --regid=4242 --clear-groups unshare -Urn sleep 600 &
other=$!
for i in $(seq $(slow 50)); do [ "$(readlink /proc/$other/ns/net)" != "$(readlink /proc/1/ns/net)" ] && break; sleep 0.1; done
exec 7</proc/$other/ns/net 8</proc/1/ns/net

user()     { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
netadmin() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+net_admin --ambient-caps=+net_admin -- "$@"; }
ctr()      { setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare -Urn -- "$@"; }
initroot() { "$@"; }
check "the CAP_NET_ADMIN-only caller has exactly that capability" netadmin grep -q "^CapEff:[[:space:]]*0000000000001000$" /proc/self/status

table="| caller | join \`events\` | \`GET_STATS\` | inject, own netns | inject, host netns | inject, another container's netns |
| --- | --- | --- | --- | --- | --- |"
# cell CALLER ACTION EXPECT(allowed|refused): run it, check it, and print it.
row=""
cell() {
	local who=$1 what=$2 want=$3 rc got
	case $what in
	join)
		# Joining the group in the initial network namespace; a container's
		# root additionally must get no events in its own namespace.
		out=$($who "$HELPER" join "$grp" 2>&1); rc=$?
		if [ $who = ctr ]; then
			# Inside its own netns the 6.1 core lets it join, but nswatch
			# (which subscribes) is refused and nothing is delivered there.
			$who "$NSWATCH" -c 1 >/dev/null 2>&1; rc=$?
			[ $rc -eq 0 ] && got=allowed || got=refused
			# and as a userns root that stayed in the initial netns:
			out=$(setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare -Ur -- "$HELPER" join "$grp" 2>&1)
			[ "$out" = EPERM ] || got="allowed (initial netns: $out)"
		else
			[ $rc -eq 0 ] && got=allowed || got=refused
		fi ;;
	stats)
		$who "$NSWATCH" --stats >/dev/null 2>&1; rc=$?
		[ $rc -eq 0 ] && got=allowed || { [ $rc -eq 3 ] && got=refused || got="error $rc"; } ;;
	own|host|other)
		case $what in
		own) target=() ;;
		host) target=(--netns-fd 8) ;;
		other) target=(--netns-fd 7) ;;
		esac
		out=$($who "$NSINJECT" "${target[@]}" "${ev[@]}" 2>&1); rc=$?
		[ $rc -eq 0 ] && got=allowed || { [ $rc -eq 3 ] && got=refused || got="error $rc: $out"; }
		# No CONFIG_KALLSYMS_ALL: injection is off for everyone, said so.
		if inject_off_here; then
			want=off
			[ $rc -eq 2 ] && [[ $out == *"built without CONFIG_KALLSYMS_ALL"* ]] && got=off
		fi ;;
	esac
	check_eq "$who: $what is $want" "$want" "$got"
	row="$row $got |"
}
for who in user netadmin ctr initroot; do
	row="| $who |"
	case $who in
	initroot) for a in join stats own host other; do cell $who $a allowed; done ;;
	ctr) cell $who join refused; cell $who stats refused; cell $who own allowed
	     cell $who host refused; cell $who other refused ;;
	*) for a in join stats own host other; do cell $who $a refused; done ;;
	esac
	table="$table
$row"
done
echo "$table" | sed -e 's/^| user |/| unprivileged user |/' -e 's/^| netadmin |/| CAP_NET_ADMIN only |/' \
	-e 's/^| ctr |/| root of an unprivileged user+net namespace |/' -e 's/^| initroot |/| init root |/'
kill $other; exec 7<&- 8<&-
check "no warning in the kernel log" kernel_log_clean
finish
