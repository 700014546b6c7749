// SPDX-License-Identifier: GPL-2.0
/*
 * uevent-listen: a receiver of kernel uevents for the tests and benchmarks,
 * reporting what udev's receivers judge a uevent by: the sender's portid
 * and the SCM_CREDENTIALS the kernel attached.
 *
 *   uevent-listen [-q] [-x] [-n COUNT] [-t IDLE_MS]
 *
 * Listens on NETLINK_KOBJECT_UEVENT group 1 in its network namespace until
 * COUNT messages arrived or none came for IDLE_MS (default 3000). Prints one
 * line per message unless -q:
 *   portid=P uid=U gid=G pid=N len=L seqnum=S header=ACTION@DEVPATH
 * (uid and gid as seen in the listener's user namespace); with -x the
 * whole message follows as "  bytes=..." with each '\0' shown as '|'; then
 *   received=N overruns=M
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	long count = -1, idle = 3000, received = 0, overruns = 0;
	int fd, c, one = 1, size = 64 << 20, quiet = 0, bytes = 0;
	static char buf[16384];

	while ((c = getopt(argc, argv, "qxn:t:")) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'x': bytes = 1; break;
		case 'n': count = atol(optarg); break;
		case 't': idle = atol(optarg); break;
		default:
			fprintf(stderr, "usage: uevent-listen [-q] [-x] [-n COUNT] [-t IDLE_MS]\n");
			return 2;
		}
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("uevent socket");
		return 1;
	}
	while (count < 0 || received < count) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char cbuf[CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr mh = {
			.msg_name = &sa, .msg_namelen = sizeof(sa),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct ucred cred = { 0, (uid_t)-1, (gid_t)-1 };
		struct cmsghdr *cm;
		const char *s, *seq = "-";
		ssize_t r;

		if (poll(&p, 1, (int)idle) == 0)
			break;
		r = recvmsg(fd, &mh, 0);
		if (r < 0 && errno == ENOBUFS) {
			overruns++;
			continue;
		}
		if (r < 0) {
			perror("recvmsg");
			return 1;
		}
		received++;
		if (quiet)
			continue;
		buf[r] = '\0';
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS)
				memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
		for (s = buf; s < buf + r; s += strlen(s) + 1)
			if (!strncmp(s, "SEQNUM=", 7))
				seq = s + 7;
		printf("portid=%u uid=%d gid=%d pid=%d len=%zd seqnum=%s header=%s\n",
		       sa.nl_pid, (int)cred.uid, (int)cred.gid, (int)cred.pid, r,
		       seq, buf);
		if (bytes) {
			ssize_t i;

			fputs("  bytes=", stdout);
			for (i = 0; i < r; i++)
				putchar(buf[i] ? buf[i] : '|');
			putchar('\n');
		}
		fflush(stdout);
	}
	printf("received=%ld overruns=%ld\n", received, overruns);
	return 0;
}
