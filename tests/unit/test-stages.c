// SPDX-License-Identifier: GPL-2.0
/*
 * stages: net:ip_icmp joined with the device, softirq, syscall and
 * scheduler events, as the session feeds them: each net:ip_icmp event
 * to the joins, then to pairing, whose decided echoes wait in stages.c
 * for their task stages.  And the distributions of hist.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "hist.h"
#include "output-svg.h"
#include "output.h"
#include "pair.h"
#include "stages.h"
#include "unit.h"

#define A	"198.51.100.1"
#define B	"198.51.100.2"
#define C	"198.51.100.3"
#define PID	4321
#define SKB_TX	0xffff888004a1b200ULL	/* the request, sent */
#define SKB_RX	0xffff888004a1c300ULL	/* built by the target's driver */
#define SKB_TX2	0xffff888004a1d400ULL	/* the reply, sent */
#define SKB_RX2	0xffff888004a1e500ULL	/* built by our driver */
#define MAX_OUT	8

struct bench {
	struct pt_pair		*pair;
	struct pt_stages	st;
	int			n;
	struct pt_echo		echo[MAX_OUT];
	struct pt_stage_result	res[MAX_OUT];
};

static void on_stages(const struct pt_echo *e,
		      const struct pt_stage_result *res, void *data)
{
	struct bench *b = data;

	if (b->n == MAX_OUT)
		return;
	b->echo[b->n] = *e;
	b->res[b->n++] = *res;
}

static void on_echo(const struct pt_echo *e, void *data)
{
	struct bench *b = data;

	pt_stages_echo(&b->st, e);
}

static void bench_init(struct bench *b)
{
	struct pt_pair_config cfg;

	memset(b, 0, sizeof(*b));
	pt_pair_config_default(&cfg);
	b->pair = pt_pair_new(&cfg, on_echo, b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b->pair);
	CU_ASSERT_EQUAL_FATAL(pt_stages_init(&b->st, on_stages, b), 0);
	b->st.wait_task = 1;
	b->st.have_sched = 1;
}

static void bench_end(struct bench *b)
{
	pt_pair_finish(b->pair);
	pt_stages_flush(&b->st, 1);
}

static void bench_release(struct bench *b)
{
	pt_pair_free(b->pair);
	pt_stages_release(&b->st);
}

/* A net:ip_icmp event, as the session feeds it */
static void icmp(struct bench *b, int dir, int type, const char *dst,
		 uint16_t seq, uint64_t skb, uint64_t ts)
{
	struct pt_event ev = ut_event(dir, type, type == PT_ICMP_ECHO ? A : dst,
				      type == PT_ICMP_ECHO ? dst : A, 7, seq,
				      ts);

	ev.skbaddr = skb;
	/* the request leaves in the pinger's sendto, the rest in softirqs */
	ev.pid = dir == PT_DIR_SEND && type == PT_ICMP_ECHO ? PID : 0;
	pt_stages_icmp(&b->st, &ev);
	pt_pair_feed(b->pair, &ev);
}

static void stage_ev(struct bench *b, enum pt_stage_event kind, uint64_t ts,
		     uint64_t skb, int pid, long long ret)
{
	struct pt_stage_ev sev = { .kind = kind, .ts = ts, .skbaddr = skb,
				   .pid = pid, .ret = ret };

	pt_stages_event(&b->st, &sev);
	pt_stages_flush(&b->st, 0);
}

static void request_way(struct bench *b, const char *dst, uint16_t seq,
			uint64_t t)
{
	stage_ev(b, PT_SE_SEND_ENTER, t, 0, PID, 0);
	icmp(b, PT_DIR_SEND, PT_ICMP_ECHO, dst, seq, SKB_TX, t + 10);
	stage_ev(b, PT_SE_DEV_QUEUE, t + 30, SKB_TX, 0, 0);
	stage_ev(b, PT_SE_DEV_XMIT, t + 60, SKB_TX, 0, 0);
	stage_ev(b, PT_SE_RX_ENTRY, t + 100, SKB_RX, 0, 0);
	stage_ev(b, PT_SE_RX_CORE, t + 150, SKB_RX, 0, 0);
	icmp(b, PT_DIR_RECV, PT_ICMP_ECHO, dst, seq, SKB_RX, t + 210);
}

