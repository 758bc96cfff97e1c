// SPDX-License-Identifier: GPL-2.0
/*
 * fixtures: reports of trace files recorded in the test VM with the real
 * kernel (tests/fixtures/README), checked against evidence pingtrace did
 * not compute: what iputils ping printed meanwhile (NAME.ping) and the
 * netns inodes and ifindexes of the bench (bench.env).
 *
 * A missing fixture fails the test: these files are part of the tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "decode.h"
#include "replay.h"
#include "unit.h"

#define FIXTURE(name)	PT_FIXTURES "/" name
#define MAX_REPLIES	16
#define MAX_ECHOES	16
#define MAX_EVENTS	128
#define IP_HDR_LEN	20	/* ping sends no IP options */

/* What ping printed */
struct ping_log {
	char		dst[16];
	unsigned	ip_len;			/* "56(84) bytes": 84 */
	unsigned	transmitted;
	unsigned	received;
	unsigned	nr;			/* icmp_seq= lines */
	unsigned	seq[MAX_REPLIES];
	unsigned long long max_rtt_ns[MAX_REPLIES];	/* time + half a digit */
};

/* The bench: requester in netns_a on "va", responder in netns_b on "vb" */
struct bench {
	unsigned long long	netns_a, netns_b;
	long long		ifindex_va, ifindex_vb;
};

struct fx_event {
	char			dir[4], kind[24], src[16], dst[16], dev[17];
	unsigned long long	netns, len, ip_id, frag_off, seq;
	long long		ifindex;
	int			has_seq;
};

struct fx_echo {
	char			status[16], src[16], dst[16];
	unsigned long long	seq, send, recv, rtt, target_recv, target_send;
	int			has_rtt, has_target;
};

struct fx_report {
	int			ret;
	unsigned		nr_events, nr_echoes, nr_summaries;
	struct fx_event		ev[MAX_EVENTS];
	struct fx_echo		echo[MAX_ECHOES];
	unsigned long long	sent, received, lost;
};

static char *read_text(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_FATAL(getdelim(&text, &size, '\0', fp) > 0);
	fclose(fp);
	return text;
}

/*
 * "14.3" ms to ns, plus half a unit of its last digit: ping rounds, so
 * the time it measured is at most that.
 */
static unsigned long long ping_time_max_ns(const char *s)
{
	const char *dot = strchr(s, '.');
	unsigned long long half = 500000;	/* half a millisecond */
	size_t i, digits = dot ? strspn(dot + 1, "0123456789") : 0;

	for (i = 0; i < digits; i++)
		half /= 10;
	return (unsigned long long)(strtod(s, NULL) * 1e6 + 0.5) + half;
}

static void parse_ping_line(struct ping_log *p, const char *line)
{
	const char *seq = strstr(line, "icmp_seq=");
	const char *time = strstr(line, " time=");

	if (sscanf(line, "PING %*s (%15[0-9.]) %*u(%u) bytes", p->dst,
		   &p->ip_len) == 2)
		return;
	if (sscanf(line, "%u packets transmitted, %u received",
		   &p->transmitted, &p->received) == 2)
		return;
	if (!seq || !time)
		return;
	CU_ASSERT_FATAL(p->nr < MAX_REPLIES);
	p->seq[p->nr] = strtoul(seq + 9, NULL, 10);
	p->max_rtt_ns[p->nr] = ping_time_max_ns(time + 6);
	p->nr++;
}

static void read_ping(const char *path, struct ping_log *p)
{
	char *text = read_text(path);
	char *line, *save = NULL;

	memset(p, 0, sizeof(*p));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		parse_ping_line(p, line);
	free(text);
	CU_ASSERT_FATAL(p->dst[0] && p->ip_len && p->transmitted);
}

static unsigned long long env_value(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p;

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == '=')
			return strtoull(p + len + 1, NULL, 10);
	CU_FAIL_FATAL("bench.env lacks a key");
	return 0;
}

static void read_bench(struct bench *b)
{
	char *text = read_text(FIXTURE("bench.env"));

	b->netns_a = env_value(text, "netns_a");
	b->netns_b = env_value(text, "netns_b");
	b->ifindex_va = env_value(text, "ifindex_va");
	b->ifindex_vb = env_value(text, "ifindex_vb");
	free(text);
	CU_ASSERT_FATAL(b->netns_a != b->netns_b);
}

/* The value after "key": in a JSON line; 0 when absent or null */
static const char *json_value(const char *line, const char *key)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	return strncmp(p, "null", 4) ? p : NULL;
}

