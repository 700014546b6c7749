/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel compatibility for nslink. Force-included into every object by
 * Kbuild. Everything here tests for a *feature* of the kernel being built
 * against, never for a version number. Source files test the COMPAT_*
 * names defined here.
 */
#ifndef _NSLINK_COMPAT_H
#define _NSLINK_COMPAT_H

#include <linux/kconfig.h>
#include <linux/types.h>
#include <net/genetlink.h>

/*
 * Joining "events" must be refused to unprivileged callers. Kernels without
 * a family mcast_bind hook need the per-group capability flags added to
 * genetlink in 6.6 (and backported to stable kernels, Debian 12's 6.1
 * among them). Without either there is no way to refuse a join.
 */
#ifndef GENL_MCAST_CAP_SYS_ADMIN
#error "nslink needs genetlink multicast group capability flags (GENL_MCAST_CAP_SYS_ADMIN: Linux 6.6, or a stable kernel with the backport, such as Debian 12's 6.1)"
#endif

#if !IS_ENABLED(CONFIG_NET_NS)
#error "nslink needs CONFIG_NET_NS"
#endif

/*
 * Namespace events observe the kernel through one ftrace_ops, a
 * tracepoint, and kallsyms (for the few private symbols they read). The end
 * of unshare and setns is found at perf_event_namespaces(), a real function
 * only with PERF_EVENTS.
 */
#if !IS_ENABLED(CONFIG_DYNAMIC_FTRACE) || \
	!IS_ENABLED(CONFIG_PERF_EVENTS) || !IS_ENABLED(CONFIG_KALLSYMS) || \
	!IS_ENABLED(CONFIG_TRACEPOINTS)
#error "nslink needs CONFIG_DYNAMIC_FTRACE, CONFIG_PERF_EVENTS, CONFIG_KALLSYMS and CONFIG_TRACEPOINTS"
#endif

/*
 * The ftrace_ops reads the hooked call's first two arguments. Where
 * ftrace's plain trampoline saves the argument registers
 * (DYNAMIC_FTRACE_WITH_ARGS), it is used: the trampoline that saves every
 * register (FTRACE_OPS_FL_SAVE_REGS) costs more on every call. Kernels
 * that name the accessor define ftrace_regs_get_argument(); x86-64's
 * ftrace_regs is a pt_regs before that.
 */
#include <linux/ftrace.h>
#if defined(ftrace_regs_get_argument)
#define NSLINK_FTRACE_FLAGS 0
#define nslink_ftrace_arg(fregs, n) ftrace_regs_get_argument(fregs, n)
#elif IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_ARGS) && defined(CONFIG_X86_64)
#define NSLINK_FTRACE_FLAGS 0
#define nslink_ftrace_arg(fregs, n) regs_get_kernel_argument(&(fregs)->regs, n)
#elif IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
#define NSLINK_FTRACE_FLAGS FTRACE_OPS_FL_SAVE_REGS
#define nslink_ftrace_arg(fregs, n) regs_get_kernel_argument(ftrace_get_regs(fregs), n)
#else
#error "nslink needs CONFIG_DYNAMIC_FTRACE_WITH_ARGS or CONFIG_DYNAMIC_FTRACE_WITH_REGS to read the arguments of the functions it hooks"
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
 * Injection (inject.c) reaches the kernel's uevent sequence number and lock,
 * which are not exported, through kallsyms_lookup_name(), itself found
 * through a kprobe since it stopped being exported.
 * COMPAT_UEVENT_SEQNUM_ATOMIC64 comes from Kbuild: it is set when
 * <linux/kobject.h> declares uevent_seqnum as an atomic64_t.
 */
#if !IS_ENABLED(CONFIG_KPROBES)
#error "nslink needs CONFIG_KPROBES to find kallsyms_lookup_name"
#endif
#if !IS_ENABLED(CONFIG_KALLSYMS_ALL)
#error "nslink needs CONFIG_KALLSYMS_ALL to find uevent_seqnum and uevent_sock_mutex"
#endif

#endif /* _NSLINK_COMPAT_H */
