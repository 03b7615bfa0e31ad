/*
 * test_tls.c - tls.c against a real GnuTLS server in a forked child.
 *
 * A test PKI is made at test time with GnuTLS's x509 API (ECDSA P-256,
 * fast): a CA, a good server certificate for "mail.test" and 127.0.0.1,
 * expired, not yet valid, wrong host, self-signed, unknown CA, revoked
 * (with a CRL) and a client certificate; the files tls.c reads are
 * written to a private temp directory.  Each case forks a server on one
 * end of a socketpair, runs tls_start() on the other, and checks the
 * error kind and text, the certificate lines, and what the server saw
 * (SNI, resumption, client certificate), which the child reports over a
 * pipe.  The verification cases are a table.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "log.h"
#include "tap.h"
#include "tls.h"

#define DAY	   (24 * 3600L)
#define TIMEOUT_MS 5000 /* generous: a loaded CI box must not flake */
#define GREETING   "220 ready\r\n"
#define S2C_BYTES  5000 /* server-to-client data in SRV_DATA */
#define C2S_BYTES  7000 /* client-to-server data in SRV_DATA */
#define REPORT_MAX 512

enum {
	C_GOOD,
	C_EXPIRED,
	C_FUTURE,
	C_WRONGHOST,
	C_SELF,
	C_UNKNOWN,
	C_REVOKED,
	C_CLIENT,
	C_N
};

static struct {
	gnutls_x509_privkey_t cakey, otherkey, leafkey;
	gnutls_x509_crt_t ca, other, crt[C_N];
	gnutls_datum_t ticket_key;
	char dir[64];
	char ca_pem[128], crl_pem[128], client_pem[128], clientkey_pem[128];
	char cache[128], missing[128];
} pki;

/* --- test PKI ------------------------------------------------------- */

struct spec {
	const char *dn;
	const char *dns; /* subjectAltName dNSName, or NULL */
	int ip;		 /* add iPAddress 127.0.0.1 */
	long from, to;	 /* validity relative to now, seconds */
	int ca;
	unsigned char serial;
};

static gnutls_x509_privkey_t mkkey(void)
{
	gnutls_x509_privkey_t k;

	gnutls_x509_privkey_init(&k);
	if (gnutls_x509_privkey_generate(
		    k, GNUTLS_PK_ECDSA,
		    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0)
		abort();
	return k;
}

static gnutls_x509_crt_t mkcert(const struct spec *s, gnutls_x509_privkey_t key,
				gnutls_x509_crt_t issuer,
				gnutls_x509_privkey_t ikey)
{
	static const unsigned char lo[4] = {127, 0, 0, 1};
	gnutls_x509_crt_t c;
	time_t now = time(NULL);
	int r = 0;

	gnutls_x509_crt_init(&c);
	r |= gnutls_x509_crt_set_version(c, 3);
	r |= gnutls_x509_crt_set_serial(c, &s->serial, 1);
	r |= gnutls_x509_crt_set_activation_time(c, now + s->from);
	r |= gnutls_x509_crt_set_expiration_time(c, now + s->to);
	r |= gnutls_x509_crt_set_dn(c, s->dn, NULL);
	r |= gnutls_x509_crt_set_key(c, key);
	r |= gnutls_x509_crt_set_basic_constraints(c, s->ca, -1);
	r |= gnutls_x509_crt_set_key_usage(
		c, s->ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
			 : GNUTLS_KEY_DIGITAL_SIGNATURE);
	if (s->dns)
		r |= gnutls_x509_crt_set_subject_alt_name(
			c, GNUTLS_SAN_DNSNAME, s->dns, strlen(s->dns),
			GNUTLS_FSAN_APPEND);
	if (s->ip)
		r |= gnutls_x509_crt_set_subject_alt_name(
			c, GNUTLS_SAN_IPADDRESS, lo, 4, GNUTLS_FSAN_APPEND);
	r |= gnutls_x509_crt_sign2(c, issuer ? issuer : c, issuer ? ikey : key,
				   GNUTLS_DIG_SHA256, 0);
	if (r < 0)
		abort();
	return c;
}

static void write_datum(const char *path, const gnutls_datum_t *d)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(d->data, 1, d->size, f) != d->size || fclose(f))
		abort();
}

