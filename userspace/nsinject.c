// SPDX-License-Identifier: GPL-2.0
/*
 * nsinject: send uevents into a chosen network namespace through nslink,
 * from the command line, from a capture file, or relayed live from the
 * kernel uevents of the namespace nsinject runs in; as kernel uevents
 * (group 1), or with --udev as udev's processed events (group 2, libudev's
 * format), relayed from the udevd of nsinject's namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "nl.h"
#include "netns.h"
#include "out.h"
#include "uevent.h"

static const char *prog = "nsinject";

/* One grammar for --help and the man page's SYNOPSIS. */
static void usage(FILE *f)
{
	fprintf(f,
"Usage: nsinject [TARGET] [-v] [--udev] ACTION DEVPATH KEY=VALUE...\n"
"       nsinject [TARGET] [-v] [--udev] -f FILE\n"
"       nsinject --check [--udev] { -f FILE | ACTION DEVPATH KEY=VALUE... }\n"
"       nsinject --relay [--udev] TARGET [-v] [FILTER]...\n"
"TARGET := { -n | --netns } { NAME | PATH } | { -p | --pid } PID | --netns-fd FD\n"
"FILTER := { -m | --match } KEY=GLOB | { -s | --subsystem } SUBSYSTEM[/DEVTYPE] |\n"
"          { -t | --tag } TAG\n"
"Send uevents into a network namespace through the nslink kernel module,\n"
"as the kernel would send them there, or with --udev as udevd sends its\n"
"processed events. Without TARGET: nsinject's own network namespace.\n"
"\n"
"  -n, --netns NAME|PATH   /run/netns/NAME, or a path such as /proc/PID/ns/net\n"
"  -p, --pid PID           the network namespace of process PID\n"
"      --netns-fd FD       an open file descriptor of a network namespace\n"
"  -u, --udev              udev's group (2) in libudev's format, which\n"
"                          libudev, sd-device, pyudev and 'udevadm monitor\n"
"                          --udev' listen to, instead of the kernel's (1)\n"
"  -f, --file FILE         read events from FILE ('-': standard input): the\n"
"                          output of 'udevadm monitor --kernel --property'\n"
"                          (with --udev: of 'udevadm monitor --udev\n"
"                          --property'), or KEY=VALUE blocks separated by\n"
"                          blank lines; a file is checked whole before\n"
"                          anything is sent\n"
"      --check             read and check the events, print them as they\n"
"                          would be sent, send nothing (no module needed)\n"
"      --relay             forward the kernel's uevents (with --udev: udevd's\n"
"                          processed events), as nsinject receives them,\n"
"                          into TARGET until SIGINT or SIGTERM\n"
"  -m, --match KEY=GLOB    relay only events whose KEY matches GLOB (all must)\n"
"  -s, --subsystem SUBSYSTEM[/DEVTYPE]\n"
"                          relay only events of this subsystem (and devtype);\n"
"                          given more than once, of any of them\n"
"  -t, --tag TAG           with --relay --udev, relay only events tagged TAG;\n"
"                          given more than once, with any of them\n"
"  -v, --verbose           print the SEQNUM given to each event\n"
"  -V, --version           print the version, then exit\n"
"  -h, --help              this help\n"
"\n"
"Exit status: 0 success, 1 usage error, 2 module not loaded,\n"
"3 permission denied, 4 other failure, 5 invalid event, 6 target not found.\n");
}

enum {
	EXIT_USAGE = 1, EXIT_NOMOD = 2, EXIT_PERM = 3, EXIT_FAIL = 4,
	EXIT_INVAL = 5, EXIT_NOTARGET = 6,
};

/* Requests stay well below the socket's send buffer. */
#define BATCH_BYTES (64 * 1024)

struct target {
	const char *desc;	/* for messages */
	int fd;			/* -1 with pid */
	pid_t pid;
};

struct batch {
	struct uevent ev[NSLINK_INJECT_MAX_BATCH];
	unsigned int line[NSLINK_INJECT_MAX_BATCH];	/* input line, or 0 */
	unsigned int n;
	size_t bytes;
	/* Filled while building a request: where each event's attribute
	 * starts, to tell which one an extack points at. */
	uint32_t off[NSLINK_INJECT_MAX_BATCH];
	uint32_t target_off;
	uint64_t seqnum[NSLINK_INJECT_MAX_BATCH];
	unsigned int nseq;
	int err;		/* the refusal's errno, negative */
	const struct target *t;
};

struct stats {
	unsigned long long sent, batches;
};

static bool verbose;
static bool udev_group;		/* --udev */

