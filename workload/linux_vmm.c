// SPDX-License-Identifier: GPL-2.0-only
/*
 * linux_vmm - the smallest VMM that boots a riscv64 Linux Image under KVM,
 * for profiling a real guest kernel from the KVM host.  A test fixture of
 * the harness, not part of the series.
 *
 * It follows the RISC-V boot protocol (Documentation/arch/riscv/boot.rst):
 * RAM at 0x80000000, the Image at a 2 MiB aligned offset with room for the
 * header's image_size, an initrd and a generated device tree at the top of
 * RAM, a0 = hartid and a1 = the device tree's address.  The device tree
 * has the memory, /chosen (bootargs, initrd), and /cpus with the timer
 * frequency and each vCPU's ISA as KVM reports them; without devices, the
 * hart's local interrupt controller is the only one needed.
 *
 * The guest's console is the SBI debug console (DBCN, enabled before the
 * first run) or the legacy putchar: its output is shown line by line,
 * each line prefixed "guest| ".  The run ends when the guest powers off
 * through SBI system reset (exit 0); a reset request (what a guest kernel
 * does after a panic with panic=-1), an MMIO access (there are no
 * devices) or any other exit is reported by name and ends it with exit 1.
 * Secondary vCPUs start powered off and are brought up by the guest
 * through the in-kernel SBI HSM extension.  Each vCPU runs in a thread
 * named "CPU k/KVM", as QEMU names them with debug-threads=on, which is
 * how perf inject --guest-data finds them.
 *
 * With -o FILE the guest gets a file window: 32 MiB of memory outside
 * its RAM at FILE_GPA, named on its command line (vmm_file=GPA,SIZE), in
 * which it can leave one file (a 16-byte header, then the data) for the
 * host; at power-off the VMM writes it to FILE, and to FILE.vmm its pid,
 * the guest's time offset and the timebase, for perf inject.
 *
 * usage: linux_vmm [-m MIB] [-c VCPUS] [-k CMDLINE] [-a ARG]... [-o FILE]
 *        IMAGE [INITRD]
 * -k replaces the default kernel command line, each -a ARG is added to it.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#define RAM_BASE	0x80000000UL
#define SZ_2M		0x200000UL
#define DTB_MAX		0x10000UL
#define MAX_VCPUS	8
#define FILE_GPA	0x100000000UL
#define FILE_SIZE	0x2000000UL
#define FILE_MAGIC	0x454c4946204d4d56ULL	/* "VMM FILE", little endian */

#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_LEGACY_GETCHAR	0x02
#define SBI_EXT_DBCN		0x4442434e
#define SBI_ERR_NOT_SUPPORTED	(-2UL)
#define SBI_ERR_INVALID_PARAM	(-3UL)

/* The 64-byte header at the start of a riscv64 Image. */
struct image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint32_t version, res1;
	uint64_t res2;
	uint64_t magic;
	uint32_t magic2, res3;
};

#define IMAGE_MAGIC2	0x05435352	/* "RSC\x05", little endian */

static const char *prog = "linux_vmm";
static uint8_t *ram;
static uint64_t ram_size;
static int vcpu_fd[MAX_VCPUS];
static struct kvm_run *vcpu_run[MAX_VCPUS];
static int nr_vcpus = 1;
static int legacy_console;
static struct timespec started;
static const char *out_file;
static uint8_t *file_window;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: error: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double elapsed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec - started.tv_sec + (ts.tv_nsec - started.tv_nsec) / 1e9;
}

/* --- the guest's console ------------------------------------------------ */

