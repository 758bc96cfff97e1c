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

/* Bytes of text lines gathered before a write (pt_output.gather) */
#define PT_OUTPUT_BLOCK		16384

/* Room for a writer's private state (output-local.h checks it fits) */
#define PT_OUTPUT_PRIV_SIZE	1280

struct pt_writer;

struct pt_output {
	FILE		*fp;
	enum pt_format	format;
	int		quiet;		/* summary only */
	int		events;		/* per-event records in JSON and CSV */
	int		wall;		/* times are CLOCK_REALTIME ns */
	int		all;		/* --all: ND and MLD too */
	long long	offset;		/* added to trace times for display */
	int		started;
	int		err;		/* first error, sticky */
	int		stage_view;	/* --stages: output-stages.c */
	uint64_t	slow_ns;	/* --slow: echoes with rtt above */
	const struct pt_stage_result *stage;	/* of the echo written */
	/* every echo with its stages, written or not (report --svg) */
	void		(*stage_hook)(const struct pt_echo *e,
				      const struct pt_stage_result *res,
				      void *data);
	void		*stage_hook_data;
	const struct pt_writer *writer;	/* of @format */
	/*
	 * Set by the caller: text lines are gathered in @block and written
	 * to @fp a block at a time (report into a file or a pipe, whose
	 * stdio buffer holds them anyway); never for a terminal
	 */
	int		gather;
	size_t		block_len;
	char		block[PT_OUTPUT_BLOCK];
	union {
		uint64_t	align;
		unsigned char	bytes[PT_OUTPUT_PRIV_SIZE];
	} priv;
};

int pt_format_parse(const char *str, enum pt_format *format);
void pt_output_init(struct pt_output *o, FILE *fp, enum pt_format format);

int pt_output_event(struct pt_output *o, const struct pt_event *ev,
		    const struct pt_echo *closed);
int pt_output_echo(struct pt_output *o, const struct pt_echo *echo);
int pt_output_summary(struct pt_output *o, const struct pt_stats *st);
int pt_output_drop(struct pt_output *o, const struct pt_drop *d,
		   const struct pt_packet *pkt, int attached);
int pt_output_flush(struct pt_output *o);

const char *pt_icmp_kind(const struct pt_event *ev);

/* output-stages.c: pingtrace --stages */
struct pt_stage_result;
struct pt_stage_summary;
int pt_output_stage_echo(struct pt_output *o, const struct pt_echo *e,
			 const struct pt_stage_result *res);
int pt_output_stage_summary(struct pt_output *o,
			    struct pt_stage_summary *sum);
int pt_output_is_slow(const struct pt_output *o, const struct pt_echo *e);

#endif /* PT_OUTPUT_H */
