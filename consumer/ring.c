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
 * pt_ring_capture(), in a thread of its own for each CPU
 * (pt_ring_start_reader()) that sleeps on the buffers' watermark, as
 * trace-cmd record's recorders do: the kernel's buffer is emptied at
 * about the pace trace-cmd record empties it, and a flood that the
 * pairing cannot keep up with waits in the queue (at most
 * PT_RING_QUEUE_MAX) instead of overrunning the buffer.
 *
 * The reader never waits for the pairing thread.  A CPU's queue is a
 * list that only its reader appends to and only the pairing thread
 * takes from, with no lock: the pages are the list's nodes, and the
 * reader reuses those the pairing thread is done with.  With a lock,
 * the pairing thread held a CPU's lock while it read that CPU's file
 * itself; under QEMU's TCG, whose one host thread runs the vCPUs in
 * turn for up to 100 ms each, a reader could wait for a vCPU that was
 * not running while its own CPU's flood overran the buffer.  Against
 * the lock, bench/ab-live.sh (16 KB a CPU, two and four ping -f) saw a
 * third fewer events missed, 0.181% against 0.269%, at the same CPU:
 * part of what a small buffer loses, not all.
 *
 * Only the reader reads its CPU's file.  The merge needs a CPU with no
 * record at hand to be read again before another CPU's record is taken
 * (fill_empty()); then the pairing thread asks the reader and waits for
 * it (ask()), and the reader reads the file after it was asked.  The
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

static void clear_eventfd(int fd)
{
	uint64_t count;
	ssize_t n;

	n = read(fd, &count, sizeof(count));
	(void)n;	/* nonblocking: it is read or empty */
}

static void signal_eventfd(int fd)
{
	uint64_t one = 1;
	ssize_t n;

	n = write(fd, &one, sizeof(one));
	(void)n;	/* the counter is full: it is signalled */
}

/* Every node of @c's queue, from the oldest kept to the last appended */
static void free_pages(struct pt_ring_cpu *c)
{
	struct pt_ring_page *p, *next;

	for (p = c->first; p; p = next) {
		next = atomic_load_explicit(&p->next, memory_order_relaxed);
		free(p);
	}
	c->first = NULL;
}

static void cpu_close(struct pt_ring_cpu *c)
{
	if (c->tcpu)
		tracefs_cpu_close(c->tcpu);
	if (c->kick >= 0)
		close(c->kick);
	if (c->kbuf)
		kbuffer_free(c->kbuf);
	free_pages(c);
	free(c->spare);
	memset(c, 0, sizeof(*c));
	c->kick = -1;
	c->fd = -1;
}

/*
 * A node to read a page into, for the queue's producer (the reader, or
 * the pairing thread without readers): the one a read that found
 * nothing left, the oldest node the pairing thread is done with (those
 * before its tail), or a new one
 */
static struct pt_ring_page *get_node(struct pt_ring *r, struct pt_ring_cpu *c)
{
	struct pt_ring_page *p = c->spare;

	if (p) {
		c->spare = NULL;
		return p;
	}
	if (c->first == c->tail_seen)
		c->tail_seen = atomic_load_explicit(&c->tail,
						    memory_order_acquire);
	if (c->first != c->tail_seen) {
		p = c->first;
		c->first = atomic_load_explicit(&p->next,
						memory_order_relaxed);
		return p;
	}
	p = malloc(sizeof(*p) + r->page_size);
	if (p)
		c->nr_nodes++;
	return p;
}

/*
 * Nodes done with beyond PT_RING_SPARE_MAX are freed, by the producer
 * that allocated them: a flood's pages, once walked, are not kept
 */
static void trim(struct pt_ring_cpu *c)
{
	struct pt_ring_page *p;
	unsigned long queued;

	c->tail_seen = atomic_load_explicit(&c->tail, memory_order_acquire);
	queued = atomic_load_explicit(&c->nr_queued, memory_order_relaxed);
	while (c->first != c->tail_seen &&
	       c->nr_nodes > queued + 1 + PT_RING_SPARE_MAX) {
		p = c->first;
		c->first = atomic_load_explicit(&p->next,
						memory_order_relaxed);
		free(p);
		c->nr_nodes--;
	}
}

