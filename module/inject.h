/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_INJECT_H
#define _NSLINK_INJECT_H

#include <linux/skbuff.h>
#include <net/genetlink.h>

#include "nslink.h"

/* NSLINK_A_INFO_FEATURES bits this subsystem provides. */
#define NSLINK_INJECT_FEATURES ((u64)NSLINK_F_INJECT)

/* Put NSLINK_A_STATS_INJECTED and _INJECT_REFUSED into a GET_STATS reply. */
int nslink_inject_fill_stats(struct sk_buff *msg);

/* NSLINK_CMD_INJECT. */
int nslink_inject_doit(struct sk_buff *skb, struct genl_info *info);

/* Resolve the kernel's uevent sequence and lock; fails the load if absent. */
int nslink_inject_init(void);
void nslink_inject_uninit(void);

#endif /* _NSLINK_INJECT_H */
