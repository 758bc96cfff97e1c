/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One decoded net:ip_icmp or net:ip6_icmp event.  Every module passes it
 * by const pointer; what differs between the two families is said by the
 * helpers below, so that pairing, joining and output need not ask.
 */
#ifndef PT_EVENT_H
#define PT_EVENT_H

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>		/* AF_INET, AF_INET6 */

#define PT_EVENT_SYSTEM	"net"
#define PT_EVENT_NAME	"ip_icmp"
#define PT_EVENT6_NAME	"ip6_icmp"

#define PT_COMM_LEN	16
#define PT_DEV_LEN	16

enum pt_dir {
	PT_DIR_SEND	= 0,	/* ip_output() */
	PT_DIR_RECV	= 1,	/* ip_rcv_core() */
};

#define PT_IPPROTO_ICMP		1
#define PT_IPPROTO_ICMPV6	58

/* ICMP types (RFC 792), those net:ip_icmp's print format names */
#define PT_ICMP_ECHOREPLY	0
#define PT_ICMP_DEST_UNREACH	3
#define PT_ICMP_SOURCE_QUENCH	4
#define PT_ICMP_REDIRECT	5
#define PT_ICMP_ECHO		8
#define PT_ICMP_TIME_EXCEEDED	11
#define PT_ICMP_PARAMETERPROB	12
#define PT_ICMP_TIMESTAMP	13
#define PT_ICMP_TIMESTAMPREPLY	14

#define PT_ICMP_FRAG_NEEDED	4	/* a code of PT_ICMP_DEST_UNREACH */

#define PT_IP_MF		0x2000
#define PT_IP_OFFMASK		0x1fff

/* ICMPv6 types (RFC 4443, RFC 4861, RFC 2710, RFC 3810) */
#define PT_ICMP6_DEST_UNREACH	1
#define PT_ICMP6_PKT_TOOBIG	2
#define PT_ICMP6_TIME_EXCEED	3
#define PT_ICMP6_PARAMPROB	4
#define PT_ICMP6_ECHO		128
#define PT_ICMP6_ECHOREPLY	129
#define PT_ICMP6_MLD_QUERY	130
#define PT_ICMP6_MLD_DONE	132
#define PT_ICMP6_ROUTER_SOLICIT	133
#define PT_ICMP6_REDIRECT	137
#define PT_ICMP6_MLD2_REPORT	143

/* net:ip6_icmp's frag_off: the offset in bytes and the M flag */
#define PT_IP6_MF		0x0001
#define PT_IP6_OFFMASK		0xfff8

/* The fixed IPv6 header, which payload_len does not count */
#define PT_IP6_HLEN		40

/*
 * An address of either family, as the event has it (network byte order).
 * The bytes past an IPv4 address are 0, so that a key made of w[] tells
 * every address from every other.
 */
struct pt_addr {
	uint8_t		family;		/* AF_INET or AF_INET6 */
	union {
		uint32_t	v4;
		uint8_t		v6[16];
		uint32_t	w[4];
	};
};

static inline struct pt_addr pt_addr4(uint32_t v4)
{
	struct pt_addr a = { .family = AF_INET, .w = { v4, 0, 0, 0 } };

	return a;
}

static inline struct pt_addr pt_addr6(const uint8_t v6[16])
{
	struct pt_addr a = { .family = AF_INET6 };

	memcpy(a.v6, v6, 16);
	return a;
}

static inline int pt_addr_eq(const struct pt_addr *a, const struct pt_addr *b)
{
	return a->family == b->family && !memcmp(a->w, b->w, sizeof(a->w));
}

/*
 * The datagram an ICMP error quotes (optional fields of the event: zero
 * where the format lacks them or has_orig is 0)
 */
struct pt_orig {
	struct pt_addr	saddr;
	struct pt_addr	daddr;
	uint16_t	icmp_id;
	uint16_t	icmp_seq;
	uint8_t		protocol;
};

struct pt_event {
	uint64_t	ts;		/* ns, in the trace clock */
	int		cpu;
	int		pid;
	char		comm[PT_COMM_LEN + 1];

	uint64_t	skbaddr;
	uint32_t	netns;
	int32_t		ifindex;
	char		dev[PT_DEV_LEN + 1];
	struct pt_addr	saddr;		/* the event's family */
	struct pt_addr	daddr;
	uint32_t	tot_len;	/* IPv6: payload_len + 40 */
	uint32_t	ip_id;		/* IPv6: fragment header's id */
	uint32_t	flow_label;	/* IPv6 only */
	uint32_t	mtu;		/* frag needed, IPv6 packet too big */
	/* host order: IPv4 flags and offset in 8 bytes, IPv6 offset in
	 * bytes and M */
	uint16_t	frag_off;
	uint16_t	icmp_id;
	uint16_t	icmp_seq;
	uint8_t		dir;
	uint8_t		protocol;
	uint8_t		ttl;		/* IPv6: hop limit */
	uint8_t		nexthdr;	/* IPv6 only */
	uint8_t		has_frag;	/* IPv6: a fragment header */
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint8_t		has_icmp;
	uint8_t		has_orig;
	uint8_t		orig_format;	/* the format has has_orig */
	uint8_t		mtu_format;	/* the format has mtu */
	struct pt_orig	orig;
};

