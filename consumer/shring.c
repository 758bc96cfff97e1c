// SPDX-License-Identifier: GPL-2.0
/*
 * shring: a single-writer, single-reader ring of variable-sized items
 * in a MAP_SHARED mapping made before fork(), so that a child reads the
 * trace file while its parent pairs and writes the report, each on a
 * CPU of its own.
 *
 * head and tail count bytes ever committed and released.  An item never
 * wraps: one that would not fit before the end of the ring is put at
 * its start, after a pad item (kind 0) that the reader skips.
 *
 * Each side publishes its position every quarter of a batch, not each
 * item, and sleeps only when it has to: the reader when the ring is
 * empty, until a batch more is committed (or the writer flushes or is
 * gone), the writer when the ring is full, until a batch is free.  A
 * sleeper says what it waits for (reader_wants, writer_wants) and
 * reads a byte of a socketpair; the other side, having published, sends
 * one if that is reached.  Both sides store and then load (their
 * position and the other's want) with sequentially consistent
 * operations, so one of them always sees the other.  When one process
 * ends, killed or not, its end of the socketpair closes and the other
 * wakes with nothing to read: that is how each learns the other is
 * gone.  send() with MSG_NOSIGNAL: a reader whose writer died must not
 * die of SIGPIPE itself.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shring.h"

struct pt_shring_ctl {
	alignas(64) _Atomic uint64_t	head;	/* bytes committed, published */
	_Atomic uint64_t		reader_wants;	/* asleep for head; 0 awake */
	alignas(64) _Atomic uint64_t	tail;	/* bytes released, published */
	_Atomic uint64_t		writer_wants;	/* asleep for tail; 0 awake */
};

#define ITEM_ALIGN	8u
#define MIN_SIZE	(64u * 1024)
#define PAD		0u

static size_t align_len(size_t len)
{
	return (len + ITEM_ALIGN - 1) & ~(size_t)(ITEM_ALIGN - 1);
}

int pt_shring_create(struct pt_shring *r, size_t size)
{
	void *map;

	memset(r, 0, sizeof(*r));
	r->fds[0] = r->fds[1] = r->fd = -1;
	if (size < MIN_SIZE || (size & (size - 1)))
		return -EINVAL;
	map = mmap(NULL, sizeof(*r->ctl) + size, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return -errno;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->fds)) {
		int err = -errno;

		munmap(map, sizeof(*r->ctl) + size);
		return err;
	}
	r->ctl = map;
	r->data = (unsigned char *)map + sizeof(*r->ctl);
	r->size = size;
	r->batch = size / 8;
	return 0;
}

static void keep_fd(struct pt_shring *r, int mine)
{
	close(r->fds[!mine]);
	r->fd = r->fds[mine];
	r->fds[0] = r->fds[1] = -1;
}

void pt_shring_writer(struct pt_shring *r)
{
	keep_fd(r, 0);
}

void pt_shring_reader(struct pt_shring *r)
{
	keep_fd(r, 1);
}

