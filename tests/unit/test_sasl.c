/*
 * test_sasl.c - the SASL wrapper (sasl.c): the mechanism choice table,
 * exact client responses for known inputs, SCRAM (and -PLUS with channel
 * binding) against libgsasl's own server side in-process, the bearer
 * mechanisms built here, and hostile challenges.
 */
#define _GNU_SOURCE
#include <gsasl.h>
#include <stdlib.h>
#include <string.h>

#include "sasl.h"
#include "tap.h"

#define USER	"user"
#define PASS	"pass"
#define CB_DATA "0123456789abcdef0123456789abcdef"

/* ---------------------------------------------------------------- choice */

struct choice {
	const char *offered;
	const char *method; /* explicit, or NULL for "auth on" */
	int encrypted;
	int cb;		  /* channel binding data available */
	const char *want; /* mechanism, or NULL for an error */
	const char *msg;  /* substring of the error */
};

static const struct choice choices[] = {
	{"PLAIN LOGIN CRAM-MD5", NULL, 1, 0, "PLAIN", NULL},
	{"LOGIN CRAM-MD5 PLAIN", NULL, 1, 0, "PLAIN", NULL},
	{"PLAIN LOGIN CRAM-MD5", NULL, 0, 0, "CRAM-MD5", NULL},
	{"CRAM-MD5 LOGIN", NULL, 1, 0, "CRAM-MD5", NULL},
	{"LOGIN", NULL, 1, 0, "LOGIN", NULL},
	{"PLAIN LOGIN", NULL, 0, 0, NULL,
	 "server 'mx.example.org' offers no authentication method mailhop "
	 "may use (offered: PLAIN LOGIN); PLAIN and LOGIN need TLS"},
	{"SCRAM-SHA-256-PLUS SCRAM-SHA-256 PLAIN", NULL, 1, 1,
	 "SCRAM-SHA-256-PLUS", NULL},
	{"SCRAM-SHA-256-PLUS SCRAM-SHA-256 PLAIN", NULL, 1, 0, "SCRAM-SHA-256",
	 NULL},
	{"SCRAM-SHA-1-PLUS SCRAM-SHA-1 SCRAM-SHA-256", NULL, 1, 1,
	 "SCRAM-SHA-1-PLUS", NULL},
	{"SCRAM-SHA-1 SCRAM-SHA-256", NULL, 1, 0, "SCRAM-SHA-256", NULL},
	{"SCRAM-SHA-1 PLAIN", NULL, 0, 0, "SCRAM-SHA-1", NULL},
	{"PLAIN SCRAM-SHA-256-PLUS", NULL, 0, 0, NULL, "offers no"},
	{"XOAUTH2 OAUTHBEARER", NULL, 1, 0, NULL,
	 "offers no authentication method mailhop may use (offered: XOAUTH2 "
	 "OAUTHBEARER)"},
	{"GSSAPI EXTERNAL DIGEST-MD5 NTLM", NULL, 1, 1, NULL, "offers no"},
	{"", NULL, 1, 0, NULL,
	 "server 'mx.example.org' does not offer authentication"},
	{"PLAIN", "plain", 0, 0, "PLAIN", NULL},
	{"LOGIN", "LOGIN", 0, 0, "LOGIN", NULL},
	{"CRAM-MD5", "cram-md5", 0, 0, "CRAM-MD5", NULL},
	{"PLAIN CRAM-MD5", "login", 1, 0, NULL,
	 "server 'mx.example.org' does not offer authentication method LOGIN "
	 "(offered: PLAIN CRAM-MD5)"},
	{"PLAIN XOAUTH2", "xoauth2", 1, 0, "XOAUTH2", NULL},
	{"OAUTHBEARER", "oauthbearer", 1, 0, "OAUTHBEARER", NULL},
	{"EXTERNAL", "external", 1, 0, "EXTERNAL", NULL},
	{"SCRAM-SHA-256-PLUS", "scram-sha-256-plus", 1, 0, NULL,
	 "needs TLS channel binding"},
	{"SCRAM-SHA-256-PLUS", "scram-sha-256-plus", 1, 1, "SCRAM-SHA-256-PLUS",
	 NULL},
	{"SCRAM-SHA-256 PLAIN", "scram-sha-256-plus", 1, 1, NULL,
	 "does not offer authentication method SCRAM-SHA-256-PLUS"},
	{"FOO-BAR PLAIN", "foo-bar", 1, 0, NULL,
	 "authentication method 'foo-bar' is not supported"},
	{"", "plain", 1, 0, NULL, "does not offer authentication"},
};

