// SPDX-License-Identifier: GPL-2.0
/*
 * merge: several hosts' recordings on the reference host's clock (see
 * merge.h for the two passes).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"

/*
 * A drift line is fitted through the best echo of each of this many
 * windows of the recording, each at least DRIFT_MIN_WINDOW_NS long
 */
#define DRIFT_WINDOWS		8
#define DRIFT_MIN_WINDOW_NS	1000000000ULL

/* The four points of an echo, in the order the echo passes them */
enum {
	P_REQ_OUT,	/* t1, on the requester */
	P_REQ_IN,	/* t2, on the responder */
	P_REP_OUT,	/* t3, on the responder */
	P_REP_IN,	/* t4, on the requester */
	P_POINTS,
};

struct points {
	uint64_t	t[P_POINTS];	/* the host's own clock */
	uint64_t	s[P_POINTS];	/* as trace-cmd's time shift has it */
	int8_t		host[P_POINTS];	/* -1: not seen */
	uint8_t		have_s;		/* bit i: s[i] */
};

static struct pt_key echo_key(const struct pt_addr *src,
			      const struct pt_addr *dst,
			      uint16_t id, uint16_t seq)
{
	struct pt_key key;

	memset(&key, 0, sizeof(key));
	memcpy(&key.w[0], src->w, sizeof(src->w));
	memcpy(&key.w[4], dst->w, sizeof(dst->w));
	key.w[8] = (uint32_t)id << 16 | seq;
	key.w[9] = src->family;
	return key;
}

int pt_merge_init(struct pt_merge *m, const struct pt_targets *targets)
{
	memset(m, 0, sizeof(*m));
	m->targets = targets;
	return pt_table_init(&m->points, PT_MERGE_MAX_ECHOES,
			     sizeof(struct points));
}

void pt_merge_release(struct pt_merge *m)
{
	pt_table_release(&m->points);
	pt_pair_free(m->pair);
	m->pair = NULL;
}

/* Returns the host's index, or -E2BIG past PT_MERGE_MAX_HOSTS */
int pt_merge_add_host(struct pt_merge *m, const char *name,
		      const char *path)
{
	struct pt_merge_host *h;

	if (m->nr_hosts == PT_MERGE_MAX_HOSTS)
		return -E2BIG;
	h = &m->host[m->nr_hosts];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->path = path;
	h->source = m->nr_hosts ? PT_OFFSET_ESTIMATED : PT_OFFSET_REFERENCE;
	return m->nr_hosts++;
}

const char *pt_offset_source_name(enum pt_offset_source source)
{
	switch (source) {
	case PT_OFFSET_REFERENCE:
		return "reference";
	case PT_OFFSET_TSYNC:
		return "tsync";
	case PT_OFFSET_CHAINED:
		return "chained";
	case PT_OFFSET_NONE:
		return "none";
	default:
		return "estimated";
	}
}

/* Which point of its echo @ev is, or -1 when it is none */
static int point_of(const struct pt_event *ev)
{
	if (pt_event_is_request(ev))
		return ev->dir == PT_DIR_SEND ? P_REQ_OUT : P_REQ_IN;
	if (pt_event_is_reply(ev))
		return ev->dir == PT_DIR_SEND ? P_REP_OUT : P_REP_IN;
	return -1;
}

static struct points *new_points(struct pt_merge *m, const struct pt_key *key)
{
	struct points *p;
	uint32_t idx;

	if (pt_table_full(&m->points)) {
		m->points_dropped++;
		return NULL;
	}
	idx = pt_table_insert(&m->points, key);
	p = pt_table_data(&m->points, idx);
	memset(p, 0, sizeof(*p));
	memset(p->host, -1, sizeof(p->host));
	return p;
}

/*
 * The first time each point is seen is the echo's: a request sent on
 * from a router of the same host, or a duplicate, is not.  The raw read
 * of a file comes first; its tsync read only adds the shifted times of
 * the points it gave.
 */
void pt_merge_point(struct pt_merge *m, int host, const struct pt_event *ev,
		    enum pt_merge_times times)
{
	int i = point_of(ev);
	struct pt_key key;
	struct points *p;
	uint32_t idx;

