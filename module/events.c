// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace-change events: reading a task's namespaces, building and
 * multicasting NSLINK_CMD_EVENT, the loss counters (GET_STATS), the
 * snapshot (GET_TASKS) and exit-event subscriptions (SUBSCRIBE).
 *
 * Delivery: a hook only records a transition. Under one spinlock it takes
 * the next sequence number and the time, and copies what the event needs
 * (136 bytes, 288 where namespaces have ids; no pointers) into a ring
 * preallocated at load; then it arms a delayed work item, which costs
 * nothing when it is armed already.
 * The work item, one timer tick later, builds the messages, packs as many
 * as fit into each datagram, and multicasts them in ring order, which is
 * seq order. So the syscall pays neither for an allocation nor for the
 * wakeup of a listener, and a listener is woken once per datagram, not
 * once per event. A transition that finds the ring full, or whose message
 * cannot be built, still takes its sequence number: a gap always means a
 * loss, and every loss is counted in "dropped". GET_STATS first lets the
 * work item run, so that its counters cover every transition recorded
 * before it.
 *
 * Snapshot consistency: the hooks record only after the change is in place
 * (see hooks.c), and GET_TASKS reads the sequence number under the same
 * lock before it reads any task; an event with seq <= the dump's seq is
 * therefore already reflected in the dump, and one with a larger seq may or
 * may not be, which applying it (it carries the new inodes) makes right.
 * Events may reach a listener after the dump does; their seq tells which
 * the dump already covers. Exit is the one event recorded while the change
 * is under way (as the task drops its namespaces); the task has PF_EXITING
 * by then, and the dump leaves such tasks out, so an exit never precedes a
 * dump that lists the task.
 */
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/ipc_namespace.h>
#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/nsproxy.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#ifdef NSLINK_BREAK_KFENCE
#include <linux/kfence.h>
#endif

#include "nslink.h"
#include "genl.h"
#include "events.h"
#include "hooks.h"
#include "symbols.h"
#include "inject.h"
#include "members.h"

/* At most this many sockets may hold an exit subscription at once. */
#define NSLINK_MAX_EXIT_SUBSCRIBERS 64

/*
 * The ring of recorded transitions, NSLINK_RING_SIZE records (a power of
 * two). Records [tail, head) wait for the work item; the hooks write at
 * head, the work item alone reads and advances tail. head, tail and
 * nslink_seq (the last sequence number assigned) change under
 * nslink_seq_lock.
 */
#define NSLINK_RING_SIZE 4096
/* How long a record may wait for company before it is sent. */
#define NSLINK_SEND_DELAY 1	/* jiffies */

/* Who made a transition, or is listed in the snapshot. */
struct nslink_task_id {
	u64 cgroup;			/* 0: no cgroups in this kernel */
	u32 pid, tgid, ppid, uid;
	char comm[TASK_COMM_LEN];
};

/* Transitions of one owner counted rather than sent one by one. */
struct nslink_summary {
	struct nslink_owner_id who;
	u64 count;			/* 0: nothing waits */
	u64 by_reason[NSLINK_REASON_MAX + 1];
	u64 after_seq;			/* nslink_seq before the first */
	u64 first_ts, last_ts;
	u8 causes;			/* enum nslink_sum_cause */
};

/* An EVENT, or (reason NSLINK_REASON_UNSPEC) a SUMMARY. */
struct nslink_event_rec {
	u64 seq;
	u64 ts;
	union {
		struct {
			struct nslink_task_id id;
			struct nslink_ns_state old;
			struct nslink_ns_state new;	/* all 0 on exit */
		};
		struct nslink_summary sum;
	};
	u8 reason;
};

/*
 * The ring's lock is taken in the hooks, which may run with preemption off
 * (a tracepoint probe; 5.10's ftrace guard): raw, so that PREEMPT_RT does
 * not make it a sleeping lock there. It covers the writing of one record
 * in place: a few dozen loads and stores, nothing that waits.
 */
static DEFINE_RAW_SPINLOCK(nslink_seq_lock);
static u64 nslink_seq;
static struct nslink_event_rec *nslink_ring;
static u64 nslink_ring_head, nslink_ring_tail;

static void nslink_events_send(struct work_struct *work);
static DECLARE_DELAYED_WORK(nslink_send_work, nslink_events_send);
static struct workqueue_struct *nslink_wq;

static atomic64_t nslink_emitted = ATOMIC64_INIT(0);
static atomic64_t nslink_dropped = ATOMIC64_INIT(0);
static atomic64_t nslink_by_reason[NSLINK_REASON_MAX + 1];
static atomic64_t nslink_summaries = ATOMIC64_INIT(0);

/*
 * The owners' shares. Each owner but the host's root may have its
 * transitions sent one by one at owner_rate a second, owner_burst at
 * once (a GCRA: an owner's "tat" is when its share is whole again, and a
 * transition is sent while that is no more than owner_burst periods
 * ahead of now), and only while the ring is less than 3/4 full. Past
 * that a transition is counted in its owner's summary, which the work
 * item puts in the ring NSLINK_SUMMARY_DELAY after the first one counted.
 *
 * NSLINK_OWNERS slots, found by the key's hash and NSLINK_OWNER_PROBES
 * slots on; a slot is taken over only from an owner whose share is whole
 * and who has no summary waiting (it loses nothing: a new slot starts
 * whole too). An owner that finds none counts in the "others" slot; the
 * host's root has a slot of its own. All under nslink_seq_lock, which the
 * transition takes anyway: a few loads and compares per transition.
 */
#define NSLINK_OWNERS 64			/* a power of two */
#define NSLINK_OWNER_PROBES 8
#define NSLINK_OWNER_HOST NSLINK_OWNERS		/* the host's root */
#define NSLINK_OWNER_SLOT_OTHERS (NSLINK_OWNERS + 1)
#define NSLINK_SUMMARY_DELAY_NS (100 * NSEC_PER_MSEC)

struct nslink_owner {
	struct nslink_owner_id who;
	u64 tat;
	struct nslink_summary sum;
};

static struct nslink_owner nslink_owners[NSLINK_OWNERS + 2];
static unsigned int nslink_summaries_waiting;	/* owners with sum.count */
static u64 nslink_summarized;			/* transitions, ever */
static u64 nslink_owner_period, nslink_owner_tolerance;	/* ns */

static unsigned int owner_rate = 1000;
module_param(owner_rate, uint, 0444);
MODULE_PARM_DESC(owner_rate,
		 "Transitions a second each owner but the host's root may have sent one by one, on average (1 to 1000000; default 1000)");
static unsigned int owner_burst = 1000;
module_param(owner_burst, uint, 0444);
MODULE_PARM_DESC(owner_burst,
		 "Transitions each owner but the host's root may have sent one by one at once (1 to 4096; default 1000)");

