/*
 * compose.c - one-shot mail from a shell: a correct RFC 5322 / MIME
 * message written from the body on stdin and the compose options.
 *
 * Contract (see compose.h): every attachment is checked before stdin is
 * read; the body is spooled by msg_read() (same end-of-input, NUL and
 * read-error rules as a normal run) and then streamed, with the
 * attachments, into an unlinked private temp file that main.c hands to
 * msg_read() in place of stdin.  Only the header lines are built in
 * memory.  Base64 comes from GnuTLS (never hand-rolled); quoted-printable
 * (RFC 2045 §6.7) is written here because GnuTLS has none.
 */
#include "compose.h"
#include "buf.h"
#include "msg.h"
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

/* Header lines we build: To/Cc lists are bounded by argv (ARG_MAX). */
#define COMPOSE_HEADER_MAX (4 * 1024 * 1024)
/* Output buffered before a write(2). */
#define COMPOSE_OUT_BUF (64 * 1024)
/* RFC 5322 §2.1.1: keep generated lines under 78 characters. */
#define COMPOSE_FOLD_AT 78
/* "=_mailhop_" and 32 hex digits. */
#define COMPOSE_BOUNDARY_MAX 64

struct out {
	int fd;
	size_t len;
	struct err *e;
	char buf[COMPOSE_OUT_BUF];
};

static int out_flush(struct out *o)
{
	size_t done = 0;

	while (done < o->len) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(o->e, ERR_IOERR,
				       "cannot write the composed message: %s",
				       strerror(errno));
		done += (size_t)n;
	}
	o->len = 0;
	return 0;
}

static int out_put(struct out *o, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		size_t room = sizeof(o->buf) - o->len;
		size_t k = n < room ? n : room;

		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == sizeof(o->buf) && out_flush(o) < 0)
			return -1;
	}
	return 0;
}

static int out_puts(struct out *o, const char *s)
{
	return out_put(o, s, strlen(s));
}

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{"txt", "text/plain"},	      {"pdf", "application/pdf"},
	{"png", "image/png"},	      {"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},	      {"gif", "image/gif"},
	{"html", "text/html"},	      {"htm", "text/html"},
	{"csv", "text/csv"},	      {"zip", "application/zip"},
	{"gz", "application/gzip"},   {"tar", "application/x-tar"},
	{"json", "application/json"}, {"xml", "application/xml"},
};

const char *compose_content_type(const char *filename)
{
	const char *base = strrchr(filename, '/');
	const char *dot;
	size_t k;

	base = base ? base + 1 : filename;
	dot = strrchr(base, '.');
	if (dot && dot != base)
		for (k = 0; k < sizeof(types) / sizeof(types[0]); k++)
			if (strcasecmp(dot + 1, types[k].ext) == 0)
				return types[k].type;
	return "application/octet-stream";
}

int compose_wanted(const struct cli *c)
{
	return c->compose || c->subject || c->to.n || c->cc.n || c->attach.n;
}

static int open_attachment(const char *path, struct err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, ERR_USAGE, "cannot read attachment '%s': %s",
			       path, strerror(errno));
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		int err = S_ISDIR(st.st_mode) ? EISDIR : errno;

		close(fd);
		return err_set(e, ERR_USAGE, "cannot read attachment '%s': %s",
			       path, strerror(err));
	}
	return fd;
}

static int check_attachments(const struct cli *c, struct err *e)
{
	size_t k;

	for (k = 0; k < c->attach.n; k++) {
		int fd = open_attachment(c->attach.v[k], e);

		if (fd < 0)
			return -1;
		close(fd);
	}
	return 0;
}

