// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress_vm - guests that make a host do all it can while perf samples
 * it, built on the KVM selftest library.
 *
 * stress_vm run PHASE SECONDS [VCPUS]
 *	A VM of VCPUS vCPUs (default 4), one thread each, for SECONDS.  In
 *	phase "kernel" every vCPU spins in guest kernel mode, in "user" in
 *	guest user mode, in "exits" it loops over the exits a guest can
 *	cause: an SBI call KVM answers, an MMIO load and store that come
 *	out to this VMM, a store to a page the host has just dropped (a
 *	G-stage fault on fresh memory) and a WFI that sleeps until the
 *	guest's timer fires 50 us later.  In "mixed" vCPU i does what phase i % 3 does.  A
 *	helper thread drops the fresh pages every 20 ms and moves each vCPU
 *	thread to another hart every 50 ms, so that vCPUs are put and
 *	loaded, preempted and migrated while perf samples.
 *
 * stress_vm attrs
 *	perf_event_open() on a vCPU thread whose guest spins in kernel
 *	mode (pinned to CPU 0, the events' CPU), with every combination of
 *	the exclude_* bits of cycles, instructions and cpu-clock, and sample
 *	types, callchain exclusions, periods and inherit: each gives an
 *	errno perf documents, or samples that are right about the guest.
 *
 * stress_vm sleep MS
 *	Sleep MS milliseconds: the workload of a perf session that is to
 *	sample the system for that long once it has set up.
 *
 * stress_vm bad-guests
 *	Guests that misbehave: jump to memory that is not there, storm the
 *	host with instructions it must emulate or refuse, unknown SBI calls,
 *	stores to read-only memory and a system reset.  Each must end the
 *	way the KVM API says, and leave the host clean.
 *
 * Exit status 0 when every check held, 1 otherwise.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
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

#define MAX_VCPUS	8
#define CHUNK_MS	10

/* Guest physical (and virtual) addresses of the regions it exits on. */
#define MMIO_GPA	0x40000000ul
#define FRESH_GPA	0x100000000ul
#define FRESH_SLOT	1
#define FRESH_PAGES	1024
#define RO_GPA		0x140000000ul
#define RO_SLOT		2
#define NOWHERE_GPA	0x180000000ul

#define SBI_EXT_SRST		0x53525354
#define SBI_EXT_NONE		0x0abcdef0
#define NO_TIMER		(~0ul)

enum { ACT_KERNEL, ACT_USER, ACT_EXITS, NR_ACTS };
static const char * const act_name[NR_ACTS] = { "kernel", "user", "exits" };

/* Guest globals, synced to the guest before it runs. */
static uint64_t chunk_ticks;
static uint64_t wfi_ticks;

noinline void guest_kernel_spin(uint64_t deadline)
{
	while (csr_read(CSR_TIME) < deadline)
		;
}

/* In a page of its own, which gets the U bit (see guest_workload). */
__naked __aligned(4096) void guest_user_spin(uint64_t deadline)
{
	asm("1:	rdtime	t0\n"
	    "	bltu	t0, a0, 1b\n"
	    "	ecall\n"
	    "	.balign	4096\n");
}

/* The user loop's ecall: report a chunk and go on with the next one. */
static void guest_user_ecall(struct pt_regs *regs)
{
	GUEST_SYNC(ACT_USER);
	regs->a0 = csr_read(CSR_TIME) + chunk_ticks;
	regs->epc = (unsigned long)guest_user_spin;
}

static void guest_enter_user(void)
{
	register uint64_t a0 asm("a0") = csr_read(CSR_TIME) + chunk_ticks;

	csr_set(CSR_SCOUNTEREN, BIT(1));
	csr_clear(CSR_SSTATUS, SR_SPP);
	csr_write(CSR_SEPC, (unsigned long)guest_user_spin);
	asm volatile("sret" : : "r" (a0) : "memory");
	__builtin_unreachable();
}

/*
 * Sleep in WFI until the guest's timer (Sstc's stimecmp) wakes the vCPU;
 * interrupts stay off.  With the deadline set by an SBI set_timer call
 * instead, a WFI of this loop never woke up after a few hundred rounds,
 * on the base kernel as on the series (see NOTES.md).
 */
static void guest_wfi(void)
{
	csr_set(CSR_SIE, IE_TIE);
	csr_write(CSR_STIMECMP, csr_read(CSR_TIME) + wfi_ticks);
	asm volatile("wfi" ::: "memory");
	csr_write(CSR_STIMECMP, NO_TIMER);
	csr_clear(CSR_SIE, IE_TIE);
}

noinline void guest_exits(uint64_t deadline, uint64_t id)
{
	volatile uint64_t *mmio = (void *)MMIO_GPA;
	uint64_t *fresh = (void *)FRESH_GPA;
	uint64_t per = FRESH_PAGES / MAX_VCPUS, n = 0;

	while (csr_read(CSR_TIME) < deadline) {
		sbi_ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_IMP_ID, 0, 0, 0, 0, 0, 0);
		*mmio = *mmio + 1;
		fresh[(id * per + n % per) * (4096 / 8)] = n;
		n++;
		guest_wfi();
	}
}

