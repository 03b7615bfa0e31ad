/*
 * tls.c - the TLS client through GnuTLS (see tls.h for the contract).
 *
 * Contract: tls_start() builds credentials and a session from a struct
 * tls_config, offers a cached session when one bound to the same name
 * and trust policy exists, and runs the handshake on a non-blocking
 * socket with poll(2) and one total timeout.  Certificate checks run in
 * a verify callback, so the trust store (system store, tls_trust_file,
 * tls_crl_file) is loaded only when a full handshake really has a
 * certificate to check; a resumed session never pays for it.  The
 * callback records its verdict (ERR_NOPERM with the reason, or
 * ERR_CONFIG for a trust file that does not load) and tls_start()
 * reports that rather than GnuTLS's generic "certificate error".  The
 * socket stays owned by the caller: tls_free() never closes it.
 */
#include "tls.h"
#include "paths.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* A saved session is a few KiB (ticket + peer chain); anything larger
 * is not ours and is ignored rather than read into memory. */
#define TLS_CACHE_MAX (64 * 1024)
/* First line of a cache file: magic, policy hash, the verified name. */
#define TLS_CACHE_MAGIC "mailhop-tls-session v1 "
/* Longest host name kept in a cache header (RFC 1035: 255 octets). */
#define TLS_NAME_MAX 255
/* Hex digits of the SHA-256 policy hash in the cache header. */
#define TLS_POLICY_HEX 64
/* Longest fingerprint: SHA-256 (32 bytes); SHA-1 is 20, MD5 16. */
#define TLS_FP_MAX 32
/* Bytes of the peer's first data kept to recognise an SMTP greeting. */
#define TLS_PEEK 4
/* One subject or issuer DN as printed (longer ones are cut). */
#define TLS_DN_MAX 512
/* One verification reason line, several reasons joined. */
#define TLS_REASON_MAX 512

struct tls {
	gnutls_session_t s;
	gnutls_certificate_credentials_t cred;
	int fd;
	int established;
	int trust_loaded;
	int has_client_cert;
	char *host; /* for messages */
	char *name; /* the name verified, also sent as SNI */
	char *cache_file;
	char policy[TLS_POLICY_HEX + 1];
	unsigned char fp[TLS_FP_MAX];
	size_t fp_len;
	unsigned char peek[TLS_PEEK];
	size_t npeek;
	struct err verr;	      /* the verify callback's verdict */
	const struct tls_config *cfg; /* only during tls_start() */
	struct buf *certinfo;	      /* only during tls_start() */
};

/* --- transport: plain send/recv on the caller's socket --------------- */

static ssize_t tls_pull(gnutls_transport_ptr_t p, void *dst, size_t len)
{
	struct tls *t = p;
	ssize_t n = recv(t->fd, dst, len, 0);
	size_t i;

	if (n < 0) {
		gnutls_transport_set_errno(t->s, errno);
		return n;
	}
	/* Remember what the peer said first: a plaintext "220 ..." means
	 * the port expects STARTTLS, which deserves its own hint. */
	for (i = 0; t->npeek < TLS_PEEK && i < (size_t)n; i++)
		t->peek[t->npeek++] = ((unsigned char *)dst)[i];
	return n;
}

static ssize_t tls_push(gnutls_transport_ptr_t p, const void *src, size_t len)
{
	struct tls *t = p;
	ssize_t n = send(t->fd, src, len, MSG_NOSIGNAL);

	if (n < 0)
		gnutls_transport_set_errno(t->s, errno);
	return n;
}

static int tls_pull_timeout(gnutls_transport_ptr_t p, unsigned int ms)
{
	struct tls *t = p;
	struct pollfd pfd = {t->fd, POLLIN, 0};
	int n = poll(&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int)ms);

	if (n < 0)
		gnutls_transport_set_errno(t->s, errno);
	return n;
}

/* --- certificate facts ----------------------------------------------- */