static void reply_way(struct bench *b, const char *dst, uint16_t seq,
		      uint64_t t)
{
	icmp(b, PT_DIR_SEND, PT_ICMP_ECHOREPLY, dst, seq, SKB_TX2, t + 280);
	stage_ev(b, PT_SE_DEV_QUEUE, t + 300, SKB_TX2, 0, 0);
	stage_ev(b, PT_SE_DEV_XMIT, t + 330, SKB_TX2, 0, 0);
	stage_ev(b, PT_SE_RX_ENTRY, t + 400, SKB_RX2, 0, 0);
	stage_ev(b, PT_SE_RX_CORE, t + 450, SKB_RX2, 0, 0);
	icmp(b, PT_DIR_RECV, PT_ICMP_ECHOREPLY, dst, seq, SKB_RX2, t + 510);
}

static void task_way(struct bench *b, uint64_t t)
{
	stage_ev(b, PT_SE_WAKEUP, t + 530, 0, PID, 0);
	stage_ev(b, PT_SE_SWITCH, t + 600, 0, PID, 0);
	stage_ev(b, PT_SE_RECV_EXIT, t + 700, 0, PID, 84);
}

static uint64_t rtt_sum(const struct pt_stage_result *r)
{
	uint64_t sum = 0;
	int s;

	for (s = PT_S_RTT_FIRST; s <= PT_S_RTT_LAST; s++)
		sum += r->state[s] == PT_STAGE_SEEN ? r->ns[s] : 0;
	return sum;
}

static void test_stages_nic_path_every_stage_seen_adding_up_to_rtt(void)
{
	static const uint64_t want[PT_S_MAX] = {
		10, 20, 30, 40, 50, 60, 70, 20, 30, 70, 50, 60, 20, 70, 100,
	};
	struct bench b;
	int s;

	bench_init(&b);
	request_way(&b, B, 1, 1000);
	reply_way(&b, B, 1, 1000);
	CU_ASSERT_EQUAL(b.n, 0);	/* waits for its task stages */
	task_way(&b, 1000);
	CU_ASSERT_EQUAL(b.n, 0);	/* and for every CPU's events */
	stage_ev(&b, PT_SE_RX_CORE, 1510 + PT_STAGES_REORDER_NS + 1, SKB_TX,
		 0, 0);
	CU_ASSERT_EQUAL_FATAL(b.n, 1);
	for (s = 0; s < PT_S_MAX; s++) {
		CU_ASSERT_EQUAL(b.res[0].state[s], PT_STAGE_SEEN);
		CU_ASSERT_EQUAL(b.res[0].ns[s], want[s]);
	}
	CU_ASSERT_EQUAL(rtt_sum(&b.res[0]), pt_echo_rtt(&b.echo[0]));
	CU_ASSERT_EQUAL(b.res[0].pid, PID);
	bench_end(&b);
	CU_ASSERT_EQUAL(b.n, 1);
	bench_release(&b);
}

/*
 * veth and lo hand the skb to the peer inside their xmit: no link, the
 * device stage ends at the peer's netif_rx.  The reply comes in within
 * the pinger's own sendto, so the task never sleeps: no wakeup stages.
 */
