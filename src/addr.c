/*
 * addr.c - RFC 5322 address lists and envelope address checks.
 *
 * Contract (see addr.h): no I/O.  addr_list_parse() is a small lexer
 * (CFWS, atoms, quoted strings, domain literals, specials) under a
 * recursive-descent parser for address-list / mailbox-list / group /
 * angle-addr / addr-spec, lenient where real mailers are sloppy (missing
 * ';' after a group, whitespace-separated addresses, obsolete routes) and
 * strict about bytes that could smuggle a second SMTP command (CR, LF,
 * NUL, controls).  Every output address is a malloc'd string in a
 * struct strlist.
 */
#include "addr.h"
#include "buf.h"
#include "idn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Nested comments deeper than this are refused: no mailer writes them. */
#define ADDR_COMMENT_DEPTH_MAX 32
/* How much of a bad input an error message quotes. */
#define ADDR_ERR_QUOTE 200

enum tok_kind { T_END = 0, T_ATOM, T_QUOTED, T_LITERAL, T_SPECIAL };

struct tok {
	enum tok_kind kind;
	const char *p;
	size_t n;
	int ws; /* CFWS came before it */
};

struct lexer {
	const char *s;
	size_t len;
	size_t pos;
	struct tok cur;
	const char *why; /* first error, NULL if none */
};

/* ---- strlist ---------------------------------------------------------- */

void strlist_init(struct strlist *l)
{
	l->v = NULL;
	l->n = 0;
	l->alloc = 0;
}

void strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	strlist_init(l);
}

int strlist_add(struct strlist *l, const char *s)
{
	char *copy;

	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 8;
		char **nv = realloc(l->v, na * sizeof(*nv));

		if (!nv)
			return -1;
		l->v = nv;
		l->alloc = na;
	}
	copy = strdup(s);
	if (!copy)
		return -1;
	l->v[l->n++] = copy;
	return 0;
}

int strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

int strlist_add_unique(struct strlist *l, const char *addr)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (addr_equal(l->v[i], addr))
			return 0;
	return strlist_add(l, addr);
}

/* ---- lexer ------------------------------------------------------------ */

static int is_special(unsigned char c)
{
	return c && strchr("()<>[]:;@\\,.\"", c) != NULL;
}

static int is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* The lexer's "why" when memory ran short (not the address's fault). */
static const char addr_oom[] = "out of memory";

static int lex_fail(struct lexer *lx, const char *why)
{
	if (!lx->why)
		lx->why = why;
	lx->cur.kind = T_END;
	return -1;
}

/* CR LF WSP or LF WSP at pos: a fold; returns its length, else 0. */
static size_t fold_len(const struct lexer *lx)
{
	size_t i = lx->pos;

	if (i < lx->len && lx->s[i] == '\r')
		i++;
	if (i < lx->len && lx->s[i] == '\n')
		i++;
	else
		return 0;
	if (i < lx->len && (lx->s[i] == ' ' || lx->s[i] == '\t'))
		return i - lx->pos;
	return 0;
}

static int skip_comment(struct lexer *lx)
{
	int depth = 0;

	do {
		unsigned char c;

		if (lx->pos >= lx->len)
			return lex_fail(lx, "unterminated comment");
		c = (unsigned char)lx->s[lx->pos];
		if (c == '\r' || c == '\n') {
			size_t f = fold_len(lx);

			if (!f)
				return lex_fail(lx, "line break in a comment");
			lx->pos += f;
			continue;
		}
		if (is_ctl(c))
			return lex_fail(lx, "control character");
		lx->pos++;
		if (c == '\\') {
			if (lx->pos >= lx->len || is_ctl(lx->s[lx->pos]))
				return lex_fail(lx, "bad escape in a comment");
			lx->pos++;
		} else if (c == '(') {
			if (++depth > ADDR_COMMENT_DEPTH_MAX)
				return lex_fail(lx, "comments nested too deep");
		} else if (c == ')') {
			depth--;
		}
	} while (depth > 0);
	return 0;
}

