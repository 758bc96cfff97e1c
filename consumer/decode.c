// SPDX-License-Identifier: GPL-2.0
/*
 * Decode net:ip_icmp and net:ip6_icmp records into struct pt_event.
 *
 * Field offsets and sizes come from the event's format (trace file or
 * tracefs), never from the layout we expect: another kernel may lay the
 * fields out differently.  Every record is checked against the largest
 * field end before anything is read.
 *
 * Fields that later versions of the event add are optional: a format
 * without them still reads, and what can be derived is (has_icmp).  The
 * optional fields are only added to, never renamed: that is the ABI.
 */
#include <limits.h>
#include <string.h>

#include "decode.h"
#include "rd.h"

struct field_spec {
	const char	*name;
	int		min_size;
	int		max_size;
	int		bytes;		/* copied, not read as a number */
	int		optional;	/* a format may lack it */
};

#define NUM(name, min, max)	{ name, min, max, 0, 0 }
#define BYTES(name, size)	{ name, size, size, 1, 0 }
#define OPT_NUM(name, size)	{ name, size, size, 0, 1 }
#define OPT_BYTES(name, size)	{ name, size, size, 1, 1 }

_Static_assert(sizeof(((struct pt_event *)0)->dev) == PT_DEV_LEN + 1,
	       "copy_dev() fills the event's dev");

static const struct field_spec specs[PT_F_MAX] = {
	[PT_F_COMMON_TYPE]	= NUM("common_type", 2, 2),
	[PT_F_COMMON_PID]	= NUM("common_pid", 4, 4),
	[PT_F_SKBADDR]		= NUM("skbaddr", 4, 8),
	[PT_F_NETNS]		= NUM("netns", 4, 4),
	[PT_F_IFINDEX]		= NUM("ifindex", 4, 4),
	[PT_F_DEV]		= BYTES("dev", PT_DEV_LEN),
	[PT_F_SADDR]		= BYTES("saddr", 4),
	[PT_F_DADDR]		= BYTES("daddr", 4),
	[PT_F_TOT_LEN]		= NUM("tot_len", 2, 2),
	[PT_F_IP_ID]		= NUM("ip_id", 2, 2),
	[PT_F_FRAG_OFF]		= NUM("frag_off", 2, 2),
	[PT_F_ICMP_ID]		= NUM("icmp_id", 2, 2),
	[PT_F_ICMP_SEQ]		= NUM("icmp_seq", 2, 2),
	[PT_F_DIR]		= NUM("dir", 1, 1),
	[PT_F_PROTOCOL]		= NUM("protocol", 1, 1),
	[PT_F_TTL]		= NUM("ttl", 1, 1),
	[PT_F_ICMP_TYPE]	= NUM("icmp_type", 1, 1),
	[PT_F_ICMP_CODE]	= NUM("icmp_code", 1, 1),
	[PT_F_HAS_ICMP]		= OPT_NUM("has_icmp", 1),
	[PT_F_HAS_ORIG]		= OPT_NUM("has_orig", 1),
	[PT_F_ORIG_SADDR]	= OPT_BYTES("orig_saddr", 4),
	[PT_F_ORIG_DADDR]	= OPT_BYTES("orig_daddr", 4),
	[PT_F_ORIG_PROTOCOL]	= OPT_NUM("orig_protocol", 1),
	[PT_F_ORIG_ICMP_ID]	= OPT_NUM("orig_icmp_id", 2),
	[PT_F_ORIG_ICMP_SEQ]	= OPT_NUM("orig_icmp_seq", 2),
	[PT_F_MTU]		= OPT_NUM("mtu", 2),
};

