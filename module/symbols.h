/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSLINK_SYMBOLS_H
#define _NSLINK_SYMBOLS_H

#include <linux/types.h>

/*
 * Address of a kernel symbol that is not exported, or 0. nslink_symbol()
 * prints a pr_err naming the symbol when it cannot be resolved;
 * nslink_symbol_quiet() says nothing, for symbols that may be absent.
 */
unsigned long nslink_symbol(const char *name);
unsigned long nslink_symbol_quiet(const char *name);

/* Is name the symbol the fail_symbol= module parameter names? Hooks on
 * functions and tracepoints check it too, so every load failure path can
 * be tested. */
bool nslink_symbol_forced_missing(const char *name);

#endif /* _NSLINK_SYMBOLS_H */
