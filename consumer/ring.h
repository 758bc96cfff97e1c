/* SPDX-License-Identifier: GPL-2.0 */
/*
 * live's reader of its instance's ring buffer: the per-CPU
 * trace_pipe_raw files opened once and kept open, their pages walked
 * with kbuffer, the records of all CPUs handed over in time order.
 */
#ifndef PT_RING_H
#define PT_RING_H

#include <pthread.h>
#include <stdatomic.h>

#include <event-parse.h>
#include <tracefs.h>

struct kbuffer;

/*
 * A page read from a CPU's trace_pipe_raw, walked or waiting to be: a
 * node of the CPU's queue, which its reader appends to and the pairing
 * thread takes from without a lock (ring.c)
 */
struct pt_ring_page {
	_Atomic(struct pt_ring_page *) next;
	unsigned char		data[];
};

struct pt_ring_cpu {
	struct tracefs_cpu	*tcpu;		/* NULL: a CPU we cannot read */
	int			fd;		/* tcpu's trace_pipe_raw */
	struct kbuffer		*kbuf;
	/* the pairing thread's: the page walked, the queue's last taken */
	_Atomic(struct pt_ring_page *) tail;
	void			*data;		/* the next record, or NULL */
	unsigned long long	ts;
	int			missed;		/* before the page: -1 unknown */
	int			unanswered;	/* the last ask timed out */
	int			polled;		/* asked in this round */
	/* the reader's (or, without reader threads, the pairing thread's) */
	struct pt_ring_page	*head;		/* the page appended last */
	struct pt_ring_page	*first;		/* the oldest node, to reuse */
	struct pt_ring_page	*tail_seen;	/* tail, when last looked */
	struct pt_ring_page	*spare;		/* a read found nothing */
	unsigned long		nr_nodes;	/* from first to head */
	/* both threads' */
	atomic_ulong		nr_queued;	/* pages after tail */
	atomic_ulong		asked;		/* asks, the pairing thread's */
	atomic_ulong		answered;	/* the last ask read after */
	int			kick;		/* eventfd: asked */
	long long		last_entries;	/* pt_ring_ghosts(): the window's
						 * least, -1 none */
	int			ghost_run;	/* samples in the window */
	unsigned long long	ghosts;		/* said by pt_ring_ghosts() */
	struct pt_ring		*ring;
	pthread_t		reader;		/* pt_ring_start_reader() */
	int			reader_on;
};

/*
 * Pages read ahead of the walk (pt_ring_capture()) are held up to this
 * many bytes: 128 MB, 35 s of a veth flood's 4 events an echo at 10,000
 * echoes a second.  Past it the kernel's buffer fills and overruns, and
 * its counters say how many events it lost.
 */
#define PT_RING_QUEUE_MAX	(128UL << 20)
/*
 * The reader thread (pt_ring_start_reader()) waits for a CPU's buffer
 * to be this full (the instance's buffer_percent, which live sets), or
 * for its timer: 10 ms after it read something, doubling to 50 ms
 * while it reads nothing.  The timer bounds how late a record is seen
 * when few come; the watermark, how full the buffer gets when many do.
 */
#define PT_RING_BUFFER_PERCENT	25
#define PT_RING_WAIT_MIN_MS	10
#define PT_RING_WAIT_MAX_MS	50
/* Pages a CPU keeps to read into again (ring.c: trim()) */
#define PT_RING_SPARE_MAX	64
/*
 * How long the pairing thread waits for a CPU's reader to read its file
 * when asked (ring.c: ask()); past it, the CPU is taken as having
 * nothing (counted in nr_unanswered).  Under QEMU's TCG a vCPU waits
 * for the other's slice, up to 100 ms.
 */
#define PT_RING_ASK_MS		1000
/* Each CPU's reader thread: SCHED_FIFO, the lowest priority (ring.c) */
#define PT_RING_READER_PRIO	1

/* Events told by type without a search: net:ip_icmp, a drop, a stage */
#define PT_RING_EVENT_CACHE	4

