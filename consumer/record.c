// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace record: trace-cmd record -e net:ip_icmp (and net:ip6_icmp)
 * into a file, then pingtrace report on it.  trace-cmd writes the file
 * (versions 6 and 7 are its business); we only build the filter and read
 * the result, and ask for version 6 where trace-cmd would write a
 * damaged version 7.
 *
 * The event is recorded in a tracefs instance of our own (-B), which
 * trace-cmd creates and removes: the top instance, and whatever other
 * users of tracing set up there, is left alone.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "child.h"
#include "cli.h"
#include "drop.h"
#include "instance.h"
#include "pingtrace.h"
#include "stage-events.h"

/*
 * The most arguments pingtrace itself gives trace-cmd: "trace-cmd record
 * -q -B NAME -e EVENT -f FILTER -e EVENT6 -f FILTER6 -e DROPS -f FILTER
 * -C CLOCK -b KB --file-version 6 -o FILE"
 */
#define ARGV_FIXED	25
/* --agent: "-A HOST:PORT", then the agent's events, clock and size */
#define ARGV_AGENT	18
/* --stages: "-e EVENT -f FILTER" for each stage event */
#define ARGV_STAGES	(4 * PT_STAGE_SOURCES)
/* The most words of the traced command */
#define ARGV_COMMAND	256
#define KB_DIGITS	32
/* record --stages -- COMMAND: how long trace-cmd may take to start */
#define NSEC_PER_SEC		1000000000L
#define RECORD_POLL_NS		(10L * 1000000L)
#define RECORD_START_NS		(30L * NSEC_PER_SEC)
/*
 * record --agent -- COMMAND: trace-cmd first syncs the clocks with the
 * agent over TCP (ptp, a minute or more on a slow guest), then records.
 * The agent turns its own tracing on only after it has answered, while
 * trace-cmd runs the command at once: the command waits AGENT_SETTLE_NS
 * more, ten times the lag seen on a TCG guest.
 */
#define RECORD_START_AGENT_NS	(240L * NSEC_PER_SEC)
#define AGENT_SETTLE_NS		(2L * NSEC_PER_SEC)

struct trace_cmd_argv {
	char	*argv[ARGV_FIXED + ARGV_AGENT + ARGV_STAGES + ARGV_COMMAND + 1];
	int	n;
	char	instance[PT_INSTANCE_NAME_MAX];
	char	filter[PT_FILTER_MAX];
	char	filter6[PT_FILTER_MAX];
	int	v4, v6;		/* net:ip_icmp, net:ip6_icmp recorded */
	int	drops;		/* skb:kfree_skb recorded */
	char	kb[KB_DIGITS];
	struct pt_stage_events stages;
	char	stage_names[PT_STAGE_SOURCES][64];
};

/* Ctrl-C goes to trace-cmd too, which stops and writes the file */
static int run_trace_cmd(char **argv)
{
	struct pt_child child;
	int ret;

	ret = pt_child_start(&child, argv, 0);
	if (ret)
		return ret;
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	ret = pt_child_wait(&child);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return ret;
}

/*
 * trace-cmd 3.0 to 3.4 write a damaged compressed version 7 file when
 * they cannot stat() /proc/kallsyms (a kernel without CONFIG_KALLSYMS,
 * no procfs).  Version 6 has no compressed sections, so it is safe.
 */
static int kallsyms_missing(void)
{
	struct stat st;

	return stat("/proc/kallsyms", &st) != 0;
}

/*
 * The running kernel has skb:kfree_skb.  stat() at the usual places, as
 * for kallsyms: libtracefs is not used before trace-cmd runs.
 */
static int have_drop_event(void)
{
	static const char * const paths[] = {
		"/sys/kernel/tracing/events/" PT_DROP_SYSTEM "/" PT_DROP_EVENT,
		"/sys/kernel/debug/tracing/events/" PT_DROP_SYSTEM "/"
		PT_DROP_EVENT,
	};
	struct stat st;
	unsigned int i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!stat(paths[i], &st))
			return 1;
	return 0;
}