static int json_num(const char *line, const char *key,
		    unsigned long long *v)
{
	const char *p = json_value(line, key);

	*v = p ? strtoull(p, NULL, 10) : 0;
	return p != NULL;
}

static void json_str(const char *line, const char *key, char *buf,
		     size_t size)
{
	const char *p = json_value(line, key);
	size_t len = 0;

	if (p && *p == '"') {
		len = strcspn(p + 1, "\"");
		if (len >= size)
			len = size - 1;
		memcpy(buf, p + 1, len);
	}
	buf[len] = '\0';
}

static void parse_event(struct fx_report *r, const char *line)
{
	struct fx_event *e = &r->ev[r->nr_events++];
	unsigned long long v;

	json_str(line, "dir", e->dir, sizeof(e->dir));
	json_str(line, "kind", e->kind, sizeof(e->kind));
	json_str(line, "src", e->src, sizeof(e->src));
	json_str(line, "dst", e->dst, sizeof(e->dst));
	json_str(line, "dev", e->dev, sizeof(e->dev));
	json_num(line, "netns", &e->netns);
	json_num(line, "len", &e->len);
	json_num(line, "ip_id", &e->ip_id);
	json_num(line, "frag_off", &e->frag_off);
	e->has_seq = json_num(line, "seq", &e->seq);
	json_num(line, "ifindex", &v);
	e->ifindex = (long long)v;
}

static void parse_echo(struct fx_report *r, const char *line)
{
	struct fx_echo *e = &r->echo[r->nr_echoes++];

	json_str(line, "status", e->status, sizeof(e->status));
	json_str(line, "src", e->src, sizeof(e->src));
	json_str(line, "dst", e->dst, sizeof(e->dst));
	json_num(line, "seq", &e->seq);
	json_num(line, "send_ns", &e->send);
	json_num(line, "recv_ns", &e->recv);
	e->has_rtt = json_num(line, "rtt_ns", &e->rtt);
	e->has_target = json_num(line, "target_recv_ns", &e->target_recv) &&
			json_num(line, "target_send_ns", &e->target_send);
}

static void parse_line(struct fx_report *r, const char *line)
{
	if (!strncmp(line, "{\"type\":\"event\",", 16)) {
		CU_ASSERT_FATAL(r->nr_events < MAX_EVENTS);
		parse_event(r, line);
	} else if (!strncmp(line, "{\"type\":\"echo\",", 15)) {
		CU_ASSERT_FATAL(r->nr_echoes < MAX_ECHOES);
		parse_echo(r, line);
	} else if (!strncmp(line, "{\"type\":\"summary\",", 18)) {
		r->nr_summaries++;
		json_num(line, "sent", &r->sent);
		json_num(line, "received", &r->received);
		json_num(line, "lost", &r->lost);
	} else {
		CU_FAIL("a JSON line of unknown type");
	}
}

/* pingtrace report -F json -e FILE, parsed */
static struct fx_report *report(const char *path)
{
	struct fx_report *r = calloc(1, sizeof(*r));
	struct pt_targets targets = { 0 };
	struct pt_replay_info info;
	struct pt_pair_config cfg;
	struct pt_output out;
	char *text = NULL, *line, *save = NULL;
	size_t size;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	pt_pair_config_default(&cfg);
	pt_output_init(&out, open_memstream(&text, &size), PT_FMT_JSON);
	out.events = 1;
	r->ret = pt_replay_file(path, &targets, &cfg, &out, &info);
	fclose(out.fp);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		parse_line(r, line);
	free(text);
	CU_ASSERT_EQUAL(r->ret, 0);
	CU_ASSERT_EQUAL(info.nr_bad, 0);
	CU_ASSERT_EQUAL(r->nr_summaries, 1);
	return r;
}

/*
 * Every event sits on the requester's side (netns_a, va) or on the
 * responder's (netns_b, vb): sent from or received at the requester.
 */
static void check_event_places(const struct fx_report *r, const char *req,
			       const struct bench *b)
{
	unsigned i;

	for (i = 0; i < r->nr_events; i++) {
		const struct fx_event *e = &r->ev[i];
		int at_a = !strcmp(e->dir, "SND") ? !strcmp(e->src, req) :
						     !strcmp(e->dst, req);

		CU_ASSERT(!strcmp(e->dir, "SND") || !strcmp(e->dir, "RCV"));
		CU_ASSERT_EQUAL(e->netns, at_a ? b->netns_a : b->netns_b);
		CU_ASSERT_EQUAL(e->ifindex, at_a ? b->ifindex_va : b->ifindex_vb);
		CU_ASSERT_STRING_EQUAL(e->dev, at_a ? "va" : "vb");
	}
}

