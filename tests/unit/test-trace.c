// SPDX-License-Identifier: GPL-2.0
/*
 * trace: whole trace.dat files through pt_replay_file().
 *
 * data/synthetic-*.dat are real trace-cmd files (make unit-data) holding
 * the scenario of gen-trace.c: echoes 1 and 2 with all four points, 3
 * unanswered, 4 answered twice, a reply 99 with no request, 5 fragmented
 * both ways, one echo to 203.0.113.9, then 7 outstanding when the ring
 * buffer drops 7 events, and 8 unanswered.  The expected values below
 * are worked out from that scenario, not copied from pingtrace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "replay.h"
#include "unit.h"

#define V6	PT_UNIT_DATA "/synthetic-v6.dat"
#define V7	PT_UNIT_DATA "/synthetic-v7.dat"
#define WALL	PT_UNIT_DATA "/synthetic-wall.dat"

struct run {
	struct pt_targets	targets;
	struct pt_pair_config	cfg;
	struct pt_replay_info	info;
	enum pt_format		format;
	int			events;
	char			*text;
	int			ret;
};

static void run_init(struct run *r, enum pt_format format)
{
	memset(r, 0, sizeof(*r));
	pt_pair_config_default(&r->cfg);
	r->format = format;
}

static char *replay(struct run *r, const char *path)
{
	struct pt_output out;
	size_t size;

	pt_output_init(&out, open_memstream(&r->text, &size), r->format);
	out.events = r->events;
	r->ret = pt_replay_file(path, &r->targets, &r->cfg, &out, &r->info);
	fclose(out.fp);
	CU_ASSERT_EQUAL(r->ret, 0);
	return r->text;
}

#define ECHO(seq, rest) \
	"{\"type\":\"echo\",\"src\":\"198.51.100.1\",\"dst\":\"198.51.100.2\"," \
	"\"id\":4660,\"seq\":" #seq ",\"status\":" rest "}\n"

/* A point of an echo's path in the synthetic trace: A in veth0, B in veth1 */
#define HOP(dir, what, at, ns) \
	"{\"dir\":\"" dir "\",\"what\":\"" what "\",\"netns\":" at \
	",\"ns\":" ns "}"
#define AT_A	"4026531840,\"dev\":\"veth0\""
#define AT_B	"4026532200,\"dev\":\"veth1\""
#define TARGET_B	",\"target_netns\":4026532200"

static const char expected_json[] =
	ECHO(1, "\"ok\",\"send_ns\":1000000000,\"recv_ns\":1000050000,"
		"\"rtt_ns\":50000,\"target_recv_ns\":1000020000,"
		"\"target_send_ns\":1000030000" TARGET_B ",\"path\":["
		HOP("SND", "request", AT_A, "1000000000") ","
		HOP("RCV", "request", AT_B, "1000020000") ","
		HOP("SND", "reply", AT_B, "1000030000") ","
		HOP("RCV", "reply", AT_A, "1000050000") "]")
	ECHO(2, "\"ok\",\"send_ns\":2000000000,\"recv_ns\":2000070000,"
		"\"rtt_ns\":70000,\"target_recv_ns\":2000030000,"
		"\"target_send_ns\":2000045000" TARGET_B ",\"path\":["
		HOP("SND", "request", AT_A, "2000000000") ","
		HOP("RCV", "request", AT_B, "2000030000") ","
		HOP("SND", "reply", AT_B, "2000045000") ","
		HOP("RCV", "reply", AT_A, "2000070000") "]")
	ECHO(4, "\"ok\",\"send_ns\":4000000000,\"recv_ns\":4000060000,"
		"\"rtt_ns\":60000,\"path\":["
		HOP("SND", "request", AT_A, "4000000000") ","
		HOP("RCV", "reply", AT_A, "4000060000") "]")
	/* the duplicate: the answered echo's path and its own arrival */
	ECHO(4, "\"dup\",\"send_ns\":4000000000,\"recv_ns\":4000090000,"
		"\"rtt_ns\":90000,\"path\":["
		HOP("SND", "request", AT_A, "4000000000") ","
		HOP("RCV", "reply", AT_A, "4000060000") ","
		HOP("RCV", "reply", AT_A, "4000090000") "]")
	ECHO(99, "\"unmatched\",\"send_ns\":null,\"recv_ns\":5000000000,"
		 "\"rtt_ns\":null,\"path\":["
		 HOP("RCV", "reply", AT_A, "5000000000") "]")
	/* the fragmented echo counts at the last fragment, each way */
	ECHO(5, "\"ok\",\"send_ns\":6000000000,\"recv_ns\":6000032000,"
		"\"rtt_ns\":32000,\"target_recv_ns\":6000012000,"
		"\"target_send_ns\":6000020000" TARGET_B ",\"path\":["
		HOP("SND", "request", AT_A, "6000000000") ","
		HOP("RCV", "request", AT_B, "6000012000") ","
		HOP("SND", "reply", AT_B, "6000020000") ","
		HOP("RCV", "reply", AT_A, "6000032000") "]")
	"{\"type\":\"echo\",\"src\":\"198.51.100.1\",\"dst\":\"203.0.113.9\","
	"\"id\":4660,\"seq\":1,\"status\":\"ok\",\"send_ns\":7000000000,"
	"\"recv_ns\":7000040000,\"rtt_ns\":40000,\"path\":["
	HOP("SND", "request", AT_A, "7000000000") ","
	HOP("RCV", "reply", AT_A, "7000040000") "]}\n"
	/* no timeout: 3 and 7 were outstanding while events were dropped */
	ECHO(3, "\"unknown\",\"send_ns\":3000000000,\"recv_ns\":null,"
		"\"rtt_ns\":null,\"path\":["
		HOP("SND", "request", AT_A, "3000000000") "]")
	ECHO(7, "\"unknown\",\"send_ns\":8000000000,\"recv_ns\":null,"
		"\"rtt_ns\":null,\"path\":["
		HOP("SND", "request", AT_A, "8000000000") "]")
	ECHO(8, "\"lost\",\"send_ns\":9000000000,\"recv_ns\":null,"
		"\"rtt_ns\":null,\"path\":["
		HOP("SND", "request", AT_A, "9000000000") "]")
	/* rtts 50, 70, 60, 32, 40 us: avg 50.4, mdev sqrt(2724.8-2540.16) */
	"{\"type\":\"summary\",\"sent\":8,\"received\":5,\"lost\":1,\"dup\":1,"
	"\"unmatched\":1,\"unknown\":2,\"rtt_min_ns\":32000,"
	"\"rtt_avg_ns\":50400,\"rtt_max_ns\":70000,\"rtt_mdev_ns\":13588,"
	"\"events_lost\":7,\"evicted\":0,\"events\":25,\"errors\":0,\"drops\":0}\n";

