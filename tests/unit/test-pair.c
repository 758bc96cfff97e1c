// SPDX-License-Identifier: GPL-2.0
/*
 * pair: the echo pairing engine, fed hand-made event streams.
 */
#include <string.h>

#include <CUnit/CUnit.h>

#include "pair.h"
#include "unit.h"

#define A	"198.51.100.1"		/* requester */
#define B	"198.51.100.2"		/* responder */
#define NS_A	4026531840u
#define NS_B	4026532300u
#define NS_R	4026532400u		/* a router in between */
#define MS	1000000ULL

#define MAX_ECHOES 64

static struct pt_echo echoes[MAX_ECHOES];
static int nr_echoes;

static void collect(const struct pt_echo *echo, void *data)
{
	(void)data;
	if (nr_echoes < MAX_ECHOES)
		echoes[nr_echoes] = *echo;
	nr_echoes++;
}

static struct pt_pair *new_pair(uint64_t timeout_ns)
{
	struct pt_pair_config cfg;

	pt_pair_config_default(&cfg);
	cfg.timeout_ns = timeout_ns;
	nr_echoes = 0;
	memset(echoes, 0, sizeof(echoes));
	return pt_pair_new(&cfg, collect, NULL);
}

static void feed(struct pt_pair *p, int dir, int type, const char *src,
		 const char *dst, uint16_t id, uint16_t seq, uint64_t ts,
		 uint32_t netns)
{
	struct pt_event ev = ut_event(dir, type, src, dst, id, seq, ts);

	ev.netns = netns;
	pt_pair_feed(p, &ev);
}

static void request_out(struct pt_pair *p, uint16_t seq, uint64_t ts)
{
	feed(p, PT_DIR_SEND, PT_ICMP_ECHO, A, B, 7, seq, ts, NS_A);
}

static void reply_in(struct pt_pair *p, uint16_t seq, uint64_t ts)
{
	feed(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 7, seq, ts, NS_A);
}

static void test_pair_echo_ok(void)
{
	struct pt_pair *p = new_pair(0);
	const struct pt_stats *st;

	request_out(p, 1, 1000);
	reply_in(p, 1, 1000 + 250000);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[0].src.v4, ut_ip(A));
	CU_ASSERT_EQUAL(echoes[0].dst.v4, ut_ip(B));
	CU_ASSERT_EQUAL(echoes[0].id, 7);
	CU_ASSERT_EQUAL(echoes[0].seq, 1);
	CU_ASSERT_EQUAL(echoes[0].send_ns, 1000);
	CU_ASSERT_EQUAL(echoes[0].recv_ns, 251000);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 250000);
	CU_ASSERT_EQUAL(echoes[0].have, PT_HAVE_SEND | PT_HAVE_RECV);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(nr_echoes, 1);
	st = pt_pair_stats(p);
	CU_ASSERT_EQUAL(st->sent, 1);
	CU_ASSERT_EQUAL(st->received, 1);
	CU_ASSERT_EQUAL(st->lost, 0);
	CU_ASSERT_EQUAL(st->events_lost, 0);
	pt_pair_free(p);
}

/* Responder in another netns of the same kernel (the VM bench) */
static void test_pair_four_point_breakdown(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 3, 100);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHO, A, B, 7, 3, 140, NS_B);
	feed(p, PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, A, 7, 3, 170, NS_B);
	reply_in(p, 3, 230);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[0].have, PT_HAVE_SEND | PT_HAVE_RECV |
			PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND);
	CU_ASSERT_EQUAL(echoes[0].target_recv_ns, 140);
	CU_ASSERT_EQUAL(echoes[0].target_send_ns, 170);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 130);
	pt_pair_free(p);
}

/* Loopback: all four events in one netns, on lo */
static void test_pair_loopback_four_points(void)
{
	struct pt_pair *p = new_pair(0);

	feed(p, PT_DIR_SEND, PT_ICMP_ECHO, "127.0.0.1", "127.0.0.1", 9, 1, 10, NS_A);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHO, "127.0.0.1", "127.0.0.1", 9, 1, 20, NS_A);
	feed(p, PT_DIR_SEND, PT_ICMP_ECHOREPLY, "127.0.0.1", "127.0.0.1", 9, 1, 30, NS_A);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, "127.0.0.1", "127.0.0.1", 9, 1, 45, NS_A);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[0].target_recv_ns, 20);
	CU_ASSERT_EQUAL(echoes[0].target_send_ns, 30);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 35);
	pt_pair_free(p);
}

