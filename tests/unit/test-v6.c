// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6: net:ip6_icmp decoded into the same struct pt_event, then paired,
 * joined and written as IPv4 is (issue 14).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "decode.h"
#include "output.h"
#include "pair.h"
#include "session.h"
#include "unit.h"

#define A6	"2001:db8::1"		/* requester */
#define B6	"2001:db8::2"		/* responder */
#define R6	"2001:db8::fe"		/* a router's near side */
#define T6	"2001:db8:c::2"		/* behind the router */
#define NS_A	4026531840u
#define NS_B	4026532300u
#define NS_R	4026532400u
#define MS	1000000ULL
#define MAX_ECHOES 16

static struct pt_echo echoes[MAX_ECHOES];
static int nr_echoes;

/* ---- decode ----------------------------------------------------------- */

static struct pt_event sample6(void)
{
	struct pt_event ev = ut_event6(PT_DIR_RECV, PT_ICMP6_ECHOREPLY, B6, A6,
				       0x1234, 0xfffe, 5000);

	ev.pid = 777;
	ev.skbaddr = 0xffff888012345678ULL;
	ev.netns = 4026532000u;
	ev.ifindex = -3;
	ev.tot_len = 1500;
	ev.flow_label = 0xc595a;
	ev.ttl = 63;
	return ev;
}

static int decode6_with(const char *fmt, int be, const struct pt_event *in,
			struct pt_event *out)
{
	struct tep_handle *tep = ut_tep_with_format(fmt, be);
	unsigned char buf[UT_RECORD6_SIZE];
	struct tep_record rec = { .ts = in->ts, .cpu = 1, .data = buf,
				  .size = UT_RECORD6_SIZE };
	struct pt_decoder dec;
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	tep_register_comm(tep, "pinger", in->pid);
	ret = pt_decoder6_init(&dec, tep);
	if (ret == PT_FORMAT_OK) {
		ut_build_record6(buf, in, be);
		ret = pt_decode(&dec, &rec, out);
	}
	tep_free(tep);
	return ret;
}

static void test_v6_decode_fields_of_the_kernel_format(void)
{
	struct pt_event in = sample6(), out;
	int be;

	for (be = 0; be < 2; be++) {
		CU_ASSERT_EQUAL_FATAL(decode6_with(ut_kernel_format6(), be, &in,
						   &out), PT_DECODE_OK);
		CU_ASSERT_EQUAL(out.saddr.family, AF_INET6);
		CU_ASSERT(pt_addr_eq(&out.saddr, &in.saddr));
		CU_ASSERT(pt_addr_eq(&out.daddr, &in.daddr));
		CU_ASSERT_EQUAL(out.pid, 777);
		CU_ASSERT_STRING_EQUAL(out.comm, "pinger");
		CU_ASSERT_EQUAL(out.skbaddr, in.skbaddr);
		CU_ASSERT_EQUAL(out.netns, in.netns);
		CU_ASSERT_EQUAL(out.ifindex, -3);
		CU_ASSERT_STRING_EQUAL(out.dev, "veth0");
		CU_ASSERT_EQUAL(out.tot_len, 1500);
		CU_ASSERT_EQUAL(out.ttl, 63);
		CU_ASSERT_EQUAL(out.flow_label, 0xc595a);
		CU_ASSERT_EQUAL(out.icmp_type, PT_ICMP6_ECHOREPLY);
		CU_ASSERT_EQUAL(out.icmp_id, 0x1234);
		CU_ASSERT_EQUAL(out.icmp_seq, 0xfffe);
		CU_ASSERT_EQUAL(out.protocol, PT_IPPROTO_ICMPV6);
		CU_ASSERT(out.has_icmp);
		CU_ASSERT(!out.has_orig);
		CU_ASSERT(out.orig_format);
		CU_ASSERT(pt_event_is_reply(&out));
		CU_ASSERT(!pt_event_is_fragment(&out));
	}
}

