// SPDX-License-Identifier: GPL-2.0
/*
 * The text writer: one line per event, in columns, and the summary in
 * the words of ping's own.
 */
#include "output-local.h"

/* The columns of a line: "%-4s %6d %-15s %18s %-12s %15s -> %-15s" */
#define WIDTH_WHAT	4	/* SND, RCV, LOST, UNKN */
#define WIDTH_PID	6
#define WIDTH_COMM	15	/* TASK_COMM_LEN - 1 */
#define WIDTH_TIME	18	/* HH:MM:SS.nnnnnnnnn */
#define WIDTH_KIND	12
#define WIDTH_ADDR	15	/* 255.255.255.255 */

/* " (out=%s resp=%s back=%s)" in ms, when all four times are known */
static void text_breakdown(struct line *l, const struct pt_echo *e)
{
	unsigned int four = PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND;

	if ((e->have & four) != four || e->target_recv_ns < e->send_ns ||
	    e->target_send_ns < e->target_recv_ns ||
	    e->recv_ns < e->target_send_ns)
		return;
	put_lit(l, " (out=");
	put_ms(l, e->target_recv_ns - e->send_ns);
	put_lit(l, " resp=");
	put_ms(l, e->target_send_ns - e->target_recv_ns);
	put_lit(l, " back=");
	put_ms(l, e->recv_ns - e->target_send_ns);
	put_lit(l, ")");
}

/*
 * " From A icmp_seq=N <ping's text> after=X ms" as ping says it, and
 * why it stands alone when it quotes no request of ours
 */
static void text_error(struct pt_output *o, struct line *l,
		       const struct pt_echo *e)
{
	char text[PT_ERROR_TEXT_LEN];
	int known = pt_echo_error_text(&e->error, text, sizeof(text)) >= 0;

	put_lit(l, " From ");
	put_ip(o, l, &e->error.from, 0, 1);
	if (e->error.unattached == PT_ERROR_ATTACHED ||
	    e->error.unattached == PT_ERROR_NO_REQUEST) {
		put_lit(l, " icmp_seq=");
		put_u64(l, e->seq);
	}
	put_lit(l, " ");
	if (known) {
		put_str(l, text);
		/* ping -6 words its mtu in the text: IPv4 only */
		if (e->error.has_mtu && e->error.from.family == AF_INET) {
			put_lit(l, " (mtu = ");
			put_u64(l, e->error.mtu);
			put_lit(l, ")");
		}
	} else {
		put_lit(l, "type=");
		put_u64(l, e->error.type);
		put_lit(l, " code=");
		put_u64(l, e->error.code);
	}
	if (e->have & PT_HAVE_SEND && e->error.ns >= e->send_ns) {
		put_lit(l, " after=");
		put_ms(l, e->error.ns - e->send_ns);
		put_lit(l, " ms");
	}
	if (e->error.unattached == PT_ERROR_NO_ORIG)
		put_lit(l, " (not attached: this net:ip_icmp has no orig_*)");
	else if (e->error.unattached == PT_ERROR_NO_REQUEST)
		put_lit(l, " (not attached: quotes no outstanding request)");
	else if (e->error.unattached == PT_ERROR_NO_QUOTE)
		put_lit(l, " (not attached: the kernel read no quote)");
}

/* " dropped in netns N dev D at FUNCTION (REASON)" */
static void text_drop_where(struct pt_output *o, struct line *l,
			    const struct pt_drop *d)
{
	put_lit(l, " dropped in netns=");
	put_netns(o, l, d->netns);
	put_lit(l, " dev=");
	put_str(l, d->dev);
	put_lit(l, " at ");
	put_str(l, d->location);
	if (d->reason[0]) {
		put_lit(l, " (");
		put_str(l, d->reason);
		put_lit(l, ")");
	}
}

static void text_closed(struct pt_output *o, struct line *l,
			const struct pt_echo *e)
{
	switch (e->status) {
	case PT_ECHO_OK:
		put_lit(l, " rtt=");
		put_ms(l, pt_echo_rtt(e));
		put_lit(l, " ms");
		text_breakdown(l, e);
		break;
	case PT_ECHO_DUP:
		put_lit(l, " rtt=");
		put_ms(l, pt_echo_rtt(e));
		put_lit(l, " ms DUP!");
		break;
	case PT_ECHO_UNMATCHED:
		put_lit(l, " no-request");
		break;
	case PT_ECHO_UNKNOWN:
		put_lit(l, " no-request (trace events lost)");
		break;
	case PT_ECHO_ERROR:
		text_error(o, l, e);
		if (e->have & PT_HAVE_DROP)
			text_drop_where(o, l, &e->drop);
		break;
	case PT_ECHO_LOST:
		break;
	}
}

