// SPDX-License-Identifier: GPL-2.0
/*
 * Which stage events to enable, and their in-kernel filters.  The net
 * events carry nothing to filter on before the skb is known, so they
 * are taken whole.  The task events are filtered by the pinger's pid
 * when it is known (live -- COMMAND: the command's own pid, which must
 * be the pinger, not a shell that runs it); otherwise only by what they
 * are (sendto, recvmsg) and sched_switch and sched_wakeup are whole.
 *
 * The kernel's events are looked up with stdio, not libtracefs, for the
 * reason instance.c gives (record runs this before trace-cmd).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pingtrace.h"
#include "stage-events.h"

static int kernel_has(const char *system, const char *name)
{
	static const char * const roots[] = {
		"/sys/kernel/tracing/events",
		"/sys/kernel/debug/tracing/events",
	};
	char path[256];
	struct stat st;
	unsigned int i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s/format", roots[i],
			 system, name);
		if (!stat(path, &st))
			return 1;
	}
	return 0;
}

static void pid_filter(char *buf, size_t size,
		       const struct pt_stage_source *src, int pid)
{
	buf[0] = '\0';
	if (pid <= 0)
		return;
	if (src->kind == PT_SE_WAKEUP || src->kind == PT_SE_SWITCH)
		snprintf(buf, size, "%s == %d", src->field, pid);
	else
		snprintf(buf, size, "common_pid == %d", pid);
}

/* @pid > 0: the pinger's; 0: unknown */
void pt_stage_events_find(struct pt_stage_events *se, int pid)
{
	const struct pt_stage_source *src;
	size_t len = 0;
	int i;

	memset(se, 0, sizeof(*se));
	for (i = 0; i < PT_STAGE_SOURCES; i++) {
		src = &pt_stage_sources[i];
		if (!kernel_has(src->system, src->name)) {
			se->missing++;
			len += snprintf(se->missing_names + len,
					sizeof(se->missing_names) - len,
					"%s%s:%s", len ? ", " : "",
					src->system, src->name);
			continue;
		}
		se->ev[se->n].system = src->system;
		se->ev[se->n].name = src->name;
		se->ev[se->n].task = src->kind >= PT_SE_SEND_ENTER;
		if (se->ev[se->n].task)
			pid_filter(se->ev[se->n].filter, PT_STAGE_FILTER_MAX,
				   src, pid);
		se->n++;
	}
}

/* What this kernel lacks (syscalls: without CONFIG_FTRACE_SYSCALLS) */
void pt_stage_events_warn(const struct pt_stage_events *se)
{
	if (se->missing)
		pt_warn("this kernel has no %s: their stages are not seen",
			se->missing_names);
}
