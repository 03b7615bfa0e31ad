/*
 * test_buf.c - tests of the capped byte buffer (buf.c).
 *
 * A table of append sequences against a cap (each step either fits or is
 * refused leaving the buffer unchanged), then the other operations:
 * printf, consume, reset, detach, release, release_secret, xstrndup;
 * and err_set_buf(), which turns a failed buffer call into an error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "tap.h"

#define MAX_STEPS 6

enum op { OP_END = 0, OP_APPEND, OP_PUTS, OP_PUTC, OP_PRINTF_INT };

struct step {
	enum op op;
	const char *s; /* OP_APPEND / OP_PUTS: text */
	int n;	       /* OP_PUTC: char; OP_PRINTF_INT: value for "%d;" */
	int result;    /* expected return */
};

struct buf_case {
	const char *name;
	size_t cap;
	struct step steps[MAX_STEPS];
	const char *want; /* final contents */
};

static const struct buf_case cases[] = {
	{"append within cap", 10, {{OP_APPEND, "hello", 0, 0}}, "hello"},
	{"append exactly to cap", 5, {{OP_APPEND, "hello", 0, 0}}, "hello"},
	{"append over cap refused", 4, {{OP_APPEND, "hello", 0, -1}}, ""},
	{"refusal leaves earlier data",
	 6,
	 {{OP_PUTS, "abc", 0, 0}, {OP_PUTS, "defg", 0, -1}},
	 "abc"},
	{"fill after a refusal",
	 6,
	 {{OP_PUTS, "abc", 0, 0},
	  {OP_PUTS, "defg", 0, -1},
	  {OP_PUTS, "def", 0, 0}},
	 "abcdef"},
	{"putc up to cap",
	 2,
	 {{OP_PUTC, NULL, 'x', 0},
	  {OP_PUTC, NULL, 'y', 0},
	  {OP_PUTC, NULL, 'z', -1}},
	 "xy"},
	{"empty append on a full buffer",
	 3,
	 {{OP_PUTS, "abc", 0, 0}, {OP_APPEND, "", 0, 0}},
	 "abc"},
	{"zero cap", 0, {{OP_PUTS, "a", 0, -1}}, ""},
	{"printf fits",
	 20,
	 {{OP_PUTS, "n=", 0, 0}, {OP_PRINTF_INT, NULL, 12345, 0}},
	 "n=12345;"},
	{"printf over cap refused whole",
	 6,
	 {{OP_PUTS, "n=", 0, 0}, {OP_PRINTF_INT, NULL, 12345, -1}},
	 "n="},
	{"printf exactly to cap",
	 8,
	 {{OP_PUTS, "n=", 0, 0}, {OP_PRINTF_INT, NULL, 12345, 0}},
	 "n=12345;"},
	{"growth across many appends",
	 1000,
	 {{OP_PUTS,
	   "0123456789012345678901234567890123456789012345678901234567890"
	   "123456789",
	   0, 0},
	  {OP_PUTS,
	   "0123456789012345678901234567890123456789012345678901234567890"
	   "123456789",
	   0, 0}},
	 "0123456789012345678901234567890123456789012345678901234567890123456"
	 "7890123456789012345678901234567890123456789012345678901234567890123"
	 "456789"},
};

static int do_step(struct buf *b, const struct step *st)
{
	switch (st->op) {
	case OP_APPEND:
		return buf_append(b, st->s, strlen(st->s));
	case OP_PUTS:
		return buf_puts(b, st->s);
	case OP_PUTC:
		return buf_putc(b, st->n);
	case OP_PRINTF_INT:
		return buf_printf(b, "%d;", st->n);
	case OP_END:
		break;
	}
	return 0;
}

static void run_case(const struct buf_case *c)
{
	struct buf b;
	char name[200];
	int i;

	buf_init(&b, c->cap);
	for (i = 0; i < MAX_STEPS && c->steps[i].op != OP_END; i++) {
		snprintf(name, sizeof(name), "%s: step %d", c->name, i + 1);
		is_int(do_step(&b, &c->steps[i]), c->steps[i].result, name);
	}
	snprintf(name, sizeof(name), "%s: contents", c->name);
	is_str(b.data ? b.data : "", c->want, name);
	snprintf(name, sizeof(name), "%s: length", c->name);
	is_int((long long)b.len, (long long)strlen(c->want), name);
	snprintf(name, sizeof(name), "%s: within cap", c->name);
	ok(b.len <= b.cap, name);
	buf_release(&b);
}

static void test_binary(void)
{
	struct buf b = BUF_INIT(16);

	is_int(buf_append(&b, "a\0b", 3), 0, "binary: NUL byte appended");
	is_int((long long)b.len, 3, "binary: length counts the NUL");
	ok(memcmp(b.data, "a\0b", 4) == 0, "binary: terminated after data");
	buf_release(&b);
}

static void test_consume(void)
{
	struct buf b = BUF_INIT(64);

	buf_puts(&b, "hello world");
	buf_consume(&b, 6);
	is_str(b.data, "world", "consume: front removed");
	is_int((long long)b.len, 5, "consume: length");
	buf_consume(&b, 0);
	is_str(b.data, "world", "consume 0: unchanged");
	buf_consume(&b, 100);
	is_str(b.data, "", "consume more than len: empty");
	is_int((long long)b.len, 0, "consume more than len: length 0");
	buf_puts(&b, "again");
	is_str(b.data, "again", "consume: usable after");
	buf_release(&b);
}

