// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroups and containers on the userspace side; see cgroup.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup.h"

/* kernfs file handles: 8 bytes, the node's id (include/linux/exportfs.h). */
#define NSCG_FILEID_KERNFS 0xfe
/* Past this many cached cgroups, a walk starts from an empty cache. */
#define NSCG_MAX_CACHED 65536

static bool is_id64(const char *s, size_t len)
{
	size_t i;

	if (len != 64)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Does comp (of length len) read prefix ID suffix, ID 64 hex digits? */
static bool match_id(const char *comp, size_t len, const char *prefix,
		     const char *suffix, char *id, size_t idlen)
{
	size_t p = strlen(prefix), s = strlen(suffix);

	if (len < p + s || strncmp(comp, prefix, p) ||
	    strncmp(comp + len - s, suffix, s) ||
	    !is_id64(comp + p, len - p - s) || idlen <= 64)
		return false;
	memcpy(id, comp + p, 64);
	id[64] = '\0';
	return true;
}

/* systemd's unit name escaping: \xHH is the byte HH. */
static void unescape_unit(const char *s, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;
	unsigned int v;

	for (i = 0; i < len && o + 1 < outlen; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' &&
		    sscanf(s + i + 2, "%2x", &v) == 1) {
			out[o++] = (char)v;
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t p = strlen(prefix);

	return len > p && !strncmp(s, prefix, p);
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t x = strlen(suffix);

	return len > x && !strncmp(s + len - x, suffix, x);
}

/* A Kubernetes pod uid in one component, systemd or cgroupfs form. */
static bool pod_uid(const char *comp, size_t len, bool under_kubepods,
		    char *out, size_t outlen)
{
	const char *p;
	size_t i, n;

	if (has_prefix(comp, len, "kubepods-") &&
	    has_suffix(comp, len, ".slice")) {
		/* kubepods-burstable-pod<uid with _>.slice */
		p = NULL;
		for (i = 0; i + 3 < len; i++)
			if (!strncmp(comp + i, "-pod", 4))
				p = comp + i + 4;
		if (!p)
			return false;
		n = (size_t)(comp + len - strlen(".slice") - p);
	} else if (under_kubepods && has_prefix(comp, len, "pod")) {
		p = comp + 3;
		n = len - 3;
	} else {
		return false;
	}
	if (!n || n >= outlen)
		return false;
	for (i = 0; i < n; i++)
		out[i] = p[i] == '_' ? '-' : p[i];
	out[n] = '\0';
	return true;
}

static bool is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !strncmp(s, word, len);
}

/* The runtimes, by what their cgroup names look like. */
enum runtime {
	RT_NONE, RT_DOCKER_SCOPE, RT_DOCKER_DIR, RT_CONTAINERD, RT_CRIO,
	RT_PODMAN_SCOPE, RT_PODMAN_DIR, RT_CRI, RT_MACHINE, RT_NSPAWN,
	RT_LXC_PAYLOAD, RT_LXC_DIR,
};

/*
 * Does component i name a container, whoever made it? Fills c->runtime
 * and c->id when it does.
 */
static enum runtime name_of(const char *const *comp, const size_t *clen,
			    size_t i, struct nscg_container *c)
{
	const char *s = comp[i];
	const char *parent = i ? comp[i - 1] : "";
	size_t len = clen[i], plen = i ? clen[i - 1] : 0, j;
	char name[256];

	if (match_id(s, len, "docker-", ".scope", c->id, sizeof(c->id))) {
		c->runtime = "docker";
		return RT_DOCKER_SCOPE;
	}
	if (is(parent, plen, "docker") &&
	    match_id(s, len, "", "", c->id, sizeof(c->id))) {
		c->runtime = "docker";
		return RT_DOCKER_DIR;
	}
	if (match_id(s, len, "cri-containerd-", ".scope", c->id, sizeof(c->id))) {
		c->runtime = "containerd";
		return RT_CONTAINERD;
	}
	if (match_id(s, len, "crio-", ".scope", c->id, sizeof(c->id))) {
		c->runtime = "cri-o";
		return RT_CRIO;
	}
	if (match_id(s, len, "libpod-", ".scope", c->id, sizeof(c->id))) {
		c->runtime = "podman";
		return RT_PODMAN_SCOPE;
	}
	if (is(parent, plen, "libpod_parent") &&
	    match_id(s, len, "libpod-", "", c->id, sizeof(c->id))) {
		c->runtime = "podman";
		return RT_PODMAN_DIR;
	}
	if (i >= 2 && has_prefix(parent, plen, "pod") &&
	    match_id(s, len, "", "", c->id, sizeof(c->id))) {
		/* kubepods/.../podUID/ID: the cgroupfs driver. */
		for (j = 0; j + 1 < i; j++)
			if (clen[j] >= 8 && !strncmp(comp[j], "kubepods", 8)) {
				c->runtime = "cri";
				return RT_CRI;
			}
	}
	if (len > 8 + 6 && has_prefix(s, len, "machine-") &&
	    has_suffix(s, len, ".scope")) {
		unescape_unit(s + 8, len - 8 - 6, name, sizeof(name));
		if (!strncmp(name, "qemu-", 5) || !strncmp(name, "lxc-", 4))
			c->runtime = "libvirt";
		else
			c->runtime = "systemd-nspawn";
		snprintf(c->id, sizeof(c->id), "%s", name);
		return RT_MACHINE;
	}
	if (len > 15 + 8 && has_prefix(s, len, "systemd-nspawn@") &&
	    has_suffix(s, len, ".service")) {
		unescape_unit(s + 15, len - 15 - 8, c->id, sizeof(c->id));
		c->runtime = "systemd-nspawn";
		return RT_NSPAWN;
	}
	if (has_prefix(s, len, "lxc.payload.")) {
		snprintf(c->id, sizeof(c->id), "%.*s", (int)(len - 12), s + 12);
		c->runtime = "lxc";
		return RT_LXC_PAYLOAD;
	}
	if (is(parent, plen, "lxc") || is(parent, plen, "lxc.payload")) {
		snprintf(c->id, sizeof(c->id), "%.*s", (int)len, s);
		c->runtime = "lxc";
		return RT_LXC_DIR;
	}
	c->id[0] = '\0';
	return RT_NONE;
}

/* Is component i a container directly in a Kubernetes pod's slice, the
 * systemd driver's /kubepods.slice/kubepods-...-podUID.slice/? */
static bool in_kube_pod_slice(const char *const *comp, const size_t *clen,
			      size_t i)
{
	char pod[64];
	size_t j;

	if (i < 2 || !is(comp[0], clen[0], "kubepods.slice"))
		return false;
	for (j = 1; j < i; j++)
		if (!has_prefix(comp[j], clen[j], "kubepods-") ||
		    !has_suffix(comp[j], clen[j], ".slice"))
			return false;
	return pod_uid(comp[i - 1], clen[i - 1], false, pod, sizeof(pod));
}

/*
 * Is component i, named as rt, where that runtime puts its containers?
 * Only the host's root (or the runtime) makes cgroups there; anywhere
 * else the name was chosen by whoever may make cgroups at that place.
 */
static bool trusted_place(enum runtime rt, const char *const *comp,
			  const size_t *clen, size_t i)
{
	const char *top = comp[0];
	size_t tlen = clen[0];

	switch (rt) {
	case RT_DOCKER_SCOPE:	/* systemd driver; dockershim in a pod */
		return (i == 1 && is(top, tlen, "system.slice")) ||
		       in_kube_pod_slice(comp, clen, i);
	case RT_CONTAINERD:
	case RT_CRIO:
		return in_kube_pod_slice(comp, clen, i);
	case RT_DOCKER_DIR:	/* /docker/ID */
	case RT_PODMAN_DIR:	/* /libpod_parent/libpod-ID */
	case RT_LXC_DIR:	/* /lxc/NAME, /lxc.payload/NAME */
		return i == 1;
	case RT_PODMAN_SCOPE:	/* machine.slice, or a pod's slice in it */
		return is(top, tlen, "machine.slice") &&
		       (i == 1 ||
			(i == 2 && has_prefix(comp[1], clen[1], "machine-libpod_pod_") &&
			 has_suffix(comp[1], clen[1], ".slice")));
	case RT_CRI:		/* /kubepods/[besteffort|burstable/]podUID/ID */
		return is(top, tlen, "kubepods") &&
		       (i == 2 ||
			(i == 3 && (is(comp[1], clen[1], "besteffort") ||
				    is(comp[1], clen[1], "burstable"))));
	case RT_MACHINE:	/* machined's scopes, systemd-nspawn@.service */
	case RT_NSPAWN:
		return i == 1 && is(top, tlen, "machine.slice");
	case RT_LXC_PAYLOAD:	/* /lxc.payload.NAME */
		return i == 0;
	case RT_NONE:
		break;
	}
	return false;
}

bool nscg_container(const char *path, struct nscg_container *c)
{
	const char *comp[256];
	size_t clen[256];
	size_t n = 0, i, j;
	const char *p = path;
	bool kubepods = false;
	enum runtime rt = RT_NONE;

	memset(c, 0, sizeof(*c));
	if (!path)
		return false;
	while (*p && n < 256) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		comp[n] = p;
		while (*p && *p != '/')
			p++;
		clen[n] = (size_t)(p - comp[n]);
		n++;
	}

	/* The outermost name: what a container makes inside its own
	 * (delegated) subtree is the container's, whatever it is called. */
	for (i = 0; i < n && rt == RT_NONE; i++)
		rt = name_of(comp, clen, i, c);
	if (rt == RT_NONE) {
		c->runtime = NULL;
		return false;
	}
	i--;
	if (!trusted_place(rt, comp, clen, i)) {
		c->delegated = true;	/* a claim: runtime and id as named */
		return false;
	}
	/* The pod, for what Kubernetes runs: above the container. */
	for (j = 0; j < i; j++) {
		if (pod_uid(comp[j], clen[j], kubepods, c->pod, sizeof(c->pod)))
			break;
		if (clen[j] >= 8 && !strncmp(comp[j], "kubepods", 8))
			kubepods = true;
	}
	return true;
}