static void hex_colon(char *dst, const unsigned char *src, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		dst[3 * i] = hex[src[i] >> 4];
		dst[3 * i + 1] = hex[src[i] & 15];
		dst[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
	if (n == 0)
		dst[0] = '\0';
}

static void cert_fp(gnutls_x509_crt_t c, gnutls_digest_algorithm_t alg,
		    char *dst)
{
	unsigned char md[TLS_FP_MAX];
	size_t n = sizeof(md);

	if (gnutls_x509_crt_get_fingerprint(c, alg, md, &n) < 0)
		n = 0;
	hex_colon(dst, md, n);
}

static void cert_dn(gnutls_x509_crt_t c, int issuer, char *dst, size_t sz)
{
	gnutls_datum_t d = {NULL, 0};
	int r = issuer ? gnutls_x509_crt_get_issuer_dn3(c, &d, 0)
		       : gnutls_x509_crt_get_dn3(c, &d, 0);

	/* Certificate text is the server's: sanitise before printing. */
	if (r < 0)
		snprintf(dst, sz, "(unreadable)");
	else
		sanitize(dst, sz, (const char *)d.data, d.size);
	gnutls_free(d.data);
}

static void fmt_time(time_t when, char *dst, size_t sz)
{
	struct tm tm;

	if (when == (time_t)-1 || !gmtime_r(&when, &tm) ||
	    strftime(dst, sz, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(dst, sz, "(unknown)");
}

/* The four lines printed after a rejection, and per certificate by
 * tls_cert_summary() (which adds the SHA-1 fingerprint). */
static void cert_lines(struct buf *out, gnutls_x509_crt_t c, int sha1)
{
	char subj[TLS_DN_MAX], iss[TLS_DN_MAX], from[40], to[40];
	char fp[3 * TLS_FP_MAX];

	cert_dn(c, 0, subj, sizeof(subj));
	cert_dn(c, 1, iss, sizeof(iss));
	fmt_time(gnutls_x509_crt_get_activation_time(c), from, sizeof(from));
	fmt_time(gnutls_x509_crt_get_expiration_time(c), to, sizeof(to));
	cert_fp(c, GNUTLS_DIG_SHA256, fp);
	/* A full buffer only shortens what is shown; nothing to report. */
	(void)buf_printf(out,
			 "  subject: %s\n  issuer: %s\n  valid: %s to %s\n"
			 "  sha256 fingerprint: %s\n",
			 subj, iss, from, to, fp);
	if (sha1) {
		cert_fp(c, GNUTLS_DIG_SHA1, fp);
		(void)buf_printf(out, "  sha1 fingerprint: %s\n", fp);
	}
}

/* --- verification ---------------------------------------------------- */

static int load_trust(struct tls *t)
{
	const struct tls_config *c = t->cfg;
	int n;

	if (t->trust_loaded)
		return 0;
	t->trust_loaded = 1;
	if (!c->trust_file) {
		n = gnutls_certificate_set_x509_system_trust(t->cred);
		if (n <= 0)
			return err_set(&t->verr, ERR_CONFIG,
				       "cannot load the system trust store: %s",
				       n < 0 ? gnutls_strerror(n)
					     : "no certificates found");
	} else if (*c->trust_file) {
		n = gnutls_certificate_set_x509_trust_file(
			t->cred, c->trust_file, GNUTLS_X509_FMT_PEM);
		if (n <= 0)
			return err_set(&t->verr, ERR_CONFIG,
				       "cannot load tls_trust_file '%s': %s",
				       c->trust_file,
				       n < 0 ? gnutls_strerror(n)
					     : "no certificates found");
	}
	if (c->crl_file) {
		n = gnutls_certificate_set_x509_crl_file(t->cred, c->crl_file,
							 GNUTLS_X509_FMT_PEM);
		if (n <= 0)
			return err_set(&t->verr, ERR_CONFIG,
				       "cannot load tls_crl_file '%s': %s",
				       c->crl_file,
				       n < 0 ? gnutls_strerror(n)
					     : "no CRL found");
	}
	return 0;
}

static void add_reason(char *dst, size_t sz, const char *why)
{
	size_t len = strlen(dst);

	snprintf(dst + len, sz - len, "%s%s", len ? ", " : "", why);
}

/* The status bits in the order a person should fix them. */
static void verify_reason(const struct tls *t, gnutls_x509_crt_t leaf,
			  unsigned status, char *dst, size_t sz)
{
	char host[TLS_NAME_MAX + 40];
	gnutls_datum_t d = {NULL, 0};

	dst[0] = '\0';
	if (status & GNUTLS_CERT_REVOKED)
		add_reason(dst, sz, "certificate revoked");
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
		add_reason(dst, sz,
			   gnutls_x509_crt_check_issuer(leaf, leaf)
				   ? "self-signed certificate"
				   : "unknown issuer");
	if (status & GNUTLS_CERT_SIGNER_NOT_CA)
		add_reason(dst, sz, "issuer is not a CA");
	if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
		add_reason(dst, sz, "insecure algorithm");
	if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
		add_reason(dst, sz, "bad signature");
	if (status & GNUTLS_CERT_EXPIRED)
		add_reason(dst, sz, "certificate expired");
	if (status & GNUTLS_CERT_NOT_ACTIVATED)
		add_reason(dst, sz, "certificate not yet valid");
	if (status & GNUTLS_CERT_UNEXPECTED_OWNER) {
		snprintf(host, sizeof(host),
			 "wrong host: certificate not valid for '%s'", t->name);
		add_reason(dst, sz, host);
	}
	if (status & GNUTLS_CERT_PURPOSE_MISMATCH)
		add_reason(dst, sz, "certificate not for a TLS server");
	if (dst[0] || gnutls_certificate_verification_status_print(
			      status, GNUTLS_CRT_X509, &d, 0) < 0) {
		if (!dst[0])
			add_reason(dst, sz, "verification failed");
		return;
	}
	sanitize(dst, sz, (const char *)d.data, d.size);
	gnutls_free(d.data);
}

/* Record a rejection (the first one wins) and fail the handshake. */
static int reject(struct tls *t, gnutls_x509_crt_t leaf, const char *why)
{
	if (t->verr.kind == ERR_NONE && leaf && t->certinfo)
		cert_lines(t->certinfo, leaf, 0);
	err_set(&t->verr, ERR_NOPERM, "TLS certificate of '%s' rejected: %s",
		t->host, why);
	return GNUTLS_E_CERTIFICATE_ERROR;
}

static int check_pin(struct tls *t, gnutls_x509_crt_t leaf)
{
	gnutls_digest_algorithm_t alg = t->fp_len == 32	  ? GNUTLS_DIG_SHA256
					: t->fp_len == 20 ? GNUTLS_DIG_SHA1
							  : GNUTLS_DIG_MD5;
	unsigned char md[TLS_FP_MAX];
	size_t n = sizeof(md);

	if (gnutls_x509_crt_get_fingerprint(leaf, alg, md, &n) < 0 ||
	    n != t->fp_len || memcmp(md, t->fp, n) != 0)
		return reject(t, leaf, "fingerprint mismatch");
	return 0;
}

static int check_chain(struct tls *t, gnutls_x509_crt_t leaf)
{
	char why[TLS_REASON_MAX];
	unsigned status = 0;
	int r;
	gnutls_typed_vdata_st data[2] = {
		{GNUTLS_DT_DNS_HOSTNAME, (unsigned char *)t->name, 0},
		{GNUTLS_DT_KEY_PURPOSE_OID,
		 (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER, 0},
	};

	if (load_trust(t) < 0)
		return GNUTLS_E_CERTIFICATE_ERROR;
	r = gnutls_certificate_verify_peers(t->s, data, 2, &status);
	if (r < 0)
		return reject(t, leaf, gnutls_strerror(r));
	if (status == 0)
		return 0;
	verify_reason(t, leaf, status, why, sizeof(why));
	return reject(t, leaf, why);
}

/* Runs inside gnutls_handshake() once the server's chain has arrived;
 * never for a resumed session. */
static int verify_cb(gnutls_session_t s)
{
	struct tls *t = gnutls_session_get_ptr(s);
	const gnutls_datum_t *der;
	gnutls_x509_crt_t leaf = NULL;
	unsigned n = 0;
	int r;

	if (!t->cfg) /* only tls_start() handshakes */
		return GNUTLS_E_CERTIFICATE_ERROR;
	der = gnutls_certificate_get_peers(s, &n);
	if (!der || n == 0)
		return reject(t, NULL, "the server sent no certificate");
	if (gnutls_x509_crt_init(&leaf) < 0)
		return reject(t, NULL, "out of memory");
	if (gnutls_x509_crt_import(leaf, &der[0], GNUTLS_X509_FMT_DER) < 0)
		r = reject(t, NULL, "unreadable certificate");
	else if (t->fp_len) /* a pin replaces the CA and name checks */
		r = check_pin(t, leaf);
	else if (!t->cfg->certcheck)
		r = 0;
	else
		r = check_chain(t, leaf);
	gnutls_x509_crt_deinit(leaf);
	return r;
}

/* --- setup ------------------------------------------------------------ */

static int parse_fingerprint(struct tls *t, const char *s, struct err *e)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v = *s >= '0' && *s <= '9'	 ? *s - '0'
			: *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
			: *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
						 : -1;

		if (v < 0 && (*s == ':' || *s == ' ') && hi < 0)
			continue;
		if (v < 0 || (hi < 0 && n == TLS_FP_MAX))
			return err_set(e, ERR_CONFIG,
				       "invalid tls_fingerprint");
		if (hi < 0) {
			hi = v;
			continue;
		}
		t->fp[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0 || (n != 32 && n != 20 && n != 16))
		return err_set(e, ERR_CONFIG, "invalid tls_fingerprint");
	t->fp_len = n;
	return 0;
}

/* A hash of everything that decided whether the server was trusted: a
 * cached session is offered only under the same policy. */
static void make_policy(struct tls *t, const struct tls_config *c)
{
	struct buf b = BUF_INIT(4 * 4096);
	unsigned char md[32];
	size_t i;

	(void)buf_printf(&b, "check=%d\ntrust=%c%s\ncrl=%s\nfp=%s\ncert=%s\n",
			 c->certcheck, !c->trust_file ? 'S' : 'F',
			 c->trust_file ? c->trust_file : "",
			 c->crl_file ? c->crl_file : "",
			 c->fingerprint ? c->fingerprint : "",
			 c->cert_file ? c->cert_file : "");
	/* Without a policy (no memory) the cache is simply not used. */
	if (b.data &&
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, b.data, b.len, md) == 0)
		for (i = 0; i < sizeof(md); i++)
			snprintf(t->policy + 2 * i, 3, "%02x", md[i]);
	buf_release(&b);
}

static int tls_new(struct tls **out, int fd, const struct tls_config *c,
		   struct err *e)
{
	const char *name = c->host_override && *c->host_override
				   ? c->host_override
				   : c->host;
	struct tls *t = calloc(1, sizeof(*t));

	*out = t;
	if (!t)
		return err_set(e, ERR_OSERR, "out of memory");
	t->fd = fd;
	err_init(&t->verr);
	t->host = strdup(c->host);
	t->name = strdup(name);
	t->cache_file = c->cache_file ? strdup(c->cache_file) : NULL;
	if (!t->host || !t->name || (c->cache_file && !t->cache_file))
		return err_set(e, ERR_OSERR, "out of memory");
	if (c->fingerprint && *c->fingerprint &&
	    parse_fingerprint(t, c->fingerprint, e) < 0)
		return -1;
	make_policy(t, c);
	return 0;
}

static int setup_creds(struct tls *t, const struct tls_config *c, struct err *e)
{
	int r;

	if (gnutls_certificate_allocate_credentials(&t->cred) < 0)
		return err_set(e, ERR_OSERR, "out of memory");
	gnutls_certificate_set_verify_function(t->cred, verify_cb);
	if (!c->cert_file || !c->key_file)
		return 0;
	r = gnutls_certificate_set_x509_key_file(
		t->cred, c->cert_file, c->key_file, GNUTLS_X509_FMT_PEM);
	if (r < 0)
		return err_set(e, ERR_CONFIG,
			       "cannot load TLS client certificate '%s' "
			       "with key '%s': %s",
			       c->cert_file, c->key_file, gnutls_strerror(r));
	t->has_client_cert = 1;
	return 0;
}

static int is_ip_literal(const char *s)
{
	unsigned char a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

static int set_priorities(struct tls *t, const char *prio, struct err *e)
{
	const char *where = NULL;
	int r;

	if (!prio)
		return gnutls_set_default_priority(t->s) < 0
			       ? err_set(e, ERR_SOFTWARE,
					 "cannot set the TLS priorities")
			       : 0;
	r = gnutls_priority_set_direct(t->s, prio, &where);
	if (r == GNUTLS_E_INVALID_REQUEST && where)
		return err_set(e, ERR_CONFIG,
			       "invalid tls_priorities '%s' at position %d "
			       "('%s')",
			       prio, (int)(where - prio) + 1, where);
	if (r < 0)
		return err_set(e, ERR_CONFIG, "invalid tls_priorities '%s': %s",
			       prio, gnutls_strerror(r));
	return 0;
}

static int setup_session(struct tls *t, const struct tls_config *c,
			 struct err *e)
{
	if (gnutls_init(&t->s, GNUTLS_CLIENT | GNUTLS_NONBLOCK) < 0)
		return err_set(e, ERR_OSERR, "cannot create a TLS session");
	gnutls_session_set_ptr(t->s, t);
	gnutls_transport_set_ptr(t->s, t);
	gnutls_transport_set_push_function(t->s, tls_push);
	gnutls_transport_set_pull_function(t->s, tls_pull);
	gnutls_transport_set_pull_timeout_function(t->s, tls_pull_timeout);
	/* Our poll loop enforces the caller's timeout instead. */
	gnutls_handshake_set_timeout(t->s, 0);
	if (set_priorities(t, c->priorities, e) < 0)
		return -1;
	if (gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE, t->cred) < 0)
		return err_set(e, ERR_SOFTWARE, "cannot set TLS credentials");
	if (c->min_dh_prime_bits > 0)
		gnutls_dh_set_prime_bits(t->s, (unsigned)c->min_dh_prime_bits);
	/* IDN: t->name is used as given; the IDN issue turns the host into
	 * an A-label before it reaches tls_start(). */
	if (!is_ip_literal(t->name) &&
	    gnutls_server_name_set(t->s, GNUTLS_NAME_DNS, t->name,
				   strlen(t->name)) < 0)
		return err_set(e, ERR_CONFIG, "invalid TLS server name '%s'",
			       t->host);
	return 0;
}

/* --- session cache ----------------------------------------------------- */

static int cache_header(const struct tls *t, struct buf *b)
{
	if (!t->policy[0] || strlen(t->name) > TLS_NAME_MAX ||
	    strpbrk(t->name, " \r\n"))
		return -1; /* such a name is never cached */
	return buf_printf(b, "%s%s %s\n", TLS_CACHE_MAGIC, t->policy, t->name);
}

static int read_small_file(const char *path, struct buf *b)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || buf_append(b, chunk, (size_t)n) < 0)
			break;
	}
	explicit_bzero(chunk, sizeof(chunk));
	close(fd);
	return n == 0 ? 0 : -1;
}

