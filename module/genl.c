// SPDX-License-Identifier: GPL-2.0
/*
 * The "nslink" generic netlink family: policies, operations and the
 * "events" multicast group. Handlers live with the subsystem they serve.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "nslink.h"
#include "genl.h"
#include "events.h"
#include "hooks.h"
#include "inject.h"

static const struct nla_policy nslink_policy[NSLINK_A_MAX + 1] = {
	[NSLINK_A_SUB_EXIT]	= NLA_POLICY_MAX(NLA_U8, 1),
	/* NSLINK_CMD_INJECT; the uevents are checked by inject.c, each with
	 * its own extack message. */
	[NSLINK_A_INJ_NETNS_FD]		= { .type = NLA_U32 },
	[NSLINK_A_INJ_NETNS_PID]	= { .type = NLA_U32 },
	[NSLINK_A_INJ_UEVENT]		= { .type = NLA_BINARY },
	[NSLINK_A_INJ_GROUP]		= NLA_POLICY_RANGE(NLA_U8,
							   NSLINK_INJECT_GROUP_KERNEL,
							   NSLINK_INJECT_GROUP_UDEV),
};

static int nslink_get_info(struct sk_buff *skb, struct genl_info *info)
{
	u64 features = NSLINK_EVENTS_FEATURES | nslink_inject_features();
	struct sk_buff *msg;
	void *hdr;

	if (nslink_hooks_exec_events())
		features |= NSLINK_F_EXEC_EVENTS;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &nslink_genl_family, 0,
				NSLINK_CMD_GET_INFO);
	if (!hdr)
		goto nla_put_failure;

	if (nla_put_string(msg, NSLINK_A_INFO_VERSION, NSLINK_VERSION) ||
	    nla_put_u64_64bit(msg, NSLINK_A_INFO_FEATURES, features,
			      NSLINK_A_PAD) ||
	    nla_put_string(msg, NSLINK_A_INFO_HOOK, NSLINK_EVENTS_HOOK))
		goto nla_put_failure;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	NL_SET_ERR_MSG(info->extack, "nslink: reply does not fit");
	return -EMSGSIZE;
}

static const struct genl_ops nslink_ops[] = {
	{
		.cmd	= NSLINK_CMD_GET_INFO,
		.doit	= nslink_get_info,
	},
	{
		.cmd	= NSLINK_CMD_GET_STATS,
		.doit	= nslink_events_get_stats,
	},
	{
		.cmd	= NSLINK_CMD_GET_TASKS,
		.start	= nslink_events_tasks_start,
		.dumpit	= nslink_events_tasks_dump,
	},
	{
		.cmd	= NSLINK_CMD_SUBSCRIBE,
		.doit	= nslink_events_subscribe,
	},
	{
		.cmd	= NSLINK_CMD_INJECT,
		.doit	= nslink_inject_doit,
	},
};

static const struct genl_multicast_group nslink_mcgrps[] = {
	[NSLINK_MCGRP_EVENTS_ID] = {
		.name	= NSLINK_MCGRP_EVENTS,
		NSLINK_MCGRP_ADMIN_ONLY,	/* compat.h */
	},
};

struct genl_family nslink_genl_family __ro_after_init = {
	.name		= NSLINK_GENL_NAME,
	.version	= NSLINK_GENL_VERSION,
	.maxattr	= NSLINK_A_MAX,
	.policy		= nslink_policy,
	.netnsok	= true,
	/*
	 * No handler takes genl_mutex, which every family's non-parallel
	 * operations share: an INJECT (up to 256 broadcasts, open to the root
	 * of any container) or a GET_STATS waiting for a busy ring must not
	 * hold up nl80211, WireGuard or nlctrl. Each piece of state has its
	 * own lock: GET_INFO reads constants; GET_STATS atomic64 counters and
	 * the ring's head and tail (nslink_seq_lock); GET_TASKS the task list
	 * under rcu_read_lock() and each task under task_lock(); SUBSCRIBE the
	 * list under nslink_exit_subs_lock; INJECT the kernel's
	 * uevent_sock_mutex (or an atomic64 reservation) and a socket of its
	 * own per request.
	 */
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= nslink_ops,
	.n_ops		= ARRAY_SIZE(nslink_ops),
	.mcgrps		= nslink_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(nslink_mcgrps),
};

int __init nslink_genl_init(void)
{
	int ret;

	ret = genl_register_family(&nslink_genl_family);
	if (ret)
		pr_err(NSLINK_PFX "cannot register generic netlink family %s: %d\n",
		       NSLINK_GENL_NAME, ret);
	return ret;
}

void nslink_genl_uninit(void)
{
	genl_unregister_family(&nslink_genl_family);
}
