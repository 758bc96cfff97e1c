// SPDX-License-Identifier: GPL-2.0
/*
 * merge: two hosts' events of the same echoes on the first one's clock,
 * the offset estimated from the echoes or taken from trace-cmd's tsync,
 * and the merged echoes' out + target + back; the streams that read the
 * files, and the merged writers.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "cli.h"
#include "merge.h"
#include "output-merge.h"
#include "replay.h"
#include "stream.h"
#include "unit.h"

#define A_IP		"198.51.100.1"
#define B_IP		"198.51.100.2"
#define INIT_NET	4026531840u
/* B's clock = A's + THETA: B booted 0.98 s after A */
#define THETA		(-984526369LL)
#define MS		1000000ULL
#define US		1000ULL

/* One echo A -> B: its four events, t1 on A's clock, @out .. in ns */
struct echo4 {
	struct pt_event	ev[4];		/* A SND, B RCV, B SND, A RCV */
};

static const int echo_host[4] = { 0, 1, 1, 0 };

/* One echo A -> @dst */
static struct echo4 echo_to(const char *dst, uint16_t seq, uint64_t t1,
			    int64_t theta, uint64_t out, uint64_t target,
			    uint64_t back)
{
	uint64_t t2 = t1 + out + (uint64_t)theta;
	struct echo4 e;

	e.ev[0] = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, A_IP, dst, 7, seq, t1);
	e.ev[1] = ut_event(PT_DIR_RECV, PT_ICMP_ECHO, A_IP, dst, 7, seq, t2);
	e.ev[2] = ut_event(PT_DIR_SEND, PT_ICMP_ECHOREPLY, dst, A_IP, 7, seq,
			   t2 + target);
	e.ev[3] = ut_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY, dst, A_IP, 7, seq,
			   t1 + out + target + back);
	return e;
}

static struct echo4 echo_ab(uint16_t seq, uint64_t t1, int64_t theta,
			    uint64_t out, uint64_t target, uint64_t back)
{
	return echo_to(B_IP, seq, t1, theta, out, target, back);
}

/* Echoes of unequal paths: 300/100 us out/back, then 120/80, 90/90 */
static const uint64_t outs[] = { 300 * US, 120 * US, 90 * US, 150 * US };
static const uint64_t backs[] = { 100 * US, 80 * US, 90 * US, 400 * US };
#define NR_ECHOES	4
#define TARGET_NS	(50 * US)

static void echoes(struct echo4 *e, int64_t theta)
{
	int i;

	for (i = 0; i < NR_ECHOES; i++)
		e[i] = echo_ab(i + 1, 5000 * MS + i * 200 * MS, theta, outs[i],
			       TARGET_NS, backs[i]);
}

static void setup(struct pt_merge *m, const struct pt_targets *t)
{
	CU_ASSERT_EQUAL_FATAL(pt_merge_init(m, t), 0);
	CU_ASSERT_EQUAL(pt_merge_add_host(m, "A", "a.dat"), 0);
	CU_ASSERT_EQUAL(pt_merge_add_host(m, "B", "b.dat"), 1);
}

/* Pass 1 as report-merge.c does it: A's file, then B's */
static void points(struct pt_merge *m, const struct echo4 *e, int n,
		   enum pt_merge_times times, int64_t shift)
{
	struct pt_event ev;
	int host, i, j;

	for (host = 0; host < 2; host++)
		for (i = 0; i < n; i++)
			for (j = 0; j < 4; j++) {
				if (echo_host[j] != host)
					continue;
				ev = e[i].ev[j];
				if (host && times == PT_MERGE_TSYNC)
					ev.ts -= shift;
				if (!host && times == PT_MERGE_TSYNC)
					continue;
				pt_merge_point(m, host, &ev, times);
			}
}

/* What the merged pass 2 gave */
#define SEEN_MAX	64

struct seen {
	int			events;
	int			host[4 * NR_ECHOES];
	uint32_t		netns[4 * NR_ECHOES];
	uint64_t		ts[4 * NR_ECHOES];
	int			echoes;
	struct pt_merge_result	r[SEEN_MAX];
	struct pt_echo		echo[SEEN_MAX];
};

static void seen_event(void *data, int host, const struct pt_event *ev,
		       uint32_t netns, const struct pt_merge_result *closed)
{
	struct seen *s = data;

	(void)closed;
	if (s->events == 4 * NR_ECHOES)
		return;
	s->host[s->events] = host;
	s->netns[s->events] = netns;
	s->ts[s->events++] = ev->ts;
}

static void seen_echo(void *data, const struct pt_merge_result *r)
{
	struct seen *s = data;

	if (s->echoes == SEEN_MAX)
		return;
	s->echo[s->echoes] = *r->echo;
	s->r[s->echoes] = *r;
	s->r[s->echoes].echo = &s->echo[s->echoes];
	s->echoes++;
}

/* Pass 2: each echo's events in their order, as the streams give them */
static void merged(struct pt_merge *m, const struct echo4 *e, int n,
		   struct seen *s)
{
	struct pt_merge_ops ops = { seen_event, seen_echo, s };
	struct pt_pair_config cfg;
	int i, j;

	memset(s, 0, sizeof(*s));
	pt_pair_config_default(&cfg);
	CU_ASSERT_EQUAL_FATAL(pt_merge_start(m, &cfg, &ops), 0);
	for (i = 0; i < n; i++)
		for (j = 0; j < 4; j++)
			CU_ASSERT_EQUAL(pt_merge_feed(m, echo_host[j],
						      &e[i].ev[j]), 0);
	pt_merge_finish(m);
}

static int64_t abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

static void test_merge_offset_of_b_is_estimated_within_its_bound(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	struct pt_merge m;
	int bad = -1;

	echoes(e, THETA);
	setup(&m, &t);
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_EQUAL(m.host[0].source, PT_OFFSET_REFERENCE);
	CU_ASSERT_EQUAL(m.host[1].source, PT_OFFSET_ESTIMATED);
	CU_ASSERT_EQUAL(m.host[1].est.used, NR_ECHOES);
	CU_ASSERT_TRUE(m.host[1].est.meet);
	CU_ASSERT_TRUE(abs64(m.host[1].offset - THETA) < m.host[1].bound);
	/* within the best echo's bound, itself within (lo, hi) */
	CU_ASSERT_TRUE(m.host[1].bound <= m.host[1].est.best_bound);
	CU_ASSERT_TRUE(m.host[1].est.lo < m.host[1].offset);
	CU_ASSERT_TRUE(m.host[1].offset < m.host[1].est.hi);
	pt_merge_release(&m);
}

