/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_MEMBERS_H
#define _NSLINK_MEMBERS_H

#include <linux/types.h>

/* A socket of the initial network namespace that is a member of a group. */
struct nslink_member {
	u32 portid;
	u32 rmem;	/* bytes queued to it now */
	u32 rcvbuf;	/* its receive buffer */
	u32 drops;	/* messages it lost to a full buffer, ever */
};

/*
 * The generic netlink sockets of the initial network namespace that are
 * members of netlink group @group (the family's mcgrp_offset + id): how
 * many, with the first @max of them in @m (@m may be NULL). -errno when
 * the kernel's socket diagnostics cannot say (no netlink_diag). Sleeps.
 */
int nslink_members_read(unsigned int group, struct nslink_member *m,
			unsigned int max);

#endif /* _NSLINK_MEMBERS_H */
