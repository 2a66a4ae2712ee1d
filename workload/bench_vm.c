// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_vm - what the series costs a KVM host, and the ground truth a
 * profile is held to, built on the KVM selftest library.  Times are in
 * guest time (the time CSR); under QEMU with -icount shift=0 a
 * nanosecond is one instruction, so they count instructions.
 *
 * bench_vm sbi MS [HZ [chain]]
 *	One vCPU calls an SBI base function that KVM answers in the kernel,
 *	in a loop, for MS ms: prints the calls and the time a round trip
 *	takes.  With HZ, a cycles event samples the vCPU thread at HZ
 *	(guest included), with callchains if asked.
 *
 * bench_vm spin MS HZ [chain]
 *	One vCPU spins in guest kernel mode for MS ms and counts the time it
 *	did not run (steps of more than 1 us between reads of its time CSR)
 *	while a cycles event samples it at HZ (0: no event): the host's time
 *	a sample is the lost time over the samples, less that of HZ 0, and
 *	about the median step when samples make most of the steps (under
 *	-icount, the other hart's work makes steps too).
 *
 * bench_vm mix MS [HZ|max [cycles|cpu-clock]]
 *	The accuracy workload: a guest kernel loop, a guest user loop, a
 *	loop of SBI calls, each MS ms of guest time, then a host user loop
 *	of MS ms.  Prints the truth: the time of each class of perf kvm's
 *	report, [g] [u] [k] [.], from the loops' own accounting.  With HZ
 *	(max: kernel.perf_event_max_sample_rate), a cycles (default) or
 *	cpu-clock event samples this thread, guest included, across the
 *	loops, as perf kvm --host --guest record does, and the samples'
 *	periods are added up by the class their cpumode gives in perf
 *	report, as its overhead column does.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "sbi.h"
#include "test_util.h"
#include "ucall_common.h"
#include "kvm_compat.h"

/* Guest instructions of one round of the SBI loop below. */
#define SBI_GUEST_INSNS	6
/* 8 MiB: 2 s at 100 kHz of 32-byte samples, read at the end. */
#define RING_PAGES	2048

/* Guest globals: parameters in, results out. */
static uint64_t phase_ticks, gap_ticks;
static uint64_t sbi_calls, kernel_lost, user_lost;
/* The kernel spin's gaps by length in ticks (the last: that or more). */
#define GAP_BUCKETS	1024
static uint32_t gaps[GAP_BUCKETS];

/* SBI base get_impl_id calls until deadline, SBI_GUEST_INSNS a round. */
noinline void guest_sbi_loop(uint64_t deadline)
{
	uint64_t n = 0;

	asm volatile("1:	li	a7, %[ext]\n"
		     "	li	a6, %[fid]\n"
		     "	ecall\n"
		     "	addi	%[n], %[n], 1\n"
		     "	rdtime	t0\n"
		     "	bltu	t0, %[end], 1b\n"
		     : [n] "+r" (n)
		     : [end] "r" (deadline), [ext] "i" (SBI_EXT_BASE),
		       [fid] "i" (SBI_EXT_BASE_GET_IMP_ID)
		     : "a0", "a1", "a6", "a7", "t0", "memory");
	WRITE_ONCE(sbi_calls, n);
}

noinline uint64_t guest_kernel_spin(uint64_t deadline)
{
	uint64_t last = csr_read(CSR_TIME), now, lost = 0;

	do {
		now = csr_read(CSR_TIME);
		if (now - last > gap_ticks) {
			lost += now - last;
			gaps[min_t(uint64_t, now - last, GAP_BUCKETS - 1)]++;
		}
		last = now;
	} while (now < deadline);
	return lost;
}

/*
 * The user loop, in a page of its own with the U bit: a0 deadline, a1
 * gap; it counts its lost time in a2 and ends with an ecall.
 */
__naked __aligned(4096) void guest_user_spin(uint64_t deadline, uint64_t gap)
{
	asm("	li	a2, 0\n"
	    "	rdtime	t0\n"
	    "1:	rdtime	t1\n"
	    "	sub	t2, t1, t0\n"
	    "	bleu	t2, a1, 2f\n"
	    "	add	a2, a2, t2\n"
	    "2:	mv	t0, t1\n"
	    "	bltu	t1, a0, 1b\n"
	    "	ecall\n"
	    "	.balign	4096\n");
}

enum { CMD_SBI, CMD_SPIN, CMD_MIX };

/* The user loop's ecall: its lost time, then the SBI loop, then done. */
static void guest_user_ecall(struct pt_regs *regs)
{
	WRITE_ONCE(user_lost, regs->a2);
	guest_sbi_loop(csr_read(CSR_TIME) + phase_ticks);
	GUEST_DONE();
}

static void guest_code(uint64_t cmd)
{
	register uint64_t a0 asm("a0");
	register uint64_t a1 asm("a1");

	switch (cmd) {
	case CMD_SBI:
		guest_sbi_loop(csr_read(CSR_TIME) + phase_ticks);
		break;
	case CMD_SPIN:
		WRITE_ONCE(kernel_lost, guest_kernel_spin(csr_read(CSR_TIME) + phase_ticks));
		break;
	case CMD_MIX:
		WRITE_ONCE(kernel_lost, guest_kernel_spin(csr_read(CSR_TIME) + phase_ticks));
		a0 = csr_read(CSR_TIME) + phase_ticks;
		a1 = gap_ticks;
		csr_set(CSR_SCOUNTEREN, BIT(1));
		csr_clear(CSR_SSTATUS, SR_SPP);
		csr_write(CSR_SEPC, (unsigned long)guest_user_spin);
		asm volatile("sret" : : "r" (a0), "r" (a1) : "memory");
		__builtin_unreachable();
	}
	GUEST_DONE();
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Spin in host user mode; look at the clock only now and then. */
noinline void host_user_spin(uint64_t ms)
{
	uint64_t end = now_ns() + ms * 1000000;
	uint64_t n = 0;

	do {
		for (int i = 0; i < 100000; i++)
			asm volatile("addi %0, %0, 1" : "+r" (n));
	} while (now_ns() < end);
}

/* The highest rate kernel.perf_event_max_sample_rate allows now. */
static unsigned int max_rate(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_sample_rate", "r");
	unsigned int hz = 0;

	TEST_ASSERT(f && fscanf(f, "%u", &hz) == 1 && hz, "perf_event_max_sample_rate");
	fclose(f);
	return hz;
}

/*
 * A sampler of this thread, guest included, at hz (0: none, fd -1):
 * cycles or cpu-clock, with callchains if asked.
 */
static int sampler_open(unsigned int hz, bool clock, bool chain, void **ring)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = clock ? PERF_TYPE_SOFTWARE : PERF_TYPE_HARDWARE,
		.config = clock ? PERF_COUNT_SW_CPU_CLOCK : PERF_COUNT_HW_CPU_CYCLES,
		.freq = 1,
		.sample_freq = hz,
		.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_PERIOD |
			       (chain ? PERF_SAMPLE_CALLCHAIN : 0),
		.disabled = 1,
	};
	int fd;

	if (!hz)
		return -1;
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	TEST_ASSERT(fd >= 0, "perf_event_open: %s", strerror(errno));
	*ring = mmap(NULL, (RING_PAGES + 1) * getpagesize(), PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, 0);
	TEST_ASSERT(*ring != MAP_FAILED, "mmap: %s", strerror(errno));
	return fd;
}

