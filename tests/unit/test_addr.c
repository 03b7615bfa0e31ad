/*
 * test_addr.c - table-driven tests of the address-list parser and the
 * envelope address checks (addr.c).
 *
 * Parse cases: input text and the expected addresses joined with "|"
 * (NULL: the parse must fail with ERR_DATAERR).  Check cases: an address,
 * allow_empty, and whether addr_check_envelope() accepts it.
 * International cases: addr_utf8_valid() and addr_envelope_form() (IDN
 * domains to A-labels, UTF-8 local parts flagged for SMTPUTF8).
 */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "tap.h"

struct parse_case {
	const char *name;
	const char *input;
	const char *want; /* "a|b|c", "" for none, NULL for an error */
};

static const struct parse_case parse_cases[] = {
	{"plain", "user@example.org", "user@example.org"},
	{"unqualified", "root", "root"},
	{"comma list", "a@x, b@y", "a@x|b@y"},
	{"comma list no space", "a@x,b@y", "a@x|b@y"},
	{"whitespace list", "a@x b@y", "a@x|b@y"},
	{"whitespace list unqualified", "root admin", "root|admin"},
	{"whitespace name and address refused", "bob smith@example.org", NULL},
	{"display name", "John Smith <john@example.org>", "john@example.org"},
	{"quoted display name with comma",
	 "\"Smith, John\" <john@example.org>, b@y", "john@example.org|b@y"},
	{"quoted display name escapes", "\"a \\\"q\\\" b\" <q@example.org>",
	 "q@example.org"},
	{"angle only", "<a@x>", "a@x"},
	{"empty angle skipped", "<>, a@x", "a@x"},
	{"comment after", "a@x (Alice)", "a@x"},
	{"comment before", "(Alice) a@x", "a@x"},
	{"nested comment", "a@x (one (two (three)) four)", "a@x"},
	{"comment with escaped paren", "a@x (x \\) y)", "a@x"},
	{"comment inside angle", "<a(c)@x>", "a@x"},
	{"group", "friends: a@x, b@y;", "a@x|b@y"},
	{"group then more", "g: a@x; c@z", "a@x|c@z"},
	{"empty group", "undisclosed-recipients:;", ""},
	{"empty group with space", "undisclosed-recipients: ;", ""},
	{"group missing semicolon", "g: a@x, b@y", "a@x|b@y"},
	{"group with display names", "g: A <a@x>, \"B\" <b@y>;", "a@x|b@y"},
	{"quoted local part kept", "\"john smith\"@example.org",
	 "\"john smith\"@example.org"},
	{"quoted local with escape", "\"a\\\"b\"@x", "\"a\\\"b\"@x"},
	{"domain literal", "user@[192.0.2.1]", "user@[192.0.2.1]"},
	{"ipv6 literal", "user@[IPv6:2001:db8::1]", "user@[IPv6:2001:db8::1]"},
	{"obsolete route", "<@a.example,@b.example:user@c.example>",
	 "user@c.example"},
	{"obsolete route with name", "Joe <@a:joe@c>", "joe@c"},
	{"folded LF", "a@x,\n b@y", "a@x|b@y"},
	{"folded CRLF", "A\r\n <a@x>,\r\n\tb@y", "a@x|b@y"},
	{"cfws around dots", "john . smith @ example . org",
	 "john.smith@example.org"},
	{"empty elements", ", ,a@x,,", "a@x"},
	{"empty input", "", ""},
	{"blank input", "   ", ""},
	{"utf8 local part", "j\xc3\xb6rg@example.org",
	 "j\xc3\xb6rg@example.org"},
	{"at sign in display name", "a@x <b@y>", "b@y"},
	{"unterminated quote", "\"abc@x", NULL},
	{"unterminated comment", "a@x (oops", NULL},
	{"unterminated angle", "<a@x", NULL},
	{"unterminated literal", "a@[1.2.3.4", NULL},
	{"bare LF injection", "a@x\nRCPT TO:<evil@y>", NULL},
	{"bare CR injection", "a@x\rRCPT TO:<evil@y>", NULL},
	{"CRLF without fold", "a@x\r\nb@y", NULL},
	{"CR in quoted", "\"a\r\nb\"@x", NULL},
	{"control char", "a\x01@x", NULL},
	{"DEL char", "a\x7f@x", NULL},
	{"double at", "a@@x", NULL},
	{"trailing dot in domain", "a@x.", NULL},
	{"stray closing paren", "a@x)", NULL},
	{"stray semicolon", "a@x; b@y", NULL},
	{"nested group", "g: h: a@x;;", NULL},
	{"group name with at sign", "a@x RCPT TO:<evil@y>", NULL},
	{"group name with at sign, no angle", "a@x b: evil@y;", NULL},
	{"text after angle", "<a@x> junk", NULL},
	{"stray greater", "a@x>", NULL},
};

