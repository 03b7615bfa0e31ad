/*
 * envelope.c - sender, recipients, header edits and DSN parameters of one
 * submission (contract in envelope.h).
 *
 * Policies (for the man page):
 *  - Sender: -f, else --read-envelope-from (first address of the From
 *    header; a message without one falls through), else the account's
 *    "from" with %U %H %C %M expanded (msmtp 1.8.23 has no %F; unknown
 *    '%' sequences stay as written, as in msmtp), where auto_from on
 *    replaces "from" with USER[@maildomain].  As in msmtp, -f and
 *    --read-envelope-from are both command-line senders and with
 *    allow_from_override off they are ignored in favour of the account's
 *    "from"; if the account has none they are still used.  Unlike msmtp,
 *    -f also beats auto_from (msmtp silently ignores -f then).  No sender
 *    at all is ERR_CONFIG.  A "from" that is a wildcard pattern (holds
 *    '*', '?' or '[') cannot be a sender without -f.
 *  - -f accepts "addr", "<addr>", "Name <addr>"; "" and "<>" give the null
 *    sender.  Control characters anywhere are refused (ERR_DATAERR).
 *  - Recipients: every argv argument is an address list; with -t also
 *    To/Cc/Bcc, or when a Resent-* field exists only the Resent-To/Cc/Bcc
 *    of the first (topmost contiguous) Resent- block.  Aliases (msmtp's
 *    format, case-sensitive names, "default" for unknown local names,
 *    only addresses without '@' are looked up, entries naming local
 *    aliases are followed up to ENVELOPE_ALIAS_DEPTH_MAX deep), then
 *    qualify_domain, then addr_envelope_form() (checks; a non-ASCII
 *    domain becomes its A-label; a non-ASCII local part, valid UTF-8
 *    only, sets needs_smtputf8), then duplicates dropped (domain
 *    compared without case, so U-label and A-label forms are one).  The
 *    sender goes through addr_envelope_form() as well.
 *  - Headers: set_from_header auto adds From when missing or empty, on
 *    replaces it, off never; no From is made for the null sender.
 *    set_date_header / set_msgid_header: auto adds when missing, on
 *    replaces.  undisclosed_recipients drops To/Cc/Bcc and adds
 *    "To: undisclosed-recipients:;".  set_to_header (not an msmtp key):
 *    auto adds that same To when the message has no To, Cc or Bcc.
 *    Bcc/Resent-Bcc removed with remove_bcc_headers.  The full name is -F,
 *    else from_full_name; quoted only when it holds RFC 5322 specials;
 *    control characters in it are refused.  A full name with non-ASCII
 *    bytes must be UTF-8 and becomes RFC 2047 encoded-words (no quoting
 *    needed), folded when long; the From address follows on the same
 *    line when it fits in 76 characters, else on a folded line.
 *  - DSN: -N/-R/-V override the account; "off" unsets.  -N is "never" or
 *    a comma list of success, failure, delay (any case, no duplicates);
 *    -R is full, hdrs or headers.  Sent upper case; -V is xtext-encoded.
 *  - BODY=8BITMIME follows the content (any byte >= 0x80 after header
 *    edits); -B is only a hint and does not change it.  header_utf8 says
 *    the header block sent holds such bytes (SMTPUTF8 when offered);
 *    send_8bit carries the account's send_8bit_without_8bitmime to the
 *    engine (struct envelope reaches smtp.c without session.c).
 */
#include "envelope.h"
#include "buf.h"

#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

/* Host names and expanded "from" values are addresses: one text line. */
#define ENVELOPE_TEXT_MAX 998
/* How much of a mail name file is read (a domain is at most 255). */
#define ENVELOPE_MAILNAME_READ 1024
#define ENVELOPE_UNDISCLOSED   "undisclosed-recipients:;"
/* The added From line starts "From: " (its column for RFC 2047). */
#define ENVELOPE_FROM_PREFIX (sizeof("From: ") - 1)

void envelope_init(struct envelope *env)
{
	memset(env, 0, sizeof(*env));
	strlist_init(&env->rcpts);
}

