// SPDX-License-Identifier: GPL-2.0
/*
 * Where namespace transitions are observed. Every hook only reads; none
 * changes the instruction pointer or any argument.
 *
 *   unshare   kretprobe on ksys_unshare (the native and compat syscalls,
 *             and in-kernel callers, all go through it);
 *   setns     kretprobe on the setns syscall (setns is SYSCALL_DEFINE'd;
 *             commit_nsset is inlined on 6.1, so the syscall is the
 *             narrowest function that spans the whole switch);
 *             both snapshot the caller's namespaces, user included, at
 *             entry into the instance's data and compare at return: a
 *             syscall that switches the nsproxy and commits new creds (in
 *             either order: unshare switches first, setns on a pidfd with
 *             CLONE_NEWUSER commits creds first) gives exactly one event;
 *   clone     the sched_process_fork tracepoint, which fires once the
 *             child has its pid and before it first runs: the child's
 *             namespaces and user namespace are compared with the
 *             parent's. copy_namespaces runs before the child's pid
 *             exists and never sees a CLONE_NEWUSER, so it is not hooked;
 *   exit      kretprobe on switch_task_namespaces(current, NULL), only
 *             while someone subscribed to exit events; reported at return,
 *             once the task has no namespaces left (see events.c on why);
 *   exec      kretprobe on switch_task_namespaces while current->in_execve:
 *             kernels with exec_task_namespaces() switch the time namespace
 *             there. 6.1 has no such switch (a child enters the time
 *             namespace at fork), so this never fires on 6.1.
 *
 * Every handler's first act is one check that someone listens.
 * Unload: unregister the tracepoint probe and the kretprobes, then wait
 * for running handlers (tracepoint_synchronize_unregister; kretprobe
 * unregistering synchronizes RCU, and kprobe handlers run with preemption
 * off); only then may the module's text and data go.
 */
#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/nsproxy.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/wait.h>

#include "nslink.h"
#include "events.h"
#include "hooks.h"
#include "symbols.h"

/*
 * Return-probe instances per probe: one is held by each task inside a
 * probed function. A task can sleep in unshare(CLONE_NEWNET) or while its
 * last namespaces are torn down at exit, so be generous; a miss is counted
 * in GET_STATS as dropped.
 */
#define NSLINK_MAXACTIVE 512

struct nslink_probe_data {
	struct nslink_ns_state old;
	u8 reason;
};

static void nslink_state_of_current(struct nslink_ns_state *s,
				    bool active_time)
{
	nslink_ns_state_fill(s, current->nsproxy, current_real_cred(),
			     active_time);
}

/*
 * Unload must not unregister a return probe while a task is still inside
 * the probed function with an instance of it: on 6.1 that task's return
 * then goes through a freed rethook (seen as a jump to 0 from ksys_unshare
 * in tests/kernel/22-unload.sh). So instances are counted; at unload no new
 * one is taken, and the count is waited down to zero before unregistering.
 */
static atomic_t nslink_inflight = ATOMIC_INIT(0);
static bool nslink_stopping;
static DECLARE_WAIT_QUEUE_HEAD(nslink_inflight_wq);

/* An entry handler keeps its instance: 0 to keep it, 1 to let it go. */
static int nslink_keep(void)
{
	if (READ_ONCE(nslink_stopping))
		return 1;
	atomic_inc(&nslink_inflight);
	return 0;
}

/* Every return handler of a kept instance ends here. */
static void nslink_release(void)
{
	if (atomic_dec_and_test(&nslink_inflight))
		wake_up(&nslink_inflight_wq);
}

/* unshare and setns: snapshot at entry, compare at return. */
static int nslink_syscall_entry(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct nslink_probe_data *d = (void *)ri->data;

	if (!nslink_events_listening())
		return 1;
	nslink_state_of_current(&d->old, false);
	return nslink_keep();
}

static void nslink_syscall_return(struct kretprobe_instance *ri, u8 reason)
{
	struct nslink_probe_data *d = (void *)ri->data;
	struct nslink_ns_state new;

	nslink_state_of_current(&new, false);
	nslink_events_transition(reason, current, &d->old, &new);
	nslink_release();
}

static int nslink_unshare_return(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	nslink_syscall_return(ri, NSLINK_REASON_UNSHARE);
	return 0;
}

static int nslink_setns_return(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	nslink_syscall_return(ri, NSLINK_REASON_SETNS);
	return 0;
}

/* switch_task_namespaces(tsk, new): exit (new NULL) and exec only. */
static int nslink_switch_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct nslink_probe_data *d = (void *)ri->data;
	struct task_struct *tsk;

	if (!nslink_events_listening())
		return 1;
	tsk = (struct task_struct *)regs_get_kernel_argument(regs, 0);
	if (tsk != current)
		return 1;
	if (!regs_get_kernel_argument(regs, 1)) {
		if (!nslink_events_want_exit())
			return 1;
		d->reason = NSLINK_REASON_EXIT;
		nslink_state_of_current(&d->old, false);
		return nslink_keep();
	}
	/* unshare and setns are reported by their own probes. */
	if (!current->in_execve)
		return 1;
	d->reason = NSLINK_REASON_EXEC;
	nslink_state_of_current(&d->old, true);
	return nslink_keep();
}

