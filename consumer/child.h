/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command pingtrace runs and traces (live and record): fork, exec,
 * wait, stop.
 */
#ifndef PT_CHILD_H
#define PT_CHILD_H

#include <sys/types.h>

/* The child's stdout is our stderr: keep it out of JSON or CSV on stdout */
#define PT_CHILD_STDOUT_TO_STDERR	(1u << 0)
/*
 * The child waits before exec until pt_child_release(): its pid is known
 * (to filter events by) before it runs.  Stopped or freed without a
 * release, it exits PT_CHILD_NOT_RELEASED without running the command.
 */
#define PT_CHILD_HELD			(1u << 1)
#define PT_CHILD_NOT_RELEASED		126

struct pt_child {
	pid_t	pid;		/* 0: none, or reaped */
	int	status;		/* of waitpid() */
	int	gate;		/* PT_CHILD_HELD until released; else -1 */
};

/*
 * Notes the descriptors pingtrace was started with, which its commands
 * inherit; every other one above stderr is closed on their exec (all of
 * them when this has not run or failed).  0 or -errno.
 */
int pt_child_keep_fds(void);
int pt_child_start(struct pt_child *c, char *const argv[], unsigned int flags);
int pt_child_release(struct pt_child *c);
int pt_child_done(struct pt_child *c);
int pt_child_wait(struct pt_child *c);
void pt_child_stop(struct pt_child *c);

#endif /* PT_CHILD_H */
