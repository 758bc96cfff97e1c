// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace's tracefs instance.  live creates and reads it itself;
 * record has trace-cmd create one of the same name (-B) with the same
 * filter.  Errors are said here, in one line each, and returned as -1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tracefs.h>

#include "instance.h"
#include "pingtrace.h"

/* The name of a CPU's stats file, "per_cpu/cpuN/stats" */
#define STATS_PATH_MAX		64
/* Its text: seven or eight lines of about 30 characters */
#define STATS_TEXT_MAX		1024
/* A line of an event's format file; the print fmt line may be longer */
#define FORMAT_LINE_MAX		256

void pt_instance_name(char *buf, size_t size)
{
	snprintf(buf, size, "pingtrace-%d", (int)getpid());
}

/*
 * The running kernel's net:ip_icmp quotes the datagram of an ICMP error.
 * Read with stdio at the usual places, not libtracefs: record calls this
 * before trace-cmd runs, and libtracefs looking for tracefs in a mount
 * namespace without /proc made trace-cmd's own look fail ("Clock boot is
 * not supported", seen in the VM's no-kallsyms case).
 */
static int format_has_orig(void)
{
	static const char * const paths[] = {
		"/sys/kernel/tracing/events/net/ip_icmp/format",
		"/sys/kernel/debug/tracing/events/net/ip_icmp/format",
	};
	char line[FORMAT_LINE_MAX];
	unsigned int i;
	int found = 0;
	FILE *fp;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]) && !found; i++) {
		fp = fopen(paths[i], "r");
		if (!fp)
			continue;
		while (!found && fgets(line, sizeof(line), fp))
			found = strstr(line, "orig_daddr") != NULL;
		fclose(fp);
	}
	return found;
}

/*
 * The running kernel has net:@event, stat() at the usual places (as
 * format_has_orig(), before trace-cmd runs)
 */
int pt_instance_have_event(const char *event)
{
	static const char * const roots[] = {
		"/sys/kernel/tracing/events/" PT_EVENT_SYSTEM "/",
		"/sys/kernel/debug/tracing/events/" PT_EVENT_SYSTEM "/",
	};
	char path[FORMAT_LINE_MAX];
	struct stat st;
	unsigned int i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", roots[i], event);
		if (!stat(path, &st))
			return 1;
	}
	return 0;
}

/*
 * Which of net:ip_icmp and net:ip6_icmp to enable: those of a family
 * with a target (both without -t), and only those the kernel has.  Says
 * once when the kernel has no net:ip6_icmp and that was wanted.
 */
void pt_instance_families(const struct pt_targets *t, int *v4, int *v6)
{
	*v4 = !t->nr || pt_targets_count(t, AF_INET);
	*v6 = !t->nr || pt_targets_count(t, AF_INET6);
	if (*v6 && !pt_instance_have_event(PT_EVENT6_NAME)) {
		if (pt_targets_count(t, AF_INET6))
			pt_warn("this kernel has no net:%s: IPv6 targets "
				"are not traced", PT_EVENT6_NAME);
		else
			pt_warn("this kernel has no net:%s: IPv4 only",
				PT_EVENT6_NAME);
		*v6 = 0;
	}
}

/* net:ip6_icmp's filter of @t ("" for none); -1 when it is too long */
int pt_instance_filter6(const struct pt_targets *t, char *buf, size_t size)
{
	if (pt_targets_filter6(t, buf, size) < 0) {
		pt_err("event filter too long: too many IPv6 targets");
		return -1;
	}
	return 0;
}

/*
 * The in-kernel filter of @t ("" for none), letting through the errors
 * that quote a target where the format can say so; -1 when it is too
 * long
 */
int pt_instance_filter(const struct pt_targets *t, char *buf, size_t size)
{
	int orig = t->nr && format_has_orig();

	if (pt_targets_filter_orig(t, pt_host_big_endian(), orig, buf,
				   size) < 0) {
		pt_err("event filter too long");
		return -1;
	}
	return 0;
}

static int clock_available(struct pt_instance *pi, const char *clock)
{
	char *list = tracefs_instance_file_read(pi->inst, "trace_clock", NULL);
	char *tok, *save = NULL;
	int found = 0;

	for (tok = list ? strtok_r(list, " []\n", &save) : NULL; tok && !found;
	     tok = strtok_r(NULL, " []\n", &save))
		found = !strcmp(tok, clock);
	free(list);
	return found;
}

static int new_instance(struct pt_instance *pi)
{
	pt_instance_name(pi->name, sizeof(pi->name));
	pi->inst = tracefs_instance_create(pi->name);
	if (!pi->inst) {
		pt_err("cannot create tracefs instance '%s': %s", pi->name,
		       strerror(errno));
		return -1;
	}
	if (!tracefs_instance_is_new(pi->inst)) {
		pt_err("tracefs instance '%s' already exists", pi->name);
		/* someone else's: freed, not destroyed */
		tracefs_instance_free(pi->inst);
		pi->inst = NULL;
		return -1;
	}
	return 0;
}

/*
 * Each configured CPU's stats file, opened once and read again from its
 * start: -1 where it cannot be opened, said once, since that CPU's
 * losses cannot be counted
 */
