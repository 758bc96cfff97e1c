// SPDX-License-Identifier: GPL-2.0
/*
 * The stage events' records: a table of the events, each found once per
 * tep handle, and read with libtraceevent's field readers, which know
 * the file's byte order.  A record too short for its field is skipped.
 */
#include <errno.h>
#include <string.h>

#include <event-parse.h>

#include "stage-decode.h"

const struct pt_stage_source pt_stage_sources[PT_STAGE_SOURCES] = {
	{ "net", "net_dev_queue", PT_SE_DEV_QUEUE, "skbaddr", NULL },
	{ "net", "net_dev_xmit", PT_SE_DEV_XMIT, "skbaddr", "rc" },
	{ "net", "netif_rx", PT_SE_RX_ENTRY, "skbaddr", NULL },
	{ "net", "napi_gro_receive_entry", PT_SE_RX_ENTRY, "skbaddr", NULL },
	{ "net", "netif_receive_skb_list_entry", PT_SE_RX_ENTRY, "skbaddr",
	  NULL },
	{ "net", "netif_receive_skb_entry", PT_SE_RX_ENTRY, "skbaddr", NULL },
	{ "net", "netif_receive_skb", PT_SE_RX_CORE, "skbaddr", NULL },
	{ "syscalls", "sys_enter_sendto", PT_SE_SEND_ENTER, NULL, NULL },
	{ "syscalls", "sys_enter_sendmsg", PT_SE_SEND_ENTER, NULL, NULL },
	{ "syscalls", "sys_exit_recvmsg", PT_SE_RECV_EXIT, NULL, "ret" },
	{ "syscalls", "sys_exit_recvfrom", PT_SE_RECV_EXIT, NULL, "ret" },
	{ "sched", "sched_wakeup", PT_SE_WAKEUP, "pid", NULL },
	{ "sched", "sched_switch", PT_SE_SWITCH, "next_pid", NULL },
};

/* Returns how many of the events @tep has */
int pt_stage_decoder_init(struct pt_stage_decoder *d, struct tep_handle *tep)
{
	const struct pt_stage_source *src;
	struct tep_event *ev;
	int i;

	memset(d, 0, sizeof(*d));
	d->tep = tep;
	for (i = 0; i < PT_STAGE_SOURCES; i++) {
		src = &pt_stage_sources[i];
		d->ev[i].id = -1;
		ev = tep_find_event_by_name(tep, src->system, src->name);
		if (!ev)
			continue;
		d->ev[i].field = src->field ? tep_find_field(ev, src->field) :
				 NULL;
		d->ev[i].ret = src->ret ? tep_find_field(ev, src->ret) : NULL;
		if ((src->field && !d->ev[i].field) ||
		    (src->ret && !d->ev[i].ret))
			continue;	/* a format we cannot read: not there */
		d->ev[i].id = ev->id;
		d->nr_found++;
	}
	return d->nr_found;
}

int pt_stage_decoder_has(const struct pt_stage_decoder *d,
			 enum pt_stage_event kind)
{
	int i;

	for (i = 0; i < PT_STAGE_SOURCES; i++)
		if (pt_stage_sources[i].kind == kind && d->ev[i].id >= 0)
			return 1;
	return 0;
}

static int read_field(const struct tep_record *record,
		      struct tep_format_field *f, unsigned long long *val)
{
	if (f->offset < 0 || f->size <= 0 || f->size > 8 ||
	    f->offset + f->size > record->size)
		return -1;
	return tep_read_number_field(f, record->data, val) ? -1 : 0;
}

static long long sign_extend(unsigned long long v, int size)
{
	if (size >= 8)
		return (long long)v;
	if (v & (1ULL << (size * 8 - 1)))
		v |= ~0ULL << (size * 8);
	return (long long)v;
}

/* 1 and *sev: one of ours; 0: another event, or too short to read */
int pt_stage_decode(const struct pt_stage_decoder *d,
		    const struct tep_record *record, struct pt_stage_ev *sev)
{
	unsigned long long v;
	int type, i;

	if (record->size < 8)
		return 0;
	type = tep_data_type(d->tep, (struct tep_record *)record);
	for (i = 0; i < PT_STAGE_SOURCES && d->ev[i].id != type; i++)
		;
	if (i == PT_STAGE_SOURCES || type < 0)
		return 0;
	memset(sev, 0, sizeof(*sev));
	sev->kind = pt_stage_sources[i].kind;
	sev->ts = record->ts;
	if (d->ev[i].field) {
		if (read_field(record, d->ev[i].field, &v))
			return 0;
		if (!strcmp(pt_stage_sources[i].field, "skbaddr"))
			sev->skbaddr = v;
		else
			sev->pid = (int)sign_extend(v, d->ev[i].field->size);
	} else {
		sev->pid = tep_data_pid(d->tep, (struct tep_record *)record);
	}
	if (d->ev[i].ret) {
		if (read_field(record, d->ev[i].ret, &v))
			return 0;
		sev->ret = sign_extend(v, d->ev[i].ret->size);
	}
	return 1;
}
