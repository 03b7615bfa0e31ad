/*
 * queue.h - the durable queue: messages that could not be delivered yet
 * (DESIGN.md "Queue", "Exit status").
 *
 * Contract:
 *  - Location: queue_dir when set; else, for root (euid 0),
 *    LOCALSTATEDIR "/spool/mailhop"; else $XDG_STATE_HOME/mailhop/queue
 *    ($XDG_STATE_HOME only when absolute; default ~/.local/state).
 *    Missing directories are created with mode 0700.  The queue
 *    directory must be a real directory (not a symlink) owned by the
 *    effective user with no group/other permission bits, else
 *    ERR_CONFIG "unsafe permissions"; its subdirectories tmp/ and failed/
 *    likewise.  Every file is created 0600 with O_EXCL|O_NOFOLLOW and is
 *    refused on read unless it is a regular file owned by the effective
 *    user with no group/other bits; everything is reached through
 *    directory descriptors, so a symlink planted anywhere in the queue is
 *    never followed.
 *  - Layout: an entry is ID.data (the message bytes exactly as they will
 *    be sent: header edits already applied, line ends as the input had
 *    them) and ID.meta (text, see below), both in the queue directory.
 *    tmp/ holds files being written; failed/ holds entries given up (a
 *    permanent failure, or queue_lifetime expired) with the reason; the
 *    file "lock" is the flock(2) target.
 *  - The .meta file is the commit record: an entry exists when ID.meta
 *    exists, and a visible .meta always has its .data.  queue_add writes
 *    both into tmp/, fsyncs each, renames the data then the meta into
 *    place and fsyncs the directory; any failure removes what it wrote
 *    (nothing half-visible) and is ERR_TEMPFAIL naming the file and the
 *    system error (disk full, EFBIG: the caller must ignore SIGXFSZ).
 *    Updates rewrite the meta the same way (tmp, fsync, rename, fsync).
 *    queue_done removes the meta first, then the data.  A data file
 *    without meta (a crash between two steps) is never listed; files in
 *    tmp/ are never listed; queue_cleanup() removes both kinds once they
 *    are QUEUE_STALE_S old.
 *  - Meta format, version 1: the first line "mailhop-queue 1", then one
 *    "key value" line each: id, account, from, rcpt (one line per
 *    recipient, in order), dsn_notify, dsn_return, dsn_envid (only when
 *    set), body_8bit, smtputf8, size (bytes of ID.data), created,
 *    tries, next_try (seconds since the epoch), last_error (only after a
 *    failure), failed (only in failed/: the time it was given up).
 *    Values are escaped: every byte that is not printable ASCII
 *    (0x21..0x7e), and '%', becomes %XX (upper-case hex), so no value can
 *    hold a line end, a space or a NUL.  Reading back is strict: the
 *    version line, no unknown or repeated keys, decimal numbers, the id
 *    matching the file name, addresses passing addr_check_envelope(), at
 *    least one rcpt, at most QUEUE_META_MAX bytes, the data file present
 *    with the recorded size.  A meta file failing any check is reported
 *    (struct queue_list.problems) and skipped, never fatal.
 *  - Queue ids: QUEUE_ID_LEN upper-case hex digits: seconds (8),
 *    microseconds (5), process id (6), random (5).  They sort by arrival
 *    time, are unique (the pid separates processes, O_EXCL the rest) and
 *    are safe as file names.  Every id taken from a caller is validated.
 *  - Locking: one flusher at a time.  queue_lock() takes flock(LOCK_EX)
 *    on the lock file; a second flusher gets "busy" (1) and should just
 *    return.  Every change to an existing entry (queue_done,
 *    queue_retry_later, queue_fail, queue_remove, queue_retry_now,
 *    queue_cleanup) requires the lock (ERR_SOFTWARE otherwise), so a
 *    delete or retry command never races a flush.  queue_add and the
 *    listing functions need no lock: ids are new, renames are atomic.
 *  - Backoff: the wait after try N is retry[N-1], the last value
 *    repeating.  Built in: 1m, 2m, 4m, 8m, 16m, 32m, then 1h.  The account
 *    key queue_retry replaces it: durations separated by commas, each
 *    "N", "Ns", "Nm", "Nh" or "Nd" (N > 0), e.g. "1m,5m,15m,1h" (then
 *    every hour).  queue_lifetime (default QUEUE_LIFETIME_DEFAULT, 5
 *    days) counts from the arrival; next_try never goes past the expiry,
 *    and a retry_later after it moves the entry to failed/.
 *  - Retrying a failed/ entry by hand (queue_retry_now) moves it back
 *    into the queue with tries 0 and a new arrival time (a new lifetime).
 *  - Crash windows (documented): killed after the server accepted a
 *    message and before queue_done, the entry is delivered again on the
 *    next flush; killed inside queue_fail after the failed/ copy is
 *    committed, the entry is in both places until the next try fails it
 *    again (or delivers it).
 *  - Nothing here prints, except queue_print() on the FILE it is given.
 *    Text read from meta files is sanitised there.
 */
