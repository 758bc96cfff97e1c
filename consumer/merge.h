/* SPDX-License-Identifier: GPL-2.0 */
/*
 * merge: several hosts' recordings of the same echoes on one timeline
 * (pingtrace report -i A.dat -i B.dat).  Pure: no I/O; the files are
 * read elsewhere (stream.c) and their events handed in here.
 *
 * Pass 1, pt_merge_point(): the echo points of every file, keyed by
 * (requester, responder, id, seq): request out (t1) and reply in (t4) on
 * the requester, request in (t2) and reply out (t3) on the responder.
 * pt_merge_offsets() then gives each host its offset to the first host's
 * clock (the reference): the one trace-cmd's time sync wrote into the
 * file, when every echo allows it, else the one the echoes give
 * (clocksync.h).  With more than two hosts, each pair of hosts with
 * echoes between them is an edge, of that pair's offset and bound; a
 * host's offset is that of the path to the reference of least total
 * bound (Dijkstra's, over PT_MERGE_MAX_HOSTS nodes): the offsets of its
 * edges added, and their bounds.  So C, pinged by B only, is on A's
 * clock by way of B's.
 *
 * Pass 2, pt_merge_feed(): the events of all files in order of their
 * corrected time, each host's network namespaces told apart from the
 * others' (init_net has the same inode number on every host), into one
 * pairing engine: the echoes come out with their times on the reference
 * clock, and out + target + back == rtt exactly.
 *
 * Functions return 0 or a negative errno.
 */
#ifndef PT_MERGE_H
#define PT_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "clocksync.h"
#include "event.h"
#include "pair.h"
#include "table.h"
#include "target.h"

#define PT_MERGE_MAX_HOSTS	8
#define PT_MERGE_NAME_LEN	16
/* (host, netns) pairs of pass 2: a few namespaces per host */
#define PT_MERGE_MAX_NETNS	256
/* Echoes kept for the estimate: one seq space; later ones are counted */
#define PT_MERGE_MAX_ECHOES	65536

/* Where a host's offset comes from */
enum pt_offset_source {
	PT_OFFSET_REFERENCE,	/* the first file: offset 0 by definition */
	PT_OFFSET_ESTIMATED,	/* from the echoes (clocksync.c) */
	PT_OFFSET_TSYNC,	/* trace-cmd's time sync, in the file */
	PT_OFFSET_CHAINED,	/* through the hosts of via[], added up */
	PT_OFFSET_NONE,		/* no path of echoes to the reference */
};

/* What the echoes say of a host's offset, and how trace-cmd's fares */
struct pt_merge_estimate {
	size_t		used;		/* echoes with four points */
	int64_t		best_offset;	/* of the echo of smallest delay */
	int64_t		best_bound;
	int64_t		lo;		/* every echo's interval: (lo, hi) */
	int64_t		hi;
	int		meet;		/* lo < hi */
	/* the echoes' offset: the middle of (lo, hi), or the best echo's */
	int64_t		offset;
	int64_t		bound;
	/* trace-cmd's (with PT_MERGE_TSYNC points only) */
	size_t		tsync_used;	/* echoes it shifted */
	size_t		tsync_bad;	/* of which a one-way delay <= 0 */
	int64_t		tsync_offset;	/* at the best echo's t2 */
	int64_t		tsync_min;
	int64_t		tsync_max;
};

struct pt_merge_host {
	char			name[PT_MERGE_NAME_LEN + 1];
	const char		*path;
	int			has_tsync;	/* the file has a time shift */
	/* the offset used: this host's clock - the reference's */
	enum pt_offset_source	source;
	int64_t			offset;
	int64_t			bound;	/* |true offset - offset| < bound */
	int			tsync_rejected;	/* tsync outside (lo, hi) */
	struct pt_merge_estimate est;
	/*
	 * The echoes' intervals do not meet, the clocks drifted: the
	 * offset is a line over the reference's time (offset is then its
	 * value at fit.t0, bound fit.bound), when one gives every echo
	 * positive one-way delays
	 */
	int			drift;
	struct pt_cs_fit	fit;
	/*
	 * PT_OFFSET_CHAINED: the hosts between the reference and this one,
	 * in the path's order.  Each edge is its pair's pt_merge_edge, the
	 * first one the via[0]'s offset to the reference as it would be
	 * alone (tsync, estimated); a chain is of constant offsets: a
	 * drift line is followed on a reference edge only.
	 */
	int			nr_via;
	int			via[PT_MERGE_MAX_HOSTS];
	/*
	 * Pass 2: this host's first event, on the reference clock, and the
	 * echoes of the other hosts sent before it with no responder's
	 * times: they may have passed this host before it traced (trace-cmd
	 * 3.1.6's agent turns its tracing on after the host has started the
	 * command)
	 */
	int			started;
	uint64_t		first_ns;
	unsigned long long	before_start;
};