void envelope_release(struct envelope *env)
{
	free(env->from);
	env->from = NULL;
	strlist_release(&env->rcpts);
}

static int has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int any_8bit(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* ---- %U %H %C %M -------------------------------------------------------- */

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static int put_user(struct buf *b, struct err *e)
{
	const char *u = env_nonempty("USER");
	struct passwd *pw;

	if (!u)
		u = env_nonempty("LOGNAME");
	if (!u && (pw = getpwuid(getuid())) != NULL)
		u = pw->pw_name;
	if (!u)
		return err_set(e, ERR_CONFIG, "cannot determine the user name");
	return buf_puts(b, u);
}

static int host_name(char *dst, size_t n, struct err *e)
{
	const char *h = env_nonempty("HOSTNAME");

	if (h) {
		if (snprintf(dst, n, "%s", h) >= (int)n)
			return err_set(e, ERR_CONFIG, "host name too long");
		return 0;
	}
	if (gethostname(dst, n) < 0)
		return err_set(e, ERR_CONFIG, "cannot get the host name: %s",
			       strerror(errno));
	dst[n - 1] = '\0';
	return 0;
}

static int put_host(struct buf *b, int canonical, struct err *e)
{
	char host[ENVELOPE_TEXT_MAX];
	struct addrinfo hints, *res = NULL;
	int r;

	if (host_name(host, sizeof(host), e) < 0)
		return -1;
	if (!canonical)
		return buf_puts(b, host);
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	/* Unresolvable: keep the plain name rather than fail. */
	if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res ||
	    !res->ai_canonname) {
		if (res)
			freeaddrinfo(res);
		return buf_puts(b, host);
	}
	r = buf_puts(b, res->ai_canonname);
	freeaddrinfo(res);
	return r;
}

static int put_mailname(struct buf *b, const char *path, struct err *e)
{
	char line[ENVELOPE_MAILNAME_READ];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return err_set(e, ERR_CONFIG, "cannot read %s (for %%M): %s",
			       path, strerror(errno));
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\r\n");
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (n == 0)
		return err_set(e, ERR_CONFIG, "%s is empty (needed for %%M)",
			       path);
	return buf_append(b, line, n);
}

int envelope_expand_from(const char *tmpl, const char *mailname, char **out,
			 struct err *e)
{
	struct buf b = BUF_INIT(ENVELOPE_TEXT_MAX);
	const char *p;
	int r = 0;

	for (p = tmpl; *p && r == 0; p++) {
		char c = p[0] == '%' ? p[1] : '\0';

		if (c == 'U')
			r = put_user(&b, e);
		else if (c == 'H' || c == 'C')
			r = put_host(&b, c == 'C', e);
		else if (c == 'M')
			r = put_mailname(
				&b, mailname ? mailname : ENVELOPE_MAILNAME, e);
		else
			r = buf_putc(&b, *p);
		if (c == 'U' || c == 'H' || c == 'C' || c == 'M')
			p++;
	}
	if (r < 0) {
		err_set_buf(e, ERR_CONFIG, "cannot expand from '%s'", tmpl);
		buf_release(&b);
		return -1;
	}
	*out = buf_detach(&b);
	return *out ? 0 : err_set(e, ERR_OSERR, "out of memory");
}

/* ---- sender ---------------------------------------------------------------- */

/*
 * Replace *addr by its envelope form (A-label domain); a non-ASCII local
 * part marks the envelope as needing SMTPUTF8.
 */
static int envelope_form(struct envelope *env, char **addr, int allow_empty,
			 struct err *e)
{
	char *conv = NULL;

	if (addr_envelope_form(*addr, allow_empty, &conv, &env->needs_smtputf8,
			       e) < 0)
		return -1;
	free(*addr);
	*addr = conv;
	return 0;
}

