/*
 * fuzz_conf.c - the rc file parser (conf.c): conf_parse() on arbitrary
 * text, then account selection, account_finish() and the --pretend
 * printout of every account.
 *
 * What it must not do: run commands or look names up.  An input holding
 * an "eval" command ("eval" at the start of a line, after blanks) is
 * skipped, since conf_parse() runs it through the shell; "%C" (the
 * canonical host name, a DNS lookup) in from and domain is turned into
 * "%H" before account_finish().
 *
 * Properties: errors are sanitised one-liners of kind ERR_CONFIG (or
 * out of memory); no secret (password, oauth2_client_secret,
 * oauth2_refresh_token) ever appears in account_print() output; no leak.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"

#define CANARY "Fz\x7fsecret-canary"

/* The canary check is off for an input that holds the canary itself. */
static int canary_in_input;

/* Would parse_line() see "eval" as a command somewhere in the text? */
static int has_eval(const char *d, size_t n)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++)
		if (memcmp(d + i, "eval", 4) == 0 &&
		    (i == 0 || isspace((unsigned char)d[i - 1])))
			return 1;
	return 0;
}

static void no_canon(char *s)
{
	for (; s && *s; s++)
		if (s[0] == '%' && s[1] == 'C')
			s[1] = 'H';
}

static void set_secret(char **slot)
{
	if (*slot)
		explicit_bzero(*slot, strlen(*slot));
	free(*slot);
	*slot = strdup(CANARY);
}

/* account_print() with every secret set to the canary must not show it */
static void check_print(const struct account *a)
{
	struct account *d = account_dup(a);
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (!d)
		return;
	set_secret(&d->password);
	set_secret(&d->oauth2_client_secret);
	set_secret(&d->oauth2_refresh_token);
	f = open_memstream(&text, &len);
	FUZZ_ASSERT(f != NULL);
	account_print(d, f);
	fclose(f);
	FUZZ_ASSERT(text != NULL);
	FUZZ_ASSERT(canary_in_input || strstr(text, CANARY) == NULL);
	free(text);
	account_free(d);
}

static void check_account(const struct account *a)
{
	struct account *d = account_dup(a);
	struct err e = ERR_INIT;

	FUZZ_ASSERT(d != NULL);
	no_canon(d->from);
	no_canon(d->domain);
	if (account_finish(d, &e) == 0)
		check_print(d);
	else
		FUZZ_ASSERT(e.kind == ERR_CONFIG || e.kind == ERR_OSERR);
	fuzz_check_err(&e);
	account_free(d);
	check_print(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct conf c;
	struct err e = ERR_INIT;
	size_t i;

	if (has_eval(text, size))
		return 0;
	canary_in_input = memmem(text, size, CANARY, strlen(CANARY)) != NULL;
	conf_init(&c);
	if (conf_parse(&c, "fuzz.rc", text, size, &e) == 0) {
		struct account *a;

		for (i = 0; i < c.naccounts; i++) {
			struct err se = ERR_INIT;

			check_account(c.accounts[i]);
			a = conf_select(&c, c.accounts[i]->name, NULL, &se);
			FUZZ_ASSERT(a != NULL);
			account_free(a);
		}
		check_account(&c.defaults);
		err_init(&e);
		a = conf_select(&c, NULL, "user@example.org", &e);
		FUZZ_ASSERT((a != NULL) == (e.kind == ERR_NONE));
		account_free(a);
	} else {
		FUZZ_ASSERT(e.kind == ERR_CONFIG || e.kind == ERR_OSERR);
	}
	fuzz_check_err(&e);
	conf_release(&c);
	return 0;
}
