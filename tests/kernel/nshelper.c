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
 *   nshelper join GROUP                 join a NETLINK_GENERIC multicast
 *                                       group; exit 0, or print the errno
 *                                       name and exit 1
 *
 * TYPES: comma-separated mnt,uts,ipc,net,pid,cgroup,time,user.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/netlink.h>
#include <linux/sched.h>

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

int main(int argc, char **argv)
{
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
	if (argc == 3 && !strcmp(argv[1], "join")) {
		int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		int grp = (int)strtol(argv[2], NULL, 0);

		if (fd < 0)
			die("socket");
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			       sizeof(grp))) {
			printf("%s\n", errno == EPERM ? "EPERM" : strerror(errno));
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "usage: see the comment at the top of nshelper.c\n");
	return 2;
}
