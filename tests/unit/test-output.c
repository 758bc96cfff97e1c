// SPDX-License-Identifier: GPL-2.0
/*
 * output: exact JSON Lines and CSV, text lines, write errors.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "output.h"
#include "unit.h"

struct capture {
	struct pt_output	o;
	char			*buf;
	size_t			size;
};

static void cap_open(struct capture *c, enum pt_format fmt)
{
	FILE *fp = open_memstream(&c->buf, &c->size);

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	pt_output_init(&c->o, fp, fmt);
}

static char *cap_close(struct capture *c)
{
	fclose(c->o.fp);
	return c->buf;
}

static struct pt_echo echo_ok(void)
{
	struct pt_echo e = {
		.status = PT_ECHO_OK,
		.have = PT_HAVE_SEND | PT_HAVE_RECV,
		.src = pt_addr4(ut_ip("198.51.100.1")),
		.dst = pt_addr4(ut_ip("198.51.100.2")),
		.id = 4660, .seq = 7,
		.send_ns = 1000000000, .recv_ns = 1000123456,
	};

	return e;
}

static void test_output_json_echo_ok(void)
{
	struct capture c;
	struct pt_echo e = echo_ok();

	cap_open(&c, PT_FMT_JSON);
	CU_ASSERT_EQUAL(pt_output_echo(&c.o, &e), 0);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"{\"type\":\"echo\",\"src\":\"198.51.100.1\","
		"\"dst\":\"198.51.100.2\",\"id\":4660,\"seq\":7,"
		"\"status\":\"ok\",\"send_ns\":1000000000,"
		"\"recv_ns\":1000123456,\"rtt_ns\":123456}\n");
	free(c.buf);
}

static void test_output_json_echo_four_points(void)
{
	struct capture c;
	struct pt_echo e = echo_ok();

	e.have |= PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND;
	e.target_recv_ns = 1000050000;
	e.target_send_ns = 1000060000;
	e.target_netns = 4026532200u;
	cap_open(&c, PT_FMT_JSON);
	c.o.offset = 5;		/* a wall clock offset applies to every time */
	pt_output_echo(&c.o, &e);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"{\"type\":\"echo\",\"src\":\"198.51.100.1\","
		"\"dst\":\"198.51.100.2\",\"id\":4660,\"seq\":7,"
		"\"status\":\"ok\",\"send_ns\":1000000005,"
		"\"recv_ns\":1000123461,\"rtt_ns\":123456,"
		"\"target_recv_ns\":1000050005,\"target_send_ns\":1000060005,"
		"\"target_netns\":4026532200}\n");
	free(c.buf);
}

static void test_output_json_echo_lost_has_nulls(void)
{
	struct capture c;
	struct pt_echo e = echo_ok();

	e.status = PT_ECHO_LOST;
	e.have = PT_HAVE_SEND;
	cap_open(&c, PT_FMT_JSON);
	pt_output_echo(&c.o, &e);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"{\"type\":\"echo\",\"src\":\"198.51.100.1\","
		"\"dst\":\"198.51.100.2\",\"id\":4660,\"seq\":7,"
		"\"status\":\"lost\",\"send_ns\":1000000000,"
		"\"recv_ns\":null,\"rtt_ns\":null}\n");
	free(c.buf);
}

static void test_output_json_echo_unmatched(void)
{
	struct capture c;
	struct pt_echo e = echo_ok();

	e.status = PT_ECHO_UNMATCHED;
	e.have = PT_HAVE_RECV;
	cap_open(&c, PT_FMT_JSON);
	pt_output_echo(&c.o, &e);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"{\"type\":\"echo\",\"src\":\"198.51.100.1\","
		"\"dst\":\"198.51.100.2\",\"id\":4660,\"seq\":7,"
		"\"status\":\"unmatched\",\"send_ns\":null,"
		"\"recv_ns\":1000123456,\"rtt_ns\":null}\n");
	free(c.buf);
}

static struct pt_stats stats(void)
{
	struct pt_stats st;

	pt_stats_init(&st);
	st.sent = 4;
	st.received = 3;
	st.lost = 1;
	st.dup = 2;
	st.unmatched = 1;
	st.events = 11;
	st.rtt_n = 3;
	st.rtt_min = 100;
	st.rtt_max = 300;
	st.rtt_sum = 600;
	st.rtt_sum2 = 100 * 100 + 200 * 200 + 300 * 300;
	return st;
}

