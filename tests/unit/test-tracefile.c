// SPDX-License-Identifier: GPL-2.0
/*
 * tracefile: reading a trace.dat in segments, each through a handle of
 * its own, hands over the records one pass would, in the same order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <trace-cmd.h>

#include "tracefile.h"
#include "unit.h"

#define V6	PT_UNIT_DATA "/synthetic-v6.dat"
#define V7	PT_UNIT_DATA "/synthetic-v7.dat"
#define MAX_SEEN	256

struct seen {
	unsigned long long	offset;
	unsigned long long	ts;
	long long		missed;
	int			cpu;
	int			ours;
};

struct log {
	struct seen	rec[MAX_SEEN];
	int		nr;
	int		fail_at;	/* return -ENOSPC at this record */
};

static int log_record(struct tep_record *record, int ours, void *data)
{
	struct log *log = data;
	struct seen *s;

	if (log->nr == log->fail_at)
		return -ENOSPC;
	if (log->nr >= MAX_SEEN)
		return -E2BIG;
	s = &log->rec[log->nr++];
	s->offset = record->offset;
	s->ts = record->ts;
	s->missed = record->missed_events;
	s->cpu = record->cpu;
	s->ours = ours;
	return 0;
}

/* Reads @path through @first (opened on @open_path) in @segment bytes */
static int read_file(const char *open_path, const char *path,
		     uint64_t segment, struct log *log, unsigned int *reopens)
{
	struct tracecmd_input *first;
	struct pt_tracefile tf;
	int ret;

	first = tracecmd_open(open_path, TRACECMD_FL_LOAD_NO_PLUGINS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	memset(&tf, 0, sizeof(tf));
	tf.path = path;
	tf.first = first;
	tf.segment = segment;
	tf.fn = log_record;
	tf.data = log;
	ret = pt_tracefile_read(&tf);
	CU_ASSERT_PTR_NULL(tf.first);	/* taken over */
	pt_tracefile_release(&tf);
	*reopens = tf.reopens;
	return ret;
}

static void check_segments_match_one_pass(const char *path)
{
	struct log *one = calloc(2, sizeof(*one));
	struct log *seg = one + 1;
	unsigned int reopens;
	int i;

	one->fail_at = seg->fail_at = -1;
	CU_ASSERT_EQUAL(read_file(path, path, 0, one, &reopens), 0);
	CU_ASSERT_EQUAL(reopens, 0);
	CU_ASSERT_EQUAL(one->nr, 25);
	/* one record a segment: a new handle after each record */
	CU_ASSERT_EQUAL(read_file(path, path, 1, seg, &reopens), 0);
	CU_ASSERT_EQUAL(reopens, (unsigned int)one->nr);
	CU_ASSERT_EQUAL_FATAL(seg->nr, one->nr);
	for (i = 0; i < one->nr; i++) {
		CU_ASSERT_EQUAL(seg->rec[i].offset, one->rec[i].offset);
		CU_ASSERT_EQUAL(seg->rec[i].ts, one->rec[i].ts);
		CU_ASSERT_EQUAL(seg->rec[i].cpu, one->rec[i].cpu);
		CU_ASSERT_EQUAL(seg->rec[i].missed, one->rec[i].missed);
		CU_ASSERT_EQUAL(seg->rec[i].ours, 1);
	}
	free(one);
}

static void test_tracefile_v7_segments_read_what_one_pass_reads(void)
{
	check_segments_match_one_pass(V7);
}

static void test_tracefile_v6_segments_read_what_one_pass_reads(void)
{
	check_segments_match_one_pass(V6);
}

/* The 7 events the ring buffer dropped are told once, not per handle */
static void test_tracefile_missed_events_told_once(void)
{
	struct log *log = calloc(1, sizeof(*log));
	unsigned int reopens;
	long long missed = 0;
	int i;

	log->fail_at = -1;
	CU_ASSERT_EQUAL(read_file(V7, V7, 100, log, &reopens), 0);
	CU_ASSERT(reopens > 5);
	for (i = 0; i < log->nr; i++)
		if (log->rec[i].missed > 0)
			missed += log->rec[i].missed;
	CU_ASSERT_EQUAL(missed, 7);
	free(log);
}

static void test_tracefile_callback_error_stops_the_reading(void)
{
	struct log *log = calloc(1, sizeof(*log));
	unsigned int reopens;

	log->fail_at = 3;
	CU_ASSERT_EQUAL(read_file(V7, V7, 1, log, &reopens), -ENOSPC);
	CU_ASSERT_EQUAL(log->nr, 3);
	free(log);
}

/* Reopened, the file must hold the record the last handle stopped at */
static void test_tracefile_another_file_on_reopen_is_eio(void)
{
	struct log *log = calloc(1, sizeof(*log));
	unsigned int reopens;

	log->fail_at = -1;
	CU_ASSERT_EQUAL(read_file(V7, V6, 1, log, &reopens), -EIO);
	CU_ASSERT_EQUAL(log->nr, 1);
	free(log);
}

struct progress {
	unsigned long long	told[8];
	int			nr;
	int			done;
};

static void note_progress(unsigned long long records, int done, void *data)
{
	struct progress *p = data;

	if (done)
		p->done++;
	else if (p->nr < 8)
		p->told[p->nr++] = records;
}

/* Every 10 records of 25, across handles: at 10 and 20, then the end */
static void test_tracefile_progress_every_n_records(void)
{
	struct log *log = calloc(1, sizeof(*log));
	struct progress p = { { 0 }, 0, 0 };
	struct tracecmd_input *first;
	struct pt_tracefile tf;

	log->fail_at = -1;
	first = tracecmd_open(V7, TRACECMD_FL_LOAD_NO_PLUGINS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	memset(&tf, 0, sizeof(tf));
	tf.path = V7;
	tf.first = first;
	tf.segment = 300;
	tf.fn = log_record;
	tf.data = log;
	tf.progress = note_progress;
	tf.progress_data = &p;
	tf.progress_every = 10;
	CU_ASSERT_EQUAL(pt_tracefile_read(&tf), 0);
	pt_tracefile_release(&tf);
	CU_ASSERT_EQUAL(p.nr, 2);
	CU_ASSERT_EQUAL(p.told[0], 10);
	CU_ASSERT_EQUAL(p.told[1], 20);
	CU_ASSERT_EQUAL(p.done, 1);
	free(log);
}

static int refuse_tep(struct tep_handle *tep, void *data)
{
	(void)tep;
	(void)data;
	return -EPROTO;
}

/* The caller that cannot take the new handle's tep stops the reading */
static void test_tracefile_refused_reopen_stops(void)
{
	struct log *log = calloc(1, sizeof(*log));
	struct tracecmd_input *first;
	struct pt_tracefile tf;

	log->fail_at = -1;
	first = tracecmd_open(V7, TRACECMD_FL_LOAD_NO_PLUGINS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	memset(&tf, 0, sizeof(tf));
	tf.path = V7;
	tf.first = first;
	tf.segment = 1;
	tf.fn = log_record;
	tf.data = log;
	tf.reopened = refuse_tep;
	CU_ASSERT_EQUAL(pt_tracefile_read(&tf), -EPROTO);
	CU_ASSERT_EQUAL(log->nr, 1);
	pt_tracefile_release(&tf);
	free(log);
}

void ut_add_tracefile_suite(void)
{
	CU_pSuite s = CU_add_suite("tracefile", NULL, NULL);

	UT_ADD_TEST(s, test_tracefile_v7_segments_read_what_one_pass_reads);
	UT_ADD_TEST(s, test_tracefile_v6_segments_read_what_one_pass_reads);
	UT_ADD_TEST(s, test_tracefile_missed_events_told_once);
	UT_ADD_TEST(s, test_tracefile_callback_error_stops_the_reading);
	UT_ADD_TEST(s, test_tracefile_another_file_on_reopen_is_eio);
	UT_ADD_TEST(s, test_tracefile_progress_every_n_records);
	UT_ADD_TEST(s, test_tracefile_refused_reopen_stops);
}
