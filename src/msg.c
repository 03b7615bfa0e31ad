/*
 * msg.c - the message: stdin spooled once, header block, header edits,
 * size and 8-bit facts (contract in msg.h).
 *
 * Policies (for the man page):
 *  - Input ends at EOF or, without -i/-oi, at a line holding a lone "."
 *    ended by LF or CRLF; a "." that is the very last byte of the input
 *    (no line end after it) also ends input and is not sent, as in
 *    Postfix's sendmail.  A "." followed by a bare CR and more text is
 *    data.  Nothing after the end-of-input dot is read.
 *  - Line ends are LF, CRLF or a bare CR (a CR not followed by LF), the
 *    same rule dotstuff.c applies, so line numbers, the longest line and
 *    msg_out_size() agree with what goes on the wire.
 *  - The header block is the lines from the first one up to an empty
 *    line or the first line that is neither a field ("Name:" with an
 *    optional obsolete WSP before the colon) nor a continuation (starts
 *    with SP or HTAB).  The empty line belongs to the body.  If the first
 *    line is not a field there is no header block.
 *  - A NUL byte anywhere refuses the message (ERR_DATAERR with the line).
 *  - Lines longer than 998 octets are kept unchanged (longest_line tells).
 *  - Added fields may be folded: a "\n" in an added value is written as
 *    the input's first line end (msg_encode_phrase() folds with it).
 */
#include "msg.h"
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Large reads and writes: few system calls for big bodies. */
#define MSG_IO_CHUNK (64 * 1024)
/* The edited header block may grow by the added fields; their values are
 * bounded by addresses (RFC 5321 paths) and a full name. */
#define MSG_EDIT_SLACK (64 * 1024)

enum line_kind { LINE_BLANK, LINE_FIELD, LINE_CONT, LINE_OTHER };

struct spool {
	struct msg *m;
	struct err *e;
	int ignore_dots;
	char *wbuf;
	size_t wlen;
	int in_header;
	size_t line_start; /* offset of the current line in hdr_block */
	size_t line_len;   /* octets in the current line, line end excluded */
	unsigned long line_no;
	int at_line_start;
	int pending_cr;
	int dot;	 /* 1: holding "."; 2: holding ".\r" */
	off_t bare_eol;	 /* whole spool */
	off_t last_8bit; /* offset + 1 of the last byte >= 0x80 */
	int last_byte;
};

void msg_init(struct msg *m)
{
	memset(m, 0, sizeof(*m));
	m->fd = -1;
	m->body_first = -1;
	buf_init(&m->out_headers, MSG_HEADER_MAX + MSG_EDIT_SLACK);
	buf_init(&m->hdr_block, MSG_HEADER_MAX);
}

static void headers_free(struct msg *m)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++) {
		free(m->headers[i].name);
		free(m->headers[i].raw);
		free(m->headers[i].value);
	}
	free(m->headers);
	m->headers = NULL;
	m->nheaders = 0;
}

void msg_release(struct msg *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	headers_free(m);
	buf_release(&m->out_headers);
	buf_release(&m->hdr_block);
}

/* ---- line classification ---------------------------------------------- */

static int is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* Kind of the line p[0..n) (line end excluded). */
static enum line_kind line_kind(const char *p, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return LINE_BLANK;
	if (is_wsp(p[0]))
		return LINE_CONT;
	while (i < n && p[i] > 32 && p[i] < 127 && p[i] != ':')
		i++;
	if (i == 0)
		return LINE_OTHER;
	while (i < n && is_wsp(p[i]))
		i++;
	return i < n && p[i] == ':' ? LINE_FIELD : LINE_OTHER;
}

