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

/* A memory stream: the file read in this process, in one */
static enum pt_replay_status replay_in_memory(const char *path, char **text,
					      struct pt_replay_info *info)
{
	struct pt_targets targets = { 0 };
	struct pt_pair_config cfg;
	struct pt_output out;
	enum pt_replay_status ret;
	size_t size;

	pt_pair_config_default(&cfg);
	pt_output_init(&out, open_memstream(text, &size), PT_FMT_JSON);
	ret = pt_replay_file(path, &targets, &cfg, &out, info);
	fclose(out.fp);
	return ret;
}

/* What pt_replay_file() made of @path; open()'s errno in @err */
static int replay_path_err(const char *path, char **text, int *err)
{
	struct pt_replay_info info;
	int ret = replay_in_memory(path, text, &info);

	*err = info.err;
	return ret;
}

static int replay_path(const char *path, char **text)
{
	int err;

	return replay_path_err(path, text, &err);
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

	int err;

	CU_ASSERT_EQUAL(replay_path_err("/nonexistent/trace.dat", &text, &err),
			PT_REPLAY_CANNOT_OPEN);
	CU_ASSERT_EQUAL(err, -ENOENT);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
}

static void test_replay_directory(void)
{
	char *text;

	int err;

	CU_ASSERT_EQUAL(replay_path_err("/", &text, &err),
			PT_REPLAY_CANNOT_OPEN);
	CU_ASSERT_EQUAL(err, -EISDIR);
	free(text);
}

static void test_replay_not_a_trace_file(void)
{
	static const char junk[] = "this is not a trace file at all\n";
	char *path = temp_file(junk, sizeof(junk));
	char *text;

	CU_ASSERT_EQUAL(replay_path(path, &text), PT_REPLAY_NOT_TRACE);
	CU_ASSERT_STRING_EQUAL(text, "");	/* nothing half-written */
	unlink(path);
	free(path);
	free(text);
}

static void test_replay_empty_file(void)
{
	char *path = temp_file("", 0);
	char *text;

	CU_ASSERT_EQUAL(replay_path(path, &text), PT_REPLAY_NOT_TRACE);
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

	CU_ASSERT_EQUAL(replay_path(path, &text), PT_REPLAY_NOT_TRACE);
	unlink(path);
	free(path);
	free(text);
}

#define DAMAGED	PT_FIXTURES "/damaged-v7-nokallsyms.dat"
#define GOOD_V6	PT_FIXTURES "/veth-v6.dat"
#define GOOD_V7	PT_UNIT_DATA "/synthetic-v7.dat"