static void test_output_json_summary(void)
{
	struct capture c;
	struct pt_stats st = stats();

	cap_open(&c, PT_FMT_JSON);
	CU_ASSERT_EQUAL(pt_output_summary(&c.o, &st), 0);
	/* mdev = sqrt(140000/3 - 200^2) = 81.65 */
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"{\"type\":\"summary\",\"sent\":4,\"received\":3,\"lost\":1,"
		"\"dup\":2,\"unmatched\":1,\"unknown\":0,\"rtt_min_ns\":100,"
		"\"rtt_avg_ns\":200,\"rtt_max_ns\":300,\"rtt_mdev_ns\":82,"
		"\"events_lost\":0,\"evicted\":0,\"events\":11,\"errors\":0,\"drops\":0}\n");
	free(c.buf);
}

static void test_output_json_summary_unknown_losses(void)
{
	struct capture c;
	struct pt_stats st;

	pt_stats_init(&st);
	st.sent = 2;
	st.unknown = 2;
	st.events_lost = -1;
	cap_open(&c, PT_FMT_JSON);
	pt_output_summary(&c.o, &st);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"{\"type\":\"summary\",\"sent\":2,\"received\":0,\"lost\":0,"
		"\"dup\":0,\"unmatched\":0,\"unknown\":2,\"rtt_min_ns\":null,"
		"\"rtt_avg_ns\":null,\"rtt_max_ns\":null,\"rtt_mdev_ns\":null,"
		"\"events_lost\":-1,\"evicted\":0,\"events\":0,\"errors\":0,\"drops\":0}\n");
	free(c.buf);
}

static void test_output_json_event_escapes_strings(void)
{
	struct pt_event ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "10.0.0.1",
				      "10.0.0.2", 1, 2, 42);
	struct capture c;

	strcpy(ev.comm, "a\"b\\c\n\x01\xff");
	strcpy(ev.dev, "eth0");
	cap_open(&c, PT_FMT_JSON);
	c.o.events = 1;
	pt_output_event(&c.o, &ev, NULL);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"{\"type\":\"event\",\"time_ns\":42,\"dir\":\"SND\",\"cpu\":0,"
		"\"pid\":4321,\"comm\":\"a\\\"b\\\\c\\u000a\\u0001\\u00ff\","
		"\"kind\":\"echo-request\",\"src\":\"10.0.0.1\","
		"\"dst\":\"10.0.0.2\",\"icmp_type\":8,\"icmp_code\":0,\"id\":1,"
		"\"seq\":2,\"ttl\":64,\"len\":84,\"ip_id\":0,\"frag_off\":0,"
		"\"dev\":\"eth0\",\"ifindex\":2,\"netns\":4026531840}\n");
	free(c.buf);
}

static void test_output_json_events_only_with_option(void)
{
	struct pt_event ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "10.0.0.1",
				      "10.0.0.2", 1, 2, 42);
	struct capture c;

	cap_open(&c, PT_FMT_JSON);
	pt_output_event(&c.o, &ev, NULL);
	CU_ASSERT_STRING_EQUAL(cap_close(&c), "");
	free(c.buf);
}

static void test_output_text_reply_line_has_rtt(void)
{
	struct pt_event ev = ut_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY,
				      "198.51.100.2", "198.51.100.1",
				      4660, 7, 1000123456);
	struct pt_echo e = echo_ok();
	struct capture c;
	char *line;

	e.have |= PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND;
	e.target_recv_ns = 1000050000;
	e.target_send_ns = 1000060000;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_event(&c.o, &ev, &e);
	pt_output_echo(&c.o, &e);	/* shown on the line already */
	line = cap_close(&c);
	CU_ASSERT_STRING_EQUAL(line,
		"RCV       0 <idle>                 1.000123456 echo-reply   "
		"   198.51.100.2 -> 198.51.100.1    id=4660 seq=7 ttl=64 len=84 "
		"dev=veth0 netns=4026531840 rtt=0.123456 ms "
		"(out=0.050000 resp=0.010000 back=0.063456)\n");
	free(line);
}

static void test_output_text_lost_line(void)
{
	struct pt_echo e = echo_ok();
	struct capture c;
	char *text;

	e.status = PT_ECHO_LOST;
	e.have = PT_HAVE_SEND;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_echo(&c.o, &e);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "LOST "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, " 1.000000000 echo-request"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "id=4660 seq=7 no reply\n"));
	free(text);
}