static struct sasl *make(const char *method, const char *user,
			 const char *secret, int encrypted, int cb)
{
	struct sasl_params p;
	struct err e = ERR_INIT;
	struct sasl *x;

	memset(&p, 0, sizeof(p));
	p.method = method;
	p.user = user;
	p.server = "mx.example.org";
	p.host = "mx.example.org";
	p.port = 587;
	x = sasl_new(&p, &e);
	if (x && encrypted)
		sasl_set_tls(x, cb ? SASL_CB_TLS_EXPORTER : SASL_CB_NONE,
			     CB_DATA, cb ? strlen(CB_DATA) : 0, &e);
	if (x && secret)
		sasl_set_secret(x, secret, &e);
	return x;
}

static void test_choice(const struct choice *c)
{
	struct sasl *x = make(c->method, USER, NULL, c->encrypted, c->cb);
	struct err e = ERR_INIT;
	const char *mech = NULL;
	char name[300];
	int r = sasl_choose(x, c->offered, &mech, &e);

	snprintf(name, sizeof(name), "choose [%s] method %s%s%s", c->offered,
		 c->method ? c->method : "on", c->encrypted ? " tls" : "",
		 c->cb ? " cb" : "");
	if (c->want) {
		is_str(mech, c->want, name);
		is_int(r, 0, name);
	} else {
		is_int(r, -1, name);
		is_int(e.kind, ERR_UNAVAILABLE, name);
		ok(strstr(e.msg, c->msg) != NULL, name);
		if (!strstr(e.msg, c->msg))
			printf("#   got '%s'\n", e.msg);
	}
	sasl_free(x);
}

/* ---------------------------------------------------------------- flags */

static void test_flags(void)
{
	static const struct {
		const char *mech;
		int secret, pipe, bearer;
	} t[] = {
		{"PLAIN", 1, 1, 0},	    {"EXTERNAL", 0, 1, 0},
		{"LOGIN", 1, 0, 0},	    {"CRAM-MD5", 1, 0, 0},
		{"SCRAM-SHA-256", 1, 0, 0}, {"GSSAPI", 0, 0, 0},
		{"XOAUTH2", 1, 0, 1},	    {"OAUTHBEARER", 1, 0, 1},
		{"NOPE", 0, 0, 0},
	};
	size_t i;
	char name[100];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "flags %s", t[i].mech);
		is_int(sasl_needs_secret(t[i].mech), t[i].secret, name);
		is_int(sasl_pipelinable(t[i].mech), t[i].pipe, name);
		is_int(sasl_is_bearer(t[i].mech), t[i].bearer, name);
	}
}

/* ------------------------------------------------------- exact responses */

struct exchange {
	const char *name;
	const char *mech;
	const char *user, *secret;
	int has_ir;
	const char *ir;		 /* expected initial response (base64) */
	const char *steps[4][2]; /* challenge, expected response */
};