/* Sockets (init_net portids) that asked for exit events. */
struct nslink_exit_sub {
	struct list_head list;
	u32 portid;
};
static LIST_HEAD(nslink_exit_subs);
static DEFINE_SPINLOCK(nslink_exit_subs_lock);
static unsigned int nslink_exit_subs_count;	/* under the lock */
static atomic_t nslink_exit_wanted = ATOMIC_INIT(0);	/* its mirror */

/*
 * struct mnt_namespace is private (and __randomize_layout): where its
 * ns_common lies is measured at load time from the kernel's own objects,
 * the nsfs file of the loading task's mount namespace (see
 * nslink_mnt_ns_probe()), which also gives nsfs's device.
 */
/* Measured at load (nslink_mnt_ns_probe()); see events.h. */
size_t nslink_mnt_ns_off;
/* nsfs's device, found by the same probe. */
static u64 nslink_nsfs_dev;

/*
 * Whether "events" may have listeners. It becomes true at genl_bind()
 * (hooks.c), which every join of a generic netlink group passes through
 * just before the socket becomes a member (the family is registered only
 * once that hook is in place), for a privileged join in the initial
 * network namespace only (nslink_events_join()); the join also arms the
 * hooks. It becomes false only when a check finds no listener and no such
 * join began in the last NSLINK_JOIN_GRACE: the few instructions of a join
 * between genl_bind() and the membership itself are given ample time.
 * Then the hooks are disarmed. While it is true, nslink_events_listening()
 * asks netlink itself, so it is never wrong to leave it true.
 *
 * netlink's answer counts members of the group in every network
 * namespace, and the root of a container may join in its own (genetlink
 * checks CAP_SYS_ADMIN over that netns): such a member receives nothing,
 * as events are multicast in the initial netns only. So a check asks the
 * kernel's socket diagnostics which sockets of the initial netns are
 * members (members.c): a member there is a subscriber, however slowly it
 * reads and whatever its socket filter drops, and keeps the hooks. (What
 * a multicast returns says nothing of that: -ESRCH is also the answer
 * when every member's filter or full buffer refused the message.)
 *
 * A check runs when a generic netlink socket is closed, a grace after
 * every join (an LSM may still refuse it), again after the grace while
 * the answer is still "none", and every NSLINK_RECHECK while it is "some"
 * (a member may leave the group without closing its socket). It runs on
 * system_long_wq: disarming waits for an RCU-tasks grace period.
 */
#define NSLINK_JOIN_GRACE (10 * HZ)
#define NSLINK_RECHECK (60 * HZ)
/*
 * A check dumps the initial netns's generic netlink sockets, and anyone
 * may close such sockets in a loop: a close queues no check sooner than
 * this after the last one began, nor later (the time is fixed, a later
 * close cannot push it back).
 */
#define NSLINK_CHECK_SPACING HZ

bool nslink_may_listen;
unsigned long nslink_heard_at;	/* events.h */
static unsigned long nslink_check_next;	/* jiffies; see above */
static unsigned long nslink_last_join;
static bool nslink_stopping;
/* Raw: taken in the join hook, where preemption is off (ftrace). */
static DEFINE_RAW_SPINLOCK(nslink_listen_lock);

static void nslink_listen_check(struct work_struct *work);
static DECLARE_DELAYED_WORK(nslink_listen_work, nslink_listen_check);

bool nslink_events_join(const struct net *net, unsigned int group)
{
	const struct cred *cred = current_cred();
	unsigned long flags;

	if (group != nslink_genl_family.mcgrp_offset + NSLINK_MCGRP_EVENTS_ID)
		return false;
	/*
	 * Only a join that genl_bind() will grant and that can receive events
	 * counts: in the initial network namespace, where events are
	 * multicast, by a task with CAP_SYS_ADMIN in the initial user
	 * namespace (genl_bind()'s own test there, ns_capable(), read from the
	 * credentials: no LSM is called from this hook). A refused join, or
	 * one in a container's netns, arms nothing and keeps nothing armed.
	 */
	if (!net_eq(net, &init_net) || cred->user_ns != &init_user_ns ||
	    !cap_raised(cred->cap_effective, CAP_SYS_ADMIN))
		return false;
	raw_spin_lock_irqsave(&nslink_listen_lock, flags);
	WRITE_ONCE(nslink_may_listen, true);
	WRITE_ONCE(nslink_last_join, jiffies);
	raw_spin_unlock_irqrestore(&nslink_listen_lock, flags);
	/* A join that fails (an LSM refused) is forgotten after the grace. */
	if (!READ_ONCE(nslink_stopping))
		queue_delayed_work(system_long_wq, &nslink_listen_work,
				   NSLINK_JOIN_GRACE + 1);
	return true;
}

static unsigned int nslink_events_group(void)
{
	return nslink_genl_family.mcgrp_offset + NSLINK_MCGRP_EVENTS_ID;
}

/*
 * Members of "events" in the initial network namespace, or, where the
 * kernel cannot say (netlink_diag missing), netlink's count of members
 * anywhere: then a container's member keeps the hooks too.
 */
static int nslink_events_members(void)
{
	int n;

	if (!nslink_events_has_listeners())
		return 0;
	n = nslink_members_read(nslink_events_group(), NULL, 0);
	if (n < 0) {
		pr_warn_once(NSLINK_PFX "cannot list the members of \"events\" (socket diagnostics: %d; is netlink_diag available?): the hooks stay while any socket in any network namespace is a member\n",
			     n);
		return 1;
	}
	return n;
}

static void nslink_listen_check(struct work_struct *work)
{
	bool again = false, none = false;
	int members;

	if (READ_ONCE(nslink_stopping))
		return;
	WRITE_ONCE(nslink_check_next, jiffies + NSLINK_CHECK_SPACING);
	/* Before the lock: it sleeps. A join after it is seen by its time. */
	members = nslink_events_members();
	raw_spin_lock_irq(&nslink_listen_lock);
	if (READ_ONCE(nslink_may_listen) && !members) {
		if (time_after(jiffies, nslink_last_join + NSLINK_JOIN_GRACE))
			WRITE_ONCE(nslink_may_listen, false);
		else
			again = true;
	}
	none = !READ_ONCE(nslink_may_listen);
	raw_spin_unlock_irq(&nslink_listen_lock);
	if (again)
		queue_delayed_work(system_long_wq, &nslink_listen_work,
				   NSLINK_JOIN_GRACE);
	else if (none)
		nslink_hooks_disarm();	/* unless a join came in meanwhile */
	else
		queue_delayed_work(system_long_wq, &nslink_listen_work,
				   NSLINK_RECHECK);
}

bool nslink_events_want_exit(void)
{
	return atomic_read(&nslink_exit_wanted) > 0;
}

/*
 * The owner of @t's transitions (nslink.h, "Fair sharing"), under RCU.
 * Outermost namespaces below the initial ones: a container's root may
 * make nested ones, and none of them is a new owner.
 */
