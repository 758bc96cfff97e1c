// SPDX-License-Identifier: GPL-2.0
/*
 * Options of a subcommand: argv[0] is the subcommand's name.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct option long_options[] = {
	{ "target",	required_argument,	NULL, 't' },
	{ "format",	required_argument,	NULL, 'F' },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "events",	no_argument,		NULL, 'e' },
	{ "clock",	required_argument,	NULL, 'C' },
	{ "timeout",	required_argument,	NULL, 'W' },
	{ "buffer-size", required_argument,	NULL, 'b' },
	{ "input",	required_argument,	NULL, 'i' },
	{ "output",	required_argument,	NULL, 'o' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL,		0,			NULL, 0 },
};

/* A positive number of seconds, fractions allowed, at most a year */
int pt_parse_seconds(const char *str, uint64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(str, &end);
	if (errno || end == str || *end || !(v > 0) || v > 86400.0 * 365)
		return -EINVAL;
	*ns = (uint64_t)(v * 1e9 + 0.5);
	return 0;
}

/* Kilobytes per CPU, 1 to 4 GiB */
static int parse_kb(const char *str, unsigned long *kb)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(str, &end, 10);
	if (errno || end == str || *end || *str == '-' || !v || v > (4UL << 20))
		return -EINVAL;
	*kb = v;
	return 0;
}

static int target_error(const char *arg, int ret, char *err, size_t size)
{
	if (ret == -ENOSPC)
		snprintf(err, size, "too many targets (at most %d)",
			 PT_MAX_TARGETS);
	else if (ret == -ENOENT)
		snprintf(err, size, "invalid target '%s': no IPv4 address "
			 "for this name", arg);
	else
		snprintf(err, size, "invalid target '%s': not an IPv4 address",
			 arg);
	return PT_ARGS_USAGE;
}

static int parse_option(struct pt_opts *opts, int c, const char *arg,
			char *err, size_t size)
{
	int ret;

	switch (c) {
	case 't':
		ret = pt_targets_add(&opts->targets, arg);
		return ret ? target_error(arg, ret, err, size) : PT_ARGS_OK;
	case 'F':
		if (!pt_format_parse(arg, &opts->format))
			return PT_ARGS_OK;
		snprintf(err, size, "invalid format '%s': use text, json or csv",
			 arg);
		return PT_ARGS_USAGE;
	case 'q':
		opts->quiet = 1;
		return PT_ARGS_OK;
	case 'e':
		opts->events = 1;
		return PT_ARGS_OK;
	case 'C':
		opts->clock = arg;
		return PT_ARGS_OK;
	case 'W':
		if (!pt_parse_seconds(arg, &opts->timeout_ns))
			return PT_ARGS_OK;
		snprintf(err, size, "invalid timeout '%s': a number of seconds",
			 arg);
		return PT_ARGS_USAGE;
	case 'b':
		if (!parse_kb(arg, &opts->buffer_kb))
			return PT_ARGS_OK;
		snprintf(err, size, "invalid buffer size '%s': kilobytes per "
			 "CPU", arg);
		return PT_ARGS_USAGE;
	case 'i':
		opts->input = arg;
		return PT_ARGS_OK;
	case 'o':
		opts->output = arg;
		return PT_ARGS_OK;
	case 'h':
		return PT_ARGS_HELP;
	case 'V':
		return PT_ARGS_VERSION;
	}
	snprintf(err, size, "invalid option; try 'pingtrace --help'");
	return PT_ARGS_USAGE;
}

static int parse_operands(struct pt_opts *opts, int argc, char **argv,
			  char *err, size_t size)
{
	int dashdash = optind > 1 && !strcmp(argv[optind - 1], "--");

	if (optind >= argc)
		return PT_ARGS_OK;
	if (dashdash) {
		opts->command = argv + optind;
		return PT_ARGS_OK;
	}
	if (!opts->input && optind + 1 == argc) {
		opts->input = argv[optind];
		return PT_ARGS_OK;
	}
	snprintf(err, size, "unexpected argument '%s' (a command goes after "
		 "'--')", argv[optind]);
	return PT_ARGS_USAGE;
}

/*
 * Options, then one positional FILE (report) or "-- COMMAND...".
 * Returns PT_ARGS_*; getopt's own messages are silenced.
 */
int pt_parse_args(struct pt_opts *opts, int argc, char **argv,
		  char *err, size_t size)
{
	int ret;
	int c;

	err[0] = '\0';
	optind = 0;		/* full reset of getopt's state */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+t:F:qeC:W:b:i:o:hV",
				long_options, NULL)) != -1) {
		if (c == '?' || c == ':') {
			snprintf(err, size, "invalid option or missing value "
				 "'%s'; try 'pingtrace --help'",
				 argv[optind - 1]);
			return PT_ARGS_USAGE;
		}
		ret = parse_option(opts, c, optarg, err, size);
		if (ret)
			return ret;
	}
	return parse_operands(opts, argc, argv, err, size);
}
