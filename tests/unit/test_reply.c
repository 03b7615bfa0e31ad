/*
 * test_reply.c - table-driven tests of the SMTP reply parser (reply.c).
 *
 * Each case is a byte string holding one or more lines (each ending in
 * LF or CRLF, or nothing for the last); the lines are fed one at a time.
 * Expected: the result of the last reply_feed() call (1 complete, 0 need
 * more, -1 error), then for a complete reply its code, enhanced code,
 * line count, joined text and summary, or for an error a substring of the
 * message.
 */
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "tap.h"

struct reply_case {
	const char *name;
	const char *input;
	int result;
	int code;
	const char *enhanced;
	int nlines;
	const char *text;
	const char *summary; /* NULL: not checked */
	const char *errsub;  /* for result -1 */
};

static const struct reply_case cases[] = {
	{"single line", "220 mx.example.org ESMTP\r\n", 1, 220, "", 1,
	 "mx.example.org ESMTP", "220 mx.example.org ESMTP", NULL},
	{"single line LF only", "250 ok\n", 1, 250, "", 1, "ok", "250 ok",
	 NULL},
	{"no line end", "250 ok", 1, 250, "", 1, "ok", NULL, NULL},
	{"bare code", "250\r\n", 1, 250, "", 1, "", "250", NULL},
	{"code and space only", "250 \r\n", 1, 250, "", 1, "", "250", NULL},
	{"multi-line EHLO",
	 "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 "
	 "8BITMIME\r\n",
	 1, 250, "", 4, "mx.example.org\nPIPELINING\nSIZE 1000\n8BITMIME",
	 "250 mx.example.org PIPELINING SIZE 1000 8BITMIME", NULL},
	{"continuation with empty text", "250-\r\n250 ok\r\n", 1, 250, "", 2,
	 "\nok", "250 ok", NULL},
	{"enhanced code 5.1.1", "550 5.1.1 no such user\r\n", 1, 550, "5.1.1",
	 1, "5.1.1 no such user", "550 5.1.1 no such user", NULL},
	{"enhanced code 2.0.0", "250 2.0.0 Ok: queued as ABC\r\n", 1, 250,
	 "2.0.0", 1, "2.0.0 Ok: queued as ABC", NULL, NULL},
	{"enhanced code 4.7.1", "451 4.7.1 greylisted\r\n", 1, 451, "4.7.1", 1,
	 "4.7.1 greylisted", NULL, NULL},
	{"enhanced code three-digit parts", "550 5.123.456 x\r\n", 1, 550,
	 "5.123.456", 1, "5.123.456 x", NULL, NULL},
	{"enhanced code alone", "550 5.1.1\r\n", 1, 550, "5.1.1", 1, "5.1.1",
	 "550 5.1.1", NULL},
	{"enhanced class mismatch ignored", "550 4.1.1 odd\r\n", 1, 550, "", 1,
	 "4.1.1 odd", NULL, NULL},
	{"enhanced part too long ignored", "550 5.1234.1 x\r\n", 1, 550, "", 1,
	 "5.1234.1 x", NULL, NULL},
	{"enhanced not followed by space", "550 5.1.1x y\r\n", 1, 550, "", 1,
	 "5.1.1x y", NULL, NULL},
	{"enhanced missing detail", "550 5.1. y\r\n", 1, 550, "", 1, "5.1. y",
	 NULL, NULL},
	{"enhanced class 3 not valid", "354 3.0.0 go ahead\r\n", 1, 354, "", 1,
	 "3.0.0 go ahead", NULL, NULL},
	{"gmail-style multi-line enhanced",
	 "550-5.1.1 The account does not exist.\r\n550-5.1.1 Please "
	 "check.\r\n550 5.1.1 https://help\r\n",
	 1, 550, "5.1.1", 3,
	 "5.1.1 The account does not exist.\n5.1.1 Please check.\n5.1.1 "
	 "https://help",
	 "550 5.1.1 The account does not exist. Please check. https://help",
	 NULL},
	{"summary sanitises control bytes", "550 bad\x1b[31m\x7f\r\n", 1, 550,
	 "", 1, "bad\x1b[31m\x7f", "550 bad?[31m?", NULL},
	{"summary sanitises non-ASCII", "554 caf\xc3\xa9\r\n", 1, 554, "", 1,
	 "caf\xc3\xa9", "554 caf??", NULL},
	{"code 200 lowest", "200 x\r\n", 1, 200, "", 1, "x", NULL, NULL},
	{"code 599 highest", "599 x\r\n", 1, 599, "", 1, "x", NULL, NULL},
	{"incomplete multi-line", "250-first\r\n250-second\r\n", 0, 0, NULL, 0,
	 NULL, NULL, NULL},
	{"code 199 out of range", "199 x\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "out of range"},
	{"code 600 out of range", "600 x\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "out of range"},
	{"code 000", "000 x\r\n", -1, 0, NULL, 0, NULL, NULL, "out of range"},
	{"two digits", "25 ok\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "no reply code"},
	{"letters in code", "2x0 ok\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "no reply code"},
	{"empty line", "\r\n", -1, 0, NULL, 0, NULL, NULL, "no reply code"},
	{"garbage", "hello world\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "no reply code"},
	{"four digits", "2500 ok\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "bad separator"},
	{"tab separator", "250\tok\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "bad separator"},
	{"mismatched continuation", "250-a\r\n251 b\r\n", -1, 0, NULL, 0, NULL,
	 NULL, "code changed"},
	{"mismatched class continuation", "250-a\r\n550 b\r\n", -1, 0, NULL, 0,
	 NULL, NULL, "code changed"},
	{"garbage continuation", "250-a\r\nPIPELINING\r\n", -1, 0, NULL, 0,
	 NULL, NULL, "no reply code"},
	{"leading space", " 250 ok\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "no reply code"},
	{"signed code", "+25 ok\r\n", -1, 0, NULL, 0, NULL, NULL,
	 "no reply code"},
};

/* Feed every line of input; return the last result. */
static int feed_all(struct reply_parser *p, const char *in, size_t len,
		    struct reply *r, struct err *e)
{
	size_t i = 0;
	int res = 0;

	while (i < len) {
		const char *nl = memchr(in + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (in + i)) + 1 : len - i;

		res = reply_feed(p, in + i, n, r, e);
		if (res < 0)
			return res;
		i += n;
	}
	return res;
}

static void run_case(const struct reply_case *c)
{
	struct reply_parser p;
	struct reply r;
	struct err e = ERR_INIT;
	char name[200], sum[256];
	int res;

	reply_parser_init(&p);
	reply_init(&r);
	res = feed_all(&p, c->input, strlen(c->input), &r, &e);
	snprintf(name, sizeof(name), "%s: result", c->name);
	is_int(res, c->result, name);
	if (c->result == 1 && res == 1) {
		snprintf(name, sizeof(name), "%s: code", c->name);
		is_int(r.code, c->code, name);
		snprintf(name, sizeof(name), "%s: enhanced", c->name);
		is_str(r.enhanced, c->enhanced, name);
		snprintf(name, sizeof(name), "%s: nlines", c->name);
		is_int(r.nlines, c->nlines, name);
		snprintf(name, sizeof(name), "%s: text", c->name);
		is_str(r.text.data ? r.text.data : "", c->text, name);
		if (c->summary) {
			snprintf(name, sizeof(name), "%s: summary", c->name);
			is_str(reply_summary(&r, sum, sizeof(sum)), c->summary,
			       name);
		}
	}
	if (c->result == -1) {
		snprintf(name, sizeof(name), "%s: error kind", c->name);
		is_int(e.kind, ERR_PROTOCOL, name);
		snprintf(name, sizeof(name), "%s: message has '%s'", c->name,
			 c->errsub);
		ok(strstr(e.msg, c->errsub) != NULL, name);
		if (!strstr(e.msg, c->errsub))
			printf("#   got '%s'\n", e.msg);
	}
	reply_release(&r);
	reply_parser_release(&p);
}

static void test_limits(void)
{
	struct reply_parser p;
	struct reply r;
	struct err e = ERR_INIT;
	char line[REPLY_LINE_MAX + 8];
	int i, res = 0;

	reply_parser_init(&p);
	reply_init(&r);

	/* A line of exactly REPLY_LINE_MAX octets (plus CRLF) is fine. */
	memset(line, 'x', sizeof(line));
	memcpy(line, "250 ", 4);
	memcpy(line + REPLY_LINE_MAX, "\r\n", 2);
	is_int(reply_feed(&p, line, REPLY_LINE_MAX + 2, &r, &e), 1,
	       "line of REPLY_LINE_MAX octets accepted");
	is_int((long long)r.text.len, REPLY_LINE_MAX - 4, "its text length");

	/* One more octet is refused. */
	memset(line, 'x', sizeof(line));
	memcpy(line, "250 ", 4);
	memcpy(line + REPLY_LINE_MAX + 1, "\r\n", 2);
	is_int(reply_feed(&p, line, REPLY_LINE_MAX + 3, &r, &e), -1,
	       "over-long line refused");
	ok(strstr(e.msg, "too long") != NULL, "over-long line message");

	/* REPLY_LINES_MAX lines are fine, one more is not. */
	err_init(&e);
	for (i = 0; i < REPLY_LINES_MAX - 1; i++)
		res |= reply_feed(&p, "250-X\r\n", 7, &r, &e);
	is_int(res, 0, "REPLY_LINES_MAX-1 continuation lines need more");
	is_int(reply_feed(&p, "250 X\r\n", 7, &r, &e), 1,
	       "REPLY_LINES_MAX lines accepted");
	is_int(r.nlines, REPLY_LINES_MAX, "line count");
	for (i = 0; i < REPLY_LINES_MAX; i++)
		res |= reply_feed(&p, "250-X\r\n", 7, &r, &e);
	is_int(res, 0, "REPLY_LINES_MAX continuation lines need more");
	is_int(reply_feed(&p, "250 X\r\n", 7, &r, &e), -1,
	       "too many lines refused");
	ok(strstr(e.msg, "too many lines") != NULL, "too many lines message");

	/* NUL inside a line. */
	err_init(&e);
	is_int(reply_feed(&p, "250 a\0b\r\n", 8, &r, &e), -1, "NUL refused");
	is_int(e.kind, ERR_PROTOCOL, "NUL is a protocol error");

	/* The parser starts over after an error and after a reply. */
	err_init(&e);
	is_int(reply_feed(&p, "354 go\r\n", 8, &r, &e), 1,
	       "parser usable after an error");
	is_int(r.code, 354, "next reply's code");
	is_int(reply_feed(&p, "221-bye\r\n", 9, &r, &e), 0, "next reply");
	is_int(reply_feed(&p, "221 bye\r\n", 9, &r, &e), 1, "next reply ends");
	is_str(r.text.data, "bye\nbye", "text does not leak between replies");

	/* The error message quotes the line sanitised and short. */
	err_init(&e);
	memset(line, '\n', 300);
	memcpy(line, "abc\x01", 4);
	reply_feed(&p, line, 200, &r, &e);
	ok(strchr(e.msg, '\x01') == NULL, "error excerpt sanitised");
	ok(strlen(e.msg) < 200, "error excerpt short");

	reply_release(&r);
	reply_parser_release(&p);
}

static void test_summary(void)
{
	struct reply_parser p;
	struct reply r;
	struct err e = ERR_INIT;
	char small[12], big[64];

	reply_parser_init(&p);
	reply_init(&r);
	reply_feed(&p, "550 5.1.1 no such user here\r\n", 29, &r, &e);
	is_str(reply_summary(&r, small, sizeof(small)), "550 5.1....",
	       "summary cut with ...");
	is_str(reply_summary(&r, big, sizeof(big)),
	       "550 5.1.1 no such user here", "summary fits");
	reply_release(&r);
	is_str(reply_summary(&r, big, sizeof(big)), "000",
	       "summary of an empty reply");
	reply_parser_release(&p);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_limits();
	test_summary();
	return tap_done();
}
