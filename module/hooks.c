// SPDX-License-Identifier: GPL-2.0
/*
 * Where namespace transitions are observed. Every hook only reads; none
 * changes the instruction pointer or any argument.
 *
 * One ftrace_ops watches the entry of four functions (five on kernels with
 * an exec-time switch), and one tracepoint watches fork:
 *
 *   unshare   ksys_unshare (the native and compat syscalls, and in-kernel
 *             callers, all go through it) and
 *   setns     the setns syscall (commit_nsset is inlined on 6.1, so the
 *             syscall is the narrowest function that spans the switch):
 *             at entry the caller's namespaces, user included, are kept
 *             ("stashed") for that task;
 *             perf_event_namespaces(current) is called once at the end of
 *             every successful unshare and setns, after the nsproxy is
 *             switched and new creds are committed (in either order:
 *             unshare switches first, setns on a pidfd with CLONE_NEWUSER
 *             commits creds first). There the stash is compared with the
 *             task's namespaces now: exactly one event per syscall
 *             (where that function cannot be traced, 5.10, the same
 *             comparison runs at the sys_exit tracepoint instead). A
 *             syscall that fails never reaches it; its stash is left
 *             for its task's next call, or given back as the task
 *             returns to user space (see "Stashes");
 *   clone     the sched_process_fork tracepoint, which fires once the
 *             child has its pid and before it first runs: the child's
 *             namespaces and user namespace are compared with the
 *             parent's. copy_namespaces runs before the child's pid
 *             exists and never sees a CLONE_NEWUSER, so it is not hooked;
 *   exit      exit_task_namespaces(current) (exit_nsproxy_namespaces on
 *             kernels that renamed it), reported only while someone
 *             subscribed to exit events, at entry, while the namespaces
 *             are still there to read; the snapshot leaves out tasks that
 *             are exiting (see events.c);
 *   exec      exec_task_namespaces(), where it exists (compat.h): such
 *             kernels switch the time namespace at exec. Others (5.10,
 *             6.1) have none (a child enters the time namespace at fork).
 *
 * These hooks are armed only while someone may listen (see "Arming"
 * below): while nobody does, no kernel function is patched but genl_bind,
 * the join hook, which has an ftrace_ops of its own.
 *
 * Why ftrace and not kprobes: a kretprobe's kprobe sits on the function's
 * ftrace call site, and ftrace rewrites that site through a transient int3
 * whenever any hook on it is armed or disarmed. An int3 taken there just
 * as the rewrite completes is handed to the kprobe int3 handler, which
 * finds the ftrace kprobe still registered and "single steps" it through
 * its empty instruction slot: a jump to address 0. That was seen under
 * qemu's multi-threaded TCG (tests/kernel/22-unload.sh, rmmod in an unshare
 * storm), which let a vCPU run the stale int3; with a plain ftrace_ops no
 * kprobe sits at the address, and the int3 handler simply retries the
 * instruction. Nor are there return-probe instances to run out of, or to
 * outlive the module.
 *
 * While armed, the ftrace handler returns after a load or two when
 * nobody can be listening any more (a flag, see events.c) and no stash
 * waits to be dropped; its trampoline is the plain one where that saves
 * the argument registers (compat.h). Otherwise the unshare and setns
 * entries ask netlink whether anyone listens (or take its yes of this
 * jiffy, see events.h) before they stash; perf_event_namespaces reports
 * only a stash it finds.
 * Disarming and unload: unregister the tracepoint probe and the ftrace_ops.
 * A module's ftrace_ops is "dynamic": unregistering it waits (RCU tasks)
 * until no task is inside its trampoline or handler, preempted there or
 * not. Then wait for tracepoint probes. Unload first stops
 * the join hook and waits for the arming it queued (see
 * nslink_hooks_uninit()); only then may the module's text and data go.
 */
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/task_work.h>
#include <linux/time_namespace.h>
#include <linux/tracepoint.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "nslink.h"
#include "events.h"
#include "hooks.h"
#include "symbols.h"

/*
 * Stashes: one per task, from the entry of unshare/setns until its end.
 * A successful call gives its stash back where it is compared (the end
 * of the call); one that fails never gets there. Most stashes have
 * nothing more to them ("lazy"): a failed call's stash is left as it is,
 * harmless (only the end of a successful unshare or setns of the same
 * task compares one, and that call's entry replaces it first), and given
 * back at the task's next call, at its exit, or when the hooks are
 * disarmed. A lazy stash costs its task nothing on its way back to user
 * space, but a task may keep one for as long as it lives. So each owner
 * may hold only NSLINK_STASH_LAZY lazy stashes: past that, a stash of
 * that owner is tied to its task by a task_work queued at entry, which
 * runs on the way back to user space whether the call succeeded or
 * failed, and gives the stash back ("bound"): the owner pays that pass
 * for each call, and a failed call leaves nothing behind. A kernel
 * thread (it never returns to user space) and an exiting task get no
 * task_work; their stash is lazy.
 *
 * A user can still hold stashes: its lazy ones, and bound ones with
 * tasks asleep inside unshare, or stopped by ptrace between the end of a
 * call and the return to user space. So no owner may hold more than
 * NSLINK_STASH_SHARE of them, and owners other than the host's root no
 * more than NSLINK_STASH_OTHERS together: past that, the owner's own
 * calls, and nobody else's, are counted in its summary
 * (NSLINK_SUM_STASH), named and counted rather than followed. Owners are
 * those of events.c (nslink_events_owner_of_current()): a container's
 * root, with or without a user namespace, is not the host's, and no
 * unprivileged user can make owners.
 */
