/*
 * oauth2.c - OAuth2 refresh-token grant over HTTPS with libcurl, the
 * small JSON reader it needs, and the access-token cache file (see
 * oauth2.h for the contract).
 *
 * The JSON reader is deliberately tiny: it walks one top-level object,
 * skips values it does not want (with a nesting cap) and decodes one
 * string or number.  A token response has a handful of flat members;
 * a general JSON library would be more code to trust, not less.
 */
#include "config.h"

#include "oauth2.h"
#include "paths.h"
#include "log.h"

/* The calls below go through pointers (load_curl()): no type-check
 * macros around them. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * libcurl is loaded (dlopen) only when a token is refreshed.  Linked, it
 * and what it links (Kerberos, LDAP, libssh2, OpenSSL's libcrypto...)
 * cost every run about 12 million instructions and 3 MB of resident
 * memory before main(), for a feature most runs never use (issue 8).
 * The SONAME's major version has been 4 since curl 7.16.
 */
static const char *const curl_sonames[] = {"libcurl-gnutls.so.4",
					   "libcurl.so.4"};

static struct {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} lc;

/* 0 when every libcurl function below is there, else -1 and e set. */
static int load_curl(struct err *e)
{
	static void *lib;
	const struct {
		const char *name;
		void **slot;
	} fn[] = {
		{"curl_global_init", (void **)&lc.global_init},
		{"curl_global_cleanup", (void **)&lc.global_cleanup},
		{"curl_easy_init", (void **)&lc.easy_init},
		{"curl_easy_cleanup", (void **)&lc.easy_cleanup},
		{"curl_easy_setopt", (void **)&lc.easy_setopt},
		{"curl_easy_perform", (void **)&lc.easy_perform},
		{"curl_easy_getinfo", (void **)&lc.easy_getinfo},
		{"curl_easy_strerror", (void **)&lc.easy_strerror},
		{"curl_easy_escape", (void **)&lc.easy_escape},
		{"curl_free", (void **)&lc.free},
		{"curl_slist_append", (void **)&lc.slist_append},
		{"curl_slist_free_all", (void **)&lc.slist_free_all},
	};
	size_t i;

	if (lib)
		return 0;
	for (i = 0; !lib && i < sizeof(curl_sonames) / sizeof(*curl_sonames);
	     i++)
		lib = dlopen(curl_sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return err_set(e, ERR_UNAVAILABLE,
			       "OAuth2 token refresh needs libcurl: %s",
			       dlerror());
	for (i = 0; i < sizeof(fn) / sizeof(*fn); i++) {
		*fn[i].slot = dlsym(lib, fn[i].name);
		if (!*fn[i].slot) {
			dlclose(lib);
			lib = NULL;
			return err_set(e, ERR_UNAVAILABLE, "libcurl has no %s",
				       fn[i].name);
		}
	}
	return 0;
}

#define curl_global_init    lc.global_init
#define curl_global_cleanup lc.global_cleanup
#define curl_easy_init	    lc.easy_init
#define curl_easy_cleanup   lc.easy_cleanup
/* curl.h may define these two as macros forwarding to the functions. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_setopt    lc.easy_setopt
#define curl_easy_perform   lc.easy_perform
#define curl_easy_getinfo   lc.easy_getinfo
#define curl_easy_strerror  lc.easy_strerror
#define curl_easy_escape    lc.easy_escape
#define curl_free	    lc.free
#define curl_slist_append   lc.slist_append
#define curl_slist_free_all lc.slist_free_all

/* Nesting we follow while skipping values (a token reply has none). */
#define JSON_DEPTH_MAX 16
/* How much of an endpoint's error code / description we quote. */
#define OAUTH2_ERRTEXT_MAX 200
/* The request body: a refresh token, client id and secret, escaped. */
#define OAUTH2_BODY_MAX (4 * OAUTH2_TOKEN_MAX)
/* A cache file: the token plus a few short lines. */
#define OAUTH2_CACHE_MAX   (OAUTH2_TOKEN_MAX + 8192)
#define OAUTH2_CACHE_MAGIC "mailhop oauth2 cache 1"
/* HTTP statuses that mean "try again later" (RFC 6585 §4, RFC 9110). */
#define HTTP_TOO_MANY_REQUESTS 429
#define HTTP_SERVER_ERROR      500

/*
 * Allocate n bytes of b now (n <= its cap): a buffer that grows by
 * realloc() would leave copies of a secret behind in freed memory.
 */
static int reserve(struct buf *b, size_t n)
{
	static const char zeros[4096];

	while (b->len < n) {
		size_t k = n - b->len;

		if (buf_append(b, zeros,
			       k < sizeof(zeros) ? k : sizeof(zeros)) < 0)
			return -1;
	}
	buf_reset(b);
	return 0;
}

/* ---------------------------------------------------------------- JSON */

struct json {
	const char *p, *end;
};

static void json_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int json_eat(struct json *j, char c)
{
	json_ws(j);
	if (j->p >= j->end || *j->p != c)
		return -1;
	j->p++;
	return 0;
}

static int hex4(const char *p, const char *end, unsigned *v)
{
	int i;

	*v = 0;
	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

static int put_utf8(struct buf *out, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return out ? buf_append(out, u, n) : 0;
}

/* "\uXXXX" (j->p at the 'u'), with a UTF-16 surrogate pair. */
static int json_unicode(struct json *j, struct buf *out)
{
	unsigned hi, lo;

	if (hex4(j->p + 1, j->end, &hi) < 0)
		return -1;
	j->p += 5;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return -1;
	if (hi < 0xd800 || hi > 0xdbff)
		return put_utf8(out, hi);
	if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
	    hex4(j->p + 2, j->end, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
		return -1;
	j->p += 6;
	return put_utf8(out, 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00));
}

/* A string (j->p at the opening quote), decoded into out (NULL: skip). */
static int json_string(struct json *j, struct buf *out)
{
	static const char esc_in[] = "\"\\/bfnrt",
			  esc_out[] = "\"\\/\b\f\n\r\t";

	if (json_eat(j, '"') < 0)
		return -1;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		const char *k;

		if (c < 0x20)
			return -1; /* raw control bytes are not JSON */
		if (c != '\\') {
			if (out && buf_append(out, j->p, 1) < 0)
				return -1;
			j->p++;
			continue;
		}
		if (++j->p >= j->end)
			return -1;
		if (*j->p == 'u') {
			if (json_unicode(j, out) < 0)
				return -1;
			continue;
		}
		if (!(k = strchr(esc_in, *j->p)) || *j->p == '\0')
			return -1;
		if (out && buf_append(out, &esc_out[k - esc_in], 1) < 0)
			return -1;
		j->p++;
	}
	if (j->p >= j->end)
		return -1;
	j->p++;
	return 0;
}

/* A number; its integer part into *v when v is set (-1: refused). */
static int json_number_value(struct json *j, long *v)
{
	long n = 0;
	int neg = 0, digits = 0;

	if (j->p < j->end && *j->p == '-') {
		neg = 1;
		j->p++;
	}
	for (; j->p < j->end && *j->p >= '0' && *j->p <= '9'; j->p++) {
		if (n > (LONG_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*j->p - '0');
		digits++;
	}
	if (!digits)
		return -1;
	if (j->p < j->end && *j->p == '.')
		for (j->p++; j->p < j->end && *j->p >= '0' && *j->p <= '9';)
			j->p++;
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E'))
		return -1;
	if (v)
		*v = neg ? -n : n;
	return 0;
}

static int json_skip(struct json *j, int depth);

/* The members or items of an object / array (opening byte consumed). */
static int json_skip_container(struct json *j, char close, int depth)
{
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		if (close == '}' &&
		    (json_string(j, NULL) < 0 || json_eat(j, ':') < 0))
			return -1;
		if (json_skip(j, depth + 1) < 0)
			return -1;
		json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			json_ws(j);
			continue;
		}
		return json_eat(j, close);
	}
}

