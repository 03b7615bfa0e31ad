/*
 * session.c - the driver loop (see session.h).
 *
 * The engine (smtp.c) decides what to send and what a reply means; this
 * file only moves bytes: engine output and body bytes into the
 * connection's batch buffer, reply lines from the connection into the
 * reply parser and back into the engine.
 */
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "dotstuff.h"
#include "log.h"
#include "paths.h"
#include "reply.h"
#include "sasl.h"
#include "secret.h"
#include "smtp.h"
#include "tls.h"

/* Bytes read from the spool at a time. */
#define SESSION_READ_CHUNK (64 * 1024)
/* The port of SMTP submission over implicit TLS (RFC 8314 §3.3). */
#define SESSION_SMTPS_PORT 465
/*
 * Waiting for a plain-text greeting on port 465, where the server waits
 * for our TLS handshake instead, can only end in a timeout: when no
 * timeout is configured, give up after this long instead of RFC 5321's
 * five minutes, and say which setting to change.
 */
#define SESSION_SMTPS_GREETING_S 30
/*
 * With -v on a terminal, a message at least this large gets a progress
 * line; a smaller one goes out before a person could read it.
 */
#define PROGRESS_MIN_BYTES (1024 * 1024)
/* The progress line is redrawn at most this often (4 times a second). */
#define PROGRESS_INTERVAL_MS 250

struct session {
	const struct account *a;
	struct account *auth_a; /* the same, to fill its password; or NULL */
	struct sasl *sasl;	/* authentication, or NULL */
	int secret_fetched;	/* the password came from the sources now */
	struct conn conn;
	struct smtp *smtp;
	struct msg *m; /* NULL for --serverinfo */
	struct reply_parser rp;
	struct reply reply;
	struct buf line;
	int port;
	struct tls_config tc;
	char *cache_file;      /* TLS session cache, or NULL */
	int save_session;      /* save the TLS session after the next reply */
	unsigned long replies; /* complete replies read */
	struct buf *detail;    /* certificate facts after a rejection */
	struct buf pre_tls;    /* --serverinfo: EHLO reply before STARTTLS */
};

static int session_connect(struct session *s, struct err *e)
{
	const struct account *a = s->a;

	if (a->socket)
		return conn_open_unix(&s->conn, a->socket, e);
	if (!a->proxy_host)
		return conn_open_tcp(&s->conn, a->host, s->port, a->source_ip,
				     e);
	/* msmtp's default SOCKS port */
	if (conn_open_tcp(&s->conn, a->proxy_host,
			  a->proxy_port ? a->proxy_port : 1080, a->source_ip,
			  e) < 0)
		return -1;
	return conn_socks5(&s->conn, a->host, s->port, e);
}

/* ------------------------------------------------------------ TLS */

static int implicit_tls(const struct account *a)
{
	return a->tls && !a->tls_starttls;
}

/*
 * The session cache file: CACHE/mailhop/tls-session-ACCOUNT-HOST-PORT,
 * one per account and server, so a session is only ever offered to the
 * server (and the verification settings) it was made with.
 */
static char *cache_path(const struct session *s)
{
	struct buf b = BUF_INIT(4096);

	if (path_cache_dir(&b, 0) < 0 || buf_puts(&b, "/tls-session-") < 0 ||
	    path_append_safe(&b, s->a->name ? s->a->name : "default") < 0 ||
	    buf_putc(&b, '-') < 0 || path_append_safe(&b, s->tc.host) < 0 ||
	    buf_printf(&b, "-%d", s->port) < 0) {
		buf_release(&b);
		return NULL; /* a path that long would not work anyway */
	}
	return buf_detach(&b);
}

