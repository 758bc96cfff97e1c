// SPDX-License-Identifier: GPL-2.0
/*
 * The stages of an echo: net:ip_icmp joined with the kernel's own events.
 * Pure: no I/O.
 *
 * By skb address.  An address names a packet only from one event to the
 * next, as in join.c: the way out begins at the net:ip_icmp SND (the
 * packet's new life), the way in at a receive entry, and an address that
 * comes back replaces what was known of it.  Only the first
 * net_dev_queue and net_dev_xmit after a SND count, and an xmit only
 * after its queue and with rc 0.
 *
 * By task.  The SND of a request runs in the pinger's syscall: its pid
 * is the pinger's, and the task's latest sendto/sendmsg entry before it
 * is the request's (consumed by it).  The task's wakeups, switches in
 * and successful recvmsg/recvfrom exits are kept, and joined by time
 * when the echo is written: its recvmsg exit is the task's first after
 * the reply's RCV that no earlier reply took and before the task's next
 * send (one lost exit must not shift every later echo onto the next
 * one's), its wakeup the first between the two, its switch the first
 * after the wakeup.  By time, not
 * by the order events come in: live reads the ring buffer a CPU at a
 * time, and a recvmsg on one CPU can be read before the RCV on another.
 *
 * Lost events (an overrun) freeze every echo in flight: what it had is
 * kept, and nothing joined after the loss is taken for it, since the
 * event that should have come first may be the lost one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stages.h"

struct pt_stage_rec {
	uint64_t	at[PT_P_MAX];
	uint32_t	seen;
	int		pid;
	uint8_t		done;		/* nothing more will join */
	uint8_t		lost;		/* frozen by a loss */
};

/* An skb on its way out: the echo and the direction it belongs to */
struct pt_stage_out {
	struct pt_key	echo;
	uint8_t		reply;
};

struct pt_stage_in {
	uint64_t	entry;		/* 0: not seen */
	uint64_t	core;
};

struct pt_task_ev {
	uint64_t	ts;
	uint8_t		kind;		/* enum pt_stage_event; 0: free */
	uint8_t		used;		/* a recvmsg exit taken by a reply */
};

struct pt_stage_task {
	uint64_t	send_ts;
	uint8_t		has_send;
	unsigned int	next;		/* ring slot written next */
	struct pt_task_ev ev[PT_STAGES_TASK_EVENTS];
};

struct pt_stages_pending {
	struct pt_echo	echo;
};

static struct pt_key echo_key(const struct pt_addr *requester,
			      const struct pt_addr *responder,
			      uint16_t id, uint16_t seq)
{
	struct pt_key key = { { 0 } };

	memcpy(&key.w[0], requester->w, sizeof(requester->w));
	memcpy(&key.w[4], responder->w, sizeof(responder->w));
	key.w[8] = (uint32_t)id << 16 | seq;
	key.w[9] = requester->family;
	return key;
}

static struct pt_key skb_key(uint64_t skbaddr)
{
	struct pt_key key = { { (uint32_t)skbaddr,
				(uint32_t)(skbaddr >> 32), 0, 0 } };

	return key;
}

static struct pt_key pid_key(int pid)
{
	struct pt_key key = { { (uint32_t)pid, 0, 0, 0 } };

	return key;
}

int pt_stages_init(struct pt_stages *st, pt_stages_emit_fn emit, void *data)
{
	memset(st, 0, sizeof(*st));
	st->emit = emit;
	st->data = data;
	st->pending = calloc(PT_STAGES_MAX_PENDING, sizeof(*st->pending));
	if (!st->pending ||
	    pt_table_init(&st->echoes, PT_STAGES_MAX_ECHOES,
			  sizeof(struct pt_stage_rec)) ||
	    pt_table_init(&st->out, PT_STAGES_MAX_SKBS,
			  sizeof(struct pt_stage_out)) ||
	    pt_table_init(&st->in, PT_STAGES_MAX_SKBS,
			  sizeof(struct pt_stage_in)) ||
	    pt_table_init(&st->tasks, PT_STAGES_MAX_TASKS,
			  sizeof(struct pt_stage_task)))
		return -ENOMEM;
	return 0;
}

