// SPDX-License-Identifier: GPL-2.0
/*
 * Options of a subcommand: argv[0] is the subcommand's name.
 *
 * Every subcommand has its own table of the options it takes.  An option
 * of pingtrace that another subcommand takes is refused with a line that
 * says so; an operand a subcommand has no use for is an error too.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Seconds in a year: the longest -W */
#define MAX_SECONDS		(86400.0 * 365)
/* 4 GiB per CPU, in KB: the largest -b */
#define MAX_BUFFER_KB		(4UL << 20)

#define OPT_TARGET	{ "target",	 required_argument, NULL, 't' }
#define OPT_FORMAT	{ "format",	 required_argument, NULL, 'F' }
#define OPT_QUIET	{ "quiet",	 no_argument,	    NULL, 'q' }
#define OPT_EVENTS	{ "events",	 no_argument,	    NULL, 'e' }
#define OPT_CLOCK	{ "clock",	 required_argument, NULL, 'C' }
#define OPT_TIMEOUT	{ "timeout",	 required_argument, NULL, 'W' }
#define OPT_BUFFER	{ "buffer-size", required_argument, NULL, 'b' }
#define OPT_NO_DROPS	{ "no-drops",	 no_argument,	    NULL, 'D' }
#define OPT_INPUT	{ "input",	 required_argument, NULL, 'i' }
#define OPT_OUTPUT	{ "output",	 required_argument, NULL, 'o' }
#define OPT_STAGES	{ "stages",	 no_argument,	    NULL, 'S' }
#define OPT_SLOW	{ "slow",	 required_argument, NULL, 'm' }
#define OPT_SVG		{ "svg",	 required_argument, NULL, 'G' }
#define OPT_ALL		{ "all",	 no_argument,	    NULL, 'a' }
#define OPT_AGENT	{ "agent",	 required_argument, NULL, 'A' }
#define OPT_HELP	{ "help",	 no_argument,	    NULL, 'h' }
#define OPT_VERSION	{ "version",	 no_argument,	    NULL, 'V' }
#define OPT_END		{ NULL,		 0,		    NULL, 0 }

/* What a subcommand takes after its options */
enum operands {
	TAKES_NOTHING,
	TAKES_COMMAND,		/* -- COMMAND... */
	TAKES_FILE,		/* one FILE, unless -i gave it */
};

struct cmd_options {
	const char		*name;
	const char		*shortopts;	/* "+:" then getopt's letters */
	const struct option	*longopts;
	enum operands		operands;
};

static const struct option live_options[] = {
	OPT_TARGET, OPT_FORMAT, OPT_QUIET, OPT_EVENTS, OPT_CLOCK, OPT_TIMEOUT,
	OPT_BUFFER, OPT_NO_DROPS, OPT_STAGES, OPT_SLOW, OPT_ALL, OPT_HELP,
	OPT_VERSION, OPT_END,
};

static const struct option record_options[] = {
	OPT_TARGET, OPT_FORMAT, OPT_QUIET, OPT_EVENTS, OPT_CLOCK, OPT_TIMEOUT,
	OPT_BUFFER, OPT_NO_DROPS, OPT_OUTPUT, OPT_STAGES, OPT_ALL, OPT_AGENT,
	OPT_HELP, OPT_VERSION, OPT_END,
};

static const struct option report_options[] = {
	OPT_TARGET, OPT_FORMAT, OPT_QUIET, OPT_EVENTS, OPT_TIMEOUT, OPT_INPUT,
	OPT_STAGES, OPT_SLOW, OPT_SVG, OPT_ALL, OPT_HELP, OPT_VERSION, OPT_END,
};

static const struct option check_options[] = {
	OPT_HELP, OPT_VERSION, OPT_END,
};

/* Every option of pingtrace, to tell "not for this command" from "no such" */
static const struct option all_options[] = {
	OPT_TARGET, OPT_FORMAT, OPT_QUIET, OPT_EVENTS, OPT_CLOCK, OPT_TIMEOUT,
	OPT_BUFFER, OPT_NO_DROPS, OPT_INPUT, OPT_OUTPUT, OPT_STAGES, OPT_SLOW,
	OPT_SVG, OPT_ALL, OPT_AGENT, OPT_HELP, OPT_VERSION, OPT_END,
};

static const struct cmd_options cmd_options[] = {
	{ "live",   "+:t:F:qeC:W:b:DSm:ahV", live_options,   TAKES_COMMAND },
	{ "record", "+:t:F:qeC:W:b:Do:SaA:hV", record_options, TAKES_COMMAND },
	{ "report", "+:t:F:qeW:i:Sm:G:ahV",  report_options, TAKES_FILE },
	{ "check",  "+:hV",		 check_options,	 TAKES_NOTHING },
};

static const struct cmd_options *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmd_options) / sizeof(cmd_options[0]); i++)
		if (!strcmp(cmd_options[i].name, name))
			return &cmd_options[i];
	return NULL;
}

