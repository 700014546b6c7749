/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Namespace-change events on the userspace side: parsing NSLINK_CMD_EVENT,
 * NSLINK_CMD_SUMMARY and GET_TASKS messages, filters, loss detection, the
 * GET_STATS counters, and the one print path that writes both the text and
 * the JSON form (so they cannot drift).
 */
#ifndef NSLINK_NSEVENT_H
#define NSLINK_NSEVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <netlink/attr.h>

#include <linux/nslink.h>

#include "cgroup.h"

struct nsev_ns {
	bool present;
	uint32_t old, new;	/* 0: absent */
	uint64_t old_id, new_id;	/* 0: absent (no ids in this kernel) */
	uint64_t dev;
};

/*
 * A NSLINK_CMD_SUMMARY: the transitions of one owner that were counted
 * rather than sent one by one. Each has_* says its attribute was sent.
 */
struct nsev_sum {
	uint8_t owner_kind;	/* enum nslink_owner_kind */
	bool has_uid, has_ns;
	uint32_t uid;		/* OWNER_UID: the uid; OWNER_USERNS: its creator */
	uint32_t ns;		/* OWNER_USERNS, OWNER_PIDNS: the inode */
	uint64_t count;
	bool has_reasons;
	uint64_t reasons[NSLINK_REASON_MAX + 1];	/* by enum nslink_reason */
	bool has_first_ts, has_last_ts, has_after_seq, has_causes;
	uint64_t first_ts, last_ts;	/* CLOCK_MONOTONIC ns, as ts */
	uint64_t after_seq;
	uint32_t causes;	/* enum nslink_sum_cause bits */
};

struct nsev {
	bool snapshot;		/* a GET_TASKS entry, not a transition */
	bool summary;		/* a SUMMARY: seq, ts and sum only */
	uint64_t seq, ts;
	bool has_ts;		/* NSLINK_A_EV_TIMESTAMP was sent */
	uint8_t reason;
	uint32_t pid, tgid, ppid, uid;
	char comm[32];
	struct nsev_ns ns[NSLINK_NS_MAX + 1];	/* by enum nslink_ns_type */
	bool has_cgroup;	/* NSLINK_A_EV_CGROUP_ID was sent */
	uint64_t cgroup_id;
	/* Filled by nsev_resolve(), not by nsev_parse(): */
	bool cgroup_v1;		/* no cgroup v2 mounted: the id says nothing */
	const char *cgroup;	/* path; NULL: not known */
	struct nscg_container ctr;	/* .runtime NULL: none */
	struct nsev_sum sum;	/* summary only */
};

/* Names as they appear on the command line and in the output. */
const char *nsev_reason_name(unsigned int reason);	/* "?" if unknown */
const char *nsev_type_name(unsigned int type);		/* "?" if unknown */
/* enum nslink_owner_kind: "uid", "userns", "pidns", "others"; "?". */
const char *nsev_owner_name(unsigned int kind);

/*
 * Parse a comma-separated list of whole names ("net,mnt") into a bitmask
 * (bit n = value n). kind is NSEV_TYPES or NSEV_REASONS. Returns 0, or -1
 * with a sentence in err.
 */
enum nsev_kind { NSEV_TYPES, NSEV_REASONS };
int nsev_parse_list(enum nsev_kind kind, const char *arg, uint32_t *mask,
		    char *err, size_t errlen);

/*
 * Fill ev from one nslink message: NSLINK_CMD_EVENT, NSLINK_CMD_SUMMARY
 * (ev->summary), or a GET_TASKS dump entry (ev->snapshot). Returns 0, or
 * -1 when the message is none of them or is malformed. An event needs a
 * seq, a pid and a reason; a summary a seq, an owner kind and a count (its
 * other attributes are optional: has_* says which came).
 */
struct nlmsghdr;
int nsev_parse(struct nlmsghdr *nlh, struct nsev *ev);

/*
 * The cgroup path and container of ev, from its cgroup id (cg may be
 * NULL: nothing is resolved). Strings stay valid until the next call.
 */