static __always_inline void nslink_owner_of(struct task_struct *t,
					    const struct cred *cred,
					    struct nslink_owner_id *o)
{
	const struct user_namespace *ns = cred->user_ns;
	const struct pid_namespace *pidns;
	struct pid *pid;

	o->uid = 0;
	o->ns = 0;
	if (ns == &init_user_ns) {
		pid = task_pid(t);
		pidns = pid ? ns_of_pid(pid) : NULL;
		if (!pidns || pidns == &init_pid_ns) {
			o->kind = NSLINK_OWNER_UID;
			o->uid = __kuid_val(cred->uid);
			o->key = (u64)o->uid << 2 | 1;
			return;
		}
		while (pidns->parent && pidns->parent != &init_pid_ns)
			pidns = pidns->parent;
		o->kind = NSLINK_OWNER_PIDNS;
		o->ns = pidns->ns.inum;
		o->key = (unsigned long)pidns | 2;
		return;
	}
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	if (!uid_eq(ns->owner, GLOBAL_ROOT_UID)) {
		o->kind = NSLINK_OWNER_UID;
		o->uid = __kuid_val(ns->owner);
		o->key = (u64)o->uid << 2 | 1;
	} else {
		o->kind = NSLINK_OWNER_USERNS;
		o->ns = ns->ns.inum;
		o->key = (unsigned long)ns | 2;
	}
}

/*
 * pid, tgid, ppid, uid and comm of @t, for events and the snapshot, in
 * an RCU read-side section (the hooks may run preemptible: ftrace
 * handlers on 5.11 to 5.15, tracepoint probes under SRCU on newer
 * kernels), as the parent, the creds, the css_set, its default-hierarchy
 * cgroup and that cgroup's kernfs node are all freed only after an RCU
 * grace period. comm is read without task_lock, as trace events read it:
 * a racing rename may give a mix of both names, never an unterminated
 * one. nslink_task_id_fill() takes the RCU read lock itself.
 */
static __always_inline void __nslink_task_id_fill(struct nslink_task_id *id,
						  struct task_struct *t)
{
	const struct cred *cred;

#if IS_ENABLED(CONFIG_CGROUPS)
	id->cgroup = cgroup_id(task_dfl_cgroup(t));
#else
	id->cgroup = 0;
#endif
	id->pid = task_pid_nr(t);
	id->tgid = task_tgid_nr(t);
	id->ppid = task_tgid_nr(rcu_dereference(t->real_parent));
	/*
	 * A kuid is the uid in the initial user namespace, which maps every
	 * id to itself: from_kuid_munged(&init_user_ns, ...) without the walk
	 * of its map.
	 */
	cred = rcu_dereference(t->real_cred);
	id->uid = __kuid_val(cred->uid);
	if (id->uid == (u32)-1)
		id->uid = overflowuid;
	memcpy(id->comm, t->comm, sizeof(id->comm));
	id->comm[sizeof(id->comm) - 1] = '\0';
}

static void nslink_task_id_fill(struct nslink_task_id *id,
				struct task_struct *t)
{
	rcu_read_lock();
	__nslink_task_id_fill(id, t);
	rcu_read_unlock();
}

static int nslink_put_task_id(struct sk_buff *msg,
			      const struct nslink_task_id *id)
{
	if (nla_put_u32(msg, NSLINK_A_EV_PID, id->pid) ||
	    nla_put_u32(msg, NSLINK_A_EV_TGID, id->tgid) ||
	    nla_put_u32(msg, NSLINK_A_EV_PPID, id->ppid) ||
	    nla_put_string(msg, NSLINK_A_EV_COMM, id->comm) ||
	    nla_put_u32(msg, NSLINK_A_EV_UID, id->uid) ||
	    (IS_ENABLED(CONFIG_CGROUPS) &&
	     nla_put_u64_64bit(msg, NSLINK_A_EV_CGROUP_ID, id->cgroup,
			       NSLINK_A_PAD)))
		return -EMSGSIZE;
	return 0;
}

/* The inode (and id) of one side of a transition; an inode of 0 is none. */
static int nslink_put_ns_side(struct sk_buff *msg,
			      const struct nslink_ns_state *s, u8 type,
			      int inum_attr, int id_attr)
{
	if (!s || !s->inum[type])
		return 0;
	if (nla_put_u32(msg, inum_attr, s->inum[type]))
		return -EMSGSIZE;
#if NSLINK_HAVE_NS_ID
	if (nla_put_u64_64bit(msg, id_attr, s->id[type], NSLINK_A_NS_PAD))
		return -EMSGSIZE;
#endif
	return 0;
}

