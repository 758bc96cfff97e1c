/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Targets (-t): parsing, matching events, and the in-kernel event filters
 * of net:ip_icmp and net:ip6_icmp.
 */
#ifndef PT_TARGET_H
#define PT_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define PT_MAX_TARGETS	32

struct pt_targets {
	unsigned int	nr;
	struct pt_addr	addr[PT_MAX_TARGETS];
};

int pt_target_parse(const char *str, struct pt_addr *addr);
int pt_targets_add(struct pt_targets *t, const char *str);
unsigned int pt_targets_count(const struct pt_targets *t, int family);
int pt_targets_match(const struct pt_targets *t, const struct pt_event *ev);
int pt_targets_filter_orig(const struct pt_targets *t, int big_endian,
			   int orig, char *buf, size_t size);
int pt_targets_filter(const struct pt_targets *t, int big_endian,
		      char *buf, size_t size);
int pt_targets_filter6(const struct pt_targets *t, char *buf, size_t size);
int pt_host_big_endian(void);

#endif /* PT_TARGET_H */