static void test_stages_veth_delivery_in_xmit_has_no_link_nor_wakeup(void)
{
	struct bench b;
	const struct pt_stage_result *r;

	bench_init(&b);
	stage_ev(&b, PT_SE_SEND_ENTER, 1000, 0, PID, 0);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHO, B, 1, SKB_TX, 1010);
	stage_ev(&b, PT_SE_DEV_QUEUE, 1030, SKB_TX, 0, 0);
	stage_ev(&b, PT_SE_RX_ENTRY, 1050, SKB_TX, 0, 0);
	stage_ev(&b, PT_SE_DEV_XMIT, 1060, SKB_TX, 0, 0);
	stage_ev(&b, PT_SE_RX_CORE, 1100, SKB_TX, 0, 0);
	icmp(&b, PT_DIR_RECV, PT_ICMP_ECHO, B, 1, SKB_TX, 1150);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, 1, SKB_TX2, 1200);
	stage_ev(&b, PT_SE_DEV_QUEUE, 1220, SKB_TX2, 0, 0);
	stage_ev(&b, PT_SE_RX_ENTRY, 1240, SKB_TX2, 0, 0);
	stage_ev(&b, PT_SE_DEV_XMIT, 1250, SKB_TX2, 0, 0);
	stage_ev(&b, PT_SE_RX_CORE, 1300, SKB_TX2, 0, 0);
	icmp(&b, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, 1, SKB_TX2, 1350);
	stage_ev(&b, PT_SE_RECV_EXIT, 1500, 0, PID, 84);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 1);
	r = &b.res[0];
	CU_ASSERT_EQUAL(r->state[PT_S_REQ_LINK], PT_STAGE_NONE);
	CU_ASSERT_EQUAL(r->state[PT_S_REP_LINK], PT_STAGE_NONE);
	CU_ASSERT_EQUAL(r->ns[PT_S_REQ_DEV], 20);	/* queue to netif_rx */
	CU_ASSERT_EQUAL(r->ns[PT_S_REQ_RX_QUEUE], 50);
	CU_ASSERT_EQUAL(r->state[PT_S_SOCK_TO_WAKE], PT_STAGE_NONE);
	CU_ASSERT_EQUAL(r->state[PT_S_WAKE_TO_RUN], PT_STAGE_NONE);
	CU_ASSERT_EQUAL(r->ns[PT_S_RUN_TO_USER], 150);
	CU_ASSERT_EQUAL(rtt_sum(r), pt_echo_rtt(&b.echo[0]));
	bench_release(&b);
}

/* An address freed and reused: only its new life's events count */
static void test_stages_skb_address_reused_starts_a_new_packet(void)
{
	struct bench b;

	bench_init(&b);
	request_way(&b, B, 1, 1000);
	reply_way(&b, B, 1, 1000);
	task_way(&b, 1000);
	/* SKB_RX2 reused by another packet that never reaches IP... */
	stage_ev(&b, PT_SE_RX_ENTRY, 5000, SKB_RX2, 0, 0);
	stage_ev(&b, PT_SE_RX_CORE, 5010, SKB_RX2, 0, 0);
	/* ...then by echo 2's reply, whose entry event was not recorded */
	request_way(&b, B, 2, 9000);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, 2, SKB_TX2, 9280);
	stage_ev(&b, PT_SE_DEV_QUEUE, 9300, SKB_TX2, 0, 0);
	stage_ev(&b, PT_SE_DEV_XMIT, 9330, SKB_TX2, 0, 0);
	stage_ev(&b, PT_SE_RX_CORE, 9450, SKB_RX2, 0, 0);
	icmp(&b, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, 2, SKB_RX2, 9510);
	task_way(&b, 9000);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 2);
	CU_ASSERT_EQUAL(b.echo[1].seq, 2);
	/* the stale entry of 5000 replaced, not taken */
	CU_ASSERT_EQUAL(b.res[1].state[PT_S_REP_LINK], PT_STAGE_NOT_SEEN);
	CU_ASSERT_EQUAL(b.res[1].state[PT_S_REP_RX_QUEUE], PT_STAGE_SEEN);
	CU_ASSERT_EQUAL(b.res[1].ns[PT_S_REP_RX_QUEUE], 9450 - 9330);
	CU_ASSERT_EQUAL(b.res[1].ns[PT_S_REQ_IP_OUT], 20);
	CU_ASSERT_EQUAL(rtt_sum(&b.res[1]), pt_echo_rtt(&b.echo[1]));
	bench_release(&b);
}