/* Length of the line end at the end of p[0..n): 0, 1 or 2. */
static size_t eol_len(const char *p, size_t n)
{
	if (n >= 2 && p[n - 2] == '\r' && p[n - 1] == '\n')
		return 2;
	if (n >= 1 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		return 1;
	return 0;
}

/* The header phase ends at the start of the current line. */
static void header_end(struct spool *st)
{
	struct msg *m = st->m;

	st->in_header = 0;
	m->hdr_block.len = st->line_start;
	if (m->hdr_block.data)
		m->hdr_block.data[m->hdr_block.len] = '\0';
	m->body_offset = (off_t)st->line_start;
	if (st->line_start == 0)
		m->has_header_block = 0;
}

/* A header-phase line is complete (or cut short by EOF or the cap). */
static void header_line_done(struct spool *st)
{
	struct buf *hb = &st->m->hdr_block;
	const char *p = hb->data + st->line_start;
	size_t n = hb->len - st->line_start;
	enum line_kind k = line_kind(p, n - eol_len(p, n));

	if (st->line_start == 0 && k == LINE_FIELD)
		st->m->has_header_block = 1;
	if (k == LINE_OTHER || k == LINE_BLANK ||
	    (st->line_start == 0 && k != LINE_FIELD)) {
		header_end(st);
		return;
	}
	st->line_start = hb->len;
}

/* ---- spooling ---------------------------------------------------------- */

static int spool_flush(struct spool *st)
{
	if (st->wlen && write_all(st->m->fd, st->wbuf, st->wlen) < 0)
		return err_set(st->e, ERR_IOERR,
			       "cannot write the message spool file: %s",
			       strerror(errno));
	st->wlen = 0;
	return 0;
}

static int store(struct spool *st, unsigned char c)
{
	struct msg *m = st->m;

	if (st->in_header && buf_putc(&m->hdr_block, c) < 0) {
		const char *p = m->hdr_block.data + st->line_start;

		/* Below the cap it was the allocation: not the end of it. */
		if (m->hdr_block.len < m->hdr_block.cap)
			return err_set(st->e, ERR_OSERR, "out of memory");
		enum line_kind k =
			line_kind(p, m->hdr_block.len - st->line_start);

		/* A huge first line that is no field is just body. */
		if (k == LINE_FIELD || (k == LINE_CONT && st->line_start > 0))
			return err_set(st->e, ERR_DATAERR,
				       "the message header block is larger "
				       "than %d bytes",
				       MSG_HEADER_MAX);
		header_end(st);
	}
	st->wbuf[st->wlen++] = (char)c;
	if (st->wlen == MSG_IO_CHUNK && spool_flush(st) < 0)
		return -1;
	m->size++;
	if (c >= 0x80)
		st->last_8bit = m->size;
	st->last_byte = c;
	return 0;
}

/* A line ended with eol ("\n", "\r\n" or "\r"). */
static void line_end(struct spool *st, const char *eol)
{
	if (!st->m->first_eol[0])
		memcpy(st->m->first_eol, eol, strlen(eol) + 1);
	if (st->line_len > st->m->longest_line)
		st->m->longest_line = st->line_len;
	st->line_len = 0;
	st->line_no++;
	st->at_line_start = 1;
	if (st->in_header)
		header_line_done(st);
}

/* One byte of the message (after the end-of-input dot filter). */
static int emit(struct spool *st, unsigned char c)
{
	int after_cr = st->pending_cr;

	st->pending_cr = 0;
	if (after_cr && c != '\n') {
		st->bare_eol++;
		line_end(st, "\r");
	}
	if (c == '\0')
		return err_set(st->e, ERR_DATAERR,
			       "message contains a NUL byte (line %lu)",
			       st->line_no);
	if (store(st, c) < 0)
		return -1;
	if (c == '\r') {
		st->pending_cr = 1;
	} else if (c == '\n') {
		if (!after_cr)
			st->bare_eol++;
		line_end(st, after_cr ? "\r\n" : "\n");
	} else {
		st->line_len++;
		st->at_line_start = 0;
	}
	return 0;
}

/* The lone-dot filter; returns 1 when input ends here. */
static int feed(struct spool *st, unsigned char c)
{
	int at_start = st->pending_cr ? c != '\n' : st->at_line_start;

	if (st->dot == 0) {
		if (at_start && c == '.' && !st->ignore_dots) {
			st->dot = 1;
			return 0;
		}
		return emit(st, c);
	}
	if (c == '\n') {
		st->dot = 0; /* the dot line is the end mark, not data */
		return 1;
	}
	if (st->dot == 1 && c == '\r') {
		st->dot = 2;
		return 0;
	}
	if (emit(st, '.') < 0 || (st->dot == 2 && emit(st, '\r') < 0))
		return -1;
	st->dot = 0;
	/* c may itself start a line (after ".\r"): filter it again. */
	return feed(st, c);
}

/*
 * Fast path for the body: a run of bytes that are no line end, no NUL
 * and no possible end-of-input dot is copied in bulk.  Returns how many
 * bytes of p[0..n) it took (0: use feed() for the next byte).
 */
static size_t feed_run(struct spool *st, const unsigned char *p, size_t n)
{
	struct msg *m = st->m;
	size_t i = 0, k;

	if (st->in_header || st->dot || st->pending_cr ||
	    (st->at_line_start && p[0] == '.'))
		return 0;
	while (i < n && p[i] != '\n' && p[i] != '\r' && p[i] != '\0')
		i++;
	for (k = 0; k < i; k++)
		if (p[k] >= 0x80)
			st->last_8bit = m->size + (off_t)k + 1;
	if (i == 0)
		return 0;
	for (k = 0; k < i;) {
		size_t room = MSG_IO_CHUNK - st->wlen;
		size_t c = i - k < room ? i - k : room;

		memcpy(st->wbuf + st->wlen, p + k, c);
		st->wlen += c;
		k += c;
		if (st->wlen == MSG_IO_CHUNK && spool_flush(st) < 0)
			return (size_t)-1;
	}
	m->size += (off_t)i;
	st->line_len += i;
	st->at_line_start = 0;
	st->last_byte = p[i - 1];
	return i;
}

static int spool_finish(struct spool *st)
{
	struct msg *m = st->m;

	if (st->dot == 2 && (emit(st, '.') < 0 || emit(st, '\r') < 0))
		return -1;
	if (st->pending_cr) {
		st->pending_cr = 0;
		st->bare_eol++;
		line_end(st, "\r");
	} else if (st->line_len > 0) {
		if (st->line_len > m->longest_line)
			m->longest_line = st->line_len;
		if (st->in_header)
			header_line_done(st);
	}
	if (st->in_header) {
		st->in_header = 0;
		m->body_offset = (off_t)m->hdr_block.len;
	}
	m->ends_with_eol = st->last_byte == '\n' || st->last_byte == '\r';
	return spool_flush(st);
}

static int spool_open(struct msg *m, struct err *e)
{
	m->fd = path_tmpfile(e);
	return m->fd < 0 ? -1 : 0;
}

static int read_loop(struct spool *st, int fd)
{
	char *rbuf = malloc(MSG_IO_CHUNK);
	int r = 0;

	if (!rbuf)
		return err_set(st->e, ERR_OSERR, "out of memory");
	while (r == 0) {
		ssize_t n = read(fd, rbuf, MSG_IO_CHUNK);
		ssize_t i;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = err_set(st->e, ERR_IOERR,
				    "cannot read the message from standard "
				    "input: %s",
				    strerror(errno));
			break;
		}
		if (n == 0) {
			r = spool_finish(st);
			break;
		}
		for (i = 0; i < n && r == 0;) {
			size_t k = feed_run(st, (unsigned char *)rbuf + i,
					    (size_t)(n - i));

			if (k == (size_t)-1) {
				r = -1;
			} else if (k > 0) {
				i += (ssize_t)k;
			} else {
				r = feed(st, (unsigned char)rbuf[i]);
				i++;
			}
		}
		if (r == 1)
			r = spool_finish(st);
		else if (r == 0)
			continue;
		break;
	}
	free(rbuf);
	return r < 0 ? -1 : 0;
}

