// SPDX-License-Identifier: GPL-2.0
/*
 * cli: option parsing of the subcommands.
 */
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
	CU_ASSERT_EQUAL(o.targets.addr[2], ut_ip("10.0.0.3"));
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

void ut_add_cli_suite(void)
{
	CU_pSuite s = CU_add_suite("cli", NULL, NULL);

	CU_add_test(s, "test_cli_targets_repeatable", test_cli_targets_repeatable);
	CU_add_test(s, "test_cli_command_after_dashdash",
		    test_cli_command_after_dashdash);
	CU_add_test(s, "test_cli_report_positional_file",
		    test_cli_report_positional_file);
	CU_add_test(s, "test_cli_timeout_seconds", test_cli_timeout_seconds);
	CU_add_test(s, "test_cli_buffer_size", test_cli_buffer_size);
	CU_add_test(s, "test_cli_errors_are_usage", test_cli_errors_are_usage);
	CU_add_test(s, "test_cli_help_and_version", test_cli_help_and_version);
	CU_add_test(s, "test_cli_parse_twice", test_cli_parse_twice);
}
