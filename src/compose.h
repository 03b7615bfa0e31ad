/*
 * compose.h - one-shot mail from a shell: mailhop writes the RFC 5322 /
 * MIME message itself from a body on stdin and the command line
 * (--subject, --to, --cc, --attach, --compose).
 *
 * Contract:
 *  - compose_wanted() says whether the command line asks for it.
 *  - compose_message() first checks that every attachment can be opened
 *    (ERR_USAGE "cannot read attachment 'F': reason" before any input is
 *    read), then reads in_fd exactly as msg_read() does (ignore_dots, NUL
 *    refused: the whole input is the body, a "Name: value" first line
 *    included) and writes the composed message to an unlinked mode-0600
 *    temp file in $TMPDIR, rewound, returned in *out_fd (the caller
 *    closes it).  Memory stays flat: the body and the attachments are
 *    streamed (COMPOSE_IO_CHUNK at a time).
 *  - The message: To and Cc from the options (each option may hold an
 *    address list), Subject (RFC 2047 "=?UTF-8?B?...?=" when it holds
 *    non-ASCII or control bytes), MIME-Version: 1.0.  The text is
 *    text/plain; charset=utf-8, 7bit when ASCII, 8bit when it has bytes
 *    >= 0x80, quoted-printable when a line is longer than 998 octets.
 *    With attachments: multipart/mixed with a random boundary that does
 *    not occur in the text; each file a base64 part (GnuTLS encoder) with
 *    a content type guessed from its extension and Content-Disposition:
 *    attachment; filename="..." (RFC 2231 filename*=utf-8''... for a
 *    non-ASCII name).  From, Date and Message-ID are not written: the
 *    normal header edits add them (set_*_header).  Lines end in LF.
 *  - The input's line ends are kept in the text (the wire makes them
 *    CRLF); the text always ends with a line end.
 */
#ifndef MAILHOP_COMPOSE_H
#define MAILHOP_COMPOSE_H

#include "cli.h"
#include "err.h"
#include "msg.h"

/* Bytes read or encoded at a time: a multiple of 57 (one base64 line). */
#define COMPOSE_IO_CHUNK (57 * 1024)
/* RFC 2045 §6.7 and §6.8: encoded lines are at most 76 characters. */
#define COMPOSE_ENCODED_LINE 76
/* Fresh random boundaries tried before giving up (each has 128 bits). */
#define COMPOSE_BOUNDARY_TRIES 8

int compose_wanted(const struct cli *c);
int compose_message(const struct cli *c, int in_fd, int *out_fd, struct err *e);
/*
 * A message read without a header block (a bare body, as from
 * `echo text | mailhop bob@example.org`) is rebuilt with compose_message()
 * so it gets MIME-Version and a text/plain part with the right charset
 * and transfer encoding, like one composed on request; a message with a
 * header block is left alone.  *m is replaced by the composed message.
 */
int compose_bare_body(const struct cli *c, struct msg *m, struct err *e);
/* The content type used for a file name ("application/octet-stream"). */
const char *compose_content_type(const char *filename);

#endif