static int build_inject(struct nl_msg *msg, void *arg)
{
	struct batch *b = arg;
	struct nlattr *a;
	unsigned int i;

	b->target_off = nlmsg_hdr(msg)->nlmsg_len;
	if (b->t->fd >= 0) {
		if (nla_put_u32(msg, NSLINK_A_INJ_NETNS_FD, b->t->fd) < 0)
			return -NLE_NOMEM;
	} else if (nla_put_u32(msg, NSLINK_A_INJ_NETNS_PID, b->t->pid) < 0) {
		return -NLE_NOMEM;
	}
	if (udev_group &&
	    nla_put_u8(msg, NSLINK_A_INJ_GROUP, NSLINK_INJECT_GROUP_UDEV) < 0)
		return -NLE_NOMEM;
	for (i = 0; i < b->n; i++) {
		b->off[i] = nlmsg_hdr(msg)->nlmsg_len;
		a = nla_reserve(msg, NSLINK_A_INJ_UEVENT, b->ev[i].len);
		if (!a)
			return -NLE_NOMEM;
		memcpy(nla_data(a), b->ev[i].buf, b->ev[i].len);
	}
	return 0;
}

static int parse_inject(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct batch *b = arg;
	struct nlattr *a;
	int rem;

	if (!genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) == NSLINK_A_INJ_SEQNUM &&
		    nla_len(a) == sizeof(uint64_t) &&
		    b->nseq < NSLINK_INJECT_MAX_BATCH)
			b->seqnum[b->nseq++] = nla_get_u64(a);
	}
	return NL_OK;
}

/* Which event of the batch does the kernel's extack offset point into? */
static int bad_event(const struct batch *b, uint32_t off)
{
	unsigned int i;

	if (!off)
		return -1;
	for (i = b->n; i-- > 0;)
		if (off >= b->off[i])
			return (int)i;
	return -1;
}

/*
 * Send the batch; on success print SEQNUMs (-v) and empty it. On failure
 * return the exit status, with *bad the index of the event the module
 * refused (for the caller to report: see print_refused()), or -1 after
 * printing why.
 */
static int send_batch(struct nsl *n, struct batch *b, struct stats *st,
		      int *bad)
{
	unsigned int i;
	int ret;

	*bad = -1;
	if (!b->n)
		return 0;
	b->nseq = 0;
	ret = nsl_request(n, NSLINK_CMD_INJECT, 0, build_inject, b,
			  parse_inject, b);
	if (!ret && b->nseq != b->n) {
		fprintf(stderr, "%s: the module answered %u SEQNUMs for %u events\n",
			prog, b->nseq, b->n);
		return EXIT_FAIL;
	}
	if (!ret) {
		for (i = 0; i < b->n; i++) {
			if (verbose)
				printf("%llu %s\n", (unsigned long long)b->seqnum[i],
				       b->ev[i].buf);
		}
		if (verbose)
			out_flush();
		st->sent += b->n;
		st->batches++;
		b->n = 0;
		b->bytes = 0;
		return 0;
	}

	b->err = ret;
	*bad = bad_event(b, n->extack_off);
	if (*bad >= 0)
		return EXIT_INVAL;
	if (ret == -EPERM) {
		nsl_perror(n, prog, b->t->desc, ret);
		return EXIT_PERM;
	}
	/* Without a message these come from genetlink, not from INJECT. */
	if (ret == -ENOENT && !n->extack[0]) {
		fprintf(stderr, "%s: the nslink kernel module is not loaded (it went away during the request): run 'modprobe nslink' as root\n",
			prog);
		return EXIT_NOMOD;
	}
	if (ret == -EOPNOTSUPP && !n->extack[0]) {
		fprintf(stderr, "%s: the loaded nslink module cannot inject: load nslink %s or later\n",
			prog, NSLINK_VERSION);
		return EXIT_NOMOD;
	}
	if (ret == -EOPNOTSUPP) {	/* the module turned injection off */
		fprintf(stderr, "%s: %s; 'dmesg | grep nslink' names what is missing (namespace events still work)\n",
			prog, n->extack);
		return EXIT_NOMOD;
	}
	if (n->extack_off && n->extack_off == b->target_off) {
		nsl_perror(n, prog, b->t->desc, ret);
		return EXIT_NOTARGET;
	}
	nsl_perror(n, prog, "inject", ret);
	return EXIT_FAIL;
}

/* "PROG: WHEREevent ACTION@DEVPATH refused: REASON[; TAIL]" */
static void print_refused(const struct nsl *n, const struct batch *b, int bad,
			  const char *where, const char *tail)
{
	fprintf(stderr, "%s: %sevent %s refused: %s%s%s\n", prog, where,
		b->ev[bad].buf, n->extack[0] ? n->extack : strerror(-b->err),
		tail ? "; " : "", tail ? tail : "");
}

