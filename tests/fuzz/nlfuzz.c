// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: generic netlink fuzzer for the nslink family.
 *
 * Raw AF_NETLINK/NETLINK_GENERIC sockets, so that any framing can be sent.
 * The family id, its command list and the "events" group are resolved
 * through the genl controller at run time. Every command of the contract in
 * include/uapi/linux/nslink.h is exercised, listed by the kernel or not;
 * unknown command numbers too. Messages are random, or built valid from the
 * contract and then mutated. Where the contract decides the outcome (a
 * valid request must be accepted, a bad uevent must be refused, an
 * unprivileged caller must get EPERM, ...) the outcome is checked; where it
 * does not, only the kernel's survival and the framing of its answers are.
 *
 * One request at a time: after each datagram a NOOP "sentinel" with
 * NLM_F_ACK is sent on the same socket, and the replies are read until its
 * ack (and the end of any dump) arrives, so no reply is ever lost or
 * misattributed and the socket cannot overrun.
 *
 * Valid injections go only to network namespaces this program creates
 * (throwaway netns, or one owned by a user namespace of its own). The
 * caller's own namespace, pid 1 and kernel threads are used as targets
 * only with payloads that must be refused, or when unprivileged.
 *
 * Usage: nlfuzz [--seed N] [--count N] [--verbose] [--expect-unprivileged]
 *               [--netns PATH]... [--print-stats]
 * Exit status: 0 all checks held, 1 a check failed, 2 could not run.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>

#include <linux/nslink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#define ENOTSUPP_COMPAT 524	/* the kernel's internal ENOTSUPP */
#ifndef NLMSGERR_ATTR_MISS_TYPE
#define NLMSGERR_ATTR_MISS_TYPE 5
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_MSG (160 * 1024)	/* largest datagram we build */
#define RCVBUF_LEN (512 * 1024)	/* one received datagram, at most */
/* Long enough for an emulated VM under load; a hang still fails. */
#define TIMEOUT_MS 20000

/* ---------------------------------------------------------------- PRNG */

static uint64_t rng[4];

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t rnd(void)
{
	uint64_t r = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;

	rng[2] ^= rng[0];
	rng[3] ^= rng[1];
	rng[1] ^= rng[2];
	rng[0] ^= rng[3];
	rng[2] ^= t;
	rng[3] = rotl(rng[3], 45);
	return r;
}

static void seed_rng(uint64_t seed)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {	/* splitmix64 */
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		rng[i] = z ^ (z >> 31);
	}
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static uint32_t range(uint32_t lo, uint32_t hi)
{
	return lo + below(hi - lo + 1);
}

static bool pct(unsigned int p)
{
	return below(100) < p;
}

/* ------------------------------------------------------------ buffers */

struct buf {
	uint8_t d[MAX_MSG + 4096];
	size_t len;
	bool full;	/* something did not fit: the message is cut */
};

static void *bput(struct buf *b, const void *p, size_t n)
{
	void *at = b->d + b->len;

	if (b->len + n > MAX_MSG) {
		b->full = true;
		return NULL;
	}
	if (p)
		memcpy(at, p, n);
	else
		memset(at, 0, n);
	b->len += n;
	return at;
}

static void bpad(struct buf *b)
{
	while ((b->len & 3) && b->len < MAX_MSG)
		b->d[b->len++] = 0;
}

static size_t attr_start(struct buf *b, uint16_t type)
{
	struct nlattr a = { .nla_len = 0, .nla_type = type };
	size_t off = b->len;

	bput(b, &a, sizeof(a));
	return off;
}

/* Close an attribute; pad unless told not to (odd lengths). */
static void attr_end(struct buf *b, size_t off, bool pad)
{
	size_t l = b->len - off;
	uint16_t l16 = l > 0xffff ? 0xffff : (uint16_t)l;

	if (off + 2 <= b->len)
		memcpy(b->d + off, &l16, 2);
	if (pad)
		bpad(b);
}

static void attr_put(struct buf *b, uint16_t type, const void *p, size_t n)
{
	size_t off = attr_start(b, type);

	if (n > 0xffff - NLA_HDRLEN)
		n = 0xffff - NLA_HDRLEN;
	bput(b, p, n);
	attr_end(b, off, true);
}

static void attr_u32(struct buf *b, uint16_t type, uint32_t v)
{
	attr_put(b, type, &v, sizeof(v));
}

static void attr_u8(struct buf *b, uint16_t type, uint8_t v)
{
	attr_put(b, type, &v, sizeof(v));
}

static size_t msg_start(struct buf *b, uint16_t type, uint16_t flags,
			uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr h = { .nlmsg_len = 0, .nlmsg_type = type,
			      .nlmsg_flags = flags, .nlmsg_seq = seq };
	struct genlmsghdr gh = { .cmd = cmd, .version = version };
	size_t off = b->len;

	bput(b, &h, sizeof(h));
	bput(b, &gh, sizeof(gh));
	return off;
}

static void msg_end(struct buf *b, size_t off)
{
	uint32_t l = (uint32_t)(b->len - off);

	memcpy(b->d + off, &l, sizeof(l));
}

/* ------------------------------------------------------- names, tables */

static const char *const cmd_names[] = {
	"UNSPEC(0)", "GET_INFO", "GET_STATS", "GET_TASKS", "EVENT",
	"SUBSCRIBE", "INJECT", "unknown(7-255)",
};
#define ROW_UNKNOWN 7
#define NROWS (8 * 2)	/* command row x {do, dump} */

static int row_of(unsigned int cmd, bool dump)
{
	return (cmd > NSLINK_CMD_MAX ? ROW_UNKNOWN : (int)cmd) * 2 + dump;
}

/* Case kinds: the shape of a message, or the mutation applied to it. */
enum kind {
	K_VALID, K_STRUCT, K_GARBAGE, K_WRONGLEN, K_ZEROLEN, K_ODDLEN,
	K_NESTFLAG, K_DEEPNEST, K_HUGE, K_REPEAT, K_UNKNOWNATTR, K_RANGE,
	K_TRUNC_NL, K_TRUNC_GENL, K_LEN_SHORT, K_LEN_TAIL, K_LEN_LONG,
	K_LEN_TINY, K_NOREQ, K_FLAGS, K_BITFLIP, K_TRUNC_TAIL, K_VERSION,
	K_MULTI, K_DUMP_CLOSE, K_DUMP_PARTIAL, K_DUMP_TINYBUF, K_DUMP_TWICE,
	K_SUB_CLOSE, K_NOEXTACK_SOCK, K_ECHO_SOCK,
	NKINDS
};
static const char *const kind_names[NKINDS] = {
	"valid request", "structured (contract decides)", "random attributes",
	"wrong attribute length", "zero-length attribute", "odd-length attribute",
	"NLA_F_NESTED misuse", "deeply nested garbage", "huge attribute",
	"repeated attribute", "unknown attribute type", "out of policy range",
	"truncated nlmsghdr", "truncated genlmsghdr", "nlmsg_len < buffer",
	"  ...the bytes after it", "nlmsg_len > buffer", "nlmsg_len < 16",
	"no NLM_F_REQUEST", "random nlmsg_flags", "bit flips", "cut at random",
	"genl version/reserved", "several in one datagram",
	"dump, socket closed at once", "dump, closed part-way",
	"dump, tiny receive buffer", "dump twice on one socket",
	"SUBSCRIBE, socket closed", "socket without NETLINK_EXT_ACK",
	"socket echoing requests (no CAP_ACK)",
};

enum tkind {
	T_NONE, T_BOTH, T_FD_BADLEN, T_PID_BADLEN, T_FD_TWICE,
	T_FD_M1, T_FD_HUGE, T_FD_CLOSED, T_FD_REG, T_FD_SOCK, T_FD_NETLINK,
	T_FD_MNTNS, T_FD_USERNS, T_FD_SELFNET, T_FD_RUNNETNS, T_FD_PROCCHILD,
	T_FD_OWNED, T_FD_EXTRA,
	T_PID_0, T_PID_NEG, T_PID_HUGE, T_PID_KTHREADD, T_PID_KTHREAD,
	T_PID_ZOMBIE, T_PID_EXITED, T_PID_SELF, T_PID_1, T_PID_CHILD,
	T_PID_OWNED,
	NTKINDS
};
static const char *const tkind_names[NTKINDS] = {
	"neither fd nor pid", "both fd and pid", "fd attribute, bad length",
	"pid attribute, bad length", "fd attribute twice",
	"fd -1", "fd huge", "fd closed", "fd regular file", "fd socket",
	"fd the netlink socket", "fd /proc/self/ns/mnt", "fd /proc/self/ns/user",
	"fd /proc/self/ns/net (own)", "fd /run/netns (throwaway)",
	"fd /proc/CHILD/ns/net (throwaway)", "fd netns of own userns",
	"fd --netns", "pid 0", "pid negative", "pid huge", "pid 2 (kthreadd)",
	"pid kernel thread", "pid zombie", "pid exited", "pid self",
	"pid 1", "pid child (throwaway)", "pid child (own userns)",
};

enum pkind {
	P_VALID, P_NEAR_OK, P_BOUND_OK, P_BOUND_BAD, P_BOUND_MAYBE, P_TOOBIG,
	P_HUGE, P_NONUL, P_BADACTION, P_RELPATH, P_NOSUBSYS, P_EMPTYSUBSYS,
	P_KEYNOEQ, P_EMPTYKEY, P_SEQNUM, P_ACTMISMATCH, P_PATHMISMATCH, P_NOAT,
	P_FIRSTNOTACTION, P_ONLYHEADER, P_EMPTYVAR, P_ZEROLEN, P_RANDOM,
	P_NOUEVENT, P_BATCH_VALID, P_BATCH_ONEBAD, P_TOOMANY, P_MAXBATCH,
	NPKINDS
};
static const char *const pkind_names[NPKINDS] = {
	"valid uevent", "valid, near 2048", "exactly at 2048 (fits)",
	"one byte over 2048", "2048 boundary (racy)", "over 2048",
	"far over 2048", "no NUL terminator", "bad action", "relative devpath",
	"no SUBSYSTEM", "empty SUBSYSTEM", "KEY without '='", "empty KEY",
	"sender SEQNUM=", "ACTION= differs from header",
	"DEVPATH= differs from header", "header without '@'",
	"first variable not ACTION=", "header only", "empty variable",
	"zero-length uevent", "random bytes", "no uevent attribute",
	"batch, all valid", "batch, one bad in the middle",
	"batch over NSLINK_INJECT_MAX_BATCH", "batch of NSLINK_INJECT_MAX_BATCH",
};

/* ------------------------------------------------------- global state */

enum expect {
	EX_ANY,		/* anything but a crash or a malformed answer */
	EX_ACCEPT,	/* command listed: must be accepted */
	EX_REFUSE,	/* must be answered with an error */
	EX_NOACCEPT,	/* must not be accepted (silence allowed) */
	EX_EPERM,	/* command listed: error must be EPERM */
	EX_EINVAL_BIG,	/* command listed: EINVAL, "uevent message too big" */
	EX_IGNORED,	/* not a request: no reply, at most an ack 0 */
};
static const char *const expect_names[] = {
	"anything", "accepted", "refused", "not accepted", "EPERM",
	"EINVAL \"uevent message too big\"", "ignored",
};

struct sk {
	int fd;
	bool cap_ack, ext_ack;
	int running;		/* dumps in progress on this socket */
};

struct req {
	uint32_t seq;
	bool live;
	int row, kind, tkind, pkind;
	uint8_t cmd;
	bool dump, request, framed, ext_ack, host_target, unsent;
	int expect;
	int nuev;		/* uevents in an INJECT, -1 unknown */
	/* outcome */
	bool replied, final, running;
	int err;
	char ext[200];
	bool has_ext;
	int nseq, parts;
	uint64_t first_seqnum, last_seqnum;
	uint64_t dump_seq;
	bool have_dump_seq;
};

#define RING 4096
static struct req ring[RING];
static uint32_t next_seq = 1000;

struct rowstat {
	unsigned long sent, acc, ref, silent, ignored, noext;
	unsigned long err[256];
};

struct kstat {
	unsigned long sent, acc, ref, silent;
};

struct ext_entry {
	char msg[200];
	int err, row;
	unsigned long n;
};

struct noext_entry {
	int row, err;
	unsigned long n;
};

#define MAX_EXT 256
#define MAX_TARGETS 64

struct target {
	int tk;
	bool fd;
	uint32_t val;
	int cls;
};
enum { TC_INVALID, TC_HOST, TC_THROW, TC_OWNED, TC_UNKNOWN };

static struct {
	uint64_t seed;
	unsigned long count;
	bool verbose, expect_unpriv, print_stats;
	bool priv;		/* CAP_SYS_ADMIN in the initial user namespace */
	bool inject_off;	/* GET_INFO's features lack NSLINK_F_INJECT */
	bool init_netns;	/* our netns is init_net (known for root) */
	uint16_t family;
	uint32_t events_grp;
	uint32_t ops[256];	/* controller's op flags, 0x80000000 = listed */
	struct sk main, echo, noext, events;
	struct buf b;
	uint8_t rx[RCVBUF_LEN];
	unsigned long msgs, datagrams, send_err, enobufs, timeouts, unsent;
	unsigned long send_errno[256];
	unsigned long acked_uevents, events_seen, events_enobufs;
	uint64_t last_event_seq, uevent_seqnum0, max_seqnum;
	uint64_t min_seqnum;
	struct rowstat rows[NROWS];
	struct kstat kinds[NKINDS], tkinds[NTKINDS], pkinds[NPKINDS];
	uint8_t unknown_seen[256 / 8];
	struct ext_entry ext[MAX_EXT];
	int next_ext;
	unsigned long ext_other;
	struct noext_entry noext_tab[64];
	int n_noext;
	unsigned long noext_core;
	unsigned long violations, anomalies;
	unsigned long dumps_done, dumps_interrupted, dump_parts;
	struct target targets[MAX_TARGETS];
	int ntargets;
	int tk_first[NTKINDS], tk_count[NTKINDS];
	pid_t children[8];
	int nchildren;
	pid_t zombie, exited;
	char run_netns[64];
	bool have_owned;
	const char *extra_netns[8];
	int n_extra;
	int case_reqs[16];
	int ncase_reqs;
} g;

