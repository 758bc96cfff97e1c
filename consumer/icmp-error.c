// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors in the words iputils ping prints them, so that a line of
 * pingtrace reads as the line of ping it explains.  Pure: no I/O.
 */
#include <stddef.h>
#include <stdio.h>

#include "event.h"
#include "pair.h"

/* Codes of ICMP_DEST_UNREACH (RFC 792, RFC 1122, RFC 1812) */
static const char * const unreach_text[] = {
	"Destination Net Unreachable",
	"Destination Host Unreachable",
	"Destination Protocol Unreachable",
	"Destination Port Unreachable",
	"Frag needed and DF set",
	"Source Route Failed",
	"Destination Net Unknown",
	"Destination Host Unknown",
	"Source Host Isolated",
	"Destination Net Prohibited",
	"Destination Host Prohibited",
	"Destination Net Unreachable for Type of Service",
	"Destination Host Unreachable for Type of Service",
	"Packet filtered",
	"Precedence Violation",
	"Precedence Cutoff",
};

static const char * const redirect_text[] = {
	"Redirect Network",
	"Redirect Host",
	"Redirect Type of Service and Network",
	"Redirect Type of Service and Host",
};

static const char * const exceeded_text[] = {
	"Time to live exceeded",
	"Frag reassembly time exceeded",
};

/* ICMPv6 (RFC 4443), as iputils prints them after its prefix */
static const char * const unreach6_text[] = {
	"No route",
	"Administratively prohibited",
	"Beyond scope of source address",
	"Address unreachable",
	"Port unreachable",
};

static const char * const exceed6_text[] = {
	"Hop limit",
	"Defragmentation failure",
};

/* iputils ends each of these with a space, then "at POINTER" */
static const char * const paramprob6_text[] = {
	"Wrong header field",
	"Unknown header",
	"Unknown option",
};

#define TEXT_OF(table, code) \
	((code) < sizeof(table) / sizeof(table[0]) ? table[code] : NULL)

/* The errors of RFC 4443 that quote the packet: never ND or MLD */
int pt_icmp6_is_error_type(unsigned int type)
{
	return type == PT_ICMP6_DEST_UNREACH || type == PT_ICMP6_PKT_TOOBIG ||
	       type == PT_ICMP6_TIME_EXCEED || type == PT_ICMP6_PARAMPROB;
}

int pt_icmp_is_error_type(unsigned int type)
{
	return type == PT_ICMP_DEST_UNREACH || type == PT_ICMP_SOURCE_QUENCH ||
	       type == PT_ICMP_REDIRECT || type == PT_ICMP_TIME_EXCEEDED ||
	       type == PT_ICMP_PARAMETERPROB;
}

/*
 * ping's text for @type and @code, or NULL for a code ping calls bad
 * (the caller prints the numbers then).  The caller adds the mtu of
 * "Frag needed" where the event has it; the pointer of "Parameter
 * problem" is not in net:ip_icmp.
 */
const char *pt_icmp_error_text(uint8_t type, uint8_t code)
{
	switch (type) {
	case PT_ICMP_DEST_UNREACH:
		return TEXT_OF(unreach_text, code);
	case PT_ICMP_SOURCE_QUENCH:
		return "Source Quench";
	case PT_ICMP_REDIRECT:
		return TEXT_OF(redirect_text, code);
	case PT_ICMP_TIME_EXCEEDED:
		return TEXT_OF(exceeded_text, code);
	case PT_ICMP_PARAMETERPROB:
		return "Parameter problem";
	}
	return NULL;
}

/* iputils' "<prefix>: <text>", or its "Unknown code N" and "code N" */
static int text6(char *buf, size_t size, const char *prefix,
		 const char *text, const char *unknown, unsigned int code)
{
	if (text)
		return snprintf(buf, size, "%s: %s", prefix, text);
	return snprintf(buf, size, "%s: %s %u", prefix, unknown, code);
}

static int icmp6_text(const struct pt_echo_error *err, char *buf, size_t size)
{
	switch (err->type) {
	case PT_ICMP6_DEST_UNREACH:
		return text6(buf, size, "Destination unreachable",
			     TEXT_OF(unreach6_text, err->code), "Unknown code",
			     err->code);
	case PT_ICMP6_PKT_TOOBIG:
		if (err->code)
			return snprintf(buf, size, "Packet too big: mtu=%u, "
					"code=%u", err->mtu, err->code);
		return snprintf(buf, size, "Packet too big: mtu=%u", err->mtu);
	case PT_ICMP6_TIME_EXCEED:
		return text6(buf, size, "Time exceeded",
			     TEXT_OF(exceed6_text, err->code), "code",
			     err->code);
	case PT_ICMP6_PARAMPROB:
		/* the pointer ("at N") is not in net:ip6_icmp */
		return text6(buf, size, "Parameter problem",
			     TEXT_OF(paramprob6_text, err->code), "code",
			     err->code);
	}
	return -1;
}

/*
 * ping's words for @err, of either family, into @buf.  Returns -1 when
 * ping has none (the caller prints the numbers then), else the length
 * snprintf() gave.
 */
int pt_echo_error_text(const struct pt_echo_error *err, char *buf,
		       size_t size)
{
	const char *text;

	if (err->from.family == AF_INET6)
		return icmp6_text(err, buf, size);
	text = pt_icmp_error_text(err->type, err->code);
	if (!text)
		return -1;
	return snprintf(buf, size, "%s", text);
}
