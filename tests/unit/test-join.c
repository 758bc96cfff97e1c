// SPDX-License-Identifier: GPL-2.0
/*
 * join: kernel drops joined to packets by skb address, and the
 * skb:kfree_skb decoder, fed formats written as 6.12 and 6.1 write them.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <event-parse.h>

#include "drop.h"
#include "pair.h"
#include "unit.h"

#define A	"198.51.100.1"
#define C	"203.0.113.2"
#define NS_A	4026532079u
#define NS_R	4026532120u
#define SKB_X	0xffff888004a1b200ULL
#define SKB_Y	0xffff888004a1c300ULL

static struct pt_event packet_event(int dir, int type, uint16_t seq,
				    uint64_t skb, uint32_t netns,
				    const char *dev)
{
	struct pt_event ev = ut_event(dir, type, type == PT_ICMP_ECHO ? A : C,
				      type == PT_ICMP_ECHO ? C : A, 7, seq,
				      seq * 1000);

	ev.skbaddr = skb;
	ev.netns = netns;
	strcpy(ev.dev, dev);
	return ev;
}

static struct pt_kfree kfree_of(uint64_t skb)
{
	struct pt_kfree k = { .ts = 5000, .skbaddr = skb,
			      .location = 0xffffffff81a2b3c4ULL,
			      .protocol = PT_ETH_P_IP, .reason = 2,
			      .reason_name = "NO_SOCKET",
			      .function = "ip_forward" };

	return k;
}

static void test_join_drop_names_the_packet_of_the_latest_event(void)
{
	struct pt_join j;
	struct pt_event ev;
	struct pt_kfree k = kfree_of(SKB_X);
	struct pt_packet pkt;

	CU_ASSERT_EQUAL_FATAL(pt_join_init(&j, 16), 0);
	ev = packet_event(PT_DIR_SEND, PT_ICMP_ECHO, 1, SKB_X, NS_A, "ar");
	pt_join_event(&j, &ev);
	ev = packet_event(PT_DIR_RECV, PT_ICMP_ECHO, 1, SKB_X, NS_R, "ra");
	pt_join_event(&j, &ev);		/* veth keeps the skb: a hop */
	CU_ASSERT_EQUAL_FATAL(pt_join_drop(&j, &k, &pkt), 1);
	CU_ASSERT_EQUAL(pkt.netns, NS_R);
	CU_ASSERT_STRING_EQUAL(pkt.dev, "ra");
	CU_ASSERT_EQUAL(pkt.icmp_seq, 1);
	CU_ASSERT_EQUAL(pkt.icmp_type, PT_ICMP_ECHO);
	/* the drop ended the packet: a second free is not its */
	CU_ASSERT_EQUAL(pt_join_drop(&j, &k, &pkt), 0);
	pt_join_release(&j);
}

/* An address seen again in a new SND or RCV is a new packet */
static void test_join_address_reuse_starts_a_new_packet(void)
{
	struct pt_join j;
	struct pt_event ev;
	struct pt_kfree k = kfree_of(SKB_X);
	struct pt_packet pkt;

	CU_ASSERT_EQUAL_FATAL(pt_join_init(&j, 16), 0);
	ev = packet_event(PT_DIR_SEND, PT_ICMP_ECHO, 1, SKB_X, NS_A, "ar");
	pt_join_event(&j, &ev);
	ev = packet_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY, 9, SKB_X, NS_A,
			  "ar");
	pt_join_event(&j, &ev);
	CU_ASSERT_EQUAL_FATAL(pt_join_drop(&j, &k, &pkt), 1);
	CU_ASSERT_EQUAL(pkt.icmp_type, PT_ICMP_ECHOREPLY);
	CU_ASSERT_EQUAL(pkt.icmp_seq, 9);
	pt_join_release(&j);
}

/* Dropped in ip_rcv_core() before the event, or before ip_output() */
static void test_join_drop_before_any_event_is_not_guessed(void)
{
	struct pt_join j;
	struct pt_event ev;
	struct pt_kfree k = kfree_of(SKB_Y);
	struct pt_packet pkt;
	struct pt_drop d;

	CU_ASSERT_EQUAL_FATAL(pt_join_init(&j, 16), 0);
	ev = packet_event(PT_DIR_SEND, PT_ICMP_ECHO, 1, SKB_X, NS_A, "ar");
	pt_join_event(&j, &ev);
	CU_ASSERT_EQUAL(pt_join_drop(&j, &k, &pkt), 0);
	pt_drop_fill(&d, NULL, &k);
	CU_ASSERT_EQUAL(d.netns, 0);
	CU_ASSERT_STRING_EQUAL(d.dev, "");
	CU_ASSERT_STRING_EQUAL(d.location, "ip_forward");
	pt_join_release(&j);
}

