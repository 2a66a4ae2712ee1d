// SPDX-License-Identifier: GPL-2.0-only
/*
 * device_walk - check that the host's walk of a guest's callchain never
 * reads device memory passed through to a benign guest.
 *
 * A VMM may give its guest a device page of the host: a memslot backed by
 * an mmap of /dev/mem, which KVM maps in the G-stage (VM_PFNMAP) when the
 * memslot is created.  A read of a device register can have an effect:
 * here the data register of QEMU's fw_cfg, whose every read moves the
 * selected item's cursor on.  A guest built without frame pointers uses
 * s0 as an ordinary register, and may hold in it any address, that of
 * the device page included.  If the host's walk read the guest's frame
 * record at s0 - 8 without checking it lies on the guest's stack, each
 * guest sample of a perf event with callchains would read the device.
 *
 * The test maps the host's fw_cfg page (from the device tree's fw-cfg
 * node) with /dev/mem, reads the whole file directory item (FW_CFG_FILE_DIR)
 * into a buffer and gives the page to a one-vCPU guest as a memslot above
 * its RAM.  The guest reads the device's DMA register once, which has no
 * side effect: KVM maps the page in the G-stage when the memslot is
 * created, but with PAGE_KERNEL_IO, which has no U bit, and a G-stage
 * leaf without U faults every access (QEMU checks it), the walk's HLV
 * included; the guest's first access faults it in again with U set, as
 * any guest using its device does (without it, the series before its
 * stack bound too was seen reading nothing).  The guest then spins in
 * VS-mode for SECONDS of its own time with s0 8 bytes above the data
 * register, its sp on its own stack, and never reads the data register
 * itself.  A cpu-clock event, and a cycles event if it opens, with
 * exclude_guest = 0 and PERF_SAMPLE_IP | PERF_SAMPLE_CALLCHAIN at 1000
 * Hz (or the lower rate that kernel.perf_event_max_sample_rate allows),
 * samples the vCPU thread (pinned to CPU 0).  The events are enabled in
 * windows of 5 ms: after each window, with the events
 * disabled, the host finds how far the directory's cursor has moved (the
 * directory's last entry is followed by zeros, so a cursor is told
 * apart only within the first entries: the windows keep the moves short),
 * which is the number of 8-byte reads of the data register made while
 * the guest ran, and selects the item again.
 *
 * Checks:
 *  - the device is QEMU's fw_cfg, and the host sees its own reads of the
 *    data register (three reads are counted as three);
 *  - in each case the guest's read of the DMA register gave the signature:
 *    the page is mapped through to the device;
 *  - benign guest: at least 100 guest samples in the spin loop (fewer is
 *    too few to decide, and fails), and no read of the data register.
 * The series before its stack bound walked from s0 alone and read the
 * data register once per guest sample, and fails; the series reads only
 * records above the guest's sp within the bound, and passes.
 *
 * A second case, not a check: a hostile guest whose records lie on its
 * stack as the new walk's bound sees it (sp 16 bytes below the data
 * register, s0 8 bytes above it: the record at s0 - 16 is on the stack
 * and s0 - 8 is the data register).  The walk may then read the device,
 * as the guest could read it itself: the number of reads is a figure.
 * (sp at the page and s0 16 bytes above it would put the first read on
 * the selector, where an 8-byte read faults and ends the walk.)
 *
 * usage: device_walk [SECONDS]    (the guest's spin, default 2)
 * Exit status 0 when every check held, 1 otherwise (also when /dev/mem
 * or the fw-cfg node is missing), 2 for usage.
 */
#include <dirent.h>
#include <endian.h>
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

/* fw_cfg MMIO registers, as offsets from its base, and its items. */
#define FW_CFG_DATA		0
#define FW_CFG_SEL		8
#define FW_CFG_DMA		16
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_ENTRY_SIZE	64
#define FW_CFG_MAX_FILES	1024

