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
 *	a sample is the lost time over the samples, less that of HZ 0.
 *
 * bench_vm mix MS
 *	The accuracy workload: a guest kernel loop, a guest user loop, a
 *	loop of SBI calls, each MS ms of guest time, then a host user loop
 *	of MS ms.  Prints the truth: the time of each class of perf kvm's
 *	report, [g] [u] [k] [.], from the loops' own accounting.
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

/* Guest instructions of one round of the SBI loop (perf_guest_test). */
#define SBI_GUEST_INSNS	6
#define RING_PAGES	64

/* Guest globals: parameters in, results out. */
static uint64_t phase_ticks, gap_ticks;
static uint64_t sbi_calls, kernel_lost, user_lost;

noinline void guest_sbi_loop(uint64_t deadline)
{
	uint64_t n = 0;

	while (csr_read(CSR_TIME) < deadline) {
		sbi_ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_IMP_ID, 0, 0, 0, 0, 0, 0);
		n++;
	}
	WRITE_ONCE(sbi_calls, n);
}

noinline uint64_t guest_kernel_spin(uint64_t deadline)
{
	uint64_t last = csr_read(CSR_TIME), now, lost = 0;

	do {
		now = csr_read(CSR_TIME);
		if (now - last > gap_ticks)
			lost += now - last;
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
static void guest_user_ecall(struct ex_regs *regs)
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

/* A cycles sampler on this thread, guest included; -1 if hz is 0. */
static int sampler_open(unsigned int hz, bool chain, void **ring)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.freq = 1,
		.sample_freq = hz,
		.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
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

/* Count the samples in the ring (and the records lost). */
static void sampler_count(int fd, void *ring, uint64_t *samples, uint64_t *lost)
{
	struct perf_event_mmap_page *pg = ring;
	uint64_t size = (uint64_t)RING_PAGES * getpagesize();
	uint64_t head, tail;
	char *data = (char *)ring + getpagesize();

	*samples = *lost = 0;
	if (fd < 0)
		return;
	head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	tail = pg->data_tail;
	while (tail < head) {
		struct perf_event_header h;
		unsigned int i;

		for (i = 0; i < sizeof(h); i++)
			((char *)&h)[i] = data[(tail + i) % size];
		if (h.size < sizeof(h))
			break;
		if (h.type == PERF_RECORD_SAMPLE)
			(*samples)++;
		else if (h.type == PERF_RECORD_LOST)
			(*lost)++;
		tail += h.size;
	}
	close(fd);
}

int main(int argc, char *argv[])
{
	unsigned int ms, hz = 0, cmd;
	uint64_t freq, start, samples, lost, ns;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	bool chain;
	void *ring = NULL;
	int fd;

	if (argc < 3 || (strcmp(argv[1], "sbi") && strcmp(argv[1], "spin") &&
			 strcmp(argv[1], "mix"))) {
		printf("usage: bench_vm sbi MS [HZ [chain]] | spin MS HZ [chain] | mix MS\n");
		return 2;
	}
	cmd = !strcmp(argv[1], "sbi") ? CMD_SBI : !strcmp(argv[1], "spin") ? CMD_SPIN : CMD_MIX;
	ms = strtoul(argv[2], NULL, 0);
	if (cmd != CMD_MIX && argc > 3)
		hz = strtoul(argv[3], NULL, 0);
	chain = argc > 4 && !strcmp(argv[4], "chain");

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vm_init_vector_tables(vm);
	vcpu_init_vector_tables(vcpu);
	vm_install_exception_handler(vm, EXC_SYSCALL, guest_user_ecall);
	*virt_get_pte_hva(vm, (vm_vaddr_t)guest_user_spin) |= PGTBL_PTE_USER_MASK;
	vcpu_get_reg(vcpu, RISCV_TIMER_REG(frequency), &freq);
	phase_ticks = freq * ms / 1000;
	gap_ticks = freq / 1000000;	/* 1 us */
	sync_global_to_guest(vm, phase_ticks);
	sync_global_to_guest(vm, gap_ticks);
	vcpu_args_set(vcpu, 1, cmd);

	fd = sampler_open(hz, chain, &ring);
	if (fd >= 0)
		ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	start = now_ns();
	vcpu_run(vcpu);
	ns = now_ns() - start;
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
	sampler_count(fd, ring, &samples, &lost);
	sync_global_from_guest(vm, sbi_calls);
	sync_global_from_guest(vm, kernel_lost);
	sync_global_from_guest(vm, user_lost);
	kvm_vm_free(vm);

	/* Guest ticks to ns. */
#define NS(t)	((uint64_t)((t) * 1000000000ul / freq))
	switch (cmd) {
	case CMD_SBI:
		printf("@@ bench sbi hz=%u chain=%d calls=%lu ms=%u ns_per_call=%.1f samples=%lu lost=%lu\n",
		       hz, chain, sbi_calls, ms, ms * 1e6 / sbi_calls, samples, lost);
		break;
	case CMD_SPIN:
		printf("@@ bench spin hz=%u chain=%d ms=%u lost_ns=%lu samples=%lu lost=%lu\n",
		       hz, chain, ms, NS(kernel_lost), samples, lost);
		break;
	case CMD_MIX:
		host_user_spin(ms);
		/* Truth in ns: [g], [u], [k] (the loops' lost time, the SBI loop's host part), [.]. */
		printf("@@ bench truth g=%lu u=%lu k=%lu hu=%lu calls=%lu wall_ns=%lu\n",
		       ms * 1000000ul - NS(kernel_lost) + sbi_calls * SBI_GUEST_INSNS,
		       ms * 1000000ul - NS(user_lost),
		       NS(kernel_lost) + NS(user_lost) + ms * 1000000ul - sbi_calls * SBI_GUEST_INSNS,
		       ms * 1000000ul, sbi_calls, ns);
		break;
	}
	return 0;
}
