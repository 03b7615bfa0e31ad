/*
 * session.h - the one driver loop: connect to the account's smarthost,
 * run the protocol engine (smtp.c), write what it queues, read and parse
 * replies, stream the message body, and close.
 *
 * Contract: session_send() returns 0 when the server accepted the
 * message for every recipient (2xx after the final data), else -1 with
 * the error in *e.  A connection lost or timed out after the final data
 * was sent and before its reply sets e->maybe_delivered and says so.
 * It never exits and prints only the -v transcript.
 */
#ifndef MAILHOP_SESSION_H
#define MAILHOP_SESSION_H

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

int session_send(const struct account *a, const struct envelope *env,
		 struct msg *m, struct err *e);

#endif
