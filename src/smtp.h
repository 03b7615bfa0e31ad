/*
 * smtp.h - the SMTP/LMTP protocol engine.  It does no I/O (STYLE.md rule
 * 3): the session writes what the engine queues, reads replies and feeds
 * them back, and streams the body when asked.  Unit tests drive it with
 * tables of replies and compare the commands it queued.
 *
 * The driver loop (session.c):
 *
 *     for (;;) switch (smtp_next(s, &e)) {
 *     case SMTP_WANT_REPLY:  write smtp_output(s); read one reply;
 *                            smtp_feed_reply(s, &reply, &e); break;
 *     case SMTP_WANT_BODY:   stream the body (see smtp_body_mode());
 *                            smtp_body_done(s); break;
 *     case SMTP_WANT_TLS:    run the TLS handshake (STARTTLS got 220);
 *                            smtp_tls_done(s); break;
 *     case SMTP_WANT_SECRET: fetch the password/token (lazily: only now
 *                            that authentication really happens);
 *                            smtp_secret_done(s, secret, why); break;
 *     case SMTP_WANT_DONE:   write smtp_output(s) (QUIT); close; success
 *     case SMTP_WANT_FAIL:   write smtp_output(s) (QUIT); close; e is set
 *     case SMTP_WANT_ABORT:  close at once without writing; e is set
 *     }
 *
 * Behaviour (DESIGN.md §2 "Protocol"):
 *  - Waits for the greeting; EHLO (LHLO for LMTP) and HELO fallback on
 *    5xx to EHLO (SMTP only).  Capabilities parsed into struct smtp_caps.
 *  - With PIPELINING: MAIL, every RCPT and DATA in one flight; with
 *    CHUNKING and PIPELINING the body goes as BDAT chunks in the same
 *    flight.  Without PIPELINING one command per reply.
 *  - MAIL FROM carries SIZE= (when offered), BODY=8BITMIME (when the
 *    message is 8-bit and it is offered), SMTPUTF8 (see below), RET=/
 *    ENVID= (when DSN is offered and asked for), in that order; RCPT TO
 *    carries NOTIFY=.  A message larger than the server's SIZE limit
 *    fails before MAIL (ERR_DATAERR).
 *  - International mail (RFC 6531/6532): SMTPUTF8 goes on MAIL when an
 *    address needs it (env->needs_smtputf8: a non-ASCII local part; the
 *    server must offer it, else ERR_DATAERR before MAIL "address <a>
 *    needs SMTPUTF8, which server 'H' does not offer") or when the header
 *    block holds raw UTF-8 (env->header_utf8) and the server offers it;
 *    never otherwise.  An 8-bit message (env->body_8bit) to a server
 *    without 8BITMIME: ERR_DATAERR before MAIL, unless env->send_8bit or
 *    cfg.send_8bit (send_8bit_without_8bitmime): then it goes unchanged
 *    without BODY=.
 *  - All-or-nothing recipients: a refused RCPT fails the message before
 *    the final dot, naming the recipient.  When DATA was already
 *    accepted (354) the engine asks for SMTP_WANT_ABORT, so the dot is
 *    never sent; with BDAT no LAST chunk is sent until every RCPT was
 *    accepted, unless there is one recipient only.
 *  - QUIT is queued after the final data and not waited for.
 *  - STARTTLS (cfg.starttls, DESIGN.md §2 "TLS"): after EHLO, STARTTLS
 *    is queued alone (nothing pipelined after it); on 220 the engine
 *    asks for SMTP_WANT_TLS; smtp_tls_done() forgets every capability
 *    and sends EHLO again.  STARTTLS not offered (or HELO only):
 *    ERR_TEMPFAIL "server 'NAME' does not offer STARTTLS"; a 4xx or 5xx
 *    reply to it: ERR_TEMPFAIL "server refused STARTTLS: ..."; both end
 *    with nothing but QUIT, never a fallback to plain text.
 *  - Authentication (cfg.sasl set, RFC 4954), after the (last) EHLO,
 *    so after TLS: the mechanism comes from sasl_choose() (no AUTH
 *    offered, nothing usable, or an explicit method not offered:
 *    ERR_UNAVAILABLE, nothing but QUIT).  When it needs a secret the
 *    engine returns SMTP_WANT_SECRET first: the engine itself never
 *    fetches secrets (no I/O) and the session fetches the password only
 *    when a mechanism needs one.  "AUTH MECH <initial response>" (an
 *    empty one as "=") when the client speaks first and the line fits
 *    SMTP_CMD_MAX; otherwise "AUTH MECH" and the response after the
 *    server's empty 334 (RFC 4954 §4).  334 rounds through sasl_step();
 *    every line sent in answer to a 334 is logged as "[credentials
 *    hidden]".  A challenge sasl.c refuses (not base64, too large, after
 *    the end) is cancelled with "*" (RFC 4954 §4) and fails
 *    ERR_PROTOCOL.  235 success; 4xx ERR_TEMPFAIL; 5xx ERR_NOPERM
 *    "authentication failed: 535 5.7.8 ...".
 *  - Pipelining AUTH (RFC 4954 §4): only when its initial response is
 *    on the AUTH line and the mechanism completes in one round trip
 *    without a security layer (PLAIN, EXTERNAL): then MAIL, RCPT and
 *    DATA follow in the same flight.  A failed AUTH fails the run; the
 *    pipelined replies (530/503) are drained, and a DATA that got 354
 *    anyway ends in SMTP_WANT_ABORT (no data, no dot).  BDAT waits for
 *    the AUTH reply, so no message content goes out before the server
 *    accepted the credentials.  A 334 to a pipelined AUTH cannot be
 *    answered (the next command would be taken as the answer): stop,
 *    ERR_PROTOCOL.
 *  - Info mode (cfg.info_only, for --serverinfo): no envelope; after the
 *    (last) EHLO QUIT is queued and SMTP_WANT_DONE returned.
 *  - LMTP: one reply per accepted recipient after the data; any failure
 *    fails the run naming the recipient.
 *  - Error mapping (the exit table): greeting/EHLO/HELO 4xx, any 4xx ->
 *    ERR_TEMPFAIL; 5xx to MAIL -> ERR_DATAERR; 5xx to RCPT -> ERR_NOUSER;
 *    5xx greeting/HELO/DATA/final dot -> ERR_UNAVAILABLE; a reply that
 *    fits no command (unexpected code class) -> ERR_PROTOCOL.  Messages:
 *    "server refused recipient <a@b>: 550 5.1.1 no such user".
 *
 * Decisions made in smtp.c (engine behaviour, tested in test_smtp.c):
 *  - Nothing is sent before the greeting; only 220 is a greeting.  The
 *    envelope is checked first (an address holding a control byte:
 *    ERR_DATAERR, no recipients: ERR_USAGE): then nothing at all is sent.
 *  - BDAT only when CHUNKING *and* PIPELINING are offered and allowed
 *    (each chunk would otherwise need its own reply); else DATA.
 *  - More than SMTP_PIPELINE_RCPTS recipients: several flights.
 *  - 8-bit message (env->body_8bit) and no 8BITMIME: ERR_DATAERR before
 *    MAIL (RFC 6152; DESIGN.md exit 65) unless send_8bit.  A UTF-8
 *    address and no SMTPUTF8: ERR_DATAERR too (the message cannot be
 *    sent as it is; checked first).
 *  - DSN asked for but not offered: the request is dropped with a
 *    log_debug() line and the message is sent (msmtp 1.8.23 fails with
 *    "the server does not support DSN" instead).  NOTIFY and RET values
 *    are upper-cased; DSN values with space, '=' or control bytes:
 *    ERR_DATAERR.
 *  - After a refusal the outstanding pipelined replies are still read
 *    (smtp_next() keeps asking for them); then QUIT + SMTP_WANT_FAIL, or
 *    SMTP_WANT_ABORT when the server waits for message data (DATA got
 *    354, or a DATA reply was never read).  A 421 anywhere ("server is
 *    unavailable: 421 ...", ERR_TEMPFAIL) or a reply of the wrong class
 *    (ERR_PROTOCOL "unexpected server reply to DATA: 250 ...") ends the
 *    dialogue at once without reading more.
 *  - AUTH PLAIN/EXTERNAL with an initial response is pipelined with
 *    MAIL and RCPT (RFC 4954 §4); a small message to one recipient
 *    (SMTP_AUTH_BODY_MAX) follows with BDAT LAST in the same flight.  If
 *    AUTH then fails but BDAT LAST gets 2xx, the transaction succeeds
 *    with a log_warn() naming the AUTH failure.
 *  - QUIT is queued on every end after the greeting came (never waited
 *    for; writing it may fail after a 421: the session should ignore that).
 *  - LMTP: the replies after the dot are all read; the first failure
 *    wins: "server refused the message for recipient <a@b>: ..." with
 *    ERR_NOUSER (5xx) or ERR_TEMPFAIL (4xx).  No HELO fallback.
 *  - Messages: "server refused EHLO|HELO|LHLO: ...", "server refused the
 *    sender <x>: ...", "server refused recipient <a@b>: ...", "server
 *    refused the message: ..." (DATA, BDAT, final dot), "message size N
 *    exceeds the server's limit of M" (ERR_DATAERR), "command longer than
 *    512 octets: ..." (ERR_DATAERR; the flight holding it is not sent).
 */
