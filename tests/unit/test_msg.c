/*
 * test_msg.c - table-driven tests of the message spool (msg.c) and of
 * the envelope builder (envelope.c).
 *
 * Messages are written to a pipe (small ones) or a temp file (large
 * ones) and read back with msg_read() from that fd, exactly as stdin is.
 * The expected wire size is computed here independently: the reader's
 * output with every line end made CRLF, plus a final CRLF if missing.
 * Envelope tests zero a struct cli and a struct account and set the
 * fields conf.c would set (allow_from_override, remove_bcc_headers on,
 * set_*_header auto), so no rc file or argv parsing is involved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "envelope.h"
#include "msg.h"
#include "tap.h"

/* 2026-11-22 10:19:00 UTC, a Sunday. */
#define TEST_NOW ((time_t)1795342740)

static char tmpdir[256];

/* ---- helpers ------------------------------------------------------------- */

static int load(struct msg *m, const char *s, size_t n, int ignore_dots,
		struct err *e)
{
	int fds[2], r;

	msg_init(m);
	if (n < 32768) {
		if (pipe(fds) < 0)
			return -1;
		if (write(fds[1], s, n) != (ssize_t)n)
			return -1;
		close(fds[1]);
		r = msg_read(m, fds[0], ignore_dots, e);
		close(fds[0]);
		return r;
	} else {
		char path[300];
		int fd;

		snprintf(path, sizeof(path), "%s/in.XXXXXX", tmpdir);
		fd = mkstemp(path);
		unlink(path);
		if (fd < 0 || write(fd, s, n) != (ssize_t)n)
			return -1;
		lseek(fd, 0, SEEK_SET);
		r = msg_read(m, fd, ignore_dots, e);
		close(fd);
		return r;
	}
}

static char *read_all(const struct msg *m, size_t *len)
{
	struct buf b = BUF_INIT((size_t)1 << 30);
	struct msg_reader rd;
	struct err e = ERR_INIT;
	char chunk[1000];
	ssize_t n;

	msg_reader_init(&rd, m);
	while ((n = msg_reader_read(&rd, chunk, sizeof(chunk), &e)) > 0)
		buf_append(&b, chunk, (size_t)n);
	*len = b.len;
	return buf_detach(&b);
}

/* Independent wire size: every line end as CRLF, final CRLF added. */
static off_t wire_size(const char *p, size_t n)
{
	off_t k = 0;
	size_t i;
	int eol = 1;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n') {
			k += 2, i++, eol = 1;
		} else if (p[i] == '\r' || p[i] == '\n') {
			k += 2, eol = 1;
		} else {
			k++, eol = 0;
		}
	}
	return n == 0 ? 0 : k + (eol ? 0 : 2);
}

/* ---- spooling ----------------------------------------------------------- */

struct spool_case {
	const char *name;
	const char *input;
	int ignore_dots;
	const char *want; /* what the reader yields */
	int has_header_block;
	int nheaders;
	long body_offset;
	size_t longest;
};

static const struct spool_case spool_cases[] = {
	{"simple LF", "Subject: hi\n\nbody\n", 0, "Subject: hi\n\nbody\n", 1, 1,
	 12, 11},
	{"simple CRLF", "Subject: hi\r\n\r\nbody\r\n", 0,
	 "Subject: hi\r\n\r\nbody\r\n", 1, 1, 13, 11},
	{"lone dot LF ends input", "Subject: a\n\nx\n.\nnot read\n", 0,
	 "Subject: a\n\nx\n", 1, 1, 11, 10},
	{"lone dot CRLF ends input", "Subject: a\r\n\r\nx\r\n.\r\nmore", 0,
	 "Subject: a\r\n\r\nx\r\n", 1, 1, 12, 10},
	{"lone dot at EOF ends input", "Subject: a\n\nx\n.", 0,
	 "Subject: a\n\nx\n", 1, 1, 11, 10},
	{"lone dot is data with -i", "Subject: a\n\nx\n.\nafter\n", 1,
	 "Subject: a\n\nx\n.\nafter\n", 1, 1, 11, 10},
	{"dot line with text is data", "S: a\n\n.x\n..\n", 0,
	 "S: a\n\n.x\n..\n", 1, 1, 5, 4},
	{"dot with bare CR is data", "S: a\n\n.\rz\n", 0, "S: a\n\n.\rz\n", 1,
	 1, 5, 4},
	{"dot, bare CR, then a lone dot", "S: a\n\n.\r.\nafter", 0,
	 "S: a\n\n.\r", 1, 1, 5, 4},
	{"dot in the middle of a line", "S: a\n\nx.\nb\n", 0, "S: a\n\nx.\nb\n",
	 1, 1, 5, 4},
	{"dot first line ends at once", ".\nSubject: x\n", 0, "", 0, 0, 0, 0},
	{"no header block", "hello world\nSubject: x\n", 0,
	 "hello world\nSubject: x\n", 0, 0, 0, 11},
	{"first line continuation", " x: y\n\nb\n", 0, " x: y\n\nb\n", 0, 0, 0,
	 5},
	{"mbox From_ line is body", "From me Sun Nov 22\nSubject: x\n", 0,
	 "From me Sun Nov 22\nSubject: x\n", 0, 0, 0, 18},
	{"empty message", "", 0, "", 0, 0, 0, 0},
	{"blank first line", "\nbody\n", 0, "\nbody\n", 0, 0, 0, 4},
	{"headers only, no final EOL", "Subject: x\nTo: a@x", 0,
	 "Subject: x\nTo: a@x", 1, 2, 18, 10},
	{"non-header line ends block", "Subject: x\nnot a header\nmore\n", 0,
	 "Subject: x\nnot a header\nmore\n", 1, 1, 11, 12},
	{"folded header", "Subject: a\n  b\n\tc\nTo: x@y\n\nB\n", 0,
	 "Subject: a\n  b\n\tc\nTo: x@y\n\nB\n", 1, 2, 26, 10},
	{"obsolete space before colon", "Subject : x\n\nb\n", 0,
	 "Subject : x\n\nb\n", 1, 1, 12, 11},
	{"mixed line ends", "A: 1\r\nB: 2\n\rC\r\r\nD", 0,
	 "A: 1\r\nB: 2\n\rC\r\r\nD", 1, 2, 11, 4},
};

