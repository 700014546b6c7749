// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace-change events on the userspace side; see nsevent.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <netlink/genl/genl.h>

#include "nl.h"
#include "nsevent.h"

static const char *const reason_names[NSLINK_REASON_MAX + 1] = {
	[NSLINK_REASON_CLONE] = "clone",
	[NSLINK_REASON_UNSHARE] = "unshare",
	[NSLINK_REASON_SETNS] = "setns",
	[NSLINK_REASON_EXEC] = "exec",
	[NSLINK_REASON_EXIT] = "exit",
};

static const char *const type_names[NSLINK_NS_MAX + 1] = {
	[NSLINK_NS_MNT] = "mnt",
	[NSLINK_NS_UTS] = "uts",
	[NSLINK_NS_IPC] = "ipc",
	[NSLINK_NS_NET] = "net",
	[NSLINK_NS_PID] = "pid",
	[NSLINK_NS_CGROUP] = "cgroup",
	[NSLINK_NS_TIME] = "time",
	[NSLINK_NS_USER] = "user",
};

static const char *const owner_names[NSLINK_OWNER_MAX + 1] = {
	[NSLINK_OWNER_UID] = "uid",
	[NSLINK_OWNER_USERNS] = "userns",
	[NSLINK_OWNER_PIDNS] = "pidns",
	[NSLINK_OWNER_OTHERS] = "others",
};

/* enum nslink_sum_cause, by bit. */
static const struct {
	uint32_t bit;
	const char *name;
} cause_names[] = {
	{ NSLINK_SUM_RATE, "rate" },
	{ NSLINK_SUM_RING, "ring" },
	{ NSLINK_SUM_STASH, "stash" },
};

const char *nsev_reason_name(unsigned int reason)
{
	return reason >= 1 && reason <= NSLINK_REASON_MAX ?
		reason_names[reason] : "?";
}

const char *nsev_type_name(unsigned int type)
{
	return type >= 1 && type <= NSLINK_NS_MAX ? type_names[type] : "?";
}

const char *nsev_owner_name(unsigned int kind)
{
	return kind >= 1 && kind <= NSLINK_OWNER_MAX ? owner_names[kind] : "?";
}

int nsev_parse_list(enum nsev_kind kind, const char *arg, uint32_t *mask,
		    char *err, size_t errlen)
{
	const char *const *names = kind == NSEV_TYPES ? type_names : reason_names;
	unsigned int max = kind == NSEV_TYPES ? NSLINK_NS_MAX : NSLINK_REASON_MAX;
	const char *what = kind == NSEV_TYPES ? "namespace type" : "reason";
	const char *p = arg, *end;
	unsigned int i;
	size_t len;

	*mask = 0;
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		for (i = 1; i <= max; i++)
			if (strlen(names[i]) == len && !strncmp(names[i], p, len))
				break;
		if (i > max) {
			char list[128] = "";

			for (i = 1; i <= max; i++) {
				strcat(list, names[i]);
				if (i < max)
					strcat(list, ",");
			}
			snprintf(err, errlen, "unknown %s '%.*s' (one of %s)",
				 what, (int)len, p, list);
			return -1;
		}
		*mask |= 1u << i;
		if (!end)
			return 0;
		p = end + 1;
	}
}

/* The SUMMARY part of nsev_parse(): tb is checked against its policy. */
static int parse_summary(struct nlattr **tb, struct nsev_sum *sum)
{
	struct nlattr *a;
	unsigned int i;
	int rem;

	if (!tb[NSLINK_A_SUM_OWNER_KIND] || !tb[NSLINK_A_SUM_COUNT])
		return -1;
	sum->owner_kind = nla_get_u8(tb[NSLINK_A_SUM_OWNER_KIND]);
	sum->count = nla_get_u64(tb[NSLINK_A_SUM_COUNT]);
	if (tb[NSLINK_A_SUM_OWNER_UID]) {
		sum->has_uid = true;
		sum->uid = nla_get_u32(tb[NSLINK_A_SUM_OWNER_UID]);
	}
	if (tb[NSLINK_A_SUM_OWNER_NS]) {
		sum->has_ns = true;
		sum->ns = nla_get_u32(tb[NSLINK_A_SUM_OWNER_NS]);
	}
	if (tb[NSLINK_A_SUM_REASONS]) {
		sum->has_reasons = true;
		/* A reason this nswatch does not know is left out. */
		nla_for_each_nested(a, tb[NSLINK_A_SUM_REASONS], rem) {
			i = nla_type(a);
			if (i >= 1 && i <= NSLINK_REASON_MAX && nla_len(a) == 8)
				sum->reasons[i] = nla_get_u64(a);
		}
	}
	if (tb[NSLINK_A_SUM_FIRST_TS]) {
		sum->has_first_ts = true;
		sum->first_ts = nla_get_u64(tb[NSLINK_A_SUM_FIRST_TS]);
	}
	if (tb[NSLINK_A_SUM_LAST_TS]) {
		sum->has_last_ts = true;
		sum->last_ts = nla_get_u64(tb[NSLINK_A_SUM_LAST_TS]);
	}
	if (tb[NSLINK_A_SUM_AFTER_SEQ]) {
		sum->has_after_seq = true;
		sum->after_seq = nla_get_u64(tb[NSLINK_A_SUM_AFTER_SEQ]);
	}
	if (tb[NSLINK_A_SUM_CAUSES]) {
		sum->has_causes = true;
		sum->causes = nla_get_u32(tb[NSLINK_A_SUM_CAUSES]);
	}
	return 0;
}