/* Offer the cached session; anything wrong with it only costs a full
 * handshake, so it is ignored (and mentioned at -v). */
static void cache_load(struct tls *t)
{
	struct buf file = BUF_INIT(TLS_CACHE_MAX), head = BUF_INIT(1024);
	gnutls_datum_t d;
	const char *why = NULL;

	if (!t->cache_file)
		return;
	if (read_small_file(t->cache_file, &file) < 0)
		why = errno == ENOENT ? "none saved"
				      : "unreadable or too large";
	else if (cache_header(t, &head) < 0 || file.len <= head.len ||
		 memcmp(file.data, head.data, head.len) != 0)
		why = "saved for another name or policy";
	if (!why) {
		d.data = (unsigned char *)file.data + head.len;
		d.size = (unsigned)(file.len - head.len);
		if (gnutls_session_set_data(t->s, d.data, d.size) < 0)
			why = "corrupt";
	}
	if (why)
		log_debug("TLS session cache '%s' not used: %s", t->cache_file,
			  why);
	buf_release_secret(&file);
	buf_release(&head);
}

static int make_parent_dir(const char *file, struct err *e)
{
	char *dir = strdup(file), *slash;
	int r = 0;

	if (!dir)
		return err_set(e, ERR_OSERR, "out of memory");
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno == ENOENT &&
		    make_parent_dir(dir, e) == 0)
			(void)mkdir(dir, 0700);
		if (access(dir, W_OK) < 0)
			r = err_set(e, ERR_IOERR,
				    "cannot create directory '%s': %s", dir,
				    strerror(errno));
	}
	free(dir);
	return r;
}

