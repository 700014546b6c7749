/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standard output for nswatch and nsinject, with every write checked, and
 * the end of the program on SIGINT/SIGTERM even while a write is blocked.
 *
 * A reader that goes away (EPIPE: `nswatch | head -1`) is a normal end,
 * as for journalctl: nothing is printed and the status is 0. Any other
 * write error (ENOSPC on /dev/full, EBADF on a closed stdout, EIO) is one
 * sentence naming it and a failure. A signal caught by out_catch_signals()
 * ends the output: a write blocked on a full pipe returns, and nothing
 * more is written.
 */
#ifndef NSLINK_OUT_H
#define NSLINK_OUT_H

#include <poll.h>
#include <stdbool.h>

/*
 * Ignore SIGPIPE and point stdout at a stream whose writes are checked
 * here (fully buffered: call out_flush() where a line must go out now).
 * Call first in main().
 */
void out_init(void);

/*
 * SIGINT and SIGTERM end the program: out_stopped() turns true, a write
 * blocked in out_flush() returns, and out_poll() returns. The two signals
 * stay blocked outside out_poll() and the writes, so that none is missed
 * between a check of out_stopped() and the wait that follows it.
 */
void out_catch_signals(void);
bool out_stopped(void);

/* poll(2), with SIGINT/SIGTERM let in for the wait only (ppoll). */
int out_poll(struct pollfd *fds, nfds_t n);

/*
 * STDOUT_FILENO when it is a pipe or a socket, whose reader going away
 * poll(2) reports as POLLERR or POLLHUP with no event asked for; else -1,
 * which poll(2) ignores. Put it in a poll set with events 0, and call
 * out_gone() when it reports.
 */
int out_pollfd(void);
/* The reader went away, as a write's EPIPE would have said. */
void out_gone(void);

/* Write what is buffered. 0, or -1 when output has ended (out_done()). */
int out_flush(void);

/* Output has ended: the reader went away, a write failed, or a signal. */
bool out_done(void);

/*
 * At exit: flush and close stdout. Returns 0 (also when the reader went
 * away or a signal stopped the program), or -1 after printing
 * "PROG: write error on standard output: REASON" on stderr.
 */
int out_close(const char *prog);

#endif /* NSLINK_OUT_H */
