// SPDX-License-Identifier: GPL-2.0
/*
 * child: the traced command's exit, stop, and where its stdout goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "child.h"
#include "unit.h"

#define ARGV(...)	((char *[]){ __VA_ARGS__, NULL })

static int run(char **argv)
{
	struct pt_child c;

	CU_ASSERT_EQUAL_FATAL(pt_child_start(&c, argv, 0), 0);
	return pt_child_wait(&c);
}

static void test_child_exit_status(void)
{
	CU_ASSERT_EQUAL(run(ARGV("true")), 0);
	CU_ASSERT_EQUAL(run(ARGV("false")), -ECHILD);
}

/* A command that cannot run is the shell's 127, said on stderr */
static void test_child_cannot_run(void)
{
	char **argv = ARGV("/nonexistent/pingtrace-unit");
	struct pt_child c;
	int saved = dup(STDERR_FILENO);
	FILE *null = fopen("/dev/null", "w");

	CU_ASSERT_FATAL(saved >= 0 && null);
	dup2(fileno(null), STDERR_FILENO);
	CU_ASSERT_EQUAL(pt_child_start(&c, argv, 0), 0);
	CU_ASSERT_EQUAL(pt_child_wait(&c), -ECHILD);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fclose(null);
	CU_ASSERT(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 127);
}

/* Stopped, the child dies of SIGTERM and is reaped */
static void test_child_stop_terminates(void)
{
	char **argv = ARGV("sh", "-c", "echo ready >&2; exec sleep 30");
	int saved = dup(STDERR_FILENO);
	struct pt_child c;
	char buf[8] = "";
	int fds[2];

	CU_ASSERT_FATAL(saved >= 0 && !pipe(fds));
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	CU_ASSERT_EQUAL_FATAL(pt_child_start(&c, argv, 0), 0);
	dup2(saved, STDERR_FILENO);
	close(saved);
	/* the shell runs: no stop before our own dispositions are gone */
	CU_ASSERT(read(fds[0], buf, sizeof(buf) - 1) > 0);
	close(fds[0]);
	CU_ASSERT_EQUAL(pt_child_done(&c), 0);
	pt_child_stop(&c);
	CU_ASSERT(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGTERM);
	CU_ASSERT_EQUAL(c.pid, 0);
	CU_ASSERT_EQUAL(pt_child_done(&c), 0);
}

/*
 * Held, the child's pid is known and the command has not run (its file
 * is not there); released, it runs, with the pid it was held with
 */
static void test_child_held_runs_when_released(void)
{
	char path[] = "/tmp/pingtrace-unit-held-XXXXXX";
	char script[128], pid_text[32] = "";
	char **argv;
	struct pt_child c;
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	unlink(path);
	snprintf(script, sizeof(script), "echo $$ > %s", path);
	argv = ARGV("sh", "-c", script);
	CU_ASSERT_EQUAL_FATAL(pt_child_start(&c, argv, PT_CHILD_HELD), 0);
	CU_ASSERT(c.pid > 0 && c.gate >= 0);
	usleep(100000);
	CU_ASSERT_EQUAL(access(path, F_OK), -1);	/* not run yet */
	CU_ASSERT_EQUAL(pt_child_done(&c), 0);
	snprintf(pid_text, sizeof(pid_text), "%d\n", (int)c.pid);
	CU_ASSERT_EQUAL(pt_child_release(&c), 0);
	CU_ASSERT_EQUAL(c.gate, -1);
	CU_ASSERT_EQUAL(pt_child_wait(&c), 0);
	fp = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_PTR_NOT_NULL(fgets(script, sizeof(script), fp));
	CU_ASSERT_STRING_EQUAL(script, pid_text);	/* the pid held */
	fclose(fp);
	unlink(path);
}

