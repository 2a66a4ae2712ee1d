// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpf_stack - a BPF program that calls bpf_get_stack() and
 * bpf_get_stackid() on perf samples with callchains must never corrupt
 * the sample records, of the guest or of the host.
 *
 * perf runs a BPF_PROG_TYPE_PERF_EVENT program on each sample before it
 * writes the record, and the record's callchain is the per-CPU
 * callchain entry that perf_prepare_sample() filled and sized.  A guest
 * sample's callchain is the guest's (PERF_CONTEXT_GUEST_KERNEL, the
 * guest PC, the guest's return addresses): if the stack helpers walk the
 * host's stacks for it instead, they take the same per-CPU entry in the
 * same interrupt and overwrite the chain, and the record then has a size
 * that does not match the chain it carries, and host kernel frames in a
 * guest sample.  The series makes both helpers fail with -EFAULT on a
 * sample whose callchain starts with a guest context (bpf_get_stack()
 * zeroes its buffer), and leaves host samples as they were.
 *
 * A VM of one vCPU, run by this thread pinned to CPU 0, spins in VS-mode
 * in the leaf of a chain of three functions with frame records as GCC
 * lays them out (bs_chain_top() -> bs_chain_mid() -> bs_chain_leaf()),
 * called from guest_code(); between guest phases the VMM spins in host
 * user and kernel mode (getppid() loops).  cycles and cpu-clock sample
 * the thread (each its own event; cycles is skipped if it cannot be
 * opened) with IP, TID and CALLCHAIN, exclude_guest = 0, at 1000 Hz (or
 * kernel.perf_event_max_sample_rate), and each has a program that calls
 * bpf_get_stack(ctx, buf, 256, 0) and bpf_get_stackid(ctx, stackmap, 0)
 * and counts their results in an array map, then returns 1 so that the
 * record is written.  Checks, for each event:
 *  - every PERF_RECORD_SAMPLE is well formed: header.size is exactly
 *    8 (header) + 8 (ip) + 8 (pid, tid) + 8 (nr) + 8 * nr;
 *  - enough records: at least MIN_SAMPLES guest-tagged ones, host ones,
 *    and guest kernel ones with the PC in the leaf's loop, or FAIL;
 *  - every guest-tagged record has the guest context first, then its
 *    PC, then only guest code addresses: no host frame;
 *  - every guest kernel record with its PC in the leaf's loop has the
 *    whole chain after PERF_CONTEXT_GUEST_KERNEL: the PC, the returns
 *    into bs_chain_mid(), bs_chain_top() and guest_code().  KVM gives the
 *    PC alone when it skips the walk for a pending vCPU request: such
 *    records may be up to 100 - MIN_WHOLE_PCT percent of them;
 *  - the program's counts match the records: one run per record;
 *    bpf_get_stack() fails with -EFAULT exactly for the guest-tagged
 *    records and returns >= 0 for the host ones, whose byte counts sum
 *    to 8 * min(kernel entries, depth) over the host records (the kernel
 *    entries of a chain being those before PERF_CONTEXT_USER, the
 *    helper's count_kernel_ip()); bpf_get_stackid() fails with -EFAULT
 *    for the guest-tagged records and for the host records whose chain
 *    has no kernel entry (host user samples: the helper has no kernel
 *    stack to hash there, with or without the series), and gives a stack
 *    id >= 0 or -EEXIST (a hash bucket held by another stack, its result
 *    for flags 0) for the other host records; no other error.
 * A record that the ring buffer dropped (PERF_RECORD_LOST) had its
 * program run but left no record: with L lost, the run count must be the
 * records plus L, and each count may exceed what the records want by up
 * to L (the byte sum may then only be larger).  Throttling stops the
 * sampling but writes every sample it took: the counts stay exact.
 *
 * bpf_stack [ROUNDS [MS]]	(default 6 rounds of a 300 ms guest phase, in
 *				guest time, and a 300 ms host phase)
 *
 * Exit status 0 when every check held, 1 otherwise, 2 for usage.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
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

#define ROUNDS		6
#define PHASE_MS	300
#define MAX_FREQ	1000
#define RING_PAGES	256
/* Fewer records than this of a kind: the run could not decide. */
#define MIN_SAMPLES	50
/* Share of the leaf's records that must hold the whole chain. */
#define MIN_WHOLE_PCT	90

/* bpf_get_stack()'s buffer, on the program's stack, in entries. */
#define STACK_ENTRIES	32
#define STACK_BUF	(STACK_ENTRIES * 8)
/* The stack map: its buckets hold as many entries as the buffer. */
#define STACKMAP_SIZE	4096

/* The program's counters: a map value of NR_COUNTS u64 per event. */
enum {
	C_RUNS,		/* runs of the program */
	C_STACK_OK,	/* bpf_get_stack() >= 0 */
	C_STACK_NEG,	/* bpf_get_stack() < 0 */
	C_STACK_EFAULT,	/* bpf_get_stack() == -EFAULT */
	C_STACK_BYTES,	/* sum of bpf_get_stack()'s results >= 0 */
	C_SID_OK,	/* bpf_get_stackid() >= 0 */
	C_SID_NEG,	/* bpf_get_stackid() < 0 */
	C_SID_EFAULT,	/* bpf_get_stackid() == -EFAULT */
	C_SID_EEXIST,	/* bpf_get_stackid() == -EEXIST */
	NR_COUNTS,
};

static int failures;

#define CHECK(cond, fmt, ...)						\
	do {								\
		if (cond) {						\
			printf("bpf_stack: ok: " fmt "\n", ##__VA_ARGS__); \
		} else {						\
			printf("bpf_stack: FAIL: " fmt "\n", ##__VA_ARGS__); \
			failures++;					\
		}							\
	} while (0)

/*
 * The guest's chain.  bs_chain_top() and bs_chain_mid() save ra at
 * s0 - 8 and the caller's s0 at s0 - 16, bs_chain_leaf() calls nothing
 * and saves the caller's s0 alone, at s0 - 8, as GCC does with
 * -fno-omit-frame-pointer.  The leaf spins until the time CSR reaches
 * its a0.  bs_chain_top() notes its return address into guest_code() in
 * bs_code_ret, for the host to read back.
 */
uint64_t bs_code_ret;

void bs_chain_top(uint64_t deadline);
extern char bs_leaf_loop[], bs_leaf_loop_end[], bs_ret_mid[], bs_ret_top[];

asm(".pushsection .text\n"
    "	.balign	4\n"
    "	.globl	bs_chain_leaf\n"
    "	.type	bs_chain_leaf, @function\n"
    "bs_chain_leaf:\n"
    "	addi	sp, sp, -16\n"
    "	sd	s0, 8(sp)\n"
    "	addi	s0, sp, 16\n"
    "	.globl	bs_leaf_loop\n"
    "bs_leaf_loop:\n"
    "	rdtime	t0\n"
    "	bltu	t0, a0, bs_leaf_loop\n"
    "	.globl	bs_leaf_loop_end\n"
    "bs_leaf_loop_end:\n"
    "	ld	s0, 8(sp)\n"
    "	addi	sp, sp, 16\n"
    "	ret\n"
    "	.size	bs_chain_leaf, . - bs_chain_leaf\n"
    "\n"
    "	.globl	bs_chain_mid\n"
    "	.type	bs_chain_mid, @function\n"
    "bs_chain_mid:\n"
    "	addi	sp, sp, -16\n"
    "	sd	ra, 8(sp)\n"
    "	sd	s0, 0(sp)\n"
    "	addi	s0, sp, 16\n"
    "	call	bs_chain_leaf\n"
    "	.globl	bs_ret_mid\n"
    "bs_ret_mid:\n"
    "	ld	ra, 8(sp)\n"
    "	ld	s0, 0(sp)\n"
    "	addi	sp, sp, 16\n"
    "	ret\n"
    "	.size	bs_chain_mid, . - bs_chain_mid\n"
    "\n"
    "	.globl	bs_chain_top\n"
    "	.type	bs_chain_top, @function\n"
    "bs_chain_top:\n"
    "	addi	sp, sp, -16\n"
    "	sd	ra, 8(sp)\n"
    "	sd	s0, 0(sp)\n"
    "	addi	s0, sp, 16\n"
    "	lla	t0, bs_code_ret\n"
    "	sd	ra, 0(t0)\n"
    "	call	bs_chain_mid\n"
    "	.globl	bs_ret_top\n"
    "bs_ret_top:\n"
    "	ld	ra, 8(sp)\n"
    "	ld	s0, 0(sp)\n"
    "	addi	sp, sp, 16\n"
    "	ret\n"
    "	.size	bs_chain_top, . - bs_chain_top\n"
    ".popsection\n");

/* Guest time of a guest phase, synced to the guest. */
static uint64_t spin_ticks;

static void guest_code(void)
{
	for (;;) {
		bs_chain_top(csr_read(CSR_TIME) + spin_ticks);
		GUEST_SYNC(0);
	}
}

/* The guest runs this program's text, at the same addresses. */
extern char __executable_start[], etext[];

static bool in_guest_code(uint64_t ip)
{
	return ip >= (uint64_t)__executable_start && ip < (uint64_t)etext;
}

/* What the records of one event showed. */
struct tally {
	uint64_t records;	/* PERF_RECORD_SAMPLE records */
	uint64_t malformed;	/* of those, with a size not 32 + 8 * nr */
	uint64_t garbled;	/* headers that stopped the parse */
	uint64_t guest;		/* cpumode guest kernel or guest user */
	uint64_t guest_bad;	/* of those, host frames or no guest ctx */
	uint64_t leaf;		/* guest kernel, PC in the leaf's loop */
	uint64_t leaf_whole;	/* of those, with the whole chain */
	uint64_t leaf_pc_only;	/* of those, with the PC alone */
	uint64_t leaf_min, leaf_max; /* their chains' nr, context included */
	uint64_t host;		/* any other cpumode */
	uint64_t host_no_kernel; /* of those, none before PERF_CONTEXT_USER */
	uint64_t host_guest_ctx; /* of those, with a guest context */
	uint64_t host_bytes;	/* wanted sum of bpf_get_stack() */
	uint64_t lost, throttle, unthrottle;
};

struct sampler {
	const char *name;
	uint32_t type;
	uint64_t config;
	int fd, prog_fd;
	struct perf_event_mmap_page *page;
	uint64_t data_size;
	struct tally t;
};

static struct sampler samplers[] = {
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, -1, -1 },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, -1, -1 },
};

/* min(STACK_ENTRIES, kernel.perf_event_max_stack): the helper's depth. */
static unsigned int stack_depth = STACK_ENTRIES;

static unsigned int read_sysctl(const char *name, unsigned int dflt)
{
	char path[128];
	unsigned int n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%u", &n) != 1 || !n)
		n = dflt;
	fclose(f);
	return n;
}

/* BPF, with raw bpf(2) calls. */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int map_create(uint32_t type, uint32_t value_size, uint32_t entries)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = sizeof(uint32_t);
	a.value_size = value_size;
	a.max_entries = entries;
	return sys_bpf(BPF_MAP_CREATE, &a);
}

static int map_lookup(int fd, uint32_t key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uint64_t)&key;
	a.value = (uint64_t)value;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
}

