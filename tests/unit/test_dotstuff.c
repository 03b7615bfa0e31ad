/*
 * test_dotstuff.c - tests of the streaming body encoder (dotstuff.c).
 *
 *  - A table of inputs with the exact wire bytes expected in DATA and in
 *    BDAT mode.
 *  - Split invariance: every case is fed whole, split at every point,
 *    split at every pair of points, and byte at a time; the output must
 *    always be the same.
 *  - Properties over pseudo-random inputs: no bare CR or LF ever leaves
 *    the encoder, the data ends with CRLF (and ".\r\n" in DATA mode),
 *    un-stuffing gives back the normalised input, out_bytes counts the
 *    output.
 *  - The buffer cap: a feed that does not fit changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "dotstuff.h"
#include "tap.h"

#define OUT_CAP (1024 * 1024)

struct ds_case {
	const char *name;
	const char *in;
	const char *data; /* expected in DATA mode */
	const char *bdat; /* expected in BDAT mode */
};

static const struct ds_case cases[] = {
	{"empty", "", ".\r\n", ""},
	{"one line LF", "a\n", "a\r\n.\r\n", "a\r\n"},
	{"one line CRLF", "a\r\n", "a\r\n.\r\n", "a\r\n"},
	{"one line bare CR", "a\r", "a\r\n.\r\n", "a\r\n"},
	{"no final line end", "abc", "abc\r\n.\r\n", "abc\r\n"},
	{"mixed line ends", "a\nb\r\nc\rd", "a\r\nb\r\nc\r\nd\r\n.\r\n",
	 "a\r\nb\r\nc\r\nd\r\n"},
	{"CR CR LF is two line ends", "a\r\r\nb\n", "a\r\n\r\nb\r\n.\r\n",
	 "a\r\n\r\nb\r\n"},
	{"LF CR is two line ends", "a\n\rb", "a\r\n\r\nb\r\n.\r\n",
	 "a\r\n\r\nb\r\n"},
	{"LF LF", "\n\n", "\r\n\r\n.\r\n", "\r\n\r\n"},
	{"CR LF CR LF", "\r\n\r\n", "\r\n\r\n.\r\n", "\r\n\r\n"},
	{"lone dot line", ".\n", "..\r\n.\r\n", ".\r\n"},
	{"dot at start", ".hidden\n", "..hidden\r\n.\r\n", ".hidden\r\n"},
	{"dot at start no line end", ".", "..\r\n.\r\n", ".\r\n"},
	{"dot in the middle", "a.b\n.c\n", "a.b\r\n..c\r\n.\r\n",
	 "a.b\r\n.c\r\n"},
	{"dots after every line end kind", "x\n.a\r.b\r\n.c",
	 "x\r\n..a\r\n..b\r\n..c\r\n.\r\n", "x\r\n.a\r\n.b\r\n.c\r\n"},
	{"CRLF.CRLF inside the body", "a\r\n.\r\nb\r\n",
	 "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"},
	{"smuggling LF.LF", "a\n.\nb", "a\r\n..\r\nb\r\n.\r\n",
	 "a\r\n.\r\nb\r\n"},
	{"smuggling CR.CR", "a\r.\rb", "a\r\n..\r\nb\r\n.\r\n",
	 "a\r\n.\r\nb\r\n"},
	{"double dot", "..\n", "...\r\n.\r\n", "..\r\n"},
	{"spaces kept", " . \n", " . \r\n.\r\n", " . \r\n"},
	{"8-bit kept", "caf\xc3\xa9\n", "caf\xc3\xa9\r\n.\r\n",
	 "caf\xc3\xa9\r\n"},
	{"only CR", "\r", "\r\n.\r\n", "\r\n"},
	{"empty lines then dot", "\n\n.", "\r\n\r\n..\r\n.\r\n",
	 "\r\n\r\n.\r\n"},
};

