// SPDX-License-Identifier: GPL-2.0
/*
 * nswatch's test of the generic netlink controller's notifications
 * (nl.c: nsl_family_gone): CTRL_CMD_DELFAMILY of the nslink family, by id
 * or by name, ends the watch; nothing else does.
 */
#define UNIT_NAME "nl"
#include "unit.h"
#include "../../userspace/nl.h"

/* A notification as the kernel's genl_ctrl_event() builds it. */
static struct nl_msg *ctrl_msg(uint8_t cmd, int id, const char *name)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 0, GENL_ID_CTRL, 0, 0, cmd, 2))
		return msg;
	if (id >= 0)
		nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, id);
	if (name)
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name);
	return msg;
}

static bool gone(const struct nsl *n, uint8_t cmd, int id, const char *name)
{
	struct nl_msg *msg = ctrl_msg(cmd, id, name);
	bool ret = nsl_family_gone(n, nlmsg_hdr(msg));

	nlmsg_free(msg);
	return ret;
}

int main(void)
{
	struct nsl n = { .family = 0x1a };
	struct nl_msg *msg;

	CHECK(gone(&n, CTRL_CMD_DELFAMILY, 0x1a, "nslink"),
	      "DELFAMILY of nslink, id and name: gone");
	CHECK(gone(&n, CTRL_CMD_DELFAMILY, 0x1a, NULL), "DELFAMILY by id only: gone");
	CHECK(gone(&n, CTRL_CMD_DELFAMILY, -1, "nslink"), "DELFAMILY by name only: gone");
	CHECK(!gone(&n, CTRL_CMD_DELFAMILY, 0x1b, "other"), "another family's DELFAMILY: not gone");
	CHECK(!gone(&n, CTRL_CMD_DELFAMILY, 0x1b, "nslink"),
	      "DELFAMILY of a later nslink with another id: not ours, not gone");
	CHECK(!gone(&n, CTRL_CMD_NEWFAMILY, 0x1a, "nslink"), "NEWFAMILY: not gone");
	CHECK(!gone(&n, CTRL_CMD_DELMCAST_GRP, 0x1a, "nslink"),
	      "DELMCAST_GRP (sent just before DELFAMILY): not gone yet");
	CHECK(!gone(&n, CTRL_CMD_DELFAMILY, -1, NULL), "DELFAMILY naming no family: not gone");

	/* Not from the controller at all: an nslink event of the same cmd. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x1a, 0, 0, CTRL_CMD_DELFAMILY, 1);
	nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, 0x1a);
	CHECK(!nsl_family_gone(&n, nlmsg_hdr(msg)), "a message of another family: not gone");
	nlmsg_free(msg);
	/* Truncated: a header alone. */
	msg = nlmsg_alloc();
	nlmsg_put(msg, 0, 0, GENL_ID_CTRL, 0, 0);
	CHECK(!nsl_family_gone(&n, nlmsg_hdr(msg)), "a controller message with no genl header: not gone");
	nlmsg_free(msg);
	UNIT_EXIT();
}
