/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pairing engine: turns a time-ordered stream of net:ip_icmp events into
 * echoes (request out + reply in).  Pure code: no I/O, no libtraceevent.
 */
#ifndef PT_PAIR_H
#define PT_PAIR_H

#include <stddef.h>
#include <stdint.h>
#include "drop.h"
#include "event.h"

enum pt_echo_status {
	PT_ECHO_OK,		/* request out, reply in */
	PT_ECHO_LOST,		/* no reply before the timeout or the end */
	PT_ECHO_DUP,		/* another reply to an answered request */
	PT_ECHO_UNMATCHED,	/* a reply with no request */
	PT_ECHO_UNKNOWN,	/* cannot tell: trace events were lost */
	PT_ECHO_ERROR,		/* an ICMP error came back instead */
};

/* Why an ICMP error is not attached to a request (PT_HAVE_SEND unset) */
enum pt_error_unattached {
	PT_ERROR_ATTACHED,
	PT_ERROR_NO_ORIG,	/* the event quotes nothing: no orig_* */
	PT_ERROR_NO_REQUEST,	/* quotes a request not outstanding here */
	PT_ERROR_NO_QUOTE,	/* has_orig 0: the kernel read no quote */
};

/* An ICMP error that came back for an echo request */
struct pt_echo_error {
	uint8_t		type;
	uint8_t		code;
	uint8_t		unattached;	/* enum pt_error_unattached */
	uint8_t		has_mtu;	/* frag needed (where the event has
					 * mtu), IPv6 packet too big */
	uint32_t	mtu;		/* has_mtu: the next-hop MTU */
	struct pt_addr	from;		/* its sender */
	struct pt_addr	to;		/* its destination */
	uint64_t	ns;		/* when it came in */
};

/* Which times of struct pt_echo are valid */
#define PT_HAVE_SEND		(1u << 0)
#define PT_HAVE_RECV		(1u << 1)
#define PT_HAVE_TARGET_RECV	(1u << 2)
#define PT_HAVE_TARGET_SEND	(1u << 3)
#define PT_HAVE_ERROR		(1u << 4)	/* error valid: it closed the echo */
#define PT_HAVE_DROP		(1u << 5)	/* drop valid: the kernel freed it */

/*
 * A point the echo passed: a net:ip_icmp event of its request, its
 * reply or an ICMP error quoting it, in any netns of the traced kernel
 */
enum pt_hop_what {
	PT_HOP_REQUEST,
	PT_HOP_REPLY,
	PT_HOP_ERROR,
};

struct pt_hop {
	uint64_t	ns;
	uint32_t	netns;
	uint8_t		dir;		/* PT_DIR_* */
	uint8_t		what;		/* enum pt_hop_what */
	char		dev[PT_DEV_LEN + 1];
};

/* Two namespaces and a router between them, both ways, with room to spare */
#define PT_PATH_MAX		12

struct pt_echo {
	enum pt_echo_status	status;
	unsigned int		have;		/* PT_HAVE_* */
	struct pt_addr		src;		/* requester */
	struct pt_addr		dst;		/* responder */
	uint16_t		id;
	uint16_t		seq;
	uint32_t		netns;		/* requester's netns */
	uint64_t		send_ns;	/* request out */
	uint64_t		recv_ns;	/* reply in */
	uint64_t		target_recv_ns;	/* request in, at the responder */
	uint64_t		target_send_ns;	/* reply out, at the responder */
	uint32_t		target_netns;	/* the responder's netns */
	uint8_t			nr_path;	/* points in path[] */
	uint8_t			path_full;	/* points not kept: no room */
	struct pt_hop		path[PT_PATH_MAX];
	struct pt_echo_error	error;		/* PT_HAVE_ERROR */
	struct pt_drop		drop;		/* PT_HAVE_DROP */
};