/* Queue ev (moved into the batch; ev is left empty). */
static bool batch_full(const struct batch *b, size_t more)
{
	return b->n == NSLINK_INJECT_MAX_BATCH ||
	       (b->n && b->bytes + more + 4 > BATCH_BYTES);
}

static void batch_push(struct batch *b, struct uevent *ev, unsigned int line)
{
	struct uevent tmp = b->ev[b->n];

	b->ev[b->n] = *ev;
	*ev = tmp;		/* reuse the old buffer */
	ev->len = 0;
	b->line[b->n] = line;
	b->bytes += NLA_ALIGN(b->ev[b->n].len + 4);
	b->n++;
}

static void batch_free(struct batch *b)
{
	unsigned int i;

	for (i = 0; i < NSLINK_INJECT_MAX_BATCH; i++)
		uevent_free(&b->ev[i]);
}

static int inject_args(struct nsl *n, struct batch *b, struct stats *st,
		       int argc, char **argv)
{
	struct uevent *ev = &b->ev[0];
	int i, bad, ret;

	if (uevent_begin(ev, argv[0], argv[1]))
		goto nomem;
	for (i = 2; i < argc; i++)
		if (uevent_add(ev, argv[i], strlen(argv[i])))
			goto nomem;
	b->n = 1;
	b->line[0] = 0;
	if (!n)			/* --check */
		return 0;
	ret = send_batch(n, b, st, &bad);
	if (bad >= 0)
		print_refused(n, b, bad, "", NULL);
	return ret;
nomem:
	fprintf(stderr, "%s: out of memory\n", prog);
	return EXIT_FAIL;
}

/*
 * -f's input, read line by line into the parser. A regular file is read
 * whole and checked before anything is sent; a pipe or a terminal (a
 * stream) is sent as it comes, in requests cut where the input pauses.
 */
struct input {
	const char *name;	/* FILE, or "<stdin>" */
	int fd;
	bool stream;
	char *buf;
	size_t len, start, cap;
	bool eof, ended;
	struct uevent_parser p;
	char err[192];		/* the error input_next() returned */
	unsigned int err_line;	/* ... its line, or 0 */
	bool err_pending;	/* to return at the next call */
	bool fatal;		/* no more input after this error */
};

enum { IN_ERROR = -1, IN_END, IN_EVENT, IN_DRY };

/* Is more input ready right now? (For a pipe: is a burst still coming?) */
static bool input_ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* Open FILE ('-': stdin); on failure say why: exit status 5 as for any
 * input that cannot be read. */
static int input_open(struct input *in, const char *file)
{
	struct stat sb;

	memset(in, 0, sizeof(*in));
	if (!strcmp(file, "-")) {
		in->fd = STDIN_FILENO;
		in->name = "<stdin>";
	} else {
		in->name = file;
		in->fd = open(file, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, file, strerror(errno));
			return EXIT_INVAL;
		}
	}
	in->stream = fstat(in->fd, &sb) || !S_ISREG(sb.st_mode);
	uevent_parser_init(&in->p);
	in->p.udev = udev_group;
	return 0;
}

static void input_close(struct input *in)
{
	free(in->buf);
	uevent_parser_free(&in->p);
	if (in->fd > STDIN_FILENO)
		close(in->fd);
}

static int input_fail(struct input *in, unsigned int line, const char *what)
{
	snprintf(in->err, sizeof(in->err), "%s", what);
	in->err_line = line;
	in->fatal = in->eof = in->ended = true;
	return IN_ERROR;
}

/*
 * The next event, into ev, and the line it began at: IN_EVENT; IN_END;
 * IN_ERROR with in->err and in->err_line (parsing goes on after a bad
 * block unless in->fatal); or, with dry_ok, IN_DRY when no whole line is
 * buffered and the input has nothing ready (the caller sends what it has
 * queued, then calls again without dry_ok to wait).
 */
