// SPDX-License-Identifier: GPL-2.0
/*
 * Output: the stream and the dispatch to the writer of the format
 * (output-text.c, output-json.c, output-csv.c).  Nothing here exits: the
 * first write error is kept in o->err and returned by every later call.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "output-local.h"

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

static const struct pt_writer *writer_of(enum pt_format format)
{
	switch (format) {
	case PT_FMT_JSON:
		return &pt_json_writer;
	case PT_FMT_CSV:
		return &pt_csv_writer;
	default:
		return &pt_text_writer;
	}
}

void pt_output_init(struct pt_output *o, FILE *fp, enum pt_format format)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->format = format;
	o->writer = writer_of(format);
}

static void check_stream(struct pt_output *o)
{
	if (!o->err && ferror(o->fp))
		o->err = errno ? -errno : -EIO;
}

/* The lines gathered, written; 0 or the error kept in o->err */
static int write_block(struct pt_output *o)
{
	size_t len = o->block_len;

	o->block_len = 0;
	if (o->err || !len)
		return o->err;
	errno = 0;
	if (fwrite_unlocked(o->block, 1, len, o->fp) != len)
		o->err = errno ? -errno : -EIO;
	if (!o->err && ferror_unlocked(o->fp))
		o->err = errno ? -errno : -EIO;
	return o->err;
}

void pt_out(struct pt_output *o, const char *fmt, ...)
{
	va_list ap;

	if (write_block(o))
		return;
	errno = 0;
	va_start(ap, fmt);
	if (vfprintf(o->fp, fmt, ap) < 0)
		o->err = errno ? -errno : -EIO;
	va_end(ap);
	check_stream(o);
}

/*
 * Gathering, a line is built at the end of o->block, with room for the
 * longest; nothing may be written to @o until put_line() takes it
 */
void line_init_out(struct pt_output *o, struct line *l)
{
	line_init(l);
	if (!o->gather || o->err)
		return;
	if (o->block_len + LINE_MAX_BYTES > sizeof(o->block) && write_block(o))
		return;
	l->buf = o->block + o->block_len;
}

/*
 * A line per event: gathered (o->gather), or written at once.  The
 * stream is this process's alone (no thread writes it), so without
 * stdio's lock: fwrite() and its lock were a sixth of a line's cost.
 */
void put_line(struct pt_output *o, const struct line *l)
{
	if (o->err)
		return;
	if (l->buf == o->block + o->block_len) {	/* line_init_out()'s */
		o->block_len += l->len;
		return;
	}
	if (o->gather) {
		if (o->block_len + l->len > sizeof(o->block) && write_block(o))
			return;
		memcpy(o->block + o->block_len, l->buf, l->len);
		o->block_len += l->len;
		return;
	}
	errno = 0;
	if (fwrite_unlocked(l->buf, 1, l->len, o->fp) != l->len)
		o->err = errno ? -errno : -EIO;
	if (!o->err && ferror_unlocked(o->fp))
		o->err = errno ? -errno : -EIO;
}

int pt_output_flush(struct pt_output *o)
{
	if (write_block(o))
		return o->err;
	errno = 0;
	if (fflush(o->fp))
		o->err = errno ? -errno : -EIO;
	check_stream(o);
	return o->err;
}

/* The text of @addr, NUL-terminated */
const char *pt_addr_str(const struct pt_addr *addr, char buf[ADDR_STR_LEN])
{
	buf[pt_addr_chars(buf, addr)] = '\0';
	return buf;
}

/* A name for what the event carries; "icmp" for types without a name */
const char *pt_icmp_kind(const struct pt_event *ev)
{
	const char *name;

	if (!ev->has_icmp)
		return pt_event_is_fragment(ev) ? "fragment" : "truncated";
	name = pt_icmp_name(ev->saddr.family, ev->icmp_type);
	return name ? name : pt_event_is_v6(ev) ? "icmpv6" : "icmp";
}

/* @closed: the echo this event completed (a reply), or NULL */
int pt_output_event(struct pt_output *o, const struct pt_event *ev,
		    const struct pt_echo *closed)
{
	/* the stage view and --slow are of echoes, not events */
	if (!o->quiet && !(o->format == PT_FMT_TEXT &&
			   (o->stage_view || o->slow_ns)))
		o->writer->event(o, ev, closed);
	return o->err;
}

int pt_output_echo(struct pt_output *o, const struct pt_echo *echo)
{
	if (!o->quiet && pt_output_is_slow(o, echo))
		o->writer->echo(o, echo);
	return o->err;
}

/* @pkt NULL: the packet was never seen by net:ip_icmp */
int pt_output_drop(struct pt_output *o, const struct pt_drop *d,
		   const struct pt_packet *pkt, int attached)
{
	if (!o->quiet)
		o->writer->drop(o, d, pkt, attached);
	return o->err;
}

int pt_output_summary(struct pt_output *o, const struct pt_stats *st)
{
	o->writer->summary(o, st);
	return pt_output_flush(o);
}