/* Encode in, cut into pieces at the sorted offsets cuts[0..ncuts). */
static char *encode_split(enum dotstuff_mode mode, const char *in, size_t len,
			  const size_t *cuts, size_t ncuts, size_t *outlen,
			  unsigned long long *counted)
{
	struct dotstuff d;
	struct buf out = BUF_INIT(OUT_CAP);
	size_t prev = 0, k;

	dotstuff_init(&d, mode);
	for (k = 0; k <= ncuts; k++) {
		size_t end = k < ncuts ? cuts[k] : len;

		if (dotstuff_feed(&d, in + prev, end - prev, &out) < 0)
			abort();
		prev = end;
	}
	if (dotstuff_finish(&d, &out) < 0)
		abort();
	*outlen = out.len;
	*counted = d.out_bytes;
	return buf_detach(&out);
}

static int same(const char *got, size_t glen, const char *want)
{
	return glen == strlen(want) && memcmp(got, want, glen) == 0;
}

/* Check every split of one input against the expected output. */
static int all_splits_give(enum dotstuff_mode mode, const char *in,
			   const char *want)
{
	size_t len = strlen(in), i, j, olen, cuts[4096];
	unsigned long long counted;
	char *o;
	int good = 1;

	for (i = 0; i <= len && good; i++) {
		for (j = i; j <= len && good; j++) {
			cuts[0] = i;
			cuts[1] = j;
			o = encode_split(mode, in, len, cuts, 2, &olen,
					 &counted);
			good = same(o, olen, want) && counted == olen;
			free(o);
		}
	}
	for (i = 0; i < len && i < 4096; i++)
		cuts[i] = i + 1;
	o = encode_split(mode, in, len, cuts, len ? len - 1 : 0, &olen,
			 &counted);
	good = good && same(o, olen, want) && counted == olen;
	free(o);
	return good;
}

static void test_table(void)
{
	size_t i, olen;
	unsigned long long counted;
	char name[200];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ds_case *c = &cases[i];
		char *o = encode_split(DOTSTUFF_DATA, c->in, strlen(c->in),
				       NULL, 0, &olen, &counted);

		snprintf(name, sizeof(name), "DATA: %s", c->name);
		ok(same(o, olen, c->data), name);
		free(o);
		o = encode_split(DOTSTUFF_BDAT, c->in, strlen(c->in), NULL, 0,
				 &olen, &counted);
		snprintf(name, sizeof(name), "BDAT: %s", c->name);
		ok(same(o, olen, c->bdat), name);
		free(o);
		snprintf(name, sizeof(name), "DATA every split: %s", c->name);
		ok(all_splits_give(DOTSTUFF_DATA, c->in, c->data), name);
		snprintf(name, sizeof(name), "BDAT every split: %s", c->name);
		ok(all_splits_give(DOTSTUFF_BDAT, c->in, c->bdat), name);
	}
}

/* Reference normaliser: every line end to CRLF, final CRLF ensured. */
static char *normalise(const char *in, size_t len, size_t *outlen)
{
	struct buf b = BUF_INIT(OUT_CAP);
	size_t i;

	for (i = 0; i < len; i++) {
		if (in[i] == '\r' || in[i] == '\n') {
			buf_append(&b, "\r\n", 2);
			if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
				i++;
		} else {
			buf_putc(&b, in[i]);
		}
	}
	if (b.len > 0 && (b.len < 2 || memcmp(b.data + b.len - 2, "\r\n", 2)))
		buf_append(&b, "\r\n", 2);
	*outlen = b.len;
	return buf_detach(&b);
}

/* No CR without LF after it, no LF without CR before it. */
static int no_bare_cr_lf(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))
			return 0;
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			return 0;
	}
	return 1;
}

/* Remove the terminator and one leading dot from every line. */
static char *unstuff(const char *s, size_t len, size_t *outlen, int *bad)
{
	struct buf b = BUF_INIT(OUT_CAP);
	size_t i = 0;

	*bad = len < 3 || memcmp(s + len - 3, ".\r\n", 3) != 0 ||
	       (len > 3 && memcmp(s + len - 5, "\r\n", 2) != 0);
	len = len >= 3 ? len - 3 : 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (s + i)) + 1 : len - i;

		if (s[i] == '.') {
			if (n < 2 || s[i + 1] != '.')
				*bad = 1; /* a dot line that was not stuffed */
			i++;
			n--;
		}
		buf_append(&b, s + i, n);
		i += n;
	}
	*outlen = b.len;
	return buf_detach(&b);
}

