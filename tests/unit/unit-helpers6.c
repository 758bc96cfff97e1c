// SPDX-License-Identifier: GPL-2.0
/*
 * net:ip6_icmp for the CUnit suites: its format as the kernel prints
 * /sys/kernel/tracing/events/net/ip6_icmp/format (the TRACE_EVENT of
 * patches/0004 laid out as the compiler lays out its entry struct; the
 * same offsets as the 6.12 kernel's own, tests/fixtures/ip6_icmp.format),
 * and raw records to match.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* Offsets of patches/0004's fields: the entry struct, 8-byte aligned */
enum {
	L6_SKBADDR = 8, L6_NETNS = 16, L6_IFINDEX = 20, L6_DEV = 24,
	L6_SADDR = 40, L6_DADDR = 56, L6_SADDR_HI = 72, L6_SADDR_LO = 80,
	L6_DADDR_HI = 88, L6_DADDR_LO = 96, L6_FLOW_LABEL = 104,
	L6_FRAG_ID = 108, L6_MTU = 112, L6_PAYLOAD_LEN = 116,
	L6_FRAG_OFF = 118, L6_ICMP_ID = 120, L6_ICMP_SEQ = 122, L6_DIR = 124,
	L6_NEXTHDR = 125, L6_PROTOCOL = 126, L6_HOP_LIMIT = 127,
	L6_HAS_FRAG = 128, L6_ICMP_TYPE = 129, L6_ICMP_CODE = 130,
	L6_HAS_ICMP = 131, L6_ORIG_SADDR = 132, L6_ORIG_DADDR = 148,
	L6_ORIG_DADDR_HI = 168, L6_ORIG_DADDR_LO = 176,
	L6_ORIG_ICMP_ID = 184, L6_ORIG_ICMP_SEQ = 186, L6_HAS_ORIG = 188,
	L6_ORIG_PROTOCOL = 189,
};

static const char format6[] =
	"name: ip6_icmp\n"
	"ID: %d\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:const void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int netns;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:int ifindex;\toffset:20;\tsize:4;\tsigned:1;\n"
	"\tfield:char dev[16];\toffset:24;\tsize:16;\tsigned:0;\n"
	"\tfield:__u8 saddr[16];\toffset:40;\tsize:16;\tsigned:0;\n"
	"\tfield:__u8 daddr[16];\toffset:56;\tsize:16;\tsigned:0;\n"
	"\tfield:u64 saddr_hi;\toffset:72;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 saddr_lo;\toffset:80;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 daddr_hi;\toffset:88;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 daddr_lo;\toffset:96;\tsize:8;\tsigned:0;\n"
	"\tfield:u32 flow_label;\toffset:104;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 frag_id;\toffset:108;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 mtu;\toffset:112;\tsize:4;\tsigned:0;\n"
	"\tfield:u16 payload_len;\toffset:116;\tsize:2;\tsigned:0;\n"
	"\tfield:u16 frag_off;\toffset:118;\tsize:2;\tsigned:0;\n"
	"\tfield:u16 icmp_id;\toffset:120;\tsize:2;\tsigned:0;\n"
	"\tfield:u16 icmp_seq;\toffset:122;\tsize:2;\tsigned:0;\n"
	"\tfield:u8 dir;\toffset:124;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 nexthdr;\toffset:125;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 protocol;\toffset:126;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 hop_limit;\toffset:127;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 has_frag;\toffset:128;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 icmp_type;\toffset:129;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 icmp_code;\toffset:130;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 has_icmp;\toffset:131;\tsize:1;\tsigned:0;\n"
	"\tfield:__u8 orig_saddr[16];\toffset:132;\tsize:16;\tsigned:0;\n"
	"\tfield:__u8 orig_daddr[16];\toffset:148;\tsize:16;\tsigned:0;\n"
	"\tfield:u64 orig_daddr_hi;\toffset:168;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 orig_daddr_lo;\toffset:176;\tsize:8;\tsigned:0;\n"
	"\tfield:u16 orig_icmp_id;\toffset:184;\tsize:2;\tsigned:0;\n"
	"\tfield:u16 orig_icmp_seq;\toffset:186;\tsize:2;\tsigned:0;\n"
	"\tfield:u8 has_orig;\toffset:188;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 orig_protocol;\toffset:189;\tsize:1;\tsigned:0;\n"
	"\n"
	"print fmt: \"%%s dev=%%s %%pI6c -> %%pI6c\", REC->dir ? \"RCV\" : "
	"\"SND\", REC->dev, REC->saddr, REC->daddr\n";

const char *ut_kernel_format6(void)
{
	static char buf[sizeof(format6) + 16];

	if (!buf[0])
		snprintf(buf, sizeof(buf), format6, UT_EVENT6_ID);
	return buf;
}

/* One tep handle that knows both events, as a file recorded with both */
struct tep_handle *ut_tep_with_both(int big_endian)
{
	struct tep_handle *tep = ut_tep_with_format(ut_kernel_format(),
						    big_endian);
	const char *fmt = ut_kernel_format6();

