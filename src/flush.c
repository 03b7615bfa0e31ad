/*
 * flush.c - delivery with the queue (see flush.h for the contract).
 *
 * Shape: the messages to send (due entries, then maybe the new one) are
 * split into groups, one per account name, in the order of each group's
 * oldest message; the group holding the new message goes last.  A group
 * has routes: its account, then its fallback accounts, each with a
 * session batch (one connection, opened on first use).  A message tries
 * the routes in order until one accepts it; a route whose connection
 * failed temporarily is "down" for the rest of the group, so a dead
 * smarthost costs one connection attempt per run, not one per message.
 */
#include "flush.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "queue.h"
#include "reply.h"
#include "session.h"

/* Fallback accounts beyond this many are ignored (a handful is plenty). */
#define FLUSH_FALLBACK_MAX 8
#define FLUSH_ROUTES_MAX   (1 + FLUSH_FALLBACK_MAX)
/* An account name in a fallback list longer than this is ignored. */
#define FLUSH_NAME_MAX 256

struct flush {
	const struct cli *cli;
	const struct conf *conf; /* NULL: --host account, no rc file */
	struct queue *q;	 /* NULL: no queue (off, unusable, busy) */
	struct buf *detail;
	time_t deadline; /* 0: no budget (--flush) */
	int report;	 /* --flush: entries given up go to stderr */
};

struct route {
	struct account *a;
	int owned; /* a is ours to free */
	struct session_batch *b;
	int down;
	struct err why; /* why it is down */
};

/* The new message and what became of it. */
struct newmsg {
	struct account *a;
	const struct envelope *env;
	struct msg *m;
	int r;
	struct err err;
	struct buf final;
	const struct account *by; /* who delivered it (group_run() only) */
};

struct group {
	const char *name;
	size_t *idx; /* entries of the due list, oldest first */
	size_t n;
	struct newmsg *nw; /* the new message goes last, or NULL */
	struct route r[FLUSH_ROUTES_MAX];
	size_t nr;
	struct queue_policy pol;
};

/* ------------------------------------------------------------ log */

/* One line in the message account's logfile/syslog per outcome. */
static void flush_log(const struct account *owner, const struct account *via,
		      const struct envelope *env, const char *final,
		      const struct err *e, const char *id, const char *status)
{
	struct log_record r;

	if (!owner)
		return;
	if (!via)
		via = owner;
	memset(&r, 0, sizeof(r));
	r.host = via->socket ? via->socket : via->host;
	r.tls = via->tls;
	r.auth = via->auth != AUTH_OFF;
	r.user = via->user;
	r.from = env->from;
	r.rcpts = env->rcpts.v;
	r.nrcpts = env->rcpts.n;
	r.mailsize = e ? -1 : (long long)env->size;
	r.smtpmsg = final && *final ? final : NULL;
	r.errormsg = e ? e->msg : NULL;
	r.exitcode = e ? err_exit_code(e) : 0;
	r.queueid = id;
	r.status = status;
	if (status || via != owner)
		r.account = via->name;
	log_delivery(owner->logfile, owner->logfile_time_format, owner->syslog,
		     &r);
}

/* ------------------------------------------------------------ routes */

/*
 * The rc file's account NAME, finished; with the command-line overrides
 * when overrides is set (the message's own account, not a fallback).
 */
static struct account *load_named(const struct flush *f, const char *name,
				  int overrides, struct err *e)
{
	struct account *a;
	size_t i;

	if (!f->conf) {
		err_set(e, ERR_CONFIG, "no rc file for account '%s'", name);
		return NULL;
	}
	a = conf_select(f->conf, name, NULL, e);
	if (!a)
		return NULL;
	for (i = 0; overrides && i < f->cli->noverrides; i++)
		if (account_set(a, f->cli->overrides[i].key,
				f->cli->overrides[i].value, e) < 0)
			goto fail;
	if (account_finish(a, e) == 0)
		return a;
fail:
	account_free(a);
	return NULL;
}

static void route_add(struct group *g, struct account *a, int owned,
		      struct buf *detail, const struct err *why)
{
	size_t msgs = g->n + (g->nw != NULL);