/* ping to two hosts from one task: its events are the two echoes' in turn */
static void test_stages_one_task_pinging_twice_at_once(void)
{
	struct bench b;
	int i;

	bench_init(&b);
	stage_ev(&b, PT_SE_SEND_ENTER, 1000, 0, PID, 0);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHO, B, 1, SKB_TX, 1010);
	stage_ev(&b, PT_SE_SEND_ENTER, 1100, 0, PID, 0);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHO, C, 1, SKB_TX2, 1130);
	icmp(&b, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, 1, SKB_RX, 2000);
	icmp(&b, PT_DIR_RECV, PT_ICMP_ECHOREPLY, C, 1, SKB_RX2, 2100);
	stage_ev(&b, PT_SE_WAKEUP, 2200, 0, PID, 0);
	stage_ev(&b, PT_SE_WAKEUP, 2250, 0, PID + 1, 0);	/* another task */
	stage_ev(&b, PT_SE_SWITCH, 2300, 0, PID, 0);
	stage_ev(&b, PT_SE_RECV_EXIT, 2400, 0, PID, -11);	/* EAGAIN */
	stage_ev(&b, PT_SE_RECV_EXIT, 2500, 0, PID, 84);
	stage_ev(&b, PT_SE_RECV_EXIT, 2600, 0, PID, 84);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 2);
	CU_ASSERT_EQUAL(b.echo[0].dst.v4, ut_ip(B));
	CU_ASSERT_EQUAL(b.echo[1].dst.v4, ut_ip(C));
	CU_ASSERT_EQUAL(b.res[0].ns[PT_S_USER_TO_IP], 10);
	CU_ASSERT_EQUAL(b.res[1].ns[PT_S_USER_TO_IP], 30);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(b.res[i].at[PT_P_WAKEUP], 2200);
		CU_ASSERT_EQUAL(b.res[i].at[PT_P_SWITCH], 2300);
	}
	CU_ASSERT_EQUAL(b.res[0].ns[PT_S_RUN_TO_USER], 200);
	CU_ASSERT_EQUAL(b.res[1].ns[PT_S_RUN_TO_USER], 300);
	bench_release(&b);
}

/* live reads a CPU at a time: a recvmsg exit may come before the RCV */
static void test_stages_task_events_joined_by_time_not_arrival(void)
{
	struct bench b;

	bench_init(&b);
	b.st.have_sched = 1;
	request_way(&b, B, 1, 1000);
	stage_ev(&b, PT_SE_WAKEUP, 1530, 0, PID, 0);		/* CPU 1 */
	stage_ev(&b, PT_SE_SWITCH, 1600, 0, PID, 0);
	stage_ev(&b, PT_SE_RECV_EXIT, 1700, 0, PID, 84);
	reply_way(&b, B, 1, 1000);			/* CPU 0, read later */
	stage_ev(&b, PT_SE_WAKEUP, 201000, 0, PID, 0);	/* ping's next timer */
	stage_ev(&b, PT_SE_RECV_EXIT, 202000, 0, PID, 84);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 1);
	CU_ASSERT_EQUAL(b.res[0].ns[PT_S_SOCK_TO_WAKE], 20);
	CU_ASSERT_EQUAL(b.res[0].ns[PT_S_WAKE_TO_RUN], 70);
	CU_ASSERT_EQUAL(b.res[0].ns[PT_S_RUN_TO_USER], 100);
	bench_release(&b);
}

