/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the CUnit suites.
 */
#ifndef PT_UNIT_H
#define PT_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include <event-parse.h>

#include "event.h"

#define UT_EVENT_ID	1234
/* The id of tests/fixtures/ip6_icmp.format */
#define UT_EVENT6_ID	981
/* net:ip6_icmp's record in unit-helpers6.c (190 bytes, padded) */
#define UT_RECORD6_SIZE	192

/* Registers test function @fn under its own name */
#define UT_ADD_TEST(suite, fn)	CU_add_test(suite, #fn, fn)

/* Where each field of net:ip_icmp sits in a test format */
struct ut_layout {
	int	skbaddr, netns, ifindex, dev, saddr, daddr, tot_len, ip_id;
	int	frag_off, icmp_id, icmp_seq, dir, protocol, ttl;
	int	icmp_type, icmp_code, has_icmp;	/* has_icmp -1: none */
	int	size;		/* record size */
};

extern const struct ut_layout ut_kernel_layout;

/* A tep handle that knows net:ip_icmp from the format text @fmt */
struct tep_handle *ut_tep_with_format(const char *fmt, int big_endian);
const char *ut_kernel_format(void);
char *ut_format_for(const struct ut_layout *lay);

/* @v in the @size bytes at @p, in the byte order given */
void ut_put(unsigned char *p, uint64_t v, int size, int big_endian);

/* Raw record bytes of @ev laid out as @lay, numbers in file endianness */
void ut_build_record(unsigned char *buf, const struct ut_layout *lay,
		     const struct pt_event *ev, int big_endian);

/* A whole file into a string to free(), NULL when it cannot be read */
char *ut_read_file(const char *path);

uint32_t ut_ip(const char *dotted);
struct pt_event ut_event(int dir, int type, const char *src, const char *dst,
			 uint16_t id, uint16_t seq, uint64_t ts);

/* unit-helpers6.c: net:ip6_icmp */
const char *ut_kernel_format6(void);
struct tep_handle *ut_tep_with_both(int big_endian);
struct pt_addr ut_ip6(const char *str);
struct pt_event ut_event6(int dir, int type, const char *src, const char *dst,
			  uint16_t id, uint16_t seq, uint64_t ts);
void ut_build_record6(unsigned char *buf, const struct pt_event *ev,
		      int big_endian);

void ut_add_v6_suite(void);
void ut_add_decode_suite(void);
void ut_add_pair_suite(void);
void ut_add_output_suite(void);
void ut_add_target_suite(void);
void ut_add_session_suite(void);
void ut_add_cli_suite(void);
void ut_add_replay_suite(void);
void ut_add_trace_suite(void);
void ut_add_tracefile_suite(void);
void ut_add_shring_suite(void);
void ut_add_fixtures_suite(void);
void ut_add_table_suite(void);
void ut_add_child_suite(void);
void ut_add_clocksync_suite(void);
void ut_add_merge_suite(void);
void ut_add_join_suite(void);
void ut_add_ksym_suite(void);
void ut_add_kallsyms_suite(void);
void ut_add_stages_suite(void);
void ut_add_ring_suite(void);

#endif /* PT_UNIT_H */
