// SPDX-License-Identifier: GPL-2.0
/*
 * The traced command.  It gets the signal dispositions a shell would give
 * it: pingtrace ignores SIGPIPE and catches or ignores the stop signals,
 * and an ignored signal stays ignored across exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

/* What a shell returns for a command it cannot run */
#define EXIT_CANNOT_RUN		127

static void default_signals(void)
{
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

/*
 * A stop signal sent between fork() and the child's own dispositions
 * would run our handler in the child and be lost: they are blocked
 * across fork() and unblocked once the child has the defaults.
 */
static void block_stop_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* A held child: a byte through the gate runs the command, EOF does not */
static void wait_for_release(int fd)
{
	char go;
	ssize_t n;

	while ((n = read(fd, &go, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		_exit(PT_CHILD_NOT_RELEASED);
	close(fd);
}

/*
 * Returns 0 or -errno of pipe() or fork(); a failed exec is the child's
 * exit 127.  The gate is close-on-exec, so neither the command nor other
 * children started later hold it open.
 */
int pt_child_start(struct pt_child *c, char *const argv[], unsigned int flags)
{
	int gate[2] = { -1, -1 };
	sigset_t old;
	int err;

	/* what stdio holds must not be written twice */
	fflush(stdout);
	fflush(stderr);
	c->status = 0;
	c->gate = -1;
	if ((flags & PT_CHILD_HELD) && pipe2(gate, O_CLOEXEC))
		return -errno;
	block_stop_signals(&old);
	c->pid = fork();
	if (c->pid) {
		err = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (gate[0] >= 0)
			close(gate[0]);
		if (c->pid > 0) {
			c->gate = gate[1];
			return 0;
		}
		if (gate[1] >= 0)
			close(gate[1]);
		c->pid = 0;
		return -err;
	}
	default_signals();
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (gate[0] >= 0) {
		/*
		 * Held, the child is already in the trace (the pid to
		 * filter by): under the command's name, not ours, in the
		 * saved cmdlines a trace file takes its comms from
		 */
		prctl(PR_SET_NAME, basename(argv[0]));
		close(gate[1]);
		wait_for_release(gate[0]);
	}
	if ((flags & PT_CHILD_STDOUT_TO_STDERR) &&
	    dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(EXIT_CANNOT_RUN);
	execvp(argv[0], argv);
	fprintf(stderr, "pingtrace: cannot run '%s': %s\n", argv[0],
		strerror(errno));
	_exit(EXIT_CANNOT_RUN);
}

/* A held child runs its command: 0, or -errno of the write */
int pt_child_release(struct pt_child *c)
{
	const char go = 1;
	ssize_t n;
	int ret = 0;

	if (c->pid <= 0 || c->gate < 0)
		return 0;
	while ((n = write(c->gate, &go, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		ret = n < 0 ? -errno : -EIO;
	close(c->gate);
	c->gate = -1;
	return ret;
}

/* Only a started child's gate is ours: a zeroed pt_child has none */
static void close_gate(struct pt_child *c)
{
	if (c->gate >= 0)
		close(c->gate);
	c->gate = -1;
}

/* 1 when the child has exited (and is reaped), without waiting */
int pt_child_done(struct pt_child *c)
{
	if (c->pid <= 0)
		return 0;
	if (waitpid(c->pid, &c->status, WNOHANG) != c->pid)
		return 0;
	close_gate(c);
	c->pid = 0;
	return 1;
}

/* Waits for the child: 0 when it exited 0, -ECHILD otherwise, or -errno */
int pt_child_wait(struct pt_child *c)
{
	int ret;

	if (c->pid <= 0)
		return -ECHILD;
	close_gate(c);		/* a held child exits without running */
	while ((ret = waitpid(c->pid, &c->status, 0)) < 0 && errno == EINTR)
		;
	if (ret < 0)
		return -errno;
	c->pid = 0;
	if (!WIFEXITED(c->status) || WEXITSTATUS(c->status))
		return -ECHILD;
	return 0;
}

/* SIGTERM to a child still running, then reap it */
void pt_child_stop(struct pt_child *c)
{
	if (c->pid <= 0)
		return;
	close_gate(c);
	kill(c->pid, SIGTERM);
	pt_child_wait(c);
}
