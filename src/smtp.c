/*
 * smtp.c - the SMTP/LMTP protocol engine (see smtp.h); no I/O.
 *
 * Contract: an explicit state machine (enum smtp_state) driven by
 * smtp_next() and smtp_feed_reply().  Every command is queued by a
 * perform_X() that appends its line to the output buffer and pushes what
 * reply it expects onto a FIFO; the reply is handled by X_resp() (curl's
 * and OpenSMTPD's shape).  Pipelining is the FIFO holding more than one
 * entry.  Nothing is sent before the greeting.
 *
 * Failures: a refusal (4xx/5xx) is recorded (first error wins) and the
 * replies still outstanding in the FIFO are drained, so the decision at
 * the end sees whether a pipelined DATA got 354 (then the dot must never
 * be sent: SMTP_WANT_ABORT).  Otherwise QUIT is queued and SMTP_WANT_FAIL
 * returned.  A 421 or a reply of the wrong class (ERR_PROTOCOL) ends the
 * dialogue at once without draining.
 *
 * Every command line is built in a buffer capped at SMTP_CMD_MAX and
 * refused if it holds a control byte: envelope strings never put CR/LF on
 * the wire, whatever the callers did.  SASL lines (base64 from sasl.c)
 * are the exception: up to SASL_RESPONSE_MAX, and never logged.
 *
 * Authentication sits between the last EHLO and the envelope
 * (after_hello()): ST_SECRET while the session fetches the secret,
 * ST_AUTH while 334 rounds run; a pipelined AUTH (RFC 4954 §4) goes
 * straight to ST_ENVELOPE with its reply first in the FIFO.
 */
#include "smtp.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for a sanitised reply summary inside an error message. */
#define SUMMARY_MAX 400
/* RFC 4422 §3.1: a SASL mechanism name is 1..20 characters. */
#define SASL_MECH_MAX 20

/* Commands whose replies the engine waits for. */
enum smtp_cmd {
	CMD_GREETING,
	CMD_EHLO,
	CMD_HELO,
	CMD_STARTTLS,
	CMD_AUTH, /* AUTH, or a line answering a 334 */
	CMD_MAIL,
	CMD_RCPT,
	CMD_DATA,
	CMD_BDAT,  /* a BDAT chunk that is not the last */
	CMD_FINAL, /* final dot / BDAT LAST (LMTP: one per recipient) */
	CMD_RSET   /* batch mode: between two transactions */
};

struct expect {
	enum smtp_cmd cmd;
	size_t rcpt; /* CMD_RCPT and LMTP CMD_FINAL: recipient index */
};

enum smtp_state {
	ST_INIT,     /* connected; nothing may be sent before the greeting */
	ST_GREETING, /* waiting for the 220 */
	ST_HELLO,    /* EHLO/LHLO, or the HELO fallback, in flight */
	ST_STARTTLS, /* STARTTLS sent alone, waiting for its 220 */
	ST_TLS,	     /* the session runs the handshake (SMTP_WANT_TLS) */
	ST_SECRET,   /* the session fetches the secret (SMTP_WANT_SECRET) */
	ST_AUTH,     /* AUTH and its 334 rounds, not pipelined */
	ST_RSET,     /* batch mode: RSET alone (no PIPELINING) in flight */
	ST_ENVELOPE, /* MAIL, RCPT, DATA queued and answered */
	ST_BODY,     /* the session streams the body */
	ST_FINAL,    /* waiting for the reply(ies) to the final dot */
	ST_DONE,
	ST_FAILED,
	ST_ABORTED,
};

struct smtp {
	struct smtp_config cfg;
	const struct envelope *env;
	enum smtp_state state;
	struct smtp_caps caps;
	struct buf out;
	struct expect *fifo;
	size_t fifo_head, fifo_len, fifo_alloc;
	int pipelining; /* decided after EHLO */
	int bdat;	/* decided after EHLO */
	int use_dsn;	/* asked for and offered */
	int smtputf8;	/* SMTPUTF8 on MAIL: needed or useful, and offered */
	int mail_sent;
	size_t next_rcpt;  /* next RCPT to queue */
	int data_cmd_sent; /* DATA queued */
	int greeted;	   /* the greeting came: QUIT may be sent */
	int in_data_mode;  /* DATA got 354, the body is not sent yet */
	int stop;	   /* end now, do not drain the FIFO */
	int data_pending;  /* a DATA reply was dropped by stop */
	int last_bdat_sent;
	int data_sent; /* final dot / BDAT LAST queued */
	int quit_queued;
	int tls_done;	       /* the handshake after STARTTLS succeeded */
	const char *auth_mech; /* chosen mechanism (sasl.c's table) */
	struct buf auth_ir;    /* initial response too long for AUTH */
	int ir_pending;	       /* auth_ir goes after the server's 334 */
	int auth_pipelined;    /* AUTH went in the envelope's flight */
	int auth_waiting;      /* ... and its reply has not come yet */
	int auth_rejected;     /* the server refused the credentials */
	int auth_failed;       /* AUTH got a failure reply */
	int auth_body;	       /* BDAT LAST went in AUTH's flight */
	int ready;	       /* greeted, TLS and AUTH done: transactions */
	int reusable;	       /* batch: a failed transaction left the
				* dialogue usable for the next one */
	char notify[64];       /* upper-cased NOTIFY= value */
	char ret[16];	       /* upper-cased RET= value */
	struct err err;
	struct reply final;
	int have_final;
	struct reply greeting, ehlo; /* for --serverinfo */
	int have_greeting, have_ehlo;
};

/* ------------------------------------------------------------ helpers */

static int record(struct smtp *s, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int record(struct smtp *s, enum err_kind kind, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(&s->err, kind, "%s", msg);
}

static int is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int has_ctl(const char *str)
{
	for (; *str; str++)
		if (is_ctl((unsigned char)*str))
			return 1;
	return 0;
}

static int has_8bit(const char *str)
{
	for (; *str; str++)
		if ((unsigned char)*str >= 0x80)
			return 1;
	return 0;
}

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int ascii_casecmp_n(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ascii_upper(a[i]) != ascii_upper(b[i]) || !a[i])
			return 1;
	return 0;
}

static int is_lmtp(const struct smtp *s)
{
	return s->cfg.protocol == PROTO_LMTP;
}