static const struct exchange exchanges[] = {
	{"PLAIN", "PLAIN", USER, PASS, 1, "AHVzZXIAcGFzcw==", {{NULL, NULL}}},
	{"EXTERNAL", "EXTERNAL", NULL, NULL, 1, "", {{NULL, NULL}}},
	{"EXTERNAL with user", "EXTERNAL", USER, NULL, 1, "", {{NULL, NULL}}},
	{"LOGIN",
	 "LOGIN",
	 USER,
	 PASS,
	 0,
	 "",
	 {{"VXNlcm5hbWU6", "dXNlcg=="}, {"UGFzc3dvcmQ6", "cGFzcw=="}}},
	{"CRAM-MD5 (RFC 2195 style)",
	 "CRAM-MD5",
	 USER,
	 PASS,
	 0,
	 "",
	 {{"PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+",
	   "dXNlciAzNzE5ZTYwOTRmYjJhMGJiNDM0Yjg2NWM0OTM4YzIxNQ=="}}},
	{"XOAUTH2",
	 "XOAUTH2",
	 "u@x.org",
	 "tok",
	 1,
	 "dXNlcj11QHgub3JnAWF1dGg9QmVhcmVyIHRvawEB",
	 {{NULL, NULL}}},
	{"OAUTHBEARER, user escaped, host and port",
	 "OAUTHBEARER",
	 "u,x=y@x.org",
	 "tok",
	 1,
	 "bixhPXU9MkN4PTNEeUB4Lm9yZywBaG9zdD1teC5leGFtcGxlLm9yZwFwb3J0PTU4NwFh"
	 "dXRoPUJlYXJlciB0b2sBAQ==",
	 {{NULL, NULL}}},
	{"XOAUTH2 refused: error JSON answered with an empty line",
	 "XOAUTH2",
	 "u@x.org",
	 "tok",
	 1,
	 "dXNlcj11QHgub3JnAWF1dGg9QmVhcmVyIHRvawEB",
	 {{"eyJzdGF0dXMiOiI0MDEifQ==", ""}}},
	{"OAUTHBEARER refused: error JSON answered with ^A",
	 "OAUTHBEARER",
	 "u@x.org",
	 "tok",
	 1,
	 NULL,
	 {{"eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=", "AQ=="}}},
};

static void test_exchange(const struct exchange *x)
{
	struct sasl *s = make(x->mech, x->user, x->secret, 1, 0);
	struct buf out = BUF_INIT(SASL_RESPONSE_MAX);
	struct err e = ERR_INIT;
	char name[300];
	int has_ir = -1, i;

	snprintf(name, sizeof(name), "%s: start", x->name);
	is_int(sasl_start(s, x->mech, &out, &has_ir, &e), 0, name);
	if (e.kind)
		printf("#   %s\n", e.msg);
	snprintf(name, sizeof(name), "%s: initial response", x->name);
	is_int(has_ir, x->has_ir, name);
	if (x->ir)
		is_str(out.data ? out.data : "", x->ir, name);
	for (i = 0; i < 4 && x->steps[i][0]; i++) {
		buf_reset(&out);
		snprintf(name, sizeof(name), "%s: step %d", x->name, i + 1);
		is_int(sasl_step(s, x->steps[i][0], strlen(x->steps[i][0]),
				 &out, &e),
		       0, name);
		is_str(out.data ? out.data : "", x->steps[i][1], name);
	}
	if (sasl_is_bearer(x->mech)) {
		snprintf(name, sizeof(name), "%s: rejected flag", x->name);
		is_int(sasl_rejected(s), i > 0, name);
		if (i > 0)
			ok(strstr(sasl_detail(s), "status") != NULL,
			   "bearer: the server's report kept");
	}
	/*
	 * Every mechanism here is finished: one more challenge is wrong
	 * (a bearer's first challenge is its error report, tested above).
	 */
	buf_reset(&out);
	err_init(&e);
	snprintf(name, sizeof(name), "%s: challenge after the end", x->name);
	if (!sasl_is_bearer(x->mech) || i > 0) {
		is_int(sasl_step(s, "AAAA", 4, &out, &e), -1, name);
		is_int(e.kind, ERR_PROTOCOL, name);
	}
	err_init(&e);
	snprintf(name, sizeof(name), "%s: 235 accepted", x->name);
	is_int(sasl_complete(s, &e), 0, name);
	buf_release_secret(&out);
	sasl_free(s);
}

/* ------------------------------------------------------------- hostile */