/* Memory is bounded: the oldest packets are forgotten first */
static void test_join_bounded_forgets_the_oldest(void)
{
	struct pt_join j;
	struct pt_event ev;
	struct pt_kfree k = kfree_of(SKB_X);
	struct pt_packet pkt;
	uint16_t seq;

	CU_ASSERT_EQUAL_FATAL(pt_join_init(&j, 2), 0);
	for (seq = 1; seq <= 3; seq++) {
		ev = packet_event(PT_DIR_SEND, PT_ICMP_ECHO, seq,
				  SKB_X + seq * 256, NS_A, "ar");
		pt_join_event(&j, &ev);
	}
	CU_ASSERT_EQUAL(j.evicted, 1);
	k.skbaddr = SKB_X + 256;
	CU_ASSERT_EQUAL(pt_join_drop(&j, &k, &pkt), 0);
	k.skbaddr = SKB_X + 3 * 256;
	CU_ASSERT_EQUAL(pt_join_drop(&j, &k, &pkt), 1);
	pt_join_release(&j);
}

static void test_drop_fill_without_symbol_or_name(void)
{
	struct pt_kfree k = kfree_of(SKB_X);
	struct pt_packet pkt = { .netns = NS_R, .dev = "rc" };
	struct pt_drop d;

	k.function = NULL;
	k.reason_name = NULL;
	pt_drop_fill(&d, &pkt, &k);
	CU_ASSERT_STRING_EQUAL(d.location, "0xffffffff81a2b3c4");
	CU_ASSERT_STRING_EQUAL(d.reason, "2");
	CU_ASSERT_EQUAL(d.netns, NS_R);
	CU_ASSERT_STRING_EQUAL(d.dev, "rc");
	k.reason = -1;
	pt_drop_fill(&d, &pkt, &k);
	CU_ASSERT_STRING_EQUAL(d.reason, "");
}

static void collect_none(const struct pt_echo *echo, void *data)
{
	*(struct pt_echo *)data = *echo;
}

/* The packet of @ev as the join keeps it, seen last in @netns on @dev */
static struct pt_packet packet_of(const struct pt_event *ev, uint32_t netns,
				  const char *dev)
{
	struct pt_packet pkt = { 0 };

	pkt.saddr = ev->saddr;
	pkt.daddr = ev->daddr;
	pkt.icmp_id = ev->icmp_id;
	pkt.icmp_seq = ev->icmp_seq;
	pkt.icmp_type = ev->icmp_type;
	pkt.has_icmp = 1;
	pkt.netns = netns;
	strcpy(pkt.dev, dev);
	return pkt;
}

static struct pt_pair *pair_keeping_last(struct pt_echo *last)
{
	struct pt_pair_config cfg;

	pt_pair_config_default(&cfg);
	return pt_pair_new(&cfg, collect_none, last);
}

/* The outstanding echo keeps the drop of its request until decided */
static void test_pair_drop_kept_by_the_outstanding_echo(void)
{
	struct pt_echo last;
	struct pt_pair *p = pair_keeping_last(&last);
	struct pt_event ev;
	struct pt_kfree k = kfree_of(SKB_X);
	struct pt_packet pkt;
	struct pt_drop d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	ev = packet_event(PT_DIR_SEND, PT_ICMP_ECHO, 1, SKB_X, NS_A, "ar");
	pt_pair_feed(p, &ev);
	pkt = packet_of(&ev, NS_R, "rc");
	pt_drop_fill(&d, &pkt, &k);
	CU_ASSERT_EQUAL(pt_pair_drop(p, &pkt, &d), 1);
	pkt.icmp_seq = 2;		/* no such echo */
	CU_ASSERT_EQUAL(pt_pair_drop(p, &pkt, &d), 0);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(last.status, PT_ECHO_LOST);
	CU_ASSERT(last.have & PT_HAVE_DROP);
	CU_ASSERT_EQUAL(last.drop.netns, NS_R);
	CU_ASSERT_STRING_EQUAL(last.drop.location, "ip_forward");
	CU_ASSERT_STRING_EQUAL(last.drop.reason, "NO_SOCKET");
	CU_ASSERT_EQUAL(pt_pair_stats(p)->drops, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->drops_other, 1);
	pt_pair_free(p);
}