static int json_skip(struct json *j, int depth)
{
	static const char *const words[] = {"true", "false", "null"};
	size_t i;

	json_ws(j);
	if (j->p >= j->end || depth > JSON_DEPTH_MAX)
		return -1;
	if (*j->p == '"')
		return json_string(j, NULL);
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';

		j->p++;
		return json_skip_container(j, close, depth);
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(j->end - j->p) >= n &&
		    memcmp(j->p, words[i], n) == 0) {
			j->p += n;
			return 0;
		}
	}
	return json_number_value(j, NULL);
}

/* Position j at the value of top-level member key: 1, 0 absent, -1. */
static int json_find(struct json *j, const char *key)
{
	struct buf name = BUF_INIT(OAUTH2_RESPONSE_MAX);
	int r = -1;

	if (json_eat(j, '{') < 0)
		return -1;
	json_ws(j);
	if (j->p < j->end && *j->p == '}')
		return 0;
	for (;;) {
		buf_reset(&name);
		json_ws(j);
		if (json_string(j, &name) < 0 || json_eat(j, ':') < 0)
			break;
		json_ws(j);
		if (name.data && strcmp(name.data, key) == 0 &&
		    name.len == strlen(key)) {
			r = 1;
			break;
		}
		if (json_skip(j, 1) < 0)
			break;
		json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		r = json_eat(j, '}') < 0 ? -1 : 0;
		break;
	}
	buf_release(&name);
	return r;
}

