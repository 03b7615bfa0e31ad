/*
 * conf.c - the rc file (see conf.h for the contract).
 *
 * msmtp 1.8.23 compatibility, checked against its binary:
 *  - A line is "command [argument]"; leading and trailing white space is
 *    dropped, the command ends at the first blank or tab, a line whose
 *    first non-blank is '#' is a comment (nowhere else: "tls on # x" is an
 *    invalid argument), an argument of two or more characters enclosed in
 *    double quotes loses them (no escapes), single quotes are literal.
 *  - Commands before any "account"/"defaults" line build an implicit
 *    account "default".  "defaults" values are copied into each account
 *    created after them; "account X : A,B" then copies what A and B set.
 *  - "eval CMD" replaces its line with the first line CMD prints.
 *  - The first bad line stops the parse: "FILE:LINE: message".
 * Extensions: no line-length limit (msmtp stops at 500), mailhop's own
 * keys, passwordeval failing or empty is an error (secret.c).
 */
#include "conf.h"
#include "buf.h"
#include "idn.h"
#include "log.h"
#include "secret.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
/* The system rc files: mailhop's own, then msmtp's (migration path). */
#define CONF_SYSTEM_FILE       SYSCONFDIR "/mailhoprc"
#define CONF_MSMTP_SYSTEM_FILE "/etc/msmtprc"
/* %M in from/domain: the Debian convention msmtp follows. */
#define CONF_MAILNAME_FILE "/etc/mailname"
/* eval output: one rc line, and no line-length limit, so the file cap. */
#define CONF_EVAL_MAX CONF_FILE_MAX
/* Longest host name we ask gethostname() for (POSIX HOST_NAME_MAX). */
#define CONF_HOSTNAME_MAX      256
#define PORT_MAX	       65535
#define DEFAULT_PORT_SMTP      25
#define DEFAULT_PORT_SMTPS     465  /* RFC 8314 implicit TLS */
#define DEFAULT_PROXY_PORT     1080 /* SOCKS, RFC 1928 */
#define DEFAULT_QUEUE_LIFETIME (5L * 24 * 3600)

enum key_type {
	KT_STR,		/* string */
	KT_TRUST,	/* tls_trust_file: NULL system, "" none */
	KT_BOOL,	/* on|off; empty = on */
	KT_NOARG,	/* legacy switch without argument: field = 0 */
	KT_PORT,	/* 1..65535 */
	KT_TIMEOUT,	/* off | seconds */
	KT_POSINT,	/* positive number; empty = not set */
	KT_PROTOCOL,	/* smtp | lmtp */
	KT_AUTH,	/* on | off | method */
	KT_HDR,		/* auto | on | off */
	KT_ADDMISSING,	/* legacy add_missing_*_header on|off */
	KT_DSN_NOTIFY,	/* off | never | failure,delay,success */
	KT_DSN_RETURN,	/* off | headers | full */
	KT_SYSLOG,	/* on | off | facility */
	KT_FINGERPRINT, /* SHA-256, SHA-1 or MD5 hex */
	KT_IGNORE,	/* accepted, no effect */
	KT_DURATION,	/* N[s|m|h|d] */
	KT_DURLIST,	/* duration[,duration...] */
	KT_NAMELIST,	/* account[,account...] */
	KT_URL,		/* https://... */
};

#define KF_NEEDARG   0x01 /* empty argument is an error */
#define KF_KEEPEMPTY 0x02 /* empty argument stores "" (not NULL) */
#define KF_TILDE     0x04 /* leading ~ becomes $HOME */
#define KF_SECRET    0x08 /* printed as "*"; file must be private */
#define KF_NOEMPTY   0x10 /* bool: empty argument is invalid */
#define KF_INVERT    0x20 /* bool: stores the opposite (keepbcc) */
#define KF_NO_ON     0x40 /* header: only auto|off */
#define KF_NOPRINT   0x80 /* not in the --pretend listing */

struct key {
	const char *name;
	enum key_type type;
	size_t off; /* field in struct account (canonical keys) */
	unsigned flags;
	const char *canon;  /* legacy spelling: the key it sets */
	const char *label;  /* --pretend name when it differs */
	const char *values; /* argument, for messages and the man test */
};

/*
 * THE key table, in msmtp's --pretend order, then mailhop's keys, then
 * legacy spellings.  K(name, type, field, flags, label, values) is a key
 * with its own field; L(name, type, flags, canon, values) is a legacy
 * spelling writing the field (and set bit) of key canon.  It expands into
 * keys[] and into key_info[] (conf_key_list()).
 */
