// SPDX-License-Identifier: GPL-2.0
/*
 * stream: a trace file's events, decoded in a child and read through a
 * pipe (see stream.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "decode.h"
#include "stream.h"
#include "tracefile.h"

/*
 * libtracecmd 1.3 (trace-cmd 3.1.6) exports this without declaring it in
 * trace-cmd.h (trace-cmd-private.h has it): turn the time shift of a
 * guest file (trace-cmd record -A with time sync) on or off.  Turning
 * it on returns -1 when the file has none.
 */
int tracecmd_enable_tsync(struct tracecmd_input *handle, bool enable);

/* What the child's pipe is written through: many events a write */
#define STREAM_BUFFER	(64 * 1024)

struct child {
	FILE			*out;
	struct pt_decoder	dec;
	struct pt_decoder	dec6;
	unsigned long long	nr_bad;
};

static int put_item(struct child *c, const struct pt_stream_item *it)
{
	return fwrite(it, sizeof(*it), 1, c->out) == 1 ? 0 : -EPIPE;
}

static int child_record(struct tep_record *record, int ours, void *data)
{
	struct child *c = data;
	struct pt_stream_item it;
	enum pt_decode_result ret;

	if (!ours)
		return 0;	/* another format set: not ours to decode */
	memset(&it, 0, sizeof(it));
	if (record->missed_events) {
		it.kind = PT_STREAM_LOST;
		it.ts = record->ts;
		it.lost = record->missed_events > 0 ? record->missed_events : -1;
		if (put_item(c, &it))
			return -1;
	}
	ret = pt_decode(&c->dec, record, &it.ev);
	if (ret == PT_DECODE_OTHER_EVENT)
		ret = pt_decode(&c->dec6, record, &it.ev);
	if (ret == PT_DECODE_MALFORMED)
		c->nr_bad++;
	if (ret != PT_DECODE_OK)
		return 0;
	it.kind = PT_STREAM_EVENT;
	return put_item(c, &it) ? -1 : 0;
}

/* Either event, not neither, and one that is there must read */
static enum pt_replay_status init_decoders(struct child *c,
					   struct tep_handle *tep,
					   struct pt_stream_item *end)
{
	enum pt_format_status v4 = pt_decoder_init(&c->dec, tep);
	enum pt_format_status v6 = pt_decoder6_init(&c->dec6, tep);
	const struct pt_decoder *bad = v4 != PT_FORMAT_OK &&
				       v4 != PT_FORMAT_NO_EVENT ? &c->dec :
				       &c->dec6;

	if (v4 == PT_FORMAT_NO_EVENT && v6 == PT_FORMAT_NO_EVENT)
		return PT_REPLAY_NO_EVENT;
	if ((v4 == PT_FORMAT_OK || v4 == PT_FORMAT_NO_EVENT) &&
	    (v6 == PT_FORMAT_OK || v6 == PT_FORMAT_NO_EVENT))
		return PT_REPLAY_OK;
	snprintf(end->bad_field, sizeof(end->bad_field), "%s",
		 bad->bad_field ? bad->bad_field : "?");
	return PT_REPLAY_BAD_FORMAT;
}

static int child_reopened(struct tep_handle *tep, void *data)
{
	struct child *c = data;

	pt_decoder_init(&c->dec, tep);
	pt_decoder6_init(&c->dec6, tep);
	return 0;
}

/*
 * A file read without its time shift is read through one handle: a
 * reopened one would shift again (tracefile.c reopens compressed files)
 */
static enum pt_replay_status read_file(struct child *c, const char *path,
				       int compressed,
				       struct tracecmd_input *handle,
				       enum pt_stream_times times,
				       struct pt_stream_item *end)
{
	enum pt_replay_status status;
	struct pt_tracefile tf;
	int raw;

