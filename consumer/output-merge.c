// SPDX-License-Identifier: GPL-2.0
/*
 * The merged report of several hosts (see output-merge.h).  Written
 * with pt_out(): a merged report is as long as its files' echoes, not
 * the hot path of output-line.c.
 */
#include <inttypes.h>
#include <stdio.h>

#include "output-local.h"
#include "output-merge.h"

#define NS_PER_MS	((uint64_t)NSEC_PER_MSEC)
#define WIDTH_KIND	12
#define WIDTH_ADDR	15

static const char *host_name(const struct pt_merge *m, int host)
{
	return host >= 0 && host < m->nr_hosts ? m->host[host].name : "?";
}

/* The widest host name, for the first column */
static int host_width(const struct pt_merge *m)
{
	int i, w = 1, len;

	for (i = 0; i < m->nr_hosts; i++) {
		len = (int)strlen(m->host[i].name);
		if (len > w)
			w = len;
	}
	return w;
}

static void put_decimals(char **p, size_t *left, uint64_t ms_ns,
			 uint64_t unit)
{
	int decimals = 0, n;
	uint64_t u;

	for (u = unit; u < NSEC_PER_MSEC; u *= 10)
		decimals++;
	if (!decimals)
		n = snprintf(*p, *left, "%" PRIu64, ms_ns / NS_PER_MS);
	else
		n = snprintf(*p, *left, "%" PRIu64 ".%0*" PRIu64,
			     ms_ns / NS_PER_MS, decimals,
			     ms_ns % NS_PER_MS / unit);
	if (n < 0 || (size_t)n >= *left)
		n = *left ? (int)*left - 1 : 0;
	*p += n;
	*left -= n;
}

/*
 * The last digit shown is that of the bound's leading digit: the value
 * rounded to it, the bound rounded up to it
 */
int pt_oneway_text(char *buf, size_t size, int64_t ns, int64_t bound)
{
	uint64_t v = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	uint64_t unit = 1, b = bound > 0 ? (uint64_t)bound : 0;
	size_t left = size;
	char *p = buf;

	if (!size)
		return -1;
	*p = '\0';
	while (b && unit <= b / 10)
		unit *= 10;
	if (b) {
		v = (v + unit / 2) / unit * unit;
		b = (b + unit - 1) / unit * unit;
	}
	if (ns < 0 && v && left > 1) {
		*p++ = '-';
		left--;
	}
	put_decimals(&p, &left, v, unit > NSEC_PER_MSEC ? NSEC_PER_MSEC :
		     unit);
	if (!b)
		return (int)(p - buf);
	snprintf(p, left, "±");
	left -= strlen(p);
	p += strlen(p);
	put_decimals(&p, &left, b, unit > NSEC_PER_MSEC ? NSEC_PER_MSEC :
		     unit);
	return (int)(p - buf);
}

static void ms_text(char *buf, size_t size, uint64_t ns)
{
	snprintf(buf, size, "%" PRIu64 ".%06" PRIu64, ns / NS_PER_MS,
		 ns % NS_PER_MS);
}

/* " rtt=R ms (out=O target=T back=B ms)" of an echo answered */
static void text_closed(struct pt_output *o, const struct pt_merge_result *r)
{
	const struct pt_echo *e = r->echo;
	char rtt[32], out[48], target[32], back[48];

	if (e->status == PT_ECHO_DUP) {
		ms_text(rtt, sizeof(rtt), pt_echo_rtt(e));
		pt_out(o, " rtt=%s ms DUP!", rtt);
		return;
	}
	if (e->status == PT_ECHO_UNMATCHED || e->status == PT_ECHO_UNKNOWN) {
		pt_out(o, " no-request%s", e->status == PT_ECHO_UNKNOWN ?
		       " (trace events lost)" : "");
		return;
	}
	if (e->status != PT_ECHO_OK)
		return;
	ms_text(rtt, sizeof(rtt), pt_echo_rtt(e));
	pt_out(o, " rtt=%s ms", rtt);
	if (!r->four)
		return;
	pt_oneway_text(out, sizeof(out), r->out_ns, r->bound_ns);
	ms_text(target, sizeof(target), (uint64_t)r->target_ns);
	pt_oneway_text(back, sizeof(back), r->back_ns, r->bound_ns);
	pt_out(o, " (out=%s target=%s back=%s ms)", out, target, back);
}

