// SPDX-License-Identifier: GPL-2.0
/*
 * udev-listen: a libudev receiver of the udev group, as libinput or X open
 * theirs (udev_monitor_new_from_netlink(udev, "udev")), for the tests.
 *
 *   udev-listen [-s SUBSYSTEM[/DEVTYPE]]... [-t TAG]...
 *
 * Adds each -s as udev_monitor_filter_add_match_subsystem_devtype() and
 * each -t as udev_monitor_filter_add_match_tag() (libudev compiles them
 * into the socket filter), then prints every device libudev hands over,
 * until killed:
 *   LIBUDEV ACTION DEVPATH (SUBSYSTEM)
 *   KEY=VALUE          every property, in libudev's order
 *   TAG=tag            every tag (udev_device_get_tags_list_entry)
 *   <blank line>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>
#include <libudev.h>

int main(int argc, char **argv)
{
	struct udev *udev = udev_new();
	struct udev_monitor *mon;
	int c;

	if (!udev || !(mon = udev_monitor_new_from_netlink(udev, "udev"))) {
		fprintf(stderr, "udev-listen: cannot make a udev monitor\n");
		return 1;
	}
	while ((c = getopt(argc, argv, "s:t:")) != -1) {
		char *slash;

		switch (c) {
		case 's':
			slash = strchr(optarg, '/');
			if (slash)
				*slash++ = '\0';
			if (udev_monitor_filter_add_match_subsystem_devtype(mon, optarg, slash) < 0)
				return 1;
			break;
		case 't':
			if (udev_monitor_filter_add_match_tag(mon, optarg) < 0)
				return 1;
			break;
		default:
			fprintf(stderr, "usage: udev-listen [-s SUBSYSTEM[/DEVTYPE]]... [-t TAG]...\n");
			return 2;
		}
	}
	if (udev_monitor_enable_receiving(mon) < 0) {
		fprintf(stderr, "udev-listen: cannot enable receiving\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		struct pollfd p = { .fd = udev_monitor_get_fd(mon), .events = POLLIN };
		struct udev_list_entry *e;
		struct udev_device *dev;

		if (poll(&p, 1, -1) < 0)
			continue;
		dev = udev_monitor_receive_device(mon);
		if (!dev)
			continue;
		printf("LIBUDEV %s %s (%s)\n", udev_device_get_action(dev),
		       udev_device_get_devpath(dev), udev_device_get_subsystem(dev));
		udev_list_entry_foreach(e, udev_device_get_properties_list_entry(dev))
			printf("%s=%s\n", udev_list_entry_get_name(e),
			       udev_list_entry_get_value(e));
		udev_list_entry_foreach(e, udev_device_get_tags_list_entry(dev))
			printf("TAG=%s\n", udev_list_entry_get_name(e));
		printf("\n");
		udev_device_unref(dev);
	}
}