/* The same echoes as clocksync.c sees them: the same interval, best echo */
static void test_merge_estimate_agrees_with_clocksync(void)
{
	struct pt_targets t = { 0 };
	struct pt_cs_echo ce[NR_ECHOES];
	struct echo4 e[NR_ECHOES];
	struct pt_cs_estimate est;
	struct pt_merge m;
	int bad, i;

	echoes(e, THETA);
	for (i = 0; i < NR_ECHOES; i++) {
		ce[i].t1 = e[i].ev[0].ts;
		ce[i].t2 = e[i].ev[1].ts;
		ce[i].t3 = e[i].ev[2].ts;
		ce[i].t4 = e[i].ev[3].ts;
	}
	CU_ASSERT_EQUAL_FATAL(pt_cs_estimate(ce, NR_ECHOES, &est), 0);
	setup(&m, &t);
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_EQUAL(m.host[1].est.lo, est.lo);
	CU_ASSERT_EQUAL(m.host[1].est.hi, est.hi);
	CU_ASSERT_EQUAL(m.host[1].est.best_offset, est.offset);
	CU_ASSERT_EQUAL(m.host[1].est.best_bound, est.bound);
	CU_ASSERT_TRUE(abs64(m.host[1].offset - est.offset) <= est.bound);
	pt_merge_release(&m);
}

static void test_merge_puts_b_on_a_clock_and_labels_hosts(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	struct pt_merge m;
	struct seen s;
	int bad, i;

	echoes(e, THETA);
	setup(&m, &t);
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	merged(&m, e, NR_ECHOES, &s);
	CU_ASSERT_EQUAL_FATAL(s.events, 4 * NR_ECHOES);
	for (i = 0; i < s.events; i++) {
		CU_ASSERT_EQUAL(s.host[i], echo_host[i % 4]);
		/* the host's own netns, not pass 2's folded identity */
		CU_ASSERT_EQUAL(s.netns[i], INIT_NET);
	}
	/* B's request in: its own time less the offset, on A's clock */
	CU_ASSERT_EQUAL(s.ts[1], e[0].ev[1].ts - (uint64_t)m.host[1].offset);
	CU_ASSERT_EQUAL(s.ts[0], e[0].ev[0].ts);
	CU_ASSERT_TRUE(s.ts[0] < s.ts[1] && s.ts[1] < s.ts[2] &&
		       s.ts[2] < s.ts[3]);
	pt_merge_release(&m);
}

/* Both hosts' init_net has one inode number: still two hosts, one echo */
static void test_merge_out_target_back_add_up_to_rtt(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	const struct pt_merge_result *r;
	struct pt_merge m;
	struct seen s;
	int bad, i;

	echoes(e, THETA);
	setup(&m, &t);
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	merged(&m, e, NR_ECHOES, &s);
	CU_ASSERT_EQUAL_FATAL(s.echoes, NR_ECHOES);
	for (i = 0; i < NR_ECHOES; i++) {
		r = &s.r[i];
		CU_ASSERT_EQUAL(r->echo->status, PT_ECHO_OK);
		CU_ASSERT_EQUAL(r->src_host, 0);
		CU_ASSERT_EQUAL(r->dst_host, 1);
		CU_ASSERT_TRUE_FATAL(r->four);
		CU_ASSERT_EQUAL(r->out_ns + r->target_ns + r->back_ns,
				(int64_t)pt_echo_rtt(r->echo));
		CU_ASSERT_EQUAL(pt_echo_rtt(r->echo),
				outs[i] + TARGET_NS + backs[i]);
		CU_ASSERT_EQUAL(r->target_ns, (int64_t)TARGET_NS);
		CU_ASSERT_TRUE(r->out_ns > 0 && r->back_ns > 0);
		CU_ASSERT_TRUE(abs64(r->out_ns - (int64_t)outs[i]) <
			       r->bound_ns);
		CU_ASSERT_EQUAL(r->bound_ns, m.host[1].bound);
	}
	pt_merge_release(&m);
}

/*
 * B's clock runs 50 ppm fast: over 40 s of echoes it gains 2 ms, twenty
 * times any echo's bound, so that no one offset gives every echo
 * positive one-way delays.  The offset becomes a line, and each echo's
 * out and back come out within the line's bound of the truth.
 */
#define DRIFT_ECHOES	40
#define DRIFT_PPM	50