/* One recvmsg exit not in the trace: the next echo's is not taken */
static void test_stages_missing_recvmsg_exit_does_not_shift_the_next(void)
{
	struct bench b;

	bench_init(&b);
	request_way(&b, B, 1, 1000);
	reply_way(&b, B, 1, 1000);
	stage_ev(&b, PT_SE_WAKEUP, 1530, 0, PID, 0);	/* its exit is lost */
	request_way(&b, B, 2, 200000);
	reply_way(&b, B, 2, 200000);
	task_way(&b, 200000);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 2);
	CU_ASSERT_EQUAL(b.res[0].state[PT_S_RUN_TO_USER], PT_STAGE_NOT_SEEN);
	CU_ASSERT_EQUAL(b.res[0].state[PT_S_SOCK_TO_WAKE], PT_STAGE_NOT_SEEN);
	CU_ASSERT_EQUAL(b.res[1].ns[PT_S_RUN_TO_USER], 100);
	CU_ASSERT_EQUAL(b.res[1].ns[PT_S_SOCK_TO_WAKE], 20);
	bench_release(&b);
}

/* virtio-net: xmit returns after the reply was received, on another vCPU */
static void test_stages_xmit_after_the_rcv_still_joins(void)
{
	struct bench b;

	bench_init(&b);
	request_way(&b, B, 1, 1000);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, 1, SKB_TX2, 1280);
	stage_ev(&b, PT_SE_DEV_QUEUE, 1300, SKB_TX2, 0, 0);
	stage_ev(&b, PT_SE_RX_ENTRY, 1400, SKB_RX2, 0, 0);
	stage_ev(&b, PT_SE_RX_CORE, 1450, SKB_RX2, 0, 0);
	icmp(&b, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, 1, SKB_RX2, 1510);
	stage_ev(&b, PT_SE_DEV_XMIT, 1520, SKB_TX2, 0, 0);
	task_way(&b, 1000);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 1);
	CU_ASSERT_EQUAL(b.res[0].state[PT_S_REP_LINK], PT_STAGE_NONE);
	CU_ASSERT_EQUAL(b.res[0].ns[PT_S_REP_DEV], 100);	/* to the entry */
	CU_ASSERT_EQUAL(rtt_sum(&b.res[0]), pt_echo_rtt(&b.echo[0]));
	bench_release(&b);
}

/* A loss freezes the echo in flight: what came after is not taken */
static void test_stages_event_lost_in_overrun_is_not_seen_not_guessed(void)
{
	struct bench b;
	const struct pt_stage_result *r;

	bench_init(&b);
	request_way(&b, B, 1, 1000);
	reply_way(&b, B, 1, 1000);
	pt_stages_lost(&b.st);		/* the wakeup may be what was lost */
	stage_ev(&b, PT_SE_SWITCH, 1600, 0, PID, 0);
	stage_ev(&b, PT_SE_RECV_EXIT, 1700, 0, PID, 84);
	CU_ASSERT_EQUAL_FATAL(b.n, 1);	/* frozen: written at once */
	r = &b.res[0];
	CU_ASSERT_EQUAL(r->state[PT_S_REP_RX_IP], PT_STAGE_SEEN);
	CU_ASSERT_EQUAL(r->state[PT_S_SOCK_TO_WAKE], PT_STAGE_NOT_SEEN);
	CU_ASSERT_EQUAL(r->state[PT_S_WAKE_TO_RUN], PT_STAGE_NOT_SEEN);
	CU_ASSERT_EQUAL(r->state[PT_S_RUN_TO_USER], PT_STAGE_NOT_SEEN);
	/* the next echo is whole again */
	request_way(&b, B, 2, 3000);
	reply_way(&b, B, 2, 3000);
	task_way(&b, 3000);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 2);
	CU_ASSERT_EQUAL(b.res[1].state[PT_S_RUN_TO_USER], PT_STAGE_SEEN);
	CU_ASSERT_EQUAL(b.res[1].state[PT_S_USER_TO_IP], PT_STAGE_SEEN);
	CU_ASSERT_EQUAL(b.res[1].state[PT_S_SOCK_TO_WAKE], PT_STAGE_SEEN);
	bench_release(&b);
}

