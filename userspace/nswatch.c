// SPDX-License-Identifier: GPL-2.0
/*
 * nswatch: stream namespace-change events from the nslink module.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>

#include "nl.h"
#include "nsevent.h"
#include "out.h"

static const char *prog = "nswatch";

/* The grammar here and in man/nswatch.8 is the same. */
static void usage(FILE *f)
{
	fprintf(f,
"Usage: nswatch [-j] [-t TYPE[,TYPE...]] [-r REASON[,REASON...]] [-p PID]\n"
"               [-C ID] [--exit] [-c COUNT] [--snapshot] [--rcvbuf BYTES]\n"
"               [--time-format mono|utc|local]\n"
"       nswatch --stats [-j | --prometheus [--output FILE]]\n"
"       nswatch --info [-j]\n"
"       nswatch { -V | --version | -h | --help }\n"
"Stream namespace changes reported by the nslink kernel module, one line\n"
"per transition.\n"
"\n"
"  -j, --json            JSON lines instead of text\n"
"  -t, --type LIST       only transitions that change one of these types,\n"
"                        and show only them: mnt uts ipc net pid cgroup time user\n"
"  -r, --reason LIST     only these reasons: clone unshare setns exec exit\n"
"  -p, --pid PID         only the task whose pid or tgid is PID\n"
"  -C, --container ID    only tasks of this container: its id (or 4 or more\n"
"                        of its first characters), machine or container name,\n"
"                        optionally RUNTIME:ID (docker:3f2a); 'none': only\n"
"                        tasks in no container; 'delegated:ID': only tasks\n"
"                        whose cgroup merely claims that container (below)\n"
"      --exit            also report task exits (asks the kernel for them)\n"
"  -c, --count COUNT     exit after COUNT transitions (0: after the snapshot)\n"
"      --rcvbuf BYTES    socket receive buffer (default 8 MiB): events that\n"
"                        arrive while it is full are lost, and reported\n"
"      --snapshot        first print every task's namespaces, then follow\n"
"      --time-format FMT text: mono (ts=SEC.NSEC since boot, the default),\n"
"                        utc or local (time=, RFC 3339); JSON has ts, time\n"
"                        (UTC) and boot_id in every event\n"
"      --stats           print the kernel's event counters, then exit\n"
"      --prometheus      with --stats: in Prometheus' text format (nslink_*);\n"
"                        without the module, nslink_up 0 (and status 2)\n"
"      --output FILE     with --prometheus: replace FILE whole (written\n"
"                        beside it, then renamed), for node_exporter's\n"
"                        textfile collector\n"
"      --info            print the module's version and features, then exit\n"
"  -V, --version         print nswatch's version, then exit\n"
"  -h, --help            this help\n"
"\n"
"Each event names the task's cgroup (v2) and, from the cgroup path conventions\n"
"of docker, containerd, CRI-O, podman, systemd-nspawn, libvirt and LXC, its\n"
"container. A container name is believed only where its runtime puts them\n"
"(system.slice, machine.slice, kubepods, /docker, /lxc.payload.NAME, ...);\n"
"elsewhere, under a user's systemd (rootless podman too), it is reported as\n"
"delegated, not as a container; see nswatch(8).\n"
"\n"
"A summary line counts the transitions of one owner (a uid, a user or pid\n"
"namespace) past its fair share, which the kernel counted instead of sending;\n"
"a loss line says that events were lost, as soon as nswatch knows. Both pass\n"
"every filter, and -c does not count them; see nswatch(8), LOSS AND FAIR SHARING.\n"
"\n"
"Exit status: 0 success, 1 usage error, 2 module not loaded,\n"
"3 permission denied, 4 other failure, 5 not in the initial network namespace,\n"
"6 not in the initial pid namespace.\n");
}

enum {
	EXIT_USAGE = 1, EXIT_NOMOD = 2, EXIT_PERM = 3, EXIT_FAIL = 4,
	EXIT_NETNS = 5, EXIT_PIDNS = 6,
};

/* The initial pid namespace's inode, fixed since Linux 3.8
 * (PROC_PID_INIT_INO, include/linux/proc_ns.h). */
#define PID_INIT_INO 0xEFFFFFFCU
#define CGROUP_INIT_INO 0xEFFFFFFBU

