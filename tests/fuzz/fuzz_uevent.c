// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for userspace/uevent.c: the input is read as a message
 * from a NETLINK_KOBJECT_UEVENT socket and, line by line, as a
 * `udevadm monitor --kernel --property` capture or KEY=VALUE blocks.
 * Besides the sanitizers' checks, every event the parsers produce must be
 * well-formed: the kernel's "ACTION@DEVPATH\0KEY=VALUE\0..." shape, no
 * SEQNUM, ACTION= and DEVPATH= agreeing with the header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace/uevent.h"

static void check_event(const struct uevent *ev, int from_text)
{
	const char *hdr = ev->buf, *at, *action, *devpath;
	size_t hlen;

	if (!ev->buf || ev->len == 0 || ev->len > ev->cap || ev->buf[ev->len - 1])
		abort();			/* not NUL-terminated */
	hlen = strlen(hdr);
	at = memchr(hdr, '@', hlen);
	if (!at || at == hdr)
		abort();			/* header without ACTION@ */
	if (uevent_get(ev, "SEQNUM"))
		abort();			/* SEQNUM must be stripped */
	if (!from_text)
		return;
	/* The text parser builds the header from ACTION and DEVPATH. */
	action = uevent_get(ev, "ACTION");
	devpath = uevent_get(ev, "DEVPATH");
	if (!action || !devpath)
		abort();
	if (strlen(action) != (size_t)(at - hdr) || memcmp(action, hdr, at - hdr) ||
	    strcmp(devpath, at + 1))
		abort();			/* header disagrees with variables */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct uevent_parser parser;
	struct uevent ev, out;

	int udev;

	uevent_init(&ev);
	if (uevent_from_kernel(&ev, p, size) == 0)
		check_event(&ev, 0);
	/* libudev's format: ACTION= and DEVPATH= come first, SEQNUM= stays. */
	if (uevent_from_udev(&ev, p, size) == 0 &&
	    (!uevent_get(&ev, "ACTION") || !uevent_get(&ev, "DEVPATH")))
		abort();
	uevent_free(&ev);

	/* The text, read for the kernel's blocks, then for udev's. */
	for (udev = 0; udev < 2; udev++) {
		p = (const char *)data;
		uevent_parser_init(&parser);
		parser.udev = udev;
		uevent_init(&out);
		while (p < end) {
			const char *nl = memchr(p, '\n', end - p);
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

			if (uevent_parser_feed(&parser, p, len, &out) == 1)
				check_event(&out, 1);
			p += len + (nl ? 1 : 0);
		}
		if (uevent_parser_end(&parser, &out) == 1)
			check_event(&out, 1);
		uevent_free(&out);
		uevent_parser_free(&parser);
	}
	return 0;
}
