/*
 * test_compose.c - compose mode: the exact message written for a body
 * and the compose options (headers, 7bit/8bit/quoted-printable, RFC 2047
 * subject, multipart with base64 attachments, RFC 2231 file names), and
 * that it reads back with msg_read().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "buf.h"
#include "cli.h"
#include "compose.h"
#include "msg.h"
#include "tap.h"

/* Composed messages the tests read back whole. */
#define OUT_MAX (4 * 1024 * 1024)
/* The big attachment: several base64 chunks and a partial one. */
#define BIG_SIZE (3 * COMPOSE_IO_CHUNK + 1000)

static char dir[] = "/tmp/mailhop-test-compose.XXXXXX";

static int input_fd(const char *text, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/input", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		return -1;
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static const char *make_file(const char *name, const char *data, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len)
		return NULL;
	fclose(f);
	return path;
}

/* Compose; out gets the message, or "error: MSG" on failure. */
static int run(const struct cli *c, const char *body, struct buf *out,
	       struct err *e)
{
	int in = input_fd(body, strlen(body)), fd = -1;
	char b[4096];
	ssize_t n;

	buf_reset(out);
	if (compose_message(c, in, &fd, e) < 0) {
		buf_printf(out, "error: %s", e->msg);
		close(in);
		return -1;
	}
	while ((n = read(fd, b, sizeof(b))) > 0)
		buf_append(out, b, (size_t)n);
	close(fd);
	close(in);
	return 0;
}

static void set_list(struct cli_list *l, const char **v)
{
	l->v = v;
	for (l->n = 0; v[l->n]; l->n++)
		;
}

struct tcase {
	const char *name;
	const char *subject;
	const char *to[3];
	const char *cc[3];
	int ignore_dots;
	const char *body;
	const char *want;
};

#define HDR_TEXT(cte)                               \
	"MIME-Version: 1.0\n"                       \
	"Content-Type: text/plain; charset=utf-8\n" \
	"Content-Transfer-Encoding: " cte "\n\n"

static const struct tcase cases[] = {
	{"plain ASCII: 7bit, To list, Cc, Subject",
	 "Hello",
	 {"a@example.org", "b@example.org, c@example.org", NULL},
	 {"d@example.org", NULL},
	 0,
	 "hi\n",
	 "To: a@example.org,\n b@example.org, c@example.org\n"
	 "Cc: d@example.org\nSubject: Hello\n" HDR_TEXT("7bit") "hi\n"},
	{"8-bit body: 8bit",
	 NULL,
	 {"a@example.org", NULL},
	 {NULL},
	 0,
	 "gr\xc3\xbc\xc3\x9f"
	 "e\n",
	 "To: a@example.org\n" HDR_TEXT("8bit") "gr\xc3\xbc\xc3\x9f"
						"e\n"},
	{"non-ASCII subject: RFC 2047",
	 "Gr\xc3\xbc\xc3\x9f"
	 "e",
	 {NULL},
	 {NULL},
	 0,
	 "x\n",
	 "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\n" HDR_TEXT("7bit") "x\n"},
	{"control bytes in the subject are encoded, never a new field",
	 "a\nBcc: evil@example.org",
	 {NULL},
	 {NULL},
	 0,
	 "x\n",
	 "Subject: =?UTF-8?B?YQpCY2M6IGV2aWxAZXhhbXBsZS5vcmc=?=\n" HDR_TEXT(
		 "7bit") "x\n"},
	{"empty subject",
	 "",
	 {NULL},
	 {NULL},
	 0,
	 "x\n",
	 "Subject: \n" HDR_TEXT("7bit") "x\n"},
	{"body without final line end gets one",
	 NULL,
	 {"a@x.example", NULL},
	 {NULL},
	 0,
	 "no eol",
	 "To: a@x.example\n" HDR_TEXT("7bit") "no eol\n"},
	{"empty body",
	 NULL,
	 {"a@x.example", NULL},
	 {NULL},
	 0,
	 "",
	 "To: a@x.example\n" HDR_TEXT("7bit") "\n"},
	{"a header-looking first line is body",
	 NULL,
	 {"a@x.example", NULL},
	 {NULL},
	 0,
	 "Subject: not a header\n\nbody\n",
	 "To: a@x.example\n" HDR_TEXT(
		 "7bit") "Subject: not a header\n\nbody\n"},
	{"lone dot ends input without -i",
	 NULL,
	 {"a@x.example", NULL},
	 {NULL},
	 0,
	 "a\n.\nb\n",
	 "To: a@x.example\n" HDR_TEXT("7bit") "a\n"},
	{"lone dot is data with -i",
	 NULL,
	 {"a@x.example", NULL},
	 {NULL},
	 1,
	 "a\n.\nb\n",
	 "To: a@x.example\n" HDR_TEXT("7bit") "a\n.\nb\n"},
	{"CRLF input kept",
	 NULL,
	 {"a@x.example", NULL},
	 {NULL},
	 0,
	 "a\r\nb\r\n",
	 "To: a@x.example\n" HDR_TEXT("7bit") "a\r\nb\r\n"},
	{"line break in --to refused",
	 NULL,
	 {"a@x.example\nBcc: b@y.example", NULL},
	 {NULL},
	 0,
	 "x\n",
	 "error: invalid address 'a@x.example?Bcc: b@y.example' for '--to': "
	 "it holds a line break"},
};

