/*
 * test_secret.c - password sources (secret.c) and OAuth2 refresh
 * (oauth2.c).
 *
 *  - netrc parsing: a table of files and lookups; permissions.
 *  - source order through account_resolve_password(): password >
 *    passwordeval > ~/.netrc (> keyring, not testable hermetically: the
 *    keyring is skipped without a D-Bus session bus, which is cleared
 *    here) > the terminal prompt.
 *  - the prompt through a pseudo-terminal: echo off while typing,
 *    restored afterwards, also when a signal kills us mid-prompt.
 *  - JSON extraction and endpoint replies (tables), the token cache.
 *  - OAuth2 end to end against tests/oauth2/tokenserver.py over HTTPS
 *    with the test CA of tests/tls/mkcerts.sh (skipped when python3 or
 *    certtool is missing): fetch, cache, expiry, force, errors, eval,
 *    request body, and no secret on stderr.
 *
 * Hermetic: a private temp HOME and XDG_CACHE_HOME, loopback only, and
 * the tests run in a new session without a controlling terminal (so no
 * prompt can reach the real terminal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "log.h"
#include "oauth2.h"
#include "secret.h"
#include "tap.h"

static char tmpdir[] = "/tmp/mh-secret-XXXXXX";
static char pathbuf[4][4096];
static int pathidx;

/* tmpdir/rel (a few rotating buffers, enough for one call's paths). */
static const char *tpath(const char *rel)
{
	char *p = pathbuf[pathidx++ % 4];

	snprintf(p, sizeof(pathbuf[0]), "%s/%s", tmpdir, rel);
	return p;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		printf("# cannot write %s\n", path);
	if (fd >= 0)
		close(fd);
	chmod(path, mode);
}

static char *read_all(const char *path)
{
	struct buf b = BUF_INIT(1 << 20);
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return strdup("");
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(&b, chunk, (size_t)n);
	close(fd);
	return b.data ? buf_detach(&b) : strdup("");
}

