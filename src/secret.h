/*
 * secret.h - where an account's password comes from, and running the
 * shell commands that produce secrets (passwordeval, eval).
 *
 * Contract:
 *  - account_resolve_password() fills a->password when authentication is
 *    on and no password is set.  Call it when the SASL mechanism needs a
 *    password (it may prompt on the terminal).  Sources, in msmtp's
 *    order; the first that has a password wins:
 *      1. password (already in the account),
 *      2. passwordeval,
 *      3. the desktop keyring (built with libsecret; only when a D-Bus
 *         session bus is there): attributes host H, service "smtp",
 *         user U, as msmtp and `secret-tool store --label=msmtp host H
 *         service smtp user U` use,
 *      4. ~/.netrc, then SYSCONFDIR/netrc ("machine H login U password
 *         P", or a "default" entry; an international H is found under
 *         its A-label, else under a U-label form),
 *      5. a no-echo prompt "password for U at H: " on /dev/tty, only
 *         when /dev/tty can be opened.
 *    None -> ERR_CONFIG "no password for user 'U' at 'H' (...)".
 *    auth external / gssapi need no password: nothing is done.
 *  - OAuth2 accounts (auth oauthbearer|xoauth2 with oauth2_token_endpoint
 *    set): the "password" is an access token from secret_oauth2_refresh()
 *    (cached, or refreshed over HTTPS) instead of sources 2-5.
 *  - A source that fails stops the search: passwordeval or a refresh
 *    token command that fails or prints nothing, a ~/.netrc that others
 *    may read -> ERR_CONFIG; OAuth2 errors as oauth2.h says.
 *  - passwordeval runs "/bin/sh -c CMD" with stdin from /dev/null (the
 *    message is on our stdin), stderr passed through and stdout captured
 *    up to SECRET_OUTPUT_MAX bytes.  One trailing newline ("\n" or
 *    "\r\n") is removed.  A non-zero exit status, a NUL byte, no output
 *    or only a newline is an error ("cannot read output of 'CMD': ..."),
 *    never an empty password (DESIGN.md §2, stricter than msmtp).
 *  - Every buffer that held a secret is zeroed before it is freed; the
 *    password itself is zeroed by account_free().  Secrets never go into
 *    argv of a child process, an error message or the log.
 */
#ifndef MAILHOP_SECRET_H
#define MAILHOP_SECRET_H

#include "buf.h"
#include "conf.h"
#include "err.h"

/* Longest command output we accept: OAuth2 access tokens (JWTs) are a
 * few KiB; anything near this cap is not a password. */
#define SECRET_OUTPUT_MAX (64 * 1024)
/* Longest password typed at the prompt (Linux's canonical-mode line
 * buffer holds 4095 bytes anyway). */
#define SECRET_PROMPT_MAX 4096
/* A netrc file larger than this is refused; real ones are tiny. */
#define SECRET_NETRC_MAX (1024 * 1024)

int account_resolve_password(struct account *a, struct err *e);

/*
 * What --pretend and --check-config do (as msmtp): run passwordeval
 * when authentication is on and no password is set, and nothing else
 * (no keyring, netrc, prompt or OAuth2 request); no password is fine.
 */
int account_eval_password(struct account *a, struct err *e);

/*
 * Is a the kind of account whose password is an access token mailhop
 * refreshes itself (auth oauthbearer|xoauth2 + oauth2_token_endpoint)?
 * Only then may the session retry once with secret_oauth2_refresh(a, 1).
 */
int secret_is_oauth2(const struct account *a);

/*
 * Put a valid OAuth2 access token into a->password (replacing and
 * zeroing the old one): the cached one unless force, else a fresh one
 * from the token endpoint (then cached).  The refresh token comes from
 * oauth2_refresh_token, else oauth2_refresh_token_eval (run like
 * passwordeval), else the keyring (host H, service "oauth2", user U).
 * force: the server refused the token we had; ask for a new one.
 */
int secret_oauth2_refresh(struct account *a, int force, struct err *e);

/*
 * Look up host/user in the netrc file at path: 1 and *password
 * (malloc'd), 0 when the file does not exist or has no entry, -1 on
 * error.  must_be_private: refuse (ERR_CONFIG) a file that gives a
 * password while it is not owned by us or grants any access to group or
 * others, as ftp(1) does for ~/.netrc.  host is an A-label: a "machine"
 * that is host wins, else one written in UTF-8 whose A-label is host
 * (found in a second pass), else "default".  Exposed for the unit tests.
 */
int secret_netrc_lookup(const char *path, const char *host, const char *user,
			int must_be_private, char **password, struct err *e);

/*
 * Run "/bin/sh -c cmd" (stdin /dev/null) and append its stdout to out
 * (whose cap bounds the size: more output is an error).  When stop_at_nl
 * is set, reading stops after the first newline (msmtp's eval reads one
 * line).  Reading also stops once the command has exited and the pipe
 * is empty (a background process it started may hold the pipe open).
 * The command may run SECRET_RUN_TIMEOUT_S seconds (secret.c; the
 * environment's MAILHOP_EVAL_TIMEOUT overrides it), then it is killed.
 * *status gets the wait(2) status.  Returns 0, or -1 with ERR_OSERR
 * (cannot run) or ERR_CONFIG (output too long, or too slow).
 */
int secret_run(const char *cmd, struct buf *out, int stop_at_nl, int *status,
	       struct err *e);

#endif