#define INSN(c, d, s, o, i)						\
	((struct bpf_insn){ .code = (c), .dst_reg = (d),		\
			    .src_reg = (s), .off = (o), .imm = (i) })
#define MOV_REG(d, s)	INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV_IMM(d, i)	INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD_IMM(d, i)	INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ST_W(d, o, i)	INSN(BPF_ST | BPF_MEM | BPF_W, d, 0, o, i)
#define CALL(f)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define JMP_IMM(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JA(o)		INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define EXIT()		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/* Atomic *(u64 *)(d + 8 * counter) += s. */
#define COUNT(d, s, c)							\
	INSN(BPF_STX | BPF_DW | BPF_ATOMIC, d, s, 8 * (c), BPF_ADD)
/* A 64-bit load of a map's address from its fd: two instructions. */
#define LD_MAP(d, fd)							\
	INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd),	\
	INSN(0, 0, 0, 0, 0)

static char verifier_log[1 << 16];

/*
 * The program of the event whose counters are at @key of @counters:
 *	r7 = bpf_get_stack(ctx, fp - 256, 256, 0)
 *	r8 = bpf_get_stackid(ctx, stackmap, 0)
 *	r0 = &counters[key], then count r7 and r8 in it
 *	return 1
 * The jump offsets count the instructions after the jump.
 */
