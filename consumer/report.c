// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace report: read a trace.dat written by trace-cmd record.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output-svg.h"
#include "pingtrace.h"
#include "replay.h"
#include "report.h"

#define MISSING_MAX	512

/*
 * The stage events the file lacks, by kind: of the kinds with several
 * events (the receive entries, sendto and sendmsg) one is enough
 */
static void warn_missing(const char *path, const struct pt_replay_info *info)
{
	char missing[MISSING_MAX] = "";
	size_t len = 0;
	int i, j, any;

	for (i = 0; i < PT_STAGE_SOURCES; i++) {
		for (any = 0, j = 0; j < PT_STAGE_SOURCES; j++)
			if (pt_stage_sources[j].kind == pt_stage_sources[i].kind)
				any |= info->stage_has[j];
		if (any || len >= sizeof(missing))
			continue;
		len += snprintf(missing + len, sizeof(missing) - len, "%s%s:%s",
				len ? ", " : "", pt_stage_sources[i].system,
				pt_stage_sources[i].name);
	}
	if (len)
		pt_warn("'%s' has no %s: the stages they end are not seen "
			"(pingtrace record --stages records them)", path,
			missing);
}

#define REPORT_BUFFER	(64 * 1024)

int pt_report_error(const char *path, enum pt_replay_status status,
		    const struct pt_replay_info *info)
{
	switch (status) {
	case PT_REPLAY_NOT_TRACE:
		pt_err("'%s' is not a trace-cmd data file", path);
		break;
	case PT_REPLAY_NO_EVENT:
		pt_err("'%s' has no net:ip_icmp or net:ip6_icmp events: the "
		       "kernel was not patched or the event was not recorded "
		       "(trace-cmd record -e net:ip_icmp -e net:ip6_icmp)",
		       path);
		break;
	case PT_REPLAY_BAD_FORMAT:
		pt_err("'%s': net:ip_icmp (or ip6_icmp) field '%s' is missing "
		       "or has an unexpected size", path,
		       info->bad_field ? info->bad_field : "?");
		break;
	case PT_REPLAY_LIB_FAILED:
		pt_err("cannot read '%s': libtracecmd crashed or hung on it; "
		       "the file is damaged", path);
		break;
	case PT_REPLAY_DAMAGED_V7:
		pt_err("cannot read '%s': a version 7 file damaged by "
		       "trace-cmd, recorded where /proc/kallsyms was missing; "
		       "record with --file-version 6 or --compression none",
		       path);
		break;
	case PT_REPLAY_TOO_MANY_BUFFERS:
		pt_err("'%s' has more than %d trace buffers", path,
		       PT_REPLAY_MAX_BUFFERS);
		break;
	case PT_REPLAY_READ_ERROR:
		pt_err("'%s': cannot read the trace data", path);
		break;
	default:	/* PT_REPLAY_CANNOT_OPEN */
		pt_err("cannot open '%s': %s", path, strerror(-info->err));
		break;
	}
	return 1;
}

static int write_svg(const char *file, struct pt_svg *svg)
{
	FILE *fp = fopen(file, "w");
	int err;

	if (!fp) {
		pt_err("cannot open '%s': %s", file, strerror(errno));
		return 1;
	}
	err = pt_svg_write(svg, fp);
	if (fclose(fp) && !err)
		err = -errno;
	if (err) {
		pt_err("cannot write '%s': %s", file, strerror(-err));
		return 1;
	}
	return 0;
}

/*
 * On a terminal, how many records are read, on one line of stderr that
 * is erased at the end: never in the output, never in a redirected
 * stderr
 */
static void show_progress(unsigned long long records, int done, void *data)
{
	const char *path = data;

	if (done)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr, "\rpingtrace: '%s': %llu records read",
			path, records);
	fflush(stderr);
}

int cmd_report(struct pt_opts *opts)
{
	const char *path = opts->input ? opts->input : "trace.dat";
	enum pt_replay_status status;
	struct pt_replay_info info;
	struct pt_pair_config cfg;
	struct pt_output out;
	struct pt_svg svg;
	int ret = 0;

	if (opts->nr_inputs > 1)
		return cmd_report_merge(opts);
	/*
	 * A timeline is hundreds of MB: written in 64 KB blocks, not in
	 * stdio's 4 KB, unless a terminal reads it line by line
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, REPORT_BUFFER);
	pt_output_init(&out, stdout, opts->format);
	out.gather = !isatty(STDOUT_FILENO);
	out.quiet = opts->quiet;
	out.events = opts->events;
	out.all = opts->all;
	out.stage_view = opts->stages;
	out.slow_ns = opts->slow_ns;
	pt_svg_init(&svg);
	if (opts->svg) {
		out.stage_hook = pt_svg_add;
		out.stage_hook_data = &svg;
	}
	pt_pair_config_default(&cfg);
	cfg.timeout_ns = opts->timeout_ns;

	if (isatty(STDERR_FILENO))
		pt_replay_set_progress(show_progress, (void *)path);
	status = pt_replay_file(path, &opts->targets, &cfg, &out, &info);
	/* lines gathered before an error are written, as stdio's are */
	if (status != PT_REPLAY_OK)
		pt_output_flush(&out);
	if (info.nr_bad)
		pt_warn("'%s': %llu malformed net:ip_icmp records skipped",
			path, info.nr_bad);
	if (status != PT_REPLAY_OK && status != PT_REPLAY_WRITE_ERROR) {
		pt_svg_release(&svg);
		return pt_report_error(path, status, &info);
	}
	if (opts->stages)
		warn_missing(path, &info);
	if (opts->svg && !out.err)
		ret = write_svg(opts->svg, &svg);
	pt_svg_release(&svg);
	return ret ? ret : pt_exit_write_error(out.err);
}