void pt_stages_release(struct pt_stages *st)
{
	pt_table_release(&st->echoes);
	pt_table_release(&st->out);
	pt_table_release(&st->in);
	pt_table_release(&st->tasks);
	free(st->pending);
	st->pending = NULL;
}

static void *find(struct pt_table *t, const struct pt_key *key)
{
	uint32_t idx = pt_table_find(t, key);

	return idx == PT_TABLE_NIL ? NULL : pt_table_data(t, idx);
}

/* A new entry for @key, the old one replaced, the oldest evicted */
static void *fresh(struct pt_table *t, const struct pt_key *key)
{
	uint32_t idx = pt_table_find(t, key);

	if (idx != PT_TABLE_NIL)
		pt_table_remove(t, idx);
	if (pt_table_full(t))
		pt_table_remove(t, pt_table_oldest(t));
	return pt_table_data(t, pt_table_insert(t, key));
}

static void forget(struct pt_table *t, const struct pt_key *key)
{
	uint32_t idx = pt_table_find(t, key);

	if (idx != PT_TABLE_NIL)
		pt_table_remove(t, idx);
}

static int has(const struct pt_stage_rec *r, enum pt_point p)
{
	return (r->seen >> p) & 1;
}

static void mark(struct pt_stage_rec *r, enum pt_point p, uint64_t ts)
{
	r->at[p] = ts;
	r->seen |= 1u << p;
}

static struct pt_stage_rec *live_rec(struct pt_stages *st,
				     const struct pt_key *key)
{
	struct pt_stage_rec *r = find(&st->echoes, key);

	return r && !r->done ? r : NULL;
}

static struct pt_stage_task *task_of(struct pt_stages *st, int pid,
				     int create)
{
	struct pt_key key = pid_key(pid);
	struct pt_stage_task *t = find(&st->tasks, &key);

	if (!t && create)
		t = fresh(&st->tasks, &key);
	return t;
}

static void request_out(struct pt_stages *st, const struct pt_event *ev)
{
	struct pt_key key = echo_key(&ev->saddr, &ev->daddr, ev->icmp_id,
				     ev->icmp_seq);
	struct pt_key skb = skb_key(ev->skbaddr);
	struct pt_stage_rec *r = fresh(&st->echoes, &key);
	struct pt_stage_task *t = task_of(st, ev->pid, 0);
	struct pt_stage_out *o;

	mark(r, PT_P_REQ_SND, ev->ts);
	r->pid = ev->pid;
	if (t && t->has_send && t->send_ts <= ev->ts) {
		mark(r, PT_P_USER_SEND, t->send_ts);
		t->has_send = 0;
	}
	o = fresh(&st->out, &skb);
	o->echo = key;
	o->reply = 0;
}

/*
 * The receive entry and core times of the skb that just reached IP,
 * when they are of this way (after the packet was sent, @since)
 */
static void take_in(struct pt_stages *st, struct pt_stage_rec *r,
		    const struct pt_event *ev, enum pt_point entry,
		    uint64_t since)
{
	struct pt_key skb = skb_key(ev->skbaddr);
	struct pt_stage_in *in = find(&st->in, &skb);

	if (!in)
		return;
	if (in->entry && in->entry >= since && in->entry <= ev->ts)
		mark(r, entry, in->entry);
	if (in->core && in->core >= since && in->core <= ev->ts)
		mark(r, entry + 1, in->core);
	forget(&st->in, &skb);
}

static void request_in(struct pt_stages *st, const struct pt_event *ev)
{
	struct pt_key key = echo_key(&ev->saddr, &ev->daddr, ev->icmp_id,
				     ev->icmp_seq);
	struct pt_stage_rec *r = live_rec(st, &key);

	if (!r || has(r, PT_P_REQ_RCV))
		return;
	mark(r, PT_P_REQ_RCV, ev->ts);
	take_in(st, r, ev, PT_P_REQ_ENTRY, r->at[PT_P_REQ_SND]);
}

static void reply_out(struct pt_stages *st, const struct pt_event *ev)
{
	struct pt_key key = echo_key(&ev->daddr, &ev->saddr, ev->icmp_id,
				     ev->icmp_seq);
	struct pt_key skb = skb_key(ev->skbaddr);
	struct pt_stage_rec *r = live_rec(st, &key);
	struct pt_stage_out *o;

	if (!r || has(r, PT_P_REP_SND))
		return;
	mark(r, PT_P_REP_SND, ev->ts);
	o = fresh(&st->out, &skb);
	o->echo = key;
	o->reply = 1;
}

