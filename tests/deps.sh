#!/bin/bash
# Install the Debian packages nslink's build, demo and tests need, when they
# are missing. Run as root; otherwise it only names what is missing.
set -u
pkgs=(make gcc libc6-dev pkg-config libnl-3-dev libnl-genl-3-dev libnl-utils
      dkms kmod linux-image-amd64 linux-headers-amd64 qemu-system-x86
      busybox-static cpio xz-utils iproute2 util-linux udev procps psmisc
      clang sparse cppcheck jq python3 python3-yaml python3-jsonschema
      lxc bpftrace      # containers in 66-cgroup, the eBPF peer in make bench
      python3-pyudev libudev-dev   # udev-group receivers (46, 47) and the hash unit test
      mmdebstrap zstd    # the roots of the other kernel targets (tests/vm/mkroot)
      e2fsprogs          # the root as a disk, for kernels without 9p (tests/vm/run)
      docker.io containerd podman crun uidmap	# real engines in 67-docker, 68-podman
      prometheus prometheus-node-exporter curl	# promtool, and the scrape in 69-metrics
      build-essential dpkg-dev debhelper dh-dkms lintian)	# make deb (dpkg-checkbuilddeps asks build-essential), tests/unit/check-deb
# Docker's own engine packages (docker-ce) conflict with Debian's docker.io:
# where they are installed, the tests use them instead. A docker client that
# no package installed (say /usr/local/bin/docker) is left alone: the tests
# call the package's /usr/bin/docker.
if dpkg-query -W -f='${Status}' docker-ce 2>/dev/null | grep -q 'install ok installed'; then
	pkgs=("${pkgs[@]/docker.io}")
	pkgs=("${pkgs[@]/containerd}")
fi
missing=()
for p in "${pkgs[@]}"; do
	[ -n "$p" ] || continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "nslink: missing Debian packages: ${missing[*]}; run 'sudo tests/deps.sh' (or apt-get install them)" >&2
		exit 1
	fi
	echo "nslink: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || { echo "nslink: apt-get update failed" >&2; exit 1; }
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
		{ echo "nslink: apt-get install ${missing[*]} failed" >&2; exit 1; }
fi
# The VM's qemu: 10 or newer for multi-threaded TCG (tests/vm/qemu unpacks
# bookworm-backports' when this machine's is older).
[ "${NSLINK_VM_TCG:-multi}" = single ] || "$(dirname "$0")/vm/qemu" >/dev/null || exit 1
# The kernel's own YNL client, for tests/kernel/65-ynl.sh (tests/vm/ynl).
"$(dirname "$0")/vm/ynl" >/dev/null
