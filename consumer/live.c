// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace live: stream net:ip_icmp from a tracefs instance of our own.
 *
 * The instance (pingtrace-PID) holds all our state in the kernel: the
 * event is enabled and filtered there only, so the top instance and
 * other users' instances are never touched.  Removing it on the way out
 * leaves tracing as it was.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "pingtrace.h"
#include "session.h"

/*
 * The ring buffer is drained every POLL_MIN_NS while events flow, backing
 * off to POLL_MAX_NS when idle: at 50 ms a veth flood under QEMU overran
 * a 16 KB buffer with three events lost in four (make bench).
 */
#define POLL_MIN_NS		(1 * 1000 * 1000)
#define POLL_MAX_NS		(50 * 1000 * 1000)
#define DEFAULT_TIMEOUT_NS	(10ULL * 1000000000ULL)
#define FILTER_MAX		4096

struct live {
	struct pt_opts			*opts;
	struct tracefs_instance		*inst;
	struct tep_handle		*tep;
	struct pt_session		s;
	struct pt_output		out;
	const char			*clock;
	clockid_t			clockid;	/* -1: no such clock */
	uint64_t			last_trace;	/* ts of the newest event */
	uint64_t			last_mono;	/* and when it was read */
	long long			overrun;	/* ring buffer losses */
	unsigned long long		nr_read;	/* records drained */
	long				poll_ns;	/* sleep between drains */
	pid_t				child;
	int				child_status;
};

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static clockid_t trace_clock_id(const char *name)
{
	if (!strcmp(name, "boot"))
		return CLOCK_BOOTTIME;
	if (!strcmp(name, "mono"))
		return CLOCK_MONOTONIC;
	if (!strcmp(name, "mono_raw"))
		return CLOCK_MONOTONIC_RAW;
	if (!strcmp(name, "tai"))
		return CLOCK_TAI;
	return (clockid_t)-1;
}

/* Wall clock = trace clock + offset, for clocks that map to a clockid */
static void setup_wall_clock(struct live *l)
{
	uint64_t r1, c, r2;

	l->clockid = trace_clock_id(l->clock);
	if (l->clockid == (clockid_t)-1)
		return;
	r1 = clock_ns(CLOCK_REALTIME);
	c = clock_ns(l->clockid);
	r2 = clock_ns(CLOCK_REALTIME);
	l->out.offset = (long long)(r1 / 2 + r2 / 2 - c);
	l->out.wall = 1;
}

/* The trace clock's "now": read directly, or extrapolated */
static uint64_t trace_now(const struct live *l)
{
	if (l->clockid != (clockid_t)-1)
		return clock_ns(l->clockid);
	return l->last_trace + (clock_ns(CLOCK_MONOTONIC) - l->last_mono);
}

static int clock_available(struct live *l)
{
	char *list = tracefs_instance_file_read(l->inst, "trace_clock", NULL);
	char *tok, *save = NULL;
	int found = 0;

	for (tok = list ? strtok_r(list, " []\n", &save) : NULL; tok && !found;
	     tok = strtok_r(NULL, " []\n", &save))
		found = !strcmp(tok, l->clock);
	free(list);
	return found;
}

static int setup_instance(struct live *l)
{
	char name[64];

	snprintf(name, sizeof(name), "pingtrace-%d", (int)getpid());
	l->inst = tracefs_instance_create(name);
	if (!l->inst) {
		pt_err("cannot create tracefs instance '%s': %s", name,
		       strerror(errno));
		return -1;
	}
	if (!tracefs_instance_is_new(l->inst)) {
		pt_err("tracefs instance '%s' already exists", name);
		tracefs_instance_free(l->inst);
		l->inst = NULL;
		return -1;
	}
	if (!clock_available(l)) {
		pt_err("trace clock '%s' is not available", l->clock);
		return -1;
	}
	if (l->opts->buffer_kb &&
	    tracefs_instance_set_buffer_size(l->inst, l->opts->buffer_kb, -1)) {
		pt_err("cannot set the buffer size to %lu KB: %s",
		       l->opts->buffer_kb, strerror(errno));
		return -1;
	}
	if (tracefs_instance_file_write(l->inst, "trace_clock", l->clock) < 0) {
		pt_err("cannot set trace clock '%s': %s", l->clock,
		       strerror(errno));
		return -1;
	}
	return 0;
}

