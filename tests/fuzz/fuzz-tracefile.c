// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the whole of pingtrace report on one trace file.
 *
 * The input is the file, as trace-cmd record writes it (the seeds are
 * real files: tests/fixtures/ and tests/unit/data/).  It is written to a
 * memfd and read back through /proc/self/fd by pt_replay_file(), which
 * opens it with libtracecmd, decodes, pairs and writes the report into
 * a memory stream.  The input's length picks text, JSON or CSV.
 *
 * The output is a memory stream, so pt_replay_file() reads the file in
 * this process (its child path would hide a crash as LIB_FAILED), and
 * one input in four (by its length) in segments of a few records
 * (pt_replay_segment), so that compressed inputs also go through
 * tracefile.c's reopen and seek back; each reopen is a whole open, too
 * slow for every input.
 *
 * Whatever the file holds, the result must be one of the errors that
 * pt_replay_file() documents, nothing written on an open error, and
 * statistics that add up.
 *
 * Bugs of libtracecmd 1.3 and libtraceevent 1.7 (Debian 12) that a
 * damaged file reaches inside tracecmd_open(), before pingtrace gets a
 * handle, are kept out; see probe_open().  The ones found (the first is
 * reached by tests/fuzz/regressions/tracefile/lib-*):
 *
 *  - tracecmd_open_fd() calls tracecmd_close() on a handle whose header
 *    said it has CPUs but whose cpu_data was never allocated, and
 *    tracecmd_close() -> free_next() reads handle->cpu_data[cpu]: NULL
 *    pointer dereference (SIGSEGV);
 *  - tep_parse_printk_formats() and tep_register_print_string(), given
 *    the printk section of a damaged file by libtracecmd, read past the
 *    end of its buffer (heap over-read, reported by ASan);
 *  - tracecmd_alloc_fd() reads on forever past the end of some damaged
 *    version 7 headers (a hang);
 *  - sizes read from the file are allocated unchecked (malloc of up to
 *    2^63 bytes; tracecmd_load_chunks_info() of gigabytes);
 *  - a failed open leaks what tracecmd_alloc_fd(), tracecmd_read_headers()
 *    and tracecmd_init_data() allocated (the tep handle, sections).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "replay.h"
#include "tracefile.h"

#define check(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

/*
 * A size read from a damaged file is allocated as it is: malloc() must
 * fail as it does without ASan, not stop the run.
 */
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1:max_allocation_size_mb=1024";
}

/*
 * libtracecmd 1.3 parses the TRACECLOCK option of a version 6 file
 * twice, and the second sscanf("%ms") loses the first name: a leak in
 * every file trace-cmd record writes (tests/unit/lsan.supp).  With the
 * fast unwinder, the stack of that leak stops in glibc's sscanf, which
 * neither pingtrace nor this harness calls.  And libtraceevent 1.7's
 * tep_parse_event() leaks on a malformed event format (fuzz-decode.c).
 *
 * Because every version 6 file leaks, libFuzzer would look for leaks
 * after every run, which makes it three times slower: mk/fuzz.mk runs
 * this harness with -detect_leaks=0, and LeakSanitizer checks the whole
 * run when it ends instead.
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:tracecmd_parse_trace_clock\nleak:__isoc99_vsscanf\n"
	       "leak:tep_parse_event\n";
}

#define PROBE_OPENED	10	/* fuzz-probe.c */
/* Record bytes per handle: about 30 net:ip_icmp events */
#define FUZZ_SEGMENT	2048

