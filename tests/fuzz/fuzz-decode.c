// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: net:ip_icmp decoding, pairing and the writers.
 *
 * The first byte of the input picks the mode and the options:
 *
 *   bit 0     0: an event format generated from the input (any fields,
 *             types, offsets, sizes and signedness, in well-formed
 *             format syntax) and raw records after it;
 *             1: the real format (tests/fixtures/ip_icmp.format) and a
 *             sequence of events built from the input, so that pairing
 *             sees echoes, replies, fragments, losses and wraps
 *   bits 1-2  output: text, JSON, CSV, text with -q
 *   bit 3     --events (per-event JSON and CSV records)
 *   bit 4     the file is big-endian
 *   bit 5     times are wall clock
 *   bits 6-7  pairing limits: default, tiny tables, a timeout, both
 *
 * The second byte picks the targets (-t), bits 0-5; bit 6, in the real
 * format, makes each event with a ttl of 0 an skb:kfree_skb instead (its
 * skbaddr that of the events with the same ip id, so that drops join
 * packets, reused addresses and all); bit 7 the real format of the v2
 * series, with the orig_* fields of ICMP errors; bit 5, in the real
 * format, makes each event with an odd ttl a net:ip6_icmp record
 * (tests/fixtures/ip6_icmp.format, in every real tep handle) built from
 * the same bytes, and the targets IPv6 ones.  Every record is decoded,
 * matched, paired and written by a session, as pingtrace report does,
 * into a memory stream.  The same records also go through a second
 * pairing engine whose callback checks every echo, and the statistics
 * are checked at the end.  A broken invariant is a __builtin_trap().
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "output.h"
#include "pair.h"
#include "session.h"
#include "target.h"

#define MAX_RECORDS		512
#define MAX_FORMAT		8192
#define REAL_RECORD_SIZE	64
#define REAL_V2_RECORD_SIZE	80	/* with the orig_* fields */
#define REAL_EVENT_ID		410
#define KFREE_EVENT_ID		1400
#define KFREE_RECORD_SIZE	40
#define REAL6_EVENT_ID		981
#define REAL6_RECORD_SIZE	192

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define check(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

struct input {
	const uint8_t	*p;
	size_t		left;
};

static int get(struct input *in, void *dst, size_t n)
{
	if (in->left < n)
		return -1;
	memcpy(dst, in->p, n);
	in->p += n;
	in->left -= n;
	return 0;
}

/* ---- records ---- */

struct records {
	struct tep_record	rec[MAX_RECORDS];
	int			nr;
	int			ordered;	/* timestamps never go back */
};

/* Each record's bytes get their own allocation: ASan sees over-reads */
static void add_record(struct records *r, const void *data, int size,
		       uint64_t ts, int missed)
{
	struct tep_record *rec = &r->rec[r->nr++];
	void *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	memset(rec, 0, sizeof(*rec));
	rec->ts = ts;
	rec->cpu = r->nr & 1;
	rec->data = copy;
	rec->size = size;
	rec->missed_events = missed;
}

static void free_records(struct records *r)
{
	int i;

	for (i = 0; i < r->nr; i++)
		free(r->rec[i].data);
	r->nr = 0;
}

/*
 * Raw records: [size u8][ts delta u8][size bytes], the delta in
 * microseconds; a delta of 255 says the ring buffer lost events.
 */
static void raw_records(struct input *in, struct records *r)
{
	uint64_t ts = 1000000000ULL;
	uint8_t hdr[2];
	int size;

	r->ordered = 1;
	while (r->nr < MAX_RECORDS && !get(in, hdr, 2)) {
		size = hdr[0] < in->left ? hdr[0] : (int)in->left;
		ts += hdr[1] * 1000ULL;
		add_record(r, in->p, size, ts, hdr[1] == 255 ? -1 : 0);
		in->p += size;
		in->left -= size;
	}
}

/* ---- events in the real format ---- */

static const uint32_t addrs[4] = {
	0x016433c6,	/* 198.51.100.1, network order */
	0x026433c6,	/* 198.51.100.2 */
	0x0100007f,	/* 127.0.0.1 */
	0x097100cb,	/* 203.0.113.9 */
};

/* The same roles in IPv6: requester, responder, loopback, a router */
static const uint8_t addrs6[4][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 2 },
	{ [15] = 1 },
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 0xfe },
};