static int prog_load(int counters, int stackmap, uint32_t key)
{
	const struct bpf_insn insns[] = {
		/* 0 */ MOV_REG(BPF_REG_6, BPF_REG_1),
		MOV_REG(BPF_REG_1, BPF_REG_6),
		MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -STACK_BUF),
		MOV_IMM(BPF_REG_3, STACK_BUF),
		/* 5 */ MOV_IMM(BPF_REG_4, 0),
		CALL(BPF_FUNC_get_stack),
		MOV_REG(BPF_REG_7, BPF_REG_0),
		MOV_REG(BPF_REG_1, BPF_REG_6),
		LD_MAP(BPF_REG_2, stackmap),
		/* 11 */ MOV_IMM(BPF_REG_3, 0),
		CALL(BPF_FUNC_get_stackid),
		MOV_REG(BPF_REG_8, BPF_REG_0),
		ST_W(BPF_REG_10, -STACK_BUF - 4, key),
		/* 15 */ MOV_REG(BPF_REG_2, BPF_REG_10),
		ADD_IMM(BPF_REG_2, -STACK_BUF - 4),
		LD_MAP(BPF_REG_1, counters),
		/* 19 */ CALL(BPF_FUNC_map_lookup_elem),
		/* 20: no counters, to 38 */
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 17),
		MOV_IMM(BPF_REG_1, 1),
		COUNT(BPF_REG_0, BPF_REG_1, C_RUNS),
		/* 23: bpf_get_stack() failed, to 27 */
		JMP_IMM(BPF_JSLT, BPF_REG_7, 0, 3),
		COUNT(BPF_REG_0, BPF_REG_1, C_STACK_OK),
		/* 25 */ COUNT(BPF_REG_0, BPF_REG_7, C_STACK_BYTES),
		/* 26: to 30 */
		JA(3),
		COUNT(BPF_REG_0, BPF_REG_1, C_STACK_NEG),
		/* 28: to 30 */
		JMP_IMM(BPF_JNE, BPF_REG_7, -EFAULT, 1),
		COUNT(BPF_REG_0, BPF_REG_1, C_STACK_EFAULT),
		/* 30: bpf_get_stackid() failed, to 33 */
		JMP_IMM(BPF_JSLT, BPF_REG_8, 0, 2),
		COUNT(BPF_REG_0, BPF_REG_1, C_SID_OK),
		/* 32: to 38 */
		JA(5),
		COUNT(BPF_REG_0, BPF_REG_1, C_SID_NEG),
		/* 34: to 36 */
		JMP_IMM(BPF_JNE, BPF_REG_8, -EFAULT, 1),
		/* 35 */ COUNT(BPF_REG_0, BPF_REG_1, C_SID_EFAULT),
		/* 36: to 38 */
		JMP_IMM(BPF_JNE, BPF_REG_8, -EEXIST, 1),
		COUNT(BPF_REG_0, BPF_REG_1, C_SID_EEXIST),
		/* 38: keep the sample */
		MOV_IMM(BPF_REG_0, 1),
		EXIT(),
	};
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_PERF_EVENT;
	a.insns = (uint64_t)insns;
	a.insn_cnt = ARRAY_SIZE(insns);
	a.license = (uint64_t)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0)
		return fd;

	/* Load it again with the verifier's log, to say why. */
	printf("# BPF_PROG_LOAD: %s; the verifier's log:\n", strerror(errno));
	a.log_level = 1;
	a.log_buf = (uint64_t)verifier_log;
	a.log_size = sizeof(verifier_log);
	if (sys_bpf(BPF_PROG_LOAD, &a) < 0)
		printf("%s\n", verifier_log);
	return -1;
}

