/*
 * sasl.c - SASL client over libgsasl (see sasl.h for the contract).
 *
 * One table (mechs[]) says what each mechanism needs and allows; its
 * order is the preference of "auth on".  libgsasl asks for what a
 * mechanism needs through one callback (sasl_cb()), which answers from
 * the struct sasl: the secret only once sasl_set_secret() gave it, the
 * channel binding only to a -PLUS mechanism.  Base64 always comes from
 * the library (gsasl_base64_to/_from, strict as RFC 4954 §4 asks).
 */
#include "sasl.h"

#include <errno.h>
#include <gsasl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Mechanism properties (struct mech.flags). */
#define M_CHOOSE    0x001 /* "auth on" may pick it (table order) */
#define M_SECRET    0x002 /* needs the password or bearer token */
#define M_PLAINTEXT 0x004 /* shows the secret to an eavesdropper */
#define M_IR	    0x008 /* the client speaks first */
#define M_ONE_RT    0x010 /* one round trip, no security layer */
#define M_PLUS	    0x020 /* needs TLS channel binding */
#define M_MUTUAL    0x040 /* the server proves itself before 235 */
#define M_BEARER    0x080 /* OAuth2 bearer, built here */
#define M_USER	    0x100 /* needs a user name */

/* Room for the server's sanitised bearer error report. */
#define SASL_DETAIL_MAX 256

static const struct mech {
	const char *name;
	unsigned flags;
} mechs[] = {
	/* "auth on" preference, strongest first (team decision, issue 4) */
	{"SCRAM-SHA-256-PLUS",
	 M_CHOOSE | M_SECRET | M_IR | M_PLUS | M_MUTUAL | M_USER},
	{"SCRAM-SHA-1-PLUS",
	 M_CHOOSE | M_SECRET | M_IR | M_PLUS | M_MUTUAL | M_USER},
	{"SCRAM-SHA-256", M_CHOOSE | M_SECRET | M_IR | M_MUTUAL | M_USER},
	{"SCRAM-SHA-1", M_CHOOSE | M_SECRET | M_IR | M_MUTUAL | M_USER},
	{"PLAIN", M_CHOOSE | M_SECRET | M_PLAINTEXT | M_IR | M_ONE_RT | M_USER},
	{"CRAM-MD5", M_CHOOSE | M_SECRET | M_USER},
	{"LOGIN", M_CHOOSE | M_SECRET | M_PLAINTEXT | M_USER},
	/* only when named by "auth METHOD" */
	{"DIGEST-MD5", M_SECRET | M_USER},
	{"EXTERNAL", M_IR | M_ONE_RT},
	{"GSSAPI", M_IR},
	{"NTLM", M_SECRET | M_USER},
	{"OAUTHBEARER", M_SECRET | M_PLAINTEXT | M_IR | M_BEARER | M_USER},
	{"XOAUTH2", M_SECRET | M_PLAINTEXT | M_IR | M_BEARER | M_USER},
};

#define NMECHS (sizeof(mechs) / sizeof(mechs[0]))

struct sasl {
	Gsasl *ctx;
	Gsasl_session *sess;
	const struct mech *mech; /* started mechanism */
	char *method, *user, *server, *host, *ntlmdomain;
	int port;
	char *secret;
	int encrypted;
	enum sasl_cb cb_type;
	char *cb_b64; /* channel binding, base64 (what libgsasl wants) */
	int done;     /* the mechanism finished on our side */
	int rejected; /* a bearer token was refused */
	char detail[SASL_DETAIL_MAX];
};

/* ------------------------------------------------------------ helpers */

static const struct mech *mech_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NMECHS; i++)
		if (strcasecmp(mechs[i].name, name) == 0)
			return &mechs[i];
	return NULL;
}

static unsigned mech_flags(const char *name)
{
	const struct mech *m = mech_find(name);

	return m ? m->flags : 0;
}

int sasl_needs_secret(const char *mech)
{
	return (mech_flags(mech) & M_SECRET) != 0;
}

int sasl_pipelinable(const char *mech)
{
	return (mech_flags(mech) & (M_IR | M_ONE_RT)) == (M_IR | M_ONE_RT);
}

int sasl_is_bearer(const char *mech)
{
	return (mech_flags(mech) & M_BEARER) != 0;
}

static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