/* ping -6 -s 3000's first fragment in, and a packet too big's quote */
/*
 * The kernel's own format, from the 6.12 test VM: the layout the tests
 * build records in is the one the kernel has
 */
static void test_v6_decode_the_kernels_own_format(void)
{
	struct pt_event in = sample6(), out;
	char *fmt = calloc(1, 8192);
	FILE *fp = fopen(PT_FIXTURES "/ip6_icmp.format", "r");

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_FATAL(fread(fmt, 1, 8191, fp) > 0);
	fclose(fp);
	in.has_orig = 1;
	in.orig.saddr = ut_ip6(A6);
	in.orig.daddr = ut_ip6(T6);
	in.orig.protocol = PT_IPPROTO_ICMPV6;
	in.orig.icmp_seq = 9;
	CU_ASSERT_EQUAL_FATAL(decode6_with(fmt, 0, &in, &out), PT_DECODE_OK);
	CU_ASSERT(pt_addr_eq(&out.saddr, &in.saddr));
	CU_ASSERT(pt_addr_eq(&out.daddr, &in.daddr));
	CU_ASSERT(pt_addr_eq(&out.orig.daddr, &in.orig.daddr));
	CU_ASSERT_EQUAL(out.orig.icmp_seq, 9);
	CU_ASSERT_EQUAL(out.flow_label, in.flow_label);
	CU_ASSERT_EQUAL(out.tot_len, in.tot_len);
	CU_ASSERT_EQUAL(out.icmp_seq, in.icmp_seq);
	free(fmt);
}

static void test_v6_decode_fragment_and_quote(void)
{
	struct pt_event in = sample6(), out;

	in.nexthdr = 44;
	in.has_frag = 1;
	in.ip_id = 3847215651u;
	in.frag_off = PT_IP6_MF;
	CU_ASSERT_EQUAL_FATAL(decode6_with(ut_kernel_format6(), 0, &in, &out),
			      PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.ip_id, 3847215651u);
	CU_ASSERT(out.has_frag);
	CU_ASSERT(pt_event_is_first_fragment(&out));
	CU_ASSERT_EQUAL(out.nexthdr, 44);

	in = ut_event6(PT_DIR_RECV, PT_ICMP6_PKT_TOOBIG, R6, A6, 0, 0, 9000);
	in.mtu = 1400;
	in.has_orig = 1;
	in.orig.saddr = ut_ip6(A6);
	in.orig.daddr = ut_ip6(T6);
	in.orig.protocol = PT_IPPROTO_ICMPV6;
	in.orig.icmp_id = 99;
	in.orig.icmp_seq = 3;
	CU_ASSERT_EQUAL_FATAL(decode6_with(ut_kernel_format6(), 1, &in, &out),
			      PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.mtu, 1400);
	CU_ASSERT(out.has_orig);
	CU_ASSERT(pt_addr_eq(&out.orig.daddr, &in.orig.daddr));
	CU_ASSERT_EQUAL(out.orig.daddr.family, AF_INET6);
	CU_ASSERT_EQUAL(out.orig.icmp_seq, 3);
}

/* A non-first fragment: no ICMPv6 header read, its fields are 0 */
static void test_v6_decode_no_icmp_zeroes_icmp_fields(void)
{
	struct pt_event in = sample6(), out;

	in.has_icmp = 0;
	in.has_frag = 1;
	in.frag_off = 1448;
	CU_ASSERT_EQUAL_FATAL(decode6_with(ut_kernel_format6(), 0, &in, &out),
			      PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.icmp_type, 0);
	CU_ASSERT_EQUAL(out.icmp_id, 0);
	CU_ASSERT_EQUAL(out.icmp_seq, 0);
	CU_ASSERT(pt_event_is_last_fragment(&out));
	CU_ASSERT_EQUAL(pt_event_frag_offset(&out), 1448);
}

