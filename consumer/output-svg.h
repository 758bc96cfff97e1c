/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pingtrace report --svg FILE: the echoes along time, one stacked bar
 * per echo with a colour per stage of the kernel rtt, the rtt as a line,
 * lost and errored echoes marked in red.  Echoes are collected as they
 * are decided (struct pt_output's stage_hook) and drawn at the end.
 */
#ifndef PT_OUTPUT_SVG_H
#define PT_OUTPUT_SVG_H

#include <stdio.h>

#include "stages.h"

#define PT_SVG_WIDTH		1000
#define PT_SVG_HEIGHT		400
#define PT_SVG_STAGES		(PT_S_RTT_LAST - PT_S_RTT_FIRST + 1)

struct pt_svg_echo {
	uint64_t	send_ns;
	uint64_t	rtt_ns;
	uint8_t		status;		/* enum pt_echo_status */
	uint64_t	ns[PT_SVG_STAGES];	/* 0: not seen */
};

struct pt_svg {
	struct pt_svg_echo	*echo;
	size_t			n, cap;
	int			err;
};

void pt_svg_init(struct pt_svg *svg);
void pt_svg_release(struct pt_svg *svg);
void pt_svg_add(const struct pt_echo *e, const struct pt_stage_result *res,
		void *data);
int pt_svg_write(struct pt_svg *svg, FILE *fp);
const char *pt_svg_colour(int i);

#endif /* PT_OUTPUT_SVG_H */