static void test_merge_drift_is_fitted_and_followed(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[DRIFT_ECHOES];
	const struct pt_merge_result *r;
	uint64_t t1, outs_ns[DRIFT_ECHOES];
	char *text = NULL, want[128];
	struct pt_output out;
	struct pt_merge m;
	struct seen s;
	size_t size;
	int64_t theta;
	int bad, i;

	for (i = 0; i < DRIFT_ECHOES; i++) {
		t1 = 5000 * MS + (uint64_t)i * 1000 * MS;
		/* B's clock at the echo's time, drifting */
		theta = THETA + (int64_t)(i * 1000 * MS) * DRIFT_PPM / 1000000;
		outs_ns[i] = 100 * US + (i % 3) * 40 * US;
		e[i] = echo_ab(i + 1, t1, theta, outs_ns[i], TARGET_NS, 90 * US);
	}
	setup(&m, &t);
	points(&m, e, DRIFT_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_FALSE(m.host[1].est.meet);
	CU_ASSERT_TRUE_FATAL(m.host[1].drift);
	CU_ASSERT(m.host[1].fit.windows >= 2);
	CU_ASSERT(abs64(llround(m.host[1].fit.slope * 1e9) -
			DRIFT_PPM * 1000) < 1000);	/* within 1 ppm */
	CU_ASSERT(m.host[1].bound < 200 * (int64_t)US);
	merged(&m, e, DRIFT_ECHOES, &s);
	CU_ASSERT_EQUAL_FATAL(s.echoes, DRIFT_ECHOES);
	for (i = 0; i < DRIFT_ECHOES; i++) {
		r = &s.r[i];
		CU_ASSERT_EQUAL(r->echo->status, PT_ECHO_OK);
		CU_ASSERT_TRUE_FATAL(r->four);
		CU_ASSERT(r->out_ns > 0 && r->back_ns > 0);
		CU_ASSERT_EQUAL(r->out_ns + r->target_ns + r->back_ns,
				(int64_t)pt_echo_rtt(r->echo));
		CU_ASSERT(abs64(r->out_ns - (int64_t)outs_ns[i]) < r->bound_ns);
	}
	/* the summary says so: the slope, where the line starts */
	pt_output_init(&out, open_memstream(&text, &size), PT_FMT_JSON);
	pt_merge_output_summary(&out, &m, pt_pair_stats(m.pair));
	fclose(out.fp);
	snprintf(want, sizeof(want), "\"drift_ppb\":%.0f,\"drift_t0_ns\":%llu",
		 m.host[1].fit.slope * 1e9,
		 (unsigned long long)m.host[1].fit.t0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	free(text);
	pt_merge_release(&m);
}

/* A constant offset that every echo allows is kept: no line */
static void test_merge_no_drift_no_line(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	struct pt_merge m;
	int bad;

	echoes(e, THETA);
	setup(&m, &t);
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_TRUE(m.host[1].est.meet);
	CU_ASSERT_FALSE(m.host[1].drift);
	pt_merge_release(&m);
}

/*
 * Three hosts: A pings B and C, each on its own clock.  Each gets its
 * offset to A from its own echoes, and every echo is merged with its
 * responder's host and out + target + back == rtt.
 */
#define C_IP		"198.51.100.3"
#define THETA_C		(2718281828LL)

static void test_merge_three_hosts(void)
{
	static const char * const ip[3] = { A_IP, B_IP, C_IP };
	const int64_t theta[3] = { 0, THETA, THETA_C };
	struct pt_targets t = { 0 };
	const struct pt_merge_result *r;
	struct echo4 e[2 * NR_ECHOES];
	struct pt_merge m;
	struct seen s;
	int bad, i, j, k, host;

	/* A -> B and A -> C in turn, 100 ms apart */
	for (i = 0; i < 2 * NR_ECHOES; i++) {
		k = 1 + i % 2;
		e[i] = echo_to(ip[k], i + 1, 5000 * MS + i * 100 * MS,
			       theta[k], outs[i / 2], TARGET_NS, backs[i / 2]);
	}
	CU_ASSERT_EQUAL_FATAL(pt_merge_init(&m, &t), 0);
	CU_ASSERT_EQUAL(pt_merge_add_host(&m, "A", "a.dat"), 0);
	CU_ASSERT_EQUAL(pt_merge_add_host(&m, "B", "b.dat"), 1);
	CU_ASSERT_EQUAL(pt_merge_add_host(&m, "C", "c.dat"), 2);
	for (host = 0; host < 3; host++)
		for (i = 0; i < 2 * NR_ECHOES; i++)
			for (j = 0; j < 4; j++) {
				k = echo_host[j] ? 1 + i % 2 : 0;
				if (k == host)
					pt_merge_point(&m, host, &e[i].ev[j],
						       PT_MERGE_RAW);
			}
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	for (k = 1; k < 3; k++) {
		CU_ASSERT_EQUAL(m.host[k].est.used, NR_ECHOES);
		CU_ASSERT(abs64(m.host[k].offset - theta[k]) < m.host[k].bound);
	}
	memset(&s, 0, sizeof(s));
	{
		struct pt_merge_ops ops = { seen_event, seen_echo, &s };
		struct pt_pair_config cfg;

		pt_pair_config_default(&cfg);
		CU_ASSERT_EQUAL_FATAL(pt_merge_start(&m, &cfg, &ops), 0);
		for (i = 0; i < 2 * NR_ECHOES; i++)
			for (j = 0; j < 4; j++)
				CU_ASSERT_EQUAL(pt_merge_feed(&m, echo_host[j] ?
							      1 + i % 2 : 0,
							      &e[i].ev[j]), 0);
		pt_merge_finish(&m);
	}
	CU_ASSERT_EQUAL_FATAL(s.echoes, 2 * NR_ECHOES);
	for (i = 0; i < 2 * NR_ECHOES; i++) {
		r = &s.r[i];
		CU_ASSERT_EQUAL(r->echo->status, PT_ECHO_OK);
		CU_ASSERT_EQUAL(r->src_host, 0);
		CU_ASSERT_EQUAL(r->dst_host, r->echo->seq % 2 ? 1 : 2);
		CU_ASSERT_TRUE_FATAL(r->four);
		CU_ASSERT(r->out_ns > 0 && r->back_ns > 0);
		CU_ASSERT_EQUAL(r->out_ns + r->target_ns + r->back_ns,
				(int64_t)pt_echo_rtt(r->echo));
	}
	pt_merge_release(&m);
}

/* ---- several hosts: offsets chained along the echoes ----------------- */

#define D_IP		"198.51.100.4"
/* an address no file is of: its echoes tie a host to none of the others */
#define STRANGER_IP	"198.51.100.9"
#define THETA_D		(-31415926535LL)
#define MESH_MAX	(4 * NR_ECHOES)

static const char * const mesh_ip[] = { A_IP, B_IP, C_IP, D_IP, STRANGER_IP };
static const int64_t mesh_theta[] = { 0, THETA, THETA_C, THETA_D, 0 };

/* An echo of host @src to host @dst, t1 on the reference's clock */
struct mesh_echo {
	int		src;
	int		dst;
	struct echo4	e;
};

struct mesh {
	struct mesh_echo	echo[MESH_MAX];
	int			n;
};

/* NR_ECHOES echoes @src -> @dst, 200 ms apart, @slow ns more each way */
static void mesh_add(struct mesh *mesh, int src, int dst, uint64_t t1,
		     uint64_t slow)
{
	uint64_t t, t2;
	struct echo4 *e;
	int i;

	for (i = 0; i < NR_ECHOES && mesh->n < MESH_MAX; i++) {
		mesh->echo[mesh->n].src = src;
		mesh->echo[mesh->n].dst = dst;
		e = &mesh->echo[mesh->n++].e;
		t = t1 + i * 200 * MS + (uint64_t)mesh_theta[src];
		t2 = t1 + i * 200 * MS + outs[i] + slow +
		     (uint64_t)mesh_theta[dst];
		e->ev[0] = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, mesh_ip[src],
				    mesh_ip[dst], 7 + src, i + 1, t);
		e->ev[1] = ut_event(PT_DIR_RECV, PT_ICMP_ECHO, mesh_ip[src],
				    mesh_ip[dst], 7 + src, i + 1, t2);
		e->ev[2] = ut_event(PT_DIR_SEND, PT_ICMP_ECHOREPLY,
				    mesh_ip[dst], mesh_ip[src], 7 + src, i + 1,
				    t2 + TARGET_NS);
		e->ev[3] = ut_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY,
				    mesh_ip[dst], mesh_ip[src], 7 + src, i + 1,
				    t + outs[i] + TARGET_NS + backs[i] +
				    2 * slow);
	}
}