static void set_hop(struct pt_hop *h, uint64_t ns, int dir, int what,
		    const char *dev)
{
	h->ns = ns;
	h->netns = 1;
	h->dir = dir;
	h->what = what;
	strcpy(h->dev, dev);
}

/* Lost in the router: each point it passed, with the time between them */
static void test_output_text_path_of_routed_echo(void)
{
	struct pt_echo e = echo_ok();
	struct capture c;
	char *text;

	e.status = PT_ECHO_LOST;
	e.have = PT_HAVE_SEND;
	set_hop(&e.path[0], 1000000000, PT_DIR_SEND, PT_HOP_REQUEST, "ar");
	set_hop(&e.path[1], 1000031000, PT_DIR_RECV, PT_HOP_REQUEST, "ra");
	set_hop(&e.path[2], 1000035000, PT_DIR_SEND, PT_HOP_REQUEST, "rc");
	set_hop(&e.path[3], 1000036000, PT_DIR_SEND, PT_HOP_ERROR, "ra");
	set_hop(&e.path[4], 1000040000, PT_DIR_RECV, PT_HOP_ERROR, "ar");
	e.nr_path = 5;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_echo(&c.o, &e);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "no reply\n  path: SND ar > "
		"RCV ra +0.031000 > SND rc +0.004000 > SND ra(error) +0.001000"
		" > RCV ar(error) +0.004000\n"));
	free(text);
	/* two namespaces: the four points say it all */
	e.nr_path = 4;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_echo(&c.o, &e);
	text = cap_close(&c);
	CU_ASSERT_PTR_NULL(strstr(text, "path:"));
	free(text);
}

static void test_output_text_fragment_line(void)
{
	struct pt_event ev = ut_event(PT_DIR_RECV, 0, "198.51.100.2",
				      "198.51.100.1", 0, 0, 5);
	struct capture c;
	char *text;

	ev.has_icmp = 0;
	ev.ip_id = 99;
	ev.frag_off = 185;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_event(&c.o, &ev, NULL);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, " fragment "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, " ipid=99 frag=1480 "));
	CU_ASSERT_PTR_NULL(strstr(text, "seq="));
	free(text);
}

/*
 * Text lines are built by hand, not by printf(): they must be what the
 * printf() formats of the man page give, at the edges of every field.
 */
static void printf_line(char *buf, size_t size, const struct pt_event *ev,
			const char *kind, const char *src, const char *dst,
			const char *time)
{
	snprintf(buf, size, "%-4s %6d %-15s %18s %-12s %15s -> %-15s "
		 "type=%u code=%u ttl=%u len=%u ipid=%u frag=%u+ dev=%s "
		 "netns=%u\n", ev->dir ? "RCV" : "SND", ev->pid, ev->comm,
		 time, kind, src, dst, ev->icmp_type, ev->icmp_code, ev->ttl,
		 ev->tot_len, ev->ip_id, (ev->frag_off & PT_IP_OFFMASK) * 8,
		 ev->dev, ev->netns);
}

/*
 * One stream of lines whose addresses, namespaces and seconds change
 * and come back: what is kept from line to line must follow
 */
static void test_output_text_edges_match_printf(void)
{
	static const int pids[] = { 0, -1, 7, 123456, -2147483647 - 1,
				    2147483647, 42 };
	static const char * const ips[] = {
		"0.0.0.0", "255.255.255.255", "192.0.2.1", "10.0.0.100",
	};
	static const uint32_t netns[] = { 0, UINT32_MAX, 4026531840u };
	static const uint64_t times[] = {
		UINT64_MAX, 5, 1000000000, 1999999999, 5, 86400123456789ULL,
		1000000001,
	};
	static const char * const time_text[] = {
		"18446744073.709551615", "0.000000005", "1.000000000",
		"1.999999999", "0.000000005", "86400.123456789", "1.000000001",
	};
	char want[4096] = "", line[512];
	struct pt_event ev;
	struct capture c;
	size_t i;

	cap_open(&c, PT_FMT_TEXT);
	for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		const char *src = ips[i % 4], *dst = ips[(i * 3 + 1) % 4];

		ev = ut_event(i & 1, 3, src, dst, 0, 0, times[i]);
		ev.pid = pids[i];
		strcpy(ev.comm, i & 1 ? "a-comm-of-16-chr" : "");
		strcpy(ev.dev, i & 1 ? "dev-of-15-chars" : "x");
		ev.icmp_code = 255;
		ev.ttl = i ? 255 : 0;
		ev.tot_len = i ? 65535 : 0;
		ev.ip_id = i ? 65535 : 0;
		ev.frag_off = PT_IP_MF | PT_IP_OFFMASK;
		ev.netns = netns[i % 3];
		pt_output_event(&c.o, &ev, NULL);
		printf_line(line, sizeof(line), &ev, "dest-unreach", src, dst,
			    time_text[i]);
		strcat(want, line);
	}
	CU_ASSERT_STRING_EQUAL(cap_close(&c), want);
	free(c.buf);
}

