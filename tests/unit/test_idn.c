/*
 * test_idn.c - international host names (idn.c) and their use by the rc
 * file (conf.c: host, tls_host_override, domain).
 *
 * Tables of names and the A-label form (or the reason) expected.  The
 * A-labels were checked against libidn2's idn2 tool and RFC 5890
 * examples; the reasons are libidn2's own words where libidn2 decides.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "err.h"
#include "idn.h"
#include "tap.h"

struct conv {
	const char *name;
	const char *in;
	const char *want; /* NULL: must fail */
	const char *why;  /* substring of the error, when failing */
};

static const struct conv convs[] = {
	/* ASCII and IP literals: copied unchanged, unchecked (msmtp) */
	{"ascii", "smtp.example.org", "smtp.example.org", 0},
	{"ascii upper case kept", "SMTP.Example.ORG", "SMTP.Example.ORG", 0},
	{"ascii empty", "", "", 0},
	{"ipv4", "192.0.2.1", "192.0.2.1", 0},
	{"ipv4 literal", "[192.0.2.1]", "[192.0.2.1]", 0},
	{"ipv6", "::1", "::1", 0},
	{"ipv6 literal", "[IPv6:2001:db8::1]", "[IPv6:2001:db8::1]", 0},
	{"a-label kept", "xn--bcher-kva.example", "xn--bcher-kva.example", 0},

	/* U-labels */
	{"german",
	 "b\xc3\xbc"
	 "cher.example",
	 "xn--bcher-kva.example", 0},
	{"japanese", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.jp",
	 "xn--wgv71a119e.jp", 0},
	{"greek",
	 "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac.gr",
	 "xn--hxargifdar.gr", 0},
	{"cyrillic, both labels",
	 "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84",
	 "xn--e1afmkfd.xn--p1ai", 0},
	{"arabic", "\xd9\x85\xd8\xab\xd8\xa7\xd9\x84.example",
	 "xn--mgbh0fb.example", 0},
	{"trailing root dot",
	 "b\xc3\xbc"
	 "cher.example.",
	 "xn--bcher-kva.example.", 0},
	/* IDNA2008 does not forbid mixing Latin and Cyrillic in a label;
	 * registries do.  Pinned so a change is noticed. */
	{"latin with a cyrillic a", "payp\xd0\xb0l.example",
	 "xn--paypl-7ve.example", 0},
	{"underscore kept", "b\xc3\xbc_cher.example", "xn--b_cher-3ya.example",
	 0},

	/* UTS#46 mapping */
	{"upper case folded",
	 "B\xc3\x9c"
	 "CHER.Example",
	 "xn--bcher-kva.example", 0},
	{"ideographic full stop U+3002",
	 "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x80\x82jp",
	 "xn--wgv71a119e.jp", 0},
	{"full-width full stop U+FF0E",
	 "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xef\xbc\x8ejp",
	 "xn--wgv71a119e.jp", 0},
	{"sharp s non-transitional",
	 "stra\xc3\x9f"
	 "e.de",
	 "xn--strae-oqa.de", 0},
	{"soft hyphen ignored", "b\xc3\xbc\xc2\xad.example",
	 "xn--b-eha.example", 0},
	{"NFC: a + combining diaeresis", "a\xcc\x88.example", "xn--4ca.example",
	 0},

	/* invalid input */
	{"not utf-8", "\xff\xfe.example", 0, "not valid UTF-8"},
	{"truncated sequence", "b\xc3", 0, "not valid UTF-8"},
	{"overlong slash", "b\xc3\xbc\xc0\xaf.example", 0, "not valid UTF-8"},
	{"lone surrogate", "b\xc3\xbc\xed\xa0\x80.example", 0,
	 "not valid UTF-8"},
	{"beyond U+10FFFF", "b\xc3\xbc\xf4\x90\x80\x80.example", 0,
	 "not valid UTF-8"},
	{"U+FFFD", "a\xef\xbf\xbd.example", 0, "U+FFFD"},
	{"snowman", "\xe2\x98\x83.example", 0, "disallowed"},
	{"heart", "\xe2\x99\xa5.example", 0, "disallowed"},
	{"bidi: latin, hebrew, latin",
	 "a\xd7\x90"
	 "b.example",
	 0, "bi-directional"},
	{"bidi: hebrew then latin",
	 "\xd7\x90"
	 "a.example",
	 0, "bi-directional"},
	{"leading combining mark", "\xcc\x88.example", 0, "combining"},
	{"zero width joiner out of context",
	 "a\xe2\x80\x8d"
	 "b.example",
	 0, "context-j"},
	{"leading hyphen",
	 "-b\xc3\xbc"
	 "cher.example",
	 0, "hyphen"},
	{"trailing hyphen",
	 "b\xc3\xbc"
	 "cher-.example",
	 0, "hyphen"},
	{"hyphens in 3rd and 4th", "b\xc3\xbc--cher.example", 0, "hyphen"},
	{"empty label",
	 "b\xc3\xbc"
	 "cher..example",
	 0, "empty label"},
	{"leading dot",
	 ".b\xc3\xbc"
	 "cher.example",
	 0, "empty label"},
	{"two trailing dots",
	 "b\xc3\xbc"
	 "cher.example..",
	 0, "empty label"},
	{"control character",
	 "b\xc3\xbc\x01"
	 "cher.example",
	 0, 0},
	{"space", "b\xc3\xbc cher.example", 0, 0},
	{"slash", "b\xc3\xbc/cher.example", 0, 0},
	{"plus in an ascii label", "b\xc3\xbc.a+b.example", 0,
	 "not allowed in host names"},
	{"bad a-label beside a u-label", "b\xc3\xbc.xn--zz.example", 0,
	 "punycode"},
};

