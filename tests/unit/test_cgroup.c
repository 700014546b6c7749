// SPDX-License-Identifier: GPL-2.0
#define UNIT_NAME "cgroup"
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "unit.h"
#include "../../userspace/nl.h"
#include "../../userspace/nsevent.h"
#include "../../userspace/cgroup.h"

#define ID64 "3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8"

static char out[4096];

static void container(const char *path, const char *runtime, const char *id,
		      const char *pod)
{
	struct nscg_container c;
	bool found = nscg_container(path, &c);

	if (!runtime) {
		CHECK(!found && !c.runtime, "%s: no container", path);
		return;
	}
	CHECK(found, "%s: a container", path);
	CHECK_STR(c.runtime, runtime, "%s: runtime", path);
	CHECK_STR(c.id, id, "%s: id", path);
	CHECK_STR(c.pod, pod ? pod : "", "%s: pod", path);
}

/* path names runtime/id where that runtime does not put containers:
 * a claim, not a container. */
static void claimed(const char *path, const char *runtime, const char *id)
{
	struct nscg_container c;
	bool found = nscg_container(path, &c);

	CHECK(!found && c.delegated, "%s: delegated, not a container", path);
	CHECK_STR(c.runtime, runtime, "%s: claimed runtime", path);
	CHECK_STR(c.id, id, "%s: claimed id", path);
	CHECK_STR(c.pod, "", "%s: no pod for a claim", path);
}

#define USER "/user.slice/user-1000.slice/user@1000.service"
#define POD "kubepods-besteffort-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice"

/*
 * Cgroup names below a delegated subtree are chosen by whoever it is
 * delegated to: every systemd user session may make
 * user@UID.service/.../docker-ID.scope. A runtime's name counts only
 * where that runtime puts its containers, and the outermost container is
 * the one (what a container makes inside itself is its own business).
 */