/* -f ARG: "addr", "<addr>", "Name <addr>", or ""/"<>" (null sender). */
static int sender_arg(const char *arg, char **out, struct err *e)
{
	struct strlist l;
	size_t n = strlen(arg);
	int r = 0;

	if (has_ctl(arg))
		return err_set(e, ERR_DATAERR,
			       "invalid envelope sender '%s': it contains a "
			       "control character",
			       arg);
	while (n && (arg[n - 1] == ' ' || arg[n - 1] == '\t'))
		n--;
	while (n && (*arg == ' ' || *arg == '\t'))
		arg++, n--;
	if (n == 0 || (n == 2 && arg[0] == '<' && arg[1] == '>')) {
		*out = strdup("");
		return *out ? 0 : err_set(e, ERR_OSERR, "out of memory");
	}
	strlist_init(&l);
	if (addr_list_parse(arg, n, &l, e) < 0)
		r = -1;
	else if (l.n != 1)
		r = err_set(e, ERR_DATAERR,
			    "invalid envelope sender '%.*s': not one address",
			    (int)n, arg);
	else
		*out = strdup(l.v[0]);
	strlist_release(&l);
	if (r == 0 && !*out)
		r = err_set(e, ERR_OSERR, "out of memory");
	return r;
}

/* --read-envelope-from: the first address of From; *out NULL if none. */
static int sender_header(struct msg *m, char **out, struct err *e)
{
	const struct msg_header *h = msg_header_find(m, "From");
	struct strlist l;
	int r = 0;

	*out = NULL;
	if (!h)
		return 0;
	strlist_init(&l);
	if (addr_list_parse(h->value, strlen(h->value), &l, e) < 0)
		r = -1;
	else if (l.n > 0 && !(*out = strdup(l.v[0])))
		r = err_set(e, ERR_OSERR, "out of memory");
	strlist_release(&l);
	return r;
}

/* The account's sender (auto_from or from), *out NULL if none. */
static int sender_account(const struct account *a, const char *mailname,
			  char **out, struct err *e)
{
	struct buf b = BUF_INIT(ENVELOPE_TEXT_MAX);

	*out = NULL;
	if (a->auto_from) {
		if (put_user(&b, e) < 0 ||
		    (a->maildomain && *a->maildomain &&
		     buf_printf(&b, "@%s", a->maildomain) < 0)) {
			buf_release(&b);
			return err_set(e, ERR_CONFIG,
				       "cannot build the auto_from address");
		}
		*out = buf_detach(&b);
		return *out ? 0 : err_set(e, ERR_OSERR, "out of memory");
	}
	if (!a->from || !*a->from)
		return 0;
	return envelope_expand_from(a->from, mailname, out, e);
}

static int sender_pick(char **cmd, char **acct, const struct account *a,
		       char **out, struct err *e)
{
	if (*cmd && (a->allow_from_override || !*acct)) {
		*out = *cmd;
		*cmd = NULL;
		return 0;
	}
	if (!*acct)
		return err_set(e, ERR_CONFIG,
			       "no envelope sender: set 'from' in the account "
			       "or use -f");
	if (strpbrk(*acct, "*?["))
		return err_set(e, ERR_CONFIG,
			       "the account's from '%s' is a pattern: use -f "
			       "to give the envelope sender",
			       *acct);
	*out = *acct;
	*acct = NULL;
	return 0;
}

static int resolve_sender(struct envelope *env, const struct cli *cli,
			  const struct account *a, struct msg *m, struct err *e)
{
	char *cmd = NULL, *acct = NULL, *picked = NULL;
	int r;

	if (cli->envelope_from)
		r = sender_arg(cli->envelope_from, &cmd, e);
	else if (cli->read_envelope_from)
		r = sender_header(m, &cmd, e);
	else
		r = 0;
	if (r == 0)
		r = sender_account(a, env->mailname, &acct, e);
	if (r == 0)
		r = sender_pick(&cmd, &acct, a, &picked, e);
	if (r == 0) {
		env->from = addr_qualify(picked, a->qualify_domain);
		if (!env->from)
			r = err_set(e, ERR_OSERR, "out of memory");
	}
	if (r == 0)
		r = envelope_form(env, &env->from, 1, e);
	free(cmd);
	free(acct);
	free(picked);
	return r;
}

/* ---- aliases ----------------------------------------------------------- */

struct alias {
	char *name;
	struct strlist addrs;
};

struct aliases {
	struct alias *v;
	size_t n;
};