static const char *rcpt_at(const struct smtp *s, size_t i)
{
	return s->env->rcpts.v[i];
}

/* ------------------------------------------------------------ FIFO */

static int fifo_push(struct smtp *s, enum smtp_cmd cmd, size_t rcpt)
{
	struct expect *n;
	size_t na;

	if (s->fifo_head > 0 && s->fifo_head + s->fifo_len == s->fifo_alloc) {
		memmove(s->fifo, s->fifo + s->fifo_head,
			s->fifo_len * sizeof(*s->fifo));
		s->fifo_head = 0;
	}
	if (s->fifo_head + s->fifo_len == s->fifo_alloc) {
		na = s->fifo_alloc ? s->fifo_alloc * 2 : 16;
		n = realloc(s->fifo, na * sizeof(*n));
		if (!n)
			return record(s, ERR_OSERR, "out of memory");
		s->fifo = n;
		s->fifo_alloc = na;
	}
	s->fifo[s->fifo_head + s->fifo_len].cmd = cmd;
	s->fifo[s->fifo_head + s->fifo_len].rcpt = rcpt;
	s->fifo_len++;
	return 0;
}

static struct expect fifo_pop(struct smtp *s)
{
	struct expect x = s->fifo[s->fifo_head];

	s->fifo_head++;
	s->fifo_len--;
	if (s->fifo_len == 0)
		s->fifo_head = 0;
	return x;
}

/* Stop at once: drop what is expected, remembering a pending DATA. */
static void fifo_drop(struct smtp *s)
{
	size_t i;

	for (i = 0; i < s->fifo_len; i++)
		if (s->fifo[s->fifo_head + i].cmd == CMD_DATA)
			s->data_pending = 1;
	s->fifo_head = 0;
	s->fifo_len = 0;
}

/* ------------------------------------------------------------ output */

/*
 * Queue one command line (without CRLF) built in c; c is released.
 * Expects the reply described by cmd/rcpt unless cmd is -1 (QUIT).
 */
static int queue_cmd(struct smtp *s, struct buf *c, int cmd, size_t rcpt,
		     int too_long)
{
	const char *line = c->data ? c->data : "";
	int r = -1;

	if (too_long && errno == ENOMEM) {
		record(s, ERR_OSERR, "out of memory");
		goto out;
	}
	if (too_long || c->len + 2 > SMTP_CMD_MAX) {
		record(s, ERR_DATAERR, "command longer than %d octets: %.60s",
		       SMTP_CMD_MAX, line);
		goto out;
	}
	if (has_ctl(line) || strlen(line) != c->len) {
		record(s, ERR_DATAERR,
		       "refusing to send a command holding "
		       "a control character: %.60s",
		       line);
		goto out;
	}
	if (buf_append(&s->out, line, c->len) < 0 ||
	    buf_append(&s->out, "\r\n", 2) < 0) {
		record(s, errno == ENOMEM ? ERR_OSERR : ERR_SOFTWARE,
		       errno == ENOMEM ? "out of memory"
				       : "SMTP output buffer full");
		goto out;
	}
	log_transcript("-->", line, c->len);
	r = cmd < 0 ? 0 : fifo_push(s, (enum smtp_cmd)cmd, rcpt);
out:
	buf_release(c);
	return r;
}

static int queue_simple(struct smtp *s, const char *verb, const char *arg,
			int cmd)
{
	struct buf c = BUF_INIT(SMTP_CMD_MAX);
	int bad = arg ? buf_printf(&c, "%s %s", verb, arg) : buf_puts(&c, verb);

	return queue_cmd(s, &c, cmd, 0, bad < 0);
}

static void queue_quit(struct smtp *s)
{
	if (s->quit_queued || !s->greeted)
		return;
	s->quit_queued = 1;
	/*
	 * Out of memory here costs only the QUIT (the connection is closed
	 * anyway), never the message: it is pipelined after the final dot.
	 */
	if (buf_append(&s->out, "QUIT\r\n", 6) == 0)
		log_transcript("-->", "QUIT", 4);
}

/* ------------------------------------------------------------ replies */

/*
 * Record the failure a non-success reply means: 421 anywhere is the
 * server closing (temporary, stop now); 4xx temporary; 5xx kind5; any
 * other code is out of sequence (ERR_PROTOCOL, stop now).
 */
