/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel compatibility for nslink. Force-included into every object by
 * Kbuild. Everything here tests for a *feature* of the kernel being built
 * against, never for a version number. Source files test the COMPAT_*
 * names defined here.
 */
#ifndef _NSLINK_COMPAT_H
#define _NSLINK_COMPAT_H

#include <linux/kconfig.h>
#include <linux/types.h>
#include <net/genetlink.h>

/*
 * Joining "events" must be refused to unprivileged callers. Kernels without
 * a family mcast_bind hook need the per-group capability flags added to
 * genetlink in 6.6 (and backported to stable kernels, Debian 12's 6.1
 * among them). Without either there is no way to refuse a join.
 */
#ifndef GENL_MCAST_CAP_SYS_ADMIN
#error "nslink needs genetlink multicast group capability flags (GENL_MCAST_CAP_SYS_ADMIN: Linux 6.6, or a stable kernel with the backport, such as Debian 12's 6.1)"
#endif

#if !IS_ENABLED(CONFIG_NET_NS)
#error "nslink needs CONFIG_NET_NS"
#endif

#endif /* _NSLINK_COMPAT_H */