#define CONF_KEYS(K, L)                                                        \
	K("host", KT_STR, host, KF_NEEDARG, NULL, "hostname")                  \
	K("port", KT_PORT, port, KF_NEEDARG, NULL, "number")                   \
	K("source_ip", KT_STR, source_ip, 0, "source ip", "[IP]")              \
	K("proxy_host", KT_STR, proxy_host, 0, "proxy host", "[host]")         \
	K("proxy_port", KT_PORT, proxy_port, 0, "proxy port", "[number]")      \
	K("socket", KT_STR, socket, 0, NULL, "[path]")                         \
	K("timeout", KT_TIMEOUT, timeout, KF_NEEDARG, NULL, "off|seconds")     \
	K("protocol", KT_PROTOCOL, protocol, KF_NEEDARG, NULL, "smtp|lmtp")    \
	K("domain", KT_STR, domain, KF_KEEPEMPTY, NULL, "[name]")              \
	K("auth", KT_AUTH, auth, 0, NULL, "[on|off|method]")                   \
	K("user", KT_STR, user, 0, NULL, "[login]")                            \
	K("password", KT_STR, password, KF_SECRET, NULL, "[secret]")           \
	K("passwordeval", KT_STR, passwordeval, 0, NULL, "[command]")          \
	K("ntlmdomain", KT_STR, ntlmdomain, 0, NULL, "[domain]")               \
	K("tls", KT_BOOL, tls, 0, NULL, "[on|off]")                            \
	K("tls_starttls", KT_BOOL, tls_starttls, 0, NULL, "[on|off]")          \
	K("tls_trust_file", KT_TRUST, tls_trust_file, KF_TILDE, NULL,          \
	  "[system|file]")                                                     \
	K("tls_crl_file", KT_STR, tls_crl_file, KF_TILDE, NULL, "[file]")      \
	K("tls_fingerprint", KT_FINGERPRINT, tls_fingerprint, 0, NULL,         \
	  "[fingerprint]")                                                     \
	K("tls_key_file", KT_STR, tls_key_file, KF_TILDE, NULL, "[file]")      \
	K("tls_cert_file", KT_STR, tls_cert_file, KF_TILDE, NULL, "[file]")    \
	K("tls_certcheck", KT_BOOL, tls_certcheck, 0, NULL, "[on|off]")        \
	K("tls_min_dh_prime_bits", KT_POSINT, tls_min_dh_prime_bits, 0, NULL,  \
	  "[bits]")                                                            \
	K("tls_priorities", KT_STR, tls_priorities, 0, NULL, "[priorities]")   \
	K("tls_host_override", KT_STR, tls_host_override, 0, NULL, "[host]")   \
	K("auto_from", KT_BOOL, auto_from, 0, NULL, "[on|off]")                \
	K("maildomain", KT_STR, maildomain, KF_KEEPEMPTY, NULL, "[domain]")    \
	K("from", KT_STR, from, KF_KEEPEMPTY, NULL, "address")                 \
	K("allow_from_override", KT_BOOL, allow_from_override, KF_NOEMPTY,     \
	  NULL, "on|off")                                                      \
	K("set_from_header", KT_HDR, set_from_header, 0, NULL,                 \
	  "[auto|on|off]")                                                     \
	K("set_date_header", KT_HDR, set_date_header, KF_NO_ON, NULL,          \
	  "[auto|off]")                                                        \
	K("remove_bcc_headers", KT_BOOL, remove_bcc_headers, 0, NULL,          \
	  "[on|off]")                                                          \
	K("undisclosed_recipients", KT_BOOL, undisclosed_recipients, 0, NULL,  \
	  "[on|off]")                                                          \
	K("send_8bit_without_8bitmime", KT_BOOL, send_8bit_without_8bitmime,   \
	  0, NULL, "[on|off]")                                                 \
	K("dsn_notify", KT_DSN_NOTIFY, dsn_notify, KF_NEEDARG, NULL,           \
	  "off|never|failure,delay,success")                                   \
	K("dsn_return", KT_DSN_RETURN, dsn_return, KF_NEEDARG, NULL,           \
	  "off|headers|full")                                                  \
	K("logfile", KT_STR, logfile, KF_TILDE, NULL, "[file|-]")              \
	K("logfile_time_format", KT_STR, logfile_time_format, 0, NULL,         \
	  "[strftime format]")                                                 \
	K("syslog", KT_SYSLOG, syslog, 0, NULL,                                \
	  "[on|off|LOG_USER|LOG_MAIL|LOG_LOCAL0..7]")                          \
	K("aliases", KT_STR, aliases, KF_TILDE, NULL, "[file]")                \
	/* msmtp accepts set_msgid_header but does not list it. */             \
	K("set_msgid_header", KT_HDR, set_msgid_header, KF_NO_ON, NULL,        \
	  "[auto|off]")                                                        \
	K("set_to_header", KT_HDR, set_to_header, KF_NO_ON, NULL,              \
	  "[auto|off]")                                                        \
	K("from_full_name", KT_STR, from_full_name, 0, NULL, "[name]")         \
	K("qualify_domain", KT_STR, qualify_domain, 0, NULL, "[domain]")       \
	K("tls_session_cache", KT_BOOL, tls_session_cache, 0, NULL,            \
	  "[on|off]")                                                          \
	K("oauth2_token_endpoint", KT_URL, oauth2_token_endpoint, 0, NULL,     \
	  "[https URL]")                                                       \
	K("oauth2_client_id", KT_STR, oauth2_client_id, 0, NULL, "[id]")       \
	K("oauth2_client_secret", KT_STR, oauth2_client_secret, KF_SECRET,     \
	  NULL, "[secret]")                                                    \
	K("oauth2_refresh_token", KT_STR, oauth2_refresh_token, KF_SECRET,     \
	  NULL, "[token]")                                                     \
	K("oauth2_refresh_token_eval", KT_STR, oauth2_refresh_token_eval, 0,   \
	  NULL, "[command]")                                                   \
	K("oauth2_tls_trust_file", KT_STR, oauth2_tls_trust_file, KF_TILDE,    \
	  NULL, "[file]")                                                      \
	K("queue", KT_BOOL, queue, 0, NULL, "[on|off]")                        \
	K("queue_dir", KT_STR, queue_dir, KF_TILDE, NULL, "[dir]")             \
	K("queue_lifetime", KT_DURATION, queue_lifetime, KF_NEEDARG, NULL,     \
	  "duration")                                                          \
	K("queue_retry", KT_DURLIST, queue_retry, 0, NULL,                     \
	  "[duration[,duration...]]")                                          \
	K("fallback", KT_NAMELIST, fallback, 0, NULL,                          \
	  "[account[,account...]]")                                            \
	L("connect_timeout", KT_TIMEOUT, KF_NEEDARG, "timeout", "off|seconds") \
	L("tls_nocertcheck", KT_NOARG, 0, "tls_certcheck", "(no argument)")    \
	L("tls_nostarttls", KT_NOARG, 0, "tls_starttls", "(no argument)")      \
	L("keepbcc", KT_BOOL, KF_INVERT, "remove_bcc_headers", "[on|off]")     \
	L("add_missing_from_header", KT_ADDMISSING, 0, "set_from_header",      \
	  "[on|off]")                                                          \
	L("add_missing_date_header", KT_ADDMISSING, 0, "set_date_header",      \
	  "[on|off]")                                                          \
	L("tls_force_sslv3", KT_IGNORE, 0, NULL, "[anything]")

#define KEY_ENTRY(n, t, field, fl, label, v) \
	{n, t, offsetof(struct account, field), fl, NULL, label, v},
#define LEGACY_ENTRY(n, t, fl, c, v)	    {n, t, 0, (fl) | KF_NOPRINT, c, NULL, v},
#define KEY_INFO(n, t, field, fl, label, v) {n, v},
#define LEGACY_INFO(n, t, fl, c, v)	    {n, v},

static const struct key keys[] = {CONF_KEYS(KEY_ENTRY, LEGACY_ENTRY)};
static const struct conf_key_info key_info[] = {
	CONF_KEYS(KEY_INFO, LEGACY_INFO)};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))
_Static_assert(NKEYS <= sizeof(((struct account *)0)->set),
	       "account.set has one byte per key");
_Static_assert(sizeof(enum conf_auto) == sizeof(int) &&
		       sizeof(enum conf_protocol) == sizeof(int),
	       "enum fields are stored through int pointers");

/*
 * The host names account_finish() converts to A-labels (idn.h), each with
 * the field keeping the user's form for display.
 */
static const struct idn_key {
	const char *key;
	size_t off;  /* the A-label form after account_finish() */
	size_t uoff; /* the original, or NULL when it was the same */
} idn_keys[] = {
	{"host", offsetof(struct account, host),
	 offsetof(struct account, host_unicode)},
	{"tls_host_override", offsetof(struct account, tls_host_override),
	 offsetof(struct account, tls_host_override_unicode)},
	{"domain", offsetof(struct account, domain),
	 offsetof(struct account, domain_unicode)},
	{"proxy_host", offsetof(struct account, proxy_host),
	 offsetof(struct account, proxy_host_unicode)},
};
#define NIDN_KEYS (sizeof(idn_keys) / sizeof(idn_keys[0]))

/* Where a value came from, for "FILE:LINE: " prefixes (path NULL: argv) */
struct where {
	const char *path;
	long line;
};

static int conf_error(struct err *e, const struct where *w, const char *fmt,
		      ...) __attribute__((format(printf, 3, 4)));

static int conf_error(struct err *e, const struct where *w, const char *fmt,
		      ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w && w->path)
		return err_set(e, ERR_CONFIG, "%s:%ld: %s", w->path, w->line,
			       msg);
	return err_set(e, ERR_CONFIG, "%s", msg);
}

static int oom(struct err *e)
{
	return err_set(e, ERR_OSERR, "out of memory");
}

