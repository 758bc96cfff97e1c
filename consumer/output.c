// SPDX-License-Identifier: GPL-2.0
/*
 * Output writers.  Nothing here exits: the first write error is kept in
 * o->err and returned by every later call.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output.h"

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL

static const char * const csv_header =
	"type,time_ns,dir,pid,comm,kind,src,dst,id,seq,ttl,len,dev,netns,"
	"status,send_ns,recv_ns,rtt_ns,target_recv_ns,target_send_ns\n";

static const char * const csv_summary_header =
	"type,sent,received,lost,dup,unmatched,unknown,rtt_min_ns,"
	"rtt_avg_ns,rtt_max_ns,rtt_mdev_ns,events_lost,evicted,events\n";

int pt_format_parse(const char *str, enum pt_format *format)
{
	if (!strcmp(str, "text"))
		*format = PT_FMT_TEXT;
	else if (!strcmp(str, "json"))
		*format = PT_FMT_JSON;
	else if (!strcmp(str, "csv"))
		*format = PT_FMT_CSV;
	else
		return -EINVAL;
	return 0;
}

void pt_output_init(struct pt_output *o, FILE *fp, enum pt_format format)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->format = format;
}

static void check_stream(struct pt_output *o)
{
	if (!o->err && ferror(o->fp))
		o->err = errno ? -errno : -EIO;
}

__attribute__((format(printf, 2, 3)))
static void out(struct pt_output *o, const char *fmt, ...)
{
	va_list ap;

	if (o->err)
		return;
	errno = 0;
	va_start(ap, fmt);
	if (vfprintf(o->fp, fmt, ap) < 0)
		o->err = errno ? -errno : -EIO;
	va_end(ap);
	check_stream(o);
}

int pt_output_flush(struct pt_output *o)
{
	if (o->err)
		return o->err;
	errno = 0;
	if (fflush(o->fp))
		o->err = errno ? -errno : -EIO;
	check_stream(o);
	return o->err;
}

/*
 * A text line is built in place and written with one fwrite(): printf()
 * cost more than decoding and pairing together (make bench).  Numbers
 * are written straight into the line, two digits at a time.  What each
 * function writes is what the printf() format in its comment would.
 */
struct line {
	size_t	len;
	char	buf[512];	/* a line is at most about 300 bytes */
};

/* Room for @n more bytes; only a guard, see struct line */
static inline int room(const struct line *l, size_t n)
{
	return n <= sizeof(l->buf) - l->len;
}