/* Skip CFWS; returns 1 if anything was skipped, -1 on error. */
static int skip_cfws(struct lexer *lx)
{
	int skipped = 0;

	while (lx->pos < lx->len) {
		unsigned char c = (unsigned char)lx->s[lx->pos];
		size_t f;

		if (c == ' ' || c == '\t') {
			lx->pos++;
		} else if (c == '\r' || c == '\n') {
			f = fold_len(lx);
			if (!f)
				return lex_fail(lx, "line break");
			lx->pos += f;
		} else if (c == '(') {
			if (skip_comment(lx) < 0)
				return -1;
		} else {
			break;
		}
		skipped = 1;
	}
	return skipped;
}

/* Scan a delimited token ("..." or [...]) starting at pos. */
static int lex_delimited(struct lexer *lx, char close, enum tok_kind kind)
{
	size_t start = lx->pos++;

	for (;;) {
		unsigned char c;

		if (lx->pos >= lx->len)
			return lex_fail(lx, close == '"' ? "unterminated quote"
							 : "unterminated '['");
		c = (unsigned char)lx->s[lx->pos];
		if (is_ctl(c))
			return lex_fail(lx, "control character");
		lx->pos++;
		if (c == (unsigned char)close)
			break;
		if (c == '[' && kind == T_LITERAL)
			return lex_fail(lx, "'[' inside a domain literal");
		if (c == '\\') {
			if (lx->pos >= lx->len || is_ctl(lx->s[lx->pos]))
				return lex_fail(lx, "bad escape");
			lx->pos++;
		}
	}
	lx->cur.kind = kind;
	lx->cur.p = lx->s + start;
	lx->cur.n = lx->pos - start;
	return 0;
}

/* Read the next token into lx->cur. */
static int lex_next(struct lexer *lx)
{
	int ws = skip_cfws(lx);
	unsigned char c;
	size_t start;

	if (ws < 0)
		return -1;
	lx->cur.ws = ws;
	lx->cur.p = lx->s + lx->pos;
	lx->cur.n = 0;
	if (lx->pos >= lx->len) {
		lx->cur.kind = T_END;
		return 0;
	}
	c = (unsigned char)lx->s[lx->pos];
	if (c == '"')
		return lex_delimited(lx, '"', T_QUOTED);
	if (c == '[')
		return lex_delimited(lx, ']', T_LITERAL);
	if (c == ')' || c == ']' || c == '\\')
		return lex_fail(lx, "unexpected character");
	if (is_ctl(c))
		return lex_fail(lx, "control character");
	if (is_special(c)) {
		lx->cur.kind = T_SPECIAL;
		lx->cur.n = 1;
		lx->pos++;
		return 0;
	}
	start = lx->pos;
	while (lx->pos < lx->len) {
		c = (unsigned char)lx->s[lx->pos];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    is_special(c) || is_ctl(c))
			break;
		lx->pos++;
	}
	lx->cur.kind = T_ATOM;
	lx->cur.n = lx->pos - start;
	return 0;
}

static int tok_is(const struct lexer *lx, char c)
{
	return lx->cur.kind == T_SPECIAL && lx->cur.p[0] == c;
}

static int tok_is_word(const struct lexer *lx)
{
	return lx->cur.kind == T_ATOM || lx->cur.kind == T_QUOTED;
}

/* ---- parser ----------------------------------------------------------- */

static int put_tok(struct lexer *lx, struct buf *out)
{
	if (buf_append(out, lx->cur.p, lx->cur.n) < 0)
		return lex_fail(lx, errno == ENOMEM ? addr_oom
						    : "address too long");
	return 0;
}

static int put_char(struct lexer *lx, struct buf *out, char c)
{
	if (buf_putc(out, c) < 0)
		return lex_fail(lx, errno == ENOMEM ? addr_oom
						    : "address too long");
	return 0;
}

/* domain = atom *("." atom) / domain-literal */
static int parse_domain(struct lexer *lx, struct buf *out)
{
	if (lx->cur.kind == T_LITERAL) {
		if (put_tok(lx, out) < 0)
			return -1;
		return lex_next(lx);
	}
	for (;;) {
		if (lx->cur.kind != T_ATOM)
			return lex_fail(lx, "bad domain");
		if (put_tok(lx, out) < 0 || lex_next(lx) < 0)
			return -1;
		if (!tok_is(lx, '.'))
			return 0;
		if (put_char(lx, out, '.') < 0 || lex_next(lx) < 0)
			return -1;
	}
}