static int count_lines(const char *path)
{
	char *s = read_all(path), *p;
	int n = 0;

	for (p = s; *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

/* The account an rc text selects (NULL + message on error). */
static struct account *rc_account_named(const char *rc, const char *name)
{
	struct conf c;
	struct err e = ERR_INIT;
	struct account *a = NULL;

	conf_init(&c);
	if (conf_parse(&c, "t.rc", rc, strlen(rc), &e) == 0)
		a = conf_select(&c, name, NULL, &e);
	if (!a)
		printf("# rc: %s\n", e.msg);
	conf_release(&c);
	return a;
}

static struct account *rc_account(const char *rc)
{
	return rc_account_named(rc, NULL);
}

/* ------------------------------------------------------------- netrc */

static void test_netrc_table(void)
{
	static const struct {
		const char *name, *text, *host, *user, *want;
	} t[] = {
		{"one machine", "machine h login u password p\n", "h", "u",
		 "p"},
		{"host case-insensitive",
		 "machine H.Example login u password p", "h.example", "u", "p"},
		{"login mismatch", "machine h login v password p\n", "h", "u",
		 NULL},
		{"login case matters", "machine h login U password p\n", "h",
		 "u", NULL},
		{"other machine", "machine x login u password p\n", "h", "u",
		 NULL},
		{"second machine",
		 "machine x login u password px\nmachine h "
		 "login u password ph\n",
		 "h", "u", "ph"},
		{"second login",
		 "machine h login v password pv\nmachine h "
		 "login u password pu\n",
		 "h", "u", "pu"},
		{"no login: any user", "machine h password p\n", "h", "u", "p"},
		{"no password", "machine h login u\n", "h", "u", NULL},
		{"default",
		 "machine x login u password px\ndefault login u "
		 "password pd\n",
		 "h", "u", "pd"},
		{"machine before default",
		 "machine h login u password ph\n"
		 "default login u password pd\n",
		 "h", "u", "ph"},
		{"nothing after default",
		 "default login u password pd\n"
		 "machine h login u password ph\n",
		 "h", "u", "pd"},
		{"default login mismatch", "default login v password pd\n", "h",
		 "u", NULL},
		{"default login mismatch, then a machine",
		 "default login v password pd\n"
		 "machine h login u password ph\n",
		 "h", "u", NULL},
		{"U-label machine",
		 "machine b\xc3\xbc"
		 "cher.example login u password pu\n",
		 "xn--bcher-kva.example", "u", "pu"},
		{"U-label machine, mapped (upper case)",
		 "machine B\xc3\x9c"
		 "CHER.example login u password pu\n",
		 "xn--bcher-kva.example", "u", "pu"},
		{"A-label machine before a U-label one",
		 "machine b\xc3\xbc"
		 "cher.example login u password pu\n"
		 "machine XN--BCHER-KVA.example login u password pa\n",
		 "xn--bcher-kva.example", "u", "pa"},
		{"U-label machine before default",
		 "machine b\xc3\xbc"
		 "cher.example login u password pu\n"
		 "default login u password pd\n",
		 "xn--bcher-kva.example", "u", "pu"},
		{"U-label machine, other login: default",
		 "machine b\xc3\xbc"
		 "cher.example login v password pu\n"
		 "default login u password pd\n",
		 "xn--bcher-kva.example", "u", "pd"},
		{"U-label of another host",
		 "machine m\xc3\xbc"
		 "nchen.example login u password pu\n",
		 "xn--bcher-kva.example", "u", NULL},
		{"invalid machine names skipped",
		 "machine b\xfc"
		 "cher.example login u password px\n"
		 "machine \xe2\x98\x83 login u password py\n"
		 "default login u password pd\n",
		 "xn--bcher-kva.example", "u", "pd"},
		{"ASCII host: a U-label machine is not it",
		 "machine b\xc3\xbc"
		 "cher.example login u password pu\n",
		 "bucher.example", "u", NULL},
		{"tokens over lines",
		 "machine\nh\n  login\tu\n\npassword\n"
		 "  p\n",
		 "h", "u", "p"},
		{"order of login and password", "machine h password p login u",
		 "h", "u", "p"},
		{"account token skipped",
		 "machine h login u account acc "
		 "password p",
		 "h", "u", "p"},
		{"macdef skipped",
		 "macdef init\nmachine h login u password "
		 "bad\n\nmachine h login u password p\n",
		 "h", "u", "p"},
		{"macdef at the end",
		 "machine h login u password p\nmacdef "
		 "x\ncd /\n",
		 "h", "u", "p"},
		{"comment line",
		 "# machine h login u password bad\nmachine h "
		 "login u password p\n",
		 "h", "u", "p"},
		{"hash in a password", "machine h login u password #p#\n", "h",
		 "u", "#p#"},
		{"quoted password", "machine h login u password \"a b\\\"c\"\n",
		 "h", "u", "a b\"c"},
		{"CRLF lines", "machine h\r\nlogin u\r\npassword p\r\n", "h",
		 "u", "p"},
		{"empty file", "", "h", "u", NULL},
		{"unknown words ignored",
		 "machine h port 25 login u password p", "h", "u", "p"},
		{"truncated entry", "machine h login u password", "h", "u",
		 NULL},
	};
	const char *path = tpath("netrc-table");
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct err e = ERR_INIT;
		char *pw = NULL;
		int r;

		write_file(path, t[i].text, 0600);
		r = secret_netrc_lookup(path, t[i].host, t[i].user, 1, &pw, &e);
		if (t[i].want) {
			ok(r == 1, t[i].name);
			is_str(pw, t[i].want, "  password");
		} else {
			ok(r == 0 && pw == NULL, t[i].name);
		}
		if (r < 0)
			printf("#   %s\n", e.msg);
		free(pw);
	}
	{
		struct err e = ERR_INIT;
		char *pw = NULL;

		ok(secret_netrc_lookup(tpath("no-such-netrc"), "h", "u", 1, &pw,
				       &e) == 0 &&
			   e.kind == ERR_NONE,
		   "missing file: no entry, no error");
	}
}

static void test_netrc_permissions(void)
{
	static const struct {
		mode_t mode;
		int must_be_private;
		int want; /* 1 found, -1 refused */
	} t[] = {
		{0600, 1, 1},  {0400, 1, 1}, {0640, 1, -1},
		{0604, 1, -1}, {0644, 0, 1}, {0700, 1, 1},
	};
	const char *path = tpath("netrc-perm");
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct err e = ERR_INIT;
		char *pw = NULL;
		char name[64];
		int r;

		write_file(path, "machine h login u password p\n", t[i].mode);
		r = secret_netrc_lookup(path, "h", "u", t[i].must_be_private,
					&pw, &e);
		snprintf(name, sizeof(name), "netrc mode %03o%s", t[i].mode,
			 t[i].must_be_private ? "" : " (system file)");
		if (t[i].want > 0)
			ok(r == 1 && pw, name);
		else
			ok(r < 0 && e.kind == ERR_CONFIG && !pw &&
				   strstr(e.msg, "group or others"),
			   name);
		free(pw);
	}
	{
		/* Private only matters when it gives us a password. */
		struct err e = ERR_INIT;
		char *pw = NULL;

		write_file(path, "machine x login u password p\n", 0644);
		ok(secret_netrc_lookup(path, "h", "u", 1, &pw, &e) == 0,
		   "open netrc without our entry is fine");
	}
}

/* ------------------------------------------------------- source order */

