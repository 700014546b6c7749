// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace operations the command-line tools do not offer, for the kernel
 * tests (compiled by them in the VM):
 *
 *   nshelper clone TYPES CMD [ARG...]   clone3(CLONE_NEW<TYPES>) like fork;
 *                                       the parent prints the child's pid
 *                                       and exits, the child execs CMD
 *   nshelper setns PID TYPES CMD [ARG...]
 *                                       setns on a pidfd of PID with all
 *                                       TYPES at once, print own pid, exec
 *   nshelper unshare-loop N TYPES [CMD [ARG...]]
 *                                       print own pid, unshare(TYPES) N
 *                                       times, then exec CMD if given
 *   nshelper unshare-count N SECONDS TYPES
 *                                       print own pid, then call
 *                                       unshare(TYPES) N times, failures
 *                                       included, or until SIGUSR1 comes
 *                                       or SECONDS have passed, whichever
 *                                       is first; then print "ok K failed
 *                                       F": K calls succeeded, F failed
 *   nshelper join GROUP                 join a NETLINK_GENERIC multicast
 *                                       group; exit 0, or print the errno
 *                                       name and exit 1
 *   nshelper join-hold GROUP            the same, but stay a member: print
 *                                       "joined" and sleep until killed
 *   nshelper join-unshare GROUP TYPES   join nslink's "events" GROUP, and as
 *                                       soon as the join returns,
 *                                       unshare(TYPES); then read the group
 *                                       for 10 s: exit 0 and print "seen"
 *                                       once an event with its own pid
 *                                       arrives, else exit 1
 *   nshelper quiet-sub GROUP MODE SECONDS
 *                                       a subscriber that stays quiet:
 *                                       join nslink's "events" GROUP,
 *                                       MODE dropall with a socket filter
 *                                       that drops every datagram
 *                                       (SO_ATTACH_FILTER, return 0), MODE
 *                                       rcvbuf with a 4 KiB receive buffer
 *                                       (SO_RCVBUF 4096); print "joined"
 *                                       and read nothing until SIGUSR1.
 *                                       Then dropall counts what is queued
 *                                       ("queued N", datagrams; 0 if the
 *                                       filter kept everything out) and
 *                                       detaches the filter; rcvbuf drains
 *                                       its queue ("drained N enobufs E":
 *                                       N datagrams, E reads that failed
 *                                       with ENOBUFS, an overrun). Both
 *                                       print "ready", then read for
 *                                       SECONDS, a line per message:
 *                                       "event PID SEQ" for an event,
 *                                       "message CMD SEQ" for another
 *                                       (a summary), "enobufs" for a read
 *                                       that failed with ENOBUFS
 *   nshelper hold-failed N              fork N children; each fails a
 *                                       setns(-1, 0), which fails (EBADF),
 *                                       and then sleep; print "held N"
 *                                       once all have, then sleep until
 *                                       killed (the children die with it)
 *   nshelper hold-ptraced N             the same, but each child is traced
 *                                       and left stopped at the exit of its
 *                                       failed setns (ptrace's syscall-exit
 *                                       stop), before it returns to user
 *                                       space
 *   nshelper after-failed-setns FLAGS [CMD...]
 *                                       print the pid, fail a setns(-1, 0)
 *                                       (EBADF), then unshare(FLAGS) once,
 *                                       then exec CMD if given
 *   nshelper autofs-trap DIR            (root) in a mount namespace of its
 *                                       own (private), as the daemon of an
 *                                       autofs direct mount on DIR that
 *                                       never answers: bind it over "/" too,
 *                                       and fork a child, out of its process
 *                                       group, that opens DIR and so waits
 *                                       for a mount that never comes; print
 *                                       "pending PID" (the child) once its
 *                                       request is in the pipe, then sleep
 *                                       until killed (the child dies with
 *                                       it). Until then a setns into this
 *                                       mount namespace sleeps in the call
 *                                       (killable): its lookup of "/" goes
 *                                       down the mounts on the root to the
 *                                       autofs root, and waits there too
 *   nshelper setns-sleep NSFILE UID N   (root) fork N children, each of uid
 *                                       UID (real, effective, saved, no
 *                                       groups) with CAP_SYS_ADMIN and
 *                                       CAP_SYS_CHROOT only, that setns
 *                                       into the mount namespace NSFILE;
 *                                       print their pids, then sleep until
 *                                       killed (the children die with it)
 *   nshelper fork-unshare N TYPES       fork N children, each of which
 *                                       calls unshare(TYPES) once and stays
 *                                       alive until all have (N tasks at
 *                                       once, so N different task_structs);
 *                                       print "ok K failed F": K calls
 *                                       succeeded, F failed
 *   nshelper owners-flood N UID0 SECONDS TYPES
 *                                       (root) fork N children, child i of
 *                                       uid UID0+i (no groups), each in a
 *                                       user namespace of its own
 *                                       (unshare(CLONE_NEWUSER), no map);
 *                                       print "started N" once all have,
 *                                       then let them all call
 *                                       unshare(TYPES) as fast as they can
 *                                       until SIGUSR1 comes (passed on to
 *                                       them) or SECONDS have passed; then
 *                                       print "uid U ok K failed F" for
 *                                       each (its user namespace's unshare
 *                                       counted) and "ok K failed F" for
 *                                       all
 *   nshelper setns-compat PATH CMD [ARG...]
 *                                       (x86-64) setns(open(PATH), 0)
 *                                       through the 32-bit entry,
 *                                       int $0x80: the kernel's compat
 *                                       setns; print own pid, exec CMD
 *
 * TYPES: comma-separated mnt,uts,ipc,net,pid,cgroup,time,user; FLAGS the
 * same, and fs, files (no namespace at all).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <poll.h>