static void test_spool(void)
{
	size_t i;

	for (i = 0; i < sizeof(spool_cases) / sizeof(spool_cases[0]); i++) {
		const struct spool_case *c = &spool_cases[i];
		struct msg m;
		struct err e = ERR_INIT;
		char name[200], *got;
		size_t n;

		ok(load(&m, c->input, strlen(c->input), c->ignore_dots, &e) ==
			   0,
		   c->name);
		got = read_all(&m, &n);
		snprintf(name, sizeof(name), "%s: content", c->name);
		ok(n == strlen(c->want) && memcmp(got, c->want, n) == 0, name);
		snprintf(name, sizeof(name), "%s: header facts", c->name);
		ok(m.has_header_block == c->has_header_block &&
			   (int)m.nheaders == c->nheaders &&
			   m.body_offset == c->body_offset,
		   name);
		if (!(m.has_header_block == c->has_header_block &&
		      (int)m.nheaders == c->nheaders &&
		      m.body_offset == c->body_offset))
			printf("#   has %d n %zu off %ld\n", m.has_header_block,
			       m.nheaders, (long)m.body_offset);
		snprintf(name, sizeof(name), "%s: longest line", c->name);
		is_int(m.longest_line, c->longest, name);
		snprintf(name, sizeof(name), "%s: out size", c->name);
		is_int(msg_out_size(&m), wire_size(got, n), name);
		free(got);
		msg_release(&m);
	}
}

static void test_spool_file(void)
{
	struct msg m;
	struct err e = ERR_INIT;
	struct stat st;

	ok(load(&m, "S: x\n\nb\n", 8, 0, &e) == 0, "spool: read");
	ok(fstat(m.fd, &st) == 0 && st.st_nlink == 0 &&
		   (st.st_mode & 0777) == 0600,
	   "spool: unlinked, mode 0600");
	msg_release(&m);
}

static void test_headers(void)
{
	const char *in = "From: A <a@x>\nSubject: one\n two\nX-Y:z\n"
			 "subject: again\n\nbody\n";
	const struct msg_header *h;
	struct msg m;
	struct err e = ERR_INIT;

	load(&m, in, strlen(in), 0, &e);
	is_int(m.nheaders, 4, "headers: count (same name twice)");
	h = msg_header_find(&m, "SUBJECT");
	ok(h != NULL, "headers: find without case");
	if (h) {
		is_str(h->name, "Subject", "headers: name as written");
		is_str(h->value, "one two", "headers: value unfolded");
		is_str(h->raw, "Subject: one\n two", "headers: raw kept");
	}
	h = msg_header_find(&m, "x-y");
	is_str(h ? h->value : NULL, "z", "headers: no space after colon");
	ok(msg_header_find(&m, "Cc") == NULL, "headers: missing is NULL");
	msg_release(&m);
}

static void test_8bit(void)
{
	struct msg m;
	struct err e = ERR_INIT;

	load(&m, "Subject: caf\xc3\xa9\n\nplain\n", 20, 0, &e);
	ok(m.header_8bit && !m.body_8bit, "8bit: header only");
	msg_release(&m);
	load(&m, "Subject: x\n\ncaf\xc3\xa9\n", 18, 0, &e);
	ok(!m.header_8bit && m.body_8bit, "8bit: body only");
	msg_release(&m);
	load(&m, "caf\xc3\xa9\n", 6, 0, &e);
	ok(!m.header_8bit && m.body_8bit, "8bit: no header block");
	msg_release(&m);
}

static void test_nul_and_errors(void)
{
	struct msg m;
	struct err e = ERR_INIT;
	int fd;

	ok(load(&m, "S: x\n\nline2\nab\0c\n", 17, 0, &e) == -1 &&
		   e.kind == ERR_DATAERR,
	   "NUL refused");
	is_str(e.msg, "message contains a NUL byte (line 4)", "NUL: line");
	msg_release(&m);

	err_init(&e);
	ok(load(&m, "a\rb\r\0", 5, 0, &e) == -1, "NUL after bare CRs");
	is_str(e.msg, "message contains a NUL byte (line 3)",
	       "NUL: bare CR counts as a line end");
	msg_release(&m);

	err_init(&e);
	msg_init(&m);
	fd = open("/", O_RDONLY | O_DIRECTORY);
	ok(msg_read(&m, fd, 0, &e) == -1 && e.kind == ERR_IOERR,
	   "read error is ERR_IOERR");
	ok(strncmp(e.msg,
		   "cannot read the message from standard input: ", 45) == 0,
	   "read error message");
	close(fd);
	msg_release(&m);
}

static void test_large(void)
{
	size_t n = 3 * 1024 * 1024 + 17, i;
	char *big = malloc(n), *got;
	struct msg m;
	struct err e = ERR_INIT;
	size_t len;

	memcpy(big, "Subject: big\n\n", 14);
	for (i = 14; i < n; i++)
		big[i] = (i % 100 == 99) ? '\n' : (i % 7 == 0 ? '\r' : 'x');
	big[n - 1] = 'y';
	ok(load(&m, big, n, 0, &e) == 0, "large: read");
	is_int(m.size, n, "large: spool size");
	got = read_all(&m, &len);
	ok(len == n && memcmp(got, big, n) == 0, "large: reader round trip");
	is_int(msg_out_size(&m), wire_size(big, n), "large: out size");
	free(got);
	msg_release(&m);

	/* A body-only message whose first line is bigger than the cap. */
	memset(big, 'z', n);
	ok(load(&m, big, n, 0, &e) == 0 && !m.has_header_block,
	   "large first line is body");
	msg_release(&m);
	memcpy(big, "X-Big: ", 7);
	err_init(&e);
	ok(load(&m, big, n, 0, &e) == -1 && e.kind == ERR_DATAERR,
	   "header block over the cap refused");
	msg_release(&m);
	free(big);
}

/* ---- header edits ------------------------------------------------------- */

struct edit_case {
	const char *name;
	const char *input;
	struct msg_edits ed;
	const char *want;
};

