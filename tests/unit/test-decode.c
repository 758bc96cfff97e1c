// SPDX-License-Identifier: GPL-2.0
/*
 * decode: field lookup once per format, bounds, endianness.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "decode.h"
#include "unit.h"

static struct pt_event sample(void)
{
	struct pt_event ev = ut_event(PT_DIR_RECV, PT_ICMP_ECHOREPLY,
				      "198.51.100.2", "198.51.100.1",
				      0x1234, 0xfffe, 5000);

	ev.pid = 777;
	ev.skbaddr = 0xffff888012345678ULL;
	ev.netns = 4026532000u;
	ev.ifindex = -3;
	ev.tot_len = 1500;
	ev.ip_id = 0xbeef;
	ev.frag_off = 0x4000;
	ev.ttl = 63;
	ev.icmp_code = 0;
	return ev;
}

static int decode_with(const struct ut_layout *lay, const char *fmt,
		       int big_endian, const struct pt_event *in,
		       struct pt_event *out)
{
	struct tep_handle *tep = ut_tep_with_format(fmt, big_endian);
	unsigned char buf[256];
	struct tep_record rec = { .ts = in->ts, .cpu = 3, .data = buf,
				  .size = lay->size };
	struct pt_decoder dec;
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	tep_register_comm(tep, "pinger", in->pid);
	ret = pt_decoder_init(&dec, tep);
	if (ret == PT_FORMAT_OK) {
		ut_build_record(buf, lay, in, big_endian);
		ret = pt_decode(&dec, &rec, out);
	}
	tep_free(tep);
	return ret;
}

static void assert_same(const struct pt_event *a, const struct pt_event *b)
{
	CU_ASSERT_EQUAL(a->ts, b->ts);
	CU_ASSERT_EQUAL(a->pid, b->pid);
	CU_ASSERT_EQUAL(a->skbaddr, b->skbaddr);
	CU_ASSERT_EQUAL(a->netns, b->netns);
	CU_ASSERT_EQUAL(a->ifindex, b->ifindex);
	CU_ASSERT_STRING_EQUAL(a->dev, b->dev);
	CU_ASSERT(pt_addr_eq(&a->saddr, &b->saddr));
	CU_ASSERT(pt_addr_eq(&a->daddr, &b->daddr));
	CU_ASSERT_EQUAL(a->tot_len, b->tot_len);
	CU_ASSERT_EQUAL(a->ip_id, b->ip_id);
	CU_ASSERT_EQUAL(a->frag_off, b->frag_off);
	CU_ASSERT_EQUAL(a->icmp_id, b->icmp_id);
	CU_ASSERT_EQUAL(a->icmp_seq, b->icmp_seq);
	CU_ASSERT_EQUAL(a->dir, b->dir);
	CU_ASSERT_EQUAL(a->protocol, b->protocol);
	CU_ASSERT_EQUAL(a->ttl, b->ttl);
	CU_ASSERT_EQUAL(a->icmp_type, b->icmp_type);
	CU_ASSERT_EQUAL(a->icmp_code, b->icmp_code);
	CU_ASSERT_EQUAL(a->has_icmp, b->has_icmp);
}

static void test_decode_all_fields(void)
{
	struct pt_event in = sample(), out;

	CU_ASSERT_EQUAL_FATAL(decode_with(&ut_kernel_layout, ut_kernel_format(),
					  0, &in, &out), 0);
	assert_same(&in, &out);
	CU_ASSERT_EQUAL(out.cpu, 3);
	CU_ASSERT_STRING_EQUAL(out.comm, "pinger");
	/* the address bytes stay in network order: 198 is the first byte */
	CU_ASSERT_EQUAL(((unsigned char *)&out.saddr.v4)[0], 198);
	CU_ASSERT_EQUAL(((unsigned char *)&out.daddr.v4)[3], 1);
}