int nsev_parse(struct nlmsghdr *nlh, struct nsev *ev)
{
	static struct nla_policy policy[NSLINK_A_MAX + 1] = {
		[NSLINK_A_EV_SEQ] = { .type = NLA_U64 },
		[NSLINK_A_EV_TIMESTAMP] = { .type = NLA_U64 },
		[NSLINK_A_EV_REASON] = { .type = NLA_U8 },
		[NSLINK_A_EV_PID] = { .type = NLA_U32 },
		[NSLINK_A_EV_TGID] = { .type = NLA_U32 },
		[NSLINK_A_EV_PPID] = { .type = NLA_U32 },
		[NSLINK_A_EV_COMM] = { .type = NLA_STRING },
		[NSLINK_A_EV_UID] = { .type = NLA_U32 },
		[NSLINK_A_EV_NS] = { .type = NLA_NESTED },
		[NSLINK_A_EV_CGROUP_ID] = { .type = NLA_U64 },
		[NSLINK_A_SUM_OWNER_KIND] = { .type = NLA_U8 },
		[NSLINK_A_SUM_OWNER_UID] = { .type = NLA_U32 },
		[NSLINK_A_SUM_OWNER_NS] = { .type = NLA_U32 },
		[NSLINK_A_SUM_COUNT] = { .type = NLA_U64 },
		[NSLINK_A_SUM_REASONS] = { .type = NLA_NESTED },
		[NSLINK_A_SUM_FIRST_TS] = { .type = NLA_U64 },
		[NSLINK_A_SUM_LAST_TS] = { .type = NLA_U64 },
		[NSLINK_A_SUM_AFTER_SEQ] = { .type = NLA_U64 },
		[NSLINK_A_SUM_CAUSES] = { .type = NLA_U32 },
	};
	static struct nla_policy ns_policy[NSLINK_A_NS_MAX + 1] = {
		[NSLINK_A_NS_TYPE] = { .type = NLA_U8 },
		[NSLINK_A_NS_OLD] = { .type = NLA_U32 },
		[NSLINK_A_NS_NEW] = { .type = NLA_U32 },
		[NSLINK_A_NS_DEV] = { .type = NLA_U64 },
		[NSLINK_A_NS_OLD_ID] = { .type = NLA_U64 },
		[NSLINK_A_NS_NEW_ID] = { .type = NLA_U64 },
	};
	struct nlattr *tb[NSLINK_A_MAX + 1], *ntb[NSLINK_A_NS_MAX + 1];
	struct genlmsghdr *g;
	struct nlattr *a;
	unsigned int type;
	int rem;

	memset(ev, 0, sizeof(*ev));
	if (!genlmsg_valid_hdr(nlh, 0))
		return -1;
	g = genlmsg_hdr(nlh);
	if (g->cmd != NSLINK_CMD_EVENT && g->cmd != NSLINK_CMD_GET_TASKS &&
	    g->cmd != NSLINK_CMD_SUMMARY)
		return -1;
	ev->snapshot = g->cmd == NSLINK_CMD_GET_TASKS;
	ev->summary = g->cmd == NSLINK_CMD_SUMMARY;
	if (genlmsg_parse(nlh, 0, tb, NSLINK_A_MAX, policy) < 0)
		return -1;
	if (!tb[NSLINK_A_EV_SEQ])
		return -1;
	ev->seq = nla_get_u64(tb[NSLINK_A_EV_SEQ]);
	if (tb[NSLINK_A_EV_TIMESTAMP]) {
		ev->has_ts = true;
		ev->ts = nla_get_u64(tb[NSLINK_A_EV_TIMESTAMP]);
	}
	if (ev->summary)
		return parse_summary(tb, &ev->sum);
	if (!tb[NSLINK_A_EV_PID] || (!ev->snapshot && !tb[NSLINK_A_EV_REASON]))
		return -1;
	if (tb[NSLINK_A_EV_REASON])
		ev->reason = nla_get_u8(tb[NSLINK_A_EV_REASON]);
	ev->pid = nla_get_u32(tb[NSLINK_A_EV_PID]);
	if (tb[NSLINK_A_EV_TGID])
		ev->tgid = nla_get_u32(tb[NSLINK_A_EV_TGID]);
	if (tb[NSLINK_A_EV_PPID])
		ev->ppid = nla_get_u32(tb[NSLINK_A_EV_PPID]);
	if (tb[NSLINK_A_EV_UID])
		ev->uid = nla_get_u32(tb[NSLINK_A_EV_UID]);
	if (tb[NSLINK_A_EV_COMM])
		nla_strlcpy(ev->comm, tb[NSLINK_A_EV_COMM], sizeof(ev->comm));
	if (tb[NSLINK_A_EV_CGROUP_ID]) {
		ev->has_cgroup = true;
		ev->cgroup_id = nla_get_u64(tb[NSLINK_A_EV_CGROUP_ID]);
	}

	/* NSLINK_A_EV_NS repeats: tb[] holds only the last, so walk them. */
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if (nla_type(a) != NSLINK_A_EV_NS)
			continue;
		if (nla_parse_nested(ntb, NSLINK_A_NS_MAX, a, ns_policy) < 0 ||
		    !ntb[NSLINK_A_NS_TYPE])
			return -1;
		type = nla_get_u8(ntb[NSLINK_A_NS_TYPE]);
		if (type < 1 || type > NSLINK_NS_MAX)
			continue;	/* a type this nswatch does not know */
		ev->ns[type].present = true;
		if (ntb[NSLINK_A_NS_OLD])
			ev->ns[type].old = nla_get_u32(ntb[NSLINK_A_NS_OLD]);
		if (ntb[NSLINK_A_NS_NEW])
			ev->ns[type].new = nla_get_u32(ntb[NSLINK_A_NS_NEW]);
		if (ntb[NSLINK_A_NS_DEV])
			ev->ns[type].dev = nla_get_u64(ntb[NSLINK_A_NS_DEV]);
		if (ntb[NSLINK_A_NS_OLD_ID])
			ev->ns[type].old_id = nla_get_u64(ntb[NSLINK_A_NS_OLD_ID]);
		if (ntb[NSLINK_A_NS_NEW_ID])
			ev->ns[type].new_id = nla_get_u64(ntb[NSLINK_A_NS_NEW_ID]);
	}
	return 0;
}