static bool in_initial_cgroupns(void)
{
	struct stat st;

	return stat("/proc/self/ns/cgroup", &st) || st.st_ino == CGROUP_INIT_INO;
}

static const char *const feature_names[] = {
	"events", "stats", "snapshot", "exit-events", "inject", "exec-events",
	"ns-id", "cgroup-id", "inject-udev", "summary",
};

static int open_or_exit(struct nsl *n)
{
	int ret = nsl_open(n, prog);

	if (ret)
		return ret == -ENOENT ? EXIT_NOMOD : EXIT_FAIL;
	return 0;
}

/* Map a refused request to a sentence and an exit status. */
static int request_failed(struct nsl *n, const char *what, int err)
{
	if (err == -EPERM || err == -EACCES) {
		nsl_perror(n, prog, what, err);
		fprintf(stderr, "%s: not permitted: this needs CAP_SYS_ADMIN in the initial user namespace (run nswatch as root; a container: --privileged)\n",
			prog);
		return EXIT_PERM;
	}
	if (err == -EOPNOTSUPP && !strcmp(what, "SUBSCRIBE")) {
		nsl_perror(n, prog, what, err);
		fprintf(stderr, "%s: events reach only the host's network namespace, and this is another: run nswatch in the host's (a container: --network=host; a pod: hostNetwork: true; a shell: 'nsenter -t 1 -n nswatch')\n",
			prog);
		return EXIT_NETNS;
	}
	nsl_perror(n, prog, what, err);
	return EXIT_FAIL;
}

static int do_info(bool json)
{
	struct nsl_info info;
	struct nsl n;
	unsigned int i;
	bool first = true;
	int ret;

	ret = open_or_exit(&n);
	if (ret)
		return ret;
	ret = nsl_get_info(&n, &info);
	if (ret) {
		ret = request_failed(&n, "GET_INFO", ret);
		nsl_close(&n);
		return ret;
	}
	nsl_close(&n);

	if (json) {
		putchar('{');
		json_field(stdout, "version", info.version);
		printf(",\"features\":[");
	} else {
		printf("module version: %s\nfeatures:", info.version);
	}
	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++) {
		if (!(info.features & (1ULL << i)))
			continue;
		if (json)
			printf("%s\"%s\"", first ? "" : ",", feature_names[i]);
		else
			printf(" %s", feature_names[i]);
		first = false;
	}
	if (json) {
		printf("],\"features_mask\":%llu,",
		       (unsigned long long)info.features);
		json_field(stdout, "hook", info.hook);
		printf("}\n");
	} else {
		printf("%s\n", first ? " none" : "");
		printf("features mask: 0x%llx\n",
		       (unsigned long long)info.features);
		if (info.hook[0])
			printf("hook: %s\n", info.hook);
	}
	return 0;
}

struct stats {
	bool have;
	struct nsev_stats c;
};

static int parse_stats(struct nl_msg *msg, void *arg)
{
	struct stats *st = arg;

	if (nsev_parse_stats(nlmsg_hdr(msg), &st->c))
		return NL_SKIP;
	st->have = true;
	return NL_OK;
}

static int get_stats(struct stats *st)
{
	struct nsl n;
	int ret;

	ret = open_or_exit(&n);
	if (ret)
		return ret;
	ret = nsl_request(&n, NSLINK_CMD_GET_STATS, 0, NULL, NULL,
			  parse_stats, st);
	if (ret) {
		ret = request_failed(&n, "GET_STATS", ret);
		nsl_close(&n);
		return ret;
	}
	nsl_close(&n);
	if (!st->have) {
		fprintf(stderr, "%s: GET_STATS: empty reply\n", prog);
		return EXIT_FAIL;
	}
	return 0;
}

static int do_stats(bool json)
{
	struct stats st = { 0 };
	int ret = get_stats(&st);

	if (!ret)
		nsev_print_stats(stdout, &st.c, json);
	return ret;
}

/*
 * The metrics into path as a whole, never half written (node_exporter's
 * textfile collector may read it at any moment): into PATH.tmp.PID beside
 * it (a name the collector, reading *.prom only, passes over), flushed to
 * the disk, then renamed over it. On any failure the temporary file is
 * removed and path left as it was. Returns 0 or EXIT_FAIL, said.
 */
