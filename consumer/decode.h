/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoder of net:ip_icmp and net:ip6_icmp records, one instance per
 * event.  The field layout is looked up once per tep handle (trace file
 * or running kernel) and cached.
 */
#ifndef PT_DECODE_H
#define PT_DECODE_H

#include <event-parse.h>

#include "event.h"

struct pt_field {
	int	offset;
	int	size;		/* 0: an optional field the format lacks */
};

enum pt_field_id {
	PT_F_COMMON_TYPE,
	PT_F_COMMON_PID,
	PT_F_SKBADDR,
	PT_F_NETNS,
	PT_F_IFINDEX,
	PT_F_DEV,
	PT_F_SADDR,
	PT_F_DADDR,
	PT_F_TOT_LEN,
	PT_F_IP_ID,
	PT_F_FRAG_OFF,
	PT_F_ICMP_ID,
	PT_F_ICMP_SEQ,
	PT_F_DIR,
	PT_F_PROTOCOL,
	PT_F_TTL,
	PT_F_ICMP_TYPE,
	PT_F_ICMP_CODE,
	PT_F_HAS_ICMP,		/* optional: derived from frag_off */
	/* optional, added later: the datagram an ICMP error quotes */
	PT_F_HAS_ORIG,
	PT_F_ORIG_SADDR,
	PT_F_ORIG_DADDR,
	PT_F_ORIG_PROTOCOL,
	PT_F_ORIG_ICMP_ID,
	PT_F_ORIG_ICMP_SEQ,
	PT_F_MTU,		/* optional: of fragmentation needed */
	PT_F_MAX,
};

/* net:ip6_icmp's fields (patches/0004), every one required */
enum pt_field6_id {
	PT_F6_COMMON_TYPE,
	PT_F6_COMMON_PID,
	PT_F6_SKBADDR,
	PT_F6_NETNS,
	PT_F6_IFINDEX,
	PT_F6_DEV,
	PT_F6_SADDR,
	PT_F6_DADDR,
	PT_F6_FLOW_LABEL,
	PT_F6_FRAG_ID,
	PT_F6_MTU,
	PT_F6_PAYLOAD_LEN,
	PT_F6_FRAG_OFF,
	PT_F6_ICMP_ID,
	PT_F6_ICMP_SEQ,
	PT_F6_DIR,
	PT_F6_NEXTHDR,
	PT_F6_PROTOCOL,
	PT_F6_HOP_LIMIT,
	PT_F6_HAS_FRAG,
	PT_F6_ICMP_TYPE,
	PT_F6_ICMP_CODE,
	PT_F6_HAS_ICMP,
	PT_F6_ORIG_SADDR,
	PT_F6_ORIG_DADDR,
	PT_F6_ORIG_ICMP_ID,
	PT_F6_ORIG_ICMP_SEQ,
	PT_F6_HAS_ORIG,
	PT_F6_ORIG_PROTOCOL,
	PT_F6_MAX,
};

/* The field table of either event */
#define PT_DEC_FIELDS	((int)PT_F_MAX > (int)PT_F6_MAX ? (int)PT_F_MAX : \
			 (int)PT_F6_MAX)

/* What pt_decoder_init() found in the event's format */
enum pt_format_status {
	PT_FORMAT_OK,
	PT_FORMAT_NO_EVENT,	/* no such event: an unpatched kernel */
	PT_FORMAT_NO_FIELD,	/* a field we need is missing: bad_field */
	PT_FORMAT_BAD_FIELD,	/* a field has an unexpected size or place */
};

/* What pt_decode() made of a record */
enum pt_decode_result {
	PT_DECODE_OK,
	PT_DECODE_OTHER_EVENT,	/* not this decoder's event */
	PT_DECODE_MALFORMED,	/* too short, or a value out of range */
};

/* The comm of a pid, as tep gave it */
struct pt_comm_cache {
	int	valid;
	int	pid;
	char	comm[PT_COMM_LEN + 1];
};

#define PT_COMM_CACHE	2

struct pt_decoder {
	struct tep_handle	*tep;
	struct tep_event	*event;
	int			family;		/* AF_INET or AF_INET6 */
	int			event_id;
	int			min_size;	/* bytes every field fits in */
	int			swap;		/* file byte order is not ours */
	int			fixed;		/* field is the series' layout */
	struct pt_field		field[PT_DEC_FIELDS];
	enum pt_format_status	status;		/* of pt_decoder_init() */
	const char		*bad_field;	/* set when init fails on it */
	struct pt_comm_cache	comms[PT_COMM_CACHE];
	int			comm_next;	/* the slot to replace */
};

enum pt_format_status pt_decoder_init(struct pt_decoder *dec,
				      struct tep_handle *tep);
enum pt_format_status pt_decoder6_init(struct pt_decoder *dec,
				       struct tep_handle *tep);
enum pt_decode_result pt_decode(struct pt_decoder *dec,
				const struct tep_record *record,
				struct pt_event *ev);

/* @id of the decoder's own enum (pt_field_id or pt_field6_id) */
static inline int pt_decoder_has(const struct pt_decoder *dec, int id)
{
	return dec->field[id].size != 0;
}

#endif /* PT_DECODE_H */
