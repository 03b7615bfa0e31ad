/*
 * test_conf.c - the rc file module (conf.c) and passwordeval (secret.c).
 *
 * Most checks are rows of one table: an rc text, the account to select,
 * and either the value --pretend prints for one key or the error (with
 * its FILE:LINE).  The expected values are what msmtp 1.8.23 prints for
 * the same file (checked with its binary), plus mailhop's own keys.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "err.h"
#include "log.h"
#include "secret.h"
#include "tap.h"

struct row {
	const char *name;
	const char *rc;
	const char *account; /* NULL: no -a */
	const char *key;     /* --pretend name */
	const char *want;    /* value, or NULL when err is expected */
	const char *err;     /* substring of the error */
};

#define H "host h\n"

static const struct row rows[] = {
	/* lexing */
	{"double quotes stripped", H "from \"a b\"\n", 0, "from", "a b", 0},
	{"lone quote kept", H "from \"a\n", 0, "from", "\"a", 0},
	{"inner quote kept", H "from \"a\"b\"\n", 0, "from", "a\"b", 0},
	{"single quotes literal", H "from 'a b'\n", 0, "from", "'a b'", 0},
	{"no escapes in quotes", H "from \"a\\\\b\"\n", 0, "from", "a\\\\b", 0},
	{"quoted blanks kept", H "from \t\"\t a \t\" \t\n", 0, "from",
	 "\t a \t", 0},
	{"trailing blanks trimmed", H "   from \t x y  \t \n", 0, "from", "x y",
	 0},
	{"tab separator", H "from\tz\n", 0, "from", "z", 0},
	{"CRLF line ends", "host h\r\nfrom a \r\n", 0, "from", "a", 0},
	{"hash inside a value", H "from a#b\n", 0, "from", "a#b", 0},
	{"indented comment", H "  # port 9\n", 0, "port", "25", 0},
	{"trailing comment is a value", H "tls on  # x\n", 0, 0, 0,
	 "t.rc:2: invalid argument 'on  # x' for 'tls'"},
	{"quote glued to command", H " from\"q\"\n", 0, 0, 0,
	 "t.rc:2: unknown command 'from\"q\"'"},
	{"NUL ends the line", H "from a\0b\nport 3\n", 0, "port", "3", 0},
	{"no final newline", "host h\nport 26", 0, "port", "26", 0},
	{"empty from is set", H "from\n", 0, "from", "", 0},
	{"empty password unset", H "password \n", 0, "password", "(not set)",
	 0},
	{"long line",
	 H "user "
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	   "x\n",
	 0, "port", "25", 0},

	/* structure, inheritance, defaults */
	{"implicit default account", H "account a\nhost x\n", 0, "host", "h",
	 0},
	{"implicit default clashes", H "account default\nhost x\n", 0, 0, 0,
	 "t.rc:2: account 'default' was already defined"},
	{"defaults copied at creation",
	 "defaults\nport 1\naccount a\nhost a\ndefaults\nport 2\n"
	 "account b : a\n",
	 "b", "port", "2", 0},
	{"parent values", "account a\nhost a\nport 7\naccount b : a\n", "b",
	 "port", "7", 0},
	{"grandparent values",
	 "account x\nhost x\naccount a : x\naccount b : a\n", "b", "host", "x",
	 0},
	{"later parent wins",
	 "account x\nhost x\nport 9\naccount y\nhost y\n"
	 "account a : x , y\n",
	 "a", "host", "y", 0},
	{"earlier parent kept",
	 "account x\nhost x\nport 9\naccount y\nhost y\n"
	 "account a : x , y\n",
	 "a", "port", "9", 0},
	{"account default : x", "account a\nhost a\naccount default : a\n", 0,
	 "host", "a", 0},
	{"account default:x", "account a\nhost a\naccount default:a\n", 0,
	 "host", "a", 0},
	{"settings after default : x",
	 "account a\nhost a\naccount default : a\naliases /al\n", "a",
	 "aliases", "(not set)", 0},
	{"name with blanks", "account a\t b  \nhost h\n", "a\t b", "host", "h",
	 0},
	{"defaults then account", "defaults\nhost d\naccount default\n", 0,
	 "host", "d", 0},
	{"unknown parent", "account default : a\n", 0, 0, 0,
	 "t.rc:1: account 'a' not (yet) defined"},
	{"self parent", "account a\nhost h\naccount b : b\n", 0, 0, 0,
	 "t.rc:3: account 'b' not (yet) defined"},
	{"duplicate account", "account a\nhost a\naccount a\n", 0, 0, 0,
	 "t.rc:3: account 'a' was already defined"},
	{"missing name", "\n\naccount\n", 0, 0, 0,
	 "t.rc:3: missing account name"},
	{"missing parent", "account a :\n", 0, 0, 0,
	 "t.rc:1: missing account name"},
	{"empty parent", "account x\nhost x\naccount a : x,,x\n", 0, 0, 0,
	 "t.rc:3: missing account name"},
	{"comma in name", "account a,b\n", 0, 0, 0,
	 "t.rc:1: an account name must not contain colons or commas"},
	{"defaults with argument", "defaults x\n", 0, 0, 0,
	 "t.rc:1: 'defaults' does not take an argument"},
	{"first bad line wins", H "post 465\nauth no\n", 0, 0, 0,
	 "t.rc:2: unknown command 'post'"},
	{"account not found", H, "nope", 0, 0,
	 "account nope not found in t.rc"},
	{"no default account", "account a\nhost a\n", 0, 0, 0,
	 "account default not found in t.rc"},

	/* account_finish: defaults and checks */
	{"port 25 by default", H, 0, "port", "25", 0},
	{"port 465 for SMTPS", H "tls on\ntls_starttls off\n", 0, "port", "465",
	 0},
	{"port 25 for STARTTLS", H "tls_starttls off\n", 0, "port", "25", 0},
	{"LMTP needs a port", H "protocol lmtp\n", 0, 0, 0,
	 "account default from t.rc: port not set"},
	{"LMTP with port", H "protocol lmtp\nport 24\n", 0, "protocol", "lmtp",
	 0},
	{"host not set", "from a\n", 0, 0, 0,
	 "account default from t.rc: host not set"},
	{"socket instead of host", "socket /s\n", 0, "host", "(not set)", 0},
	{"domain localhost", H, 0, "domain", "localhost", 0},
	{"proxy port 1080", H "proxy_host p\n", 0, "proxy port", "1080", 0},
	{"proxy port unset", H, 0, "proxy port", "0", 0},
	{"key needs cert", H "tls_key_file /k\n", 0, 0, 0,
	 "tls_key_file requires tls_cert_file"},
	{"cert needs key", H "tls_cert_file /c\n", 0, 0, 0,
	 "tls_cert_file requires tls_key_file"},
	{"tls needs trust", H "tls on\ntls_trust_file\n", 0, 0, 0,
	 "tls requires either tls_trust_file"},
	{"crl needs trust", H "tls_crl_file /c\ntls_trust_file\n", 0, 0, 0,
	 "tls_crl_file requires tls_trust_file"},
	{"auto_from", H "auto_from\nmaildomain x.org\n", 0, "from",
	 "mhuser@x.org", 0},
	{"auto_from no domain", H "from x\nauto_from on\n", 0, "from", "mhuser",
	 0},
	{"%U in from", H "from %U@x.org\n", 0, "from", "mhuser@x.org", 0},
	{"other % kept", H "from a%F%%b\n", 0, "from", "a%F%%b", 0},

	/* every key type */
	{"string", H "user u\n", 0, "user", "u", 0},
	{"needs argument", H "host\n", 0, 0, 0,
	 "t.rc:2: 'host' needs an argument"},
	{"tilde", H "logfile ~/l\n", 0, "logfile", "/home/mh/l", 0},
	{"tilde only at start", H "aliases a~/x\n", 0, "aliases", "a~/x", 0},
	{"tilde glued", H "tls_crl_file ~x\n", 0, "tls_crl_file", "/home/mhx",
	 0},
	{"no tilde for socket", H "socket ~/s\n", 0, "socket", "~/s", 0},
	{"trust default", H, 0, "tls_trust_file", "system", 0},
	{"trust system", H "tls_trust_file system\n", 0, "tls_trust_file",
	 "system", 0},
	{"trust none", H "tls_trust_file\n", 0, "tls_trust_file", "(not set)",
	 0},
	{"bool empty is on", H "tls\n", 0, "tls", "on", 0},
	{"bool off", H "tls_certcheck off\n", 0, "tls_certcheck", "off", 0},
	{"bool case", H "tls ON\n", 0, 0, 0, "invalid argument 'ON' for 'tls'"},
	{"bool no empty", H "allow_from_override\n", 0, 0, 0,
	 "t.rc:2: invalid argument '' for 'allow_from_override'"},
	{"legacy no-arg", H "tls_nocertcheck\n", 0, "tls_certcheck", "off", 0},
	{"legacy no-arg arg", H "tls_nostarttls x\n", 0, 0, 0,
	 "t.rc:2: 'tls_nostarttls' does not take an argument"},
	{"legacy nostarttls", H "tls_nostarttls\n", 0, "tls_starttls", "off",
	 0},
	{"keepbcc", H "keepbcc\n", 0, "remove_bcc_headers", "off", 0},
	{"port hex", H "port 0x1d\n", 0, "port", "29", 0},
	{"port octal", H "port 010\n", 0, "port", "8", 0},
	{"port range", H "port 65536\n", 0, 0, 0,
	 "invalid argument '65536' for 'port'"},
	{"port zero", H "port 0\n", 0, 0, 0, "invalid argument '0' for 'port'"},
	{"port junk", H "port 25x\n", 0, 0, 0, "invalid argument '25x'"},
	{"timeout off", H "timeout off\n", 0, "timeout", "off", 0},
	{"timeout 1", H "timeout 1\n", 0, "timeout", "1 second", 0},
	{"timeout 30", H "timeout 30\n", 0, "timeout", "30 seconds", 0},
	{"connect_timeout", H "connect_timeout 9\n", 0, "timeout", "9 seconds",
	 0},
	{"timeout zero", H "timeout 0\n", 0, 0, 0, "invalid argument '0'"},
	{"dh bits", H "tls_min_dh_prime_bits 512\n", 0, "tls_min_dh_prime_bits",
	 "512", 0},
	{"dh bits empty",
	 H "tls_min_dh_prime_bits 512\ntls_min_dh_prime_bits\n", 0,
	 "tls_min_dh_prime_bits", "(not set)", 0},
	{"protocol bad", H "protocol esmtp\n", 0, 0, 0,
	 "invalid argument 'esmtp' for 'protocol'"},
	{"auth empty", H "auth\n", 0, "auth", "choose", 0},
	{"auth off", H "auth on\nauth off\n", 0, "auth", "none", 0},
	{"auth method", H "auth scram-sha-256\n", 0, "auth", "SCRAM-SHA-256",
	 0},
	{"auth xoauth2", H "auth xoauth2\n", 0, "auth", "XOAUTH2", 0},
	{"auth upper case", H "auth PLAIN\n", 0, 0, 0,
	 "invalid argument 'PLAIN' for 'auth'"},
	{"auth no", H "auth no\n", 0, 0, 0, "t.rc:2: invalid argument 'no'"},
	{"header on", H "set_from_header on\n", 0, "set_from_header", "on", 0},
	{"header empty", H "set_from_header off\nset_from_header\n", 0,
	 "set_from_header", "auto", 0},
	{"date header on", H "set_date_header on\n", 0, 0, 0,
	 "invalid argument 'on' for 'set_date_header'"},
	{"msgid header off", H "set_msgid_header off\n", 0, "set_msgid_header",
	 "off", 0},
	{"to header default", H, 0, "set_to_header", "off", 0},
	{"add_missing off", H "add_missing_from_header off\n", 0,
	 "set_from_header", "off", 0},
	{"add_missing on",
	 H "add_missing_date_header off\n"
	   "add_missing_date_header on\n",
	 0, "set_date_header", "auto", 0},
	{"dsn notify", H "dsn_notify success,failure\n", 0, "dsn_notify",
	 "SUCCESS,FAILURE", 0},
	{"dsn never", H "dsn_notify never\n", 0, "dsn_notify", "NEVER", 0},
	{"dsn blank", H "dsn_notify failure, delay\n", 0, 0, 0,
	 "invalid argument 'failure, delay'"},
	{"dsn repeat", H "dsn_notify delay,delay\n", 0, 0, 0,
	 "invalid argument 'delay,delay'"},
	{"dsn off", H "dsn_notify never\ndsn_notify off\n", 0, "dsn_notify",
	 "(not set)", 0},
	{"dsn empty", H "dsn_notify\n", 0, 0, 0,
	 "t.rc:2: 'dsn_notify' needs an argument"},
	{"dsn return", H "dsn_return headers\n", 0, "dsn_return", "HDRS", 0},
	{"dsn return bad", H "dsn_return FULL\n", 0, 0, 0,
	 "invalid argument 'FULL'"},
	{"syslog empty", H "syslog\n", 0, "syslog", "LOG_USER", 0},
	{"syslog facility", H "syslog LOG_LOCAL7\n", 0, "syslog", "LOG_LOCAL7",
	 0},
	{"syslog bad", H "syslog LOG_LOCAL8\n", 0, 0, 0,
	 "invalid argument 'LOG_LOCAL8'"},
	{"fingerprint md5",
	 H "tls_fingerprint "
	   "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\n",
	 0, "tls_fingerprint",
	 "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", 0},
	{"fingerprint blanks",
	 H "tls_fingerprint 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00 "
	   "11 22 33\n",
	 0, "tls_fingerprint",
	 "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33", 0},
	{"fingerprint bad", H "tls_fingerprint 0011\n", 0, 0, 0,
	 "invalid argument '0011' for 'tls_fingerprint'"},
	{"sslv3 ignored", H "tls_force_sslv3 anything\n", 0, "tls", "off", 0},
	{"password shown as *", H "password p\n", 0, "password", "*", 0},
	{"auth scram -plus", H "auth scram-sha-256-plus\n", 0, "auth",
	 "SCRAM-SHA-256-PLUS", 0},
	{"unknown command", H "Host x\n", 0, 0, 0,
	 "t.rc:2: unknown command 'Host'"},
	/* mailhop's own keys */
	{"queue default", H, 0, "queue", "on", 0},
	{"queue lifetime default", H, 0, "queue_lifetime", "432000 seconds", 0},
	{"queue lifetime", H "queue_lifetime 2d\n", 0, "queue_lifetime",
	 "172800 seconds", 0},
	{"queue lifetime bad", H "queue_lifetime 2w\n", 0, 0, 0,
	 "t.rc:2: invalid argument '2w' for 'queue_lifetime'"},
	{"queue retry", H "queue_retry 5m, 15m,1h\n", 0, "queue_retry",
	 "5m,15m,1h", 0},
	{"queue retry bad", H "queue_retry 5m,,1h\n", 0, 0, 0,
	 "invalid argument '5m,,1h'"},
	{"fallback", H "fallback b , c\n", 0, "fallback", "b,c", 0},
	{"fallback bad", H "fallback b:c\n", 0, 0, 0, "invalid argument 'b:c'"},
	{"oauth2 endpoint", H "oauth2_token_endpoint https://o.example/t\n", 0,
	 "oauth2_token_endpoint", "https://o.example/t", 0},
	{"oauth2 plain http", H "oauth2_token_endpoint http://o.example/t\n", 0,
	 0, 0, "invalid argument 'http://o.example/t'"},
	{"oauth2 loopback http refused",
	 H "oauth2_token_endpoint http://127.0.0.1:8080/t\n", 0, 0, 0,
	 "invalid argument 'http://127.0.0.1:8080/t'"},
	{"oauth2 secret hidden", H "oauth2_client_secret s\n", 0,
	 "oauth2_client_secret", "*", 0},
	{"session cache", H "tls_session_cache off\n", 0, "tls_session_cache",
	 "off", 0},
	{"qualify domain", H "qualify_domain example.org\n", 0,
	 "qualify_domain", "example.org", 0},

	/* eval */
	{"eval", "eval echo host localhost\n", 0, "host", "localhost", 0},
	{"eval first line only", H "eval printf 'port 3\\nport 4\\n'\n", 0,
	 "port", "3", 0},
	{"eval quotes", H "eval echo 'from \"x y\"'\n", 0, "from", "x y", 0},
	{"eval exit status ignored", H "eval echo port 5; exit 3\n", 0, "port",
	 "5", 0},
	{"eval no output", H "eval true\n", 0, 0, 0,
	 "t.rc:2: cannot read output of 'true'"},
	{"eval bad output", H "eval echo bogus\n", 0, 0, 0,
	 "t.rc:2: unknown command 'bogus'"},
	{"eval not nested", H "eval echo eval echo port 6\n", 0, 0, 0,
	 "t.rc:2: unknown command 'eval'"},
	{"eval empty", H "eval\n", 0, 0, 0, "t.rc:2: 'eval' needs an argument"},
	{"eval account", H "eval echo account b\nhost b\n", "b", "host", "b",
	 0},
};

