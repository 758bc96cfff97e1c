// SPDX-License-Identifier: GPL-2.0
/*
 * clocksync-tool: run consumer/clocksync.c on echoes read from stdin, for
 * tests/vm/check_twohost.py, which takes the four timestamps of each echo
 * from two separately recorded files with trace-cmd report.
 *
 * usage: clocksync-tool [WINDOW_NS] < ECHOES
 *   ECHOES: one echo a line, "t1 t2 t3 t4" in ns (t1, t4 on A's clock;
 *   t2, t3 on B's), in A's time order
 * prints key=value lines: echoes, used, offset, bound, best, lo, hi,
 * fit_windows, fit_offset0, fit_t0, fit_slope_ppb, fit_bound,
 * fit_max_residual
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clocksync.h"

#define MAX_ECHOES	100000

static struct pt_cs_echo echoes[MAX_ECHOES];

static int read_echoes(FILE *in, size_t *n)
{
	struct pt_cs_echo e;
	char line[256];

	*n = 0;
	while (fgets(line, sizeof(line), in)) {
		if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
			   &e.t1, &e.t2, &e.t3, &e.t4) != 4) {
			fprintf(stderr, "clocksync-tool: bad line '%s'\n",
				strtok(line, "\n"));
			return -EINVAL;
		}
		if (*n == MAX_ECHOES) {
			fprintf(stderr, "clocksync-tool: more than %d echoes\n",
				MAX_ECHOES);
			return -E2BIG;
		}
		echoes[(*n)++] = e;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t window = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000000ull;
	struct pt_cs_estimate est;
	struct pt_cs_fit fit;
	size_t n;
	int ret;

	if (read_echoes(stdin, &n))
		return 2;
	printf("echoes=%zu\n", n);
	ret = pt_cs_estimate(echoes, n, &est);
	if (ret) {
		fprintf(stderr, "clocksync-tool: no usable echo: %s\n",
			strerror(-ret));
		return 1;
	}
	printf("used=%zu\noffset=%" PRId64 "\nbound=%" PRId64
	       "\nbest=%zu\nlo=%" PRId64 "\nhi=%" PRId64 "\n",
	       est.used, est.offset, est.bound, est.best, est.lo, est.hi);
	ret = pt_cs_fit(echoes, n, window, &fit);
	if (ret) {
		fprintf(stderr, "clocksync-tool: no fit: %s\n", strerror(-ret));
		return 1;
	}
	printf("fit_windows=%zu\nfit_t0=%" PRIu64 "\nfit_offset0=%" PRId64
	       "\nfit_slope_ppb=%.3f\nfit_bound=%" PRId64
	       "\nfit_max_residual=%" PRId64 "\n",
	       fit.windows, fit.t0, fit.offset0, fit.slope * 1e9, fit.bound,
	       fit.max_residual);
	return 0;
}
