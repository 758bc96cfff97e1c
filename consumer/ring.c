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
 *
 * Reading a page costs a read(); decoding and pairing its records costs
 * far more.  So pages are read ahead into a queue per CPU by
 * pt_ring_capture(), in a thread of its own (pt_ring_start_reader())
 * that sleeps on the buffers' watermark, as trace-cmd record's recorders
 * do: the kernel's buffer is emptied at about the pace trace-cmd record
 * empties it, and a flood that the pairing cannot keep up with waits in
 * the queue (at most PT_RING_QUEUE_MAX) instead of overrunning the
 * buffer.  A CPU's file is read, and its queue touched, only under its
 * lock, and a CPU's queue is walked before its file is read again: the
 * merge below sees each CPU's records in the order it would without a
 * queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <kbuffer.h>

#include "ring.h"

static void free_pages(struct pt_ring_page *p)
{
	struct pt_ring_page *next;

	for (; p; p = next) {
		next = p->next;
		free(p);
	}
}

static void cpu_close(struct pt_ring_cpu *c)
{
	if (c->tcpu) {
		tracefs_cpu_close(c->tcpu);
		pthread_mutex_destroy(&c->lock);
	}
	if (c->kbuf)
		kbuffer_free(c->kbuf);
	free(c->page);
	free_pages(c->queue);
	free_pages(c->spare);
	memset(c, 0, sizeof(*c));
}

/*
 * A page walked, kept for the reader to read into again (up to
 * PT_RING_SPARE_MAX a CPU): a page is allocated by the reader and
 * freed by the pairing thread, and glibc takes the lock of the
 * reader's arena for such a free, a lock that does not inherit
 * priority; the reader in SCHED_FIFO could wait for the pairing thread
 * at nice +10.  Under c->lock.
 */
static void recycle(struct pt_ring_cpu *c, struct pt_ring_page *p)
{
	if (!p)
		return;
	if (c->nr_spare >= PT_RING_SPARE_MAX) {
		free(p);
		return;
	}
	p->next = c->spare;
	c->spare = p;
	c->nr_spare++;
}

/* A page of @c's file, if it has one now; under c->lock */
static struct pt_ring_page *read_page(struct pt_ring *r, struct pt_ring_cpu *c)
{
	struct pt_ring_page *p = c->spare;

	if (p) {
		c->spare = p->next;
		c->nr_spare--;
	} else {
		p = malloc(sizeof(*p) + r->page_size);
		if (!p)
			return NULL;
	}
	if (tracefs_cpu_read(c->tcpu, p->data, true) <= 0) {
		recycle(c, p);
		return NULL;
	}
	p->next = NULL;
	return p;
}

/* Under c->lock */
static struct pt_ring_page *dequeue(struct pt_ring *r, struct pt_ring_cpu *c)
{
	struct pt_ring_page *p = c->queue;

	c->queue = p->next;
	if (!c->queue)
		c->queue_end = &c->queue;
	r->nr_queued--;
	return p;
}

/* -errno; a CPU whose file cannot be opened (offline) is left out */
static int cpu_open(struct pt_ring_cpu *c, struct tracefs_instance *inst,
		    int cpu)
{
	pthread_mutexattr_t attr;
	char name[64];
	char *path;

	c->last_entries = -1;
	c->queue_end = &c->queue;
	c->fd = -1;
	/* tracefs_cpu_open()'s way, keeping the file for poll() */
	snprintf(name, sizeof(name), "per_cpu/cpu%d/trace_pipe_raw", cpu);
	path = tracefs_instance_get_file(inst, name);
	if (!path)
		return -ENOMEM;
	c->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	tracefs_put_tracing_file(path);
	if (c->fd < 0)
		return 0;	/* an offline CPU */
	c->tcpu = tracefs_cpu_alloc_fd(c->fd, getpagesize(), true);
	if (!c->tcpu) {
		close(c->fd);
		c->fd = -1;
		return -ENOMEM;
	}
	/*
	 * Priority inheritance: the pairing thread, which runs below
	 * everything, holds the lock for a dequeue or a read while the
	 * CPU's real-time reader may wait for it
	 */
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&c->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	c->kbuf = kbuffer_alloc(KBUFFER_LSIZE_SAME_AS_HOST,
				KBUFFER_ENDIAN_SAME_AS_HOST);
	if (!c->kbuf) {
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
		if (r->cpus[cpu].tcpu && !r->page_size)
			r->page_size = tracefs_cpu_read_size(r->cpus[cpu].tcpu);
		opened += r->cpus[cpu].tcpu != NULL;
	}
	if (!opened || r->page_size <= 0) {
		pt_ring_close(r);
		return -ENOENT;
	}
	r->max_queued = PT_RING_QUEUE_MAX / r->page_size;
	return 0;
}