/*
 * The device page in the guest, physical and virtual: above the guest's
 * RAM, and 8 KiB into a 16 KiB block, so that in the hostile case an sp
 * just below the page leaves the walk's VS-mode bound (the end of the
 * 16 KiB block holding sp) room above it.
 */
#define DEV_GPA			0x100002000ul
#define DEV_GVA			0x100002000ul
#define DEV_SLOT		10

#define WINDOW_NS		5000000ull
#define RING_PAGES		64
#define MIN_SAMPLES		100
#define SELF_READS		3

static int failures;

#define PASS(fmt, ...) printf("device_walk: ok: " fmt "\n", ##__VA_ARGS__)
#define FAIL(fmt, ...) do {						\
	printf("device_walk: FAIL: " fmt "\n", ##__VA_ARGS__);		\
	failures++;							\
} while (0)

/*
 * The guest's spin loops.  Each sets its own s0 (and sp), spins until the
 * time CSR reaches the deadline in a0, and puts them back: no memory is
 * touched meanwhile, so the hostile sp needs no memory below it.  The
 * labels mark the loop itself, where the samples are counted.
 */
__naked void spin_benign(uint64_t deadline, uint64_t data)
{
	asm("	mv	t1, s0\n"
	    "	addi	s0, a1, 8\n"
	    "	.globl	spin_benign_loop\n"
	    "spin_benign_loop:\n"
	    "	rdtime	t0\n"
	    "	bltu	t0, a0, spin_benign_loop\n"
	    "	.globl	spin_benign_end\n"
	    "spin_benign_end:\n"
	    "	mv	s0, t1\n"
	    "	ret\n");
}

__naked void spin_hostile(uint64_t deadline, uint64_t data)
{
	asm("	mv	t1, s0\n"
	    "	mv	t2, sp\n"
	    "	addi	sp, a1, -16\n"
	    "	addi	s0, a1, 8\n"
	    "	.globl	spin_hostile_loop\n"
	    "spin_hostile_loop:\n"
	    "	rdtime	t0\n"
	    "	bltu	t0, a0, spin_hostile_loop\n"
	    "	.globl	spin_hostile_end\n"
	    "spin_hostile_end:\n"
	    "	mv	sp, t2\n"
	    "	mv	s0, t1\n"
	    "	ret\n");
}

extern char spin_benign_loop[], spin_benign_end[];
extern char spin_hostile_loop[], spin_hostile_end[];

/* What the guest read from the device's DMA register, for the host. */
static uint64_t guest_dma;

static void guest_code(uint64_t ticks, uint64_t data, uint64_t hostile)
{
	uint64_t deadline;

	/*
	 * Fault the device page into the G-stage (see the header): an 8-byte
	 * read of the DMA register, which returns the signature "QEMU CFG"
	 * and has no effect on the data register's cursor.
	 */
	guest_dma = *(volatile uint64_t *)(data + FW_CFG_DMA - FW_CFG_DATA);
	deadline = csr_read(CSR_TIME) + ticks;
	if (hostile)
		spin_hostile(deadline, data);
	else
		spin_benign(deadline, data);
	GUEST_DONE();
}

/* The host's mapping of the fw_cfg registers, and the directory read. */
static volatile uint8_t *fw;
static uint64_t dir[(4 + FW_CFG_MAX_FILES * FW_CFG_ENTRY_SIZE) / 8 + 1];
static unsigned int dir_words, dir_files;

static void fw_select(uint16_t key)
{
	*(volatile uint16_t *)(fw + FW_CFG_SEL) = htobe16(key);
}

/* One 8-byte read of the data register: 8 bytes of the item, in order. */
static uint64_t fw_read(void)
{
	return *(volatile uint64_t *)(fw + FW_CFG_DATA);
}

/* The directory's word @i; the item is zeros past its last entry. */
static uint64_t dir_word(unsigned int i)
{
	return i < dir_words ? dir[i] : 0;
}

