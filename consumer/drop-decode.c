// SPDX-License-Identifier: GPL-2.0
/*
 * Decoder of skb:kfree_skb records.  The reason's name is the event's
 * own: its print format's __print_symbolic() table on "reason", since
 * enum skb_drop_reason differs from kernel to kernel (6.1, 6.12).  The
 * location is named by the tep's functions (the file's kallsyms, or
 * /proc/kallsyms in live).  No I/O.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "drop.h"
#include "kallsyms.h"
#include "rd.h"

static int field_at(struct tep_event *ev, const char *name, int *off,
		    int *size)
{
	struct tep_format_field *f = tep_find_field(ev, name);

	*off = *size = 0;
	if (!f)
		return -ENOENT;
	*off = f->offset;
	*size = f->size;
	return 0;
}

/*
 * 0 when the file has a usable skb:kfree_skb, -ENOENT when it has none,
 * -EPROTO when a field we need is missing or of a size we cannot read
 */
static void name_reasons(struct pt_drop_decoder *d);

int pt_drop_decoder_init(struct pt_drop_decoder *d, struct tep_handle *tep)
{
	struct tep_format_field *type;
	struct tep_event *ev;

	memset(d, 0, sizeof(*d));
	d->tep = tep;
	ev = tep_find_event_by_name(tep, PT_DROP_SYSTEM, PT_DROP_EVENT);
	if (!ev)
		return -ENOENT;
	if (field_at(ev, "skbaddr", &d->skbaddr_off, &d->skbaddr_size) ||
	    field_at(ev, "location", &d->location_off, &d->location_size) ||
	    field_at(ev, "protocol", &d->protocol_off, &d->protocol_size))
		return -EPROTO;
	if (d->skbaddr_size != 8 || d->location_size != 8 ||
	    d->protocol_size != 2)
		return -EPROTO;
	type = tep_find_common_field(ev, "common_type");
	if (!type || type->size != 2)
		return -EPROTO;
	d->type_off = type->offset;
	d->swap = tep_is_file_bigendian(tep) != tep_is_local_bigendian(tep);
	field_at(ev, "reason", &d->reason_off, &d->reason_size);
	if (d->reason_size != 0 && d->reason_size != 4)
		return -EPROTO;
	d->event = ev;
	d->id = ev->id;
	if (d->reason_size)
		name_reasons(d);
	return 0;
}

static int is_reason_field(const struct tep_print_arg *arg)
{
	return arg && arg->type == TEP_PRINT_FIELD && arg->field.name &&
	       !strcmp(arg->field.name, "reason");
}

/* The name __print_symbolic(REC->reason, ...) gives @reason, or NULL */
static const char *reason_name(const struct tep_event *ev, int reason)
{
	const struct tep_print_arg *arg;
	const struct tep_print_flag_sym *sym;
	char *end;
	long long v;

	for (arg = ev->print_fmt.args; arg; arg = arg->next) {
		if (arg->type != TEP_PRINT_SYMBOL ||
		    !is_reason_field(arg->symbol.field))
			continue;
		for (sym = arg->symbol.symbols; sym; sym = sym->next) {
			if (!sym->value)
				continue;
			v = strtoll(sym->value, &end, 0);
			if (end != sym->value && !*end && v == reason)
				return sym->str;
		}
	}
	return NULL;
}

/*
 * The names of the reasons, once: a flood frees a reply a drop each (a
 * root ping's raw socket), and the table is a list of strings to parse
 */
static void name_reasons(struct pt_drop_decoder *d)
{
	int r;

	for (r = 0; r < PT_DROP_REASONS; r++)
		d->reason_names[r] = reason_name(d->event, r);
}

/*
 * The function @location is in.  A flood's drops are all at one place
 * (a root ping's reply freed after its raw socket had a copy), and a
 * lookup is a binary search of some 100,000 symbols: the last one is
 * kept.  The name is the tep's, or the resolver's, which outlive the
 * decoder (a new tep gets a new decoder: pt_session_retarget()).
 */
static const char *location_function(struct pt_drop_decoder *d,
				     uint64_t location)
{
	const char *fn;

	if (d->have_last && d->last_location == location)
		return d->last_function;
	pt_kallsyms_need(d->tep);
	fn = tep_find_function(d->tep, location);
	if (!fn && d->resolve)
		fn = d->resolve(d->resolve_data, location);
	d->have_last = 1;
	d->last_location = location;
	d->last_function = fn;
	return fn;
}

/* 1: a kfree_skb decoded into *k; 0: another event; -EPROTO: too short */
int pt_drop_decode(struct pt_drop_decoder *d,
		   const struct tep_record *record, struct pt_kfree *k)
{
	const unsigned char *data = record->data;
	int need;

	if (!d->event || record->size < d->type_off + 2 ||
	    pt_rd16(data + d->type_off, d->swap) != d->id)
		return 0;
	need = d->protocol_off + d->protocol_size;
	if (d->reason_size && d->reason_off + d->reason_size > need)
		need = d->reason_off + d->reason_size;
	if (d->skbaddr_off + 8 > need)
		need = d->skbaddr_off + 8;
	if (d->location_off + 8 > need)
		need = d->location_off + 8;
	if (record->size < need)
		return -EPROTO;
	memset(k, 0, sizeof(*k));
	k->ts = record->ts;
	k->skbaddr = pt_rd64(data + d->skbaddr_off, d->swap);
	k->location = pt_rd64(data + d->location_off, d->swap);
	k->protocol = pt_rd16(data + d->protocol_off, d->swap);
	k->reason = -1;
	if (d->reason_size) {
		k->reason = (int)pt_rd32(data + d->reason_off, d->swap);
		k->reason_name = k->reason >= 0 &&
				 k->reason < PT_DROP_REASONS ?
				 d->reason_names[k->reason] :
				 reason_name(d->event, k->reason);
	}
	k->function = location_function(d, k->location);
	return 1;
}
