// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel text symbols: "ADDR TYPE NAME[\t[MODULE]]" lines, as
 * /proc/kallsyms gives them.  Only text symbols (t, T, w, W) are kept:
 * a drop location is a return address in a function.  Pure but for
 * pt_ksyms_load(), which reads the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksym.h"

/* A file is read in pieces of this size */
#define KSYMS_CHUNK	(256 * 1024)

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/*
 * One line at @p, cut at its end; 1 and *sym for a text symbol, 0 for
 * anything else.  *next is the line after it.
 */
static int parse_line(char *p, struct pt_ksym *sym, char **next)
{
	char *end = strchr(p, '\n');
	uint64_t addr = 0;
	char *name;
	int digits = 0, v;

	if (end)
		*end = '\0';
	*next = end ? end + 1 : p + strlen(p);
	for (; (v = hex_digit(*p)) >= 0 && digits < 16; p++, digits++)
		addr = addr << 4 | (uint64_t)v;
	if (!digits || p[0] != ' ' || !p[1] || p[2] != ' ' || !is_text(p[1]))
		return 0;
	name = p + 3;
	name[strcspn(name, " \t")] = '\0';
	if (!name[0])
		return 0;
	sym->addr = addr;
	sym->name = name;
	return 1;
}

static int by_addr(const void *a, const void *b)
{
	const struct pt_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static size_t count_lines(const char *text)
{
	size_t n = 1;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* @text becomes @ks's (freed by pt_ksyms_release()); -ENOMEM */
int pt_ksyms_parse(struct pt_ksyms *ks, char *text)
{
	char *p = text, *next;
	struct pt_ksym sym;

	memset(ks, 0, sizeof(*ks));
	ks->text = text;
	ks->syms = malloc(count_lines(text) * sizeof(*ks->syms));
	if (!ks->syms)
		return -ENOMEM;
	while (*p) {
		if (parse_line(p, &sym, &next))
			ks->syms[ks->nr++] = sym;
		p = next;
	}
	qsort(ks->syms, ks->nr, sizeof(*ks->syms), by_addr);
	return 0;
}

static char *read_all(FILE *fp)
{
	size_t len = 0, size = 0, n;
	char *text = NULL, *bigger;

	do {
		if (len + KSYMS_CHUNK + 1 > size) {
			bigger = realloc(text, size + KSYMS_CHUNK + 1);
			if (!bigger) {
				free(text);
				return NULL;
			}
			text = bigger;
			size += KSYMS_CHUNK + 1;
		}
		n = fread(text + len, 1, KSYMS_CHUNK, fp);
		len += n;
	} while (n == KSYMS_CHUNK);
	text[len] = '\0';
	return text;
}

/* -errno when @path cannot be read */
int pt_ksyms_load(struct pt_ksyms *ks, const char *path)
{
	FILE *fp = fopen(path, "r");
	char *text;

	memset(ks, 0, sizeof(*ks));
	if (!fp)
		return -errno;
	text = read_all(fp);
	fclose(fp);
	if (!text)
		return -ENOMEM;
	return pt_ksyms_parse(ks, text);
}

/* The function @addr is in, or NULL below the first one */
const char *pt_ksyms_find(const struct pt_ksyms *ks, uint64_t addr)
{
	size_t lo = 0, hi = ks->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? ks->syms[lo - 1].name : NULL;
}

void pt_ksyms_release(struct pt_ksyms *ks)
{
	free(ks->syms);
	free(ks->text);
	memset(ks, 0, sizeof(*ks));
}
