// SPDX-License-Identifier: GPL-2.0
/*
 * Read a trace.dat with libtracecmd, in time order across CPUs and
 * buffers, in memory that does not grow with the file.
 *
 * libtracecmd 1.3 (trace-cmd 3.1.6, Debian 12) keeps every chunk of a
 * compressed (version 7) file it ever decompressed until the handle is
 * closed: free_zpage() tests "map <= cache->map && map > cache->map +
 * size", which no pointer satisfies, so a page's chunk is never freed
 * (trace-cmd 3.2 rewrote the cache; commit 1571b67c fixed its offset).
 * A report of a 1M-event file held 74 MB of decompressed data.
 *
 * So the file is read in segments: after @segment bytes of records
 * through one handle, that handle is closed (which frees its chunks)
 * and the file is opened again.  Each CPU of each buffer is a stream
 * whose next record is held; the new handle is moved, with
 * tracecmd_read_at(), to each stream's next record, which must be the
 * same record (offset, CPU and time), or the file changed (-EIO).
 *
 * The merge is tracecmd_iterate_events_multi()'s, done here because
 * libtracecmd 1.3 cannot stop its own cleanly: tracecmd_iterate_events()
 * stopped by its callback frees the records it peeked, which the
 * handle still holds ("freeing record when it is locked!").  The
 * earliest next record is taken, the first stream (buffer, then CPU)
 * on a tie, so the order is the library's.  A record first on its page
 * carries the page's missed events; it is handed over once.
 *
 * tracecmd_read_data() allocates, links to its page and clears a record
 * for every event, which is as much as pingtrace report does with it.
 * So a stream takes only the first record of a page from the library,
 * which holds the page, and the rest of the page from the handle's own
 * kbuffer, where tracecmd_peek_data() would read them: kbuffer_read_event()
 * then kbuffer_next_event(), with the size, offset and CPU it gives
 * its records.  When the page has no event left, tracecmd_read_data()
 * finds the kbuffer at its end and loads the next page.  The library
 * also computes each record's time (timestamp_calc(): a guest file's
 * tsync shift, a TSC multiplier, --ts-offset): a page is walked only
 * when its first record's time is the kbuffer's own and not 0, and never
 * when the caller turned tsync on (@shifted), whose shift is not linear.
 *
 * The first handle is the caller's, taken over by the reader: it is
 * closed with the first segment, as each is, once the next handle is
 * open and tf->reopened() has moved the caller to the new tep handle
 * (formats, comms and kallsyms are the file's, so the same).  The last
 * handle stays open until pt_tracefile_release(): memory holds one
 * segment's chunks at most.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <trace-cmd.h>
#include <kbuffer.h>

#include "kallsyms.h"
#include "tracefile.h"

/*
 * libtracecmd 1.3 exports these without declaring them in trace-cmd.h
 * (trace-cmd-private.h has them): the kbuffer that a CPU's records are
 * read from, the page a record is on, and the file's page size.
 */
struct kbuffer *tracecmd_record_kbuf(struct tracecmd_input *handle,
				     struct tep_record *record);
void *tracecmd_record_page(struct tracecmd_input *handle,
			   struct tep_record *record);
int tracecmd_page_size(struct tracecmd_input *handle);

/* handles[0] is the top buffer; an instance libtracecmd refuses is NULL */
static int open_instances(struct pt_tracefile *tf)
{
	int nr = tracecmd_buffer_instances(tf->top);
	int i;

	if (nr > PT_TRACEFILE_MAX_BUFFERS)
		return -E2BIG;
	tf->handles[0] = tf->top;
	for (i = 0; i < nr; i++)
		tf->handles[i + 1] = tracecmd_buffer_instance_handle(tf->top, i);
	tf->nr_handles = 1 + (nr > 0 ? nr : 0);
	return 0;
}

/* A record walked is on the page that st->page holds: nothing to free */
static void drop_next(struct pt_tf_stream *st)
{
	if (st->next != &st->walked)
		tracecmd_free_record(st->next);
	st->next = NULL;
}

static void end_walk(struct pt_tf_stream *st)
{
	tracecmd_free_record(st->page);
	st->page = NULL;
}

static void end_segment(struct pt_tracefile *tf)
{
	int i;

	for (i = 0; i < tf->nr_streams; i++) {
		drop_next(&tf->streams[i]);
		end_walk(&tf->streams[i]);
	}
	for (i = 1; i < tf->nr_handles; i++)
		tracecmd_close(tf->handles[i]);
	tf->nr_handles = 0;
}

