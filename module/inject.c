// SPDX-License-Identifier: GPL-2.0
/*
 * Uevent injection into a chosen network namespace (NSLINK_CMD_INJECT).
 *
 * The request names a target netns (fd or pid) and carries up to
 * NSLINK_INJECT_MAX_BATCH uevents in the kernel's own format. Every event is
 * validated before any is sent. Delivery then does what the kernel does for
 * a uevent tagged with that netns (lib/kobject_uevent.c,
 * uevent_net_broadcast_tagged()): SEQNUM= from the global uevent_seqnum,
 * taken under uevent_sock_mutex together with the broadcast, portid 0,
 * group 1, and the credentials of root in the user namespace owning the
 * netns (no id at all where that namespace maps no root).
 *
 * The socket is a kernel socket (sock_create_kern()): LSMs see it as the
 * kernel's, as they see the kernel's own uevent sockets, and check only
 * the caller's generic netlink socket. Who may inject is decided here, by
 * the same test the kernel applies to a uevent written to the target's
 * own uevent socket: CAP_SYS_ADMIN over the user namespace owning it.
 *
 * The target's own uevent socket (net->uevent_sock) is private to
 * lib/kobject_uevent.c, so each request opens a kernel socket of protocol
 * NETLINK_KOBJECT_UEVENT in the target netns and broadcasts through it:
 * netlink_broadcast() matches listeners by protocol, netns and group, and
 * never delivers to the sending socket itself.
 */
#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "nslink.h"
#include "genl.h"
#include "inject.h"
#include "symbols.h"

static atomic64_t nslink_injected = ATOMIC64_INIT(0);
static atomic64_t nslink_inject_refused = ATOMIC64_INIT(0);

/* Not exported: resolved once at load, see nslink_inject_init(). */
#ifdef COMPAT_UEVENT_SEQNUM_ATOMIC64
static atomic64_t *nslink_uevent_seqnum;
#else
static u64 *nslink_uevent_seqnum;
static struct mutex *nslink_uevent_sock_mutex;
#endif
/*
 * Kbuild reads <linux/kobject.h> to tell whether uevent_seqnum is an
 * atomic64_t (COMPAT_UEVENT_SEQNUM_ATOMIC64); the compiler checks that
 * reading against the declaration itself, so that a header Kbuild misread
 * fails the build rather than the kernel's sequence numbers.
 */
#ifdef COMPAT_UEVENT_SEQNUM_ATOMIC64
static_assert(__same_type(uevent_seqnum, atomic64_t),
	      "nslink: Kbuild took uevent_seqnum for an atomic64_t, <linux/kobject.h> disagrees");
#else
static_assert(__same_type(uevent_seqnum, u64),
	      "nslink: Kbuild took uevent_seqnum for a u64, <linux/kobject.h> disagrees");
#endif

/* Both found and verified: INJECT works (NSLINK_F_INJECT). */
static bool nslink_inject_ok;

/* "SEQNUM=" + at most 20 digits + '\0' */
#define SEQNUM_MAX_LEN (sizeof("SEQNUM=") + 20)

static const char *const nslink_uevent_actions[] = {
	"add", "remove", "change", "move", "online", "offline", "bind", "unbind",
};

