// SPDX-License-Identifier: GPL-2.0
/*
 * The traced command.  It gets the signal dispositions a shell would give
 * it: pingtrace ignores SIGPIPE and catches or ignores the stop signals,
 * and an ignored signal stays ignored across exec.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

/* What a shell returns for a command it cannot run */
#define EXIT_CANNOT_RUN		127

/*
 * The descriptors above stderr that pingtrace was started with, sorted;
 * nr_inherited -1 until pt_child_keep_fds() has run.  The command gets
 * these and 0..2, never ours: a ring buffer's trace_pipe_raw held open
 * by a command's leftover background process makes the rmdir of our
 * instance fail with EBUSY, and libtracefs opens without O_CLOEXEC.
 */
static int *inherited;
static int nr_inherited = -1;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int pt_child_keep_fds(void)
{
	struct dirent *d;
	int *fds = NULL, *tmp;
	int n = 0, fd;
	DIR *dir;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		fd = atoi(d->d_name);
		if (d->d_name[0] == '.' || fd <= STDERR_FILENO || fd == dirfd(dir))
			continue;
		tmp = realloc(fds, (n + 1) * sizeof(*fds));
		if (!tmp) {
			free(fds);
			closedir(dir);
			return -ENOMEM;
		}
		fds = tmp;
		fds[n++] = fd;
	}
	closedir(dir);
	if (n)
		qsort(fds, n, sizeof(*fds), cmp_int);
	free(inherited);
	inherited = fds;
	nr_inherited = n;
	return 0;
}

/* Descriptors @first..@last close on exec; in the child, so no malloc */
static void cloexec_range(unsigned int first, unsigned int last)
{
	long max = sysconf(_SC_OPEN_MAX);
	unsigned int fd;

	if (first > last || !close_range(first, last, CLOSE_RANGE_CLOEXEC))
		return;
	/* before Linux 5.11 */
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = first; fd <= last && fd < (unsigned int)max; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Every descriptor above stderr but those pingtrace inherited */
static void cloexec_ours(void)
{
	unsigned int next = STDERR_FILENO + 1;
	int i;

	for (i = 0; i < nr_inherited; i++) {
		if ((unsigned int)inherited[i] > next)
			cloexec_range(next, inherited[i] - 1);
		next = inherited[i] + 1;
	}
	cloexec_range(next, ~0u);
}

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
	cloexec_ours();
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