/* One NSLINK_A_EV_NS nest of @type; @old may be NULL (the snapshot). */
static int nslink_fill_ns(struct sk_buff *msg, u8 type,
			  const struct nslink_ns_state *old,
			  const struct nslink_ns_state *new)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, NSLINK_A_EV_NS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, NSLINK_A_NS_TYPE, type) ||
	    nslink_put_ns_side(msg, old, type, NSLINK_A_NS_OLD,
			       NSLINK_A_NS_OLD_ID) ||
	    nslink_put_ns_side(msg, new, type, NSLINK_A_NS_NEW,
			       NSLINK_A_NS_NEW_ID) ||
	    nla_put_u64_64bit(msg, NSLINK_A_NS_DEV, nslink_nsfs_dev,
			      NSLINK_A_NS_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* Under nslink_seq_lock: the slot that counts @who's transitions. */
static struct nslink_owner *nslink_owner_slot(const struct nslink_owner_id *who,
					      u64 now)
{
	struct nslink_owner *o, *spare = NULL;
	unsigned int i, h;

	if (who->key == NSLINK_KEY_HOST_ROOT)
		return &nslink_owners[NSLINK_OWNER_HOST];
	h = hash_64(who->key, ilog2(NSLINK_OWNERS));
	for (i = 0; i < NSLINK_OWNER_PROBES; i++) {
		o = &nslink_owners[(h + i) & (NSLINK_OWNERS - 1)];
		if (o->who.key == who->key)
			return o;
		if (!spare && !o->sum.count && o->tat <= now)
			spare = o;
	}
	if (!spare)
		return &nslink_owners[NSLINK_OWNER_SLOT_OTHERS];
	spare->who = *who;
	spare->tat = 0;
	return spare;
}

/*
 * The same, for the hooks: @who by value, so that the hooks' frame holds
 * nothing whose address is taken, and needs no stack canary (five
 * instructions a transition).
 */
static noinline struct nslink_owner *
nslink_owner_slot_of(struct nslink_owner_id who, u64 now)
{
	return nslink_owner_slot(&who, now);
}

/*
 * Under nslink_seq_lock, with @used records in the ring: may @o's
 * transition go into the ring (0), or why not (enum nslink_sum_cause)?
 */
static u8 nslink_owner_admit(struct nslink_owner *o, u64 used, u64 now)
{
	u64 tat;

	if (o == &nslink_owners[NSLINK_OWNER_HOST])
		return used < NSLINK_RING_SIZE ? 0 : NSLINK_SUM_RING;
	if (used >= NSLINK_RING_SIZE / 4 * 3)
		return NSLINK_SUM_RING;
	tat = max(o->tat, now) + nslink_owner_period;
	if (tat - now > nslink_owner_tolerance)
		return NSLINK_SUM_RATE;
	o->tat = tat;
	return 0;
}

/* Under nslink_seq_lock: count a transition in @o's summary. */
static bool nslink_owner_count(struct nslink_owner *o, u8 reason, u64 now,
			       u8 cause)
{
	struct nslink_summary *sum = &o->sum;
	bool first = !sum->count;

	if (first) {
		sum->who = o->who;
		sum->after_seq = nslink_seq;
		sum->first_ts = now;
		WRITE_ONCE(nslink_summaries_waiting,
			   nslink_summaries_waiting + 1);
	}
	sum->count++;
	sum->by_reason[reason]++;
	sum->last_ts = now;
	sum->causes |= cause;
	nslink_summarized++;
	return first;
}

/* A summary began: the work item puts it in the ring when it is due. */
static void nslink_summary_due(void)
{
	if (!delayed_work_pending(&nslink_send_work))
		queue_delayed_work(nslink_wq, &nslink_send_work,
				   nsecs_to_jiffies(NSLINK_SUMMARY_DELAY_NS) + 1);
}

void nslink_events_owner_of_current(struct nslink_owner_id *who)
{
	rcu_read_lock();
	nslink_owner_of(current, current_real_cred(), who);
	rcu_read_unlock();
}

void nslink_events_unfollowed(u8 reason, const struct nslink_owner_id *who)
{
	struct nslink_owner *o;
	bool first;
	u64 now;

	raw_spin_lock(&nslink_seq_lock);
	now = ktime_get_ns();
	o = nslink_owner_slot(who, now);
	first = nslink_owner_count(o, reason, now, NSLINK_SUM_STASH);
	raw_spin_unlock(&nslink_seq_lock);
	if (first)
		nslink_summary_due();
}

/*
 * Does any type's inode differ between @old and @new? The hooks ask only
 * this; which types did is worked out when the record is sent
 * (nslink_put_transition()). One XOR per type and no branch, written out:
 * the compiler keeps a loop over the eight as a loop.
 */
static __always_inline bool nslink_differs(const struct nslink_ns_state *old,
					   const struct nslink_ns_state *new)
{
	const u32 *a = old->inum, *b = new->inum;

	BUILD_BUG_ON(NSLINK_NS_MAX != 8);
	return ((a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) |
		(a[4] ^ b[4]) | (a[5] ^ b[5]) | (a[6] ^ b[6]) |
		(a[7] ^ b[7]) | (a[8] ^ b[8])) != 0;
}

#ifdef NSLINK_BREAK_RACE
static unsigned long nslink_break_racy;
#endif

/*
 * What RCU protects (the task's creds, parent, pid namespace and css_set)
 * is read with preemption off (the owner's walk, before the ring's raw
 * spinlock, and the task's id, under it), and that is an RCU read-side
 * critical section (one for every RCU flavor since
 * 4.20: synchronize_rcu() and call_rcu() wait for it). Only lockdep wants
 * an rcu_read_lock() to see one; a kernel with CONFIG_PROVE_RCU gets it,
 * others are spared two calls a transition.
 */
#ifdef CONFIG_PROVE_RCU
#define nslink_rcu_read_lock_lockdep() rcu_read_lock()
#define nslink_rcu_read_unlock_lockdep() rcu_read_unlock()
#else
#define nslink_rcu_read_lock_lockdep() do { } while (0)
#define nslink_rcu_read_unlock_lockdep() do { } while (0)
#endif

/*
 * Record a transition of @task (@new NULL: its exit). Under the lock the
 * owner's slot is found and the record is written in place in
 * the ring (with INIT_STACK_ALL_ZERO, a record built on the stack is
 * zeroed first too, then copied): the work item reads the ring's head
 * under this lock, so it reads no record before it is whole.
 * @switched: @task is current at the end of its unshare or setns, @new
 * is not given, and nothing is recorded unless its namespaces now
 * differ from @old.
 */
static __always_inline void nslink_record(u8 reason, struct task_struct *task,
					  const struct nslink_ns_state *old,
					  const struct nslink_ns_state *new,
					  bool switched)
{
	struct nslink_ns_state cur nslink_no_init;	/* all of it filled */
	struct nslink_owner_id who nslink_no_init;	/* all of it written */
	struct nslink_event_rec *rec;
	struct nslink_owner *o;
	bool first = false;
	u64 used, now;
	u8 cause;

	/*
	 * The owner's walk up nested namespaces (up to 32 deep, of a user's
	 * choosing) comes before the lock, which is everyone's: only the
	 * slot's look-up is under it. Preemption off keeps what the walk
	 * read alive until the lock is dropped.
	 */
	preempt_disable();
	nslink_rcu_read_lock_lockdep();
	nslink_owner_of(task, rcu_dereference(task->real_cred), &who);
#ifdef NSLINK_BREAK_RACE
	/*
	 * Broken on purpose (KCSAN): a count of every CPU's, outside the lock.
	 * So many plain accesses a transition that two CPUs' transitions
	 * overlap here, and KCSAN's sampling watches one while they do.
	 */
	{
		int i;

		for (i = 0; i < 100000; i++) {
			nslink_break_racy++;
			barrier();
		}
	}
#endif
	raw_spin_lock(&nslink_seq_lock);
#ifdef NSLINK_BREAK_SLEEP
	/* Broken on purpose (DEBUG_ATOMIC_SLEEP): may sleep under the lock. */
	kfree(kmalloc(sizeof(*rec), GFP_KERNEL));
#endif
#ifdef NSLINK_BREAK_LOCK_ORDER
	/* Broken on purpose (lockdep): the subscriptions' lock inside the
	 * ring's, where nslink_exit_subscribe() nests them the other way. */
	spin_lock(&nslink_exit_subs_lock);
	spin_unlock(&nslink_exit_subs_lock);
#endif
	now = ktime_get_ns();
	if (switched) {
		/*
		 * current's namespaces now, read after the last call made
		 * here: none of it is then held across a call (kept on the
		 * stack and read back). A call that changed nothing (a setns
		 * into a namespace the task is in) pays the owner's walk, the
		 * lock and the clock for nothing: no more than a transition
		 * costs, so a flood of them is no worse for others than a
		 * flood of transitions, and neither is counted nor recorded.
		 */
		nslink_ns_state_fill(&cur, current->nsproxy,
				     current_real_cred(), false);
		if (!nslink_differs(old, &cur)) {
			raw_spin_unlock(&nslink_seq_lock);
			nslink_rcu_read_unlock_lockdep();
			preempt_enable();
			return;
		}
		new = &cur;
	}
	used = nslink_ring_head - nslink_ring_tail;
	o = likely(who.key == NSLINK_KEY_HOST_ROOT) ?
	    &nslink_owners[NSLINK_OWNER_HOST] : nslink_owner_slot_of(who, now);
	cause = nslink_owner_admit(o, used, now);
	if (!cause) {
		rec = &nslink_ring[nslink_ring_head++ & (NSLINK_RING_SIZE - 1)];
		rec->seq = ++nslink_seq;
		rec->ts = now;
		__nslink_task_id_fill(&rec->id, task);
		rec->old = *old;
		if (new)
			rec->new = *new;
		else
			memset(&rec->new, 0, sizeof(rec->new));
		rec->reason = reason;
	} else {
		first = nslink_owner_count(o, reason, now, cause);
	}
	raw_spin_unlock(&nslink_seq_lock);
	nslink_rcu_read_unlock_lockdep();
	preempt_enable();

	if (cause) {
		if (first)
			nslink_summary_due();
	} else if (used + 1 == NSLINK_RING_SIZE / 2)	/* send without delay */
		mod_delayed_work(nslink_wq, &nslink_send_work, 0);
	else if (!delayed_work_pending(&nslink_send_work))
		/*
		 * Pending means not started: the work will see this record.
		 * The test spares the locked operation of queueing.
		 */
		queue_delayed_work(nslink_wq, &nslink_send_work,
				   NSLINK_SEND_DELAY);
}

void nslink_events_transition(u8 reason, struct task_struct *task,
			      const struct nslink_ns_state *old,
			      const struct nslink_ns_state *new)
{
	if (!new || nslink_differs(old, new))
		nslink_record(reason, task, old, new, false);
}

void nslink_events_switched(u8 reason, const struct nslink_ns_state *old)
{
	nslink_record(reason, current, old, NULL, true);
}

/* The attributes of a SUMMARY (after seq and timestamp). */
static int nslink_put_summary(struct sk_buff *msg,
			      const struct nslink_summary *sum)
{
	const struct nslink_owner_id *who = &sum->who;
	struct nlattr *nest;
	int r;

	if (nla_put_u8(msg, NSLINK_A_SUM_OWNER_KIND, who->kind) ||
	    ((who->kind == NSLINK_OWNER_UID ||
	      who->kind == NSLINK_OWNER_USERNS) &&
	     nla_put_u32(msg, NSLINK_A_SUM_OWNER_UID, who->uid)) ||
	    ((who->kind == NSLINK_OWNER_USERNS ||
	      who->kind == NSLINK_OWNER_PIDNS) &&
	     nla_put_u32(msg, NSLINK_A_SUM_OWNER_NS, who->ns)) ||
	    nla_put_u64_64bit(msg, NSLINK_A_SUM_COUNT, sum->count,
			      NSLINK_A_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, NSLINK_A_SUM_REASONS);
	if (!nest)
		return -EMSGSIZE;
	for (r = 1; r <= NSLINK_REASON_MAX; r++)
		if (sum->by_reason[r] &&
		    nla_put_u64_64bit(msg, r, sum->by_reason[r],
				      NSLINK_REASON_UNSPEC))
			return -EMSGSIZE;	/* the caller cancels it all */
	nla_nest_end(msg, nest);
	if (nla_put_u64_64bit(msg, NSLINK_A_SUM_FIRST_TS, sum->first_ts,
			      NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_SUM_LAST_TS, sum->last_ts,
			      NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_SUM_AFTER_SEQ, sum->after_seq,
			      NSLINK_A_PAD) ||
	    nla_put_u32(msg, NSLINK_A_SUM_CAUSES, sum->causes))
		return -EMSGSIZE;
	return 0;
}

#ifdef NSLINK_BREAK_SHIFT
static u32 nslink_break_shifted;
#endif

/* The attributes of an EVENT (after seq and timestamp). */
static int nslink_put_transition(struct sk_buff *msg,
				 const struct nslink_event_rec *rec)
{
	int type;

	if (nla_put_u8(msg, NSLINK_A_EV_REASON, rec->reason) ||
	    nslink_put_task_id(msg, &rec->id))
		return -EMSGSIZE;
	/* The types that changed (on exit, new is all 0: every type). */
	for (type = 1; type <= NSLINK_NS_MAX; type++) {
		if (rec->old.inum[type] == rec->new.inum[type])
			continue;
#ifdef NSLINK_BREAK_SHIFT
		/* Broken on purpose (UBSAN): shifts by 32 for uts. */
		WRITE_ONCE(nslink_break_shifted, (1U << (type * 16)) >> 16);
#endif
		if (nslink_fill_ns(msg, type, &rec->old, &rec->new))
			return -EMSGSIZE;
	}
	return 0;
}

/*
 * One message for @rec, appended to @msg: an EVENT, or (reason
 * NSLINK_REASON_UNSPEC) a SUMMARY. All of it, or nothing.
 */
static int nslink_put_event(struct sk_buff *msg,
			    const struct nslink_event_rec *rec)
{
	bool sum = rec->reason == NSLINK_REASON_UNSPEC;
	void *hdr;

	hdr = genlmsg_put(msg, 0, 0, &nslink_genl_family, 0,
			  sum ? NSLINK_CMD_SUMMARY : NSLINK_CMD_EVENT);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, NSLINK_A_EV_SEQ, rec->seq, NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_EV_TIMESTAMP, rec->ts,
			      NSLINK_A_PAD) ||
	    (sum ? nslink_put_summary(msg, &rec->sum) :
		   nslink_put_transition(msg, rec))) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/* Woken each time the work item has sent a datagram (GET_STATS waits). */
static DECLARE_WAIT_QUEUE_HEAD(nslink_sent_wait);

static u64 nslink_ring_head_now(void)
{
	u64 head;

	raw_spin_lock(&nslink_seq_lock);
	head = nslink_ring_head;
	raw_spin_unlock(&nslink_seq_lock);
	return head;
}

/*
 * Put the owners' summaries that are due (every one with @all) into the
 * ring, each with the next sequence number, as far as the ring has room.
 * Returns how many jiffies until the next one waiting is due, 0 if none
 * waits.
 */
static unsigned long nslink_summaries_queue(bool all)
{
	struct nslink_event_rec *rec;
	struct nslink_summary *sum;
	unsigned long wait = 0;
	u64 now, age;
	unsigned int i;

	/* Each run of the work item asks: no lock while none waits. */
	if (!READ_ONCE(nslink_summaries_waiting))
		return 0;
	raw_spin_lock(&nslink_seq_lock);
	now = ktime_get_ns();
	for (i = 0; i < ARRAY_SIZE(nslink_owners); i++) {
		sum = &nslink_owners[i].sum;
		if (!sum->count)
			continue;
		age = now - sum->first_ts;
		if (!all && age < NSLINK_SUMMARY_DELAY_NS) {
			wait = min_not_zero(wait, nsecs_to_jiffies(NSLINK_SUMMARY_DELAY_NS - age) + 1);
			continue;
		}
		if (nslink_ring_head - nslink_ring_tail >= NSLINK_RING_SIZE) {
			wait = 1;	/* after this run has made room */
			break;
		}
		rec = &nslink_ring[nslink_ring_head++ & (NSLINK_RING_SIZE - 1)];
		rec->seq = ++nslink_seq;
		rec->ts = now;
		rec->reason = NSLINK_REASON_UNSPEC;
		rec->sum = *sum;
		memset(sum, 0, sizeof(*sum));
		WRITE_ONCE(nslink_summaries_waiting,
			   nslink_summaries_waiting - 1);
	}
	raw_spin_unlock(&nslink_seq_lock);
	return wait;
}

/*
 * The work item: queue the summaries that are due, then send the records
 * in the ring when it starts, as many messages to a datagram as fit, in
 * ring (seq) order; records that come meanwhile are left to the next run,
 * which they queue themselves, so that one run is bounded even while a
 * storm keeps the ring full. Only one instance runs at a time (an ordered
 * workqueue).
 */
static void nslink_events_send(struct work_struct *work)
{
	u64 by_reason[NSLINK_REASON_MAX + 1];
	const struct nslink_event_rec *rec;
	unsigned long wait = nslink_summaries_queue(false);
	struct sk_buff *msg;
	u64 head = nslink_ring_head_now(), tail = nslink_ring_tail;
	unsigned int n, r;
	int ret;

	while (tail != head) {

		memset(by_reason, 0, sizeof(by_reason));
		n = 0;
		msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
		for (; msg && tail != head; tail++, n++) {
			rec = &nslink_ring[tail & (NSLINK_RING_SIZE - 1)];
			if (nslink_put_event(msg, rec))
				break;	/* the datagram is full */
			by_reason[rec->reason]++;
		}
		if (n) {
			ret = genlmsg_multicast(&nslink_genl_family, msg, 0,
						NSLINK_MCGRP_EVENTS_ID,
						GFP_KERNEL);
			atomic64_add(n, &nslink_emitted);
			if (by_reason[NSLINK_REASON_UNSPEC])
				atomic64_add(by_reason[NSLINK_REASON_UNSPEC],
					     &nslink_summaries);
			for (r = 1; r <= NSLINK_REASON_MAX; r++)
				if (by_reason[r])
					atomic64_add(by_reason[r],
						     &nslink_by_reason[r]);
			if (ret == -ENOBUFS)
				atomic64_add(n, &nslink_dropped);
		} else {
			/* No memory for a message (or, impossibly, a record
			 * too big for one): this record is lost. */
			nlmsg_free(msg);
			tail++;
			atomic64_inc(&nslink_dropped);
		}

		raw_spin_lock(&nslink_seq_lock);
		WRITE_ONCE(nslink_ring_tail, tail);
		raw_spin_unlock(&nslink_seq_lock);
		/* GET_STATS waits here, rarely: mostly nobody to wake. */
		if (wq_has_sleeper(&nslink_sent_wait))
			wake_up(&nslink_sent_wait);
		cond_resched();
	}
	if (wait)
		queue_delayed_work(nslink_wq, &nslink_send_work, wait);
}

/*
 * GET_STATS: wait until every record taken before the request is sent or
 * dropped, not for what a storm records meanwhile. Killable.
 */
static int nslink_events_wait_sent(void)
{
	u64 target;

	/* Summaries too: every transition before is then sent or counted. */
	nslink_summaries_queue(true);
	target = nslink_ring_head_now();

	mod_delayed_work(nslink_wq, &nslink_send_work, 0);
	return wait_event_killable(nslink_sent_wait,
				   READ_ONCE(nslink_ring_tail) >= target);
}

/* Unload, once nothing records any more: send all that is left. */
static void nslink_events_flush(void)
{
	while (nslink_summaries_queue(true) ||
	       READ_ONCE(nslink_ring_tail) != nslink_ring_head_now()) {
		mod_delayed_work(nslink_wq, &nslink_send_work, 0);
		flush_delayed_work(&nslink_send_work);
	}
}

/* The subscribers: see NSLINK_A_STATS_SUBSCRIBER. */
#define NSLINK_STATS_SUBSCRIBERS 64

static int nslink_put_subscribers(struct sk_buff *msg)
{
	struct nslink_member *m;
	struct nlattr *nest;
	int i, n;

	m = kcalloc(NSLINK_STATS_SUBSCRIBERS, sizeof(*m), GFP_KERNEL);
	if (!m)
		return 0;	/* optional: left out */
	n = nslink_members_read(nslink_events_group(), m,
				NSLINK_STATS_SUBSCRIBERS);
	for (i = 0; i < min(n, NSLINK_STATS_SUBSCRIBERS); i++) {
		nest = nla_nest_start(msg, NSLINK_A_STATS_SUBSCRIBER);
		if (!nest ||
		    nla_put_u32(msg, NSLINK_A_SUBSCRIBER_PORTID, m[i].portid) ||
		    nla_put_u32(msg, NSLINK_A_SUBSCRIBER_QUEUED, m[i].rmem) ||
		    nla_put_u32(msg, NSLINK_A_SUBSCRIBER_RCVBUF, m[i].rcvbuf) ||
		    nla_put_u32(msg, NSLINK_A_SUBSCRIBER_DROPS, m[i].drops)) {
			kfree(m);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, nest);
	}
	kfree(m);
	return 0;
}

int nslink_events_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	u64 summarized;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int r;

	if (!netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "nslink: GET_STATS needs CAP_SYS_ADMIN in the initial user namespace");
		return -EPERM;
	}
	/* Count every transition recorded so far as sent or dropped. */
	if (nslink_events_wait_sent())
		return -EINTR;

	raw_spin_lock(&nslink_seq_lock);
	summarized = nslink_summarized;
	raw_spin_unlock(&nslink_seq_lock);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nslink_genl_family, 0,
				NSLINK_CMD_GET_STATS);
	if (!hdr)
		goto nla_put_failure;
	if (nla_put_u64_64bit(msg, NSLINK_A_STATS_EMITTED,
			      atomic64_read(&nslink_emitted), NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_STATS_DROPPED,
			      atomic64_read(&nslink_dropped), NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_STATS_SEQ, READ_ONCE(nslink_seq),
			      NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_STATS_SUMMARIZED, summarized,
			      NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_STATS_SUMMARIES,
			      atomic64_read(&nslink_summaries), NSLINK_A_PAD))
		goto nla_put_failure;
	nest = nla_nest_start(msg, NSLINK_A_STATS_REASONS);
	if (!nest)
		goto nla_put_failure;
	for (r = 1; r <= NSLINK_REASON_MAX; r++)
		if (nla_put_u64_64bit(msg, r, atomic64_read(&nslink_by_reason[r]),
				      NSLINK_REASON_UNSPEC))
			goto nla_put_failure;
	nla_nest_end(msg, nest);
	if (nslink_inject_fill_stats(msg) || nslink_put_subscribers(msg))
		goto nla_put_failure;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	NL_SET_ERR_MSG(info->extack, "nslink: reply does not fit");
	return -EMSGSIZE;
}