#ifndef MAILHOP_SMTP_H
#define MAILHOP_SMTP_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "conf.h"
#include "envelope.h"
#include "err.h"
#include "reply.h"
#include "sasl.h"

/* RFC 5321 §4.5.3.1.4: command line 512 octets including CRLF. */
#define SMTP_CMD_MAX 512
/* Bytes of body per BDAT chunk. */
#define SMTP_BDAT_CHUNK (256 * 1024)
/*
 * A message of at most this many octets (one recipient, SMTP, not batch
 * mode) travels with BDAT LAST in the same flight as a pipelined AUTH
 * PLAIN/EXTERNAL: one round trip less.  Should AUTH fail and the server
 * still take the message (it did not require AUTH), the message counts
 * as delivered, with a warning: reporting a failure would make the
 * caller or the queue send it again.
 */
#define SMTP_AUTH_BODY_MAX (64 * 1024)
/*
 * RCPTs per pipelined flight.  A blocking session writes a whole flight
 * before it reads a reply; with thousands of recipients the server's
 * replies could fill the socket buffers while we still write (RFC 2920
 * §3.1 deadlock), so larger lists go in flights of this many.
 */
#define SMTP_PIPELINE_RCPTS 100
/*
 * Cap of smtp_output(): one flight of commands plus one BDAT chunk's
 * bytes, should the session append them there (twice, for slack).
 */