/* A page of @c's file appended to its queue, if the file has one now */
static int read_page(struct pt_ring *r, struct pt_ring_cpu *c)
{
	struct pt_ring_page *p = get_node(r, c);

	if (!p)
		return 0;
	if (tracefs_cpu_read(c->tcpu, p->data, true) <= 0) {
		c->spare = p;
		return 0;
	}
	atomic_store_explicit(&p->next, NULL, memory_order_relaxed);
	/* counted first: the pairing thread takes it as soon as it sees it */
	atomic_fetch_add_explicit(&c->nr_queued, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->nr_queued, 1, memory_order_relaxed);
	atomic_store_explicit(&c->head->next, p, memory_order_release);
	c->head = p;
	return 1;
}

/*
 * The pairing thread's: the page after its tail, which becomes the
 * tail (the page before it is done with), or NULL
 */
static struct pt_ring_page *dequeue(struct pt_ring *r, struct pt_ring_cpu *c)
{
	struct pt_ring_page *t = atomic_load_explicit(&c->tail,
						      memory_order_relaxed);
	struct pt_ring_page *p = atomic_load_explicit(&t->next,
						      memory_order_acquire);

	if (!p)
		return NULL;
	atomic_store_explicit(&c->tail, p, memory_order_release);
	atomic_fetch_sub_explicit(&c->nr_queued, 1, memory_order_relaxed);
	atomic_fetch_sub_explicit(&r->nr_queued, 1, memory_order_relaxed);
	return p;
}

/* @c reads @fd, an open trace_pipe_raw it takes over; -errno */
static int cpu_init(struct pt_ring_cpu *c, int fd)
{
	c->fd = fd;
	c->tcpu = tracefs_cpu_alloc_fd(c->fd, getpagesize(), true);
	if (!c->tcpu) {
		close(c->fd);
		c->fd = -1;
		return -ENOMEM;
	}
	c->kbuf = kbuffer_alloc(KBUFFER_LSIZE_SAME_AS_HOST,
				KBUFFER_ENDIAN_SAME_AS_HOST);
	c->kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	/* the queue starts with a node of no page, its tail and head */
	c->first = calloc(1, sizeof(*c->first) +
			     tracefs_cpu_read_size(c->tcpu));
	if (!c->kbuf || c->kick < 0 || !c->first) {
		cpu_close(c);
		return -ENOMEM;
	}
	c->nr_nodes = 1;
	c->head = c->first;
	c->tail_seen = c->first;
	atomic_store(&c->tail, c->first);
	return 0;
}

int pt_ring_open_fds(struct pt_ring *r, const int *fds, int nr,
		     struct tep_handle *tep)
{
	int cpu, ret = 0, opened = 0;

	memset(r, 0, sizeof(*r));
	r->tep = tep;
	r->cpus = calloc(nr, sizeof(*r->cpus));
	if (!r->cpus) {
		for (cpu = 0; cpu < nr; cpu++)
			if (fds[cpu] >= 0)
				close(fds[cpu]);
		return -ENOMEM;
	}
	r->nr_cpus = nr;
	for (cpu = 0; cpu < nr; cpu++) {
		r->cpus[cpu].kick = -1;
		r->cpus[cpu].fd = -1;
		r->cpus[cpu].last_entries = -1;
	}
	for (cpu = 0; cpu < nr; cpu++) {
		if (fds[cpu] < 0)
			continue;	/* an offline CPU */
		if (ret) {
			close(fds[cpu]);
			continue;
		}
		ret = cpu_init(&r->cpus[cpu], fds[cpu]);
		if (!ret && !r->page_size)
			r->page_size = tracefs_cpu_read_size(r->cpus[cpu].tcpu);
		opened += !ret;
	}
	if (!ret && (!opened || r->page_size <= 0))
		ret = -ENOENT;
	if (ret) {
		pt_ring_close(r);
		return ret;
	}
	r->max_queued = PT_RING_QUEUE_MAX / r->page_size;
	return 0;
}

