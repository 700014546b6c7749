/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny harness: each CHECK prints "PASS: unit: <file>: <what>" or FAIL. */
#ifndef NSLINK_UNIT_H
#define NSLINK_UNIT_H
#include <stdio.h>
#include <string.h>

static int unit_failed;

/* The condition is evaluated once. */
#define CHECK(cond, ...) do {						\
	int c_ = !!(cond);						\
	printf("%s: unit: %s: ", c_ ? "PASS" : "FAIL", UNIT_NAME);	\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!c_)							\
		unit_failed++;						\
} while (0)

#define CHECK_STR(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int ok_ = g_ && w_ && !strcmp(g_, w_);				\
	CHECK(ok_, __VA_ARGS__);					\
	if (!ok_)							\
		printf("    got '%s', want '%s'\n", g_ ? g_ : "(null)",	\
		       w_ ? w_ : "(null)");				\
} while (0)

#define UNIT_EXIT() return unit_failed ? 1 : 0

#endif
