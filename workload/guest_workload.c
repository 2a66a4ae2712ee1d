// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_workload - a minimal VMM, built on the KVM selftest library, whose
 * guest spends known time in known places, for profiling with perf kvm.
 *
 * One vCPU runs, one after the other:
 *  - guest_kernel_spin(): a loop in guest kernel mode (VS), called from
 *    guest_kernel_work() and guest_code_kernel();
 *  - guest_user_spin(): a loop in guest user mode (VU);
 *  - guest_sbi_storm(): a loop of SBI calls that host KVM handles in the
 *    kernel, so the host's own exit handling shows up;
 * then the VMM itself spins in host user mode in host_user_spin().
 *
 * usage: guest_workload [MS_PER_PHASE]    (default 1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kvm_util.h"
#include "processor.h"
#include "sbi.h"
#include "test_util.h"
#include "ucall_common.h"
#include "kvm_compat.h"

/*
 * Each guest loop spins until the guest's time CSR reaches the deadline.
 * The kernel loop is reached through a chain of calls with frame records
 * (the workload is built with frame pointers), for perf record -g.
 */
noinline void guest_kernel_spin(uint64_t deadline)
{
	while (csr_read(CSR_TIME) < deadline)
		;
}

noinline void guest_kernel_work(uint64_t deadline)
{
	guest_kernel_spin(deadline);
}

/*
 * The user loop fills a page of its own, which gets the U bit in the
 * guest page table without taking VS-mode code with it.
 */
__naked __aligned(4096) void guest_user_spin(uint64_t deadline)
{
	asm("1:	rdtime	t0\n"
	    "	bltu	t0, a0, 1b\n"
	    "	ecall\n"
	    "	.balign	4096\n");
}

/* A base-extension call: KVM answers it without leaving the kernel. */
noinline void guest_sbi_storm(uint64_t deadline)
{
	while (csr_read(CSR_TIME) < deadline)
		sbi_ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_IMP_ID,
			  0, 0, 0, 0, 0, 0);
}

static void guest_code_kernel(uint64_t ticks)
{
	guest_kernel_work(csr_read(CSR_TIME) + ticks);
	GUEST_DONE();
}

/* sret to the user loop; its ecall ends in guest_ecall_done(). */
static void guest_code_user(uint64_t ticks)
{
	register uint64_t a0 asm("a0") = csr_read(CSR_TIME) + ticks;

	csr_set(CSR_SCOUNTEREN, BIT(1));
	csr_clear(CSR_SSTATUS, SR_SPP);
	csr_write(CSR_SEPC, (unsigned long)guest_user_spin);
	asm volatile("sret" : : "r" (a0) : "memory");
}

static void guest_code_storm(uint64_t ticks)
{
	guest_sbi_storm(csr_read(CSR_TIME) + ticks);
	GUEST_DONE();
}

static void guest_ecall_done(struct pt_regs *regs)
{
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

/* Run guest code fn(ticks) on a fresh VM until it reports done. */
static void run_guest(void *fn, uint64_t ticks, const char *what)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;

	vm = vm_create_with_one_vcpu(&vcpu, fn);
	vm_init_vector_tables(vm);
	vcpu_init_vector_tables(vcpu);
	vm_install_exception_handler(vm, EXC_SYSCALL, guest_ecall_done);
	*virt_get_pte_hva(vm, (gva_t)guest_user_spin) |= PGTBL_PTE_USER_MASK;
	vcpu_args_set(vcpu, 1, ticks);

	printf("guest_workload: %s\n", what);
	fflush(stdout);
	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_DONE:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("unexpected exit %u", vcpu->run->exit_reason);
	}
	kvm_vm_free(vm);
}

int main(int argc, char *argv[])
{
	uint64_t ms = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint64_t freq, ticks;

	vm = vm_create_with_one_vcpu(&vcpu, guest_code_kernel);
	freq = vcpu_get_reg(vcpu, RISCV_TIMER_REG(frequency));
	kvm_vm_free(vm);
	ticks = freq * ms / 1000;

	run_guest(guest_code_kernel, ticks, "guest kernel loop (guest_kernel_spin)");
	run_guest(guest_code_user, ticks, "guest user loop (guest_user_spin)");
	run_guest(guest_code_storm, ticks, "SBI calls handled by host KVM (guest_sbi_storm)");
	printf("guest_workload: host user loop (host_user_spin)\n");
	host_user_spin(ms);
	return 0;
}
