// SPDX-License-Identifier: GPL-2.0
/*
 * pt-craft - inject hostile IPv4 frames into one end of a veth pair
 *
 * Each case builds one or more Ethernet frames by hand and sends them
 * through an AF_PACKET socket on IFACE, so that the peer device receives
 * them and runs them through ip_rcv_core().  For each case one JSON line
 * on stdout says what was sent and what the net:ip_icmp event must
 * record on the receiving side: whether it fires, and for each frame
 * that passes ip_rcv_core() the tot_len, frag_off, has_icmp and, only
 * when has_icmp is 1, the ICMP type, code, id and seq (id and seq only
 * for the types with an echo identity) and, for an ICMP error, what it
 * quotes (has_orig and the orig_* fields).  Every case has
 * its own IP id (ID_BASE + the case's index), which is how a checker
 * joins the events of a trace to the cases.
 *
 * With -6 the frames are IPv6, for net:ip6_icmp in ip6_rcv_core():
 * extension header chains (long, cut short, looping, past the end),
 * fragments, truncated ICMPv6 and malformed ICMPv6 errors.  There the
 * key is the flow label (ID_BASE + the case's index), and what the event
 * must record comes from a model of its documented rules (model6()),
 * checked against what each case's author says of has_icmp and whether
 * it fires.
 *
 * Build: gcc -static -O2 -Wall -Wextra -o pt-craft pt-craft.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define FRAME_MAX	8192
#define MAX_EVENTS	8
#define ETH_HLEN_	14
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff
#define ICMP_ECHOREPLY	0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT	5
#define ICMP_ECHO	8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12
#define ICMP_TIMESTAMP	13
#define ICMP_INFO_REQUEST 15
#define ICMP_ADDRESS	17
#define ICMP_EXT_ECHO	42
#define ECHO_ID		0xc0de
#define QUOTED_ID	0xbeef
/* ip_rcv_core() sees this much of a frame from AF_PACKET as paged data */
#define NONLINEAR_LEN	6000

/* What the event must say about one received frame */
struct expect {
	uint16_t tot_len;
	uint16_t frag_off;
	int has_icmp;
	uint8_t type;
	uint8_t code;
	uint16_t id;
	uint16_t seq;
	uint16_t mtu;		/* of fragmentation needed, else 0 */
	int has_orig;
	uint8_t orig_saddr[4];
	uint8_t orig_daddr[4];
	uint8_t orig_proto;
	uint16_t orig_id;
	uint16_t orig_seq;
};

struct frame {
	uint8_t b[FRAME_MAX];
	size_t len;
};

struct craft {
	int fd;
	int ifindex;
	unsigned int mtu;
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	struct in_addr saddr;
	struct in_addr daddr;
	uint8_t saddr6[16];
	uint8_t daddr6[16];
	unsigned int gap_us;
	/* the case being crafted */
	uint16_t ip_id;
	uint32_t flow;		/* -6: the IPv6 flow label, the case's key */
	unsigned int frames;
	unsigned int bytes;
	struct expect ev[MAX_EVENTS];
	unsigned int nev;
	int send_errno;
};

struct pt_case {
	const char *name;
	void (*fn)(struct craft *c);
	const char *what;
};

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint8_t *ip_of(struct frame *f)
{
	return f->b + ETH_HLEN_;
}

static unsigned int ihl_of(struct frame *f)
{
	return (ip_of(f)[0] & 0x0f) * 4;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Checksum the first hlen bytes of the IP header, as ip_fast_csum does */
static void ip_csum(struct frame *f, size_t hlen)
{
	uint8_t *ip = ip_of(f);

	put16(ip + 10, 0);
	put16(ip + 10, csum(ip, hlen));
}

static void set_tot_len(struct frame *f, uint16_t tot_len)
{
	put16(ip_of(f) + 2, tot_len);
	ip_csum(f, ihl_of(f));
}

/*
 * A well-formed frame: Ethernet header, an IPv4 header of ihl words
 * (options are NOPs ended by EOL) with a valid checksum, then data.
 */
static void frame_ip(struct craft *c, struct frame *f, uint8_t proto,
		     unsigned int ihl, uint16_t frag_off,
		     const void *data, size_t len)
{
	size_t hlen = ihl * 4;
	uint8_t *ip = ip_of(f);

	memset(f->b, 0, sizeof(f->b));
	memcpy(f->b, c->dst_mac, 6);
	memcpy(f->b + 6, c->src_mac, 6);
	put16(f->b + 12, ETH_P_IP);
	ip[0] = 0x40 | ihl;
	put16(ip + 2, (uint16_t)(hlen + len));
	put16(ip + 4, c->ip_id);
	put16(ip + 6, frag_off);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, &c->saddr, 4);
	memcpy(ip + 16, &c->daddr, 4);
	if (hlen > 20) {
		memset(ip + 20, 1, hlen - 20);	/* IPOPT_NOOP */
		ip[hlen - 1] = 0;		/* IPOPT_END */
	}
	memcpy(ip + hlen, data, len);
	f->len = ETH_HLEN_ + hlen + len;
	ip_csum(f, hlen);
}

/* An ICMP echo request of len bytes (header included) into buf */
static size_t echo(uint8_t *buf, size_t len, uint16_t id, uint16_t seq)
{
	size_t i;

	memset(buf, 0, len);
	buf[0] = ICMP_ECHO;
	put16(buf + 4, id);
	put16(buf + 6, seq);
	for (i = 8; i < len; i++)
		buf[i] = (uint8_t)i;
	put16(buf + 2, csum(buf, len));
	return len;
}

/* Frame with a whole echo request of len bytes, checksums valid */
static void frame_echo(struct craft *c, struct frame *f, unsigned int ihl,
		       uint16_t frag_off, size_t len)
{
	uint8_t icmp[FRAME_MAX];

	echo(icmp, len, ECHO_ID, c->ip_id);
	frame_ip(c, f, IPPROTO_ICMP, ihl, frag_off, icmp, len);
}

static void send_frame(struct craft *c, const struct frame *f)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = c->ifindex,
		.sll_halen = 6,
	};

	memcpy(sll.sll_addr, c->dst_mac, 6);
	if (sendto(c->fd, f->b, f->len, 0, (struct sockaddr *)&sll,
		   sizeof(sll)) != (ssize_t)f->len) {
		if (!c->send_errno)
			c->send_errno = errno;
		return;
	}
	c->frames++;
	c->bytes += f->len;
	if (c->gap_us)
		usleep(c->gap_us);
}

/* The types whose second word is an echo identifier and sequence */
static int has_echo_id(uint8_t type)
{
	switch (type) {
	case 0: case 8: case 13: case 14: case 15: case 16: case 42: case 43:
		return 1;
	}
	return 0;
}

/* The ICMP errors, which quote the datagram that caused them */
static int is_error(uint8_t type)
{
	switch (type) {
	case 3: case 4: case 5: case 11: case 12:
		return 1;
	}
	return 0;
}

/*
 * What the event must say of the datagram that an error quotes at q,
 * where avail bytes of the packet (as tot_len trims it) are left: the
 * quoted header needs its 20 bytes, version 4 and an IHL of 5 or more;
 * its echo identity needs a quoted echo request, not a non-first
 * fragment, whose 8 header bytes are all there behind the quoted IHL.
 */
static void expect_orig(struct expect *e, const uint8_t *q, long avail)
{
	unsigned int qihl;

	if (avail < 20 || (q[0] >> 4) != 4 || (q[0] & 0x0f) < 5)
		return;
	qihl = (q[0] & 0x0f) * 4;
	e->has_orig = 1;
	memcpy(e->orig_saddr, q + 12, 4);
	memcpy(e->orig_daddr, q + 16, 4);
	e->orig_proto = q[9];
	if (q[9] != IPPROTO_ICMP || (get16(q + 6) & IP_OFFMASK) ||
	    avail < (long)qihl + 8 || q[qihl] != ICMP_ECHO)
		return;
	e->orig_id = get16(q + qihl + 4);
	e->orig_seq = get16(q + qihl + 6);
}

/*
 * Send a frame that ip_rcv_core() accepts: the event must fire once,
 * with the ICMP header at ihl*4 when has_icmp is 1.
 */
static void pass(struct craft *c, struct frame *f, int has_icmp)
{
	const uint8_t *ip = ip_of(f);
	struct expect *e = &c->ev[c->nev++];

	memset(e, 0, sizeof(*e));
	e->tot_len = get16(ip + 2);
	e->frag_off = get16(ip + 6);
	e->has_icmp = has_icmp;
	if (has_icmp) {
		const uint8_t *icmp = ip + ihl_of(f);

		e->type = icmp[0];
		e->code = icmp[1];
		if (has_echo_id(e->type)) {
			e->id = get16(icmp + 4);
			e->seq = get16(icmp + 6);
		}
		if (e->type == ICMP_DEST_UNREACH && e->code == 4)
			e->mtu = get16(icmp + 6);
		if (is_error(e->type))
			expect_orig(e, icmp + 8,
				    (long)e->tot_len - ihl_of(f) - 8);
	}
	send_frame(c, f);
}