static const struct edit_case edit_cases[] = {
	{"nothing to do", "Subject: x\n\nb\n", {0}, "Subject: x\n\nb\n"},
	{"add all in order",
	 "Subject: x\n\nb\n",
	 {"A <a@x>", 1, "<id@x>", "t@x", 0, 0, TEST_NOW},
	 "From: A <a@x>\nTo: t@x\nDate: Sun, 22 Nov 2026 10:19:00 +0000\n"
	 "Message-ID: <id@x>\nSubject: x\n\nb\n"},
	{"CRLF input gets CRLF fields",
	 "Subject: x\r\n\r\nb\r\n",
	 {"a@x", 0, NULL, NULL, 0, 0, 0},
	 "From: a@x\r\nSubject: x\r\n\r\nb\r\n"},
	{"no header block gets a blank line",
	 "just body\n",
	 {"a@x", 0, NULL, NULL, 0, 0, 0},
	 "From: a@x\n\njust body\n"},
	{"empty message gets headers",
	 "",
	 {"a@x", 0, NULL, NULL, 0, 0, 0},
	 "From: a@x\n\n"},
	{"From replaced",
	 "From: old@x\nSubject: x\n\nb\n",
	 {"new@x", 0, NULL, NULL, 0, 0, 0},
	 "From: new@x\nSubject: x\n\nb\n"},
	{"Bcc removed with continuation",
	 "To: a@x\nBcc: b@x,\n  c@x\nSubject: s\nResent-Bcc: d@x\n\nb\n",
	 {NULL, 0, NULL, NULL, 1, 0, 0},
	 "To: a@x\nSubject: s\n\nb\n"},
	{"Bcc kept without remove_bcc",
	 "Bcc: b@x\n\nb\n",
	 {NULL, 0, NULL, NULL, 0, 0, 0},
	 "Bcc: b@x\n\nb\n"},
	{"bcc any case",
	 "bCC: b@x\nS: 1\n\n",
	 {NULL, 0, NULL, NULL, 1, 0, 0},
	 "S: 1\n\n"},
	{"undisclosed replaces To Cc Bcc",
	 "To: a@x\nCc: b@x\nBcc: c@x\nSubject: s\n\nb\n",
	 {NULL, 0, NULL, "undisclosed-recipients:;", 0, 1, 0},
	 "To: undisclosed-recipients:;\nSubject: s\n\nb\n"},
	{"headers only, last without EOL",
	 "Subject: x\nBcc: y",
	 {NULL, 0, NULL, NULL, 1, 0, 0},
	 "Subject: x\n"},
	/* fuzz/regress/header/bcc-removal-joins-body: the CR before the
	 * dropped field must not merge with the blank line's LF */
	{"Bcc removed between a bare CR and the blank line",
	 "To: a@x\rBcc: b@x\n\nbody\n",
	 {NULL, 0, NULL, NULL, 1, 0, 0},
	 "To: a@x\r\n\nbody\n"},
};

static void test_edits(void)
{
	size_t i;

	setenv("TZ", "UTC", 1);
	tzset();
	for (i = 0; i < sizeof(edit_cases) / sizeof(edit_cases[0]); i++) {
		const struct edit_case *c = &edit_cases[i];
		struct msg m;
		struct err e = ERR_INIT;
		char name[200], *got;
		size_t n;

		load(&m, c->input, strlen(c->input), 0, &e);
		ok(msg_edit_headers(&m, &c->ed, &e) == 0, c->name);
		got = read_all(&m, &n);
		snprintf(name, sizeof(name), "%s: output", c->name);
		is_str(got, c->want, name);
		snprintf(name, sizeof(name), "%s: out size", c->name);
		is_int(msg_out_size(&m), wire_size(got, n), name);
		free(got);
		msg_release(&m);
	}
}

static void test_date(void)
{
	char d[MSG_DATE_MAX];

	setenv("TZ", "CET-1", 1);
	tzset();
	msg_format_date(TEST_NOW, d, sizeof(d));
	is_str(d, "Sun, 22 Nov 2026 11:19:00 +0100", "date: positive offset");
	setenv("TZ", "XST+5:30", 1);
	tzset();
	msg_format_date(TEST_NOW, d, sizeof(d));
	is_str(d, "Sun, 22 Nov 2026 04:49:00 -0530", "date: negative offset");
	setenv("TZ", "UTC", 1);
	tzset();
}

/* ---- envelope ------------------------------------------------------------ */

static void acct_init(struct account *a)
{
	memset(a, 0, sizeof(*a));
	a->name = (char *)"test";
	a->from = (char *)"me@example.org";
	a->allow_from_override = 1;
	a->remove_bcc_headers = 1;
	a->set_from_header = AUTO_AUTO;
	a->set_date_header = AUTO_AUTO;
	a->set_msgid_header = AUTO_AUTO;
	a->set_to_header = AUTO_OFF; /* conf.c's default */
}

static void cli_zero(struct cli *c, char **rcpts, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->queue = -1;
	c->rcpts = rcpts;
	c->nrcpts = n;
}