static int cache_write(const char *file, const struct buf *head,
		       const gnutls_datum_t *d, struct err *e)
{
	struct buf tmp = BUF_INIT(4096);
	int fd, r = -1;

	if (buf_printf(&tmp, "%s.tmp-%ld", file, (long)getpid()) < 0) {
		buf_release(&tmp);
		return err_set(e, ERR_OSERR, "out of memory");
	}
	(void)unlink(tmp.data); /* a leftover of a crashed run, same pid */
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0 && write_all(fd, head->data, head->len) == 0 &&
	    write_all(fd, d->data, d->size) == 0 && close(fd) == 0) {
		fd = -1;
		r = rename(tmp.data, file);
	}
	if (r < 0) {
		err_set(e, ERR_IOERR, "cannot write TLS session cache '%s': %s",
			file, strerror(errno));
		if (fd >= 0)
			close(fd);
		(void)unlink(tmp.data);
	}
	buf_release(&tmp);
	return r;
}

/*
 * With TLS 1.3 the ticket arrives after the handshake, so the caller
 * calls this once it has read the first reply sent over TLS; before
 * the ticket there is nothing worth saving and the file is left alone.
 */
int tls_save_session(struct tls *t, struct err *e)
{
	struct buf head = BUF_INIT(1024);
	gnutls_datum_t d = {NULL, 0};
	int r;

	if (!t || !t->cache_file || !t->established)
		return 0;
	if (gnutls_protocol_get_version(t->s) == GNUTLS_TLS1_3 &&
	    !(gnutls_session_get_flags(t->s) & GNUTLS_SFLAGS_SESSION_TICKET)) {
		log_debug("TLS session not cached: no ticket received yet");
		return 0;
	}
	if (cache_header(t, &head) < 0)
		return 0;
	r = gnutls_session_get_data2(t->s, &d);
	if (r < 0) {
		buf_release(&head);
		return err_set(e, ERR_SOFTWARE,
			       "cannot export the TLS session: %s",
			       gnutls_strerror(r));
	}
	r = make_parent_dir(t->cache_file, e);
	if (r == 0)
		r = cache_write(t->cache_file, &head, &d, e);
	explicit_bzero(d.data, d.size);
	gnutls_free(d.data);
	buf_release(&head);
	return r;
}

