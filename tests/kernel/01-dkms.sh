#!/bin/bash
# DKMS from the tree, modprobe, dkms status, autoload through the genl
# family alias, and removal that leaves nothing behind.
. "$(dirname "$0")/../lib.sh"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
kver=$(uname -r)
work=$(mktemp -d)
# Work on a copy, as a user's unpacked tarball would be.
cp -a "$TOP/dkms.conf" "$TOP/Kbuild" "$TOP/Makefile" "$TOP/module" "$TOP/include" "$work/"
rm -f "$work"/module/*.o "$work"/module/.*.cmd

check "make dkms-install (dkms add, build, install)" \
	make -C "$work" -s dkms-install KERNELRELEASE="$kver"
# dkms status, line by line, its answer on stdout: a kernel's own tools may
# add warnings of their own (6.12: "readelf: Warning: ..." on stderr). DKMS
# 3 writes "nslink/0.1.0, ...", DKMS 2 (Debian 11) "nslink, 0.1.0, ...".
dkms_status() { dkms status nslink 2>/dev/null | grep -v '^readelf: Warning:'; }
out=$(dkms_status)
check "dkms status shows nslink installed ($(head -c 200 <<<"$out"))" \
	grep -Eqx "nslink(/|, )$(re_escape "$version"), $(re_escape "$kver"), $(uname -m): installed" <<<"$out"
check "modprobe nslink" modprobe nslink
check_eq "the DKMS-built module is the one loaded" "$version" "$(cat /sys/module/nslink/version 2>/dev/null)"
check "genl ctrl get name nslink" genl ctrl get name nslink
check "rmmod" rmmod nslink
# MODULE_ALIAS_GENL_FAMILY: resolving the family loads the module.
out=$(genl ctrl get name nslink 2>&1)
check_match "resolving the family autoloads the module" 'Name: nslink' "$out"
check "module loaded by the alias" grep -q '^nslink ' /proc/modules
out=$("$NSWATCH" --info 2>&1)
check_match "nswatch --info after autoload" "module version: $version" "$out"
check "rmmod after autoload" rmmod nslink
check "make dkms-remove" make -C "$work" -s dkms-remove KERNELRELEASE="$kver"
out=$(dkms_status)
check_eq "dkms status empty after removal" "" "$out"
check "no module file left" bash -c "! find /lib/modules/$kver -name 'nslink.ko*' | grep -q ."
check "no source left in /usr/src" test ! -e "/usr/src/nslink-$version"
rm -rf "$work"
check "no warning in the kernel log" kernel_log_clean
finish