/* Send a frame that ip_rcv_core() must drop before the event */
static void drop(struct craft *c, struct frame *f)
{
	send_frame(c, f);
}

/* ---- the cases ------------------------------------------------------ */

static void case_echo(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	pass(c, &f, 1);
}

static void ihl_below(struct craft *c, unsigned int ihl)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	ip_of(&f)[0] = 0x40 | ihl;
	ip_csum(&f, 20);
	drop(c, &f);
}

static void case_ihl_0(struct craft *c)
{
	ihl_below(c, 0);
}

static void case_ihl_4(struct craft *c)
{
	ihl_below(c, 4);
}

static void case_version_6(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	ip_of(&f)[0] = 0x65;
	ip_csum(&f, 20);
	drop(c, &f);
}

/* IHL 15 says 60 header bytes; the frame holds 20 + 8 */
static void case_ihl_beyond_frame(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 8);
	ip_of(&f)[0] = 0x4f;
	ip_csum(&f, 28);
	drop(c, &f);
}

/* IHL 15 with a valid checksum, but tot_len 40 is below ihl*4 */
static void case_ihl_beyond_totlen(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 15, 0, 8);
	set_tot_len(&f, 40);
	drop(c, &f);
}

/* 40 bytes of options (NOP padding, EOL): the ICMP header is at 60 */
static void case_options_ihl15(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 15, 0, 24);
	pass(c, &f, 1);
}

/* Router Alert (RFC 2113), a real option ip_rcv_finish() parses later */
static void case_options_ra(struct craft *c)
{
	struct frame f;
	uint8_t *ip;

	frame_echo(c, &f, 6, 0, 24);
	ip = ip_of(&f);
	ip[20] = 0x94;
	ip[21] = 4;
	ip[22] = 0;
	ip[23] = 0;
	ip_csum(&f, 24);
	pass(c, &f, 1);
}

/* IHL 15 and only 7 bytes after the options: no ICMP header */
static void case_options_icmp_trunc(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 15, 0, 64);
	set_tot_len(&f, 60 + 7);
	f.len = ETH_HLEN_ + 67;
	pass(c, &f, 0);
}

/*
 * tot_len 24 in a frame that carries a whole echo request: the stack
 * trims the frame to 24 bytes, so the header behind it must not be read.
 */
static void case_totlen_short(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	set_tot_len(&f, 24);
	pass(c, &f, 0);
}

/* tot_len 28 in an 84-byte frame: the ICMP header is just inside */
static void case_totlen_short_icmp(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	set_tot_len(&f, 28);
	pass(c, &f, 1);
}

static void case_totlen_long(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	set_tot_len(&f, 1000);
	drop(c, &f);
}

static void case_totlen_below_ihl(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	set_tot_len(&f, 19);
	drop(c, &f);
}

static void case_totlen_zero(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	set_tot_len(&f, 0);
	drop(c, &f);
}

static void icmp_trunc(struct craft *c, size_t n)
{
	uint8_t icmp[64];
	struct frame f;

	echo(icmp, sizeof(icmp), ECHO_ID, c->ip_id);
	frame_ip(c, &f, IPPROTO_ICMP, 5, 0, icmp, n);
	pass(c, &f, 0);
}

#define ICMP_TRUNC(n)					\
static void case_icmp_trunc_##n(struct craft *c)	\
{							\
	icmp_trunc(c, n);				\
}
ICMP_TRUNC(0)
ICMP_TRUNC(1)
ICMP_TRUNC(2)
ICMP_TRUNC(3)
ICMP_TRUNC(4)
ICMP_TRUNC(5)
ICMP_TRUNC(6)
ICMP_TRUNC(7)

/* Exactly the 8-byte ICMP header and nothing after it */
static void case_icmp_hdr_only(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 8);
	pass(c, &f, 1);
}

/*
 * Protocol 1, tot_len 20, and the frame padded to Ethernet's 60 bytes
 * with what looks like an echo header: the padding is not the packet.
 */
static void case_zero_payload(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 26);
	set_tot_len(&f, 20);
	pass(c, &f, 0);
}

/* A middle fragment whose data looks like an echo header */
static void case_frag_nonfirst(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, IP_MF | 8, 64);
	pass(c, &f, 0);
}

static void case_frag_last(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 185, 64);
	pass(c, &f, 0);
}

/* The largest offset: the datagram would end past 65535 */
static void case_frag_offset_max(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, IP_MF | IP_OFFMASK, 16);
	pass(c, &f, 0);
}

/* A first fragment too short to hold the ICMP header */
static void case_frag_first_trunc(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, IP_MF, 64);
	set_tot_len(&f, 24);
	f.len = ETH_HLEN_ + 24;
	pass(c, &f, 0);
}

/*
 * Four fragments of one datagram that overlap: a first fragment, one at
 * byte 8 that overlaps it, a second first fragment with another echo id,
 * and a last one at byte 16.  Each is seen on its own before reassembly.
 */
static void case_frag_overlap(struct craft *c)
{
	uint8_t icmp[32];
	struct frame f;

	echo(icmp, sizeof(icmp), ECHO_ID, c->ip_id);
	frame_ip(c, &f, IPPROTO_ICMP, 5, IP_MF, icmp, 24);
	pass(c, &f, 1);
	frame_ip(c, &f, IPPROTO_ICMP, 5, IP_MF | 1, icmp, 24);
	pass(c, &f, 0);
	echo(icmp, sizeof(icmp), ECHO_ID + 1, c->ip_id);
	frame_ip(c, &f, IPPROTO_ICMP, 5, IP_MF, icmp, 16);
	pass(c, &f, 1);
	frame_ip(c, &f, IPPROTO_ICMP, 5, 2, icmp + 16, 16);
	pass(c, &f, 0);
}

/* Protocol 1 with pseudo-random bytes: read as they are, nothing more */
static void case_garbage(struct craft *c)
{
	uint32_t x = 0x9e3779b9u ^ c->ip_id;
	uint8_t junk[40];
	struct frame f;
	size_t i;

	for (i = 0; i < sizeof(junk); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (uint8_t)x;
	}
	junk[0] |= 0x80;	/* no ICMP type the stack answers */
	frame_ip(c, &f, IPPROTO_ICMP, 5, 0, junk, sizeof(junk));
	pass(c, &f, 1);
}

static void case_bad_csum(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, 64);
	ip_of(&f)[10] ^= 0x5a;
	drop(c, &f);
}

static void other_proto(struct craft *c, uint8_t proto)
{
	uint8_t icmp[64];
	struct frame f;

	echo(icmp, sizeof(icmp), ECHO_ID, c->ip_id);
	frame_ip(c, &f, proto, 5, 0, icmp, sizeof(icmp));
	drop(c, &f);
}

static void case_proto_tcp(struct craft *c)
{
	other_proto(c, IPPROTO_TCP);
}

static void case_proto_udp(struct craft *c)
{
	other_proto(c, IPPROTO_UDP);
}

static void case_proto_gre(struct craft *c)
{
	other_proto(c, IPPROTO_GRE);
}

static void case_proto_icmpv6(struct craft *c)
{
	other_proto(c, IPPROTO_ICMPV6);
}

/*
 * Frames of a page or more leave AF_PACKET with only the Ethernet
 * header in the skb's head: the IP and ICMP headers sit in page
 * fragments, so skb_header_pointer() must copy them out.
 */
static void case_nonlinear_echo(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, NONLINEAR_LEN - 20);
	pass(c, &f, 1);
}

static void case_nonlinear_trunc(struct craft *c)
{
	struct frame f;

	frame_echo(c, &f, 5, 0, NONLINEAR_LEN - 20);
	set_tot_len(&f, 20 + 7);
	pass(c, &f, 0);
}

/* ---- ICMP errors and what they quote -------------------------------- */

/* Somewhere behind b: the destination of the datagrams b's errors quote */
#define QUOTED_DADDR	"\xcb\x00\x71\x09"	/* 203.0.113.9 */

/*
 * The datagram an error quotes, into q: an IPv4 header of ihl words
 * (options NOPs) from the crafter's daddr (b sent it) to 203.0.113.9,
 * then the payload.  Returns its length.
 */
static size_t quote(struct craft *c, uint8_t *q, unsigned int ihl,
		    uint8_t proto, uint16_t frag_off, const void *payload,
		    size_t plen)
{
	size_t hlen = ihl * 4;

	memset(q, 0, hlen);
	q[0] = 0x40 | ihl;
	put16(q + 2, (uint16_t)(hlen + 56));	/* the datagram was longer */
	put16(q + 4, 0x1234);
	put16(q + 6, frag_off);
	q[8] = 1;
	q[9] = proto;
	memcpy(q + 12, &c->daddr, 4);
	memcpy(q + 16, QUOTED_DADDR, 4);
	if (hlen > 20)
		memset(q + 20, 1, hlen - 20);
	put16(q + 10, csum(q, hlen));
	memcpy(q + hlen, payload, plen);
	return hlen + plen;
}

/* A quoted echo request: header, identifier, sequence, 8 bytes of data */
static size_t quoted_echo(uint8_t *buf)
{
	return echo(buf, 16, QUOTED_ID, 7);
}