/* A router netns forwards the request and the reply: hops, not echoes */
static void test_pair_forwarded_copies_are_hops(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 1, 100);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHO, A, B, 7, 1, 110, NS_R);
	feed(p, PT_DIR_SEND, PT_ICMP_ECHO, A, B, 7, 1, 115, NS_R);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHO, A, B, 7, 1, 130, NS_B);
	feed(p, PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, A, 7, 1, 150, NS_B);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 7, 1, 160, NS_R);
	feed(p, PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, A, 7, 1, 165, NS_R);
	reply_in(p, 1, 180);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[0].send_ns, 100);
	CU_ASSERT_EQUAL(echoes[0].target_recv_ns, 130);
	CU_ASSERT_EQUAL(echoes[0].target_send_ns, 150);
	CU_ASSERT_EQUAL(echoes[0].recv_ns, 180);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->sent, 1);
	pt_pair_free(p);
}

/* Every point of a routed echo, in order: a, r, r, b, b, r, r, a */
static void test_pair_routed_path_in_order(void)
{
	static const struct {
		uint64_t	ns;
		uint32_t	netns;
		uint8_t		dir;
		uint8_t		what;
	} want[] = {
		{ 100, NS_A, PT_DIR_SEND, PT_HOP_REQUEST },
		{ 110, NS_R, PT_DIR_RECV, PT_HOP_REQUEST },
		{ 115, NS_R, PT_DIR_SEND, PT_HOP_REQUEST },
		{ 130, NS_B, PT_DIR_RECV, PT_HOP_REQUEST },
		{ 150, NS_B, PT_DIR_SEND, PT_HOP_REPLY },
		{ 160, NS_R, PT_DIR_RECV, PT_HOP_REPLY },
		{ 165, NS_R, PT_DIR_SEND, PT_HOP_REPLY },
		{ 180, NS_A, PT_DIR_RECV, PT_HOP_REPLY },
	};
	struct pt_pair *p = new_pair(0);
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int req = want[i].what == PT_HOP_REQUEST;

		feed(p, want[i].dir, req ? PT_ICMP_ECHO : PT_ICMP_ECHOREPLY,
		     req ? A : B, req ? B : A, 7, 1, want[i].ns,
		     want[i].netns);
	}
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL_FATAL(echoes[0].nr_path, 8);
	CU_ASSERT_EQUAL(echoes[0].path_full, 0);
	CU_ASSERT_EQUAL(echoes[0].target_netns, NS_B);
	for (i = 0; i < 8; i++) {
		CU_ASSERT_EQUAL(echoes[0].path[i].ns, want[i].ns);
		CU_ASSERT_EQUAL(echoes[0].path[i].netns, want[i].netns);
		CU_ASSERT_EQUAL(echoes[0].path[i].dir, want[i].dir);
		CU_ASSERT_EQUAL(echoes[0].path[i].what, want[i].what);
	}
	pt_pair_free(p);
}

/* A router that forwards the request is not where it was answered */
static void test_pair_forwarded_then_lost_has_no_target(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 1, 100);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHO, A, B, 7, 1, 110, NS_R);
	feed(p, PT_DIR_SEND, PT_ICMP_ECHO, A, B, 7, 1, 115, NS_R);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_LOST);
	CU_ASSERT_FALSE(echoes[0].have & PT_HAVE_TARGET_RECV);
	CU_ASSERT_EQUAL(echoes[0].nr_path, 3);
	pt_pair_free(p);
}

/* Arrived and not answered (icmp_echo_ignore_all): the target saw it */
static void test_pair_unanswered_arrival_is_the_target(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 1, 100);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHO, A, B, 7, 1, 110, NS_R);
	feed(p, PT_DIR_SEND, PT_ICMP_ECHO, A, B, 7, 1, 115, NS_R);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHO, A, B, 7, 1, 130, NS_B);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT(echoes[0].have & PT_HAVE_TARGET_RECV);
	CU_ASSERT_EQUAL(echoes[0].target_recv_ns, 130);
	CU_ASSERT_EQUAL(echoes[0].target_netns, NS_B);
	pt_pair_free(p);
}

/* More points than the path has room for are counted, not written */
static void test_pair_path_full_counted(void)
{
	struct pt_pair *p = new_pair(0);
	unsigned int i;

	request_out(p, 1, 100);
	for (i = 0; i < PT_PATH_MAX + 2; i++)
		feed(p, PT_DIR_RECV, PT_ICMP_ECHO, A, B, 7, 1, 110 + i,
		     NS_R + i);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].nr_path, PT_PATH_MAX);
	CU_ASSERT_EQUAL(echoes[0].path_full, 3);
	pt_pair_free(p);
}