static int input_next(struct input *in, struct uevent *ev, unsigned int *line,
		      bool dry_ok)
{
	for (;;) {
		char *nl;
		ssize_t r;
		int got;

		if (in->err_pending) {
			in->err_pending = false;
			return IN_ERROR;
		}
		nl = in->len > in->start ?
		     memchr(in->buf + in->start, '\n', in->len - in->start) : NULL;
		if (nl) {
			const char *s = in->buf + in->start;

			in->start = nl - in->buf + 1;
			got = uevent_parser_feed(&in->p, s, nl - s, ev);
			/* An error may come with the event before it. */
			if (in->p.err[0]) {
				snprintf(in->err, sizeof(in->err), "%s", in->p.err);
				in->err_line = in->p.err_line;
				in->err_pending = true;
			}
			if (got == 1) {
				*line = in->p.ev_line;
				return IN_EVENT;
			}
			continue;
		}
		if (in->eof) {
			if (in->ended)
				return IN_END;
			in->ended = true;
			got = uevent_parser_end(&in->p, ev);
			if (got == 1) {
				*line = in->p.ev_line;
				return IN_EVENT;
			}
			if (got < 0) {
				snprintf(in->err, sizeof(in->err), "%s", in->p.err);
				in->err_line = in->p.err_line;
				return IN_ERROR;
			}
			return IN_END;
		}
		/* No whole line left: keep the rest, read more. */
		if (in->start) {
			memmove(in->buf, in->buf + in->start, in->len - in->start);
			in->len -= in->start;
			in->start = 0;
		}
		if (in->cap - in->len < 4096) {
			size_t cap = in->cap ? in->cap * 2 : 65536;
			char *nb;

			if (in->cap >= 1 << 20)
				return input_fail(in, in->p.line + 1, "longer than 1 MiB");
			nb = realloc(in->buf, cap);
			if (!nb)
				return input_fail(in, 0, "out of memory");
			in->buf = nb;
			in->cap = cap;
		}
		if (dry_ok && !input_ready(in->fd))
			return IN_DRY;
		r = read(in->fd, in->buf + in->len, in->cap - in->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return input_fail(in, 0, strerror(errno));
		if (r == 0) {
			in->eof = true;
			/* A last line without '\n'. */
			if (in->len)
				in->buf[in->len++] = '\n';
		}
		in->len += r;
	}
}

/* "PROG: NAME[:LINE]: ERROR[; TAIL]" */
static void input_perror(const struct input *in, const char *tail)
{
	char line[16] = "";

	if (in->err_line)
		snprintf(line, sizeof(line), ":%u", in->err_line);
	fprintf(stderr, "%s: %s%s: %s%s%s\n", prog, in->name, line, in->err,
		tail ? "; " : "", tail ? tail : "");
}

/* How far sending got, for the message of an error after it began. */
static void sent_so_far(char *buf, size_t size, unsigned long long sent,
			unsigned int from_line)
{
	if (!sent)
		snprintf(buf, size, "no event was sent");
	else if (from_line)
		snprintf(buf, size, "%llu event%s sent, none from line %u on",
			 sent, sent == 1 ? " was" : "s were", from_line);
	else
		snprintf(buf, size, "%llu event%s sent before this one, none after",
			 sent, sent == 1 ? " was" : "s were");
}

/* Send the batch of -f; on failure say what went out before it. */
static int flush_input(struct nsl *n, struct batch *b, struct stats *st,
		       const struct input *in)
{
	unsigned int from = b->line[0];
	char tail[128];
	int bad, ret;

	ret = send_batch(n, b, st, &bad);
	if (!ret)
		return 0;
	/* A request is sent whole or not at all: none of it went out. */
	sent_so_far(tail, sizeof(tail), st->sent, from);
	if (bad >= 0) {
		char where[PATH_MAX + 32];

		snprintf(where, sizeof(where), "%s:%u: ", in->name, b->line[bad]);
		print_refused(n, b, bad, where, tail);
	} else {
		fprintf(stderr, "%s: %s: %s\n", prog, in->name, tail);
	}
	return ret;
}

/* A stream: send as it comes; at an error, what came before it goes out,
 * nothing after, and the message says how many. */
static int inject_stream(struct nsl *n, struct batch *b, struct stats *st,
			 struct input *in)
{
	struct uevent ev;
	unsigned int line;
	char tail[128];
	int r, ret = 0;

	uevent_init(&ev);
	for (;;) {
		r = input_next(in, &ev, &line, b->n > 0);
		if (r == IN_EVENT) {
			if (batch_full(b, ev.len)) {
				ret = flush_input(n, b, st, in);
				if (ret)
					break;
			}
			batch_push(b, &ev, line);
			continue;
		}
		/* The input pauses, ends or is wrong: send what is queued. */
		ret = flush_input(n, b, st, in);
		if (ret || r == IN_END)
			break;
		if (r == IN_ERROR) {
			sent_so_far(tail, sizeof(tail), st->sent, 0);
			input_perror(in, tail);
			ret = EXIT_INVAL;
			break;
		}
	}
	uevent_free(&ev);
	if (!ret && !st->sent) {
		fprintf(stderr, "%s: %s: no events\n", prog, in->name);
		ret = EXIT_INVAL;
	}
	return ret;
}

/* A whole input, read and checked before anything is sent. */
struct evlist {
	struct uevent *ev;
	unsigned int *line;
	unsigned int n, cap;
};

static void evlist_free(struct evlist *l)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		uevent_free(&l->ev[i]);
	free(l->ev);
	free(l->line);
	memset(l, 0, sizeof(*l));
}