/* ---- header fields ----------------------------------------------------- */

static int header_add(struct msg *m, size_t off, size_t len)
{
	const char *p = m->hdr_block.data + off;
	size_t rawlen = len - eol_len(p, len), namelen = 0, i;
	struct msg_header *h, *nh;
	struct buf v = BUF_INIT(MSG_HEADER_MAX);
	int bad = 0;

	nh = realloc(m->headers, (m->nheaders + 1) * sizeof(*nh));
	if (!nh)
		return -1;
	m->headers = nh;
	h = &m->headers[m->nheaders];
	while (p[namelen] != ':')
		namelen++;
	for (i = namelen + 1; i < rawlen && !bad; i++)
		if (p[i] != '\r' && p[i] != '\n' && (v.len || !is_wsp(p[i])))
			bad = buf_putc(&v, p[i]) < 0;
	while (v.len && is_wsp(v.data[v.len - 1]))
		v.len--;
	/* A value cut short would change the header mailhop sends. */
	h->value = bad ? NULL : xstrndup(v.len ? v.data : "", v.len);
	buf_release(&v);
	while (namelen && is_wsp(p[namelen - 1]))
		namelen--;
	h->name = xstrndup(p, namelen);
	h->raw = xstrndup(p, rawlen);
	h->off = off;
	h->len = len;
	m->nheaders++;
	if (!h->name || !h->raw || !h->value)
		return -1;
	return 0;
}