static void run_case(const struct tcase *t)
{
	struct cli c;
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT(OUT_MAX);

	cli_init(&c);
	c.compose = 1;
	c.subject = t->subject;
	c.ignore_dots = t->ignore_dots;
	set_list(&c.to, (const char **)t->to);
	set_list(&c.cc, (const char **)t->cc);
	run(&c, t->body, &out, &e);
	is_str(out.data, t->want, t->name);
	buf_release(&out);
}

static void check_wanted(void)
{
	struct cli c;
	const char *one[] = {"x", NULL};

	cli_init(&c);
	ok(!compose_wanted(&c), "plain sendmail run: no compose");
	c.subject = "";
	ok(compose_wanted(&c), "--subject wants compose");
	cli_init(&c);
	set_list(&c.attach, one);
	ok(compose_wanted(&c), "--attach wants compose");
	cli_init(&c);
	set_list(&c.cc, one);
	ok(compose_wanted(&c), "--cc wants compose");
	cli_init(&c);
	c.compose = 1;
	ok(compose_wanted(&c), "--compose wants compose");
}

static void check_types(void)
{
	static const char *const t[][2] = {
		{"a.txt", "text/plain"},
		{"/x/y/Report.PDF", "application/pdf"},
		{"p.png", "image/png"},
		{"p.jpg", "image/jpeg"},
		{"p.jpeg", "image/jpeg"},
		{"p.gif", "image/gif"},
		{"i.html", "text/html"},
		{"d.csv", "text/csv"},
		{"a.zip", "application/zip"},
		{"a.tar.gz", "application/gzip"},
		{"a.tar", "application/x-tar"},
		{"d.json", "application/json"},
		{"d.xml", "application/xml"},
		{"noext", "application/octet-stream"},
		{".txt", "application/octet-stream"},
		{"dir.txt/file", "application/octet-stream"},
		{"x.exe", "application/octet-stream"},
	};
	size_t k;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		is_str(compose_content_type(t[k][0]), t[k][1], t[k][0]);
}

/* Decode quoted-printable (soft breaks, =XX) for the round trip. */
static void qp_decode(const char *s, struct buf *out)
{
	while (*s) {
		if (s[0] == '=' && s[1] == '\n') {
			s += 2;
		} else if (s[0] == '=' && s[1] && s[2]) {
			char hex[3] = {s[1], s[2], 0};

			buf_putc(out, (int)strtol(hex, NULL, 16));
			s += 3;
		} else {
			buf_putc(out, *s++);
		}
	}
}

static int max_line(const char *s)
{
	int m = 0, cur = 0;

	for (; *s; s++) {
		cur = *s == '\n' ? 0 : cur + 1;
		if (cur > m)
			m = cur;
	}
	return m;
}

