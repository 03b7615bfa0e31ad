/*
 * test_addr.c - table-driven tests of the address-list parser and the
 * envelope address checks (addr.c).
 *
 * Parse cases: input text and the expected addresses joined with "|"
 * (NULL: the parse must fail with ERR_DATAERR).  Check cases: an address,
 * allow_empty, and whether addr_check_envelope() accepts it.
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

int main(void)
{
	test_parse();
	test_check();
	test_check_messages();
	test_lengths();
	test_helpers();
	return tap_done();
}