/* The host of point @j of echo @me: requester for 0 and 3 */
static int mesh_host(const struct mesh_echo *me, int j)
{
	return echo_host[j] ? me->dst : me->src;
}

/* Hosts A, B, C... (@n of them) and pass 1 of their files, in turn */
static void mesh_points(struct pt_merge *m, const struct mesh *mesh, int n)
{
	static const char * const name[] = { "A", "B", "C", "D" };
	static const char * const path[] = { "a.dat", "b.dat", "c.dat",
					      "d.dat" };
	static const struct pt_targets all = { 0 };
	int host, i, j;

	CU_ASSERT_EQUAL_FATAL(pt_merge_init(m, &all), 0);
	for (host = 0; host < n; host++)
		CU_ASSERT_EQUAL(pt_merge_add_host(m, name[host], path[host]),
				host);
	for (host = 0; host < n; host++)
		for (i = 0; i < mesh->n; i++)
			for (j = 0; j < 4; j++)
				if (mesh_host(&mesh->echo[i], j) == host)
					pt_merge_point(m, host,
						       &mesh->echo[i].e.ev[j],
						       PT_MERGE_RAW);
}

/* Pass 2, each echo's events in their order */
static void mesh_merged(struct pt_merge *m, const struct mesh *mesh,
			struct seen *s)
{
	struct pt_merge_ops ops = { seen_event, seen_echo, s };
	struct pt_pair_config cfg;
	int i, j;

	memset(s, 0, sizeof(*s));
	pt_pair_config_default(&cfg);
	CU_ASSERT_EQUAL_FATAL(pt_merge_start(m, &cfg, &ops), 0);
	for (i = 0; i < mesh->n; i++)
		for (j = 0; j < 4; j++)
			CU_ASSERT_EQUAL(pt_merge_feed(m,
					mesh_host(&mesh->echo[i], j),
					&mesh->echo[i].e.ev[j]), 0);
	pt_merge_finish(m);
}

/* |true - offset| < bound, the offset of host @k as chosen */
static int within_bound(const struct pt_merge *m, int k)
{
	return abs64(m->host[k].offset - mesh_theta[k]) < m->host[k].bound;
}

static void test_merge_c_pinged_only_by_b_is_chained_through_b(void)
{
	const struct pt_merge_edge *bc;
	const struct pt_merge_result *r;
	struct mesh mesh = { .n = 0 };
	struct pt_merge m;
	struct seen s;
	int bad, i;

	mesh_add(&mesh, 0, 1, 5000 * MS, 0);
	mesh_add(&mesh, 1, 2, 5100 * MS, 0);
	mesh_points(&m, &mesh, 3);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_EQUAL(m.host[1].source, PT_OFFSET_ESTIMATED);
	CU_ASSERT_EQUAL(m.host[2].source, PT_OFFSET_CHAINED);
	CU_ASSERT_EQUAL(m.host[2].est.used, 0);
	CU_ASSERT_EQUAL_FATAL(m.host[2].nr_via, 1);
	CU_ASSERT_EQUAL(m.host[2].via[0], 1);
	bc = pt_merge_edge(&m, 2, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bc);
	CU_ASSERT_EQUAL(bc->est.used, NR_ECHOES);
	CU_ASSERT_PTR_NULL(pt_merge_edge(&m, 0, 2));
	/* C - A = (B - A) + (C - B); the bounds add too */
	CU_ASSERT(abs64(pt_merge_edge_offset(&m, 1, 2) -
			(THETA_C - THETA)) < bc->est.bound);
	CU_ASSERT_EQUAL(pt_merge_edge_offset(&m, 2, 1),
			-pt_merge_edge_offset(&m, 1, 2));
	CU_ASSERT_EQUAL(m.host[2].offset,
			m.host[1].offset + pt_merge_edge_offset(&m, 1, 2));
	CU_ASSERT_EQUAL(m.host[2].bound, m.host[1].bound + bc->est.bound);
	CU_ASSERT(within_bound(&m, 1));
	CU_ASSERT(within_bound(&m, 2));
	/* B's echoes to C on A's clock: positive, adding up to the rtt */
	mesh_merged(&m, &mesh, &s);
	CU_ASSERT_EQUAL_FATAL(s.echoes, 2 * NR_ECHOES);
	for (i = 0; i < s.echoes; i++) {
		r = &s.r[i];
		CU_ASSERT_EQUAL(r->echo->status, PT_ECHO_OK);
		CU_ASSERT_TRUE_FATAL(r->four);
		CU_ASSERT(r->out_ns > 0 && r->back_ns > 0);
		CU_ASSERT_EQUAL(r->out_ns + r->target_ns + r->back_ns,
				(int64_t)pt_echo_rtt(r->echo));
		/* B's and C's offsets share the A-B edge: its error cancels */
		if (r->src_host == 1) {
			CU_ASSERT_EQUAL(r->dst_host, 2);
			CU_ASSERT_EQUAL(r->bound_ns, bc->est.bound);
		} else {
			CU_ASSERT_EQUAL(r->bound_ns, m.host[1].bound);
		}
	}
	pt_merge_release(&m);
}

/* A - B - C - D: D's path goes through B and C, in that order */
static void test_merge_chain_of_three_edges_lists_hosts_in_order(void)
{
	struct mesh mesh = { .n = 0 };
	struct pt_merge m;
	int bad;

	mesh_add(&mesh, 0, 1, 5000 * MS, 0);
	mesh_add(&mesh, 2, 1, 5050 * MS, 0);
	mesh_add(&mesh, 2, 3, 5100 * MS, 0);
	mesh_points(&m, &mesh, 4);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_EQUAL(m.host[3].source, PT_OFFSET_CHAINED);
	CU_ASSERT_EQUAL_FATAL(m.host[3].nr_via, 2);
	CU_ASSERT_EQUAL(m.host[3].via[0], 1);
	CU_ASSERT_EQUAL(m.host[3].via[1], 2);
	CU_ASSERT_EQUAL(m.host[3].offset, m.host[1].offset +
			pt_merge_edge_offset(&m, 1, 2) +
			pt_merge_edge_offset(&m, 2, 3));
	CU_ASSERT(within_bound(&m, 2));
	CU_ASSERT(within_bound(&m, 3));
	pt_merge_release(&m);
}