/* Only net:ip_icmp: the stages it spans, the others not seen, never 0 */
static void test_stages_without_stage_events_spans_what_is_seen(void)
{
	struct bench b;
	const struct pt_stage_result *r;
	int s;

	bench_init(&b);
	b.st.wait_task = 0;	/* the file has no syscall events */
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHO, B, 1, SKB_TX, 1000);
	icmp(&b, PT_DIR_RECV, PT_ICMP_ECHO, B, 1, SKB_TX, 1200);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, 1, SKB_TX2, 1250);
	icmp(&b, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, 1, SKB_TX2, 1500);
	CU_ASSERT_EQUAL_FATAL(b.n, 1);
	r = &b.res[0];
	for (s = 0; s < PT_S_MAX; s++) {
		int spanned = s == PT_S_REQ_RX_IP || s == PT_S_TARGET ||
			      s == PT_S_REP_RX_IP;

		CU_ASSERT_EQUAL(r->state[s], spanned ? PT_STAGE_SEEN :
				PT_STAGE_NOT_SEEN);
	}
	CU_ASSERT_EQUAL(r->ns[PT_S_REQ_RX_IP], 200);
	CU_ASSERT_EQUAL(r->ns[PT_S_REP_RX_IP], 250);
	CU_ASSERT_EQUAL(rtt_sum(r), 500);
	bench_end(&b);
	bench_release(&b);
}

/* A lost echo is written at once, a later answered one after it */
static void test_stages_lost_echo_keeps_its_place(void)
{
	struct bench b;

	bench_init(&b);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHO, B, 1, SKB_TX, 1000);
	request_way(&b, B, 2, 2000);
	reply_way(&b, B, 2, 2000);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 2);
	CU_ASSERT_EQUAL(b.echo[0].status, PT_ECHO_OK);	/* decided first */
	CU_ASSERT_EQUAL(b.echo[1].status, PT_ECHO_LOST);
	CU_ASSERT_EQUAL(b.res[0].state[PT_S_RUN_TO_USER], PT_STAGE_NOT_SEEN);
	CU_ASSERT_EQUAL(b.res[1].state[PT_S_REQ_IP_OUT], PT_STAGE_NOT_SEEN);
	bench_release(&b);
}

static void test_hist_percentiles_and_log2_buckets(void)
{
	struct pt_hist h;
	uint64_t v;

	pt_hist_init(&h);
	for (v = 1; v <= 100; v++)
		pt_hist_add(&h, v * 1000);
	CU_ASSERT_EQUAL(h.n, 100);
	CU_ASSERT_EQUAL(h.min, 1000);
	CU_ASSERT_EQUAL(h.max, 100000);
	CU_ASSERT_EQUAL(pt_hist_avg(&h), 50500);
	CU_ASSERT_EQUAL(pt_hist_pct(&h, 50), 50000);
	CU_ASSERT_EQUAL(pt_hist_pct(&h, 99), 99000);
	CU_ASSERT_EQUAL(pt_hist_bucket_of(0), 0);
	CU_ASSERT_EQUAL(pt_hist_bucket_of(1), 0);
	CU_ASSERT_EQUAL(pt_hist_bucket_of(1023), 9);
	CU_ASSERT_EQUAL(pt_hist_bucket_of(1024), 10);
	CU_ASSERT_EQUAL(h.bucket[9], 1);	/* 1000 */
	CU_ASSERT_EQUAL(h.bucket[16], 35);	/* 66000 .. 100000 */
	pt_hist_release(&h);
}

/* The exact rank of @pct in 1..@n, as pt_hist_pct() takes it */
static uint64_t rank_of(uint64_t n, unsigned int pct)
{
	uint64_t r = (n * pct + 99) / 100;

	return r ? r : 1;
}