void nscg_container_short(const struct nscg_container *c, char *buf,
			  size_t len)
{
	bool hex = is_id64(c->id, strlen(c->id));

	snprintf(buf, len, "%s:%.*s", c->runtime ? c->runtime : "none",
		 hex ? 12 : (int)strlen(c->id), c->id);
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static size_t slot(const struct nscg *cg, uint64_t id)
{
	uint64_t h = id * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (cg->cap - 1);
}

static struct nscg_ent *lookup(struct nscg *cg, uint64_t id)
{
	size_t i;

	if (!cg->cap)
		return NULL;
	for (i = slot(cg, id); cg->tab[i].id; i = (i + 1) & (cg->cap - 1))
		if (cg->tab[i].id == id)
			return &cg->tab[i];
	return NULL;
}

static void clear(struct nscg *cg)
{
	size_t i;

	for (i = 0; i < cg->cap; i++)
		free(cg->tab[i].path);
	free(cg->tab);
	cg->tab = NULL;
	cg->n = cg->cap = 0;
}

static void insert(struct nscg *cg, uint64_t id, const char *path)
{
	struct nscg_ent *e = lookup(cg, id);
	char *copy;
	size_t i;

	if (!id)
		return;
	if (e) {
		if (strcmp(e->path, path) && (copy = strdup(path))) {
			free(e->path);	/* renamed */
			e->path = copy;
		}
		return;
	}
	if ((cg->n + 1) * 2 > cg->cap) {	/* keep it half empty */
		struct nscg old = *cg;
		size_t cap = cg->cap ? 2 * cg->cap : 256;
		struct nscg_ent *tab = calloc(cap, sizeof(*tab));

		if (!tab)
			return;
		cg->tab = tab;
		cg->cap = cap;
		cg->n = 0;
		for (i = 0; i < old.cap; i++) {
			if (!old.tab[i].id)
				continue;
			size_t j = slot(cg, old.tab[i].id);

			while (cg->tab[j].id)
				j = (j + 1) & (cg->cap - 1);
			cg->tab[j] = old.tab[i];
			cg->n++;
		}
		free(old.tab);
	}
	copy = strdup(path);
	if (!copy)
		return;
	i = slot(cg, id);
	while (cg->tab[i].id)
		i = (i + 1) & (cg->cap - 1);
	cg->tab[i].id = id;
	cg->tab[i].path = copy;
	cg->n++;
}

/* Every directory under rel (relative to the mount, "" for its root). */
static void walk(struct nscg *cg, int fd0, char *rel, size_t rlen,
		 size_t cap, int depth)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd;

	if (depth > 64)
		return;
	d = fdopendir(fd0);
	if (!d) {
		close(fd0);
		return;
	}
	while ((de = readdir(d))) {
		size_t nlen = strlen(de->d_name);

		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (rlen + 1 + nlen + 1 > cap)
			continue;
		fd = openat(dirfd(d), de->d_name,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		if (fstat(fd, &st)) {
			close(fd);
			continue;
		}
		rel[rlen] = '/';
		memcpy(rel + rlen + 1, de->d_name, nlen + 1);
		insert(cg, st.st_ino, rel);
		walk(cg, fd, rel, rlen + 1 + nlen, cap, depth + 1);
		rel[rlen] = '\0';
	}
	closedir(d);
}

static void rescan(struct nscg *cg)
{
	char rel[4096] = "";
	int fd;

	cg->scanned_ns = mono_ns();
	if (cg->mnt_fd < 0)
		return;
	if (cg->n > NSCG_MAX_CACHED)
		clear(cg);
	fd = openat(cg->mnt_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		walk(cg, fd, rel, 0, sizeof(rel), 0);
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unoctal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Is the directory open at fd the root of the cgroup v2 hierarchy, the
 * kernfs node of id 1, whatever cgroup namespace looks at it? */
static bool is_top(int fd)
{
	uint64_t buf[(sizeof(struct file_handle) + MAX_HANDLE_SZ) / 8 + 1];
	struct file_handle *fh = (struct file_handle *)buf;
	uint64_t id;
	int mount_id;

	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(fd, "", fh, &mount_id, AT_EMPTY_PATH) ||
	    fh->handle_type != NSCG_FILEID_KERNFS || fh->handle_bytes != 8)
		return false;
	memcpy(&id, fh->f_handle, 8);
	return id == NSCG_ROOT_ID;
}

static bool path_is_top(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool top;

	if (fd < 0)
		return false;
	top = is_top(fd);
	close(fd);
	return top;
}

/*
 * The cgroup2 mount to use: the first whose directory is the hierarchy's
 * root; else the first whose root, as mountinfo shows it, is "/". Inside
 * a cgroup namespace (a container's, docker's default on cgroup v2) the
 * host's hierarchy bind-mounted in (-v /sys/fs/cgroup:/sys/fs/cgroup:ro)
 * shows a root such as "/../..", yet is the whole tree; the container's
 * own mount shows "/" and is only its subtree.
 */
static bool find_mount(const char *mountinfo, char *out, size_t outlen)
{
	char line[8192], root[4096], point[4096], *sep;
	bool found = false, top = false;
	FILE *f;

	f = fopen(mountinfo ? mountinfo : "/proc/self/mountinfo", "re");
	if (!f)
		return false;
	while (!top && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep, " - cgroup2 ", 11))
			continue;
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2)
			continue;
		unoctal(root);
		unoctal(point);
		if (strlen(point) >= outlen)
			continue;
		top = path_is_top(point);
		if (top || (!found && !strcmp(root, "/"))) {
			strcpy(out, point);
			found = true;
		}
	}
	fclose(f);
	return found;
}