static void test_decode_big_endian_file(void)
{
	struct pt_event in = sample(), out;

	CU_ASSERT_EQUAL_FATAL(decode_with(&ut_kernel_layout, ut_kernel_format(),
					  1, &in, &out), 0);
	assert_same(&in, &out);
	CU_ASSERT_EQUAL(out.icmp_seq, 0xfffe);
	CU_ASSERT_EQUAL(out.ip_id, 0xbeef);
}

/* Another kernel may order the fields differently: use the format */
static void test_decode_other_layout(void)
{
	const struct ut_layout lay = {
		.has_icmp = 8, .icmp_code = 9, .icmp_type = 10, .ttl = 11,
		.protocol = 12, .dir = 13, .icmp_seq = 14, .icmp_id = 16,
		.frag_off = 18, .ip_id = 20, .tot_len = 22, .daddr = 24,
		.saddr = 28, .dev = 32, .ifindex = 48, .netns = 52,
		.skbaddr = 56, .size = 64,
	};
	char *fmt = ut_format_for(&lay);
	struct pt_event in = sample(), out;

	CU_ASSERT_EQUAL(decode_with(&lay, fmt, 0, &in, &out), 0);
	assert_same(&in, &out);
	free(fmt);
}

static void test_decode_truncated_record_rejected(void)
{
	struct tep_handle *tep = ut_tep_with_format(ut_kernel_format(), 0);
	struct pt_event in = sample(), out;
	unsigned char buf[64];
	struct tep_record rec = { .data = buf };
	struct pt_decoder dec;

	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
	CU_ASSERT_EQUAL(dec.min_size, 64);
	ut_build_record(buf, &ut_kernel_layout, &in, 0);
	rec.size = 63;		/* has_icmp is the last byte */
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), PT_DECODE_MALFORMED);
	rec.size = 1;		/* not even common_type */
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), PT_DECODE_MALFORMED);
	rec.size = 0;
	rec.data = NULL;
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), PT_DECODE_MALFORMED);
	rec.size = 64;
	rec.data = buf;
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), PT_DECODE_OK);
	tep_free(tep);
}

static void test_decode_other_event_skipped(void)
{
	struct tep_handle *tep = ut_tep_with_format(ut_kernel_format(), 0);
	struct pt_event in = sample(), out;
	unsigned char buf[64];
	struct tep_record rec = { .data = buf, .size = 8 };
	struct pt_decoder dec;

	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
	ut_build_record(buf, &ut_kernel_layout, &in, 0);
	buf[0] = 0x99;		/* another event id, and a short record */
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), PT_DECODE_OTHER_EVENT);
	tep_free(tep);
}

static void test_decode_bad_dir_rejected(void)
{
	struct tep_handle *tep = ut_tep_with_format(ut_kernel_format(), 0);
	struct pt_event in = sample(), out;
	unsigned char buf[64];
	struct tep_record rec = { .data = buf, .size = 64 };
	struct pt_decoder dec;

	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
	in.dir = 2;
	ut_build_record(buf, &ut_kernel_layout, &in, 0);
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), PT_DECODE_MALFORMED);
	tep_free(tep);
}

static void test_decode_no_icmp_header_zeroes_fields(void)
{
	struct pt_event in = sample(), out;

	in.has_icmp = 0;
	in.frag_off = 185;	/* a non-first fragment, offset 1480 */
	in.icmp_type = 8;	/* garbage the decoder must not pass on */
	in.icmp_id = 99;
	CU_ASSERT_EQUAL_FATAL(decode_with(&ut_kernel_layout, ut_kernel_format(),
					  0, &in, &out), 0);
	CU_ASSERT_EQUAL(out.has_icmp, 0);
	CU_ASSERT_EQUAL(out.icmp_type, 0);
	CU_ASSERT_EQUAL(out.icmp_id, 0);
	CU_ASSERT_EQUAL(out.icmp_seq, 0);
	CU_ASSERT_EQUAL(out.frag_off, 185);
}