/* Read all of in into l, printing every error with its line. Returns 0,
 * or the exit status after the errors and a summary; check: --check's
 * summary, also when all is well. */
static int input_load(struct input *in, struct evlist *l, bool check)
{
	unsigned int errors = 0, line;
	struct uevent ev;
	int r, ret = 0;

	uevent_init(&ev);
	while ((r = input_next(in, &ev, &line, false)) != IN_END) {
		if (r == IN_ERROR) {
			input_perror(in, NULL);
			errors++;
			continue;
		}
		if (l->n == l->cap) {
			unsigned int cap = l->cap ? l->cap * 2 : 256;
			struct uevent *e = realloc(l->ev, cap * sizeof(*e));
			unsigned int *ln;

			if (e)
				l->ev = e;
			ln = e ? realloc(l->line, cap * sizeof(*ln)) : NULL;
			if (!ln) {
				fprintf(stderr, "%s: out of memory\n", prog);
				ret = EXIT_FAIL;
				break;
			}
			l->line = ln;
			l->cap = cap;
		}
		l->ev[l->n] = ev;	/* moved: ev starts over */
		l->line[l->n++] = line;
		uevent_init(&ev);
	}
	uevent_free(&ev);
	if (ret)
		return ret;
	if (check && errors)
		fprintf(stderr, "%s: %s: %u event%s, %u error%s\n", prog,
			in->name, l->n, l->n == 1 ? "" : "s", errors,
			errors == 1 ? "" : "s");
	else if (check)
		fprintf(stderr, "%s: %s: %u event%s, no error\n", prog,
			in->name, l->n, l->n == 1 ? "" : "s");
	if (errors) {
		if (!check)
			fprintf(stderr, "%s: %s: %u error%s: no event was sent\n",
				prog, in->name, errors, errors == 1 ? "" : "s");
		return EXIT_INVAL;
	}
	if (!l->n && !check) {
		fprintf(stderr, "%s: %s: no events\n", prog, in->name);
		return EXIT_INVAL;
	}
	return 0;
}

/* --check: the events as they would be sent, as -f reads them again. */
static void print_events(const char *name, const struct uevent *ev,
			 const unsigned int *line, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && !out_done(); i++) {
		if (name)
			printf("# %s:%u %s\n", name, line[i], ev[i].buf);
		else
			printf("# %s\n", ev[i].buf);
		uevent_print(stdout, &ev[i]);
	}
}

static int inject_list(struct nsl *n, struct batch *b, struct stats *st,
		       const struct input *in, struct evlist *l)
{
	unsigned int i;
	int ret;

	for (i = 0; i < l->n; i++) {
		if (batch_full(b, l->ev[i].len)) {
			ret = flush_input(n, b, st, in);
			if (ret)
				return ret;
		}
		batch_push(b, &l->ev[i], l->line[i]);
	}
	return flush_input(n, b, st, in);
}

/* Relay. */
static int open_uevent_socket(int *rcvbuf)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = udev_group ? NSLINK_INJECT_GROUP_UDEV : NSLINK_INJECT_GROUP_KERNEL,
	};
	int size = 32 << 20, fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open a uevent socket: %s\n", prog,
			strerror(errno));
		return -1;
	}
	/* Bursts (udevadm trigger, many disks) overflow the default buffer:
	 * ask for a large one past rmem_max if we may, as udevd does. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		fprintf(stderr, "%s: warning: cannot enlarge the receive buffer: %s\n",
			prog, strerror(errno));
	/* udevd's events are trusted, as libudev trusts them, by the
	 * sender's credentials: uid 0. */
	if (udev_group &&
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		fprintf(stderr, "%s: cannot ask for senders' credentials: %s\n", prog,
			strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "%s: cannot listen to %s: %s\n", prog,
			udev_group ? "udev events" : "kernel uevents", strerror(errno));
		close(fd);
		return -1;
	}
	size = 0;
	getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &(socklen_t){ sizeof(size) });
	*rcvbuf = size;
	return fd;
}

struct relay_stats {
	unsigned long long received, matched, refused, overruns, foreign;
};

/* Forward the batch; drop single events the module refuses. */
static int relay_flush(struct nsl *n, struct batch *b, struct stats *st,
		       struct relay_stats *rs)
{
	int bad, ret;

