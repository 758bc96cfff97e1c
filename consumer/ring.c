// SPDX-License-Identifier: GPL-2.0
/*
 * The ring buffer of live's instance, read as trace-cmd record reads it:
 * each CPU's trace_pipe_raw opened once (tracefs_cpu_open()), a page at
 * a time without blocking, walked with kbuffer.  The CPUs' records are
 * merged by timestamp, oldest first, as the pairing needs them.
 *
 * tracefs_iterate_raw_events() did the same, but opened and closed every
 * per-CPU file at each drain, every millisecond under a flood: make
 * bench measured live losing events at half trace-cmd record's rate.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kbuffer.h>

#include "ring.h"

static void cpu_close(struct pt_ring_cpu *c)
{
	if (c->tcpu)
		tracefs_cpu_close(c->tcpu);
	if (c->kbuf)
		kbuffer_free(c->kbuf);
	free(c->page);
	memset(c, 0, sizeof(*c));
}

/* -errno; a CPU whose file cannot be opened (offline) is left out */
static int cpu_open(struct pt_ring_cpu *c, struct tracefs_instance *inst,
		    int cpu)
{
	c->last_entries = -1;
	c->tcpu = tracefs_cpu_open(inst, cpu, true);
	if (!c->tcpu)
		return 0;
	c->kbuf = kbuffer_alloc(KBUFFER_LSIZE_SAME_AS_HOST,
				KBUFFER_ENDIAN_SAME_AS_HOST);
	c->page = malloc(tracefs_cpu_read_size(c->tcpu));
	if (!c->kbuf || !c->page) {
		cpu_close(c);
		return -ENOMEM;
	}
	return 0;
}

int pt_ring_open(struct pt_ring *r, struct tracefs_instance *inst,
		 struct tep_handle *tep)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	int cpu, ret, opened = 0;

	memset(r, 0, sizeof(*r));
	if (n < 1)
		n = 1;
	r->tep = tep;
	r->cpus = calloc(n, sizeof(*r->cpus));
	if (!r->cpus)
		return -ENOMEM;
	r->nr_cpus = n;
	for (cpu = 0; cpu < n; cpu++) {
		ret = cpu_open(&r->cpus[cpu], inst, cpu);
		if (ret) {
			pt_ring_close(r);
			return ret;
		}
		opened += r->cpus[cpu].tcpu != NULL;
	}
	if (!opened) {
		pt_ring_close(r);
		return -ENOENT;
	}
	return 0;
}

void pt_ring_close(struct pt_ring *r)
{
	int cpu;

	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		cpu_close(&r->cpus[cpu]);
	free(r->cpus);
	memset(r, 0, sizeof(*r));
}

/* The next page of @c, if the buffer has one: 1, else 0 */
static int cpu_fill(struct pt_ring_cpu *c)
{
	int ret;

	c->data = NULL;
	if (!c->tcpu)
		return 0;
	for (;;) {
		ret = tracefs_cpu_read(c->tcpu, c->page, true);
		if (ret <= 0)
			return 0;
		if (kbuffer_load_subbuffer(c->kbuf, c->page) < 0)
			return 0;
		c->missed = kbuffer_missed_events(c->kbuf);
		c->data = kbuffer_read_event(c->kbuf, &c->ts);
		if (c->data)
			return 1;
	}
}

/* The CPU with the oldest record at hand, or -1 */
static int oldest(const struct pt_ring *r)
{
	int cpu, best = -1;

	for (cpu = 0; cpu < r->nr_cpus; cpu++) {
		if (!r->cpus[cpu].data)
			continue;
		if (best < 0 || r->cpus[cpu].ts < r->cpus[best].ts)
			best = cpu;
	}
	return best;
}

/*
 * Poll every CPU with no record at hand, @first (a CPU whose page just
 * ran out, or -1) first.  Whatever a CPU writes after it was polled is
 * newer than every record read until then; so after each page read, the
 * oldest record at hand is the oldest there is.
 */
