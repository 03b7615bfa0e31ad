/*
 * main.c - wiring only: command line -> rc file -> message -> envelope
 * -> session -> exit status.  This is the only file that exits; the exit
 * status always comes from err_exit_code() (one table, err.c).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gsasl.h>
#include <idn2.h>

#include "bs.h"
#include "cli.h"
#include "compose.h"
#include "conf.h"
#include "envelope.h"
#include "err.h"
#include "flush.h"
#include "log.h"
#include "msg.h"
#include "reply.h"
#include "secret.h"
#include "sasl.h"
#include "session.h"

static void print_version(void)
{
	struct buf mechs = BUF_INIT(1024);

	sasl_mechanisms_supported(&mechs);
	printf("%s version %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	printf("Features: SMTP LMTP PIPELINING CHUNKING SIZE 8BITMIME DSN TLS "
	       "AUTH SMTPUTF8 IDN queue socks5 unix-socket -bs compose\n");
	printf("Libraries: GnuTLS %s, GNU SASL %s, libidn2 %s\n",
	       gnutls_check_version(NULL), gsasl_check_version(NULL),
	       idn2_check_version(NULL));
	printf("Authentication methods: %s\n", mechs.data ? mechs.data : "");
	printf("System configuration file: %s/mailhoprc\n", SYSCONFDIR);
	printf("Copyright (C) 2026 the mailhop authors.\n"
	       "License GPLv3+: GNU GPL version 3 or later "
	       "<https://gnu.org/licenses/gpl.html>.\n"
	       "This is free software: you are free to change and "
	       "redistribute it.\n");
	buf_release(&mechs);
}

/* Does the command line name the server itself (msmtp's --host)? */
static int cli_has_host(const struct cli *cli)
{
	size_t i;

	for (i = 0; i < cli->noverrides; i++)
		if (strcmp(cli->overrides[i].key, "host") == 0)
			return 1;
	return 0;
}

/*
 * Load the rc file, pick the account, apply argv overrides, finish it.
 * With --host no rc file is read at all (as msmtp): the account is built
 * from the command line alone.  show_from puts -f into the account's
 * "from" so --pretend shows what will be used.
 */
static struct account *load_account(const struct cli *cli, struct conf *conf,
				    int show_from, struct err *e)
{
	struct account *a;
	size_t i;

	if (cli_has_host(cli)) {
		a = account_new("(command line)", NULL);
		if (!a)
			err_set(e, ERR_OSERR, "out of memory");
	} else if (conf_load(conf, cli->rcfile, e) < 0) {
		return NULL;
	} else {
		a = conf_select(conf, cli->account, cli->envelope_from, e);
	}
	if (!a)
		return NULL;
	for (i = 0; i < cli->noverrides; i++)
		if (account_set(a, cli->overrides[i].key,
				cli->overrides[i].value, e) < 0)
			goto fail;
	if (show_from && cli->envelope_from &&
	    account_set(a, "from", cli->envelope_from, e) < 0)
		goto fail;
	if (account_finish(a, e) < 0)
		goto fail;
	return a;
fail:
	account_free(a);
	return NULL;
}

static int show_account(const struct cli *cli, struct err *e)
{
	struct conf conf;
	struct account *a;
	int r = -1;

	conf_init(&conf);
	a = load_account(cli, &conf, 1, e);
	/* As msmtp: passwordeval runs, no other source is asked. */
	if (a && account_eval_password(a, e) == 0) {
		printf("using account %s from %s\n", a->name,
		       conf.path ? conf.path : "the command line");
		account_print(a, stdout);
		r = 0;
	}
	account_free(a);
	conf_release(&conf);
	return r;
}

static int send_mail(const struct cli *cli, struct buf *detail, struct err *e)
{
	struct conf conf;
	struct account *a;
	struct msg m;
	struct envelope env;
	int r = -1, in = STDIN_FILENO;

	conf_init(&conf);
	msg_init(&m);
	envelope_init(&env);
	a = load_account(cli, &conf, 0, e);
	if (!a)
		goto out;
	if (compose_wanted(cli) &&
	    compose_message(cli, STDIN_FILENO, &in, e) < 0)
		goto out;
	/* A composed message is whole: a lone "." line in it is data. */
	if (msg_read(&m, in, cli->ignore_dots || in != STDIN_FILENO, e) < 0 ||
	    (in == STDIN_FILENO && compose_bare_body(cli, &m, e) < 0) ||
	    envelope_build(&env, cli, a, &m, e) < 0)
		goto out;
	if (conf.path)
		log_debug("using account %s from %s", a->name, conf.path);
	/* An account from --host alone has no rc file: no queue. */
	r = flush_send(cli, cli_has_host(cli) ? NULL : &conf, a, &env, &m,
		       detail, e);
out:
	if (in != STDIN_FILENO)
		close(in);
	envelope_release(&env);
	msg_release(&m);
	account_free(a);
	conf_release(&conf);
	return r;
}