/* patches/0004: net:ip6_icmp came with all of these at once */
static const struct field_spec specs6[PT_F6_MAX] = {
	[PT_F6_COMMON_TYPE]	= NUM("common_type", 2, 2),
	[PT_F6_COMMON_PID]	= NUM("common_pid", 4, 4),
	[PT_F6_SKBADDR]		= NUM("skbaddr", 4, 8),
	[PT_F6_NETNS]		= NUM("netns", 4, 4),
	[PT_F6_IFINDEX]		= NUM("ifindex", 4, 4),
	[PT_F6_DEV]		= BYTES("dev", PT_DEV_LEN),
	[PT_F6_SADDR]		= BYTES("saddr", 16),
	[PT_F6_DADDR]		= BYTES("daddr", 16),
	[PT_F6_FLOW_LABEL]	= NUM("flow_label", 4, 4),
	[PT_F6_FRAG_ID]		= NUM("frag_id", 4, 4),
	[PT_F6_MTU]		= NUM("mtu", 4, 4),
	[PT_F6_PAYLOAD_LEN]	= NUM("payload_len", 2, 2),
	[PT_F6_FRAG_OFF]	= NUM("frag_off", 2, 2),
	[PT_F6_ICMP_ID]		= NUM("icmp_id", 2, 2),
	[PT_F6_ICMP_SEQ]	= NUM("icmp_seq", 2, 2),
	[PT_F6_DIR]		= NUM("dir", 1, 1),
	[PT_F6_NEXTHDR]		= NUM("nexthdr", 1, 1),
	[PT_F6_PROTOCOL]	= NUM("protocol", 1, 1),
	[PT_F6_HOP_LIMIT]	= NUM("hop_limit", 1, 1),
	[PT_F6_HAS_FRAG]	= NUM("has_frag", 1, 1),
	[PT_F6_ICMP_TYPE]	= NUM("icmp_type", 1, 1),
	[PT_F6_ICMP_CODE]	= NUM("icmp_code", 1, 1),
	[PT_F6_HAS_ICMP]	= NUM("has_icmp", 1, 1),
	[PT_F6_ORIG_SADDR]	= BYTES("orig_saddr", 16),
	[PT_F6_ORIG_DADDR]	= BYTES("orig_daddr", 16),
	[PT_F6_ORIG_ICMP_ID]	= NUM("orig_icmp_id", 2, 2),
	[PT_F6_ORIG_ICMP_SEQ]	= NUM("orig_icmp_seq", 2, 2),
	[PT_F6_HAS_ORIG]	= NUM("has_orig", 1, 1),
	[PT_F6_ORIG_PROTOCOL]	= NUM("orig_protocol", 1, 1),
};

#undef NUM
#undef BYTES
#undef OPT_NUM
#undef OPT_BYTES

static enum pt_format_status lookup_field(struct pt_decoder *dec,
					  const struct field_spec *spec, int id)
{
	struct tep_format_field *f;

	f = tep_find_any_field(dec->event, spec->name);
	if (!f && spec->optional)
		return PT_FORMAT_OK;	/* field[id].size stays 0 */
	if (!f || (f->flags & TEP_FIELD_IS_DYNAMIC)) {
		dec->bad_field = spec->name;
		return PT_FORMAT_NO_FIELD;
	}
	/* a number is 1, 2, 4 or 8 bytes: see num() */
	if (f->size < spec->min_size || f->size > spec->max_size ||
	    (!spec->bytes && (f->size & (f->size - 1))) ||
	    f->offset < 0 || f->offset > INT_MAX - f->size) {
		dec->bad_field = spec->name;
		return PT_FORMAT_BAD_FIELD;
	}
	dec->field[id].offset = f->offset;
	dec->field[id].size = f->size;
	if (f->offset + f->size > dec->min_size)
		dec->min_size = f->offset + f->size;
	return PT_FORMAT_OK;
}

static enum pt_format_status init(struct pt_decoder *dec,
				  struct tep_handle *tep, int family,
				  const char *name,
				  const struct field_spec *table, int nr)
{
	int i;

	memset(dec, 0, sizeof(*dec));
	dec->tep = tep;
	dec->family = family;
	dec->swap = tep_is_file_bigendian(tep) != tep_is_local_bigendian(tep);
	dec->event = tep_find_event_by_name(tep, PT_EVENT_SYSTEM, name);
	if (!dec->event) {
		dec->status = PT_FORMAT_NO_EVENT;
		return dec->status;
	}
	dec->event_id = dec->event->id;

	for (i = 0; i < nr && !dec->status; i++)
		dec->status = lookup_field(dec, &table[i], i);
	return dec->status;
}

