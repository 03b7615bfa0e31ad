/*
 * tap.h - a minimal TAP producer for the unit tests (one header, no
 * library).  Each test program calls ok()/is_str()/is_int() and ends with
 * "return tap_done();", which prints the plan and returns non-zero when a
 * check failed.  Automake's tap-driver.sh counts every check.
 */
#ifndef MAILHOP_TAP_H
#define MAILHOP_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *name, const char *file, int line)
{
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
	if (!cond)
		printf("# failed at %s:%d\n", file, line);
	return cond;
}

#define ok(cond, name) tap_ok(!!(cond), (name), __FILE__, __LINE__)

#define is_int(got, want, name)                                          \
	do {                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want); \
		if (!ok(g_ == w_, (name)))                               \
			printf("#   got %lld, want %lld\n", g_, w_);     \
	} while (0)

#define is_str(got, want, name)                                         \
	do {                                                            \
		const char *g_ = (got), *w_ = (want);                   \
		int same_ = (g_ == NULL && w_ == NULL) ||               \
			    (g_ && w_ && strcmp(g_, w_) == 0);          \
		if (!ok(same_, (name)))                                 \
			printf("#   got '%s', want '%s'\n",             \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