static void test_trace_v6_json(void)
{
	struct run r;

	run_init(&r, PT_FMT_JSON);
	CU_ASSERT_STRING_EQUAL(replay(&r, V6), expected_json);
	CU_ASSERT_EQUAL(r.info.nr_events, 25);
	CU_ASSERT_EQUAL(r.info.nr_bad, 0);
	CU_ASSERT_EQUAL(r.info.wall, 0);
	free(r.text);
}

static void test_trace_v7_compressed_json(void)
{
	struct run r;

	run_init(&r, PT_FMT_JSON);
	CU_ASSERT_STRING_EQUAL(replay(&r, V7), expected_json);
	free(r.text);
}

/* Read in segments of one record, each through a new handle: the same */
static void test_trace_v7_in_segments_json(void)
{
	unsigned long long saved = pt_replay_segment;
	struct run r;

	pt_replay_segment = 1;
	run_init(&r, PT_FMT_JSON);
	CU_ASSERT_STRING_EQUAL(replay(&r, V7), expected_json);
	pt_replay_segment = saved;
	free(r.text);
}

/* With -W 1: 3 expires as lost before the drop; 7 expires as it is seen */
static void test_trace_timeout_loses_before_the_drop(void)
{
	struct run r;
	char *text;

	run_init(&r, PT_FMT_JSON);
	r.cfg.timeout_ns = 1000000000ULL;
	text = replay(&r, V6);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, ECHO(3, "\"lost\",\"send_ns\":"
		"3000000000,\"recv_ns\":null,\"rtt_ns\":null,\"path\":["
		HOP("SND", "request", AT_A, "3000000000") "]")));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, ECHO(7, "\"unknown\",\"send_ns\":"
		"8000000000,\"recv_ns\":null,\"rtt_ns\":null,\"path\":["
		HOP("SND", "request", AT_A, "8000000000") "]")));
	CU_ASSERT_EQUAL(r.info.stats.lost, 2);
	CU_ASSERT_EQUAL(r.info.stats.unknown, 1);
	CU_ASSERT_EQUAL(r.info.stats.received, 5);
	free(text);
}

