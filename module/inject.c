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
 * With NSLINK_A_INJ_GROUP = NSLINK_INJECT_GROUP_UDEV the events go to
 * group 2 instead, as systemd-udevd sends them after its rules
 * (device_monitor_send_device()): libudev's header, which this file builds
 * from the properties with udevhash.h, then the properties without the
 * "ACTION@DEVPATH" line. There SEQNUM= may come from the sender (the kernel
 * event's, which must have happened: not above uevent_seqnum); without it
 * one is taken as for group 1.
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
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <asm/byteorder.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "nslink.h"
#include "genl.h"
#include "inject.h"
#include "symbols.h"
#include "udevhash.h"

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

/* libudev's message header (systemd's struct monitor_netlink_header). */
struct nslink_udev_hdr {
	char prefix[8];			/* "libudev" */
	__be32 magic;			/* NSLINK_UDEV_MONITOR_MAGIC */
	u32 header_size;
	u32 properties_off;
	u32 properties_len;
	__be32 subsystem_hash;
	__be32 devtype_hash;
	__be32 tag_bloom_hi;
	__be32 tag_bloom_lo;
};
static_assert(sizeof(struct nslink_udev_hdr) == NSLINK_UDEV_HEADER_SIZE,
	      "nslink: libudev's header is 40 bytes");

/* One event of a request. */
struct nslink_inj_ev {
	const struct nlattr *attr;
	struct sk_buff *skb;
	u64 seqnum;		/* the udev group's SEQNUM= as given, or 0 */
};

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

/* The udev group's SEQNUM=: decimal digits only, not 0. */
static int nslink_udev_seqnum(const char *val, u64 *seqnum)
{
	const char *p;

	for (p = val; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	if (p == val || kstrtou64(val, 10, seqnum) || !*seqnum)
		return -EINVAL;
	return 0;
}

/* sd-device refuses a tag with a space in it, and the whole event with it. */
static bool nslink_udev_tags_ok(const char *val)
{
	return !strchr(val, ' ');
}

/*
 * Check one uevent against the rules in the UAPI header, except the size
 * with a new SEQNUM, which is only known under the lock. For the udev
 * group, *seqnum gets the SEQNUM= given, or 0. Returns 0 or -EINVAL with
 * the extack pointing at attr.
 */
static int nslink_inject_validate(const struct nlattr *attr, bool udev,
				  u64 *seqnum, struct netlink_ext_ack *extack)
{
	const char *buf = nla_data(attr), *end, *var, *at;
	const char *action, *devpath;
	size_t action_len, devpath_len;
	bool subsystem = false;
	int len = nla_len(attr);
	unsigned int i, n;

	*seqnum = 0;
	if (len < 1 || buf[len - 1] != '\0') {
		NL_SET_ERR_MSG_ATTR(extack, attr, "uevent does not end in \\0");
		return -EINVAL;
	}
	/* Even with the shortest SEQNUM= it cannot fit (for the udev group,
	 * the "ACTION@DEVPATH" line is not sent, the header is: checked
	 * below). */
	if (!udev && len + seqnum_len(0) > UEVENT_BUFFER_SIZE) {
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
		if (var_is(var, "SEQNUM") && !udev) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "uevent carries SEQNUM=: the kernel assigns it, remove it");
			return -EINVAL;
		}
		if (var_is(var, "SEQNUM")) {
			if (*seqnum) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "udev event repeats SEQNUM=");
				return -EINVAL;
			}
			if (nslink_udev_seqnum(eq + 1, seqnum)) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "udev event SEQNUM= is not a decimal number above 0");
				return -EINVAL;
			}
		}
		if (udev && (var_is(var, "TAGS") || var_is(var, "CURRENT_TAGS")) &&
		    !nslink_udev_tags_ok(eq + 1)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "udev event TAGS= or CURRENT_TAGS= has a tag with a space, which libudev refuses");
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
	/* The header, the properties (without the ACTION@DEVPATH line) and,
	 * unless given, the shortest SEQNUM=. */
	if (udev && sizeof(struct nslink_udev_hdr) + (end - (devpath + devpath_len + 1)) +
		    (*seqnum ? 0 : seqnum_len(0)) > NSLINK_UDEV_BUFFER_SIZE) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "udev message too big");
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
 * Under the sequence (locked, or read once where it is an atomic64_t):
 * can the events that need a new SEQNUM (all of group 1; those of group 2
 * without one) take the numbers from cur + 1 on, in order, and still fit
 * in limit, and is no SEQNUM given above cur? Returns how many need one,
 * or -EINVAL with the extack set.
 */
static int nslink_seqnum_check(const struct nslink_inj_ev *ev, unsigned int n,
			       u64 cur, unsigned int limit, bool udev,
			       struct netlink_ext_ack *extack)
{
	unsigned int i, fresh = 0;