/* Exit subscriptions. */

#ifdef NSLINK_BREAK_KFENCE
/*
 * Broken on purpose (KFENCE): a read of a subscription after kfree(), in a
 * function KASAN does not instrument, so that only KFENCE can see it. KFENCE
 * backs one allocation in a sample interval; like the kernel's kfence_test,
 * the subscription is allocated again until KFENCE backs it (30 s at most).
 */
static __no_sanitize_address u32 nslink_break_read(const u32 *p)
{
	return *(const volatile u32 *)p;
}

static struct nslink_exit_sub *nslink_break_alloc(void)
{
	unsigned long end = jiffies + 30 * HZ;
	struct nslink_exit_sub *p;

	for (;;) {
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		if (!p || is_kfence_address(p) || time_after(jiffies, end))
			return p;
		kfree(p);
		cond_resched();
	}
}
#endif

static void nslink_exit_unsubscribe(u32 portid)
{
	struct nslink_exit_sub *sub, *found = NULL;

	spin_lock(&nslink_exit_subs_lock);
	list_for_each_entry(sub, &nslink_exit_subs, list) {
		if (sub->portid == portid) {
			found = sub;
			list_del(&sub->list);
			nslink_exit_subs_count--;
			atomic_set(&nslink_exit_wanted, nslink_exit_subs_count);
			break;
		}
	}
	spin_unlock(&nslink_exit_subs_lock);
	kfree(found);
#ifdef NSLINK_BREAK_KFENCE
	if (found)
		pr_info(NSLINK_PFX "unsubscribed port %u\n",
			nslink_break_read(&found->portid));
#endif
}

