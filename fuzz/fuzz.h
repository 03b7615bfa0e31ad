/*
 * fuzz.h - shared by the libFuzzer targets in fuzz/ and by replay.c.
 *
 * Contract: every target defines LLVMFuzzerTestOneInput() and nothing
 * else global; it must not leak, must not keep state between inputs
 * (beyond caches that do not change behaviour) and must do no network
 * I/O nor run commands.  A violated property calls FUZZ_ASSERT(), which
 * prints the property and aborts: libFuzzer then saves the input as a
 * crash, and the replay test (make check) fails on it.
 */
#ifndef MAILHOP_FUZZ_H
#define MAILHOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                     \
	do {                                                  \
		if (!(cond))                                  \
			fuzz_fail(#cond, __FILE__, __LINE__); \
	} while (0)

static inline void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "fuzz: property violated at %s:%d: %s\n", file, line,
		what);
	abort();
}

/* With FUZZ_DEBUG set in the environment: how an input ended (to check
 * that a seed goes where it should). */
static inline void fuzz_debug(const char *what, const struct err *e)
{
	if (getenv("FUZZ_DEBUG"))
		fprintf(stderr, "fuzz: %s: kind %d: %s\n", what, (int)e->kind,
			e->msg);
}

/*
 * err.h: the message is one line and sanitised (printable ASCII only),
 * whatever the input was; ERR_NONE carries no message.
 */
static inline void fuzz_check_err(const struct err *e)
{
	const unsigned char *p = (const unsigned char *)e->msg;
	size_t i;

	for (i = 0; i < sizeof(e->msg) && p[i]; i++)
		FUZZ_ASSERT(p[i] >= 0x20 && p[i] < 0x7f);
	FUZZ_ASSERT(i < sizeof(e->msg));
	FUZZ_ASSERT(e->kind != ERR_NONE || e->msg[0] == '\0');
}

/* No bare CR or bare LF in p[0..n): every CR is followed by LF and every
 * LF preceded by CR (what may go on the wire). */
static inline int fuzz_crlf_only(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r' && (i + 1 >= n || p[i + 1] != '\n'))
			return 0;
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			return 0;
	}
	return 1;
}

#endif