#define LISTED 0x80000000u

static bool listed(uint8_t cmd, bool dump)
{
	uint32_t f = g.ops[cmd];

	if (!(f & LISTED))
		return false;
	return dump ? (f & GENL_CMD_CAP_DUMP) : (f & GENL_CMD_CAP_DO);
}

static void violation(const struct req *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void anomaly(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void violation(const struct req *r, const char *fmt, ...)
{
	va_list ap;

	g.violations++;
	if (g.violations > 20 && !g.verbose)
		return;
	fprintf(stderr, "nlfuzz: VIOLATION seq %u %s%s kind '%s'",
		r->seq, cmd_names[r->row / 2], r->dump ? " (dump)" : "",
		kind_names[r->kind]);
	if (r->tkind >= 0)
		fprintf(stderr, " target '%s'", tkind_names[r->tkind]);
	if (r->pkind >= 0)
		fprintf(stderr, " payload '%s'", pkind_names[r->pkind]);
	fprintf(stderr, ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static void anomaly(const char *fmt, ...)
{
	va_list ap;

	g.anomalies++;
	if (g.anomalies > 20 && !g.verbose)
		return;
	fprintf(stderr, "nlfuzz: ANOMALY: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static void die(const char *what)
{
	fprintf(stderr, "nlfuzz: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* ------------------------------------------------------------ sockets */

static int sk_open(struct sk *s, bool cap_ack, bool ext_ack, int rcvbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, big = 4 << 20;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -1;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	s->cap_ack = cap_ack;
	s->ext_ack = ext_ack;
	if (ext_ack)
		setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (cap_ack)
		setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (rcvbuf) {
		if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
			setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	}
	if (setsockopt(s->fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)))
		setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	return 0;
}

static int sk_send(const struct sk *s, const void *p, size_t n)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t r;

	do
		r = sendto(s->fd, p, n, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

/* Receive one datagram; 0 on timeout, -errno on error. */
static ssize_t sk_recv(const struct sk *s, void *p, size_t n, int timeout_ms)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	for (;;) {
		ssize_t r = recv(s->fd, p, n, MSG_DONTWAIT);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		if (timeout_ms == 0)
			return 0;
		r = poll(&pfd, 1, timeout_ms);
		if (r == 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

/* ------------------------------------------------- controller lookup */

static const struct nlattr *nla_next_ok(const uint8_t *p, size_t rem)
{
	const struct nlattr *a = (const struct nlattr *)p;

	if (rem < NLA_HDRLEN || a->nla_len < NLA_HDRLEN || a->nla_len > rem)
		return NULL;
	return a;
}

#define for_each_nla(a, p, len, off) \
	for (off = 0; (a = nla_next_ok((p) + off, (len) - off)) != NULL; \
	     off += (size_t)NLA_ALIGN(a->nla_len) > (len) - off ? (len) - off : (size_t)NLA_ALIGN(a->nla_len))

static const void *nla_data_c(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static size_t nla_plen(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static uint32_t nla_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	memcpy(&v, nla_data_c(a), nla_plen(a) < 4 ? nla_plen(a) : 4);
	return v;
}

static uint64_t nla_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	memcpy(&v, nla_data_c(a), nla_plen(a) < 8 ? nla_plen(a) : 8);
	return v;
}

static void ctrl_parse_ops(const struct nlattr *ops)
{
	const uint8_t *p = nla_data_c(ops);
	size_t len = nla_plen(ops), off, off2;
	const struct nlattr *op, *a;

	for_each_nla(op, p, len, off) {
		uint32_t id = 0, flags = 0;

		for_each_nla(a, (const uint8_t *)nla_data_c(op), nla_plen(op), off2) {
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_OP_ID)
				id = nla_u32(a);
			else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_OP_FLAGS)
				flags = nla_u32(a);
		}
		if (id < 256)
			g.ops[id] = flags | LISTED;
	}
}

static void ctrl_parse_groups(const struct nlattr *grps)
{
	const uint8_t *p = nla_data_c(grps);
	size_t len = nla_plen(grps), off, off2;
	const struct nlattr *grp, *a;

	for_each_nla(grp, p, len, off) {
		uint32_t id = 0;
		bool ours = false;

		for_each_nla(a, (const uint8_t *)nla_data_c(grp), nla_plen(grp), off2) {
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID)
				id = nla_u32(a);
			else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_NAME)
				ours = !strncmp(nla_data_c(a), NSLINK_MCGRP_EVENTS, nla_plen(a));
		}
		if (ours)
			g.events_grp = id;
	}
}

static int resolve_family(void)
{
	struct buf *b = &g.b;
	size_t m, off;
	ssize_t n;
	const struct nlattr *a;

	b->len = 0;
	m = msg_start(b, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, 1, CTRL_CMD_GETFAMILY, 1);
	attr_put(b, CTRL_ATTR_FAMILY_NAME, NSLINK_GENL_NAME, sizeof(NSLINK_GENL_NAME));
	msg_end(b, m);
	if (sk_send(&g.main, b->d, b->len))
		die("send to the genl controller");
	while ((n = sk_recv(&g.main, g.rx, sizeof(g.rx), TIMEOUT_MS)) > 0) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)g.rx;

		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			const uint8_t *p = (const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN;
			size_t len;

			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (e->error)
					return e->error;
				return g.family ? 0 : -ENOENT;
			}
			if (h->nlmsg_type != GENL_ID_CTRL || h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
				continue;
			len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			for_each_nla(a, p, len, off) {
				switch (a->nla_type & NLA_TYPE_MASK) {
				case CTRL_ATTR_FAMILY_ID:
					g.family = (uint16_t)nla_u32(a);
					break;
				case CTRL_ATTR_OPS:
					ctrl_parse_ops(a);
					break;
				case CTRL_ATTR_MCAST_GROUPS:
					ctrl_parse_groups(a);
					break;
				}
			}
		}
	}
	return n < 0 ? (int)n : -ETIMEDOUT;
}

/* ------------------------------------------------------ bookkeeping */

static int errno_idx(int err)
{
	int e = -err;

	return e < 0 || e > 255 ? 255 : e;
}

static void note_ext(const struct req *r)
{
	int i;

	for (i = 0; i < g.next_ext; i++) {
		if (g.ext[i].err == r->err && g.ext[i].row == r->row && !strcmp(g.ext[i].msg, r->ext)) {
			g.ext[i].n++;
			return;
		}
	}
	if (g.next_ext == MAX_EXT) {
		g.ext_other++;
		return;
	}
	snprintf(g.ext[i].msg, sizeof(g.ext[i].msg), "%s", r->ext);
	g.ext[i].err = r->err;
	g.ext[i].row = r->row;
	g.ext[i].n = 1;
	g.next_ext++;
}

static void note_noext(const struct req *r)
{
	int i;

	for (i = 0; i < g.n_noext; i++) {
		if (g.noext_tab[i].row == r->row && g.noext_tab[i].err == r->err) {
			g.noext_tab[i].n++;
			return;
		}
	}
	if (i < (int)ARRAY_SIZE(g.noext_tab)) {
		g.noext_tab[i].row = r->row;
		g.noext_tab[i].err = r->err;
		g.noext_tab[i].n = 1;
		g.n_noext++;
	}
}

static struct req *new_req(uint8_t cmd, bool dump, int kind)
{
	uint32_t seq = next_seq++;
	struct req *r = &ring[seq % RING];

	if (r->live)
		anomaly("request ring overflow");
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->live = true;
	r->cmd = cmd;
	r->dump = dump;
	r->row = row_of(cmd, dump);
	r->kind = kind;
	r->tkind = r->pkind = -1;
	r->nuev = -1;
	r->request = r->framed = true;
	r->expect = EX_ANY;
	if (g.ncase_reqs < (int)ARRAY_SIZE(g.case_reqs))
		g.case_reqs[g.ncase_reqs++] = (int)(seq % RING);
	return r;
}

static struct req *find_req(uint32_t seq)
{
	struct req *r = &ring[seq % RING];

	return r->live && r->seq == seq ? r : NULL;
}

/* Judge one request once every answer to it has been read. */
static void finalize(struct req *r)
{
	struct rowstat *row = &g.rows[r->row];
	bool accepted, refused, silent, ignored = false;
	bool is_listed = listed(r->cmd, r->dump);

	if (!r->live)
		return;
	r->live = false;
	if (r->unsent) {
		g.unsent++;
		return;
	}
	g.msgs++;
	row->sent++;
	if (r->cmd > NSLINK_CMD_MAX)
		g.unknown_seen[r->cmd / 8] |= 1 << (r->cmd % 8);

	refused = r->final && r->err < 0;
	accepted = !refused && (r->replied || (r->final && r->err == 0));
	silent = !accepted && !refused;
	if (!r->request) {
		ignored = true;
		if (r->replied || refused)
			anomaly("seq %u: a message without NLM_F_REQUEST was answered (%s)",
				r->seq, r->replied ? "reply" : strerror(-r->err));
		accepted = refused = silent = false;
		row->ignored++;
	} else if (accepted) {
		row->acc++;
	} else if (refused) {
		row->ref++;
		row->err[errno_idx(r->err)]++;
		if (r->has_ext) {
			note_ext(r);
		} else if (r->kind == K_DUMP_TWICE && r->err == -EBUSY) {
			/* netlink_dump_start(): one dump per socket at a time */
			g.noext_core++;
		} else if (r->framed && r->ext_ack && is_listed) {
			row->noext++;
			note_noext(r);
		} else if (r->framed && r->ext_ack) {
			g.noext_core++;
		}
	} else {
		row->silent++;
	}
	g.kinds[r->kind].sent++;
	g.kinds[r->kind].acc += accepted;
	g.kinds[r->kind].ref += refused;
	g.kinds[r->kind].silent += silent || ignored;
	if (r->tkind >= 0) {
		g.tkinds[r->tkind].sent++;
		g.tkinds[r->tkind].acc += accepted;
		g.tkinds[r->tkind].ref += refused;
		g.tkinds[r->tkind].silent += silent || ignored;
	}
	if (r->pkind >= 0) {
		g.pkinds[r->pkind].sent++;
		g.pkinds[r->pkind].acc += accepted;
		g.pkinds[r->pkind].ref += refused;
		g.pkinds[r->pkind].silent += silent || ignored;
	}
	if (r->cmd == NSLINK_CMD_INJECT && r->host_target && accepted)
		violation(r, "an injection into a namespace that is not a throwaway one was accepted");

	if (g.verbose)
		fprintf(stderr, "seq %u %s%s [%s] expect %s: %s%s%s%s\n", r->seq,
			cmd_names[r->row / 2], r->dump ? " dump" : "",
			kind_names[r->kind], expect_names[r->expect],
			ignored ? "ignored" : accepted ? "accepted" : refused ? strerror(-r->err) : "silent",
			r->has_ext ? " \"" : "", r->ext, r->has_ext ? "\"" : "");

	switch (r->expect) {
	case EX_ACCEPT:
		if (!is_listed)
			break;
		if (!accepted)
			violation(r, "expected to be accepted, got %s%s%s", refused ? strerror(-r->err) : "no answer",
				  r->has_ext ? ": " : "", r->ext);
		else if (r->cmd == NSLINK_CMD_INJECT && r->nuev >= 0 && r->nseq != r->nuev)
			violation(r, "%d uevents accepted but %d SEQNUMs in the reply", r->nuev, r->nseq);
		break;
	case EX_EPERM:
		if (accepted)
			violation(r, "accepted, expected EPERM");
		else if (is_listed && (!refused || r->err != -EPERM))
			violation(r, "expected EPERM, got %s", refused ? strerror(-r->err) : "no answer");
		else if (!refused)
			violation(r, "expected a refusal, got no answer");
		break;
	case EX_EINVAL_BIG:
		if (accepted)
			violation(r, "an oversized uevent was accepted");
		else if (!refused)
			violation(r, "expected a refusal, got no answer");
		else if (is_listed && (r->err != -EINVAL || (r->ext_ack && !strstr(r->ext, "uevent message too big"))))
			violation(r, "expected EINVAL \"uevent message too big\", got %s \"%s\"",
				  strerror(-r->err), r->ext);
		break;
	case EX_REFUSE:
		if (!refused)
			violation(r, "expected a refusal, got %s", accepted ? "acceptance" : "no answer");
		break;
	case EX_NOACCEPT:
		if (accepted)
			violation(r, "expected no acceptance, got one");
		break;
	case EX_IGNORED:
	case EX_ANY:
		break;
	}
}

/* ---------------------------------------------------- reading replies */

static void parse_ext(struct req *r, const struct nlmsghdr *h, size_t off)
{
	const uint8_t *p = NLMSG_DATA(h);
	size_t len = h->nlmsg_len - NLMSG_HDRLEN, o;
	const struct nlattr *a;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = NLMSG_ALIGN(off);
	if (off >= len) {
		anomaly("seq %u: NLM_F_ACK_TLVS without room for TLVs", h->nlmsg_seq);
		return;
	}
	for_each_nla(a, p + off, len - off, o) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			snprintf(r->ext, sizeof(r->ext), "%.*s", (int)strnlen(nla_data_c(a), nla_plen(a)),
				 (const char *)nla_data_c(a));
			r->has_ext = true;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (!r->has_ext) {
				snprintf(r->ext, sizeof(r->ext), "[missing attribute %u]", nla_u32(a));
				r->has_ext = true;
			}
			break;
		}
	}
}

/* Check a reply from the family: framing, and what the contract says. */
static void check_reply(struct req *r, const struct nlmsghdr *h)
{
	const struct genlmsghdr *gh = NLMSG_DATA(h);
	const uint8_t *p = (const uint8_t *)gh + GENL_HDRLEN;
	size_t len, off;
	bool have_ver = false, have_feat = false, have_pid = false;
	int nstats = 0;

	if (h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
		anomaly("seq %u: reply shorter than a genl header", h->nlmsg_seq);
		return;
	}
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (off = 0; off < len;) {
		const struct nlattr *a = nla_next_ok(p + off, len - off);

		if (!a) {
			anomaly("seq %u: %s reply has malformed attributes at offset %zu",
				h->nlmsg_seq, cmd_names[r->row / 2], off);
			return;
		}
		off += NLA_ALIGN(a->nla_len);
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NSLINK_A_INFO_VERSION:
			have_ver = nla_plen(a) > 0 && memchr(nla_data_c(a), 0, nla_plen(a));
			break;
		case NSLINK_A_INFO_FEATURES:
			have_feat = nla_plen(a) == 8;
			break;
		case NSLINK_A_STATS_EMITTED:
		case NSLINK_A_STATS_DROPPED:
		case NSLINK_A_STATS_SEQ:
			nstats += nla_plen(a) == 8;
			break;
		case NSLINK_A_EV_SEQ:
			if (r->dump) {
				uint64_t s = nla_u64(a);

				if (r->have_dump_seq && s != r->dump_seq)
					anomaly("seq %u: GET_TASKS dump carries EV_SEQ %" PRIu64 " and %" PRIu64,
						h->nlmsg_seq, r->dump_seq, s);
				r->dump_seq = s;
				r->have_dump_seq = true;
			}
			break;
		case NSLINK_A_EV_PID:
			have_pid = nla_plen(a) == 4;
			break;
		case NSLINK_A_INJ_SEQNUM: {
			uint64_t s = nla_u64(a);

			if (gh->cmd != NSLINK_CMD_INJECT)
				break;
			if (nla_plen(a) != 8) {
				anomaly("seq %u: SEQNUM of length %zu", h->nlmsg_seq, nla_plen(a));
				break;
			}
			if (r->nseq && s <= r->last_seqnum)
				anomaly("seq %u: SEQNUMs not increasing (%" PRIu64 " after %" PRIu64 ")",
					h->nlmsg_seq, s, r->last_seqnum);
			if (s <= g.uevent_seqnum0)
				anomaly("seq %u: SEQNUM %" PRIu64 " not above uevent_seqnum at start (%" PRIu64 ")",
					h->nlmsg_seq, s, g.uevent_seqnum0);
			if (!r->nseq)
				r->first_seqnum = s;
			r->last_seqnum = s;
			if (s > g.max_seqnum)
				g.max_seqnum = s;
			if (!g.min_seqnum || s < g.min_seqnum)
				g.min_seqnum = s;
			r->nseq++;
			g.acked_uevents++;
			break;
		}
		}
	}
	if (gh->cmd != r->cmd && r->expect != EX_ANY)
		anomaly("seq %u: reply command %u to a request for %u", h->nlmsg_seq, gh->cmd, r->cmd);
	if (gh->cmd == NSLINK_CMD_GET_INFO && (!have_ver || !have_feat))
		anomaly("seq %u: GET_INFO reply without VERSION string or u64 FEATURES", h->nlmsg_seq);
	if (gh->cmd == NSLINK_CMD_GET_STATS && nstats != 3)
		anomaly("seq %u: GET_STATS reply without u64 EMITTED, DROPPED and SEQ", h->nlmsg_seq);
	if (gh->cmd == NSLINK_CMD_GET_TASKS && r->dump && (!have_pid || !r->have_dump_seq))
		anomaly("seq %u: GET_TASKS message without EV_PID or EV_SEQ", h->nlmsg_seq);
}

static bool sentinel_seen;
static uint32_t sentinel_seq;	/* the sentinel awaited */
static uint32_t sentinel_base;	/* the first one sent by this sync */

static void handle_msg(struct sk *s, const struct nlmsghdr *h)
{
	struct req *r;

	/* A sync sends nothing but sentinels: their seqs are consecutive. */
	if (h->nlmsg_type == NLMSG_ERROR &&
	    h->nlmsg_seq - sentinel_base <= sentinel_seq - sentinel_base) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) || e->error)
			anomaly("sentinel NOOP answered with error %d", e->error);
		if (h->nlmsg_seq == sentinel_seq)
			sentinel_seen = true;
		return;
	}
	r = find_req(h->nlmsg_seq);
	if (!r) {
		anomaly("answer (type %u) with unknown seq %u", h->nlmsg_type, h->nlmsg_seq);
		return;
	}
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);
		size_t off = sizeof(*e);

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			anomaly("seq %u: short NLMSG_ERROR", h->nlmsg_seq);
			return;
		}
		if (!(h->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= NLMSG_HDRLEN)
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		if (e->error > 0 || e->error < -4095)
			anomaly("seq %u: NLMSG_ERROR with error %d", h->nlmsg_seq, e->error);
		if (e->msg.nlmsg_seq != h->nlmsg_seq)
			anomaly("seq %u: error echoes seq %u", h->nlmsg_seq, e->msg.nlmsg_seq);
		if (r->final && !r->running)
			anomaly("seq %u: second final answer", h->nlmsg_seq);
		r->err = e->error;
		r->final = true;
		parse_ext(r, h, off);
		if (r->running) {
			r->running = false;
			s->running--;
		}
		return;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		int err = 0;

		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
			memcpy(&err, NLMSG_DATA(h), sizeof(err));
		r->err = err;
		r->final = true;
		if (err >= 0)
			g.dumps_done++;
		parse_ext(r, h, sizeof(int));
		if (r->running) {
			r->running = false;
			s->running--;
		}
		return;
	}
	if (h->nlmsg_type != g.family) {
		anomaly("seq %u: answer of type %u", h->nlmsg_seq, h->nlmsg_type);
		return;
	}
	r->replied = true;
	r->parts++;
	if (r->dump)
		g.dump_parts++;
	if ((h->nlmsg_flags & NLM_F_MULTI) && !r->running && !r->final) {
		r->running = true;
		s->running++;
	}
	check_reply(r, h);
}

