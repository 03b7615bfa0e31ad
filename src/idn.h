/*
 * idn.h - international names (no I/O): IDNA2008 with UTS#46 mapping
 * through libidn2, and the facts the envelope needs about UTF-8.
 *
 * Contract:
 *  - idn_host_to_ascii() turns a host name (rc keys host,
 *    tls_host_override, domain; the domain of an envelope address) into
 *    its A-label form for DNS, SNI, the certificate name check, EHLO and
 *    the SMTP envelope.  ASCII input is returned lower-cased only where
 *    libidn2 does so (an all-ASCII name is returned unchanged).  Invalid
 *    input (not UTF-8, lone surrogates, disallowed code points, a label
 *    over 63 octets, a name over 253, bidi/contextual rule violations,
 *    U+FFFD) fails with ERR_CONFIG/ERR_DATAERR as the caller asks and a
 *    message quoting the (sanitised) name and libidn2's reason.  *out is
 *    malloc'd; an IP literal ("[1.2.3.4]", "::1", "192.0.2.1") is copied
 *    unchanged.
 *  - idn_is_ascii(): every byte < 0x80.
 */
#ifndef MAILHOP_IDN_H
#define MAILHOP_IDN_H

#include "err.h"

int idn_host_to_ascii(const char *in, char **out, enum err_kind kind,
		      struct err *e);
/*
 * The same, naming what the name is for in the message (an rc key):
 * "invalid host name 'X' for 'host': <reason>".  what may be NULL.
 */
int idn_host_to_ascii_for(const char *in, char **out, const char *what,
			  enum err_kind kind, struct err *e);
int idn_is_ascii(const char *s);

#endif
