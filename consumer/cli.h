/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command line parsing, apart from main() so that it can be tested.
 * Each subcommand has its own option table (cli.c), as each trace-*.c
 * of trace-cmd has its own getopt_long() table.
 */
#ifndef PT_CLI_H
#define PT_CLI_H

#include <stddef.h>

#include "pingtrace.h"

enum pt_args_result {
	PT_ARGS_OK		= 0,
	PT_ARGS_HELP		= 1,
	PT_ARGS_VERSION		= 2,
	PT_ARGS_USAGE		= 3,	/* @err says what is wrong */
};

int pt_parse_args(struct pt_opts *opts, int argc, char **argv,
		  char *err, size_t err_size);
int pt_parse_seconds(const char *str, uint64_t *ns);
int pt_parse_input(const char *arg, struct pt_input *in);
int pt_parse_agent(const char *arg, char *host, size_t size);

#endif /* PT_CLI_H */