static void write_crt(const char *path, gnutls_x509_crt_t c)
{
	gnutls_datum_t d;

	if (gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_PEM, &d) < 0)
		abort();
	write_datum(path, &d);
	gnutls_free(d.data);
}

static void write_crl(const char *path)
{
	gnutls_x509_crl_t crl;
	gnutls_datum_t d;
	time_t now = time(NULL);

	gnutls_x509_crl_init(&crl);
	if (gnutls_x509_crl_set_version(crl, 2) < 0 ||
	    gnutls_x509_crl_set_this_update(crl, now - 3600) < 0 ||
	    gnutls_x509_crl_set_next_update(crl, now + DAY) < 0 ||
	    gnutls_x509_crl_set_crt(crl, pki.crt[C_REVOKED], now - 3600) < 0 ||
	    gnutls_x509_crl_sign2(crl, pki.ca, pki.cakey, GNUTLS_DIG_SHA256,
				  0) < 0 ||
	    gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_PEM, &d) < 0)
		abort();
	write_datum(path, &d);
	gnutls_free(d.data);
	gnutls_x509_crl_deinit(crl);
}

static void make_pki(void)
{
	static const struct spec ca = {
		"CN=Mailhop Test CA", NULL, 0, -DAY, 30 * DAY, 1, 1};
	static const struct spec other = {"CN=Other CA", NULL, 0, -DAY,
					  30 * DAY,	 1,    2};
	static const struct spec leaf[C_N] = {
		{"CN=mail.test", "mail.test", 1, -DAY, 10 * DAY, 0, 10},
		{"CN=mail.test", "mail.test", 1, -3 * DAY, -DAY, 0, 11},
		{"CN=mail.test", "mail.test", 1, DAY, 10 * DAY, 0, 12},
		{"CN=other.test", "other.test", 0, -DAY, 10 * DAY, 0, 13},
		{"CN=mail.test", "mail.test", 1, -DAY, 10 * DAY, 0, 14},
		{"CN=mail.test", "mail.test", 1, -DAY, 10 * DAY, 0, 15},
		{"CN=mail.test", "mail.test", 1, -DAY, 10 * DAY, 0, 16},
		{"CN=client", NULL, 0, -DAY, 10 * DAY, 0, 17},
	};
	gnutls_datum_t d;
	int i;

	pki.cakey = mkkey();
	pki.otherkey = mkkey();
	pki.leafkey = mkkey();
	pki.ca = mkcert(&ca, pki.cakey, NULL, NULL);
	pki.other = mkcert(&other, pki.otherkey, NULL, NULL);
	for (i = 0; i < C_N; i++)
		pki.crt[i] = mkcert(&leaf[i], pki.leafkey,
				    i == C_SELF	     ? NULL
				    : i == C_UNKNOWN ? pki.other
						     : pki.ca,
				    i == C_UNKNOWN ? pki.otherkey : pki.cakey);
	write_crt(pki.ca_pem, pki.ca);
	write_crt(pki.client_pem, pki.crt[C_CLIENT]);
	write_crl(pki.crl_pem);
	if (gnutls_x509_privkey_export2(pki.leafkey, GNUTLS_X509_FMT_PEM, &d) <
	    0)
		abort();
	write_datum(pki.clientkey_pem, &d);
	gnutls_free(d.data);
	if (gnutls_session_ticket_key_generate(&pki.ticket_key) < 0)
		abort();
}

static void free_pki(void)
{
	int i;

	for (i = 0; i < C_N; i++)
		gnutls_x509_crt_deinit(pki.crt[i]);
	gnutls_x509_crt_deinit(pki.ca);
	gnutls_x509_crt_deinit(pki.other);
	gnutls_x509_privkey_deinit(pki.cakey);
	gnutls_x509_privkey_deinit(pki.otherkey);
	gnutls_x509_privkey_deinit(pki.leafkey);
	gnutls_free(pki.ticket_key.data);
}

