/*
 * fuzz_addr.c - the RFC 5322 address-list parser and the envelope
 * address checks (addr.c) on arbitrary text (an argv recipient or a
 * To/Cc/Bcc/From value).
 *
 * Properties: every parsed address is a non-empty C string of at most
 * ADDR_TEXT_MAX octets without CR, LF or other control bytes but HTAB
 * (addr.h: a quoted string may hold one; addr_check_envelope() refuses
 * it later); parsing it again gives it
 * back unchanged; what addr_envelope_form() accepts passes
 * addr_check_envelope() and is pure ASCII unless it set smtputf8;
 * addr_qualify() and addr_equal() agree with addr_at();
 * addr_utf8_valid() agrees with a plain RFC 3629 decoder.
 */
#include "config.h"

#include <string.h>

#include "addr.h"
#include "fuzz.h"

/* RFC 3629 §4 syntax, written out independently of addr.c. */
static int utf8_ref(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], lo = 0x80, hi = 0xbf;
		size_t k, need;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3;
		else
			return 0;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n - i - 1 < need)
			return 0;
		for (k = 1; k <= need; k++) {
			unsigned t = s[i + k];

			if (k == 1 ? (t < lo || t > hi)
				   : (t < 0x80 || t > 0xbf))
				return 0;
		}
		i += need + 1;
	}
	return 1;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void check_one(const char *a)
{
	size_t len = strlen(a), i;
	struct strlist again;
	struct err e = ERR_INIT;
	char *form = NULL, *q;
	int u8 = 0;

	FUZZ_ASSERT(len > 0 && len <= ADDR_TEXT_MAX);
	for (i = 0; i < len; i++)
		FUZZ_ASSERT(((unsigned char)a[i] >= 0x20 || a[i] == '\t') &&
			    a[i] != 0x7f);

	/* an addr-spec is a one-element list of itself */
	strlist_init(&again);
	FUZZ_ASSERT(addr_list_parse(a, len, &again, &e) == 0);
	FUZZ_ASSERT(again.n == 1 && strcmp(again.v[0], a) == 0);
	strlist_release(&again);

	err_init(&e);
	addr_check_envelope(a, 0, &e);
	fuzz_check_err(&e);
	err_init(&e);
	if (addr_envelope_form(a, 0, &form, &u8, &e) == 0) {
		struct err e2 = ERR_INIT;

		FUZZ_ASSERT(form != NULL);
		FUZZ_ASSERT(addr_check_envelope(form, 0, &e2) == 0);
		FUZZ_ASSERT(u8 || is_ascii(form));
		FUZZ_ASSERT(addr_utf8_valid(form, strlen(form)) != 0);
		FUZZ_ASSERT(addr_equal(form, form));
		free(form);
	} else {
		FUZZ_ASSERT(e.kind != ERR_NONE);
	}
	fuzz_check_err(&e);

	q = addr_qualify(a, "example.org");
	FUZZ_ASSERT(q != NULL);
	if (addr_at(a)) {
		FUZZ_ASSERT(strcmp(q, a) == 0);
	} else {
		FUZZ_ASSERT(strncmp(q, a, len) == 0 &&
			    strcmp(q + len, "@example.org") == 0);
	}
	free(q);
	FUZZ_ASSERT(addr_equal(a, a));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist l, uniq;
	struct err e = ERR_INIT;
	size_t i, j;

	FUZZ_ASSERT(!!addr_utf8_valid((const char *)data, size) ==
		    utf8_ref(data, size));
	strlist_init(&l);
	strlist_init(&uniq);
	if (addr_list_parse((const char *)data, size, &l, &e) == 0) {
		FUZZ_ASSERT(e.kind == ERR_NONE);
		for (i = 0; i < l.n; i++) {
			check_one(l.v[i]);
			FUZZ_ASSERT(strlist_add_unique(&uniq, l.v[i]) == 0);
		}
		for (i = 0; i < uniq.n; i++)
			for (j = i + 1; j < uniq.n; j++)
				FUZZ_ASSERT(!addr_equal(uniq.v[i], uniq.v[j]));
	} else {
		FUZZ_ASSERT(e.kind == ERR_DATAERR || e.kind == ERR_OSERR);
	}
	fuzz_check_err(&e);
	strlist_release(&l);
	strlist_release(&uniq);
	return 0;
}
