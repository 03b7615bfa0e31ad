/*
 * log.c - stderr diagnostics and the redacted SMTP transcript.
 */
#include "log.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

/* A log line longer than this is cut (thousands of recipients). */
#define LOG_LINE_MAX (64 * 1024)
/* msmtp's default logfile_time_format */
#define LOG_TIME_FORMAT "%b %d %H:%M:%S"

const char *progname = "mailhop";
int log_level;

void log_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void log_transcript(const char *dir, const char *line, size_t len)
{
	char clean[600];
	size_t keep = len;

	if (log_level < 1)
		return;
	while (keep > 0 && (line[keep - 1] == '\n' || line[keep - 1] == '\r'))
		keep--;
	if (keep >= 5 && strncasecmp(line, "AUTH ", 5) == 0) {
		const char *sp = memchr(line + 5, ' ', keep - 5);

		if (sp) {
			sanitize(clean, sizeof(clean), line,
				 (size_t)(sp - line));
			fprintf(stderr, "%s %s [credentials hidden]\n", dir,
				clean);
			return;
		}
	}
	sanitize(clean, sizeof(clean), line, keep);
	fprintf(stderr, "%s %s\n", dir, clean);
}

void log_transcript_hidden(const char *dir)
{
	if (log_level >= 1)
		fprintf(stderr, "%s [credentials hidden]\n", dir);
}

/* The fields after the time stamp (shared by logfile and syslog). */
static void log_fields(struct buf *b, const struct log_record *r)
{
	char clean[ERR_MSG_MAX];
	size_t i;

	buf_printf(b, "host=%s tls=%s auth=%s ", r->host ? r->host : "",
		   r->tls ? "on" : "off", r->auth ? "on" : "off");
	if (r->auth && r->user)
		buf_printf(b, "user=%s ", r->user);
	buf_printf(b, "from=%s recipients=", r->from ? r->from : "");
	for (i = 0; i < r->nrcpts; i++)
		buf_printf(b, "%s%s", i ? "," : "", r->rcpts[i]);
	if (r->mailsize >= 0)
		buf_printf(b, " mailsize=%lld", r->mailsize);
	if (r->smtpmsg) {
		sanitize(clean, sizeof(clean), r->smtpmsg, strlen(r->smtpmsg));
		buf_printf(b, " smtpstatus=%.3s smtpmsg='%s'", clean, clean);
	}
	if (r->errormsg)
		buf_printf(b, " errormsg='%s'", r->errormsg);
	buf_printf(b, " exitcode=%s", err_exit_name(r->exitcode));
	if (r->queueid)
		buf_printf(b, " queueid=%s", r->queueid);
	if (r->status)
		buf_printf(b, " status=%s", r->status);
	if (r->account)
		buf_printf(b, " account=%s", r->account);
}

static void log_to_file(const char *path, const char *time_format,
			const char *fields)
{
	struct buf line = BUF_INIT(LOG_LINE_MAX + 128);
	char stamp[128];
	time_t now = time(NULL);
	struct tm tm;
	int fd;

	if (!time_format || !*time_format)
		time_format = LOG_TIME_FORMAT;
	localtime_r(&now, &tm);
	/* The format is the user's logfile_time_format, as in msmtp. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(stamp, sizeof(stamp), time_format, &tm) == 0)
		stamp[0] = '\0';
#pragma GCC diagnostic pop
	buf_printf(&line, "%s %s\n", stamp, fields);
	if (strcmp(path, "-") == 0) {
		fputs(line.data, stdout);
		fflush(stdout);
		goto out;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		log_warn("cannot write to logfile '%s': %s", path,
			 strerror(errno));
		goto out;
	}
	if (write(fd, line.data, line.len) != (ssize_t)line.len)
		log_warn("cannot write to logfile '%s': %s", path,
			 strerror(errno));
	close(fd);
out:
	buf_release(&line);
}

static int syslog_facility(const char *name)
{
	static const struct {
		const char *name;
		int facility;
	} facilities[] = {
		{"LOG_USER", LOG_USER},	    {"LOG_MAIL", LOG_MAIL},
		{"LOG_LOCAL0", LOG_LOCAL0}, {"LOG_LOCAL1", LOG_LOCAL1},
		{"LOG_LOCAL2", LOG_LOCAL2}, {"LOG_LOCAL3", LOG_LOCAL3},
		{"LOG_LOCAL4", LOG_LOCAL4}, {"LOG_LOCAL5", LOG_LOCAL5},
		{"LOG_LOCAL6", LOG_LOCAL6}, {"LOG_LOCAL7", LOG_LOCAL7},
	};
	size_t i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcmp(facilities[i].name, name) == 0)
			return facilities[i].facility;
	return LOG_USER;
}

void log_delivery(const char *logfile, const char *time_format,
		  const char *syslog_fac, const struct log_record *r)
{
	struct buf fields = BUF_INIT(LOG_LINE_MAX);

	if (!logfile && !syslog_fac)
		return;
	log_fields(&fields, r);
	if (fields.len == 0)
		buf_puts(&fields, "log line too long");
	if (logfile)
		log_to_file(logfile, time_format, fields.data);
	/* The ident (progname, or -L TAG) was set by main.c's openlog(). */
	if (syslog_fac)
		syslog(syslog_facility(syslog_fac) |
			       (r->errormsg ? LOG_ERR : LOG_INFO),
		       "%s", fields.data);
	buf_release(&fields);
}
