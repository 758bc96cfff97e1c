// SPDX-License-Identifier: GPL-2.0
/*
 * Pairing engine: echo requests with their replies.
 *
 * Events come in time order.  An echo is keyed by (requester, responder,
 * id, seq), addresses of either family.  The request going out of the
 * requester (dir send, type 8 or ICMPv6 128) opens it; the reply coming
 * into the requester's netns (dir recv, type 0 or 129, addresses
 * swapped) closes it.  When the responder is in the
 * same kernel, the request in and reply out on its side give the
 * four-point breakdown.  Copies of the same message seen in another
 * netns (a router in between) are hops, not new echoes.
 *
 * Memory is bounded: three fixed-capacity tables (outstanding requests,
 * recently answered echoes for duplicate detection, fragment trains).
 */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pair.h"
#include "table.h"

struct pending {
	struct pt_echo	echo;
	uint64_t	loss_gen;	/* p->loss_gen when the request went out */
};

struct fragment {
	struct pt_event	first;		/* the fragment with the ICMP header */
	uint64_t	last_ts;
	unsigned int	have_first:1;
	unsigned int	have_last:1;
	uint64_t	seen_ts;	/* for expiry */
};

/* A reply with no request, waiting out holdoff_ns */
struct held_reply {
	struct pt_echo	echo;
	uint64_t	loss_gen;	/* p->loss_gen when it came */
	int		recent_loss;	/* a loss within loss_window_ns before */
};

struct pt_pair {
	struct pt_pair_config	cfg;
	pt_echo_fn		fn;
	void			*data;
	struct pt_table		outstanding;	/* struct pending */
	struct pt_table		answered;	/* struct pt_echo */
	struct pt_table		fragments;	/* struct fragment */
	struct pt_stats		stats;
	uint64_t		loss_gen;
	uint64_t		last_loss_ts;
	int			loss_seen;
	/* a ring of PT_PAIR_HELD_REPLIES, allocated at the first hold */
	struct held_reply	*held;
	unsigned int		held_first;
	unsigned int		held_nr;
};

static const char * const status_names[] = {
	[PT_ECHO_OK]		= "ok",
	[PT_ECHO_LOST]		= "lost",
	[PT_ECHO_DUP]		= "dup",
	[PT_ECHO_UNMATCHED]	= "unmatched",
	[PT_ECHO_UNKNOWN]	= "unknown",
	[PT_ECHO_ERROR]		= "error",
};

static const char * const hop_names[] = {
	[PT_HOP_REQUEST]	= "request",
	[PT_HOP_REPLY]		= "reply",
	[PT_HOP_ERROR]		= "error",
};

const char *pt_hop_what_name(enum pt_hop_what what)
{
	if ((unsigned int)what >= sizeof(hop_names) / sizeof(hop_names[0]))
		return "?";
	return hop_names[what];
}

const char *pt_echo_status_name(enum pt_echo_status status)
{
	if ((unsigned int)status >= sizeof(status_names) / sizeof(status_names[0]))
		return "?";
	return status_names[status];
}

void pt_pair_config_default(struct pt_pair_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_outstanding = PT_PAIR_DEFAULT_OUTSTANDING;
	cfg->max_answered = PT_PAIR_DEFAULT_ANSWERED;
	cfg->max_fragments = PT_PAIR_DEFAULT_FRAGMENTS;
	cfg->loss_window_ns = PT_PAIR_DEFAULT_LOSS_WINDOW;
}

void pt_stats_init(struct pt_stats *st)
{
	memset(st, 0, sizeof(*st));
}

struct pt_pair *pt_pair_new(const struct pt_pair_config *cfg,
			    pt_echo_fn fn, void *data)
{
	struct pt_pair *p;
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->cfg = *cfg;
	p->fn = fn;
	p->data = data;
	pt_stats_init(&p->stats);

	ret = pt_table_init(&p->outstanding, cfg->max_outstanding,
			    sizeof(struct pending));
	if (!ret)
		ret = pt_table_init(&p->answered, cfg->max_answered,
				    sizeof(struct pt_echo));
	if (!ret)
		ret = pt_table_init(&p->fragments, cfg->max_fragments,
				    sizeof(struct fragment));
	if (ret) {
		pt_pair_free(p);
		errno = -ret;
		return NULL;
	}
	return p;
}

