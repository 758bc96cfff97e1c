/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The merged report of several hosts (merge.h) in text, JSON Lines and
 * CSV.  Every function returns 0 or the output's first write error.
 *
 * A one-way delay is only as good as the offset between the two clocks:
 * text rounds it to the order of magnitude of its bound and prints the
 * bound after it ("out=4.4±0.5"); JSON and CSV give ns and the bound in
 * ns beside them ("oneway_bound_ns").  Times on one clock (rtt, the time
 * in the target) are exact.
 */
#ifndef PT_OUTPUT_MERGE_H
#define PT_OUTPUT_MERGE_H

#include <stddef.h>

#include "merge.h"
#include "output.h"

int pt_merge_output_event(struct pt_output *o, const struct pt_merge *m,
			  int host, const struct pt_event *ev, uint32_t netns,
			  const struct pt_merge_result *closed);
int pt_merge_output_echo(struct pt_output *o, const struct pt_merge *m,
			 const struct pt_merge_result *r);
int pt_merge_output_summary(struct pt_output *o, const struct pt_merge *m,
			    const struct pt_stats *st);

/* "4.4±0.5" of @ns within @bound, in ms; "0.123456" when @bound is 0 */
int pt_oneway_text(char *buf, size_t size, int64_t ns, int64_t bound);

#endif /* PT_OUTPUT_MERGE_H */
