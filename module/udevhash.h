/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hashes of libudev's message header, computed as systemd computes
 * them (src/basic/MurmurHash2.c, device-monitor.c's string_hash32() and
 * string_bloom64()), so that the socket filters libudev and sd-device
 * attach pass and drop what they should. MurmurHash2 reads the string four
 * bytes at a time in the machine's own byte order: its value differs
 * between little- and big-endian machines, as systemd's does, and the
 * receiver runs on this machine.
 *
 * Needs only u32, u64, memcpy() and strchrnul(): tests/unit/test_udevhash.c
 * compiles it in userspace and checks it against the values libudev itself
 * puts into its filters.
 */
#ifndef _NSLINK_UDEVHASH_H
#define _NSLINK_UDEVHASH_H

/* MurmurHash2 of len bytes, seed 0. */
static inline u32 nslink_murmur2(const char *key, size_t len)
{
	const u32 m = 0x5bd1e995;
	const unsigned char *data = (const unsigned char *)key;
	u32 h = (u32)len, k;

	while (len >= 4) {
		memcpy(&k, data, 4);
		k *= m;
		k ^= k >> 24;
		k *= m;
		h *= m;
		h ^= k;
		data += 4;
		len -= 4;
	}
	switch (len) {
	case 3:
		h ^= (u32)data[2] << 16;
		fallthrough;
	case 2:
		h ^= (u32)data[1] << 8;
		fallthrough;
	case 1:
		h ^= data[0];
		h *= m;
	}
	h ^= h >> 13;
	h *= m;
	h ^= h >> 15;
	return h;
}

/* The four bits of the 64-bit tag bloom filter that one tag sets. */
static inline u64 nslink_tag_bloom(const char *tag, size_t len)
{
	u32 h = nslink_murmur2(tag, len);

	return (1ULL << (h & 63)) | (1ULL << ((h >> 6) & 63)) |
	       (1ULL << ((h >> 12) & 63)) | (1ULL << ((h >> 18) & 63));
}

/*
 * The bloom filter of a TAGS= or CURRENT_TAGS= value, ":a:b:": the bits
 * of every tag in it (sd-device splits it at ':' and skips empty words).
 */
static inline u64 nslink_tags_bloom(const char *val)
{
	u64 bloom = 0;
	size_t len;

	while (*val) {
		len = strchrnul(val, ':') - val;
		if (len)
			bloom |= nslink_tag_bloom(val, len);
		val += len;
		if (*val)
			val++;
	}
	return bloom;
}

#endif /* _NSLINK_UDEVHASH_H */