static void fp_of(gnutls_x509_crt_t c, gnutls_digest_algorithm_t alg, char *dst)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char md[64];
	size_t n = sizeof(md), i;

	gnutls_x509_crt_get_fingerprint(c, alg, md, &n);
	for (i = 0; i < n; i++) {
		dst[3 * i] = hex[md[i] >> 4];
		dst[3 * i + 1] = hex[md[i] & 15];
		dst[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
}

/* --- the server child -------------------------------------------------- */

enum mode { SRV_TLS, SRV_SILENT, SRV_PLAIN, SRV_DATA };

struct server {
	enum mode mode;
	int crt; /* C_GOOD ... */
	int want_client_cert;
	int early_save; /* client: tls_save_session() before reading */
};

static void drain(int fd)
{
	char b[4096];

	while (read(fd, b, sizeof(b)) > 0)
		;
}

static int srv_data(gnutls_session_t s)
{
	unsigned char b[C2S_BYTES];
	size_t i, got = 0;
	ssize_t n;

	for (i = 0; i < S2C_BYTES; i++)
		b[i] = (unsigned char)(i * 7);
	if (gnutls_record_send(s, b, S2C_BYTES) != S2C_BYTES)
		return 0;
	while (got < C2S_BYTES &&
	       (n = gnutls_record_recv(s, b + got, C2S_BYTES - got)) > 0)
		got += (size_t)n;
	for (i = 0; i < got; i++)
		if (b[i] != (unsigned char)(i * 13))
			return 0;
	return got == C2S_BYTES;
}

static gnutls_session_t srv_session(const struct server *sv, int fd,
				    gnutls_certificate_credentials_t *cred)
{
	gnutls_session_t s;

	gnutls_certificate_allocate_credentials(cred);
	gnutls_certificate_set_x509_key(*cred, &pki.crt[sv->crt], 1,
					pki.leafkey);
	gnutls_certificate_set_x509_trust(*cred, &pki.ca, 1);
	gnutls_init(&s, GNUTLS_SERVER);
	gnutls_set_default_priority(s);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, *cred);
	gnutls_session_ticket_enable_server(s, &pki.ticket_key);
	if (sv->want_client_cert)
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
	gnutls_transport_set_int(s, fd);
	gnutls_handshake_set_timeout(s, TIMEOUT_MS);
	return s;
}

static void srv_tls(const struct server *sv, int fd, char *rep, size_t sz)
{
	gnutls_certificate_credentials_t cred;
	gnutls_session_t s = srv_session(sv, fd, &cred);
	char sni[256] = "none";
	size_t snilen = sizeof(sni);
	unsigned type, status = 1;
	int r;

	do
		r = gnutls_handshake(s);
	while (r < 0 && !gnutls_error_is_fatal(r));
	if (r < 0) {
		gnutls_alert_send_appropriate(s, r);
		snprintf(rep, sz, "hs=fail");
		drain(fd);
		goto out;
	}
	gnutls_server_name_get(s, sni, &snilen, &type, 0);
	if (sv->want_client_cert)
		gnutls_certificate_verify_peers2(s, &status);
	r = sv->mode == SRV_DATA
		    ? srv_data(s)
		    : gnutls_record_send(s, GREETING, strlen(GREETING)) > 0;
	snprintf(rep, sz, "hs=ok resumed=%d sni=%s client=%s io=%s",
		 gnutls_session_is_resumed(s), sni, status ? "no" : "ok",
		 r ? "ok" : "bad");
	drain(fd);
out:
	gnutls_deinit(s);
	gnutls_certificate_free_credentials(cred);
}

static void serve(const struct server *sv, int fd, int rfd)
{
	char rep[REPORT_MAX] = "";

	if (sv->mode == SRV_PLAIN && write(fd, "220 hello\r\n", 11) != 11)
		_exit(1);
	if (sv->mode == SRV_SILENT || sv->mode == SRV_PLAIN)
		drain(fd);
	else
		srv_tls(sv, fd, rep, sizeof(rep));
	if (write(rfd, rep, strlen(rep)) < 0)
		_exit(1);
	_exit(0);
}

/* --- the client side ------------------------------------------------- */

struct result {
	int rc;
	struct err e;
	char certinfo[2048];
	char desc[128];
	char summary[4096];
	char report[REPORT_MAX];
	int resumed;
	int io_ok;
	int save_rc;
	struct err save_err;
	long ms;
};

static int wait_io(struct tls *t, int fd)
{
	struct pollfd p = {fd, tls_poll_events(t), 0};

	return poll(&p, 1, TIMEOUT_MS) == 1 ? 0 : -1;
}

static int recv_exact(struct tls *t, int fd, unsigned char *b, size_t len,
		      struct err *e)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = tls_recv(t, b + got, len - got, e);
		if (n < 0 ||
		    (n == 0 && tls_pending(t) == 0 && wait_io(t, fd) < 0))
			return -1;
		got += (size_t)(n > 0 ? n : 0);
	}
	return 0;
}