static void free_secret(char **p)
{
	if (*p) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

/* Zero and free what libgsasl returned (it may hold a secret). */
static void gfree_secret(char *p, size_t len)
{
	if (p) {
		explicit_bzero(p, len);
		gsasl_free(p);
	}
}

static int supported(const struct sasl *x, const struct mech *m)
{
	return (m->flags & M_BEARER) || gsasl_client_support_p(x->ctx, m->name);
}

/* Is name one of the space-separated words of list (any case)? */
static int offered_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p) {
		size_t w = strcspn(p, " ");

		if (w == n && strncasecmp(p, name, n) == 0)
			return 1;
		p += w;
		p += *p == ' ';
	}
	return 0;
}

static const char *server_name(const struct sasl *x)
{
	return x->server ? x->server : "the server";
}

/* ------------------------------------------------------------ callback */

static int set_prop(Gsasl_session *s, Gsasl_property p, const char *v)
{
	return v ? gsasl_property_set(s, p, v) : GSASL_NO_CALLBACK;
}

static int sasl_cb(Gsasl *ctx, Gsasl_session *s, Gsasl_property p)
{
	struct sasl *x = gsasl_callback_hook_get(ctx);
	int plus = x->mech && (x->mech->flags & M_PLUS);

	switch (p) {
	case GSASL_AUTHID:
		return set_prop(s, p, x->user);
	case GSASL_PASSWORD:
		return set_prop(s, p, x->secret);
	case GSASL_SERVICE: /* RFC 4954 §4: the service name is "smtp" */
		return gsasl_property_set(s, p, "smtp");
	case GSASL_HOSTNAME:
		return set_prop(s, p, x->host);
	case GSASL_REALM:
		return set_prop(s, p, x->ntlmdomain);
	case GSASL_QOP: /* authentication only: no security layer */
		return gsasl_property_set(s, p, "qop-auth");
	case GSASL_CB_TLS_EXPORTER:
		/*
		 * Only a -PLUS mechanism gets the binding: libgsasl 2.2
		 * fails a plain SCRAM that is offered one.
		 */
		return set_prop(s, p,
				plus && x->cb_type == SASL_CB_TLS_EXPORTER
					? x->cb_b64
					: NULL);
	case GSASL_CB_TLS_UNIQUE:
		return set_prop(s, p,
				plus && x->cb_type == SASL_CB_TLS_UNIQUE
					? x->cb_b64
					: NULL);
	default: /* no authorization identity ("authzid none") */
		return GSASL_NO_CALLBACK;
	}
}

/* ------------------------------------------------------------ public */

struct sasl *sasl_new(const struct sasl_params *p, struct err *e)
{
	struct sasl *x = calloc(1, sizeof(*x));

	if (!x) {
		err_set(e, ERR_OSERR, "out of memory");
		return NULL;
	}
	if (gsasl_init(&x->ctx) != GSASL_OK) {
		free(x);
		err_set(e, ERR_SOFTWARE, "cannot initialise GNU SASL");
		return NULL;
	}
	gsasl_callback_set(x->ctx, sasl_cb);
	gsasl_callback_hook_set(x->ctx, x);
	x->port = p->port;
	if (dup_opt(&x->method, p->method) < 0 ||
	    dup_opt(&x->user, p->user) < 0 ||
	    dup_opt(&x->server, p->server) < 0 ||
	    dup_opt(&x->host, p->host) < 0 ||
	    dup_opt(&x->ntlmdomain, p->ntlmdomain) < 0) {
		sasl_free(x);
		err_set(e, ERR_OSERR, "out of memory");
		return NULL;
	}
	return x;
}

void sasl_free(struct sasl *x)
{
	if (!x)
		return;
	if (x->sess)
		gsasl_finish(x->sess);
	gsasl_done(x->ctx);
	free_secret(&x->secret);
	free_secret(&x->cb_b64);
	free(x->method);
	free(x->user);
	free(x->server);
	free(x->host);
	free(x->ntlmdomain);
	free(x);
}

int sasl_set_tls(struct sasl *x, enum sasl_cb type, const void *data,
		 size_t len, struct err *e)
{
	size_t n;

	x->encrypted = 1;
	free_secret(&x->cb_b64);
	x->cb_type = SASL_CB_NONE;
	if (type == SASL_CB_NONE || !data || len == 0)
		return 0;
	if (gsasl_base64_to(data, len, &x->cb_b64, &n) != GSASL_OK)
		return err_set(e, ERR_OSERR, "out of memory");
	x->cb_type = type;
	return 0;
}

int sasl_set_secret(struct sasl *x, const char *secret, struct err *e)
{
	free_secret(&x->secret);
	if (dup_opt(&x->secret, secret) < 0)
		return err_set(e, ERR_OSERR, "out of memory");
	return 0;
}

