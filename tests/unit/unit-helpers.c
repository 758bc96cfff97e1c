// SPDX-License-Identifier: GPL-2.0
/*
 * Event formats written the way the kernel prints
 * /sys/kernel/tracing/events/net/ip_icmp/format, and raw records to match.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

const struct ut_layout ut_kernel_layout = {
	.skbaddr = 8, .netns = 16, .ifindex = 20, .dev = 24, .saddr = 40,
	.daddr = 44, .tot_len = 48, .ip_id = 50, .frag_off = 52,
	.icmp_id = 54, .icmp_seq = 56, .dir = 58, .protocol = 59, .ttl = 60,
	.icmp_type = 61, .icmp_code = 62, .has_icmp = 63, .size = 64,
};

static const char format_head[] =
	"name: ip_icmp\n"
	"ID: %d\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n";

static const char format_tail[] =
	"\n"
	"print fmt: \"%s %pI4 -> %pI4\", REC->dir ? \"RCV\" : \"SND\", "
	"REC->saddr, REC->daddr\n";

char *ut_format_for(const struct ut_layout *l)
{
	char *buf;
	size_t size;
	FILE *fp = open_memstream(&buf, &size);

	fprintf(fp, format_head, UT_EVENT_ID);
#define F(decl, off, sz, sg) \
	fprintf(fp, "\tfield:%s;\toffset:%d;\tsize:%d;\tsigned:%d;\n", \
		decl, off, sz, sg)
	F("const void * skbaddr", l->skbaddr, 8, 0);
	F("unsigned int netns", l->netns, 4, 0);
	F("int ifindex", l->ifindex, 4, 1);
	F("char dev[16]", l->dev, 16, 0);
	F("__u8 saddr[4]", l->saddr, 4, 0);
	F("__u8 daddr[4]", l->daddr, 4, 0);
	F("u16 tot_len", l->tot_len, 2, 0);
	F("u16 ip_id", l->ip_id, 2, 0);
	F("u16 frag_off", l->frag_off, 2, 0);
	F("u16 icmp_id", l->icmp_id, 2, 0);
	F("u16 icmp_seq", l->icmp_seq, 2, 0);
	F("u8 dir", l->dir, 1, 0);
	F("u8 protocol", l->protocol, 1, 0);
	F("u8 ttl", l->ttl, 1, 0);
	F("u8 icmp_type", l->icmp_type, 1, 0);
	F("u8 icmp_code", l->icmp_code, 1, 0);
	F("u8 has_icmp", l->has_icmp, 1, 0);
#undef F
	fputs(format_tail, fp);
	fclose(fp);
	return buf;
}

const char *ut_kernel_format(void)
{
	static char *fmt;

	if (!fmt)
		fmt = ut_format_for(&ut_kernel_layout);
	return fmt;
}

struct tep_handle *ut_tep_with_format(const char *fmt, int big_endian)
{
	struct tep_handle *tep = tep_alloc();

	if (!tep)
		return NULL;
	tep_set_long_size(tep, 8);
	tep_set_file_bigendian(tep, big_endian ? TEP_BIG_ENDIAN :
			       TEP_LITTLE_ENDIAN);
	if (tep_parse_event(tep, fmt, strlen(fmt), "net")) {
		tep_free(tep);
		return NULL;
	}
	return tep;
}

void ut_put(unsigned char *p, uint64_t v, int size, int big_endian)
{
	int i;

	for (i = 0; i < size; i++) {
		int shift = big_endian ? (size - 1 - i) * 8 : i * 8;

		p[i] = (unsigned char)(v >> shift);
	}
}

void ut_build_record(unsigned char *buf, const struct ut_layout *l,
		     const struct pt_event *ev, int be)
{
	memset(buf, 0, l->size);
	ut_put(buf + 0, UT_EVENT_ID, 2, be);
	ut_put(buf + 4, (uint32_t)ev->pid, 4, be);
	ut_put(buf + l->skbaddr, ev->skbaddr, 8, be);
	ut_put(buf + l->netns, ev->netns, 4, be);
	ut_put(buf + l->ifindex, (uint32_t)ev->ifindex, 4, be);
	memcpy(buf + l->dev, ev->dev, strnlen(ev->dev, 16));
	memcpy(buf + l->saddr, &ev->saddr.v4, 4);
	memcpy(buf + l->daddr, &ev->daddr.v4, 4);
	ut_put(buf + l->tot_len, ev->tot_len, 2, be);
	ut_put(buf + l->ip_id, ev->ip_id, 2, be);
	ut_put(buf + l->frag_off, ev->frag_off, 2, be);
	ut_put(buf + l->icmp_id, ev->icmp_id, 2, be);
	ut_put(buf + l->icmp_seq, ev->icmp_seq, 2, be);
	buf[l->dir] = ev->dir;
	buf[l->protocol] = ev->protocol;
	buf[l->ttl] = ev->ttl;
	buf[l->icmp_type] = ev->icmp_type;
	buf[l->icmp_code] = ev->icmp_code;
	if (l->has_icmp >= 0)	/* -1: a format without it */
		buf[l->has_icmp] = ev->has_icmp;
}

uint32_t ut_ip(const char *dotted)
{
	struct in_addr in;

	if (inet_pton(AF_INET, dotted, &in) != 1)
		abort();
	return in.s_addr;
}

struct pt_event ut_event(int dir, int type, const char *src, const char *dst,
			 uint16_t id, uint16_t seq, uint64_t ts)
{
	struct pt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.dir = dir;
	ev.icmp_type = type;
	ev.saddr = pt_addr4(ut_ip(src));
	ev.daddr = pt_addr4(ut_ip(dst));
	ev.icmp_id = id;
	ev.icmp_seq = seq;
	ev.protocol = PT_IPPROTO_ICMP;
	ev.has_icmp = 1;
	ev.ttl = 64;
	ev.tot_len = 84;
	ev.netns = 4026531840u;
	ev.ifindex = 2;
	ev.pid = dir == PT_DIR_SEND ? 4321 : 0;
	strcpy(ev.comm, dir == PT_DIR_SEND ? "ping" : "<idle>");
	strcpy(ev.dev, "veth0");
	return ev;
}

/* A whole file into a string, NULL when it cannot be read */
char *ut_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = calloc(1, n + 1)) &&
	    fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}