#define SMTP_OUT_MAX \
	(2 * SMTP_BDAT_CHUNK + (SMTP_PIPELINE_RCPTS + 8) * SMTP_CMD_MAX)

enum smtp_want {
	SMTP_WANT_REPLY = 1,
	SMTP_WANT_BODY,
	SMTP_WANT_DONE,
	SMTP_WANT_FAIL,
	SMTP_WANT_ABORT,
	SMTP_WANT_TLS,	  /* start TLS now, then call smtp_tls_done() */
	SMTP_WANT_SECRET, /* fetch the secret, then smtp_secret_done() */
};

enum smtp_body_mode { SMTP_BODY_DATA = 0, SMTP_BODY_BDAT };

struct smtp_caps {
	int esmtp; /* EHLO/LHLO answered 250 */
	int pipelining;
	int size;		     /* SIZE offered */
	unsigned long long size_max; /* 0 = no limit given */
	int eightbitmime;
	int smtputf8;
	int chunking;
	int dsn;
	int enhancedstatuscodes;
	int starttls;
	char auth[256]; /* mechanisms after AUTH, space-separated */
};

struct smtp_config {
	enum conf_protocol protocol;
	const char *helo_domain; /* EHLO/LHLO argument */
	const struct envelope *env;
	int allow_chunking;   /* default 1 */
	int allow_pipelining; /* default 1 */
	int starttls;	      /* use STARTTLS (TLS or nothing) */
	int info_only;	      /* --serverinfo: stop after EHLO; env unused */
	const char *server;   /* server name for messages, or NULL */
	struct sasl *sasl;    /* authenticate (caller-owned), or NULL */
	int batch;	      /* several messages: see smtp_next_message() */
	int send_8bit;	      /* send_8bit_without_8bitmime of the account that
			* sends (env->send_8bit is the one of the account
			* that built the envelope; either allows it) */
};

struct smtp;