static void reply_in(struct pt_stages *st, const struct pt_event *ev)
{
	struct pt_key key = echo_key(&ev->daddr, &ev->saddr, ev->icmp_id,
				     ev->icmp_seq);
	struct pt_stage_rec *r = live_rec(st, &key);

	if (!r || has(r, PT_P_REP_RCV))
		return;
	mark(r, PT_P_REP_RCV, ev->ts);
	take_in(st, r, ev, PT_P_REP_ENTRY, has(r, PT_P_REP_SND) ?
		r->at[PT_P_REP_SND] : r->at[PT_P_REQ_SND]);
	/*
	 * Not done: a net_dev_xmit can still come, when the driver's xmit
	 * returns after the frame was received (virtio-net, two vCPUs)
	 */
}

/* Every net:ip_icmp event matching the targets, in time order */
void pt_stages_icmp(struct pt_stages *st, const struct pt_event *ev)
{
	if (ev->ts > st->now)
		st->now = ev->ts;
	if (!pt_icmp_is_echo(ev) ||
	    ev->protocol != pt_icmp_proto(ev->saddr.family))
		return;
	if (pt_event_is_request(ev) && ev->dir == PT_DIR_SEND)
		request_out(st, ev);
	else if (pt_event_is_request(ev))
		request_in(st, ev);
	else if (ev->dir == PT_DIR_SEND)
		reply_out(st, ev);
	else
		reply_in(st, ev);
}

static void dev_event(struct pt_stages *st, const struct pt_stage_ev *sev)
{
	struct pt_key skb = skb_key(sev->skbaddr);
	struct pt_stage_out *o = find(&st->out, &skb);
	struct pt_stage_rec *r = o ? live_rec(st, &o->echo) : NULL;
	enum pt_point queue = o && o->reply ? PT_P_REP_QUEUE : PT_P_REQ_QUEUE;

	if (!r)
		return;
	if (sev->kind == PT_SE_DEV_QUEUE && !has(r, queue)) {
		mark(r, queue, sev->ts);
		st->joined++;
	} else if (sev->kind == PT_SE_DEV_XMIT && sev->ret == 0 &&
		   has(r, queue) && !has(r, queue + 1)) {
		mark(r, queue + 1, sev->ts);
		st->joined++;
	}
}

static void rx_event(struct pt_stages *st, const struct pt_stage_ev *sev)
{
	struct pt_key skb = skb_key(sev->skbaddr);
	struct pt_stage_in *in;

	if (sev->kind == PT_SE_RX_ENTRY) {
		in = fresh(&st->in, &skb);
		in->entry = sev->ts;
		return;
	}
	/* a second pass through the core is a new packet's */
	in = find(&st->in, &skb);
	if (!in || in->core)
		in = fresh(&st->in, &skb);
	in->core = sev->ts;
}

/* Only the tasks that sent a request are followed */
static void task_event(struct pt_stages *st, const struct pt_stage_ev *sev)
{
	struct pt_stage_task *t = task_of(st, sev->pid,
					  sev->kind == PT_SE_SEND_ENTER);
	struct pt_task_ev *e;

	if (!t)
		return;
	if (sev->kind == PT_SE_SEND_ENTER) {
		t->send_ts = sev->ts;
		t->has_send = 1;
	}
	if (sev->kind == PT_SE_RECV_EXIT && sev->ret < 0)
		return;		/* EAGAIN and the like: no packet read */
	e = &t->ev[t->next];
	t->next = (t->next + 1) % PT_STAGES_TASK_EVENTS;
	e->ts = sev->ts;
	e->kind = sev->kind;
	e->used = 0;
}

/* The first unused @kind event of @t in [@from, @to], or NULL */
static struct pt_task_ev *first_in(struct pt_stage_task *t,
				   enum pt_stage_event kind, uint64_t from,
				   uint64_t to)
{
	struct pt_task_ev *best = NULL;
	unsigned int i;

	for (i = 0; i < PT_STAGES_TASK_EVENTS; i++) {
		struct pt_task_ev *e = &t->ev[i];

		if (e->kind == kind && !e->used && e->ts >= from &&
		    e->ts <= to && (!best || e->ts < best->ts))
			best = e;
	}
	return best;
}