static void text_time(struct pt_output *o, uint64_t ts)
{
	pt_out(o, "%6llu.%09llu", pt_disp_ns(o, ts) / NSEC_PER_SEC,
	       pt_disp_ns(o, ts) % NSEC_PER_SEC);
}

static void text_event(struct pt_output *o, const struct pt_merge *m,
		       int host, const struct pt_event *ev, uint32_t netns,
		       const struct pt_merge_result *closed)
{
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];

	pt_out(o, "%-*s %s ", host_width(m), host_name(m, host),
	       pt_dir_name(ev));
	text_time(o, ev->ts);
	pt_out(o, " %-*s %*s -> %-*s", WIDTH_KIND, pt_icmp_kind(ev),
	       WIDTH_ADDR, pt_addr_str(&ev->saddr, s), WIDTH_ADDR,
	       pt_addr_str(&ev->daddr, d));
	if (pt_icmp_is_echo(ev))
		pt_out(o, " id=%u seq=%u", ev->icmp_id, ev->icmp_seq);
	else if (ev->has_icmp)
		pt_out(o, " type=%u code=%u", ev->icmp_type, ev->icmp_code);
	pt_out(o, " ttl=%u len=%u dev=%s netns=%u", ev->ttl, ev->tot_len,
	       ev->dev, netns);
	if (closed)
		text_closed(o, closed);
	pt_out(o, "\n");
}

/*
 * An echo no reply line closed: lost or unknown, and how far its
 * request got, as the other hosts saw it
 */
static void text_echo(struct pt_output *o, const struct pt_merge *m,
		      const struct pt_merge_result *r)
{
	const struct pt_echo *e = r->echo;
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];

	if (e->have & (PT_HAVE_RECV | PT_HAVE_ERROR))
		return;
	pt_out(o, "%-*s %s ", host_width(m), host_name(m, r->src_host),
	       e->status == PT_ECHO_LOST ? "LOST" : "UNKN");
	text_time(o, e->send_ns);
	pt_out(o, " %-*s %*s -> %-*s id=%u seq=%u", WIDTH_KIND,
	       pt_icmp_name(e->src.family, pt_icmp_echo_type(e->src.family)),
	       WIDTH_ADDR, pt_addr_str(&e->src, s), WIDTH_ADDR,
	       pt_addr_str(&e->dst, d), e->id, e->seq);
	pt_out(o, "%s", e->status == PT_ECHO_LOST ? " no reply" :
	       " reply unknown (trace events lost)");
	if (e->have & PT_HAVE_TARGET_SEND)
		pt_out(o, ": the reply left %s and never came back",
		       host_name(m, r->dst_host));
	else if (e->have & PT_HAVE_TARGET_RECV)
		pt_out(o, ": the request reached %s, no reply left it",
		       host_name(m, r->dst_host));
	else if (m->nr_hosts > 1)
		pt_out(o, ": no other host saw the request");
	pt_out(o, "\n");
}

static void json_str(struct pt_output *o, const char *key, const char *v)
{
	const unsigned char *p;

	pt_out(o, ",\"%s\":\"", key);
	for (p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			pt_out(o, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			pt_out(o, "\\u%04x", *p);
		else
			pt_out(o, "%c", *p);
	}
	pt_out(o, "\"");
}

static void json_event(struct pt_output *o, const struct pt_merge *m,
		       int host, const struct pt_event *ev, uint32_t netns)
{
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];

	if (!o->events)
		return;
	pt_out(o, "{\"type\":\"event\"");
	json_str(o, "host", host_name(m, host));
	pt_out(o, ",\"time_ns\":%llu,\"dir\":\"%s\",\"kind\":\"%s\","
	       "\"src\":\"%s\",\"dst\":\"%s\"", pt_disp_ns(o, ev->ts),
	       pt_dir_name(ev), pt_icmp_kind(ev), pt_addr_str(&ev->saddr, s),
	       pt_addr_str(&ev->daddr, d));
	if (ev->has_icmp)
		pt_out(o, ",\"icmp_type\":%u,\"id\":%u,\"seq\":%u",
		       ev->icmp_type, ev->icmp_id, ev->icmp_seq);
	pt_out(o, ",\"ttl\":%u,\"len\":%u", ev->ttl, ev->tot_len);
	json_str(o, "dev", ev->dev);
	pt_out(o, ",\"netns\":%u}\n", netns);
}

