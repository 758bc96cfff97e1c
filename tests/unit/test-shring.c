// SPDX-License-Identifier: GPL-2.0
/*
 * shring: what a writing child commits, its parent reads, in order and
 * whole across the ring's wrap; and each side learns that the other is
 * gone instead of waiting for it.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "shring.h"
#include "unit.h"

#define RING		(64u * 1024)
#define NR_ITEMS	20000
/* A side that waits for ever fails the test, not the whole run's time */
#define DEADLINE	60

struct numbered {
	struct pt_shring_item	h;
	uint32_t		seq;
	uint32_t		fill;	/* bytes after the head, each seq & 0xff */
	unsigned char		bytes[];
};

/* 16 to about 2 KB, never a multiple of 8 for long: pads at the wrap */
static size_t size_of(uint32_t seq)
{
	return sizeof(struct numbered) + (seq * 7919u) % 2039u;
}

/* Commits @n items, then stops: exits, or (@hang) waits to be killed */
static void write_items(struct pt_shring *r, uint32_t n, int hang)
{
	uint32_t seq;

	pt_shring_writer(r);
	for (seq = 0; seq < n; seq++) {
		size_t len = size_of(seq);
		struct numbered *it = (void *)pt_shring_reserve(r, len);

		if (!it)
			_exit(2);
		it->h.kind = 1;
		it->seq = seq;
		it->fill = len - sizeof(*it);
		memset(it->bytes, seq & 0xff, it->fill);
		pt_shring_commit(r, &it->h);
	}
	pt_shring_flush(r);
	if (hang)
		pause();
	_exit(0);
}

/* Items read until the writer is gone; -1 at the first one out of place */
static long read_items(struct pt_shring *r)
{
	const struct pt_shring_item *it;
	long seq = 0;
	uint32_t i;

	while ((it = pt_shring_next(r))) {
		const struct numbered *n = (const void *)it;

		if (it->kind != 1 || n->seq != seq ||
		    it->len < sizeof(*n) + n->fill ||
		    n->fill != size_of(seq) - sizeof(*n))
			return -1;
		for (i = 0; i < n->fill; i++)
			if (n->bytes[i] != (seq & 0xff))
				return -1;
		pt_shring_release(r, it);
		seq++;
	}
	return seq;
}

static pid_t start_writer(struct pt_shring *r, uint32_t n, int hang)
{
	pid_t pid;

	alarm(DEADLINE);
	CU_ASSERT_EQUAL_FATAL(pt_shring_create(r, RING), 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (!pid)
		write_items(r, n, hang);
	pt_shring_reader(r);
	return pid;
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	return status;
}

/* 20,000 items of about 1 KB through a 64 KB ring: hundreds of wraps */
static void test_shring_items_in_order_across_wraps(void)
{
	struct pt_shring r;
	pid_t pid = start_writer(&r, NR_ITEMS, 0);
	int status;

	CU_ASSERT_EQUAL(read_items(&r), NR_ITEMS);
	status = reap(pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pt_shring_destroy(&r);
}

/* A writer killed after its items: they are read, then the end */
static void test_shring_writer_killed_ends_the_reading(void)
{
	struct pt_shring r;
	pid_t pid = start_writer(&r, 10, 1);
	const struct pt_shring_item *it;
	int i;

	for (i = 0; i < 10; i++) {
		it = pt_shring_next(&r);
		CU_ASSERT_PTR_NOT_NULL_FATAL(it);
		pt_shring_release(&r, it);
	}
	kill(pid, SIGKILL);
	CU_ASSERT_PTR_NULL(pt_shring_next(&r));
	reap(pid);
	pt_shring_destroy(&r);
}

/* A reader gone: the writer's reserve fails with EPIPE, no SIGPIPE */
static void test_shring_reader_gone_fails_the_writer(void)
{
	struct pt_shring r;
	pid_t pid = start_writer(&r, NR_ITEMS, 0);
	int status;

	pt_shring_destroy(&r);	/* without reading: the ring fills */
	status = reap(pid);
	CU_ASSERT(WIFEXITED(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 2);
}

/* An item whose length cannot be ends the reading, not a loop */
static void test_shring_damaged_item_ends_the_reading(void)
{
	struct pt_shring r;
	struct pt_shring_item *it;
	pid_t pid = start_writer(&r, 3, 1);
	int i;

	for (i = 0; i < 3; i++) {
		it = (struct pt_shring_item *)pt_shring_next(&r);
		CU_ASSERT_PTR_NOT_NULL_FATAL(it);
		if (i == 1) {
			it->len = 0;	/* as a writer gone wrong would */
			break;
		}
		pt_shring_release(&r, it);
	}
	errno = 0;
	CU_ASSERT_PTR_NULL(pt_shring_next(&r));
	CU_ASSERT_EQUAL(errno, EPROTO);
	kill(pid, SIGKILL);
	reap(pid);
	pt_shring_destroy(&r);
}

static void test_shring_refuses_what_cannot_fit(void)
{
	struct pt_shring r;

	CU_ASSERT_EQUAL(pt_shring_create(&r, RING + 1), -EINVAL);
	CU_ASSERT_EQUAL(pt_shring_create(&r, 4096), -EINVAL);
	CU_ASSERT_EQUAL_FATAL(pt_shring_create(&r, RING), 0);
	pt_shring_writer(&r);
	errno = 0;
	CU_ASSERT_PTR_NULL(pt_shring_reserve(&r, RING / 2));
	CU_ASSERT_EQUAL(errno, E2BIG);
	CU_ASSERT_PTR_NULL(pt_shring_reserve(&r, 4));
	pt_shring_destroy(&r);
}

void ut_add_shring_suite(void)
{
	CU_pSuite s = CU_add_suite("shring", NULL, NULL);

	UT_ADD_TEST(s, test_shring_items_in_order_across_wraps);
	UT_ADD_TEST(s, test_shring_writer_killed_ends_the_reading);
	UT_ADD_TEST(s, test_shring_reader_gone_fails_the_writer);
	UT_ADD_TEST(s, test_shring_damaged_item_ends_the_reading);
	UT_ADD_TEST(s, test_shring_refuses_what_cannot_fit);
}