/*
 * Lines gathered into blocks (report into a file) are the bytes written
 * line by line, over more than one block, with the summary after them
 */
static char *text_of_many(int gather)
{
	struct pt_event ev;
	struct pt_stats st;
	struct capture c;
	int i;

	cap_open(&c, PT_FMT_TEXT);
	c.o.gather = gather;
	for (i = 0; i < 400; i++) {
		ev = ut_event(i & 1, i & 2 ? PT_ICMP_ECHOREPLY : PT_ICMP_ECHO,
			      i & 4 ? "10.0.0.1" : "10.0.0.2", "10.0.0.3",
			      i % 3, i, 1000000000ULL + i * 12345ULL);
		CU_ASSERT_EQUAL(pt_output_event(&c.o, &ev, NULL), 0);
	}
	pt_stats_init(&st);
	CU_ASSERT_EQUAL(pt_output_summary(&c.o, &st), 0);
	return cap_close(&c);
}

static void test_output_text_gathered_is_line_by_line(void)
{
	char *one = text_of_many(0), *gathered = text_of_many(1);

	CU_ASSERT(strlen(one) > 2 * PT_OUTPUT_BLOCK);
	CU_ASSERT_STRING_EQUAL(gathered, one);
	free(one);
	free(gathered);
}

/* Wall clock times: the HH:MM:SS of each second, not of the first one */
static void test_output_text_wall_clock_seconds(void)
{
	struct pt_event ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "192.0.2.1",
				      "192.0.2.2", 1, 1, 0);
	static const unsigned long long times[] = {
		86399999999999ULL, 86400000000000ULL, 86400000000001ULL,
		90061000000009ULL,
	};
	static const char * const want[] = {
		" 23:59:59.999999999 ", " 00:00:00.000000000 ",
		" 00:00:00.000000001 ", " 01:01:01.000000009 ",
	};
	char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	struct capture c;
	char *text, *at;
	size_t i;

	setenv("TZ", "UTC", 1);
	tzset();
	cap_open(&c, PT_FMT_TEXT);
	c.o.wall = 1;
	for (i = 0; i < 4; i++) {
		ev.ts = times[i];
		pt_output_event(&c.o, &ev, NULL);
	}
	text = cap_close(&c);
	for (i = 0, at = text; i < 4; i++) {
		at = strstr(at, want[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		at = strchr(at, '\n');
	}
	free(text);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	free(saved);
	tzset();
}

static void test_output_text_summary(void)
{
	struct capture c;
	struct pt_stats st = stats();

	cap_open(&c, PT_FMT_TEXT);
	pt_output_summary(&c.o, &st);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"--- pingtrace statistics ---\n"
		"4 requests, 3 replies, 25% loss, 2 duplicates, 1 unmatched, "
		"0 unknown\n"
		"kernel rtt min/avg/max/mdev = 0.000100/0.000200/0.000300/"
		"0.000082 ms\n"
		"trace events lost: 0\n");
	free(c.buf);
}

static void test_output_csv_echo_and_summary(void)
{
	struct pt_echo e = echo_ok();
	struct pt_stats st = stats();
	struct capture c;

	cap_open(&c, PT_FMT_CSV);
	pt_output_echo(&c.o, &e);
	pt_output_summary(&c.o, &st);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"type,time_ns,dir,pid,comm,kind,src,dst,id,seq,ttl,len,dev,"
		"netns,status,send_ns,recv_ns,rtt_ns,target_recv_ns,"
		"target_send_ns,error_type,error_code,error_from,error_ns,"
		"drop_netns,drop_dev,drop_location,drop_reason,drop_ns,"
		"error_mtu,target_netns,path\n"
		"echo,1000123456,,,,,198.51.100.1,198.51.100.2,4660,7,,,,,ok,"
		"1000000000,1000123456,123456,,,,,,,,,,,,,,\n"
		"\n"
		"type,sent,received,lost,dup,unmatched,unknown,rtt_min_ns,"
		"rtt_avg_ns,rtt_max_ns,rtt_mdev_ns,events_lost,evicted,events,"
		"errors,drops\n"
		"summary,4,3,1,2,1,0,100,200,300,82,0,0,11,0,0\n");
	free(c.buf);
}