/* The first @len bytes of @path; the file must be there and that long */
static void read_head(const char *path, unsigned char *buf, size_t len)
{
	FILE *fp = fopen(path, "rb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL_FATAL(fread(buf, 1, len, fp), len);
	fclose(fp);
}

/* Written in the VM by trace-cmd 3.1.6 on a kernel without kallsyms */
static void test_replay_damaged_v7_says_why(void)
{
	char *text;

	CU_ASSERT_EQUAL(replay_path(DAMAGED, &text), PT_REPLAY_DAMAGED_V7);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
}

static void test_head_damaged_v7_from_the_vm(void)
{
	unsigned char head[PT_TRACE_HEAD_LEN];

	read_head(DAMAGED, head, sizeof(head));
	CU_ASSERT_EQUAL(pt_trace_head_damaged(head, sizeof(head)), 1);
}

/* A good compressed v7 file (zstd) and a good v6 file are not damaged */
static void test_head_good_files_not_damaged(void)
{
	unsigned char head[PT_TRACE_HEAD_LEN];

	read_head(GOOD_V7, head, sizeof(head));
	CU_ASSERT_EQUAL(pt_trace_head_damaged(head, sizeof(head)), 0);
	read_head(GOOD_V6, head, sizeof(head));
	CU_ASSERT_EQUAL(pt_trace_head_damaged(head, sizeof(head)), 0);
}

/* Version 7 with compression "none": the name at 18 is not empty */
static void test_head_v7_uncompressed_not_damaged(void)
{
	static const unsigned char head[] =
		"\027\010\104tracing7\0" "\0\010" "\0\020\0\0" "none";

	CU_ASSERT_EQUAL(pt_trace_head_damaged(head, PT_TRACE_HEAD_LEN), 0);
}

/* The damage is in bytes 12..19: fewer than 20 bytes cannot show it */
static void test_head_short_not_damaged(void)
{
	unsigned char head[PT_TRACE_HEAD_LEN];

	read_head(DAMAGED, head, sizeof(head));
	CU_ASSERT_EQUAL(pt_trace_head_damaged(head, PT_TRACE_HEAD_LEN - 1), 0);
	CU_ASSERT_EQUAL(pt_trace_head_damaged(head, 0), 0);
}

/* Its first 16 bytes are just a truncated file, as before */
static void test_replay_damaged_v7_truncated(void)
{
	unsigned char head[16];
	char *path, *text;

	read_head(DAMAGED, head, sizeof(head));
	path = temp_file(head, sizeof(head));
	CU_ASSERT_EQUAL(replay_path(path, &text), PT_REPLAY_NOT_TRACE);
	unlink(path);
	free(path);
	free(text);
}

/* Fuzzer finds that libtracecmd 1.3 itself does not survive */
#define LIB_CRASH	PT_FIXTURES "/../fuzz/regressions/tracefile/" \
			"lib-tracecmd-close-null-cpu-data.dat"
#define LIB_HANG	PT_FIXTURES "/../fuzz/regressions/tracefile/" \
			"lib-tracecmd-alloc-fd-hang.dat"

static void test_replay_survives_library_crash(void)
{
	char *text;

	CU_ASSERT_EQUAL(replay_path(LIB_CRASH, &text), PT_REPLAY_LIB_FAILED);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
}

static void test_replay_survives_library_hang(void)
{
	char *text;

	CU_ASSERT_EQUAL(replay_path(LIB_HANG, &text), PT_REPLAY_LIB_FAILED);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
}

/*
 * An output with a file descriptor: the child that opens and reads the
 * file writes the report there; returns what it wrote
 */
static enum pt_replay_status replay_to_file(const char *path, char **text,
					    struct pt_replay_info *info)
{
	struct pt_targets targets = { 0 };
	struct pt_pair_config cfg;
	struct pt_output out;
	enum pt_replay_status ret;
	long size;

	pt_pair_config_default(&cfg);
	pt_output_init(&out, tmpfile(), PT_FMT_JSON);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out.fp);
	ret = pt_replay_file(path, &targets, &cfg, &out, info);
	CU_ASSERT_EQUAL(out.err, 0);
	fseek(out.fp, 0, SEEK_END);
	size = ftell(out.fp);
	*text = calloc(1, size + 1);
	rewind(out.fp);
	CU_ASSERT_EQUAL(fread(*text, 1, size, out.fp), (size_t)size);
	fclose(out.fp);
	return ret;
}

static void test_replay_in_child_writes_the_report_once(void)
{
	struct pt_replay_info info;
	char *text;

	CU_ASSERT_EQUAL(replay_to_file(PT_UNIT_DATA "/synthetic-v7.dat", &text,
				       &info), PT_REPLAY_OK);
	CU_ASSERT_EQUAL(info.nr_events, 25);
	CU_ASSERT_EQUAL(info.stats.sent, 8);
	CU_ASSERT_EQUAL(info.stats.events_lost, 7);
	/* one summary, the last line */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"type\":\"summary\""));
	CU_ASSERT_PTR_NULL(strstr(strstr(text, "\"summary\"") + 1,
				  "\"summary\""));
	free(text);
}

/*
 * The child that reads and the one that pairs and writes (replay.c's
 * split) write what one process writes, byte for byte, with the same
 * counts: files with losses, drops and fragments, and the 1,000-record
 * floods, a compressed one also in segments of a few pages
 */