static void test_order(void)
{
	static const struct {
		const char *name, *rc, *netrc, *want, *err;
	} t[] = {
		{"password beats everything",
		 "host h\nauth on\nuser u\npassword pw\npasswordeval echo ev\n",
		 "machine h login u password nr\n", "pw", NULL},
		{"passwordeval beats netrc",
		 "host h\nauth on\nuser u\npasswordeval echo ev\n",
		 "machine h login u password nr\n", "ev", NULL},
		{"netrc", "host h\nauth on\nuser u\n",
		 "machine h login u password nr\n", "nr", NULL},
		{"netrc default", "host h\nauth on\nuser u\n",
		 "default login u password nd\n", "nd", NULL},
		{"failing passwordeval stops the search",
		 "host h\nauth on\nuser u\npasswordeval false\n",
		 "machine h login u password nr\n", NULL,
		 "cannot read output of 'false': the command failed"},
		{"nothing anywhere", "host h\nauth on\nuser u\n",
		 "machine h login v password nr\n", NULL,
		 "no password for user 'u' at 'h' (set password, "
		 "passwordeval, .netrc, or run on a terminal)"},
		{"no user", "host h\nauth plain\n", NULL, NULL,
		 "no user and password for 'h'"},
		{"auth off", "host h\nuser u\n",
		 "machine h login u password nr\n", NULL, NULL},
		{"auth external needs none", "host h\nauth external\nuser u\n",
		 NULL, NULL, NULL},
		{"auth gssapi needs none", "host h\nauth gssapi\nuser u\n",
		 NULL, NULL, NULL},
		{"xoauth2 without endpoint uses passwordeval",
		 "host h\nauth xoauth2\nuser u\npasswordeval echo tok\n", NULL,
		 "tok", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct err e = ERR_INIT;
		struct account *a = rc_account(t[i].rc);
		int r;

		unlink(tpath(".netrc"));
		if (t[i].netrc)
			write_file(tpath(".netrc"), t[i].netrc, 0600);
		r = a ? account_resolve_password(a, &e) : -1;
		if (t[i].err) {
			ok(r < 0 && e.kind == ERR_CONFIG &&
				   strstr(e.msg, t[i].err),
			   t[i].name);
			if (!strstr(e.msg, t[i].err))
				printf("#   got '%s'\n", e.msg);
		} else {
			ok(r == 0, t[i].name);
			is_str(a ? a->password : NULL, t[i].want, "  password");
		}
		account_free(a);
	}
	{
		struct err e = ERR_INIT;
		struct account *a;

		write_file(tpath(".netrc"), "machine h login u password nr\n",
			   0644);
		a = rc_account("host h\nauth on\nuser u\n");
		ok(account_resolve_password(a, &e) < 0 &&
			   e.kind == ERR_CONFIG &&
			   strstr(e.msg, "/.netrc: contains passwords"),
		   "~/.netrc readable by others is refused");
		account_free(a);
		unlink(tpath(".netrc"));
	}
	{
		/* --pretend: passwordeval only, never an error for none */
		struct err e = ERR_INIT;
		struct account *a = rc_account("host h\nauth on\nuser u\n");

		write_file(tpath(".netrc"), "machine h login u password nr\n",
			   0600);
		ok(account_eval_password(a, &e) == 0 && !a->password,
		   "account_eval_password: no netrc, no error");
		account_free(a);
		a = rc_account(
			"host h\nauth on\nuser u\npasswordeval echo ev\n");
		ok(account_eval_password(a, &e) == 0 && a->password &&
			   !strcmp(a->password, "ev"),
		   "account_eval_password runs passwordeval");
		account_free(a);
		unlink(tpath(".netrc"));
	}
}

/* ------------------------------------------------------------ prompt */

static int occurrences(const char *text, const char *want)
{
	int n = 0;

	for (; text && (text = strstr(text, want)) != NULL; text++)
		n++;
	return n;
}

/* Read the pty until want appears `times` times (or timeout). */
static int pty_wait(int fd, struct buf *out, const char *want, int times,
		    int ms)
{
	while (occurrences(out->data, want) < times) {
		struct pollfd p = {fd, POLLIN, 0};
		char c[256];
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			return -1;
		n = read(fd, c, sizeof(c));
		if (n <= 0)
			return -1;
		buf_append(out, c, (size_t)n);
	}
	return 0;
}

/* Wait until the terminal's ECHO flag is `on`. */
static int pty_echo_is(int fd, int on, int ms)
{
	struct termios t;

	for (; ms > 0; ms -= 10) {
		if (tcgetattr(fd, &t) == 0 && !!(t.c_lflag & ECHO) == on)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* Drain the pty until the child closes it. */
static void pty_drain(int fd, struct buf *out)
{
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		char c[256];
		ssize_t n;

		if (poll(&p, 1, 3000) <= 0)
			return;
		n = read(fd, c, sizeof(c));
		if (n <= 0)
			return;
		buf_append(out, c, (size_t)n);
	}
}

/* The child: resolve and report "r=R pw=PW echo=E|msg" on fd. */
static void prompt_child(int fd)
{
	struct err e = ERR_INIT;
	struct account *a = rc_account("host h\nauth on\nuser u\n");
	struct termios t;
	int r = account_resolve_password(a, &e), tty, echo = -1;

	tty = open("/dev/tty", O_RDWR);
	if (tty >= 0 && tcgetattr(tty, &t) == 0)
		echo = !!(t.c_lflag & ECHO);
	dprintf(fd, "r=%d pw=%s echo=%d|%s", r, a->password ? a->password : "-",
		echo, e.msg);
	_exit(0);
}

#define PROMPT "password for u at h: "

/* Run the prompt with `typed` typed (after kill_with when it is SIGTSTP,
 * instead of typing for other signals); result line into res. */
static int run_prompt(const char *typed, struct buf *screen, struct buf *res,
		      int kill_with)
{
	int fds[2], master, status = -1;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -2; /* no pseudo-terminals here */
	}
	if (pid == 0) {
		close(fds[0]);
		prompt_child(fds[1]);
	}
	close(fds[1]);
	ok(pty_wait(master, screen, PROMPT, 1, 5000) == 0, "prompt shown");
	ok(pty_echo_is(master, 0, 5000), "echo off while typing");
	if (kill_with == SIGTSTP) {
		/* Our process group is orphaned, so the stop is discarded:
		 * what must happen is a fresh prompt with echo off again. */
		kill(pid, SIGTSTP);
		ok(pty_wait(master, screen, PROMPT, 2, 5000) == 0,
		   "prompt shown again after ^Z");
		ok(pty_echo_is(master, 0, 5000), "echo off again");
		kill_with = 0;
	}
	if (kill_with)
		kill(pid, kill_with);
	else if (write(master, typed, strlen(typed)) < 0)
		printf("# write to pty failed\n");
	pty_drain(master, screen);
	waitpid(pid, &status, 0);
	if (kill_with)
		ok(pty_echo_is(master, 1, 1000), "echo back on after signal");
	close(master);
	{
		char c[512];
		ssize_t n = read(fds[0], c, sizeof(c));

		if (n > 0)
			buf_append(res, c, (size_t)n);
	}
	close(fds[0]);
	return status;
}

static void test_prompt(void)
{
	struct buf screen = BUF_INIT(1 << 16), res = BUF_INIT(4096);
	int st;

	unlink(tpath(".netrc"));
	st = run_prompt("typed-s3cret\n", &screen, &res, 0);
	if (st == -2) {
		ok(1, "prompt # SKIP no pseudo-terminal available");
		return;
	}
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "prompt child exits");
	is_str(res.data, "r=0 pw=typed-s3cret echo=1|",
	       "typed password used, echo restored");
	ok(screen.data && !strstr(screen.data, "s3cret"),
	   "the password is not echoed");
	buf_release(&screen);
	buf_release(&res);

	st = run_prompt("\004", &screen, &res, 0);
	ok(res.data && strstr(res.data, "r=-1 pw=- echo=1|no password for "
					"user 'u' at 'h' (nothing was typed)"),
	   "^D at the prompt: no password");
	buf_release(&screen);
	buf_release(&res);

	st = run_prompt("after-stop\n", &screen, &res, SIGTSTP);
	is_str(res.data, "r=0 pw=after-stop echo=1|", "^Z, then typed");
	ok(screen.data && !strstr(screen.data, "after-stop"), "  not echoed");
	buf_release(&screen);
	buf_release(&res);

	st = run_prompt(NULL, &screen, &res, SIGTERM);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
	   "SIGTERM at the prompt still terminates");
	buf_release(&screen);
	buf_release(&res);

	{
		/* no controlling terminal (as here): the prompt is skipped */
		struct err e = ERR_INIT;
		struct account *a = rc_account("host h\nauth on\nuser u\n");

		ok(account_resolve_password(a, &e) < 0 &&
			   strstr(e.msg, "or run on a terminal"),
		   "no terminal: no prompt, an error");
		account_free(a);
	}
}

