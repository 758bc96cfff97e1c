// SPDX-License-Identifier: GPL-2.0
/*
 * cli: option parsing of the subcommands.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "cli.h"
#include "unit.h"

#define ARGV(...)	((char *[]){ __VA_ARGS__, NULL })

static int parse(struct pt_opts *opts, int argc, char **argv, char *err)
{
	memset(opts, 0, sizeof(*opts));
	return pt_parse_args(opts, argc, argv, err, 256);
}

static void test_cli_targets_repeatable(void)
{
	char **argv = ARGV("live", "-t", "10.0.0.1", "--target", "10.0.0.2",
			   "-t10.0.0.3");
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(parse(&o, 6, argv, err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(o.targets.nr, 3);
	CU_ASSERT_EQUAL(o.targets.addr[2].v4, ut_ip("10.0.0.3"));
	CU_ASSERT_PTR_NULL(o.command);
}

static void test_cli_command_after_dashdash(void)
{
	char **argv = ARGV("live", "-q", "--", "ping", "-c", "3", "10.0.0.1");
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(parse(&o, 7, argv, err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(o.quiet, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.command);
	CU_ASSERT_STRING_EQUAL(o.command[0], "ping");
	/* the command's own options are not ours */
	CU_ASSERT_STRING_EQUAL(o.command[1], "-c");
	CU_ASSERT_PTR_NULL(o.command[4]);
}

static void test_cli_report_positional_file(void)
{
	char **argv = ARGV("report", "-F", "json", "-e", "x.dat");
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(parse(&o, 5, argv, err), PT_ARGS_OK);
	CU_ASSERT_STRING_EQUAL(o.input, "x.dat");
	CU_ASSERT_EQUAL(o.format, PT_FMT_JSON);
	CU_ASSERT_EQUAL(o.events, 1);
}

static void test_cli_timeout_seconds(void)
{
	char **argv = ARGV("live", "-W", "1.5");
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(parse(&o, 3, argv, err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(o.timeout_ns, 1500000000ULL);
}

static void test_cli_buffer_size(void)
{
	char **argv = ARGV("live", "-b", "4");
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(parse(&o, 3, argv, err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(o.buffer_kb, 4);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-b", "0"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-b", "-1"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "--buffer-size", "4k"), err),
			PT_ARGS_USAGE);
}

static void test_cli_errors_are_usage(void)
{
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-t", "1.2.3"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "invalid target '1.2.3': not an IPv4 address");
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-W", "0"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-W", "2s"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-W", "nan"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-F", "xml"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("live", "--bogus"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("live", "-t"), err), PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("report", "a", "b"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'a'"));
}

static void test_cli_help_and_version(void)
{
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("report", "--help"), err),
			PT_ARGS_HELP);
	CU_ASSERT_EQUAL(parse(&o, 4, ARGV("live", "-t", "10.0.0.1", "-V"), err),
			PT_ARGS_VERSION);
}

/* getopt state is reset: a second parse sees all its options */
static void test_cli_parse_twice(void)
{
	struct pt_opts o;
	char err[256];

	parse(&o, 2, ARGV("live", "-q"), err);
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("live", "-e"), err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(o.events, 1);
	CU_ASSERT_EQUAL(o.quiet, 0);
}


/* Every option of pingtrace, with a value where it takes one */
static const struct {
	const char	*opt;
	const char	*value;
} every_option[] = {
	{ "-t", "10.0.0.1" }, { "-F", "json" }, { "-q", NULL },
	{ "-e", NULL }, { "-C", "mono" }, { "-W", "2" }, { "-b", "64" },
	{ "-i", "x.dat" }, { "-o", "x.dat" }, { "-D", NULL },
	{ "--target", "10.0.0.1" }, { "--format", "csv" },
	{ "--quiet", NULL }, { "--events", NULL }, { "--clock", "boot" },
	{ "--timeout", "1" }, { "--buffer-size", "8" },
	{ "--input", "x.dat" }, { "--output", "x.dat" }, { "--no-drops", NULL },
};

