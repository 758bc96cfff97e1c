// SPDX-License-Identifier: GPL-2.0
/*
 * Targets: IPv4 or IPv6 addresses, or host names (resolved to their
 * first address, IPv4 or IPv6, as getaddrinfo() orders them), matched
 * against either end of a packet.
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

/* A name's A or AAAA record: the first of either that the resolver gives */
static int resolve(const char *str, struct pt_addr *addr)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_RAW };
	struct addrinfo *res, *ai;
	int ret = -ENOENT;

	if (getaddrinfo(str, NULL, &hints, &res) || !res)
		return -ENOENT;
	for (ai = res; ai && ret; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			*addr = pt_addr4(((struct sockaddr_in *)
					  ai->ai_addr)->sin_addr.s_addr);
			ret = 0;
		} else if (ai->ai_family == AF_INET6) {
			*addr = pt_addr6(((struct sockaddr_in6 *)
					  ai->ai_addr)->sin6_addr.s6_addr);
			ret = 0;
		}
	}
	freeaddrinfo(res);
	return ret;
}

/* An IPv6 literal has a colon, which no host name has */
static int parse_v6(const char *str, struct pt_addr *addr)
{
	struct in6_addr in6;

	if (inet_pton(AF_INET6, str, &in6) != 1)
		return -EINVAL;
	*addr = pt_addr6(in6.s6_addr);
	return 0;
}

/*
 * Dotted quad (exactly four decimal parts), IPv6 address (no zone) or a
 * host name.  Returns 0, -EINVAL for a malformed address, or -ENOENT
 * for a name that resolves to no IPv4 or IPv6 address.
 */
int pt_target_parse(const char *str, struct pt_addr *addr)
{
	struct in_addr in;

	if (!str || !*str)
		return -EINVAL;
	if (strchr(str, ':'))
		return parse_v6(str, addr);
	if (looks_numeric(str)) {
		if (inet_pton(AF_INET, str, &in) != 1)
			return -EINVAL;
		*addr = pt_addr4(in.s_addr);
		return 0;
	}
	if (strspn(str, HOSTNAME_CHARS) != strlen(str))
		return -EINVAL;
	return resolve(str, addr);
}

/* Returns 0, -ENOSPC when full, or an error of pt_target_parse() */
int pt_targets_add(struct pt_targets *t, const char *str)
{
	struct pt_addr addr;
	unsigned int i;
	int ret;

	ret = pt_target_parse(str, &addr);
	if (ret)
		return ret;
	for (i = 0; i < t->nr; i++)
		if (pt_addr_eq(&t->addr[i], &addr))
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
		if (pt_addr_eq(&ev->saddr, &t->addr[i]) ||
		    pt_addr_eq(&ev->daddr, &t->addr[i]) ||
		    (ev->has_orig && pt_addr_eq(&ev->orig.daddr, &t->addr[i])))
			return 1;
	return 0;
}

/* Targets of @family */
unsigned int pt_targets_count(const struct pt_targets *t, int family)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->nr; i++)
		n += t->addr[i].family == family;
	return n;
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
 * errors that quote a datagram sent to a target.  IPv6 targets are not
 * net:ip_icmp's: see pt_targets_filter6().
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
		if (t->addr[i].family != AF_INET)
			continue;
		v = filter_value(t->addr[i].v4, big_endian);
		n = snprintf(buf + len, size - len,
			     "%ssaddr == 0x%x || daddr == 0x%x",
			     len ? " || " : "", v, v);
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

/* The first (@lo 0) or last 8 bytes of @a as a number, as the event has */
static unsigned long long half(const struct pt_addr *a, int lo)
{
	unsigned long long v = 0;
	int i;

	for (i = lo ? 8 : 0; i < (lo ? 16 : 8); i++)
		v = v << 8 | a->v6[i];
	return v;
}

/*
 * net:ip6_icmp's filter: its addresses are __u8[16], which a filter
 * cannot compare, so the event has each as two host-order u64 halves
 * (saddr_hi, saddr_lo...); 2001:db8::2 is daddr_hi == 0x20010db800000000
 * && daddr_lo == 0x2 on any machine.  Errors quoting a packet sent to a
 * target pass too (orig_daddr_*).  Writes "" when there are no IPv6
 * targets.  Returns the length written, or -ENOSPC.
 */
int pt_targets_filter6(const struct pt_targets *t, char *buf, size_t size)
{
	static const char * const fields[] = { "saddr", "daddr", "orig_daddr" };
	unsigned long long hi, lo;
	size_t len = 0;
	unsigned int i, f;
	int n;

	if (!size)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < t->nr; i++) {
		if (t->addr[i].family != AF_INET6)
			continue;
		hi = half(&t->addr[i], 0);
		lo = half(&t->addr[i], 1);
		for (f = 0; f < 3; f++) {
			n = snprintf(buf + len, size - len,
				     "%s(%s_hi == 0x%llx && %s_lo == 0x%llx)",
				     len ? " || " : "", fields[f], hi,
				     fields[f], lo);
			if (n < 0 || (size_t)n >= size - len)
				return -ENOSPC;
			len += n;
		}
	}
	return (int)len;
}