static char *without_field(const char *name)
{
	const char *fmt = ut_kernel_format6();
	const char *at = strstr(fmt, name);
	const char *start, *end;
	char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	for (start = at; start > fmt && start[-1] != '\n'; start--)
		;
	end = strchr(at, '\n') + 1;
	out = malloc(strlen(fmt) + 1);
	memcpy(out, fmt, start - fmt);
	strcpy(out + (start - fmt), end);
	return out;
}

static void test_v6_decoder_needs_every_field(void)
{
	struct pt_event in = sample6(), out;
	char *fmt = without_field("u32 mtu;");

	CU_ASSERT_EQUAL(decode6_with(fmt, 0, &in, &out), PT_FORMAT_NO_FIELD);
	free(fmt);
}

/* Each decoder knows its own event only; a short record is malformed */
static void test_v6_decoders_keep_to_their_event(void)
{
	struct tep_handle *tep = ut_tep_with_both(0);
	unsigned char buf[UT_RECORD6_SIZE];
	struct tep_record rec = { .ts = 1, .data = buf,
				  .size = UT_RECORD6_SIZE };
	struct pt_event ev = sample6(), out;
	struct pt_decoder dec4, dec6;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL(pt_decoder_init(&dec4, tep), PT_FORMAT_OK);
	CU_ASSERT_EQUAL(pt_decoder6_init(&dec6, tep), PT_FORMAT_OK);
	ut_build_record6(buf, &ev, 0);
	CU_ASSERT_EQUAL(pt_decode(&dec4, &rec, &out), PT_DECODE_OTHER_EVENT);
	CU_ASSERT_EQUAL(pt_decode(&dec6, &rec, &out), PT_DECODE_OK);
	rec.size = UT_RECORD6_SIZE - 4;
	CU_ASSERT_EQUAL(pt_decode(&dec6, &rec, &out), PT_DECODE_MALFORMED);
	tep_free(tep);

	tep = ut_tep_with_format(ut_kernel_format(), 0);
	CU_ASSERT_EQUAL(pt_decoder6_init(&dec6, tep), PT_FORMAT_NO_EVENT);
	CU_ASSERT_EQUAL(pt_decode(&dec6, &rec, &out), PT_DECODE_OTHER_EVENT);
	tep_free(tep);
}

/* ---- pair ------------------------------------------------------------- */

static void collect(const struct pt_echo *echo, void *data)
{
	(void)data;
	if (nr_echoes < MAX_ECHOES)
		echoes[nr_echoes] = *echo;
	nr_echoes++;
}

static struct pt_pair *new_pair(void)
{
	struct pt_pair_config cfg;

	pt_pair_config_default(&cfg);
	nr_echoes = 0;
	memset(echoes, 0, sizeof(echoes));
	return pt_pair_new(&cfg, collect, NULL);
}

static void feed6(struct pt_pair *p, int dir, int type, const char *src,
		  const char *dst, uint16_t seq, uint64_t ts, uint32_t netns)
{
	struct pt_event ev = ut_event6(dir, type, src, dst, 7, seq, ts);

	ev.netns = netns;
	pt_pair_feed(p, &ev);
}

static void test_pair_v6_echo_has_four_points(void)
{
	struct pt_pair *p = new_pair();

	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHO, A6, B6, 1, 100, NS_A);
	feed6(p, PT_DIR_RECV, PT_ICMP6_ECHO, A6, B6, 1, 140, NS_B);
	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHOREPLY, B6, A6, 1, 170, NS_B);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	feed6(p, PT_DIR_RECV, PT_ICMP6_ECHOREPLY, B6, A6, 1, 200, NS_A);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT(pt_addr_eq(&echoes[0].src, &(struct pt_addr){ 0 }) == 0);
	CU_ASSERT_EQUAL(echoes[0].src.family, AF_INET6);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 100);
	CU_ASSERT_EQUAL(echoes[0].target_recv_ns, 140);
	CU_ASSERT_EQUAL(echoes[0].target_send_ns, 170);
	CU_ASSERT_EQUAL(echoes[0].nr_path, 4);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->sent, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->received, 1);
	pt_pair_free(p);
}