static void aliases_release(struct aliases *al)
{
	size_t i;

	for (i = 0; i < al->n; i++) {
		free(al->v[i].name);
		strlist_release(&al->v[i].addrs);
	}
	free(al->v);
	al->v = NULL;
	al->n = 0;
}

static const struct alias *alias_find(const struct aliases *al,
				      const char *name)
{
	size_t i;

	for (i = 0; i < al->n; i++)
		if (strcmp(al->v[i].name, name) == 0)
			return &al->v[i];
	return NULL;
}

/* Cut a '#' comment (outside quotes) and trailing/leading blanks. */
static char *alias_trim(char *s)
{
	int quoted = 0;
	char *p, *end;

	for (p = s; *p; p++) {
		if (*p == '\\' && quoted && p[1])
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == '#' && !quoted)
			*p = '\0';
		if (!*p)
			break;
	}
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int alias_line(struct aliases *al, const char *file, unsigned long no,
		      char *line, struct err *e)
{
	struct err pe = ERR_INIT;
	char *colon, *name, *value;
	struct alias *nv, *a;

	line = alias_trim(line);
	if (!*line)
		return 0;
	colon = strchr(line, ':');
	if (!colon)
		return err_set(e, ERR_CONFIG, "%s:%lu: missing ':'", file, no);
	*colon = '\0';
	name = alias_trim(line);
	value = colon + 1;
	if (!*name || strpbrk(name, "@ \t\"") || has_ctl(name))
		return err_set(e, ERR_CONFIG, "%s:%lu: invalid alias '%s'",
			       file, no, name);
	if (alias_find(al, name))
		return err_set(e, ERR_CONFIG, "%s:%lu: duplicate alias '%s'",
			       file, no, name);
	nv = realloc(al->v, (al->n + 1) * sizeof(*nv));
	if (!nv)
		return err_set(e, ERR_OSERR, "out of memory");
	al->v = nv;
	a = &al->v[al->n++];
	strlist_init(&a->addrs);
	a->name = strdup(name);
	if (!a->name)
		return err_set(e, ERR_OSERR, "out of memory");
	if (addr_list_parse(value, strlen(value), &a->addrs, &pe) < 0)
		return err_set(e, pe.kind == ERR_OSERR ? ERR_OSERR : ERR_CONFIG,
			       "%s:%lu: %s", file, no, pe.msg);
	if (a->addrs.n == 0)
		return err_set(e, ERR_CONFIG,
			       "%s:%lu: alias '%s' has no addresses", file, no,
			       name);
	return 0;
}

static int aliases_read(const char *path, struct buf *b, struct err *e)
{
	char chunk[8192];
	FILE *f = fopen(path, "r");
	size_t n;
	int r = 0;

	if (!f)
		return err_set(e, errno == ENOMEM ? ERR_OSERR : ERR_CONFIG,
			       "cannot read aliases file %s: %s", path,
			       strerror(errno));
	while (r == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(b, chunk, n) < 0)
			r = err_set_buf(
				e, ERR_CONFIG,
				"aliases file %s is larger than %d bytes", path,
				ENVELOPE_ALIASES_MAX);
	if (r == 0 && ferror(f))
		r = err_set(e, ERR_CONFIG, "cannot read aliases file %s: %s",
			    path, strerror(errno));
	fclose(f);
	if (r == 0 && buf_putc(b, '\0') < 0)
		r = err_set(e, ERR_OSERR, "out of memory");
	return r;
}

static int aliases_load(struct aliases *al, const char *path, struct err *e)
{
	struct buf b = BUF_INIT(ENVELOPE_ALIASES_MAX);
	unsigned long no = 0;
	char *line, *next;
	int r;

	r = aliases_read(path, &b, e);
	for (line = b.data; r == 0 && line && line < b.data + b.len;
	     line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		r = alias_line(al, path, ++no, line, e);
	}
	buf_release(&b);
	return r;
}

/* Expand addr through the aliases into out (see the policy above). */
static int alias_expand(const struct aliases *al, const char *addr, int depth,
			struct strlist *out)
{
	const struct alias *a = NULL;
	size_t i;

