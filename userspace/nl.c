// SPDX-License-Identifier: GPL-2.0
/*
 * libnl-3 glue for the nslink family: socket set-up with clear errors,
 * request/reply with extended ACK parsing (libnl-3 has none, so the error
 * message is parsed here the way iproute2's nl_dump_ext_ack() does), and
 * NSLINK_CMD_GET_INFO.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int nsl_open(struct nsl *n, const char *prog)
{
	int one = 1, ret;

	memset(n, 0, sizeof(*n));
	n->sk = nl_socket_alloc();
	if (!n->sk) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -ENOMEM;
	}
	ret = genl_connect(n->sk);
	if (ret < 0) {
		fprintf(stderr, "%s: cannot open a generic netlink socket: %s\n",
			prog, nl_geterror(ret));
		nsl_close(n);
		return -EPROTONOSUPPORT;
	}
	/* Best effort: kernels before 4.12 have no extended ACKs. */
	setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	n->family = genl_ctrl_resolve(n->sk, NSLINK_GENL_NAME);
	if (n->family < 0) {
		if (n->family == -NLE_OBJ_NOTFOUND)
			fprintf(stderr,
				"%s: the nslink kernel module is not loaded: run 'modprobe nslink' as root\n",
				prog);
		else
			fprintf(stderr, "%s: cannot resolve the nslink netlink family: %s\n",
				prog, nl_geterror(n->family));
		nsl_close(n);
		return -ENOENT;
	}
	return 0;
}

void nsl_close(struct nsl *n)
{
	if (n->sk)
		nl_socket_free(n->sk);
	n->sk = NULL;
}

int nsl_mcgrp(struct nsl *n, const char *group)
{
	int id = genl_ctrl_resolve_grp(n->sk, NSLINK_GENL_NAME, group);

	return id < 0 ? -ENOENT : id;
}

int nsl_follow_family(struct nsl *n)
{
	int grp = genl_ctrl_resolve_grp(n->sk, "nlctrl", "notify");

	if (grp < 0)
		return -ENOENT;
	if (setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		return -errno;
	return 0;
}

bool nsl_family_gone(const struct nsl *n, const struct nlmsghdr *nlh)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nlmsghdr *h = (struct nlmsghdr *)nlh;

	if (nlh->nlmsg_type != GENL_ID_CTRL || !genlmsg_valid_hdr(h, 0) ||
	    genlmsg_hdr(h)->cmd != CTRL_CMD_DELFAMILY ||
	    genlmsg_parse(h, 0, tb, CTRL_ATTR_MAX, NULL) < 0)
		return false;
	if (tb[CTRL_ATTR_FAMILY_ID] && nla_len(tb[CTRL_ATTR_FAMILY_ID]) >= 2)
		return nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == n->family;
	return tb[CTRL_ATTR_FAMILY_NAME] &&
	       nla_len(tb[CTRL_ATTR_FAMILY_NAME]) >= (int)sizeof(NSLINK_GENL_NAME) &&
	       !memcmp(nla_data(tb[CTRL_ATTR_FAMILY_NAME]), NSLINK_GENL_NAME,
		       sizeof(NSLINK_GENL_NAME));
}

struct req_state {
	struct nsl *n;
	nsl_parse_fn parse;
	void *parg;
	int done;
};

/* Pull NLMSGERR_ATTR_MSG/OFFS out of an error message that carries
 * NLM_F_ACK_TLVS, as the kernel lays it out after struct nlmsgerr (and the
 * echoed request, unless NETLINK_CAP_ACK capped it). */
static void parse_ext_ack(struct nsl *n, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *a;
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off >= nlh->nlmsg_len)
		return;
	a = (const struct nlattr *)((const char *)e + NLMSG_ALIGN(off));
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)NLMSG_ALIGN(off);
	for (; nla_ok(a, len); a = nla_next(a, &len)) {
		switch (nla_type(a)) {
		case NLMSGERR_ATTR_MSG:
			snprintf(n->extack, sizeof(n->extack), "%.*s",
				 (int)nla_len(a), (const char *)nla_data(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nla_len(a) >= 4)
				n->extack_off = nla_get_u32((struct nlattr *)a);
			break;
		}
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req_state *st = arg;
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);

	(void)nla;
	st->n->err = e->error;
	parse_ext_ack(st->n, nlh);
	st->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	/* A successful ACK may carry a warning in its extack too. */
	parse_ext_ack(st->n, nlmsg_hdr(msg));
	st->done = 1;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* A dump that failed part-way reports the error in NLMSG_DONE. */
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		int err = *(const int *)NLMSG_DATA(nlh);

		if (err < 0)
			st->n->err = err;
	}
	st->done = 1;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	if (!st->parse)
		return NL_OK;
	return st->parse(msg, st->parg);
}