void nsev_resolve(struct nscg *cg, struct nsev *ev)
{
	ev->cgroup = NULL;
	ev->cgroup_v1 = false;
	memset(&ev->ctr, 0, sizeof(ev->ctr));
	if (!cg || !ev->has_cgroup)
		return;
	if (!cg->v2) {
		ev->cgroup_v1 = true;
		return;
	}
	ev->cgroup = nscg_path(cg, ev->cgroup_id);
	nscg_container(ev->cgroup, &ev->ctr);
}

static bool container_match(const char *want, const struct nscg_container *c)
{
	bool delegated = !strncmp(want, "delegated:", 10);
	const char *colon;
	size_t len;

	/* A claim is no container: "none" keeps it, and only the explicit
	 * "delegated:" form selects it. */
	if (!strcmp(want, "none"))
		return !c->runtime || c->delegated;
	if (delegated)
		want += 10;
	if (!c->runtime || c->delegated != delegated)
		return false;
	colon = strchr(want, ':');
	if (colon) {
		len = (size_t)(colon - want);
		if (strlen(c->runtime) != len || strncmp(c->runtime, want, len))
			return false;
		want = colon + 1;
	}
	len = strlen(want);
	if (!strcmp(c->id, want))
		return true;
	return len >= 4 && !strncmp(c->id, want, len);
}

bool nsev_match(const struct nsev_filter *f, const struct nsev *ev)
{
	unsigned int t;
	bool any = false;

	if (ev->summary)
		return true;
	if (f->pid && ev->pid != f->pid && ev->tgid != f->pid)
		return false;
	if (f->container && !container_match(f->container, &ev->ctr))
		return false;
	if (ev->snapshot)
		return true;
	if (ev->reason == NSLINK_REASON_EXIT && !f->exits)
		return false;
	if (f->reasons && !(f->reasons & (1u << ev->reason)))
		return false;
	if (!f->types)
		return true;
	for (t = 1; t <= NSLINK_NS_MAX; t++)
		if (ev->ns[t].present && (f->types & (1u << t)))
			any = true;
	return any;
}

uint64_t nsev_seq_next(struct nsev_seq *s, uint64_t seq, bool *stale)
{
	uint64_t lost = 0;

	*stale = false;
	if (s->last && seq <= s->last) {
		*stale = true;
		return 0;
	}
	if (s->last && seq > s->last + 1)
		lost = seq - s->last - 1;
	s->last = seq;
	return lost;
}

uint64_t nsev_seq_account(struct nsev_seq *s, uint64_t seq, bool *stale,
			  FILE *f, bool json)
{
	uint64_t prev = s->last, lost = nsev_seq_next(s, seq, stale);

	if (*stale)
		return 0;
	if (lost || (s->overrun && prev))
		nsev_print_lost(f, lost, prev, seq, json);
	s->overrun = false;
	return lost;
}

void nsev_seq_overrun(struct nsev_seq *s, FILE *f, bool json)
{
	nsev_print_overrun(f, s->last, json);
	s->overrun = true;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void nsev_netns_init(struct nsev_netns *nn, const char *dir)
{
	memset(nn, 0, sizeof(*nn));
	nn->dir = dir;
	nn->scanned_ns = -1;
}

void nsev_netns_free(struct nsev_netns *nn)
{
	free(nn->ent);
	nn->ent = NULL;
	nn->n = nn->cap = 0;
}

/* How long a name that is not a mount is taken for ip netns add at work. */
#define NETNS_MOUNT_WAIT_NS 1000000000LL

static void netns_scan(struct nsev_netns *nn, long long now)
{
	struct nsev_netns_ent *old = nn->ent, *e;
	size_t nold = nn->n, i;
	char path[4096];
	struct dirent *de;
	struct stat st, dst;
	DIR *d;

	nn->ent = NULL;
	nn->n = nn->cap = 0;
	nn->scanned_ns = now;
	nn->scans++;
	d = opendir(nn->dir);
	if (!d)
		goto out;
	if (fstat(dirfd(d), &dst))
		dst.st_dev = 0;
	nn->dir_dev = dst.st_dev;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(nn->ent->name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", nn->dir, de->d_name);
		/* Neither a mounted netns nor ip netns add's empty
		 * placeholder (both are empty regular files): skip. */
		if (stat(path, &st) || !S_ISREG(st.st_mode) || st.st_size)
			continue;
		if (nn->n == nn->cap) {
			size_t cap = nn->cap ? 2 * nn->cap : 16;
			void *p = realloc(nn->ent, cap * sizeof(*nn->ent));

			if (!p)
				break;
			nn->ent = p;
			nn->cap = cap;
		}
		e = &nn->ent[nn->n++];
		e->dev = st.st_dev;
		e->ino = st.st_ino;
		strcpy(e->name, de->d_name);
		/* A bind-mounted nsfs inode lives on nsfs, not on the
		 * directory's file system. Not a mount: since when? */
		e->unmounted_ns = -1;
		if (st.st_dev != dst.st_dev)
			continue;
		e->unmounted_ns = now;
		for (i = 0; i < nold; i++)
			if (old[i].unmounted_ns >= 0 && !strcmp(old[i].name, e->name))
				e->unmounted_ns = old[i].unmounted_ns;
	}
	closedir(d);
out:
	free(old);
}

/* Look again at the names that were not mounts lately. Returns whether
 * one changed. */
static bool netns_recheck(struct nsev_netns *nn, long long now)
{
	struct nsev_netns_ent *e;
	char path[4096];
	bool changed = false;
	struct stat st;
	size_t i;

	for (i = 0; i < nn->n; i++) {
		e = &nn->ent[i];
		if (e->unmounted_ns < 0 || now - e->unmounted_ns >= NETNS_MOUNT_WAIT_NS)
			continue;
		snprintf(path, sizeof(path), "%s/%s", nn->dir, e->name);
		if (stat(path, &st) || (e->dev == st.st_dev && e->ino == st.st_ino))
			continue;
		e->dev = st.st_dev;
		e->ino = st.st_ino;
		if (st.st_dev != nn->dir_dev)
			e->unmounted_ns = -1;
		changed = true;
	}
	return changed;
}

const char *nsev_netns_name(struct nsev_netns *nn, uint64_t dev, uint64_t ino)
{
	struct stat st;
	long long mtime = -1, now;
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < nn->n; i++)
			if (nn->ent[i].ino == ino && (!dev || nn->ent[i].dev == dev))
				return nn->ent[i].name;
		if (pass)
			break;
		now = mono_ns();
		if (!stat(nn->dir, &st))
			mtime = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		if (nn->scanned_ns < 0 || mtime != nn->dir_mtime_ns ||
		    now - nn->scanned_ns >= 1000000000LL) {
			nn->dir_mtime_ns = mtime;
			netns_scan(nn, now);
		} else if (!netns_recheck(nn, now)) {
			break;
		}
	}
	return NULL;
}

