/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One decoded net:ip_icmp event.  Every module passes it by const pointer.
 */
#ifndef PT_EVENT_H
#define PT_EVENT_H

#include <stdint.h>

#define PT_EVENT_SYSTEM	"net"
#define PT_EVENT_NAME	"ip_icmp"

#define PT_COMM_LEN	16
#define PT_DEV_LEN	16

enum pt_dir {
	PT_DIR_SEND	= 0,	/* ip_output() */
	PT_DIR_RECV	= 1,	/* ip_rcv_core() */
};

#define PT_IPPROTO_ICMP		1

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

/*
 * The datagram an ICMP error quotes (optional fields of the event: zero
 * where the format lacks them or has_orig is 0)
 */
struct pt_orig {
	uint32_t	saddr;		/* network byte order */
	uint32_t	daddr;		/* network byte order */
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
	uint32_t	saddr;		/* network byte order */
	uint32_t	daddr;		/* network byte order */
	uint16_t	tot_len;
	uint16_t	ip_id;
	uint16_t	frag_off;	/* flags and offset, host order */
	uint16_t	icmp_id;
	uint16_t	icmp_seq;
	uint8_t		dir;
	uint8_t		protocol;
	uint8_t		ttl;
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint8_t		has_icmp;
	uint8_t		has_orig;
	uint8_t		orig_format;	/* the format has has_orig */
	uint8_t		mtu_format;	/* the format has mtu */
	uint32_t	mtu;		/* of fragmentation needed, else 0 */
	struct pt_orig	orig;
};

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

static inline int pt_icmp_is_echo(const struct pt_event *ev)
{
	return ev->has_icmp && (ev->icmp_type == PT_ICMP_ECHO ||
				ev->icmp_type == PT_ICMP_ECHOREPLY);
}

static inline int pt_event_is_fragment(const struct pt_event *ev)
{
	return (ev->frag_off & (PT_IP_MF | PT_IP_OFFMASK)) != 0;
}

static inline int pt_event_is_first_fragment(const struct pt_event *ev)
{
	return (ev->frag_off & PT_IP_MF) && !(ev->frag_off & PT_IP_OFFMASK);
}

static inline int pt_event_is_last_fragment(const struct pt_event *ev)
{
	return !(ev->frag_off & PT_IP_MF) && (ev->frag_off & PT_IP_OFFMASK);
}

#endif /* PT_EVENT_H */