/* Whether b[0, n) holds s (memmem is a GNU extension). */
static int holds(const char *b, size_t n, const char *s, size_t sl)
{
	const char *p = b, *end = b + n;

	while (sl > 0 && (size_t)(end - p) >= sl) {
		p = memchr(p, s[0], (size_t)(end - p) - sl + 1);
		if (!p)
			return 0;
		if (memcmp(p, s, sl) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* Whether the spooled text contains s (chunks overlap by strlen-1). */
static int spool_contains(const struct msg *m, const char *s, struct err *e)
{
	size_t sl = strlen(s), have = 0;
	off_t pos = 0;
	char *b = malloc(COMPOSE_IO_CHUNK + COMPOSE_BOUNDARY_MAX);
	int found = 0;

	if (!b)
		return err_set(e, ERR_OSERR, "out of memory");
	while (!found && pos < m->size) {
		ssize_t n = pread(m->fd, b + have, COMPOSE_IO_CHUNK, pos);

		if (n <= 0) {
			found = err_set(e, ERR_IOERR,
					"cannot read the spool: %s",
					n < 0 ? strerror(errno) : "short file");
			break;
		}
		pos += n;
		have += (size_t)n;
		found = holds(b, have, s, sl);
		if (have >= sl) {
			memmove(b, b + have - (sl - 1), sl - 1);
			have = sl - 1;
		}
	}
	free(b);
	return found;
}

static int make_boundary(const struct msg *m, char *dst, size_t n,
			 struct err *e)
{
	unsigned char rnd[16];
	int tries, k, r;

	for (tries = 0; tries < COMPOSE_BOUNDARY_TRIES; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return err_set(e, ERR_OSERR, "no random bytes: %s",
				       strerror(errno));
		k = snprintf(dst, n, "=_mailhop_");
		for (r = 0; r < (int)sizeof(rnd) && k > 0 && (size_t)k < n; r++)
			k += snprintf(dst + k, n - (size_t)k, "%02x", rnd[r]);
		r = spool_contains(m, dst, e);
		if (r <= 0)
			return r;
	}
	return err_set(e, ERR_SOFTWARE, "no MIME boundary fits the message");
}

/* Header values written as given must be one line of printable text. */
static int needs_encoding(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p >= 0x7f)
			return 1;
	return strlen(s) > MSG_LINE_MAX - sizeof("Subject: ");
}

static int put_subject(struct buf *h, const char *subj, struct err *e)
{
	size_t col = sizeof("Subject: ") - 1;

	if (buf_puts(h, "Subject: ") < 0)
		return err_set_buf(e, ERR_USAGE, "subject too long");
	if (!*subj || !needs_encoding(subj))
		return buf_printf(h, "%s\n", subj) < 0
			       ? err_set_buf(e, ERR_USAGE, "subject too long")
			       : 0;
	/* An encoded-word also carries control bytes (no header injection). */
	errno = 0;
	if (msg_encode_phrase(h, subj, &col) < 0 || buf_putc(h, '\n') < 0)
		return err_set_buf(e, ERR_USAGE,
				   "option '--subject' needs UTF-8 text");
	return 0;
}

/* "To: a@x,\n b@y": one option value per line; no CR or LF inside. */
static int put_addrs(struct buf *h, const char *name, const struct cli_list *l,
		     struct err *e)
{
	size_t k;
	int bad = 0;

	if (l->n == 0)
		return 0;
	bad |= buf_printf(h, "%s: ", name) < 0;
	for (k = 0; k < l->n; k++) {
		if (strpbrk(l->v[k], "\r\n"))
			return err_set(e, ERR_DATAERR,
				       "invalid address '%s' for '--%s': it "
				       "holds a line break",
				       l->v[k], name[0] == 'T' ? "to" : "cc");
		bad |= buf_printf(h, "%s%s", k ? ",\n " : "", l->v[k]) < 0;
	}
	if (bad | (buf_putc(h, '\n') < 0))
		return err_set(e, ERR_USAGE, "too many addresses for '%s'",
			       name);
	return 0;
}

/* RFC 2231 §7 attribute-char: sent as is inside an extended value. */
static int attr_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || strchr("!#$&+-.^_`|~", ch);
}

/*
 * "; name=\"x\"" or RFC 2231 "; name*=utf-8''%C3%A9" on a folded line.
 * -1 when h is full.
 */
static int put_param(struct buf *h, const char *name, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	int bad = 0;

	if (!needs_encoding(value)) {
		bad |= buf_printf(h, ";\n %s=\"", name) < 0;
		for (; *p; p++) {
			if (*p == '"' || *p == '\\')
				bad |= buf_putc(h, '\\') < 0;
			bad |= buf_putc(h, *p) < 0;
		}
		return (bad | (buf_putc(h, '"') < 0)) ? -1 : 0;
	}
	bad |= buf_printf(h, ";\n %s*=utf-8''", name) < 0;
	for (; *p; p++)
		if (attr_char(*p))
			bad |= buf_putc(h, *p) < 0;
		else
			bad |= buf_printf(h, "%%%02X", *p) < 0;
	return bad ? -1 : 0;
}

static int put_text_headers(struct buf *h, const struct msg *m)
{
	const char *cte = "7bit";

	if (m->longest_line > MSG_LINE_MAX)
		cte = "quoted-printable";
	else if (m->header_8bit || m->body_8bit)
		cte = "8bit";
	return buf_printf(h,
			  "Content-Type: text/plain; charset=utf-8\n"
			  "Content-Transfer-Encoding: %s\n\n",
			  cte);
}

/* The text as spooled, ending with a line end (the MIME delimiter's). */
static int write_text_raw(struct out *o, const struct msg *m, char *b)
{
	off_t pos = 0;
	char last = '\n';

	while (pos < m->size) {
		ssize_t n = pread(m->fd, b, COMPOSE_IO_CHUNK, pos);

		if (n <= 0)
			return err_set(o->e, ERR_IOERR,
				       "cannot read the spool: %s",
				       n < 0 ? strerror(errno) : "short file");
		if (out_put(o, b, (size_t)n) < 0)
			return -1;
		pos += n;
		last = b[n - 1];
	}
	if (m->size == 0 || (last != '\n' && last != '\r'))
		return out_puts(o, "\n");
	return 0;
}

/* Quoted-printable encoder state (RFC 2045 §6.7). */
struct qp {
	struct out *o;
	size_t col;   /* characters on the current output line */
	int pend_ws;  /* a space or tab held back: encoded if the line ends */
	int after_cr; /* a CR just ended a line: a following LF is its pair */
};

/* One output token (1 or 3 characters), soft-breaking before column 76. */
static int qp_token(struct qp *q, const char *t, size_t n)
{
	if (q->col + n > COMPOSE_ENCODED_LINE - 1) {
		if (out_puts(q->o, "=\n") < 0)
			return -1;
		q->col = 0;
	}
	q->col += n;
	return out_put(q->o, t, n);
}

static int qp_encoded(struct qp *q, unsigned char ch)
{
	char t[4];

	snprintf(t, sizeof(t), "=%02X", ch);
	return qp_token(q, t, 3);
}

/* Flush a held-back blank: literal mid-line, encoded before a line end. */
static int qp_flush_ws(struct qp *q, int at_eol)
{
	char ch = (char)q->pend_ws;

	if (!q->pend_ws)
		return 0;
	q->pend_ws = 0;
	return at_eol ? qp_encoded(q, (unsigned char)ch) : qp_token(q, &ch, 1);
}

/* CR, LF and CRLF each end a line (as on the wire: bare CR -> CRLF). */
static int qp_byte(struct qp *q, unsigned char ch)
{
	char c = (char)ch;

	if (ch == '\n' && q->after_cr) {
		q->after_cr = 0;
		return 0;
	}
	q->after_cr = ch == '\r';
	if (ch == '\n' || ch == '\r') {
		if (qp_flush_ws(q, 1) < 0)
			return -1;
		q->col = 0;
		return out_puts(q->o, "\n");
	}
	if (qp_flush_ws(q, 0) < 0)
		return -1;
	if (ch == ' ' || ch == '\t') {
		q->pend_ws = ch;
		return 0;
	}
	if (ch >= 33 && ch <= 126 && ch != '=')
		return qp_token(q, &c, 1);
	return qp_encoded(q, ch);
}

static int write_text_qp(struct out *o, const struct msg *m, char *b)
{
	struct qp q = {o, 0, 0, 0};
	off_t pos = 0;
	ssize_t n, k;

	while (pos < m->size) {
		n = pread(m->fd, b, COMPOSE_IO_CHUNK, pos);
		if (n <= 0)
			return err_set(o->e, ERR_IOERR,
				       "cannot read the spool: %s",
				       n < 0 ? strerror(errno) : "short file");
		for (k = 0; k < n; k++)
			if (qp_byte(&q, (unsigned char)b[k]) < 0)
				return -1;
		pos += n;
	}
	if (qp_flush_ws(&q, 1) < 0)
		return -1;
	return q.col > 0 || m->size == 0 ? out_puts(o, "\n") : 0;
}

static int write_text(struct out *o, const struct msg *m)
{
	char *b = malloc(COMPOSE_IO_CHUNK);
	int r;

	if (!b)
		return err_set(o->e, ERR_OSERR, "out of memory");
	if (m->longest_line > MSG_LINE_MAX)
		r = write_text_qp(o, m, b);
	else
		r = write_text_raw(o, m, b);
	free(b);
	return r;
}

/* Fill b with up to n bytes; fewer only at end of file. */
static ssize_t read_full(int fd, char *b, size_t n)
{
	size_t have = 0;

	while (have < n) {
		ssize_t k = read(fd, b + have, n - have);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		have += (size_t)k;
	}
	return (ssize_t)have;
}

/* base64 of one chunk (whole 57-byte groups but the last) in 76-col lines */
static int put_base64(struct out *o, const char *b, size_t n)
{
	gnutls_datum_t in = {(unsigned char *)b, (unsigned int)n}, res;
	size_t k, step;
	int r = 0;

	if (gnutls_base64_encode2(&in, &res) < 0)
		return err_set(o->e, ERR_OSERR,
			       "cannot base64-encode: "
			       "out of memory");
	for (k = 0; r == 0 && k < res.size; k += step) {
		step = res.size - k < COMPOSE_ENCODED_LINE
			       ? res.size - k
			       : COMPOSE_ENCODED_LINE;
		if (out_put(o, res.data + k, step) < 0 || out_puts(o, "\n") < 0)
			r = -1;
	}
	gnutls_free(res.data);
	return r;
}

static int attachment_headers(struct out *o, const char *path,
			      const char *boundary)
{
	struct buf h = BUF_INIT(COMPOSE_HEADER_MAX);
	const char *base = strrchr(path, '/');
	int bad;

	base = base && base[1] ? base + 1 : path;
	bad = buf_printf(&h, "--%s\nContent-Type: %s", boundary,
			 compose_content_type(base)) < 0;
	bad |= put_param(&h, "name", base) < 0;
	bad |= buf_puts(&h, "\nContent-Transfer-Encoding: base64\n"
			    "Content-Disposition: attachment") < 0;
	bad |= put_param(&h, "filename", base) < 0;
	bad |= buf_puts(&h, "\n\n") < 0;
	if (bad)
		bad = err_set_buf(o->e, ERR_USAGE,
				  "attachment name too long: '%s'", path);
	else
		bad = out_put(o, h.data, h.len);
	buf_release(&h);
	return bad;
}

static int write_attachment(struct out *o, const char *path,
			    const char *boundary)
{
	char *b = NULL;
	ssize_t n = 1;
	int fd, r = -1;

	if (attachment_headers(o, path, boundary) < 0)
		return -1;
	fd = open_attachment(path, o->e);
	if (fd < 0)
		return -1;
	b = malloc(COMPOSE_IO_CHUNK);
	if (!b) {
		err_set(o->e, ERR_OSERR, "out of memory");
		goto out;
	}
	while (n > 0) {
		n = read_full(fd, b, COMPOSE_IO_CHUNK);
		if (n < 0) {
			err_set(o->e, ERR_USAGE,
				"cannot read attachment '%s': %s", path,
				strerror(errno));
			goto out;
		}
		if (n > 0 && put_base64(o, b, (size_t)n) < 0)
			goto out;
	}
	r = 0;
out:
	free(b);
	close(fd);
	return r;
}

/* To, Cc, Subject, MIME-Version, Content-Type and the text part's. */
static int build_headers(struct buf *h, const struct cli *c,
			 const struct msg *m, const char *boundary,
			 struct err *e)
{
	if (put_addrs(h, "To", &c->to, e) < 0 ||
	    put_addrs(h, "Cc", &c->cc, e) < 0 ||
	    (c->subject && put_subject(h, c->subject, e) < 0))
		return -1;
	if (buf_puts(h, "MIME-Version: 1.0\n") < 0)
		return err_set_buf(e, ERR_USAGE, "header block too long");
	if (boundary &&
	    buf_printf(h,
		       "Content-Type: multipart/mixed;\n boundary=\"%s\"\n\n"
		       "This is a multi-part message in MIME format.\n\n"
		       "--%s\n",
		       boundary, boundary) < 0)
		return err_set_buf(e, ERR_USAGE, "header block too long");
	if (put_text_headers(h, m) < 0)
		return err_set_buf(e, ERR_USAGE, "header block too long");
	return 0;
}

static int write_message(struct out *o, const struct cli *c,
			 const struct msg *m)
{
	struct buf h = BUF_INIT(COMPOSE_HEADER_MAX);
	char boundary[COMPOSE_BOUNDARY_MAX];
	const char *bd = NULL;
	size_t k;
	int r = -1;

	if (c->attach.n > 0) {
		if (make_boundary(m, boundary, sizeof(boundary), o->e) < 0)
			goto out;
		bd = boundary;
	}
	if (build_headers(&h, c, m, bd, o->e) < 0 ||
	    out_put(o, h.data, h.len) < 0 || write_text(o, m) < 0)
		goto out;
	for (k = 0; k < c->attach.n; k++)
		if (write_attachment(o, c->attach.v[k], bd) < 0)
			goto out;
	if (bd && (out_puts(o, "--") < 0 || out_puts(o, bd) < 0 ||
		   out_puts(o, "--\n") < 0))
		goto out;
	r = out_flush(o);
out:
	buf_release(&h);
	return r;
}

int compose_message(const struct cli *c, int in_fd, int *out_fd, struct err *e)
{
	struct msg m;
	struct out *o = NULL;
	int fd = -1, r = -1;

	*out_fd = -1;
	msg_init(&m);
	if (check_attachments(c, e) < 0 ||
	    msg_read(&m, in_fd, c->ignore_dots, e) < 0)
		goto out;
	o = malloc(sizeof(*o));
	if (!o) {
		err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	fd = path_tmpfile(e);
	if (fd < 0)
		goto out;
	o->fd = fd;
	o->len = 0;
	o->e = e;
	if (write_message(o, c, &m) < 0)
		goto out;
	if (lseek(fd, 0, SEEK_SET) < 0) {
		err_set(e, ERR_IOERR, "cannot rewind the composed message: %s",
			strerror(errno));
		goto out;
	}
	*out_fd = fd;
	fd = -1;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	free(o);
	msg_release(&m);
	return r;
}

int compose_bare_body(const struct cli *c, struct msg *m, struct err *e)
{
	int fd = -1, r;

	if (m->has_header_block)
		return 0;
	if (lseek(m->fd, 0, SEEK_SET) < 0)
		return err_set(e, ERR_IOERR, "cannot reread the message: %s",
			       strerror(errno));
	/* The spool already stopped at a lone "." (without -i). */
	if (compose_message(c, m->fd, &fd, e) < 0)
		return -1;
	msg_release(m);
	msg_init(m);
	/* A composed message is whole: a lone "." line in it is data. */
	r = msg_read(m, fd, 1, e);
	close(fd);
	return r;
}
