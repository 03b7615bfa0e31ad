/*
 * cli.c - the command line: one declarative option table (STYLE.md rule
 * 9) drives parsing, the --help text and the list the docs test checks
 * the man page and the shell completions against.
 *
 * Contract (see cli.h): cli_parse() never prints and never exits.  It
 * turns argv into struct cli or returns -1 with ERR_USAGE.  Parsing rules,
 * documented in mailhop(1):
 *  - argv[0]'s base name picks the personality (mailq, newaliases, send).
 *  - Options may appear anywhere before "--" (GNU order, as msmtp);
 *    every other word is a recipient, kept as given.  "-" alone is a
 *    recipient.  Nothing after "--" is an option.
 *  - Short options cluster (-ti); an option that takes a value takes the
 *    rest of its word (-fADDR) or else the next word, whatever it looks
 *    like (-f -x: the sender is "-x"), as sendmail and getopt do.
 *  - Sendmail's multi-letter flags are a letter with a value: -b MODE
 *    (-bm -bs -bp -bi; any other mode is refused), -o OPTION (-oi sets
 *    ignore-dots, every other -oX is ignored), -A m|c (ignored).
 *  - -q takes only a glued value (-q15m, -qRdomain): every form flushes
 *    the queue once.  -d alone is msmtp's debug; -dX glued, or -d
 *    followed by a word matching [0-9][0-9.,-]*, is sendmail's debug
 *    category and is ignored.
 *  - Long options: --name=value or --name value for a required value;
 *    only --name=value for an optional one; names are never abbreviated.
 *  - Two different operating modes (-bp, --check-config ...) are a usage
 *    error, except that --help, then --version, win over everything.
 */
#include "cli.h"
#include "buf.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum opt_arg {
	ARG_NONE = 0,
	ARG_REQUIRED, /* glued or the next word; --opt=v or --opt v */
	ARG_OPTIONAL, /* glued only; --opt=v only */
};

enum opt_act {
	ACT_GROUP = 0,	 /* a heading in --help, not an option */
	ACT_FLAG,	 /* int field = 1 */
	ACT_INT,	 /* int field = ival */
	ACT_COUNT,	 /* int field += 1 */
	ACT_STR,	 /* const char * field = value */
	ACT_MODE,	 /* mode = ival */
	ACT_MODE_ID,	 /* mode = ival, queue_id = value */
	ACT_OVERRIDE,	 /* rc key override: key value ("on" if omitted) */
	ACT_IGNORE,	 /* sendmail compatibility: accepted, no effect */
	ACT_SUB,	 /* sendmail -b / -o: dispatch on letter + value */
	ACT_BODY,	 /* -B 7BIT|8BITMIME */
	ACT_DEBUG,	 /* -d: msmtp debug or sendmail debug category */
	ACT_UNSUPPORTED, /* msmtp options mailhop refuses (hidden) */
	ACT_LIST,	 /* struct cli_list field += value */
	ACT_RCPT_LIST,	 /* ACT_LIST, and value is a recipient too */
};

/* Option not listed in --help, the man page or the completions. */
#define OPT_HIDDEN 1
/* ACT_SUB: a value with no entry of its own is refused (-b), not
 * ignored (-o). */
#define OPT_SUB_STRICT 2

struct opt {
	const char *sname; /* short spelling without '-': "t", "oi" */
	const char *lname; /* long name without "--" */
	const char *arg;   /* argument name for help; NULL: none */
	enum opt_arg argmode;
	enum opt_act act;
	size_t off;	 /* field of struct cli (FLAG, INT, COUNT, STR) */
	int ival;	 /* ACT_INT value, ACT_MODE mode */
	const char *key; /* ACT_OVERRIDE: rc key */
	int flags;
	const char *help;
};

/* Table rows.  Designated initializers: unnamed fields are 0/NULL. */
#define F(field) offsetof(struct cli, field)
#define GROUP(title)                            \
	{                                       \
		.act = ACT_GROUP, .help = title \
	}
#define FLAG(s, l, field, h)                                              \
	{                                                                 \
		.sname = s, .lname = l, .act = ACT_FLAG, .off = F(field), \
		.help = h                                                 \
	}
