/*
 * fuzz_dotstuff.c - the streaming body encoder (dotstuff.c).
 *
 * Input: one control byte (bit 0: BDAT mode instead of DATA; bits 1-7:
 * the piece size the body is fed in, 0 = all at once), then the body.
 *
 * Properties (abort on violation):
 *  - the wire bytes hold no bare CR and no bare LF;
 *  - DATA: they end with CRLF.CRLF and no other line is a lone "." ;
 *    un-stuffing them (drop the terminator, drop the first '.' of each
 *    line starting with one) gives back the normalised input (every LF,
 *    CRLF and bare CR one line end, a final line end added);
 *  - BDAT: the wire bytes are the normalised input, nothing stuffed;
 *  - the output does not depend on how the input was split; out_bytes
 *    counts it; it is at most twice the input plus 5;
 *  - a feed refused for the buffer's cap changes neither the buffer nor
 *    the encoder, and the same bytes fit after the caller flushed.
 */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "dotstuff.h"
#include "fuzz.h"

/* LF, CRLF and a bare CR each become one "\n"; a final one is added. */
static void normalise(const char *in, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (in[i] == '\r') {
			buf_putc(out, '\n');
			if (i + 1 < n && in[i + 1] == '\n')
				i++;
		} else {
			buf_putc(out, in[i]);
		}
	}
	if (n > 0 && out->data[out->len - 1] != '\n')
		buf_putc(out, '\n');
}

/* Wire bytes back to "\n" lines, un-stuffing in DATA mode. */
static void unstuff(const char *w, size_t n, int data_mode, struct buf *out)
{
	size_t pos = 0;

	while (pos < n) {
		const char *crlf = memmem(w + pos, n - pos, "\r\n", 2);
		size_t len;

		FUZZ_ASSERT(crlf != NULL); /* every line ends with CRLF */
		len = (size_t)(crlf - (w + pos));
		if (data_mode && pos + len + 2 == n) {
			/* the terminator, and only here */
			FUZZ_ASSERT(len == 1 && w[pos] == '.');
			return;
		}
		if (data_mode && len > 0 && w[pos] == '.') {
			/* a stuffed line: never a lone "." */
			FUZZ_ASSERT(len >= 2 && w[pos + 1] == '.');
			buf_append(out, w + pos + 1, len - 1);
		} else {
			buf_append(out, w + pos, len);
		}
		buf_putc(out, '\n');
		pos += len + 2;
	}
	FUZZ_ASSERT(!data_mode); /* DATA output ends with the terminator */
}

/* Feed in pieces of step bytes into a buffer with a small cap, flushing
 * it into *all when a feed is refused. */
static void encode_pieces(const char *in, size_t n, enum dotstuff_mode mode,
			  size_t step, struct buf *all)
{
	struct dotstuff d;
	struct buf out;
	size_t pos = 0;

	/* Room for two pieces: the first refusal comes soon, and a piece
	 * always fits an empty buffer (at most twice its size). */
	buf_init(&out, 4 * step + 5);
	dotstuff_init(&d, mode);
	while (pos < n) {
		size_t k = n - pos < step ? n - pos : step, len = out.len;
		struct dotstuff before = d;

		if (dotstuff_feed(&d, in + pos, k, &out) < 0) {
			FUZZ_ASSERT(memcmp(&before, &d, sizeof(d)) == 0);
			FUZZ_ASSERT(out.len == len);
			buf_append(all, out.data, out.len);
			buf_reset(&out);
			FUZZ_ASSERT(dotstuff_feed(&d, in + pos, k, &out) == 0);
		}
		pos += k;
	}
	if (dotstuff_finish(&d, &out) < 0) {
		buf_append(all, out.data, out.len);
		buf_reset(&out);
		FUZZ_ASSERT(dotstuff_finish(&d, &out) == 0);
	}
	buf_append(all, out.data ? out.data : "", out.len);
	FUZZ_ASSERT(d.out_bytes == all->len);
	buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t big = 1 << 30;
	struct buf one = BUF_INIT(big), split = BUF_INIT(big);
	struct buf norm = BUF_INIT(big), back = BUF_INIT(big);
	struct dotstuff d;
	enum dotstuff_mode mode;
	const char *in;
	size_t n, step;

	if (size < 1)
		return 0;
	mode = data[0] & 1 ? DOTSTUFF_BDAT : DOTSTUFF_DATA;
	step = data[0] >> 1;
	in = (const char *)data + 1;
	n = size - 1;

	/* all at once */
	dotstuff_init(&d, mode);
	FUZZ_ASSERT(dotstuff_feed(&d, in, n, &one) == 0);
	FUZZ_ASSERT(dotstuff_finish(&d, &one) == 0);
	FUZZ_ASSERT(d.out_bytes == one.len);
	FUZZ_ASSERT(one.len <= 2 * n + 5);
	FUZZ_ASSERT(fuzz_crlf_only(one.data ? one.data : "", one.len));

	/* in pieces, with refusals for the cap */
	encode_pieces(in, n, mode, step ? step : n + 1, &split);
	FUZZ_ASSERT(split.len == one.len);
	FUZZ_ASSERT(one.len == 0 || memcmp(split.data, one.data, one.len) == 0);

	/* un-stuffed output == normalised input */
	normalise(in, n, &norm);
	unstuff(one.data ? one.data : "", one.len, mode == DOTSTUFF_DATA,
		&back);
	FUZZ_ASSERT(back.len == norm.len);
	FUZZ_ASSERT(norm.len == 0 ||
		    memcmp(back.data, norm.data, norm.len) == 0);

	buf_release(&one);
	buf_release(&split);
	buf_release(&norm);
	buf_release(&back);
	return 0;
}
