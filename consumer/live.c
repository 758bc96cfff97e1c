// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace live: stream net:ip_icmp and net:ip6_icmp from a tracefs
 * instance of our own.
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
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "child.h"
#include "drop.h"
#include "instance.h"
#include "ksym.h"
#include "ring.h"
#include "pingtrace.h"
#include "session.h"
#include "stage-events.h"

#define PT_XSTR(x)		#x
#define PT_STR(x)		PT_XSTR(x)
#define NSEC_PER_SEC		1000000000ULL
#define NSEC_PER_MSEC		1000000L
/*
 * The ring buffer is drained every POLL_MIN_NS while events flow, backing
 * off to POLL_MAX_NS when idle: at 50 ms a veth flood under QEMU overran
 * a 16 KB buffer with three events lost in four (make bench).
 */
#define POLL_MIN_NS		(1L * NSEC_PER_MSEC)
#define POLL_MAX_NS		(50L * NSEC_PER_MSEC)
#define DEFAULT_TIMEOUT_NS	(10 * NSEC_PER_SEC)
/*
 * Records handed over at a time, between two looks at the timeouts and
 * the command (and, without the reader threads, read-outs of the
 * kernel's buffer): 64 net:ip_icmp records take about 1 ms of a vCPU
 * under TCG, when a 16 KB buffer a CPU holds about 180 and a veth flood
 * fills it in 10 ms
 */
#define CAPTURE_EVERY		64
/*
 * The ring buffer's counters are read when a page says events were
 * lost before it, and at least this often (a loss no page marks: the
 * buffer full without overwrite).  Reading them at every batch cost a
 * few percent of the pairing thread under a flood, in the kernel's
 * formatting of the stats files.  A record after a loss waits for its
 * count as long as a request waits for its reply (holdoff_ns).
 */
#define LOSS_CHECK_NS		(10L * NSEC_PER_MSEC)
/* How much lower the decoding and pairing thread runs than the reader */
#define LIVE_NICE		10
/* How often the ring buffer's entries are compared with what was read */
#define GHOST_CHECK_NS		(10L * NSEC_PER_MSEC)
/* /proc/PID/comm of a pid the ring buffer has no comm for */
#define PROC_PATH_MAX		64
#define PROC_COMM_MAX		32
/* A record shorter than its common header has no pid (tep_data_pid()) */
#define COMMON_HEADER_SIZE	8