/* Where the reply's recvmsg exit may be: before the task sends again */
static uint64_t exit_window(struct pt_stage_task *t,
			    const struct pt_stage_rec *r)
{
	struct pt_task_ev *next = first_in(t, PT_SE_SEND_ENTER,
					   r->at[PT_P_REP_RCV], UINT64_MAX);

	return next ? next->ts : UINT64_MAX;
}

/* The reply's recvmsg exit, and the wakeup and switch before it */
static void join_task(struct pt_stages *st, struct pt_stage_rec *r)
{
	struct pt_stage_task *t = r->pid > 0 ? task_of(st, r->pid, 0) : NULL;
	struct pt_task_ev *exit, *wake, *run;

	if (!t || r->lost || !has(r, PT_P_REP_RCV))
		return;
	exit = first_in(t, PT_SE_RECV_EXIT, r->at[PT_P_REP_RCV],
			exit_window(t, r));
	if (!exit)
		return;
	exit->used = 1;
	mark(r, PT_P_USER_RECV, exit->ts);
	st->joined++;
	wake = first_in(t, PT_SE_WAKEUP, r->at[PT_P_REP_RCV], exit->ts);
	if (!wake)
		return;
	mark(r, PT_P_WAKEUP, wake->ts);
	run = first_in(t, PT_SE_SWITCH, wake->ts, exit->ts);
	if (run)
		mark(r, PT_P_SWITCH, run->ts);
}

void pt_stages_event(struct pt_stages *st, const struct pt_stage_ev *sev)
{
	st->events++;
	if (sev->ts > st->now)
		st->now = sev->ts;
	switch (sev->kind) {
	case PT_SE_DEV_QUEUE:
	case PT_SE_DEV_XMIT:
		dev_event(st, sev);
		break;
	case PT_SE_RX_ENTRY:
	case PT_SE_RX_CORE:
		rx_event(st, sev);
		break;
	case PT_SE_SEND_ENTER:
	case PT_SE_RECV_EXIT:
	case PT_SE_WAKEUP:
	case PT_SE_SWITCH:
		task_event(st, sev);
		break;
	default:
		break;
	}
}

static void clear(struct pt_table *t)
{
	while (t->used)
		pt_table_remove(t, pt_table_oldest(t));
}

/* Events were lost: freeze what is in flight, forget every address */
void pt_stages_lost(struct pt_stages *st)
{
	struct pt_stage_rec *r;
	uint32_t idx;

	for (idx = st->echoes.oldest; idx != PT_TABLE_NIL;
	     idx = st->echoes.nodes[idx].newer) {
		r = pt_table_data(&st->echoes, idx);
		r->lost = 1;	/* not written yet: its task events too */
		r->done = 1;
	}
	clear(&st->out);
	clear(&st->in);
	clear(&st->tasks);
}

/* ------------------------------------------------------------------ */

/* Where the driver handed the packet over inside its xmit (veth, lo) */
static int delivered_in_xmit(const struct pt_stage_result *res,
			     enum pt_point xmit)
{
	uint32_t both = 1u << xmit | 1u << (xmit + 1);

	return (res->seen & both) == both && res->at[xmit + 1] < res->at[xmit];
}

/*
 * A driver that delivers inside its xmit (veth, lo) has no link: its
 * device stage ends at the peer's receive entry.  A task that did not
 * sleep between the reply's RCV and its recvmsg (on veth and lo the
 * reply comes in within the pinger's own sendto) has no wakeup stages;
 * told only when nothing was lost, since a lost wakeup looks the same.
 */
static void mark_none(struct pt_stage_result *res, int lost, int sched)
{
	int recv = (res->seen >> PT_P_USER_RECV) & 1;

	if (delivered_in_xmit(res, PT_P_REQ_XMIT))
		res->state[PT_S_REQ_LINK] = PT_STAGE_NONE;
	if (delivered_in_xmit(res, PT_P_REP_XMIT))
		res->state[PT_S_REP_LINK] = PT_STAGE_NONE;
	if (!recv || lost || !sched)
		return;
	if (!((res->seen >> PT_P_WAKEUP) & 1))
		res->state[PT_S_SOCK_TO_WAKE] = PT_STAGE_NONE;
	if (!((res->seen >> PT_P_SWITCH) & 1))
		res->state[PT_S_WAKE_TO_RUN] = PT_STAGE_NONE;
}

