/*
 * secret.c - password sources for an account, OAuth2 access tokens, and
 * the one place that runs secret-producing shell commands (see secret.h
 * for the contract).
 *
 * The password sources live in one table, asked in order; each returns 1
 * (password found), 0 (does not apply) or -1 (failed).
 *
 * Secret hygiene: buffers that will hold a secret get their whole size
 * up front (reserve_secret), because a growing buffer's realloc() would
 * leave a copy behind in freed memory; every one is zeroed when done.
 */
#include "config.h"

#include "secret.h"
#include "idn.h"
#include "paths.h"
#include "log.h"
#include "oauth2.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_LIBSECRET
#include <dlfcn.h>
#include <libsecret/secret.h>
#endif

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
/* The system netrc, where msmtp looks for it. */
#define SECRET_SYSTEM_NETRC SYSCONFDIR "/netrc"
/* The shell that runs passwordeval and eval commands, as msmtp. */
#define SECRET_SHELL "/bin/sh"
/* Read chunk for command output and files. */
#define SECRET_READ_CHUNK 4096
/* How long passwordeval/eval may run: long enough for a gpg pinentry
 * prompt, short enough that cron jobs do not pile up behind a hung
 * command.  $MAILHOP_EVAL_TIMEOUT (seconds) overrides it. */
#define SECRET_RUN_TIMEOUT_S 120
/* How often a running command is checked for having exited. */
#define SECRET_POLL_MS 50
/* Longest netrc token (a login or password; OAuth tokens are long). */
#define NETRC_TOKEN_MAX (16 * 1024)
/* The keyring services: msmtp's for SMTP passwords, ours for refresh
 * tokens. */
#define KEYRING_SERVICE_SMTP   "smtp"
#define KEYRING_SERVICE_OAUTH2 "oauth2"

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void set_password(struct account *a, char *pw)
{
	free_secret(a->password);
	a->password = pw;
}

/* Allocate n bytes of b now (n <= cap), so that it never reallocs. */
static int reserve_secret(struct buf *b, size_t n)
{
	static const char zeros[SECRET_READ_CHUNK];

	while (b->len < n) {
		size_t k = n - b->len;

		if (buf_append(b, zeros,
			       k < sizeof(zeros) ? k : sizeof(zeros)) < 0)
			return -1;
	}
	buf_reset(b);
	return 0;
}

/* ------------------------------------------------------- shell commands */

static void child_exec(const char *cmd, int outfd)
{
	int devnull = open("/dev/null", O_RDONLY);

	if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 ||
	    dup2(outfd, STDOUT_FILENO) < 0)
		_exit(127);
	if (devnull != STDIN_FILENO)
		close(devnull);
	if (outfd != STDOUT_FILENO)
		close(outfd);
	/* The command must not see our spool file, sockets or rc file. */
	closefrom(STDERR_FILENO + 1);
	signal(SIGPIPE, SIG_DFL);
	execl(SECRET_SHELL, "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

static int run_timeout(void)
{
	const char *v = getenv("MAILHOP_EVAL_TIMEOUT");
	char *end;
	long n;

	if (!v || !*v)
		return SECRET_RUN_TIMEOUT_S;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*end || errno || n <= 0 || n > INT_MAX)
		return SECRET_RUN_TIMEOUT_S;
	return (int)n;
}

/* Has the child exited?  Reaps it into *status. */
static int child_done(pid_t pid, int *status)
{
	pid_t w = waitpid(pid, status, WNOHANG);

	if (w < 0 && errno != EINTR) {
		*status = -1;
		return 1;
	}
	return w == pid;
}

/*
 * Read the child's stdout into out until EOF, or until the child has
 * exited and the pipe holds nothing more (a background process it left
 * behind may keep the pipe open for ever), or until the deadline.
 * 0 = ok, 1 = over the cap, 2 = deadline passed, -1 = error; *exited
 * says whether the child was reaped.
 */