static const struct key *key_find(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* The key whose field and set bit a key writes (itself unless legacy). */
static const struct key *key_canon(const struct key *k)
{
	return k->canon ? key_find(k->canon) : k;
}

/* ------------------------------------------------------------ accounts */

enum storage { ST_NONE, ST_STR, ST_INT, ST_LONG, ST_AUTH };

static enum storage key_storage(const struct key *k)
{
	if (k->canon || k->type == KT_IGNORE)
		return ST_NONE;
	switch (k->type) {
	case KT_BOOL:
	case KT_PORT:
	case KT_TIMEOUT:
	case KT_POSINT:
	case KT_PROTOCOL:
	case KT_HDR:
		return ST_INT;
	case KT_DURATION:
		return ST_LONG;
	case KT_AUTH:
		return ST_AUTH;
	default:
		return ST_STR;
	}
}

#define STR_FIELD(a, k)	 ((char **)((char *)(a) + (k)->off))
#define INT_FIELD(a, k)	 ((int *)((char *)(a) + (k)->off))
#define LONG_FIELD(a, k) ((long *)((char *)(a) + (k)->off))
#define STR_AT(a, off)	 ((char **)((char *)(a) + (off)))

static void str_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void str_replace(char **slot, char *value)
{
	str_free(*slot);
	*slot = value;
}

static void account_init(struct account *a)
{
	memset(a, 0, sizeof(*a));
	a->tls_starttls = 1;
	a->tls_certcheck = 1;
	a->tls_session_cache = 1;
	a->allow_from_override = 1;
	a->remove_bcc_headers = 1;
	a->set_to_header = AUTO_OFF;
	a->queue = 1;
	a->queue_lifetime = DEFAULT_QUEUE_LIFETIME;
}

static void account_release(struct account *a)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (key_storage(&keys[i]) == ST_STR)
			str_free(*STR_FIELD(a, &keys[i]));
	str_free(a->auth_method);
	for (i = 0; i < NIDN_KEYS; i++)
		free(*STR_AT(a, idn_keys[i].uoff));
	free(a->name);
	free(a->conffile);
	account_init(a);
}

void account_free(struct account *a)
{
	if (!a)
		return;
	account_release(a);
	free(a);
}

static int dup_or_null(const char *s, char **out)
{
	*out = NULL;
	if (s && !(*out = strdup(s)))
		return -1;
	return 0;
}

/* Copy one key's value from src to dst. */
static int key_copy(struct account *dst, const struct account *src,
		    const struct key *k)
{
	char *s;

	switch (key_storage(k)) {
	case ST_STR:
		if (dup_or_null(*STR_FIELD(src, k), &s) < 0)
			return -1;
		str_replace(STR_FIELD(dst, k), s);
		break;
	case ST_INT:
		*INT_FIELD(dst, k) = *INT_FIELD(src, k);
		break;
	case ST_LONG:
		*LONG_FIELD(dst, k) = *LONG_FIELD(src, k);
		break;
	case ST_AUTH:
		if (dup_or_null(src->auth_method, &s) < 0)
			return -1;
		str_replace(&dst->auth_method, s);
		dst->auth = src->auth;
		break;
	case ST_NONE:
		break;
	}
	return 0;
}

/* Copy every key, or (only_set) those src set, marking them set. */
static int account_merge(struct account *dst, const struct account *src,
			 int only_set)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (key_storage(&keys[i]) == ST_NONE ||
		    (only_set && !src->set[i]))
			continue;
		if (key_copy(dst, src, &keys[i]) < 0)
			return -1;
		if (only_set)
			dst->set[i] = 1;
	}
	return 0;
}

struct account *account_new(const char *name, const char *conffile)
{
	struct account *a = malloc(sizeof(*a));

	if (!a)
		return NULL;
	account_init(a);
	if (dup_or_null(name, &a->name) < 0 ||
	    dup_or_null(conffile, &a->conffile) < 0) {
		account_free(a);
		return NULL;
	}
	return a;
}

struct account *account_dup(const struct account *src)
{
	struct account *a = account_new(src->name, src->conffile);
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < NIDN_KEYS; i++)
		if (dup_or_null(*STR_AT(src, idn_keys[i].uoff),
				STR_AT(a, idn_keys[i].uoff)) < 0)
			goto fail;
	if (account_merge(a, src, 0) < 0)
		goto fail;
	memcpy(a->set, src->set, sizeof(a->set));
	return a;
fail:
	account_free(a);
	return NULL;
}

/* ------------------------------------------------------- value parsers */

static const char *home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h)
		return h;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir ? pw->pw_dir : "";
}

