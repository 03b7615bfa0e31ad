/*
 * bs.c - -bs: SMTP server side on stdin/stdout, relaying every
 * transaction with flush_send() (contract in bs.h).  The command loop
 * reads buffered input line by line, appends replies to an output
 * buffer and writes it only when the input buffer is empty (pipelining,
 * RFC 2920 §3.1), so a pipelining client gets its replies in one write.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "addr.h"
#include "bs.h"
#include "paths.h"
#include "envelope.h"
#include "flush.h"
#include "log.h"
#include "msg.h"

/* Host names longer than this are replaced by "localhost" (RFC 1035). */
#define BS_HOST_MAX 256

struct bs {
	const struct cli *cli;
	const struct conf *conf;
	struct account *a;
	int in, out;
	char host[BS_HOST_MAX];
	char rbuf[BS_IO_CHUNK];
	size_t rpos, rlen;
	struct buf line; /* the current line, without its line end */
	int crlf;	 /* it ended with CRLF */
	int too_long;	 /* it was longer than asked: dropped */
	struct buf outb; /* replies not yet written */
	int helo;
	int mail; /* MAIL accepted */
	char *from;
	struct strlist rcpts;
};

/* ---------------------------------------------------------------- I/O */

static int bs_write(int fd, const char *p, size_t n, struct err *e)
{
	if (write_all(fd, p, n) < 0)
		return err_set(e, ERR_IOERR, "cannot write: %s",
			       strerror(errno));
	return 0;
}

static int bs_flush(struct bs *b, struct err *e)
{
	int r = 0;

	if (b->outb.len > 0)
		r = bs_write(b->out, b->outb.data, b->outb.len, e);
	buf_reset(&b->outb);
	if (r < 0)
		return err_set(e, ERR_IOERR,
			       "cannot write SMTP replies to "
			       "standard output");
	return 0;
}