static void test_decode_dev_without_nul(void)
{
	struct pt_event in = sample(), out;

	memcpy(in.dev, "abcdefghijklmnop", 16);
	in.dev[16] = '\0';
	CU_ASSERT_EQUAL_FATAL(decode_with(&ut_kernel_layout, ut_kernel_format(),
					  0, &in, &out), 0);
	CU_ASSERT_STRING_EQUAL(out.dev, "abcdefghijklmnop");
}

static void test_decode_missing_event(void)
{
	const char *fmt = "name: other\nID: 7\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:int x;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"print fmt: \"%d\", REC->x\n";
	struct tep_handle *tep = ut_tep_with_format(fmt, 0);
	struct pt_decoder dec;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL(pt_decoder_init(&dec, tep), PT_FORMAT_NO_EVENT);
	CU_ASSERT_PTR_NULL(dec.event);
	tep_free(tep);
}

/* Replace @from in the kernel format by @to */
static char *edited_format(const char *from, const char *to)
{
	const char *fmt = ut_kernel_format();
	const char *at = strstr(fmt, from);
	char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	out = malloc(strlen(fmt) + strlen(to) + 1);
	memcpy(out, fmt, at - fmt);
	strcpy(out + (at - fmt), to);
	strcat(out, at + strlen(from));
	return out;
}

static void test_decode_missing_field(void)
{
	char *fmt = edited_format("u16 icmp_seq;", "u16 icmp_seq_not;");
	struct tep_handle *tep = ut_tep_with_format(fmt, 0);
	struct pt_decoder dec;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL(pt_decoder_init(&dec, tep), PT_FORMAT_NO_FIELD);
	CU_ASSERT_STRING_EQUAL(dec.bad_field, "icmp_seq");
	tep_free(tep);
	free(fmt);
}

/* The kernel format with @from replaced by @to must be refused */
static void expect_refused(const char *from, const char *to,
			   const char *field)
{
	char *fmt = edited_format(from, to);
	struct tep_handle *tep = ut_tep_with_format(fmt, 0);
	struct pt_decoder dec;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL(pt_decoder_init(&dec, tep), PT_FORMAT_BAD_FIELD);
	CU_ASSERT_STRING_EQUAL(dec.bad_field, field);
	tep_free(tep);
	free(fmt);
}

static void test_decode_wrong_field_size(void)
{
	expect_refused("u16 icmp_seq;\toffset:56;\tsize:2;",
		       "u16 icmp_seq;\toffset:56;\tsize:1;", "icmp_seq");
}

/* A number of 6 bytes would be read as 8: past the field */
static void test_decode_number_of_odd_size(void)
{
	expect_refused("const void * skbaddr;\toffset:8;\tsize:8;",
		       "const void * skbaddr;\toffset:8;\tsize:6;", "skbaddr");
}

/* offset + size must not overflow: min_size would go negative */
static void test_decode_field_offset_past_int_max(void)
{
	expect_refused("u8 has_icmp;\toffset:63;",
		       "u8 has_icmp;\toffset:2147483647;", "has_icmp");
}

/*
 * An older net:ip_icmp without has_icmp: the layout of the kernel format
 * up to icmp_code, the record one byte shorter
 */
static char *format_without_has_icmp(void)
{
	char *fmt = edited_format("\tfield:u8 has_icmp;\toffset:63;\tsize:1;"
				  "\tsigned:0;\n", "");

	CU_ASSERT_PTR_NULL(strstr(fmt, "has_icmp;"));
	return fmt;
}

static int decode_old(struct pt_event *in, struct pt_event *out)
{
	struct ut_layout lay = ut_kernel_layout;
	char *fmt = format_without_has_icmp();
	int ret;

	lay.has_icmp = -1;	/* not written */
	lay.size = 63;
	ret = decode_with(&lay, fmt, 0, in, out);
	free(fmt);
	return ret;
}