static void test_trace_target_filter(void)
{
	struct run r;

	run_init(&r, PT_FMT_JSON);
	pt_targets_add(&r.targets, "203.0.113.9");
	CU_ASSERT_STRING_EQUAL(replay(&r, V6),
		"{\"type\":\"echo\",\"src\":\"198.51.100.1\","
		"\"dst\":\"203.0.113.9\",\"id\":4660,\"seq\":1,\"status\":\"ok\","
		"\"send_ns\":7000000000,\"recv_ns\":7000040000,\"rtt_ns\":40000,"
		"\"path\":[" HOP("SND", "request", AT_A, "7000000000") ","
		HOP("RCV", "reply", AT_A, "7000040000") "]}\n"
		"{\"type\":\"summary\",\"sent\":1,\"received\":1,\"lost\":0,"
		"\"dup\":0,\"unmatched\":0,\"unknown\":0,\"rtt_min_ns\":40000,"
		"\"rtt_avg_ns\":40000,\"rtt_max_ns\":40000,\"rtt_mdev_ns\":0,"
		"\"events_lost\":7,\"evicted\":0,\"events\":2,\"errors\":0,\"drops\":0}\n");
	CU_ASSERT_EQUAL(r.info.nr_events, 2);
	free(r.text);
}

/* Records of both CPUs come merged in time order */
static void test_trace_events_in_time_order(void)
{
	unsigned long long prev = 0, t;
	int n = 0, cpu1 = 0;
	struct run r;
	char *p;

	run_init(&r, PT_FMT_JSON);
	r.events = 1;
	replay(&r, V6);
	for (p = strstr(r.text, "\"time_ns\":"); p;
	     p = strstr(p + 1, "\"time_ns\":")) {
		t = strtoull(p + 10, NULL, 10);
		CU_ASSERT(t >= prev);
		prev = t;
		n++;
		cpu1 += !strncmp(strchr(p, ',') + 1, "\"dir\":\"RCV\",\"cpu\":1", 19);
	}
	CU_ASSERT_EQUAL(n, 25);
	CU_ASSERT_EQUAL(cpu1, 5);	/* requests in at the responder */
	free(r.text);
}

static void test_trace_text_lines(void)
{
	struct run r;
	char *text;

	run_init(&r, PT_FMT_TEXT);
	text = replay(&r, V6);
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
		"SND     500 ping                   1.000000000 echo-request "
		"   198.51.100.1 -> 198.51.100.2    id=4660 seq=1 ttl=64 len=84 "
		"dev=veth0 netns=4026531840\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
		" 4.000090000 echo-reply      198.51.100.2 -> 198.51.100.1    "
		"id=4660 seq=4 ttl=64 len=84 dev=veth0 netns=4026531840 "
		"rtt=0.090000 ms DUP!\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
		" 6.000032000 fragment        198.51.100.2 -> 198.51.100.1    "
		"ttl=64 len=68 ipid=4005 frag=2960 dev=veth0 netns=4026531840 "
		"rtt=0.032000 ms (out=0.012000 resp=0.008000 back=0.012000)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "seq=99 ttl=64 len=84 dev=veth0 "
				      "netns=4026531840 no-request\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "LOST      - -                 "
		"     9.000000000 echo-request    198.51.100.1 -> 198.51.100.2 "
		"   id=4660 seq=8 no reply\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
		"8 requests, 5 replies, 12% loss, 1 duplicates, 1 unmatched, "
		"2 unknown\n"
		"kernel rtt min/avg/max/mdev = 0.032000/0.050400/0.070000/"
		"0.013588 ms\n"
		"trace events lost: 7\n"));
	free(text);
}

/* Times after 2000 are wall clock (trace-cmd record --date) */
static void test_trace_wall_clock(void)
{
	char *tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	struct run r;
	char *text;

	setenv("TZ", "UTC", 1);
	tzset();
	run_init(&r, PT_FMT_TEXT);
	text = replay(&r, WALL);
	CU_ASSERT_EQUAL(r.info.wall, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, " ping            "
				      "03:04:06.000000000 echo-request "));
	free(text);
	run_init(&r, PT_FMT_JSON);
	text = replay(&r, WALL);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"seq\":1,\"status\":\"ok\","
		"\"send_ns\":1767323046000000000,\"recv_ns\":1767323046000050000,"
		"\"rtt_ns\":50000"));
	free(text);
	if (tz)
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(tz);
}

void ut_add_trace_suite(void)
{
	CU_pSuite s = CU_add_suite("trace", NULL, NULL);

	UT_ADD_TEST(s, test_trace_v6_json);
	UT_ADD_TEST(s, test_trace_v7_compressed_json);
	UT_ADD_TEST(s, test_trace_v7_in_segments_json);
	UT_ADD_TEST(s, test_trace_timeout_loses_before_the_drop);
	UT_ADD_TEST(s, test_trace_target_filter);
	UT_ADD_TEST(s, test_trace_events_in_time_order);
	UT_ADD_TEST(s, test_trace_text_lines);
	UT_ADD_TEST(s, test_trace_wall_clock);
}
