// SPDX-License-Identifier: GPL-2.0
/*
 * Fixed-capacity hash table with an insertion-order list.
 *
 * The bucket array is allocated for the capacity but used from
 * PT_TABLE_MIN_BUCKETS on, doubling (and rehashing, without allocating)
 * as entries come: a flood keeps a handful of echoes outstanding, and a
 * lookup in 2^17 buckets missed the cache every time (make bench).
 *
 * A bucket holds an entry's index and its hash, and the buckets are
 * probed in turn (linear probing, at most half of them in use): a key
 * that is not there, as each echo's in the answered table is before it
 * goes in, is told from the hashes alone, without a read of the nodes.
 * Chained buckets read a node for each lookup that missed, a cache miss
 * in the 4096 answered echoes (perf: a sixth of report -q).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

/*
 * The seed is 2^64 / golden ratio (Knuth's multiplicative hashing, as
 * the kernel's GOLDEN_RATIO_64); each word is mixed in with the first
 * multiply and shift of MurmurHash3's 64-bit finalizer (fmix64).
 */
#define HASH_SEED	0x9e3779b97f4a7c15ULL
#define FMIX64_MUL	0xff51afd7ed558ccdULL
#define FMIX64_SHIFT	33

static inline uint64_t mix(uint64_t h, const struct pt_key *key, int i)
{
	h ^= (uint64_t)key->w[i + 1] << 32 | key->w[i];
	h *= FMIX64_MUL;
	return h ^ h >> FMIX64_SHIFT;
}

/*
 * Two words a round: an IPv4 key cost four rounds of one word.  The six
 * rounds written out: the loop's own count and branch were a third of
 * a hash, and a hash is computed for each lookup.
 */
_Static_assert(PT_KEY_WORDS == 12, "pt_key_hash() mixes 12 words");

uint32_t pt_key_hash(const struct pt_key *key)
{
	uint64_t h = HASH_SEED;

	h = mix(h, key, 0);
	h = mix(h, key, 2);
	h = mix(h, key, 4);
	h = mix(h, key, 6);
	h = mix(h, key, 8);
	h = mix(h, key, 10);
	return (uint32_t)h;
}

/* Word by word, inline: memcmp() was a call for each lookup */
static inline int key_equal(const struct pt_key *a, const struct pt_key *b)
{
	uint32_t diff = 0;
	int i;

	for (i = 0; i < PT_KEY_WORDS; i++)
		diff |= a->w[i] ^ b->w[i];
	return !diff;
}

#define PT_TABLE_MIN_BUCKETS	256

static void clear_buckets(struct pt_table *t)
{
	uint32_t i;

	for (i = 0; i <= t->mask; i++)
		t->buckets[i].idx = PT_TABLE_NIL;
}

int pt_table_init(struct pt_table *t, uint32_t cap, size_t psize)
{
	uint32_t nbuckets = 1;

	memset(t, 0, sizeof(*t));
	if (!cap || cap > (1u << 30))
		return -EINVAL;
	while (nbuckets < cap * 2)
		nbuckets <<= 1;

	/* untouched, the unused part of the array is never resident */
	t->buckets = malloc(sizeof(*t->buckets) * nbuckets);
	t->nodes = calloc(cap, sizeof(*t->nodes));
	t->payload = calloc(cap, psize ? psize : 1);
	if (!t->buckets || !t->nodes || !t->payload) {
		pt_table_release(t);
		return -ENOMEM;
	}
	t->cap = cap;
	t->max_mask = nbuckets - 1;
	t->mask = (nbuckets < PT_TABLE_MIN_BUCKETS ? nbuckets :
		   PT_TABLE_MIN_BUCKETS) - 1;
	clear_buckets(t);
	t->psize = psize;
	/*
	 * Entries are taken in order, then from those removed: the nodes
	 * are not written here, so the capacity costs no page until used
	 * (65,536 outstanding requests were a third of a small report)
	 */
	t->free_head = PT_TABLE_NIL;
	t->fresh = 0;
	t->oldest = PT_TABLE_NIL;
	t->newest = PT_TABLE_NIL;
	return 0;
}

void pt_table_release(struct pt_table *t)
{
	free(t->buckets);
	free(t->nodes);
	free(t->payload);
	memset(t, 0, sizeof(*t));
}

/* @hash is pt_key_hash(@key): a caller with one key for several lookups */
uint32_t pt_table_find_hashed(const struct pt_table *t,
			      const struct pt_key *key, uint32_t hash)
{
	const struct pt_table_bucket *b;
	uint32_t i;

	if (!t->cap)
		return PT_TABLE_NIL;
	for (i = hash & t->mask;; i = (i + 1) & t->mask) {
		b = &t->buckets[i];
		if (b->idx == PT_TABLE_NIL)
			return PT_TABLE_NIL;
		if (b->hash == hash && key_equal(&t->nodes[b->idx].key, key))
			return b->idx;
	}
}