static int send_all(struct tls *t, int fd, const unsigned char *b, size_t len,
		    struct err *e)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = tls_send(t, b + done, len - done, e);
		if (n < 0 || (n == 0 && wait_io(t, fd) < 0))
			return -1;
		done += (size_t)(n > 0 ? n : 0);
	}
	return 0;
}

static int client_io(struct tls *t, int fd, enum mode m, struct err *e)
{
	unsigned char b[C2S_BYTES];
	size_t i;

	if (m == SRV_TLS)
		return recv_exact(t, fd, b, strlen(GREETING), e) == 0 &&
		       memcmp(b, GREETING, strlen(GREETING)) == 0;
	if (recv_exact(t, fd, b, S2C_BYTES, e) < 0)
		return 0;
	for (i = 0; i < S2C_BYTES; i++)
		if (b[i] != (unsigned char)(i * 7))
			return 0;
	for (i = 0; i < C2S_BYTES; i++)
		b[i] = (unsigned char)(i * 13);
	return send_all(t, fd, b, C2S_BYTES, e) == 0;
}

static long since_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 +
	       (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void client(const struct server *sv, int fd,
		   const struct tls_config *cfg, int timeout, struct result *r)
{
	struct buf ci = BUF_INIT(4096), d = BUF_INIT(4096);
	struct tls *t = NULL;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r->rc = tls_start(&t, fd, cfg, timeout, &ci, &r->e);
	r->ms = since_ms(&t0);
	snprintf(r->certinfo, sizeof(r->certinfo), "%s",
		 ci.data ? ci.data : "");
	if (r->rc == 0) {
		if (sv->early_save)
			r->save_rc = tls_save_session(t, &r->save_err);
		r->io_ok = client_io(t, fd, sv->mode, &r->e);
		r->resumed = tls_resumed(t);
		tls_describe(t, &d);
		snprintf(r->desc, sizeof(r->desc), "%s", d.data ? d.data : "");
		buf_reset(&d);
		tls_cert_summary(t, &d);
		snprintf(r->summary, sizeof(r->summary), "%s",
			 d.data ? d.data : "");
		if (!sv->early_save)
			r->save_rc = tls_save_session(t, &r->save_err);
		tls_free(t);
	}
	buf_release(&ci);
	buf_release(&d);
}

static void run(const struct server *sv, const struct tls_config *cfg,
		int timeout, struct result *r)
{
	int sp[2], rp[2];
	ssize_t n;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	err_init(&r->e);
	err_init(&r->save_err);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0 || pipe(rp) < 0)
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		close(sp[0]);
		close(rp[0]);
		serve(sv, sp[1], rp[1]);
	}
	close(sp[1]);
	close(rp[1]);
	fcntl(sp[0], F_SETFL, fcntl(sp[0], F_GETFL) | O_NONBLOCK);
	client(sv, sp[0], cfg, timeout, r);
	close(sp[0]);
	n = read(rp[0], r->report, sizeof(r->report) - 1);
	r->report[n > 0 ? n : 0] = '\0';
	close(rp[0]);
	waitpid(pid, NULL, 0);
}

static struct tls_config base_cfg(void)
{
	struct tls_config c;

	memset(&c, 0, sizeof(c));
	c.host = "mail.test";
	c.trust_file = pki.ca_pem;
	c.certcheck = 1;
	return c;
}

static void has(const char *hay, const char *needle, const char *name)
{
	if (!ok(hay && strstr(hay, needle), name))
		printf("#   '%s' lacks '%s'\n", hay ? hay : "(null)", needle);
}

/* --- certificate verification: one table ------------------------------ */

enum { T_CA, T_NONE, T_MISSING, T_SYSTEM };
enum { P_NONE, P_256, P_256_BAD, P_1, P_1_BAD, P_MD5 };

struct vcase {
	const char *name;
	int crt;
	const char *host, *override;
	int trust, crl, pin, certcheck;
	enum err_kind kind;
	const char *sub; /* in the error, or in the server's report */
};

