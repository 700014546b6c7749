// SPDX-License-Identifier: GPL-2.0
/*
 * nsinject: send uevents into a chosen network namespace through nslink.
 */
#include <getopt.h>
#include <stdio.h>

#include "nl.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: nsinject [OPTIONS] ACTION DEVPATH KEY=VALUE...\n"
"Send a uevent into a network namespace through the nslink module.\n"
"\n"
"  -V, --version    print the version, then exit\n"
"  -h, --help       this help\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'V':
			printf("nsinject %s\n", NSLINK_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'nsinject --help' for more information.\n");
			return 1;
		}
	}
	fprintf(stderr, "nsinject: injection is not available in this build\n");
	return 4;
}