int oauth2_json_string(const char *json, size_t len, const char *key,
		       struct buf *out)
{
	struct json j = {json, json + len};
	int r = json_find(&j, key);

	if (r <= 0)
		return r;
	if (j.p >= j.end || *j.p != '"')
		return 0;
	return json_string(&j, out) < 0 ? -1 : 1;
}

int oauth2_json_number(const char *json, size_t len, const char *key, long *out)
{
	struct json j = {json, json + len};
	struct buf s = BUF_INIT(32);
	int r = json_find(&j, key);

	if (r <= 0)
		return r;
	if (j.p < j.end && *j.p == '"') {
		/* "3599": a number in a string (an empty one: absent) */
		if (json_string(&j, &s) < 0)
			r = -1;
		else if (s.len == 0)
			r = 0;
		else {
			struct json in = {s.data, s.data + s.len};

			if (json_number_value(&in, out) < 0 || in.p != in.end)
				r = -1;
		}
		buf_release(&s);
		return r;
	}
	if (j.p < j.end && (*j.p == '-' || (*j.p >= '0' && *j.p <= '9')))
		return json_number_value(&j, out) < 0 ? -1 : 1;
	return 0;
}

/* ----------------------------------------------------------- responses */

void oauth2_token_release(struct oauth2_token *t)
{
	if (t->access_token) {
		explicit_bzero(t->access_token, strlen(t->access_token));
		free(t->access_token);
	}
	t->access_token = NULL;
	t->expires_in = -1;
}

/* RFC 6750 §2.1 b64token, loosely: printable ASCII, no blank. */
static int token_ok(const struct buf *b)
{
	size_t i;

	if (b->len == 0 || b->len > OAUTH2_TOKEN_MAX)
		return 0;
	for (i = 0; i < b->len; i++)
		if ((unsigned char)b->data[i] <= 0x20 ||
		    (unsigned char)b->data[i] >= 0x7f)
			return 0;
	return 1;
}

/* An OAuth2 error reply (RFC 6749 §5.2): "error" and "error_description" */
static int endpoint_error(long status, const char *body, size_t len,
			  const char *endpoint, struct err *e)
{
	struct buf code = BUF_INIT(OAUTH2_RESPONSE_MAX);
	struct buf desc = BUF_INIT(OAUTH2_RESPONSE_MAX);
	char c[OAUTH2_ERRTEXT_MAX], d[OAUTH2_ERRTEXT_MAX];
	enum err_kind kind = ERR_NOPERM;

	if (status == HTTP_TOO_MANY_REQUESTS || status >= HTTP_SERVER_ERROR)
		kind = ERR_TEMPFAIL;
	c[0] = d[0] = '\0';
	if (oauth2_json_string(body, len, "error", &code) > 0 && code.data)
		sanitize(c, sizeof(c), code.data, code.len);
	if (oauth2_json_string(body, len, "error_description", &desc) > 0 &&
	    desc.data)
		sanitize(d, sizeof(d), desc.data, desc.len);
	buf_release(&code);
	buf_release(&desc);
	if (!c[0])
		return err_set(e, kind,
			       "oauth2 token endpoint '%s' failed: HTTP %ld",
			       endpoint, status);
	return err_set(e, kind,
		       "oauth2 token endpoint '%s' refused the refresh: "
		       "%s%s%s (HTTP %ld)",
		       endpoint, c, d[0] ? ": " : "", d, status);
}

