#!/bin/bash
# The Debian packages (make deb): apt installs nslink-dkms and nslink-tools,
# DKMS builds the module for the running kernel, it loads and nswatch --info
# answers; an upgrade to a newer version rebuilds the module (the old
# version's DKMS tree and source go) and the new one loads in its place;
# apt purge leaves no file of either package, no DKMS entry and no module
# behind. The packages are the ones tests/unit/check-deb builds on the host
# (make deb, and make deb DEB_VERSION=VERSION+test1 for the upgrade).
# Two DKMS builds and four depmods under TCG, past the usual 1,200 s:
# nslink-test-timeout: 2700
. "$(dirname "$0")/../lib.sh"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
new=$version+test1
kver=$(uname -r)
arch=$(dpkg --print-architecture)
debs=$TOP/build/deb
for v in "$version" "$new"; do
	for f in "nslink-dkms_${v}_all.deb" "nslink-tools_${v}_$arch.deb"; do
		if [ ! -f "$debs/$f" ]; then
			fail "no $debs/$f: build the packages first (make deb; make deb DEB_VERSION=$new), as tests/unit/check-deb does in make check"
			finish
		fi
	done
done
dkms_status() { dkms status nslink 2>/dev/null | grep -v '^readelf: Warning:'; }
# apt-get ARGS, its output shown as it comes, each line with the seconds
# since the step began (DKMS builds and depmods under TCG take minutes).
apt_do() {
	local t0=$SECONDS rc
	DEBIAN_FRONTEND=noninteractive apt-get -y --no-install-recommends -o Dpkg::Use-Pty=0 "$@" 2>&1 |
		while IFS= read -r l; do printf '    [%4d s] %s\n' $((SECONDS - t0)) "$l"; done
	rc=${PIPESTATUS[0]}
	return "$rc"
}
# man-db's trigger re-indexes every manual page at each step, minutes over
# 9p under TCG: off for this test (man -w reads the files, not the index),
# on again at the end.
mandb_auto=/var/lib/man-db/auto-update
mandb_was=no
[ -e "$mandb_auto" ] && mandb_was=yes && rm -f "$mandb_auto"
# The VM's root is this machine's, with the other targets' kernels in it
# (bookworm-backports' 6.12, the debug kernels): DKMS's postinst would build
# for the newest of them too, 5 min more a step. For this test /lib/modules
# shows the running kernel only (the mounts go at the end); that the
# package takes every kernel is DKMS's AUTOINSTALL and kernel hook, checked
# below.
all=$(ls /lib/modules | paste -sd' ')
others=$(ls /lib/modules | grep -vxF "$kver" | paste -sd' ')
mods=$(mktemp -d)
restore() {
	[ $mandb_was = yes ] && touch "$mandb_auto"
	mountpoint -q /lib/modules && umount -R /lib/modules
	mountpoint -q "$mods/$kver" && umount "$mods/$kver"
	rmdir "$mods/$kver" "$mods" 2>/dev/null
}
trap restore EXIT
trap 'exit 143' TERM
mkdir "$mods/$kver" && mount --bind "/lib/modules/$kver" "$mods/$kver" && mount --rbind "$mods" /lib/modules
check_eq "for this test /lib/modules holds the running kernel only (hidden: ${others:-none})" "$kver" "$(ls /lib/modules)"
phase_start=$(date +%s)
took() { local s=$phase_start; phase_start=$(date +%s); echo "$((phase_start - s)) s"; }
unload_module

# Install.
check "apt-get install ./nslink-dkms_${version}_all.deb ./nslink-tools_${version}_$arch.deb (DKMS builds the module)" \
	apt_do install "$debs/nslink-dkms_${version}_all.deb" "$debs/nslink-tools_${version}_$arch.deb"
echo "    install took $(took)"
out=$(dkms_status)
check "dkms status: nslink $version installed for $kver ($(head -c 200 <<<"$out"))" \
	grep -Eqx "nslink(/|, )$(re_escape "$version"), $(re_escape "$kver"), $(uname -m): installed" <<<"$out"
check_match "modinfo finds the DKMS-built module" "^/lib/modules/$(re_escape "$kver")/updates/dkms/$KO_RE\$" "$(modinfo -n nslink 2>&1)"
check "new kernels get it too: AUTOINSTALL=yes in /usr/src/nslink-$version/dkms.conf, DKMS's kernel hook in place" \
	bash -c "grep -qx 'AUTOINSTALL=\"yes\"' /usr/src/nslink-$version/dkms.conf && test -x /etc/kernel/postinst.d/dkms"
