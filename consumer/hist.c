// SPDX-License-Identifier: GPL-2.0
/*
 * Distributions of durations.  Percentiles are of the values themselves
 * (nearest rank), not of the histogram's buckets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define FIRST_CAP	64

void pt_hist_init(struct pt_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void pt_hist_release(struct pt_hist *h)
{
	free(h->vals);
	pt_hist_init(h);
}

/* The bucket of @v: 0 holds 0 and 1, k holds [2^k, 2^(k+1)) */
unsigned int pt_hist_bucket_of(uint64_t v)
{
	return v < 2 ? 0 : 63 - __builtin_clzll(v);
}

static int keep(struct pt_hist *h, uint64_t v)
{
	uint64_t *p;
	size_t cap;

	if (h->n == h->cap) {
		cap = h->cap ? h->cap * 2 : FIRST_CAP;
		p = realloc(h->vals, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		h->vals = p;
		h->cap = cap;
	}
	h->vals[h->n] = v;
	return 0;
}

void pt_hist_add(struct pt_hist *h, uint64_t v)
{
	if (!h->err && keep(h, v))
		h->err = -ENOMEM;
	if (!h->n || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->sum += v;
	h->bucket[pt_hist_bucket_of(v)]++;
	h->n++;
	h->sorted = 0;
}

uint64_t pt_hist_avg(const struct pt_hist *h)
{
	return h->n ? (uint64_t)(h->sum / h->n) : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The @pct-th percentile, nearest rank; 0 with no values */
uint64_t pt_hist_pct(struct pt_hist *h, unsigned int pct)
{
	size_t n = h->err ? h->cap : h->n;
	size_t rank;

	if (!n || !h->vals)
		return 0;
	if (n > h->n)
		n = h->n;
	if (!h->sorted) {
		qsort(h->vals, n, sizeof(h->vals[0]), cmp_u64);
		h->sorted = 1;
	}
	rank = (n * pct + 99) / 100;
	return h->vals[rank ? rank - 1 : 0];
}