/* Handle one received datagram. */
static void handle_dgram(struct sk *s, ssize_t n)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)g.rx;
	size_t rem = (size_t)n;

	if ((size_t)n >= sizeof(g.rx))
		anomaly("a datagram filled the whole receive buffer");
	for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem))
		handle_msg(s, h);
	if (rem >= NLMSG_HDRLEN)
		anomaly("%zu bytes of garbage after the messages of a datagram", rem);
}

static void sentinel_send(const struct sk *s)
{
	struct nlmsghdr h = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
			      .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK };

	sentinel_seq = h.nlmsg_seq = next_seq++;
	sentinel_seen = false;
	if (sk_send(s, &h, sizeof(h)))
		die("send the sentinel");
}

/* Read until the sentinel's ack and the end of every dump on s. */
static void sync_sock(struct sk *s)
{
	sentinel_send(s);
	sentinel_base = sentinel_seq;
	while (!sentinel_seen || s->running > 0) {
		ssize_t n = sk_recv(s, g.rx, sizeof(g.rx), TIMEOUT_MS);
		if (n == -ENOBUFS) {
			/* An answer did not fit the receive buffer and was
			 * dropped: an unprivileged socket cannot raise
			 * SO_RCVBUF past rmem_max, and an uncapped ack echoes
			 * the whole request. It may have been the sentinel's.
			 * The socket now drops everything (it is "congested")
			 * until its queue is read empty: read it empty, then
			 * send another sentinel and wait for that one. */
			g.enobufs++;
			while ((n = sk_recv(s, g.rx, sizeof(g.rx), 0)) != 0) {
				if (n == -ENOBUFS)
					continue;
				if (n < 0)
					break;
				handle_dgram(s, n);
			}
			sentinel_send(s);
			continue;
		}
		if (n <= 0) {
			g.timeouts++;
			anomaly("no answer within %d ms (%s)", TIMEOUT_MS,
				n ? strerror((int)-n) : "timeout");
			s->running = 0;
			break;
		}
		handle_dgram(s, n);
	}
}

static void finish_case(void)
{
	int i;

	for (i = 0; i < g.ncase_reqs; i++) {
		struct req *r = &ring[g.case_reqs[i]];

		if (r->running)
			anomaly("seq %u: dump still running at the end of its case", r->seq);
		finalize(r);
	}
	g.ncase_reqs = 0;
}

/* Drain the events listener: every message must be a well-formed EVENT
 * with a sequence number above the last one seen. */
static void drain_events(void)
{
	ssize_t n;

	if (g.events.fd < 0)
		return;
	while ((n = sk_recv(&g.events, g.rx, sizeof(g.rx), 0)) != 0) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)g.rx;
		size_t rem;

		if (n == -ENOBUFS) {
			g.events_enobufs++;
			continue;
		}
		if (n < 0)
			break;
		rem = (size_t)n;
		for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			const struct genlmsghdr *gh = NLMSG_DATA(h);
			const uint8_t *p = (const uint8_t *)gh + GENL_HDRLEN;
			const struct nlattr *a;
			size_t len, off;
			uint64_t seq = 0;

			if (h->nlmsg_type != g.family || h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) ||
			    gh->cmd != NSLINK_CMD_EVENT) {
				anomaly("events group: message type %u cmd %u", h->nlmsg_type,
					h->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN) ? gh->cmd : 0);
				continue;
			}
			len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			for (off = 0; off < len; off += NLA_ALIGN(a->nla_len)) {
				a = nla_next_ok(p + off, len - off);
				if (!a) {
					anomaly("events group: malformed attributes");
					break;
				}
				if ((a->nla_type & NLA_TYPE_MASK) == NSLINK_A_EV_SEQ)
					seq = nla_u64(a);
			}
			if (!seq || seq <= g.last_event_seq)
				anomaly("events group: EV_SEQ %" PRIu64 " after %" PRIu64, seq, g.last_event_seq);
			g.last_event_seq = seq;
			g.events_seen++;
		}
	}
}

/* ------------------------------------------------------ targets */

static bool in_init_userns(void)
{
	char line[128];
	FILE *f = fopen("/proc/self/uid_map", "r");
	unsigned long a = 1, b2 = 1, c = 0;
	bool ok = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f) && sscanf(line, "%lu %lu %lu", &a, &b2, &c) == 3)
		ok = a == 0 && b2 == 0 && c == 4294967295UL;
	fclose(f);
	return ok;
}

static bool have_cap_sys_admin(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long long caps = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps & (1ULL << 21);
}

static ino_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

/* Move an fd to a fixed high number, so that a flipped bit in an fd
 * attribute cannot turn one target into another. */
static int high_fd(int fd, int want)
{
	int n;

	if (fd < 0)
		return -1;
	n = fcntl(fd, F_DUPFD_CLOEXEC, want);
	close(fd);
	return n;
}

static void add_target(int tk, bool fd, uint32_t val, int cls)
{
	if (g.ntargets == MAX_TARGETS)
		return;
	g.targets[g.ntargets].tk = tk;
	g.targets[g.ntargets].fd = fd;
	g.targets[g.ntargets].val = val;
	g.targets[g.ntargets].cls = cls;
	g.ntargets++;
}

/*
 * A child that unshares flags, sends the fd of its netns back over a unix
 * socket and waits (its pid stays a target) until we close our end.
 */
