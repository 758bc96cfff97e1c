// SPDX-License-Identifier: GPL-2.0
/*
 * clocksync: the offset between two hosts' clocks from the four points of
 * each echo (see clocksync.h for the arithmetic and its bound).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "clocksync.h"

/*
 * The true offset lies in (t3 - t4, t2 - t1), an interval as wide as the
 * round trip net of the target's time.  Its middle, rounded down, is off
 * by at most the larger half: the bound rounds up.
 */
int pt_cs_sample(const struct pt_cs_echo *e, struct pt_cs_sample *s)
{
	uint64_t rtt, target;

	if (e->t4 < e->t1 || e->t3 < e->t2)
		return -EINVAL;
	rtt = e->t4 - e->t1;
	target = e->t3 - e->t2;
	if (target > rtt)
		return -EINVAL;
	s->delay = rtt - target;
	s->offset = (int64_t)(e->t3 - e->t4) + (int64_t)(s->delay / 2);
	s->bound = (int64_t)(s->delay - s->delay / 2);
	s->at = e->t1 + rtt / 2;
	return 0;
}

int pt_cs_estimate(const struct pt_cs_echo *e, size_t n,
		   struct pt_cs_estimate *est)
{
	struct pt_cs_sample s, best = { 0 };
	size_t i;

	est->used = 0;
	for (i = 0; i < n; i++) {
		if (pt_cs_sample(&e[i], &s))
			continue;
		if (!est->used || s.offset - s.bound > est->lo)
			est->lo = s.offset - s.bound;
		if (!est->used || s.offset + s.bound < est->hi)
			est->hi = s.offset + s.bound;
		if (!est->used || s.delay < best.delay) {
			best = s;
			est->best = i;
		}
		est->used++;
	}
	if (!est->used)
		return -ENOENT;
	est->offset = best.offset;
	est->bound = best.bound;
	est->at = best.at;
	return 0;
}

/* Walking the echoes one window of A's time at a time */
struct window_walk {
	const struct pt_cs_echo	*e;
	size_t			n;
	size_t			i;		/* next echo to look at */
	uint64_t		base;		/* t1 of the first usable echo */
	uint64_t		window;
	int			started;
};

/*
 * The best echo of the next window that has a usable one, in @s.
 * Returns 1 when found, 0 at the end.
 */
static int next_window(struct window_walk *w, struct pt_cs_sample *s)
{
	struct pt_cs_sample cur;
	uint64_t idx = 0;
	int found = 0;

	for (; w->i < w->n; w->i++) {
		const struct pt_cs_echo *e = &w->e[w->i];

		if (pt_cs_sample(e, &cur))
			continue;
		if (!w->started) {
			w->base = e->t1;
			w->started = 1;
		}
		if (!found) {
			idx = (e->t1 - w->base) / w->window;
			*s = cur;
			found = 1;
			continue;
		}
		if ((e->t1 - w->base) / w->window != idx)
			break;
		if (cur.delay < s->delay)
			*s = cur;
	}
	return found;
}

static void walk_start(struct window_walk *w, const struct pt_cs_echo *e,
		       size_t n, uint64_t window)
{
	w->e = e;
	w->n = n;
	w->i = 0;
	w->base = 0;
	w->window = window;
	w->started = 0;
}

static int in_order(const struct pt_cs_echo *e, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (e[i].t1 < e[i - 1].t1)
			return 0;
	return 1;
}

/* Sums of the centred least-squares line through the windows' best echoes */
struct line_sums {
	double	mx, my;			/* means of x = at - t0, y = offset - y0 */
	double	sxx, sxy;
	size_t	n;
};

static void line_means(struct window_walk *w, uint64_t t0, int64_t y0,
		       struct line_sums *l)
{
	struct pt_cs_sample s;

	l->mx = l->my = 0;
	l->n = 0;
	while (next_window(w, &s)) {
		l->mx += (double)(int64_t)(s.at - t0);
		l->my += (double)(s.offset - y0);
		l->n++;
	}
	l->mx /= (double)l->n;
	l->my /= (double)l->n;
}

static void line_spread(struct window_walk *w, uint64_t t0, int64_t y0,
			struct line_sums *l)
{
	struct pt_cs_sample s;
	double dx;

	l->sxx = l->sxy = 0;
	while (next_window(w, &s)) {
		dx = (double)(int64_t)(s.at - t0) - l->mx;
		l->sxx += dx * dx;
		l->sxy += dx * ((double)(s.offset - y0) - l->my);
	}
}

static void line_bound(struct window_walk *w, struct pt_cs_fit *fit)
{
	struct pt_cs_sample s;
	int64_t res;

	fit->bound = 0;
	fit->max_residual = 0;
	while (next_window(w, &s)) {
		res = llabs(s.offset - pt_cs_fit_offset(fit, s.at));
		if (res > fit->max_residual)
			fit->max_residual = res;
		if (s.bound + res > fit->bound)
			fit->bound = s.bound + res;
	}
}

int pt_cs_fit(const struct pt_cs_echo *e, size_t n, uint64_t window,
	      struct pt_cs_fit *fit)
{
	struct pt_cs_sample first;
	struct window_walk w;
	struct line_sums l;

	if (!window || !in_order(e, n))
		return -EINVAL;
	walk_start(&w, e, n, window);
	if (!next_window(&w, &first))
		return -ENOENT;
	fit->t0 = first.at;

	walk_start(&w, e, n, window);
	line_means(&w, fit->t0, first.offset, &l);
	walk_start(&w, e, n, window);
	line_spread(&w, fit->t0, first.offset, &l);
	fit->windows = l.n;
	fit->slope = l.sxx > 0 ? l.sxy / l.sxx : 0;
	fit->offset0 = first.offset + llround(l.my - fit->slope * l.mx);

	walk_start(&w, e, n, window);
	line_bound(&w, fit);
	return 0;
}

int64_t pt_cs_fit_offset(const struct pt_cs_fit *fit, uint64_t t)
{
	return fit->offset0 + llround(fit->slope * (double)(int64_t)(t - fit->t0));
}
