// SPDX-License-Identifier: GPL-2.0
/*
 * The line formatter of the text writer: numbers, addresses and times
 * written straight into a struct line (output-local.h).
 */
#include <arpa/inet.h>
#include <time.h>

#include "output-local.h"

/* "HH:MM:SS" */
#define HMS_LEN		8

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

/*
 * Decimal digits of @v: from its bit length times log10(2), which
 * 1233 / 2^12 approximates from below, then one comparison
 */
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

/* "%-*s" */
void put_left(struct line *l, const char *s, size_t width)
{
	size_t n = strlen(s);

	put_mem(l, s, n);
	if (n < width)
		put_spaces(l, width - n);
}

/* "%*s" */
void put_right(struct line *l, const char *s, size_t width)
{
	size_t n = strlen(s);

	if (n < width)
		put_spaces(l, width - n);
	put_mem(l, s, n);
}

/* "%llu"; most are a ttl, an id or a length: two digits or fewer */
void put_u64(struct line *l, uint64_t v)
{
	int n;

	if (v < 100) {
		if (!room(l, 2))
			return;
		if (v < 10) {
			l->buf[l->len++] = '0' + v;
		} else {
			memcpy(l->buf + l->len, two_digits + v * 2, 2);
			l->len += 2;
		}
		return;
	}
	n = ndigits(v);

	if (!room(l, n))
		return;
	digits_at(l->buf + l->len + n, v, n);
	l->len += n;
}

/* "%*d" */
void put_int_right(struct line *l, int v, size_t width)
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

/* Six digits of @v (below 10^6) at @p, two at a time */
static inline void six_digits(char *p, uint32_t v)
{
	memcpy(p, two_digits + v / 10000 * 2, 2);
	memcpy(p + 2, two_digits + v / 100 % 100 * 2, 2);
	memcpy(p + 4, two_digits + v % 100 * 2, 2);
}

