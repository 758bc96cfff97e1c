/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay a trace.dat (trace-cmd record) through a session.
 */
#ifndef PT_REPLAY_H
#define PT_REPLAY_H

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

int pt_replay_file(const char *path, const struct pt_targets *targets,
		   const struct pt_pair_config *cfg, struct pt_output *out,
		   struct pt_replay_info *info);

#endif /* PT_REPLAY_H */