static int spawn_ns_child(int flags, pid_t *pidp)
{
	int sv[2], fd = -1;
	pid_t pid;
	char c = 0;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		int nfd;

		close(sv[0]);
		if (unshare(flags))
			_exit(1);
		nfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (nfd < 0)
			_exit(1);
		memset(u.buf, 0, sizeof(u.buf));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &nfd, sizeof(int));
		if (sendmsg(sv[1], &mh, 0) != 1)
			_exit(1);
		while (read(sv[1], &c, 1) > 0)
			;
		_exit(0);
	}
	close(sv[1]);
	if (recvmsg(sv[0], &mh, MSG_CMSG_CLOEXEC) == 1) {
		cm = CMSG_FIRSTHDR(&mh);
		if (cm && cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	}
	if (fd < 0) {
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	/* sv[0] stays open (close-on-exec) for as long as we run. */
	if (g.nchildren < (int)ARRAY_SIZE(g.children))
		g.children[g.nchildren++] = pid;
	*pidp = pid;
	return fd;
}

static void setup_targets(void)
{
	int fd, i;
	pid_t pid;
	DIR *d;
	const struct dirent *de;
	int nk = 0;
	ino_t our_userns = ino_of("/proc/self/ns/user");

	add_target(T_FD_M1, true, 0xffffffffu, TC_INVALID);
	add_target(T_FD_HUGE, true, 1u << 20, TC_INVALID);
	add_target(T_FD_HUGE, true, 0x7fffffffu, TC_INVALID);
	add_target(T_FD_CLOSED, true, 700, TC_INVALID);	/* checked at use */
	fd = high_fd(open("/proc/self/exe", O_RDONLY), 0x180);
	if (fd >= 0)
		add_target(T_FD_REG, true, (uint32_t)fd, TC_INVALID);
	fd = high_fd(socket(AF_UNIX, SOCK_DGRAM, 0), 0x181);
	if (fd >= 0)
		add_target(T_FD_SOCK, true, (uint32_t)fd, TC_INVALID);
	add_target(T_FD_NETLINK, true, (uint32_t)g.main.fd, TC_INVALID);
	fd = high_fd(open("/proc/self/ns/mnt", O_RDONLY), 0x182);
	if (fd >= 0)
		add_target(T_FD_MNTNS, true, (uint32_t)fd, TC_INVALID);
	fd = high_fd(open("/proc/self/ns/user", O_RDONLY), 0x183);
	if (fd >= 0)
		add_target(T_FD_USERNS, true, (uint32_t)fd, TC_INVALID);
	fd = high_fd(open("/proc/self/ns/net", O_RDONLY), 0x3d1);
	if (fd >= 0)
		add_target(T_FD_SELFNET, true, (uint32_t)fd, TC_HOST);

	add_target(T_PID_0, false, 0, TC_INVALID);
	add_target(T_PID_NEG, false, 0xffffffffu, TC_INVALID);
	add_target(T_PID_NEG, false, 0x80000000u, TC_INVALID);
	add_target(T_PID_HUGE, false, 0x7fffffffu, TC_INVALID);
	add_target(T_PID_HUGE, false, 4194305, TC_INVALID);	/* > PID_MAX_LIMIT */
	add_target(T_PID_KTHREADD, false, 2, TC_HOST);
	add_target(T_PID_SELF, false, (uint32_t)getpid(), TC_HOST);
	add_target(T_PID_1, false, 1, TC_HOST);

	/* Kernel threads: children of kthreadd. */
	d = opendir("/proc");
	while (d && (de = readdir(d)) && nk < 6) {
		char path[300], line[512];
		FILE *f;
		const char *cp;
		int ppid;

		if (!isdigit((unsigned char)de->d_name[0]) || !strcmp(de->d_name, "2"))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) && (cp = strrchr(line, ')')) &&
		    sscanf(cp + 1, " %*c %d", &ppid) == 1 && ppid == 2) {
			add_target(T_PID_KTHREAD, false, (uint32_t)atoi(de->d_name), TC_HOST);
			nk++;
		}
		fclose(f);
	}
	if (d)
		closedir(d);

	/* A zombie (never reaped while we run) and an exited, reaped task. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		g.zombie = pid;
		add_target(T_PID_ZOMBIE, false, (uint32_t)pid, TC_INVALID);
	}
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		g.exited = pid;
		add_target(T_PID_EXITED, false, (uint32_t)pid, TC_INVALID);
	}

	/* Throwaway namespaces. Root: a plain new netns, kept by a child and
	 * bound to /run/netns. Anyone: a netns owned by a user namespace we
	 * create (we are its owner, so CAP_SYS_ADMIN there is ours). */
	if (g.priv) {
		fd = high_fd(spawn_ns_child(CLONE_NEWNET, &pid), 0x200);
		if (fd >= 0) {
			char src[64];

			add_target(T_FD_PROCCHILD, true, (uint32_t)fd, TC_THROW);
			add_target(T_PID_CHILD, false, (uint32_t)pid, TC_THROW);
			snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)pid);
			snprintf(g.run_netns, sizeof(g.run_netns), "/run/netns/nlfuzz-%d", (int)getpid());
			mkdir("/run/netns", 0755);
			i = open(g.run_netns, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
			if (i >= 0)
				close(i);
			if (i >= 0 && !mount(src, g.run_netns, "none", MS_BIND, NULL)) {
				fd = high_fd(open(g.run_netns, O_RDONLY), 0x204);
				if (fd >= 0)
					add_target(T_FD_RUNNETNS, true, (uint32_t)fd, TC_THROW);
			} else {
				if (i >= 0)
					unlink(g.run_netns);
				fprintf(stderr, "nlfuzz: no /run/netns target: %s\n", strerror(errno));
				g.run_netns[0] = '\0';
			}
		}
	}
	fd = high_fd(spawn_ns_child(CLONE_NEWUSER | CLONE_NEWNET, &pid), 0x208);
	if (fd >= 0) {
		g.have_owned = true;
		add_target(T_FD_OWNED, true, (uint32_t)fd, TC_OWNED);
		add_target(T_PID_OWNED, false, (uint32_t)pid, TC_OWNED);
	} else {
		fprintf(stderr, "nlfuzz: cannot create a user+network namespace (%s): no own-userns targets\n",
			strerror(errno));
	}
	for (i = 0; i < g.n_extra; i++) {
		int u, cls = TC_UNKNOWN;

		fd = high_fd(open(g.extra_netns[i], O_RDONLY), 0x20c + i);
		if (fd < 0) {
			fprintf(stderr, "nlfuzz: --netns %s: %s\n", g.extra_netns[i], strerror(errno));
			exit(2);
		}
		u = ioctl(fd, NS_GET_USERNS);
		if (u >= 0) {
			struct stat st;

			if (!fstat(u, &st) && st.st_ino == our_userns && in_init_userns())
				cls = TC_THROW;
			close(u);
		}
		add_target(T_FD_EXTRA, true, (uint32_t)fd, cls);
	}

	for (i = 0; i < NTKINDS; i++)
		g.tk_first[i] = -1;
	for (i = 0; i < g.ntargets; i++) {
		if (g.tk_first[g.targets[i].tk] < 0)
			g.tk_first[g.targets[i].tk] = i;
		g.tk_count[g.targets[i].tk]++;
	}
}

static void cleanup_targets(void)
{
	int i;

	for (i = 0; i < g.nchildren; i++) {
		kill(g.children[i], SIGKILL);
		waitpid(g.children[i], NULL, 0);
	}
	if (g.zombie > 0)
		waitpid(g.zombie, NULL, 0);
	if (g.run_netns[0]) {
		umount2(g.run_netns, MNT_DETACH);
		unlink(g.run_netns);
	}
}

/* Is the target still what it was set up to be? Racy ones degrade. */
static int target_class(const struct target *t)
{
	char path[64];
	FILE *f;
	char line[512];
	const char *cp;
	char state = 0;

	switch (t->tk) {
	case T_FD_CLOSED:
		return fcntl((int)t->val, F_GETFD) < 0 && errno == EBADF ? TC_INVALID : TC_UNKNOWN;
	case T_PID_ZOMBIE:
		snprintf(path, sizeof(path), "/proc/%u/stat", t->val);
		f = fopen(path, "r");
		if (!f)
			return TC_UNKNOWN;
		if (fgets(line, sizeof(line), f) && (cp = strrchr(line, ')')))
			sscanf(cp + 1, " %c", &state);
		fclose(f);
		return state == 'Z' ? TC_INVALID : TC_UNKNOWN;
	case T_PID_EXITED:
		snprintf(path, sizeof(path), "/proc/%u", t->val);
		return access(path, F_OK) ? TC_INVALID : TC_UNKNOWN;
	case T_PID_KTHREAD:
		snprintf(path, sizeof(path), "/proc/%u", t->val);
		return access(path, F_OK) ? TC_UNKNOWN : TC_HOST;
	}
	return t->cls;
}

static const struct target *pick_target(int tk)
{
	if (g.tk_count[tk] == 0)
		return NULL;
	return &g.targets[g.tk_first[tk] + (int)below((uint32_t)g.tk_count[tk])];
}

/* ------------------------------------------------------- uevents */

static const char *const actions[] = {
	"add", "remove", "change", "move", "online", "offline", "bind", "unbind",
};
static const char *const bad_actions[] = {
	"", "ADD", "add ", "addd", "chang", "remove\x01", "bind\xff", "unbind2",
	"offlinee", "x", "@", "remove\n",
};

enum { V_OK, V_BAD, V_MAYBE };

static void rand_word(char *s, size_t n, const char *alphabet)
{
	size_t i, al = strlen(alphabet);

	for (i = 0; i + 1 < n; i++)
		s[i] = alphabet[below((uint32_t)al)];
	s[i] = '\0';
}