/* has_icmp comes from frag_off: a whole packet has its ICMP header */
static void test_decode_without_has_icmp_whole_packet(void)
{
	struct pt_event in = sample(), out;

	CU_ASSERT_EQUAL_FATAL(decode_old(&in, &out), PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.has_icmp, 1);
	CU_ASSERT_EQUAL(out.icmp_type, PT_ICMP_ECHOREPLY);
	CU_ASSERT_EQUAL(out.icmp_id, 0x1234);
	CU_ASSERT_EQUAL(out.icmp_seq, 0xfffe);
}

/* ... and a first fragment too, but a later fragment has none */
static void test_decode_without_has_icmp_fragments(void)
{
	struct pt_event in = sample(), out;

	in.frag_off = PT_IP_MF;
	CU_ASSERT_EQUAL_FATAL(decode_old(&in, &out), PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.has_icmp, 1);
	CU_ASSERT_EQUAL(out.icmp_seq, 0xfffe);
	in.frag_off = PT_IP_MF | 185;
	in.icmp_id = 0;
	in.icmp_seq = 0;
	CU_ASSERT_EQUAL_FATAL(decode_old(&in, &out), PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.has_icmp, 0);
	CU_ASSERT_EQUAL(out.icmp_type, 0);
	CU_ASSERT_EQUAL(out.frag_off, PT_IP_MF | 185);
}

/* The fields a later net:ip_icmp adds: the datagram an error quotes */
static const char orig_fields[] =
	"\tfield:u8 has_orig;\toffset:64;\tsize:1;\tsigned:0;\n"
	"\tfield:__u8 orig_saddr[4];\toffset:65;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 orig_daddr[4];\toffset:69;\tsize:4;\tsigned:0;\n"
	"\tfield:u8 orig_protocol;\toffset:73;\tsize:1;\tsigned:0;\n"
	"\tfield:u16 orig_icmp_id;\toffset:74;\tsize:2;\tsigned:0;\n"
	"\tfield:u16 orig_icmp_seq;\toffset:76;\tsize:2;\tsigned:0;\n";

#define ORIG_RECORD_SIZE	78

static char *format_with_orig(void)
{
	const char *has = "\tfield:u8 has_icmp;\toffset:63;\tsize:1;"
			  "\tsigned:0;\n";
	char *to = malloc(strlen(has) + sizeof(orig_fields));
	char *fmt;

	strcpy(to, has);
	strcat(to, orig_fields);
	fmt = edited_format(has, to);
	free(to);
	return fmt;
}

/* A time-exceeded that quotes an echo request, with the v2 fields */
static void build_orig_record(unsigned char *buf, int has_orig)
{
	struct pt_event in = sample();
	uint16_t id = 0x4242, seq = 7;

	in.icmp_type = PT_ICMP_TIME_EXCEEDED;
	in.icmp_id = 0;		/* v2: 0 for a type that is not an echo */
	in.icmp_seq = 0;
	ut_build_record(buf, &ut_kernel_layout, &in, 0);
	buf[64] = has_orig;
	memcpy(buf + 65, (unsigned char[]){ 192, 0, 2, 1 }, 4);
	memcpy(buf + 69, (unsigned char[]){ 203, 0, 113, 9 }, 4);
	buf[73] = PT_IPPROTO_ICMP;
	memcpy(buf + 74, &id, 2);
	memcpy(buf + 76, &seq, 2);
}

static int decode_orig_record(int has_orig, struct pt_event *out)
{
	char *fmt = format_with_orig();
	struct tep_handle *tep = ut_tep_with_format(fmt, 0);
	unsigned char buf[ORIG_RECORD_SIZE];
	struct tep_record rec = { .data = buf, .size = sizeof(buf) };
	struct pt_decoder dec;
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
	CU_ASSERT(pt_decoder_has(&dec, PT_F_ORIG_ICMP_SEQ));
	CU_ASSERT_EQUAL(dec.min_size, ORIG_RECORD_SIZE);
	build_orig_record(buf, has_orig);
	ret = pt_decode(&dec, &rec, out);
	tep_free(tep);
	free(fmt);
	return ret;
}

