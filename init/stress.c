// SPDX-License-Identifier: GPL-2.0
/*
 * stress: perf sessions on the KVM host while stress_vm's guests run.
 *
 * Across everything, a system-wide "perf kvm --host --guest record -a -g"
 * of cycles, instructions and cpu-clock at the highest rate the sysctl
 * allows (-F max), and a system-wide "perf stat".  Then ROUNDS times each
 * phase of stress_vm (kernel, user, exits, mixed: 4 vCPUs on the harts
 * there are) for SECONDS, each on a fresh VM: kvm.ko, if given, is
 * unloaded and loaded again before each VM with the sessions sampling.
 * The VM runs under "perf kvm --host --guest record" of cpu-clock at
 * 1000 Hz, whose report gives the phase's shares, and half way through a
 * plain "perf record -a" of cpu-clock (which excludes guests, as perf
 * does by default) of one second, started and stopped while the vCPUs
 * run, must see no guest sample.  cpu-clock, because under QEMU 7.2 the
 * long session's cycles and instructions at -F max take next to no
 * sample (0 on the base kernel as on the series, 21 and 3 on the debug
 * kernel), and no other session's cycles do either while it runs.
 * Last, a VM is killed (its file descriptors closed by the kernel) while
 * its vCPUs run under sampling.
 *
 * Prints "@@ stress-share guest+host|plain PHASE ROUND k=.. host-user=..
 * g=.. u=.." a phase and session, and "@@ stress-figures ..." from perf
 * report --stats of the long session, with kernel.perf_event_max_sample_rate
 * before and after (the kernel lowers it when samples take long).  Exit status 0 when every program ended as it should.
 *
 * usage: stress PERF STRESS_VM KVM.KO|- SECONDS ROUNDS
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *perf, *vm_prog, *ko;
static int failures;

#define FAIL(fmt, ...) do {						\
	printf("stress: FAIL: " fmt "\n", ##__VA_ARGS__);		\
	failures++;							\
} while (0)

static pid_t spawn(char **argv, int out_fd)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (out_fd >= 0)
			dup2(out_fd, 1);
		execv(argv[0], argv);
		printf("stress: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	return pid;
}

/* Wait for pid; it must exit 0, or die of sig if sig is not 0. */
static void reap(pid_t pid, const char *what, int sig)
{
	int status;

	if (pid <= 0 || waitpid(pid, &status, 0) != pid) {
		FAIL("%s: lost", what);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (sig && WIFSIGNALED(status) && WTERMSIG(status) == sig)
		return;
	if (WIFEXITED(status))
		FAIL("%s: exit status %d", what, WEXITSTATUS(status));
	else
		FAIL("%s: killed by signal %d", what, WTERMSIG(status));
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Unload kvm.ko, once its last VM is gone, and load it again. */
static void reload_kvm(void)
{
	int fd, tries;

	if (!ko)
		return;
	for (tries = 0; syscall(SYS_delete_module, "kvm", O_NONBLOCK); tries++) {
		if (errno == ENOENT)
			break;
		if ((errno != EAGAIN && errno != EWOULDBLOCK && errno != EBUSY) ||
		    tries == 500) {
			FAIL("delete_module(kvm): %s", strerror(errno));
			return;
		}
		sleep_ms(20);
	}
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0))
		FAIL("loading %s: %s", ko, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Add up a perf report by the level of each line: [k] [.] [g] [u]. */
static void shares(const char *data, const char *phase, int round, int guest)
{
	char *argv[16] = { (char *)perf }, line[512];
	double k = 0, hu = 0, g = 0, u = 0;
	int n = 1, p[2];
	FILE *f;

	if (guest) {
		argv[n++] = "kvm";
		argv[n++] = "--host";
		argv[n++] = "--guest";
	}
	argv[n++] = "report";
	argv[n++] = "-i";
	argv[n++] = (char *)data;
	argv[n++] = "--stdio";
	argv[n++] = "--stdio-color=never";
	argv[n++] = "--sort";
	argv[n++] = "sym";
	argv[n] = NULL;
	if (pipe(p)) {
		FAIL("pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = spawn(argv, p[1]);

	close(p[1]);
	f = fdopen(p[0], "r");
	while (fgets(line, sizeof(line), f)) {
		double pct;

		if (line[0] == '#' || sscanf(line, " %lf%%", &pct) != 1)
			continue;
		if (strstr(line, " [k] "))
			k += pct;
		else if (strstr(line, " [.] "))
			hu += pct;
		else if (strstr(line, " [g] "))
			g += pct;
		else if (strstr(line, " [u] "))
			u += pct;
	}
	fclose(f);
	reap(pid, "perf report", 0);
	printf("@@ stress-share %s %s %d k=%.1f host-user=%.1f g=%.1f u=%.1f\n",
	       guest ? "guest+host" : "plain", phase, round, k, hu, g, u);
	if (k + hu + g + u == 0)
		FAIL("phase %s: the %s session has no samples", phase,
		     guest ? "guest+host" : "plain");
	if (!guest && g + u > 0)
		FAIL("phase %s: a plain perf record got %.1f%% guest samples", phase, g + u);
}

static unsigned long max_rate(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_sample_rate", "r");
	unsigned long rate = 0;

	if (f) {
		if (fscanf(f, "%lu", &rate) != 1)
			rate = 0;
		fclose(f);
	}
	return rate;
}

/* perf report --stats of the long session, as one line of figures. */
static void figures(const char *data, unsigned long rate)
{
	static const char * const key[] = {
		"SAMPLE", "THROTTLE", "UNTHROTTLE", "LOST", "LOST_SAMPLES",
	};
	static const char * const evname[] = { "cycles", "instructions", "cpu-clock" };
	char *argv[] = { (char *)perf, "report", "-i", (char *)data, "--stats", NULL };
	unsigned long v[5] = {}, per[3] = {};
	char line[512], name[64], ev[64] = "";
	unsigned int i;
	int p[2];
	FILE *f;

	if (pipe(p)) {
		FAIL("pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = spawn(argv, p[1]);

	close(p[1]);
	f = fdopen(p[0], "r");
	while (fgets(line, sizeof(line), f)) {
		unsigned long n;

		fputs(line, stdout);
		/* "cycles stats:", then that event's "SAMPLE events: N" */
		if (strstr(line, " stats:") && sscanf(line, "%63s", name) == 1) {
			/* "Aggregated stats:" comes first, for all events */
			strcpy(ev, strcmp(name, "Aggregated") ? name : "");
			continue;
		}
		if (sscanf(line, " %63s events: %lu", name, &n) != 2)
			continue;
		if (ev[0]) {
			if (!strcmp(name, "SAMPLE"))
				for (i = 0; i < 3; i++)
					if (!strcmp(ev, evname[i]))
						per[i] = n;
			continue;
		}
		for (i = 0; i < 5; i++)
			if (!strcmp(name, key[i]))
				v[i] = n;
	}
	fclose(f);
	reap(pid, "perf report --stats", 0);
	printf("@@ stress-figures samples=%lu (cycles %lu, instructions %lu, cpu-clock %lu) throttle=%lu unthrottle=%lu lost=%lu lost-samples=%lu max-rate=%lu->%lu\n",
	       v[0], per[0], per[1], per[2], v[1], v[2], v[3], v[4], rate, max_rate());
	if (!v[0])
		FAIL("the long session recorded no sample");
}

static pid_t run_vm(const char *phase, const char *seconds)
{
	char *argv[] = { (char *)vm_prog, "run", (char *)phase, (char *)seconds, "4", NULL };

	return spawn(argv, -1);
}

int main(int argc, char *argv[])
{
	static const char * const phases[] = { "kernel", "user", "exits", "mixed" };
	char secs[16], data[64], line[256];
	unsigned int i;
	int seconds, rounds, r;
	pid_t rec, stat, vm, sub, plain;
	unsigned long rate = max_rate();
	FILE *f;

	if (argc != 6) {
		printf("usage: stress PERF STRESS_VM KVM.KO|- SECONDS ROUNDS\n");
		return 2;
	}
	perf = argv[1];
	vm_prog = argv[2];
	ko = strcmp(argv[3], "-") ? argv[3] : NULL;
	seconds = atoi(argv[4]);
	rounds = atoi(argv[5]);
	if (seconds < 4 || rounds < 1) {
		printf("stress: SECONDS must be 4 or more, ROUNDS 1 or more\n");
		return 2;
	}
	snprintf(secs, sizeof(secs), "%d", seconds);

	char *rec_argv[] = { (char *)perf, "kvm", "--host", "--guest", "record", "-a", "-g",
		"-e", "cycles,instructions,cpu-clock", "-F", "max",
		"-o", "/tmp/stress.data", NULL };
	char *stat_argv[] = { (char *)perf, "stat", "-a", "-e", "cycles,instructions,cpu-clock",
		"-o", "/tmp/stress.stat", NULL };

	rec = spawn(rec_argv, -1);
	stat = spawn(stat_argv, -1);
	sleep_ms(1000);

	for (r = 1; r <= rounds; r++) {
		for (i = 0; i < 4; i++) {
			char *sub_argv[] = { (char *)perf, "kvm", "--host", "--guest", "record",
				"-e", "cpu-clock", "-F", "1000", "-o", data, "--", (char *)vm_prog,
				"run", (char *)phases[i], secs, "4", NULL };
			char *plain_argv[] = { (char *)perf, "record", "-a", "-e", "cpu-clock",
				"-F", "1000", "-o", "/tmp/plain-stress.data", "--",
				(char *)vm_prog, "sleep", "1000", NULL };

			reload_kvm();
			snprintf(data, sizeof(data), "/tmp/stress-%s-%d.data", phases[i], r);
			sub = spawn(sub_argv, -1);
			sleep_ms(seconds * 1000 / 2);
			plain = spawn(plain_argv, -1);
			reap(plain, "plain perf record -a", 0);
			reap(sub, phases[i], 0);
			shares(data, phases[i], r, 1);
			shares("/tmp/plain-stress.data", phases[i], r, 0);
		}
	}

	/* A VM killed under sampling: the kernel closes its fds. */
	reload_kvm();
	vm = run_vm("mixed", secs);
	sleep_ms(seconds * 500);
	kill(vm, SIGKILL);
	reap(vm, "the VM killed while it runs", SIGKILL);
	reload_kvm();
	sleep_ms(500);

	kill(stat, SIGINT);
	kill(rec, SIGINT);
	reap(stat, "perf stat -a", SIGINT);
	reap(rec, "perf kvm record -a -g", SIGINT);

	figures("/tmp/stress.data", rate);
	f = fopen("/tmp/stress.stat", "r");
	while (f && fgets(line, sizeof(line), f))
		fputs(line, stdout);
	if (f)
		fclose(f);
	else
		FAIL("perf stat -a wrote nothing");
	printf("stress: %d rounds of 4 phases of %d s, %s; %d failures\n", rounds, seconds,
	       ko ? "kvm.ko reloaded before each VM" : "KVM built in", failures);
	return failures ? 1 : 0;
}