static size_t digits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static uint64_t read_uevent_seqnum(void)
{
	FILE *f = fopen("/sys/kernel/uevent_seqnum", "r");
	unsigned long long v = 0;

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/*
 * Build one uevent with the given defect (a pkind; P_VALID for none) and a
 * target total length (0: whatever it comes to). Returns V_OK/V_BAD/V_MAYBE
 * and sets *big when the only defect is the size.
 */
static int make_uevent(char *out, size_t *outlen, int defect, size_t want, bool *big)
{
	char devpath[96], subsys[24], key[20], val[64];
	const char *action = actions[below(ARRAY_SIZE(actions))];
	const char *hdr_action = action, *var_action = action;
	char *p = out;
	size_t len, nextra = below(6), i, sub_at;
	int verdict = V_OK;

	*big = false;
	rand_word(val, range(3, 12), "abcdefghijklmnopqrstuvwxyz0123456789");
	snprintf(devpath, sizeof(devpath), "/devices/virtual/nlfuzz/%s%s", val,
		 pct(10) ? "@1" : "");
	rand_word(subsys, range(2, 12), "abcdefghijklmnopqrstuvwxyz_");

#define ADD(...) (p += sprintf(p, __VA_ARGS__) + 1)
	switch (defect) {
	case P_BADACTION:
		hdr_action = var_action = bad_actions[below(ARRAY_SIZE(bad_actions))];
		break;
	case P_ACTMISMATCH:
		do
			var_action = actions[below(ARRAY_SIZE(actions))];
		while (var_action == action);
		break;
	case P_RELPATH:
		memmove(devpath, devpath + 1, strlen(devpath));
		if (pct(20))
			devpath[0] = '\0';
		break;
	}
	/* header */
	if (defect == P_NOAT)
		ADD("%s%s", hdr_action, devpath);
	else
		ADD("%s@%s", hdr_action, devpath);
	if (defect == P_ONLYHEADER)
		goto done;
	if (defect == P_FIRSTNOTACTION) {
		ADD("DEVPATH=%s", devpath);
		ADD("ACTION=%s", var_action);
	} else {
		ADD("ACTION=%s", var_action);
		if (defect == P_PATHMISMATCH)
			ADD("DEVPATH=%s/other", devpath);
		else
			ADD("DEVPATH=%s", devpath);
	}
	sub_at = below((uint32_t)nextra + 1);
	for (i = 0; i <= nextra; i++) {
		if (i == sub_at) {
			if (defect == P_EMPTYSUBSYS)
				ADD("SUBSYSTEM=");
			else if (defect != P_NOSUBSYS)
				ADD("SUBSYSTEM=%s", subsys);
		}
		if (i == nextra)
			break;
		rand_word(key, range(2, 16), "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
		if (!strcmp(key, "ACTION") || !strcmp(key, "DEVPATH") ||
		    !strcmp(key, "SUBSYSTEM") || !strcmp(key, "SEQNUM"))
			strcpy(key, "NLFUZZ_K");
		rand_word(val, range(1, 40), "abcdefghijklmnopqrstuvwxyz0123456789=@/:._- \x80\xfe");
		ADD("%s=%s", key, pct(5) ? "" : val);
	}
	switch (defect) {
	case P_KEYNOEQ:
		ADD("NOEQUALS%u", below(100));
		break;
	case P_EMPTYKEY:
		ADD("=value");
		break;
	case P_SEQNUM:
		ADD("SEQNUM=%u", range(1, 100000));
		break;
	}
	/* pad to the wanted length with one more variable */
	len = (size_t)(p - out);
	if (want > len + sizeof("NLFUZZ_PAD=")) {
		size_t n = want - len - sizeof("NLFUZZ_PAD=");

		memcpy(p, "NLFUZZ_PAD=", 11);
		memset(p + 11, 'p', n);
		p[11 + n] = '\0';
		p += 11 + n + 1;
	}
	if (defect == P_EMPTYVAR)
		*p++ = '\0';
done:
	len = (size_t)(p - out);
	if (defect == P_NONUL)
		len--;
	*outlen = len;
#undef ADD
	switch (defect) {
	case P_VALID: case P_NEAR_OK: case P_BOUND_OK: case P_BOUND_BAD:
	case P_BOUND_MAYBE: case P_TOOBIG: case P_HUGE:
		break;
	default:
		verdict = V_BAD;
	}
	return verdict;
}

/* Size verdict against the 2048 limit, given SEQNUM's possible digits. */
static int size_verdict(size_t len, uint64_t seqnum_now, unsigned int batch)
{
	size_t lo = digits(seqnum_now + 1), hi = digits(seqnum_now + 1000 + batch);

	if (len + sizeof("SEQNUM=") + hi <= NSLINK_UEVENT_BUFFER_SIZE)
		return V_OK;
	if (len + sizeof("SEQNUM=") + lo > NSLINK_UEVENT_BUFFER_SIZE)
		return V_BAD;
	return V_MAYBE;
}

static const int defects[] = {
	P_NONUL, P_BADACTION, P_RELPATH, P_NOSUBSYS, P_EMPTYSUBSYS, P_KEYNOEQ,
	P_EMPTYKEY, P_SEQNUM, P_ACTMISMATCH, P_PATHMISMATCH, P_NOAT,
	P_FIRSTNOTACTION, P_ONLYHEADER, P_EMPTYVAR, P_ZEROLEN, P_TOOBIG,
};

static char uev[70000];

/*
 * Put one NSLINK_A_INJ_UEVENT. kind picks the shape; returns the verdict
 * and sets *big when the size alone makes it bad.
 */
static int put_uevent(struct buf *b, int kind, unsigned int batch, bool *big)
{
	size_t len = 0, want = 0;
	int v;

	*big = false;
	switch (kind) {
	case P_ZEROLEN:
		attr_put(b, NSLINK_A_INJ_UEVENT, NULL, 0);
		return V_BAD;
	case P_RANDOM:
		len = range(1, 300);
		for (size_t i = 0; i < len; i++)
			uev[i] = (char)below(256);
		if (pct(50))
			uev[len - 1] = '\0';
		attr_put(b, NSLINK_A_INJ_UEVENT, uev, len);
		return uev[len - 1] ? V_BAD : V_MAYBE;
	case P_NEAR_OK:
		want = range(1500, 2010);
		break;
	case P_BOUND_OK: case P_BOUND_BAD: case P_BOUND_MAYBE:
		want = range(2010, 2045);
		break;
	case P_TOOBIG:
		want = range(2040, 4096);
		break;
	case P_HUGE:
		want = range(8000, 65000);
		break;
	default:
		if (batch > 16)
			want = 0;
		else if (pct(10))
			want = range(200, 1500);
	}
	v = make_uevent(uev, &len, kind, want, big);
	if (v == V_OK || kind == P_TOOBIG || kind == P_HUGE ||
	    kind == P_BOUND_OK || kind == P_BOUND_BAD || kind == P_BOUND_MAYBE) {
		uint64_t sn = len + 40 >= NSLINK_UEVENT_BUFFER_SIZE ? read_uevent_seqnum() : 0;

		v = size_verdict(len, sn, batch);
		*big = v == V_BAD;
	}
	attr_put(b, NSLINK_A_INJ_UEVENT, uev, len);
	return v;
}

/* ------------------------------------------------------- generators */

/*
 * Never INJECT's target attributes in garbage (see the header comment), nor
 * its group: a NSLINK_A_INJ_GROUP of 2 would take the udev group's rules
 * (SEQNUM= allowed, 8192 bytes), which the verdicts here do not model.
 */
static uint16_t safe_type(uint16_t t)
{
	uint16_t bare = t & NLA_TYPE_MASK;

	if (bare == NSLINK_A_INJ_NETNS_FD || bare == NSLINK_A_INJ_NETNS_PID ||
	    bare == NSLINK_A_INJ_GROUP)
		return (uint16_t)((t & ~NLA_TYPE_MASK) | NSLINK_A_INJ_UEVENT);
	return t;
}

static uint16_t rand_attr_type(void)
{
	uint16_t t;

	switch (below(4)) {
	case 0:
		t = (uint16_t)range(NSLINK_A_MAX + 1, 0x3fff);
		break;
	case 1:
		t = (uint16_t)below(NSLINK_A_NS_MAX + 2);
		break;
	default:
		t = (uint16_t)below(NSLINK_A_MAX + 1);
	}
	t = safe_type(t);
	if (pct(10))
		t |= NLA_F_NESTED;
	if (pct(5))
		t |= NLA_F_NET_BYTEORDER;
	return t;
}

static void garbage_attrs(struct buf *b, int depth, unsigned int n);

static const size_t scalar_lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16 };

static void garbage_attr(struct buf *b, int depth)
{
	uint16_t type = rand_attr_type();
	uint8_t tmp[64];
	size_t off, n, i;

	switch (below(depth < 3 ? 10 : 8)) {
	case 0: case 1: case 2: case 3:	/* u8/u16/u32/u64/odd */
		n = scalar_lens[below(ARRAY_SIZE(scalar_lens))];
		for (i = 0; i < n; i++)
			tmp[i] = (uint8_t)below(256);
		off = attr_start(b, type);
		bput(b, tmp, n);
		attr_end(b, off, pct(80));
		break;
	case 4: case 5:	/* string, maybe unterminated */
		n = range(1, 60);
		rand_word((char *)tmp, n + 1 > sizeof(tmp) ? sizeof(tmp) : n + 1, "abcdef=@/\x01");
		attr_put(b, type, tmp, strlen((char *)tmp) + pct(50));
		break;
	case 6:	/* bulk */
		n = range(64, 1024);
		off = attr_start(b, type);
		for (i = 0; i < n && !b->full; i++) {
			uint8_t c = (uint8_t)below(256);

			bput(b, &c, 1);
		}
		attr_end(b, off, true);
		break;
	case 7:	/* lying nla_len inside a nest is done by the caller */
		attr_put(b, type, NULL, 0);
		break;
	default:	/* nested garbage */
		off = attr_start(b, type | (pct(70) ? NLA_F_NESTED : 0));
		garbage_attrs(b, depth + 1, range(1, 4));
		attr_end(b, off, true);
	}
}

static void garbage_attrs(struct buf *b, int depth, unsigned int n)
{
	while (n-- && !b->full && b->len < MAX_MSG - 2048)
		garbage_attr(b, depth);
}

/* A chain of nests, up to thousands deep, with garbage at the bottom. */
static void deep_nest(struct buf *b)
{
	unsigned int depth = pct(50) ? range(2, 64) : range(64, 4000), i;
	size_t offs[4000];

	for (i = 0; i < depth && b->len + 64 < MAX_MSG; i++)
		offs[i] = attr_start(b, safe_type((uint16_t)(below(NSLINK_A_MAX + 8) |
							     (pct(90) ? NLA_F_NESTED : 0))));
	garbage_attrs(b, 5, range(0, 3));
	/* nla_len is 16 bits: the outer levels of a big chain are lies. */
	while (i--)
		attr_end(b, offs[i], true);
}

static void huge_attr(struct buf *b)
{
	size_t n = range(4096, 65531), off = attr_start(b, rand_attr_type());

	bput(b, NULL, n);
	if (b->len >= n)
		memset(b->d + b->len - n, pct(50) ? 0 : 'A', n);
	attr_end(b, off, true);
}

static const int wrong_lens[] = { 0, 1, 2, 3, 5, 6, 7, 8, 16 };

struct inj {
	bool host, permitted, target_bad, uncertain;
	int tk;
	size_t tgt_off;	/* bytes never to mutate (the target value) */
	size_t tgt_len;
};

/* Put the INJECT target attribute(s); returns what they amount to. */
static void put_target(struct buf *b, struct inj *in)
{
	static const int tks[] = {
		T_NONE, T_BOTH, T_FD_BADLEN, T_PID_BADLEN, T_FD_TWICE, T_FD_M1,
		T_FD_HUGE, T_FD_CLOSED, T_FD_REG, T_FD_SOCK, T_FD_NETLINK,
		T_FD_MNTNS, T_FD_USERNS, T_FD_SELFNET, T_PID_0, T_PID_NEG,
		T_PID_HUGE, T_PID_KTHREADD, T_PID_KTHREAD, T_PID_ZOMBIE,
		T_PID_EXITED, T_PID_SELF, T_PID_1,
	};
	static const int good[] = {
		T_FD_RUNNETNS, T_FD_PROCCHILD, T_FD_OWNED, T_FD_EXTRA,
		T_PID_CHILD, T_PID_OWNED,
	};
	const struct target *t = NULL, *t2;
	int tk, cls;

	/* Half of the time a target that can be valid, if there is one. */
	do {
		if (pct(50))
			tk = good[below(ARRAY_SIZE(good))];
		else
			tk = tks[below(ARRAY_SIZE(tks))];
	} while (tk > T_FD_TWICE && !g.tk_count[tk] && !pct(1));
	in->tk = tk;
	in->target_bad = true;
	in->host = false;
	in->permitted = false;
	in->uncertain = false;
	switch (tk) {
	case T_NONE:
		return;
	case T_BOTH:
		/* two attributes the contract forbids together; never one
		 * naming a namespace that matters when we are privileged */
		t = pick_target(pct(50) ? T_FD_OWNED : T_FD_M1);
		t2 = pick_target(pct(50) ? T_PID_OWNED : T_PID_0);
		attr_u32(b, NSLINK_A_INJ_NETNS_FD, t ? t->val : 0xffffffffu);
		attr_u32(b, NSLINK_A_INJ_NETNS_PID, t2 ? t2->val : 0);
		break;
	case T_FD_BADLEN:
	case T_PID_BADLEN: {
		uint8_t v[16] = { 0 };
		size_t n = (size_t)wrong_lens[below(ARRAY_SIZE(wrong_lens))], off;

		t = pick_target(tk == T_FD_BADLEN ? T_FD_OWNED : T_PID_OWNED);
		if (t)
			memcpy(v, &t->val, 4);
		off = attr_start(b, tk == T_FD_BADLEN ? NSLINK_A_INJ_NETNS_FD : NSLINK_A_INJ_NETNS_PID);
		bput(b, v, n);
		attr_end(b, off, pct(70));
		break;
	}
	case T_FD_TWICE: {
		const struct target *a = pick_target(T_FD_OWNED), *c = pick_target(T_FD_M1);

		attr_u32(b, NSLINK_A_INJ_NETNS_FD, a ? a->val : 0xffffffffu);
		attr_u32(b, NSLINK_A_INJ_NETNS_FD, c ? c->val : 0xffffffffu);
		in->target_bad = false;
		in->uncertain = true;	/* the contract does not say */
		break;
	}
	default:
		t = pick_target(tk);
		if (!t) {	/* not available here: send the kind anyway, invalid */
			attr_u32(b, tk < T_PID_0 ? NSLINK_A_INJ_NETNS_FD : NSLINK_A_INJ_NETNS_PID, 0xfffffff0u);
			break;
		}
		attr_u32(b, t->fd ? NSLINK_A_INJ_NETNS_FD : NSLINK_A_INJ_NETNS_PID, t->val);
		cls = target_class(t);
		in->target_bad = cls == TC_INVALID;
		in->uncertain = cls == TC_UNKNOWN;
		in->host = cls == TC_HOST || cls == TC_UNKNOWN;
		in->permitted = cls == TC_OWNED || (g.priv && (cls == TC_THROW || cls == TC_HOST));
	}
}

static struct buf tbuf;

/* Append the target chosen earlier into tbuf, and remember where. */
static void insert_target(struct buf *b, struct inj *in)
{
	in->tgt_off = b->len;
	bput(b, tbuf.d, tbuf.len);
	in->tgt_len = b->len - in->tgt_off;
}

/* Build an INJECT request body; returns the expectation. */
static int build_inject(struct buf *b, struct req *r, struct inj *in)
{
	unsigned int nev, i, bad_at = UINT_MAX;
	int verdict = V_OK, pk, one_kind = P_VALID;
	bool big_only = true, any_big = false, big, target_first = pct(80);
	size_t tgt_at = 0;

	/* batch shape */
	switch (below(20)) {
	case 0:
		nev = 0;
		pk = P_NOUEVENT;
		break;
	case 1:
		nev = range(NSLINK_INJECT_MAX_BATCH + 1, NSLINK_INJECT_MAX_BATCH + 20);
		pk = P_TOOMANY;
		break;
	case 2:
		nev = NSLINK_INJECT_MAX_BATCH;
		pk = P_MAXBATCH;
		break;
	case 3: case 4: case 5:
		nev = range(3, pct(30) ? NSLINK_INJECT_MAX_BATCH : 16);
		bad_at = range(1, nev - 2);
		pk = P_BATCH_ONEBAD;
		break;
	case 6: case 7: case 8:
		nev = range(2, pct(20) ? NSLINK_INJECT_MAX_BATCH : 16);
		pk = P_BATCH_VALID;
		break;
	default:
		nev = 1;
		pk = -1;
	}
	/* The target is chosen first: what it is decides the payload. */
	tbuf.len = 0;
	tbuf.full = false;
	put_target(&tbuf, in);
	if (!target_first)
		tgt_at = below(nev + 1);
	if (target_first)
		insert_target(b, in);

	/* A namespace that matters, when we may write into it, gets only
	 * payloads that must be refused. */
	if (in->host && g.priv && nev == 1 && pk < 0)
		one_kind = defects[below(ARRAY_SIZE(defects))];
	else if (in->host && g.priv && pk == P_BATCH_VALID)
		pk = P_BATCH_ONEBAD, bad_at = nev > 2 ? range(1, nev - 2) : 0;
	else if (in->host && g.priv && pk == P_MAXBATCH)
		bad_at = range(1, nev - 2);
	if (nev == 1 && pk < 0 && one_kind == P_VALID) {
		static const int kinds[] = {
			P_VALID, P_VALID, P_VALID, P_VALID, P_VALID, P_NEAR_OK,
			P_BOUND_OK, P_TOOBIG, P_HUGE, P_RANDOM,
		};
		one_kind = kinds[below(ARRAY_SIZE(kinds))];
		if (pct(40))
			one_kind = defects[below(ARRAY_SIZE(defects))];
	}
	for (i = 0; i < nev; i++) {
		int k = P_VALID;

		if (!target_first && i == tgt_at)
			insert_target(b, in);
		if (nev == 1)
			k = one_kind;
		else if (i == bad_at)
			k = defects[below(ARRAY_SIZE(defects) - 1)];	/* not TOOBIG: size */
		int v = put_uevent(b, k, nev, &big);

		if (v == V_BAD) {
			verdict = V_BAD;
			if (!big)
				big_only = false;
			any_big |= big;
		} else if (v == V_MAYBE && verdict == V_OK) {
			verdict = V_MAYBE;
		}
		if (b->full)
			break;
	}
	if (!target_first && tgt_at == nev)
		insert_target(b, in);
	if (nev == 0 || nev > NSLINK_INJECT_MAX_BATCH) {
		verdict = V_BAD;
		big_only = false;
	}
	if (b->full) {
		verdict = V_MAYBE;
		big_only = false;
	}
	if (pk < 0) {
		pk = one_kind;
		if (one_kind == P_BOUND_OK || one_kind == P_BOUND_BAD || one_kind == P_BOUND_MAYBE)
			pk = verdict == V_OK ? P_BOUND_OK : verdict == V_BAD ? P_BOUND_BAD : P_BOUND_MAYBE;
		else if (one_kind == P_NEAR_OK && verdict != V_OK)
			pk = P_BOUND_MAYBE;
	}
	r->pkind = pk;
	r->tkind = in->tk;
	r->host_target = in->host && !in->target_bad;
	r->nuev = (int)nev;

	if (in->target_bad)
		return EX_REFUSE;
	if (in->uncertain)
		return verdict == V_BAD ? EX_REFUSE : EX_ANY;
	if (verdict == V_BAD) {
		if (any_big && big_only && in->permitted)
			return EX_EINVAL_BIG;
		return EX_REFUSE;
	}
	if (verdict == V_MAYBE)
		return in->permitted ? EX_ANY : EX_NOACCEPT;
	return in->permitted ? EX_ACCEPT : EX_EPERM;
}

static void event_like_attrs(struct buf *b)
{
	uint64_t v = rnd();
	size_t off, off2;

	attr_put(b, NSLINK_A_EV_SEQ, &v, 8);
	attr_u8(b, NSLINK_A_EV_REASON, (uint8_t)below(NSLINK_REASON_MAX + 3));
	attr_u32(b, NSLINK_A_EV_PID, (uint32_t)getpid());
	attr_put(b, NSLINK_A_EV_COMM, "nlfuzz", 7);
	off = attr_start(b, NSLINK_A_EV_NS | NLA_F_NESTED);
	attr_u8(b, NSLINK_A_NS_TYPE, (uint8_t)below(NSLINK_NS_MAX + 3));
	attr_u32(b, NSLINK_A_NS_NEW, (uint32_t)rnd());
	off2 = attr_start(b, NSLINK_A_NS_DEV);
	bput(b, &v, 8);
	attr_end(b, off2, true);
	attr_end(b, off, true);
}

/* A command userspace may send (EVENT is kernel-to-user only). */
static bool is_known(uint8_t cmd)
{
	return cmd >= NSLINK_CMD_GET_INFO && cmd <= NSLINK_CMD_INJECT && cmd != NSLINK_CMD_EVENT;
}

static bool is_privileged(uint8_t cmd)
{
	return cmd == NSLINK_CMD_GET_STATS || cmd == NSLINK_CMD_GET_TASKS ||
	       cmd == NSLINK_CMD_SUBSCRIBE;
}

/* What the contract promises for cmd sent in a mode, whatever it carries. */
static int mode_expect(uint8_t cmd, bool dump)
{
	if (!is_known(cmd) || dump != (cmd == NSLINK_CMD_GET_TASKS))
		return EX_REFUSE;
	if (!g.priv && is_privileged(cmd))
		return EX_NOACCEPT;
	return EX_ANY;
}

/* After a mutation that leaves command, mode and attributes' meaning
 * possibly changed: keep only what still holds. */
static int weaken(int orig, uint8_t cmd, bool dump, bool attrs_intact)
{
	int ex = mode_expect(cmd, dump);

	if (ex != EX_ANY)
		return ex;
	if (orig == EX_EPERM || orig == EX_NOACCEPT)
		return EX_NOACCEPT;
	if (attrs_intact && (orig == EX_REFUSE || orig == EX_EINVAL_BIG))
		return EX_REFUSE;
	return EX_ANY;
}

static uint8_t pick_cmd(bool *dump)
{
	uint32_t x = below(100);
	uint8_t cmd;

	if (x < 36)
		cmd = NSLINK_CMD_INJECT;
	else if (x < 46)
		cmd = NSLINK_CMD_GET_INFO;
	else if (x < 54)
		cmd = NSLINK_CMD_GET_STATS;
	else if (x < 62)
		cmd = NSLINK_CMD_GET_TASKS;
	else if (x < 72)
		cmd = NSLINK_CMD_SUBSCRIBE;
	else if (x < 80)
		cmd = NSLINK_CMD_EVENT;
	else if (x < 84)
		cmd = NSLINK_CMD_UNSPEC;
	else
		cmd = (uint8_t)range(NSLINK_CMD_MAX + 1, 255);
	*dump = cmd == NSLINK_CMD_GET_TASKS ? pct(80) : pct(6);
	return cmd;
}

/*
 * Build one message for cmd at the end of b. Attribute-level mutations are
 * decided here; the expectation is set on r. Returns the offset of the
 * message in b.
 */
static size_t build_msg(struct buf *b, struct req *r, uint8_t cmd, bool dump,
			struct inj *in, bool allow_attr_mut)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	size_t m = msg_start(b, g.family, flags, r->seq, cmd, NSLINK_GENL_VERSION);
	int mut = allow_attr_mut && pct(30) ? (int)below(9) : -1;
	int ex = EX_ANY;
	bool contract_dump = cmd == NSLINK_CMD_GET_TASKS;
	bool known = is_known(cmd);

	memset(in, 0, sizeof(*in));
	in->tgt_off = SIZE_MAX;
	r->kind = K_STRUCT;
	switch (cmd) {
	case NSLINK_CMD_GET_INFO:
	case NSLINK_CMD_GET_STATS:
	case NSLINK_CMD_GET_TASKS:
		r->kind = K_VALID;
		if (cmd == NSLINK_CMD_GET_INFO || g.priv)
			ex = EX_ACCEPT;
		else
			ex = EX_EPERM;
		break;
	case NSLINK_CMD_SUBSCRIBE:
		r->kind = K_VALID;
		if (pct(90)) {
			attr_u8(b, NSLINK_A_SUB_EXIT, (uint8_t)below(2));
			ex = !g.priv ? EX_EPERM : g.init_netns ? EX_ACCEPT : EX_ANY;
		} else {
			r->kind = K_STRUCT;	/* no attribute: the contract is silent */
			ex = g.priv ? EX_ANY : EX_NOACCEPT;
		}
		break;
	case NSLINK_CMD_INJECT:
		ex = build_inject(b, r, in);
		r->kind = ex == EX_ACCEPT ? K_VALID : K_STRUCT;
		/* Injection off (a kernel without KALLSYMS_ALL): nothing goes. */
		if (g.inject_off)
			ex = ex == EX_ANY || ex == EX_NOACCEPT ? EX_NOACCEPT : EX_REFUSE;
		break;
	case NSLINK_CMD_EVENT:
		event_like_attrs(b);
		ex = EX_REFUSE;
		break;
	default:
		if (pct(50))
			garbage_attrs(b, 0, range(0, 4));
		ex = EX_REFUSE;
	}
	/* A mode the contract does not give the command must be refused. */
	if (!known || dump != contract_dump)
		ex = EX_REFUSE;
	if (!g.priv && (cmd == NSLINK_CMD_GET_STATS || cmd == NSLINK_CMD_GET_TASKS ||
			cmd == NSLINK_CMD_SUBSCRIBE) && ex == EX_ANY)
		ex = EX_NOACCEPT;

	switch (mut) {
	case 0:
		r->kind = K_GARBAGE;
		garbage_attrs(b, 0, range(1, 6));
		break;
	case 1: {	/* the command's own attribute with a wrong length */
		uint16_t t = cmd == NSLINK_CMD_SUBSCRIBE ? NSLINK_A_SUB_EXIT :
			     cmd == NSLINK_CMD_INJECT ? NSLINK_A_INJ_UEVENT : rand_attr_type();
		size_t n = (size_t)wrong_lens[below(ARRAY_SIZE(wrong_lens))], off;
		uint8_t z[16] = { 1 };

		if (cmd == NSLINK_CMD_SUBSCRIBE && n == 1)
			n = 2;
		r->kind = K_WRONGLEN;
		off = attr_start(b, t);
		bput(b, z, n);
		attr_end(b, off, pct(70));
		/* SUBSCRIBE with a SUB_EXIT that is not a u8, INJECT with a
		 * uevent that is "\x01" and zeros (no '@', or no final NUL):
		 * both must be refused, whatever else they carry. */
		if (cmd == NSLINK_CMD_SUBSCRIBE || cmd == NSLINK_CMD_INJECT)
			ex = EX_REFUSE;
		else if (ex == EX_ACCEPT)
			ex = EX_ANY;
		else if (ex == EX_EPERM)
			ex = EX_NOACCEPT;
		break;
	}
	case 2: {	/* NLA_F_NESTED on flat attributes */
		uint16_t t = (uint16_t)(below(NSLINK_A_MAX + 1) | NLA_F_NESTED);
		uint32_t v = 1;

		if ((t & NLA_TYPE_MASK) == NSLINK_A_INJ_NETNS_FD ||
		    (t & NLA_TYPE_MASK) == NSLINK_A_INJ_NETNS_PID ||
		    (t & NLA_TYPE_MASK) == NSLINK_A_INJ_GROUP)
			t = NSLINK_A_SUB_EXIT | NLA_F_NESTED;
		r->kind = K_NESTFLAG;
		attr_put(b, t, &v, pct(50) ? 4 : 1);
		break;
	}
	case 3:
		r->kind = K_DEEPNEST;
		deep_nest(b);
		break;
	case 4:
		r->kind = K_HUGE;
		huge_attr(b);
		break;
	case 5: {	/* repeat the last attribute a few times */
		size_t start = m + NLMSG_HDRLEN + GENL_HDRLEN, off = start, last = 0, n;
		const struct nlattr *a;

		while ((a = nla_next_ok(b->d + off, b->len - off))) {
			last = off;
			off += NLA_ALIGN(a->nla_len);
		}
		r->kind = K_REPEAT;
		if (off == start || (in->tgt_off <= last && last < in->tgt_off + in->tgt_len)) {
			attr_u8(b, NSLINK_A_SUB_EXIT, 1);
			attr_u8(b, NSLINK_A_SUB_EXIT, 0);
			break;
		}
		a = (const struct nlattr *)(b->d + last);
		n = NLA_ALIGN(a->nla_len);
		for (unsigned int k = range(1, 8); k && b->len + n < MAX_MSG; k--)
			bput(b, b->d + last, n);
		if (cmd != NSLINK_CMD_INJECT || (ex != EX_REFUSE && ex != EX_EINVAL_BIG))
			ex = ex == EX_REFUSE ? EX_REFUSE : EX_ANY;
		if (cmd == NSLINK_CMD_INJECT)
			r->nuev = -1;
		break;
	}
	case 6:
		r->kind = K_UNKNOWNATTR;
		attr_u32(b, (uint16_t)range(NSLINK_A_MAX + 1, 0x3fff), (uint32_t)rnd());
		if (pct(30))
			attr_u32(b, 0, 0);
		break;
	case 7:	/* values outside the contract's range */
		r->kind = K_RANGE;
		attr_u8(b, NSLINK_A_SUB_EXIT, (uint8_t)range(2, 255));
		break;
	case 8: {
		size_t off = attr_start(b, rand_attr_type());

		r->kind = pct(50) ? K_ZEROLEN : K_ODDLEN;
		if (r->kind == K_ODDLEN)
			bput(b, "abc", range(1, 3));
		attr_end(b, off, false);
		break;
	}
	}
	if (mut >= 0 && mut != 1 && ex != EX_REFUSE && ex != EX_EINVAL_BIG)
		ex = (ex == EX_EPERM || ex == EX_NOACCEPT) ? EX_NOACCEPT : EX_ANY;
	if (mut >= 0 && ex == EX_EINVAL_BIG)
		ex = EX_REFUSE;
	r->expect = ex;
	msg_end(b, m);
	return m;
}