static char *joined(const struct strlist *l)
{
	struct buf b = BUF_INIT(1 << 20);
	size_t i;

	for (i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", l->v[i]);
	return buf_detach(&b);
}

/* Build an envelope; returns 0/-1, fills rcpts/from/out strings. */
struct env_result {
	int r;
	struct err e;
	char *rcpts;
	char *from;
	char *out;
	struct envelope env;
};

static void env_run(struct env_result *res, const struct cli *c,
		    const struct account *a, const char *input)
{
	struct msg m;
	size_t n;

	memset(res, 0, sizeof(*res));
	err_init(&res->e);
	load(&m, input, strlen(input), c->ignore_dots, &res->e);
	envelope_init(&res->env);
	res->env.now = TEST_NOW;
	res->env.mailname = getenv("TEST_MAILNAME");
	res->r = envelope_build(&res->env, c, a, &m, &res->e);
	res->rcpts = joined(&res->env.rcpts);
	res->from = strdup(res->env.from ? res->env.from : "(none)");
	res->out = read_all(&m, &n);
	if (res->r == 0 && res->env.size != msg_out_size(&m))
		res->r = -2;
	msg_release(&m);
}

static void env_done(struct env_result *res)
{
	free(res->rcpts);
	free(res->from);
	free(res->out);
	envelope_release(&res->env);
}

struct env_case {
	const char *name;
	const char *input;
	const char *rcpt_args; /* "|"-separated argv recipients */
	const char *f;	       /* -f */
	int t;		       /* -t */
	int no_override;       /* allow_from_override off */
	const char *acct_from; /* NULL: "me@example.org"; "": unset */
	const char *qualify;
	const char *want_from;
	const char *want_rcpts; /* NULL: failure expected */
	enum err_kind want_err;
};

static const struct env_case env_cases[] = {
	{"argv lists", "S: x\n\nb\n", "a@x, b@y|c@z", NULL, 0, 0, NULL, NULL,
	 "me@example.org", "a@x b@y c@z", 0},
	{"argv whitespace list", "S: x\n\nb\n", "a@x b@y", NULL, 0, 0, NULL,
	 NULL, "me@example.org", "a@x b@y", 0},
	{"-f overrides from", "S: x\n\nb\n", "a@x", "you@x", 0, 0, NULL, NULL,
	 "you@x", "a@x", 0},
	{"-f ignored without override", "S: x\n\nb\n", "a@x", "you@x", 0, 1,
	 NULL, NULL, "me@example.org", "a@x", 0},
	{"-f used when no account from", "S: x\n\nb\n", "a@x", "you@x", 0, 1,
	 "", NULL, "you@x", "a@x", 0},
	{"-f empty is null sender", "S: x\n\nb\n", "a@x", "", 0, 0, NULL, NULL,
	 "", "a@x", 0},
	{"-f <> is null sender", "S: x\n\nb\n", "a@x", "<>", 0, 0, NULL, NULL,
	 "", "a@x", 0},
	{"-f with display name", "S: x\n\nb\n", "a@x", "Me <m@x>", 0, 0, NULL,
	 NULL, "m@x", "a@x", 0},
	{"-f CRLF injection", "S: x\n\nb\n", "a@x", "a@x>\r\nRCPT TO:<evil@y",
	 0, 0, NULL, NULL, NULL, NULL, ERR_DATAERR},
	{"-f two addresses", "S: x\n\nb\n", "a@x", "a@x b@y", 0, 0, NULL, NULL,
	 NULL, NULL, ERR_DATAERR},
	{"rcpt LF injection", "S: x\n\nb\n", "a@x\nDATA", NULL, 0, 0, NULL,
	 NULL, NULL, NULL, ERR_DATAERR},
	{"rcpt bad syntax", "S: x\n\nb\n", "<a@x", NULL, 0, 0, NULL, NULL, NULL,
	 NULL, ERR_DATAERR},
	{"no sender", "S: x\n\nb\n", "a@x", NULL, 0, 0, "", NULL, NULL, NULL,
	 ERR_CONFIG},
	{"pattern from needs -f", "S: x\n\nb\n", "a@x", NULL, 0, 0,
	 "*@example.org", NULL, NULL, NULL, ERR_CONFIG},
	{"no recipients", "S: x\n\nb\n", "", NULL, 0, 0, NULL, NULL, NULL, NULL,
	 ERR_USAGE},
	{"-t with no addresses", "To: undisclosed-recipients:;\n\nb\n", "",
	 NULL, 1, 0, NULL, NULL, NULL, NULL, ERR_USAGE},
	{"qualify sender and rcpts", "S: x\n\nb\n", "admin|b@y", "root", 0, 0,
	 NULL, "q.example", "root@q.example", "admin@q.example b@y", 0},
	{"-t union and dedupe",
	 "To: a@x, B <b@y>\nCc: c@z,\n a@X\nBcc: d@w\nSubject: s\n\nb\n",
	 "a@x|e@v", NULL, 1, 0, NULL, NULL, "me@example.org",
	 "a@x e@v b@y c@z d@w", 0},
	{"headers ignored without -t", "To: a@x\n\nb\n", "z@x", NULL, 0, 0,
	 NULL, NULL, "me@example.org", "z@x", 0},
	{"-t first Resent- block",
	 "Received: x\nResent-From: r@x\nResent-To: r1@x\nResent-Cc: r2@x\n"
	 "Resent-Bcc: r3@x\nReceived: y\nResent-To: old@x\nTo: orig@x\n\nb\n",
	 "", NULL, 1, 0, NULL, NULL, "me@example.org", "r1@x r2@x r3@x", 0},
	{"-t bad header address", "To: <a@x\n\nb\n", "", NULL, 1, 0, NULL, NULL,
	 NULL, NULL, ERR_DATAERR},
};

static void split_args(const char *s, char **v, size_t *n, char *store,
		       size_t storesz)
{
	char *p;

	*n = 0;
	if (!*s)
		return;
	snprintf(store, storesz, "%s", s);
	for (p = strtok(store, "|"); p; p = strtok(NULL, "|"))
		v[(*n)++] = p;
}

static void test_envelope_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(env_cases) / sizeof(env_cases[0]); i++) {
		const struct env_case *c = &env_cases[i];
		struct cli cl;
		struct account a;
		struct env_result res;
		char *v[16], store[512], name[200];
		size_t n;

		split_args(c->rcpt_args, v, &n, store, sizeof(store));
		cli_zero(&cl, v, n);
		acct_init(&a);
		cl.envelope_from = c->f;
		cl.read_recipients = c->t;
		a.allow_from_override = !c->no_override;
		if (c->acct_from)
			a.from = *c->acct_from ? (char *)c->acct_from : NULL;
		a.qualify_domain = (char *)c->qualify;
		env_run(&res, &cl, &a, c->input);
		if (c->want_rcpts) {
			if (res.r != 0)
				printf("# error: %s\n", res.e.msg);
			ok(res.r == 0, c->name);
			snprintf(name, sizeof(name), "%s: rcpts", c->name);
			is_str(res.rcpts, c->want_rcpts, name);
			snprintf(name, sizeof(name), "%s: from", c->name);
			is_str(res.from, c->want_from, name);
		} else {
			if (res.e.kind != c->want_err)
				printf("# got kind %d: %s\n", res.e.kind,
				       res.e.msg);
			ok(res.r == -1 && res.e.kind == c->want_err, c->name);
		}
		env_done(&res);
	}
}

static void test_envelope_messages(void)
{
	struct cli cl;
	struct account a;
	struct env_result res;
	char *v[1] = {(char *)"a@x"};

	cli_zero(&cl, NULL, 0);
	acct_init(&a);
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.e.msg, "no recipients", "no recipients message");
	env_done(&res);

	cli_zero(&cl, v, 1);
	cl.envelope_from = "a@x\r\nRSET";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.e.msg,
	       "invalid envelope sender 'a@x??RSET': it contains a control "
	       "character",
	       "-f injection message sanitised");
	env_done(&res);
}