/* --- handshake --------------------------------------------------------- */

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000L +
	       (now.tv_nsec - start->tv_nsec) / 1000000L;
}

/* An SMTP reply code ("220 " or "220-") where a TLS record should be. */
static int peer_spoke_smtp(const struct tls *t)
{
	const unsigned char *p = t->peek;

	return t->npeek == TLS_PEEK && p[0] >= '1' && p[0] <= '5' &&
	       p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
	       (p[3] == ' ' || p[3] == '-' || p[3] == '\r');
}

/* A fatal alert from the server, with a hint for the one a user can
 * fix in the rc file. */
static int alert_error(struct tls *t, const char *what, struct err *e)
{
	gnutls_alert_description_t a = gnutls_alert_get(t->s);
	const char *name = gnutls_alert_get_name(a);

	int want = a == GNUTLS_A_CERTIFICATE_REQUIRED ||
		   (gnutls_certificate_client_get_request_status(t->s) &&
		    !t->has_client_cert);

	return err_set(e, ERR_TEMPFAIL,
		       "%s '%s' failed: the server sent the alert '%s'%s", what,
		       t->host, name ? name : "unknown",
		       want ? " (it wants a client certificate: set "
			      "tls_cert_file and tls_key_file)"
			    : "");
}

static int handshake_error(struct tls *t, int r, struct err *e)
{
	if (t->verr.kind != ERR_NONE)
		return err_set(e, t->verr.kind, "%s", t->verr.msg);
	if (peer_spoke_smtp(t))
		return err_set(e, ERR_TEMPFAIL,
			       "TLS handshake with '%s' failed: the server "
			       "speaks plain SMTP first: set tls_starttls on "
			       "(port 587 or 25)",
			       t->host);
	if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
		return alert_error(t, "TLS handshake with", e);
	return err_set(e, ERR_TEMPFAIL, "TLS handshake with '%s' failed: %s",
		       t->host, gnutls_strerror(r));
}