struct live {
	struct pt_opts			*opts;
	struct pt_instance		pi;
	struct tep_handle		*tep;
	struct pt_session		s;
	struct pt_output		out;
	struct pt_child			child;
	const char			*clock;
	clockid_t			clockid;	/* -1: no such clock */
	uint64_t			last_trace;	/* ts of the newest event */
	uint64_t			last_mono;	/* and when it was read */
	unsigned long long		nr_read;	/* records drained */
	long				poll_ns;	/* sleep between drains */
	int				drops;		/* skb:kfree_skb enabled */
	int				v4, v6;		/* events on */
	struct pt_ring			ring;		/* the instance's buffer */
	long long			*entries;	/* per CPU, from stats */
	int				*idle;		/* per CPU, pt_ring_idle() */
	unsigned long long		ghosts;		/* pt_ring_ghosts() */
	uint64_t			ghost_mono;	/* when last looked */
	uint64_t			loss_mono;	/* at the counters */
	int				recent_pid[2];	/* learn_comm(): known */
	int				recent_next;
	struct pt_ksyms			ksyms;		/* drops' locations */
	int				ksyms_tried;
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
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
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

/*
 * skb:kfree_skb has no addresses, so -t cannot filter it in the kernel:
 * every drop of the families traced (IPv4, IPv6 or both: by protocol)
 * reaches our buffer, the cost of knowing where an echo died (-D turns
 * it off).  A kernel without the event, or
 * a drop decoder that does not know its format, goes on without drops.
 */
/*
 * A drop's location as a symbol, as trace-cmd report gives it: from the
 * kernel's own list, read at the first drop that needs it (parsing it
 * costs too much to do at every start).  Without it (no CONFIG_KALLSYMS)
 * locations stay addresses.
 */
static const char *live_ksym(void *data, uint64_t addr)
{
	struct live *l = data;
	int ret;

	if (!l->ksyms_tried) {
		l->ksyms_tried = 1;
		ret = pt_ksyms_load(&l->ksyms, "/proc/kallsyms");
		if (ret)
			pt_warn("cannot read /proc/kallsyms (%s): drop locations "
				"are addresses", strerror(-ret));
	}
	return pt_ksyms_find(&l->ksyms, addr);
}

static int setup_drops(struct live *l)
{
	if (l->opts->no_drops)
		return 0;
	if (!l->s.ddec.event) {
		pt_warn("no usable %s:%s event: kernel drops are not shown",
			PT_DROP_SYSTEM, PT_DROP_EVENT);
		return 0;
	}
	if (pt_instance_enable(&l->pi, PT_DROP_SYSTEM, PT_DROP_EVENT,
			       pt_drop_filter(l->v4, l->v6)))
		return -1;
	l->drops = 1;
	l->s.ddec.resolve = live_ksym;
	l->s.ddec.resolve_data = l;
	return 0;
}

/*
 * net:ip_icmp for IPv4 targets (or none), net:ip6_icmp for IPv6 ones
 * where the kernel has it: pt_instance_families() says when it has not
 */
static int setup_event(struct live *l)
{
	const struct pt_targets *t = &l->opts->targets;
	char filter[PT_FILTER_MAX];

	pt_instance_families(t, &l->v4, &l->v6);
	if (!l->s.dec.event)
		l->v4 = 0;	/* a kernel with the IPv6 event alone */
	if (l->v6 && !l->s.dec6.event)
		l->v6 = 0;
	if (!l->v4 && !l->v6) {
		pt_err("nothing to trace: this kernel has no event for the "
		       "targets' family");
		return -1;
	}
	if (l->v4 && (pt_instance_filter(t, filter, sizeof(filter)) ||
		      pt_instance_enable(&l->pi, PT_EVENT_SYSTEM,
					 PT_EVENT_NAME, filter)))
		return -1;
	if (l->v6 && (pt_instance_filter6(t, filter, sizeof(filter)) ||
		      pt_instance_enable(&l->pi, PT_EVENT_SYSTEM,
					 PT_EVENT6_NAME, filter)))
		return -1;
	return setup_drops(l);
}

static int open_ring(struct live *l)
{
	int ret;

	/* the reader thread's wake-up; without it (old kernels), its timer */
	tracefs_instance_file_write(l->pi.inst, "buffer_percent",
				    PT_STR(PT_RING_BUFFER_PERCENT));
	ret = pt_ring_open(&l->ring, l->pi.inst, l->tep);

	if (!ret) {
		l->entries = calloc(l->ring.nr_cpus, sizeof(*l->entries));
		l->idle = calloc(l->ring.nr_cpus, sizeof(*l->idle));
		if (!l->entries || !l->idle)
			ret = -ENOMEM;
	}
	if (ret)
		pt_err("cannot open the ring buffer of instance '%s': %s",
		       l->pi.name, strerror(-ret));
	return ret;
}

/*
 * --stages: every stage event before COMMAND starts, then (@pid) the
 * task events filtered by its pid, set a few microseconds after the
 * fork: enabled only then, the first echo's lost them in the VM
 */
static int enable_stages(struct live *l, int pid)
{
	struct pt_stage_events se;
	int i;

	if (!l->opts->stages)
		return 0;
	pt_stage_events_find(&se, pid);
	if (!pid)
		pt_stage_events_warn(&se);
	for (i = 0; i < se.n; i++)
		if ((!pid || se.ev[i].task) &&
		    pt_instance_enable(&l->pi, se.ev[i].system, se.ev[i].name,
				       se.ev[i].filter))
			return -1;
	return 0;
}

static int session_error(int ret, const struct pt_session *s)
{
	if (ret == -ENOMEM)
		pt_err("cannot start: %s", strerror(-ret));
	else if (s->dec.status == PT_FORMAT_NO_EVENT)
		pt_err("this kernel has no net:ip_icmp event: see the README "
		       "section \"%s\" (pingtrace check)", PT_README_SECTION);
	else
		pt_err("net:ip_icmp (or ip6_icmp) field '%s' is missing or "
		       "has an unexpected size", s->dec.bad_field);
	return -1;
}

static int setup_session(struct live *l)
{
	/* syscalls' hundreds of formats only when they are of use */
	const char * const systems[] = { PT_EVENT_SYSTEM, PT_DROP_SYSTEM, NULL };
	const char * const stage_systems[] = { PT_EVENT_SYSTEM, PT_DROP_SYSTEM,
					       "sched", "syscalls", NULL };
	struct pt_pair_config cfg;
	int ret;

	l->tep = tracefs_local_events_system(NULL, l->opts->stages ?
					     stage_systems : systems);
	if (!l->tep) {
		pt_err("cannot read the event formats: %s", strerror(errno));
		return -1;
	}
	tracefs_load_cmdlines(NULL, l->tep);
	pt_pair_config_default(&cfg);
	cfg.timeout_ns = l->opts->timeout_ns ? l->opts->timeout_ns :
			 DEFAULT_TIMEOUT_NS;
	cfg.loss_window_ns = cfg.timeout_ns;
	/*
	 * A record the kernel kept from our reads is counted later, by
	 * note_ghosts(), at the latest when tracing stops: a reply whose
	 * request it was waits for that count as long as a request waits
	 * for its reply, to end "unknown", not "unmatched"
	 */
	cfg.holdoff_ns = cfg.timeout_ns;
	ret = pt_session_init(&l->s, l->tep, &l->opts->targets, &cfg, &l->out);
	if (!ret && (l->opts->stages || l->opts->slow_ns))
		ret = pt_session_stages(&l->s, l->opts->stages);
	if (ret)
		return session_error(ret, &l->s);
	l->s.ignore_missed = 1;
	return 0;
}

/* Events the kernel's buffer lost, counted before a record at @ts */
static void note_losses(struct live *l, uint64_t ts)
{
	long long n = pt_instance_new_losses(&l->pi);

	l->loss_mono = clock_ns(CLOCK_MONOTONIC);
	if (n)
		pt_session_events_lost(&l->s, ts, n);
}

/* The counters, if not read for LOSS_CHECK_NS */
static void check_losses(struct live *l)
{
	if (clock_ns(CLOCK_MONOTONIC) - l->loss_mono >= LOSS_CHECK_NS)
		note_losses(l, trace_now(l));
}

/*
 * Right after a drain: records the kernel still counts but will never
 * hand over (pt_ring_ghosts()), at most every GHOST_CHECK_NS, and once
 * more, @final, when tracing is off and the last drain is done
 */
static void note_ghosts(struct live *l, int final)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	unsigned long long n;

