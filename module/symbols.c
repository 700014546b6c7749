// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel addresses nslink needs but the kernel does not export, found once,
 * at load, without calling anything the kernel keeps private.
 *
 * kallsyms_lookup_name() has not been exported since 5.7, and calling it
 * through an address is not safe either: on kernels built with
 * CONFIG_X86_KERNEL_IBT, boot "seals" every function whose address the
 * kernel never takes (its endbr64 becomes a nop), and on a CPU that
 * enforces IBT an indirect call to such a function is a #CP fault. So
 * nslink never calls a private function. It asks register_kprobe(), which
 * is exported, for a kprobe registered disabled at the symbol: the kprobe
 * core writes the symbol's address into kp.addr before it validates the
 * probe (for a datum it then refuses with -EINVAL; for a function the
 * disabled probe is registered, patches nothing, and is unregistered at
 * once). An unknown name gives -ENOENT and no address. That is a detail
 * of the kprobe core, so every address is verified with sprint_symbol(),
 * also exported, which must name the symbol itself at offset 0 (or 4, past
 * a function's endbr64). The address is then only data: the filter and the
 * dispatch of the ftrace hooks, or the datum read and written.
 *
 * A hook target is also checked by its first bytes. x86-64: an optional
 * endbr64 (or the nop that seals it) and then the 5-byte ftrace call site,
 * as a nop or a call. arm64: an optional landing pad (BTI C, or PACIASP,
 * which is one too) and then ftrace's two-instruction patch site, the
 * "mov x9, x30" ftrace writes at boot followed by a nop (not traced) or a
 * bl (traced). Anything else, a function already redirected by someone
 * else's jump, or a kprobe's int3 or brk, is refused.
 *
 * Two module parameters make every failure path testable:
 * fail_symbol=NAME acts as if NAME could not be found, unsafe_symbol=NAME
 * as if NAME failed its verification.
 */
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "nslink.h"
#include "symbols.h"

static char *fail_symbol;
module_param(fail_symbol, charp, 0444);
MODULE_PARM_DESC(fail_symbol,
		 "for testing: act as if this kernel symbol, hook target or tracepoint could not be found");
static char *unsafe_symbol;
module_param(unsafe_symbol, charp, 0444);
MODULE_PARM_DESC(unsafe_symbol,
		 "for testing: act as if this kernel symbol or hook target failed its verification");

bool nslink_symbol_forced_missing(const char *name)
{
	return fail_symbol && !strcmp(fail_symbol, name);
}

static bool nslink_symbol_forced_unsafe(const char *name)
{
	return unsafe_symbol && !strcmp(unsafe_symbol, name);
}

/* Where the kprobe core puts a probe on @name, or 0. */
static unsigned long nslink_kprobe_addr(const char *name)
{
	struct kprobe kp = {
		.symbol_name	= name,
		.flags		= KPROBE_FLAG_DISABLED,
	};
	int ret;

	ret = register_kprobe(&kp);
	if (!ret)
		unregister_kprobe(&kp);
	else if (ret == -ENOENT)
		return 0;
	return (unsigned long)kp.addr;
}

/*
 * Does sprint_symbol() name @addr "@name+0x<off>/..." with an allowed
 * offset? Returns the offset, or -1.
 */
static long nslink_symbol_offset(unsigned long addr, const char *name,
				 bool func)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t n = strlen(name);
	const char *p;

	sprint_symbol(buf, addr);
	if (strncmp(buf, name, n) || buf[n] != '+')
		return -1;
	p = buf + n + 1;
	if (!strncmp(p, "0x0/", 4))
		return 0;
	/* A function's probe point is past its endbr64 (or its seal). */
	if (func && IS_ENABLED(CONFIG_X86_KERNEL_IBT) && !strncmp(p, "0x4/", 4))
		return 4;
	return -1;
}

#ifdef CONFIG_X86_64
/*
 * x86-64: do the first bytes at @addr (read into @b) make a function that
 * ftrace can hook? An optional endbr64, or the nop that seals it, then the
 * 5-byte call site: a nop (the one ftrace wrote at boot: P6's, or the
 * K8's of older kernels) or a call (someone traces it now).
 */