/*
 * What a sampler took: samples, and their periods by the class perf
 * report shows for their cpumode ([k] host kernel, [.] host user, [g]
 * guest kernel, [u] guest user), as perf report weighs its overhead
 * column; samples lost, throttle records.
 */
struct tally {
	uint64_t samples, cls[4], total, lost, throttles;
};

enum { CLS_K, CLS_HU, CLS_G, CLS_U };

/* The class of each cpumode of a sample; -1: none of perf report's four. */
static const int mode_class[PERF_RECORD_MISC_CPUMODE_MASK + 1] = {
	[0 ... PERF_RECORD_MISC_CPUMODE_MASK] = -1,
	[PERF_RECORD_MISC_KERNEL] = CLS_K,
	[PERF_RECORD_MISC_USER] = CLS_HU,
	[PERF_RECORD_MISC_GUEST_KERNEL] = CLS_G,
	[PERF_RECORD_MISC_GUEST_USER] = CLS_U,
};

static void sampler_count(int fd, void *ring, uint64_t from, struct tally *t)
{
	struct perf_event_mmap_page *pg = ring;
	uint64_t size = (uint64_t)RING_PAGES * getpagesize();
	uint64_t head, tail;
	char *data = (char *)ring + getpagesize();

	memset(t, 0, sizeof(*t));
	if (fd < 0)
		return;
	head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	tail = from;
	while (tail < head) {
		struct perf_event_header h;
		uint64_t lost, period;
		unsigned int i;
		int c;

		for (i = 0; i < sizeof(h); i++)
			((char *)&h)[i] = data[(tail + i) % size];
		if (h.size < sizeof(h))
			break;
		switch (h.type) {
		case PERF_RECORD_SAMPLE:
			/* header, ip, pid and tid, then the period */
			for (i = 0; i < sizeof(period); i++)
				((char *)&period)[i] = data[(tail + sizeof(h) + 16 + i) % size];
			t->samples++;
			t->total += period;
			c = mode_class[h.misc & PERF_RECORD_MISC_CPUMODE_MASK];
			if (c >= 0)
				t->cls[c] += period;
			break;
		case PERF_RECORD_LOST:
			/* id, then the number lost */
			for (i = 0; i < sizeof(lost); i++)
				((char *)&lost)[i] = data[(tail + sizeof(h) + 8 + i) % size];
			t->lost += lost;
			break;
		case PERF_RECORD_THROTTLE:
			t->throttles++;
			break;
		}
		tail += h.size;
	}
	close(fd);
}