/* msmtp replaces a leading '~' (only) by $HOME, whatever follows it. */
static char *expand_tilde(const char *s)
{
	struct buf b = BUF_INIT(CONF_FILE_MAX);

	if (s[0] != '~')
		return strdup(s);
	if (buf_puts(&b, home_dir()) < 0 || buf_puts(&b, s + 1) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* A positive int as msmtp reads it (strtol base 0, no trailing junk). */
static int pos_int(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (end == s || *end != '\0' || errno == ERANGE || v <= 0 ||
	    v > INT_MAX)
		return -1;
	return (int)v;
}

/* "90", "90s", "15m", "12h", "5d" -> seconds; -1 when invalid. */
static long duration(const char *s)
{
	static const struct {
		char unit;
		long mult;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	char *end;
	long v;
	size_t i;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == ERANGE || v <= 0)
		return -1;
	if (*end == '\0')
		return v;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (end[0] == units[i].unit && end[1] == '\0')
			return v > LONG_MAX / units[i].mult ? -1
							    : v * units[i].mult;
	return -1;
}

static int is_word(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(s, *words) == 0)
			return 1;
	return 0;
}

static char *upper_dup(const char *s)
{
	char *u = strdup(s), *p;

	for (p = u; p && *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* "aa:bb:..." (or blank-separated) SHA-256/SHA-1/MD5 -> "AA:BB:..." */
static char *fingerprint(const char *s)
{
	static const size_t sizes[] = {32, 20, 16};
	size_t n = 0, i, len = strlen(s);
	char *out;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (len == 3 * sizes[i] - 1)
			n = sizes[i];
	if (n == 0)
		return NULL;
	for (i = 0; i < len; i++) {
		int sep = i % 3 == 2;

		if (sep ? (s[i] != ':' && s[i] != ' ')
			: !isxdigit((unsigned char)s[i]))
			return NULL;
	}
	out = upper_dup(s);
	for (i = 2; out && i < len; i += 3)
		out[i] = ':';
	return out;
}

/* A comma-separated list whose items all pass ok(); NULL if not. */
static char *item_list(const char *s, int (*ok)(const char *item))
{
	struct buf b = BUF_INIT(CONF_FILE_MAX);
	const char *p = s;

	for (;;) {
		size_t n = strcspn(p, ","), lead = strspn(p, " \t");
		char *item;
		int good;

		while (n > lead && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		item = xstrndup(p + lead, n > lead ? n - lead : 0);
		good = item && *item && ok(item) &&
		       (b.len == 0 || buf_putc(&b, ',') == 0) &&
		       buf_puts(&b, item) == 0;
		free(item);
		if (!good) {
			buf_release(&b);
			return NULL;
		}
		p += strcspn(p, ",");
		if (*p == '\0')
			return buf_detach(&b);
		p++;
	}
}

static int ok_duration(const char *item)
{
	return duration(item) > 0;
}

static int ok_account_name(const char *item)
{
	return strchr(item, ':') == NULL;
}

/* msmtp: "never", or failure/delay/success comma-separated (no blanks,
 * no repeats). */
static char *dsn_notify(const char *s)
{
	static const char *const words[] = {"failure", "delay", "success"};
	int seen[3] = {0, 0, 0};
	const char *p = s;

	if (strcmp(s, "never") == 0)
		return strdup("NEVER");
	for (;;) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < 3; i++)
			if (strlen(words[i]) == n &&
			    strncmp(p, words[i], n) == 0)
				break;
		if (i == 3 || seen[i]++)
			return NULL;
		p += n;
		if (*p == '\0')
			return upper_dup(s);
		p++;
	}
}

/* OAuth2 endpoints need TLS (RFC 6749 §3.2): https only, even on
 * loopback (the tests use https with their own CA). */
static int url_ok(const char *s)
{
	return strncmp(s, "https://", 8) == 0 && s[8] && s[8] != '/';
}

/* ------------------------------------------------------------- setters */

/*
 * One setter per key type.  k is the key as written (its flags say how
 * the argument is read), c the canonical key (whose field is written).
 */
typedef int (*setter_fn)(struct account *a, const struct key *k,
			 const struct key *c, const char *arg,
			 const struct where *w, struct err *e);

static int invalid(const struct key *k, const char *arg, const struct where *w,
		   struct err *e)
{
	return conf_error(e, w, "invalid argument '%s' for '%s' (expected %s)",
			  arg, k->name, k->values);
}

static int need_arg(const struct key *k, const struct where *w, struct err *e)
{
	return conf_error(e, w, "'%s' needs an argument", k->name);
}

/* Store v (already allocated; NULL = unset) in c's string field. */
static int store(struct account *a, const struct key *c, char *v, int want,
		 struct err *e)
{
	size_t i;

	if (want && !v)
		return oom(e);
	str_replace(STR_FIELD(a, c), v);
	/* a new name: the display form of the old one no longer applies */
	for (i = 0; i < NIDN_KEYS; i++)
		if (c->off == idn_keys[i].off && c->type == KT_STR) {
			free(*STR_AT(a, idn_keys[i].uoff));
			*STR_AT(a, idn_keys[i].uoff) = NULL;
		}
	return 0;
}

static int set_str(struct account *a, const struct key *k, const struct key *c,
		   const char *arg, const struct where *w, struct err *e)
{
	if (*arg == '\0') {
		if (k->flags & KF_NEEDARG)
			return need_arg(k, w, e);
		if (k->flags & KF_KEEPEMPTY)
			return store(a, c, strdup(""), 1, e);
		return store(a, c, NULL, 0, e);
	}
	return store(a, c,
		     k->flags & KF_TILDE ? expand_tilde(arg) : strdup(arg), 1,
		     e);
}

static int set_trust(struct account *a, const struct key *k,
		     const struct key *c, const char *arg,
		     const struct where *w, struct err *e)
{
	(void)k;
	(void)w;
	if (*arg == '\0')
		return store(a, c, strdup(""), 1, e);
	if (strcmp(arg, "system") == 0)
		return store(a, c, NULL, 0, e);
	return store(a, c, expand_tilde(arg), 1, e);
}

static int set_bool(struct account *a, const struct key *k, const struct key *c,
		    const char *arg, const struct where *w, struct err *e)
{
	int v;

	if ((*arg == '\0' && !(k->flags & KF_NOEMPTY)) || !strcmp(arg, "on"))
		v = 1;
	else if (strcmp(arg, "off") == 0)
		v = 0;
	else
		return invalid(k, arg, w, e);
	*INT_FIELD(a, c) = k->flags & KF_INVERT ? !v : v;
	return 0;
}

static int set_noarg(struct account *a, const struct key *k,
		     const struct key *c, const char *arg,
		     const struct where *w, struct err *e)
{
	if (*arg != '\0')
		return conf_error(e, w, "'%s' does not take an argument",
				  k->name);
	*INT_FIELD(a, c) = 0;
	return 0;
}

static int set_port(struct account *a, const struct key *k, const struct key *c,
		    const char *arg, const struct where *w, struct err *e)
{
	int v = 0;

	if (*arg == '\0' && (k->flags & KF_NEEDARG))
		return need_arg(k, w, e);
	if (*arg != '\0' && ((v = pos_int(arg)) < 0 || v > PORT_MAX))
		return invalid(k, arg, w, e);
	*INT_FIELD(a, c) = v;
	return 0;
}

static int set_timeout(struct account *a, const struct key *k,
		       const struct key *c, const char *arg,
		       const struct where *w, struct err *e)
{
	int v = 0;

	if (*arg == '\0')
		return need_arg(k, w, e);
	if (strcmp(arg, "off") != 0 && (v = pos_int(arg)) < 0)
		return invalid(k, arg, w, e);
	*INT_FIELD(a, c) = v;
	return 0;
}

static int set_posint(struct account *a, const struct key *k,
		      const struct key *c, const char *arg,
		      const struct where *w, struct err *e)
{
	int v = 0;

	if (*arg != '\0' && (v = pos_int(arg)) < 0)
		return invalid(k, arg, w, e);
	*INT_FIELD(a, c) = v;
	return 0;
}

static int set_protocol(struct account *a, const struct key *k,
			const struct key *c, const char *arg,
			const struct where *w, struct err *e)
{
	if (*arg == '\0')
		return need_arg(k, w, e);
	if (strcmp(arg, "smtp") == 0)
		*INT_FIELD(a, c) = PROTO_SMTP;
	else if (strcmp(arg, "lmtp") == 0)
		*INT_FIELD(a, c) = PROTO_LMTP;
	else
		return invalid(k, arg, w, e);
	return 0;
}

static int set_auth(struct account *a, const struct key *k, const struct key *c,
		    const char *arg, const struct where *w, struct err *e)
{
	static const char *const methods[] = {"plain",
					      "scram-sha-1",
					      "scram-sha-256",
					      "scram-sha-1-plus",
					      "scram-sha-256-plus",
					      "cram-md5",
					      "digest-md5",
					      "gssapi",
					      "external",
					      "login",
					      "ntlm",
					      "oauthbearer",
					      "xoauth2",
					      NULL};
	char *m = NULL;

	(void)c;
	if (*arg == '\0' || strcmp(arg, "on") == 0)
		a->auth = AUTH_CHOOSE;
	else if (strcmp(arg, "off") == 0)
		a->auth = AUTH_OFF;
	else if (is_word(arg, methods) && (m = upper_dup(arg)) != NULL)
		a->auth = AUTH_METHOD;
	else if (is_word(arg, methods))
		return oom(e);
	else
		return invalid(k, arg, w, e);
	str_replace(&a->auth_method, m);
	return 0;
}

static int set_hdr(struct account *a, const struct key *k, const struct key *c,
		   const char *arg, const struct where *w, struct err *e)
{
	if (*arg == '\0' || strcmp(arg, "auto") == 0)
		*INT_FIELD(a, c) = AUTO_AUTO;
	else if (strcmp(arg, "on") == 0 && !(k->flags & KF_NO_ON))
		*INT_FIELD(a, c) = AUTO_ON;
	else if (strcmp(arg, "off") == 0)
		*INT_FIELD(a, c) = AUTO_OFF;
	else
		return invalid(k, arg, w, e);
	return 0;
}

/* add_missing_*_header on|off = set_*_header auto|off */
static int set_addmissing(struct account *a, const struct key *k,
			  const struct key *c, const char *arg,
			  const struct where *w, struct err *e)
{
	if (*arg == '\0' || strcmp(arg, "on") == 0)
		*INT_FIELD(a, c) = AUTO_AUTO;
	else if (strcmp(arg, "off") == 0)
		*INT_FIELD(a, c) = AUTO_OFF;
	else
		return invalid(k, arg, w, e);
	return 0;
}

static int set_dsn_notify(struct account *a, const struct key *k,
			  const struct key *c, const char *arg,
			  const struct where *w, struct err *e)
{
	char *v;

	if (*arg == '\0')
		return need_arg(k, w, e);
	if (strcmp(arg, "off") == 0)
		return store(a, c, NULL, 0, e);
	errno = 0;
	if (!(v = dsn_notify(arg)))
		return errno == ENOMEM ? oom(e) : invalid(k, arg, w, e);
	return store(a, c, v, 1, e);
}

static int set_dsn_return(struct account *a, const struct key *k,
			  const struct key *c, const char *arg,
			  const struct where *w, struct err *e)
{
	if (*arg == '\0')
		return need_arg(k, w, e);
	if (strcmp(arg, "off") == 0)
		return store(a, c, NULL, 0, e);
	if (strcmp(arg, "headers") == 0)
		return store(a, c, strdup("HDRS"), 1, e);
	if (strcmp(arg, "full") == 0)
		return store(a, c, strdup("FULL"), 1, e);
	return invalid(k, arg, w, e);
}

static int set_syslog(struct account *a, const struct key *k,
		      const struct key *c, const char *arg,
		      const struct where *w, struct err *e)
{
	static const char *const facilities[] = {
		"LOG_USER",   "LOG_MAIL",   "LOG_LOCAL0", "LOG_LOCAL1",
		"LOG_LOCAL2", "LOG_LOCAL3", "LOG_LOCAL4", "LOG_LOCAL5",
		"LOG_LOCAL6", "LOG_LOCAL7", NULL};

	if (*arg == '\0' || strcmp(arg, "on") == 0)
		return store(a, c, strdup("LOG_USER"), 1, e);
	if (strcmp(arg, "off") == 0)
		return store(a, c, NULL, 0, e);
	if (!is_word(arg, facilities))
		return invalid(k, arg, w, e);
	return store(a, c, strdup(arg), 1, e);
}

static int set_fingerprint(struct account *a, const struct key *k,
			   const struct key *c, const char *arg,
			   const struct where *w, struct err *e)
{
	char *v;

	if (*arg == '\0')
		return store(a, c, NULL, 0, e);
	errno = 0;
	if (!(v = fingerprint(arg)))
		return errno == ENOMEM ? oom(e) : invalid(k, arg, w, e);
	return store(a, c, v, 1, e);
}

static int set_ignore(struct account *a, const struct key *k,
		      const struct key *c, const char *arg,
		      const struct where *w, struct err *e)
{
	(void)a, (void)k, (void)c, (void)arg, (void)w, (void)e;
	return 0;
}

static int set_duration(struct account *a, const struct key *k,
			const struct key *c, const char *arg,
			const struct where *w, struct err *e)
{
	long v;

	if (*arg == '\0')
		return need_arg(k, w, e);
	if ((v = duration(arg)) < 0)
		return invalid(k, arg, w, e);
	*LONG_FIELD(a, c) = v;
	return 0;
}

static int set_list(struct account *a, const struct key *k, const struct key *c,
		    const char *arg, const struct where *w, struct err *e)
{
	char *v;

	if (*arg == '\0')
		return store(a, c, NULL, 0, e);
	errno = 0;
	v = item_list(arg,
		      k->type == KT_DURLIST ? ok_duration : ok_account_name);
	if (!v && errno == ENOMEM)
		return oom(e);
	if (!v)
		return invalid(k, arg, w, e);
	return store(a, c, v, 1, e);
}

static int set_url(struct account *a, const struct key *k, const struct key *c,
		   const char *arg, const struct where *w, struct err *e)
{
	if (*arg == '\0')
		return store(a, c, NULL, 0, e);
	if (!url_ok(arg))
		return invalid(k, arg, w, e);
	return store(a, c, strdup(arg), 1, e);
}

static const setter_fn setters[] = {
	[KT_STR] = set_str,
	[KT_TRUST] = set_trust,
	[KT_BOOL] = set_bool,
	[KT_NOARG] = set_noarg,
	[KT_PORT] = set_port,
	[KT_TIMEOUT] = set_timeout,
	[KT_POSINT] = set_posint,
	[KT_PROTOCOL] = set_protocol,
	[KT_AUTH] = set_auth,
	[KT_HDR] = set_hdr,
	[KT_ADDMISSING] = set_addmissing,
	[KT_DSN_NOTIFY] = set_dsn_notify,
	[KT_DSN_RETURN] = set_dsn_return,
	[KT_SYSLOG] = set_syslog,
	[KT_FINGERPRINT] = set_fingerprint,
	[KT_IGNORE] = set_ignore,
	[KT_DURATION] = set_duration,
	[KT_DURLIST] = set_list,
	[KT_NAMELIST] = set_list,
	[KT_URL] = set_url,
};

static int key_apply(struct account *a, const struct key *k, const char *arg,
		     const struct where *w, struct err *e)
{
	const struct key *c = key_canon(k);

	if (setters[k->type](a, k, c ? c : k, arg, w, e) < 0)
		return -1;
	if (c)
		a->set[c - keys] = 1;
	return 0;
}

int account_set(struct account *a, const char *key, const char *value,
		struct err *e)
{
	const struct key *k = key_find(key);

	if (!k)
		return err_set(e, ERR_CONFIG, "unknown command '%s'", key);
	return key_apply(a, k, value ? value : "", NULL, e);
}

/* -------------------------------------------------------------- parser */

struct parser {
	const char *path;
	struct account defaults;
	struct account **accs; /* this file's accounts, in order */
	size_t naccs;
	struct account *cur; /* where commands go: NULL before any */
	int has_secret;	     /* a secret key is written in the file */
};

static struct account *parser_find(const struct parser *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->naccs; i++)
		if (strcmp(p->accs[i]->name, name) == 0)
			return p->accs[i];
	return NULL;
}

/* A new account holding the current defaults, appended and made current */
static struct account *parser_add(struct parser *p, const char *name)
{
	struct account **v;
	struct account *a = account_new(name, p->path);

	if (!a)
		return NULL;
	v = realloc(p->accs, (p->naccs + 1) * sizeof(*v));
	if (!v || account_merge(a, &p->defaults, 0) < 0) {
		if (v)
			p->accs = v;
		account_free(a);
		return NULL;
	}
	p->accs = v;
	p->accs[p->naccs++] = a;
	p->cur = a;
	return a;
}

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* "account NAME [: PARENT[,PARENT...]]" */
static int do_account(struct parser *p, char *arg, const struct where *w,
		      struct err *e)
{
	char *parents = strchr(arg, ':'), *name, *item;
	struct account *a, *parent;

	if (parents)
		*parents++ = '\0';
	name = trim(arg);
	if (*name == '\0')
		return conf_error(e, w, "missing account name");
	if (strchr(name, ','))
		return conf_error(e, w,
				  "an account name must not contain "
				  "colons or commas");
	if (parser_find(p, name))
		return conf_error(e, w, "account '%s' was already defined",
				  name);
	if (!(a = parser_add(p, name)))
		return oom(e);
	while (parents) {
		item = parents;
		parents = strchr(parents, ',');
		if (parents)
			*parents++ = '\0';
		item = trim(item);
		if (*item == '\0')
			return conf_error(e, w, "missing account name");
		parent = parser_find(p, item);
		if (!parent || parent == a)
			return conf_error(
				e, w, "account '%s' not (yet) defined", item);
		if (account_merge(a, parent, 1) < 0)
			return oom(e);
	}
	return 0;
}

/* Split a line in place; returns 0 for blank and comment lines. */
static int split_line(char *line, char **cmd, char **arg)
{
	size_t n = strlen(line);
	char *s = line;

	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	*cmd = s;
	s += strcspn(s, " \t");
	if (*s) {
		*s++ = '\0';
		while (isspace((unsigned char)*s))
			s++;
	}
	n = strlen(s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
	}
	*arg = s;
	return 1;
}

static int parse_line(struct parser *p, char *line, const struct where *w,
		      int from_eval, struct err *e);

/* "eval CMD": the first line CMD prints replaces this line (msmtp). */
static int do_eval(struct parser *p, const char *cmd, const struct where *w,
		   struct err *e)
{
	struct buf out = BUF_INIT(CONF_EVAL_MAX);
	struct err sub = ERR_INIT;
	int status, ret = -1;

	if (*cmd == '\0')
		return conf_error(e, w, "'eval' needs an argument");
	if (secret_run(cmd, &out, 1, &status, &sub) < 0)
		conf_error(e, w, "%s", sub.msg);
	else if (out.len == 0)
		conf_error(e, w, "cannot read output of '%s'", cmd);
	else
		ret = parse_line(p, out.data, w, 1, e);
	buf_release_secret(&out);
	return ret;
}

static int parse_line(struct parser *p, char *line, const struct where *w,
		      int from_eval, struct err *e)
{
	const struct key *k;
	char *cmd, *arg;

	line[strcspn(line, "\n")] = '\0';
	if (!split_line(line, &cmd, &arg))
		return 0;
	if (!from_eval && strcmp(cmd, "eval") == 0)
		return do_eval(p, arg, w, e);
	if (strcmp(cmd, "account") == 0)
		return do_account(p, arg, w, e);
	if (strcmp(cmd, "defaults") == 0) {
		if (*arg)
			return conf_error(e, w,
					  "'defaults' does not take an "
					  "argument");
		p->cur = &p->defaults;
		return 0;
	}
	if (!(k = key_find(cmd)))
		return conf_error(e, w, "unknown command '%s'", cmd);
	if (!from_eval && (k->flags & KF_SECRET))
		p->has_secret = 1;
	/* Commands before any account build an implicit "default". */
	if (!p->cur && !parser_add(p, "default"))
		return oom(e);
	return key_apply(p->cur, k, arg, w, e);
}

static int parse_text(struct parser *p, const char *text, size_t len,
		      struct err *e)
{
	struct where w = {p->path, 0};
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *line = xstrndup(text + pos, n);
		int r;

		if (!line)
			return oom(e);
		w.line++;
		r = parse_line(p, line, &w, 0, e);
		explicit_bzero(line, n);
		free(line);
		if (r < 0)
			return -1;
		pos += n + 1;
	}
	return 0;
}

