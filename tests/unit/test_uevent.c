// SPDX-License-Identifier: GPL-2.0
#define UNIT_NAME "uevent"
#include <errno.h>
#include <stdlib.h>
#include "unit.h"
#include "../../userspace/uevent.h"

/* The kernel format with each '\0' shown as '|', for comparisons. */
static const char *show(const struct uevent *ev)
{
	static char buf[16384];
	size_t i;

	for (i = 0; i < ev->len && i < sizeof(buf) - 1; i++)
		buf[i] = ev->buf[i] ? ev->buf[i] : '|';
	buf[i] = '\0';
	return buf;
}

/*
 * Feed text line by line; return the events as show() strings joined by
 * "\n", and the errors ("line N: " p.err) joined by "\n" in errs, and in
 * lines (when not NULL) the line each event began at, joined by ",".
 */
static char lines[1024];
static bool parse_udev;		/* the parser's udev mode */

static const char *parse(const char *text, char *errs, size_t errsize)
{
	static char out[16384];
	struct uevent_parser p;
	struct uevent ev;
	const char *s = text, *nl;
	int r;

	out[0] = errs[0] = lines[0] = '\0';
	uevent_parser_init(&p);
	p.udev = parse_udev;
	uevent_init(&ev);
	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		r = uevent_parser_feed(&p, s, nl - s, &ev);
		if (p.err[0])
			snprintf(errs + strlen(errs), errsize - strlen(errs), "%sline %u: %s",
				 errs[0] ? "\n" : "", p.err_line, p.err);
		if (r == 1) {
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
				 out[0] ? "\n" : "", show(&ev));
			snprintf(lines + strlen(lines), sizeof(lines) - strlen(lines), "%s%u",
				 lines[0] ? "," : "", p.ev_line);
		}
		if (!*nl)
			break;
	}
	r = uevent_parser_end(&p, &ev);
	if (r < 0)
		snprintf(errs + strlen(errs), errsize - strlen(errs), "%sline %u: %s",
			 errs[0] ? "\n" : "", p.err_line, p.err);
	if (r == 1) {
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
			 out[0] ? "\n" : "", show(&ev));
		snprintf(lines + strlen(lines), sizeof(lines) - strlen(lines), "%s%u",
			 lines[0] ? "," : "", p.ev_line);
	}
	uevent_free(&ev);
	uevent_parser_free(&p);
	return out;
}

/* What systemd 252's udevadm printed in the VM around
 * 'ip link add dummy0 type dummy'. */
static const char capture[] =
	"monitor will print the received events for:\n"
	"KERNEL - the kernel uevent\n"
	"\n"
	"KERNEL[40.264321] add      /module/dummy (module)\n"
	"ACTION=add\n"
	"DEVPATH=/module/dummy\n"
	"SUBSYSTEM=module\n"
	"SEQNUM=1372\n"
	"\n"
	"KERNEL[40.281010] add      /devices/virtual/net/dummy0 (net)\n"
	"ACTION=add\n"
	"DEVPATH=/devices/virtual/net/dummy0\n"
	"SUBSYSTEM=net\n"
	"INTERFACE=dummy0\n"
	"IFINDEX=2\n"
	"SEQNUM=1373\n"
	"\n";