	if (!addr_at(addr) && depth < ENVELOPE_ALIAS_DEPTH_MAX) {
		a = alias_find(al, addr);
		if (!a && depth == 0)
			a = alias_find(al, "default");
	}
	if (!a)
		return strlist_add(out, addr);
	for (i = 0; i < a->addrs.n; i++)
		if (alias_expand(al, a->addrs.v[i], depth + 1, out) < 0)
			return -1;
	return 0;
}

/* ---- recipients -------------------------------------------------------- */

static int rcpt_args(const struct cli *cli, struct strlist *raw, struct err *e)
{
	size_t i;

	for (i = 0; i < cli->nrcpts; i++) {
		const char *a = cli->rcpts[i];

		if (has_ctl(a))
			return err_set(e, ERR_DATAERR,
				       "invalid recipient '%s': it contains a "
				       "control character",
				       a);
		if (addr_list_parse(a, strlen(a), raw, e) < 0)
			return -1;
	}
	return 0;
}

static int is_resent(const char *name)
{
	return strncasecmp(name, "Resent-", 7) == 0;
}

/* -t: To/Cc/Bcc, or those of the first Resent- block. */
static int rcpt_headers(const struct msg *m, struct strlist *raw, struct err *e)
{
	size_t i, first = m->nheaders, end = m->nheaders;
	const char *prefix = "";

	for (i = 0; i < m->nheaders; i++)
		if (is_resent(m->headers[i].name)) {
			first = i;
			break;
		}
	if (first < m->nheaders) {
		prefix = "Resent-";
		for (end = first; end < m->nheaders; end++)
			if (!is_resent(m->headers[end].name))
				break;
	} else {
		first = 0;
	}
	for (i = first; i < end; i++) {
		const struct msg_header *h = &m->headers[i];
		const char *n = h->name;

		if (strncasecmp(n, prefix, strlen(prefix)) != 0)
			continue;
		n += strlen(prefix);
		if (strcasecmp(n, "To") && strcasecmp(n, "Cc") &&
		    strcasecmp(n, "Bcc"))
			continue;
		if (addr_list_parse(h->value, strlen(h->value), raw, e) < 0)
			return -1;
	}
	return 0;
}

static int rcpt_finish(struct envelope *env, const struct account *a,
		       const struct strlist *expanded, struct err *e)
{
	size_t i;

	for (i = 0; i < expanded->n; i++) {
		char *q = addr_qualify(expanded->v[i], a->qualify_domain);
		int r;

		if (!q)
			return err_set(e, ERR_OSERR, "out of memory");
		r = envelope_form(env, &q, 0, e);
		if (r == 0 && strlist_add_unique(&env->rcpts, q) < 0)
			r = err_set(e, ERR_OSERR, "out of memory");
		free(q);
		if (r < 0)
			return -1;
	}
	if (env->rcpts.n == 0)
		return err_set(e, ERR_USAGE, "no recipients");
	return 0;
}

static int resolve_rcpts(struct envelope *env, const struct cli *cli,
			 const struct account *a, const struct msg *m,
			 struct err *e)
{
	struct strlist raw, expanded;
	struct aliases al = {NULL, 0};
	size_t i;
	int r;

	strlist_init(&raw);
	strlist_init(&expanded);
	r = rcpt_args(cli, &raw, e);
	if (r == 0 && cli->read_recipients)
		r = rcpt_headers(m, &raw, e);
	if (r == 0 && a->aliases && *a->aliases)
		r = aliases_load(&al, a->aliases, e);
	for (i = 0; r == 0 && i < raw.n; i++)
		if (alias_expand(&al, raw.v[i], 0, &expanded) < 0)
			r = err_set(e, ERR_OSERR, "out of memory");
	if (r == 0)
		r = rcpt_finish(env, a, &expanded, e);
	aliases_release(&al);
	strlist_release(&raw);
	strlist_release(&expanded);
	return r;
}

/* ---- header edits ------------------------------------------------------- */

static int name_needs_quotes(const char *s)
{
	for (; *s; s++)
		if (strchr("()<>[]:;@\\,.\"", *s))
			return 1;
	return 0;
}

/*
 * "Full Name" as RFC 2047 encoded-words, then " <addr>" on the same line
 * when it fits in MSG_EW_LINE_MAX, else on a folded line.
 */