/* addr-spec = local-part ["@" domain]; a bare local part is allowed. */
static int parse_addr_spec(struct lexer *lx, struct buf *out)
{
	for (;;) {
		if (!tok_is_word(lx))
			return lex_fail(lx, "bad local part");
		if (put_tok(lx, out) < 0 || lex_next(lx) < 0)
			return -1;
		if (!tok_is(lx, '.'))
			break;
		if (put_char(lx, out, '.') < 0 || lex_next(lx) < 0)
			return -1;
	}
	if (!tok_is(lx, '@'))
		return 0;
	if (put_char(lx, out, '@') < 0 || lex_next(lx) < 0)
		return -1;
	return parse_domain(lx, out);
}

static int emit_addr(struct lexer *lx, struct buf *b, struct strlist *out)
{
	int r = 0;

	if (b->len > 0 && strlist_add(out, b->data) < 0)
		r = lex_fail(lx, addr_oom);
	buf_reset(b);
	return r;
}

/* obs-route = "@" domain *("," ["@" domain]) ":" */
static int skip_route(struct lexer *lx)
{
	struct buf scratch = BUF_INIT(ADDR_TEXT_MAX);
	int r = 0;

	while (r == 0 && !tok_is(lx, ':')) {
		if (tok_is(lx, ',')) {
			r = lex_next(lx);
			continue;
		}
		if (!tok_is(lx, '@')) {
			r = lex_fail(lx, "bad source route");
			break;
		}
		r = lex_next(lx);
		if (r == 0)
			r = parse_domain(lx, &scratch);
	}
	buf_release(&scratch);
	return r < 0 ? -1 : lex_next(lx);
}

/* angle-addr = "<" [obs-route] addr-spec ">"; at '<'. */
static int parse_angle(struct lexer *lx, struct strlist *out)
{
	struct buf b = BUF_INIT(ADDR_TEXT_MAX);
	int r;

	r = lex_next(lx);
	if (r == 0 && tok_is(lx, '@'))
		r = skip_route(lx);
	if (r == 0 && !tok_is(lx, '>'))
		r = parse_addr_spec(lx, &b);
	if (r == 0 && !tok_is(lx, '>'))
		r = lex_fail(lx, "missing '>'");
	if (r == 0)
		r = lex_next(lx);
	if (r == 0)
		r = emit_addr(lx, &b, out);
	buf_release(&b);
	return r;
}

/*
 * One or more addr-specs separated by whitespace (see addr.h).  Words
 * are separate addresses when all of them have an '@' ("a@x b@y") or
 * none has ("root admin", local names); a mix such as "bob
 * smith@example.org" is a name typed without '<>' or a typo, and
 * guessing would mail a stranger, so it is refused.
 */
static int parse_bare(struct lexer *lx, struct strlist *out)
{
	struct buf b = BUF_INIT(ADDR_TEXT_MAX);
	struct strlist words;
	size_t i, no_at = 0;
	int r;

	strlist_init(&words);
	do {
		r = parse_addr_spec(lx, &b);
		if (r == 0)
			r = emit_addr(lx, &b, &words);
	} while (r == 0 && tok_is_word(lx) && lx->cur.ws);
	for (i = 0; r == 0 && i < words.n; i++)
		no_at += strchr(words.v[i], '@') == NULL;
	if (r == 0 && no_at > 0 && no_at < words.n)
		r = lex_fail(lx, "contains a space (separate addresses with "
				 "commas, or write Name <address>)");
	for (i = 0; r == 0 && i < words.n; i++)
		r = strlist_add(out, words.v[i]) < 0 ? lex_fail(lx, addr_oom)
						     : 0;
	strlist_release(&words);
	buf_release(&b);
	return r;
}

/* What ends the phrase ahead: '<', ':' or something else (0). */
static char look_ahead(const struct lexer *lx)
{
	struct lexer peek = *lx;

	while (peek.cur.kind != T_END) {
		if (tok_is(&peek, '<') || tok_is(&peek, ':'))
			return peek.cur.p[0];
		if (tok_is(&peek, ',') || tok_is(&peek, ';') ||
		    tok_is(&peek, '>'))
			return 0;
		if (lex_next(&peek) < 0)
			return 0;
	}
	return 0;
}

