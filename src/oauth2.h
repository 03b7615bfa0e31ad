/*
 * oauth2.h - built-in OAuth2 access-token refresh (RFC 6749 §6) for
 * "auth oauthbearer" / "auth xoauth2", and its on-disk token cache.
 *
 * Contract:
 *  - oauth2_refresh() POSTs grant_type=refresh_token (plus refresh_token,
 *    client_id, and client_secret when set; every value URL-escaped) as
 *    application/x-www-form-urlencoded to an https:// endpoint with
 *    libcurl (no plain http: RFC 6749 §3.2 requires TLS, and tests use
 *    https with the test CA).  The endpoint's certificate is verified
 *    against the system trust store, or only against trust_file.  No
 *    redirects, no other protocol, bounded time and response size.
 *  - Errors: the endpoint refused (HTTP 4xx, an OAuth2 error JSON) ->
 *    ERR_NOPERM with its error code and description, sanitised;
 *    unreachable, timed out, HTTP 429/5xx -> ERR_TEMPFAIL; certificate
 *    rejected -> ERR_NOPERM; a trust file that cannot be loaded or a
 *    non-https endpoint -> ERR_CONFIG; a 2xx reply without a usable
 *    access token, malformed or over-long JSON -> ERR_PROTOCOL.
 *  - Secrets (refresh token, client secret, access token, request and
 *    response bodies) are never logged or put in an error message, and
 *    every buffer that held one is zeroed before it is freed.
 *  - The cache file (oauth2_cache_path()) holds the access token with
 *    its expiry and the endpoint, client id and user it was issued for;
 *    it is reused only for the same three and while it is valid for at
 *    least OAUTH2_EXPIRY_MARGIN more seconds.  Directory 0700, file 0600
 *    written to a temporary name and renamed; a cache file that is not
 *    ours, not private, stale or corrupt is ignored (never an error).
 */
#ifndef MAILHOP_OAUTH2_H
#define MAILHOP_OAUTH2_H

#include <time.h>

#include "buf.h"
#include "err.h"

/* Token responses are well under 4 KiB; JWT access tokens a few KiB. */
#define OAUTH2_RESPONSE_MAX (64 * 1024)
/* Longest access token we accept (it goes into one SASL message). */
#define OAUTH2_TOKEN_MAX (16 * 1024)
/* Time limits for the token request when the account sets no shorter
 * "timeout": connecting, and the whole exchange. */
#define OAUTH2_CONNECT_TIMEOUT 30
#define OAUTH2_TOTAL_TIMEOUT   60
/* A cached token must stay valid this long: the SMTP session that uses
 * it (connect, TLS, EHLO, AUTH) must not see it expire halfway. */
#define OAUTH2_EXPIRY_MARGIN 60
/* Longest lifetime we believe (providers say one hour). */
#define OAUTH2_EXPIRES_MAX (7L * 24 * 3600)

struct oauth2_grant {
	const char *endpoint;	   /* https://... */
	const char *client_id;	   /* may be NULL */
	const char *client_secret; /* may be NULL; secret */
	const char *refresh_token; /* secret */
	const char *trust_file;	   /* NULL: the system trust store */
	long timeout;		   /* seconds; 0: the built-in limits */
};

struct oauth2_token {
	char *access_token; /* secret; NULL until filled */
	long expires_in;    /* seconds; -1 when the endpoint did not say */
};

/* Ask the endpoint for a new access token; fills t (see the contract). */
int oauth2_refresh(const struct oauth2_grant *g, struct oauth2_token *t,
		   struct err *e);
/* Zero and free the token. */
void oauth2_token_release(struct oauth2_token *t);

/*
 * Turn an endpoint reply (HTTP status, body) into a token or an error;
 * endpoint is only used in messages.  Exposed for the unit tests.
 */
int oauth2_parse_response(long status, const char *body, size_t len,
			  const char *endpoint, struct oauth2_token *t,
			  struct err *e);

/*
 * The value of the member "key" of the top-level JSON object in
 * json[0..len): 1 found (string unescaped into out / number into *out),
 * 0 absent (or of another type), -1 malformed JSON or over a cap.
 * A number may also be written as a string of digits (some providers
 * send "expires_in": "3599"); fractions are cut, exponents refused.
 */
int oauth2_json_string(const char *json, size_t len, const char *key,
		       struct buf *out);
int oauth2_json_number(const char *json, size_t len, const char *key,
		       long *out);

/*
 * $XDG_CACHE_HOME/mailhop/oauth2-ACCOUNT (default ~/.cache/mailhop);
 * characters of the account name other than letters, digits and
 * "._@-" become '_'.  malloc'd; NULL when out of memory.
 */
char *oauth2_cache_path(const char *account);

/* What a cached token must have been issued for. */
struct oauth2_cache_id {
	const char *endpoint;
	const char *client_id; /* NULL = "" */
	const char *user;      /* NULL = "" */
};

/* 1 and *token (malloc'd secret) when a valid token is cached; else 0. */
int oauth2_cache_load(const char *path, const struct oauth2_cache_id *id,
		      time_t now, char **token);
/* Store token valid until expiry (epoch); -1 with ERR_IOERR on failure
 * (callers treat that as a warning: the token is still good). */
int oauth2_cache_store(const char *path, const struct oauth2_cache_id *id,
		       const char *token, time_t expiry, struct err *e);

#endif
