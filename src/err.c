/*
 * err.c - error values and the single error-to-sysexits table.
 */
#include "err.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

/* The one table (DESIGN.md, "Exit status"). */
static const struct {
	enum err_kind kind;
	int code;
	int temporary;
} err_table[] = {
	{ERR_NONE, 0, 0},
	{ERR_USAGE, EX_USAGE, 0},
	{ERR_DATAERR, EX_DATAERR, 0},
	{ERR_NOUSER, EX_NOUSER, 0},
	{ERR_NOHOST, EX_NOHOST, 0},
	{ERR_UNAVAILABLE, EX_UNAVAILABLE, 0},
	{ERR_SOFTWARE, EX_SOFTWARE, 0},
	{ERR_OSERR, EX_OSERR, 0},
	{ERR_IOERR, EX_IOERR, 0},
	{ERR_TEMPFAIL, EX_TEMPFAIL, 1},
	{ERR_PROTOCOL, EX_PROTOCOL, 0},
	/* Postfix-style soft bounce: local configuration may be fixed. */
	{ERR_NOPERM, EX_NOPERM, 1},
	{ERR_CONFIG, EX_CONFIG, 0},
};

void err_init(struct err *e)
{
	e->kind = ERR_NONE;
	e->maybe_delivered = 0;
	e->msg[0] = '\0';
}

void err_clear(struct err *e)
{
	err_init(e);
}

static int err_vset(struct err *e, enum err_kind kind, const char *fmt,
		    va_list ap)
{
	char raw[ERR_MSG_MAX * 2];
	int n;

	if (e->kind != ERR_NONE)
		return -1;
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(raw))
		n = sizeof(raw) - 1;
	e->kind = kind == ERR_NONE ? ERR_SOFTWARE : kind;
	sanitize(e->msg, sizeof(e->msg), raw, (size_t)n);
	return -1;
}

int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int err_set_buf(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (errno == ENOMEM)
		return err_set(e, ERR_OSERR, "out of memory");
	va_start(ap, fmt);
	err_vset(e, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int err_exit_code(const struct err *e)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].kind == e->kind)
			return err_table[i].code;
	return EX_SOFTWARE;
}

const char *err_exit_name(int code)
{
	static const struct {
		int code;
		const char *name;
	} names[] = {
		{0, "EX_OK"},
		{EX_USAGE, "EX_USAGE"},
		{EX_DATAERR, "EX_DATAERR"},
		{EX_NOUSER, "EX_NOUSER"},
		{EX_NOHOST, "EX_NOHOST"},
		{EX_UNAVAILABLE, "EX_UNAVAILABLE"},
		{EX_SOFTWARE, "EX_SOFTWARE"},
		{EX_OSERR, "EX_OSERR"},
		{EX_IOERR, "EX_IOERR"},
		{EX_TEMPFAIL, "EX_TEMPFAIL"},
		{EX_PROTOCOL, "EX_PROTOCOL"},
		{EX_NOPERM, "EX_NOPERM"},
		{EX_CONFIG, "EX_CONFIG"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == code)
			return names[i].name;
	return "EX_SOFTWARE";
}

int err_is_temporary(const struct err *e)
{
	size_t i;

	if (e->maybe_delivered)
		return 1;
	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].kind == e->kind)
			return err_table[i].temporary;
	return 0;
}

void err_print(const struct err *e)
{
	fprintf(stderr, "%s: %s\n", progname,
		e->msg[0] ? e->msg : "unknown error");
}

char *sanitize(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	static const char ellipsis[] = "...";
	size_t i, o = 0;

	if (dstsz == 0)
		return dst;
	for (i = 0; i < srclen; i++) {
		unsigned char c = (unsigned char)src[i];

		if (o + 1 >= dstsz) {
			if (dstsz > sizeof(ellipsis))
				memcpy(dst + dstsz - sizeof(ellipsis), ellipsis,
				       sizeof(ellipsis) - 1);
			o = dstsz - 1;
			break;
		}
		dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	dst[o] = '\0';
	return dst;
}