/* Length of the line starting at p (line end included), within n. */
static size_t line_span(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n')
			return i + 1;
		if (p[i] == '\r')
			return i + 1 < n && p[i + 1] == '\n' ? i + 2 : i + 1;
	}
	return n;
}

static int headers_parse(struct msg *m, struct err *e)
{
	const char *d = m->hdr_block.data;
	size_t n = m->hdr_block.len, pos = 0, start = 0;

	while (pos < n) {
		size_t l = line_span(d + pos, n - pos);

		if (pos > start && !is_wsp(d[pos])) {
			if (header_add(m, start, pos - start) < 0)
				return err_set(e, ERR_OSERR, "out of memory");
			start = pos;
		}
		pos += l;
	}
	if (pos > start && header_add(m, start, pos - start) < 0)
		return err_set(e, ERR_OSERR, "out of memory");
	return 0;
}

/* Bare LF + bare CR line ends in p[0..n); next is the byte after it. */
static off_t count_bare_eol(const char *p, size_t n, int next)
{
	off_t k = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			k++;
		else if (p[i] == '\r' &&
			 (i + 1 < n ? p[i + 1] != '\n' : next != '\n'))
			k++;
	}
	return k;
}

static int any_8bit(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return 1;
	return 0;
}

/* Split the whole-spool facts into header and body parts. */
static int facts_finish(struct msg *m, const struct spool *st, struct err *e)
{
	const struct buf *hb = &m->hdr_block;
	const char *hd = hb->data ? hb->data : "";
	unsigned char c;

	m->body_first = -1;
	if (m->size > m->body_offset) {
		if (pread(m->fd, &c, 1, m->body_offset) != 1)
			return err_set(e, ERR_IOERR,
				       "cannot read the message spool file: %s",
				       strerror(errno));
		m->body_first = c;
	}
	m->header_8bit = any_8bit(hd, hb->len);
	m->body_8bit = st->last_8bit > m->body_offset;
	m->body_bare_eol =
		st->bare_eol - count_bare_eol(hd, hb->len, m->body_first);
	return 0;
}

int msg_read(struct msg *m, int fd, int ignore_dots, struct err *e)
{
	struct spool st;
	int r;

	memset(&st, 0, sizeof(st));
	st.m = m;
	st.e = e;
	st.ignore_dots = ignore_dots;
	st.in_header = 1;
	st.at_line_start = 1;
	st.line_no = 1;
	st.last_byte = -1;
	if (spool_open(m, e) < 0)
		return -1;
	st.wbuf = malloc(MSG_IO_CHUNK);
	if (!st.wbuf)
		return err_set(e, ERR_OSERR, "out of memory");
	r = read_loop(&st, fd);
	free(st.wbuf);
	if (r == 0)
		r = headers_parse(m, e);
	if (r == 0)
		r = facts_finish(m, &st, e);
	return r;
}

const struct msg_header *msg_header_find(const struct msg *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++)
		if (strcasecmp(m->headers[i].name, name) == 0)
			return &m->headers[i];
	return NULL;
}

/* ---- header edits ------------------------------------------------------ */

static const char *first_eol(const struct msg *m)
{
	return m->first_eol[0] ? m->first_eol : "\n";
}

int msg_format_date(time_t t, char *dst, size_t dstsz)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed",
					"Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr",
					   "May", "Jun", "Jul", "Aug",
					   "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	long off;
	int n;

	/* Our own names: strftime's %a/%b would follow the locale. */
	if (!localtime_r(&t, &tm))
		return -1;
	off = tm.tm_gmtoff / 60;
	n = snprintf(dst, dstsz, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld",
		     days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	return n < 0 || (size_t)n >= dstsz ? -1 : 0;
}

