// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace report -i A.dat -i B.dat: several hosts' files of the same
 * pings on one timeline, the first file's clock the reference (merge.h).
 *
 * Each file is read by a child of its own (stream.c), twice: once for
 * the echo points that give the offsets (with a time shift of trace-cmd
 * in it, once more with the shift applied), once to merge the events of
 * all files in order of their corrected times.  Memory: the echo points
 * of PT_MERGE_MAX_ECHOES echoes, and one event a file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "merge.h"
#include "output-merge.h"
#include "report.h"
#include "stream.h"

#define MERGE_BUFFER	(64 * 1024)
#define WARNING_LEN	512

struct merge_report {
	struct pt_merge		m;
	struct pt_output	out;
	struct pt_stream	st[PT_MERGE_MAX_HOSTS];
};

static int stream_error(const struct pt_stream *s)
{
	struct pt_replay_info info = s->info;

	info.bad_field = s->bad_field;
	return pt_report_error(s->path, s->status, &info);
}

/* Pass 1 of one file: its echo points, as read with @times */
static int read_points(struct pt_merge *m, int host,
		       enum pt_stream_times times, int *has_tsync)
{
	struct pt_stream s;

	if (pt_stream_open(&s, m->host[host].path, times))
		return stream_error(&s);
	while (pt_stream_next(&s))
		if (s.item.kind == PT_STREAM_EVENT)
			pt_merge_point(m, host, &s.item.ev, times ==
				       PT_STREAM_RAW ? PT_MERGE_RAW :
				       PT_MERGE_TSYNC);
	pt_stream_close(&s);
	if (s.status)
		return stream_error(&s);
	if (s.nr_bad && times == PT_STREAM_RAW)
		pt_warn("'%s': %llu malformed net:ip_icmp records skipped",
			s.path, s.nr_bad);
	*has_tsync = s.has_tsync;
	return 0;
}

static int all_points(struct pt_merge *m)
{
	int i, tsync;

	for (i = 0; i < m->nr_hosts; i++) {
		if (read_points(m, i, PT_STREAM_RAW, &tsync))
			return 1;
		/* the reference's clock is its own, shifted or not */
		if (!i || !tsync)
			continue;
		m->host[i].has_tsync = 1;
		if (read_points(m, i, PT_STREAM_AS_IS, &tsync))
			return 1;
	}
	if (m->points_dropped)
		pt_warn("more than %d echoes: the offsets are of the first "
			"%d", PT_MERGE_MAX_ECHOES, PT_MERGE_MAX_ECHOES);
	return 0;
}

static void warn_offsets(const struct pt_merge *m)
{
	const struct pt_merge_host *h;
	char buf[WARNING_LEN];
	int i;

	for (i = 1; i < m->nr_hosts; i++) {
		h = &m->host[i];
		/* a chained host's own echoes with the reference are unused */
		if (h->source == PT_OFFSET_CHAINED)
			continue;
		if (h->tsync_rejected) {
			pt_merge_tsync_warning(h, buf, sizeof(buf));
			pt_warn("%s", buf);
		}
		if (!h->est.meet && h->drift)
			pt_warn("host %s: the echoes' intervals do not meet "
				"(%lld..%lld ns): the clocks drift %.0f ns/s; "
				"the offset follows a line (bound %lld ns)",
				h->name, (long long)h->est.lo,
				(long long)h->est.hi, h->fit.slope * 1e9,
				(long long)h->bound);
		else if (!h->est.meet)
			pt_warn("host %s: the echoes' intervals do not meet "
				"(%lld..%lld ns): the clocks drifted over the "
				"recording; the offset is the best echo's",
				h->name, (long long)h->est.lo,
				(long long)h->est.hi);
	}
}

/*
 * Each host with no path of echoes to the reference, by name: its events
 * are not merged on an offset made up (0 would put them anywhere)
 */
static void unreachable(const struct pt_merge *m)
{
	const struct pt_merge_host *h;
	int i;

	for (i = 1; i < m->nr_hosts; i++) {
		h = &m->host[i];
		if (h->source != PT_OFFSET_NONE)
			continue;
		pt_warn("host %s ('%s'): no echo with host %s ('%s'), nor "
			"with any host that has a path of echoes to it: its "
			"clock cannot be put on %s's", h->name, h->path,
			m->host[0].name, m->host[0].path, m->host[0].name);
	}
	pt_err("the offsets between the hosts' clocks cannot all be "
	       "estimated: record each host around pings to or from one of "
	       "the others, or leave it out");
}

static int offsets(struct pt_merge *m)
{
	int bad, ret;

	if (all_points(m))
		return 1;
	ret = pt_merge_offsets(m, &bad);
	if (ret == -ENOMEM) {
		pt_err("cannot fit the clocks' drift: %s", strerror(-ret));
		return 1;
	}
	if (ret) {
		unreachable(m);
		return 1;
	}
	warn_offsets(m);
	return 0;
}

static void on_event(void *data, int host, const struct pt_event *ev,
		     uint32_t netns, const struct pt_merge_result *closed)
{
	struct merge_report *r = data;

	pt_merge_output_event(&r->out, &r->m, host, ev, netns, closed);
}

static void on_echo(void *data, const struct pt_merge_result *res)
{
	struct merge_report *r = data;

	pt_merge_output_echo(&r->out, &r->m, res);
}

/* The stream whose next item is the earliest on the reference clock */
static int earliest(const struct merge_report *r, const int *live)
{
	uint64_t best = 0, t;
	int i, which = -1;

	for (i = 0; i < r->m.nr_hosts; i++) {
		if (!live[i])
			continue;
		t = r->st[i].item.kind == PT_STREAM_EVENT ?
		    r->st[i].item.ev.ts : r->st[i].item.ts;
		t = pt_merge_time(&r->m, i, t);
		if (which < 0 || t < best) {
			best = t;
			which = i;
		}
	}
	return which;
}

