/*
 * reply.h - pure SMTP reply parser with limits (no I/O).
 *
 * Contract: feed one received line at a time (with or without its CRLF
 * or LF); when a reply is complete reply_feed() returns 1 and fills the
 * caller's struct reply.  A line that is not "DDD[ -]text" or "DDD", a
 * code outside 200..599, a continuation line whose code differs from the
 * first, a line longer than REPLY_LINE_MAX or more than REPLY_LINES_MAX
 * lines fail with ERR_PROTOCOL and a sanitised excerpt.  reply.text holds
 * the text of every line (without the code and separator), joined by
 * '\n', raw (unsanitised): sanitise before printing.  reply.enhanced holds
 * an RFC 3463 enhanced status code ("5.1.1") when the first line starts
 * with one whose class digit matches the reply code, else "".
 * REPLY_LINE_MAX counts the octets of a line without its line end.  NUL
 * bytes are refused.  After an error the parser has forgotten the reply
 * it was collecting and can be fed the next one.
 */
#ifndef MAILHOP_REPLY_H
#define MAILHOP_REPLY_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * RFC 5321 §4.5.3.1.5 sets 512 octets per reply line; real servers
 * exceed it in EHLO lists and long 5xx explanations, so accept four
 * times that and no more.
 */
#define REPLY_LINE_MAX 2048
/* EHLO replies have ~20 lines; a reply of more is hostile. */
#define REPLY_LINES_MAX 128

struct reply {
	int code;
	char enhanced[16];
	int nlines;
	struct buf text;
};

struct reply_parser {
	int code; /* code of the first line, 0 when none yet */
	int nlines;
	struct buf text;
};

void reply_init(struct reply *r);
void reply_release(struct reply *r);
void reply_parser_init(struct reply_parser *p);
void reply_parser_release(struct reply_parser *p);
/* 0: need more lines; 1: reply complete in *out; -1: error in *e. */
int reply_feed(struct reply_parser *p, const char *line, size_t len,
	       struct reply *out, struct err *e);
/*
 * A one-line sanitised summary for error messages: "550 5.1.1 no such
 * user" (the first line's text; later lines joined with ' ', their
 * repeats of the enhanced code left out).  Control bytes and non-ASCII
 * become '?'; a summary that does not fit dst ends in "...".
 */
const char *reply_summary(const struct reply *r, char *dst, size_t dstsz);

#endif