int nslink_inject_fill_stats(struct sk_buff *msg)
{
	if (nla_put_u64_64bit(msg, NSLINK_A_STATS_INJECTED,
			      atomic64_read(&nslink_injected), NSLINK_A_PAD) ||
	    nla_put_u64_64bit(msg, NSLINK_A_STATS_INJECT_REFUSED,
			      atomic64_read(&nslink_inject_refused), NSLINK_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/* Length of "SEQNUM=<seq>\0". */
static unsigned int seqnum_len(u64 seq)
{
	unsigned int n = sizeof("SEQNUM=");	/* counts the '\0' */

	do {
		n++;
		seq /= 10;
	} while (seq);
	return n;
}

/* Does var (a NUL-terminated variable) start with "KEY="? */
static bool var_is(const char *var, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(var, key, n) && var[n] == '=';
}

/*
 * Check one uevent against the rules in the UAPI header, except the size
 * with SEQNUM, which is only known under the lock. Returns 0 or -EINVAL
 * with the extack pointing at attr.
 */
static int nslink_inject_validate(const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	const char *buf = nla_data(attr), *end, *var, *at;
	const char *action, *devpath;
	size_t action_len, devpath_len;
	bool subsystem = false;
	int len = nla_len(attr);
	unsigned int i, n;

	if (len < 1 || buf[len - 1] != '\0') {
		NL_SET_ERR_MSG_ATTR(extack, attr, "uevent does not end in \\0");
		return -EINVAL;
	}
	/* Even with the shortest SEQNUM= it cannot fit. */
	if (len + seqnum_len(0) > UEVENT_BUFFER_SIZE) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "uevent message too big");
		return -EINVAL;
	}
	end = buf + len;

	/* The header: ACTION@DEVPATH. */
	at = strchr(buf, '@');
	if (!at) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "uevent header is not ACTION@DEVPATH");
		return -EINVAL;
	}
	action = buf;
	action_len = at - buf;
	devpath = at + 1;
	devpath_len = strlen(devpath);
	for (i = 0; i < ARRAY_SIZE(nslink_uevent_actions); i++)
		if (strlen(nslink_uevent_actions[i]) == action_len &&
		    !memcmp(nslink_uevent_actions[i], action, action_len))
			break;
	if (i == ARRAY_SIZE(nslink_uevent_actions)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "unknown uevent action: not one of add remove change move online offline bind unbind");
		return -EINVAL;
	}
	if (devpath[0] != '/') {
		NL_SET_ERR_MSG_ATTR(extack, attr, "uevent DEVPATH is not absolute");
		return -EINVAL;
	}

	/* The variables; the first two repeat the header. */
	for (var = devpath + devpath_len + 1, n = 0; var < end;
	     var += strlen(var) + 1, n++) {
		const char *eq = strchr(var, '=');

		if (!eq || eq == var) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "uevent variable is not KEY=VALUE");
			return -EINVAL;
		}
		if (var_is(var, "SEQNUM")) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "uevent carries SEQNUM=: the kernel assigns it, remove it");
			return -EINVAL;
		}
		if (n == 0) {
			if (!var_is(var, "ACTION")) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "first uevent variable is not ACTION=");
				return -EINVAL;
			}
			if (strlen(eq + 1) != action_len ||
			    memcmp(eq + 1, action, action_len)) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "uevent ACTION= does not match its header");
				return -EINVAL;
			}
			continue;
		}
		if (n == 1) {
			if (!var_is(var, "DEVPATH")) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "second uevent variable is not DEVPATH=");
				return -EINVAL;
			}
			if (strcmp(eq + 1, devpath)) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "uevent DEVPATH= does not match its header");
				return -EINVAL;
			}
			continue;
		}
		if (var_is(var, "ACTION") || var_is(var, "DEVPATH")) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "uevent repeats ACTION= or DEVPATH=");
			return -EINVAL;
		}
		if (var_is(var, "SUBSYSTEM")) {
			if (subsystem) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "uevent repeats SUBSYSTEM=");
				return -EINVAL;
			}
			if (!eq[1]) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "uevent SUBSYSTEM= is empty");
				return -EINVAL;
			}
			subsystem = true;
		}
	}
	if (n < 2) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "uevent lacks ACTION= and DEVPATH= after its header");
		return -EINVAL;
	}
	if (!subsystem) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "uevent has no SUBSYSTEM=");
		return -EINVAL;
	}
	return 0;
}

/* The target: exactly one of NSLINK_A_INJ_NETNS_FD and _PID. */
static struct net *nslink_inject_target(struct genl_info *info)
{
	struct nlattr *fd = info->attrs[NSLINK_A_INJ_NETNS_FD];
	struct nlattr *pid = info->attrs[NSLINK_A_INJ_NETNS_PID];
	struct net *net;

	if (fd && pid) {
		NL_SET_ERR_MSG_ATTR(info->extack, pid,
				    "give the target netns as an fd or a pid, not both");
		return ERR_PTR(-EINVAL);
	}
	if (fd) {
		net = get_net_ns_by_fd(nla_get_u32(fd));
		if (PTR_ERR_OR_ZERO(net) == -EBADF)
			NL_SET_ERR_MSG_ATTR(info->extack, fd,
					    "netns fd is not an open file descriptor");
		else if (IS_ERR(net))
			NL_SET_ERR_MSG_ATTR(info->extack, fd,
					    "netns fd does not refer to a network namespace");
		return net;
	}
	if (pid) {
		net = get_net_ns_by_pid(nla_get_u32(pid));
		if (IS_ERR(net))
			NL_SET_ERR_MSG_ATTR(info->extack, pid,
					    "no process with this pid in the caller's pid namespace");
		return net;
	}
	NL_SET_ERR_MSG(info->extack,
		       "no target netns: give NSLINK_A_INJ_NETNS_FD or NSLINK_A_INJ_NETNS_PID");
	return ERR_PTR(-EINVAL);
}

