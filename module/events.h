/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_EVENTS_H
#define _NSLINK_EVENTS_H

#include <linux/cgroup.h>
#include <linux/compiler.h>
#include <linux/cred.h>
#include <linux/ipc_namespace.h>
#include <linux/ns_common.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/string.h>
#include <linux/time_namespace.h>
#include <linux/types.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "nslink.h"
#include "genl.h"

/* NSLINK_A_INFO_FEATURES bits this subsystem provides. */
#define NSLINK_EVENTS_FEATURES (NSLINK_F_EVENTS | NSLINK_F_STATS | \
				NSLINK_F_SNAPSHOT | NSLINK_F_EXIT_EVENTS | \
				(NSLINK_HAVE_NS_ID ? NSLINK_F_NS_ID : 0) | \
				(IS_ENABLED(CONFIG_CGROUPS) ? \
				 NSLINK_F_CGROUP_ID : 0))

/* NSLINK_A_INFO_HOOK: how transitions are observed. */
#define NSLINK_EVENTS_HOOK "ftrace+tracepoint"

struct task_struct;
struct mnt_namespace;

/*
 * The namespaces of one task at one moment, as nsfs inode numbers indexed
 * by enum nslink_ns_type (index 0 unused; 0 means "none"), and, where the
 * kernel has them, their 64-bit ids.
 */
struct nslink_ns_state {
	u32 inum[NSLINK_NS_MAX + 1];
#if NSLINK_HAVE_NS_ID
	u64 id[NSLINK_NS_MAX + 1];
#endif
};

static inline void nslink_ns_state_set(struct nslink_ns_state *s, int type,
				       const struct ns_common *ns)
{
	s->inum[type] = ns->inum;
#if NSLINK_HAVE_NS_ID
	s->id[type] = ns->ns_id;
#endif
}

static inline void nslink_ns_state_none(struct nslink_ns_state *s, int type)
{
	s->inum[type] = 0;
#if NSLINK_HAVE_NS_ID
	s->id[type] = 0;
#endif
}

/*
 * struct mnt_namespace is private (and __randomize_layout): where its
 * ns_common lies is measured at load time from the kernel's own objects,
 * the nsfs file of the loading task's mount namespace (see
 * nslink_mnt_ns_probe() in events.c).
 */
extern size_t nslink_mnt_ns_off;

static inline const struct ns_common *
nslink_mnt_ns(const struct mnt_namespace *mnt_ns)
{
	return (const struct ns_common *)((const char *)mnt_ns +
					  nslink_mnt_ns_off);
}

/*
 * Fill @s from an nsproxy and a cred. PID and TIME are the namespaces for
 * children, unless @active_time: then TIME is the task's own time
 * namespace (the one an exec-time switch changes). @nsp may be NULL (a
 * task past exit_task_namespaces): then only USER is filled. Inline: the
 * hooks fill one at every call they follow.
 */
static __always_inline void
nslink_ns_state_fill(struct nslink_ns_state *s, const struct nsproxy *nsp,
		     const struct cred *cred, bool active_time)
{
	int type;

	/* Each field written once, no memset first: the hooks fill two a call. */
	nslink_ns_state_none(s, NSLINK_NS_UNSPEC);
	if (cred)
		nslink_ns_state_set(s, NSLINK_NS_USER, &cred->user_ns->ns);
	else
		nslink_ns_state_none(s, NSLINK_NS_USER);
	if (!nsp) {
		for (type = 1; type < NSLINK_NS_USER; type++)
			nslink_ns_state_none(s, type);
		return;
	}
	if (nsp->mnt_ns)
		nslink_ns_state_set(s, NSLINK_NS_MNT, nslink_mnt_ns(nsp->mnt_ns));
	else
		nslink_ns_state_none(s, NSLINK_NS_MNT);
	nslink_ns_state_set(s, NSLINK_NS_UTS, &nsp->uts_ns->ns);
	nslink_ns_state_set(s, NSLINK_NS_IPC, &nsp->ipc_ns->ns);
	nslink_ns_state_set(s, NSLINK_NS_NET, &nsp->net_ns->ns);
	if (nsp->pid_ns_for_children)
		nslink_ns_state_set(s, NSLINK_NS_PID,
				    &nsp->pid_ns_for_children->ns);
	else
		nslink_ns_state_none(s, NSLINK_NS_PID);
#if IS_ENABLED(CONFIG_CGROUPS)
	nslink_ns_state_set(s, NSLINK_NS_CGROUP, &nsp->cgroup_ns->ns);
#else
	nslink_ns_state_none(s, NSLINK_NS_CGROUP);
#endif
#if IS_ENABLED(CONFIG_TIME_NS)
	nslink_ns_state_set(s, NSLINK_NS_TIME, active_time ?
			    &nsp->time_ns->ns : &nsp->time_ns_for_children->ns);
#else
	nslink_ns_state_none(s, NSLINK_NS_TIME);
#endif
	BUILD_BUG_ON(NSLINK_NS_MAX != NSLINK_NS_USER);
}