	for (i = 0; i < n; i++) {
		if (ev[i].seqnum > cur) {
			NL_SET_ERR_MSG_ATTR(extack, ev[i].attr,
					    "udev event SEQNUM= is above the kernel's uevent sequence number: give the SEQNUM of a uevent that happened, or none");
			return -EINVAL;
		}
		if (ev[i].seqnum)
			continue;
		fresh++;
		if (ev[i].skb->len + seqnum_len(cur + fresh) > limit) {
			if (udev)
				NL_SET_ERR_MSG_ATTR(extack, ev[i].attr, "udev message too big");
			else
				NL_SET_ERR_MSG_ATTR(extack, ev[i].attr, "uevent message too big");
			return -EINVAL;
		}
	}
	return fresh;
}

/*
 * Lock out kernel uevents and other writers, check the events against the
 * sequence (nslink_seqnum_check()), and take consecutive sequence numbers
 * for those that need one. Returns the first one (0 where none was
 * needed: then no number was taken), or -EINVAL with the extack set; on
 * success the caller sends and then calls nslink_seqnum_unlock().
 */
#ifdef COMPAT_UEVENT_SEQNUM_ATOMIC64
/*
 * The kernel no longer holds a lock across its own broadcasts: reserve the
 * whole range at once, so that a refused batch consumes no number.
 */
static s64 nslink_seqnum_reserve(const struct nslink_inj_ev *ev, unsigned int n,
				 unsigned int limit, bool udev,
				 struct netlink_ext_ack *extack)
{
	s64 cur = atomic64_read(nslink_uevent_seqnum);
	int fresh;

	do {
		fresh = nslink_seqnum_check(ev, n, cur, limit, udev, extack);
		if (fresh <= 0)
			return fresh;
	} while (!atomic64_try_cmpxchg(nslink_uevent_seqnum, &cur, cur + fresh));
	return cur + 1;
}

static void nslink_seqnum_unlock(void)
{
}
#else
static s64 nslink_seqnum_reserve(const struct nslink_inj_ev *ev, unsigned int n,
				 unsigned int limit, bool udev,
				 struct netlink_ext_ack *extack)
{
	u64 cur;
	int fresh;

	mutex_lock(nslink_uevent_sock_mutex);
	cur = *nslink_uevent_seqnum;
	fresh = nslink_seqnum_check(ev, n, cur, limit, udev, extack);
	if (fresh < 0) {
		mutex_unlock(nslink_uevent_sock_mutex);
		return fresh;
	}
	*nslink_uevent_seqnum += fresh;
	return fresh ? cur + 1 : 0;
}

static void nslink_seqnum_unlock(void)
{
	mutex_unlock(nslink_uevent_sock_mutex);
}
#endif

/* Iterate the variables from var up to end, each ending in '\0'. */
#define for_each_var(var, end) \
	for (; (var) < (end); (var) += strlen(var) + 1)

/*
 * libudev's header and the properties (the variables after the
 * "ACTION@DEVPATH" line), SEQNUM= still missing where none was given;
 * properties_len grows as it is appended.
 */
static void nslink_udev_fill(struct sk_buff *skb, const struct nlattr *attr)
{
	const char *buf = nla_data(attr), *end = buf + nla_len(attr), *var, *val;
	struct nslink_udev_hdr *hdr;
	u64 bloom = 0;

	var = buf + strlen(buf) + 1;
	hdr = skb_put_zero(skb, sizeof(*hdr));
	memcpy(hdr->prefix, "libudev", sizeof(hdr->prefix));
	hdr->magic = cpu_to_be32(NSLINK_UDEV_MONITOR_MAGIC);
	hdr->header_size = sizeof(*hdr);
	hdr->properties_off = sizeof(*hdr);
	hdr->properties_len = end - var;
	skb_put_data(skb, var, end - var);
	/* As sd-device reads them back: the last DEVTYPE= counts, an empty
	 * one is none (hash 0); SUBSYSTEM= is there once, not empty. */
	for_each_var(var, end) {
		val = strchr(var, '=') + 1;
		if (var_is(var, "SUBSYSTEM"))
			hdr->subsystem_hash = cpu_to_be32(nslink_murmur2(val, strlen(val)));
		else if (var_is(var, "DEVTYPE"))
			hdr->devtype_hash = *val ?
				cpu_to_be32(nslink_murmur2(val, strlen(val))) : 0;
		else if (var_is(var, "TAGS") || var_is(var, "CURRENT_TAGS"))
			bloom |= nslink_tags_bloom(val);
	}
	hdr->tag_bloom_hi = cpu_to_be32(bloom >> 32);
	hdr->tag_bloom_lo = cpu_to_be32(bloom & 0xffffffff);
}

/*
 * A uevent as kobject_uevent() would have built it, or a udev message as
 * udevd would have, SEQNUM= still missing where it is to be assigned.
 */
static struct sk_buff *nslink_inject_skb(const struct nlattr *attr, bool udev,
					 kuid_t uid, kgid_t gid)
{
	struct netlink_skb_parms *parms;
	struct sk_buff *skb;

	skb = alloc_skb((udev ? sizeof(struct nslink_udev_hdr) : 0) +
			nla_len(attr) + SEQNUM_MAX_LEN, GFP_KERNEL);
	if (!skb)
		return NULL;
	if (udev)
		nslink_udev_fill(skb, attr);
	else
		skb_put_data(skb, nla_data(attr), nla_len(attr));
	parms = &NETLINK_CB(skb);
	parms->creds.uid = uid;
	parms->creds.gid = gid;
	parms->portid = 0;
	parms->dst_group = udev ? NSLINK_INJECT_GROUP_UDEV : NSLINK_INJECT_GROUP_KERNEL;
	return skb;
}

