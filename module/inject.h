/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_INJECT_H
#define _NSLINK_INJECT_H

#include <linux/skbuff.h>

/* NSLINK_A_INFO_FEATURES bits this subsystem provides. */
#define NSLINK_INJECT_FEATURES 0ULL

/* Put NSLINK_A_STATS_INJECTED and _INJECT_REFUSED into a GET_STATS reply. */
int nslink_inject_fill_stats(struct sk_buff *msg);

#endif /* _NSLINK_INJECT_H */
