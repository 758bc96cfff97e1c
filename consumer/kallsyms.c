// SPDX-License-Identifier: GPL-2.0
/*
 * A trace file's kallsyms, parsed only when a function is looked up.
 *
 * tracecmd_open() hands the file's kallsyms section to libtraceevent's
 * tep_parse_kallsyms(), which runs sscanf() on each line: 30,000 lines
 * of a guest kernel are 120 million instructions, about 17 ms, on each
 * open (callgrind, make bench), and tracefile.c opens a compressed file
 * again every segment.  pingtrace looks a function up only to name the
 * location of a drop (drop-decode.c); a flood has none.
 *
 * So tep_parse_kallsyms() is defined here too.  The executable's
 * definition comes first in the dynamic linker's search, so that
 * libtracecmd's call (through its PLT) lands here.  Outside of
 * pt_tracecmd_open_lazy(), it hands the text to libtraceevent's own
 * (dlsym(RTLD_NEXT)) at once.  Inside, it keeps a copy of the text for
 * the tep handle, and libtraceevent's own parses it when
 * pt_kallsyms_need() is first called for that handle: the functions
 * the tep ends up with are those it had, parsed by the same code.
 *
 * A file libtraceevent's parser would crash on is still caught where
 * it was: in a child (replay.c's probe_open() opens without this; the
 * report child is the one that looks up).
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <trace-cmd.h>

#include "kallsyms.h"

/* Handles open at once: the file's, and the next segment's */
#define KEPT_MAX	4

typedef int (*parse_fn)(struct tep_handle *tep, const char *kallsyms);

struct kept {
	struct tep_handle	*tep;
	char			*text;
};

static struct kept kept[KEPT_MAX];
static int lazy;
/* The tep of the open under way, whose text is kept */
static struct tep_handle *opening;

static parse_fn libtraceevent_parse(void)
{
	static parse_fn fn;

	if (!fn)
		fn = (parse_fn)dlsym(RTLD_NEXT, "tep_parse_kallsyms");
	return fn;
}

static int parse_now(struct tep_handle *tep, const char *kallsyms)
{
	parse_fn fn = libtraceevent_parse();

	return fn ? fn(tep, kallsyms) : -1;
}

/* The text kept for @tep; NULL: a free slot */
static struct kept *kept_of(const struct tep_handle *tep)
{
	int i;

	for (i = 0; i < KEPT_MAX; i++)
		if (kept[i].tep == tep)
			return &kept[i];
	return NULL;
}

/*
 * A text kept for a tep at the same address is an older handle's, freed
 * without pt_kallsyms_forget(): replaced.  No room, or no memory: parsed
 * now, as without this file.
 */
int tep_parse_kallsyms(struct tep_handle *tep, const char *kallsyms)
{
	struct kept *k;

	if (!lazy)
		return parse_now(tep, kallsyms);
	pt_kallsyms_forget(tep);
	k = kept_of(NULL);
	if (!k || !libtraceevent_parse())
		return parse_now(tep, kallsyms);
	k->text = strdup(kallsyms);
	if (!k->text)
		return parse_now(tep, kallsyms);
	k->tep = tep;
	opening = tep;
	return 0;
}

/* @on: tep_parse_kallsyms() keeps the text; off: it parses at once */
void pt_kallsyms_lazy(int on)
{
	lazy = on;
	opening = NULL;
}

struct tracecmd_input *pt_tracecmd_open_lazy(const char *path)
{
	struct tracecmd_input *handle;

	pt_kallsyms_lazy(1);
	handle = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	lazy = 0;
	/* a failed open freed its tep */
	if (!handle && opening)
		pt_kallsyms_forget(opening);
	opening = NULL;
	return handle;
}

/*
 * Before the first lookup: libtraceevent sorts the functions it has into
 * its map on the first lookup, and adds none registered later.
 * Returns 1 when @tep's text was parsed now, 0 when none was kept.
 */
int pt_kallsyms_need(struct tep_handle *tep)
{
	struct kept *k = tep ? kept_of(tep) : NULL;
	char *text;

	if (!k)
		return 0;
	text = k->text;
	k->tep = NULL;
	k->text = NULL;
	parse_now(tep, text);
	free(text);
	return 1;
}

void pt_kallsyms_forget(struct tep_handle *tep)
{
	struct kept *k = tep ? kept_of(tep) : NULL;

	if (!k)
		return;
	free(k->text);
	k->tep = NULL;
	k->text = NULL;
}
