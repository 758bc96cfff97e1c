/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoder of net:ip_icmp records.  The field layout is looked up once per
 * tep handle (trace file or running kernel) and cached.
 */
#ifndef PT_DECODE_H
#define PT_DECODE_H

#include <event-parse.h>

#include "event.h"

#define PT_EVENT_SYSTEM	"net"
#define PT_EVENT_NAME	"ip_icmp"

struct pt_field {
	int	offset;
	int	size;
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
	PT_F_HAS_ICMP,
	PT_F_MAX,
};

struct pt_decoder {
	struct tep_handle	*tep;
	struct tep_event	*event;
	int			event_id;
	int			min_size;	/* bytes every field fits in */
	int			swap;		/* file byte order is not ours */
	struct pt_field		field[PT_F_MAX];
	const char		*bad_field;	/* set when init fails on it */
	int			comm_valid;	/* comm of comm_pid, cached */
	int			comm_pid;
	char			comm[PT_COMM_LEN + 1];
};

int pt_decoder_init(struct pt_decoder *dec, struct tep_handle *tep);
int pt_decode(struct pt_decoder *dec, const struct tep_record *record,
	      struct pt_event *ev);

#endif /* PT_DECODE_H */