/* -------------------------------------------------------------- JSON */

static void test_json(void)
{
	static const struct {
		const char *json, *key, *want; /* want NULL: r */
		int r;
	} s[] = {
		{"{\"access_token\":\"abc\"}", "access_token", "abc", 1},
		{" { \"a\" : 1 , \"access_token\" : \"x\\/y\" } ",
		 "access_token", "x/y", 1},
		{"{\"t\":\"\\\"\\\\\\b\\f\\n\\r\\t\"}", "t", "\"\\\b\f\n\r\t",
		 1},
		{"{\"t\":\"\\u0041\\u00e9\\u20ac\"}", "t",
		 "A\xc3\xa9\xe2\x82\xac", 1},
		{"{\"t\":\"\\ud83d\\ude00\"}", "t", "\xf0\x9f\x98\x80", 1},
		{"{\"t\":\"\\ud83d\"}", "t", NULL, -1},
		{"{\"t\":\"\\ude00\"}", "t", NULL, -1},
		{"{\"t\":\"a\nb\"}", "t", NULL, -1},
		{"{\"t\":\"\\x\"}", "t", NULL, -1},
		{"{\"t\":\"abc", "t", NULL, -1},
		{"{\"t\":5}", "t", NULL, 0},
		{"{\"x\":\"y\"}", "t", NULL, 0},
		{"{}", "t", NULL, 0},
		{"[\"t\"]", "t", NULL, -1},
		{"", "t", NULL, -1},
		{"{\"n\":{\"t\":\"inner\"},\"t\":\"outer\"}", "t", "outer", 1},
		{"{\"n\":[1,\"t\",{\"t\":[]},true,false,null,-2.5e3],\"t\":"
		 "\"o\"}",
		 "t", NULL, -1}, /* exponent refused */
		{"{\"n\":[1,\"t\",{\"t\":[]},true,false,null,-2.5],\"t\":"
		 "\"o\"}",
		 "t", "o", 1},
		{"{\"t\" \"x\"}", "t", NULL, -1},
		{"{\"a\":1 \"t\":\"x\"}", "t", NULL, -1},
		{"{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]],\"t\":\"x\"}",
		 "t", NULL, -1}, /* nesting cap */
		{"{\"t\":\"first\",\"t\":\"second\"}", "t", "first", 1},
	};
	static const struct {
		const char *json;
		long want;
		int r;
	} n[] = {
		{"{\"expires_in\":3599}", 3599, 1},
		{"{\"expires_in\": 3599.9 }", 3599, 1},
		{"{\"expires_in\":\"3599\"}", 3599, 1},
		{"{\"expires_in\":\"35x\"}", 0, -1},
		{"{\"expires_in\":\"\"}", 0, 0},
		{"{\"expires_in\":99999999999999999999999}", 0, -1},
		{"{\"expires_in\":true}", 0, 0},
		{"{\"other\":1}", 0, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct buf out = BUF_INIT(4096);
		int r = oauth2_json_string(s[i].json, strlen(s[i].json),
					   s[i].key, &out);
		char name[128];

		snprintf(name, sizeof(name), "json string %zu", i);
		is_int(r, s[i].r, name);
		if (s[i].want)
			is_str(out.data, s[i].want, "  value");
		buf_release(&out);
	}
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		long v = 0;
		int r = oauth2_json_number(n[i].json, strlen(n[i].json),
					   "expires_in", &v);

		is_int(r, n[i].r, n[i].json);
		if (n[i].r > 0)
			is_int(v, n[i].want, "  value");
	}
}