void pt_ring_close(struct pt_ring *r)
{
	int cpu;

	pt_ring_stop_reader(r);
	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		cpu_close(&r->cpus[cpu]);
	free(r->cpus);
	memset(r, 0, sizeof(*r));
}

static void note_queued(struct pt_ring *r)
{
	unsigned long q = r->nr_queued, most = r->most_queued;

	while (q > most &&
	       !atomic_compare_exchange_weak(&r->most_queued, &most, q))
		;
}

/* Every page @c's file has now, into its queue, while there is room */
static unsigned long capture_cpu(struct pt_ring *r, struct pt_ring_cpu *c)
{
	struct pt_ring_page *p;
	unsigned long n = 0;

	pthread_mutex_lock(&c->lock);
	while (r->nr_queued < r->max_queued && (p = read_page(r, c))) {
		*c->queue_end = p;
		c->queue_end = &p->next;
		r->nr_queued++;
		n++;
	}
	pthread_mutex_unlock(&c->lock);
	if (n)
		note_queued(r);
	return n;
}

unsigned long pt_ring_capture(struct pt_ring *r)
{
	unsigned long n = 0;
	int cpu;

	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		if (r->cpus[cpu].tcpu)
			n += capture_cpu(r, &r->cpus[cpu]);
	return n;
}

static void *reader(void *data)
{
	struct pt_ring_cpu *c = data;
	struct pt_ring *r = c->ring;
	struct pollfd pfd[2] = {
		{ .fd = r->reader_wake, .events = POLLIN },
		{ .fd = c->fd, .events = POLLIN },
	};
	int ms = PT_RING_WAIT_MIN_MS;
	uint64_t one = 1;
	ssize_t n;

	while (!r->reader_stop) {
		if (capture_cpu(r, c)) {
			ms = PT_RING_WAIT_MIN_MS;
			n = write(r->reader_read, &one, sizeof(one));
			(void)n;	/* the counter is full: it is awake */
		} else if (ms < PT_RING_WAIT_MAX_MS) {
			ms = ms * 2 < PT_RING_WAIT_MAX_MS ? ms * 2 :
							    PT_RING_WAIT_MAX_MS;
		}
		/* a full queue: the file's watermark would wake us at once */
		poll(pfd, r->nr_queued >= r->max_queued ? 1 : 2, ms);
	}
	return NULL;
}

/*
 * A CPU's reader runs on that CPU, in SCHED_FIFO at the lowest real-time
 * priority.  It only moves pages from the kernel's buffer to its queue,
 * a bounded work woken by the buffer's watermark, so it may preempt
 * what it traces; any later, and a flood overruns a small buffer.  In
 * the VM, 16 KB a CPU, the events missed in 5 s of ping -f: one reader
 * for all CPUs at nice 0, 30 to 36%; a reader per CPU on its CPU, 5%
 * (31 to 37% under four ping -f, where nice -10 still missed 26 to
 * 29%); the same in SCHED_FIFO, under 0.1% (0.6% under four).  On its
 * CPU: while a CPU writes records its reader can run there, whatever
 * runs on the others (under QEMU's TCG one host thread runs the vCPUs
 * in turn, up to 100 ms each).  Where either is refused, the reader
 * runs without it, counted in nr_unpinned or nr_not_rt for the caller
 * to say.
 */
static void place_reader(struct pt_ring *r, struct pt_ring_cpu *c, int cpu)
{
	struct sched_param sp = { .sched_priority = PT_RING_READER_PRIO };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(c->reader, sizeof(set), &set))
		r->nr_unpinned++;
	if (pthread_setschedparam(c->reader, SCHED_FIFO, &sp))
		r->nr_not_rt++;
}

static void stop_readers(struct pt_ring *r)
{
	uint64_t one = 1;
	ssize_t n;
	int cpu;

	r->reader_stop = 1;
	n = write(r->reader_wake, &one, sizeof(one));
	(void)n;	/* failed, they wake by their timers */
	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		if (r->cpus[cpu].reader_on) {
			pthread_join(r->cpus[cpu].reader, NULL);
			r->cpus[cpu].reader_on = 0;
		}
	close(r->reader_wake);
	close(r->reader_read);
}

