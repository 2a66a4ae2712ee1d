// SPDX-License-Identifier: GPL-2.0-only
/*
 * cross_task - a sample that perf delivers to another task's event while
 * a guest's exit interrupt is handled must not take the guest's state.
 *
 * A VM of one vCPU spins in guest kernel mode, its thread pinned to CPU
 * 0.  A second thread of this process, pinned to CPU 0 too, sleeps 1 ms
 * at a time: the host timer interrupt that ends each sleep arrives while
 * the guest runs, makes it exit, and is handled in KVM's run loop, where
 * it wakes the sleeper.  try_to_wake_up() then hits the sched_waking
 * tracepoint, whose target task is the sleeper (__perf_task()): perf
 * delivers it to the sleeper's events, with the vCPU thread as current
 * and the vCPU thread's regs.
 *
 * Two sched_waking events sample every hit (period 1) with IP, TID and
 * CALLCHAIN, neither excluding the guest:
 *  - one of the sleeper (a task event of another task than the vCPU
 *    thread, on CPU 0): none of its samples taken while the vCPU thread
 *    was current may be tagged guest, carry a guest PC or hold a guest
 *    context in its callchain;
 *  - one of CPU 0 (a CPU-wide event): its samples of the same hits are
 *    the guest's, which shows that the hits were taken in the handler
 *    of the guest's exit interrupt.
 * The sleeper's event must also have counted the hits (its count, read
 * at the end), which shows that they reached it.  Whether perf takes a
 * sample of them depends on the kernel: since upstream commit
 * c9bc1753b3cc ("perf: Fix __perf_event_overflow() vs
 * perf_remove_from_context() race"), in 6.12.118, perf_swevent_event()
 * takes no sample of an event that is not active, and a task's events
 * are active only while it runs, so the sleeper's event counts the hits
 * but samples none of them while the vCPU thread runs; before it, each
 * hit was a sample, at the vCPU thread's regs in the guest's exit
 * window.  Both are fine here: the samples are printed as figures.
 *
 * cross_task [SECONDS]	(default 3: the guest's spin, in guest time)
 *
 * Exit status 0 when every check held, 1 otherwise, 2 for usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"
#include "kvm_compat.h"

#define TRACEFS		"/sys/kernel/tracing"
#define RING_PAGES	256
/* Fewer hits than this in either event: the run could not decide. */
#define MIN_HITS	10


static int failures;

#define CHECK(cond, fmt, ...)						\
	do {								\
		if (cond) {						\
			printf("cross_task: ok: " fmt "\n", ##__VA_ARGS__); \
		} else {						\
			printf("cross_task: FAIL: " fmt "\n", ##__VA_ARGS__); \
			failures++;					\
		}							\
	} while (0)

static void guest_code(uint64_t ticks)
{
	uint64_t end = csr_read(CSR_TIME) + ticks;

	while (csr_read(CSR_TIME) < end)
		;
	GUEST_DONE();
}

static volatile int sleeper_stop;
static volatile pid_t sleeper_tid;

static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set),
		    "sched_setaffinity: %s", strerror(errno));
}

static void *sleeper(void *arg)
{
	struct timespec ts = { .tv_nsec = 1000000 };

	pin_to_cpu0();
	sleeper_tid = syscall(SYS_gettid);
	while (!sleeper_stop)
		clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	return NULL;
}

/* The perf id of sched:sched_waking, from tracefs. */
static int tracepoint_id(void)
{
	FILE *f;
	int id;

	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY) {
		printf("cross_task: FAIL: mount tracefs on %s: %s\n",
		       TRACEFS, strerror(errno));
		exit(1);
	}
	f = fopen(TRACEFS "/events/sched/sched_waking/id", "r");
	if (!f || fscanf(f, "%d", &id) != 1) {
		printf("cross_task: FAIL: no sched:sched_waking tracepoint (%s)\n",
		       strerror(errno));
		exit(1);
	}
	fclose(f);
	return id;
}