/* B reached through C: the edge C-B walked from C, its offset negated */
static void test_merge_chain_walks_an_edge_either_way(void)
{
	struct mesh mesh = { .n = 0 };
	struct pt_merge m;
	int bad;

	mesh_add(&mesh, 0, 2, 5000 * MS, 0);
	mesh_add(&mesh, 2, 1, 5100 * MS, 0);
	mesh_points(&m, &mesh, 3);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_EQUAL(m.host[2].source, PT_OFFSET_ESTIMATED);
	CU_ASSERT_EQUAL(m.host[1].source, PT_OFFSET_CHAINED);
	CU_ASSERT_EQUAL_FATAL(m.host[1].nr_via, 1);
	CU_ASSERT_EQUAL(m.host[1].via[0], 2);
	CU_ASSERT(within_bound(&m, 1));
	CU_ASSERT(within_bound(&m, 2));
	pt_merge_release(&m);
}

/*
 * A triangle: A's echoes to C are slow (2 ms more each way), so the path
 * through B has the smaller bound; both paths hold the truth, so they
 * agree within the sum of their bounds
 */
static void test_merge_triangle_takes_the_path_of_least_bound(void)
{
	const struct pt_merge_edge *ac;
	struct mesh mesh = { .n = 0 };
	struct pt_merge m;
	int64_t chained, direct;
	int bad;

	mesh_add(&mesh, 0, 1, 5000 * MS, 0);
	mesh_add(&mesh, 0, 2, 5050 * MS, 2 * MS);
	mesh_add(&mesh, 1, 2, 5100 * MS, 0);
	mesh_points(&m, &mesh, 3);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	ac = pt_merge_edge(&m, 0, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ac);
	CU_ASSERT_EQUAL(m.host[2].est.used, NR_ECHOES);
	CU_ASSERT_EQUAL(m.host[2].source, PT_OFFSET_CHAINED);
	CU_ASSERT_EQUAL_FATAL(m.host[2].nr_via, 1);
	CU_ASSERT_EQUAL(m.host[2].via[0], 1);
	CU_ASSERT(m.host[2].bound < ac->est.bound);
	chained = m.host[2].offset;
	direct = ac->est.offset;
	CU_ASSERT(abs64(direct - mesh_theta[2]) < ac->est.bound);
	CU_ASSERT(within_bound(&m, 2));
	CU_ASSERT(abs64(direct - chained) < ac->est.bound + m.host[2].bound);
	pt_merge_release(&m);
}

/* The same triangle with A's echoes to C as fast: the one edge wins */
static void test_merge_triangle_keeps_a_direct_edge_of_less_bound(void)
{
	struct mesh mesh = { .n = 0 };
	struct pt_merge m;
	int64_t via_b;
	int bad;

	mesh_add(&mesh, 0, 1, 5000 * MS, 0);
	mesh_add(&mesh, 0, 2, 5050 * MS, 0);
	mesh_add(&mesh, 1, 2, 5100 * MS, 0);
	mesh_points(&m, &mesh, 3);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_EQUAL(m.host[2].source, PT_OFFSET_ESTIMATED);
	CU_ASSERT_EQUAL(m.host[2].nr_via, 0);
	CU_ASSERT_EQUAL(m.host[2].offset, m.host[2].est.offset);
	CU_ASSERT(within_bound(&m, 2));
	via_b = m.host[1].offset + pt_merge_edge_offset(&m, 1, 2);
	CU_ASSERT(abs64(via_b - m.host[2].offset) <
		  m.host[1].bound + pt_merge_edge(&m, 1, 2)->est.bound +
		  m.host[2].bound);
	pt_merge_release(&m);
}

/*
 * C's echoes are with a host none of the files is of: no path to A.  It
 * is said, never given offset 0; B is still estimated.
 */
static void test_merge_host_with_no_path_to_reference_is_reported(void)
{
	struct mesh mesh = { .n = 0 };
	struct pt_merge m;
	int bad = -1;

	mesh_add(&mesh, 0, 1, 5000 * MS, 0);
	mesh_add(&mesh, 4, 2, 5100 * MS, 0);
	mesh_points(&m, &mesh, 3);
	CU_ASSERT_EQUAL(pt_merge_offsets(&m, &bad), -ENOENT);
	CU_ASSERT_EQUAL(bad, 2);
	CU_ASSERT_EQUAL(m.host[2].source, PT_OFFSET_NONE);
	CU_ASSERT_STRING_EQUAL(pt_offset_source_name(m.host[2].source),
			       "none");
	CU_ASSERT_EQUAL(m.host[1].source, PT_OFFSET_ESTIMATED);
	CU_ASSERT(within_bound(&m, 1));
	CU_ASSERT_PTR_NULL(pt_merge_edge(&m, 1, 2));
	pt_merge_release(&m);
}

/* The summary says where C's offset came from, in JSON and in text */
static void test_merge_output_says_a_chained_offset_and_its_steps(void)
{
	struct mesh mesh = { .n = 0 };
	struct pt_output out;
	char *text = NULL, want[160];
	struct pt_merge m;
	struct seen s;
	size_t size;
	int bad;

	mesh_add(&mesh, 0, 1, 5000 * MS, 0);
	mesh_add(&mesh, 1, 2, 5100 * MS, 0);
	mesh_points(&m, &mesh, 3);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	mesh_merged(&m, &mesh, &s);
	pt_output_init(&out, open_memstream(&text, &size), PT_FMT_JSON);
	pt_merge_output_summary(&out, &m, pt_pair_stats(m.pair));
	fclose(out.fp);
	snprintf(want, sizeof(want), "{\"name\":\"C\",\"file\":\"c.dat\","
		 "\"offset_ns\":%lld,\"offset_source\":\"chained\","
		 "\"offset_bound_ns\":%lld,\"via\":[\"B\"]",
		 (long long)m.host[2].offset, (long long)m.host[2].bound);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	snprintf(want, sizeof(want), "{\"from\":\"B\",\"to\":\"C\","
		 "\"echoes\":%d,\"offset_ns\":%lld,", NR_ECHOES,
		 (long long)pt_merge_edge_offset(&m, 1, 2));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	free(text);
	text = NULL;
	pt_output_init(&out, open_memstream(&text, &size), PT_FMT_TEXT);
	pt_merge_output_summary(&out, &m, pt_pair_stats(m.pair));
	fclose(out.fp);
	snprintf(want, sizeof(want), "clock C - A = %lld ns, bound %lld ns, "
		 "chained via B: B - A = %lld ns (bound %lld) + C - B = ",
		 (long long)m.host[2].offset, (long long)m.host[2].bound,
		 (long long)m.host[1].offset, (long long)m.host[1].bound);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "echoes B-C: C - B = "));
	free(text);
	pt_merge_release(&m);
}