static const struct vcase vcases[] = {
	{"good certificate", C_GOOD, "mail.test", NULL, T_CA, 0, P_NONE, 1,
	 ERR_NONE, "sni=mail.test"},
	{"IP literal: no SNI, IP SAN matched", C_GOOD, "127.0.0.1", NULL, T_CA,
	 0, P_NONE, 1, ERR_NONE, "sni=none"},
	{"expired", C_EXPIRED, "mail.test", NULL, T_CA, 0, P_NONE, 1,
	 ERR_NOPERM, "rejected: certificate expired"},
	{"not yet valid", C_FUTURE, "mail.test", NULL, T_CA, 0, P_NONE, 1,
	 ERR_NOPERM, "rejected: certificate not yet valid"},
	{"wrong host", C_WRONGHOST, "mail.test", NULL, T_CA, 0, P_NONE, 1,
	 ERR_NOPERM,
	 "rejected: wrong host: certificate not valid for 'mail.test'"},
	{"host override matches", C_WRONGHOST, "mail.test", "other.test", T_CA,
	 0, P_NONE, 1, ERR_NONE, "sni=other.test"},
	{"host override is the name checked", C_GOOD, "mail.test", "other.test",
	 T_CA, 0, P_NONE, 1, ERR_NOPERM,
	 "TLS certificate of 'mail.test' rejected: wrong host: certificate "
	 "not valid for 'other.test'"},
	{"self-signed", C_SELF, "mail.test", NULL, T_CA, 0, P_NONE, 1,
	 ERR_NOPERM, "rejected: self-signed certificate"},
	{"unknown CA", C_UNKNOWN, "mail.test", NULL, T_CA, 0, P_NONE, 1,
	 ERR_NOPERM, "rejected: unknown issuer"},
	{"revoked by CRL", C_REVOKED, "mail.test", NULL, T_CA, 1, P_NONE, 1,
	 ERR_NOPERM, "rejected: certificate revoked"},
	{"revoked, no CRL given", C_REVOKED, "mail.test", NULL, T_CA, 0, P_NONE,
	 1, ERR_NONE, "hs=ok"},
	{"good certificate with CRL", C_GOOD, "mail.test", NULL, T_CA, 1,
	 P_NONE, 1, ERR_NONE, "hs=ok"},
	{"SHA-256 pin right, no CA", C_SELF, "mail.test", NULL, T_NONE, 0,
	 P_256, 1, ERR_NONE, "hs=ok"},
	{"SHA-256 pin wrong", C_GOOD, "mail.test", NULL, T_CA, 0, P_256_BAD, 1,
	 ERR_NOPERM,
	 "TLS certificate of 'mail.test' rejected: fingerprint "
	 "mismatch"},
	{"SHA-1 pin right, no CA", C_SELF, "mail.test", NULL, T_NONE, 0, P_1, 1,
	 ERR_NONE, "hs=ok"},
	{"SHA-1 pin wrong", C_SELF, "mail.test", NULL, T_NONE, 0, P_1_BAD, 1,
	 ERR_NOPERM, "rejected: fingerprint mismatch"},
	{"MD5 pin right, unknown CA", C_UNKNOWN, "mail.test", NULL, T_CA, 0,
	 P_MD5, 1, ERR_NONE, "hs=ok"},
	{"pin trusts an expired certificate", C_EXPIRED, "mail.test", NULL,
	 T_CA, 0, P_256, 1, ERR_NONE, "hs=ok"},
	{"no CA and no pin", C_GOOD, "mail.test", NULL, T_NONE, 0, P_NONE, 1,
	 ERR_NOPERM, "rejected: unknown issuer"},
	{"certcheck off accepts self-signed", C_SELF, "mail.test", NULL, T_NONE,
	 0, P_NONE, 0, ERR_NONE, "hs=ok"},
	{"certcheck off still checks a pin", C_SELF, "mail.test", NULL, T_NONE,
	 0, P_256_BAD, 0, ERR_NOPERM, "fingerprint mismatch"},
	{"system store does not know the test CA", C_GOOD, "mail.test", NULL,
	 T_SYSTEM, 0, P_NONE, 1, ERR_NOPERM, "rejected: unknown issuer"},
	{"missing trust file", C_GOOD, "mail.test", NULL, T_MISSING, 0, P_NONE,
	 1, ERR_CONFIG, "cannot load tls_trust_file '"},
	{"missing CRL file", C_GOOD, "mail.test", NULL, T_CA, 2, P_NONE, 1,
	 ERR_CONFIG, "cannot load tls_crl_file '"},
};