static int write_metrics(const char *path, const struct nsev_stats *st)
{
	const char *step = "cannot create";
	char *tmp = NULL, *dir = NULL, *slash;
	FILE *f = NULL;
	int fd, dfd, err = 0;

	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_FAIL;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = errno;
		fprintf(stderr, "%s: %s %s: %s (its directory must exist and be writable: for node_exporter's textfile collector, apt-get install prometheus-node-exporter)\n",
			prog, step, tmp, strerror(err));
		free(tmp);
		return EXIT_FAIL;
	}
	/* Readable by node_exporter whatever the umask. */
	step = "cannot write";
	if (fchmod(fd, 0644) || !(f = fdopen(fd, "w"))) {
		err = errno;
		close(fd);
		goto fail;
	}
	nsev_print_stats_prom(f, st);
	if (fflush(f) || ferror(f)) {
		err = errno ? errno : EIO;
		goto fail;
	}
	step = "cannot flush to the disk";
	if (fsync(fd)) {
		err = errno;
		goto fail;
	}
	step = "cannot write";
	if (fclose(f)) {
		f = NULL;
		err = errno;
		goto fail;
	}
	f = NULL;
	if (rename(tmp, path)) {
		fprintf(stderr, "%s: cannot rename %s to %s: %s; %s is left as it was\n",
			prog, tmp, path, strerror(errno), path);
		goto out;
	}
	/* The rename itself to the disk: best effort. */
	dir = strdup(path);
	slash = dir ? strrchr(dir, '/') : NULL;
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	dfd = open(dir && slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
	free(tmp);
	return 0;
fail:
	fprintf(stderr, "%s: %s %s: %s; %s is left as it was\n", prog, step,
		tmp, strerror(err), path);
out:
	if (f)
		fclose(f);
	unlink(tmp);
	free(tmp);
	return EXIT_FAIL;
}

/*
 * --stats --prometheus: the counters, or nslink_up 0 when they cannot be
 * had (the reason on stderr, and its exit status), on stdout or into
 * output.
 */
static int do_prometheus(const char *output)
{
	struct stats st = { 0 };
	int ret = get_stats(&st), wret;

	if (ret == EXIT_NOMOD)
		fprintf(stderr, "%s: reported nslink_up 0 (load the module: modprobe nslink)\n",
			prog);
	if (!output) {
		nsev_print_stats_prom(stdout, ret ? NULL : &st.c);
		return ret;
	}
	wret = write_metrics(output, ret ? NULL : &st.c);
	return ret ? ret : wret;
}

struct watch {
	int rcvbuf;		/* socket receive buffer to ask for */
	struct nsev_filter flt;
	bool json;
	uint64_t count, shown;
	bool count_set;		/* -c given; -c 0: the snapshot only */
	struct nsev_seq seq;
	struct nsev_netns names;
	struct nscg cgroups;
	struct nsev_out out;	/* how events are printed */
	char boot_id[40];
	uint64_t snapshot_seq;
	bool snapshot_seen;
};

static int print_snapshot_entry(struct nl_msg *msg, void *arg)
{
	struct watch *w = arg;
	struct nsev ev;

	if (out_done() || nsev_parse(nlmsg_hdr(msg), &ev) || !ev.snapshot)
		return NL_SKIP;
	w->snapshot_seq = ev.seq;
	w->snapshot_seen = true;
	nsev_resolve(&w->cgroups, &ev);
	if (nsev_match(&w->flt, &ev)) {
		nsev_print(stdout, &ev, &w->out);
		out_flush();
	}
	return NL_OK;
}

static int do_snapshot(struct watch *w)
{
	struct nsl n;
	int ret;

	ret = open_or_exit(&n);
	if (ret)
		return ret;
	ret = nsl_request(&n, NSLINK_CMD_GET_TASKS, NLM_F_DUMP, NULL, NULL,
			  print_snapshot_entry, w);
	if (ret) {
		ret = request_failed(&n, "GET_TASKS", ret);
		nsl_close(&n);
		return ret;
	}
	nsl_close(&n);
	/* Events up to the dump's seq are in it; follow from there. */
	if (w->snapshot_seen)
		w->seq.last = w->snapshot_seq;
	return 0;
}

static int build_subscribe(struct nl_msg *msg, void *arg)
{
	return nla_put_u8(msg, NSLINK_A_SUB_EXIT, *(uint8_t *)arg);
}

