// SPDX-License-Identifier: GPL-2.0
/*
 * Checked standard output: see out.h. stdout becomes a stdio stream whose
 * writes go through out_write(), so that the first error's errno is kept
 * (stdio forgets it) and a write can be given up on a signal (stdio
 * retries a partial write, blocking again).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "out.h"

static FILE *out_stdout;		/* the C library's, closed at the end */
static int out_err;			/* first write error; EINTR: a signal */
static volatile sig_atomic_t out_sig;	/* SIGINT or SIGTERM arrived */
static bool out_catching;		/* out_catch_signals() was called */
static sigset_t out_waitmask;		/* the mask with the two let in */

static void out_on_signal(int sig)
{
	(void)sig;
	out_sig = 1;
}

/* Let SIGINT/SIGTERM in around a write that may block. */
static void out_let_signals(sigset_t *old)
{
	if (out_catching)
		sigprocmask(SIG_SETMASK, &out_waitmask, old);
}

static void out_hold_signals(const sigset_t *old)
{
	if (out_catching)
		sigprocmask(SIG_SETMASK, old, NULL);
}

static ssize_t out_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;
	sigset_t old;

	(void)cookie;
	if (out_err)
		return -1;
	out_let_signals(&old);
	while (done < len) {
		ssize_t r;

		/* A signal that comes between this test and write() is
		 * seen at the next one: a write that blocks there stays
		 * blocked until the reader reads or goes away. */
		if (out_sig) {
			out_err = EINTR;
			break;
		}
		r = write(STDOUT_FILENO, buf + done, len - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			out_err = errno;
			break;
		}
		done += r;
	}
	out_hold_signals(&old);
	return done ? (ssize_t)done : -1;
}

void out_init(void)
{
	static char buf[64 * 1024];
	cookie_io_functions_t io = { .write = out_write };
	FILE *f;

	signal(SIGPIPE, SIG_IGN);
	out_stdout = stdout;
	f = fopencookie(NULL, "w", io);
	if (!f)
		return;		/* stdio's own stdout, still checked at the end */
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	stdout = f;
}

void out_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = out_on_signal };
	sigset_t both;

	/* No SA_RESTART: a blocked write or wait returns EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&both);
	sigaddset(&both, SIGINT);
	sigaddset(&both, SIGTERM);
	sigprocmask(SIG_BLOCK, &both, &out_waitmask);
	sigdelset(&out_waitmask, SIGINT);
	sigdelset(&out_waitmask, SIGTERM);
	out_catching = true;
}

bool out_stopped(void)
{
	return out_sig;
}

int out_poll(struct pollfd *fds, nfds_t n)
{
	if (!out_catching)
		return poll(fds, n, -1);
	if (out_sig) {
		errno = EINTR;
		return -1;
	}
	return ppoll(fds, n, NULL, &out_waitmask);
}

int out_pollfd(void)
{
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return -1;
	return STDOUT_FILENO;
}

void out_gone(void)
{
	if (!out_err)
		out_err = EPIPE;
}

int out_flush(void)
{
	if (fflush(stdout) == EOF && !out_err)
		out_err = errno ? errno : EIO;
	return out_done() ? -1 : 0;
}

bool out_done(void)
{
	return out_err || out_sig;
}

int out_close(const char *prog)
{
	out_flush();
	if (ferror(stdout) && !out_err)
		out_err = EIO;
	if (stdout != out_stdout && out_stdout) {
		fclose(stdout);
		stdout = out_stdout;
	}
	/* Closing reports what a file system kept for the end; a stdout
	 * closed from the start (EBADF) is an error only if written to. */
	errno = 0;
	if (fclose(stdout) == EOF && errno != EBADF && !out_err)
		out_err = errno ? errno : EIO;
	if (!out_err || out_err == EPIPE || (out_err == EINTR && out_sig))
		return 0;
	fprintf(stderr, "%s: write error on standard output: %s\n", prog,
		strerror(out_err));
	return -1;
}
