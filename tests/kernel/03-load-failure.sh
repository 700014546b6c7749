#!/bin/bash
# A load where a needed kernel symbol, probe target or tracepoint cannot be
# resolved fails cleanly: a pr_err naming it, no module left behind, no
# warning, and a normal load works afterwards. fail_symbol= forces each.
. "$(dirname "$0")/../lib.sh"

unload_module
for sym in mntns_operations nsfs_mnt ksys_unshare __x64_sys_setns exit_task_namespaces perf_event_namespaces \
	   genl_bind sched_process_fork kallsyms_lookup_name; do
	dmesg -C
	out=$(insmod "$KO" fail_symbol=$sym 2>&1); rc=$?
	check "fail_symbol=$sym: insmod fails" test $rc -ne 0
	check "fail_symbol=$sym: nothing left loaded" bash -c "! grep -q '^nslink ' /proc/modules"
	check_match "fail_symbol=$sym: pr_err names it" "nslink: cannot .*$sym" "$(dmesg)"
done
check "the family is not left registered" bash -c '! genl ctrl get name nslink >/dev/null 2>&1'
check "a normal load works afterwards" load_module
check "and answers GET_INFO" "$NSWATCH" --info
check "rmmod" rmmod nslink
check "no warning in the kernel log" kernel_log_clean
finish
