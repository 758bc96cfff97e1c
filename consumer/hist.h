/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A distribution of durations: min, avg, max, percentiles and a log2
 * histogram in the style of bcc's biolatency.  No I/O.  The first
 * PT_HIST_EXACT values are kept (8 bytes each) for exact percentiles;
 * past that they go into log-linear buckets (PT_HIST_SUB per power of
 * two, the first PT_HIST_SUB values one each), whose midpoint is within
 * 1/(2 * PT_HIST_SUB) of any value in it: memory stays bounded however
 * long a live session runs.
 */
#ifndef PT_HIST_H
#define PT_HIST_H

#include <stddef.h>
#include <stdint.h>

#define PT_HIST_BUCKETS		64
#define PT_HIST_EXACT		16384
#define PT_HIST_SUB_BITS	5
#define PT_HIST_SUB		(1u << PT_HIST_SUB_BITS)
/* values below PT_HIST_SUB, then PT_HIST_SUB for each power of two */
#define PT_HIST_FINE		(PT_HIST_SUB * (PT_HIST_BUCKETS - PT_HIST_SUB_BITS + 1))

struct pt_hist {
	uint64_t	bucket[PT_HIST_BUCKETS];	/* [2^k, 2^(k+1)) */
	uint64_t	n;
	uint64_t	min;
	uint64_t	max;
	unsigned __int128 sum;
	uint64_t	*vals;		/* NULL once fine is used */
	size_t		cap;
	uint64_t	*fine;		/* [PT_HIST_FINE], past PT_HIST_EXACT */
	int		sorted;
	int		err;		/* -ENOMEM: percentiles incomplete */
};

void pt_hist_init(struct pt_hist *h);
void pt_hist_release(struct pt_hist *h);
void pt_hist_add(struct pt_hist *h, uint64_t v);
uint64_t pt_hist_avg(const struct pt_hist *h);
uint64_t pt_hist_pct(struct pt_hist *h, unsigned int pct);
unsigned int pt_hist_bucket_of(uint64_t v);
/* 1: the percentiles are of the values; 0: of log-linear buckets */
static inline int pt_hist_exact(const struct pt_hist *h)
{
	return !h->fine;
}

#endif /* PT_HIST_H */