/* Why "auth on" cannot use m here, or NULL when it can. */
static const char *unusable(const struct sasl *x, const struct mech *m)
{
	if (!supported(x, m))
		return "is not supported by the installed GNU SASL library";
	if ((m->flags & M_PLUS) && x->cb_type == SASL_CB_NONE)
		return "needs TLS channel binding, which this connection "
		       "does not provide";
	return NULL;
}

/* Before any secret is fetched: the chosen mechanism has its user. */
static int chosen(struct sasl *x, const struct mech *m, const char **mech,
		  struct err *e)
{
	if ((m->flags & M_USER) && !x->user)
		return err_set(e, ERR_CONFIG,
			       "authentication method %s needs a user name "
			       "(set user)",
			       m->name);
	*mech = m->name;
	return 0;
}

static int choose_explicit(struct sasl *x, const char *offered,
			   const char **mech, struct err *e)
{
	const struct mech *m = mech_find(x->method);
	const char *why;

	if (!m)
		return err_set(e, ERR_UNAVAILABLE,
			       "authentication method '%s' is not supported",
			       x->method);
	why = unusable(x, m);
	if (why)
		return err_set(e, ERR_UNAVAILABLE,
			       "authentication method %s %s", m->name, why);
	if (!offered_has(offered, m->name))
		return err_set(e, ERR_UNAVAILABLE,
			       "server '%s' does not offer authentication "
			       "method %s (offered: %s)",
			       server_name(x), m->name, offered);
	return chosen(x, m, mech, e);
}

int sasl_choose(struct sasl *x, const char *offered, const char **mech,
		struct err *e)
{
	size_t i;
	int held_back = 0;

	*mech = NULL;
	if (!offered || !*offered)
		return err_set(e, ERR_UNAVAILABLE,
			       "server '%s' does not offer authentication",
			       server_name(x));
	if (x->method)
		return choose_explicit(x, offered, mech, e);
	for (i = 0; i < NMECHS; i++) {
		const struct mech *m = &mechs[i];

		if (!(m->flags & M_CHOOSE) || !offered_has(offered, m->name) ||
		    unusable(x, m))
			continue;
		if ((m->flags & M_PLAINTEXT) && !x->encrypted) {
			held_back = 1;
			continue;
		}
		return chosen(x, m, mech, e);
	}
	return err_set(e, ERR_UNAVAILABLE,
		       "server '%s' offers no authentication method mailhop "
		       "may use (offered: %s)%s",
		       server_name(x), offered,
		       held_back ? "; PLAIN and LOGIN need TLS (tls on) or "
				   "an explicit auth method"
				 : "");
}

/* Map a libgsasl failure to our error kinds. */
static int gsasl_fail(struct sasl *x, int rc, struct err *e)
{
	const char *name = x->mech ? x->mech->name : "SASL";

	switch (rc) {
	case GSASL_MALLOC_ERROR:
		return err_set(e, ERR_OSERR, "out of memory");
	case GSASL_MECHANISM_PARSE_ERROR:
	case GSASL_BASE64_ERROR:
		return err_set(e, ERR_PROTOCOL,
			       "malformed %s challenge from server '%s'", name,
			       server_name(x));
	case GSASL_AUTHENTICATION_ERROR:
		return err_set(e, ERR_NOPERM,
			       "authentication failed: server '%s' did not "
			       "prove it knows the credentials (%s)",
			       server_name(x), name);
	case GSASL_NO_AUTHID:
		return err_set(e, ERR_CONFIG,
			       "authentication method %s needs a user name "
			       "(set user)",
			       name);
	case GSASL_NO_PASSWORD:
		return err_set(e, ERR_CONFIG,
			       "authentication method %s needs a password",
			       name);
	default:
		return err_set(e, ERR_NOPERM, "authentication failed: %s: %s",
			       name, gsasl_strerror(rc));
	}
}

/* Append raw bytes as base64 to out. */
static int put_b64(const char *raw, size_t len, struct buf *out, struct err *e)
{
	char *b64 = NULL;
	size_t n = 0;
	int r, oom;

	if (gsasl_base64_to(raw, len, &b64, &n) != GSASL_OK)
		return err_set(e, ERR_OSERR, "out of memory");
	r = buf_append(out, b64, n);
	oom = r < 0 && errno == ENOMEM;
	gfree_secret(b64, n);
	if (oom)
		return err_set(e, ERR_OSERR, "out of memory");
	if (r < 0)
		return err_set(e, ERR_DATAERR,
			       "authentication response longer than %d octets",
			       SASL_RESPONSE_MAX);
	return 0;
}