int pt_ring_open(struct pt_ring *r, struct tracefs_instance *inst,
		 struct tep_handle *tep)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	char name[64];
	char *path;
	int *fds;
	int cpu, ret;

	if (n < 1)
		n = 1;
	fds = calloc(n, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	/* tracefs_cpu_open()'s way, keeping the file for poll() */
	for (cpu = 0; cpu < n; cpu++) {
		snprintf(name, sizeof(name), "per_cpu/cpu%d/trace_pipe_raw",
			 cpu);
		path = tracefs_instance_get_file(inst, name);
		fds[cpu] = path ? open(path, O_RDONLY | O_NONBLOCK |
					     O_CLOEXEC) : -1;
		tracefs_put_tracing_file(path);
	}
	ret = pt_ring_open_fds(r, fds, n, tep);
	free(fds);
	return ret;
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
	unsigned long n = 0;

	while (atomic_load_explicit(&r->nr_queued, memory_order_relaxed) <
	       r->max_queued && read_page(r, c))
		n++;
	if (n)
		note_queued(r);
	trim(c);
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
	struct pollfd pfd[3] = {
		{ .fd = r->reader_wake, .events = POLLIN },
		{ .fd = c->kick, .events = POLLIN },
		{ .fd = c->fd, .events = POLLIN },
	};
	int ms = PT_RING_WAIT_MIN_MS, tell;
	unsigned long asked;

	while (!r->reader_stop) {
		/* an ask after this one kicks again, and is seen next time */
		clear_eventfd(c->kick);
		asked = atomic_load_explicit(&c->asked, memory_order_acquire);
		tell = capture_cpu(r, c) > 0;
		if (tell)
			ms = PT_RING_WAIT_MIN_MS;
		else if (ms < PT_RING_WAIT_MAX_MS)
			ms = ms * 2 < PT_RING_WAIT_MAX_MS ? ms * 2 :
							    PT_RING_WAIT_MAX_MS;
		if (asked != atomic_load_explicit(&c->answered,
						  memory_order_relaxed)) {
			atomic_store_explicit(&c->answered, asked,
					      memory_order_release);
			tell = 1;
		}
		if (tell)
			signal_eventfd(r->reader_read);
		/* a full queue: the file's watermark would wake us at once */
		poll(pfd, atomic_load_explicit(&r->nr_queued,
					       memory_order_relaxed) >=
			  r->max_queued ? 2 : 3, ms);
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
	int cpu;

	r->reader_stop = 1;
	signal_eventfd(r->reader_wake);
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

	if (!r->reader_on)
		return;
	if (poll(&pfd, 1, ms) > 0)
		clear_eventfd(r->reader_read);
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

	if (atomic_load_explicit(&r->nr_queued, memory_order_relaxed))
		return 1;
	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		if (r->cpus[cpu].data)
			return 1;
	return 0;
}

/*
 * The next page of @c's queue with a record, its first record at hand:
 * 1, or 0 when the queue has none.  The page walked until now is done
 * with.
 */
static int cpu_take(struct pt_ring *r, struct pt_ring_cpu *c)
{
	struct pt_ring_page *p;

	while ((p = dequeue(r, c))) {
		if (kbuffer_load_subbuffer(c->kbuf, p->data) < 0)
			continue;
		c->missed = kbuffer_missed_events(c->kbuf);
		c->data = kbuffer_read_event(c->kbuf, &c->ts);
		if (c->data)
			return 1;
	}
	return 0;
}

/*
 * @c's reader is to read its file again, after now; wait_answers()
 * waits for it.  The reader never waits for us.
 */
static void ask(struct pt_ring_cpu *c)
{
	atomic_fetch_add_explicit(&c->asked, 1, memory_order_release);
	signal_eventfd(c->kick);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1: @c was asked in this round of fill_empty() and has not read yet */
static int waiting_for(struct pt_ring_cpu *c)
{
	return c->polled &&
	       atomic_load_explicit(&c->answered, memory_order_acquire) !=
	       atomic_load_explicit(&c->asked, memory_order_relaxed);
}

/*
 * Until every CPU asked has been read, or PT_RING_ASK_MS: a reader that
 * did not answer is counted, and its CPU is "unanswered" until the next
 * ask
 */
static void wait_answers(struct pt_ring *r)
{
	struct pollfd pfd = { .fd = r->reader_read, .events = POLLIN };
	uint64_t start = mono_ms(), waited;
	struct pt_ring_cpu *c;
	int cpu, waiting;

	for (;;) {
		waiting = 0;
		for (cpu = 0; cpu < r->nr_cpus; cpu++)
			waiting += waiting_for(&r->cpus[cpu]);
		waited = mono_ms() - start;
		if (!waiting || waited >= PT_RING_ASK_MS)
			break;
		if (poll(&pfd, 1, PT_RING_ASK_MS - waited) > 0)
			clear_eventfd(r->reader_read);
	}
	for (cpu = 0; cpu < r->nr_cpus; cpu++) {
		c = &r->cpus[cpu];
		if (waiting_for(c)) {
			c->unanswered = 1;
			r->nr_unanswered++;
		}
	}
}

/*
 * The next record of @c, from its queue, or else, without reader
 * threads, its file: 1 with a record at hand, 0 with none
 */
static int cpu_fill(struct pt_ring *r, struct pt_ring_cpu *c)
{
	c->data = NULL;
	if (!c->tcpu)
		return 0;
	if (cpu_take(r, c) || r->reader_on)
		return c->data != NULL;
	capture_cpu(r, c);
	return cpu_take(r, c);
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
 * Poll every CPU with no record at hand.  Whatever a CPU writes after it
 * was polled is newer than every record read until then; so once every
 * CPU left with no record was polled after the records at hand were
 * read, the oldest record at hand is the oldest there is.
 *
 * A CPU whose queue is empty is polled by its reader, asked to read its
 * file, all such CPUs at once, after every queue was looked at (a page
 * taken from a queue after a CPU was asked may be newer than what that
 * CPU wrote since: unit test test-ring.c).  If any of them then has a
 * record, read while the others were being polled or after, those left
 * with none are asked again: at most once for each CPU.
 */
static void fill_empty(struct pt_ring *r)
{
	int cpu, nr_asked, gained;
	struct pt_ring_cpu *c;

	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		if (!r->cpus[cpu].data)
			r->cpus[cpu].unanswered = 0;
	do {
		/* what the queues have, all read before the first ask */
		for (cpu = 0; cpu < r->nr_cpus; cpu++) {
			c = &r->cpus[cpu];
			c->polled = !c->data && !c->unanswered &&
				    cpu_fill(r, c) == 0;
		}
		nr_asked = 0;
		for (cpu = 0; cpu < r->nr_cpus; cpu++) {
			c = &r->cpus[cpu];
			if (c->polled && r->reader_on) {
				ask(c);
				nr_asked++;
			} else {
				c->polled = 0;
			}
		}
		if (!nr_asked)
			return;
		wait_answers(r);
		gained = 0;
		for (cpu = 0; cpu < r->nr_cpus; cpu++) {
			c = &r->cpus[cpu];
			if (c->polled && !c->unanswered && cpu_take(r, c))
				gained++;
		}
	} while (gained && gained < nr_asked);
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

	fill_empty(r);
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
			fill_empty(r);
		if (stop || (max && (unsigned int)n >= max))
			break;
	}
	return n;
}

int pt_ring_drain(struct pt_ring *r, pt_ring_fn fn, void *data)
{
	return pt_ring_drain_max(r, fn, data, 0);
}

void pt_ring_idle(struct pt_ring *r, int *idle)
{
	int cpu;

	fill_empty(r);
	for (cpu = 0; cpu < r->nr_cpus; cpu++)
		idle[cpu] = r->cpus[cpu].tcpu && !r->cpus[cpu].data &&
			    !r->cpus[cpu].unanswered;
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