#define NSLINK_MAXACTIVE 1024
#define NSLINK_STASH_OTHERS (NSLINK_MAXACTIVE / 4 * 3)
#define NSLINK_STASH_SHARE 32
#define NSLINK_STASH_LAZY 4
#define NSLINK_STASH_BITS 7

struct nslink_stash {
	struct hlist_node node;		/* in a task bucket, or on the free list */
	struct hlist_node owner_node;	/* in an owner bucket, while in use */
	struct callback_head twork;	/* bound: gives it back at return to user */
	struct task_struct *task;	/* only compared, never dereferenced */
	u64 owner;			/* its owner's key (events.h) */
	struct nslink_ns_state old;
	u8 reason;
	bool valid;			/* old waits to be compared */
	bool queued;			/* bound: twork is queued on task */
};

static struct nslink_stash nslink_stash_pool[NSLINK_MAXACTIVE];
static struct hlist_head nslink_stash_table[1 << NSLINK_STASH_BITS];
static struct hlist_head nslink_stash_owners[1 << NSLINK_STASH_BITS];
static HLIST_HEAD(nslink_stash_free);
/* Raw: the hooks may run with preemption off (tracepoint probes; 5.10). */
static DEFINE_RAW_SPINLOCK(nslink_stash_lock);
/* Stashes in use (valid, lazy, or waiting for their task_work). */
static atomic_t nslink_stashed = ATOMIC_INIT(0);

/*
 * task_works queued by this module (stashes, and the join hook's arming)
 * whose function has not returned: unload waits for them.
 */
static atomic_t nslink_twork_pending = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(nslink_twork_wait);

static void nslink_twork_done(void)
{
	/*
	 * Unload waits for the count to reach zero and then for an RCU-tasks
	 * grace period, which outlasts the few instructions left here. Only
	 * unload ever sleeps on the queue: an empty one is not woken (its
	 * lock, on every call, was about a hundred instructions of each
	 * listened setns). The full barrier of wq_has_sleeper() pairs with
	 * the one of wait_event()'s prepare: either unload sees the count at
	 * zero, or this sees unload waiting.
	 */
	if (atomic_dec_and_test(&nslink_twork_pending) &&
	    wq_has_sleeper(&nslink_twork_wait))
		wake_up(&nslink_twork_wait);
}

/* Queue @twork on current, counted; false if it cannot be queued. */
static bool nslink_twork_add(struct callback_head *twork, task_work_func_t fn)
{
	init_task_work(twork, fn);
	atomic_inc(&nslink_twork_pending);
	if (!task_work_add(current, twork, TWA_RESUME))
		return true;
	nslink_twork_done();
	return false;
}

static struct hlist_head *nslink_stash_bucket(struct task_struct *t)
{
	return &nslink_stash_table[hash_ptr(t, NSLINK_STASH_BITS)];
}

static struct hlist_head *nslink_owner_bucket(u64 owner)
{
	return &nslink_stash_owners[hash_64(owner, NSLINK_STASH_BITS)];
}

/*
 * Without the lock: may current have a stash in the pool? Only current
 * puts its own stash in its bucket, so an empty bucket holds none of its
 * (others' come and go, and disarming may take current's away: then the
 * look under the lock finds nothing). Exits and failed calls ask this
 * first, so that others' stashes do not send every exit to the lock.
 */
static bool nslink_stash_maybe_mine(void)
{
	return READ_ONCE(nslink_stash_bucket(current)->first);
}

/* Under nslink_stash_lock. */
static struct nslink_stash *nslink_stash_find(struct task_struct *t)
{
	struct nslink_stash *s;

	hlist_for_each_entry(s, nslink_stash_bucket(t), node)
		if (s->task == t)
			return s;
	return NULL;
}

/*
 * Under nslink_stash_lock: how many stashes @owner holds (counted up to
 * its share), and how many of them are lazy.
 */
static unsigned int nslink_owner_held(u64 owner, unsigned int *lazy)
{
	struct nslink_stash *s;
	unsigned int n = 0;

	*lazy = 0;
	hlist_for_each_entry(s, nslink_owner_bucket(owner), owner_node) {
		if (s->owner != owner)
			continue;
		*lazy += !s->queued;
		if (++n >= NSLINK_STASH_SHARE)
			break;
	}
	return n;
}

/* Under nslink_stash_lock: back to the free list. */
static void nslink_stash_release(struct nslink_stash *s)
{
	hlist_del(&s->node);
	hlist_del(&s->owner_node);
	s->task = NULL;
	s->valid = false;
	s->queued = false;
	hlist_add_head(&s->node, &nslink_stash_free);
	atomic_dec(&nslink_stashed);
}