/* A name of n octets after conversion: "xn--tda" (ü), then 'a' labels. */
static char *long_name(size_t n)
{
	char *s = malloc(n + 16), *p = s + 2;
	size_t left = n - strlen("xn--tda");

	memcpy(s, "\xc3\xbc", 2);
	while (left > 0) {
		size_t k = left - 1 > 63 ? 63 : left - 1;

		/* never leave a remainder of 1: it cannot hold a label */
		if (left - 1 - k == 1)
			k--;
		*p++ = '.';
		memset(p, 'a', k);
		p += k;
		left -= k + 1;
	}
	*p = '\0';
	return s;
}

/* "ü" + n 'a': a label of n + 8 octets after conversion ("xn--" "a..-eha") */
static char *long_label(size_t n)
{
	char *s = malloc(n + 32);

	memcpy(s, "\xc3\xbc", 2);
	memset(s + 2, 'a', n);
	memcpy(s + 2 + n, ".example", sizeof(".example"));
	return s;
}

static void check_conv(const struct conv *c)
{
	struct err e = ERR_INIT;
	char *out = (char *)1;
	char name[160];
	int r = idn_host_to_ascii(c->in, &out, ERR_DATAERR, &e);

	snprintf(name, sizeof(name), "%s: %s", c->name,
		 c->want ? "converted" : "refused");
	if (c->want) {
		is_int(r, 0, name);
		is_str(out, c->want, name);
	} else {
		is_int(r, -1, name);
		ok(out == NULL, "out is NULL on failure");
		is_int(e.kind, ERR_DATAERR, "the kind asked for");
		ok(strncmp(e.msg, "invalid host name '", 19) == 0,
		   "message names the host");
		if (c->why && !ok(strstr(e.msg, c->why) != NULL, c->why))
			printf("#   message: %s\n", e.msg);
	}
	free(out);
}

static void check_lengths(void)
{
	struct err e = ERR_INIT;
	char *in, *out = NULL;
	char mixed[80];

	in = long_label(55);
	is_int(idn_host_to_ascii(in, &out, ERR_CONFIG, &e), 0,
	       "label of 63 octets after conversion");
	is_int(out ? strcspn(out, ".") : 0, 63, "... is 63 octets");
	free(in);
	free(out);

	in = long_label(56);
	is_int(idn_host_to_ascii(in, &out, ERR_CONFIG, &e), -1,
	       "label of 64 octets after conversion refused");
	if (!ok(strstr(e.msg, "label longer than 63 octets") != NULL,
		"... says why"))
		printf("#   message: %s\n", e.msg);
	free(in);

	/* an ASCII label next to a U-label is checked too */
	err_init(&e);
	memset(mixed, 'a', 64);
	memcpy(mixed + 64, ".\xc3\xbc", sizeof(".\xc3\xbc"));
	is_int(idn_host_to_ascii(mixed, &out, ERR_CONFIG, &e), -1,
	       "ascii label of 64 octets beside a u-label refused");
	ok(strstr(e.msg, "label longer than 63 octets") != NULL,
	   "... says why");

	err_init(&e);
	in = long_name(253);
	is_int(idn_host_to_ascii(in, &out, ERR_CONFIG, &e), 0,
	       "name of 253 octets");
	is_int(out ? strlen(out) : 0, 253, "... is 253 octets");
	free(out);
	free(in);

	in = long_name(254);
	is_int(idn_host_to_ascii(in, &out, ERR_CONFIG, &e), -1,
	       "name of 254 octets refused");
	if (!ok(strstr(e.msg, "longer than 253") != NULL, "... says why"))
		printf("#   message: %s\n", e.msg);
	free(in);

	err_init(&e);
	in = long_name(300);
	is_int(idn_host_to_ascii(in, &out, ERR_CONFIG, &e), -1,
	       "name of 300 octets refused");
	free(in);
}

