/*
 * fuzz_smtp.c - the protocol engine (smtp.c) against an arbitrary server:
 * the target plays the session (session.c's driver loop, without I/O),
 * cutting the server's byte stream into lines at LF and feeding them
 * through the reply parser, as the session does.
 *
 * Input: three control bytes, then the server's byte stream (greeting,
 * EHLO reply with whatever capabilities, replies to every command ...).
 *  byte 0: bit 0 LMTP, 1 no pipelining, 2 no chunking, 3 STARTTLS,
 *          4 --serverinfo, 5 batch (up to three messages), 6 send_8bit,
 *          7 authenticate
 *  byte 1: bit 0 8-bit body, 1 a UTF-8 address, 2 UTF-8 header, 3 DSN
 *          (NOTIFY, RET, ENVID), 4-5 recipients - 1, 6 a 20000-byte
 *          message (else 500), 7 no secret available
 *  byte 2: bits 0-3 auth method (0 "on", else mechs[] below), 4 the
 *          connection is TLS from the start, 5 channel binding after
 *          STARTTLS, 6 two BDAT chunks, 7 no user
 *
 * Properties: everything the engine queues is CRLF-ended lines, each
 * either a command of at most SMTP_CMD_MAX octets or a base64 SASL
 * response (or "*"): no server text ever reaches a command; no bare CR
 * or LF; the engine never asks for a reply after ending; it ends within
 * a bounded number of steps; errors are sanitised; DONE carries no error
 * and FAIL/ABORT one; no leak.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "reply.h"
#include "sasl.h"
#include "smtp.h"

#define MAX_STEPS    100000
#define MAX_MESSAGES 3

static const char *const mechs[] = {
	NULL,
	"PLAIN",
	"LOGIN",
	"CRAM-MD5",
	"SCRAM-SHA-1",
	"SCRAM-SHA-256",
	"XOAUTH2",
	"OAUTHBEARER",
	"EXTERNAL",
	"DIGEST-MD5",
	"SCRAM-SHA-256-PLUS",
	"NTLM",
	"BOGUS",
	"PLAIN",
	"LOGIN",
	"XOAUTH2",
};

static const char *const verbs[] = {
	"EHLO ", "HELO ", "LHLO ", "MAIL FROM:", "RCPT TO:", "DATA",
	"BDAT ", "QUIT",  "RSET",  "STARTTLS",	 "AUTH ",    NULL};

struct server {
	const char *d;
	size_t n, pos;
	struct reply_parser rp;
	struct reply r;
};

static int is_b64_line(const char *p, size_t n)
{
	size_t i;

	if (n == 1 && p[0] == '*')
		return 1;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= 'a' && p[i] <= 'z') ||
		      (p[i] >= '0' && p[i] <= '9') || p[i] == '+' ||
		      p[i] == '/' || p[i] == '='))
			return 0;
	return 1;
}

/* What the session would write now: check it, then drop it. */
static void take_output(struct smtp *s)
{
	struct buf *o = smtp_output(s);
	const char *p = o->data ? o->data : "";
	size_t pos = 0;

	FUZZ_ASSERT(fuzz_crlf_only(p, o->len));
	while (pos < o->len) {
		const char *crlf = memmem(p + pos, o->len - pos, "\r\n", 2);
		size_t len, i;
		int cmd = 0;

		FUZZ_ASSERT(crlf != NULL);
		len = (size_t)(crlf - (p + pos));
		FUZZ_ASSERT(memchr(p + pos, '\0', len) == NULL);
		for (i = 0; verbs[i] && !cmd; i++)
			cmd = strncmp(p + pos, verbs[i], strlen(verbs[i])) == 0;
		if (cmd)
			FUZZ_ASSERT(len + 2 <= SMTP_CMD_MAX);
		else
			FUZZ_ASSERT(is_b64_line(p + pos, len));
		pos += len + 2;
	}
	buf_reset(o);
}

/* Read one reply as the session does; 0 when the connection "drops". */
static int read_reply(struct server *sv)
{
	while (sv->pos < sv->n) {
		const char *l = sv->d + sv->pos;
		const char *nl = memchr(l, '\n', sv->n - sv->pos);
		size_t len;
		struct err e = ERR_INIT;
		int r;

		if (!nl)
			return 0; /* EOF inside a line */
		len = (size_t)(nl - l) + 1;
		sv->pos += len;
		if (len > REPLY_LINE_MAX + 2)
			return 0;
		r = reply_feed(&sv->rp, l, len, &sv->r, &e);
		fuzz_check_err(&e);
		if (r < 0)
			return 0;
		if (r == 1)
			return 1;
	}
	return 0;
}

static void send_body(struct smtp *s, int chunks)
{
	struct err e = ERR_INIT;
	int i;

	if (smtp_body_mode(s) == SMTP_BODY_BDAT) {
		for (i = 0; i < chunks; i++) {
			if (smtp_bdat_command(s, 6, i == chunks - 1, &e) < 0)
				break;
			take_output(s);
		}
	}
	fuzz_check_err(&e);
	take_output(s);
	smtp_body_done(s);
}

