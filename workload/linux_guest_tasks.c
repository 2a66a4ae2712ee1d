// SPDX-License-Identifier: GPL-2.0-only
/*
 * linux_guest_tasks - the real guest's plan under its own perf record,
 * two guest processes for the KVM host to tell apart, and the way out
 * for the guest's perf data.
 *
 *  all MS: run linux_guest_load's kernel, user and timer phases, MS ms
 *    each, then "run 2*MS"; each an exit status of 0 or it stops.
 *  run MS: fork load_a, pinned to CPU 0, spinning in spin_a(), and
 *    load_b, pinned to CPU 1, spinning in spin_b(), for MS ms each (both
 *    reached through work_a()/work_b() from task_main(), with frame
 *    records: built with frame pointers), and wait for them.  Run under
 *    the guest's perf record -a --switch-events, whose switch records say
 *    which task ran on each vCPU.
 *  send FILE: copy FILE into the file window that the VMM gives the
 *    guest (vmm_file=GPA,SIZE on the kernel command line, which the
 *    kernel passes to init's environment), through /dev/mem: a header
 *    of the magic "VMM FILE" and the length, then the data, written in
 *    aligned 8-byte stores, the magic last.  Without a window it says so
 *    and exits 4 (a skip).
 *
 * usage: linux_guest_tasks all MS | run MS | send FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FILE_MAGIC	0x454c4946204d4d56ULL	/* "VMM FILE", little endian */
#define KSFT_SKIP	4

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __attribute__((noipa)) uint64_t spin_a(uint64_t x)
{
	int i;

	for (i = 0; i < 4096; i++)
		x = (x ^ (x >> 31)) * 0x9e3779b97f4a7c15ULL + i;
	return x;
}

static __attribute__((noipa)) uint64_t spin_b(uint64_t x)
{
	int i;

	for (i = 0; i < 4096; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		x ^= x >> 29;
	}
	return x;
}

static __attribute__((noipa)) unsigned long work_a(double end, uint64_t *x)
{
	unsigned long rounds = 0;

	while (now() < end) {
		*x = spin_a(*x);
		rounds++;
	}
	return rounds;
}

static __attribute__((noipa)) unsigned long work_b(double end, uint64_t *x)
{
	unsigned long rounds = 0;

	while (now() < end) {
		*x = spin_b(*x);
		rounds++;
	}
	return rounds;
}

static __attribute__((noipa)) int task_main(int which, double ms)
{
	const char *name = which ? "load_b" : "load_a";
	uint64_t x = 88172645463325252ULL;
	unsigned long rounds;
	cpu_set_t set;

	prctl(PR_SET_NAME, name);
	CPU_ZERO(&set);
	CPU_SET(which, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "%s: cannot pin to CPU %d: %s\n", name, which,
			strerror(errno));
		return 1;
	}
	if (which)
		rounds = work_b(now() + ms / 1000, &x);
	else
		rounds = work_a(now() + ms / 1000, &x);
	printf("linux_guest_tasks: %s (pid %d) on CPU %d: %lu rounds of %s\n",
	       name, getpid(), sched_getcpu(), rounds, which ? "spin_b" : "spin_a");
	return x == 42;	/* keeps the result alive: 0 */
}

static int run(double ms)
{
	int i, status, failed = 0;
	pid_t pid[2];

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fprintf(stderr, "linux_guest_tasks: needs 2 CPUs, the guest has %ld\n",
			sysconf(_SC_NPROCESSORS_ONLN));
		return 1;
	}
	fflush(stdout);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] < 0) {
			perror("linux_guest_tasks: fork");
			return 1;
		}
		if (!pid[i])
			exit(task_main(i, ms));
	}
	for (i = 0; i < 2; i++)
		if (waitpid(pid[i], &status, 0) != pid[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			failed = 1;
	return failed;
}

static int spawn(char *const argv[])
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("linux_guest_tasks: fork");
		return 1;
	}
	if (!pid) {
		execv(argv[0], argv);
		fprintf(stderr, "linux_guest_tasks: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "linux_guest_tasks: %s %s failed\n", argv[0], argv[1]);
		return 1;
	}
	return 0;
}

static int all(const char *ms)
{
	static const char *const phases[] = { "kernel", "user", "timer" };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		char *argv[] = { "/bin/linux_guest_load", (char *)phases[i], (char *)ms, NULL };

		if (spawn(argv))
			return 1;
	}
	return run(2 * atof(ms));
}

static int send(const char *path)
{
	const char *win = getenv("vmm_file");
	unsigned long long gpa, size;
	volatile uint64_t *out;
	uint64_t word;
	struct stat st;
	uint8_t *data;
	size_t i, n;
	int fd;

	if (!win || sscanf(win, "%llx,%llx", &gpa, &size) != 2) {
		printf("linux_guest_tasks: the VMM gave no file window (no vmm_file=): %s stays in the guest\n",
		       path);
		return KSFT_SKIP;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "linux_guest_tasks: %s: %s\n", path, strerror(errno));
		return 1;
	}
	n = st.st_size;
	if (n > size - 16) {
		fprintf(stderr, "linux_guest_tasks: %s is %zu bytes, the window holds %llu\n",
			path, n, size - 16);
		return 1;
	}
	data = calloc(1, n + 8);
	if (!data || read(fd, data, n) != (ssize_t)n) {
		fprintf(stderr, "linux_guest_tasks: reading %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		fprintf(stderr, "linux_guest_tasks: /dev/mem: %s\n", strerror(errno));
		return 1;
	}
	out = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, gpa);
	if (out == MAP_FAILED) {
		fprintf(stderr, "linux_guest_tasks: mapping the window at 0x%llx: %s\n",
			gpa, strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i += 8) {
		memcpy(&word, data + i, 8);
		out[2 + i / 8] = word;
	}
	out[1] = n;
	__sync_synchronize();
	out[0] = FILE_MAGIC;
	__sync_synchronize();
	printf("linux_guest_tasks: %s, %zu bytes, left in the VMM's window at 0x%llx\n",
	       path, n, gpa);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "all") && atof(argv[2]) > 0)
		return all(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "run") && atof(argv[2]) > 0)
		return run(atof(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "send"))
		return send(argv[2]);
	fprintf(stderr, "usage: linux_guest_tasks all MS | run MS | send FILE\n");
	return 2;
}