/* What the echoes between hosts x < y say of y's clock - x's */
struct pt_merge_edge {
	/* est.offset, est.bound: the edge */
	struct pt_merge_estimate est;
};

/* An echo as merged: times of echo on the reference clock */
struct pt_merge_result {
	const struct pt_echo	*echo;
	int			src_host;	/* the requester's host */
	int			dst_host;	/* the responder's, -1: unseen */
	uint32_t		src_netns;	/* as the hosts have them */
	uint32_t		dst_netns;
	int			four;		/* out, target, back known */
	int64_t			out_ns;
	int64_t			target_ns;
	int64_t			back_ns;
	int64_t			bound_ns;	/* of out_ns and back_ns */
};

/*
 * Pass 2's output: each event (@ev on the reference clock, its own
 * netns in @netns) and each echo decided.  @closed: the echo the event
 * closed, written on its line.
 */
struct pt_merge_ops {
	void	(*event)(void *data, int host, const struct pt_event *ev,
			 uint32_t netns, const struct pt_merge_result *closed);
	void	(*echo)(void *data, const struct pt_merge_result *r);
	void	*data;
};

/* Which times of a file pass 1 is given */
enum pt_merge_times {
	PT_MERGE_RAW,		/* the host's own clock */
	PT_MERGE_TSYNC,		/* as trace-cmd's time shift makes them */
};

struct pt_merge_netns {
	int		host;
	uint32_t	netns;
};

struct pt_merge {
	struct pt_merge_host	host[PT_MERGE_MAX_HOSTS];
	int			nr_hosts;
	/* edge[x][y], x < y; [0][k] is host[k].est without tsync */
	struct pt_merge_edge	edge[PT_MERGE_MAX_HOSTS][PT_MERGE_MAX_HOSTS];
	const struct pt_targets	*targets;
	int			all;		/* ND and MLD too */
	/* pass 1 */
	struct pt_table		points;
	unsigned long long	points_dropped;	/* echoes past the table */
	/* pass 2 */
	struct pt_pair		*pair;
	struct pt_merge_ops	ops;
	struct pt_merge_netns	netns[PT_MERGE_MAX_NETNS];
	int			nr_netns;
	struct pt_echo		closed;
	int			have_closed;
	unsigned long long	nr_events;
};

int pt_merge_init(struct pt_merge *m, const struct pt_targets *targets);
void pt_merge_release(struct pt_merge *m);
int pt_merge_add_host(struct pt_merge *m, const char *name,
		      const char *path);

/* Pass 1 */
void pt_merge_point(struct pt_merge *m, int host, const struct pt_event *ev,
		    enum pt_merge_times times);
/*
 * Every host's offset, direct or chained.  Returns -ENOENT when a host
 * has no path of echoes to the reference (*bad is the first such host,
 * its source PT_OFFSET_NONE, as of every other one): no offset can be
 * had, and none is made up.  -ENOMEM.
 */
int pt_merge_offsets(struct pt_merge *m, int *bad);
/* The edge between hosts @x and @y, either order; NULL: no echoes */
const struct pt_merge_edge *pt_merge_edge(const struct pt_merge *m, int x,
					  int y);
/* The offset of @y's clock - @x's that the edge between them says */
int64_t pt_merge_edge_offset(const struct pt_merge *m, int x, int y);
/*
 * One step of a path, @x to @y: y's clock - x's, and its bound.  An edge
 * of the reference is the host's offset as chosen alone (tsync or the
 * echoes'; a path's first step is to a host whose own path is that
 * edge, so a chain does not change it); of a drifting host, the echoes'
 * constant one.  -ENOENT: no echoes between them.
 */
int pt_merge_hop(const struct pt_merge *m, int x, int y, int64_t *offset,
		 int64_t *bound);
/* The warning of a host whose tsync offset was not used */
int pt_merge_tsync_warning(const struct pt_merge_host *h, char *buf,
			   size_t size);
const char *pt_offset_source_name(enum pt_offset_source source);

/*
 * Pass 2: @ev in the time of its own host's clock (as read: raw, or as
 * trace-cmd shifted it where the offset is PT_OFFSET_TSYNC)
 */
int pt_merge_start(struct pt_merge *m, const struct pt_pair_config *cfg,
		   const struct pt_merge_ops *ops);
/* The reference time of @ts of @host, read as pt_merge_reads_tsync() says */
uint64_t pt_merge_time(const struct pt_merge *m, int host, uint64_t ts);
/* 1: pass 2 reads @host with trace-cmd's time shift applied */
int pt_merge_reads_tsync(const struct pt_merge *m, int host);
int pt_merge_feed(struct pt_merge *m, int host, const struct pt_event *ev);
void pt_merge_lost(struct pt_merge *m, int host, uint64_t ts,
		   long long count);
void pt_merge_finish(struct pt_merge *m);

#endif /* PT_MERGE_H */