static inline void put_mem(struct line *l, const char *s, size_t n)
{
	if (!room(l, n))
		return;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static inline void put_str(struct line *l, const char *s)
{
	put_mem(l, s, strlen(s));
}

/* a string literal: its length is known */
#define put_lit(l, s)	put_mem(l, s, sizeof(s) - 1)

static inline void put_spaces(struct line *l, size_t n)
{
	if (!room(l, n))
		return;
	memset(l->buf + l->len, ' ', n);
	l->len += n;
}

/* "%-*s" and "%*s" */
static void put_left(struct line *l, const char *s, size_t width)
{
	size_t n = strlen(s);

	put_mem(l, s, n);
	if (n < width)
		put_spaces(l, width - n);
}

static void put_right(struct line *l, const char *s, size_t width)
{
	size_t n = strlen(s);

	if (n < width)
		put_spaces(l, width - n);
	put_mem(l, s, n);
}

static const char two_digits[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

static const uint64_t pow_ten[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL,
};

/* Decimal digits of @v: from its bit length, then one comparison */
static inline int ndigits(uint64_t v)
{
	int n = ((64 - __builtin_clzll(v | 1)) * 1233 >> 12) + 1;

	return n - (n > 1 && v < pow_ten[n - 1]);
}

/* The @n low digits of @v, zero-padded, ending just before @end */
static inline void digits_at(char *end, uint64_t v, int n)
{
	while (n >= 2) {
		end -= 2;
		memcpy(end, two_digits + v % 100 * 2, 2);
		v /= 100;
		n -= 2;
	}
	if (n)
		end[-1] = '0' + v % 10;
}

/* "%llu" */
static void put_u64(struct line *l, uint64_t v)
{
	int n = ndigits(v);

	if (!room(l, n))
		return;
	digits_at(l->buf + l->len + n, v, n);
	l->len += n;
}

/* "%*d" */
static void put_int_right(struct line *l, int v, size_t width)
{
	uint64_t mag = v < 0 ? -(int64_t)v : v;
	size_t n = ndigits(mag) + (v < 0);

	if (n < width)
		put_spaces(l, width - n);
	if (!room(l, n))
		return;
	if (v < 0)
		l->buf[l->len] = '-';
	l->len += n;
	digits_at(l->buf + l->len, mag, n - (v < 0));
}

/* "%*s" of "%llu.%0*llu", @ns / @unit and @ns % @unit */
static void put_fixed(struct line *l, uint64_t ns, uint64_t unit,
		      int decimals, size_t width)
{
	uint64_t whole = ns / unit;
	int nw = ndigits(whole);
	size_t n = nw + 1 + decimals;

	if (n < width)
		put_spaces(l, width - n);
	if (!room(l, n))
		return;
	digits_at(l->buf + l->len + nw, whole, nw);
	l->buf[l->len + nw] = '.';
	l->len += n;
	digits_at(l->buf + l->len, ns % unit, decimals);
}

/* One byte of a dotted quad at @p; returns its length */
static inline int put_byte_at(char *p, unsigned int v)
{
	if (v >= 100) {
		p[0] = '0' + v / 100;
		memcpy(p + 1, two_digits + v % 100 * 2, 2);
		return 3;
	}
	if (v >= 10) {
		memcpy(p, two_digits + v * 2, 2);
		return 2;
	}
	p[0] = '0' + v;
	return 1;
}

/* The dotted quad of @addr (network order) into @buf; returns its length */
static int ip_chars(char *buf, uint32_t addr)
{
	const unsigned char *b = (const unsigned char *)&addr;
	char *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		p += put_byte_at(p, b[i]);
		if (i < 3)
			*p++ = '.';
	}
	return p - buf;
}

/*
 * "%-*s" (@left) or "%*s" of the address.  The text of the last two
 * addresses is kept: a flood is the same two addresses again and again.
 */
static void put_ip(struct pt_output *o, struct line *l, uint32_t addr,
		   size_t width, int left)
{
	struct pt_text_cache *c = &o->cache;
	int i = c->ip_valid[0] && c->ip[0] == addr ? 0 :
		c->ip_valid[1] && c->ip[1] == addr ? 1 : -1;
	size_t n;

	if (i < 0) {
		i = c->ip_next;
		c->ip_next ^= 1;
		c->ip[i] = addr;
		c->ip_len[i] = ip_chars(c->ip_str[i], addr);
		c->ip_valid[i] = 1;
	}
	n = c->ip_len[i];
	if (!left && n < width)
		put_spaces(l, width - n);
	put_mem(l, c->ip_str[i], n);
	if (left && n < width)
		put_spaces(l, width - n);
}

/* "%u" of a netns inode: one per namespace, the last one kept */
static void put_netns(struct pt_output *o, struct line *l, uint32_t netns)
{
	struct pt_text_cache *c = &o->cache;

	if (!c->netns_valid || c->netns != netns) {
		c->netns_len = ndigits(netns);
		digits_at(c->netns_str + c->netns_len, netns, c->netns_len);
		c->netns = netns;
		c->netns_valid = 1;
	}
	put_mem(l, c->netns_str, c->netns_len);
}

static void put_line(struct pt_output *o, const struct line *l)
{
	if (o->err)
		return;
	errno = 0;
	if (fwrite(l->buf, 1, l->len, o->fp) != l->len)
		o->err = errno ? -errno : -EIO;
	check_stream(o);
}

static const char * const icmp_names[] = {
	[0]	= "echo-reply",
	[3]	= "dest-unreach",
	[4]	= "source-quench",
	[5]	= "redirect",
	[8]	= "echo-request",
	[9]	= "router-advert",
	[10]	= "router-solicit",
	[11]	= "time-exceeded",
	[12]	= "param-problem",
	[13]	= "timestamp",
	[14]	= "timestamp-reply",
};

/* A name for what the event carries; "icmp" for types without a name */
const char *pt_icmp_kind(const struct pt_event *ev)
{
	if (!ev->has_icmp)
		return pt_event_is_fragment(ev) ? "fragment" : "truncated";
	if (ev->icmp_type < sizeof(icmp_names) / sizeof(icmp_names[0]) &&
	    icmp_names[ev->icmp_type])
		return icmp_names[ev->icmp_type];
	return "icmp";
}

static const char *ip_str(uint32_t addr, char *buf)
{
	struct in_addr in = { .s_addr = addr };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static unsigned long long disp_ns(const struct pt_output *o, uint64_t ts)
{
	return (unsigned long long)(ts + o->offset);
}

/*
 * "%18s" of "%llu.%09llu": the text of the whole seconds is kept, since
 * thousands of events share each
 */
static void put_seconds(struct pt_output *o, struct line *l,
			unsigned long long ns)
{
	struct pt_text_cache *c = &o->cache;
	uint64_t whole = ns / NSEC_PER_SEC;
	size_t n;

	if (!c->sec_valid || c->sec != whole) {
		c->sec_len = ndigits(whole);
		digits_at(c->sec_str + c->sec_len, whole, c->sec_len);
		c->sec = whole;
		c->sec_valid = 1;
	}
	n = c->sec_len + 10;
	if (n < 18)
		put_spaces(l, 18 - n);
	put_mem(l, c->sec_str, c->sec_len);
	if (!room(l, 10))
		return;
	l->buf[l->len] = '.';
	l->len += 10;
	digits_at(l->buf + l->len, ns % NSEC_PER_SEC, 9);
}

/*
 * "%18s" of the time: wall clock as HH:MM:SS.nnnnnnnnn, else seconds of
 * the trace clock.  localtime_r() runs once per second of trace.
 */
static void put_time(struct pt_output *o, struct line *l, uint64_t ts)
{
	struct pt_text_cache *c = &o->cache;
	unsigned long long ns = disp_ns(o, ts);
	time_t sec = ns / NSEC_PER_SEC;
	struct tm tm;

	if (!o->wall) {
		put_seconds(o, l, ns);
		return;
	}
	if (!c->hms_valid || c->hms_sec != (long long)sec) {
		if (!localtime_r(&sec, &tm)) {
			put_seconds(o, l, ns);
			return;
		}
		/* %02d:%02d:%02d, tm_sec may be 60 */
		digits_at(c->hms + 2, tm.tm_hour, 2);
		c->hms[2] = ':';
		digits_at(c->hms + 5, tm.tm_min, 2);
		c->hms[5] = ':';
		digits_at(c->hms + 8, tm.tm_sec, 2);
		c->hms_sec = sec;
		c->hms_valid = 1;
	}
	put_mem(l, c->hms, 8);
	put_lit(l, ".");
	if (!room(l, 9))
		return;
	l->len += 9;
	digits_at(l->buf + l->len, ns % NSEC_PER_SEC, 9);
}

static const char *ms_str(uint64_t ns, char *buf, size_t size)
{
	snprintf(buf, size, "%llu.%06llu", (unsigned long long)(ns / NSEC_PER_MSEC),
		 (unsigned long long)(ns % NSEC_PER_MSEC));
	return buf;
}

/* ---- text ---- */

/* " (out=%s resp=%s back=%s)" in ms, when all four times are known */
static void text_breakdown(struct line *l, const struct pt_echo *e)
{
	unsigned int four = PT_HAVE_TARGET_RECV | PT_HAVE_TARGET_SEND;

	if ((e->have & four) != four || e->target_recv_ns < e->send_ns ||
	    e->target_send_ns < e->target_recv_ns ||
	    e->recv_ns < e->target_send_ns)
		return;
	put_lit(l, " (out=");
	put_fixed(l, e->target_recv_ns - e->send_ns, NSEC_PER_MSEC, 6, 0);
	put_lit(l, " resp=");
	put_fixed(l, e->target_send_ns - e->target_recv_ns, NSEC_PER_MSEC, 6, 0);
	put_lit(l, " back=");
	put_fixed(l, e->recv_ns - e->target_send_ns, NSEC_PER_MSEC, 6, 0);
	put_lit(l, ")");
}

static void text_closed(struct line *l, const struct pt_echo *e)
{
	switch (e->status) {
	case PT_ECHO_OK:
		put_lit(l, " rtt=");
		put_fixed(l, pt_echo_rtt(e), NSEC_PER_MSEC, 6, 0);
		put_lit(l, " ms");
		text_breakdown(l, e);
		break;
	case PT_ECHO_DUP:
		put_lit(l, " rtt=");
		put_fixed(l, pt_echo_rtt(e), NSEC_PER_MSEC, 6, 0);
		put_lit(l, " ms DUP!");
		break;
	case PT_ECHO_UNMATCHED:
		put_lit(l, " no-request");
		break;
	case PT_ECHO_UNKNOWN:
		put_lit(l, " no-request (trace events lost)");
		break;
	case PT_ECHO_LOST:
		break;
	}
}

/*
 * "%-4s %6d %-15s %18s %-12s %15s -> %-15s", with "-" for the pid and
 * the comm of a line that is not an event's (@ev NULL)
 */
static void text_head(struct pt_output *o, struct line *l, const char *what,
		      const struct pt_event *ev, uint64_t ts,
		      const char *kind, uint32_t src, uint32_t dst)
{
	put_left(l, what, 4);
	put_lit(l, " ");
	if (ev)
		put_int_right(l, ev->pid, 6);
	else
		put_right(l, "-", 6);
	put_lit(l, " ");
	put_left(l, ev ? ev->comm : "-", 15);
	put_lit(l, " ");
	put_time(o, l, ts);
	put_lit(l, " ");
	put_left(l, kind, 12);
	put_lit(l, " ");
	put_ip(o, l, src, 15, 0);
	put_lit(l, " -> ");
	put_ip(o, l, dst, 15, 1);
}

static void text_event(struct pt_output *o, const struct pt_event *ev,
		       const struct pt_echo *closed)
{
	struct line l;

	l.len = 0;
	text_head(o, &l, ev->dir == PT_DIR_SEND ? "SND" : "RCV", ev, ev->ts,
		  pt_icmp_kind(ev), ev->saddr, ev->daddr);
	if (ev->has_icmp && (ev->icmp_type == 0 || ev->icmp_type == 8)) {
		put_lit(&l, " id=");
		put_u64(&l, ev->icmp_id);
		put_lit(&l, " seq=");
		put_u64(&l, ev->icmp_seq);
	} else if (ev->has_icmp) {
		put_lit(&l, " type=");
		put_u64(&l, ev->icmp_type);
		put_lit(&l, " code=");
		put_u64(&l, ev->icmp_code);
	}
	put_lit(&l, " ttl=");
	put_u64(&l, ev->ttl);
	put_lit(&l, " len=");
	put_u64(&l, ev->tot_len);
	if (pt_event_is_fragment(ev)) {
		put_lit(&l, " ipid=");
		put_u64(&l, ev->ip_id);
		put_lit(&l, " frag=");
		put_u64(&l, (ev->frag_off & PT_IP_OFFMASK) * 8);
		if (ev->frag_off & PT_IP_MF)
			put_lit(&l, "+");
	}
	put_lit(&l, " dev=");
	put_str(&l, ev->dev);
	put_lit(&l, " netns=");
	put_netns(o, &l, ev->netns);
	if (closed)
		text_closed(&l, closed);
	put_lit(&l, "\n");
	put_line(o, &l);
}

/* Echoes closed by a reply are shown on the reply's line */
static void text_echo(struct pt_output *o, const struct pt_echo *e)
{
	struct line l;

	if (e->have & PT_HAVE_RECV)
		return;
	l.len = 0;
	text_head(o, &l, e->status == PT_ECHO_LOST ? "LOST" : "UNKN", NULL,
		  e->send_ns, "echo-request", e->src, e->dst);
	put_lit(&l, " id=");
	put_u64(&l, e->id);
	put_lit(&l, " seq=");
	put_u64(&l, e->seq);
	put_str(&l, e->status == PT_ECHO_LOST ? " no reply\n" :
		" reply unknown (trace events lost)\n");
	put_line(o, &l);
}

static void text_summary(struct pt_output *o, const struct pt_stats *st)
{
	char a[32], b[32], c[32], d[32];
	struct pt_rtt rtt;

	pt_stats_rtt(st, &rtt);
	out(o, "--- pingtrace statistics ---\n");
	out(o, "%llu requests, %llu replies, %llu%% loss, %llu duplicates, "
	    "%llu unmatched, %llu unknown\n",
	    (unsigned long long)st->sent, (unsigned long long)st->received,
	    st->sent ? (unsigned long long)(st->lost * 100 / st->sent) : 0ULL,
	    (unsigned long long)st->dup, (unsigned long long)st->unmatched,
	    (unsigned long long)st->unknown);
	if (st->rtt_n)
		out(o, "kernel rtt min/avg/max/mdev = %s/%s/%s/%s ms\n",
		    ms_str(rtt.min, a, sizeof(a)), ms_str(rtt.avg, b, sizeof(b)),
		    ms_str(rtt.max, c, sizeof(c)), ms_str(rtt.mdev, d, sizeof(d)));
	if (st->events_lost < 0)
		out(o, "trace events lost: unknown number\n");
	else
		out(o, "trace events lost: %lld\n", (long long)st->events_lost);
	if (st->evicted || st->frag_dropped)
		out(o, "evicted requests: %llu, incomplete fragment trains: %llu\n",
		    (unsigned long long)st->evicted,
		    (unsigned long long)st->frag_dropped);
}

/* ---- JSON ---- */

static void json_string(struct pt_output *o, const char *str)
{
	const unsigned char *p;

	out(o, "\"");
	for (p = (const unsigned char *)str; *p; p++) {
		if (*p == '"' || *p == '\\')
			out(o, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			out(o, "\\u%04x", *p);
		else
			out(o, "%c", *p);
	}
	out(o, "\"");
}

static void json_time(struct pt_output *o, const char *key, int have,
		      uint64_t ts)
{
	if (have)
		out(o, ",\"%s\":%llu", key, disp_ns(o, ts));
	else
		out(o, ",\"%s\":null", key);
}

static void json_event(struct pt_output *o, const struct pt_event *ev)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	out(o, "{\"type\":\"event\",\"time_ns\":%llu,\"dir\":\"%s\",\"cpu\":%d,"
	    "\"pid\":%d,\"comm\":", disp_ns(o, ev->ts),
	    ev->dir == PT_DIR_SEND ? "SND" : "RCV", ev->cpu, ev->pid);
	json_string(o, ev->comm);
	out(o, ",\"kind\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\"",
	    pt_icmp_kind(ev), ip_str(ev->saddr, s), ip_str(ev->daddr, d));
	if (ev->has_icmp)
		out(o, ",\"icmp_type\":%u,\"icmp_code\":%u,\"id\":%u,\"seq\":%u",
		    ev->icmp_type, ev->icmp_code, ev->icmp_id, ev->icmp_seq);
	else
		out(o, ",\"icmp_type\":null,\"icmp_code\":null,"
		    "\"id\":null,\"seq\":null");
	out(o, ",\"ttl\":%u,\"len\":%u,\"ip_id\":%u,\"frag_off\":%u,\"dev\":",
	    ev->ttl, ev->tot_len, ev->ip_id, ev->frag_off);
	json_string(o, ev->dev);
	out(o, ",\"ifindex\":%d,\"netns\":%u}\n", ev->ifindex, ev->netns);
}

static void json_echo(struct pt_output *o, const struct pt_echo *e)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	int both = (e->have & PT_HAVE_SEND) && (e->have & PT_HAVE_RECV);

	out(o, "{\"type\":\"echo\",\"src\":\"%s\",\"dst\":\"%s\",\"id\":%u,"
	    "\"seq\":%u,\"status\":\"%s\"", ip_str(e->src, s),
	    ip_str(e->dst, d), e->id, e->seq, pt_echo_status_name(e->status));
	json_time(o, "send_ns", e->have & PT_HAVE_SEND, e->send_ns);
	json_time(o, "recv_ns", e->have & PT_HAVE_RECV, e->recv_ns);
	if (both)
		out(o, ",\"rtt_ns\":%llu", (unsigned long long)pt_echo_rtt(e));
	else
		out(o, ",\"rtt_ns\":null");
	if (e->have & PT_HAVE_TARGET_RECV)
		json_time(o, "target_recv_ns", 1, e->target_recv_ns);
	if (e->have & PT_HAVE_TARGET_SEND)
		json_time(o, "target_send_ns", 1, e->target_send_ns);
	out(o, "}\n");
}

static void json_rtt(struct pt_output *o, const char *key, int have,
		     uint64_t v)
{
	if (have)
		out(o, ",\"%s\":%llu", key, (unsigned long long)v);
	else
		out(o, ",\"%s\":null", key);
}

static void json_summary(struct pt_output *o, const struct pt_stats *st)
{
	struct pt_rtt rtt;

	pt_stats_rtt(st, &rtt);
	out(o, "{\"type\":\"summary\",\"sent\":%llu,\"received\":%llu,"
	    "\"lost\":%llu,\"dup\":%llu,\"unmatched\":%llu,\"unknown\":%llu",
	    (unsigned long long)st->sent, (unsigned long long)st->received,
	    (unsigned long long)st->lost, (unsigned long long)st->dup,
	    (unsigned long long)st->unmatched, (unsigned long long)st->unknown);
	json_rtt(o, "rtt_min_ns", st->rtt_n, rtt.min);
	json_rtt(o, "rtt_avg_ns", st->rtt_n, rtt.avg);
	json_rtt(o, "rtt_max_ns", st->rtt_n, rtt.max);
	json_rtt(o, "rtt_mdev_ns", st->rtt_n, rtt.mdev);
	out(o, ",\"events_lost\":%lld,\"evicted\":%llu,\"events\":%llu}\n",
	    (long long)st->events_lost, (unsigned long long)st->evicted,
	    (unsigned long long)st->events);
}

/* ---- CSV ---- */

static void csv_string(struct pt_output *o, const char *str)
{
	const char *p;

	if (!strpbrk(str, ",\"\r\n")) {
		out(o, "%s", str);
		return;
	}
	out(o, "\"");
	for (p = str; *p; p++)
		out(o, *p == '"' ? "\"\"" : "%c", *p);
	out(o, "\"");
}

static void csv_start(struct pt_output *o)
{
	if (o->started)
		return;
	o->started = 1;
	out(o, "%s", csv_header);
}

static void csv_event(struct pt_output *o, const struct pt_event *ev)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	csv_start(o);
	out(o, "event,%llu,%s,%d,", disp_ns(o, ev->ts),
	    ev->dir == PT_DIR_SEND ? "SND" : "RCV", ev->pid);
	csv_string(o, ev->comm);
	out(o, ",%s,%s,%s,", pt_icmp_kind(ev), ip_str(ev->saddr, s),
	    ip_str(ev->daddr, d));
	if (ev->has_icmp)
		out(o, "%u,%u", ev->icmp_id, ev->icmp_seq);
	else
		out(o, ",");
	out(o, ",%u,%u,", ev->ttl, ev->tot_len);
	csv_string(o, ev->dev);
	out(o, ",%u,,,,,,\n", ev->netns);
}

