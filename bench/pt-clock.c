// SPDX-License-Identifier: GPL-2.0
/*
 * pt-clock: print CLOCK_MONOTONIC in nanoseconds.
 *
 * busybox's date has no %N; the guest scenarios of make bench take a
 * reading before and after each flood.  Under QEMU's -icount the
 * guest's clocks advance with the instructions it executes, so the
 * difference counts instructions (1 ns each with shift=0).
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts)) {
		perror("pt-clock: clock_gettime");
		return 1;
	}
	printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