static void test_merge_no_echo_in_common_is_an_error(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES], other[NR_ECHOES];
	struct pt_merge m;
	int bad = -1, i;

	echoes(e, THETA);
	echoes(other, THETA);
	setup(&m, &t);
	/* A's side of its echoes; B's side of echoes of another id */
	for (i = 0; i < NR_ECHOES; i++) {
		pt_merge_point(&m, 0, &e[i].ev[0], PT_MERGE_RAW);
		pt_merge_point(&m, 0, &e[i].ev[3], PT_MERGE_RAW);
		other[i].ev[1].icmp_id = 8;
		other[i].ev[2].icmp_id = 8;
		pt_merge_point(&m, 1, &other[i].ev[1], PT_MERGE_RAW);
		pt_merge_point(&m, 1, &other[i].ev[2], PT_MERGE_RAW);
	}
	CU_ASSERT_EQUAL(pt_merge_offsets(&m, &bad), -ENOENT);
	CU_ASSERT_EQUAL(bad, 1);
	CU_ASSERT_EQUAL(m.host[1].est.used, 0);
	pt_merge_release(&m);
}

/* B pings A: the echoes give A - B, and B - A is its negation */
static void test_merge_echoes_the_other_way_give_the_same_offset(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	struct pt_merge m;
	int bad, i, j;

	/* an echo B -> A, times on B's clock for B, A's for A */
	echoes(e, -THETA);
	setup(&m, &t);
	for (i = 0; i < NR_ECHOES; i++)
		for (j = 0; j < 4; j++)
			pt_merge_point(&m, 1 - echo_host[j], &e[i].ev[j],
				       PT_MERGE_RAW);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_EQUAL(m.host[1].est.used, NR_ECHOES);
	CU_ASSERT_TRUE(abs64(m.host[1].offset - THETA) < m.host[1].bound);
	pt_merge_release(&m);
}

/*
 * trace-cmd 3.1.6's ptp offset was 13.4 ms off on the bench: every
 * request in B before it left A.  The estimate is used, in the open.
 */
static void test_merge_tsync_outside_the_interval_is_not_used(void)
{
	const int64_t wrong = THETA + 13400 * (int64_t)US;
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	char text[512], num[32];
	struct pt_merge m;
	int bad;

	echoes(e, THETA);
	setup(&m, &t);
	m.host[1].has_tsync = 1;
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	points(&m, e, NR_ECHOES, PT_MERGE_TSYNC, wrong);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_TRUE(m.host[1].tsync_rejected);
	CU_ASSERT_EQUAL(m.host[1].source, PT_OFFSET_ESTIMATED);
	CU_ASSERT_EQUAL(m.host[1].est.tsync_offset, wrong);
	CU_ASSERT_EQUAL(m.host[1].est.tsync_bad, NR_ECHOES);
	CU_ASSERT_TRUE(abs64(m.host[1].offset - THETA) < m.host[1].bound);
	CU_ASSERT_FALSE(pt_merge_reads_tsync(&m, 1));
	/* the warning names the host, and has both numbers */
	CU_ASSERT_TRUE(pt_merge_tsync_warning(&m.host[1], text,
					      sizeof(text)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "host B ('b.dat')"));
	snprintf(num, sizeof(num), "%lld ns", (long long)wrong);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, num));
	snprintf(num, sizeof(num), "estimate %lld ns",
		 (long long)m.host[1].offset);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, num));
	pt_merge_release(&m);
}

/* A tsync offset every echo allows is used, and B is read shifted */
static void test_merge_tsync_inside_the_interval_is_used(void)
{
	const int64_t good = THETA + 20 * (int64_t)US;
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	struct pt_merge m;
	int bad;

	echoes(e, THETA);
	setup(&m, &t);
	m.host[1].has_tsync = 1;
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	points(&m, e, NR_ECHOES, PT_MERGE_TSYNC, good);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	CU_ASSERT_FALSE(m.host[1].tsync_rejected);
	CU_ASSERT_EQUAL(m.host[1].source, PT_OFFSET_TSYNC);
	CU_ASSERT_EQUAL(m.host[1].offset, good);
	CU_ASSERT_EQUAL(m.host[1].bound, m.host[1].est.hi - m.host[1].est.lo);
	CU_ASSERT_TRUE(pt_merge_reads_tsync(&m, 1));
	/* read shifted: its times are A's already */
	CU_ASSERT_EQUAL(pt_merge_time(&m, 1, 12345), 12345);
	pt_merge_release(&m);
}

/* A request B saw and answered, whose reply never reached A */
static void test_merge_lost_reply_says_it_left_the_target(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	struct pt_merge m;
	struct pt_output out;
	char *text = NULL;
	size_t size;
	struct seen s;
	int bad, i;

	echoes(e, THETA);
	setup(&m, &t);
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	e[NR_ECHOES - 1].ev[3].icmp_seq = 99;	/* not its reply */
	merged(&m, e, NR_ECHOES, &s);
	/* three answered, the reply of another seq, the lost one */
	CU_ASSERT_EQUAL_FATAL(s.echoes, NR_ECHOES + 1);
	for (i = 0; i < s.echoes; i++)
		if (s.r[i].echo->seq == NR_ECHOES)
			break;
	CU_ASSERT_FATAL(i < s.echoes);
	CU_ASSERT_EQUAL(s.r[i].echo->status, PT_ECHO_LOST);
	CU_ASSERT_EQUAL(s.r[i].dst_host, 1);
	pt_output_init(&out, open_memstream(&text, &size), PT_FMT_TEXT);
	pt_merge_output_echo(&out, &m, &s.r[i]);
	fclose(out.fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "A LOST"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "the reply left B and never came "
				      "back"));
	free(text);
	pt_merge_release(&m);
}