/* Milliseconds of @ns: "%llu.%06llu" */
void put_ms(struct line *l, uint64_t ns)
{
	uint64_t whole = ns / NSEC_PER_MSEC;
	int nw = ndigits(whole);
	char *p;

	if (!room(l, nw + 1 + MSEC_DECIMALS))
		return;
	p = l->buf + l->len;
	digits_at(p + nw, whole, nw);
	p[nw] = '.';
	six_digits(p + nw + 1, ns % NSEC_PER_MSEC);
	l->len += nw + 1 + MSEC_DECIMALS;
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

/*
 * The text of @addr into @buf (ADDR_STR_LEN bytes), no NUL; returns its
 * length.  Every writer's addresses come from here: a dotted quad, or
 * IPv6 as inet_ntop() writes it (RFC 5952, as the event's %pI6c).
 */
int pt_addr_chars(char *buf, const struct pt_addr *addr)
{
	const unsigned char *b = (const unsigned char *)&addr->v4;
	char *p = buf;
	int i;

	if (addr->family == AF_INET6) {
		if (!inet_ntop(AF_INET6, addr->v6, buf, ADDR_STR_LEN))
			return 0;
		return strlen(buf);
	}
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
void put_ip(struct pt_output *o, struct line *l, const struct pt_addr *addr,
	    size_t width, int left)
{
	struct pt_text_cache *c = pt_text_cache(o);
	int i = c->ip_valid[0] && pt_addr_eq(&c->ip[0], addr) ? 0 :
		c->ip_valid[1] && pt_addr_eq(&c->ip[1], addr) ? 1 : -1;
	size_t n;

	if (i < 0) {
		i = c->ip_next;
		c->ip_next ^= 1;
		c->ip[i] = *addr;
		c->ip_len[i] = pt_addr_chars(c->ip_str[i], addr);
		c->ip_valid[i] = 1;
	}
	n = c->ip_len[i];
	if (!left && n < width)
		put_spaces(l, width - n);
	put_kept(l, c->ip_str[i], n, sizeof(c->ip_str[i]));
	if (left && n < width)
		put_spaces(l, width - n);
}

/* "%u" of a netns inode: one per namespace, the last one kept */
void put_netns(struct pt_output *o, struct line *l, uint32_t netns)
{
	struct pt_text_cache *c = pt_text_cache(o);

	if (!c->netns_valid || c->netns != netns) {
		c->netns_len = ndigits(netns);
		digits_at(c->netns_str + c->netns_len, netns, c->netns_len);
		c->netns = netns;
		c->netns_valid = 1;
	}
	put_kept(l, c->netns_str, c->netns_len, sizeof(c->netns_str));
}

/*
 * "%*d %-*s" of an event's pid and comm (struct pt_event's array, which
 * the decoder fills to its end): the last pair's text is kept, found
 * again by the pid and the whole array, with no strlen().  A flood is
 * one task's events, or two tasks' in turn.
 */
void put_task(struct pt_output *o, struct line *l, int pid,
	      const char comm[PT_COMM_LEN + 1], size_t pid_width,
	      size_t comm_width)
{
	struct pt_text_cache *c = pt_text_cache(o);
	struct text_task *task;
	struct line t;
	int i;

	for (i = 0; i < TEXT_TASKS; i++) {
		task = &c->task[i];
		if (task->valid && task->pid == pid &&
		    !memcmp(task->comm, comm, sizeof(task->comm))) {
			put_kept(l, task->str, task->len, sizeof(task->str));
			return;
		}
	}
	line_init(&t);
	put_int_right(&t, pid, pid_width);
	put_lit(&t, " ");
	put_left(&t, comm, comm_width);
	put_mem(l, t.buf, t.len);
	if (t.len > TASK_STR_LEN)
		return;
	task = &c->task[c->task_next];
	c->task_next = (c->task_next + 1) % TEXT_TASKS;
	memcpy(task->str, t.buf, t.len);
	task->len = t.len;
	memcpy(task->comm, comm, sizeof(task->comm));
	task->pid = pid;
	task->valid = 1;
}

/* ".%09llu" of the ns in the second */
static void put_sec_fraction(struct line *l, unsigned long long ns)
{
	if (!room(l, 1 + SEC_DECIMALS))
		return;
	l->buf[l->len] = '.';
	l->len += 1 + SEC_DECIMALS;
	digits_at(l->buf + l->len, ns % NSEC_PER_SEC, SEC_DECIMALS);
}

/*
 * "%*s" of "%llu.%09llu": the text of the whole seconds is kept, since
 * thousands of events share each
 */
static void put_seconds(struct pt_output *o, struct line *l,
			unsigned long long ns, size_t width)
{
	struct pt_text_cache *c = pt_text_cache(o);
	uint64_t whole = ns / NSEC_PER_SEC;
	size_t n;

	if (!c->sec_valid || c->sec != whole) {
		c->sec_len = ndigits(whole);
		digits_at(c->sec_str + c->sec_len, whole, c->sec_len);
		c->sec = whole;
		c->sec_valid = 1;
	}
	n = c->sec_len + 1 + SEC_DECIMALS;
	if (n < width)
		put_spaces(l, width - n);
	put_kept(l, c->sec_str, c->sec_len, sizeof(c->sec_str));
	put_sec_fraction(l, ns);
}

/* "%02d:%02d:%02d" of @tm into the cache (tm_sec may be 60) */
static void cache_hms(struct pt_text_cache *c, const struct tm *tm,
		      long long sec)
{
	digits_at(c->hms + 2, tm->tm_hour, 2);
	c->hms[2] = ':';
	digits_at(c->hms + 5, tm->tm_min, 2);
	c->hms[5] = ':';
	digits_at(c->hms + 8, tm->tm_sec, 2);
	c->hms_sec = sec;
	c->hms_valid = 1;
}

/*
 * "%*s" of the time: wall clock as HH:MM:SS.nnnnnnnnn (as wide as the
 * column), else seconds of the trace clock.  localtime_r() runs once per
 * second of trace.
 */
static void time_text(struct pt_output *o, struct line *l,
		      unsigned long long ns, size_t width)
{
	struct pt_text_cache *c = pt_text_cache(o);
	time_t sec = ns / NSEC_PER_SEC;
	struct tm tm;

	if (!o->wall) {
		put_seconds(o, l, ns, width);
		return;
	}
	if (!c->hms_valid || c->hms_sec != (long long)sec) {
		if (!localtime_r(&sec, &tm)) {
			put_seconds(o, l, ns, width);
			return;
		}
		cache_hms(c, &tm, sec);
	}
	put_mem(l, c->hms, HMS_LEN);
	put_sec_fraction(l, ns);
}

/*
 * time_text(), whose text but for its last six digits (the ns in the
 * ms) is that of every time in the same ms: a flood has dozens of
 * events in each.  That text is kept; each time writes its six digits.
 */
void put_time(struct pt_output *o, struct line *l, uint64_t ts, size_t width)
{
	struct pt_text_cache *c = pt_text_cache(o);
	unsigned long long ns = pt_disp_ns(o, ts);
	uint64_t ms = ns / NSEC_PER_MSEC;
	uint32_t frac = ns % NSEC_PER_MSEC;
	struct line t;

	if (!c->ms_valid || c->ms_key != ms || c->ms_width != width ||
	    c->ms_wall != o->wall) {
		line_init(&t);
		time_text(o, &t, ns, width);
		put_mem(l, t.buf, t.len);
		c->ms_valid = 0;
		if (t.len < MSEC_DECIMALS ||
		    t.len - MSEC_DECIMALS > sizeof(c->ms_str))
			return;
		c->ms_len = t.len - MSEC_DECIMALS;
		memcpy(c->ms_str, t.buf, c->ms_len);
		c->ms_key = ms;
		c->ms_width = width;
		c->ms_wall = o->wall;
		c->ms_valid = 1;
		return;
	}
	if (!room(l, c->ms_len + MSEC_DECIMALS))
		return;
	put_kept(l, c->ms_str, c->ms_len, sizeof(c->ms_str));
	six_digits(l->buf + l->len, frac);
	l->len += MSEC_DECIMALS;
}