	if (!final && now - l->ghost_mono < GHOST_CHECK_NS)
		return;
	l->ghost_mono = now;
	pt_instance_entries(&l->pi, l->entries, l->ring.nr_cpus);
	pt_ring_idle(&l->ring, l->idle);
	n = pt_ring_ghosts(&l->ring, l->entries, l->idle, final);
	if (!n)
		return;
	l->ghosts += n;
	pt_session_events_lost(&l->s, trace_now(l), (long long)n);
}

/*
 * Unknown pids (the ring buffer has no comm): ask /proc once.  The last
 * two pids known are kept, as the decoder keeps their comms: a flood is
 * one pid after another, or two in turn.
 */
static void learn_comm(struct live *l, const struct tep_record *record)
{
	int pid = tep_data_pid(l->tep, (struct tep_record *)record);
	char path[PROC_PATH_MAX], comm[PROC_COMM_MAX] = "";
	FILE *fp;

	if (pid <= 0 || pid == l->recent_pid[0] || pid == l->recent_pid[1])
		return;
	l->recent_pid[l->recent_next] = pid;
	l->recent_next ^= 1;
	if (tep_is_pid_registered(l->tep, pid))
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
	int icmp = event == l->s.dec.event || event == l->s.dec6.event;

	(void)cpu;
	l->nr_read++;
	/* the page says the kernel lost events before it: count them now */
	if (record->missed_events)
		note_losses(l, record->ts);
	if (!icmp && event != l->s.ddec.event && !l->s.stages)
		return 0;
	/*
	 * Only the ICMP events' lines show a comm.  A drop's pid is whatever
	 * task the softirq interrupted: asking /proc for each would cost a
	 * read and a comm kept per task, growing with the trace.
	 */
	if (icmp && record->size >= COMMON_HEADER_SIZE)
		learn_comm(l, record);
	l->last_trace = record->ts;
	return pt_session_record(&l->s, record) ? 1 : 0;
}