/*
 * The queue commands: the queue is the selected account's (queue_dir),
 * or the default one when no account can be selected (mailq on a
 * machine without an rc file).  An rc file that does not load is an error.
 */
static int queue_command(const struct cli *cli, struct buf *detail,
			 struct err *e)
{
	struct conf conf;
	struct account *a = NULL;
	struct err sel = ERR_INIT;
	int r = -1;

	conf_init(&conf);
	if (conf_load(&conf, cli->rcfile, e) < 0)
		goto out;
	a = conf_select(&conf, cli->account, NULL, &sel);
	if (a && account_finish(a, &sel) < 0) {
		account_free(a);
		a = NULL;
	}
	if (!a && sel.kind == ERR_OSERR) { /* not "no such account" */
		*e = sel;
		goto out;
	}
	if (!a)
		log_debug("using the default queue: %s", sel.msg);
	if (cli->mode == MODE_FLUSH)
		r = flush_all(cli, &conf, a, detail, e);
	else if (cli->mode == MODE_QUEUE_DELETE)
		r = flush_delete(a, cli->queue_id, e);
	else if (cli->mode == MODE_QUEUE_RETRY)
		r = flush_retry(a, cli->queue_id, e);
	else
		r = flush_list(a, e);
out:
	account_free(a);
	conf_release(&conf);
	return r;
}

/* -bs: an account that does not load is told to the client as 421. */
static int smtp_stdio(const struct cli *cli, struct err *e)
{
	struct conf conf;
	struct account *a;
	int r = -1;

	conf_init(&conf);
	a = load_account(cli, &conf, 0, e);
	if (!a)
		bs_refuse(STDOUT_FILENO, e);
	else
		r = bs_run(cli, cli_has_host(cli) ? NULL : &conf, a,
			   STDIN_FILENO, STDOUT_FILENO, e);
	account_free(a);
	conf_release(&conf);
	return r;
}

static int serverinfo(const struct cli *cli, struct buf *detail, struct err *e)
{
	struct conf conf;
	struct account *a;
	struct buf out = BUF_INIT(1024 * 1024);
	int r = -1;

	conf_init(&conf);
	a = load_account(cli, &conf, 0, e);
	if (a && session_serverinfo(a, &out, detail, e) == 0) {
		fputs(out.data ? out.data : "", stdout);
		r = 0;
	}
	buf_release(&out);
	account_free(a);
	conf_release(&conf);
	return r;
}

static int run(const struct cli *cli, struct buf *detail, struct err *e)
{
	switch (cli->mode) {
	case MODE_HELP:
		cli_usage(stdout);
		return 0;
	case MODE_VERSION:
		print_version();
		return 0;
	case MODE_NEWALIASES:
		return 0; /* no aliases database to rebuild */
	case MODE_QUEUE_LIST:
	case MODE_FLUSH:
	case MODE_QUEUE_DELETE:
	case MODE_QUEUE_RETRY:
		return queue_command(cli, detail, e);
	case MODE_SMTP_STDIO:
		return smtp_stdio(cli, e);
	case MODE_SERVERINFO:
		return serverinfo(cli, detail, e);
	case MODE_CHECK_CONFIG:
		return show_account(cli, e);
	case MODE_SEND:
	default:
		if (cli->pretend)
			return show_account(cli, e);
		return send_mail(cli, detail, e);
	}
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct err e = ERR_INIT;
	struct buf detail = BUF_INIT(64 * 1024);
	int code = 0;

	signal(SIGPIPE, SIG_IGN);
	/* A file size limit while queueing is an error (queue.h), not death. */
	signal(SIGXFSZ, SIG_IGN);
	cli_init(&cli);
	if (cli_parse(&cli, argc, argv, &e) == 0) {
		log_level = cli.verbose;
		/* syslog lines (account key syslog) carry -L TAG as ident */
		openlog(cli.log_tag ? cli.log_tag : progname, LOG_PID,
			LOG_USER);
		/* A failure that forgot to say why must not exit 0. */
		if (run(&cli, &detail, &e) < 0 &&
		    (code = err_exit_code(&e)) == 0)
			code = EX_SOFTWARE;
	} else {
		code = err_exit_code(&e);
	}
	if (code != 0) {
		err_print(&e);
		if (detail.len > 0) /* lines that help to act on the error */
			fprintf(stderr, "%s%s", detail.data,
				detail.data[detail.len - 1] == '\n' ? ""
								    : "\n");
	}
	buf_release(&detail);
	if (fflush(stdout) != 0 && code == 0)
		code = EX_IOERR;
	cli_release(&cli);
	return code;
}
