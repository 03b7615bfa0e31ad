/*
 * secret.h - where an account's password comes from, and running the
 * shell commands that produce secrets (passwordeval, eval).
 *
 * Contract:
 *  - account_resolve_password() fills a->password when authentication is
 *    on and no password is set, by asking the password sources in a fixed
 *    order (today: passwordeval; the keyring, .netrc, tty prompt and
 *    OAuth2 refresh slot into the same source table later).  A source
 *    that does not apply is skipped; the first source that fails stops
 *    the search with ERR_CONFIG.  No source at all is not an error: the
 *    SASL layer decides whether a password is needed.
 *  - passwordeval runs "/bin/sh -c CMD" with stdin from /dev/null (the
 *    message is on our stdin), stderr passed through and stdout captured
 *    up to SECRET_OUTPUT_MAX bytes.  One trailing newline ("\n" or
 *    "\r\n") is removed.  A non-zero exit status, a NUL byte, no output
 *    or only a newline is an error ("cannot read output of 'CMD': ..."),
 *    never an empty password (DESIGN.md §2, stricter than msmtp).
 *  - Every buffer that held a secret is zeroed before it is freed; the
 *    password itself is zeroed by account_free().
 */
#ifndef MAILHOP_SECRET_H
#define MAILHOP_SECRET_H

#include "buf.h"
#include "conf.h"
#include "err.h"

/* Longest command output we accept: OAuth2 access tokens (JWTs) are a
 * few KiB; anything near this cap is not a password. */
#define SECRET_OUTPUT_MAX (64 * 1024)

int account_resolve_password(struct account *a, struct err *e);

/*
 * Run "/bin/sh -c cmd" (stdin /dev/null) and append its stdout to out
 * (whose cap bounds the size: more output is an error).  When stop_at_nl
 * is set, reading stops after the first newline (msmtp's eval reads one
 * line).  *status gets the wait(2) status.  Returns 0, or -1 with
 * ERR_OSERR (cannot run) or ERR_CONFIG (output too long).
 */
int secret_run(const char *cmd, struct buf *out, int stop_at_nl, int *status,
	       struct err *e);

#endif
