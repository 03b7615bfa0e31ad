/*
 * flush.h - delivery with the queue (DESIGN.md "Queue", "Exit status"):
 * the new message, the queued messages that are due, fallback accounts,
 * and the queue commands (mailq, --flush, --queue-delete, --queue-retry).
 *
 * Contract:
 *  - flush_send() delivers one new message.  With the queue on
 *    (cli->queue when given, else the account's `queue`) it first takes
 *    the queue lock without waiting; when it gets it, the due entries
 *    (oldest first, grouped per account) are sent within FLUSH_BUDGET_S,
 *    each account's over one connection (RSET between), and the new
 *    message goes last over its account's connection.  A busy lock:
 *    only the new message is sent.
 *  - A temporary failure (err_is_temporary) tries the account's
 *    `fallback` accounts in order; when they fail too, the message is
 *    queued and flush_send() returns 0 (silently; a warning line when
 *    the cause is ERR_NOPERM).  Queue off or unwritable: -1 with
 *    ERR_TEMPFAIL (ERR_NOPERM keeps its kind with the queue off), the
 *    queue's error appended to *detail.  A permanent failure returns -1
 *    with its error, the message kept in failed/ (a warning when that
 *    fails).  Only the primary's refusal is permanent: a fallback that
 *    refuses just leaves the message to the queue.
 *  - An account built from --host alone (conf NULL) never queues nor
 *    flushes: a temporary failure is ERR_TEMPFAIL.  With the queue off
 *    the queue directory is not touched at all.
 *  - Queued entries are sent exactly as stored (queue_load): no envelope
 *    rebuilding, no header edits.  Their account is the rc file's account
 *    of that name with the command-line overrides applied; fallbacks get
 *    no overrides.  Outcomes: delivered (queue_done), deferred or
 *    expired (queue_retry_later), failed (queue_fail).  Each outcome is
 *    one line in the account's log (log.h: queueid, status, account).
 *  - Nothing here exits; stdout is only used by flush_list().
 */
#ifndef MAILHOP_FLUSH_H
#define MAILHOP_FLUSH_H

#include "buf.h"
#include "cli.h"
#include "conf.h"
#include "envelope.h"
#include "err.h"
#include "msg.h"

/*
 * How long a sending mailhop spends on old mail before its own message:
 * cron and web applications call sendmail synchronously, so a backlog
 * must not hold them long (entries not reached stay due for the next run
 * or --flush).  Checked between messages; each one is bounded by the
 * session's timeouts.
 */
#define FLUSH_BUDGET_S 60
/* --queue-delete / --queue-retry wait this long for a running flush. */
#define FLUSH_LOCK_WAIT_S 10

/* conf NULL: the account came from --host (see above). */
int flush_send(const struct cli *cli, const struct conf *conf,
	       struct account *a, const struct envelope *env, struct msg *m,
	       struct buf *detail, struct err *e);

/*
 * The queue commands; a (may be NULL: the default queue directory)
 * gives queue_dir and, for --flush, the command-line overrides apply to
 * every entry's account.  --flush sends every entry now (backoff
 * ignored) and returns 0 when the queue could be worked on; a busy lock
 * returns 0 at once.  Entries given up are reported on stderr.
 */
int flush_all(const struct cli *cli, const struct conf *conf,
	      const struct account *a, struct buf *detail, struct err *e);
int flush_list(const struct account *a, struct err *e);
int flush_delete(const struct account *a, const char *id, struct err *e);
int flush_retry(const struct account *a, const char *id, struct err *e);

#endif