/*
 * Past PT_HIST_EXACT values the values are no longer kept: memory stays
 * bounded, and the percentiles stay within 1/(2 * PT_HIST_SUB) of the
 * exact ones; the log2 buckets, min, max and avg stay exact
 */
static void test_hist_bounded_past_exact(void)
{
	const uint64_t n = 4 * PT_HIST_EXACT + 7;
	uint64_t v, want, got, i;
	unsigned int pct[] = { 1, 50, 90, 99, 100 };
	struct pt_hist h;
	size_t j;

	pt_hist_init(&h);
	/* 1 .. n scaled to microsecond-ish values, in a shuffled order */
	for (i = 0; i < n; i++) {
		v = (i * 7919) % n + 1;
		pt_hist_add(&h, v * 997);
		if (i + 1 == PT_HIST_EXACT)
			CU_ASSERT_TRUE(pt_hist_exact(&h));
	}
	CU_ASSERT_FALSE(pt_hist_exact(&h));
	CU_ASSERT_PTR_NULL(h.vals);
	CU_ASSERT_EQUAL(h.n, n);
	CU_ASSERT_EQUAL(h.min, 997);
	CU_ASSERT_EQUAL(h.max, n * 997);
	CU_ASSERT_EQUAL(pt_hist_avg(&h), (n + 1) * 997 / 2);
	for (j = 0; j < sizeof(pct) / sizeof(pct[0]); j++) {
		want = rank_of(n, pct[j]) * 997;
		got = pt_hist_pct(&h, pct[j]);
		CU_ASSERT(got * 2 * PT_HIST_SUB >= want * (2 * PT_HIST_SUB - 1));
		CU_ASSERT(got * 2 * PT_HIST_SUB <= want * (2 * PT_HIST_SUB + 1));
	}
	pt_hist_release(&h);

	/* small values have a bucket each: exact even past PT_HIST_EXACT */
	pt_hist_init(&h);
	for (i = 0; i <= PT_HIST_EXACT; i++)
		pt_hist_add(&h, i % 10);
	CU_ASSERT_FALSE(pt_hist_exact(&h));
	CU_ASSERT_EQUAL(pt_hist_pct(&h, 50), 4);
	CU_ASSERT_EQUAL(pt_hist_pct(&h, 100), 9);
	pt_hist_release(&h);
}

static char *stage_json(const struct pt_echo *e,
			const struct pt_stage_result *r)
{
	struct pt_output o;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	pt_output_init(&o, fp, PT_FMT_JSON);
	o.stage_view = 1;
	pt_output_stage_echo(&o, e, r);
	fclose(fp);
	return buf;
}

static void test_output_stage_json_null_for_not_seen(void)
{
	struct bench b;
	char *json;

	bench_init(&b);
	b.st.wait_task = 0;
	request_way(&b, B, 1, 1000);
	reply_way(&b, B, 1, 1000);
	CU_ASSERT_EQUAL_FATAL(b.n, 1);
	json = stage_json(&b.echo[0], &b.res[0]);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"stages\":{\"user_to_ip_ns\":10,"
				      "\"req_ip_out_ns\":20,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"rep_rx_ip_ns\":60,"
				      "\"sock_to_wake_ns\":null,"));
	free(json);
	bench_end(&b);
	bench_release(&b);
}