/*
 * The one escape of the text form, for every string in it that is not
 * nswatch's own (comm, cgroup path, netns name, container): blanks,
 * control bytes, bytes outside ASCII and the backslash become \xNN, so a
 * value is one whitespace-free token that cannot end the line, start
 * another field or drive the terminal, and the bytes can be recovered.
 */
static void text_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

static void print_ino(FILE *f, bool json, const char *key, uint32_t ino,
		      uint64_t id, uint64_t dev, unsigned int type,
		      struct nsev_netns *nn, bool *first)
{
	const char *name = NULL;

	if (type == NSLINK_NS_NET && nn && ino)
		name = nsev_netns_name(nn, dev, ino);
	if (json) {
		if (!ino)
			return;
		fprintf(f, "%s\"%s\":%u", *first ? "" : ",", key, ino);
		*first = false;
		if (id)
			fprintf(f, ",\"%s_id\":%llu", key, (unsigned long long)id);
		if (name) {
			char k[16];

			snprintf(k, sizeof(k), "%s_name", key);
			fputc(',', f);
			json_field(f, k, name);
		}
		return;
	}
	if (!ino) {
		fputs("none", f);
		return;
	}
	fprintf(f, "[%u]", ino);
	if (name) {
		fputc('(', f);
		text_escape(f, name);
		fputc(')', f);
	}
}

/*
 * JSON: "cgroup":{"id":N,"path":P} (P null when unknown; "v1_only":true
 * when no cgroup v2 is mounted) and "container": {"runtime","id"[,"pod"]}
 * or null; a container named where its runtime does not put them is
 * "container":null,"delegated":true,"claimed_container":{...}. Text:
 * cgroup=PATH (or id:N, v1-only) and container=RT:ID or delegated=RT:ID.
 */
static void print_cgroup(FILE *f, const struct nsev *ev, bool json)
{
	const struct nscg_container *c = &ev->ctr;
	char buf[300];

	if (json) {
		fprintf(f, ",\"cgroup\":{\"id\":%llu,",
			(unsigned long long)ev->cgroup_id);
		if (ev->cgroup)
			json_field(f, "path", ev->cgroup);
		else
			fputs("\"path\":null", f);
		if (ev->cgroup_v1)
			fputs(",\"v1_only\":true", f);
		fputs("},\"container\":", f);
		if (!c->runtime) {
			fputs("null", f);
			return;
		}
		if (c->delegated)
			fputs("null,\"delegated\":true,\"claimed_container\":", f);
		fputs("{\"runtime\":", f);
		json_string(f, c->runtime);
		fputc(',', f);
		json_field(f, "id", c->id);
		if (c->pod[0]) {
			fputc(',', f);
			json_field(f, "pod", c->pod);
		}
		fputc('}', f);
		return;
	}
	if (ev->cgroup) {
		fputs(" cgroup=", f);
		text_escape(f, ev->cgroup);
	} else if (ev->cgroup_v1) {
		fputs(" cgroup=v1-only", f);
	} else {
		fprintf(f, " cgroup=id:%llu", (unsigned long long)ev->cgroup_id);
	}
	if (c->runtime) {
		nscg_container_short(c, buf, sizeof(buf));
		fputs(c->delegated ? " delegated=" : " container=", f);
		text_escape(f, buf);
	}
}

int nsev_parse_time_format(const char *s, enum nsev_time_format *tf)
{
	if (!strcmp(s, "mono"))
		*tf = NSEV_TIME_MONO;
	else if (!strcmp(s, "utc"))
		*tf = NSEV_TIME_UTC;
	else if (!strcmp(s, "local"))
		*tf = NSEV_TIME_LOCAL;
	else
		return -1;
	return 0;
}

int nsev_format_time(char *buf, size_t len, long long realtime_ns,
		     enum nsev_time_format tf)
{
	long long sec = realtime_ns / 1000000000LL;
	long long nsec = realtime_ns % 1000000000LL;
	time_t tt;
	struct tm tm;
	size_t n;
	long off;
	int m;