static void test_responses(void)
{
	static const struct {
		long status;
		const char *body;
		enum err_kind kind;
		const char *token, *msg;
		long expires;
	} t[] = {
		{200, "{\"access_token\":\"ya29.A\",\"expires_in\":3600}",
		 ERR_NONE, "ya29.A", NULL, 3600},
		{200, "{\"access_token\":\"x\"}", ERR_NONE, "x", NULL, -1},
		{200, "{\"access_token\":\"x\",\"expires_in\":99999999}",
		 ERR_NONE, "x", NULL, OAUTH2_EXPIRES_MAX},
		{200, "{\"token_type\":\"Bearer\"}", ERR_PROTOCOL, NULL,
		 "sent no access token", 0},
		{200, "{\"access_token\":\"a b\"}", ERR_PROTOCOL, NULL,
		 "an unusable access token", 0},
		{200, "{\"access_token\":\"\"}", ERR_PROTOCOL, NULL,
		 "an unusable access token", 0},
		{200, "<html>", ERR_PROTOCOL, NULL, "a malformed reply", 0},
		{200, "{\"error\":\"invalid_grant\"}", ERR_NOPERM, NULL,
		 "refused the refresh: invalid_grant (HTTP 200)", 0},
		{400,
		 "{\"error\":\"invalid_grant\",\"error_description\":"
		 "\"Bad\\r\\n"
		 "token\"}",
		 ERR_NOPERM, NULL,
		 "'https://e/t' refused the refresh: invalid_grant: Bad??token "
		 "(HTTP 400)",
		 0},
		{401, "{\"error\":\"invalid_client\"}", ERR_NOPERM, NULL,
		 "invalid_client", 0},
		{401, "", ERR_NOPERM, NULL, "failed: HTTP 401", 0},
		{429, "{\"error\":\"slow_down\"}", ERR_TEMPFAIL, NULL,
		 "slow_down", 0},
		{503, "<html>busy</html>", ERR_TEMPFAIL, NULL,
		 "failed: HTTP 503", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct oauth2_token tok = {NULL, -1};
		struct err e = ERR_INIT;
		char name[64];
		int r = oauth2_parse_response(t[i].status, t[i].body,
					      strlen(t[i].body), "https://e/t",
					      &tok, &e);

		snprintf(name, sizeof(name), "endpoint reply %zu (HTTP %ld)", i,
			 t[i].status);
		ok(t[i].kind == ERR_NONE ? r == 0
					 : r < 0 && e.kind == t[i].kind,
		   name);
		if (t[i].token) {
			is_str(tok.access_token, t[i].token, "  token");
			is_int(tok.expires_in, t[i].expires, "  expires_in");
		} else {
			ok(strstr(e.msg, t[i].msg) != NULL, t[i].msg);
			if (!strstr(e.msg, t[i].msg))
				printf("#   got '%s'\n", e.msg);
		}
		oauth2_token_release(&tok);
	}
}

/* ------------------------------------------------------------- cache */

static void test_cache(void)
{
	struct oauth2_cache_id id = {"https://e/t", "cid", "u"};
	struct oauth2_cache_id other = {"https://e/t", "cid", "v"};
	struct err e = ERR_INIT;
	struct stat st;
	char *path = oauth2_cache_path("my acct/../x"), *tok = NULL;
	time_t now = time(NULL);

	is_str(path, tpath("cache/mailhop/oauth2-my_acct_.._x"),
	       "cache path: XDG_CACHE_HOME, name sanitised");
	ok(oauth2_cache_load(path, &id, now, &tok) == 0, "no cache yet");
	ok(oauth2_cache_store(path, &id, "tok1", now + 3600, &e) == 0,
	   "cache stored");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "cache file mode 0600");
	ok(stat(tpath("cache/mailhop"), &st) == 0 &&
		   (st.st_mode & 0777) == 0700,
	   "cache dir mode 0700");
	ok(oauth2_cache_load(path, &id, now, &tok) == 1 && tok &&
		   !strcmp(tok, "tok1"),
	   "cached token read back");
	free(tok);
	ok(oauth2_cache_load(path, &other, now, &tok) == 0,
	   "another user does not get it");
	ok(oauth2_cache_load(path, &id, now + 3600 - 61, &tok) == 1,
	   "valid 61 s before expiry");
	free(tok);
	ok(oauth2_cache_load(path, &id, now + 3600 - 60, &tok) == 0,
	   "stale inside the 60 s margin");
	chmod(path, 0644);
	ok(oauth2_cache_load(path, &id, now, &tok) == 0,
	   "a cache file others can read is ignored");
	write_file(path, "garbage\n", 0600);
	ok(oauth2_cache_load(path, &id, now, &tok) == 0,
	   "a corrupt cache file is ignored");
	ok(oauth2_cache_store(path, &id, "bad\ntoken", now + 3600, &e) < 0,
	   "a token with a newline is not cached");
	unlink(path);
	free(path);
}

