/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * nslink: namespace-change events and uevent injection (kernel and udev
 * groups) over generic netlink.
 *
 * This header is the whole contract between the nslink kernel module and
 * userspace. The same family is described for YNL in nslink.yaml beside
 * this file.
 *
 * Family "nslink" (NSLINK_GENL_NAME), version 1 (NSLINK_GENL_VERSION).
 * Multicast group "events" (NSLINK_MCGRP_EVENTS).
 * There is no family-specific header after struct genlmsghdr.
 *
 * Commands
 * --------
 *
 * NSLINK_CMD_GET_INFO (do; any caller)
 *   Request: no attributes.
 *   Reply:
 *     NSLINK_A_INFO_VERSION       string   module version (dkms.conf's PACKAGE_VERSION)
 *     NSLINK_A_INFO_FEATURES      u64      bitmask of enum nslink_feature
 *     NSLINK_A_INFO_HOOK          string   how transitions are observed
 *                                          ("ftrace+tracepoint"), when events
 *                                          are built in
 *
 * NSLINK_CMD_GET_STATS (do; CAP_SYS_ADMIN in the initial user namespace)
 *   Request: no attributes. The reply counts every transition recorded
 *   before the request (it waits, killably, until they are sent), not
 *   those recorded while it waits.
 *   Reply:
 *     NSLINK_A_STATS_EMITTED      u64      messages (EVENT and SUMMARY)
 *                                          handed to netlink_broadcast
 *     NSLINK_A_STATS_DROPPED      u64      messages that at least one
 *                                          listener with
 *                                          NETLINK_BROADCAST_ERROR did not
 *                                          get as its receive buffer was
 *                                          full (every listener's losses:
 *                                          NSLINK_A_STATS_SUBSCRIBER); or,
 *                                          still taking its seq, it could
 *                                          not be built (no memory)
 *     NSLINK_A_STATS_SEQ          u64      last sequence number assigned
 *                                          (to EVENT and SUMMARY messages)
 *     NSLINK_A_STATS_SUMMARIZED   u64      transitions (and calls not
 *                                          followed, NSLINK_SUM_STASH) not
 *                                          sent one by one but counted in
 *                                          a SUMMARY (see "Fair sharing")
 *     NSLINK_A_STATS_SUMMARIES    u64      SUMMARY messages handed to
 *                                          netlink_broadcast (also counted
 *                                          in NSLINK_A_STATS_EMITTED)
 *     NSLINK_A_STATS_SUBSCRIBER   nest, multi   one per socket of the
 *                                          initial network namespace that is
 *                                          a member of "events" now (the
 *                                          first 64), as the kernel's socket
 *                                          diagnostics give them:
 *       NSLINK_A_SUBSCRIBER_PORTID u32     its port id
 *       NSLINK_A_SUBSCRIBER_QUEUED u32     bytes waiting in its receive
 *                                          queue
 *       NSLINK_A_SUBSCRIBER_RCVBUF u32     its receive buffer, bytes
 *       NSLINK_A_SUBSCRIBER_DROPS  u32     messages it lost to a full
 *                                          buffer since it was opened,
 *                                          whether or not it set
 *                                          NETLINK_BROADCAST_ERROR
 *     (absent where the kernel has no netlink_diag)
 *     NSLINK_A_STATS_REASONS      nest     one u64 per enum nslink_reason,
 *                                          attribute type = reason value
 *     NSLINK_A_STATS_INJECTED     u64      uevents delivered by INJECT
 *     NSLINK_A_STATS_INJECT_REFUSED u64    INJECT requests refused
 *
 * NSLINK_CMD_GET_TASKS (dump; CAP_SYS_ADMIN in the initial user namespace)
 *   The snapshot: one message per task (thread) alive and not exiting
 *   (an exiting task's EXIT event may already be at or below the dump's
 *   seq), each carrying
 *     NSLINK_A_EV_SEQ             u64      event sequence number at the
 *                                          moment the dump began; events with
 *                                          a larger seq happened after it
 *     NSLINK_A_EV_PID, _TGID, _PPID, _COMM, _UID, _CGROUP_ID   as in
 *                                          events
 *     NSLINK_A_EV_NS              nest     one NSLINK_A_NS_* nest per type,
 *                                          with NSLINK_A_NS_NEW (and
 *                                          NSLINK_A_NS_NEW_ID) only
 *   Every message of one dump carries the same NSLINK_A_EV_SEQ.
 *
 * NSLINK_CMD_EVENT (multicast on "events", kernel to userspace only)
 *   One message per transition of one task, carrying every namespace type
 *   that changed in it:
 *     NSLINK_A_EV_SEQ             u64      per-module sequence number,
 *                                          starting at 1, +1 per message
 *                                          (EVENT or SUMMARY); a gap seen
 *                                          by a listener is a loss
 *     NSLINK_A_EV_TIMESTAMP       u64      ktime_get_ns() (CLOCK_MONOTONIC)
 *     NSLINK_A_EV_REASON          u8       enum nslink_reason
 *     NSLINK_A_EV_PID             u32      task pid (thread id), init pid ns
 *     NSLINK_A_EV_TGID            u32      thread group id, init pid ns
 *     NSLINK_A_EV_PPID            u32      parent's tgid, init pid ns
 *     NSLINK_A_EV_COMM            string   task comm
 *     NSLINK_A_EV_UID             u32      real uid, in the init user ns
 *     NSLINK_A_EV_CGROUP_ID       u64      id of the task's cgroup in the
 *                                          default (v2) hierarchy: the
 *                                          kernfs id that
 *                                          name_to_handle_at() on cgroupfs,
 *                                          the st_ino of its directory and
 *                                          BPF's bpf_get_current_cgroup_id()
 *                                          give; 1 is the root cgroup (on a
 *                                          host with no cgroup v2 mounted,
 *                                          every task is there). On a clone,
 *                                          the child's; on exit, the one the
 *                                          task exits in. Present when
 *                                          NSLINK_F_CGROUP_ID is set.
 *     NSLINK_A_EV_NS              nest, multi   one per changed type:
 *       NSLINK_A_NS_TYPE          u8       enum nslink_ns_type
 *       NSLINK_A_NS_OLD           u32      inode of the old namespace; on
 *                                          clone, the parent's
 *       NSLINK_A_NS_NEW           u32      inode of the new namespace
 *                                          (absent on exit)
 *       NSLINK_A_NS_DEV           u64      device of nsfs (new_encode_dev),
 *                                          so (dev, inode) names a namespace
 *       NSLINK_A_NS_OLD_ID        u64      the old namespace's 64-bit id,
 *                                          never reused while the system
 *                                          runs (what ioctl(NS_GET_ID) on
 *                                          its nsfs file gives), where the
 *                                          kernel has such ids
 *                                          (NSLINK_F_NS_ID); absent where
 *                                          NSLINK_A_NS_OLD is
 *       NSLINK_A_NS_NEW_ID        u64      likewise for the new namespace
 *   Reasons: CLONE, sent for the child (pid, tgid, comm are the child's)
 *   once it has its pid and before it first runs, listing the types in
 *   which it differs from its parent; UNSHARE and SETNS, one event per
 *   syscall, user namespace included; EXEC, the exec-time switch of the
 *   time namespace on kernels that have one (exec_task_namespaces(), as
 *   in 6.12 and 7.x; NSLINK_F_EXEC_EVENTS says so), none on others (6.1,
 *   5.10: there a child enters the time namespace at fork); EXIT, every type with OLD only,
 *   sent as the exiting task drops its namespaces.
 *   PID and TIME are the namespaces for children (/proc/PID/ns/
 *   pid_for_children, time_for_children), except that an EXEC event's
 *   TIME is the task's own time namespace (/proc/PID/ns/time).
 *   Only callers with CAP_SYS_ADMIN in the initial user namespace may join
 *   "events"; events are multicast in the initial network namespace only.
 *   Exit events are sent only while at least one socket has asked for them
 *   with NSLINK_CMD_SUBSCRIBE.
 *   Start: a socket gets every transition made after its join
 *   (NETLINK_ADD_MEMBERSHIP) returns; the join puts the module's hooks in
 *   place before it returns (they are out while nobody listens). Like any
 *   netlink multicast, it reaches only a bound socket (a nonzero port id).
 *   Delivery: the transition is recorded in the syscall, and the message
 *   is sent from a work item about one timer tick (1 to 10 ms) later, in
 *   seq order. One datagram may hold several EVENT messages: read every
 *   message in it (NLMSG_NEXT; libnl's nl_recvmsgs does). NSLINK_A_EV_SEQ,
 *   not arrival, orders events against a GET_TASKS dump. GET_STATS sends
 *   whatever is still waiting before it answers, so its counters cover
 *   every transition made before the request.
 *
 * NSLINK_CMD_SUMMARY (multicast on "events", kernel to userspace only;
 * NSLINK_F_SUMMARY)
 *   Fair sharing. Every transition has an owner:
 *     - a task in the initial user namespace and the initial pid namespace:
 *       its real uid (NSLINK_OWNER_UID);
 *     - a task in the initial user namespace but in another pid namespace
 *       (a container without a user namespace, its root included): the
 *       outermost pid namespace below the initial one (NSLINK_OWNER_PIDNS);
 *     - a task in any other user namespace: the uid that created the
 *       outermost user namespace below the initial one (NSLINK_OWNER_UID;
 *       subordinate uids live inside that namespace, so no unprivileged
 *       user can vary it), or, where root created it (a container
 *       manager's), that namespace itself (NSLINK_OWNER_USERNS).
 *   The host's root (uid 0 in the initial user and pid namespaces) is never
 *   limited. Every other owner has its transitions sent one by one at up
 *   to the module parameter owner_rate a second on average, in bursts of
 *   up to owner_burst (defaults 1000 and 1000), and only while the ring of
 *   transitions waiting to be sent is less than three quarters full: the
 *   last quarter is the host root's. Past its share, an owner's
 *   transitions are counted, not sent, and about 100 ms after the first of
 *   them one SUMMARY names the owner and says how many there were, of
 *   which reasons, and when. So a flood costs its owner its own events and
 *   nobody else's, and every transition is sent, or counted in a summary,
 *   or lost in a gap of the sequence numbers. Owners are kept in a table
 *   of 64 slots; an owner that finds no slot it may take (those it may
 *   take hold owners over their share or with a summary waiting) shares
 *   one more, NSLINK_OWNER_OTHERS, with every other such owner.
 *   A call of unshare or setns is followed from its entry to its end with
 *   the caller's namespaces kept meanwhile ("stashed"). Tasks asleep
 *   inside the call hold theirs, and so may up to 4 tasks of each owner
 *   whose last call failed (the rest give theirs back on the way back to
 *   user space). An owner may hold 32 at most, and the owners other than
 *   the host's root 768 together (of 1024): a call past that is counted
 *   in its owner's summary with NSLINK_SUM_STASH, whether or not it then
 *   changes anything, and takes no sequence number.
 *   Message:
 *     NSLINK_A_EV_SEQ             u64      as in EVENT: a summary takes a
 *                                          sequence number of its own
 *     NSLINK_A_EV_TIMESTAMP       u64      when it was queued
 *     NSLINK_A_SUM_OWNER_KIND     u8       enum nslink_owner_kind
 *     NSLINK_A_SUM_OWNER_UID      u32      OWNER_UID: the uid (in the
 *                                          initial user namespace);
 *                                          OWNER_USERNS: its creator, 0
 *     NSLINK_A_SUM_OWNER_NS       u32      OWNER_USERNS, OWNER_PIDNS: the
 *                                          namespace's inode
 *     NSLINK_A_SUM_COUNT          u64      transitions counted here
 *     NSLINK_A_SUM_REASONS        nest     one u64 per enum nslink_reason
 *                                          with a count (attribute type =
 *                                          reason value)
 *     NSLINK_A_SUM_FIRST_TS       u64      ktime_get_ns() of the first one
 *     NSLINK_A_SUM_LAST_TS        u64      and of the last one
 *     NSLINK_A_SUM_AFTER_SEQ      u64      the last sequence number assigned
 *                                          before the first one: every
 *                                          transition counted here came
 *                                          after the message with that seq
 *                                          and before this summary
 *     NSLINK_A_SUM_CAUSES         u32      enum nslink_sum_cause bits: why
 *                                          they were not sent one by one
 *
 *   Subscribers: the hooks stay in place while any socket is a member of
 *   "events" (once a privileged join in the initial network namespace
 *   armed them), however slowly it reads and whatever its socket filter
 *   drops. A subscriber whose receive buffer is full loses the messages
 *   that do not fit and, until it has read everything queued, every
 *   message after them (netlink marks the socket congested); its next
 *   read fails with ENOBUFS, unless it set NETLINK_NO_ENOBUFS. After an
 *   ENOBUFS a subscriber keeps reading: the next message's seq, less the
 *   last one it got, less one, is the exact number lost; one that keeps a
 *   map of namespaces rebuilds it with GET_TASKS.
 *
 * NSLINK_CMD_SUBSCRIBE (do; CAP_SYS_ADMIN in the initial user namespace)
 *   Request:
 *     NSLINK_A_SUB_EXIT           u8       1: this socket wants exit events,
 *                                          0: it no longer does
 *   The request lasts as long as the sending socket; closing it withdraws
 *   it. Refused (EOPNOTSUPP) for a socket outside the initial network
 *   namespace, which would receive no events.
 *
 * NSLINK_CMD_INJECT (do; see Permission)
 *   Request:
 *     NSLINK_A_INJ_NETNS_FD       u32      fd of a network namespace
 *                                          (/run/netns/NAME, /proc/PID/ns/net)
 *     NSLINK_A_INJ_NETNS_PID      u32      pid, in the caller's pid ns, whose
 *                                          network namespace is the target
 *       Exactly one of _FD and _PID, as IFLA_NET_NS_FD and IFLA_NET_NS_PID
 *       name a network namespace to rtnetlink.
 *     NSLINK_A_INJ_UEVENT         binary, multi   one uevent each, in the
 *                                          kernel's format:
 *                                          "ACTION@DEVPATH\0KEY=VALUE\0...",
 *                                          ending in \0. At least one, at most
 *                                          NSLINK_INJECT_MAX_BATCH.
 *     NSLINK_A_INJ_GROUP          u8       enum nslink_inject_group: which
 *                                          uevent multicast group receives
 *                                          the events (optional; default
 *                                          NSLINK_INJECT_GROUP_KERNEL). See
 *                                          "The udev group" below.
 *   Validation, all events before any is sent (a batch is never half-sent):
 *     - the header is "ACTION@DEVPATH" and the first variables are
 *       ACTION=<same action> and DEVPATH=<same devpath>;
 *     - ACTION is add, remove, change, move, online, offline, bind, unbind;
 *     - DEVPATH begins with '/';
 *     - ACTION= and DEVPATH= appear only there, SUBSYSTEM= exactly once
 *       and not empty;
 *     - every variable is KEY=VALUE with a non-empty KEY;
 *     - a SEQNUM= variable from the sender is refused: the kernel assigns it;
 *     - the event plus "SEQNUM=<n>\0" fits in UEVENT_BUFFER_SIZE (2048),
 *       otherwise EINVAL with "uevent message too big".
 *   Permission: CAP_SYS_ADMIN in the user namespace that owns the target
 *   network namespace, the kernel's own rule for writing a uevent.
 *   Target errors: EBADF (fd not open), EINVAL (fd not a network
 *   namespace), ESRCH (no such pid), each with its own extack message.
 *   EOPNOTSUPP, with an extack message, when injection is off on this
 *   kernel (NSLINK_F_INJECT clear in GET_INFO): one built without
 *   CONFIG_KALLSYMS_ALL, or whose uevent sequence number failed its check.
 *   This is checked first, before permission.
 *   Refusals of one event carry the extack offset of its
 *   NSLINK_A_INJ_UEVENT attribute.
 *   Delivery: each event goes to the listeners of the target netns's
 *   uevent sockets like a kernel uevent: portid 0, group 1, SEQNUM
 *   appended from the kernel's global uevent sequence (so
 *   /sys/kernel/uevent_seqnum advances), and credentials of uid 0 / gid 0
 *   of the user namespace owning the netns. Where that namespace maps no
 *   uid 0 (or no gid 0), as in an unprivileged `unshare -U -n` with no
 *   uid_map, there is no such root: that id is sent as "none"
 *   (INVALID_UID / INVALID_GID), which every receiver reads as the
 *   overflow id (65534); never as the initial namespace's root. The SEQNUMs of one request are
 *   consecutive: they are taken, and the events sent, under the kernel's
 *   uevent lock, as kobject_uevent() does; on kernels whose uevent_seqnum
 *   is an atomic64_t and whose broadcasts take no lock (about 6.9 on),
 *   the whole range is reserved at once.
 *   Reply:
 *     NSLINK_A_INJ_SEQNUM         u64, multi   the SEQNUM of each event, in
 *                                          request order
 *   Every refusal carries an extack message.
 *
 *   The udev group (NSLINK_A_INJ_GROUP = NSLINK_INJECT_GROUP_UDEV,
 *   NSLINK_F_INJECT_UDEV in GET_INFO)
 *   NETLINK_KOBJECT_UEVENT has two groups. Group 1 carries the kernel's
 *   uevents as they happen; systemd-udevd listens there, runs its rules,
 *   and re-sends each event on group 2 with what the rules added (ID_*,
 *   DEVNAME, DEVLINKS, TAGS, ...), in libudev's format. Programs that use
 *   libudev or sd-device monitors (libinput, X, PipeWire, pyudev,
 *   `udevadm monitor --udev`) listen on group 2 only, so a container
 *   without udevd needs its events there. With this group each event is
 *   sent as udevd sends it:
 *     a 40-byte header, built by the module from the properties:
 *       char prefix[8]   "libudev\0"
 *       be32 magic       0xfeedcafe (NSLINK_UDEV_MONITOR_MAGIC)
 *       u32  header_size 40, host order
 *       u32  properties_off 40, host order
 *       u32  properties_len, host order
 *       be32 subsystem hash  MurmurHash2 (seed 0, the host's byte order,
 *                            as systemd's src/basic/MurmurHash2.c) of
 *                            SUBSYSTEM's value
 *       be32 devtype hash    the same of DEVTYPE's value; 0 without one
 *       be32 tag bloom, high and low words: for every tag in TAGS= and
 *                            CURRENT_TAGS= (":a:b:"), the bits hash & 63,
 *                            (hash >> 6) & 63, (hash >> 12) & 63 and
 *                            (hash >> 18) & 63 of a 64-bit word; 0 without
 *                            tags
 *     then the properties, "KEY=VALUE\0..." : the event's variables as
 *     given (the "ACTION@DEVPATH" header is not sent), with SEQNUM=.
 *   The module builds the header rather than checking one built by the
 *   sender: listeners filter on it in the kernel (the BPF program libudev
 *   attaches tests the hashes and the bloom), so a header that disagreed
 *   with its properties would pass events past a filter that must drop
 *   them, or hide them from one that must pass them. Built here, it always
 *   agrees; there is nothing in it to check.
 *   Validation is that of group 1, with these differences:
 *     - SEQNUM= may be given, at most once: decimal, not 0, and not above
 *       the kernel's uevent_seqnum (a udev message reports a kernel event
 *       that happened; nsinject --relay --udev passes on the SEQNUM the
 *       host's event had). Without it the module appends a new SEQNUM
 *       from the kernel's uevent sequence, as for group 1 (the injected
 *       event stands for a kernel event that had none);
 *     - every tag in TAGS= and CURRENT_TAGS= is without ' ' (sd-device
 *       drops such an event);
 *     - the header and the properties, SEQNUM included, fit in
 *       NSLINK_UDEV_BUFFER_SIZE (8192: what libudev reads; a longer message
 *       is dropped as truncated), otherwise EINVAL with
 *       "udev message too big".
 *   Properties are not otherwise interpreted: a receiver may still drop
 *   an event whose MAJOR= or IFINDEX= is not a number. Delivery is that of
 *   group 1 (portid 0, the credentials of the netns owner's root, the same
 *   permission rule, a batch sent whole or not at all) on group 2.
 *   Receivers: libudev and sd-device accept a group-2 message from any
 *   portid whose credentials say uid 0, and only while /run/udev/control
 *   exists or /dev is a devtmpfs (otherwise they do not join group 2).
 */
#ifndef _UAPI_LINUX_NSLINK_H
#define _UAPI_LINUX_NSLINK_H

#define NSLINK_GENL_NAME	"nslink"
#define NSLINK_GENL_VERSION	1
#define NSLINK_MCGRP_EVENTS	"events"

/* A uevent, SEQNUM included, must fit in the kernel's UEVENT_BUFFER_SIZE. */
#define NSLINK_UEVENT_BUFFER_SIZE	2048
#define NSLINK_INJECT_MAX_BATCH		256
/* A udev-group message, header included, must fit in libudev's buffer. */
#define NSLINK_UDEV_BUFFER_SIZE		8192
#define NSLINK_UDEV_MONITOR_MAGIC	0xfeedcafe
#define NSLINK_UDEV_HEADER_SIZE		40

/* NSLINK_A_INJ_GROUP: the NETLINK_KOBJECT_UEVENT multicast group. */
enum nslink_inject_group {
	NSLINK_INJECT_GROUP_KERNEL = 1,	/* kernel uevents */
	NSLINK_INJECT_GROUP_UDEV = 2,	/* udev's processed events, libudev format */
};

enum nslink_cmd {
	NSLINK_CMD_UNSPEC,
	NSLINK_CMD_GET_INFO,
	NSLINK_CMD_GET_STATS,
	NSLINK_CMD_GET_TASKS,
	NSLINK_CMD_EVENT,
	NSLINK_CMD_SUBSCRIBE,
	NSLINK_CMD_INJECT,
	NSLINK_CMD_SUMMARY,

	__NSLINK_CMD_MAX,
};
#define NSLINK_CMD_MAX (__NSLINK_CMD_MAX - 1)

/* NSLINK_A_INFO_FEATURES bits. */
enum nslink_feature {
	NSLINK_F_EVENTS		= 1 << 0,	/* NSLINK_CMD_EVENT on "events" */
	NSLINK_F_STATS		= 1 << 1,	/* NSLINK_CMD_GET_STATS */
	NSLINK_F_SNAPSHOT	= 1 << 2,	/* NSLINK_CMD_GET_TASKS */
	NSLINK_F_EXIT_EVENTS	= 1 << 3,	/* NSLINK_CMD_SUBSCRIBE exit */
	NSLINK_F_INJECT		= 1 << 4,	/* NSLINK_CMD_INJECT; absent when
						 * the kernel's uevent sequence
						 * number could not be found
						 * safely (INJECT then fails
						 * with EOPNOTSUPP) */
	NSLINK_F_EXEC_EVENTS	= 1 << 5,	/* NSLINK_REASON_EXEC: the kernel
						 * switches the time namespace
						 * at exec, and it is seen */
	NSLINK_F_NS_ID		= 1 << 6,	/* NSLINK_A_NS_OLD_ID, _NEW_ID:
						 * the kernel gives every
						 * namespace a 64-bit id (as
						 * from 6.18) */
	NSLINK_F_CGROUP_ID	= 1 << 7,	/* NSLINK_A_EV_CGROUP_ID */
	NSLINK_F_INJECT_UDEV	= 1 << 8,	/* NSLINK_A_INJ_GROUP: INJECT to
						 * the udev group too (set with
						 * NSLINK_F_INJECT) */
	NSLINK_F_SUMMARY	= 1 << 9,	/* fair sharing: NSLINK_CMD_SUMMARY,
						 * NSLINK_A_STATS_SUMMARIZED */
};

/* NSLINK_A_SUM_OWNER_KIND: whose transitions a SUMMARY counts. */
enum nslink_owner_kind {
	NSLINK_OWNER_UNSPEC,
	NSLINK_OWNER_UID,	/* a uid of the initial user namespace */
	NSLINK_OWNER_USERNS,	/* a user namespace root created */
	NSLINK_OWNER_PIDNS,	/* a pid namespace of the initial user ns */
	NSLINK_OWNER_OTHERS,	/* owners that found the owner table full */

	__NSLINK_OWNER_MAX,
};
#define NSLINK_OWNER_MAX (__NSLINK_OWNER_MAX - 1)

/* NSLINK_A_SUM_CAUSES bits. */
enum nslink_sum_cause {
	NSLINK_SUM_RATE		= 1 << 0,	/* over owner_rate / owner_burst */
	NSLINK_SUM_RING		= 1 << 1,	/* no room in the ring (its last
						 * quarter is the host root's) */
	NSLINK_SUM_STASH	= 1 << 2,	/* calls of unshare/setns not
						 * followed: the owner held 32
						 * stashes, or the owners but
						 * the host's root 768 (see
						 * NSLINK_CMD_SUMMARY); counted
						 * whether or not they then
						 * changed anything */
};

enum nslink_reason {
	NSLINK_REASON_UNSPEC,
	NSLINK_REASON_CLONE,
	NSLINK_REASON_UNSHARE,
	NSLINK_REASON_SETNS,
	NSLINK_REASON_EXEC,
	NSLINK_REASON_EXIT,

	__NSLINK_REASON_MAX,
};
#define NSLINK_REASON_MAX (__NSLINK_REASON_MAX - 1)

enum nslink_ns_type {
	NSLINK_NS_UNSPEC,
	NSLINK_NS_MNT,
	NSLINK_NS_UTS,
	NSLINK_NS_IPC,
	NSLINK_NS_NET,
	NSLINK_NS_PID,		/* pid namespace for children */
	NSLINK_NS_CGROUP,
	NSLINK_NS_TIME,		/* time namespace for children, see EXEC */
	NSLINK_NS_USER,

	__NSLINK_NS_MAX,
};
#define NSLINK_NS_MAX (__NSLINK_NS_MAX - 1)

/* One attribute space for the whole family; each command uses its part. */
enum nslink_attr {
	NSLINK_A_UNSPEC,
	NSLINK_A_PAD,

	NSLINK_A_INFO_VERSION,		/* string */
	NSLINK_A_INFO_FEATURES,		/* u64 */
	NSLINK_A_INFO_HOOK,		/* string */

	NSLINK_A_STATS_EMITTED,		/* u64 */
	NSLINK_A_STATS_DROPPED,		/* u64 */
	NSLINK_A_STATS_SEQ,		/* u64 */
	NSLINK_A_STATS_REASONS,		/* nest: u64 per enum nslink_reason */
	NSLINK_A_STATS_INJECTED,	/* u64 */
	NSLINK_A_STATS_INJECT_REFUSED,	/* u64 */

	NSLINK_A_EV_SEQ,		/* u64 */
	NSLINK_A_EV_TIMESTAMP,		/* u64 */
	NSLINK_A_EV_REASON,		/* u8, enum nslink_reason */
	NSLINK_A_EV_PID,		/* u32 */
	NSLINK_A_EV_TGID,		/* u32 */
	NSLINK_A_EV_PPID,		/* u32 */
	NSLINK_A_EV_COMM,		/* string */
	NSLINK_A_EV_UID,		/* u32 */
	NSLINK_A_EV_NS,			/* nest, multi: enum nslink_ns_attr */

	NSLINK_A_SUB_EXIT,		/* u8 */

	NSLINK_A_INJ_NETNS_FD,		/* u32 */
	NSLINK_A_INJ_NETNS_PID,		/* u32 */
	NSLINK_A_INJ_UEVENT,		/* binary, multi */
	NSLINK_A_INJ_SEQNUM,		/* u64, multi */

	NSLINK_A_EV_CGROUP_ID,		/* u64 */

	NSLINK_A_INJ_GROUP,		/* u8, enum nslink_inject_group */
	NSLINK_A_STATS_SUMMARIZED,	/* u64 */
	NSLINK_A_STATS_SUMMARIES,	/* u64 */
	NSLINK_A_SUM_OWNER_KIND,	/* u8, enum nslink_owner_kind */
	NSLINK_A_SUM_OWNER_UID,		/* u32 */
	NSLINK_A_SUM_OWNER_NS,		/* u32, inode */
	NSLINK_A_SUM_COUNT,		/* u64 */
	NSLINK_A_SUM_REASONS,		/* nest: u64 per enum nslink_reason */
	NSLINK_A_SUM_FIRST_TS,		/* u64 */
	NSLINK_A_SUM_LAST_TS,		/* u64 */
	NSLINK_A_SUM_AFTER_SEQ,		/* u64 */
	NSLINK_A_SUM_CAUSES,		/* u32, enum nslink_sum_cause bits */
	NSLINK_A_STATS_SUBSCRIBER,	/* nest, multi: enum nslink_subscriber_attr */

	__NSLINK_A_MAX,
};
#define NSLINK_A_MAX (__NSLINK_A_MAX - 1)

/* Inside each NSLINK_A_STATS_SUBSCRIBER nest. */
enum nslink_subscriber_attr {
	NSLINK_A_SUBSCRIBER_UNSPEC,
	NSLINK_A_SUBSCRIBER_PORTID,	/* u32 */
	NSLINK_A_SUBSCRIBER_QUEUED,	/* u32, bytes */
	NSLINK_A_SUBSCRIBER_RCVBUF,	/* u32, bytes */
	NSLINK_A_SUBSCRIBER_DROPS,	/* u32 */

	__NSLINK_A_SUBSCRIBER_MAX,
};
#define NSLINK_A_SUBSCRIBER_MAX (__NSLINK_A_SUBSCRIBER_MAX - 1)

/* Inside each NSLINK_A_EV_NS nest. */
enum nslink_ns_attr {
	NSLINK_A_NS_UNSPEC,
	NSLINK_A_NS_PAD,
	NSLINK_A_NS_TYPE,		/* u8, enum nslink_ns_type */
	NSLINK_A_NS_OLD,		/* u32, inode */
	NSLINK_A_NS_NEW,		/* u32, inode */
	NSLINK_A_NS_DEV,		/* u64, nsfs device */
	NSLINK_A_NS_OLD_ID,		/* u64, namespace id */
	NSLINK_A_NS_NEW_ID,		/* u64, namespace id */

	__NSLINK_A_NS_MAX,
};
#define NSLINK_A_NS_MAX (__NSLINK_A_NS_MAX - 1)

#endif /* _UAPI_LINUX_NSLINK_H */
