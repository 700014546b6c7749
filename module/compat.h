/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel compatibility for nslink. Force-included into every object by
 * Kbuild. Everything here tests for a *feature* of the kernel being built
 * against, never for a version number: either with the preprocessor, or,
 * for what a header declares but cannot be tested with #ifdef, through a
 * COMPAT_* flag that Kbuild sets by reading the header (each probe is
 * documented where it is used below). Source files test the names defined
 * here. Supported: the kernels from 5.10 on (dkms.conf's
 * BUILD_EXCLUSIVE_KERNEL says the same).
 */
#ifndef _NSLINK_COMPAT_H
#define _NSLINK_COMPAT_H

#include <linux/kconfig.h>
#include <linux/types.h>
#include <net/genetlink.h>

/*
 * Joining "events" must be refused to unprivileged callers. genetlink
 * gained per-group capability checks in 6.6 (GENL_MCAST_CAP_SYS_ADMIN in
 * .flags), backported to the stable kernels, where 5.10.y and 5.15.y carry
 * them as a bit, .cap_sys_admin (COMPAT_GENL_MCAST_CAP_BIT, from Kbuild).
 * Without either there is no way to refuse a join.
 */
#if defined(GENL_MCAST_CAP_SYS_ADMIN)
#define NSLINK_MCGRP_ADMIN_ONLY .flags = GENL_MCAST_CAP_SYS_ADMIN
#elif defined(COMPAT_GENL_MCAST_CAP_BIT)
#define NSLINK_MCGRP_ADMIN_ONLY .cap_sys_admin = 1
#else
#error "nslink needs genetlink multicast group capability checks (GENL_MCAST_CAP_SYS_ADMIN in Linux 6.6, or the .cap_sys_admin bit of their stable backports, 5.10.y among them): update the kernel to its latest stable release"
#endif

/* GENL_REQ_ATTR_CHECK (6.0 and later): a required attribute is missing. */
#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr) ({				\
	bool __missing = !(info)->attrs[(attr)];			\
	if (__missing)							\
		NL_SET_ERR_MSG((info)->extack,				\
			       "nslink: a required attribute is missing"); \
	__missing;							\
})
#endif

#if !IS_ENABLED(CONFIG_NET_NS)
#error "nslink needs CONFIG_NET_NS"
#endif

/*
 * Namespace events observe the kernel through one ftrace_ops and a
 * tracepoint. The end of unshare and setns is found at
 * perf_event_namespaces(), a real function only with PERF_EVENTS. The
 * private addresses the module needs are found through a disabled kprobe
 * (symbols.c), which needs KPROBES and, for data, KALLSYMS_ALL (below).
 */
#if !IS_ENABLED(CONFIG_DYNAMIC_FTRACE) || \
	!IS_ENABLED(CONFIG_PERF_EVENTS) || !IS_ENABLED(CONFIG_KALLSYMS) || \
	!IS_ENABLED(CONFIG_TRACEPOINTS) || !IS_ENABLED(CONFIG_KPROBES)
#error "nslink needs CONFIG_DYNAMIC_FTRACE, CONFIG_PERF_EVENTS, CONFIG_KALLSYMS, CONFIG_KPROBES and CONFIG_TRACEPOINTS"
#endif
/*
 * kallsyms lists data only with KALLSYMS_ALL. A kernel without it
 * (Debian's arm64 6.1 kernels) hides uevent_seqnum and uevent_sock_mutex:
 * there the module loads with injection off and namespace events on.
 */
#define COMPAT_DATA_SYMBOLS IS_ENABLED(CONFIG_KALLSYMS_ALL)

/*
 * The ftrace callback's last argument, and how to read the hooked call's
 * arguments from it. Until 5.11 it is a struct pt_regs, NULL unless the
 * ops asks for FTRACE_OPS_FL_SAVE_REGS (COMPAT_FTRACE_PT_REGS: Kbuild
 * finds no struct ftrace_regs in <linux/ftrace.h>). Later it is a struct
 * ftrace_regs: where ftrace's plain trampoline saves the argument
 * registers (DYNAMIC_FTRACE_WITH_ARGS), that one is used, as the
 * trampoline that saves every register costs more on every call. Kernels
 * that name the accessor have ftrace_regs_get_argument() (ftrace_regs is
 * opaque from 6.13 on, and in 6.12.y): a macro on x86-64, a static inline
 * on arm64 (from 6.2, where arm64 traded DYNAMIC_FTRACE_WITH_REGS for
 * WITH_ARGS), which the preprocessor cannot see
 * (COMPAT_FTRACE_REGS_GET_ARGUMENT: Kbuild finds the name in
 * <linux/ftrace.h>, <linux/ftrace_regs.h> or the architecture's
 * <asm/ftrace.h>). x86-64's ftrace_regs is a pt_regs before that.
 */
#include <linux/ftrace.h>
#if defined(COMPAT_FTRACE_PT_REGS)
typedef struct pt_regs nslink_fregs_t;
#define NSLINK_FTRACE_FLAGS FTRACE_OPS_FL_SAVE_REGS
#define nslink_ftrace_arg(fregs, n) regs_get_kernel_argument(fregs, n)
#elif defined(ftrace_regs_get_argument) || \
	(defined(COMPAT_FTRACE_REGS_GET_ARGUMENT) && \
	 IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_ARGS))
