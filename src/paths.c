/*
 * paths.c - per-user file locations (see paths.h).
 */
#include "paths.h"

#include <errno.h>
#include <stdio.h>
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

int path_tmpfile(struct err *e)
{
	const char *dir = getenv("TMPDIR");
	struct buf path = BUF_INIT(4096);
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if (buf_printf(&path, "%s/mailhop.XXXXXX", dir) < 0)
		return err_set_buf(e, ERR_IOERR,
				   "temporary directory name too long");
	/* mkstemp creates the file with mode 0600, private to us. */
	fd = mkstemp(path.data);
	if (fd < 0)
		err_set(e, ERR_IOERR, "cannot create a spool file in %s: %s",
			dir, strerror(errno));
	else
		unlink(path.data);
	buf_release(&path);
	return fd;
}

int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}
