/*
 * envelope.h - the envelope: sender and recipients derived from the
 * command line, the account and the message headers (DESIGN.md §2).
 *
 * Contract:
 *  - Sender: -f (when allow_from_override) > account "from" (with msmtp's
 *    %U %H %C %M %F substitutions, auto_from/maildomain) > the message's
 *    From with --read-envelope-from.  qualify_domain is appended to
 *    unqualified sender and recipient addresses.  An empty sender "<>"
 *    is allowed only when given explicitly with -f "<>" or -f "".
 *  - Recipients: argv recipients (each argument may be an address list),
 *    plus with -t To/Cc/Bcc (or, when present, the first Resent- block's
 *    Resent-To/Resent-Cc/Resent-Bcc), duplicates removed keeping the first
 *    occurrence, each expanded through the aliases file.
 *  - Every envelope address passes addr_envelope_form() (after aliases
 *    and qualify_domain): a non-ASCII domain goes as its A-label, a
 *    non-ASCII local part sets needs_smtputf8; none: ERR_USAGE "no
 *    recipients".
 *  - envelope_build() also decides the header edits for msg.c (From,
 *    Date, Message-ID, To, Bcc) from the account's set_*_header keys,
 *    from_full_name / -F, and applies them.  A non-ASCII full name is
 *    RFC 2047 encoded (msg_encode_phrase()).
 */
#ifndef MAILHOP_ENVELOPE_H
#define MAILHOP_ENVELOPE_H

#include <sys/types.h>
#include <time.h>

#include "addr.h"
#include "cli.h"
#include "conf.h"
#include "err.h"
#include "msg.h"

/* msmtp's %M: the system mail name. */
#define ENVELOPE_MAILNAME "/etc/mailname"
/* "SUCCESS,FAILURE,DELAY" and its NUL. */
#define ENVELOPE_DSN_NOTIFY_MAX 32
/* RFC 3461 §4.4: ENVID is at most 100 characters. */
#define ENVELOPE_ENVID_MAX 100
/* Aliases files larger than this are refused: no real one comes close. */
#define ENVELOPE_ALIASES_MAX (4 * 1024 * 1024)
/* Alias entries naming other local aliases are followed this deep. */
#define ENVELOPE_ALIAS_DEPTH_MAX 8

struct envelope {
	char *from; /* "" for the null sender */
	struct strlist rcpts;
	int body_8bit;		/* a byte >= 0x80 in the message (headers
				 * included): BODY=8BITMIME wanted */
	int needs_smtputf8;	/* an address with a non-ASCII local part */
	int header_utf8;	/* a byte >= 0x80 in the header block sent:
				 * SMTPUTF8 when the server offers it */
	int send_8bit;		/* the account's send_8bit_without_8bitmime */
	off_t size;		/* message size for SIZE= and precheck */
	const char *dsn_notify; /* NULL, or "NEVER", "SUCCESS,FAILURE" ... */
	const char *dsn_return; /* NULL, "FULL", "HDRS" */
	const char *dsn_envid;	/* NULL or xtext-safe id */
	/* Storage behind dsn_notify and dsn_envid. */
	char dsn_notify_buf[ENVELOPE_DSN_NOTIFY_MAX];
	char dsn_envid_buf[ENVELOPE_ENVID_MAX * 3 + 1];
	time_t now;	      /* for Date and Message-ID; 0 = time(NULL)
				 * (tests set it) */
	const char *mailname; /* file behind %M; NULL = ENVELOPE_MAILNAME
				 * (tests point it elsewhere) */
};

void envelope_init(struct envelope *env);
void envelope_release(struct envelope *env);
int envelope_build(struct envelope *env, const struct cli *cli,
		   const struct account *acct, struct msg *m, struct err *e);
/*
 * Expand msmtp's patterns in an account "from": %U user name ($USER,
 * $LOGNAME, the login name), %H host name ($HOSTNAME, gethostname()),
 * %C canonical name of %H, %M first line of the mailname file.  Any
 * other '%' sequence is kept as written (as msmtp does).  *out is a new
 * string.  ERR_CONFIG when a pattern cannot be resolved.
 */
int envelope_expand_from(const char *tmpl, const char *mailname, char **out,
			 struct err *e);

#endif
