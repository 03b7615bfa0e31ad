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
 */
#ifndef MAILHOP_PATHS_H
#define MAILHOP_PATHS_H

#include "buf.h"

const char *path_home(void);
int path_cache_dir(struct buf *b, int make);
int path_append_safe(struct buf *b, const char *part);

#endif
