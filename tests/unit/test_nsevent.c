// SPDX-License-Identifier: GPL-2.0
#define UNIT_NAME "nsevent"
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "unit.h"
#include "../../userspace/nl.h"
#include "../../userspace/nsevent.h"

static char out[4096];

/* Build an nslink message the way the kernel lays it out. */
static struct nl_msg *event_msg(uint8_t cmd, uint64_t seq, uint8_t reason)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(msg, 0, 0, 0x20, 0, 0, cmd, NSLINK_GENL_VERSION);
	nla_put_u64(msg, NSLINK_A_EV_SEQ, seq);
	if (cmd == NSLINK_CMD_EVENT) {
		nla_put_u64(msg, NSLINK_A_EV_TIMESTAMP, 12345678901ULL);
		nla_put_u8(msg, NSLINK_A_EV_REASON, reason);
	}
	nla_put_u32(msg, NSLINK_A_EV_PID, 42);
	nla_put_u32(msg, NSLINK_A_EV_TGID, 41);
	nla_put_u32(msg, NSLINK_A_EV_PPID, 1);
	nla_put_string(msg, NSLINK_A_EV_COMM, "a \"b\"\n");
	nla_put_u32(msg, NSLINK_A_EV_UID, 0);
	nest = nla_nest_start(msg, NSLINK_A_EV_NS);
	nla_put_u8(msg, NSLINK_A_NS_TYPE, NSLINK_NS_NET);
	if (cmd == NSLINK_CMD_EVENT)
		nla_put_u32(msg, NSLINK_A_NS_OLD, 100);
	if (reason != NSLINK_REASON_EXIT)
		nla_put_u32(msg, NSLINK_A_NS_NEW, 200);
	nla_put_u64(msg, NSLINK_A_NS_DEV, 4);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, NSLINK_A_EV_NS);
	nla_put_u8(msg, NSLINK_A_NS_TYPE, NSLINK_NS_USER);
	if (cmd == NSLINK_CMD_EVENT)
		nla_put_u32(msg, NSLINK_A_NS_OLD, 300);
	if (reason != NSLINK_REASON_EXIT)
		nla_put_u32(msg, NSLINK_A_NS_NEW, 400);
	nla_put_u64(msg, NSLINK_A_NS_DEV, 4);
	nla_nest_end(msg, nest);
	return msg;
}

/*
 * A SUMMARY as the kernel lays it out: every attribute (all), or only
 * those without which it means nothing (seq, owner kind, count).
 */
static struct nl_msg *summary_msg(uint64_t seq, uint8_t kind, bool all)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_SUMMARY, NSLINK_GENL_VERSION);
	nla_put_u64(msg, NSLINK_A_EV_SEQ, seq);
	if (all)
		nla_put_u64(msg, NSLINK_A_EV_TIMESTAMP, 12445678901ULL);
	nla_put_u8(msg, NSLINK_A_SUM_OWNER_KIND, kind);
	if (all && (kind == NSLINK_OWNER_UID || kind == NSLINK_OWNER_USERNS))
		nla_put_u32(msg, NSLINK_A_SUM_OWNER_UID,
			    kind == NSLINK_OWNER_UID ? 1000 : 0);
	if (all && (kind == NSLINK_OWNER_USERNS || kind == NSLINK_OWNER_PIDNS))
		nla_put_u32(msg, NSLINK_A_SUM_OWNER_NS, 4026532207U);
	nla_put_u64(msg, NSLINK_A_SUM_COUNT, 12345);
	if (all) {
		nest = nla_nest_start(msg, NSLINK_A_SUM_REASONS);
		nla_put_u64(msg, NSLINK_REASON_UNSHARE, 12000);
		nla_put_u64(msg, NSLINK_REASON_SETNS, 0);	/* no count: left out */
		nla_put_u64(msg, NSLINK_REASON_EXIT, 345);
		nla_put_u64(msg, 99, 7);	/* a reason from a newer module */
		nla_nest_end(msg, nest);
		nla_put_u64(msg, NSLINK_A_SUM_FIRST_TS, 12345678901ULL);
		nla_put_u64(msg, NSLINK_A_SUM_LAST_TS, 12400000000ULL);
		nla_put_u64(msg, NSLINK_A_SUM_AFTER_SEQ, 41);
		nla_put_u32(msg, NSLINK_A_SUM_CAUSES, NSLINK_SUM_RATE | NSLINK_SUM_RING);
	}
	return msg;
}

/* A GET_STATS reply, with the summary counters (newer modules) or not. */
static struct nl_msg *stats_msg(bool summary)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;
	unsigned int r;

	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_GET_STATS, NSLINK_GENL_VERSION);
	nla_put_u64(msg, NSLINK_A_STATS_EMITTED, 50);
	nla_put_u64(msg, NSLINK_A_STATS_DROPPED, 2);
	nla_put_u64(msg, NSLINK_A_STATS_SEQ, 52);
	nest = nla_nest_start(msg, NSLINK_A_STATS_REASONS);
	for (r = 1; r <= NSLINK_REASON_MAX; r++)
		nla_put_u64(msg, r, 10 * r);
	nla_nest_end(msg, nest);
	nla_put_u64(msg, NSLINK_A_STATS_INJECTED, 3);
	nla_put_u64(msg, NSLINK_A_STATS_INJECT_REFUSED, 1);
	if (summary) {
		nla_put_u64(msg, NSLINK_A_STATS_SUMMARIZED, 12345);
		nla_put_u64(msg, NSLINK_A_STATS_SUMMARIES, 4);
		for (r = 0; r < 2; r++) {
			nest = nla_nest_start(msg, NSLINK_A_STATS_SUBSCRIBER);
			nla_put_u32(msg, NSLINK_A_SUBSCRIBER_PORTID, 100 + r);
			nla_put_u32(msg, NSLINK_A_SUBSCRIBER_QUEUED, r ? 4096 : 0);
			nla_put_u32(msg, NSLINK_A_SUBSCRIBER_RCVBUF, 8388608);
			nla_put_u32(msg, NSLINK_A_SUBSCRIBER_DROPS, r ? 77 : 0);
			nla_nest_end(msg, nest);
		}
	}
	return msg;
}

static const char *print_out(const struct nsev *ev, const struct nsev_out *o)
{
	FILE *fp = fmemopen(out, sizeof(out), "w");

	nsev_print(fp, ev, o);
	fclose(fp);
	return out;
}

static const char *print(const struct nsev *ev, const struct nsev_filter *f,
			 bool json, struct nsev_netns *nn)
{
	struct nsev_out o = { .json = json, .flt = f, .nn = nn };

	return print_out(ev, &o);
}

