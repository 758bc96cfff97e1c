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

#endif /* PT_RING_H */