static void check_api(void)
{
	struct err e = ERR_INIT;
	char *out = NULL;

	ok(idn_is_ascii("a.b-c_[1]"), "idn_is_ascii: ascii");
	ok(idn_is_ascii(""), "idn_is_ascii: empty");
	ok(!idn_is_ascii("b\xc3\xbc"), "idn_is_ascii: utf-8");
	ok(!idn_is_ascii("\x80"), "idn_is_ascii: 0x80");

	is_int(idn_host_to_ascii_for("\xe2\x98\x83.example", &out, "domain",
				     ERR_CONFIG, &e),
	       -1, "idn_host_to_ascii_for refuses");
	is_int(e.kind, ERR_CONFIG, "... with the kind asked for");
	is_str(e.msg,
	       "invalid host name '???.example' for 'domain': string contains "
	       "a disallowed character",
	       "... naming the key, sanitised");
}

/* ------------------------------------------------------ the rc keys */

struct rc {
	const char *name;
	const char *rc;
	const char *key;  /* --pretend key */
	const char *want; /* printed value, or NULL: error */
	const char *err;  /* substring of the error */
};

#define UH          \
	"b\xc3\xbc" \
	"cher.example"
#define UJ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.jp"

static const struct rc rcs[] = {
	{"ascii host unchanged", "host smtp.example.org\n", "host",
	 "smtp.example.org", 0},
	{"ascii domain unchanged", "host h\ndomain Mail.Example.ORG\n",
	 "domain", "Mail.Example.ORG", 0},
	{"default domain", "host h\n", "domain", "localhost", 0},
	{"ip literal domain", "host h\ndomain [192.0.2.1]\n", "domain",
	 "[192.0.2.1]", 0},
	{"host shows both forms", "host " UH "\n", "host",
	 UH " (xn--bcher-kva.example)", 0},
	{"tls_host_override both forms", "host h\ntls_host_override " UJ "\n",
	 "tls_host_override", UJ " (xn--wgv71a119e.jp)", 0},
	{"domain both forms", "host h\ndomain " UJ "\n", "domain",
	 UJ " (xn--wgv71a119e.jp)", 0},
	{"proxy_host both forms", "host h\nproxy_host " UH "\n", "proxy host",
	 UH " (xn--bcher-kva.example)", 0},
	{"ascii proxy_host unchanged", "host h\nproxy_host 127.0.0.1\n",
	 "proxy host", "127.0.0.1", 0},
	{"mapped name shows what was written",
	 "host B\xc3\x9c"
	 "CHER.example\n",
	 "host",
	 "B\xc3\x9c"
	 "CHER.example (xn--bcher-kva.example)",
	 0},
	{"bad host", "host a\xef\xbf\xbd.example\n", "host", 0,
	 "account default from t.rc: invalid host name 'a???.example' for "
	 "'host': contains U+FFFD"},
	{"bad tls_host_override", "host h\ntls_host_override \xe2\x98\x83.x\n",
	 "host", 0,
	 "invalid host name '???.x' for 'tls_host_override': string "
	 "contains a disallowed character"},
	{"bad proxy_host", "host h\nproxy_host b\xc3\xbc..example\n", "host", 0,
	 "account default from t.rc: invalid host name 'b??..example' for "
	 "'proxy_host': empty label"},
	{"bad domain", "host h\ndomain -b\xc3\xbc.example\n", "host", 0,
	 "for 'domain': string start/ends with forbidden hyphen"},
	{"bad domain: not utf-8", "host h\ndomain b\xed\xa0\x80.example\n",
	 "host", 0, "for 'domain': not valid UTF-8"},
	{"bad host, empty label", "host " UH "..\n", "host", 0,
	 "for 'host': empty label"},
	{"msmtp error first", "host \xe2\x98\x83\ntls_key_file k\n", "host", 0,
	 "tls_key_file requires tls_cert_file"},
};