/* The value `key = VALUE` in an account_print() listing, or NULL. */
static char *printed(const struct account *a, const char *key)
{
	char *text = NULL, *line, *val = NULL;
	size_t len = 0, kl = strlen(key);
	FILE *f = open_memstream(&text, &len);

	account_print(a, f);
	fclose(f);
	for (line = text; line && *line; line = strchr(line, '\n') + 1) {
		if (strncmp(line, key, kl) == 0 &&
		    !strncmp(line + kl, " = ", 3)) {
			val = strndup(line + kl + 3,
				      strcspn(line + kl + 3, "\n"));
			break;
		}
		if (!strchr(line, '\n'))
			break;
	}
	free(text);
	return val;
}

/* Parse rc, select, finish; the printed key, or NULL with e set. */
static char *resolve(const char *rc, size_t len, const char *account,
		     const char *key, struct err *e)
{
	struct conf c;
	struct account *a = NULL;
	char *v = NULL;

	conf_init(&c);
	c.path = strdup("t.rc");
	if (conf_parse(&c, "t.rc", rc, len, e) == 0 &&
	    (a = conf_select(&c, account, NULL, e)) != NULL &&
	    account_finish(a, e) == 0)
		v = printed(a, key ? key : "host");
	account_free(a);
	conf_release(&c);
	return v;
}