static void reply_fail(struct smtp *s, const struct reply *r,
		       enum err_kind kind5, const char *cmdname,
		       const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void reply_fail(struct smtp *s, const struct reply *r,
		       enum err_kind kind5, const char *cmdname,
		       const char *fmt, ...)
{
	char what[ERR_MSG_MAX], sum[SUMMARY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	reply_summary(r, sum, sizeof(sum));
	if (r->code == 421) {
		s->stop = 1;
		record(s, ERR_TEMPFAIL, "server is unavailable: %s", sum);
	} else if (r->code / 100 == 4) {
		record(s, ERR_TEMPFAIL, "%s: %s", what, sum);
	} else if (r->code / 100 == 5) {
		record(s, kind5, "%s: %s", what, sum);
	} else {
		s->stop = 1;
		record(s, ERR_PROTOCOL, "unexpected server reply to %s: %s",
		       cmdname, sum);
	}
}

static int keep_reply(struct reply *dst, const struct reply *src)
{
	dst->code = src->code;
	dst->nlines = src->nlines;
	memcpy(dst->enhanced, src->enhanced, sizeof(dst->enhanced));
	buf_reset(&dst->text);
	return buf_append(&dst->text, src->text.data ? src->text.data : "",
			  src->text.len);
}

/* ------------------------------------------------------------ EHLO */

static void cap_flag(struct smtp_caps *c, size_t off, const char *arg,
		     size_t len);
static void cap_size(struct smtp_caps *c, size_t off, const char *arg,
		     size_t len);
static void cap_auth(struct smtp_caps *c, size_t off, const char *arg,
		     size_t len);

/* The EHLO keywords we use (RFC 5321 §4.1.1.1: case-insensitive). */
static const struct {
	const char *name;
	size_t off; /* int flag in struct smtp_caps */
	void (*fn)(struct smtp_caps *c, size_t off, const char *arg,
		   size_t len);
} ehlo_keywords[] = {
	{"PIPELINING", offsetof(struct smtp_caps, pipelining), cap_flag},
	{"SIZE", offsetof(struct smtp_caps, size), cap_size},
	{"8BITMIME", offsetof(struct smtp_caps, eightbitmime), cap_flag},
	{"SMTPUTF8", offsetof(struct smtp_caps, smtputf8), cap_flag},
	{"CHUNKING", offsetof(struct smtp_caps, chunking), cap_flag},
	{"DSN", offsetof(struct smtp_caps, dsn), cap_flag},
	{"ENHANCEDSTATUSCODES", offsetof(struct smtp_caps, enhancedstatuscodes),
	 cap_flag},
	{"STARTTLS", offsetof(struct smtp_caps, starttls), cap_flag},
	{"AUTH", 0, cap_auth},
};

static void cap_flag(struct smtp_caps *c, size_t off, const char *arg,
		     size_t len)
{
	(void)arg;
	(void)len;
	*(int *)(void *)((char *)c + off) = 1;
}

/* RFC 1870: "SIZE [limit]"; a missing, zero or unparsable limit: none. */
static void cap_size(struct smtp_caps *c, size_t off, const char *arg,
		     size_t len)
{
	unsigned long long v = 0;
	size_t i;

	cap_flag(c, off, arg, len);
	c->size_max = 0;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(arg[i] - '0');

		if (d > 9 || v > (~0ULL - d) / 10)
			return;
		v = v * 10 + d;
	}
	c->size_max = v;
}

static int mech_listed(const char *list, const char *m, size_t n)
{
	const char *p = list;

	while (*p) {
		size_t w = strcspn(p, " ");

		if (w == n && memcmp(p, m, n) == 0)
			return 1;
		p += w;
		p += *p == ' ';
	}
	return 0;
}

/*
 * "AUTH PLAIN LOGIN" (or the pre-standard "AUTH=PLAIN LOGIN"): keep each
 * well-formed mechanism name once, upper-cased; names that are not SASL
 * names or that do not fit are dropped (a hostile list cannot overflow).
 */
static void cap_auth(struct smtp_caps *c, size_t off, const char *arg,
		     size_t len)
{
	size_t i = 0, n, k, have;
	char m[SASL_MECH_MAX + 1];

	(void)off;
	while (i < len) {
		for (n = 0; i + n < len && arg[i + n] != ' '; n++)
			;
		for (k = 0; k < n && n <= SASL_MECH_MAX; k++) {
			char ch = ascii_upper(arg[i + k]);

			if (!((ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '-' ||
			      ch == '_'))
				break;
			m[k] = ch;
		}
		have = strlen(c->auth);
		if (n > 0 && k == n && !mech_listed(c->auth, m, n) &&
		    have + (have > 0) + n < sizeof(c->auth)) {
			if (have > 0)
				c->auth[have++] = ' ';
			memcpy(c->auth + have, m, n);
			c->auth[have + n] = '\0';
		}
		i += n + 1;
	}
}

/* One EHLO line: keyword, then ' ' (or '=' for old AUTH=) and params. */
static void parse_ehlo_line(struct smtp_caps *c, const char *l, size_t len)
{
	size_t kw = 0, i;

	while (kw < len && l[kw] != ' ' && l[kw] != '=')
		kw++;
	for (i = 0; i < sizeof(ehlo_keywords) / sizeof(ehlo_keywords[0]); i++) {
		const char *name = ehlo_keywords[i].name;

		if (strlen(name) != kw || ascii_casecmp_n(l, name, kw))
			continue;
		if (kw < len)
			kw++;
		ehlo_keywords[i].fn(c, ehlo_keywords[i].off, l + kw, len - kw);
		return;
	}
}

static void parse_caps(struct smtp_caps *c, const struct reply *r)
{
	const char *t = r->text.data ? r->text.data : "";
	size_t len = r->text.len, i = 0, line = 0;

	while (i < len) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (t + i)) : len - i;

		if (line++ > 0) /* the first line is the server's name */
			parse_ehlo_line(c, t + i, n);
		i += n + 1;
	}
	c->esmtp = 1;
}

/* ------------------------------------------------------------ checks */

/*
 * A DSN value goes on the wire as one ESMTP parameter: it must be
 * printable ASCII without space or '=' (RFC 3461 §4: xtext).  With dst
 * it is also copied there upper-cased (NOTIFY, RET); dst NULL only checks
 * (ENVID is case-sensitive and sent as given).
 */
static int dsn_value(struct smtp *s, const char *what, const char *v, char *dst,
		     size_t dstsz)
{
	size_t i, n = strlen(v);

	if (n == 0 || (dst && n >= dstsz))
		return record(s, ERR_DATAERR, "invalid DSN %s '%.40s'", what,
			      v);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];

		if (ch <= ' ' || ch >= 0x7f || ch == '=')
			return record(s, ERR_DATAERR, "invalid DSN %s '%.40s'",
				      what, v);
		if (dst)
			dst[i] = ascii_upper((char)ch);
	}
	if (dst)
		dst[n] = '\0';
	return 0;
}

/* Defence in depth: nothing with a control byte reaches a command. */
static int check_address(struct smtp *s, const char *a, const char *role)
{
	if (!a)
		return record(s, ERR_SOFTWARE, "no %s address", role);
	if (has_ctl(a))
		return record(s, ERR_DATAERR,
			      "invalid %s address <%s>: it holds a control "
			      "character",
			      role, a);
	return 0;
}

/* Before anything is sent: the envelope and config are sane. */
static int check_start(struct smtp *s)
{
	const struct envelope *env = s->env;
	const char *d = s->cfg.helo_domain;
	size_t i;

	if (!d || !*d || has_ctl(d) || strchr(d, ' '))
		return record(s, ERR_CONFIG, "invalid domain for EHLO: '%s'",
			      d ? d : "");
	if (s->cfg.info_only)
		return 0; /* no envelope */
	if (check_address(s, env->from, "sender") < 0)
		return -1;
	if (env->rcpts.n == 0)
		return record(s, ERR_USAGE, "no recipients");
	for (i = 0; i < env->rcpts.n; i++)
		if (check_address(s, rcpt_at(s, i), "recipient") < 0)
			return -1;
	if (env->dsn_notify && dsn_value(s, "notify", env->dsn_notify,
					 s->notify, sizeof(s->notify)) < 0)
		return -1;
	if (env->dsn_return &&
	    dsn_value(s, "return", env->dsn_return, s->ret, sizeof(s->ret)) < 0)
		return -1;
	if (env->dsn_envid &&
	    dsn_value(s, "envelope id", env->dsn_envid, NULL, 0) < 0)
		return -1;
	return 0;
}

