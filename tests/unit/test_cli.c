/*
 * test_cli.c - the command line parser, table-driven: an argv vector and
 * the expected result, written as one canonical summary string of the
 * struct cli fields that differ from their defaults (or the exact error).
 * The first part replays the command lines real callers use (cron,
 * mutt, PHP, git send-email, PHPMailer's CVE-2016-10033 injection); the
 * second walks the whole option table (every rc-key override, --help).
 */
#include "cli.h"
#include "buf.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 24
/* Summaries and --help are short; a test failing this cap is a bug. */
#define SUMMARY_MAX 4096
#define USAGE_MAX   65536

struct tcase {
	const char *name;
	const char *argv[MAX_ARGS]; /* NULL-terminated; argv[0] included */
	const char *want;	    /* summary, or "error: <message>" */
};

static const char *mode_name(enum cli_mode m)
{
	switch (m) {
	case MODE_SEND:
		return "send";
	case MODE_SMTP_STDIO:
		return "smtp-stdio";
	case MODE_QUEUE_LIST:
		return "queue-list";
	case MODE_NEWALIASES:
		return "newaliases";
	case MODE_FLUSH:
		return "flush";
	case MODE_SERVERINFO:
		return "serverinfo";
	case MODE_CHECK_CONFIG:
		return "check-config";
	case MODE_VERSION:
		return "version";
	case MODE_HELP:
		return "help";
	case MODE_QUEUE_DELETE:
		return "queue-delete";
	case MODE_QUEUE_RETRY:
		return "queue-retry";
	}
	return "?";
}

static void put_str(struct buf *b, const char *label, const char *v)
{
	if (v)
		buf_printf(b, " %s=[%s]", label, v);
}

/* "mode=flush t i from=[x] ... ov:host=[h] rcpt=[a]" (defaults left out) */
static void summarize(const struct cli *c, struct buf *b)
{
	size_t k;

	buf_printf(b, "mode=%s", mode_name(c->mode));
	if (c->read_recipients)
		buf_puts(b, " t");
	if (c->ignore_dots)
		buf_puts(b, " i");
	if (c->read_envelope_from)
		buf_puts(b, " envfrom");
	if (c->pretend)
		buf_puts(b, " P");
	if (c->verbose)
		buf_printf(b, " v=%d", c->verbose);
	if (c->queue != -1)
		buf_printf(b, " queue=%d", c->queue);
	put_str(b, "from", c->envelope_from);
	put_str(b, "F", c->full_name);
	put_str(b, "N", c->dsn_notify);
	put_str(b, "R", c->dsn_return);
	put_str(b, "V", c->dsn_envid);
	put_str(b, "B", c->body_type);
	put_str(b, "L", c->log_tag);
	put_str(b, "a", c->account);
	put_str(b, "C", c->rcfile);
	put_str(b, "id", c->queue_id);
	for (k = 0; k < c->noverrides; k++)
		buf_printf(b, " ov:%s=[%s]", c->overrides[k].key,
			   c->overrides[k].value);
	for (k = 0; k < c->nrcpts; k++)
		buf_printf(b, " rcpt=[%s]", c->rcpts[k]);
	if (c->compose)
		buf_puts(b, " compose");
	put_str(b, "subject", c->subject);
	for (k = 0; k < c->to.n; k++)
		buf_printf(b, " to=[%s]", c->to.v[k]);
	for (k = 0; k < c->cc.n; k++)
		buf_printf(b, " cc=[%s]", c->cc.v[k]);
	for (k = 0; k < c->attach.n; k++)
		buf_printf(b, " attach=[%s]", c->attach.v[k]);
}

