#!/bin/bash
# The README, followed as a user would follow it: every command block of
# README.md in order, as root, from the top of the clone, on a host where
# nothing of nslink is installed yet (its Install block installs the module
# with DKMS, loads it and installs the tools), with root's usual PATH, so
# the installed tools are the ones run. Each block must succeed, and where
# the README shows what a block prints, the real output must have that
# shape (tests/readme.lib). Blocks marked "not run" are left out; every
# other block must run. NSLINK_README= names another file (to show that a
# drifted README fails).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/readme.lib"
README=${NSLINK_README:-$TOP/README.md}
name=$(basename "$README")
work=$(mktemp -d)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")

unload_module
readme_parse "$README" "$work"
check_eq "README's blocks are all marked as the tests understand them" "" "$(cat "$work/errors")"

cd "$TOP" || exit 1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
want=0 ran=0
while read -r n kind line of; do
	case $kind in
	run|native)
		want=$((want + 1))
		# DKMS builds the module under TCG: 3 min alone, 15 beside other VMs.
		readme_run "$work" "$n" "${NSLINK_TEST_TIMEOUT:-$(slow 1150)}"
		rc=$?
		ran=$((ran + 1))
		if [ $rc = 0 ]; then
			pass "$name:$line: the block ran and succeeded"
		else
			fail "$name:$line: the block failed with status $rc"
			sed 's/^/    | /' "$work/$n" | head -20
			echo "    stdout:"; tail -n 20 "$work/$n.out" | sed 's/^/    > /'
			echo "    stderr:"; tail -n 20 "$work/$n.err" | sed 's/^/    > /'
		fi ;;
	output)
		if why=$(readme_shape "$work/$n" "$work/$of.out"); then
			pass "$name:$line: the real output has the shape the README shows"
		else
			fail "$name:$line: $why"
			echo "    the real output:"; head -n 30 "$work/$of.out" | sed 's/^/    > /'
		fi ;;
	esac
done <"$work/index"
check_eq "every block not marked 'not run' ran ($want)" "$want" "$ran"
check "the README's Install left the DKMS-built nslink $version loaded" \
	test "$(cat /sys/module/nslink/version 2>/dev/null)" = "$version"

# Leave the VM as it was: the module, DKMS's copy, the tools, the files and
# namespaces the blocks made.
unload_module
# make check leaves 01-dkms to check-kernels (05-deb's package install
# builds through DKMS here): what it checked of make dkms-remove, checked
# here on the README's own install.
check "make dkms-remove" make -s dkms-remove
check_eq "dkms status empty after make dkms-remove" "" "$(dkms status nslink 2>/dev/null | grep -v '^readelf: Warning:')"
check_eq "no module file left" "" "$(find "/lib/modules/$(uname -r)" -name 'nslink.ko*' 2>/dev/null)"
check "no source left in /usr/src" test ! -e "/usr/src/nslink-$version"
make -s -C userspace uninstall >/dev/null 2>&1
rm -f events.txt event.json seen.txt capture.txt
ip netns delete blue 2>/dev/null
ip netns delete ctr1 2>/dev/null
rm -rf "$work"
check "no warning in the kernel log" kernel_log_clean
finish
