/*
 * log.h - diagnostics on stderr, with the verbosity level.
 *
 * Contract: progname and log_level are the only mutable globals of the
 * program (STYLE.md rule 2).  log_debug() prints only when log_level >=
 * 1 (-v / -d).  Callers pass already-sanitised text; log_transcript()
 * sanitises a protocol line itself and redacts authentication payloads.
 * A successful run at log level 0 prints nothing.
 */
#ifndef MAILHOP_LOG_H
#define MAILHOP_LOG_H

#include <stddef.h>

extern const char *progname;
extern int log_level;

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * One line of the SMTP transcript at log level >= 1: dir is "<--"
 * (server) or "-->" (client).  Lines starting with "AUTH " keep only the
 * mechanism name: "AUTH PLAIN [credentials hidden]".
 */
void log_transcript(const char *dir, const char *line, size_t len);
/*
 * A transcript line whose content must not be shown: "DIR [credentials
 * hidden]".  The engine (smtp.c), which knows that a line answers a 334
 * challenge, logs such lines with this instead of log_transcript().
 */
void log_transcript_hidden(const char *dir);

/*
 * One delivery attempt, for the account's logfile and syslog (msmtp's
 * line format, so existing log parsers keep working):
 *   "TIME host=H tls=on|off auth=on|off [user=U ]from=F recipients=A,B
 *    [mailsize=N ][smtpstatus=C smtpmsg='...' ][errormsg='...' ]
 *    exitcode=EX_...[ queueid=ID][ status=S][ account=A]"
 * TIME (logfile only) uses logfile_time_format (default "%b %d %H:%M:%S").
 * syslog lines go to the account's facility under the ident main.c gave
 * openlog() (-L TAG, else the program name).
 * logfile "-" is standard output.  The log file is opened with O_APPEND
 * and O_NOFOLLOW (a symlink planted there is not followed) and created
 * with mode 0600; the line is written with one write(2).  Server text is
 * sanitised.  A log that cannot be written costs one warning line, never
 * the delivery's exit status.
 */
struct log_record {
	const char *host;
	int tls;
	int auth;
	const char *user; /* NULL unless auth */
	const char *from;
	char *const *rcpts;
	size_t nrcpts;
	long long mailsize;   /* < 0: unknown */
	const char *smtpmsg;  /* final reply ("250 ok"), or NULL */
	const char *errormsg; /* NULL on success */
	int exitcode;
	/* The queue (mailhop's own fields, after exitcode; each only when
	 * not NULL): "queueid=ID status=queued|delivered|deferred|failed|
	 * expired account=NAME" (the account that was tried last or that
	 * delivered, e.g. a fallback). */
	const char *queueid;
	const char *status;
	const char *account;
};

void log_delivery(const char *logfile, const char *time_format,
		  const char *syslog_facility, const struct log_record *r);

#endif