/* Is h dropped from the output by these edits? */
static int edit_drops(const struct msg_header *h, const struct msg_edits *ed)
{
	const char *n = h->name;

	if (ed->remove_bcc &&
	    (!strcasecmp(n, "Bcc") || !strcasecmp(n, "Resent-Bcc")))
		return 1;
	if (ed->replace_recipients &&
	    (!strcasecmp(n, "To") || !strcasecmp(n, "Cc") ||
	     !strcasecmp(n, "Bcc")))
		return 1;
	return (ed->add_from && !strcasecmp(n, "From")) ||
	       (ed->add_to && !strcasecmp(n, "To")) ||
	       (ed->add_date && !strcasecmp(n, "Date")) ||
	       (ed->add_msgid && !strcasecmp(n, "Message-ID"));
}

/* "Name: value" + eol; each "\n" in value (folding) becomes eol too. */
static int edit_add(struct buf *o, const char *name, const char *value,
		    const char *eol)
{
	const char *nl;
	int r = buf_printf(o, "%s: ", name);

	while (r == 0 && (nl = strchr(value, '\n')) != NULL) {
		r = buf_append(o, value, (size_t)(nl - value));
		if (r == 0)
			r = buf_puts(o, eol);
		value = nl + 1;
	}
	return r == 0 ? buf_printf(o, "%s%s", value, eol) : -1;
}

static int edit_added(struct buf *o, const struct msg_edits *ed,
		      const char *eol)
{
	char date[MSG_DATE_MAX];
	int r = 0;

	if (ed->add_from)
		r |= edit_add(o, "From", ed->add_from, eol);
	if (ed->add_to)
		r |= edit_add(o, "To", ed->add_to, eol);
	if (ed->add_date) {
		if (msg_format_date(ed->now ? ed->now : time(NULL), date,
				    sizeof(date)) < 0)
			return -1;
		r |= edit_add(o, "Date", date, eol);
	}
	if (ed->add_msgid)
		r |= edit_add(o, "Message-ID", ed->add_msgid, eol);
	return r ? -1 : 0;
}

int msg_edit_headers(struct msg *m, const struct msg_edits *ed, struct err *e)
{
	struct buf *o = &m->out_headers;
	const char *eol = first_eol(m);
	size_t i;

	buf_reset(o);
	if (edit_added(o, ed, eol) < 0)
		goto fail;
	if (!m->has_header_block && o->len > 0 && buf_puts(o, eol) < 0)
		goto fail;
	for (i = 0; i < m->nheaders; i++) {
		const struct msg_header *h = &m->headers[i];

		if (edit_drops(h, ed))
			continue;
		if (buf_append(o, m->hdr_block.data + h->off, h->len) < 0)
			goto fail;
	}
	/*
	 * A dropped last field could leave a field ended by a bare CR right
	 * before a body starting with the blank line's LF: the two would
	 * become one CRLF on the wire, the blank line would vanish and the
	 * body's first line would join the header.  Complete that CR into a
	 * CRLF (fuzz/regress/header/bcc-removal-joins-body).
	 */
	if (o->len > 0 && o->data[o->len - 1] == '\r' &&
	    m->body_first == '\n' && buf_putc(o, '\n') < 0)
		goto fail;
	m->edited = 1;
	return 0;
fail:
	return err_set_buf(e, ERR_DATAERR,
			   "the edited message header is too large");
}

/* ---- RFC 2047 encoded-words ------------------------------------------- */

/* "=?UTF-8?B?" and "?=" around the base64 text. */
#define EW_PREFIX   "=?UTF-8?B?"
#define EW_SUFFIX   "?="
#define EW_OVERHEAD (sizeof(EW_PREFIX) - 1 + sizeof(EW_SUFFIX) - 1)

static int put_base64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;

	for (i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = abc[v >> 18 & 63];
		q[1] = abc[v >> 12 & 63];
		q[2] = i + 1 < n ? abc[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? abc[v & 63] : '=';
		if (buf_append(b, q, 4) < 0)
			return -1;
	}
	return 0;
}

