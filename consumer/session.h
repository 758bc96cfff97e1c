/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A session glues decoder, target match, pairing and output together
 * for one stream of records (a trace file or the live ring buffer).
 */
#ifndef PT_SESSION_H
#define PT_SESSION_H

#include "decode.h"
#include "drop.h"
#include "output.h"
#include "pair.h"
#include "target.h"

struct pt_session {
	struct pt_decoder		dec;
	struct pt_drop_decoder		ddec;	/* skb:kfree_skb, if there */
	struct pt_join			join;
	const struct pt_targets		*targets;
	struct pt_pair			*pair;
	struct pt_output		*out;
	struct pt_echo			closed;		/* by the current event */
	int				have_closed;
	int				ignore_missed;	/* live: use stats */
	uint64_t			last_ts;
	unsigned long long		nr_events;	/* matching events */
	unsigned long long		nr_bad;		/* malformed records */
};

int pt_session_init(struct pt_session *s, struct tep_handle *tep,
		    const struct pt_targets *targets,
		    const struct pt_pair_config *cfg, struct pt_output *out);
int pt_session_retarget(struct pt_session *s, struct tep_handle *tep);
void pt_session_release(struct pt_session *s);
int pt_session_record(struct pt_session *s, const struct tep_record *record);
int pt_session_expire(struct pt_session *s, uint64_t now);
void pt_session_events_lost(struct pt_session *s, long long count);
int pt_session_finish(struct pt_session *s);

#endif /* PT_SESSION_H */