static int nslink_exit_subscribe(u32 portid, struct netlink_ext_ack *extack)
{
	struct nslink_exit_sub *sub, *new;
	int ret = 0;

#ifdef NSLINK_BREAK_KFENCE
	new = nslink_break_alloc();
#else
	new = kzalloc(sizeof(*new), GFP_KERNEL);
#endif
	if (!new)
		return -ENOMEM;
	new->portid = portid;

	spin_lock(&nslink_exit_subs_lock);
#ifdef NSLINK_BREAK_LOCK_ORDER
	/* Broken on purpose (lockdep): see nslink_events_transition(). */
	raw_spin_lock(&nslink_seq_lock);
	raw_spin_unlock(&nslink_seq_lock);
#endif
	list_for_each_entry(sub, &nslink_exit_subs, list)
		if (sub->portid == portid)
			goto out;	/* already subscribed */
	if (nslink_exit_subs_count >= NSLINK_MAX_EXIT_SUBSCRIBERS) {
		NL_SET_ERR_MSG(extack, "nslink: too many sockets subscribed to exit events");
		ret = -ENOSPC;
		goto out;
	}
	list_add(&new->list, &nslink_exit_subs);
	nslink_exit_subs_count++;
	atomic_set(&nslink_exit_wanted, nslink_exit_subs_count);
	new = NULL;
out:
	spin_unlock(&nslink_exit_subs_lock);
	kfree(new);
	return ret;
}

