/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clocksync: the offset between two hosts' trace clocks, estimated from
 * the echoes themselves, as NTP does with its four timestamps.
 *
 * Host A pings host B; both record net:ip_icmp, each on its own clock:
 *
 *	t1  the request leaves A	(A's clock)
 *	t2  the request arrives on B	(B's clock)
 *	t3  the reply leaves B		(B's clock)
 *	t4  the reply arrives on A	(A's clock)
 *
 * With B = A + theta, the one-way delays are out = t2 - t1 - theta and
 * back = t4 - t3 + theta, both positive, so theta lies strictly between
 * t3 - t4 and t2 - t1.  The estimate is the middle of that interval,
 *
 *	offset = ((t2 - t1) + (t3 - t4)) / 2
 *
 * and it is off by (out - back) / 2 at most, that is by less than half
 * the round trip net of the time spent in the target:
 *
 *	bound  = ((t4 - t1) - (t3 - t2)) / 2
 *
 * which holds whatever the asymmetry of the paths.  The echo with the
 * smallest round trip has the smallest bound (NTP's clock filter keeps
 * it; trace-cmd's ptp keeps its fastest probe too).  Over a long
 * recording the clocks drift: pt_cs_fit() draws a least-squares line
 * through the best echo of each window.
 *
 * Pure: no I/O, no allocation.  Times are nanoseconds.  Functions return
 * 0 or a negative errno.
 */
#ifndef PT_CLOCKSYNC_H
#define PT_CLOCKSYNC_H

#include <stddef.h>
#include <stdint.h>

/* One echo's four points; A's clock for t1 and t4, B's for t2 and t3 */
struct pt_cs_echo {
	uint64_t	t1;
	uint64_t	t2;
	uint64_t	t3;
	uint64_t	t4;
};

/* What one echo says of the offset */
struct pt_cs_sample {
	int64_t		offset;		/* B's clock - A's clock */
	int64_t		bound;		/* |true offset - offset| < bound */
	uint64_t	delay;		/* round trip net of the target's time */
	uint64_t	at;		/* A's time of the echo: (t1 + t4) / 2 */
};

/* The offset over a set of echoes */
struct pt_cs_estimate {
	int64_t		offset;		/* that of the best echo */
	int64_t		bound;		/* and its bound */
	uint64_t	at;		/* the best echo's A time */
	size_t		best;		/* its index in the input */
	size_t		used;		/* echoes that could be used */
	/*
	 * Every echo's interval holds the true offset, so their
	 * intersection does too: (lo, hi), when lo < hi.  lo >= hi means
	 * the intervals do not meet: the clocks drifted over the set, or a
	 * timestamp is not what it claims to be.
	 */
	int64_t		lo;
	int64_t		hi;
};

/* The offset as a line over A's time: offset(t) = offset0 + slope * (t - t0) */
struct pt_cs_fit {
	uint64_t	t0;		/* A's time of the first window's best echo */
	int64_t		offset0;
	double		slope;		/* ns of offset per ns of A's time */
	int64_t		bound;		/* max over the windows of bound + |residual| */
	int64_t		max_residual;	/* the line's largest miss of a window's best echo */
	size_t		windows;	/* windows with an echo: the points fitted */
};

/*
 * pt_cs_sample - what one echo says
 * Returns -EINVAL when the echo cannot be: t4 before t1, t3 before t2,
 * or more time in the target than between request and reply on A.
 */
int pt_cs_sample(const struct pt_cs_echo *e, struct pt_cs_sample *s);

/*
 * pt_cs_estimate - the offset from the echo with the smallest round trip
 * Echoes that pt_cs_sample() refuses are skipped.  Returns -ENOENT when
 * none is left.
 */
int pt_cs_estimate(const struct pt_cs_echo *e, size_t n,
		   struct pt_cs_estimate *est);

/*
 * pt_cs_fit - drift: split the echoes (in A's time order) into windows of
 * @window ns of A's time, keep the smallest round trip of each, and fit a
 * line through those.  One window gives a flat line.  Returns -EINVAL for
 * a zero window or echoes out of order, -ENOENT when no echo is usable.
 */
int pt_cs_fit(const struct pt_cs_echo *e, size_t n, uint64_t window,
	      struct pt_cs_fit *fit);

/* The fitted offset at A's time @t */
int64_t pt_cs_fit_offset(const struct pt_cs_fit *fit, uint64_t t);

/* B's time of A's time @t with offset @offset, and back */
static inline uint64_t pt_cs_a_to_b(uint64_t t, int64_t offset)
{
	return t + (uint64_t)offset;
}

static inline uint64_t pt_cs_b_to_a(uint64_t t, int64_t offset)
{
	return t - (uint64_t)offset;
}

#endif /* PT_CLOCKSYNC_H */
