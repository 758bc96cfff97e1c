// SPDX-License-Identifier: GPL-2.0
/*
 * CUnit runner: unit-tests [-s] [-r SUITE]
 *   -s  silent: only failures and the run summary
 *   -r  run one suite (decode, table, pair, stages, output, target, session, cli,
 *      replay, trace, fixtures, child, clocksync)
 *   -r  run one suite (decode, table, pair, output, target, session, cli,
 *      replay, trace, tracefile, shring, fixtures, child, clocksync, merge)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "unit.h"

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-s] [-r SUITE]\n", prog);
}

static void add_suites(void)
{
	ut_add_decode_suite();
	ut_add_table_suite();
	ut_add_pair_suite();
	ut_add_join_suite();
	ut_add_ksym_suite();
	ut_add_kallsyms_suite();
	ut_add_stages_suite();
	ut_add_ring_suite();
	ut_add_output_suite();
	ut_add_target_suite();
	ut_add_session_suite();
	ut_add_cli_suite();
	ut_add_replay_suite();
	ut_add_trace_suite();
	ut_add_tracefile_suite();
	ut_add_shring_suite();
	ut_add_fixtures_suite();
	ut_add_child_suite();
	ut_add_clocksync_suite();
	ut_add_merge_suite();
	ut_add_v6_suite();
}

static int run(const char *suite_name, int silent)
{
	CU_pSuite suite;

	CU_basic_set_mode(silent ? CU_BRM_SILENT : CU_BRM_VERBOSE);
	if (!suite_name)
		return CU_basic_run_tests();
	suite = CU_get_suite(suite_name);
	if (!suite) {
		fprintf(stderr, "unit-tests: no suite '%s'\n", suite_name);
		return -1;
	}
	return CU_basic_run_suite(suite);
}

int main(int argc, char **argv)
{
	const char *suite = NULL;
	int silent = 0;
	int failed;
	int c;

	while ((c = getopt(argc, argv, "sr:h")) != -1) {
		switch (c) {
		case 's':
			silent = 1;
			break;
		case 'r':
			suite = optarg;
			break;
		default:
			usage(argv[0]);
			return c == 'h' ? 0 : 2;
		}
	}
	/* Writers must see EPIPE, as pingtrace does */
	signal(SIGPIPE, SIG_IGN);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	add_suites();
	if (run(suite, silent)) {
		CU_cleanup_registry();
		return 2;
	}
	failed = CU_get_number_of_tests_failed() + CU_get_number_of_failures();
	if (silent && failed) {
		CU_basic_show_failures(CU_get_failure_list());
		printf("\n");
	}
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
