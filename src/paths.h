/*
 * paths.h - where mailhop keeps per-user files, in one place.
 *
 * Contract: path_home() is $HOME when set and non-empty, else the
 * password database's home directory, else "/".  path_cache_dir()
 * appends "$XDG_CACHE_HOME/mailhop" (only an absolute XDG_CACHE_HOME
 * counts, as the XDG spec requires), else "HOME/.cache/mailhop", to b;
 * with make set it creates the missing directories with mode 0700.
 * path_append_safe() appends a name part with every byte outside
 * [A-Za-z0-9._@-] replaced by '_', so account and host names can never
 * form "..", "/" or control bytes in a file name.  The buf's cap bounds
 * every path: -1 when it would be exceeded (or mkdir fails).
 * path_tmpfile() makes the private spool file every message passes
 * through: mkstemp in $TMPDIR (default /tmp), mode 0600, unlinked at
 * once; it returns the fd, or -1 with ERR_IOERR.  write_all() writes all
 * of p, retrying short writes and EINTR: 0, or -1 with errno set (EIO
 * for a write that wrote nothing).
 */
#ifndef MAILHOP_PATHS_H
#define MAILHOP_PATHS_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

const char *path_home(void);
int path_cache_dir(struct buf *b, int make);
int path_append_safe(struct buf *b, const char *part);
int path_tmpfile(struct err *e);
int write_all(int fd, const void *p, size_t n);

#endif
