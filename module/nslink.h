/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_NSLINK_H
#define _NSLINK_NSLINK_H

#include <uapi/linux/nslink.h>

#define NSLINK_PFX KBUILD_MODNAME ": "

#endif /* _NSLINK_NSLINK_H */