static void test_lists(void)
{
	char err[256];
	uint32_t m;

	CHECK(nsev_parse_list(NSEV_TYPES, "net,mnt", &m, err, sizeof(err)) == 0 &&
	      m == ((1u << NSLINK_NS_NET) | (1u << NSLINK_NS_MNT)), "types net,mnt");
	CHECK(nsev_parse_list(NSEV_TYPES, "user", &m, err, sizeof(err)) == 0 &&
	      m == 1u << NSLINK_NS_USER, "type user");
	CHECK(nsev_parse_list(NSEV_TYPES, "ne", &m, err, sizeof(err)) == -1,
	      "a prefix is not a type (whole words only)");
	CHECK_STR(err, "unknown namespace type 'ne' (one of mnt,uts,ipc,net,pid,cgroup,time,user)",
		  "unknown type names the choices");
	CHECK(nsev_parse_list(NSEV_TYPES, "net,", &m, err, sizeof(err)) == -1,
	      "empty item refused");
	CHECK(nsev_parse_list(NSEV_REASONS, "clone,setns,exit", &m, err, sizeof(err)) == 0 &&
	      m == ((1u << NSLINK_REASON_CLONE) | (1u << NSLINK_REASON_SETNS) |
		    (1u << NSLINK_REASON_EXIT)), "reasons clone,setns,exit");
	CHECK(nsev_parse_list(NSEV_REASONS, "fork", &m, err, sizeof(err)) == -1,
	      "unknown reason refused");
	CHECK_STR(nsev_reason_name(NSLINK_REASON_UNSHARE), "unshare", "reason name");
	CHECK_STR(nsev_reason_name(99), "?", "unknown reason name");
	CHECK_STR(nsev_type_name(NSLINK_NS_CGROUP), "cgroup", "type name");
}

static void test_parse_print(void)
{
	struct nsev_filter f = { 0 };
	struct nl_msg *msg;
	struct nsev ev;

	msg = event_msg(NSLINK_CMD_EVENT, 7, NSLINK_REASON_SETNS);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == 0, "event parses");
	nlmsg_free(msg);
	CHECK(!ev.snapshot && ev.seq == 7 && ev.reason == NSLINK_REASON_SETNS &&
	      ev.pid == 42 && ev.tgid == 41, "event fields");
	CHECK(ev.ns[NSLINK_NS_NET].present && ev.ns[NSLINK_NS_USER].present &&
	      !ev.ns[NSLINK_NS_MNT].present, "both repeated NS nests seen");
	CHECK_STR(print(&ev, &f, true, NULL),
		  "{\"seq\":7,\"ts\":12345678901,\"reason\":\"setns\",\"pid\":42,\"tgid\":41,"
		  "\"ppid\":1,\"comm\":\"a \\\"b\\\"\\n\",\"uid\":0,\"ns\":{"
		  "\"net\":{\"old\":100,\"new\":200,\"dev\":4},"
		  "\"user\":{\"old\":300,\"new\":400,\"dev\":4}}}\n",
		  "JSON line, comm escaped");
	CHECK_STR(print(&ev, &f, false, NULL),
		  "seq=7 ts=12.345678901 reason=setns pid=42 tgid=41 ppid=1 uid=0 "
		  "comm=a\\x20\"b\"\\x0a net:[100]->[200] user:[300]->[400]\n",
		  "text line, comm escaped");
	f.types = 1u << NSLINK_NS_USER;
	CHECK_STR(print(&ev, &f, true, NULL),
		  "{\"seq\":7,\"ts\":12345678901,\"reason\":\"setns\",\"pid\":42,\"tgid\":41,"
		  "\"ppid\":1,\"comm\":\"a \\\"b\\\"\\n\",\"uid\":0,\"ns\":{"
		  "\"user\":{\"old\":300,\"new\":400,\"dev\":4}}}\n",
		  "-t user shows only user");

	msg = event_msg(NSLINK_CMD_EVENT, 8, NSLINK_REASON_EXIT);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == 0, "exit event parses");
	nlmsg_free(msg);
	f.types = 0;
	CHECK_STR(print(&ev, &f, false, NULL),
		  "seq=8 ts=12.345678901 reason=exit pid=42 tgid=41 ppid=1 uid=0 "
		  "comm=a\\x20\"b\"\\x0a net:[100]->none user:[300]->none\n",
		  "exit: new is none");

	msg = event_msg(NSLINK_CMD_GET_TASKS, 9, 0);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == 0 && ev.snapshot, "snapshot entry parses");
	nlmsg_free(msg);
	CHECK_STR(print(&ev, &f, true, NULL),
		  "{\"snapshot\":true,\"seq\":9,\"pid\":42,\"tgid\":41,\"ppid\":1,"
		  "\"comm\":\"a \\\"b\\\"\\n\",\"uid\":0,\"ns\":{"
		  "\"net\":{\"new\":200,\"dev\":4},\"user\":{\"new\":400,\"dev\":4}}}\n",
		  "snapshot JSON marked as such");

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_GET_INFO, 1);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == -1, "other commands refused");
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_EVENT, 1);
	nla_put_u64(msg, NSLINK_A_EV_SEQ, 1);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == -1, "event without pid/reason refused");
	nlmsg_free(msg);
}

static void test_filter(void)
{
	struct nsev ev = { .reason = NSLINK_REASON_SETNS, .pid = 10, .tgid = 9 };
	struct nsev_filter f = { 0 };

	ev.ns[NSLINK_NS_NET].present = true;
	CHECK(nsev_match(&f, &ev), "no filter: shown");
	f.pid = 9;
	CHECK(nsev_match(&f, &ev), "-p matches the tgid");
	f.pid = 11;
	CHECK(!nsev_match(&f, &ev), "-p other pid: hidden");
	f.pid = 0;
	f.types = 1u << NSLINK_NS_MNT;
	CHECK(!nsev_match(&f, &ev), "-t mnt hides a net change");
	f.types |= 1u << NSLINK_NS_NET;
	CHECK(nsev_match(&f, &ev), "-t mnt,net shows it");
	f.types = 0;
	f.reasons = 1u << NSLINK_REASON_CLONE;
	CHECK(!nsev_match(&f, &ev), "-r clone hides setns");
	f.reasons = 0;
	ev.reason = NSLINK_REASON_EXIT;
	CHECK(!nsev_match(&f, &ev), "exit hidden without --exit");
	f.exits = true;
	CHECK(nsev_match(&f, &ev), "exit shown with --exit");
}

static void test_seq(void)
{
	struct nsev_seq s = { 0 };
	bool stale;

	CHECK(nsev_seq_next(&s, 5, &stale) == 0 && !stale, "first event: no loss");
	CHECK(nsev_seq_next(&s, 6, &stale) == 0 && !stale, "next seq: no loss");
	CHECK(nsev_seq_next(&s, 9, &stale) == 2 && !stale, "gap 6->9: 2 lost");
	CHECK(nsev_seq_next(&s, 9, &stale) == 0 && stale, "repeat: stale");
	s.last = 100;	/* after a snapshot taken at seq 100 */
	CHECK(nsev_seq_next(&s, 100, &stale) == 0 && stale, "in the snapshot: stale");
	CHECK(nsev_seq_next(&s, 101, &stale) == 0 && !stale, "after the snapshot: applied");
	{
		FILE *fp = fmemopen(out, sizeof(out), "w");

		nsev_print_lost(fp, 3, 6, 10, true);
		fclose(fp);
		CHECK_STR(out, "{\"lost\":3,\"after_seq\":6,\"before_seq\":10}\n",
			  "loss as a JSON line, between which seqs");
	}
}