/*
 * The layouts of the series (patches/0001, 0004) on a 64-bit kernel, as
 * their formats give them.  A decoder whose format has exactly one of
 * these, in our byte order, reads through the constant table: the same
 * code as for any other layout, inlined with every offset, size and
 * "has" known at build time (decode4() and decode6() below).  Any other
 * layout, or the other byte order, reads through dec->field.
 */
static const struct pt_field fixed4[PT_F_MAX] = {
	[PT_F_COMMON_TYPE]	= { 0, 2 },
	[PT_F_COMMON_PID]	= { 4, 4 },
	[PT_F_SKBADDR]		= { 8, 8 },
	[PT_F_NETNS]		= { 16, 4 },
	[PT_F_IFINDEX]		= { 20, 4 },
	[PT_F_DEV]		= { 24, PT_DEV_LEN },
	[PT_F_SADDR]		= { 40, 4 },
	[PT_F_DADDR]		= { 44, 4 },
	[PT_F_TOT_LEN]		= { 48, 2 },
	[PT_F_IP_ID]		= { 50, 2 },
	[PT_F_FRAG_OFF]		= { 52, 2 },
	[PT_F_ICMP_ID]		= { 54, 2 },
	[PT_F_ICMP_SEQ]		= { 56, 2 },
	[PT_F_DIR]		= { 58, 1 },
	[PT_F_PROTOCOL]		= { 59, 1 },
	[PT_F_TTL]		= { 60, 1 },
	[PT_F_ICMP_TYPE]	= { 61, 1 },
	[PT_F_ICMP_CODE]	= { 62, 1 },
	[PT_F_HAS_ICMP]		= { 63, 1 },
	[PT_F_HAS_ORIG]		= { 76, 1 },
	[PT_F_ORIG_SADDR]	= { 64, 4 },
	[PT_F_ORIG_DADDR]	= { 68, 4 },
	[PT_F_ORIG_PROTOCOL]	= { 77, 1 },
	[PT_F_ORIG_ICMP_ID]	= { 72, 2 },
	[PT_F_ORIG_ICMP_SEQ]	= { 74, 2 },
	[PT_F_MTU]		= { 78, 2 },
};

static const struct pt_field fixed6[PT_F6_MAX] = {
	[PT_F6_COMMON_TYPE]	= { 0, 2 },
	[PT_F6_COMMON_PID]	= { 4, 4 },
	[PT_F6_SKBADDR]		= { 8, 8 },
	[PT_F6_NETNS]		= { 16, 4 },
	[PT_F6_IFINDEX]		= { 20, 4 },
	[PT_F6_DEV]		= { 24, PT_DEV_LEN },
	[PT_F6_SADDR]		= { 40, 16 },
	[PT_F6_DADDR]		= { 56, 16 },
	[PT_F6_FLOW_LABEL]	= { 104, 4 },
	[PT_F6_FRAG_ID]		= { 108, 4 },
	[PT_F6_MTU]		= { 112, 4 },
	[PT_F6_PAYLOAD_LEN]	= { 116, 2 },
	[PT_F6_FRAG_OFF]	= { 118, 2 },
	[PT_F6_ICMP_ID]		= { 120, 2 },
	[PT_F6_ICMP_SEQ]	= { 122, 2 },
	[PT_F6_DIR]		= { 124, 1 },
	[PT_F6_NEXTHDR]		= { 125, 1 },
	[PT_F6_PROTOCOL]	= { 126, 1 },
	[PT_F6_HOP_LIMIT]	= { 127, 1 },
	[PT_F6_HAS_FRAG]	= { 128, 1 },
	[PT_F6_ICMP_TYPE]	= { 129, 1 },
	[PT_F6_ICMP_CODE]	= { 130, 1 },
	[PT_F6_HAS_ICMP]	= { 131, 1 },
	[PT_F6_ORIG_SADDR]	= { 132, 16 },
	[PT_F6_ORIG_DADDR]	= { 148, 16 },
	[PT_F6_ORIG_ICMP_ID]	= { 184, 2 },
	[PT_F6_ORIG_ICMP_SEQ]	= { 186, 2 },
	[PT_F6_HAS_ORIG]	= { 188, 1 },
	[PT_F6_ORIG_PROTOCOL]	= { 189, 1 },
};