static void session_tls_config(struct session *s)
{
	const struct account *a = s->a;
	struct tls_config *tc = &s->tc;

	memset(tc, 0, sizeof(*tc));
	tc->host = a->host ? a->host : "localhost";
	tc->host_override = a->tls_host_override;
	tc->trust_file = a->tls_trust_file;
	tc->crl_file = a->tls_crl_file;
	tc->fingerprint = a->tls_fingerprint;
	tc->cert_file = a->tls_cert_file;
	tc->key_file = a->tls_key_file;
	tc->priorities = a->tls_priorities;
	tc->min_dh_prime_bits = a->tls_min_dh_prime_bits;
	tc->certcheck = a->tls_certcheck;
	if (a->tls_session_cache) {
		s->cache_file = cache_path(s);
		if (!s->cache_file)
			log_debug("no cache directory: TLS sessions are not "
				  "kept");
	}
	tc->cache_file = s->cache_file;
}

/* The first reply over TLS came (TLS 1.3 tickets arrive with it). */
static void session_save_tls(struct session *s)
{
	struct err e = ERR_INIT;

	s->save_session = 0;
	if (tls_save_session(s->conn.tls, &e) < 0)
		log_debug("cannot save the TLS session: %s", e.msg);
}

/* Channel binding for SCRAM-*-PLUS: the TLS layer's, under sasl.c's name. */
static void session_binding(struct session *s)
{
	struct buf cb = BUF_INIT(1024);
	struct err e = ERR_INIT;
	enum tls_cb t;
	enum sasl_cb st;

	if (!s->sasl)
		return;
	t = tls_channel_binding(s->conn.tls, &cb);
	st = t == TLS_CB_EXPORTER ? SASL_CB_TLS_EXPORTER
	     : t == TLS_CB_UNIQUE ? SASL_CB_TLS_UNIQUE
				  : SASL_CB_NONE;
	if (sasl_set_tls(s->sasl, st, cb.data, cb.len, &e) < 0)
		log_debug("no TLS channel binding: %s", e.msg);
	buf_release(&cb);
}

static void session_tls_started(struct session *s)
{
	struct buf d = BUF_INIT(1024);

	tls_describe(s->conn.tls, &d);
	log_debug("TLS started: %s", d.data ? d.data : "");
	buf_release(&d);
	session_binding(s);
	/* tls_start() itself says "TLS session resumed" with -v. */
	s->save_session = s->cache_file != NULL;
}

static int session_starttls(struct session *s, struct err *e)
{
	if (conn_starttls(&s->conn, &s->tc, s->detail, e) < 0)
		return -1;
	session_tls_started(s);
	if (s->pre_tls.cap && smtp_ehlo_reply(s->smtp))
		buf_append(&s->pre_tls, smtp_ehlo_reply(s->smtp)->text.data,
			   smtp_ehlo_reply(s->smtp)->text.len);
	smtp_tls_done(s->smtp);
	return 0;
}

/* ------------------------------------------------------------ I/O */

/* Move what the engine queued into the connection's batch. */
static int session_push(struct session *s, struct err *e)
{
	struct buf *out = smtp_output(s->smtp);
	int r;

	if (out->len == 0)
		return 0;
	r = conn_write(&s->conn, out->data, out->len, e);
	buf_reset(out);
	return r;
}

static int session_read_reply(struct session *s, struct err *e)
{
	int r;

	if (session_push(s, e) < 0 || conn_flush(&s->conn, e) < 0)
		return -1;
	for (;;) {
		if (conn_read_line(&s->conn, &s->line, REPLY_LINE_MAX + 2, e) <
		    0)
			return -1;
		log_transcript("<--", s->line.data, s->line.len);
		r = reply_feed(&s->rp, s->line.data, s->line.len, &s->reply, e);
		if (r < 0)
			return -1;
		if (r == 1)
			break;
	}
	s->replies++;
	if (s->save_session)
		session_save_tls(s);
	return 0;
}

/*
 * The progress line of a large message (-v, stderr a terminal only):
 * "\r  sent 12.3 MiB of 100.0 MiB (8.1 MiB/s)", erased to the end of the
 * line, redrawn at most every PROGRESS_INTERVAL_MS, ended by a newline.
 */