/* Accounts of a later file replace same-name accounts of an earlier one */
static int conf_merge(struct conf *c, struct parser *p, struct err *e)
{
	size_t i, j;

	for (i = 0; i < p->naccs; i++) {
		struct account *a = p->accs[i], **v;

		for (j = 0; j < c->naccounts; j++)
			if (strcmp(c->accounts[j]->name, a->name) == 0)
				break;
		if (j == c->naccounts) {
			v = realloc(c->accounts, (j + 1) * sizeof(*v));
			if (!v)
				return oom(e);
			c->accounts = v;
			c->naccounts++;
		} else {
			account_free(c->accounts[j]);
		}
		c->accounts[j] = a;
		p->accs[i] = NULL;
	}
	return 0;
}

static int parse_file(struct conf *c, const char *path, const char *text,
		      size_t len, int *has_secret, struct err *e)
{
	struct parser p;
	size_t i;
	int r;

	memset(&p, 0, sizeof(p));
	p.path = path;
	account_init(&p.defaults);
	r = parse_text(&p, text, len, e);
	if (r == 0)
		r = conf_merge(c, &p, e);
	for (i = 0; i < p.naccs; i++)
		account_free(p.accs[i]);
	free(p.accs);
	account_release(&c->defaults);
	c->defaults = p.defaults;
	*has_secret = p.has_secret;
	return r;
}

