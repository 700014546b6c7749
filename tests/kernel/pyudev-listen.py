#!/usr/bin/python3
# pyudev-listen: a pyudev receiver of the udev group for the tests, as a
# Python program opens one: Monitor.from_netlink(context, "udev"), with
# filter_by(subsystem, device_type) for each -s SUBSYSTEM[/DEVTYPE] and
# filter_by_tag() for each -t TAG. Prints every device pyudev hands over,
# until killed:
#   PYUDEV ACTION DEVPATH (SUBSYSTEM)
#   KEY=VALUE     every property, sorted
#   TAG=tag       every tag, sorted
#   <blank line>
import sys

import pyudev

ctx = pyudev.Context()
mon = pyudev.Monitor.from_netlink(ctx, "udev")
args = sys.argv[1:]
while args:
    opt, val = args[0], args[1]
    args = args[2:]
    if opt == "-s":
        sub, _, devtype = val.partition("/")
        mon.filter_by(sub, devtype or None)
    elif opt == "-t":
        mon.filter_by_tag(val)
    else:
        sys.exit("usage: pyudev-listen [-s SUBSYSTEM[/DEVTYPE]]... [-t TAG]...")
mon.start()
for dev in iter(mon.poll, None):
    print(f"PYUDEV {dev.action} {dev.device_path} ({dev.subsystem})")
    for k in sorted(dev.properties):
        print(f"{k}={dev.properties[k]}")
    for t in sorted(dev.tags):
        print(f"TAG={t}")
    print(flush=True)