/*
 * --agent HOST:PORT, split at the last ':' as trace-cmd splits -A: a
 * host (an address or a name) and a port 1 to 65535.  The host goes
 * into @host (NULL: only checked).  0, or -EINVAL.
 */
int pt_parse_agent(const char *arg, char *host, size_t size)
{
	const char *colon = strrchr(arg, ':');
	unsigned long port;
	char *end;

	if (!colon || colon == arg || !colon[1] ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || !port || port > 65535)
		return -EINVAL;
	/* trace-cmd would take "NAME@CID" for a vsock guest */
	if (memchr(arg, '@', colon - arg))
		return -EINVAL;
	if (host) {
		if ((size_t)(colon - arg) >= size)
			return -EINVAL;
		memcpy(host, arg, colon - arg);
		host[colon - arg] = '\0';
	}
	return 0;
}

/* A positive number of seconds, fractions allowed, at most a year */
int pt_parse_seconds(const char *str, uint64_t *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(str, &end);
	if (errno || end == str || *end || !(v > 0) || v > MAX_SECONDS)
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
	if (errno || end == str || *end || *str == '-' || !v ||
	    v > MAX_BUFFER_KB)
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
		snprintf(err, size, "invalid target '%s': no IPv4 or IPv6 "
			 "address for this name", arg);
	else if (strchr(arg, ':'))
		snprintf(err, size, "invalid target '%s': not an IPv6 address",
			 arg);
	else if (strspn(arg, "0123456789.") == strlen(arg))
		snprintf(err, size, "invalid target '%s': not an IPv4 address",
			 arg);
	else
		snprintf(err, size, "invalid target '%s': not an IPv4 or IPv6 "
			 "address, nor a host name", arg);
	return PT_ARGS_USAGE;
}

/* Options with a value that must be checked */
static int parse_value(struct pt_opts *opts, int c, const char *arg,
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
	case 'm':
		if (!pt_parse_seconds(arg, &opts->slow_ns)) {
			opts->slow_ns /= 1000;	/* milliseconds */
			return PT_ARGS_OK;
		}
		snprintf(err, size, "invalid --slow '%s': a number of "
			 "milliseconds", arg);
		return PT_ARGS_USAGE;
	case 'W':
		if (!pt_parse_seconds(arg, &opts->timeout_ns))
			return PT_ARGS_OK;
		snprintf(err, size, "invalid timeout '%s': a number of seconds",
			 arg);
		return PT_ARGS_USAGE;
	case 'A':
		if (!pt_parse_agent(arg, NULL, 0)) {
			opts->agent = arg;
			return PT_ARGS_OK;
		}
		snprintf(err, size, "invalid --agent '%s': HOST:PORT, as "
			 "trace-cmd record -A takes it over TCP", arg);
		return PT_ARGS_USAGE;
	default:	/* 'b' */
		if (!parse_kb(arg, &opts->buffer_kb))
			return PT_ARGS_OK;
		snprintf(err, size, "invalid buffer size '%s': kilobytes per "
			 "CPU", arg);
		return PT_ARGS_USAGE;
	}
}

/*
 * -i [NAME=]FILE: NAME is a letter, then up to 15 letters, digits, '-'
 * or '_'; anything else before '=' is part of the file's name (and
 * "./a=b.dat" reads the file a=b.dat)
 */
int pt_parse_input(const char *arg, struct pt_input *in)
{
	size_t len = strcspn(arg, "=");
	size_t i;

	memset(in, 0, sizeof(*in));
	in->path = arg;
	if (!arg[len] || !len || len > PT_HOST_NAME_LEN ||
	    !isalpha((unsigned char)arg[0]))
		return 0;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)arg[i]) && arg[i] != '-' &&
		    arg[i] != '_')
			return 0;
	if (!arg[len + 1])
		return -EINVAL;		/* "NAME=": no file */
	memcpy(in->name, arg, len);
	in->path = arg + len + 1;
	return 0;
}

static int parse_input(struct pt_opts *opts, const char *arg, char *err,
		       size_t size)
{
	struct pt_input in;

	if (opts->nr_inputs == PT_MAX_INPUTS) {
		snprintf(err, size, "at most %d files with -i", PT_MAX_INPUTS);
		return PT_ARGS_USAGE;
	}
	if (pt_parse_input(arg, &in)) {
		snprintf(err, size, "'-i %s' names a host but no file", arg);
		return PT_ARGS_USAGE;
	}
	opts->inputs[opts->nr_inputs++] = in;
	if (!opts->input)
		opts->input = in.path;
	return PT_ARGS_OK;
}

