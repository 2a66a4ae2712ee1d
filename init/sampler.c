// SPDX-License-Identifier: GPL-2.0
/*
 * sampler: a system-wide perf session that runs in the background across
 * the steps of a plan between "sampler start" and "sampler stop", so
 * that each step keeps its own result.
 *
 * "sampler start PERF DATA FREQ" starts "PERF kvm --host --guest record
 * -a -g -e cycles -e cpu-clock -F FREQ -o DATA" (guest and host samples,
 * with callchains, on every CPU), waits until it has written DATA's
 * header, notes its pid in DATA.pid and exits 0, leaving it running.
 *
 * "sampler stop PERF DATA" sends it SIGINT, waits for it to write DATA
 * and exit, and prints one line of figures from "perf report --stats"
 * and "perf kvm --host --guest report -n --sort sym":
 *   @@ sampler-figures samples=N lost=N lost-samples=N guest=N
 * (guest: the samples that the report shows as [g] or [u]).  Exit 0 when perf ended on its own and recorded samples.
 *
 * usage: sampler start PERF DATA FREQ | sampler stop PERF DATA
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int start(char *perf, char *data, char *freq)
{
	char *argv[] = { perf, "kvm", "--host", "--guest", "record", "-a", "-g",
			 "-e", "cycles", "-e", "cpu-clock", "-F", freq,
			 "-o", data, NULL };
	char pidfile[256];
	struct stat st;
	FILE *f;
	pid_t pid;
	int i;

	unlink(data);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("sampler: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execv(perf, argv);
		printf("sampler: exec %s: %s\n", perf, strerror(errno));
		_exit(127);
	}
	/* perf writes the file's header once its events are open. */
	for (i = 0; i < 3000; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			printf("sampler: perf record ended at its start\n");
			return 1;
		}
		if (!stat(data, &st) && st.st_size > 0)
			break;
		sleep_ms(10);
	}
	if (i == 3000) {
		printf("sampler: perf record wrote no header in 30 s\n");
		kill(pid, SIGKILL);
		return 1;
	}
	snprintf(pidfile, sizeof(pidfile), "%s.pid", data);
	f = fopen(pidfile, "w");
	if (!f) {
		printf("sampler: %s: %s\n", pidfile, strerror(errno));
		kill(pid, SIGKILL);
		return 1;
	}
	fprintf(f, "%d\n", pid);
	fclose(f);
	printf("sampler: perf record -a -g at %s Hz, pid %d\n", freq, pid);
	return 0;
}

/* Whether pid has ended: gone, or a zombie that no one reaps. */
static int ended(pid_t pid)
{
	char path[64], state = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
		state = 0;
	fclose(f);
	return state == 'Z' || state == 'X';
}

/* Run argv with its stdout on a pipe; return the pipe's read end. */
static FILE *output_of(char **argv, pid_t *pid)
{
	int p[2];

	if (pipe(p))
		return NULL;
	fflush(stdout);
	*pid = fork();
	if (*pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	return fdopen(p[0], "r");
}

static int stop(char *perf, char *data)
{
	char *stats[] = { perf, "report", "-i", data, "--stats", NULL };
	char *report[] = { perf, "kvm", "--host", "--guest", "report", "-i", data,
			   "--stdio", "--stdio-color=never", "--no-children", "-n",
			   "-g", "none",
			   "--sort", "sym", NULL };
	unsigned long samples = 0, lost = 0, lost_samples = 0, guest = 0, n;
	char pidfile[256], line[512], name[64];
	int i, pid = 0, shown = 0;
	pid_t child;
	FILE *f;

	snprintf(pidfile, sizeof(pidfile), "%s.pid", data);
	f = fopen(pidfile, "r");
	if (!f || fscanf(f, "%d", &pid) != 1 || pid <= 0) {
		printf("sampler: no perf record running (%s)\n", pidfile);
		return 1;
	}
	fclose(f);
	kill(pid, SIGINT);
	for (i = 0; i < 12000 && !ended(pid); i++)
		sleep_ms(10);
	if (!ended(pid)) {
		printf("sampler: perf record did not end in 120 s\n");
		kill(pid, SIGKILL);
		return 1;
	}

	f = output_of(stats, &child);
	while (f && fgets(line, sizeof(line), f)) {
		/* The first of each kind is the aggregate of all events. */
		if (sscanf(line, " %63s events: %lu", name, &n) != 2)
			continue;
		if (!strcmp(name, "SAMPLE") && !samples)
			samples = n;
		else if (!strcmp(name, "LOST") && !lost)
			lost = n;
		else if (!strcmp(name, "LOST_SAMPLES") && !lost_samples)
			lost_samples = n;
	}
	if (f)
		fclose(f);
	waitpid(child, NULL, 0);

	/* "  12.34%  5678  [g] sym" with -n: a line a symbol. */
	f = output_of(report, &child);
	while (f && fgets(line, sizeof(line), f)) {
		double pct;

		if (line[0] == '#' || sscanf(line, " %lf%% %lu", &pct, &n) != 2)
			continue;
		if (strstr(line, " [g] ") || strstr(line, " [u] ")) {
			/* The guest's first symbols, as perf reports them. */
			if (shown++ < 3)
				printf("sampler: %s", line);
			guest += n;
		}
	}
	if (f)
		fclose(f);
	waitpid(child, NULL, 0);

	printf("@@ sampler-figures samples=%lu lost=%lu lost-samples=%lu guest=%lu\n",
	       samples, lost, lost_samples, guest);
	return samples ? 0 : 1;
}

int main(int argc, char *argv[])
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "start"))
		return start(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "stop"))
		return stop(argv[2], argv[3]);
	fprintf(stderr, "usage: sampler start PERF DATA FREQ | sampler stop PERF DATA\n");
	return 2;
}