	if (nsec < 0) {		/* round down, before 1970 too */
		nsec += 1000000000LL;
		sec--;
	}
	tt = (time_t)sec;
	if (!(tf == NSEV_TIME_LOCAL ? localtime_r(&tt, &tm) : gmtime_r(&tt, &tm)))
		return -1;
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n) {
		if (len)
			buf[0] = '\0';
		return -1;
	}
	if (tf != NSEV_TIME_LOCAL) {
		m = snprintf(buf + n, len - n, ".%06lldZ", nsec / 1000);
	} else {
		off = tm.tm_gmtoff / 60;
		m = snprintf(buf + n, len - n, ".%06lld%c%02ld:%02ld", nsec / 1000,
			     off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	}
	if (m < 0 || (size_t)m >= len - n) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

long long nsev_realtime_offset(void)
{
	struct timespec m1, r, m2;

	/* The realtime reading between two monotonic ones: the error is
	 * half their distance, not a preemption between two calls. */
	clock_gettime(CLOCK_MONOTONIC, &m1);
	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m2);
	return r.tv_sec * 1000000000LL + r.tv_nsec -
	       ((m1.tv_sec + m2.tv_sec) * 1000000000LL + m1.tv_nsec + m2.tv_nsec) / 2;
}

int nsev_read_boot_id(const char *path, char *buf, size_t len)
{
	char line[64];
	size_t i;
	FILE *f;

	if (len < 37)
		return -1;
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (strlen(line) != 36)
		return -1;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? line[i] != '-' :
		    !((line[i] >= '0' && line[i] <= '9') ||
		      (line[i] >= 'a' && line[i] <= 'f')))
			return -1;
	memcpy(buf, line, 37);
	return 0;
}

/*
 * The wall-clock form of a CLOCK_MONOTONIC time ts in when (RFC 3339:
 * always UTC in JSON, the --time-format in text), or "" where there is
 * none: no clock offset known, or text in mono.
 */
static void format_when(char *when, size_t len, uint64_t ts,
			const struct nsev_out *o)
{
	when[0] = '\0';
	if (!o->realtime || (!o->json && o->time_format == NSEV_TIME_MONO))
		return;
	nsev_format_time(when, len, (long long)ts + o->realtime_offset,
			 o->json ? NSEV_TIME_UTC : o->time_format);
}

/*
 * A time of the text form, as ts= and time= give it: SEC.NSEC since boot
 * in mono, else the wall-clock time (format_when()).
 */
static void print_text_time(FILE *f, uint64_t ts, const struct nsev_out *o)
{
	char when[64];

	format_when(when, sizeof(when), ts, o);
	if (when[0])
		fputs(when, f);
	else
		fprintf(f, "%llu.%09llu", (unsigned long long)(ts / 1000000000ULL),
			(unsigned long long)(ts % 1000000000ULL));
}

/*
 * The start of every line from the kernel: what it is, its seq and when.
 * JSON: {["snapshot":true,|"summary":true,]"seq":N[,"ts":N[,"time":T]]
 * [,"boot_id":B]; text: [snapshot ]seq=N[ ts=SEC.NSEC| time=T]. A
 * snapshot entry has no time; a summary has one when the kernel sent it.
 */
static void print_head(FILE *f, const struct nsev *ev, const struct nsev_out *o)
{
	bool timed = !ev->snapshot && (!ev->summary || ev->has_ts);
	char when[64] = "";

	if (timed)
		format_when(when, sizeof(when), ev->ts, o);
	if (o->json) {
		fprintf(f, "{%s\"seq\":%llu", ev->snapshot ? "\"snapshot\":true," :
			ev->summary ? "\"summary\":true," : "",
			(unsigned long long)ev->seq);
		if (timed)
			fprintf(f, ",\"ts\":%llu", (unsigned long long)ev->ts);
		if (when[0])
			fprintf(f, ",\"time\":\"%s\"", when);
		if (o->boot_id) {
			fputc(',', f);
			json_field(f, "boot_id", o->boot_id);
		}
		return;
	}
	fprintf(f, "%sseq=%llu", ev->snapshot ? "snapshot " : "",
		(unsigned long long)ev->seq);
	if (when[0])
		fprintf(f, " time=%s", when);
	else if (timed)
		fprintf(f, " ts=%llu.%09llu",
			(unsigned long long)(ev->ts / 1000000000ULL),
			(unsigned long long)(ev->ts % 1000000000ULL));
}

/* JSON ,"KEY_ts":N[,"KEY_time":T] of a summary's first or last time. */
static void print_json_time(FILE *f, const char *key, uint64_t ts,
			    const struct nsev_out *o)
{
	char when[64];

	fprintf(f, ",\"%s_ts\":%llu", key, (unsigned long long)ts);
	format_when(when, sizeof(when), ts, o);
	if (when[0])
		fprintf(f, ",\"%s_time\":\"%s\"", key, when);
}

/* A summary's causes, by name, comma-separated (JSON: as strings); "?"
 * for the bits this nswatch does not know. */
static void print_causes(FILE *f, uint32_t causes, bool json)
{
	const char *q = json ? "\"" : "";
	uint32_t known = 0;
	bool first = true;
	size_t i;

	for (i = 0; i < sizeof(cause_names) / sizeof(cause_names[0]); i++) {
		known |= cause_names[i].bit;
		if (!(causes & cause_names[i].bit))
			continue;
		fprintf(f, "%s%s%s%s", first ? "" : ",", q, cause_names[i].name, q);
		first = false;
	}
	if (causes & ~known)
		fprintf(f, "%s%s?%s", first ? "" : ",", q, q);
}

/*
 * The rest of a summary's line, after print_head(). Members and words
 * whose attribute the kernel did not send are left out.
 *   JSON: ,"owner":{"kind":K[,"uid":U][,"ns":I]},"count":N,
 *         "reasons":{"REASON":N,...},"first_ts":N[,"first_time":T],
 *         "last_ts":N[,"last_time":T],"after_seq":N,"causes":[C,...]}
 *   text:  summary: OWNER made N transitions not sent one by one
 *         (REASON N, ...) between FIRST and LAST, after seq N [C,...]
 */
