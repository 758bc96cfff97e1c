// SPDX-License-Identifier: GPL-2.0
/*
 * clocksync: the offset between two clocks from the echoes' four points,
 * its bound whatever the paths' asymmetry, and drift over a recording.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <CUnit/CUnit.h>

#include "clocksync.h"
#include "unit.h"

/*
 * An echo that leaves A at @t1 (A's clock), spends @out on the way, @target
 * in B and @back on the way home, with B's clock = A's + @offset
 */
static struct pt_cs_echo echo_of(uint64_t t1, int64_t offset, uint64_t out,
				 uint64_t target, uint64_t back)
{
	struct pt_cs_echo e;

	e.t1 = t1;
	e.t2 = t1 + out + (uint64_t)offset;
	e.t3 = e.t2 + target;
	e.t4 = t1 + out + target + back;
	return e;
}

static void test_cs_symmetric_paths_give_the_exact_offset(void)
{
	struct pt_cs_echo e = echo_of(1000000, 2000000000, 50000, 20000, 50000);
	struct pt_cs_sample s;

	CU_ASSERT_EQUAL_FATAL(pt_cs_sample(&e, &s), 0);
	CU_ASSERT_EQUAL(s.offset, 2000000000);
	CU_ASSERT_EQUAL(s.delay, 100000);
	CU_ASSERT_EQUAL(s.bound, 50000);
	CU_ASSERT_EQUAL(s.at, 1000000 + 60000);
}

/* out 10 us, back 90 us: off by 40 us, within the 50 us bound */
static void test_cs_asymmetric_paths_stay_within_the_bound(void)
{
	struct pt_cs_echo e = echo_of(5000, 700000, 10000, 3000, 90000);
	struct pt_cs_sample s;

	CU_ASSERT_EQUAL_FATAL(pt_cs_sample(&e, &s), 0);
	CU_ASSERT_EQUAL(s.offset, 700000 - 40000);
	CU_ASSERT_EQUAL(s.bound, 50000);
	CU_ASSERT(llabs(s.offset - 700000) < s.bound);
}

/* All the way out, nothing back: the worst case is still inside */
static void test_cs_one_way_only_is_the_worst_case(void)
{
	struct pt_cs_echo e = echo_of(5000, 700000, 100000, 3000, 0);
	struct pt_cs_sample s;

	CU_ASSERT_EQUAL_FATAL(pt_cs_sample(&e, &s), 0);
	CU_ASSERT_EQUAL(llabs(s.offset - 700000), s.bound);
}

/* B booted after A: its clock is behind, the offset negative */
static void test_cs_target_clock_behind_gives_a_negative_offset(void)
{
	struct pt_cs_echo e = echo_of(90000000000ull, -85000000000ll, 700,
				      300, 700);
	struct pt_cs_sample s;

	CU_ASSERT_EQUAL_FATAL(pt_cs_sample(&e, &s), 0);
	CU_ASSERT_EQUAL(s.offset, -85000000000ll);
	CU_ASSERT_EQUAL(pt_cs_b_to_a(e.t2, s.offset), e.t1 + 700);
	CU_ASSERT_EQUAL(pt_cs_a_to_b(e.t1 + 700, s.offset), e.t2);
}

/* An odd round trip: the middle rounds down, the bound up, still honest */
static void test_cs_odd_round_trip_rounds_the_bound_up(void)
{
	struct pt_cs_echo e = { .t1 = 100, .t2 = 1102, .t3 = 1102, .t4 = 103 };
	struct pt_cs_sample s;

	/* the true offset is in (999, 1002) */
	CU_ASSERT_EQUAL_FATAL(pt_cs_sample(&e, &s), 0);
	CU_ASSERT_EQUAL(s.delay, 3);
	CU_ASSERT_EQUAL(s.offset, 1000);
	CU_ASSERT_EQUAL(s.bound, 2);
	CU_ASSERT(s.offset - s.bound <= 999 && s.offset + s.bound >= 1002);
}

