// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON Lines writer: one object per echo (and per event with -e),
 * then the summary.  Times are ns, of the wall clock where known.
 */
#include "output-local.h"

/* Below this, a byte is a control character JSON must escape */
#define JSON_FIRST_PRINTABLE	0x20
#define JSON_DEL		0x7f

static void json_string(struct pt_output *o, const char *str)
{
	const unsigned char *p;

	pt_out(o, "\"");
	for (p = (const unsigned char *)str; *p; p++) {
		if (*p == '"' || *p == '\\')
			pt_out(o, "\\%c", *p);
		else if (*p < JSON_FIRST_PRINTABLE || *p >= JSON_DEL)
			pt_out(o, "\\u%04x", *p);
		else
			pt_out(o, "%c", *p);
	}
	pt_out(o, "\"");
}

/* ,"key":N of a time, or null */
static void json_time(struct pt_output *o, const char *key, int have,
		      uint64_t ts)
{
	if (have)
		pt_out(o, ",\"%s\":%llu", key, pt_disp_ns(o, ts));
	else
		pt_out(o, ",\"%s\":null", key);
}

/* ,"key":N of a number, or null */
static void json_u64(struct pt_output *o, const char *key, int have,
		     uint64_t v)
{
	if (have)
		pt_out(o, ",\"%s\":%llu", key, (unsigned long long)v);
	else
		pt_out(o, ",\"%s\":null", key);
}

static void json_event(struct pt_output *o, const struct pt_event *ev,
		       const struct pt_echo *closed)
{
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];

	(void)closed;	/* its echo record follows */
	if (!o->events)
		return;
	pt_out(o, "{\"type\":\"event\",\"time_ns\":%llu,\"dir\":\"%s\","
	       "\"cpu\":%d,\"pid\":%d,\"comm\":", pt_disp_ns(o, ev->ts),
	       pt_dir_name(ev), ev->cpu, ev->pid);
	json_string(o, ev->comm);
	pt_out(o, ",\"kind\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\"",
	       pt_icmp_kind(ev), pt_addr_str(&ev->saddr, s),
	       pt_addr_str(&ev->daddr, d));
	if (ev->has_icmp)
		pt_out(o, ",\"icmp_type\":%u,\"icmp_code\":%u,\"id\":%u,"
		       "\"seq\":%u", ev->icmp_type, ev->icmp_code,
		       ev->icmp_id, ev->icmp_seq);
	else
		pt_out(o, ",\"icmp_type\":null,\"icmp_code\":null,"
		       "\"id\":null,\"seq\":null");
	pt_out(o, ",\"ttl\":%u,\"len\":%u,\"ip_id\":%u,\"frag_off\":%u,"
	       "\"dev\":", ev->ttl, ev->tot_len, ev->ip_id, ev->frag_off);
	json_string(o, ev->dev);
	if (pt_event_is_v6(ev))
		pt_out(o, ",\"flow_label\":%u", ev->flow_label);
	pt_out(o, ",\"ifindex\":%d,\"netns\":%u}\n", ev->ifindex, ev->netns);
}

static const char * const unattached_names[] = {
	[PT_ERROR_ATTACHED]	= NULL,
	[PT_ERROR_NO_ORIG]	= "no_orig",
	[PT_ERROR_NO_REQUEST]	= "no_request",
	[PT_ERROR_NO_QUOTE]	= "no_quote",
};

/* ,"error":{...} of an echo closed by an ICMP error */
static void json_error(struct pt_output *o, const struct pt_echo *e)
{
	const char *why = unattached_names[e->error.unattached];
	char f[ADDR_STR_LEN], text[PT_ERROR_TEXT_LEN];

	pt_out(o, ",\"error\":{\"type\":%u,\"code\":%u,\"from\":\"%s\","
	       "\"text\":", e->error.type, e->error.code,
	       pt_addr_str(&e->error.from, f));
	if (pt_echo_error_text(&e->error, text, sizeof(text)) >= 0)
		json_string(o, text);
	else
		pt_out(o, "null");
	if (e->error.has_mtu)
		pt_out(o, ",\"mtu\":%u", e->error.mtu);
	pt_out(o, ",\"ns\":%llu", pt_disp_ns(o, e->error.ns));
	if (why)
		pt_out(o, ",\"unattached\":\"%s\"", why);
	pt_out(o, "}");
}

/* "drop":{...}, the keys of the issue; "dev" and "netns" of its packet */
static void json_drop_object(struct pt_output *o, const struct pt_drop *d,
			     int seen)
{
	pt_out(o, "\"drop\":{\"netns\":");
	if (seen)
		pt_out(o, "%u,\"dev\":", d->netns);
	else
		pt_out(o, "null,\"dev\":");
	if (seen)
		json_string(o, d->dev);
	else
		pt_out(o, "null");
	pt_out(o, ",\"location\":");
	json_string(o, d->location);
	pt_out(o, ",\"reason\":");
	if (d->reason[0])
		json_string(o, d->reason);
	else
		pt_out(o, "null");
	pt_out(o, ",\"ns\":%llu}", pt_disp_ns(o, d->ns));
}