#define COUNT(s, l, field, h)                                              \
	{                                                                  \
		.sname = s, .lname = l, .act = ACT_COUNT, .off = F(field), \
		.help = h                                                  \
	}
#define SETINT(l, field, v, h)                                          \
	{                                                               \
		.lname = l, .act = ACT_INT, .off = F(field), .ival = v, \
		.help = h                                               \
	}
#define STR(s, l, a, field, h)                                             \
	{                                                                  \
		.sname = s, .lname = l, .arg = a, .argmode = ARG_REQUIRED, \
		.act = ACT_STR, .off = F(field), .help = h                 \
	}
#define MODE(s, l, m, h)                                                      \
	{                                                                     \
		.sname = s, .lname = l, .act = ACT_MODE, .ival = m, .help = h \
	}
#define MODE_ID(l, m, h)                                          \
	{                                                         \
		.lname = l, .arg = "ID", .argmode = ARG_REQUIRED, \
		.act = ACT_MODE_ID, .ival = m, .help = h          \
	}
#define IGNORE(s, a, h)                                                       \
	{                                                                     \
		.sname = s, .arg = a, .argmode = a ? ARG_REQUIRED : ARG_NONE, \
		.act = ACT_IGNORE, .help = h                                  \
	}
#define SUB(s, a, fl, h)                                                       \
	{                                                                      \
		.sname = s, .arg = a, .argmode = ARG_REQUIRED, .act = ACT_SUB, \
		.flags = fl, .help = h                                         \
	}
#define OVR(l, k, a, m, h)                                               \
	{                                                                \
		.lname = l, .arg = a, .argmode = m, .act = ACT_OVERRIDE, \
		.key = k, .help = h                                      \
	}
#define OPT(s, l, a, m, act_, v, h)                                          \
	{                                                                    \
		.sname = s, .lname = l, .arg = a, .argmode = m, .act = act_, \
		.ival = v, .help = h                                         \
	}
#define LIST(l, a, act_, field, h)                                          \
	{                                                                   \
		.lname = l, .arg = a, .argmode = ARG_REQUIRED, .act = act_, \
		.off = F(field), .help = h                                  \
	}
#define REFUSED(l, a)                                          \
	{                                                      \
		.lname = l, .arg = a, .argmode = ARG_REQUIRED, \
		.act = ACT_UNSUPPORTED, .flags = OPT_HIDDEN    \
	}