static void json_i64(struct pt_output *o, const char *key, int have,
		     int64_t v)
{
	if (have)
		pt_out(o, ",\"%s\":%" PRId64, key, v);
	else
		pt_out(o, ",\"%s\":null", key);
}

/* "points":[{"host":"A","dir":"SND","what":"request","netns":N,..},..] */
static void json_points(struct pt_output *o, const struct pt_merge *m,
			const struct pt_echo *e)
{
	const struct pt_merge_netns *where;
	const struct pt_hop *h;
	unsigned int i;

	pt_out(o, ",\"points\":[");
	for (i = 0; i < e->nr_path; i++) {
		h = &e->path[i];
		where = h->netns && h->netns <= (uint32_t)m->nr_netns ?
			&m->netns[h->netns - 1] : NULL;
		pt_out(o, "%s{\"host\":\"%s\",\"dir\":\"%s\",\"what\":\"%s\","
		       "\"netns\":%u", i ? "," : "",
		       host_name(m, where ? where->host : -1),
		       h->dir == PT_DIR_SEND ? "SND" : "RCV",
		       pt_hop_what_name(h->what), where ? where->netns : 0);
		json_str(o, "dev", h->dev);
		pt_out(o, ",\"ns\":%llu}", pt_disp_ns(o, h->ns));
	}
	pt_out(o, "]");
}

static void json_echo(struct pt_output *o, const struct pt_merge *m,
		      const struct pt_merge_result *r)
{
	const struct pt_echo *e = r->echo;
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];
	int both = (e->have & PT_HAVE_SEND) && (e->have & PT_HAVE_RECV);

	pt_out(o, "{\"type\":\"echo\",\"src\":\"%s\",\"dst\":\"%s\"",
	       pt_addr_str(&e->src, s), pt_addr_str(&e->dst, d));
	json_str(o, "src_host", host_name(m, r->src_host));
	if (r->dst_host >= 0)
		json_str(o, "dst_host", host_name(m, r->dst_host));
	else
		pt_out(o, ",\"dst_host\":null");
	pt_out(o, ",\"id\":%u,\"seq\":%u,\"status\":\"%s\"", e->id, e->seq,
	       pt_echo_status_name(e->status));
	json_i64(o, "send_ns", e->have & PT_HAVE_SEND,
		 (int64_t)pt_disp_ns(o, e->send_ns));
	json_i64(o, "recv_ns", e->have & PT_HAVE_RECV,
		 (int64_t)pt_disp_ns(o, e->recv_ns));
	json_i64(o, "rtt_ns", both, both ? (int64_t)pt_echo_rtt(e) : 0);
	json_i64(o, "target_recv_ns", e->have & PT_HAVE_TARGET_RECV,
		 (int64_t)pt_disp_ns(o, e->target_recv_ns));
	json_i64(o, "target_send_ns", e->have & PT_HAVE_TARGET_SEND,
		 (int64_t)pt_disp_ns(o, e->target_send_ns));
	json_i64(o, "out_ns", r->four, r->out_ns);
	json_i64(o, "target_ns", r->four, r->target_ns);
	json_i64(o, "back_ns", r->four, r->back_ns);
	json_i64(o, "oneway_bound_ns", r->four, r->bound_ns);
	json_points(o, m, e);
	pt_out(o, "}\n");
}

/* ,"offset_ns":N,"offset_source":"S","offset_bound_ns":B of @h */
static void json_offset(struct pt_output *o, const struct pt_merge_host *h)
{
	pt_out(o, ",\"offset_ns\":%" PRId64 ",\"offset_source\":\"%s\","
	       "\"offset_bound_ns\":%" PRId64, h->offset,
	       pt_offset_source_name(h->source), h->bound);
}

/* ,"via":["B",...]: the hosts a chained offset goes through */
static void json_via(struct pt_output *o, const struct pt_merge *m,
		     const struct pt_merge_host *h)
{
	int i;

	pt_out(o, ",\"via\":[");
	for (i = 0; i < h->nr_via; i++)
		pt_out(o, "%s\"%s\"", i ? "," : "",
		       host_name(m, h->via[i]));
	pt_out(o, "]");
}

/*
 * ,"edges":[...]: each pair of hosts with echoes between them, the
 * offset of to's clock - from's, as the paths weigh them
 */
