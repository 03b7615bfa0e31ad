/*
 * secret.c - password sources for an account, and the one place that runs
 * secret-producing shell commands (see secret.h for the contract).
 *
 * The password sources live in one table, asked in order; each returns 1
 * (password found), 0 (does not apply) or -1 (failed).  New sources (key
 * ring, .netrc, tty prompt, OAuth2 refresh) are one function and one row.
 */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The shell that runs passwordeval and eval commands, as msmtp. */
#define SECRET_SHELL "/bin/sh"
/* Read chunk for command output. */
#define SECRET_READ_CHUNK 4096

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

/* Read the child's stdout into out; 1 = over the cap, 0 = ok, -1 = error */
static int read_output(int fd, struct buf *out, int stop_at_nl)
{
	char chunk[SECRET_READ_CHUNK];
	int ret = 0;

	for (;;) {
		ssize_t n = read(fd, chunk, stop_at_nl ? 1 : sizeof(chunk));

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

int secret_run(const char *cmd, struct buf *out, int stop_at_nl, int *status,
	       struct err *e)
{
	int fds[2], r;
	pid_t pid;

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
	r = read_output(fds[0], out, stop_at_nl);
	/* Closing early may give the child SIGPIPE; that is its problem. */
	close(fds[0]);
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			*status = -1;
			break;
		}
	}
	if (r > 0)
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

/* Password source: "passwordeval CMD". */
static int source_passwordeval(struct account *a, struct err *e)
{
	struct buf out = BUF_INIT(SECRET_OUTPUT_MAX);
	const char *problem;
	int status = 0, ret = -1;

	if (!a->passwordeval)
		return 0;
	if (secret_run(a->passwordeval, &out, 0, &status, e) < 0)
		goto out;
	/* Strip exactly one line end, as msmtp does. */
	if (out.len > 0 && out.data[out.len - 1] == '\n') {
		out.len--;
		if (out.len > 0 && out.data[out.len - 1] == '\r')
			out.len--;
	}
	problem = eval_problem(status, &out);
	if (problem) {
		err_set(e, ERR_CONFIG, "cannot read output of '%s': %s",
			a->passwordeval, problem);
		goto out;
	}
	a->password = xstrndup(out.data, out.len);
	if (!a->password) {
		err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	ret = 1;
out:
	buf_release_secret(&out);
	return ret;
}

static const struct {
	const char *name;
	int (*get)(struct account *a, struct err *e);
} sources[] = {
	{"passwordeval", source_passwordeval},
};

int account_resolve_password(struct account *a, struct err *e)
{
	size_t i;

	if (a->auth == AUTH_OFF || a->password)
		return 0;
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		int r = sources[i].get(a, e);

		if (r < 0)
			return -1;
		if (r > 0)
			return 0;
	}
	return 0;
}