static const uint32_t netns[4] = { 4026531840u, 4026532200u, 4026532300u, 0 };

static void put(uint8_t *p, uint64_t v, int size, int be)
{
	int i;

	for (i = 0; i < size; i++)
		p[i] = v >> (be ? (size - 1 - i) * 8 : i * 8);
}

/*
 * One event from 10 bytes:
 *   b[0] bit 0 dir, bit 1 has_icmp, bits 2-3 type (request, reply,
 *        b[9], unreachable), bits 4-5 fragment (none, first, middle,
 *        last), bit 6 events lost before it, bit 7 not ICMP
 *   b[1] bits 0-1 source, 2-3 destination, 4-5 netns, bit 6 cut the
 *        record to b[9] % 64 bytes, bit 7 the time goes back
 *   b[2] icmp id, b[3..4] seq, b[5..6] time step in microseconds,
 *   b[7] ip id, b[8] ttl, b[9] spare
 * and in the v2 format (the series' own, tests/fixtures/ip_icmp-v2.format,
 * which decode.c reads through its constant table), of an ICMP error:
 * b[9] bit 7 no quote, bit 6 quotes UDP, bits 2-3 the quoted
 * destination; the quote's source is the error's destination, its id
 * and seq the event's; a frag needed has an mtu from b[7].
 */
static void real_orig(uint8_t *rec, const uint8_t *b, int be)
{
	/* mtu: of a frag needed only, as the kernel fills it */
	if (rec[61] == 3 && rec[62] == 4)
		put(rec + 78, 68 + b[7] * 8, 2, be);
	if (rec[61] == 0 || rec[61] == 8 || (b[9] & 0x80))
		return;
	memcpy(rec + 64, &addrs[(b[1] >> 2) & 3], 4);
	memcpy(rec + 68, &addrs[(b[9] >> 2) & 3], 4);
	put(rec + 72, b[2], 2, be);
	put(rec + 74, b[3] | b[4] << 8, 2, be);
	rec[76] = 1;
	rec[77] = b[9] & 0x40 ? 17 : 1;
}

/*
 * An skb:kfree_skb of 6.12's layout from the same 10 bytes: b[7] the
 * skb, b[2] the location, b[1] bit 0 not IPv4, b[9] the reason, bit 6 of
 * b[1] the record cut short
 */
static void kfree_record(struct records *r, const uint8_t *b, uint64_t ts,
			 int be)
{
	uint8_t rec[KFREE_RECORD_SIZE];

	memset(rec, 0, sizeof(rec));
	put(rec + 0, KFREE_EVENT_ID, 2, be);
	put(rec + 8, 0xffff888000000000ULL | b[7], 8, be);
	put(rec + 16, 0xffffffff81000000ULL + b[2] * 0x100, 8, be);
	put(rec + 32, b[1] & 1 ? 0x86dd : 0x0800, 2, be);
	put(rec + 36, b[9] % 80, 4, be);
	add_record(r, rec, b[1] & 0x40 ? b[9] % KFREE_RECORD_SIZE :
		   KFREE_RECORD_SIZE, ts, 0);
}

static void real6_record(struct records *r, const uint8_t *b, uint64_t ts,
			 int size, int missed, int be);