/* Under nslink_stash_lock: its comparison is done, or will never be. */
static void nslink_stash_invalidate(struct nslink_stash *s)
{
	s->valid = false;
	if (!s->queued)
		nslink_stash_release(s);
}

/*
 * Fast slots: before the pool above, a call tries the slot of a small
 * table that its task's address hashes to, claimed without a lock (a
 * compare-and-exchange from NULL) and given back with a store: an
 * uncontended call takes no lock, walks no list and asks nothing of its
 * owner. A slot held by another task sends the call to the pool, where
 * every rule above applies. A fast slot is given back where a pool stash
 * is (the end of a successful call, the task's exit, disarming) and kept
 * by a failed call until its task's next call. Only its task reads or
 * writes a claimed slot (disarming frees them all once no hook runs): a
 * task finds its stash in its fast slot if it holds it, else in the pool,
 * and its entry writes the one it finds in that order, so the two never
 * disagree. What holding fast slots can cost others is time, not events:
 * with all of them held, every call goes to the pool.
 */
#define NSLINK_FAST_BITS 8

struct nslink_fast {
	struct task_struct *task;	/* NULL: free; only compared */
	struct nslink_ns_state old;
	u8 reason;
};

static struct nslink_fast nslink_fast[1 << NSLINK_FAST_BITS];

static struct nslink_fast *nslink_fast_slot(struct task_struct *t)
{
	return &nslink_fast[hash_ptr(t, NSLINK_FAST_BITS)];
}

/* Current's fast slot, old and reason already read: free it. */
static void nslink_fast_release(struct nslink_fast *f)
{
	smp_store_release(&f->task, NULL);
	atomic_dec(&nslink_stashed);
}

/* Stash current's namespaces in its fast slot; false if another holds it. */
static bool nslink_fast_put(u8 reason)
{
	struct nslink_fast *f = nslink_fast_slot(current);
	struct task_struct *t = READ_ONCE(f->task);

	if (t != current) {
		if (t || cmpxchg(&f->task, NULL, current))
			return false;
		atomic_inc(&nslink_stashed);
	}
	/*
	 * Through a pointer in a register: else the compiler addresses each
	 * field as the table's symbol plus the slot's offset, and computes
	 * that offset again for every one of them (18 instructions a call).
	 */
	OPTIMIZER_HIDE_VAR(f);
	nslink_ns_state_fill(&f->old, current->nsproxy, current_real_cred(),
			     false);
	f->reason = reason;
	return true;
}

/* Take current's stash from its fast slot; false if it holds none. */
static bool nslink_fast_take(struct nslink_ns_state *old, u8 *reason)
{
	struct nslink_fast *f = nslink_fast_slot(current);

	if (READ_ONCE(f->task) != current)
		return false;
	*old = f->old;
	*reason = f->reason;
	nslink_fast_release(f);
	return true;
}

/* The task_work: current is back on its way to user space. */
static void nslink_stash_twork(struct callback_head *twork)
{
	struct nslink_stash *s = container_of(twork, struct nslink_stash,
					      twork);

	raw_spin_lock(&nslink_stash_lock);
	nslink_stash_release(s);
	raw_spin_unlock(&nslink_stash_lock);
	nslink_twork_done();
}

/*
 * Keep @old for current; false when none can be had, with @who, the
 * owner whose share is full.
 */
static bool nslink_stash_put(const struct nslink_ns_state *old, u8 reason,
			     struct nslink_owner_id *who)
{
	unsigned int held, lazy;
	struct nslink_stash *s;

	raw_spin_lock(&nslink_stash_lock);
	s = nslink_stash_find(current);
	if (!s) {
		nslink_events_owner_of_current(who);
		held = nslink_owner_held(who->key, &lazy);
		if (hlist_empty(&nslink_stash_free) ||
		    held >= NSLINK_STASH_SHARE ||
		    (who->key != NSLINK_KEY_HOST_ROOT &&
		     atomic_read(&nslink_stashed) >= NSLINK_STASH_OTHERS)) {
			raw_spin_unlock(&nslink_stash_lock);
			return false;
		}
		s = hlist_entry(nslink_stash_free.first, struct nslink_stash,
				node);
		hlist_del(&s->node);
		s->task = current;
		s->owner = who->key;
		hlist_add_head(&s->node, nslink_stash_bucket(current));
		hlist_add_head(&s->owner_node, nslink_owner_bucket(who->key));
		atomic_inc(&nslink_stashed);
		s->queued = lazy >= NSLINK_STASH_LAZY &&
			    !(current->flags & PF_KTHREAD) &&
			    nslink_twork_add(&s->twork, nslink_stash_twork);
	}
	s->old = *old;
	s->reason = reason;
	s->valid = true;
	raw_spin_unlock(&nslink_stash_lock);
	return true;
}

/* Take current's stash into @old and @reason; false if none waits. */
static bool nslink_stash_take(struct nslink_ns_state *old, u8 *reason)
{
	struct nslink_stash *s;
	bool found;

	if (nslink_fast_take(old, reason))
		return true;
	if (!nslink_stash_maybe_mine())
		return false;
	raw_spin_lock(&nslink_stash_lock);
	s = nslink_stash_find(current);
	found = s && s->valid;
	if (found) {
		*old = s->old;
		*reason = s->reason;
		nslink_stash_invalidate(s);
	}
	raw_spin_unlock(&nslink_stash_lock);
	return found;
}