/*
 * A root ping's reply is freed with NO_SOCKET after its raw socket took a
 * copy: a drop of an answered echo's packet, not of an echo
 */
static void test_pair_drop_of_answered_reply_counted_apart(void)
{
	struct pt_echo last;
	struct pt_pair *p = pair_keeping_last(&last);
	struct pt_event ev;
	struct pt_kfree k = kfree_of(SKB_X);
	struct pt_packet pkt;
	struct pt_drop d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	ev = packet_event(PT_DIR_SEND, PT_ICMP_ECHO, 1, SKB_X, NS_A, "ar");
	pt_pair_feed(p, &ev);
	ev = packet_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY, 1, SKB_X, NS_A,
			  "ar");
	ev.ts += 1000;
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL(last.status, PT_ECHO_OK);
	pkt = packet_of(&ev, NS_A, "ar");
	pt_drop_fill(&d, &pkt, &k);
	CU_ASSERT_EQUAL(pt_pair_drop(p, &pkt, &d), 0);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->drops, 0);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->drops_answered, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->drops_other, 0);
	pt_pair_free(p);
}

/* Formats as the kernels write them: 6.12 has rx_sk, 6.1 does not */
static const char kfree_612[] =
	"name: kfree_skb\n"
	"ID: 1400\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:void * rx_sk;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned short protocol;\toffset:32;\tsize:2;\tsigned:0;\n"
	"\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"skbaddr=%p rx_sk=%p protocol=%u location=%pS reason: %s\", "
	"REC->skbaddr, REC->rx_sk, REC->protocol, REC->location, "
	"__print_symbolic(REC->reason, { 1, \"NOT_SPECIFIED\" }, "
	"{ 2, \"NO_SOCKET\" }, { 73, \"NEIGH_FAILED\" })\n";

static const char kfree_61[] =
	"name: kfree_skb\n"
	"ID: 1400\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;\n"
	"\tfield:enum skb_drop_reason reason;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"skbaddr=%p protocol=%u location=%p reason: %s\", "
	"REC->skbaddr, REC->protocol, REC->location, "
	"__print_symbolic(REC->reason, { 1, \"NOT_SPECIFIED\" }, "
	"{ 2, \"NO_SOCKET\" }, { 65, \"NEIGH_FAILED\" })\n";

/* A kfree_skb of SKB_X at 0xffffffff81000010 for @reason */
static int decode_kfree(const char *fmt, int proto_off, int reason_off,
			int reason, struct pt_kfree *k)
{
	struct tep_handle *tep = tep_alloc();
	struct pt_drop_decoder d;
	unsigned char buf[40] = { 0 };
	struct tep_record rec = { .ts = 77, .data = buf, .size = 40 };
	int ret;

	tep_set_long_size(tep, 8);
	CU_ASSERT_EQUAL_FATAL(tep_parse_event(tep, fmt, strlen(fmt), "skb"),
			      0);
	tep_register_function(tep, "neigh_invalidate", 0xffffffff81000000ULL,
			      NULL);
	tep_register_function(tep, "zzz_next", 0xffffffff81000100ULL, NULL);
	CU_ASSERT_EQUAL_FATAL(pt_drop_decoder_init(&d, tep), 0);
	ut_put(buf, 1400, 2, 0);
	ut_put(buf + 8, SKB_X, 8, 0);
	ut_put(buf + 16, 0xffffffff81000010ULL, 8, 0);
	ut_put(buf + proto_off, PT_ETH_P_IP, 2, 0);
	ut_put(buf + reason_off, reason, 4, 0);
	ret = pt_drop_decode(&d, &rec, k);
	if (ret == 1 && k->function)
		k->function = strdup(k->function);
	if (ret == 1 && k->reason_name)
		k->reason_name = strdup(k->reason_name);
	tep_free(tep);
	return ret;
}

static void check_kfree(const char *fmt, int proto_off, int reason_off,
			int neigh_failed)
{
	struct pt_kfree k;

	CU_ASSERT_EQUAL_FATAL(decode_kfree(fmt, proto_off, reason_off,
					   neigh_failed, &k), 1);
	CU_ASSERT_EQUAL(k.skbaddr, SKB_X);
	CU_ASSERT_EQUAL(k.protocol, PT_ETH_P_IP);
	CU_ASSERT_EQUAL(k.reason, neigh_failed);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.reason_name);
	CU_ASSERT_STRING_EQUAL(k.reason_name, "NEIGH_FAILED");
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.function);
	CU_ASSERT_STRING_EQUAL(k.function, "neigh_invalidate");
	free((char *)k.function);
	free((char *)k.reason_name);
}