/*
 * The columns, with "-" for the pid and the comm of a line that is not
 * an event's (@ev NULL)
 */
static void text_head(struct pt_output *o, struct line *l, const char *what,
		      const struct pt_event *ev, uint64_t ts,
		      const char *kind, const struct pt_addr *src,
		      const struct pt_addr *dst)
{
	put_left(l, what, WIDTH_WHAT);
	put_lit(l, " ");
	if (ev) {
		put_task(o, l, ev->pid, ev->comm, WIDTH_PID, WIDTH_COMM);
	} else {
		put_right(l, "-", WIDTH_PID);
		put_lit(l, " ");
		put_left(l, "-", WIDTH_COMM);
	}
	put_lit(l, " ");
	put_time(o, l, ts, WIDTH_TIME);
	put_lit(l, " ");
	put_left(l, kind, WIDTH_KIND);
	put_lit(l, " ");
	put_ip(o, l, src, WIDTH_ADDR, 0);
	put_lit(l, " -> ");
	put_ip(o, l, dst, WIDTH_ADDR, 1);
}

/* " id= seq=" of an echo, " type= code=" of other ICMP */
static void text_icmp(struct line *l, const struct pt_event *ev)
{
	if (pt_icmp_is_echo(ev)) {
		put_lit(l, " id=");
		put_u64(l, ev->icmp_id);
		put_lit(l, " seq=");
		put_u64(l, ev->icmp_seq);
	} else if (ev->has_icmp) {
		put_lit(l, " type=");
		put_u64(l, ev->icmp_type);
		put_lit(l, " code=");
		put_u64(l, ev->icmp_code);
	}
}

/* The id is IPv4's ip_id, or the IPv6 fragment header's */
static void text_fragment(struct line *l, const struct pt_event *ev)
{
	if (!pt_event_is_fragment(ev))
		return;
	put_str(l, pt_event_is_v6(ev) ? " fragid=" : " ipid=");
	put_u64(l, ev->ip_id);
	put_lit(l, " frag=");
	put_u64(l, pt_event_frag_offset(ev));
	if (pt_event_more_fragments(ev))
		put_lit(l, "+");
}

/*
 * An echo that crossed more than two namespaces of this kernel: each
 * point in order, with the time since the one before it (in a netns
 * between its RCV and SND, on a link between a SND and the next RCV)
 */
static void text_path(struct pt_output *o, const struct pt_echo *e)
{
	const struct pt_hop *h;
	struct line l;
	unsigned int i;

	if (e->nr_path <= 4 && !e->path_full)
		return;
	line_init(&l);
	put_lit(&l, "  path:");
	for (i = 0; i < e->nr_path; i++) {
		h = &e->path[i];
		put_str(&l, i ? " > " : " ");
		put_str(&l, h->dir == PT_DIR_SEND ? "SND " : "RCV ");
		put_str(&l, h->dev[0] ? h->dev : "-");
		if (h->what != PT_HOP_REQUEST) {
			put_lit(&l, "(");
			put_str(&l, pt_hop_what_name(h->what));
			put_lit(&l, ")");
		}
		if (i && h->ns >= e->path[i - 1].ns) {
			put_lit(&l, " +");
			put_ms(&l, h->ns - e->path[i - 1].ns);
		}
	}
	if (e->path_full) {
		put_lit(&l, " (+");
		put_u64(&l, e->path_full);
		put_lit(&l, " more)");
	}
	put_lit(&l, "\n");
	put_line(o, &l);
}

/* " ttl=%u len=%u" and the fragment, " dev=%s netns=%u" */
static void text_tail(struct pt_output *o, struct line *l,
		      const struct pt_event *ev)
{
	put_lit(l, " ttl=");
	put_u64(l, ev->ttl);
	put_lit(l, " len=");
	put_u64(l, ev->tot_len);
	text_fragment(l, ev);
	put_lit(l, " dev=");
	put_str(l, ev->dev);
	put_lit(l, " netns=");
	put_netns(o, l, ev->netns);
}

/*
 * What follows the time on an echo's line, to " seq=": the kind, the
 * addresses and the id, which an echo's four lines share two by two.
 * The last few are kept, and found again by what they are made of.
 */
