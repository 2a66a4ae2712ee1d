// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_inject - run perf inject --guest-data on the L1 host with what
 * init/qemu-guest.sh wrote beside the guest's perf data (GUEST.vmm:
 * QEMU's pid, the guest's time offset from KVM's debugfs and the
 * timebase), as an operator would type it.
 * ERROR_S is added to the offset in seconds (0, or a negative control:
 * a guest whose times are mapped wrong).  Each GUEST_FILE is a file of
 * the guest that must be at the same path on the host: without
 * --guestmount perf reads a guest's files there.
 *
 * usage: guest_inject HOST.data GUEST.data OUT.data ERROR_S [GUEST_FILE]...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The perf that runs the injection. */
#ifndef PERF
#define PERF "/bin/perf"
#endif

int main(int argc, char **argv)
{
	unsigned long long offset, timebase;
	char path[4096], arg[4200];
	double error = 0;
	FILE *f;
	int pid, i;

	if (argc < 5) {
		fprintf(stderr, "usage: guest_inject HOST.data GUEST.data OUT.data ERROR_S [GUEST_FILE]...\n");
		return 2;
	}
	error = atof(argv[4]);
	for (i = 5; i < argc; i++)
		if (access(argv[i], R_OK)) {
			fprintf(stderr, "guest_inject: the guest's %s is not on the host at that path\n",
				argv[i]);
			return 1;
		}
	snprintf(path, sizeof(path), "%s.vmm", argv[2]);
	f = fopen(path, "r");
	if (!f || fscanf(f, "pid %d time_offset %llu timebase %llu", &pid, &offset,
			 &timebase) != 3) {
		fprintf(stderr, "guest_inject: %s: no pid, time_offset and timebase\n", path);
		return 1;
	}
	fclose(f);
	offset += (long long)(error * timebase);
	snprintf(arg, sizeof(arg), "--guest-data=%s,%d,%llu", argv[2], pid, offset);
	printf("guest_inject: perf inject -i %s -o %s %s%s\n", argv[1], argv[3], arg,
	       error ? " (the offset off on purpose)" : "");
	fflush(stdout);
	execl(PERF, "perf", "inject", "-i", argv[1], "-o", argv[3], arg, (char *)NULL);
	perror("guest_inject: " PERF);
	return 1;
}
