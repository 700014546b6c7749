/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_EVENTS_H
#define _NSLINK_EVENTS_H

#include <linux/compiler.h>
#include <linux/ns_common.h>
#include <linux/types.h>
#include <net/genetlink.h>

#include "nslink.h"

/* NSLINK_A_INFO_FEATURES bits this subsystem provides. */
#define NSLINK_EVENTS_FEATURES (NSLINK_F_EVENTS | NSLINK_F_STATS | \
				NSLINK_F_SNAPSHOT | NSLINK_F_EXIT_EVENTS | \
				(NSLINK_HAVE_NS_ID ? NSLINK_F_NS_ID : 0) | \
				(IS_ENABLED(CONFIG_CGROUPS) ? \
				 NSLINK_F_CGROUP_ID : 0))

/* NSLINK_A_INFO_HOOK: how transitions are observed. */
#define NSLINK_EVENTS_HOOK "ftrace+tracepoint"

struct task_struct;
struct nsproxy;
struct cred;

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

/*
 * Fill @s from an nsproxy and a cred. PID and TIME are the namespaces for
 * children, unless @active_time: then TIME is the task's own time
 * namespace (the one an exec-time switch changes). @nsp may be NULL (a
 * task past exit_task_namespaces): then only USER is filled.
 */
void nslink_ns_state_fill(struct nslink_ns_state *s, const struct nsproxy *nsp,
			  const struct cred *cred, bool active_time);

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

bool nslink_events_has_listeners(void);

static inline bool nslink_events_listening(void)
{
	return nslink_events_may_listen() && nslink_events_has_listeners();
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
 * type of @old is reported with its old inode only. Called with
 * preemption disabled (ftrace handlers, tracepoint probes); allocates
 * nothing.
 */
void nslink_events_transition(u8 reason, struct task_struct *task,
			      const struct nslink_ns_state *old,
			      const struct nslink_ns_state *new);

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
