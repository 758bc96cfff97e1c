/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writers: text, JSON Lines and CSV.  Every function returns 0 or the
 * first write error as -errno (-EPIPE when the reader went away).
 */
#ifndef PT_OUTPUT_H
#define PT_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "pair.h"

enum pt_format {
	PT_FMT_TEXT,
	PT_FMT_JSON,
	PT_FMT_CSV,
};

/* Text of values that repeat from line to line (output.c) */
struct pt_text_cache {
	uint32_t	ip[2];
	char		ip_str[2][16];
	unsigned char	ip_len[2];
	unsigned char	ip_valid[2];
	unsigned char	ip_next;
	unsigned char	netns_valid;
	unsigned char	netns_len;
	unsigned char	sec_valid;
	unsigned char	sec_len;
	uint32_t	netns;
	char		netns_str[12];
	uint64_t	sec;
	char		sec_str[24];
	/* wall clock: HH:MM:SS of hms_sec */
	int		hms_valid;
	long long	hms_sec;
	char		hms[8];
};

struct pt_output {
	FILE		*fp;
	enum pt_format	format;
	int		quiet;		/* summary only */
	int		events;		/* per-event records in JSON and CSV */
	int		wall;		/* times are CLOCK_REALTIME ns */
	long long	offset;		/* added to trace times for display */
	int		started;
	int		err;		/* first error, sticky */
	struct pt_text_cache cache;
};

int pt_format_parse(const char *str, enum pt_format *format);
void pt_output_init(struct pt_output *o, FILE *fp, enum pt_format format);

int pt_output_event(struct pt_output *o, const struct pt_event *ev,
		    const struct pt_echo *closed);
int pt_output_echo(struct pt_output *o, const struct pt_echo *echo);
int pt_output_summary(struct pt_output *o, const struct pt_stats *st);
int pt_output_flush(struct pt_output *o);

const char *pt_icmp_kind(const struct pt_event *ev);

#endif /* PT_OUTPUT_H */
