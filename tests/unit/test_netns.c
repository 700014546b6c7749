// SPDX-License-Identifier: GPL-2.0
#define UNIT_NAME "netns"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include "unit.h"
#include "../../userspace/netns.h"

int main(void)
{
	char buf[PATH_MAX], small[13], big[PATH_MAX + 10];
	pid_t pid = 0;
	int a, b;

	CHECK(!netns_path("ctr1", buf, sizeof(buf)), "a name");
	CHECK_STR(buf, "/run/netns/ctr1", "a name is under /run/netns");
	CHECK(!netns_path("/proc/1/ns/net", buf, sizeof(buf)), "an absolute path");
	CHECK_STR(buf, "/proc/1/ns/net", "an absolute path is kept");
	CHECK(!netns_path("./ns", buf, sizeof(buf)), "a relative path");
	CHECK_STR(buf, "./ns", "a name with '/' is a path");
	CHECK(netns_path("", buf, sizeof(buf)) == -EINVAL, "empty refused");
	CHECK(netns_path(NULL, buf, sizeof(buf)) == -EINVAL, "NULL refused");
	CHECK(netns_path(".", buf, sizeof(buf)) == -EINVAL, "'.' is not a name");
	CHECK(netns_path("..", buf, sizeof(buf)) == -EINVAL, "'..' is not a name");
	CHECK(!netns_path("...", buf, sizeof(buf)), "'...' is a name");
	CHECK(netns_path("abc", small, sizeof(small)) == -ENAMETOOLONG,
	      "too long for the buffer: /run/netns/abc needs 15 bytes, not 13");
	CHECK(!netns_path("a", small, sizeof(small)), "exactly fits: /run/netns/a");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(netns_path(big, buf, sizeof(buf)) == -ENAMETOOLONG, "longer than PATH_MAX refused");

	CHECK(!netns_parse_pid("1", &pid) && pid == 1, "pid 1");
	CHECK(!netns_parse_pid("2147483647", &pid) && pid == 2147483647, "pid INT_MAX");
	CHECK(netns_parse_pid("2147483648", &pid) == -EINVAL, "pid above INT_MAX refused");
	CHECK(netns_parse_pid("99999999999999999999999", &pid) == -EINVAL, "huge pid refused");
	CHECK(netns_parse_pid("0", &pid) == -EINVAL, "pid 0 refused");
	CHECK(netns_parse_pid("-1", &pid) == -EINVAL, "negative pid refused");
	CHECK(netns_parse_pid("12a", &pid) == -EINVAL, "trailing junk refused");
	CHECK(netns_parse_pid(" 12", &pid) == -EINVAL, "leading space refused");
	CHECK(netns_parse_pid("", &pid) == -EINVAL, "empty pid refused");

	a = netns_open(NULL);
	CHECK(a >= 0, "own netns opens");
	b = netns_open("/proc/self/ns/net");
	CHECK(b >= 0, "own netns by path opens");
	CHECK(netns_same(a, b) == 1, "the same namespace twice is the same");
	if (b >= 0)
		close(b);
	b = netns_open("/proc/self/ns/uts");
	CHECK(b >= 0 && netns_same(a, b) == 0, "another namespace is not the same");
	if (b >= 0)
		close(b);
	if (a >= 0)
		close(a);
	CHECK(netns_open("nslink-no-such-netns") == -ENOENT, "a missing name: -ENOENT");
	CHECK(netns_open(".") == -EINVAL, "a bad name: -EINVAL");
	CHECK(netns_same(-1, -1) == -EBADF, "bad fds: -EBADF");
	UNIT_EXIT();
}