void nscg_init(struct nscg *cg, const char *mountinfo, const char *dir)
{
	memset(cg, 0, sizeof(*cg));
	cg->mnt_fd = -1;
	cg->scanned_ns = -1;
	if (dir) {
		if (strlen(dir) >= sizeof(cg->mnt))
			return;
		strcpy(cg->mnt, dir);
	} else if (!find_mount(mountinfo, cg->mnt, sizeof(cg->mnt))) {
		return;
	}
	cg->mnt_fd = open(cg->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->mnt_fd < 0)
		return;
	cg->v2 = true;
	cg->by_handle = is_top(cg->mnt_fd);
	rescan(cg);
}

void nscg_free(struct nscg *cg)
{
	clear(cg);
	if (cg->mnt_fd >= 0)
		close(cg->mnt_fd);
	cg->mnt_fd = -1;
}

/* Ask the kernel: open the cgroup by its handle, read the path back. */
static bool by_handle(struct nscg *cg, uint64_t id)
{
	uint64_t buf[sizeof(struct file_handle) / 8 + 2];
	struct file_handle *fh = (struct file_handle *)buf;
	char link[64], path[4096];
	size_t mlen = strlen(cg->mnt);
	struct stat st;
	ssize_t n;
	int fd;

	fh->handle_bytes = 8;
	fh->handle_type = NSCG_FILEID_KERNFS;
	memcpy(fh->f_handle, &id, 8);
	fd = open_by_handle_at(cg->mnt_fd, fh, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0 || fstat(fd, &st) || st.st_ino != id || !S_ISDIR(st.st_mode)) {
		close(fd);
		return false;
	}
	close(fd);
	path[n] = '\0';
	/* Under the mount: "/sys/fs/cgroup/a/b" is "/a/b". */
	if (strncmp(path, cg->mnt, mlen) ||
	    (path[mlen] != '/' && path[mlen] != '\0') ||
	    strstr(path, " (deleted)"))
		return false;
	insert(cg, id, path[mlen] ? path + mlen : "/");
	return true;
}

const char *nscg_path(struct nscg *cg, uint64_t id)
{
	struct nscg_ent *e;

	if (id == NSCG_ROOT_ID)
		return "/";
	if (!cg->v2 || !id)
		return NULL;
	e = lookup(cg, id);
	if (e)
		return e->path;
	if (cg->by_handle && by_handle(cg, id))
		return lookup(cg, id)->path;
	if (cg->scanned_ns < 0 || mono_ns() - cg->scanned_ns >= 1000000000LL) {
		rescan(cg);
		e = lookup(cg, id);
		if (e)
			return e->path;
	}
	return NULL;
}