/*
 * B begins tracing after A sent echo 1 (trace-cmd's agent enables its
 * tracing after the host starts the command): echo 1 has no times of
 * B's, and B counts it as sent before its start; the others do not
 * count, nor does A, whose first event is echo 1's request.
 */
static void test_merge_echo_sent_before_a_host_starts_is_counted(void)
{
	struct pt_targets t = { 0 };
	struct pt_merge_ops ops;
	struct pt_pair_config cfg;
	struct echo4 e[NR_ECHOES];
	struct pt_output out;
	struct pt_merge m;
	char *text = NULL;
	struct seen s;
	size_t size;
	int bad, i, j;

	echoes(e, THETA);
	setup(&m, &t);
	/* pass 1: echo 1 on A only */
	pt_merge_point(&m, 0, &e[0].ev[0], PT_MERGE_RAW);
	pt_merge_point(&m, 0, &e[0].ev[3], PT_MERGE_RAW);
	points(&m, e + 1, NR_ECHOES - 1, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	memset(&s, 0, sizeof(s));
	ops = (struct pt_merge_ops){ seen_event, seen_echo, &s };
	pt_pair_config_default(&cfg);
	CU_ASSERT_EQUAL_FATAL(pt_merge_start(&m, &cfg, &ops), 0);
	for (i = 0; i < NR_ECHOES; i++)
		for (j = 0; j < 4; j++)
			if (i || !echo_host[j])
				CU_ASSERT_EQUAL(pt_merge_feed(&m, echo_host[j],
							      &e[i].ev[j]), 0);
	pt_merge_finish(&m);
	CU_ASSERT_EQUAL_FATAL(s.echoes, NR_ECHOES);
	CU_ASSERT_EQUAL(s.r[0].echo->seq, 1);
	CU_ASSERT_FALSE(s.r[0].four);
	CU_ASSERT_TRUE(s.r[1].four);
	CU_ASSERT_EQUAL(m.host[1].before_start, 1);
	CU_ASSERT_EQUAL(m.host[0].before_start, 0);
	CU_ASSERT_TRUE(m.host[1].started);
	CU_ASSERT_TRUE(abs64((int64_t)(m.host[1].first_ns -
				       (e[1].ev[0].ts + outs[1]))) <
		       m.host[1].bound);
	pt_output_init(&out, open_memstream(&text, &size), PT_FMT_JSON);
	pt_merge_output_summary(&out, &m, pt_pair_stats(m.pair));
	fclose(out.fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"offset_bound_ns\":0,"
				      "\"echoes_before_start\":0}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"echoes_before_start\":1}]"));
	free(text);
	pt_merge_release(&m);

	/* all of B's events: nothing before its start */
	setup(&m, &t);
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	merged(&m, e, NR_ECHOES, &s);
	CU_ASSERT_EQUAL(m.host[1].before_start, 0);
	CU_ASSERT_EQUAL(m.host[0].before_start, 0);
	pt_merge_release(&m);
}

static void test_merge_oneway_text_rounds_to_the_bound(void)
{
	char buf[64];

	pt_oneway_text(buf, sizeof(buf), 4400368, 445080);
	CU_ASSERT_STRING_EQUAL(buf, "4.4±0.5");
	pt_oneway_text(buf, sizeof(buf), 1113653, 455762);
	CU_ASSERT_STRING_EQUAL(buf, "1.1±0.5");
	pt_oneway_text(buf, sizeof(buf), 123456, 0);
	CU_ASSERT_STRING_EQUAL(buf, "0.123456");
	pt_oneway_text(buf, sizeof(buf), 250123, 3500);
	CU_ASSERT_STRING_EQUAL(buf, "0.250±0.004");
	pt_oneway_text(buf, sizeof(buf), -12600000, 13400000);
	CU_ASSERT_STRING_EQUAL(buf, "-10±20");
	pt_oneway_text(buf, sizeof(buf), 7, 1);
	CU_ASSERT_STRING_EQUAL(buf, "0.000007±0.000001");
}

static void test_merge_output_json_summary_has_offset_source_bound(void)
{
	struct pt_targets t = { 0 };
	struct echo4 e[NR_ECHOES];
	struct pt_merge m;
	struct pt_output out;
	char *text = NULL, want[128];
	size_t size;
	struct seen s;
	int bad;

	echoes(e, THETA);
	setup(&m, &t);
	points(&m, e, NR_ECHOES, PT_MERGE_RAW, 0);
	CU_ASSERT_EQUAL_FATAL(pt_merge_offsets(&m, &bad), 0);
	merged(&m, e, NR_ECHOES, &s);
	pt_output_init(&out, open_memstream(&text, &size), PT_FMT_JSON);
	pt_merge_output_echo(&out, &m, &s.r[0]);
	pt_merge_output_summary(&out, &m, pt_pair_stats(m.pair));
	fclose(out.fp);
	snprintf(want, sizeof(want), "\"out_ns\":%lld,\"target_ns\":%llu,"
		 "\"back_ns\":%lld,\"oneway_bound_ns\":%lld",
		 (long long)s.r[0].out_ns, TARGET_NS,
		 (long long)s.r[0].back_ns, (long long)m.host[1].bound);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"src_host\":\"A\",\"dst_host\":"
				      "\"B\""));
	snprintf(want, sizeof(want), "\"offset_ns\":%lld,\"offset_source\":"
		 "\"estimated\",\"offset_bound_ns\":%lld",
		 (long long)m.host[1].offset, (long long)m.host[1].bound);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"host\":\"B\",\"dir\":\"RCV\""));
	free(text);
	pt_merge_release(&m);
}