static void check_split_is_one_process(const char *path,
				       unsigned long long segment)
{
	struct pt_replay_info one, two;
	unsigned long long saved = pt_replay_segment;
	char *a, *b;

	pt_replay_segment = segment ? segment : saved;
	pt_replay_split_min = 0;	/* these files are small */
	CU_ASSERT_EQUAL(replay_in_memory(path, &a, &one), PT_REPLAY_OK);
	CU_ASSERT_EQUAL(replay_to_file(path, &b, &two), PT_REPLAY_OK);
	pt_replay_segment = saved;
	pt_replay_split_min = PT_REPLAY_SPLIT_MIN;
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT(strlen(b) > 1000);
	CU_ASSERT_EQUAL(one.nr_events, two.nr_events);
	CU_ASSERT_EQUAL(one.stats.sent, two.stats.sent);
	CU_ASSERT_EQUAL(memcmp(&one.stats, &two.stats, sizeof(one.stats)), 0);
	CU_ASSERT_EQUAL(one.stats.events_lost, two.stats.events_lost);
	free(a);
	free(b);
}

static void test_replay_split_writes_what_one_process_writes(void)
{
	check_split_is_one_process(PT_UNIT_DATA "/synthetic-v6.dat", 0);
	check_split_is_one_process(PT_UNIT_DATA "/synthetic-v7.dat", 0);
	check_split_is_one_process(PT_UNIT_DATA "/synthetic-flood-v6.dat", 0);
	check_split_is_one_process(PT_UNIT_DATA "/synthetic-flood-v7.dat", 0);
	check_split_is_one_process(PT_UNIT_DATA "/synthetic-flood-v7.dat",
				   3000);
	check_split_is_one_process(PT_FIXTURES "/veth-v6.dat", 0);
	check_split_is_one_process(PT_FIXTURES "/frag-v6.dat", 0);
}

static void test_replay_in_child_survives_library_crash(void)
{
	struct pt_replay_info info;
	char *text;

	CU_ASSERT_EQUAL(replay_to_file(LIB_CRASH, &text, &info),
			PT_REPLAY_LIB_FAILED);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
}

static void test_replay_in_child_not_a_trace(void)
{
	struct pt_replay_info info;
	char *text;

	CU_ASSERT_EQUAL(replay_to_file(PT_FIXTURES "/ip_icmp.format", &text,
				       &info), PT_REPLAY_NOT_TRACE);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
}

void ut_add_replay_suite(void)
{
	CU_pSuite s = CU_add_suite("replay", NULL, NULL);

	UT_ADD_TEST(s, test_replay_missing_file);
	UT_ADD_TEST(s, test_replay_directory);
	UT_ADD_TEST(s, test_replay_not_a_trace_file);
	UT_ADD_TEST(s, test_replay_empty_file);
	UT_ADD_TEST(s, test_replay_truncated_header);
	UT_ADD_TEST(s, test_replay_damaged_v7_says_why);
	UT_ADD_TEST(s, test_head_damaged_v7_from_the_vm);
	UT_ADD_TEST(s, test_head_good_files_not_damaged);
	UT_ADD_TEST(s, test_head_v7_uncompressed_not_damaged);
	UT_ADD_TEST(s, test_head_short_not_damaged);
	UT_ADD_TEST(s, test_replay_damaged_v7_truncated);
	UT_ADD_TEST(s, test_replay_survives_library_crash);
	UT_ADD_TEST(s, test_replay_in_child_writes_the_report_once);
	UT_ADD_TEST(s, test_replay_in_child_survives_library_crash);
	UT_ADD_TEST(s, test_replay_split_writes_what_one_process_writes);
	UT_ADD_TEST(s, test_replay_in_child_not_a_trace);
	UT_ADD_TEST(s, test_replay_survives_library_hang);
}