static void real_record(struct records *r, const uint8_t *b, uint64_t *ts,
			int be, int v2, int drops, int v6)
{
	static const uint8_t types[4] = { 8, 0, 0, 3 };
	static const uint16_t frags[4] = { 0, 0x2000, 0x2000 | 185, 370 };
	uint8_t rec[REAL_V2_RECORD_SIZE];
	uint64_t step = (uint64_t)(b[5] | b[6] << 8) * 1000;
	int full = v2 ? REAL_V2_RECORD_SIZE : REAL_RECORD_SIZE;
	int size = full;
	int missed = 0;

	if (b[1] & 0x80) {
		*ts = *ts > step ? *ts - step : 0;
		r->ordered = 0;
	} else {
		*ts += step;
	}
	if (b[0] & 0x40)
		missed = b[9] & 1 ? -1 : b[9];
	if (b[1] & 0x40)
		size = b[9] % full;
	if (drops && !b[8]) {
		kfree_record(r, b, *ts, be);
		return;
	}
	if (v6 && (b[8] & 1)) {
		real6_record(r, b, *ts, size == full ? REAL_V2_RECORD_SIZE :
			     size, missed, be);
		return;
	}

	memset(rec, 0, sizeof(rec));
	put(rec + 0, REAL_EVENT_ID, 2, be);
	put(rec + 4, 1000 + (b[2] & 3), 4, be);
	put(rec + 8, 0xffff888000000000ULL | b[7], 8, be);
	put(rec + 16, netns[(b[1] >> 4) & 3], 4, be);
	put(rec + 20, 2 + (b[1] & 1), 4, be);
	memcpy(rec + 24, b[0] & 1 ? "veth1" : "veth0", 5);
	memcpy(rec + 40, &addrs[b[1] & 3], 4);
	memcpy(rec + 44, &addrs[(b[1] >> 2) & 3], 4);
	put(rec + 48, 84, 2, be);
	put(rec + 50, b[7], 2, be);
	put(rec + 52, frags[(b[0] >> 4) & 3], 2, be);
	put(rec + 54, b[2], 2, be);
	put(rec + 56, b[3] | b[4] << 8, 2, be);
	rec[58] = b[0] & 1;
	rec[59] = b[0] & 0x80 ? 17 : 1;
	rec[60] = b[8];
	rec[61] = ((b[0] >> 2) & 3) == 2 ? b[9] : types[(b[0] >> 2) & 3];
	rec[63] = (b[0] >> 1) & 1;
	if (v2)
		real_orig(rec, b, be);
	add_record(r, rec, size, *ts, missed);
}

/*
 * net:ip6_icmp from the same 10 bytes as real_record(): types request,
 * reply, b[9], time exceeded; fragments none, first, middle, last (a
 * fragment header with the M flag and offset in bytes); an error quotes
 * the request of the event's id and seq (b[9] bit 7: no quote, bit 6:
 * quotes UDP), and b[9] bit 5 makes it a packet too big of mtu b[7]
 */
static void real6_record(struct records *r, const uint8_t *b, uint64_t ts,
			 int size, int missed, int be)
{
	static const uint8_t types[4] = { 128, 129, 0, 3 };
	static const uint16_t frags[4] = { 0, 1, 1448 | 1, 2896 };
	uint8_t rec[REAL6_RECORD_SIZE];
	int frag = (b[0] >> 4) & 3;
	int type = ((b[0] >> 2) & 3) == 2 ? b[9] : types[(b[0] >> 2) & 3];

	if (type == 3 && (b[9] & 0x20))
		type = 2;
	memset(rec, 0, sizeof(rec));
	put(rec + 0, REAL6_EVENT_ID, 2, be);
	put(rec + 4, 1000 + (b[2] & 3), 4, be);
	put(rec + 8, 0xffff888000000000ULL | b[7], 8, be);
	put(rec + 16, netns[(b[1] >> 4) & 3], 4, be);
	put(rec + 20, 2 + (b[1] & 1), 4, be);
	memcpy(rec + 24, b[0] & 1 ? "veth1" : "veth0", 5);
	memcpy(rec + 40, addrs6[b[1] & 3], 16);
	memcpy(rec + 56, addrs6[(b[1] >> 2) & 3], 16);
	put(rec + 104, b[5], 4, be);		/* flow label */
	put(rec + 108, frag ? 0x80000000u | b[7] : 0, 4, be);
	put(rec + 112, type == 2 ? 1280 + b[7] : 0, 4, be);
	put(rec + 116, 64, 2, be);
	put(rec + 118, frags[frag], 2, be);
	rec[124] = b[0] & 1;
	rec[125] = frag ? 44 : 58;
	rec[126] = b[0] & 0x80 ? 17 : 58;
	rec[127] = b[8];
	rec[128] = frag != 0;
	rec[131] = ((b[0] >> 1) & 1) && frag < 2;
	if (rec[131]) {
		rec[129] = type;
		if (type == 128 || type == 129) {
			put(rec + 120, b[2], 2, be);
			put(rec + 122, b[3] | b[4] << 8, 2, be);
		}
	}
	if (rec[131] && type >= 1 && type <= 4 && !(b[9] & 0x80)) {
		memcpy(rec + 132, addrs6[(b[1] >> 2) & 3], 16);
		memcpy(rec + 148, addrs6[(b[9] >> 2) & 3], 16);
		put(rec + 184, b[2], 2, be);
		put(rec + 186, b[3] | b[4] << 8, 2, be);
		rec[188] = 1;
		rec[189] = b[9] & 0x40 ? 17 : 58;
	}
	add_record(r, rec, size < REAL_V2_RECORD_SIZE ? size :
		   size * REAL6_RECORD_SIZE / REAL_V2_RECORD_SIZE, ts, missed);
}

