// SPDX-License-Identifier: GPL-2.0
/*
 * table: lookups stay right while the bucket array grows under them.
 */
#include <CUnit/CUnit.h>

#include "table.h"
#include "unit.h"

static struct pt_key key(uint32_t n)
{
	struct pt_key k = { { n, n * 7, 0xc6336401u, 1 } };

	return k;
}

/* From 256 buckets up: every entry found, in age order */
static void test_table_grows_and_finds_all(void)
{
	struct pt_table t;
	struct pt_key k;
	uint32_t i, idx;

	CU_ASSERT_EQUAL_FATAL(pt_table_init(&t, 5000, sizeof(uint32_t)), 0);
	CU_ASSERT_EQUAL(t.mask, 255);
	for (i = 0; i < 5000; i++) {
		k = key(i);
		idx = pt_table_insert(&t, &k);
		CU_ASSERT_NOT_EQUAL_FATAL(idx, PT_TABLE_NIL);
		*(uint32_t *)pt_table_data(&t, idx) = i;
	}
	/* no more entries than half the buckets: all 16384 allocated */
	CU_ASSERT_EQUAL(t.mask, 16383);
	CU_ASSERT_EQUAL(t.max_mask, 16383);
	CU_ASSERT(pt_table_full(&t));
	k = key(5000);
	CU_ASSERT_EQUAL(pt_table_insert(&t, &k), PT_TABLE_NIL);
	for (i = 0; i < 5000; i++) {
		k = key(i);
		idx = pt_table_find(&t, &k);
		CU_ASSERT_NOT_EQUAL_FATAL(idx, PT_TABLE_NIL);
		CU_ASSERT_EQUAL(*(uint32_t *)pt_table_data(&t, idx), i);
	}
	/* the oldest first, as inserted */
	for (i = 0; i < 5000; i += 2) {
		idx = pt_table_oldest(&t);
		CU_ASSERT_EQUAL(*(uint32_t *)pt_table_data(&t, idx), i);
		pt_table_remove(&t, idx);
		idx = pt_table_oldest(&t);
		pt_table_remove(&t, idx);
	}
	CU_ASSERT_EQUAL(t.used, 0);
	pt_table_release(&t);
}

/* Removing entries from chains rehashed by a growth */
static void test_table_remove_after_growth(void)
{
	struct pt_table t;
	struct pt_key k;
	uint32_t i;

	CU_ASSERT_EQUAL_FATAL(pt_table_init(&t, 1024, 0), 0);
	for (i = 0; i < 1000; i++) {
		k = key(i);
		pt_table_insert(&t, &k);
	}
	for (i = 0; i < 1000; i += 3) {
		k = key(i);
		pt_table_remove(&t, pt_table_find(&t, &k));
	}
	for (i = 0; i < 1000; i++) {
		k = key(i);
		CU_ASSERT_EQUAL(pt_table_find(&t, &k) == PT_TABLE_NIL,
				i % 3 == 0);
	}
	pt_table_release(&t);
}

/*
 * A small table, full and emptied in a random order many times: each
 * removal moves back the entries probed past it (linear probing), and
 * every key is found exactly while it is in, wherever its probe wraps
 */
#define CHURN_KEYS	24
#define CHURN_ROUNDS	20000

static void test_table_churn_finds_exactly_what_is_in(void)
{
	uint32_t slot[CHURN_KEYS], i, n, idx;
	unsigned int seed = 1;
	struct pt_table t;
	struct pt_key k;
	int in[CHURN_KEYS] = { 0 };

	CU_ASSERT_EQUAL_FATAL(pt_table_init(&t, 16, 0), 0);
	for (n = 0; n < CHURN_ROUNDS; n++) {
		seed = seed * 1103515245u + 12345u;
		i = (seed >> 16) % CHURN_KEYS;
		k = key(i);
		if (in[i]) {
			pt_table_remove(&t, slot[i]);
			in[i] = 0;
		} else if (!pt_table_full(&t)) {
			slot[i] = pt_table_insert(&t, &k);
			CU_ASSERT_NOT_EQUAL_FATAL(slot[i], PT_TABLE_NIL);
			in[i] = 1;
		}
		for (i = 0; i < CHURN_KEYS; i++) {
			k = key(i);
			idx = pt_table_find(&t, &k);
			CU_ASSERT_EQUAL_FATAL(idx, in[i] ? slot[i] : PT_TABLE_NIL);
		}
	}
	pt_table_release(&t);
}

void ut_add_table_suite(void)
{
	CU_pSuite s = CU_add_suite("table", NULL, NULL);

	UT_ADD_TEST(s, test_table_grows_and_finds_all);
	UT_ADD_TEST(s, test_table_remove_after_growth);
	UT_ADD_TEST(s, test_table_churn_finds_exactly_what_is_in);
}