	struct route *rt = &g->r[g->nr++];

	memset(rt, 0, sizeof(*rt));
	rt->a = a;
	rt->owned = owned;
	err_init(&rt->why);
	if (a)
		rt->b = session_batch_new(a, msgs > 1, detail);
	if (!rt->b) {
		rt->down = 1;
		if (why && why->kind != ERR_NONE)
			rt->why = *why;
		else
			err_set(&rt->why, ERR_OSERR, "out of memory");
	}
}

/* The fallback accounts named by the primary's `fallback` list. */
static void add_fallbacks(const struct flush *f, struct group *g,
			  const char *list)
{
	char name[FLUSH_NAME_MAX];
	size_t n;

	while (list && *list && g->nr < FLUSH_ROUTES_MAX) {
		struct err e = ERR_INIT;
		struct account *a;

		list += strspn(list, ", \t");
		n = strcspn(list, ", \t");
		if (n == 0)
			break;
		if (n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			a = load_named(f, name, 0, &e);
			if (!a)
				log_warn("warning: fallback account '%s': %s",
					 name, e.msg);
			else
				route_add(g, a, 1, f->detail, NULL);
		}
		list += n;
	}
}

static void group_open(const struct flush *f, struct group *g)
{
	struct err e = ERR_INIT;
	struct account *a = g->nw ? g->nw->a : load_named(f, g->name, 1, &e);

	g->nr = 0;
	route_add(g, a, g->nw == NULL, f->detail, &e);
	if (queue_policy_init(&g->pol, a ? a->queue_retry : NULL,
			      a ? a->queue_lifetime : 0, &e) < 0)
		queue_policy_init(&g->pol, NULL, 0, &e);
	if (a)
		add_fallbacks(f, g, a->fallback);
}

static void group_close(struct group *g)
{
	size_t i;

	for (i = 0; i < g->nr; i++) {
		session_batch_free(g->r[i].b);
		if (g->r[i].owned)
			account_free(g->r[i].a);
	}
	g->nr = 0;
}

/*
 * Try the routes in order.  0: delivered by *by.  -1: e holds the
 * primary's error (the message's fate); a fallback's failure, even a
 * refusal, only means "not this way".  A message that may have been
 * delivered is not offered to a fallback (it would go out twice).
 */
static int group_send(struct group *g, const struct envelope *env,
		      struct msg *m, struct buf *final,
		      const struct account **by, struct err *e)
{
	size_t i;

	for (i = 0; i < g->nr; i++) {
		struct route *rt = &g->r[i];
		struct err cur = ERR_INIT;

		if (rt->down) {
			cur = rt->why;
		} else {
			buf_reset(final);
			if (session_batch_send(rt->b, env, m, final, &cur) ==
			    0) {
				*by = rt->a;
				return 0;
			}
			if (err_is_temporary(&cur) &&
			    !session_batch_usable(rt->b)) {
				rt->down = 1;
				rt->why = cur;
				rt->why.maybe_delivered = 0;
			}
		}
		if (i == 0)
			*e = cur;
		else
			log_debug("fallback account '%s' failed: %s",
				  rt->a ? rt->a->name : "?", cur.msg);
		if (i == 0 && (!err_is_temporary(&cur) || cur.maybe_delivered))
			break;
		if (i + 1 < g->nr && !g->r[i + 1].down)
			log_debug("trying fallback account '%s'",
				  g->r[i + 1].a->name);
	}
	return -1;
}

/* ------------------------------------------------------------ entries */

/*
 * A local failure (out of memory, a local file, an internal error) is no
 * verdict on the message: a queued one stays queued, to be tried again.
 */
static int local_failure(const struct err *e)
{
	return e->kind == ERR_OSERR || e->kind == ERR_IOERR ||
	       e->kind == ERR_SOFTWARE;
}