#ifndef MAILHOP_QUEUE_H
#define MAILHOP_QUEUE_H

#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "addr.h"
#include "envelope.h"
#include "err.h"
#include "msg.h"

#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif

/* Hex digits of a queue id: 8 seconds + 5 microseconds + 6 pid + 5 random. */
#define QUEUE_ID_LEN 24
/* A meta file larger than this is refused: 20,000 recipients (the
 * header cap of msg.h) escaped at worst take about 16 MiB, real ones far
 * less. */
#define QUEUE_META_MAX (16 * 1024 * 1024)
/* One decoded meta value (account name, error text, envid) longer than
 * this is refused: addresses stop at 256 and errors at ERR_MSG_MAX. */
#define QUEUE_VALUE_MAX 4096
/* queue_lifetime's default: 5 days, like Postfix's maximal_queue_lifetime. */
#define QUEUE_LIFETIME_DEFAULT (5L * 24 * 3600)
/* Leftovers of a crash (tmp/ files, data without meta) older than this
 * are removed by queue_cleanup(): no writer takes an hour between its
 * two renames. */
#define QUEUE_STALE_S 3600
/* Entries of a queue_retry list beyond this are ignored. */
#define QUEUE_RETRY_MAX 32

struct queue {
	char *dir;  /* the queue directory (for messages) */
	int dfd;    /* the queue directory */
	int tmpfd;  /* tmp/ */
	int failfd; /* failed/ */
	int lockfd; /* the lock file, when locked */
	int locked;
};

/* Retry policy of one account (queue_policy_init). */
struct queue_policy {
	long retry[QUEUE_RETRY_MAX]; /* seconds */
	size_t nretry;
	long lifetime; /* seconds */
};

/* One entry as its meta file says. */
struct queue_entry {
	char id[QUEUE_ID_LEN + 1];
	char *account;
	char *from; /* "" for the null sender */
	struct strlist rcpts;
	char *dsn_notify; /* NULL when not set */
	char *dsn_return;
	char *dsn_envid;
	int body_8bit;
	int smtputf8;
	long long size; /* bytes of the data file */
	time_t created;
	long tries;
	time_t next_try;
	char *last_error; /* NULL before the first failure */
	time_t failed;	  /* in failed/: when it was given up; else 0 */
};

struct queue_list {
	struct queue_entry *v; /* oldest first */
	size_t n;
	struct strlist problems; /* "ID: why" for each entry skipped */
};

/* The default queue directory (see the contract); *out is malloc'd. */
int queue_default_dir(char **out, struct err *e);

void queue_init(struct queue *q);
/* Open (creating as needed) the queue at dir, or the default when NULL. */
int queue_open(struct queue *q, const char *dir, struct err *e);
/* Releases the lock too. */
void queue_close(struct queue *q);

/*
 * Take the flush lock.  wait_s 0: try once; > 0: retry for up to that
 * many seconds.  Returns 0 when locked, 1 when another process holds it,
 * -1 on error.
 */
int queue_lock(struct queue *q, int wait_s, struct err *e);
void queue_unlock(struct queue *q);

/*
 * retry_spec: the account's queue_retry (NULL or "" = built-in);
 * lifetime: queue_lifetime seconds (<= 0 = QUEUE_LIFETIME_DEFAULT).
 * ERR_CONFIG when retry_spec is malformed.
 */
int queue_policy_init(struct queue_policy *p, const char *retry_spec,
		      long lifetime, struct err *e);
/* Seconds to wait after try number tries (>= 1).  Wherever a policy is
 * taken, NULL means the built-in one (backoff table, 5 days). */