/*
 * live notes an overrun at the time it reads the counters: a request
 * older than that, read after it (from another CPU's buffer), may have
 * lost its reply in the overrun
 */
static void test_pair_request_older_than_noted_loss_unknown(void)
{
	struct pt_pair *p = new_pair(0);

	pt_pair_events_lost(p, 500, 3);
	request_out(p, 1, 400);
	request_out(p, 2, 600);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[0].seq, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_UNKNOWN);
	CU_ASSERT_EQUAL(echoes[1].seq, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_LOST);
	pt_pair_free(p);
}

static void test_pair_lost_at_finish(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 1, 100);
	request_out(p, 2, 200);
	reply_in(p, 2, 300);
	CU_ASSERT_EQUAL(nr_echoes, 1);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_LOST);
	CU_ASSERT_EQUAL(echoes[1].seq, 1);
	CU_ASSERT_EQUAL(echoes[1].send_ns, 100);
	CU_ASSERT_EQUAL(echoes[1].have, PT_HAVE_SEND);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->lost, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->received, 1);
	pt_pair_free(p);
}

static void test_pair_lost_after_timeout(void)
{
	struct pt_pair *p = new_pair(1000 * MS);

	request_out(p, 1, 0);
	request_out(p, 2, 600 * MS);
	pt_pair_expire(p, 999 * MS);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	pt_pair_expire(p, 1000 * MS);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_LOST);
	CU_ASSERT_EQUAL(echoes[0].seq, 1);
	/* a reply after the timeout is no longer paired */
	reply_in(p, 1, 1100 * MS);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_UNMATCHED);
	reply_in(p, 2, 1200 * MS);
	CU_ASSERT_EQUAL(echoes[2].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[2]), 600 * MS);
	pt_pair_free(p);
}

static void test_pair_duplicate_reply(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 5, 100);
	reply_in(p, 5, 200);
	reply_in(p, 5, 260);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_DUP);
	CU_ASSERT_EQUAL(echoes[1].send_ns, 100);
	CU_ASSERT_EQUAL(echoes[1].recv_ns, 260);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->dup, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->received, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->rtt_n, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->rtt_max, 100);
	pt_pair_free(p);
}

static void test_pair_unmatched_reply(void)
{
	struct pt_pair *p = new_pair(0);

	reply_in(p, 9, 100);
	request_out(p, 10, 200);
	reply_in(p, 11, 300);		/* seq differs */
	feed(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 8, 10, 310, NS_A);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 3);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_UNMATCHED);
	CU_ASSERT_EQUAL(echoes[0].have, PT_HAVE_RECV);
	CU_ASSERT_EQUAL(echoes[0].src.v4, ut_ip(A));
	CU_ASSERT_EQUAL(echoes[0].dst.v4, ut_ip(B));
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_UNMATCHED);
	CU_ASSERT_EQUAL(echoes[2].status, PT_ECHO_UNMATCHED);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->unmatched, 3);
	pt_pair_free(p);
}

/* Replies with the addresses not swapped are not ours */
static void test_pair_reply_needs_swapped_addresses(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 1, 100);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, A, B, 7, 1, 200, NS_A);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_UNMATCHED);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_LOST);
	pt_pair_free(p);
}

static void test_pair_reply_after_seq_wrap(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 65535, 100);
	request_out(p, 0, 200);
	reply_in(p, 65535, 300);
	reply_in(p, 0, 350);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[0].seq, 65535);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 200);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[1].seq, 0);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[1]), 150);
	pt_pair_free(p);
}

/* seq 5 again 65536 requests later: the reply is the new one's */
static void test_pair_newest_request_after_wrap(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 5, 100);			/* never answered */
	request_out(p, 5, 9000);		/* after a full wrap */
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_LOST);
	CU_ASSERT_EQUAL(echoes[0].send_ns, 100);
	reply_in(p, 5, 9100);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[1].send_ns, 9000);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[1]), 100);
	pt_pair_free(p);
}

/* An answered key reused by a new request: no stale dup, no stale pair */
static void test_pair_id_reuse_after_answer(void)
{
	struct pt_pair *p = new_pair(0);

	request_out(p, 1, 100);
	reply_in(p, 1, 150);
	request_out(p, 1, 5000);
	reply_in(p, 1, 5070);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[1].send_ns, 5000);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[1]), 70);
	pt_pair_free(p);
}

