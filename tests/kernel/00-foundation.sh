#!/bin/bash
# Foundation: the family as genl(8) sees it, GET_INFO through our client,
# clean unload, and 50 load/unload cycles with no warning and no leak.
. "$(dirname "$0")/../lib.sh"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")

# arm64: the kernel must have found branch target identification and
# pointer authentication on the CPU (qemu's -cpu max has both), or a green
# run says nothing of what real arm64 hardware enforces on the module. The
# kernel signs its own returns (PTR_AUTH_KERNEL); it guards its own text
# with BTI only where built with CONFIG_ARM64_BTI_KERNEL, which Debian's
# GCC-built kernels are not (tests/check's NSLINK_BREAK=bti says which).
if [ "$(uname -m)" = aarch64 ]; then
	feats=$(dmesg | sed -n 's/.*CPU features: detected: //p')
	check_match "arm64: the kernel found BTI on the CPU" '^Branch Target Identification' "$feats"
	check_match "arm64: the kernel found pointer authentication on the CPU" '^Address authentication' "$feats"
fi

check "insmod nslink.ko" load_module
out=$(genl ctrl get name nslink 2>&1)
check_match "genl sees family nslink" 'Name: nslink' "$out"
check_match "genl: version 1" 'Version: 0x1' "$out"
check_match "genl: GET_INFO command (1) listed" 'ID-0x1 ' "$out"
check_match "genl: multicast group events" 'name: events' "$out"
check_eq "modinfo version matches dkms.conf" "$version" "$(cat /sys/module/nslink/version)"

out=$("$NSWATCH" --info 2>&1)
check_match "nswatch --info reports the module version" "module version: $version" "$out"
out=$("$NSWATCH" --info --json 2>&1)
check_match "nswatch --info --json" "^\\{\"version\":\"$version\",\"features\":\\[" "$out"
out=$(as_nobody "$NSWATCH" --info 2>&1)
check_match "GET_INFO answers an unprivileged caller" "module version: $version" "$out"

check "rmmod nslink" rmmod nslink
check "family gone after rmmod" bash -c '! genl ctrl get name nslink >/dev/null 2>&1'
out=$("$NSWATCH" --info 2>&1); rc=$?
check_eq "nswatch without module: exit status 2" 2 "$rc"
check_match "nswatch without module names the fix" "modprobe nslink" "$out"

# A leak of even one small object per cycle shows in unreclaimable slab plus
# per-cpu memory; warm up first so that caches are populated. On 5.10 the
# first 50 cycles grew by 224 kB and the next two 50 by 36 and 12 kB, as
# much as a control, dummy.ko loaded and unloaded as often (40, 32 kB): the
# kernel's caches filling, not a leak. Hence 30 cycles of warm-up.
mem() { awk '/^(SUnreclaim|Percpu):/ { s += $2 } END { print s }' /proc/meminfo; }
for i in $(seq 30); do insmod "$KO" && "$NSWATCH" --info >/dev/null && rmmod nslink; done
echo 3 > /proc/sys/vm/drop_caches
before=$(mem)
ok=0
for i in $(seq 50); do
	insmod "$KO" || break
	"$NSWATCH" --info >/dev/null || break
	rmmod nslink || break
	ok=$((ok + 1))
done
check_eq "50 load/query/unload cycles" 50 "$ok"
echo 3 > /proc/sys/vm/drop_caches
sleep $(slow 1)
after=$(mem)
grow=$((after - before))
echo "slab+percpu before ${before} kB, after ${after} kB"
if have_kmemleak; then
	# KASAN's quarantine holds freed objects (up to 1/32 of memory) and
	# moves the count by hundreds of kB either way: kmemleak tells instead.
	check "no leak over 50 cycles (kmemleak: no new suspected leak; slab + percpu moved ${grow} kB)" kmemleak_clean
else
	check "no leak over 50 cycles (unreclaimable slab + percpu grew ${grow} kB, limit 256)" test "$grow" -lt 256
fi
check "no warning in the kernel log" kernel_log_clean
finish