static void test_hostile(void)
{
	static const char *const bad[] = {
		"!!!!", "QU=C", "QUJD\n", "Q", "VXNl cm5hbWU6", "=AAA",
	};
	struct buf big = BUF_INIT(64 * 1024);
	struct buf out = BUF_INIT(SASL_RESPONSE_MAX);
	struct err e = ERR_INIT;
	struct sasl *s;
	const char *mech;
	int has_ir;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = make("LOGIN", USER, PASS, 1, 0);
		sasl_start(s, "LOGIN", &out, &has_ir, &e);
		err_init(&e);
		is_int(sasl_step(s, bad[i], strlen(bad[i]), &out, &e), -1,
		       "hostile: not base64 refused");
		is_int(e.kind, ERR_PROTOCOL, "hostile: protocol error");
		ok(strstr(e.msg, "not valid base64") != NULL,
		   "hostile: says base64");
		sasl_free(s);
	}
	while (big.len < SASL_CHALLENGE_MAX / 3 * 4 + 8)
		buf_puts(&big, "QUFB");
	s = make("CRAM-MD5", USER, PASS, 1, 0);
	sasl_start(s, "CRAM-MD5", &out, &has_ir, &e);
	err_init(&e);
	is_int(sasl_step(s, big.data, big.len, &out, &e), -1,
	       "hostile: oversized challenge refused");
	ok(strstr(e.msg, "larger than 8192 octets") != NULL,
	   "hostile: oversized named");
	is_int(e.kind, ERR_PROTOCOL, "hostile: oversized is a protocol error");
	sasl_free(s);

	s = make("PLAIN", NULL, PASS, 1, 0);
	err_init(&e);
	is_int(sasl_start(s, "PLAIN", &out, &has_ir, &e), -1,
	       "no user: PLAIN refused");
	is_int(e.kind, ERR_CONFIG, "no user: config error");
	sasl_free(s);

	s = make(NULL, NULL, NULL, 1, 0);
	err_init(&e);
	is_int(sasl_choose(s, "PLAIN", &mech, &e), -1,
	       "no user: refused before any secret is fetched");
	is_int(e.kind, ERR_CONFIG, "no user: choose says config error");
	ok(strstr(e.msg, "PLAIN needs a user name (set user)") != NULL,
	   "no user: message");
	sasl_free(s);

	s = make(NULL, NULL, NULL, 1, 0);
	err_init(&e);
	is_int(sasl_choose(s, "EXTERNAL PLAIN", &mech, &e), -1,
	       "no user, auth on: EXTERNAL is not chosen automatically");
	sasl_free(s);
	s = make("external", NULL, NULL, 1, 0);
	err_init(&e);
	is_int(sasl_choose(s, "EXTERNAL PLAIN", &mech, &e), 0,
	       "no user, auth external: fine");
	sasl_free(s);

	s = make("PLAIN", USER, NULL, 1, 0);
	err_init(&e);
	is_int(sasl_step(s, "AAAA", 4, &out, &e), -1, "step before start");
	is_int(e.kind, ERR_SOFTWARE, "step before start: software error");
	sasl_free(s);
	buf_release(&big);
	buf_release_secret(&out);
}

/* --------------------------------------------- SCRAM against gsasl server */

struct server {
	const char *password;
	const char *cb; /* channel binding the server sees */
};

static int server_cb(Gsasl *ctx, Gsasl_session *s, Gsasl_property p)
{
	struct server *srv = gsasl_callback_hook_get(ctx);
	char *b64 = NULL;
	size_t n;
	int rc;

	switch (p) {
	case GSASL_PASSWORD:
		return gsasl_property_set(s, p, srv->password);
	case GSASL_CB_TLS_EXPORTER:
		if (!srv->cb)
			return GSASL_NO_CALLBACK;
		gsasl_base64_to(srv->cb, strlen(srv->cb), &b64, &n);
		rc = gsasl_property_set(s, p, b64);
		gsasl_free(b64);
		return rc;
	default:
		return GSASL_NO_CALLBACK;
	}
}