static void real_records(struct input *in, struct records *r, int be,
			 int v2, int drops, int v6)
{
	uint64_t ts = 1000000000ULL;
	uint8_t b[10];

	r->ordered = 1;
	while (r->nr < MAX_RECORDS && !get(in, b, sizeof(b)))
		real_record(r, b, &ts, be, v2, drops, v6);
}

/* ---- formats ---- */

/* [v2][big endian]: the fixture's format, and v2's with orig_* */
static struct tep_handle *real_tep[2][2];

/*
 * The series' v2 format (orig_* and mtu after has_icmp, 80 bytes), with
 * the event id of the fixture's older format, which the records carry
 */
static char *v2_format(const char *v2)
{
	const char *id = v2 ? strstr(v2, "\nID: ") : NULL;
	const char *eol = id ? strchr(id + 1, '\n') : NULL;
	char *fmt;

	if (!v2 || !eol || asprintf(&fmt, "%.*s\nID: %d%s", (int)(id - v2), v2,
			     REAL_EVENT_ID, eol) < 0)
		abort();
	return fmt;
}

/* PT_FUZZ_SHOW=1: print each generated format and output, for triage */
static int show;

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, MAX_FORMAT + 1);

	if (!fp || !buf || !fread(buf, 1, MAX_FORMAT, fp))
		abort();
	fclose(fp);
	return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Drop locations from 0xffffffff81000000 on, 0x100 per b[2] */
static void add_functions(struct tep_handle *tep)
{
	tep_register_function(tep, "ip_forward", 0xffffffff81000000ULL, NULL);
	tep_register_function(tep, "icmp_rcv", 0xffffffff81008000ULL, NULL);
	tep_register_function(tep, "_etext", 0xffffffff81010000ULL, NULL);
}

static struct tep_handle *new_tep(const char *fmt, size_t len, int be)
{
	struct tep_handle *tep = tep_alloc();