static void add(struct trace_cmd_argv *a, const char *arg)
{
	a->argv[a->n++] = (char *)arg;
}

/* What pingtrace asks of trace-cmd, at most ARGV_FIXED arguments */
/* "-e EVENT [-f FILTER]" */
static void event_args(struct trace_cmd_argv *a, const char *event,
		       const char *filter)
{
	add(a, "-e");
	add(a, event);
	if (filter[0]) {
		add(a, "-f");
		add(a, filter);
	}
}

/*
 * net:ip_icmp and net:ip6_icmp, each when a target is of its family (or
 * there is none) and the kernel has it, with their filters; and
 * skb:kfree_skb unless -D or the kernel lacks it
 */
static int choose_events(struct trace_cmd_argv *a, const struct pt_opts *opts)
{
	int v4, v6;

	pt_instance_families(&opts->targets, &v4, &v6);
	if (v4 && !pt_instance_have_event(PT_EVENT_NAME) && v6)
		v4 = 0;		/* the IPv6 event alone */
	a->v4 = v4;
	a->v6 = v6;
	if (!v4 && !v6) {
		pt_err("nothing to record: this kernel has no net:%s for the "
		       "IPv6 targets", PT_EVENT6_NAME);
		return -1;
	}
	if (v4 && pt_instance_filter(&opts->targets, a->filter,
				     sizeof(a->filter)))
		return -1;
	if (v6 && pt_instance_filter6(&opts->targets, a->filter6,
				      sizeof(a->filter6)))
		return -1;
	a->drops = !opts->no_drops && have_drop_event();
	if (!opts->no_drops && !a->drops)
		pt_warn("this kernel has no %s:%s: kernel drops are not "
			"recorded", PT_DROP_SYSTEM, PT_DROP_EVENT);
	if (opts->buffer_kb)
		snprintf(a->kb, sizeof(a->kb), "%lu", opts->buffer_kb);
	return 0;
}

/*
 * What each host records, ours and an agent's: the events and their
 * filters, which name the same addresses on both, the clock and the
 * buffer size.  The boot clock is what live uses: the kernel's default
 * may be "local" (per CPU) or, where the TSC is unstable, "global",
 * which clamps timestamps across CPUs.  No --date: trace-cmd 3.1.6
 * measures its offset in the top instance, with that instance's clock.
 */
static void host_args(struct trace_cmd_argv *a, const struct pt_opts *opts)
{
	if (a->v4)
		event_args(a, PT_EVENT_SYSTEM ":" PT_EVENT_NAME, a->filter);
	if (a->v6)
		event_args(a, PT_EVENT_SYSTEM ":" PT_EVENT6_NAME, a->filter6);
	if (a->drops) {
		add(a, "-e");
		add(a, PT_DROP_SYSTEM ":" PT_DROP_EVENT);
		add(a, "-f");
		add(a, pt_drop_filter(a->v4, a->v6));
	}
	add(a, "-C");
	add(a, opts->clock ? opts->clock : PT_DEFAULT_CLOCK);
	if (opts->buffer_kb) {
		add(a, "-b");
		add(a, a->kb);
	}
}

static int fixed_args(struct trace_cmd_argv *a, const struct pt_opts *opts,
		      const char *file)
{
	pt_instance_name(a->instance, sizeof(a->instance));
	add(a, "trace-cmd");
	add(a, "record");
	add(a, "-q");
	add(a, "-B");
	add(a, a->instance);
	if (choose_events(a, opts))
		return -1;
	host_args(a, opts);
	if (kallsyms_missing()) {
		add(a, "--file-version");
		add(a, "6");
	}
	add(a, "-o");
	add(a, file);
	return 0;
}

/*
 * --agent HOST:PORT: what follows -A is the agent's (trace-cmd sends it
 * to the agent on HOST), the same as ours; trace-cmd's ptp time sync
 * puts the offset between the two clocks into our file
 */
static void agent_args(struct trace_cmd_argv *a, const struct pt_opts *opts)
{
	add(a, "-A");
	add(a, opts->agent);
	host_args(a, opts);
}

