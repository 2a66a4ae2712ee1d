// SPDX-License-Identifier: GPL-2.0-only
/*
 * unmap_walk - unmap a guest's frame records from another thread while
 * perf walks them for the guest's callchains.
 *
 * The host's walk of a guest callchain (kvm_riscv_perf_walk()) reads the
 * guest's frame records with HLV in the interrupt that took the sample,
 * in the run loop's window after a guest exit.  It reads through the
 * G-stage mapping, with no reference on the page it reads: a G-stage
 * unmap on another CPU (an MMU-notifier invalidation, a memslot
 * deletion) must wait for the walk before the page is freed, or the walk
 * reads a page that belongs to someone else by then.  The series puts
 * the vCPU in READING_SHADOW_PAGE_TABLES mode for the walk so that the
 * unmap's flush request, which waits, waits for it.  This test attacks
 * that window.
 *
 * A selftest-library VM of 2 vCPUs, one thread each, pinned to harts 0
 * and 1 and swapped between them every 200 ms.  Each guest spins in
 * VS-mode with sp and s0 in a 16 KiB block of its own (the walk's bound
 * in VS-mode is the end of the 16 KiB block that holds sp), in a memslot
 * of its own backed by anonymous memory that the host writes: sp is 64
 * bytes into the block, and 8 frame records rise from it, one every
 * 2 KiB, so that each of the block's 4 pages holds 2.  Their return
 * addresses are markers in guest text (each the address after a jal to
 * ra, as a return address is; 8 per vCPU, none shared), the last
 * record's frame pointer is 0.  The guest's ra is its first marker, so
 * that a walk that takes the first record for a leaf's also gives a
 * marker.  Every 100 us of guest time the guest loads a word from each
 * of the 4 pages, so that KVM maps them again in the G-stage after an
 * unmap; a load while the memslot is deleted is an MMIO exit, which this
 * VMM answers with zeros, and the guest goes on.  (6.12's G-stage fault
 * handler looks the memslot up twice, in kvm_riscv_vcpu_exit() and
 * again in gfn_to_pfn_prot(): a deletion in between makes KVM_RUN fail
 * with EFAULT.  A KVM matter of its own, not the walk's: the VMM counts
 * them and enters the guest again, which retries the load.)  Every
 * 10 ms of guest
 * time the guest leaves the block and reports to the host (GUEST_SYNC).
 *
 * A host thread, every 1 ms, drops the memslot's pages with
 * madvise(MADV_DONTNEED), which zaps their G-stage mappings through the
 * MMU notifier and frees them; fills as many pages of a poison buffer
 * with POISON, which takes pages just freed when the allocator hands
 * them out again; writes the records again; and drops the poison pages.
 * A walk that read a page after it was freed would then give POISON (or
 * another stranger's value), not a marker.  Every 50th round it deletes
 * the memslot (KVM_SET_USER_MEMORY_REGION with memory_size 0) and
 * creates it again at once, with the same backing.
 *
 * cycles (if the host has it) and cpu-clock sample each vCPU thread,
 * exclude_guest = 0, PERF_SAMPLE_IP | TID | CALLCHAIN, at the highest
 * rate kernel.perf_event_max_sample_rate allows, at most 4000 Hz, for
 * the whole run; the main thread reads the rings every 10 ms.
 *
 * Checks:
 *  - the run lasted as long as asked, and each vCPU made progress;
 *  - the attack ran: unmaps and memslot deletions were done;
 *  - every sample record is well formed: its size is that of IP, TID
 *    and a callchain of its nr entries, and its TID the vCPU thread's;
 *  - every guest sample in the spin loop has a chain of the guest kernel
 *    context, the guest's PC, then a prefix of its own vCPU's markers in
 *    the records' order: at most 8 + 2 entries, each written by the
 *    test.  The records' words are each either the test's value or 0
 *    (a dropped page not yet written again), which ends the walk, so a
 *    chain cut short by an unmap is fine, any other value is not;
 *  - at least 100 such samples (fewer are too few to decide: FAIL; the
 *    debug kernel under QEMU 7.2 gave 160 in a slow run, 10087 here);
 *  - no WARNING, BUG:, Oops, KASAN, lockdep or Call Trace in the kernel
 *    log (/dev/kmsg) since the test started.
 * The number of unmaps, and of chains whole, cut and of the PC alone,
 * are printed as figures.
 *
 * usage: unmap_walk [SECONDS]    (the run's length, default 12, >= 1)
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
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"
#include "kvm_compat.h"

#define NR_VCPUS		2
#define NR_RECORDS		8
#define PAGE			4096ul

/*
 * The frame-record area: a 16 KiB block per vCPU, guest physical and
 * virtual address the same, in a memslot of its own.  In each block sp
 * is SP_OFF bytes in and record k's frame pointer FP_OFF(k) bytes in:
 * the record itself is the 16 bytes below it.
 */
