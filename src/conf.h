/*
 * conf.h - the rc file: lexer, keyword table, accounts with defaults and
 * inheritance, account selection, validation.
 *
 * Contract:
 *  - The syntax is a superset of msmtprc (DESIGN.md §1); every file msmtp
 *    1.8.23 loads loads the same way here, and every file it rejects is
 *    rejected with exit 78 and the same line number.
 *  - Errors are ERR_CONFIG with "FILE:LINE: message" (naming the key).
 *  - Every key lives in one table (conf_keys[]) with its type and the
 *    offset of its field in struct account; setting, inheritance
 *    (defaults, "account X : Y"), command-line overrides and the
 *    --pretend/--check-config printout all walk that table.
 *  - A struct account owns all its strings.  Secrets (password) are
 *    zeroed by account_free().
 *  - No fixed line-length limit (OAuth tokens are long); a whole file is
 *    capped at CONF_FILE_MAX bytes.
 */
#ifndef MAILHOP_CONF_H
#define MAILHOP_CONF_H

#include <stdio.h>

#include "err.h"

/* An rc file larger than this is refused: no real one comes close. */
#define CONF_FILE_MAX (4 * 1024 * 1024)

enum conf_protocol { PROTO_SMTP = 0, PROTO_LMTP };
enum conf_auth { AUTH_OFF = 0, AUTH_CHOOSE, AUTH_METHOD };
/* set_from_header / set_date_header / set_msgid_header / set_to_header */
enum conf_auto { AUTO_AUTO = 0, AUTO_ON, AUTO_OFF };

struct account {
	char *name;
	char *conffile; /* file that defined it (for messages) */

	/* connection */
	char *host;
	int port;    /* 0 = not set: 25, 465 with implicit TLS; LMTP: none */
	int timeout; /* seconds; 0 = "off" (msmtp); mailhop still bounds */
	enum conf_protocol protocol;
	char *domain; /* EHLO argument; default "localhost" as msmtp */
	char *source_ip;
	char *proxy_host;
	int proxy_port;
	char *socket;

	/* TLS (behaviour lands with the TLS issue) */
	int tls;
	int tls_starttls; /* default on */
	/* NULL = system; "" = no CA at all (msmtp's empty argument) */
	char *tls_trust_file;
	char *tls_crl_file;
	char *tls_fingerprint;
	char *tls_cert_file;
	char *tls_key_file;
	int tls_certcheck; /* default on */
	char *tls_priorities;
	char *tls_host_override;
	int tls_min_dh_prime_bits; /* 0 = not set */
	int tls_session_cache;	   /* default on */

	/* authentication */
	enum conf_auth auth;
	char *auth_method; /* upper case, with AUTH_METHOD */
	char *user;
	char *password; /* secret */
	char *passwordeval;
	char *ntlmdomain;
	char *oauth2_token_endpoint;
	char *oauth2_client_id;
	char *oauth2_client_secret;
	char *oauth2_refresh_token;
	char *oauth2_refresh_token_eval;
	char *oauth2_tls_trust_file; /* NULL = the system trust store */

	/* envelope and headers */
	/* %U %H %C %M and auto_from are resolved by account_finish() */
	char *from;
	char *from_full_name;
	int auto_from;
	char *maildomain;
	int allow_from_override; /* default on */
	enum conf_auto set_from_header;
	enum conf_auto set_date_header;
	enum conf_auto set_msgid_header;
	enum conf_auto set_to_header;
	int remove_bcc_headers; /* default on */
	/* 8-bit message to a server without 8BITMIME: send it unchanged
	 * (on) or refuse it with exit 65 (off, the default) */
	int send_8bit_without_8bitmime;
	int undisclosed_recipients;
	char *dsn_notify; /* NULL = not set; "off" stored as NULL */
	char *dsn_return;
	char *aliases;
	char *qualify_domain;

	/* logging */
	char *logfile;
	char *logfile_time_format;
	char *syslog; /* facility name; NULL = off */

	/* queue (behaviour lands with the queue issue) */
	int queue; /* default on */
	char *queue_dir;
	long queue_lifetime; /* seconds; default 5 days */
	char *queue_retry;
	char *fallback; /* comma-separated account names */