	if (!tep)
		abort();
	tep_set_long_size(tep, 8);
	tep_set_page_size(tep, 4096);
	tep_set_file_bigendian(tep, be ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_register_comm(tep, "ping", 1000);
	tep_parse_event(tep, fmt, len, "net");
	return tep;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *fmt = read_file(PT_FIXTURES "/ip_icmp.format");
	/* 6.12's skb:kfree_skb, with a part of its reason table */
	char *kfree = read_file(PT_FIXTURES "/kfree_skb-6.12.format");
	char *fmt6 = read_file(PT_FIXTURES "/ip6_icmp.format");
	char *v2_file = read_file(PT_FIXTURES "/ip_icmp-v2.format");
	char *v2 = v2_format(v2_file);
	struct pt_decoder dec;
	int be;

	(void)argc;
	(void)argv;
	tep_set_loglevel(TEP_LOG_NONE);
	show = getenv("PT_FUZZ_SHOW") && !strcmp(getenv("PT_FUZZ_SHOW"), "1");
	for (be = 0; be < 2; be++) {
		real_tep[0][be] = new_tep(fmt, strlen(fmt), be);
		real_tep[1][be] = new_tep(v2, strlen(v2), be);
		tep_parse_event(real_tep[0][be], kfree, strlen(kfree), "skb");
		tep_parse_event(real_tep[1][be], kfree, strlen(kfree), "skb");
		tep_parse_event(real_tep[0][be], fmt6, strlen(fmt6), "net");
		tep_parse_event(real_tep[1][be], fmt6, strlen(fmt6), "net");
		add_functions(real_tep[0][be]);
		add_functions(real_tep[1][be]);
	}
	free(fmt);
	free(fmt6);
	free(v2);
	free(v2_file);
	free(kfree);
	if (!tep_find_event_by_name(real_tep[0][0], "net", "ip_icmp") ||
	    !tep_find_event_by_name(real_tep[1][0], "net", "ip_icmp") ||
	    !tep_find_event_by_name(real_tep[1][1], "skb", "kfree_skb") ||
	    !tep_find_event_by_name(real_tep[1][1], "net", "ip6_icmp"))
		abort();
	/* the real formats, in our byte order, run decode.c's fixed path */
	if (pt_decoder_init(&dec, real_tep[1][0]) || !dec.fixed ||
	    pt_decoder6_init(&dec, real_tep[1][0]) || !dec.fixed ||
	    pt_decoder_init(&dec, real_tep[1][1]) || dec.fixed)
		abort();
	return 0;
}

const char *__lsan_default_suppressions(void);

/*
 * libtraceevent 1.7: tep_parse_event() loses tokens and half-built
 * fields when it rejects a format.  Every tep handle here is freed with
 * tep_free(), so what it leaks is the library's.
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:tep_parse_event\n";
}

/*
 * Generated formats.  What pingtrace must survive is any layout a trace
 * file can declare: fields missing, repeated, of other types, sizes and
 * signedness, at any offset, overlapping or past the record.  The text
 * is always well-formed, because libtraceevent 1.7's format parser is
 * not robust against malformed text (it reads NULL on several, e.g. a
 * file that ends inside "char dev[" or a broken print fmt): that is the
 * library's, not pingtrace's, and the kernel writes these texts itself.
 *
 * Each field takes 5 bytes:
 *   b[0] the name (the event's own, the common ones, or a stranger)
 *   b[1] the type, b[2] the offset, b[3] the size,
 *   b[4] bit 0 signed, bits 1-2 scale the offset (x1, x8, near INT_MAX,
 *        near UINT_MAX), bits 4-5 the same for the size, bit 3 the
 *        blank line that ends the common fields follows
 */
static const char *const field_names[] = {
	"skbaddr", "netns", "ifindex", "dev", "saddr", "daddr", "tot_len",
	"ip_id", "frag_off", "icmp_id", "icmp_seq", "dir", "protocol", "ttl",
	"icmp_type", "icmp_code", "has_icmp", "common_type", "common_flags",
	"common_preempt_count", "common_pid", "len", "id", "x",
	"has_orig", "orig_saddr", "orig_daddr", "orig_protocol",
	"orig_icmp_id", "orig_icmp_seq",
};

static const char *const field_types[] = {
	"u8", "u16", "u32", "u64", "unsigned char", "unsigned short",
	"unsigned int", "int", "long", "const void *", "__u8", "char",
	"__data_loc char[]", "__rel_loc char[]", "bool", "s16",
};

#define MAX_GEN_FIELDS	32

static uint32_t scale(uint8_t v, int how)
{
	switch (how) {
	case 1:
		return v * 8u;
	case 2:
		return 0x7fffffffu - v;
	case 3:
		return 0xffffffffu - v;
	}
	return v;
}

static void gen_field(FILE *fp, const uint8_t *b)
{
	const char *name = field_names[b[0] % ARRAY_LEN(field_names)];
	const char *type = field_types[b[1] % ARRAY_LEN(field_types)];
	int array = b[1] & 0x10;

	fprintf(fp, "\tfield:%s %s", type, name);
	if (array && !strstr(type, "[]"))
		fprintf(fp, "[%u]", b[3] % 33);
	fprintf(fp, ";\toffset:%u;\tsize:%u;\tsigned:%d;\n",
		scale(b[2], (b[4] >> 1) & 3), scale(b[3], (b[4] >> 4) & 3),
		b[4] & 1);
}

static struct tep_handle *generated_tep(struct input *in, int be)
{
	char *text = NULL;
	size_t len = 0;
	struct tep_handle *tep;
	uint8_t nr, b[5];
	FILE *fp;
	int i;

