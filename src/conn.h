/*
 * conn.h - a connection to the smarthost: resolve and connect with
 * timeouts (TCP over IPv4/IPv6 with an optional source address, or a unix
 * socket), then buffered I/O with a timeout on every read and write and
 * an overall deadline.  TLS (tls.h) slots in below conn_write and
 * conn_read_line: once started, every byte goes through it.
 *
 * Contract:
 *  - Writes are batched in an output buffer and sent by conn_flush() (or
 *    when CONN_WRITE_BATCH bytes are pending): never one write per line.
 *    TCP_NODELAY is set, so a batch leaves at once (no Nagle stall).
 *  - conn_read_line() returns one line (with its line end) into the
 *    caller's buffer; a line longer than max fails with ERR_PROTOCOL.
 *  - Failures: name not found ERR_NOHOST; temporary resolver failure,
 *    refused/unreachable, timeout, lost connection ERR_TEMPFAIL; local
 *    failures ERR_OSERR.  Messages name "host:port" (or the socket path).
 *  - conn_starttls() refuses (ERR_PROTOCOL) when the server sent anything
 *    after its 220 to STARTTLS (response injection, CVE-2011-0411 class);
 *    conn_implicit_tls() runs the handshake right after connect.  Both
 *    give the handshake what is left of the per-step timeout and the
 *    deadline; their failures are those of tls_start().
 *  - conn_close() may be called on a never-opened (zeroed) conn; it sends
 *    TLS close_notify (not waited for) and frees the TLS state.
 */
#ifndef MAILHOP_CONN_H
#define MAILHOP_CONN_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "tls.h"

/* Send once this much is pending: large writes, few syscalls. */
#define CONN_WRITE_BATCH (64 * 1024)
/* Read buffer cap: a reply line is far shorter (reply.h). */
#define CONN_READ_MAX (64 * 1024)

struct conn {
	int fd;
	char peer[300];		  /* "host:port" or socket path */
	int timeout_ms;		  /* per read/write */
	struct timespec deadline; /* overall, CLOCK_MONOTONIC */
	struct buf in;
	struct buf out;
	unsigned long long bytes_out;
	int eof;
	int timed_out;	 /* the last failure was a timeout */
	struct tls *tls; /* NULL: plain text */
};

void conn_init(struct conn *c, int timeout_s, int deadline_s);
int conn_open_tcp(struct conn *c, const char *host, int port,
		  const char *source_ip, struct err *e);
int conn_open_unix(struct conn *c, const char *path, struct err *e);
int conn_write(struct conn *c, const void *data, size_t len, struct err *e);
int conn_flush(struct conn *c, struct err *e);
/* 0 with the line in *line (its line end included); -1 on error/EOF. */
int conn_read_line(struct conn *c, struct buf *line, size_t max, struct err *e);
/*
 * Ask the SOCKS5 proxy this conn is connected to (RFC 1928, no
 * authentication) to connect to host:port; the proxy resolves the name.
 */
int conn_socks5(struct conn *c, const char *host, int port, struct err *e);
/* Bytes received but not yet consumed (STARTTLS injection check). */
size_t conn_pending(const struct conn *c);
/* After the 220 to STARTTLS: check nothing else came, then handshake. */
int conn_starttls(struct conn *c, const struct tls_config *cfg,
		  struct buf *certinfo, struct err *e);
/* Implicit TLS (RFC 8314): the handshake before any SMTP byte. */
int conn_implicit_tls(struct conn *c, const struct tls_config *cfg,
		      struct buf *certinfo, struct err *e);
void conn_set_timeout(struct conn *c, int timeout_s);
void conn_close(struct conn *c);

#endif
