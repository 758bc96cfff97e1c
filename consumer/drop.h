/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel drops: skb:kfree_skb records decoded (drop-decode.c, which
 * reads the tep handle), and joined to the packet whose latest
 * net:ip_icmp event had the same skb address (join.c, pure).
 */
#ifndef PT_DROP_H
#define PT_DROP_H

#include <stdint.h>

#include "event.h"
#include "table.h"

#define PT_DROP_SYSTEM		"skb"
#define PT_DROP_EVENT		"kfree_skb"
/* kfree_skb's protocol is ntohs(skb->protocol), on 6.1 and 6.12 alike */
#define PT_ETH_P_IP		0x0800
#define PT_ETH_P_IPV6		0x86dd
/* The drops of the families traced: IPv4, IPv6 (0x86dd) or both */
#define PT_DROP_FILTER4		"protocol == 2048"
#define PT_DROP_FILTER6		"protocol == 34525"
#define PT_DROP_FILTER		PT_DROP_FILTER4 " || " PT_DROP_FILTER6

static inline const char *pt_drop_filter(int v4, int v6)
{
	return v4 && v6 ? PT_DROP_FILTER : v6 ? PT_DROP_FILTER6 :
	       PT_DROP_FILTER4;
}
/* Reasons named once at init (6.12 has about 120); others are looked up */
#define PT_DROP_REASONS		256

/* One decoded skb:kfree_skb */
struct pt_kfree {
	uint64_t	ts;
	uint64_t	skbaddr;
	uint64_t	location;
	unsigned int	protocol;
	int		reason;		/* -1: the format has none */
	const char	*reason_name;	/* the event's own name, or NULL */
	const char	*function;	/* location's symbol, or NULL */
};

/* What the packet was when it was last seen by net:ip_icmp or ip6_icmp */
struct pt_packet {
	uint32_t	netns;
	char		dev[PT_DEV_LEN + 1];
	struct pt_addr	saddr;
	struct pt_addr	daddr;
	uint16_t	icmp_id;
	uint16_t	icmp_seq;
	uint8_t		icmp_type;
	uint8_t		has_icmp;
	uint8_t		dir;
};

/* A drop joined to its packet, as an echo carries it */
struct pt_drop {
	uint32_t	netns;
	char		dev[PT_DEV_LEN + 1];
	char		location[64];	/* symbol, or 0x... when unknown */
	char		reason[48];
	uint64_t	ns;
};

#define PT_JOIN_DEFAULT_PACKETS	4096

struct pt_join {
	struct pt_table	packets;	/* struct pt_packet, by skbaddr */
	uint64_t	evicted;
};

int pt_join_init(struct pt_join *j, unsigned int max_packets);
void pt_join_release(struct pt_join *j);
void pt_join_event(struct pt_join *j, const struct pt_event *ev);
int pt_join_drop(struct pt_join *j, const struct pt_kfree *k,
		 struct pt_packet *pkt);
void pt_drop_fill(struct pt_drop *d, const struct pt_packet *pkt,
		  const struct pt_kfree *k);

/* drop-decode.c */
struct tep_handle;
struct tep_event;
struct tep_record;

struct pt_drop_decoder {
	struct tep_handle	*tep;
	struct tep_event	*event;		/* NULL: not in this file */
	int			id;
	int			type_off;	/* common_type's */
	int			skbaddr_off, skbaddr_size;
	int			location_off, location_size;
	int			protocol_off, protocol_size;
	int			reason_off, reason_size;	/* 0: none */
	int			swap;
	/* the event's names of reasons below PT_DROP_REASONS, from init */
	const char		*reason_names[PT_DROP_REASONS];
	/* a location's function where the file's kallsyms has none */
	const char		*(*resolve)(void *data, uint64_t addr);
	void			*resolve_data;
	/* the last location named: a flood's drops are one place's */
	int			have_last;
	uint64_t		last_location;
	const char		*last_function;
};

int pt_drop_decoder_init(struct pt_drop_decoder *d, struct tep_handle *tep);
int pt_drop_decode(struct pt_drop_decoder *d,
		   const struct tep_record *record, struct pt_kfree *k);

#endif /* PT_DROP_H */