static size_t row_len(const struct row *r)
{
	/* The NUL row carries an embedded NUL: its length is explicit. */
	if (strcmp(r->name, "NUL ends the line") == 0)
		return strlen(H) + sizeof("from a\0b\nport 3\n") - 1;
	return strlen(r->rc);
}

static void test_rows(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct err e = ERR_INIT;
		char *v = resolve(r->rc, row_len(r), r->account, r->key, &e);

		if (r->want) {
			is_str(v, r->want, r->name);
			if (!v)
				printf("#   error: %s\n", e.msg);
		} else {
			ok(!v && e.kind == ERR_CONFIG && strstr(e.msg, r->err),
			   r->name);
			if (v || !strstr(e.msg, r->err))
				printf("#   got '%s', want error '%s'\n", e.msg,
				       r->err);
		}
		free(v);
	}
}

/* Command-line overrides: account_set() after selection. */
static void test_overrides(void)
{
	static const struct {
		const char *key, *value, *print, *want, *err;
	} t[] = {
		{"port", "587", "port", "587", NULL},
		{"tls", NULL, "tls", "on", NULL},
		{"auth", "login", "auth", "LOGIN", NULL},
		{"tls_starttls", "off", "port", "465", NULL},
		{"from", "%U@o.example", "from", "mhuser@o.example", NULL},
		{"tls_nocertcheck", "", "tls_certcheck", "off", NULL},
		{"port", "x", NULL, NULL, "invalid argument 'x' for 'port'"},
		{"nope", "1", NULL, NULL, "unknown command 'nope'"},
	};
	const char *rc = "host h\ntls on\n";
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct conf c;
		struct err e = ERR_INIT;
		struct account *a;
		int r;

		conf_init(&c);
		conf_parse(&c, "t.rc", rc, strlen(rc), &e);
		a = conf_select(&c, NULL, NULL, &e);
		r = account_set(a, t[i].key, t[i].value, &e);
		if (t[i].err) {
			ok(r < 0 && strstr(e.msg, t[i].err) &&
				   !strstr(e.msg, "t.rc"),
			   t[i].err);
		} else {
			char *v;

			account_finish(a, &e);
			v = printed(a, t[i].print);
			is_str(v, t[i].want, t[i].key);
			free(v);
		}
		account_free(a);
		conf_release(&c);
	}
}

