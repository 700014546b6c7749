// SPDX-License-Identifier: GPL-2.0
/*
 * nswatch: stream namespace-change events from the nslink module.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"

static const char *prog = "nswatch";

static void usage(FILE *f)
{
	fprintf(f,
"Usage: nswatch [OPTIONS]\n"
"Stream namespace changes reported by the nslink kernel module.\n"
"\n"
"  -j, --json       JSON output\n"
"      --info       print the module's version and features, then exit\n"
"  -V, --version    print nswatch's and the module's versions, then exit\n"
"  -h, --help       this help\n"
"\n"
"Exit status: 0 success, 1 usage error, 2 module not loaded,\n"
"3 permission denied, 4 other failure.\n");
}

enum { EXIT_USAGE = 1, EXIT_NOMOD = 2, EXIT_PERM = 3, EXIT_FAIL = 4 };

static const char *const feature_names[] = {
	"events", "stats", "snapshot", "exit-events", "inject",
};

static int do_info(bool json)
{
	struct nsl_info info;
	struct nsl n;
	unsigned int i;
	bool first = true;
	int ret;

	ret = nsl_open(&n, prog);
	if (ret)
		return ret == -ENOENT ? EXIT_NOMOD : EXIT_FAIL;
	ret = nsl_get_info(&n, &info);
	if (ret) {
		nsl_perror(&n, prog, "GET_INFO", ret);
		nsl_close(&n);
		return EXIT_FAIL;
	}
	nsl_close(&n);

	if (json) {
		printf("{\"version\":");
		json_string(stdout, info.version);
		printf(",\"features\":[");
	} else {
		printf("module version: %s\nfeatures:", info.version);
	}
	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++) {
		if (!(info.features & (1ULL << i)))
			continue;
		if (json)
			printf("%s\"%s\"", first ? "" : ",", feature_names[i]);
		else
			printf(" %s", feature_names[i]);
		first = false;
	}
	if (json) {
		printf("],\"features_mask\":%llu}\n",
		       (unsigned long long)info.features);
	} else {
		printf("%s\n", first ? " none" : "");
		printf("features mask: 0x%llx\n",
		       (unsigned long long)info.features);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "info", no_argument, NULL, 'I' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, info = false;
	int c;

	while ((c = getopt_long(argc, argv, "jVh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'I':
			info = true;
			break;
		case 'V':
			printf("nswatch %s\n", NSLINK_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'nswatch --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'; try 'nswatch --help'\n",
			prog, argv[optind]);
		return EXIT_USAGE;
	}
	if (info)
		return do_info(json);

	fprintf(stderr, "%s: event streaming is not available in this build\n", prog);
	return EXIT_FAIL;
}
