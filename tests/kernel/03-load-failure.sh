#!/bin/bash
# What the module needs from the kernel, each made to fail in turn:
# - a hook target, the fork tracepoint or the mount namespace's ns_common
#   that cannot be found (fail_symbol=), or a hook target that fails the
#   check of its first bytes (unsafe_symbol=): the load fails cleanly, with
#   a pr_err naming it, nothing left loaded, no warning;
# - the kernel's uevent sequence number, not found or not verified: the
#   module loads with injection off, GET_INFO says so, nsinject refuses
#   with the kernel's sentence, and events still work; on a kernel without
#   CONFIG_KALLSYMS_ALL the same, with the kernel's reason.
# A normal load works afterwards.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/events.sh"	# start_watch

# The exit hook's name is the kernel's (6.19 renamed it).
exitfn=exit_task_namespaces
grep -qw exit_nsproxy_namespaces /proc/kallsyms && exitfn=exit_nsproxy_namespaces
hooks="ksys_unshare $SETNS_FN $exitfn genl_bind"
# Where the kernel cannot trace perf_event_namespaces (5.10), the module
# sees the end of unshare and setns at the sys_exit tracepoint instead.
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
tracepoints=sched_process_fork
if grep -qx perf_event_namespaces /sys/kernel/tracing/available_filter_functions; then
	hooks+=" perf_event_namespaces"
else
	tracepoints+=" sys_exit"
	dmesg -C
	check "perf_event_namespaces untraceable: insmod succeeds" insmod "$KO"
	check_match "perf_event_namespaces untraceable: the module says it uses sys_exit" \
		"nslink: perf_event_namespaces cannot be traced on this kernel: .* sys_exit tracepoint" "$(dmesg)"
	check "rmmod" rmmod nslink
fi

unload_module
refused() {	# PARAM=SYM PR_ERR-REGEX
	dmesg -C
	out=$(insmod "$KO" "$1" 2>&1); rc=$?
	check "$1: insmod fails" test $rc -ne 0
	check "$1: nothing left loaded" bash -c "! grep -q '^nslink ' /proc/modules"
	check_match "$1: pr_err names it" "$2" "$(dmesg)"
}
for sym in $hooks mnt_namespace $tracepoints; do
	refused "fail_symbol=$sym" "nslink: cannot .*$sym"
done
for sym in $hooks; do
	refused "unsafe_symbol=$sym" "nslink: cannot verify kernel function $sym \\(unsafe_symbol="
done
check "the family is not left registered" bash -c '! genl ctrl get name nslink >/dev/null 2>&1'

# Injection off, events on: forced by a parameter, or, on a kernel without
# CONFIG_KALLSYMS_ALL (inject_off_here), by the kernel itself, where the
# module does not look for uevent_seqnum at all.
params="fail_symbol=uevent_seqnum unsafe_symbol=uevent_seqnum"
inject_off_here && params=no-kallsyms-all
for param in $params; do
	dmesg -C
	if [ "$param" = no-kallsyms-all ]; then
		check "$param: insmod succeeds" load_module
		why="this kernel is built without CONFIG_KALLSYMS_ALL"
		said="injection is off on this kernel: it is built without CONFIG_KALLSYMS_ALL.*dmesg"
	else
		check "$param: insmod succeeds" insmod "$KO" "$param"
		check_match "$param: pr_err names the symbol" "nslink: cannot (find|verify) kernel symbol uevent_seqnum" "$(dmesg)"
		why="" said="uevent injection is off on this kernel.*dmesg"
	fi
	check_match "$param: the kernel log says injection is off${why:+, and why}" "nslink: uevent injection is off${why:+: $why}" "$(dmesg)"
	out=$("$NSWATCH" --info 2>&1)
	check_match "$param: GET_INFO still lists events" '^features: events ' "$out"
	check "$param: GET_INFO lists no inject ($out)" bash -c "! grep -q '^features:.* inject' <<<\"\$1\"" _ "$out"
	out=$("$NSINJECT" --pid 1 add /devices/virtual/nslink-t SUBSYSTEM=nslink-t 2>&1); rc=$?
	check_eq "$param: nsinject exits 2" 2 "$rc"
	check_match "$param: nsinject gives the kernel's sentence" "$said" "$out"
	check "$param: events still flow" start_watch /tmp/03.watch
	kill "$WATCH_PID" 2>/dev/null; wait "$WATCH_PID" 2>/dev/null
	check "$param: rmmod" rmmod nslink
done

check "a normal load works afterwards" load_module
if inject_off_here; then
	out=$("$NSWATCH" --info 2>&1)
	check "and answers GET_INFO without inject, as the kernel has no CONFIG_KALLSYMS_ALL ($out)" \
		bash -c "! grep -q '^features:.* inject' <<<\"\$1\"" _ "$out"
else
	check_match "and answers GET_INFO with inject" '^features:.* inject' "$("$NSWATCH" --info 2>&1)"
fi
check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