/* The first envelope address with a non-ASCII byte, or NULL. */
static const char *utf8_address(const struct smtp *s)
{
	const struct envelope *env = s->env;
	size_t i;

	if (has_8bit(env->from))
		return env->from;
	for (i = 0; i < env->rcpts.n; i++)
		if (has_8bit(rcpt_at(s, i)))
			return rcpt_at(s, i);
	return NULL;
}

/*
 * RFC 6531 §3.2: a UTF-8 address (envelope.c left only local parts
 * non-ASCII) needs SMTPUTF8.  RFC 6152 §3: 8-bit data needs 8BITMIME,
 * unless the account says to send it anyway (send_8bit_without_8bitmime,
 * what most clients do; the server may then strip the 8th bit).
 */
static int check_utf8(struct smtp *s)
{
	const struct envelope *env = s->env;
	const struct smtp_caps *c = &s->caps;
	const char *a;

	if (env->needs_smtputf8 && !c->smtputf8) {
		a = utf8_address(s);
		return record(s, ERR_DATAERR,
			      "address <%s> needs SMTPUTF8, which %s%s%s does "
			      "not offer",
			      a ? a : "",
			      s->cfg.server ? "server '" : "the server",
			      s->cfg.server ? s->cfg.server : "",
			      s->cfg.server ? "'" : "");
	}
	if (env->body_8bit && !c->eightbitmime) {
		if (!env->send_8bit && !s->cfg.send_8bit)
			return record(s, ERR_DATAERR,
				      "the message has 8-bit data but the "
				      "server does not offer 8BITMIME (set "
				      "send_8bit_without_8bitmime on to send "
				      "it anyway)");
		log_debug("the server does not offer 8BITMIME: sending the "
			  "8-bit message without BODY=8BITMIME "
			  "(send_8bit_without_8bitmime)");
	}
	s->smtputf8 = c->smtputf8 && (env->needs_smtputf8 || env->header_utf8);
	return 0;
}

/* After EHLO: what the server's extensions allow for this message. */
static int check_extensions(struct smtp *s)
{
	const struct envelope *env = s->env;
	const struct smtp_caps *c = &s->caps;
	int want_dsn = env->dsn_notify || env->dsn_return || env->dsn_envid;

	if (c->size && c->size_max > 0 && env->size > 0 &&
	    (unsigned long long)env->size > c->size_max)
		return record(s, ERR_DATAERR,
			      "message size %llu exceeds the server's limit "
			      "of %llu",
			      (unsigned long long)env->size, c->size_max);
	if (check_utf8(s) < 0)
		return -1;
	s->use_dsn = want_dsn && c->dsn;
	if (want_dsn && !c->dsn)
		log_debug("the server does not offer DSN: sending without "
			  "the DSN request");
	s->pipelining = s->cfg.allow_pipelining && c->pipelining;
	s->bdat = s->pipelining && s->cfg.allow_chunking && c->chunking;
	return 0;
}

/* ------------------------------------------------------------ perform */

static int perform_hello(struct smtp *s, int helo)
{
	const char *verb = helo ? "HELO" : is_lmtp(s) ? "LHLO" : "EHLO";

	memset(&s->caps, 0, sizeof(s->caps));
	s->state = ST_HELLO;
	return queue_simple(s, verb, s->cfg.helo_domain,
			    helo ? CMD_HELO : CMD_EHLO);
}

/* RFC 3207 §4: STARTTLS goes alone; nothing may follow it in a flight. */
static int perform_starttls(struct smtp *s)
{
	s->state = ST_STARTTLS;
	return queue_simple(s, "STARTTLS", NULL, CMD_STARTTLS);
}

static int perform_mail(struct smtp *s)
{
	const struct envelope *env = s->env;
	struct buf c = BUF_INIT(SMTP_CMD_MAX);
	int bad = buf_printf(&c, "MAIL FROM:<%s>", env->from);

	if (s->caps.size)
		bad |= buf_printf(&c, " SIZE=%llu",
				  env->size > 0 ? (unsigned long long)env->size
						: 0ULL);
	if (env->body_8bit && s->caps.eightbitmime)
		bad |= buf_puts(&c, " BODY=8BITMIME");
	if (s->smtputf8)
		bad |= buf_puts(&c, " SMTPUTF8");
	if (s->use_dsn && env->dsn_return)
		bad |= buf_printf(&c, " RET=%s", s->ret);
	if (s->use_dsn && env->dsn_envid)
		bad |= buf_printf(&c, " ENVID=%s", env->dsn_envid);
	s->mail_sent = 1;
	return queue_cmd(s, &c, CMD_MAIL, 0, bad < 0);
}

static int perform_rcpt(struct smtp *s)
{
	size_t i = s->next_rcpt++;
	struct buf c = BUF_INIT(SMTP_CMD_MAX);
	int bad = buf_printf(&c, "RCPT TO:<%s>", rcpt_at(s, i));

	if (s->use_dsn && s->env->dsn_notify)
		bad |= buf_printf(&c, " NOTIFY=%s", s->notify);
	return queue_cmd(s, &c, CMD_RCPT, i, bad < 0);
}

static int perform_data(struct smtp *s)
{
	s->data_cmd_sent = 1;
	return queue_simple(s, "DATA", NULL, CMD_DATA);
}

/* The reply(ies) to the end of the data: LMTP has one per recipient. */
static int expect_final(struct smtp *s)
{
	size_t i, n = is_lmtp(s) ? s->env->rcpts.n : 1;

	s->data_sent = 1;
	for (i = 0; i < n; i++)
		if (fifo_push(s, CMD_FINAL, i) < 0)
			return -1;
	return 0;
}

/* The body may go in the same flight as a pipelined AUTH (smtp.h). */
static int body_with_auth(const struct smtp *s)
{
	return !is_lmtp(s) && !s->cfg.batch && s->env->size > 0 &&
	       s->env->size <= SMTP_AUTH_BODY_MAX;
}

