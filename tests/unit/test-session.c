// SPDX-License-Identifier: GPL-2.0
/*
 * session: raw records in, timeline and summary out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "session.h"
#include "unit.h"

struct rig {
	struct tep_handle	*tep;
	struct pt_targets	targets;
	struct pt_output	out;
	struct pt_session	s;
	char			*buf;
	size_t			size;
};

static void rig_open(struct rig *r, enum pt_format fmt)
{
	struct pt_pair_config cfg;

	memset(r, 0, sizeof(*r));
	r->tep = ut_tep_with_format(ut_kernel_format(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->tep);
	tep_register_comm(r->tep, "ping", 4321);
	pt_output_init(&r->out, open_memstream(&r->buf, &r->size), fmt);
	pt_pair_config_default(&cfg);
	CU_ASSERT_EQUAL_FATAL(pt_session_init(&r->s, r->tep, &r->targets,
					      &cfg, &r->out), 0);
}

static char *rig_close(struct rig *r)
{
	pt_session_finish(&r->s);
	pt_session_release(&r->s);
	fclose(r->out.fp);
	tep_free(r->tep);
	return r->buf;
}

static void rig_feed(struct rig *r, const struct pt_event *ev,
		     long long missed)
{
	unsigned char data[64];
	struct tep_record rec = { .ts = ev->ts, .data = data, .size = 64,
				  .missed_events = missed };

	ut_build_record(data, &ut_kernel_layout, ev, 0);
	CU_ASSERT_EQUAL(pt_session_record(&r->s, &rec), 0);
}

static void feed_echo(struct rig *r, const char *a, const char *b,
		      uint16_t seq, uint64_t t0, uint64_t rtt)
{
	struct pt_event ev;

	ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, a, b, 55, seq, t0);
	rig_feed(r, &ev, 0);
	if (!rtt)
		return;
	ev = ut_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY, b, a, 55, seq, t0 + rtt);
	rig_feed(r, &ev, 0);
}

static void test_session_json_echoes_and_summary(void)
{
	struct rig r;
	char *text;

	rig_open(&r, PT_FMT_JSON);
	feed_echo(&r, "192.0.2.1", "192.0.2.9", 1, 1000, 500);
	feed_echo(&r, "192.0.2.1", "192.0.2.9", 2, 2000, 0);
	text = rig_close(&r);
	CU_ASSERT_STRING_EQUAL(text,
		"{\"type\":\"echo\",\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.9\","
		"\"id\":55,\"seq\":1,\"status\":\"ok\",\"send_ns\":1000,"
		"\"recv_ns\":1500,\"rtt_ns\":500,\"path\":["
		"{\"dir\":\"SND\",\"what\":\"request\",\"netns\":4026531840,"
		"\"dev\":\"veth0\",\"ns\":1000},"
		"{\"dir\":\"RCV\",\"what\":\"reply\",\"netns\":4026531840,"
		"\"dev\":\"veth0\",\"ns\":1500}]}\n"
		"{\"type\":\"echo\",\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.9\","
		"\"id\":55,\"seq\":2,\"status\":\"lost\",\"send_ns\":2000,"
		"\"recv_ns\":null,\"rtt_ns\":null,\"path\":["
		"{\"dir\":\"SND\",\"what\":\"request\",\"netns\":4026531840,"
		"\"dev\":\"veth0\",\"ns\":2000}]}\n"
		"{\"type\":\"summary\",\"sent\":2,\"received\":1,\"lost\":1,"
		"\"dup\":0,\"unmatched\":0,\"unknown\":0,\"rtt_min_ns\":500,"
		"\"rtt_avg_ns\":500,\"rtt_max_ns\":500,\"rtt_mdev_ns\":0,"
		"\"events_lost\":0,\"evicted\":0,\"events\":3,\"errors\":0,\"drops\":0}\n");
	free(text);
}

static void test_session_text_reply_line_after_request(void)
{
	struct rig r;
	char *text, *snd, *rcv;

	rig_open(&r, PT_FMT_TEXT);
	feed_echo(&r, "192.0.2.1", "192.0.2.9", 1, 1000, 2000);
	text = rig_close(&r);
	snd = strstr(text, "SND    4321 ping ");
	rcv = strstr(text, "RCV       0 ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(snd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rcv);
	CU_ASSERT(snd < rcv);
	CU_ASSERT_PTR_NULL(strstr(snd, "rtt=") < rcv ? strstr(snd, "rtt=") : NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(rcv, " rtt=0.002000 ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "1 requests, 1 replies, 0% loss"));
	free(text);
}

static void test_session_targets_filter_events(void)
{
	struct rig r;
	char *text;

	rig_open(&r, PT_FMT_JSON);
	pt_targets_add(&r.targets, "192.0.2.9");
	feed_echo(&r, "192.0.2.1", "192.0.2.9", 1, 1000, 500);
	feed_echo(&r, "192.0.2.1", "192.0.2.50", 1, 1200, 0);
	text = rig_close(&r);
	CU_ASSERT_PTR_NULL(strstr(text, "192.0.2.50"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"sent\":1,\"received\":1,\"lost\":0"));
	free(text);
}

/* missed_events on any record: counted, and never turned into loss */
static void test_session_missed_events_not_packet_loss(void)
{
	struct pt_event ev;
	struct rig r;
	char *text;

	rig_open(&r, PT_FMT_JSON);
	feed_echo(&r, "192.0.2.1", "192.0.2.9", 1, 1000, 0);
	ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "192.0.2.1", "192.0.2.9",
		      55, 2, 5000);
	rig_feed(&r, &ev, 40);
	text = rig_close(&r);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"seq\":1,\"status\":\"unknown\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"seq\":2,\"status\":\"lost\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"lost\":1,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"unknown\":1,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"events_lost\":40,"));
	free(text);
}