	if (get(in, &nr, 1))
		nr = 0;
	fp = open_memstream(&text, &len);
	if (!fp)
		abort();
	fprintf(fp, "name: ip_icmp\nID: %d\nformat:\n", REAL_EVENT_ID);
	for (i = 0; i < nr % MAX_GEN_FIELDS && !get(in, b, sizeof(b)); i++) {
		gen_field(fp, b);
		/* the blank line that ends the common fields */
		if ((b[4] & 8) && i + 1 < nr % MAX_GEN_FIELDS)
			fputc('\n', fp);
	}
	fprintf(fp, "\nprint fmt: \"%%u\", REC->dir\n");
	fclose(fp);
	if (show)
		fprintf(stderr, "%s", text);
	tep = new_tep(text, len, be);
	free(text);
	return tep;
}

/* ---- invariants ---- */

struct tally {
	uint64_t	n[PT_ECHO_ERROR + 1];
	uint64_t	unknown_sent;	/* unknown requests (not replies) */
	uint64_t	error_sent;	/* errors attached to a request */
	int		ordered;
};

static void check_echo(const struct pt_echo *e, void *data)
{
	struct tally *t = data;
	unsigned int both = PT_HAVE_SEND | PT_HAVE_RECV;

	check((unsigned int)e->status <= PT_ECHO_ERROR);
	check(e->nr_path <= PT_PATH_MAX);
	check(!e->path_full || e->nr_path == PT_PATH_MAX);
	t->n[e->status]++;
	switch (e->status) {
	case PT_ECHO_OK:
	case PT_ECHO_DUP:
		check((e->have & both) == both);
		check(!t->ordered || e->recv_ns >= e->send_ns);
		break;
	case PT_ECHO_LOST:
		check((e->have & both) == PT_HAVE_SEND);
		break;
	case PT_ECHO_UNMATCHED:
		check((e->have & both) == PT_HAVE_RECV);
		break;
	case PT_ECHO_UNKNOWN:
		check(e->have & both);
		check((e->have & both) != both);
		if (e->have & PT_HAVE_SEND)
			t->unknown_sent++;
		break;
	case PT_ECHO_ERROR:
		/* closed by the error, never by a reply */
		check((e->have & (both | PT_HAVE_ERROR)) != both);
		check(e->have & PT_HAVE_ERROR);
		check(!(e->have & PT_HAVE_RECV));
		check(e->error.unattached <= PT_ERROR_NO_QUOTE);
		check(!(e->have & PT_HAVE_SEND) ==
		      (e->error.unattached != PT_ERROR_ATTACHED));
		check(!t->ordered || !(e->have & PT_HAVE_SEND) ||
		      e->error.ns >= e->send_ns);
		if (e->have & PT_HAVE_SEND)
			t->error_sent++;
		break;
	}
	if (t->ordered && (e->have & PT_HAVE_TARGET_RECV))
		check(e->target_recv_ns >= e->send_ns);
	if (t->ordered && (e->have & PT_HAVE_TARGET_SEND))
		check(e->target_send_ns >= e->send_ns);
}

/* After pt_pair_finish(): every request sent ended one way or another */
static void check_stats(const struct pt_stats *st, const struct tally *t)
{
	check(st->received == t->n[PT_ECHO_OK]);
	check(st->lost == t->n[PT_ECHO_LOST]);
	check(st->dup == t->n[PT_ECHO_DUP]);
	check(st->unmatched == t->n[PT_ECHO_UNMATCHED]);
	check(st->unknown == t->n[PT_ECHO_UNKNOWN]);
	check(st->errors == t->n[PT_ECHO_ERROR]);
	check(st->errors - st->errors_unattached == t->error_sent);
	check(st->sent == st->received + st->lost + t->unknown_sent +
	      t->error_sent);
	check(pt_stats_loss_pct(st) <= 100);
	check(st->evicted <= t->unknown_sent);
	check(st->rtt_n == st->received);
	check(!st->rtt_n || st->rtt_min <= st->rtt_max);
	check(st->events_lost >= -1);
}

/* ---- one run ---- */

static void pair_config(struct pt_pair_config *cfg, int variant)
{
	/* Smaller than the defaults: the tables are allocated every run */
	pt_pair_config_default(cfg);
	cfg->max_outstanding = 1024;
	cfg->max_answered = 256;
	cfg->max_fragments = 64;
	if (variant & 1) {
		cfg->max_outstanding = 3;
		cfg->max_answered = 2;
		cfg->max_fragments = 2;
		cfg->loss_window_ns = 20000000ULL;
	}
	if (variant & 2)
		cfg->timeout_ns = 50000000ULL;	/* 50 ms */
}

/* IPv6 targets when the records are IPv6 too (bit 5), each or both */
static struct pt_addr target(uint8_t sel, int i)
{
	if ((sel & 0x20) && (i & 1))
		return pt_addr6(addrs6[i >> 1]);
	return pt_addr4(addrs[i >> 1]);
}

static void set_targets(struct pt_targets *t, uint8_t sel)
{
	memset(t, 0, sizeof(*t));
	if (sel & 1)
		t->addr[t->nr++] = target(sel, ((sel >> 1) & 3) << 1 | 1);
	if (sel & 8)
		t->addr[t->nr++] = target(sel, ((sel >> 4) & 3) << 1);
}

/* The second engine, fed as the session feeds its own */
static void pair_alone(struct pt_decoder *dec, struct pt_decoder *dec6,
		       const struct records *r,
		       const struct pt_pair_config *cfg)
{
	struct tally tally = { .ordered = r->ordered };
	struct pt_event ev;
	struct pt_pair *p;
	int i;

	p = pt_pair_new(cfg, check_echo, &tally);
	if (!p)
		abort();
	for (i = 0; i < r->nr; i++) {
		const struct tep_record *rec = &r->rec[i];

		if (rec->missed_events)
			pt_pair_events_lost(p, rec->ts, rec->missed_events);
		if (pt_decode(dec, rec, &ev) && pt_decode(dec6, rec, &ev))
			continue;
		check(ev.dir <= PT_DIR_RECV);
		check(ev.saddr.family == ev.daddr.family);
		check(!ev.has_orig || ev.orig.daddr.family == ev.saddr.family);
		check(ev.has_icmp || (!ev.icmp_id && !ev.icmp_seq));
		check(strlen(ev.dev) <= PT_DEV_LEN);
		pt_pair_expire(p, ev.ts);
		pt_pair_feed(p, &ev);
	}
	pt_pair_finish(p);
	check_stats(pt_pair_stats(p), &tally);
	pt_pair_free(p);
}

static void check_output(const struct pt_output *o, const char *text,
			 size_t len)
{
	const char *line;

	check(!o->err);
	check(len && text[len - 1] == '\n');
	check(strlen(text) == len);
	if (o->format != PT_FMT_JSON)
		return;
	for (line = text; line < text + len; line = strchr(line, '\n') + 1)
		check(!strncmp(line, "{\"type\":\"", 9));
}

static void run(struct tep_handle *tep, const struct records *r,
		uint8_t opts, uint8_t sel)
{
	static const enum pt_format formats[4] = {
		PT_FMT_TEXT, PT_FMT_JSON, PT_FMT_CSV, PT_FMT_TEXT,
	};
	struct pt_pair_config cfg;
	struct pt_targets targets;
	struct pt_session s;
	struct pt_output out;
	char *text = NULL;
	size_t len = 0;
	int i;

	pair_config(&cfg, opts >> 6);
	set_targets(&targets, sel);
	pt_output_init(&out, open_memstream(&text, &len),
		       formats[(opts >> 1) & 3]);
	out.quiet = ((opts >> 1) & 3) == 3;
	out.events = !!(opts & 8);
	out.wall = !!(opts & 32);
	if (out.wall)
		out.offset = 1700000000LL * 1000000000LL;

	out.slow_ns = (opts & 1) ? 1000 : 0;	/* --slow 0.001 */
	if (!pt_session_init(&s, tep, &targets, &cfg, &out) &&
	    (!(opts & 17) || !pt_session_stages(&s, !!(opts & 16)))) {
		for (i = 0; i < r->nr; i++)
			check(!pt_session_record(&s, &r->rec[i]));
		check(!pt_session_finish(&s));
		check(s.nr_events + s.nr_bad + s.nr_drop_events <=
		      (unsigned long long)r->nr);
		fflush(out.fp);
		if (show)
			fprintf(stderr, "%s", text);
		check_output(&out, text, len);
		pair_alone(&s.dec, &s.dec6, r, &cfg);
	}
	pt_session_release(&s);
	fclose(out.fp);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct records r;
	struct input in = { data, size };
	struct tep_handle *tep;
	uint8_t hdr[2];
	int be, v2;

	if (get(&in, hdr, sizeof(hdr)))
		return 0;
	be = !!(hdr[0] & 16);
	v2 = !!(hdr[1] & 0x80);
	if (hdr[0] & 1) {
		real_records(&in, &r, be, v2, !!(hdr[1] & 0x40),
			     !!(hdr[1] & 0x20));
		run(real_tep[v2][be], &r, hdr[0], hdr[1]);
	} else {
		tep = generated_tep(&in, be);
		raw_records(&in, &r);
		run(tep, &r, hdr[0], hdr[1]);
		tep_free(tep);
	}
	free_records(&r);
	return 0;
}