static void entry_outcome(const struct flush *f, struct group *g,
			  const struct queue_entry *ent,
			  const struct envelope *env, const struct account *by,
			  const char *final, const struct err *why)
{
	struct err e = ERR_INIT;
	const struct account *owner = g->r[0].a;
	const char *status;
	time_t now = time(NULL);
	int r;

	if (!why) {
		status = "delivered";
		r = queue_done(f->q, ent->id, &e);
	} else if (err_is_temporary(why) || local_failure(why) || !g->r[0].a) {
		/* A missing account is an rc problem: keep the entry. */
		r = queue_retry_later(f->q, ent->id, why, now, &g->pol, &e);
		status = r == 1 ? "expired" : "deferred";
	} else {
		status = "failed";
		r = queue_fail(f->q, ent->id, why->msg, now, &e);
	}
	if (r < 0)
		log_warn("warning: queue entry %s: %s", ent->id, e.msg);
	flush_log(owner ? owner : by, by, env, final, why, ent->id, status);
	if (f->report && r >= 0 && strcmp(status, "deferred") != 0 &&
	    strcmp(status, "delivered") != 0)
		log_warn("message %s %s: %s (kept in %s/failed)", ent->id,
			 status, why->msg, f->q->dir);
}

static int over_budget(const struct flush *f)
{
	return f->deadline && time(NULL) >= f->deadline;
}

static void entry_send(const struct flush *f, struct group *g, const char *id)
{
	struct queue_entry ent;
	struct msg m;
	struct envelope env;
	struct buf final = BUF_INIT(REPLY_LINE_MAX);
	struct err e = ERR_INIT;
	const struct account *by = NULL;

	memset(&ent, 0, sizeof(ent));
	strlist_init(&ent.rcpts);
	msg_init(&m);
	envelope_init(&env);
	if (queue_load(f->q, id, &ent, &m, &env, &e) < 0) {
		if (e.kind == ERR_DATAERR) { /* corrupt: give it up */
			struct err qe = ERR_INIT;

			if (queue_fail(f->q, id, e.msg, time(NULL), &qe) < 0)
				log_warn("warning: queue entry %s: %s", id,
					 qe.msg);
		}
		log_debug("queue entry %s: %s", id, e.msg);
		goto out;
	}
	log_debug("sending queued message %s", id);
	if (!g->r[0].a) {
		e = g->r[0].why; /* the account cannot be loaded */
		entry_outcome(f, g, &ent, &env, NULL, NULL, &e);
	} else if (group_send(g, &env, &m, &final, &by, &e) == 0) {
		entry_outcome(f, g, &ent, &env, by, final.data, NULL);
	} else {
		entry_outcome(f, g, &ent, &env, NULL, NULL, &e);
	}
out:
	buf_release(&final);
	envelope_release(&env);
	msg_release(&m);
	queue_entry_release(&ent);
}

static void group_run(const struct flush *f, struct group *g,
		      const struct queue_list *due)
{
	size_t i;

	group_open(f, g);
	for (i = 0; i < g->n && !over_budget(f); i++)
		entry_send(f, g, due->v[g->idx[i]].id);
	if (g->nw) {
		struct newmsg *nw = g->nw;

		nw->r = group_send(g, nw->env, nw->m, &nw->final, &nw->by,
				   &nw->err);
		/* Logged now: a fallback account dies with the group. */
		if (nw->r == 0)
			flush_log(nw->a, nw->by, nw->env, nw->final.data, NULL,
				  NULL, nw->by != nw->a ? "delivered" : NULL);
		nw->by = NULL;
	}
	group_close(g);
}

/* ------------------------------------------------------------ groups */

/* Group the due entries per account (first appearance order). */
static struct group *make_groups(const struct queue_list *due,
				 struct newmsg *nw, size_t *ng)
{
	struct group *g = calloc(due->n + 1, sizeof(*g));
	size_t i, k, n = 0;

	if (!g)
		return NULL;
	for (i = 0; i < due->n; i++) {
		const char *name = due->v[i].account;

		for (k = 0; k < n && strcmp(g[k].name, name) != 0; k++)
			;
		if (k == n) {
			g[n].name = name;
			g[n].idx = calloc(due->n, sizeof(size_t));
			if (!g[n++].idx)
				break;
		}
		if (g[k].idx)
			g[k].idx[g[k].n++] = i;
	}
	for (k = 0; nw && k < n && strcmp(g[k].name, nw->a->name) != 0; k++)
		;
	if (nw && k == n)
		g[n++].name = nw->a->name;
	if (nw) { /* the new message's group goes last */
		struct group t = g[k];

		memmove(&g[k], &g[k + 1], (n - k - 1) * sizeof(*g));
		g[n - 1] = t;
		g[n - 1].nw = nw;
	}
	*ng = n;
	return g;
}