static void console_out(const uint8_t *buf, size_t len)
{
	static int mid_line;
	size_t i;

	pthread_mutex_lock(&out_lock);
	for (i = 0; i < len; i++) {
		if (buf[i] == '\r')
			continue;
		if (!mid_line)
			fputs("guest| ", stdout);
		putchar(buf[i]);
		mid_line = buf[i] != '\n';
	}
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* A guest physical range inside RAM, as a host pointer, or NULL. */
static uint8_t *guest_ptr(uint64_t gpa, uint64_t len)
{
	if (gpa < RAM_BASE || gpa - RAM_BASE > ram_size ||
	    len > ram_size - (gpa - RAM_BASE))
		return NULL;
	return ram + (gpa - RAM_BASE);
}

static void handle_sbi(int id, struct kvm_run *run)
{
	unsigned long ext = run->riscv_sbi.extension_id;
	unsigned long fid = run->riscv_sbi.function_id;
	unsigned long *a = run->riscv_sbi.args, *ret = run->riscv_sbi.ret;
	uint8_t c;

	ret[0] = 0;
	ret[1] = 0;
	switch (ext) {
	case SBI_EXT_LEGACY_PUTCHAR:
		c = a[0];
		console_out(&c, 1);
		return;
	case SBI_EXT_LEGACY_GETCHAR:
		ret[0] = -1UL;	/* no input */
		return;
	case SBI_EXT_DBCN:
		if (fid == 0) {		/* write: a0 bytes at a1 (low), a2 (high) */
			uint64_t gpa = a[1] | (uint64_t)a[2] << 32;
			uint8_t *p = a[2] ? NULL : guest_ptr(gpa, a[0]);

			if (!p) {
				ret[0] = SBI_ERR_INVALID_PARAM;
				return;
			}
			console_out(p, a[0]);
			ret[1] = a[0];
		} else if (fid == 2) {	/* write one byte */
			c = a[0];
			console_out(&c, 1);
		} else if (fid != 1) {	/* read: nothing to read */
			ret[0] = SBI_ERR_NOT_SUPPORTED;
		}
		return;
	}
	fprintf(stderr, "%s: vcpu %d: SBI call to extension 0x%lx function %lu not handled\n",
		prog, id, ext, fid);
	ret[0] = SBI_ERR_NOT_SUPPORTED;
}

static const char *exit_name(unsigned int reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "KVM_EXIT_UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "KVM_EXIT_EXCEPTION",
		[KVM_EXIT_IO] = "KVM_EXIT_IO",
		[KVM_EXIT_HYPERCALL] = "KVM_EXIT_HYPERCALL",
		[KVM_EXIT_DEBUG] = "KVM_EXIT_DEBUG",
		[KVM_EXIT_HLT] = "KVM_EXIT_HLT",
		[KVM_EXIT_MMIO] = "KVM_EXIT_MMIO",
		[KVM_EXIT_SHUTDOWN] = "KVM_EXIT_SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY",
		[KVM_EXIT_INTR] = "KVM_EXIT_INTR",
		[KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "KVM_EXIT_SYSTEM_EVENT",
		[KVM_EXIT_RISCV_SBI] = "KVM_EXIT_RISCV_SBI",
		[KVM_EXIT_RISCV_CSR] = "KVM_EXIT_RISCV_CSR",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "an exit this VMM does not know";
}

/*
 * The file the guest left in its window: a header of FILE_MAGIC and the
 * length, then the data.
 */
static void save_guest_file(void)
{
	uint64_t magic, len;
	FILE *f;

	memcpy(&magic, file_window, 8);
	memcpy(&len, file_window + 8, 8);
	magic = le64toh(magic);
	len = le64toh(len);
	if (magic != FILE_MAGIC)
		die("the guest left no file in its window at 0x%lx", FILE_GPA);
	if (len > FILE_SIZE - 16)
		die("the guest's file is %llu bytes, more than its window holds",
		    (unsigned long long)len);
	f = fopen(out_file, "w");
	if (!f || fwrite(file_window + 16, 1, len, f) != len || fclose(f))
		die("cannot write %s: %s", out_file, strerror(errno));
	printf("%s: the guest's file, %llu bytes, is in %s\n", prog,
	       (unsigned long long)len, out_file);
}

static void *vcpu_thread(void *arg)
{
	int id = (int)(intptr_t)arg;
	struct kvm_run *run = vcpu_run[id];
	char name[16];

	snprintf(name, sizeof(name), "CPU %d/KVM", id);
	prctl(PR_SET_NAME, name);

	for (;;) {
		if (ioctl(vcpu_fd[id], KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("vcpu %d: KVM_RUN: %s", id, strerror(errno));
		}
		switch (run->exit_reason) {
		case KVM_EXIT_RISCV_SBI:
			handle_sbi(id, run);
			break;
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN) {
				fflush(stdout);
				printf("%s: the guest powered off after %.1f s\n",
				       prog, elapsed());
				if (out_file)
					save_guest_file();
				exit(0);
			}
			die("vcpu %d: the guest asked for a %s after %.1f s (a guest panic with panic=-1 ends so)",
			    id, run->system_event.type == KVM_SYSTEM_EVENT_RESET ?
			    "reset" : "system event other than power-off", elapsed());
		case KVM_EXIT_MMIO:
			die("vcpu %d: guest %s of %u byte%s at 0x%llx: no device there",
			    id, run->mmio.is_write ? "write" : "read", run->mmio.len,
			    run->mmio.len == 1 ? "" : "s",
			    (unsigned long long)run->mmio.phys_addr);
		default:
			die("vcpu %d: %s (exit reason %u)", id,
			    exit_name(run->exit_reason), run->exit_reason);
		}
	}
	return NULL;
}

/* --- one registers ------------------------------------------------------ */

#define REG_U64(type, idx)	(KVM_REG_RISCV | KVM_REG_SIZE_U64 | (type) | (idx))
#define CORE_REG(name)		REG_U64(KVM_REG_RISCV_CORE, KVM_REG_RISCV_CORE_REG(name))

static int get_reg(int fd, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(fd, KVM_GET_ONE_REG, &reg);
}

static void set_reg(int fd, uint64_t id, uint64_t val, const char *what)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(fd, KVM_SET_ONE_REG, &reg))
		die("setting %s: %s", what, strerror(errno));
}