void pt_pair_free(struct pt_pair *p)
{
	if (!p)
		return;
	pt_table_release(&p->outstanding);
	pt_table_release(&p->answered);
	pt_table_release(&p->fragments);
	free(p->held);
	free(p);
}

const struct pt_stats *pt_pair_stats(const struct pt_pair *p)
{
	return &p->stats;
}

static struct pt_key echo_key(const struct pt_addr *src,
			      const struct pt_addr *dst,
			      uint16_t id, uint16_t seq)
{
	struct pt_key key;

	memcpy(&key.w[0], src->w, sizeof(src->w));
	memcpy(&key.w[4], dst->w, sizeof(dst->w));
	key.w[8] = (uint32_t)id << 16 | seq;
	key.w[9] = src->family;
	key.w[10] = 0;
	key.w[11] = 0;
	return key;
}

static void account(struct pt_pair *p, const struct pt_echo *echo)
{
	struct pt_stats *st = &p->stats;
	uint64_t rtt;

	switch (echo->status) {
	case PT_ECHO_OK:
		rtt = pt_echo_rtt(echo);
		st->received++;
		if (!st->rtt_n || rtt < st->rtt_min)
			st->rtt_min = rtt;
		if (rtt > st->rtt_max)
			st->rtt_max = rtt;
		st->rtt_n++;
		st->rtt_sum += rtt;
		st->rtt_sum2 += (unsigned __int128)rtt * rtt;
		break;
	case PT_ECHO_LOST:
		st->lost++;
		break;
	case PT_ECHO_DUP:
		st->dup++;
		break;
	case PT_ECHO_UNMATCHED:
		st->unmatched++;
		break;
	case PT_ECHO_UNKNOWN:
		st->unknown++;
		break;
	case PT_ECHO_ERROR:
		st->errors++;
		if (!(echo->have & PT_HAVE_SEND))
			st->errors_unattached++;
		break;
	}
}

static void emit(struct pt_pair *p, const struct pt_echo *echo)
{
	account(p, echo);
	if (p->fn)
		p->fn(echo, p->data);
}

/* An unanswered request leaves the table: lost, unless events were lost */
static void drop_pending(struct pt_pair *p, uint32_t idx)
{
	struct pending *pend = pt_table_data(&p->outstanding, idx);
	struct pt_echo echo = pend->echo;

	if (pend->loss_gen != p->loss_gen)
		echo.status = PT_ECHO_UNKNOWN;
	else
		echo.status = PT_ECHO_LOST;
	pt_table_remove(&p->outstanding, idx);
	emit(p, &echo);
}

/*
 * What of an answered echo is kept: all but the path's unused points,
 * and its error and drop only when it has them.  In an echo that was
 * pending these are zero (pt_table_insert() zeroed it, and error and
 * drop are written with their PT_HAVE_ bit), so answered_get() gives
 * the echo back as it was.  Of a flood's echo, 224 bytes of 680: the
 * table's 4096 echoes were written whole for each reply, 2.8 MB that
 * pushed the tables' nodes out of the cache (perf: a third of report
 * -q's time in pt_table_find() and pt_table_remove()).
 */
static void answered_copy(struct pt_echo *dst, const struct pt_echo *src)
{
	memcpy(dst, src, offsetof(struct pt_echo, path));
	memcpy(dst->path, src->path, src->nr_path * sizeof(src->path[0]));
	if (src->have & PT_HAVE_ERROR)
		dst->error = src->error;
	if (src->have & PT_HAVE_DROP)
		dst->drop = src->drop;
}

static void answered_get(struct pt_echo *echo, const struct pt_echo *kept)
{
	memset(echo, 0, sizeof(*echo));
	answered_copy(echo, kept);
}