	if (i < 0)
		return;
	if (i == P_REQ_OUT || i == P_REQ_IN)
		key = echo_key(&ev->saddr, &ev->daddr, ev->icmp_id,
			       ev->icmp_seq);
	else
		key = echo_key(&ev->daddr, &ev->saddr, ev->icmp_id,
			       ev->icmp_seq);
	idx = pt_table_find(&m->points, &key);
	if (idx != PT_TABLE_NIL)
		p = pt_table_data(&m->points, idx);
	else if (times == PT_MERGE_RAW)
		p = new_points(m, &key);
	else
		return;
	if (!p)
		return;
	if (times == PT_MERGE_RAW && p->host[i] < 0) {
		p->host[i] = host;
		p->t[i] = ev->ts;
	} else if (times == PT_MERGE_TSYNC && p->host[i] == host &&
		   !(p->have_s & 1u << i)) {
		p->s[i] = ev->ts;
		p->have_s |= 1u << i;
	}
}

/*
 * An echo between hosts @x and @y, seen at all four points: x pings y,
 * or (*reverse) y pings x
 */
static int echo_between(const struct points *p, int x, int y, int *reverse)
{
	int i;

	for (i = 0; i < P_POINTS; i++)
		if (p->host[i] < 0)
			return 0;
	if (p->host[P_REQ_OUT] != p->host[P_REP_IN] ||
	    p->host[P_REQ_IN] != p->host[P_REP_OUT])
		return 0;
	*reverse = p->host[P_REQ_OUT] == y;
	if (*reverse)
		return p->host[P_REQ_IN] == x;
	return p->host[P_REQ_OUT] == x && p->host[P_REQ_IN] == y;
}

/* What trace-cmd's shift makes of the echo: 1 when it fits */
static int tsync_fits(const struct points *p, int reverse, int64_t *offset)
{
	int64_t out, back;

	if (!reverse) {
		out = (int64_t)(p->s[P_REQ_IN] - p->t[P_REQ_OUT]);
		back = (int64_t)(p->t[P_REP_IN] - p->s[P_REP_OUT]);
		*offset = (int64_t)(p->t[P_REQ_IN] - p->s[P_REQ_IN]);
	} else {
		out = (int64_t)(p->t[P_REQ_IN] - p->s[P_REQ_OUT]);
		back = (int64_t)(p->s[P_REP_IN] - p->t[P_REP_OUT]);
		*offset = (int64_t)(p->t[P_REQ_OUT] - p->s[P_REQ_OUT]);
	}
	return out > 0 && back > 0;
}

static unsigned int host_bits(const struct points *p, int k)
{
	unsigned int bits = 0;
	int i;

	for (i = 0; i < P_POINTS; i++)
		if (p->host[i] == k)
			bits |= 1u << i;
	return bits;
}

static void tsync_add(struct pt_merge_estimate *est, const struct points *p,
		      int k, int reverse, int best)
{
	unsigned int need = host_bits(p, k);
	int64_t offset;

	if ((p->have_s & need) != need)
		return;
	if (!tsync_fits(p, reverse, &offset))
		est->tsync_bad++;
	if (!est->tsync_used || offset < est->tsync_min)
		est->tsync_min = offset;
	if (!est->tsync_used || offset > est->tsync_max)
		est->tsync_max = offset;
	if (best || !est->tsync_used)
		est->tsync_offset = offset;
	est->tsync_used++;
}

/*
 * One echo's interval of host y's offset to x.  An echo the other way
 * round (y pings x) gives x's offset to y: negated.
 */
static int echo_sample(const struct points *p, int reverse,
		       struct pt_cs_sample *s)
{
	struct pt_cs_echo e = {
		.t1 = p->t[P_REQ_OUT], .t2 = p->t[P_REQ_IN],
		.t3 = p->t[P_REP_OUT], .t4 = p->t[P_REP_IN],
	};

	if (pt_cs_sample(&e, s))
		return -EINVAL;
	if (reverse)
		s->offset = -s->offset;
	return 0;
}

/* @tsync: the reference's edge to @k, whose tsync is weighed too */
static void estimate_add(struct pt_merge_estimate *est,
			 const struct points *p, int k, int reverse, int tsync)
{
	struct pt_cs_sample s;
	int best;

	if (echo_sample(p, reverse, &s))
		return;
	if (!est->used || s.offset - s.bound > est->lo)
		est->lo = s.offset - s.bound;
	if (!est->used || s.offset + s.bound < est->hi)
		est->hi = s.offset + s.bound;
	best = !est->used || s.bound < est->best_bound;
	if (best) {
		est->best_offset = s.offset;
		est->best_bound = s.bound;
	}
	est->used++;
	if (tsync)
		tsync_add(est, p, k, reverse, best);
}