static void csv_time(struct pt_output *o, int have, uint64_t ts)
{
	if (have)
		out(o, ",%llu", disp_ns(o, ts));
	else
		out(o, ",");
}

static void csv_echo(struct pt_output *o, const struct pt_echo *e)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	int both = (e->have & PT_HAVE_SEND) && (e->have & PT_HAVE_RECV);

	csv_start(o);
	out(o, "echo,%llu,,,,,%s,%s,%u,%u,,,,,%s",
	    disp_ns(o, e->have & PT_HAVE_RECV ? e->recv_ns : e->send_ns),
	    ip_str(e->src, s), ip_str(e->dst, d), e->id, e->seq,
	    pt_echo_status_name(e->status));
	csv_time(o, e->have & PT_HAVE_SEND, e->send_ns);
	csv_time(o, e->have & PT_HAVE_RECV, e->recv_ns);
	if (both)
		out(o, ",%llu", (unsigned long long)pt_echo_rtt(e));
	else
		out(o, ",");
	csv_time(o, e->have & PT_HAVE_TARGET_RECV, e->target_recv_ns);
	csv_time(o, e->have & PT_HAVE_TARGET_SEND, e->target_send_ns);
	out(o, "\n");
}

static void csv_summary(struct pt_output *o, const struct pt_stats *st)
{
	struct pt_rtt rtt;

	pt_stats_rtt(st, &rtt);
	if (o->started)
		out(o, "\n");
	out(o, "%ssummary,%llu,%llu,%llu,%llu,%llu,%llu", csv_summary_header,
	    (unsigned long long)st->sent, (unsigned long long)st->received,
	    (unsigned long long)st->lost, (unsigned long long)st->dup,
	    (unsigned long long)st->unmatched, (unsigned long long)st->unknown);
	if (st->rtt_n)
		out(o, ",%llu,%llu,%llu,%llu", (unsigned long long)rtt.min,
		    (unsigned long long)rtt.avg, (unsigned long long)rtt.max,
		    (unsigned long long)rtt.mdev);
	else
		out(o, ",,,,");
	out(o, ",%lld,%llu,%llu\n", (long long)st->events_lost,
	    (unsigned long long)st->evicted, (unsigned long long)st->events);
}

