// SPDX-License-Identifier: GPL-2.0
/*
 * Uevent injection into a chosen network namespace (NSLINK_CMD_INJECT).
 */
#include <linux/atomic.h>
#include <net/genetlink.h>

#include "nslink.h"
#include "inject.h"

static atomic64_t nslink_injected = ATOMIC64_INIT(0);
static atomic64_t nslink_inject_refused = ATOMIC64_INIT(0);

int nslink_inject_fill_stats(struct sk_buff *msg)
{
	if (nla_put_u64_64bit(msg, NSLINK_A_STATS_INJECTED,
			      atomic64_read(&nslink_injected), NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_STATS_INJECT_REFUSED,
			      atomic64_read(&nslink_inject_refused), NSLINK_A_PAD))
		return -EMSGSIZE;
	return 0;
}
