/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pingtrace command line: options shared by the subcommands.
 */
#ifndef PINGTRACE_H
#define PINGTRACE_H

#include <stdint.h>

#include "output.h"
#include "target.h"

#define PINGTRACE_VERSION	"0.1"
#define PT_README_SECTION	"Building a kernel with net:ip_icmp"

/* Exit status of a usage error (the man page's EXIT STATUS) */
#define PT_EXIT_USAGE		2

/* report: at most this many -i files, one a host (report-merge.c) */
#define PT_MAX_INPUTS		8
#define PT_HOST_NAME_LEN	16

/* -i [NAME=]FILE: name[0] is 0 when the file is not named */
struct pt_input {
	const char		*path;
	char			name[PT_HOST_NAME_LEN + 1];
};

struct pt_opts {
	struct pt_targets	targets;
	enum pt_format		format;
	int			quiet;
	int			events;
	const char		*clock;		/* live: trace clock */
	uint64_t		timeout_ns;	/* -W */
	unsigned long		buffer_kb;	/* -b: ring buffer per CPU */
	int			no_drops;	/* -D: no skb:kfree_skb */
	const char		*input;		/* the first of inputs[] */
	struct pt_input		inputs[PT_MAX_INPUTS];
	int			nr_inputs;
	const char		*output;
	char			**command;	/* after "--" */
	int			stages;		/* --stages */
	uint64_t		slow_ns;	/* --slow MS */
	const char		*svg;		/* report --svg FILE */
	int			all;		/* --all: ND, MLD */
	const char		*agent;		/* record --agent HOST:PORT */
};

/* "pingtrace: MESSAGE" on stderr: what stops the command */
__attribute__((format(printf, 1, 2)))
void pt_err(const char *fmt, ...);
/* "pingtrace: warning: MESSAGE": what it goes on after */
__attribute__((format(printf, 1, 2)))
void pt_warn(const char *fmt, ...);

int pt_exit_write_error(int err);

int cmd_check(struct pt_opts *opts);
int cmd_live(struct pt_opts *opts);
int cmd_record(struct pt_opts *opts);
int cmd_report(struct pt_opts *opts);

#endif /* PINGTRACE_H */