static int read_output(int fd, struct buf *out, int stop_at_nl, pid_t pid,
		       int *status, time_t deadline, int *exited)
{
	char chunk[SECRET_READ_CHUNK];
	int ret = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;
		int r;

		if (!*exited)
			*exited = child_done(pid, status);
		r = poll(&p, 1, *exited ? 0 : SECRET_POLL_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -1;
			break;
		}
		if (r == 0) {
			if (*exited)
				break;
			if (time(NULL) >= deadline) {
				ret = 2;
				break;
			}
			continue;
		}
		n = read(fd, chunk, stop_at_nl ? 1 : sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -1;
			break;
		}
		if (n == 0)
			break;
		if (buf_append(out, chunk, (size_t)n) < 0) {
			ret = 1;
			break;
		}
		if (stop_at_nl && chunk[0] == '\n')
			break;
	}
	explicit_bzero(chunk, sizeof(chunk));
	return ret;
}

/* Reap the child, killing it once the deadline has passed. */
static void reap_child(pid_t pid, int *status, time_t deadline)
{
	while (!child_done(pid, status)) {
		if (time(NULL) >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return;
		}
		poll(NULL, 0, SECRET_POLL_MS);
	}
}

int secret_run(const char *cmd, struct buf *out, int stop_at_nl, int *status,
	       struct err *e)
{
	int fds[2], r, exited = 0, limit = run_timeout();
	time_t deadline = time(NULL) + limit;
	pid_t pid;