/*
 * One event or summary: loss accounting first (on every message, shown or
 * not; a summary takes a seq of its own). A summary passes every filter
 * and is not counted by -c: it is accounting, not a transition.
 */
static void handle(struct watch *w, struct nlmsghdr *nlh)
{
	struct nsev ev;
	uint64_t lost;
	bool stale;

	if (nsev_parse(nlh, &ev) || ev.snapshot)
		return;
	/* The loss record, if one is due, goes out now: the message
	 * itself may be filtered out. */
	lost = nsev_seq_account(&w->seq, ev.seq, &stale, stdout, w->json);
	out_flush();
	if (stale)
		return;
	if (lost)
		fprintf(stderr, "%s: lost %llu events before seq %llu\n", prog,
			(unsigned long long)lost, (unsigned long long)ev.seq);
	nsev_resolve(&w->cgroups, &ev);
	if (!nsev_match(&w->flt, &ev))
		return;
	w->out.realtime_offset = nsev_realtime_offset();
	nsev_print(stdout, &ev, &w->out);
	out_flush();
	if (!ev.summary)
		w->shown++;
}

/*
 * recv() said ENOBUFS: messages were lost, how many the next one's seq
 * will say. Said in the output now, not only when the next one comes
 * (which may be long after).
 */
static void overrun(struct watch *w)
{
	if (w->seq.last)
		fprintf(stderr, "%s: receive buffer overrun: events lost after seq %llu (the count follows)\n",
			prog, (unsigned long long)w->seq.last);
	else
		fprintf(stderr, "%s: receive buffer overrun: events lost\n", prog);
	nsev_seq_overrun(&w->seq, stdout, w->json);
	out_flush();
}

/*
 * Events name tasks by their pids in the initial pid namespace. In another
 * (a container without --pid=host) the same numbers name other tasks, or
 * none: nswatch refuses rather than print them. Without /proc to tell,
 * it goes on.
 */
static int check_pidns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st) || st.st_ino == PID_INIT_INO)
		return 0;
	fprintf(stderr, "%s: events name tasks by their pids in the host's pid namespace, and this is another, where those pids are other tasks or none: run nswatch in the host's (a container: --pid=host; a pod: hostPID: true)\n",
		prog);
	return EXIT_PIDNS;
}

static int do_watch(struct watch *w, bool snapshot)
{
	static char buf[256 * 1024];
	uint8_t want_exit = w->flt.exits;
	struct pollfd pfd[2];
	struct nsl n;
	int fd, grp, ret, size, one = 1;
	bool unloaded = false;
	ssize_t len;

	ret = open_or_exit(&n);
	if (ret)
		return ret;
	/*
	 * SUBSCRIBE first, on the socket that will listen: it refuses an
	 * unprivileged caller and a socket outside the initial network
	 * namespace (where nothing is multicast) with a clear message, and no
	 * event can arrive before the group is joined.
	 */
	ret = nsl_request(&n, NSLINK_CMD_SUBSCRIBE, 0, build_subscribe,
			  &want_exit, NULL, NULL);
	if (ret) {
		ret = request_failed(&n, "SUBSCRIBE", ret);
		goto out;
	}
	ret = check_pidns();
	if (ret)
		goto out;
	grp = nsl_mcgrp(&n, NSLINK_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, "%s: the module has no \"%s\" multicast group\n",
			prog, NSLINK_MCGRP_EVENTS);
		ret = EXIT_FAIL;
		goto out;
	}
	fd = nl_socket_get_fd(n.sk);
	/* Room for bursts: force it when allowed, else ask. */
	size = w->rcvbuf;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* Without this the kernel never learns that a broadcast did not
	 * fit, and cannot count the loss in GET_STATS' dropped. */
	setsockopt(fd, SOL_NETLINK, NETLINK_BROADCAST_ERROR, &one, sizeof(one));
	/* The controller says when the family goes away (rmmod nslink):
	 * nswatch then ends instead of waiting on a silent socket. Asked
	 * before the join: libnl's resolver reads one datagram for its answer,
	 * and an event that came first would make it give up. */
	ret = nsl_follow_family(&n);
	if (ret)
		fprintf(stderr, "%s: warning: cannot follow the generic netlink controller (%s): an unloading of the module will go unnoticed\n",
			prog, strerror(-ret));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp))) {
		ret = -errno;
		fprintf(stderr, "%s: cannot join the events group: %s\n", prog,
			strerror(-ret));
		ret = ret == -EPERM ? EXIT_PERM : EXIT_FAIL;
		goto out;
	}
	/* SIGINT and SIGTERM end it, even in a write blocked on a full
	 * pipe, with status 0. */
	out_catch_signals();
	/* Joined before the dump: every event after its seq is queued. */
	if (snapshot) {
		ret = do_snapshot(w);
		if (ret || out_done() || (w->count_set && !w->count))
			goto out;
	}

	pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	/* A pipe's reader that goes away ends nswatch at once, as EPIPE
	 * would at the next event. */
	pfd[1] = (struct pollfd){ .fd = out_pollfd(), .events = 0 };
	ret = 0;
	while (!unloaded && !out_done() && (!w->count || w->shown < w->count)) {
		if (out_poll(pfd, 2) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", prog, strerror(errno));
			ret = EXIT_FAIL;
			break;
		}
		if (pfd[1].revents & (POLLERR | POLLHUP)) {
			out_gone();
			break;
		}
		len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ENOBUFS) {
				overrun(w);
				continue;
			}
			fprintf(stderr, "%s: recv: %s\n", prog, strerror(errno));
			ret = EXIT_FAIL;
			break;
		}
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		     NLMSG_OK(nlh, (size_t)len); nlh = NLMSG_NEXT(nlh, len)) {
			/* After the events it sent before going. */
			if (nsl_family_gone(&n, nlh)) {
				unloaded = true;
				break;
			}
			if (nlh->nlmsg_type != n.family)
				continue;
			handle(w, nlh);
			if (out_done() || (w->count && w->shown >= w->count))
				break;
		}
	}
	if (unloaded) {
		if (w->seq.last)
			fprintf(stderr, "%s: the nslink module was unloaded; events stopped at seq %llu\n",
				prog, (unsigned long long)w->seq.last);
		else
			fprintf(stderr, "%s: the nslink module was unloaded; no event had come\n",
				prog);
		ret = EXIT_NOMOD;
	}
