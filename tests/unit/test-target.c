// SPDX-License-Identifier: GPL-2.0
/*
 * target: parsing, matching and the kernel filter string.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "target.h"
#include "unit.h"

static void test_filter_native_endian_u32(void)
{
	struct pt_targets t = { 0 };
	char buf[256];

	CU_ASSERT_EQUAL_FATAL(pt_targets_add(&t, "198.51.100.1"), 0);
	CU_ASSERT(pt_targets_filter(&t, 0, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "saddr == 0x16433c6 || daddr == 0x16433c6");
	CU_ASSERT(pt_targets_filter(&t, 1, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "saddr == 0xc6336401 || daddr == 0xc6336401");
}

/* What the kernel does: load the 4 bytes as a u32 of this machine */
static void test_filter_matches_host_u32_load(void)
{
	struct pt_targets t = { 0 };
	unsigned char bytes[4] = { 203, 0, 113, 77 };
	char want[128], buf[128];
	uint32_t v;

	memcpy(&v, bytes, 4);
	snprintf(want, sizeof(want), "saddr == 0x%x || daddr == 0x%x", v, v);
	CU_ASSERT_EQUAL_FATAL(pt_targets_add(&t, "203.0.113.77"), 0);
	pt_targets_filter(&t, pt_host_big_endian(), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, want);
}

static void test_filter_two_targets(void)
{
	struct pt_targets t = { 0 };
	char buf[256];
	int len;

	pt_targets_add(&t, "10.0.0.1");
	pt_targets_add(&t, "10.0.0.2");
	len = pt_targets_filter(&t, 0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "saddr == 0x100000a || daddr == 0x100000a || "
			       "saddr == 0x200000a || daddr == 0x200000a");
	CU_ASSERT_EQUAL(len, (int)strlen(buf));
}

