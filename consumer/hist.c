// SPDX-License-Identifier: GPL-2.0
/*
 * Distributions of durations.  Percentiles are of the values themselves
 * (nearest rank), not of the log2 histogram's buckets; past
 * PT_HIST_EXACT values, of finer log-linear buckets (hist.h).
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
	free(h->fine);
	pt_hist_init(h);
}

/* The bucket of @v: 0 holds 0 and 1, k holds [2^k, 2^(k+1)) */
unsigned int pt_hist_bucket_of(uint64_t v)
{
	return v < 2 ? 0 : 63 - __builtin_clzll(v);
}

/* The log-linear bucket of @v, and the lowest value and width of one */
static unsigned int fine_of(uint64_t v)
{
	unsigned int k;

	if (v < PT_HIST_SUB)
		return (unsigned int)v;
	k = pt_hist_bucket_of(v);
	return PT_HIST_SUB * (k - PT_HIST_SUB_BITS + 1) +
	       (unsigned int)((v >> (k - PT_HIST_SUB_BITS)) & (PT_HIST_SUB - 1));
}

static uint64_t fine_low(unsigned int i, uint64_t *width)
{
	unsigned int k;

	if (i < PT_HIST_SUB) {
		*width = 1;
		return i;
	}
	k = i / PT_HIST_SUB + PT_HIST_SUB_BITS - 1;
	*width = 1ULL << (k - PT_HIST_SUB_BITS);
	return 1ULL << k | (uint64_t)(i % PT_HIST_SUB) << (k - PT_HIST_SUB_BITS);
}

/* Past PT_HIST_EXACT values: the kept ones into buckets, and freed */
static int go_fine(struct pt_hist *h)
{
	size_t i;

	h->fine = calloc(PT_HIST_FINE, sizeof(*h->fine));
	if (!h->fine)
		return -ENOMEM;
	for (i = 0; i < h->n; i++)
		h->fine[fine_of(h->vals[i])]++;
	free(h->vals);
	h->vals = NULL;
	h->cap = 0;
	return 0;
}

static int keep(struct pt_hist *h, uint64_t v)
{
	uint64_t *p;
	size_t cap;

	if (!h->fine && h->n == PT_HIST_EXACT && go_fine(h))
		return -ENOMEM;
	if (h->fine) {
		h->fine[fine_of(v)]++;
		return 0;
	}
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

/* The midpoint of the bucket of the @rank-th value, within min and max */
static uint64_t fine_pct(const struct pt_hist *h, uint64_t rank)
{
	uint64_t seen = 0, low, width, mid;
	unsigned int i;

	for (i = 0; i < PT_HIST_FINE; i++) {
		seen += h->fine[i];
		if (seen >= rank)
			break;
	}
	if (i == PT_HIST_FINE)
		return h->max;
	low = fine_low(i, &width);
	mid = low + width / 2;
	if (mid < h->min)
		return h->min;
	return mid > h->max ? h->max : mid;
}

/*
 * The @pct-th percentile, nearest rank; 0 with no values.  Of the values
 * while there are at most PT_HIST_EXACT, else within 1/(2 * PT_HIST_SUB)
 */
uint64_t pt_hist_pct(struct pt_hist *h, unsigned int pct)
{
	size_t n = h->err ? h->cap : h->n;
	size_t rank;

	if (h->fine && !h->err) {
		rank = (h->n * pct + 99) / 100;
		return h->n ? fine_pct(h, rank ? rank : 1) : 0;
	}
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