static void test_output_csv_quotes_comm(void)
{
	struct pt_event ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "10.0.0.1",
				      "10.0.0.2", 1, 2, 42);
	struct capture c;
	char *text;

	strcpy(ev.comm, "a,\"b");
	cap_open(&c, PT_FMT_CSV);
	c.o.events = 1;
	pt_output_event(&c.o, &ev, NULL);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
		"\nevent,42,SND,4321,\"a,\"\"b\",echo-request,10.0.0.1,"
		"10.0.0.2,1,2,64,84,veth0,4026531840,,,,,,,,,,,,,,,,,,\n"));
	free(text);
}

static void test_output_quiet_prints_summary_only(void)
{
	struct pt_event ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "10.0.0.1",
				      "10.0.0.2", 1, 2, 42);
	struct pt_echo e = echo_ok();
	struct pt_stats st = stats();
	struct capture c;
	char *text;

	cap_open(&c, PT_FMT_TEXT);
	c.o.quiet = 1;
	pt_output_event(&c.o, &ev, NULL);
	e.status = PT_ECHO_LOST;
	e.have = PT_HAVE_SEND;
	pt_output_echo(&c.o, &e);
	pt_output_summary(&c.o, &st);
	text = cap_close(&c);
	CU_ASSERT_EQUAL(strncmp(text, "--- pingtrace statistics ---\n", 29), 0);
	free(text);
}

/* The reader of a pipe went away (| head): -EPIPE, no signal, no exit */
static void test_output_epipe_returned(void)
{
	struct pt_echo e = echo_ok();
	struct pt_output o;
	int fds[2];
	FILE *fp;
	int i, ret = 0;

	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	close(fds[0]);
	fp = fdopen(fds[1], "w");
	pt_output_init(&o, fp, PT_FMT_JSON);
	for (i = 0; i < 1000 && !ret; i++)
		ret = pt_output_echo(&o, &e);
	if (!ret)
		ret = pt_output_flush(&o);
	CU_ASSERT_EQUAL(ret, -EPIPE);
	/* sticky: later calls report the same error, write nothing */
	CU_ASSERT_EQUAL(pt_output_echo(&o, &e), -EPIPE);
	CU_ASSERT_EQUAL(pt_output_summary(&o, &(struct pt_stats){ 0 }), -EPIPE);
	fclose(fp);
}

static void test_output_disk_full_returned(void)
{
	struct pt_stats st = stats();
	struct pt_output o;
	FILE *fp = fopen("/dev/full", "w");

	if (!fp) {
		CU_FAIL("cannot open /dev/full");
		return;
	}
	pt_output_init(&o, fp, PT_FMT_TEXT);
	CU_ASSERT_EQUAL(pt_output_summary(&o, &st), -ENOSPC);
	fclose(fp);
}

static void test_output_format_parse(void)
{
	enum pt_format f;

	CU_ASSERT_EQUAL(pt_format_parse("json", &f), 0);
	CU_ASSERT_EQUAL(f, PT_FMT_JSON);
	CU_ASSERT_EQUAL(pt_format_parse("csv", &f), 0);
	CU_ASSERT_EQUAL(f, PT_FMT_CSV);
	CU_ASSERT_EQUAL(pt_format_parse("text", &f), 0);
	CU_ASSERT_EQUAL(f, PT_FMT_TEXT);
	CU_ASSERT_EQUAL(pt_format_parse("xml", &f), -EINVAL);
	CU_ASSERT_EQUAL(pt_format_parse("", &f), -EINVAL);
}

/* ping -t 1: the router's time exceeded, 0.05 ms after the request */
static struct pt_echo echo_error(void)
{
	struct pt_echo e = echo_ok();