static void test_pair_two_pingers_same_seq(void)
{
	struct pt_pair *p = new_pair(0);

	feed(p, PT_DIR_SEND, PT_ICMP_ECHO, A, B, 100, 1, 10, NS_A);
	feed(p, PT_DIR_SEND, PT_ICMP_ECHO, A, B, 200, 1, 20, NS_A);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 200, 1, 50, NS_A);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 100, 1, 70, NS_A);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[0].id, 200);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 30);
	CU_ASSERT_EQUAL(echoes[1].id, 100);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[1]), 60);
	pt_pair_free(p);
}

static struct pt_event fragment(int dir, int type, const char *src,
				const char *dst, uint16_t ip_id,
				uint16_t frag_off, int has_icmp, uint64_t ts)
{
	struct pt_event ev = ut_event(dir, type, src, dst, 7, 1, ts);

	ev.ip_id = ip_id;
	ev.frag_off = frag_off;
	ev.has_icmp = has_icmp;
	if (!has_icmp)
		ev.icmp_type = ev.icmp_id = ev.icmp_seq = 0;
	ev.netns = NS_A;
	return ev;
}

static void test_pair_fragmented_reply_counts_at_last_fragment(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event f;

	request_out(p, 1, 1000);
	f = fragment(PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 77, PT_IP_MF, 1, 2000);
	pt_pair_feed(p, &f);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	f = fragment(PT_DIR_RECV, 0, B, A, 77, PT_IP_MF | 185, 0, 2100);
	pt_pair_feed(p, &f);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	f = fragment(PT_DIR_RECV, 0, B, A, 77, 370, 0, 2200);
	pt_pair_feed(p, &f);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(echoes[0].recv_ns, 2200);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 1200);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->frag_dropped, 0);
	pt_pair_free(p);
}

static void test_pair_fragment_last_before_first(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event f;

	request_out(p, 1, 1000);
	f = fragment(PT_DIR_RECV, 0, B, A, 78, 185, 0, 2000);
	pt_pair_feed(p, &f);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	f = fragment(PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 78, PT_IP_MF, 1, 2050);
	pt_pair_feed(p, &f);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].recv_ns, 2050);
	pt_pair_free(p);
}

/* Fragments of another ip_id or protocol do not complete the train */
static void test_pair_fragments_joined_on_ip_id(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event f;

	request_out(p, 1, 1000);
	f = fragment(PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 80, PT_IP_MF, 1, 2000);
	pt_pair_feed(p, &f);
	f = fragment(PT_DIR_RECV, 0, B, A, 81, 185, 0, 2100);
	pt_pair_feed(p, &f);
	f = fragment(PT_DIR_RECV, 0, B, A, 80, 185, 0, 2150);
	f.protocol = 17;
	pt_pair_feed(p, &f);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	f = fragment(PT_DIR_RECV, 0, B, A, 80, 185, 0, 2300);
	pt_pair_feed(p, &f);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].recv_ns, 2300);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->frag_dropped, 1);
	pt_pair_free(p);
}

/* The request leaves as fragments: it counts at the first one */
static void test_pair_fragmented_request_counts_at_first_fragment(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event f;

	f = fragment(PT_DIR_SEND, PT_ICMP_ECHO, A, B, 90, PT_IP_MF, 1, 500);
	pt_pair_feed(p, &f);
	f = fragment(PT_DIR_SEND, 0, A, B, 90, 185, 0, 600);
	pt_pair_feed(p, &f);
	reply_in(p, 1, 900);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].send_ns, 500);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->sent, 1);
	pt_pair_free(p);
}

static void test_pair_events_lost_make_unknown_not_lost(void)
{
	struct pt_pair *p = new_pair(0);
	const struct pt_stats *st;

	request_out(p, 1, 100);
	request_out(p, 2, 200);
	reply_in(p, 1, 250);
	pt_pair_events_lost(p, 300, 12);
	request_out(p, 3, 400);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 3);
	CU_ASSERT_EQUAL(echoes[1].seq, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_UNKNOWN);
	CU_ASSERT_EQUAL(echoes[2].seq, 3);
	CU_ASSERT_EQUAL(echoes[2].status, PT_ECHO_LOST);
	st = pt_pair_stats(p);
	CU_ASSERT_EQUAL(st->lost, 1);
	CU_ASSERT_EQUAL(st->unknown, 1);
	CU_ASSERT_EQUAL(st->events_lost, 12);
	pt_pair_events_lost(p, 500, -1);
	CU_ASSERT_EQUAL(st->events_lost, -1);
	pt_pair_events_lost(p, 600, 5);
	CU_ASSERT_EQUAL(st->events_lost, -1);
	pt_pair_free(p);
}

