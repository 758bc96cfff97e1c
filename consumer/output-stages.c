// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace --stages: the echo's stages in each format, and their
 * summary.  Text: one line per echo, a column per stage in
 * microseconds, "-" for a stage not seen, "n/a" for one the path does
 * not have (stages.h), the header once.  JSON: "stages":{NAME_ns:...}
 * in the echo's object, null for not seen, "n/a".  CSV: a column per
 * stage, empty or n/a.  The summary adds min, avg, p50, p99 and max per
 * stage and log2 histograms of the rtt and of each stage.
 */
#include <inttypes.h>
#include <string.h>

#include "output-local.h"
#include "stages.h"

#define COL_WIDTH	7
#define HIST_STARS	40

/*
 * --slow MS shows the answered echoes slower than MS and every echo that
 * did not end answered (lost, unknown, unmatched, duplicate, error): a
 * live session left running under --slow is how a problem is caught.
 */
int pt_output_is_slow(const struct pt_output *o, const struct pt_echo *e)
{
	if (!o->slow_ns || e->status != PT_ECHO_OK)
		return 1;
	return pt_echo_rtt(e) > o->slow_ns;
}

static void text_header(struct pt_output *o)
{
	int s;

	pt_out(o, "%-5s %9s %-*s|%*s|%-*s|%s\n", "", "",
	       (COL_WIDTH + 1) * 6 - 1, " request (us)", COL_WIDTH + 1,
	       "target ", (COL_WIDTH + 1) * 5, " reply (us)", " task (us)");
	pt_out(o, "%5s %9s", "seq", "rtt_us");
	for (s = 0; s < PT_S_MAX; s++)
		pt_out(o, " %*s", COL_WIDTH, pt_stage_short(s));
	pt_out(o, "\n");
}

static void text_value(struct pt_output *o, const struct pt_stage_result *r,
		       int s)
{
	if (r->state[s] == PT_STAGE_SEEN)
		pt_out(o, " %*.1f", COL_WIDTH, r->ns[s] / 1000.0);
	else
		pt_out(o, " %*s", COL_WIDTH,
		       r->state[s] == PT_STAGE_NONE ? "n/a" : "-");
}

static void text_echo(struct pt_output *o, const struct pt_echo *e,
		      const struct pt_stage_result *res)
{
	int s;

	if (!o->started) {
		text_header(o);
		o->started = 1;
	}
	if (e->status == PT_ECHO_OK)
		pt_out(o, "%5u %9.1f", e->seq, pt_echo_rtt(e) / 1000.0);
	else
		pt_out(o, "%5u %9s", e->seq, pt_echo_status_name(e->status));
	for (s = 0; s < PT_S_MAX; s++)
		text_value(o, res, s);
	pt_out(o, "\n");
}

/* A decided echo, with its stages (--stages, --slow) */
int pt_output_stage_echo(struct pt_output *o, const struct pt_echo *e,
			 const struct pt_stage_result *res)
{
	if (o->quiet || !pt_output_is_slow(o, e))
		return o->err;
	if (o->format == PT_FMT_TEXT) {
		text_echo(o, e, res);
		return o->err;
	}
	o->stage = o->stage_view ? res : NULL;
	o->writer->echo(o, e);
	o->stage = NULL;
	return o->err;
}

void pt_stages_json(struct pt_output *o, const struct pt_stage_result *res)
{
	int s;

	pt_out(o, ",\"stages\":{");
	for (s = 0; s < PT_S_MAX; s++) {
		pt_out(o, "%s\"%s_ns\":", s ? "," : "", pt_stage_name(s));
		if (res->state[s] == PT_STAGE_SEEN)
			pt_out(o, "%" PRIu64, res->ns[s]);
		else
			pt_out(o, "%s", res->state[s] == PT_STAGE_NONE ?
			       "\"n/a\"" : "null");
	}
	pt_out(o, "}");
	if (res->pid > 0)
		pt_out(o, ",\"pid\":%d", res->pid);
}

void pt_stages_csv_header(struct pt_output *o)
{
	int s;

	for (s = 0; s < PT_S_MAX; s++)
		pt_out(o, ",%s_ns", pt_stage_name(s));
	pt_out(o, "\n");
}

/* @res NULL: a row that is not an echo's */
void pt_stages_csv(struct pt_output *o, const struct pt_stage_result *res)
{
	int s;

	for (s = 0; s < PT_S_MAX; s++) {
		if (!res || res->state[s] == PT_STAGE_NOT_SEEN)
			pt_out(o, ",");
		else if (res->state[s] == PT_STAGE_NONE)
			pt_out(o, ",n/a");
		else
			pt_out(o, ",%" PRIu64, res->ns[s]);
	}
}

/* ---- summary ------------------------------------------------------ */

static void text_stat(struct pt_output *o, const char *name,
		      struct pt_hist *h, uint64_t not_seen, uint64_t none)
{
	pt_out(o, "%-13s %6" PRIu64, name, h->n);
	if (h->n)
		pt_out(o, " %9.1f %9.1f %9.1f %9.1f %9.1f", h->min / 1000.0,
		       pt_hist_avg(h) / 1000.0, pt_hist_pct(h, 50) / 1000.0,
		       pt_hist_pct(h, 99) / 1000.0, h->max / 1000.0);
	else
		pt_out(o, " %9s %9s %9s %9s %9s", "-", "-", "-", "-", "-");
	pt_out(o, " %8" PRIu64 " %6" PRIu64 "\n", not_seen, none);
}