/* @key is @echo's, @hash its pt_key_hash() */
static void remember_answered(struct pt_pair *p, const struct pt_echo *echo,
			      const struct pt_key *key, uint32_t hash)
{
	uint32_t idx;

	idx = pt_table_find_hashed(&p->answered, key, hash);
	if (idx != PT_TABLE_NIL)
		pt_table_remove(&p->answered, idx);
	if (pt_table_full(&p->answered))
		pt_table_remove(&p->answered, pt_table_oldest(&p->answered));
	idx = pt_table_insert_uninit_hashed(&p->answered, key, hash);
	answered_copy(pt_table_data(&p->answered, idx), echo);
}

/* @ev is a point of @echo's path; counted when there is no room left */
static void add_hop(struct pt_echo *echo, const struct pt_event *ev,
		    uint64_t ts, enum pt_hop_what what)
{
	struct pt_hop *hop;

	if (echo->nr_path == PT_PATH_MAX) {
		if (echo->path_full < UINT8_MAX)
			echo->path_full++;
		return;
	}
	hop = &echo->path[echo->nr_path++];
	hop->ns = ts;
	hop->netns = ev->netns;
	hop->dir = ev->dir;
	hop->what = what;
	memcpy(hop->dev, ev->dev, sizeof(hop->dev));
}

/*
 * A router in between sends the request on: where it came in was not
 * the responder
 */
static void request_forwarded(struct pt_echo *echo, const struct pt_event *ev,
			      uint64_t ts)
{
	add_hop(echo, ev, ts, PT_HOP_REQUEST);
	if (!(echo->have & PT_HAVE_TARGET_SEND))
		echo->have &= ~PT_HAVE_TARGET_RECV;
}

static void request_out(struct pt_pair *p, const struct pt_event *ev,
			uint64_t ts)
{
	struct pt_key key = echo_key(&ev->saddr, &ev->daddr,
				     ev->icmp_id, ev->icmp_seq);
	uint32_t hash = pt_key_hash(&key);
	struct pending *pend;
	uint32_t idx;

	idx = pt_table_find_hashed(&p->outstanding, &key, hash);
	if (idx != PT_TABLE_NIL) {
		pend = pt_table_data(&p->outstanding, idx);
		if (pend->echo.netns != ev->netns) {
			request_forwarded(&pend->echo, ev, ts);
			return;
		}
		drop_pending(p, idx);	/* seq wrapped: the old one is gone */
	}
	idx = pt_table_find_hashed(&p->answered, &key, hash);
	if (idx != PT_TABLE_NIL)
		pt_table_remove(&p->answered, idx);

	if (pt_table_full(&p->outstanding)) {
		idx = pt_table_oldest(&p->outstanding);
		pend = pt_table_data(&p->outstanding, idx);
		pend->loss_gen = p->loss_gen + 1;	/* reported unknown */
		p->stats.evicted++;
		drop_pending(p, idx);
	}

	idx = pt_table_insert_hashed(&p->outstanding, &key, hash);
	pend = pt_table_data(&p->outstanding, idx);
	/*
	 * Each CPU's buffer overruns on its own: a request read after the
	 * losses were noted, but older than them, may have lost its reply
	 * with them on another CPU
	 */
	pend->loss_gen = p->loss_gen;
	if (p->loss_seen && ts < p->last_loss_ts)
		pend->loss_gen--;
	pend->echo.have = PT_HAVE_SEND;
	pend->echo.src = ev->saddr;
	pend->echo.dst = ev->daddr;
	pend->echo.id = ev->icmp_id;
	pend->echo.seq = ev->icmp_seq;
	pend->echo.netns = ev->netns;
	pend->echo.send_ns = ts;
	add_hop(&pend->echo, ev, ts, PT_HOP_REQUEST);
	p->stats.sent++;
}

