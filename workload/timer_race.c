// SPDX-License-Identifier: GPL-2.0-only
/*
 * timer_race - look for guest timer interrupts that arrive before the
 * compare value the guest has written, the failure arch_timer showed
 * once ("xcnt >= cmp"), built on the KVM selftest library.
 *
 * timer_race SECONDS VCPUS MIGRATE_MS
 *	Each vCPU loops: write stimecmp a few microseconds ahead, spin until
 *	that deadline has passed by 0 to 200 us (the timer interrupt
 *	disabled), write stimecmp 10 ms ahead, wait 5 us (Sstc lets a write
 *	reach the pending bit "eventually, not necessarily immediately"),
 *	then enable the timer interrupt for 45 us.  No interrupt is due in
 *	that window: one that comes is early, and the handler counts it,
 *	with the time since the write of the compare value.
 *	A vCPU's guest writes its own stimecmp (Sstc): the host kernel is
 *	not involved, but for KVM's own write of vstimecmp when it loads a
 *	vCPU on a hart.  With MIGRATE_MS 0, vCPU i stays on CPU i % ncpu;
 *	else every vCPU moves to the next CPU every MIGRATE_MS ms, as
 *	arch_timer's -m does.
 *	Prints "@@ timer-race ... rounds=N early=N after_write_us=MIN-MAX"
 *	and exits 1 if a round had an early interrupt.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "arch_timer.h"
#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "kvm_compat.h"

#define MAX_VCPUS	8

/* Guest globals: parameters in, results out, one slot a vCPU. */
static uint64_t end_ticks;
static uint64_t cur_cmp[MAX_VCPUS], written[MAX_VCPUS];
static uint64_t rounds[MAX_VCPUS], early[MAX_VCPUS];
static uint64_t after_min[MAX_VCPUS], after_max[MAX_VCPUS];

static void guest_irq_handler(struct pt_regs *regs)
{
	uint32_t cpu = guest_get_vcpuid();
	uint64_t now;

	timer_irq_disable();
	now = timer_get_cycles();
	GUEST_ASSERT_EQ(regs->cause & ~CAUSE_IRQ_FLAG, IRQ_S_TIMER);
	if (now < READ_ONCE(cur_cmp[cpu])) {
		uint64_t after = now - written[cpu];

		if (!early[cpu]++ || after < after_min[cpu])
			after_min[cpu] = after;
		if (after > after_max[cpu])
			after_max[cpu] = after;
	}
}

static void guest_code(void)
{
	uint32_t cpu = guest_get_vcpuid();
	uint64_t near = usec_to_cycles(5), far = msec_to_cycles(10);
	uint64_t span = usec_to_cycles(200), cmp, n = 0;

	timer_irq_disable();
	local_irq_enable();
	while (timer_get_cycles() < end_ticks) {
		cmp = timer_get_cycles() + near;
		timer_set_cmp(cmp);
		/* Past the deadline by a different amount each round. */
		cmp += (n * 37 + cpu * 11) % span;
		while (timer_get_cycles() < cmp)
			;
		WRITE_ONCE(written[cpu], timer_get_cycles());
		cmp = written[cpu] + far;
		WRITE_ONCE(cur_cmp[cpu], cmp);
		timer_set_cmp(cmp);
		udelay(5);
		timer_irq_enable();
		udelay(45);
		timer_irq_disable();
		WRITE_ONCE(rounds[cpu], ++n);
	}
	GUEST_DONE();
}

struct vcpu_state {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
};

static void *vcpu_thread(void *arg)
{
	struct vcpu_state *st = arg;
	struct ucall uc;

	vcpu_run(st->vcpu);
	switch (get_ucall(st->vcpu, &uc)) {
	case UCALL_DONE:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("unexpected exit %u", st->vcpu->run->exit_reason);
	}
	return NULL;
}

static void place(pthread_t thread, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(thread, sizeof(set), &set);
}

int main(int argc, char *argv[])
{
	struct kvm_vcpu *vcpus[MAX_VCPUS];
	struct vcpu_state st[MAX_VCPUS];
	unsigned int seconds, nr, migrate_ms, i, step;
	uint64_t now, total = 0, total_early = 0, lo = 0, hi = 0;
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct timespec t, end;
	struct kvm_vm *vm;

	if (argc != 4) {
		printf("usage: timer_race SECONDS VCPUS MIGRATE_MS\n");
		return 2;
	}
	seconds = strtoul(argv[1], NULL, 0);
	nr = strtoul(argv[2], NULL, 0);
	migrate_ms = strtoul(argv[3], NULL, 0);
	TEST_ASSERT(nr >= 1 && nr <= MAX_VCPUS, "VCPUS: 1 to %d", MAX_VCPUS);

	vm = vm_create_with_vcpus(nr, guest_code, vcpus);
	__TEST_REQUIRE(__vcpu_has_isa_ext(vcpus[0], KVM_RISCV_ISA_EXT_SSTC),
		       "Sstc not available");
	vm_init_vector_tables(vm);
	vm_install_interrupt_handler(vm, guest_irq_handler);
	for (i = 0; i < nr; i++)
		vcpu_init_vector_tables(vcpus[i]);
	timer_freq = vcpu_get_reg(vcpus[0], RISCV_TIMER_REG(frequency));
	now = vcpu_get_reg(vcpus[0], RISCV_TIMER_REG(time));
	end_ticks = now + timer_freq * seconds;
	sync_global_to_guest(vm, timer_freq);
	sync_global_to_guest(vm, end_ticks);

	for (i = 0; i < nr; i++) {
		st[i].vcpu = vcpus[i];
		pthread_create(&st[i].thread, NULL, vcpu_thread, &st[i]);
		place(st[i].thread, i % ncpu);
	}
	/* Move every vCPU one CPU on every MIGRATE_MS ms, until the end. */
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	for (step = 1; migrate_ms; step++) {
		usleep(migrate_ms * 1000);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec > end.tv_sec ||
		    (t.tv_sec == end.tv_sec && t.tv_nsec >= end.tv_nsec))
			break;
		for (i = 0; i < nr; i++)
			place(st[i].thread, (i + step) % ncpu);
	}
	for (i = 0; i < nr; i++)
		pthread_join(st[i].thread, NULL);

	sync_global_from_guest(vm, rounds);
	sync_global_from_guest(vm, early);
	sync_global_from_guest(vm, after_min);
	sync_global_from_guest(vm, after_max);
	for (i = 0; i < nr; i++) {
		total += rounds[i];
		if (early[i] && (!total_early || after_min[i] < lo))
			lo = after_min[i];
		if (early[i] && after_max[i] > hi)
			hi = after_max[i];
		total_early += early[i];
	}
	kvm_vm_free(vm);
	printf("@@ timer-race vcpus=%u migrate_ms=%u moves=%u rounds=%lu early=%lu after_write_us=%lu-%lu\n",
	       nr, migrate_ms, migrate_ms ? step - 1 : 0, total, total_early,
	       lo * 1000000 / timer_freq, hi * 1000000 / timer_freq);
	return total_early ? 1 : 0;
}