check "modprobe nslink" modprobe nslink
check_eq "the packaged module is the one loaded" "$version" "$(cat /sys/module/nslink/version 2>/dev/null)"
check_eq "nswatch is /usr/sbin/nswatch, from nslink-tools" "nslink-tools: /usr/sbin/nswatch" "$(dpkg -S /usr/sbin/nswatch 2>&1)"
check_match "nswatch --info" "^module version: $(re_escape "$version")\$" "$(/usr/sbin/nswatch --info 2>&1)"
check "man pages: man -w nswatch nsinject" bash -c "man -w nswatch nsinject >/dev/null"
check_match "nswatch.service from the package runs /usr/sbin/nswatch" '^ExecStart=/usr/sbin/nswatch -j$' "$(cat /lib/systemd/system/nswatch.service 2>&1)"
check "nswatch.service installed, not enabled" \
	bash -c '! ls /etc/systemd/system/*.wants/nswatch.service 2>/dev/null | grep -q .'
check "rmmod" rmmod nslink
check_match "resolving the family autoloads the packaged module" 'Name: nslink' "$(genl ctrl get name nslink 2>&1)"

# Upgrade, with the old module loaded: DKMS removes the old version, builds
# the new one; the package does not swap a loaded module under its
# listeners (rmmod and modprobe do, or the next boot).
took >/dev/null
check "apt-get install the newer $new (old module loaded)" \
	apt_do install "$debs/nslink-dkms_${new}_all.deb" "$debs/nslink-tools_${new}_$arch.deb"
echo "    upgrade took $(took)"
out=$(dkms_status)
check "dkms status: only $new, installed for $kver ($(head -c 200 <<<"$out"))" \
	grep -Eqx "nslink(/|, )$(re_escape "$new"), $(re_escape "$kver"), $(uname -m): installed" <<<"$out"
check_eq "one DKMS entry left" "1" "$(grep -c . <<<"$out")"
check "the old version's source and DKMS tree are gone" \
	bash -c "test ! -e /usr/src/nslink-$version && test ! -e /var/lib/dkms/nslink/$version"
check_match "the rebuilt module on disk is $new" "^$(re_escape "$new")\$" "$(modinfo -F version nslink 2>&1)"
check_eq "the old module stays loaded through the upgrade" "$version" "$(cat /sys/module/nslink/version 2>/dev/null)"
check "rmmod the old module" rmmod nslink
check "modprobe the new one" modprobe nslink
check_eq "the new module is the one loaded" "$new" "$(cat /sys/module/nslink/version 2>/dev/null)"
check_match "nswatch --info after the upgrade" "^module version: $(re_escape "$new")\$" "$(/usr/sbin/nswatch --info 2>&1)"
check "rmmod" rmmod nslink

# Purge: nothing left, of the packages' files, DKMS's or the module's.
files=$(dpkg -L nslink-dkms nslink-tools 2>/dev/null | while read -r f; do [ -d "$f" ] || echo "$f"; done)
took >/dev/null
check "apt-get purge nslink-dkms nslink-tools" apt_do purge nslink-dkms nslink-tools
echo "    purge took $(took)"
left=$(for f in $files; do [ -e "$f" ] && echo "$f"; done)
check_eq "no file of the packages left ($(wc -w <<<"$files") listed before)" "" "$left"
check_eq "dpkg knows neither package" "" "$(dpkg-query -W -f='${Package} ${Status}\n' nslink-dkms nslink-tools 2>/dev/null)"
check_eq "dkms status empty" "" "$(dkms_status)"
check_eq "no DKMS tree or source left" "" "$(ls -d /var/lib/dkms/nslink /usr/src/nslink-* 2>/dev/null)"
check_eq "no module file left" "" "$(find /lib/modules/"$kver" -name 'nslink.ko*' 2>/dev/null)"
check "modinfo no longer finds nslink" bash -c '! modinfo -n nslink >/dev/null 2>&1'
check_eq "no unit state left" "" "$(find /etc/systemd /var/lib/systemd -name 'nswatch*' -o -name 'nsinject*' -o -name 'nslink*' 2>/dev/null)"
restore
check_eq "/lib/modules shows every kernel again" "$all" "$(ls /lib/modules | paste -sd' ')"
check "no warning in the kernel log" kernel_log_clean
finish
