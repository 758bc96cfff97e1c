// SPDX-License-Identifier: GPL-2.0
/*
 * replay: trace files that cannot be reported give clear errors.
 * (Reports of real files recorded in the VM: test-fixtures.c.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "replay.h"
#include "unit.h"

static int replay_path(const char *path, char **text)
{
	struct pt_replay_info info;
	struct pt_pair_config cfg;
	struct pt_targets targets = { 0 };
	struct pt_output out;
	size_t size;
	int ret;

	pt_pair_config_default(&cfg);
	pt_output_init(&out, open_memstream(text, &size), PT_FMT_JSON);
	ret = pt_replay_file(path, &targets, &cfg, &out, &info);
	fclose(out.fp);
	return ret;
}

static char *temp_file(const void *data, size_t len)
{
	char *path = strdup("/tmp/pingtrace-unit-XXXXXX");
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, data, len) == (ssize_t)len);
	close(fd);
	return path;
}

static void test_replay_missing_file(void)
{
	char *text;

	CU_ASSERT_EQUAL(replay_path("/nonexistent/trace.dat", &text), -ENOENT);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
}

static void test_replay_directory(void)
{
	char *text;

	CU_ASSERT_EQUAL(replay_path("/", &text), -EISDIR);
	free(text);
}

static void test_replay_not_a_trace_file(void)
{
	static const char junk[] = "this is not a trace file at all\n";
	char *path = temp_file(junk, sizeof(junk));
	char *text;

	CU_ASSERT_EQUAL(replay_path(path, &text), -EBADMSG);
	CU_ASSERT_STRING_EQUAL(text, "");	/* nothing half-written */
	unlink(path);
	free(path);
	free(text);
}

static void test_replay_empty_file(void)
{
	char *path = temp_file("", 0);
	char *text;

	CU_ASSERT_EQUAL(replay_path(path, &text), -EBADMSG);
	unlink(path);
	free(path);
	free(text);
}

/* The magic of a trace.dat, then nothing: truncated */
static void test_replay_truncated_header(void)
{
	static const char magic[] = "\027\010\104tracing6\0";
	char *path = temp_file(magic, sizeof(magic));
	char *text;

	CU_ASSERT_EQUAL(replay_path(path, &text), -EBADMSG);
	unlink(path);
	free(path);
	free(text);
}

void ut_add_replay_suite(void)
{
	CU_pSuite s = CU_add_suite("replay", NULL, NULL);

	CU_add_test(s, "test_replay_missing_file", test_replay_missing_file);
	CU_add_test(s, "test_replay_directory", test_replay_directory);
	CU_add_test(s, "test_replay_not_a_trace_file",
		    test_replay_not_a_trace_file);
	CU_add_test(s, "test_replay_empty_file", test_replay_empty_file);
	CU_add_test(s, "test_replay_truncated_header",
		    test_replay_truncated_header);
}
