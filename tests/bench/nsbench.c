// SPDX-License-Identifier: GPL-2.0
/*
 * Measuring loops for tests/bench (compiled by the bench scripts in the VM):
 *
 *   nsbench setns N NETNS_PATH   N setns round trips: into NETNS_PATH and
 *                                back; prints ns per round trip (the
 *                                loop between the markers of kcount.c)
 *   nsbench unshare N            N times: fork, unshare(CLONE_NEWUTS) in the
 *                                child, exit, wait; prints ns per iteration
 *                                and ns per unshare call alone
 *   nsbench loop N [RATE]        unshare(CLONE_NEWUTS) N times, paced at
 *                                RATE per second if given; prints the rate
 *                                reached
 *   nsbench spawn N              fork N children that sleep until killed,
 *                                print "ready", then wait for a signal
 *   nsbench flip SECONDS         unshare(CLONE_NEWUTS) once a second
 *   nsbench poll SECONDS         scan every /proc/PID/ns link once a second, as a
 *                                poller would; prints CPU ns per scan, the
 *                                tasks scanned and changes seen
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* CPU time of the calling thread, user and system: what the workload is
 * charged, without the time it waited while a listener had the CPU. */
static long long cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The window markers of make bench-profile's qemu plugin (tests/bench/
 * kcount.c): instructions that do nothing, xchg %bx,%bx to start counting
 * and xchg %cx,%cx to write the counts out (x86 only). */
#ifdef __x86_64__
#define MARK_START() __asm__ volatile(".byte 0x66, 0x87, 0xdb" ::: "memory")
#define MARK_END() __asm__ volatile(".byte 0x66, 0x87, 0xc9" ::: "memory")
#else
#define MARK_START() do { } while (0)
#define MARK_END() do { } while (0)
#endif

static void die(const char *what)
{
	fprintf(stderr, "nsbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int bench_setns(long n, const char *path)
{
	int self = open("/proc/self/ns/net", O_RDONLY);
	int other = open(path, O_RDONLY);
	long long t0, c0;
	long i;

	if (self < 0 || other < 0)
		die("open");
	t0 = now_ns();
	c0 = cpu_ns();
	MARK_START();
	for (i = 0; i < n; i++)
		if (setns(other, CLONE_NEWNET) || setns(self, CLONE_NEWNET))
			die("setns");
	MARK_END();
	/* wall-clock and CPU time per round trip */
	printf("%.0f %.0f\n", (double)(now_ns() - t0) / n,
	       (double)(cpu_ns() - c0) / n);
	return 0;
}

static int bench_unshare(long n)
{
	long long *spent = mmap(NULL, sizeof(*spent), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long long t0;
	long i;

	if (spent == MAP_FAILED)
		die("mmap");
	*spent = 0;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			long long s = cpu_ns();

			if (unshare(CLONE_NEWUTS))
				_exit(1);
			*spent += cpu_ns() - s;	/* children run one at a time */
			_exit(0);
		}
		if (waitpid(pid, NULL, 0) < 0)
			die("waitpid");
	}
	printf("%.0f %.0f\n", (double)(now_ns() - t0) / n, (double)*spent / n);
	return 0;
}

static int bench_loop(long n, long rate)
{
	long long t0 = now_ns(), due;
	struct timespec ts;
	long i;

	for (i = 0; i < n; i++) {
		if (rate) {
			due = t0 + i * 1000000000LL / rate;
			while (now_ns() < due) {
				ts.tv_sec = 0;
				ts.tv_nsec = due - now_ns();
				if (ts.tv_nsec > 0)
					nanosleep(&ts, NULL);
			}
		}
		if (unshare(CLONE_NEWUTS))
			die("unshare");
	}
	printf("%.0f\n", n * 1e9 / (now_ns() - t0));
	return 0;
}

static __attribute__((noreturn)) void bench_spawn(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			for (;;)
				pause();
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int bench_flip(long seconds)
{
	long i;

	for (i = 0; i < seconds; i++) {
		if (unshare(CLONE_NEWUTS))
			die("unshare");
		sleep(1);
	}
	return 0;
}

/* One task's namespace links, as a poller keeps them. */
struct task_ns {
	int pid;
	char link[8][32];
};

static size_t scan(struct task_ns **out, size_t *cap)
{
	static const char *const names[8] = {
		"mnt", "uts", "ipc", "net", "pid_for_children", "cgroup",
		"time_for_children", "user",
	};
	char path[300];
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir("/proc");
	int j;
	ssize_t len;

	if (!d)
		die("opendir /proc");
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (n == *cap) {
			*cap = *cap ? 2 * *cap : 4096;
			*out = realloc(*out, *cap * sizeof(**out));
			if (!*out)
				die("realloc");
		}
		(*out)[n].pid = atoi(de->d_name);
		for (j = 0; j < 8; j++) {
			snprintf(path, sizeof(path), "/proc/%s/ns/%s", de->d_name, names[j]);
			len = readlink(path, (*out)[n].link[j], sizeof((*out)[n].link[j]) - 1);
			(*out)[n].link[j][len > 0 ? len : 0] = '\0';
		}
		n++;
	}
	closedir(d);
	return n;
}

static int bench_poll(long seconds)
{
	struct task_ns *prev = NULL, *cur = NULL;
	size_t pcap = 0, ccap = 0, pn = 0, cn, i, k;
	long long cpu = 0, c0;
	long changes = 0, s;

	for (s = 0; s <= seconds; s++) {
		c0 = cpu_ns();
		cn = scan(&cur, &ccap);
		/* Both lists are in pid order: merge them. */
		for (i = 0, k = 0; i < cn && s > 0; i++) {
			while (k < pn && prev[k].pid < cur[i].pid)
				k++;
			if (k < pn && prev[k].pid == cur[i].pid &&
			    memcmp(prev[k].link, cur[i].link, sizeof(cur[i].link)))
				changes++;
		}
		if (s > 0)
			cpu += cpu_ns() - c0;
		{
			struct task_ns *t = prev;
			size_t tc = pcap;

			prev = cur;
			pcap = ccap;
			pn = cn;
			cur = t;
			ccap = tc;
		}
		if (s < seconds)
			sleep(1);
	}
	printf("%lld %zu %ld\n", seconds ? cpu / seconds : 0, pn, changes);
	free(prev);
	free(cur);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "setns"))
		return bench_setns(atol(argv[2]), argv[3]);
	if (argc == 3 && !strcmp(argv[1], "unshare"))
		return bench_unshare(atol(argv[2]));
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "loop"))
		return bench_loop(atol(argv[2]), argc == 4 ? atol(argv[3]) : 0);
	if (argc == 3 && !strcmp(argv[1], "spawn"))
		bench_spawn(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "flip"))
		return bench_flip(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "poll"))
		return bench_poll(atol(argv[2]));
	fprintf(stderr, "usage: see the comment at the top of nsbench.c\n");
	return 2;
}