/* The answered echoes are ping's replies, in its order, no slower */
static void check_answered(const struct fx_report *r,
			   const struct ping_log *p)
{
	unsigned i;

	CU_ASSERT_EQUAL_FATAL(r->nr_echoes, p->nr);
	for (i = 0; i < r->nr_echoes; i++) {
		const struct fx_echo *e = &r->echo[i];

		CU_ASSERT_EQUAL(e->seq, p->seq[i]);
		CU_ASSERT_STRING_EQUAL(e->status, "ok");
		CU_ASSERT_STRING_EQUAL(e->dst, p->dst);
		CU_ASSERT_STRING_EQUAL(e->src, r->echo[0].src);
		CU_ASSERT(strcmp(e->src, p->dst) != 0);
		CU_ASSERT(e->has_rtt && e->rtt > 0);
		CU_ASSERT(e->rtt <= p->max_rtt_ns[i]);
		CU_ASSERT_EQUAL(e->rtt, e->recv - e->send);
		/* both ends traced: the four points, in time order */
		CU_ASSERT_FATAL(e->has_target);
		CU_ASSERT(e->send < e->target_recv);
		CU_ASSERT(e->target_recv <= e->target_send);
		CU_ASSERT(e->target_send < e->recv);
	}
}

static void check_summary(const struct fx_report *r,
			  const struct ping_log *p)
{
	CU_ASSERT_EQUAL(r->sent, p->transmitted);
	CU_ASSERT_EQUAL(r->received, p->received);
	CU_ASSERT_EQUAL(r->lost, p->transmitted - p->received);
}

static void test_fixture_veth_matches_ping(void)
{
	struct fx_report *r = report(FIXTURE("veth-v6.dat"));
	struct ping_log p;
	struct bench b;

	read_ping(FIXTURE("veth-v6.ping"), &p);
	read_bench(&b);
	CU_ASSERT_EQUAL(p.nr, p.transmitted);
	check_answered(r, &p);
	check_summary(r, &p);
	/* request out, in at the target, reply out there, back in */
	CU_ASSERT_EQUAL(r->nr_events, 4 * p.nr);
	if (r->nr_echoes)
		check_event_places(r, r->echo[0].src, &b);
	free(r);
}

/*
 * The IP payload of the fragments with @ip_id that arrived at @to adds
 * up to what ping sent; returns how many fragments there were.
 */
static unsigned check_reassembles(const struct fx_report *r,
				  unsigned long long ip_id, const char *to,
				  const struct ping_log *p)
{
	unsigned long long payload = 0;
	unsigned i, n = 0;

	for (i = 0; i < r->nr_events; i++) {
		const struct fx_event *e = &r->ev[i];

		if (strcmp(e->dir, "RCV") || strcmp(e->dst, to) ||
		    e->ip_id != ip_id)
			continue;
		CU_ASSERT(e->frag_off & 0x3fff);	/* MF or an offset */
		payload += e->len - IP_HDR_LEN;
		n++;
	}
	CU_ASSERT_EQUAL(payload, p->ip_len - IP_HDR_LEN);
	return n;
}

/* Each echo-request and echo-reply that arrived came in fragments */
static void check_fragments(const struct fx_report *r,
			    const struct ping_log *p)
{
	unsigned i, trains = 0;

	for (i = 0; i < r->nr_events; i++) {
		const struct fx_event *e = &r->ev[i];

		if (strcmp(e->dir, "RCV") || !e->has_seq)
			continue;
		CU_ASSERT(check_reassembles(r, e->ip_id, e->dst, p) >= 2);
		trains++;
	}
	CU_ASSERT_EQUAL(trains, 2 * p->nr);
}

static void test_fixture_frag_echoes_in_fragments(void)
{
	struct fx_report *r = report(FIXTURE("frag-v6.dat"));
	struct ping_log p;
	struct bench b;

	read_ping(FIXTURE("frag-v6.ping"), &p);
	read_bench(&b);
	CU_ASSERT(p.ip_len > 1500);	/* more than the MTU of the bench */
	CU_ASSERT_EQUAL(p.nr, 3);
	check_answered(r, &p);
	check_summary(r, &p);
	check_fragments(r, &p);
	if (r->nr_echoes)
		check_event_places(r, r->echo[0].src, &b);
	free(r);
}