/* --- the device tree ---------------------------------------------------- */

struct fdt {
	uint8_t dt[DTB_MAX];
	size_t len;
	char strings[2048];
	size_t strings_len;
};

static void fdt_put(struct fdt *f, const void *data, size_t len)
{
	if (f->len + len + 3 > sizeof(f->dt))
		die("the device tree does not fit in %lu bytes", DTB_MAX);
	memcpy(f->dt + f->len, data, len);
	f->len += len;
	while (f->len % 4)
		f->dt[f->len++] = 0;
}

static void fdt_u32(struct fdt *f, uint32_t v)
{
	v = htobe32(v);
	fdt_put(f, &v, 4);
}

static uint32_t fdt_string(struct fdt *f, const char *s)
{
	size_t off = 0, n = strlen(s) + 1;

	while (off < f->strings_len) {
		if (!strcmp(f->strings + off, s))
			return off;
		off += strlen(f->strings + off) + 1;
	}
	if (f->strings_len + n > sizeof(f->strings))
		die("too many device tree property names");
	memcpy(f->strings + off, s, n);
	f->strings_len += n;
	return off;
}

static void fdt_begin(struct fdt *f, const char *name)
{
	fdt_u32(f, 1);			/* FDT_BEGIN_NODE */
	fdt_put(f, name, strlen(name) + 1);
}

static void fdt_end(struct fdt *f)
{
	fdt_u32(f, 2);			/* FDT_END_NODE */
}

static void fdt_prop(struct fdt *f, const char *name, const void *val, size_t len)
{
	fdt_u32(f, 3);			/* FDT_PROP */
	fdt_u32(f, len);
	fdt_u32(f, fdt_string(f, name));
	fdt_put(f, val, len);
}

static void fdt_prop_u32(struct fdt *f, const char *name, uint32_t v)
{
	v = htobe32(v);
	fdt_prop(f, name, &v, 4);
}

static void fdt_prop_u64(struct fdt *f, const char *name, uint64_t v)
{
	v = htobe64(v);
	fdt_prop(f, name, &v, 8);
}

static void fdt_prop_str(struct fdt *f, const char *name, const char *s)
{
	fdt_prop(f, name, s, strlen(s) + 1);
}

/* Write the blob (header, empty reservation map, structure, strings). */
static size_t fdt_finish(struct fdt *f, uint8_t *out, size_t room)
{
	uint32_t hdr[10];
	size_t off_struct = sizeof(hdr) + 16, total;

	fdt_u32(f, 9);			/* FDT_END */
	total = off_struct + f->len + f->strings_len;
	if (total > room)
		die("the device tree (%zu bytes) does not fit in %zu", total, room);
	hdr[0] = htobe32(0xd00dfeed);
	hdr[1] = htobe32(total);
	hdr[2] = htobe32(off_struct);
	hdr[3] = htobe32(off_struct + f->len);
	hdr[4] = htobe32(sizeof(hdr));	/* memory reservation map */
	hdr[5] = htobe32(17);		/* version */
	hdr[6] = htobe32(16);		/* last compatible version */
	hdr[7] = 0;			/* boot cpu */
	hdr[8] = htobe32(f->strings_len);
	hdr[9] = htobe32(f->len);
	memcpy(out, hdr, sizeof(hdr));
	memset(out + sizeof(hdr), 0, 16);
	memcpy(out + off_struct, f->dt, f->len);
	memcpy(out + off_struct + f->len, f->strings, f->strings_len);
	return total;
}