struct ring {
	const char *name;
	int fd;
	struct perf_event_mmap_page *page;
	size_t size;
};

/* The event's count: how many hits reached it, sampled or not. */
static uint64_t ring_count(struct ring *r)
{
	uint64_t count = 0;

	TEST_ASSERT(read(r->fd, &count, sizeof(count)) == sizeof(count),
		    "read of the %s event's count: %s", r->name, strerror(errno));
	return count;
}

static void ring_open(struct ring *r, const char *name, int id, pid_t pid,
		      int cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = id,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			       PERF_SAMPLE_CALLCHAIN,
		.disabled = 1,
	};

	r->name = name;
	r->fd = syscall(SYS_perf_event_open, &attr, pid, cpu, -1, 0);
	if (r->fd < 0) {
		printf("cross_task: FAIL: perf_event_open of the %s event: %s\n",
		       name, strerror(errno));
		exit(1);
	}
	r->size = RING_PAGES * getpagesize();
	r->page = mmap(NULL, r->size + getpagesize(), PROT_READ | PROT_WRITE,
		       MAP_SHARED, r->fd, 0);
	TEST_ASSERT(r->page != MAP_FAILED, "mmap of the %s ring: %s", name,
		    strerror(errno));
}

struct tally {
	unsigned int samples;	/* all of the event's samples */
	unsigned int vcpu;	/* those taken while the vCPU thread ran */
	unsigned int guest;	/* ... tagged guest */
	unsigned int guest_chain; /* ... with a guest context in the chain */
	unsigned int guest_pc;	/* ... with a PC that is not a host one */
	unsigned int malformed;	/* records whose size is not the chain's */
	unsigned int lost;
};

static bool is_guest(unsigned int misc)
{
	misc &= PERF_RECORD_MISC_CPUMODE_MASK;
	return misc == PERF_RECORD_MISC_GUEST_KERNEL ||
	       misc == PERF_RECORD_MISC_GUEST_USER;
}

static void ring_read(struct ring *r, pid_t vcpu_tid, struct tally *t)
{
	uint8_t *data = (uint8_t *)r->page + getpagesize();
	uint64_t head = READ_ONCE(r->page->data_head), tail = 0;
	uint64_t rec[3 + PERF_MAX_STACK_DEPTH + 16];

	__sync_synchronize();
	while (tail < head) {
		struct perf_event_header hdr;
		size_t len, i;
		uint64_t nr;
		bool chain = false;

		for (i = 0; i < sizeof(hdr); i++)
			((uint8_t *)&hdr)[i] = data[(tail + i) % r->size];
		TEST_ASSERT(hdr.size >= sizeof(hdr), "bad record size");
		len = min_t(size_t, hdr.size - sizeof(hdr), sizeof(rec));
		for (i = 0; i < len; i++)
			((uint8_t *)rec)[i] =
				data[(tail + sizeof(hdr) + i) % r->size];
		tail += hdr.size;

		if (hdr.type == PERF_RECORD_LOST && len >= 16) {
			t->lost += rec[1];
			continue;
		}
		if (hdr.type != PERF_RECORD_SAMPLE)
			continue;
		t->samples++;
		nr = len >= 24 ? rec[2] : 0;
		if (len < 24 || hdr.size != sizeof(hdr) + 24 + 8 * nr) {
			t->malformed++;
			continue;
		}
		/* PERF_SAMPLE_TID: pid, then tid, in one word. */
		if ((pid_t)(rec[1] >> 32) != vcpu_tid)
			continue;
		t->vcpu++;
		for (i = 0; i < nr && 3 + i < ARRAY_SIZE(rec); i++)
			if (rec[3 + i] == PERF_CONTEXT_GUEST_KERNEL ||
			    rec[3 + i] == PERF_CONTEXT_GUEST_USER)
				chain = true;
		t->guest += is_guest(hdr.misc);
		t->guest_chain += chain;
		/* The host's kernel runs in the upper half. */
		t->guest_pc += (int64_t)rec[0] >= 0;
	}
}

