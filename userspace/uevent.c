// SPDX-License-Identifier: GPL-2.0
/*
 * Uevent formats: the kernel's message, and the text nsinject reads. See
 * uevent.h.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "uevent.h"

void uevent_init(struct uevent *ev)
{
	memset(ev, 0, sizeof(*ev));
}

void uevent_free(struct uevent *ev)
{
	free(ev->buf);
	uevent_init(ev);
}

static int reserve(struct uevent *ev, size_t more)
{
	size_t cap;
	char *buf;

	if (ev->cap - ev->len >= more)
		return 0;
	cap = ev->cap ? ev->cap : 256;
	while (cap - ev->len < more) {
		if (cap > ((size_t)-1) / 2)
			return -ENOMEM;
		cap *= 2;
	}
	buf = realloc(ev->buf, cap);
	if (!buf)
		return -ENOMEM;
	ev->buf = buf;
	ev->cap = cap;
	return 0;
}

/* Append the pieces (pointer, length pairs, NULL-terminated) and a '\0'. */
static int append(struct uevent *ev, ...)
{
	const char *s;
	size_t n, total = 1;
	va_list ap;

	va_start(ap, ev);
	while ((s = va_arg(ap, const char *))) {
		total += va_arg(ap, size_t);
	}
	va_end(ap);
	if (reserve(ev, total))
		return -ENOMEM;
	va_start(ap, ev);
	while ((s = va_arg(ap, const char *))) {
		n = va_arg(ap, size_t);
		memcpy(ev->buf + ev->len, s, n);
		ev->len += n;
	}
	va_end(ap);
	ev->buf[ev->len++] = '\0';
	return 0;
}

#define S(str) (str), strlen(str)

int uevent_begin(struct uevent *ev, const char *action, const char *devpath)
{
	ev->len = 0;
	if (append(ev, S(action), "@", (size_t)1, S(devpath), (const char *)NULL) ||
	    append(ev, "ACTION=", (size_t)7, S(action), (const char *)NULL) ||
	    append(ev, "DEVPATH=", (size_t)8, S(devpath), (const char *)NULL))
		return -ENOMEM;
	return 0;
}

int uevent_add(struct uevent *ev, const char *str, size_t len)
{
	return append(ev, str, len, (const char *)NULL);
}

/* Is the variable "KEY=..." (var is len bytes, no '\0' needed)? */
static bool var_is(const char *var, size_t len, const char *key)
{
	size_t k = strlen(key);

	return len > k && !memcmp(var, key, k) && var[k] == '=';
}

int uevent_from_kernel(struct uevent *ev, const char *msg, size_t len)
{
	const char *end = msg + len, *p, *z;

	/* The header: non-empty ACTION, '@', DEVPATH, '\0'. */
	z = memchr(msg, '\0', len);
	if (!z || z == msg)
		return -EINVAL;
	p = memchr(msg, '@', z - msg);
	if (!p || p == msg)
		return -EINVAL;
	ev->len = 0;
	if (append(ev, msg, (size_t)(z - msg), (const char *)NULL))
		return -ENOMEM;
	/* Variables; a last one without its '\0' is taken as if it had one. */
	for (p = z + 1; p < end; p = z + 1) {
		z = memchr(p, '\0', end - p);
		if (!z)
			z = end;
		if (z == p || var_is(p, z - p, "SEQNUM"))
			continue;
		if (append(ev, p, (size_t)(z - p), (const char *)NULL))
			return -ENOMEM;
	}
	return 0;
}

/* libudev's header: what a receiver reads of it. */
#define UDEV_HDR_SIZE		40
#define UDEV_MAGIC		0xfeedcafe

static uint32_t get_u32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The property "KEY=..." among len bytes of "K=V\0..." at p: its value. */
static const char *prop_get(const char *p, const char *end, const char *key,
			    size_t *vlen)
{
	const char *z;

	for (; p < end; p = z + 1) {
		z = memchr(p, '\0', end - p);
		if (!z)
			z = end;
		if (var_is(p, z - p, key)) {
			*vlen = z - p - strlen(key) - 1;
			return p + strlen(key) + 1;
		}
	}
	return NULL;
}