#include <time.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include "../../include/uapi/linux/nslink.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int flags_of(const char *s)
{
	static const struct { const char *name; int flag; } t[] = {
		{ "mnt", CLONE_NEWNS }, { "uts", CLONE_NEWUTS },
		{ "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
		{ "pid", CLONE_NEWPID }, { "cgroup", CLONE_NEWCGROUP },
		{ "time", CLONE_NEWTIME }, { "user", CLONE_NEWUSER },
		{ "fs", CLONE_FS }, { "files", CLONE_FILES },
	};
	char *copy = strdup(s), *tok, *save = NULL;
	int flags = 0;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
			if (!strcmp(tok, t[i].name))
				break;
		if (i == sizeof(t) / sizeof(t[0])) {
			fprintf(stderr, "nshelper: unknown type %s\n", tok);
			exit(2);
		}
		flags |= t[i].flag;
	}
	free(copy);
	return flags;
}

static void die(const char *what)
{
	fprintf(stderr, "nshelper: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Does one datagram of NSLINK_CMD_EVENT messages name @pid? */
static int names_pid(const char *buf, long len, unsigned int pid)
{
	const struct nlmsghdr *nh;

	for (nh = (const void *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
		const struct genlmsghdr *gh = NLMSG_DATA(nh);
		const struct nlattr *a = (const void *)((const char *)gh + GENL_HDRLEN);
		long alen = (long)nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

		if (nh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || gh->cmd != NSLINK_CMD_EVENT)
			continue;
		while (alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= alen) {
			if ((a->nla_type & NLA_TYPE_MASK) == NSLINK_A_EV_PID &&
			    a->nla_len == NLA_HDRLEN + 4 &&
			    *(const unsigned int *)((const char *)a + NLA_HDRLEN) == pid)
				return 1;
			alen -= NLA_ALIGN(a->nla_len);
			a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
		}
	}
	return 0;
}

/* One line for a message of the group: see quiet-sub at the top. */
static void print_msg(const struct nlmsghdr *nh)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nh);
	const struct nlattr *a = (const void *)((const char *)gh + GENL_HDRLEN);
	long alen = (long)nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	unsigned long long seq = 0;
	unsigned int pid = 0;

	while (alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= alen) {
		const char *v = (const char *)a + NLA_HDRLEN;

		if ((a->nla_type & NLA_TYPE_MASK) == NSLINK_A_EV_PID &&
		    a->nla_len == NLA_HDRLEN + 4)
			memcpy(&pid, v, 4);
		if ((a->nla_type & NLA_TYPE_MASK) == NSLINK_A_EV_SEQ &&
		    a->nla_len == NLA_HDRLEN + 8)
			memcpy(&seq, v, 8);
		alen -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	if (gh->cmd == NSLINK_CMD_EVENT)
		printf("event %u %llu\n", pid, seq);
	else
		printf("message %u seq %llu\n", gh->cmd, seq);
}

/* quiet-sub: see the comment at the top. */
static int quiet_sub(int grp, const char *mode, int seconds)
{
	static char buf[65536];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	int dropall = !strcmp(mode, "dropall"), size = 4096, sig, zero = 0;
	long n, datagrams = 0, enobufs = 0;
	struct timespec end;
	struct pollfd p;
	sigset_t set;

	if (!dropall && strcmp(mode, "rcvbuf")) {
		fprintf(stderr, "nshelper: quiet-sub: MODE is dropall or rcvbuf\n");
		return 2;
	}
	/* SIGUSR1 is taken by sigwait only, whenever it comes. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* A socket with no port id (0, the sender's) gets no multicast. */
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("socket");
	if (dropall && setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				  sizeof(prog)))
		die("SO_ATTACH_FILTER");
	if (!dropall && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		die("SO_RCVBUF");
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		die("join");
	printf("joined\n");
	fflush(stdout);
	if (sigwait(&set, &sig))
		die("sigwait");
	/* What the quiet period left in the queue, read without waiting. */
	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			enobufs++;
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			die("recv");
		datagrams++;
	}
	if (dropall) {
		printf("queued %ld\n", datagrams + enobufs);
		if (setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &zero, sizeof(zero)))
			die("SO_DETACH_FILTER");
	} else {
		printf("drained %ld enobufs %ld\n", datagrams, enobufs);
	}
	printf("ready\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	p.fd = fd;
	p.events = POLLIN;
	for (;;) {
		struct timespec now;
		long left;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000 +
		       (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0 || poll(&p, 1, (int)left) != 1)
			break;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			printf("enobufs\n");
			fflush(stdout);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			die("recv");
		for (struct nlmsghdr *nh = (void *)buf; NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n))
			if (nh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN)
				print_msg(nh);
		fflush(stdout);
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* unshare-count: see the comment at the top. */
static int unshare_count(long n, int seconds, int flags)
{
	long ok = 0, failed = 0;
	struct timespec end, now;

	signal(SIGUSR1, on_stop);
	printf("%d\n", getpid());
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	while (ok + failed < n && !stop) {
		if (unshare(flags))
			failed++;
		else
			ok++;
		/* The clock is read without a syscall (vDSO). */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			break;
	}
	printf("ok %ld failed %ld\n", ok, failed);
	return 0;
}

/* autofs-trap: see the comment at the top. */
static int autofs_trap(const char *dir)
{
	static char buf[4096];
	char opts[128];
	pid_t trigger;
	int p[2];

	/* Private: nothing of this may reach the host's mount namespace. */
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("a private mount namespace");
	/* The daemon is a process group: its lookups never wait. */
	if (setpgid(0, 0) || pipe(p))
		die("setpgid, pipe");
	snprintf(opts, sizeof(opts),
		 "fd=%d,pgrp=%d,minproto=5,maxproto=5,direct", p[1],
		 (int)getpgrp());
	if (mount("nslink-trap", dir, "autofs", 0, opts))
		die("mount -t autofs");
	/* The same root dentry over "/", where setns's lookup ends. */
	if (mount(dir, "/", NULL, MS_BIND, NULL))
		die("bind mount over /");
	trigger = fork();
	if (trigger < 0)
		die("fork");
	if (trigger == 0) {
		int fd;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (setpgid(0, 0))
			die("setpgid");
		fd = open(dir, O_RDONLY | O_DIRECTORY);
		fprintf(stderr, "nshelper: autofs-trap: the open of %s returned %d (%s)\n",
			dir, fd, fd < 0 ? strerror(errno) : "no wait");
		_exit(1);
	}
	/* The kernel writes the request once the child waits. */
	if (read(p[0], buf, sizeof(buf)) <= 0)
		die("read the request");
	printf("pending %d\n", (int)trigger);
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

/* Drop to @uid (real, effective, saved; no groups), keeping @caps only. */
static void become(unsigned int uid, unsigned int caps)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(0, NULL) ||
	    setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		die("become uid");
	d[0].effective = d[0].permitted = caps;
	if (syscall(SYS_capset, &h, d))
		die("capset");
	/* Cleared by the change of uid. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* setns-sleep: see the comment at the top. */
static int setns_sleep(const char *nsfile, unsigned int uid, int n)
{
	int fd = open(nsfile, O_RDONLY), i;

	if (fd < 0)
		die(nsfile);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			become(uid, 1U << CAP_SYS_ADMIN | 1U << CAP_SYS_CHROOT);
			setns(fd, CLONE_NEWNS);
			fprintf(stderr, "nshelper: setns-sleep: setns returned (%s)\n",
				strerror(errno));
			_exit(1);
		}
		printf("%d\n", (int)pid);
	}
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

/* fork-unshare: see the comment at the top. */
static int fork_unshare(int n, int flags)
{
	int res[2], hold[2], i;
	long ok = 0, failed = 0;
	char c;

	if (pipe(res) || pipe(hold))
		die("pipe");
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(hold[1]);
			c = unshare(flags) ? 'f' : 'o';
			if (write(res[1], &c, 1) != 1)
				die("write");
			/* Alive until the parent closes the pipe. */
			if (read(hold[0], &c, 1) < 0)
				die("read");
			_exit(0);
		}
	}
	for (i = 0; i < n; i++) {
		if (read(res[0], &c, 1) != 1)
			die("read");
		if (c == 'o')
			ok++;
		else
			failed++;
	}
	close(hold[1]);
	while (wait(NULL) > 0)
		;
	printf("ok %ld failed %ld\n", ok, failed);
	return 0;
}