static struct pending *find_pending(struct pt_pair *p,
				    const struct pt_addr *src,
				    const struct pt_addr *dst,
				    const struct pt_event *ev)
{
	struct pt_key key = echo_key(src, dst, ev->icmp_id, ev->icmp_seq);
	uint32_t idx;

	idx = pt_table_find(&p->outstanding, &key);
	if (idx == PT_TABLE_NIL)
		return NULL;
	return pt_table_data(&p->outstanding, idx);
}

/*
 * The last request-in before the reply goes out is the responder's,
 * unless that netns sends it on (a router, see request_out()) or
 * answers it with an error (error_out())
 */
static void request_in(struct pt_pair *p, const struct pt_event *ev,
		       uint64_t ts)
{
	struct pending *pend = find_pending(p, &ev->saddr, &ev->daddr, ev);

	if (!pend)
		return;
	add_hop(&pend->echo, ev, ts, PT_HOP_REQUEST);
	if (pend->echo.have & PT_HAVE_TARGET_SEND)
		return;
	pend->echo.target_recv_ns = ts;
	pend->echo.target_netns = ev->netns;
	pend->echo.have |= PT_HAVE_TARGET_RECV;
}

/* The first reply-out is the responder's; later ones are forwarded copies */
static void reply_out(struct pt_pair *p, const struct pt_event *ev,
		      uint64_t ts)
{
	struct pending *pend = find_pending(p, &ev->daddr, &ev->saddr, ev);

	if (!pend)
		return;
	add_hop(&pend->echo, ev, ts, PT_HOP_REPLY);
	if (pend->echo.have & PT_HAVE_TARGET_SEND)
		return;
	if (pend->echo.target_netns != ev->netns)
		pend->echo.have &= ~PT_HAVE_TARGET_RECV;	/* not seen in */
	pend->echo.target_send_ns = ts;
	pend->echo.target_netns = ev->netns;
	pend->echo.have |= PT_HAVE_TARGET_SEND;
}

static int recent_loss(const struct pt_pair *p, uint64_t ts)
{
	return p->loss_seen && ts - p->last_loss_ts <= p->cfg.loss_window_ns;
}

/*
 * The oldest held reply is decided: "unknown" if a loss was counted
 * while it waited, or had been within loss_window_ns before it came
 */
static void release_held(struct pt_pair *p)
{
	struct held_reply *h = &p->held[p->held_first];
	struct pt_echo echo = h->echo;

	if (h->recent_loss || h->loss_gen != p->loss_gen)
		echo.status = PT_ECHO_UNKNOWN;
	else
		echo.status = PT_ECHO_UNMATCHED;
	p->held_first = (p->held_first + 1) % PT_PAIR_HELD_REPLIES;
	p->held_nr--;
	emit(p, &echo);
}

/*
 * Held full, the oldest is decided early; with no memory for the ring,
 * this one is decided at once: nothing is ever dropped
 */
static void hold_reply(struct pt_pair *p, const struct pt_echo *echo)
{
	struct held_reply *h;

	if (!p->held) {
		p->held = calloc(PT_PAIR_HELD_REPLIES, sizeof(*p->held));
		if (!p->held) {
			emit(p, echo);
			return;
		}
	}
	if (p->held_nr == PT_PAIR_HELD_REPLIES)
		release_held(p);
	h = &p->held[(p->held_first + p->held_nr) % PT_PAIR_HELD_REPLIES];
	h->echo = *echo;
	h->loss_gen = p->loss_gen;
	h->recent_loss = echo->status == PT_ECHO_UNKNOWN;
	p->held_nr++;
}

/* Held replies that came holdoff_ns before @now, or all (@all) */
static void release_held_until(struct pt_pair *p, uint64_t now, int all)
{
	const struct pt_echo *e;

	while (p->held_nr) {
		e = &p->held[p->held_first].echo;
		if (!all && (now < e->recv_ns ||
			     now - e->recv_ns < p->cfg.holdoff_ns))
			break;
		release_held(p);
	}
}

