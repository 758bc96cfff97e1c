// SPDX-License-Identifier: GPL-2.0
/*
 * One record at a time: decode, match the targets, pair, write.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static void on_echo(const struct pt_echo *echo, void *data)
{
	struct pt_session *s = data;

	if (s->stages) {	/* written when its stages are in */
		pt_stages_echo(&s->stages->st, echo);
		return;
	}
	/* -q writes neither: not worth a copy of the echo for each reply */
	if (s->out->quiet)
		return;
	/*
	 * Closed by the event being fed: written after its event line,
	 * which is written here, with it (the echo is the pair's, good
	 * only until this returns: a copy of it for each reply, to write
	 * once pt_pair_feed() returned, was a twentieth of a timeline).
	 * A reply held back (holdoff_ns) is decided later, by no event.
	 */
	if (s->feeding && !s->fed_written &&
	    (echo->have & (PT_HAVE_RECV | PT_HAVE_ERROR))) {
		pt_output_event(s->out, s->feeding, echo);
		s->fed_written = 1;
	}
	pt_output_echo(s->out, echo);
}

/*
 * net:ip_icmp, net:ip6_icmp or both: either may be missing (a kernel
 * without the IPv6 patch, a file recorded with one), not both, and one
 * that is there must read.  -EPROTO otherwise, with the status of the
 * one at fault in s->dec (copied from s->dec6 when it is IPv6's).
 */