/* With --events: each drop as a record of its own */
static void json_drop(struct pt_output *o, const struct pt_drop *d,
		      const struct pt_packet *pkt, int attached)
{
	char s[ADDR_STR_LEN], t[ADDR_STR_LEN];

	if (!o->events)
		return;
	pt_out(o, "{\"type\":\"drop\",");
	if (pkt)
		pt_out(o, "\"src\":\"%s\",\"dst\":\"%s\",\"icmp_type\":%u,"
		       "\"id\":%u,\"seq\":%u,\"attached\":%s,",
		       pt_addr_str(&pkt->saddr, s), pt_addr_str(&pkt->daddr, t),
		       pkt->icmp_type, pkt->icmp_id, pkt->icmp_seq,
		       attached ? "true" : "false");
	json_drop_object(o, d, pkt != NULL);
	pt_out(o, "}\n");
}

/* "path":[{"dir":"SND","what":"request","netns":N,"dev":"va","ns":T},..] */
static void json_path(struct pt_output *o, const struct pt_echo *e)
{
	const struct pt_hop *h;
	unsigned int i;

	pt_out(o, ",\"path\":[");
	for (i = 0; i < e->nr_path; i++) {
		h = &e->path[i];
		pt_out(o, "%s{\"dir\":\"%s\",\"what\":\"%s\",\"netns\":%u,"
		       "\"dev\":", i ? "," : "",
		       h->dir == PT_DIR_SEND ? "SND" : "RCV",
		       pt_hop_what_name(h->what), h->netns);
		json_string(o, h->dev);
		pt_out(o, ",\"ns\":%llu}", pt_disp_ns(o, h->ns));
	}
	pt_out(o, "]");
	if (e->path_full)
		pt_out(o, ",\"path_full\":%u", e->path_full);
}

static void json_echo(struct pt_output *o, const struct pt_echo *e)
{
	char s[ADDR_STR_LEN], d[ADDR_STR_LEN];
	int both = (e->have & PT_HAVE_SEND) && (e->have & PT_HAVE_RECV);

	pt_out(o, "{\"type\":\"echo\",\"src\":\"%s\",\"dst\":\"%s\",\"id\":%u,"
	       "\"seq\":%u,\"status\":\"%s\"", pt_addr_str(&e->src, s),
	       pt_addr_str(&e->dst, d), e->id, e->seq,
	       pt_echo_status_name(e->status));
	json_time(o, "send_ns", e->have & PT_HAVE_SEND, e->send_ns);
	json_time(o, "recv_ns", e->have & PT_HAVE_RECV, e->recv_ns);
	json_u64(o, "rtt_ns", both, both ? pt_echo_rtt(e) : 0);
	if (e->have & PT_HAVE_TARGET_RECV)
		json_time(o, "target_recv_ns", 1, e->target_recv_ns);
	if (e->have & PT_HAVE_TARGET_SEND)
		json_time(o, "target_send_ns", 1, e->target_send_ns);
	if (e->have & (PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND))
		pt_out(o, ",\"target_netns\":%u", e->target_netns);
	if (e->nr_path)
		json_path(o, e);
	if (e->have & PT_HAVE_ERROR)
		json_error(o, e);
	if (e->have & PT_HAVE_DROP) {
		pt_out(o, ",");
		json_drop_object(o, &e->drop, 1);
	}
	if (o->stage)
		pt_stages_json(o, o->stage);
	pt_out(o, "}\n");
}

static void json_summary(struct pt_output *o, const struct pt_stats *st)
{
	struct pt_rtt rtt;

	pt_stats_rtt(st, &rtt);
	pt_out(o, "{\"type\":\"summary\",\"sent\":%llu,\"received\":%llu,"
	       "\"lost\":%llu,\"dup\":%llu,\"unmatched\":%llu,"
	       "\"unknown\":%llu",
	       (unsigned long long)st->sent, (unsigned long long)st->received,
	       (unsigned long long)st->lost, (unsigned long long)st->dup,
	       (unsigned long long)st->unmatched,
	       (unsigned long long)st->unknown);
	json_u64(o, "rtt_min_ns", st->rtt_n, rtt.min);
	json_u64(o, "rtt_avg_ns", st->rtt_n, rtt.avg);
	json_u64(o, "rtt_max_ns", st->rtt_n, rtt.max);
	json_u64(o, "rtt_mdev_ns", st->rtt_n, rtt.mdev);
	pt_out(o, ",\"events_lost\":%lld,\"evicted\":%llu,\"events\":%llu,"
	       "\"errors\":%llu", (long long)st->events_lost,
	       (unsigned long long)st->evicted,
	       (unsigned long long)st->events, (unsigned long long)st->errors);
	if (st->errors_unattached)
		pt_out(o, ",\"errors_unattached\":%llu",
		       (unsigned long long)st->errors_unattached);
	pt_out(o, ",\"drops\":%llu", (unsigned long long)st->drops);
	if (st->drops_answered || st->drops_other || st->drops_unseen)
		pt_out(o, ",\"drops_answered\":%llu,\"drops_other\":%llu,"
		       "\"drops_unseen\":%llu",
		       (unsigned long long)st->drops_answered,
		       (unsigned long long)st->drops_other,
		       (unsigned long long)st->drops_unseen);
	if (st->drop_events)
		pt_out(o, ",\"drop_events\":%llu",
		       (unsigned long long)st->drop_events);
	pt_out(o, "}\n");
}

const struct pt_writer pt_json_writer = {
	.event		= json_event,
	.echo		= json_echo,
	.summary	= json_summary,
	.drop		= json_drop,
};