static void json_edges(struct pt_output *o, const struct pt_merge *m)
{
	const struct pt_merge_edge *e;
	int x, y, first = 1;

	pt_out(o, ",\"edges\":[");
	for (x = 0; x < m->nr_hosts; x++)
		for (y = x + 1; y < m->nr_hosts; y++) {
			e = pt_merge_edge(m, x, y);
			if (!e)
				continue;
			pt_out(o, "%s{\"from\":\"%s\",\"to\":\"%s\","
			       "\"echoes\":%zu,\"offset_ns\":%" PRId64
			       ",\"bound_ns\":%" PRId64 ",\"interval_lo_ns\":%"
			       PRId64 ",\"interval_hi_ns\":%" PRId64 "}",
			       first ? "" : ",", host_name(m, x),
			       host_name(m, y), e->est.used, e->est.offset,
			       e->est.bound, e->est.lo, e->est.hi);
			first = 0;
		}
	pt_out(o, "]");
}

/* What a host's own echoes with the reference say, and its tsync */
static void json_estimate(struct pt_output *o, const struct pt_merge_host *h)
{
	const struct pt_merge_estimate *est = &h->est;

	pt_out(o, ",\"echoes\":%zu", est->used);
	/* chained with no echo of its own with the reference */
	if (!est->used)
		return;
	pt_out(o, ",\"estimate_ns\":%" PRId64 ",\"estimate_bound_ns\":%"
	       PRId64 ",\"interval_lo_ns\":%" PRId64 ",\"interval_hi_ns\":%"
	       PRId64 ",\"best_echo_offset_ns\":%" PRId64
	       ",\"best_echo_bound_ns\":%" PRId64, est->offset, est->bound,
	       est->lo, est->hi, est->best_offset, est->best_bound);
	if (h->has_tsync && est->tsync_used)
		pt_out(o, ",\"tsync_offset_ns\":%" PRId64
		       ",\"tsync_min_ns\":%" PRId64 ",\"tsync_max_ns\":%"
		       PRId64 ",\"tsync_bad_echoes\":%zu",
		       est->tsync_offset, est->tsync_min,
		       est->tsync_max, est->tsync_bad);
}

static void json_hosts(struct pt_output *o, const struct pt_merge *m)
{
	const struct pt_merge_host *h;
	int i;

	pt_out(o, ",\"hosts\":[");
	for (i = 0; i < m->nr_hosts; i++) {
		h = &m->host[i];
		pt_out(o, "%s{\"name\":\"%s\"", i ? "," : "", h->name);
		json_str(o, "file", h->path ? h->path : "");
		json_offset(o, h);
		if (!i) {
			pt_out(o, ",\"echoes_before_start\":%llu}",
			       h->before_start);
			continue;
		}
		json_via(o, m, h);
		json_estimate(o, h);
		if (h->drift)
			pt_out(o, ",\"drift_ppb\":%.0f,\"drift_t0_ns\":%"
			       PRIu64 ",\"drift_windows\":%zu",
			       h->fit.slope * 1e9, h->fit.t0, h->fit.windows);
		pt_out(o, ",\"tsync_rejected\":%s,\"echoes_before_start\":%llu}",
		       h->tsync_rejected ? "true" : "false", h->before_start);
	}
	pt_out(o, "]");
}

static void json_summary(struct pt_output *o, const struct pt_merge *m,
			 const struct pt_stats *st)
{
	struct pt_rtt rtt;

	pt_stats_rtt(st, &rtt);
	pt_out(o, "{\"type\":\"summary\",\"sent\":%llu,\"received\":%llu,"
	       "\"lost\":%llu,\"dup\":%llu,\"unmatched\":%llu,"
	       "\"unknown\":%llu", (unsigned long long)st->sent,
	       (unsigned long long)st->received,
	       (unsigned long long)st->lost, (unsigned long long)st->dup,
	       (unsigned long long)st->unmatched,
	       (unsigned long long)st->unknown);
	json_i64(o, "rtt_min_ns", st->rtt_n, (int64_t)rtt.min);
	json_i64(o, "rtt_avg_ns", st->rtt_n, (int64_t)rtt.avg);
	json_i64(o, "rtt_max_ns", st->rtt_n, (int64_t)rtt.max);
	json_i64(o, "rtt_mdev_ns", st->rtt_n, (int64_t)rtt.mdev);
	pt_out(o, ",\"events_lost\":%lld,\"events\":%llu",
	       (long long)st->events_lost, (unsigned long long)st->events);
	/* the offset of the second host, the one there is of two files */
	if (m->nr_hosts > 1)
		json_offset(o, &m->host[1]);
	json_hosts(o, m);
	json_edges(o, m);
	pt_out(o, "}\n");
}

