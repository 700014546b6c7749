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

		nsev_print_lost(fp, 3, true);
		fclose(fp);
		CHECK_STR(out, "{\"lost\":3}\n", "loss as a JSON line");
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
	UNIT_EXIT();
}
