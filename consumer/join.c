// SPDX-License-Identifier: GPL-2.0
/*
 * The join of kernel drops to packets, by skb address.  Pure: no I/O.
 *
 * An skb's address is reused as soon as it is freed, and pingtrace does
 * not see every free (consume_skb is not traced).  So an address names
 * the packet of its latest net:ip_icmp event only: a new event with the
 * address replaces what was known (a forwarded skb keeps its address and
 * so its packet, a reused one starts a new packet), and a drop ends it.
 * The table is bounded: the oldest packets are forgotten first.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drop.h"

static struct pt_key skb_key(uint64_t skbaddr)
{
	struct pt_key key = { { (uint32_t)skbaddr,
				(uint32_t)(skbaddr >> 32), 0, 0 } };

	return key;
}

int pt_join_init(struct pt_join *j, unsigned int max_packets)
{
	memset(j, 0, sizeof(*j));
	return pt_table_init(&j->packets, max_packets,
			     sizeof(struct pt_packet));
}

void pt_join_release(struct pt_join *j)
{
	pt_table_release(&j->packets);
}

void pt_join_event(struct pt_join *j, const struct pt_event *ev)
{
	struct pt_key key = skb_key(ev->skbaddr);
	struct pt_packet *pkt;
	uint32_t idx;

	idx = pt_table_find(&j->packets, &key);
	if (idx != PT_TABLE_NIL)
		pt_table_remove(&j->packets, idx);	/* newest last */
	if (pt_table_full(&j->packets)) {
		pt_table_remove(&j->packets, pt_table_oldest(&j->packets));
		j->evicted++;
	}
	idx = pt_table_insert(&j->packets, &key);
	pkt = pt_table_data(&j->packets, idx);
	pkt->netns = ev->netns;
	memcpy(pkt->dev, ev->dev, sizeof(pkt->dev));
	pkt->saddr = ev->saddr;
	pkt->daddr = ev->daddr;
	pkt->icmp_id = ev->icmp_id;
	pkt->icmp_seq = ev->icmp_seq;
	pkt->icmp_type = ev->icmp_type;
	pkt->has_icmp = ev->has_icmp;
	pkt->dir = ev->dir;
}

/*
 * 1 and *pkt: the packet @k dropped, which ends it; 0: no net:ip_icmp
 * event has that address (yet, or any more)
 */
int pt_join_drop(struct pt_join *j, const struct pt_kfree *k,
		 struct pt_packet *pkt)
{
	struct pt_key key = skb_key(k->skbaddr);
	uint32_t idx = pt_table_find(&j->packets, &key);

	if (idx == PT_TABLE_NIL)
		return 0;
	*pkt = *(struct pt_packet *)pt_table_data(&j->packets, idx);
	pt_table_remove(&j->packets, idx);
	return 1;
}

/*
 * @src into @dst, cut to fit: snprintf("%s") was most of a drop's
 * fill, and a root ping flood frees each reply as a drop
 */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* @pkt NULL: a drop of a packet never seen by net:ip_icmp */
void pt_drop_fill(struct pt_drop *d, const struct pt_packet *pkt,
		  const struct pt_kfree *k)
{
	memset(d, 0, sizeof(*d));
	if (pkt) {
		d->netns = pkt->netns;
		memcpy(d->dev, pkt->dev, sizeof(d->dev));
	}
	if (k->function)
		copy_str(d->location, sizeof(d->location), k->function);
	else
		snprintf(d->location, sizeof(d->location), "0x%llx",
			 (unsigned long long)k->location);
	if (k->reason_name)
		copy_str(d->reason, sizeof(d->reason), k->reason_name);
	else if (k->reason >= 0)
		snprintf(d->reason, sizeof(d->reason), "%d", k->reason);
	d->ns = k->ts;
}
