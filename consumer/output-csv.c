// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV writer: a header, one row per echo (and per event with -e),
 * then the summary with a header of its own after a blank line.
 */
#include <stdio.h>
#include <string.h>

#include "output-local.h"

static const char * const csv_header =
	"type,time_ns,dir,pid,comm,kind,src,dst,id,seq,ttl,len,dev,netns,"
	"status,send_ns,recv_ns,rtt_ns,target_recv_ns,target_send_ns,"
	"error_type,error_code,error_from,error_ns,drop_netns,drop_dev,"
	"drop_location,drop_reason,drop_ns,error_mtu,target_netns,path\n";

static const char * const csv_summary_header =
	"type,sent,received,lost,dup,unmatched,unknown,rtt_min_ns,"
	"rtt_avg_ns,rtt_max_ns,rtt_mdev_ns,events_lost,evicted,events,errors,"
	"drops\n";

/* Quoted only when it must be (RFC 4180) */
static void csv_string(struct pt_output *o, const char *str)
{
	const char *p;

	if (!strpbrk(str, ",\"\r\n")) {
		pt_out(o, "%s", str);
		return;
	}
	pt_out(o, "\"");
	for (p = str; *p; p++)
		pt_out(o, *p == '"' ? "\"\"" : "%c", *p);
	pt_out(o, "\"");
}

static void csv_start(struct pt_output *o)
{
	if (o->started)
		return;
	o->started = 1;
	if (!o->stage_view) {
		pt_out(o, "%s", csv_header);
		return;
	}
	pt_out(o, "%.*s", (int)strlen(csv_header) - 1, csv_header);
	pt_stages_csv_header(o);
}

static void csv_event(struct pt_output *o, const struct pt_event *ev,
		      const struct pt_echo *closed)
{
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];

	(void)closed;	/* its echo row follows */
	if (!o->events)
		return;
	csv_start(o);
	pt_out(o, "event,%llu,%s,%d,", pt_disp_ns(o, ev->ts), pt_dir_name(ev),
	       ev->pid);
	csv_string(o, ev->comm);
	pt_out(o, ",%s,%s,%s,", pt_icmp_kind(ev), pt_addr_str(&ev->saddr, s),
	       pt_addr_str(&ev->daddr, d));
	if (ev->has_icmp)
		pt_out(o, "%u,%u", ev->icmp_id, ev->icmp_seq);
	else
		pt_out(o, ",");
	pt_out(o, ",%u,%u,", ev->ttl, ev->tot_len);
	csv_string(o, ev->dev);
	pt_out(o, ",%u,,,,,,,,,,,,,,,,,,", ev->netns);
	if (o->stage_view)
		pt_stages_csv(o, NULL);
	pt_out(o, "\n");
}

/* ,N of a time, or an empty field */
static void csv_time(struct pt_output *o, int have, uint64_t ts)
{
	if (have)
		pt_out(o, ",%llu", pt_disp_ns(o, ts));
	else
		pt_out(o, ",");
}

/*
 * The path of an echo in one field: its points in order, separated by
 * spaces, each DIR:WHAT:NETNS:DEV:NS (device names have neither), then
 * more:N when N points found no room
 */
static void csv_path(struct pt_output *o, const struct pt_echo *e)
{
	char buf[PT_PATH_MAX * 80 + 32];
	const struct pt_hop *h;
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < e->nr_path; i++) {
		h = &e->path[i];
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s:%s:%u:%s:%llu",
				i ? " " : "",
				h->dir == PT_DIR_SEND ? "SND" : "RCV",
				pt_hop_what_name(h->what), h->netns,
				h->dev[0] ? h->dev : "-",
				pt_disp_ns(o, h->ns));
		if (len >= sizeof(buf))
			break;
	}
	if (e->path_full && len < sizeof(buf))
		snprintf(buf + len, sizeof(buf) - len, "%smore:%u",
			 len ? " " : "", e->path_full);
	pt_out(o, ",");
	csv_string(o, buf);
}