/* An ICMP error frame of type/code and second word word, quoting q */
static void frame_error(struct craft *c, struct frame *f, uint8_t type,
			uint8_t code, uint32_t word, const uint8_t *q,
			size_t qlen)
{
	uint8_t icmp[FRAME_MAX];

	memset(icmp, 0, 8);
	icmp[0] = type;
	icmp[1] = code;
	put16(icmp + 4, (uint16_t)(word >> 16));
	put16(icmp + 6, (uint16_t)word);
	memcpy(icmp + 8, q, qlen);
	put16(icmp + 2, csum(icmp, 8 + qlen));
	frame_ip(c, f, IPPROTO_ICMP, 5, 0, icmp, 8 + qlen);
}

/* An error quoting a whole echo request (20 + 16 bytes) */
static void error_of_echo(struct craft *c, uint8_t type, uint8_t code,
			  uint32_t word)
{
	uint8_t e[16], q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_ICMP, 0, e, quoted_echo(e));
	frame_error(c, &f, type, code, word, q, n);
	pass(c, &f, 1);
}

static void case_err_ttl_echo(struct craft *c)
{
	error_of_echo(c, ICMP_TIME_EXCEEDED, 0, 0);
}

/* Fragmentation needed: the second word is the MTU, not an echo id */
static void case_err_fragneeded(struct craft *c)
{
	error_of_echo(c, ICMP_DEST_UNREACH, 4, 1280);
}

static void case_err_param_problem(struct craft *c)
{
	error_of_echo(c, ICMP_PARAMETERPROB, 0, 20u << 24);
}

/* A redirect's second word is a gateway address */
static void case_err_redirect(struct craft *c)
{
	error_of_echo(c, ICMP_REDIRECT, 1, 0xc6336401);
}

static void case_err_source_quench(struct craft *c)
{
	error_of_echo(c, ICMP_SOURCE_QUENCH, 0, 0);
}

/* Port unreachable for a UDP datagram: orig_protocol 17, no echo id */
static void case_err_udp(struct craft *c)
{
	static const uint8_t udp[8] = { 0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0 };
	uint8_t q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_UDP, 0, udp, sizeof(udp));
	frame_error(c, &f, ICMP_DEST_UNREACH, 3, 0, q, n);
	pass(c, &f, 1);
}

/* The quote is cut to qlen bytes of an echo request's datagram */
static void error_cut(struct craft *c, size_t qlen)
{
	uint8_t e[16], q[64];
	struct frame f;

	quote(c, q, 5, IPPROTO_ICMP, 0, e, quoted_echo(e));
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 0, 0, q, qlen);
	pass(c, &f, 1);
}

/* 12 bytes: not even the quoted addresses: has_orig 0 */
static void case_err_quote_cut_12(struct craft *c)
{
	error_cut(c, 12);
}

/* The 20-byte quoted header and nothing of its payload */
static void case_err_quote_hdr_only(struct craft *c)
{
	error_cut(c, 20);
}

/* The quoted header and 4 bytes of its ICMP header: no echo identity */
static void case_err_quote_icmp_cut(struct craft *c)
{
	error_cut(c, 24);
}

/* A quoted header with version or IHL wrong */
static void error_bad_quote(struct craft *c, uint8_t first_byte)
{
	uint8_t e[16], q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_ICMP, 0, e, quoted_echo(e));
	q[0] = first_byte;
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 0, 0, q, n);
	pass(c, &f, 1);
}

static void case_err_quote_ihl_0(struct craft *c)
{
	error_bad_quote(c, 0x40);
}

static void case_err_quote_ihl_4(struct craft *c)
{
	error_bad_quote(c, 0x44);
}

static void case_err_quote_version_6(struct craft *c)
{
	error_bad_quote(c, 0x65);
}

/* Quoted IHL 15 in a 36-byte quote: the echo header would be past it */
static void case_err_quote_ihl_15(struct craft *c)
{
	error_bad_quote(c, 0x4f);
}

/* A quoted header with 8 bytes of options: the echo is read at 28 */
static void case_err_quote_options(struct craft *c)
{
	uint8_t e[16], q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 7, IPPROTO_ICMP, 0, e, quoted_echo(e));
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 0, 0, q, n);
	pass(c, &f, 1);
}

/* The quote of a non-first fragment whose data looks like an echo */
static void case_err_quote_frag(struct craft *c)
{
	uint8_t e[16], q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_ICMP, IP_MF | 185, e, quoted_echo(e));
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 1, 0, q, n);
	pass(c, &f, 1);
}

/* The quote of a first fragment: its echo header is there */
static void case_err_quote_first_frag(struct craft *c)
{
	uint8_t e[16], q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_ICMP, IP_MF, e, quoted_echo(e));
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 1, 0, q, n);
	pass(c, &f, 1);
}

/* Time exceeded quoting a destination unreachable that quotes an echo */
static void case_err_nested(struct craft *c)
{
	uint8_t e[16], q[64], inner[128], q2[192];
	size_t n;
	struct frame f;

	n = quote(c, q, 5, IPPROTO_ICMP, 0, e, quoted_echo(e));
	memset(inner, 0, 8);
	inner[0] = ICMP_DEST_UNREACH;
	inner[1] = 1;
	memcpy(inner + 8, q, n);
	put16(inner + 2, csum(inner, 8 + n));
	n = quote(c, q2, 5, IPPROTO_ICMP, 0, inner, 8 + n);
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 0, 0, q2, n);
	pass(c, &f, 1);
}

/*
 * tot_len ends the packet after 12 bytes of quote; the frame goes on
 * with the rest of it: the stack trims it, and the event must not read
 * the quote behind tot_len.
 */
static void case_err_totlen_cut(struct craft *c)
{
	uint8_t e[16], q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_ICMP, 0, e, quoted_echo(e));
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 0, 0, q, n);
	set_tot_len(&f, 20 + 8 + 12);
	pass(c, &f, 1);
}

/* An error that is a non-first fragment: no ICMP header, no quote */
static void case_err_in_fragment(struct craft *c)
{
	uint8_t e[16], q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_ICMP, 0, e, quoted_echo(e));
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 0, 0, q, n);
	put16(ip_of(&f) + 6, 3);
	ip_csum(&f, 20);
	pass(c, &f, 0);
}

/* An error in a 6000-byte frame: the quote is read from page fragments */
static void case_err_nonlinear(struct craft *c)
{
	uint8_t e[16], q[NONLINEAR_LEN];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_ICMP, 0, e, quoted_echo(e));
	memset(q + n, 0xa5, NONLINEAR_LEN - 20 - 8 - n);
	frame_error(c, &f, ICMP_TIME_EXCEEDED, 0, 0, q,
		    NONLINEAR_LEN - 20 - 8);
	pass(c, &f, 1);
}

/* No error, but its data looks like a quote: has_orig 0 */
static void case_reply_like_quote(struct craft *c)
{
	uint8_t e[16], q[64];
	struct frame f;
	size_t n;

	n = quote(c, q, 5, IPPROTO_ICMP, 0, e, quoted_echo(e));
	frame_error(c, &f, ICMP_ECHOREPLY, 0, ECHO_ID << 16 | 5, q, n);
	pass(c, &f, 1);
}

/* A message of type with second word word and 12 bytes of data */
static void other_type(struct craft *c, uint8_t type, uint32_t word)
{
	uint8_t data[12] = { 0 };
	struct frame f;

	frame_error(c, &f, type, 0, word, data, sizeof(data));
	pass(c, &f, 1);
}

static void case_type_timestamp(struct craft *c)
{
	other_type(c, ICMP_TIMESTAMP, ECHO_ID << 16 | 13);
}

static void case_type_info_request(struct craft *c)
{
	other_type(c, ICMP_INFO_REQUEST, ECHO_ID << 16 | 15);
}

static void case_type_ext_echo(struct craft *c)
{
	other_type(c, ICMP_EXT_ECHO, ECHO_ID << 16 | 42);
}

/* Address mask request: not among the echo identities the event knows */
static void case_type_address_mask(struct craft *c)
{
	other_type(c, ICMP_ADDRESS, ECHO_ID << 16 | 17);
}

