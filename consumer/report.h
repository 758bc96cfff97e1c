/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pingtrace report: one file (report.c), or several hosts' files merged
 * on one timeline (report-merge.c).
 */
#ifndef PT_REPORT_H
#define PT_REPORT_H

#include "pingtrace.h"
#include "replay.h"

/* One line on stderr of why @path cannot be read; returns 1 */
int pt_report_error(const char *path, enum pt_replay_status status,
		    const struct pt_replay_info *info);
int cmd_report_merge(struct pt_opts *opts);

#endif /* PT_REPORT_H */