static void test_reset_release(void)
{
	struct buf b = BUF_INIT(64);
	struct buf z;

	buf_reset(&b);
	ok(b.len == 0, "reset of an empty buffer");
	buf_puts(&b, "secret");
	buf_reset(&b);
	is_str(b.data, "", "reset: empty string");
	is_int((long long)b.cap, 64, "reset: cap kept");
	buf_release(&b);
	ok(b.data == NULL && b.len == 0, "release: freed");
	buf_release(&b);
	ok(b.data == NULL, "release twice is safe");
	memset(&z, 0, sizeof(z));
	buf_release(&z);
	ok(z.data == NULL, "release of a zeroed buffer");
	buf_init(&b, 64);
	buf_puts(&b, "password");
	buf_release_secret(&b);
	ok(b.data == NULL && b.len == 0, "release_secret: freed");
	buf_release_secret(&b);
	ok(b.data == NULL, "release_secret twice is safe");
}

static void test_detach(void)
{
	struct buf b = BUF_INIT(64);
	char *p;

	buf_puts(&b, "mine");
	p = buf_detach(&b);
	is_str(p, "mine", "detach: contents handed over");
	ok(b.data == NULL && b.len == 0, "detach: buffer emptied");
	free(p);
	p = buf_detach(&b);
	ok(p != NULL && p[0] == '\0', "detach of an empty buffer: \"\"");
	free(p);
	buf_puts(&b, "reuse");
	is_str(b.data, "reuse", "detach: buffer reusable");
	buf_release(&b);
}

static void test_xstrndup(void)
{
	char *p = xstrndup("abcdef", 3);

	is_str(p, "abc", "xstrndup: first n bytes");
	free(p);
	p = xstrndup("", 0);
	is_str(p, "", "xstrndup: empty");
	free(p);
}

/* Is data[from..to) all zero bytes? */
static int zeroed(const char *data, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (data[i] != 0)
			return 0;
	return 1;
}

/* A secret buffer wipes what it drops while the memory is still ours. */
static void test_secret(void)
{
	struct buf b = BUF_INIT(1024);
	struct buf plain = BUF_INIT(1024);
	size_t i;

	buf_set_secret(&b);
	buf_puts(&b, "AUTH PLAIN AHVzZXIAcGFzcw==\r\nMAIL FROM:<a@b>\r\n");
	buf_consume(&b, 29);
	is_str(b.data, "MAIL FROM:<a@b>\r\n", "secret consume keeps the rest");
	ok(zeroed(b.data, b.len + 1, b.len + 29),
	   "secret consume wipes the dropped bytes");
	buf_reset(&b);
	ok(zeroed(b.data, 0, 18), "secret reset wipes the bytes");
	for (i = 0; i < 100; i++) /* grow through several allocations */
		buf_puts(&b, "password");
	is_int(b.len, 800, "secret buffer grows like any other");
	buf_release(&b);
	ok(b.data == NULL && b.len == 0, "secret release frees");

	buf_puts(&plain, "abcdef");
	buf_consume(&plain, 6);
	ok(plain.len == 0 && !plain.secret, "plain buffer is not secret");
	buf_release(&plain);
}

/* Over the cap errno is EMSGSIZE, so callers can tell it from ENOMEM. */
static void test_errno(void)
{
	struct buf b = BUF_INIT(4);

	errno = ENOMEM;
	ok(buf_puts(&b, "hello") < 0 && errno == EMSGSIZE,
	   "append over cap: errno EMSGSIZE");
	errno = ENOMEM;
	ok(buf_printf(&b, "%s", "hello") < 0 && errno == EMSGSIZE,
	   "printf over cap: errno EMSGSIZE");
	buf_release(&b);
}

/* ENOMEM is "out of memory" (71); a cap hit is the caller's own error. */
static void test_err_set_buf(void)
{
	struct buf b = BUF_INIT(4);
	struct err e = ERR_INIT;

	ok(buf_puts(&b, "hello") < 0, "over cap: refused");
	is_int(err_set_buf(&e, ERR_CONFIG, "name %s too long", "x"), -1,
	       "err_set_buf returns -1");
	is_int(e.kind, ERR_CONFIG, "cap hit: the caller's kind");
	is_str(e.msg, "name x too long", "cap hit: the caller's text");
	errno = ENOMEM;
	err_set_buf(&e, ERR_USAGE, "later");
	is_int(e.kind, ERR_CONFIG, "the first error wins");
	err_init(&e);
	errno = ENOMEM;
	err_set_buf(&e, ERR_CONFIG, "name too long");
	is_int(e.kind, ERR_OSERR, "ENOMEM: ERR_OSERR");
	is_int(err_exit_code(&e), 71, "ENOMEM: exit 71");
	is_str(e.msg, "out of memory", "ENOMEM: out of memory");
	buf_release(&b);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_binary();
	test_consume();
	test_reset_release();
	test_detach();
	test_xstrndup();
	test_secret();
	test_errno();
	test_err_set_buf();
	return tap_done();
}
