/*
 * conn.c - resolve, connect and buffered I/O with timeouts (see conn.h).
 *
 * Every socket is non-blocking and every wait goes through poll(2) with
 * the smaller of the per-operation timeout and what is left of the
 * overall deadline, so no read, write or connect can hang forever.
 * With TLS the same loops run over tls_send()/tls_recv(), polling for
 * the event GnuTLS waits for (a TLS write may need to read, and back).
 */
#include "conn.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

void conn_init(struct conn *c, int timeout_s, int deadline_s)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	buf_init(&c->in, CONN_READ_MAX);
	/* A batch plus one BDAT chunk header and body chunk. */
	buf_init(&c->out, 4 * 1024 * 1024);
	buf_set_secret(&c->out); /* it carries the AUTH exchange */
	conn_set_timeout(c, timeout_s);
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += deadline_s;
}

void conn_set_timeout(struct conn *c, int timeout_s)
{
	c->timeout_ms = timeout_s * 1000;
}

/* Milliseconds to wait now: the per-operation timeout, or less. */
static int conn_wait_ms(const struct conn *c)
{
	struct timespec now;
	long long left;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left = (long long)(c->deadline.tv_sec - now.tv_sec) * 1000 +
	       (c->deadline.tv_nsec - now.tv_nsec) / 1000000;
	if (left < 0)
		left = 0;
	return left < c->timeout_ms ? (int)left : c->timeout_ms;
}

/* Wait for fd readiness; 0 ready, -1 with err (timeout or poll error). */
static int conn_poll(struct conn *c, short events, const char *what,
		     struct err *e)
{
	struct pollfd p = {c->fd, events, 0};
	int r;

	do
		r = poll(&p, 1, conn_wait_ms(c));
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		c->timed_out = 1;
		return err_set(e, ERR_TEMPFAIL, "timeout %s '%s'", what,
			       c->peer);
	}
	if (r < 0)
		return err_set(e, ERR_OSERR, "poll: %s", strerror(errno));
	return 0;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Finish a non-blocking connect(2); 0 or an errno value. */