static void test_pair_v6_loopback(void)
{
	struct pt_pair *p = new_pair();

	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHO, "::1", "::1", 1, 10, NS_A);
	feed6(p, PT_DIR_RECV, PT_ICMP6_ECHO, "::1", "::1", 1, 20, NS_A);
	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHOREPLY, "::1", "::1", 1, 30, NS_A);
	feed6(p, PT_DIR_RECV, PT_ICMP6_ECHOREPLY, "::1", "::1", 1, 45, NS_A);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 35);
	pt_pair_free(p);
}

/* IPv4 types are not IPv6's: an IPv6 type 8 or 0 is no echo */
static void test_pair_v6_types_are_icmpv6s(void)
{
	struct pt_pair *p = new_pair();

	feed6(p, PT_DIR_SEND, PT_ICMP_ECHO, A6, B6, 1, 10, NS_A);
	feed6(p, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B6, A6, 1, 20, NS_A);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->sent, 0);
	pt_pair_free(p);
}

/* An IPv4 reply whose address bytes are the IPv6 request's first four */
static void test_pair_v6_and_v4_never_pair(void)
{
	struct pt_pair *p = new_pair();
	struct pt_event ev;

	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHO, "2001:db8::", "2001:db8::", 1,
	      10, NS_A);
	ev = ut_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY, "32.1.13.184",
		      "32.1.13.184", 7, 1, 20);
	ev.netns = NS_A;
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_UNMATCHED);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL(nr_echoes, 2);
	CU_ASSERT_EQUAL(echoes[1].status, PT_ECHO_LOST);
	pt_pair_free(p);
}

static struct pt_event frag6(int dir, int type, const char *src,
			     const char *dst, uint16_t off, int more,
			     uint64_t ts)
{
	struct pt_event ev = ut_event6(dir, type, src, dst, 7, 1, ts);

	ev.netns = NS_A;
	ev.nexthdr = 44;
	ev.has_frag = 1;
	ev.ip_id = 0x80000001u;		/* IPv6 ids are 32 bits */
	ev.frag_off = off | (more ? PT_IP6_MF : 0);
	if (off)
		ev.has_icmp = 0, ev.icmp_type = 0, ev.icmp_id = 0,
		ev.icmp_seq = 0;
	return ev;
}

/* ping -6 -s 3000: the reply comes in as three fragments, closed by the last */
static void test_pair_v6_fragments_close_on_the_last(void)
{
	struct pt_pair *p = new_pair();
	struct pt_event ev;

	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHO, A6, B6, 1, 100, NS_A);
	ev = frag6(PT_DIR_RECV, PT_ICMP6_ECHOREPLY, B6, A6, 0, 1, 200);
	pt_pair_feed(p, &ev);
	ev = frag6(PT_DIR_RECV, PT_ICMP6_ECHOREPLY, B6, A6, 1448, 1, 210);
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL(nr_echoes, 0);
	ev = frag6(PT_DIR_RECV, PT_ICMP6_ECHOREPLY, B6, A6, 2896, 0, 220);
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	CU_ASSERT_EQUAL(pt_echo_rtt(&echoes[0]), 120);
	pt_pair_free(p);
}

/* A fragment header with offset 0 and no M is a whole packet */
static void test_pair_v6_atomic_fragment_is_whole(void)
{
	struct pt_pair *p = new_pair();
	struct pt_event ev;

	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHO, A6, B6, 1, 100, NS_A);
	ev = frag6(PT_DIR_RECV, PT_ICMP6_ECHOREPLY, B6, A6, 0, 0, 150);
	CU_ASSERT(!pt_event_is_fragment(&ev));
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_OK);
	pt_pair_free(p);
}