struct owner_count {
	unsigned int uid;
	long ok, failed;
};

/* owners-flood: see the comment at the top. */
static int owners_flood(int n, unsigned int uid0, int seconds, int flags)
{
	struct sigaction sa = { .sa_handler = on_stop };	/* no SA_RESTART */
	int ready[2], go[2], res[2], i, got = 0;
	long ok = 0, failed = 0;
	pid_t *pids = calloc(n, sizeof(*pids));
	struct owner_count oc;
	char c;

	if (!pids || pipe(ready) || pipe(go) || pipe(res))
		die("pipe");
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			struct timespec end, now;

			close(go[1]);
			become(uid0 + i, 0);
			oc.uid = uid0 + i;
			oc.ok = oc.failed = 0;
			if (unshare(CLONE_NEWUSER))
				oc.failed++;
			else
				oc.ok++;
			if (write(ready[1], "x", 1) != 1 || read(go[0], &c, 1) < 0)
				die("ready");
			clock_gettime(CLOCK_MONOTONIC, &end);
			end.tv_sec += seconds;
			while (!stop) {
				if (unshare(flags))
					oc.failed++;
				else
					oc.ok++;
				clock_gettime(CLOCK_MONOTONIC, &now);
				if (now.tv_sec > end.tv_sec ||
				    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
					break;
			}
			if (write(res[1], &oc, sizeof(oc)) != sizeof(oc))
				die("write");
			_exit(0);
		}
	}
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			die("read");
	printf("started %d\n", n);
	fflush(stdout);
	close(go[1]);
	while (got < n) {
		ssize_t r = read(res[0], &oc, sizeof(oc));

		if (r < 0 && errno == EINTR) {
			for (i = 0; i < n; i++)
				kill(pids[i], SIGUSR1);
			continue;
		}
		if (r != sizeof(oc))
			die("read");
		printf("uid %u ok %ld failed %ld\n", oc.uid, oc.ok, oc.failed);
		ok += oc.ok;
		failed += oc.failed;
		got++;
	}
	while (wait(NULL) > 0)
		;
	printf("ok %ld failed %ld\n", ok, failed);
	return 0;
}