static void test_select_by_from(void)
{
	static const char *rc = "account a\nhost a\nfrom User@X.org\n"
				"account w\nhost w\nfrom *@w.org\n"
				"account default\nhost d\n"
				"account e\nhost e\nfrom %U@e.org\n";
	static const struct {
		const char *from, *want;
	} t[] = {
		{"user@x.org", "a"},	     /* case-insensitive */
		{"zz@w.org", "w"},	     /* wildcard */
		{"ZZ@W.ORG", "default"},     /* wildcards are case-sensitive */
		{"mhuser@e.org", "default"}, /* from is not expanded */
		{"%U@e.org", "e"},	     {"n@n", "default"},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct conf c;
		struct err e = ERR_INIT;
		struct account *a;

		conf_init(&c);
		conf_parse(&c, "t.rc", rc, strlen(rc), &e);
		a = conf_select(&c, NULL, t[i].from, &e);
		is_str(a ? a->name : e.msg, t[i].want, t[i].from);
		account_free(a);
		/* -a wins over the envelope sender */
		a = conf_select(&c, "w", t[i].from, &e);
		is_str(a ? a->name : e.msg, "w", "-a wins");
		account_free(a);
		conf_release(&c);
	}
}

static char tmpdir[] = "/tmp/test_conf.XXXXXX";