struct progress {
	int on;
	double total; /* msg_out_size(): the wire size before dot-stuffing */
	struct timespec start, last;
};

static double progress_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static void progress_init(struct progress *p, const struct msg *m)
{
	memset(p, 0, sizeof(*p));
	p->total = (double)msg_out_size(m);
	p->on = log_level >= 1 && p->total >= PROGRESS_MIN_BYTES &&
		isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

static void progress_print(const struct progress *p, const struct timespec *now,
			   unsigned long long sent, const char *end)
{
	const double mib = 1024.0 * 1024.0;
	double secs = progress_ms(&p->start, now) / 1e3;
	double rate = secs > 0 ? (double)sent / mib / secs : 0.0;

	fprintf(stderr, "\r  sent %.1f MiB of %.1f MiB (%.1f MiB/s)\033[K%s",
		(double)sent / mib, p->total / mib, rate, end);
}

static void progress_update(struct progress *p, unsigned long long sent)
{
	struct timespec now;

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (progress_ms(&p->last, &now) < PROGRESS_INTERVAL_MS)
		return;
	p->last = now;
	progress_print(p, &now, sent, "");
}

/* The final state and the newline (also when sending failed midway). */
static void progress_done(struct progress *p, unsigned long long sent)
{
	struct timespec now;

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	progress_print(p, &now, sent, "\n");
	p->on = 0;
}

static int session_body_data(struct session *s, struct err *e)
{
	struct dotstuff ds;
	struct msg_reader rd;
	struct buf wire = BUF_INIT(4 * SESSION_READ_CHUNK);
	struct progress pg;
	char chunk[SESSION_READ_CHUNK];
	ssize_t n;
	int r = -1, oom;

	dotstuff_init(&ds, DOTSTUFF_DATA);
	msg_reader_init(&rd, s->m);
	progress_init(&pg, s->m);
	while ((n = msg_reader_read(&rd, chunk, sizeof(chunk), e)) > 0) {
		if (dotstuff_feed(&ds, chunk, (size_t)n, &wire) < 0 ||
		    conn_write(&s->conn, wire.data, wire.len, e) < 0)
			goto out;
		buf_reset(&wire);
		progress_update(&pg, ds.out_bytes);
	}
	if (n < 0 || dotstuff_finish(&ds, &wire) < 0 ||
	    conn_write(&s->conn, wire.data, wire.len, e) < 0)
		goto out;
	progress_done(&pg, ds.out_bytes);
	log_debug("--> [%llu bytes of message data]", ds.out_bytes);
	r = 0;
out:
	oom = errno == ENOMEM; /* the encoder's buffer could not grow */
	progress_done(&pg, ds.out_bytes);
	if (r < 0)
		err_set(e, oom ? ERR_OSERR : ERR_SOFTWARE, "%s",
			oom ? "out of memory" : "cannot encode the message");
	buf_release(&wire);
	return r;
}

/* Send pending[0..len) as one BDAT chunk (the engine writes the verb). */
static int session_bdat_chunk(struct session *s, struct buf *pending,
			      size_t len, int last, struct err *e)
{
	if (smtp_bdat_command(s->smtp, len, last, e) < 0 ||
	    session_push(s, e) < 0 ||
	    conn_write(&s->conn, pending->data, len, e) < 0)
		return -1;
	buf_consume(pending, len);
	return 0;
}

static int session_body_bdat(struct session *s, struct err *e)
{
	struct dotstuff ds;
	struct msg_reader rd;
	struct buf pending = BUF_INIT(SMTP_BDAT_CHUNK + 4 * SESSION_READ_CHUNK);
	struct progress pg;
	char chunk[SESSION_READ_CHUNK];
	ssize_t n;
	int r = -1;

	dotstuff_init(&ds, DOTSTUFF_BDAT);
	msg_reader_init(&rd, s->m);
	progress_init(&pg, s->m);
	while ((n = msg_reader_read(&rd, chunk, sizeof(chunk), e)) > 0) {
		if (dotstuff_feed(&ds, chunk, (size_t)n, &pending) < 0)
			goto enc;
		/* More may follow, so a full chunk is never the last one. */
		while (pending.len > SMTP_BDAT_CHUNK)
			if (session_bdat_chunk(s, &pending, SMTP_BDAT_CHUNK, 0,
					       e) < 0)
				goto out;
		progress_update(&pg, ds.out_bytes - pending.len);
	}
	if (n < 0)
		goto out;
	if (dotstuff_finish(&ds, &pending) < 0)
		goto enc;
	if (session_bdat_chunk(s, &pending, pending.len, 1, e) < 0)
		goto out;
	progress_done(&pg, ds.out_bytes);
	log_debug("--> [%llu bytes of message data]", ds.out_bytes);
	r = 0;
	goto out;
enc:
	err_set_buf(e, ERR_SOFTWARE, "cannot encode the message");
out:
	progress_done(&pg, ds.out_bytes - pending.len);
	buf_release(&pending);
	return r;
}

/*
 * A transport failure after the data went out: the server may have
 * accepted the message already, so say so (DESIGN.md "Exit status").
 */
static void session_lost(struct session *s, const struct err *cause,
			 struct err *e)
{
	if (e->kind != ERR_NONE)
		return; /* a refusal the engine already recorded wins */
	if (!smtp_data_sent(s->smtp)) {
		*e = *cause;
		return;
	}
	err_set(e, ERR_TEMPFAIL,
		"%s after the message was sent; it may have been delivered",
		cause->msg);
	e->maybe_delivered = 1;
}

/*
 * No greeting on port 465 without implicit TLS: the server is waiting
 * for our TLS handshake.  Say which setting to change.
 */
static void session_greeting_hint(struct session *s, struct err *io)
{
	char msg[ERR_MSG_MAX];

	if (s->replies > 0 || !s->conn.timed_out ||
	    s->port != SESSION_SMTPS_PORT || implicit_tls(s->a))
		return;
	snprintf(msg, sizeof(msg), "%s", io->msg);
	err_clear(io);
	err_set(io, ERR_TEMPFAIL,
		"%s: port 465 expects implicit TLS: set %stls_starttls off",
		msg, s->a->tls ? "" : "tls on and ");
}

static int session_reply(struct session *s, struct err *e)
{
	struct err io = ERR_INIT;

	if (smtp_data_sent(s->smtp) && s->a->timeout == 0)
		conn_set_timeout(&s->conn, SESSION_FINAL_TIMEOUT_S);
	if (session_read_reply(s, &io) < 0) {
		session_greeting_hint(s, &io);
		if (io.kind == ERR_PROTOCOL && e->kind == ERR_NONE) {
			*e = io;
			return -1;
		}
		session_lost(s, &io, e);
		return -1;
	}
	if (s->replies == 1 && s->a->timeout == 0)
		conn_set_timeout(&s->conn, SESSION_TIMEOUT_S);
	smtp_feed_reply(s->smtp, &s->reply, e); /* a refusal: FAIL next */
	return 0;
}

/*
 * The engine chose a mechanism that needs the password (or OAuth2
 * token): only now is it fetched (it may run passwordeval, ask the
 * keyring or prompt on the terminal).  A failure goes to the engine,
 * which ends the dialogue with QUIT.
 */
static void session_secret(struct session *s)
{
	struct account *a = s->auth_a;
	struct err why = ERR_INIT;

	if (a && !a->password) {
		s->secret_fetched = 1;
		account_resolve_password(a, &why);
	}
	if (why.kind == ERR_NONE && (!a || !a->password))
		err_set(&why, ERR_CONFIG,
			"no password for user '%s' at '%s' (set password, "
			"passwordeval, .netrc, or run on a terminal)",
			a && a->user ? a->user : "",
			s->a->host ? s->a->host : "");
	smtp_secret_done(s->smtp, why.kind == ERR_NONE ? a->password : NULL,
			 &why);
}

static int session_run(struct session *s, struct err *e)
{
	struct err io = ERR_INIT;

	for (;;) {
		switch (smtp_next(s->smtp, e)) {
		case SMTP_WANT_REPLY:
			if (session_reply(s, e) < 0)
				return -1;
			break;
		case SMTP_WANT_TLS:
			/* A failed handshake leaves nothing to say QUIT on. */
			if (session_starttls(s, e) < 0)
				return -1;
			break;
		case SMTP_WANT_SECRET:
			session_secret(s);
			break;
		case SMTP_WANT_BODY:
			if ((smtp_body_mode(s->smtp) == SMTP_BODY_BDAT
				     ? session_body_bdat(s, &io)
				     : session_body_data(s, &io)) < 0) {
				session_lost(s, &io, e);
				return -1;
			}
			smtp_body_done(s->smtp);
			break;
		case SMTP_WANT_DONE:
			/* QUIT is queued; its reply is not waited for. */
			if (session_push(s, &io) == 0)
				conn_flush(&s->conn, &io);
			return 0;
		case SMTP_WANT_FAIL:
			if (session_push(s, &io) == 0)
				conn_flush(&s->conn, &io);
			return -1;
		case SMTP_WANT_ABORT:
		default:
			return -1;
		}
	}
}

/*
 * The one way into a session, for sending and for --serverinfo alike:
 * connect (direct, SOCKS5 or unix socket), then implicit TLS when the
 * account asks for it; the engine then reads the greeting and runs EHLO
 * and STARTTLS.  session_close() releases whatever this got to.
 */
static int session_open(struct session *s, const struct account *a,
			struct smtp_config *cfg, struct buf *detail,
			struct err *e)
{
	memset(s, 0, sizeof(*s));
	s->a = a;
	s->detail = detail;
	s->port = a->port ? a->port : a->protocol == PROTO_LMTP ? 24 : 25;
	/* 465 without implicit TLS can only time out: do not wait long. */
	conn_init(&s->conn,
		  a->timeout > 0 ? a->timeout
		  : s->port == SESSION_SMTPS_PORT && !implicit_tls(a)
			  ? SESSION_SMTPS_GREETING_S
			  : SESSION_TIMEOUT_S,
		  SESSION_DEADLINE_S);
	reply_parser_init(&s->rp);
	reply_init(&s->reply);
	buf_init(&s->line, REPLY_LINE_MAX + 3);
	cfg->protocol = a->protocol;
	/* queued messages carry no account facts in their envelope */
	cfg->send_8bit = a->send_8bit_without_8bitmime;
	cfg->helo_domain = a->domain ? a->domain : "localhost";
	cfg->starttls = a->tls && a->tls_starttls;
	cfg->server = a->host ? a->host : a->socket;
	if (a->tls)
		session_tls_config(s);
	if (cfg->sasl)
		s->sasl = cfg->sasl;
	if (a->tls && !a->tls_certcheck)
		log_warn("warning: TLS certificate verification is off for "
			 "account '%s'",
			 a->name ? a->name : "default");
	s->smtp = smtp_new(cfg);
	if (!s->smtp)
		return err_set(e, ERR_OSERR, "out of memory");
	if (session_connect(s, e) < 0)
		return -1;
	/* an international name: what the user wrote, then what DNS got */
	if (a->host_unicode && !a->socket)
		log_debug("connected to %s (%s):%d", a->host_unicode, a->host,
			  s->port);
	else
		log_debug("connected to %s", s->conn.peer);
	if (!implicit_tls(a))
		return 0;
	if (conn_implicit_tls(&s->conn, &s->tc, detail, e) < 0)
		return -1;
	session_tls_started(s);
	return 0;
}

static void session_close(struct session *s)
{
	smtp_free(s->smtp);
	sasl_free(s->sasl);
	conn_close(&s->conn);
	reply_parser_release(&s->rp);
	reply_release(&s->reply);
	buf_release(&s->line);
	buf_release(&s->pre_tls);
	free(s->cache_file);
}

/* The SASL parameters of an account with authentication on. */
static struct sasl *session_sasl(const struct account *a, int port,
				 struct err *e)
{
	struct sasl_params p;

	memset(&p, 0, sizeof(p));
	p.method = a->auth == AUTH_METHOD ? a->auth_method : NULL;
	p.user = a->user;
	p.server = a->host ? a->host : a->socket;
	p.host = a->host;
	p.port = port;
	p.ntlmdomain = a->ntlmdomain;
	return sasl_new(&p, e);
}

/* Nothing open yet: session_close() is safe (no fd 0 closed). */
static void session_blank(struct session *s)
{
	memset(s, 0, sizeof(*s));
	s->conn.fd = -1;
}

/* The server's final reply, sanitised, for the delivery log. */
static void session_final(struct session *s, struct buf *final)
{
	char summary[REPLY_LINE_MAX];

	if (final && s->smtp && smtp_final_reply(s->smtp))
		buf_puts(final, reply_summary(smtp_final_reply(s->smtp),
					      summary, sizeof(summary)));
}

/*
 * One connection, left open in *s for the caller to close (a batch goes
 * on with it).  *retry (when not NULL) is set when the server refused an
 * OAuth2 access token that mailhop fetched itself: a fresh one may work
 * (it may have expired between the cache check and its use).
 */
static int session_attempt(struct session *s, struct account *a, int batch,
			   const struct envelope *env, struct msg *m,
			   struct buf *detail, struct buf *final, int *retry,
			   struct err *e)
{
	struct smtp_config cfg;
	int r = -1;

	session_blank(s);
	memset(&cfg, 0, sizeof(cfg));
	cfg.env = env;
	cfg.allow_chunking = 1;
	cfg.allow_pipelining = 1;
	cfg.batch = batch;
	if (a->auth != AUTH_OFF) {
		cfg.sasl = session_sasl(a, a->port ? a->port : 25, e);
		if (!cfg.sasl)
			return -1;
	}
	if (session_open(s, a, &cfg, detail, e) == 0) {
		s->m = m;
		s->auth_a = a;
		r = session_run(s, e);
	}
	if (r == 0)
		session_final(s, final);
	if (r < 0 && retry && s->smtp && smtp_auth_rejected(s->smtp) &&
	    sasl_is_bearer(smtp_auth_mech(s->smtp)) && s->secret_fetched &&
	    secret_is_oauth2(a))
		*retry = 1;
	return r;
}

/* A new connection, and once more with a fresh OAuth2 token if asked. */
static int session_connect_send(struct session *s, struct account *a, int batch,
				const struct envelope *env, struct msg *m,
				struct buf *detail, struct buf *final,
				struct err *e)
{
	int retry = 0;
	int r = session_attempt(s, a, batch, env, m, detail, final, &retry, e);

	if (r == 0 || !retry)
		return r;
	session_close(s);
	session_blank(s);
	log_debug("the server refused the OAuth2 access token: getting a "
		  "new one and trying once more");
	err_clear(e);
	if (secret_oauth2_refresh(a, 1, e) < 0)
		return -1;
	return session_attempt(s, a, batch, env, m, detail, final, NULL, e);
}

int session_send(struct account *a, const struct envelope *env, struct msg *m,
		 struct buf *detail, struct buf *final, struct err *e)
{
	struct session s;
	int r = session_connect_send(&s, a, 0, env, m, detail, final, e);

	session_close(&s);
	return r;
}

/* ------------------------------------------------------------ batch */

struct session_batch {
	struct account *a;
	struct buf *detail;
	struct session s;
	int open;  /* s holds a connection (maybe no longer usable) */
	int multi; /* batch mode; else one message per connection */
};

struct session_batch *session_batch_new(struct account *a, int multi,
					struct buf *detail)
{
	struct session_batch *b = calloc(1, sizeof(*b));

	if (b) {
		b->a = a;
		b->multi = multi;
		b->detail = detail;
	}
	return b;
}

/* Say QUIT when the dialogue is still good, then close. */
static void batch_end(struct session_batch *b)
{
	struct err io = ERR_INIT;

	if (!b->open)
		return;
	if (b->s.smtp && smtp_reusable(b->s.smtp)) {
		smtp_quit(b->s.smtp);
		if (session_push(&b->s, &io) == 0)
			conn_flush(&b->s.conn, &io);
	}
	session_close(&b->s);
	b->open = 0;
}

int session_batch_send(struct session_batch *b, const struct envelope *env,
		       struct msg *m, struct buf *final, struct err *e)
{
	int r;

	if (b->open && smtp_reusable(b->s.smtp)) {
		b->s.m = m;
		if (smtp_next_message(b->s.smtp, env, e) < 0)
			return -1;
		r = session_run(&b->s, e);
		if (r == 0)
			session_final(&b->s, final);
		return r;
	}
	batch_end(b);
	r = session_connect_send(&b->s, b->a, b->multi, env, m, b->detail,
				 final, e);
	b->open = 1;
	return r;
}

int session_batch_usable(const struct session_batch *b)
{
	return b->open && b->s.smtp && smtp_reusable(b->s.smtp);
}

void session_batch_free(struct session_batch *b)
{
	if (!b)
		return;
	batch_end(b);
	free(b);
}

/* ------------------------------------------------------------ serverinfo */

/* What the capabilities mean, for people reading --serverinfo. */
static const struct {
	const char *keyword;
	const char *meaning;
} cap_meanings[] = {
	{"PIPELINING", "command pipelining (RFC 2920)"},
	{"SIZE", "message size declaration (RFC 1870)"},
	{"8BITMIME", "8-bit message bodies (RFC 6152)"},
	{"SMTPUTF8", "UTF-8 addresses and headers (RFC 6531)"},
	{"CHUNKING", "BDAT message chunks (RFC 3030)"},
	{"BINARYMIME", "binary message bodies (RFC 3030)"},
	{"DSN", "delivery status notifications (RFC 3461)"},
	{"ENHANCEDSTATUSCODES", "enhanced status codes (RFC 2034)"},
	{"STARTTLS", "TLS via STARTTLS (RFC 3207)"},
	{"AUTH", "authentication methods (RFC 4954)"},
	{"REQUIRETLS", "REQUIRETLS (RFC 8689)"},
	{"DELIVERBY", "deliver by (RFC 2852)"},
	{"ETRN", "remote queue starting (RFC 1985)"},
	{"HELP", "HELP command"},
	{"VRFY", "address verification"},
};

static const char *cap_meaning(const char *line, size_t len)
{
	size_t kw = 0, i;

	while (kw < len && line[kw] != ' ' && line[kw] != '=')
		kw++;
	for (i = 0; i < sizeof(cap_meanings) / sizeof(cap_meanings[0]); i++)
		if (strlen(cap_meanings[i].keyword) == kw &&
		    strncasecmp(line, cap_meanings[i].keyword, kw) == 0)
			return cap_meanings[i].meaning;
	return NULL;
}

/* Each line of untrusted server text, sanitised and indented. */
static void info_lines(struct buf *out, const char *text, size_t len,
		       int skip_first, int annotate)
{
	char clean[REPLY_LINE_MAX + 1];
	size_t i = 0, n;
	int first = 1;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		const char *meaning;

		n = nl ? (size_t)(nl - (text + i)) : len - i;
		if (!(first && skip_first)) {
			sanitize(clean, sizeof(clean), text + i, n);
			meaning = annotate ? cap_meaning(clean, strlen(clean))
					   : NULL;
			if (meaning)
				buf_printf(out, "    %-28s %s\n", clean,
					   meaning);
			else
				buf_printf(out, "    %s\n", clean);
		}
		first = 0;
		i += n + 1;
	}
}