/* The ISA extensions KVM can give a guest, by KVM's id. */
static const char *const isa_ext_name[KVM_RISCV_ISA_EXT_MAX] = {
	[KVM_RISCV_ISA_EXT_A] = "a", [KVM_RISCV_ISA_EXT_C] = "c",
	[KVM_RISCV_ISA_EXT_D] = "d", [KVM_RISCV_ISA_EXT_F] = "f",
	[KVM_RISCV_ISA_EXT_I] = "i", [KVM_RISCV_ISA_EXT_M] = "m",
	[KVM_RISCV_ISA_EXT_V] = "v",
	[KVM_RISCV_ISA_EXT_SVPBMT] = "svpbmt", [KVM_RISCV_ISA_EXT_SSTC] = "sstc",
	[KVM_RISCV_ISA_EXT_SVINVAL] = "svinval",
	[KVM_RISCV_ISA_EXT_ZIHINTPAUSE] = "zihintpause",
	[KVM_RISCV_ISA_EXT_ZICBOM] = "zicbom", [KVM_RISCV_ISA_EXT_ZICBOZ] = "zicboz",
	[KVM_RISCV_ISA_EXT_ZBB] = "zbb", [KVM_RISCV_ISA_EXT_SSAIA] = "ssaia",
	[KVM_RISCV_ISA_EXT_SVNAPOT] = "svnapot", [KVM_RISCV_ISA_EXT_ZBA] = "zba",
	[KVM_RISCV_ISA_EXT_ZBS] = "zbs", [KVM_RISCV_ISA_EXT_ZICNTR] = "zicntr",
	[KVM_RISCV_ISA_EXT_ZICSR] = "zicsr", [KVM_RISCV_ISA_EXT_ZIFENCEI] = "zifencei",
	[KVM_RISCV_ISA_EXT_ZIHPM] = "zihpm", [KVM_RISCV_ISA_EXT_SMSTATEEN] = "smstateen",
	[KVM_RISCV_ISA_EXT_ZICOND] = "zicond", [KVM_RISCV_ISA_EXT_ZBC] = "zbc",
	[KVM_RISCV_ISA_EXT_ZFH] = "zfh", [KVM_RISCV_ISA_EXT_ZFHMIN] = "zfhmin",
	[KVM_RISCV_ISA_EXT_ZIHINTNTL] = "zihintntl", [KVM_RISCV_ISA_EXT_ZFA] = "zfa",
	[KVM_RISCV_ISA_EXT_ZTSO] = "ztso", [KVM_RISCV_ISA_EXT_ZACAS] = "zacas",
	[KVM_RISCV_ISA_EXT_SSCOFPMF] = "sscofpmf", [KVM_RISCV_ISA_EXT_ZIMOP] = "zimop",
	[KVM_RISCV_ISA_EXT_ZCA] = "zca", [KVM_RISCV_ISA_EXT_ZCB] = "zcb",
	[KVM_RISCV_ISA_EXT_ZCD] = "zcd", [KVM_RISCV_ISA_EXT_ZCF] = "zcf",
	[KVM_RISCV_ISA_EXT_ZCMOP] = "zcmop", [KVM_RISCV_ISA_EXT_ZAWRS] = "zawrs",
};

/* Single letters first, in the order an ISA string wants them. */
static const int isa_order[] = {
	KVM_RISCV_ISA_EXT_I, KVM_RISCV_ISA_EXT_M, KVM_RISCV_ISA_EXT_A,
	KVM_RISCV_ISA_EXT_F, KVM_RISCV_ISA_EXT_D, KVM_RISCV_ISA_EXT_C,
	KVM_RISCV_ISA_EXT_V,
};