static void pin_for(const struct vcase *v, char *fp)
{
	gnutls_x509_crt_t c = pki.crt[v->crt];

	fp[0] = '\0';
	if (v->pin == P_256 || v->pin == P_256_BAD)
		fp_of(c, GNUTLS_DIG_SHA256, fp);
	else if (v->pin == P_1 || v->pin == P_1_BAD)
		fp_of(c, GNUTLS_DIG_SHA1, fp);
	else if (v->pin == P_MD5)
		fp_of(c, GNUTLS_DIG_MD5, fp);
	if (v->pin == P_256_BAD || v->pin == P_1_BAD)
		fp[0] = fp[0] == '0' ? '1' : '0';
}

static void check_rejection(const struct vcase *v, const struct result *r)
{
	char want[256], fp[100];
	gnutls_datum_t dn;

	snprintf(want, sizeof(want),
		 "TLS certificate of '%s' rejected: ", v->host);
	ok(strncmp(r->e.msg, want, strlen(want)) == 0,
	   "  error line names the host");
	gnutls_x509_crt_get_dn3(pki.crt[v->crt], &dn, 0);
	snprintf(want, sizeof(want), "  subject: %.*s\n", (int)dn.size,
		 (char *)dn.data);
	gnutls_free(dn.data);
	has(r->certinfo, want, "  certinfo subject");
	has(r->certinfo, "\n  issuer: CN=", "  certinfo issuer");
	has(r->certinfo, " UTC to ", "  certinfo validity");
	fp_of(pki.crt[v->crt], GNUTLS_DIG_SHA256, fp);
	snprintf(want, sizeof(want), "  sha256 fingerprint: %s\n", fp);
	has(r->certinfo, want, "  certinfo fingerprint");
}

static void test_verify(void)
{
	size_t i;

	for (i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++) {
		const struct vcase *v = &vcases[i];
		struct server sv = {SRV_TLS, v->crt, 0, 0};
		struct tls_config c = base_cfg();
		struct result r;
		char fp[100];

		c.host = v->host;
		c.host_override = v->override;
		c.trust_file = v->trust == T_CA	       ? pki.ca_pem
			       : v->trust == T_NONE    ? ""
			       : v->trust == T_MISSING ? pki.missing
						       : NULL;
		c.crl_file = v->crl == 1 ? pki.crl_pem
			     : v->crl	 ? pki.missing
					 : NULL;
		pin_for(v, fp);
		c.fingerprint = fp[0] ? fp : NULL;
		c.certcheck = v->certcheck;
		run(&sv, &c, TIMEOUT_MS, &r);
		printf("# %s\n", v->name);
		is_int(r.e.kind, v->kind, v->name);
		if (v->kind == ERR_NONE) {
			is_int(r.rc, 0, "  tls_start succeeds");
			has(r.report, v->sub, "  server report");
			has(r.report, "io=ok", "  data went through");
			ok(r.io_ok, "  client read the greeting");
			continue;
		}
		has(r.e.msg, v->sub, "  reason");
		if (v->kind == ERR_NOPERM)
			check_rejection(v, &r);
		else
			is_str(r.certinfo, "", "  no certinfo");
	}
}

/* --- the connection itself -------------------------------------------- */

static void test_connection(void)
{
	struct server sv = {SRV_DATA, C_GOOD, 0, 0};
	struct tls_config c = base_cfg();
	struct result r;
	char fp[100], want[160];

	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.rc, 0, "data: handshake");
	ok(r.io_ok, "data: 5000 bytes in, 7000 bytes out, intact");
	has(r.report, "io=ok", "data: server got them intact");
	has(r.desc, "TLS1.3, ", "describe: TLS1.3 by default");
	has(r.summary, "certificate 1 of 1:\n  subject: CN=mail.test\n",
	    "summary: the chain");
	fp_of(pki.crt[C_GOOD], GNUTLS_DIG_SHA1, fp);
	snprintf(want, sizeof(want), "  sha1 fingerprint: %s\n", fp);
	has(r.summary, want, "summary: SHA-1 fingerprint");

	sv.mode = SRV_TLS;
	c.priorities = "NORMAL:-VERS-ALL:+VERS-TLS1.2";
	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.rc, 0, "TLS 1.2 by priorities");
	has(r.desc, "TLS1.2, ", "describe: TLS1.2");

	c.priorities = "NORMAL:+NO-SUCH-THING";
	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.e.kind, ERR_CONFIG, "bad priorities: config error");
	has(r.e.msg,
	    "invalid tls_priorities 'NORMAL:+NO-SUCH-THING' at "
	    "position 8",
	    "bad priorities: the position");
}