/* --slow: answered echoes above the threshold, every other ending */
static void test_output_slow_keeps_every_echo_not_answered(void)
{
	static const enum pt_echo_status shown[] = {
		PT_ECHO_LOST, PT_ECHO_UNKNOWN, PT_ECHO_UNMATCHED, PT_ECHO_DUP,
		PT_ECHO_ERROR,
	};
	struct pt_output o = { .slow_ns = 1000 };
	struct pt_echo e = { .status = PT_ECHO_OK,
			     .have = PT_HAVE_SEND | PT_HAVE_RECV,
			     .send_ns = 5000, .recv_ns = 6000 };
	size_t i;

	CU_ASSERT_FALSE(pt_output_is_slow(&o, &e));	/* 1000 ns: not above */
	e.recv_ns = 6001;
	CU_ASSERT_TRUE(pt_output_is_slow(&o, &e));
	e.recv_ns = 5500;
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		e.status = shown[i];
		CU_ASSERT_TRUE(pt_output_is_slow(&o, &e));
	}
	e.status = PT_ECHO_UNMATCHED;			/* a reply alone */
	e.have = PT_HAVE_RECV;
	CU_ASSERT_TRUE(pt_output_is_slow(&o, &e));
	o.slow_ns = 0;
	e.status = PT_ECHO_OK;
	CU_ASSERT_TRUE(pt_output_is_slow(&o, &e));	/* no --slow: all */
}

static int count_of(const char *text, const char *what)
{
	int n = 0;

	for (; (text = strstr(text, what)); text++)
		n++;
	return n;
}

/* One bar of a band per stage seen, the rtt line, a lost echo in red */
static void test_svg_bars_rtt_line_and_lost_mark(void)
{
	struct pt_svg svg;
	struct bench b;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	bench_init(&b);
	request_way(&b, B, 1, 1000);
	reply_way(&b, B, 1, 1000);
	task_way(&b, 1000);
	icmp(&b, PT_DIR_SEND, PT_ICMP_ECHO, B, 2, SKB_TX, 5000);
	bench_end(&b);
	CU_ASSERT_EQUAL_FATAL(b.n, 2);
	pt_svg_init(&svg);
	pt_svg_add(&b.echo[0], &b.res[0], &svg);
	pt_svg_add(&b.echo[1], &b.res[1], &svg);
	fp = open_memstream(&text, &len);
	CU_ASSERT_EQUAL(pt_svg_write(&svg, fp), 0);
	fclose(fp);
	CU_ASSERT_EQUAL(count_of(text, "<rect class=\"lost\""), 1);
	/* the eleven bands of echo 1, each in its stage's colour */
	CU_ASSERT_EQUAL(count_of(text, "fill=\"#1f77b4\""), 2);  /* + legend */
	CU_ASSERT_EQUAL(count_of(text, "<rect x="), 11 + PT_SVG_STAGES + 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "<polyline class=\"rtt\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "</svg>\n"));
	free(text);
	pt_svg_release(&svg);
	bench_release(&b);
}

void ut_add_stages_suite(void)
{
	CU_pSuite s = CU_add_suite("stages", NULL, NULL);

	UT_ADD_TEST(s, test_stages_nic_path_every_stage_seen_adding_up_to_rtt);
	UT_ADD_TEST(s, test_stages_veth_delivery_in_xmit_has_no_link_nor_wakeup);
	UT_ADD_TEST(s, test_stages_skb_address_reused_starts_a_new_packet);
	UT_ADD_TEST(s, test_stages_one_task_pinging_twice_at_once);
	UT_ADD_TEST(s, test_stages_task_events_joined_by_time_not_arrival);
	UT_ADD_TEST(s, test_stages_missing_recvmsg_exit_does_not_shift_the_next);
	UT_ADD_TEST(s, test_stages_xmit_after_the_rcv_still_joins);
	UT_ADD_TEST(s, test_stages_event_lost_in_overrun_is_not_seen_not_guessed);
	UT_ADD_TEST(s, test_stages_without_stage_events_spans_what_is_seen);
	UT_ADD_TEST(s, test_stages_lost_echo_keeps_its_place);
	UT_ADD_TEST(s, test_hist_percentiles_and_log2_buckets);
	UT_ADD_TEST(s, test_hist_bounded_past_exact);
	UT_ADD_TEST(s, test_output_stage_json_null_for_not_seen);
	UT_ADD_TEST(s, test_output_slow_keeps_every_echo_not_answered);
	UT_ADD_TEST(s, test_svg_bars_rtt_line_and_lost_mark);
}
