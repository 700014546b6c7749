// SPDX-License-Identifier: GPL-2.0
/* Naming a target network namespace; see netns.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "netns.h"

int netns_path(const char *spec, char *buf, size_t size)
{
	int n;

	if (!spec || !*spec)
		return -EINVAL;
	if (strchr(spec, '/'))
		n = snprintf(buf, size, "%s", spec);
	else if (!strcmp(spec, ".") || !strcmp(spec, ".."))
		return -EINVAL;
	else
		n = snprintf(buf, size, "%s/%s", NETNS_RUN_DIR, spec);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

int netns_parse_pid(const char *s, pid_t *pid)
{
	unsigned long v = 0;
	const char *c;

	if (!s || !*s)
		return -EINVAL;
	for (c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*c - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	if (v == 0)
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

int netns_open(const char *spec)
{
	char path[PATH_MAX];
	int fd, ret;

	if (spec) {
		ret = netns_path(spec, path, sizeof(path));
		if (ret)
			return ret;
	} else {
		snprintf(path, sizeof(path), "/proc/self/ns/net");
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return fd;
}

int netns_same(int fd1, int fd2)
{
	struct stat a, b;

	if (fstat(fd1, &a) || fstat(fd2, &b))
		return -errno;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}