/* Waited for or stopped without a release, it never runs the command */
static void test_child_held_not_released_never_runs(void)
{
	char **argv = ARGV("sh", "-c", "exit 0");
	struct pt_child c;

	CU_ASSERT_EQUAL_FATAL(pt_child_start(&c, argv, PT_CHILD_HELD), 0);
	CU_ASSERT_EQUAL(pt_child_wait(&c), -ECHILD);
	CU_ASSERT(WIFEXITED(c.status) &&
		  WEXITSTATUS(c.status) == PT_CHILD_NOT_RELEASED);
	CU_ASSERT_EQUAL_FATAL(pt_child_start(&c, argv, PT_CHILD_HELD), 0);
	pt_child_stop(&c);	/* the gate's EOF or the SIGTERM, first */
	CU_ASSERT((WIFEXITED(c.status) &&
		   WEXITSTATUS(c.status) == PT_CHILD_NOT_RELEASED) ||
		  (WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGTERM));
	CU_ASSERT_EQUAL(pt_child_release(&c), 0);	/* reaped: nothing */
}

/*
 * The command inherits what pingtrace was started with, never what it
 * opened since: a tracefs file held by the command's leftovers keeps
 * our instance from being removed
 */
static void test_child_fds_ours_closed_on_exec(void)
{
	char script[160];
	struct pt_child c;
	char **argv;
	int theirs, ours;

	theirs = open("/dev/null", O_RDONLY);
	CU_ASSERT_FATAL(theirs > STDERR_FILENO);
	CU_ASSERT_EQUAL_FATAL(pt_child_keep_fds(), 0);
	ours = open("/dev/null", O_RDONLY);
	CU_ASSERT_FATAL(ours > theirs);
	snprintf(script, sizeof(script),
		 "[ -e /proc/$$/fd/%d ] && ! [ -e /proc/$$/fd/%d ]",
		 theirs, ours);
	argv = ARGV("sh", "-c", script);
	CU_ASSERT_EQUAL_FATAL(pt_child_start(&c, argv, 0), 0);
	CU_ASSERT_EQUAL(pt_child_wait(&c), 0);
	CU_ASSERT(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0);
	/* ours still open in the parent */
	CU_ASSERT_EQUAL(fcntl(ours, F_GETFD) & FD_CLOEXEC, 0);
	close(ours);
	close(theirs);
	CU_ASSERT_EQUAL(pt_child_keep_fds(), 0);
}

/* What @flags make of the child's stdout: read from our stderr's pipe */
static ssize_t child_stderr(unsigned int flags, char *buf, size_t size)
{
	char **argv = ARGV("sh", "-c", "echo to-stdout");
	int saved = dup(STDERR_FILENO);
	struct pt_child c;
	int fds[2];
	ssize_t n;

	CU_ASSERT_FATAL(saved >= 0 && !pipe(fds));
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	CU_ASSERT_EQUAL(pt_child_start(&c, argv, flags), 0);
	CU_ASSERT_EQUAL(pt_child_wait(&c), 0);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = read(fds[0], buf, size - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* json and csv: the command's lines must not land in our records */
static void test_child_stdout_to_stderr(void)
{
	char buf[64];

	CU_ASSERT(child_stderr(PT_CHILD_STDOUT_TO_STDERR, buf, sizeof(buf)) >
		  0);
	CU_ASSERT_STRING_EQUAL(buf, "to-stdout\n");
}

static void test_child_stdout_kept(void)
{
	char buf[64];
	int saved = dup(STDOUT_FILENO);
	FILE *null = fopen("/dev/null", "w");

	CU_ASSERT_FATAL(saved >= 0 && null);
	fflush(stdout);
	dup2(fileno(null), STDOUT_FILENO);
	CU_ASSERT_EQUAL(child_stderr(0, buf, sizeof(buf)), 0);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	fclose(null);
	CU_ASSERT_STRING_EQUAL(buf, "");
}

void ut_add_child_suite(void)
{
	CU_pSuite s = CU_add_suite("child", NULL, NULL);

	UT_ADD_TEST(s, test_child_exit_status);
	UT_ADD_TEST(s, test_child_cannot_run);
	UT_ADD_TEST(s, test_child_held_runs_when_released);
	UT_ADD_TEST(s, test_child_held_not_released_never_runs);
	UT_ADD_TEST(s, test_child_stop_terminates);
	UT_ADD_TEST(s, test_child_stdout_to_stderr);
	UT_ADD_TEST(s, test_child_stdout_kept);
	UT_ADD_TEST(s, test_child_fds_ours_closed_on_exec);
}