/* Forget current's stash, if it has one. */
static void nslink_stash_drop(void)
{
	struct nslink_fast *f = nslink_fast_slot(current);
	struct nslink_stash *s;

	if (READ_ONCE(f->task) == current)
		nslink_fast_release(f);
	if (!nslink_stash_maybe_mine())
		return;
	raw_spin_lock(&nslink_stash_lock);
	s = nslink_stash_find(current);
	if (s)
		nslink_stash_invalidate(s);
	raw_spin_unlock(&nslink_stash_lock);
}

/*
 * No hook runs: forget every stash. Those whose task_work is queued stay
 * in use until it runs (it is on its task's list).
 */
static void nslink_stash_forget(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nslink_fast); i++)
		if (nslink_fast[i].task)
			nslink_fast_release(&nslink_fast[i]);
	raw_spin_lock(&nslink_stash_lock);
	for (i = 0; i < ARRAY_SIZE(nslink_stash_pool); i++)
		if (nslink_stash_pool[i].task)
			nslink_stash_invalidate(&nslink_stash_pool[i]);
	raw_spin_unlock(&nslink_stash_lock);
}

static void nslink_stash_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nslink_stash_table); i++) {
		INIT_HLIST_HEAD(&nslink_stash_table[i]);
		INIT_HLIST_HEAD(&nslink_stash_owners[i]);
	}
	INIT_HLIST_HEAD(&nslink_stash_free);
	for (i = 0; i < ARRAY_SIZE(nslink_fast); i++)
		nslink_fast[i].task = NULL;
	for (i = 0; i < ARRAY_SIZE(nslink_stash_pool); i++) {
		nslink_stash_pool[i].task = NULL;
		hlist_add_head(&nslink_stash_pool[i].node, &nslink_stash_free);
	}
	atomic_set(&nslink_stashed, 0);
}

static void nslink_state_of_current(struct nslink_ns_state *s,
				    bool active_time)
{
	nslink_ns_state_fill(s, current->nsproxy, current_real_cred(),
			     active_time);
}

/*
 * The entry when current's fast slot is held by another task: the pool,
 * with every rule of "Stashes". Out of line, so that the fast path has no
 * state of its own on the stack.
 */
static noinline void nslink_syscall_entry_pool(u8 reason)
{
	struct nslink_owner_id who;
	struct nslink_ns_state old;

	nslink_state_of_current(&old, false);
	if (!nslink_stash_put(&old, reason, &who))
		nslink_events_unfollowed(reason, &who);
}

/* ksys_unshare and setns entry: stash the caller's namespaces. */
static void nslink_syscall_entry(u8 reason)
{
	/* No lock work, nothing built, while nobody listens. */
	if (!nslink_events_listening()) {
		/* A stash left by a failed syscall must not meet this one's end. */
		if (unlikely(atomic_read(&nslink_stashed)))
			nslink_stash_drop();
		return;
	}
	if (!nslink_fast_put(reason))
		nslink_syscall_entry_pool(reason);
}

/*
 * An unshare with no CLONE_NEW* flag cannot switch a namespace: no stash,
 * no lock, nothing built. It still ends in perf_event_namespaces() when it
 * succeeds, so a stash that a failed call of the task left must go.
 */
#define NSLINK_CLONE_NEW_ANY (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | \
			      CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
			      CLONE_NEWNET | CLONE_NEWTIME)

static void nslink_syscall_skip(void)
{
	if (unlikely(atomic_read(&nslink_stashed)))
		nslink_stash_drop();
}

/* The end of a call whose stash is in the pool, not in a fast slot. */
static noinline void nslink_syscall_done_pool(void)
{
	struct nslink_ns_state old;
	u8 reason;

	if (nslink_stash_take(&old, &reason))
		nslink_events_switched(reason, &old);
	/* else the syscall began before anyone listened */
}

/*
 * perf_event_namespaces(task): with task == current, a successful unshare
 * or setns is done. fork calls it too, with the child, in the parent: that
 * is no end of a syscall of the parent's. With no stash anywhere there is
 * nothing to report, and nothing more to check: the entry hook stashes
 * only while someone listens (a listener leaving in between costs one
 * event sent to nobody).
 */
static __always_inline void
nslink_syscall_done(const struct task_struct *task)
{
	struct nslink_fast *f;

	if (likely(!atomic_read(&nslink_stashed)) || task != current)
		return;
	/* Read in its slot, which only current touches, then given back. */
	f = nslink_fast_slot(current);
	if (READ_ONCE(f->task) == current) {
		nslink_events_switched(f->reason, &f->old);
		nslink_fast_release(f);
	} else {
		nslink_syscall_done_pool();
	}
}

/*
 * Where perf_event_namespaces() cannot be traced (5.10 builds kernel/events
 * without ftrace's call sites), the end of unshare and setns is seen at the
 * raw sys_exit tracepoint instead, registered only while the hooks are
 * armed (it sends every syscall of every task through the slow exit path).
 * A stash is compared at the exit of the syscall that made it: a failed
 * syscall changed nothing, so it reports nothing.
 */
