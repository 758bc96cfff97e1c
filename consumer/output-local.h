/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The insides of the output module: the line formatter (output-line.c)
 * and the writers of each format behind struct pt_writer.
 */
#ifndef PT_OUTPUT_LOCAL_H
#define PT_OUTPUT_LOCAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "output.h"

#define NSEC_PER_SEC		1000000000ULL
#define NSEC_PER_MSEC		1000000ULL
/* Digits after the point: of ns in a second, of ns in a millisecond */
#define SEC_DECIMALS		9
#define MSEC_DECIMALS		6
/* Longest address text and its NUL: INET6_ADDRSTRLEN */
#define ADDR_STR_LEN		46
/* ping's words for an ICMP error (pt_echo_error_text()) */
#define PT_ERROR_TEXT_LEN	80

/* One format: what an event, a decided echo and the summary look like */
struct pt_writer {
	void	(*event)(struct pt_output *o, const struct pt_event *ev,
			 const struct pt_echo *closed);
	void	(*echo)(struct pt_output *o, const struct pt_echo *e);
	void	(*summary)(struct pt_output *o, const struct pt_stats *st);
	void	(*drop)(struct pt_output *o, const struct pt_drop *d,
			const struct pt_packet *pkt, int attached);
};

extern const struct pt_writer pt_text_writer;
/* output-stages.c: what JSON and CSV echo records add with --stages */
void pt_stages_json(struct pt_output *o, const struct pt_stage_result *res);
void pt_stages_csv(struct pt_output *o, const struct pt_stage_result *res);
void pt_stages_csv_header(struct pt_output *o);
extern const struct pt_writer pt_json_writer;
extern const struct pt_writer pt_csv_writer;

/* output.c: the stream, shared by every writer */
__attribute__((format(printf, 2, 3)))
void pt_out(struct pt_output *o, const char *fmt, ...);
const char *pt_addr_str(const struct pt_addr *addr, char buf[ADDR_STR_LEN]);

static inline unsigned long long pt_disp_ns(const struct pt_output *o,
					    uint64_t ts)
{
	return (unsigned long long)(ts + o->offset);
}

static inline const char *pt_dir_name(const struct pt_event *ev)
{
	return ev->dir == PT_DIR_SEND ? "SND" : "RCV";
}

/*
 * The line formatter.  A text line is built in place and written with
 * one fwrite(): printf() cost more than decoding and pairing together
 * (make bench).  Numbers are written straight into the line, two digits
 * at a time.  What each function writes is what the printf() format in
 * its comment would.
 */
#define LINE_MAX_BYTES		512	/* a line is at most about 300 */

/*
 * @buf is @own, or the output's block itself (line_init_out()): an event
 * line built where it is written costs no copy (the copy of each line
 * into the block was a twentieth of a timeline, cachegrind)
 */
struct line {
	size_t	len;
	char	*buf;
	char	own[LINE_MAX_BYTES];
};

static inline void line_init(struct line *l)
{
	l->len = 0;
	l->buf = l->own;
}

/* A line of @o's, built in o->block when lines are gathered */
void line_init_out(struct pt_output *o, struct line *l);

/* "%6d %-15s" of a pid (at most 11 characters) and a comm */
#define TASK_STR_LEN		(11 + 1 + PT_COMM_LEN)

/*
 * The text of an event line's two stretches that a flood repeats (see
 * output-text.c): from the kind to "seq=", from " ttl=" to the netns
 */
#define TEXT_SEG_LEN		64
/* A time's text less its last 6 digits: "%*llu.%03llu" or "HH:MM:SS.mmm" */
#define TIME_PREFIX_LEN		32
#define TEXT_SEGS		4

struct text_seg_addr {
	const char	*kind;
	struct pt_addr	src;
	struct pt_addr	dst;
	uint16_t	id;
	unsigned char	valid;
	unsigned char	len;
	char		text[TEXT_SEG_LEN];
};

struct text_seg_tail {
	uint32_t	netns;
	uint32_t	tot_len;
	uint8_t		ttl;
	unsigned char	valid;
	unsigned char	len;
	char		dev[PT_DEV_LEN + 1];
	char		text[TEXT_SEG_LEN];
};

#define TEXT_TASKS		2

struct text_task {
	int		valid;
	int		pid;
	unsigned char	len;
	char		comm[PT_COMM_LEN + 1];
	char		str[TASK_STR_LEN];
};