/*
 * Where the directory's cursor is, in 8-byte words from the item's start:
 * read dir_words + 1 words from it, then find the least position N whose
 * words, with the zeros past the directory, are those read.  *exact is
 * false when other positions fit too (the cursor is in the zeros at the
 * end: N is then a lower bound).  Returns -1 when no position fits.  The
 * reads move the cursor: the caller selects the item again.
 */
static int fw_cursor(bool *exact)
{
	uint64_t got[ARRAY_SIZE(dir) + 1];
	unsigned int n, i, fits = 0;
	int first = -1;

	for (i = 0; i <= dir_words; i++)
		got[i] = fw_read();
	for (n = 0; n <= dir_words; n++) {
		for (i = 0; i <= dir_words; i++)
			if (dir_word(n + i) != got[i])
				break;
		if (i <= dir_words)
			continue;
		if (first < 0)
			first = n;
		fits++;
	}
	*exact = fits == 1;
	return first;
}

/* The base of the fw-cfg node's reg in /proc/device-tree, if there is one. */
static int fw_cfg_base(uint64_t *base, char *node, size_t len)
{
	static const char * const dirs[] = {
		"/proc/device-tree/soc", "/proc/device-tree",
	};
	unsigned char reg[16];
	unsigned int i;
	struct dirent *d;
	char path[512];
	ssize_t n;
	DIR *dp;
	int fd;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		dp = opendir(dirs[i]);
		if (!dp)
			continue;
		while ((d = readdir(dp)))
			if (!strncmp(d->d_name, "fw-cfg@", 7))
				break;
		if (!d) {
			closedir(dp);
			continue;
		}
		snprintf(node, len, "%s/%s", dirs[i], d->d_name);
		closedir(dp);
		snprintf(path, sizeof(path), "%s/reg", node);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -1;
		n = read(fd, reg, sizeof(reg));
		close(fd);
		/* Two cells of address and size, or one of each. */
		if (n == 16) {
			uint64_t be;

			memcpy(&be, reg, 8);
			*base = be64toh(be);
		} else if (n == 8) {
			uint32_t be;

			memcpy(&be, reg, 4);
			*base = be32toh(be);
		} else {
			return -1;
		}
		return 0;
	}
	return -1;
}

/* Map the fw_cfg page and read its directory; 0 when all went well. */
static int fw_cfg_setup(void **page, uint64_t *pbase)
{
	char node[300] = "";
	uint64_t base, sig;
	uint32_t count;
	unsigned int i;
	int fd;

	if (fw_cfg_base(&base, node, sizeof(node))) {
		printf("device_walk: FAIL: no fw-cfg@ node with a reg in /proc/device-tree\n");
		return -1;
	}
	printf("# fw_cfg: %s, base 0x%lx\n", node, base);
	if (base & (getpagesize() - 1)) {
		printf("device_walk: FAIL: fw_cfg base 0x%lx is not page aligned\n", base);
		return -1;
	}
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		printf("device_walk: FAIL: open /dev/mem: %s\n", strerror(errno));
		return -1;
	}
	*page = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		     fd, base);
	close(fd);
	if (*page == MAP_FAILED) {
		printf("device_walk: FAIL: mmap /dev/mem at 0x%lx: %s\n",
		       base, strerror(errno));
		return -1;
	}
	*pbase = base;
	fw = *page;

	fw_select(FW_CFG_SIGNATURE);
	sig = fw_read();
	if (memcmp(&sig, "QEMU", 4)) {
		FAIL("the fw_cfg signature is not QEMU (0x%016lx)", sig);
		return -1;
	}

	/* A big-endian count of files, then 64-byte entries. */
	fw_select(FW_CFG_FILE_DIR);
	dir[0] = fw_read();
	memcpy(&count, &dir[0], 4);
	dir_files = be32toh(count);
	if (dir_files > FW_CFG_MAX_FILES) {
		FAIL("the fw_cfg directory says %u files", dir_files);
		return -1;
	}
	dir_words = (4 + dir_files * FW_CFG_ENTRY_SIZE + 7) / 8;
	for (i = 1; i < dir_words; i++)
		dir[i] = fw_read();
	fw_select(FW_CFG_FILE_DIR);
	printf("# fw_cfg: signature QEMU, directory of %u files (%u words):",
	       dir_files, dir_words);
	for (i = 0; i < dir_files; i++)
		printf(" %.56s", (char *)dir + 4 + i * FW_CFG_ENTRY_SIZE + 8);
	printf("\n");
	return 0;
}