static void check_qp(void)
{
	struct cli c;
	struct err e = ERR_INIT;
	struct buf body = BUF_INIT(8192), out = BUF_INIT(OUT_MAX),
		   dec = BUF_INIT(8192);
	const char *text;
	int k;

	for (k = 0; k < 1100; k++)
		buf_putc(&body, "ab=c \xc3\xa9"[k % 7]);
	buf_puts(&body, "\ntrailing blank \nend\ttab\t\n");
	cli_init(&c);
	c.compose = 1;
	run(&c, body.data, &out, &e);
	text = strstr(out.data, "\n\n");
	ok(strstr(out.data, "Content-Transfer-Encoding: quoted-printable\n") !=
		   NULL,
	   "a line over 998 octets: quoted-printable");
	ok(text && max_line(text) <= COMPOSE_ENCODED_LINE,
	   "qp lines are at most 76 characters");
	ok(text && strstr(text, "blank=20\n") && strstr(text, "tab=09\n"),
	   "qp: blanks before a line end are encoded");
	ok(text && !strchr(text, '\xc3'), "qp: 8-bit bytes encoded");
	if (text)
		qp_decode(text + 2, &dec);
	is_str(dec.data, body.data, "qp decodes back to the body");
	buf_release(&body);
	buf_release(&out);
	buf_release(&dec);
}

/* The boundary line of a multipart message, or NULL. */
static char *boundary_of(const char *msg, char *dst, size_t n)
{
	const char *p = strstr(msg, "boundary=\""), *q;

	if (!p)
		return NULL;
	p += strlen("boundary=\"");
	q = strchr(p, '"');
	if (!q || (size_t)(q - p) >= n)
		return NULL;
	memcpy(dst, p, (size_t)(q - p));
	dst[q - p] = '\0';
	return dst;
}

static void check_attach_small(void)
{
	struct cli c;
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT(OUT_MAX), want = BUF_INIT(8192);
	char bd[128], p1[512], p2[512];
	const char *files[3], *to[] = {"a@example.org", NULL};

	snprintf(p1, sizeof(p1), "%s",
		 make_file("hello.txt", "hello world\n", 12));
	snprintf(p2, sizeof(p2), "%s",
		 make_file("\xc3\xa9t\xc3\xa9 \"1\".pdf", "%PDF", 4));
	files[0] = p1;
	files[1] = p2;
	files[2] = NULL;
	cli_init(&c);
	c.subject = "Files";
	set_list(&c.to, to);
	set_list(&c.attach, files);
	run(&c, "see attached\n", &out, &e);
	ok(boundary_of(out.data, bd, sizeof(bd)) != NULL, "boundary found");
	ok(strncmp(bd, "=_mailhop_", 10) == 0 && strlen(bd) == 42,
	   "boundary: =_mailhop_ and 32 random hex digits");
	buf_printf(&want,
		   "To: a@example.org\nSubject: Files\nMIME-Version: 1.0\n"
		   "Content-Type: multipart/mixed;\n boundary=\"%s\"\n\n"
		   "This is a multi-part message in MIME format.\n\n"
		   "--%s\n"
		   "Content-Type: text/plain; charset=utf-8\n"
		   "Content-Transfer-Encoding: 7bit\n\n"
		   "see attached\n"
		   "--%s\n"
		   "Content-Type: text/plain;\n name=\"hello.txt\"\n"
		   "Content-Transfer-Encoding: base64\n"
		   "Content-Disposition: attachment;\n"
		   " filename=\"hello.txt\"\n\n"
		   "aGVsbG8gd29ybGQK\n"
		   "--%s\n"
		   "Content-Type: application/pdf;\n"
		   " name*=utf-8''%%C3%%A9t%%C3%%A9%%20%%221%%22.pdf\n"
		   "Content-Transfer-Encoding: base64\n"
		   "Content-Disposition: attachment;\n"
		   " filename*=utf-8''%%C3%%A9t%%C3%%A9%%20%%221%%22.pdf\n\n"
		   "JVBERg==\n"
		   "--%s--\n",
		   bd, bd, bd, bd, bd);
	is_str(out.data, want.data, "two attachments: exact message");
	buf_release(&out);
	buf_release(&want);
}