	if (tep && tep_parse_event(tep, fmt, strlen(fmt), "net")) {
		tep_free(tep);
		return NULL;
	}
	return tep;
}

struct pt_addr ut_ip6(const char *str)
{
	struct in6_addr in6;

	if (inet_pton(AF_INET6, str, &in6) != 1)
		abort();
	return pt_addr6(in6.s6_addr);
}

struct pt_event ut_event6(int dir, int type, const char *src, const char *dst,
			  uint16_t id, uint16_t seq, uint64_t ts)
{
	struct pt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.dir = dir;
	ev.icmp_type = type;
	ev.saddr = ut_ip6(src);
	ev.daddr = ut_ip6(dst);
	ev.orig.saddr.family = AF_INET6;
	ev.orig.daddr.family = AF_INET6;
	ev.icmp_id = id;
	ev.icmp_seq = seq;
	ev.protocol = PT_IPPROTO_ICMPV6;
	ev.nexthdr = PT_IPPROTO_ICMPV6;
	ev.has_icmp = 1;
	ev.orig_format = 1;
	ev.ttl = 64;
	ev.tot_len = 104;
	ev.netns = 4026531840u;
	ev.ifindex = 2;
	ev.pid = dir == PT_DIR_SEND ? 4321 : 0;
	strcpy(ev.comm, dir == PT_DIR_SEND ? "ping" : "<idle>");
	strcpy(ev.dev, "veth0");
	return ev;
}

static uint64_t half(const uint8_t *a, int lo)
{
	uint64_t v = 0;
	int i;

	for (i = lo ? 8 : 0; i < (lo ? 16 : 8); i++)
		v = v << 8 | a[i];
	return v;
}

/* @ev as a net:ip6_icmp record of UT_RECORD6_SIZE bytes */
void ut_build_record6(unsigned char *buf, const struct pt_event *ev, int be)
{
	memset(buf, 0, UT_RECORD6_SIZE);
	ut_put(buf + 0, UT_EVENT6_ID, 2, be);
	ut_put(buf + 4, (uint32_t)ev->pid, 4, be);
	ut_put(buf + L6_SKBADDR, ev->skbaddr, 8, be);
	ut_put(buf + L6_NETNS, ev->netns, 4, be);
	ut_put(buf + L6_IFINDEX, (uint32_t)ev->ifindex, 4, be);
	memcpy(buf + L6_DEV, ev->dev, strnlen(ev->dev, 16));
	memcpy(buf + L6_SADDR, ev->saddr.v6, 16);
	memcpy(buf + L6_DADDR, ev->daddr.v6, 16);
	ut_put(buf + L6_SADDR_HI, half(ev->saddr.v6, 0), 8, be);
	ut_put(buf + L6_SADDR_LO, half(ev->saddr.v6, 1), 8, be);
	ut_put(buf + L6_DADDR_HI, half(ev->daddr.v6, 0), 8, be);
	ut_put(buf + L6_DADDR_LO, half(ev->daddr.v6, 1), 8, be);
	ut_put(buf + L6_FLOW_LABEL, ev->flow_label, 4, be);
	ut_put(buf + L6_FRAG_ID, ev->ip_id, 4, be);
	ut_put(buf + L6_MTU, ev->mtu, 4, be);
	ut_put(buf + L6_PAYLOAD_LEN, ev->tot_len - PT_IP6_HLEN, 2, be);
	ut_put(buf + L6_FRAG_OFF, ev->frag_off, 2, be);
	ut_put(buf + L6_ICMP_ID, ev->icmp_id, 2, be);
	ut_put(buf + L6_ICMP_SEQ, ev->icmp_seq, 2, be);
	buf[L6_DIR] = ev->dir;
	buf[L6_NEXTHDR] = ev->nexthdr;
	buf[L6_PROTOCOL] = ev->protocol;
	buf[L6_HOP_LIMIT] = ev->ttl;
	buf[L6_HAS_FRAG] = ev->has_frag;
	buf[L6_ICMP_TYPE] = ev->icmp_type;
	buf[L6_ICMP_CODE] = ev->icmp_code;
	buf[L6_HAS_ICMP] = ev->has_icmp;
	if (!ev->has_orig)
		return;
	memcpy(buf + L6_ORIG_SADDR, ev->orig.saddr.v6, 16);
	memcpy(buf + L6_ORIG_DADDR, ev->orig.daddr.v6, 16);
	ut_put(buf + L6_ORIG_DADDR_HI, half(ev->orig.daddr.v6, 0), 8, be);
	ut_put(buf + L6_ORIG_DADDR_LO, half(ev->orig.daddr.v6, 1), 8, be);
	ut_put(buf + L6_ORIG_ICMP_ID, ev->orig.icmp_id, 2, be);
	ut_put(buf + L6_ORIG_ICMP_SEQ, ev->orig.icmp_seq, 2, be);
	buf[L6_HAS_ORIG] = 1;
	buf[L6_ORIG_PROTOCOL] = ev->orig.protocol;
}