/* The letters of the options each command takes (the man page's list) */
static const struct {
	const char	*cmd;
	const char	*takes;
} command_options[] = {
	{ "live",	"tFqeCWbD" },
	{ "record",	"tFqeCWboD" },
	{ "report",	"tFqeWi" },
	{ "check",	"" },
};

static char letter_of(const char *opt)
{
	static const char * const longs[] = {
		"target", "format", "quiet", "events", "clock", "timeout",
		"buffer-size", "input", "output", "no-drops",
	};
	static const char letters[] = "tFqeCWbioD";
	size_t i;

	if (opt[1] != '-')
		return opt[1];
	for (i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
		if (!strcmp(opt + 2, longs[i]))
			return letters[i];
	return 0;
}

static void check_one_option(const char *cmd, const char *takes,
			     const char *opt, const char *value)
{
	char *argv[] = { (char *)cmd, (char *)opt, (char *)value, NULL };
	int argc = value ? 3 : 2;
	char want[128];
	struct pt_opts o;
	char err[256];
	int ret;

	ret = parse(&o, argc, argv, err);
	if (strchr(takes, letter_of(opt))) {
		CU_ASSERT_EQUAL(ret, PT_ARGS_OK);
		if (ret != PT_ARGS_OK)
			fprintf(stderr, "\n%s %s: %s\n", cmd, opt, err);
		return;
	}
	snprintf(want, sizeof(want), "option '%s' does not apply to '%s'",
		 opt, cmd);
	CU_ASSERT_EQUAL(ret, PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, want);
}

/* Each command takes its own options and refuses the others by name */
static void test_cli_each_command_takes_its_options_only(void)
{
	size_t c, i;

	for (c = 0; c < sizeof(command_options) / sizeof(command_options[0]);
	     c++)
		for (i = 0; i < sizeof(every_option) / sizeof(every_option[0]);
		     i++)
			check_one_option(command_options[c].cmd,
					 command_options[c].takes,
					 every_option[i].opt,
					 every_option[i].value);
}

/* The example: the first option check has no use for is named */
static void test_cli_check_refuses_options(void)
{
	char **argv = ARGV("check", "-t", "1.2.3.4", "-o", "x", "-W", "3",
			   "--", "ls");
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL(parse(&o, 9, argv, err), PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "option '-t' does not apply to 'check'");
	CU_ASSERT_EQUAL(parse(&o, 1, ARGV("check"), err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("check", "--", "ls"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("check", "x"), err), PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "unexpected argument 'x' for 'check'");
}

/* record mine.dat used to record into trace.dat */
static void test_cli_record_file_is_an_option(void)
{
	char **argv = ARGV("record", "-o", "mine.dat", "--", "true");
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("record", "mine.dat"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'mine.dat'"));
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("record", "-i", "x"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "option '-i' does not apply to 'record'");
	CU_ASSERT_EQUAL_FATAL(parse(&o, 5, argv, err), PT_ARGS_OK);
	CU_ASSERT_STRING_EQUAL(o.output, "mine.dat");
	CU_ASSERT_STRING_EQUAL(o.command[0], "true");
}

static void test_cli_stray_operands(void)
{
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("live", "ping"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 4, ARGV("report", "-i", "a.dat", "b.dat"),
			      err), PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("report", "--", "ls"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("live", "--"), err), PT_ARGS_OK);
	CU_ASSERT_PTR_NULL(o.command);
}

static void test_cli_unknown_option_and_command(void)
{
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("live", "-x"), err), PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "invalid option '-x'; try 'pingtrace "
			       "--help'");
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("check", "--bogus"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "invalid option '--bogus'; try "
			       "'pingtrace --help'");
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("check", "--output=x"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "option '--output' does not apply to "
			       "'check'");
	CU_ASSERT_EQUAL(parse(&o, 1, ARGV("trace"), err), PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "unknown command 'trace'; try 'pingtrace "
			       "--help'");
}