/* ------------------------------------------------------ OAuth2 server */

static pid_t server_pid;
static int server_port;

static int start_server(void)
{
	const char *top = getenv("top_srcdir"), *py = getenv("PYTHON3");
	char cmd[8192], script[4096], portline[32];
	int fds[2];
	ssize_t n;

	if (!top)
		top = ".";
	if (!py || !*py)
		py = "python3";
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/tls/mkcerts.sh' '%s'", top,
		 tpath("pki"));
	if (system(cmd) != 0)
		return -1;
	snprintf(script, sizeof(script), "%s/tests/oauth2/tokenserver.py", top);
	if (pipe(fds) < 0)
		return -1;
	server_pid = fork();
	if (server_pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execlp(py, py, script, "--cert", tpath("pki/server.pem"),
		       "--key", tpath("pki/server-key.pem"), "--record",
		       tpath("record"), (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], portline, sizeof(portline) - 1);
	close(fds[0]);
	if (n <= 0)
		return -1;
	portline[n] = '\0';
	server_port = atoi(portline);
	return server_port > 0 ? 0 : -1;
}

static void stop_server(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
	}
}

/* A port nothing listens on (bound, then closed). */
static int dead_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0), port = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(s, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(s);
	return port;
}

#define RT	"1//rt+x/y=z"
#define RT_ESC	"1%2F%2Frt%2Bx%2Fy%3Dz"
#define SEC	"c&s=cret"
#define SEC_ESC "c%26s%3Dcret"

/* An OAuth2 account for path (extra rc lines appended). */
static struct account *oauth_acct(const char *name, const char *path, int port,
				  const char *trust, const char *extra)
{
	char rc[8192];

	snprintf(rc, sizeof(rc),
		 "account %s\nhost smtp.example.org\nuser joe@example.org\n"
		 "auth xoauth2\n"
		 "oauth2_token_endpoint https://127.0.0.1:%d%s\n"
		 "oauth2_client_id cid\noauth2_client_secret " SEC "\n"
		 "oauth2_tls_trust_file %s\n%s",
		 name, port, path, trust, extra ? extra : "");
	return rc_account_named(rc, name);
}

/* Resolve a fresh account; returns the password (static copy) or NULL */
static const char *resolve(struct account *a, struct err *e)
{
	static char pw[256];

	if (!a || account_resolve_password(a, e) < 0 || !a->password)
		return NULL;
	snprintf(pw, sizeof(pw), "%s", a->password);
	return pw;
}

/* The last line of the record file. */
static char *last_request(void)
{
	char *s = read_all(tpath("record")), *end, *start, *r;

	end = s + strlen(s);
	if (end > s && end[-1] == '\n')
		*--end = '\0';
	start = strrchr(s, '\n');
	r = strdup(start ? start + 1 : s);
	free(s);
	return r;
}

