/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_EVENTS_H
#define _NSLINK_EVENTS_H

/* NSLINK_A_INFO_FEATURES bits this subsystem provides. */
#define NSLINK_EVENTS_FEATURES 0ULL

#endif /* _NSLINK_EVENTS_H */
