/* SPDX-License-Identifier: GPL-2.0 */
/* Naming a target network namespace, as ip-netns(8) and nsenter(1) do. */
#ifndef NSLINK_NETNS_H
#define NSLINK_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where ip-netns(8) keeps named network namespaces. */
#define NETNS_RUN_DIR "/run/netns"

/*
 * The path for -n SPEC: a SPEC with a '/' is a path (/proc/PID/ns/net,
 * ./ns), anything else a name under NETNS_RUN_DIR. "", "." and ".." are
 * not names. Returns 0, or -EINVAL, or -ENAMETOOLONG.
 */
int netns_path(const char *spec, char *buf, size_t size);

/* A pid for -p: decimal, 1 to INT_MAX, nothing else. Returns 0 or -EINVAL. */
int netns_parse_pid(const char *s, pid_t *pid);

/*
 * Open the network namespace SPEC names (see netns_path), or the caller's
 * own when spec is NULL. Returns the fd or -errno. Whether the file is a
 * network namespace is left to the module, which says so in its extack.
 */
int netns_open(const char *spec);

/* Do the two files (fds) name the same namespace? -errno on failure. */
int netns_same(int fd1, int fd2);

#endif /* NSLINK_NETNS_H */