static unsigned long rng_state = 12345;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 1103515245 + 12345;
	return (unsigned)((rng_state >> 16) % n);
}

static void test_properties(void)
{
	static const char alphabet[] = ".\r\n\r\nab .";
	char in[64];
	size_t cuts[3];
	int iter, fails_bare = 0, fails_un = 0, fails_bdat = 0, fails_split = 0;
	int fails_count = 0;

	for (iter = 0; iter < 3000; iter++) {
		size_t len = rnd(sizeof(in)), i, olen, nlen, ulen, blen, slen;
		unsigned long long counted;
		char *o, *n, *u, *bd, *sp;
		int bad;

		for (i = 0; i < len; i++)
			in[i] = alphabet[rnd(sizeof(alphabet) - 1)];
		o = encode_split(DOTSTUFF_DATA, in, len, NULL, 0, &olen,
				 &counted);
		fails_count += counted != olen;
		fails_bare += !no_bare_cr_lf(o, olen);
		n = normalise(in, len, &nlen);
		u = unstuff(o, olen, &ulen, &bad);
		fails_un += bad || ulen != nlen || memcmp(u, n, nlen) != 0;
		bd = encode_split(DOTSTUFF_BDAT, in, len, NULL, 0, &blen,
				  &counted);
		fails_bdat += blen != nlen || memcmp(bd, n, nlen) != 0;
		cuts[0] = rnd((unsigned)len + 1);
		cuts[1] = cuts[0] + rnd((unsigned)(len - cuts[0]) + 1);
		cuts[2] = cuts[1] + rnd((unsigned)(len - cuts[1]) + 1);
		sp = encode_split(DOTSTUFF_DATA, in, len, cuts, 3, &slen,
				  &counted);
		fails_split += slen != olen || memcmp(sp, o, olen) != 0;
		free(o);
		free(n);
		free(u);
		free(bd);
		free(sp);
	}
	is_int(fails_bare, 0, "property: never a bare CR or LF");
	is_int(fails_un, 0, "property: un-stuffing gives the normalised input");
	is_int(fails_bdat, 0, "property: BDAT output is the normalised input");
	is_int(fails_split, 0, "property: random 4-way splits agree");
	is_int(fails_count, 0, "property: out_bytes counts the output");
}

static void test_cap(void)
{
	struct dotstuff d;
	struct buf out = BUF_INIT(8);

	dotstuff_init(&d, DOTSTUFF_DATA);
	is_int(dotstuff_feed(&d, "abc\n", 4, &out), 0, "fits the cap");
	is_int(dotstuff_feed(&d, ".x\n", 3, &out), -1, "over the cap refused");
	is_int((long long)out.len, 5, "buffer unchanged after refusal");
	is_int(d.at_line_start, 1, "encoder unchanged after refusal");
	is_int((long long)d.out_bytes, 5, "out_bytes unchanged");
	buf_reset(&out);
	is_int(dotstuff_feed(&d, ".x\n", 3, &out), 0, "fits after a flush");
	is_str(out.data, "..x\r\n", "stuffed after a flush");
	buf_reset(&out);
	is_int(dotstuff_feed(&d, "abcdefg", 7, &out), 0, "seven bytes");
	is_int(dotstuff_finish(&d, &out), -1, "finish over the cap refused");
	buf_reset(&out);
	is_int(dotstuff_finish(&d, &out), 0, "finish after a flush");
	is_str(out.data, "\r\n.\r\n", "finish output");
	is_int((long long)d.out_bytes, 22, "out_bytes total");
	buf_release(&out);
}

int main(void)
{
	test_table();
	test_properties();
	test_cap();
	return tap_done();
}
