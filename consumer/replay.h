/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay a trace.dat (trace-cmd record) through a session.
 */
#ifndef PT_REPLAY_H
#define PT_REPLAY_H

#include <stddef.h>

#include "output.h"
#include "pair.h"
#include "target.h"

struct pt_replay_info {
	unsigned long long	nr_events;	/* matching net:ip_icmp events */
	unsigned long long	nr_bad;		/* malformed records skipped */
	int			wall;		/* file times are wall clock */
	const char		*bad_field;	/* with -EPROTO / -ENODATA */
	struct pt_stats		stats;
};

/* Bytes of a file's head that pt_trace_head_damaged() looks at */
#define PT_TRACE_HEAD_LEN	20

int pt_trace_head_damaged(const unsigned char *head, size_t len);
int pt_replay_file(const char *path, const struct pt_targets *targets,
		   const struct pt_pair_config *cfg, struct pt_output *out,
		   struct pt_replay_info *info);

#endif /* PT_REPLAY_H */