static const char * const csv_header =
	"type,host,time_ns,dir,kind,src,dst,id,seq,ttl,len,dev,netns,"
	"src_host,dst_host,status,send_ns,recv_ns,rtt_ns,target_recv_ns,"
	"target_send_ns,out_ns,target_ns,back_ns,oneway_bound_ns\n";

static void csv_start(struct pt_output *o)
{
	if (o->started)
		return;
	o->started = 1;
	pt_out(o, "%s", csv_header);
}

/* Host names and devices are names: no comma, no quote (cli.c) */
static void csv_event(struct pt_output *o, const struct pt_merge *m,
		      int host, const struct pt_event *ev, uint32_t netns)
{
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];

	if (!o->events)
		return;
	csv_start(o);
	pt_out(o, "event,%s,%llu,%s,%s,%s,%s,", host_name(m, host),
	       pt_disp_ns(o, ev->ts), pt_dir_name(ev), pt_icmp_kind(ev),
	       pt_addr_str(&ev->saddr, s), pt_addr_str(&ev->daddr, d));
	if (ev->has_icmp)
		pt_out(o, "%u,%u", ev->icmp_id, ev->icmp_seq);
	else
		pt_out(o, ",");
	pt_out(o, ",%u,%u,%s,%u,,,,,,,,,,,,\n", ev->ttl, ev->tot_len, ev->dev,
	       netns);
}

static void csv_i64(struct pt_output *o, int have, int64_t v)
{
	if (have)
		pt_out(o, ",%" PRId64, v);
	else
		pt_out(o, ",");
}

static void csv_echo(struct pt_output *o, const struct pt_merge *m,
		     const struct pt_merge_result *r)
{
	const struct pt_echo *e = r->echo;
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];
	int both = (e->have & PT_HAVE_SEND) && (e->have & PT_HAVE_RECV);

	csv_start(o);
	pt_out(o, "echo,,,,,%s,%s,%u,%u,,,,,%s,%s,%s",
	       pt_addr_str(&e->src, s), pt_addr_str(&e->dst, d), e->id, e->seq,
	       host_name(m, r->src_host),
	       r->dst_host >= 0 ? host_name(m, r->dst_host) : "",
	       pt_echo_status_name(e->status));
	csv_i64(o, e->have & PT_HAVE_SEND, (int64_t)pt_disp_ns(o, e->send_ns));
	csv_i64(o, e->have & PT_HAVE_RECV, (int64_t)pt_disp_ns(o, e->recv_ns));
	csv_i64(o, both, both ? (int64_t)pt_echo_rtt(e) : 0);
	csv_i64(o, e->have & PT_HAVE_TARGET_RECV,
		(int64_t)pt_disp_ns(o, e->target_recv_ns));
	csv_i64(o, e->have & PT_HAVE_TARGET_SEND,
		(int64_t)pt_disp_ns(o, e->target_send_ns));
	csv_i64(o, r->four, r->out_ns);
	csv_i64(o, r->four, r->target_ns);
	csv_i64(o, r->four, r->back_ns);
	csv_i64(o, r->four, r->bound_ns);
	pt_out(o, "\n");
}

