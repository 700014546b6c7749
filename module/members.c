// SPDX-License-Identifier: GPL-2.0
/*
 * Who is a member of "events" in the initial network namespace, asked of
 * the kernel itself: netlink's socket diagnostics (NETLINK_SOCK_DIAG, the
 * interface of `ss --netlink`), queried from a kernel socket of the
 * initial network namespace. Each generic netlink socket of that
 * namespace comes with its group bitmap and its memory counters, drops
 * included: a socket whose receive buffer was full when a message came
 * (netlink_overrun()) counts it there, whether or not it asked for
 * NETLINK_BROADCAST_ERROR.
 *
 * Why not netlink's own answers: genl_has_listeners() counts members of
 * the group in every network namespace (the root of a container may join
 * in its own, where it receives nothing), and a multicast's -ESRCH says
 * only that no socket took the message, which is also what a member whose
 * socket filter dropped it, or whose buffer was full, gives.
 *
 * Process context only (it sleeps); a dump takes sock_diag's mutex and
 * one pass over the protocol's sockets, and runs when a generic netlink
 * socket closes, a grace after a join, and at GET_STATS: never in a hook.
 */
#include <linux/kernel.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "nslink.h"
#include "members.h"

/* One datagram of the dump; netlink_dump() fills up to NLMSG_GOODSIZE. */
#define NSLINK_DIAG_BUF (2 * NLMSG_GOODSIZE)

static bool nslink_member_of(const struct nlattr *groups, unsigned int group)
{
	unsigned int bit = group - 1, word = bit / BITS_PER_LONG;
	unsigned long w;

	/* nlk->groups as it is: unsigned longs in host order, group n at
	 * bit n - 1; the attribute's data is only 4-byte aligned. */
	if (!group || (word + 1) * sizeof(w) > (unsigned int)nla_len(groups))
		return false;
	memcpy(&w, (const u8 *)nla_data(groups) + word * sizeof(w), sizeof(w));
	return w & BIT(bit % BITS_PER_LONG);
}

/* Parse one SOCK_DIAG_BY_FAMILY reply into @m (if there is room). */
static void nslink_members_parse(const struct nlmsghdr *nlh,
				 unsigned int group,
				 struct nslink_member *m, unsigned int max,
				 int *n)
{
	const struct netlink_diag_msg *rep;
	const struct nlattr *a, *groups = NULL, *meminfo = NULL;
	int rem;

	if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(*rep)))
		return;
	rep = nlmsg_data(nlh);
	if (rep->ndiag_protocol != NETLINK_GENERIC)
		return;
	nla_for_each_attr(a, (const struct nlattr *)(rep + 1),
			  nlh->nlmsg_len - nlmsg_msg_size(sizeof(*rep)), rem) {
		if (nla_type(a) == NETLINK_DIAG_GROUPS)
			groups = a;
		else if (nla_type(a) == NETLINK_DIAG_MEMINFO &&
			 nla_len(a) >= (int)(sizeof(u32) * (SK_MEMINFO_DROPS + 1)))
			meminfo = a;
	}
	if (!groups || !nslink_member_of(groups, group))
		return;
	if (*n < max && m) {
		m[*n].portid = rep->ndiag_portid;
		if (meminfo) {
			const u32 *mem = nla_data(meminfo);

			m[*n].rmem = mem[SK_MEMINFO_RMEM_ALLOC];
			m[*n].rcvbuf = mem[SK_MEMINFO_RCVBUF];
			m[*n].drops = mem[SK_MEMINFO_DROPS];
		} else {
			m[*n].rmem = m[*n].rcvbuf = m[*n].drops = 0;
		}
	}
	(*n)++;
}

int nslink_members_read(unsigned int group, struct nslink_member *m,
			unsigned int max)
{
	struct {
		struct nlmsghdr nlh;
		struct netlink_diag_req req;
	} req = {
		.nlh = {
			.nlmsg_len	= sizeof(req),
			.nlmsg_type	= SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags	= NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq	= 1,
		},
		.req = {
			.sdiag_family	= AF_NETLINK,
			.sdiag_protocol	= NETLINK_GENERIC,
			.ndiag_show	= NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO,
		},
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = { .msg_name = &kernel,
			      .msg_namelen = sizeof(kernel) };
	struct kvec iov = { .iov_base = &req, .iov_len = sizeof(req) };
	const struct nlmsghdr *nlh;
	struct socket *sock;
	bool done = false;
	void *buf;
	int ret, n = 0, len;

	buf = kmalloc(NSLINK_DIAG_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = sock_create_kern(&init_net, AF_NETLINK, SOCK_RAW,
			       NETLINK_SOCK_DIAG, &sock);
	if (ret)
		goto out_free;
	/* The first part of the dump is made as the request is taken. */
	ret = kernel_sendmsg(sock, &msg, &iov, 1, sizeof(req));
	if (ret < 0)
		goto out_release;
	while (!done) {
		struct msghdr rmsg = {};

		iov.iov_base = buf;
		iov.iov_len = NSLINK_DIAG_BUF;
		/* Each later part is made by the read that finds the queue
		 * empty: nothing to wait for. */
		len = kernel_recvmsg(sock, &rmsg, &iov, 1, NSLINK_DIAG_BUF,
				     MSG_DONTWAIT);
		if (len < 0) {
			ret = len;
			goto out_release;
		}
		if (rmsg.msg_flags & MSG_TRUNC) {
			ret = -EMSGSIZE;
			goto out_release;
		}
		for (nlh = buf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = nlmsg_data(nlh);

				ret = nlh->nlmsg_len >= nlmsg_msg_size(sizeof(*e)) &&
				      e->error ? e->error : -EPROTO;
				goto out_release;
			}
			if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY)
				nslink_members_parse(nlh, group, m, max, &n);
		}
	}
	ret = n;
out_release:
	sock_release(sock);
out_free:
	kfree(buf);
	return ret;
}
