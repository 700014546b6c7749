# Shared by the container engine tests (67-docker.sh, 68-podman.sh): the
# engines' own binaries, their daemons started the way a host without
# systemd would (cgroupfs driver, vfs storage: no overlay on the VM's
# overlay root, no iptables, no bridge), and the image (deploy/image).

# The docker client of the engine's package, not whatever docker is first
# in PATH (a static client in /usr/local/bin, say): the package's
# /usr/bin/docker (docker.io, or Docker's docker-ce-cli).
DOCKER=/usr/bin/docker
DOCKERD=/usr/sbin/dockerd	# docker.io; docker-ce's is in /usr/bin
[ -x "$DOCKERD" ] || DOCKERD=/usr/bin/dockerd
PODMAN=/usr/bin/podman
export DOCKER PODMAN

# The container's workload: a child that unshares its uts namespace, and
# one that enters it with nsenter (setns), both children of the init.
WORKLOAD='sleep 1; unshare -u sleep 120 & u=$!; sleep 1; nsenter -t $u -u sleep 120 & wait'

# containerd_up: start containerd (its socket /run/containerd/containerd.sock)
# and wait for it; dockerd would start its own, but gives up on it after a
# fixed time that TCG can exceed.
containerd_up() {
	local i
	containerd --log-level warn > /tmp/containerd.log 2>&1 &
	CONTAINERD_PID=$!
	for i in $(seq $(slow 900)); do
		ctr version >/dev/null 2>&1 && return 0
		kill -0 "$CONTAINERD_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -20 /tmp/containerd.log
	return 1
}

# docker_up: start containerd and dockerd, and wait for them.
docker_up() {
	local i
	containerd_up || return 1
	"$DOCKERD" --containerd=/run/containerd/containerd.sock \
		--iptables=false --ip6tables=false --bridge=none \
		--storage-driver=vfs --exec-opt native.cgroupdriver=cgroupfs \
		--log-level=warn > /tmp/dockerd.log 2>&1 &
	DOCKERD_PID=$!
	for i in $(seq $(slow 900)); do
		"$DOCKER" version >/dev/null 2>&1 && return 0
		kill -0 "$DOCKERD_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -20 /tmp/dockerd.log
	return 1
}

docker_down() {
	"$DOCKER" rm -f $("$DOCKER" ps -aq) >/dev/null 2>&1
	kill "$DOCKERD_PID" 2>/dev/null
	wait "$DOCKERD_PID" 2>/dev/null
	kill "$CONTAINERD_PID" 2>/dev/null
	wait "$CONTAINERD_PID" 2>/dev/null
}

# proc_cgroup PID: the task's cgroup v2 path, as /proc/PID/cgroup says.
proc_cgroup() { sed -n 's/^0:://p' "/proc/$1/cgroup"; }

# watch_ready PID: the watcher PID has its netlink socket open (it joins
# right after); a filtered watcher shows no sentinel to wait for.
watch_ready() {
	local i
	for i in $(seq $(slow 50)); do
		ls -l /proc/$1/fd 2>/dev/null | grep -q 'socket:' && break
		sleep 0.1
	done
	sleep 0.5
}

# podman_conf: rootful podman as on a host without systemd: the cgroupfs
# manager, a file for its events, crun, vfs storage (the VM's root is an
# overlay already). Through podman's own configuration variables, so that
# deploy/image's podman import uses the same storage.
podman_conf() {
	cat > /tmp/podman-storage.conf <<'CONF'
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
CONF
	cat > /tmp/podman-containers.conf <<'CONF'
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "crun"
CONF
	export CONTAINERS_STORAGE_CONF=/tmp/podman-storage.conf
	export CONTAINERS_CONF=/tmp/podman-containers.conf
}