#define BLOCK_SIZE		(16 * 1024ul)
#define AREA_GPA		0x100000000ul
#define AREA_SLOT		1
#define AREA_SIZE		(NR_VCPUS * BLOCK_SIZE)
#define SP_OFF			64
#define FP_OFF(k)		(128 + 2048 * (k))

#define DEFAULT_SECONDS		12
#define CHUNK_MS		10
#define TOUCH_US		100
#define UNMAP_US		1000
#define DELETE_EVERY		50
#define MOVE_MS			200
#define READ_MS			10
#define MAX_FREQ		4000
#define RING_PAGES		128
#define MIN_SAMPLES		100
#define POISON			0xbad0bad0bad0bad0ul

static int failures;

#define PASS(fmt, ...) printf("unmap_walk: ok: " fmt "\n", ##__VA_ARGS__)
#define FAIL(fmt, ...) do {						\
	printf("unmap_walk: FAIL: " fmt "\n", ##__VA_ARGS__);		\
	failures++;							\
} while (0)

/*
 * The return-address markers: 8 per vCPU, marker k of vCPU i being the
 * address after the (i * NR_RECORDS + k)th jal to ra.  Never run.
 */
__naked void record_marks(void)
{
	asm("	.option	push\n"
	    "	.option	norvc\n"
	    "	.rept	" __stringify(NR_VCPUS * NR_RECORDS) "\n"
	    "	jal	ra, record_marks\n"
	    "	.endr\n"
	    "	.option	pop\n");
}

static uint64_t mark(int vcpu, int k)
{
	return (uint64_t)record_marks + 4 * (vcpu * NR_RECORDS + k + 1);
}

/*
 * Spin until the time CSR reaches a0 with sp and s0 in the block at a1
 * and ra = a3; every a2 ticks load a word from each of the block's 4
 * pages.  No memory is written, nothing is called: the block holds only
 * what the host wrote.  sp, s0 and ra are kept in a4 to a6 meanwhile.
 * Samples count as the records' with a PC in [record_loop,
 * record_loop_end).
 */
__naked void record_spin(uint64_t deadline, uint64_t block, uint64_t touch,
			 uint64_t ra0)
{
	asm("	mv	a4, sp\n"
	    "	mv	a5, s0\n"
	    "	mv	a6, ra\n"
	    "	addi	sp, a1, " __stringify(SP_OFF) "\n"
	    "	addi	s0, a1, " __stringify(FP_OFF(0)) "\n"
	    "	mv	ra, a3\n"
	    "	li	t3, 4096\n"
	    "	rdtime	t1\n"
	    "	.globl	record_loop\n"
	    "record_loop:\n"
	    "	rdtime	t0\n"
	    "	bltu	t0, t1, 1f\n"
	    "	mv	t4, a1\n"
	    "	ld	t2, 0(t4)\n"
	    "	add	t4, t4, t3\n"
	    "	ld	t2, 0(t4)\n"
	    "	add	t4, t4, t3\n"
	    "	ld	t2, 0(t4)\n"
	    "	add	t4, t4, t3\n"
	    "	ld	t2, 0(t4)\n"
	    "	add	t1, t0, a2\n"
	    "1:	bltu	t0, a0, record_loop\n"
	    "	.globl	record_loop_end\n"
	    "record_loop_end:\n"
	    "	mv	sp, a4\n"
	    "	mv	s0, a5\n"
	    "	mv	ra, a6\n"
	    "	ret\n");
}

extern char record_loop[], record_loop_end[];