static void guest_code(uint64_t act, uint64_t id)
{
	if (act == ACT_USER)
		guest_enter_user();
	for (;;) {
		uint64_t end = csr_read(CSR_TIME) + chunk_ticks;

		if (act == ACT_KERNEL)
			guest_kernel_spin(end);
		else
			guest_exits(end, id);
		GUEST_SYNC(act);
	}
}

static int failures;

#define CHECK(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		printf("stress_vm: FAIL: " fmt "\n", ##__VA_ARGS__);	\
		failures++;						\
	}								\
} while (0)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t timer_freq(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint64_t freq;

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	freq = vcpu_get_reg(vcpu, RISCV_TIMER_REG(frequency));
	kvm_vm_free(vm);
	return freq;
}

/* A VM whose vCPUs run guest_code(act[i], i), with its regions mapped. */
static struct kvm_vm *make_vm(int nr, struct kvm_vcpu **vcpus, const int *act)
{
	struct kvm_vm *vm;
	int i;

	vm = vm_create_with_vcpus(nr, guest_code, vcpus);
	vm_init_vector_tables(vm);
	vm_install_exception_handler(vm, EXC_SYSCALL, guest_user_ecall);
	*virt_get_pte_hva(vm, (gva_t)guest_user_spin) |= PGTBL_PTE_USER_MASK;
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, FRESH_GPA,
				    FRESH_SLOT, FRESH_PAGES, 0);
	virt_map(vm, FRESH_GPA, FRESH_GPA, FRESH_PAGES);
	virt_map(vm, MMIO_GPA, MMIO_GPA, 1);
	sync_global_to_guest(vm, chunk_ticks);
	sync_global_to_guest(vm, wfi_ticks);
	for (i = 0; i < nr; i++) {
		vcpu_init_vector_tables(vcpus[i]);
		vcpu_args_set(vcpus[i], 2, act[i], i);
	}
	return vm;
}

struct vcpu_run_stats {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	pid_t tid;
	uint64_t syncs, mmio;
};

static volatile int stop;

static void *vcpu_thread(void *arg)
{
	struct vcpu_run_stats *st = arg;
	struct kvm_run *run = st->vcpu->run;
	struct ucall uc;

	__atomic_store_n(&st->tid, gettid(), __ATOMIC_RELEASE);
	while (!stop) {
		vcpu_run(st->vcpu);
		switch (get_ucall(st->vcpu, &uc)) {
		case UCALL_SYNC:
			st->syncs++;
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		case UCALL_NONE:
			TEST_ASSERT(run->exit_reason == KVM_EXIT_MMIO,
				    "vCPU %u: unexpected exit %u",
				    st->vcpu->id, run->exit_reason);
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0, sizeof(run->mmio.data));
			st->mmio++;
			break;
		default:
			TEST_FAIL("vCPU %u: unexpected ucall", st->vcpu->id);
		}
	}
	return NULL;
}