static void test_envelope_headers(void)
{
	struct cli cl;
	struct account a;
	struct env_result res;
	char *v[1] = {(char *)"a@x"};
	char want[400];

	cli_zero(&cl, v, 1);
	acct_init(&a);
	cl.full_name = "Jane Doe";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	snprintf(want, sizeof(want), "%s",
		 "From: Jane Doe <me@example.org>\n"
		 "Date: Sun, 22 Nov 2026 10:19:00 +0000\n"
		 "Message-ID: <20261122101900.");
	ok(strncmp(res.out, want, strlen(want)) == 0,
	   "edits: From, Date, Message-ID added in order");
	ok(strstr(res.out, "@example.org>\nSubject: s\n\nb\n") != NULL &&
		   strlen(res.out) ==
			   strlen("From: Jane Doe <me@example.org>\n"
				  "Date: Sun, 22 Nov 2026 10:19:00 +0000\n"
				  "Message-ID: <20261122101900."
				  "0123456789abcdef@example.org>\n"
				  "Subject: s\n\nb\n"),
	   "edits: Message-ID shape");
	env_done(&res);

	cl.full_name = "Doe, \"J\"";
	a.set_date_header = AUTO_OFF;
	a.set_msgid_header = AUTO_OFF;
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.out,
	       "From: \"Doe, \\\"J\\\"\" <me@example.org>\n"
	       "Subject: s\n\nb\n",
	       "edits: full name with specials quoted");
	env_done(&res);

	cl.full_name = NULL;
	a.from_full_name = (char *)"Acct Name";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.out, "From: Acct Name <me@example.org>\nSubject: s\n\nb\n",
	       "edits: from_full_name");
	env_done(&res);

	cl.full_name = "Eve\nBcc: x@y";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_DATAERR,
	   "edits: -F with a line break refused");
	env_done(&res);
	cl.full_name = NULL;
	a.from_full_name = NULL;

	env_run(&res, &cl, &a, "From: x@y\nSubject: s\n\nb\n");
	is_str(res.out, "From: x@y\nSubject: s\n\nb\n",
	       "edits: auto keeps an existing From");
	env_done(&res);
	env_run(&res, &cl, &a, "From:\nSubject: s\n\nb\n");
	is_str(res.out, "From: me@example.org\nSubject: s\n\nb\n",
	       "edits: auto replaces an empty From");
	env_done(&res);
	a.set_from_header = AUTO_ON;
	env_run(&res, &cl, &a, "From: x@y\nSubject: s\n\nb\n");
	is_str(res.out, "From: me@example.org\nSubject: s\n\nb\n",
	       "edits: on replaces From");
	env_done(&res);
	a.set_from_header = AUTO_OFF;
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.out, "Subject: s\n\nb\n", "edits: off adds nothing");
	env_done(&res);
	a.set_from_header = AUTO_AUTO;
	cl.envelope_from = "";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.out, "Subject: s\n\nb\n", "edits: no From for null sender");
	env_done(&res);
	cl.envelope_from = NULL;

	a.set_from_header = AUTO_OFF;
	a.undisclosed_recipients = 1;
	cl.read_recipients = 1;
	env_run(&res, &cl, &a, "To: t@x\nCc: c@x\nBcc: b@x\nSubject: s\n\nb\n");
	is_str(res.out, "To: undisclosed-recipients:;\nSubject: s\n\nb\n",
	       "edits: undisclosed_recipients");
	is_str(res.rcpts, "a@x t@x c@x b@x",
	       "edits: undisclosed keeps envelope recipients");
	env_done(&res);
	a.undisclosed_recipients = 0;
	cl.read_recipients = 0;

	a.set_to_header = AUTO_AUTO;
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.out, "To: undisclosed-recipients:;\nSubject: s\n\nb\n",
	       "edits: set_to_header auto adds a To");
	env_done(&res);
	env_run(&res, &cl, &a, "Cc: c@x\n\nb\n");
	is_str(res.out, "Cc: c@x\n\nb\n",
	       "edits: set_to_header auto adds none when Cc exists");
	env_done(&res);
	a.set_to_header = AUTO_OFF;

	cl.read_recipients = 1;
	env_run(&res, &cl, &a, "To: t@x\nBcc: hidden@x,\n\tmore@x\n\nb\n");
	is_str(res.out, "To: t@x\n\nb\n", "edits: -t Bcc removed");
	is_str(res.rcpts, "a@x t@x hidden@x more@x",
	       "edits: Bcc still a recipient");
	env_done(&res);
	a.remove_bcc_headers = 0;
	env_run(&res, &cl, &a, "To: t@x\nBcc: h@x\n\nb\n");
	is_str(res.out, "To: t@x\nBcc: h@x\n\nb\n",
	       "edits: remove_bcc_headers off keeps Bcc");
	env_done(&res);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void test_envelope_aliases(void)
{
	struct cli cl;
	struct account a;
	struct env_result res;
	char path[300];
	char *v[6] = {(char *)"root", (char *)"nobody", (char *)"x@remote",
		      (char *)"Root", (char *)"ops"};

	snprintf(path, sizeof(path), "%s/aliases", tmpdir);
	write_file(path, "# aliases\n"
			 "root: admin@example.org, ops # trailing comment\n"
			 "\n"
			 "ops: o@example.org\n"
			 "default: catch@example.org\n");
	cli_zero(&cl, v, 5);
	acct_init(&a);
	a.aliases = path;
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.rcpts,
	       "admin@example.org o@example.org catch@example.org x@remote",
	       "aliases: nested, default, qualified untouched, dedupe");
	env_done(&res);

	write_file(path, "root: a@b\nroot: c@d\n");
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_CONFIG &&
		   strstr(res.e.msg, ":2: duplicate alias 'root'"),
	   "aliases: duplicate refused with line");
	env_done(&res);
	write_file(path, "root a@b\n");
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_CONFIG, "aliases: missing colon");
	env_done(&res);
	write_file(path, "x@y: a@b\n");
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_CONFIG, "aliases: '@' in name");
	env_done(&res);
	write_file(path, "x:\n");
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_CONFIG, "aliases: empty value");
	env_done(&res);
	write_file(path, "loop: loop2\nloop2: loop\n");
	cl.nrcpts = 0;
	v[0] = (char *)"loop";
	cl.nrcpts = 1;
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(res.r == 0 && res.env.rcpts.n == 1, "aliases: loop is bounded");
	env_done(&res);
	snprintf(path, sizeof(path), "%s/no-such-file", tmpdir);
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_CONFIG, "aliases: missing file");
	env_done(&res);
}

