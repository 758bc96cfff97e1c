/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trace file's kallsyms, parsed by libtraceevent only when a function
 * is first looked up (see kallsyms.c).
 */
#ifndef PT_KALLSYMS_H
#define PT_KALLSYMS_H

struct tep_handle;
struct tracecmd_input;

void pt_kallsyms_lazy(int on);
/* tracecmd_open(), its kallsyms kept aside for pt_kallsyms_need() */
struct tracecmd_input *pt_tracecmd_open_lazy(const char *path);
/* Before any lookup in @tep's functions: the kept kallsyms parsed, once */
int pt_kallsyms_need(struct tep_handle *tep);
/* Before @tep is freed (its handle closed): what was kept for it */
void pt_kallsyms_forget(struct tep_handle *tep);

#endif /* PT_KALLSYMS_H */
