/* SPDX-License-Identifier: GPL-2.0 */
/*
 * live's reader of its instance's ring buffer: the per-CPU
 * trace_pipe_raw files opened once and kept open, their pages walked
 * with kbuffer, the records of all CPUs handed over in time order.
 */
#ifndef PT_RING_H
#define PT_RING_H

#include <event-parse.h>
#include <tracefs.h>

struct kbuffer;

struct pt_ring_cpu {
	struct tracefs_cpu	*tcpu;		/* NULL: a CPU we cannot read */
	struct kbuffer		*kbuf;
	void			*page;
	void			*data;		/* the next record, or NULL */
	unsigned long long	ts;
	int			missed;		/* before the page: -1 unknown */
	long long		last_entries;	/* pt_ring_ghosts(): the window's
						 * least, -1 none */
	int			ghost_run;	/* samples in the window */
	unsigned long long	ghosts;		/* said by pt_ring_ghosts() */
};

struct pt_ring {
	struct tep_handle	*tep;
	struct pt_ring_cpu	*cpus;
	int			nr_cpus;
	unsigned long long	nr_unknown;	/* records of no known event */
};

/* Returns non-zero to stop, as for tracefs_iterate_raw_events() */
typedef int (*pt_ring_fn)(struct tep_event *event, struct tep_record *record,
			  int cpu, void *data);

int pt_ring_open(struct pt_ring *r, struct tracefs_instance *inst,
		 struct tep_handle *tep);
int pt_ring_drain(struct pt_ring *r, pt_ring_fn fn, void *data);
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
/* 1: @cpu has nothing to read now; a page it had is kept for the drain */
int pt_ring_idle(struct pt_ring *r, int cpu);

#endif /* PT_RING_H */
