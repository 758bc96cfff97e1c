/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A ring of records in memory shared by two processes, one writing and
 * one reading (see shring.c): how report's reading child hands what it
 * read to the process that pairs and writes.
 */
#ifndef PT_SHRING_H
#define PT_SHRING_H

#include <stddef.h>
#include <stdint.h>

/* An item's head; @len (8-byte aligned) counts the head */
struct pt_shring_item {
	uint32_t	len;
	uint32_t	kind;		/* the caller's; 0 is the ring's own */
};

struct pt_shring_ctl;

struct pt_shring {
	struct pt_shring_ctl	*ctl;		/* shared */
	unsigned char		*data;		/* shared, @size bytes */
	size_t			size;
	size_t			batch;		/* bytes a sleeper waits for */
	int			fds[2];		/* socketpair: the wake-ups */
	int			fd;		/* this side's, after the fork */
	uint64_t		head;		/* this side's copies */
	uint64_t		tail;
	uint64_t		reserved;	/* the writer's, uncommitted */
};

/* Before fork(): @size a power of two, at least 64 KB */
int pt_shring_create(struct pt_shring *r, size_t size);
/* After fork(), in each process: which side it is */
void pt_shring_writer(struct pt_shring *r);
void pt_shring_reader(struct pt_shring *r);

/*
 * Writer: room for an item of @len bytes (its head included); NULL
 * (errno EPIPE) when the reader is gone, or E2BIG.  The item is the
 * reader's once committed, and the reader woken once a batch waits;
 * until then the next reserve takes its room back.
 */
struct pt_shring_item *pt_shring_reserve(struct pt_shring *r, size_t len);
void pt_shring_commit(struct pt_shring *r, struct pt_shring_item *it);
/* Writer: the reader woken for whatever is committed (at the end) */
void pt_shring_flush(struct pt_shring *r);

/*
 * Reader: the next item, waiting for it; NULL once the writer is gone
 * (exited or killed) and every item it committed was read, or (errno
 * EPROTO) at an item whose length cannot be.  The item stays valid
 * until pt_shring_release().
 */
const struct pt_shring_item *pt_shring_next(struct pt_shring *r);
void pt_shring_release(struct pt_shring *r, const struct pt_shring_item *it);

void pt_shring_destroy(struct pt_shring *r);

#endif /* PT_SHRING_H */
