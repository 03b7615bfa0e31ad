/*
 * bs.h - -bs: an SMTP server on standard input/output (what Symfony
 * Mailer and Laravel speak to `sendmail -bs`), relaying each transaction
 * through the normal delivery path (flush.h: delivered, or queued, or an
 * error reply).
 *
 * Contract:
 *  - bs_run() greets with "220 <hostname> ESMTP mailhop" and serves
 *    commands until QUIT (221, returns 0) or the end of the input
 *    (returns 0 unless the input ended inside DATA: ERR_IOERR, nothing of
 *    that message was sent).  Replies are buffered and written when no
 *    more input is buffered (RFC 2920 pipelining), in command order.
 *  - Commands: EHLO/HELO, MAIL FROM:<a> [SIZE=n] [BODY=7BIT|8BITMIME],
 *    RCPT TO:<a> (several; addr_check_envelope()), DATA (dot-stuffed,
 *    ends with a lone "." line, CRLF or LF), RSET, NOOP, QUIT, VRFY (252).
 *    Unknown: 500; known but not offered (AUTH, STARTTLS, BDAT...): 502;
 *    out of sequence: 503; an over-long line: 500 5.5.2.  MAIL without a
 *    HELO/EHLO is accepted (as Postfix's default smtpd_helo_required=no).
 *  - Each message is spooled un-stuffed to an unlinked 0600 temp file,
 *    read with msg_read() (ignore_dots), its envelope built by
 *    envelope_build() from a copy of the command line whose -f is the
 *    MAIL address and whose recipients are the RCPT addresses (so
 *    allow_from_override, qualify_domain, aliases and the header edits
 *    are those of a normal run; -t is off), then flush_send().
 *    Delivered or queued: 250.  Failure: the error line on stderr and a
 *    reply: a refused recipient 550 5.1.1, other permanent errors 554,
 *    temporary (and local: config, I/O) errors 451 4.3.0, each with the
 *    sanitised reason.
 *  - A read or write error on the pipes, or no command for
 *    BS_IDLE_TIMEOUT_S, is ERR_IOERR.  Nothing here exits.
 *  - bs_refuse(): the "421 4.3.0 <reason>" line written when the account
 *    cannot be loaded (main.c then exits with the error's code).
 */
#ifndef MAILHOP_BS_H
#define MAILHOP_BS_H

#include "buf.h"
#include "cli.h"
#include "conf.h"
#include "err.h"

/* RFC 5321 §4.5.3.1.4: a command line is at most 512 octets with CRLF. */
#define BS_CMD_LINE_MAX 512
/* RFC 5321 §4.5.3.1.6: a text (DATA) line is at most 1000 with CRLF. */
#define BS_TEXT_LINE_MAX 1000
/*
 * Advertised with SIZE: above every big provider's limit (Microsoft 365
 * takes 150 MB); the smarthost's own SIZE is checked by the relay.  The
 * message goes to disk, memory stays flat.
 */
#define BS_SIZE_MAX (256L * 1024 * 1024)
/* RFC 5321 §4.5.3.1.8 asks for at least 100; more gets 452 4.5.3. */
#define BS_RCPTS_MAX 1000
/* RFC 5321 §4.5.3.2.7: the server waits 5 minutes for the next command. */
#define BS_IDLE_TIMEOUT_S 300
/* Read and write size on the pipes and the spool. */
#define BS_IO_CHUNK 65536
/* Reply text taken from an error message (a reply line stays < 512). */
#define BS_REPLY_TEXT_MAX 400

/* conf NULL: the account came from --host (no queue, as flush.h says). */
int bs_run(const struct cli *cli, const struct conf *conf, struct account *a,
	   int in, int out, struct err *e);
void bs_refuse(int out, const struct err *why);

#endif