static void csv_summary(struct pt_output *o, const struct pt_merge *m,
			const struct pt_stats *st)
{
	const struct pt_merge_host *h;
	struct pt_rtt rtt;
	int i, j;

	pt_stats_rtt(st, &rtt);
	if (o->started)
		pt_out(o, "\n");
	pt_out(o, "type,sent,received,lost,dup,unmatched,unknown,rtt_min_ns,"
	       "rtt_avg_ns,rtt_max_ns,rtt_mdev_ns,events_lost,events\n"
	       "summary,%llu,%llu,%llu,%llu,%llu,%llu",
	       (unsigned long long)st->sent, (unsigned long long)st->received,
	       (unsigned long long)st->lost, (unsigned long long)st->dup,
	       (unsigned long long)st->unmatched,
	       (unsigned long long)st->unknown);
	csv_i64(o, st->rtt_n, (int64_t)rtt.min);
	csv_i64(o, st->rtt_n, (int64_t)rtt.avg);
	csv_i64(o, st->rtt_n, (int64_t)rtt.max);
	csv_i64(o, st->rtt_n, (int64_t)rtt.mdev);
	pt_out(o, ",%lld,%llu\n\n", (long long)st->events_lost,
	       (unsigned long long)st->events);
	pt_out(o, "type,host,offset_ns,offset_source,offset_bound_ns,echoes,"
	       "interval_lo_ns,interval_hi_ns,tsync_offset_ns,"
	       "tsync_rejected,via\n");
	for (i = 0; i < m->nr_hosts; i++) {
		h = &m->host[i];
		pt_out(o, "offset,%s,%" PRId64 ",%s,%" PRId64, h->name,
		       h->offset, pt_offset_source_name(h->source), h->bound);
		if (!i) {
			pt_out(o, ",,,,,,\n");
			continue;
		}
		pt_out(o, ",%zu,%" PRId64 ",%" PRId64, h->est.used, h->est.lo,
		       h->est.hi);
		csv_i64(o, h->has_tsync && h->est.tsync_used,
			h->est.tsync_offset);
		pt_out(o, ",%d,", h->tsync_rejected);
		for (j = 0; j < h->nr_via; j++)
			pt_out(o, "%s%s", j ? "+" : "",
			       host_name(m, h->via[j]));
		pt_out(o, "\n");
	}
}

/* B - A = N ns (bound B ns): one step of a chained offset */
static void text_hop(struct pt_output *o, const struct pt_merge *m, int x,
		     int y)
{
	int64_t offset = 0, bound = 0;

	pt_merge_hop(m, x, y, &offset, &bound);
	pt_out(o, "%s - %s = %" PRId64 " ns (bound %" PRId64 ")",
	       host_name(m, y), host_name(m, x), offset, bound);
}

/*
 * clock C - A = X ns, bound Y ns, chained via B: B - A = x ns (bound y)
 * + C - B = ...: the steps add up to the line's offset and bound
 */
static void text_chained(struct pt_output *o, const struct pt_merge *m,
			 int k)
{
	const struct pt_merge_host *h = &m->host[k];
	int i, x = 0;

	pt_out(o, "clock %s - %s = %" PRId64 " ns, bound %" PRId64 " ns, "
	       "chained via", h->name, m->host[0].name, h->offset, h->bound);
	for (i = 0; i < h->nr_via; i++)
		pt_out(o, " %s", host_name(m, h->via[i]));
	pt_out(o, ":");
	for (i = 0; i <= h->nr_via; i++) {
		pt_out(o, "%s", i ? " + " : " ");
		text_hop(o, m, x, i < h->nr_via ? h->via[i] : k);
		x = i < h->nr_via ? h->via[i] : k;
	}
	pt_out(o, "\n");
}

/* Of three hosts or more: each pair's echoes, the paths' edges */
static void text_edges(struct pt_output *o, const struct pt_merge *m)
{
	const struct pt_merge_edge *e;
	int x, y;

	if (m->nr_hosts < 3)
		return;
	for (x = 0; x < m->nr_hosts; x++)
		for (y = x + 1; y < m->nr_hosts; y++) {
			e = pt_merge_edge(m, x, y);
			if (!e)
				continue;
			pt_out(o, "echoes %s-%s: %s - %s = %" PRId64 " ns, "
			       "bound %" PRId64 " ns, from %zu echoes (%s %"
			       PRId64 "..%" PRId64 " ns)\n", host_name(m, x),
			       host_name(m, y), host_name(m, y),
			       host_name(m, x), e->est.offset, e->est.bound,
			       e->est.used, e->est.meet ? "every one allows" :
			       "they do not meet:", e->est.lo, e->est.hi);
		}
}