/*
 * Replace one character of the server signature in "v=<base64>" (the
 * SASL message, itself base64 on the wire) by another base64 letter, so
 * the message stays well-formed and only the proof is wrong.
 */
static void forge_signature(char **sout)
{
	char *raw = NULL, *b64 = NULL;
	size_t n = 0, m = 0;

	if (gsasl_base64_from(*sout, strlen(*sout), &raw, &n) != GSASL_OK ||
	    n < 8 || strncmp(raw, "v=", 2) != 0) {
		gsasl_free(raw);
		return;
	}
	raw[4] = raw[4] == 'A' ? 'B' : 'A';
	if (gsasl_base64_to(raw, n, &b64, &m) == GSASL_OK) {
		gsasl_free(*sout);
		*sout = b64;
	}
	gsasl_free(raw);
}

/*
 * Run the client (sasl.c) against libgsasl's server: 1 when the server
 * accepted and the client verified it, 0 when the server refused, -1
 * when the client refused (its error in *e).
 */
static int scram_run(const char *mech, const char *client_pw, int client_cb,
		     struct server *srv, int tamper, struct err *e)
{
	Gsasl *ctx;
	Gsasl_session *ss;
	struct sasl *c = make(mech, USER, client_pw, 1, client_cb);
	struct buf msg = BUF_INIT(SASL_RESPONSE_MAX);
	char *sout = NULL;
	int has_ir, rc, result = -1, round;

	gsasl_init(&ctx);
	gsasl_callback_set(ctx, server_cb);
	gsasl_callback_hook_set(ctx, srv);
	gsasl_server_start(ctx, mech, &ss);
	if (sasl_start(c, mech, &msg, &has_ir, e) < 0)
		goto out;
	for (round = 0; round < 4; round++) {
		rc = gsasl_step64(ss, msg.data ? msg.data : "", &sout);
		if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE) {
			result = 0;
			goto out;
		}
		if (tamper && rc == GSASL_OK)
			forge_signature(&sout);
		buf_reset(&msg);
		if (sasl_step(c, sout, strlen(sout), &msg, e) < 0)
			goto out;
		gsasl_free(sout);
		sout = NULL;
		if (rc == GSASL_OK) {
			result = sasl_complete(c, e) == 0 ? 1 : -1;
			goto out;
		}
	}
out:
	gsasl_free(sout);
	gsasl_finish(ss);
	gsasl_done(ctx);
	buf_release_secret(&msg);
	sasl_free(c);
	return result;
}

static void test_scram(void)
{
	struct server srv = {PASS, NULL};
	struct server srv_cb = {PASS, CB_DATA};
	struct server srv_badcb = {PASS, "another channel entirely........"};
	struct err e = ERR_INIT;

	is_int(scram_run("SCRAM-SHA-256", PASS, 0, &srv, 0, &e), 1,
	       "SCRAM-SHA-256: accepted, server verified");
	is_int(scram_run("SCRAM-SHA-1", PASS, 0, &srv, 0, &e), 1,
	       "SCRAM-SHA-1: accepted");
	is_int(scram_run("SCRAM-SHA-256", "wrong", 0, &srv, 0, &e), 0,
	       "SCRAM-SHA-256: wrong password refused by the server");
	is_int(scram_run("SCRAM-SHA-256", PASS, 0, &srv, 1, &e), -1,
	       "SCRAM-SHA-256: a forged server signature is caught");
	is_int(e.kind, ERR_NOPERM, "SCRAM forged signature: ERR_NOPERM");
	ok(strstr(e.msg, "did not prove") != NULL,
	   "SCRAM forged signature: message");
	err_init(&e);
	is_int(scram_run("SCRAM-SHA-256-PLUS", PASS, 1, &srv_cb, 0, &e), 1,
	       "SCRAM-SHA-256-PLUS: channel bound, accepted");
	is_int(scram_run("SCRAM-SHA-1-PLUS", PASS, 1, &srv_cb, 0, &e), 1,
	       "SCRAM-SHA-1-PLUS: channel bound, accepted");
	is_int(scram_run("SCRAM-SHA-256-PLUS", PASS, 1, &srv_badcb, 0, &e), 0,
	       "SCRAM-SHA-256-PLUS: another channel refused by the server");
	if (e.kind)
		printf("#   %s\n", e.msg);
}