static char *tmp_path(const char *name)
{
	static char path[4][512];
	static int n;
	char *p = path[n++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			perror("write");
		close(fd);
	}
	chmod(path, mode);
}

static int load(const char *rcfile, struct conf *c, struct err *e)
{
	conf_init(c);
	return conf_load(c, rcfile, e);
}

static void test_permissions(void)
{
	static const struct {
		const char *text;
		mode_t mode;
		const char *err;
	} t[] = {
		{"host h\npassword p\n", 0600, NULL},
		{"host h\npassword p\n", 0400, NULL},
		{"host h\npassword p\n", 0640, "no more than user read/write"},
		{"host h\npassword p\n", 0604, "no more than user read/write"},
		{"host h\npassword p\n", 0700, "no more than user read/write"},
		{"host h\npassword\n", 0644, "no more than user read/write"},
		{"host h\noauth2_refresh_token t\n", 0644, "contains secrets"},
		{"host h\n#password p\n", 0644, NULL},
		{"host h\npasswordeval echo p\n", 0644, NULL},
		{"host h\neval echo password p\n", 0644, NULL},
		{"host h\npassword p\nbogus\n", 0644, "rc:3: unknown command"},
	};
	const char *rc = tmp_path("perm.rc");
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct conf c;
		struct err e = ERR_INIT;
		int r;

		write_file(rc, t[i].text, t[i].mode);
		r = load(rc, &c, &e);
		if (t[i].err)
			ok(r < 0 && e.kind == ERR_CONFIG &&
				   strstr(e.msg, t[i].err),
			   t[i].err);
		else
			ok(r == 0 && c.naccounts == 1, "private enough");
		if (r < 0 && !t[i].err)
			printf("#   %s\n", e.msg);
		conf_release(&c);
	}
	if (geteuid() == 0) {
		/* root too: mailhop does not exempt root (msmtp does) */
		struct passwd *pw = getpwnam("nobody");
		struct conf c;
		struct err e = ERR_INIT;

		write_file(rc, "host h\npassword p\n", 0600);
		if (pw && chown(rc, pw->pw_uid, (gid_t)-1) == 0)
			ok(load(rc, &c, &e) < 0 &&
				   strstr(e.msg, "must be owned by you"),
			   "owner checked");
		else
			ok(1, "# SKIP cannot chown");
		conf_release(&c);
	}
}