static int isa_has(int fd, int ext)
{
	uint64_t v = 0;

	return !get_reg(fd, REG_U64(KVM_REG_RISCV_ISA_EXT,
				    KVM_REG_RISCV_ISA_SINGLE | ext), &v) && v;
}

/* One /cpus/cpu@N node with the ISA KVM reports for that vCPU. */
static void fdt_cpu(struct fdt *f, int id)
{
	char name[32], isa[1024] = "rv64", exts[1024];
	size_t isa_len = 4, exts_len = 0;
	uint64_t block;
	int i, e;

	for (e = 0; e < KVM_RISCV_ISA_EXT_MAX; e++) {
		int single = 0;

		for (i = 0; i < (int)(sizeof(isa_order) / sizeof(isa_order[0])); i++)
			single |= isa_order[i] == e;
		if (single || !isa_ext_name[e] || !isa_has(vcpu_fd[id], e))
			continue;
		/* Saved for after the single letters. */
		exts_len += snprintf(exts + exts_len, sizeof(exts) - exts_len,
				     "%s%c", isa_ext_name[e], 0);
	}

	snprintf(name, sizeof(name), "cpu@%d", id);
	fdt_begin(f, name);
	fdt_prop_str(f, "device_type", "cpu");
	fdt_prop_u32(f, "reg", id);
	fdt_prop_str(f, "compatible", "riscv");
	fdt_prop_str(f, "status", "okay");
	fdt_prop_str(f, "mmu-type", "riscv,sv39");
	fdt_prop_str(f, "riscv,isa-base", "rv64i");

	/* riscv,isa-extensions: a string list; riscv,isa: one string. */
	{
		char list[2048];
		size_t n = 0, off;

		for (i = 0; i < (int)(sizeof(isa_order) / sizeof(isa_order[0])); i++) {
			e = isa_order[i];
			if (!isa_has(vcpu_fd[id], e))
				continue;
			n += snprintf(list + n, sizeof(list) - n, "%s%c",
				      isa_ext_name[e], 0);
			isa_len += snprintf(isa + isa_len, sizeof(isa) - isa_len,
					    "%s", isa_ext_name[e]);
		}
		for (off = 0; off < exts_len; off += strlen(exts + off) + 1) {
			n += snprintf(list + n, sizeof(list) - n, "%s%c",
				      exts + off, 0);
			isa_len += snprintf(isa + isa_len, sizeof(isa) - isa_len,
					    "_%s", exts + off);
		}
		fdt_prop(f, "riscv,isa-extensions", list, n);
		fdt_prop_str(f, "riscv,isa", isa);
		if (!id)
			printf("%s: guest ISA %s\n", prog, isa);
	}
	if (isa_has(vcpu_fd[id], KVM_RISCV_ISA_EXT_ZICBOM) &&
	    !get_reg(vcpu_fd[id], REG_U64(KVM_REG_RISCV_CONFIG,
		     KVM_REG_RISCV_CONFIG_REG(zicbom_block_size)), &block))
		fdt_prop_u32(f, "riscv,cbom-block-size", block);
	if (isa_has(vcpu_fd[id], KVM_RISCV_ISA_EXT_ZICBOZ) &&
	    !get_reg(vcpu_fd[id], REG_U64(KVM_REG_RISCV_CONFIG,
		     KVM_REG_RISCV_CONFIG_REG(zicboz_block_size)), &block))
		fdt_prop_u32(f, "riscv,cboz-block-size", block);

	fdt_begin(f, "interrupt-controller");
	fdt_prop_u32(f, "#interrupt-cells", 1);
	fdt_prop(f, "interrupt-controller", NULL, 0);
	fdt_prop_str(f, "compatible", "riscv,cpu-intc");
	fdt_prop_u32(f, "phandle", id + 1);
	fdt_end(f);
	fdt_end(f);
}