/* A file's handle, and the kallsyms kept for its tep (kallsyms.c) */
static void close_top(struct tracecmd_input *handle)
{
	pt_kallsyms_forget(tracecmd_get_tep(handle));
	tracecmd_close(handle);
}

/* The next segment's handle, the caller moved to its tep, the old closed */
static int next_handle(struct pt_tracefile *tf)
{
	struct tracecmd_input *next;
	int ret;

	next = pt_tracecmd_open_lazy(tf->path);
	if (!next)
		return -EIO;
	tf->reopens++;
	if (tf->reopened) {
		ret = tf->reopened(tracecmd_get_tep(next), tf->reopened_data);
		if (ret) {
			close_top(next);
			return ret;
		}
	}
	close_top(tf->top);
	tf->top = next;
	return 0;
}

/*
 * The CPUs of a buffer: the file's CPU count (tep_get_cpus()), which no
 * buffer exceeds; tracecmd_read_data() gives nothing past a buffer's own
 */
static int count_streams(const struct pt_tracefile *tf)
{
	int cpus = tep_get_cpus(tracecmd_get_tep(tf->top));
	int i, n = 0;

	for (i = 0; i < tf->nr_handles; i++)
		if (tf->handles[i])
			n += cpus;
	return n;
}

/*
 * The rest of @r's page read from the kbuffer?  The kbuffer, left after
 * @r by the library, is read again up to @r for @r's own time, which
 * leaves it where it was.  1: walk, 0: not, -EIO: the kbuffer does not
 * have @r where the library said (the file changed).
 */
static int can_walk(const struct pt_tracefile *tf, struct pt_tf_stream *st,
		    struct tep_record *r)
{
	unsigned long long page_size = tracecmd_page_size(st->handle);
	unsigned long long raw;
	void *data;

	if (tf->shifted || !page_size || (page_size & (page_size - 1)))
		return 0;
	st->kbuf = tracecmd_record_kbuf(st->handle, r);
	if (!st->kbuf || !tracecmd_record_page(st->handle, r))
		return 0;
	/* libtracecmd maps pages only at multiples of the page size */
	st->page_offset = r->offset & ~(page_size - 1);
	data = kbuffer_read_at_offset(st->kbuf, r->offset - st->page_offset,
				      &raw);
	if (data != r->data)
		return -EIO;
	kbuffer_next_event(st->kbuf, NULL);
	return raw == r->ts && raw;
}

/* @r (NULL: none left) is the stream's next, walked from if it can be */
static int hold(const struct pt_tracefile *tf, struct pt_tf_stream *st,
		struct tep_record *r)
{
	struct tep_record *w = &st->walked;
	int ret;

	st->next = r;
	st->done = !r;
	if (!r)
		return 0;
	st->offset = r->offset;
	st->ts = r->ts;
	ret = can_walk(tf, st, r);
	if (ret <= 0)
		return ret;
	*w = *r;	/* never handed to the library: its counts are r's */
	st->page = r;
	st->next = w;
	return 0;
}

/* The page's next event, as tracecmd_peek_data() makes it a record */
static int walk_next(struct pt_tracefile *tf, struct pt_tf_stream *st)
{
	struct tep_record *w = &st->walked;
	unsigned long long ts;
	void *data;

	data = kbuffer_read_event(st->kbuf, &ts);
	if (!data)
		return 0;
	w->ts = ts;
	w->offset = st->page_offset + kbuffer_curr_offset(st->kbuf);
	w->missed_events = 0;	/* only a page's first record has them */
	w->record_size = kbuffer_curr_size(st->kbuf);
	w->size = kbuffer_event_size(st->kbuf);
	w->data = data;
	kbuffer_next_event(st->kbuf, NULL);
	st->next = w;
	st->offset = w->offset;
	st->ts = ts;
	tf->walked++;
	return 1;
}

static int take_next(struct pt_tracefile *tf, struct pt_tf_stream *st)
{
	if (st->page && walk_next(tf, st))
		return 0;
	end_walk(st);
	return hold(tf, st, tracecmd_read_data(st->handle, st->cpu));
}