static void test_oauth2_flow(const char *ca)
{
	struct err e = ERR_INIT;
	struct account *a;
	const char *rec = tpath("record");
	struct oauth2_cache_id id = {NULL, "cid", "joe@example.org"};
	char *req, *cache, *cache_text, ep[128];
	int n0 = count_lines(rec);

	a = oauth_acct("g", "/ok", server_port, ca,
		       "oauth2_refresh_token " RT "\n");
	is_str(resolve(a, &e), "at/1", "first call fetches (escapes read)");
	is_int(count_lines(rec), n0 + 1, "  one request");
	req = last_request();
	ok(strstr(req, "/ok application/x-www-form-urlencoded ") == req,
	   "  POST form to the path");
	ok(strstr(req, "grant_type=refresh_token") != NULL, "  grant_type");
	ok(strstr(req, "refresh_token=" RT_ESC) != NULL,
	   "  refresh_token escaped");
	ok(strstr(req, "client_id=cid") != NULL, "  client_id");
	ok(strstr(req, "client_secret=" SEC_ESC) != NULL,
	   "  client_secret escaped");
	free(req);
	account_free(a);

	a = oauth_acct("g", "/ok", server_port, ca,
		       "oauth2_refresh_token " RT "\n");
	is_str(resolve(a, &e), "at/1", "second call uses the cache");
	is_int(count_lines(rec), n0 + 1, "  no second request");
	ok(secret_is_oauth2(a), "  secret_is_oauth2");
	ok(secret_oauth2_refresh(a, 1, &e) == 0 && a->password &&
		   !strcmp(a->password, "at/2"),
	   "force refreshes");
	is_int(count_lines(rec), n0 + 2, "  one more request");
	account_free(a);

	a = oauth_acct("g", "/ok", server_port, ca,
		       "oauth2_refresh_token " RT "\n");
	is_str(resolve(a, &e), "at/2", "the forced token was cached");
	account_free(a);

	/* Age the cache: expiry inside the margin. */
	cache = oauth2_cache_path("g");
	cache_text = read_all(cache);
	ok(strstr(cache_text, "\naccess_token at/2\n") != NULL,
	   "cache file holds the token");
	free(cache_text);
	snprintf(ep, sizeof(ep), "https://127.0.0.1:%d/ok", server_port);
	id.endpoint = ep;
	ok(oauth2_cache_store(cache, &id, "at/2", time(NULL) + 30, &e) == 0,
	   "cache aged to 30 s");
	a = oauth_acct("g", "/ok", server_port, ca,
		       "oauth2_refresh_token " RT "\n");
	is_str(resolve(a, &e), "at/3", "an expiring cache is refreshed");
	is_int(count_lines(rec), n0 + 3, "  request made");
	account_free(a);
	free(cache);

	/* A different user must not get g's cached token. */
	a = oauth_acct("g", "/ok", server_port, ca,
		       "oauth2_refresh_token " RT "\nuser other@example.org\n");
	is_str(resolve(a, &e), "at/4", "cache is per user");
	account_free(a);
}

static void test_oauth2_expiry(const char *ca)
{
	struct err e = ERR_INIT;
	struct account *a;
	const char *rec = tpath("record");
	int n0;

	n0 = count_lines(rec);
	a = oauth_acct("s", "/short", server_port, ca,
		       "oauth2_refresh_token r\n");
	ok(resolve(a, &e) != NULL, "short-lived token fetched");
	account_free(a);
	a = oauth_acct("s", "/short", server_port, ca,
		       "oauth2_refresh_token r\n");
	ok(resolve(a, &e) != NULL, "  and fetched again");
	is_int(count_lines(rec), n0 + 2, "  30 s is inside the margin");
	account_free(a);

	n0 = count_lines(rec);
	a = oauth_acct("n", "/noexp", server_port, ca,
		       "oauth2_refresh_token r\n");
	ok(resolve(a, &e) != NULL, "token without expires_in");
	account_free(a);
	a = oauth_acct("n", "/noexp", server_port, ca,
		       "oauth2_refresh_token r\n");
	ok(resolve(a, &e) != NULL, "  is not cached");
	is_int(count_lines(rec), n0 + 2, "  two requests");
	account_free(a);

	n0 = count_lines(rec);
	a = oauth_acct("x", "/strexp", server_port, ca,
		       "oauth2_refresh_token r\n");
	ok(resolve(a, &e) != NULL, "expires_in as a string");
	account_free(a);
	a = oauth_acct("x", "/strexp", server_port, ca,
		       "oauth2_refresh_token r\n");
	ok(resolve(a, &e) != NULL, "  is cached");
	is_int(count_lines(rec), n0 + 1, "  one request");
	account_free(a);
}

static void test_oauth2_sources(const char *ca)
{
	struct err e = ERR_INIT;
	struct account *a;
	char *req;

	a = oauth_acct("ev", "/ok", server_port, ca,
		       "oauth2_refresh_token_eval printf 'rt-from-eval\\n'\n");
	ok(resolve(a, &e) != NULL, "refresh token from eval");
	req = last_request();
	ok(strstr(req, "refresh_token=rt-from-eval&") != NULL ||
		   strstr(req, "refresh_token=rt-from-eval") ==
			   req + strlen(req) -
				   strlen("refresh_token=rt-from-"
					  "eval"),
	   "  eval output sent, line end stripped");
	free(req);
	account_free(a);

	e = (struct err)ERR_INIT;
	a = oauth_acct("ev2", "/ok", server_port, ca,
		       "oauth2_refresh_token_eval false\n");
	ok(resolve(a, &e) == NULL && e.kind == ERR_CONFIG &&
		   strstr(e.msg, "cannot read output of 'false'"),
	   "failing refresh token eval: config error");
	account_free(a);

	e = (struct err)ERR_INIT;
	a = oauth_acct("none", "/ok", server_port, ca, NULL);
	ok(resolve(a, &e) == NULL && e.kind == ERR_CONFIG &&
		   strstr(e.msg, "no oauth2 refresh token"),
	   "no refresh token: config error");
	account_free(a);

	e = (struct err)ERR_INIT;
	a = oauth_acct("pw", "/ok", server_port, ca,
		       "oauth2_refresh_token r\npassword static\n");
	is_str(resolve(a, &e), "static", "a set password is used as is");
	account_free(a);
}