	/* International names (idn.h): account_finish() replaces host,
	 * tls_host_override, domain and proxy_host by their A-label form
	 * (for DNS, SNI, the certificate check, EHLO) and keeps here what
	 * the user wrote, for display; NULL when the conversion changed
	 * nothing (every all-ASCII name). */
	char *host_unicode;
	char *tls_host_override_unicode;
	char *domain_unicode;
	char *proxy_host_unicode;

	/* one flag per entry of the key table: which keys were set here
	 * (explicitly or inherited from a parent account, not defaults) */
	unsigned char set[128];
};

/* A loaded rc file: accounts in the order the file defined them. */
struct conf {
	/* the user file read (else the system file), or NULL */
	char *path;
	char *syspath;	/* the system file read, or NULL */
	int is_msmtprc; /* read from an msmtp path (migration) */
	struct account defaults;
	struct account **accounts;
	size_t naccounts;
};

void conf_init(struct conf *c);
void conf_release(struct conf *c);

/*
 * Find and load the rc files (DESIGN.md §1 "Files"), as msmtp does: the
 * system file (SYSCONFDIR/mailhoprc, else /etc/msmtprc; skipped when
 * missing or unreadable; no permission rule), then the user file: rcfile
 * (-C, must exist) or the first existing of $XDG_CONFIG_HOME/mailhop/
 * config, ~/.mailhoprc, ~/.msmtprc, $XDG_CONFIG_HOME/msmtp/config.  User
 * accounts replace same-name system accounts.  A user file holding a
 * secret (password, oauth2_client_secret, oauth2_refresh_token) must be
 * owned by the user with mode 0600 or stricter (ERR_CONFIG otherwise).
 */
int conf_load(struct conf *c, const char *rcfile, struct err *e);
/* Parse a file from memory (used by conf_load and the unit tests); its
 * accounts replace same-name accounts already in c. */
int conf_parse(struct conf *c, const char *path, const char *text, size_t len,
	       struct err *e);

/*
 * Pick the account: by name (-a), else the first whose "from" matches
 * envelope_from (with msmtp's wildcards; user-file accounts first), else
 * "default".  Not found: ERR_CONFIG "account NAME not found in FILE" (or
 * "...: no configuration file available" when no file was read; main.c
 * then builds msmtp's command-line account with account_new() when
 * --host was given).  Keys before any account line of a file form an
 * account "default" (msmtp).  Returns a new account (caller frees).
 */
struct account *conf_select(const struct conf *c, const char *name,
			    const char *envelope_from, struct err *e);

/*
 * A fresh account with nothing set (built-in defaults only), for the
 * account msmtp builds from command-line options alone (--host without
 * a usable rc file).  name and conffile may be NULL.
 */
struct account *account_new(const char *name, const char *conffile);
/* Deep copy (NULL on allocation failure). */
struct account *account_dup(const struct account *a);

/* Apply one "key value" as if written last in the account (argv). */
int account_set(struct account *a, const char *key, const char *value,
		struct err *e);
/* Apply built-in defaults for unset keys and check consistency (host
 * or socket set, port range ...).  ERR_CONFIG on failure.  Also expands
 * %U %H %C %M in from and %H %C %M in domain and applies auto_from, as
 * msmtp does: call it after the command-line overrides (-f included).
 * Then converts host, tls_host_override, domain and proxy_host to
 * A-labels (idn.h), keeping the originals in the *_unicode fields; an
 * invalid name is ERR_CONFIG "invalid host name 'X' for 'KEY': reason". */
int account_finish(struct account *a, struct err *e);
/* msmtp --pretend style listing ("host = x" lines) of the resolved
 * account; the password is shown as "*"; a converted international name
 * shows both forms: "host = bücher.example (xn--bcher-kva.example)". */
void account_print(const struct account *a, FILE *out);
void account_free(struct account *a);

/* The keyword table, for tests that check man page and completions. */
struct conf_key_info {
	const char *name;
	const char *values; /* short description of the argument */
};
const struct conf_key_info *conf_key_list(size_t *n);

#endif