/* ------------------------------------------------------------- loading */

void conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	account_init(&c->defaults);
}

void conf_release(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->naccounts; i++)
		account_free(c->accounts[i]);
	free(c->accounts);
	account_release(&c->defaults);
	free(c->path);
	free(c->syspath);
	conf_init(c);
}

int conf_parse(struct conf *c, const char *path, const char *text, size_t len,
	       struct err *e)
{
	int has_secret;

	return parse_file(c, path, text, len, &has_secret, e);
}

/* msmtp: a file holding a password must be private to its owner. */
static int check_private(const char *path, const struct stat *st, struct err *e)
{
	if (st->st_uid != geteuid())
		return err_set(e, ERR_CONFIG,
			       "%s: contains secrets and therefore must be "
			       "owned by you",
			       path);
	if (st->st_mode & (S_IXUSR | S_IRWXG | S_IRWXO))
		return err_set(e, ERR_CONFIG,
			       "%s: contains secrets and therefore must have "
			       "no more than user read/write permissions",
			       path);
	return 0;
}

static int read_fd(int fd, const char *path, struct buf *b, struct err *e)
{
	char chunk[8192];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(e, ERR_CONFIG, "%s: %s", path,
				       strerror(errno));
		if (n == 0)
			break;
		if (buf_append(b, chunk, (size_t)n) < 0)
			return err_set_buf(e, ERR_CONFIG,
					   "%s: larger than %d bytes", path,
					   CONF_FILE_MAX);
	}
	explicit_bzero(chunk, sizeof(chunk));
	return 0;
}

/*
 * Load one file.  Returns 1 when loaded, 0 when it does not exist (and
 * may be skipped: optional), -1 on error.  check: the permission rule.
 */
static int load_file(struct conf *c, const char *path, int optional, int check,
		     struct err *e)
{
	struct buf b = BUF_INIT(CONF_FILE_MAX);
	struct stat st;
	int fd, has_secret = 0, r = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && optional &&
	    (errno == ENOENT || errno == ENOTDIR ||
	     (!check && errno == EACCES)))
		return 0;
	if (fd < 0)
		return err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (read_fd(fd, path, &b, e) < 0 ||
	    parse_file(c, path, b.data ? b.data : "", b.len, &has_secret, e) <
		    0)
		goto out;
	if (check && has_secret && check_private(path, &st, e) < 0)
		goto out;
	log_debug("loaded configuration file %s", path);
	r = 1;