static void test_netns_names(void)
{
	char dir[] = "/tmp/nsevent-unit.XXXXXX", path[256];
	struct nsev_netns nn;
	struct stat st;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL, "temporary directory");
	nsev_netns_init(&nn, dir);
	CHECK(nsev_netns_name(&nn, 0, 12345) == NULL, "empty directory: no name");
	/* An empty regular file stands in for a bind-mounted nsfs inode. */
	snprintf(path, sizeof(path), "%s/blue", dir);
	f = fopen(path, "w");
	fclose(f);
	stat(path, &st);
	CHECK_STR(nsev_netns_name(&nn, st.st_dev, st.st_ino), "blue",
		  "new name found by rescanning on a miss");
	CHECK(nsev_netns_name(&nn, st.st_dev + 1, st.st_ino) == NULL,
	      "same inode on another device: not a match");
	{
		/* ip netns add creates the name (the directory's mtime
		 * changes), then bind-mounts the netns over it: the name's
		 * inode changes, the directory's mtime does not. A rename
		 * over the name, mtime put back, does the same here. */
		char path2[300], tmp[300];
		struct timespec ts[2];
		struct stat dst, st2;

		snprintf(path2, sizeof(path2), "%s/green", dir);
		snprintf(tmp, sizeof(tmp), "%s/green.new", dir);
		f = fopen(path2, "w");
		fclose(f);
		stat(path2, &st2);
		CHECK_STR(nsev_netns_name(&nn, st2.st_dev, st2.st_ino), "green",
			  "a name made since the last scan is found");
		stat(dir, &dst);
		f = fopen(tmp, "w");
		fclose(f);
		rename(tmp, path2);
		stat(path2, &st2);
		ts[0] = dst.st_atim;
		ts[1] = dst.st_mtim;
		utimensat(AT_FDCWD, dir, ts, 0);
		CHECK_STR(nsev_netns_name(&nn, st2.st_dev, st2.st_ino), "green",
			  "a name not yet mounted at the last scan is looked at again when mounted, though the directory's mtime stands still");
		unlink(path2);
	}
	unlink(path);
	rmdir(dir);
	nsev_netns_free(&nn);
}

/*
 * A name in /run/netns that is not a mount (its netns gone, or a plain
 * file) used to make every event with an unnamed network namespace read
 * the whole directory again. Count the reads.
 */
static void test_netns_stale(void)
{
	char dir[] = "/tmp/nsevent-stale.XXXXXX", path[300];
	struct timespec ts[2];
	struct nsev_netns nn;
	struct stat dst;
	unsigned long before;
	int i;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL, "stale: temporary directory");
	snprintf(path, sizeof(path), "%s/stale", dir);
	f = fopen(path, "w");	/* empty, on the directory's file system */
	fclose(f);
	nsev_netns_init(&nn, dir);
	CHECK(nsev_netns_name(&nn, 4, 1000000) == NULL, "stale: an unnamed netns");
	CHECK(nn.scans == 1, "stale: the first miss reads the directory (%lu)", nn.scans);
	for (i = 0; i < 1000; i++)
		nsev_netns_name(&nn, 4, 1000001 + i);
	CHECK(nn.scans == 1,
	      "stale: 1000 more misses with the directory unchanged read it no more (%lu reads)",
	      nn.scans);
	/* The directory changes (its mtime, set apart from any clock tick). */
	stat(dir, &dst);
	snprintf(path, sizeof(path), "%s/other", dir);
	f = fopen(path, "w");
	fputs("not a netns", f);
	fclose(f);
	ts[0] = dst.st_atim;
	ts[1] = dst.st_mtim;
	ts[1].tv_sec += 5;
	utimensat(AT_FDCWD, dir, ts, 0);
	before = nn.scans;
	nsev_netns_name(&nn, 4, 2000000);
	nsev_netns_name(&nn, 4, 2000001);
	CHECK(nn.scans == before + 1, "stale: a changed directory is read once more (%lu reads)",
	      nn.scans - before);
	/* A second later, a miss reads it once more (a mount over a name
	 * changes no mtime), and then not again. */
	nn.scanned_ns -= 2000000000LL;
	before = nn.scans;
	for (i = 0; i < 100; i++)
		nsev_netns_name(&nn, 4, 3000000 + i);
	CHECK(nn.scans == before + 1, "stale: after a second, one read for 100 misses (%lu)",
	      nn.scans - before);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stale", dir);
	unlink(path);
	rmdir(dir);
	nsev_netns_free(&nn);
}

/*
 * Every string in the text form goes through one escape: a /run/netns name
 * (chosen by whoever ran ip netns add) with a newline must not print a
 * second, well-formed event line, nor move the terminal with ESC.
 */
static void test_text_escape(void)
{
	char dir[] = "/tmp/nsevent-esc.XXXXXX", path[512], want[512];
	const char *name = "x\nseq=99 ts=1.000000000 reason=setns\t\x1b[2J\\y";
	struct nsev_filter f = { 0 };
	struct nsev_netns nn;
	struct nl_msg *msg;
	struct nsev ev;
	struct stat st;
	const char *line;
	FILE *fp;

	CHECK(mkdtemp(dir) != NULL, "escape: temporary directory");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	CHECK(fp != NULL, "escape: a netns name with newline, tab, ESC and backslash");
	if (!fp)
		return;
	fclose(fp);
	stat(path, &st);
	nsev_netns_init(&nn, dir);
	msg = event_msg(NSLINK_CMD_EVENT, 7, NSLINK_REASON_SETNS);
	nsev_parse(nlmsg_hdr(msg), &ev);
	nlmsg_free(msg);
	ev.ns[NSLINK_NS_NET].new = (uint32_t)st.st_ino;
	ev.ns[NSLINK_NS_NET].dev = st.st_dev;
	line = print(&ev, &f, false, &nn);
	CHECK(strchr(line, '\n') == line + strlen(line) - 1,
	      "text: a netns name with a newline still prints one line");
	CHECK(!strchr(line, '\t') && !strchr(line, '\x1b'),
	      "text: no tab or ESC from a netns name reaches the output");
	snprintf(want, sizeof(want),
		 " net:[100]->[%u](x\\x0aseq=99\\x20ts=1.000000000\\x20reason=setns"
		 "\\x09\\x1b[2J\\x5cy) user:[300]->[400]\n", (uint32_t)st.st_ino);
	CHECK_STR(strstr(line, " net:"), want, "text: the netns name escaped as comm is");
	line = print(&ev, &f, true, &nn);
	CHECK(strstr(line, ",\"new_name\":\"x\\nseq=99 ts=1.000000000 reason=setns"
		      "\\t\\u001b[2J\\\\y\",\"dev\"") != NULL,
	      "JSON: the netns name escaped, valid UTF-8 so no new_name_raw");
	unlink(path);
	rmdir(dir);
	nsev_netns_free(&nn);
}