/* @key is the reply's echo's, @hash its pt_key_hash() */
static void reply_unpaired(struct pt_pair *p, const struct pt_event *ev,
			   uint64_t ts, const struct pt_key *key,
			   uint32_t hash)
{
	struct pt_echo echo = { 0 };
	const struct pt_echo *prev;
	uint32_t idx;

	idx = pt_table_find_hashed(&p->answered, key, hash);
	if (idx != PT_TABLE_NIL) {
		prev = pt_table_data(&p->answered, idx);
		if (prev->netns != ev->netns)
			return;		/* a hop of the duplicate */
		answered_get(&echo, prev);
		echo.status = PT_ECHO_DUP;
		echo.recv_ns = ts;
		add_hop(&echo, ev, ts, PT_HOP_REPLY);
		emit(p, &echo);
		return;
	}

	echo.status = recent_loss(p, ts) ? PT_ECHO_UNKNOWN : PT_ECHO_UNMATCHED;
	echo.have = PT_HAVE_RECV;
	echo.src = ev->daddr;
	echo.dst = ev->saddr;
	echo.id = ev->icmp_id;
	echo.seq = ev->icmp_seq;
	echo.netns = ev->netns;
	echo.recv_ns = ts;
	add_hop(&echo, ev, ts, PT_HOP_REPLY);
	if (!p->cfg.holdoff_ns) {
		emit(p, &echo);
		return;
	}
	hold_reply(p, &echo);
}

static void reply_in(struct pt_pair *p, const struct pt_event *ev,
		     uint64_t ts)
{
	struct pt_key key = echo_key(&ev->daddr, &ev->saddr,
				     ev->icmp_id, ev->icmp_seq);
	uint32_t hash = pt_key_hash(&key);
	struct pending *pend;
	uint32_t idx;

	idx = pt_table_find_hashed(&p->outstanding, &key, hash);
	if (idx == PT_TABLE_NIL) {
		reply_unpaired(p, ev, ts, &key, hash);
		return;
	}
	pend = pt_table_data(&p->outstanding, idx);
	add_hop(&pend->echo, ev, ts, PT_HOP_REPLY);
	if (pend->echo.netns != ev->netns)
		return;			/* a router on the way back */

	/*
	 * Closed where it is, not copied out of the table first (an echo
	 * is 680 bytes, its path): removing the entry only unlinks it, and
	 * its payload stays until the next insert into p->outstanding
	 */
	pend->echo.status = PT_ECHO_OK;
	pend->echo.recv_ns = ts;
	pend->echo.have |= PT_HAVE_RECV;
	remember_answered(p, &pend->echo, &key, hash);
	pt_table_remove(&p->outstanding, idx);
	emit(p, &pend->echo);
}

static void error_fill(struct pt_echo_error *err, const struct pt_event *ev,
		       uint64_t ts)
{
	err->type = ev->icmp_type;
	err->code = ev->icmp_code;
	if (pt_event_is_v6(ev))
		err->has_mtu = ev->icmp_type == PT_ICMP6_PKT_TOOBIG;
	else
		err->has_mtu = ev->mtu_format &&
			       ev->icmp_type == PT_ICMP_DEST_UNREACH &&
			       ev->icmp_code == PT_ICMP_FRAG_NEEDED;
	err->mtu = err->has_mtu ? ev->mtu : 0;
	err->from = ev->saddr;
	err->to = ev->daddr;
	err->ns = ts;
}

/* An error that quotes no request of ours: shown as it is, and why */
static void error_unattached(struct pt_pair *p, const struct pt_event *ev,
			     uint64_t ts)
{
	struct pt_echo echo = { 0 };

	echo.status = PT_ECHO_ERROR;
	echo.have = PT_HAVE_ERROR;
	echo.netns = ev->netns;
	if (ev->has_orig) {
		echo.src = ev->orig.saddr;
		echo.dst = ev->orig.daddr;
		echo.id = ev->orig.icmp_id;
		echo.seq = ev->orig.icmp_seq;
	}
	error_fill(&echo.error, ev, ts);
	if (ev->has_orig)
		echo.error.unattached = PT_ERROR_NO_REQUEST;
	else if (ev->orig_format)
		echo.error.unattached = PT_ERROR_NO_QUOTE;
	else
		echo.error.unattached = PT_ERROR_NO_ORIG;
	emit(p, &echo);
}