static void bs_reply(struct bs *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void bs_reply(struct bs *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* The cap is far above what BS_IO_CHUNK of input can ask for. */
	if (buf_vprintf(&b->outb, fmt, ap) < 0 ||
	    buf_puts(&b->outb, "\r\n") < 0)
		log_warn("warning: -bs reply buffer full, reply dropped");
	va_end(ap);
}

/* Reply "CODE ENH text" with text from an error message, sanitised. */
static void bs_reply_err(struct bs *b, int code, const char *enh,
			 const char *text)
{
	char t[BS_REPLY_TEXT_MAX];

	sanitize(t, sizeof(t), text, strlen(text));
	bs_reply(b, "%d %s %s", code, enh, t);
}

/* Refill rbuf: flush the replies first, wait at most the idle timeout. */
static int bs_fill(struct bs *b, struct err *e)
{
	struct pollfd p = {b->in, POLLIN, 0};
	ssize_t n;
	int r;

	if (bs_flush(b, e) < 0)
		return -1;
	do
		r = poll(&p, 1, BS_IDLE_TIMEOUT_S * 1000);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return err_set(e, ERR_IOERR,
			       "no SMTP input for %d seconds on standard input",
			       BS_IDLE_TIMEOUT_S);
	do
		n = read(b->in, b->rbuf, sizeof(b->rbuf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(e, ERR_IOERR, "cannot read standard input: %s",
			       strerror(errno));
	b->rpos = 0;
	b->rlen = (size_t)n;
	return n > 0;
}

/*
 * One line into b->line (line end removed, b->crlf and b->too_long set);
 * max counts the line end.  1: a line; 0: end of input (no partial
 * line); 2: the input ended inside a line (kept in b->line); -1: error.
 */
static int bs_getline(struct bs *b, size_t max, struct err *e)
{
	buf_reset(&b->line);
	b->too_long = 0;
	b->crlf = 0;
	for (;;) {
		const char *s, *nl;
		size_t n, take;

		if (b->rpos == b->rlen) {
			int r = bs_fill(b, e);

			if (r <= 0)
				return r < 0			    ? -1
				       : b->line.len || b->too_long ? 2
								    : 0;
		}
		s = b->rbuf + b->rpos;
		n = b->rlen - b->rpos;
		nl = memchr(s, '\n', n);
		take = nl ? (size_t)(nl - s) + 1 : n;
		if (!b->too_long && b->line.len + take > max) {
			b->too_long = 1;
			buf_reset(&b->line);
		}
		if (!b->too_long && buf_append(&b->line, s, take) < 0)
			return err_set(e, ERR_OSERR, "out of memory");
		b->rpos += take;
		if (nl)
			break;
	}
	if (b->line.len > 0 && b->line.data[b->line.len - 1] == '\n')
		b->line.data[--b->line.len] = '\0';
	if (b->line.len > 0 && b->line.data[b->line.len - 1] == '\r') {
		b->line.data[--b->line.len] = '\0';
		b->crlf = 1;
	}
	return 1;
}

/* ------------------------------------------------------------ helpers */

static void txn_reset(struct bs *b)
{
	free(b->from);
	b->from = NULL;
	b->mail = 0;
	strlist_release(&b->rcpts);
	strlist_init(&b->rcpts);
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/*
 * "FROM:<addr> params" (prefix "FROM:"): *addr is a new string, *rest
 * points at the parameters.  Quoted local parts may hold '>'.
 */
static int path_parse(const char *s, const char *prefix, char **addr,
		      const char **rest)
{
	size_t plen = strlen(prefix);
	const char *p, *q;
	int quoted = 0;

	if (strncasecmp(s, prefix, plen) != 0)
		return -1;
	p = skip_ws(s + plen);
	if (*p != '<')
		return -1;
	for (q = p + 1; *q && (quoted || *q != '>'); q++) {
		if (*q == '\\' && quoted && q[1])
			q++;
		else if (*q == '"')
			quoted = !quoted;
	}
	if (*q != '>' || (q[1] && q[1] != ' '))
		return -1;
	*addr = xstrndup(p + 1, (size_t)(q - p - 1));
	*rest = skip_ws(q + 1);
	return *addr ? 0 : -1;
}

static int is_word(const char *p, size_t n, const char *w)
{
	return n == strlen(w) && strncasecmp(p, w, n) == 0;
}

/* MAIL parameters (RFC 1870 SIZE, RFC 6152 BODY); 0 or a reply sent. */
static int mail_params(struct bs *b, const char *p)
{
	while (*p) {
		size_t n = strcspn(p, " ");
		char *end;

		if (n > 5 && strncasecmp(p, "SIZE=", 5) == 0 &&
		    isdigit((unsigned char)p[5])) {
			unsigned long long v = strtoull(p + 5, &end, 10);

			if (end != p + n)
				goto bad;
			if (v > (unsigned long long)BS_SIZE_MAX) {
				bs_reply(b, "552 5.3.4 message size exceeds "
					    "fixed limit");
				return -1;
			}
		} else if (!is_word(p, n, "BODY=7BIT") &&
			   !is_word(p, n, "BODY=8BITMIME")) {
			goto bad;
		}
		p = skip_ws(p + n);
	}
	return 0;
bad:
	bs_reply(b, "555 5.5.4 unsupported MAIL parameter");
	return -1;
}

/* ----------------------------------------------------------- commands */

static int cmd_helo(struct bs *b, const char *arg, int ehlo)
{
	if (!*arg) {
		bs_reply(b, "501 5.5.4 %s needs a domain name",
			 ehlo ? "EHLO" : "HELO");
		return 0;
	}
	txn_reset(b);
	b->helo = 1;
	if (!ehlo) {
		bs_reply(b, "250 %s", b->host);
		return 0;
	}
	/* Honest: no AUTH or STARTTLS on a local pipe. */
	bs_reply(b, "250-%s", b->host);
	bs_reply(b, "250-PIPELINING");
	bs_reply(b, "250-8BITMIME");
	bs_reply(b, "250-SIZE %ld", (long)BS_SIZE_MAX);
	bs_reply(b, "250 ENHANCEDSTATUSCODES");
	return 0;
}

static int cmd_mail(struct bs *b, const char *arg)
{
	struct err e = ERR_INIT;
	const char *rest;
	char *addr = NULL;

	if (b->mail) {
		bs_reply(b, "503 5.5.1 nested MAIL command");
		return 0;
	}
	if (path_parse(arg, "FROM:", &addr, &rest) < 0) {
		bs_reply(b, "501 5.5.4 syntax: MAIL FROM:<address>");
		goto out;
	}
	if (*addr && addr_check_envelope(addr, 1, &e) < 0) {
		bs_reply_err(b, 553, "5.1.7", e.msg);
		goto out;
	}
	if (mail_params(b, rest) < 0)
		goto out;
	b->from = addr;
	addr = NULL;
	b->mail = 1;
	bs_reply(b, "250 2.1.0 ok");
out:
	free(addr);
	return 0;
}

static int cmd_rcpt(struct bs *b, const char *arg)
{
	struct err e = ERR_INIT;
	const char *rest;
	char *addr = NULL;

	if (!b->mail) {
		bs_reply(b, "503 5.5.1 need MAIL before RCPT");
		return 0;
	}
	if (path_parse(arg, "TO:", &addr, &rest) < 0)
		bs_reply(b, "501 5.5.4 syntax: RCPT TO:<address>");
	else if (*rest)
		bs_reply(b, "555 5.5.4 unsupported RCPT parameter");
	else if (addr_check_envelope(addr, 0, &e) < 0)
		bs_reply_err(b, 553, "5.1.3", e.msg);
	else if (b->rcpts.n >= BS_RCPTS_MAX)
		bs_reply(b, "452 4.5.3 too many recipients");
	else if (strlist_add(&b->rcpts, addr) < 0)
		bs_reply(b, "451 4.3.0 out of memory");
	else
		bs_reply(b, "250 2.1.5 ok");
	free(addr);
	return 0;
}

/* ---------------------------------------------------------------- DATA */

struct data_state {
	int fd;
	struct buf w; /* un-stuffed bytes not yet in the file */
	long long size;
	int too_long, too_big;
};

static int data_line(struct bs *b, struct data_state *d, struct err *e)
{
	const char *s = b->line.data ? b->line.data : "";
	size_t n = b->line.len;

	if (b->too_long) {
		d->too_long = 1;
		return 0;
	}
	if (n > 0 && s[0] == '.') { /* RFC 5321 §4.5.2: remove one dot */
		s++;
		n--;
	}
	d->size += (long long)n + 2;
	if (d->size > BS_SIZE_MAX)
		d->too_big = 1;
	if (d->too_long || d->too_big)
		return 0;
	if (buf_append(&d->w, s, n) < 0 ||
	    buf_puts(&d->w, b->crlf ? "\r\n" : "\n") < 0)
		return err_set(e, ERR_OSERR, "out of memory");
	if (d->w.len >= BS_IO_CHUNK) {
		if (bs_write(d->fd, d->w.data, d->w.len, e) < 0)
			return -1;
		buf_reset(&d->w);
	}
	return 0;
}

/* Read the data up to the lone dot into d->fd; 1 done, 0 EOF, -1 err. */
static int data_read(struct bs *b, struct data_state *d, struct err *e)
{
	for (;;) {
		int r = bs_getline(b, BS_TEXT_LINE_MAX, e);

		if (r < 0)
			return -1;
		if (r != 1)
			return 0;
		if (!b->too_long && b->line.len == 1 && b->line.data[0] == '.')
			break;
		if (data_line(b, d, e) < 0)
			return -1;
	}
	if (d->w.len > 0 && bs_write(d->fd, d->w.data, d->w.len, e) < 0)
		return -1;
	if (lseek(d->fd, 0, SEEK_SET) < 0)
		return err_set(e, ERR_IOERR, "cannot rewind the -bs spool: %s",
			       strerror(errno));
	return 1;
}

/* ------------------------------------------------------------ delivery */

/*
 * Build the envelope as a normal run would from "-f FROM RCPT...", then
 * deliver or queue.  Errors go to stderr as in a normal run.
 */
static int deliver(struct bs *b, int fd, struct err *e)
{
	struct cli c = *b->cli;
	struct msg m;
	struct envelope env;
	struct buf detail = BUF_INIT(64 * 1024);
	int r;

	c.envelope_from = b->from;
	c.read_envelope_from = 0;
	c.read_recipients = 0;
	c.rcpts = b->rcpts.v;
	c.nrcpts = b->rcpts.n;
	msg_init(&m);
	envelope_init(&env);
	r = msg_read(&m, fd, 1, e);
	if (r == 0)
		r = envelope_build(&env, &c, b->a, &m, e);
	if (r == 0)
		r = flush_send(&c, b->conf, b->a, &env, &m, &detail, e);
	if (r < 0) {
		err_print(e);
		if (detail.len > 0)
			fprintf(stderr, "%s%s", detail.data,
				detail.data[detail.len - 1] == '\n' ? ""
								    : "\n");
	}
	buf_release(&detail);
	envelope_release(&env);
	msg_release(&m);
	return r;
}

/* The reply after the final dot (bs.h). */
static void reply_outcome(struct bs *b, const struct err *e)
{
	switch (e->kind) {
	case ERR_NONE:
		bs_reply(b, "250 2.0.0 message accepted for delivery");
		return;
	case ERR_NOUSER:
		bs_reply_err(b, 550, "5.1.1", e->msg);
		return;
	case ERR_CONFIG: /* local trouble: the caller may retry later */
	case ERR_OSERR:
	case ERR_IOERR:
	case ERR_SOFTWARE:
		bs_reply_err(b, 451, "4.3.0", e->msg);
		return;
	default:
		break;
	}
	if (err_is_temporary(e))
		bs_reply_err(b, 451, "4.3.0", e->msg);
	else if (e->kind == ERR_DATAERR)
		bs_reply_err(b, 554, "5.6.0", e->msg);
	else
		bs_reply_err(b, 554, "5.0.0", e->msg);
}

static int cmd_data(struct bs *b, const char *arg, struct err *fatal)
{
	struct data_state d = {-1, BUF_INIT(2 * BS_IO_CHUNK), 0, 0, 0};
	struct err te = ERR_INIT;
	int r;

	if (*arg) {
		bs_reply(b, "501 5.5.4 DATA takes no parameter");
		return 0;
	}
	if (!b->mail || b->rcpts.n == 0) {
		bs_reply(b, "503 5.5.1 need %s before DATA",
			 b->mail ? "RCPT" : "MAIL");
		return 0;
	}
	d.fd = path_tmpfile(&te);
	if (d.fd < 0) {
		bs_reply_err(b, 451, "4.3.0", te.msg);
		return 0;
	}
	bs_reply(b, "354 end data with <CR><LF>.<CR><LF>");
	r = data_read(b, &d, fatal);
	if (r == 0)
		err_set(fatal, ERR_IOERR,
			"standard input ended inside a message (DATA): "
			"nothing was sent");
	else if (r > 0 && d.too_long)
		bs_reply(b,
			 "500 5.5.2 line too long (more than %d octets): "
			 "message not sent",
			 BS_TEXT_LINE_MAX);
	else if (r > 0 && d.too_big)
		bs_reply(b, "552 5.3.4 message size exceeds fixed limit");
	else if (r > 0) {
		deliver(b, d.fd, &te);
		reply_outcome(b, &te);
	}
	close(d.fd);
	buf_release(&d.w);
	txn_reset(b);
	return r > 0 ? 0 : -1;
}

/* ------------------------------------------------------------ dispatch */

static int cmd_ehlo(struct bs *b, const char *arg, struct err *e)
{
	(void)e;
	return cmd_helo(b, arg, 1);
}

static int cmd_helo_(struct bs *b, const char *arg, struct err *e)
{
	(void)e;
	return cmd_helo(b, arg, 0);
}

static int cmd_mail_(struct bs *b, const char *arg, struct err *e)
{
	(void)e;
	return cmd_mail(b, arg);
}

static int cmd_rcpt_(struct bs *b, const char *arg, struct err *e)
{
	(void)e;
	return cmd_rcpt(b, arg);
}

static int cmd_rset(struct bs *b, const char *arg, struct err *e)
{
	(void)arg;
	(void)e;
	txn_reset(b);
	bs_reply(b, "250 2.0.0 ok");
	return 0;
}

static int cmd_noop(struct bs *b, const char *arg, struct err *e)
{
	(void)arg;
	(void)e;
	bs_reply(b, "250 2.0.0 ok");
	return 0;
}

static int cmd_quit(struct bs *b, const char *arg, struct err *e)
{
	(void)arg;
	(void)e;
	bs_reply(b, "221 2.0.0 %s closing connection", b->host);
	return 1;
}

static int cmd_vrfy(struct bs *b, const char *arg, struct err *e)
{
	(void)arg;
	(void)e;
	bs_reply(b, "252 2.5.0 cannot verify the user, but will accept the "
		    "message");
	return 0;
}

static int cmd_not_offered(struct bs *b, const char *arg, struct err *e)
{
	(void)arg;
	(void)e;
	bs_reply(b, "502 5.5.1 command not implemented");
	return 0;
}

static const struct bs_cmd {
	const char *name;
	int (*fn)(struct bs *b, const char *arg, struct err *e);
} bs_cmds[] = {
	{"EHLO", cmd_ehlo},
	{"HELO", cmd_helo_},
	{"MAIL", cmd_mail_},
	{"RCPT", cmd_rcpt_},
	{"DATA", cmd_data},
	{"RSET", cmd_rset},
	{"NOOP", cmd_noop},
	{"QUIT", cmd_quit},
	{"VRFY", cmd_vrfy},
	{"EXPN", cmd_not_offered},
	{"HELP", cmd_not_offered},
	{"AUTH", cmd_not_offered},
	{"STARTTLS", cmd_not_offered},
	{"BDAT", cmd_not_offered},
	{"ETRN", cmd_not_offered},
	{"TURN", cmd_not_offered},
};

/* 0: go on; 1: QUIT; -1: fatal error in *e. */
static int bs_command(struct bs *b, struct err *e)
{
	const char *s = b->line.data ? b->line.data : "";
	size_t n, i;

	if (b->too_long) {
		bs_reply(b, "500 5.5.2 line too long (more than %d octets)",
			 BS_CMD_LINE_MAX);
		return 0;
	}
	if (memchr(s, '\0', b->line.len)) {
		bs_reply(b, "500 5.5.2 NUL byte in command");
		return 0;
	}
	n = strcspn(s, " ");
	for (i = 0; i < sizeof(bs_cmds) / sizeof(bs_cmds[0]); i++)
		if (strlen(bs_cmds[i].name) == n &&
		    strncasecmp(s, bs_cmds[i].name, n) == 0)
			return bs_cmds[i].fn(b, skip_ws(s + n), e);
	bs_reply(b, "500 5.5.2 command not recognized");
	return 0;
}

/* ----------------------------------------------------------- the loop */

static void bs_hostname(struct bs *b)
{
	size_t i;

	if (gethostname(b->host, sizeof(b->host)) < 0)
		b->host[0] = '\0';
	b->host[sizeof(b->host) - 1] = '\0';
	for (i = 0; b->host[i]; i++)
		if (!isalnum((unsigned char)b->host[i]) &&
		    !strchr(".-_", b->host[i]))
			break;
	if (!b->host[0] || b->host[i])
		snprintf(b->host, sizeof(b->host), "localhost");
}

int bs_run(const struct cli *cli, const struct conf *conf, struct account *a,
	   int in, int out, struct err *e)
{
	struct bs *b = calloc(1, sizeof(*b));
	int r;

	if (!b)
		return err_set(e, ERR_OSERR, "out of memory");
	b->cli = cli;
	b->conf = conf;
	b->a = a;
	b->in = in;
	b->out = out;
	buf_init(&b->line, BS_TEXT_LINE_MAX + 1);
	buf_init(&b->outb, 16 * 1024 * 1024);
	strlist_init(&b->rcpts);
	bs_hostname(b);
	bs_reply(b, "220 %s ESMTP mailhop", b->host);
	do {
		r = bs_getline(b, BS_CMD_LINE_MAX, e);
		if (r > 0)
			r = bs_command(b, e) == 0 ? 1 : -1;
	} while (r > 0);
	/* r: 0 end of input; -1 error, or QUIT when no error is set. */
	if (bs_flush(b, e) < 0 || e->kind != ERR_NONE)
		r = -1;
	else
		r = 0;
	txn_reset(b);
	buf_release(&b->line);
	buf_release(&b->outb);
	free(b);
	return r;
}

void bs_refuse(int out, const struct err *why)
{
	struct err ignored = ERR_INIT;
	struct buf line = BUF_INIT(BS_CMD_LINE_MAX);
	char t[BS_REPLY_TEXT_MAX];

	sanitize(t, sizeof(t), why->msg, strlen(why->msg));
	if (buf_printf(&line, "421 4.3.0 %s\r\n", t) == 0)
		bs_write(out, line.data, line.len, &ignored);
	buf_release(&line);
}