static void test_merge_parse_input_names_a_host(void)
{
	struct pt_input in;

	CU_ASSERT_EQUAL(pt_parse_input("B=x.dat", &in), 0);
	CU_ASSERT_STRING_EQUAL(in.name, "B");
	CU_ASSERT_STRING_EQUAL(in.path, "x.dat");
	CU_ASSERT_EQUAL(pt_parse_input("guest-2=/tmp/a=b.dat", &in), 0);
	CU_ASSERT_STRING_EQUAL(in.name, "guest-2");
	CU_ASSERT_STRING_EQUAL(in.path, "/tmp/a=b.dat");
	CU_ASSERT_EQUAL(pt_parse_input("./a=b.dat", &in), 0);
	CU_ASSERT_STRING_EQUAL(in.name, "");
	CU_ASSERT_STRING_EQUAL(in.path, "./a=b.dat");
	CU_ASSERT_EQUAL(pt_parse_input("trace.dat", &in), 0);
	CU_ASSERT_STRING_EQUAL(in.name, "");
	CU_ASSERT_EQUAL(pt_parse_input("B=", &in), -EINVAL);
}

static void test_merge_cli_takes_several_inputs(void)
{
	char *argv[] = { "report", "-i", "a.dat", "-i", "B=b.dat", NULL };
	struct pt_opts opts;
	char err[128];

	memset(&opts, 0, sizeof(opts));
	CU_ASSERT_EQUAL(pt_parse_args(&opts, 5, argv, err, sizeof(err)),
			PT_ARGS_OK);
	CU_ASSERT_EQUAL(opts.nr_inputs, 2);
	CU_ASSERT_STRING_EQUAL(opts.input, "a.dat");
	CU_ASSERT_STRING_EQUAL(opts.inputs[1].path, "b.dat");
	CU_ASSERT_STRING_EQUAL(opts.inputs[1].name, "B");
}

/* The child's stream gives the events pt_replay_file() finds */
static void test_merge_stream_reads_every_event(void)
{
	const char *path = PT_UNIT_DATA "/synthetic-v7.dat";
	struct pt_targets t = { 0 };
	struct pt_replay_info info;
	struct pt_pair_config cfg;
	struct pt_output out;
	struct pt_stream s;
	char *text = NULL;
	size_t size;

	pt_pair_config_default(&cfg);
	pt_output_init(&out, open_memstream(&text, &size), PT_FMT_JSON);
	CU_ASSERT_EQUAL(pt_replay_file(path, &t, &cfg, &out, &info),
			PT_REPLAY_OK);
	fclose(out.fp);
	free(text);
	CU_ASSERT_EQUAL_FATAL(pt_stream_open(&s, path, PT_STREAM_RAW),
			      PT_REPLAY_OK);
	while (pt_stream_next(&s))
		;
	pt_stream_close(&s);
	CU_ASSERT_EQUAL(s.status, PT_REPLAY_OK);
	CU_ASSERT_TRUE(info.nr_events > 0);
	CU_ASSERT_EQUAL(s.nr_events, info.nr_events);
	CU_ASSERT_FALSE(s.has_tsync);
}

static void test_merge_stream_of_a_missing_file_cannot_open(void)
{
	struct pt_stream s;

	CU_ASSERT_EQUAL(pt_stream_open(&s, "/nonexistent/b.dat",
				       PT_STREAM_RAW), PT_REPLAY_CANNOT_OPEN);
	CU_ASSERT_EQUAL(s.info.err, -ENOENT);
	CU_ASSERT_EQUAL(pt_stream_next(&s), 0);
	pt_stream_close(&s);
}

/* A file libtracecmd crashes on is an error of that file, not our crash */
static void test_merge_stream_of_a_file_libtracecmd_dies_on(void)
{
	struct pt_stream s;

	CU_ASSERT_EQUAL(pt_stream_open(&s, PT_FIXTURES "/../fuzz/regressions/"
				       "tracefile/lib-tracecmd-close-null-cpu-"
				       "data.dat", PT_STREAM_RAW),
			PT_REPLAY_LIB_FAILED);
	CU_ASSERT_EQUAL(pt_stream_next(&s), 0);
	pt_stream_close(&s);
}

void ut_add_merge_suite(void)
{
	CU_pSuite s = CU_add_suite("merge", NULL, NULL);

	UT_ADD_TEST(s, test_merge_offset_of_b_is_estimated_within_its_bound);
	UT_ADD_TEST(s, test_merge_estimate_agrees_with_clocksync);
	UT_ADD_TEST(s, test_merge_puts_b_on_a_clock_and_labels_hosts);
	UT_ADD_TEST(s, test_merge_out_target_back_add_up_to_rtt);
	UT_ADD_TEST(s, test_merge_no_echo_in_common_is_an_error);
	UT_ADD_TEST(s, test_merge_drift_is_fitted_and_followed);
	UT_ADD_TEST(s, test_merge_no_drift_no_line);
	UT_ADD_TEST(s, test_merge_three_hosts);
	UT_ADD_TEST(s, test_merge_c_pinged_only_by_b_is_chained_through_b);
	UT_ADD_TEST(s, test_merge_chain_of_three_edges_lists_hosts_in_order);
	UT_ADD_TEST(s, test_merge_chain_walks_an_edge_either_way);
	UT_ADD_TEST(s, test_merge_triangle_takes_the_path_of_least_bound);
	UT_ADD_TEST(s, test_merge_triangle_keeps_a_direct_edge_of_less_bound);
	UT_ADD_TEST(s, test_merge_host_with_no_path_to_reference_is_reported);
	UT_ADD_TEST(s, test_merge_output_says_a_chained_offset_and_its_steps);
	UT_ADD_TEST(s, test_merge_echoes_the_other_way_give_the_same_offset);
	UT_ADD_TEST(s, test_merge_tsync_outside_the_interval_is_not_used);
	UT_ADD_TEST(s, test_merge_tsync_inside_the_interval_is_used);
	UT_ADD_TEST(s, test_merge_lost_reply_says_it_left_the_target);
	UT_ADD_TEST(s, test_merge_echo_sent_before_a_host_starts_is_counted);
	UT_ADD_TEST(s, test_merge_oneway_text_rounds_to_the_bound);
	UT_ADD_TEST(s, test_merge_output_json_summary_has_offset_source_bound);
	UT_ADD_TEST(s, test_merge_parse_input_names_a_host);
	UT_ADD_TEST(s, test_merge_cli_takes_several_inputs);
	UT_ADD_TEST(s, test_merge_stream_reads_every_event);
	UT_ADD_TEST(s, test_merge_stream_of_a_missing_file_cannot_open);
	UT_ADD_TEST(s, test_merge_stream_of_a_file_libtracecmd_dies_on);
}