	while (b->n) {
		ret = send_batch(n, b, st, &bad);
		if (!ret)
			return 0;
		if (bad < 0)
			return ret;
		print_refused(n, b, bad, "", NULL);
		/* Send the others. */
		rs->refused++;
		b->n--;
		if ((unsigned int)bad != b->n) {
			struct uevent tmp = b->ev[bad];

			memmove(&b->ev[bad], &b->ev[bad + 1],
				(b->n - bad) * sizeof(b->ev[0]));
			b->ev[b->n] = tmp;
		}
	}
	return 0;
}

/* The relay's filters: all of --match, any --subsystem, any --tag. */
struct filters {
	char **match, **subsystem, **tag;
	int nmatch, nsubsystem, ntag;
};

static bool relay_wanted(const struct uevent *ev, const struct filters *f)
{
	int i;

	if (!uevent_match(ev, f->match, f->nmatch))
		return false;
	for (i = 0; i < f->nsubsystem; i++)
		if (uevent_match_subsystem(ev, f->subsystem[i]))
			break;
	if (f->nsubsystem && i == f->nsubsystem)
		return false;
	for (i = 0; i < f->ntag; i++)
		if (uevent_has_tag(ev, f->tag[i]))
			break;
	return !f->ntag || i < f->ntag;
}

/* Did uid 0 send it, as SCM_CREDENTIALS say? */
static bool sent_by_root(struct msghdr *mh)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		struct ucred cred;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_CREDENTIALS ||
		    c->cmsg_len < CMSG_LEN(sizeof(cred)))
			continue;
		memcpy(&cred, CMSG_DATA(c), sizeof(cred));
		return cred.uid == 0;
	}
	return false;
}

static int relay(struct nsl *n, struct batch *b, struct stats *st,
		 const struct filters *f)
{
	/* libudev's limit, which also holds any kernel uevent. */
	static char msg[NSLINK_UDEV_BUFFER_SIZE];
	const char *what = udev_group ? "udev events" : "kernel uevents";
	struct relay_stats rs = { 0 };
	struct pollfd pfd;
	struct uevent ev;
	int fd, ret = 0, rcvbuf;

	/* Until SIGINT or SIGTERM, even with -v's output blocked. */
	out_catch_signals();
	fd = open_uevent_socket(&rcvbuf);
	if (fd < 0)
		return EXIT_FAIL;
	uevent_init(&ev);
	if (udev_group && access("/run/udev/control", F_OK))
		fprintf(stderr, "%s: warning: /run/udev/control is missing: no udevd seems to run here, whose events --relay --udev forwards\n",
			prog);
	fprintf(stderr, "%s: relaying %s into %s (receive buffer %d bytes)\n",
		prog, what, b->t->desc, rcvbuf);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	/* -v's reader gone or its write failed ends the relay too. */
	while (!out_done() && !ret) {
		if (out_poll(&pfd, 1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", prog, strerror(errno));
			ret = EXIT_FAIL;
			break;
		}
		/* Drain what is there, in batches. */
		for (;;) {
			struct sockaddr_nl sa;
			struct iovec iov = { msg, sizeof(msg) };
			char cbuf[CMSG_SPACE(sizeof(struct ucred))];
			struct msghdr mh = {
				.msg_name = &sa, .msg_namelen = sizeof(sa),
				.msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
			};
			ssize_t r = recvmsg(fd, &mh, MSG_DONTWAIT);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno == ENOBUFS) {
				rs.overruns++;
				fprintf(stderr, "%s: receive buffer overrun: %s were lost\n",
					prog, what);
				continue;
			}
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (r < 0) {
				fprintf(stderr, "%s: receiving %s: %s\n", prog, what,
					strerror(errno));
				ret = EXIT_FAIL;
				break;
			}
			/* Only the kernel's own messages (portid 0), or
			 * udevd's (uid 0, libudev's format), whole. */
			if ((mh.msg_flags & MSG_TRUNC) ||
			    (udev_group ? !sent_by_root(&mh) ||
					  uevent_from_udev(&ev, msg, (size_t)r) :
					  sa.nl_pid != 0 ||
					  uevent_from_kernel(&ev, msg, (size_t)r))) {
				rs.foreign++;
				continue;
			}
			rs.received++;
			if (!relay_wanted(&ev, f))
				continue;
			rs.matched++;
			if (batch_full(b, ev.len)) {
				ret = relay_flush(n, b, st, &rs);
				if (ret)
					break;
			}
			batch_push(b, &ev, 0);
		}
		if (!ret)
			ret = relay_flush(n, b, st, &rs);
	}
	fprintf(stderr,
		"%s: relay stopped: %llu %s received, %llu matched, %llu forwarded, %llu refused, %llu receive overruns, %llu other messages ignored\n",
		prog, rs.received, what, rs.matched, st->sent, rs.refused,
		rs.overruns, rs.foreign);
	uevent_free(&ev);
	close(fd);
	return ret;
}