static void fill_empty(struct pt_ring *r, int first)
{
	int cpu;

	if (first >= 0)
		cpu_fill(&r->cpus[first]);
	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		if (cpu != first && !r->cpus[cpu].data)
			cpu_fill(&r->cpus[cpu]);
}

/* The record after @cpu's current one: 1 when its page ran out */
static int cpu_next(struct pt_ring_cpu *c)
{
	c->missed = 0;
	c->data = kbuffer_next_event(c->kbuf, &c->ts);
	return !c->data;
}

/*
 * Every record in the buffer now, oldest first, to @fn; stops early
 * when @fn says so.  Returns the number of records handed over.
 */
int pt_ring_drain(struct pt_ring *r, pt_ring_fn fn, void *data)
{
	struct tep_record rec;
	struct pt_ring_cpu *c;
	struct tep_event *ev;
	int cpu, n = 0, stop;

	fill_empty(r, -1);
	while ((cpu = oldest(r)) >= 0) {
		c = &r->cpus[cpu];
		memset(&rec, 0, sizeof(rec));
		rec.ts = c->ts;
		rec.cpu = cpu;
		rec.data = c->data;
		rec.size = kbuffer_event_size(c->kbuf);
		rec.missed_events = c->missed;
		ev = tep_find_event_by_record(r->tep, &rec);
		if (!ev)
			r->nr_unknown++;
		n++;
		stop = ev && fn(ev, &rec, cpu, data);
		if (cpu_next(c))
			fill_empty(r, cpu);
		if (stop)
			break;
	}
	return n;
}

int pt_ring_idle(struct pt_ring *r, int cpu)
{
	struct pt_ring_cpu *c = &r->cpus[cpu];

	return c->tcpu && !c->data && !cpu_fill(c);
}

/*
 * The 6.12 guest's ring buffer was seen to skip the last records of a
 * page being written while a read() copied its first ones: the reader
 * goes on at the next page, no missed-events mark says so, and the
 * records stay counted in the CPU's "entries" for good (make
 * vm-longrun, LONGRUN_WITNESS; trace-cmd's splice of whole pages had
 * them).  With every record read so far handed over and a read after
 * the count finding nothing, what "entries" counts is such records (or
 * one a writer is still committing): the least count of
 * PT_RING_GHOST_SAMPLES such samples in a row is a loss, told as such,
 * never silent.  Two samples were once enough, until a 6.1 guest in CI
 * counted 1 in a run that lost nothing (every request seen), mid-run,
 * and 39 echoes ended "unknown": a count that two samples 10 ms apart
 * agreed on and went away, which a writer between reserve and commit,
 * its vCPU not running under TCG, would give.  A record really kept
 * stays counted for good, so a longer window costs only a later count.
 */
unsigned long long pt_ring_ghosts(struct pt_ring *r, const long long *entries,
				  const int *idle, int final)
{
	unsigned long long n = 0;
	struct pt_ring_cpu *c;
	long long floor;
	int cpu;

	for (cpu = 0; cpu < r->nr_cpus; cpu++) {
		c = &r->cpus[cpu];
		/*
		 * Only a count read while the CPU had nothing for us to
		 * read, as pt_ring_idle() right after it shows: else it
		 * counts records still to come
		 */
		if (!c->tcpu || c->data || entries[cpu] < 0 ||
		    (!final && !idle[cpu])) {
			c->last_entries = -1;
			c->ghost_run = 0;
			continue;
		}
		floor = entries[cpu];
		if (!final) {
			if (!c->ghost_run || floor < c->last_entries)
				c->last_entries = floor;
			if (++c->ghost_run < PT_RING_GHOST_SAMPLES)
				continue;
			floor = c->last_entries;
			c->ghost_run = 0;
		}
		if (floor > (long long)c->ghosts) {
			n += floor - c->ghosts;
			c->ghosts = floor;
		}
	}
	return n;
}