/* Append "SEQNUM=<seq>\0" (room was left for it). */
static void nslink_inject_put_seqnum(struct sk_buff *skb, u64 seq, bool udev)
{
	char seqnum[SEQNUM_MAX_LEN];
	int len;

	len = snprintf(seqnum, sizeof(seqnum), "SEQNUM=%llu", seq);
	skb_put_data(skb, seqnum, len + 1);
	if (udev)
		((struct nslink_udev_hdr *)skb->data)->properties_len += len + 1;
}

/* Validate every uevent of the request; returns how many, or -errno. */
static int nslink_inject_count(struct genl_info *info, bool udev)
{
	struct nlattr *attr;
	int n = 0, rem, ret;
	u64 seqnum;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != NSLINK_A_INJ_UEVENT)
			continue;
		if (n == NSLINK_INJECT_MAX_BATCH) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many uevents in one request (NSLINK_INJECT_MAX_BATCH)");
			return -EINVAL;
		}
		ret = nslink_inject_validate(attr, udev, &seqnum, info->extack);
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
	struct nslink_inj_ev *ev = NULL;
	unsigned int i, n, limit;
	struct socket *usock;
	struct sk_buff *reply;
	struct nlattr *attr;
	struct net *net;
	int ret, rem;
	bool udev;
	kuid_t uid;
	kgid_t gid;
	s64 first;
	void *hdr;

	if (!nslink_inject_ok) {
		if (!COMPAT_DATA_SYMBOLS)
			NL_SET_ERR_MSG(extack,
				       "nslink: uevent injection is off on this kernel: it is built without CONFIG_KALLSYMS_ALL, so its uevent sequence number cannot be found (a kernel built with it injects)");
		else
			NL_SET_ERR_MSG(extack,
				       "nslink: uevent injection is off on this kernel: its uevent sequence number could not be found safely (the kernel log says why)");
		ret = -EOPNOTSUPP;
		goto out_refused;
	}
	/* The policy allows NSLINK_INJECT_GROUP_KERNEL and _UDEV only. */
	udev = info->attrs[NSLINK_A_INJ_GROUP] &&
	       nla_get_u8(info->attrs[NSLINK_A_INJ_GROUP]) == NSLINK_INJECT_GROUP_UDEV;
	limit = udev ? NSLINK_UDEV_BUFFER_SIZE : UEVENT_BUFFER_SIZE;
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
	ret = nslink_inject_count(info, udev);
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
	ev = kcalloc(n, sizeof(*ev), GFP_KERNEL);
	if (!ev)
		goto out_reply;
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
		ev[i].attr = attr;
		/* Validated above: this only reads the SEQNUM= given. */
		if (udev)
			nslink_inject_validate(attr, true, &ev[i].seqnum, NULL);
		ev[i].skb = nslink_inject_skb(attr, udev, uid, gid);
		if (!ev[i].skb)
			goto out_skbs;
		i++;
	}
	ret = sock_create_kern(net, PF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT,
			       &usock);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot open a uevent socket in the target netns");
		goto out_skbs;
	}

	first = nslink_seqnum_reserve(ev, n, limit, udev, extack);
	if (first < 0) {
		ret = first;
		sock_release(usock);
		goto out_skbs;
	}
	for (i = 0; i < n; i++) {
		if (!ev[i].seqnum) {
			ev[i].seqnum = first++;
			nslink_inject_put_seqnum(ev[i].skb, ev[i].seqnum, udev);
		}
		/* Like the kernel: no listener (-ESRCH) or a full listener
		 * (-ENOBUFS) is the listener's business, not an error. */
		netlink_broadcast(usock->sk, ev[i].skb, 0,
				  NETLINK_CB(ev[i].skb).dst_group, GFP_KERNEL);
		ev[i].skb = NULL;
	}
	nslink_seqnum_unlock();
	sock_release(usock);
	put_net(net);
	atomic64_add(n, &nslink_injected);

	/* Sized for n above: cannot fail. */
	for (i = 0; i < n; i++)
		nla_put_u64_64bit(reply, NSLINK_A_INJ_SEQNUM, ev[i].seqnum,
				  NSLINK_A_PAD);
	kfree(ev);
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);

out_skbs:
	for (i = 0; i < n; i++)
		kfree_skb(ev[i].skb);
	kfree(ev);
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
	return nslink_inject_ok ? NSLINK_F_INJECT | NSLINK_F_INJECT_UDEV : 0;
}

int __init nslink_inject_init(void)
{
	if (!COMPAT_DATA_SYMBOLS) {
		pr_notice(NSLINK_PFX "uevent injection is off: this kernel is built without CONFIG_KALLSYMS_ALL, so its uevent sequence number cannot be found; namespace events work\n");
		return 0;
	}
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
