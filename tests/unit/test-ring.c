// SPDX-License-Identifier: GPL-2.0
/*
 * ring: records the kernel's ring buffer counts but never hands over
 * are told as lost once a window of samples after a drain holds them,
 * or one sample
 * once tracing is off; a record written since the drain is not.
 */
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

void ut_add_ring_suite(void)
{
	CU_pSuite s = CU_add_suite("ring", NULL, NULL);

	UT_ADD_TEST(s, test_ring_ghosts_need_a_window_of_samples);
	UT_ADD_TEST(s, test_ring_ghosts_only_of_drained_cpus);
}
