/*
 * addr.h - RFC 5322 address lists and envelope address checks (no I/O).
 *
 * Contract:
 *  - addr_list_parse() walks an address-list or mailbox-list (display
 *    names, angle addresses, groups "name: a, b;", comments "(...)" that
 *    nest, quoted strings and quoted local parts, folded lines,
 *    obsolete source routes) and appends each addr-spec to *out as a
 *    malloc'd string (quoted local parts kept quoted).  Empty groups and
 *    empty list elements are skipped.  Malformed input fails with
 *    ERR_DATAERR naming the text.
 *  - addr_check_envelope() rejects what must never reach an SMTP
 *    command: CR, LF, NUL, other control bytes, unquoted spaces, '<' or
 *    '>', an empty or over-long (RFC 5321 §4.5.3.1.3: 256 octets for a
 *    path) address.  ERR_DATAERR naming the address (sanitised).
 *  - addr_qualify() appends "@domain" to an address without '@'.
 *  - addr_envelope_form() is the international step (RFC 5890/6531):
 *    after addr_check_envelope() it converts a non-ASCII domain to its
 *    A-label form (idn_host_to_ascii(); a domain literal "[...]" is kept
 *    as written and must be ASCII), so an address with an ASCII local
 *    part never needs SMTPUTF8; a non-ASCII local part must be valid
 *    UTF-8 and sets *smtputf8.  Failures are ERR_DATAERR naming the
 *    address; the converted address is checked again (an A-label is
 *    longer than its U-label).
 *  - addr_utf8_valid(): RFC 3629 UTF-8 (no overlong forms, no
 *    surrogates, nothing above U+10FFFF).
 *
 * Policies (for the man page):
 *  - Whitespace also separates addresses outside angle brackets, so the
 *    argument "a@x b@y" is two recipients like "a@x, b@y" (Debian cron's
 *    MAILTO passes comma lists; both spellings work).  A phrase without
 *    an angle address therefore yields one address per word.
 *  - Obsolete source routes "<@a,@b:user@c>" yield "user@c".  CFWS
 *    around dots and '@' (obs-local-part, obs-domain) is removed.
 *  - "<>" inside a list is an empty element and is skipped.
 *  - Control bytes (NUL, DEL, anything below 0x20 but HTAB) are refused
 *    anywhere; CR/LF only as folding (followed by SP or HTAB), never
 *    inside quoted strings, comments or domain literals.
 *  - Bytes >= 0x80 are accepted in atoms (SMTPUTF8 addresses).
 */
#ifndef MAILHOP_ADDR_H
#define MAILHOP_ADDR_H

#include <stddef.h>

#include "err.h"

/* RFC 5321 §4.5.3.1: local part 64, domain 255, path 256 octets. */
#define ADDR_LOCAL_MAX	64
#define ADDR_DOMAIN_MAX 255
#define ADDR_PATH_MAX	256
/* One parsed address longer than this is refused (a text line, RFC 5322). */
#define ADDR_TEXT_MAX 998

struct strlist {
	char **v;
	size_t n;
	size_t alloc;
};

void strlist_init(struct strlist *l);
void strlist_release(struct strlist *l);
int strlist_add(struct strlist *l, const char *s); /* copies s */
/* Does the list already hold s (exact match)? */
int strlist_has(const struct strlist *l, const char *s);

int addr_list_parse(const char *s, size_t len, struct strlist *out,
		    struct err *e);
int addr_check_envelope(const char *addr, int allow_empty, struct err *e);
/* New string: addr, or addr@domain when addr has no '@' and domain set. */
char *addr_qualify(const char *addr, const char *domain);
/* The '@' that separates local part and domain (outside quotes), or NULL. */
const char *addr_at(const char *addr);
/* Same mailbox: local parts equal exactly, domains case-insensitively. */
int addr_equal(const char *a, const char *b);
/* Add addr to l unless an addr_equal() address is already there. */
int strlist_add_unique(struct strlist *l, const char *addr);
/*
 * The form of addr sent in MAIL/RCPT (see above): *out is malloc'd; the
 * null sender "" passes when allow_empty.  *smtputf8 is set to 1 when
 * the local part is non-ASCII (left alone otherwise).
 */
int addr_envelope_form(const char *addr, int allow_empty, char **out,
		       int *smtputf8, struct err *e);
/* Is s[0..n) valid UTF-8? */
int addr_utf8_valid(const char *s, size_t n);

#endif