static struct pt_event error6(int dir, int type, uint64_t ts, uint32_t netns)
{
	struct pt_event ev = ut_event6(dir, type, R6, A6, 0, 0, ts);

	ev.netns = netns;
	ev.has_orig = 1;
	ev.orig.saddr = ut_ip6(A6);
	ev.orig.daddr = ut_ip6(T6);
	ev.orig.protocol = PT_IPPROTO_ICMPV6;
	ev.orig.icmp_id = 7;
	ev.orig.icmp_seq = 1;
	return ev;
}

/* ping -6 -t 1 through a router: time exceeded closes the echo */
static void test_pair_v6_time_exceeded_closes_request(void)
{
	struct pt_pair *p = new_pair();
	struct pt_event ev;

	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHO, A6, T6, 1, 10 * MS, NS_A);
	feed6(p, PT_DIR_RECV, PT_ICMP6_ECHO, A6, T6, 1, 11 * MS, NS_R);
	ev = error6(PT_DIR_SEND, PT_ICMP6_TIME_EXCEED, 12 * MS, NS_R);
	pt_pair_feed(p, &ev);
	ev = error6(PT_DIR_RECV, PT_ICMP6_TIME_EXCEED, 13 * MS, NS_A);
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_ERROR);
	CU_ASSERT_EQUAL(echoes[0].error.type, PT_ICMP6_TIME_EXCEED);
	CU_ASSERT(pt_addr_eq(&echoes[0].error.from, &ev.saddr));
	CU_ASSERT(!(echoes[0].have & PT_HAVE_TARGET_RECV));
	CU_ASSERT_EQUAL(echoes[0].nr_path, 4);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->errors, 1);
	CU_ASSERT_EQUAL(pt_stats_loss_pct(pt_pair_stats(p)), 100);
	pt_pair_free(p);
}

static void test_pair_v6_packet_too_big_keeps_mtu(void)
{
	struct pt_pair *p = new_pair();
	struct pt_event ev;

	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHO, A6, T6, 1, 10 * MS, NS_A);
	ev = error6(PT_DIR_RECV, PT_ICMP6_PKT_TOOBIG, 13 * MS, NS_A);
	ev.mtu = 1400;
	pt_pair_feed(p, &ev);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_ERROR);
	CU_ASSERT_EQUAL(echoes[0].error.has_mtu, 1);
	CU_ASSERT_EQUAL(echoes[0].error.mtu, 1400);
	pt_pair_free(p);
}

/* Neighbour discovery and MLD: never an echo, never an error */
static void test_pair_v6_nd_and_mld_are_no_echo(void)
{
	static const int types[] = { 130, 131, 132, 133, 134, 135, 136, 137,
				     143 };
	struct pt_pair *p = new_pair();
	struct pt_event ev;
	unsigned int i;

	feed6(p, PT_DIR_SEND, PT_ICMP6_ECHO, A6, B6, 1, 10, NS_A);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		ev = ut_event6(PT_DIR_RECV, types[i], B6, A6, 7, 1, 20 + i);
		ev.netns = NS_A;
		ev.has_orig = 1;	/* even with a quote it is none */
		ev.orig.saddr = ut_ip6(A6);
		ev.orig.daddr = ut_ip6(B6);
		ev.orig.protocol = PT_IPPROTO_ICMPV6;
		ev.orig.icmp_id = 7;
		ev.orig.icmp_seq = 1;
		pt_pair_feed(p, &ev);
		CU_ASSERT(pt_event_is_nd_mld(&ev));
	}
	CU_ASSERT_EQUAL(nr_echoes, 0);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT_EQUAL(echoes[0].status, PT_ECHO_LOST);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->sent, 1);
	CU_ASSERT_EQUAL(pt_pair_stats(p)->errors, 0);
	pt_pair_free(p);
}