static void guest_code(uint64_t block, uint64_t chunk, uint64_t touch,
		       uint64_t ra0)
{
	for (;;) {
		record_spin(csr_read(CSR_TIME) + chunk, block, touch, ra0);
		GUEST_SYNC(0);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The area's backing, the poison buffer, and the VM they are in. */
static uint64_t *area, *poison;
static struct kvm_vm *vm;

/* Write both vCPUs' frame records into the area's backing. */
static void write_records(void)
{
	int i, k;

	for (i = 0; i < NR_VCPUS; i++) {
		uint64_t gva = AREA_GPA + i * BLOCK_SIZE;
		uint64_t *b = area + i * BLOCK_SIZE / 8;

		for (k = 0; k < NR_RECORDS; k++) {
			b[(FP_OFF(k) - 16) / 8] = k + 1 < NR_RECORDS ?
				gva + FP_OFF(k + 1) : 0;
			b[(FP_OFF(k) - 8) / 8] = mark(i, k);
		}
	}
}

struct vcpu_state {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	pid_t tid;
	uint64_t syncs, mmio, efault;
};

static volatile int stop_vcpus, stop_unmap;

static void *vcpu_thread(void *arg)
{
	struct vcpu_state *st = arg;
	struct kvm_run *run = st->vcpu->run;
	struct ucall uc;

	__atomic_store_n(&st->tid, gettid(), __ATOMIC_RELEASE);
	while (!stop_vcpus) {
		/*
		 * 6.12's G-stage fault looks the memslot up twice: a deletion
		 * in between makes KVM_RUN fail with EFAULT, the guest's access
		 * not done.  Enter the guest again: the access is retried.
		 */
		if (_vcpu_run(st->vcpu)) {
			TEST_ASSERT(errno == EFAULT, "vCPU %u: KVM_RUN: %s",
				    st->vcpu->id, strerror(errno));
			st->efault++;
			continue;
		}
		switch (get_ucall(st->vcpu, &uc)) {
		case UCALL_SYNC:
			st->syncs++;
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		case UCALL_NONE:
			/* A touch of the area while its memslot is deleted. */
			TEST_ASSERT(run->exit_reason == KVM_EXIT_MMIO &&
				    !run->mmio.is_write &&
				    run->mmio.phys_addr >= AREA_GPA &&
				    run->mmio.phys_addr < AREA_GPA + AREA_SIZE,
				    "vCPU %u: unexpected exit %u",
				    st->vcpu->id, run->exit_reason);
			memset(run->mmio.data, 0, sizeof(run->mmio.data));
			st->mmio++;
			break;
		default:
			TEST_FAIL("vCPU %u: unexpected ucall", st->vcpu->id);
		}
	}
	return NULL;
}

static uint64_t unmaps, deletions, unmap_ns;

/*
 * Every UNMAP_US: drop the area's pages, hand them to the poison buffer,
 * write the records again on fresh pages, drop the poison; every
 * DELETE_EVERY rounds delete the memslot and create it again.
 */
static void *unmap_thread(void *arg)
{
	uint64_t start = now_ns();
	unsigned int w;

	while (!stop_unmap) {
		TEST_ASSERT(!madvise(area, AREA_SIZE, MADV_DONTNEED),
			    "madvise: %s", strerror(errno));
		unmaps++;
		for (w = 0; w < AREA_SIZE / 8; w++)
			poison[w] = POISON;
		write_records();
		madvise(poison, AREA_SIZE, MADV_DONTNEED);
		if (unmaps % DELETE_EVERY == 0) {
			vm_set_user_memory_region(vm, AREA_SLOT, 0, AREA_GPA,
						  0, area);
			vm_set_user_memory_region(vm, AREA_SLOT, 0, AREA_GPA,
						  AREA_SIZE, area);
			deletions++;
		}
		usleep(UNMAP_US);
	}
	unmap_ns = now_ns() - start;
	return NULL;
}

/* What the samples of the rings gave. */
struct tally {
	uint64_t samples, malformed, bad_tid, guest, host, loop, other_guest;
	uint64_t bad_head, too_long, bad_entry, poisoned;
	uint64_t whole, cut, pc_alone, cut_len[NR_RECORDS];
	uint64_t lost, throttles;
	uint64_t bad_value;	/* the first wrong entry seen */
};

struct ring {
	int fd, vcpu;
	const char *name;
	void *base;
	struct tally t;
};

static struct vcpu_state vst[NR_VCPUS];

/* Check one guest sample's chain: ips[0..nr) of vCPU @vcpu at @ip. */
static void check_chain(struct tally *t, int vcpu, uint64_t ip,
			const uint64_t *ips, uint64_t nr)
{
	uint64_t j, rets;

	if (nr < 2 || ips[0] != PERF_CONTEXT_GUEST_KERNEL || ips[1] != ip) {
		t->bad_head++;
		return;
	}
	if (nr > NR_RECORDS + 2)
		t->too_long++;
	rets = nr - 2;
	for (j = 0; j < rets; j++) {
		if (j < NR_RECORDS && ips[2 + j] == mark(vcpu, j))
			continue;
		t->bad_entry++;
		if (ips[2 + j] == POISON)
			t->poisoned++;
		if (!t->bad_value)
			t->bad_value = ips[2 + j];
		return;
	}
	if (rets >= NR_RECORDS)
		t->whole++;
	else if (!rets)
		t->pc_alone++;
	else {
		t->cut++;
		t->cut_len[rets]++;
	}
}

static uint64_t rec[512];

/* Read the samples in @r's ring: IP, TID, CALLCHAIN. */
static void read_ring(struct ring *r)
{
	struct perf_event_mmap_page *pg = r->base;
	uint64_t size = RING_PAGES * PAGE;
	uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = pg->data_tail;
	char *data = (char *)r->base + PAGE;
	struct tally *t = &r->t;

	while (tail < head) {
		struct perf_event_header h;
		uint64_t i, nr, tid;
		uint16_t mode;

		for (i = 0; i < sizeof(h); i++)
			((char *)&h)[i] = data[(tail + i) % size];
		if (h.size < sizeof(h) || h.size % 8 || tail + h.size > head) {
			/* Nothing after it can be found: count it, stop. */
			t->malformed++;
			tail = head;
			break;
		}
		if (h.size > sizeof(rec)) {
			if (h.type == PERF_RECORD_SAMPLE) {
				t->samples++;
				t->malformed++;
			}
			tail += h.size;
			continue;
		}
		for (i = 0; i < h.size; i++)
			((char *)rec)[i] = data[(tail + i) % size];
		tail += h.size;

		if (h.type == PERF_RECORD_LOST) {
			t->lost += h.size >= 24 ? rec[2] : 0;
			continue;
		}
		if (h.type == PERF_RECORD_THROTTLE) {
			t->throttles++;
			continue;
		}
		if (h.type != PERF_RECORD_SAMPLE)
			continue;

		/* rec[0] header, [1] ip, [2] pid/tid, [3] nr, [4..] ips. */
		t->samples++;
		nr = h.size >= 32 ? rec[3] : ~0ull;
		if (h.size < 32 || nr > (h.size - 32) / 8 ||
		    h.size != 32 + 8 * nr) {
			t->malformed++;
			continue;
		}
		tid = rec[2] >> 32;
		if (tid != (uint64_t)vst[r->vcpu].tid)
			t->bad_tid++;
		mode = h.misc & PERF_RECORD_MISC_CPUMODE_MASK;
		if (mode != PERF_RECORD_MISC_GUEST_KERNEL &&
		    mode != PERF_RECORD_MISC_GUEST_USER) {
			t->host++;
			continue;
		}
		t->guest++;
		if (rec[1] < (uint64_t)record_loop ||
		    rec[1] >= (uint64_t)record_loop_end) {
			t->other_guest++;
			continue;
		}
		t->loop++;
		if (mode != PERF_RECORD_MISC_GUEST_KERNEL) {
			t->bad_head++;
			continue;
		}
		check_chain(t, r->vcpu, rec[1], &rec[4], nr);
	}
	__atomic_store_n(&pg->data_tail, tail, __ATOMIC_RELEASE);
}

/* The highest rate kernel.perf_event_max_sample_rate allows, <= 4000. */
static unsigned int sample_freq(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_sample_rate", "r");
	unsigned int rate = MAX_FREQ;

	if (f) {
		if (fscanf(f, "%u", &rate) != 1 || !rate || rate > MAX_FREQ)
			rate = MAX_FREQ;
		fclose(f);
	}
	return rate;
}

static const char * const splats[] = {
	"WARNING", "BUG:", "Oops", "KASAN", "lockdep", "Call Trace",
};

/*
 * Read the kernel log records from @fd (/dev/kmsg, non-blocking) up to
 * its end, and count those that hold a splat's mark; print the first
 * few if @print.
 */
static unsigned int read_kmsg(int fd, bool print)
{
	unsigned int n = 0, i;
	char buf[8192];
	ssize_t len;

	for (;;) {
		len = read(fd, buf, sizeof(buf) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* records overwritten: go on */
		if (len <= 0)
			break;
		buf[len] = 0;
		for (i = 0; i < ARRAY_SIZE(splats); i++)
			if (strstr(buf, splats[i]))
				break;
		if (i == ARRAY_SIZE(splats))
			continue;
		if (print && n < 20)
			printf("# kernel log: %s", strchr(buf, ';') ?
			       strchr(buf, ';') + 1 : buf);
		n++;
	}
	return n;
}

static void pin(pthread_t thread, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(thread, sizeof(set), &set);
}

int main(int argc, char *argv[])
{
	static const struct {
		uint32_t type;
		uint64_t config;
		const char *name;
	} ev[] = {
		{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "cycles" },
		{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, "cpu-clock" },
	};
	struct ring rings[NR_VCPUS * ARRAY_SIZE(ev)];
	struct kvm_vcpu *vcpus[NR_VCPUS];
	unsigned int seconds = DEFAULT_SECONDS, freq, nrings = 0, i, e;
	unsigned int before, splat, cpu_clock = 0;
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), kmsg;
	uint64_t tfreq, start, end, elapsed, next_move, moves = 0, mmio = 0;
	uint64_t efault = 0;
	struct tally sum = {};
	pthread_t unmapper;
	char *endp;
	int k;

	if (argc > 2 || (argc == 2 && (!(seconds = strtoul(argv[1], &endp, 0)) ||
				       *endp))) {
		printf("usage: unmap_walk [SECONDS]\n");
		return 2;
	}

	/* The log up to now is not this test's: count it, then read on. */
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	before = kmsg >= 0 ? read_kmsg(kmsg, false) : 0;

	vm = vm_create_with_vcpus(NR_VCPUS, guest_code, vcpus);
	vm_init_vector_tables(vm);
	tfreq = vcpu_get_reg(vcpus[0], RISCV_TIMER_REG(frequency));

	area = mmap(NULL, AREA_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	poison = mmap(NULL, AREA_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(area != MAP_FAILED && poison != MAP_FAILED, "mmap: %s",
		    strerror(errno));
	madvise(area, AREA_SIZE, MADV_NOHUGEPAGE);
	madvise(poison, AREA_SIZE, MADV_NOHUGEPAGE);
	write_records();
	vm_set_user_memory_region(vm, AREA_SLOT, 0, AREA_GPA, AREA_SIZE, area);
	virt_map(vm, AREA_GPA, AREA_GPA, AREA_SIZE / PAGE);
	for (i = 0; i < NR_VCPUS; i++) {
		vcpu_init_vector_tables(vcpus[i]);
		vcpu_args_set(vcpus[i], 4, AREA_GPA + i * BLOCK_SIZE,
			      tfreq * CHUNK_MS / 1000, tfreq * TOUCH_US / 1000000,
			      mark(i, 0));
	}

	freq = sample_freq();
	printf("# %d vCPUs on %d harts, %u s; records at guest 0x%lx (slot %d), %d per vCPU, sp at +%d, frame pointers at +%d + 2048 k of each 16 KiB block\n",
	       NR_VCPUS, ncpu, seconds, AREA_GPA, AREA_SLOT, NR_RECORDS,
	       SP_OFF, FP_OFF(0));
	printf("# guest touches its 4 record pages every %d us, reports every %d ms; host unmaps every %d us, deletes the memslot every %d unmaps\n",
	       TOUCH_US, CHUNK_MS, UNMAP_US, DELETE_EVERY);
	for (i = 0; i < NR_VCPUS; i++) {
		vst[i].vcpu = vcpus[i];
		pthread_create(&vst[i].thread, NULL, vcpu_thread, &vst[i]);
		pin(vst[i].thread, i % ncpu);
		while (!__atomic_load_n(&vst[i].tid, __ATOMIC_ACQUIRE))
			usleep(1000);
	}

	for (i = 0; i < NR_VCPUS; i++) {
		for (e = 0; e < ARRAY_SIZE(ev); e++) {
			struct perf_event_attr a = {
				.size = sizeof(a), .type = ev[e].type,
				.config = ev[e].config, .freq = 1,
				.sample_freq = freq, .disabled = 1,
				.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
					       PERF_SAMPLE_CALLCHAIN,
			};
			struct ring *r = &rings[nrings];

			r->fd = syscall(SYS_perf_event_open, &a, vst[i].tid,
					-1, -1, PERF_FLAG_FD_CLOEXEC);
			if (r->fd < 0) {
				printf("# vCPU %u: %s: not opened: %s\n", i,
				       ev[e].name, strerror(errno));
				continue;
			}
			r->base = mmap(NULL, (RING_PAGES + 1) * PAGE,
				       PROT_READ | PROT_WRITE, MAP_SHARED,
				       r->fd, 0);
			TEST_ASSERT(r->base != MAP_FAILED, "mmap ring: %s",
				    strerror(errno));
			r->vcpu = i;
			r->name = ev[e].name;
			memset(&r->t, 0, sizeof(r->t));
			cpu_clock += e == 1;
			nrings++;
			printf("# vCPU %u: %s at %u Hz, exclude_guest = 0, ip, tid and callchain\n",
			       i, ev[e].name, freq);
		}
	}

	for (i = 0; i < nrings; i++)
		ioctl(rings[i].fd, PERF_EVENT_IOC_ENABLE, 0);
	pthread_create(&unmapper, NULL, unmap_thread, NULL);
	start = now_ns();
	end = start + seconds * 1000000000ull;
	next_move = start + MOVE_MS * 1000000ull;
	while (now_ns() < end) {
		usleep(READ_MS * 1000);
		for (i = 0; i < nrings; i++)
			read_ring(&rings[i]);
		if (ncpu > 1 && now_ns() >= next_move) {
			moves++;
			for (i = 0; i < NR_VCPUS; i++)
				pin(vst[i].thread, (i + moves) % ncpu);
			next_move += MOVE_MS * 1000000ull;
		}
	}
	stop_unmap = 1;
	pthread_join(unmapper, NULL);
	for (i = 0; i < nrings; i++)
		ioctl(rings[i].fd, PERF_EVENT_IOC_DISABLE, 0);
	elapsed = now_ns() - start;
	for (i = 0; i < nrings; i++)
		read_ring(&rings[i]);
	stop_vcpus = 1;
	for (i = 0; i < NR_VCPUS; i++) {
		pthread_join(vst[i].thread, NULL);
		mmio += vst[i].mmio;
		efault += vst[i].efault;
	}

	for (i = 0; i < nrings; i++) {
		struct tally *t = &rings[i].t;

		printf("# vCPU %d %s: %lu samples, %lu guest (%lu in the record loop: %lu whole, %lu cut, %lu PC alone), %lu host, %lu lost, %lu throttled\n",
		       rings[i].vcpu, rings[i].name, t->samples, t->guest,
		       t->loop, t->whole, t->cut, t->pc_alone, t->host,
		       t->lost, t->throttles);
		sum.samples += t->samples;
		sum.malformed += t->malformed;
		sum.bad_tid += t->bad_tid;
		sum.guest += t->guest;
		sum.host += t->host;
		sum.loop += t->loop;
		sum.other_guest += t->other_guest;
		sum.bad_head += t->bad_head;
		sum.too_long += t->too_long;
		sum.bad_entry += t->bad_entry;
		sum.poisoned += t->poisoned;
		sum.whole += t->whole;
		sum.cut += t->cut;
		sum.pc_alone += t->pc_alone;
		sum.lost += t->lost;
		sum.throttles += t->throttles;
		for (k = 0; k < NR_RECORDS; k++)
			sum.cut_len[k] += t->cut_len[k];
		if (!sum.bad_value)
			sum.bad_value = t->bad_value;
	}
	printf("# attack: %lu unmaps in %.1f s (one per %.0f us), %lu memslot deletions, %lu MMIO exits of a guest touch while deleted, %lu KVM_RUN EFAULTs of a G-stage fault racing a deletion, %lu vCPU moves\n",
	       unmaps, unmap_ns / 1e9, unmaps ? unmap_ns / 1e3 / unmaps : 0.0,
	       deletions, mmio, efault, moves);
	printf("# chains in the record loop: %lu whole (%d return addresses), %lu cut by an unmap, %lu of the PC alone; cut after",
	       sum.whole, NR_RECORDS, sum.cut, sum.pc_alone);
	for (k = 1; k < NR_RECORDS; k++)
		printf(" %d: %lu%s", k, sum.cut_len[k],
		       k + 1 < NR_RECORDS ? "," : "\n");
	printf("# guest chunks: vCPU 0 %lu, vCPU 1 %lu; %lu guest samples outside the record loop\n",
	       vst[0].syncs, vst[1].syncs, sum.other_guest);

	if (elapsed >= seconds * 1000000000ull && vst[0].syncs && vst[1].syncs)
		PASS("ran %.2f s (%u s asked); the vCPUs made %lu and %lu chunks of %d ms",
		     elapsed / 1e9, seconds, vst[0].syncs, vst[1].syncs,
		     CHUNK_MS);
	else
		FAIL("ran %.2f s (%u s asked); the vCPUs made %lu and %lu chunks of %d ms",
		     elapsed / 1e9, seconds, vst[0].syncs, vst[1].syncs,
		     CHUNK_MS);

	if (unmaps && deletions)
		PASS("attack: %lu unmaps and %lu memslot deletions while sampling",
		     unmaps, deletions);
	else
		FAIL("attack: %lu unmaps and %lu memslot deletions: the race was not run",
		     unmaps, deletions);

	if (!cpu_clock)
		FAIL("cpu-clock did not open on the vCPU threads");

	if (!sum.malformed && !sum.bad_tid)
		PASS("records: %lu samples, all well formed (size that of nr entries) and of the vCPU thread",
		     sum.samples);
	else
		FAIL("records: %lu samples, %lu malformed, %lu of another TID",
		     sum.samples, sum.malformed, sum.bad_tid);

	if (!sum.bad_head && !sum.too_long && !sum.bad_entry)
		PASS("chains: %lu guest samples in the record loop, each the guest kernel context, the PC and at most %d of its own markers in order",
		     sum.loop, NR_RECORDS);
	else
		FAIL("chains: of %lu guest samples in the record loop, %lu with a wrong head (context, PC), %lu longer than %d entries, %lu with an entry the guest never wrote (%lu POISON; first 0x%lx)",
		     sum.loop, sum.bad_head, sum.too_long, NR_RECORDS + 2,
		     sum.bad_entry, sum.poisoned, sum.bad_value);

	if (sum.loop >= MIN_SAMPLES)
		PASS("samples: %lu guest samples in the record loop (>= %d)",
		     sum.loop, MIN_SAMPLES);
	else
		FAIL("samples: %lu guest samples in the record loop, < %d: too few to decide",
		     sum.loop, MIN_SAMPLES);

	kvm_vm_free(vm);
	munmap(area, AREA_SIZE);
	munmap(poison, AREA_SIZE);

	/* Let a late splat of the teardown reach the log. */
	usleep(200000);
	if (kmsg < 0) {
		FAIL("kernel log: /dev/kmsg: %s", strerror(errno));
	} else {
		splat = read_kmsg(kmsg, true);
		printf("# kernel log: %u splat lines before the test (not its own)\n",
		       before);
		if (!splat)
			PASS("kernel log: no WARNING, BUG:, Oops, KASAN, lockdep or Call Trace since the test started");
		else
			FAIL("kernel log: %u records with a splat since the test started",
			     splat);
		close(kmsg);
	}

	if (failures) {
		printf("unmap_walk: FAIL: %d checks failed\n", failures);
		return 1;
	}
	printf("unmap_walk: ok: all checks held\n");
	return 0;
}