static void test_trust(void)
{
	/* A user session naming its scopes after containers. */
	claimed(USER "/app.slice/docker-" ID64 ".scope", "docker", ID64);
	claimed(USER "/app.slice/machine-prod\\x2ddb.scope", "systemd-nspawn", "prod-db");
	claimed(USER "/app.slice/machine-qemu\\x2d1\\x2dvm1.scope", "libvirt", "qemu-1-vm1");
	claimed(USER "/lxc.payload.web", "lxc", "web");
	claimed(USER "/lxc/web", "lxc", "web");
	claimed(USER "/docker/" ID64, "docker", ID64);
	claimed(USER "/system.slice/docker-" ID64 ".scope", "docker", ID64);
	claimed(USER "/machine.slice/machine-web.scope", "systemd-nspawn", "web");
	claimed(USER "/kubepods.slice/" POD "/cri-containerd-" ID64 ".scope", "containerd", ID64);
	claimed(USER "/kubepods/besteffort/pod0f1e2d3c/" ID64, "cri", ID64);
	claimed(USER "/libpod_parent/libpod-" ID64, "podman", ID64);
	/* Rootless podman is a user's own container: named, not trusted. */
	claimed(USER "/user.slice/libpod-" ID64 ".scope/container", "podman", ID64);
	/* Not under the parent the runtime uses. */
	claimed("/docker-" ID64 ".scope", "docker", ID64);
	claimed("/custom.slice/docker-" ID64 ".scope", "docker", ID64);
	claimed("/system.slice/foo.service/docker/" ID64, "docker", ID64);
	claimed("/system.slice/machine-web.scope", "systemd-nspawn", "web");
	claimed("/system.slice/libpod-" ID64 ".scope", "podman", ID64);
	claimed("/system.slice/lxc.payload.web", "lxc", "web");
	claimed("/kubepods.slice/cri-containerd-" ID64 ".scope", "containerd", ID64);
	claimed("/system.slice/kubepods.slice/" POD "/crio-" ID64 ".scope", "cri-o", ID64);
	/* Inside a container: the container, whatever it names inside. */
	container("/lxc.payload.host/system.slice/docker-" ID64 ".scope", "lxc", "host", NULL);
	container("/system.slice/docker-" ID64 ".scope/docker/"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		  "docker", ID64, NULL);
	container("/machine.slice/machine-web.scope/payload/lxc.payload.x", "systemd-nspawn",
		  "web", NULL);
	/* Where the runtimes really put them. */
	container("/machine.slice/machine-libpod_pod_0123abcd.slice/libpod-" ID64 ".scope",
		  "podman", ID64, NULL);
	container("/kubepods.slice/" POD "/docker-" ID64 ".scope", "docker", ID64,
		  "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	container("/kubepods/pod0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/" ID64, "cri", ID64,
		  "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	container("/lxc.payload/web", "lxc", "web", NULL);
	/* A user's cgroups with no container name are just that. */
	container(USER "/app.slice/foo.service", NULL, NULL, NULL);
}

static void test_conventions(void)
{
	/* docker: systemd and cgroupfs drivers. */
	container("/system.slice/docker-" ID64 ".scope", "docker", ID64, NULL);
	container("/docker/" ID64, "docker", ID64, NULL);
	/* A process systemd runs inside the container's own tree. */
	container("/system.slice/docker-" ID64 ".scope/init.scope", "docker", ID64, NULL);
	/* containerd and CRI-O under Kubernetes, with the pod. */
	container("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
		  "0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/cri-containerd-" ID64 ".scope",
		  "containerd", ID64, "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	container("/kubepods.slice/kubepods-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/crio-"
		  ID64 ".scope", "cri-o", ID64, "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	container("/kubepods/besteffort/pod0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/" ID64,
		  "cri", ID64, "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	/* crio's conmon and the pod's own slice are not containers. */
	container("/kubepods.slice/kubepods-pod0f1e2d3c_4b5a.slice/crio-conmon-" ID64 ".scope",
		  NULL, NULL, NULL);
	container("/kubepods.slice/kubepods-burstable.slice", NULL, NULL, NULL);
	/* podman: rootful, cgroupfs (rootless: see test_trust). */
	container("/machine.slice/libpod-" ID64 ".scope", "podman", ID64, NULL);
	container("/libpod_parent/libpod-" ID64, "podman", ID64, NULL);
	container("/machine.slice/libpod-conmon-" ID64 ".scope", NULL, NULL, NULL);
	/* systemd-nspawn: registered with machined, or as a service. */
	container("/machine.slice/machine-web\\x2d1.scope/payload", "systemd-nspawn",
		  "web-1", NULL);
	container("/machine.slice/machine-web.scope/payload/system.slice/cron.service",
		  "systemd-nspawn", "web", NULL);
	container("/machine.slice/systemd-nspawn@db.service/payload", "systemd-nspawn",
		  "db", NULL);
	/* libvirt's machines. */
	container("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/vcpu0",
		  "libvirt", "qemu-1-vm1", NULL);
	/* LXC 4 on (and Incus), legacy LXC; not the monitor. */
	container("/lxc.payload.web", "lxc", "web", NULL);
	container("/lxc.payload.web/system.slice/ssh.service", "lxc", "web", NULL);
	container("/lxc/old", "lxc", "old", NULL);
	container("/lxc.monitor.web", NULL, NULL, NULL);
	/* Not containers. */
	container("/", NULL, NULL, NULL);
	container("/system.slice/ssh.service", NULL, NULL, NULL);
	container("/user.slice/user-0.slice/session-3.scope", NULL, NULL, NULL);
	container("/system.slice/docker-3f2a.scope", NULL, NULL, NULL);
	container("/machine.slice/machine-.scope", NULL, NULL, NULL);
	container("/system.slice/system-systemd\\x2dnspawn.slice/systemd-nspawn@.service",
		  NULL, NULL, NULL);
	container("/system.slice/docker-" ID64 "X.scope", NULL, NULL, NULL);
	container("/docker/" "3F2A9C1B7D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8",
		  NULL, NULL, NULL);
	container(NULL, NULL, NULL, NULL);
}

static void test_short(void)
{
	struct nscg_container c;
	char buf[300];

	nscg_container("/docker/" ID64, &c);
	nscg_container_short(&c, buf, sizeof(buf));
	CHECK_STR(buf, "docker:3f2a9c1b7d4e", "a hex id is cut to 12 characters");
	nscg_container("/lxc.payload.a-long-container-name", &c);
	nscg_container_short(&c, buf, sizeof(buf));
	CHECK_STR(buf, "lxc:a-long-container-name", "a name is kept whole");
}

static void test_resolver(void)
{
	char dir[] = "/tmp/nslink-cg.XXXXXX", path[512], mi[600];
	struct stat st, st2;
	struct nscg cg;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/system.slice", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/system.slice/docker-%s.scope", dir, ID64);
	mkdir(path, 0755);
	stat(path, &st);
	nscg_init(&cg, NULL, dir);
	CHECK(cg.v2, "a directory given is a hierarchy");
	CHECK_STR(nscg_path(&cg, st.st_ino), "/system.slice/docker-" ID64 ".scope",
		  "a cgroup that existed at start is found");
	CHECK_STR(nscg_path(&cg, NSCG_ROOT_ID), "/", "id 1 is the root");
	/* Made after the walk: the miss walks again (at most once a second:
	 * pretend the last walk was long ago). */
	snprintf(path, sizeof(path), "%s/system.slice/new.service", dir);
	mkdir(path, 0755);
	stat(path, &st2);
	cg.scanned_ns = -1;
	CHECK_STR(nscg_path(&cg, st2.st_ino), "/system.slice/new.service",
		  "a cgroup made since is found by walking again");
	/* Removed after the walk: still known (cgroup ids are never reused;
	 * tmpfs inodes are, so nothing is made after this). */
	snprintf(path, sizeof(path), "%s/system.slice/docker-%s.scope", dir, ID64);
	rmdir(path);
	CHECK_STR(nscg_path(&cg, st.st_ino), "/system.slice/docker-" ID64 ".scope",
		  "a cgroup removed since is still named");
	snprintf(path, sizeof(path), "%s/system.slice/new.service", dir);
	CHECK(nscg_path(&cg, 0x7fffffff00ULL) == NULL, "an unknown id is NULL");
	CHECK(nscg_path(&cg, 0x7fffffff01ULL) == NULL,
	      "and a second miss within a second does not walk again");
	rmdir(path);
	snprintf(path, sizeof(path), "%s/system.slice", dir);
	rmdir(path);
	rmdir(dir);
	nscg_free(&cg);

	/* mountinfo: the cgroup2 mount whose root is "/", escapes undone;
	 * none at all: a v1-only host. */
	snprintf(mi, sizeof(mi), "%s.mi", dir);
	f = fopen(mi, "w");
	fprintf(f, "25 1 0:22 / /sys/fs/cgroup/unified rw - tmpfs tmpfs rw\n"
		   "26 1 0:23 /sub /elsewhere rw - cgroup2 cgroup2 rw\n"
		   "27 1 0:23 / /nonexistent\\040dir rw,nosuid shared:9 - cgroup2 cgroup2 rw\n");
	fclose(f);
	nscg_init(&cg, mi, NULL);
	CHECK_STR(cg.mnt, "/nonexistent dir", "mountinfo: the cgroup2 mount of the root, unescaped");
	CHECK(!cg.v2, "a mount point that cannot be opened is not used");
	nscg_free(&cg);
	/* This machine's own cgroup2 mount of the hierarchy's root, if any. */
	char top_mount[512] = "", line[1024], root[512], point[512];
	const char *dir_parent = "/tmp";
	FILE *self = fopen("/proc/self/mountinfo", "re");

	while (self && !top_mount[0] && fgets(line, sizeof(line), self))
		if (strstr(line, " - cgroup2 ") &&
		    sscanf(line, "%*s %*s %*s %511s %511s", root, point) == 2 &&
		    !strcmp(root, "/") && !strchr(point, '\\'))
			strcpy(top_mount, point);
	if (self)
		fclose(self);
	if (!top_mount[0])
		printf("note: no cgroup2 mount here: the \"/../..\" root of a real hierarchy is not checked\n");
	/* Seen from inside a cgroup namespace, a mount whose root is not "/"
	 * counts only if its directory is the hierarchy's root (kernfs id 1):
	 * a plain directory is not, and the "/" mount after it is taken. */
	f = fopen(mi, "w");
	fprintf(f, "26 1 0:23 /../.. %s rw - cgroup2 cgroup2 rw\n"
		   "27 1 0:23 / /nonexistent rw - cgroup2 cgroup2 rw\n", dir_parent);
	fclose(f);
	nscg_init(&cg, mi, NULL);
	CHECK_STR(cg.mnt, "/nonexistent", "mountinfo: a \"/../..\" root that is no cgroup root is passed over");
	nscg_free(&cg);
	/* The host's own cgroup2 mount, if it is the hierarchy's root, is
	 * taken under any root mountinfo shows for it. */
	if (top_mount[0]) {
		f = fopen(mi, "w");
		fprintf(f, "26 1 0:23 /../.. %s rw - cgroup2 cgroup2 rw\n"
			   "27 1 0:23 / /nonexistent rw - cgroup2 cgroup2 rw\n", top_mount);
		fclose(f);
		nscg_init(&cg, mi, NULL);
		CHECK_STR(cg.mnt, top_mount, "mountinfo: the hierarchy's root shown as \"/../..\" (a cgroup namespace) is taken");
		CHECK(cg.v2 && cg.by_handle, "and its ids resolve by handle");
		nscg_free(&cg);
	}
	f = fopen(mi, "w");
	fprintf(f, "25 1 0:22 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n");
	fclose(f);
	nscg_init(&cg, mi, NULL);
	CHECK(!cg.v2, "mountinfo with cgroup v1 only: no v2");
	CHECK_STR(nscg_path(&cg, NSCG_ROOT_ID), "/", "v1 only: the root is still the root");
	CHECK(nscg_path(&cg, 5) == NULL, "v1 only: nothing else is guessed");
	nscg_free(&cg);
	unlink(mi);
}

/* An event with a cgroup id and namespace ids, as the kernel sends it. */
static struct nl_msg *event_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(msg, 0, 0, 0x20, 0, 0, NSLINK_CMD_EVENT, NSLINK_GENL_VERSION);
	nla_put_u64(msg, NSLINK_A_EV_SEQ, 7);
	nla_put_u64(msg, NSLINK_A_EV_TIMESTAMP, 1000000001ULL);
	nla_put_u8(msg, NSLINK_A_EV_REASON, NSLINK_REASON_SETNS);
	nla_put_u32(msg, NSLINK_A_EV_PID, 42);
	nla_put_u32(msg, NSLINK_A_EV_TGID, 42);
	nla_put_u32(msg, NSLINK_A_EV_PPID, 1);
	nla_put_string(msg, NSLINK_A_EV_COMM, "sh");
	nla_put_u32(msg, NSLINK_A_EV_UID, 0);
	nla_put_u64(msg, NSLINK_A_EV_CGROUP_ID, 4242);
	nest = nla_nest_start(msg, NSLINK_A_EV_NS);
	nla_put_u8(msg, NSLINK_A_NS_TYPE, NSLINK_NS_NET);
	nla_put_u32(msg, NSLINK_A_NS_OLD, 100);
	nla_put_u64(msg, NSLINK_A_NS_OLD_ID, 1ULL << 40);
	nla_put_u32(msg, NSLINK_A_NS_NEW, 200);
	nla_put_u64(msg, NSLINK_A_NS_NEW_ID, (1ULL << 40) + 9);
	nla_put_u64(msg, NSLINK_A_NS_DEV, 4);
	nla_nest_end(msg, nest);
	return msg;
}

