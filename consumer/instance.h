/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tracefs instance of pingtrace's own (pingtrace-PID): created with a
 * trace clock and a buffer size, events enabled in it with their filters,
 * its losses read, destroyed on the way out.  The top instance and other
 * users' instances are never touched.
 */
#ifndef PT_INSTANCE_H
#define PT_INSTANCE_H

#include <stddef.h>

#include "target.h"

/* "pingtrace-" and a pid */
#define PT_INSTANCE_NAME_MAX	32
/* The longest event filter: PT_MAX_TARGETS targets fit with room to spare */
#define PT_FILTER_MAX		4096
/* The trace clock by default: see record.c */
#define PT_DEFAULT_CLOCK	"boot"

struct tracefs_instance;

struct pt_instance {
	struct tracefs_instance	*inst;
	char			name[PT_INSTANCE_NAME_MAX];
	long long		lost;	/* ring buffer losses read so far */
	int			*stats_fd;	/* per CPU, -1 none */
	int			nr_stats;	/* configured CPUs */
};

void pt_instance_name(char *buf, size_t size);
int pt_instance_filter(const struct pt_targets *t, char *buf, size_t size);
int pt_instance_filter6(const struct pt_targets *t, char *buf, size_t size);
int pt_instance_have_event(const char *event);
void pt_instance_families(const struct pt_targets *t, int *v4, int *v6);

int pt_instance_create(struct pt_instance *pi, const char *clock,
		       unsigned long buffer_kb);
int pt_instance_enable(struct pt_instance *pi, const char *system,
		       const char *event, const char *filter);
/* Overruns and drops since the last call */
long long pt_instance_new_losses(struct pt_instance *pi);
/* Each CPU's "entries", records not yet read (-1 when unknown) */
void pt_instance_entries(struct pt_instance *pi, long long *entries,
			 int nr_cpus);
void pt_instance_destroy(struct pt_instance *pi);

#endif /* PT_INSTANCE_H */