int oauth2_parse_response(long status, const char *body, size_t len,
			  const char *endpoint, struct oauth2_token *t,
			  struct err *e)
{
	struct buf tok = BUF_INIT(OAUTH2_RESPONSE_MAX);
	long exp = -1;
	int r;

	if (!body) {
		body = "";
		len = 0;
	}
	if (status < 200 || status > 299)
		return endpoint_error(status, body, len, endpoint, e);
	/* The decoded token is never longer than the reply. */
	if (reserve(&tok, len) < 0)
		return err_set(e, ERR_OSERR, "out of memory");
	r = oauth2_json_string(body, len, "access_token", &tok);
	if (r > 0 && !token_ok(&tok))
		r = -2;
	if (r > 0 && oauth2_json_number(body, len, "expires_in", &exp) < 0)
		r = -1;
	if (r <= 0) {
		buf_release_secret(&tok);
		if (r == 0 && oauth2_json_string(body, len, "error", NULL) > 0)
			return endpoint_error(status, body, len, endpoint, e);
		return err_set(e, ERR_PROTOCOL,
			       "oauth2 token endpoint '%s' sent %s", endpoint,
			       r == 0	 ? "no access token"
			       : r == -2 ? "an unusable access token"
					 : "a malformed reply");
	}
	if (exp > OAUTH2_EXPIRES_MAX)
		exp = OAUTH2_EXPIRES_MAX;
	t->access_token = buf_detach(&tok);
	t->expires_in = exp < 0 ? -1 : exp;
	return 0;
}

/* ---------------------------------------------------------------- HTTP */

struct sink {
	struct buf *b;
	int overflow;
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;

	(void)size; /* always 1 (CURLOPT_WRITEFUNCTION) */
	if (buf_append(s->b, p, n) < 0) {
		s->overflow = 1;
		return 0;
	}
	return n;
}

/* "&name=escaped(value)" (no '&' first) into body. */
static int add_field(CURL *c, struct buf *body, const char *name,
		     const char *value)
{
	char *esc = curl_easy_escape(c, value, 0);
	int r;

	if (!esc)
		return -1;
	r = buf_printf(body, "%s%s=%s", body->len ? "&" : "", name, esc);
	explicit_bzero(esc, strlen(esc));
	curl_free(esc);
	return r;
}

static int build_body(CURL *c, const struct oauth2_grant *g, struct buf *body,
		      struct err *e)
{
	if (add_field(c, body, "grant_type", "refresh_token") < 0 ||
	    add_field(c, body, "refresh_token", g->refresh_token) < 0 ||
	    (g->client_id && *g->client_id &&
	     add_field(c, body, "client_id", g->client_id) < 0) ||
	    (g->client_secret && *g->client_secret &&
	     add_field(c, body, "client_secret", g->client_secret) < 0))
		return err_set(e, ERR_CONFIG,
			       "oauth2 refresh request too large (more than "
			       "%d bytes)",
			       OAUTH2_BODY_MAX);
	return 0;
}

#define SET(opt, val)                                       \
	do {                                                \
		if (rc == CURLE_OK)                         \
			rc = curl_easy_setopt(c, opt, val); \
	} while (0)

static CURLcode setup(CURL *c, const struct oauth2_grant *g,
		      const struct buf *body, struct sink *sink, char *errbuf,
		      struct curl_slist *hdrs)
{
	long total = OAUTH2_TOTAL_TIMEOUT, conn = OAUTH2_CONNECT_TIMEOUT;
	CURLcode rc = CURLE_OK;

