/*
 * tls.h - TLS through GnuTLS: credentials, certificate verification,
 * pinning, client certificates, session resumption across runs, and the
 * facts --serverinfo prints.
 *
 * Contract:
 *  - tls_start() runs the client handshake on a connected non-blocking
 *    socket, waiting with poll(2) at most timeout_ms in total (the
 *    caller passes what is left of its per-step timeout and deadline), so
 *    a silent server can never hang it.  The name checked against the
 *    certificate is tls_host_override, else the host, as an A-label (the
 *    caller converts IDNs); it is also the SNI name, unless it is an IP
 *    address literal (then the certificate's IP SAN is checked).
 *  - Verification is on unless cfg->certcheck is 0 (the caller prints the
 *    warning line; tls.c prints nothing).  Trust: cfg->trust_file NULL =
 *    the system store; "" = no CA at all (only a fingerprint can then
 *    make the server trusted); else a PEM file.  The trust store and
 *    cfg->crl_file are loaded only when a full handshake has a
 *    certificate to check (never for a resumed session); one that fails
 *    to load is ERR_CONFIG.  A fingerprint (SHA-256, or SHA-1/MD5 as
 *    msmtp accepts; colon-separated hex) pins the leaf certificate instead
 *    of the CA and host name checks; a pin is enforced even with
 *    certcheck 0.  A client certificate/key or tls_priorities string that
 *    does not load is ERR_CONFIG at once.
 *  - Failures: a certificate that fails verification is ERR_NOPERM with
 *    the reason (expired, not yet valid, wrong host, unknown issuer,
 *    self-signed, revoked, fingerprint mismatch) in the one error line;
 *    the server's certificate (subject, issuer, validity, SHA-256
 *    fingerprint) then goes into *certinfo (when not NULL) so the caller
 *    can print it and the user can choose to pin it.  A handshake that
 *    fails for any other reason is ERR_TEMPFAIL; a bad local file
 *    ERR_CONFIG.  A plaintext SMTP greeting where the server's first TLS
 *    record should be gives the hint "the server speaks plain SMTP
 *    first: set tls_starttls on (port 587 or 25)"; a fatal alert is named
 *    (with a hint when the server wanted a client certificate).
 *  - Session cache: when cfg->cache_file is set, a saved session is
 *    offered for resumption (a missing, stale, unreadable, over-long or
 *    corrupt file is ignored; -v says why) and tls_save_session() writes
 *    the current one (mode 0600, to "<file>.tmp-<pid>" then renamed; a
 *    missing parent directory is created 0700).  A resumed session is
 *    still bound to the verified name: the file's first line holds the
 *    name and a hash of the trust policy (certcheck, trust file, CRL,
 *    fingerprint, client certificate), and the session is offered only
 *    when both match; the caller also keys the file by account, host and
 *    port.
 *  - tls_send()/tls_recv() return bytes moved, 0 for "would block"
 *    (poll for tls_poll_events() and retry), or -1 with ERR_TEMPFAIL:
 *    "connection to 'HOST' lost" (EOF, close_notify, cut) or "TLS
 *    connection to 'HOST' failed: ..." (a fatal TLS error).  After
 *    tls_send() returned 0 the next call must pass the same data again
 *    (a GnuTLS rule: the record is already built).  Before polling for
 *    POLLIN, check tls_pending(): decrypted bytes never wake poll(2).
 *  - The socket stays the caller's: tls_free() does not close it.
 */
#ifndef MAILHOP_TLS_H
#define MAILHOP_TLS_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"

struct tls_config {
	const char *host;	   /* connect name: SNI and verification */
	const char *host_override; /* tls_host_override, or NULL */
	const char *trust_file;	   /* NULL system, "" none, else PEM */
	const char *crl_file;
	const char *fingerprint; /* "AA:BB:..." or NULL */
	const char *cert_file;
	const char *key_file;
	const char *priorities; /* GnuTLS priority string, or NULL */
	int min_dh_prime_bits;	/* 0 = library default */
	int certcheck;		/* 1 = verify (default) */
	const char *cache_file; /* session cache file, or NULL */
};

struct tls;

int tls_start(struct tls **out, int fd, const struct tls_config *cfg,
	      int timeout_ms, struct buf *certinfo, struct err *e);
ssize_t tls_send(struct tls *t, const void *data, size_t len, struct err *e);
ssize_t tls_recv(struct tls *t, void *dst, size_t len, struct err *e);
/* Which poll(2) event the last would-block call waits for. */
short tls_poll_events(const struct tls *t);
/* Bytes GnuTLS has decrypted but not yet returned. */
size_t tls_pending(const struct tls *t);
int tls_resumed(const struct tls *t);
/*
 * Write the session to cfg->cache_file (no-op without one).  TLS 1.3
 * sends the ticket after the handshake: call this after the first reply
 * read over TLS (greeting, or the EHLO reply after STARTTLS); called
 * before the ticket arrived it writes nothing and returns 0.  Failure is
 * -1 with ERR_IOERR: pass a scratch err and only log it (-v), since a
 * cache that cannot be written must not fail the delivery.
 */
int tls_save_session(struct tls *t, struct err *e);
/* Channel binding types for SCRAM-*-PLUS. */
enum tls_cb { TLS_CB_NONE = 0, TLS_CB_UNIQUE, TLS_CB_EXPORTER };
/*
 * The connection's channel binding data, appended to out (raw octets):
 * tls-exporter (RFC 9266) on TLS 1.3, tls-unique (RFC 5929) on TLS 1.2
 * when the extended master secret (RFC 7627) was used; else (or when
 * GnuTLS cannot give it) TLS_CB_NONE and nothing appended.
 */
enum tls_cb tls_channel_binding(const struct tls *t, struct buf *out);
/* "TLS1.3, AES-256-GCM": protocol and cipher, one line, no newline. */
void tls_describe(const struct tls *t, struct buf *out);
/* The peer's chain, one block per certificate: "certificate I of N:"
 * then "  subject: ", "  issuer: ", "  valid: FROM to TO", "  sha256
 * fingerprint: ", "  sha1 fingerprint: " lines, each ending in "\n"
 * (for --serverinfo).  On a rejection tls_start() fills *certinfo with
 * the same lines for the leaf, without SHA-1. */
void tls_cert_summary(const struct tls *t, struct buf *out);
/* Send close_notify without waiting for the peer's; free everything. */
void tls_free(struct tls *t);

#endif