/* hold-failed and hold-ptraced: see the comment at the top. */
static int hold(int n, int traced)
{
	int i, st, up[2];
	char c;

	if (pipe(up))
		die("pipe");
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (traced) {
				if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
					die("PTRACE_TRACEME");
				/* Straight to the tracer: no syscall between. */
				syscall(SYS_kill, getpid(), SIGSTOP);
			}
			syscall(SYS_setns, -1, 0);
			if (write(up[1], "x", 1) != 1)
				die("write");
			for (;;)
				pause();
		}
		if (!traced) {
			if (read(up[0], &c, 1) != 1)
				die("read");
			continue;
		}
		/* Its SIGSTOP, then the entry and the exit of its setns. */
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) ||
		    ptrace(PTRACE_SETOPTIONS, pid, NULL,
			   (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)) ||
		    ptrace(PTRACE_SYSCALL, pid, NULL, NULL) ||
		    waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) ||
		    ptrace(PTRACE_SYSCALL, pid, NULL, NULL) ||
		    waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) ||
		    WSTOPSIG(st) != (SIGTRAP | 0x80))
			die("ptrace to the exit of setns");
	}
	printf("held %d\n", n);
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

/*
 * setns(@fd, 0) through the 32-bit system call entry of this 64-bit
 * process (int $0x80, i386's number 346): the kernel runs its compat
 * setns, __ia32_sys_setns, a function of its own. The entry leaves
 * r8 to r11 as it finds them or zeroes them, by kernel version.
 */
