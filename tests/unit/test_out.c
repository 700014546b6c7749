// SPDX-License-Identifier: GPL-2.0
/*
 * The tools' shared write and exit path (userspace/out.c), in child
 * processes whose stdout is a pipe nobody reads, a pipe whose reader is
 * gone, /dev/full, or closed.
 */
#define UNIT_NAME "out"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include "unit.h"
#include "../../userspace/out.h"

static char errbuf[512];

/* Wait up to 5 s for pid; its wait status, or -1 (then it is killed). */
static int reap(pid_t pid)
{
	int i, status;

	for (i = 0; i < 500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* The child's stderr, from the file it went to. */
static const char *child_err(int fd)
{
	ssize_t n = pread(fd, errbuf, sizeof(errbuf) - 1, 0);

	errbuf[n > 0 ? n : 0] = '\0';
	return errbuf;
}

/*
 * Run body in a child whose stdout is out_fd (closed when -1) and whose
 * stderr goes to a file; with stop_sig, send it that signal once the
 * pipe it writes (whose read end is full_rd) is full. Returns the wait
 * status; *err is what it printed on stderr.
 */
static int run(int out_fd, int full_rd, int stop_sig, void (*body)(void),
	       const char **err)
{
	char path[] = "/tmp/nslink-test-out.XXXXXX";
	int efd = mkstemp(path), status, i, queued = 0;
	pid_t pid;

	unlink(path);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(efd, STDERR_FILENO);
		if (out_fd >= 0)
			dup2(out_fd, STDOUT_FILENO);
		else
			close(STDOUT_FILENO);
		signal(SIGPIPE, SIG_DFL);	/* as a shell leaves it */
		body();
		_exit(99);
	}
	if (stop_sig) {
		/* Until the pipe is full: the child is blocked in write(). */
		for (i = 0; i < 500 && queued < 65536; i++) {
			usleep(10000);
			ioctl(full_rd, FIONREAD, &queued);
		}
		usleep(50000);
		kill(pid, stop_sig);
	}
	status = reap(pid);
	*err = child_err(efd);
	close(efd);
	return status;
}

/* What nswatch's main loop does: a line, flushed, until output ends. */
static void body_stream(void)
{
	unsigned long i;

	out_init();
	out_catch_signals();
	for (i = 0; i < 100000000 && !out_done(); i++) {
		printf("line %lu: some text to fill the pipe\n", i);
		out_flush();
	}
	_exit(out_close("t") ? 4 : (out_stopped() ? 0 : 3));
}

/* What --help does: text, then the exit path. */
static void body_help(void)
{
	out_init();
	printf("Usage: t [-h]\n");
	_exit(out_close("t") ? 4 : 0);
}

/* Waiting for input that never comes, until a signal. */
static void body_wait(void)
{
	struct pollfd pfd;
	int p[2];

	if (pipe(p))
		_exit(98);
	out_init();
	out_catch_signals();
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	while (!out_stopped())
		if (out_poll(&pfd, 1) < 0 && errno != EINTR)
			_exit(97);
	_exit(out_close("t") ? 4 : 0);
}

/* A reader gone between writes: the poll set reports it. */
static void body_pollfd(void)
{
	struct pollfd pfd = { .fd = out_pollfd(), .events = 0 };

	out_init();
	if (pfd.fd != STDOUT_FILENO)
		_exit(96);
	if (out_poll(&pfd, 1) != 1 || !(pfd.revents & (POLLERR | POLLHUP)))
		_exit(95);
	out_gone();
	printf("not written\n");
	_exit(out_close("t") ? 4 : (out_done() ? 0 : 94));
}

int main(void)
{
	const char *err;
	int p[2], st, null;

	/* SIGINT and SIGTERM while blocked writing into a full pipe. */
	if (pipe(p))
		return 1;
	st = run(p[1], p[0], SIGINT, body_stream, &err);
	CHECK(st == 0, "SIGINT while blocked in a write: exits 0 (status 0x%x)", st);
	CHECK_STR(err, "", "SIGINT while blocked in a write: nothing on stderr");
	close(p[0]);
	close(p[1]);
	if (pipe(p))
		return 1;
	st = run(p[1], p[0], SIGTERM, body_stream, &err);
	CHECK(st == 0, "SIGTERM while blocked in a write: exits 0 (status 0x%x)", st);
	CHECK_STR(err, "", "SIGTERM while blocked in a write: nothing on stderr");
	close(p[0]);
	close(p[1]);

	/* The reader gone: EPIPE is the end, not an error, and no SIGPIPE. */
	if (pipe(p))
		return 1;
	close(p[0]);
	st = run(p[1], -1, 0, body_stream, &err);
	close(p[1]);
	/* body_stream exits 3 when output ended without a signal. */
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3,
	      "reader gone while streaming: ends quietly, not by SIGPIPE (status 0x%x)", st);
	CHECK_STR(err, "", "reader gone while streaming: nothing on stderr");
	if (pipe(p))
		return 1;
	close(p[0]);
	st = run(p[1], -1, 0, body_help, &err);
	close(p[1]);
	CHECK(st == 0, "reader gone before the help text: exits 0 (status 0x%x)", st);
	CHECK_STR(err, "", "reader gone before the help text: nothing on stderr");
	if (pipe(p))
		return 1;
	close(p[0]);
	st = run(p[1], -1, 0, body_pollfd, &err);
	close(p[1]);
	CHECK(st == 0, "reader gone while waiting: the poll set says so, and it ends quietly (status 0x%x)", st);
	CHECK_STR(err, "", "reader gone while waiting: nothing on stderr");

	/* Real write errors: named, and a failure. */
	null = open("/dev/full", O_WRONLY);
	st = run(null, -1, 0, body_help, &err);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4, "/dev/full: a failure (status 0x%x)", st);
	CHECK_STR(err, "t: write error on standard output: No space left on device\n",
		  "/dev/full: the error named");
	st = run(null, -1, 0, body_stream, &err);
	close(null);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4, "/dev/full while streaming: stops, a failure (status 0x%x)", st);
	CHECK_STR(err, "t: write error on standard output: No space left on device\n",
		  "/dev/full while streaming: the error named once");
	st = run(-1, -1, 0, body_help, &err);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4, "stdout closed: a failure (status 0x%x)", st);
	CHECK_STR(err, "t: write error on standard output: Bad file descriptor\n",
		  "stdout closed: the error named");

	/* A wait ends on a signal that comes while it waits. */
	null = open("/dev/null", O_WRONLY);
	{
		pid_t pid;
		int efd;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			dup2(null, STDOUT_FILENO);
			efd = open("/dev/null", O_WRONLY);
			dup2(efd, STDERR_FILENO);
			body_wait();
		}
		usleep(200000);
		kill(pid, SIGTERM);
		st = reap(pid);
		CHECK(st == 0, "SIGTERM while waiting in out_poll: exits 0 (status 0x%x)", st);
	}
	close(null);
	UNIT_EXIT();
}