struct check_case {
	const char *name;
	const char *addr;
	int allow_empty;
	int ok;
};

static const struct check_case check_cases[] = {
	{"plain ok", "a@example.org", 0, 1},
	{"unqualified ok", "root", 0, 1},
	{"quoted space ok", "\"a b\"@x", 0, 1},
	{"literal ok", "a@[192.0.2.1]", 0, 1},
	{"utf8 ok", "j\xc3\xb6rg@example.org", 0, 1},
	{"empty refused", "", 0, 0},
	{"empty allowed", "", 1, 1},
	{"CR refused", "a@x\r", 0, 0},
	{"LF refused", "a@x\nRCPT TO:<b@y>", 0, 0},
	{"CRLF injection refused", "a@x>\r\nRCPT TO:<b@y", 0, 0},
	{"tab refused", "a\t@x", 0, 0},
	{"control refused", "a\x1b@x", 0, 0},
	{"space refused", "a b@x", 0, 0},
	{"angle refused", "<a@x>", 0, 0},
	{"greater refused", "a@x>", 0, 0},
	{"unbalanced quote refused", "\"a@x", 0, 0},
	{"empty local refused", "@x", 0, 0},
	{"empty domain refused", "a@", 0, 0},
	{"CR in quotes refused", "\"a\rb\"@x", 0, 0},
};

static char *join(const struct strlist *l)
{
	struct buf b = BUF_INIT(1 << 20);
	size_t i;

	for (i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? "|" : "", l->v[i]);
	return buf_detach(&b);
}

static void test_parse(void)
{
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct strlist l;
		struct err e = ERR_INIT;
		int r;

		strlist_init(&l);
		r = addr_list_parse(c->input, strlen(c->input), &l, &e);
		if (c->want) {
			char *got = r == 0 ? join(&l) : NULL;

			if (r != 0)
				printf("# error: %s\n", e.msg);
			is_str(got, c->want, c->name);
			free(got);
		} else {
			ok(r == -1 && e.kind == ERR_DATAERR && l.n == 0,
			   c->name);
		}
		strlist_release(&l);
	}
}

static void test_check(void)
{
	size_t i;

	for (i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		const struct check_case *c = &check_cases[i];
		struct err e = ERR_INIT;
		int r = addr_check_envelope(c->addr, c->allow_empty, &e);

		ok(c->ok ? r == 0 : (r == -1 && e.kind == ERR_DATAERR),
		   c->name);
	}
}

static void test_check_messages(void)
{
	struct err e = ERR_INIT;

	addr_check_envelope("a@x\r\nRCPT TO:<b@y>", 0, &e);
	is_str(e.msg,
	       "invalid address 'a@x??RCPT TO:<b@y>': it contains a line "
	       "break",
	       "error names the sanitised address");
}

static void test_lengths(void)
{
	char local[ADDR_LOCAL_MAX + 2 + 10], addr[600];
	struct err e = ERR_INIT;
	struct strlist l;
	char *big;

	memset(local, 'a', ADDR_LOCAL_MAX);
	snprintf(addr, sizeof(addr), "%.*s@x", ADDR_LOCAL_MAX, local);
	ok(addr_check_envelope(addr, 0, &e) == 0, "64-octet local part ok");
	snprintf(addr, sizeof(addr), "%.*sa@x", ADDR_LOCAL_MAX, local);
	err_init(&e);
	ok(addr_check_envelope(addr, 0, &e) == -1,
	   "65-octet local part refused");
	memset(addr, 'd', sizeof(addr));
	memcpy(addr, "a@", 2);
	addr[ADDR_PATH_MAX - 2] = '\0'; /* 254 octets: "<...>" is 256 */
	err_init(&e);
	ok(addr_check_envelope(addr, 0, &e) == 0, "254-octet path ok");
	addr[ADDR_PATH_MAX - 2] = 'd';
	addr[ADDR_PATH_MAX - 1] = '\0';
	err_init(&e);
	ok(addr_check_envelope(addr, 0, &e) == -1, "255-octet path refused");

	big = malloc(100000);
	memset(big, 'a', 99999);
	big[99999] = '\0';
	big[50] = '@';
	strlist_init(&l);
	err_init(&e);
	ok(addr_list_parse(big, strlen(big), &l, &e) == -1 &&
		   e.kind == ERR_DATAERR && strlen(e.msg) < ERR_MSG_MAX,
	   "huge address refused, message bounded");
	memset(big, '(', 99999);
	err_init(&e);
	ok(addr_list_parse(big, strlen(big), &l, &e) == -1,
	   "deeply nested comments refused");
	strlist_release(&l);
	free(big);
}