/* The namespace nsinject itself is in and the relay's target: the same? */
static int relay_same_netns(const struct target *t)
{
	char path[64];
	int self, other, same;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	if (t->fd >= 0) {
		other = t->fd;
	} else {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)t->pid);
		other = open(path, O_RDONLY | O_CLOEXEC);
		if (other < 0) {
			close(self);
			return -errno;
		}
	}
	same = netns_same(self, other);
	close(self);
	if (other != t->fd)
		close(other);
	return same;
}

/* --udev: does the loaded module send to the udev group? */
static int check_udev_feature(struct nsl *n)
{
	struct nsl_info info;
	int ret;

	ret = nsl_get_info(n, &info);
	if (ret) {
		nsl_perror(n, prog, "GET_INFO", ret);
		return EXIT_FAIL;
	}
	if (!(info.features & NSLINK_F_INJECT)) {
		fprintf(stderr, "%s: the loaded nslink module cannot inject on this kernel; 'dmesg | grep nslink' names what is missing\n",
			prog);
		return EXIT_NOMOD;
	}
	if (!(info.features & NSLINK_F_INJECT_UDEV)) {
		fprintf(stderr, "%s: the loaded nslink module (%s) cannot send to the udev group: load nslink %s or later\n",
			prog, info.version, NSLINK_VERSION);
		return EXIT_NOMOD;
	}
	return 0;
}

/* The end of every run that may have written to stdout: a write error is
 * one sentence and a failure; a reader gone away is not an error. */
static int finish(int ret)
{
	if (out_close(prog) && !ret)
		ret = EXIT_FAIL;
	return ret;
}