static void test_decode_orig_fields_when_present(void)
{
	struct pt_event out;

	CU_ASSERT_EQUAL_FATAL(decode_orig_record(1, &out), PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.icmp_type, PT_ICMP_TIME_EXCEEDED);
	CU_ASSERT_EQUAL(out.icmp_id, 0);
	CU_ASSERT_EQUAL(out.has_orig, 1);
	CU_ASSERT_EQUAL(out.orig_format, 1);
	CU_ASSERT_EQUAL(out.orig.saddr.v4, ut_ip("192.0.2.1"));
	CU_ASSERT_EQUAL(out.orig.daddr.v4, ut_ip("203.0.113.9"));
	CU_ASSERT_EQUAL(out.orig.protocol, PT_IPPROTO_ICMP);
	CU_ASSERT_EQUAL(out.orig.icmp_id, 0x4242);
	CU_ASSERT_EQUAL(out.orig.icmp_seq, 7);
}

/* has_orig 0: what the other orig_* fields hold is not passed on */
static void test_decode_orig_fields_when_has_orig_is_0(void)
{
	struct pt_event out;

	CU_ASSERT_EQUAL_FATAL(decode_orig_record(0, &out), PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.has_orig, 0);
	CU_ASSERT_EQUAL(out.orig_format, 1);	/* the kernel read no quote */
	CU_ASSERT_EQUAL(out.orig.saddr.v4, 0);
	CU_ASSERT_EQUAL(out.orig.icmp_seq, 0);
}

/* Today's format has none of them: absent, zero, and the record size */
static void test_decode_orig_fields_absent(void)
{
	struct tep_handle *tep = ut_tep_with_format(ut_kernel_format(), 0);
	struct pt_event in = sample(), out;
	struct pt_decoder dec;

	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
	CU_ASSERT(!pt_decoder_has(&dec, PT_F_HAS_ORIG));
	CU_ASSERT(!pt_decoder_has(&dec, PT_F_ORIG_SADDR));
	CU_ASSERT(pt_decoder_has(&dec, PT_F_HAS_ICMP));
	CU_ASSERT_EQUAL(dec.min_size, 64);
	tep_free(tep);
	CU_ASSERT_EQUAL_FATAL(decode_with(&ut_kernel_layout, ut_kernel_format(),
					  0, &in, &out), PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.has_orig, 0);
	CU_ASSERT_EQUAL(out.orig_format, 0);
	CU_ASSERT_EQUAL(out.orig.daddr.v4, 0);
}

