/*
 * log.c - stderr diagnostics and the redacted SMTP transcript.
 */
#include "log.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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