out:
	close(fd);
	buf_release_secret(&b);
	return r;
}

/* $XDG_CONFIG_HOME/<sub>, with the XDG default ~/.config. */
static char *xdg_path(const char *sub)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	struct buf b = BUF_INIT(PATH_MAX);

	if (x && x[0] == '/')
		buf_printf(&b, "%s/%s", x, sub);
	else
		buf_printf(&b, "%s/.config/%s", home_dir(), sub);
	return b.data ? buf_detach(&b) : NULL;
}

static char *home_path(const char *name)
{
	struct buf b = BUF_INIT(PATH_MAX);

	buf_printf(&b, "%s/%s", home_dir(), name);
	return b.data ? buf_detach(&b) : NULL;
}

/* Try the user rc files in order; the first that exists wins. */
static int load_user(struct conf *c, struct err *e)
{
	char *paths[4];
	size_t i;
	int r = 0;

	paths[0] = xdg_path("mailhop/config");
	paths[1] = home_path(".mailhoprc");
	paths[2] = home_path(".msmtprc"); /* msmtp tries this one first */
	paths[3] = xdg_path("msmtp/config");
	for (i = 0; i < 4 && r == 0; i++) {
		if (!paths[i]) {
			r = oom(e);
			break;
		}
		r = load_file(c, paths[i], 1, 1, e);
		if (r > 0) {
			c->path = paths[i];
			c->is_msmtprc = i >= 2;
			paths[i] = NULL;
		}
	}
	for (i = 0; i < 4; i++)
		free(paths[i]);
	return r < 0 ? -1 : 0;
}

/*
 * System file first (no permission rule: it is meant to be shared),
 * then the user file; user accounts replace same-name system accounts.
 */
int conf_load(struct conf *c, const char *rcfile, struct err *e)
{
	static const char *const sysfiles[] = {CONF_SYSTEM_FILE,
					       CONF_MSMTP_SYSTEM_FILE};
	size_t i;
	int r = 0;

	for (i = 0; i < 2 && r == 0; i++) {
		r = load_file(c, sysfiles[i], 1, 0, e);
		if (r < 0)
			return -1;
		if (r > 0 && !(c->syspath = strdup(sysfiles[i])))
			return oom(e);
		if (r > 0 && i == 1)
			c->is_msmtprc = 1;
	}
	if (!rcfile)
		r = load_user(c, e);
	else if ((r = load_file(c, rcfile, 0, 1, e)) > 0 &&
		 !(c->path = strdup(rcfile)))
		r = oom(e);
	if (r < 0)
		return -1;
	if (!c->path && c->syspath && !(c->path = strdup(c->syspath)))
		return oom(e);
	return 0;
}

/* ----------------------------------------------------------- selecting */

/* msmtp: a from with ? * [ is a shell pattern, else compared ignoring
 * case. */
static int from_matches(const char *pattern, const char *addr)
{
	if (strpbrk(pattern, "?*["))
		return fnmatch(pattern, addr, 0) == 0;
	return strcasecmp(pattern, addr) == 0;
}

static const struct account *find_by_from(const struct conf *c,
					  const char *addr)
{
	int pass;
	size_t i;

	/* User-file accounts first: they override the system file. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < c->naccounts; i++) {
			const struct account *a = c->accounts[i];
			int sys = c->syspath && a->conffile &&
				  strcmp(a->conffile, c->syspath) == 0;

			if (sys == pass && a->from &&
			    from_matches(a->from, addr))
				return a;
		}
	return NULL;
}

static int not_found(const struct conf *c, const char *name, struct err *e)
{
	if (!c->path && !c->syspath)
		return err_set(e, ERR_CONFIG,
			       "account %s not found: no configuration file "
			       "available",
			       name);
	if (c->syspath && strcmp(c->path, c->syspath) != 0)
		return err_set(e, ERR_CONFIG,
			       "account %s not found in %s and %s", name,
			       c->syspath, c->path);
	return err_set(e, ERR_CONFIG, "account %s not found in %s", name,
		       c->path);
}

struct account *conf_select(const struct conf *c, const char *name,
			    const char *envelope_from, struct err *e)
{
	const struct account *a = NULL;
	struct account *copy;
	size_t i;

	if (!name && envelope_from)
		a = find_by_from(c, envelope_from);
	if (!a) {
		if (!name)
			name = "default";
		for (i = 0; i < c->naccounts && !a; i++)
			if (strcmp(c->accounts[i]->name, name) == 0)
				a = c->accounts[i];
	}
	if (!a) {
		not_found(c, name, e);
		return NULL;
	}
	if (!(copy = account_dup(a)))
		oom(e);
	return copy;
}

/* ----------------------------------------------------------- finishing */

/* The user name for %U and auto_from: $USER, $LOGNAME, the passwd entry */
static const char *user_name(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	u = getenv("LOGNAME");
	if (u && *u)
		return u;
	pw = getpwuid(geteuid());
	return pw && pw->pw_name ? pw->pw_name : "";
}

/* %H: $HOSTNAME, else the system's host name. */
static int host_name(struct buf *out, struct err *e)
{
	char name[CONF_HOSTNAME_MAX + 1];
	const char *h = getenv("HOSTNAME");

	if (!h || !*h) {
		if (gethostname(name, sizeof(name) - 1) < 0)
			return err_set(e, ERR_OSERR, "cannot get host name: %s",
				       strerror(errno));
		name[sizeof(name) - 1] = '\0';
		h = name;
	}
	return buf_puts(out, h) < 0 ? oom(e) : 0;
}

/* %C: the canonical name of %H (the name itself if it has none). */
static int canon_name(struct buf *out, struct err *e)
{
	struct buf h = BUF_INIT(CONF_HOSTNAME_MAX);
	struct addrinfo hints, *res = NULL;
	int r = -1;

	if (host_name(&h, e) < 0)
		goto out;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(h.data, NULL, &hints, &res) == 0 && res &&
	    res->ai_canonname)
		r = buf_puts(out, res->ai_canonname);
	else
		r = buf_puts(out, h.data);
	if (r < 0)
		oom(e);
out:
	if (res)
		freeaddrinfo(res);
	buf_release(&h);
	return r;
}