/* 235 before SCRAM finished: the server never proved itself. */
static void test_early_success(void)
{
	struct sasl *c = make("SCRAM-SHA-256", USER, PASS, 1, 0);
	struct buf out = BUF_INIT(SASL_RESPONSE_MAX);
	struct err e = ERR_INIT;
	int has_ir;

	sasl_start(c, "SCRAM-SHA-256", &out, &has_ir, &e);
	is_int(has_ir, 1, "SCRAM: client first");
	ok(out.data && strlen(out.data) > 10, "SCRAM: client-first sent");
	is_int(sasl_complete(c, &e), -1, "SCRAM: 235 too early refused");
	is_int(e.kind, ERR_PROTOCOL, "SCRAM: 235 too early: protocol");
	buf_release_secret(&out);
	sasl_free(c);
}

/*
 * A server-first message asking for an absurd iteration count is refused
 * before PBKDF2 runs (fuzz/regress/sasl/scram-huge-iteration-count).
 */
static void test_scram_iterations(void)
{
	static const char *const counts[] = {"2000000000", "1000001",
					     "99999999999999999999999"};
	size_t i;

	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct sasl *c = make("SCRAM-SHA-256", USER, PASS, 1, 0);
		struct buf out = BUF_INIT(SASL_RESPONSE_MAX);
		struct buf sf = BUF_INIT(1024);
		struct err e = ERR_INIT;
		char *first = NULL, *b64 = NULL, name[128];
		const char *r;
		size_t n = 0;
		int has_ir;

		sasl_start(c, "SCRAM-SHA-256", &out, &has_ir, &e);
		gsasl_base64_from(out.data, out.len, &first, &n);
		/* "n,,n=user,r=NONCE" (not NUL-terminated): echo the nonce
		 * as a server would */
		r = memmem(first, n, "r=", 2);
		buf_printf(&sf, "r=%.*sSRV,s=QSXCR+Q6sek8bf92,i=%s",
			   r ? (int)(n - (size_t)(r + 2 - first)) : 0,
			   r ? r + 2 : "", counts[i]);
		gsasl_base64_to(sf.data, sf.len, &b64, &n);
		buf_reset(&out);
		snprintf(name, sizeof(name), "SCRAM i=%s: refused", counts[i]);
		is_int(sasl_step(c, b64, n, &out, &e), -1, name);
		snprintf(name, sizeof(name), "SCRAM i=%s: protocol error",
			 counts[i]);
		is_int(e.kind, ERR_PROTOCOL, name);
		ok(strstr(e.msg, "more than 1000000 SCRAM-SHA-256 iterations"),
		   "SCRAM: the limit is named");
		gsasl_free(first);
		gsasl_free(b64);
		buf_release(&sf);
		buf_release_secret(&out);
		sasl_free(c);
	}
}

static void test_supported(void)
{
	struct buf b = BUF_INIT(1024);

	is_int(sasl_mechanisms_supported(&b), 0, "supported: listed");
	ok(b.data && strstr(b.data, "SCRAM-SHA-256-PLUS") &&
		   strstr(b.data, "PLAIN") && strstr(b.data, "XOAUTH2") &&
		   strstr(b.data, "OAUTHBEARER"),
	   "supported: SCRAM, PLAIN and the bearer mechanisms");
	ok(b.data && strncmp(b.data, "SCRAM-SHA-256-PLUS ", 19) == 0,
	   "supported: in order of preference");
	buf_release(&b);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		test_choice(&choices[i]);
	test_flags();
	for (i = 0; i < sizeof(exchanges) / sizeof(exchanges[0]); i++)
		test_exchange(&exchanges[i]);
	test_hostile();
	test_scram();
	test_early_success();
	test_scram_iterations();
	test_supported();
	return tap_done();
}