/* Wall-clock time and the boot id, for log pipelines. */
static void test_time(void)
{
	/* 2026-12-04T12:34:56Z, plus 123456789 ns. */
	const long long t = 1796387696LL * 1000000000LL + 123456789LL;
	char buf[64], dir[] = "/tmp/nsevent-boot.XXXXXX", path[300];
	enum nsev_time_format tf = NSEV_TIME_MONO;
	struct nsev_out o = { .json = true };
	struct nl_msg *msg;
	struct nsev ev;
	FILE *f;

	CHECK(!nsev_parse_time_format("mono", &tf) && tf == NSEV_TIME_MONO, "--time-format mono");
	CHECK(!nsev_parse_time_format("utc", &tf) && tf == NSEV_TIME_UTC, "--time-format utc");
	CHECK(!nsev_parse_time_format("local", &tf) && tf == NSEV_TIME_LOCAL, "--time-format local");
	CHECK(nsev_parse_time_format("iso8601", &tf) == -1, "an unknown time format refused");
	CHECK(nsev_parse_time_format("", &tf) == -1, "an empty time format refused");

	CHECK(!nsev_format_time(buf, sizeof(buf), t, NSEV_TIME_UTC), "UTC formats");
	CHECK_STR(buf, "2026-12-04T12:34:56.123456Z", "UTC: RFC 3339, microseconds, Z");
	nsev_format_time(buf, sizeof(buf), 0, NSEV_TIME_UTC);
	CHECK_STR(buf, "1970-01-01T00:00:00.000000Z", "UTC: the epoch");
	nsev_format_time(buf, sizeof(buf), -1, NSEV_TIME_UTC);
	CHECK_STR(buf, "1969-12-31T23:59:59.999999Z", "UTC: before the epoch rounds down");
	setenv("TZ", "XST-5:30", 1);
	tzset();
	CHECK(!nsev_format_time(buf, sizeof(buf), t, NSEV_TIME_LOCAL), "local formats");
	CHECK_STR(buf, "2026-12-04T18:04:56.123456+05:30", "local: RFC 3339 with the zone's offset");
	setenv("TZ", "XST8", 1);
	tzset();
	nsev_format_time(buf, sizeof(buf), t, NSEV_TIME_LOCAL);
	CHECK_STR(buf, "2026-12-04T04:34:56.123456-08:00", "local: a negative offset");
	setenv("TZ", "UTC0", 1);
	tzset();
	nsev_format_time(buf, sizeof(buf), t, NSEV_TIME_LOCAL);
	CHECK_STR(buf, "2026-12-04T12:34:56.123456+00:00", "local in UTC: +00:00");
	CHECK(nsev_format_time(buf, 10, t, NSEV_TIME_UTC) == -1 && !buf[0],
	      "a buffer too small refused, left empty");
	CHECK(nsev_format_time(buf, 22, t, NSEV_TIME_UTC) == -1 && !buf[0],
	      "no room for the fraction: refused, left empty");
	{
		long long off = nsev_realtime_offset();
		struct timespec r;

		clock_gettime(CLOCK_REALTIME, &r);
		CHECK(off > 0 && off <= r.tv_sec * 1000000000LL + r.tv_nsec,
		      "the realtime offset is the boot's wall-clock time");
	}

	CHECK(mkdtemp(dir) != NULL, "boot id: temporary directory");
	snprintf(path, sizeof(path), "%s/boot_id", dir);
	f = fopen(path, "w");
	fputs("0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\n", f);
	fclose(f);
	CHECK(!nsev_read_boot_id(path, buf, sizeof(buf)), "boot id read");
	CHECK_STR(buf, "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "boot id without its newline");
	f = fopen(path, "w");
	fputs("\"},\"x\":1\n", f);
	fclose(f);
	CHECK(nsev_read_boot_id(path, buf, sizeof(buf)) == -1, "a boot id that is not a uuid refused");
	unlink(path);
	rmdir(dir);
	CHECK(nsev_read_boot_id(path, buf, sizeof(buf)) == -1, "a missing boot id file: -1");
	CHECK(!nsev_read_boot_id("/proc/sys/kernel/random/boot_id", buf, sizeof(buf)) &&
	      strlen(buf) == 36, "this system's boot id");

	msg = event_msg(NSLINK_CMD_EVENT, 7, NSLINK_REASON_SETNS);
	nsev_parse(nlmsg_hdr(msg), &ev);
	nlmsg_free(msg);
	/* ts 12.345678901 s after boot; the boot at t - 12.345678901 s. */
	o.realtime = true;
	o.realtime_offset = t - 12345678901LL;
	o.boot_id = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
	CHECK_STR(print_out(&ev, &o),
		  "{\"seq\":7,\"ts\":12345678901,\"time\":\"2026-12-04T12:34:56.123456Z\","
		  "\"boot_id\":\"0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\",\"reason\":\"setns\","
		  "\"pid\":42,\"tgid\":41,\"ppid\":1,\"comm\":\"a \\\"b\\\"\\n\",\"uid\":0,\"ns\":{"
		  "\"net\":{\"old\":100,\"new\":200,\"dev\":4},"
		  "\"user\":{\"old\":300,\"new\":400,\"dev\":4}}}\n",
		  "JSON: ts, the wall-clock time of ts, and the boot id");
	o.json = false;
	CHECK_STR(print_out(&ev, &o),
		  "seq=7 ts=12.345678901 reason=setns pid=42 tgid=41 ppid=1 uid=0 "
		  "comm=a\\x20\"b\"\\x0a net:[100]->[200] user:[300]->[400]\n",
		  "text: mono by default, as before");
	o.time_format = NSEV_TIME_UTC;
	CHECK_STR(print_out(&ev, &o),
		  "seq=7 time=2026-12-04T12:34:56.123456Z reason=setns pid=42 tgid=41 ppid=1 uid=0 "
		  "comm=a\\x20\"b\"\\x0a net:[100]->[200] user:[300]->[400]\n",
		  "text: --time-format utc");
	setenv("TZ", "XST-5:30", 1);
	tzset();
	o.time_format = NSEV_TIME_LOCAL;
	CHECK(strstr(print_out(&ev, &o), "seq=7 time=2026-12-04T18:04:56.123456+05:30 reason=") == out,
	      "text: --time-format local");
	o.realtime = false;
	CHECK(strstr(print_out(&ev, &o), "seq=7 ts=12.345678901 reason=") == out,
	      "text: no clock offset known: ts as before");

	msg = event_msg(NSLINK_CMD_GET_TASKS, 9, 0);
	nsev_parse(nlmsg_hdr(msg), &ev);
	nlmsg_free(msg);
	o.json = true;
	o.realtime = true;
	CHECK(strstr(print_out(&ev, &o), "{\"snapshot\":true,\"seq\":9,"
		     "\"boot_id\":\"0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\",\"pid\":42,") == out,
	      "JSON snapshot: the boot id, no time (a snapshot entry has no ts)");
	unsetenv("TZ");
	tzset();
}

/* Parse a SUMMARY built by summary_msg(); -1 if it does not parse. */
static int parse_summary(uint64_t seq, uint8_t kind, bool all, struct nsev *ev)
{
	struct nl_msg *msg = summary_msg(seq, kind, all);
	int ret = nsev_parse(nlmsg_hdr(msg), ev);

	nlmsg_free(msg);
	return ret;
}

/* A SUMMARY: parsed, and printed as one line in both forms. */
static void test_summary(void)
{
	/* 2026-12-04T12:34:56Z at ts 12.345678901 s, as in test_time(). */
	const long long t = 1796387696LL * 1000000000LL + 123456789LL;
	struct nsev_out o = { .json = true };
	struct nsev ev;

	CHECK(parse_summary(43, NSLINK_OWNER_UID, true, &ev) == 0, "summary: parses");
	CHECK(ev.summary && !ev.snapshot && ev.seq == 43 && ev.has_ts &&
	      ev.ts == 12445678901ULL, "summary: seq and ts");
	CHECK(ev.sum.owner_kind == NSLINK_OWNER_UID && ev.sum.has_uid &&
	      ev.sum.uid == 1000 && !ev.sum.has_ns && ev.sum.count == 12345,
	      "summary: owner and count");
	CHECK(ev.sum.reasons[NSLINK_REASON_UNSHARE] == 12000 &&
	      ev.sum.reasons[NSLINK_REASON_EXIT] == 345 &&
	      !ev.sum.reasons[NSLINK_REASON_CLONE], "summary: reasons by value");
	CHECK(ev.sum.first_ts == 12345678901ULL && ev.sum.last_ts == 12400000000ULL &&
	      ev.sum.after_seq == 41 &&
	      ev.sum.causes == (NSLINK_SUM_RATE | NSLINK_SUM_RING),
	      "summary: first, last, after_seq, causes");
	CHECK_STR(print_out(&ev, &o),
		  "{\"summary\":true,\"seq\":43,\"ts\":12445678901,"
		  "\"owner\":{\"kind\":\"uid\",\"uid\":1000},\"count\":12345,"
		  "\"reasons\":{\"unshare\":12000,\"exit\":345},"
		  "\"first_ts\":12345678901,\"last_ts\":12400000000,"
		  "\"after_seq\":41,\"causes\":[\"rate\",\"ring\"]}\n",
		  "summary: JSON line, only reasons with a count, unknown ones left out");
	o.json = false;
	CHECK_STR(print_out(&ev, &o),
		  "seq=43 ts=12.445678901 summary: uid 1000 made 12345 transitions "
		  "not sent one by one (unshare 12000, exit 345) between 12.345678901 "
		  "and 12.400000000, after seq 41 [rate,ring]\n",
		  "summary: text line, times as ts= gives them");

	/* Times as events give them: ts plus the clock offset. */
	o.json = true;
	o.realtime = true;
	o.realtime_offset = t - 12345678901LL;
	o.boot_id = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
	CHECK_STR(print_out(&ev, &o),
		  "{\"summary\":true,\"seq\":43,\"ts\":12445678901,"
		  "\"time\":\"2026-12-04T12:34:56.223456Z\","
		  "\"boot_id\":\"0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\","
		  "\"owner\":{\"kind\":\"uid\",\"uid\":1000},\"count\":12345,"
		  "\"reasons\":{\"unshare\":12000,\"exit\":345},"
		  "\"first_ts\":12345678901,\"first_time\":\"2026-12-04T12:34:56.123456Z\","
		  "\"last_ts\":12400000000,\"last_time\":\"2026-12-04T12:34:56.177777Z\","
		  "\"after_seq\":41,\"causes\":[\"rate\",\"ring\"]}\n",
		  "summary: JSON with the clock: time, first_time, last_time (UTC), boot_id");
	o.json = false;
	CHECK_STR(print_out(&ev, &o),
		  "seq=43 ts=12.445678901 summary: uid 1000 made 12345 transitions "
		  "not sent one by one (unshare 12000, exit 345) between 12.345678901 "
		  "and 12.400000000, after seq 41 [rate,ring]\n",
		  "summary: text, mono by default, with the clock known too");
	o.time_format = NSEV_TIME_UTC;
	CHECK_STR(print_out(&ev, &o),
		  "seq=43 time=2026-12-04T12:34:56.223456Z summary: uid 1000 made 12345 "
		  "transitions not sent one by one (unshare 12000, exit 345) between "
		  "2026-12-04T12:34:56.123456Z and 2026-12-04T12:34:56.177777Z, after "
		  "seq 41 [rate,ring]\n",
		  "summary: text, --time-format utc for every time in it");
}

/* Each kind of owner, named by what names it. */
static void test_summary_owners(void)
{
	static const struct {
		uint8_t kind;
		const char *json, *text;
	} k[] = {
		{ NSLINK_OWNER_UID, "\"owner\":{\"kind\":\"uid\",\"uid\":1000}",
		  " summary: uid 1000 made " },
		{ NSLINK_OWNER_USERNS,
		  "\"owner\":{\"kind\":\"userns\",\"uid\":0,\"ns\":4026532207}",
		  " summary: userns:[4026532207] of uid 0 made " },
		{ NSLINK_OWNER_PIDNS, "\"owner\":{\"kind\":\"pidns\",\"ns\":4026532207}",
		  " summary: pidns:[4026532207] made " },
		{ NSLINK_OWNER_OTHERS, "\"owner\":{\"kind\":\"others\"}",
		  " summary: other owners made " },
		{ 9, "\"owner\":{\"kind\":\"?\"}", " summary: owner kind 9 made " },
	};
	struct nsev_out o = { 0 };
	struct nsev ev;
	unsigned int i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		CHECK(parse_summary(43, k[i].kind, true, &ev) == 0 &&
		      ev.sum.owner_kind == k[i].kind,
		      "summary owner kind %u (%s): parses", k[i].kind,
		      nsev_owner_name(k[i].kind));
		o.json = true;
		CHECK(strstr(print_out(&ev, &o), k[i].json) != NULL,
		      "summary owner %s: JSON %s", nsev_owner_name(k[i].kind), k[i].json);
		if (!strstr(out, k[i].json))
			printf("    got '%s'\n", out);
		o.json = false;
		CHECK(strstr(print_out(&ev, &o), k[i].text) != NULL,
		      "summary owner %s: text '%s'", nsev_owner_name(k[i].kind), k[i].text);
		if (!strstr(out, k[i].text))
			printf("    got '%s'\n", out);
	}
}