static int handshake(struct tls *t, int timeout_ms, struct err *e)
{
	struct timespec start;
	struct pollfd pfd;
	long left;
	int r, n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		r = gnutls_handshake(t->s);
		if (r == GNUTLS_E_SUCCESS)
			return 0;
		if (gnutls_error_is_fatal(r))
			return handshake_error(t, r, e);
		left = timeout_ms - elapsed_ms(&start);
		if (left <= 0)
			break;
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
			continue; /* a warning alert: carry on */
		pfd.fd = t->fd;
		pfd.events = tls_poll_events(t);
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno != EINTR)
			return err_set(e, ERR_OSERR, "poll: %s",
				       strerror(errno));
		if (n == 0)
			break;
	}
	return err_set(e, ERR_TEMPFAIL,
		       "TLS handshake with '%s' failed: timed out after %d ms",
		       t->host, timeout_ms);
}

int tls_start(struct tls **out, int fd, const struct tls_config *cfg,
	      int timeout_ms, struct buf *certinfo, struct err *e)
{
	struct tls *t = NULL;
	int r = -1;

	*out = NULL;
	if (tls_new(&t, fd, cfg, e) < 0)
		goto out;
	t->cfg = cfg;
	t->certinfo = certinfo;
	if (setup_creds(t, cfg, e) < 0 || setup_session(t, cfg, e) < 0)
		goto out;
	cache_load(t);
	if (handshake(t, timeout_ms, e) < 0)
		goto out;
	t->established = 1;
	if (gnutls_session_is_resumed(t->s))
		log_debug("TLS session resumed");
	r = 0;
out:
	if (t) {
		t->cfg = NULL;
		t->certinfo = NULL;
	}
	if (r < 0)
		tls_free(t);
	else
		*out = t;
	return r;
}