static void nslink_sys_exit_probe(void *data, struct pt_regs *regs, long ret)
{
	long nr;

	if (likely(!atomic_read(&nslink_stashed)))
		return;
	nr = syscall_get_nr(current, regs);
	if (nr == __NR_unshare || nr == __NR_setns || in_compat_syscall())
		nslink_syscall_done(current);
}

/* exit_task_namespaces(p): a task drops its namespaces as it exits. */
static noinline void nslink_exit_entry(nslink_fregs_t *fregs)
{
	struct nslink_ns_state old;

	/* fork's error path calls it for a child that never ran */
	if ((struct task_struct *)nslink_ftrace_arg(fregs, 0) != current)
		return;
	/* The last chance to drop a stash the task left. */
	if (unlikely(atomic_read(&nslink_stashed)))
		nslink_stash_drop();
	if (!nslink_events_want_exit() || !nslink_events_listening())
		return;
	nslink_state_of_current(&old, false);
	nslink_events_transition(NSLINK_REASON_EXIT, current, &old, NULL);
}

#if NSLINK_HAVE_EXEC_SWITCH
/*
 * exec_task_namespaces(), on kernels that have it: at exec, a task whose
 * time namespace for children is not its own moves into it. It is hooked
 * itself, at entry, not the switch_task_namespaces() it calls, which the
 * compiler may inline into it (an ftrace hook sees only calls made out of
 * line): on Debian's 6.12, a hook on switch_task_namespaces() saw no exec
 * switch at all, while 7.3 showed them. The switch is certain once the
 * task is here,
 * but for a failed allocation, which kills the task (exec is past its
 * point of no return).
 */
static noinline void nslink_exec_entry(void)
{
#if IS_ENABLED(CONFIG_TIME_NS)
	const struct nsproxy *nsp = current->nsproxy;
	struct nslink_ns_state old, new;

	if (nsp->time_ns_for_children == nsp->time_ns ||
	    !nslink_events_listening())
		return;
	nslink_state_of_current(&old, true);
	new = old;
	nslink_ns_state_set(&new, NSLINK_NS_TIME,
			    &nsp->time_ns_for_children->ns);
	nslink_events_transition(NSLINK_REASON_EXEC, current, &old, &new);
#endif
}
#endif

/* clone: the child is real (it has its pid) and has not run yet. */
static void nslink_fork_probe(void *data, struct task_struct *parent,
			      struct task_struct *child)
{
	struct nslink_ns_state old, new;

#ifdef NSLINK_BENCH_EMPTY_HOOKS
	return;	/* bench only (Kbuild) */
#endif
	/*
	 * Tracepoint probes may run preemptible (under SRCU on newer
	 * kernels): the task reads below want an RCU read-side section.
	 */
	rcu_read_lock();
	/*
	 * Most forks share every namespace: the same nsproxy (copy_namespaces()
	 * makes a new one for any CLONE_NEW*, and for a child that enters its
	 * parent's time namespace for children) and the same user namespace
	 * switch nothing. A look at two pointers, before anything else.
	 */
	if (child->nsproxy == parent->nsproxy &&
	    __task_cred(child)->user_ns == __task_cred(parent)->user_ns) {
		rcu_read_unlock();
		return;
	}
	if (!nslink_events_listening()) {
		rcu_read_unlock();
		return;
	}
	nslink_ns_state_fill(&old, parent->nsproxy, __task_cred(parent), false);
	nslink_ns_state_fill(&new, child->nsproxy, __task_cred(child), false);
	nslink_events_transition(NSLINK_REASON_CLONE, child, &old, &new);
	rcu_read_unlock();
}

enum nslink_hook_kind {
	NSLINK_HOOK_UNSHARE,
	NSLINK_HOOK_SETNS,
	NSLINK_HOOK_DONE,
	NSLINK_HOOK_EXIT,
	NSLINK_HOOK_EXEC,
};

/* Where each hooked function is in nslink_hooks[], for the dispatch. */
enum {
	NSLINK_H_DONE,
	NSLINK_H_SETNS,
	NSLINK_H_UNSHARE,
#ifdef NSLINK_COMPAT_SYS_SETNS
	NSLINK_H_COMPAT_SETNS,
#endif
	NSLINK_H_EXIT,
#if NSLINK_HAVE_EXEC_SWITCH
	NSLINK_H_EXEC,
#endif
	NSLINK_H_COUNT
};

/*
 * The hooked functions. Their addresses, found and verified at load
 * (symbols.c), are only data: ftrace's filter, and the dispatch below.
 */