static int setup_event(struct live *l)
{
	char filter[FILTER_MAX];
	int ret;

	ret = pt_targets_filter(&l->opts->targets, pt_host_big_endian(),
				filter, sizeof(filter));
	if (ret < 0) {
		pt_err("event filter too long");
		return -1;
	}
	if (ret > 0 && tracefs_event_file_write(l->inst, PT_EVENT_SYSTEM,
						PT_EVENT_NAME, "filter",
						filter) < 0) {
		pt_err("cannot set the filter '%s': %s", filter,
		       strerror(errno));
		return -1;
	}
	if (tracefs_event_enable(l->inst, PT_EVENT_SYSTEM, PT_EVENT_NAME)) {
		pt_err("cannot enable net:ip_icmp: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int session_error(int ret, const struct pt_session *s)
{
	if (ret == -ENOENT && !s->dec.event)
		pt_err("this kernel has no net:ip_icmp event: see the README "
		       "section \"%s\" (pingtrace check)", PT_README_SECTION);
	else if (s->dec.bad_field)
		pt_err("net:ip_icmp field '%s' is missing or has an unexpected "
		       "size", s->dec.bad_field);
	else
		pt_err("cannot start: %s", strerror(-ret));
	return -1;
}

static int setup_session(struct live *l)
{
	const char * const systems[] = { PT_EVENT_SYSTEM, NULL };
	struct pt_pair_config cfg;
	int ret;

	l->tep = tracefs_local_events_system(NULL, systems);
	if (!l->tep) {
		pt_err("cannot read the event formats: %s", strerror(errno));
		return -1;
	}
	tracefs_load_cmdlines(NULL, l->tep);
	pt_pair_config_default(&cfg);
	cfg.timeout_ns = l->opts->timeout_ns ? l->opts->timeout_ns :
			 DEFAULT_TIMEOUT_NS;
	cfg.loss_window_ns = cfg.timeout_ns;
	ret = pt_session_init(&l->s, l->tep, &l->opts->targets, &cfg, &l->out);
	if (ret)
		return session_error(ret, &l->s);
	l->s.ignore_missed = 1;
	return 0;
}

static long long stat_value(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? atoll(p + strlen(key)) : 0;
}

/* Events the ring buffer overwrote or dropped, all CPUs */
static long long read_overrun(struct live *l)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	long long sum = 0;
	char file[64];
	char *text;
	long cpu;

	for (cpu = 0; cpu < ncpu; cpu++) {
		snprintf(file, sizeof(file), "per_cpu/cpu%ld/stats", cpu);
		text = tracefs_instance_file_read(l->inst, file, NULL);
		if (!text)
			continue;
		sum += stat_value(text, "overrun:");
		sum += stat_value(text, "dropped events:");
		free(text);
	}
	return sum;
}

static void note_losses(struct live *l)
{
	long long now = read_overrun(l);

	if (now > l->overrun) {
		pt_session_events_lost(&l->s, now - l->overrun);
		l->overrun = now;
	}
}

/* Unknown pids (the ring buffer has no comm): ask /proc once */
static void learn_comm(struct live *l, const struct tep_record *record)
{
	int pid = tep_data_pid(l->tep, (struct tep_record *)record);
	char path[64], comm[32] = "";
	FILE *fp;

	if (pid <= 0 || tep_is_pid_registered(l->tep, pid))
		return;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fp = fopen(path, "r");
	if (fp) {
		if (fgets(comm, sizeof(comm), fp))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(fp);
	}
	tep_register_comm(l->tep, comm[0] ? comm : "<...>", pid);
}

static int live_record(struct tep_event *event, struct tep_record *record,
		       int cpu, void *data)
{
	struct live *l = data;

	(void)cpu;
	l->nr_read++;
	if (event != l->s.dec.event)
		return 0;
	if (record->size >= 8)
		learn_comm(l, record);
	l->last_trace = record->ts;
	l->last_mono = clock_ns(CLOCK_MONOTONIC);
	return pt_session_record(&l->s, record) ? 1 : 0;
}

/*
 * Losses are noted before the records still in the buffer are read:
 * what the ring buffer overwrote is older than anything left in it.
 */
static int drain(struct live *l)
{
	note_losses(l);
	tracefs_iterate_raw_events(l->tep, l->inst, NULL, 0, live_record, l);
	return l->out.err;
}

static int start_child(struct live *l)
{
	l->child = fork();
	if (l->child < 0) {
		pt_err("cannot fork: %s", strerror(errno));
		return -1;
	}
	if (!l->child) {
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(l->opts->command[0], l->opts->command);
		fprintf(stderr, "pingtrace: cannot run '%s': %s\n",
			l->opts->command[0], strerror(errno));
		_exit(127);
	}
	return 0;
}

static int child_done(struct live *l)
{
	if (l->child <= 0)
		return 0;
	if (waitpid(l->child, &l->child_status, WNOHANG) != l->child)
		return 0;
	l->child = 0;
	return 1;
}

static void stop_child(struct live *l)
{
	if (l->child <= 0)
		return;
	kill(l->child, SIGTERM);
	waitpid(l->child, &l->child_status, 0);
	l->child = 0;
}

/* Sooner when the last drain found records, later when it did not */
static void wait_a_little(struct live *l, unsigned long long nr_before)
{
	struct timespec ts = { 0, 0 };

	if (l->nr_read != nr_before)
		l->poll_ns = POLL_MIN_NS;
	else if (l->poll_ns < POLL_MAX_NS / 2)
		l->poll_ns *= 2;
	else
		l->poll_ns = POLL_MAX_NS;
	ts.tv_nsec = l->poll_ns;
	nanosleep(&ts, NULL);
}

static void banner(struct live *l)
{
	char filter[FILTER_MAX] = "";

	if (l->opts->format != PT_FMT_TEXT || l->opts->quiet)
		return;
	pt_targets_filter(&l->opts->targets, pt_host_big_endian(), filter,
			  sizeof(filter));
	fprintf(stderr, "pingtrace: tracing net:ip_icmp%s%s (clock %s, %s); "
		"Ctrl-C to stop\n", filter[0] ? " where " : "", filter,
		l->clock, l->out.wall ? "wall clock times" :
		"times in seconds of the trace clock");
}

static void run(struct live *l)
{
	int has_child = l->opts->command != NULL;
	unsigned long long nr_before;

	l->poll_ns = POLL_MIN_NS;
	while (!stop_signal) {
		nr_before = l->nr_read;
		if (drain(l))
			return;
		pt_session_expire(&l->s, trace_now(l));
		/* Lines as they happen, also into a pipe or a file */
		if (pt_output_flush(&l->out))
			return;
		if (has_child && child_done(l))
			break;
		wait_a_little(l, nr_before);
	}
	/* What is still in the buffer happened before we stopped */
	tracefs_trace_off(l->inst);
	drain(l);
}

static void cleanup(struct live *l)
{
	stop_child(l);
	if (l->inst) {
		tracefs_event_disable(l->inst, NULL, NULL);
		tracefs_instance_destroy(l->inst);
		tracefs_instance_free(l->inst);
	}
	pt_session_release(&l->s);
	tep_free(l->tep);
}

static int check_root(void)
{
	if (!tracefs_tracing_dir()) {
		pt_err("tracefs is not mounted (mount -t tracefs nodev "
		       "/sys/kernel/tracing)");
		return -1;
	}
	if (geteuid() != 0) {
		pt_err("live tracing needs root");
		return -1;
	}
	return 0;
}

static int check_options(const struct pt_opts *opts)
{
	if (opts->input || opts->output) {
		pt_err("live reads no file and writes none; see record and "
		       "report");
		return -1;
	}
	return 0;
}

int cmd_live(struct pt_opts *opts)
{
	struct live l = { .opts = opts, .clockid = (clockid_t)-1 };
	int ret = 1;

	if (check_options(opts))
		return 2;
	l.clock = opts->clock ? opts->clock : "boot";
	pt_output_init(&l.out, stdout, opts->format);
	l.out.quiet = opts->quiet;
	l.out.events = opts->events;
	catch_signals();

	if (check_root() || setup_session(&l) || setup_instance(&l))
		goto out;
	setup_wall_clock(&l);
	if (setup_event(&l))
		goto out;
	banner(&l);
	if (opts->command && start_child(&l))
		goto out;
	run(&l);
	if (!l.out.err)
		pt_session_finish(&l.s);
	ret = pt_exit_write_error(l.out.err);
out:
	cleanup(&l);
	return ret;
}
