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
 * mechanism name; a line sent right after a 334 challenge is redacted.
 */
void log_transcript(const char *dir, const char *line, size_t len);

#endif