/* Pick the socket for a case. */
static struct sk *pick_sock(int *kind_override)
{
	uint32_t x = below(100);

	*kind_override = -1;
	if (x < 8) {
		*kind_override = K_ECHO_SOCK;
		return &g.echo;
	}
	if (x < 12) {
		*kind_override = K_NOEXTACK_SOCK;
		return &g.noext;
	}
	return &g.main;
}

/* Send a case's datagram. If the kernel never saw it (sendmsg failed, e.g.
 * EMSGSIZE), its requests are not counted as sent. */
static void send_dgram(struct sk *s, const void *p, size_t n)
{
	int e = sk_send(s, p, n);

	g.datagrams++;
	if (e) {
		int i;

		g.send_err++;
		g.send_errno[errno_idx(e)]++;
		for (i = 0; i < g.ncase_reqs; i++)
			ring[g.case_reqs[i]].unsent = true;
		if (g.verbose)
			fprintf(stderr, "send of %zu bytes: %s\n", n, strerror(-e));
	}
}

static void set_socket_flags(struct req *r, const struct sk *s)
{
	r->ext_ack = s->ext_ack;
}

/* One message, maybe mutated at the framing level. */
static void case_single(void)
{
	struct buf *b = &g.b;
	struct inj in;
	int ko;
	struct sk *s = pick_sock(&ko);
	bool dump;
	uint8_t cmd = pick_cmd(&dump);
	struct req *r = new_req(cmd, dump, K_STRUCT), *t;
	size_t m, n, cut;
	uint32_t len;
	int fm = pct(30) ? (int)below(12) : -1;

	b->len = 0;
	b->full = false;
	set_socket_flags(r, s);
	m = build_msg(b, r, cmd, dump, &in, true);
	if (ko >= 0 && r->kind == K_VALID)
		r->kind = ko;
	/* Root never mutates an INJECT aimed at a namespace that matters
	 * beyond what keeps it refused. */
	if (g.priv && r->host_target && (fm == 2 || fm == 6 || fm == 7 || fm == 8))
		fm = 4;
	switch (fm) {
	case 0:	/* truncated nlmsghdr: the datagram ends inside it */
		r->kind = K_TRUNC_NL;
		r->framed = false;
		r->expect = EX_NOACCEPT;
		send_dgram(s, b->d, range(1, NLMSG_HDRLEN - 1));	/* 0 bytes: ENODATA */
		break;
	case 1:	/* truncated genlmsghdr, framing consistent */
		r->kind = K_TRUNC_GENL;
		r->framed = false;
		r->expect = EX_REFUSE;
		len = NLMSG_HDRLEN + below(GENL_HDRLEN);
		memcpy(b->d, &len, 4);
		send_dgram(s, b->d, len);
		break;
	case 2:	/* nlmsg_len shorter than the buffer; the rest is a message */
		r->kind = K_LEN_SHORT;
		r->framed = false;
		r->expect = EX_ANY;
		n = b->len;
		if (n < NLMSG_HDRLEN + GENL_HDRLEN + 8) {
			bput(b, NULL, 64);
			n = b->len;
		}
		len = (uint32_t)range(NLMSG_HDRLEN, (uint32_t)n - 1);
		memcpy(b->d, &len, 4);
		cut = NLMSG_ALIGN(len);
		if (n >= cut + NLMSG_HDRLEN) {
			/* A message of our family must follow, never one the
			 * bytes happen to address elsewhere. */
			struct nlmsghdr h = { .nlmsg_len = (uint32_t)(n - cut),
					      .nlmsg_type = g.family,
					      .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK };
			uint8_t tcmd = n - cut >= NLMSG_HDRLEN + 1 ? b->d[cut + NLMSG_HDRLEN] : 0;

			t = new_req(tcmd, false, K_LEN_TAIL);
			set_socket_flags(t, s);
			t->framed = false;
			h.nlmsg_seq = t->seq;
			/*
			 * A wrong length, but never one that ends inside the
			 * buffer: the bytes after it would be a third message,
			 * with a seq of whatever they hold (seen: "bind", an
			 * answer with an unknown seq).
			 */
			if (pct(20))
				h.nlmsg_len = pct(50) || n - cut > 0xffff ?
					      below(NLMSG_HDRLEN) :
					      range((uint32_t)(n - cut), 0xffff);
			memcpy(b->d + cut, &h, sizeof(h));
		}
		send_dgram(s, b->d, n);
		break;
	case 3:	/* nlmsg_len longer than the buffer */
		r->kind = K_LEN_LONG;
		r->framed = false;
		r->expect = EX_NOACCEPT;
		len = pct(20) ? 0xffffffffu : (uint32_t)(b->len + range(1, 4096));
		memcpy(b->d, &len, 4);
		send_dgram(s, b->d, b->len);
		break;
	case 4:	/* nlmsg_len below the header size */
		r->kind = K_LEN_TINY;
		r->framed = false;
		r->expect = EX_NOACCEPT;
		len = below(NLMSG_HDRLEN);
		memcpy(b->d, &len, 4);
		send_dgram(s, b->d, b->len);
		break;
	case 5: {	/* not a request */
		uint16_t f = (uint16_t)(((const struct nlmsghdr *)b->d)->nlmsg_flags & ~NLM_F_REQUEST);

		r->kind = K_NOREQ;
		r->request = false;
		r->expect = EX_IGNORED;
		memcpy(b->d + 6, &f, 2);
		send_dgram(s, b->d, b->len);
		break;
	}
	case 6: {	/* random flags, REQUEST kept */
		uint16_t f = (uint16_t)((rnd() & 0x7fff) | NLM_F_REQUEST);

		r->kind = K_FLAGS;
		r->dump = (f & NLM_F_DUMP) == NLM_F_DUMP;
		r->row = row_of(cmd, r->dump);
		r->nuev = -1;
		r->expect = weaken(r->expect, cmd, r->dump, r->dump == dump);
		memcpy(b->d + 6, &f, 2);
		send_dgram(s, b->d, b->len);
		break;
	}
	case 7: {	/* bit flips / byte overwrites after the nlmsghdr */
		unsigned int k = range(1, 8);

		r->kind = K_BITFLIP;
		r->nuev = -1;
		for (; k; k--) {
			size_t at = NLMSG_HDRLEN + below((uint32_t)(b->len - NLMSG_HDRLEN));

			if (at >= in.tgt_off && at < in.tgt_off + in.tgt_len)
				continue;
			if (pct(50))
				b->d[at] ^= (uint8_t)(1u << below(8));
			else
				b->d[at] = (uint8_t)below(256);
		}
		r->expect = b->d[NLMSG_HDRLEN] == cmd ? weaken(r->expect, cmd, dump, false) :
			    mode_expect(b->d[NLMSG_HDRLEN], dump);
		cmd = b->d[NLMSG_HDRLEN];
		r->cmd = cmd;
		r->row = row_of(cmd, dump);
		send_dgram(s, b->d, b->len);
		break;
	}
	case 8:	/* cut anywhere after the genl header, framing consistent */
		r->kind = K_TRUNC_TAIL;
		r->nuev = -1;
		if (b->len > NLMSG_HDRLEN + GENL_HDRLEN + 1) {
			len = (uint32_t)range(NLMSG_HDRLEN + GENL_HDRLEN + 1, (uint32_t)b->len - 1);
			memcpy(b->d, &len, 4);
			b->len = len;
		}
		r->expect = weaken(r->expect, cmd, dump, false);
		send_dgram(s, b->d, b->len);
		break;
	case 9:	/* genl version and reserved: the contract says version 1 */
		r->kind = K_VERSION;
		b->d[NLMSG_HDRLEN + 1] = (uint8_t)below(256);
		if (pct(50))
			memset(b->d + NLMSG_HDRLEN + 2, 0xff, 2);
		r->expect = weaken(r->expect, cmd, dump, true);
		send_dgram(s, b->d, b->len);
		break;
	default:
		send_dgram(s, b->d + m, b->len - m);
	}
	sync_sock(s);
	finish_case();
}