static void info_caps(struct buf *out, const char *title,
		      const struct reply *ehlo)
{
	buf_printf(out, "%s:\n", title);
	if (!ehlo || ehlo->nlines < 2) {
		buf_puts(out, "    (none: the server does not support EHLO)\n");
		return;
	}
	info_lines(out, ehlo->text.data, ehlo->text.len, 1, 1);
}

/* Indent a multi-line block (tls_cert_summary()) by four spaces. */
static void info_block(struct buf *out, const struct buf *in)
{
	size_t i = 0, n;

	while (in->data && i < in->len) {
		const char *nl = memchr(in->data + i, '\n', in->len - i);

		n = nl ? (size_t)(nl - (in->data + i)) : in->len - i;
		buf_puts(out, n ? "    " : "");
		buf_append(out, in->data + i, n);
		buf_putc(out, '\n');
		i += n + 1;
	}
}

static void info_tls(struct buf *out, const struct tls *t)
{
	struct buf b = BUF_INIT(64 * 1024);

	tls_describe(t, &b);
	buf_printf(out, "TLS:\n    %s%s\n", b.data ? b.data : "",
		   tls_resumed(t) ? " (session resumed)" : "");
	buf_reset(&b);
	tls_cert_summary(t, &b);
	buf_puts(out, "Certificate chain:\n");
	info_block(out, &b);
	if (b.error && !out->error) /* a line missing from the report */
		out->error = b.error;
	buf_release(&b);
}