/* An optional field that is there must still have its size */
static void test_decode_optional_field_wrong_size(void)
{
	char *fmt = format_with_orig();
	char *at = strstr(fmt, "orig_icmp_seq;\toffset:76;\tsize:2;");
	struct tep_handle *tep;
	struct pt_decoder dec;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at[strlen("orig_icmp_seq;\toffset:76;\tsize:")] = '4';
	tep = ut_tep_with_format(fmt, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL(pt_decoder_init(&dec, tep), PT_FORMAT_BAD_FIELD);
	CU_ASSERT_STRING_EQUAL(dec.bad_field, "orig_icmp_seq");
	tep_free(tep);
	free(fmt);
}

/*
 * The format a 6.12 guest with the v2 series printed: mtu in what was
 * padding at offset 78, the record still 80 bytes; a frag needed quoting
 * an echo decodes with its mtu
 */
static void test_decode_v2_format_of_the_kernel_has_mtu(void)
{
	char *fmt = ut_read_file(PT_FIXTURES "/ip_icmp-v2.format");
	unsigned char buf[80] = { 0 };
	struct tep_record rec = { .data = buf, .size = sizeof(buf) };
	struct tep_handle *tep;
	struct pt_decoder dec;
	struct pt_event out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fmt);
	tep = ut_tep_with_format(fmt, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
	CU_ASSERT(pt_decoder_has(&dec, PT_F_HAS_ORIG));
	CU_ASSERT(pt_decoder_has(&dec, PT_F_MTU));
	CU_ASSERT_EQUAL(dec.field[PT_F_MTU].offset, 78);
	CU_ASSERT_EQUAL(dec.field[PT_F_MTU].size, 2);
	CU_ASSERT_EQUAL(dec.min_size, 80);

	ut_put(buf + dec.field[PT_F_COMMON_TYPE].offset, dec.event_id, 2, 0);
	ut_put(buf + dec.field[PT_F_COMMON_PID].offset, 77, 4, 0);
	memcpy(buf + dec.field[PT_F_DEV].offset, "ar", 3);
	memcpy(buf + dec.field[PT_F_SADDR].offset, "\xc6\x33\x64\xfe", 4);
	memcpy(buf + dec.field[PT_F_DADDR].offset, "\xc6\x33\x64\x01", 4);
	ut_put(buf + dec.field[PT_F_DIR].offset, PT_DIR_RECV, 1, 0);
	ut_put(buf + dec.field[PT_F_PROTOCOL].offset, PT_IPPROTO_ICMP, 1, 0);
	ut_put(buf + dec.field[PT_F_ICMP_TYPE].offset, PT_ICMP_DEST_UNREACH, 1, 0);
	ut_put(buf + dec.field[PT_F_ICMP_CODE].offset, PT_ICMP_FRAG_NEEDED, 1, 0);
	ut_put(buf + dec.field[PT_F_HAS_ICMP].offset, 1, 1, 0);
	ut_put(buf + dec.field[PT_F_HAS_ORIG].offset, 1, 1, 0);
	ut_put(buf + dec.field[PT_F_ORIG_ICMP_SEQ].offset, 1, 2, 0);
	ut_put(buf + 78, 1280, 2, 0);
	CU_ASSERT_EQUAL_FATAL(pt_decode(&dec, &rec, &out), PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.mtu_format, 1);
	CU_ASSERT_EQUAL(out.mtu, 1280);
	CU_ASSERT_EQUAL(out.icmp_code, PT_ICMP_FRAG_NEEDED);
	CU_ASSERT_EQUAL(out.saddr.v4, ut_ip("198.51.100.254"));
	CU_ASSERT_EQUAL(out.orig.icmp_seq, 1);
	tep_free(tep);
	free(fmt);
}

/*
 * The series' own layouts (the v2 format of the 6.12 guest, and
 * net:ip6_icmp's) are read through decode.c's constant tables, any
 * other layout or byte order through the format's offsets
 */
static void test_decode_series_layout_takes_fixed_path(void)
{
	char *fmt = ut_read_file(PT_FIXTURES "/ip_icmp-v2.format");
	struct tep_handle *tep;
	struct pt_decoder dec;
	int be;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fmt);
	for (be = 0; be <= 1; be++) {
		tep = ut_tep_with_format(fmt, be);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
		CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
		CU_ASSERT_EQUAL(dec.fixed, !be);
		tep_free(tep);

		tep = ut_tep_with_both(be);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
		CU_ASSERT_EQUAL_FATAL(pt_decoder6_init(&dec, tep), PT_FORMAT_OK);
		CU_ASSERT_EQUAL(dec.fixed, !be);
		/* the 64-byte test layout, without the orig fields */
		CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
		CU_ASSERT_EQUAL(dec.fixed, 0);
		tep_free(tep);
	}
	free(fmt);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * @n records of random bytes, the type, dir and flags made valid, decode
 * the same through the constant table as through the format's offsets
 */
static int fixed_matches_generic(struct pt_decoder *dec, int size, int dir,
				 int has_icmp, int has_orig, int n)
{
	struct pt_decoder generic = *dec;
	unsigned char buf[UT_RECORD6_SIZE];
	struct tep_record rec = { .data = buf, .size = size };
	struct pt_event a, b;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int i, j, same = 0;

	generic.fixed = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < size; j++)
			buf[j] = (unsigned char)xorshift(&seed);
		ut_put(buf + dec->field[PT_F_COMMON_TYPE].offset,
		       dec->event_id, 2, 0);
		buf[dec->field[dir].offset] = xorshift(&seed) & 1;
		buf[dec->field[has_icmp].offset] &= 1;
		buf[dec->field[has_orig].offset] &= 1;
		rec.ts = xorshift(&seed);
		rec.cpu = i % 4;
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		if (pt_decode(dec, &rec, &a) == PT_DECODE_OK &&
		    pt_decode(&generic, &rec, &b) == PT_DECODE_OK &&
		    !memcmp(&a, &b, sizeof(a)))
			same++;
	}
	return same;
}