static void print_summary(FILE *f, const struct nsev *ev, const struct nsev_out *o)
{
	const struct nsev_sum *s = &ev->sum;
	bool json = o->json, first = true;
	unsigned int r;

	if (json) {
		fprintf(f, ",\"owner\":{\"kind\":\"%s\"",
			nsev_owner_name(s->owner_kind));
		/* Each kind with what names it; a kind this nswatch does
		 * not know with whatever came. */
		if (s->has_uid && s->owner_kind != NSLINK_OWNER_PIDNS &&
		    s->owner_kind != NSLINK_OWNER_OTHERS)
			fprintf(f, ",\"uid\":%u", s->uid);
		if (s->has_ns && s->owner_kind != NSLINK_OWNER_UID &&
		    s->owner_kind != NSLINK_OWNER_OTHERS)
			fprintf(f, ",\"ns\":%u", s->ns);
		fprintf(f, "},\"count\":%llu", (unsigned long long)s->count);
		if (s->has_reasons) {
			fputs(",\"reasons\":{", f);
			for (r = 1; r <= NSLINK_REASON_MAX; r++) {
				if (!s->reasons[r])
					continue;
				fprintf(f, "%s\"%s\":%llu", first ? "" : ",",
					nsev_reason_name(r),
					(unsigned long long)s->reasons[r]);
				first = false;
			}
			fputc('}', f);
		}
		if (s->has_first_ts)
			print_json_time(f, "first", s->first_ts, o);
		if (s->has_last_ts)
			print_json_time(f, "last", s->last_ts, o);
		if (s->has_after_seq)
			fprintf(f, ",\"after_seq\":%llu",
				(unsigned long long)s->after_seq);
		if (s->has_causes) {
			fputs(",\"causes\":[", f);
			print_causes(f, s->causes, true);
			fputc(']', f);
		}
		fputs("}\n", f);
		return;
	}
	fputs(" summary: ", f);
	switch (s->owner_kind) {
	case NSLINK_OWNER_UID:
		fputs("uid ", f);
		break;
	case NSLINK_OWNER_USERNS:
		fputs("userns:", f);
		break;
	case NSLINK_OWNER_PIDNS:
		fputs("pidns:", f);
		break;
	case NSLINK_OWNER_OTHERS:
		fputs("other owners", f);
		break;
	default:
		fprintf(f, "owner kind %u", s->owner_kind);
		break;
	}
	if (s->owner_kind == NSLINK_OWNER_UID) {
		if (s->has_uid)
			fprintf(f, "%u", s->uid);
		else
			fputc('?', f);
	} else if (s->owner_kind == NSLINK_OWNER_USERNS ||
		   s->owner_kind == NSLINK_OWNER_PIDNS) {
		if (s->has_ns)
			fprintf(f, "[%u]", s->ns);
		else
			fputs("[?]", f);
		if (s->owner_kind == NSLINK_OWNER_USERNS && s->has_uid)
			fprintf(f, " of uid %u", s->uid);
	}
	fprintf(f, " made %llu transition%s not sent one by one",
		(unsigned long long)s->count, s->count == 1 ? "" : "s");
	for (r = 1; r <= NSLINK_REASON_MAX; r++) {
		if (!s->reasons[r])
			continue;
		fprintf(f, "%s%s %llu", first ? " (" : ", ", nsev_reason_name(r),
			(unsigned long long)s->reasons[r]);
		first = false;
	}
	if (!first)
		fputc(')', f);
	if (s->has_first_ts) {
		fputs(s->has_last_ts ? " between " : " from ", f);
		print_text_time(f, s->first_ts, o);
	}
	if (s->has_last_ts) {
		fputs(s->has_first_ts ? " and " : " until ", f);
		print_text_time(f, s->last_ts, o);
	}
	if (s->has_after_seq)
		fprintf(f, ", after seq %llu", (unsigned long long)s->after_seq);
	if (s->has_causes && s->causes) {
		fputs(" [", f);
		print_causes(f, s->causes, false);
		fputc(']', f);
	}
	fputc('\n', f);
}

void nsev_print(FILE *f, const struct nsev *ev, const struct nsev_out *o)
{
	const struct nsev_filter *flt = o->flt;
	struct nsev_netns *nn = o->nn;
	bool json = o->json, first_type = true, first;
	unsigned int t;

	print_head(f, ev, o);
	if (ev->summary) {
		print_summary(f, ev, o);
		return;
	}
	if (json) {
		if (!ev->snapshot)
			fprintf(f, ",\"reason\":\"%s\"",
				nsev_reason_name(ev->reason));
		fprintf(f, ",\"pid\":%u,\"tgid\":%u,\"ppid\":%u,",
			ev->pid, ev->tgid, ev->ppid);
		json_field(f, "comm", ev->comm);
		fprintf(f, ",\"uid\":%u,\"ns\":{", ev->uid);
	} else {
		if (!ev->snapshot)
			fprintf(f, " reason=%s", nsev_reason_name(ev->reason));
		fprintf(f, " pid=%u tgid=%u ppid=%u uid=%u comm=",
			ev->pid, ev->tgid, ev->ppid, ev->uid);
		text_escape(f, ev->comm);
	}
	for (t = 1; t <= NSLINK_NS_MAX; t++) {
		const struct nsev_ns *ns = &ev->ns[t];

		if (!ns->present || (flt && flt->types && !(flt->types & (1u << t))))
			continue;
		if (json) {
			fprintf(f, "%s\"%s\":{", first_type ? "" : ",",
				nsev_type_name(t));
			first = true;
			if (!ev->snapshot)
				print_ino(f, true, "old", ns->old, ns->old_id,
					  ns->dev, t, nn, &first);
			print_ino(f, true, "new", ns->new, ns->new_id, ns->dev,
				  t, nn, &first);
			fprintf(f, "%s\"dev\":%llu}", first ? "" : ",",
				(unsigned long long)ns->dev);
		} else {
			fprintf(f, " %s:", nsev_type_name(t));
			if (!ev->snapshot) {
				print_ino(f, false, "old", ns->old, 0, ns->dev,
					  t, nn, &first);
				fputs("->", f);
			}
			print_ino(f, false, "new", ns->new, 0, ns->dev, t, nn,
				  &first);
		}
		first_type = false;
	}
	if (json)
		fputc('}', f);
	if (ev->has_cgroup)
		print_cgroup(f, ev, json);
	fputs(json ? "}\n" : "\n", f);
}