/* Base64 lines between the part's blank line and the next boundary. */
static void check_attach_big(void)
{
	struct cli c;
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT(OUT_MAX), b64 = BUF_INIT(OUT_MAX);
	char *data = malloc(BIG_SIZE), path[512], bd[128], *p, *end;
	const char *files[] = {path, NULL};
	gnutls_datum_t in, dec = {NULL, 0};
	size_t k;

	for (k = 0; k < BIG_SIZE; k++)
		data[k] = (char)(k * 7 + k / 251);
	snprintf(path, sizeof(path), "%s", make_file("blob", data, BIG_SIZE));
	cli_init(&c);
	set_list(&c.attach, files);
	run(&c, "", &out, &e);
	ok(strstr(out.data, "Content-Type: application/octet-stream;\n"
			    " name=\"blob\"\n") != NULL,
	   "unknown extension: application/octet-stream");
	boundary_of(out.data, bd, sizeof(bd));
	p = strstr(out.data, "filename=\"blob\"\n\n");
	end = p ? strstr(p, "\n--") : NULL;
	ok(p && end, "big attachment part found");
	if (p && end) {
		p += strlen("filename=\"blob\"\n\n");
		*end = '\0';
		ok(max_line(p) == COMPOSE_ENCODED_LINE,
		   "base64 lines of 76 characters");
		for (; *p; p++)
			if (*p != '\n')
				buf_putc(&b64, *p);
		in.data = (unsigned char *)b64.data;
		in.size = (unsigned int)b64.len;
		ok(gnutls_base64_decode2(&in, &dec) == 0 &&
			   dec.size == BIG_SIZE &&
			   memcmp(dec.data, data, BIG_SIZE) == 0,
		   "big attachment decodes back to the file");
		gnutls_free(dec.data);
	}
	free(data);
	buf_release(&out);
	buf_release(&b64);
}

static void check_errors(void)
{
	struct cli c;
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT(OUT_MAX);
	char missing[512];
	const char *files[] = {missing, NULL}, *dirs[] = {dir, NULL};

	snprintf(missing, sizeof(missing), "%s/missing.pdf", dir);
	cli_init(&c);
	set_list(&c.attach, files);
	ok(run(&c, "x\n", &out, &e) < 0 && e.kind == ERR_USAGE,
	   "missing attachment: ERR_USAGE");
	ok(strstr(out.data, "cannot read attachment '") &&
		   strstr(out.data, "missing.pdf': No such file or directory"),
	   "missing attachment: message names it");
	err_init(&e);
	set_list(&c.attach, dirs);
	ok(run(&c, "x\n", &out, &e) < 0 && e.kind == ERR_USAGE &&
		   strstr(e.msg, "Is a directory"),
	   "directory as attachment refused");
	buf_release(&out);
}

/* The composed message is a valid input for the normal path. */
static void check_reads_back(void)
{
	struct cli c;
	struct err e = ERR_INIT;
	struct msg m;
	const char *to[] = {"a@example.org", NULL}, *files[2];
	const struct msg_header *h;
	char path[512];
	int in, fd = -1;

	snprintf(path, sizeof(path), "%s",
		 make_file("x.json", "{\"a\": 1}\n", 9));
	files[0] = path;
	files[1] = NULL;
	cli_init(&c);
	c.subject = "\xe2\x82\xac 100";
	set_list(&c.to, to);
	set_list(&c.attach, files);
	in = input_fd("body\n.\nmore\n", 12);
	c.ignore_dots = 1;
	msg_init(&m);
	ok(compose_message(&c, in, &fd, &e) == 0 &&
		   msg_read(&m, fd, 1, &e) == 0,
	   "composed message reads back");
	ok(m.has_header_block && !m.header_8bit,
	   "header block found, ASCII only");
	h = msg_header_find(&m, "Subject");
	is_str(h ? h->value : NULL,
	       "=?UTF-8?B?4oKsIDEwMA==?=", "Subject read back");
	h = msg_header_find(&m, "Content-Type");
	ok(h && strncmp(h->value, "multipart/mixed; boundary=", 26) == 0,
	   "Content-Type read back unfolded");
	ok(msg_header_find(&m, "To") && msg_header_find(&m, "MIME-Version"),
	   "To and MIME-Version read back");
	ok(!msg_header_find(&m, "From") && !msg_header_find(&m, "Date"),
	   "From and Date left to the header edits");
	msg_release(&m);
	close(in);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	size_t k;
	char cmd[600];

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	check_wanted();
	check_types();
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		run_case(&cases[k]);
	check_qp();
	check_attach_small();
	check_attach_big();
	check_errors();
	check_reads_back();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