/* perf */

static unsigned int sample_freq(void)
{
	unsigned int rate = read_sysctl("perf_event_max_sample_rate", MAX_FREQ);

	return rate < MAX_FREQ ? rate : MAX_FREQ;
}

/* Open @s on this thread, map its ring, attach its program. */
static int sampler_open(struct sampler *s, int prog_fd)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = s->type,
		.config = s->config,
		.freq = 1,
		.sample_freq = sample_freq(),
		.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			       PERF_SAMPLE_CALLCHAIN,
		.disabled = 1,
		.exclude_guest = 0,
	};
	long page_size = getpagesize();
	void *ring;

	s->fd = syscall(__NR_perf_event_open, &attr, 0, -1, -1,
			PERF_FLAG_FD_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	s->data_size = (uint64_t)RING_PAGES * page_size;
	ring = mmap(NULL, s->data_size + page_size, PROT_READ | PROT_WRITE,
		    MAP_SHARED, s->fd, 0);
	TEST_ASSERT(ring != MAP_FAILED, "mmap of the %s ring: %s", s->name,
		    strerror(errno));
	s->page = ring;
	TEST_ASSERT(!ioctl(s->fd, PERF_EVENT_IOC_SET_BPF, prog_fd),
		    "PERF_EVENT_IOC_SET_BPF on %s: %s", s->name, strerror(errno));
	s->prog_fd = prog_fd;
	printf("# %s: opened at %llu Hz, program attached\n", s->name,
	       attr.sample_freq);
	return 0;
}