int uevent_from_udev(struct uevent *ev, const char *msg, size_t len)
{
	const char *p, *end, *z, *action, *devpath;
	size_t alen, dlen;
	uint32_t off, plen;

	/* As sd-device checks it: the prefix, the magic, properties_off. */
	if (len < UDEV_HDR_SIZE || memcmp(msg, "libudev", 8) ||
	    ntohl(get_u32(msg + 8)) != UDEV_MAGIC)
		return -EINVAL;
	off = get_u32(msg + 16);
	plen = get_u32(msg + 20);
	if (off < UDEV_HDR_SIZE || off > len || plen > len - off)
		return -EINVAL;
	p = msg + off;
	end = p + plen;
	action = prop_get(p, end, "ACTION", &alen);
	devpath = prop_get(p, end, "DEVPATH", &dlen);
	if (!action || !alen || !devpath || !dlen || memchr(action, '@', alen))
		return -EINVAL;
	ev->len = 0;
	if (append(ev, action, alen, "@", (size_t)1, devpath, dlen, (const char *)NULL) ||
	    append(ev, "ACTION=", (size_t)7, action, alen, (const char *)NULL) ||
	    append(ev, "DEVPATH=", (size_t)8, devpath, dlen, (const char *)NULL))
		return -ENOMEM;
	for (; p < end; p = z + 1) {
		z = memchr(p, '\0', end - p);
		if (!z)
			z = end;
		/* An empty one ends the list, as in sd-device. */
		if (z == p)
			break;
		if (var_is(p, z - p, "ACTION") || var_is(p, z - p, "DEVPATH"))
			continue;
		if (append(ev, p, (size_t)(z - p), (const char *)NULL))
			return -ENOMEM;
	}
	return 0;
}

/* Iterate the variables: each is a '\0'-terminated string after the header. */
#define for_each_var(ev, v)						\
	for (v = (ev)->len ? (ev)->buf + strlen((ev)->buf) + 1 : NULL;	\
	     v && v < (ev)->buf + (ev)->len; v += strlen(v) + 1)

const char *uevent_get(const struct uevent *ev, const char *key)
{
	const char *v;

	for_each_var(ev, v)
		if (var_is(v, strlen(v), key))
			return v + strlen(key) + 1;
	return NULL;
}

bool uevent_match(const struct uevent *ev, char *const *patterns, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const char *eq = strchr(patterns[i], '=');
		const char *val;
		char key[256];

		if (!eq || eq == patterns[i] ||
		    (size_t)(eq - patterns[i]) >= sizeof(key))
			return false;
		memcpy(key, patterns[i], eq - patterns[i]);
		key[eq - patterns[i]] = '\0';
		val = uevent_get(ev, key);
		if (!val || fnmatch(eq + 1, val, 0))
			return false;
	}
	return true;
}

bool uevent_match_subsystem(const struct uevent *ev, const char *spec)
{
	const char *slash = strchr(spec, '/');
	const char *sub = uevent_get(ev, "SUBSYSTEM"), *type;
	size_t n = slash ? (size_t)(slash - spec) : strlen(spec);

	if (!sub || strlen(sub) != n || memcmp(sub, spec, n))
		return false;
	if (!slash)
		return true;
	type = uevent_get(ev, "DEVTYPE");
	return type && !strcmp(type, slash + 1);
}

/* Is tag one of the ':'-separated words of list? */
static bool tag_in(const char *list, const char *tag)
{
	size_t n = strlen(tag);
	const char *p;

	if (!list || !n)
		return false;
	for (p = list; *p; ) {
		size_t w = strcspn(p, ":");

		if (w == n && !memcmp(p, tag, n))
			return true;
		p += w;
		if (*p)
			p++;
	}
	return false;
}

bool uevent_has_tag(const struct uevent *ev, const char *tag)
{
	return tag_in(uevent_get(ev, "TAGS"), tag) ||
	       tag_in(uevent_get(ev, "CURRENT_TAGS"), tag);
}

void uevent_print(FILE *f, const struct uevent *ev)
{
	const char *v;

	for_each_var(ev, v)
		fprintf(f, "%s\n", v);
	fputc('\n', f);
}

/* The parser. */
enum {
	P_IDLE,		/* between blocks */
	P_BLOCK,	/* in a block of properties */
	P_SKIP,		/* in a block to drop: UDEV, or after an error */
};

void uevent_parser_init(struct uevent_parser *p)
{
	memset(p, 0, sizeof(*p));
	uevent_init(&p->vars);
}

static void parser_reset_block(struct uevent_parser *p)
{
	free(p->action);
	free(p->devpath);
	p->action = p->devpath = NULL;
	p->vars.len = 0;
}

void uevent_parser_free(struct uevent_parser *p)
{
	parser_reset_block(p);
	uevent_free(&p->vars);
}

static int parse_error(struct uevent_parser *p, const char *fmt, ...)
{
	va_list ap;

	p->err_line = p->line;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	parser_reset_block(p);
	p->state = P_SKIP;
	return -1;
}

/*
 * Set *slot (ACTION or DEVPATH) from a header or a property, or check that
 * it agrees with what an earlier line said.
 */
static int set_field(struct uevent_parser *p, char **slot, const char *name,
		     const char *val, size_t len)
{
	if (*slot) {
		if (strlen(*slot) != len || memcmp(*slot, val, len))
			return parse_error(p, "%s=%.*s differs from the %s '%s' given before",
					   name, (int)(len > 64 ? 64 : len), val,
					   name, *slot);
		return 0;
	}
	*slot = strndup(val, len);
	if (!*slot)
		return parse_error(p, "out of memory");
	return 0;
}