/* Send the due entries (all when --flush) and then nw (may be NULL). */
static int flush_run(const struct flush *f, int all, struct newmsg *nw,
		     struct err *e)
{
	struct queue_list due;
	struct group *g;
	size_t i, ng = 0;
	int r = -1;

	queue_list_init(&due);
	if (f->q && (all ? queue_list(f->q, &due, e)
			 : queue_due(f->q, time(NULL), &due, e)) < 0)
		goto out;
	for (i = 0; i < due.problems.n; i++)
		log_debug("queue: %s", due.problems.v[i]);
	g = make_groups(&due, nw, &ng);
	if (!g) {
		err_set(e, ERR_OSERR, "out of memory");
		goto out;
	}
	for (i = 0; i < ng; i++) {
		group_run(f, &g[i], &due);
		free(g[i].idx);
	}
	free(g);
	r = 0;
out:
	queue_list_release(&due);
	return r;
}

/* ------------------------------------------------------------ new message */

static int queue_on(const struct cli *cli, const struct conf *conf,
		    const struct account *a)
{
	if (!conf)
		return 0; /* --host: no rc file, no queue */
	return cli->queue >= 0 ? cli->queue : a->queue;
}

/* The temporary failure of nw: queue it (0) or say why not (-1). */
static int new_queue(struct queue *q, struct newmsg *nw, const struct err *qerr,
		     struct buf *detail, struct err *e)
{
	struct queue_policy pol;
	struct err qe = ERR_INIT;
	char id[QUEUE_ID_LEN + 1];
	const struct account *a = nw->a;

	if (q &&
	    queue_policy_init(&pol, a->queue_retry, a->queue_lifetime, &qe) ==
		    0 &&
	    queue_add(q, nw->env, a->name, nw->m, &nw->err, time(NULL), &pol,
		      id, &qe) == 0) {
		flush_log(a, a, nw->env, NULL, &nw->err, id, "queued");
		log_debug("queued as %s", id);
		if (nw->err.kind == ERR_NOPERM)
			log_warn("warning: %s; message queued as %s",
				 nw->err.msg, id);
		return 0;
	}
	flush_log(a, a, nw->env, NULL, &nw->err, NULL, NULL);
	/* 77 stays 77 only with the queue off (DESIGN.md exit table). */
	if (qerr || qe.kind != ERR_NONE) {
		err_set(e, ERR_TEMPFAIL, "%s", nw->err.msg);
		buf_printf(detail, "%s: cannot queue the message: %s\n",
			   progname, q ? qe.msg : qerr->msg);
	} else {
		*e = nw->err;
		e->maybe_delivered = nw->err.maybe_delivered;
	}
	return -1;
}

/* A permanent failure of nw: keep it in failed/ (a warning if not). */
static int new_failed(struct queue *q, struct newmsg *nw, int use_queue,
		      const struct err *qerr, struct err *e)
{
	struct err qe = ERR_INIT;
	char id[QUEUE_ID_LEN + 1];

	*e = nw->err;
	if (!use_queue) {
		flush_log(nw->a, nw->a, nw->env, NULL, &nw->err, NULL, NULL);
		return -1;
	}
	if (q && queue_add_failed(q, nw->env, nw->a->name, nw->m, &nw->err,
				  time(NULL), id, &qe) == 0) {
		log_debug("message kept in %s/failed as %s", q->dir, id);
		flush_log(nw->a, nw->a, nw->env, NULL, &nw->err, id, "failed");
		return -1;
	}
	flush_log(nw->a, nw->a, nw->env, NULL, &nw->err, NULL, "failed");
	log_warn("warning: the message could not be kept in failed/: %s",
		 q ? qe.msg : qerr->msg);
	return -1;
}