/* skb:kfree_skb of an IPv6 request: kept by its echo */
static void test_pair_v6_drop_joins_its_echo(void)
{
	struct pt_pair *p = new_pair();
	struct pt_event ev = ut_event6(PT_DIR_SEND, PT_ICMP6_ECHO, A6, T6, 7, 1,
				       10);
	struct pt_kfree k = { .ts = 30, .skbaddr = 0xffff1000,
			      .protocol = PT_ETH_P_IPV6, .reason = 2,
			      .function = "ip6_forward" };
	struct pt_packet pkt;
	struct pt_join j;
	struct pt_drop d;

	CU_ASSERT_EQUAL_FATAL(pt_join_init(&j, 16), 0);
	ev.netns = NS_A;
	ev.skbaddr = 0xffff1000;
	pt_pair_feed(p, &ev);
	pt_join_event(&j, &ev);
	CU_ASSERT_EQUAL_FATAL(pt_join_drop(&j, &k, &pkt), 1);
	CU_ASSERT_EQUAL(pkt.saddr.family, AF_INET6);
	pt_drop_fill(&d, &pkt, &k);
	CU_ASSERT_EQUAL(pt_pair_drop(p, &pkt, &d), 1);
	pt_pair_finish(p);
	CU_ASSERT_EQUAL_FATAL(nr_echoes, 1);
	CU_ASSERT(echoes[0].have & PT_HAVE_DROP);
	CU_ASSERT_STRING_EQUAL(echoes[0].drop.location, "ip6_forward");
	CU_ASSERT_EQUAL(pt_pair_stats(p)->drops, 1);
	pt_join_release(&j);
	pt_pair_free(p);
}

/* ---- output ----------------------------------------------------------- */