static void test_lookup(void)
{
	static const struct {
		const char *files; /* ':'-separated, each gets "host NAME" */
		const char *want;  /* file used */
		int msmtp;
	} t[] = {
		{".config/mailhop/config:.mailhoprc:.msmtprc",
		 ".config/mailhop/config", 0},
		{".mailhoprc:.msmtprc:.config/msmtp/config", ".mailhoprc", 0},
		{".msmtprc:.config/msmtp/config", ".msmtprc", 1},
		{".config/msmtp/config", ".config/msmtp/config", 1},
		{"", NULL, 0},
	};
	size_t i;

	setenv("HOME", tmpdir, 1);
	unsetenv("XDG_CONFIG_HOME");
	mkdir(tmp_path(".config"), 0700);
	mkdir(tmp_path(".config/mailhop"), 0700);
	mkdir(tmp_path(".config/msmtp"), 0700);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char files[256], *f, *save = NULL, want[512];
		struct conf c;
		struct err e = ERR_INIT;
		int r;

		if (!t[i].want && (access("/etc/msmtprc", F_OK) == 0 ||
				   access("/etc/mailhoprc", F_OK) == 0)) {
			ok(1, "# SKIP a system rc file exists");
			continue;
		}
		snprintf(files, sizeof(files), "%s", t[i].files);
		for (f = strtok_r(files, ":", &save); f;
		     f = strtok_r(NULL, ":", &save))
			write_file(tmp_path(f), "host h\n", 0600);
		r = load(NULL, &c, &e);
		snprintf(want, sizeof(want), "%s/%s", tmpdir,
			 t[i].want ? t[i].want : "");
		ok(r == 0 && ((!t[i].want && !c.path) ||
			      (t[i].want && c.path && !strcmp(c.path, want))),
		   t[i].want ? t[i].want : "no file");
		is_int(c.is_msmtprc, t[i].msmtp, "msmtp migration flag");
		if (!t[i].want) {
			struct account *a = conf_select(&c, NULL, NULL, &e);

			ok(!a && strstr(e.msg,
					"no configuration file available"),
			   "no file: no account");
		}
		conf_release(&c);
		unlink(tmp_path(".config/mailhop/config"));
		unlink(tmp_path(".mailhoprc"));
		unlink(tmp_path(".msmtprc"));
		unlink(tmp_path(".config/msmtp/config"));
	}
	{
		struct conf c;
		struct err e = ERR_INIT;

		ok(load(tmp_path("missing.rc"), &c, &e) < 0 &&
			   strstr(e.msg, "No such file"),
		   "-C FILE must exist");
		conf_release(&c);
	}
	setenv("HOME", "/home/mh", 1);
}