static int init_decoders(struct pt_session *s, struct tep_handle *tep)
{
	enum pt_format_status v4 = pt_decoder_init(&s->dec, tep);
	enum pt_format_status v6 = pt_decoder6_init(&s->dec6, tep);

	if (v4 == PT_FORMAT_OK && (v6 == PT_FORMAT_OK ||
				   v6 == PT_FORMAT_NO_EVENT))
		return 0;
	if (v4 == PT_FORMAT_NO_EVENT && v6 == PT_FORMAT_OK)
		return 0;
	if (v4 == PT_FORMAT_OK || (v4 == PT_FORMAT_NO_EVENT &&
				   v6 != PT_FORMAT_NO_EVENT)) {
		s->dec.status = s->dec6.status;
		s->dec.bad_field = s->dec6.bad_field;
	}
	return -EPROTO;
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
	if (init_decoders(s, tep))
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

static struct tep_handle *tep_of(const struct pt_session *s)
{
	return s->dec.tep ? s->dec.tep : s->dec6.tep;
}

static void on_stages(const struct pt_echo *echo,
		      const struct pt_stage_result *res, void *data)
{
	struct pt_session *s = data;
	struct pt_session_stages *ss = s->stages;

	pt_stage_summary_add(&ss->sum, echo, res);
	if (s->out->stage_hook)
		s->out->stage_hook(echo, res, s->out->stage_hook_data);
	pt_output_stage_echo(s->out, echo, res);
}

/*
 * Echoes are written one line each, with their stages, once these are
 * in; @summary: the stage summary too (--stages; --slow alone has not).
 * Call after pt_session_init().  Returns 0 or -ENOMEM.
 */
int pt_session_stages(struct pt_session *s, int summary)
{
	struct pt_session_stages *ss = calloc(1, sizeof(*ss));

	if (!ss)
		return -ENOMEM;
	if (pt_stages_init(&ss->st, on_stages, s)) {
		pt_stages_release(&ss->st);
		free(ss);
		return -ENOMEM;
	}
	pt_stage_decoder_init(&ss->sdec, tep_of(s));
	ss->st.wait_task = pt_stage_decoder_has(&ss->sdec, PT_SE_RECV_EXIT);
	ss->st.have_sched = pt_stage_decoder_has(&ss->sdec, PT_SE_WAKEUP);
	pt_stage_summary_init(&ss->sum);
	ss->summary = summary;
	s->out->stage_view = summary;
	s->stages = ss;
	return 0;
}

static void release_stages(struct pt_session *s)
{
	if (!s->stages)
		return;
	pt_stages_release(&s->stages->st);
	pt_stage_summary_release(&s->stages->sum);
	free(s->stages);
	s->stages = NULL;
}

/* The stage events of @tep, where they are the same as the session's */
static int retarget_stages(struct pt_session_stages *ss,
			   struct tep_handle *tep)
{
	struct pt_stage_decoder sdec;
	int i;

	pt_stage_decoder_init(&sdec, tep);
	for (i = 0; i < PT_STAGE_SOURCES; i++)
		if (sdec.ev[i].id != ss->sdec.ev[i].id)
			return -EPROTO;
	ss->sdec = sdec;
	return 0;
}

/*
 * Decode with @tep from now on: another handle of the same file
 * (tracefile.c reopens a compressed one).  Returns -EPROTO, and changes
 * nothing, when its formats do not lay net:ip_icmp and skb:kfree_skb
 * out as the session's.  The comms already looked up are kept.
 */
/* @dec, initialised on another handle, reads records as @old does */
static int same_layout(const struct pt_decoder *dec,
		       const struct pt_decoder *old)
{
	return dec->status == old->status && dec->event_id == old->event_id &&
	       dec->swap == old->swap && dec->min_size == old->min_size &&
	       !memcmp(dec->field, old->field, sizeof(dec->field));
}

int pt_session_retarget(struct pt_session *s, struct tep_handle *tep)
{
	struct pt_drop_decoder ddec;
	struct pt_decoder dec, dec6;

	pt_decoder_init(&dec, tep);
	pt_decoder6_init(&dec6, tep);
	if (!same_layout(&dec, &s->dec) || !same_layout(&dec6, &s->dec6))
		return -EPROTO;
	pt_drop_decoder_init(&ddec, tep);
	if (!ddec.event != !s->ddec.event ||
	    (ddec.event && ddec.id != s->ddec.id))
		return -EPROTO;
	if (s->stages && retarget_stages(s->stages, tep))
		return -EPROTO;
	s->dec.tep = tep;
	s->dec.event = dec.event;
	s->dec6.tep = tep;
	s->dec6.event = dec6.event;
	ddec.resolve = s->ddec.resolve;
	ddec.resolve_data = s->ddec.resolve_data;
	s->ddec = ddec;
	return 0;
}

void pt_session_release(struct pt_session *s)
{
	release_stages(s);
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

static int packet_is_nd_mld(const struct pt_packet *pkt)
{
	return pkt->saddr.family == AF_INET6 && pkt->has_icmp &&
	       pt_icmp6_is_nd_mld(pkt->icmp_type);
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

	if (pt_drop_decode(&s->ddec, record, &k) <= 0)
		return s->out->err;
	s->nr_drop_events++;
	if (k.protocol != PT_ETH_P_IP && k.protocol != PT_ETH_P_IPV6)
		return s->out->err;
	if (!pt_join_drop(&s->join, &k, &pkt)) {
		pt_pair_drop_unseen(s->pair);
		if (!s->targets->nr) {
			pt_drop_fill(&d, NULL, &k);
			pt_output_drop(s->out, &d, NULL, 0);
		}
		return s->out->err;
	}
	if (!drop_matches(s, &pkt) || (!s->out->all && packet_is_nd_mld(&pkt)))
		return s->out->err;
	pt_drop_fill(&d, &pkt, &k);
	attached = pt_pair_drop(s->pair, &pkt, &d);
	pt_output_drop(s->out, &d, &pkt, attached);
	return s->out->err;
}

/* 1: a stage event, fed to the joins; 0: another event */
static int stage_record(struct pt_session *s, const struct tep_record *record)
{
	struct pt_stage_ev sev;

	if (!pt_stage_decode(&s->stages->sdec, record, &sev))
		return 0;
	pt_stages_event(&s->stages->st, &sev);
	pt_stages_flush(&s->stages->st, 0);
	return 1;
}

/* net:ip_icmp or net:ip6_icmp into @ev, or another event's record */
enum pt_decode_result pt_session_decode(struct pt_session *s,
					const struct tep_record *record,
					struct pt_event *ev)
{
	enum pt_decode_result ret = pt_decode(&s->dec, record, ev);

	if (ret != PT_DECODE_OTHER_EVENT)
		return ret;
	return pt_decode(&s->dec6, record, ev);
}

/*
 * Returns 0 or a write error.  Records of other events and malformed
 * records are skipped (and counted); their missed_events still count.
 */
int pt_session_record(struct pt_session *s, const struct tep_record *record)
{
	struct pt_event ev;

	return pt_session_decoded(s, record, pt_session_decode(s, record, &ev),
				  &ev);
}

/*
 * The rest of pt_session_record(), for a record that pt_session_decode()
 * of a session with the same formats decoded as @ret (into @ev if OK):
 * of @record, only its time and missed_events are read then.
 */
int pt_session_decoded(struct pt_session *s, const struct tep_record *record,
		       enum pt_decode_result ret, struct pt_event *ev)
{
	if (record->missed_events && !s->ignore_missed) {
		pt_pair_events_lost(s->pair, record->ts,
				    record->missed_events > 0 ?
				    record->missed_events : -1);
		if (s->stages)
			pt_stages_lost(&s->stages->st);
	}
	switch (ret) {
	case PT_DECODE_OK:
		break;
	case PT_DECODE_OTHER_EVENT:
		if (s->stages && stage_record(s, record))
			return s->out->err;
		return drop_record(s, record);
	case PT_DECODE_MALFORMED:
		s->nr_bad++;
		return s->out->err;
	}
	if (ev->ts > s->last_ts)
		s->last_ts = ev->ts;
	pt_pair_expire(s->pair, ev->ts);	/* the trace's own clock moves on */
	/* every packet, so that reuse is seen; of use only to drops */
	if (s->ddec.event)
		pt_join_event(&s->join, ev);
	if (!pt_targets_match(s->targets, ev))
		return s->out->err;
	/* never an echo: not worth a line, unless asked for */
	if (!s->out->all && pt_event_is_nd_mld(ev))
		return s->out->err;

	s->nr_events++;
	if (s->stages)
		pt_stages_icmp(&s->stages->st, ev);
	s->feeding = ev;
	s->fed_written = 0;
	pt_pair_feed(s->pair, ev);
	s->feeding = NULL;
	if (!s->fed_written)
		pt_output_event(s->out, ev, NULL);
	return s->out->err;
}

int pt_session_expire(struct pt_session *s, uint64_t now)
{
	pt_pair_expire(s->pair, now);
	if (s->stages) {
		if (now > s->stages->st.now)
			s->stages->st.now = now;
		pt_stages_flush(&s->stages->st, 0);
	}
	return s->out->err;
}

/*
 * Losses known only from the ring buffer's counters (live mode), read at
 * @now of the trace clock: every lost event is older than that
 */
void pt_session_events_lost(struct pt_session *s, uint64_t now,
			    long long count)
{
	pt_pair_events_lost(s->pair, now > s->last_ts ? now : s->last_ts,
			    count);
	if (s->stages)
		pt_stages_lost(&s->stages->st);
}

/* Everything still outstanding is decided, then the summary is written */
int pt_session_finish(struct pt_session *s)
{
	struct pt_stats st;

	pt_pair_finish(s->pair);
	st = *pt_pair_stats(s->pair);
	st.drop_events = s->nr_drop_events;
	if (!s->stages)
		return pt_output_summary(s->out, &st);
	pt_stages_flush(&s->stages->st, 1);
	pt_output_summary(s->out, &st);
	if (!s->stages->summary)
		return s->out->err;
	return pt_output_stage_summary(s->out, &s->stages->sum);
}