/* iputils' own words (ping/ping6_common.c, 20221126) */
static void test_output_v6_error_text_is_pings(void)
{
	struct pt_echo_error err = { .from = ut_ip6(R6) };
	char buf[80];

	err.type = PT_ICMP6_TIME_EXCEED;
	CU_ASSERT(pt_echo_error_text(&err, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "Time exceeded: Hop limit");
	err.type = PT_ICMP6_PKT_TOOBIG;
	err.mtu = 1400;
	CU_ASSERT(pt_echo_error_text(&err, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "Packet too big: mtu=1400");
	err.type = PT_ICMP6_DEST_UNREACH;
	err.code = 3;
	CU_ASSERT(pt_echo_error_text(&err, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "Destination unreachable: Address "
			       "unreachable");
	err.code = 9;
	CU_ASSERT(pt_echo_error_text(&err, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "Destination unreachable: Unknown code 9");
	err.type = PT_ICMP6_PARAMPROB;
	err.code = 1;
	CU_ASSERT(pt_echo_error_text(&err, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "Parameter problem: Unknown header");
	err.type = 135;
	CU_ASSERT_EQUAL(pt_echo_error_text(&err, buf, sizeof(buf)), -1);
}

static char *write_with(enum pt_format fmt, const struct pt_event *ev,
			const struct pt_echo *e)
{
	struct pt_output o;
	char *buf;
	size_t size;

	pt_output_init(&o, open_memstream(&buf, &size), fmt);
	o.events = 1;
	pt_output_event(&o, ev, e);
	if (e)
		pt_output_echo(&o, e);
	fclose(o.fp);
	return buf;
}

static void test_output_v6_text_line(void)
{
	struct pt_event ev = ut_event6(PT_DIR_RECV, PT_ICMP6_ECHO, A6, B6, 7, 1,
				       1000000000);
	char *text;

	ev.nexthdr = 44;
	ev.has_frag = 1;
	ev.ip_id = 3847215651u;
	ev.frag_off = PT_IP6_MF;
	ev.tot_len = 1496;
	text = write_with(PT_FMT_TEXT, &ev, NULL);
	CU_ASSERT_STRING_EQUAL(text,
		"RCV       0 <idle>                 1.000000000 echo-request "
		"    2001:db8::1 -> 2001:db8::2     id=7 seq=1 ttl=64 len=1496 "
		"fragid=3847215651 frag=0+ dev=veth0 netns=4026531840\n");
	free(text);
}

static void test_output_v6_json_echo_and_error(void)
{
	struct pt_event ev = error6(PT_DIR_RECV, PT_ICMP6_PKT_TOOBIG, 3000,
				    NS_A);
	struct pt_echo e = { 0 };
	char *text;

	e.status = PT_ECHO_ERROR;
	e.have = PT_HAVE_SEND | PT_HAVE_ERROR;
	e.src = ut_ip6(A6);
	e.dst = ut_ip6(T6);
	e.id = 7;
	e.seq = 1;
	e.send_ns = 1000;
	e.error.type = PT_ICMP6_PKT_TOOBIG;
	e.error.has_mtu = 1;
	e.error.mtu = 1400;
	e.error.from = ut_ip6(R6);
	e.error.to = ut_ip6(A6);
	e.error.ns = 3000;
	text = write_with(PT_FMT_JSON, &ev, &e);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"src\":\"2001:db8::1\","
				      "\"dst\":\"2001:db8:c::2\",\"id\":7,"
				      "\"seq\":1,\"status\":\"error\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"error\":{\"type\":2,\"code\":0,"
				      "\"from\":\"2001:db8::fe\",\"text\":"
				      "\"Packet too big: mtu=1400\","
				      "\"mtu\":1400"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"kind\":\"packet-too-big\""));
	free(text);
}

/* ---- session ---------------------------------------------------------- */

struct rig6 {
	struct tep_handle	*tep;
	struct pt_targets	targets;
	struct pt_output	out;
	struct pt_session	s;
	char			*buf;
	size_t			size;
};

static void rig_open(struct rig6 *r, int all)
{
	struct pt_pair_config cfg;

	memset(r, 0, sizeof(*r));
	r->tep = ut_tep_with_both(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->tep);
	pt_output_init(&r->out, open_memstream(&r->buf, &r->size),
		       PT_FMT_TEXT);
	r->out.all = all;
	pt_pair_config_default(&cfg);
	CU_ASSERT_EQUAL_FATAL(pt_session_init(&r->s, r->tep, &r->targets,
					      &cfg, &r->out), 0);
}

static char *rig_close(struct rig6 *r)
{
	pt_session_finish(&r->s);
	pt_session_release(&r->s);
	fclose(r->out.fp);
	tep_free(r->tep);
	return r->buf;
}

static void rig_feed4(struct rig6 *r, const struct pt_event *ev)
{
	unsigned char data[64];
	struct tep_record rec = { .ts = ev->ts, .data = data, .size = 64 };

	ut_build_record(data, &ut_kernel_layout, ev, 0);
	CU_ASSERT_EQUAL(pt_session_record(&r->s, &rec), 0);
}

static void rig_feed6(struct rig6 *r, const struct pt_event *ev)
{
	unsigned char data[UT_RECORD6_SIZE];
	struct tep_record rec = { .ts = ev->ts, .data = data,
				  .size = UT_RECORD6_SIZE };

	ut_build_record6(data, ev, 0);
	CU_ASSERT_EQUAL(pt_session_record(&r->s, &rec), 0);
}

/* One file with both events: one summary of both families' echoes */
static void test_session_v6_and_v4_in_one_stream(void)
{
	struct pt_event ev;
	struct rig6 r;
	char *text;

	rig_open(&r, 0);
	ev = ut_event6(PT_DIR_SEND, PT_ICMP6_ECHO, A6, B6, 5, 1, 1000);
	rig_feed6(&r, &ev);
	ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "192.0.2.1", "192.0.2.9", 5,
		      1, 1100);
	rig_feed4(&r, &ev);
	ev = ut_event6(PT_DIR_RECV, PT_ICMP6_ECHOREPLY, B6, A6, 5, 1, 1500);
	rig_feed6(&r, &ev);
	ev = ut_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY, "192.0.2.9", "192.0.2.1",
		      5, 1, 1700);
	rig_feed4(&r, &ev);
	CU_ASSERT_EQUAL(pt_pair_stats(r.s.pair)->received, 2);
	text = rig_close(&r);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2001:db8::2 -> 2001:db8::1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "rtt=0.000500 ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "rtt=0.000600 ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2 requests, 2 replies, 0% loss"));
	free(text);
}

/* A neighbour solicitation is shown with --all only, counted never */
static void test_session_v6_nd_shown_with_all_only(void)
{
	struct pt_event ev;
	struct rig6 r;
	char *text;
	int all;

	for (all = 0; all < 2; all++) {
		rig_open(&r, all);
		ev = ut_event6(PT_DIR_SEND, 135, A6, "ff02::1:ff00:2", 0, 0,
			       1000);
		rig_feed6(&r, &ev);
		text = rig_close(&r);
		CU_ASSERT_EQUAL(strstr(text, "neighbour-solicit") != NULL, all);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "0 requests, 0 replies"));
		free(text);
	}
}