static void test_pair_unmatched_after_loss_is_unknown(void)
{
	struct pt_pair_config cfg;
	struct pt_pair *p;

	pt_pair_config_default(&cfg);
	cfg.loss_window_ns = 1000;
	nr_echoes = 0;
	p = pt_pair_new(&cfg, collect, NULL);
	pt_pair_events_lost(p, 100, 3);
	reply_in(p, 1, 900);
	reply_in(p, 2, 1200);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_UNKNOWN);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_UNMATCHED);
	pt_pair_free(p);
}

/*
 * Held back (holdoff_ns), a reply with no request ends "unknown" when a
 * loss is counted while it waits (live counts the records the kernel
 * kept from its reads only later), "unmatched" when none is
 */
static void test_pair_held_reply_unknown_if_loss_counted_later(void)
{
	struct pt_pair_config cfg;
	struct pt_pair *p;

	pt_pair_config_default(&cfg);
	cfg.loss_window_ns = 1000;
	cfg.holdoff_ns = 1000;
	nr_echoes = 0;
	p = pt_pair_new(&cfg, collect, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	reply_in(p, 1, 100);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	pt_pair_events_lost(p, 500, 1);		/* newer than the reply */
	pt_pair_expire(p, 1099);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	pt_pair_expire(p, 1100);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_UNKNOWN);
	CU_ASSERT_EQUAL(echoes[0].seq, 1);
	reply_in(p, 2, 5000);			/* the loss long past */
	pt_pair_expire(p, 6000);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_UNMATCHED);
	CU_ASSERT_EQUAL(echoes[1].recv_ns, 5000);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->unknown, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->unmatched, 1);
	pt_pair_free(p);
}

/* Held replies are never dropped: decided early when full, all at finish */
static void test_pair_held_replies_bounded_never_dropped(void)
{
	struct pt_pair_config cfg;
	struct pt_pair *p;
	int i, in_order = 1;

	pt_pair_config_default(&cfg);
	cfg.holdoff_ns = 1000000000ULL;
	nr_echoes = 0;
	p = pt_pair_new(&cfg, collect, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (i = 0; i < PT_PAIR_HELD_REPLIES + 3; i++)
		reply_in(p, i, 1000 + i);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 3);	/* the oldest three */
	CU_ASSERT_EQUAL(echoes[0].seq, 0);
	CU_ASSERT_EQUAL(echoes[2].seq, 2);
	CU_ASSERT_EQUAL(echoes[2].status, PT_ECHO_UNMATCHED);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(nr_echoes, PT_PAIR_HELD_REPLIES + 3);
	for (i = 0; i < MAX_ECHOES; i++)
		in_order &= echoes[i].seq == i;
	CU_ASSERT(in_order);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->unmatched, PT_PAIR_HELD_REPLIES + 3);
	pt_pair_free(p);
}

static void test_pair_bounded_outstanding_evicts_with_count(void)
{
	struct pt_pair_config cfg;
	struct pt_pair *p;
	int i;

	pt_pair_config_default(&cfg);
	cfg.max_outstanding = 4;
	nr_echoes = 0;
	p = pt_pair_new(&cfg, collect, NULL);
	for (i = 0; i < 6; i++)
		request_out(p, i, 100 + i);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[0].seq, 0);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_UNKNOWN);
	CU_ASSERT_EQUAL(echoes[1].seq, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->evicted, 2);
	reply_in(p, 5, 200);
	CU_ASSERT_EQUAL(echoes[2].status, PT_ECHO_OK);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->lost, 3);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->sent, 6);
	pt_pair_free(p);
}

/* 10000 answered echoes through a 16-entry dup table */
static void test_pair_answered_table_bounded(void)
{
	struct pt_pair_config cfg;
	struct pt_pair *p;
	int i;

	pt_pair_config_default(&cfg);
	cfg.max_answered = 16;
	cfg.max_outstanding = 16;
	p = pt_pair_new(&cfg, NULL, NULL);
	for (i = 0; i < 10000; i++) {
		request_out(p, i, 1000 * i);
		reply_in(p, i, 1000 * i + 10);
	}
	reply_in(p, 9999, 20000000);	/* recent: a dup */
	reply_in(p, 1, 20000001);	/* forgotten: unmatched */
	CU_ASSERT_EQUAL(pt_pair_stats(p)->received, 10000);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->dup, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->unmatched, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->evicted, 0);
	pt_pair_free(p);
}