int nslink_events_subscribe(struct sk_buff *skb, struct genl_info *info)
{
	if (!netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "nslink: SUBSCRIBE needs CAP_SYS_ADMIN in the initial user namespace");
		return -EPERM;
	}
	if (!net_eq(genl_info_net(info), &init_net)) {
		NL_SET_ERR_MSG(info->extack,
			       "nslink: events are multicast in the initial network namespace only: listen from a socket there");
		return -EOPNOTSUPP;
	}
	if (GENL_REQ_ATTR_CHECK(info, NSLINK_A_SUB_EXIT))
		return -EINVAL;

	if (nla_get_u8(info->attrs[NSLINK_A_SUB_EXIT]))
		return nslink_exit_subscribe(info->snd_portid, info->extack);
	nslink_exit_unsubscribe(info->snd_portid);
	return 0;
}

/* A subscription lasts as long as its socket. */
static int nslink_netlink_event(struct notifier_block *nb, unsigned long state,
				void *ptr)
{
	struct netlink_notify *n = ptr;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	if (net_eq(n->net, &init_net))
		nslink_exit_unsubscribe(n->portid);
	/* Perhaps the last listener: look again (it has left already). */
	if (READ_ONCE(nslink_may_listen) && !READ_ONCE(nslink_stopping)) {
		long wait = (long)(READ_ONCE(nslink_check_next) - jiffies);

		mod_delayed_work(system_long_wq, &nslink_listen_work,
				 clamp_t(long, wait, 0, NSLINK_CHECK_SPACING));
	}
	return NOTIFY_DONE;
}

static struct notifier_block nslink_netlink_notifier = {
	.notifier_call = nslink_netlink_event,
};

/*
 * The snapshot. cb->args[0]: the sequence number when the dump began;
 * cb->args[1]: the next pid (init pid namespace) to visit.
 */
