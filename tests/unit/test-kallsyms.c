// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms: a file's kallsyms kept by tep_parse_kallsyms() during a lazy
 * open, and parsed by libtraceevent's own the first time it is needed.
 */
#include <string.h>

#include <CUnit/CUnit.h>
#include <event-parse.h>
#include <trace-cmd.h>

#include "kallsyms.h"
#include "unit.h"

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81a00000 t ip_rcv_finish_core.constprop.0\n"
	"ffffffff81a00100 T ip_rcv_core\n"
	"ffffffff82000000 D init_net\n"
	"ffffffffc0001000 t veth_xmit\t[veth]\n";

static const unsigned long long addrs[] = {
	0xffffffff80000000ULL, 0xffffffff81000010ULL, 0xffffffff81a000ffULL,
	0xffffffff81a00123ULL, 0xffffffff82000010ULL, 0xffffffffc0001004ULL,
};

#define NR_ADDRS	(sizeof(addrs) / sizeof(addrs[0]))

static struct tep_handle *parsed(int lazy)
{
	struct tep_handle *tep = tep_alloc();

	CU_ASSERT_PTR_NOT_NULL_FATAL(tep);
	pt_kallsyms_lazy(lazy);
	CU_ASSERT_EQUAL(tep_parse_kallsyms(tep, kallsyms), 0);
	pt_kallsyms_lazy(0);
	return tep;
}

static void test_kallsyms_parsed_at_once_outside_a_lazy_open(void)
{
	struct tep_handle *tep = parsed(0);

	CU_ASSERT_STRING_EQUAL(tep_find_function(tep, addrs[3]),
			       "ip_rcv_core");
	tep_free(tep);
}

static void test_kallsyms_kept_until_a_lookup_needs_them(void)
{
	struct tep_handle *tep = parsed(1);

	CU_ASSERT_EQUAL(pt_kallsyms_need(tep), 1);
	CU_ASSERT_STRING_EQUAL(tep_find_function(tep, addrs[3]),
			       "ip_rcv_core");
	CU_ASSERT_EQUAL(pt_kallsyms_need(tep), 0);	/* once only */
	CU_ASSERT_STRING_EQUAL(tep_find_function(tep, addrs[3]),
			       "ip_rcv_core");
	tep_free(tep);
}

/* What libtraceevent itself makes of the text, address by address */
static void test_kallsyms_lookups_are_libtraceevents(void)
{
	struct tep_handle *now = parsed(0), *later = parsed(1);
	const char *a, *b;
	size_t i;

	pt_kallsyms_need(later);
	for (i = 0; i < NR_ADDRS; i++) {
		a = tep_find_function(now, addrs[i]);
		b = tep_find_function(later, addrs[i]);
		CU_ASSERT((!a && !b) || (a && b && !strcmp(a, b)));
	}
	tep_free(now);
	tep_free(later);
}

static void test_kallsyms_forgotten_with_the_handle(void)
{
	struct tep_handle *tep = parsed(1);

	pt_kallsyms_forget(tep);
	CU_ASSERT_EQUAL(pt_kallsyms_need(tep), 0);
	tep_free(tep);
}

static void test_kallsyms_lazy_open_reads_a_file(void)
{
	struct tracecmd_input *handle;

	/* its kallsyms are empty: nothing to keep */
	handle = pt_tracecmd_open_lazy(PT_UNIT_DATA "/synthetic-v7.dat");
	CU_ASSERT_PTR_NOT_NULL_FATAL(handle);
	CU_ASSERT_EQUAL(pt_kallsyms_need(tracecmd_get_tep(handle)), 0);
	tracecmd_close(handle);
	CU_ASSERT_PTR_NULL(pt_tracecmd_open_lazy("/nonexistent.dat"));
}

void ut_add_kallsyms_suite(void)
{
	CU_pSuite s = CU_add_suite("kallsyms", NULL, NULL);

	UT_ADD_TEST(s, test_kallsyms_parsed_at_once_outside_a_lazy_open);
	UT_ADD_TEST(s, test_kallsyms_kept_until_a_lookup_needs_them);
	UT_ADD_TEST(s, test_kallsyms_lookups_are_libtraceevents);
	UT_ADD_TEST(s, test_kallsyms_forgotten_with_the_handle);
	UT_ADD_TEST(s, test_kallsyms_lazy_open_reads_a_file);
}