out:
	nsl_close(&n);
	return ret;
}

/* The end of every run that may have written to stdout: a write error is
 * one sentence and a failure; a reader gone away is not an error. */
static int finish(int ret)
{
	if (out_close(prog) && !ret)
		ret = EXIT_FAIL;
	return ret;
}

static int parse_uint(const char *s, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || !*s || *end || *s == '-' || *out > max ? -1 : 0;
}

int main(int argc, char **argv)
{
	enum {
		OPT_INFO = 256, OPT_EXIT, OPT_SNAPSHOT, OPT_STATS, OPT_RCVBUF,
		OPT_TIME_FORMAT, OPT_PROMETHEUS, OPT_OUTPUT,
	};
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "type", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' },
		{ "pid", required_argument, NULL, 'p' },
		{ "container", required_argument, NULL, 'C' },
		{ "exit", no_argument, NULL, OPT_EXIT },
		{ "count", required_argument, NULL, 'c' },
		{ "snapshot", no_argument, NULL, OPT_SNAPSHOT },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
		{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
		{ "info", no_argument, NULL, OPT_INFO },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct watch w = { .rcvbuf = 8 << 20 };
	bool info = false, stats = false, snapshot = false, prometheus = false;
	const char *output = NULL;
	unsigned long long v;
	char err[256];
	int c, ret;

	out_init();
	while ((c = getopt_long(argc, argv, "jt:r:p:C:c:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			w.json = true;
			break;
		case 't':
		case 'r':
			if (nsev_parse_list(c == 't' ? NSEV_TYPES : NSEV_REASONS,
					    optarg,
					    c == 't' ? &w.flt.types : &w.flt.reasons,
					    err, sizeof(err))) {
				fprintf(stderr, "%s: %s\n", prog, err);
				return EXIT_USAGE;
			}
			break;
		case 'p':
			if (parse_uint(optarg, 0x7fffffff, &v) || !v) {
				fprintf(stderr, "%s: invalid pid '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
			w.flt.pid = v;
			break;
		case 'C':
			if (!*optarg || optarg[strlen(optarg) - 1] == ':') {
				fprintf(stderr, "%s: invalid container '%s': give its id, name or RUNTIME:ID, or 'none'\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			w.flt.container = optarg;
			break;
		case 'c':
			if (parse_uint(optarg, UINT64_MAX, &v)) {
				fprintf(stderr, "%s: invalid count '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
			w.count = v;
			w.count_set = true;
			break;
		case OPT_EXIT:
			w.flt.exits = true;
			break;
		case OPT_SNAPSHOT:
			snapshot = true;
			break;
		case OPT_STATS:
			stats = true;
			break;
		case OPT_PROMETHEUS:
			prometheus = true;
			break;
		case OPT_OUTPUT:
			if (!*optarg || optarg[strlen(optarg) - 1] == '/') {
				fprintf(stderr, "%s: invalid output file '%s': give a file's path, such as /var/lib/prometheus/node-exporter/nslink.prom\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			output = optarg;
			break;
		case OPT_RCVBUF:
			if (parse_uint(optarg, 1 << 30, &v) || v < 4096) {
				fprintf(stderr, "%s: invalid receive buffer '%s': give a size in bytes from 4096 to 1073741824\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			w.rcvbuf = (int)v;
			break;
		case OPT_TIME_FORMAT:
			if (nsev_parse_time_format(optarg, &w.out.time_format)) {
				fprintf(stderr, "%s: invalid time format '%s' (one of mono,utc,local)\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_INFO:
			info = true;
			break;
		case 'V':
			printf("nswatch %s\n", NSLINK_VERSION);
			return finish(0);
		case 'h':
			usage(stdout);
			return finish(0);
		default:
			fprintf(stderr, "Try 'nswatch --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'; try 'nswatch --help'\n",
			prog, argv[optind]);
		return EXIT_USAGE;
	}
	if (w.count_set && !w.count && !snapshot) {
		fprintf(stderr, "%s: -c 0 (only the snapshot) needs --snapshot\n",
			prog);
		return EXIT_USAGE;
	}
	if (info + stats > 1) {
		fprintf(stderr, "%s: --info and --stats exclude each other\n", prog);
		return EXIT_USAGE;
	}
	if (w.flt.reasons & (1u << NSLINK_REASON_EXIT) && !w.flt.exits) {
		fprintf(stderr, "%s: -r exit needs --exit (the kernel sends exits only when asked)\n",
			prog);
		return EXIT_USAGE;
	}
	if (prometheus && !stats) {
		fprintf(stderr, "%s: --prometheus needs --stats (nswatch --stats --prometheus)\n",
			prog);
		return EXIT_USAGE;
	}
	if (prometheus && w.json) {
		fprintf(stderr, "%s: --prometheus and -j exclude each other: one format at a time\n",
			prog);
		return EXIT_USAGE;
	}
	if (output && !prometheus) {
		fprintf(stderr, "%s: --output needs --stats --prometheus\n", prog);
		return EXIT_USAGE;
	}
	if (info)
		return finish(do_info(w.json));
	if (prometheus)
		return finish(do_prometheus(output));
	if (stats)
		return finish(do_stats(w.json));

	nsev_netns_init(&w.names, "/run/netns");
	w.out.json = w.json;
	w.out.flt = &w.flt;
	w.out.nn = &w.names;
	w.out.realtime = true;
	if (!nsev_read_boot_id("/proc/sys/kernel/random/boot_id", w.boot_id,
			       sizeof(w.boot_id)))
		w.out.boot_id = w.boot_id;
	nscg_init(&w.cgroups, NULL, NULL);
	if (w.flt.container && !w.cgroups.v2) {
		fprintf(stderr, "%s: --container needs a cgroup v2 hierarchy, and none is mounted here (mount -t cgroup2 none /sys/fs/cgroup)\n",
			prog);
		nscg_free(&w.cgroups);
		nsev_netns_free(&w.names);
		return EXIT_USAGE;
	}
	/* A cgroup namespace's own mount shows its subtree only. */
	if (w.cgroups.v2 && !w.cgroups.by_handle && !in_initial_cgroupns())
		fprintf(stderr, "%s: warning: the cgroup v2 mount at %s is this cgroup namespace's part of the tree only: cgroups and containers outside it go unnamed; mount the host's (a container: -v /sys/fs/cgroup:/sys/fs/cgroup:ro) or run in the host's cgroup namespace (--cgroupns=host)\n",
			prog, w.cgroups.mnt);
	ret = do_watch(&w, snapshot);
	nscg_free(&w.cgroups);
	nsev_netns_free(&w.names);
	return finish(ret);
}