static const struct tcase cases[] = {
	/* --- real callers ------------------------------------------- */
	{"debian cron",
	 {"/usr/sbin/sendmail", "-FCronDaemon", "-i", "-B8BITMIME", "-oem",
	  "user", NULL},
	 "mode=send i F=[CronDaemon] B=[8BITMIME] rcpt=[user]"},
	{"debian cron, MAILTO list in one argument",
	 {"sendmail", "-FCronDaemon", "-i", "-B8BITMIME", "-oem", "a@x, b@y",
	  NULL},
	 "mode=send i F=[CronDaemon] B=[8BITMIME] rcpt=[a@x, b@y]"},
	{"cronie",
	 {"/usr/sbin/sendmail", "-FCronDaemon", "-i", "-odi", "-oem", "-oi",
	  "-t", "-f", "user", NULL},
	 "mode=send t i from=[user] F=[CronDaemon]"},
	{"systemd-cron",
	 {"sendmail", "-i", "-B", "8BITMIME", "user", NULL},
	 "mode=send i B=[8BITMIME] rcpt=[user]"},
	{"logwatch / mdadm",
	 {"sendmail", "-t", "-froot@host.example", NULL},
	 "mode=send t from=[root@host.example]"},
	{"unattended-upgrades",
	 {"/usr/sbin/sendmail", "-oi", "-t", NULL},
	 "mode=send t i"},
	{"mutt",
	 {"/usr/sbin/sendmail", "-oem", "-oi", "-B8BITMIME", "-f",
	  "me@example.org", "-N", "success,failure", "--", "a@b", "c@d", NULL},
	 "mode=send i from=[me@example.org] N=[success,failure] B=[8BITMIME]"
	 " rcpt=[a@b] rcpt=[c@d]"},
	{"php mail()",
	 {"/usr/sbin/sendmail", "-t", "-i", NULL},
	 "mode=send t i"},
	{"git send-email",
	 {"/usr/sbin/sendmail", "-i", "a@b", NULL},
	 "mode=send i rcpt=[a@b]"},
	{"phpmailer injection: -f value with -X stays one sender",
	 {"sendmail", "-t", "-i", "-f", "a -X/tmp/x", NULL},
	 "mode=send t i from=[a -X/tmp/x]"},
	{"phpmailer injection, glued (CVE-2016-10033 shape)",
	 {"sendmail", "-t", "-i", "-f\"a\\\" -oQ/tmp/ -X/var/www/x.php\"",
	  NULL},
	 "mode=send t i from=[\"a\\\" -oQ/tmp/ -X/var/www/x.php\"]"},
	{"-X FILE is ignored, never a logfile",
	 {"sendmail", "-X", "/tmp/x", "-t", NULL},
	 "mode=send t"},
	{"-X glued is ignored",
	 {"sendmail", "-X/tmp/x", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"symfony -bs", {"/usr/sbin/sendmail", "-bs", NULL}, "mode=smtp-stdio"},
	{"laravel -bs -i",
	 {"sendmail", "-bs", "-i", NULL},
	 "mode=smtp-stdio i"},
	{"smartd / mailx style",
	 {"sendmail", "-i", "--", "root", NULL},
	 "mode=send i rcpt=[root]"},
	{"msmtp user with account and tls",
	 {"msmtp", "-a", "work", "--tls=on", "--from=me@w.example", "x@y",
	  NULL},
	 "mode=send from=[me@w.example] a=[work] ov:tls=[on] rcpt=[x@y]"},

	/* --- sendmail flags ------------------------------------------ */
	{"no arguments", {"sendmail", NULL}, "mode=send"},
	{"argv[0] missing", {NULL}, "mode=send"},
	{"cluster -ti", {"sendmail", "-ti", NULL}, "mode=send t i"},
	{"cluster -tif value glued",
	 {"sendmail", "-tifme@x", NULL},
	 "mode=send t i from=[me@x]"},
	{"cluster -tf takes next word",
	 {"sendmail", "-tf", "me@x", NULL},
	 "mode=send t from=[me@x]"},
	{"-f value starting with '-' is the value",
	 {"sendmail", "-f", "-foo", "u", NULL},
	 "mode=send from=[-foo] rcpt=[u]"},
	{"-f empty: null sender",
	 {"sendmail", "-f", "", "u", NULL},
	 "mode=send from=[] rcpt=[u]"},
	{"-f <>",
	 {"sendmail", "-f<>", "u", NULL},
	 "mode=send from=[<>] rcpt=[u]"},
	{"-r is -f",
	 {"sendmail", "-r", "me@x", "u", NULL},
	 "mode=send from=[me@x] rcpt=[u]"},
	{"last -f wins",
	 {"sendmail", "-fa@x", "-r", "b@x", "u", NULL},
	 "mode=send from=[b@x] rcpt=[u]"},
	{"-F separate",
	 {"sendmail", "-F", "Jane Doe", "u", NULL},
	 "mode=send F=[Jane Doe] rcpt=[u]"},
	{"-N -R -V",
	 {"sendmail", "-N", "never", "-Rhdrs", "-V", "id42", "u", NULL},
	 "mode=send N=[never] R=[hdrs] V=[id42] rcpt=[u]"},
	{"-B 7bit, any case",
	 {"sendmail", "-B", "7bit", "u", NULL},
	 "mode=send B=[7BIT] rcpt=[u]"},
	{"-B bad",
	 {"sendmail", "-B", "binarymime", "u", NULL},
	 "error: option '-B' needs 7BIT or 8BITMIME, not 'binarymime'"},
	{"-bm explicit", {"sendmail", "-bm", "u", NULL}, "mode=send rcpt=[u]"},
	{"-b m separate",
	 {"sendmail", "-b", "m", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"-bp", {"sendmail", "-bp", NULL}, "mode=queue-list"},
	{"-bi", {"sendmail", "-bi", NULL}, "mode=newaliases"},
	{"-I", {"sendmail", "-I", NULL}, "mode=newaliases"},
	{"-bd refused",
	 {"sendmail", "-bd", NULL},
	 "error: -bd is not supported: mailhop only submits mail "
	 "(modes: -bm, -bs, -bp, -bi)"},
	{"-bD refused",
	 {"sendmail", "-bD", NULL},
	 "error: -bD is not supported: mailhop only submits mail "
	 "(modes: -bm, -bs, -bp, -bi)"},
	{"-bv refused",
	 {"sendmail", "-bv", "u", NULL},
	 "error: -bv is not supported: mailhop only submits mail "
	 "(modes: -bm, -bs, -bp, -bi)"},
	{"-bt refused",
	 {"sendmail", "-bt", NULL},
	 "error: -bt is not supported: mailhop only submits mail "
	 "(modes: -bm, -bs, -bp, -bi)"},
	{"-bP refused",
	 {"sendmail", "-bP", NULL},
	 "error: -bP is not supported: mailhop only submits mail "
	 "(modes: -bm, -bs, -bp, -bi)"},
	{"-q", {"sendmail", "-q", NULL}, "mode=flush"},
	{"-q15m: one flush, no daemon",
	 {"sendmail", "-q15m", NULL},
	 "mode=flush"},
	{"-qRdomain", {"sendmail", "-qRexample.org", NULL}, "mode=flush"},
	{"-q does not take the next word",
	 {"sendmail", "-q", "1h", NULL},
	 "mode=flush rcpt=[1h]"},
	{"-o i separate is -oi",
	 {"sendmail", "-o", "i", "u", NULL},
	 "mode=send i rcpt=[u]"},
	{"ignored -o forms",
	 {"sendmail", "-oem", "-odi", "-oQ/var/spool/x", "-oA/etc/aliases",
	  "-om", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"ignored sendmail flags",
	 {"sendmail", "-O", "DeliveryMode=b", "-OFoo=bar", "-G", "-U", "-Am",
	  "-Ac", "-A", "m", "-m", "-n", "-h", "17", "-h5", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"-L tag",
	 {"sendmail", "-L", "cron", "u", NULL},
	 "mode=send L=[cron] rcpt=[u]"},
	{"-v twice", {"sendmail", "-v", "-vt", NULL}, "mode=send t v=2"},
	{"-d alone: msmtp debug",
	 {"sendmail", "-d", "u", NULL},
	 "mode=send v=1 rcpt=[u]"},
	{"-d followed by a debug spec: sendmail, ignored",
	 {"sendmail", "-d", "0-99.1", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"-d followed by a comma spec",
	 {"sendmail", "-d", "21.12,8.5", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"-dX glued: sendmail debug, ignored",
	 {"sendmail", "-d0.4", "-dANSI", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"--debug never takes a word",
	 {"msmtp", "--debug", "5", NULL},
	 "mode=send v=1 rcpt=[5]"},
	{"-- ends options",
	 {"sendmail", "--", "-t", "-fx", "--", NULL},
	 "mode=send rcpt=[-t] rcpt=[-fx] rcpt=[--]"},
	{"options after recipients (GNU order)",
	 {"sendmail", "a@b", "-t", "c@d", NULL},
	 "mode=send t rcpt=[a@b] rcpt=[c@d]"},
	{"lone dash is a recipient",
	 {"sendmail", "-", NULL},
	 "mode=send rcpt=[-]"},
	{"unknown short option",
	 {"sendmail", "-k", NULL},
	 "error: unknown option '-k'"},
	{"unknown letter inside a cluster",
	 {"sendmail", "-tik", NULL},
	 "error: unknown option '-k'"},
	{"-f without value",
	 {"sendmail", "-t", "-f", NULL},
	 "error: option '-f' needs a value"},
	{"-o without value",
	 {"sendmail", "-o", NULL},
	 "error: option '-o' needs a value"},
	{"-b without value",
	 {"sendmail", "-b", NULL},
	 "error: option '-b' needs a value"},

	/* --- argv[0] personalities ----------------------------------- */
	{"mailq", {"/usr/bin/mailq", NULL}, "mode=queue-list"},
	{"newaliases", {"newaliases", NULL}, "mode=newaliases"},
	{"mailhop",
	 {"/usr/local/bin/mailhop", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"mailq personality overridden by -bm",
	 {"mailq", "-bm", "u", NULL},
	 "mode=send rcpt=[u]"},
	{"basename only: /opt/mailq/sendmail sends",
	 {"/opt/mailq/sendmail", NULL},
	 "mode=send"},

	/* --- modes --------------------------------------------------- */
	{"--flush", {"mailhop", "--flush", NULL}, "mode=flush"},
	{"--queue-list", {"mailhop", "--queue-list", NULL}, "mode=queue-list"},
	{"--queue-list and -bp agree",
	 {"mailhop", "-bp", "--queue-list", NULL},
	 "mode=queue-list"},
	{"--queue-delete ID",
	 {"mailhop", "--queue-delete", "6B02D21C92F610032293276E", NULL},
	 "mode=queue-delete id=[6B02D21C92F610032293276E]"},
	{"--queue-delete=ID",
	 {"mailhop", "--queue-delete=6B02D21C92F610032293276E", NULL},
	 "mode=queue-delete id=[6B02D21C92F610032293276E]"},
	{"--queue-retry ID, with -C",
	 {"mailhop", "-C", "rc", "--queue-retry", "ABC", NULL},
	 "mode=queue-retry C=[rc] id=[ABC]"},
	{"--queue-delete needs a value",
	 {"mailhop", "--queue-delete", NULL},
	 "error: option '--queue-delete' needs a value"},
	{"--queue-delete and --queue-retry cannot be combined",
	 {"mailhop", "--queue-delete", "A", "--queue-retry", "B", NULL},
	 "error: options '--queue-delete' and '--queue-retry' cannot be "
	 "combined"},
	{"--queue-retry and --flush cannot be combined",
	 {"mailhop", "--flush", "--queue-retry", "B", NULL},
	 "error: options '--flush' and '--queue-retry' cannot be combined"},
	{"-q and --flush agree",
	 {"mailhop", "-q", "--flush", NULL},
	 "mode=flush"},
	{"--check-config",
	 {"mailhop", "--check-config", NULL},
	 "mode=check-config"},
	{"-S", {"mailhop", "-S", NULL}, "mode=serverinfo"},
	{"--serverinfo", {"mailhop", "--serverinfo", NULL}, "mode=serverinfo"},
	{"conflicting modes",
	 {"mailhop", "-bp", "--check-config", NULL},
	 "error: options '-bp' and '--check-config' cannot be combined"},
	{"conflicting modes -bs -q",
	 {"sendmail", "-bs", "-q", NULL},
	 "error: options '-bs' and '-q' cannot be combined"},
	{"--help wins", {"mailhop", "-bp", "--help", NULL}, "mode=help"},
	{"--version", {"mailhop", "--version", NULL}, "mode=version"},
	{"--help beats --version",
	 {"mailhop", "--version", "--help", NULL},
	 "mode=help"},

	/* --- msmtp long options -------------------------------------- */
	{"--host value separate, --port=",
	 {"msmtp", "--host", "smtp.example.org", "--port=587", "u", NULL},
	 "mode=send ov:host=[smtp.example.org] ov:port=[587] rcpt=[u]"},
	{"--auth alone is on; next word is a recipient",
	 {"msmtp", "--auth", "plain", NULL},
	 "mode=send ov:auth=[on] rcpt=[plain]"},
	{"--auth=plain",
	 {"msmtp", "--auth=plain", NULL},
	 "mode=send ov:auth=[plain]"},
	{"--tls-starttls=off --tls-certcheck",
	 {"msmtp", "--tls-starttls=off", "--tls-certcheck", NULL},
	 "mode=send ov:tls_starttls=[off] ov:tls_certcheck=[on]"},
	{"--source-ip= empty value unsets",
	 {"msmtp", "--source-ip=", NULL},
	 "mode=send ov:source_ip=[]"},
	{"--passwordeval with spaces",
	 {"msmtp", "--passwordeval", "pass show mail -x", NULL},
	 "mode=send ov:passwordeval=[pass show mail -x]"},
	{"-P -C -a",
	 {"msmtp", "-P", "-C", "/etc/x.rc", "-a", "acct", NULL},
	 "mode=send P a=[acct] C=[/etc/x.rc]"},
	{"--file= --account=",
	 {"msmtp", "--file=/x", "--account=a", "--pretend", NULL},
	 "mode=send P a=[a] C=[/x]"},
	{"-t --read-recipients --read-envelope-from",
	 {"msmtp", "--read-recipients", "--read-envelope-from", NULL},
	 "mode=send t envfrom"},
	{"--dsn-notify --dsn-return",
	 {"msmtp", "--dsn-notify=failure", "--dsn-return", "full", NULL},
	 "mode=send N=[failure] R=[full]"},
	{"--syslog, --syslog=LOG_MAIL",
	 {"msmtp", "--syslog", "--syslog=LOG_MAIL", NULL},
	 "mode=send ov:syslog=[on] ov:syslog=[LOG_MAIL]"},
	{"--logfile -  (not -X)",
	 {"msmtp", "--logfile", "-", NULL},
	 "mode=send ov:logfile=[-]"},
	{"no abbreviations: --read-env",
	 {"msmtp", "--read-env", NULL},
	 "error: unknown option '--read-env'"},
	{"--tls alone", {"msmtp", "--tls", NULL}, "mode=send ov:tls=[on]"},
	{"--tls-c is not a prefix match",
	 {"msmtp", "--tls-c", NULL},
	 "error: unknown option '--tls-c'"},
	{"unknown long option",
	 {"msmtp", "--password=x", NULL},
	 "error: unknown option '--password'"},
	{"--password never runs as --passwordeval",
	 {"msmtp", "--password", "secret", NULL},
	 "error: unknown option '--password'"},
	{"--= is not an option",
	 {"msmtp", "--=x", NULL},
	 "error: unknown option '--'"},
	{"value to a flag",
	 {"msmtp", "--pretend=yes", NULL},
	 "error: option '--pretend' takes no value"},
	{"long option missing value",
	 {"msmtp", "--host", NULL},
	 "error: option '--host' needs a value"},
	{"--host with --account",
	 {"msmtp", "--host=h", "-a", "x", "u", NULL},
	 "error: options '--host' and '--account' cannot be combined"},
	{"--rmqs unsupported",
	 {"msmtp", "--rmqs=host", NULL},
	 "error: option '--rmqs' is not supported by mailhop"},
	{"--configure unsupported",
	 {"msmtp", "--configure", "a@b", NULL},
	 "error: option '--configure' is not supported by mailhop"},
	{"--queue / --no-queue: last wins",
	 {"mailhop", "--queue", "--no-queue", NULL},
	 "mode=send queue=0"},
	{"--queue", {"mailhop", "--queue", NULL}, "mode=send queue=1"},
	/* --- compose mode ------------------------------------------- */
	{"compose options: --to and --cc are recipients too, in order",
	 {"mailhop", "--subject", "Hi there", "--to", "a@x", "r@q",
	  "--cc=b@y, c@z", "--attach", "f.pdf", "--attach=g.png", "--to=d@w",
	  NULL},
	 "mode=send rcpt=[a@x] rcpt=[r@q] rcpt=[b@y, c@z] rcpt=[d@w]"
	 " subject=[Hi there] to=[a@x] to=[d@w] cc=[b@y, c@z]"
	 " attach=[f.pdf] attach=[g.png]"},
	{"--compose alone",
	 {"mailhop", "--compose", "r@q", NULL},
	 "mode=send rcpt=[r@q] compose"},
	{"--subject value may look like an option",
	 {"mailhop", "--subject", "-t", NULL},
	 "mode=send subject=[-t]"},
	{"--subject= empty",
	 {"mailhop", "--subject=", NULL},
	 "mode=send subject=[]"},
	{"--attach needs a value",
	 {"mailhop", "--attach", NULL},
	 "error: option '--attach' needs a value"},
	{"--compose takes no value",
	 {"mailhop", "--compose=yes", NULL},
	 "error: option '--compose' takes no value"},
	{"compose with -t and -i",
	 {"mailhop", "-ti", "--to", "a@x", NULL},
	 "mode=send t i rcpt=[a@x] to=[a@x]"},
	{"obsolete --auto-from --maildomain",
	 {"msmtp", "--auto-from=on", "--maildomain", "x.org", NULL},
	 "mode=send ov:auto_from=[on] ov:maildomain=[x.org]"},
};

static int argc_of(const char *const *argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

static void run_case(const struct tcase *t)
{
	struct cli c;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT(SUMMARY_MAX);
	char *argv[MAX_ARGS];
	int argc = argc_of(t->argv), k, r;

	for (k = 0; k <= argc; k++)
		argv[k] = (char *)t->argv[k];
	cli_init(&c);
	r = cli_parse(&c, argc, argv, &e);
	if (r < 0) {
		buf_printf(&b, "error: %s", e.msg);
		if (e.kind != ERR_USAGE)
			buf_puts(&b, " (not ERR_USAGE)");
	} else {
		summarize(&c, &b);
	}
	is_str(b.data, t->want, t->name);
	cli_release(&c);
	buf_release(&b);
}

/* Parse "mailhop WORD"; 0 when it yields exactly one override. */
static int parse_one(struct cli *c, const char *word)
{
	char copy[128];
	char *argv[3] = {"mailhop", copy, NULL};
	struct err e = ERR_INIT;

	snprintf(copy, sizeof(copy), "%s", word);
	cli_init(c);
	if (cli_parse(c, 2, argv, &e) < 0 || c->noverrides != 1)
		return -1;
	return 0;
}

/* Every override option stores its rc key ('-' -> '_'), "on" if bare. */
static void check_override(const struct cli_option_info *o)
{
	char word[128], key[128], name[300];
	struct cli c;
	size_t k;

	snprintf(key, sizeof(key), "%s", o->long_name);
	for (k = 0; key[k]; k++)
		key[k] = key[k] == '-' ? '_' : key[k];
	snprintf(word, sizeof(word), "--%s=v", o->long_name);
	snprintf(name, sizeof(name), "%s -> rc key %s", word, key);
	ok(parse_one(&c, word) == 0 && strcmp(c.overrides[0].key, key) == 0 &&
		   strcmp(c.overrides[0].value, "v") == 0,
	   name);
	cli_release(&c);
	if (!o->arg_optional)
		return;
	snprintf(word, sizeof(word), "--%s", o->long_name);
	snprintf(name, sizeof(name), "%s alone means %s on", word, key);
	ok(parse_one(&c, word) == 0 && strcmp(c.overrides[0].value, "on") == 0,
	   name);
	cli_release(&c);
}

/* --help lists every option of the table. */
static void check_usage(const struct cli_option_info *list, size_t n)
{
	char *text = NULL;
	size_t len = 0, k;
	FILE *f = open_memstream(&text, &len);
	char want[128], name[160];

	ok(f != NULL, "open_memstream");
	if (!f)
		return;
	cli_usage(f);
	fclose(f);
	ok(len > 0 && len < USAGE_MAX, "--help text produced");
	for (k = 0; k < n; k++) {
		if (list[k].long_name)
			snprintf(want, sizeof(want), "--%s", list[k].long_name);
		else if (list[k].short_word)
			snprintf(want, sizeof(want), "  -%s",
				 list[k].short_word);
		else
			snprintf(want, sizeof(want), "  -%c",
				 list[k].short_name);
		snprintf(name, sizeof(name), "--help lists %s", want);
		ok(strstr(text, want) != NULL, name);
	}
	free(text);
}

int main(void)
{
	const struct cli_option_info *list;
	size_t n, k, noverride = 0;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		run_case(&cases[k]);

	list = cli_option_list(&n);
	ok(n > 60, "option table exported");
	for (k = 0; k < n; k++) {
		char word[128];
		struct cli c;

		ok(list[k].help && list[k].help[0], "option has help text");
		if (!list[k].long_name)
			continue;
		ok(strcmp(list[k].long_name, "password") != 0,
		   "no option takes a secret");
		snprintf(word, sizeof(word), "--%s%s", list[k].long_name,
			 list[k].arg ? "=v" : "");
		if (parse_one(&c, word) == 0) {
			noverride++;
			check_override(&list[k]);
		}
		cli_release(&c);
	}
	is_int(noverride, 34, "number of rc-key override options");
	check_usage(list, n);
	return tap_done();
}