/* --- records ---------------------------------------------------------- */

static ssize_t io_error(struct tls *t, ssize_t r, struct err *e)
{
	if (r == 0 || r == GNUTLS_E_PREMATURE_TERMINATION)
		return err_set(e, ERR_TEMPFAIL, "connection to '%s' lost",
			       t->host);
	if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
		return alert_error(t, "TLS connection to", e);
	return err_set(e, ERR_TEMPFAIL, "TLS connection to '%s' failed: %s",
		       t->host, gnutls_strerror((int)r));
}

ssize_t tls_send(struct tls *t, const void *data, size_t len, struct err *e)
{
	ssize_t r;

	if (len == 0)
		return 0;
	r = gnutls_record_send(t->s, data, len);
	if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
		return 0;
	if (r <= 0)
		return io_error(t, r < 0 ? r : GNUTLS_E_INTERNAL_ERROR, e);
	return r;
}

ssize_t tls_recv(struct tls *t, void *dst, size_t len, struct err *e)
{
	ssize_t r;

	for (;;) {
		r = gnutls_record_recv(t->s, dst, len);
		if (r > 0)
			return r;
		if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
			return 0;
		/* A renegotiation request or a warning alert: ignore it
		 * (each one consumed a record, so this ends). */
		if (r < 0 && !gnutls_error_is_fatal((int)r))
			continue;
		return io_error(t, r, e);
	}
}

