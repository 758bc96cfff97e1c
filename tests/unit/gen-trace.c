// SPDX-License-Identifier: GPL-2.0
/*
 * gen-trace: write per-CPU ring buffer files of net:ip_icmp records for
 * "trace-cmd restore", which turns them into a real trace.dat (see
 * make-trace.sh).  Test data only: the records come from the same
 * ut_build_record() the unit tests use, laid out as the format in
 * ut_kernel_format() says, in 4096-byte ring buffer pages.
 *
 * usage: gen-trace format            print the event's format file
 *        gen-trace cpus PREFIX [BASE] write PREFIX.cpu0 and PREFIX.cpu1,
 *                                     times offset by BASE ns
 *        gen-trace flood PREFIX N     the same files for a flood of N
 *                                     answered echoes (make bench-synth)
 *
 * The scenario, and what a report of it must find, is in scenario[] and
 * in test-trace.c.
 *
 * GEN_TRACE_LAYOUT=v2 in the environment: the records and format of the
 * series as the kernel has it (tests/fixtures/ip_icmp-v2.format, its
 * print fmt too), the same 64 bytes followed by the orig fields and
 * mtu, all 0 (no record here quotes a datagram), 80 bytes in all.
 * Without it, the 64-byte layout of ut_kernel_layout, which the unit
 * tests know.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define PAGE_SIZE		4096
#define PAGE_HEADER		16
#define TYPE_TIME_EXTEND	30
#define MAX_DELTA		((1u << 27) - 1)
#define MISSED_EVENTS		(1ULL << 31)
#define MISSED_STORED		(1ULL << 30)
#define NR_CPUS			2

#define A	"198.51.100.1"
#define B	"198.51.100.2"
#define C	"203.0.113.9"
#define NS_A	4026531840u
#define NS_B	4026532200u
#define SEC	1000000000ULL

struct page {
	unsigned char	buf[PAGE_SIZE];
	size_t		used;		/* bytes after the header */
	uint64_t	last_ts;
	int		open;
};

struct cpu_file {
	FILE		*fp;
	struct page	page;
};

static struct cpu_file cpus[NR_CPUS];
static uint64_t base_ns;
static int record_size = 64;	/* 80: GEN_TRACE_LAYOUT=v2 */

/* The fields v2 adds after ut_kernel_layout's 64 bytes */
static const char v2_fields[] =
	"\tfield:__u8 orig_saddr[4];\toffset:64;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 orig_daddr[4];\toffset:68;\tsize:4;\tsigned:0;\n"
	"\tfield:u16 orig_icmp_id;\toffset:72;\tsize:2;\tsigned:0;\n"
	"\tfield:u16 orig_icmp_seq;\toffset:74;\tsize:2;\tsigned:0;\n"
	"\tfield:u8 has_orig;\toffset:76;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 orig_protocol;\toffset:77;\tsize:1;\tsigned:0;\n"
	"\tfield:u16 mtu;\toffset:78;\tsize:2;\tsigned:0;\n";

/* @fmt from its "format:" line to its print fmt, which it keeps */
static int same_fields(const char *a, const char *b)
{
	const char *fa = strstr(a, "format:"), *fb = strstr(b, "format:");
	const char *pa = strstr(a, "print fmt:"), *pb = strstr(b, "print fmt:");

	return fa && fb && pa && pb && pa - fa == pb - fb &&
	       !memcmp(fa, fb, pa - fa);
}

/*
 * v2: the kernel's own format (tests/fixtures/ip_icmp-v2.format), its
 * long print fmt included (trace-cmd report's time on a file is mostly
 * that print fmt), with our event id; its fields checked to be those
 * ut_kernel_layout and v2_fields lay the records out in
 */
