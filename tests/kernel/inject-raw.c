// SPDX-License-Identifier: GPL-2.0
/*
 * inject-raw: send one NSLINK_CMD_INJECT exactly as given, for the tests of
 * refusals that nsinject never produces.
 *
 *   inject-raw [--unshare-wait FILE] [--fd N] [--pid N] [--group N] [--repeat N]
 *              [EVENT...]
 *
 * Each EVENT is sent as one NSLINK_A_INJ_UEVENT with every '|' turned into
 * '\0' and nothing added (so "add@/x|...|" ends in '\0', "add@/x" does
 * not); --repeat sends the list N times; --group N adds
 * NSLINK_A_INJ_GROUP (a u8) with that value. Prints "ok SEQNUM..." or
 * "error ERRNO-NAME: EXTACK" and exits 0 or 1.
 *
 * --unshare-wait FILE first makes a user and a network namespace with no
 * uid map (unshare(CLONE_NEWUSER | CLONE_NEWNET), the one moment such a
 * process holds capabilities there: an exec would drop them), prints
 * "unshared", and waits until FILE exists before it sends (into its own
 * netns unless --fd or --pid says otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "../../userspace/nl.h"

struct req {
	int fd, pid, repeat, n, group;
	char **ev;
	unsigned long long seq[1024];
	int nseq;
};

/* strerrorname_np() is glibc 2.32's: Debian 11 has 2.31. */
static const char *errname(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EBADF, "EBADF" }, { ENOMEM, "ENOMEM" }, { EINVAL, "EINVAL" },
		{ EMSGSIZE, "EMSGSIZE" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { E2BIG, "E2BIG" },
	};
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static int build(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	int i, k;

	if (r->fd >= 0 && nla_put_u32(msg, NSLINK_A_INJ_NETNS_FD, r->fd) < 0)
		return -NLE_NOMEM;
	if (r->pid >= 0 && nla_put_u32(msg, NSLINK_A_INJ_NETNS_PID, r->pid) < 0)
		return -NLE_NOMEM;
	if (r->group >= 0 && nla_put_u8(msg, NSLINK_A_INJ_GROUP, r->group) < 0)
		return -NLE_NOMEM;
	for (k = 0; k < r->repeat; k++) {
		for (i = 0; i < r->n; i++) {
			size_t len = strlen(r->ev[i]), j;
			struct nlattr *a = nla_reserve(msg, NSLINK_A_INJ_UEVENT, len);
			char *d;

			if (!a)
				return -NLE_NOMEM;
			d = nla_data(a);
			for (j = 0; j < len; j++)
				d[j] = r->ev[i][j] == '|' ? '\0' : r->ev[i][j];
		}
	}
	return 0;
}

static int parse(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *r = arg;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem)
		if (nla_type(a) == NSLINK_A_INJ_SEQNUM && r->nseq < 1024)
			r->seq[r->nseq++] = nla_get_u64(a);
	return NL_OK;
}

int main(int argc, char **argv)
{
	struct req r = { .fd = -1, .pid = -1, .repeat = 1, .group = -1 };
	int i, ret, unshared = 0;
	struct nsl n;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--unshare-wait") && i + 1 < argc) {
			const char *go = argv[++i];

			if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
				perror("inject-raw: unshare");
				return 2;
			}
			unshared = 1;
			printf("unshared\n");
			fflush(stdout);
			while (access(go, F_OK))
				usleep(20000);
		} else if (!strcmp(argv[i], "--fd") && i + 1 < argc)
			r.fd = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pid") && i + 1 < argc)
			r.pid = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--group") && i + 1 < argc)
			r.group = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			r.repeat = atoi(argv[++i]);
		else
			break;
	}
	r.ev = argv + i;
	r.n = argc - i;
	if (unshared && r.fd < 0 && r.pid < 0)
		r.fd = open("/proc/self/ns/net", O_RDONLY);
	if (nsl_open(&n, "inject-raw"))
		return 2;
	nlmsg_set_default_size(1 << 20);
	nl_socket_set_buffer_size(n.sk, 4 << 20, 4 << 20);
	ret = nsl_request(&n, NSLINK_CMD_INJECT, 0, build, &r, parse, &r);
	if (ret) {
		printf("error %s: %s\n", errname(-ret), n.extack);
		return 1;
	}
	printf("ok");
	for (i = 0; i < r.nseq; i++)
		printf(" %llu", r.seq[i]);
	printf("\n");
	return 0;
}