/* @c is one of the command's own options (getopt checked it) */
static int parse_option(struct pt_opts *opts, int c, const char *arg,
			char *err, size_t size)
{
	switch (c) {
	case 'q':
		opts->quiet = 1;
		return PT_ARGS_OK;
	case 'e':
		opts->events = 1;
		return PT_ARGS_OK;
	case 'D':
		opts->no_drops = 1;
		return PT_ARGS_OK;
	case 'C':
		opts->clock = arg;
		return PT_ARGS_OK;
	case 'i':
		return parse_input(opts, arg, err, size);
	case 'o':
		opts->output = arg;
		return PT_ARGS_OK;
	case 'S':
		opts->stages = 1;
		return PT_ARGS_OK;
	case 'a':
		opts->all = 1;
		return PT_ARGS_OK;
	case 'G':
		opts->svg = arg;
		return PT_ARGS_OK;
	case 'h':
		return PT_ARGS_HELP;
	case 'V':
		return PT_ARGS_VERSION;
	}
	return parse_value(opts, c, arg, err, size);
}

/* The long option of pingtrace that @arg ("--name" or "--name=value") is */
static const struct option *find_long(const char *arg)
{
	size_t len = strcspn(arg + 2, "=");
	const struct option *o;

	for (o = all_options; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, arg + 2, len))
			return o;
	return NULL;
}

static int known_short(int c)
{
	const struct option *o;

	for (o = all_options; o->name; o++)
		if (o->val == c)
			return 1;
	return 0;
}

/* getopt refused the option at argv[optind - 1] (or optopt) */
static int refused(const struct cmd_options *cmd, char **argv, char *err,
		   size_t size)
{
	const struct option *o;

	/* getopt_long() sets optopt to 0 for a long option it does not know */
	if (optopt && known_short(optopt)) {
		snprintf(err, size, "option '-%c' does not apply to '%s'",
			 optopt, cmd->name);
	} else if (optopt) {
		snprintf(err, size, "invalid option '-%c'; try 'pingtrace "
			 "--help'", optopt);
	} else {
		o = find_long(argv[optind - 1]);
		if (o)
			snprintf(err, size, "option '--%s' does not apply to "
				 "'%s'", o->name, cmd->name);
		else
			snprintf(err, size, "invalid option '%s'; try "
				 "'pingtrace --help'", argv[optind - 1]);
	}
	return PT_ARGS_USAGE;
}

static int missing_value(char **argv, char *err, size_t size)
{
	snprintf(err, size, "option '%s' needs a value; try 'pingtrace "
		 "--help'", argv[optind - 1]);
	return PT_ARGS_USAGE;
}

static int stray_operand(const struct cmd_options *cmd, const char *arg,
			 char *err, size_t size)
{
	if (cmd->operands == TAKES_COMMAND)
		snprintf(err, size, "unexpected argument '%s' (a command goes "
			 "after '--'%s)", arg, strcmp(cmd->name, "record") ? "" :
			 ", the file after -o");
	else
		snprintf(err, size, "unexpected argument '%s' for '%s'", arg,
			 cmd->name);
	return PT_ARGS_USAGE;
}

static int parse_operands(const struct cmd_options *cmd,
			  struct pt_opts *opts, int argc, char **argv,
			  char *err, size_t size)
{
	int dashdash = optind > 1 && !strcmp(argv[optind - 1], "--");

	if (optind >= argc)
		return PT_ARGS_OK;
	if (cmd->operands == TAKES_COMMAND && dashdash) {
		opts->command = argv + optind;
		return PT_ARGS_OK;
	}
	if (cmd->operands == TAKES_FILE && !dashdash && !opts->input &&
	    optind + 1 == argc) {
		opts->input = argv[optind];
		return PT_ARGS_OK;
	}
	return stray_operand(cmd, argv[optind], err, size);
}

/*
 * The options of subcommand argv[0], then what it takes after them.
 * Returns PT_ARGS_*; getopt's own messages are silenced.
 */
int pt_parse_args(struct pt_opts *opts, int argc, char **argv,
		  char *err, size_t size)
{
	const struct cmd_options *cmd = argc > 0 ? find_cmd(argv[0]) : NULL;
	int ret;
	int c;

	err[0] = '\0';
	if (!cmd) {
		snprintf(err, size, "unknown command '%s'; try 'pingtrace "
			 "--help'", argc > 0 ? argv[0] : "");
		return PT_ARGS_USAGE;
	}
	optind = 0;		/* full reset of getopt's state */
	opterr = 0;
	while ((c = getopt_long(argc, argv, cmd->shortopts, cmd->longopts,
				NULL)) != -1) {
		if (c == '?')
			return refused(cmd, argv, err, size);
		if (c == ':')
			return missing_value(argv, err, size);
		ret = parse_option(opts, c, optarg, err, size);
		if (ret)
			return ret;
	}
	/* the task events are filtered by a pid of this host only */
	if (opts->agent && opts->stages) {
		snprintf(err, size, "--agent and --stages do not go together");
		return PT_ARGS_USAGE;
	}
	return parse_operands(cmd, opts, argc, argv, err, size);
}