/*
 * The host counts its own reads: SELF_READS reads from a fresh selection
 * must be found as SELF_READS, else nothing the test counts means much.
 */
static void check_counter(void)
{
	bool exact;
	int i, n;

	fw_select(FW_CFG_FILE_DIR);
	for (i = 0; i < SELF_READS; i++)
		fw_read();
	n = fw_cursor(&exact);
	fw_select(FW_CFG_FILE_DIR);
	if (n == SELF_READS && exact)
		PASS("counter: %d reads of the data register by the host are counted as %d",
		     SELF_READS, n);
	else
		FAIL("counter: %d reads of the data register by the host are counted as %d%s",
		     SELF_READS, n, exact ? "" : " (or more)");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

struct vcpu_thread {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	pid_t tid;
	int go, done;
};

/* Pinned to CPU 0, the events' CPU: run the guest until it is done. */
static void *vcpu_thread(void *arg)
{
	struct vcpu_thread *vt = arg;
	struct ucall uc;

	pin_self(0);
	__atomic_store_n(&vt->tid, gettid(), __ATOMIC_RELEASE);
	while (!__atomic_load_n(&vt->go, __ATOMIC_ACQUIRE))
		usleep(1000);
	vcpu_run(vt->vcpu);
	switch (get_ucall(vt->vcpu, &uc)) {
	case UCALL_DONE:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("unexpected exit %u", vt->vcpu->run->exit_reason);
	}
	__atomic_store_n(&vt->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

struct tally {
	unsigned int samples, guest, spin, spin_walked, lost, throttles;
	unsigned int windows, unsure, unknown;
	uint64_t reads;
};

/*
 * Read the samples in a ring (IP, then the callchain): count the guest's,
 * those of them whose PC is in the spin loop [lo, hi), and of those the
 * ones whose callchain has anything past the guest's context and PC,
 * which only a walk of the guest's records puts there.
 */
static void read_ring(void *ring, uint64_t lo, uint64_t hi, struct tally *t)
{
	struct perf_event_mmap_page *pg = ring;
	uint64_t size = (uint64_t)RING_PAGES * getpagesize();
	uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = pg->data_tail;
	char *data = (char *)ring + getpagesize();

	while (tail < head) {
		struct perf_event_header h;
		uint64_t rec[32], nr;
		unsigned int i, len;
		uint16_t mode;

		for (i = 0; i < sizeof(h); i++)
			((char *)&h)[i] = data[(tail + i) % size];
		if (h.size < sizeof(h))
			break;
		len = h.size < sizeof(rec) ? h.size : sizeof(rec);
		for (i = 0; i < len; i++)
			((char *)rec)[i] = data[(tail + i) % size];
		tail += h.size;

		if (h.type == PERF_RECORD_LOST) {
			t->lost++;
			continue;
		}
		if (h.type == PERF_RECORD_THROTTLE) {
			t->throttles++;
			continue;
		}
		if (h.type != PERF_RECORD_SAMPLE || len < 24)
			continue;
		/* rec[0] header, rec[1] ip, rec[2] nr, rec[3...] the chain. */
		t->samples++;
		mode = h.misc & PERF_RECORD_MISC_CPUMODE_MASK;
		if (mode != PERF_RECORD_MISC_GUEST_KERNEL &&
		    mode != PERF_RECORD_MISC_GUEST_USER)
			continue;
		t->guest++;
		if (rec[1] < lo || rec[1] >= hi)
			continue;
		t->spin++;
		nr = rec[2];
		if (nr > 2)
			t->spin_walked++;
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

/* Add the reads of the last window to the tally, and select again. */
static void count_window(struct tally *t)
{
	bool exact;
	int n;

	n = fw_cursor(&exact);
	fw_select(FW_CFG_FILE_DIR);
	t->windows++;
	if (n < 0) {
		t->unknown++;
		return;
	}
	t->reads += n;
	if (!exact)
		t->unsure++;
}

/*
 * Run the guest for @seconds with its s0 at the device page (and in the
 * hostile case its sp just below it), sampled in windows; fill @t.
 */
static void run_case(void *page, uint64_t seconds, uint64_t freq,
		     bool hostile, struct tally *t)
{
	static const struct {
		uint32_t type;
		uint64_t config;
		const char *name;
	} ev[] = {
		{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, "cpu-clock" },
		{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "cycles" },
	};
	uint64_t lo = (uint64_t)(hostile ? spin_hostile_loop : spin_benign_loop);
	uint64_t hi = (uint64_t)(hostile ? spin_hostile_end : spin_benign_end);
	const char *what = hostile ? "hostile" : "benign";
	size_t ring_len = (RING_PAGES + 1) * getpagesize();
	void *ring[ARRAY_SIZE(ev)];
	int fd[ARRAY_SIZE(ev)];
	struct vcpu_thread vt = {};
	struct kvm_vm *vm;
	unsigned int e, nr = 0;
	uint64_t end;
	bool last;

	vm = vm_create_with_one_vcpu(&vt.vcpu, guest_code);
	vm_set_user_memory_region(vm, DEV_SLOT, 0, DEV_GPA, getpagesize(), page);
	virt_map(vm, DEV_GVA, DEV_GPA, 1);
	vcpu_args_set(vt.vcpu, 3, seconds * freq, DEV_GVA + FW_CFG_DATA,
		      (uint64_t)hostile);

	pthread_create(&vt.thread, NULL, vcpu_thread, &vt);
	while (!__atomic_load_n(&vt.tid, __ATOMIC_ACQUIRE))
		usleep(1000);

	for (e = 0; e < ARRAY_SIZE(ev); e++) {
		struct perf_event_attr a = {
			.size = sizeof(a), .type = ev[e].type,
			.config = ev[e].config, .disabled = 1,
			.freq = 1, .sample_freq = sample_freq(),
			.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_CALLCHAIN,
			.exclude_guest = 0,
		};

		fd[nr] = syscall(SYS_perf_event_open, &a, vt.tid, 0, -1,
				 PERF_FLAG_FD_CLOEXEC);
		if (fd[nr] < 0) {
			printf("# %s guest: %s does not open (%s)\n", what,
			       ev[e].name, strerror(errno));
			TEST_ASSERT(e > 0, "cpu-clock must open");
			continue;
		}
		ring[nr] = mmap(NULL, ring_len, PROT_READ | PROT_WRITE,
				MAP_SHARED, fd[nr], 0);
		TEST_ASSERT(ring[nr] != MAP_FAILED, "mmap ring: %s",
			    strerror(errno));
		printf("# %s guest: %s at %llu Hz, exclude_guest = 0, ip and callchain\n",
		       what, ev[e].name, a.sample_freq);
		nr++;
	}
	fflush(stdout);

	/* A fresh selection: the cursor at 0 when the guest starts. */
	fw_select(FW_CFG_FILE_DIR);
	__atomic_store_n(&vt.go, 1, __ATOMIC_RELEASE);
	do {
		last = __atomic_load_n(&vt.done, __ATOMIC_ACQUIRE);
		for (e = 0; e < nr; e++)
			ioctl(fd[e], PERF_EVENT_IOC_ENABLE, 0);
		end = now_ns() + WINDOW_NS;
		while (now_ns() < end && !__atomic_load_n(&vt.done, __ATOMIC_ACQUIRE))
			;
		/* Synchronous: no sample, so no walk, once this is back. */
		for (e = 0; e < nr; e++)
			ioctl(fd[e], PERF_EVENT_IOC_DISABLE, 0);
		count_window(t);
		for (e = 0; e < nr; e++)
			read_ring(ring[e], lo, hi, t);
	} while (!last);

	pthread_join(vt.thread, NULL);
	sync_global_from_guest(vm, guest_dma);
	if (!memcmp(&guest_dma, "QEMU CFG", 8))
		PASS("%s guest: its read of the DMA register gave \"QEMU CFG\": the page is the device's",
		     what);
	else
		FAIL("%s guest: its read of the DMA register gave 0x%016lx, not \"QEMU CFG\"",
		     what, guest_dma);
	for (e = 0; e < nr; e++) {
		munmap(ring[e], ring_len);
		close(fd[e]);
	}
	kvm_vm_free(vm);

	printf("# %s guest: %u windows, %u samples, %u of the guest, %u in the spin loop (%u with return addresses walked), %u lost, %u throttled\n",
	       what, t->windows, t->samples, t->guest, t->spin, t->spin_walked,
	       t->lost, t->throttles);
	printf("# %s guest: %lu reads of the data register while it ran%s (%.2f per guest sample in the spin loop)%s\n",
	       what, t->reads, t->unsure ? " or more" : "",
	       t->spin ? (double)t->reads / t->spin : 0.0,
	       t->unknown ? ", and windows whose cursor was not found" : "");
	if (t->unsure)
		printf("# %s guest: in %u windows the cursor reached the zeros ending the directory: a lower bound\n",
		       what, t->unsure);
}

int main(int argc, char *argv[])
{
	struct tally benign = {}, hostile = {};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint64_t seconds = 2, freq, base;
	void *page;

	if (argc > 2 || (argc == 2 && !(seconds = strtoull(argv[1], NULL, 0)))) {
		printf("usage: device_walk [SECONDS]\n");
		return 2;
	}
	setbuf(stdout, NULL);
	if (fw_cfg_setup(&page, &base))
		return 1;
	check_counter();
	pin_self(1);

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	freq = vcpu_get_reg(vcpu, RISCV_TIMER_REG(frequency));
	kvm_vm_free(vm);
	printf("# guest: device page 0x%lx at guest 0x%lx (slot %d), s0 = 0x%lx, spin %lu s at %lu Hz\n",
	       base, DEV_GVA, DEV_SLOT, DEV_GVA + FW_CFG_DATA + 8, seconds, freq);

	run_case(page, seconds, freq, false, &benign);
	if (benign.spin >= MIN_SAMPLES)
		PASS("benign guest: %u guest samples in the spin loop (>= %d)",
		     benign.spin, MIN_SAMPLES);
	else
		FAIL("benign guest: %u guest samples in the spin loop, fewer than %d: too few to decide",
		     benign.spin, MIN_SAMPLES);
	if (!benign.reads && !benign.unknown)
		PASS("benign guest: 0 reads of the device's data register by the walk (%u guest samples in the spin loop, %u with return addresses)",
		     benign.spin, benign.spin_walked);
	else
		FAIL("benign guest: %lu%s reads of the device's data register by the walk%s (%u guest samples in the spin loop, %u with return addresses)",
		     benign.reads, benign.unsure ? " or more" : "",
		     benign.unknown ? ", and windows with the cursor lost" : "",
		     benign.spin, benign.spin_walked);

	run_case(page, seconds, freq, true, &hostile);
	printf("# hostile guest (not a check): %lu%s reads of the data register for %u guest samples in the spin loop (%u with return addresses)\n",
	       hostile.reads, hostile.unsure ? " or more" : "", hostile.spin,
	       hostile.spin_walked);

	munmap(page, getpagesize());
	if (failures)
		printf("device_walk: FAIL: %d checks failed\n", failures);
	else
		printf("device_walk: ok: all checks held\n");
	return failures ? 1 : 0;
}