/* RFC 5801 §4 saslname: ',' and '=' escaped as =2C and =3D. */
static int put_saslname(struct buf *b, const char *s)
{
	int r = 0;

	for (; *s; s++)
		r |= *s == ','	 ? buf_puts(b, "=2C")
		     : *s == '=' ? buf_puts(b, "=3D")
				 : buf_putc(b, *s);
	return r;
}

/*
 * The bearer initial responses (libgsasl 2.2 has neither mechanism):
 * XOAUTH2 (Google's and Microsoft's documentation):
 *     "user=" U ^A "auth=Bearer " T ^A ^A
 * OAUTHBEARER (RFC 7628 §3.1):
 *     "n,a=" U "," ^A ["host=" H ^A] ["port=" P ^A] "auth=Bearer " T ^A ^A
 */
static int bearer_ir(struct sasl *x, struct buf *ir, struct err *e)
{
	struct buf raw = BUF_INIT(SASL_RESPONSE_MAX);
	int bad = 0, r;

	if (!x->user || !x->secret)
		return err_set(e, ERR_CONFIG,
			       "authentication method %s needs a user name and "
			       "an access token",
			       x->mech->name);
	if (strcmp(x->mech->name, "XOAUTH2") == 0) {
		bad |= buf_printf(&raw, "user=%s\001", x->user);
	} else {
		bad |= buf_puts(&raw, "n,a=") | put_saslname(&raw, x->user) |
		       buf_puts(&raw, ",\001");
		if (x->host)
			bad |= buf_printf(&raw, "host=%s\001", x->host);
		if (x->port > 0)
			bad |= buf_printf(&raw, "port=%d\001", x->port);
	}
	bad |= buf_printf(&raw, "auth=Bearer %s\001\001", x->secret);
	if (bad)
		r = err_set_buf(e, ERR_DATAERR,
				"authentication response longer than %d octets",
				SASL_RESPONSE_MAX);
	else
		r = put_b64(raw.data, raw.len, ir, e);
	buf_release_secret(&raw);
	x->done = r == 0;
	return r;
}

/* One libgsasl step on raw input; the output goes to out as base64. */
static int gstep(struct sasl *x, const char *in, size_t inlen, struct buf *out,
		 struct err *e)
{
	char *o = NULL;
	size_t olen = 0;
	int rc = gsasl_step(x->sess, in, inlen, &o, &olen), r;

	if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE) {
		gfree_secret(o, olen);
		return gsasl_fail(x, rc, e);
	}
	x->done = rc == GSASL_OK;
	r = put_b64(o ? o : "", olen, out, e);
	gfree_secret(o, olen);
	return r;
}

int sasl_start(struct sasl *x, const char *mech, struct buf *ir, int *has_ir,
	       struct err *e)
{
	const struct mech *m = mech_find(mech);
	int rc;

	*has_ir = 0;
	if (!m || x->mech)
		return err_set(e, ERR_SOFTWARE, "SASL started out of sequence");
	x->mech = m;
	if ((m->flags & M_USER) && !x->user)
		return err_set(e, ERR_CONFIG,
			       "authentication method %s needs a user name "
			       "(set user)",
			       m->name);
	if (m->flags & M_BEARER) {
		*has_ir = 1;
		return bearer_ir(x, ir, e);
	}
	rc = gsasl_client_start(x->ctx, m->name, &x->sess);
	if (rc != GSASL_OK)
		return gsasl_fail(x, rc, e);
	if (!(m->flags & M_IR))
		return 0;
	*has_ir = 1;
	return gstep(x, NULL, 0, ir, e);
}

/*
 * A bearer challenge after the initial response is the server's error
 * report (JSON); answer so that the server can send its final 535.
 */
static int bearer_error(struct sasl *x, const char *raw, size_t len,
			struct buf *response, struct err *e)
{
	x->rejected = 1;
	sanitize(x->detail, sizeof(x->detail), raw, len);
	if (strcmp(x->mech->name, "OAUTHBEARER") == 0)
		return put_b64("\001", 1, response, e); /* RFC 7628 §3.2.3 */
	return 0; /* XOAUTH2: an empty line */
}

/*
 * Decode a base64 challenge into a NUL-terminated copy (*raw, malloc'd;
 * the NUL is not counted in *rawlen).  gsasl_base64_from() does not
 * terminate its output, and libgsasl 2.2's DIGEST-MD5 client reads the
 * challenge with string functions despite its length: without the NUL
 * a hostile challenge made it read past the buffer
 * (fuzz/regress/sasl/digest-md5-unterminated-challenge).
 * -1: not base64; -2: out of memory.
 */
