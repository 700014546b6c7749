// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the command-line argument parsers: nswatch's
 * --type/--reason lists, the netns and pid targets of both tools, and
 * nsinject's ACTION DEVPATH KEY=VALUE... and --match KEY=GLOB arguments.
 * The input is split at NUL bytes into arguments; the first byte picks
 * the parser.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace/nsevent.h"
#include "../../userspace/netns.h"
#include "../../userspace/uevent.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *argv[MAX_ARGS], err[256], path[4096];
	size_t i, start = 1;
	int argc = 0;
	uint32_t mask = 0;
	pid_t pid;

	if (size < 1)
		return 0;
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 1; i <= size && argc < MAX_ARGS; i++) {
		if (copy[i] == '\0') {
			argv[argc++] = copy + start;
			start = i + 1;
		}
	}
	if (argc == 0)
		goto out;

	switch (data[0] % 4) {
	case 0:
		if (nsev_parse_list(data[0] & 4 ? NSEV_REASONS : NSEV_TYPES,
				    argv[0], &mask, err, sizeof(err)) == 0) {
			/* A list that parsed names only known values. */
			if (mask & ~((1u << ((data[0] & 4 ? NSLINK_REASON_MAX : NSLINK_NS_MAX) + 1)) - 2))
				abort();
		} else if (!err[0]) {
			abort();		/* a refusal must say why */
		}
		break;
	case 1:
		if (netns_parse_pid(argv[0], &pid) == 0 && pid <= 0)
			abort();
		if (netns_path(argv[0], path, sizeof(path)) == 0 &&
		    strnlen(path, sizeof(path)) == sizeof(path))
			abort();
		break;
	case 2:
	case 3: {
		struct uevent ev;

		if (argc < 2)
			break;
		uevent_init(&ev);
		if (uevent_begin(&ev, argv[0], argv[1]) == 0) {
			for (i = 2; i < (size_t)argc; i++)
				if (uevent_add(&ev, argv[i], strlen(argv[i])))
					break;
			if (ev.len == 0 || ev.buf[ev.len - 1])
				abort();
			(void)uevent_match(&ev, argv + 2, argc - 2);
			(void)uevent_get(&ev, argv[argc - 1]);
		}
		uevent_free(&ev);
		break;
	}
	}
out:
	free(copy);
	return 0;
}
