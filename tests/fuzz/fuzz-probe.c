// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-probe FILE: open FILE with libtracecmd as consumer/replay.c does,
 * and close it.  Exits 10 when it opened, 11 when it was refused; any
 * other end (a signal, an ASan report) is a libtracecmd bug on opening
 * that file.  Run by fuzz-tracefile.c, built with ASan but without the
 * fuzzer, so that its crashes cost a process and nothing else.  An open
 * that hangs is killed by SIGALRM.
 */
#include <unistd.h>

#include <trace-cmd.h>

int main(int argc, char **argv)
{
	struct tracecmd_input *handle;

	if (argc != 2)
		return 2;
	tep_set_loglevel(TEP_LOG_NONE);
	tracecmd_set_loglevel(TEP_LOG_NONE);
	alarm(2);
	handle = tracecmd_open(argv[1], TRACECMD_FL_LOAD_NO_PLUGINS);
	tracecmd_close(handle);
	return handle ? 10 : 11;
}