static int feed(struct merge_report *r, int host)
{
	const struct pt_stream_item *it = &r->st[host].item;

	if (it->kind == PT_STREAM_LOST) {
		pt_merge_lost(&r->m, host, it->ts, it->lost);
		return 0;
	}
	if (pt_merge_feed(&r->m, host, &it->ev)) {
		pt_err("more than %d network namespaces in the files",
		       PT_MERGE_MAX_NETNS);
		return 1;
	}
	return 0;
}

/* Pass 2: every file's events, in order of their corrected times */
static int merge_events(struct merge_report *r)
{
	int live[PT_MERGE_MAX_HOSTS] = { 0 };
	int i, n, ret = 0;

	for (n = 0; n < r->m.nr_hosts; n++) {
		if (pt_stream_open(&r->st[n], r->m.host[n].path,
				   pt_merge_reads_tsync(&r->m, n) ?
				   PT_STREAM_AS_IS : PT_STREAM_RAW)) {
			ret = stream_error(&r->st[n]);
			break;
		}
		live[n] = pt_stream_next(&r->st[n]);
	}
	while (!ret && !r->out.err && (i = earliest(r, live)) >= 0) {
		ret = feed(r, i);
		live[i] = pt_stream_next(&r->st[i]);
		if (!live[i] && r->st[i].status)
			ret = stream_error(&r->st[i]);
	}
	for (i = 0; i < n; i++)
		pt_stream_close(&r->st[i]);
	return ret;
}

/* -i NAME=FILE's name, or A, B, C... by the file's place */
static int add_hosts(struct pt_merge *m, const struct pt_opts *opts)
{
	char name[2] = "A";
	int i, j;

	for (i = 0; i < opts->nr_inputs; i++) {
		name[0] = 'A' + i;
		pt_merge_add_host(m, opts->inputs[i].name[0] ?
				  opts->inputs[i].name : name,
				  opts->inputs[i].path);
		for (j = 0; j < i; j++) {
			if (strcmp(m->host[j].name, m->host[i].name))
				continue;
			pt_err("two files are host %s: name them apart with "
			       "-i NAME=FILE", m->host[i].name);
			return 1;
		}
	}
	return 0;
}

static int refuse_options(const struct pt_opts *opts)
{
	if (!opts->stages && !opts->slow_ns && !opts->svg)
		return 0;
	pt_err("-S, -m and -G read one file: not with several -i");
	return PT_EXIT_USAGE;
}

/*
 * Echoes sent before a host's first event, with no responder's times:
 * said, since a host that began tracing late looks the same as one the
 * echoes never reached
 */
static void warn_late_starts(const struct pt_merge *m)
{
	const struct pt_merge_host *h, *ref = &m->host[0];
	const char *s, *verb, *them;
	int i;

	for (i = 0; i < m->nr_hosts; i++) {
		h = &m->host[i];
		if (!h->before_start)
			continue;
		s = h->before_start == 1 ? "" : "es";
		verb = h->before_start == 1 ? "has" : "have";
		them = h->before_start == 1 ? "it" : "them";
		if (!h->started)
			pt_warn("host %s ('%s') has no event: %llu echo%s %s no "
				"responder's times", h->name, h->path,
				h->before_start, s, verb);
		else if (i && ref->started && h->first_ns >= ref->first_ns)
			pt_warn("host %s ('%s') begins %.6f s after host %s: "
				"%llu echo%s sent before then %s no responder's "
				"times; %s may not have traced %s yet", h->name,
				h->path, ((double)h->first_ns -
					  (double)ref->first_ns) / 1e9,
				ref->name, h->before_start, s, verb, h->name,
				them);
		else
			pt_warn("host %s ('%s') begins late: %llu echo%s sent "
				"before its first event %s no responder's times; "
				"%s may not have traced %s yet", h->name, h->path,
				h->before_start, s, verb, h->name, them);
	}
}

static int run(struct merge_report *r, const struct pt_opts *opts)
{
	struct pt_merge_ops ops = { on_event, on_echo, r };
	struct pt_pair_config cfg;
	struct pt_stats st;
	int ret;

	ret = add_hosts(&r->m, opts);
	if (!ret)
		ret = offsets(&r->m);
	if (ret)
		return ret;
	pt_pair_config_default(&cfg);
	cfg.timeout_ns = opts->timeout_ns;
	if (pt_merge_start(&r->m, &cfg, &ops)) {
		pt_err("out of memory");
		return 1;
	}
	ret = merge_events(r);
	if (ret || r->out.err)
		return ret ? ret : pt_exit_write_error(r->out.err);
	pt_merge_finish(&r->m);
	warn_late_starts(&r->m);
	st = *pt_pair_stats(r->m.pair);
	pt_merge_output_summary(&r->out, &r->m, &st);
	return pt_exit_write_error(r->out.err);
}

int cmd_report_merge(struct pt_opts *opts)
{
	static struct merge_report r;
	int ret = refuse_options(opts);

	if (ret)
		return ret;
	if (pt_merge_init(&r.m, &opts->targets)) {
		pt_err("out of memory");
		return 1;
	}
	r.m.all = opts->all;
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, MERGE_BUFFER);
	pt_output_init(&r.out, stdout, opts->format);
	r.out.quiet = opts->quiet;
	r.out.events = opts->events;
	ret = run(&r, opts);
	pt_merge_release(&r.m);
	return ret;
}