static void csv_echo(struct pt_output *o, const struct pt_echo *e)
{
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];
	int both = (e->have & PT_HAVE_SEND) && (e->have & PT_HAVE_RECV);

	csv_start(o);
	pt_out(o, "echo,%llu,,,,,%s,%s,%u,%u,,,,,%s",
	       pt_disp_ns(o, e->have & PT_HAVE_RECV ? e->recv_ns : e->send_ns),
	       pt_addr_str(&e->src, s), pt_addr_str(&e->dst, d), e->id, e->seq,
	       pt_echo_status_name(e->status));
	csv_time(o, e->have & PT_HAVE_SEND, e->send_ns);
	csv_time(o, e->have & PT_HAVE_RECV, e->recv_ns);
	if (both)
		pt_out(o, ",%llu", (unsigned long long)pt_echo_rtt(e));
	else
		pt_out(o, ",");
	csv_time(o, e->have & PT_HAVE_TARGET_RECV, e->target_recv_ns);
	csv_time(o, e->have & PT_HAVE_TARGET_SEND, e->target_send_ns);
	if (e->have & PT_HAVE_ERROR)
		pt_out(o, ",%u,%u,%s", e->error.type, e->error.code,
		       pt_addr_str(&e->error.from, s));
	else
		pt_out(o, ",,,");
	csv_time(o, e->have & PT_HAVE_ERROR, e->error.ns);
	if (e->have & PT_HAVE_DROP) {
		pt_out(o, ",%u,", e->drop.netns);
		csv_string(o, e->drop.dev);
		pt_out(o, ",");
		csv_string(o, e->drop.location);
		pt_out(o, ",");
		csv_string(o, e->drop.reason);
	} else {
		pt_out(o, ",,,,");
	}
	csv_time(o, e->have & PT_HAVE_DROP, e->drop.ns);
	if (e->have & PT_HAVE_ERROR && e->error.has_mtu)
		pt_out(o, ",%u", e->error.mtu);
	else
		pt_out(o, ",");
	if (e->have & (PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND))
		pt_out(o, ",%u", e->target_netns);
	else
		pt_out(o, ",");
	csv_path(o, e);
	if (o->stage_view)
		pt_stages_csv(o, o->stage);
	pt_out(o, "\n");
}

/* Drops are in their echo's row */
static void csv_drop(struct pt_output *o, const struct pt_drop *d,
		     const struct pt_packet *pkt, int attached)
{
	(void)o;
	(void)d;
	(void)pkt;
	(void)attached;
}

static void csv_summary(struct pt_output *o, const struct pt_stats *st)
{
	struct pt_rtt rtt;

	pt_stats_rtt(st, &rtt);
	if (o->started)
		pt_out(o, "\n");
	pt_out(o, "%ssummary,%llu,%llu,%llu,%llu,%llu,%llu",
	       csv_summary_header,
	       (unsigned long long)st->sent, (unsigned long long)st->received,
	       (unsigned long long)st->lost, (unsigned long long)st->dup,
	       (unsigned long long)st->unmatched,
	       (unsigned long long)st->unknown);
	if (st->rtt_n)
		pt_out(o, ",%llu,%llu,%llu,%llu", (unsigned long long)rtt.min,
		       (unsigned long long)rtt.avg, (unsigned long long)rtt.max,
		       (unsigned long long)rtt.mdev);
	else
		pt_out(o, ",,,,");
	pt_out(o, ",%lld,%llu,%llu,%llu,%llu\n", (long long)st->events_lost,
	       (unsigned long long)st->evicted,
	       (unsigned long long)st->events,
	       (unsigned long long)st->errors,
	       (unsigned long long)st->drops);
}

const struct pt_writer pt_csv_writer = {
	.event		= csv_event,
	.echo		= csv_echo,
	.summary	= csv_summary,
	.drop		= csv_drop,
};