int nslink_events_tasks_start(struct netlink_callback *cb)
{
	if (!netlink_capable(cb->skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(cb->extack,
			       "nslink: GET_TASKS needs CAP_SYS_ADMIN in the initial user namespace");
		return -EPERM;
	}
	raw_spin_lock(&nslink_seq_lock);
	cb->args[0] = nslink_seq;
	raw_spin_unlock(&nslink_seq_lock);
	cb->args[1] = 1;
	return 0;
}

static int nslink_fill_snapshot(struct sk_buff *skb, struct netlink_callback *cb,
				struct task_struct *t)
{
	struct nslink_task_id id;
	struct nslink_ns_state s;
	void *hdr;
	int type;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &nslink_genl_family, NLM_F_MULTI,
			  NSLINK_CMD_GET_TASKS);
	if (!hdr)
		return -EMSGSIZE;

	task_lock(t);
	/*
	 * An exiting task is left out: its exit event (reported as its
	 * namespaces are dropped, after PF_EXITING is set) may already have a
	 * sequence number at or below the dump's.
	 */
	if (!t->nsproxy || (t->flags & PF_EXITING)) {
		task_unlock(t);
		genlmsg_cancel(skb, hdr);
		return 0;
	}
	/* nslink_events_tasks_dump() holds rcu_read_lock(). */
	nslink_ns_state_fill(&s, t->nsproxy, __task_cred(t), false);
	nslink_task_id_fill(&id, t);	/* comm under task_lock here */
	task_unlock(t);

	if (nla_put_u64_64bit(skb, NSLINK_A_EV_SEQ, cb->args[0], NSLINK_A_PAD) ||
	    nslink_put_task_id(skb, &id))
		goto cancel;
	for (type = 1; type <= NSLINK_NS_MAX; type++)
		if (nslink_fill_ns(skb, type, NULL, &s))
			goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int nslink_events_tasks_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	int nr = cb->args[1];
	struct task_struct *t;
	struct pid *pid;
	int ret = 0;

	rcu_read_lock();
	for (; (pid = find_ge_pid(nr, &init_pid_ns)); nr++) {
		nr = pid_nr(pid);
		t = pid_task(pid, PIDTYPE_PID);
		if (!t)
			continue;
		ret = nslink_fill_snapshot(skb, cb, t);
		if (ret)
			break;
	}
	rcu_read_unlock();
	cb->args[1] = nr;
	/* A task that does not fit an empty message would stall the dump. */
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/*
 * /proc/self/ns/mnt is an nsfs inode whose private data is the ns_common
 * inside current's struct mnt_namespace: its distance from the start of
 * that struct is what nslink_mnt_ns() needs. Its superblock is nsfs's,
 * whose device events carry. Nothing is called but the VFS's exported
 * functions, and nothing is taken on trust: the file must be on nsfs, and
 * the ns_common must be a mount namespace's, with the inode's number.
 */
static int __init nslink_mnt_ns_probe(void)
{
	const char *path = "/proc/self/ns/mnt";
	const struct ns_common *ns;
	struct inode *inode;
	struct file *f;
	ptrdiff_t off;
	int ret = 0;

	if (nslink_symbol_forced_missing("mnt_namespace")) {
		pr_err(NSLINK_PFX "cannot find struct mnt_namespace's ns_common (fail_symbol= module parameter)\n");
		return -ENOENT;
	}
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err(NSLINK_PFX "cannot find struct mnt_namespace's ns_common: open %s: %ld (is /proc mounted?)\n",
		       path, PTR_ERR(f));
		return PTR_ERR(f);
	}
	inode = file_inode(f);
	ns = inode->i_sb->s_magic == NSFS_MAGIC ? get_proc_ns(inode) : NULL;
	off = ns ? (const char *)ns - (const char *)current->nsproxy->mnt_ns : -1;
	if (!ns || off < 0 || off > 1024 || ns->inum != inode->i_ino ||
	    !ns->ops || strcmp(ns->ops->name, "mnt")) {
		pr_err(NSLINK_PFX "cannot find struct mnt_namespace's ns_common: %s is not what nsfs gives (offset %td)\n",
		       path, off);
		ret = -EINVAL;
	} else {
		nslink_mnt_ns_off = off;
		nslink_nsfs_dev = new_encode_dev(inode->i_sb->s_dev);
	}
	filp_close(f, NULL);
	return ret;
}

int __init nslink_events_init(void)
{
	int ret, r;

	for (r = 0; r <= NSLINK_REASON_MAX; r++)
		atomic64_set(&nslink_by_reason[r], 0);
	if (!owner_rate || owner_rate > 1000000 || !owner_burst ||
	    owner_burst > NSLINK_RING_SIZE) {
		pr_err(NSLINK_PFX "owner_rate=%u owner_burst=%u: owner_rate must be 1 to 1000000 and owner_burst 1 to %u\n",
		       owner_rate, owner_burst, NSLINK_RING_SIZE);
		return -EINVAL;
	}
	nslink_owner_period = div_u64(NSEC_PER_SEC, owner_rate);
	nslink_owner_tolerance = nslink_owner_period * owner_burst;
	memset(nslink_owners, 0, sizeof(nslink_owners));
	nslink_owners[NSLINK_OWNER_HOST].who = (struct nslink_owner_id) {
		.key = NSLINK_KEY_HOST_ROOT, .kind = NSLINK_OWNER_UID,
	};
	nslink_owners[NSLINK_OWNER_SLOT_OTHERS].who.kind = NSLINK_OWNER_OTHERS;
	nslink_summaries_waiting = 0;
	nslink_summarized = 0;
	nslink_heard_at = jiffies - 1;	/* never heard */

	ret = nslink_mnt_ns_probe();
	if (ret)
		return ret;

	nslink_ring = vmalloc(array_size(NSLINK_RING_SIZE, sizeof(*nslink_ring)));
	if (!nslink_ring)
		return -ENOMEM;
	nslink_ring_head = nslink_ring_tail = 0;
	/*
	 * Unbound, so that sending need not wait for the CPU of the task that
	 * made the transition; high priority, so that a storm of transitions
	 * does not starve it and fill the ring.
	 */
	nslink_wq = alloc_workqueue("nslink_events", WQ_UNBOUND | WQ_HIGHPRI, 1);
	if (!nslink_wq) {
		ret = -ENOMEM;
		goto err_ring;
	}

	/*
	 * Nobody listens yet: the family is registered after the hooks
	 * (main.c), so that the join hook sees every join.
	 */
	WRITE_ONCE(nslink_may_listen, false);
	nslink_stopping = false;

	ret = netlink_register_notifier(&nslink_netlink_notifier);
	if (ret) {
		pr_err(NSLINK_PFX "cannot register a netlink notifier: %d\n", ret);
		goto err_wq;
	}
	return 0;

err_wq:
	WRITE_ONCE(nslink_stopping, true);
	cancel_delayed_work_sync(&nslink_listen_work);
	destroy_workqueue(nslink_wq);
err_ring:
	vfree(nslink_ring);
	return ret;
}

void nslink_events_drain(void)
{
	WRITE_ONCE(nslink_stopping, true);
	cancel_delayed_work_sync(&nslink_listen_work);
	/* Nothing records any more: send what is left, then stop. */
	nslink_events_flush();
	cancel_delayed_work_sync(&nslink_send_work);
}

void nslink_events_uninit(void)
{
	struct nslink_exit_sub *sub, *tmp;

	netlink_unregister_notifier(&nslink_netlink_notifier);
	list_for_each_entry_safe(sub, tmp, &nslink_exit_subs, list) {
		list_del(&sub->list);
		kfree(sub);
	}
	nslink_exit_subs_count = 0;
	atomic_set(&nslink_exit_wanted, 0);
	/* Stop the listener check (the notifier may have queued it again). */
	WRITE_ONCE(nslink_stopping, true);
	cancel_delayed_work_sync(&nslink_listen_work);
	destroy_workqueue(nslink_wq);
	vfree(nslink_ring);
#ifdef NSLINK_BREAK_UAF
	/* Broken on purpose (KASAN): reads a slot of the freed ring. */
	pr_info(NSLINK_PFX "last event %llu\n",
		READ_ONCE(nslink_ring[(nslink_ring_head - 1) &
				      (NSLINK_RING_SIZE - 1)].seq));
#endif
}