struct smtp *smtp_new(const struct smtp_config *cfg);
void smtp_free(struct smtp *s);
enum smtp_want smtp_next(struct smtp *s, struct err *e);
/* Bytes the session must write before reading the next reply. */
struct buf *smtp_output(struct smtp *s);
/*
 * Hand over the next complete reply.  A refusal is recorded in *e at
 * once (so it wins over a later "connection lost" while the remaining
 * pipelined replies are read) yet 0 is returned: keep calling
 * smtp_next(), which asks for the outstanding replies and then ends with
 * SMTP_WANT_FAIL or SMTP_WANT_ABORT.  -1 only when no reply was expected
 * (a session bug; ERR_SOFTWARE).
 */
int smtp_feed_reply(struct smtp *s, const struct reply *r, struct err *e);
enum smtp_body_mode smtp_body_mode(const struct smtp *s);
/*
 * BDAT mode: queue "BDAT <len>[ LAST]\r\n" into smtp_output(); the
 * session appends exactly len body bytes after it (and writes the output
 * before the next chunk: SMTP_OUT_MAX holds about one chunk).  Only in
 * SMTP_WANT_BODY; after the LAST chunk no other.  A last chunk of 0
 * bytes ("BDAT 0 LAST") is valid (RFC 3030 §2).
 */
int smtp_bdat_command(struct smtp *s, size_t len, int last, struct err *e);
/*
 * The body has been written (DATA: including the final "."; BDAT: the
 * LAST chunk queued).  Queues QUIT, whose reply is never read.
 */
void smtp_body_done(struct smtp *s);
const struct smtp_caps *smtp_caps(const struct smtp *s);
/* The last reply to the final dot (for the log line), or NULL. */
const struct reply *smtp_final_reply(const struct smtp *s);
/*
 * The TLS handshake after SMTP_WANT_TLS succeeded: forget the
 * capabilities learnt in plain text and queue EHLO again (RFC 3207 §4.2).
 */
void smtp_tls_done(struct smtp *s);
/* The greeting, and the last successful EHLO/LHLO reply (its text holds
 * the server's name line, then one capability per line); NULL before. */
const struct reply *smtp_greeting(const struct smtp *s);
const struct reply *smtp_ehlo_reply(const struct smtp *s);
/* Has the final dot / BDAT LAST been sent?  (for "may have been
 * delivered" when the connection drops before its reply) */
int smtp_data_sent(const struct smtp *s);
/*
 * After SMTP_WANT_SECRET: the secret (copied into the sasl object), or
 * NULL and why it could not be had (recorded; the run ends with QUIT).
 */
void smtp_secret_done(struct smtp *s, const char *secret,
		      const struct err *why);
/* The mechanism chosen (NULL before, or without authentication), and
 * whether the server refused the credentials (535, or a bearer token's
 * error report): the session's cue for one OAuth2 token refresh. */
const char *smtp_auth_mech(const struct smtp *s);
int smtp_auth_rejected(const struct smtp *s);

/*
 * Batch mode (cfg.batch, for flushing the queue): several messages over
 * one connection, with greeting, EHLO, STARTTLS and AUTH done once.
 *  - smtp_body_done() queues no QUIT: after the reply to the final data
 *    smtp_next() returns SMTP_WANT_DONE with nothing to write.
 *  - A transaction that failed without spoiling the dialogue (a refused
 *    MAIL, RCPT, DATA or final dot, a 4xx, a local check such as SIZE)
 *    also queues no QUIT; smtp_reusable() then says 1.  It says 0 after
 *    a 421, a protocol error, an abort (the server waits for data), a
 *    failure before the dialogue was ready (greeting, EHLO, STARTTLS,
 *    AUTH), or smtp_quit().
 *  - smtp_next_message() starts the next transaction for env (which must
 *    outlive it): "RSET" (RFC 5321 §4.1.1.5), then MAIL, RCPTs and DATA
 *    (with PIPELINING in the same flight as RSET, RFC 2920 §3.1; without
 *    it, after RSET's 250).  The driver loop runs as for the first one.
 *    A non-2xx reply to RSET fails the message (ERR_TEMPFAIL) and the
 *    dialogue (not reusable).  -1 (ERR_SOFTWARE) when not reusable.
 *  - smtp_quit() queues QUIT (never waited for) to end the batch.
 */
int smtp_reusable(const struct smtp *s);
int smtp_next_message(struct smtp *s, const struct envelope *env,
		      struct err *e);
void smtp_quit(struct smtp *s);

#endif