short tls_poll_events(const struct tls *t)
{
	return gnutls_record_get_direction(t->s) ? POLLOUT : POLLIN;
}

size_t tls_pending(const struct tls *t)
{
	return gnutls_record_check_pending(t->s);
}

int tls_resumed(const struct tls *t)
{
	return gnutls_session_is_resumed(t->s) ? 1 : 0;
}

/*
 * RFC 9266 defines tls-exporter for TLS 1.3 (tls-unique does not exist
 * there).  For TLS 1.2, tls-unique (RFC 5929) is only offered when the
 * extended master secret was negotiated: without it a resumed session
 * is open to the triple handshake attack (RFC 7627 §1).
 */
enum tls_cb tls_channel_binding(const struct tls *t, struct buf *out)
{
	gnutls_protocol_t v = gnutls_protocol_get_version(t->s);
	gnutls_channel_binding_t type;
	gnutls_datum_t cb = {NULL, 0};
	enum tls_cb r;
	int ok;

	if (v == GNUTLS_TLS1_3) {
		type = GNUTLS_CB_TLS_EXPORTER;
		r = TLS_CB_EXPORTER;
	} else if (v == GNUTLS_TLS1_2 && (gnutls_session_get_flags(t->s) &
					  GNUTLS_SFLAGS_EXT_MASTER_SECRET)) {
		type = GNUTLS_CB_TLS_UNIQUE;
		r = TLS_CB_UNIQUE;
	} else {
		return TLS_CB_NONE;
	}
	if (gnutls_session_channel_binding(t->s, type, &cb) < 0)
		return TLS_CB_NONE;
	ok = buf_append(out, cb.data, cb.size) == 0;
	gnutls_free(cb.data);
	return ok ? r : TLS_CB_NONE;
}

void tls_describe(const struct tls *t, struct buf *out)
{
	const char *v =
		gnutls_protocol_get_name(gnutls_protocol_get_version(t->s));
	const char *c = gnutls_cipher_get_name(gnutls_cipher_get(t->s));

	(void)buf_printf(out, "%s, %s", v ? v : "unknown",
			 c ? c : "unknown cipher");
}

void tls_cert_summary(const struct tls *t, struct buf *out)
{
	const gnutls_datum_t *der;
	gnutls_x509_crt_t c;
	unsigned i, n = 0;

	der = gnutls_certificate_get_peers(t->s, &n);
	if (!der || n == 0) {
		(void)buf_puts(out, "no certificate\n");
		return;
	}
	for (i = 0; i < n; i++) {
		(void)buf_printf(out, "certificate %u of %u:\n", i + 1, n);
		if (gnutls_x509_crt_init(&c) < 0)
			return;
		if (gnutls_x509_crt_import(c, &der[i], GNUTLS_X509_FMT_DER) < 0)
			(void)buf_puts(out, "  (unreadable)\n");
		else
			cert_lines(out, c, 1);
		gnutls_x509_crt_deinit(c);
	}
}

void tls_free(struct tls *t)
{
	if (!t)
		return;
	if (t->s) {
		/* Best effort close_notify; a full socket just drops it. */
		if (t->established)
			(void)gnutls_bye(t->s, GNUTLS_SHUT_WR);
		gnutls_deinit(t->s);
	}
	if (t->cred)
		gnutls_certificate_free_credentials(t->cred);
	free(t->host);
	free(t->name);
	free(t->cache_file);
	free(t);
}
