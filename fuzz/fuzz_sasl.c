/*
 * fuzz_sasl.c - SASL challenge handling (sasl.c over libgsasl): the
 * client side of every mechanism mailhop runs, fed arbitrary server
 * challenges.
 *
 * Input: two control bytes, then chunks, each a 2-byte big-endian length
 * and that many bytes.
 *  byte 0: the mechanism (index into mechs[] below, modulo its size)
 *  byte 1: bit 0 the connection is encrypted (sasl_set_tls), bit 1 with
 *          channel binding (tls-exporter, else none), bit 2 no user,
 *          bit 3 no secret, bit 4 challenges are passed as they are
 *          (else the target base64-encodes them, so the mechanisms see
 *          arbitrary decoded bytes)
 *  chunk 0: the server's AUTH list, for an automatic sasl_choose()
 *  chunks 1...: the server's challenges, in order
 *
 * gsasl_nonce() is replaced by a deterministic one (libgsasl calls it
 * through its PLT), so that a seed can hold a SCRAM exchange that
 * verifies and the fuzzer can reach the server-signature check.
 *
 * Properties: every response is strict base64 within SASL_RESPONSE_MAX
 * (the engine sends it as one line); errors are sanitised and of the
 * documented kinds; sasl_detail() is printable; no leak.
 */
#include "config.h"

#include <gsasl.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "sasl.h"

static const char *const mechs[] = {
	"PLAIN",
	"LOGIN",
	"CRAM-MD5",
	"SCRAM-SHA-1",
	"SCRAM-SHA-256",
	"SCRAM-SHA-1-PLUS",
	"SCRAM-SHA-256-PLUS",
	"XOAUTH2",
	"OAUTHBEARER",
	"DIGEST-MD5",
	"NTLM",
	"EXTERNAL",
};
#define NMECHS (sizeof(mechs) / sizeof(mechs[0]))
#define ALL_OFFERED                                                        \
	"PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 SCRAM-SHA-1-PLUS " \
	"SCRAM-SHA-256-PLUS XOAUTH2 OAUTHBEARER DIGEST-MD5 NTLM EXTERNAL"

/* Deterministic client nonces (see above). */
int gsasl_nonce(char *data, size_t datalen)
{
	size_t i;

	for (i = 0; i < datalen; i++)
		data[i] = (char)(0x5a + i * 7);
	return GSASL_OK;
}

static void check_b64(const struct buf *b)
{
	size_t i;

	FUZZ_ASSERT(b->len <= SASL_RESPONSE_MAX);
	for (i = 0; i < b->len; i++) {
		char c = b->data[i];

		FUZZ_ASSERT((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '+' || c == '/' ||
			    c == '=');
	}
	FUZZ_ASSERT(b->len % 4 == 0);
}

static int next_chunk(const uint8_t **p, size_t *left, const uint8_t **c,
		      size_t *n)
{
	if (*left < 2)
		return 0;
	*n = (size_t)(*p)[0] << 8 | (*p)[1];
	*p += 2;
	*left -= 2;
	if (*n > *left)
		*n = *left;
	*c = *p;
	*p += *n;
	*left -= *n;
	return 1;
}

/* An automatic choice among what the server offers. */
static void choose_auto(const uint8_t *list, size_t n, int encrypted)
{
	struct sasl_params prm = {NULL, "user", "mx.example.org",
				  NULL, 0,	NULL};
	struct err e = ERR_INIT;
	char *offered = xstrndup((const char *)list, n);
	const char *mech = NULL;
	struct sasl *x = sasl_new(&prm, &e);

	FUZZ_ASSERT(x && offered);
	if (encrypted)
		sasl_set_tls(x, SASL_CB_NONE, NULL, 0, &e);
	if (sasl_choose(x, offered, &mech, &e) == 0)
		FUZZ_ASSERT(mech && strstr(ALL_OFFERED, mech));
	else
		FUZZ_ASSERT(e.kind == ERR_UNAVAILABLE && mech == NULL);
	fuzz_check_err(&e);
	sasl_free(x);
	free(offered);
}

static void run(struct sasl *x, const char *mech, unsigned f, const uint8_t *p,
		size_t left)
{
	struct buf out = BUF_INIT(SASL_RESPONSE_MAX);
	struct err e = ERR_INIT;
	const uint8_t *c;
	size_t n;
	int has_ir = 0;

	if (sasl_needs_secret(mech) && !(f & 8) &&
	    sasl_set_secret(x, "pass\xc3\xa9word", &e) < 0)
		goto out;
	if (sasl_start(x, mech, &out, &has_ir, &e) < 0)
		goto out;
	check_b64(&out);
	while (next_chunk(&p, &left, &c, &n)) {
		char *b64 = NULL;
		size_t blen = 0;
		int r;

		buf_reset(&out);
		if (f & 16) {
			r = sasl_step(x, (const char *)c, n, &out, &e);
		} else {
			FUZZ_ASSERT(gsasl_base64_to((const char *)c, n, &b64,
						    &blen) == GSASL_OK);
			r = sasl_step(x, b64, blen, &out, &e);
			gsasl_free(b64);
		}
		if (r < 0)
			goto out;
		check_b64(&out);
	}
	sasl_complete(x, &e);
out:
	fuzz_debug(mech, &e);
	fuzz_check_err(&e);
	FUZZ_ASSERT(e.kind == ERR_NONE || e.kind == ERR_PROTOCOL ||
		    e.kind == ERR_NOPERM || e.kind == ERR_CONFIG ||
		    e.kind == ERR_DATAERR || e.kind == ERR_UNAVAILABLE);
	buf_release_secret(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char cb[] = "tls-exporter-0123456789abcdef012";
	struct sasl_params prm = {
		NULL, "user",  "mx.example.org", "mx.example.org",
		587,  "DOMAIN"};
	struct err e = ERR_INIT;
	const uint8_t *p, *c;
	const char *mech = NULL;
	struct sasl *x;
	size_t left, n;
	unsigned f;
	size_t i;

	if (size < 2)
		return 0;
	prm.method = mechs[data[0] % NMECHS];
	f = data[1];
	if (f & 4)
		prm.user = NULL;
	p = data + 2;
	left = size - 2;
	if (next_chunk(&p, &left, &c, &n))
		choose_auto(c, n, f & 1);

	x = sasl_new(&prm, &e);
	FUZZ_ASSERT(x != NULL);
	if (f & 1)
		FUZZ_ASSERT(sasl_set_tls(x,
					 f & 2 ? SASL_CB_TLS_EXPORTER
					       : SASL_CB_NONE,
					 cb, sizeof(cb) - 1, &e) == 0);
	if (sasl_choose(x, ALL_OFFERED, &mech, &e) == 0) {
		FUZZ_ASSERT(strcmp(mech, prm.method) == 0);
		run(x, mech, f, p, left);
	}
	fuzz_check_err(&e);
	for (i = 0; sasl_detail(x)[i]; i++)
		FUZZ_ASSERT(sasl_detail(x)[i] >= 0x20 &&
			    sasl_detail(x)[i] < 0x7f);
	(void)sasl_rejected(x);
	sasl_free(x);
	return 0;
}