/* The median length of the kernel spin's gaps, in ticks. */
static uint64_t median_gap(void)
{
	uint64_t n = 0, seen = 0;
	int i;

	for (i = 0; i < GAP_BUCKETS; i++)
		n += gaps[i];
	for (i = 0; i < GAP_BUCKETS; i++) {
		seen += gaps[i];
		if (n && 2 * seen >= n)
			return i;
	}
	return 0;
}

static void usage(void)
{
	printf("usage: bench_vm sbi MS [HZ [chain]] | spin MS HZ [chain] | mix MS [HZ|max [cycles|cpu-clock]]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	unsigned int ms, hz = 0, cmd;
	uint64_t freq, start, ns, from = 0;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	struct tally t;
	bool chain = false, clock = false;
	void *ring = NULL;
	int fd;

	if (argc < 3)
		usage();
	if (!strcmp(argv[1], "sbi"))
		cmd = CMD_SBI;
	else if (!strcmp(argv[1], "spin"))
		cmd = CMD_SPIN;
	else if (!strcmp(argv[1], "mix"))
		cmd = CMD_MIX;
	else
		usage();
	ms = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		hz = !strcmp(argv[3], "max") ? max_rate() : strtoul(argv[3], NULL, 0);
	if (argc > 5 || (cmd == CMD_SPIN && argc < 4))
		usage();
	if (argc > 4 && cmd == CMD_MIX) {
		clock = !strcmp(argv[4], "cpu-clock");
		if (!clock && strcmp(argv[4], "cycles"))
			usage();
	} else if (argc > 4) {
		chain = !strcmp(argv[4], "chain");
		if (!chain)
			usage();
	}

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vm_init_vector_tables(vm);
	vcpu_init_vector_tables(vcpu);
	vm_install_exception_handler(vm, EXC_SYSCALL, guest_user_ecall);
	*virt_get_pte_hva(vm, (gva_t)guest_user_spin) |= PGTBL_PTE_USER_MASK;
	freq = vcpu_get_reg(vcpu, RISCV_TIMER_REG(frequency));
	phase_ticks = freq * ms / 1000;
	gap_ticks = freq / 1000000;	/* 1 us */
	sync_global_to_guest(vm, phase_ticks);
	sync_global_to_guest(vm, gap_ticks);
	vcpu_args_set(vcpu, 1, cmd);

	fd = sampler_open(hz, clock, chain, &ring);
	if (fd >= 0) {
		/*
		 * A new frequency event starts at a period of 1: let it find
		 * its period in 100 ms of host spin, and leave those samples
		 * out.
		 */
		ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
		host_user_spin(100);
		from = __atomic_load_n(&((struct perf_event_mmap_page *)ring)->data_head,
				       __ATOMIC_ACQUIRE);
	}
	start = now_ns();
	vcpu_run(vcpu);
	ns = now_ns() - start;
	if (cmd == CMD_MIX)
		host_user_spin(ms);
	if (fd >= 0)
		ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_DONE:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("unexpected exit %u", vcpu->run->exit_reason);
	}
	sampler_count(fd, ring, from, &t);
	sync_global_from_guest(vm, sbi_calls);
	sync_global_from_guest(vm, kernel_lost);
	sync_global_from_guest(vm, gaps);
	sync_global_from_guest(vm, user_lost);
	kvm_vm_free(vm);

	/* Guest ticks to ns. */
#define NS(t)	((uint64_t)((t) * 1000000000ul / freq))
#define PCT(n)	(t.total ? 100.0 * (n) / t.total : 0.0)
	switch (cmd) {
	case CMD_SBI:
		printf("@@ bench sbi hz=%u chain=%d calls=%lu ms=%u ns_per_call=%.1f samples=%lu lost=%lu\n",
		       hz, chain, sbi_calls, ms, ms * 1e6 / sbi_calls, t.samples, t.lost);
		break;
	case CMD_SPIN:
		printf("@@ bench spin hz=%u chain=%d ms=%u lost_ns=%lu samples=%lu lost=%lu median_gap_ns=%lu\n",
		       hz, chain, ms, NS(kernel_lost), t.samples, t.lost, NS(median_gap()));
		break;
	case CMD_MIX:
		/* Truth in ns: [g], [u], [k] (the loops' lost time, the SBI loop's host part), [.]. */
		printf("@@ bench truth g=%lu u=%lu k=%lu hu=%lu calls=%lu vcpu_ns=%lu\n",
		       ms * 1000000ul - NS(kernel_lost) + sbi_calls * SBI_GUEST_INSNS,
		       ms * 1000000ul - NS(user_lost),
		       NS(kernel_lost) + NS(user_lost) + ms * 1000000ul - sbi_calls * SBI_GUEST_INSNS,
		       ms * 1000000ul, sbi_calls, ns);
		if (fd >= 0)
			printf("@@ bench mix event=%s hz=%u samples=%lu lost=%lu throttles=%lu k=%.2f hu=%.2f g=%.2f u=%.2f\n",
			       clock ? "cpu-clock" : "cycles", hz, t.samples, t.lost, t.throttles,
			       PCT(t.cls[CLS_K]), PCT(t.cls[CLS_HU]), PCT(t.cls[CLS_G]),
			       PCT(t.cls[CLS_U]));
		break;
	}
	return 0;
}
