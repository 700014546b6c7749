/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cgroups and containers on the userspace side: a cgroup v2 id (what
 * events carry, NSLINK_A_EV_CGROUP_ID) to its path, and a path to the
 * container it belongs to, by the conventions of the runtimes.
 */
#ifndef NSLINK_CGROUP_H
#define NSLINK_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The root cgroup of the default hierarchy; every task on a host with no
 * cgroup v2 mounted is there. */
#define NSCG_ROOT_ID 1

struct nscg_container {
	const char *runtime;	/* NULL: no container named */
	char id[256];		/* full id, or the machine/container name */
	char pod[64];		/* Kubernetes pod uid, or "" */
	/*
	 * runtime and id are only a claim: the path names them, but not
	 * where that runtime puts its containers (so under a subtree
	 * delegated to a user, user@UID.service/..., or anywhere else), and
	 * whoever could make that cgroup chose the name. Not a container.
	 */
	bool delegated;
};

/*
 * The container a cgroup path (as in /proc/PID/cgroup, "/a/b") belongs to,
 * from the outermost component that a runtime names:
 *   docker           docker-ID.scope (systemd driver), docker/ID (cgroupfs)
 *   containerd       cri-containerd-ID.scope
 *   cri-o            crio-ID.scope
 *   cri              kubepods/.../podUID/ID (cgroupfs driver: the
 *                    runtime is not in the path)
 *   podman           libpod-ID.scope, libpod_parent/libpod-ID
 *   systemd-nspawn   machine-NAME.scope, systemd-nspawn@NAME.service
 *                    (NAME unescaped as systemd escapes unit names)
 *   libvirt          machine-qemu-N-NAME.scope, machine-lxc-N-NAME.scope
 *   lxc              lxc.payload.NAME (LXC 4 on, Incus, LXD), lxc/NAME
 * where ID is 64 lowercase hex digits. The name counts only where the
 * runtime puts its containers, which only root can make:
 *   /system.slice/docker-ID.scope, /docker/ID,
 *   /kubepods.slice/kubepods-...-podUID.slice/{cri-containerd,crio,docker}-ID.scope,
 *   /kubepods/[besteffort/|burstable/]podUID/ID,
 *   /machine.slice/libpod-ID.scope,
 *   /machine.slice/machine-libpod_pod_POD.slice/libpod-ID.scope,
 *   /libpod_parent/libpod-ID,
 *   /machine.slice/machine-NAME.scope, /machine.slice/systemd-nspawn@NAME.service,
 *   /lxc.payload.NAME, /lxc/NAME, /lxc.payload/NAME
 * and anything below them (what a container makes inside itself is still
 * that container). Anywhere else (a user's systemd manager, rootless
 * podman, a container inside another) the name is a claim: c->delegated.
 * A Kubernetes pod uid is taken from kubepods-...-podUID.slice or
 * kubepods/.../podUID above it. Conmon's and LXC's monitor cgroups are not
 * containers. Returns whether the path is in a container: c->runtime &&
 * !c->delegated.
 */
bool nscg_container(const char *path, struct nscg_container *c);

/* The short form text output uses: "docker:0123456789ab", "lxc:web". */
void nscg_container_short(const struct nscg_container *c, char *buf,
			  size_t len);

struct nscg_ent {
	uint64_t id;		/* 0: free slot */
	char *path;
};

/* A resolver of cgroup ids, with a cache. */
struct nscg {
	bool v2;		/* a cgroup v2 hierarchy is mounted */
	char mnt[4096];		/* where */
	int mnt_fd;		/* -1 if none */
	bool by_handle;		/* ids are kernfs file handles there: the
				 * mount is the hierarchy's root, id 1 */
	struct nscg_ent *tab;	/* open addressing, cap a power of two */
	size_t n, cap;
	long long scanned_ns;	/* CLOCK_MONOTONIC of the last walk, -1 */
};

/*
 * Find the cgroup v2 mount in mountinfo (NULL: /proc/self/mountinfo): the
 * first whose directory is the hierarchy's root (kernfs id 1, also when
 * mountinfo shows its root as "/../.." from inside a cgroup namespace),
 * else the first whose root is "/" (of this cgroup namespace: by_handle is
 * then false); or use dir when it is given (tests). Walks it once, so that cgroups that exist now
 * are known even if they are gone by the time an event names them. A host
 * without one gets v2 false; nscg_path() then knows only the root.
 */
void nscg_init(struct nscg *cg, const char *mountinfo, const char *dir);
void nscg_free(struct nscg *cg);

/*
 * Path of cgroup id ("/" for the root), or NULL when it is not known (it
 * was removed before it could be seen, or lies outside this cgroup
 * namespace's mount). A miss asks the kernel by file handle
 * (open_by_handle_at, which needs CAP_DAC_READ_SEARCH), else walks the
 * tree again, at most once a second. Ids are never reused, so a cached
 * path stays right unless the cgroup is renamed. The string lives until
 * the next call.
 */
const char *nscg_path(struct nscg *cg, uint64_t id);

#endif /* NSLINK_CGROUP_H */