static void wake(struct pt_shring *r, _Atomic uint64_t *wants, uint64_t now)
{
	uint64_t w = atomic_load(wants);

	if (w && now >= w && atomic_exchange(wants, 0))
		send(r->fd, "", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Bytes read: 0 when the other side is gone */
static ssize_t sleep_on(struct pt_shring *r)
{
	char buf[64];
	ssize_t n;

	do {
		n = recv(r->fd, buf, sizeof(buf), 0);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? 0 : n;
}

static void publish_head(struct pt_shring *r)
{
	atomic_store(&r->ctl->head, r->head);
	wake(r, &r->ctl->reader_wants, r->head);
}

static void publish_tail(struct pt_shring *r)
{
	atomic_store(&r->ctl->tail, r->tail);
	wake(r, &r->ctl->writer_wants, r->tail);
}

static int writer_room(struct pt_shring *r, size_t need)
{
	return r->head + need - r->tail <= r->size;
}

/* Until @need bytes are free: 0, or -EPIPE when the reader is gone */
static int wait_room(struct pt_shring *r, size_t need)
{
	uint64_t want;

	for (;;) {
		r->tail = atomic_load_explicit(&r->ctl->tail,
					       memory_order_acquire);
		if (writer_room(r, need))
			return 0;
		publish_head(r);	/* all of it: the reader must empty it */
		want = r->head + need - r->size + r->batch;
		if (want > r->head)
			want = r->head;
		atomic_store(&r->ctl->writer_wants, want);
		r->tail = atomic_load(&r->ctl->tail);
		if (writer_room(r, need)) {
			atomic_store(&r->ctl->writer_wants, 0);
			return 0;
		}
		if (!sleep_on(r))
			return -EPIPE;
	}
}

struct pt_shring_item *pt_shring_reserve(struct pt_shring *r, size_t len)
{
	size_t pos = r->head & (r->size - 1);
	size_t to_end = r->size - pos;
	struct pt_shring_item *it;
	size_t need;
	int ret;

	if (len < sizeof(*it) || len > r->size / 4) {
		errno = E2BIG;
		return NULL;
	}
	len = align_len(len);
	need = to_end < len ? to_end + len : len;
	if (!writer_room(r, need)) {
		ret = wait_room(r, need);
		if (ret) {
			errno = -ret;
			return NULL;
		}
	}
	r->reserved = need;
	if (to_end < len) {
		it = (struct pt_shring_item *)(r->data + pos);
		it->len = to_end;
		it->kind = PAD;
		pos = 0;
	}
	it = (struct pt_shring_item *)(r->data + pos);
	it->len = len;
	return it;
}

void pt_shring_commit(struct pt_shring *r, struct pt_shring_item *it)
{
	(void)it;
	r->head += r->reserved;
	r->reserved = 0;
	if (r->head - atomic_load_explicit(&r->ctl->head,
					   memory_order_relaxed) >=
	    r->batch / 4)
		publish_head(r);
}

void pt_shring_flush(struct pt_shring *r)
{
	atomic_store(&r->ctl->head, r->head);
	if (atomic_exchange(&r->ctl->reader_wants, 0))
		send(r->fd, "", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Until something is committed: 0, or -EPIPE when the writer is gone */
static int wait_items(struct pt_shring *r)
{
	for (;;) {
		r->head = atomic_load_explicit(&r->ctl->head,
					       memory_order_acquire);
		if (r->head != r->tail)
			return 0;
		publish_tail(r);	/* all of it: the writer may wait */
		atomic_store(&r->ctl->reader_wants, r->tail + r->batch);
		r->head = atomic_load(&r->ctl->head);
		if (r->head != r->tail) {
			atomic_store(&r->ctl->reader_wants, 0);
			return 0;
		}
		if (!sleep_on(r)) {
			atomic_store(&r->ctl->reader_wants, 0);
			r->head = atomic_load(&r->ctl->head);
			return r->head != r->tail ? 0 : -EPIPE;
		}
	}
}

const struct pt_shring_item *pt_shring_next(struct pt_shring *r)
{
	const struct pt_shring_item *it;

	size_t pos;

	for (;;) {
		if (r->head == r->tail && wait_items(r))
			return NULL;
		pos = r->tail & (r->size - 1);
		it = (const struct pt_shring_item *)(r->data + pos);
		/* a writer that wrote over its items is a writer gone wrong */
		if (it->len < sizeof(*it) || (it->len & (ITEM_ALIGN - 1)) ||
		    it->len > r->head - r->tail || pos + it->len > r->size) {
			errno = EPROTO;
			return NULL;
		}
		if (it->kind != PAD)
			return it;
		pt_shring_release(r, it);
	}
}

void pt_shring_release(struct pt_shring *r, const struct pt_shring_item *it)
{
	r->tail += it->len;
	if (r->tail - atomic_load_explicit(&r->ctl->tail,
					   memory_order_relaxed) >=
	    r->batch / 4)
		publish_tail(r);
}

void pt_shring_destroy(struct pt_shring *r)
{
	int i;

	if (r->ctl)
		munmap(r->ctl, sizeof(*r->ctl) + r->size);
	for (i = 0; i < 2; i++)
		if (r->fds[i] >= 0)
			close(r->fds[i]);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fds[0] = r->fds[1] = r->fd = -1;
}