static void test_envelope_sender_patterns(void)
{
	struct cli cl;
	struct account a;
	struct env_result res;
	struct err e = ERR_INIT;
	char *v[1] = {(char *)"a@x"}, *out = NULL, path[300];

	setenv("USER", "alice", 1);
	setenv("HOSTNAME", "host.example", 1);
	ok(envelope_expand_from("%U@%H", NULL, &out, &e) == 0, "%U %H");
	is_str(out, "alice@host.example", "%U %H expanded");
	free(out);
	envelope_expand_from("a%F%%b@x", NULL, &out, &e);
	is_str(out, "a%F%%b@x", "unknown patterns kept as msmtp does");
	free(out);
	unsetenv("USER");
	setenv("LOGNAME", "bob", 1);
	envelope_expand_from("%U", NULL, &out, &e);
	is_str(out, "bob", "%U falls back to LOGNAME");
	free(out);
	setenv("USER", "alice", 1);

	snprintf(path, sizeof(path), "%s/mailname", tmpdir);
	write_file(path, "mail.example.net  \nignored\n");
	envelope_expand_from("%U@%M", path, &out, &e);
	is_str(out, "alice@mail.example.net", "%M reads the first line");
	free(out);
	snprintf(path, sizeof(path), "%s/none", tmpdir);
	out = NULL;
	ok(envelope_expand_from("x@%M", path, &out, &e) == -1 &&
		   e.kind == ERR_CONFIG && !out,
	   "%M without the file is ERR_CONFIG");

	cli_zero(&cl, v, 1);
	acct_init(&a);
	a.from = (char *)"%U@%H";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.from, "alice@host.example", "account from expanded");
	env_done(&res);

	a.auto_from = 1;
	a.maildomain = (char *)"ex.org";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.from, "alice@ex.org", "auto_from with maildomain");
	env_done(&res);
	a.maildomain = NULL;
	a.qualify_domain = (char *)"q.example";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.from, "alice@q.example", "auto_from bare user qualified");
	env_done(&res);
	a.auto_from = 0;
	a.qualify_domain = NULL;

	cl.read_envelope_from = 1;
	env_run(&res, &cl, &a, "From: \"X Y\" <xy@from.example>\n\nb\n");
	is_str(res.from, "xy@from.example", "--read-envelope-from");
	env_done(&res);
	env_run(&res, &cl, &a, "Subject: no from\n\nb\n");
	is_str(res.from, "alice@host.example",
	       "--read-envelope-from without From falls back");
	env_done(&res);
	cl.envelope_from = "f@x";
	env_run(&res, &cl, &a, "From: xy@from.example\n\nb\n");
	is_str(res.from, "f@x", "-f beats --read-envelope-from");
	env_done(&res);
}

static void test_envelope_dsn_8bit(void)
{
	struct cli cl;
	struct account a;
	struct env_result res;
	char *v[1] = {(char *)"a@x"};

	cli_zero(&cl, v, 1);
	acct_init(&a);
	cl.dsn_notify = "success,Delay";
	cl.dsn_return = "hdrs";
	cl.dsn_envid = "id+1=2";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.env.dsn_notify, "SUCCESS,DELAY", "dsn: -N upper case");
	is_str(res.env.dsn_return, "HDRS", "dsn: -R hdrs");
	is_str(res.env.dsn_envid, "id+2B1+3D2", "dsn: -V xtext");
	env_done(&res);

	cl.dsn_notify = NULL;
	cl.dsn_return = NULL;
	cl.dsn_envid = NULL;
	a.dsn_notify = (char *)"failure";
	a.dsn_return = (char *)"headers";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.env.dsn_notify, "FAILURE", "dsn: account notify");
	is_str(res.env.dsn_return, "HDRS", "dsn: account return headers");
	env_done(&res);

	cl.dsn_notify = "off";
	cl.dsn_return = "off";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(!res.env.dsn_notify && !res.env.dsn_return, "dsn: off unsets");
	env_done(&res);
	a.dsn_notify = NULL;
	a.dsn_return = NULL;

	cl.dsn_notify = "never";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	is_str(res.env.dsn_notify, "NEVER", "dsn: never");
	env_done(&res);
	{
		static const char *const bad[] = {"never,success", "success,",
						  "sometimes", "",
						  "failure,failure"};
		size_t i;

		for (i = 0; i < 5; i++) {
			cl.dsn_notify = bad[i];
			env_run(&res, &cl, &a, "S: x\n\nb\n");
			ok(res.r == -1 && res.e.kind == ERR_USAGE,
			   "dsn: bad -N refused");
			env_done(&res);
		}
	}
	cl.dsn_notify = NULL;
	cl.dsn_return = "everything";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_USAGE, "dsn: bad -R refused");
	env_done(&res);
	cl.dsn_return = NULL;

	cl.body_type = "8BITMIME";
	env_run(&res, &cl, &a, "S: x\n\nplain\n");
	ok(res.r == 0 && !res.env.body_8bit, "8bit: -B is only a hint");
	env_done(&res);
	cl.body_type = "7BIT";
	env_run(&res, &cl, &a, "S: x\n\ncaf\xc3\xa9\n");
	ok(res.r == 0 && res.env.body_8bit, "8bit: content decides");
	env_done(&res);
	cl.body_type = NULL;
	env_run(&res, &cl, &a, "Bcc: j\xc3\xb6rg@x\n\nplain\n");
	ok(res.r == 0 && !res.env.body_8bit && res.env.needs_smtputf8 == 0,
	   "8bit: removed Bcc does not count");
	env_done(&res);
	v[0] = (char *)"j\xc3\xb6rg@example.org";
	env_run(&res, &cl, &a, "S: x\n\nb\n");
	ok(res.r == 0 && res.env.needs_smtputf8, "smtputf8 for utf8 rcpt");
	env_done(&res);
	v[0] = (char *)"a@x";
	env_run(&res, &cl, &a, "S: x\r\n\r\nb\rc\n");
	ok(res.r == 0, "size matches msg_out_size");
	env_done(&res);
}

/* ---- RFC 2047 display names -------------------------------------------- */

#define E21 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
#define EURO7                                                          \
	"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac" \
	"\xe2\x82\xac\xe2\x82\xac"
