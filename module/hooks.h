/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_HOOKS_H
#define _NSLINK_HOOKS_H

#include <linux/types.h>

/*
 * Address of a kernel symbol, exported or not, through kallsyms_lookup_name
 * (itself found with a kprobe, since it is not exported). 0, after a
 * pr_err naming @name, when it cannot be resolved. For module init only.
 */
unsigned long nslink_hooks_lookup(const char *name);

/* Entries the return probes could not take (their pool was empty). */
u64 nslink_hooks_missed(void);

int nslink_hooks_init(void);
void nslink_hooks_uninit(void);

#endif /* _NSLINK_HOOKS_H */