/* Only seq, owner kind and count are needed; the rest is printed when
 * it came, and left out when it did not (not printed as zeros). */
static void test_summary_partial(void)
{
	struct nsev_out o = { .json = true, .realtime = true, .realtime_offset = 1 };
	struct nl_msg *msg;
	struct nsev ev;

	CHECK(parse_summary(5, NSLINK_OWNER_UID, false, &ev) == 0 && ev.summary &&
	      !ev.has_ts && !ev.sum.has_uid && !ev.sum.has_reasons &&
	      !ev.sum.has_first_ts && !ev.sum.has_last_ts &&
	      !ev.sum.has_after_seq && !ev.sum.has_causes,
	      "summary without optional attributes: parses, none of them set");
	CHECK_STR(print_out(&ev, &o),
		  "{\"summary\":true,\"seq\":5,\"owner\":{\"kind\":\"uid\"},\"count\":12345}\n",
		  "summary without optional attributes: JSON has only what came");
	o.json = false;
	CHECK_STR(print_out(&ev, &o),
		  "seq=5 summary: uid ? made 12345 transitions not sent one by one\n",
		  "summary without optional attributes: text has only what came");
	parse_summary(6, NSLINK_OWNER_PIDNS, false, &ev);
	CHECK_STR(print_out(&ev, &o),
		  "seq=6 summary: pidns:[?] made 12345 transitions not sent one by one\n",
		  "summary of a pid namespace not named: [?]");

	/* One transition, one cause and an unknown one, the first time
	 * only, an empty reasons nest. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_SUMMARY, NSLINK_GENL_VERSION);
	nla_put_u64(msg, NSLINK_A_EV_SEQ, 7);
	nla_put_u8(msg, NSLINK_A_SUM_OWNER_KIND, NSLINK_OWNER_UID);
	nla_put_u32(msg, NSLINK_A_SUM_OWNER_UID, 1000);
	nla_put_u64(msg, NSLINK_A_SUM_COUNT, 1);
	nla_put(msg, NSLINK_A_SUM_REASONS, 0, NULL);
	nla_put_u64(msg, NSLINK_A_SUM_FIRST_TS, 1000000000ULL);
	nla_put_u32(msg, NSLINK_A_SUM_CAUSES, NSLINK_SUM_RING | 0x100);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == 0 && ev.sum.has_reasons,
	      "summary with an empty reasons nest parses");
	nlmsg_free(msg);
	CHECK_STR(print_out(&ev, &o),
		  "seq=7 summary: uid 1000 made 1 transition not sent one by one "
		  "from 1.000000000 [ring,?]\n",
		  "summary text: one transition, a first time only, an unknown cause as ?");
	o.json = true;
	o.realtime = false;
	CHECK_STR(print_out(&ev, &o),
		  "{\"summary\":true,\"seq\":7,\"owner\":{\"kind\":\"uid\",\"uid\":1000},"
		  "\"count\":1,\"reasons\":{},\"first_ts\":1000000000,\"causes\":[\"ring\",\"?\"]}\n",
		  "summary JSON: an empty reasons nest, a first time only, an unknown cause as ?");

	/* Without what it cannot do without: refused. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_SUMMARY, NSLINK_GENL_VERSION);
	nla_put_u64(msg, NSLINK_A_EV_SEQ, 8);
	nla_put_u8(msg, NSLINK_A_SUM_OWNER_KIND, NSLINK_OWNER_UID);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == -1, "summary without a count refused");
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_SUMMARY, NSLINK_GENL_VERSION);
	nla_put_u64(msg, NSLINK_A_EV_SEQ, 8);
	nla_put_u64(msg, NSLINK_A_SUM_COUNT, 1);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == -1, "summary without an owner kind refused");
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_SUMMARY, NSLINK_GENL_VERSION);
	nla_put_u8(msg, NSLINK_A_SUM_OWNER_KIND, NSLINK_OWNER_UID);
	nla_put_u64(msg, NSLINK_A_SUM_COUNT, 1);
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == -1, "summary without a seq refused");
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_SUMMARY, NSLINK_GENL_VERSION);
	nla_put_u64(msg, NSLINK_A_EV_SEQ, 8);
	nla_put_u8(msg, NSLINK_A_SUM_OWNER_KIND, NSLINK_OWNER_UID);
	nla_put_u32(msg, NSLINK_A_SUM_COUNT, 1);	/* u32, not u64 */
	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == -1, "summary with a short count refused");
	nlmsg_free(msg);
}

