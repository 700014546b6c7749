/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_HOOKS_H
#define _NSLINK_HOOKS_H

#include <linux/types.h>

/* Entries the return probes could not take (their pool was empty). */
u64 nslink_hooks_missed(void);

int nslink_hooks_init(void);
void nslink_hooks_uninit(void);

#endif /* _NSLINK_HOOKS_H */
