/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A distribution of durations: min, avg, max, percentiles and a log2
 * histogram in the style of bcc's biolatency.  No I/O; the values are
 * kept (8 bytes each) for the percentiles.
 */
#ifndef PT_HIST_H
#define PT_HIST_H

#include <stddef.h>
#include <stdint.h>

#define PT_HIST_BUCKETS		64

struct pt_hist {
	uint64_t	bucket[PT_HIST_BUCKETS];	/* [2^k, 2^(k+1)) */
	uint64_t	n;
	uint64_t	min;
	uint64_t	max;
	unsigned __int128 sum;
	uint64_t	*vals;
	size_t		cap;
	int		sorted;
	int		err;		/* -ENOMEM: percentiles incomplete */
};

void pt_hist_init(struct pt_hist *h);
void pt_hist_release(struct pt_hist *h);
void pt_hist_add(struct pt_hist *h, uint64_t v);
uint64_t pt_hist_avg(const struct pt_hist *h);
uint64_t pt_hist_pct(struct pt_hist *h, unsigned int pct);
unsigned int pt_hist_bucket_of(uint64_t v);

#endif /* PT_HIST_H */