static void samplers_ctl(unsigned long req)
{
	for (int i = 0; i < ARRAY_SIZE(samplers); i++)
		if (samplers[i].fd >= 0)
			TEST_ASSERT(!ioctl(samplers[i].fd, req, 0),
				    "perf ioctl on %s: %s", samplers[i].name,
				    strerror(errno));
}

/* The records of the leaf's chain, read back from the guest. */
static uint64_t want_chain[4];

/* Check one sample record: @rec holds @size bytes, the header first. */
static void count_sample(struct tally *t, const uint64_t *rec, uint64_t size)
{
	unsigned int mode = ((const struct perf_event_header *)rec)->misc &
			    PERF_RECORD_MISC_CPUMODE_MASK;
	uint64_t ip, nr, i, nk;
	const uint64_t *chain = &rec[4];

	t->records++;
	if (size < 4 * 8) {
		t->malformed++;
		return;
	}
	ip = rec[1];
	nr = rec[3];
	if ((size - 4 * 8) % 8 || (size - 4 * 8) / 8 != nr) {
		t->malformed++;
		/* Read no further than the record. */
		if (nr > (size - 4 * 8) / 8)
			nr = (size - 4 * 8) / 8;
	}

	if (mode == PERF_RECORD_MISC_GUEST_KERNEL ||
	    mode == PERF_RECORD_MISC_GUEST_USER) {
		uint64_t ctx = PERF_CONTEXT_GUEST_USER;
		bool bad;

		if (mode == PERF_RECORD_MISC_GUEST_KERNEL)
			ctx = PERF_CONTEXT_GUEST_KERNEL;
		bad = nr < 2 || chain[0] != ctx || chain[1] != ip;
		t->guest++;
		for (i = 1; i < nr; i++)
			if (chain[i] >= (uint64_t)PERF_CONTEXT_MAX ||
			    !in_guest_code(chain[i]))
				bad = true;
		t->guest_bad += bad;

		if (mode != PERF_RECORD_MISC_GUEST_KERNEL ||
		    ip < (uint64_t)bs_leaf_loop ||
		    ip >= (uint64_t)bs_leaf_loop_end)
			return;
		if (!t->leaf++ || nr < t->leaf_min)
			t->leaf_min = nr;
		if (nr > t->leaf_max)
			t->leaf_max = nr;
		want_chain[0] = ip;
		if (nr >= 5 && chain[0] == ctx &&
		    !memcmp(&chain[1], want_chain, sizeof(want_chain)))
			t->leaf_whole++;
		else if (nr == 2 && chain[0] == ctx && chain[1] == ip)
			t->leaf_pc_only++;
		return;
	}

	t->host++;
	for (nk = 0; nk < nr && chain[nk] != PERF_CONTEXT_USER; nk++)
		;
	if (!nk)
		t->host_no_kernel++;
	t->host_bytes += 8 * (nk < stack_depth ? nk : stack_depth);
	for (i = 0; i < nr; i++)
		if (chain[i] == PERF_CONTEXT_GUEST ||
		    chain[i] == PERF_CONTEXT_GUEST_KERNEL ||
		    chain[i] == PERF_CONTEXT_GUEST_USER)
			t->host_guest_ctx++;
}