static void test_filter_empty_without_targets(void)
{
	struct pt_targets t = { 0 };
	char buf[8] = "junk";

	CU_ASSERT_EQUAL(pt_targets_filter(&t, 0, buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
}

static void test_filter_too_long(void)
{
	struct pt_targets t = { 0 };
	char buf[20];

	pt_targets_add(&t, "10.0.0.1");
	CU_ASSERT_EQUAL(pt_targets_filter(&t, 0, buf, sizeof(buf)), -ENOSPC);
	CU_ASSERT_EQUAL(pt_targets_filter(&t, 0, buf, 0), -ENOSPC);
}

static void test_target_invalid_rejected(void)
{
	const char *bad[] = { "", "1.2.3", "256.1.1.1", "1.2.3.4.5", "1::2::3",
			      "1..2.3", "a b", "2001:db8::1/64", "fe80::1%eth0",
			      "2001:db8::g", "10.0.0.1/24", "10.0.0.1 " };
	struct pt_addr addr;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(pt_target_parse(bad[i], &addr), -EINVAL);
	CU_ASSERT_EQUAL(pt_target_parse(NULL, &addr), -EINVAL);
}

static void test_target_dotted_quad(void)
{
	struct pt_addr addr;

	CU_ASSERT_EQUAL(pt_target_parse("198.51.100.2", &addr), 0);
	CU_ASSERT_EQUAL(addr.family, AF_INET);
	CU_ASSERT_EQUAL(((unsigned char *)&addr.v4)[0], 198);
	CU_ASSERT_EQUAL(((unsigned char *)&addr.v4)[3], 2);
}

static void test_target_ipv6_literal(void)
{
	struct pt_addr addr;

	CU_ASSERT_EQUAL(pt_target_parse("2001:db8::2", &addr), 0);
	CU_ASSERT_EQUAL(addr.family, AF_INET6);
	CU_ASSERT_EQUAL(addr.v6[0], 0x20);
	CU_ASSERT_EQUAL(addr.v6[1], 0x01);
	CU_ASSERT_EQUAL(addr.v6[3], 0xb8);
	CU_ASSERT_EQUAL(addr.v6[15], 2);
	CU_ASSERT_EQUAL(pt_target_parse("::1", &addr), 0);
	CU_ASSERT_EQUAL(addr.family, AF_INET6);
	CU_ASSERT_EQUAL(addr.v6[15], 1);
}

/*
 * "localhost" is in every /etc/hosts: ::1 where it says so, else
 * 127.0.0.1.  (A name that does not resolve would ask DNS, which a test
 * must not wait for; the VM's v6 scenario resolves an AAAA-only name.)
 */
static void test_target_name_resolves_either_family(void)
{
	struct pt_addr addr;

	CU_ASSERT_EQUAL(pt_target_parse("localhost", &addr), 0);
	CU_ASSERT(addr.family == AF_INET || addr.family == AF_INET6);
}

/* An IPv6 target is matched on either end, and in an error's quote */
static void test_target_match_ipv6(void)
{
	struct pt_targets t = { 0 };
	struct pt_event ev = ut_event6(PT_DIR_SEND, PT_ICMP6_ECHO,
				       "2001:db8::1", "2001:db8::2", 1, 1, 0);

	CU_ASSERT_EQUAL(pt_targets_add(&t, "2001:db8::2"), 0);
	CU_ASSERT_EQUAL(pt_targets_add(&t, "2001:db8:0::2"), 0);
	CU_ASSERT_EQUAL(t.nr, 1);
	CU_ASSERT(pt_targets_match(&t, &ev));
	ev = ut_event6(PT_DIR_SEND, PT_ICMP6_ECHO, "2001:db8::1",
		       "2001:db8::22", 1, 1, 0);
	CU_ASSERT(!pt_targets_match(&t, &ev));
	ev.has_orig = 1;
	ev.orig.daddr = ut_ip6("2001:db8::2");
	CU_ASSERT(pt_targets_match(&t, &ev));
	/* the same bytes as IPv4 are no match */
	ev = ut_event(PT_DIR_SEND, PT_ICMP_ECHO, "32.1.13.184", "10.0.0.1",
		      1, 1, 0);
	CU_ASSERT(!pt_targets_match(&t, &ev));
}

/* The u64 halves, as the patch's event comment says, for any byte order */
static void test_target_filter6_uses_halves(void)
{
	struct pt_targets t = { 0 };
	char buf[1024];

	CU_ASSERT_EQUAL(pt_targets_add(&t, "198.51.100.2"), 0);
	CU_ASSERT(pt_targets_filter6(&t, buf, sizeof(buf)) == 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(pt_targets_add(&t, "2001:db8::2"), 0);
	CU_ASSERT(pt_targets_filter6(&t, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf,
		"(saddr_hi == 0x20010db800000000 && saddr_lo == 0x2) || "
		"(daddr_hi == 0x20010db800000000 && daddr_lo == 0x2) || "
		"(orig_daddr_hi == 0x20010db800000000 && orig_daddr_lo == 0x2)");
	/* and net:ip_icmp's filter has the IPv4 target only */
	CU_ASSERT(pt_targets_filter(&t, 0, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "saddr == 0x26433c6 || daddr == 0x26433c6");
	CU_ASSERT_EQUAL(pt_targets_count(&t, AF_INET6), 1);
	CU_ASSERT_EQUAL(pt_targets_count(&t, AF_INET), 1);
	CU_ASSERT_EQUAL(pt_targets_filter6(&t, buf, 20), -ENOSPC);
}

static void test_target_match_either_end(void)
{
	struct pt_targets t = { 0 };
	struct pt_event ev = ut_event(0, 8, "10.0.0.1", "10.0.0.2", 1, 1, 0);

	CU_ASSERT(pt_targets_match(&t, &ev));		/* no targets: all */
	pt_targets_add(&t, "10.0.0.2");
	CU_ASSERT(pt_targets_match(&t, &ev));
	ev = ut_event(1, 0, "10.0.0.2", "10.0.0.1", 1, 1, 0);
	CU_ASSERT(pt_targets_match(&t, &ev));
	ev = ut_event(1, 0, "10.0.0.3", "10.0.0.1", 1, 1, 0);
	CU_ASSERT_FALSE(pt_targets_match(&t, &ev));
}

/* A router's error to the requester, quoting a request to the target */
static void test_target_match_error_quoting_target(void)
{
	struct pt_targets t = { 0 };
	struct pt_event ev = ut_event(1, 11, "198.51.100.254", "198.51.100.1",
				      0, 0, 0);

	pt_targets_add(&t, "203.0.113.2");
	CU_ASSERT_FALSE(pt_targets_match(&t, &ev));
	ev.orig.daddr = pt_addr4(ut_ip("203.0.113.2"));
	CU_ASSERT_FALSE(pt_targets_match(&t, &ev));	/* has_orig 0 */
	ev.has_orig = 1;
	CU_ASSERT(pt_targets_match(&t, &ev));
}

static void test_target_filter_with_orig_daddr(void)
{
	struct pt_targets t = { 0 };
	char buf[256];

	pt_targets_add(&t, "203.0.113.2");
	CU_ASSERT(pt_targets_filter_orig(&t, 0, 1, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "saddr == 0x27100cb || daddr == 0x27100cb"
			       " || orig_daddr == 0x27100cb");
	CU_ASSERT(pt_targets_filter_orig(&t, 0, 0, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "saddr == 0x27100cb || daddr == 0x27100cb");
	CU_ASSERT_EQUAL(pt_targets_filter_orig(&t, 0, 1, buf, 50), -ENOSPC);
}

static void test_target_duplicates_and_limit(void)
{
	struct pt_targets t = { 0 };
	char addr[32];
	int i;

	pt_targets_add(&t, "10.0.0.1");
	pt_targets_add(&t, "10.0.0.1");
	CU_ASSERT_EQUAL(t.nr, 1);
	for (i = 2; i <= PT_MAX_TARGETS; i++) {
		snprintf(addr, sizeof(addr), "10.0.0.%d", i);
		CU_ASSERT_EQUAL(pt_targets_add(&t, addr), 0);
	}
	CU_ASSERT_EQUAL(pt_targets_add(&t, "10.0.1.1"), -ENOSPC);
}

void ut_add_target_suite(void)
{
	CU_pSuite s = CU_add_suite("target", NULL, NULL);

	UT_ADD_TEST(s, test_filter_native_endian_u32);
	UT_ADD_TEST(s, test_filter_matches_host_u32_load);
	UT_ADD_TEST(s, test_filter_two_targets);
	UT_ADD_TEST(s, test_filter_empty_without_targets);
	UT_ADD_TEST(s, test_filter_too_long);
	UT_ADD_TEST(s, test_target_invalid_rejected);
	UT_ADD_TEST(s, test_target_dotted_quad);
	UT_ADD_TEST(s, test_target_match_either_end);
	UT_ADD_TEST(s, test_target_match_error_quoting_target);
	UT_ADD_TEST(s, test_target_filter_with_orig_daddr);
	UT_ADD_TEST(s, test_target_ipv6_literal);
	UT_ADD_TEST(s, test_target_name_resolves_either_family);
	UT_ADD_TEST(s, test_target_match_ipv6);
	UT_ADD_TEST(s, test_target_filter6_uses_halves);
	UT_ADD_TEST(s, test_target_duplicates_and_limit);
}