static void test_client_cert(void)
{
	static const char *const prio[] = {NULL,
					   "NORMAL:-VERS-ALL:+VERS-TLS1.2"};
	struct server sv = {SRV_TLS, C_GOOD, 1, 0};
	struct result r;
	size_t i;

	for (i = 0; i < 2; i++) {
		struct tls_config c = base_cfg();

		printf("# client certificate, %s\n", i ? "TLS1.2" : "TLS1.3");
		c.priorities = prio[i];
		c.cert_file = pki.client_pem;
		c.key_file = pki.clientkey_pem;
		run(&sv, &c, TIMEOUT_MS, &r);
		is_int(r.rc, 0, "client cert: accepted");
		has(r.report, "client=ok", "client cert: server verified it");
		c.cert_file = c.key_file = NULL;
		run(&sv, &c, TIMEOUT_MS, &r);
		/* TLS 1.3 clients finish first: the refusal arrives with
		 * the first read, which must fail the same way. */
		is_int(r.e.kind, ERR_TEMPFAIL, "no client cert: temp failure");
		ok(!r.io_ok, "no client cert: no data");
		has(r.e.msg, "'mail.test' failed: the server sent the alert",
		    "no client cert: the alert");
		has(r.e.msg,
		    "(it wants a client certificate: set "
		    "tls_cert_file and tls_key_file)",
		    "no client cert: the hint");
		printf("# %s (%ld ms)\n", r.e.msg, r.ms);
		has(r.report, "hs=fail", "no client cert: server refused");
	}
	{
		struct tls_config c = base_cfg();

		c.cert_file = pki.missing;
		c.key_file = pki.clientkey_pem;
		run(&sv, &c, TIMEOUT_MS, &r);
		is_int(r.e.kind, ERR_CONFIG, "missing client cert file");
		has(r.e.msg, pki.missing, "  names the file");
		c.cert_file = pki.client_pem;
		c.fingerprint = "AB:CD";
		run(&sv, &c, TIMEOUT_MS, &r);
		is_int(r.e.kind, ERR_CONFIG, "malformed fingerprint");
	}
}

static void test_stalls(void)
{
	struct server sv = {SRV_SILENT, C_GOOD, 0, 0};
	struct tls_config c = base_cfg();
	struct result r;

	run(&sv, &c, 300, &r);
	is_int(r.e.kind, ERR_TEMPFAIL, "silent server: temp failure");
	has(r.e.msg, "TLS handshake with 'mail.test' failed: timed out",
	    "silent server: timed out");
	ok(r.ms >= 250 && r.ms < 2000, "silent server: ~300 ms, not longer");

	sv.mode = SRV_PLAIN;
	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.e.kind, ERR_TEMPFAIL, "plaintext greeting: temp failure");
	has(r.e.msg,
	    "the server speaks plain SMTP first: set tls_starttls on (port "
	    "587 or 25)",
	    "plaintext greeting: the hint");
}