/* A copy of the largest record a u16 size allows. */
static uint64_t rec[65536 / 8];

static void ring_copy(const struct sampler *s, uint64_t pos, void *dst,
		      uint64_t len)
{
	const char *data = (const char *)s->page + getpagesize();

	for (uint64_t i = 0; i < len; i++)
		((char *)dst)[i] = data[(pos + i) % s->data_size];
}

/* Read the records written since the last call. */
static void sampler_drain(struct sampler *s)
{
	uint64_t head = __atomic_load_n(&s->page->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = s->page->data_tail;
	struct perf_event_header h;

	while (tail < head) {
		ring_copy(s, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail) {
			/* No record boundary to go on from: skip the rest. */
			s->t.garbled++;
			break;
		}
		ring_copy(s, tail, rec, h.size);
		tail += h.size;

		switch (h.type) {
		case PERF_RECORD_SAMPLE:
			count_sample(&s->t, rec, h.size);
			break;
		case PERF_RECORD_LOST:
			/* id, then the number of records lost. */
			if (h.size >= 3 * 8)
				s->t.lost += rec[2];
			break;
		case PERF_RECORD_THROTTLE:
			s->t.throttle++;
			break;
		case PERF_RECORD_UNTHROTTLE:
			s->t.unthrottle++;
			break;
		}
	}
	__atomic_store_n(&s->page->data_tail, head, __ATOMIC_RELEASE);
}

static void samplers_drain(void)
{
	for (int i = 0; i < ARRAY_SIZE(samplers); i++)
		if (samplers[i].fd >= 0)
			sampler_drain(&samplers[i]);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Spin in host user and host kernel mode for @ms. */
static void host_phase(unsigned int ms)
{
	uint64_t end = now_ns() + ms * 1000000ull;

	while (now_ns() < end)
		getppid();
}

/* Run the vCPU until the guest's spin in the leaf ends. */
static void guest_phase(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_SYNC:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("unexpected exit %u", vcpu->run->exit_reason);
	}
}

/* Whether @got is @want, or at most @lost more. */
static bool within(uint64_t got, uint64_t want, uint64_t lost)
{
	return got >= want && got - want <= lost;
}

static void report(const struct sampler *s, const uint64_t *c)
{
	const struct tally *t = &s->t;
	uint64_t host_kernel = t->host - t->host_no_kernel;
	bool ok;

	printf("# %s: %lu records (%lu guest, %lu host, %lu of those with no kernel entry), %lu lost, %lu throttle, %lu unthrottle records\n",
	       s->name, t->records, t->guest, t->host, t->host_no_kernel,
	       t->lost, t->throttle, t->unthrottle);
	printf("# %s: program: %lu runs; bpf_get_stack: %lu >= 0 (%lu bytes), %lu < 0, %lu -EFAULT; bpf_get_stackid: %lu >= 0, %lu < 0, %lu -EFAULT, %lu -EEXIST\n",
	       s->name, c[C_RUNS], c[C_STACK_OK], c[C_STACK_BYTES],
	       c[C_STACK_NEG], c[C_STACK_EFAULT], c[C_SID_OK], c[C_SID_NEG],
	       c[C_SID_EFAULT], c[C_SID_EEXIST]);
	printf("# %s: leaf records: %lu, %lu with the whole chain, %lu with the PC alone, %lu to %lu entries\n",
	       s->name, t->leaf, t->leaf_whole, t->leaf_pc_only, t->leaf_min,
	       t->leaf_max);

	CHECK(!t->malformed && !t->garbled && !t->host_guest_ctx,
	      "%s: %lu sample records, %lu malformed (size not 32 + 8 * nr), %lu unparseable headers, %lu host records with a guest context",
	      s->name, t->records, t->malformed, t->garbled, t->host_guest_ctx);

	CHECK(t->guest >= MIN_SAMPLES && t->host >= MIN_SAMPLES &&
	      t->leaf >= MIN_SAMPLES,
	      "%s: enough records to decide: %lu guest, %lu host, %lu in the leaf's loop (want >= %u each)",
	      s->name, t->guest, t->host, t->leaf, MIN_SAMPLES);

	CHECK(t->guest && !t->guest_bad,
	      "%s: %lu of %lu guest records have a host frame, or not the guest context and PC first",
	      s->name, t->guest_bad, t->guest);

	ok = t->leaf && t->leaf_whole + t->leaf_pc_only == t->leaf &&
	     t->leaf_whole * 100 >= MIN_WHOLE_PCT * t->leaf;
	CHECK(ok, "%s: %lu of %lu leaf records have the whole chain after PERF_CONTEXT_GUEST_KERNEL, %lu the PC alone (want all one or the other, >= %u%% whole)",
	      s->name, t->leaf_whole, t->leaf, t->leaf_pc_only, MIN_WHOLE_PCT);

	CHECK(c[C_RUNS] == t->records + t->lost,
	      "%s: %lu program runs for %lu records and %lu lost",
	      s->name, c[C_RUNS], t->records, t->lost);

	ok = within(c[C_STACK_EFAULT], t->guest, t->lost) &&
	     c[C_STACK_NEG] == c[C_STACK_EFAULT] &&
	     within(c[C_STACK_OK], t->host, t->lost) &&
	     (t->lost ? c[C_STACK_BYTES] >= t->host_bytes :
			c[C_STACK_BYTES] == t->host_bytes);
	CHECK(ok, "%s: bpf_get_stack: %lu -EFAULT for %lu guest records, %lu other errors, %lu >= 0 for %lu host records, %lu bytes for %lu wanted (%lu lost)",
	      s->name, c[C_STACK_EFAULT], t->guest,
	      c[C_STACK_NEG] - c[C_STACK_EFAULT], c[C_STACK_OK], t->host,
	      c[C_STACK_BYTES], t->host_bytes, t->lost);

	ok = within(c[C_SID_EFAULT], t->guest + t->host_no_kernel, t->lost) &&
	     c[C_SID_NEG] == c[C_SID_EFAULT] + c[C_SID_EEXIST] &&
	     within(c[C_SID_OK] + c[C_SID_EEXIST], host_kernel, t->lost);
	CHECK(ok, "%s: bpf_get_stackid: %lu -EFAULT for %lu guest records + %lu host records with no kernel entry, %lu other errors, %lu ids >= 0 + %lu -EEXIST for %lu host records with kernel entries (%lu lost)",
	      s->name, c[C_SID_EFAULT], t->guest, t->host_no_kernel,
	      c[C_SID_NEG] - c[C_SID_EFAULT] - c[C_SID_EEXIST], c[C_SID_OK],
	      c[C_SID_EEXIST], host_kernel, t->lost);
}

int main(int argc, char *argv[])
{
	unsigned int rounds = ROUNDS, ms = PHASE_MS, r, i, opened = 0;
	uint64_t counts[NR_COUNTS], freq;
	int counters, stackmap, err;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	cpu_set_t cpu0;

	if (argc > 3 || (argc > 1 && !(rounds = strtoul(argv[1], NULL, 0))) ||
	    (argc > 2 && !(ms = strtoul(argv[2], NULL, 0)))) {
		printf("usage: bpf_stack [ROUNDS [MS]]\n");
		return 2;
	}
	setbuf(stdout, NULL);

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(cpu0), &cpu0),
		    "sched_setaffinity: %s", strerror(errno));
	i = read_sysctl("perf_event_max_stack", STACK_ENTRIES);
	stack_depth = i < STACK_ENTRIES ? i : STACK_ENTRIES;

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	freq = vcpu_get_reg(vcpu, RISCV_TIMER_REG(frequency));
	spin_ticks = freq * ms / 1000;
	sync_global_to_guest(vm, spin_ticks);

	counters = map_create(BPF_MAP_TYPE_ARRAY, NR_COUNTS * 8,
			      ARRAY_SIZE(samplers));
	stackmap = map_create(BPF_MAP_TYPE_STACK_TRACE, STACK_BUF,
			      STACKMAP_SIZE);
	if (counters < 0 || stackmap < 0) {
		printf("bpf_stack: FAIL: BPF_MAP_CREATE: %s\n", strerror(errno));
		return 1;
	}

	for (i = 0; i < ARRAY_SIZE(samplers); i++) {
		struct sampler *s = &samplers[i];
		int prog = prog_load(counters, stackmap, i);

		if (prog < 0) {
			printf("bpf_stack: FAIL: %s: the program did not load\n",
			       s->name);
			return 1;
		}
		err = sampler_open(s, prog);
		if (!err) {
			opened++;
			continue;
		}
		close(prog);
		if (s->type == PERF_TYPE_HARDWARE &&
		    (err == -ENOENT || err == -EOPNOTSUPP || err == -ENODEV)) {
			printf("# %s: skipped: cannot open a sampling event: %s\n",
			       s->name, strerror(-err));
			continue;
		}
		printf("bpf_stack: FAIL: %s: perf_event_open: %s\n", s->name,
		       strerror(-err));
		return 1;
	}

	printf("# %u rounds of %u ms in the guest's leaf and %u ms in the host, stack depth %u\n",
	       rounds, ms, ms, stack_depth);
	samplers_ctl(PERF_EVENT_IOC_ENABLE);
	for (r = 0; r < rounds; r++) {
		guest_phase(vcpu);
		if (!r) {
			/* The leaf records' chain, after the PC. */
			sync_global_from_guest(vm, bs_code_ret);
			want_chain[1] = (uint64_t)bs_ret_mid;
			want_chain[2] = (uint64_t)bs_ret_top;
			want_chain[3] = bs_code_ret;
		}
		samplers_drain();
		host_phase(ms);
		samplers_drain();
	}
	samplers_ctl(PERF_EVENT_IOC_DISABLE);
	samplers_drain();

	printf("# the chain: leaf loop %p-%p, returns %p %p %p\n",
	       bs_leaf_loop, bs_leaf_loop_end, bs_ret_mid, bs_ret_top,
	       (void *)bs_code_ret);

	for (i = 0; i < ARRAY_SIZE(samplers); i++) {
		if (samplers[i].fd < 0)
			continue;
		TEST_ASSERT(!map_lookup(counters, i, counts),
			    "BPF_MAP_LOOKUP_ELEM: %s", strerror(errno));
		report(&samplers[i], counts);
	}
	CHECK(opened, "%u of %zu events sampled", opened, ARRAY_SIZE(samplers));

	kvm_vm_free(vm);
	return failures ? 1 : 0;
}