/* The first handle: every stream from its first record */
static int first_streams(struct pt_tracefile *tf)
{
	int cpus = tep_get_cpus(tracecmd_get_tep(tf->top));
	int n = count_streams(tf);
	struct pt_tf_stream *st;
	int i, cpu, ret;

	if (n <= 0)
		return 0;
	tf->streams = calloc(n, sizeof(*tf->streams));
	if (!tf->streams)
		return -ENOMEM;
	tf->nr_streams = n;
	st = tf->streams;
	for (i = 0; i < tf->nr_handles; i++) {
		if (!tf->handles[i])
			continue;
		for (cpu = 0; cpu < cpus; cpu++, st++) {
			st->handle = tf->handles[i];
			st->cpu = cpu;
			ret = take_next(tf, st);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Each stream of a new handle back at its next record: the same one */
static int seek_back(struct pt_tracefile *tf)
{
	int cpus = tep_get_cpus(tracecmd_get_tep(tf->top));
	struct pt_tf_stream *st = tf->streams;
	struct tep_record *r;
	int i, cpu, at, ret;

	if (count_streams(tf) != tf->nr_streams)
		return -EIO;
	for (i = 0; i < tf->nr_handles; i++) {
		if (!tf->handles[i])
			continue;
		for (cpu = 0; cpu < cpus; cpu++, st++) {
			st->handle = tf->handles[i];
			if (st->cpu != cpu)
				return -EIO;
			if (st->done)
				continue;
			at = -1;
			r = tracecmd_read_at(st->handle, st->offset, &at);
			if (!r || at != cpu || r->offset != st->offset ||
			    r->ts != st->ts) {
				tracecmd_free_record(r);
				return -EIO;
			}
			ret = hold(tf, st, r);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* The stream whose next record is the earliest, the first on a tie */
static struct pt_tf_stream *earliest(struct pt_tracefile *tf)
{
	struct pt_tf_stream *best = NULL;
	int i;

	for (i = 0; i < tf->nr_streams; i++) {
		struct pt_tf_stream *st = &tf->streams[i];

		if (st->next && (!best || st->next->ts < best->next->ts))
			best = st;
	}
	return best;
}

/* 1 when the segment is full, 0 at the end of the file, or @fn's < 0 */
static int iterate(struct pt_tracefile *tf)
{
	struct tep_handle *tep = tracecmd_get_tep(tf->top);
	uint64_t bytes = 0;
	struct pt_tf_stream *st;
	int ret;

	while ((st = earliest(tf))) {
		if (tf->progress && !--tf->progress_left) {
			tf->progress_left = tf->progress_every;
			tf->progress(tf->records, 0, tf->progress_data);
		}
		tf->records++;
		ret = tf->fn(st->next, tracecmd_get_tep(st->handle) == tep,
			     tf->data);
		bytes += st->next->record_size;
		drop_next(st);
		if (ret < 0)
			return ret;
		ret = take_next(tf, st);
		if (ret < 0)
			return ret;
		if (tf->segment && bytes >= tf->segment)
			return 1;
	}
	return 0;
}

/*
 * Returns 0 once every record was handed to tf->fn, what tf->fn returned
 * when it was negative, or -errno (-EIO: the file changed under us)
 */
static int read_segments(struct pt_tracefile *tf)
{
	int ret;

	tf->top = tf->first;
	tf->first = NULL;	/* ours now */
	ret = open_instances(tf);
	if (!ret)
		ret = first_streams(tf);
	while (!ret) {
		ret = iterate(tf);
		end_segment(tf);
		if (ret <= 0)
			return ret;
		ret = next_handle(tf);
		if (!ret)
			ret = open_instances(tf);
		if (!ret)
			ret = seek_back(tf);
	}
	end_segment(tf);
	return ret;
}

int pt_tracefile_read(struct pt_tracefile *tf)
{
	int ret;

	if (!tf->progress_every)
		tf->progress_every = PT_TRACEFILE_PROGRESS;
	tf->progress_left = tf->progress_every + 1;
	ret = read_segments(tf);
	if (tf->progress && tf->records > tf->progress_every)
		tf->progress(tf->records, 1, tf->progress_data);
	return ret;
}

/* Closes the handle left open (the caller's first one if never read) */
void pt_tracefile_release(struct pt_tracefile *tf)
{
	end_segment(tf);
	if (tf->top)
		close_top(tf->top);
	if (tf->first)
		close_top(tf->first);
	tf->top = NULL;
	tf->first = NULL;
	free(tf->streams);
	tf->streams = NULL;
	tf->nr_streams = 0;
}