	e.status = PT_ECHO_ERROR;
	e.have = PT_HAVE_SEND | PT_HAVE_ERROR;
	e.dst = pt_addr4(ut_ip("203.0.113.2"));
	e.error.type = PT_ICMP_TIME_EXCEEDED;
	e.error.from = pt_addr4(ut_ip("198.51.100.254"));
	e.error.to = pt_addr4(ut_ip("198.51.100.1"));
	e.error.ns = 1000050000;
	return e;
}

static void test_output_text_error_in_pings_words(void)
{
	struct pt_event ev = ut_event(PT_DIR_RECV, PT_ICMP_TIME_EXCEEDED,
				      "198.51.100.254", "198.51.100.1",
				      0, 0, 1000050000);
	struct pt_echo e = echo_error();
	struct capture c;
	char *line;

	cap_open(&c, PT_FMT_TEXT);
	pt_output_event(&c.o, &ev, &e);
	pt_output_echo(&c.o, &e);	/* shown on the line already */
	line = cap_close(&c);
	CU_ASSERT_STRING_EQUAL(line,
		"RCV       0 <idle>                 1.000050000 time-exceeded"
		"  198.51.100.254 -> 198.51.100.1    type=11 code=0 ttl=64 len=84 "
		"dev=veth0 netns=4026531840 From 198.51.100.254 icmp_seq=7 "
		"Time to live exceeded after=0.050000 ms\n");
	free(line);
}

static void test_output_text_error_unattached_says_why(void)
{
	struct pt_event ev = ut_event(PT_DIR_RECV, PT_ICMP_DEST_UNREACH,
				      "198.51.100.254", "198.51.100.1",
				      0, 0, 1000050000);
	struct pt_echo e = echo_error();
	struct capture c;
	char *line;

	e.have = PT_HAVE_ERROR;
	e.error.type = PT_ICMP_DEST_UNREACH;
	e.error.code = 1;
	e.error.unattached = PT_ERROR_NO_ORIG;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_event(&c.o, &ev, &e);
	line = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(line, " From 198.51.100.254 Destination "
		"Host Unreachable (not attached: this net:ip_icmp has no "
		"orig_*)\n"));
	free(line);
}

static void test_output_json_error_object(void)
{
	struct pt_echo e = echo_error();
	struct capture c;

	cap_open(&c, PT_FMT_JSON);
	pt_output_echo(&c.o, &e);
	CU_ASSERT_STRING_EQUAL(cap_close(&c),
		"{\"type\":\"echo\",\"src\":\"198.51.100.1\","
		"\"dst\":\"203.0.113.2\",\"id\":4660,\"seq\":7,"
		"\"status\":\"error\",\"send_ns\":1000000000,\"recv_ns\":null,"
		"\"rtt_ns\":null,\"error\":{\"type\":11,\"code\":0,"
		"\"from\":\"198.51.100.254\",\"text\":\"Time to live exceeded\","
		"\"ns\":1000050000}}\n");
	free(c.buf);
}

/* ping -M do -s 1400 into a 1280-byte link: "(mtu = 1280)" as ping says */
static struct pt_echo echo_frag_needed(void)
{
	struct pt_echo e = echo_error();

	e.error.type = PT_ICMP_DEST_UNREACH;
	e.error.code = PT_ICMP_FRAG_NEEDED;
	e.error.has_mtu = 1;
	e.error.mtu = 1280;
	return e;
}

static void test_output_text_frag_needed_has_mtu(void)
{
	struct pt_event ev = ut_event(PT_DIR_RECV, PT_ICMP_DEST_UNREACH,
				      "198.51.100.254", "198.51.100.1",
				      0, 0, 1000050000);
	struct pt_echo e = echo_frag_needed();
	struct capture c;
	char *text;

	ev.icmp_code = PT_ICMP_FRAG_NEEDED;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_event(&c.o, &ev, &e);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, " From 198.51.100.254 icmp_seq=7 "
		"Frag needed and DF set (mtu = 1280) after=0.050000 ms\n"));
	free(text);

	/* a kernel whose event has no mtu: ping's words, no number made up */
	e.error.has_mtu = 0;
	e.error.mtu = 0;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_event(&c.o, &ev, &e);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, " icmp_seq=7 Frag needed and DF "
		"set after=0.050000 ms\n"));
	CU_ASSERT_PTR_NULL(strstr(text, "mtu"));
	free(text);
}