/* ---- dispatch ---- */

/* @closed: the echo this event completed (a reply), or NULL */
int pt_output_event(struct pt_output *o, const struct pt_event *ev,
		    const struct pt_echo *closed)
{
	if (o->quiet)
		return o->err;
	switch (o->format) {
	case PT_FMT_TEXT:
		text_event(o, ev, closed);
		break;
	case PT_FMT_JSON:
		if (o->events)
			json_event(o, ev);
		break;
	case PT_FMT_CSV:
		if (o->events)
			csv_event(o, ev);
		break;
	}
	return o->err;
}

int pt_output_echo(struct pt_output *o, const struct pt_echo *echo)
{
	if (o->quiet)
		return o->err;
	switch (o->format) {
	case PT_FMT_TEXT:
		text_echo(o, echo);
		break;
	case PT_FMT_JSON:
		json_echo(o, echo);
		break;
	case PT_FMT_CSV:
		csv_echo(o, echo);
		break;
	}
	return o->err;
}

int pt_output_summary(struct pt_output *o, const struct pt_stats *st)
{
	switch (o->format) {
	case PT_FMT_TEXT:
		text_summary(o, st);
		break;
	case PT_FMT_JSON:
		json_summary(o, st);
		break;
	case PT_FMT_CSV:
		csv_summary(o, st);
		break;
	}
	return pt_output_flush(o);
}