void nsev_print_lost(FILE *f, uint64_t n, uint64_t after_seq,
		     uint64_t before_seq, bool json)
{
	if (json)
		fprintf(f, "{\"lost\":%llu,\"after_seq\":%llu,\"before_seq\":%llu}\n",
			(unsigned long long)n, (unsigned long long)after_seq,
			(unsigned long long)before_seq);
	else
		fprintf(f, "lost %llu events after seq %llu, before seq %llu\n",
			(unsigned long long)n, (unsigned long long)after_seq,
			(unsigned long long)before_seq);
}

void nsev_print_overrun(FILE *f, uint64_t after_seq, bool json)
{
	if (json && after_seq)
		fprintf(f, "{\"lost\":null,\"overrun\":true,\"after_seq\":%llu}\n",
			(unsigned long long)after_seq);
	else if (json)
		fputs("{\"lost\":null,\"overrun\":true,\"after_seq\":null}\n", f);
	else if (after_seq)
		fprintf(f, "lost events after seq %llu: receive buffer overrun (count follows)\n",
			(unsigned long long)after_seq);
	else
		fputs("lost events before the first: receive buffer overrun (count unknown)\n", f);
}

int nsev_parse_stats(struct nlmsghdr *nlh, struct nsev_stats *st)
{
	struct nlattr *tb[NSLINK_A_MAX + 1], *a;
	int rem;

	memset(st, 0, sizeof(*st));
	if (!genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_parse(nlh, 0, tb, NSLINK_A_MAX, NULL) < 0)
		return -1;
#define GET(attr, field)						\
	if (tb[attr] && nla_len(tb[attr]) == 8)				\
		st->field = nla_get_u64(tb[attr])
	GET(NSLINK_A_STATS_EMITTED, emitted);
	GET(NSLINK_A_STATS_DROPPED, dropped);
	GET(NSLINK_A_STATS_SEQ, seq);
	GET(NSLINK_A_STATS_INJECTED, injected);
	GET(NSLINK_A_STATS_INJECT_REFUSED, inject_refused);
	GET(NSLINK_A_STATS_SUMMARIZED, summarized);
	GET(NSLINK_A_STATS_SUMMARIES, summaries);
#undef GET
	st->has_summarized = tb[NSLINK_A_STATS_SUMMARIZED] &&
			     nla_len(tb[NSLINK_A_STATS_SUMMARIZED]) == 8;
	st->has_summaries = tb[NSLINK_A_STATS_SUMMARIES] &&
			    nla_len(tb[NSLINK_A_STATS_SUMMARIES]) == 8;
	if (tb[NSLINK_A_STATS_REASONS])
		nla_for_each_nested(a, tb[NSLINK_A_STATS_REASONS], rem)
			if (nla_type(a) >= 1 && nla_type(a) <= NSLINK_REASON_MAX &&
			    nla_len(a) == 8)
				st->reasons[nla_type(a)] = nla_get_u64(a);
	/* The subscriber nests are multi-attributes: walk them all. */
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		struct nlattr *sb[NSLINK_A_SUBSCRIBER_MAX + 1];
		struct nsev_subscriber *s;
		int i;

		if (nla_type(a) != NSLINK_A_STATS_SUBSCRIBER)
			continue;
		st->has_subscribers = true;
		if (nla_parse_nested(sb, NSLINK_A_SUBSCRIBER_MAX, a, NULL) < 0 ||
		    st->n_subscribers >= NSEV_STATS_SUBSCRIBERS)
			return -1;
		s = &st->subscribers[st->n_subscribers++];
		for (i = NSLINK_A_SUBSCRIBER_PORTID; i <= NSLINK_A_SUBSCRIBER_DROPS; i++)
			if (!sb[i] || nla_len(sb[i]) != 4)
				return -1;
		s->portid = nla_get_u32(sb[NSLINK_A_SUBSCRIBER_PORTID]);
		s->queued = nla_get_u32(sb[NSLINK_A_SUBSCRIBER_QUEUED]);
		s->rcvbuf = nla_get_u32(sb[NSLINK_A_SUBSCRIBER_RCVBUF]);
		s->drops = nla_get_u32(sb[NSLINK_A_SUBSCRIBER_DROPS]);
	}
	/* Listed by a module that lists them, an empty list too. */
	st->has_subscribers = st->has_subscribers || st->has_summaries;
	return 0;
}

/*
 * JSON: {"emitted":N,"dropped":N,"seq":N[,"summarized":N][,"summaries":N],
 * "reasons":{...},"injected":N,"inject_refused":N[,"subscribers":[{"portid":
 * N,"queued":N,"rcvbuf":N,"drops":N},...]]}; text: one "NAME N" a line, in
 * the same order, then "subscriber PORTID queued N rcvbuf N drops N" a line.
 * summarized, summaries and subscribers only when sent.
 */