static int decode_challenge(const char *b64, size_t len, char **raw,
			    size_t *rawlen)
{
	char *d = NULL;
	size_t n = 0;

	*raw = NULL;
	*rawlen = 0;
	if (gsasl_base64_from(b64, len, &d, &n) != GSASL_OK)
		return -1;
	*raw = malloc(n + 1);
	if (*raw) {
		if (n)
			memcpy(*raw, d, n);
		(*raw)[n] = '\0';
		*rawlen = n;
	}
	gfree_secret(d, n);
	return *raw ? 0 : -2;
}

/*
 * The "i=" attribute of a SCRAM server-first message (RFC 5802 §7),
 * anything above SASL_SCRAM_ITER_MAX as SASL_SCRAM_ITER_MAX + 1; 0 when
 * there is none.
 */
static unsigned long scram_iterations(const char *p, size_t n)
{
	size_t i = 0, end, k;
	unsigned long v = 0;

	for (; i < n; i = end + 1) {
		for (end = i; end < n && p[end] != ','; end++)
			;
		if (end - i < 2 || p[i] != 'i' || p[i + 1] != '=')
			continue;
		for (k = i + 2; k < end && p[k] >= '0' && p[k] <= '9'; k++) {
			v = v * 10 + (unsigned long)(p[k] - '0');
			if (v > SASL_SCRAM_ITER_MAX)
				return SASL_SCRAM_ITER_MAX + 1;
		}
		return v;
	}
	return 0;
}

int sasl_step(struct sasl *x, const char *challenge, size_t len,
	      struct buf *response, struct err *e)
{
	char *raw = NULL;
	size_t rawlen = 0;
	int r;

	if (!x->mech)
		return err_set(e, ERR_SOFTWARE, "SASL step before the start");
	if (x->done && !((x->mech->flags & M_BEARER) && !x->rejected))
		return err_set(e, ERR_PROTOCOL,
			       "server '%s' sent a %s challenge after the "
			       "exchange ended",
			       server_name(x), x->mech->name);
	/* 4 base64 characters per 3 octets: reject before decoding. */
	if (len / 4 * 3 > SASL_CHALLENGE_MAX)
		return err_set(e, ERR_PROTOCOL,
			       "%s challenge from server '%s' is larger than "
			       "%d octets",
			       x->mech->name, server_name(x),
			       SASL_CHALLENGE_MAX);
	r = decode_challenge(challenge, len, &raw, &rawlen);
	if (r == -2)
		return err_set(e, ERR_OSERR, "out of memory");
	if (r < 0)
		return err_set(e, ERR_PROTOCOL,
			       "%s challenge from server '%s' is not valid "
			       "base64",
			       x->mech->name, server_name(x));
	if (x->mech->flags & M_BEARER)
		r = bearer_error(x, raw, rawlen, response, e);
	else if (strncmp(x->mech->name, "SCRAM-", 6) == 0 &&
		 scram_iterations(raw, rawlen) > SASL_SCRAM_ITER_MAX)
		r = err_set(e, ERR_PROTOCOL,
			    "server '%s' asks for more than %d %s iterations",
			    server_name(x), SASL_SCRAM_ITER_MAX, x->mech->name);
	else
		r = gstep(x, raw, rawlen, response, e);
	explicit_bzero(raw, rawlen);
	free(raw);
	return r;
}

int sasl_complete(struct sasl *x, struct err *e)
{
	if (x->mech && (x->mech->flags & M_MUTUAL) && !x->done)
		return err_set(e, ERR_PROTOCOL,
			       "server '%s' accepted %s authentication before "
			       "proving it knows the credentials",
			       server_name(x), x->mech->name);
	return 0;
}

int sasl_rejected(const struct sasl *x)
{
	return x->rejected;
}

const char *sasl_detail(const struct sasl *x)
{
	return x->detail;
}

int sasl_mechanisms_supported(struct buf *out)
{
	struct sasl x;
	size_t i;
	int r = 0;

	memset(&x, 0, sizeof(x));
	if (gsasl_init(&x.ctx) != GSASL_OK)
		return -1;
	for (i = 0; i < NMECHS; i++)
		if (supported(&x, &mechs[i]))
			r |= buf_printf(out, "%s%s", out->len ? " " : "",
					mechs[i].name);
	gsasl_done(x.ctx);
	return r;
}