	end->has_tsync = !tracecmd_enable_tsync(handle, true);
	raw = end->has_tsync && times == PT_STREAM_RAW;
	if (raw)
		tracecmd_enable_tsync(handle, false);
	memset(&tf, 0, sizeof(tf));
	tf.first = handle;
	status = init_decoders(c, tracecmd_get_tep(handle), end);
	if (status) {
		pt_tracefile_release(&tf);
		return status;
	}
	tf.path = path;
	tf.segment = compressed && !raw ? pt_replay_segment : 0;
	tf.shifted = end->has_tsync && !raw;
	tf.fn = child_record;
	tf.data = c;
	tf.reopened = child_reopened;
	tf.reopened_data = c;
	if (tracecmd_buffer_instances(handle) > PT_REPLAY_MAX_BUFFERS)
		status = PT_REPLAY_TOO_MANY_BUFFERS;
	else if (pt_tracefile_read(&tf) < 0)
		status = ferror(c->out) ? PT_REPLAY_WRITE_ERROR :
					  PT_REPLAY_READ_ERROR;
	pt_tracefile_release(&tf);
	return status;
}

static void run_child(int fd, const char *path, int compressed,
		      enum pt_stream_times times)
{
	struct tracecmd_input *handle;
	struct pt_stream_item end;
	struct child c;

	memset(&c, 0, sizeof(c));
	memset(&end, 0, sizeof(end));
	c.out = fdopen(fd, "w");
	if (!c.out)
		_exit(1);
	setvbuf(c.out, NULL, _IOFBF, STREAM_BUFFER);
	end.kind = PT_STREAM_END;
	end.status = PT_REPLAY_NOT_TRACE;
	handle = pt_replay_open_guarded(path);
	if (handle)
		end.status = read_file(&c, path, compressed, handle, times,
				       &end);
	end.nr_bad = c.nr_bad;
	if (put_item(&c, &end) || fflush(c.out))
		_exit(1);
	_exit(0);
}

/*
 * The checks of pt_replay_file() first (replay.c), then the child that
 * reads the file: PT_REPLAY_OK, or why the file cannot be read
 */
enum pt_replay_status pt_stream_open(struct pt_stream *s, const char *path,
				     enum pt_stream_times times)
{
	int compressed = 0;
	int fds[2];

	memset(s, 0, sizeof(*s));
	s->path = path;
	s->pid = -1;
	s->status = pt_replay_check(path, &compressed, &s->info);
	if (s->status)
		return s->status;
	if (pipe(fds)) {
		s->info.err = -errno;
		return s->status = PT_REPLAY_CANNOT_OPEN;
	}
	s->pid = fork();
	if (s->pid < 0) {
		s->info.err = -errno;
		close(fds[0]);
		close(fds[1]);
		return s->status = PT_REPLAY_CANNOT_OPEN;
	}
	if (!s->pid) {
		close(fds[0]);
		run_child(fds[1], path, compressed, times);
	}
	close(fds[1]);
	s->fp = fdopen(fds[0], "r");
	if (!s->fp) {
		s->info.err = -errno;
		close(fds[0]);
		pt_stream_close(s);
		return s->status = PT_REPLAY_CANNOT_OPEN;
	}
	setvbuf(s->fp, NULL, _IOFBF, STREAM_BUFFER);
	return PT_REPLAY_OK;
}

static void reap(struct pt_stream *s)
{
	int status;

	if (s->pid <= 0)
		return;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = -1;
}

static void ended(struct pt_stream *s, const struct pt_stream_item *end)
{
	s->ended = 1;
	if (!end) {
		s->status = PT_REPLAY_LIB_FAILED;	/* the child died */
	} else {
		s->status = end->status;
		s->nr_bad = end->nr_bad;
		s->has_tsync = end->has_tsync;
		memcpy(s->bad_field, end->bad_field, sizeof(s->bad_field));
	}
	reap(s);
}

int pt_stream_next(struct pt_stream *s)
{
	if (s->ended || !s->fp)
		return 0;
	if (fread(&s->item, sizeof(s->item), 1, s->fp) != 1) {
		ended(s, NULL);
		return 0;
	}
	switch (s->item.kind) {
	case PT_STREAM_EVENT:
		s->nr_events++;
		return 1;
	case PT_STREAM_LOST:
		return 1;
	default:
		ended(s, &s->item);
		return 0;
	}
}

/* A child still reading is stopped: its reader is gone */
void pt_stream_close(struct pt_stream *s)
{
	if (s->pid > 0 && !s->ended)
		kill(s->pid, SIGKILL);
	if (s->fp)
		fclose(s->fp);
	s->fp = NULL;
	reap(s);
}