static int nslink_switch_return(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct nslink_probe_data *d = (void *)ri->data;
	struct nslink_ns_state new;

	if (d->reason == NSLINK_REASON_EXIT) {
		nslink_events_transition(NSLINK_REASON_EXIT, current, &d->old,
					 NULL);
	} else {
		nslink_state_of_current(&new, true);
		nslink_events_transition(NSLINK_REASON_EXEC, current, &d->old,
					 &new);
	}
	nslink_release();
	return 0;
}

/* clone: the child is real (it has its pid) and has not run yet. */
static void nslink_fork_probe(void *data, struct task_struct *parent,
			      struct task_struct *child)
{
	struct nslink_ns_state old, new;

	if (!nslink_events_listening())
		return;
	rcu_read_lock();
	nslink_ns_state_fill(&old, parent->nsproxy, __task_cred(parent), false);
	nslink_ns_state_fill(&new, child->nsproxy, __task_cred(child), false);
	rcu_read_unlock();
	nslink_events_transition(NSLINK_REASON_CLONE, child, &old, &new);
}

#define NSLINK_KRETPROBE(sym, entry, ret, opt) {			\
	.rp = {								\
		.kp.symbol_name	= sym,					\
		.entry_handler	= entry,				\
		.handler	= ret,					\
		.data_size	= sizeof(struct nslink_probe_data),	\
		.maxactive	= NSLINK_MAXACTIVE,			\
	},								\
	.optional = opt,						\
}

static struct nslink_kretprobe {
	struct kretprobe rp;
	bool optional;		/* a compat entry point the kernel may lack */
	bool registered;
} nslink_probes[] = {
	NSLINK_KRETPROBE("ksys_unshare", nslink_syscall_entry,
			 nslink_unshare_return, false),
	NSLINK_KRETPROBE(NSLINK_SYS_SETNS, nslink_syscall_entry,
			 nslink_setns_return, false),
#ifdef NSLINK_COMPAT_SYS_SETNS
	NSLINK_KRETPROBE(NSLINK_COMPAT_SYS_SETNS, nslink_syscall_entry,
			 nslink_setns_return, true),
#endif
	NSLINK_KRETPROBE("switch_task_namespaces", nslink_switch_entry,
			 nslink_switch_return, false),
};

static struct tracepoint *nslink_tp_fork;

static void nslink_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		*(struct tracepoint **)priv = tp;
}

u64 nslink_hooks_missed(void)
{
	u64 missed = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nslink_probes); i++)
		if (nslink_probes[i].registered)
			missed += READ_ONCE(nslink_probes[i].rp.nmissed) +
				  READ_ONCE(nslink_probes[i].rp.kp.nmissed);
	return missed;
}

static void nslink_unregister_probes(void)
{
	struct kretprobe *rps[ARRAY_SIZE(nslink_probes)];
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(nslink_probes); i++) {
		if (nslink_probes[i].registered)
			rps[n++] = &nslink_probes[i].rp;
		nslink_probes[i].registered = false;
	}
	/* Synchronizes: no handler runs once this returns. */
	if (n)
		unregister_kretprobes(rps, n);
}

int __init nslink_hooks_init(void)
{
	struct nslink_kretprobe *p;
	unsigned int i;
	int ret;

	if (!nslink_symbol_forced_missing("sched_process_fork"))
		for_each_kernel_tracepoint(nslink_find_tracepoint, &nslink_tp_fork);
	if (!nslink_tp_fork) {
		pr_err(NSLINK_PFX "cannot find tracepoint sched_process_fork\n");
		return -ENOENT;
	}

	for (i = 0; i < ARRAY_SIZE(nslink_probes); i++) {
		p = &nslink_probes[i];
		if (p->optional && !nslink_symbol_quiet(p->rp.kp.symbol_name))
			continue;
		if (nslink_symbol_forced_missing(p->rp.kp.symbol_name)) {
			pr_err(NSLINK_PFX "cannot probe %s (fail_symbol= module parameter); not loading\n",
			       p->rp.kp.symbol_name);
			ret = -ENOENT;
			goto err_probes;
		}
		ret = register_kretprobe(&p->rp);
		if (ret) {
			pr_err(NSLINK_PFX "cannot probe %s: register_kretprobe: %d\n",
			       p->rp.kp.symbol_name, ret);
			goto err_probes;
		}
		p->registered = true;
	}

	ret = tracepoint_probe_register(nslink_tp_fork, nslink_fork_probe, NULL);
	if (ret) {
		pr_err(NSLINK_PFX "cannot attach to tracepoint sched_process_fork: %d\n",
		       ret);
		goto err_probes;
	}
	return 0;

err_probes:
	nslink_unregister_probes();
	return ret;
}

void nslink_hooks_uninit(void)
{
	tracepoint_probe_unregister(nslink_tp_fork, nslink_fork_probe, NULL);
	/* Entry handlers run with preemption off: after synchronize_rcu()
	 * every one that saw nslink_stopping false has counted itself. */
	WRITE_ONCE(nslink_stopping, true);
	synchronize_rcu();
	if (!wait_event_timeout(nslink_inflight_wq,
				!atomic_read(&nslink_inflight), 30 * HZ))
		pr_err(NSLINK_PFX "%d tasks still inside a probed function after 30 s; unloading anyway\n",
		       atomic_read(&nslink_inflight));
	nslink_unregister_probes();
	tracepoint_synchronize_unregister();
}
