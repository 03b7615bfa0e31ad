/*
 * msg.h - the message: stdin spooled once to a private temp file, the
 * header block scanned, header edits, 8-bit/size facts.
 *
 * Contract:
 *  - msg_read() reads fd until EOF (or, unless ignore_dots, a line that
 *    is a lone "." with LF or CRLF, or a "." as the very last byte),
 *    writing the bytes unchanged to an unlinked mode-0600 temp file in
 *    $TMPDIR (default /tmp).  Memory stays
 *    flat: only the header block is kept in memory (at most
 *    MSG_HEADER_MAX bytes; a larger header block is ERR_DATAERR).  A read
 *    error (the feeding process died) is ERR_IOERR and nothing is sent.
 *  - The header block is the lines up to the first empty line.  When the
 *    first line is not a header field ("Name: value") the message has no
 *    header block and all of it is body.
 *  - Facts: body_8bit / header_8bit (any byte >= 0x80), has_nul (ERR_
 *    DATAERR is raised by msg_read: NUL is refused with a clear error,
 *    never cut), longest line, size.
 *  - msg_edit_headers() builds the header block to send (added From,
 *    Date, Message-ID, To; Bcc and Resent-Bcc removed); msg_reader then
 *    yields that block followed by the body from the spool, as raw bytes
 *    with the input's line ends (dotstuff.c normalises them).
 */
#ifndef MAILHOP_MSG_H
#define MAILHOP_MSG_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "buf.h"
#include "err.h"

/* Header blocks larger than this are refused (~20k recipients). */
#define MSG_HEADER_MAX (1024 * 1024)
/* RFC 5322 §2.1.1: a line must not exceed 998 octets plus CRLF. */
#define MSG_LINE_MAX 998

struct msg_header {
	char *name;  /* field name as written */
	char *raw;   /* whole field: name, colon, value with folding, no
		      * final line end; line ends inside as in the input */
	char *value; /* unfolded value (CR/LF removed), leading WSP trimmed */
	size_t off;  /* where the field starts in the header block */
	size_t len;  /* its length there, folding and final line end included */
};

struct msg {
	int fd;		      /* spool: unlinked temp file */
	off_t size;	      /* bytes in the spool */
	off_t body_offset;    /* where the body starts in the spool */
	int has_header_block; /* input started with a header field */
	struct msg_header *headers;
	size_t nheaders;
	int header_8bit;
	int body_8bit;
	size_t longest_line;	/* octets, without the line end */
	struct buf out_headers; /* after msg_edit_headers() */
	int edited;
	struct buf hdr_block; /* the header block as read: spool bytes
				 * [0, body_offset) */
	off_t body_bare_eol;  /* bare LF and bare CR line ends in the body
				 * (each grows by one byte to CRLF) */
	int body_first;	      /* first body byte, or -1 when the body is
				 * empty */
	int ends_with_eol;    /* the spool's last byte ends a line */
	char first_eol[3];    /* line end of the first line ("" if none) */
};

/* What msg_edit_headers() should do (resolved by envelope.c). */
struct msg_edits {
	const char *add_from; /* full From value to add, or NULL ("\n " in
			       * it folds: see msg_encode_phrase()) */
	int add_date;
	const char *add_msgid;	/* "<...>" to add, or NULL */
	const char *add_to;	/* To value to add, or NULL */
	int remove_bcc;		/* Bcc and Resent-Bcc */
	int replace_recipients; /* undisclosed_recipients: drop To, Cc,
				    * Bcc (add_to holds the new To) */
	time_t now;		/* for Date; 0 = time(NULL) */
};

void msg_init(struct msg *m);
void msg_release(struct msg *m);
int msg_read(struct msg *m, int fd, int ignore_dots, struct err *e);
/* First header with this name (case-insensitive), or NULL. */
const struct msg_header *msg_header_find(const struct msg *m, const char *name);
/*
 * Builds out_headers: the added fields first (From, To, Date, Message-ID,
 * each with the line end of the input's first line), then the original
 * fields minus Bcc/Resent-Bcc (remove_bcc), minus any field of a name
 * being added (an added field replaces the old one), minus To/Cc/Bcc
 * with replace_recipients.  When the input had no header block and a
 * field was added, a blank line separates the new fields from the body.
 */
int msg_edit_headers(struct msg *m, const struct msg_edits *ed, struct err *e);
/* RFC 5322 date-time in local time, "Sun, 22 Nov 2026 10:19:00 +0100". */
int msg_format_date(time_t t, char *dst, size_t dstsz);
/* RFC 5322 §3.6.4 Date line's buffer size. */
#define MSG_DATE_MAX 64
/*
 * RFC 2047 §2: an encoded-word is at most 75 characters and a header line
 * holding one at most 76.
 */
#define MSG_EW_MAX	75
#define MSG_EW_LINE_MAX 76
/*
 * Append name (valid UTF-8, the caller checks) to out as a display name
 * made of "=?UTF-8?B?...?=" encoded-words (RFC 2047 §5 (3)), for a field
 * line that already holds *col characters ("From: " is 6).  Words are
 * split between characters, never inside one, each as long as the
 * limits above allow; the first fills the current line, every further
 * word starts a folded line "\n " (msg_edit_headers() writes each "\n"
 * in an added value as the field's line end).  *col becomes the column
 * after the text.  -1 when name is empty, not UTF-8 or out is full.
 */
int msg_encode_phrase(struct buf *out, const char *name, size_t *col);
/* Size of the message as it will be sent, before dot-stuffing. */
off_t msg_out_size(const struct msg *m);

struct msg_reader {
	const struct msg *m;
	size_t hdr_pos;
	off_t body_pos;
};

void msg_reader_init(struct msg_reader *r, const struct msg *m);
/* Up to n bytes into dst; 0 at the end; -1 with ERR_IOERR. */
ssize_t msg_reader_read(struct msg_reader *r, char *dst, size_t n,
			struct err *e);

#endif