/* ping's mdev: sqrt(mean(x^2) - mean(x)^2) over 1, 2, 3, 4 ms */
static void test_pair_rtt_stats_like_ping(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_rtt rtt;
	int i;

	for (i = 1; i <= 4; i++) {
		request_out(p, i, i * 1000 * MS);
		reply_in(p, i, i * 1000 * MS + i * MS);
	}
	pt_stats_rtt(pt_pair_stats(p), &rtt);
	CU_ASSERT_EQUAL(rtt.min, 1 * MS);
	CU_ASSERT_EQUAL(rtt.max, 4 * MS);
	CU_ASSERT_EQUAL(rtt.avg, 2500000);
	CU_ASSERT_EQUAL(rtt.mdev, 1118034);	/* sqrt(1.25) ms */
	pt_pair_free(p);
}

static void test_pair_no_replies_zero_rtt(void)
{
	struct pt_stats st;
	struct pt_rtt rtt;

	pt_stats_init(&st);
	pt_stats_rtt(&st, &rtt);
	CU_ASSERT_EQUAL(rtt.min, 0);
	CU_ASSERT_EQUAL(rtt.avg, 0);
	CU_ASSERT_EQUAL(rtt.mdev, 0);
}

static void test_pair_ignores_non_echo(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, A, B, 1, 1, 10);
	ev.protocol = 17;
	pt_pair_feed(p, &ev);
	ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, A, B, 1, 2, 20);
	ev.has_icmp = 0;		/* truncated header */
	pt_pair_feed(p, &ev);
	ev = ut_event(PT_DIR_SEND, 3, B, A, 0, 0, 30);	/* an error out */
	pt_pair_feed(p, &ev);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->sent, 0);
	pt_pair_free(p);
}

#define R	"198.51.100.254"	/* the router that sends the error */
#define T	"203.0.113.2"		/* the target behind it */

/* An ICMP error from @from to A quoting A -> T id 7 @seq */
static struct pt_event error_event(int type, int code, const char *from,
				   uint16_t seq, uint64_t ts, uint32_t netns)
{
	struct pt_event ev = ut_event(PT_DIR_RECV, type, from, A, 0, 0, ts);

	ev.icmp_code = code;
	ev.netns = netns;
	ev.has_orig = 1;
	ev.orig_format = 1;
	ev.orig.saddr = pt_addr4(ut_ip(A));
	ev.orig.daddr = pt_addr4(ut_ip(T));
	ev.orig.protocol = PT_IPPROTO_ICMP;
	ev.orig.icmp_id = 7;
	ev.orig.icmp_seq = seq;
	return ev;
}

static void request_to_target(struct pt_pair *p, uint16_t seq, uint64_t ts)
{
	feed(p, PT_DIR_SEND, PT_ICMP_ECHO, A, T, 7, seq, ts, NS_A);
}

static void test_pair_error_closes_the_request_it_quotes(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	request_to_target(p, 1, 10 * MS);
	request_to_target(p, 2, 20 * MS);
	ev = error_event(PT_ICMP_TIME_EXCEEDED, 0, R, 1, 11 * MS, NS_A);
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_ERROR);
	CU_ASSERT_EQUAL(echoes[0].seq, 1);
	CU_ASSERT_EQUAL(echoes[0].dst.v4, ut_ip(T));
	CU_ASSERT(echoes[0].have & PT_HAVE_SEND);
	CU_ASSERT(echoes[0].have & PT_HAVE_ERROR);
	CU_ASSERT_FALSE(echoes[0].have & PT_HAVE_RECV);
	CU_ASSERT_EQUAL(echoes[0].error.from.v4, ut_ip(R));
	CU_ASSERT_EQUAL(echoes[0].error.type, PT_ICMP_TIME_EXCEEDED);
	CU_ASSERT_EQUAL(echoes[0].error.ns - echoes[0].send_ns, 1 * MS);
	CU_ASSERT_EQUAL(echoes[0].error.unattached, PT_ERROR_ATTACHED);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_LOST);
	CU_ASSERT_EQUAL(echoes[1].seq, 2);
	pt_pair_free(p);
}