static struct nslink_hook {
	const char *name;
	enum nslink_hook_kind kind;
	bool optional;		/* not every kernel has it */
	unsigned long addr;	/* 0: not hooked */
} nslink_hooks[NSLINK_H_COUNT] = {
	[NSLINK_H_DONE] = { "perf_event_namespaces", NSLINK_HOOK_DONE },
	[NSLINK_H_SETNS] = { NSLINK_SYS_SETNS, NSLINK_HOOK_SETNS },
	[NSLINK_H_UNSHARE] = { "ksys_unshare", NSLINK_HOOK_UNSHARE },
#ifdef NSLINK_COMPAT_SYS_SETNS
	[NSLINK_H_COMPAT_SETNS] = { NSLINK_COMPAT_SYS_SETNS, NSLINK_HOOK_SETNS,
				    true },
#endif
	[NSLINK_H_EXIT] = { NSLINK_EXIT_FUNC, NSLINK_HOOK_EXIT },  /* compat.h */
#if NSLINK_HAVE_EXEC_SWITCH
	[NSLINK_H_EXEC] = { "exec_task_namespaces", NSLINK_HOOK_EXEC },
#endif
};

bool nslink_hooks_exec_events(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nslink_hooks); i++)
		if (nslink_hooks[i].kind == NSLINK_HOOK_EXEC &&
		    nslink_hooks[i].addr)
			return true;
	return false;
}

/*
 * The ftrace call site is the first instruction of a function, or the one
 * after its endbr64 with IBT: within the first 16 bytes either way.
 */
#define NSLINK_FENTRY_SLACK 16

/* Is @ip the call site of the hooked function at @i (0: not hooked)? */
static __always_inline bool nslink_hook_at(unsigned long ip, unsigned int i)
{
	return ip - nslink_hooks[i].addr < NSLINK_FENTRY_SLACK;
}

static void notrace nslink_ftrace_handler(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *op,
					  nslink_fregs_t *fregs)
{
#ifdef NSLINK_BENCH_EMPTY_HOOKS
	return;	/* bench only: the cost of the hook points alone (Kbuild) */
#endif
	/*
	 * No recursion guard (ftrace_test_recursion_trylock(), about 25
	 * instructions a hit): nothing called from here reaches a hooked
	 * function (they are the entries of syscalls and of exit and exec,
	 * never called from an interrupt), so this handler is never entered
	 * again from within itself. Nor does anything here need preemption
	 * off (the guard's side effect from 5.16 on): a fast slot is only its
	 * task's, the pool and the ring are under raw spinlocks, and what RCU
	 * protects is read under one of them or rcu_read_lock(). On 5.10,
	 * ftrace calls an ops without FTRACE_OPS_FL_RECURSION_SAFE through a
	 * guard of its own. Direct calls below: an indirect one is a
	 * retpoline. The dispatch is a chain of tests, the end of every call
	 * first, then the entries that start one (a loop over the table and
	 * a switch on its kind was twice as many instructions). Once nobody
	 * can listen (the hooks about to be disarmed) each branch is out in
	 * a load or two: nothing listens, and no stash waits to be dropped.
	 */
	if (nslink_hook_at(ip, NSLINK_H_DONE)) {
		nslink_syscall_done((const struct task_struct *)
				    nslink_ftrace_arg(fregs, 0));
	} else if (nslink_hook_at(ip, NSLINK_H_SETNS)) {
		nslink_syscall_entry(NSLINK_REASON_SETNS);
	} else if (nslink_hook_at(ip, NSLINK_H_UNSHARE)) {
		if (nslink_ftrace_arg(fregs, 0) & NSLINK_CLONE_NEW_ANY)
			nslink_syscall_entry(NSLINK_REASON_UNSHARE);
		else
			nslink_syscall_skip();
#ifdef NSLINK_COMPAT_SYS_SETNS
	} else if (nslink_hook_at(ip, NSLINK_H_COMPAT_SETNS)) {
		nslink_syscall_entry(NSLINK_REASON_SETNS);
#endif
	} else if (nslink_hook_at(ip, NSLINK_H_EXIT)) {
		nslink_exit_entry(fregs);
#if NSLINK_HAVE_EXEC_SWITCH
	} else if (nslink_hook_at(ip, NSLINK_H_EXEC)) {
		nslink_exec_entry();
#endif
	}
}

static struct ftrace_ops nslink_ftrace_ops = {
	.func	= nslink_ftrace_handler,
	.flags	= NSLINK_FTRACE_FLAGS,	/* compat.h */
};

static struct tracepoint *nslink_tp_fork;
/* Set when the end of unshare and setns is seen at sys_exit (see above). */
static struct tracepoint *nslink_tp_sys_exit;

/*
 * Arming. The hooks above are in place only while someone may listen:
 * while nobody does, unshare, setns, fork and exit run the kernel's own
 * code, untouched. genl_bind() (its own ftrace_ops, always in place) sees
 * every join of a generic netlink group just before the socket becomes a
 * member; a join of "events" while the hooks are disarmed has the joining
 * task arm them on its way back to user space (task_work), so that when
 * the join returns, every transition that follows is seen. The hooks are
 * disarmed by the listener check in events.c, once nobody listens and
 * nobody joined for a while.
 *
 * nslink_armed is read without the lock by the join hook; it and
 * nslink_may_listen are each written before the other is read, with a
 * full barrier between, by the join hook and by nslink_hooks_disarm():
 * either the join sees "disarmed" and arms again, or the disarm sees the
 * join and stays armed.
 */