static void test_helpers(void)
{
	struct strlist l;
	char *q;

	q = addr_qualify("root", "example.org");
	is_str(q, "root@example.org", "qualify unqualified");
	free(q);
	q = addr_qualify("a@x", "example.org");
	is_str(q, "a@x", "qualify leaves qualified");
	free(q);
	q = addr_qualify("\"a@b\"", "example.org");
	is_str(q, "\"a@b\"@example.org", "qualify: quoted '@' is local");
	free(q);
	q = addr_qualify("", "example.org");
	is_str(q, "", "qualify leaves the null sender");
	free(q);
	q = addr_qualify("root", NULL);
	is_str(q, "root", "qualify without domain");
	free(q);

	ok(addr_equal("Bob@Example.ORG", "Bob@example.org"),
	   "domain compared without case");
	ok(!addr_equal("bob@example.org", "Bob@example.org"),
	   "local part compared with case");
	ok(!addr_equal("bob", "bob@x"), "unqualified differs");

	strlist_init(&l);
	strlist_add_unique(&l, "a@x");
	strlist_add_unique(&l, "a@X");
	strlist_add_unique(&l, "b@x");
	is_int(l.n, 2, "add_unique drops duplicates");
	ok(strlist_has(&l, "b@x") && !strlist_has(&l, "c@x"), "strlist_has");
	strlist_release(&l);
	is_int(l.n, 0, "strlist_release empties");
}

/* ---- international addresses ----------------------------------------- */

struct utf8_case {
	const char *name;
	const char *s;
	int valid;
};

static const struct utf8_case utf8_cases[] = {
	{"empty", "", 1},
	{"ascii", "jorg", 1},
	{"2-byte", "j\xc3\xb6rg", 1},
	{"3-byte euro", "\xe2\x82\xac", 1},
	{"4-byte emoji", "\xf0\x9f\x98\x80", 1},
	{"U+FFFD is UTF-8", "\xef\xbf\xbd", 1},
	{"U+10FFFF", "\xf4\x8f\xbf\xbf", 1},
	{"latin-1 byte", "j\xf6rg", 0},
	{"lone continuation", "\x80", 0},
	{"truncated 2-byte", "a\xc3", 0},
	{"truncated 4-byte", "\xf0\x9f\x98", 0},
	{"bad continuation", "\xc3\x28", 0},
	{"overlong '/' (2 bytes)", "\xc0\xaf", 0},
	{"overlong 3 bytes", "\xe0\x80\xaf", 0},
	{"overlong 4 bytes", "\xf0\x80\x80\xaf", 0},
	{"lone high surrogate", "\xed\xa0\x80", 0},
	{"lone low surrogate", "\xed\xbf\xbf", 0},
	{"above U+10FFFF", "\xf4\x90\x80\x80", 0},
	{"0xf5 lead", "\xf5\x80\x80\x80", 0},
	{"0xff", "\xff", 0},
};

static void test_utf8(void)
{
	size_t i;

	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		const struct utf8_case *c = &utf8_cases[i];

		is_int(addr_utf8_valid(c->s, strlen(c->s)), c->valid, c->name);
	}
}

struct form_case {
	const char *name;
	const char *addr;
	int allow_empty;
	const char *want; /* NULL: ERR_DATAERR */
	int smtputf8;
};