/* ping -t 1: three requests, three errors, +3 errors and 100% loss */
static void test_pair_errors_not_counted_as_lost(void)
{
	struct pt_pair *p = new_pair(0);
	const struct pt_stats *st;
	struct pt_event ev;
	uint16_t seq;

	for (seq = 1; seq <= 3; seq++) {
		request_to_target(p, seq, seq * 1000 * MS);
		ev = error_event(PT_ICMP_TIME_EXCEEDED, 0, R, seq,
				 seq * 1000 * MS + 50000, NS_A);
		pt_pair_feed(p, &ev);
	}
	pt_pair_finish(p);
	st = pt_pair_stats(p);
	CU_ASSERT_EQUAL(nr_echoes, 3);
	CU_ASSERT_EQUAL(st->sent, 3);
	CU_ASSERT_EQUAL(st->errors, 3);
	CU_ASSERT_EQUAL(st->errors_unattached, 0);
	CU_ASSERT_EQUAL(st->lost, 0);
	CU_ASSERT_EQUAL(pt_stats_loss_pct(st), 100);
	pt_pair_free(p);
}

/* The router's own copy of the error (another netns) is a hop */
static void test_pair_error_seen_at_router_is_a_hop(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	request_to_target(p, 1, 10 * MS);
	ev = error_event(PT_ICMP_DEST_UNREACH, 1, R, 1, 12 * MS, NS_R);
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	ev = error_event(PT_ICMP_DEST_UNREACH, 1, R, 1, 13 * MS, NS_A);
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_ERROR);
	CU_ASSERT_EQUAL(echoes[0].error.code, 1);
	pt_pair_free(p);
}

/*
 * ping -t 1 through a router: the request arrives in r, r sends the
 * error.  r is where it ended, not the target: no target points.
 */
static void test_pair_router_answering_with_error_is_not_target(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	request_to_target(p, 1, 10 * MS);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHO, A, T, 7, 1, 11 * MS, NS_R);
	ev = error_event(PT_ICMP_TIME_EXCEEDED, 0, R, 1, 12 * MS, NS_R);
	ev.dir = PT_DIR_SEND;
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	ev = error_event(PT_ICMP_TIME_EXCEEDED, 0, R, 1, 13 * MS, NS_A);
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_ERROR);
	CU_ASSERT_FALSE(echoes[0].have & PT_HAVE_TARGET_RECV);
	CU_ASSERT_EQUAL_FATAL(echoes[0].nr_path, 4);
	CU_ASSERT_EQUAL(echoes[0].path[2].what, PT_HOP_ERROR);
	CU_ASSERT_EQUAL(echoes[0].path[2].netns, NS_R);
	CU_ASSERT_EQUAL(echoes[0].path[3].what, PT_HOP_ERROR);
	CU_ASSERT_EQUAL(echoes[0].path[3].netns, NS_A);
	pt_pair_free(p);
}

static void test_pair_error_quoting_unknown_request_stands_alone(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	request_to_target(p, 1, 10 * MS);
	ev = error_event(PT_ICMP_DEST_UNREACH, 1, R, 9, 12 * MS, NS_A);
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_ERROR);
	CU_ASSERT_FALSE(echoes[0].have & PT_HAVE_SEND);
	CU_ASSERT_EQUAL(echoes[0].seq, 9);
	CU_ASSERT_EQUAL(echoes[0].error.unattached, PT_ERROR_NO_REQUEST);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_LOST);	/* seq 1 */
	CU_ASSERT_EQUAL(pt_pair_stats(p)->errors_unattached, 1);
	CU_ASSERT_EQUAL(pt_stats_loss_pct(pt_pair_stats(p)), 100);
	pt_pair_free(p);
}

/* A format without orig_*: the error is shown, and the request lost */
static void test_pair_error_without_orig_fields_unattached(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	request_to_target(p, 1, 10 * MS);
	ev = error_event(PT_ICMP_TIME_EXCEEDED, 0, R, 1, 11 * MS, NS_A);
	ev.has_orig = 0;
	ev.orig_format = 0;
	memset(&ev.orig, 0, sizeof(ev.orig));
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].error.unattached, PT_ERROR_NO_ORIG);
	CU_ASSERT_EQUAL(echoes[0].error.from.v4, ut_ip(R));
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_LOST);
	pt_pair_free(p);
}

/* The format has orig_*, but the kernel could not read the quote */
static void test_pair_error_with_unread_quote_unattached(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	request_to_target(p, 1, 10 * MS);
	ev = error_event(PT_ICMP_DEST_UNREACH, 1, R, 1, 11 * MS, NS_A);
	ev.has_orig = 0;
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].error.unattached, PT_ERROR_NO_QUOTE);
	CU_ASSERT_FALSE(echoes[0].have & PT_HAVE_SEND);
	pt_pair_free(p);
}