/*
 * A reply with no request, held back, is written when it is decided,
 * by no event of its own: after the next event's line, not lost
 */
static void test_session_held_reply_written(void)
{
	struct pt_pair_config cfg;
	struct pt_event ev;
	struct rig r;
	char *text;

	memset(&r, 0, sizeof(r));
	r.tep = ut_tep_with_format(ut_kernel_format(), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.tep);
	pt_output_init(&r.out, open_memstream(&r.buf, &r.size), PT_FMT_JSON);
	pt_pair_config_default(&cfg);
	cfg.holdoff_ns = 1000;
	CU_ASSERT_EQUAL_FATAL(pt_session_init(&r.s, r.tep, &r.targets, &cfg,
					      &r.out), 0);
	ev = ut_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY, "192.0.2.9",
		      "192.0.2.1", 55, 1, 1000);
	rig_feed(&r, &ev, 0);
	/* the next event, 2000 ns on, decides it */
	feed_echo(&r, "192.0.2.1", "192.0.2.9", 2, 3000, 100);
	text = rig_close(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(text, "\"seq\":1,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"status\":\"unmatched\""));
	CU_ASSERT(strstr(text, "\"seq\":1,") < strstr(text, "\"seq\":2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"unmatched\":1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"received\":1"));
	free(text);
}

static void test_session_malformed_record_counted(void)
{
	unsigned char data[64];
	struct tep_record rec = { .data = data, .size = 40 };
	struct pt_event ev = ut_event(0, 8, "192.0.2.1", "192.0.2.9", 1, 1, 0);
	struct rig r;

	rig_open(&r, PT_FMT_JSON);
	ut_build_record(data, &ut_kernel_layout, &ev, 0);
	CU_ASSERT_EQUAL(pt_session_record(&r.s, &rec), 0);
	CU_ASSERT_EQUAL(r.s.nr_bad, 1);
	CU_ASSERT_EQUAL(r.s.nr_events, 0);
	free(rig_close(&r));
}

/*
 * Another handle of the same formats: decoding goes on with its tep; a
 * tep whose net:ip_icmp is laid out otherwise (big endian) is refused
 * and the session keeps its own
 */
static void test_session_retarget_same_formats_only(void)
{
	struct tep_handle *same = ut_tep_with_format(ut_kernel_format(), 0);
	struct tep_handle *other = ut_tep_with_format(ut_kernel_format(), 1);
	struct rig r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(same);
	CU_ASSERT_PTR_NOT_NULL_FATAL(other);
	rig_open(&r, PT_FMT_JSON);
	CU_ASSERT_EQUAL(pt_session_retarget(&r.s, other), -EPROTO);
	CU_ASSERT_PTR_EQUAL(r.s.dec.tep, r.tep);
	CU_ASSERT_EQUAL(pt_session_retarget(&r.s, same), 0);
	CU_ASSERT_PTR_EQUAL(r.s.dec.tep, same);
	feed_echo(&r, "198.51.100.1", "198.51.100.2", 1, 1000, 500);
	free(rig_close(&r));
	tep_free(same);
	tep_free(other);
}

void ut_add_session_suite(void)
{
	CU_pSuite s = CU_add_suite("session", NULL, NULL);

	UT_ADD_TEST(s, test_session_json_echoes_and_summary);
	UT_ADD_TEST(s, test_session_retarget_same_formats_only);
	UT_ADD_TEST(s, test_session_text_reply_line_after_request);
	UT_ADD_TEST(s, test_session_targets_filter_events);
	UT_ADD_TEST(s, test_session_missed_events_not_packet_loss);
	UT_ADD_TEST(s, test_session_malformed_record_counted);
	UT_ADD_TEST(s, test_session_held_reply_written);
}