/*
 * Queue the next flight of the envelope; called when nothing is
 * outstanding.  With PIPELINING: MAIL, up to SMTP_PIPELINE_RCPTS RCPTs
 * and (once every RCPT is queued) DATA in one flight; with BDAT and one
 * recipient the body follows in the same flight, with several it waits
 * for the RCPT replies.  Without PIPELINING: one command per reply.
 */
static int pump_flight(struct smtp *s)
{
	size_t n = s->env->rcpts.n, batch = 0;

	if (!s->mail_sent) {
		if (perform_mail(s) < 0)
			return -1;
		if (!s->pipelining)
			return 0;
	}
	while (s->next_rcpt < n) {
		if (batch == (s->pipelining ? SMTP_PIPELINE_RCPTS : 1))
			return 0;
		if (perform_rcpt(s) < 0)
			return -1;
		batch++;
	}
	if (s->data_cmd_sent || (!s->pipelining && batch > 0))
		return 0;
	if (!s->bdat)
		return perform_data(s);
	/* One recipient: BDAT in the same flight (with AUTH: if small). */
	if ((n == 1 && (!s->auth_waiting || body_with_auth(s))) ||
	    s->fifo_len == 0) {
		s->auth_body = s->auth_waiting;
		s->state = ST_BODY;
	}
	return 0;
}

/* Forget what was queued after the marks (output and FIFO). */
static void rollback(struct smtp *s, size_t mark, size_t fifo_mark)
{
	if (s->out.data)
		explicit_bzero(s->out.data + mark, s->out.len - mark);
	s->out.len = mark;
	if (s->out.data)
		s->out.data[mark] = '\0';
	s->fifo_len = fifo_mark;
	if (fifo_mark == 0)
		s->fifo_head = 0;
}

/* A flight is all-or-nothing: a command that cannot be built sends none. */
static int envelope_pump(struct smtp *s)
{
	size_t mark = s->out.len, fifo_mark = s->fifo_len;

	if (pump_flight(s) == 0)
		return 0;
	rollback(s, mark, fifo_mark);
	return -1;
}

static void start_envelope(struct smtp *s)
{
	s->ready = 1;
	s->state = ST_ENVELOPE;
	envelope_pump(s);
}

/* ------------------------------------------------------------ AUTH */

static void record_err(struct smtp *s, const struct err *e)
{
	record(s, e->kind != ERR_NONE ? e->kind : ERR_SOFTWARE, "%s",
	       e->msg[0] ? e->msg : "authentication failed");
}

/*
 * Queue one SASL line: prefix (may be NULL) and a base64 payload (an
 * empty one as "=" after a prefix).  Base64 and mechanism names hold no
 * control bytes; the line is logged redacted.
 */
static int queue_sasl(struct smtp *s, const char *prefix, const struct buf *b64,
		      int hidden)
{
	size_t mark = s->out.len;
	const char *p = b64 && b64->len ? b64->data : prefix ? "=" : "";
	int bad = 0;

	if (prefix)
		bad |= buf_puts(&s->out, prefix);
	if (prefix && b64)
		bad |= buf_putc(&s->out, ' ');
	if (b64)
		bad |= buf_puts(&s->out, p);
	bad |= buf_append(&s->out, "\r\n", 2);
	if (bad) {
		rollback(s, mark, s->fifo_len);
		if (errno == ENOMEM)
			return record(s, ERR_OSERR, "out of memory");
		return record(s, ERR_SOFTWARE, "SMTP output buffer full");
	}
	if (hidden)
		log_transcript_hidden("-->");
	else /* "AUTH PLAIN <ir>" keeps only the mechanism (log.c) */
		log_transcript("-->", s->out.data + mark, s->out.len - mark);
	return fifo_push(s, CMD_AUTH, 0);
}

/*
 * AUTH with its initial response on the line when the client speaks
 * first and the line fits SMTP_CMD_MAX (RFC 4954 §4: else the response
 * follows the server's empty 334).  RFC 4954 §4 lets AUTH be pipelined
 * only "when the AUTH command contains an initial response for a SASL
 * mechanism that allows the client to send data first, the SASL
 * mechanism is known to complete in one round-trip, and a security
 * layer is not negotiated": PLAIN and EXTERNAL (sasl_pipelinable()).
 */
static void perform_auth(struct smtp *s)
{
	struct err e = ERR_INIT;
	char verb[sizeof("AUTH ") + SASL_MECH_NAME_MAX];
	size_t mark = s->out.len, fifo_mark = s->fifo_len, line;
	int has_ir = 0, inline_ir;

	snprintf(verb, sizeof(verb), "AUTH %s", s->auth_mech);
	buf_release_secret(&s->auth_ir);
	if (sasl_start(s->cfg.sasl, s->auth_mech, &s->auth_ir, &has_ir, &e) <
	    0) {
		record_err(s, &e);
		return;
	}
	/* "AUTH MECH " + the response ("=" when empty) + CRLF */
	line = strlen(verb) + 1 + (s->auth_ir.len ? s->auth_ir.len : 1) + 2;
	inline_ir = has_ir && line <= SMTP_CMD_MAX;
	s->ir_pending = has_ir && !inline_ir;
	if (queue_sasl(s, verb, inline_ir ? &s->auth_ir : NULL, 0) < 0)
		return;
	if (inline_ir)
		buf_release_secret(&s->auth_ir);
	if (inline_ir && s->pipelining && sasl_pipelinable(s->auth_mech)) {
		s->auth_pipelined = 1;
		s->auth_waiting = 1;
		s->state = ST_ENVELOPE;
		if (envelope_pump(s) < 0)
			rollback(s, mark, fifo_mark); /* nor the AUTH */
		return;
	}
	s->state = ST_AUTH;
}

static void start_auth(struct smtp *s)
{
	struct err e = ERR_INIT;

	if (sasl_choose(s->cfg.sasl, s->caps.auth, &s->auth_mech, &e) < 0) {
		record_err(s, &e);
		return;
	}
	if (sasl_needs_secret(s->auth_mech)) {
		s->state = ST_SECRET; /* smtp_next(): SMTP_WANT_SECRET */
		return;
	}
	perform_auth(s);
}

