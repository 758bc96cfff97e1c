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
#define FLOOD6	PT_UNIT_DATA "/synthetic-flood-v6.dat"
#define FLOOD7	PT_UNIT_DATA "/synthetic-flood-v7.dat"
#define MAX_SEEN	1024

struct seen {
	unsigned long long	offset;
	unsigned long long	ts;
	long long		missed;
	int			cpu;
	int			ours;
	int			size;
	int			record_size;
	uint32_t		hash;		/* of the event's bytes */
};

/*
 * libtracecmd 1.3 exports these without declaring them in trace-cmd.h
 * (trace-cmd-private.h has them)
 */
struct tep_record *tracecmd_read_next_data(struct tracecmd_input *handle,
					   int *rec_cpu);
void tracecmd_set_ts_offset(struct tracecmd_input *handle, long long offset);

/* FNV-1a */
static uint32_t hash_bytes(const void *data, int size)
{
	const unsigned char *p = data;
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < size; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void note(struct seen *s, const struct tep_record *record, int ours)
{
	s->offset = record->offset;
	s->ts = record->ts;
	s->missed = record->missed_events;
	s->cpu = record->cpu;
	s->ours = ours;
	s->size = record->size;
	s->record_size = record->record_size;
	s->hash = hash_bytes(record->data, record->size);
}

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
	note(s, record, ours);
	return 0;
}

/*
 * Reads @path through a first handle opened on @open_path, its times
 * shifted by @ts_offset, in @segment bytes; *@done is the reader after
 */
static int read_tf(const char *open_path, const char *path, uint64_t segment,
		   long long ts_offset, struct log *log,
		   struct pt_tracefile *done)
{
	struct tracecmd_input *first;
	int ret;

	first = tracecmd_open(open_path, TRACECMD_FL_LOAD_NO_PLUGINS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	if (ts_offset)
		tracecmd_set_ts_offset(first, ts_offset);
	memset(done, 0, sizeof(*done));
	done->path = path;
	done->first = first;
	done->segment = segment;
	done->fn = log_record;
	done->data = log;
	ret = pt_tracefile_read(done);
	CU_ASSERT_PTR_NULL(done->first);	/* taken over */
	pt_tracefile_release(done);
	return ret;
}

static int read_file(const char *open_path, const char *path,
		     uint64_t segment, struct log *log, unsigned int *reopens)
{
	struct pt_tracefile tf;
	int ret = read_tf(open_path, path, segment, 0, log, &tf);

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

/* What libtracecmd's own merge of the CPUs gives, record by record */
static void read_by_library(const char *path, long long ts_offset,
			    struct log *log)
{
	struct tracecmd_input *h;
	struct tep_record *r;
	int cpu;

	h = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	if (ts_offset)
		tracecmd_set_ts_offset(h, ts_offset);
	while ((r = tracecmd_read_next_data(h, &cpu))) {
		if (log->nr < MAX_SEEN)
			note(&log->rec[log->nr++], r, 1);
		tracecmd_free_record(r);
	}
	tracecmd_close(h);
}

static uint64_t read_walked(const char *path, long long ts_offset,
			    uint64_t segment, struct log *log)
{
	struct pt_tracefile tf;

	CU_ASSERT_EQUAL(read_tf(path, path, segment, ts_offset, log, &tf), 0);
	CU_ASSERT_EQUAL(tf.records, (uint64_t)log->nr);
	return tf.walked;
}

static void check_same_records(const struct log *a, const struct log *b)
{
	int i;

	CU_ASSERT_EQUAL_FATAL(a->nr, b->nr);
	for (i = 0; i < a->nr; i++) {
		const struct seen *x = &a->rec[i], *y = &b->rec[i];

		if (x->offset != y->offset || x->ts != y->ts ||
		    x->cpu != y->cpu || x->missed != y->missed ||
		    x->size != y->size || x->record_size != y->record_size ||
		    x->hash != y->hash) {
			CU_FAIL("a record differs from the library's");
			return;
		}
	}
}

/*
 * 1,000 records on 9 pages a CPU: all but the first of each page come
 * from the kbuffer, as the library would give them, in one pass and
 * in segments of about 4 KB (a reopen in the middle of pages)
 */
static void check_walk_is_the_library(const char *path)
{
	struct log *lib = calloc(3, sizeof(*lib));
	struct log *one = lib + 1, *seg = lib + 2;
	uint64_t walked;

	read_by_library(path, 0, lib);
	CU_ASSERT_EQUAL(lib->nr, 1000);
	one->fail_at = seg->fail_at = -1;
	walked = read_walked(path, 0, 0, one);
	check_same_records(lib, one);
	CU_ASSERT(walked >= 1000 - 2 * 9);
	CU_ASSERT(walked < 1000);
	walked = read_walked(path, 0, 4000, seg);
	check_same_records(lib, seg);
	CU_ASSERT(walked >= 1000 - 2 * 9 - 2 * 20);
	free(lib);
}

static void test_tracefile_v6_walk_reads_what_the_library_reads(void)
{
	check_walk_is_the_library(FLOOD6);
}

static void test_tracefile_v7_walk_reads_what_the_library_reads(void)
{
	check_walk_is_the_library(FLOOD7);
}

/*
 * A handle that shifts times (--ts-offset here) is read record by
 * record from the library, with the library's times
 */
static void test_tracefile_shifted_times_are_the_library_s(void)
{
	struct log *lib = calloc(2, sizeof(*lib));
	struct log *got = lib + 1;

	read_by_library(FLOOD6, 5000000000LL, lib);
	CU_ASSERT_EQUAL(lib->nr, 1000);
	CU_ASSERT(lib->rec[0].ts > 5000000000ULL);
	got->fail_at = -1;
	CU_ASSERT_EQUAL(read_walked(FLOOD6, 5000000000LL, 0, got), 0);
	check_same_records(lib, got);
	free(lib);
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
	UT_ADD_TEST(s, test_tracefile_v6_walk_reads_what_the_library_reads);
	UT_ADD_TEST(s, test_tracefile_v7_walk_reads_what_the_library_reads);
	UT_ADD_TEST(s, test_tracefile_shifted_times_are_the_library_s);
}
