// SPDX-License-Identifier: GPL-2.0
/*
 * ring: records the kernel's ring buffer counts but never hands over
 * are told as lost once a window of samples after a drain holds them,
 * or one sample
 * once tracing is off; a record written since the drain is not.  With
 * the reader threads, every record written is handed over once, in time
 * order across CPUs.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "ring.h"
#include "unit.h"

#define CPUS	2

static void ring_init(struct pt_ring *r, struct pt_ring_cpu *cpus)
{
	int cpu;

	memset(r, 0, sizeof(*r));
	memset(cpus, 0, CPUS * sizeof(*cpus));
	r->cpus = cpus;
	r->nr_cpus = CPUS;
	for (cpu = 0; cpu < CPUS; cpu++) {
		/* pt_ring_ghosts() asks only that the CPU is read */
		cpus[cpu].tcpu = (struct tracefs_cpu *)&cpus[cpu];
		cpus[cpu].last_entries = -1;
	}
}

/* The window's samples but the last: nothing counted yet */
static void samples(struct pt_ring *r, const long long *e, const int *idle,
		    int n)
{
	int i;

	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(pt_ring_ghosts(r, e, idle, 0), 0);
}

static void test_ring_ghosts_need_a_window_of_samples(void)
{
	const int k = PT_RING_GHOST_SAMPLES;
	struct pt_ring_cpu cpus[CPUS];
	int idle[CPUS] = { 1, 1 };
	long long e[CPUS];
	struct pt_ring r;

	ring_init(&r, cpus);
	e[0] = 3;	/* written since the drain, or kept: not known yet */
	e[1] = 0;
	samples(&r, e, idle, k - 1);
	e[0] = 0;	/* it was read: nothing kept */
	CU_ASSERT_EQUAL(pt_ring_ghosts(&r, e, idle, 0), 0);
	e[0] = 2;
	samples(&r, e, idle, k - 1);
	e[0] = 5;	/* 2 in every sample of the window: 2 kept for good */
	CU_ASSERT_EQUAL(pt_ring_ghosts(&r, e, idle, 0), 2);
	samples(&r, e, idle, k - 1);
	CU_ASSERT_EQUAL(pt_ring_ghosts(&r, e, idle, 0), 3);	/* 5: 3 more */
	samples(&r, e, idle, k);			/* said once */
	e[0] = 9;	/* a read after the count found records: no sample */
	samples(&r, e, idle, k - 1);
	idle[0] = 0;
	CU_ASSERT_EQUAL(pt_ring_ghosts(&r, e, idle, 0), 0);
	idle[0] = 1;
	samples(&r, e, idle, k - 1);		/* a window begun anew */
	e[0] = 5;
	e[1] = 4;
	CU_ASSERT_EQUAL(pt_ring_ghosts(&r, e, idle, 1), 4);	/* tracing off */
	CU_ASSERT_EQUAL(cpus[0].ghosts, 5);
	CU_ASSERT_EQUAL(cpus[1].ghosts, 4);
}

/* A CPU with a record at hand, or no count, is not judged */
static void test_ring_ghosts_only_of_drained_cpus(void)
{
	struct pt_ring_cpu cpus[CPUS];
	long long e[CPUS] = { 7, -1 };
	int idle[CPUS] = { 1, 1 };
	struct pt_ring r;
	int at_hand;

	ring_init(&r, cpus);
	cpus[0].data = &at_hand;
	CU_ASSERT_EQUAL(pt_ring_ghosts(&r, e, idle, 1), 0);
	cpus[0].data = NULL;
	cpus[1].tcpu = NULL;
	e[1] = 9;
	CU_ASSERT_EQUAL(pt_ring_ghosts(&r, e, idle, 1), 7);
}

/*
 * The reader threads against writers of pages: each CPU's "trace_pipe_raw"
 * a socket pair of packets, a page each.  The pages are written one at
 * a time, under a lock, by CPUs in a random turn, their records numbered
 * by time from 1 across all CPUs: handed over, they must come 1, 2, 3...
 * with none missing, none twice, whatever the threads' timing.
 */
#define FLOOD_PAGES		3000
#define FLOOD_PER_PAGE		12
#define RECORD_BYTES		64
#define PAGE_BYTES		4096

struct flood {
	int			wfd[CPUS];
	pthread_mutex_t		lock;
	uint64_t		ts;		/* the last record's */
	unsigned int		seed;
	unsigned long long	next;		/* expected from the ring */
	unsigned long long	bad;
	unsigned long long	got;
};