void nsev_resolve(struct nscg *cg, struct nsev *ev);

struct nsev_filter {
	uint32_t types;		/* 0: all */
	uint32_t reasons;	/* 0: all but exit, unless exits */
	uint32_t pid;		/* 0: any; else matches pid or tgid */
	bool exits;		/* --exit */
	/* --container: NULL any; else its id, a prefix of at least 4
	 * characters of it, or RUNTIME:ID; "none": only tasks in no
	 * container (claims included); "delegated:ID" or
	 * "delegated:RUNTIME:ID": only tasks whose cgroup claims that
	 * container (see nscg_container()'s delegated). */
	const char *container;
};
/* Should ev be shown? Applies to snapshot entries too (pid, container).
 * A summary is accounting, not a task's transition: it always passes. */
bool nsev_match(const struct nsev_filter *f, const struct nsev *ev);

/* Sequence tracking: a gap in seq is a loss. Events and summaries share
 * one sequence. */
struct nsev_seq {
	uint64_t last;		/* 0: nothing seen yet */
	bool overrun;		/* one was reported; its count comes next */
};
/*
 * Account for an event or summary with sequence number seq. Returns how
 * many messages were lost just before it (0 if none), and sets *stale when
 * seq is not newer than what was seen (an event older than the snapshot).
 */
uint64_t nsev_seq_next(struct nsev_seq *s, uint64_t seq, bool *stale);
/*
 * nsev_seq_next() and the loss record due before the message, on f
 * (nsev_print_lost()): after a gap, and after an overrun whatever its
 * count, 0 included (none when nothing had come before the overrun: there
 * is no count to give). Returns what nsev_seq_next() returns.
 */
uint64_t nsev_seq_account(struct nsev_seq *s, uint64_t seq, bool *stale,
			  FILE *f, bool json);
/*
 * A receive buffer overrun (ENOBUFS), now: its record on f
 * (nsev_print_overrun()), and the next message's count is due.
 */
void nsev_seq_overrun(struct nsev_seq *s, FILE *f, bool json);

/* Names of network namespaces, from /run/netns like `ip netns identify`. */
struct nsev_netns_ent {
	uint64_t dev, ino;
	/* CLOCK_MONOTONIC when the name was first seen not to be a mount
	 * (ip netns add under way, or a stale name); -1: a mount. */
	long long unmounted_ns;
	char name[256];
};
struct nsev_netns {
	const char *dir;	/* normally "/run/netns" */
	struct nsev_netns_ent *ent;
	size_t n, cap;
	uint64_t dir_dev;
	long long scanned_ns;	/* CLOCK_MONOTONIC of the last scan, -1 */
	long long dir_mtime_ns;
	unsigned long scans;	/* how many times dir was read (tests) */
};
void nsev_netns_init(struct nsev_netns *nn, const char *dir);
void nsev_netns_free(struct nsev_netns *nn);
/*
 * Name of a network namespace by nsfs (dev, inode), or NULL. A miss reads
 * the directory again only when its mtime changed or a second has passed
 * since it was last read; names that were not mounts when read, for less
 * than a second (ip netns add creates the name, then mounts over it, which
 * leaves the mtime alone), are looked at again one by one. So a stale name
 * costs at most one read of the directory a second, however many events.
 */
const char *nsev_netns_name(struct nsev_netns *nn, uint64_t dev, uint64_t ino);

/*
 * Time. Events carry ts, CLOCK_MONOTONIC in ns (time since boot, suspend
 * not counted). Their wall-clock time is ts plus CLOCK_REALTIME minus
 * CLOCK_MONOTONIC as it is when the event is printed: a clock step or a
 * suspend between the event and its printing moves it by as much.
 */