static void test_cli_stages_slow_and_svg_where_they_apply(void)
{
	struct pt_opts o;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(parse(&o, 6, ARGV("report", "--stages", "--slow",
						"0.5", "--svg=s.svg", "t.dat"),
				    err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(o.stages, 1);
	CU_ASSERT_EQUAL(o.slow_ns, 500000);
	CU_ASSERT_STRING_EQUAL(o.svg, "s.svg");
	CU_ASSERT_STRING_EQUAL(o.input, "t.dat");
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("record", "-S"), err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(o.stages, 1);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-m", "2"), err), PT_ARGS_OK);
	CU_ASSERT_EQUAL(o.slow_ns, 2000000);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "--svg", "x"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "option '--svg' does not apply to 'live'");
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("record", "--slow", "1"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("report", "--slow", "x"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "invalid --slow 'x': a number of "
			       "milliseconds");
}

/* record --agent HOST:PORT, as trace-cmd -A splits it, and only there */
static void test_cli_record_agent(void)
{
	static const char * const bad[] = {
		"198.51.100.2", "198.51.100.2:", ":1500", "b:0", "b:65536",
		"b:15x", "b:-1", "guest@3:1500",
	};
	struct pt_opts o;
	char err[256], host[64];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(parse(&o, 5, ARGV("record", "-A",
						"198.51.100.2:1500", "--",
						"true"), err), PT_ARGS_OK);
	CU_ASSERT_STRING_EQUAL(o.agent, "198.51.100.2:1500");
	CU_ASSERT_EQUAL(parse(&o, 2, ARGV("record", "--agent=b:1"), err),
			PT_ARGS_OK);
	CU_ASSERT_EQUAL(pt_parse_agent("2001:db8::2:1500", host,
				       sizeof(host)), 0);
	CU_ASSERT_STRING_EQUAL(host, "2001:db8::2");
	CU_ASSERT_EQUAL(pt_parse_agent("hostb:65535", host, 6), 0);
	CU_ASSERT_STRING_EQUAL(host, "hostb");
	CU_ASSERT_EQUAL(pt_parse_agent("hostb:65535", host, 5), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(parse(&o, 3, ARGV("record", "--agent",
						  (char *)bad[i]), err),
				PT_ARGS_USAGE);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "invalid --agent"));
	}
	CU_ASSERT_EQUAL(parse(&o, 4, ARGV("record", "-S", "-A", "b:1"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "--agent and --stages do not go together");
	CU_ASSERT_EQUAL(parse(&o, 3, ARGV("live", "-A", "b:1"), err),
			PT_ARGS_USAGE);
	CU_ASSERT_STRING_EQUAL(err, "option '-A' does not apply to 'live'");
}

void ut_add_cli_suite(void)
{
	CU_pSuite s = CU_add_suite("cli", NULL, NULL);

	UT_ADD_TEST(s, test_cli_stages_slow_and_svg_where_they_apply);
	UT_ADD_TEST(s, test_cli_record_agent);
	UT_ADD_TEST(s, test_cli_targets_repeatable);
	UT_ADD_TEST(s, test_cli_command_after_dashdash);
	UT_ADD_TEST(s, test_cli_report_positional_file);
	UT_ADD_TEST(s, test_cli_timeout_seconds);
	UT_ADD_TEST(s, test_cli_buffer_size);
	UT_ADD_TEST(s, test_cli_errors_are_usage);
	UT_ADD_TEST(s, test_cli_help_and_version);
	UT_ADD_TEST(s, test_cli_parse_twice);
	UT_ADD_TEST(s, test_cli_each_command_takes_its_options_only);
	UT_ADD_TEST(s, test_cli_check_refuses_options);
	UT_ADD_TEST(s, test_cli_record_file_is_an_option);
	UT_ADD_TEST(s, test_cli_stray_operands);
	UT_ADD_TEST(s, test_cli_unknown_option_and_command);
}
