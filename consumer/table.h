/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed-capacity hash table that remembers insertion order, so that
 * the oldest entry can be expired or evicted in O(1).  No allocation
 * after pt_table_init().
 */
#ifndef PT_TABLE_H
#define PT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define PT_TABLE_NIL	UINT32_MAX

/*
 * Room for an echo of either family: two IPv6 addresses, the id and seq,
 * and the family (pair.c); the words a key does not use are 0
 */
#define PT_KEY_WORDS	12

struct pt_key {
	uint32_t	w[PT_KEY_WORDS];
};

struct pt_table_node {
	struct pt_key	key;
	uint32_t	hash;		/* of key: removal and growth */
	uint32_t	hnext;		/* free list */
	uint32_t	older;		/* age list */
	uint32_t	newer;
};

/* An entry, and its hash to tell it from others without reading its node */
struct pt_table_bucket {
	uint32_t	idx;		/* PT_TABLE_NIL: empty */
	uint32_t	hash;
};

struct pt_table {
	uint32_t		cap;
	uint32_t		used;
	uint32_t		mask;		/* buckets in use - 1 */
	uint32_t		max_mask;	/* buckets allocated - 1 */
	uint32_t		free_head;	/* removed entries */
	uint32_t		fresh;		/* entries never used from here */
	uint32_t		oldest;
	uint32_t		newest;
	struct pt_table_bucket	*buckets;
	struct pt_table_node	*nodes;
	unsigned char		*payload;
	size_t			psize;
};

int pt_table_init(struct pt_table *t, uint32_t cap, size_t psize);
void pt_table_release(struct pt_table *t);

uint32_t pt_table_find(const struct pt_table *t, const struct pt_key *key);
uint32_t pt_table_insert(struct pt_table *t, const struct pt_key *key);
uint32_t pt_table_insert_uninit(struct pt_table *t, const struct pt_key *key);

/*
 * The same with the key's hash given: a key looked up in two tables, or
 * looked up then inserted, is hashed once (pair.c hashed each echo's key
 * eight times, a twentieth of report -q)
 */
uint32_t pt_key_hash(const struct pt_key *key);
uint32_t pt_table_find_hashed(const struct pt_table *t,
			      const struct pt_key *key, uint32_t hash);
uint32_t pt_table_insert_hashed(struct pt_table *t, const struct pt_key *key,
				uint32_t hash);
uint32_t pt_table_insert_uninit_hashed(struct pt_table *t,
				       const struct pt_key *key, uint32_t hash);
void pt_table_remove(struct pt_table *t, uint32_t idx);

static inline int pt_table_full(const struct pt_table *t)
{
	return t->used == t->cap;
}

static inline uint32_t pt_table_oldest(const struct pt_table *t)
{
	return t->oldest;
}

static inline void *pt_table_data(const struct pt_table *t, uint32_t idx)
{
	return t->payload + (size_t)idx * t->psize;
}

#endif /* PT_TABLE_H */
