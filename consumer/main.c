// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace: follow pings through the kernel with the net:ip_icmp event.
 *
 * Only this file decides the exit status; the subcommands return it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <trace-cmd.h>

#include "pingtrace.h"

#define ARGS_HELP	(-1)
#define ARGS_VERSION	(-2)

struct command {
	const char	*name;
	int		(*fn)(struct pt_opts *opts);
	const char	*help;
};

static const struct command commands[] = {
	{ "live",	cmd_live,	"trace pings as they happen" },
	{ "record",	cmd_record,	"record a trace.dat, then report it" },
	{ "report",	cmd_report,	"read a trace.dat from trace-cmd record" },
	{ "check",	cmd_check,	"does this kernel have net:ip_icmp?" },
};

static const char usage_text[] =
"usage: pingtrace live   [-t TARGET]... [options] [-- COMMAND...]\n"
"       pingtrace record [-t TARGET]... [-o FILE] [options] [-- COMMAND...]\n"
"       pingtrace report [-i FILE | FILE] [-t TARGET]... [options]\n"
"       pingtrace check\n"
"\n"
"commands:\n"
"  live      trace pings as they happen, until Ctrl-C or COMMAND exits\n"
"  record    record net:ip_icmp with trace-cmd into FILE, then report it\n"
"  report    read a trace.dat written by 'trace-cmd record -e net:ip_icmp'\n"
"  check     does this kernel have net:ip_icmp? print its format\n"
"\n"
"options:\n"
"  -t, --target ADDR     IPv4 address or host name; repeat for more\n"
"                        (default: all ICMP)\n"
"  -F, --format FMT      text (default), json (JSON Lines) or csv\n"
"  -q, --quiet           print the summary only\n"
"  -e, --events          json/csv: one record per event too\n"
"  -C, --clock CLOCK     live/record: trace clock (default boot)\n"
"  -W, --timeout SECS    a request unanswered for SECS is lost\n"
"                        (live default 10; report default: end of file)\n"
"  -i, --input FILE      report: trace file (default trace.dat)\n"
"  -o, --output FILE     record: trace file (default trace.dat)\n"
"  -h, --help            this help\n"
"  -V, --version         print the version\n"
"\n"
"examples:\n"
"  pingtrace check\n"
"  pingtrace live -t 198.51.100.2 -- ping -c 3 198.51.100.2\n"
"  pingtrace live -F json -W 2 -t 198.51.100.2\n"
"  trace-cmd record -e net:ip_icmp ping -c 3 198.51.100.2\n"
"  pingtrace report -i trace.dat -t 198.51.100.2\n"
"  pingtrace report -q -F json trace.dat\n";

static const struct option long_options[] = {
	{ "target",	required_argument,	NULL, 't' },
	{ "format",	required_argument,	NULL, 'F' },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "events",	no_argument,		NULL, 'e' },
	{ "clock",	required_argument,	NULL, 'C' },
	{ "timeout",	required_argument,	NULL, 'W' },
	{ "input",	required_argument,	NULL, 'i' },
	{ "output",	required_argument,	NULL, 'o' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL,		0,			NULL, 0 },
};

void pt_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("pingtrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* EPIPE: the reader is gone (| head), which is not an error */
int pt_exit_write_error(int err)
{
	if (!err || err == -EPIPE)
		return 0;
	pt_err("write error: %s", strerror(-err));
	return 1;
}

static int parse_seconds(const char *str, uint64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(str, &end);
	if (errno || end == str || *end || v <= 0 || v > 86400.0 * 365)
		return -EINVAL;
	*ns = (uint64_t)(v * 1e9);
	return 0;
}

static int target_error(const char *arg, int ret)
{
	if (ret == -ENOSPC)
		pt_err("too many targets (at most %d)", PT_MAX_TARGETS);
	else if (ret == -ENOENT)
		pt_err("invalid target '%s': no IPv4 address for this name", arg);
	else
		pt_err("invalid target '%s': not an IPv4 address", arg);
	return 2;
}

static int parse_option(struct pt_opts *opts, int c, const char *arg)
{
	int ret;

	switch (c) {
	case 't':
		ret = pt_targets_add(&opts->targets, arg);
		return ret ? target_error(arg, ret) : 0;
	case 'F':
		if (!pt_format_parse(arg, &opts->format))
			return 0;
		pt_err("invalid format '%s': use text, json or csv", arg);
		return 2;
	case 'q':
		opts->quiet = 1;
		return 0;
	case 'e':
		opts->events = 1;
		return 0;
	case 'C':
		opts->clock = arg;
		return 0;
	case 'W':
		if (!parse_seconds(arg, &opts->timeout_ns))
			return 0;
		pt_err("invalid timeout '%s': a number of seconds", arg);
		return 2;
	case 'i':
		opts->input = arg;
		return 0;
	case 'o':
		opts->output = arg;
		return 0;
	case 'h':
		return ARGS_HELP;
	case 'V':
		return ARGS_VERSION;
	}
	fputs("Try 'pingtrace --help'.\n", stderr);
	return 2;
}

/* Options, then an optional positional FILE (report) or "-- COMMAND" */
static int parse_args(struct pt_opts *opts, int argc, char **argv)
{
	int dashdash;
	int ret;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+t:F:qeC:W:i:o:hV",
				long_options, NULL)) != -1) {
		ret = parse_option(opts, c, optarg);
		if (ret)
			return ret;
	}
	dashdash = optind > 1 && !strcmp(argv[optind - 1], "--");
	if (optind < argc && dashdash) {
		opts->command = argv + optind;
		return 0;
	}
	if (optind < argc && !opts->input && optind + 1 == argc) {
		opts->input = argv[optind];
		return 0;
	}
	if (optind < argc) {
		pt_err("unexpected argument '%s' (a command goes after '--')",
		       argv[optind]);
		return 2;
	}
	return 0;
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
	fputs(usage_text, fp);
	return fp == stdout ? pt_exit_write_error(fflush(fp) ? -errno : 0) : 2;
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
	const struct command *cmd;
	struct pt_opts opts = { .format = PT_FMT_TEXT };
	int ret;

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
	if (!cmd) {
		pt_err("unknown command '%s'; try 'pingtrace --help'", argv[1]);
		return 2;
	}
	ret = parse_args(&opts, argc - 1, argv + 1);
	if (ret == ARGS_HELP)
		return help(stdout);
	if (ret == ARGS_VERSION)
		return version();
	if (ret)
		return ret;
	return cmd->fn(&opts);
}