/* Each host's clock against the reference's, and where it comes from */
static void text_offsets(struct pt_output *o, const struct pt_merge *m)
{
	const struct pt_merge_estimate *est;
	const struct pt_merge_host *h;
	int i;

	for (i = 1; i < m->nr_hosts; i++) {
		h = &m->host[i];
		est = &h->est;
		if (h->source == PT_OFFSET_CHAINED) {
			text_chained(o, m, i);
			continue;
		}
		pt_out(o, "clock %s - %s = %" PRId64 " ns, bound %" PRId64
		       " ns, %s", h->name, m->host[0].name, h->offset,
		       h->bound, pt_offset_source_name(h->source));
		if (h->source == PT_OFFSET_TSYNC)
			pt_out(o, " (trace-cmd's, in '%s'; every one of %zu "
			       "echoes allows %" PRId64 "..%" PRId64 " ns)\n",
			       h->path, est->used, est->lo, est->hi);
		else
			pt_out(o, " from %zu echoes (%s %" PRId64 "..%" PRId64
			       " ns)\n", est->used, est->meet ?
			       "every one allows" : "they do not meet:",
			       est->lo, est->hi);
		if (h->drift)
			pt_out(o, "clock %s: drifting %.0f ns/s (ppb): the "
			       "offset is a line through the best echo of each "
			       "of %zu windows, %" PRId64 " ns at %s's %" PRIu64
			       " ns\n", h->name, h->fit.slope * 1e9,
			       h->fit.windows, h->fit.offset0,
			       m->host[0].name, h->fit.t0);
		if (h->tsync_rejected && est->tsync_bad)
			pt_out(o, "clock %s: trace-cmd's tsync offset %" PRId64
			       " ns not used: it makes %zu of %zu echoes' "
			       "one-way delays zero or negative\n", h->name,
			       est->tsync_offset, est->tsync_bad,
			       est->tsync_used);
		else if (h->tsync_rejected)
			pt_out(o, "clock %s: trace-cmd's tsync offset %" PRId64
			       " ns not used: it is of %zu of %zu echoes "
			       "only\n", h->name, est->tsync_offset,
			       est->tsync_used, est->used);
	}
	text_edges(o, m);
}

static void text_summary(struct pt_output *o, const struct pt_merge *m,
			 const struct pt_stats *st)
{
	char a[32], b[32], c[32], d[32];
	struct pt_rtt rtt;

	pt_out(o, "--- pingtrace statistics ---\n");
	pt_out(o, "%llu requests, %llu replies, %llu%% loss, %llu duplicates, "
	       "%llu unmatched, %llu unknown\n", (unsigned long long)st->sent,
	       (unsigned long long)st->received,
	       (unsigned long long)pt_stats_loss_pct(st),
	       (unsigned long long)st->dup, (unsigned long long)st->unmatched,
	       (unsigned long long)st->unknown);
	if (st->rtt_n) {
		pt_stats_rtt(st, &rtt);
		ms_text(a, sizeof(a), rtt.min);
		ms_text(b, sizeof(b), rtt.avg);
		ms_text(c, sizeof(c), rtt.max);
		ms_text(d, sizeof(d), rtt.mdev);
		pt_out(o, "kernel rtt min/avg/max/mdev = %s/%s/%s/%s ms\n",
		       a, b, c, d);
	}
	if (st->events_lost < 0)
		pt_out(o, "trace events lost: unknown number\n");
	else
		pt_out(o, "trace events lost: %lld\n",
		       (long long)st->events_lost);
	text_offsets(o, m);
}

int pt_merge_output_event(struct pt_output *o, const struct pt_merge *m,
			  int host, const struct pt_event *ev, uint32_t netns,
			  const struct pt_merge_result *closed)
{
	if (o->quiet)
		return o->err;
	if (o->format == PT_FMT_TEXT)
		text_event(o, m, host, ev, netns, closed);
	else if (o->format == PT_FMT_JSON)
		json_event(o, m, host, ev, netns);
	else
		csv_event(o, m, host, ev, netns);
	return o->err;
}

int pt_merge_output_echo(struct pt_output *o, const struct pt_merge *m,
			 const struct pt_merge_result *r)
{
	if (o->quiet)
		return o->err;
	if (o->format == PT_FMT_TEXT)
		text_echo(o, m, r);
	else if (o->format == PT_FMT_JSON)
		json_echo(o, m, r);
	else
		csv_echo(o, m, r);
	return o->err;
}

int pt_merge_output_summary(struct pt_output *o, const struct pt_merge *m,
			    const struct pt_stats *st)
{
	if (o->format == PT_FMT_TEXT)
		text_summary(o, m, st);
	else if (o->format == PT_FMT_JSON)
		json_summary(o, m, st);
	else
		csv_summary(o, m, st);
	return pt_output_flush(o);
}