/*
 * Skip the display name or group name up to c.  A display name before
 * '<' is taken leniently (the angle address says what is meant), but a
 * group name must be a phrase (words and obs-phrase dots): else
 * "a@x RCPT TO:<b@y>" would be read as a group named "a@x RCPT TO"
 * holding b@y, silently mailing an address picked out of junk.
 */
static int skip_phrase(struct lexer *lx, char c)
{
	while (!tok_is(lx, c)) {
		if (c == ':' && !tok_is_word(lx) && !tok_is(lx, '.'))
			return lex_fail(lx, "invalid group name (quote it)");
		if (lex_next(lx) < 0)
			return -1;
	}
	return 0;
}

static int parse_list(struct lexer *lx, struct strlist *out, int in_group);

/* One address, mailbox or group: -1 error, 1 a group ended by ';'. */
static int parse_element(struct lexer *lx, struct strlist *out, int in_group)
{
	char stop = look_ahead(lx);

	if (lx->why)
		return -1;
	if (stop == '<') {
		if (skip_phrase(lx, '<') < 0)
			return -1;
		return parse_angle(lx, out);
	}
	if (stop == ':') {
		if (in_group)
			return lex_fail(lx, "group inside a group");
		if (skip_phrase(lx, ':') < 0 || lex_next(lx) < 0)
			return -1;
		if (parse_list(lx, out, 1) < 0)
			return -1;
		/* Lenient: a group may end without ';' at the end, and
		 * the next address may follow its ';' without a comma. */
		if (!tok_is(lx, ';'))
			return 0;
		return lex_next(lx) < 0 ? -1 : 1;
	}
	return parse_bare(lx, out);
}

/* Returns 0, or -1 with lx->why set. */
static int parse_list(struct lexer *lx, struct strlist *out, int in_group)
{
	int r;

	for (;;) {
		if (lx->cur.kind == T_END)
			return 0;
		if (tok_is(lx, ',')) {
			if (lex_next(lx) < 0)
				return -1;
			continue;
		}
		if (tok_is(lx, ';')) {
			if (in_group)
				return 0;
			return lex_fail(lx, "unexpected ';'");
		}
		r = parse_element(lx, out, in_group);
		if (r < 0)
			return -1;
		if (r == 0 && lx->cur.kind != T_END && !tok_is(lx, ',') &&
		    !(in_group && tok_is(lx, ';')))
			return lex_fail(lx, "unexpected text after an address");
	}
}

int addr_list_parse(const char *s, size_t len, struct strlist *out,
		    struct err *e)
{
	struct lexer lx;
	size_t n0 = out->n;

	memset(&lx, 0, sizeof(lx));
	lx.s = s;
	lx.len = len;
	if (lex_next(&lx) == 0)
		parse_list(&lx, out, 0);
	if (!lx.why)
		return 0;
	while (out->n > n0)
		free(out->v[--out->n]);
	if (lx.why == addr_oom)
		return err_set(e, ERR_OSERR, "out of memory");
	return err_set(e, ERR_DATAERR, "invalid address list '%.*s': %s",
		       (int)(len > ADDR_ERR_QUOTE ? ADDR_ERR_QUOTE : len), s,
		       lx.why);
}

/* ---- envelope checks -------------------------------------------------- */

const char *addr_at(const char *addr)
{
	const char *at = NULL;
	int quoted = 0;
	const char *p;

	for (p = addr; *p; p++) {
		if (quoted && *p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '@' && !quoted)
			at = p;
	}
	return at;
}

int addr_equal(const char *a, const char *b)
{
	const char *aa = addr_at(a), *ba = addr_at(b);
	size_t al = aa ? (size_t)(aa - a) : strlen(a);
	size_t bl = ba ? (size_t)(ba - b) : strlen(b);

	if (al != bl || memcmp(a, b, al) != 0 || !aa != !ba)
		return 0;
	return !aa || strcasecmp(aa, ba) == 0;
}