static enum pt_point stage_end(const struct pt_stage_result *res,
			       enum pt_stage s)
{
	if (s == PT_S_REQ_DEV && res->state[PT_S_REQ_LINK] == PT_STAGE_NONE)
		return PT_P_REQ_ENTRY;
	if (s == PT_S_REP_DEV && res->state[PT_S_REP_LINK] == PT_STAGE_NONE)
		return PT_P_REP_ENTRY;
	return (enum pt_point)(s + 1);
}

/* The durations, from res->at and res->seen */
static void compute(struct pt_stage_result *res, int lost, int sched)
{
	uint64_t prev = res->at[PT_P_USER_SEND];
	int have_prev = res->seen & 1;
	enum pt_point end;
	int s;

	memset(res->state, PT_STAGE_NOT_SEEN, sizeof(res->state));
	memset(res->ns, 0, sizeof(res->ns));
	mark_none(res, lost, sched);
	for (s = 0; s < PT_S_MAX; s++) {
		if (res->state[s] == PT_STAGE_NONE)
			continue;
		end = stage_end(res, s);
		if (!((res->seen >> end) & 1))
			continue;
		if (have_prev && res->at[end] >= prev) {
			res->ns[s] = res->at[end] - prev;
			res->state[s] = PT_STAGE_SEEN;
		}
		if (!have_prev || res->at[end] >= prev) {
			prev = res->at[end];
			have_prev = 1;
		}
	}
}

void pt_stages_compute(struct pt_stage_result *res)
{
	compute(res, 0, 1);
}

static void put(struct pt_stage_result *res, enum pt_point p, uint64_t ts)
{
	res->at[p] = ts;
	res->seen |= 1u << p;
}

/* The stages of @e: its own four times, and what was joined to them */
static void result_of(struct pt_stages *st, const struct pt_echo *e,
		      struct pt_stage_result *res)
{
	struct pt_key key = echo_key(&e->src, &e->dst, e->id, e->seq);
	struct pt_stage_rec *r = find(&st->echoes, &key);
	int lost = 0;

	memset(res, 0, sizeof(*res));
	if (r && (!(e->have & PT_HAVE_SEND) || r->at[PT_P_REQ_SND] ==
						e->send_ns)) {
		if (e->status == PT_ECHO_OK)
			join_task(st, r);
		memcpy(res->at, r->at, sizeof(res->at));
		res->seen = r->seen;
		res->pid = r->pid;
		lost = r->lost;
		forget(&st->echoes, &key);
	}
	res->seen &= ~(1u << PT_P_REQ_SND | 1u << PT_P_REQ_RCV |
		       1u << PT_P_REP_SND | 1u << PT_P_REP_RCV);
	if (e->have & PT_HAVE_SEND)
		put(res, PT_P_REQ_SND, e->send_ns);
	if (e->have & PT_HAVE_TARGET_RECV)
		put(res, PT_P_REQ_RCV, e->target_recv_ns);
	if (e->have & PT_HAVE_TARGET_SEND)
		put(res, PT_P_REP_SND, e->target_send_ns);
	if (e->have & PT_HAVE_RECV)
		put(res, PT_P_REP_RCV, e->recv_ns);
	compute(res, lost, st->have_sched);
}

/* ------------------------------------------------------------------ */

static struct pt_stages_pending *head(struct pt_stages *st)
{
	return &st->pending[st->phead];
}

/* Ready: nothing more can join it, or it waited long enough */
static int ready(struct pt_stages *st, const struct pt_echo *e)
{
	struct pt_key key = echo_key(&e->src, &e->dst, e->id, e->seq);
	struct pt_stage_rec *r = find(&st->echoes, &key);

	struct pt_stage_task *t;

	if (!r || r->lost || e->status != PT_ECHO_OK || !st->wait_task ||
	    !has(r, PT_P_REP_RCV))
		return 1;
	t = r->pid > 0 ? task_of(st, r->pid, 0) : NULL;
	if (!t || st->now > e->recv_ns + PT_STAGES_WAIT_NS)
		return 1;
	/* its recvmsg exit or the next send, and every CPU's events in */
	return (first_in(t, PT_SE_RECV_EXIT, e->recv_ns, UINT64_MAX) ||
		first_in(t, PT_SE_SEND_ENTER, e->recv_ns, UINT64_MAX)) &&
	       st->now > e->recv_ns + PT_STAGES_REORDER_NS;
}

