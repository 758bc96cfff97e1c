// SPDX-License-Identifier: GPL-2.0
/*
 * One record at a time: decode, match the targets, pair, write.
 */
#include <errno.h>
#include <string.h>

#include "session.h"

static void on_echo(const struct pt_echo *echo, void *data)
{
	struct pt_session *s = data;

	/* Closed by the event being fed: written after its event line */
	if (echo->have & (PT_HAVE_RECV | PT_HAVE_ERROR)) {
		s->closed = *echo;
		s->have_closed = 1;
		return;
	}
	pt_output_echo(s->out, echo);
}

/*
 * Returns 0, -ENOMEM, or -EPROTO when the decoder cannot read the event's
 * format: s->dec.status and s->dec.bad_field say why.
 */
int pt_session_init(struct pt_session *s, struct tep_handle *tep,
		    const struct pt_targets *targets,
		    const struct pt_pair_config *cfg, struct pt_output *out)
{
	memset(s, 0, sizeof(*s));
	if (pt_decoder_init(&s->dec, tep) != PT_FORMAT_OK)
		return -EPROTO;
	s->targets = targets;
	s->out = out;
	s->pair = pt_pair_new(cfg, on_echo, s);
	if (!s->pair)
		return -ENOMEM;
	if (pt_join_init(&s->join, PT_JOIN_DEFAULT_PACKETS))
		return -ENOMEM;
	pt_drop_decoder_init(&s->ddec, tep);	/* no drops without it */
	return 0;
}

/*
 * Decode with @tep from now on: another handle of the same file
 * (tracefile.c reopens a compressed one).  Returns -EPROTO, and changes
 * nothing, when its formats do not lay net:ip_icmp and skb:kfree_skb
 * out as the session's.  The comms already looked up are kept.
 */
int pt_session_retarget(struct pt_session *s, struct tep_handle *tep)
{
	struct pt_drop_decoder ddec;
	struct pt_decoder dec;

	if (pt_decoder_init(&dec, tep) != PT_FORMAT_OK ||
	    dec.event_id != s->dec.event_id || dec.swap != s->dec.swap ||
	    dec.min_size != s->dec.min_size ||
	    memcmp(dec.field, s->dec.field, sizeof(dec.field)))
		return -EPROTO;
	pt_drop_decoder_init(&ddec, tep);
	if (!ddec.event != !s->ddec.event ||
	    (ddec.event && ddec.id != s->ddec.id))
		return -EPROTO;
	s->dec.tep = tep;
	s->dec.event = dec.event;
	s->ddec = ddec;
	return 0;
}

void pt_session_release(struct pt_session *s)
{
	pt_pair_free(s->pair);
	s->pair = NULL;
	pt_join_release(&s->join);
}

/* A drop of a packet whose addresses match the targets */
static int drop_matches(const struct pt_session *s,
			const struct pt_packet *pkt)
{
	struct pt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.saddr = pkt->saddr;
	ev.daddr = pkt->daddr;
	return pt_targets_match(s->targets, &ev);
}

/*
 * skb:kfree_skb: joined to the packet of its address, kept by the echo
 * of that packet, and written.  A drop of a packet no net:ip_icmp event
 * saw is written as such only when every packet is of interest (no -t):
 * it cannot be told to be a target's.
 */
static int drop_record(struct pt_session *s, const struct tep_record *record)
{
	struct pt_packet pkt;
	struct pt_kfree k;
	struct pt_drop d;
	int attached;

	if (pt_drop_decode(&s->ddec, record, &k) <= 0 ||
	    k.protocol != PT_ETH_P_IP)
		return s->out->err;
	if (!pt_join_drop(&s->join, &k, &pkt)) {
		pt_pair_drop_unseen(s->pair);
		if (!s->targets->nr) {
			pt_drop_fill(&d, NULL, &k);
			pt_output_drop(s->out, &d, NULL, 0);
		}
		return s->out->err;
	}
	if (!drop_matches(s, &pkt))
		return s->out->err;
	pt_drop_fill(&d, &pkt, &k);
	attached = pt_pair_drop(s->pair, &pkt, &d);
	pt_output_drop(s->out, &d, &pkt, attached);
	return s->out->err;
}

/*
 * Returns 0 or a write error.  Records of other events and malformed
 * records are skipped (and counted); their missed_events still count.
 */
int pt_session_record(struct pt_session *s, const struct tep_record *record)
{
	struct pt_event ev;

	if (record->missed_events && !s->ignore_missed)
		pt_pair_events_lost(s->pair, record->ts,
				    record->missed_events > 0 ?
				    record->missed_events : -1);
	switch (pt_decode(&s->dec, record, &ev)) {
	case PT_DECODE_OK:
		break;
	case PT_DECODE_OTHER_EVENT:
		return drop_record(s, record);
	case PT_DECODE_MALFORMED:
		s->nr_bad++;
		return s->out->err;
	}
	if (ev.ts > s->last_ts)
		s->last_ts = ev.ts;
	pt_pair_expire(s->pair, ev.ts);	/* the trace's own clock moves on */
	/* every packet, so that reuse is seen; of use only to drops */
	if (s->ddec.event)
		pt_join_event(&s->join, &ev);
	if (!pt_targets_match(s->targets, &ev))
		return s->out->err;

	s->nr_events++;
	s->have_closed = 0;
	pt_pair_feed(s->pair, &ev);
	pt_output_event(s->out, &ev, s->have_closed ? &s->closed : NULL);
	if (s->have_closed)
		pt_output_echo(s->out, &s->closed);
	s->have_closed = 0;
	return s->out->err;
}

int pt_session_expire(struct pt_session *s, uint64_t now)
{
	pt_pair_expire(s->pair, now);
	return s->out->err;
}

/* Losses known only from the ring buffer's counters (live mode) */
void pt_session_events_lost(struct pt_session *s, long long count)
{
	pt_pair_events_lost(s->pair, s->last_ts, count);
}

/* Everything still outstanding is decided, then the summary is written */
int pt_session_finish(struct pt_session *s)
{
	pt_pair_finish(s->pair);
	return pt_output_summary(s->out, pt_pair_stats(s->pair));
}
