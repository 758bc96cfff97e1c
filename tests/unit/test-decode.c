// SPDX-License-Identifier: GPL-2.0
/*
 * decode: field lookup once per format, bounds, endianness.
 */
#include <errno.h>
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
	if (!ret) {
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
	CU_ASSERT_EQUAL(a->saddr, b->saddr);
	CU_ASSERT_EQUAL(a->daddr, b->daddr);
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
	CU_ASSERT_EQUAL(((unsigned char *)&out.saddr)[0], 198);
	CU_ASSERT_EQUAL(((unsigned char *)&out.daddr)[3], 1);
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

	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), 0);
	CU_ASSERT_EQUAL(dec.min_size, 64);
	ut_build_record(buf, &ut_kernel_layout, &in, 0);
	rec.size = 63;		/* has_icmp is the last byte */
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), -EINVAL);
	rec.size = 1;		/* not even common_type */
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), -EINVAL);
	rec.size = 0;
	rec.data = NULL;
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), -EINVAL);
	rec.size = 64;
	rec.data = buf;
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), 0);
	tep_free(tep);
}

static void test_decode_other_event_skipped(void)
{
	struct tep_handle *tep = ut_tep_with_format(ut_kernel_format(), 0);
	struct pt_event in = sample(), out;
	unsigned char buf[64];
	struct tep_record rec = { .data = buf, .size = 8 };
	struct pt_decoder dec;

	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), 0);
	ut_build_record(buf, &ut_kernel_layout, &in, 0);
	buf[0] = 0x99;		/* another event id, and a short record */
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), -ENOMSG);
	tep_free(tep);
}

static void test_decode_bad_dir_rejected(void)
{
	struct tep_handle *tep = ut_tep_with_format(ut_kernel_format(), 0);
	struct pt_event in = sample(), out;
	unsigned char buf[64];
	struct tep_record rec = { .data = buf, .size = 64 };
	struct pt_decoder dec;

	CU_ASSERT_EQUAL_FATAL(pt_decoder_init(&dec, tep), 0);
	in.dir = 2;
	ut_build_record(buf, &ut_kernel_layout, &in, 0);
	CU_ASSERT_EQUAL(pt_decode(&dec, &rec, &out), -EINVAL);
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
	CU_ASSERT_EQUAL(pt_decoder_init(&dec, tep), -ENOENT);
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
	char *fmt = edited_format("u8 has_icmp;", "u8 has_icmp_not;");
	struct tep_handle *tep = ut_tep_with_format(fmt, 0);
	struct pt_decoder dec;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	CU_ASSERT_EQUAL(pt_decoder_init(&dec, tep), -ENOENT);
	CU_ASSERT_STRING_EQUAL(dec.bad_field, "has_icmp");
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
	CU_ASSERT_EQUAL(pt_decoder_init(&dec, tep), -EPROTO);
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

void ut_add_decode_suite(void)
{
	CU_pSuite s = CU_add_suite("decode", NULL, NULL);

	CU_add_test(s, "test_decode_all_fields", test_decode_all_fields);
	CU_add_test(s, "test_decode_big_endian_file", test_decode_big_endian_file);
	CU_add_test(s, "test_decode_other_layout", test_decode_other_layout);
	CU_add_test(s, "test_decode_truncated_record_rejected",
		    test_decode_truncated_record_rejected);
	CU_add_test(s, "test_decode_other_event_skipped",
		    test_decode_other_event_skipped);
	CU_add_test(s, "test_decode_bad_dir_rejected", test_decode_bad_dir_rejected);
	CU_add_test(s, "test_decode_no_icmp_header_zeroes_fields",
		    test_decode_no_icmp_header_zeroes_fields);
	CU_add_test(s, "test_decode_dev_without_nul", test_decode_dev_without_nul);
	CU_add_test(s, "test_decode_missing_event", test_decode_missing_event);
	CU_add_test(s, "test_decode_missing_field", test_decode_missing_field);
	CU_add_test(s, "test_decode_wrong_field_size", test_decode_wrong_field_size);
	CU_add_test(s, "test_decode_number_of_odd_size",
		    test_decode_number_of_odd_size);
	CU_add_test(s, "test_decode_field_offset_past_int_max",
		    test_decode_field_offset_past_int_max);
}