/*
 * What the echoes between @x and @y say of y's clock - x's.  Their
 * offset: the middle of what every echo allows, (lo, hi), which puts
 * every one-way delay above zero and is within the best echo's bound;
 * the best echo's alone when the intervals do not meet (the clocks
 * drifted over the recording)
 */
static void estimate(struct pt_merge *m, int x, int y,
		     struct pt_merge_estimate *est)
{
	const struct pt_table *t = &m->points;
	const struct points *p;
	uint32_t idx;
	int reverse;

	memset(est, 0, sizeof(*est));
	for (idx = t->oldest; idx != PT_TABLE_NIL; idx = t->nodes[idx].newer) {
		p = pt_table_data(t, idx);
		if (echo_between(p, x, y, &reverse))
			estimate_add(est, p, y, reverse, !x);
	}
	est->meet = est->used && est->lo < est->hi;
	if (est->meet) {
		est->offset = est->lo + (est->hi - est->lo) / 2;
		est->bound = est->hi - est->offset;
	} else {
		est->offset = est->best_offset;
		est->bound = est->best_bound;
	}
}

/* The reference's edge to @h alone: the echoes', or trace-cmd's tsync */
static void choose(struct pt_merge_host *h)
{
	struct pt_merge_estimate *est = &h->est;

	h->source = PT_OFFSET_ESTIMATED;
	h->offset = est->offset;
	h->bound = est->bound;
	if (!h->has_tsync || !est->tsync_used)
		return;
	if (est->tsync_bad || est->tsync_used != est->used) {
		h->tsync_rejected = 1;
		return;
	}
	/* both in (lo, hi): apart by less than its width */
	h->source = PT_OFFSET_TSYNC;
	h->offset = est->tsync_offset;
	h->bound = est->meet ? est->hi - est->lo : 2 * est->best_bound;
}

static int cmp_t1(const void *a, const void *b)
{
	const struct pt_cs_echo *x = a, *y = b;

	return (x->t1 > y->t1) - (x->t1 < y->t1);
}

/* 1 when the line gives each of the @n echoes positive one-way delays */
static int line_fits(const struct pt_cs_fit *fit, const struct pt_cs_echo *e,
		     size_t n)
{
	int64_t off;
	size_t i;

	for (i = 0; i < n; i++) {
		off = pt_cs_fit_offset(fit, e[i].t1 + (e[i].t4 - e[i].t1) / 2);
		if ((int64_t)(e[i].t2 - e[i].t1) - off <= 0 ||
		    (int64_t)(e[i].t4 - e[i].t3) + off <= 0)
			return 0;
	}
	return 1;
}

/*
 * The echoes of the reference to @k (the other way round are left out),
 * in the reference's time order, and a line through the best of each
 * window.  0 with h->drift set, or -ENOENT (too few, too short, or no
 * line fits every echo), -ENOMEM.
 */