int main(void)
{
	struct uevent ev;
	char errs[1024];
	const char *out;
	int r;

	uevent_init(&ev);
	/* CHECK evaluates its condition twice: no side effects inside. */
	r = uevent_begin(&ev, "add", "/devices/x");
	CHECK(r == 0, "begin");
	r = uevent_add(&ev, "SUBSYSTEM=misc", 14);
	CHECK(r == 0, "add");
	CHECK_STR(show(&ev), "add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=misc|",
		  "kernel format: header, ACTION, DEVPATH, variables, each ending in \\0");
	CHECK(ev.len == strlen("add@/devices/x") + 1 + strlen("ACTION=add") + 1 +
		  strlen("DEVPATH=/devices/x") + 1 + strlen("SUBSYSTEM=misc") + 1,
	      "length counts every \\0");
	CHECK_STR(uevent_get(&ev, "SUBSYSTEM"), "misc", "get SUBSYSTEM");
	CHECK_STR(uevent_get(&ev, "ACTION"), "add", "get ACTION");
	CHECK(!uevent_get(&ev, "SUBSYS"), "get: a prefix of a key is not the key");
	CHECK(!uevent_get(&ev, "add@/devices/x"), "get: the header is not a variable");
	r = uevent_begin(&ev, "remove", "/y");
	CHECK(r == 0, "begin again starts over");
	CHECK_STR(show(&ev), "remove@/y|ACTION=remove|DEVPATH=/y|", "begin again: nothing left over");

	/* From the kernel: SEQNUM stripped, wherever it is. */
	{
		static const char msg[] = "add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0"
					  "SEQNUM=77\0SUBSYSTEM=misc\0";
		r = uevent_from_kernel(&ev, msg, sizeof(msg) - 1);
		CHECK(r == 0, "from kernel");
		CHECK_STR(show(&ev), "add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=misc|",
			  "from kernel: SEQNUM dropped, order kept");
	}
	{
		static const char msg[] = "add@/x\0ACTION=add\0SEQNUMBER=1\0SEQNUM=2";
		r = uevent_from_kernel(&ev, msg, sizeof(msg) - 1);
		CHECK(r == 0, "from kernel: last variable without \\0");
		CHECK_STR(show(&ev), "add@/x|ACTION=add|SEQNUMBER=1|",
			  "from kernel: only SEQNUM= itself dropped");
	}
	{
		static const char msg[] = "libudev\0\xfe\xed\xca\xfe";
		r = uevent_from_kernel(&ev, msg, sizeof(msg) - 1);
		CHECK(r == -EINVAL, "from kernel: libudev's format refused");
		r = uevent_from_kernel(&ev, "@/x\0A=b", 7);
		CHECK(r == -EINVAL, "from kernel: empty action refused");
		r = uevent_from_kernel(&ev, "add@/x", 6);
		CHECK(r == -EINVAL, "from kernel: header without \\0 refused");
		r = uevent_from_kernel(&ev, "", 0);
		CHECK(r == -EINVAL, "from kernel: empty message refused");
	}

	/* Matching. */
	{
		static const char msg[] = "add@/d/net/dummy0\0ACTION=add\0DEVPATH=/d/net/dummy0\0"
					  "SUBSYSTEM=net\0INTERFACE=dummy0\0";
		char *m1[] = { "SUBSYSTEM=net", "INTERFACE=dummy*" };
		char *m2[] = { "SUBSYSTEM=net", "INTERFACE=eth*" };
		char *m3[] = { "DEVTYPE=*" };
		char *m4[] = { "SUBSYSTEM=n?t" };
		char *m5[] = { "=x" };

		uevent_from_kernel(&ev, msg, sizeof(msg) - 1);
		CHECK(uevent_match(&ev, m1, 0), "match: no pattern matches all");
		CHECK(uevent_match(&ev, m1, 2), "match: all patterns match");
		CHECK(!uevent_match(&ev, m2, 2), "match: one pattern fails, no match");
		CHECK(!uevent_match(&ev, m3, 1), "match: missing variable, even for '*'");
		CHECK(uevent_match(&ev, m4, 1), "match: fnmatch '?'");
		CHECK(!uevent_match(&ev, m5, 1), "match: empty key never matches");
	}

	/* Printing as a plain block. */
	{
		char buf[256];
		FILE *f = fmemopen(buf, sizeof(buf), "w");

		uevent_begin(&ev, "add", "/x");
		uevent_add(&ev, "SUBSYSTEM=s", 11);
		uevent_print(f, &ev);
		fclose(f);
		CHECK_STR(buf, "ACTION=add\nDEVPATH=/x\nSUBSYSTEM=s\n\n", "print as a plain block");
		out = parse(buf, errs, sizeof(errs));
		CHECK_STR(out, "add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|", "a printed block parses back");
	}
	uevent_free(&ev);

	/* The capture format. */
	out = parse(capture, errs, sizeof(errs));
	CHECK_STR(out,
		  "add@/module/dummy|ACTION=add|DEVPATH=/module/dummy|SUBSYSTEM=module|\n"
		  "add@/devices/virtual/net/dummy0|ACTION=add|DEVPATH=/devices/virtual/net/dummy0|"
		  "SUBSYSTEM=net|INTERFACE=dummy0|IFINDEX=2|",
		  "udevadm capture: banner skipped, two events, SEQNUM dropped");
	CHECK_STR(errs, "", "udevadm capture: no error");

	out = parse("KERNEL[1.5] change   /devices/a b/c (block)\nSUBSYSTEM=block\n", errs, sizeof(errs));
	CHECK_STR(out, "change@/devices/a b/c|ACTION=change|DEVPATH=/devices/a b/c|SUBSYSTEM=block|",
		  "capture header alone gives ACTION and DEVPATH; a devpath may hold a space; no final blank line");

	out = parse("KERNEL[1.5] add /x\nSUBSYSTEM=s\n", errs, sizeof(errs));
	CHECK_STR(out, "add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|", "capture header without (subsystem)");

	out = parse("KERNEL[1.5] add /x (s)\nACTION=remove\nSUBSYSTEM=s\n\n"
		    "KERNEL[1.6] add /y (s)\nSUBSYSTEM=s\n", errs, sizeof(errs));
	CHECK_STR(out, "add@/y|ACTION=add|DEVPATH=/y|SUBSYSTEM=s|",
		  "header and ACTION= that differ: that block dropped, the next one kept");
	CHECK_STR(errs, "line 2: ACTION=remove differs from the ACTION 'add' given before",
		  "header and ACTION= that differ: error names the line");

	out = parse("UDEV  [2.0] add /x (s)\nACTION=add\nDEVPATH=/x\nSUBSYSTEM=s\nUSEC_INITIALIZED=1\n\n"
		    "KERNEL[2.0] add /x (s)\nACTION=add\nDEVPATH=/x\nSUBSYSTEM=s\n\n", errs, sizeof(errs));
	CHECK_STR(out, "add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|", "UDEV blocks skipped, KERNEL kept");
	CHECK_STR(errs, "", "UDEV blocks: no error");

	out = parse("KERNEL[1] add /a (s)\nSUBSYSTEM=s\nKERNEL[2] remove /a (s)\nSUBSYSTEM=s\n",
		    errs, sizeof(errs));
	CHECK_STR(out, "add@/a|ACTION=add|DEVPATH=/a|SUBSYSTEM=s|\n"
		       "remove@/a|ACTION=remove|DEVPATH=/a|SUBSYSTEM=s|",
		  "a header without a blank line before it ends the block");

	out = parse("KERNEL[1] add /a (s)\nSUBSYSTEM=s\nKERNEL[2]\nSUBSYSTEM=s\n\nACTION=add\nDEVPATH=/b\nSUBSYSTEM=t\n",
		    errs, sizeof(errs));
	CHECK_STR(out, "add@/a|ACTION=add|DEVPATH=/a|SUBSYSTEM=s|\nadd@/b|ACTION=add|DEVPATH=/b|SUBSYSTEM=t|",
		  "a bad header right after a block: the block still comes out");
	CHECK_STR(errs, "line 3: capture header without an action", "... and the bad header is reported");

	/* Plain blocks. */
	out = parse("# a comment\n\n\nSUBSYSTEM=misc\nDEVPATH=/devices/virtual/misc/foo\nACTION=add\nDEVNAME=foo\n"
		    "\r\n \t\nACTION=remove\r\nDEVPATH=/b\r\nSUBSYSTEM=x\r\nEMPTY=\r\n",
		    errs, sizeof(errs));
	CHECK_STR(out,
		  "add@/devices/virtual/misc/foo|ACTION=add|DEVPATH=/devices/virtual/misc/foo|SUBSYSTEM=misc|DEVNAME=foo|\n"
		  "remove@/b|ACTION=remove|DEVPATH=/b|SUBSYSTEM=x|EMPTY=|",
		  "plain blocks: ACTION and DEVPATH moved first, CRLF and blank-ish lines, empty value kept");
	CHECK_STR(errs, "", "plain blocks: no error");

	out = parse("ACTION=add\nSUBSYSTEM=s\n\nDEVPATH=/x\nSUBSYSTEM=s\n\n", errs, sizeof(errs));
	CHECK_STR(out, "", "plain blocks without DEVPATH or ACTION: nothing");
	CHECK_STR(errs, "line 1: event has no DEVPATH\nline 4: event has no ACTION",
		  "plain blocks without DEVPATH or ACTION: each reported at its first line");

	out = parse("ACTION=add\nDEVPATH=/x\njunk\nSUBSYSTEM=s\n\nACTION=add\nDEVPATH=/y\nSUBSYSTEM=s\n",
		    errs, sizeof(errs));
	CHECK_STR(out, "add@/y|ACTION=add|DEVPATH=/y|SUBSYSTEM=s|",
		  "a line that is not KEY=VALUE drops its block only");
	CHECK_STR(errs, "line 3: not KEY=VALUE: 'junk'", "not KEY=VALUE reported");

	out = parse("=v\n", errs, sizeof(errs));
	CHECK_STR(errs, "line 1: not KEY=VALUE: '=v'", "empty key refused");

	out = parse("ACTION=add\nDEVPATH=/x\nDEVPATH=/x\nSUBSYSTEM=s\nSEQNUM=5\n", errs, sizeof(errs));
	CHECK_STR(out, "add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|",
		  "a repeated identical DEVPATH is one; SEQNUM dropped");

	{
		struct uevent_parser p;
		struct uevent e;

		uevent_parser_init(&p);
		uevent_init(&e);
		r = uevent_parser_feed(&p, "A=b\0c", 5, &e);
		CHECK(r == -1, "NUL byte in a line refused");
		CHECK_STR(p.err, "NUL byte in the input", "NUL byte: message");
		CHECK(p.err_line == 1, "NUL byte: its line (%u)", p.err_line);
		r = uevent_parser_feed(&p, "", 0, &e);
		CHECK(r == 0, "NUL byte: the block is dropped");
		r = uevent_parser_end(&p, &e);
		CHECK(r == 0, "NUL byte: nothing at the end");
		uevent_free(&e);
		uevent_parser_free(&p);
	}

	/* Where each event began, for nsinject's FILE:LINE: a header that
	 * ends the block before it does not move that block's line. */
	out = parse("# c\nKERNEL[1.0] add /x (s)\nSUBSYSTEM=s\nKERNEL[1.1] add /y (s)\nSUBSYSTEM=s\n\n"
		    "\nACTION=add\nDEVPATH=/z\nSUBSYSTEM=s\n", errs, sizeof(errs));
	CHECK_STR(lines, "2,4,8", "each event's first line, also when a header ends the block before");
	out = parse("ACTION=add\nSUBSYSTEM=s\n\nACTION=add\nDEVPATH=/x\nSUBSYSTEM=s\n", errs, sizeof(errs));
	CHECK_STR(lines, "4", "the line of an event after a bad block");
	CHECK_STR(errs, "line 1: event has no DEVPATH", "... and the bad block's line");

	/* A long value survives the growth of the buffers. */
	{
		static char text[9000];
		size_t n;

		n = snprintf(text, sizeof(text), "ACTION=add\nDEVPATH=/x\nSUBSYSTEM=s\nBIG=");
		memset(text + n, 'v', 5000);
		text[n + 5000] = '\n';
		text[n + 5001] = '\0';
		out = parse(text, errs, sizeof(errs));
		CHECK(strlen(out) == strlen("add@/x|ACTION=add|DEVPATH=/x|SUBSYSTEM=s|BIG=|") + 5000,
		      "a 5000-byte value is kept whole");
	}
	/* udevadm monitor --udev --property, as systemd 252 prints it, mixed
	 * with kernel blocks (udevadm monitor --property prints both). */
	{
		static const char both[] =
			"monitor will print the received events for:\n"
			"UDEV - the event which udev sends out after rule processing\n"
			"KERNEL - the kernel uevent\n"
			"\n"
			"KERNEL[40.281010] add      /devices/virtual/net/dummy0 (net)\n"
			"ACTION=add\n"
			"DEVPATH=/devices/virtual/net/dummy0\n"
			"SUBSYSTEM=net\n"
			"SEQNUM=1373\n"
			"\n"
			"UDEV  [40.301222] add      /devices/virtual/net/dummy0 (net)\n"
			"ACTION=add\n"
			"DEVPATH=/devices/virtual/net/dummy0\n"
			"SUBSYSTEM=net\n"
			"INTERFACE=dummy0\n"
			"SEQNUM=1373\n"
			"USEC_INITIALIZED=40300000\n"
			"ID_NET_NAME=dummy0\n"
			"TAGS=:systemd:\n"
			"CURRENT_TAGS=:systemd:\n"
			"\n";

		parse_udev = true;
		out = parse(both, errs, sizeof(errs));
		CHECK_STR(out, "add@/devices/virtual/net/dummy0|ACTION=add|DEVPATH=/devices/virtual/net/dummy0|"
			  "SUBSYSTEM=net|INTERFACE=dummy0|USEC_INITIALIZED=40300000|ID_NET_NAME=dummy0|"
			  "TAGS=:systemd:|CURRENT_TAGS=:systemd:|",
			  "udev mode: the UDEV block is read, SEQNUM dropped, the KERNEL block skipped");
		CHECK_STR(lines, "11", "udev mode: the event begins at its UDEV header");
		CHECK_STR(errs, "", "udev mode: no error");
		parse_udev = false;
		out = parse(both, errs, sizeof(errs));
		CHECK_STR(out, "add@/devices/virtual/net/dummy0|ACTION=add|DEVPATH=/devices/virtual/net/dummy0|"
			  "SUBSYSTEM=net|",
			  "kernel mode: the same capture gives the KERNEL block only");
	}

	/* libudev's format, as udevd sends it: header, then properties in
	 * udevd's order; ACTION= and DEVPATH= move first, SEQNUM= stays. */
	{
		static const char msg[] =
			"libudev\0" "\xfe\xed\xca\xfe" "\x28\0\0\0" "\x28\0\0\0" "\x40\0\0\0"
			"\x11\x22\x33\x44" "\0\0\0\0" "\0\0\0\0" "\0\0\0\1"
			"DEVPATH=/devices/x\0SUBSYSTEM=net\0ACTION=add\0SEQNUM=9\0TAGS=:a:b:\0";

		CHECK(sizeof(msg) - 1 == 40 + 0x40, "udev test message: header 40 + properties 64");
		r = uevent_from_udev(&ev, msg, sizeof(msg) - 1);
		CHECK(r == 0, "from udev");
		CHECK_STR(show(&ev), "add@/devices/x|ACTION=add|DEVPATH=/devices/x|SUBSYSTEM=net|SEQNUM=9|TAGS=:a:b:|",
			  "from udev: kernel format, ACTION and DEVPATH first, SEQNUM kept");
		CHECK(uevent_has_tag(&ev, "a") && uevent_has_tag(&ev, "b"), "TAGS=:a:b: has a and b");
		CHECK(!uevent_has_tag(&ev, "c") && !uevent_has_tag(&ev, ":a") && !uevent_has_tag(&ev, ""),
		      "TAGS=:a:b: has no c, no ':a', no empty tag");
		CHECK(uevent_match_subsystem(&ev, "net"), "subsystem net matches");
		CHECK(!uevent_match_subsystem(&ev, "ne") && !uevent_match_subsystem(&ev, "net/x"),
		      "a prefix of the subsystem, or a devtype the event lacks, does not match");
		r = uevent_from_udev(&ev, msg, 40 + 0x3f);
		CHECK(r == -EINVAL, "from udev: properties_len past the message: refused");
	}
	{
		char msg[128];

		memcpy(msg, "libudev\0" "\xfe\xed\xca\xfe" "\x28\0\0\0" "\x28\0\0\0" "\x36\0\0\0"
		       "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" "ACTION=change\0DEVPATH=/d\0SUBSYSTEM=block\0DEVTYPE=disk\0",
		       40 + 54);
		r = uevent_from_udev(&ev, msg, 40 + 54);
		CHECK(r == 0, "from udev: block/disk");
		CHECK(uevent_match_subsystem(&ev, "block/disk") && uevent_match_subsystem(&ev, "block") &&
		      !uevent_match_subsystem(&ev, "block/partition"),
		      "SUBSYSTEM/DEVTYPE as udevadm monitor -s takes it");
		CHECK(!uevent_has_tag(&ev, "systemd"), "no TAGS=: no tag");
		msg[11] = 0xff;
		r = uevent_from_udev(&ev, msg, 40 + 54);
		CHECK(r == -EINVAL, "from udev: a wrong magic is refused");
		msg[11] = 0xfe;
		r = uevent_from_kernel(&ev, msg, 40 + 54);
		CHECK(r == -EINVAL, "a udev message is not a kernel uevent");
		r = uevent_from_udev(&ev, "add@/x\0ACTION=add\0DEVPATH=/x\0SUBSYSTEM=s\0", 42);
		CHECK(r == -EINVAL, "a kernel uevent is not a udev message");
		memcpy(msg + 40, "ACTION=change\0XDEVPATH=/d\0", 26);
		memcpy(msg + 20, "\x1a\0\0\0", 4);
		r = uevent_from_udev(&ev, msg, 40 + 26);
		CHECK(r == -EINVAL, "from udev: no DEVPATH: refused");
	}
	uevent_free(&ev);
	UNIT_EXIT();
}
