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

#ifdef NSLINK_BREAK_LEAK_LOAD
#include <linux/slab.h>
#include <linux/sizes.h>
#endif

#ifdef NSLINK_BREAK_BTI
#ifndef CONFIG_ARM64
#error "NSLINK_BREAK=bti is for arm64's branch target identification"
#endif
#include <linux/timekeeping.h>
/*
 * Broken on purpose (tests/check, arm64): one indirect call into a kernel
 * function past its landing pad, the BTI C or PACIASP at its start, to show
 * that the VM enforces branch target identification on the kernel's text.
 * The CPU must refuse the branch (the kernel's "Oops - BTI"), with this
 * function as the caller.
 */
static noinline u64 nslink_break_bti(void)
{
	u64 (*past_pad)(void);
	unsigned long addr = (unsigned long)&ktime_get_mono_fast_ns;
	u32 insn = le32_to_cpu(*(const __le32 *)addr);

	if (insn != 0xd503245f && insn != 0xd503233f && insn != 0xd503237f) {
		pr_err(NSLINK_PFX "NSLINK_BREAK=bti: ktime_get_mono_fast_ns starts with %08x, not a landing pad\n",
		       insn);
		return 0;
	}
	past_pad = (u64 (*)(void))(addr + 4);
	return past_pad();
}
#endif

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

#ifdef NSLINK_BREAK_LEAK_LOAD
	/*
	 * Broken on purpose (00-foundation's leak check, run by hand:
	 * tests/README.md): 16 KiB allocated on every successful load and
	 * never freed, 800 KiB over
	 * 00's 50 cycles, past its limit of 256 kB. Past SLUB's largest
	 * kmalloc cache (8 KiB), the pages come from the page allocator: the
	 * kernel counts them in SUnreclaim, outside every slab cache.
	 */
	if (!kmalloc(SZ_16K, GFP_KERNEL))
		pr_notice(NSLINK_PFX "NSLINK_BREAK=leak-load: no 16 KiB to keep\n");
#endif
#ifdef NSLINK_BREAK_BTI
	pr_notice(NSLINK_PFX "NSLINK_BREAK=bti: calling ktime_get_mono_fast_ns+4 indirectly: %llu\n",
		  nslink_break_bti());
#endif
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