static void test_decode_fixed_path_equals_generic(void)
{
	char *fmt = ut_read_file(PT_FIXTURES "/ip_icmp-v2.format");
	struct tep_handle *tep;
	struct pt_decoder dec;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fmt);
	tep = ut_tep_with_format(fmt, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), PT_FORMAT_OK);
	CU_ASSERT_FATAL(dec.fixed);
	CU_ASSERT_EQUAL(fixed_matches_generic(&dec, 80, PT_F_DIR,
					      PT_F_HAS_ICMP, PT_F_HAS_ORIG,
					      4096), 4096);
	tep_free(tep);
	free(fmt);

	tep = ut_tep_with_both(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL_FATAL(pt_decoder6_init(&dec, tep), PT_FORMAT_OK);
	CU_ASSERT_FATAL(dec.fixed);
	CU_ASSERT_EQUAL(fixed_matches_generic(&dec, UT_RECORD6_SIZE, PT_F6_DIR,
					      PT_F6_HAS_ICMP, PT_F6_HAS_ORIG,
					      4096), 4096);
	tep_free(tep);
}

/* Older formats lack mtu: 0, and said so, never a value */
static void test_decode_mtu_absent_in_older_formats(void)
{
	struct pt_event in = sample(), out;

	CU_ASSERT_EQUAL_FATAL(decode_with(&ut_kernel_layout, ut_kernel_format(),
					  0, &in, &out), PT_DECODE_OK);
	CU_ASSERT_EQUAL(out.mtu_format, 0);
	CU_ASSERT_EQUAL(out.mtu, 0);
}

void ut_add_decode_suite(void)
{
	CU_pSuite s = CU_add_suite("decode", NULL, NULL);

	UT_ADD_TEST(s, test_decode_all_fields);
	UT_ADD_TEST(s, test_decode_big_endian_file);
	UT_ADD_TEST(s, test_decode_other_layout);
	UT_ADD_TEST(s, test_decode_truncated_record_rejected);
	UT_ADD_TEST(s, test_decode_other_event_skipped);
	UT_ADD_TEST(s, test_decode_bad_dir_rejected);
	UT_ADD_TEST(s, test_decode_no_icmp_header_zeroes_fields);
	UT_ADD_TEST(s, test_decode_dev_without_nul);
	UT_ADD_TEST(s, test_decode_missing_event);
	UT_ADD_TEST(s, test_decode_missing_field);
	UT_ADD_TEST(s, test_decode_wrong_field_size);
	UT_ADD_TEST(s, test_decode_number_of_odd_size);
	UT_ADD_TEST(s, test_decode_field_offset_past_int_max);
	UT_ADD_TEST(s, test_decode_without_has_icmp_whole_packet);
	UT_ADD_TEST(s, test_decode_without_has_icmp_fragments);
	UT_ADD_TEST(s, test_decode_orig_fields_when_present);
	UT_ADD_TEST(s, test_decode_orig_fields_when_has_orig_is_0);
	UT_ADD_TEST(s, test_decode_orig_fields_absent);
	UT_ADD_TEST(s, test_decode_optional_field_wrong_size);
	UT_ADD_TEST(s, test_decode_v2_format_of_the_kernel_has_mtu);
	UT_ADD_TEST(s, test_decode_mtu_absent_in_older_formats);
	UT_ADD_TEST(s, test_decode_series_layout_takes_fixed_path);
	UT_ADD_TEST(s, test_decode_fixed_path_equals_generic);
}
