/*
 * buf.h - the one growable byte buffer, with a hard cap.
 *
 * Contract: a struct buf owns its storage (b->data, NUL-terminated after
 * every successful append so it can be used as a C string).  Every append
 * checks the cap given at buf_init(); exceeding it fails with -1 and
 * leaves the buffer unchanged: a truncation is an error, never silent
 * (STYLE.md rule 6).  Allocation failure also returns -1; errno tells
 * them apart (EMSGSIZE: over the cap, ENOMEM: out of memory), and the
 * first such errno stays in b->error.  buf_release()
 * frees the storage and may be called on a zeroed or released buffer.
 * buf_release_secret() zeroes the bytes before freeing them.  A buffer
 * marked with buf_set_secret() (it may carry credentials: the engine's
 * and the connection's output) zeroes every byte it lets go of: on grow
 * (no realloc copy left behind), reset, consume and release.
 */
#ifndef MAILHOP_BUF_H
#define MAILHOP_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap; /* hard limit on len */
	int secret; /* zero bytes when they are dropped */
	/*
	 * errno of the first append that failed since buf_init(), else 0:
	 * for a report built by many appends and checked once at the end.
	 */
	int error;
};

#define BUF_INIT(cap)                   \
	{                               \
		NULL, 0, 0, (cap), 0, 0 \
	}

void buf_init(struct buf *b, size_t cap);
void buf_set_secret(struct buf *b);
void buf_release(struct buf *b);
void buf_release_secret(struct buf *b);
void buf_reset(struct buf *b);
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, int c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Remove the first n bytes. */
void buf_consume(struct buf *b, size_t n);
/* Hand the storage to the caller (a malloc'd NUL-terminated string). */
char *buf_detach(struct buf *b);
/* A NUL-terminated copy; NULL on allocation failure. */
char *xstrndup(const char *s, size_t n);

#endif