static const struct pt_case cases[] = {
	{ "echo", case_echo, "a valid echo request (baseline)" },
	{ "ihl-0", case_ihl_0, "IHL 0: dropped" },
	{ "ihl-4", case_ihl_4, "IHL 4: dropped" },
	{ "version-6", case_version_6, "version 6 in an IPv4 frame: dropped" },
	{ "ihl-beyond-frame", case_ihl_beyond_frame,
	  "IHL 15 in a 28-byte packet: dropped" },
	{ "ihl-beyond-totlen", case_ihl_beyond_totlen,
	  "IHL 15 with tot_len 40: dropped" },
	{ "options-ihl15", case_options_ihl15,
	  "IHL 15, NOP options: ICMP read at offset 60" },
	{ "options-ra", case_options_ra, "IHL 6, router alert option" },
	{ "options-icmp-trunc", case_options_icmp_trunc,
	  "IHL 15 and 7 bytes of ICMP: has_icmp 0" },
	{ "totlen-short", case_totlen_short,
	  "tot_len 24 in an 84-byte frame: trimmed, has_icmp 0" },
	{ "totlen-short-icmp", case_totlen_short_icmp,
	  "tot_len 28 in an 84-byte frame: has_icmp 1" },
	{ "totlen-long", case_totlen_long, "tot_len 1000 in 84 bytes: dropped" },
	{ "totlen-below-ihl", case_totlen_below_ihl, "tot_len 19: dropped" },
	{ "totlen-zero", case_totlen_zero, "tot_len 0: dropped" },
	{ "icmp-trunc-0", case_icmp_trunc_0, "0 bytes of ICMP" },
	{ "icmp-trunc-1", case_icmp_trunc_1, "1 byte of ICMP" },
	{ "icmp-trunc-2", case_icmp_trunc_2, "2 bytes of ICMP" },
	{ "icmp-trunc-3", case_icmp_trunc_3, "3 bytes of ICMP" },
	{ "icmp-trunc-4", case_icmp_trunc_4, "4 bytes of ICMP" },
	{ "icmp-trunc-5", case_icmp_trunc_5, "5 bytes of ICMP" },
	{ "icmp-trunc-6", case_icmp_trunc_6, "6 bytes of ICMP" },
	{ "icmp-trunc-7", case_icmp_trunc_7, "7 bytes of ICMP" },
	{ "icmp-hdr-only", case_icmp_hdr_only, "exactly 8 bytes of ICMP" },
	{ "zero-payload", case_zero_payload,
	  "tot_len 20, padded frame: has_icmp 0" },
	{ "frag-nonfirst", case_frag_nonfirst, "a middle fragment" },
	{ "frag-last", case_frag_last, "a last fragment" },
	{ "frag-offset-max", case_frag_offset_max, "fragment offset 0x1fff" },
	{ "frag-first-trunc", case_frag_first_trunc,
	  "a first fragment with 4 bytes of ICMP" },
	{ "frag-overlap", case_frag_overlap, "four overlapping fragments" },
	{ "garbage", case_garbage, "protocol 1 with random bytes" },
	{ "bad-csum", case_bad_csum, "an echo with a bad IP checksum: dropped" },
	{ "proto-tcp", case_proto_tcp, "protocol 6: no event" },
	{ "proto-udp", case_proto_udp, "protocol 17: no event" },
	{ "proto-gre", case_proto_gre, "protocol 47: no event" },
	{ "proto-icmpv6", case_proto_icmpv6, "protocol 58: no event" },
	{ "nonlinear-echo", case_nonlinear_echo,
	  "a 6000-byte echo in page fragments (MTU >= 6000)" },
	{ "nonlinear-trunc", case_nonlinear_trunc,
	  "a 6000-byte frame trimmed to tot_len 27 (MTU >= 6000)" },
	{ "err-ttl-echo", case_err_ttl_echo,
	  "time exceeded quoting an echo request: orig_* all set" },
	{ "err-fragneeded", case_err_fragneeded,
	  "fragmentation needed, MTU 1280: id and seq 0" },
	{ "err-param-problem", case_err_param_problem,
	  "parameter problem quoting an echo request" },
	{ "err-redirect", case_err_redirect,
	  "redirect (a gateway in the second word) quoting an echo" },
	{ "err-source-quench", case_err_source_quench,
	  "source quench quoting an echo request" },
	{ "err-udp", case_err_udp, "port unreachable quoting UDP" },
	{ "err-quote-cut-12", case_err_quote_cut_12,
	  "a quote of 12 bytes: has_orig 0" },
	{ "err-quote-hdr-only", case_err_quote_hdr_only,
	  "a quote of the 20-byte header only: no orig id" },
	{ "err-quote-icmp-cut", case_err_quote_icmp_cut,
	  "a quote cut 4 bytes into the ICMP header" },
	{ "err-quote-ihl-0", case_err_quote_ihl_0, "quoted IHL 0: has_orig 0" },
	{ "err-quote-ihl-4", case_err_quote_ihl_4, "quoted IHL 4: has_orig 0" },
	{ "err-quote-version-6", case_err_quote_version_6,
	  "quoted version 6: has_orig 0" },
	{ "err-quote-ihl-15", case_err_quote_ihl_15,
	  "quoted IHL 15 past the end of the quote" },
	{ "err-quote-options", case_err_quote_options,
	  "quoted IHL 7 (options): the echo read at 28" },
	{ "err-quote-frag", case_err_quote_frag,
	  "a quote of a non-first fragment: no orig id" },
	{ "err-quote-first-frag", case_err_quote_first_frag,
	  "a quote of a first fragment: orig id read" },
	{ "err-nested", case_err_nested,
	  "time exceeded quoting a destination unreachable" },
	{ "err-totlen-cut", case_err_totlen_cut,
	  "tot_len cuts the quote at 12 bytes, the frame goes on" },
	{ "err-in-fragment", case_err_in_fragment,
	  "an error as a non-first fragment: no header, no quote" },
	{ "err-nonlinear", case_err_nonlinear,
	  "an error of 6000 bytes, quote in page fragments" },
	{ "reply-like-quote", case_reply_like_quote,
	  "an echo reply whose data looks like a quote: has_orig 0" },
	{ "type-timestamp", case_type_timestamp, "timestamp: id and seq" },
	{ "type-info-request", case_type_info_request,
	  "information request: id and seq" },
	{ "type-ext-echo", case_type_ext_echo,
	  "extended echo request (42): id and seq" },
	{ "type-address-mask", case_type_address_mask,
	  "address mask request (17): id and seq 0" },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* ---- output --------------------------------------------------------- */

static void print_case(const struct craft *c, const struct pt_case *pc)
{
	char sa[INET_ADDRSTRLEN], da[INET_ADDRSTRLEN];
	unsigned int i;

	inet_ntop(AF_INET, &c->saddr, sa, sizeof(sa));
	inet_ntop(AF_INET, &c->daddr, da, sizeof(da));
	printf("{\"case\":\"%s\",\"ip_id\":%u,\"saddr\":\"%s\",\"daddr\":\"%s\","
	       "\"frames\":%u,\"bytes\":%u,\"fires\":%s,\"events\":[",
	       pc->name, c->ip_id, sa, da, c->frames, c->bytes,
	       c->nev ? "true" : "false");
	for (i = 0; i < c->nev; i++) {
		const struct expect *e = &c->ev[i];

		printf("%s{\"tot_len\":%u,\"frag_off\":%u,\"has_icmp\":%d,"
		       "\"type\":%u,\"code\":%u,\"id\":%u,\"seq\":%u,"
		       "\"mtu\":%u,\"has_orig\":%d,"
		       "\"orig_saddr\":\"%u.%u.%u.%u\","
		       "\"orig_daddr\":\"%u.%u.%u.%u\",\"orig_proto\":%u,"
		       "\"orig_id\":%u,\"orig_seq\":%u}",
		       i ? "," : "", e->tot_len, e->frag_off, e->has_icmp,
		       e->type, e->code, e->id, e->seq, e->mtu, e->has_orig,
		       e->orig_saddr[0], e->orig_saddr[1], e->orig_saddr[2],
		       e->orig_saddr[3], e->orig_daddr[0], e->orig_daddr[1],
		       e->orig_daddr[2], e->orig_daddr[3], e->orig_proto,
		       e->orig_id, e->orig_seq);
	}
	printf("]");
	if (c->send_errno)
		printf(",\"error\":\"%s\"", strerror(c->send_errno));
	printf("}\n");
	fflush(stdout);
}

static int run_case(struct craft *c, unsigned int idx, unsigned int base)
{
	const struct pt_case *pc = &cases[idx];

	c->ip_id = (uint16_t)(base + idx);
	c->frames = 0;
	c->bytes = 0;
	c->nev = 0;
	c->send_errno = 0;
	pc->fn(c);
	print_case(c, pc);
	if (c->send_errno) {
		fprintf(stderr, "pt-craft: %s: cannot send: %s\n", pc->name,
			strerror(c->send_errno));
		return -1;
	}
	return 0;
}

/* ---- IPv6 (-6): net:ip6_icmp in ip6_rcv_core() ----------------------- */

#define ETH_P_IPV6_	0x86dd
#define NH_HOP		0
#define NH_UDP		17
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_ESP		50
#define NH_AUTH		51
#define NH_ICMPV6	58
#define NH_NONE		59
#define NH_DEST		60
#define ICMP6_DEST_UNREACH 1
#define ICMP6_PKT_TOOBIG 2
#define ICMP6_TIME_EXCEED 3
#define ICMP6_PARAMPROB	4
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ICMP6_NS	135
/* the extension headers the event follows: IP6_ICMP_MAX_EXTHDRS */
#define MAX_EXTHDRS	8
#define IP6_OFFMASK	0xfff8
#define IP6_MF		0x0001

/* What net:ip6_icmp must say about one received frame */
struct expect6 {
	uint16_t payload_len;
	uint8_t nexthdr;
	uint8_t proto;
	int has_frag;
	uint32_t frag_id;
	uint16_t frag_off;
	int has_icmp;
	uint8_t type;
	uint8_t code;
	uint16_t id;
	uint16_t seq;
	uint32_t mtu;
	int has_orig;
	uint8_t orig_saddr[16];
	uint8_t orig_daddr[16];
	uint8_t orig_proto;
	uint16_t orig_id;
	uint16_t orig_seq;
};

/* A payload being built: extension headers, then the upper layer */
struct pbuf {
	uint8_t b[FRAME_MAX];
	size_t len;
};

static struct expect6 ev6[MAX_EVENTS];
static unsigned int model_errors;

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint8_t *ip6_of(struct frame *f)
{
	return f->b + ETH_HLEN_;
}

/* An IPv6 frame: the case's flow label, hop limit 64, then payload */
static void frame6(struct craft *c, struct frame *f, uint8_t nexthdr,
		   const struct pbuf *pb)
{
	uint8_t *ip = ip6_of(f);

	memset(f->b, 0, sizeof(f->b));
	memcpy(f->b, c->dst_mac, 6);
	memcpy(f->b + 6, c->src_mac, 6);
	put16(f->b + 12, ETH_P_IPV6_);
	put32(ip, 6u << 28 | c->flow);
	put16(ip + 4, (uint16_t)pb->len);
	ip[6] = nexthdr;
	ip[7] = 64;
	memcpy(ip + 8, c->saddr6, 16);
	memcpy(ip + 24, c->daddr6, 16);
	memcpy(ip + 40, pb->b, pb->len);
	f->len = ETH_HLEN_ + 40 + pb->len;
}

/* Append an 8-byte option header (PadN) whose next header is next */
static void put_opt(struct pbuf *pb, uint8_t next)
{
	uint8_t *h = pb->b + pb->len;

	memset(h, 0, 8);
	h[0] = next;
	h[1] = 0;
	h[2] = 1;	/* PadN */
	h[3] = 4;
	pb->len += 8;
}

/* An AH of 24 bytes (hdrlen 4: (4 + 2) * 4) */
static void put_ah(struct pbuf *pb, uint8_t next)
{
	uint8_t *h = pb->b + pb->len;

	memset(h, 0, 24);
	h[0] = next;
	h[1] = 4;
	put32(h + 4, 0x100);	/* SPI */
	pb->len += 24;
}

static void put_frag(struct pbuf *pb, uint8_t next, uint16_t frag_off,
		     uint32_t id)
{
	uint8_t *h = pb->b + pb->len;

	memset(h, 0, 8);
	h[0] = next;
	put16(h + 2, frag_off);
	put32(h + 4, id);
	pb->len += 8;
}

/* An ICMPv6 message of len bytes (header included): type, code, word */
static void put_icmp6(struct pbuf *pb, uint8_t type, uint8_t code,
		      uint32_t word, size_t len)
{
	uint8_t *h = pb->b + pb->len;
	size_t i;

	memset(h, 0, len);
	h[0] = type;
	h[1] = code;
	put32(h + 4, word);
	for (i = 8; i < len; i++)
		h[i] = (uint8_t)i;
	pb->len += len;
}

static void put_echo6(struct craft *c, struct pbuf *pb, uint8_t type,
		      size_t len)
{
	put_icmp6(pb, type, 0, (uint32_t)ECHO_ID << 16 | (c->flow & 0xffff),
		  len);
}

static void put_bytes(struct pbuf *pb, const void *p, size_t n)
{
	memcpy(pb->b + pb->len, p, n);
	pb->len += n;
}

static int is_exthdr(uint8_t nh)
{
	return nh == NH_HOP || nh == NH_ROUTING || nh == NH_DEST ||
	       nh == NH_AUTH || nh == NH_FRAGMENT;
}

/*
 * The event's walk, as documented: at most MAX_EXTHDRS extension headers
 * from off, none read past end.  Returns the offset of the upper layer
 * or -1; *proto is the last next header read; e, when given, gets the
 * fragment header.
 */
static long walk6(const uint8_t *p, long end, long off, uint8_t nh,
		  struct expect6 *e, uint8_t *proto)
{
	long len;
	int i;

	for (i = 0; i <= MAX_EXTHDRS; i++) {
		*proto = nh;
		if (!is_exthdr(nh))
			return off;
		if (i == MAX_EXTHDRS)
			return -1;
		if (nh == NH_FRAGMENT) {
			if (off + 8 > end)
				return -1;
			if (e) {
				e->has_frag = 1;
				e->frag_off = get16(p + off + 2);
				e->frag_id = get32(p + off + 4);
			}
			nh = p[off];
			if (get16(p + off + 2) & IP6_OFFMASK) {
				*proto = nh;
				return -1;
			}
			off += 8;
			continue;
		}
		if (off + 2 > end)
			return -1;
		len = nh == NH_AUTH ? (p[off + 1] + 2) * 4 :
				      (p[off + 1] + 1) * 8;
		nh = p[off];
		off += len;
	}
	return -1;
}

/*
 * What the event must say of the frame, by the rules its comment
 * gives; 0 when it must not fire (the upper layer is not ICMPv6).
 * end: ip6_rcv_core() trims the packet to 40 + payload_len, unless
 * payload_len is 0 behind a hop-by-hop header (a jumbogram's).
 */
static int model6(const struct frame *f, struct expect6 *e)
{
	const uint8_t *ip = f->b + ETH_HLEN_;
	long end = (long)f->len - ETH_HLEN_, off, qoff;
	uint8_t proto, qproto;
	const uint8_t *icmp, *q;

	memset(e, 0, sizeof(*e));
	e->payload_len = get16(ip + 4);
	e->nexthdr = ip[6];
	if (e->payload_len || ip[6] != NH_HOP)
		end = 40 + e->payload_len;
	off = walk6(ip, end, 40, ip[6], e, &proto);
	e->proto = proto;
	if (proto != NH_ICMPV6)
		return 0;
	if (off < 0 || off + 8 > end)
		return 1;
	icmp = ip + off;
	e->has_icmp = 1;
	e->type = icmp[0];
	e->code = icmp[1];
	if (e->type == ICMP6_ECHO_REQUEST || e->type == ICMP6_ECHO_REPLY) {
		e->id = get16(icmp + 4);
		e->seq = get16(icmp + 6);
	}
	if (e->type == ICMP6_PKT_TOOBIG)
		e->mtu = get32(icmp + 4);
	if (e->type < ICMP6_DEST_UNREACH || e->type > ICMP6_PARAMPROB)
		return 1;
	qoff = off + 8;
	q = ip + qoff;
	if (qoff + 40 > end || q[0] >> 4 != 6)
		return 1;
	e->has_orig = 1;
	memcpy(e->orig_saddr, q + 8, 16);
	memcpy(e->orig_daddr, q + 24, 16);
	off = walk6(ip, end, qoff + 40, q[6], NULL, &qproto);
	e->orig_proto = qproto;
	if (off < 0 || qproto != NH_ICMPV6 || off + 8 > end ||
	    ip[off] != ICMP6_ECHO_REQUEST)
		return 1;
	e->orig_id = get16(ip + off + 4);
	e->orig_seq = get16(ip + off + 6);
	return 1;
}

/*
 * Send a frame that ip6_rcv_core() accepts.  fires and has_icmp are what
 * the case's author says; the model must agree, or the case fails.
 */
static void pass6(struct craft *c, struct frame *f, int fires, int has_icmp)
{
	struct expect6 e;
	int m = model6(f, &e);

	if (m != fires || (m && e.has_icmp != has_icmp)) {
		fprintf(stderr, "pt-craft: flow %#x: the model says fires %d "
			"has_icmp %d, the case %d %d\n", c->flow, m, e.has_icmp,
			fires, has_icmp);
		model_errors++;
	}
	if (m && c->nev < MAX_EVENTS)
		ev6[c->nev++] = e;
	send_frame(c, f);
}

/* A frame that ip6_rcv_core() drops before the event */
static void drop6(struct craft *c, struct frame *f)
{
	send_frame(c, f);
}

/* Build: the chain of option headers types[0..n-1], then last */
static void chain(struct pbuf *pb, const uint8_t *types, int n, uint8_t last)
{
	int i;

	for (i = 0; i < n; i++) {
		uint8_t next = i + 1 < n ? types[i + 1] : last;

		if (types[i] == NH_AUTH)
			put_ah(pb, next);
		else
			put_opt(pb, next);
	}
}

static void echo_behind(struct craft *c, const uint8_t *types, int n,
			int fires, int has_icmp)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	chain(&pb, types, n, NH_ICMPV6);
	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, n ? types[0] : NH_ICMPV6, &pb);
	pass6(c, &f, fires, has_icmp);
}