/* Several well-framed messages in one datagram, each judged alone. */
static void case_multi(void)
{
	struct buf *b = &g.b;
	struct inj in;
	unsigned int n = range(2, 4), i;

	b->len = 0;
	b->full = false;
	for (i = 0; i < n && b->len < MAX_MSG / 2; i++) {
		bool dump;
		uint8_t cmd = pick_cmd(&dump);
		struct req *r;

		/* at most one dump per datagram, and only last: a second one
		 * would get EBUSY, which the contract does not speak of */
		if (dump && i + 1 < n)
			dump = false;
		r = new_req(cmd, dump, K_MULTI);
		set_socket_flags(r, &g.main);
		build_msg(b, r, cmd, dump, &in, false);
		r->kind = K_MULTI;
		bpad(b);
	}
	send_dgram(&g.main, b->d, b->len);
	sync_sock(&g.main);
	finish_case();
}

/* GET_TASKS dumps on a socket of their own, cut short in several ways. */
static void case_dump(void)
{
	struct sk s;
	struct buf *b = &g.b;
	struct inj in;
	int how = (int)below(4), reads, i;
	struct req *r, *r2 = NULL;
	ssize_t n;
	int rcv = how == 2 ? (int)range(1, 4096) : 0;
	bool peek = how == 2 && pct(50);

	if (sk_open(&s, pct(50), true, rcv) < 0) {
		anomaly("cannot open a socket: %s", strerror(errno));
		return;
	}
	b->len = 0;
	b->full = false;
	r = new_req(NSLINK_CMD_GET_TASKS, true, K_DUMP_CLOSE + how);
	set_socket_flags(r, &s);
	build_msg(b, r, NSLINK_CMD_GET_TASKS, true, &in, false);
	r->kind = K_DUMP_CLOSE + how;
	if (how == 3) {
		r2 = new_req(NSLINK_CMD_GET_TASKS, true, K_DUMP_TWICE);
		set_socket_flags(r2, &s);
		build_msg(b, r2, NSLINK_CMD_GET_TASKS, true, &in, false);
		r2->kind = K_DUMP_TWICE;
		r2->expect = r->expect == EX_ACCEPT ? EX_ANY : r->expect;
	}
	send_dgram(&s, b->d, b->len);
	switch (how) {
	case 0:	/* look at the first answer only, then close */
	case 1:	/* read a few parts, then close */
		reads = how == 0 ? 1 : (int)range(1, 6);
		for (i = 0; i < reads; i++) {
			n = sk_recv(&s, g.rx, sizeof(g.rx), TIMEOUT_MS);
			if (n == -ENOBUFS) {
				g.enobufs++;
				continue;
			}
			if (n <= 0)
				break;
			handle_dgram(&s, n);
			if (r->final)
				break;
		}
		if (!r->final && r->running)
			g.dumps_interrupted++;
		/* cut short: judge what we saw */
		if (!r->final && r->replied)
			r->expect = r->expect == EX_ACCEPT ? EX_ANY : r->expect;
		if (!r->final && !r->replied && r->expect != EX_ACCEPT)
			r->expect = EX_ANY;
		close(s.fd);
		r->running = false;
		break;
	default:	/* read everything; with a tiny SO_RCVBUF, maybe peeking
			 * into a tiny buffer first (MSG_TRUNC tells the size) */
		while (!r->final || (r2 && !r2->final)) {
			if (peek) {
				char tiny[64];
				ssize_t full = recv(s.fd, tiny, range(1, sizeof(tiny)),
						    MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);

				if (full > (ssize_t)sizeof(g.rx))
					anomaly("a dump part of %zd bytes", full);
			}
			n = sk_recv(&s, g.rx, sizeof(g.rx), TIMEOUT_MS);
			if (n == -ENOBUFS) {
				g.enobufs++;
				continue;
			}
			if (n <= 0) {
				anomaly("dump on a socket of its own: %s", n ? strerror((int)-n) : "timeout");
				break;
			}
			handle_dgram(&s, n);
		}
		close(s.fd);
		r->running = false;
		if (r2)
			r2->running = false;
	}
	finish_case();
}

/* SUBSCRIBE on a socket that is then closed: the subscription must go. */
static void case_sub_close(void)
{
	struct sk s;
	struct buf *b = &g.b;
	struct inj in;
	struct req *r;

	if (sk_open(&s, true, true, 0) < 0)
		return;
	b->len = 0;
	b->full = false;
	r = new_req(NSLINK_CMD_SUBSCRIBE, false, K_SUB_CLOSE);
	set_socket_flags(r, &s);
	build_msg(b, r, NSLINK_CMD_SUBSCRIBE, false, &in, false);
	r->kind = K_SUB_CLOSE;
	send_dgram(&s, b->d, b->len);
	sync_sock(&s);
	close(s.fd);
	finish_case();
}

/* ------------------------------------------------------- GET_STATS */

struct stats {
	bool ok;
	uint64_t emitted, dropped, seq, injected, refused;
	bool have_inj;
	int err;
};

static void get_stats(struct stats *st)
{
	struct buf *b = &g.b;
	size_t m;
	ssize_t n;
	uint32_t seq = next_seq++;
	bool done = false;

	memset(st, 0, sizeof(*st));
	b->len = 0;
	m = msg_start(b, g.family, NLM_F_REQUEST | NLM_F_ACK, seq, NSLINK_CMD_GET_STATS, NSLINK_GENL_VERSION);
	msg_end(b, m);
	if (sk_send(&g.main, b->d, b->len))
		return;
	while (!done && (n = sk_recv(&g.main, g.rx, sizeof(g.rx), TIMEOUT_MS)) > 0) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)g.rx;
		size_t rem = (size_t)n;

		for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				st->err = e->error;
				done = true;
			} else if (h->nlmsg_type == g.family && h->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN)) {
				const uint8_t *p = (const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN;
				size_t len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), off;
				const struct nlattr *a;

				st->ok = true;
				for_each_nla(a, p, len, off) {
					switch (a->nla_type & NLA_TYPE_MASK) {
					case NSLINK_A_STATS_EMITTED: st->emitted = nla_u64(a); break;
					case NSLINK_A_STATS_DROPPED: st->dropped = nla_u64(a); break;
					case NSLINK_A_STATS_SEQ: st->seq = nla_u64(a); break;
					case NSLINK_A_STATS_INJECTED: st->injected = nla_u64(a); st->have_inj = true; break;
					case NSLINK_A_STATS_INJECT_REFUSED: st->refused = nla_u64(a); break;
					}
				}
			}
		}
	}
	if (st->err)
		st->ok = false;
}

static bool get_info_ok(char *version, size_t vlen, uint64_t *features)
{
	struct buf *b = &g.b;
	size_t m;
	ssize_t n;
	uint32_t seq = next_seq++;
	bool done = false, ok = false;

	b->len = 0;
	m = msg_start(b, g.family, NLM_F_REQUEST | NLM_F_ACK, seq, NSLINK_CMD_GET_INFO, NSLINK_GENL_VERSION);
	msg_end(b, m);
	if (sk_send(&g.main, b->d, b->len))
		return false;
	while (!done && (n = sk_recv(&g.main, g.rx, sizeof(g.rx), TIMEOUT_MS)) > 0) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)g.rx;
		size_t rem = (size_t)n;

		for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				ok = ok && e->error == 0;
				done = true;
			} else if (h->nlmsg_type == g.family && h->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN)) {
				const uint8_t *p = (const uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN;
				size_t len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), off;
				const struct nlattr *a;

				for_each_nla(a, p, len, off) {
					if ((a->nla_type & NLA_TYPE_MASK) == NSLINK_A_INFO_VERSION &&
					    memchr(nla_data_c(a), 0, nla_plen(a))) {
						snprintf(version, vlen, "%s", (const char *)nla_data_c(a));
						ok = true;
					}
					if ((a->nla_type & NLA_TYPE_MASK) == NSLINK_A_INFO_FEATURES &&
					    nla_plen(a) == sizeof(uint64_t))
						memcpy(features, nla_data_c(a), sizeof(uint64_t));
				}
			}
		}
	}
	return ok && done;
}

/* ------------------------------------------------------- report */

static int checks_failed;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("CHECK %s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	checks_failed += !ok;
}

static void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void skip(const char *fmt, ...)
{
	va_list ap;

	printf("CHECK skipped: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static const char *errname(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EBADF, "EBADF" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EBUSY, "EBUSY" }, { EINVAL, "EINVAL" }, { ERANGE, "ERANGE" },
		{ EMSGSIZE, "EMSGSIZE" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENOBUFS, "ENOBUFS" }, { E2BIG, "E2BIG" }, { ENODEV, "ENODEV" },
		{ ENOSPC, "ENOSPC" }, { ENOTSUPP_COMPAT, "ENOTSUPP" },
	};
	static char buf[24];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == e)
			return names[i].n;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static const char *listed_str(uint8_t cmd)
{
	uint32_t f = g.ops[cmd];

	if (!(f & LISTED))
		return "no";
	if ((f & GENL_CMD_CAP_DO) && (f & GENL_CMD_CAP_DUMP))
		return "do,dump";
	if (f & GENL_CMD_CAP_DUMP)
		return "dump";
	if (f & GENL_CMD_CAP_DO)
		return "do";
	return "yes";
}

static void print_kstats(const char *title, const struct kstat *k, const char *const *names, int n)
{
	int i;

	printf("\n%s\n  %-40s %8s %8s %8s %8s\n", title, "", "sent", "accepted", "refused", "silent");
	for (i = 0; i < n; i++)
		if (k[i].sent)
			printf("  %-40s %8lu %8lu %8lu %8lu\n", names[i], k[i].sent, k[i].acc, k[i].ref, k[i].silent);
}

static const char *row_name(int row)
{
	static char name[40];

	snprintf(name, sizeof(name), "%s%s", cmd_names[row / 2], row & 1 ? " (dump)" : "");
	return name;
}