static const struct opt opts[] = {
	GROUP("Sendmail options"),
	FLAG("t", "read-recipients", read_recipients,
	     "recipients from To, Cc, Bcc too; remove Bcc"),
	FLAG("i", NULL, ignore_dots, "a lone \".\" line does not end input"),
	FLAG("oi", NULL, ignore_dots, "same as -i"),
	STR("f", "from", "ADDR", envelope_from,
	    "envelope sender (\"\" or \"<>\": null)"),
	STR("r", NULL, "ADDR", envelope_from, "same as -f"),
	STR("F", NULL, "NAME", full_name, "full name for an added From header"),
	STR("N", "dsn-notify", "COND", dsn_notify,
	    "DSN: never, or success,failure,delay"),
	STR("R", "dsn-return", "RET", dsn_return, "DSN: return full or hdrs"),
	STR("V", NULL, "ENVID", dsn_envid, "DSN envelope identifier"),
	OPT("B", NULL, "TYPE", ARG_REQUIRED, ACT_BODY, 0,
	    "body type: 7BIT or 8BITMIME"),
	SUB("b", "MODE", OPT_SUB_STRICT,
	    "mode m, s, p or i; others are refused"),
	MODE("bm", NULL, MODE_SEND, "send the message on stdin (default)"),
	MODE("bs", NULL, MODE_SMTP_STDIO,
	     "speak SMTP on standard input and output"),
	MODE("bp", NULL, MODE_QUEUE_LIST, "list the queue (like mailq)"),
	MODE("bi", NULL, MODE_NEWALIASES, "rebuild aliases: does nothing"),
	MODE("I", NULL, MODE_NEWALIASES, "same as -bi"),
	OPT("q", NULL, "INTERVAL", ARG_OPTIONAL, ACT_MODE, MODE_FLUSH,
	    "flush the queue once (any -qXXX too)"),
	STR("L", NULL, "TAG", log_tag, "tag for syslog messages"),
	SUB("o", "OPTION", 0, "sendmail option: ignored, except -oi"),
	IGNORE("O", "OPT=VAL", "ignored"),
	IGNORE("A", "m|c", "ignored (-Am, -Ac)"),
	IGNORE("G", NULL, "ignored"),
	IGNORE("U", NULL, "ignored"),
	IGNORE("m", NULL, "ignored"),
	IGNORE("n", NULL, "ignored"),
	IGNORE("h", "HOPS", "ignored"),
	IGNORE("X", "FILE", "ignored: never writes a file"),
	COUNT("v", NULL, verbose, "verbose: print the SMTP dialogue"),

	GROUP("General options"),
	MODE(NULL, "help", MODE_HELP, "print this help and exit"),
	MODE(NULL, "version", MODE_VERSION, "print the version and exit"),
	FLAG("P", "pretend", pretend, "print the resolved account and exit"),
	OPT("d", "debug", NULL, ARG_NONE, ACT_DEBUG, 0,
	    "same as -v (-dX: sendmail debug, ignored)"),
	MODE("S", "serverinfo", MODE_SERVERINFO,
	     "print what the server offers and exit"),
	MODE(NULL, "check-config", MODE_CHECK_CONFIG,
	     "check the rc file, print the account and exit"),
	MODE(NULL, "flush", MODE_FLUSH, "flush the queue once"),
	MODE(NULL, "queue-list", MODE_QUEUE_LIST,
	     "list the queue (like mailq)"),
	MODE_ID("queue-delete", MODE_QUEUE_DELETE,
		"delete queued (or failed) message ID"),
	MODE_ID("queue-retry", MODE_QUEUE_RETRY,
		"retry message ID at the next flush"),
	SETINT("queue", queue, 1, "queue the message on a temporary failure"),
	SETINT("no-queue", queue, 0,
	       "never queue: a temporary failure exits 75"),
	REFUSED("configure", "ADDR"),
	REFUSED("rmqs", "HOST"),

	GROUP("Configuration options (msmtp)"),
	STR("C", "file", "FILE", rcfile,
	    "use FILE instead of the user rc file"),
	STR("a", "account", "NAME", account, "use account NAME"),
	OVR("host", "host", "HOST", ARG_REQUIRED, "SMTP server host name"),
	OVR("port", "port", "PORT", ARG_REQUIRED, "server port"),
	OVR("source-ip", "source_ip", "IP", ARG_REQUIRED,
	    "local address to bind"),
	OVR("proxy-host", "proxy_host", "HOST", ARG_REQUIRED, "SOCKS proxy"),
	OVR("proxy-port", "proxy_port", "PORT", ARG_REQUIRED,
	    "SOCKS proxy port"),
	OVR("socket", "socket", "PATH", ARG_REQUIRED,
	    "connect to a unix socket"),
	OVR("timeout", "timeout", "off|SECS", ARG_REQUIRED, "network timeout"),
	OVR("protocol", "protocol", "smtp|lmtp", ARG_REQUIRED, "protocol"),
	OVR("domain", "domain", "NAME", ARG_REQUIRED, "EHLO/LHLO argument"),
	OVR("auth", "auth", "on|off|METHOD", ARG_OPTIONAL, "authentication"),
	OVR("user", "user", "NAME", ARG_REQUIRED,
	    "user name for authentication"),
	OVR("passwordeval", "passwordeval", "CMD", ARG_REQUIRED,
	    "command printing the password"),
	OVR("tls", "tls", "on|off", ARG_OPTIONAL, "TLS"),
	OVR("tls-starttls", "tls_starttls", "on|off", ARG_OPTIONAL,
	    "STARTTLS instead of implicit TLS"),
	OVR("tls-trust-file", "tls_trust_file", "FILE", ARG_REQUIRED,
	    "CA certificates (\"system\": default)"),
	OVR("tls-crl-file", "tls_crl_file", "FILE", ARG_REQUIRED,
	    "certificate revocation list"),
	OVR("tls-fingerprint", "tls_fingerprint", "HASH", ARG_REQUIRED,
	    "pin the server certificate"),
	OVR("tls-key-file", "tls_key_file", "FILE", ARG_REQUIRED, "client key"),
	OVR("tls-cert-file", "tls_cert_file", "FILE", ARG_REQUIRED,
	    "client certificate"),
	OVR("tls-certcheck", "tls_certcheck", "on|off", ARG_OPTIONAL,
	    "verify the server certificate"),
	OVR("tls-priorities", "tls_priorities", "PRIO", ARG_REQUIRED,
	    "GnuTLS priority string"),
	OVR("tls-host-override", "tls_host_override", "HOST", ARG_REQUIRED,
	    "name to verify the certificate against"),
	OVR("tls-min-dh-prime-bits", "tls_min_dh_prime_bits", "BITS",
	    ARG_REQUIRED, "deprecated: use --tls-priorities"),

	GROUP("Message options (msmtp)"),
	FLAG(NULL, "read-envelope-from", read_envelope_from,
	     "envelope sender from the From header"),
	OVR("set-from-header", "set_from_header", "auto|on|off", ARG_OPTIONAL,
	    "add or replace From"),
	OVR("set-date-header", "set_date_header", "auto|off", ARG_OPTIONAL,
	    "add a missing Date"),
	OVR("set-msgid-header", "set_msgid_header", "auto|off", ARG_OPTIONAL,
	    "add a missing Message-ID"),
	OVR("remove-bcc-headers", "remove_bcc_headers", "on|off", ARG_OPTIONAL,
	    "remove Bcc headers"),
	OVR("undisclosed-recipients", "undisclosed_recipients", "on|off",
	    ARG_OPTIONAL, "hide To, Cc and Bcc"),
	OVR("aliases", "aliases", "FILE", ARG_REQUIRED, "aliases file"),
	OVR("logfile", "logfile", "FILE", ARG_REQUIRED,
	    "log file (\"-\": standard output)"),
	OVR("logfile-time-format", "logfile_time_format", "FMT", ARG_REQUIRED,
	    "strftime format for the log file"),
	OVR("syslog", "syslog", "on|off|FACILITY", ARG_OPTIONAL,
	    "log to syslog"),
	OVR("auto-from", "auto_from", "on|off", ARG_OPTIONAL, "obsolete"),
	OVR("maildomain", "maildomain", "DOMAIN", ARG_REQUIRED, "obsolete"),

	GROUP("Composing a message (the body is standard input)"),
	FLAG(NULL, "compose", compose,
	     "compose a MIME message from the body on stdin"),
	STR(NULL, "subject", "TEXT", subject, "Subject of a composed message"),
	LIST("to", "ADDR", ACT_RCPT_LIST, to,
	     "To of a composed message, and a recipient"),
	LIST("cc", "ADDR", ACT_RCPT_LIST, cc,
	     "Cc of a composed message, and a recipient"),
	LIST("attach", "FILE", ACT_LIST, attach,
	     "attach FILE to a composed message"),
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* Longest option spelling we print in errors; argv words can be long. */
#define CLI_NAME_MAX 64
/* Cap on the --help left column and each help line (static text). */
#define CLI_HELP_LINE_MAX 256
/* Column where the help text starts in --help. */
#define CLI_HELP_COLUMN 32

/* Parser state that does not belong in struct cli. */
struct parse {
	struct cli *c;
	int argc;
	char **argv;
	int i;			   /* current word */
	int help, version;	   /* seen --help / --version */
	const struct opt *mode_by; /* option that set the mode, or NULL */
	struct err *e;
};

void cli_init(struct cli *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = MODE_SEND;
	c->queue = -1;
}

void cli_release(struct cli *c)
{
	free(c->overrides);
	free(c->rcpts);
	free(c->to.v);
	free(c->cc.v);
	free(c->attach.v);
	cli_init(c);
}

/* "-t", "-bm" or "--host": how the table spells an option. */
static const char *opt_name(const struct opt *o, char *dst, size_t n)
{
	if (o->sname)
		snprintf(dst, n, "-%s", o->sname);
	else
		snprintf(dst, n, "--%s", o->lname);
	return dst;
}

static const struct opt *find_short(const char *sname)
{
	size_t k;

	for (k = 0; k < NOPTS; k++)
		if (opts[k].sname && strcmp(opts[k].sname, sname) == 0)
			return &opts[k];
	return NULL;
}

/*
 * Exact long names only.  getopt_long (msmtp) also takes unique
 * abbreviations; mailhop does not, so that a mistyped "--password=x"
 * can never be run as --passwordeval (and adding an option never breaks
 * an abbreviation someone relied on).
 */
static const struct opt *find_long(const char *name, size_t len)
{
	size_t k;

	for (k = 0; k < NOPTS; k++) {
		const char *l = opts[k].lname;

		if (l && strncmp(l, name, len) == 0 && l[len] == '\0')
			return &opts[k];
	}
	return NULL;
}

static int set_mode(struct parse *p, const struct opt *o)
{
	char a[CLI_NAME_MAX], b[CLI_NAME_MAX];

	if (o->ival == MODE_HELP) {
		p->help = 1;
		return 0;
	}
	if (o->ival == MODE_VERSION) {
		p->version = 1;
		return 0;
	}
	if (p->mode_by && (int)p->c->mode != o->ival)
		return err_set(p->e, ERR_USAGE,
			       "options '%s' and '%s' cannot be combined",
			       opt_name(p->mode_by, a, sizeof(a)),
			       opt_name(o, b, sizeof(b)));
	p->c->mode = (enum cli_mode)o->ival;
	p->mode_by = o;
	return 0;
}

static int apply(struct parse *p, const struct opt *o, const char *value);

/* -b MODE, -o OPTION: the letter plus its value names a table entry. */
static int apply_sub(struct parse *p, const struct opt *o, const char *value)
{
	char word[CLI_NAME_MAX];
	const struct opt *sub = NULL;
	int n;

	n = snprintf(word, sizeof(word), "%s%s", o->sname, value);
	if (n > 0 && (size_t)n < sizeof(word))
		sub = find_short(word);
	if (sub && sub->argmode == ARG_NONE && strlen(sub->sname) > 1)
		return apply(p, sub, NULL);
	if (o->flags & OPT_SUB_STRICT)
		return err_set(p->e, ERR_USAGE,
			       "-%s%s is not supported: mailhop only submits "
			       "mail (modes: -bm, -bs, -bp, -bi)",
			       o->sname, value);
	return 0;
}

static int apply_body(struct parse *p, const char *value)
{
	if (strcasecmp(value, "7BIT") == 0)
		p->c->body_type = "7BIT";
	else if (strcasecmp(value, "8BITMIME") == 0)
		p->c->body_type = "8BITMIME";
	else
		return err_set(p->e, ERR_USAGE,
			       "option '-B' needs 7BIT or 8BITMIME, not '%s'",
			       value);
	return 0;
}

static int apply(struct parse *p, const struct opt *o, const char *value)
{
	char name[CLI_NAME_MAX];
	char *base = (char *)p->c;
	struct cli_override *ov;
	struct cli_list *ls;

	switch (o->act) {
	case ACT_FLAG:
		*(int *)(base + o->off) = 1;
		return 0;
	case ACT_INT:
		*(int *)(base + o->off) = o->ival;
		return 0;
	case ACT_COUNT:
		(*(int *)(base + o->off))++;
		return 0;
	case ACT_DEBUG:
		p->c->verbose++;
		return 0;
	case ACT_STR:
		*(const char **)(base + o->off) = value;
		return 0;
	case ACT_MODE:
		return set_mode(p, o);
	case ACT_MODE_ID:
		if (set_mode(p, o) < 0)
			return -1;
		p->c->queue_id = value;
		return 0;
	case ACT_OVERRIDE:
		/* overrides has room for one per argv word (cli_parse) */
		ov = &p->c->overrides[p->c->noverrides++];
		ov->key = o->key;
		ov->value = value ? value : "on";
		return 0;
	case ACT_RCPT_LIST:
		/* rcpts has room for one per argv word (cli_parse) */
		p->c->rcpts[p->c->nrcpts++] = (char *)value;
		/* fall through */
	case ACT_LIST:
		ls = (struct cli_list *)(base + o->off);
		ls->v[ls->n++] = value;
		return 0;
	case ACT_SUB:
		return apply_sub(p, o, value);
	case ACT_BODY:
		return apply_body(p, value);
	case ACT_UNSUPPORTED:
		return err_set(p->e, ERR_USAGE,
			       "option '%s' is not supported by mailhop",
			       opt_name(o, name, sizeof(name)));
	case ACT_IGNORE:
	case ACT_GROUP:
		break;
	}
	return 0;
}

/* The value of an option that needs one: rest of the word or next word. */
static int take_value(struct parse *p, const char *glued, const char *spelled,
		      const char **value)
{
	if (glued) {
		*value = glued;
		return 0;
	}
	if (p->i + 1 >= p->argc)
		return err_set(p->e, ERR_USAGE, "option '%s' needs a value",
			       spelled);
	*value = p->argv[++p->i];
	return 0;
}

/* A sendmail debug category list such as "0-99.1" or "21.12,8.5". */
static int is_debug_spec(const char *s)
{
	if (*s < '0' || *s > '9')
		return 0;
	return s[strspn(s, "0123456789.,-")] == '\0';
}

/*
 * -d: alone it is msmtp's --debug; "-dX" glued, or "-d" followed by a
 * word that looks like a sendmail debug category, is sendmail's debug
 * flag and is ignored (its output is not ours to give).
 */
static int parse_debug(struct parse *p, const struct opt *o, const char *rest)
{
	if (*rest)
		return 0;
	if (p->i + 1 < p->argc && is_debug_spec(p->argv[p->i + 1])) {
		p->i++;
		return 0;
	}
	return apply(p, o, NULL);
}

/* One word of clustered short options: "-t", "-ti", "-fADDR", "-oem". */
static int parse_short(struct parse *p, const char *word)
{
	const char *s = word + 1;

	while (*s) {
		char letter[2] = {*s, '\0'}, spelled[3] = {'-', *s, '\0'};
		const struct opt *o = find_short(letter);
		const char *value = NULL;

		if (!o || (o->flags & OPT_HIDDEN))
			return err_set(p->e, ERR_USAGE, "unknown option '%s'",
				       spelled);
		s++;
		if (o->act == ACT_DEBUG)
			return parse_debug(p, o, s);
		if (o->argmode == ARG_NONE) {
			if (apply(p, o, NULL) < 0)
				return -1;
			continue;
		}
		if (o->argmode == ARG_OPTIONAL)
			return apply(p, o, *s ? s : NULL);
		if (take_value(p, *s ? s : NULL, spelled, &value) < 0)
			return -1;
		return apply(p, o, value);
	}
	return 0;
}

/* "--name", "--name=value", "--name value". */
static int parse_long(struct parse *p, const char *word)
{
	const char *name = word + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct opt *o = NULL;
	char spelled[CLI_NAME_MAX];
	const char *value = eq ? eq + 1 : NULL;

	if (len > 0)
		o = find_long(name, len);
	if (!o)
		return err_set(p->e, ERR_USAGE, "unknown option '--%.*s'",
			       (int)len, name);
	snprintf(spelled, sizeof(spelled), "--%s", o->lname);
	if (o->argmode == ARG_NONE && value)
		return err_set(p->e, ERR_USAGE, "option '%s' takes no value",
			       spelled);
	if (o->argmode == ARG_REQUIRED &&
	    take_value(p, value, spelled, &value) < 0)
		return -1;
	return apply(p, o, value);
}

/* argv[0]'s base name: mailq lists the queue, newaliases does nothing. */
static void personality(struct cli *c, const char *argv0)
{
	const char *base;

	if (!argv0)
		return;
	base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	if (strcmp(base, "mailq") == 0)
		c->mode = MODE_QUEUE_LIST;
	else if (strcmp(base, "newaliases") == 0)
		c->mode = MODE_NEWALIASES;
}

static int check_result(struct parse *p)
{
	struct cli *c = p->c;
	size_t k;
	int account = c->account != NULL;

	for (k = 0; k < c->noverrides; k++)
		if (strcmp(c->overrides[k].key, "host") == 0 && account)
			return err_set(p->e, ERR_USAGE,
				       "options '--host' and '--account' "
				       "cannot be combined");
	if (p->help)
		c->mode = MODE_HELP;
	else if (p->version)
		c->mode = MODE_VERSION;
	return 0;
}

static int parse_words(struct parse *p)
{
	int only_rcpts = 0;

	for (p->i = 1; p->i < p->argc; p->i++) {
		char *w = p->argv[p->i];
		int r = 0;

		if (only_rcpts || w[0] != '-' || w[1] == '\0')
			p->c->rcpts[p->c->nrcpts++] = w;
		else if (strcmp(w, "--") == 0)
			only_rcpts = 1;
		else if (w[1] == '-')
			r = parse_long(p, w);
		else
			r = parse_short(p, w);
		if (r < 0)
			return -1;
	}
	return check_result(p);
}

int cli_parse(struct cli *c, int argc, char **argv, struct err *e)
{
	struct parse p;
	size_t room = argc > 0 ? (size_t)argc : 1;

	cli_release(c);
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.argc = argc;
	p.argv = argv;
	p.e = e;
	/*
	 * Each argv word yields at most one override, one recipient, one
	 * list value.
	 */
	c->overrides = calloc(room, sizeof(*c->overrides));
	c->rcpts = calloc(room, sizeof(*c->rcpts));
	c->to.v = calloc(room, sizeof(*c->to.v));
	c->cc.v = calloc(room, sizeof(*c->cc.v));
	c->attach.v = calloc(room, sizeof(*c->attach.v));
	if (!c->overrides || !c->rcpts || !c->to.v || !c->cc.v ||
	    !c->attach.v) {
		cli_release(c);
		return err_set(e, ERR_OSERR, "out of memory");
	}
	personality(c, argc > 0 ? argv[0] : NULL);
	if (parse_words(&p) < 0)
		return -1;
	return 0;
}

/* "-f, --from=ADDR", "--tls[=on|off]", "-q[INTERVAL]" for --help. */
static void help_left(const struct opt *o, struct buf *b)
{
	buf_puts(b, "  ");
	if (o->sname) {
		buf_printf(b, "-%s", o->sname);
		if (o->arg && !o->lname)
			buf_printf(b,
				   o->argmode == ARG_OPTIONAL ? "[%s]" : " %s",
				   o->arg);
		if (o->lname)
			buf_puts(b, ", ");
	}
	if (o->lname) {
		buf_printf(b, "--%s", o->lname);
		if (o->arg)
			buf_printf(b,
				   o->argmode == ARG_OPTIONAL ? "[=%s]" : "=%s",
				   o->arg);
	}
}

void cli_usage(FILE *out)
{
	struct buf b = BUF_INIT(CLI_HELP_LINE_MAX);
	size_t k;

	fputs("Usage: mailhop [OPTION]... [--] [RECIPIENT]...\n"
	      "Send a message read from standard input to the configured "
	      "SMTP server.\n",
	      out);
	for (k = 0; k < NOPTS; k++) {
		const struct opt *o = &opts[k];

		if (o->flags & OPT_HIDDEN)
			continue;
		if (o->act == ACT_GROUP) {
			fprintf(out, "\n%s:\n", o->help);
			continue;
		}
		buf_reset(&b);
		help_left(o, &b);
		if (b.len + 1 < CLI_HELP_COLUMN)
			fprintf(out, "%-*s%s\n", CLI_HELP_COLUMN, b.data,
				o->help);
		else
			fprintf(out, "%s\n%-*s%s\n", b.data, CLI_HELP_COLUMN,
				"", o->help);
	}
	fputs("\nExit status follows sysexits(3); see mailhop(1).\n", out);
	buf_release(&b);
}

/*
 * The public view of the table, without headings and hidden entries.
 * Filled once on first use from the const table; it never changes after
 * that, so it is a cache, not program state.
 */
const struct cli_option_info *cli_option_list(size_t *n)
{
	static struct cli_option_info list[NOPTS];
	static size_t count;
	size_t k;

	if (count == 0) {
		for (k = 0; k < NOPTS; k++) {
			const struct opt *o = &opts[k];
			struct cli_option_info *in = &list[count];

			if (o->act == ACT_GROUP || (o->flags & OPT_HIDDEN))
				continue;
			in->short_name =
				o->sname && !o->sname[1] ? o->sname[0] : 0;
			in->short_word =
				o->sname && o->sname[1] ? o->sname : NULL;
			in->long_name = o->lname;
			in->arg = o->arg;
			in->help = o->help;
			in->arg_optional = o->argmode == ARG_OPTIONAL;
			count++;
		}
	}
	*n = count;
	return list;
}
