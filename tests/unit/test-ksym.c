// SPDX-License-Identifier: GPL-2.0
/*
 * ksym: kallsyms text parsed into text symbols, looked up by address.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "ksym.h"
#include "unit.h"

/* As /proc/kallsyms has it: out of order, data symbols, modules */
static const char kallsyms[] =
	"ffffffff81a00100 T ip_rcv_core\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff82000000 D init_net\n"
	"ffffffff81a00000 t ip_rcv_finish_core.constprop.0\n"
	"ffffffffc0001000 t veth_xmit\t[veth]\n"
	"ffffffff81b00000 W weak_fn\n"
	"garbage line\n"
	"ffffffff81c00000 T\n"
	"ffffffff81d00000 T last_fn";

static void parse(struct pt_ksyms *ks)
{
	char *text = strdup(kallsyms);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(pt_ksyms_parse(ks, text), 0);
}

static void test_ksym_text_symbols_only(void)
{
	struct pt_ksyms ks;

	parse(&ks);
	/* _stext, the two ip_rcv ones, veth_xmit, weak_fn, last_fn */
	CU_ASSERT_EQUAL(ks.nr, 6);
	pt_ksyms_release(&ks);
}

static void test_ksym_address_in_function(void)
{
	struct pt_ksyms ks;

	parse(&ks);
	CU_ASSERT_PTR_NULL(pt_ksyms_find(&ks, 0xffffffff80000000ULL));
	CU_ASSERT_STRING_EQUAL(pt_ksyms_find(&ks, 0xffffffff81000000ULL),
			       "_stext");
	CU_ASSERT_STRING_EQUAL(pt_ksyms_find(&ks, 0xffffffff81a000ffULL),
			       "ip_rcv_finish_core.constprop.0");
	CU_ASSERT_STRING_EQUAL(pt_ksyms_find(&ks, 0xffffffff81a00123ULL),
			       "ip_rcv_core");
	/* init_net is data: the address falls in the last text symbol before */
	CU_ASSERT_STRING_EQUAL(pt_ksyms_find(&ks, 0xffffffff82000010ULL),
			       "last_fn");
	CU_ASSERT_STRING_EQUAL(pt_ksyms_find(&ks, 0xffffffffc0001004ULL),
			       "veth_xmit");
	pt_ksyms_release(&ks);
}

static void test_ksym_empty_and_missing(void)
{
	struct pt_ksyms ks;
	char *text = strdup("");

	CU_ASSERT_EQUAL_FATAL(pt_ksyms_parse(&ks, text), 0);
	CU_ASSERT_EQUAL(ks.nr, 0);
	CU_ASSERT_PTR_NULL(pt_ksyms_find(&ks, 1));
	pt_ksyms_release(&ks);
	CU_ASSERT(pt_ksyms_load(&ks, "/nonexistent/kallsyms") < 0);
	CU_ASSERT_PTR_NULL(pt_ksyms_find(&ks, 1));
	pt_ksyms_release(&ks);
}

void ut_add_ksym_suite(void)
{
	CU_pSuite s = CU_add_suite("ksym", NULL, NULL);

	UT_ADD_TEST(s, test_ksym_text_symbols_only);
	UT_ADD_TEST(s, test_ksym_address_in_function);
	UT_ADD_TEST(s, test_ksym_empty_and_missing);
}