static void case6_echo(struct craft *c)
{
	echo_behind(c, NULL, 0, 1, 1);
}

static void case6_reply(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_echo6(c, &pb, ICMP6_ECHO_REPLY, 64);
	frame6(c, &f, NH_ICMPV6, &pb);
	pass6(c, &f, 1, 1);
}

static void case6_hop(struct craft *c)
{
	static const uint8_t t[] = { NH_HOP };

	echo_behind(c, t, 1, 1, 1);
}

static void case6_dest_rt_dest(struct craft *c)
{
	static const uint8_t t[] = { NH_DEST, NH_ROUTING, NH_DEST };

	echo_behind(c, t, 3, 1, 1);
}

static void case6_ah(struct craft *c)
{
	static const uint8_t t[] = { NH_HOP, NH_AUTH };

	echo_behind(c, t, 2, 1, 1);
}

static const uint8_t dests[16] = {
	NH_DEST, NH_DEST, NH_DEST, NH_DEST, NH_DEST, NH_DEST, NH_DEST, NH_DEST,
	NH_DEST, NH_DEST, NH_DEST, NH_DEST, NH_DEST, NH_DEST, NH_DEST, NH_DEST,
};

/* Eight headers: the most the event follows */
static void case6_chain_8(struct craft *c)
{
	echo_behind(c, dests, 8, 1, 1);
}