int nsl_request(struct nsl *n, uint8_t cmd, int flags,
		nsl_build_fn build, void *barg,
		nsl_parse_fn parse, void *parg)
{
	struct req_state st = { .n = n, .parse = parse, .parg = parg };
	struct nl_msg *msg;
	struct nl_cb *cb;
	int ret;

	n->err = 0;
	n->extack[0] = '\0';
	n->extack_off = 0;

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, n->family, 0,
			 flags | NLM_F_REQUEST | NLM_F_ACK, cmd,
			 NSLINK_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	if (build) {
		ret = build(msg, barg);
		if (ret < 0) {
			nlmsg_free(msg);
			return ret == -NLE_NOMEM ? -ENOMEM : -EMSGSIZE;
		}
	}

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &st);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &st);

	ret = nl_send_auto(n->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	while (!st.done) {
		ret = nl_recvmsgs(n->sk, cb);
		/* st.done is set by the callbacks, which cppcheck cannot see. */
		// cppcheck-suppress knownConditionTrueFalse
		if (ret < 0 && !st.done) {
			nl_cb_put(cb);
			/* libnl maps errno; the common ones are worth keeping. */
			switch (-ret) {
			case NLE_NOMEM: return -ENOMEM;
			case NLE_PERM: return -EPERM;
			case NLE_NOACCESS: return -EACCES;
			default: return -EIO;
			}
		}
	}
	nl_cb_put(cb);
	return n->err;
}

struct genlmsghdr *nsl_parse(struct nl_msg *msg,
			     struct nlattr *tb[NSLINK_A_MAX + 1])
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g;

	if (!genlmsg_valid_hdr(nlh, 0))
		return NULL;
	g = genlmsg_hdr(nlh);
	if (genlmsg_parse(nlh, 0, tb, NSLINK_A_MAX, NULL) < 0)
		return NULL;
	return g;
}

void nsl_perror(const struct nsl *n, const char *prog, const char *what,
		int err)
{
	if (err < 0)
		err = -err;
	if (n && n->extack[0])
		fprintf(stderr, "%s: %s: %s (%s)\n", prog, what, n->extack,
			strerror(err));
	else
		fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err));
}

static int parse_info(struct nl_msg *msg, void *arg)
{
	struct nsl_info *info = arg;
	struct nlattr *tb[NSLINK_A_MAX + 1];

	if (!nsl_parse(msg, tb))
		return NL_SKIP;
	if (tb[NSLINK_A_INFO_VERSION])
		snprintf(info->version, sizeof(info->version), "%s",
			 nla_get_string(tb[NSLINK_A_INFO_VERSION]));
	if (tb[NSLINK_A_INFO_FEATURES])
		info->features = nla_get_u64(tb[NSLINK_A_INFO_FEATURES]);
	if (tb[NSLINK_A_INFO_HOOK])
		snprintf(info->hook, sizeof(info->hook), "%s",
			 nla_get_string(tb[NSLINK_A_INFO_HOOK]));
	return NL_OK;
}

int nsl_get_info(struct nsl *n, struct nsl_info *info)
{
	memset(info, 0, sizeof(*info));
	return nsl_request(n, NSLINK_CMD_GET_INFO, 0, NULL, NULL,
			   parse_info, info);
}

/*
 * The length of the well-formed UTF-8 sequence at p (1 to 4) with its code
 * point in *cp, or 0 and in *bad the length of the maximal ill-formed
 * subsequence there (at least 1), per the Unicode Standard's table 3-7.
 */
static size_t utf8_next(const unsigned char *p, uint32_t *cp, size_t *bad)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t v;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		v = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		v = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong below */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates above */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		v = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong below */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		*bad = 1;	/* 80-C1, F5-FF never start a sequence */
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi) {	/* the NUL ends it too */
			*bad = i;
			return 0;
		}
		v = v << 6 | (p[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return n;
}

bool json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	bool valid = true;
	size_t n, bad;
	uint32_t cp;

	fputc('"', f);
	while (*p) {
		n = utf8_next(p, &cp, &bad);
		if (!n) {
			fputs("\\ufffd", f);
			valid = false;
			p += bad;
			continue;
		}
		switch (cp) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
			    cp == 0x2028 || cp == 0x2029)
				fprintf(f, "\\u%04x", (unsigned int)cp);
			else
				fwrite(p, 1, n, f);
		}
		p += n;
	}
	fputc('"', f);
	return valid;
}

void json_field(FILE *f, const char *key, const char *s)
{
	const unsigned char *p;

	fprintf(f, "\"%s\":", key);
	if (json_string(f, s))
		return;
	fprintf(f, ",\"%s_raw\":\"", key);
	for (p = (const unsigned char *)s; *p; p++)
		fprintf(f, "%02x", *p);
	fputc('"', f);
}