/* A summary is accounting: every filter lets it through, and its seq
 * counts in the sequence like an event's. */
static void test_summary_filter_seq(void)
{
	struct nsev_filter f = {
		.types = 1u << NSLINK_NS_MNT, .reasons = 1u << NSLINK_REASON_CLONE,
		.pid = 11, .container = "docker:3f2a",
	};
	struct nsev_seq s = { 0 };
	struct nsev ev;
	bool stale;

	CHECK(parse_summary(8, NSLINK_OWNER_UID, true, &ev) == 0 &&
	      nsev_match(&f, &ev), "summary: shown through -t, -r, -p and -C");
	f = (struct nsev_filter){ .container = "none", .reasons = 1u << NSLINK_REASON_EXEC };
	CHECK(nsev_match(&f, &ev), "summary: shown through -C none -r exec");
	f = (struct nsev_filter){ .container = "delegated:podman:3f2a" };
	CHECK(nsev_match(&f, &ev), "summary: shown through -C delegated:...");
	CHECK(nsev_seq_next(&s, 7, &stale) == 0 &&
	      nsev_seq_next(&s, ev.seq, &stale) == 0 && !stale &&
	      nsev_seq_next(&s, 9, &stale) == 0 && !stale,
	      "event 7, summary 8, event 9: no loss");
	parse_summary(12, NSLINK_OWNER_UID, true, &ev);
	CHECK(nsev_seq_next(&s, ev.seq, &stale) == 2 && !stale,
	      "event 9, then summary 12: 2 lost (a summary closes no gap)");
}