static size_t make_dtb(uint8_t *out, size_t room, const char *bootargs,
		       uint64_t initrd, uint64_t initrd_size)
{
	static struct fdt f;
	uint64_t freq, reg[2] = { htobe64(RAM_BASE), htobe64(ram_size) };
	int i;

	if (get_reg(vcpu_fd[0], REG_U64(KVM_REG_RISCV_TIMER,
					KVM_REG_RISCV_TIMER_REG(frequency)), &freq))
		die("reading the timer frequency from KVM: %s", strerror(errno));

	fdt_begin(&f, "");
	fdt_prop_u32(&f, "#address-cells", 2);
	fdt_prop_u32(&f, "#size-cells", 2);
	fdt_prop_str(&f, "compatible", "linux,dummy-virt");
	fdt_prop_str(&f, "model", "linux_vmm (KVM)");

	fdt_begin(&f, "chosen");
	fdt_prop_str(&f, "bootargs", bootargs);
	if (initrd_size) {
		fdt_prop_u64(&f, "linux,initrd-start", initrd);
		fdt_prop_u64(&f, "linux,initrd-end", initrd + initrd_size);
	}
	fdt_end(&f);

	fdt_begin(&f, "memory@80000000");
	fdt_prop_str(&f, "device_type", "memory");
	fdt_prop(&f, "reg", reg, sizeof(reg));
	fdt_end(&f);

	fdt_begin(&f, "cpus");
	fdt_prop_u32(&f, "#address-cells", 1);
	fdt_prop_u32(&f, "#size-cells", 0);
	fdt_prop_u32(&f, "timebase-frequency", freq);
	for (i = 0; i < nr_vcpus; i++)
		fdt_cpu(&f, i);
	fdt_end(&f);

	fdt_end(&f);
	printf("%s: timebase-frequency %llu Hz (from KVM)\n", prog,
	       (unsigned long long)freq);
	return fdt_finish(&f, out, room);
}

/* --- loading ------------------------------------------------------------ */

/* Read a whole file into a fresh buffer. */
static uint8_t *read_file(const char *path, uint64_t *size, const char *what)
{
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	size_t off = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("cannot open the %s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		die("the %s %s is not a regular file", what, path);
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf)
		die("out of memory reading %s", path);
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, st.st_size - off);
		if (n <= 0)
			die("reading %s: %s", path, n ? strerror(errno) : "short read");
		off += n;
	}
	close(fd);
	*size = st.st_size;
	return buf;
}

static inline uint64_t rdtime(void)
{
	uint64_t t;

	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

/*
 * The guest's time is the host's plus an offset that KVM sets once for
 * the VM (htimedelta): read the guest's time register between two reads
 * of the host's.  perf inject --guest-data takes it as the guest's time
 * offset (guest time minus host time, modulo 2^64), with a scale of 1.
 */
static void print_time_offset(void)
{
	uint64_t t0, t1, guest, freq, delta;
	char path[4096];
	FILE *f;

	if (get_reg(vcpu_fd[0], REG_U64(KVM_REG_RISCV_TIMER,
					KVM_REG_RISCV_TIMER_REG(frequency)), &freq))
		die("KVM_GET_ONE_REG of the timer's frequency: %s", strerror(errno));
	t0 = rdtime();
	if (get_reg(vcpu_fd[0], REG_U64(KVM_REG_RISCV_TIMER,
					KVM_REG_RISCV_TIMER_REG(time)), &guest))
		die("KVM_GET_ONE_REG of the guest's time: %s", strerror(errno));
	t1 = rdtime();
	delta = guest - (t0 + (t1 - t0) / 2);
	printf("%s: guest time offset (htimedelta) %llu ticks of %llu Hz, read within %llu\n",
	       prog, (unsigned long long)delta, (unsigned long long)freq,
	       (unsigned long long)(t1 - t0));
	if (!out_file)
		return;
	if (snprintf(path, sizeof(path), "%s.vmm", out_file) >= (int)sizeof(path))
		die("the path %s is too long", out_file);
	f = fopen(path, "w");
	if (!f || fprintf(f, "pid %d\ntime_offset %llu\ntimebase %llu\n", getpid(),
			  (unsigned long long)delta, (unsigned long long)freq) < 0 ||
	    fclose(f))
		die("cannot write %s: %s", path, strerror(errno));
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s [-m MIB] [-c VCPUS] [-k CMDLINE] [-a ARG]... [-o FILE] IMAGE [INITRD]\n"
		"  boot a riscv64 Linux Image under KVM with MIB MiB of RAM\n"
		"  (default 256) and VCPUS vCPUs (default 1, at most %d);\n"
		"  CMDLINE replaces the default kernel command line, each ARG\n"
		"  is added to it; FILE receives the file the guest leaves in\n"
		"  its window, FILE.vmm the VMM's pid and the guest's time offset\n",
		prog, MAX_VCPUS);
	exit(2);
}