/* No host: ping's seqs 1..N all lost, and nothing came back */
static void test_fixture_nohost_all_lost(void)
{
	struct fx_report *r = report(FIXTURE("nohost-v6.dat"));
	struct ping_log p;
	struct bench b;
	unsigned i;

	read_ping(FIXTURE("nohost-v6.ping"), &p);
	read_bench(&b);
	CU_ASSERT_EQUAL(p.nr, 0);
	CU_ASSERT_EQUAL(p.received, 0);
	CU_ASSERT_EQUAL_FATAL(r->nr_echoes, p.transmitted);
	for (i = 0; i < r->nr_echoes; i++) {
		CU_ASSERT_EQUAL(r->echo[i].seq, i + 1);
		CU_ASSERT_STRING_EQUAL(r->echo[i].status, "lost");
		CU_ASSERT_STRING_EQUAL(r->echo[i].dst, p.dst);
		CU_ASSERT_FALSE(r->echo[i].has_rtt);
	}
	check_summary(r, &p);
	for (i = 0; i < r->nr_events; i++) {
		CU_ASSERT_STRING_EQUAL(r->ev[i].dir, "SND");
		CU_ASSERT_EQUAL(r->ev[i].netns, b.netns_a);
		CU_ASSERT_STRING_EQUAL(r->ev[i].dev, "va");
	}
	free(r);
}

static void check_same_field(struct tep_event *real,
			     const struct tep_format_field *want)
{
	struct tep_format_field *f = tep_find_any_field(real, want->name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->size, want->size);
	CU_ASSERT_EQUAL(f->offset, want->offset);
}

static int nr_fields(struct tep_event *event)
{
	struct tep_format_field *f;
	int n = 0;

	for (f = event->format.common_fields; f; f = f->next)
		n++;
	for (f = event->format.fields; f; f = f->next)
		n++;
	return n;
}

/*
 * The kernel's own format of net:ip_icmp parses, the decoder finds all
 * its fields, and the hand-written format of the other suites has the
 * same fields, sizes and offsets.
 */
static void test_fixture_real_format_parses(void)
{
	char *text = read_text(FIXTURE("ip_icmp.format"));
	struct tep_handle *real = ut_tep_with_format(text, 0);
	struct tep_handle *hand = ut_tep_with_format(ut_kernel_format(), 0);
	struct tep_event *re, *he;
	struct tep_format_field *f;
	struct pt_decoder dec;

	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(real);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hand);
	CU_ASSERT_EQUAL(pt_decoder_init(&dec, real), 0);
	CU_ASSERT_PTR_NULL(dec.bad_field);
	re = tep_find_event_by_name(real, "net", "ip_icmp");
	he = tep_find_event_by_name(hand, "net", "ip_icmp");
	CU_ASSERT_FATAL(re && he);
	CU_ASSERT_EQUAL(nr_fields(re), nr_fields(he));
	for (f = he->format.common_fields; f; f = f->next)
		check_same_field(re, f);
	for (f = he->format.fields; f; f = f->next)
		check_same_field(re, f);
	tep_free(real);
	tep_free(hand);
}

/* Entries "{ N, "name" }" of the print format's list of ICMP types */
static int count_type_names(const char *fmt)
{
	const char *p = strstr(fmt, "{ 256, \"none\" }");
	int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	while ((p = strstr(p + 1, "{ ")) != NULL)
		n++;
	return n;
}

/*
 * pingtrace names ICMP types as the kernel's print format does, and
 * every type the format names (trace-cmd report shows them side by side)
 */
static void test_fixture_icmp_names_match_print_format(void)
{
	char *text = read_text(FIXTURE("ip_icmp.format"));
	char entry[64];
	const char *name;
	int type, named = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	for (type = 0; type < 256; type++) {
		name = pt_icmp_type_name(type);
		if (!name)
			continue;
		named++;
		snprintf(entry, sizeof(entry), "{ %d, \"%s\" }", type, name);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, entry));
		if (!strstr(text, entry))
			fprintf(stderr, "\nnot in the print format: %s\n",
				entry);
	}
	CU_ASSERT_EQUAL(named, count_type_names(text));
	CU_ASSERT_STRING_EQUAL(pt_icmp_type_name(PT_ICMP_PARAMETERPROB),
			       "parameter-problem");
	free(text);
}

void ut_add_fixtures_suite(void)
{
	CU_pSuite s = CU_add_suite("fixtures", NULL, NULL);

	UT_ADD_TEST(s, test_fixture_veth_matches_ping);
	UT_ADD_TEST(s, test_fixture_frag_echoes_in_fragments);
	UT_ADD_TEST(s, test_fixture_nohost_all_lost);
	UT_ADD_TEST(s, test_fixture_real_format_parses);
	UT_ADD_TEST(s, test_fixture_icmp_names_match_print_format);
}