/* bcc's biolatency, in ns, from the first bucket used to the last */
static void text_hist(struct pt_output *o, const char *name,
		      const struct pt_hist *h)
{
	int first = -1, last = -1, k, stars;
	uint64_t peak = 0;

	for (k = 0; k < PT_HIST_BUCKETS; k++) {
		if (!h->bucket[k])
			continue;
		if (first < 0)
			first = k;
		last = k;
		if (h->bucket[k] > peak)
			peak = h->bucket[k];
	}
	if (first < 0)
		return;
	pt_out(o, "\n%s:\n%22s : %-8s %s\n", name, "nsecs", "count",
	       "distribution");
	for (k = first; k <= last; k++) {
		stars = (int)(h->bucket[k] * HIST_STARS / peak);
		pt_out(o, "%10llu -> %-10llu: %-8" PRIu64 " |%-*.*s|\n",
		       k ? 1ULL << k : 0ULL, (2ULL << k) - 1, h->bucket[k],
		       HIST_STARS, stars,
		       "****************************************");
	}
}

static void text_summary(struct pt_output *o, struct pt_stage_summary *sum)
{
	int s;

	pt_out(o, "\n%-13s %6s %9s %9s %9s %9s %9s %8s %6s\n", "stage (us)",
	       "n", "min", "avg", "p50", "p99", "max", "not_seen", "n/a");
	text_stat(o, "rtt", &sum->rtt, 0, 0);
	for (s = 0; s < PT_S_MAX; s++)
		text_stat(o, pt_stage_name(s), &sum->stage[s],
			  sum->not_seen[s], sum->none[s]);
	if (!pt_hist_exact(&sum->rtt))
		pt_out(o, "p50 and p99 past %u values: within 1/%u, of "
		       "log-linear buckets\n", PT_HIST_EXACT, 2 * PT_HIST_SUB);
	text_hist(o, "rtt", &sum->rtt);
	for (s = 0; s < PT_S_MAX; s++)
		text_hist(o, pt_stage_name(s), &sum->stage[s]);
}

static void json_stat(struct pt_output *o, const char *name,
		      struct pt_hist *h, uint64_t not_seen, uint64_t none)
{
	int k, first = 1;

	pt_out(o, "\"%s\":{\"n\":%" PRIu64, name, h->n);
	if (h->n)
		pt_out(o, ",\"min_ns\":%" PRIu64 ",\"avg_ns\":%" PRIu64
		       ",\"p50_ns\":%" PRIu64 ",\"p99_ns\":%" PRIu64
		       ",\"max_ns\":%" PRIu64, h->min, pt_hist_avg(h),
		       pt_hist_pct(h, 50), pt_hist_pct(h, 99), h->max);
	if (!pt_hist_exact(h))
		pt_out(o, ",\"pct_exact\":false");
	pt_out(o, ",\"not_seen\":%" PRIu64 ",\"na\":%" PRIu64
	       ",\"log2_ns\":{", not_seen, none);
	for (k = 0; k < PT_HIST_BUCKETS; k++) {
		if (!h->bucket[k])
			continue;
		pt_out(o, "%s\"%d\":%" PRIu64, first ? "" : ",", k,
		       h->bucket[k]);
		first = 0;
	}
	pt_out(o, "}}");
}

static void json_summary(struct pt_output *o, struct pt_stage_summary *sum)
{
	int s;

	pt_out(o, "{\"type\":\"stages_summary\",\"echoes\":%" PRIu64 ",",
	       sum->echoes);
	json_stat(o, "rtt", &sum->rtt, 0, 0);
	pt_out(o, ",\"stages\":{");
	for (s = 0; s < PT_S_MAX; s++) {
		pt_out(o, "%s", s ? "," : "");
		json_stat(o, pt_stage_name(s), &sum->stage[s],
			  sum->not_seen[s], sum->none[s]);
	}
	pt_out(o, "}}\n");
}

static void csv_stat(struct pt_output *o, const char *name,
		     struct pt_hist *h, uint64_t not_seen, uint64_t none)
{
	pt_out(o, "%s,%" PRIu64, name, h->n);
	if (h->n)
		pt_out(o, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		       ",%" PRIu64, h->min, pt_hist_avg(h), pt_hist_pct(h, 50),
		       pt_hist_pct(h, 99), h->max);
	else
		pt_out(o, ",,,,,");
	pt_out(o, ",%" PRIu64 ",%" PRIu64 "\n", not_seen, none);
}

static void csv_summary(struct pt_output *o, struct pt_stage_summary *sum)
{
	int s;

	pt_out(o, "\nstage,n,min_ns,avg_ns,p50_ns,p99_ns,max_ns,not_seen,na\n");
	csv_stat(o, "rtt", &sum->rtt, 0, 0);
	for (s = 0; s < PT_S_MAX; s++)
		csv_stat(o, pt_stage_name(s), &sum->stage[s],
			 sum->not_seen[s], sum->none[s]);
}

int pt_output_stage_summary(struct pt_output *o, struct pt_stage_summary *sum)
{
	if (o->format == PT_FMT_TEXT)
		text_summary(o, sum);
	else if (o->format == PT_FMT_JSON)
		json_summary(o, sum);
	else
		csv_summary(o, sum);
	return pt_output_flush(o);
}
