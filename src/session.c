/*
 * session.c - the driver loop (see session.h).
 *
 * The engine (smtp.c) decides what to send and what a reply means; this
 * file only moves bytes: engine output and body bytes into the
 * connection's batch buffer, reply lines from the connection into the
 * reply parser and back into the engine.
 */
#include "session.h"

#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "dotstuff.h"
#include "log.h"
#include "reply.h"
#include "smtp.h"

/* Bytes read from the spool at a time. */
#define SESSION_READ_CHUNK (64 * 1024)

struct session {
	const struct account *a;
	struct conn conn;
	struct smtp *smtp;
	struct msg *m;
	struct reply_parser rp;
	struct reply reply;
	struct buf line;
};

static int session_connect(struct session *s, struct err *e)
{
	const struct account *a = s->a;
	int port = a->port;

	if (a->socket)
		return conn_open_unix(&s->conn, a->socket, e);
	if (port == 0)
		port = a->protocol == PROTO_LMTP ? 24 : 25;
	if (!a->proxy_host)
		return conn_open_tcp(&s->conn, a->host, port, a->source_ip, e);
	/* msmtp's default SOCKS port */
	if (conn_open_tcp(&s->conn, a->proxy_host,
			  a->proxy_port ? a->proxy_port : 1080, a->source_ip,
			  e) < 0)
		return -1;
	return conn_socks5(&s->conn, a->host, port, e);
}

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
			return 0;
	}
}

static int session_body_data(struct session *s, struct err *e)
{
	struct dotstuff ds;
	struct msg_reader rd;
	struct buf wire = BUF_INIT(4 * SESSION_READ_CHUNK);
	char chunk[SESSION_READ_CHUNK];
	ssize_t n;
	int r = -1;

	dotstuff_init(&ds, DOTSTUFF_DATA);
	msg_reader_init(&rd, s->m);
	while ((n = msg_reader_read(&rd, chunk, sizeof(chunk), e)) > 0) {
		if (dotstuff_feed(&ds, chunk, (size_t)n, &wire) < 0 ||
		    conn_write(&s->conn, wire.data, wire.len, e) < 0)
			goto out;
		buf_reset(&wire);
	}
	if (n < 0 || dotstuff_finish(&ds, &wire) < 0 ||
	    conn_write(&s->conn, wire.data, wire.len, e) < 0)
		goto out;
	log_debug("--> [%llu bytes of message data]", ds.out_bytes);
	r = 0;
out:
	if (r < 0)
		err_set(e, ERR_SOFTWARE, "cannot encode the message");
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
	char chunk[SESSION_READ_CHUNK];
	ssize_t n;
	int r = -1;

	dotstuff_init(&ds, DOTSTUFF_BDAT);
	msg_reader_init(&rd, s->m);
	while ((n = msg_reader_read(&rd, chunk, sizeof(chunk), e)) > 0) {
		if (dotstuff_feed(&ds, chunk, (size_t)n, &pending) < 0)
			goto enc;
		/* More may follow, so a full chunk is never the last one. */
		while (pending.len > SMTP_BDAT_CHUNK)
			if (session_bdat_chunk(s, &pending, SMTP_BDAT_CHUNK, 0,
					       e) < 0)
				goto out;
	}
	if (n < 0)
		goto out;
	if (dotstuff_finish(&ds, &pending) < 0)
		goto enc;
	if (session_bdat_chunk(s, &pending, pending.len, 1, e) < 0)
		goto out;
	log_debug("--> [%llu bytes of message data]", ds.out_bytes);
	r = 0;
	goto out;
enc:
	err_set(e, ERR_SOFTWARE, "cannot encode the message");
out:
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

static int session_run(struct session *s, struct err *e)
{
	struct err io = ERR_INIT;

	for (;;) {
		switch (smtp_next(s->smtp, e)) {
		case SMTP_WANT_REPLY:
			if (smtp_data_sent(s->smtp) && s->a->timeout == 0)
				conn_set_timeout(&s->conn,
						 SESSION_FINAL_TIMEOUT_S);
			if (session_read_reply(s, &io) < 0) {
				if (io.kind == ERR_PROTOCOL &&
				    e->kind == ERR_NONE) {
					*e = io;
					return -1;
				}
				session_lost(s, &io, e);
				return -1;
			}
			if (smtp_feed_reply(s->smtp, &s->reply, e) < 0)
				break; /* the engine now wants FAIL */
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

int session_send(const struct account *a, const struct envelope *env,
		 struct msg *m, struct err *e)
{
	struct session s;
	struct smtp_config cfg;
	int r = -1;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.m = m;
	conn_init(&s.conn, a->timeout > 0 ? a->timeout : SESSION_TIMEOUT_S,
		  SESSION_DEADLINE_S);
	reply_parser_init(&s.rp);
	reply_init(&s.reply);
	buf_init(&s.line, REPLY_LINE_MAX + 3);
	memset(&cfg, 0, sizeof(cfg));
	cfg.protocol = a->protocol;
	cfg.helo_domain = a->domain ? a->domain : "localhost";
	cfg.env = env;
	cfg.allow_chunking = 1;
	cfg.allow_pipelining = 1;
	s.smtp = smtp_new(&cfg);
	if (!s.smtp) {
		err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	if (session_connect(&s, e) < 0)
		goto out;
	log_debug("connected to %s", s.conn.peer);
	r = session_run(&s, e);
out:
	smtp_free(s.smtp);
	conn_close(&s.conn);
	reply_parser_release(&s.rp);
	reply_release(&s.reply);
	buf_release(&s.line);
	return r;
}