/* The value account_print() gives key, or NULL. */
static char *printed(const struct account *a, const char *key)
{
	char *text = NULL, *line, *val = NULL;
	size_t len = 0, kl = strlen(key);
	FILE *f = open_memstream(&text, &len);

	account_print(a, f);
	fclose(f);
	for (line = text; line && *line;) {
		if (strncmp(line, key, kl) == 0 &&
		    strncmp(line + kl, " = ", 3) == 0) {
			val = strndup(line + kl + 3,
				      strcspn(line + kl + 3, "\n"));
			break;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	free(text);
	return val;
}

static struct account *load(const char *rc, struct conf *c, struct err *e)
{
	struct account *a = NULL;

	conf_init(c);
	c->path = strdup("t.rc");
	if (conf_parse(c, "t.rc", rc, strlen(rc), e) == 0 &&
	    (a = conf_select(c, NULL, NULL, e)) != NULL &&
	    account_finish(a, e) < 0) {
		account_free(a);
		a = NULL;
	}
	return a;
}

static void check_rc(const struct rc *t)
{
	struct conf c;
	struct err e = ERR_INIT;
	struct account *a = load(t->rc, &c, &e);
	char *v = a ? printed(a, t->key) : NULL;

	if (t->want) {
		if (!ok(a != NULL, t->name))
			printf("#   error: %s\n", e.msg);
		is_str(v, t->want, t->name);
	} else {
		ok(a == NULL, t->name);
		is_int(e.kind, ERR_CONFIG, "rc error");
		if (!ok(strstr(e.msg, t->err) != NULL, t->err))
			printf("#   message: %s\n", e.msg);
	}
	free(v);
	account_free(a);
	conf_release(&c);
}

/* The fields the rest of mailhop uses, and later changes to them. */
static void check_fields(void)
{
	struct conf c;
	struct err e = ERR_INIT;
	struct account *a, *d;

	a = load("host " UH "\ntls_host_override " UH "\ndomain " UJ
		 "\nproxy_host " UJ "\n",
		 &c, &e);
	if (!ok(a != NULL, "international account loads")) {
		conf_release(&c);
		return;
	}
	is_str(a->host, "xn--bcher-kva.example", "host is the A-label");
	is_str(a->host_unicode, UH, "host_unicode is what was written");
	is_str(a->tls_host_override, "xn--bcher-kva.example",
	       "tls_host_override is the A-label");
	is_str(a->tls_host_override_unicode, UH, "... and its original");
	is_str(a->domain, "xn--wgv71a119e.jp", "domain (EHLO) is the A-label");
	is_str(a->domain_unicode, UJ, "... and its original");
	is_str(a->proxy_host, "xn--wgv71a119e.jp",
	       "proxy_host (DNS) is the A-label");
	is_str(a->proxy_host_unicode, UJ, "... and its original");

	d = account_dup(a);
	ok(d != NULL, "account_dup");
	is_str(d ? d->host_unicode : NULL, UH, "account_dup keeps originals");
	is_str(d ? d->proxy_host_unicode : NULL, UJ, "... proxy_host's too");
	account_free(d);

	is_int(account_finish(a, &e), 0, "a second account_finish");
	is_str(a->host_unicode, UH, "... keeps the original");
	is_str(a->host, "xn--bcher-kva.example", "... and the A-label");

	is_int(account_set(a, "host", "smtp.example.org", &e), 0,
	       "override host");
	ok(a->host_unicode == NULL, "... forgets the old original");
	is_int(account_finish(a, &e), 0, "... finishes");
	is_str(a->host, "smtp.example.org", "... ascii host");
	ok(a->host_unicode == NULL, "... no original");
	is_str(a->domain_unicode, UJ, "... domain untouched");
	account_free(a);
	conf_release(&c);

	a = load("host smtp.example.org\nproxy_host proxy.example.org\n", &c,
		 &e);
	ok(a && !a->host_unicode && !a->tls_host_override_unicode &&
		   !a->domain_unicode && !a->proxy_host_unicode,
	   "ascii account: no originals kept");
	account_free(a);
	conf_release(&c);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(convs) / sizeof(convs[0]); i++)
		check_conv(&convs[i]);
	check_lengths();
	check_api();
	for (i = 0; i < sizeof(rcs) / sizeof(rcs[0]); i++)
		check_rc(&rcs[i]);
	check_fields();
	return tap_done();
}