/*
 * The agent's file, named as trace-cmd names it: FILE's name with
 * "-HOST" before its last '.' (trace.dat, HOST b: trace-b.dat)
 */
static int agent_file(const char *file, const char *agent, char *buf,
		      size_t size)
{
	const char *dot = strrchr(file, '.');
	char host[256];
	int base, n;

	if (pt_parse_agent(agent, host, sizeof(host)))
		return -1;
	base = dot && dot != file ? (int)(dot - file) : (int)strlen(file);
	n = snprintf(buf, size, "%.*s-%s%s", base, file, host, file + base);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/*
 * --stages: the stage events this kernel has, the task events filtered
 * by @pid, the command's (0: none, recording until Ctrl-C: unfiltered)
 */
static void stage_args(struct trace_cmd_argv *a, int pid)
{
	int i;

	pt_stage_events_find(&a->stages, pid);
	pt_stage_events_warn(&a->stages);
	for (i = 0; i < a->stages.n; i++) {
		snprintf(a->stage_names[i], sizeof(a->stage_names[i]), "%s:%s",
			 a->stages.ev[i].system, a->stages.ev[i].name);
		add(a, "-e");
		add(a, a->stage_names[i]);
		if (a->stages.ev[i].filter[0]) {
			add(a, "-f");
			add(a, a->stages.ev[i].filter);
		}
	}
}

/*
 * @pid > 0: the command runs as our child with that pid, so trace-cmd
 * gets no command; else trace-cmd runs opts->command, if any
 */
static int build_argv(struct trace_cmd_argv *a, const struct pt_opts *opts,
		      const char *file, int pid)
{
	int i;

	a->n = 0;
	if (fixed_args(a, opts, file))
		return -1;
	if (opts->stages)
		stage_args(a, pid);
	if (opts->agent)
		agent_args(a, opts);
	for (i = 0; pid <= 0 && opts->command && opts->command[i]; i++) {
		if (i == ARGV_COMMAND) {
			pt_err("command too long (at most %d words)",
			       ARGV_COMMAND);
			return -1;
		}
		add(a, opts->command[i]);
	}
	a->argv[a->n] = NULL;
	return 0;
}

/*
 * trace-cmd record has its instance traced: the event enabled and
 * tracing_on set.  trace-cmd turns tracing off, enables the events,
 * sizes the buffers and turns tracing on last (the order of its
 * record_trace()), so both together mean that it records.  Read with
 * stdio, as the rest of record does before trace-cmd has run.
 */
static int file_says_1(const char *root, const char *instance,
		       const char *file)
{
	char path[256], c = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/instances/%s/%s", root, instance,
		 file);
	fp = fopen(path, "r");
	if (!fp)
		return 0;
	if (fread(&c, 1, 1, fp) != 1)
		c = 0;
	fclose(fp);
	return c == '1';
}

