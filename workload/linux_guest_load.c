// SPDX-License-Identifier: GPL-2.0-only
/*
 * linux_guest_load - the work a real Linux guest does while the KVM host
 * profiles it, one phase a run:
 *  - kernel: read() 64 KiB at a time from /dev/zero, so that the guest
 *    kernel spends its time in the syscall path and the routine that
 *    clears user memory;
 *  - user: a loop in user mode, user_phase_spin();
 *  - timer: 100 us sleeps, so that the guest's timer interrupts and
 *    the idle path run.
 * It prints what it did (count and rate) and exits 0.
 *
 * usage: linux_guest_load kernel|user|timer MS
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	65536

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __attribute__((noinline)) unsigned long kernel_phase(double end)
{
	static char buf[CHUNK];
	unsigned long reads = 0;
	int fd = open("/dev/zero", O_RDONLY);

	if (fd < 0) {
		perror("linux_guest_load: /dev/zero");
		exit(1);
	}
	while (now() < end) {
		if (read(fd, buf, sizeof(buf)) != sizeof(buf)) {
			perror("linux_guest_load: read /dev/zero");
			exit(1);
		}
		reads++;
	}
	close(fd);
	return reads;
}

static __attribute__((noinline)) uint64_t user_phase_spin(uint64_t x)
{
	int i;

	for (i = 0; i < 4096; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

static __attribute__((noinline)) unsigned long user_phase(double end)
{
	uint64_t x = 88172645463325252ULL;
	unsigned long rounds = 0;

	while (now() < end) {
		x = user_phase_spin(x);
		rounds++;
	}
	/* Keep the result alive. */
	if (x == 42)
		puts("");
	return rounds;
}

static __attribute__((noinline)) unsigned long timer_phase(double end)
{
	struct timespec ts = { .tv_nsec = 100000 };
	unsigned long sleeps = 0;

	while (now() < end) {
		nanosleep(&ts, NULL);
		sleeps++;
	}
	return sleeps;
}

int main(int argc, char **argv)
{
	double start, ms;
	unsigned long n;

	if (argc != 3 || (ms = atof(argv[2])) <= 0) {
		fprintf(stderr, "usage: linux_guest_load kernel|user|timer MS\n");
		return 2;
	}
	start = now();
	if (!strcmp(argv[1], "kernel")) {
		n = kernel_phase(start + ms / 1000);
		printf("linux_guest_load: %lu reads of 64 KiB from /dev/zero (%.0f MiB/s)\n",
		       n, n / 16.0 / (now() - start));
	} else if (!strcmp(argv[1], "user")) {
		n = user_phase(start + ms / 1000);
		printf("linux_guest_load: %lu rounds of the user loop\n", n);
	} else if (!strcmp(argv[1], "timer")) {
		n = timer_phase(start + ms / 1000);
		printf("linux_guest_load: %lu sleeps of 100 us (%.0f a second)\n",
		       n, n / (now() - start));
	} else {
		fprintf(stderr, "linux_guest_load: unknown phase '%s'\n", argv[1]);
		return 2;
	}
	return 0;
}
