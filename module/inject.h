/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_INJECT_H
#define _NSLINK_INJECT_H

#include <linux/skbuff.h>
#include <net/genetlink.h>

#include "nslink.h"

/*
 * NSLINK_A_INFO_FEATURES bits this subsystem provides: NSLINK_F_INJECT,
 * unless the kernel's uevent sequence number could not be had safely.
 */
u64 nslink_inject_features(void);

/* Put NSLINK_A_STATS_INJECTED and _INJECT_REFUSED into a GET_STATS reply. */
int nslink_inject_fill_stats(struct sk_buff *msg);

/* NSLINK_CMD_INJECT. */
int nslink_inject_doit(struct sk_buff *skb, struct genl_info *info);

/*
 * Find the kernel's uevent sequence number (and lock); when they cannot be
 * had safely, injection is off (a pr_err says why) and the load goes on.
 */
int nslink_inject_init(void);
void nslink_inject_uninit(void);

#endif /* _NSLINK_INJECT_H */
