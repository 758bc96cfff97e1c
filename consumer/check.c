// SPDX-License-Identifier: GPL-2.0
/*
 * pingtrace check: can this machine trace pings?
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <tracefs.h>

#include "decode.h"
#include "pingtrace.h"

static int check_tracefs(void)
{
	const char *dir = tracefs_tracing_dir();

	if (!dir || !tracefs_dir_exists(NULL, "events")) {
		printf("tracefs:   not mounted (mount -t tracefs nodev "
		       "/sys/kernel/tracing)\n");
		return -ENOENT;
	}
	printf("tracefs:   %s\n", dir);
	if (geteuid() != 0 && access(dir, W_OK)) {
		printf("access:    not root: live and record need root\n");
		return -EPERM;
	}
	printf("access:    %s\n", geteuid() ? "writable" : "root");
	return 0;
}

static void no_event(void)
{
	struct utsname u;

	if (uname(&u))
		strcpy(u.release, "?");
	printf("net:ip_icmp: missing: kernel %s lacks the net:ip_icmp patch\n"
	       "           see the README section \"%s\"\n",
	       u.release, PT_README_SECTION);
}

/* The fields pingtrace needs are all there, with the expected sizes */
static int check_fields(void)
{
	const char * const systems[] = { PT_EVENT_SYSTEM, NULL };
	struct pt_decoder dec;
	struct tep_handle *tep;
	int ret;

	tep = tracefs_local_events_system(NULL, systems);
	if (!tep)
		return errno ? -errno : -ENOMEM;
	switch (pt_decoder_init(&dec, tep)) {
	case PT_FORMAT_OK:
		printf("fields:    ok (record size %d)\n", dec.min_size);
		ret = 0;
		break;
	case PT_FORMAT_NO_FIELD:
		printf("fields:    '%s' missing\n", dec.bad_field);
		ret = -ENOENT;
		break;
	case PT_FORMAT_BAD_FIELD:
		printf("fields:    '%s' has an unexpected size\n",
		       dec.bad_field);
		ret = -EPROTO;
		break;
	default:	/* PT_FORMAT_NO_EVENT: the format file said otherwise */
		ret = -ENOENT;
		break;
	}
	tep_free(tep);
	return ret;
}

/*
 * net:ip6_icmp is optional: a kernel with the IPv4 patch alone traces
 * IPv4.  Returns -EPROTO when it is there and does not read.
 */
static int check_event6(void)
{
	const char * const systems[] = { PT_EVENT_SYSTEM, NULL };
	struct pt_decoder dec;
	struct tep_handle *tep;
	int ret = 0;

	if (!tracefs_event_file_exists(NULL, PT_EVENT_SYSTEM, PT_EVENT6_NAME,
				       "format")) {
		printf("net:ip6_icmp: missing: IPv4 only\n");
		return 0;
	}
	tep = tracefs_local_events_system(NULL, systems);
	if (!tep)
		return errno ? -errno : -ENOMEM;
	if (pt_decoder6_init(&dec, tep) == PT_FORMAT_OK) {
		printf("net:ip6_icmp: present, fields ok (record size %d)\n",
		       dec.min_size);
	} else {
		printf("net:ip6_icmp: present, field '%s' missing or of an "
		       "unexpected size\n",
		       dec.bad_field ? dec.bad_field : "?");
		ret = -EPROTO;
	}
	tep_free(tep);
	return ret;
}

int cmd_check(struct pt_opts *opts)
{
	char *format;
	int ret;

	(void)opts;
	ret = check_tracefs();
	if (ret == -ENOENT)
		return 1;
	if (!tracefs_event_file_exists(NULL, PT_EVENT_SYSTEM, PT_EVENT_NAME,
				       "format")) {
		no_event();
		return 1;
	}
	printf("net:ip_icmp: present\n");
	ret = check_fields() || ret;
	ret = check_event6() || ret;
	format = tracefs_event_file_read(NULL, PT_EVENT_SYSTEM, PT_EVENT_NAME,
					 "format", NULL);
	if (format)
		printf("\n%s", format);
	free(format);
	ret = pt_exit_write_error(fflush(stdout) ? -errno : 0) || ret;
	return ret ? 1 : 0;
}