static int instance_recording(const struct trace_cmd_argv *a)
{
	static const char * const roots[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	const char *enable = a->v4 ?
		"events/" PT_EVENT_SYSTEM "/" PT_EVENT_NAME "/enable" :
		"events/" PT_EVENT_SYSTEM "/" PT_EVENT6_NAME "/enable";
	unsigned int i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (file_says_1(roots[i], a->instance, enable) &&
		    file_says_1(roots[i], a->instance, "tracing_on"))
			return 1;
	return 0;
}

/*
 * Poll every RECORD_POLL_NS for up to @limit ns: 1 once @ready (NULL:
 * never) says so, 0 when the time is up, -1 when trace-cmd ended first
 */
static int poll_trace_cmd(const struct trace_cmd_argv *a, struct pt_child *tc,
			  long limit,
			  int (*ready)(const struct trace_cmd_argv *a))
{
	const struct timespec tick = { 0, RECORD_POLL_NS };
	long waited;

	for (waited = 0; waited < limit; waited += RECORD_POLL_NS) {
		if (ready && ready(a))
			return 1;
		if (pt_child_done(tc))
			return -1;
		nanosleep(&tick, NULL);
	}
	return 0;
}

/* 0 once trace-cmd records; -1 (said) when it ended or never started */
static int wait_recording(const struct trace_cmd_argv *a,
			  struct pt_child *tc, long limit)
{
	int ret = poll_trace_cmd(a, tc, limit, instance_recording);

	if (ret > 0)
		return 0;
	if (ret < 0)
		pt_err("trace-cmd record ended before it traced");
	else
		pt_err("trace-cmd record did not start tracing in %ld s",
		       limit / NSEC_PER_SEC);
	return -1;
}

/* --agent: let the agent's tracing come on; -1 (said) if trace-cmd ends */
static int wait_agent(const struct trace_cmd_argv *a, struct pt_child *tc)
{
	if (!poll_trace_cmd(a, tc, AGENT_SETTLE_NS, NULL))
		return 0;
	pt_err("trace-cmd record ended before the agent traced");
	return -1;
}

/*
 * --stages -- COMMAND: the task events are filtered by the pinger's pid,
 * as live filters them, so the command is our child, held before exec
 * until trace-cmd records, and trace-cmd (with no command of its own)
 * is stopped with SIGINT when it ends.  --agent -- COMMAND: held the
 * same way, until the agent records too (RECORD_START_AGENT_NS).
 * Ctrl-C reaches all three: the command and trace-cmd stop, and so does
 * the wait.  trace-cmd's stdout (its "Hit Ctrl^C" line when it runs no
 * command) goes to stderr.
 */
static int record_held(const struct pt_opts *opts, const char *file)
{
	struct trace_cmd_argv a;
	struct pt_child cmd, tc;
	int ret;

	ret = pt_child_start(&cmd, opts->command, PT_CHILD_HELD);
	if (ret) {
		pt_err("cannot fork: %s", strerror(-ret));
		return 1;
	}
	if (build_argv(&a, opts, file, cmd.pid)) {
		pt_child_stop(&cmd);
		return PT_EXIT_USAGE;
	}
	ret = pt_child_start(&tc, a.argv, PT_CHILD_STDOUT_TO_STDERR);
	if (ret) {
		pt_err("cannot run trace-cmd: %s", strerror(-ret));
		pt_child_stop(&cmd);
		return 1;
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	ret = wait_recording(&a, &tc, opts->agent ? RECORD_START_AGENT_NS :
			     RECORD_START_NS);
	if (!ret && opts->agent)
		ret = wait_agent(&a, &tc);
	if (!ret && pt_child_release(&cmd))
		ret = -1;
	if (ret)
		pt_child_stop(&cmd);
	else
		pt_child_wait(&cmd);
	if (tc.pid > 0)
		kill(tc.pid, SIGINT);
	if (pt_child_wait(&tc) && !ret) {
		pt_err("trace-cmd record failed; nothing to report");
		ret = -1;
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return ret ? 1 : 0;
}

int cmd_record(struct pt_opts *opts)
{
	const char *file = opts->output ? opts->output : "trace.dat";
	char agent_path[PATH_MAX];
	struct trace_cmd_argv a;
	int ret;

	if ((opts->stages || opts->agent) && opts->command) {
		ret = record_held(opts, file);
		if (ret)
			return ret;
	} else {
		if (build_argv(&a, opts, file, 0))
			return PT_EXIT_USAGE;
		if (run_trace_cmd(a.argv)) {
			pt_err("trace-cmd record failed; nothing to report");
			return 1;
		}
	}
	opts->input = file;
	if (opts->agent) {
		/* both hosts' files in one timeline, on our clock */
		if (agent_file(file, opts->agent, agent_path,
			       sizeof(agent_path))) {
			pt_err("no name for the agent's file of '%s'", file);
			return 1;
		}
		memset(opts->inputs, 0, 2 * sizeof(opts->inputs[0]));
		opts->inputs[0].path = file;
		opts->inputs[1].path = agent_path;
		opts->nr_inputs = 2;
		opts->agent = NULL;
	}
	opts->output = NULL;
	opts->clock = NULL;
	opts->buffer_kb = 0;
	opts->command = NULL;
	return cmd_report(opts);
}