static void test_oauth2_errors(const char *ca)
{
	static const struct {
		const char *name, *path, *trust, *extra;
		enum err_kind kind;
		const char *msg;
	} t[] = {
		{"error JSON", "/error", NULL, NULL, ERR_NOPERM,
		 "refused the refresh: invalid_grant: Token has been expired "
		 "or revoked.? (HTTP 400)"},
		{"HTTP 503", "/unavail", NULL, NULL, ERR_TEMPFAIL,
		 "failed: HTTP 503"},
		{"not JSON", "/garbage", NULL, NULL, ERR_PROTOCOL,
		 "a malformed reply"},
		{"no token", "/notoken", NULL, NULL, ERR_PROTOCOL,
		 "no access token"},
		{"reply too big", "/big", NULL, NULL, ERR_PROTOCOL,
		 "sent more than 65536 bytes"},
		{"slow endpoint, timeout 1", "/slow", NULL, "timeout 1\n",
		 ERR_TEMPFAIL, "cannot reach oauth2 token endpoint"},
		{"unknown CA", "/ok", "pki/ca2.pem", NULL, ERR_NOPERM,
		 "TLS certificate of oauth2 token endpoint"},
		{"missing trust file", "/ok", "pki/none.pem", NULL, ERR_CONFIG,
		 "cannot load oauth2_tls_trust_file"},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct err e = ERR_INIT;
		char extra[256], name[32];
		struct account *a;
		time_t t0 = time(NULL);

		snprintf(extra, sizeof(extra), "oauth2_refresh_token r\n%s",
			 t[i].extra ? t[i].extra : "");
		snprintf(name, sizeof(name), "err%zu", i);
		a = oauth_acct(name, t[i].path, server_port,
			       t[i].trust ? tpath(t[i].trust) : ca, extra);
		ok(resolve(a, &e) == NULL && e.kind == t[i].kind &&
			   strstr(e.msg, t[i].msg),
		   t[i].name);
		printf("#   %d '%s'\n", e.kind, e.msg);
		if (t[i].extra)
			ok(time(NULL) - t0 < 4, "  timeout honoured");
		account_free(a);
	}
	{
		struct err e = ERR_INIT;
		struct account *a = oauth_acct("down", "/ok", dead_port(), ca,
					       "oauth2_refresh_token r\n");

		ok(resolve(a, &e) == NULL && e.kind == ERR_TEMPFAIL &&
			   strstr(e.msg, "cannot reach"),
		   "endpoint down: temporary failure");
		account_free(a);
	}
	{
		struct conf c;
		struct err e = ERR_INIT;
		const char *rc = "host h\noauth2_token_endpoint "
				 "http://127.0.0.1:1/t\n";

		conf_init(&c);
		ok(conf_parse(&c, "t.rc", rc, strlen(rc), &e) < 0 &&
			   strstr(e.msg, "invalid argument"),
		   "plain http endpoint refused, even on loopback");
		conf_release(&c);
	}
}

/* Everything at debug level with stderr captured: no secret shows. */
static void test_no_leak(const char *ca)
{
	static const char *const secrets[] = {"at/", RT,      RT_ESC,
					      SEC,   SEC_ESC, "rt-from-eval"};
	const char *log = tpath("stderr.log");
	int saved = dup(2), fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	struct account *a;
	struct err e = ERR_INIT;
	char *text;
	size_t i;
	int leaked = 0;

	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	log_level = 2;
	a = oauth_acct("leak", "/ok", server_port, ca,
		       "oauth2_refresh_token " RT "\n");
	resolve(a, &e);
	secret_oauth2_refresh(a, 1, &e);
	account_free(a);
	a = oauth_acct("leak", "/error", server_port, ca,
		       "oauth2_refresh_token " RT "\n");
	e = (struct err)ERR_INIT;
	resolve(a, &e);
	err_print(&e);
	account_free(a);
	log_level = 0;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	text = read_all(log);
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		if (strstr(text, secrets[i])) {
			leaked = 1;
			printf("#   '%s' on stderr\n", secrets[i]);
		}
	ok(strstr(text, "refreshing the oauth2 access token") != NULL,
	   "debug output was captured");
	ok(!leaked, "no token, refresh token or client secret on stderr");
	free(text);
}

static void test_oauth2(void)
{
	char ca[4096];

	if (start_server() < 0) {
		ok(1, "oauth2 end to end # SKIP python3 or certtool missing");
		stop_server();
		return;
	}
	snprintf(ca, sizeof(ca), "%s", tpath("pki/ca.pem"));
	test_oauth2_flow(ca);
	test_oauth2_expiry(ca);
	test_oauth2_sources(ca);
	test_oauth2_errors(ca);
	test_no_leak(ca);
	stop_server();
}

static int run(void)
{
	char cmd[4200];
	int r;

	progname = "test_secret";
	if (!mkdtemp(tmpdir))
		return 1;
	setenv("HOME", tmpdir, 1);
	setenv("XDG_CACHE_HOME", tpath("cache"), 1);
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	setenv("XDG_RUNTIME_DIR", tpath("run"), 1);
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	test_netrc_table();
	test_netrc_permissions();
	test_order();
	test_prompt();
	test_json();
	test_responses();
	test_cache();
	test_oauth2();
	r = tap_done();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", tmpdir);
	return r;
}

int main(void)
{
	pid_t pid;
	int status;

	/* A new session has no controlling terminal: /dev/tty cannot be
	 * opened, so no test can prompt on the real terminal. */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		setsid();
		exit(run());
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