struct pt_ring {
	struct tep_handle	*tep;
	/* the last types seen and their events (ring.c: find_event()) */
	int			cache_type[PT_RING_EVENT_CACHE];
	struct tep_event	*cache_event[PT_RING_EVENT_CACHE];
	int			cache_next;
	struct pt_ring_cpu	*cpus;
	int			nr_cpus;
	size_t			page_size;	/* tracefs_cpu_read_size() */
	_Atomic unsigned long	nr_queued;	/* pages, all CPUs */
	unsigned long		max_queued;
	_Atomic unsigned long	most_queued;	/* the most seen at once */
	unsigned long long	nr_unknown;	/* records of no known event */
	int			reader_on;	/* the CPUs' reader threads */
	int			nr_unpinned;	/* readers not on their CPU */
	int			nr_not_rt;	/* readers not in SCHED_FIFO */
	unsigned long long	nr_unanswered;	/* asks that timed out */
	int			reader_wake;	/* eventfd: stop */
	int			reader_read;	/* eventfd: pages queued */
	atomic_int		reader_stop;
};

/* Returns non-zero to stop, as for tracefs_iterate_raw_events() */
typedef int (*pt_ring_fn)(struct tep_event *event, struct tep_record *record,
			  int cpu, void *data);

int pt_ring_open(struct pt_ring *r, struct tracefs_instance *inst,
		 struct tep_handle *tep);
/*
 * The same on @nr open files, one a CPU (-1: offline), read a page at a
 * time without blocking as trace_pipe_raw is; taken over, closed by
 * pt_ring_close() (the unit tests give socket pairs)
 */
int pt_ring_open_fds(struct pt_ring *r, const int *fds, int nr,
		     struct tep_handle *tep);
int pt_ring_drain(struct pt_ring *r, pt_ring_fn fn, void *data);
/* The same, stopping after @max records (0: none) */
int pt_ring_drain_max(struct pt_ring *r, pt_ring_fn fn, void *data,
		      unsigned int max);
/*
 * Every page the kernel has now, read into each CPU's queue without
 * walking it: cheap, so that the kernel's buffer is emptied often while
 * the records are handed over at the pace they can be.  Returns the
 * pages read.
 */
unsigned long pt_ring_capture(struct pt_ring *r);
/*
 * pt_ring_capture() in a thread of its own, which sleeps on the
 * buffers' watermark and its timer; so that the kernel's buffer is read
 * out promptly even while this thread decodes and pairs (a thread that
 * sleeps little is woken late).  Stopped by pt_ring_stop_reader() or
 * pt_ring_close().  -errno when it cannot start: the ring works without.
 */
int pt_ring_start_reader(struct pt_ring *r);
void pt_ring_stop_reader(struct pt_ring *r);
/* Until the reader thread queued pages, or @ms; at once without it */
void pt_ring_wait(struct pt_ring *r, int ms);
/* 1: records read from the kernel and not handed over yet */
int pt_ring_pending(const struct pt_ring *r);
void pt_ring_close(struct pt_ring *r);
/*
 * Records the kernel counts as in the buffer, unread, yet will never
 * give a reader, new since the last call: from each CPU's "entries"
 * (@entries[cpu], -1: unknown), read right after a drain.  A CPU's
 * count is a sample only when @idle[cpu] (pt_ring_idle() right after
 * the count) says a read found nothing; the least of
 * PT_RING_GHOST_SAMPLES samples in a row is counted; @final (tracing
 * off, the last drain done) believes one.
 */
#define PT_RING_GHOST_SAMPLES	8
unsigned long long pt_ring_ghosts(struct pt_ring *r, const long long *entries,
				  const int *idle, int final);
/*
 * @idle[cpu] = 1: the CPU has nothing to read now; a page it had is kept
 * for the drain
 */
void pt_ring_idle(struct pt_ring *r, int *idle);

#endif /* PT_RING_H */
