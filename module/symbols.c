// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols nslink reads or probes but the kernel does not export,
 * resolved once, at load. kallsyms_lookup_name() itself has not been
 * exported since 5.7; a kprobe on it tells its address. The kprobe is
 * registered disabled, so it is never armed: no kernel text is patched.
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "nslink.h"
#include "symbols.h"

static char *fail_symbol;
module_param(fail_symbol, charp, 0444);
MODULE_PARM_DESC(fail_symbol,
		 "for testing: act as if this kernel symbol, probe target or tracepoint could not be found, so that loading fails");

typedef unsigned long (*nslink_kallsyms_fn)(const char *name);
static nslink_kallsyms_fn nslink_kallsyms;

bool nslink_symbol_forced_missing(const char *name)
{
	return fail_symbol && !strcmp(fail_symbol, name);
}

unsigned long nslink_symbol_quiet(const char *name)
{
	struct kprobe kp = {
		.symbol_name	= "kallsyms_lookup_name",
		.flags		= KPROBE_FLAG_DISABLED,
	};
	int ret;

	if (nslink_symbol_forced_missing(name))
		return 0;
	if (!nslink_kallsyms) {
		ret = nslink_symbol_forced_missing(kp.symbol_name) ? -ENOENT :
		      register_kprobe(&kp);
		if (ret) {
			pr_err(NSLINK_PFX "cannot find kallsyms_lookup_name (to look up %s): register_kprobe: %d\n",
			       name, ret);
			return 0;
		}
		nslink_kallsyms = (nslink_kallsyms_fn)kp.addr;
		unregister_kprobe(&kp);
	}
	return nslink_kallsyms(name);
}

unsigned long nslink_symbol(const char *name)
{
	unsigned long addr = nslink_symbol_quiet(name);

	if (!addr)
		pr_err(NSLINK_PFX "cannot resolve kernel symbol %s%s; not loading\n",
		       name, nslink_symbol_forced_missing(name) ?
		       " (fail_symbol= module parameter)" : " (needs CONFIG_KALLSYMS_ALL)");
	return addr;
}