/* A 334: the next step of the mechanism, or "*" to cancel it. */
static void auth_challenge(struct smtp *s, const struct reply *r)
{
	struct buf resp = BUF_INIT(SASL_RESPONSE_MAX);
	struct err e = ERR_INIT;
	const char *text = r->text.data ? r->text.data : "";
	struct buf cancel = BUF_INIT(2);

	if (s->auth_pipelined) {
		/* Our next pipelined command would be taken as the answer. */
		s->stop = 1;
		record(s, ERR_PROTOCOL,
		       "unexpected server reply to AUTH %s with an initial "
		       "response: 334",
		       s->auth_mech);
		return;
	}
	if (s->ir_pending) {
		s->ir_pending = 0;
		queue_sasl(s, NULL, &s->auth_ir, 1);
		buf_release_secret(&s->auth_ir);
		return;
	}
	if (r->nlines != 1)
		err_set(&e, ERR_PROTOCOL,
			"%s challenge of several lines from the server",
			s->auth_mech);
	if (e.kind == ERR_NONE &&
	    sasl_step(s->cfg.sasl, text, r->text.len, &resp, &e) == 0) {
		queue_sasl(s, NULL, &resp, 1);
	} else {
		record_err(s, &e);
		buf_puts(&cancel, "*"); /* RFC 4954 §4: cancel; 501 drained */
		queue_sasl(s, NULL, &cancel, 1);
	}
	buf_release_secret(&resp);
	buf_release(&cancel);
}

static void auth_resp(struct smtp *s, const struct reply *r)
{
	struct err e = ERR_INIT;
	const char *detail = sasl_detail(s->cfg.sasl);

	s->auth_waiting = 0;
	if (r->code == 334) {
		auth_challenge(s, r);
		return;
	}
	if (r->code == 235) {
		if (sasl_complete(s->cfg.sasl, &e) < 0)
			record_err(s, &e);
		else if (!s->auth_pipelined)
			start_envelope(s);
		else
			s->ready = 1;
		return;
	}
	if (r->code == 535 ||
	    (r->code / 100 == 5 && sasl_rejected(s->cfg.sasl)))
		s->auth_rejected = 1;
	s->auth_failed = 1;
	if (detail[0])
		reply_fail(s, r, ERR_NOPERM, "AUTH",
			   "authentication failed (the server said %s)",
			   detail);
	else
		reply_fail(s, r, ERR_NOPERM, "AUTH", "authentication failed");
}

/* ------------------------------------------------------------ _resp */

/* Keep a copy of a reply for --serverinfo; 1 when kept. */
static int keep_copy(struct smtp *s, struct reply *dst, const struct reply *r)
{
	if (keep_reply(dst, r) == 0)
		return 1;
	record(s, ERR_OSERR, "out of memory");
	return 0;
}

static void greeting_resp(struct smtp *s, const struct reply *r)
{
	s->greeted = 1;
	s->have_greeting = keep_copy(s, &s->greeting, r);
	if (r->code == 220) {
		perform_hello(s, 0);
		return;
	}
	reply_fail(s, r, ERR_UNAVAILABLE, "the greeting",
		   "server is unavailable");
	s->stop = 1;
}

/*
 * EHLO (or HELO) accepted: STARTTLS first when wanted (TLS or nothing:
 * never go on in plain text), then the envelope, or the end in info mode.
 */
static void after_hello(struct smtp *s, int helo)
{
	if (s->cfg.starttls && !s->tls_done) {
		if (!helo && s->caps.starttls)
			perform_starttls(s);
		else if (s->cfg.server)
			record(s, ERR_TEMPFAIL,
			       "server '%s' does not offer STARTTLS",
			       s->cfg.server);
		else
			record(s, ERR_TEMPFAIL,
			       "the server does not offer STARTTLS");
		return;
	}
	if (s->cfg.info_only) {
		/* The report needs the greeting and EHLO copies (keep_copy). */
		if (s->err.kind != ERR_NONE) {
			s->stop = 1;
			return;
		}
		s->state = ST_DONE;
		queue_quit(s);
		return;
	}
	/* Local checks first: no secret is fetched for a doomed message. */
	if (check_extensions(s) < 0)
		return;
	if (s->cfg.sasl)
		start_auth(s);
	else
		start_envelope(s);
}

static void starttls_resp(struct smtp *s, const struct reply *r)
{
	if (r->code == 220) {
		s->state = ST_TLS;
		return;
	}
	/* 454, 501, 502 ...: a refusal is temporary (no plain fallback). */
	reply_fail(s, r, ERR_TEMPFAIL, "STARTTLS", "server refused STARTTLS");
}

static void ehlo_resp(struct smtp *s, const struct reply *r, int helo)
{
	const char *verb = helo ? "HELO" : is_lmtp(s) ? "LHLO" : "EHLO";

	if (r->code / 100 == 2) {
		if (!helo)
			parse_caps(&s->caps, r);
		s->have_ehlo = keep_copy(s, &s->ehlo, r);
		after_hello(s, helo);
	} else if (r->code / 100 == 5 && !helo && !is_lmtp(s)) {
		/* RFC 5321 §3.2: an old server; say HELO instead. */
		perform_hello(s, 1);
	} else {
		reply_fail(s, r, ERR_UNAVAILABLE, verb, "server refused %s",
			   verb);
	}
}

static const char *sender(const struct smtp *s)
{
	return s->env->from;
}

static void envelope_resp(struct smtp *s, const struct reply *r,
			  const struct expect *x)
{
	if (x->cmd == CMD_MAIL && r->code / 100 != 2)
		reply_fail(s, r, ERR_DATAERR, "MAIL FROM",
			   "server refused the sender <%s>", sender(s));
	else if (x->cmd == CMD_RCPT && r->code / 100 != 2)
		reply_fail(s, r, ERR_NOUSER, "RCPT TO",
			   "server refused recipient <%s>",
			   rcpt_at(s, x->rcpt));
}

static void data_resp(struct smtp *s, const struct reply *r)
{
	if (r->code == 354) {
		s->in_data_mode = 1;
		s->state = ST_BODY;
		return;
	}
	reply_fail(s, r, ERR_UNAVAILABLE, "DATA", "server refused the message");
}