int main(int argc, char **argv)
{
	/*
	 * The SBI boot console stays the console; user space writes to
	 * /dev/kmsg unthrottled; Sv39 (fewer levels to walk under nested
	 * emulation); a panic ends in a reset request.
	 */
	const char *cmdline = "earlycon=sbi keep_bootcon printk.devkmsg=on loglevel=5 no4lvl panic=-1";
	char extra[1024] = "", bootargs[1024];	/* riscv's COMMAND_LINE_SIZE */
	uint64_t image_len, initrd_len = 0, load, end_kernel, dtb, initrd = 0;
	uint8_t *image, *initrd_buf = NULL;
	struct kvm_userspace_memory_region region;
	struct image_header hdr;
	unsigned long mib = 256;
	pthread_t thread[MAX_VCPUS];
	int kvm, vm, mmap_size, opt, i;
	char *end;

	while ((opt = getopt(argc, argv, "m:c:k:a:o:")) != -1) {
		switch (opt) {
		case 'm':
			mib = strtoul(optarg, &end, 0);
			if (*end || !mib || mib > 4096)
				die("-m takes a RAM size in MiB, 1 to 4096, not '%s'", optarg);
			break;
		case 'c':
			nr_vcpus = strtol(optarg, &end, 0);
			if (*end || nr_vcpus < 1 || nr_vcpus > MAX_VCPUS)
				die("-c takes 1 to %d vCPUs, not '%s'", MAX_VCPUS, optarg);
			break;
		case 'k':
			cmdline = optarg;
			break;
		case 'a':
			if (strlen(extra) + strlen(optarg) + 2 > sizeof(extra))
				die("the -a arguments are longer than %zu bytes",
				    sizeof(extra) - 2);
			strcat(extra, " ");
			strcat(extra, optarg);
			break;
		case 'o':
			out_file = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || argc - optind > 2)
		usage();
	if (out_file) {
		char arg[64];

		snprintf(arg, sizeof(arg), " vmm_file=0x%lx,0x%lx", FILE_GPA, FILE_SIZE);
		if (strlen(extra) + strlen(arg) + 1 > sizeof(extra))
			die("the -a arguments leave no room for the file window's");
		strcat(extra, arg);
	}
	if (strlen(cmdline) + strlen(extra) >= sizeof(bootargs))
		die("the kernel command line is longer than %zu bytes",
		    sizeof(bootargs) - 1);
	strcpy(bootargs, cmdline);
	strcat(bootargs, extra);
	clock_gettime(CLOCK_MONOTONIC, &started);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ram_size = mib << 20;

	/* The Image and its header. */
	image = read_file(argv[optind], &image_len, "kernel Image");
	if (image_len < sizeof(hdr))
		die("the kernel Image %s is truncated: %llu bytes, less than its %zu-byte header",
		    argv[optind], (unsigned long long)image_len, sizeof(hdr));
	memcpy(&hdr, image, sizeof(hdr));
	if (le32toh(hdr.magic2) != IMAGE_MAGIC2)
		die("%s is not a RISC-V Linux Image (no \"RSC\\x05\" magic at offset 56)",
		    argv[optind]);
	hdr.text_offset = le64toh(hdr.text_offset);
	hdr.image_size = le64toh(hdr.image_size);
	if (!hdr.image_size || hdr.image_size < image_len)
		die("the kernel Image %s is %llu bytes, more than the %llu its header says it takes",
		    argv[optind], (unsigned long long)image_len,
		    (unsigned long long)hdr.image_size);
	if (hdr.text_offset % SZ_2M)
		die("the kernel Image asks for load offset 0x%llx, not 2 MiB aligned",
		    (unsigned long long)hdr.text_offset);
	load = RAM_BASE + (hdr.text_offset ? hdr.text_offset : SZ_2M);
	end_kernel = load + hdr.image_size;

	if (optind + 1 < argc)
		initrd_buf = read_file(argv[optind + 1], &initrd_len, "initrd");

	/* The device tree at the top of RAM, the initrd below it. */
	dtb = RAM_BASE + ram_size - DTB_MAX;
	if (initrd_len)
		initrd = (dtb - initrd_len) & ~0xfffUL;
	if (end_kernel > (initrd_len ? initrd : dtb) || dtb < initrd_len) {
		uint64_t need = end_kernel - RAM_BASE + initrd_len + DTB_MAX + 0xfff;

		die("%lu MiB of RAM cannot hold the kernel (%llu KiB from 0x%llx), the initrd (%llu KiB) and the device tree: give at least %llu MiB with -m",
		    mib, (unsigned long long)hdr.image_size >> 10,
		    (unsigned long long)load, (unsigned long long)initrd_len >> 10,
		    (unsigned long long)(need >> 20) + 1);
	}

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("cannot open /dev/kvm: %s", strerror(errno));
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM: %s", strerror(errno));
	ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED)
		die("cannot map %lu MiB of guest RAM: %s", mib, strerror(errno));
	region = (struct kvm_userspace_memory_region) {
		.slot = 0, .guest_phys_addr = RAM_BASE,
		.memory_size = ram_size, .userspace_addr = (uintptr_t)ram,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	if (out_file) {
		file_window = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (file_window == MAP_FAILED)
			die("cannot map the guest's file window: %s", strerror(errno));
		region = (struct kvm_userspace_memory_region) {
			.slot = 1, .guest_phys_addr = FILE_GPA,
			.memory_size = FILE_SIZE, .userspace_addr = (uintptr_t)file_window,
		};
		if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
			die("KVM_SET_USER_MEMORY_REGION (file window): %s", strerror(errno));
	}

	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(struct kvm_run))
		die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	for (i = 0; i < nr_vcpus; i++) {
		vcpu_fd[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		if (vcpu_fd[i] < 0)
			die("KVM_CREATE_VCPU %d: %s", i, strerror(errno));
		vcpu_run[i] = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, vcpu_fd[i], 0);
		if (vcpu_run[i] == MAP_FAILED)
			die("mapping vcpu %d's kvm_run: %s", i, strerror(errno));
	}

	/*
	 * The SBI debug console is off until enabled, and only before the
	 * vCPU first runs; a KVM without it leaves the legacy putchar.
	 */
	for (i = 0; i < nr_vcpus; i++) {
		uint64_t on = 1;
		struct kvm_one_reg reg = {
			.id = REG_U64(KVM_REG_RISCV_SBI_EXT,
				      KVM_REG_RISCV_SBI_SINGLE | KVM_RISCV_SBI_EXT_DBCN),
			.addr = (uintptr_t)&on,
		};

		if (ioctl(vcpu_fd[i], KVM_SET_ONE_REG, &reg))
			legacy_console = 1;
	}
	if (legacy_console)
		printf("%s: KVM has no SBI debug console: the guest needs the legacy putchar\n",
		       prog);

	memcpy(ram + (load - RAM_BASE), image, image_len);
	if (initrd_len)
		memcpy(ram + (initrd - RAM_BASE), initrd_buf, initrd_len);
	make_dtb(ram + (dtb - RAM_BASE), DTB_MAX, bootargs, initrd, initrd_len);
	free(image);
	free(initrd_buf);

	set_reg(vcpu_fd[0], CORE_REG(regs.pc), load, "the boot vCPU's pc");
	set_reg(vcpu_fd[0], CORE_REG(regs.a0), 0, "a0 (hartid)");
	set_reg(vcpu_fd[0], CORE_REG(regs.a1), dtb, "a1 (device tree)");
	printf("%s: %d vCPU%s, %lu MiB at 0x%lx; kernel at 0x%llx (%llu KiB), initrd %llu KiB, device tree at 0x%llx\n",
	       prog, nr_vcpus, nr_vcpus > 1 ? "s" : "", mib, RAM_BASE,
	       (unsigned long long)load, (unsigned long long)hdr.image_size >> 10,
	       (unsigned long long)initrd_len >> 10, (unsigned long long)dtb);
	printf("%s: bootargs: %s\n", prog, bootargs);

	print_time_offset();

	for (i = 0; i < nr_vcpus; i++)
		if (pthread_create(&thread[i], NULL, vcpu_thread, (void *)(intptr_t)i))
			die("starting vcpu %d's thread", i);
	/* A vCPU thread ends the run with exit(). */
	pthread_join(thread[0], NULL);
	return 1;
}
