// SPDX-License-Identifier: GPL-2.0
#define UNIT_NAME "json"
#include <stdlib.h>
#include "unit.h"
#include "../../userspace/nl.h"

static char buf[1024];
static bool valid;

static char *json_of(const char *s)
{
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	valid = json_string(f, s);
	fclose(f);
	return buf;
}

static char *field_of(const char *key, const char *s)
{
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	json_field(f, key, s);
	fclose(f);
	return buf;
}

/* s is not valid UTF-8: want is its JSON string, each maximal ill-formed
 * subsequence one U+FFFD (as the Unicode Standard recommends). */
static void invalid(const char *s, const char *want, const char *what)
{
	CHECK_STR(json_of(s), want, "%s: replaced by U+FFFD", what);
	CHECK(!valid, "%s: reported as not valid UTF-8", what);
}

int main(void)
{
	CHECK_STR(json_of("plain"), "\"plain\"", "plain string");
	CHECK(valid, "plain string is valid UTF-8");
	CHECK_STR(json_of("a\"b\\c"), "\"a\\\"b\\\\c\"", "quote and backslash escaped");
	CHECK_STR(json_of("x\ny\t"), "\"x\\ny\\t\"", "newline and tab escaped");
	CHECK_STR(json_of("\x01\x1b\x7f"), "\"\\u0001\\u001b\\u007f\"",
		  "control bytes and DEL as \\u");
	CHECK(valid, "control bytes are valid UTF-8 (escaped, not replaced)");
	CHECK_STR(json_of(""), "\"\"", "empty string");

	/* Valid UTF-8 passes through: the decoded string is the original. */
	CHECK_STR(json_of("caf\xc3\xa9"), "\"caf\xc3\xa9\"", "2-byte sequence (café) kept");
	CHECK(valid, "café is valid UTF-8");
	CHECK_STR(json_of("\xe2\x82\xac 1"), "\"\xe2\x82\xac 1\"", "3-byte sequence (€) kept");
	CHECK_STR(json_of("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"", "4-byte sequence (U+1F600) kept");
	CHECK_STR(json_of("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"", "U+10FFFF, the last code point, kept");
	CHECK_STR(json_of("\xed\x9f\xbf\xee\x80\x80"), "\"\xed\x9f\xbf\xee\x80\x80\"",
		  "U+D7FF and U+E000, either side of the surrogates, kept");
	CHECK(valid, "the code points around the surrogates are valid");
	CHECK_STR(json_of("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"", "a real U+FFFD is kept (and valid)");
	CHECK(valid, "a real U+FFFD in the input is valid UTF-8");
	/* Valid, but controls or line breaks to some readers: escaped. */
	CHECK_STR(json_of("\xc2\x85\xc2\x9b"), "\"\\u0085\\u009b\"", "C1 controls (NEL, CSI) escaped");
	CHECK_STR(json_of("\xe2\x80\xa8\xe2\x80\xa9"), "\"\\u2028\\u2029\"",
		  "U+2028 and U+2029 escaped");
	CHECK(valid, "escaped code points are still valid input");

	/* Invalid UTF-8, each class. */
	invalid("\xff", "\"\\ufffd\"", "0xff, never in UTF-8");
	invalid("a\x80z", "\"a\\ufffdz\"", "a lone continuation byte");
	invalid("\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong 2-byte '/' (C0 AF)");
	invalid("\xc1\xbf", "\"\\ufffd\\ufffd\"", "overlong 2-byte (C1 BF)");
	invalid("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"", "overlong 3-byte (E0 80 AF)");
	invalid("\xf0\x80\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "overlong 4-byte (F0 80 80 AF)");
	invalid("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "a surrogate (U+D800)");
	invalid("\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"", "a surrogate (U+DFFF)");
	invalid("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "above U+10FFFF (F4 90 80 80)");
	invalid("\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "lead byte F5");
	invalid("\xe2\x82", "\"\\ufffd\"", "truncated at the end (E2 82): one U+FFFD");
	invalid("\xe2\x82z", "\"\\ufffdz\"", "truncated before ASCII: the ASCII kept");
	invalid("\xf0\x9f\x98", "\"\\ufffd\"", "truncated 4-byte sequence");
	invalid("caf\xe9", "\"caf\\ufffd\"", "Latin-1 café");

	/* A field: the raw bytes beside it when (and only when) replaced. */
	CHECK_STR(field_of("comm", "caf\xc3\xa9"), "\"comm\":\"caf\xc3\xa9\"",
		  "field: valid UTF-8, no _raw");
	CHECK_STR(field_of("comm", "a\nb"), "\"comm\":\"a\\nb\"",
		  "field: control bytes escaped, no _raw");
	CHECK_STR(field_of("path", "/caf\xe9"),
		  "\"path\":\"/caf\\ufffd\",\"path_raw\":\"2f636166e9\"",
		  "field: invalid UTF-8 gets key_raw, the exact bytes in hex");
	UNIT_EXIT();
}