static void test_cs_impossible_echoes_are_refused(void)
{
	struct pt_cs_echo back_in_time = { .t1 = 500, .t2 = 10, .t3 = 20,
					   .t4 = 400 };
	struct pt_cs_echo reply_before_request = { .t1 = 100, .t2 = 50,
						   .t3 = 40, .t4 = 200 };
	struct pt_cs_echo longer_in_target = { .t1 = 100, .t2 = 1000,
					       .t3 = 1200, .t4 = 250 };
	struct pt_cs_sample s;

	CU_ASSERT_EQUAL(pt_cs_sample(&back_in_time, &s), -EINVAL);
	CU_ASSERT_EQUAL(pt_cs_sample(&reply_before_request, &s), -EINVAL);
	CU_ASSERT_EQUAL(pt_cs_sample(&longer_in_target, &s), -EINVAL);
}

/* NTP's clock filter: the echo with the smallest round trip wins */
static void test_cs_estimate_keeps_the_smallest_round_trip(void)
{
	const int64_t off = 123456789;
	struct pt_cs_echo e[5];
	struct pt_cs_estimate est;

	e[0] = echo_of(1000000, off, 900000, 1000, 100000);	/* queued out */
	e[1] = echo_of(2000000, off, 30000, 1000, 40000);	/* the best */
	e[2] = echo_of(3000000, off, 50000, 1000, 400000);	/* queued back */
	e[3] = echo_of(4000000, off, 60000, 1000, 60000);
	e[4] = echo_of(5000000, off, 35000, 1000, 45000);
	CU_ASSERT_EQUAL_FATAL(pt_cs_estimate(e, 5, &est), 0);
	CU_ASSERT_EQUAL(est.best, 1);
	CU_ASSERT_EQUAL(est.used, 5);
	CU_ASSERT_EQUAL(est.offset, off - 5000);
	CU_ASSERT_EQUAL(est.bound, 35000);
	CU_ASSERT(llabs(est.offset - off) < est.bound);
	/* the intersection is tighter, and still holds the truth */
	CU_ASSERT(est.lo < off && off < est.hi);
	CU_ASSERT(est.hi - est.lo <= 2 * est.bound);
}

static void test_cs_estimate_skips_impossible_echoes(void)
{
	struct pt_cs_echo e[3];
	struct pt_cs_estimate est;

	e[0] = (struct pt_cs_echo){ .t1 = 500, .t2 = 10, .t3 = 20, .t4 = 400 };
	e[1] = echo_of(1000, 7777, 20, 5, 20);
	e[2] = (struct pt_cs_echo){ .t1 = 100, .t2 = 50, .t3 = 40, .t4 = 200 };
	CU_ASSERT_EQUAL_FATAL(pt_cs_estimate(e, 3, &est), 0);
	CU_ASSERT_EQUAL(est.used, 1);
	CU_ASSERT_EQUAL(est.best, 1);
	CU_ASSERT_EQUAL(est.offset, 7777);
	CU_ASSERT_EQUAL(pt_cs_estimate(e, 0, &est), -ENOENT);
	CU_ASSERT_EQUAL(pt_cs_estimate(&e[2], 1, &est), -ENOENT);
}

/* A recording longer than the clocks stay together: the intervals part */
static void test_cs_estimate_shows_drift_as_disjoint_intervals(void)
{
	struct pt_cs_echo e[2];
	struct pt_cs_estimate est;

	/* 50 ppm over 100 s is 5 ms; the echoes are 100 us wide */
	e[0] = echo_of(1000000000ull, 0, 50000, 1000, 50000);
	e[1] = echo_of(101000000000ull, 5000000, 50000, 1000, 50000);
	CU_ASSERT_EQUAL_FATAL(pt_cs_estimate(e, 2, &est), 0);
	CU_ASSERT(est.lo >= est.hi);
}

/* Reproducible pseudo-random delays: a small LCG, not rand() */
static uint64_t lcg(uint64_t *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return *state >> 33;
}

/*
 * 20 ppm of drift over 200 s, echoes every 0.2 s with delays from 20 us to
 * about 2 ms, one way or the other: the line finds the drift, and the
 * truth is within the fit's bound all along
 */
