// SPDX-License-Identifier: GPL-2.0
#define UNIT_NAME "json"
#include <stdlib.h>
#include "unit.h"
#include "../../userspace/nl.h"

static char *json_of(const char *s)
{
	static char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	json_string(f, s);
	fclose(f);
	return buf;
}

int main(void)
{
	CHECK_STR(json_of("plain"), "\"plain\"", "plain string");
	CHECK_STR(json_of("a\"b\\c"), "\"a\\\"b\\\\c\"", "quote and backslash escaped");
	CHECK_STR(json_of("x\ny\t"), "\"x\\ny\\t\"", "newline and tab escaped");
	CHECK_STR(json_of("\x01"), "\"\\u0001\"", "control byte as \\u");
	CHECK_STR(json_of("\xff"), "\"\\u00ff\"", "non-ASCII byte as \\u00XX (valid JSON)");
	CHECK_STR(json_of(""), "\"\"", "empty string");
	UNIT_EXIT();
}
