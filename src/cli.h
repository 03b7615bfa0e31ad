/*
 * cli.h - the command line: sendmail flags, msmtp long options and
 * mailhop's own, from one declarative table (STYLE.md rule 9).
 *
 * Contract:
 *  - cli_parse() never exits and never prints; it fills struct cli or
 *    returns -1 with ERR_USAGE ("unknown option '-x'", "option '-f'
 *    needs a value", "-bd is not supported: mailhop only submits mail").
 *  - argv[0]'s base name selects a personality: "mailq" = -bp,
 *    "newaliases" = -bi; anything else ("sendmail", "mailhop") = -bm.
 *  - msmtp long options that mirror an rc key (--host=H, --tls=on,
 *    --auth, --tls-certcheck ...) are stored as "key value" overrides
 *    (rc key spelling, '-' turned into '_', value "on" when omitted) and
 *    applied with account_set() after the account is selected.
 *  - Recipient arguments are kept as given (one argument may hold an
 *    address list; envelope.c splits it).
 *  - Compose options (--subject, --to, --cc, --attach, --compose; see
 *    compose.h): --to and --cc may repeat and are also appended to
 *    rcpts (so they are envelope recipients, in union with the argv
 *    ones); --attach may repeat.
 *  - Strings point into argv or are owned by struct cli.
 */
#ifndef MAILHOP_CLI_H
#define MAILHOP_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

enum cli_mode {
	MODE_SEND = 0,	   /* -bm (default) */
	MODE_SMTP_STDIO,   /* -bs */
	MODE_QUEUE_LIST,   /* -bp, mailq */
	MODE_NEWALIASES,   /* -bi, -I, newaliases: no-op */
	MODE_FLUSH,	   /* -q, --flush */
	MODE_SERVERINFO,   /* -S, --serverinfo */
	MODE_CHECK_CONFIG, /* --check-config */
	MODE_VERSION,	   /* --version, -bV? no: --version only */
	MODE_HELP,	   /* --help */
	MODE_QUEUE_DELETE, /* --queue-delete ID */
	MODE_QUEUE_RETRY,  /* --queue-retry ID */
};

struct cli_override {
	const char *key;   /* rc key name */
	const char *value; /* never NULL */
};

/* A repeatable option's values, in command line order. */
struct cli_list {
	const char **v;
	size_t n;
};

struct cli {
	enum cli_mode mode;
	int read_recipients;	   /* -t */
	int ignore_dots;	   /* -i, -oi */
	const char *envelope_from; /* -f, -r, --from */
	int read_envelope_from;	   /* --read-envelope-from */
	const char *full_name;	   /* -F */
	const char *dsn_notify;	   /* -N */
	const char *dsn_return;	   /* -R */
	const char *dsn_envid;	   /* -V */
	const char *body_type;	   /* -B: "7BIT" or "8BITMIME" */
	const char *log_tag;	   /* -L */
	const char *account;	   /* -a, --account */
	const char *rcfile;	   /* -C, --file */
	int verbose;		   /* -v, -d, --debug (count) */
	int pretend;		   /* -P, --pretend */
	int queue;		   /* -1 unset, 0 --no-queue, 1 --queue */
	const char *queue_id;	   /* --queue-delete, --queue-retry */
	struct cli_override *overrides;
	size_t noverrides;
	char **rcpts; /* recipient arguments, as given */
	size_t nrcpts;
	/* Added for compose mode (compose.h): */
	int compose;		/* --compose */
	const char *subject;	/* --subject */
	struct cli_list to;	/* --to (also in rcpts) */
	struct cli_list cc;	/* --cc (also in rcpts) */
	struct cli_list attach; /* --attach */
};

void cli_init(struct cli *c);
void cli_release(struct cli *c);
int cli_parse(struct cli *c, int argc, char **argv, struct err *e);
/* --help text, generated from the option table. */
void cli_usage(FILE *out);

/* The option table, for tests that check the man page and completions. */
struct cli_option_info {
	char short_name;       /* 0 if none */
	const char *long_name; /* NULL if none */
	const char *arg;       /* NULL: no argument; else its name */
	const char *help;
	/* Added by the cli module (append-only): */
	const char *short_word; /* multi-letter sendmail flag without the
				   '-' ("oi", "bm"); NULL if none */
	int arg_optional;	/* the argument may be omitted: long
				   options take it only as --opt=value,
				   short ones only glued (-qXXX) */
};
const struct cli_option_info *cli_option_list(size_t *n);

#endif