static int fit_drift(struct pt_merge *m, int k, struct pt_merge_host *h)
{
	const struct pt_table *t = &m->points;
	struct pt_cs_sample s;
	const struct points *p;
	struct pt_cs_echo *e;
	uint64_t window;
	size_t n = 0;
	uint32_t idx;
	int reverse, ret = -ENOENT;

	e = malloc(h->est.used * sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (idx = t->oldest; idx != PT_TABLE_NIL; idx = t->nodes[idx].newer) {
		p = pt_table_data(t, idx);
		if (!echo_between(p, 0, k, &reverse) || reverse ||
		    n == h->est.used)
			continue;
		e[n] = (struct pt_cs_echo){ p->t[P_REQ_OUT], p->t[P_REQ_IN],
					    p->t[P_REP_OUT], p->t[P_REP_IN] };
		if (!pt_cs_sample(&e[n], &s))
			n++;
	}
	if (n < 2)
		goto out;
	qsort(e, n, sizeof(*e), cmp_t1);
	window = (e[n - 1].t1 - e[0].t1) / DRIFT_WINDOWS;
	if (window < DRIFT_MIN_WINDOW_NS)
		goto out;
	if (pt_cs_fit(e, n, window, &h->fit) || h->fit.windows < 2 ||
	    !line_fits(&h->fit, e, n))
		goto out;
	h->drift = 1;
	h->offset = h->fit.offset0;
	h->bound = h->fit.bound;
	ret = 0;
out:
	free(e);
	return ret;
}

/* Host @k's offset as its echoes with the reference give it alone */
static int direct(struct pt_merge *m, int k)
{
	struct pt_merge_host *h = &m->host[k];

	estimate(m, 0, k, &h->est);
	m->edge[0][k].est = h->est;
	h->drift = 0;
	h->nr_via = 0;
	h->tsync_rejected = 0;
	if (!h->est.used) {
		h->source = PT_OFFSET_NONE;
		return 0;
	}
	choose(h);
	if (h->source == PT_OFFSET_ESTIMATED && !h->est.meet)
		return fit_drift(m, k, h) == -ENOMEM ? -ENOMEM : 0;
	return 0;
}

const struct pt_merge_edge *pt_merge_edge(const struct pt_merge *m, int x,
					  int y)
{
	const struct pt_merge_edge *e;

	if (x == y || x < 0 || y < 0 || x >= m->nr_hosts ||
	    y >= m->nr_hosts)
		return NULL;
	e = x < y ? &m->edge[x][y] : &m->edge[y][x];
	return e->est.used ? e : NULL;
}

/* The offset of y rel x is minus that of x rel y */
int64_t pt_merge_edge_offset(const struct pt_merge *m, int x, int y)
{
	return x < y ? m->edge[x][y].est.offset : -m->edge[y][x].est.offset;
}

int pt_merge_hop(const struct pt_merge *m, int x, int y, int64_t *offset,
		 int64_t *bound)
{
	const struct pt_merge_host *h;
	const struct pt_merge_edge *e;

	if (x && y) {
		e = pt_merge_edge(m, x, y);
		if (!e)
			return -ENOENT;
		*offset = pt_merge_edge_offset(m, x, y);
		*bound = e->est.bound;
		return 0;
	}
	h = &m->host[x ? x : y];
	if (x == y || !h->est.used)
		return -ENOENT;
	*offset = h->drift ? h->est.offset : h->offset;
	*bound = h->drift ? h->est.bound : h->bound;
	if (x)
		*offset = -*offset;
	return 0;
}

/* The host nearest the reference of those not done; -1: none left */
static int nearest(const int64_t *dist, const int *done, int n)
{
	int i, best = -1;

	for (i = 0; i < n; i++)
		if (!done[i] && dist[i] >= 0 &&
		    (best < 0 || dist[i] < dist[best]))
			best = i;
	return best;
}

/* Host @k on the path that @prev gives, of @offset and @bound in all */
static void set_chained(struct pt_merge_host *h, const int *prev, int k,
			int64_t offset, int64_t bound)
{
	int i, x, n = 0;

	for (x = prev[k]; x > 0; x = prev[x])
		n++;
	h->nr_via = n;
	for (i = n - 1, x = prev[k]; x > 0; x = prev[x])
		h->via[i--] = x;
	h->source = PT_OFFSET_CHAINED;
	h->offset = offset;
	h->bound = bound;
	h->drift = 0;
	h->tsync_rejected = 0;
}

/*
 * Dijkstra's paths of least total bound from the reference.  Bounds are
 * not negative, so the first time a host is nearest its path is final;
 * on equal bounds the path found first, of fewer edges, stays.
 */
static int chain(struct pt_merge *m, int *bad)
{
	int64_t dist[PT_MERGE_MAX_HOSTS], off[PT_MERGE_MAX_HOSTS], o, b;
	int prev[PT_MERGE_MAX_HOSTS], done[PT_MERGE_MAX_HOSTS] = { 0 };
	int n = m->nr_hosts, x, y;

	for (y = 0; y < n; y++) {
		dist[y] = y ? -1 : 0;
		off[y] = 0;
		prev[y] = -1;
	}
	while ((x = nearest(dist, done, n)) >= 0) {
		done[x] = 1;
		for (y = 0; y < n; y++) {
			if (done[y] || pt_merge_hop(m, x, y, &o, &b))
				continue;
			if (dist[y] >= 0 && dist[x] + b >= dist[y])
				continue;
			dist[y] = dist[x] + b;
			off[y] = off[x] + o;
			prev[y] = x;
		}
	}
	*bad = -1;
	for (y = 1; y < n; y++) {
		if (dist[y] < 0) {
			m->host[y].source = PT_OFFSET_NONE;
			if (*bad < 0)
				*bad = y;
		} else if (prev[y] != 0) {
			set_chained(&m->host[y], prev, y, off[y], dist[y]);
		}
	}
	return *bad < 0 ? 0 : -ENOENT;
}

int pt_merge_offsets(struct pt_merge *m, int *bad)
{
	int x, y, ret;

	for (y = 1; y < m->nr_hosts; y++) {
		ret = direct(m, y);
		if (ret)
			return ret;
	}
	for (x = 1; x < m->nr_hosts; x++)
		for (y = x + 1; y < m->nr_hosts; y++)
			estimate(m, x, y, &m->edge[x][y].est);
	return chain(m, bad);
}

int pt_merge_tsync_warning(const struct pt_merge_host *h, char *buf,
			   size_t size)
{
	const struct pt_merge_estimate *est = &h->est;

	if (!est->tsync_bad)
		return snprintf(buf, size, "host %s ('%s'): trace-cmd's tsync "
				"offset %" PRId64 " ns is of %zu of the %zu "
				"echoes only; using the echoes' estimate %"
				PRId64 " ns (bound %" PRId64 " ns) instead",
				h->name, h->path ? h->path : "",
				est->tsync_offset, est->tsync_used, est->used,
				est->offset, est->bound);
	return snprintf(buf, size, "host %s ('%s'): trace-cmd's tsync offset "
			"%" PRId64 " ns (%" PRId64 "..%" PRId64 " over the "
			"echoes) makes a one-way delay of %zu of %zu echoes "
			"zero or negative: it lies outside %" PRId64 "..%"
			PRId64 " ns, the interval every echo allows; using the "
			"echoes' estimate %" PRId64 " ns (bound %" PRId64
			" ns) instead", h->name, h->path ? h->path : "",
			est->tsync_offset, est->tsync_min, est->tsync_max,
			est->tsync_bad, est->tsync_used, est->lo, est->hi,
			est->offset, est->bound);
}

/* ---- pass 2 ---------------------------------------------------------- */

int pt_merge_reads_tsync(const struct pt_merge *m, int host)
{
	return host > 0 && host < m->nr_hosts &&
	       m->host[host].source == PT_OFFSET_TSYNC;
}

uint64_t pt_merge_time(const struct pt_merge *m, int host, uint64_t ts)
{
	int64_t offset;

	if (host <= 0 || pt_merge_reads_tsync(m, host))
		return ts;
	offset = m->host[host].offset;
	/* the line is over the reference's time: what ts is there, twice */
	if (m->host[host].drift) {
		offset = pt_cs_fit_offset(&m->host[host].fit,
					  pt_cs_b_to_a(ts, offset));
		offset = pt_cs_fit_offset(&m->host[host].fit,
					  pt_cs_b_to_a(ts, offset));
	}
	/* before the reference's time 0: the earliest there is */
	if (offset > 0 && ts < (uint64_t)offset)
		return 0;
	return pt_cs_b_to_a(ts, offset);
}

/* The netns identity of pass 2: 1 + index of (host, netns) */
static int fold_netns(struct pt_merge *m, int host, uint32_t netns)
{
	int i;

	for (i = 0; i < m->nr_netns; i++)
		if (m->netns[i].host == host && m->netns[i].netns == netns)
			return i + 1;
	if (m->nr_netns == PT_MERGE_MAX_NETNS)
		return -ENOSPC;
	m->netns[m->nr_netns].host = host;
	m->netns[m->nr_netns].netns = netns;
	return ++m->nr_netns;
}

static const struct pt_merge_netns *unfold(const struct pt_merge *m,
					   uint32_t id)
{
	static const struct pt_merge_netns none = { -1, 0 };

	if (!id || id > (uint32_t)m->nr_netns)
		return &none;
	return &m->netns[id - 1];
}

static int64_t host_bound(const struct pt_merge *m, int host)
{
	return host > 0 ? m->host[host].bound : 0;
}

/* The @i-th host of @k's path from the reference (via[], then k); -1 */
static int path_host(const struct pt_merge *m, int k, int i)
{
	const struct pt_merge_host *h = &m->host[k];

	if (k <= 0)
		return -1;
	if (i < h->nr_via)
		return h->via[i];
	return i == h->nr_via ? k : -1;
}

/*
 * The bound of @y's offset - @x's, the error of a one-way delay between
 * them: each host's bound, less twice the part of their paths they
 * share, whose error cancels (C chained via B: B-C's bound alone).  A
 * drifting host's line is not its path's first step: nothing cancels.
 */
static int64_t pair_bound(const struct pt_merge *m, int x, int y)
{
	int64_t common = 0, offset, bound;
	int i, prev = 0, px;

	for (i = 0; (px = path_host(m, x, i)) >= 0 &&
		    px == path_host(m, y, i); i++) {
		if (m->host[px].drift ||
		    pt_merge_hop(m, prev, px, &offset, &bound))
			return host_bound(m, x) + host_bound(m, y);
		common += bound;
		prev = px;
	}
	return host_bound(m, x) + host_bound(m, y) - 2 * common;
}

static void result_of(const struct pt_merge *m, const struct pt_echo *e,
		      struct pt_merge_result *r)
{
	unsigned int four = PT_HAVE_SEND | PT_HAVE_RECV |
			    PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND;
	const struct pt_merge_netns *src = unfold(m, e->netns);
	const struct pt_merge_netns *dst = unfold(m, 0);

	memset(r, 0, sizeof(*r));
	r->echo = e;
	if (e->have & (PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND))
		dst = unfold(m, e->target_netns);
	r->src_host = src->host;
	r->src_netns = src->netns;
	r->dst_host = dst->host;
	r->dst_netns = dst->netns;
	r->four = (e->have & four) == four;
	if (!r->four)
		return;
	r->out_ns = (int64_t)(e->target_recv_ns - e->send_ns);
	r->target_ns = (int64_t)(e->target_send_ns - e->target_recv_ns);
	r->back_ns = (int64_t)(e->recv_ns - e->target_send_ns);
	if (r->src_host != r->dst_host)
		r->bound_ns = pair_bound(m, r->src_host, r->dst_host);
}

/*
 * An echo sent with no responder's times, before another host's first
 * event: that host may have seen it untraced.  Pass 2 is in time order,
 * so a host not started yet starts after the echo was sent.
 */
static void count_before_start(struct pt_merge *m,
			       const struct pt_merge_result *r)
{
	const struct pt_echo *e = r->echo;
	struct pt_merge_host *h;
	int k;

	if (!(e->have & PT_HAVE_SEND) ||
	    (e->have & (PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND)))
		return;
	for (k = 0; k < m->nr_hosts; k++) {
		h = &m->host[k];
		if (k != r->src_host && (!h->started || e->send_ns < h->first_ns))
			h->before_start++;
	}
}

static void host_started(struct pt_merge *m, int host, uint64_t ts)
{
	struct pt_merge_host *h = &m->host[host];

	if (h->started)
		return;
	h->started = 1;
	h->first_ns = ts;
}

static void on_echo(const struct pt_echo *echo, void *data)
{
	struct pt_merge *m = data;
	struct pt_merge_result r;

	/* closed by the event being fed: written after its line */
	if (echo->have & (PT_HAVE_RECV | PT_HAVE_ERROR)) {
		m->closed = *echo;
		m->have_closed = 1;
		return;
	}
	result_of(m, echo, &r);
	count_before_start(m, &r);
	m->ops.echo(m->ops.data, &r);
}

int pt_merge_start(struct pt_merge *m, const struct pt_pair_config *cfg,
		   const struct pt_merge_ops *ops)
{
	int k;

	for (k = 0; k < m->nr_hosts; k++) {
		m->host[k].started = 0;
		m->host[k].before_start = 0;
	}
	m->ops = *ops;
	m->pair = pt_pair_new(cfg, on_echo, m);
	return m->pair ? 0 : -ENOMEM;
}

/* Returns 0, or -ENOSPC past PT_MERGE_MAX_NETNS namespaces */
int pt_merge_feed(struct pt_merge *m, int host, const struct pt_event *ev)
{
	struct pt_merge_result r;
	struct pt_event e = *ev;
	int id = fold_netns(m, host, ev->netns);

	if (id < 0)
		return id;
	e.ts = pt_merge_time(m, host, ev->ts);
	e.netns = id;
	host_started(m, host, e.ts);
	pt_pair_expire(m->pair, e.ts);
	if (!pt_targets_match(m->targets, &e))
		return 0;
	if (!m->all && pt_event_is_nd_mld(&e))
		return 0;
	m->nr_events++;
	m->have_closed = 0;
	pt_pair_feed(m->pair, &e);
	if (!m->have_closed) {
		m->ops.event(m->ops.data, host, &e, ev->netns, NULL);
		return 0;
	}
	result_of(m, &m->closed, &r);
	count_before_start(m, &r);
	m->ops.event(m->ops.data, host, &e, ev->netns, &r);
	m->ops.echo(m->ops.data, &r);
	m->have_closed = 0;
	return 0;
}

void pt_merge_lost(struct pt_merge *m, int host, uint64_t ts,
		   long long count)
{
	uint64_t t = pt_merge_time(m, host, ts);

	host_started(m, host, t);
	pt_pair_events_lost(m->pair, t, count);
}

void pt_merge_finish(struct pt_merge *m)
{
	pt_pair_finish(m->pair);
}