/*
 * An ICMP error coming in closes the request it quotes, when that is
 * outstanding and this is the requester's netns: the echo ends as
 * "error", not "lost", as ping counts it.  Errors quoting other
 * protocols are not an echo's.  Copies of an error seen in a router
 * on the way back are hops.
 */
static void error_in(struct pt_pair *p, const struct pt_event *ev,
		     uint64_t ts)
{
	struct pt_key key;
	struct pending *pend;
	struct pt_echo echo;
	uint32_t idx;

	if (!ev->has_orig) {
		error_unattached(p, ev, ts);
		return;
	}
	if (ev->orig.protocol != pt_icmp_proto(ev->saddr.family))
		return;
	key = echo_key(&ev->orig.saddr, &ev->orig.daddr, ev->orig.icmp_id,
		       ev->orig.icmp_seq);
	idx = pt_table_find(&p->outstanding, &key);
	if (idx == PT_TABLE_NIL) {
		error_unattached(p, ev, ts);
		return;
	}
	pend = pt_table_data(&p->outstanding, idx);
	add_hop(&pend->echo, ev, ts, PT_HOP_ERROR);
	if (pend->echo.netns != ev->netns)
		return;			/* a router on the way back */
	echo = pend->echo;
	pt_table_remove(&p->outstanding, idx);
	echo.status = PT_ECHO_ERROR;
	echo.have |= PT_HAVE_ERROR;
	error_fill(&echo.error, ev, ts);
	emit(p, &echo);
}

/*
 * An ICMP error going out, quoting an outstanding request: the netns
 * that sends it (a router whose TTL ran out, or whose neighbour did not
 * answer) is where the request ended, not the responder
 */
static void error_out(struct pt_pair *p, const struct pt_event *ev,
		      uint64_t ts)
{
	struct pending *pend;
	struct pt_key key;
	uint32_t idx;

	if (!ev->has_orig ||
	    ev->orig.protocol != pt_icmp_proto(ev->saddr.family))
		return;
	key = echo_key(&ev->orig.saddr, &ev->orig.daddr, ev->orig.icmp_id,
		       ev->orig.icmp_seq);
	idx = pt_table_find(&p->outstanding, &key);
	if (idx == PT_TABLE_NIL)
		return;
	pend = pt_table_data(&p->outstanding, idx);
	add_hop(&pend->echo, ev, ts, PT_HOP_ERROR);
	if (!(pend->echo.have & PT_HAVE_TARGET_SEND) &&
	    pend->echo.target_netns == ev->netns)
		pend->echo.have &= ~PT_HAVE_TARGET_RECV;
}

/* ND and MLD are no errors: they never close an echo */
static int is_error(const struct pt_event *ev)
{
	if (pt_event_is_v6(ev))
		return pt_icmp6_is_error_type(ev->icmp_type);
	return pt_icmp_is_error_type(ev->icmp_type);
}

/* @ev is a whole echo message (or the first fragment of one) */
static void feed_message(struct pt_pair *p, const struct pt_event *ev,
			 uint64_t ts)
{
	int send = ev->dir == PT_DIR_SEND;

	if (!ev->has_icmp)
		return;
	if (pt_event_is_request(ev)) {
		if (send)
			request_out(p, ev, ts);
		else
			request_in(p, ev, ts);
	} else if (pt_event_is_reply(ev)) {
		if (send)
			reply_out(p, ev, ts);
		else
			reply_in(p, ev, ts);
	} else if (is_error(ev)) {
		if (send)
			error_out(p, ev, ts);
		else
			error_in(p, ev, ts);
	}
}

/* IPv4's ip_id is 16 bits, IPv6's fragment id 32 */
static struct pt_key fragment_key(const struct pt_event *ev)
{
	struct pt_key key;