static void test_cs_fit_follows_drift(void)
{
	enum { N = 1000 };
	static struct pt_cs_echo e[N];
	const int64_t off0 = -3000000000ll;
	const double ppm = 20e-6;
	uint64_t st = 42, t, out, back;
	struct pt_cs_fit fit;
	int64_t truth;
	int i;

	for (i = 0; i < N; i++) {
		t = 5000000000ull + (uint64_t)i * 200000000ull;
		out = 20000 + lcg(&st) % 2000000;
		back = 20000 + lcg(&st) % 2000000;
		truth = off0 + (int64_t)(ppm * (double)(t - 5000000000ull));
		e[i] = echo_of(t, truth, out, 10000, back);
	}
	CU_ASSERT_EQUAL_FATAL(pt_cs_fit(e, N, 10000000000ull, &fit), 0);
	CU_ASSERT_EQUAL(fit.windows, 20);
	CU_ASSERT(fit.slope > 19e-6 && fit.slope < 21e-6);
	for (i = 0; i < N; i += 37) {
		t = e[i].t1;
		truth = off0 + (int64_t)(ppm * (double)(t - 5000000000ull));
		CU_ASSERT(llabs(pt_cs_fit_offset(&fit, t) - truth) <= fit.bound);
	}
	/*
	 * The best echo of each window, and the line's misses of them: well
	 * under the 2 ms that one queued echo alone could be off by
	 */
	CU_ASSERT(fit.bound < 1000000);
	CU_ASSERT(fit.max_residual < fit.bound);
}

static void test_cs_fit_of_one_window_is_flat(void)
{
	struct pt_cs_echo e[3];
	struct pt_cs_fit fit;

	e[0] = echo_of(1000, 500, 300, 10, 300);
	e[1] = echo_of(2000, 500, 100, 10, 100);
	e[2] = echo_of(3000, 500, 200, 10, 200);
	CU_ASSERT_EQUAL_FATAL(pt_cs_fit(e, 3, 1000000, &fit), 0);
	CU_ASSERT_EQUAL(fit.windows, 1);
	CU_ASSERT_EQUAL(fit.slope, 0);
	CU_ASSERT_EQUAL(fit.offset0, 500);
	CU_ASSERT_EQUAL(fit.bound, 100);
	CU_ASSERT_EQUAL(fit.max_residual, 0);
	CU_ASSERT_EQUAL(pt_cs_fit_offset(&fit, 999999), 500);
}

static void test_cs_fit_refuses_unsorted_echoes_and_empty_windows(void)
{
	struct pt_cs_echo e[2];
	struct pt_cs_fit fit;

	e[0] = echo_of(2000, 0, 10, 1, 10);
	e[1] = echo_of(1000, 0, 10, 1, 10);
	CU_ASSERT_EQUAL(pt_cs_fit(e, 2, 100, &fit), -EINVAL);
	CU_ASSERT_EQUAL(pt_cs_fit(e, 1, 0, &fit), -EINVAL);
	e[0] = (struct pt_cs_echo){ .t1 = 500, .t2 = 10, .t3 = 20, .t4 = 400 };
	CU_ASSERT_EQUAL(pt_cs_fit(e, 1, 100, &fit), -ENOENT);
}

void ut_add_clocksync_suite(void)
{
	CU_pSuite s = CU_add_suite("clocksync", NULL, NULL);

	UT_ADD_TEST(s, test_cs_symmetric_paths_give_the_exact_offset);
	UT_ADD_TEST(s, test_cs_asymmetric_paths_stay_within_the_bound);
	UT_ADD_TEST(s, test_cs_one_way_only_is_the_worst_case);
	UT_ADD_TEST(s, test_cs_target_clock_behind_gives_a_negative_offset);
	UT_ADD_TEST(s, test_cs_odd_round_trip_rounds_the_bound_up);
	UT_ADD_TEST(s, test_cs_impossible_echoes_are_refused);
	UT_ADD_TEST(s, test_cs_estimate_keeps_the_smallest_round_trip);
	UT_ADD_TEST(s, test_cs_estimate_skips_impossible_echoes);
	UT_ADD_TEST(s, test_cs_estimate_shows_drift_as_disjoint_intervals);
	UT_ADD_TEST(s, test_cs_fit_follows_drift);
	UT_ADD_TEST(s, test_cs_fit_of_one_window_is_flat);
	UT_ADD_TEST(s, test_cs_fit_refuses_unsorted_echoes_and_empty_windows);
}