int pt_ring_start_reader(struct pt_ring *r)
{
	struct pt_ring_cpu *c;
	sigset_t all, old;
	int cpu, ret = 0;

	if (r->reader_on)
		return 0;
	r->reader_stop = 0;
	r->nr_unpinned = 0;
	r->nr_not_rt = 0;
	r->reader_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->reader_wake < 0)
		return -errno;
	r->reader_read = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->reader_read < 0) {
		ret = -errno;
		close(r->reader_wake);
		return ret;
	}
	/* the signals are this thread's to take */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (cpu = 0; cpu < r->nr_cpus && !ret; cpu++) {
		c = &r->cpus[cpu];
		if (!c->tcpu)
			continue;
		c->ring = r;
		ret = -pthread_create(&c->reader, NULL, reader, c);
		c->reader_on = !ret;
		if (!ret)
			place_reader(r, c, cpu);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		stop_readers(r);
		return ret;
	}
	r->reader_on = 1;
	return 0;
}

void pt_ring_wait(struct pt_ring *r, int ms)
{
	struct pollfd pfd = { .fd = r->reader_read, .events = POLLIN };
	uint64_t count;
	ssize_t n;

	if (!r->reader_on)
		return;
	if (poll(&pfd, 1, ms) > 0) {
		n = read(r->reader_read, &count, sizeof(count));
		(void)n;	/* nonblocking: it is read or empty */
	}
}

void pt_ring_stop_reader(struct pt_ring *r)
{
	if (!r->reader_on)
		return;
	stop_readers(r);
	r->reader_on = 0;
}

int pt_ring_pending(const struct pt_ring *r)
{
	int cpu;

	if (r->nr_queued)
		return 1;
	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		if (r->cpus[cpu].data)
			return 1;
	return 0;
}

/*
 * The next page of @c, from its queue or else its file, if it has one:
 * 1, else 0.  The page walked until now is done with.
 */
static int cpu_fill(struct pt_ring *r, struct pt_ring_cpu *c)
{
	c->data = NULL;
	if (!c->tcpu)
		return 0;
	for (;;) {
		pthread_mutex_lock(&c->lock);
		recycle(c, c->page);
		c->page = c->queue ? dequeue(r, c) : read_page(r, c);
		pthread_mutex_unlock(&c->lock);
		if (!c->page)
			return 0;
		if (kbuffer_load_subbuffer(c->kbuf, c->page->data) < 0)
			continue;
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
		cpu_fill(r, &r->cpus[first]);
	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		if (cpu != first && !r->cpus[cpu].data)
			cpu_fill(r, &r->cpus[cpu]);
}

/* The record after @cpu's current one: 1 when its page ran out */
static int cpu_next(struct pt_ring_cpu *c)
{
	c->missed = 0;
	c->data = kbuffer_next_event(c->kbuf, &c->ts);
	return !c->data;
}

/*
 * @rec's event.  tep keeps the last one it found, but a flood's
 * records take turns (net:ip_icmp, then skb:kfree_skb for a root
 * ping's reply): each turn was a binary search of the events.
 */
static struct tep_event *find_event(struct pt_ring *r, struct tep_record *rec)
{
	int type = tep_data_type(r->tep, rec);
	struct tep_event *ev;
	int i;

	for (i = 0; i < PT_RING_EVENT_CACHE; i++)
		if (r->cache_event[i] && r->cache_type[i] == type)
			return r->cache_event[i];
	ev = tep_find_event(r->tep, type);
	if (ev) {
		r->cache_type[r->cache_next] = type;
		r->cache_event[r->cache_next] = ev;
		r->cache_next = (r->cache_next + 1) % PT_RING_EVENT_CACHE;
	}
	return ev;
}

/*
 * Every record in the buffer now, oldest first, to @fn; stops early
 * when @fn says so, or after @max (0: no limit).  Returns the number of
 * records handed over.
 */
int pt_ring_drain_max(struct pt_ring *r, pt_ring_fn fn, void *data,
		      unsigned int max)
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
		ev = find_event(r, &rec);
		if (!ev)
			r->nr_unknown++;
		n++;
		stop = ev && fn(ev, &rec, cpu, data);
		if (cpu_next(c))
			fill_empty(r, cpu);
		if (stop || (max && (unsigned int)n >= max))
			break;
	}
	return n;
}

int pt_ring_drain(struct pt_ring *r, pt_ring_fn fn, void *data)
{
	return pt_ring_drain_max(r, fn, data, 0);
}

/* Nothing at hand, nothing queued, nothing in the file */
int pt_ring_idle(struct pt_ring *r, int cpu)
{
	struct pt_ring_cpu *c = &r->cpus[cpu];

	return c->tcpu && !c->data && !cpu_fill(r, c);
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