/* --- session resumption ------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
	gnutls_datum_t d = {(unsigned char *)text, (unsigned)strlen(text)};

	write_datum(path, &d);
}

static void test_resume_with(const char *prio, const char *what)
{
	char trust[160], msg[160];
	struct server sv = {SRV_TLS, C_GOOD, 0, 0};
	struct tls_config c = base_cfg();
	struct stat st;
	struct result r;

	printf("# resumption, %s\n", what);
	/* A private copy of the CA: deleting it below proves that a resumed
	 * handshake does not load the trust file. */
	snprintf(trust, sizeof(trust), "%s/ca-%s.pem", pki.dir, what);
	write_crt(trust, pki.ca);
	c.trust_file = trust;
	c.priorities = prio;
	c.cache_file = pki.cache;
	unlink(pki.cache);
	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.rc, 0, "first connection");
	is_int(r.resumed, 0, "first connection: full handshake");
	ok(stat(pki.cache, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "cache file saved with mode 0600");
	unlink(trust);
	run(&sv, &c, TIMEOUT_MS, &r);
	snprintf(msg, sizeof(msg), "second connection resumed (%s)", what);
	is_int(r.rc, 0, msg);
	is_int(r.resumed, 1, "  tls_resumed() says so");
	has(r.report, "resumed=1", "  the server says so");
	has(r.desc, what, "  with the same version");
	has(r.summary, "  subject: CN=mail.test\n", "  chain still known");
	write_crt(trust, pki.ca);

	c.host = "127.0.0.1"; /* the same server under another name */
	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.rc, 0, "other name: connects");
	has(r.report, "resumed=0", "other name: cached session not offered");
	c.host = "mail.test";
	run(&sv, &c, TIMEOUT_MS, &r); /* 127.0.0.1 overwrote the cache */
	has(r.report, "resumed=0", "cache bound to 127.0.0.1 not used");
	run(&sv, &c, TIMEOUT_MS, &r);
	has(r.report, "resumed=1", "cache bound to mail.test used again");
	c.crl_file = pki.crl_pem; /* another policy */
	run(&sv, &c, TIMEOUT_MS, &r);
	has(r.report, "resumed=0", "other trust policy: not offered");
	unlink(trust);
}

static void test_resume(void)
{
	struct server sv = {SRV_TLS, C_GOOD, 0, 0};
	struct tls_config c = base_cfg();
	struct stat st;
	struct result r;
	char dir[160];

	snprintf(dir, sizeof(dir), "%s/cache", pki.dir);
	test_resume_with(NULL, "TLS1.3");
	ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700,
	   "cache directory created with mode 0700");
	test_resume_with("NORMAL:-VERS-ALL:+VERS-TLS1.2", "TLS1.2");

	c.cache_file = pki.cache;
	write_file(pki.cache, "mailhop-tls-session v1 garbage\n\x01\x02");
	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.rc, 0, "garbage cache file ignored");
	is_int(r.resumed, 0, "  full handshake");
	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.resumed, 1, "  and replaced by a good one");
	unlink(pki.cache);
	sv.early_save = 1;
	run(&sv, &c, TIMEOUT_MS, &r);
	ok(r.save_rc == 0 && access(pki.cache, F_OK) < 0,
	   "TLS1.3: saving before the ticket arrived writes nothing");
	ok(r.ms < 2000 && r.io_ok, "  and does not disturb the connection");
	sv.early_save = 0;
	snprintf(dir, sizeof(dir), "%s/x", pki.ca_pem);
	c.cache_file = dir;
	run(&sv, &c, TIMEOUT_MS, &r);
	is_int(r.save_err.kind, ERR_IOERR, "unwritable cache: I/O error");
	has(r.save_err.msg, "cannot write TLS session cache '", "  says so");
	c.cache_file = pki.cache;
	run(&sv, &c, TIMEOUT_MS, &r);
	chmod(pki.cache, 0);
	if (geteuid() != 0) {
		run(&sv, &c, TIMEOUT_MS, &r);
		is_int(r.rc, 0, "unreadable cache file ignored");
	}
}

/* Remove the temp directory (two levels: the cache lives in a subdir). */
static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) < 0 && errno == EISDIR)
			rm_tree(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	log_level = getenv("TEST_VERBOSE") ? 1 : 0;
	snprintf(pki.dir, sizeof(pki.dir), "/tmp/mailhop-tls-XXXXXX");
	if (!mkdtemp(pki.dir))
		abort();
	snprintf(pki.ca_pem, sizeof(pki.ca_pem), "%s/ca.pem", pki.dir);
	snprintf(pki.crl_pem, sizeof(pki.crl_pem), "%s/crl.pem", pki.dir);
	snprintf(pki.client_pem, sizeof(pki.client_pem), "%s/client.pem",
		 pki.dir);
	snprintf(pki.clientkey_pem, sizeof(pki.clientkey_pem), "%s/key.pem",
		 pki.dir);
	snprintf(pki.cache, sizeof(pki.cache), "%s/cache/tls-session-a-h-465",
		 pki.dir);
	snprintf(pki.missing, sizeof(pki.missing), "%s/no-such-file.pem",
		 pki.dir);
	make_pki();
	test_verify();
	test_connection();
	test_client_cert();
	test_stalls();
	test_resume();
	free_pki();
	rm_tree(pki.dir);
	return tap_done();
}