typedef struct ftrace_regs nslink_fregs_t;
#define NSLINK_FTRACE_FLAGS 0
#define nslink_ftrace_arg(fregs, n) ftrace_regs_get_argument(fregs, n)
#elif IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_ARGS) && defined(CONFIG_X86_64)
typedef struct ftrace_regs nslink_fregs_t;
#define NSLINK_FTRACE_FLAGS 0
#define nslink_ftrace_arg(fregs, n) regs_get_kernel_argument(&(fregs)->regs, n)
#elif IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
typedef struct ftrace_regs nslink_fregs_t;
#define NSLINK_FTRACE_FLAGS FTRACE_OPS_FL_SAVE_REGS
#define nslink_ftrace_arg(fregs, n) regs_get_kernel_argument(ftrace_get_regs(fregs), n)
#else
#error "nslink needs CONFIG_DYNAMIC_FTRACE_WITH_ARGS or CONFIG_DYNAMIC_FTRACE_WITH_REGS to read the arguments of the functions it hooks"
#endif

/*
 * A local the code writes whole before it reads it, spared the zeroing that
 * CONFIG_INIT_STACK_ALL_ZERO adds (GCC 12 and Clang 16 know the
 * attribute; with older compilers, it is zeroed as before).
 */
#if __has_attribute(__uninitialized__)
#define nslink_no_init __attribute__((__uninitialized__))
#else
#define nslink_no_init
#endif

/*
 * ftrace_free_filter() is exported from 6.2 on (COMPAT_NO_FTRACE_FREE_FILTER:
 * Kbuild does not find it in the kernel's Module.symvers). Before, an
 * unregistered ops' filter is emptied, and an empty filter is ftrace's
 * static EMPTY_HASH: nothing stays allocated.
 */
#ifdef COMPAT_NO_FTRACE_FREE_FILTER
#define ftrace_free_filter(ops) ftrace_set_filter(ops, NULL, 0, 1)
#endif

/*
 * find_ge_pid() is exported from 5.14 on (COMPAT_NO_FIND_GE_PID, likewise);
 * it is a look-up in the pid namespace's idr, which is exported.
 */
#ifdef COMPAT_NO_FIND_GE_PID
#include <linux/idr.h>
#include <linux/pid_namespace.h>
static inline struct pid *nslink_find_ge_pid(int nr, struct pid_namespace *ns)
{
	return idr_get_next(&ns->idr, &nr);
}
#define find_ge_pid nslink_find_ge_pid
#endif

/*
 * Exit is seen where a task drops its nsproxy: exit_task_namespaces(),
 * called exit_nsproxy_namespaces() once the credentials' namespaces got an
 * exit of their own (COMPAT_EXIT_NSPROXY_NAMESPACES: Kbuild finds it in
 * <linux/nsproxy.h>).
 */
#ifdef COMPAT_EXIT_NSPROXY_NAMESPACES
#define NSLINK_EXIT_FUNC "exit_nsproxy_namespaces"
#else
#define NSLINK_EXIT_FUNC "exit_task_namespaces"
#endif

/*
 * Kernels that switch the time namespace at exec do it in
 * exec_task_namespaces()
 * (COMPAT_EXEC_TASK_NAMESPACES: Kbuild finds it in <linux/nsproxy.h>); on
 * the others a child enters it at fork, and exec switches nothing.
 */
#ifdef COMPAT_EXEC_TASK_NAMESPACES
#define NSLINK_HAVE_EXEC_SWITCH 1
#else
#define NSLINK_HAVE_EXEC_SWITCH 0
#endif

/*
 * Namespace ids: kernels that give every namespace a unique 64-bit id
 * (6.18 on) keep it in struct ns_common as ns_id, the value ioctl(NS_GET_ID)
 * returns (COMPAT_NS_COMMON_ID: Kbuild finds "u64 ns_id;" in
 * <linux/ns_common.h>, or in the headers under <linux/ns/> where later
 * kernels moved the struct). Elsewhere events carry inodes only.
 */
#ifdef COMPAT_NS_COMMON_ID
#define NSLINK_HAVE_NS_ID 1
#else
#define NSLINK_HAVE_NS_ID 0
#endif

/* The setns syscall's entry points, as the syscall wrappers name them. */
#if defined(CONFIG_X86_64) && IS_ENABLED(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
#define NSLINK_SYS_SETNS "__x64_sys_setns"
#if IS_ENABLED(CONFIG_IA32_EMULATION)
#define NSLINK_COMPAT_SYS_SETNS "__ia32_sys_setns"
#endif
#elif defined(CONFIG_ARM64) && IS_ENABLED(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
#define NSLINK_SYS_SETNS "__arm64_sys_setns"
#else
#define NSLINK_SYS_SETNS "sys_setns"
#endif

/*
 * Injection (inject.c) reaches the kernel's uevent sequence number, and,
 * where it guards the broadcasts, uevent_sock_mutex; neither is exported.
 * COMPAT_UEVENT_SEQNUM_ATOMIC64 comes from Kbuild: it is set when
 * <linux/kobject.h> declares uevent_seqnum as an atomic64_t (no longer
 * covered by the mutex).
 */

#endif /* _NSLINK_COMPAT_H */