/* Nine: one too many, no event */
static void case6_chain_9(struct craft *c)
{
	echo_behind(c, dests, 9, 0, 0);
}

/* A chain that ends before its second header */
static void case6_chain_cut(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_opt(&pb, NH_DEST);
	frame6(c, &f, NH_DEST, &pb);
	pass6(c, &f, 0, 0);
}

/* A header whose length (hdrlen 255: 2048 bytes) points past the packet */
static void case6_chain_past_end(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_opt(&pb, NH_ICMPV6);
	pb.b[1] = 255;
	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, NH_DEST, &pb);
	pass6(c, &f, 1, 0);
}

/*
 * A loop as far as a chain can loop: every header names the next one
 * a destination header again, 16 of them, and the last its own type
 */
static void case6_chain_loop(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	chain(&pb, dests, 16, NH_DEST);
	frame6(c, &f, NH_DEST, &pb);
	pass6(c, &f, 0, 0);
}

static void no_upper(struct craft *c, uint8_t nh)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, nh, &pb);
	pass6(c, &f, 0, 0);
}

static void case6_esp(struct craft *c)
{
	no_upper(c, NH_ESP);
}

static void case6_none(struct craft *c)
{
	no_upper(c, NH_NONE);
}

static void case6_udp(struct craft *c)
{
	no_upper(c, NH_UDP);
}

static void frag6(struct craft *c, uint16_t frag_off, uint8_t next,
		  int fires, int has_icmp)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_frag(&pb, next, frag_off, 0xf00d0000u | c->flow);
	if (next == NH_DEST)
		put_opt(&pb, NH_ICMPV6);
	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, NH_FRAGMENT, &pb);
	pass6(c, &f, fires, has_icmp);
}

static void case6_frag_first(struct craft *c)
{
	frag6(c, IP6_MF, NH_ICMPV6, 1, 1);
}

static void case6_frag_first_dest(struct craft *c)
{
	frag6(c, IP6_MF, NH_DEST, 1, 1);
}

static void case6_frag_nonfirst(struct craft *c)
{
	frag6(c, 8 | IP6_MF, NH_ICMPV6, 1, 0);
}

static void case6_frag_last(struct craft *c)
{
	frag6(c, 1448, NH_ICMPV6, 1, 0);
}

static void case6_frag_atomic(struct craft *c)
{
	frag6(c, 0, NH_ICMPV6, 1, 1);
}

static void case6_frag_offset_max(struct craft *c)
{
	frag6(c, IP6_OFFMASK | IP6_MF, NH_ICMPV6, 1, 0);
}

/* A non-first fragment of a packet whose fragmentable part is no ICMPv6 */
static void case6_frag_nonfirst_dest(struct craft *c)
{
	frag6(c, 16 | IP6_MF, NH_DEST, 0, 0);
}

/* Two fragment headers, the second one not first */
static void case6_frag_twice(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_frag(&pb, NH_FRAGMENT, IP6_MF, 0x1111);
	put_frag(&pb, NH_ICMPV6, 64, 0x2222);
	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, NH_FRAGMENT, &pb);
	pass6(c, &f, 1, 0);
}

/* A fragment header cut after 4 of its 8 bytes */
static void case6_frag_hdr_cut(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_frag(&pb, NH_ICMPV6, 0, 0x3333);
	pb.len = 4;
	frame6(c, &f, NH_FRAGMENT, &pb);
	pass6(c, &f, 0, 0);
}

static void icmp6_trunc(struct craft *c, size_t n)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	pb.len = n;
	frame6(c, &f, NH_ICMPV6, &pb);
	pass6(c, &f, 1, n >= 8);
}

static void case6_icmp_trunc_0(struct craft *c)
{
	icmp6_trunc(c, 0);
}

static void case6_icmp_trunc_4(struct craft *c)
{
	icmp6_trunc(c, 4);
}

static void case6_icmp_trunc_7(struct craft *c)
{
	icmp6_trunc(c, 7);
}

static void case6_icmp_hdr_only(struct craft *c)
{
	icmp6_trunc(c, 8);
}

/* payload_len 4 in a frame that carries a whole echo: trimmed */
static void case6_plen_short(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, NH_ICMPV6, &pb);
	put16(ip6_of(&f) + 4, 4);
	pass6(c, &f, 1, 0);
}

static void case6_plen_long(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, NH_ICMPV6, &pb);
	put16(ip6_of(&f) + 4, 1000);
	drop6(c, &f);
}

/*
 * payload_len 0 behind a hop-by-hop header, as a jumbogram has: not
 * trimmed; the event fires before the options are parsed (and the
 * packet dropped for its missing jumbo option)
 */
static void case6_plen_zero_hop(struct craft *c)
{
	static const uint8_t t[] = { NH_HOP };
	struct pbuf pb = { .len = 0 };
	struct frame f;

	chain(&pb, t, 1, NH_ICMPV6);
	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, NH_HOP, &pb);
	put16(ip6_of(&f) + 4, 0);
	pass6(c, &f, 1, 1);
}

static void case6_version_4(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, NH_ICMPV6, &pb);
	ip6_of(&f)[0] = 0x40;
	drop6(c, &f);
}

static void case6_mcast_saddr(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, 64);
	frame6(c, &f, NH_ICMPV6, &pb);
	ip6_of(&f)[8] = 0xff;
	drop6(c, &f);
}

static void case6_nonlinear(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_echo6(c, &pb, ICMP6_ECHO_REQUEST, NONLINEAR_LEN - 40);
	frame6(c, &f, NH_ICMPV6, &pb);
	pass6(c, &f, 1, 1);
}

static void case6_ns(struct craft *c)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_icmp6(&pb, ICMP6_NS, 0, 0, 24);
	frame6(c, &f, NH_ICMPV6, &pb);
	pass6(c, &f, 1, 1);
}

/* ---- ICMPv6 errors --------------------------------------------------- */

/* 2001:db8:9::9, behind b: the destination of the quoted packets */
static const uint8_t quoted_daddr6[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 };

/* The quoted packet: an IPv6 header from daddr (b) to quoted_daddr6 */
static void put_quote_hdr(struct craft *c, struct pbuf *pb, uint8_t nexthdr,
			  uint16_t plen)
{
	uint8_t *q = pb->b + pb->len;

	memset(q, 0, 40);
	put32(q, 6u << 28);
	put16(q + 4, plen);
	q[6] = nexthdr;
	q[7] = 1;
	memcpy(q + 8, c->daddr6, 16);
	memcpy(q + 24, quoted_daddr6, 16);
	pb->len += 40;
}

static void put_quoted_echo(struct pbuf *pb)
{
	put_icmp6(pb, ICMP6_ECHO_REQUEST, 0, (uint32_t)QUOTED_ID << 16 | 7, 16);
}

/* An error of type and code, second word, quoting qb */
static void error6(struct craft *c, uint8_t type, uint8_t code,
		   uint32_t word, const struct pbuf *qb, int has_icmp)
{
	struct pbuf pb = { .len = 0 };
	struct frame f;

	put_icmp6(&pb, type, code, word, 8);
	put_bytes(&pb, qb->b, qb->len);
	frame6(c, &f, NH_ICMPV6, &pb);
	pass6(c, &f, 1, has_icmp);
}

static void error6_of_echo(struct craft *c, uint8_t type, uint8_t code,
			   uint32_t word)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_ICMPV6, 16);
	put_quoted_echo(&q);
	error6(c, type, code, word, &q, 1);
}

static void case6_err_ttl(struct craft *c)
{
	error6_of_echo(c, ICMP6_TIME_EXCEED, 0, 0);
}

static void case6_err_ptb(struct craft *c)
{
	error6_of_echo(c, ICMP6_PKT_TOOBIG, 0, 1280);
}

static void case6_err_unreach(struct craft *c)
{
	error6_of_echo(c, ICMP6_DEST_UNREACH, 3, 0);
}

/* Parameter problem, pointer 40, quoting an echo behind two headers */
static void case6_err_param_ext(struct craft *c)
{
	static const uint8_t t[] = { NH_HOP, NH_DEST };
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_HOP, 32);
	chain(&q, t, 2, NH_ICMPV6);
	put_quoted_echo(&q);
	error6(c, ICMP6_PARAMPROB, 1, 40, &q, 1);
}

static void case6_err_udp(struct craft *c)
{
	struct pbuf q = { .len = 0 };
	uint8_t udp[8] = { 0x30, 0x39, 0x82, 0x9a, 0, 8, 0, 0 };

	put_quote_hdr(c, &q, NH_UDP, 8);
	put_bytes(&q, udp, sizeof(udp));
	error6(c, ICMP6_DEST_UNREACH, 4, 0, &q, 1);
}

