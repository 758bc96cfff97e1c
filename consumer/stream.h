/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stream: a trace file's net:ip_icmp and net:ip6_icmp events, decoded by
 * a child process and read one at a time through a pipe, in the file's
 * time order.  A file libtracecmd crashes or hangs on costs the child
 * (as in replay.c), and several files can be read side by side in
 * bounded memory: the pipe holds what the reader has not taken yet.
 */
#ifndef PT_STREAM_H
#define PT_STREAM_H

#include <stdio.h>
#include <sys/types.h>

#include "event.h"
#include "replay.h"

enum pt_stream_kind {
	PT_STREAM_EVENT,	/* ev */
	PT_STREAM_LOST,		/* lost events before ts: lost, -1 unknown */
	PT_STREAM_END,		/* the child's last word: status */
};

#define PT_STREAM_FIELD_LEN	32

struct pt_stream_item {
	uint32_t		kind;
	int32_t			status;		/* END: enum pt_replay_status */
	int64_t			lost;
	uint64_t		ts;
	unsigned long long	nr_bad;		/* END: malformed records */
	int			has_tsync;	/* END: a time shift in the file */
	char			bad_field[PT_STREAM_FIELD_LEN];
	struct pt_event		ev;
};

/* How the child reads the file's times */
enum pt_stream_times {
	PT_STREAM_AS_IS,	/* as libtracecmd gives them: shifted */
	PT_STREAM_RAW,		/* without trace-cmd's time shift */
};

struct pt_stream {
	const char		*path;
	pid_t			pid;
	FILE			*fp;
	int			ended;		/* END read */
	struct pt_stream_item	item;		/* the last one read */
	enum pt_replay_status	status;
	struct pt_replay_info	info;		/* err with CANNOT_OPEN */
	unsigned long long	nr_events;
	unsigned long long	nr_bad;
	int			has_tsync;
	char			bad_field[PT_STREAM_FIELD_LEN];
};

enum pt_replay_status pt_stream_open(struct pt_stream *s, const char *path,
				     enum pt_stream_times times);
/*
 * The next item in s->item: 1 an event or a loss, 0 the end of the
 * file (s->status says how it ended: PT_REPLAY_LIB_FAILED when the
 * child died before its END)
 */
int pt_stream_next(struct pt_stream *s);
void pt_stream_close(struct pt_stream *s);

#endif /* PT_STREAM_H */