#define NSLINK_ENTRY_BYTES 9
static bool nslink_entry_bytes_ok(const u8 *b)
{
	static const u8 endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const u8 seal_6[4] = { 0x66, 0x0f, 0x1f, 0x00 };	/* nopl (%rax) */
	static const u8 seal_7[4] = { 0x0f, 0x1f, 0x40, 0xd6 };	/* nopl -42(%rax) */
	static const u8 nop5_p6[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static const u8 nop5_k8[5] = { 0x66, 0x66, 0x66, 0x66, 0x90 };
	const u8 *site = b;

	if (!memcmp(b, endbr64, 4) || !memcmp(b, seal_6, 4) ||
	    !memcmp(b, seal_7, 4))
		site = b + 4;
	return !memcmp(site, nop5_p6, 5) || !memcmp(site, nop5_k8, 5) ||
	       site[0] == 0xe8;	/* call rel32 */
}
#elif defined(CONFIG_ARM64)
/*
 * arm64: the instructions at @b (little-endian words, as the kernel's text
 * is). ftrace's call site is the patchable entry the compiler leaves
 * (-fpatchable-function-entry=2), past a landing pad where the function
 * can be called indirectly; its ops pointer, with CALL_OPS, sits before
 * the symbol and is not looked at.
 */
#define NSLINK_ENTRY_BYTES 12
static bool nslink_entry_bytes_ok(const u8 *b)
{
	const __le32 *w = (const __le32 *)b;
	u32 insn = le32_to_cpu(w[0]);

	if (insn == 0xd503245f ||	/* bti c */
	    insn == 0xd50324df ||	/* bti jc */
	    insn == 0xd503233f ||	/* paciasp */
	    insn == 0xd503237f)		/* pacibsp */
		w++;
	if (le32_to_cpu(w[0]) != 0xaa1e03e9)	/* mov x9, x30 */
		return false;
	insn = le32_to_cpu(w[1]);
	return insn == 0xd503201f ||		/* nop */
	       (insn & 0xfc000000) == 0x94000000;	/* bl */
}
#endif

#ifdef NSLINK_ENTRY_BYTES
/* The same, with a pr_err showing the bytes when they are not. */
static int nslink_check_entry(const char *name, unsigned long addr)
{
	u8 b[NSLINK_ENTRY_BYTES];

	if (copy_from_kernel_nofault(b, (void *)addr, sizeof(b)))
		return -EFAULT;
	if (nslink_symbol_forced_unsafe(name))
		memset(b, 0xcc, 4);	/* an int3, or an undefined instruction */
	if (nslink_entry_bytes_ok(b))
		return 0;
	pr_err(NSLINK_PFX "%s does not start with an ftrace call site (%*ph); not hooking it\n",
	       name, (int)sizeof(b), b);
	return -EINVAL;
}

static bool nslink_has_entry(unsigned long addr)
{
	u8 b[NSLINK_ENTRY_BYTES];

	return !copy_from_kernel_nofault(b, (void *)addr, sizeof(b)) &&
	       nslink_entry_bytes_ok(b);
}
#else
static int nslink_check_entry(const char *name, unsigned long addr)
{
	return nslink_symbol_forced_unsafe(name) ? -EINVAL : 0;
}

static bool nslink_has_entry(unsigned long addr)
{
	return true;
}
#endif

/* The verified start of @name, or 0 with a pr_err naming it. */
static unsigned long nslink_symbol(const char *name, bool func, bool quiet)
{
	unsigned long addr;
	long off;

	addr = nslink_symbol_forced_missing(name) ? 0 : nslink_kprobe_addr(name);
	if (!addr) {
		if (!quiet)
			pr_err(NSLINK_PFX "cannot find kernel symbol %s%s\n", name,
			       nslink_symbol_forced_missing(name) ?
			       " (fail_symbol= module parameter)" :
			       " (needs CONFIG_KALLSYMS_ALL and CONFIG_KPROBES)");
		return 0;
	}
	off = nslink_symbol_forced_unsafe(name) && !func ? -1 :
	      nslink_symbol_offset(addr, name, func);
	if (off < 0) {
		pr_err(NSLINK_PFX "cannot verify kernel symbol %s: the kprobe core's address %pS is not its start%s\n",
		       name, (void *)addr,
		       nslink_symbol_forced_unsafe(name) ?
		       " (unsafe_symbol= module parameter)" : "");
		return 0;
	}
	addr -= off;
	if (func && nslink_check_entry(name, addr)) {
		pr_err(NSLINK_PFX "cannot verify kernel function %s%s\n", name,
		       nslink_symbol_forced_unsafe(name) ?
		       " (unsafe_symbol= module parameter)" : "");
		return 0;
	}
	return addr;
}

bool nslink_symbol_untraceable(const char *name)
{
	unsigned long addr;
	long off;

	if (nslink_symbol_forced_missing(name) || nslink_symbol_forced_unsafe(name))
		return false;	/* let the load fail on it, loudly */
	addr = nslink_kprobe_addr(name);
	if (!addr)
		return false;
	off = nslink_symbol_offset(addr, name, true);
	return off >= 0 && !nslink_has_entry(addr - off);
}

unsigned long nslink_symbol_data(const char *name)
{
	return nslink_symbol(name, false, false);
}

unsigned long nslink_symbol_func(const char *name)
{
	return nslink_symbol(name, true, false);
}

unsigned long nslink_symbol_func_quiet(const char *name)
{
	return nslink_symbol(name, true, true);
}