static void check_end(struct smtp *s, enum smtp_want w, const struct err *e)
{
	const struct smtp_caps *c = smtp_caps(s);
	const struct reply *r;
	char sum[128];

	fuzz_debug(w == SMTP_WANT_DONE	 ? "done"
		   : w == SMTP_WANT_FAIL ? "fail"
					 : "abort",
		   e);
	fuzz_check_err(e);
	if (w == SMTP_WANT_DONE)
		FUZZ_ASSERT(e->kind == ERR_NONE);
	else
		FUZZ_ASSERT(e->kind != ERR_NONE);
	FUZZ_ASSERT(memchr(c->auth, '\0', sizeof(c->auth)) != NULL);
	if ((r = smtp_greeting(s)) != NULL)
		reply_summary(r, sum, sizeof(sum));
	if ((r = smtp_ehlo_reply(s)) != NULL)
		reply_summary(r, sum, sizeof(sum));
	if ((r = smtp_final_reply(s)) != NULL)
		reply_summary(r, sum, sizeof(sum));
	(void)smtp_auth_mech(s);
	(void)smtp_auth_rejected(s);
	(void)smtp_data_sent(s);
}

/* The driver loop of session.c; returns the final want. */
static enum smtp_want play(struct smtp *s, struct server *sv, struct sasl *x,
			   unsigned f1, unsigned f2, struct err *e)
{
	static const char cb[] = "tls-exporter-0123456789abcdef012";
	int steps;

	for (steps = 0; steps < MAX_STEPS; steps++) {
		enum smtp_want w = smtp_next(s, e);
		struct err why = ERR_INIT;

		switch (w) {
		case SMTP_WANT_REPLY:
			take_output(s);
			if (!read_reply(sv)) {
				fuzz_debug("connection lost", e);
				return SMTP_WANT_ABORT;
			}
			FUZZ_ASSERT(smtp_feed_reply(s, &sv->r, e) == 0);
			break;
		case SMTP_WANT_BODY:
			send_body(s, f2 & 0x40 ? 2 : 1);
			break;
		case SMTP_WANT_TLS:
			take_output(s);
			if (x)
				sasl_set_tls(x,
					     f2 & 0x20 ? SASL_CB_TLS_EXPORTER
						       : SASL_CB_NONE,
					     cb, sizeof(cb) - 1, &why);
			smtp_tls_done(s);
			break;
		case SMTP_WANT_SECRET:
			take_output(s);
			if (f1 & 0x80)
				err_set(&why, ERR_CONFIG, "no password");
			smtp_secret_done(s, f1 & 0x80 ? NULL : "pass", &why);
			break;
		case SMTP_WANT_DONE:
		case SMTP_WANT_FAIL:
			take_output(s);
			check_end(s, w, e);
			return w;
		case SMTP_WANT_ABORT:
			check_end(s, w, e);
			return w;
		default:
			FUZZ_ASSERT(!"unknown want");
		}
	}
	FUZZ_ASSERT(!"the engine did not end");
	return SMTP_WANT_ABORT;
}

static struct sasl *make_sasl(unsigned f2)
{
	struct sasl_params p = {mechs[f2 & 15],
				f2 & 0x80 ? NULL : "user",
				"mx.example.org",
				"mx.example.org",
				587,
				NULL};
	struct err e = ERR_INIT;
	struct sasl *x = sasl_new(&p, &e);

	FUZZ_ASSERT(x != NULL);
	if (f2 & 0x10)
		sasl_set_tls(x, SASL_CB_NONE, NULL, 0, &e);
	return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *rcpts[] = {"b@y.org", "c@y.org", "d\xc3\xa9@y.org",
				"e@z.example"};
	struct smtp_config cfg;
	struct envelope env;
	struct server sv;
	struct smtp *s;
	struct err e = ERR_INIT;
	unsigned f0, f1, f2;
	enum smtp_want w;
	int msgs = 1;

	if (size < 3)
		return 0;
	f0 = data[0];
	f1 = data[1];
	f2 = data[2];
	memset(&env, 0, sizeof(env));
	env.from = "a@x.org";
	env.rcpts.v = rcpts;
	env.rcpts.n = ((f1 >> 4) & 3) + 1;
	env.body_8bit = f1 & 1;
	env.needs_smtputf8 = (f1 & 2) != 0;
	env.header_utf8 = (f1 & 4) != 0;
	env.size = f1 & 0x40 ? 20000 : 500;
	if (f1 & 8) {
		env.dsn_notify = "SUCCESS,FAILURE";
		env.dsn_return = "HDRS";
		env.dsn_envid = "QQ314159";
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.protocol = f0 & 1 ? PROTO_LMTP : PROTO_SMTP;
	cfg.helo_domain = "client.example";
	cfg.env = &env;
	cfg.allow_pipelining = !(f0 & 2);
	cfg.allow_chunking = !(f0 & 4);
	cfg.starttls = (f0 & 8) != 0;
	cfg.info_only = (f0 & 16) != 0;
	cfg.batch = (f0 & 32) != 0;
	cfg.send_8bit = (f0 & 64) != 0;
	cfg.server = "mx.example.org";
	cfg.sasl = f0 & 0x80 ? make_sasl(f2) : NULL;

	memset(&sv, 0, sizeof(sv));
	sv.d = (const char *)data + 3;
	sv.n = size - 3;
	reply_parser_init(&sv.rp);
	reply_init(&sv.r);

	s = smtp_new(&cfg);
	FUZZ_ASSERT(s != NULL);
	w = play(s, &sv, cfg.sasl, f1, f2, &e);
	while (cfg.batch && w != SMTP_WANT_ABORT && smtp_reusable(s) &&
	       msgs < MAX_MESSAGES) {
		msgs++;
		err_init(&e);
		if (smtp_next_message(s, &env, &e) < 0)
			break;
		w = play(s, &sv, cfg.sasl, f1, f2, &e);
	}
	if (cfg.batch) {
		smtp_quit(s);
		take_output(s);
	}
	smtp_free(s);
	sasl_free(cfg.sasl);
	reply_release(&sv.r);
	reply_parser_release(&sv.rp);
	return 0;
}