/* What goes into the output at an overrun, and the count after it. */
static void test_overrun(void)
{
	struct nsev_seq s = { 0 };
	bool stale;
	FILE *fp;

	fp = fmemopen(out, sizeof(out), "w");
	nsev_print_overrun(fp, 41, true);
	fclose(fp);
	CHECK_STR(out, "{\"lost\":null,\"overrun\":true,\"after_seq\":41}\n",
		  "overrun: JSON record");
	fp = fmemopen(out, sizeof(out), "w");
	nsev_print_overrun(fp, 41, false);
	fclose(fp);
	CHECK_STR(out, "lost events after seq 41: receive buffer overrun (count follows)\n",
		  "overrun: text record");
	fp = fmemopen(out, sizeof(out), "w");
	nsev_print_overrun(fp, 0, true);
	fclose(fp);
	CHECK_STR(out, "{\"lost\":null,\"overrun\":true,\"after_seq\":null}\n",
		  "overrun before any message: after_seq null");
	fp = fmemopen(out, sizeof(out), "w");
	nsev_print_lost(fp, 3, 6, 10, false);
	fclose(fp);
	CHECK_STR(out, "lost 3 events after seq 6, before seq 10\n", "loss: text record");

	/* The sequence: events, an overrun, its count; a plain gap. */
	fp = fmemopen(out, sizeof(out), "w");
	nsev_seq_account(&s, 40, &stale, fp, true);
	nsev_seq_account(&s, 41, &stale, fp, true);
	nsev_seq_overrun(&s, fp, true);
	nsev_seq_account(&s, 45, &stale, fp, true);
	nsev_seq_account(&s, 46, &stale, fp, true);
	nsev_seq_account(&s, 48, &stale, fp, true);
	nsev_seq_overrun(&s, fp, true);
	nsev_seq_account(&s, 48, &stale, fp, true);	/* stale: not the count */
	nsev_seq_account(&s, 49, &stale, fp, true);
	fclose(fp);
	CHECK_STR(out,
		  "{\"lost\":null,\"overrun\":true,\"after_seq\":41}\n"
		  "{\"lost\":3,\"after_seq\":41,\"before_seq\":45}\n"
		  "{\"lost\":1,\"after_seq\":46,\"before_seq\":48}\n"
		  "{\"lost\":null,\"overrun\":true,\"after_seq\":48}\n"
		  "{\"lost\":0,\"after_seq\":48,\"before_seq\":49}\n",
		  "overrun at once, its count with the next message (0 included), a gap's count");
	s = (struct nsev_seq){ 0 };
	fp = fmemopen(out, sizeof(out), "w");
	nsev_seq_overrun(&s, fp, false);
	nsev_seq_account(&s, 7, &stale, fp, false);
	nsev_seq_account(&s, 8, &stale, fp, false);
	fclose(fp);
	CHECK_STR(out, "lost events before the first: receive buffer overrun (count unknown)\n",
		  "overrun before any message: no count follows");
}

/* GET_STATS: the summary counters when the module sends them. */
static void test_stats(void)
{
	struct nsev_stats st;
	struct nl_msg *msg;
	FILE *fp;

	msg = stats_msg(true);
	CHECK(nsev_parse_stats(nlmsg_hdr(msg), &st) == 0 && st.emitted == 50 &&
	      st.dropped == 2 && st.seq == 52 && st.reasons[NSLINK_REASON_EXIT] == 50 &&
	      st.injected == 3 && st.inject_refused == 1, "stats: parse");
	nlmsg_free(msg);
	CHECK(st.has_summarized && st.summarized == 12345 && st.has_summaries &&
	      st.summaries == 4, "stats: summarized and summaries");
	fp = fmemopen(out, sizeof(out), "w");
	nsev_print_stats(fp, &st, true);
	fclose(fp);
	CHECK_STR(out, "{\"emitted\":50,\"dropped\":2,\"seq\":52,\"summarized\":12345,"
		  "\"summaries\":4,\"reasons\":{\"clone\":10,\"unshare\":20,\"setns\":30,"
		  "\"exec\":40,\"exit\":50},\"injected\":3,\"inject_refused\":1,"
		  "\"subscribers\":[{\"portid\":100,\"queued\":0,\"rcvbuf\":8388608,\"drops\":0},"
		  "{\"portid\":101,\"queued\":4096,\"rcvbuf\":8388608,\"drops\":77}]}\n",
		  "stats: JSON with summarized, summaries and each subscriber's drops");
	fp = fmemopen(out, sizeof(out), "w");
	nsev_print_stats(fp, &st, false);
	fclose(fp);
	CHECK_STR(out, "emitted 50\ndropped 2\nseq 52\nsummarized 12345\nsummaries 4\n"
		  "clone 10\nunshare 20\nsetns 30\nexec 40\nexit 50\ninjected 3\n"
		  "inject_refused 1\nsubscriber 100 queued 0 rcvbuf 8388608 drops 0\n"
		  "subscriber 101 queued 4096 rcvbuf 8388608 drops 77\n",
		  "stats: text with summarized, summaries and each subscriber");

	msg = stats_msg(false);
	CHECK(nsev_parse_stats(nlmsg_hdr(msg), &st) == 0 && !st.has_summarized &&
	      !st.has_summaries, "stats from an older module: no summary counters");
	nlmsg_free(msg);
	fp = fmemopen(out, sizeof(out), "w");
	nsev_print_stats(fp, &st, true);
	fclose(fp);
	CHECK_STR(out, "{\"emitted\":50,\"dropped\":2,\"seq\":52,\"reasons\":{\"clone\":10,"
		  "\"unshare\":20,\"setns\":30,\"exec\":40,\"exit\":50},\"injected\":3,"
		  "\"inject_refused\":1}\n",
		  "stats from an older module: JSON as before, no summary keys");
	fp = fmemopen(out, sizeof(out), "w");
	nsev_print_stats(fp, &st, false);
	fclose(fp);
	CHECK_STR(out, "emitted 50\ndropped 2\nseq 52\nclone 10\nunshare 20\nsetns 30\n"
		  "exec 40\nexit 50\ninjected 3\ninject_refused 1\n",
		  "stats from an older module: text as before");
}

/*
 * The counters in Prometheus' text format: every family with its HELP and
 * TYPE, exactly; the optional ones only when the module sent them; the
 * module absent: nslink_up 0 alone; label values escaped.
 */