static inline int pt_event_is_v6(const struct pt_event *ev)
{
	return ev->saddr.family == AF_INET6;
}

/* The name the event's print format gives an ICMP type, or NULL */
static inline const char *pt_icmp_type_name(unsigned int type)
{
	switch (type) {
	case PT_ICMP_ECHOREPLY:		return "echo-reply";
	case PT_ICMP_DEST_UNREACH:	return "dest-unreach";
	case PT_ICMP_SOURCE_QUENCH:	return "source-quench";
	case PT_ICMP_REDIRECT:		return "redirect";
	case PT_ICMP_ECHO:		return "echo-request";
	case PT_ICMP_TIME_EXCEEDED:	return "time-exceeded";
	case PT_ICMP_PARAMETERPROB:	return "parameter-problem";
	case PT_ICMP_TIMESTAMP:		return "timestamp";
	case PT_ICMP_TIMESTAMPREPLY:	return "timestamp-reply";
	}
	return NULL;
}

/* The same for ICMPv6, as net:ip6_icmp's print format names them */
static inline const char *pt_icmp6_type_name(unsigned int type)
{
	switch (type) {
	case PT_ICMP6_DEST_UNREACH:	return "dest-unreach";
	case PT_ICMP6_PKT_TOOBIG:	return "packet-too-big";
	case PT_ICMP6_TIME_EXCEED:	return "time-exceeded";
	case PT_ICMP6_PARAMPROB:	return "parameter-problem";
	case PT_ICMP6_ECHO:		return "echo-request";
	case PT_ICMP6_ECHOREPLY:	return "echo-reply";
	case 130:			return "mld-query";
	case 131:			return "mld-report";
	case 132:			return "mld-done";
	case 133:			return "router-solicit";
	case 134:			return "router-advert";
	case 135:			return "neighbour-solicit";
	case 136:			return "neighbour-advert";
	case 137:			return "redirect";
	case 143:			return "mldv2-report";
	case 160:			return "ext-echo-request";
	case 161:			return "ext-echo-reply";
	}
	return NULL;
}

static inline const char *pt_icmp_name(int family, unsigned int type)
{
	return family == AF_INET6 ? pt_icmp6_type_name(type) :
				    pt_icmp_type_name(type);
}

/* The echo request and reply types of @family */
static inline unsigned int pt_icmp_echo_type(int family)
{
	return family == AF_INET6 ? PT_ICMP6_ECHO : PT_ICMP_ECHO;
}

static inline unsigned int pt_icmp_reply_type(int family)
{
	return family == AF_INET6 ? PT_ICMP6_ECHOREPLY : PT_ICMP_ECHOREPLY;
}

static inline unsigned int pt_icmp_proto(int family)
{
	return family == AF_INET6 ? PT_IPPROTO_ICMPV6 : PT_IPPROTO_ICMP;
}

static inline int pt_event_is_request(const struct pt_event *ev)
{
	return ev->has_icmp &&
	       ev->icmp_type == pt_icmp_echo_type(ev->saddr.family);
}

static inline int pt_event_is_reply(const struct pt_event *ev)
{
	return ev->has_icmp &&
	       ev->icmp_type == pt_icmp_reply_type(ev->saddr.family);
}

static inline int pt_icmp_is_echo(const struct pt_event *ev)
{
	return pt_event_is_request(ev) || pt_event_is_reply(ev);
}

/*
 * Neighbour discovery (133-137) and MLD (130-132, 143): ICMPv6 that is
 * never an echo, shown only with --all
 */
static inline int pt_icmp6_is_nd_mld(unsigned int type)
{
	return (type >= PT_ICMP6_MLD_QUERY && type <= PT_ICMP6_REDIRECT) ||
	       type == PT_ICMP6_MLD2_REPORT;
}

static inline int pt_event_is_nd_mld(const struct pt_event *ev)
{
	return pt_event_is_v6(ev) && ev->has_icmp &&
	       pt_icmp6_is_nd_mld(ev->icmp_type);
}

static inline int pt_event_more_fragments(const struct pt_event *ev)
{
	if (pt_event_is_v6(ev))
		return ev->has_frag && (ev->frag_off & PT_IP6_MF);
	return (ev->frag_off & PT_IP_MF) != 0;
}

/* The fragment's offset in bytes */
static inline unsigned int pt_event_frag_offset(const struct pt_event *ev)
{
	if (pt_event_is_v6(ev))
		return ev->has_frag ? ev->frag_off & PT_IP6_OFFMASK : 0;
	return (ev->frag_off & PT_IP_OFFMASK) * 8;
}

/* An IPv6 fragment header with offset 0 and no M (atomic) is none */
static inline int pt_event_is_fragment(const struct pt_event *ev)
{
	return pt_event_more_fragments(ev) || pt_event_frag_offset(ev);
}

static inline int pt_event_is_first_fragment(const struct pt_event *ev)
{
	return pt_event_more_fragments(ev) && !pt_event_frag_offset(ev);
}

static inline int pt_event_is_last_fragment(const struct pt_event *ev)
{
	return !pt_event_more_fragments(ev) && pt_event_frag_offset(ev);
}

#endif /* PT_EVENT_H */