/*
 * Lock out kernel uevents and other writers, and take n consecutive
 * sequence numbers if every event still fits with its SEQNUM=. Returns the
 * first one, or 0 with the extack set; on success the caller sends and
 * then calls nslink_seqnum_unlock().
 */
#ifdef COMPAT_UEVENT_SEQNUM_ATOMIC64
/*
 * The kernel no longer holds a lock across its own broadcasts: reserve the
 * whole range at once, so that a refused batch consumes no number.
 */
static u64 nslink_seqnum_reserve(struct sk_buff **skbs, struct nlattr **attrs,
				 unsigned int n, struct netlink_ext_ack *extack)
{
	s64 cur = atomic64_read(nslink_uevent_seqnum);
	unsigned int i;

	do {
		for (i = 0; i < n; i++) {
			if (skbs[i]->len + seqnum_len(cur + 1 + i) > UEVENT_BUFFER_SIZE) {
				NL_SET_ERR_MSG_ATTR(extack, attrs[i], "uevent message too big");
				return 0;
			}
		}
	} while (!atomic64_try_cmpxchg(nslink_uevent_seqnum, &cur, cur + n));
	return cur + 1;
}

static void nslink_seqnum_unlock(void)
{
}
#else
static u64 nslink_seqnum_reserve(struct sk_buff **skbs, struct nlattr **attrs,
				 unsigned int n, struct netlink_ext_ack *extack)
{
	u64 first;
	unsigned int i;

	mutex_lock(nslink_uevent_sock_mutex);
	first = *nslink_uevent_seqnum + 1;
	for (i = 0; i < n; i++) {
		if (skbs[i]->len + seqnum_len(first + i) > UEVENT_BUFFER_SIZE) {
			mutex_unlock(nslink_uevent_sock_mutex);
			NL_SET_ERR_MSG_ATTR(extack, attrs[i], "uevent message too big");
			return 0;
		}
	}
	*nslink_uevent_seqnum += n;
	return first;
}

static void nslink_seqnum_unlock(void)
{
	mutex_unlock(nslink_uevent_sock_mutex);
}
#endif

/* A uevent as kobject_uevent() would have built it, SEQNUM= still missing. */
static struct sk_buff *nslink_inject_skb(const struct nlattr *attr,
					 kuid_t uid, kgid_t gid)
{
	struct netlink_skb_parms *parms;
	struct sk_buff *skb;

	skb = alloc_skb(nla_len(attr) + SEQNUM_MAX_LEN, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_put_data(skb, nla_data(attr), nla_len(attr));
	parms = &NETLINK_CB(skb);
	parms->creds.uid = uid;
	parms->creds.gid = gid;
	parms->portid = 0;
	parms->dst_group = 1;
	return skb;
}

/* Validate every uevent of the request; returns how many, or -errno. */
static int nslink_inject_count(struct genl_info *info)
{
	struct nlattr *attr;
	int n = 0, rem, ret;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != NSLINK_A_INJ_UEVENT)
			continue;
		if (n == NSLINK_INJECT_MAX_BATCH) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many uevents in one request (NSLINK_INJECT_MAX_BATCH)");
			return -EINVAL;
		}
		ret = nslink_inject_validate(attr, info->extack);
		if (ret)
			return ret;
		n++;
	}
	if (!n) {
		NL_SET_ERR_MSG(info->extack,
			       "no uevent: give at least one NSLINK_A_INJ_UEVENT");
		return -EINVAL;
	}
	return n;
}