void nsev_print_stats(FILE *f, const struct nsev_stats *st, bool json)
{
	unsigned int r;

	if (json) {
		fprintf(f, "{\"emitted\":%llu,\"dropped\":%llu,\"seq\":%llu",
			(unsigned long long)st->emitted,
			(unsigned long long)st->dropped,
			(unsigned long long)st->seq);
		if (st->has_summarized)
			fprintf(f, ",\"summarized\":%llu",
				(unsigned long long)st->summarized);
		if (st->has_summaries)
			fprintf(f, ",\"summaries\":%llu",
				(unsigned long long)st->summaries);
		fputs(",\"reasons\":{", f);
		for (r = 1; r <= NSLINK_REASON_MAX; r++)
			fprintf(f, "%s\"%s\":%llu", r > 1 ? "," : "",
				nsev_reason_name(r),
				(unsigned long long)st->reasons[r]);
		fprintf(f, "},\"injected\":%llu,\"inject_refused\":%llu",
			(unsigned long long)st->injected,
			(unsigned long long)st->inject_refused);
		if (st->has_subscribers) {
			fputs(",\"subscribers\":[", f);
			for (r = 0; r < st->n_subscribers; r++)
				fprintf(f, "%s{\"portid\":%u,\"queued\":%u,\"rcvbuf\":%u,\"drops\":%u}",
					r ? "," : "", st->subscribers[r].portid,
					st->subscribers[r].queued,
					st->subscribers[r].rcvbuf,
					st->subscribers[r].drops);
			fputc(']', f);
		}
		fputs("}\n", f);
		return;
	}
	fprintf(f, "emitted %llu\ndropped %llu\nseq %llu\n",
		(unsigned long long)st->emitted,
		(unsigned long long)st->dropped,
		(unsigned long long)st->seq);
	if (st->has_summarized)
		fprintf(f, "summarized %llu\n", (unsigned long long)st->summarized);
	if (st->has_summaries)
		fprintf(f, "summaries %llu\n", (unsigned long long)st->summaries);
	for (r = 1; r <= NSLINK_REASON_MAX; r++)
		fprintf(f, "%s %llu\n", nsev_reason_name(r),
			(unsigned long long)st->reasons[r]);
	fprintf(f, "injected %llu\ninject_refused %llu\n",
		(unsigned long long)st->injected,
		(unsigned long long)st->inject_refused);
	for (r = 0; r < st->n_subscribers; r++)
		fprintf(f, "subscriber %u queued %u rcvbuf %u drops %u\n",
			st->subscribers[r].portid, st->subscribers[r].queued,
			st->subscribers[r].rcvbuf, st->subscribers[r].drops);
}

void nsev_prom_label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void prom_family(FILE *f, const char *name, const char *type,
			const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void prom_u64(FILE *f, const char *name, const char *type,
		     const char *help, uint64_t v)
{
	prom_family(f, name, type, help);
	fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

/* Names and help are fixed here; a label value goes through
 * nsev_prom_label_value() whatever it is. */
void nsev_print_stats_prom(FILE *f, const struct nsev_stats *st)
{
	unsigned int r, i;

	prom_u64(f, "nslink_up", "gauge",
		 "1 when the nslink module answered GET_STATS; 0 when it did not (not loaded: modprobe nslink; or refused).",
		 st ? 1 : 0);
	if (!st)
		return;
	prom_u64(f, "nslink_events_emitted_total", "counter",
		 "Messages (events and summaries) the module handed to netlink.",
		 st->emitted);
	prom_u64(f, "nslink_events_dropped_total", "counter",
		 "Messages a listener did not get, its receive buffer full, or not built for want of memory.",
		 st->dropped);
	prom_u64(f, "nslink_events_seq", "gauge",
		 "The last sequence number the module assigned to an event or summary.",
		 st->seq);
	if (st->has_summarized)
		prom_u64(f, "nslink_events_summarized_total", "counter",
			 "Transitions counted in a summary rather than sent one by one (fair sharing).",
			 st->summarized);
	if (st->has_summaries)
		prom_u64(f, "nslink_summaries_total", "counter",
			 "Summary messages the module handed to netlink (also in nslink_events_emitted_total).",
			 st->summaries);
	prom_family(f, "nslink_transitions_total", "counter",
		    "Namespace transitions the module recorded, by reason.");
	for (r = 1; r <= NSLINK_REASON_MAX; r++) {
		fputs("nslink_transitions_total{reason=\"", f);
		nsev_prom_label_value(f, nsev_reason_name(r));
		fprintf(f, "\"} %llu\n", (unsigned long long)st->reasons[r]);
	}
	prom_u64(f, "nslink_uevents_injected_total", "counter",
		 "Uevents injected into a network namespace (nsinject).",
		 st->injected);
	prom_u64(f, "nslink_uevents_inject_refused_total", "counter",
		 "Uevent injections the module refused.",
		 st->inject_refused);
	if (!st->has_subscribers)
		return;
	prom_u64(f, "nslink_subscribers", "gauge",
		 "Sockets of the initial network namespace that are members of the events group (the first 64 listed).",
		 st->n_subscribers);
	for (r = 0; r < 3 && st->n_subscribers; r++) {
		static const char *const name[] = {
			"nslink_subscriber_drops_total",
			"nslink_subscriber_queued_bytes",
			"nslink_subscriber_rcvbuf_bytes",
		};
		static const char *const help[] = {
			"Messages one listener lost to a full receive buffer since its socket was opened.",
			"Bytes waiting in one listener's receive queue.",
			"One listener's receive buffer, in bytes.",
		};

		prom_family(f, name[r], r ? "gauge" : "counter", help[r]);
		for (i = 0; i < st->n_subscribers; i++) {
			const struct nsev_subscriber *s = &st->subscribers[i];
			char portid[16];

			snprintf(portid, sizeof(portid), "%u", s->portid);
			fprintf(f, "%s{portid=\"", name[r]);
			nsev_prom_label_value(f, portid);
			fprintf(f, "\"} %u\n",
				r == 0 ? s->drops : r == 1 ? s->queued : s->rcvbuf);
		}
	}
}