	if (g->timeout > 0 && g->timeout < total)
		total = g->timeout;
	if (conn > total)
		conn = total;
	SET(CURLOPT_URL, g->endpoint);
	SET(CURLOPT_PROTOCOLS_STR, "https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT, conn);
	SET(CURLOPT_TIMEOUT, total);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (g->trust_file) {
		SET(CURLOPT_CAINFO, g->trust_file);
		SET(CURLOPT_CAPATH, (char *)NULL);
	}
	SET(CURLOPT_POST, 1L);
	SET(CURLOPT_POSTFIELDS, body->data);
	SET(CURLOPT_POSTFIELDSIZE, (long)body->len);
	SET(CURLOPT_HTTPHEADER, hdrs);
	SET(CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	SET(CURLOPT_WRITEFUNCTION, on_data);
	SET(CURLOPT_WRITEDATA, sink);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	return rc;
}

#undef SET

/* A transfer that did not complete: which class of failure. */
static int transfer_failed(CURLcode rc, const char *errbuf, int overflow,
			   const struct oauth2_grant *g, struct err *e)
{
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_WRITE_ERROR:
		if (!overflow)
			break;
		return err_set(e, ERR_PROTOCOL,
			       "oauth2 token endpoint '%s' sent more than %d "
			       "bytes",
			       g->endpoint, OAUTH2_RESPONSE_MAX);
	case CURLE_PEER_FAILED_VERIFICATION:
		return err_set(e, ERR_NOPERM,
			       "TLS certificate of oauth2 token endpoint '%s' "
			       "rejected: %s",
			       g->endpoint, why);
	case CURLE_SSL_CACERT_BADFILE:
		return err_set(e, ERR_CONFIG,
			       "cannot load oauth2_tls_trust_file '%s': %s",
			       g->trust_file ? g->trust_file : "(system)", why);
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return err_set(e, ERR_CONFIG,
			       "invalid oauth2_token_endpoint '%s': %s",
			       g->endpoint, why);
	case CURLE_OUT_OF_MEMORY:
		return err_set(e, ERR_OSERR, "out of memory");
	default:
		break;
	}
	return err_set(e, ERR_TEMPFAIL,
		       "cannot reach oauth2 token endpoint '%s': %s",
		       g->endpoint, why);
}

static int perform(CURL *c, const struct oauth2_grant *g,
		   struct oauth2_token *t, struct err *e)
{
	struct buf body = BUF_INIT(OAUTH2_BODY_MAX);
	struct buf resp = BUF_INIT(OAUTH2_RESPONSE_MAX);
	struct sink sink = {&resp, 0};
	struct curl_slist *hdrs = NULL, *h;
	char errbuf[CURL_ERROR_SIZE];
	long status = 0;
	CURLcode rc;
	int ret = -1;

	errbuf[0] = '\0';
	if (reserve(&body, OAUTH2_BODY_MAX) < 0 ||
	    reserve(&resp, OAUTH2_RESPONSE_MAX) < 0) {
		err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	if (build_body(c, g, &body, e) < 0)
		goto out;
	h = curl_slist_append(NULL, "Accept: application/json");
	hdrs = h ? curl_slist_append(h, "Content-Type: "
					"application/x-www-form-urlencoded")
		 : NULL;
	if (!hdrs) {
		curl_slist_free_all(h);
		err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	if (setup(c, g, &body, &sink, errbuf, hdrs) != CURLE_OK) {
		err_set(e, ERR_SOFTWARE, "cannot set up the oauth2 request");
		goto out;
	}
	log_debug("refreshing the oauth2 access token at %s", g->endpoint);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		transfer_failed(rc, errbuf, sink.overflow, g, e);
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	ret = oauth2_parse_response(status, resp.data, resp.len, g->endpoint, t,
				    e);
out:
	curl_slist_free_all(hdrs);
	buf_release_secret(&body);
	buf_release_secret(&resp);
	return ret;
}

int oauth2_refresh(const struct oauth2_grant *g, struct oauth2_token *t,
		   struct err *e)
{
	CURL *c;
	int r;

	t->access_token = NULL;
	t->expires_in = -1;
	if (!g->endpoint || strncasecmp(g->endpoint, "https://", 8) != 0)
		return err_set(e, ERR_CONFIG,
			       "oauth2_token_endpoint '%s' must be an https:// "
			       "URL",
			       g->endpoint ? g->endpoint : "");
	if (!g->refresh_token || !*g->refresh_token)
		return err_set(e, ERR_CONFIG, "no oauth2 refresh token");
	if (load_curl(e) < 0)
		return -1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(e, ERR_OSERR, "cannot initialise libcurl");
	c = curl_easy_init();
	if (!c)
		r = err_set(e, ERR_OSERR, "cannot initialise libcurl");
	else
		r = perform(c, g, t, e);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return r;
}

/* --------------------------------------------------------------- cache */

char *oauth2_cache_path(const char *account)
{
	struct buf b = BUF_INIT(PATH_MAX);

	if (path_cache_dir(&b, 0) < 0 || buf_puts(&b, "/oauth2-") < 0 ||
	    path_append_safe(&b, account && *account ? account : "default") < 0)
		goto fail;
	return buf_detach(&b);
fail:
	buf_release(&b);
	return NULL;
}

/* Read a private, regular cache file of ours into b; 0 or -1. */
static int cache_read(const char *path, struct buf *b)
{
	char chunk[4096];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), r = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077))
		goto out;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n > 0 && buf_append(b, chunk, (size_t)n) < 0))
			goto out;
		if (n == 0)
			break;
	}
	r = b->len ? 0 : -1;