static const char *print(const struct nsev *ev, bool json)
{
	struct nsev_out o = { .json = json };
	FILE *fp = fmemopen(out, sizeof(out), "w");

	nsev_print(fp, ev, &o);
	fclose(fp);
	return out;
}

static void test_event(void)
{
	struct nl_msg *msg = event_msg();
	struct nsev_filter flt = { 0 };
	struct nsev ev;

	CHECK(nsev_parse(nlmsg_hdr(msg), &ev) == 0, "an event with ids parses");
	CHECK(ev.has_cgroup && ev.cgroup_id == 4242, "the cgroup id is read");
	CHECK(ev.ns[NSLINK_NS_NET].old_id == 1ULL << 40 &&
	      ev.ns[NSLINK_NS_NET].new_id == (1ULL << 40) + 9, "namespace ids are read");
	nlmsg_free(msg);

	/* Resolved as nsev_resolve() does, by hand. */
	ev.cgroup = "/system.slice/docker-" ID64 ".scope";
	nscg_container(ev.cgroup, &ev.ctr);
	CHECK_STR(print(&ev, true),
		  "{\"seq\":7,\"ts\":1000000001,\"reason\":\"setns\",\"pid\":42,\"tgid\":42,"
		  "\"ppid\":1,\"comm\":\"sh\",\"uid\":0,\"ns\":{\"net\":{\"old\":100,"
		  "\"old_id\":1099511627776,\"new\":200,\"new_id\":1099511627785,\"dev\":4}},"
		  "\"cgroup\":{\"id\":4242,\"path\":\"/system.slice/docker-" ID64 ".scope\"},"
		  "\"container\":{\"runtime\":\"docker\",\"id\":\"" ID64 "\"}}\n",
		  "JSON: ids, cgroup and container");
	CHECK_STR(print(&ev, false),
		  "seq=7 ts=1.000000001 reason=setns pid=42 tgid=42 ppid=1 uid=0 comm=sh"
		  " net:[100]->[200] cgroup=/system.slice/docker-" ID64 ".scope"
		  " container=docker:3f2a9c1b7d4e\n",
		  "text: cgroup path and short container");

	flt.container = "docker:3f2a9c1b";
	CHECK(nsev_match(&flt, &ev), "--container RUNTIME:prefix matches");
	flt.container = "3f2a";
	CHECK(nsev_match(&flt, &ev), "--container with 4 characters matches");
	flt.container = "3f2";
	CHECK(!nsev_match(&flt, &ev), "--container with 3 characters does not");
	flt.container = "podman:3f2a9c1b";
	CHECK(!nsev_match(&flt, &ev), "--container of another runtime does not");
	flt.container = "none";
	CHECK(!nsev_match(&flt, &ev), "--container none leaves a container's task out");

	ev.cgroup = "/";
	nscg_container(ev.cgroup, &ev.ctr);
	CHECK(nsev_match(&flt, &ev), "--container none keeps a task of the root");
	CHECK_STR(strstr(print(&ev, true), "\"cgroup\""),
		  "\"cgroup\":{\"id\":4242,\"path\":\"/\"},\"container\":null}\n",
		  "JSON: the root cgroup, no container");
	ev.cgroup = NULL;
	CHECK_STR(strstr(print(&ev, false), " cgroup="), " cgroup=id:4242\n",
		  "text: an unknown cgroup shows its id");
	ev.cgroup_v1 = true;
	CHECK_STR(strstr(print(&ev, true), "\"cgroup\""),
		  "\"cgroup\":{\"id\":4242,\"path\":null,\"v1_only\":true},\"container\":null}\n",
		  "JSON: a v1-only host says so");
	CHECK_STR(strstr(print(&ev, false), " cgroup="), " cgroup=v1-only\n",
		  "text: a v1-only host says so");

	/* A claim: no container, and --container does not believe it. */
	ev.cgroup_v1 = false;
	ev.cgroup = USER "/app.slice/docker-" ID64 ".scope";
	nscg_container(ev.cgroup, &ev.ctr);
	CHECK_STR(strstr(print(&ev, true), "\"cgroup\""),
		  "\"cgroup\":{\"id\":4242,\"path\":\"" USER "/app.slice/docker-" ID64 ".scope\"},"
		  "\"container\":null,\"delegated\":true,"
		  "\"claimed_container\":{\"runtime\":\"docker\",\"id\":\"" ID64 "\"}}\n",
		  "JSON: a claim is no container, delegated, and shown apart");
	CHECK_STR(strstr(print(&ev, false), " cgroup="),
		  " cgroup=" USER "/app.slice/docker-" ID64 ".scope delegated=docker:3f2a9c1b7d4e\n",
		  "text: a claim is delegated=, not container=");
	flt.container = "docker:3f2a9c1b";
	CHECK(!nsev_match(&flt, &ev), "--container RUNTIME:ID does not match a claim");
	flt.container = ID64;
	CHECK(!nsev_match(&flt, &ev), "--container ID does not match a claim");
	flt.container = "none";
	CHECK(nsev_match(&flt, &ev), "--container none keeps a task with a claim (no container)");
	flt.container = "delegated:docker:3f2a";
	CHECK(nsev_match(&flt, &ev), "--container delegated:RUNTIME:ID matches the claim");
	flt.container = "delegated:3f2a9c";
	CHECK(nsev_match(&flt, &ev), "--container delegated:ID matches the claim");
	flt.container = "delegated:lxc:3f2a9c";
	CHECK(!nsev_match(&flt, &ev), "--container delegated: of another runtime does not");
	ev.cgroup = "/system.slice/docker-" ID64 ".scope";
	nscg_container(ev.cgroup, &ev.ctr);
	flt.container = "delegated:docker:3f2a";
	CHECK(!nsev_match(&flt, &ev), "--container delegated: does not match a real container");
	CHECK(strstr(print(&ev, true), "delegated") == NULL, "JSON: a real container is not delegated");

	/* Strings are bytes: valid UTF-8 is kept, anything else is replaced
	 * and its bytes given beside it. */
	ev.cgroup_v1 = false;
	ev.cgroup = "/system.slice/caf\xc3\xa9.service";
	strcpy(ev.comm, "caf\xc3\xa9");
	nscg_container(ev.cgroup, &ev.ctr);
	CHECK(strstr(print(&ev, true), "\"comm\":\"caf\xc3\xa9\",\"uid\"") != NULL,
	      "JSON: a UTF-8 comm is kept as it is, no comm_raw");
	CHECK_STR(strstr(out, "\"cgroup\""),
		  "\"cgroup\":{\"id\":4242,\"path\":\"/system.slice/caf\xc3\xa9.service\"},"
		  "\"container\":null}\n", "JSON: a UTF-8 cgroup path equals the real one");
	ev.cgroup = "/lxc.payload.caf\xe9";
	strcpy(ev.comm, "x\xff");
	nscg_container(ev.cgroup, &ev.ctr);
	CHECK(strstr(print(&ev, true), "\"comm\":\"x\\ufffd\",\"comm_raw\":\"78ff\",\"uid\"") != NULL,
	      "JSON: an invalid comm gets U+FFFD and comm_raw");
	CHECK_STR(strstr(out, "\"cgroup\""),
		  "\"cgroup\":{\"id\":4242,\"path\":\"/lxc.payload.caf\\ufffd\","
		  "\"path_raw\":\"2f6c78632e7061796c6f61642e636166e9\"},"
		  "\"container\":{\"runtime\":\"lxc\",\"id\":\"caf\\ufffd\",\"id_raw\":\"636166e9\"}}\n",
		  "JSON: an invalid cgroup path and container name get _raw");
}

int main(void)
{
	test_conventions();
	test_trust();
	test_short();
	test_resolver();
	test_event();
	UNIT_EXIT();
}
