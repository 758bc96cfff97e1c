/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read every record of a trace.dat in time order, across CPUs and
 * buffers, in bounded memory: the reading side of pingtrace report (no
 * output here).
 */
#ifndef PT_TRACEFILE_H
#define PT_TRACEFILE_H

#include <stdint.h>

struct tracecmd_input;
struct tep_handle;
struct tep_record;
struct kbuffer;

/* The most instance buffers (trace-cmd record -B) a file may hold */
#define PT_TRACEFILE_MAX_BUFFERS	64

/*
 * Record bytes read through one handle before it is closed and the file
 * reopened (see tracefile.c): 8 MB, about 120,000 net:ip_icmp events.
 * An open costs about 1 ms (its kallsyms left unparsed, kallsyms.c; 10
 * ms with them), and memory holds at most one segment's chunks.
 */
#define PT_TRACEFILE_SEGMENT		(8ULL << 20)

/*
 * Called for each record in time order.  @ours is 0 for a record of a
 * buffer whose formats are not those of the first handle's tep.  A
 * negative return stops the reading; pt_tracefile_read() returns it.
 */
typedef int (*pt_tracefile_fn)(struct tep_record *record, int ours,
			       void *data);

/*
 * One CPU of one buffer, and its next record (held across a reopen).
 * @next is the library's record, or @walked: a record of the page that
 * @page (the library's record, which holds the page) is on, read from
 * the handle's kbuffer (see tracefile.c).
 */
struct pt_tf_stream {
	struct tracecmd_input	*handle;
	int			cpu;
	int			done;		/* no record left */
	struct tep_record	*next;
	unsigned long long	offset;		/* of next, to find it again */
	unsigned long long	ts;
	struct tep_record	*page;		/* or NULL: not walking */
	struct kbuffer		*kbuf;
	unsigned long long	page_offset;
	struct tep_record	walked;
};

/*
 * Told every progress_every records, and once with @done when a
 * read that told any ends
 */
typedef void (*pt_tracefile_progress_fn)(unsigned long long records,
					 int done, void *data);
#define PT_TRACEFILE_PROGRESS	(1u << 16)

struct pt_tracefile {
	const char		*path;
	struct tracecmd_input	*first;		/* the caller's: the reader's now */
	uint64_t		segment;	/* bytes; 0: never reopen */
	/* the handles shift times (tsync): every record is the library's */
	int			shifted;
	pt_tracefile_fn		fn;
	void			*data;
	/* the caller's tep is now @tep's; non-zero: it cannot be */
	int			(*reopened)(struct tep_handle *tep, void *data);
	void			*reopened_data;
	pt_tracefile_progress_fn progress;	/* or NULL */
	void			*progress_data;
	unsigned int		progress_every;	/* 0: PT_TRACEFILE_PROGRESS */
	unsigned int		progress_left;	/* records until the next */
	unsigned int		reopens;	/* handles opened after @first */
	uint64_t		records;	/* records handed to @fn */
	uint64_t		walked;		/* of which read from the kbuffer */
	/* the reader's own */
	struct pt_tf_stream	*streams;
	int			nr_streams;
	struct tracecmd_input	*top;		/* of this segment */
	struct tracecmd_input	*handles[PT_TRACEFILE_MAX_BUFFERS + 1];
	int			nr_handles;
};

int pt_tracefile_read(struct pt_tracefile *tf);
void pt_tracefile_release(struct pt_tracefile *tf);

#endif /* PT_TRACEFILE_H */