	if (out->alloc == 0 &&
	    reserve_secret(out, out->cap < SECRET_OUTPUT_MAX
					? out->cap
					: SECRET_OUTPUT_MAX) < 0)
		return err_set(e, ERR_OSERR, "out of memory");
	if (pipe(fds) < 0)
		return err_set(e, ERR_OSERR, "cannot run '%s': %s", cmd,
			       strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return err_set(e, ERR_OSERR, "cannot run '%s': %s", cmd,
			       strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		child_exec(cmd, fds[1]);
	}
	close(fds[1]);
	r = read_output(fds[0], out, stop_at_nl, pid, status, deadline,
			&exited);
	/* Closing early may give the child SIGPIPE; that is its problem. */
	close(fds[0]);
	if (!exited)
		reap_child(pid, status, r == 2 ? 0 : deadline);
	if (r == 2)
		return err_set(e, ERR_CONFIG,
			       "cannot read output of '%s': it did not finish "
			       "within %d seconds",
			       cmd, limit);
	if (r == 1)
		return err_set(
			e, ERR_CONFIG,
			"cannot read output of '%s': more than %zu bytes", cmd,
			out->cap);
	if (r < 0)
		return err_set(e, ERR_OSERR, "cannot read output of '%s': %s",
			       cmd, strerror(errno));
	return 0;
}

/* Why a finished command's output cannot be a password, or NULL. */
static const char *eval_problem(int status, const struct buf *out)
{
	if (status == -1 || !WIFEXITED(status))
		return "the command did not exit normally";
	if (WEXITSTATUS(status) != 0)
		return "the command failed";
	if (out->len == 0)
		return "empty output";
	if (memchr(out->data, '\0', out->len))
		return "the output contains a NUL byte";
	return NULL;
}

/* Run cmd and take its output minus one line end as a secret. */
static int eval_secret(const char *cmd, char **secret, struct err *e)
{
	struct buf out = BUF_INIT(SECRET_OUTPUT_MAX);
	const char *problem;
	int status = 0, ret = -1;

	if (secret_run(cmd, &out, 0, &status, e) < 0)
		goto out;
	/* Strip exactly one line end, as msmtp does. */
	if (out.len > 0 && out.data[out.len - 1] == '\n') {
		out.len--;
		if (out.len > 0 && out.data[out.len - 1] == '\r')
			out.len--;
	}
	problem = eval_problem(status, &out);
	if (problem) {
		err_set(e, ERR_CONFIG, "cannot read output of '%s': %s", cmd,
			problem);
		goto out;
	}
	if (!(*secret = xstrndup(out.data, out.len))) {
		err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	ret = 1;
out:
	buf_release_secret(&out);
	return ret;
}

/* Password source: "passwordeval CMD". */
static int source_passwordeval(struct account *a, struct err *e)
{
	char *pw = NULL;

	if (!a->passwordeval)
		return 0;
	if (eval_secret(a->passwordeval, &pw, e) < 0)
		return -1;
	set_password(a, pw);
	return 1;
}

/* -------------------------------------------------------------- keyring */

#ifdef HAVE_LIBSECRET
/*
 * Items are matched by attributes only (not by schema name), so that
 * passwords stored with `secret-tool store ... host H service smtp user
 * U` (for msmtp) are found.
 */
static const SecretSchema keyring_schema = {
	.name = "org.mailhop.Password",
	.flags = SECRET_SCHEMA_DONT_MATCH_NAME,
	.attributes = {{"host", SECRET_SCHEMA_ATTRIBUTE_STRING},
		       {"service", SECRET_SCHEMA_ATTRIBUTE_STRING},
		       {"user", SECRET_SCHEMA_ATTRIBUTE_STRING},
		       {NULL, 0}},
};

/* Without a session bus (cron, ssh) libsecret would try to autolaunch
 * one and print warnings: skip the keyring instead. */
static int keyring_usable(void)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	const char *run = getenv("XDG_RUNTIME_DIR");
	char path[PATH_MAX];
	struct stat st;

	if (addr && *addr)
		return 1;
	if (!run || run[0] != '/' ||
	    snprintf(path, sizeof(path), "%s/bus", run) >= (int)sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/*
 * libsecret is loaded (dlopen) only when a keyring is there to ask.
 * Linked, it and GLib/GIO cost every run about 4 million instructions
 * and 3 MB of resident memory before main() (issue 8), even in cron
 * where there is no session bus.  NULL when it cannot be loaded: then
 * there is no keyring, as when built without libsecret.
 */
static struct {
	gchar *(*lookup_sync)(const SecretSchema *, GCancellable *, GError **,
			      ...);
	void (*password_free)(gchar *);
	void (*error_free)(GError *);
} ls;

static int load_libsecret(void)
{
	static int state; /* 0 not tried, 1 loaded, -1 failed */
	void *lib;

	if (state)
		return state > 0;
	state = -1;
	lib = dlopen("libsecret-1.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		log_debug("no keyring: %s", dlerror());
		return 0;
	}
	*(void **)&ls.lookup_sync = dlsym(lib, "secret_password_lookup_sync");
	*(void **)&ls.password_free = dlsym(lib, "secret_password_free");
	*(void **)&ls.error_free = dlsym(lib, "g_error_free");
	if (!ls.lookup_sync || !ls.password_free || !ls.error_free) {
		log_debug("no keyring: libsecret lacks a function");
		dlclose(lib);
		return 0;
	}
	state = 1;
	return 1;
}

/* 1 and *out, 0 (nothing there, or no keyring), -1 out of memory. */
static int keyring_lookup(const char *host, const char *service,
			  const char *user, char **out, struct err *e)
{
	GError *gerr = NULL;
	gchar *pw;

	if (!host || !user || !keyring_usable() || !load_libsecret())
		return 0;
	pw = ls.lookup_sync(&keyring_schema, NULL, &gerr, "host", host,
			    "service", service, "user", user, (char *)NULL);
	if (gerr) {
		log_debug("keyring lookup failed: %s", gerr->message);
		ls.error_free(gerr);
	}
	if (!pw)
		return 0;
	*out = strdup(pw);
	ls.password_free(pw); /* zeroes it */
	if (!*out)
		return err_set(e, ERR_OSERR, "out of memory");
	log_debug("found the %s secret for %s at %s in the keyring", service,
		  user, host);
	return 1;
}
#else
static int keyring_lookup(const char *host, const char *service,
			  const char *user, char **out, struct err *e)
{
	(void)host, (void)service, (void)user, (void)out, (void)e;
	return 0;
}
#endif

/* Password source: the desktop keyring. */
static int source_keyring(struct account *a, struct err *e)
{
	char *pw = NULL;
	int r = keyring_lookup(a->host, KEYRING_SERVICE_SMTP, a->user, &pw, e);

	if (r > 0)
		set_password(a, pw);
	return r;
}

/* ---------------------------------------------------------------- netrc */

/*
 * netrc(5) as ftp(1) and curl read it: blank-separated tokens (lines do
 * not matter), "machine NAME" entries with "login", "password" and
 * "account", a final "default" entry, "macdef NAME" bodies up to the
 * next empty line.  As curl (7.84+), a token may be "double quoted" with
 * \" \\ \n \r \t escapes, and a '#' where a keyword is expected starts
 * a comment up to the end of the line.  The first entry for the host
 * whose login is the user (or that names no login) wins.
 * The host is an A-label (account_finish()); a file that names it by a
 * U-label (UTF-8, as the user wrote it in the rc file) must work too, so
 * the file is read twice: first for a machine that is the host as written
 * (ASCII case ignored), then for a machine in UTF-8 whose A-label form is
 * the host, or the "default" entry.
 */
struct netrc {
	const char *p, *end;
	struct buf tok; /* secret */
};

static int netrc_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int netrc_quoted(struct netrc *n)
{
	static const char in[] = "nrt", out[] = "\n\r\t";

	for (n->p++; n->p < n->end && *n->p != '"'; n->p++) {
		char c = *n->p;

		if (c == '\\' && n->p + 1 < n->end) {
			const char *k = strchr(in, *++n->p);

			c = k && *k ? out[k - in] : *n->p;
		}
		if (buf_putc(&n->tok, c) < 0)
			return -1;
	}
	if (n->p < n->end)
		n->p++;
	return 1;
}

/* The next token into n->tok: 1, 0 at the end, -1 too long. */
static int netrc_next(struct netrc *n, int keyword)
{
	explicit_bzero(n->tok.data ? n->tok.data : "", n->tok.len);
	buf_reset(&n->tok);
	for (;;) {
		while (n->p < n->end && netrc_blank(*n->p))
			n->p++;
		if (n->p >= n->end)
			return 0;
		if (!keyword || *n->p != '#')
			break;
		while (n->p < n->end && *n->p != '\n')
			n->p++;
	}
	if (*n->p == '"')
		return netrc_quoted(n);
	for (; n->p < n->end && !netrc_blank(*n->p); n->p++)
		if (buf_putc(&n->tok, *n->p) < 0)
			return -1;
	return 1;
}

static int netrc_is(const struct netrc *n, const char *word)
{
	return n->tok.data && strcmp(n->tok.data, word) == 0;
}

/* "macdef NAME": its body runs to the next empty line. */
static void netrc_skip_macro(struct netrc *n)
{
	const char *p = n->p;

	while (p < n->end) {
		const char *nl = memchr(p, '\n', (size_t)(n->end - p));

		if (!nl)
			break;
		if (nl + 1 < n->end && nl[1] == '\n') {
			n->p = nl + 2;
			return;
		}
		p = nl + 1;
	}
	n->p = n->end;
}

/* One entry's state while scanning. */
struct netrc_entry {
	int matches;   /* machine is the host, or "default" */
	int has_login; /* a login was given ... */
	int login_ok;  /* ... and it is the user */
	char *password;
};

static int entry_done(struct netrc_entry *x, char **password)
{
	int found = x->matches && x->password && (!x->has_login || x->login_ok);

	if (found)
		*password = x->password;
	else
		free_secret(x->password);
	memset(x, 0, sizeof(*x));
	return found;
}

/* The value after login/password/account into the entry. */
static int netrc_value(struct netrc *n, struct netrc_entry *x, const char *user)
{
	int is_login = netrc_is(n, "login"), is_pw = netrc_is(n, "password");
	int r = netrc_next(n, 0);

	if (r <= 0 || !x->matches)
		return r;
	if (is_login) {
		x->has_login = 1;
		x->login_ok = strcmp(n->tok.data, user) == 0;
	} else if (is_pw) {
		free_secret(x->password);
		if (!(x->password = strdup(n->tok.data)))
			return -1;
	}
	return 1;
}

/*
 * Whether machine names host: pass 0 compares the names, pass 1 converts
 * a non-ASCII machine (a name it cannot convert is not the host).
 */
static int netrc_machine_is(const char *machine, const char *host, int pass)
{
	struct err e = ERR_INIT;
	char *alabel;
	int r;

	if (pass == 0)
		return strcasecmp(machine, host) == 0;
	if (idn_is_ascii(machine) ||
	    idn_host_to_ascii(machine, &alabel, ERR_CONFIG, &e) < 0)
		return 0;
	r = strcasecmp(alabel, host) == 0;
	free(alabel);
	return r;
}

/* 1 found, 0 not, -1 token too long / out of memory.  pass: see above
 * (the "default" entry only counts in pass 1). */
static int netrc_scan(struct netrc *n, const char *host, const char *user,
		      int pass, char **password)
{
	struct netrc_entry x = {0, 0, 0, NULL};
	int r, in_default = 0;

	for (;;) {
		r = netrc_next(n, 1);
		if (r <= 0 || netrc_is(n, "machine") ||
		    netrc_is(n, "default")) {
			if (entry_done(&x, password))
				return 1;
			if (r <= 0)
				return r;
			if (in_default) /* nothing counts after it */
				return 0;
			if (netrc_is(n, "default")) {
				in_default = 1;
				x.matches = pass == 1;
				continue;
			}
			if ((r = netrc_next(n, 0)) <= 0)
				return r;
			x.matches = netrc_machine_is(n->tok.data, host, pass);
		} else if (netrc_is(n, "login") || netrc_is(n, "password") ||
			   netrc_is(n, "account")) {
			if ((r = netrc_value(n, &x, user)) <= 0) {
				free_secret(x.password);
				return r;
			}
		} else if (netrc_is(n, "macdef")) {
			if (netrc_next(n, 0) < 0) {
				free_secret(x.password);
				return -1;
			}
			netrc_skip_macro(n);
		} /* other words: ignored, as curl does */
	}
}

/* Read fd into b (reserved at the file's size); 0, -1 error, 1 too big */
static int read_secret_file(int fd, const struct stat *st, struct buf *b)
{
	char chunk[SECRET_READ_CHUNK];
	int r = 0;

	if (st->st_size >= 0 && (size_t)st->st_size < b->cap &&
	    reserve_secret(b, (size_t)st->st_size + 1) < 0)
		return -1;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -1 : 0;
			break;
		}
		if (buf_append(b, chunk, (size_t)n) < 0) {
			r = 1;
			break;
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	return r;
}

static int netrc_private(const char *path, const struct stat *st, struct err *e)
{
	if (st->st_uid != geteuid())
		return err_set(e, ERR_CONFIG,
			       "%s: contains passwords and therefore must be "
			       "owned by you",
			       path);
	if (st->st_mode & 077)
		return err_set(e, ERR_CONFIG,
			       "%s: contains passwords and therefore must not "
			       "be accessible by group or others (chmod 600)",
			       path);
	return 0;
}

int secret_netrc_lookup(const char *path, const char *host, const char *user,
			int must_be_private, char **password, struct err *e)
{
	struct netrc n = {NULL, NULL, BUF_INIT(NETRC_TOKEN_MAX)};
	struct buf text = BUF_INIT(SECRET_NETRC_MAX);
	struct stat st;
	int fd, pass, r = -1;

	*password = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR ||
		       (!must_be_private && errno == EACCES)))
		return 0;
	if (fd < 0)
		return err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || (r = read_secret_file(fd, &st, &text)) < 0) {
		r = err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (r > 0) {
		r = err_set(e, ERR_CONFIG, "%s: larger than %d bytes", path,
			    SECRET_NETRC_MAX);
		goto out;
	}
	if (reserve_secret(&n.tok, NETRC_TOKEN_MAX) < 0) {
		r = err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	for (pass = 0, r = 0; pass < 2 && r == 0; pass++) {
		n.p = text.data ? text.data : "";
		n.end = n.p + text.len;
		r = netrc_scan(&n, host, user, pass, password);
	}
	if (r < 0)
		err_set(e, ERR_CONFIG, "%s: a token is longer than %d bytes",
			path, NETRC_TOKEN_MAX);
	if (r > 0 && must_be_private && netrc_private(path, &st, e) < 0) {
		free_secret(*password);
		*password = NULL;
		r = -1;
	}
out:
	close(fd);
	buf_release_secret(&n.tok);
	buf_release_secret(&text);
	return r;
}

static int netrc_source(struct account *a, const char *path, int private,
			struct err *e)
{
	char *pw = NULL;
	int r;

	if (!a->host || !a->user)
		return 0;
	r = secret_netrc_lookup(path, a->host, a->user, private, &pw, e);
	if (r > 0) {
		log_debug("found the password for %s at %s in %s", a->user,
			  a->host, path);
		set_password(a, pw);
	}
	return r;
}

/* Password source: ~/.netrc (must be private, as for ftp(1)). */
static int source_netrc_user(struct account *a, struct err *e)
{
	struct buf path = BUF_INIT(PATH_MAX);
	int r;

	if (buf_printf(&path, "%s/.netrc", path_home()) < 0)
		return err_set(e, ERR_OSERR, "home directory name too long");
	r = netrc_source(a, path.data, 1, e);
	buf_release(&path);
	return r;
}

/* Password source: the system netrc (shared by design, like the system
 * rc file: no permission rule; unreadable = absent). */
static int source_netrc_system(struct account *a, struct err *e)
{
	return netrc_source(a, SECRET_SYSTEM_NETRC, 0, e);
}

/* --------------------------------------------------------------- prompt */

/*
 * The only mutable static state of this module: which signal arrived
 * while the terminal's echo was off.  A signal handler can only talk to
 * us through a volatile sig_atomic_t.
 */
static volatile sig_atomic_t prompt_signal;

static void on_prompt_signal(int sig)
{
	prompt_signal = sig;
}

/* Signals that would leave the terminal without echo if not caught. */
static const int prompt_signals[] = {SIGALRM, SIGHUP,  SIGINT,
				     SIGPIPE, SIGQUIT, SIGTERM,
				     SIGTSTP, SIGTTIN, SIGTTOU};
#define NPROMPT_SIGNALS (sizeof(prompt_signals) / sizeof(prompt_signals[0]))

struct tty {
	int fd;
	int saved_ok;	 /* saved holds the terminal's settings */
	int handlers_on; /* old holds the signal dispositions */
	struct termios saved;
	struct sigaction old[NPROMPT_SIGNALS];
};

static int tty_echo_off(struct tty *t)
{
	struct sigaction sa;
	struct termios quiet;
	size_t i;

	if (tcgetattr(t->fd, &t->saved) < 0)
		return -1;
	t->saved_ok = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_prompt_signal; /* no SA_RESTART: read() stops */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NPROMPT_SIGNALS; i++)
		sigaction(prompt_signals[i], &sa, &t->old[i]);
	t->handlers_on = 1;
	quiet = t->saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	return tcsetattr(t->fd, TCSAFLUSH, &quiet);
}

static void tty_restore(struct tty *t)
{
	size_t i;

	if (t->saved_ok)
		(void)tcsetattr(t->fd, TCSAFLUSH, &t->saved);
	if (t->handlers_on)
		for (i = 0; i < NPROMPT_SIGNALS; i++)
			sigaction(prompt_signals[i], &t->old[i], NULL);
	t->saved_ok = t->handlers_on = 0;
}

/* One line from the terminal: 1, 0 nothing typed (EOF), -1 interrupted
 * or failed, -2 too long. */
static int tty_read_line(int fd, struct buf *line)
{
	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR && !prompt_signal)
			continue;
		if (n < 0)
			return -1;
		if (n == 0 || c == '\n')
			break;
		if (buf_putc(line, c) < 0)
			return -2;
	}
	if (line->len > 0 && line->data[line->len - 1] == '\r')
		line->data[--line->len] = '\0';
	return line->len > 0;
}

