// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace report: read a trace.dat written by trace-cmd record.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pingtrace.h"
#include "replay.h"

static int report_error(const char *path, int ret,
			const struct pt_replay_info *info)
{
	switch (ret) {
	case -EBADMSG:
		pt_err("'%s' is not a trace-cmd data file", path);
		break;
	case -ENODATA:
		pt_err("'%s' has no net:ip_icmp events: the kernel was not "
		       "patched or the event was not recorded "
		       "(trace-cmd record -e net:ip_icmp)", path);
		break;
	case -EPROTO:
		pt_err("'%s': net:ip_icmp field '%s' is missing or has an "
		       "unexpected size", path,
		       info->bad_field ? info->bad_field : "?");
		break;
	case -ENOTRECOVERABLE:
		pt_err("cannot read '%s': libtracecmd crashed or hung on it; "
		       "the file is damaged", path);
		break;
	case -EUCLEAN:
		pt_err("cannot read '%s': a version 7 file damaged by "
		       "trace-cmd, recorded where /proc/kallsyms was missing; "
		       "record with --file-version 6 or --compression none",
		       path);
		break;
	case -EIO:
		pt_err("'%s': cannot read the trace data", path);
		break;
	default:
		pt_err("cannot open '%s': %s", path, strerror(-ret));
		break;
	}
	return 1;
}

int cmd_report(struct pt_opts *opts)
{
	const char *path = opts->input ? opts->input : "trace.dat";
	struct pt_replay_info info;
	struct pt_pair_config cfg;
	struct pt_output out;
	int ret;

	if (opts->command || opts->output || opts->clock || opts->buffer_kb) {
		pt_err("report takes no command, -o, -b or --clock");
		return 2;
	}
	pt_output_init(&out, stdout, opts->format);
	out.quiet = opts->quiet;
	out.events = opts->events;
	pt_pair_config_default(&cfg);
	cfg.timeout_ns = opts->timeout_ns;

	ret = pt_replay_file(path, &opts->targets, &cfg, &out, &info);
	if (info.nr_bad)
		fprintf(stderr, "pingtrace: '%s': %llu malformed net:ip_icmp "
			"records skipped\n", path, info.nr_bad);
	if (ret && ret != out.err)
		return report_error(path, ret, &info);
	return pt_exit_write_error(out.err);
}