/* A page of FLOOD_PER_PAGE records at the next times, 1 ns apart */
static void build_page(unsigned char *page, uint64_t first_ts)
{
	struct pt_event ev = ut_event(PT_DIR_SEND, 8, "198.51.100.1",
				      "198.51.100.2", 1, 0, 0);
	unsigned char *p = page + 16;
	int i;

	memset(page, 0, PAGE_BYTES);
	ut_put(page, first_ts, 8, 0);
	for (i = 0; i < FLOOD_PER_PAGE; i++) {
		/* type_len: the data's length in words; delta: 1 ns */
		ut_put(p, (RECORD_BYTES / 4) | (i ? 1u : 0u) << 5, 4, 0);
		ev.icmp_seq = (uint16_t)(first_ts + i);
		ut_build_record(p + 4, &ut_kernel_layout, &ev, 0);
		p += 4 + RECORD_BYTES;
	}
	ut_put(page + 8, (uint64_t)(p - page - 16), 8, 0);
}

static void *flood_writer(void *data)
{
	struct flood *f = data;
	unsigned char page[PAGE_BYTES];
	struct timespec pause = { 0, 0 };
	int i, cpu;

	for (i = 0; i < FLOOD_PAGES; i++) {
		pthread_mutex_lock(&f->lock);
		cpu = rand_r(&f->seed) % CPUS;
		build_page(page, f->ts + 1);
		f->ts += FLOOD_PER_PAGE;
		if (write(f->wfd[cpu], page, sizeof(page)) != sizeof(page))
			f->bad++;
		pthread_mutex_unlock(&f->lock);
		/* now and then, long enough for the readers to sleep */
		pause.tv_nsec = rand_r(&f->seed) % 8 ? 0 : 200000;
		if (pause.tv_nsec)
			nanosleep(&pause, NULL);
	}
	return NULL;
}

static int flood_record(struct tep_event *event, struct tep_record *record,
			int cpu, void *data)
{
	struct flood *f = data;

	(void)event;
	(void)cpu;
	f->got++;
	if (record->ts != ++f->next) {
		f->bad++;
		f->next = record->ts;
	}
	return 0;
}

static void test_ring_readers_hand_over_every_record_in_order(void)
{
	struct tep_handle *tep = ut_tep_with_format(ut_kernel_format(), 0);
	unsigned long long total = (unsigned long long)FLOOD_PAGES *
				   FLOOD_PER_PAGE;
	struct flood f = { .seed = 15 };
	int pair[2], fds[CPUS], cpu, tries;
	struct pt_ring r;
	pthread_t writer;

	CU_ASSERT_FATAL(tep != NULL);
	pthread_mutex_init(&f.lock, NULL);
	for (cpu = 0; cpu < CPUS; cpu++) {
		CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_SEQPACKET |
					   SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
					   pair) == 0);
		fds[cpu] = pair[0];
		/* the writer waits for room, as no kernel writer does */
		CU_ASSERT_FATAL(fcntl(pair[1], F_SETFL, 0) == 0);
		f.wfd[cpu] = pair[1];
	}
	CU_ASSERT_FATAL(pt_ring_open_fds(&r, fds, CPUS, tep) == 0);
	CU_ASSERT_FATAL(pt_ring_start_reader(&r) == 0);
	CU_ASSERT_FATAL(pthread_create(&writer, NULL, flood_writer, &f) == 0);
	/* as live's loop: 64 at a time, then a wait for the readers */
	for (tries = 0; f.got < total && tries < 20000; tries++) {
		while (pt_ring_drain_max(&r, flood_record, &f, 64) > 0)
			;
		pt_ring_wait(&r, 1);
	}
	pthread_join(writer, NULL);
	pt_ring_stop_reader(&r);
	pt_ring_drain(&r, flood_record, &f);
	CU_ASSERT_EQUAL(f.got, total);
	CU_ASSERT_EQUAL(f.next, total);
	CU_ASSERT_EQUAL(f.bad, 0);
	CU_ASSERT_EQUAL(r.nr_unanswered, 0);
	CU_ASSERT_EQUAL(r.nr_unknown, 0);
	CU_ASSERT_EQUAL(r.nr_queued, 0);
	pt_ring_close(&r);
	for (cpu = 0; cpu < CPUS; cpu++)
		close(f.wfd[cpu]);
	pthread_mutex_destroy(&f.lock);
	tep_free(tep);
}

void ut_add_ring_suite(void)
{
	CU_pSuite s = CU_add_suite("ring", NULL, NULL);

	UT_ADD_TEST(s, test_ring_ghosts_need_a_window_of_samples);
	UT_ADD_TEST(s, test_ring_ghosts_only_of_drained_cpus);
	UT_ADD_TEST(s, test_ring_readers_hand_over_every_record_in_order);
}