static void text_addr_seg(struct pt_output *o, struct line *l,
			  const struct pt_event *ev, const char *kind)
{
	struct pt_text_cache *c = pt_text_cache(o);
	struct text_seg_addr *seg;
	struct line t;
	int i;

	for (i = 0; i < TEXT_SEGS; i++) {
		seg = &c->seg_addr[i];
		if (seg->valid && seg->kind == kind && seg->id == ev->icmp_id &&
		    pt_addr_eq(&seg->src, &ev->saddr) &&
		    pt_addr_eq(&seg->dst, &ev->daddr)) {
			put_kept(l, seg->text, seg->len, sizeof(seg->text));
			return;
		}
	}
	line_init(&t);
	put_lit(&t, " ");
	put_left(&t, kind, WIDTH_KIND);
	put_lit(&t, " ");
	put_ip(o, &t, &ev->saddr, WIDTH_ADDR, 0);
	put_lit(&t, " -> ");
	put_ip(o, &t, &ev->daddr, WIDTH_ADDR, 1);
	put_lit(&t, " id=");
	put_u64(&t, ev->icmp_id);
	put_lit(&t, " seq=");
	put_mem(l, t.buf, t.len);
	if (t.len > TEXT_SEG_LEN)
		return;		/* IPv6, say: not kept */
	seg = &c->seg_addr[c->seg_addr_next];
	c->seg_addr_next = (c->seg_addr_next + 1) % TEXT_SEGS;
	seg->kind = kind;
	seg->src = ev->saddr;
	seg->dst = ev->daddr;
	seg->id = ev->icmp_id;
	seg->len = t.len;
	memcpy(seg->text, t.buf, t.len);
	seg->valid = 1;
}

/* text_tail() of an event that is not a fragment, kept as the above */
static void text_tail_seg(struct pt_output *o, struct line *l,
			  const struct pt_event *ev)
{
	struct pt_text_cache *c = pt_text_cache(o);
	struct text_seg_tail *seg;
	struct line t;
	int i;

	for (i = 0; i < TEXT_SEGS; i++) {
		seg = &c->seg_tail[i];
		if (seg->valid && seg->netns == ev->netns &&
		    seg->tot_len == ev->tot_len && seg->ttl == ev->ttl &&
		    !memcmp(seg->dev, ev->dev, sizeof(seg->dev))) {
			put_kept(l, seg->text, seg->len, sizeof(seg->text));
			return;
		}
	}
	line_init(&t);
	text_tail(o, &t, ev);
	put_mem(l, t.buf, t.len);
	if (t.len > TEXT_SEG_LEN)
		return;
	seg = &c->seg_tail[c->seg_tail_next];
	c->seg_tail_next = (c->seg_tail_next + 1) % TEXT_SEGS;
	seg->netns = ev->netns;
	seg->tot_len = ev->tot_len;
	seg->ttl = ev->ttl;
	memcpy(seg->dev, ev->dev, sizeof(seg->dev));
	seg->len = t.len;
	memcpy(seg->text, t.buf, t.len);
	seg->valid = 1;
}

/*
 * An echo's line, not a fragment's, of the four a flood has for each
 * echo: the same as text_head(), text_icmp() and text_tail() write,
 * but for its time and seq from text kept (a timeline of 1M events was
 * half formatting, make bench)
 */
static void text_echo_event(struct pt_output *o, struct line *l,
			    const struct pt_event *ev)
{
	put_left(l, pt_dir_name(ev), WIDTH_WHAT);
	put_lit(l, " ");
	put_task(o, l, ev->pid, ev->comm, WIDTH_PID, WIDTH_COMM);
	put_lit(l, " ");
	put_time(o, l, ev->ts, WIDTH_TIME);
	text_addr_seg(o, l, ev, pt_icmp_kind(ev));
	put_u64(l, ev->icmp_seq);
	text_tail_seg(o, l, ev);
}

static void text_event(struct pt_output *o, const struct pt_event *ev,
		       const struct pt_echo *closed)
{
	struct line l;

	line_init_out(o, &l);
	if (pt_icmp_is_echo(ev) && !pt_event_is_fragment(ev)) {
		text_echo_event(o, &l, ev);
	} else {
		text_head(o, &l, pt_dir_name(ev), ev, ev->ts,
			  pt_icmp_kind(ev), &ev->saddr, &ev->daddr);
		text_icmp(&l, ev);
		text_tail(o, &l, ev);
	}
	if (closed)
		text_closed(o, &l, closed);
	put_lit(&l, "\n");
	put_line(o, &l);
	if (closed)
		text_path(o, closed);
}

/* Echoes closed by a reply are shown on the reply's line */
static void text_echo(struct pt_output *o, const struct pt_echo *e)
{
	struct line l;

	if (e->have & (PT_HAVE_RECV | PT_HAVE_ERROR))
		return;
	line_init(&l);
	text_head(o, &l, e->status == PT_ECHO_LOST ? "LOST" : "UNKN", NULL,
		  e->send_ns, pt_icmp_name(e->src.family,
					   pt_icmp_echo_type(e->src.family)),
		  &e->src, &e->dst);
	put_lit(&l, " id=");
	put_u64(&l, e->id);
	put_lit(&l, " seq=");
	put_u64(&l, e->seq);
	put_str(&l, e->status == PT_ECHO_LOST ? " no reply" :
		" reply unknown (trace events lost)");
	if (e->have & PT_HAVE_DROP)
		text_drop_where(o, &l, &e->drop);
	put_lit(&l, "\n");
	put_line(o, &l);
	text_path(o, e);
}

