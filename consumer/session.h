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
#include "stage-decode.h"
#include "stages.h"
#include "target.h"

/* --stages and --slow: the joins, and every echo's stages summed */
struct pt_session_stages {
	struct pt_stage_decoder		sdec;
	struct pt_stages		st;
	struct pt_stage_summary		sum;
	int				summary;	/* --stages */
};

struct pt_session {
	struct pt_decoder		dec;	/* net:ip_icmp */
	struct pt_decoder		dec6;	/* net:ip6_icmp */
	struct pt_drop_decoder		ddec;	/* skb:kfree_skb, if there */
	struct pt_join			join;
	const struct pt_targets		*targets;
	struct pt_pair			*pair;
	struct pt_output		*out;
	/* in pt_pair_feed(): the event fed, and whether its line is out */
	const struct pt_event		*feeding;
	int				fed_written;
	int				ignore_missed;	/* live: use stats */
	uint64_t			last_ts;
	unsigned long long		nr_events;	/* matching events */
	unsigned long long		nr_drop_events;	/* skb:kfree_skb read */
	unsigned long long		nr_bad;		/* malformed records */
	struct pt_session_stages	*stages;	/* NULL: off */
};

int pt_session_init(struct pt_session *s, struct tep_handle *tep,
		    const struct pt_targets *targets,
		    const struct pt_pair_config *cfg, struct pt_output *out);
int pt_session_retarget(struct pt_session *s, struct tep_handle *tep);
void pt_session_release(struct pt_session *s);
int pt_session_record(struct pt_session *s, const struct tep_record *record);
/* pt_session_record() in two steps, which may be in two processes */
enum pt_decode_result pt_session_decode(struct pt_session *s,
					const struct tep_record *record,
					struct pt_event *ev);
int pt_session_decoded(struct pt_session *s, const struct tep_record *record,
		       enum pt_decode_result ret, struct pt_event *ev);
int pt_session_expire(struct pt_session *s, uint64_t now);
void pt_session_events_lost(struct pt_session *s, uint64_t now,
			    long long count);
int pt_session_finish(struct pt_session *s);
int pt_session_stages(struct pt_session *s, int summary);

#endif /* PT_SESSION_H */
