/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_SYMBOLS_H
#define _NSLINK_SYMBOLS_H

#include <linux/types.h>

/*
 * The verified address of a kernel symbol that is not exported, or 0 with
 * a pr_err naming it (symbols.c says how it is found without calling
 * anything private). A datum must be named at offset 0; a function must
 * also start with an ftrace call site. The _quiet form says nothing when
 * the symbol does not exist, for functions only some kernels have.
 * Nothing here gives an address to call.
 */
unsigned long nslink_symbol_data(const char *name);
unsigned long nslink_symbol_func(const char *name);
unsigned long nslink_symbol_func_quiet(const char *name);

/*
 * Is @name a function of this kernel that was built without an ftrace call
 * site (5.10 builds kernel/events/ so)? False when it is hookable, or
 * missing, or made to fail by a module parameter: then hooking it fails
 * with the pr_err that says why.
 */
bool nslink_symbol_untraceable(const char *name);

/* Is name the symbol the fail_symbol= module parameter names? Hooks on
 * functions and tracepoints check it too, so every load failure path can
 * be tested. */
bool nslink_symbol_forced_missing(const char *name);

#endif /* _NSLINK_SYMBOLS_H */