/* Text of values that repeat from line to line, in pt_output's priv */
struct pt_text_cache {
	struct pt_addr	ip[2];
	char		ip_str[2][ADDR_STR_LEN];
	unsigned char	ip_len[2];
	unsigned char	ip_valid[2];
	unsigned char	ip_next;
	unsigned char	netns_valid;
	unsigned char	netns_len;
	unsigned char	sec_valid;
	unsigned char	sec_len;
	uint32_t	netns;
	char		netns_str[12];
	uint64_t	sec;
	char		sec_str[24];
	/* wall clock: HH:MM:SS of hms_sec */
	int		hms_valid;
	long long	hms_sec;
	char		hms[8];
	/*
	 * "%6d %-15s" of the last two tasks: a flood's lines are the
	 * pinger's and the softirq's in turn (one of them missed half)
	 */
	struct text_task	task[TEXT_TASKS];
	unsigned char		task_next;
	/* put_time()'s text but for its last 6 digits, of the ms ms_key */
	int		ms_valid;
	int		ms_wall;
	uint64_t	ms_key;
	size_t		ms_width;
	unsigned char	ms_len;
	char		ms_str[TIME_PREFIX_LEN];
	struct text_seg_addr	seg_addr[TEXT_SEGS];
	struct text_seg_tail	seg_tail[TEXT_SEGS];
	unsigned char	seg_addr_next;
	unsigned char	seg_tail_next;
};

_Static_assert(sizeof(struct pt_text_cache) <= PT_OUTPUT_PRIV_SIZE,
	       "struct pt_text_cache does not fit in pt_output.priv");

static inline struct pt_text_cache *pt_text_cache(struct pt_output *o)
{
	return (struct pt_text_cache *)o->priv.bytes;
}

/* Room for @n more bytes; only a guard, see struct line */
static inline int room(const struct line *l, size_t n)
{
	return n <= LINE_MAX_BYTES - l->len;
}

static inline void put_mem(struct line *l, const char *s, size_t n)
{
	if (!room(l, n))
		return;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/*
 * @size bytes, 16 to 64, in moves of 16, the last one overlapping.  GCC
 * makes a memcpy() of a fixed size between these buffers "rep movs", and
 * a loop of moves of 16 too (it sees a memcpy() in it); written out, a
 * move of a 16-byte vector (unaligned, allowed to alias) is one load and
 * one store.  Where this is inlined, @size is a constant: the ifs go.
 */
typedef char pt_bytes16 __attribute__((vector_size(16), may_alias,
					aligned(1)));

static inline void move16(char *dst, const char *src)
{
	*(pt_bytes16 *)dst = *(const pt_bytes16 *)src;
}

static inline void copy16(char *dst, const char *src, size_t size)
{
	move16(dst, src);
	if (size > 32)
		move16(dst + 16, src + 16);
	if (size > 48)
		move16(dst + 32, src + 32);
	move16(dst + size - 16, src + size - 16);
}

/*
 * Kept text: @n bytes of @s, whose array holds @size.  All @size are
 * copied (copy16()), and @n of them kept: a copy of a length
 * known only at run time was "rep movsb", and one of the array's size
 * "rep movsl", both slow to start on AMD (perf).
 */
static inline void put_kept(struct line *l, const char *s, size_t n,
			    size_t size)
{
	if (size >= 16 && size <= 64 && n <= size && room(l, size)) {
		copy16(l->buf + l->len, s, size);
		l->len += n;
		return;
	}
	put_mem(l, s, n);
}

static inline void put_str(struct line *l, const char *s)
{
	put_mem(l, s, strlen(s));
}

/* a string literal: its length is known */
#define put_lit(l, s)	put_mem(l, s, sizeof(s) - 1)

/*
 * Padding is short (a column's width less its text): a fixed 32 bytes
 * are copied, which the compiler inlines, and n of them kept
 */
#define SPACES_FIXED	32

static inline void put_spaces(struct line *l, size_t n)
{
	static const char spaces[SPACES_FIXED + 1] =
		"                                ";

	if (n <= SPACES_FIXED && room(l, SPACES_FIXED)) {
		memcpy(l->buf + l->len, spaces, SPACES_FIXED);
		l->len += n;
		return;
	}
	if (!room(l, n))
		return;
	memset(l->buf + l->len, ' ', n);
	l->len += n;
}

void put_left(struct line *l, const char *s, size_t width);
void put_right(struct line *l, const char *s, size_t width);
void put_u64(struct line *l, uint64_t v);
void put_int_right(struct line *l, int v, size_t width);
void put_ms(struct line *l, uint64_t ns);
void put_ip(struct pt_output *o, struct line *l, const struct pt_addr *addr,
	    size_t width, int left);
void put_netns(struct pt_output *o, struct line *l, uint32_t netns);
void put_task(struct pt_output *o, struct line *l, int pid,
	      const char comm[PT_COMM_LEN + 1], size_t pid_width,
	      size_t comm_width);
void put_time(struct pt_output *o, struct line *l, uint64_t ts,
	      size_t width);
void put_line(struct pt_output *o, const struct line *l);
int pt_addr_chars(char *buf, const struct pt_addr *addr);

#endif /* PT_OUTPUT_LOCAL_H */
