/*
 * dotstuff.c - streaming body encoder: CRLF normalisation, dot-stuffing
 * (see dotstuff.h).
 *
 * Contract: the output depends only on the concatenated input, never on
 * how it was split across dotstuff_feed() calls: the only state carried
 * between calls is "at the start of a line" and "the last byte was a CR"
 * (so that the LF of a CRLF split across two calls is not a second line
 * end).  A CR is turned into CRLF as soon as it is seen and a directly
 * following LF is then swallowed, so nothing is held back.
 *
 * Each call is all-or-nothing with respect to the buffer's cap: the exact
 * output size is computed first and, when it does not fit, -1 is returned
 * with neither the buffer nor the encoder changed.  (Allocation failure
 * in the middle of a call also returns -1, with partial output; the
 * caller must then give up on the message.)  The worst case is twice the
 * input (".\n" becomes "..\r\n"), so a caller with 2 * len bytes of room
 * never sees -1 from the cap.
 */
#include "dotstuff.h"

#include <string.h>

void dotstuff_init(struct dotstuff *d, enum dotstuff_mode mode)
{
	d->mode = mode;
	d->at_line_start = 1;
	d->pending_cr = 0;
	d->out_bytes = 0;
}

/* Length of the run of bytes that are neither CR nor LF. */
static size_t plain_run(const char *in, size_t len)
{
	size_t j = 0;

	while (j < len && in[j] != '\r' && in[j] != '\n')
		j++;
	return j;
}

/*
 * Encode in[0..len) updating *d; append to out unless out is NULL (then
 * only count).  The number of output bytes goes to *nout.
 */
static int encode(struct dotstuff *d, const char *in, size_t len,
		  struct buf *out, size_t *nout)
{
	size_t i = 0, n = 0, run;

	while (i < len) {
		char c = in[i];

		if (c == '\n' && d->pending_cr) {
			d->pending_cr = 0; /* second half of CRLF */
			i++;
			continue;
		}
		d->pending_cr = 0;
		if (c == '\r' || c == '\n') {
			if (out && buf_append(out, "\r\n", 2) < 0)
				return -1;
			n += 2;
			d->at_line_start = 1;
			d->pending_cr = c == '\r';
			i++;
			continue;
		}
		if (d->at_line_start && d->mode == DOTSTUFF_DATA && c == '.') {
			if (out && buf_putc(out, '.') < 0)
				return -1;
			n++;
		}
		d->at_line_start = 0;
		run = plain_run(in + i, len - i);
		if (out && buf_append(out, in + i, run) < 0)
			return -1;
		n += run;
		i += run;
	}
	*nout = n;
	return 0;
}

static int room_for(const struct buf *out, size_t n)
{
	return out->len <= out->cap && n <= out->cap - out->len;
}

int dotstuff_feed(struct dotstuff *d, const char *in, size_t len,
		  struct buf *out)
{
	struct dotstuff probe = *d;
	size_t n;

	encode(&probe, in, len, NULL, &n);
	if (!room_for(out, n))
		return -1;
	if (encode(d, in, len, out, &n) < 0)
		return -1;
	d->out_bytes += n;
	return 0;
}

int dotstuff_finish(struct dotstuff *d, struct buf *out)
{
	size_t n = 0;
	char tail[5];

	if (!d->at_line_start) {
		memcpy(tail, "\r\n", 2);
		n = 2;
	}
	if (d->mode == DOTSTUFF_DATA) {
		memcpy(tail + n, ".\r\n", 3);
		n += 3;
	}
	if (!room_for(out, n) || buf_append(out, tail, n) < 0)
		return -1;
	d->at_line_start = 1;
	d->pending_cr = 0;
	d->out_bytes += n;
	return 0;
}