enum nsev_time_format {
	NSEV_TIME_MONO,		/* ts=SEC.NSEC, CLOCK_MONOTONIC (default) */
	NSEV_TIME_UTC,		/* time=2026-12-04T12:34:56.123456Z */
	NSEV_TIME_LOCAL,	/* time=2026-12-04T13:34:56.123456+01:00 */
};
/* "mono", "utc" or "local". Returns 0 or -1. */
int nsev_parse_time_format(const char *s, enum nsev_time_format *tf);
/* RFC 3339 with microseconds, of a CLOCK_REALTIME time in ns, in UTC or
 * the local zone (TZ). Returns 0, or -1 when buf is too small. */
int nsev_format_time(char *buf, size_t len, long long realtime_ns,
		     enum nsev_time_format tf);
/* CLOCK_REALTIME - CLOCK_MONOTONIC now, in ns: ts + this is wall clock. */
long long nsev_realtime_offset(void);
/* The boot id (normally /proc/sys/kernel/random/boot_id), a UUID, in buf
 * (37 bytes at least). Returns 0, or -1 when missing or not a UUID. */
int nsev_read_boot_id(const char *path, char *buf, size_t len);

/* How nsev_print() writes. */
struct nsev_out {
	bool json;
	enum nsev_time_format time_format;	/* text only */
	const struct nsev_filter *flt;	/* its types are shown; NULL: all */
	struct nsev_netns *nn;		/* netns names; NULL: none */
	const char *boot_id;		/* JSON "boot_id"; NULL: left out */
	/* realtime_offset is known (JSON "time", text time formats):
	 * nsev_realtime_offset(), taken just before printing. */
	bool realtime;
	long long realtime_offset;
};

/* Print one event, summary or snapshot entry, text or JSON, one line. */
void nsev_print(FILE *f, const struct nsev *ev, const struct nsev_out *o);
/*
 * Print a loss of n messages, counted by a gap in seq: after the one with
 * seq after_seq, before the one with seq before_seq. n may be 0: the count
 * that follows an overrun that lost nothing.
 */
void nsev_print_lost(FILE *f, uint64_t n, uint64_t after_seq,
		     uint64_t before_seq, bool json);
/*
 * Print a receive buffer overrun (ENOBUFS) as it happens: messages after
 * the one with seq after_seq (0: none came yet) were lost, how many the
 * next message's seq will tell (nsev_print_lost()).
 */
void nsev_print_overrun(FILE *f, uint64_t after_seq, bool json);

/* The GET_STATS counters. Each has_* says its attribute was sent (older
 * modules send no summary counters). */
#define NSEV_STATS_SUBSCRIBERS 64	/* as many as the module lists */
struct nsev_subscriber {
	uint32_t portid, queued, rcvbuf, drops;
};
struct nsev_stats {
	uint64_t emitted, dropped, seq, injected, inject_refused;
	bool has_summarized, has_summaries;
	uint64_t summarized, summaries;
	uint64_t reasons[NSLINK_REASON_MAX + 1];	/* by enum nslink_reason */
	/* Members of "events" in the initial netns, with their losses to a
	 * full buffer (NSLINK_A_STATS_SUBSCRIBER); has_subscribers: the
	 * module lists them (it does with summaries, where netlink_diag is). */
	bool has_subscribers;
	unsigned int n_subscribers;
	struct nsev_subscriber subscribers[NSEV_STATS_SUBSCRIBERS];
};
/* Fill st from a GET_STATS reply. Returns 0, or -1 when malformed. */
int nsev_parse_stats(struct nlmsghdr *nlh, struct nsev_stats *st);
/* Print the counters, JSON (one line) or text (one "name value" a line). */
void nsev_print_stats(FILE *f, const struct nsev_stats *st, bool json);
/*
 * The counters in Prometheus' text exposition format (0.0.4), each family
 * with its # HELP and # TYPE: nslink_up 1 and the rest; st NULL (the
 * module did not answer): nslink_up 0 alone. summarized, summaries and
 * the subscribers only when the module sent them.
 */
void nsev_print_stats_prom(FILE *f, const struct nsev_stats *st);
/* A label value as the exposition format escapes it: \\, \" and \n. */
void nsev_prom_label_value(FILE *f, const char *s);

#endif /* NSLINK_NSEVENT_H */
