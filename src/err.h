/*
 * err.h - one error value for the whole program, and the one table that
 * maps it to a sysexits(3) code (DESIGN.md, "Exit status").
 *
 * Contract: functions that can fail return -1 (or an enum) and fill a
 * caller-owned struct err.  The first error wins: err_set() on a struct
 * that already holds an error keeps the old one and still returns -1, so
 * cleanup paths may report freely.  The message is one line, lower case,
 * naming what failed first (STYLE.md rule 12); it never holds a secret and
 * any server text in it must already be sanitised (err_set does sanitise
 * the formatted result: control bytes become '?').  Only main.c turns an
 * err into an exit status, with err_exit_code().
 */
#ifndef MAILHOP_ERR_H
#define MAILHOP_ERR_H

#include <stddef.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_USAGE,	 /* 64: bad flags, no recipients */
	ERR_DATAERR,	 /* 65: message cannot be sent as it is; 5xx to MAIL */
	ERR_NOUSER,	 /* 67: a recipient refused with 5xx */
	ERR_NOHOST,	 /* 68: the smarthost name does not exist */
	ERR_UNAVAILABLE, /* 69: 5xx to DATA or final dot, extension missing */
	ERR_SOFTWARE,	 /* 70: internal error */
	ERR_OSERR,	 /* 71: local system failure */
	ERR_IOERR,	 /* 74: local I/O failure */
	ERR_TEMPFAIL,	 /* 75: temporary failure, message not queued */
	ERR_PROTOCOL,	 /* 76: unparsable or out-of-sequence reply */
	ERR_NOPERM,	 /* 77: authentication refused, certificate failed */
	ERR_CONFIG,	 /* 78: rc file error, unsafe permissions, ... */
};

/* Longest error line we keep; longer messages are cut with "...". */
#define ERR_MSG_MAX 1024

struct err {
	enum err_kind kind;
	/*
	 * Set when the data may already have been accepted by the server
	 * (connection lost after the final dot, before its reply).
	 */
	int maybe_delivered;
	char msg[ERR_MSG_MAX];
};

#define ERR_INIT                \
	{                       \
		ERR_NONE, 0, "" \
	}

void err_init(struct err *e);
/* Record an error (first one wins); always returns -1. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Record a failed allocation or bounded-buffer operation (buf.h): when
 * errno is ENOMEM, "out of memory" (ERR_OSERR, 71); otherwise a cap was
 * hit and kind with the formatted text is recorded.  Call it right after
 * the failing call, before anything else can change errno.  Returns -1.
 */
int err_set_buf(struct err *e, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Forget a recorded error (used when a fallback path recovers). */
void err_clear(struct err *e);
/* The sysexits code for an error kind (0 for ERR_NONE). */
int err_exit_code(const struct err *e);
/* The sysexits name of an exit code ("EX_OK", "EX_TEMPFAIL", ...). */
const char *err_exit_name(int code);
/* Whether retrying later could cure it (queue/fallback decisions). */
int err_is_temporary(const struct err *e);
/* Print "mailhop: <msg>" on stderr. */
void err_print(const struct err *e);

/*
 * Copy untrusted text into dst (size dstsz, always NUL-terminated),
 * replacing control bytes and non-ASCII with '?' and cutting long text
 * with "...".  Returns dst.
 */
char *sanitize(char *dst, size_t dstsz, const char *src, size_t srclen);

#endif