	memcpy(&key.w[0], ev->saddr.w, sizeof(ev->saddr.w));
	memcpy(&key.w[4], ev->daddr.w, sizeof(ev->daddr.w));
	key.w[8] = ev->ip_id;
	key.w[9] = (uint32_t)ev->saddr.family << 16 |
		   (uint32_t)ev->protocol << 8 | ev->dir;
	key.w[10] = ev->netns;
	key.w[11] = 0;
	return key;
}

static struct fragment *fragment_slot(struct pt_pair *p,
				      const struct pt_event *ev)
{
	struct pt_key key = fragment_key(ev);
	struct fragment *frag;
	uint32_t idx;

	idx = pt_table_find(&p->fragments, &key);
	if (idx != PT_TABLE_NIL)
		return pt_table_data(&p->fragments, idx);
	if (pt_table_full(&p->fragments)) {
		pt_table_remove(&p->fragments, pt_table_oldest(&p->fragments));
		p->stats.frag_dropped++;
	}
	idx = pt_table_insert(&p->fragments, &key);
	frag = pt_table_data(&p->fragments, idx);
	frag->seen_ts = ev->ts;
	return frag;
}

static void fragment_done(struct pt_pair *p, const struct pt_event *ev)
{
	struct pt_key key = fragment_key(ev);
	uint32_t idx = pt_table_find(&p->fragments, &key);

	if (idx != PT_TABLE_NIL)
		pt_table_remove(&p->fragments, idx);
}

/*
 * Only the first fragment has the ICMP header.  A message going out
 * counts when its first fragment leaves; a message coming in counts
 * when its last fragment arrives (in either order).
 */
static void feed_fragment(struct pt_pair *p, const struct pt_event *ev)
{
	struct fragment *frag;
	struct pt_event first;
	uint64_t ts;

	if (ev->dir == PT_DIR_SEND) {
		if (pt_event_is_first_fragment(ev))
			feed_message(p, ev, ev->ts);
		return;
	}
	if (pt_event_is_first_fragment(ev)) {
		if (!ev->has_icmp)
			return;
		frag = fragment_slot(p, ev);
		frag->first = *ev;
		frag->have_first = 1;
	} else if (pt_event_is_last_fragment(ev)) {
		frag = fragment_slot(p, ev);
		frag->last_ts = ev->ts;
		frag->have_last = 1;
	} else {
		return;			/* a middle fragment */
	}
	if (!frag->have_first || !frag->have_last)
		return;

	first = frag->first;
	ts = frag->last_ts > first.ts ? frag->last_ts : first.ts;
	fragment_done(p, ev);
	feed_message(p, &first, ts);
}

void pt_pair_feed(struct pt_pair *p, const struct pt_event *ev)
{
	p->stats.events++;
	if (ev->protocol != pt_icmp_proto(ev->saddr.family))
		return;
	if (pt_event_is_fragment(ev))
		feed_fragment(p, ev);
	else
		feed_message(p, ev, ev->ts);
}

/*
 * The ring buffer dropped @count events (-1: an unknown number), none of
 * them newer than @ts.  Requests outstanding now, and requests older
 * than @ts still to come (live reads each CPU's buffer, and each
 * overruns on its own), may have had their reply dropped: they end as
 * "unknown", never as "lost".  A reply with no request within
 * loss_window_ns after a loss is "unknown" too, not "unmatched".
 */
void pt_pair_events_lost(struct pt_pair *p, uint64_t ts, long long count)
{
	struct pt_stats *st = &p->stats;

	p->loss_gen++;
	p->loss_seen = 1;
	if (ts > p->last_loss_ts)
		p->last_loss_ts = ts;
	if (count < 0)
		st->events_lost = -1;
	else if (st->events_lost >= 0)
		st->events_lost += count;
}

static void expire_fragments(struct pt_pair *p, uint64_t now)
{
	struct pt_table *t = &p->fragments;
	struct fragment *frag;

	while (pt_table_oldest(t) != PT_TABLE_NIL) {
		frag = pt_table_data(t, pt_table_oldest(t));
		if (now - frag->seen_ts < p->cfg.timeout_ns || now < frag->seen_ts)
			break;
		pt_table_remove(t, pt_table_oldest(t));
		p->stats.frag_dropped++;
	}
}