static void info_print(struct session *s, struct buf *out)
{
	const struct reply *g = smtp_greeting(s->smtp);
	const struct smtp_caps *c = smtp_caps(s->smtp);
	struct reply pre;

	buf_printf(out, "%s server at %s:\n",
		   s->a->protocol == PROTO_LMTP ? "LMTP" : "SMTP",
		   s->conn.peer);
	if (g)
		info_lines(out, g->text.data, g->text.len, 0, 0);
	if (s->pre_tls.len > 0) {
		reply_init(&pre);
		pre.nlines = 2;
		pre.text = s->pre_tls;
		info_caps(out, "Capabilities before STARTTLS", &pre);
		info_caps(out, "Capabilities after STARTTLS",
			  smtp_ehlo_reply(s->smtp));
	} else {
		info_caps(out, "Capabilities", smtp_ehlo_reply(s->smtp));
	}
	if (c->size && c->size_max > 0)
		buf_printf(out, "Maximum message size: %llu bytes (%.1f MiB)\n",
			   c->size_max, (double)c->size_max / (1024 * 1024));
	if (s->conn.tls)
		info_tls(out, s->conn.tls);
	else
		buf_puts(out, "TLS: not used\n");
}

int session_serverinfo(const struct account *a, struct buf *out,
		       struct buf *detail, struct err *e)
{
	struct session s;
	struct smtp_config cfg;
	int r = -1;

	memset(&cfg, 0, sizeof(cfg));
	cfg.info_only = 1;
	if (session_open(&s, a, &cfg, detail, e) == 0) {
		buf_init(&s.pre_tls, REPLY_LINE_MAX * REPLY_LINES_MAX);
		r = session_run(&s, e);
		if (r == 0)
			info_print(&s, out);
		/* A report with a line missing is no report. */
		if (r == 0 && (out->error || s.pre_tls.error)) {
			errno = out->error ? out->error : s.pre_tls.error;
			r = err_set_buf(e, ERR_SOFTWARE,
					"the server information is too large");
		}
	}
	session_close(&s);
	return r;
}