static void quote_cut(struct craft *c, size_t n)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_ICMPV6, 16);
	put_quoted_echo(&q);
	q.len = n;
	error6(c, ICMP6_TIME_EXCEED, 0, 0, &q, 1);
}

static void case6_err_quote_cut_20(struct craft *c)
{
	quote_cut(c, 20);
}

static void case6_err_quote_hdr_only(struct craft *c)
{
	quote_cut(c, 40);
}

static void case6_err_quote_icmp_cut(struct craft *c)
{
	quote_cut(c, 44);
}

static void case6_err_quote_version_4(struct craft *c)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_ICMPV6, 16);
	put_quoted_echo(&q);
	q.b[0] = 0x45;
	error6(c, ICMP6_TIME_EXCEED, 0, 0, &q, 1);
}

/* A quote of a non-first fragment: protocol known, no echo identity */
static void case6_err_quote_frag(struct craft *c)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_FRAGMENT, 24);
	put_frag(&q, NH_ICMPV6, 1448, 0x4444);
	put_quoted_echo(&q);
	error6(c, ICMP6_TIME_EXCEED, 1, 0, &q, 1);
}

/* A quote of a first fragment: the echo identity is there */
static void case6_err_quote_first_frag(struct craft *c)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_FRAGMENT, 24);
	put_frag(&q, NH_ICMPV6, IP6_MF, 0x5555);
	put_quoted_echo(&q);
	error6(c, ICMP6_TIME_EXCEED, 1, 0, &q, 1);
}

/* The quoted chain ends in the middle of its second header */
static void case6_err_quote_chain_cut(struct craft *c)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_DEST, 64);
	put_opt(&q, NH_ROUTING);
	put_opt(&q, NH_ICMPV6);
	q.len -= 7;
	error6(c, ICMP6_TIME_EXCEED, 0, 0, &q, 1);
}

/* The quoted chain is sixteen destination headers long */
static void case6_err_quote_loop(struct craft *c)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_DEST, 16 * 8 + 16);
	chain(&q, dests, 16, NH_ICMPV6);
	put_quoted_echo(&q);
	error6(c, ICMP6_PARAMPROB, 1, 40, &q, 1);
}

/* Time exceeded quoting a destination unreachable: no echo identity */
static void case6_err_nested(struct craft *c)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_ICMPV6, 8);
	put_icmp6(&q, ICMP6_DEST_UNREACH, 0, 0, 8);
	error6(c, ICMP6_TIME_EXCEED, 0, 0, &q, 1);
}

/* payload_len cuts the quote at 20 bytes; the frame goes on */
static void case6_err_plen_cut(struct craft *c)
{
	struct pbuf q = { .len = 0 }, pb = { .len = 0 };
	struct frame f;

	put_quote_hdr(c, &q, NH_ICMPV6, 16);
	put_quoted_echo(&q);
	put_icmp6(&pb, ICMP6_TIME_EXCEED, 0, 0, 8);
	put_bytes(&pb, q.b, q.len);
	frame6(c, &f, NH_ICMPV6, &pb);
	put16(ip6_of(&f) + 4, 8 + 20);
	pass6(c, &f, 1, 1);
}

/* An error as a non-first fragment: no header, no quote */
static void case6_err_in_fragment(struct craft *c)
{
	struct pbuf q = { .len = 0 }, pb = { .len = 0 };
	struct frame f;

	put_quote_hdr(c, &q, NH_ICMPV6, 16);
	put_quoted_echo(&q);
	put_frag(&pb, NH_ICMPV6, 8, 0x6666);
	put_icmp6(&pb, ICMP6_TIME_EXCEED, 0, 0, 8);
	put_bytes(&pb, q.b, q.len);
	frame6(c, &f, NH_FRAGMENT, &pb);
	pass6(c, &f, 1, 0);
}

/* An error of 6000 bytes: the quote is in page fragments */
static void case6_err_nonlinear(struct craft *c)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_ICMPV6, 16);
	put_quoted_echo(&q);
	memset(q.b + q.len, 0xa5, NONLINEAR_LEN - 40 - 8 - q.len);
	q.len = NONLINEAR_LEN - 40 - 8;
	error6(c, ICMP6_TIME_EXCEED, 0, 0, &q, 1);
}

/* An echo reply whose data looks like a quote: has_orig 0 */
static void case6_reply_like_quote(struct craft *c)
{
	struct pbuf q = { .len = 0 };

	put_quote_hdr(c, &q, NH_ICMPV6, 16);
	put_quoted_echo(&q);
	error6(c, ICMP6_ECHO_REPLY, 0, (uint32_t)ECHO_ID << 16 | 5, &q, 1);
}

static const struct pt_case cases6[] = {
	{ "echo", case6_echo, "a valid echo request (baseline)" },
	{ "reply", case6_reply, "an echo reply" },
	{ "hop", case6_hop, "hop-by-hop header, then ICMPv6" },
	{ "dest-rt-dest", case6_dest_rt_dest,
	  "destination, routing, destination, then ICMPv6" },
	{ "ah", case6_ah, "hop-by-hop and AH, then ICMPv6" },
	{ "chain-8", case6_chain_8, "8 extension headers: followed" },
	{ "chain-9", case6_chain_9, "9 extension headers: no event" },
	{ "chain-cut", case6_chain_cut, "a chain cut after its first header" },
	{ "chain-past-end", case6_chain_past_end,
	  "a header 2048 bytes long in a short packet: has_icmp 0" },
	{ "chain-loop", case6_chain_loop,
	  "16 headers naming a destination header next: no event" },
	{ "esp", case6_esp, "next header ESP: no event" },
	{ "none", case6_none, "no next header (59): no event" },
	{ "udp", case6_udp, "next header UDP: no event" },
	{ "frag-first", case6_frag_first, "a first fragment: has_icmp 1" },
	{ "frag-first-dest", case6_frag_first_dest,
	  "a first fragment, then a destination header, then ICMPv6" },
	{ "frag-nonfirst", case6_frag_nonfirst, "a middle fragment" },
	{ "frag-last", case6_frag_last, "a last fragment" },
	{ "frag-atomic", case6_frag_atomic, "an atomic fragment (RFC 6946)" },
	{ "frag-offset-max", case6_frag_offset_max, "fragment offset 0xfff8" },
	{ "frag-nonfirst-dest", case6_frag_nonfirst_dest,
	  "a non-first fragment of a destination header: no event" },
	{ "frag-twice", case6_frag_twice,
	  "two fragment headers, the second at offset 64" },
	{ "frag-hdr-cut", case6_frag_hdr_cut, "4 bytes of fragment header" },
	{ "icmp-trunc-0", case6_icmp_trunc_0, "0 bytes of ICMPv6" },
	{ "icmp-trunc-4", case6_icmp_trunc_4, "4 bytes of ICMPv6" },
	{ "icmp-trunc-7", case6_icmp_trunc_7, "7 bytes of ICMPv6" },
	{ "icmp-hdr-only", case6_icmp_hdr_only, "exactly 8 bytes of ICMPv6" },
	{ "plen-short", case6_plen_short,
	  "payload_len 4 in a 64-byte payload: trimmed, has_icmp 0" },
	{ "plen-long", case6_plen_long, "payload_len 1000 in 64: dropped" },
	{ "plen-zero-hop", case6_plen_zero_hop,
	  "payload_len 0 behind hop-by-hop (jumbo): not trimmed" },
	{ "version-4", case6_version_4, "version 4 in an IPv6 frame: dropped" },
	{ "mcast-saddr", case6_mcast_saddr, "multicast source: dropped" },
	{ "nonlinear", case6_nonlinear,
	  "a 6000-byte echo in page fragments (MTU >= 6000)" },
	{ "ns", case6_ns, "a neighbour solicitation: id and seq 0" },
	{ "err-ttl", case6_err_ttl, "time exceeded quoting an echo request" },
	{ "err-ptb", case6_err_ptb, "packet too big, mtu 1280, quoting an echo" },
	{ "err-unreach", case6_err_unreach,
	  "destination unreachable quoting an echo" },
	{ "err-param-ext", case6_err_param_ext,
	  "parameter problem quoting an echo behind two headers" },
	{ "err-udp", case6_err_udp, "port unreachable quoting UDP" },
	{ "err-quote-cut-20", case6_err_quote_cut_20,
	  "a quote of 20 bytes: has_orig 0" },
	{ "err-quote-hdr-only", case6_err_quote_hdr_only,
	  "a quote of the 40-byte header only: no orig id" },
	{ "err-quote-icmp-cut", case6_err_quote_icmp_cut,
	  "a quote cut 4 bytes into the ICMPv6 header" },
	{ "err-quote-version-4", case6_err_quote_version_4,
	  "quoted version 4: has_orig 0" },
	{ "err-quote-frag", case6_err_quote_frag,
	  "a quote of a non-first fragment: no orig id" },
	{ "err-quote-first-frag", case6_err_quote_first_frag,
	  "a quote of a first fragment: orig id read" },
	{ "err-quote-chain-cut", case6_err_quote_chain_cut,
	  "the quoted chain cut short: orig_proto its last next header" },
	{ "err-quote-loop", case6_err_quote_loop,
	  "a quoted chain of 16 headers: no orig id" },
	{ "err-nested", case6_err_nested,
	  "time exceeded quoting a destination unreachable" },
	{ "err-plen-cut", case6_err_plen_cut,
	  "payload_len cuts the quote at 20 bytes, the frame goes on" },
	{ "err-in-fragment", case6_err_in_fragment,
	  "an error as a non-first fragment: no header, no quote" },
	{ "err-nonlinear", case6_err_nonlinear,
	  "an error of 6000 bytes, quote in page fragments" },
	{ "reply-like-quote", case6_reply_like_quote,
	  "an echo reply whose data looks like a quote: has_orig 0" },
};

