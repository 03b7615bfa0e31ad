/*
 * session.h - the one driver loop: connect to the account's smarthost,
 * run the protocol engine (smtp.c), write what it queues, read and parse
 * replies, stream the message body, and close.
 *
 * Contract: session_send() returns 0 when the server accepted the
 * message for every recipient (2xx after the final data), else -1 with
 * the error in *e.  A connection lost or timed out after the final data
 * was sent and before its reply sets e->maybe_delivered and says so.
 * On success the server's final reply, sanitised, goes into *final (when
 * not NULL) for the delivery log.  It never exits and prints only the -v
 * transcript (and the warning line of an account with tls_certcheck off).
 *
 * TLS (DESIGN.md §2): implicit TLS right after connect when the account
 * says tls on + tls_starttls off; STARTTLS otherwise, never a fallback
 * to plain text.  When the server's certificate is rejected (ERR_NOPERM)
 * its subject, issuer, validity and fingerprint lines are appended to
 * *detail (when not NULL) for main.c to print after the error line.
 * With tls_session_cache on, the TLS session is cached in
 * $XDG_CACHE_HOME/mailhop/tls-session-ACCOUNT-HOST-PORT (default
 * ~/.cache/mailhop; directories 0700) and resumed on the next run.
 *
 * Authentication (account auth on or a method): a SASL object (sasl.c)
 * goes to the engine, with the TLS channel binding once TLS is up.  The
 * password is fetched (account_resolve_password(), which fills
 * a->password: hence the non-const account) only when the engine asks
 * for it with SMTP_WANT_SECRET, i.e. when the server offers AUTH and the
 * chosen mechanism needs one.  When the server refuses an OAuth2 access
 * token that mailhop fetched itself (secret_is_oauth2()), the whole
 * submission is tried once more on a new connection with a freshly
 * refreshed token (secret_oauth2_refresh(a, 1)).
 *
 * session_serverinfo() runs the same connect/TLS/EHLO sequence without
 * an envelope and appends a readable report to *out: greeting,
 * capabilities (before and after STARTTLS), TLS version and cipher,
 * certificate chain.  Errors as session_send().
 */
#ifndef MAILHOP_SESSION_H
#define MAILHOP_SESSION_H

#include "buf.h"
#include "conf.h"
#include "envelope.h"
#include "err.h"
#include "msg.h"

/* Overall deadline for one submission, whatever the per-step timeouts. */
#define SESSION_DEADLINE_S (30 * 60)
/* RFC 5321 §4.5.3.2: 5 minutes for the greeting, MAIL and RCPT ... */
#define SESSION_TIMEOUT_S (5 * 60)
/* ... and 10 minutes for the reply to the final dot. */
#define SESSION_FINAL_TIMEOUT_S (10 * 60)

int session_send(struct account *a, const struct envelope *env, struct msg *m,
		 struct buf *detail, struct buf *final, struct err *e);
int session_serverinfo(const struct account *a, struct buf *out,
		       struct buf *detail, struct err *e);

/*
 * A batch (for flushing the queue): several messages for one account
 * over one connection, greeting, EHLO, TLS and AUTH done once, RSET
 * between two transactions (smtp.h "Batch mode"), the data's final
 * reply waited for before the next message, QUIT at the end.
 * session_batch_send() returns as session_send(); the connection is
 * made on the first message, and again after one that left the dialogue
 * unusable.  session_batch_usable() says whether the connection is still
 * open and usable: after a temporary failure with an unusable connection
 * the caller should not try the account's other messages now.  a and
 * detail must outlive the batch; session_batch_free() says QUIT.  With
 * multi 0 every message gets its own connection exactly as
 * session_send() (QUIT pipelined after the data): for a batch of one.
 */
struct session_batch;
struct session_batch *session_batch_new(struct account *a, int multi,
					struct buf *detail);
int session_batch_send(struct session_batch *b, const struct envelope *env,
		       struct msg *m, struct buf *final, struct err *e);
int session_batch_usable(const struct session_batch *b);
void session_batch_free(struct session_batch *b);

#endif