/* A port unreachable for a UDP datagram is no echo's business */
static void test_pair_error_quoting_udp_ignored(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	request_to_target(p, 1, 10 * MS);
	ev = error_event(PT_ICMP_DEST_UNREACH, 3, T, 1, 11 * MS, NS_A);
	ev.orig.protocol = 17;
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->errors, 0);
	pt_pair_free(p);
}

/* After the error, a late reply to the same request is not an echo */
static void test_pair_error_then_reply_unmatched(void)
{
	struct pt_pair *p = new_pair(0);
	struct pt_event ev;

	request_to_target(p, 1, 10 * MS);
	ev = error_event(PT_ICMP_DEST_UNREACH, 1, R, 1, 11 * MS, NS_A);
	pt_pair_feed(p, &ev);
	feed(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, T, A, 7, 1, 12 * MS, NS_A);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_UNMATCHED);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->received, 0);
	pt_pair_free(p);
}

void ut_add_pair_suite(void)
{
	CU_pSuite s = CU_add_suite("pair", NULL, NULL);

	UT_ADD_TEST(s, test_pair_echo_ok);
	UT_ADD_TEST(s, test_pair_four_point_breakdown);
	UT_ADD_TEST(s, test_pair_loopback_four_points);
	UT_ADD_TEST(s, test_pair_forwarded_copies_are_hops);
	UT_ADD_TEST(s, test_pair_lost_at_finish);
	UT_ADD_TEST(s, test_pair_lost_after_timeout);
	UT_ADD_TEST(s, test_pair_duplicate_reply);
	UT_ADD_TEST(s, test_pair_unmatched_reply);
	UT_ADD_TEST(s, test_pair_reply_needs_swapped_addresses);
	UT_ADD_TEST(s, test_pair_reply_after_seq_wrap);
	UT_ADD_TEST(s, test_pair_newest_request_after_wrap);
	UT_ADD_TEST(s, test_pair_id_reuse_after_answer);
	UT_ADD_TEST(s, test_pair_two_pingers_same_seq);
	UT_ADD_TEST(s, test_pair_fragmented_reply_counts_at_last_fragment);
	UT_ADD_TEST(s, test_pair_fragment_last_before_first);
	UT_ADD_TEST(s, test_pair_fragments_joined_on_ip_id);
	UT_ADD_TEST(s, test_pair_fragmented_request_counts_at_first_fragment);
	UT_ADD_TEST(s, test_pair_events_lost_make_unknown_not_lost);
	UT_ADD_TEST(s, test_pair_unmatched_after_loss_is_unknown);
	UT_ADD_TEST(s, test_pair_held_reply_unknown_if_loss_counted_later);
	UT_ADD_TEST(s, test_pair_held_replies_bounded_never_dropped);
	UT_ADD_TEST(s, test_pair_bounded_outstanding_evicts_with_count);
	UT_ADD_TEST(s, test_pair_answered_table_bounded);
	UT_ADD_TEST(s, test_pair_rtt_stats_like_ping);
	UT_ADD_TEST(s, test_pair_no_replies_zero_rtt);
	UT_ADD_TEST(s, test_pair_ignores_non_echo);
	UT_ADD_TEST(s, test_pair_error_closes_the_request_it_quotes);
	UT_ADD_TEST(s, test_pair_errors_not_counted_as_lost);
	UT_ADD_TEST(s, test_pair_error_seen_at_router_is_a_hop);
	UT_ADD_TEST(s, test_pair_router_answering_with_error_is_not_target);
	UT_ADD_TEST(s, test_pair_routed_path_in_order);
	UT_ADD_TEST(s, test_pair_request_older_than_noted_loss_unknown);
	UT_ADD_TEST(s, test_pair_forwarded_then_lost_has_no_target);
	UT_ADD_TEST(s, test_pair_unanswered_arrival_is_the_target);
	UT_ADD_TEST(s, test_pair_path_full_counted);
	UT_ADD_TEST(s, test_pair_error_quoting_unknown_request_stands_alone);
	UT_ADD_TEST(s, test_pair_error_without_orig_fields_unattached);
	UT_ADD_TEST(s, test_pair_error_with_unread_quote_unattached);
	UT_ADD_TEST(s, test_pair_error_quoting_udp_ignored);
	UT_ADD_TEST(s, test_pair_error_then_reply_unmatched);
}
