// SPDX-License-Identifier: GPL-2.0
/*
 * init for the L1 KVM host: mount the pseudo file systems, run each step
 * of /plan with a time limit, report each step on the console and power
 * off.  It is also the init of the real Linux guest that Debian's QEMU
 * boots on the host (init/qemu-guest.sh), from an initramfs of its own
 * with the guest's plan: with "init_output=kmsg" on its command line (the
 * kernel hands it on in the environment) init and the plan write to
 * /dev/kmsg, so that their lines carry the guest kernel's timestamps.
 *
 * /plan has one step a line: "NAME TIMEOUT_S[xRETRIES] PROGRAM [ARG...]".
 * Blank lines and lines starting with '#' are skipped.  Each step ends
 * with a line "@@ result NAME pass|fail|skip rc=N" that the harness reads
 * back.  A step given RETRIES (an upstream test known to flake under
 * emulation) that fails is run again up to RETRIES times, each rerun
 * announced with "@@ retry NAME N rc=M", where rc is the failed run's.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS	32
#define KSFT_SKIP	4

static void mount_fs(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		printf("init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run argv for at most timeout seconds; return its wait status. */
static int run(char **argv, int timeout, int *timed_out)
{
	double end = now() + timeout;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setsid();
		execv(argv[0], argv);
		printf("init: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}

	*timed_out = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now() > end && !*timed_out) {
			printf("init: %s: timed out after %d s, killing it\n",
			       argv[0], timeout);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			*timed_out = 1;
		}
		usleep(20000);
	}
}

static void step(char *line)
{
	char *argv[MAX_ARGS + 1], *name, *tmo, *save;
	int argc = 0, status, timed_out, rc, retries, tries;
	const char *result;
	double start;

	name = strtok_r(line, " \t\n", &save);
	if (!name || name[0] == '#')
		return;
	tmo = strtok_r(NULL, " \t\n", &save);
	while (argc < MAX_ARGS && (argv[argc] = strtok_r(NULL, " \t\n", &save)))
		argc++;
	argv[argc] = NULL;
	if (!tmo || !argc) {
		printf("init: bad plan line for %s\n", name);
		printf("@@ result %s fail rc=-1\n", name);
		return;
	}

	retries = strchr(tmo, 'x') ? atoi(strchr(tmo, 'x') + 1) : 0;

	printf("@@ start %s\n", name);
	start = now();
	for (tries = 0;; tries++) {
		status = run(argv, atoi(tmo), &timed_out);
		if (status < 0 || timed_out || !WIFEXITED(status))
			rc = -1;
		else
			rc = WEXITSTATUS(status);
		if (status >= 0 && WIFSIGNALED(status) && !timed_out)
			printf("init: %s killed by signal %d\n", name,
			       WTERMSIG(status));
		if (rc == 0 || rc == KSFT_SKIP || tries == retries)
			break;
		printf("@@ retry %s %d rc=%d\n", name, tries + 1, rc);
	}

	result = rc == 0 ? "pass" : rc == KSFT_SKIP ? "skip" : "fail";
	printf("@@ result %s %s rc=%d time=%.1fs\n", name, result, rc,
	       now() - start);
}

/* Send stdout and stderr to the kernel log, if the command line says so. */
static void output_to_kmsg(void)
{
	const char *out = getenv("init_output");
	int fd;

	if (!out || strcmp(out, "kmsg"))
		return;
	fd = open("/dev/kmsg", O_WRONLY);
	if (fd < 0) {
		printf("init: /dev/kmsg: %s\n", strerror(errno));
		return;
	}
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

int main(void)
{
	char line[1024];
	struct utsname u;
	FILE *plan;

	mount_fs("proc", "/proc", "proc");
	mount_fs("sysfs", "/sys", "sysfs");
	mount_fs("debugfs", "/sys/kernel/debug", "debugfs");
	mount_fs("devtmpfs", "/dev", "devtmpfs");
	mount_fs("tmpfs", "/tmp", "tmpfs");
	output_to_kmsg();
	setvbuf(stdout, NULL, _IOLBF, 0);
	setenv("PATH", "/bin", 1);
	chdir("/tmp");

	uname(&u);
	printf("@@ kernel %s %s\n", u.release, u.version);

	plan = fopen("/plan", "r");
	if (!plan) {
		printf("init: no /plan: %s\n", strerror(errno));
	} else {
		while (fgets(line, sizeof(line), plan))
			step(line);
		fclose(plan);
	}

	printf("@@ done\n");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
