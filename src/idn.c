/*
 * idn.c - international host names (see idn.h for the contract).
 *
 * A name holding a byte >= 0x80 is checked here first (strict UTF-8:
 * no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF, no
 * U+FFFD, which only ever stands for text already damaged), then handed
 * to libidn2 with IDNA2008 rules and UTS#46 non-transitional mapping
 * (upper case folded, full-width and ideographic dots become '.', "ß"
 * stays "ß" and so gets an A-label of its own), then its A-label form is
 * checked again: only letters, digits, '-', '_' and '.'; every label 1
 * to 63 octets (a single trailing dot, the DNS root, is allowed); the
 * name at most 253 octets.  libidn2 enforces most of this already; the
 * second check is what the rest of mailhop relies on (an A-label goes
 * into SMTP commands, file names and certificate checks), so it does
 * not depend on the library's version.
 * An all-ASCII name (IP literals included: "[192.0.2.1]", "::1") is
 * copied unchanged and unchecked, as msmtp treats every name, so rc
 * files that worked with msmtp keep working byte for byte.
 */
#include "idn.h"

#include <idn2.h>
#include <stdlib.h>
#include <string.h>

/* RFC 1035 section 2.3.4: a label is at most 63 octets. */
#define IDN_LABEL_MAX 63
/* RFC 1035: 255 octets on the wire, i.e. 253 as text without the root
 * dot. */
#define IDN_NAME_MAX 253
/* Longest input considered; UTS#46 may drop ignorable code points, but
 * no real name needs four times the limit. */
#define IDN_INPUT_MAX (4 * IDN_NAME_MAX)
/* How much of a bad name an error message quotes. */
#define IDN_QUOTE_MAX 100
/* The IDNA processing mailhop uses everywhere (UTS#46 section 4). */
#define IDN_FLAGS (IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL)

#define IDN_TOO_LONG_NAME  "name longer than 253 octets"
#define IDN_TOO_LONG_LABEL "label longer than 63 octets"

/* The one failure that is not the name's fault (compared by address). */
static const char idn_oom[] = "out of memory";

int idn_is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* Length of the UTF-8 sequence at s (1..4), or 0 when it is invalid. */
static size_t utf8_seq(const unsigned char *s, unsigned long *cp)
{
	size_t n, i;
	unsigned long c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond Unicode */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* Why the UTF-8 input cannot be a name, or NULL. */
static const char *check_utf8(const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	unsigned long cp;
	size_t n;

	while (*s) {
		n = utf8_seq(s, &cp);
		if (n == 0)
			return "not valid UTF-8";
		if (cp == 0xfffd)
			return "contains U+FFFD (a replacement character: "
			       "the name was damaged before it got here)";
		s += n;
	}
	return NULL;
}

static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

/* Why the A-label form cannot be used, or NULL. */
static const char *check_ascii(const char *s)
{
	size_t len = strlen(s), label = 0, i;

	if (len > 0 && s[len - 1] == '.')
		len--; /* the root */
	if (len == 0)
		return "empty name";
	if (len > IDN_NAME_MAX)
		return IDN_TOO_LONG_NAME;
	for (i = 0; i < len; i++) {
		if (!host_char(s[i]))
			return "contains a character not allowed in host "
			       "names";
		if (s[i] != '.') {
			if (++label > IDN_LABEL_MAX)
				return IDN_TOO_LONG_LABEL;
			continue;
		}
		if (label == 0)
			return "empty label";
		label = 0;
	}
	return label == 0 ? "empty label" : NULL;
}

/* Convert a non-ASCII name; NULL on success, else why not. */
static const char *convert(const char *in, char **out)
{
	const char *why;
	char *a = NULL;
	int rc;

	if (strlen(in) > IDN_INPUT_MAX)
		return "name too long";
	if ((why = check_utf8(in)) != NULL)
		return why;
	rc = idn2_to_ascii_8z(in, &a, IDN_FLAGS);
	if (rc != IDN2_OK) {
		if (rc == IDN2_MALLOC)
			return idn_oom;
		/* libidn2 words these by its buffer sizes; say what DNS
		 * allows (a too large Punycode label is a label over 63) */
		if (rc == IDN2_TOO_BIG_DOMAIN)
			return IDN_TOO_LONG_NAME;
		if (rc == IDN2_TOO_BIG_LABEL || rc == IDN2_PUNYCODE_BIG_OUTPUT)
			return IDN_TOO_LONG_LABEL;
		return idn2_strerror(rc);
	}
	if ((why = check_ascii(a)) != NULL) {
		idn2_free(a);
		return why;
	}
	/* idn2_free, not free: the library may use its own allocator */
	*out = strdup(a);
	idn2_free(a);
	return *out ? NULL : idn_oom;
}

int idn_host_to_ascii_for(const char *in, char **out, const char *what,
			  enum err_kind kind, struct err *e)
{
	const char *why;

	*out = NULL;
	if (idn_is_ascii(in)) {
		*out = strdup(in);
		return *out ? 0 : err_set(e, ERR_OSERR, "out of memory");
	}
	why = convert(in, out);
	if (!why)
		return 0;
	if (why == idn_oom)
		return err_set(e, ERR_OSERR, "%s", idn_oom);
	if (what)
		return err_set(e, kind, "invalid host name '%.*s' for '%s': %s",
			       IDN_QUOTE_MAX, in, what, why);
	return err_set(e, kind, "invalid host name '%.*s': %s", IDN_QUOTE_MAX,
		       in, why);
}

int idn_host_to_ascii(const char *in, char **out, enum err_kind kind,
		      struct err *e)
{
	return idn_host_to_ascii_for(in, out, NULL, kind, e);
}