/*
 * Requests sent more than timeout_ns before @now are lost; replies with
 * no request that came holdoff_ns before @now are decided
 */
void pt_pair_expire(struct pt_pair *p, uint64_t now)
{
	struct pt_table *t = &p->outstanding;
	struct pending *pend;

	release_held_until(p, now, 0);
	if (!p->cfg.timeout_ns)
		return;
	while (pt_table_oldest(t) != PT_TABLE_NIL) {
		pend = pt_table_data(t, pt_table_oldest(t));
		if (now < pend->echo.send_ns ||
		    now - pend->echo.send_ns < p->cfg.timeout_ns)
			break;
		drop_pending(p, pt_table_oldest(t));
	}
	expire_fragments(p, now);
}

/*
 * The kernel dropped @pkt, a packet of an echo: the request (or its
 * reply) of an outstanding echo keeps the drop, to be told when it is
 * decided.  Returns 1 then, 0 for a packet of no outstanding echo.
 */
int pt_pair_drop(struct pt_pair *p, const struct pt_packet *pkt,
		 const struct pt_drop *drop)
{
	struct pt_key key;
	struct pending *pend;
	uint32_t idx;

	int family = pkt->saddr.family;

	if (!pkt->has_icmp || (pkt->icmp_type != pt_icmp_echo_type(family) &&
			       pkt->icmp_type != pt_icmp_reply_type(family))) {
		p->stats.drops_other++;
		return 0;
	}
	if (pkt->icmp_type == pt_icmp_echo_type(family))
		key = echo_key(&pkt->saddr, &pkt->daddr, pkt->icmp_id,
			       pkt->icmp_seq);
	else
		key = echo_key(&pkt->daddr, &pkt->saddr, pkt->icmp_id,
			       pkt->icmp_seq);
	idx = pt_table_find(&p->outstanding, &key);
	if (idx == PT_TABLE_NIL) {
		if (pt_table_find(&p->answered, &key) != PT_TABLE_NIL)
			p->stats.drops_answered++;
		else
			p->stats.drops_other++;
		return 0;
	}
	pend = pt_table_data(&p->outstanding, idx);
	if (!(pend->echo.have & PT_HAVE_DROP))
		p->stats.drops++;
	pend->echo.have |= PT_HAVE_DROP;
	pend->echo.drop = *drop;
	return 1;
}

/* A drop of a packet no net:ip_icmp event saw: counted, never joined */
void pt_pair_drop_unseen(struct pt_pair *p)
{
	p->stats.drops_unseen++;
}

/* The end of the trace: whatever is still outstanding was not answered */
void pt_pair_finish(struct pt_pair *p)
{
	release_held_until(p, 0, 1);
	while (pt_table_oldest(&p->outstanding) != PT_TABLE_NIL)
		drop_pending(p, pt_table_oldest(&p->outstanding));
	while (pt_table_oldest(&p->fragments) != PT_TABLE_NIL) {
		pt_table_remove(&p->fragments, pt_table_oldest(&p->fragments));
		p->stats.frag_dropped++;
	}
}

/* As iputils ping: mdev = sqrt(mean(rtt^2) - mean(rtt)^2) */
void pt_stats_rtt(const struct pt_stats *st, struct pt_rtt *rtt)
{
	long double avg, avg2, var;

	memset(rtt, 0, sizeof(*rtt));
	if (!st->rtt_n)
		return;
	avg = (long double)st->rtt_sum / st->rtt_n;
	avg2 = (long double)st->rtt_sum2 / st->rtt_n;
	var = avg2 - avg * avg;
	rtt->min = st->rtt_min;
	rtt->max = st->rtt_max;
	rtt->avg = (uint64_t)(avg + 0.5L);
	rtt->mdev = var > 0 ? (uint64_t)(sqrtl(var) + 0.5L) : 0;
}