/*
 * "DROP - - TIME KIND SRC -> DST id= seq= dev= netns= at F (R)"; a drop
 * of an skb no net:ip_icmp event saw says so, with no addresses
 */
static void text_drop(struct pt_output *o, const struct pt_drop *d,
		      const struct pt_packet *pkt, int attached)
{
	const char *kind;
	struct line l;
	int family;

	if (pkt && !attached)
		return;		/* an answered echo's, say: not its end */
	line_init(&l);
	if (!pkt) {
		struct pt_addr none = pt_addr4(0);

		text_head(o, &l, "DROP", NULL, d->ns, "ip", &none, &none);
		put_lit(&l, " an skb no net:ip_icmp event saw, at ");
		put_str(&l, d->location);
		put_lit(&l, " (");
		put_str(&l, d->reason[0] ? d->reason : "no reason");
		put_lit(&l, ")\n");
		put_line(o, &l);
		return;
	}
	family = pkt->saddr.family;
	kind = pkt->has_icmp ? pt_icmp_name(family, pkt->icmp_type) : NULL;
	text_head(o, &l, "DROP", NULL, d->ns, kind ? kind : "icmp",
		  &pkt->saddr, &pkt->daddr);
	if (pkt->has_icmp && (pkt->icmp_type == pt_icmp_echo_type(family) ||
			      pkt->icmp_type == pt_icmp_reply_type(family))) {
		put_lit(&l, " id=");
		put_u64(&l, pkt->icmp_id);
		put_lit(&l, " seq=");
		put_u64(&l, pkt->icmp_seq);
	}
	text_drop_where(o, &l, d);
	put_lit(&l, "\n");
	put_line(o, &l);
}

/* "kernel rtt min/avg/max/mdev = %s/%s/%s/%s ms", in ms as ping has it */
static void text_rtt(struct pt_output *o, const struct pt_stats *st)
{
	struct pt_rtt rtt;
	struct line l;

	pt_stats_rtt(st, &rtt);
	line_init(&l);
	put_lit(&l, "kernel rtt min/avg/max/mdev = ");
	put_ms(&l, rtt.min);
	put_lit(&l, "/");
	put_ms(&l, rtt.avg);
	put_lit(&l, "/");
	put_ms(&l, rtt.max);
	put_lit(&l, "/");
	put_ms(&l, rtt.mdev);
	put_lit(&l, " ms\n");
	put_line(o, &l);
}

/*
 * The loss is ping's: requests neither answered nor unknown, errors
 * included; each echo counts once, as lost or as an error
 */
static void text_summary(struct pt_output *o, const struct pt_stats *st)
{
	pt_out(o, "--- pingtrace statistics ---\n");
	pt_out(o, "%llu requests, %llu replies, ",
	       (unsigned long long)st->sent, (unsigned long long)st->received);
	if (st->errors)
		pt_out(o, "+%llu errors, ", (unsigned long long)st->errors);
	pt_out(o, "%llu%% loss, %llu duplicates, %llu unmatched, "
	       "%llu unknown\n", (unsigned long long)pt_stats_loss_pct(st),
	       (unsigned long long)st->dup,
	       (unsigned long long)st->unmatched,
	       (unsigned long long)st->unknown);
	/* a root ping's replies alone (freed after delivery) are no news */
	if (st->drops || st->drops_other || st->drops_unseen)
		pt_out(o, "kernel drops: %llu of echoes, %llu of answered "
		       "echoes' packets, %llu of other ICMP packets, %llu of "
		       "skbs net:ip_icmp never saw\n",
		       (unsigned long long)st->drops,
		       (unsigned long long)st->drops_answered,
		       (unsigned long long)st->drops_other,
		       (unsigned long long)st->drops_unseen);
	if (st->errors_unattached)
		pt_out(o, "errors not attached to a request: %llu\n",
		       (unsigned long long)st->errors_unattached);
	if (st->rtt_n)
		text_rtt(o, st);
	if (st->events_lost < 0)
		pt_out(o, "trace events lost: unknown number\n");
	else
		pt_out(o, "trace events lost: %lld\n",
		       (long long)st->events_lost);
	if (st->evicted || st->frag_dropped)
		pt_out(o, "evicted requests: %llu, incomplete fragment "
		       "trains: %llu\n", (unsigned long long)st->evicted,
		       (unsigned long long)st->frag_dropped);
}

const struct pt_writer pt_text_writer = {
	.event		= text_event,
	.echo		= text_echo,
	.summary	= text_summary,
	.drop		= text_drop,
};