/* Also kept in dec->status; dec->bad_field names the field at fault */
enum pt_format_status pt_decoder_init(struct pt_decoder *dec,
				      struct tep_handle *tep)
{
	init(dec, tep, AF_INET, PT_EVENT_NAME, specs, PT_F_MAX);
	dec->fixed = !dec->status && !dec->swap &&
		     !memcmp(dec->field, fixed4, sizeof(fixed4));
	return dec->status;
}

/* The same for net:ip6_icmp */
enum pt_format_status pt_decoder6_init(struct pt_decoder *dec,
				       struct tep_handle *tep)
{
	init(dec, tep, AF_INET6, PT_EVENT6_NAME, specs6, PT_F6_MAX);
	dec->fixed = !dec->status && !dec->swap &&
		     !memcmp(dec->field, fixed6, sizeof(fixed6));
	return dec->status;
}

#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif

/*
 * The readers take the field table @f and the byte order @swap as
 * arguments, so that decode4() and decode6() called with fixed4 or
 * fixed6 and 0 fold them away.  Fields are 1, 2, 4 or 8 bytes
 * (lookup_field() allows no other size for a number).  num() is for a
 * field of more than one size (skbaddr); rd8() and the others read
 * those whose size the spec fixes (min_size == max_size), so they need
 * no switch.
 */
static __always_inline unsigned long long
num(const struct pt_field *f, int swap, const unsigned char *data, int id)
{
	const unsigned char *p = data + f[id].offset;

	switch (f[id].size) {
	case 1:
		return *p;
	case 2:
		return pt_rd16(p, swap);
	case 4:
		return pt_rd32(p, swap);
	default:
		return pt_rd64(p, swap);
	}
}

static __always_inline uint8_t rd8(const struct pt_field *f,
				   const unsigned char *data, int id)
{
	return data[f[id].offset];
}

static __always_inline uint16_t rd16(const struct pt_field *f, int swap,
				     const unsigned char *data, int id)
{
	return pt_rd16(data + f[id].offset, swap);
}

static __always_inline uint32_t rd32(const struct pt_field *f, int swap,
				     const unsigned char *data, int id)
{
	return pt_rd32(data + f[id].offset, swap);
}

static __always_inline int has(const struct pt_field *f, int id)
{
	return f[id].size != 0;
}

/* An IPv4 address: BYTES(name, 4) */
static __always_inline void copy4(const struct pt_field *f,
				  const unsigned char *data, int id,
				  void *dst)
{
	memcpy(dst, data + f[id].offset, 4);
}

/* An IPv6 address: BYTES(name, 16) */
static __always_inline void copy16(const struct pt_field *f,
				   const unsigned char *data, int id,
				   void *dst)
{
	memcpy(dst, data + f[id].offset, 16);
}

/*
 * The device name: BYTES("dev", PT_DEV_LEN), so always PT_DEV_LEN bytes
 * (copied as they are, what follows a NUL too), and a NUL after them
 */
static __always_inline void copy_dev(const struct pt_field *f,
				     const unsigned char *data, int id,
				     char dst[PT_DEV_LEN + 1])
{
	memcpy(dst, data + f[id].offset, PT_DEV_LEN);
	dst[PT_DEV_LEN] = '\0';
}

/*
 * net:ip_icmp.  A format without has_icmp: the event read the ICMP
 * header of every first fragment (or whole packet), and a non-first
 * fragment has none.  The datagram an ICMP error quotes, and the mtu,
 * where the format has them.
 */
static __always_inline void decode4(const struct pt_field *f, int swap,
				    const unsigned char *data,
				    struct pt_event *ev)
{
	struct pt_orig *o = &ev->orig;