#define SMILE	"\xf0\x9f\x98\x80"
#define SMILE10 SMILE SMILE SMILE SMILE SMILE SMILE SMILE SMILE SMILE SMILE
#define E_42                                                               \
	"=?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqc" \
	"Op?="
#define EURO_42                                                            \
	"=?UTF-8?B?4oKs4oKs4oKs4oKs4oKs4oKs4oKs4oKs4oKs4oKs4oKs4oKs4oKs4o" \
	"Ks?="
#define SMILE_40                                                           \
	"=?UTF-8?B?8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA8J+YgA" \
	"==?="
#define LONG_NAME                                      \
	"\xc3\x86r\xc3\xb8sk\xc3\xb8"                  \
	"bing F\xc3\xa6llesskabets "                   \
	"\xc3\x98lbryggeri og Sm\xc3\xb8rrebr\xc3\xb8" \
	"dsforening "                                  \
	"K\xc3\xb8"                                    \
	"benhavns Afdeling"

struct ew_case {
	const char *name;
	const char *in;
	size_t col;
	const char *want; /* NULL: -1 */
};

static const struct ew_case ew_cases[] = {
	{"one 2-byte char", "\xc3\xa9", 6, "=?UTF-8?B?w6k=?="},
	{"name with space", "J\xc3\xb6rg M\xc3\xbcller", 6,
	 "=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?="},
	{"ascii and 4-byte chars", "Ana \xf0\x9f\x98\x80\xf0\x9f\x8e\x89", 6,
	 "=?UTF-8?B?QW5hIPCfmIDwn46J?="},
	{"42 octets fill the first line", E21 E21 E21, 6, E_42},
	{"44 octets: second word, folded", E21 E21 E21 "\xc3\xa9", 6,
	 E_42 "\n =?UTF-8?B?w6k=?="},
	{"3-byte chars fill exactly", EURO7 EURO7, 6, EURO_42},
	{"3-byte chars never split", EURO7 EURO7 "\xe2\x82\xac", 6,
	 EURO_42 "\n =?UTF-8?B?4oKs?="},
	{"4-byte chars never split (40 of 42)", SMILE10 SMILE, 6,
	 SMILE_40 "\n =?UTF-8?B?8J+YgA==?="},
	{"long name, two lines", LONG_NAME, 6,
	 "=?UTF-8?B?w4Zyw7hza8O4YmluZyBGw6ZsbGVzc2thYmV0cyDDmGxicnlnZ2VyaSBv?="
	 "\n =?UTF-8?B?ZyBTbcO4cnJlYnLDuGRzZm9yZW5pbmcgS8O4YmVuaGF2bnMgQWZkZWx"
	 "pbmc=?="},
	{"line just fits", "\xc3\xa9", 60, "=?UTF-8?B?w6k=?="},
	{"no room left: starts on a folded line", "\xc3\xa9", 70,
	 "\n =?UTF-8?B?w6k=?="},
	{"column 0: 75-character words", SMILE10 SMILE SMILE, 0,
	 "=?UTF-8?B?8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA8J+YgPCfmIA"
	 "=?=\n =?UTF-8?B?8J+YgA==?="},
	{"empty", "", 6, NULL},
	{"latin-1 byte", "J\xf6rg", 6, NULL},
};

/* Every line at most 76 characters, every encoded-word at most 75. */
static int ew_limits_ok(const char *s, size_t col)
{
	const char *p = s, *nl, *w;
	size_t len;

	for (;;) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (col + len > MSG_EW_LINE_MAX)
			return 0;
		/* Words start "=?UTF-8?B?"; base64 holds no '?'. */
		for (w = p; (w = strstr(w, "=?UTF-8?B?")) && w < p + len;) {
			const char *end = strchr(w + 10, '?');

			if (!end || end[1] != '=' ||
			    (size_t)(end + 2 - w) > MSG_EW_MAX)
				return 0;
			w = end + 2;
		}
		if (!nl)
			return 1;
		p = nl + 1;
		col = 0;
	}
}

static void test_encode_phrase(void)
{
	size_t i;

	for (i = 0; i < sizeof(ew_cases) / sizeof(ew_cases[0]); i++) {
		const struct ew_case *c = &ew_cases[i];
		struct buf b = BUF_INIT(4096);
		size_t col = c->col;
		int r = msg_encode_phrase(&b, c->in, &col);
		char name[200];

		if (!c->want) {
			ok(r == -1, c->name);
		} else {
			is_str(r == 0 && b.data ? b.data : "(failed)", c->want,
			       c->name);
			snprintf(name, sizeof(name), "%s: within the limits",
				 c->name);
			ok(r == 0 && ew_limits_ok(b.data, c->col), name);
			snprintf(name, sizeof(name), "%s: end column", c->name);
			is_int((int)col,
			       (int)(strrchr(c->want, '\n')
					     ? strlen(strrchr(c->want, '\n') +
						      1)
					     : c->col + strlen(c->want)),
			       name);
		}
		buf_release(&b);
	}
}

/* A folded added From takes the input's line end on every line. */
static void test_edit_folding(void)
{
	struct msg m;
	struct msg_edits ed;
	struct err e = ERR_INIT;
	size_t n;
	char *out;

	load(&m, "Subject: s\r\n\r\nb\r\n", 17, 0, &e);
	memset(&ed, 0, sizeof(ed));
	ed.add_from = "=?UTF-8?B?w6k=?=\n <a@x>";
	ok(msg_edit_headers(&m, &ed, &e) == 0, "fold: edit ok");
	out = read_all(&m, &n);
	is_str(out,
	       "From: =?UTF-8?B?w6k=?=\r\n <a@x>\r\nSubject: s\r\n\r\nb\r\n",
	       "fold: CRLF input, CRLF folding");
	ok(msg_out_size(&m) == (off_t)n, "fold: size counts the fold");
	free(out);
	msg_release(&m);
}

/* ---- international envelopes ------------------------------------------ */

