/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_HOOKS_H
#define _NSLINK_HOOKS_H

#include <linux/types.h>

int nslink_hooks_init(void);
void nslink_hooks_uninit(void);
/*
 * Take the hooks out, unless a join came in meanwhile (events.c calls it
 * once nobody listens). Sleeps.
 */
void nslink_hooks_disarm(void);
/* Are exec-time namespace switches hooked (NSLINK_F_EXEC_EVENTS)? */
bool nslink_hooks_exec_events(void);

#endif /* _NSLINK_HOOKS_H */