static void test_output_json_and_csv_frag_needed_mtu(void)
{
	struct pt_echo e = echo_frag_needed();
	struct capture c;
	char *text;

	cap_open(&c, PT_FMT_JSON);
	pt_output_echo(&c.o, &e);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"error\":{\"type\":3,\"code\":4,"
		"\"from\":\"198.51.100.254\",\"text\":\"Frag needed and DF "
		"set\",\"mtu\":1280,\"ns\":1000050000}"));
	free(text);

	cap_open(&c, PT_FMT_CSV);
	pt_output_echo(&c.o, &e);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, ",3,4,198.51.100.254,1000050000,"
		",,,,,1280,,\n"));
	free(text);
}

/* The CSV path column: every point, DIR:WHAT:NETNS:DEV:NS, in order */
static void test_output_csv_path_and_target_netns(void)
{
	struct pt_echo e = echo_ok();
	struct capture c;
	char *text;

	e.have |= PT_HAVE_TARGET_RECV;
	e.target_recv_ns = 1000060000;
	e.target_netns = 4026532120;
	e.nr_path = 2;
	e.path[0] = (struct pt_hop){ .ns = 1000000000, .netns = 4026532079,
				     .dir = PT_DIR_SEND,
				     .what = PT_HOP_REQUEST, .dev = "va" };
	e.path[1] = (struct pt_hop){ .ns = 1000060000, .netns = 4026532120,
				     .dir = PT_DIR_RECV,
				     .what = PT_HOP_REQUEST, .dev = "" };
	e.path_full = 3;
	cap_open(&c, PT_FMT_CSV);
	pt_output_echo(&c.o, &e);
	text = cap_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, ",,4026532120,SND:request:"
		"4026532079:va:1000000000 RCV:request:4026532120:-:1000060000 "
		"more:3\n"));
	free(text);
}

static void test_output_text_summary_counts_errors_like_ping(void)
{
	struct pt_stats st;
	struct capture c;

	pt_stats_init(&st);
	st.sent = 3;
	st.errors = 3;
	cap_open(&c, PT_FMT_TEXT);
	pt_output_summary(&c.o, &st);
	CU_ASSERT_PTR_NOT_NULL(strstr(cap_close(&c), "\n3 requests, 0 replies, "
		"+3 errors, 100% loss, 0 duplicates"));
	free(c.buf);
}

void ut_add_output_suite(void)
{
	CU_pSuite s = CU_add_suite("output", NULL, NULL);

	UT_ADD_TEST(s, test_output_json_echo_ok);
	UT_ADD_TEST(s, test_output_text_error_in_pings_words);
	UT_ADD_TEST(s, test_output_text_error_unattached_says_why);
	UT_ADD_TEST(s, test_output_json_error_object);
	UT_ADD_TEST(s, test_output_text_frag_needed_has_mtu);
	UT_ADD_TEST(s, test_output_json_and_csv_frag_needed_mtu);
	UT_ADD_TEST(s, test_output_csv_path_and_target_netns);
	UT_ADD_TEST(s, test_output_text_summary_counts_errors_like_ping);
	UT_ADD_TEST(s, test_output_json_echo_four_points);
	UT_ADD_TEST(s, test_output_json_echo_lost_has_nulls);
	UT_ADD_TEST(s, test_output_json_echo_unmatched);
	UT_ADD_TEST(s, test_output_json_summary);
	UT_ADD_TEST(s, test_output_json_summary_unknown_losses);
	UT_ADD_TEST(s, test_output_json_event_escapes_strings);
	UT_ADD_TEST(s, test_output_json_events_only_with_option);
	UT_ADD_TEST(s, test_output_text_reply_line_has_rtt);
	UT_ADD_TEST(s, test_output_text_lost_line);
	UT_ADD_TEST(s, test_output_text_path_of_routed_echo);
	UT_ADD_TEST(s, test_output_text_fragment_line);
	UT_ADD_TEST(s, test_output_text_summary);
	UT_ADD_TEST(s, test_output_text_edges_match_printf);
	UT_ADD_TEST(s, test_output_text_wall_clock_seconds);
	UT_ADD_TEST(s, test_output_csv_echo_and_summary);
	UT_ADD_TEST(s, test_output_csv_quotes_comm);
	UT_ADD_TEST(s, test_output_quiet_prints_summary_only);
	UT_ADD_TEST(s, test_output_epipe_returned);
	UT_ADD_TEST(s, test_output_disk_full_returned);
	UT_ADD_TEST(s, test_output_format_parse);
	UT_ADD_TEST(s, test_output_text_gathered_is_line_by_line);
}