#define NCASES6 (sizeof(cases6) / sizeof(cases6[0]))

static void print_addr6(const char *name, const uint8_t a[16])
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	printf(",\"%s\":\"%s\"", name, s);
}

static void print_case6(const struct craft *c, const struct pt_case *pc)
{
	unsigned int i;

	printf("{\"case\":\"%s\",\"flow_label\":%u", pc->name, c->flow);
	print_addr6("saddr", c->saddr6);
	print_addr6("daddr", c->daddr6);
	printf(",\"frames\":%u,\"bytes\":%u,\"fires\":%s,\"events\":[",
	       c->frames, c->bytes, c->nev ? "true" : "false");
	for (i = 0; i < c->nev; i++) {
		const struct expect6 *e = &ev6[i];

		printf("%s{\"payload_len\":%u,\"nexthdr\":%u,\"proto\":%u,"
		       "\"has_frag\":%d,\"frag_id\":%u,\"frag_off\":%u,"
		       "\"has_icmp\":%d,\"type\":%u,\"code\":%u,\"id\":%u,"
		       "\"seq\":%u,\"mtu\":%u,\"has_orig\":%d",
		       i ? "," : "", e->payload_len, e->nexthdr, e->proto,
		       e->has_frag, e->frag_id, e->frag_off, e->has_icmp,
		       e->type, e->code, e->id, e->seq, e->mtu, e->has_orig);
		print_addr6("orig_saddr", e->orig_saddr);
		print_addr6("orig_daddr", e->orig_daddr);
		printf(",\"orig_proto\":%u,\"orig_id\":%u,\"orig_seq\":%u}",
		       e->orig_proto, e->orig_id, e->orig_seq);
	}
	printf("]");
	if (c->send_errno)
		printf(",\"error\":\"%s\"", strerror(c->send_errno));
	printf("}\n");
	fflush(stdout);
}

static int run_case6(struct craft *c, unsigned int idx, unsigned int base)
{
	const struct pt_case *pc = &cases6[idx];
	unsigned int before = model_errors;

	c->flow = (base + idx) & 0xfffff;
	c->frames = 0;
	c->bytes = 0;
	c->nev = 0;
	c->send_errno = 0;
	pc->fn(c);
	print_case6(c, pc);
	if (c->send_errno) {
		fprintf(stderr, "pt-craft: %s: cannot send: %s\n", pc->name,
			strerror(c->send_errno));
		return -1;
	}
	if (model_errors != before) {
		fprintf(stderr, "pt-craft: %s: the case and the model differ\n",
			pc->name);
		return -1;
	}
	return 0;
}

/* ---- setup ---------------------------------------------------------- */

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int m[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (m[i] > 0xff)
			return -EINVAL;
		mac[i] = (uint8_t)m[i];
	}
	return 0;
}

/* The MAC address of a device in this network namespace, from sysfs */
static int read_mac(const char *ifname, uint8_t mac[6])
{
	char path[128], buf[64];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	err = fgets(buf, sizeof(buf), f) ? parse_mac(buf, mac) : -EIO;
	fclose(f);
	return err;
}

static int open_iface(struct craft *c, const char *ifname)
{
	struct ifreq ifr;

	c->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (c->fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(c->fd, SIOCGIFINDEX, &ifr) < 0)
		return -errno;
	c->ifindex = ifr.ifr_ifindex;
	if (ioctl(c->fd, SIOCGIFMTU, &ifr) < 0)
		return -errno;
	c->mtu = (unsigned int)ifr.ifr_mtu;
	if (ioctl(c->fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	memcpy(c->src_mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

static int find_case(const struct pt_case *table, unsigned int n,
		     const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return (int)i;
	return -1;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: pt-craft [-6] [OPTIONS] IFACE CASE...\n"
"Send hand-made IPv4 frames out of IFACE to its veth peer and print,\n"
"one JSON line per case, what net:ip_icmp must record for them.\n"
"\n"
"  -6, --ipv6            IPv6 frames and net:ip6_icmp; the id base is a flow\n"
"                        label, the addresses 2001:db8::1 and 2001:db8::2\n"
"  -d, --dst-mac MAC     the peer's MAC address\n"
"  -p, --peer IF         read the peer's MAC from /sys/class/net/IF\n"
"  -s, --saddr ADDR      source address (198.51.100.1)\n"
"  -D, --daddr ADDR      destination address (198.51.100.2)\n"
"  -i, --id-base N       IP id of the first case (0x7000); case k gets N+k\n"
"  -g, --gap USEC        pause after each frame (2000)\n"
"  -l, --list            list the cases\n"
"  -h, --help            this text\n"
"\n"
"CASE is a case name or 'all'.\n"
"\n"
"EXAMPLES\n"
"  pt-craft -p vb va all              peer in the same namespace\n"
"  pt-craft -d 02:00:00:00:00:02 -i 4096 va icmp-trunc-3 frag-overlap\n");
}

static void list_cases(const struct pt_case *table, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		printf("%-20s %s\n", table[i].name, table[i].what);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ipv6", no_argument, NULL, '6' },
		{ "dst-mac", required_argument, NULL, 'd' },
		{ "peer", required_argument, NULL, 'p' },
		{ "saddr", required_argument, NULL, 's' },
		{ "daddr", required_argument, NULL, 'D' },
		{ "id-base", required_argument, NULL, 'i' },
		{ "gap", required_argument, NULL, 'g' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct craft c = { .fd = -1, .gap_us = 2000 };
	const char *dst_mac = NULL, *peer = NULL;
	const char *saddr = "198.51.100.1", *daddr = "198.51.100.2";
	unsigned long base = 0x7000;
	int opt, err, i, failed = 0, ipv6 = 0, list = 0;
	const struct pt_case *table;
	unsigned int ncases;

	while ((opt = getopt_long(argc, argv, "6d:p:s:D:i:g:lh", opts,
				  NULL)) != -1) {
		switch (opt) {
		case '6': ipv6 = 1; break;
		case 'd': dst_mac = optarg; break;
		case 'p': peer = optarg; break;
		case 's': saddr = optarg; break;
		case 'D': daddr = optarg; break;
		case 'i': base = strtoul(optarg, NULL, 0); break;
		case 'g': c.gap_us = (unsigned int)strtoul(optarg, NULL, 0);
			  break;
		case 'l': list = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	table = ipv6 ? cases6 : cases;
	ncases = ipv6 ? NCASES6 : NCASES;
	if (list) {
		list_cases(table, ncases);
		return 0;
	}
	if (argc - optind < 2 || (!dst_mac == !peer)) {
		usage(stderr);
		return 2;
	}
	if (base + ncases > (ipv6 ? 0x100000u : 0x10000u)) {
		fprintf(stderr, "pt-craft: id base %#lx leaves no room for %u "
			"cases\n", base, ncases);
		return 2;
	}
	inet_pton(AF_INET6, "2001:db8::1", c.saddr6);
	inet_pton(AF_INET6, "2001:db8::2", c.daddr6);
	if (inet_pton(AF_INET, saddr, &c.saddr) != 1 ||
	    inet_pton(AF_INET, daddr, &c.daddr) != 1) {
		fprintf(stderr, "pt-craft: bad address '%s' or '%s'\n",
			saddr, daddr);
		return 2;
	}
	err = dst_mac ? parse_mac(dst_mac, c.dst_mac) : read_mac(peer, c.dst_mac);
	if (err) {
		fprintf(stderr, "pt-craft: cannot get the MAC of '%s': %s\n",
			dst_mac ? dst_mac : peer, strerror(-err));
		return 1;
	}
	err = open_iface(&c, argv[optind]);
	if (err) {
		fprintf(stderr, "pt-craft: cannot open '%s': %s\n",
			argv[optind], strerror(-err));
		return 1;
	}
	for (i = optind + 1; i < argc; i++) {
		unsigned int k;
		int idx;

		if (!strcmp(argv[i], "all")) {
			for (k = 0; k < ncases; k++)
				failed |= ipv6 ? run_case6(&c, k, base) :
						 run_case(&c, k, base);
			continue;
		}
		idx = find_case(table, ncases, argv[i]);
		if (idx < 0) {
			fprintf(stderr, "pt-craft: no case '%s' (-l lists them)\n",
				argv[i]);
			failed = 1;
			continue;
		}
		failed |= ipv6 ? run_case6(&c, (unsigned int)idx, base) :
				 run_case(&c, (unsigned int)idx, base);
	}
	close(c.fd);
	return failed ? 1 : 0;
}