static int run_phase(const char *phase, unsigned int seconds, int nr)
{
	struct vcpu_run_stats st[MAX_VCPUS] = {};
	struct kvm_vcpu *vcpus[MAX_VCPUS];
	uint64_t end, next_drop, drops = 0, moves = 0, syncs = 0, mmio = 0;
	int act[MAX_VCPUS], p, i, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	void *fresh;
	struct kvm_vm *vm;

	for (p = 0; p < NR_ACTS + 1; p++)
		if (!strcmp(phase, p < NR_ACTS ? act_name[p] : "mixed"))
			break;
	if (p > NR_ACTS || nr < 1 || nr > MAX_VCPUS || !seconds) {
		printf("stress_vm: bad phase %s, %u s or %d vCPUs\n", phase, seconds, nr);
		return 2;
	}
	for (i = 0; i < nr; i++)
		act[i] = p < NR_ACTS ? p : i % NR_ACTS;

	vm = make_vm(nr, vcpus, act);
	fresh = addr_gpa2hva(vm, FRESH_GPA);
	printf("stress_vm: phase %s, %d vCPUs on %d harts, %u s\n", phase, nr, ncpu, seconds);
	fflush(stdout);
	for (i = 0; i < nr; i++) {
		st[i].vcpu = vcpus[i];
		pthread_create(&st[i].thread, NULL, vcpu_thread, &st[i]);
	}

	/* Drop the fresh pages every 20 ms, move the vCPUs every 50 ms. */
	end = now_ns() + seconds * 1000000000ull;
	next_drop = 0;
	while (now_ns() < end) {
		usleep(20000);
		madvise(fresh, FRESH_PAGES * getpagesize(), MADV_DONTNEED);
		drops++;
		if (++next_drop % 3 == 0 && ncpu > 1) {
			for (i = 0; i < nr; i++) {
				cpu_set_t set;

				CPU_ZERO(&set);
				CPU_SET((i + next_drop / 3) % ncpu, &set);
				pthread_setaffinity_np(st[i].thread, sizeof(set), &set);
				moves++;
			}
		}
	}
	stop = 1;
	for (i = 0; i < nr; i++) {
		pthread_join(st[i].thread, NULL);
		printf("stress_vm: vCPU %d (%s): %lu chunks of %d ms, %lu MMIO exits\n",
		       i, act_name[act[i]], st[i].syncs, CHUNK_MS, st[i].mmio);
		syncs += st[i].syncs;
		mmio += st[i].mmio;
	}
	kvm_vm_free(vm);
	printf("stress_vm: phase %s: %lu chunks, %lu MMIO exits, %lu page drops, %lu vCPU moves\n",
	       phase, syncs, mmio, drops, moves);
	CHECK(syncs > 0, "phase %s: no guest chunk completed", phase);
	CHECK(p == ACT_KERNEL || p == ACT_USER || mmio > 0,
	      "phase %s: no MMIO exit", phase);
	return failures ? 1 : 0;
}

/* perf_event_open() on a vCPU thread: the attributes. */

/*
 * On the vCPU thread, on CPU 0 where it is pinned: an inherited event
 * of a task on every CPU cannot be mmapped (EINVAL), one per CPU can.
 */
static int perf_open(struct perf_event_attr *attr, pid_t tid)
{
	return syscall(SYS_perf_event_open, attr, tid, 0, -1, PERF_FLAG_FD_CLOEXEC);
}

struct ring_tally {
	unsigned int samples, guest, guest_bad_ip, guest_bad_chain;
	unsigned int host_guest_chain, throttles, lost;
};

#define RING_PAGES	16

/* The guest runs this program's text, at the same addresses. */
extern char __executable_start[], etext[];

static bool in_guest_code(uint64_t ip)
{
	return ip >= (uint64_t)__executable_start && ip < (uint64_t)etext;
}

/* Read the samples in the ring: IP, TID, TIME, then CALLCHAIN if asked. */
static void read_ring(void *ring, const struct perf_event_attr *attr,
		      struct ring_tally *t)
{
	struct perf_event_mmap_page *pg = ring;
	uint64_t size = (uint64_t)RING_PAGES * getpagesize();
	uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = pg->data_tail;
	char *data = (char *)ring + getpagesize();