/*
 * The ring's reader thread reads the kernel's buffer out into its
 * queue (pt_ring_start_reader()); here its records are handed over
 * CAPTURE_EVERY at a time: the pairing may fall behind a flood, the
 * buffer is emptied all the same.  Without the thread, the buffer is
 * read out here between.  Until every record read is handed over, or
 * a stop signal (then the final drain does it).  Losses are noted
 * before the record that follows them where a page marks them
 * (live_record()), else before a batch: what the ring buffer overwrote
 * is older than anything left in it.
 */
static int drain(struct live *l, int final)
{
	unsigned long long before;

	do {
		check_losses(l);
		if (!l->ring.reader_on)
			pt_ring_capture(&l->ring);
		before = l->nr_read;
		pt_ring_drain_max(&l->ring, live_record, l, CAPTURE_EVERY);
		/* trace_now(): when the newest record was read, about */
		if (l->nr_read != before)
			l->last_mono = clock_ns(CLOCK_MONOTONIC);
		if (l->out.err)
			return l->out.err;
	} while (pt_ring_pending(&l->ring) && (final || !stop_signal));
	if (final)
		note_losses(l, trace_now(l));
	note_ghosts(l, final);
	return l->out.err;
}

/* With -F json or csv the command's output goes to stderr, not ours */
static int start_child(struct live *l)
{
	unsigned int flags = l->opts->format == PT_FMT_TEXT ? 0 :
			     PT_CHILD_STDOUT_TO_STDERR;
	int ret = pt_child_start(&l->child, l->opts->command, flags);

	if (ret)
		pt_err("cannot fork: %s", strerror(-ret));
	return ret;
}

/*
 * Sooner when the last drain found records, later when it did not;
 * with the reader thread, until it queued pages, or POLL_MAX_NS for the
 * timeouts and the command's end
 */
static void wait_a_little(struct live *l, unsigned long long nr_before)
{
	struct timespec ts = { 0, 0 };

	if (l->ring.reader_on) {
		pt_ring_wait(&l->ring, POLL_MAX_NS / NSEC_PER_MSEC);
		return;
	}
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
	char filter[PT_FILTER_MAX] = "", filter6[PT_FILTER_MAX] = "";
	char v4[PT_FILTER_MAX + 32] = "", v6[PT_FILTER_MAX + 32] = "";

	if (l->opts->format != PT_FMT_TEXT || l->opts->quiet)
		return;
	if (l->v4) {
		pt_instance_filter(&l->opts->targets, filter, sizeof(filter));
		snprintf(v4, sizeof(v4), "net:ip_icmp%s%s",
			 filter[0] ? " where " : "", filter);
	}
	if (l->v6) {
		pt_targets_filter6(&l->opts->targets, filter6,
				   sizeof(filter6));
		snprintf(v6, sizeof(v6), "%snet:ip6_icmp%s%s",
			 l->v4 ? ", " : "", filter6[0] ? " where " : "",
			 filter6);
	}
	fprintf(stderr, "pingtrace: tracing %s%s%s%s (clock %s, %s); "
		"Ctrl-C to stop\n", v4, v6,
		l->drops ? " and skb:kfree_skb where " : "",
		l->drops ? pt_drop_filter(l->v4, l->v6) : "",
		l->clock, l->out.wall ? "wall clock times" :
		"times in seconds of the trace clock");
}

/*
 * With the reader thread emptying the kernel's buffer, decoding and
 * pairing can wait: this thread (nice is a thread's on Linux; the
 * reader, started before, keeps the caller's) runs at LIVE_NICE more
 * than it was, so that it takes the CPU the traced workload leaves,
 * and what it has not handed over waits in the ring's queue.  Failing
 * (a limit), it stays as it was.
 */