static const struct form_case form_cases[] = {
	{"ascii unchanged", "bob@example.org", 0, "bob@example.org", 0},
	{"ascii case kept", "Bob@Example.ORG", 0, "Bob@Example.ORG", 0},
	{"a-label kept", "bob@xn--bcher-kva.example", 0,
	 "bob@xn--bcher-kva.example", 0},
	{"idn domain to a-label",
	 "bob@b\xc3\xbc"
	 "cher.example",
	 0, "bob@xn--bcher-kva.example", 0},
	{"idn domain mapped (UTS#46 case)",
	 "bob@B\xc3\x9c"
	 "CHER.example",
	 0, "bob@xn--bcher-kva.example", 0},
	{"idn subdomain", "x@mail.m\xc3\xbcnchen.example", 0,
	 "x@mail.xn--mnchen-3ya.example", 0},
	{"utf8 local part", "j\xc3\xb6rg@example.org", 0,
	 "j\xc3\xb6rg@example.org", 1},
	{"utf8 local part, idn domain",
	 "j\xc3\xb6rg@b\xc3\xbc"
	 "cher.example",
	 0, "j\xc3\xb6rg@xn--bcher-kva.example", 1},
	{"utf8 quoted local part", "\"j\xc3\xb6 rg\"@example.org", 0,
	 "\"j\xc3\xb6 rg\"@example.org", 1},
	{"utf8 unqualified", "\xd1\x80\xd0\xb8\xd1\x82\xd0\xb0", 0,
	 "\xd1\x80\xd0\xb8\xd1\x82\xd0\xb0", 1},
	{"4-byte local part", "\xf0\x9f\x98\x80@example.org", 0,
	 "\xf0\x9f\x98\x80@example.org", 1},
	{"domain literal kept", "u@[192.0.2.1]", 0, "u@[192.0.2.1]", 0},
	{"null sender allowed", "", 1, "", 0},
	{"null sender refused", "", 0, NULL, 0},
	{"latin-1 local part", "j\xf6rg@example.org", 0, NULL, 0},
	{"surrogate local part", "\xed\xa0\x80@example.org", 0, NULL, 0},
	{"overlong local part", "\xc0\xaf@example.org", 0, NULL, 0},
	{"latin-1 domain",
	 "bob@b\xfc"
	 "cher.example",
	 0, NULL, 0},
	{"non-ASCII domain literal", "u@[\xc3\xbc]", 0, NULL, 0},
	{"control byte checked first", "j\xc3\xb6rg@x\r\nDATA", 0, NULL, 0},
	{"space refused", "j\xc3\xb6 rg@example.org", 0, NULL, 0},
};

static void test_envelope_form(void)
{
	size_t i;

	for (i = 0; i < sizeof(form_cases) / sizeof(form_cases[0]); i++) {
		const struct form_case *c = &form_cases[i];
		struct err e = ERR_INIT;
		char *out = (char *)"unset", name[200];
		int u8 = 0, r;

		r = addr_envelope_form(c->addr, c->allow_empty, &out, &u8, &e);
		if (c->want) {
			if (r != 0)
				printf("# error: %s\n", e.msg);
			ok(r == 0, c->name);
			snprintf(name, sizeof(name), "%s: form", c->name);
			is_str(r == 0 ? out : "", c->want, name);
			snprintf(name, sizeof(name), "%s: smtputf8", c->name);
			is_int(u8, c->smtputf8, name);
			if (r == 0)
				free(out);
		} else {
			ok(r == -1 && e.kind == ERR_DATAERR && out == NULL,
			   c->name);
		}
	}
}

static void test_envelope_form_messages(void)
{
	struct err e = ERR_INIT;
	char *out;
	int u8 = 0;

	addr_envelope_form("j\xf6rg@example.org", 0, &out, &u8, &e);
	is_str(e.msg,
	       "invalid address 'j?rg@example.org': its local part is not "
	       "valid UTF-8",
	       "invalid UTF-8 local part: message names it, sanitised");
	err_init(&e);
	addr_envelope_form("bob@b\xfc"
			   "cher.example",
			   0, &out, &u8, &e);
	ok(strncmp(e.msg,
		   "invalid address 'bob@b?cher.example': its domain has no "
		   "A-label form (",
		   70) == 0,
	   "bad IDN domain: message names the address");
	err_init(&e);
	addr_envelope_form("u@[\xc3\xbc]", 0, &out, &u8, &e);
	is_str(e.msg,
	       "invalid address 'u@[??]': its domain literal is not ASCII",
	       "non-ASCII domain literal message");
}

/*
 * The path limit applies to the converted form: 14 labels "abcdefgh\xc3\xbc"
 * are 153 octets as UTF-8 but about 237 as A-labels, so with a 64-octet
 * local part the address fits before and not after.
 */
static void test_envelope_form_length(void)
{
	struct buf b = BUF_INIT(1024);
	struct err e = ERR_INIT;
	char *out = NULL;
	int u8 = 0, i, r;

	for (i = 0; i < 64; i++)
		buf_putc(&b, 'l');
	buf_putc(&b, '@');
	for (i = 0; i < 14; i++)
		buf_printf(&b, "%sabcdefgh\xc3\xbc", i ? "." : "");
	ok(addr_check_envelope(b.data, 0, &e) == 0,
	   "long IDN address fits as UTF-8");
	r = addr_envelope_form(b.data, 0, &out, &u8, &e);
	ok(r == -1 && e.kind == ERR_DATAERR && strstr(e.msg, "too long"),
	   "... and is refused once converted (path over 256)");
	if (r == 0)
		free(out);
	buf_release(&b);
}

int main(void)
{
	test_parse();
	test_check();
	test_check_messages();
	test_lengths();
	test_helpers();
	test_utf8();
	test_envelope_form();
	test_envelope_form_messages();
	test_envelope_form_length();
	return tap_done();
}
