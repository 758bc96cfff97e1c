// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace record: trace-cmd record -e net:ip_icmp into a file, then
 * pingtrace report on it.  trace-cmd writes the file (versions 6 and 7
 * are its business); we only build the filter and read the result, and
 * ask for version 6 where trace-cmd would write a damaged version 7.
 *
 * The event is recorded in a tracefs instance of our own (-B), which
 * trace-cmd creates and removes: the top instance, and whatever other
 * users of tracing set up there, is left alone.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pingtrace.h"

#define FILTER_MAX	4096
#define ARGV_FIXED	16

static int run_trace_cmd(char **argv)
{
	int status, ret;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "pingtrace: cannot run 'trace-cmd': %s\n",
			strerror(errno));
		_exit(127);
	}
	/* Ctrl-C goes to trace-cmd too, which stops and writes the file */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	while ((ret = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (ret < 0)
		ret = -errno;
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		ret = -ECHILD;
	else
		ret = 0;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return ret;
}

/*
 * trace-cmd 3.0 to 3.4 write a damaged compressed version 7 file when
 * they cannot stat() /proc/kallsyms (a kernel without CONFIG_KALLSYMS,
 * no procfs).  Version 6 has no compressed sections, so it is safe.
 */
static int kallsyms_missing(void)
{
	struct stat st;

	return stat("/proc/kallsyms", &st) != 0;
}

int cmd_record(struct pt_opts *opts)
{
	const char *file = opts->output ? opts->output : "trace.dat";
	char *argv[ARGV_FIXED + 256];
	char filter[FILTER_MAX];
	char instance[32];
	char kb[32];
	int n = 0, i;

	if (pt_targets_filter(&opts->targets, pt_host_big_endian(), filter,
			      sizeof(filter)) < 0) {
		pt_err("event filter too long");
		return 2;
	}
	argv[n++] = "trace-cmd";
	argv[n++] = "record";
	argv[n++] = "-q";
	snprintf(instance, sizeof(instance), "pingtrace-%d", (int)getpid());
	argv[n++] = "-B";
	argv[n++] = instance;
	argv[n++] = "-e";
	argv[n++] = "net:ip_icmp";
	if (filter[0]) {
		argv[n++] = "-f";
		argv[n++] = filter;
	}
	/*
	 * The boot clock, as live uses: the kernel's default may be "local"
	 * (per CPU) or, where the TSC is unstable, "global", which clamps
	 * timestamps across CPUs.  No --date: trace-cmd 3.1.6 measures its
	 * offset in the top instance, with that instance's clock.
	 */
	argv[n++] = "-C";
	argv[n++] = (char *)(opts->clock ? opts->clock : "boot");
	if (opts->buffer_kb) {
		snprintf(kb, sizeof(kb), "%lu", opts->buffer_kb);
		argv[n++] = "-b";
		argv[n++] = kb;
	}
	if (kallsyms_missing()) {
		argv[n++] = "--file-version";
		argv[n++] = "6";
	}
	argv[n++] = "-o";
	argv[n++] = (char *)file;
	for (i = 0; opts->command && opts->command[i]; i++) {
		if (n == ARGV_FIXED + 255) {
			pt_err("command too long");
			return 2;
		}
		argv[n++] = opts->command[i];
	}
	argv[n] = NULL;

	if (run_trace_cmd(argv)) {
		pt_err("trace-cmd record failed; nothing to report");
		return 1;
	}
	opts->input = file;
	opts->output = NULL;
	opts->clock = NULL;
	opts->buffer_kb = 0;
	opts->command = NULL;
	return cmd_report(opts);
}