static void emit_head(struct pt_stages *st)
{
	struct pt_stage_result res;
	struct pt_echo *e = &head(st)->echo;

	result_of(st, e, &res);
	st->emit(e, &res, st->data);
	st->phead = (st->phead + 1) % PT_STAGES_MAX_PENDING;
	st->npending--;
}

/* @all: everything, the trace has ended */
void pt_stages_flush(struct pt_stages *st, int all)
{
	while (st->npending && (all || ready(st, &head(st)->echo)))
		emit_head(st);
}

/*
 * A decided echo: written, with its stages, in the order echoes were
 * decided, once nothing more can join it.  Returns 0.
 */
int pt_stages_echo(struct pt_stages *st, const struct pt_echo *echo)
{
	unsigned int tail;

	if (st->npending == PT_STAGES_MAX_PENDING)
		emit_head(st);
	tail = (st->phead + st->npending) % PT_STAGES_MAX_PENDING;
	st->pending[tail].echo = *echo;
	st->npending++;
	pt_stages_flush(st, 0);
	return 0;
}

static const char * const stage_names[PT_S_MAX] = {
	[PT_S_USER_TO_IP]	= "user_to_ip",
	[PT_S_REQ_IP_OUT]	= "req_ip_out",
	[PT_S_REQ_DEV]		= "req_dev",
	[PT_S_REQ_LINK]		= "req_link",
	[PT_S_REQ_RX_QUEUE]	= "req_rx_queue",
	[PT_S_REQ_RX_IP]	= "req_rx_ip",
	[PT_S_TARGET]		= "target",
	[PT_S_REP_IP_OUT]	= "rep_ip_out",
	[PT_S_REP_DEV]		= "rep_dev",
	[PT_S_REP_LINK]		= "rep_link",
	[PT_S_REP_RX_QUEUE]	= "rep_rx_queue",
	[PT_S_REP_RX_IP]	= "rep_rx_ip",
	[PT_S_SOCK_TO_WAKE]	= "sock_to_wake",
	[PT_S_WAKE_TO_RUN]	= "wake_to_run",
	[PT_S_RUN_TO_USER]	= "run_to_user",
};

/* Column heads of the text view, at most 7 characters */
static const char * const stage_shorts[PT_S_MAX] = {
	"user", "ip_out", "dev", "link", "rxq", "rx_ip", "target",
	"ip_out", "dev", "link", "rxq", "rx_ip", "wake", "run", "to_user",
};

const char *pt_stage_name(enum pt_stage s)
{
	return s < PT_S_MAX ? stage_names[s] : "?";
}

const char *pt_stage_short(enum pt_stage s)
{
	return s < PT_S_MAX ? stage_shorts[s] : "?";
}

void pt_stage_summary_init(struct pt_stage_summary *sum)
{
	int s;

	memset(sum, 0, sizeof(*sum));
	pt_hist_init(&sum->rtt);
	for (s = 0; s < PT_S_MAX; s++)
		pt_hist_init(&sum->stage[s]);
}

void pt_stage_summary_release(struct pt_stage_summary *sum)
{
	int s;

	pt_hist_release(&sum->rtt);
	for (s = 0; s < PT_S_MAX; s++)
		pt_hist_release(&sum->stage[s]);
}

/* Answered echoes only: a lost one has no stages after its loss */
void pt_stage_summary_add(struct pt_stage_summary *sum,
			  const struct pt_echo *e,
			  const struct pt_stage_result *res)
{
	int s;

	sum->echoes++;
	if (e->status != PT_ECHO_OK)
		return;
	pt_hist_add(&sum->rtt, pt_echo_rtt(e));
	for (s = 0; s < PT_S_MAX; s++) {
		if (res->state[s] == PT_STAGE_SEEN)
			pt_hist_add(&sum->stage[s], res->ns[s]);
		else if (res->state[s] == PT_STAGE_NONE)
			sum->none[s]++;
		else
			sum->not_seen[s]++;
	}
}