static void final_resp(struct smtp *s, const struct reply *r,
		       const struct expect *x)
{
	if (r->code / 100 == 2) {
		/* The text is for the log: the message is accepted anyway. */
		if (keep_reply(&s->final, r) < 0)
			buf_reset(&s->final.text);
		s->have_final = 1;
	} else if (is_lmtp(s)) {
		reply_fail(s, r, ERR_NOUSER, "the message data",
			   "server refused the message for recipient <%s>",
			   rcpt_at(s, x->rcpt));
	} else {
		reply_fail(s, r, ERR_UNAVAILABLE, "the message data",
			   "server refused the message");
	}
}

/*
 * Batch mode: the server must forget the last transaction.  A refusal
 * leaves the dialogue in an unknown state: stop using the connection.
 */
static void rset_resp(struct smtp *s, const struct reply *r)
{
	if (r->code / 100 == 2) {
		if (s->state == ST_RSET)
			start_envelope(s);
		return;
	}
	reply_fail(s, r, ERR_TEMPFAIL, "RSET", "server refused RSET");
	s->stop = 1;
}

/*
 * After a failure: look for a 354 (the server waits for data), and for
 * a message the server took although the AUTH in its flight failed.
 */
static void drain_resp(struct smtp *s, const struct reply *r,
		       const struct expect *x)
{
	if (x->cmd == CMD_DATA && r->code == 354)
		s->in_data_mode = 1;
	if (r->code == 421)
		s->stop = 1;
	if (x->cmd == CMD_FINAL && r->code / 100 == 2 && s->auth_body &&
	    s->auth_failed) {
		/* Delivered: a failure now would send it again (smtp.h). */
		log_warn("warning: the server accepted the message although "
			 "%s",
			 s->err.msg);
		err_init(&s->err);
		final_resp(s, r, x);
	}
}

static void dispatch(struct smtp *s, const struct reply *r,
		     const struct expect *x)
{
	switch (x->cmd) {
	case CMD_GREETING:
		greeting_resp(s, r);
		break;
	case CMD_EHLO:
	case CMD_HELO:
		ehlo_resp(s, r, x->cmd == CMD_HELO);
		break;
	case CMD_STARTTLS:
		starttls_resp(s, r);
		break;
	case CMD_AUTH:
		auth_resp(s, r);
		break;
	case CMD_MAIL:
	case CMD_RCPT:
		envelope_resp(s, r, x);
		break;
	case CMD_DATA:
		data_resp(s, r);
		break;
	case CMD_BDAT:
		if (r->code / 100 != 2)
			reply_fail(s, r, ERR_UNAVAILABLE, "BDAT",
				   "server refused the message");
		break;
	case CMD_FINAL:
		final_resp(s, r, x);
		break;
	case CMD_RSET:
		rset_resp(s, r);
		break;
	}
}

/* ------------------------------------------------------------ public */

struct smtp *smtp_new(const struct smtp_config *cfg)
{
	struct smtp *s;

	if (!cfg || (!cfg->env && !cfg->info_only))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cfg = *cfg;
	s->env = cfg->env;
	s->state = ST_INIT;
	buf_init(&s->out, SMTP_OUT_MAX);
	buf_set_secret(&s->out); /* AUTH responses pass through it */
	buf_init(&s->auth_ir, SASL_RESPONSE_MAX);
	buf_set_secret(&s->auth_ir);
	err_init(&s->err);
	reply_init(&s->final);
	reply_init(&s->greeting);
	reply_init(&s->ehlo);
	return s;
}

void smtp_free(struct smtp *s)
{
	if (!s)
		return;
	buf_release_secret(&s->out); /* may hold a SASL response */
	buf_release_secret(&s->auth_ir);
	reply_release(&s->final);
	reply_release(&s->greeting);
	reply_release(&s->ehlo);
	free(s->fifo);
	free(s);
}

struct buf *smtp_output(struct smtp *s)
{
	return &s->out;
}

enum smtp_body_mode smtp_body_mode(const struct smtp *s)
{
	return s->bdat ? SMTP_BODY_BDAT : SMTP_BODY_DATA;
}

const struct smtp_caps *smtp_caps(const struct smtp *s)
{
	return &s->caps;
}

const struct reply *smtp_final_reply(const struct smtp *s)
{
	return s->have_final ? &s->final : NULL;
}

int smtp_data_sent(const struct smtp *s)
{
	return s->data_sent;
}

const struct reply *smtp_greeting(const struct smtp *s)
{
	return s->have_greeting ? &s->greeting : NULL;
}

const struct reply *smtp_ehlo_reply(const struct smtp *s)
{
	return s->have_ehlo ? &s->ehlo : NULL;
}

void smtp_tls_done(struct smtp *s)
{
	if (s->state != ST_TLS) {
		s->stop = 1;
		record(s, ERR_SOFTWARE, "TLS started out of sequence");
		return;
	}
	/* RFC 3207 §4.2: forget what was learnt before TLS; ask again. */
	s->tls_done = 1;
	s->have_ehlo = 0;
	perform_hello(s, 0);
}

/*
 * The end of a failed dialogue: when the server waits for message data
 * (DATA got 354, or a pipelined DATA's reply was never read) only
 * closing the connection is safe; otherwise say QUIT.
 */
static enum smtp_want finish_fail(struct smtp *s, struct err *e)
{
	err_set(e, s->err.kind, "%s", s->err.msg);
	if (s->state != ST_FAILED && s->state != ST_ABORTED)
		s->reusable = s->cfg.batch && s->ready && !s->stop &&
			      !s->in_data_mode && !s->data_pending &&
			      s->state != ST_BODY;
	if (s->state == ST_ABORTED ||
	    (s->state != ST_FAILED && (s->in_data_mode || s->data_pending))) {
		s->state = ST_ABORTED;
		return SMTP_WANT_ABORT;
	}
	if (s->state != ST_FAILED && !s->reusable)
		queue_quit(s);
	s->state = ST_FAILED;
	return SMTP_WANT_FAIL;
}