static long setns_compat(int fd)
{
#if defined(__x86_64__)
	long ret;

	asm volatile ("int $0x80"
		      : "=a" (ret)
		      : "0" (346L), "b" ((long)fd), "c" (0L)
		      : "memory", "r8", "r9", "r10", "r11");
	return ret;
#else
	(void)fd;
	return -ENOSYS;
#endif
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "unshare-count"))
		return unshare_count(atol(argv[2]), atoi(argv[3]), flags_of(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "quiet-sub"))
		return quiet_sub((int)strtol(argv[2], NULL, 0), argv[3], atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "hold-failed"))
		return hold(atoi(argv[2]), 0);
	if (argc == 3 && !strcmp(argv[1], "hold-ptraced"))
		return hold(atoi(argv[2]), 1);
	if (argc == 3 && !strcmp(argv[1], "autofs-trap"))
		return autofs_trap(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "setns-sleep"))
		return setns_sleep(argv[2], (unsigned int)atol(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "fork-unshare"))
		return fork_unshare(atoi(argv[2]), flags_of(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "owners-flood"))
		return owners_flood(atoi(argv[2]), (unsigned int)atol(argv[3]),
				    atoi(argv[4]), flags_of(argv[5]));
	if (argc >= 3 && !strcmp(argv[1], "after-failed-setns")) {
		int flags = flags_of(argv[2]);

		printf("%d\n", getpid());
		fflush(stdout);
		if (setns(-1, 0) == 0 || errno != EBADF)
			die("setns(-1, 0) did not fail with EBADF");
		if (unshare(flags))
			die("unshare");
		if (argc > 3) {
			execvp(argv[3], argv + 3);
			die("exec");
		}
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "clone")) {
		/* clone3: the old clone() has no room for CLONE_NEWTIME. */
		struct clone_args args = {
			.flags = (unsigned int)flags_of(argv[2]),
			.exit_signal = SIGCHLD,
		};
		long pid = syscall(SYS_clone3, &args, sizeof(args));

		if (pid < 0)
			die("clone");
		if (pid == 0) {
			execvp(argv[3], argv + 3);
			die("exec");
		}
		printf("%ld\n", pid);
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "setns")) {
		int fd = syscall(SYS_pidfd_open, atoi(argv[2]), 0);

		if (fd < 0)
			die("pidfd_open");
		if (setns(fd, flags_of(argv[3])))
			die("setns");
		close(fd);
		printf("%d\n", getpid());
		fflush(stdout);
		execvp(argv[4], argv + 4);
		die("exec");
	}
	if (argc >= 4 && !strcmp(argv[1], "setns-compat")) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		long ret;

		if (fd < 0)
			die("open");
		ret = setns_compat(fd);
		if (ret) {
			errno = (int)-ret;
			die("setns through int $0x80");
		}
		close(fd);
		printf("%d\n", getpid());
		fflush(stdout);
		execvp(argv[3], argv + 3);
		die("exec");
	}
	if (argc >= 4 && !strcmp(argv[1], "unshare-loop")) {
		int n = atoi(argv[2]), flags = flags_of(argv[3]);

		printf("%d\n", getpid());
		fflush(stdout);
		while (n-- > 0)
			if (unshare(flags))
				die("unshare");
		if (argc > 4) {
			execvp(argv[4], argv + 4);
			die("exec");
		}
		return 0;
	}
	if (argc == 3 && (!strcmp(argv[1], "join") ||
			  !strcmp(argv[1], "join-hold"))) {
		int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		int grp = (int)strtol(argv[2], NULL, 0);

		if (fd < 0)
			die("socket");
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			       sizeof(grp))) {
			printf("%s\n", errno == EPERM ? "EPERM" : strerror(errno));
			return 1;
		}
		if (!strcmp(argv[1], "join"))
			return 0;
		printf("joined\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (argc == 4 && !strcmp(argv[1], "join-unshare")) {
		int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		int grp = (int)strtol(argv[2], NULL, 0), flags = flags_of(argv[3]);
		static char buf[65536];
		struct pollfd p;
		long n;

		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

		/* A socket with no port id (0, the sender's) gets no multicast. */
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
			die("socket");
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			       sizeof(grp)))
			die("join");
		if (unshare(flags))
			die("unshare");
		p.fd = fd;
		p.events = POLLIN;
		while (poll(&p, 1, 10000) == 1) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0 && errno != ENOBUFS)
				die("recv");
			if (n > 0 && names_pid(buf, n, (unsigned int)getpid())) {
				printf("seen\n");
				return 0;
			}
		}
		printf("not seen\n");
		return 1;
	}
	fprintf(stderr, "usage: see the comment at the top of nshelper.c\n");
	return 2;
}