/* The same name from two numbers: the table is the event's own */
static void test_drop_decode_reason_from_the_events_table(void)
{
	check_kfree(kfree_612, 32, 36, 73);
	check_kfree(kfree_61, 24, 28, 65);
}

static void test_drop_decode_unknown_reason_has_no_name(void)
{
	struct pt_kfree k;

	CU_ASSERT_EQUAL_FATAL(decode_kfree(kfree_612, 32, 36, 999, &k), 1);
	CU_ASSERT_EQUAL(k.reason, 999);
	CU_ASSERT_PTR_NULL(k.reason_name);
	free((char *)k.function);
}

/*
 * The last location's function is kept: a second drop at another place
 * is named by its own, a third at the first place by the first's, and a
 * record of another type is not a drop
 */
static void test_drop_decode_names_each_location(void)
{
	static const uint64_t at[] = {
		0xffffffff81000010ULL, 0xffffffff81000110ULL,
		0xffffffff81000010ULL, 0xffffffff810000f0ULL,
	};
	static const char *const fn[] = {
		"neigh_invalidate", "zzz_next", "neigh_invalidate",
		"neigh_invalidate",
	};
	struct tep_handle *tep = tep_alloc();
	unsigned char buf[40] = { 0 };
	struct tep_record rec = { .ts = 77, .data = buf, .size = 40 };
	struct pt_drop_decoder d;
	struct pt_kfree k;
	unsigned int i;

	tep_set_long_size(tep, 8);
	CU_ASSERT_EQUAL_FATAL(tep_parse_event(tep, kfree_612,
					      strlen(kfree_612), "skb"), 0);
	tep_register_function(tep, "neigh_invalidate", 0xffffffff81000000ULL,
			      NULL);
	tep_register_function(tep, "zzz_next", 0xffffffff81000100ULL, NULL);
	tep_register_function(tep, "zzz_end", 0xffffffff81000200ULL, NULL);
	CU_ASSERT_EQUAL_FATAL(pt_drop_decoder_init(&d, tep), 0);
	ut_put(buf, 1400, 2, 0);
	ut_put(buf + 8, SKB_X, 8, 0);
	ut_put(buf + 32, PT_ETH_P_IP, 2, 0);
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		ut_put(buf + 16, at[i], 8, 0);
		CU_ASSERT_EQUAL_FATAL(pt_drop_decode(&d, &rec, &k), 1);
		CU_ASSERT_EQUAL(k.location, at[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(k.function);
		CU_ASSERT_STRING_EQUAL(k.function, fn[i]);
	}
	ut_put(buf, 1401, 2, 0);
	CU_ASSERT_EQUAL(pt_drop_decode(&d, &rec, &k), 0);
	rec.size = 1;
	ut_put(buf, 1400, 2, 0);
	CU_ASSERT_EQUAL(pt_drop_decode(&d, &rec, &k), 0);
	rec.size = 30;
	CU_ASSERT_EQUAL(pt_drop_decode(&d, &rec, &k), -EPROTO);
	tep_free(tep);
}

void ut_add_join_suite(void)
{
	CU_pSuite s = CU_add_suite("join", NULL, NULL);

	UT_ADD_TEST(s, test_join_drop_names_the_packet_of_the_latest_event);
	UT_ADD_TEST(s, test_join_address_reuse_starts_a_new_packet);
	UT_ADD_TEST(s, test_join_drop_before_any_event_is_not_guessed);
	UT_ADD_TEST(s, test_join_bounded_forgets_the_oldest);
	UT_ADD_TEST(s, test_drop_fill_without_symbol_or_name);
	UT_ADD_TEST(s, test_pair_drop_kept_by_the_outstanding_echo);
	UT_ADD_TEST(s, test_pair_drop_of_answered_reply_counted_apart);
	UT_ADD_TEST(s, test_drop_decode_reason_from_the_events_table);
	UT_ADD_TEST(s, test_drop_decode_unknown_reason_has_no_name);
	UT_ADD_TEST(s, test_drop_decode_names_each_location);
}