static void defer_work(void)
{
	errno = 0;
	if (nice(LIVE_NICE) == -1 && errno)
		pt_warn("cannot lower the pairing's priority: %s",
			strerror(errno));
}

/*
 * Before the command starts, so that its first events find their
 * reader ready
 */
static void start_readers(struct live *l)
{
	struct pt_ring *r = &l->ring;
	int ret = pt_ring_start_reader(r);

	if (ret) {
		pt_warn("cannot start the ring buffer's reader threads (%s): "
			"reading it between records", strerror(-ret));
		return;
	}
	if (r->nr_not_rt)
		pt_warn("the ring buffer's readers run without real-time "
			"priority (SCHED_FIFO refused): a flood may overrun "
			"the buffer sooner (the events lost are counted)");
	if (r->nr_unpinned)
		pt_warn("%d of the ring buffer's readers cannot run on their "
			"CPU: a flood may overrun the buffer sooner (the events "
			"lost are counted)", r->nr_unpinned);
}

static void run(struct live *l)
{
	int has_child = l->opts->command != NULL;
	unsigned long long nr_before;

	l->poll_ns = POLL_MIN_NS;
	if (l->ring.reader_on)
		defer_work();
	while (!stop_signal) {
		nr_before = l->nr_read;
		if (drain(l, 0))
			return;
		pt_session_expire(&l->s, trace_now(l));
		/* Lines as they happen, also into a pipe or a file */
		if (pt_output_flush(&l->out))
			return;
		if (has_child && pt_child_done(&l->child))
			break;
		wait_a_little(l, nr_before);
	}
	/* What is still in the buffer happened before we stopped */
	tracefs_trace_off(l->pi.inst);
	pt_ring_stop_reader(&l->ring);
	drain(l, 1);
}

static void cleanup(struct live *l)
{
	pt_child_stop(&l->child);
	pt_ring_close(&l->ring);
	free(l->entries);
	free(l->idle);
	pt_instance_destroy(&l->pi);
	pt_session_release(&l->s);
	pt_ksyms_release(&l->ksyms);
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

int cmd_live(struct pt_opts *opts)
{
	struct live l = { .opts = opts, .clockid = (clockid_t)-1 };
	int ret = 1;

	l.clock = opts->clock ? opts->clock : PT_DEFAULT_CLOCK;
	pt_output_init(&l.out, stdout, opts->format);
	l.out.quiet = opts->quiet;
	l.out.events = opts->events;
	l.out.all = opts->all;
	l.out.slow_ns = opts->slow_ns;
	catch_signals();

	if (check_root() || setup_session(&l) ||
	    pt_instance_create(&l.pi, l.clock, opts->buffer_kb))
		goto out;
	setup_wall_clock(&l);
	if (setup_event(&l) || enable_stages(&l, 0) || open_ring(&l))
		goto out;
	banner(&l);
	start_readers(&l);
	if (opts->command && start_child(&l))
		goto out;
	if (opts->command && enable_stages(&l, l.child.pid))
		goto out;
	run(&l);
	if (!l.out.err)
		pt_session_finish(&l.s);
	if (l.s.nr_bad)
		pt_warn("%llu malformed net:ip_icmp records skipped",
			l.s.nr_bad);
	if (l.ring.nr_unknown)
		pt_warn("%llu records of no known event skipped",
			l.ring.nr_unknown);
	if (l.ring.most_queued >= l.ring.max_queued)
		pt_warn("the pairing fell %lu MB behind the kernel's buffer, "
			"which then overran (the events lost are counted)",
			(unsigned long)(PT_RING_QUEUE_MAX >> 20));
	if (l.ring.nr_unanswered)
		pt_warn("%llu times a CPU's reader did not read its buffer "
			"within %d ms of being asked: records of other CPUs "
			"may have been handed over before older ones of its",
			l.ring.nr_unanswered, PT_RING_ASK_MS);
	if (l.ghosts)
		pt_warn("the kernel's ring buffer kept %llu records from us "
			"(counted in its entries, never read): counted as lost",
			l.ghosts);
	ret = pt_exit_write_error(l.out.err);
out:
	cleanup(&l);
	return ret;
}