static int fd = -1;
static char path[64];
static char probe[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ssize_t n;

	(void)argc;
	(void)argv;
	tep_set_loglevel(TEP_LOG_NONE);
	tracecmd_set_loglevel(TEP_LOG_NONE);
	fd = memfd_create("pingtrace-fuzz.dat", 0);
	if (fd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink("/proc/self/exe", probe, sizeof(probe) - 32);
	if (n <= 0)
		abort();
	probe[n] = '\0';
	strcpy(strrchr(probe, '/'), "/fuzz-probe");
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	size_t done = 0;
	ssize_t n;

	if (ftruncate(fd, 0))
		abort();
	while (done < size) {
		n = pwrite(fd, data + done, size - done, done);
		if (n <= 0)
			abort();
		done += n;
	}
}

/*
 * Open the file with libtracecmd as replay.c does, in another process
 * (fuzz-probe, next to this program).  Returns 1 when it opened, 0 when
 * libtracecmd refused it, crashed, ran out of memory or hung: in all
 * these cases pingtrace gets no handle.  Refused files are left out too,
 * because a refusal leaks (see above); what pt_replay_file() does then,
 * return -EBADMSG, is tested in tests/unit/test-replay.c.  The probe
 * runs only tracecmd_open() and tracecmd_close(): nothing of pingtrace
 * can fail there.
 */
static int probe_open(void)
{
	static char *const env[] = {
		"ASAN_OPTIONS=symbolize=0:detect_leaks=0:"
		"allocator_may_return_null=1:max_allocation_size_mb=1024",
		NULL,
	};
	char *const argv[] = { probe, path, NULL };
	posix_spawn_file_actions_t fa;
	int status;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					 O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	if (posix_spawn(&pid, probe, &fa, NULL, argv, env))
		abort();
	posix_spawn_file_actions_destroy(&fa);
	while (waitpid(pid, &status, 0) != pid)
		if (errno != EINTR)
			abort();
	return WIFEXITED(status) && WEXITSTATUS(status) == PROBE_OPENED;
}

static int known_error(int ret)
{
	switch (ret) {
	case PT_REPLAY_OK:
	case PT_REPLAY_NOT_TRACE:
	case PT_REPLAY_DAMAGED_V7:
	case PT_REPLAY_NO_EVENT:
	case PT_REPLAY_BAD_FORMAT:
	case PT_REPLAY_READ_ERROR:
	case PT_REPLAY_TOO_MANY_BUFFERS:
		return 1;
	}
	return 0;
}

static void check_stats(const struct pt_stats *st)
{
	check(st->received + st->lost <= st->sent);
	check(st->rtt_n == st->received);
	check(!st->rtt_n || st->rtt_min <= st->rtt_max);
	check(st->events_lost >= -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pt_format formats[3] = {
		PT_FMT_TEXT, PT_FMT_JSON, PT_FMT_CSV,
	};
	struct pt_targets targets = { 0 };
	struct pt_replay_info info;
	struct pt_pair_config cfg;
	struct pt_output out;
	char *text = NULL;
	size_t len = 0;
	int ret;

	write_input(data, size);
	pt_replay_segment = size % 4 ? PT_TRACEFILE_SEGMENT : FUZZ_SEGMENT;
	if (size >= PT_TRACE_HEAD_LEN && !probe_open())
		return 0;
	pt_pair_config_default(&cfg);
	pt_output_init(&out, open_memstream(&text, &len), formats[size % 3]);
	out.events = 1;

	ret = pt_replay_file(path, &targets, &cfg, &out, &info);
	fflush(out.fp);
	check(known_error(ret));
	check(!out.err);
	if (ret == PT_REPLAY_NOT_TRACE || ret == PT_REPLAY_DAMAGED_V7 ||
	    ret == PT_REPLAY_NO_EVENT || ret == PT_REPLAY_BAD_FORMAT ||
	    ret == PT_REPLAY_TOO_MANY_BUFFERS)
		check(len == 0);	/* nothing half-written */
	if (ret == PT_REPLAY_OK) {
		check(len && text[len - 1] == '\n');
		check_stats(&info.stats);
		/* At the end each request was answered, lost or unknown */
		check(info.stats.sent <= info.stats.received +
		      info.stats.lost + info.stats.unknown);
	}
	fclose(out.fp);
	free(text);
	return 0;
}