static DEFINE_MUTEX(nslink_arm_lock);
static bool nslink_registered;		/* under nslink_arm_lock */
static bool nslink_armed;
static bool nslink_hooks_stopping;

/*
 * The join hook's arming requests: a fixed few, claimed with a bit each,
 * as the hook runs where preemption is off and PREEMPT_RT forbids even an
 * atomic allocation there. Joins that find none free (each is held from a
 * join to that task's return to user space) arm through nslink_arm_work.
 */
#define NSLINK_ARM_REQS 16

static struct callback_head nslink_arm_reqs[NSLINK_ARM_REQS];
static unsigned long nslink_arm_reqs_used;	/* bit i: nslink_arm_reqs[i] */

static int nslink_arm_locked(void)
{
	int ret;

	lockdep_assert_held(&nslink_arm_lock);
	if (READ_ONCE(nslink_hooks_stopping))
		return -ESHUTDOWN;
	if (!nslink_registered) {
		ret = register_ftrace_function(&nslink_ftrace_ops);
		if (ret) {
			pr_err(NSLINK_PFX "cannot arm the ftrace hooks: %d; listeners get no events until the next join\n",
			       ret);
			return ret;
		}
		ret = tracepoint_probe_register(nslink_tp_fork,
						nslink_fork_probe, NULL);
		if (ret) {
			unregister_ftrace_function(&nslink_ftrace_ops);
			pr_err(NSLINK_PFX "cannot attach to tracepoint sched_process_fork: %d; listeners get no events until the next join\n",
			       ret);
			return ret;
		}
		ret = nslink_tp_sys_exit ?
		      tracepoint_probe_register(nslink_tp_sys_exit,
						nslink_sys_exit_probe, NULL) : 0;
		if (ret) {
			tracepoint_probe_unregister(nslink_tp_fork,
						    nslink_fork_probe, NULL);
			unregister_ftrace_function(&nslink_ftrace_ops);
			tracepoint_synchronize_unregister();
			pr_err(NSLINK_PFX "cannot attach to tracepoint sys_exit: %d; listeners get no events until the next join\n",
			       ret);
			return ret;
		}
		nslink_registered = true;
	}
	WRITE_ONCE(nslink_armed, true);
	return 0;
}

static void nslink_arm(void)
{
	mutex_lock(&nslink_arm_lock);
	nslink_arm_locked();
	mutex_unlock(&nslink_arm_lock);
}

/* No hook runs any more: forget the stashes of syscalls cut in two. */
static void nslink_unregister_locked(void)
{
	lockdep_assert_held(&nslink_arm_lock);
	if (!nslink_registered)
		return;
	tracepoint_probe_unregister(nslink_tp_fork, nslink_fork_probe, NULL);
	if (nslink_tp_sys_exit)
		tracepoint_probe_unregister(nslink_tp_sys_exit,
					    nslink_sys_exit_probe, NULL);
	/* Waits until no task is inside the trampoline or the handler. */
	unregister_ftrace_function(&nslink_ftrace_ops);
	tracepoint_synchronize_unregister();
	nslink_registered = false;
	nslink_stash_forget();
}

void nslink_hooks_disarm(void)
{
	mutex_lock(&nslink_arm_lock);
	if (nslink_registered) {
		WRITE_ONCE(nslink_armed, false);
		smp_mb();	/* pairs with nslink_genl_bind_handler() */
		if (nslink_events_may_listen())
			WRITE_ONCE(nslink_armed, true);	/* a join came */
		else
			nslink_unregister_locked();
	}
	mutex_unlock(&nslink_arm_lock);
}

static void nslink_arm_task_work(struct callback_head *twork)
{
	nslink_arm();
	clear_bit_unlock(twork - nslink_arm_reqs, &nslink_arm_reqs_used);
	nslink_twork_done();
}

/* When no task can arm them (out of memory, or a kernel socket). */
static void nslink_arm_work_fn(struct work_struct *work)
{
	nslink_arm();
}
static DECLARE_WORK(nslink_arm_work, nslink_arm_work_fn);

/* genl_bind(net, group): a socket is about to join a generic netlink group. */
static void notrace nslink_genl_bind_handler(unsigned long ip,
					     unsigned long parent_ip,
					     struct ftrace_ops *op,
					     nslink_fregs_t *fregs)
{
	unsigned int i;

	/*
	 * No recursion guard: nothing called here is genl_bind, the one
	 * function this ftrace_ops hooks, and a guard that could refuse would
	 * leave a listener without hooks.
	 */
	if (!nslink_events_join((const struct net *)nslink_ftrace_arg(fregs, 0),
				(unsigned int)nslink_ftrace_arg(fregs, 1)))
		return;
	smp_mb();	/* may_listen is set: pairs with nslink_hooks_disarm() */
	if (READ_ONCE(nslink_armed) || READ_ONCE(nslink_hooks_stopping))
		return;
	for (i = 0; !(current->flags & PF_KTHREAD) && i < NSLINK_ARM_REQS; i++) {
		if (test_and_set_bit_lock(i, &nslink_arm_reqs_used))
			continue;
		if (nslink_twork_add(&nslink_arm_reqs[i], nslink_arm_task_work))
			return;
		clear_bit_unlock(i, &nslink_arm_reqs_used);
		break;	/* the task is exiting: it cannot arm */
	}
	queue_work(system_unbound_wq, &nslink_arm_work);
}

