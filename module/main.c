// SPDX-License-Identifier: GPL-2.0
/*
 * nslink: namespace-change events and uevent injection into a chosen
 * network namespace, over the "nslink" generic netlink family.
 */
#include <linux/module.h>
#include <linux/init.h>

#include "nslink.h"
#include "genl.h"
#include "events.h"
#include "hooks.h"
#include "inject.h"

static int __init nslink_mod_init(void)
{
	int ret;

	ret = nslink_events_init();
	if (ret)
		goto err_events;
	ret = nslink_inject_init();
	if (ret)
		goto err_inject;
	/* Hooks first: the join hook must be there before anyone can join. */
	ret = nslink_hooks_init();
	if (ret)
		goto err_hooks;
	ret = nslink_genl_init();
	if (ret)
		goto err_genl;

#ifdef NSLINK_BROKEN
	pr_notice("nslink " NSLINK_VERSION " loaded, broken on purpose: " NSLINK_BROKEN "\n");
#else
	pr_info("nslink " NSLINK_VERSION " loaded\n");
#endif
	return 0;

err_genl:
	nslink_hooks_uninit();
	nslink_events_drain();
err_hooks:
	nslink_inject_uninit();
err_inject:
	nslink_events_uninit();
err_events:
	return ret;
}

static void __exit nslink_mod_exit(void)
{
	nslink_hooks_uninit();
	nslink_events_drain();
	nslink_genl_uninit();
	nslink_inject_uninit();
	nslink_events_uninit();
}

module_init(nslink_mod_init);
module_exit(nslink_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Namespace-change events and uevent injection over generic netlink");
MODULE_AUTHOR("The nslink developers");
MODULE_VERSION(NSLINK_VERSION);
MODULE_ALIAS_GENL_FAMILY(NSLINK_GENL_NAME);
