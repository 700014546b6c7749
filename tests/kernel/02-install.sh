#!/bin/bash
# make install: the module lands in the kernel's module tree where modprobe
# finds it, the tools and man pages under PREFIX; make uninstall removes
# the tools again.
. "$(dirname "$0")/../lib.sh"

kver=$(uname -r)
prefix=$(mktemp -d)
check "make install" make -C "$TOP" -s install KERNELRELEASE="$kver" PREFIX="$prefix"
mod=$(modinfo -n nslink 2>/dev/null)
check_match "modinfo finds the installed module" "^/lib/modules/$(re_escape "$kver")/.*/$KO_RE\$" "$mod"
check "modprobe nslink" modprobe nslink
check "the installed nswatch talks to it" "$prefix/bin/nswatch" --info
check "nsinject installed" test -x "$prefix/bin/nsinject"
for m in "$TOP"/userspace/man/*.8; do
	[ -e "$m" ] || continue
	check "man page $(basename "$m") installed" test -f "$prefix/share/man/man8/$(basename "$m")"
done
check "rmmod" rmmod nslink
check "make -C userspace uninstall" make -C "$TOP/userspace" -s uninstall PREFIX="$prefix"
check "tools gone after uninstall" test ! -e "$prefix/bin/nswatch"
rm -f "$mod"; depmod -a "$kver"
rm -rf "$prefix"
check "no warning in the kernel log" kernel_log_clean
finish
