/*
 * sasl.h - the SASL client behind a tiny interface (STYLE.md: the library
 * is replaceable).  libgsasl does every mechanism it has; only the two
 * OAuth2 bearer mechanisms it lacks (XOAUTH2, OAUTHBEARER: a fixed
 * string, no cryptography) are built here.  No I/O: the protocol engine
 * (smtp.c) moves the base64 strings, the session supplies the secret.
 *
 * Contract:
 *  - sasl_new() copies the parameters.  sasl_set_tls() says the
 *    connection is now encrypted and hands over the TLS channel binding
 *    (raw bytes; tls-exporter or tls-unique) for the -PLUS mechanisms.
 *  - sasl_choose() picks the mechanism: the explicit method when one is
 *    set (never a fallback to another), else the first row of the
 *    preference table (sasl.c, mechs[]) that the server offers, the
 *    installed libgsasl supports, and the connection allows: -PLUS only
 *    with channel binding data; PLAIN, LOGIN and the bearer mechanisms
 *    never without TLS.  Failures are ERR_UNAVAILABLE naming the server
 *    and what it offered.
 *  - The secret (password or bearer token) is asked for lazily: the
 *    caller checks sasl_needs_secret() after sasl_choose() and fetches it
 *    only then (sasl_set_secret() copies it).  sasl_free() zeroes every
 *    copy this module holds (libgsasl keeps its own while a mechanism
 *    runs and frees it in gsasl_finish()).
 *  - sasl_start() and sasl_step() append base64 (the wire form) to a
 *    caller's buffer, which then holds a secret: release it with
 *    buf_release_secret().  A challenge that is not strict base64, decodes
 *    to more than SASL_CHALLENGE_MAX octets or comes after the mechanism
 *    finished is ERR_PROTOCOL; the caller cancels with "*".  So is a
 *    SCRAM challenge asking for more than SASL_SCRAM_ITER_MAX
 *    iterations.  A server signature that does not verify (SCRAM) is
 *    ERR_NOPERM.
 *  - Bearer mechanisms: a challenge after the initial response is the
 *    server's error report (RFC 7628 §3.2.2, and Google's XOAUTH2): the
 *    response that ends the exchange is produced (XOAUTH2: empty;
 *    OAUTHBEARER: a single 0x01, RFC 7628 §3.2.3), sasl_rejected() turns
 *    true and sasl_detail() holds the server's report, sanitised.
 *  - sasl_complete() checks a 235 against the mechanism: one that proves
 *    the server (SCRAM) must have finished (ERR_PROTOCOL otherwise).
 */
#ifndef MAILHOP_SASL_H
#define MAILHOP_SASL_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * Largest decoded server challenge accepted.  The mechanisms we run send
 * a few hundred octets (SCRAM server-first, DIGEST-MD5, a Kerberos
 * AP-REP); RFC 4954 §4 sizes whole lines at 12288 octets.
 */
#define SASL_CHALLENGE_MAX (8 * 1024)
/*
 * Largest base64 response we send.  RFC 4954 §4 calls 12288 octets
 * enough for deployed mechanisms, but OAuth2 access tokens (JWTs) keep
 * growing; a token source may give up to 64 KiB (SECRET_OUTPUT_MAX).
 */
#define SASL_RESPONSE_MAX (96 * 1024)
/*
 * Largest SCRAM iteration count (RFC 5802 §5.1 "i=") we compute.  The
 * server picks it and PBKDF2 runs it without I/O, so no timeout can stop
 * it: "i=2000000000" would keep the client busy for hours.  Servers use
 * 4096 (the RFC 7677 §4 minimum; Dovecot, Cyrus) up to some 600000
 * (OWASP's PBKDF2-HMAC-SHA256 advice); above this the challenge is
 * refused (ERR_PROTOCOL, cancelled with "*").
 */
#define SASL_SCRAM_ITER_MAX 1000000
/* RFC 4422 §3.1: mechanism names are 1 to 20 characters. */
#define SASL_MECH_NAME_MAX 20

enum sasl_cb { SASL_CB_NONE = 0, SASL_CB_TLS_UNIQUE, SASL_CB_TLS_EXPORTER };

struct sasl_params {
	const char *method; /* explicit mechanism (any case), NULL: choose */
	const char *user;   /* authentication identity, or NULL */
	const char *server; /* server name for messages, or NULL */
	const char *host;   /* GSASL_HOSTNAME; OAUTHBEARER host=, or NULL */
	int port;	    /* OAUTHBEARER port=, 0: left out */
	const char *ntlmdomain; /* NTLM domain, or NULL */
};

struct sasl;

struct sasl *sasl_new(const struct sasl_params *p, struct err *e);
void sasl_free(struct sasl *x);
int sasl_set_tls(struct sasl *x, enum sasl_cb type, const void *data,
		 size_t len, struct err *e);
/* *mech points into a static table (upper case). */
int sasl_choose(struct sasl *x, const char *offered, const char **mech,
		struct err *e);
int sasl_needs_secret(const char *mech);
/* RFC 4954 §4: the mechanism may be pipelined with MAIL (when its
 * initial response is on the AUTH line). */
int sasl_pipelinable(const char *mech);
int sasl_is_bearer(const char *mech);
int sasl_set_secret(struct sasl *x, const char *secret, struct err *e);
/*
 * Start mech (from sasl_choose()).  *has_ir is 1 when the client speaks
 * first: the initial response (possibly empty: send "=") is appended to
 * ir.  0: wait for the server's first challenge.
 */
int sasl_start(struct sasl *x, const char *mech, struct buf *ir, int *has_ir,
	       struct err *e);
/* One base64 challenge (without "334 ") in, one base64 response out. */
int sasl_step(struct sasl *x, const char *challenge, size_t len,
	      struct buf *response, struct err *e);
int sasl_complete(struct sasl *x, struct err *e);
int sasl_rejected(const struct sasl *x);
const char *sasl_detail(const struct sasl *x);
/* Space-separated mechanisms this build can use (for --version). */
int sasl_mechanisms_supported(struct buf *out);

#endif
