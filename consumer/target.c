// SPDX-License-Identifier: GPL-2.0
/*
 * Targets: IPv4 addresses or host names (resolved to their first IPv4
 * address), matched against either end of a packet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "target.h"

#define HOSTNAME_CHARS	"abcdefghijklmnopqrstuvwxyz" \
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"

/* A host name never ends in an all-digit label: that is an address */
static int looks_numeric(const char *str)
{
	const char *last = strrchr(str, '.');

	last = last ? last + 1 : str;
	return strspn(last, "0123456789") == strlen(last);
}

static int resolve(const char *str, uint32_t *addr)
{
	struct addrinfo hints = { .ai_family = AF_INET };
	struct addrinfo *res;

	if (getaddrinfo(str, NULL, &hints, &res) || !res)
		return -ENOENT;
	*addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr;
	freeaddrinfo(res);
	return 0;
}

/*
 * Dotted quad (exactly four decimal parts) or a host name.  Returns 0,
 * -EINVAL for a malformed address, or -ENOENT for a name that does not
 * resolve to an IPv4 address.
 */
int pt_target_parse(const char *str, uint32_t *addr)
{
	struct in_addr in;

	if (!str || !*str)
		return -EINVAL;
	if (looks_numeric(str)) {
		if (inet_pton(AF_INET, str, &in) != 1)
			return -EINVAL;
		*addr = in.s_addr;
		return 0;
	}
	if (strspn(str, HOSTNAME_CHARS) != strlen(str))
		return -EINVAL;
	return resolve(str, addr);
}

/* Returns 0, -ENOSPC when full, or an error of pt_target_parse() */
int pt_targets_add(struct pt_targets *t, const char *str)
{
	uint32_t addr;
	unsigned int i;
	int ret;

	ret = pt_target_parse(str, &addr);
	if (ret)
		return ret;
	for (i = 0; i < t->nr; i++)
		if (t->addr[i] == addr)
			return 0;
	if (t->nr == PT_MAX_TARGETS)
		return -ENOSPC;
	t->addr[t->nr++] = addr;
	return 0;
}

/*
 * No targets: every event matches.  An ICMP error matches when the
 * datagram it quotes was sent to a target: its own addresses are a
 * router's and the requester's.
 */
int pt_targets_match(const struct pt_targets *t, const struct pt_event *ev)
{
	unsigned int i;

	if (!t->nr)
		return 1;
	for (i = 0; i < t->nr; i++)
		if (ev->saddr == t->addr[i] || ev->daddr == t->addr[i] ||
		    (ev->has_orig && ev->orig.daddr == t->addr[i]))
			return 1;
	return 0;
}

int pt_host_big_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 0;
}

/* The four address bytes as the kernel's filter reads them: a host u32 */
static uint32_t filter_value(uint32_t addr, int big_endian)
{
	const uint8_t *b = (const uint8_t *)&addr;

	if (big_endian)
		return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	return (uint32_t)b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0];
}

/*
 * The kernel's event filter compares a __u8[4] field as a u32 loaded in
 * the machine's byte order, so 198.51.100.1 is 0x16433c6 on a
 * little-endian machine.  Writes "" when there are no targets.
 * Returns the length written, or -ENOSPC.
 */
int pt_targets_filter(const struct pt_targets *t, int big_endian,
		      char *buf, size_t size)
{
	return pt_targets_filter_orig(t, big_endian, 0, buf, size);
}

/*
 * The same, and with @orig (the format has orig_daddr) also the ICMP
 * errors that quote a datagram sent to a target.
 */
int pt_targets_filter_orig(const struct pt_targets *t, int big_endian,
			   int orig, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;
	uint32_t v;
	int n;

	if (!size)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < t->nr; i++) {
		v = filter_value(t->addr[i], big_endian);
		n = snprintf(buf + len, size - len,
			     "%ssaddr == 0x%x || daddr == 0x%x",
			     i ? " || " : "", v, v);
		if (n < 0 || (size_t)n >= size - len)
			return -ENOSPC;
		len += n;
		if (!orig)
			continue;
		n = snprintf(buf + len, size - len, " || orig_daddr == 0x%x", v);
		if (n < 0 || (size_t)n >= size - len)
			return -ENOSPC;
		len += n;
	}
	return (int)len;
}