static int connect_wait(struct conn *c, const struct sockaddr *sa,
			socklen_t len, struct err *e)
{
	int soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (connect(c->fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return errno;
	if (conn_poll(c, POLLOUT, "connecting to", e) < 0)
		return -1;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		return errno;
	return soerr;
}

static int bind_source(int fd, int family, const char *source_ip, struct err *e)
{
	struct addrinfo hints, *res = NULL;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	r = getaddrinfo(source_ip, NULL, &hints, &res);
	if (r != 0)
		return err_set(e, ERR_CONFIG, "invalid source_ip '%s': %s",
			       source_ip, gai_strerror(r));
	r = bind(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (r < 0)
		return err_set(e, ERR_OSERR, "cannot bind to '%s': %s",
			       source_ip, strerror(errno));
	return 0;
}

static int resolve(const char *host, int port, struct addrinfo **res,
		   struct err *e)
{
	struct addrinfo hints;
	char svc[16];
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	snprintf(svc, sizeof(svc), "%d", port);
	r = getaddrinfo(host, svc, &hints, res);
	if (r == 0)
		return 0;
	if (r == EAI_NONAME)
		return err_set(e, ERR_NOHOST, "cannot resolve '%s': %s", host,
			       gai_strerror(r));
	if (r == EAI_SYSTEM)
		return err_set(e, ERR_TEMPFAIL, "cannot resolve '%s': %s", host,
			       strerror(errno));
	return err_set(e, ERR_TEMPFAIL, "cannot resolve '%s': %s", host,
		       gai_strerror(r));
}

int conn_open_tcp(struct conn *c, const char *host, int port,
		  const char *source_ip, struct err *e)
{
	struct addrinfo *res = NULL, *ai;
	int one = 1, last = 0, r = -1;

	snprintf(c->peer, sizeof(c->peer), "%s:%d", host, port);
	if (resolve(host, port, &res, e) < 0)
		return -1;
	for (ai = res; ai; ai = ai->ai_next) {
		c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			       ai->ai_protocol);
		if (c->fd < 0) {
			last = errno;
			continue;
		}
		if (set_nonblock(c->fd) < 0 ||
		    (source_ip &&
		     bind_source(c->fd, ai->ai_family, source_ip, e) < 0))
			goto out;
		last = connect_wait(c, ai->ai_addr, ai->ai_addrlen, e);
		if (last == 0)
			break;
		close(c->fd);
		c->fd = -1;
		if (last < 0)
			goto out; /* timeout: the deadline is shared */
	}
	if (c->fd < 0) {
		err_set(e, ERR_TEMPFAIL, "cannot connect to '%s': %s", c->peer,
			strerror(last ? last : ECONNREFUSED));
		goto out;
	}
	/* Batches are written whole; never wait for delayed ACKs. */
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	r = 0;
out:
	if (r < 0 && c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	freeaddrinfo(res);
	return r;
}

int conn_open_unix(struct conn *c, const char *path, struct err *e)
{
	struct sockaddr_un sun;
	int r;

	snprintf(c->peer, sizeof(c->peer), "%s", path);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return err_set(e, ERR_CONFIG, "socket path too long: '%s'",
			       path);
	memcpy(sun.sun_path, path, strlen(path));
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return err_set(e, ERR_OSERR, "socket: %s", strerror(errno));
	if (set_nonblock(c->fd) < 0)
		return err_set(e, ERR_OSERR, "fcntl: %s", strerror(errno));
	r = connect_wait(c, (struct sockaddr *)&sun, sizeof(sun), e);
	if (r == 0)
		return 0;
	close(c->fd);
	c->fd = -1;
	if (r < 0)
		return -1;
	return err_set(e, ERR_TEMPFAIL, "cannot connect to '%s': %s", path,
		       strerror(r));
}

static int conn_lost(struct conn *c, int errnum, struct err *e)
{
	if (errnum)
		return err_set(e, ERR_TEMPFAIL, "connection to '%s' lost: %s",
			       c->peer, strerror(errnum));
	return err_set(e, ERR_TEMPFAIL,
		       "connection to '%s' closed by the server", c->peer);
}

/* Send some bytes: > 0 sent, 0 would block (poll for *ev), -1 error. */
static ssize_t conn_send_some(struct conn *c, const char *p, size_t len,
			      short *ev, struct err *e)
{
	ssize_t n;

	if (c->tls) {
		n = tls_send(c->tls, p, len, e);
		*ev = tls_poll_events(c->tls);
		if (*ev == 0)
			*ev = POLLOUT;
		return n;
	}
	*ev = POLLOUT;
	for (;;) {
		n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n > 0)
			return n;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return conn_lost(c, n < 0 ? errno : 0, e);
	}
}

int conn_flush(struct conn *c, struct err *e)
{
	size_t off = 0;
	ssize_t n;
	short ev;
	int r = 0;

	while (off < c->out.len) {
		n = conn_send_some(c, c->out.data + off, c->out.len - off, &ev,
				   e);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		r = n < 0 ? -1 : conn_poll(c, ev, "writing to", e);
		if (r < 0)
			break;
	}
	c->bytes_out += off;
	buf_consume(&c->out, off);
	return r;
}

int conn_write(struct conn *c, const void *data, size_t len, struct err *e)
{
	if (buf_append(&c->out, data, len) < 0) {
		if (conn_flush(c, e) < 0)
			return -1;
		if (buf_append(&c->out, data, len) < 0)
			return err_set_buf(e, ERR_SOFTWARE,
					   "output batch too large (%zu bytes)",
					   len);
	}
	if (c->out.len >= CONN_WRITE_BATCH)
		return conn_flush(c, e);
	return 0;
}

/* Receive some bytes: > 0 read, 0 would block (poll for *ev), -1 error. */
static ssize_t conn_recv_some(struct conn *c, char *dst, size_t len, short *ev,
			      struct err *e)
{
	ssize_t n;

	if (c->tls) {
		n = tls_recv(c->tls, dst, len, e);
		*ev = tls_poll_events(c->tls);
		if (*ev == 0)
			*ev = POLLIN;
		if (n < 0)
			c->eof = 1;
		return n;
	}
	*ev = POLLIN;
	for (;;) {
		n = recv(c->fd, dst, len, 0);
		if (n > 0)
			return n;
		if (n == 0) {
			c->eof = 1;
			return conn_lost(c, 0, e);
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return conn_lost(c, errno, e);
	}
}

/* Read what is available into c->in; -1 on error, EOF or timeout. */
static int conn_fill(struct conn *c, struct err *e)
{
	char tmp[16384];
	ssize_t n;
	short ev;

	for (;;) {
		n = conn_recv_some(c, tmp, sizeof(tmp), &ev, e);
		if (n > 0)
			break;
		if (n < 0)
			return -1;
		/* Decrypted bytes waiting in GnuTLS never wake poll(2). */
		if (c->tls && tls_pending(c->tls) > 0)
			continue;
		if (conn_poll(c, ev, "waiting for a reply from", e) < 0)
			return -1;
	}
	if (buf_append(&c->in, tmp, (size_t)n) < 0)
		return err_set_buf(e, ERR_PROTOCOL,
				   "server '%s' sent too much at once",
				   c->peer);
	return 0;
}

int conn_read_line(struct conn *c, struct buf *line, size_t max, struct err *e)
{
	char *nl;
	size_t len;

	for (;;) {
		nl = c->in.len ? memchr(c->in.data, '\n', c->in.len) : NULL;
		if (nl)
			break;
		if (c->in.len > max)
			return err_set(e, ERR_PROTOCOL,
				       "server '%s' sent a reply line longer "
				       "than %zu bytes",
				       c->peer, max);
		if (conn_fill(c, e) < 0)
			return -1;
	}
	len = (size_t)(nl - c->in.data) + 1;
	if (len > max)
		return err_set(e, ERR_PROTOCOL,
			       "server '%s' sent a reply line longer than %zu "
			       "bytes",
			       c->peer, max);
	buf_reset(line);
	if (buf_append(line, c->in.data, len) < 0)
		return err_set_buf(e, ERR_SOFTWARE,
				   "reply line buffer too small");
	buf_consume(&c->in, len);
	return 0;
}

/* Read exactly n bytes into dst. */
static int conn_read_exact(struct conn *c, unsigned char *dst, size_t n,
			   struct err *e)
{
	while (c->in.len < n)
		if (conn_fill(c, e) < 0)
			return -1;
	memcpy(dst, c->in.data, n);
	buf_consume(&c->in, n);
	return 0;
}

static const char *socks5_reason(unsigned char rep)
{
	static const char *const reasons[] = {
		"succeeded",
		"general failure",
		"connection not allowed by ruleset",
		"network unreachable",
		"host unreachable",
		"connection refused",
		"TTL expired",
		"command not supported",
		"address type not supported",
	};

	return rep < sizeof(reasons) / sizeof(reasons[0]) ? reasons[rep]
							  : "unknown error";
}

/* Skip the bound address of a SOCKS5 reply (RFC 1928 §6). */
static int socks5_skip_addr(struct conn *c, unsigned char atyp, struct err *e)
{
	unsigned char tmp[256 + 2];
	size_t n;

	switch (atyp) {
	case 1:
		n = 4;
		break;
	case 4:
		n = 16;
		break;
	case 3:
		if (conn_read_exact(c, tmp, 1, e) < 0)
			return -1;
		n = tmp[0];
		break;
	default:
		return err_set(e, ERR_PROTOCOL,
			       "SOCKS5 proxy '%s' sent an invalid reply",
			       c->peer);
	}
	return conn_read_exact(c, tmp, n + 2, e);
}

int conn_socks5(struct conn *c, const char *host, int port, struct err *e)
{
	unsigned char req[4 + 1 + 255 + 2], rep[4];
	size_t hlen = strlen(host), n = 0;

	if (hlen > 255)
		return err_set(e, ERR_CONFIG, "host name too long for SOCKS5");
	/* Greeting: version 5, one method, "no authentication". */
	if (conn_write(c, "\x05\x01\x00", 3, e) < 0 || conn_flush(c, e) < 0 ||
	    conn_read_exact(c, rep, 2, e) < 0)
		return -1;
	if (rep[0] != 5 || rep[1] != 0)
		return err_set(e, ERR_TEMPFAIL,
			       "SOCKS5 proxy '%s' refused the connection "
			       "(no acceptable authentication method)",
			       c->peer);
	req[n++] = 5;
	req[n++] = 1; /* CONNECT */
	req[n++] = 0;
	req[n++] = 3; /* a domain name: the proxy resolves it */
	req[n++] = (unsigned char)hlen;
	memcpy(req + n, host, hlen);
	n += hlen;
	req[n++] = (unsigned char)(port >> 8);
	req[n++] = (unsigned char)(port & 0xff);
	if (conn_write(c, req, n, e) < 0 || conn_flush(c, e) < 0 ||
	    conn_read_exact(c, rep, 4, e) < 0)
		return -1;
	if (rep[0] != 5)
		return err_set(e, ERR_PROTOCOL,
			       "SOCKS5 proxy '%s' sent an invalid reply",
			       c->peer);
	if (rep[1] != 0)
		return err_set(e, ERR_TEMPFAIL,
			       "SOCKS5 proxy '%s' cannot connect to '%s:%d': "
			       "%s",
			       c->peer, host, port, socks5_reason(rep[1]));
	if (socks5_skip_addr(c, rep[3], e) < 0)
		return -1;
	snprintf(c->peer, sizeof(c->peer), "%s:%d", host, port);
	return 0;
}

size_t conn_pending(const struct conn *c)
{
	return c->in.len;
}

/* Has the peer sent anything (or closed) that we have not read yet? */
static int socket_has_input(int fd)
{
	char b;
	ssize_t n;

	do
		n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	return n > 0;
}

static int conn_tls(struct conn *c, const struct tls_config *cfg,
		    struct buf *certinfo, struct err *e)
{
	struct tls *t = NULL;

	if (c->tls || c->out.len > 0)
		return err_set(e, ERR_SOFTWARE, "TLS started out of sequence");
	if (tls_start(&t, c->fd, cfg, conn_wait_ms(c), certinfo, e) < 0)
		return -1;
	c->tls = t;
	return 0;
}

int conn_starttls(struct conn *c, const struct tls_config *cfg,
		  struct buf *certinfo, struct err *e)
{
	/*
	 * Anything after the 220 was sent before the handshake, in plain
	 * text, yet would be read as if it came over TLS: refuse (RFC 3207
	 * §6, CVE-2011-0411).  Both our buffer and the socket must be empty.
	 */
	if (conn_pending(c) > 0 || socket_has_input(c->fd))
		return err_set(e, ERR_PROTOCOL,
			       "server sent data after its STARTTLS reply "
			       "(possible response injection)");
	return conn_tls(c, cfg, certinfo, e);
}

int conn_implicit_tls(struct conn *c, const struct tls_config *cfg,
		      struct buf *certinfo, struct err *e)
{
	return conn_tls(c, cfg, certinfo, e);
}

void conn_close(struct conn *c)
{
	if (c->tls)
		tls_free(c->tls);
	c->tls = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	buf_release(&c->in);
	buf_release(&c->out);
}