static struct ftrace_ops nslink_bind_ops = {
	.func	= nslink_genl_bind_handler,
	.flags	= NSLINK_FTRACE_FLAGS,
};

struct nslink_tp_find {
	const char *name;
	struct tracepoint *tp;
};

static void nslink_find_tracepoint(struct tracepoint *tp, void *priv)
{
	struct nslink_tp_find *f = priv;

	if (!strcmp(tp->name, f->name))
		f->tp = tp;
}

/* The kernel's tracepoint @name, or NULL with a pr_err. */
static struct tracepoint *nslink_tracepoint(const char *name)
{
	struct nslink_tp_find f = { .name = name };

	if (!nslink_symbol_forced_missing(name))
		for_each_kernel_tracepoint(nslink_find_tracepoint, &f);
	if (!f.tp)
		pr_err(NSLINK_PFX "cannot find tracepoint %s\n", name);
	return f.tp;
}

/*
 * The verified address of @name, if ftrace can hook it, into @ops' filter.
 * ftrace_set_filter() would take the name itself, but it matches it
 * against every function ftrace knows, one kallsyms look-up each, for
 * each name at every load; the address is needed for the dispatch anyway.
 */
static int nslink_hook_filter(struct ftrace_ops *ops, const char *name,
			      bool optional, unsigned long *addr)
{
	int ret;

	*addr = optional ? nslink_symbol_func_quiet(name) :
		nslink_symbol_func(name);
	if (!*addr) {
		if (optional && !nslink_symbol_forced_missing(name))
			return 0;
		pr_err(NSLINK_PFX "cannot hook %s; not loading\n", name);
		return -ENOENT;
	}
	ret = ftrace_set_filter_ip(ops, *addr, 0, 0);
	if (ret) {
		pr_err(NSLINK_PFX "cannot hook %s: ftrace_set_filter_ip: %d (is it traceable?)\n",
		       name, ret);
		*addr = 0;
	}
	return ret;
}

int __init nslink_hooks_init(void)
{
	unsigned long bind_addr;
	struct nslink_hook *h;
	unsigned int i;
	int ret;

	nslink_stash_init();
	nslink_registered = false;
	nslink_armed = false;
	nslink_hooks_stopping = false;

	nslink_tp_fork = nslink_tracepoint("sched_process_fork");
	if (!nslink_tp_fork)
		return -ENOENT;
	nslink_tp_sys_exit = NULL;

	/* The hooks' filter is set now, and armed at the first join. */
	for (i = 0; i < ARRAY_SIZE(nslink_hooks); i++) {
		h = &nslink_hooks[i];
		h->addr = 0;
		if (h->kind == NSLINK_HOOK_DONE &&
		    nslink_symbol_untraceable(h->name)) {
			nslink_tp_sys_exit = nslink_tracepoint("sys_exit");
			if (!nslink_tp_sys_exit) {
				ret = -ENOENT;
				goto err_filter;
			}
			pr_info(NSLINK_PFX "%s cannot be traced on this kernel: the end of unshare and setns is seen at the sys_exit tracepoint\n",
				h->name);
			continue;
		}
		ret = nslink_hook_filter(&nslink_ftrace_ops, h->name, h->optional,
					 &h->addr);
		if (ret)
			goto err_filter;
	}

	ret = nslink_hook_filter(&nslink_bind_ops, "genl_bind", false,
				 &bind_addr);
	if (ret)
		goto err_filter;
	ret = register_ftrace_function(&nslink_bind_ops);
	if (ret) {
		pr_err(NSLINK_PFX "cannot register the ftrace hook on genl_bind: %d\n",
		       ret);
		goto err_bind;
	}
	return 0;

err_bind:
	ftrace_free_filter(&nslink_bind_ops);
err_filter:
	/* Broken on purpose (kmemleak) with NSLINK_BREAK_LEAK: the hooks'
	 * filter, ftrace's hashes, is kept when a later hook fails. */
#ifndef NSLINK_BREAK_LEAK
	ftrace_free_filter(&nslink_ftrace_ops);
#endif
	return ret;
}

void nslink_hooks_uninit(void)
{
	/* No join arms the hooks from now on. */
	WRITE_ONCE(nslink_hooks_stopping, true);
	unregister_ftrace_function(&nslink_bind_ops);
	cancel_work_sync(&nslink_arm_work);

	mutex_lock(&nslink_arm_lock);
	WRITE_ONCE(nslink_armed, false);
	nslink_unregister_locked();
	mutex_unlock(&nslink_arm_lock);
	/*
	 * No hook queues a task_work any more: wait for those queued (a task
	 * stopped by ptrace at the end of a syscall holds its own until it
	 * goes on), then until no task is still returning from one.
	 */
	wait_event(nslink_twork_wait, !atomic_read(&nslink_twork_pending));
	synchronize_rcu_tasks();
	ftrace_free_filter(&nslink_ftrace_ops);
	ftrace_free_filter(&nslink_bind_ops);
}