static int open_stats(struct pt_instance *pi)
{
	char file[STATS_PATH_MAX];
	int cpu, unreadable = 0;
	char *path;

	pi->nr_stats = sysconf(_SC_NPROCESSORS_CONF);
	if (pi->nr_stats < 1)
		pi->nr_stats = 1;
	pi->stats_fd = calloc(pi->nr_stats, sizeof(*pi->stats_fd));
	if (!pi->stats_fd) {
		pi->nr_stats = 0;
		pt_err("cannot allocate the stats files' table");
		return -1;
	}
	for (cpu = 0; cpu < pi->nr_stats; cpu++) {
		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		path = tracefs_instance_get_file(pi->inst, file);
		pi->stats_fd[cpu] = path ? open(path, O_RDONLY | O_CLOEXEC)
					 : -1;
		if (pi->stats_fd[cpu] < 0 && !unreadable++)
			pt_warn("cannot open %s: %s; the events CPU %d's "
				"buffer loses cannot be counted",
				path ? path : file, strerror(errno), cpu);
		tracefs_put_tracing_file(path);
	}
	return 0;
}

/* @buffer_kb 0: the kernel's default size */
int pt_instance_create(struct pt_instance *pi, const char *clock,
		       unsigned long buffer_kb)
{
	memset(pi, 0, sizeof(*pi));
	if (new_instance(pi))
		return -1;
	if (!clock_available(pi, clock)) {
		pt_err("trace clock '%s' is not available", clock);
		return -1;
	}
	if (buffer_kb &&
	    tracefs_instance_set_buffer_size(pi->inst, buffer_kb, -1)) {
		pt_err("cannot set the buffer size to %lu KB: %s", buffer_kb,
		       strerror(errno));
		return -1;
	}
	if (tracefs_instance_file_write(pi->inst, "trace_clock", clock) < 0) {
		pt_err("cannot set trace clock '%s': %s", clock,
		       strerror(errno));
		return -1;
	}
	return open_stats(pi);
}

/* @filter "" or NULL: every event */
int pt_instance_enable(struct pt_instance *pi, const char *system,
		       const char *event, const char *filter)
{
	if (filter && filter[0] &&
	    tracefs_event_file_write(pi->inst, system, event, "filter",
				     filter) < 0) {
		pt_err("cannot set the filter '%s': %s", filter,
		       strerror(errno));
		return -1;
	}
	if (tracefs_event_enable(pi->inst, system, event)) {
		pt_err("cannot enable %s:%s: %s", system, event,
		       strerror(errno));
		return -1;
	}
	return 0;
}

static long long stat_value(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? atoll(p + strlen(key)) : 0;
}

/*
 * The per-CPU stats files, once each: the sum of the events their
 * buffers overwrote or dropped, and (@entries, or NULL) each CPU's
 * unread entries, -1 unknown.  Parsed here by hand: libtracefs 1.6.4
 * (Debian 12) has no tracefs_instance_get_stat(), which arrived in 1.8.
 * live reads them between every few dozen records of a flood: each
 * file is kept open and read again from its start, which makes the
 * kernel write it anew, instead of being opened, read into a new
 * buffer and closed each time.
 */
static long long read_stats(struct pt_instance *pi, long long *entries,
			    int nr_cpus)
{
	char text[STATS_TEXT_MAX];
	long long sum = 0;
	ssize_t n;
	int cpu, fd;

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (entries)
			entries[cpu] = -1;
		fd = cpu < pi->nr_stats ? pi->stats_fd[cpu] : -1;
		if (fd < 0)
			continue;
		n = pread(fd, text, sizeof(text) - 1, 0);
		if (n <= 0)
			continue;
		text[n] = '\0';
		sum += stat_value(text, "overrun:");
		sum += stat_value(text, "dropped events:");
		if (entries && !strncmp(text, "entries:", 8))
			entries[cpu] = stat_value(text, "entries:");
	}
	return sum;
}

void pt_instance_entries(struct pt_instance *pi, long long *entries,
			 int nr_cpus)
{
	read_stats(pi, entries, nr_cpus);
}

/* Losses since the last call */
long long pt_instance_new_losses(struct pt_instance *pi)
{
	long long now = read_stats(pi, NULL, pi->nr_stats);
	long long diff = now > pi->lost ? now - pi->lost : 0;

	if (now > pi->lost)
		pi->lost = now;
	return diff;
}

/* Tracing as it was: our events off, our instance gone */
void pt_instance_destroy(struct pt_instance *pi)
{
	int i;

	for (i = 0; i < pi->nr_stats; i++)
		if (pi->stats_fd[i] >= 0)
			close(pi->stats_fd[i]);
	free(pi->stats_fd);
	pi->stats_fd = NULL;
	pi->nr_stats = 0;
	if (!pi->inst)
		return;
	tracefs_event_disable(pi->inst, NULL, NULL);
	/* EBUSY: some process holds one of its files open */
	if (tracefs_instance_destroy(pi->inst))
		pt_warn("cannot remove tracefs instance '%s': %s; "
			"rmdir %s when its files are closed", pi->name,
			strerror(errno), tracefs_instance_get_dir(pi->inst));
	tracefs_instance_free(pi->inst);
	pi->inst = NULL;
}