static int print_format(void)
{
	const char *fmt = ut_kernel_format();
	const char *tail = strstr(fmt, "\n\nprint fmt:");
	char *ours, *kernel, *id, *eol;
	size_t len;
	int ret = -1;

	if (record_size == 64) {
		fputs(fmt, stdout);
		return 0;
	}
	kernel = ut_read_file(PT_FIXTURES "/ip_icmp-v2.format");
	len = strlen(fmt) + sizeof(v2_fields);
	ours = malloc(len);
	if (!kernel || !ours || !tail)
		goto out;
	snprintf(ours, len, "%.*s%s%s", (int)(tail + 1 - fmt), fmt, v2_fields,
		 tail + 1);
	id = strstr(kernel, "\nID: ");
	eol = id ? strchr(id + 1, '\n') : NULL;
	if (!eol || !same_fields(ours, kernel)) {
		fprintf(stderr, "gen-trace: %s: not the layout of v2_fields\n",
			PT_FIXTURES "/ip_icmp-v2.format");
		goto out;
	}
	printf("%.*s\nID: %d%s", (int)(id - kernel), kernel, UT_EVENT_ID, eol);
	ret = 0;
out:
	free(kernel);
	free(ours);
	return ret;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void flush_page(struct cpu_file *c, long long missed)
{
	struct page *pg = &c->page;
	uint64_t commit = pg->used;

	if (!pg->open)
		return;
	if (missed > 0) {
		commit |= MISSED_EVENTS | MISSED_STORED;
		put64(pg->buf + PAGE_HEADER + pg->used, missed);
	}
	put64(pg->buf + 8, commit);
	fwrite(pg->buf, 1, PAGE_SIZE, c->fp);
	memset(pg, 0, sizeof(*pg));
}

static void start_page(struct cpu_file *c, uint64_t ts)
{
	memset(&c->page, 0, sizeof(c->page));
	c->page.open = 1;
	c->page.last_ts = ts;
	put64(c->page.buf, ts);
}

/* One event: a time extend when the delta is large, then the data */
static void add_record(struct cpu_file *c, const struct pt_event *ev)
{
	struct page *pg = &c->page;
	uint64_t delta;
	unsigned char *p;

	if (!pg->open ||
	    pg->used + 8 + 4 + record_size + 8 > PAGE_SIZE - PAGE_HEADER) {
		flush_page(c, 0);
		start_page(c, ev->ts);
	}
	delta = ev->ts - pg->last_ts;
	p = pg->buf + PAGE_HEADER + pg->used;
	if (delta > MAX_DELTA) {
		put32(p, TYPE_TIME_EXTEND | (uint32_t)(delta & MAX_DELTA) << 5);
		put32(p + 4, (uint32_t)(delta >> 27));
		p += 8;
		pg->used += 8;
		delta = 0;
	}
	put32(p, (record_size / 4) | (uint32_t)delta << 5);
	memset(p + 4, 0, record_size);
	ut_build_record(p + 4, &ut_kernel_layout, ev, 0);
	pg->used += 4 + record_size;
	pg->last_ts = ev->ts;
}

static struct pt_event ev_at(int dir, int type, const char *src,
			     const char *dst, uint16_t seq, uint64_t ts)
{
	struct pt_event ev = ut_event(dir, type, src, dst, 0x1234, seq,
				      base_ns + ts);
	int at_b = !strcmp(dir == PT_DIR_SEND ? src : dst, B);

	ev.netns = at_b ? NS_B : NS_A;
	strcpy(ev.dev, at_b ? "veth1" : "veth0");
	ev.ifindex = at_b ? 3 : 2;
	ev.pid = dir == PT_DIR_SEND && !at_b ? 500 : 0;
	ev.skbaddr = 0xffff888000000000ULL + ts % 1000000;
	return ev;
}

/* The requester on CPU 0, the responder (another netns) on CPU 1 */
static void echo(uint16_t seq, uint64_t t, uint64_t in, uint64_t out,
		 uint64_t rtt)
{
	struct pt_event ev;

	ev = ev_at(PT_DIR_SEND, PT_ICMP_ECHO, A, B, seq, t);
	add_record(&cpus[0], &ev);
	if (in) {
		ev = ev_at(PT_DIR_RECV, PT_ICMP_ECHO, A, B, seq, t + in);
		add_record(&cpus[1], &ev);
	}
	if (out) {
		ev = ev_at(PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, A, seq, t + out);
		add_record(&cpus[1], &ev);
	}
	if (rtt) {
		ev = ev_at(PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, seq, t + rtt);
		add_record(&cpus[0], &ev);
	}
}

static void fragments(int cpu, int dir, int type, const char *src,
		      const char *dst, uint16_t seq, uint64_t t)
{
	static const uint16_t offs[3] = { PT_IP_MF, PT_IP_MF | 185, 370 };
	struct pt_event ev;
	int i;

	for (i = 0; i < 3; i++) {
		ev = ev_at(dir, i ? 0 : type, src, dst, seq, t + i * 1000);
		ev.frag_off = offs[i];
		ev.ip_id = 4000 + seq;
		ev.tot_len = i == 2 ? 68 : 1500;
		ev.has_icmp = !i;
		if (i)
			ev.icmp_id = ev.icmp_seq = 0;
		add_record(&cpus[cpu], &ev);
	}
}

static void scenario(void)
{
	struct pt_event ev;

	echo(1, 1 * SEC, 20000, 30000, 50000);		/* ok, four points */
	echo(2, 2 * SEC, 30000, 45000, 70000);		/* ok */
	echo(3, 3 * SEC, 0, 0, 0);			/* lost */
	echo(4, 4 * SEC, 0, 0, 60000);			/* ok, then a dup */
	ev = ev_at(PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 4, 4 * SEC + 90000);
	add_record(&cpus[0], &ev);
	ev = ev_at(PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 99, 5 * SEC);
	add_record(&cpus[0], &ev);			/* unmatched */

	/* seq 5: -s 3000, fragmented on the wire both ways */
	ev = ev_at(PT_DIR_SEND, PT_ICMP_ECHO, A, B, 5, 6 * SEC);
	ev.tot_len = 3028;
	add_record(&cpus[0], &ev);
	fragments(1, PT_DIR_RECV, PT_ICMP_ECHO, A, B, 5, 6 * SEC + 10000);
	ev = ev_at(PT_DIR_SEND, PT_ICMP_ECHOREPLY, B, A, 5, 6 * SEC + 20000);
	ev.tot_len = 3028;
	add_record(&cpus[1], &ev);
	fragments(0, PT_DIR_RECV, PT_ICMP_ECHOREPLY, B, A, 5, 6 * SEC + 30000);

	/* another target, answered */
	ev = ev_at(PT_DIR_SEND, PT_ICMP_ECHO, A, C, 1, 7 * SEC);
	add_record(&cpus[0], &ev);
	ev = ev_at(PT_DIR_RECV, PT_ICMP_ECHOREPLY, C, A, 1, 7 * SEC + 40000);
	add_record(&cpus[0], &ev);

	/* seq 7 outstanding when the ring buffer drops 7 events */
	echo(7, 8 * SEC, 0, 0, 0);
	flush_page(&cpus[0], 0);
	echo(8, 9 * SEC, 0, 0, 0);
	flush_page(&cpus[0], 7);
	flush_page(&cpus[1], 0);
}

/*
 * A flood of @n echoes, one every 10 to 40 us, each answered: what
 * bench-record.sh records in the guest, for a machine without the VM
 */
static void flood(unsigned long n)
{
	uint64_t t = SEC;
	unsigned long i;

	for (i = 0; i < n; i++) {
		echo((uint16_t)(i + 1), t, 3000 + i % 7 * 100,
		     5000 + i % 5 * 100, 9000 + i % 11 * 100);
		t += 10000 + i % 31 * 1000;
	}
	flush_page(&cpus[0], 0);
	flush_page(&cpus[1], 0);
}

static int usage(void)
{
	fprintf(stderr, "usage: gen-trace format | cpus PREFIX [BASE_NS] | "
		"flood PREFIX N\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *layout = getenv("GEN_TRACE_LAYOUT");
	char name[4096];
	int i;

	if (layout && !strcmp(layout, "v2")) {
		record_size = 80;
	} else if (layout && *layout) {
		fprintf(stderr, "gen-trace: GEN_TRACE_LAYOUT=%s: only v2\n",
			layout);
		return 2;
	}
	if (argc == 2 && !strcmp(argv[1], "format")) {
		if (print_format())
			return 1;
		return fflush(stdout) ? 1 : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "flood"))
		;
	else if ((argc != 3 && argc != 4) || strcmp(argv[1], "cpus"))
		return usage();
	else if (argc == 4)
		base_ns = strtoull(argv[3], NULL, 0);
	for (i = 0; i < NR_CPUS; i++) {
		snprintf(name, sizeof(name), "%s.cpu%d", argv[2], i);
		cpus[i].fp = fopen(name, "w");
		if (!cpus[i].fp) {
			perror(name);
			return 1;
		}
	}
	if (!strcmp(argv[1], "flood"))
		flood(strtoul(argv[3], NULL, 0));
	else
		scenario();
	for (i = 0; i < NR_CPUS; i++)
		if (fclose(cpus[i].fp))
			return 1;
	return 0;
}
