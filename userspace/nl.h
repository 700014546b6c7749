/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the nslink generic netlink family through libnl-3. */
#ifndef NSLINK_NL_H
#define NSLINK_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/nslink.h>

struct nsl {
	struct nl_sock *sk;
	int family;
	/* The kernel's answer to the last request. */
	int err;			/* 0 or a negative errno */
	char extack[256];		/* NLMSGERR_ATTR_MSG, or "" */
	uint32_t extack_off;		/* NLMSGERR_ATTR_OFFS, or 0 */
};

/* Called for each reply message of a request (or dump). Return NL_OK, or
 * NL_STOP to end early. */
typedef int (*nsl_parse_fn)(struct nl_msg *msg, void *arg);
/* Adds the request's attributes; returns 0 or a negative libnl error. */
typedef int (*nsl_build_fn)(struct nl_msg *msg, void *arg);

/*
 * Open a generic netlink socket with extended ACKs on and resolve the
 * nslink family. On failure prints one sentence naming the fix, prefixed by
 * prog, and returns a negative errno (-ENOENT when the module is not
 * loaded).
 */
int nsl_open(struct nsl *n, const char *prog);
void nsl_close(struct nsl *n);

/* Resolve a multicast group of the family; returns the id or -errno. */
int nsl_mcgrp(struct nsl *n, const char *group);

/*
 * Send one request and read every reply until the ACK (or, for a dump,
 * NLMSG_DONE). Returns 0 or a negative errno; the kernel's extack text is
 * left in n->extack.
 */
int nsl_request(struct nsl *n, uint8_t cmd, int flags,
		nsl_build_fn build, void *barg,
		nsl_parse_fn parse, void *parg);

/* Parse a reply's top-level attributes against the family's attribute
 * space. Returns the genlmsghdr or NULL when malformed. */
struct genlmsghdr *nsl_parse(struct nl_msg *msg,
			     struct nlattr *tb[NSLINK_A_MAX + 1]);

/* Print "prog: what: <extack or strerror>" to stderr. */
void nsl_perror(const struct nsl *n, const char *prog, const char *what,
		int err);

/*
 * Follow the generic netlink controller's notifications on n's socket
 * (group "notify" of "nlctrl"), to learn when the family goes away.
 * Returns 0 or a negative errno.
 */
int nsl_follow_family(struct nsl *n);
/* Is nlh the controller's CTRL_CMD_DELFAMILY for n's family (by id, or
 * by name when the id is not given)? */
bool nsl_family_gone(const struct nsl *n, const struct nlmsghdr *nlh);

/* Module info, from NSLINK_CMD_GET_INFO. */
struct nsl_info {
	char version[64];
	uint64_t features;
	char hook[32];
};
int nsl_get_info(struct nsl *n, struct nsl_info *info);

/*
 * s as a JSON string. s is bytes (comm, paths, names) that are usually but
 * not always UTF-8: valid UTF-8 is written as it is (strict: no overlong
 * forms, no surrogates, nothing above U+10FFFF); each maximal ill-formed
 * subsequence becomes one U+FFFD, as the Unicode Standard recommends. The
 * quote, the backslash and control characters (C0, DEL, C1) are escaped,
 * and U+2028 and U+2029 too. Returns true when s was valid UTF-8, i.e.
 * the string decodes to exactly s.
 */
bool json_string(FILE *f, const char *s);
/*
 * "key":STRING, and when s is not valid UTF-8 also ,"key_raw":"HEX" with
 * every byte of s in lowercase hex, so that a reader can tell a U+FFFD
 * that stands for bytes from one that was there, and recover the bytes.
 */
void json_field(FILE *f, const char *key, const char *s);

#endif /* NSLINK_NL_H */