/* Octets of one UTF-8 character starting with byte c (0: invalid). */
static size_t utf8_len(unsigned char c)
{
	return c < 0x80			? 1
	       : c >= 0xc2 && c <= 0xdf ? 2
	       : c >= 0xe0 && c <= 0xef ? 3
	       : c >= 0xf0 && c <= 0xf4 ? 4
					: 0;
}

/*
 * How many octets of p[0..n) fit in an encoded-word of at most room
 * characters, ending between two characters (0: not even one fits).
 */
static size_t ew_take(const unsigned char *p, size_t n, size_t room)
{
	size_t max, take = 0, k;

	if (room <= EW_OVERHEAD)
		return 0;
	/* base64: 4 characters per 3 octets */
	max = (room - EW_OVERHEAD) / 4 * 3;
	while (take < n) {
		k = utf8_len(p[take]);
		if (k == 0 || take + k > n || take + k > max)
			break;
		take += k;
	}
	return take;
}

int msg_encode_phrase(struct buf *out, const char *name, size_t *col)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = strlen(name), room, take, wlen;
	int first = 1;

	if (n == 0)
		return -1;
	while (n > 0) {
		room = MSG_EW_LINE_MAX > *col ? MSG_EW_LINE_MAX - *col : 0;
		if (!first)
			room = MSG_EW_LINE_MAX - 1; /* a new line after "\n " */
		if (room > MSG_EW_MAX)
			room = MSG_EW_MAX;
		take = ew_take(p, n, room);
		if (take == 0 && first && *col > 1) {
			first = 0; /* no room on this line: start on the next */
			continue;
		}
		if (take == 0)
			return -1; /* not UTF-8 */
		if (!first && buf_puts(out, "\n ") < 0)
			return -1;
		if (!first)
			*col = 1;
		wlen = EW_OVERHEAD + (take + 2) / 3 * 4;
		if (buf_puts(out, EW_PREFIX) < 0 ||
		    put_base64(out, p, take) < 0 ||
		    buf_puts(out, EW_SUFFIX) < 0)
			return -1;
		*col += wlen;
		p += take;
		n -= take;
		first = 0;
	}
	return 0;
}

static const struct buf *out_hdr(const struct msg *m)
{
	return m->edited ? &m->out_headers : &m->hdr_block;
}

off_t msg_out_size(const struct msg *m)
{
	const struct buf *h = out_hdr(m);
	const char *hd = h->data ? h->data : "";
	off_t body = m->size - m->body_offset, total;
	int last_eol;

	total = (off_t)h->len + count_bare_eol(hd, h->len, m->body_first) +
		body + m->body_bare_eol;
	if (total == 0)
		return 0;
	if (body > 0)
		last_eol = m->ends_with_eol;
	else
		last_eol = h->len > 0 &&
			   (hd[h->len - 1] == '\n' || hd[h->len - 1] == '\r');
	return last_eol ? total : total + 2;
}

void msg_reader_init(struct msg_reader *r, const struct msg *m)
{
	r->m = m;
	r->hdr_pos = 0;
	r->body_pos = 0;
}

ssize_t msg_reader_read(struct msg_reader *r, char *dst, size_t n,
			struct err *e)
{
	const struct msg *m = r->m;
	const struct buf *h = out_hdr(m);
	off_t left = m->size - m->body_offset - r->body_pos;
	ssize_t got;

	if (r->hdr_pos < h->len) {
		size_t k = h->len - r->hdr_pos < n ? h->len - r->hdr_pos : n;

		memcpy(dst, h->data + r->hdr_pos, k);
		r->hdr_pos += k;
		return (ssize_t)k;
	}
	if (left <= 0 || n == 0)
		return 0;
	if ((off_t)n > left)
		n = (size_t)left;
	do
		got = pread(m->fd, dst, n, m->body_offset + r->body_pos);
	while (got < 0 && errno == EINTR);
	if (got <= 0)
		return err_set(e, ERR_IOERR,
			       "cannot read the message spool file: %s",
			       got < 0 ? strerror(errno) : "file shrank");
	r->body_pos += got;
	return got;
}