static void test_envelope_intl(void)
{
	struct cli cl;
	struct account a;
	struct env_result res;
	char *v[2] = {(char *)"bob@b\xc3\xbc"
			      "cher.example",
		      (char *)"bob@xn--bcher-kva.example"};

	cli_zero(&cl, v, 2);
	acct_init(&a);
	a.set_date_header = AUTO_OFF;
	a.set_msgid_header = AUTO_OFF;
	env_run(&res, &cl, &a, "From: x@y\nSubject: s\n\nb\n");
	is_str(res.rcpts, "bob@xn--bcher-kva.example",
	       "intl: IDN rcpt as A-label, U/A forms deduplicated");
	ok(res.r == 0 && !res.env.needs_smtputf8 && !res.env.header_utf8 &&
		   !res.env.body_8bit,
	   "intl: IDN domain needs nothing");
	env_done(&res);

	cli_zero(&cl, v, 1);
	cl.envelope_from = "alice@m\xc3\xbcnchen.example";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.from, "alice@xn--mnchen-3ya.example", "intl: -f A-label");
	is_str(res.out, "From: alice@xn--mnchen-3ya.example\nSubject: s\n\nb\n",
	       "intl: generated From uses the A-label");
	env_done(&res);
	cl.envelope_from = NULL;

	v[0] = (char *)"root";
	a.qualify_domain = (char *)"b\xc3\xbc"
				   "cher.example";
	env_run(&res, &cl, &a, "From: x@y\n\nb\n");
	is_str(res.rcpts, "root@xn--bcher-kva.example",
	       "intl: converted after qualify_domain");
	env_done(&res);
	a.qualify_domain = NULL;

	v[0] = (char *)"j\xc3\xb6rg@b\xc3\xbc"
		       "cher.example";
	env_run(&res, &cl, &a, "From: x@y\n\nb\n");
	is_str(res.rcpts, "j\xc3\xb6rg@xn--bcher-kva.example",
	       "intl: UTF-8 local part kept, domain converted");
	ok(res.r == 0 && res.env.needs_smtputf8 && !res.env.header_utf8,
	   "intl: UTF-8 local part needs SMTPUTF8");
	env_done(&res);

	v[0] = (char *)"j\xf6rg@example.org";
	env_run(&res, &cl, &a, "From: x@y\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_DATAERR,
	   "intl: invalid UTF-8 local part refused");
	env_done(&res);
	v[0] = (char *)"bob@example.org";

	cl.envelope_from = "r\xc3\xb6ger@example.org";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	ok(res.r == 0 && res.env.needs_smtputf8 && res.env.header_utf8 &&
		   res.env.body_8bit,
	   "intl: UTF-8 sender; its generated From is raw UTF-8");
	env_done(&res);
	cl.envelope_from = NULL;

	env_run(&res, &cl, &a,
		"From: x@y\nSubject: Gr\xc3\xbc\xc3\x9f"
		"e\n\nb\n");
	ok(res.r == 0 && res.env.header_utf8 && res.env.body_8bit &&
		   !res.env.needs_smtputf8,
	   "intl: UTF-8 Subject sets header_utf8");
	env_done(&res);
	env_run(&res, &cl, &a,
		"From: x@y\n\nGr\xc3\xbc\xc3\x9f"
		"e\n");
	ok(res.r == 0 && !res.env.header_utf8 && res.env.body_8bit,
	   "intl: 8-bit body only: no header_utf8");
	env_done(&res);

	a.send_8bit_without_8bitmime = 1;
	env_run(&res, &cl, &a, "From: x@y\n\nb\n");
	ok(res.r == 0 && res.env.send_8bit, "intl: send_8bit from the account");
	env_done(&res);
	a.send_8bit_without_8bitmime = 0;
}

static void test_envelope_full_name_2047(void)
{
	struct cli cl;
	struct account a;
	struct env_result res;
	char *v[1] = {(char *)"a@x"};

	cli_zero(&cl, v, 1);
	acct_init(&a);
	a.set_date_header = AUTO_OFF;
	a.set_msgid_header = AUTO_OFF;
	cl.full_name = "J\xc3\xb6rg M\xc3\xbcller";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.out,
	       "From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <me@example.org>\n"
	       "Subject: s\n\nb\n",
	       "2047: -F encoded");
	ok(res.r == 0 && !res.env.header_utf8 && !res.env.body_8bit,
	   "2047: the header stays 7-bit");
	env_done(&res);

	cl.full_name = "D\xc3\xb6"
		       "e, \"J\"";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.out,
	       "From: =?UTF-8?B?RMO2ZSwgIkoi?= <me@example.org>\n"
	       "Subject: s\n\nb\n",
	       "2047: specials need no quotes inside an encoded-word");
	env_done(&res);

	cl.full_name = NULL;
	a.from_full_name = (char *)LONG_NAME;
	env_run(&res, &cl, &a, "Subject: s\r\n\r\nb\r\n");
	is_str(res.out,
	       "From: "
	       "=?UTF-8?B?"
	       "w4Zyw7hza8O4YmluZyBGw6ZsbGVzc2thYmV0cyDDmGxicnlnZ2VyaSBv?="
	       "\r\n "
	       "=?UTF-8?B?"
	       "ZyBTbcO4cnJlYnLDuGRzZm9yZW5pbmcgS8O4YmVuaGF2bnMgQWZkZWx"
	       "pbmc=?=\r\n <me@example.org>\r\nSubject: s\r\n\r\nb\r\n",
	       "2047: long from_full_name folded with the input's CRLF");
	ok(res.r == 0, "2047: size agrees after folding");
	env_done(&res);

	a.from_full_name = (char *)"\xc3\xa9";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	is_str(res.out,
	       "From: =?UTF-8?B?w6k=?= <me@example.org>\nSubject: s\n\nb\n",
	       "2047: from_full_name encoded");
	env_done(&res);

	a.from_full_name = NULL;
	cl.full_name = "J\xf6rg";
	env_run(&res, &cl, &a, "Subject: s\n\nb\n");
	ok(res.r == -1 && res.e.kind == ERR_DATAERR &&
		   strcmp(res.e.msg, "invalid full name 'J?rg': it is not "
				     "valid UTF-8") == 0,
	   "2047: Latin-1 full name refused");
	env_done(&res);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/test_msg.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		return 99;
	setenv("TZ", "UTC", 1);
	tzset();
	test_spool();
	test_spool_file();
	test_headers();
	test_8bit();
	test_nul_and_errors();
	test_large();
	test_edits();
	test_date();
	test_envelope_table();
	test_envelope_messages();
	test_envelope_headers();
	test_envelope_aliases();
	test_envelope_sender_patterns();
	test_envelope_dsn_8bit();
	test_encode_phrase();
	test_edit_folding();
	test_envelope_intl();
	test_envelope_full_name_2047();
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return 99;
	}
	return tap_done();
}