static int format_from_encoded(const char *name, const char *addr,
			       struct buf *b, struct err *e)
{
	size_t col = ENVELOPE_FROM_PREFIX;

	if (!addr_utf8_valid(name, strlen(name)))
		return err_set(e, ERR_DATAERR,
			       "invalid full name '%s': it is not valid UTF-8",
			       name);
	if (msg_encode_phrase(b, name, &col) < 0)
		return -1;
	if (col + 3 + strlen(addr) > MSG_EW_LINE_MAX)
		return buf_printf(b, "\n <%s>", addr);
	return buf_printf(b, " <%s>", addr);
}

/* From value: "Full Name <addr>", "\"Q. Name\" <addr>" or "addr". */
static int format_from(const char *name, const char *addr, struct buf *b,
		       struct err *e)
{
	const char *p;
	int r = 0;

	if (!name || !*name)
		return buf_puts(b, addr);
	if (has_ctl(name))
		return err_set(e, ERR_DATAERR,
			       "invalid full name '%s': it contains a control "
			       "character",
			       name);
	if (any_8bit(name, strlen(name)))
		return format_from_encoded(name, addr, b, e);
	if (!name_needs_quotes(name))
		return buf_printf(b, "%s <%s>", name, addr);
	r |= buf_putc(b, '"');
	for (p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			r |= buf_putc(b, '\\');
		r |= buf_putc(b, *p);
	}
	r |= buf_printf(b, "\" <%s>", addr);
	return r ? -1 : 0;
}

