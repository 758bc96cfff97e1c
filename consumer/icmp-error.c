// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors in the words iputils ping prints them, so that a line of
 * pingtrace reads as the line of ping it explains.  Pure: no I/O.
 */
#include <stddef.h>

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

#define TEXT_OF(table, code) \
	((code) < sizeof(table) / sizeof(table[0]) ? table[code] : NULL)

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