static void test_passwordeval(void)
{
	static const struct {
		const char *rc, *password, *err;
	} t[] = {
		{H "auth on\npasswordeval echo pw\n", "pw", NULL},
		{H "auth on\npasswordeval printf 'pw\\n\\n'\n", "pw\n", NULL},
		{H "auth on\npasswordeval printf 'pw\\r\\n'\n", "pw", NULL},
		{H "auth on\npasswordeval printf pw\n", "pw", NULL},
		{H "auth on\npassword p\npasswordeval false\n", "p", NULL},
		{H "auth off\npasswordeval false\n", NULL, NULL},
		{H "auth on\n", NULL, NULL},
		{H "auth on\npasswordeval true\n", NULL,
		 "cannot read output of 'true': empty output"},
		{H "auth on\npasswordeval false\n", NULL,
		 "cannot read output of 'false': the command failed"},
		{H "auth on\npasswordeval echo\n", NULL,
		 "cannot read output of 'echo': empty output"},
		{H "auth on\npasswordeval echo x; exit 1\n", NULL,
		 "cannot read output of 'echo x; exit 1': the command failed"},
		{H "auth on\npasswordeval printf 'a\\0b'\n", NULL, "NUL byte"},
		{H "auth on\npasswordeval head -c 70000 /dev/zero\n", NULL,
		 "more than 65536 bytes"},
		{H "auth on\npasswordeval cat\n", NULL, "empty output"},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct conf c;
		struct err e = ERR_INIT;
		struct account *a;
		int r;

		conf_init(&c);
		conf_parse(&c, "t.rc", t[i].rc, strlen(t[i].rc), &e);
		a = conf_select(&c, NULL, NULL, &e);
		/* password and passwordeval only, as --pretend resolves them */
		r = account_eval_password(a, &e);
		if (t[i].err) {
			ok(r < 0 && e.kind == ERR_CONFIG &&
				   strstr(e.msg, t[i].err),
			   t[i].err);
			if (!strstr(e.msg, t[i].err))
				printf("#   got '%s'\n", e.msg);
		} else {
			ok(r == 0, "passwordeval resolved");
			is_str(a->password, t[i].password, "password value");
		}
		account_free(a);
		conf_release(&c);
	}
}