	ev->pid = (int)rd32(f, swap, data, PT_F_COMMON_PID);
	ev->skbaddr = num(f, swap, data, PT_F_SKBADDR);
	ev->netns = rd32(f, swap, data, PT_F_NETNS);
	ev->ifindex = (int32_t)rd32(f, swap, data, PT_F_IFINDEX);
	copy_dev(f, data, PT_F_DEV, ev->dev);
	ev->saddr.family = AF_INET;
	ev->daddr.family = AF_INET;
	copy4(f, data, PT_F_SADDR, &ev->saddr.v4);
	copy4(f, data, PT_F_DADDR, &ev->daddr.v4);
	ev->tot_len = rd16(f, swap, data, PT_F_TOT_LEN);
	ev->ip_id = rd16(f, swap, data, PT_F_IP_ID);
	ev->frag_off = rd16(f, swap, data, PT_F_FRAG_OFF);
	ev->icmp_id = rd16(f, swap, data, PT_F_ICMP_ID);
	ev->icmp_seq = rd16(f, swap, data, PT_F_ICMP_SEQ);
	ev->dir = rd8(f, data, PT_F_DIR);
	ev->protocol = rd8(f, data, PT_F_PROTOCOL);
	ev->ttl = rd8(f, data, PT_F_TTL);
	ev->icmp_type = rd8(f, data, PT_F_ICMP_TYPE);
	ev->icmp_code = rd8(f, data, PT_F_ICMP_CODE);
	if (has(f, PT_F_HAS_ICMP))
		ev->has_icmp = rd8(f, data, PT_F_HAS_ICMP);
	else
		ev->has_icmp = !(ev->frag_off & PT_IP_OFFMASK);
	ev->mtu_format = has(f, PT_F_MTU);
	if (ev->mtu_format)
		ev->mtu = rd16(f, swap, data, PT_F_MTU);

	ev->orig_format = has(f, PT_F_HAS_ORIG);
	if (!ev->orig_format || !rd8(f, data, PT_F_HAS_ORIG))
		return;
	ev->has_orig = 1;
	o->saddr.family = AF_INET;
	o->daddr.family = AF_INET;
	if (has(f, PT_F_ORIG_SADDR))
		copy4(f, data, PT_F_ORIG_SADDR, &o->saddr.v4);
	if (has(f, PT_F_ORIG_DADDR))
		copy4(f, data, PT_F_ORIG_DADDR, &o->daddr.v4);
	if (has(f, PT_F_ORIG_PROTOCOL))
		o->protocol = rd8(f, data, PT_F_ORIG_PROTOCOL);
	if (has(f, PT_F_ORIG_ICMP_ID))
		o->icmp_id = rd16(f, swap, data, PT_F_ORIG_ICMP_ID);
	if (has(f, PT_F_ORIG_ICMP_SEQ))
		o->icmp_seq = rd16(f, swap, data, PT_F_ORIG_ICMP_SEQ);
}

/*
 * net:ip6_icmp: ttl is the hop limit, tot_len the packet's length with
 * its fixed header (as IPv4's tot_len), ip_id the fragment header's id
 */
static __always_inline void decode6(const struct pt_field *f, int swap,
				    const unsigned char *data,
				    struct pt_event *ev)
{
	struct pt_orig *o = &ev->orig;

	ev->pid = (int)rd32(f, swap, data, PT_F6_COMMON_PID);
	ev->skbaddr = num(f, swap, data, PT_F6_SKBADDR);
	ev->netns = rd32(f, swap, data, PT_F6_NETNS);
	ev->ifindex = (int32_t)rd32(f, swap, data, PT_F6_IFINDEX);
	copy_dev(f, data, PT_F6_DEV, ev->dev);
	ev->saddr.family = AF_INET6;
	ev->daddr.family = AF_INET6;
	copy16(f, data, PT_F6_SADDR, ev->saddr.v6);
	copy16(f, data, PT_F6_DADDR, ev->daddr.v6);
	ev->flow_label = rd32(f, swap, data, PT_F6_FLOW_LABEL);
	ev->ip_id = rd32(f, swap, data, PT_F6_FRAG_ID);
	ev->mtu = rd32(f, swap, data, PT_F6_MTU);
	ev->mtu_format = 1;
	ev->tot_len = rd16(f, swap, data, PT_F6_PAYLOAD_LEN) + PT_IP6_HLEN;
	ev->frag_off = rd16(f, swap, data, PT_F6_FRAG_OFF);
	ev->icmp_id = rd16(f, swap, data, PT_F6_ICMP_ID);
	ev->icmp_seq = rd16(f, swap, data, PT_F6_ICMP_SEQ);
	ev->dir = rd8(f, data, PT_F6_DIR);
	ev->nexthdr = rd8(f, data, PT_F6_NEXTHDR);
	ev->protocol = rd8(f, data, PT_F6_PROTOCOL);
	ev->ttl = rd8(f, data, PT_F6_HOP_LIMIT);
	ev->has_frag = rd8(f, data, PT_F6_HAS_FRAG) != 0;
	ev->icmp_type = rd8(f, data, PT_F6_ICMP_TYPE);
	ev->icmp_code = rd8(f, data, PT_F6_ICMP_CODE);
	ev->has_icmp = rd8(f, data, PT_F6_HAS_ICMP) != 0;
	ev->orig_format = 1;
	o->saddr.family = AF_INET6;
	o->daddr.family = AF_INET6;
	if (!rd8(f, data, PT_F6_HAS_ORIG))
		return;
	ev->has_orig = 1;
	copy16(f, data, PT_F6_ORIG_SADDR, o->saddr.v6);
	copy16(f, data, PT_F6_ORIG_DADDR, o->daddr.v6);
	o->protocol = rd8(f, data, PT_F6_ORIG_PROTOCOL);
	o->icmp_id = rd16(f, swap, data, PT_F6_ORIG_ICMP_ID);
	o->icmp_seq = rd16(f, swap, data, PT_F6_ORIG_ICMP_SEQ);
}