/* Why addr cannot be an SMTP path, or NULL if it can. */
static const char *addr_problem(const char *addr)
{
	int quoted = 0;
	const char *p, *at;

	for (p = addr; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\r' || c == '\n')
			return "contains a line break";
		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		if (quoted && c == '\\' && p[1]) {
			p++;
			continue;
		}
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == ' ' || c == '\t'))
			return "contains a space";
		else if (!quoted && (c == '<' || c == '>'))
			return "contains '<' or '>'";
	}
	if (quoted)
		return "has an unterminated quote";
	if (strlen(addr) > ADDR_PATH_MAX - 2)
		return "is too long";
	at = addr_at(addr);
	if (at && (size_t)(at - addr) > ADDR_LOCAL_MAX)
		return "has a local part longer than 64 octets";
	if (at && strlen(at + 1) > ADDR_DOMAIN_MAX)
		return "has a domain longer than 255 octets";
	if (at && (at == addr || at[1] == '\0'))
		return "has an empty local part or domain";
	return NULL;
}

int addr_check_envelope(const char *addr, int allow_empty, struct err *e)
{
	const char *why;

	if (!addr || (!*addr && !allow_empty))
		return err_set(e, ERR_DATAERR,
			       "invalid address '': it is empty");
	why = addr_problem(addr);
	if (!why)
		return 0;
	return err_set(e, ERR_DATAERR, "invalid address '%.*s': it %s",
		       ADDR_ERR_QUOTE, addr, why);
}

char *addr_qualify(const char *addr, const char *domain)
{
	struct buf b = BUF_INIT((size_t)-1 / 2);

	if (!*addr || addr_at(addr) || !domain || !*domain)
		return strdup(addr);
	if (buf_printf(&b, "%s@%s", addr, domain) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* ---- international addresses ------------------------------------------ */

/* Length of the UTF-8 sequence starting at p (within n), 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned long cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0; /* continuation byte, 0xc0/0xc1, 0xf5.. */
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0; /* overlong, beyond Unicode, surrogate */
	return len;
}

int addr_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		k = utf8_seq(p + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

static int has_8bit(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* local@domain with the domain converted; *out malloc'd. */
static int convert_domain(const char *addr, const char *at, char **out,
			  struct err *e)
{
	struct err sub = ERR_INIT;
	struct buf b = BUF_INIT(ADDR_TEXT_MAX * 2);
	char *alabel = NULL;
	int r;

	*out = NULL;
	if (at[1] == '[')
		return err_set(e, ERR_DATAERR,
			       "invalid address '%.*s': its domain literal "
			       "is not ASCII",
			       ADDR_ERR_QUOTE, addr);
	if (idn_host_to_ascii(at + 1, &alabel, ERR_DATAERR, &sub) < 0)
		return err_set(e,
			       sub.kind == ERR_OSERR ? ERR_OSERR : ERR_DATAERR,
			       "invalid address '%.*s': its domain has no "
			       "A-label form (%s)",
			       ADDR_ERR_QUOTE, addr, sub.msg);
	/* At most a path plus an A-label: the cap is never reached. */
	r = buf_append(&b, addr, (size_t)(at - addr) + 1);
	if (r == 0)
		r = buf_puts(&b, alabel);
	free(alabel);
	*out = r == 0 ? buf_detach(&b) : NULL;
	if (!*out) {
		buf_release(&b);
		return err_set(e, ERR_OSERR, "out of memory");
	}
	return 0;
}

int addr_envelope_form(const char *addr, int allow_empty, char **out,
		       int *smtputf8, struct err *e)
{
	const char *at;
	size_t local;

	*out = NULL;
	if (addr_check_envelope(addr, allow_empty, e) < 0)
		return -1;
	at = addr_at(addr);
	local = at ? (size_t)(at - addr) : strlen(addr);
	if (has_8bit(addr, local)) {
		if (!addr_utf8_valid(addr, local))
			return err_set(e, ERR_DATAERR,
				       "invalid address '%.*s': its local part "
				       "is not valid UTF-8",
				       ADDR_ERR_QUOTE, addr);
		*smtputf8 = 1;
	}
	if (at && has_8bit(at + 1, strlen(at + 1))) {
		if (convert_domain(addr, at, out, e) < 0)
			return -1;
		if (addr_check_envelope(*out, 0, e) < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
		return 0;
	}
	*out = strdup(addr);
	return *out ? 0 : err_set(e, ERR_OSERR, "out of memory");
}
