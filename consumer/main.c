// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace: follow pings through the kernel with the net:ip_icmp event.
 *
 * Only this file decides the exit status; the subcommands return it.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <trace-cmd.h>

#include "child.h"
#include "cli.h"
#include "pingtrace.h"

struct command {
	const char	*name;
	int		(*fn)(struct pt_opts *opts);
	const char	*help;
};

static const struct command commands[] = {
	{ "live",	cmd_live,
	  "trace pings as they happen, until Ctrl-C or COMMAND exits" },
	{ "record",	cmd_record,
	  "record net:ip_icmp with trace-cmd into FILE, then report it" },
	{ "report",	cmd_report,
	  "read a trace.dat written by 'trace-cmd record -e net:ip_icmp'" },
	{ "check",	cmd_check,
	  "does this kernel have net:ip_icmp? print its format" },
};

static const char usage_head[] =
"usage: pingtrace live   [-t TARGET]... [-F FMT] [-q] [-e] [-C CLOCK]\n"
"                        [-W SECS] [-b KB] [-D] [-S] [-m MS] [-a]\n"
"                        [-- COMMAND...]\n"
"       pingtrace record [-t TARGET]... [-o FILE] [-F FMT] [-q] [-e]\n"
"                        [-C CLOCK] [-W SECS] [-b KB] [-D] [-S] [-a]\n"
"                        [-A HOST:PORT] [-- COMMAND...]\n"
"       pingtrace report [-t TARGET]... [-F FMT] [-q] [-e] [-W SECS]\n"
"                        [-S] [-m MS] [-G SVG] [-a] [-i FILE | FILE]\n"
"       pingtrace report [-t TARGET]... [-F FMT] [-q] [-e] [-W SECS] [-a]\n"
"                        -i [NAME=]FILE -i [NAME=]FILE...\n"
"       pingtrace check\n"
"\n"
"commands:\n";

static const char usage_tail[] =
"\n"
"options (a command refuses those it does not take):\n"
"  -t, --target ADDR     IPv4 or IPv6 address, or host name (A or AAAA);\n"
"                        repeat for more (default: all ICMP and ICMPv6)\n"
"  -F, --format FMT      text (default), json (JSON Lines) or csv; live\n"
"                        sends COMMAND's stdout to stderr with json or csv\n"
"  -q, --quiet           print the summary only\n"
"  -e, --events          json/csv: one record per event too\n"
"  -C, --clock CLOCK     live, record: trace clock (default boot; live\n"
"                        shows it as wall clock)\n"
"  -W, --timeout SECS    a request unanswered for SECS is lost\n"
"                        (live default 10; report default: end of file)\n"
"  -b, --buffer-size KB  live, record: ring buffer size per CPU\n"
"  -D, --no-drops        live, record: do not trace skb:kfree_skb (the\n"
"                        kernel's drops, which -t cannot filter)\n"
"  -i, --input FILE      report: trace file (default trace.dat); several\n"
"                        -i [NAME=]FILE: hosts' files of the same pings\n"
"                        on the first one's clock (man pingtrace)\n"
"  -o, --output FILE     record: trace file (default trace.dat); version 6\n"
"                        if /proc/kallsyms is missing\n"
"  -S, --stages          the stages of each echo, joined from the\n"
"                        kernel's device, syscall and sched events\n"
"  -m, --slow MS         live, report: only echoes whose rtt is above MS\n"
"                        milliseconds (the summary counts all)\n"
"  -G, --svg FILE        report: draw the echoes' stages into FILE\n"
"  -a, --all             show IPv6 neighbour discovery and MLD too\n"
"  -A, --agent HOST:PORT record: HOST's events too, through the\n"
"                        'trace-cmd agent -N' there (TCP), into\n"
"                        FILE-HOST.dat, with trace-cmd's time sync;\n"
"                        then both in one timeline\n"
"  -h, --help            this help\n"
"  -V, --version         print the version\n"
"\n"
"examples:\n"
"  pingtrace check\n"
"  pingtrace live -t 198.51.100.2 -- ping -c 3 198.51.100.2\n"
"  pingtrace live -F json -- ping -c 3 198.51.100.2 | jq .\n"
"  pingtrace live -F json -W 2 -t 198.51.100.2\n"
"  pingtrace report -i A=alone-A.dat -i B=alone-B.dat\n"
"  pingtrace live -t 2001:db8::2 -- ping -6 -c 3 2001:db8::2\n"
"  pingtrace record -o mine.dat -- ping -c 3 198.51.100.2\n"
"  trace-cmd record -e net:ip_icmp ping -c 3 198.51.100.2\n"
"  pingtrace report -i trace.dat -t 198.51.100.2\n"
"  pingtrace report -q -F json trace.dat\n"
"  pingtrace record --stages -- ping -c 3 198.51.100.2\n"
"  pingtrace record -A 198.51.100.2:823 -- ping -c 3 198.51.100.2\n"
"  pingtrace report --stages --slow 0.5 --svg stages.svg trace.dat\n";

/* What stdout holds goes first: the message follows what it is about */
static void message(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	message("pingtrace: ", fmt, ap);
	va_end(ap);
}

void pt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	message("pingtrace: warning: ", fmt, ap);
	va_end(ap);
}

/* EPIPE: the reader is gone (| head), which is not an error */
int pt_exit_write_error(int err)
{
	if (!err || err == -EPIPE)
		return 0;
	pt_err("write error: %s", strerror(-err));
	return 1;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int help(FILE *fp)
{
	size_t i;

	fputs(usage_head, fp);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].help);
	fputs(usage_tail, fp);
	if (fp != stdout)
		return PT_EXIT_USAGE;
	return pt_exit_write_error(fflush(fp) ? -errno : 0);
}

static int version(void)
{
	printf("pingtrace %s\n", PINGTRACE_VERSION);
	return pt_exit_write_error(fflush(stdout) ? -errno : 0);
}

static void quiet_libraries(void)
{
	tep_set_loglevel(TEP_LOG_NONE);
	tracefs_set_loglevel(TEP_LOG_NONE);
	tracecmd_set_loglevel(TEP_LOG_NONE);
}

int main(int argc, char **argv)
{
	struct pt_opts opts = { .format = PT_FMT_TEXT };
	const struct command *cmd;
	char err[256];

	/* before anything of ours is open: what our commands may inherit */
	pt_child_keep_fds();
	signal(SIGPIPE, SIG_IGN);
	quiet_libraries();
	if (argc < 2)
		return help(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help"))
		return help(stdout);
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		return version();
	cmd = find_command(argv[1]);
	switch (pt_parse_args(&opts, argc - 1, argv + 1, err, sizeof(err))) {
	case PT_ARGS_OK:	/* pt_parse_args() knew the command */
		return cmd->fn(&opts);
	case PT_ARGS_HELP:
		return help(stdout);
	case PT_ARGS_VERSION:
		return version();
	default:
		pt_err("%s", err);
		return PT_EXIT_USAGE;
	}
}