/*
 * The comms of the last two pids are kept: a flood is one pid after
 * another, or two in turn (the pinger, and the softirq's on receive).
 * tep never changes the comm of a pid it knows (live mode registers a
 * pid before its first event is decoded).
 */
static void lookup_comm(struct pt_decoder *dec, struct pt_event *ev)
{
	struct pt_comm_cache *c;
	const char *comm;
	int i;

	for (i = 0; i < PT_COMM_CACHE; i++) {
		c = &dec->comms[i];
		if (c->valid && c->pid == ev->pid) {
			memcpy(ev->comm, c->comm, sizeof(ev->comm));
			return;
		}
	}
	c = &dec->comms[dec->comm_next];
	dec->comm_next = (dec->comm_next + 1) % PT_COMM_CACHE;
	comm = tep_data_comm_from_pid(dec->tep, ev->pid);
	if (!comm)
		comm = "<...>";
	strncpy(c->comm, comm, sizeof(c->comm) - 1);
	c->comm[sizeof(c->comm) - 1] = '\0';
	c->pid = ev->pid;
	c->valid = 1;
	memcpy(ev->comm, c->comm, sizeof(ev->comm));
}

static const struct pt_event zero_event;

/*
 * @record decoded into @ev when it is a well-formed event of the
 * decoder's (any record is another event's when its init failed)
 */
enum pt_decode_result pt_decode(struct pt_decoder *dec,
				const struct tep_record *record,
				struct pt_event *ev)
{
	const unsigned char *data = record->data;
	const struct pt_field *type = &dec->field[PT_F_COMMON_TYPE];

	if (dec->status != PT_FORMAT_OK || !dec->event)
		return PT_DECODE_OTHER_EVENT;
	if (!data || record->size < type->offset + type->size)
		return PT_DECODE_MALFORMED;
	if ((int)rd16(dec->field, dec->swap, data, PT_F_COMMON_TYPE) !=
	    dec->event_id)
		return PT_DECODE_OTHER_EVENT;
	if (record->size < dec->min_size)
		return PT_DECODE_MALFORMED;

	/*
	 * Copied from a zero event, not memset(): GCC makes a memset() of
	 * this size "rep stos", whose start-up on AMD was half of the
	 * decode (perf), and a copy sixteen-byte moves
	 */
	*ev = zero_event;
	ev->ts = record->ts;
	ev->cpu = record->cpu;
	if (dec->family == AF_INET6) {
		if (dec->fixed)
			decode6(fixed6, 0, data, ev);
		else
			decode6(dec->field, dec->swap, data, ev);
	} else {
		if (dec->fixed)
			decode4(fixed4, 0, data, ev);
		else
			decode4(dec->field, dec->swap, data, ev);
	}
	if (ev->dir > PT_DIR_RECV)
		return PT_DECODE_MALFORMED;
	if (!ev->has_icmp) {
		ev->icmp_type = 0;
		ev->icmp_code = 0;
		ev->icmp_id = 0;
		ev->icmp_seq = 0;
		ev->mtu = 0;
	}
	lookup_comm(dec, ev);
	return PT_DECODE_OK;
}