uint32_t pt_table_find(const struct pt_table *t, const struct pt_key *key)
{
	if (!t->cap)
		return PT_TABLE_NIL;
	return pt_table_find_hashed(t, key, pt_key_hash(key));
}

/* The first free bucket from @hash's on */
static struct pt_table_bucket *free_bucket(struct pt_table *t, uint32_t hash)
{
	uint32_t i = hash & t->mask;

	while (t->buckets[i].idx != PT_TABLE_NIL)
		i = (i + 1) & t->mask;
	return &t->buckets[i];
}

/* Twice the buckets once half of them are in use; entries oldest first */
static void grow(struct pt_table *t)
{
	struct pt_table_bucket *b;
	uint32_t idx;

	t->mask = t->mask * 2 + 1;
	clear_buckets(t);
	for (idx = t->oldest; idx != PT_TABLE_NIL; idx = t->nodes[idx].newer) {
		b = free_bucket(t, t->nodes[idx].hash);
		b->idx = idx;
		b->hash = t->nodes[idx].hash;
	}
}

/* The new entry, its payload as the last entry there left it */
static uint32_t insert(struct pt_table *t, const struct pt_key *key,
		       uint32_t hash)
{
	struct pt_table_bucket *bucket;
	struct pt_table_node *node;
	uint32_t idx;

	idx = t->free_head;
	if (idx == PT_TABLE_NIL && t->fresh == t->cap)
		return PT_TABLE_NIL;
	if (t->used * 2 >= t->mask + 1 && t->mask < t->max_mask)
		grow(t);
	if (idx == PT_TABLE_NIL) {
		idx = t->fresh++;
		node = &t->nodes[idx];
	} else {
		node = &t->nodes[idx];
		t->free_head = node->hnext;
	}

	node->hash = hash;
	node->key = *key;
	bucket = free_bucket(t, hash);
	bucket->idx = idx;
	bucket->hash = hash;

	node->older = t->newest;
	node->newer = PT_TABLE_NIL;
	if (t->newest != PT_TABLE_NIL)
		t->nodes[t->newest].newer = idx;
	else
		t->oldest = idx;
	t->newest = idx;
	t->used++;
	return idx;
}

/* Returns the new entry, its payload zeroed, or PT_TABLE_NIL when full */
uint32_t pt_table_insert_hashed(struct pt_table *t, const struct pt_key *key,
				uint32_t hash)
{
	uint32_t idx = insert(t, key, hash);

	if (idx != PT_TABLE_NIL)
		memset(pt_table_data(t, idx), 0, t->psize);
	return idx;
}

uint32_t pt_table_insert(struct pt_table *t, const struct pt_key *key)
{
	return pt_table_insert_hashed(t, key, pt_key_hash(key));
}

/*
 * The same, the payload left as it is: for a caller that writes what it
 * will read, and no more (pair.c's answered echoes)
 */
uint32_t pt_table_insert_uninit_hashed(struct pt_table *t,
				       const struct pt_key *key, uint32_t hash)
{
	return insert(t, key, hash);
}

uint32_t pt_table_insert_uninit(struct pt_table *t, const struct pt_key *key)
{
	return insert(t, key, pt_key_hash(key));
}

/*
 * The bucket of @idx emptied, and the entries probed past it moved back
 * into the hole where their own bucket allows (backward-shift deletion):
 * a lookup stops at the first empty bucket
 */
static void unlink_bucket(struct pt_table *t, uint32_t idx)
{
	uint32_t hole = t->nodes[idx].hash & t->mask;
	uint32_t i, home;

	while (t->buckets[hole].idx != idx)
		hole = (hole + 1) & t->mask;
	for (i = (hole + 1) & t->mask; t->buckets[i].idx != PT_TABLE_NIL;
	     i = (i + 1) & t->mask) {
		home = t->buckets[i].hash & t->mask;
		/* movable unless its home lies after the hole, up to i */
		if (((i - home) & t->mask) >= ((i - hole) & t->mask)) {
			t->buckets[hole] = t->buckets[i];
			hole = i;
		}
	}
	t->buckets[hole].idx = PT_TABLE_NIL;
}

static void unlink_age(struct pt_table *t, uint32_t idx)
{
	struct pt_table_node *node = &t->nodes[idx];

	if (node->older != PT_TABLE_NIL)
		t->nodes[node->older].newer = node->newer;
	else
		t->oldest = node->newer;
	if (node->newer != PT_TABLE_NIL)
		t->nodes[node->newer].older = node->older;
	else
		t->newest = node->older;
}

void pt_table_remove(struct pt_table *t, uint32_t idx)
{
	unlink_bucket(t, idx);
	unlink_age(t, idx);
	t->nodes[idx].hnext = t->free_head;
	t->free_head = idx;
	t->used--;
}