/* "<YYYYMMDDhhmmss.RANDOMHEX@domain>" (team decision). */
static int make_msgid(const struct envelope *env, const struct account *a,
		      time_t now, struct buf *b)
{
	const char *at = addr_at(env->from);
	const char *dom = at && at[1]		    ? at + 1
			  : a->domain && *a->domain ? a->domain
						    : "localhost";
	unsigned long long rnd = 0;
	struct tm tm;

	if (getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		rnd ^= (unsigned long long)now * 2654435761u ^
		       (unsigned long long)getpid() << 32;
	if (!localtime_r(&now, &tm))
		return -1;
	return buf_printf(b, "<%04d%02d%02d%02d%02d%02d.%016llx@%s>",
			  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			  tm.tm_hour, tm.tm_min, tm.tm_sec, rnd, dom);
}

static int want(enum conf_auto mode, const struct msg *m, const char *name)
{
	const struct msg_header *h = msg_header_find(m, name);

	return mode == AUTO_ON || (mode == AUTO_AUTO && (!h || !*h->value));
}

static int apply_edits(struct envelope *env, const struct cli *cli,
		       const struct account *a, struct msg *m, struct err *e)
{
	struct buf from = BUF_INIT(ENVELOPE_TEXT_MAX * 2);
	struct buf msgid = BUF_INIT(ENVELOPE_TEXT_MAX);
	const char *name = cli->full_name ? cli->full_name : a->from_full_name;
	struct msg_edits ed;
	int r = 0;

	memset(&ed, 0, sizeof(ed));
	ed.now = env->now ? env->now : time(NULL);
	if (*env->from && want(a->set_from_header, m, "From")) {
		r = format_from(name, env->from, &from, e);
		ed.add_from = from.data;
	}
	ed.add_date = want(a->set_date_header, m, "Date");
	if (r == 0 && want(a->set_msgid_header, m, "Message-ID")) {
		r = make_msgid(env, a, ed.now, &msgid);
		ed.add_msgid = msgid.data;
	}
	if (a->undisclosed_recipients) {
		ed.add_to = ENVELOPE_UNDISCLOSED;
		ed.replace_recipients = 1;
	} else if (a->set_to_header != AUTO_OFF && !msg_header_find(m, "To") &&
		   !msg_header_find(m, "Cc") && !msg_header_find(m, "Bcc")) {
		ed.add_to = ENVELOPE_UNDISCLOSED;
	}
	ed.remove_bcc = a->remove_bcc_headers;
	if (r < 0)
		r = err_set_buf(e, ERR_DATAERR,
				"cannot build the header fields");
	else
		r = msg_edit_headers(m, &ed, e);
	buf_release(&from);
	buf_release(&msgid);
	return r;
}

/* ---- DSN ---------------------------------------------------------------- */

static int dsn_notify(struct envelope *env, const char *src, struct err *e)
{
	static const char *const words[] = {"NEVER", "SUCCESS", "FAILURE",
					    "DELAY"};
	char *o = env->dsn_notify_buf;
	unsigned seen = 0;
	const char *p = src;
	size_t i, n, len = 0;

	if (!src || !strcasecmp(src, "off"))
		return 0;
	while (*p) {
		n = strcspn(p, ",");
		for (i = 0; i < 4; i++)
			if (n == strlen(words[i]) &&
			    !strncasecmp(p, words[i], n))
				break;
		if (i == 4 || (seen & (1u << i)) || (i == 0 && p != src) ||
		    (seen & 1u))
			goto bad;
		seen |= 1u << i;
		len += (size_t)snprintf(o + len,
					sizeof(env->dsn_notify_buf) - len,
					"%s%s", len ? "," : "", words[i]);
		p += n;
		if (*p == ',' && !*++p)
			goto bad;
	}
	if (!seen)
		goto bad;
	env->dsn_notify = o;
	return 0;
bad:
	return err_set(e, ERR_USAGE,
		       "invalid DSN notify '%s': use never, or a comma list "
		       "of success, failure, delay",
		       src);
}

static int dsn_return(struct envelope *env, const char *src, struct err *e)
{
	if (!src || !strcasecmp(src, "off"))
		return 0;
	if (!strcasecmp(src, "full"))
		env->dsn_return = "FULL";
	else if (!strcasecmp(src, "hdrs") || !strcasecmp(src, "headers"))
		env->dsn_return = "HDRS";
	else
		return err_set(e, ERR_USAGE,
			       "invalid DSN return '%s': use full or hdrs",
			       src);
	return 0;
}

/* RFC 3461 §4: ENVID as xtext ('+', '=' and non-printables as +HH). */
static int dsn_envid(struct envelope *env, const char *src, struct err *e)
{
	char *o = env->dsn_envid_buf;
	const unsigned char *p;
	size_t len = 0;

	if (!src || !*src)
		return 0;
	if (strlen(src) > ENVELOPE_ENVID_MAX || has_ctl(src) ||
	    any_8bit(src, strlen(src)))
		return err_set(e, ERR_USAGE,
			       "invalid DSN envelope id '%s': use at most %d "
			       "printable ASCII characters",
			       src, ENVELOPE_ENVID_MAX);
	for (p = (const unsigned char *)src; *p; p++) {
		if (*p == '+' || *p == '=' || *p == ' ')
			len += (size_t)snprintf(o + len, 4, "+%02X", *p);
		else
			o[len++] = (char)*p;
	}
	o[len] = '\0';
	env->dsn_envid = o;
	return 0;
}

/* ---- the whole envelope -------------------------------------------------- */

int envelope_build(struct envelope *env, const struct cli *cli,
		   const struct account *acct, struct msg *m, struct err *e)
{
	const struct buf *oh = &m->out_headers;

	if (dsn_notify(env,
		       cli->dsn_notify ? cli->dsn_notify : acct->dsn_notify,
		       e) < 0 ||
	    dsn_return(env,
		       cli->dsn_return ? cli->dsn_return : acct->dsn_return,
		       e) < 0 ||
	    dsn_envid(env, cli->dsn_envid, e) < 0)
		return -1;
	if (resolve_sender(env, cli, acct, m, e) < 0 ||
	    resolve_rcpts(env, cli, acct, m, e) < 0 ||
	    apply_edits(env, cli, acct, m, e) < 0)
		return -1;
	/* -B is a hint only: the content decides BODY=8BITMIME. */
	env->header_utf8 = any_8bit(oh->data ? oh->data : "", oh->len);
	env->body_8bit = m->body_8bit || env->header_utf8;
	env->send_8bit = acct->send_8bit_without_8bitmime;
	env->size = msg_out_size(m);
	return 0;
}