/*
 * The one branch every hook takes first: may anyone listen on "events"?
 * (One load; see events.c.) Only when it says yes, does anyone really?
 * And has any of them asked for exit events?
 */
extern bool nslink_may_listen;

static inline bool nslink_events_may_listen(void)
{
	return READ_ONCE(nslink_may_listen);
}

static inline bool nslink_events_has_listeners(void)
{
	return genl_has_listeners(&nslink_genl_family, &init_net,
				  NSLINK_MCGRP_EVENTS_ID) > 0;
}

/*
 * The jiffy in which netlink last said that someone listens. A yes holds
 * for the rest of that jiffy: asking netlink costs about 30 instructions
 * (two RCU calls and the group's bit), a hook follows thousands of calls a
 * jiffy in a storm, and a listener that left in the meantime costs at most
 * the events of that jiffy, recorded and sent to nobody. A no is never
 * kept: a join must see the very next transition.
 */
extern unsigned long nslink_heard_at;

static inline bool nslink_events_listening(void)
{
	unsigned long now;

	if (!nslink_events_may_listen())
		return false;
	now = jiffies;
	if (READ_ONCE(nslink_heard_at) == now)
		return true;
	if (!nslink_events_has_listeners())
		return false;
	WRITE_ONCE(nslink_heard_at, now);
	return true;
}

/*
 * genl_bind(net, group) was called: a socket of @net is about to join
 * @group. True if @group is "events" and the join counts: it is made in
 * the initial network namespace by a task with CAP_SYS_ADMIN there
 * (nslink_may_listen is then set).
 */
struct net;
bool nslink_events_join(const struct net *net, unsigned int group);
bool nslink_events_want_exit(void);

/*
 * Record one transition of @task, to be sent shortly by a work item: every
 * type whose inode differs between @old and @new becomes one NSLINK_A_EV_NS
 * nest; nothing is recorded when none does. With @new NULL (exit), every
 * type of @old is reported with its old inode only. Called from the hooks,
 * with preemption off or not; neither sleeps nor allocates.
 */
void nslink_events_transition(u8 reason, struct task_struct *task,
			      const struct nslink_ns_state *old,
			      const struct nslink_ns_state *new);

/*
 * The same for current, whose namespaces were @old and are now its own
 * (the end of an unshare or a setns): what the hooks call at every call
 * they follow, so the new state is read in place, not filled by the
 * caller and passed.
 */
void nslink_events_switched(u8 reason, const struct nslink_ns_state *old);

/*
 * Fair sharing (nslink.h, "NSLINK_CMD_SUMMARY"): whose a transition is.
 * key: a uid as (uid << 2 | 1), or the address of the owning namespace
 * (aligned: its low two bits clear) | 2; 0 is no owner.
 */
struct nslink_owner_id {
	u64 key;
	u32 uid;			/* NSLINK_OWNER_UID, _USERNS */
	u32 ns;				/* NSLINK_OWNER_USERNS, _PIDNS: inode */
	u8 kind;			/* enum nslink_owner_kind */
};

#define NSLINK_KEY_HOST_ROOT ((u64)0 << 2 | 1)

/* current's owner (callable in atomic context). */
void nslink_events_owner_of_current(struct nslink_owner_id *who);

/*
 * A call of unshare or setns (@reason) by current, whose owner is @who,
 * that the hooks cannot follow (no room to keep its state): counted in
 * the summary of its owner (NSLINK_SUM_STASH), whether or not it then
 * changes anything, so that it is neither silent nor anyone else's loss.
 * Callable in atomic context.
 */
void nslink_events_unfollowed(u8 reason, const struct nslink_owner_id *who);

/* Generic netlink handlers, wired up in genl.c. */
int nslink_events_get_stats(struct sk_buff *skb, struct genl_info *info);
int nslink_events_subscribe(struct sk_buff *skb, struct genl_info *info);
int nslink_events_tasks_start(struct netlink_callback *cb);
int nslink_events_tasks_dump(struct sk_buff *skb, struct netlink_callback *cb);

int nslink_events_init(void);
/* Once the hooks are gone: send what was recorded, and stop sending. */
void nslink_events_drain(void);
void nslink_events_uninit(void);

#endif /* _NSLINK_EVENTS_H */