static void test_stats_prom(void)
{
	static char big[8192];
	struct nsev_stats st;
	struct nl_msg *msg;
	FILE *fp;

	msg = stats_msg(true);
	CHECK(nsev_parse_stats(nlmsg_hdr(msg), &st) == 0, "prometheus: stats parse");
	nlmsg_free(msg);
	fp = fmemopen(big, sizeof(big), "w");
	nsev_print_stats_prom(fp, &st);
	fclose(fp);
	CHECK_STR(big,
		"# HELP nslink_up 1 when the nslink module answered GET_STATS; 0 when it did not (not loaded: modprobe nslink; or refused).\n"
		"# TYPE nslink_up gauge\n"
		"nslink_up 1\n"
		"# HELP nslink_events_emitted_total Messages (events and summaries) the module handed to netlink.\n"
		"# TYPE nslink_events_emitted_total counter\n"
		"nslink_events_emitted_total 50\n"
		"# HELP nslink_events_dropped_total Messages a listener did not get, its receive buffer full, or not built for want of memory.\n"
		"# TYPE nslink_events_dropped_total counter\n"
		"nslink_events_dropped_total 2\n"
		"# HELP nslink_events_seq The last sequence number the module assigned to an event or summary.\n"
		"# TYPE nslink_events_seq gauge\n"
		"nslink_events_seq 52\n"
		"# HELP nslink_events_summarized_total Transitions counted in a summary rather than sent one by one (fair sharing).\n"
		"# TYPE nslink_events_summarized_total counter\n"
		"nslink_events_summarized_total 12345\n"
		"# HELP nslink_summaries_total Summary messages the module handed to netlink (also in nslink_events_emitted_total).\n"
		"# TYPE nslink_summaries_total counter\n"
		"nslink_summaries_total 4\n"
		"# HELP nslink_transitions_total Namespace transitions the module recorded, by reason.\n"
		"# TYPE nslink_transitions_total counter\n"
		"nslink_transitions_total{reason=\"clone\"} 10\n"
		"nslink_transitions_total{reason=\"unshare\"} 20\n"
		"nslink_transitions_total{reason=\"setns\"} 30\n"
		"nslink_transitions_total{reason=\"exec\"} 40\n"
		"nslink_transitions_total{reason=\"exit\"} 50\n"
		"# HELP nslink_uevents_injected_total Uevents injected into a network namespace (nsinject).\n"
		"# TYPE nslink_uevents_injected_total counter\n"
		"nslink_uevents_injected_total 3\n"
		"# HELP nslink_uevents_inject_refused_total Uevent injections the module refused.\n"
		"# TYPE nslink_uevents_inject_refused_total counter\n"
		"nslink_uevents_inject_refused_total 1\n"
		"# HELP nslink_subscribers Sockets of the initial network namespace that are members of the events group (the first 64 listed).\n"
		"# TYPE nslink_subscribers gauge\n"
		"nslink_subscribers 2\n"
		"# HELP nslink_subscriber_drops_total Messages one listener lost to a full receive buffer since its socket was opened.\n"
		"# TYPE nslink_subscriber_drops_total counter\n"
		"nslink_subscriber_drops_total{portid=\"100\"} 0\n"
		"nslink_subscriber_drops_total{portid=\"101\"} 77\n"
		"# HELP nslink_subscriber_queued_bytes Bytes waiting in one listener's receive queue.\n"
		"# TYPE nslink_subscriber_queued_bytes gauge\n"
		"nslink_subscriber_queued_bytes{portid=\"100\"} 0\n"
		"nslink_subscriber_queued_bytes{portid=\"101\"} 4096\n"
		"# HELP nslink_subscriber_rcvbuf_bytes One listener's receive buffer, in bytes.\n"
		"# TYPE nslink_subscriber_rcvbuf_bytes gauge\n"
		"nslink_subscriber_rcvbuf_bytes{portid=\"100\"} 8388608\n"
		"nslink_subscriber_rcvbuf_bytes{portid=\"101\"} 8388608\n",
		  "prometheus: every counter, summaries and each subscriber by portid");

	msg = stats_msg(false);
	CHECK(nsev_parse_stats(nlmsg_hdr(msg), &st) == 0, "prometheus: older module's stats parse");
	nlmsg_free(msg);
	fp = fmemopen(big, sizeof(big), "w");
	nsev_print_stats_prom(fp, &st);
	fclose(fp);
	CHECK_STR(big,
		"# HELP nslink_up 1 when the nslink module answered GET_STATS; 0 when it did not (not loaded: modprobe nslink; or refused).\n"
		"# TYPE nslink_up gauge\n"
		"nslink_up 1\n"
		"# HELP nslink_events_emitted_total Messages (events and summaries) the module handed to netlink.\n"
		"# TYPE nslink_events_emitted_total counter\n"
		"nslink_events_emitted_total 50\n"
		"# HELP nslink_events_dropped_total Messages a listener did not get, its receive buffer full, or not built for want of memory.\n"
		"# TYPE nslink_events_dropped_total counter\n"
		"nslink_events_dropped_total 2\n"
		"# HELP nslink_events_seq The last sequence number the module assigned to an event or summary.\n"
		"# TYPE nslink_events_seq gauge\n"
		"nslink_events_seq 52\n"
		"# HELP nslink_transitions_total Namespace transitions the module recorded, by reason.\n"
		"# TYPE nslink_transitions_total counter\n"
		"nslink_transitions_total{reason=\"clone\"} 10\n"
		"nslink_transitions_total{reason=\"unshare\"} 20\n"
		"nslink_transitions_total{reason=\"setns\"} 30\n"
		"nslink_transitions_total{reason=\"exec\"} 40\n"
		"nslink_transitions_total{reason=\"exit\"} 50\n"
		"# HELP nslink_uevents_injected_total Uevents injected into a network namespace (nsinject).\n"
		"# TYPE nslink_uevents_injected_total counter\n"
		"nslink_uevents_injected_total 3\n"
		"# HELP nslink_uevents_inject_refused_total Uevent injections the module refused.\n"
		"# TYPE nslink_uevents_inject_refused_total counter\n"
		"nslink_uevents_inject_refused_total 1\n",
		  "prometheus: an older module: no summary or subscriber families");

	/* A module that lists its subscribers, none now: the gauge says 0,
	 * and no per-subscriber family is left without a sample. */
	st.has_subscribers = true;
	fp = fmemopen(big, sizeof(big), "w");
	nsev_print_stats_prom(fp, &st);
	fclose(fp);
	CHECK(strstr(big, "# TYPE nslink_subscribers gauge\nnslink_subscribers 0\n") &&
	      !strstr(big, "nslink_subscriber_"),
	      "prometheus: no subscriber now: nslink_subscribers 0, no per-subscriber family");

	fp = fmemopen(big, sizeof(big), "w");
	nsev_print_stats_prom(fp, NULL);
	fclose(fp);
	CHECK_STR(big,
		"# HELP nslink_up 1 when the nslink module answered GET_STATS; 0 when it did not (not loaded: modprobe nslink; or refused).\n"
		"# TYPE nslink_up gauge\n"
		"nslink_up 0\n",
		  "prometheus: the module absent: nslink_up 0 alone");

	fp = fmemopen(out, sizeof(out), "w");
	nsev_prom_label_value(fp, "a\\b\"c\nd\te{}=,");
	fclose(fp);
	CHECK_STR(out, "a\\\\b\\\"c\\nd\te{}=,",
		  "prometheus: label values: backslash, double quote and newline escaped, the rest as is");
}

int main(void)
{
	test_lists();
	test_parse_print();
	test_filter();
	test_seq();
	test_netns_names();
	test_netns_stale();
	test_text_escape();
	test_time();
	test_summary();
	test_summary_owners();
	test_summary_partial();
	test_summary_filter_seq();
	test_overrun();
	test_stats();
	test_stats_prom();
	UNIT_EXIT();
}