struct pt_stats {
	uint64_t	sent;		/* requests seen going out */
	uint64_t	received;	/* echoes answered (PT_ECHO_OK) */
	uint64_t	lost;
	uint64_t	dup;
	uint64_t	unmatched;
	uint64_t	unknown;
	uint64_t	errors;		/* ICMP errors, attached or not */
	uint64_t	errors_unattached;
	uint64_t	drops;		/* kernel drops of an echo's packet */
	uint64_t	drops_answered;	/* of an answered echo's packets */
	uint64_t	drops_other;	/* of packets not an outstanding echo's */
	uint64_t	drops_unseen;	/* of packets no event saw */
	uint64_t	drop_events;	/* skb:kfree_skb records read */
	uint64_t	evicted;	/* requests dropped: table full */
	uint64_t	frag_dropped;	/* fragment trains never completed */
	int64_t		events_lost;	/* ring buffer losses, -1 if unknown */
	uint64_t	events;		/* events fed */
	uint64_t	rtt_n;
	uint64_t	rtt_min;
	uint64_t	rtt_max;
	unsigned __int128 rtt_sum;
	unsigned __int128 rtt_sum2;
};

struct pt_rtt {
	uint64_t	min;
	uint64_t	avg;
	uint64_t	max;
	uint64_t	mdev;
};

struct pt_pair_config {
	unsigned int	max_outstanding;	/* requests waiting for a reply */
	unsigned int	max_answered;		/* answered echoes kept for dups */
	unsigned int	max_fragments;		/* incomplete fragment trains */
	uint64_t	timeout_ns;		/* 0: only pt_pair_finish() loses */
	uint64_t	loss_window_ns;		/* see pt_pair_events_lost() */
	/*
	 * A reply with no request is decided this long after it (0: at
	 * once), so that a loss counted meanwhile (live learns of some
	 * only from the ring buffer's counters) makes it "unknown"
	 */
	uint64_t	holdoff_ns;
};

#define PT_PAIR_DEFAULT_OUTSTANDING	65536
#define PT_PAIR_DEFAULT_ANSWERED	4096
#define PT_PAIR_DEFAULT_FRAGMENTS	1024
#define PT_PAIR_DEFAULT_LOSS_WINDOW	(10ULL * 1000000000ULL)
/* Replies with no request waiting out holdoff_ns; past it, decided */
#define PT_PAIR_HELD_REPLIES		256

typedef void (*pt_echo_fn)(const struct pt_echo *echo, void *data);

struct pt_pair;

void pt_pair_config_default(struct pt_pair_config *cfg);
struct pt_pair *pt_pair_new(const struct pt_pair_config *cfg,
			    pt_echo_fn fn, void *data);
void pt_pair_free(struct pt_pair *p);

void pt_pair_feed(struct pt_pair *p, const struct pt_event *ev);
void pt_pair_events_lost(struct pt_pair *p, uint64_t ts, long long count);
void pt_pair_expire(struct pt_pair *p, uint64_t now);
void pt_pair_finish(struct pt_pair *p);
int pt_pair_drop(struct pt_pair *p, const struct pt_packet *pkt,
		 const struct pt_drop *drop);
void pt_pair_drop_unseen(struct pt_pair *p);

const struct pt_stats *pt_pair_stats(const struct pt_pair *p);
void pt_stats_init(struct pt_stats *st);
void pt_stats_rtt(const struct pt_stats *st, struct pt_rtt *rtt);

static inline uint64_t pt_echo_rtt(const struct pt_echo *e)
{
	return e->recv_ns - e->send_ns;
}

const char *pt_echo_status_name(enum pt_echo_status status);
const char *pt_hop_what_name(enum pt_hop_what what);
const char *pt_icmp_error_text(uint8_t type, uint8_t code);
int pt_icmp_is_error_type(unsigned int type);
int pt_icmp6_is_error_type(unsigned int type);
int pt_echo_error_text(const struct pt_echo_error *err, char *buf,
		       size_t size);

/* Echoes not answered, as ping counts its loss: lost and errors */
static inline uint64_t pt_stats_loss_pct(const struct pt_stats *st)
{
	uint64_t bad = st->lost + st->errors - st->errors_unattached;

	return st->sent ? bad * 100 / st->sent : 0;
}

#endif /* PT_PAIR_H */