static int cmp_ext(const void *a, const void *b)
{
	const struct ext_entry *x = a, *y = b;

	return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;
}

static void report(double secs)
{
	int row, i, nunk = 0;
	unsigned long noext_total = 0;

	printf("\nnlfuzz: %lu messages in %lu datagrams, %.1f s, %.0f messages/s; ENOBUFS %lu\n",
	       g.msgs, g.datagrams, secs, secs > 0 ? g.msgs / secs : 0.0, g.enobufs);
	printf("not counted: %lu messages in %lu datagrams that sendmsg refused (", g.unsent, g.send_err);
	for (i = 0; i < 256; i++)
		if (g.send_errno[i])
			printf(" %s %lu", errname(i), g.send_errno[i]);
	printf(" )\n");
	for (i = 0; i < 256; i++)
		nunk += !!(g.unknown_seen[i / 8] & (1 << (i % 8)));
	printf("\n%-24s %-8s %8s %8s %8s %8s %8s  %s\n", "command", "kernel", "sent", "accepted",
	       "refused", "silent", "ignored", "refusals by errno");
	for (row = 0; row < NROWS; row++) {
		const struct rowstat *rst = &g.rows[row];
		int order[256], n = 0, j, k;
		char name[40];
		uint8_t cmd = (uint8_t)(row / 2);

		if (!rst->sent)
			continue;
		snprintf(name, sizeof(name), "%s%s", cmd_names[row / 2], row & 1 ? " (dump)" : "");
		for (j = 0; j < 256; j++)
			if (rst->err[j])
				order[n++] = j;
		for (j = 0; j < n; j++)
			for (k = j + 1; k < n; k++)
				if (rst->err[order[k]] > rst->err[order[j]]) {
					int t = order[j];

					order[j] = order[k];
					order[k] = t;
				}
		printf("%-24s %-8s %8lu %8lu %8lu %8lu %8lu ", name,
		       cmd <= NSLINK_CMD_MAX ? listed_str(cmd) : "no", rst->sent, rst->acc,
		       rst->ref, rst->silent, rst->ignored);
		for (j = 0; j < n && j < 4; j++)
			printf(" %s %lu", errname(order[j]), rst->err[order[j]]);
		printf("\n");
	}
	printf("unknown command numbers covered: %d of 249 (7-255)\n", nunk);

	print_kstats("by case kind:", g.kinds, kind_names, NKINDS);
	print_kstats("INJECT targets:", g.tkinds, tkind_names, NTKINDS);
	print_kstats("INJECT payloads:", g.pkinds, pkind_names, NPKINDS);

	printf("\nGET_TASKS dumps: %lu completed, %lu cut short by closing the socket, %lu parts read\n",
	       g.dumps_done, g.dumps_interrupted, g.dump_parts);
	printf("INJECT: %lu uevents acknowledged (SEQNUMs in replies)", g.acked_uevents);
	if (g.acked_uevents)
		printf(", SEQNUM %" PRIu64 "..%" PRIu64, g.min_seqnum, g.max_seqnum);
	printf("\nevents group: %lu events received, %lu ENOBUFS\n", g.events_seen, g.events_enobufs);

	qsort(g.ext, (size_t)g.next_ext, sizeof(g.ext[0]), cmp_ext);
	printf("\nextack messages (distinct: %d%s):\n", g.next_ext, g.ext_other ? ", more not kept" : "");
	for (i = 0; i < g.next_ext; i++)
		printf("  %8lu  %-10s %-21s \"%s\"\n", g.ext[i].n, errname(-g.ext[i].err),
		       row_name(g.ext[i].row), g.ext[i].msg);
	for (i = 0; i < g.n_noext; i++)
		noext_total += g.noext_tab[i].n;
	printf("\nrefusals without an extack message (well-framed, command listed, extack on): %lu\n", noext_total);
	for (i = 0; i < g.n_noext; i++)
		printf("  %8lu  %s%s %s\n", g.noext_tab[i].n, cmd_names[g.noext_tab[i].row / 2],
		       g.noext_tab[i].row & 1 ? " (dump)" : "", errname(-g.noext_tab[i].err));
	printf("refusals without an extack message from the genl/netlink core (command or mode not listed, dump already running): %lu\n",
	       g.noext_core);
	{
		unsigned long acc = 0, ref = 0, sil = 0, ign = 0, next = 0;

		for (row = 0; row < NROWS; row++) {
			acc += g.rows[row].acc;
			ref += g.rows[row].ref;
			sil += g.rows[row].silent;
			ign += g.rows[row].ignored;
		}
		for (i = 0; i < g.next_ext; i++)
			next += g.ext[i].n;
		printf("\ntotal: %lu messages: %lu accepted, %lu refused (%lu with an extack message), %lu unanswered (framing the kernel drops), %lu not requests; %lu uevents injected\n",
		       g.msgs, acc, ref, next, sil, ign, g.acked_uevents);
	}
}

/* ------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr,
		"usage: nlfuzz [--seed N] [--count N] [--verbose] [--expect-unprivileged]\n"
		"              [--netns PATH]... [--print-stats]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct stats st0, st1;
	struct timespec t0, t1;
	double secs;
	char version[64] = "";
	uint64_t features = 0;
	int i, e;
	unsigned long target;

	g.count = 100000;
	g.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			g.seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			g.count = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--verbose"))
			g.verbose = true;
		else if (!strcmp(argv[i], "--expect-unprivileged"))
			g.expect_unpriv = true;
		else if (!strcmp(argv[i], "--print-stats"))
			g.print_stats = true;
		else if (!strcmp(argv[i], "--netns") && i + 1 < argc && g.n_extra < 8)
			g.extra_netns[g.n_extra++] = argv[++i];
		else
			usage();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGCHLD, SIG_DFL);	/* keep the zombie a zombie */
	signal(SIGPIPE, SIG_IGN);
	g.priv = have_cap_sys_admin() && in_init_userns();
	if (g.priv)
		g.init_netns = ino_of("/proc/self/ns/net") == ino_of("/proc/1/ns/net");

	if (sk_open(&g.main, true, true, 4 << 20) < 0)
		die("cannot open a generic netlink socket");
	e = resolve_family();
	if (e || !g.family) {
		fprintf(stderr, "nlfuzz: cannot resolve the %s family (%s): is the module loaded? (modprobe nslink)\n",
			NSLINK_GENL_NAME, strerror(e ? -e : ENOENT));
		return 2;
	}
	if (g.print_stats) {
		get_stats(&st0);
		if (!st0.ok) {
			fprintf(stderr, "nlfuzz: GET_STATS: %s\n", strerror(st0.err ? -st0.err : EIO));
			return 2;
		}
		printf("stats emitted=%" PRIu64 " dropped=%" PRIu64 " seq=%" PRIu64 " injected=%" PRIu64
		       " inject_refused=%" PRIu64 "\n", st0.emitted, st0.dropped, st0.seq, st0.injected, st0.refused);
		return 0;
	}
	if (g.expect_unpriv && g.priv) {
		fprintf(stderr, "nlfuzz: --expect-unprivileged, but this process has CAP_SYS_ADMIN\n");
		return 2;
	}
	/* What the module can do here decides what INJECT may get. */
	if (!get_info_ok(version, sizeof(version), &features)) {
		fprintf(stderr, "nlfuzz: the module does not answer GET_INFO\n");
		return 2;
	}
	g.inject_off = !(features & NSLINK_F_INJECT);
	if (g.inject_off)
		printf("nlfuzz: the module has injection off on this kernel: every INJECT must be refused\n");
	if (sk_open(&g.echo, false, true, 4 << 20) < 0 || sk_open(&g.noext, true, false, 4 << 20) < 0)
		die("cannot open a generic netlink socket");
	seed_rng(g.seed);

	printf("nlfuzz: seed %" PRIu64 " (replay: --seed %" PRIu64 " --count %lu), %s, family %s id %u, events group %u\n",
	       g.seed, g.seed, g.count,
	       g.priv ? "privileged (CAP_SYS_ADMIN in the initial user namespace)" : "unprivileged",
	       NSLINK_GENL_NAME, g.family, g.events_grp);
	printf("kernel lists:");
	for (i = 0; i <= 255; i++)
		if (g.ops[i] & LISTED)
			printf(" %s(%s)", i <= NSLINK_CMD_MAX ? cmd_names[i] : "?", listed_str((uint8_t)i));
	printf("\ncontract commands the kernel does not list:");
	for (i = NSLINK_CMD_GET_INFO; i <= NSLINK_CMD_MAX; i++)
		if (!(g.ops[i] & LISTED) && i != NSLINK_CMD_EVENT)
			printf(" %s", cmd_names[i]);
	printf("\n");

	/* The events group: root may join it, nobody may not. */
	g.events.fd = -1;
	if (!g.events_grp) {
		check(false, "the family has an \"%s\" multicast group", NSLINK_MCGRP_EVENTS);
	} else {
		struct sk es;
		int grp = (int)g.events_grp;

		if (sk_open(&es, true, true, 4 << 20) < 0)
			die("socket");
		e = setsockopt(es.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) ? errno : 0;
		if (g.priv) {
			check(e == 0, "joining \"events\" as a privileged caller: %s", e ? strerror(e) : "joined");
			g.events = es;
		} else {
			check(e == EPERM, "joining \"events\" unprivileged is refused with EPERM (got %s)",
			      e ? strerror(e) : "joined");
			close(es.fd);
		}
	}

	setup_targets();
	g.uevent_seqnum0 = read_uevent_seqnum();
	if (listed(NSLINK_CMD_GET_STATS, false) && g.priv)
		get_stats(&st0);
	else
		memset(&st0, 0, sizeof(st0));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	target = g.count;
	while (g.msgs < target) {
		uint32_t x = below(1000);

		if (x < 25)
			case_dump();
		else if (x < 35)
			case_sub_close();
		else if (x < 90)
			case_multi();
		else
			case_single();
		if ((g.datagrams & 15) == 0)
			drain_events();
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	drain_events();
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	report(secs);
	printf("\n");

	e = get_info_ok(version, sizeof(version), &features);
	check(e, "the module still answers GET_INFO after the run (version %s)", version[0] ? version : "?");
	check(g.msgs >= g.count, "%lu messages sent (at least %lu)", g.msgs, g.count);
	check(g.violations == 0, "every outcome the contract decides was as it says (%lu violations)", g.violations);
	check(g.anomalies == 0 && g.timeouts == 0,
	      "every answer was well-formed and came in time (%lu anomalies, %lu timeouts)", g.anomalies, g.timeouts);
	{
		unsigned long inj_noext = 0;

		for (i = 0; i < g.n_noext; i++)
			if (g.noext_tab[i].row / 2 == NSLINK_CMD_INJECT)
				inj_noext += g.noext_tab[i].n;
		if (listed(NSLINK_CMD_INJECT, false))
			check(inj_noext == 0, "every INJECT refusal carried an extack message (%lu without)", inj_noext);
		else
			skip("INJECT refusals carry an extack message: the kernel does not list INJECT");
	}
	if (!g.priv) {
		unsigned long acc = 0;
		const int priv_rows[] = {
			row_of(NSLINK_CMD_GET_STATS, false), row_of(NSLINK_CMD_GET_STATS, true),
			row_of(NSLINK_CMD_GET_TASKS, false), row_of(NSLINK_CMD_GET_TASKS, true),
			row_of(NSLINK_CMD_SUBSCRIBE, false), row_of(NSLINK_CMD_SUBSCRIBE, true),
		};

		for (i = 0; i < (int)ARRAY_SIZE(priv_rows); i++)
			acc += g.rows[priv_rows[i]].acc;
		check(acc == 0, "unprivileged: GET_STATS, GET_TASKS and SUBSCRIBE never accepted (%lu accepted)", acc);
		printf("acked-uevents: %lu\n", g.acked_uevents);
	}
	if (g.acked_uevents) {
		uint64_t now = read_uevent_seqnum();

		check(now >= g.max_seqnum, "/sys/kernel/uevent_seqnum (%" PRIu64 ") reached the largest SEQNUM acknowledged (%" PRIu64 ")",
		      now, g.max_seqnum);
	}
	if (!g.priv) {
		skip("counters: GET_STATS is privileged; compare 'nlfuzz --print-stats' as root around this run (acked-uevents above)");
	} else if (!listed(NSLINK_CMD_GET_STATS, false)) {
		skip("counters: the kernel does not list GET_STATS");
	} else {
		get_stats(&st1);
		if (!st0.ok || !st1.ok) {
			check(false, "GET_STATS answers before and after the run");
		} else {
			if (st0.have_inj && st1.have_inj)
				check(st1.injected - st0.injected == g.acked_uevents,
				      "stats-injected grew by the uevents acknowledged: %" PRIu64 " -> %" PRIu64 " (+%" PRIu64 "), acknowledged %lu",
				      st0.injected, st1.injected, st1.injected - st0.injected, g.acked_uevents);
			else
				check(false, "GET_STATS carries NSLINK_A_STATS_INJECTED");
			check(st1.seq >= st0.seq, "stats-seq did not go backwards: %" PRIu64 " -> %" PRIu64, st0.seq, st1.seq);
			check(st1.emitted >= st0.emitted, "stats-emitted did not go backwards: %" PRIu64 " -> %" PRIu64,
			      st0.emitted, st1.emitted);
			check(st1.dropped >= st0.dropped, "stats-dropped did not go backwards: %" PRIu64 " -> %" PRIu64,
			      st0.dropped, st1.dropped);
			check(st1.refused >= st0.refused, "stats-inject-refused did not go backwards: %" PRIu64 " -> %" PRIu64,
			      st0.refused, st1.refused);
		}
	}
	cleanup_targets();
	printf("nlfuzz: %s (seed %" PRIu64 ")\n", checks_failed ? "FAILED" : "all checks held", g.seed);
	return checks_failed ? 1 : 0;
}