static void test_key_list(void)
{
	size_t n, i, j;
	const struct conf_key_info *k = conf_key_list(&n);
	int dup = 0, accepted = 1;

	ok(n >= 60, "every key listed");
	for (i = 0; i < n; i++) {
		struct account *a = account_new("x", NULL);
		struct err e = ERR_INIT;

		for (j = i + 1; j < n; j++)
			dup |= !strcmp(k[i].name, k[j].name);
		/* A known key never fails as unknown. */
		account_set(a, k[i].name, "", &e);
		if (strstr(e.msg, "unknown command")) {
			accepted = 0;
			printf("#   %s\n", k[i].name);
		}
		ok(k[i].values && *k[i].values, k[i].name);
		account_free(a);
	}
	ok(!dup, "no key listed twice");
	ok(accepted, "every listed key is accepted");
}

/* The merged system + user files: user accounts replace system ones. */
static void test_two_files(void)
{
	struct conf c;
	struct err e = ERR_INIT;
	struct account *a;
	const char *sys = "account a\nhost sys\naccount b\nhost sysb\n";
	const char *user = "account a\nhost user\n";

	conf_init(&c);
	ok(conf_parse(&c, "sys.rc", sys, strlen(sys), &e) == 0 &&
		   conf_parse(&c, "user.rc", user, strlen(user), &e) == 0,
	   "two files");
	a = conf_select(&c, "a", NULL, &e);
	is_str(a ? a->host : NULL, "user", "user file wins");
	is_str(a ? a->conffile : NULL, "user.rc", "conffile");
	account_free(a);
	a = conf_select(&c, "b", NULL, &e);
	is_str(a ? a->host : NULL, "sysb", "system account kept");
	account_free(a);
	conf_release(&c);
}

int main(void)
{
	progname = "test_conf";
	setenv("HOME", "/home/mh", 1);
	setenv("USER", "mhuser", 1);
	if (!mkdtemp(tmpdir))
		return 1;
	test_rows();
	test_overrides();
	test_select_by_from();
	test_permissions();
	test_lookup();
	test_passwordeval();
	test_key_list();
	test_two_files();
	unlink(tmp_path("perm.rc"));
	rmdir(tmp_path(".config/mailhop"));
	rmdir(tmp_path(".config/msmtp"));
	rmdir(tmp_path(".config"));
	rmdir(tmpdir);
	return tap_done();
}