int main(int argc, char *argv[])
{
	struct tally task = {}, cpu = {};
	uint64_t hits;
	struct ring task_ring, cpu_ring;
	unsigned int seconds = 3;
	struct kvm_vcpu *vcpu;
	uint64_t freq, ticks;
	struct kvm_vm *vm;
	pthread_t thread;
	struct ucall uc;
	pid_t vcpu_tid;
	int id;

	if (argc > 2 || (argc == 2 && atoi(argv[1]) <= 0)) {
		fprintf(stderr, "usage: cross_task [SECONDS]\n");
		return 2;
	}
	if (argc == 2)
		seconds = atoi(argv[1]);

	pin_to_cpu0();
	vcpu_tid = syscall(SYS_gettid);
	id = tracepoint_id();

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	freq = vcpu_get_reg(vcpu, RISCV_TIMER_REG(frequency));
	ticks = freq * seconds;
	vcpu_args_set(vcpu, 1, ticks);

	TEST_ASSERT(!pthread_create(&thread, NULL, sleeper, NULL),
		    "pthread_create");
	while (!sleeper_tid)
		sched_yield();

	ring_open(&task_ring, "sleeper's task", id, sleeper_tid, 0);
	ring_open(&cpu_ring, "CPU 0", id, -1, 0);
	ioctl(task_ring.fd, PERF_EVENT_IOC_ENABLE, 0);
	ioctl(cpu_ring.fd, PERF_EVENT_IOC_ENABLE, 0);

	vcpu_run(vcpu);

	ioctl(task_ring.fd, PERF_EVENT_IOC_DISABLE, 0);
	ioctl(cpu_ring.fd, PERF_EVENT_IOC_DISABLE, 0);
	hits = ring_count(&task_ring);
	sleeper_stop = 1;
	pthread_join(thread, NULL);
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_DONE,
		    "guest ended with exit %u", vcpu->run->exit_reason);

	ring_read(&task_ring, vcpu_tid, &task);
	ring_read(&cpu_ring, vcpu_tid, &cpu);
	printf("# sleeper's event: %llu hits counted, %u samples, %u while the "
	       "vCPU thread ran (%u tagged guest, %u with a guest chain, %u with "
	       "a PC not the host kernel's), %u lost\n", (unsigned long long)hits,
	       task.samples, task.vcpu, task.guest, task.guest_chain,
	       task.guest_pc, task.lost);
	printf("# CPU 0's event: %u samples, %u while the vCPU thread ran, "
	       "%u of them tagged guest, %u lost\n", cpu.samples, cpu.vcpu,
	       cpu.guest, cpu.lost);
	if (hits >= MIN_HITS && !task.vcpu)
		printf("# perf counted the sleeper's hits but sampled none of "
		       "them while the vCPU thread ran: an event that is not "
		       "active takes no sample\n");

	CHECK(!task.malformed && !cpu.malformed,
	      "every sample record is as long as its chain (%u, %u malformed)",
	      task.malformed, cpu.malformed);
	CHECK(cpu.guest >= MIN_HITS,
	      "CPU 0's event took %u guest samples of sched_waking: the wakeups "
	      "were handled in the guest's exit interrupt (at least %u)",
	      cpu.guest, MIN_HITS);
	CHECK(hits >= MIN_HITS,
	      "the sleeper's event counted %llu hits (at least %u): they reached "
	      "it", (unsigned long long)hits, MIN_HITS);
	CHECK(!task.guest && !task.guest_chain && !task.guest_pc,
	      "none of its %u samples taken while the vCPU thread ran took "
	      "the guest's state (%u tagged guest, %u with a guest chain, %u "
	      "with a guest PC)", task.vcpu, task.guest, task.guest_chain,
	      task.guest_pc);

	kvm_vm_free(vm);
	return failures ? 1 : 0;
}