static int is_stop_signal(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Prompt until a line is read; a stop signal (^Z) prompts again. */
static int tty_ask(struct tty *t, const char *prompt, struct buf *line)
{
	for (;;) {
		int r = -1, sig;

		prompt_signal = 0;
		if (write(t->fd, prompt, strlen(prompt)) >= 0 &&
		    tty_echo_off(t) == 0)
			r = tty_read_line(t->fd, line);
		tty_restore(t);
		(void)!write(t->fd, "\n", 1);
		sig = prompt_signal;
		if (!sig)
			return r;
		/* Act on the signal now that the terminal is sane again. */
		raise(sig);
		if (!is_stop_signal(sig))
			return -3;
		explicit_bzero(line->data ? line->data : "", line->len);
		buf_reset(line);
	}
}

/* Password source: ask on the controlling terminal, never echoing. */
static int source_prompt(struct account *a, struct err *e)
{
	struct buf prompt = BUF_INIT(PATH_MAX);
	struct buf line = BUF_INIT(SECRET_PROMPT_MAX);
	struct tty t;
	int r;

	if (!a->user)
		return 0;
	memset(&t, 0, sizeof(t));
	t.fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t.fd < 0)
		return 0; /* no terminal (cron, a pipe): not this source */
	if (buf_printf(&prompt, "password for %s at %s: ", a->user,
		       a->host	   ? a->host
		       : a->socket ? a->socket
				   : "") < 0 ||
	    reserve_secret(&line, SECRET_PROMPT_MAX) < 0) {
		r = err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	r = tty_ask(&t, prompt.data, &line);
	if (r > 0) {
		set_password(a, xstrndup(line.data, line.len));
		if (!a->password)
			r = err_set(e, ERR_OSERR, "out of memory");
	} else if (r == 0) {
		r = err_set(e, ERR_CONFIG,
			    "no password for user '%s' at '%s' (nothing was "
			    "typed)",
			    a->user, a->host ? a->host : "");
	} else {
		r = err_set(e, ERR_CONFIG,
			    "cannot read the password from the terminal: %s",
			    r == -2   ? "too long"
			    : r == -3 ? "interrupted"
				      : "read error");
	}
out:
	close(t.fd);
	buf_release(&prompt);
	buf_release_secret(&line);
	return r;
}

/* --------------------------------------------------------------- OAuth2 */

int secret_is_oauth2(const struct account *a)
{
	return a->auth == AUTH_METHOD && a->auth_method &&
	       (strcmp(a->auth_method, "OAUTHBEARER") == 0 ||
		strcmp(a->auth_method, "XOAUTH2") == 0) &&
	       a->oauth2_token_endpoint && *a->oauth2_token_endpoint;
}

/* The refresh token: the rc value, its eval command, or the keyring. */
static int refresh_token(struct account *a, char **rt, struct err *e)
{
	int r;

	*rt = NULL;
	if (a->oauth2_refresh_token && *a->oauth2_refresh_token) {
		if (!(*rt = strdup(a->oauth2_refresh_token)))
			return err_set(e, ERR_OSERR, "out of memory");
		return 0;
	}
	if (a->oauth2_refresh_token_eval && *a->oauth2_refresh_token_eval)
		return eval_secret(a->oauth2_refresh_token_eval, rt, e) < 0 ? -1
									    : 0;
	r = keyring_lookup(a->host, KEYRING_SERVICE_OAUTH2, a->user, rt, e);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(e, ERR_CONFIG,
			       "account %s: no oauth2 refresh token (set "
			       "oauth2_refresh_token or "
			       "oauth2_refresh_token_eval)",
			       a->name ? a->name : "default");
	return 0;
}

/* Ask the endpoint; on success a->password = the new token (cached). */
static int refresh_now(struct account *a, const char *cache,
		       const struct oauth2_cache_id *id, struct err *e)
{
	struct oauth2_grant g;
	struct oauth2_token t = {NULL, -1};
	char *rt = NULL;
	time_t now;

	if (refresh_token(a, &rt, e) < 0)
		return -1;
	g.endpoint = a->oauth2_token_endpoint;
	g.client_id = a->oauth2_client_id;
	g.client_secret = a->oauth2_client_secret;
	g.refresh_token = rt;
	g.trust_file = a->oauth2_tls_trust_file;
	g.timeout = a->timeout;
	now = time(NULL);
	if (oauth2_refresh(&g, &t, e) < 0) {
		free_secret(rt);
		return -1;
	}
	free_secret(rt);
	if (cache && t.expires_in > 0) {
		struct err ce = ERR_INIT;

		/* A cache we cannot write costs a refresh per run, no more. */
		if (oauth2_cache_store(cache, id, t.access_token,
				       now + t.expires_in, &ce) < 0)
			log_debug("%s", ce.msg);
	}
	set_password(a, t.access_token);
	t.access_token = NULL;
	return 0;
}

int secret_oauth2_refresh(struct account *a, int force, struct err *e)
{
	struct oauth2_cache_id id;
	char *cache = oauth2_cache_path(a->name), *tok = NULL;
	int r;

	if (!secret_is_oauth2(a)) {
		free(cache);
		return err_set(e, ERR_CONFIG,
			       "account %s: oauth2_token_endpoint is not set",
			       a->name ? a->name : "default");
	}
	id.endpoint = a->oauth2_token_endpoint;
	id.client_id = a->oauth2_client_id;
	id.user = a->user;
	if (force && cache)
		(void)unlink(cache); /* the server refused that token */
	if (!force && cache &&
	    oauth2_cache_load(cache, &id, time(NULL), &tok)) {
		log_debug("using the cached oauth2 access token");
		set_password(a, tok);
		r = 0;
	} else {
		r = refresh_now(a, cache, &id, e);
	}
	free(cache);
	return r;
}

/* ------------------------------------------------------------- resolver */

static const struct {
	const char *name;
	int (*get)(struct account *a, struct err *e);
} sources[] = {
	{"passwordeval", source_passwordeval},
	{"keyring", source_keyring},
	{"~/.netrc", source_netrc_user},
	{SECRET_SYSTEM_NETRC, source_netrc_system},
	{"terminal", source_prompt},
};

/* Mechanisms that authenticate without a password. */
static int needs_no_password(const struct account *a)
{
	return a->auth == AUTH_METHOD && a->auth_method &&
	       (strcmp(a->auth_method, "EXTERNAL") == 0 ||
		strcmp(a->auth_method, "GSSAPI") == 0);
}

int account_resolve_password(struct account *a, struct err *e)
{
	const char *where = a->host ? a->host : a->socket ? a->socket : "";
	size_t i;

	if (a->auth == AUTH_OFF || a->password || needs_no_password(a))
		return 0;
	if (secret_is_oauth2(a))
		return secret_oauth2_refresh(a, 0, e);
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		int r = sources[i].get(a, e);

		if (r < 0)
			return -1;
		if (r > 0)
			return 0;
	}
	if (!a->user)
		return err_set(e, ERR_CONFIG,
			       "no user and password for '%s' (set user, and "
			       "password or passwordeval)",
			       where);
	return err_set(e, ERR_CONFIG,
		       "no password for user '%s' at '%s' (set password, "
		       "passwordeval, .netrc, or run on a terminal)",
		       a->user, where);
}

int account_eval_password(struct account *a, struct err *e)
{
	if (a->auth == AUTH_OFF || a->password || secret_is_oauth2(a))
		return 0;
	return source_passwordeval(a, e) < 0 ? -1 : 0;
}
