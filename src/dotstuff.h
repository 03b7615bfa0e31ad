/*
 * dotstuff.h - streaming body encoder (no I/O).
 *
 * Contract: feed the message bytes in pieces of any size; the encoder
 * appends wire bytes to a caller's struct buf.  It remembers across calls
 * where it is in a line, so the output does not depend on how the input
 * was split.
 *  - Every line end (LF, CRLF, or a bare CR) becomes CRLF: a bare CR or
 *    bare LF is never sent (SMTP smuggling).  A bare CR counts as a line
 *    end; "CR CR LF" is therefore two line ends.
 *  - DOTSTUFF_DATA: a line starting with '.' gets another '.' in front;
 *    dotstuff_finish() ensures the data ends with CRLF and appends
 *    ".\r\n".
 *  - DOTSTUFF_BDAT: CRLF normalisation only (RFC 3030: no stuffing, no
 *    terminator); dotstuff_finish() ensures a final CRLF.
 *  - NUL bytes are passed through; callers refuse them earlier (msg.c).
 * Returns -1 only when the output buffer's cap would be exceeded; then
 * neither the buffer nor the encoder changed (the exact output size is
 * computed first), so the caller may flush the buffer and feed the same
 * bytes again.  The output is at most twice the input (".\n" becomes
 * "..\r\n"); dotstuff_finish() adds at most 5 bytes.  out_bytes counts
 * every byte appended, including the stuffed dots and the terminator.
 */
#ifndef MAILHOP_DOTSTUFF_H
#define MAILHOP_DOTSTUFF_H

#include <stddef.h>

#include "buf.h"

enum dotstuff_mode { DOTSTUFF_DATA = 0, DOTSTUFF_BDAT };

struct dotstuff {
	enum dotstuff_mode mode;
	int at_line_start;	      /* next byte starts a line */
	int pending_cr;		      /* last byte seen was a CR */
	unsigned long long out_bytes; /* wire bytes produced so far */
};

void dotstuff_init(struct dotstuff *d, enum dotstuff_mode mode);
int dotstuff_feed(struct dotstuff *d, const char *in, size_t len,
		  struct buf *out);
int dotstuff_finish(struct dotstuff *d, struct buf *out);

#endif