out:
	explicit_bzero(chunk, sizeof(chunk));
	close(fd);
	return r;
}

/* The value of line "key value" in the cache text, or NULL. */
static const char *cache_field(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			*len = strcspn(p + klen + 1, "\n");
			return p + klen + 1;
		}
	}
	return NULL;
}

static int field_is(const char *text, const char *key, const char *want)
{
	size_t len;
	const char *v = cache_field(text, key, &len);

	if (!want)
		want = "";
	return v && len == strlen(want) && strncmp(v, want, len) == 0;
}

int oauth2_cache_load(const char *path, const struct oauth2_cache_id *id,
		      time_t now, char **token)
{
	struct buf b = BUF_INIT(OAUTH2_CACHE_MAX);
	const char *v;
	size_t len;
	char *end;
	long long expiry;
	int r = 0;

	*token = NULL;
	if (reserve(&b, OAUTH2_CACHE_MAX) < 0 || cache_read(path, &b) < 0)
		goto out;
	if (strncmp(b.data, OAUTH2_CACHE_MAGIC "\n",
		    strlen(OAUTH2_CACHE_MAGIC) + 1) != 0 ||
	    !field_is(b.data, "endpoint", id->endpoint) ||
	    !field_is(b.data, "client_id", id->client_id) ||
	    !field_is(b.data, "user", id->user) ||
	    !(v = cache_field(b.data, "expires", &len)))
		goto out;
	expiry = strtoll(v, &end, 10);
	if (end != v + len || expiry - OAUTH2_EXPIRY_MARGIN <= (long long)now)
		goto out;
	v = cache_field(b.data, "access_token", &len);
	if (!v || len == 0 || len > OAUTH2_TOKEN_MAX)
		goto out;
	*token = xstrndup(v, len);
	r = *token != NULL;
out:
	buf_release_secret(&b);
	return r;
}

static int one_line(const char *s)
{
	return !s || !strpbrk(s, "\r\n");
}

int oauth2_cache_store(const char *path, const struct oauth2_cache_id *id,
		       const char *token, time_t expiry, struct err *e)
{
	struct buf dir = BUF_INIT(PATH_MAX), tmp = BUF_INIT(PATH_MAX);
	struct buf text = BUF_INIT(OAUTH2_CACHE_MAX);
	int fd = -1, r = -1;

	if (!one_line(id->endpoint) || !one_line(id->client_id) ||
	    !one_line(id->user) || !one_line(token) ||
	    reserve(&text, OAUTH2_CACHE_MAX) < 0) {
		err_set(e, ERR_IOERR, "cannot cache the oauth2 token");
		goto out;
	}
	if (path_cache_dir(&dir, 1) < 0 ||
	    buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid()) < 0 ||
	    buf_printf(&text,
		       OAUTH2_CACHE_MAGIC "\nexpires %lld\nendpoint %s\n"
					  "client_id %s\nuser %s\n"
					  "access_token %s\n",
		       (long long)expiry, id->endpoint,
		       id->client_id ? id->client_id : "",
		       id->user ? id->user : "", token) < 0) {
		err_set(e, ERR_IOERR,
			"cannot create the cache directory for %s", path);
		goto out;
	}
	(void)unlink(tmp.data);
	fd = open(tmp.data,
		  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set(e, ERR_IOERR, "cannot write %s: %s", tmp.data,
			strerror(errno));
		goto out;
	}
	r = write_all(fd, text.data, text.len);
	if (close(fd) < 0)
		r = -1;
	if (r < 0 || rename(tmp.data, path) < 0) {
		r = err_set(e, ERR_IOERR, "cannot write %s: %s", path,
			    strerror(errno));
		(void)unlink(tmp.data);
		goto out;
	}
	r = 0;
out:
	buf_release(&dir);
	buf_release(&tmp);
	buf_release_secret(&text);
	return r;
}
