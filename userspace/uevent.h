/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Uevents in the kernel's format ("ACTION@DEVPATH\0KEY=VALUE\0...") and the
 * text formats nsinject reads: the capture `udevadm monitor --kernel
 * --property` prints, and plain KEY=VALUE blocks separated by blank lines.
 * No I/O and no global state, so that it can be unit-tested and fuzzed.
 */
#ifndef NSLINK_UEVENT_H
#define NSLINK_UEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One uevent in the kernel's format, ending in '\0'. */
struct uevent {
	char *buf;
	size_t len, cap;
};

void uevent_init(struct uevent *ev);
void uevent_free(struct uevent *ev);

/*
 * Start ev over as "ACTION@DEVPATH\0ACTION=ACTION\0DEVPATH=DEVPATH\0".
 * Returns 0 or -ENOMEM.
 */
int uevent_begin(struct uevent *ev, const char *action, const char *devpath);
/* Append one variable, "KEY=VALUE" or whatever str is, and its '\0'. */
int uevent_add(struct uevent *ev, const char *str, size_t len);

/*
 * Take a message received on a NETLINK_KOBJECT_UEVENT socket. Accepts only
 * the kernel's format (a header with '@', then variables), not libudev's
 * ("libudev\0..."). Copies it into ev without SEQNUM=. Returns 0, or
 * -EINVAL when it is not a kernel uevent, or -ENOMEM.
 */
int uevent_from_kernel(struct uevent *ev, const char *msg, size_t len);

/*
 * Take a message received on a NETLINK_KOBJECT_UEVENT socket's udev group
 * (2): libudev's format, a header ("libudev\0", magic 0xfeedcafe in
 * network order, properties_off and properties_len) and the properties,
 * "KEY=VALUE\0...". Copies it into ev in the kernel's format, ACTION= and
 * DEVPATH= first, the other properties in their order, SEQNUM= kept.
 * Returns 0, -EINVAL when it is not such a message or lacks a non-empty
 * ACTION or DEVPATH, or -ENOMEM.
 */
int uevent_from_udev(struct uevent *ev, const char *msg, size_t len);

/* The value of variable key, or NULL. Looks at variables, not the header. */
const char *uevent_get(const struct uevent *ev, const char *key);

/*
 * Do all of the KEY=GLOB patterns match (fnmatch(3), no flags)? A pattern
 * for a variable the event lacks does not match. No patterns: true.
 */
bool uevent_match(const struct uevent *ev, char *const *patterns, int n);

/*
 * udevadm monitor's filters: is SUBSYSTEM= the part of spec before '/',
 * and, where spec has a '/', DEVTYPE= the part after it? Does TAGS= or
 * CURRENT_TAGS= (":a:b:") hold tag?
 */
bool uevent_match_subsystem(const struct uevent *ev, const char *spec);
bool uevent_has_tag(const struct uevent *ev, const char *tag);

/* Print ev as a plain block: one KEY=VALUE per line, then a blank line. */
void uevent_print(FILE *f, const struct uevent *ev);

/*
 * A line-by-line reader of the text formats. Feed it each line without its
 * '\n'; a line may hold any byte but '\0', which is refused. Lines the
 * capture's banner prints ("monitor will print the received events for:",
 * "KERNEL - the kernel uevent", "UDEV - ...") are skipped, as are blocks
 * under a "UDEV  [...]" header (events after udev's rules, not the
 * kernel's) and lines starting with '#'. With udev set (before the first
 * line), it is the other way round: "UDEV  [...]" blocks are read and
 * "KERNEL[...]" blocks skipped, as for `udevadm monitor --udev --property`.
 *
 * A block is either a capture header "KERNEL[TIME] ACTION DEVPATH
 * (SUBSYSTEM)" (or "UDEV  [TIME] ...") followed by properties, or
 * properties only; properties run
 * until a blank line. ACTION and DEVPATH come from the header and/or the
 * ACTION=/DEVPATH= properties, which must agree; SEQNUM= is dropped.
 */
struct uevent_parser {
	unsigned int line;	/* number of the line last fed */
	unsigned int block_line;	/* where the current block began */
	unsigned int ev_line;	/* where the event last returned began */
	int state;
	bool udev;		/* read UDEV blocks, skip KERNEL ones */
	char *action, *devpath;	/* from header or properties */
	struct uevent vars;	/* other properties, "K=V\0" each */
	char err[160];		/* after an error: what, without the line */
	unsigned int err_line;	/* ... and the line it is about */
};

void uevent_parser_init(struct uevent_parser *p);
void uevent_parser_free(struct uevent_parser *p);

/*
 * Returns 1 when the line completed an event, now in out (which must have
 * been initialised) and begun at line p->ev_line, 0 when more lines are
 * needed, or -1 on an error described in p->err, about line p->err_line. After an error the block is dropped and parsing
 * continues with the next block. A header that follows a block without a
 * blank line ends that block; if the header itself is bad, the call returns
 * the block's event (1) with the header's error in p->err: check p->err
 * after every call.
 */
int uevent_parser_feed(struct uevent_parser *p, const char *line, size_t len,
		       struct uevent *out);
/* End of input: like a blank line. */
int uevent_parser_end(struct uevent_parser *p, struct uevent *out);

#endif /* NSLINK_UEVENT_H */
