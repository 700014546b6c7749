/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_GENL_H
#define _NSLINK_GENL_H

#include <net/genetlink.h>

extern struct genl_family nslink_genl_family;

enum nslink_mcgrp {
	NSLINK_MCGRP_EVENTS_ID,
};

int nslink_genl_init(void);
void nslink_genl_uninit(void);

#endif /* _NSLINK_GENL_H */
