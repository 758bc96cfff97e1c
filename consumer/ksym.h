/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel text symbols from a kallsyms text, for live's drop locations:
 * parsed in one pass into a sorted array, far cheaper than
 * tep_parse_kallsyms() (which costs seconds under QEMU's TCG), and only
 * when a location first needs a name.
 */
#ifndef PT_KSYM_H
#define PT_KSYM_H

#include <stddef.h>
#include <stdint.h>

struct pt_ksym {
	uint64_t	addr;
	const char	*name;		/* into pt_ksyms.text */
};

struct pt_ksyms {
	char		*text;		/* the kallsyms text, names cut out */
	struct pt_ksym	*syms;		/* by address */
	size_t		nr;
};

int pt_ksyms_parse(struct pt_ksyms *ks, char *text);
int pt_ksyms_load(struct pt_ksyms *ks, const char *path);
const char *pt_ksyms_find(const struct pt_ksyms *ks, uint64_t addr);
void pt_ksyms_release(struct pt_ksyms *ks);

#endif /* PT_KSYM_H */
