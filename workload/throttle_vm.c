// SPDX-License-Identifier: GPL-2.0-only
/*
 * throttle_vm - sample a vCPU thread far faster than
 * kernel.perf_event_max_sample_rate allows and see what the guest gets.
 *
 * The guest spins for MS of its own time (the time CSR), counting loop
 * iterations, once without sampling and once with a host cycles event
 * (period PERIOD, excluding nothing) bound to the vCPU thread while the
 * sample rate limit is LIMIT/s. Each overflow interrupt taken while the
 * guest runs makes it exit: if the host PMU driver ignores throttling, the
 * interrupts go on at the full rate and take the guest's time. A thread
 * reads the ring buffer meanwhile.
 *
 * Prints
 *   @@ throttle-vm ms=MS limit=L period=P base_iters=N iters=N share=PCT
 *      samples=N samples_per_s=R throttles=N unthrottles=N inside=N lost=N
 * (inside: samples between a THROTTLE and its UNTHROTTLE, the first one
 * after the THROTTLE, of the overflow that throttled, not counted) and
 * exits 1 if the guest made no progress while sampled, the sample rate
 * is above twice the limit, or a sample arrived while the event was
 * throttled.
 *
 * usage: throttle_vm [MS [LIMIT [PERIOD]]]    (default 2000 1000 10000)
 */
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"
#include "kvm_compat.h"

#define RATE_PATH	"/proc/sys/kernel/perf_event_max_sample_rate"
#define RING_PAGES	512

/* Each round spins for ticks of guest time and reports its iterations. */
static void guest_code(uint64_t ticks)
{
	for (;;) {
		uint64_t end = csr_read(CSR_TIME) + ticks;
		uint64_t n = 0;

		while (csr_read(CSR_TIME) < end)
			n++;
		GUEST_SYNC(n);
	}
}

/* Run one round of the guest; return its loop iterations. */
static uint64_t run_guest(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	for (;;) {
		vcpu_run(vcpu);
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			return uc.args[1];
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("unexpected exit %u", vcpu->run->exit_reason);
		}
	}
}

static long rate_rw(long rate)
{
	char buf[32];
	long old;
	int fd, n;

	fd = open(RATE_PATH, O_RDWR);
	TEST_ASSERT(fd >= 0, "open %s: %s", RATE_PATH, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	TEST_ASSERT(n > 0, "read %s", RATE_PATH);
	buf[n] = '\0';
	old = strtol(buf, NULL, 10);
	if (rate > 0) {
		n = snprintf(buf, sizeof(buf), "%ld\n", rate);
		TEST_ASSERT(pwrite(fd, buf, n, 0) == n, "write %s: %s", RATE_PATH,
			    strerror(errno));
	}
	close(fd);
	return old;
}

static struct {
	struct perf_event_mmap_page *pg;
	uint64_t samples, throttles, unthrottles, inside, lost;
	bool throttled, after_throttle;
	volatile bool stop;
} ring;

static void drain(void)
{
	uint64_t size = (uint64_t)RING_PAGES * getpagesize();
	char *data = (char *)ring.pg + getpagesize();
	uint64_t head = __atomic_load_n(&ring.pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = ring.pg->data_tail;

	while (tail < head) {
		/* 8-byte aligned records: a header never wraps */
		struct perf_event_header *h = (void *)(data + tail % size);
		bool after_throttle = false;

		switch (h->type) {
		case PERF_RECORD_THROTTLE:
			ring.throttles++;
			ring.throttled = true;
			after_throttle = true;
			break;
		case PERF_RECORD_UNTHROTTLE:
			ring.unthrottles++;
			ring.throttled = false;
			break;
		case PERF_RECORD_SAMPLE:
			ring.samples++;
			if (ring.throttled && !ring.after_throttle)
				ring.inside++;
			break;
		case PERF_RECORD_LOST:
			ring.lost++;
			break;
		}
		ring.after_throttle = after_throttle;
		tail += h->size;
	}
	__atomic_store_n(&ring.pg->data_tail, tail, __ATOMIC_RELEASE);
}

static void *drainer(void *arg)
{
	while (!ring.stop) {
		usleep(10000);
		drain();
	}
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char *argv[])
{
	unsigned int ms = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000;
	long limit = argc > 2 ? strtol(argv[2], NULL, 0) : 1000;
	uint64_t period = argc > 3 ? strtoull(argv[3], NULL, 0) : 10000;
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.sample_period = period,
		.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID,
		.disabled = 1,
	};
	uint64_t freq, ticks, base_iters, iters, t0, ns;
	struct kvm_one_reg reg = {
		.id = RISCV_TIMER_REG(frequency),
		.addr = (uint64_t)&freq,
	};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	double per_s, share;
	pthread_t thread;
	long saved;
	int fd;

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	/* KVM_GET_ONE_REG itself: vcpu_get_reg() differs between 6.12 and 7.3 */
	vcpu_ioctl(vcpu, KVM_GET_ONE_REG, &reg);
	ticks = freq * ms / 1000;
	vcpu_args_set(vcpu, 1, ticks);

	base_iters = run_guest(vcpu);

	/* The event follows this thread, the one that runs the vCPU. */
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	TEST_ASSERT(fd >= 0, "perf_event_open cycles: %s", strerror(errno));
	ring.pg = mmap(NULL, (RING_PAGES + 1) * getpagesize(), PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);
	TEST_ASSERT(ring.pg != MAP_FAILED, "mmap: %s", strerror(errno));
	saved = rate_rw(limit);
	pthread_create(&thread, NULL, drainer, NULL);

	t0 = now_ns();
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	iters = run_guest(vcpu);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	ns = now_ns() - t0;

	ring.stop = true;
	pthread_join(thread, NULL);
	drain();
	rate_rw(saved);
	close(fd);
	kvm_vm_free(vm);

	per_s = ring.samples * 1e9 / ns;
	share = base_iters ? 100.0 * iters / base_iters : 0;
	printf("@@ throttle-vm ms=%u limit=%ld period=%lu base_iters=%lu iters=%lu share=%.1f samples=%lu samples_per_s=%.0f throttles=%lu unthrottles=%lu inside=%lu lost=%lu\n",
	       ms, limit, period, base_iters, iters, share, ring.samples, per_s,
	       ring.throttles, ring.unthrottles, ring.inside, ring.lost);

	if (!iters) {
		printf("throttle_vm: the guest made no progress while sampled\n");
		return 1;
	}
	if (per_s > 2.0 * limit) {
		printf("throttle_vm: %.0f samples/s, above twice the limit of %ld/s\n",
		       per_s, limit);
		return 1;
	}
	/* Where the emulated host takes few guest samples, this still tells. */
	if (ring.inside) {
		printf("throttle_vm: %lu samples while the event was throttled\n",
		       ring.inside);
		return 1;
	}
	return 0;
}