int nslink_inject_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	kuid_t uid;
	kgid_t gid;
	struct nlattr **attrs = NULL;
	struct sk_buff **skbs = NULL;
	struct socket *usock;
	struct sk_buff *reply;
	struct nlattr *attr;
	unsigned int i, n;
	struct net *net;
	int ret, rem;
	u64 first;
	void *hdr;

	if (!nslink_inject_ok) {
		NL_SET_ERR_MSG(extack,
			       "nslink: uevent injection is off on this kernel: its uevent sequence number could not be found safely (the kernel log says why)");
		ret = -EOPNOTSUPP;
		goto out_refused;
	}
	net = nslink_inject_target(info);
	if (IS_ERR(net)) {
		ret = PTR_ERR(net);
		goto out_refused;
	}
	if (!netlink_ns_capable(skb, net->user_ns, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(extack,
			       "missing CAP_SYS_ADMIN in the user namespace that owns the target netns");
		ret = -EPERM;
		goto out_net;
	}
	ret = nslink_inject_count(info);
	if (ret < 0)
		goto out_net;
	n = ret;

	/* Everything that can fail for want of memory, before anything is
	 * sent: the reply, and each event with room for its SEQNUM=. */
	ret = -ENOMEM;
	reply = genlmsg_new(n * nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!reply)
		goto out_net;
	hdr = genlmsg_put_reply(reply, info, &nslink_genl_family, 0,
				NSLINK_CMD_INJECT);
	if (!hdr)
		goto out_reply;
	attrs = kcalloc(n, sizeof(*attrs), GFP_KERNEL);
	skbs = kcalloc(n, sizeof(*skbs), GFP_KERNEL);
	if (!attrs || !skbs)
		goto out_skbs;
	/*
	 * The credentials: root of the user namespace that owns the netns,
	 * as the kernel's own tagged uevents carry. Where that namespace maps
	 * no uid 0 (an unprivileged `unshare -U -n` with no uid_map), there
	 * is no such root, and the event carries no id at all (INVALID_UID,
	 * which every receiver reads as the overflow id, 65534): never the
	 * initial namespace's root, which net_ns_get_ownership() would leave
	 * in place. The same for gid 0.
	 */
	uid = make_kuid(net->user_ns, 0);
	gid = make_kgid(net->user_ns, 0);
	i = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != NSLINK_A_INJ_UEVENT)
			continue;
		attrs[i] = attr;
		skbs[i] = nslink_inject_skb(attr, uid, gid);
		if (!skbs[i])
			goto out_skbs;
		i++;
	}
	ret = sock_create_kern(net, PF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT,
			       &usock);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot open a uevent socket in the target netns");
		goto out_skbs;
	}

	first = nslink_seqnum_reserve(skbs, attrs, n, extack);
	if (!first) {
		ret = -EINVAL;
		sock_release(usock);
		goto out_skbs;
	}
	for (i = 0; i < n; i++) {
		char seqnum[SEQNUM_MAX_LEN];
		int len;

		len = snprintf(seqnum, sizeof(seqnum), "SEQNUM=%llu", first + i);
		skb_put_data(skbs[i], seqnum, len + 1);
		/* Like the kernel: no listener (-ESRCH) or a full listener
		 * (-ENOBUFS) is the listener's business, not an error. */
		netlink_broadcast(usock->sk, skbs[i], 0, 1, GFP_KERNEL);
		skbs[i] = NULL;
	}
	nslink_seqnum_unlock();
	sock_release(usock);
	kfree(skbs);
	kfree(attrs);
	put_net(net);
	atomic64_add(n, &nslink_injected);

	/* Sized for n above: cannot fail. */
	for (i = 0; i < n; i++)
		nla_put_u64_64bit(reply, NSLINK_A_INJ_SEQNUM, first + i,
				  NSLINK_A_PAD);
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);

out_skbs:
	if (skbs)
		for (i = 0; i < n; i++)
			kfree_skb(skbs[i]);
	kfree(skbs);
	kfree(attrs);
out_reply:
	nlmsg_free(reply);
out_net:
	put_net(net);
out_refused:
	atomic64_inc(&nslink_inject_refused);
	return ret;
}

u64 nslink_inject_features(void)
{
	return nslink_inject_ok ? NSLINK_F_INJECT : 0;
}

int __init nslink_inject_init(void)
{
	nslink_uevent_seqnum = (void *)nslink_symbol_data("uevent_seqnum");
#ifndef COMPAT_UEVENT_SEQNUM_ATOMIC64
	nslink_uevent_sock_mutex = (void *)nslink_symbol_data("uevent_sock_mutex");
	nslink_inject_ok = nslink_uevent_seqnum && nslink_uevent_sock_mutex;
#else
	nslink_inject_ok = nslink_uevent_seqnum;
#endif
	if (!nslink_inject_ok)
		pr_err(NSLINK_PFX "uevent injection is off: the kernel's uevent sequence number cannot be had safely (see above); namespace events work\n");
	return 0;
}

void nslink_inject_uninit(void)
{
	/* Nothing to undo: requests hold no state once they return, and
	 * genl_unregister_family() has waited for the last one. */
}
