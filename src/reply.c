/*
 * reply.c - pure SMTP reply parser with limits (see reply.h).
 *
 * Contract: reply_feed() takes one line at a time and either needs more
 * lines, completes a reply, or fails with ERR_PROTOCOL; it never reads or
 * writes anything.  Every check is strict (OpenSMTPD's smtp_client style):
 * three ASCII digits in 200..599, then '-', ' ' or the end of the line,
 * the same code on every line, at most REPLY_LINE_MAX octets per line
 * (line end not counted) and REPLY_LINES_MAX lines.  NUL bytes are
 * refused (the text is used as a C string).  After an error the parser is
 * reset and holds nothing.
 */
#include "reply.h"

#include <stdio.h>
#include <string.h>

/* The joined text of one reply can never exceed this. */
#define REPLY_TEXT_MAX ((size_t)REPLY_LINE_MAX * REPLY_LINES_MAX)
/* Bytes of the offending line quoted in an error message. */
#define REPLY_EXCERPT_MAX 80
/* RFC 3463 §2: "class.subject.detail", subject and detail 1..3 digits. */
#define ENH_PART_MAX 3

void reply_init(struct reply *r)
{
	r->code = 0;
	r->enhanced[0] = '\0';
	r->nlines = 0;
	buf_init(&r->text, REPLY_TEXT_MAX);
}

void reply_release(struct reply *r)
{
	buf_release(&r->text);
	r->code = 0;
	r->enhanced[0] = '\0';
	r->nlines = 0;
}

void reply_parser_init(struct reply_parser *p)
{
	p->code = 0;
	p->nlines = 0;
	buf_init(&p->text, REPLY_TEXT_MAX);
}

void reply_parser_release(struct reply_parser *p)
{
	buf_release(&p->text);
	p->code = 0;
	p->nlines = 0;
}

static void parser_reset(struct reply_parser *p)
{
	buf_reset(&p->text);
	p->code = 0;
	p->nlines = 0;
}

/* Fail with a sanitised excerpt of the line; the parser starts over. */
static int bad_line(struct reply_parser *p, struct err *e, const char *why,
		    const char *line, size_t len)
{
	char ex[REPLY_EXCERPT_MAX + 4];

	parser_reset(p);
	sanitize(ex, sizeof(ex), line, len);
	return err_set(e, ERR_PROTOCOL, "malformed server reply (%s): '%s'",
		       why, ex);
}

static size_t digits_at(const char *s, size_t len, size_t max)
{
	size_t n = 0;

	while (n < len && n <= max && s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/*
 * RFC 3463 status code at the start of text, whose class digit must match
 * the reply's class; copied into dst, else dst = "".
 */
static void parse_enhanced(int code, const char *t, size_t len, char *dst,
			   size_t dstsz)
{
	size_t i = 0, n;

	dst[0] = '\0';
	/* RFC 3463 §3.1: only the classes 2, 4 and 5 exist. */
	if (code / 100 == 3)
		return;
	if (len < 5 || t[0] != '0' + code / 100 || t[1] != '.')
		return;
	i = 2;
	n = digits_at(t + i, len - i, ENH_PART_MAX);
	if (n < 1 || n > ENH_PART_MAX || i + n >= len || t[i + n] != '.')
		return;
	i += n + 1;
	n = digits_at(t + i, len - i, ENH_PART_MAX);
	if (n < 1 || n > ENH_PART_MAX)
		return;
	i += n;
	if (i < len && t[i] != ' ')
		return;
	if (i >= dstsz)
		return;
	memcpy(dst, t, i);
	dst[i] = '\0';
}

/* Hand the finished reply to *out and reset the parser. */
static void complete(struct reply_parser *p, struct reply *out)
{
	const char *t, *end;
	size_t tlen, nl;

	buf_release(&out->text);
	out->text = p->text;
	buf_init(&p->text, REPLY_TEXT_MAX);
	out->code = p->code;
	out->nlines = p->nlines;
	t = out->text.data ? out->text.data : "";
	tlen = out->text.len;
	end = memchr(t, '\n', tlen);
	nl = end ? (size_t)(end - t) : tlen;
	parse_enhanced(out->code, t, nl, out->enhanced, sizeof(out->enhanced));
	p->code = 0;
	p->nlines = 0;
}

int reply_feed(struct reply_parser *p, const char *line, size_t len,
	       struct reply *out, struct err *e)
{
	int code, last;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > REPLY_LINE_MAX)
		return bad_line(p, e, "line too long", line, REPLY_EXCERPT_MAX);
	if (memchr(line, '\0', len))
		return bad_line(p, e, "NUL byte", line, len);
	if (len < 3 || digits_at(line, 3, 3) != 3)
		return bad_line(p, e, "no reply code", line, len);
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (code < 200 || code > 599)
		return bad_line(p, e, "reply code out of range", line, len);
	if (len > 3 && line[3] != '-' && line[3] != ' ')
		return bad_line(p, e, "bad separator", line, len);
	last = len == 3 || line[3] == ' ';
	if (p->code != 0 && code != p->code)
		return bad_line(p, e, "reply code changed", line, len);
	if (p->nlines >= REPLY_LINES_MAX)
		return bad_line(p, e, "too many lines", line, len);
	if ((p->nlines > 0 && buf_putc(&p->text, '\n') < 0) ||
	    buf_append(&p->text, line + (len > 3 ? 4 : 3),
		       len > 3 ? len - 4 : 0) < 0) {
		parser_reset(p);
		return err_set(e, ERR_OSERR, "out of memory");
	}
	p->code = code;
	p->nlines++;
	if (!last)
		return 0;
	complete(p, out);
	return 1;
}

/* Append src to dst at *o, '\n' as ' ', control bytes as '?'. */
static int summary_put(char *dst, size_t dstsz, size_t *o, const char *src,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		if (*o + 1 >= dstsz)
			return -1;
		if (c == '\n')
			c = ' ';
		dst[(*o)++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	return 0;
}

/* Mark a cut summary with "..." (it stays NUL-terminated). */
static void summary_cut(char *dst, size_t dstsz)
{
	if (dstsz > 4)
		memcpy(dst + dstsz - 4, "...", 3);
	dst[dstsz - 1] = '\0';
}

const char *reply_summary(const struct reply *r, char *dst, size_t dstsz)
{
	const char *t = r->text.data ? r->text.data : "";
	size_t tlen = r->text.len, elen = strlen(r->enhanced), o, i;
	char code[8];

	if (dstsz == 0)
		return dst;
	snprintf(code, sizeof(code), "%03d", r->code);
	o = 0;
	if (summary_put(dst, dstsz, &o, code, strlen(code)) < 0)
		goto cut;
	for (i = 0; i < tlen;) {
		const char *nl = memchr(t + i, '\n', tlen - i);
		size_t n = nl ? (size_t)(nl - (t + i)) : tlen - i;
		const char *seg = t + i;

		/* Continuation lines repeating the enhanced code: say it once. */
		if (i > 0 && elen && n >= elen &&
		    !memcmp(seg, r->enhanced, elen) &&
		    (n == elen || seg[elen] == ' ')) {
			seg += elen + (n > elen);
			n -= elen + (n > elen);
		}
		if (n > 0 && (summary_put(dst, dstsz, &o, " ", 1) < 0 ||
			      summary_put(dst, dstsz, &o, seg, n) < 0))
			goto cut;
		i = nl ? (size_t)(nl - t) + 1 : tlen;
	}
	dst[o] = '\0';
	return dst;
cut:
	summary_cut(dst, dstsz);
	return dst;
}
