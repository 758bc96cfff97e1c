// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace report: read a trace.dat written by trace-cmd record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "pingtrace.h"
#include "session.h"

/* Later than 2000-01-01 in ns: the file's times are wall clock (--date) */
#define WALL_CLOCK_MIN_NS	(946684800ULL * 1000000000ULL)

#define MAX_BUFFERS	64

static int report_record(struct tracecmd_input *handle,
			 struct tep_record *record, int cpu, void *data)
{
	struct pt_session *s = data;

	(void)cpu;
	if (tracecmd_get_tep(handle) != s->dec.tep)
		return 0;	/* another format set: not ours to decode */
	return pt_session_record(s, record) ? -1 : 0;
}

/*
 * The top buffer and the instance buffers (trace-cmd record -B NAME),
 * merged in time order.
 */
static int iterate_buffers(struct tracecmd_input *handle, struct pt_session *s)
{
	struct tracecmd_input *handles[MAX_BUFFERS + 1] = { handle };
	int nr = tracecmd_buffer_instances(handle);
	int i, n = 1;
	int ret;

	if (nr <= 0)
		return tracecmd_iterate_events(handle, NULL, 0, report_record, s);
	for (i = 0; i < nr && n <= MAX_BUFFERS; i++) {
		handles[n] = tracecmd_buffer_instance_handle(handle, i);
		if (handles[n])
			n++;
	}
	ret = tracecmd_iterate_events_multi(handles, n, report_record, s);
	for (i = 1; i < n; i++)
		tracecmd_close(handles[i]);
	return ret;
}

static int open_check(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		pt_err("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int init_error(const char *path, const struct pt_session *s, int ret)
{
	if (ret == -ENOENT && !s->dec.event)
		pt_err("'%s' has no net:ip_icmp events: the kernel was not "
		       "patched or the event was not recorded "
		       "(trace-cmd record -e net:ip_icmp)", path);
	else if (s->dec.bad_field)
		pt_err("'%s': net:ip_icmp field '%s' is missing or has an "
		       "unexpected size", path, s->dec.bad_field);
	else
		pt_err("'%s': %s", path, strerror(-ret));
	return 1;
}

static int run_report(struct pt_opts *opts, struct tracecmd_input *handle,
		      const char *path)
{
	struct pt_pair_config cfg;
	struct pt_session s;
	struct pt_output out;
	int ret;

	pt_output_init(&out, stdout, opts->format);
	out.quiet = opts->quiet;
	out.events = opts->events;
	out.wall = tracecmd_get_first_ts(handle) >= WALL_CLOCK_MIN_NS;

	pt_pair_config_default(&cfg);
	cfg.timeout_ns = opts->timeout_ns;
	ret = pt_session_init(&s, tracecmd_get_tep(handle), &opts->targets,
			      &cfg, &out);
	if (ret) {
		pt_session_release(&s);
		return init_error(path, &s, ret);
	}

	ret = iterate_buffers(handle, &s);
	if (!out.err && ret < 0) {
		pt_session_release(&s);
		pt_err("'%s': cannot read the trace data", path);
		return 1;
	}
	if (!out.err)
		pt_session_finish(&s);
	if (s.nr_bad)
		fprintf(stderr, "pingtrace: '%s': %llu malformed net:ip_icmp "
			"records skipped\n", path, s.nr_bad);
	pt_session_release(&s);
	return pt_exit_write_error(out.err);
}

int cmd_report(struct pt_opts *opts)
{
	const char *path = opts->input ? opts->input : "trace.dat";
	struct tracecmd_input *handle;
	int ret;

	if (opts->command) {
		pt_err("report takes no command");
		return 2;
	}
	if (open_check(path))
		return 1;
	handle = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!handle) {
		pt_err("'%s' is not a trace-cmd data file", path);
		return 1;
	}
	ret = run_report(opts, handle, path);
	tracecmd_close(handle);
	return ret;
}