long queue_policy_wait(const struct queue_policy *p, long tries);

/*
 * Queue message m (its bytes as msg_reader yields them) for env and the
 * account.  reason NULL: never tried, due at once (tries 0).  Else the
 * try that just failed counts: tries 1, last_error reason->msg, next try
 * after the policy's first wait.  id receives the new queue id.
 */
int queue_add(struct queue *q, const struct envelope *env, const char *account,
	      const struct msg *m, const struct err *reason, time_t now,
	      const struct queue_policy *pol, char id[QUEUE_ID_LEN + 1],
	      struct err *e);
/* The same, written straight into failed/ (a permanent failure of a new
 * message: it is kept, not retried). */
int queue_add_failed(struct queue *q, const struct envelope *env,
		     const char *account, const struct msg *m,
		     const struct err *reason, time_t now,
		     char id[QUEUE_ID_LEN + 1], struct err *e);

void queue_list_init(struct queue_list *l);
void queue_list_release(struct queue_list *l);
/* Every entry of the queue (not failed/), oldest first. */
int queue_list(struct queue *q, struct queue_list *out, struct err *e);
/* The entries with next_try <= now, oldest first. */
int queue_due(struct queue *q, time_t now, struct queue_list *out,
	      struct err *e);
/* The entries of failed/, oldest first. */
int queue_list_failed(struct queue *q, struct queue_list *out, struct err *e);

void queue_entry_release(struct queue_entry *ent);

/*
 * Everything a session needs to send entry id again.  m must be fresh
 * (msg_init); it is read from the data file with msg_read(ignore_dots)
 * and no header edits, so msg_reader yields the stored bytes unchanged.
 * env must be fresh (envelope_init); from, rcpts, body_8bit,
 * needs_smtputf8, size (msg_out_size) and the DSN fields are set.  ent
 * (may be NULL) receives the meta data (account, tries ...).  A corrupt
 * entry is ERR_DATAERR; a vanished one ERR_TEMPFAIL.
 */
int queue_load(struct queue *q, const char *id, struct queue_entry *ent,
	       struct msg *m, struct envelope *env, struct err *e);

/* Delivered: remove the entry (an already removed entry is fine). */
int queue_done(struct queue *q, const char *id, struct err *e);
/*
 * The try failed temporarily: tries + 1, last_error, next_try after the
 * policy's wait (never past the expiry).  Returns 0 when rescheduled, 1
 * when the lifetime is over and the entry went to failed/.
 */
int queue_retry_later(struct queue *q, const char *id, const struct err *reason,
		      time_t now, const struct queue_policy *pol,
		      struct err *e);
/* Give up: move the entry to failed/ with reason as its last error. */
int queue_fail(struct queue *q, const char *id, const char *reason, time_t now,
	       struct err *e);
/* The delete command: remove the entry from the queue or failed/.
 * ERR_USAGE when there is no such entry. */
int queue_remove(struct queue *q, const char *id, struct err *e);
/* The retry command: due now (a failed/ entry moves back, see above).
 * ERR_USAGE when there is no such entry. */
int queue_retry_now(struct queue *q, const char *id, time_t now, struct err *e);
/* Remove crash leftovers older than QUEUE_STALE_S (see the contract). */
int queue_cleanup(struct queue *q, time_t now, struct err *e);

/*
 * mailq: a Postfix-like listing, oldest first:
 *   -Queue ID--------------- --Size-- ----Arrival Time---- -Sender/Recipient--
 *   ID                           SIZE Www Mmm dd hh:mm:ss  sender
 *    (account A, age 2h05m, tries 3, next try in 12m: last error)
 *                                                         recipient
 *   <blank line>
 *   -- N Kbytes in M Requests.
 * or "Mail queue is empty"; then a line per skipped entry and, when
 * failed/ holds entries, "-- N failed messages kept in DIR/failed".
 * Times are local.  Everything from the meta files is sanitised.
 */
int queue_print(struct queue *q, FILE *out, time_t now, struct err *e);

/* Exposed for the unit tests: the meta value escaping. */
int queue_escape(struct buf *out, const char *s);
/* Decode s[0..n) into a new string; NULL when malformed. */
char *queue_unescape(const char *s, size_t n);
/* Is s a well-formed queue id? */
int queue_id_valid(const char *s);

#endif
