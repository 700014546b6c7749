// SPDX-License-Identifier: GPL-2.0
/*
 * The hashes the module puts into libudev's header (module/udevhash.h, the
 * module's own code compiled here) against the values libudev itself
 * computes: libudev compiles a subsystem, devtype or tag match into the
 * socket filter it attaches (sd_device_monitor_filter_update()), and
 * SO_GET_FILTER reads that program back. The strings cover every length
 * modulo 4, bytes above 0x7f, and the subsystems and tags real devices have.
 */
#define UNIT_NAME "udevhash"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <libudev.h>
#include "unit.h"

typedef uint32_t u32;
typedef uint64_t u64;
#define fallthrough __attribute__((__fallthrough__))
#include "../../module/udevhash.h"

/* Offsets in libudev's header of what its filter loads. */
enum { OFF_SUBSYSTEM = 24, OFF_DEVTYPE = 28, OFF_BLOOM_HI = 32, OFF_BLOOM_LO = 36 };

struct libudev_values {
	u32 subsystem, devtype, bloom_hi, bloom_lo;
};

/* The constant the filter compares with what it loads from offset off:
 * the k of the instruction after the load. */
static int filter_constant(const struct sock_filter *f, unsigned int n,
			   unsigned int off, u32 *k)
{
	unsigned int i;

	for (i = 0; i + 1 < n; i++) {
		if (f[i].code == (BPF_LD | BPF_W | BPF_ABS) && f[i].k == off) {
			*k = f[i + 1].k;
			return 0;
		}
	}
	return -1;
}

/* What libudev computes for s as a subsystem, as a devtype and as a tag. */
static int libudev_hashes(struct udev *udev, const char *s, struct libudev_values *v)
{
	struct udev_monitor *mon = udev_monitor_new_from_netlink(udev, "udev");
	struct sock_filter f[512];
	socklen_t n = 512;	/* SO_GET_FILTER counts instructions */
	int ret = -1;

	if (!mon)
		return -1;
	if (udev_monitor_filter_add_match_subsystem_devtype(mon, s, s) >= 0 &&
	    udev_monitor_filter_add_match_tag(mon, s) >= 0 &&
	    udev_monitor_filter_update(mon) >= 0 &&
	    getsockopt(udev_monitor_get_fd(mon), SOL_SOCKET, SO_GET_FILTER, f, &n) == 0 &&
	    !filter_constant(f, n, OFF_SUBSYSTEM, &v->subsystem) &&
	    !filter_constant(f, n, OFF_DEVTYPE, &v->devtype) &&
	    !filter_constant(f, n, OFF_BLOOM_HI, &v->bloom_hi) &&
	    !filter_constant(f, n, OFF_BLOOM_LO, &v->bloom_lo))
		ret = 0;
	udev_monitor_unref(mon);
	return ret;
}

int main(void)
{
	static const char *const strings[] = {
		"", "a", "ab", "abc", "abcd", "abcde", "net", "input", "block",
		"disk", "partition", "usb", "usb_device", "drm", "sound", "hidraw",
		"seat", "uaccess", "systemd", "master-of-seat", "nslink-test",
		"power_supply", "\xc3\xa9t\xc3\xa9", "\xff\xfe\x80", "x\x90yz\xa0",
		"a-rather-long-subsystem-name-of-forty-one-chars",
	};
	struct udev *udev = udev_new();
	unsigned int i;

	CHECK(udev, "libudev: udev_new()");
	if (!udev)
		UNIT_EXIT();
	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		const char *s = strings[i];
		struct libudev_values v;
		u64 bloom = nslink_tag_bloom(s, strlen(s));

		if (libudev_hashes(udev, s, &v)) {
			CHECK(0, "libudev's filter for '%s' could be read back (SO_GET_FILTER)", s);
			continue;
		}
		CHECK(nslink_murmur2(s, strlen(s)) == v.subsystem,
		      "subsystem hash of '%s' (length %zu): 0x%08x, libudev 0x%08x",
		      s, strlen(s), nslink_murmur2(s, strlen(s)), v.subsystem);
		CHECK(nslink_murmur2(s, strlen(s)) == v.devtype,
		      "devtype hash of '%s' is libudev's", s);
		CHECK((u32)(bloom >> 32) == v.bloom_hi && (u32)bloom == v.bloom_lo,
		      "tag bloom of '%s': 0x%016llx, libudev 0x%08x%08x", s,
		      (unsigned long long)bloom, v.bloom_hi, v.bloom_lo);
	}
	/* TAGS= values: empty words skipped, every tag's bits. */
	CHECK(nslink_tags_bloom(":seat:uaccess:") ==
	      (nslink_tag_bloom("seat", 4) | nslink_tag_bloom("uaccess", 7)),
	      "TAGS=:seat:uaccess: is the bloom of seat and uaccess");
	CHECK(nslink_tags_bloom("seat::uaccess") == nslink_tags_bloom(":seat:uaccess:"),
	      "TAGS= without the outer colons, or with an empty word, is the same");
	CHECK(nslink_tags_bloom("") == 0 && nslink_tags_bloom(":::") == 0,
	      "TAGS= empty, or colons only: no bits");
	CHECK(__builtin_popcountll(nslink_tag_bloom("seat", 4)) <= 4 &&
	      __builtin_popcountll(nslink_tag_bloom("seat", 4)) >= 1,
	      "one tag sets one to four bits");
	udev_unref(udev);
	UNIT_EXIT();
}