enum smtp_want smtp_next(struct smtp *s, struct err *e)
{
	if (s->state == ST_FAILED || s->state == ST_ABORTED)
		return finish_fail(s, e);
	if (s->state == ST_DONE)
		return SMTP_WANT_DONE;
	if (s->state == ST_INIT && s->err.kind == ERR_NONE &&
	    check_start(s) == 0) {
		/* Nothing is sent before the greeting. */
		s->state = ST_GREETING;
		fifo_push(s, CMD_GREETING, 0);
	}
	if (s->err.kind != ERR_NONE &&
	    (s->stop || s->fifo_len == 0 || s->state == ST_BODY))
		return finish_fail(s, e);
	if (s->state == ST_BODY)
		return SMTP_WANT_BODY;
	if (s->state == ST_TLS)
		return SMTP_WANT_TLS;
	if (s->state == ST_SECRET)
		return SMTP_WANT_SECRET;
	if (s->fifo_len > 0)
		return SMTP_WANT_REPLY;
	if (s->state == ST_FINAL) {
		s->state = ST_DONE;
		return SMTP_WANT_DONE;
	}
	record(s, ERR_SOFTWARE, "SMTP engine stalled in state %d",
	       (int)s->state);
	return finish_fail(s, e);
}

int smtp_feed_reply(struct smtp *s, const struct reply *r, struct err *e)
{
	struct expect x;

	if (s->fifo_len == 0 || s->state == ST_BODY || s->state == ST_DONE ||
	    s->state == ST_FAILED || s->state == ST_ABORTED) {
		s->stop = 1;
		record(s, ERR_SOFTWARE,
		       "SMTP reply fed when none was "
		       "expected");
		return err_set(e, s->err.kind, "%s", s->err.msg);
	}
	x = fifo_pop(s);
	if (s->err.kind != ERR_NONE) {
		drain_resp(s, r, &x);
		if (s->err.kind == ERR_NONE)
			err_init(e); /* the failure told before is void */
	} else {
		dispatch(s, r, &x);
	}
	if (s->stop)
		fifo_drop(s);
	if (s->err.kind != ERR_NONE) {
		/* At once, so it beats a later "connection lost". */
		err_set(e, s->err.kind, "%s", s->err.msg);
	} else if (s->fifo_len == 0 && s->state == ST_ENVELOPE) {
		envelope_pump(s);
	}
	return 0;
}

int smtp_bdat_command(struct smtp *s, size_t len, int last, struct err *e)
{
	struct buf c = BUF_INIT(SMTP_CMD_MAX);
	int bad;

	if (s->state != ST_BODY || !s->bdat || s->last_bdat_sent)
		return err_set(e, ERR_SOFTWARE, "BDAT chunk out of sequence");
	bad = buf_printf(&c, "BDAT %zu%s", len, last ? " LAST" : "");
	if (queue_cmd(s, &c, last ? -1 : CMD_BDAT, 0, bad < 0) < 0 ||
	    (last && expect_final(s) < 0))
		return err_set(e, s->err.kind, "%s", s->err.msg);
	if (last)
		s->last_bdat_sent = 1;
	return 0;
}

void smtp_body_done(struct smtp *s)
{
	if (s->state != ST_BODY) {
		record(s, ERR_SOFTWARE, "message body out of sequence");
		return;
	}
	if (s->bdat && !s->last_bdat_sent) {
		record(s, ERR_SOFTWARE, "message body ended without BDAT LAST");
	} else if (!s->bdat && expect_final(s) < 0) {
		return;
	}
	s->in_data_mode = 0;
	s->state = ST_FINAL;
	if (!s->cfg.batch)
		queue_quit(s);
}

void smtp_secret_done(struct smtp *s, const char *secret, const struct err *why)
{
	struct err e = ERR_INIT;

	if (s->state != ST_SECRET) {
		s->stop = 1;
		record(s, ERR_SOFTWARE, "secret handed over out of sequence");
		return;
	}
	if (!secret) {
		s->state = ST_AUTH;
		if (why && why->kind != ERR_NONE)
			record_err(s, why);
		else
			record(s, ERR_CONFIG, "no secret for authentication");
		return;
	}
	if (sasl_set_secret(s->cfg.sasl, secret, &e) < 0) {
		s->state = ST_AUTH;
		record_err(s, &e);
		return;
	}
	perform_auth(s);
}

const char *smtp_auth_mech(const struct smtp *s)
{
	return s->auth_mech;
}

int smtp_auth_rejected(const struct smtp *s)
{
	return s->auth_rejected;
}

/* ------------------------------------------------------------ batch */

int smtp_reusable(const struct smtp *s)
{
	return s->cfg.batch && s->ready && !s->quit_queued &&
	       (s->state == ST_DONE || (s->state == ST_FAILED && s->reusable));
}

/* Forget everything about the last transaction. */
static void reset_transaction(struct smtp *s, const struct envelope *env)
{
	s->env = env;
	s->cfg.env = env;
	s->use_dsn = 0;
	s->smtputf8 = 0;
	s->mail_sent = 0;
	s->next_rcpt = 0;
	s->data_cmd_sent = 0;
	s->in_data_mode = 0;
	s->data_pending = 0;
	s->last_bdat_sent = 0;
	s->data_sent = 0;
	s->auth_pipelined = 0;
	s->auth_waiting = 0;
	s->have_final = 0;
	s->reusable = 0;
	s->notify[0] = '\0';
	s->ret[0] = '\0';
	err_init(&s->err);
}

/*
 * RFC 2920 §3.1 lets RSET appear anywhere in a pipelined group, so with
 * PIPELINING it goes in the same flight as the next MAIL, RCPTs and DATA.
 * Checks that need no server (addresses, DSN values, SIZE, 8BITMIME)
 * run first: a message failing them sends nothing and the dialogue stays
 * usable.
 */
int smtp_next_message(struct smtp *s, const struct envelope *env, struct err *e)
{
	if (!env || !smtp_reusable(s))
		return err_set(e, ERR_SOFTWARE,
			       "SMTP batch continued out of sequence");
	reset_transaction(s, env);
	s->state = ST_ENVELOPE;
	if (check_start(s) < 0 || check_extensions(s) < 0)
		return 0; /* smtp_next() reports it: SMTP_WANT_FAIL */
	if (queue_simple(s, "RSET", NULL, CMD_RSET) < 0)
		return 0;
	if (s->pipelining)
		start_envelope(s);
	else
		s->state = ST_RSET;
	return 0;
}

void smtp_quit(struct smtp *s)
{
	if (s->state != ST_ABORTED) /* the server waits for data */
		queue_quit(s);
}