	while (tail < head) {
		struct perf_event_header h;
		uint64_t rec[64];
		unsigned int i, len;

		for (i = 0; i < sizeof(h); i++)
			((char *)&h)[i] = data[(tail + i) % size];
		if (h.size < sizeof(h))
			break;
		len = h.size < sizeof(rec) ? h.size : sizeof(rec);
		for (i = 0; i < len; i++)
			((char *)rec)[i] = data[(tail + i) % size];
		tail += h.size;

		if (h.type == PERF_RECORD_THROTTLE) {
			t->throttles++;
			continue;
		}
		if (h.type == PERF_RECORD_LOST) {
			t->lost++;
			continue;
		}
		if (h.type != PERF_RECORD_SAMPLE)
			continue;
		t->samples++;
		/* rec[0] header, rec[1] ip, rec[2] pid/tid, rec[3] time. */
		uint16_t mode = h.misc & PERF_RECORD_MISC_CPUMODE_MASK;
		bool guest = mode == PERF_RECORD_MISC_GUEST_KERNEL ||
			     mode == PERF_RECORD_MISC_GUEST_USER;
		uint64_t nr = 0, *ips = &rec[5];

		if (attr->sample_type & PERF_SAMPLE_CALLCHAIN) {
			nr = rec[4];
			if (5 + nr > len / 8)
				nr = len / 8 - 5;
		}
		if (guest) {
			bool gk = mode == PERF_RECORD_MISC_GUEST_KERNEL;
			uint64_t ctx = gk ? PERF_CONTEXT_GUEST_KERNEL :
					    PERF_CONTEXT_GUEST_USER;
			/*
			 * An event that excludes the kernel may get no PC of
			 * a guest in kernel mode: IP 0, as perf gives for a
			 * host sample that skid put in the kernel, and then
			 * a chain of the guest's context alone.  Without that
			 * guard (6.12) it gets the guest's PC and its chain.
			 */
			bool no_pc = gk && attr->exclude_kernel && !rec[1];
			bool excl = gk ? attr->exclude_callchain_kernel || no_pc :
					 attr->exclude_callchain_user;

			t->guest++;
			if (!no_pc && !in_guest_code(rec[1]))
				t->guest_bad_ip++;
			/* The guest's context, then its PC, unless excluded. */
			if ((attr->sample_type & PERF_SAMPLE_CALLCHAIN) &&
			    (nr < 1 || ips[0] != ctx || (excl ? nr != 1 :
			     (nr < 2 || ips[1] != rec[1]))))
				t->guest_bad_chain++;
		} else {
			for (i = 0; i < nr; i++)
				if (ips[i] == PERF_CONTEXT_GUEST ||
				    ips[i] == PERF_CONTEXT_GUEST_KERNEL ||
				    ips[i] == PERF_CONTEXT_GUEST_USER)
					t->host_guest_chain++;
		}
	}
	__atomic_store_n(&pg->data_tail, tail, __ATOMIC_RELEASE);
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

static const int documented_errnos[] = {
	EINVAL, EOPNOTSUPP, ENOENT, EACCES, EPERM, E2BIG, ENODEV,
};

static unsigned int opened, refused[ARRAY_SIZE(documented_errnos)];
static unsigned int total_samples, total_guest, total_throttles;
static unsigned int lowest_freq = ~0u;

/* Open attr on tid, sample for 30 ms, check what came back. */
static void try_attr(struct perf_event_attr *attr, pid_t tid, const char *what)
{
	struct ring_tally t = {};
	unsigned int i;
	void *ring;
	int fd;

	/*
	 * The kernel lowers perf_event_max_sample_rate when its perf
	 * interrupts take too long, and then refuses a higher sample_freq
	 * (EINVAL): ask for no more than it allows now.
	 */
	if (attr->freq) {
		unsigned int max = sample_freq();

		if (attr->sample_freq > max)
			attr->sample_freq = max;
		if (attr->sample_freq < lowest_freq)
			lowest_freq = attr->sample_freq;
	}
	fd = perf_open(attr, tid);
	if (fd < 0) {
		for (i = 0; i < ARRAY_SIZE(documented_errnos); i++)
			if (errno == documented_errnos[i])
				break;
		CHECK(i < ARRAY_SIZE(documented_errnos),
		      "%s: perf_event_open: unexpected errno %d (%s)",
		      what, errno, strerror(errno));
		if (i < ARRAY_SIZE(documented_errnos))
			refused[i]++;
		return;
	}
	opened++;
	ring = mmap(NULL, (RING_PAGES + 1) * getpagesize(),
		    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TEST_ASSERT(ring != MAP_FAILED, "%s: mmap: %s", what, strerror(errno));
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	usleep(30000);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	read_ring(ring, attr, &t);
	munmap(ring, (RING_PAGES + 1) * getpagesize());
	close(fd);

	total_samples += t.samples;
	total_guest += t.guest;
	total_throttles += t.throttles;
	CHECK(!attr->exclude_guest || !t.guest,
	      "%s: exclude_guest, but %u guest samples", what, t.guest);
	CHECK(!t.guest_bad_ip, "%s: %u guest samples with a PC outside guest code",
	      what, t.guest_bad_ip);
	CHECK(!t.guest_bad_chain, "%s: %u guest samples with a wrong chain",
	      what, t.guest_bad_chain);
	CHECK(!t.host_guest_chain, "%s: %u host samples with a guest context",
	      what, t.host_guest_chain);
}

static int run_attrs(void)
{
	static const struct { uint32_t type; uint64_t config; const char *name; } ev[] = {
		{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "cycles" },
		{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, "instructions" },
		{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, "cpu-clock" },
	};
	static const struct { uint64_t type; int excl; const char *name; } st_kind[] = {
		{ 0, 0, "ip" },
		{ PERF_SAMPLE_CALLCHAIN, 0, "callchain" },
		{ PERF_SAMPLE_CALLCHAIN, 1, "callchain, exclude_callchain_kernel" },
		{ PERF_SAMPLE_CALLCHAIN, 2, "callchain, exclude_callchain_user" },
		{ PERF_SAMPLE_CALLCHAIN, 3, "callchain, exclude_kernel" },
		{ PERF_SAMPLE_REGS_INTR, 0, "regs_intr" },
		{ PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER, 0, "stack_user" },
		{ PERF_SAMPLE_BRANCH_STACK, 0, "branch_stack" },
	};
	struct { int freq; uint64_t n; const char *name; } rate[] = {
		{ 1, sample_freq(), "frequency mode" }, { 0, 1, "period 1" },
		{ 0, 1000, "period 1000" },
	};
	struct vcpu_run_stats st = {};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int act = ACT_KERNEL;
	unsigned int e, x, k, r, inh, g, i;
	char what[200];
	pid_t tid;

	cpu_set_t cpu0;

	vm = make_vm(1, &vcpu, &act);
	st.vcpu = vcpu;
	pthread_create(&st.thread, NULL, vcpu_thread, &st);
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	pthread_setaffinity_np(st.thread, sizeof(cpu0), &cpu0);
	while (!(tid = __atomic_load_n(&st.tid, __ATOMIC_ACQUIRE)))
		usleep(1000);
	usleep(50000);

	for (e = 0; e < ARRAY_SIZE(ev); e++) {
		for (x = 0; x < 64; x++) {
			struct perf_event_attr a = {
				.size = sizeof(a), .type = ev[e].type,
				.config = ev[e].config, .freq = 1,
				.sample_freq = rate[0].n, .disabled = 1,
				.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
					       PERF_SAMPLE_TIME,
				.exclude_user = !!(x & 1), .exclude_kernel = !!(x & 2),
				.exclude_hv = !!(x & 4), .exclude_host = !!(x & 8),
				.exclude_guest = !!(x & 16), .exclude_idle = !!(x & 32),
			};

			snprintf(what, sizeof(what), "%s, exclude_%s%s%s%s%s%s", ev[e].name,
				 x & 1 ? "user," : "", x & 2 ? "kernel," : "",
				 x & 4 ? "hv," : "", x & 8 ? "host," : "",
				 x & 16 ? "guest," : "", x & 32 ? "idle," : "");
			try_attr(&a, tid, what);
		}
	}
	for (k = 0; k < ARRAY_SIZE(st_kind); k++)
	for (r = 0; r < ARRAY_SIZE(rate); r++)
	for (inh = 0; inh < 2; inh++)
	for (g = 0; g < 2; g++) {
		struct perf_event_attr a = {
			.size = sizeof(a), .type = PERF_TYPE_HARDWARE,
			.config = PERF_COUNT_HW_CPU_CYCLES, .disabled = 1,
			.freq = rate[r].freq, .sample_period = rate[r].n,
			.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
				       PERF_SAMPLE_TIME | st_kind[k].type,
			.exclude_callchain_kernel = st_kind[k].excl == 1,
			.exclude_callchain_user = st_kind[k].excl == 2,
			.exclude_kernel = st_kind[k].excl == 3,
			.sample_regs_intr = (1ul << 32) - 1,
			.sample_regs_user = (1ul << 32) - 1,
			.sample_stack_user = 2048,
			.branch_sample_type = PERF_SAMPLE_BRANCH_ANY,
			.inherit = inh, .exclude_guest = g,
		};

		if (!(a.sample_type & PERF_SAMPLE_REGS_INTR))
			a.sample_regs_intr = 0;
		if (!(a.sample_type & PERF_SAMPLE_REGS_USER))
			a.sample_regs_user = a.sample_stack_user = 0;
		if (!(a.sample_type & PERF_SAMPLE_BRANCH_STACK))
			a.branch_sample_type = 0;
		snprintf(what, sizeof(what), "cycles, %s, %s%s%s", st_kind[k].name,
			 rate[r].name, inh ? ", inherit" : "",
			 g ? ", exclude_guest" : "");
		try_attr(&a, tid, what);
	}

	stop = 1;
	pthread_join(st.thread, NULL);
	kvm_vm_free(vm);
	printf("stress_vm: attrs: %u opened (%lu Hz in frequency mode", opened, rate[0].n);
	if (lowest_freq < rate[0].n)
		printf(", down to %u Hz as the kernel lowered its limit", lowest_freq);
	printf("), refused:");
	for (i = 0; i < ARRAY_SIZE(documented_errnos); i++)
		if (refused[i])
			printf(" %s %u", strerrorname_np(documented_errnos[i]), refused[i]);
	printf("; %u samples, %u of them guest, %u throttle records\n",
	       total_samples, total_guest, total_throttles);
	CHECK(opened > 0, "attrs: no event opened");
	CHECK(total_guest > 0, "attrs: no guest sample at all");
	return failures ? 1 : 0;
}

/* Guests that misbehave. */

static void guest_bad(uint64_t what)
{
	uint64_t end = csr_read(CSR_TIME) + chunk_ticks * 20;
	volatile uint64_t *ro = (void *)RO_GPA;
	unsigned long x;

	switch (what) {
	case 0:		/* jump to memory that is not there */
		((void (*)(void))NOWHERE_GPA)();
		break;
	case 1:		/* a hypervisor CSR: KVM refuses it, the guest gets SIGILL */
		while (csr_read(CSR_TIME) < end)
			asm volatile("csrr %0, hstatus" : "=r" (x));
		break;
	case 2:		/* a counter KVM emulates (hcounteren off for cycle) */
		while (csr_read(CSR_TIME) < end)
			asm volatile("csrr %0, cycle" : "=r" (x));
		break;
	case 3:		/* SBI calls to an extension nobody has */
		while (csr_read(CSR_TIME) < end)
			GUEST_ASSERT(sbi_ecall(SBI_EXT_NONE, 0, 0, 0, 0, 0, 0, 0).error ==
				     SBI_ERR_NOT_SUPPORTED);
		break;
	case 4:		/* stores to a read-only slot: MMIO exits */
		while (csr_read(CSR_TIME) < end)
			*ro = end;
		break;
	case 5:		/* a system reset request */
		sbi_ecall(SBI_EXT_SRST, 0, 0, 0, 0, 0, 0, 0);
		break;
	}
	GUEST_DONE();
}

static unsigned int illegal_traps, fetch_faults;
static uint64_t fetch_fault_pc, fetch_fault_addr;

static void guest_illegal(struct pt_regs *regs)
{
	illegal_traps++;
	regs->epc += 4;
}

/*
 * The jump to memory that is not there, where KVM gives the guest an
 * instruction access fault (as a hart fetching from no memory takes) in
 * place of failing KVM_RUN: note it, and return to the jump's caller.
 */
static void guest_fetch_fault(struct pt_regs *regs)
{
	fetch_faults++;
	fetch_fault_pc = regs->epc;
	fetch_fault_addr = csr_read(CSR_STVAL);
	regs->epc = regs->ra;
}

static int run_bad_guests(void)
{
	static const char * const name[] = {
		"jump to unmapped memory", "hypervisor CSR reads", "cycle CSR reads",
		"unknown SBI extension calls", "stores to read-only memory",
		"system reset",
	};
	unsigned int w;

	for (w = 0; w < ARRAY_SIZE(name); w++) {
		struct kvm_vcpu *vcpu;
		struct kvm_vm *vm;
		struct ucall uc;
		uint64_t mmio = 0, start = now_ns();
		unsigned int traps, faults;
		const char *end;
		int r, err = 0;

		vm = vm_create_with_one_vcpu(&vcpu, guest_bad);
		vm_init_vector_tables(vm);
		vcpu_init_vector_tables(vcpu);
		vm_install_exception_handler(vm, EXC_INST_ILLEGAL, guest_illegal);
		vm_install_exception_handler(vm, EXC_INST_ACCESS, guest_fetch_fault);
		vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, RO_GPA, RO_SLOT,
					    1, KVM_MEM_READONLY);
		virt_map(vm, RO_GPA, RO_GPA, 1);
		virt_map(vm, NOWHERE_GPA, NOWHERE_GPA, 1);
		sync_global_to_guest(vm, chunk_ticks);
		vcpu_args_set(vcpu, 1, w);

		for (;;) {
			r = _vcpu_run(vcpu);
			if (r)
				break;
			if (vcpu->run->exit_reason == KVM_EXIT_MMIO) {
				mmio++;
				continue;
			}
			break;
		}
		if (r)
			err = errno;
		sync_global_from_guest(vm, illegal_traps);
		sync_global_from_guest(vm, fetch_faults);
		sync_global_from_guest(vm, fetch_fault_pc);
		sync_global_from_guest(vm, fetch_fault_addr);
		traps = illegal_traps;
		faults = fetch_faults;
		if (r) {
			end = strerror(err);
		} else if (vcpu->run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
			end = "system event";
		} else {
			switch (get_ucall(vcpu, &uc)) {
			case UCALL_DONE:
				end = "done";
				break;
			case UCALL_ABORT:
				REPORT_GUEST_ASSERT(uc);
				end = "assert";
				break;
			default:
				end = "unexpected exit";
			}
		}
		printf("stress_vm: bad guest, %s: ended with %s after %.0f ms (%lu MMIO exits, %u illegal-instruction traps, %u instruction access faults in the guest)\n",
		       name[w], end, (now_ns() - start) / 1e6, mmio, traps, faults);
		switch (w) {
		case 0:
			/*
			 * A fetch from a GPA no memslot backs: KVM_RUN fails
			 * with EOPNOTSUPP (6.12), or the guest takes an
			 * instruction access fault there (mainline).
			 */
			CHECK((r && err == EOPNOTSUPP) ||
			      (!r && !strcmp(end, "done") && faults == 1 &&
			       fetch_fault_pc == NOWHERE_GPA &&
			       fetch_fault_addr == NOWHERE_GPA),
			      "%s: KVM_RUN should fail with EOPNOTSUPP or the guest take one instruction access fault at 0x%lx (%u at pc 0x%lx, stval 0x%lx)",
			      name[w], NOWHERE_GPA, faults, fetch_fault_pc, fetch_fault_addr);
			break;
		case 1:
			CHECK(!r && traps > 0, "%s: the guest should get illegal-instruction traps", name[w]);
			break;
		case 4:
			CHECK(!r && mmio > 0, "%s: stores should exit as MMIO", name[w]);
			break;
		case 5:
			CHECK(!r && vcpu->run->exit_reason == KVM_EXIT_SYSTEM_EVENT,
			      "%s: should exit with a system event", name[w]);
			break;
		default:
			CHECK(!r && !strcmp(end, "done"), "%s: should run to its end", name[w]);
		}
		kvm_vm_free(vm);
	}
	return failures ? 1 : 0;
}

int main(int argc, char *argv[])
{
	uint64_t freq;

	if (argc < 2 || (!strcmp(argv[1], "run") && argc < 4) ||
	    (!strcmp(argv[1], "sleep") && argc < 3)) {
		printf("usage: stress_vm run PHASE SECONDS [VCPUS] | attrs | bad-guests | sleep MS\n");
		return 2;
	}
	if (!strcmp(argv[1], "sleep")) {
		usleep(strtoul(argv[2], NULL, 0) * 1000);
		return 0;
	}
	freq = timer_freq();
	chunk_ticks = freq * CHUNK_MS / 1000;
	wfi_ticks = freq / 20000;	/* 50 us */

	if (!strcmp(argv[1], "run"))
		return run_phase(argv[2], strtoul(argv[3], NULL, 0),
				 argc > 4 ? atoi(argv[4]) : 4);
	if (!strcmp(argv[1], "attrs"))
		return run_attrs();
	if (!strcmp(argv[1], "bad-guests"))
		return run_bad_guests();
	printf("stress_vm: unknown command %s\n", argv[1]);
	return 2;
}
