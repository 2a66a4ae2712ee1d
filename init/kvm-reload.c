// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-reload: load and unload kvm.ko N times with perf sampling running,
 * then load it once more.  Each round loads the module, creates a VM,
 * samples this task with a cycles event (exclude_guest = 0) that stays
 * enabled while the module is unloaded, and samples once more with KVM
 * gone: a perf callback left behind by the module would be called then.
 *
 * usage: kvm-reload KVM.KO ROUNDS
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	printf("kvm-reload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	if (syscall(SYS_finit_module, fd, "", 0))
		die("finit_module");
	close(fd);
}

static void spin_ms(long ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

/* 1000 Hz, or the highest rate kernel.perf_event_max_sample_rate allows. */
static unsigned int sample_freq(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_sample_rate", "r");
	unsigned int rate = 1000;

	if (f) {
		if (fscanf(f, "%u", &rate) != 1 || !rate || rate > 1000)
			rate = 1000;
		fclose(f);
	}
	return rate;
}

/* A sampling cycles event on this task, falling back to cpu-clock. */
static int sampler(void)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.freq = 1,
		.sample_freq = sample_freq(),
		.sample_type = PERF_SAMPLE_IP,
		.exclude_guest = 0,
	};
	int fd;

	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		attr.type = PERF_TYPE_SOFTWARE;
		attr.config = PERF_COUNT_SW_CPU_CLOCK;
		fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	}
	if (fd < 0)
		die("perf_event_open");
	if (mmap(NULL, 9 * getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0) == MAP_FAILED)
		die("mmap");
	return fd;
}

int main(int argc, char *argv[])
{
	int rounds, i, kvm, vm, ev;

	if (argc != 3) {
		printf("usage: kvm-reload KVM.KO ROUNDS\n");
		return 2;
	}
	rounds = atoi(argv[2]);

	for (i = 1; i <= rounds; i++) {
		load(argv[1]);
		kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
		if (kvm < 0)
			die("/dev/kvm");
		vm = ioctl(kvm, KVM_CREATE_VM, 0);
		if (vm < 0)
			die("KVM_CREATE_VM");
		close(vm);
		close(kvm);

		ev = sampler();
		spin_ms(100);
		/* The VM's last reference can go after close(): retry. */
		while (syscall(SYS_delete_module, "kvm", O_NONBLOCK)) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				die("delete_module");
			usleep(10000);
		}
		spin_ms(100);
		close(ev);

		ev = sampler();
		spin_ms(100);
		close(ev);
		printf("kvm-reload: round %d: loaded, VM created, unloaded under perf\n", i);
	}

	load(argv[1]);
	printf("kvm-reload: %d rounds, kvm.ko loaded again\n", rounds);
	return 0;
}