static int parse_fd(const char *s, int *fd)
{
	pid_t v;

	/* A pid's grammar, and 0. */
	if (!strcmp(s, "0")) {
		*fd = 0;
		return 0;
	}
	if (netns_parse_pid(s, &v))
		return -EINVAL;
	*fd = v;
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_RELAY = 256, OPT_NETNS_FD, OPT_CHECK };
	static const struct option opts[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "netns-fd", required_argument, NULL, OPT_NETNS_FD },
		{ "file", required_argument, NULL, 'f' },
		{ "relay", no_argument, NULL, OPT_RELAY },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "match", required_argument, NULL, 'm' },
		{ "subsystem", required_argument, NULL, 's' },
		{ "tag", required_argument, NULL, 't' },
		{ "udev", no_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *netns = NULL, *file = NULL;
	char *match[argc], *subsystem[argc], *tag[argc], desc[PATH_MAX + 16];
	struct filters f = { .match = match, .subsystem = subsystem, .tag = tag };
	struct target t = { .fd = -1 };
	int c, ntargets = 0, ret;
	bool do_relay = false, check = false;
	struct stats st = { 0 };
	static struct batch b;
	struct evlist list = { 0 };
	struct input in = { .fd = -1 };
	struct nsl n = { 0 };

	out_init();
	while ((c = getopt_long(argc, argv, "+n:p:f:m:s:t:uvVh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			netns = optarg;
			ntargets++;
			break;
		case 'p':
			if (netns_parse_pid(optarg, &t.pid)) {
				fprintf(stderr, "%s: -p: not a pid: '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
			ntargets++;
			break;
		case OPT_NETNS_FD:
			if (parse_fd(optarg, &t.fd)) {
				fprintf(stderr, "%s: --netns-fd: not a file descriptor: '%s'\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			ntargets++;
			break;
		case 'f':
			file = optarg;
			break;
		case OPT_RELAY:
			do_relay = true;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case 'm':
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				fprintf(stderr, "%s: --match: not KEY=GLOB: '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
			match[f.nmatch++] = optarg;
			break;
		case 's':
			if (!optarg[0] || optarg[0] == '/') {
				fprintf(stderr, "%s: --subsystem: not SUBSYSTEM[/DEVTYPE]: '%s'\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			subsystem[f.nsubsystem++] = optarg;
			break;
		case 't':
			if (!optarg[0] || strchr(optarg, ':')) {
				fprintf(stderr, "%s: --tag: not a tag: '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
			tag[f.ntag++] = optarg;
			break;
		case 'u':
			udev_group = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'V':
			printf("nsinject %s\n", NSLINK_VERSION);
			return finish(0);
		case 'h':
			usage(stdout);
			return finish(0);
		default:
			fprintf(stderr, "Try 'nsinject --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (ntargets > 1) {
		fprintf(stderr, "%s: give one target: -n, -p or --netns-fd\n", prog);
		return EXIT_USAGE;
	}
	if ((f.nmatch || f.nsubsystem || f.ntag) && !do_relay) {
		fprintf(stderr, "%s: --match, --subsystem and --tag only apply to --relay\n",
			prog);
		return EXIT_USAGE;
	}
	if (f.ntag && !udev_group) {
		fprintf(stderr, "%s: --tag needs --udev: kernel uevents carry no tags, udev's rules add them\n",
			prog);
		return EXIT_USAGE;
	}
	if (check && do_relay) {
		fprintf(stderr, "%s: --check reads events from -f or the arguments; --relay has none\n",
			prog);
		return EXIT_USAGE;
	}
	if (do_relay && (file || argc)) {
		fprintf(stderr, "%s: --relay takes no events: it forwards the kernel's\n", prog);
		return EXIT_USAGE;
	}
	if (file && argc) {
		fprintf(stderr, "%s: give events either with -f or as arguments, not both\n", prog);
		return EXIT_USAGE;
	}
	if (!do_relay && !file && argc < 2) {
		fprintf(stderr, "%s: missing %s\nTry 'nsinject --help' for more information.\n",
			prog, argc ? "DEVPATH" : "ACTION and DEVPATH");
		return EXIT_USAGE;
	}

	/*
	 * The events first: a file that cannot be read or holds a bad event
	 * is said so, and sends nothing, whatever the target and the module.
	 * A stream (a pipe, a terminal) is read as it is sent.
	 */
	if (file) {
		ret = input_open(&in, file);
		if (ret)
			return ret;
		if (check || !in.stream) {
			ret = input_load(&in, &list, check);
			if (check)
				print_events(in.name, list.ev, list.line, list.n);
			if (ret || check)
				goto out;
		}
	} else if (check) {
		ret = inject_args(NULL, &b, &st, argc, argv);
		if (!ret) {
			print_events(NULL, b.ev, NULL, 1);
			fprintf(stderr, "%s: 1 event, no error\n", prog);
		}
		goto out;
	}

	/* The target. */
	if (t.pid) {
		snprintf(desc, sizeof(desc), "netns of pid %d", (int)t.pid);
	} else if (t.fd >= 0) {
		snprintf(desc, sizeof(desc), "netns fd %d", t.fd);
	} else {
		char path[PATH_MAX];

		if (netns && netns_path(netns, path, sizeof(path))) {
			fprintf(stderr, "%s: -n: not a namespace name or path: '%s'\n",
				prog, netns);
			ret = EXIT_USAGE;
			goto out;
		}
		snprintf(desc, sizeof(desc), "netns %s",
			 netns ? path : "of nsinject (/proc/self/ns/net)");
		t.fd = netns_open(netns);
		if (t.fd < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, desc + 6, strerror(-t.fd));
			ret = t.fd == -ENOENT ? EXIT_NOTARGET :
			      t.fd == -EACCES ? EXIT_PERM : EXIT_FAIL;
			goto out;
		}
	}
	t.desc = desc;
	b.t = &t;

	if (do_relay) {
		ret = relay_same_netns(&t);
		if (ret < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, desc, strerror(-ret));
			return ret == -ENOENT || ret == -ESRCH ? EXIT_NOTARGET : EXIT_FAIL;
		}
		if (ret) {
			fprintf(stderr,
				"%s: --relay: the target is the network namespace nsinject listens in: give another with -n or -p\n",
				prog);
			return EXIT_USAGE;
		}
	}

	ret = nsl_open(&n, prog);
	if (ret) {
		ret = ret == -ENOENT ? EXIT_NOMOD : EXIT_FAIL;
		goto out;
	}
	if (udev_group) {
		ret = check_udev_feature(&n);
		if (ret)
			goto out;
	}
	/* Room for a batch of full-size events. */
	nlmsg_set_default_size(BATCH_BYTES + 4096);
	nl_socket_set_buffer_size(n.sk, 4 * BATCH_BYTES, 4 * BATCH_BYTES);

	if (do_relay)
		ret = relay(&n, &b, &st, &f);
	else if (file && in.stream)
		ret = inject_stream(&n, &b, &st, &in);
	else if (file)
		ret = inject_list(&n, &b, &st, &in, &list);
	else
		ret = inject_args(&n, &b, &st, argc, argv);

out:
	nsl_close(&n);
	batch_free(&b);
	evlist_free(&list);
	if (file)
		input_close(&in);
	if (t.fd >= 0 && !t.pid && netns)
		close(t.fd);
	return finish(ret);
}