int flush_send(const struct cli *cli, const struct conf *conf,
	       struct account *a, const struct envelope *env, struct msg *m,
	       struct buf *detail, struct err *e)
{
	struct flush f = {cli, conf, NULL, detail, 0, 0};
	struct newmsg nw;
	struct queue q;
	struct err qerr = ERR_INIT, lerr = ERR_INIT;
	int use_queue = queue_on(cli, conf, a), have_q = 0, r;

	memset(&nw, 0, sizeof(nw));
	nw.r = -1; /* not sent until group_run() says so */
	nw.a = a;
	nw.env = env;
	nw.m = m;
	buf_init(&nw.final, REPLY_LINE_MAX);
	queue_init(&q);
	if (use_queue && queue_open(&q, a->queue_dir, &qerr) == 0)
		have_q = 1;
	else if (use_queue)
		log_debug("the queue cannot be used: %s", qerr.msg);
	if (have_q && queue_lock(&q, 0, &lerr) == 0) {
		f.q = &q;
		f.deadline = time(NULL) + FLUSH_BUDGET_S;
		queue_cleanup(&q, time(NULL), &lerr);
	}
	if (flush_run(&f, 0, &nw, &lerr) < 0) {
		struct err again = ERR_INIT;

		f.q = NULL; /* the queue cannot be listed: the new one alone */
		if (flush_run(&f, 0, &nw, &again) < 0)
			nw.err = again; /* not even tried */
	}
	queue_unlock(&q);
	if (nw.r == 0) {
		r = 0; /* logged by group_run() */
	} else if (err_is_temporary(&nw.err) && use_queue) {
		r = new_queue(have_q ? &q : NULL, &nw, &qerr, detail, e);
	} else if (err_is_temporary(&nw.err)) {
		flush_log(a, a, env, NULL, &nw.err, NULL, NULL);
		err_set(e, nw.err.kind, "%s", nw.err.msg);
		e->maybe_delivered = nw.err.maybe_delivered;
		r = -1;
	} else {
		r = new_failed(have_q ? &q : NULL, &nw, use_queue, &qerr, e);
	}
	queue_close(&q);
	buf_release(&nw.final);
	return r;
}

/* ------------------------------------------------------------ commands */

static int open_queue(struct queue *q, const struct account *a, struct err *e)
{
	return queue_open(q, a ? a->queue_dir : NULL, e);
}

int flush_all(const struct cli *cli, const struct conf *conf,
	      const struct account *a, struct buf *detail, struct err *e)
{
	struct flush f = {cli, conf, NULL, detail, 0, 1};
	struct queue q;
	int r;

	if (open_queue(&q, a, e) < 0)
		return -1;
	r = queue_lock(&q, 0, e);
	if (r == 1) {
		log_debug("the queue is being flushed by another process");
		r = 0;
	} else if (r == 0) {
		f.q = &q;
		queue_cleanup(&q, time(NULL), e);
		err_clear(e);
		r = flush_run(&f, 1, NULL, e);
	}
	queue_close(&q);
	return r;
}

int flush_list(const struct account *a, struct err *e)
{
	struct queue q;
	int r;

	if (open_queue(&q, a, e) < 0)
		return -1;
	r = queue_print(&q, stdout, time(NULL), e);
	queue_close(&q);
	return r;
}

/* Delete (del) or retry one entry, waiting a little for a flush. */
static int entry_command(const struct account *a, const char *id, int del,
			 struct err *e)
{
	struct queue q;
	int r;

	if (!queue_id_valid(id))
		return err_set(e, ERR_USAGE, "invalid queue id '%.60s'", id);
	if (open_queue(&q, a, e) < 0)
		return -1;
	r = queue_lock(&q, FLUSH_LOCK_WAIT_S, e);
	if (r == 1)
		r = err_set(e, ERR_TEMPFAIL,
			    "the queue is being flushed; try again later");
	if (r == 0)
		r = del ? queue_remove(&q, id, e)
			: queue_retry_now(&q, id, time(NULL), e);
	queue_close(&q);
	return r;
}

int flush_delete(const struct account *a, const char *id, struct err *e)
{
	return entry_command(a, id, 1, e);
}

int flush_retry(const struct account *a, const char *id, struct err *e)
{
	return entry_command(a, id, 0, e);
}