/* The block is complete: build it into out. */
static int finish_block(struct uevent_parser *p, struct uevent *out)
{
	const char *v;
	unsigned int line = p->line;

	p->state = P_IDLE;
	if (!p->action || !p->devpath) {
		p->line = p->block_line;
		parse_error(p, "event has no %s", p->action ? "DEVPATH" : "ACTION");
		p->line = line;
		p->state = P_IDLE;
		return -1;
	}
	/* The header is "ACTION@DEVPATH": an '@' in ACTION would make it
	 * ambiguous (found by tests/fuzz/fuzz_uevent). */
	if (!*p->action || strchr(p->action, '@')) {
		p->line = p->block_line;
		parse_error(p, "ACTION '%.64s' is not an action", p->action);
		p->line = line;
		return -1;
	}
	if (uevent_begin(out, p->action, p->devpath))
		goto nomem;
	for (v = p->vars.buf; v && v < p->vars.buf + p->vars.len; v += strlen(v) + 1)
		if (uevent_add(out, v, strlen(v)))
			goto nomem;
	parser_reset_block(p);
	p->ev_line = p->block_line;
	return 1;
nomem:
	parse_error(p, "out of memory");
	p->state = P_IDLE;
	return -1;
}

/* "KERNEL[TIME] ACTION DEVPATH (SUBSYSTEM)" */
static int parse_header(struct uevent_parser *p, const char *line, size_t len)
{
	const char *end = line + len, *s, *a, *d, *dend;

	s = memchr(line, ']', len);
	if (!s)
		return parse_error(p, "capture header without ']'");
	for (a = s + 1; a < end && *a == ' '; a++)
		;
	for (s = a; s < end && *s != ' '; s++)
		;
	if (s == a)
		return parse_error(p, "capture header without an action");
	for (d = s; d < end && *d == ' '; d++)
		;
	/* The devpath runs to " (SUBSYSTEM)" when there is one. */
	dend = end;
	if (dend > d && dend[-1] == ')') {
		const char *o;

		for (o = dend - 1; o > d && !(o[0] == '(' && o[-1] == ' '); o--)
			;
		if (o > d)
			dend = o - 1;
	}
	if (dend == d)
		return parse_error(p, "capture header without a devpath");
	p->state = P_BLOCK;
	p->block_line = p->line;
	if (set_field(p, &p->action, "ACTION", a, s - a) ||
	    set_field(p, &p->devpath, "DEVPATH", d, dend - d))
		return -1;
	return 0;
}

static bool starts(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(line, prefix, n);
}

int uevent_parser_feed(struct uevent_parser *p, const char *line, size_t len,
		       struct uevent *out)
{
	const char *eq;
	size_t i;
	int ret = 0;

	p->line++;
	p->err[0] = '\0';
	if (len && line[len - 1] == '\r')
		len--;
	if (memchr(line, '\0', len)) {
		parse_error(p, "NUL byte in the input");
		return -1;
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len) {		/* blank: ends a block */
		if (p->state == P_BLOCK)
			return finish_block(p, out);
		p->state = P_IDLE;
		return 0;
	}
	if (line[0] == '#')
		return 0;
	if (p->state == P_SKIP)
		return 0;

	if (p->state == P_IDLE &&
	    (starts(line, len, "monitor will print the received events for:") ||
	     starts(line, len, "KERNEL - ") || starts(line, len, "UDEV - ")))
		return 0;
	if (starts(line, len, "KERNEL[") || starts(line, len, "UDEV ") ||
	    starts(line, len, "UDEV[")) {
		/* A new header without a blank line ends the block before;
		 * its result is what this call returns. */
		if (p->state == P_BLOCK)
			ret = finish_block(p, out);
		/* The other group's block. */
		if ((line[0] == 'U') != p->udev) {
			p->state = P_SKIP;
			return ret;
		}
		if (parse_header(p, line, len) < 0 && ret == 0)
			return -1;
		return ret;
	}

	eq = memchr(line, '=', len);
	if (!eq || eq == line)
		return parse_error(p, "not KEY=VALUE: '%.*s'",
				   (int)(len > 64 ? 64 : len), line);
	if (p->state == P_IDLE) {
		p->state = P_BLOCK;
		p->block_line = p->line;
	}
	if (var_is(line, len, "ACTION"))
		return set_field(p, &p->action, "ACTION", eq + 1, line + len - eq - 1);
	if (var_is(line, len, "DEVPATH"))
		return set_field(p, &p->devpath, "DEVPATH", eq + 1, line + len - eq - 1);
	if (var_is(line, len, "SEQNUM"))
		return 0;
	if (uevent_add(&p->vars, line, len))
		return parse_error(p, "out of memory");
	return 0;
}

int uevent_parser_end(struct uevent_parser *p, struct uevent *out)
{
	int ret = 0;

	if (p->state == P_BLOCK)
		ret = finish_block(p, out);
	p->state = P_IDLE;
	return ret;
}
