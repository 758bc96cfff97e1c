/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoder of the events pingtrace --stages joins to net:ip_icmp
 * (stages.h): which of them a trace file or the running kernel has, and
 * the one field each needs.  No I/O.
 */
#ifndef PT_STAGE_DECODE_H
#define PT_STAGE_DECODE_H

#include "stages.h"

struct tep_handle;
struct tep_event;
struct tep_record;
struct tep_format_field;

/* One event of the table in stage-decode.c */
struct pt_stage_source {
	const char		*system;
	const char		*name;
	enum pt_stage_event	kind;
	const char		*field;		/* skbaddr, pid, ...; NULL: none */
	const char		*ret;		/* rc or ret; NULL: none */
};

#define PT_STAGE_SOURCES	13

struct pt_stage_decoder {
	struct tep_handle	*tep;
	struct {
		int			id;	/* -1: not in this file */
		struct tep_format_field	*field;
		struct tep_format_field	*ret;
	} ev[PT_STAGE_SOURCES];
	int			nr_found;
};

extern const struct pt_stage_source pt_stage_sources[PT_STAGE_SOURCES];

int pt_stage_decoder_init(struct pt_stage_decoder *d, struct tep_handle *tep);
int pt_stage_decode(const struct pt_stage_decoder *d,
		    const struct tep_record *record, struct pt_stage_ev *sev);
int pt_stage_decoder_has(const struct pt_stage_decoder *d,
			 enum pt_stage_event kind);

#endif /* PT_STAGE_DECODE_H */
