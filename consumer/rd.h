/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers of a record, in the byte order of its file: @swap when the
 * file's differs from ours.  For the decoders (decode.c, drop-decode.c),
 * which read every field of every event.
 */
#ifndef PT_RD_H
#define PT_RD_H

#include <stdint.h>
#include <string.h>

static inline uint16_t pt_rd16(const unsigned char *p, int swap)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

static inline uint32_t pt_rd32(const unsigned char *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static inline uint64_t pt_rd64(const unsigned char *p, int swap)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return swap ? __builtin_bswap64(v) : v;
}

#endif /* PT_RD_H */
