/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay a trace.dat (trace-cmd record) through a session.
 */
#ifndef PT_REPLAY_H
#define PT_REPLAY_H

#include <stddef.h>

#include "output.h"
#include "pair.h"
#include "stage-decode.h"
#include "target.h"

/* The most instance buffers (trace-cmd record -B) a file may hold */
#define PT_REPLAY_MAX_BUFFERS	64

/* What pt_replay_file() made of a file */
enum pt_replay_status {
	PT_REPLAY_OK,
	PT_REPLAY_CANNOT_OPEN,	/* info->err: -errno of open(), or -EISDIR */
	PT_REPLAY_NOT_TRACE,	/* not a trace-cmd data file */
	PT_REPLAY_LIB_FAILED,	/* libtracecmd crashed or hung on it */
	PT_REPLAY_DAMAGED_V7,	/* written by trace-cmd without kallsyms */
	PT_REPLAY_NO_EVENT,	/* no net:ip_icmp in the file */
	PT_REPLAY_BAD_FORMAT,	/* a field is missing or odd: bad_field */
	PT_REPLAY_READ_ERROR,	/* the trace data could not be read */
	PT_REPLAY_TOO_MANY_BUFFERS, /* more than PT_REPLAY_MAX_BUFFERS */
	PT_REPLAY_WRITE_ERROR,	/* the output's error: out->err */
};

struct pt_replay_info {
	int			err;		/* -errno, with CANNOT_OPEN */
	unsigned long long	nr_events;	/* matching net:ip_icmp events */
	unsigned long long	nr_bad;		/* malformed records skipped */
	int			wall;		/* file times are wall clock */
	const char		*bad_field;	/* with PT_REPLAY_BAD_FORMAT */
	/* with out->stage_view: which stage events the file has */
	int			stage_has[PT_STAGE_SOURCES];
	struct pt_stats		stats;
};

/*
 * Bytes of a file's head that pt_trace_head_damaged() looks at, and
 * those check_file() reads (the compression name after them too)
 */
#define PT_TRACE_HEAD_LEN	20
#define PT_TRACE_HEAD_READ	(PT_TRACE_HEAD_LEN + 8)

int pt_trace_head_damaged(const unsigned char *head, size_t len);
int pt_trace_head_compressed(const unsigned char *head, size_t len);

/* Records read so far; @done at the end of a read that told any */
typedef void (*pt_replay_progress_fn)(unsigned long long records, int done,
				      void *data);
void pt_replay_set_progress(pt_replay_progress_fn fn, void *data);

/* Bytes of records read per handle of a compressed file (tracefile.h) */
extern unsigned long long pt_replay_segment;
/* The smallest file read in two processes (replay.c); tests make it 0 */
#define PT_REPLAY_SPLIT_MIN	(256ULL * 1024)
extern unsigned long long pt_replay_split_min;
enum pt_replay_status pt_replay_file(const char *path,
				     const struct pt_targets *targets,
				     const struct pt_pair_config *cfg,
				     struct pt_output *out,
				     struct pt_replay_info *info);

/* For a reader of its own: the checks of pt_replay_file(), and the open */
enum pt_replay_status pt_replay_check(const char *path, int *compressed,
				      struct pt_replay_info *info);
struct tracecmd_input;
struct tracecmd_input *pt_replay_open_guarded(const char *path);

#endif /* PT_REPLAY_H */