/* A -t of one family lets the other family's events through never */
static void test_session_v6_target_filters_families(void)
{
	struct pt_event ev;
	struct rig6 r;
	char *text;

	rig_open(&r, 0);
	CU_ASSERT_EQUAL(pt_targets_add(&r.targets, B6), 0);
	ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "192.0.2.1", "192.0.2.9", 5,
		      1, 1100);
	rig_feed4(&r, &ev);
	ev = ut_event6(PT_DIR_SEND, PT_ICMP6_ECHO, A6, "2001:db8::22", 5, 1,
		       1200);
	rig_feed6(&r, &ev);
	ev = ut_event6(PT_DIR_SEND, PT_ICMP6_ECHO, A6, B6, 5, 1, 1300);
	rig_feed6(&r, &ev);
	CU_ASSERT_EQUAL(r.s.nr_events, 1);
	text = rig_close(&r);
	free(text);
}

void ut_add_v6_suite(void)
{
	CU_pSuite s = CU_add_suite("v6", NULL, NULL);

	UT_ADD_TEST(s, test_v6_decode_fields_of_the_kernel_format);
	UT_ADD_TEST(s, test_v6_decode_the_kernels_own_format);
	UT_ADD_TEST(s, test_v6_decode_fragment_and_quote);
	UT_ADD_TEST(s, test_v6_decode_no_icmp_zeroes_icmp_fields);
	UT_ADD_TEST(s, test_v6_decoder_needs_every_field);
	UT_ADD_TEST(s, test_v6_decoders_keep_to_their_event);
	UT_ADD_TEST(s, test_pair_v6_echo_has_four_points);
	UT_ADD_TEST(s, test_pair_v6_loopback);
	UT_ADD_TEST(s, test_pair_v6_types_are_icmpv6s);
	UT_ADD_TEST(s, test_pair_v6_and_v4_never_pair);
	UT_ADD_TEST(s, test_pair_v6_fragments_close_on_the_last);
	UT_ADD_TEST(s, test_pair_v6_atomic_fragment_is_whole);
	UT_ADD_TEST(s, test_pair_v6_time_exceeded_closes_request);
	UT_ADD_TEST(s, test_pair_v6_packet_too_big_keeps_mtu);
	UT_ADD_TEST(s, test_pair_v6_nd_and_mld_are_no_echo);
	UT_ADD_TEST(s, test_pair_v6_drop_joins_its_echo);
	UT_ADD_TEST(s, test_output_v6_error_text_is_pings);
	UT_ADD_TEST(s, test_output_v6_text_line);
	UT_ADD_TEST(s, test_output_v6_json_echo_and_error);
	UT_ADD_TEST(s, test_session_v6_and_v4_in_one_stream);
	UT_ADD_TEST(s, test_session_v6_nd_shown_with_all_only);
	UT_ADD_TEST(s, test_session_v6_target_filters_families);
}
