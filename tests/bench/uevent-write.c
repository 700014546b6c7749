// SPDX-License-Identifier: GPL-2.0
/*
 * uevent-write: the kernel's native way to send a uevent (since 4.18): a
 * privileged process writes netlink messages of type >= NLMSG_MIN_TYPE to
 * its own NETLINK_KOBJECT_UEVENT socket, into its own network namespace.
 * This is what LXD/Incus do, one process per event, after entering the
 * container's namespaces.
 *
 *   uevent-write COUNT [NAME]
 *
 * Sends COUNT "add" events for /devices/virtual/nslink-bench/NAME-I,
 * subsystem nslink-bench, each with an ACK request, and checks every ACK.
 * Exits 0 when the kernel accepted all of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

int main(int argc, char **argv)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	const char *name = argc > 2 ? argv[2] : "n";
	long count, i;
	int fd;

	if (argc < 2 || (count = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: uevent-write COUNT [NAME]\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	for (i = 0; i < count; i++) {
		struct {
			struct nlmsghdr h;
			char data[512];
		} m;
		struct {
			struct nlmsghdr h;
			struct nlmsgerr e;
			char rest[256];
		} ack;
		char dev[128];
		int len, dl;
		ssize_t r;

		dl = snprintf(dev, sizeof(dev), "/devices/virtual/nslink-bench/%s-%ld", name, i);
		len = snprintf(m.data, sizeof(m.data), "add@%s", dev) + 1;
		len += snprintf(m.data + len, sizeof(m.data) - len, "ACTION=add") + 1;
		len += snprintf(m.data + len, sizeof(m.data) - len, "DEVPATH=%.*s", dl, dev) + 1;
		len += snprintf(m.data + len, sizeof(m.data) - len, "SUBSYSTEM=nslink-bench") + 1;
		memset(&m.h, 0, sizeof(m.h));
		m.h.nlmsg_len = NLMSG_LENGTH(len);
		m.h.nlmsg_type = NLMSG_MIN_TYPE;
		m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		m.h.nlmsg_seq = (unsigned int)i + 1;
		if (sendto(fd, &m, m.h.nlmsg_len, 0, (struct sockaddr *)&kernel,
			   sizeof(kernel)) < 0) {
			perror("sendto");
			return 1;
		}
		r = recv(fd, &ack, sizeof(ack), 0);
		if (r < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
		    ack.h.nlmsg_type != NLMSG_ERROR) {
			fprintf(stderr, "uevent-write: no ACK for event %ld\n", i);
			return 1;
		}
		if (ack.e.error) {
			fprintf(stderr, "uevent-write: event %ld: %s\n", i,
				strerror(-ack.e.error));
			return 1;
		}
	}
	return 0;
}
