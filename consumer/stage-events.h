/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stage events live and record enable with --stages: those of
 * stage-decode.c's table the running kernel has, each with its filter.
 */
#ifndef PT_STAGE_EVENTS_H
#define PT_STAGE_EVENTS_H

#include "stage-decode.h"

#define PT_STAGE_FILTER_MAX	64

struct pt_stage_events {
	int	n;
	struct {
		const char	*system;
		const char	*name;
		int		task;		/* filtered by the pinger's pid */
		char		filter[PT_STAGE_FILTER_MAX];
	} ev[PT_STAGE_SOURCES];
	int	missing;			/* events the kernel lacks */
	char	missing_names[PT_STAGE_SOURCES * 40];
};

void pt_stage_events_find(struct pt_stage_events *se, int pid);
void pt_stage_events_warn(const struct pt_stage_events *se);

#endif /* PT_STAGE_EVENTS_H */
