/*
 * paths.c - per-user file locations (see paths.h).
 */
#include "paths.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *path_home(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h)
		return h;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir ? pw->pw_dir : "/";
}

int path_cache_dir(struct buf *b, int make)
{
	const char *x = getenv("XDG_CACHE_HOME");

	if (x && x[0] == '/') {
		if (buf_puts(b, x) < 0)
			return -1;
	} else if (buf_printf(b, "%s/.cache", path_home()) < 0) {
		return -1;
	}
	if (make && mkdir(b->data, 0700) < 0 && errno != EEXIST)
		return -1;
	if (buf_puts(b, "/mailhop") < 0)
		return -1;
	if (make && mkdir(b->data, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int path_append_safe(struct buf *b, const char *part)
{
	for (; *part; part++) {
		char c = *part;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("._@-", c)))
			c = '_';
		if (buf_putc(b, c) < 0)
			return -1;
	}
	return 0;
}