/* %M: the first line of /etc/mailname. */
static int mail_name(struct buf *out, struct err *e)
{
	struct buf b = BUF_INIT(CONF_HOSTNAME_MAX * 4);
	int fd = open(CONF_MAILNAME_FILE, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return err_set(e, ERR_CONFIG, "%s: %s", CONF_MAILNAME_FILE,
			       strerror(errno));
	r = read_fd(fd, CONF_MAILNAME_FILE, &b, e);
	close(fd);
	if (r == 0 && buf_append(out, b.data ? b.data : "",
				 b.data ? strcspn(b.data, "\r\n") : 0) < 0)
		r = oom(e);
	buf_release(&b);
	return r;
}

/* Replace the %X patterns listed in pats; other '%' stay as they are. */
static int expand_patterns(char **slot, const char *pats, struct err *e)
{
	struct buf b = BUF_INIT(CONF_FILE_MAX);
	const char *s = *slot;
	int r = 0;

	for (; *s && r == 0; s++) {
		if (s[0] != '%' || !s[1] || !strchr(pats, s[1])) {
			r = buf_putc(&b, *s) < 0 ? oom(e) : 0;
			continue;
		}
		s++;
		if (*s == 'U')
			r = buf_puts(&b, user_name()) < 0 ? oom(e) : 0;
		else if (*s == 'H')
			r = host_name(&b, e);
		else if (*s == 'C')
			r = canon_name(&b, e);
		else
			r = mail_name(&b, e);
	}
	if (r == 0)
		str_replace(slot, buf_detach(&b));
	buf_release(&b);
	return r;
}

/* auto_from (obsolete): from = user@maildomain, or just user. */
static int apply_auto_from(struct account *a, struct err *e)
{
	struct buf b = BUF_INIT(CONF_FILE_MAX);

	if (buf_puts(&b, user_name()) < 0 ||
	    (a->maildomain && *a->maildomain &&
	     buf_printf(&b, "@%s", a->maildomain) < 0)) {
		buf_release(&b);
		return oom(e);
	}
	str_replace(&a->from, buf_detach(&b));
	return 0;
}

static int finish_error(const struct account *a, struct err *e,
			const char *what)
{
	if (a->conffile)
		return err_set(e, ERR_CONFIG, "account %s from %s: %s",
			       a->name ? a->name : "default", a->conffile,
			       what);
	return err_set(e, ERR_CONFIG, "%s", what);
}

/* msmtp's consistency checks, in its order. */
static int check_account(const struct account *a, struct err *e)
{
	const char *t = a->tls_trust_file;

	if (!a->host && !a->socket)
		return finish_error(a, e, "host not set");
	if (a->port == 0)
		return finish_error(a, e, "port not set");
	if (a->tls_key_file && !a->tls_cert_file)
		return finish_error(a, e,
				    "tls_key_file requires tls_cert_file");
	if (a->tls_cert_file && !a->tls_key_file)
		return finish_error(a, e,
				    "tls_cert_file requires tls_key_file");
	if (a->tls && a->tls_certcheck && t && !*t && !a->tls_fingerprint)
		return finish_error(a, e,
				    "tls requires either tls_trust_file "
				    "(highly recommended) or tls_fingerprint "
				    "or a disabled tls_certcheck");
	if (a->tls_crl_file && t && !*t)
		return finish_error(a, e,
				    "tls_crl_file requires tls_trust_file");
	return 0;
}

/*
 * host, tls_host_override, domain, proxy_host -> A-labels (idn.h); the
 * user's form stays in the *_unicode field when it differs.  A second run
 * finds the A-labels unchanged and keeps the first run's originals.
 */
static int convert_names(struct account *a, struct err *e)
{
	struct err ie = ERR_INIT;
	size_t i;

	for (i = 0; i < NIDN_KEYS; i++) {
		char **slot = STR_AT(a, idn_keys[i].off);
		char **orig = STR_AT(a, idn_keys[i].uoff);
		char *ascii;

		if (!*slot)
			continue;
		if (idn_host_to_ascii_for(*slot, &ascii, idn_keys[i].key,
					  ERR_CONFIG, &ie) < 0)
			return ie.kind == ERR_CONFIG
				       ? finish_error(a, e, ie.msg)
				       : err_set(e, ie.kind, "%s", ie.msg);
		if (strcmp(ascii, *slot) == 0) {
			free(ascii);
			continue;
		}
		free(*orig);
		*orig = *slot;
		*slot = ascii;
	}
	return 0;
}

int account_finish(struct account *a, struct err *e)
{
	if (a->from && expand_patterns(&a->from, "UHCM", e) < 0)
		return -1;
	if (a->auto_from && apply_auto_from(a, e) < 0)
		return -1;
	if (!a->domain && !(a->domain = strdup("localhost")))
		return oom(e);
	if (expand_patterns(&a->domain, "HCM", e) < 0)
		return -1;
	if (a->port == 0 && a->protocol == PROTO_SMTP)
		a->port = a->tls && !a->tls_starttls ? DEFAULT_PORT_SMTPS
						     : DEFAULT_PORT_SMTP;
	if (a->proxy_host && a->proxy_port == 0)
		a->proxy_port = DEFAULT_PROXY_PORT;
	if (check_account(a, e) < 0)
		return -1;
	return convert_names(a, e);
}

/* ------------------------------------------------------------ printing */

static const char *str_or_unset(const char *s)
{
	return s ? s : "(not set)";
}

/* The --pretend value of a key, in msmtp's words. */
static const char *key_value(const struct account *a, const struct key *k,
			     char *tmp, size_t tmpsz)
{
	static const char *const hdr[] = {"auto", "on", "off"};
	int v = key_storage(k) == ST_INT ? *INT_FIELD(a, k) : 0;

	switch (k->type) {
	case KT_TRUST:
		return !a->tls_trust_file   ? "system"
		       : *a->tls_trust_file ? a->tls_trust_file
					    : "(not set)";
	case KT_BOOL:
		return v ? "on" : "off";
	case KT_PORT:
		snprintf(tmp, tmpsz, "%d", v);
		return tmp;
	case KT_TIMEOUT:
		if (v == 0)
			return "off";
		snprintf(tmp, tmpsz, "%d second%s", v, v == 1 ? "" : "s");
		return tmp;
	case KT_POSINT:
		if (v == 0)
			return "(not set)";
		snprintf(tmp, tmpsz, "%d", v);
		return tmp;
	case KT_PROTOCOL:
		return v == PROTO_LMTP ? "lmtp" : "smtp";
	case KT_AUTH:
		return a->auth == AUTH_OFF	? "none"
		       : a->auth == AUTH_CHOOSE ? "choose"
						: str_or_unset(a->auth_method);
	case KT_HDR:
		return v >= 0 && v <= AUTO_OFF ? hdr[v] : "auto";
	case KT_DURATION:
		snprintf(tmp, tmpsz, "%ld seconds", *LONG_FIELD(a, k));
		return tmp;
	default:
		if ((k->flags & KF_SECRET) && *STR_FIELD(a, k))
			return "*";
		return str_or_unset(*STR_FIELD(a, k));
	}
}

/* The user's form of a converted international name, or NULL. */
static const char *unicode_form(const struct account *a, const struct key *k)
{
	size_t i;

	for (i = 0; i < NIDN_KEYS; i++)
		if (k->type == KT_STR && k->off == idn_keys[i].off)
			return *STR_AT(a, idn_keys[i].uoff);
	return NULL;
}

void account_print(const struct account *a, FILE *out)
{
	char tmp[64];
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];
		const char *u = unicode_form(a, k);
		const char *v;

		if (k->flags & KF_NOPRINT)
			continue;
		v = key_value(a, k, tmp, sizeof(tmp));
		if (u && *STR_FIELD(a, k))
			fprintf(out, "%s = %s (%s)\n",
				k->label ? k->label : k->name, u, v);
		else
			fprintf(out, "%s = %s\n", k->label ? k->label : k->name,
				v);
	}
}

const struct conf_key_info *conf_key_list(size_t *n)
{
	*n = NKEYS;
	return key_info;
}
