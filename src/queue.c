/*
 * queue.c - the durable queue (contract in queue.h): entries are a data
 * file and a meta file committed by rename, reached only through
 * directory descriptors, changed only under the flush lock.
 */
#include "queue.h"
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

/* Large writes: few system calls for big messages. */
#define QUEUE_IO_CHUNK (64 * 1024)
/* A path (queue directory plus file name) longer than this is refused. */
#define QUEUE_PATH_MAX 4096
/* queue_add retries this many fresh ids when one is taken (never seen:
 * the pid and the clock make ids unique). */
#define QUEUE_ID_TRIES 8
/* queue_lock polls this often while waiting (milliseconds). */
#define QUEUE_LOCK_POLL_MS 100
/* The first line of every meta file. */
#define QUEUE_MAGIC "mailhop-queue 1"
/* RFC 3461 §4.4: ENVID at most 100 characters (xtext may triple it). */
#define QUEUE_ENVID_MAX 300
/* Built-in backoff: 1 minute doubling up to 1 hour, then hourly. */
static const long default_retry[] = {60, 120, 240, 480, 960, 1920, 3600};

static const char meta_ext[] = ".meta", data_ext[] = ".data";

/* ---- small helpers ------------------------------------------------------ */

/* "ID.meta" / "ID.data" into name (QUEUE_ID_LEN + 6 bytes). */
static void entry_name(char *name, const char *id, const char *ext)
{
	memcpy(name, id, QUEUE_ID_LEN);
	memcpy(name + QUEUE_ID_LEN, ext, sizeof(meta_ext));
}

#define NAME_SZ (QUEUE_ID_LEN + sizeof(meta_ext))

/* Is st a private file (or directory) of ours? */
static const char *private_problem(const struct stat *st, int want_dir)
{
	if (want_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
		return want_dir ? "is not a directory"
				: "is not a regular file";
	if (st->st_uid != geteuid())
		return "is owned by another user";
	if (st->st_mode & 077)
		return "has unsafe permissions (group or other bits set)";
	return NULL;
}

static int unlink_ok(int dfd, const char *name)
{
	return unlinkat(dfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
}

/* ---- ids and escaping --------------------------------------------------- */

int queue_id_valid(const char *s)
{
	size_t i;

	for (i = 0; i < QUEUE_ID_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return s[i] == '\0';
}

static void make_id(char id[QUEUE_ID_LEN + 1])
{
	struct timespec ts;
	unsigned int rnd = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	/* Uniqueness does not depend on it: pid + clock + O_EXCL do. */
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = (unsigned int)ts.tv_nsec;
	snprintf(id, QUEUE_ID_LEN + 1, "%08llX%05lX%06X%05X",
		 (unsigned long long)ts.tv_sec & 0xFFFFFFFFULL,
		 (unsigned long)(ts.tv_nsec / 1000) & 0xFFFFFUL,
		 (unsigned int)getpid() & 0xFFFFFFU, rnd & 0xFFFFFU);
}

int queue_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int r = (c > 0x20 && c < 0x7f && c != '%')
				? buf_putc(out, c)
				: buf_printf(out, "%%%02X", c);

		if (r < 0)
			return -1;
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *queue_unescape(const char *s, size_t n)
{
	struct buf b = BUF_INIT(QUEUE_VALUE_MAX);
	size_t i;

	if (buf_puts(&b, "") < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;

		if (c == '%') {
			if (i + 2 >= n)
				goto bad;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			/* %00 would cut the C string: refused. */
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				goto bad;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (c <= 0x20 || c >= 0x7f) {
			goto bad;
		}
		if (buf_putc(&b, c) < 0)
			goto bad;
	}
	return buf_detach(&b);
bad:
	buf_release(&b);
	return NULL;
}

/* ---- location ----------------------------------------------------------- */

int queue_default_dir(char **out, struct err *e)
{
	struct buf b = BUF_INIT(QUEUE_PATH_MAX);
	const char *state = getenv("XDG_STATE_HOME"), *home;
	int r;

	if (geteuid() == 0) {
		r = buf_puts(&b, LOCALSTATEDIR "/spool/mailhop");
	} else if (state && state[0] == '/') {
		r = buf_printf(&b, "%s/mailhop/queue", state);
	} else {
		const struct passwd *pw;

		home = getenv("HOME");
		if ((!home || home[0] != '/') && (pw = getpwuid(geteuid())))
			home = pw->pw_dir;
		if (!home || home[0] != '/')
			return err_set(e, ERR_CONFIG,
				       "cannot find the queue directory: no "
				       "home directory (set queue_dir)");
		r = buf_printf(&b, "%s/.local/state/mailhop/queue", home);
	}
	if (r < 0) {
		buf_release(&b);
		return err_set_buf(e, ERR_CONFIG,
				   "queue directory name too long");
	}
	*out = buf_detach(&b);
	return *out ? 0 : err_set(e, ERR_OSERR, "out of memory");
}

/* mkdir -p with mode 0700 for every directory it creates. */
static int mkdir_parents(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* Open (creating with 0700) dir name under dfd; refuse unsafe ones. */
static int open_subdir(int dfd, const char *name, const char *shown,
		       struct err *e)
{
	struct stat st;
	const char *why = NULL;
	int fd;

	if (mkdirat(dfd, name, 0700) < 0 && errno != EEXIST)
		return err_set(e, ERR_TEMPFAIL, "cannot create '%s': %s", shown,
			       strerror(errno));
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		/* Linux reports a symlink under O_DIRECTORY as ENOTDIR. */
		if (err == ENOTDIR &&
		    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			err = ELOOP;
		/* ENOTDIR: a file; ELOOP: a symlink planted there. */
		return err_set(
			e,
			err == ELOOP || err == ENOTDIR ? ERR_CONFIG
						       : ERR_TEMPFAIL,
			"cannot open the queue directory '%s': %s", shown,
			err == ELOOP ? "it is a symbolic link" : strerror(err));
	}
	if (fstat(fd, &st) < 0 || (why = private_problem(&st, 1))) {
		close(fd);
		return err_set(e, ERR_CONFIG, "queue directory '%s' %s", shown,
			       why ? why : strerror(errno));
	}
	return fd;
}

void queue_init(struct queue *q)
{
	q->dir = NULL;
	q->dfd = q->tmpfd = q->failfd = q->lockfd = -1;
	q->locked = 0;
}

static int open_dirs(struct queue *q, struct err *e)
{
	struct buf shown = BUF_INIT(QUEUE_PATH_MAX);
	int r = -1;

	if (mkdir_parents(q->dir) < 0) {
		err_set(e, ERR_TEMPFAIL,
			"cannot create the queue directory '%s': %s", q->dir,
			strerror(errno));
		goto out;
	}
	q->dfd = open_subdir(AT_FDCWD, q->dir, q->dir, e);
	if (q->dfd < 0 || buf_printf(&shown, "%s/tmp", q->dir) < 0)
		goto grow;
	if ((q->tmpfd = open_subdir(q->dfd, "tmp", shown.data, e)) < 0)
		goto out;
	buf_reset(&shown);
	if (buf_printf(&shown, "%s/failed", q->dir) < 0)
		goto grow;
	if ((q->failfd = open_subdir(q->dfd, "failed", shown.data, e)) < 0)
		goto out;
	r = 0;
	goto out;
grow:
	err_set_buf(e, ERR_CONFIG, "queue directory name too long");
out:
	buf_release(&shown);
	return r;
}

int queue_open(struct queue *q, const char *dir, struct err *e)
{
	queue_init(q);
	if (dir && *dir) {
		if (strlen(dir) >= QUEUE_PATH_MAX - 64)
			return err_set(e, ERR_CONFIG,
				       "queue directory name too long");
		q->dir = strdup(dir);
		if (!q->dir)
			return err_set(e, ERR_OSERR, "out of memory");
	} else if (queue_default_dir(&q->dir, e) < 0) {
		return -1;
	}
	if (open_dirs(q, e) < 0) {
		queue_close(q);
		return -1;
	}
	return 0;
}

void queue_close(struct queue *q)
{
	queue_unlock(q);
	if (q->dfd >= 0)
		close(q->dfd);
	if (q->tmpfd >= 0)
		close(q->tmpfd);
	if (q->failfd >= 0)
		close(q->failfd);
	free(q->dir);
	queue_init(q);
}

/* ---- lock --------------------------------------------------------------- */

static int lock_open(struct queue *q, struct err *e)
{
	struct stat st;
	const char *why = NULL;

	q->lockfd = openat(
		q->dfd, "lock",
		O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (q->lockfd < 0)
		return err_set(e, ERR_TEMPFAIL,
			       "cannot open the queue lock '%s/lock': %s",
			       q->dir,
			       errno == ELOOP ? "it is a symbolic link"
					      : strerror(errno));
	if (fstat(q->lockfd, &st) < 0 || (why = private_problem(&st, 0))) {
		close(q->lockfd);
		q->lockfd = -1;
		return err_set(e, ERR_CONFIG, "queue lock '%s/lock' %s", q->dir,
			       why ? why : strerror(errno));
	}
	return 0;
}

int queue_lock(struct queue *q, int wait_s, struct err *e)
{
	long waited = 0;

	if (q->locked)
		return 0;
	if (q->lockfd < 0 && lock_open(q, e) < 0)
		return -1;
	while (flock(q->lockfd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			return err_set(e, ERR_TEMPFAIL,
				       "cannot lock the queue '%s': %s", q->dir,
				       strerror(errno));
		if (waited >= (long)wait_s * 1000)
			return 1;
		usleep(QUEUE_LOCK_POLL_MS * 1000);
		waited += QUEUE_LOCK_POLL_MS;
	}
	q->locked = 1;
	return 0;
}

void queue_unlock(struct queue *q)
{
	if (q->lockfd >= 0)
		close(q->lockfd); /* drops the flock */
	q->lockfd = -1;
	q->locked = 0;
}

static int need_lock(struct queue *q, const char *id, struct err *e)
{
	if (!q->locked)
		return err_set(e, ERR_SOFTWARE,
			       "queue changed without holding its lock");
	if (id && !queue_id_valid(id))
		return err_set(e, ERR_USAGE, "invalid queue id '%.*s'",
			       QUEUE_ID_LEN + 8, id);
	return 0;
}

/* ---- policy ------------------------------------------------------------- */

/* "90", "90s", "15m", "12h", "5d" -> seconds; -1 when invalid. */
static long duration(const char *s, size_t n)
{
	static const char units[] = "smhd";
	static const long mult[] = {1, 60, 3600, 86400};
	long v = 0;
	size_t i = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (v > (LONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (s[i++] - '0');
	}
	if (i == 0 || v <= 0)
		return -1;
	if (i == n)
		return v;
	if (i + 1 != n || !strchr(units, s[i]))
		return -1;
	i = (size_t)(strchr(units, s[i]) - units);
	return v > LONG_MAX / mult[i] ? -1 : v * mult[i];
}

int queue_policy_init(struct queue_policy *p, const char *spec, long lifetime,
		      struct err *e)
{
	size_t i;

	p->lifetime = lifetime > 0 ? lifetime : QUEUE_LIFETIME_DEFAULT;
	p->nretry = 0;
	if (!spec || !*spec) {
		for (i = 0; i < sizeof(default_retry) / sizeof(*default_retry);
		     i++)
			p->retry[p->nretry++] = default_retry[i];
		return 0;
	}
	while (*spec) {
		size_t lead = strspn(spec, " \t"), n;
		long v;

		spec += lead;
		n = strcspn(spec, ",");
		while (n > 0 && (spec[n - 1] == ' ' || spec[n - 1] == '\t'))
			n--;
		if ((v = duration(spec, n)) < 0)
			return err_set(e, ERR_CONFIG,
				       "invalid queue_retry '%.*s'", 64, spec);
		if (p->nretry < QUEUE_RETRY_MAX)
			p->retry[p->nretry++] = v;
		spec += strcspn(spec, ",");
		if (*spec == ',' && *++spec == '\0')
			return err_set(e, ERR_CONFIG,
				       "invalid queue_retry: empty item");
	}
	return 0;
}

long queue_policy_wait(const struct queue_policy *p, long tries)
{
	size_t i = tries < 1 ? 0 : (size_t)(tries - 1);
	struct queue_policy def;

	if (!p || p->nretry == 0) {
		queue_policy_init(&def, NULL, 0, NULL);
		p = &def;
	}
	return p->retry[i < p->nretry ? i : p->nretry - 1];
}

static long policy_lifetime(const struct queue_policy *p)
{
	return p && p->lifetime > 0 ? p->lifetime : QUEUE_LIFETIME_DEFAULT;
}

/* ---- meta files --------------------------------------------------------- */

enum meta_type { MT_ID, MT_STR, MT_FROM, MT_RCPT, MT_NUM, MT_BOOL };

static const struct meta_key {
	const char *name;
	enum meta_type type;
	size_t off;
	int required;
} meta_keys[] = {
#define MK(n, t, f, r)                                   \
	{                                                \
		n, t, offsetof(struct queue_entry, f), r \
	}
	MK("id", MT_ID, id, 1),
	MK("account", MT_STR, account, 1),
	MK("from", MT_FROM, from, 1),
	MK("rcpt", MT_RCPT, rcpts, 1),
	MK("dsn_notify", MT_STR, dsn_notify, 0),
	MK("dsn_return", MT_STR, dsn_return, 0),
	MK("dsn_envid", MT_STR, dsn_envid, 0),
	MK("body_8bit", MT_BOOL, body_8bit, 1),
	MK("smtputf8", MT_BOOL, smtputf8, 1),
	MK("size", MT_NUM, size, 1),
	MK("created", MT_NUM, created, 1),
	MK("tries", MT_NUM, tries, 1),
	MK("next_try", MT_NUM, next_try, 1),
	MK("last_error", MT_STR, last_error, 0),
	MK("failed", MT_NUM, failed, 0),
#undef MK
};
#define NKEYS (sizeof(meta_keys) / sizeof(meta_keys[0]))

void queue_entry_release(struct queue_entry *ent)
{
	free(ent->account);
	free(ent->from);
	strlist_release(&ent->rcpts);
	free(ent->dsn_notify);
	free(ent->dsn_return);
	free(ent->dsn_envid);
	free(ent->last_error);
	memset(ent, 0, sizeof(*ent));
	strlist_init(&ent->rcpts);
}

static long long num_get(const struct queue_entry *ent, size_t off)
{
	const char *p = (const char *)ent + off;

	if (off == offsetof(struct queue_entry, size))
		return ent->size;
	if (off == offsetof(struct queue_entry, tries))
		return ent->tries;
	return (long long)*(const time_t *)p;
}

static void num_set(struct queue_entry *ent, size_t off, long long v)
{
	char *p = (char *)ent + off;

	if (off == offsetof(struct queue_entry, size))
		ent->size = v;
	else if (off == offsetof(struct queue_entry, tries))
		ent->tries = (long)v;
	else
		*(time_t *)p = (time_t)v;
}

static int meta_put(struct buf *b, const char *key, const char *value)
{
	if (buf_printf(b, "%s ", key) < 0 || queue_escape(b, value) < 0)
		return -1;
	return buf_putc(b, '\n');
}

/* One key of ent into b (nothing for an unset optional key). */
static int meta_put_key(struct buf *b, const struct queue_entry *ent,
			const struct meta_key *k)
{
	const char *p = (const char *)ent + k->off, *s;
	size_t i;

	switch (k->type) {
	case MT_ID:
		return meta_put(b, k->name, ent->id);
	case MT_STR:
	case MT_FROM:
		s = *(char *const *)p;
		return s ? meta_put(b, k->name, s) : 0;
	case MT_RCPT:
		for (i = 0; i < ent->rcpts.n; i++)
			if (meta_put(b, k->name, ent->rcpts.v[i]) < 0)
				return -1;
		return 0;
	case MT_BOOL:
		return buf_printf(b, "%s %d\n", k->name, *(const int *)p);
	case MT_NUM:
		if (!k->required && num_get(ent, k->off) == 0)
			return 0;
		return buf_printf(b, "%s %lld\n", k->name,
				  num_get(ent, k->off));
	}
	return -1;
}

static int meta_format(struct buf *b, const struct queue_entry *ent)
{
	size_t i;

	if (buf_puts(b, QUEUE_MAGIC "\n") < 0)
		return -1;
	for (i = 0; i < NKEYS; i++)
		if (meta_put_key(b, ent, &meta_keys[i]) < 0)
			return -1;
	return 0;
}

static int parse_num(const char *s, long long *out)
{
	long long v = 0;

	if (!*s || strlen(s) > 18)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

/*
 * The "why" of an entry that could not be read for want of memory: the
 * entry is fine, the reader is not (never "corrupt", never given up).
 */
static const char meta_oom[] = "out of memory";

/* Store the decoded value v (taken over) for key k; why on failure. */
static const char *meta_set(struct queue_entry *ent, const struct meta_key *k,
			    char *v)
{
	char *p = (char *)ent + k->off;
	struct err tmp = ERR_INIT;
	long long n;

	switch (k->type) {
	case MT_ID:
		if (strcmp(v, ent->id) != 0)
			return "id does not match the file name";
		break;
	case MT_FROM:
		if (addr_check_envelope(v, 1, &tmp) < 0)
			return "invalid sender address";
		/* fall through */
	case MT_STR:
		*(char **)p = v;
		return NULL;
	case MT_RCPT:
		if (addr_check_envelope(v, 0, &tmp) < 0)
			return "invalid recipient address";
		if (strlist_add(&ent->rcpts, v) < 0)
			return meta_oom;
		break;
	case MT_BOOL:
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			return "invalid flag";
		*(int *)p = v[0] == '1';
		break;
	case MT_NUM:
		if (parse_num(v, &n) < 0)
			return "invalid number";
		num_set(ent, k->off, n);
		break;
	}
	free(v);
	return NULL;
}

/* One "key value" line; seen[] counts keys. */
static const char *meta_line(struct queue_entry *ent, const char *line,
			     size_t n, unsigned char *seen)
{
	const char *sp = memchr(line, ' ', n), *why;
	size_t i, klen = sp ? (size_t)(sp - line) : n;
	char *v;

	for (i = 0; i < NKEYS; i++)
		if (strlen(meta_keys[i].name) == klen &&
		    memcmp(meta_keys[i].name, line, klen) == 0)
			break;
	if (i == NKEYS || !sp)
		return "unknown key";
	if (seen[i]++ && meta_keys[i].type != MT_RCPT)
		return "repeated key";
	errno = 0;
	v = queue_unescape(sp + 1, n - klen - 1);
	if (!v)
		return errno == ENOMEM ? meta_oom : "malformed value";
	why = meta_set(ent, &meta_keys[i], v);
	if (why)
		free(v);
	return why;
}

/* Checks across fields, after every line was read. */
static const char *meta_check(const struct queue_entry *ent,
			      const unsigned char *seen)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (meta_keys[i].required && !seen[i])
			return "a required key is missing";
	if (!*ent->account)
		return "empty account name";
	if (ent->dsn_return && strcmp(ent->dsn_return, "FULL") != 0 &&
	    strcmp(ent->dsn_return, "HDRS") != 0)
		return "invalid dsn_return";
	if (ent->dsn_notify &&
	    (strlen(ent->dsn_notify) >= ENVELOPE_DSN_NOTIFY_MAX ||
	     strspn(ent->dsn_notify, "ABCDEFGHIJKLMNOPQRSTUVWXYZ,") !=
		     strlen(ent->dsn_notify)))
		return "invalid dsn_notify";
	if (ent->dsn_envid && strlen(ent->dsn_envid) > QUEUE_ENVID_MAX)
		return "invalid dsn_envid";
	return NULL;
}

/* Parse text (NUL-terminated, len bytes) into ent (ent->id preset). */
static const char *meta_parse(struct queue_entry *ent, const char *text,
			      size_t len)
{
	unsigned char seen[NKEYS];
	const char *p = text, *end = text + len, *why = NULL;
	size_t mlen = strlen(QUEUE_MAGIC);

	memset(seen, 0, sizeof(seen));
	if (len <= mlen || memcmp(text, QUEUE_MAGIC, mlen) != 0 ||
	    text[mlen] != '\n')
		return "not a mailhop queue file (version 1)";
	if (text[len - 1] != '\n')
		return "truncated";
	for (p += mlen + 1; p < end && !why; p++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		why = meta_line(ent, p, (size_t)(nl - p), seen);
		p = nl;
	}
	return why ? why : meta_check(ent, seen);
}

/* ---- reading entries ---------------------------------------------------- */

/* Room for why an entry is refused ("meta file is ..."). */
#define WHY_MAX 160
/* entry_read(): the entry could not be read for want of memory. */
#define ENTRY_OOM (-2)

/*
 * Read the private file name under dfd into b (at most max bytes).
 * Returns 0, 1 when it does not exist, -1 with why set.
 */
static int read_private(int dfd, const char *name, struct buf *b, size_t max,
			char *why)
{
	const char *w = NULL;
	struct stat st;
	char chunk[QUEUE_IO_CHUNK / 4];
	ssize_t n;
	int fd, err = 0;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT)
			return 1;
		w = err == ELOOP ? "is a symbolic link" : NULL;
	} else if (fstat(fd, &st) < 0) {
		err = errno;
	} else if ((w = private_problem(&st, 0)) == NULL &&
		   (unsigned long long)st.st_size > max) {
		w = "is too large";
	}
	while (fd >= 0 && !w && !err && (n = read(fd, chunk, sizeof(chunk)))) {
		if (n < 0 && errno != EINTR)
			err = errno;
		else if (n > 0 && buf_append(b, chunk, (size_t)n) < 0)
			w = b->len + (size_t)n <= max ? meta_oom
						      : "is too large";
	}
	if (fd >= 0)
		close(fd);
	if (w == meta_oom)
		snprintf(why, WHY_MAX, "%s", w);
	else if (w)
		snprintf(why, WHY_MAX, "meta file %s", w);
	else if (err)
		snprintf(why, WHY_MAX, "meta file cannot be read (%s)",
			 strerror(err));
	return w == meta_oom ? ENTRY_OOM : w || err ? -1 : 0;
}

/* The data file of ent is there, private, with the recorded size. */
static const char *data_problem(int dfd, const struct queue_entry *ent)
{
	char name[NAME_SZ];
	struct stat st;

	entry_name(name, ent->id, data_ext);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? "is missing" : "cannot be read";
	if (S_ISLNK(st.st_mode))
		return "is a symbolic link";
	if ((long long)st.st_size != ent->size && S_ISREG(st.st_mode))
		return "does not have the recorded size";
	return private_problem(&st, 0);
}

static int meta_gone(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	       errno == ENOENT;
}

/*
 * Read entry id of directory dfd into ent (fresh).  Returns 0, 1 when
 * the meta file does not exist, -1 with why set (ent released), or
 * ENTRY_OOM when memory ran short (the entry may be fine).
 */
static int entry_read(int dfd, const char *id, struct queue_entry *ent,
		      char *why)
{
	struct buf b = BUF_INIT(QUEUE_META_MAX);
	char name[NAME_SZ];
	const char *w = NULL;
	int r;

	memset(ent, 0, sizeof(*ent));
	strlist_init(&ent->rcpts);
	memcpy(ent->id, id, QUEUE_ID_LEN + 1);
	entry_name(name, id, meta_ext);
	r = read_private(dfd, name, &b, QUEUE_META_MAX, why);
	if (r == 0 && b.len == 0)
		w = "empty";
	else if (r == 0 && memchr(b.data, '\0', b.len))
		w = "NUL byte";
	else if (r == 0)
		w = meta_parse(ent, b.data, b.len);
	if (w == meta_oom) {
		snprintf(why, WHY_MAX, "%s", w);
		r = ENTRY_OOM;
	} else if (w) {
		snprintf(why, WHY_MAX, "bad meta file: %s", w);
		r = -1;
	} else if (r == 0 && (w = data_problem(dfd, ent)) != NULL) {
		snprintf(why, WHY_MAX, "data file %s", w);
		/* Removed meanwhile (queue_done): not a problem. */
		r = meta_gone(dfd, name) ? 1 : -1;
	}
	buf_release(&b);
	if (r != 0)
		queue_entry_release(ent);
	return r;
}

/* entry_read() in the queue, as an err (ERR_USAGE: no such entry). */
static int entry_get(struct queue *q, int dfd, const char *id,
		     struct queue_entry *ent, struct err *e)
{
	char why[WHY_MAX];
	int r = entry_read(dfd, id, ent, why);

	if (r == 1)
		return err_set(e, ERR_USAGE, "no queue entry %s", id);
	if (r == ENTRY_OOM)
		return err_set(e, ERR_OSERR, "out of memory");
	if (r < 0)
		return err_set(e, ERR_DATAERR,
			       "queue entry %s in '%s' is corrupt: %s", id,
			       q->dir, why);
	return 0;
}

void queue_list_init(struct queue_list *l)
{
	l->v = NULL;
	l->n = 0;
	strlist_init(&l->problems);
}

void queue_list_release(struct queue_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		queue_entry_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	strlist_release(&l->problems);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct queue_entry *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The id of a meta file name, or NULL. */
static const char *meta_id(const char *name, char id[QUEUE_ID_LEN + 1])
{
	if (strlen(name) != QUEUE_ID_LEN + strlen(meta_ext) ||
	    strcmp(name + QUEUE_ID_LEN, meta_ext) != 0)
		return NULL;
	memcpy(id, name, QUEUE_ID_LEN);
	id[QUEUE_ID_LEN] = '\0';
	return queue_id_valid(id) ? id : NULL;
}

static int list_add(struct queue_list *out, int dfd, const char *id,
		    time_t due_by)
{
	struct queue_entry ent, *nv;
	char why[WHY_MAX];
	struct buf pb = BUF_INIT(ERR_MSG_MAX);
	int r = entry_read(dfd, id, &ent, why);

	if (r == 1)
		return 0;
	if (r == ENTRY_OOM)
		return -1;
	if (r < 0) {
		r = buf_printf(&pb, "%s: %s", id, why) < 0 ||
				    strlist_add(&out->problems, pb.data) < 0
			    ? -1
			    : 0;
		buf_release(&pb);
		return r;
	}
	if (due_by != (time_t)-1 && ent.next_try > due_by) {
		queue_entry_release(&ent);
		return 0;
	}
	nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
	if (!nv) {
		queue_entry_release(&ent);
		return -1;
	}
	out->v = nv;
	out->v[out->n++] = ent;
	return 0;
}

/* Every valid entry of directory dfd (with next_try <= due_by unless
 * due_by is -1), oldest first. */
static int list_dir(struct queue *q, int dfd, time_t due_by,
		    struct queue_list *out, struct err *e)
{
	char id[QUEUE_ID_LEN + 1];
	struct dirent *de;
	int fd = dup(dfd), r = 0;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return err_set(e, ERR_TEMPFAIL,
			       "cannot read the queue '%s': %s", q->dir,
			       strerror(errno));
	}
	rewinddir(d);
	while (r == 0 && (de = readdir(d)) != NULL)
		if (meta_id(de->d_name, id))
			r = list_add(out, dfd, id, due_by);
	closedir(d);
	if (r < 0)
		return err_set(e, ERR_OSERR, "out of memory");
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), entry_cmp);
	if (out->problems.n > 1)
		qsort(out->problems.v, out->problems.n, sizeof(char *),
		      str_cmp);
	return 0;
}

int queue_list(struct queue *q, struct queue_list *out, struct err *e)
{
	return list_dir(q, q->dfd, (time_t)-1, out, e);
}

int queue_due(struct queue *q, time_t now, struct queue_list *out,
	      struct err *e)
{
	return list_dir(q, q->dfd, now, out, e);
}

int queue_list_failed(struct queue *q, struct queue_list *out, struct err *e)
{
	return list_dir(q, q->failfd, (time_t)-1, out, e);
}

/* ---- writing entries ---------------------------------------------------- */

/* A new private file name in tmp/ (O_EXCL); -1 with errno. */
static int tmp_create(struct queue *q, const char *name)
{
	int fd = openat(q->tmpfd, name,
			O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			0600);

	/* The umask may only have removed bits; make it exactly 0600. */
	if (fd >= 0 && fchmod(fd, 0600) < 0) {
		close(fd);
		unlinkat(q->tmpfd, name, 0);
		return -1;
	}
	return fd;
}

static int write_failed(struct queue *q, const char *name, struct err *e)
{
	return err_set(e, ERR_TEMPFAIL,
		       "cannot write the queue file '%s/tmp/%s': %s", q->dir,
		       name, strerror(errno));
}

/* fsync and close fd (always closed). */
static int tmp_finish(struct queue *q, int fd, const char *name, struct err *e)
{
	int r = fsync(fd);

	if (close(fd) < 0)
		r = -1;
	return r < 0 ? write_failed(q, name, e) : 0;
}

/* Write buffer b as tmp/name, fsynced. */
static int tmp_write_buf(struct queue *q, const char *name, const struct buf *b,
			 struct err *e)
{
	int fd;

	if (unlink_ok(q->tmpfd, name) < 0 || (fd = tmp_create(q, name)) < 0)
		return write_failed(q, name, e);
	if (write_all(fd, b->data, b->len) < 0) {
		write_failed(q, name, e);
		close(fd);
		return -1;
	}
	return tmp_finish(q, fd, name, e);
}

/* The message as msg_reader yields it into fd; *size gets its length. */
static int write_msg(struct queue *q, int fd, const char *name,
		     const struct msg *m, long long *size, struct err *e)
{
	struct msg_reader rd;
	char *chunk = malloc(QUEUE_IO_CHUNK);
	ssize_t n;
	int r = 0;

	if (!chunk)
		return err_set(e, ERR_OSERR, "out of memory");
	*size = 0;
	msg_reader_init(&rd, m);
	while (r == 0 &&
	       (n = msg_reader_read(&rd, chunk, QUEUE_IO_CHUNK, e)) > 0) {
		if (write_all(fd, chunk, (size_t)n) < 0)
			r = write_failed(q, name, e);
		*size += n;
	}
	free(chunk);
	return n < 0 ? -1 : r;
}

/* A fresh id whose tmp/ID.data we created (fd returned). */
static int new_id(struct queue *q, char id[QUEUE_ID_LEN + 1], struct err *e)
{
	char name[NAME_SZ];
	struct stat st;
	int i, fd;

	for (i = 0; i < QUEUE_ID_TRIES; i++) {
		make_id(id);
		entry_name(name, id, data_ext);
		if (fstatat(q->dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
		    fstatat(q->failfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		fd = tmp_create(q, name);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : write_failed(q, name, e);
	}
	return err_set(e, ERR_TEMPFAIL, "cannot find a free queue id in '%s'",
		       q->dir);
}

/* The meta text of ent, checked to read back as the same entry. */
static int meta_build(struct buf *b, const struct queue_entry *ent,
		      struct err *e)
{
	struct queue_entry back;
	const char *why = NULL;

	if (meta_format(b, ent) < 0)
		return err_set(e, ERR_DATAERR,
			       "the queue entry is too large (%d bytes max)",
			       QUEUE_META_MAX);
	memset(&back, 0, sizeof(back));
	strlist_init(&back.rcpts);
	memcpy(back.id, ent->id, sizeof(back.id));
	why = meta_parse(&back, b->data, b->len);
	queue_entry_release(&back);
	if (why)
		return err_set(e, ERR_DATAERR, "cannot queue the message: %s",
			       why);
	return 0;
}

/* Rename tmp/name to name in dfd. */
static int commit(struct queue *q, int dfd, const char *name, struct err *e)
{
	if (renameat(q->tmpfd, name, dfd, name) < 0)
		return err_set(e, ERR_TEMPFAIL,
			       "cannot move '%s' into the queue '%s': %s", name,
			       q->dir, strerror(errno));
	return 0;
}

static int sync_dir(struct queue *q, int dfd, struct err *e)
{
	if (fsync(dfd) < 0)
		return err_set(e, ERR_TEMPFAIL,
			       "cannot sync the queue '%s': %s", q->dir,
			       strerror(errno));
	return 0;
}

/* Write m and ent (id and size filled here) as a new entry of dfd. */
static int add_entry(struct queue *q, int dfd, struct queue_entry *ent,
		     const struct msg *m, struct err *e)
{
	char dname[NAME_SZ], mname[NAME_SZ];
	struct buf meta = BUF_INIT(QUEUE_META_MAX);
	int fd, stage = 0;

	if ((fd = new_id(q, ent->id, e)) < 0)
		return -1;
	entry_name(dname, ent->id, data_ext);
	entry_name(mname, ent->id, meta_ext);
	if (write_msg(q, fd, dname, m, &ent->size, e) < 0) {
		close(fd);
		goto out;
	}
	if (tmp_finish(q, fd, dname, e) < 0 || meta_build(&meta, ent, e) < 0 ||
	    tmp_write_buf(q, mname, &meta, e) < 0)
		goto out;
	stage = 1;
	if (commit(q, dfd, dname, e) < 0)
		goto out;
	stage = 2;
	if (commit(q, dfd, mname, e) < 0)
		goto out;
	stage = 3;
	if (sync_dir(q, dfd, e) < 0)
		goto out;
	stage = 4;
out:
	/* Undo in reverse: the meta (the commit record) goes first. */
	if (stage == 3)
		unlinkat(dfd, mname, 0);
	if (stage == 2 || stage == 3)
		unlinkat(dfd, dname, 0);
	if (stage < 4) {
		unlinkat(q->tmpfd, mname, 0);
		unlinkat(q->tmpfd, dname, 0);
	}
	buf_release(&meta);
	return stage == 4 ? 0 : -1;
}

/* A shallow entry describing env (nothing to release). */
static void entry_from_env(struct queue_entry *ent, const struct envelope *env,
			   const char *account, const struct err *reason,
			   time_t now)
{
	memset(ent, 0, sizeof(*ent));
	ent->account = (char *)account;
	ent->from = env->from;
	ent->rcpts = env->rcpts;
	ent->dsn_notify = (char *)env->dsn_notify;
	ent->dsn_return = (char *)env->dsn_return;
	ent->dsn_envid = (char *)env->dsn_envid;
	ent->body_8bit = !!env->body_8bit;
	ent->smtputf8 = !!env->needs_smtputf8;
	ent->created = now;
	ent->next_try = now;
	if (reason) {
		ent->tries = 1;
		ent->last_error = (char *)(reason->msg[0] ? reason->msg
							  : "unknown error");
	}
}

int queue_add(struct queue *q, const struct envelope *env, const char *account,
	      const struct msg *m, const struct err *reason, time_t now,
	      const struct queue_policy *pol, char id[QUEUE_ID_LEN + 1],
	      struct err *e)
{
	struct queue_entry ent;

	entry_from_env(&ent, env, account, reason, now);
	if (reason) {
		ent.next_try = now + queue_policy_wait(pol, 1);
		if (ent.next_try > now + policy_lifetime(pol))
			ent.next_try = now + policy_lifetime(pol);
	}
	if (add_entry(q, q->dfd, &ent, m, e) < 0)
		return -1;
	memcpy(id, ent.id, QUEUE_ID_LEN + 1);
	return 0;
}

int queue_add_failed(struct queue *q, const struct envelope *env,
		     const char *account, const struct msg *m,
		     const struct err *reason, time_t now,
		     char id[QUEUE_ID_LEN + 1], struct err *e)
{
	struct queue_entry ent;

	entry_from_env(&ent, env, account, reason, now);
	ent.failed = now;
	if (add_entry(q, q->failfd, &ent, m, e) < 0)
		return -1;
	memcpy(id, ent.id, QUEUE_ID_LEN + 1);
	return 0;
}

/* ---- loading ------------------------------------------------------------ */

static int env_fill(struct envelope *env, const struct queue_entry *ent,
		    const struct msg *m)
{
	size_t i;

	if (!(env->from = strdup(ent->from)))
		return -1;
	for (i = 0; i < ent->rcpts.n; i++)
		if (strlist_add(&env->rcpts, ent->rcpts.v[i]) < 0)
			return -1;
	env->body_8bit = ent->body_8bit;
	env->needs_smtputf8 = ent->smtputf8;
	/* the stored header block is the edited one: its 8-bit bytes are
	 * what asks for SMTPUTF8 (when offered) */
	env->header_utf8 = m->header_8bit;
	env->size = msg_out_size(m);
	if (ent->dsn_notify) {
		snprintf(env->dsn_notify_buf, sizeof(env->dsn_notify_buf), "%s",
			 ent->dsn_notify);
		env->dsn_notify = env->dsn_notify_buf;
	}
	if (ent->dsn_return)
		env->dsn_return =
			strcmp(ent->dsn_return, "FULL") ? "HDRS" : "FULL";
	if (ent->dsn_envid) {
		snprintf(env->dsn_envid_buf, sizeof(env->dsn_envid_buf), "%s",
			 ent->dsn_envid);
		env->dsn_envid = env->dsn_envid_buf;
	}
	return 0;
}

/* Open the data file of ent, checked again (it is about to be sent). */
static int data_open(struct queue *q, const struct queue_entry *ent,
		     struct err *e)
{
	char name[NAME_SZ];
	struct stat st;
	const char *why = NULL;
	int fd;

	entry_name(name, ent->id, data_ext);
	fd = openat(q->dfd, name,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return err_set(e, errno == ENOENT ? ERR_TEMPFAIL : ERR_DATAERR,
			       "cannot open the queue file '%s/%s': %s", q->dir,
			       name,
			       errno == ELOOP ? "it is a symbolic link"
					      : strerror(errno));
	why = fstat(fd, &st) < 0 ? strerror(errno) : private_problem(&st, 0);
	if (!why && (long long)st.st_size != ent->size)
		why = "it does not have the recorded size";
	if (why) {
		close(fd);
		return err_set(e, ERR_DATAERR, "queue file '%s/%s' %s", q->dir,
			       name, why);
	}
	return fd;
}

int queue_load(struct queue *q, const char *id, struct queue_entry *out,
	       struct msg *m, struct envelope *env, struct err *e)
{
	struct queue_entry ent;
	char why[WHY_MAX];
	int fd, r;

	if (!queue_id_valid(id))
		return err_set(e, ERR_USAGE, "invalid queue id '%.*s'",
			       QUEUE_ID_LEN + 8, id);
	r = entry_read(q->dfd, id, &ent, why);
	if (r == 1)
		return err_set(e, ERR_TEMPFAIL, "queue entry %s vanished", id);
	if (r == ENTRY_OOM)
		return err_set(e, ERR_OSERR, "out of memory");
	if (r < 0)
		return err_set(e, ERR_DATAERR,
			       "queue entry %s in '%s' is corrupt: %s", id,
			       q->dir, why);
	r = -1;
	if ((fd = data_open(q, &ent, e)) < 0)
		goto out;
	r = msg_read(m, fd, 1, e);
	close(fd);
	if (r == 0 && (long long)m->size != ent.size)
		r = err_set(e, ERR_DATAERR, "queue entry %s changed while read",
			    id);
	if (r == 0 && env_fill(env, &ent, m) < 0)
		r = err_set(e, ERR_OSERR, "out of memory");
out:
	if (r == 0 && out)
		*out = ent;
	else
		queue_entry_release(&ent);
	return r;
}

/* ---- changing entries (under the lock) ---------------------------------- */

/* Remove entry id from dfd: meta (the commit record) first. */
static int entry_unlink(struct queue *q, int dfd, const char *id, int *found,
			struct err *e)
{
	char mname[NAME_SZ], dname[NAME_SZ];
	int had_meta, had_data;

	entry_name(mname, id, meta_ext);
	entry_name(dname, id, data_ext);
	had_meta = unlinkat(dfd, mname, 0) == 0;
	if (!had_meta && errno != ENOENT)
		goto fail;
	if (had_meta && sync_dir(q, dfd, e) < 0)
		return -1;
	had_data = unlinkat(dfd, dname, 0) == 0;
	if (!had_data && errno != ENOENT)
		goto fail;
	if (found)
		*found = had_meta || had_data;
	return had_data ? sync_dir(q, dfd, e) : 0;
fail:
	return err_set(e, ERR_TEMPFAIL,
		       "cannot remove queue entry %s from '%s': %s", id, q->dir,
		       strerror(errno));
}

int queue_done(struct queue *q, const char *id, struct err *e)
{
	if (need_lock(q, id, e) < 0)
		return -1;
	return entry_unlink(q, q->dfd, id, NULL, e);
}

/* Rewrite the meta of ent (an entry of dfd) atomically. */
static int meta_rewrite(struct queue *q, int dfd, const struct queue_entry *ent,
			struct err *e)
{
	struct buf b = BUF_INIT(QUEUE_META_MAX);
	char name[NAME_SZ];
	int r;

	entry_name(name, ent->id, meta_ext);
	r = meta_build(&b, ent, e);
	if (r == 0)
		r = tmp_write_buf(q, name, &b, e);
	if (r == 0 && (r = commit(q, dfd, name, e)) < 0)
		unlinkat(q->tmpfd, name, 0);
	if (r == 0)
		r = sync_dir(q, dfd, e);
	buf_release(&b);
	return r;
}

/*
 * Move entry ent from src to dst with ent as its new meta.  The data is
 * hard-linked into dst, the new meta committed there, then the source
 * removed: a crash leaves the entry in both places or only in src (plus
 * an orphan data file for queue_cleanup), never in neither.
 */
static int entry_move(struct queue *q, int src, int dst,
		      const struct queue_entry *ent, struct err *e)
{
	char dname[NAME_SZ];

	entry_name(dname, ent->id, data_ext);
	if (unlink_ok(dst, dname) < 0)
		goto fail;
	/* No hard links on this file system: move it (a short window). */
	if (linkat(src, dname, dst, dname, 0) < 0 &&
	    (errno == ENOENT || renameat(src, dname, dst, dname) < 0))
		goto fail;
	if (meta_rewrite(q, dst, ent, e) < 0)
		return -1;
	return entry_unlink(q, src, ent->id, NULL, e);
fail:
	return err_set(e, ERR_TEMPFAIL,
		       "cannot move queue entry %s in '%s': %s", ent->id,
		       q->dir, strerror(errno));
}

static int set_error(struct queue_entry *ent, const char *reason)
{
	free(ent->last_error);
	ent->last_error = strdup(reason && *reason ? reason : "unknown error");
	return ent->last_error ? 0 : -1;
}

static int fail_entry(struct queue *q, struct queue_entry *ent,
		      const char *reason, time_t now, struct err *e)
{
	if (set_error(ent, reason) < 0)
		return err_set(e, ERR_OSERR, "out of memory");
	ent->failed = now;
	return entry_move(q, q->dfd, q->failfd, ent, e);
}

int queue_fail(struct queue *q, const char *id, const char *reason, time_t now,
	       struct err *e)
{
	struct queue_entry ent;
	int r;

	if (need_lock(q, id, e) < 0 || entry_get(q, q->dfd, id, &ent, e) < 0)
		return -1;
	r = fail_entry(q, &ent, reason, now, e);
	queue_entry_release(&ent);
	return r;
}

/* "5d", "2h05m", "12m", "40s": d is a duration in seconds. */
static void fmt_duration(char *dst, size_t n, long long d)
{
	if (d < 0)
		d = 0;
	if (d >= 86400)
		snprintf(dst, n, "%lldd%02lldh", d / 86400, d % 86400 / 3600);
	else if (d >= 3600)
		snprintf(dst, n, "%lldh%02lldm", d / 3600, d % 3600 / 60);
	else if (d >= 60)
		snprintf(dst, n, "%lldm", d / 60);
	else
		snprintf(dst, n, "%llds", d);
}

/* Room for fmt_duration's longest output. */
#define DURATION_SZ 32

static int expire(struct queue *q, struct queue_entry *ent, time_t now,
		  const struct queue_policy *pol, struct err *e)
{
	struct buf why = BUF_INIT(ERR_MSG_MAX + 128);
	char life[DURATION_SZ];
	int r;

	fmt_duration(life, sizeof(life), policy_lifetime(pol));
	if (buf_printf(&why, "queue lifetime of %s expired; last error: %s",
		       life, ent->last_error) < 0)
		r = err_set(e, ERR_OSERR, "out of memory");
	else
		r = fail_entry(q, ent, why.data, now, e);
	buf_release(&why);
	return r < 0 ? -1 : 1;
}

int queue_retry_later(struct queue *q, const char *id, const struct err *reason,
		      time_t now, const struct queue_policy *pol, struct err *e)
{
	struct queue_entry ent;
	time_t expiry;
	int r;

	if (need_lock(q, id, e) < 0 || entry_get(q, q->dfd, id, &ent, e) < 0)
		return -1;
	ent.tries++;
	if (set_error(&ent, reason ? reason->msg : NULL) < 0) {
		queue_entry_release(&ent);
		return err_set(e, ERR_OSERR, "out of memory");
	}
	expiry = ent.created + policy_lifetime(pol);
	if (now >= expiry) {
		r = expire(q, &ent, now, pol, e);
	} else {
		ent.next_try = now + queue_policy_wait(pol, ent.tries);
		if (ent.next_try > expiry)
			ent.next_try = expiry;
		r = meta_rewrite(q, q->dfd, &ent, e);
	}
	queue_entry_release(&ent);
	return r;
}

int queue_remove(struct queue *q, const char *id, struct err *e)
{
	int found = 0, found_failed = 0;

	if (need_lock(q, id, e) < 0 ||
	    entry_unlink(q, q->dfd, id, &found, e) < 0 ||
	    entry_unlink(q, q->failfd, id, &found_failed, e) < 0)
		return -1;
	if (!found && !found_failed)
		return err_set(e, ERR_USAGE, "no queue entry %s", id);
	return 0;
}

int queue_retry_now(struct queue *q, const char *id, time_t now, struct err *e)
{
	struct queue_entry ent;
	char why[WHY_MAX];
	int r;

	if (need_lock(q, id, e) < 0)
		return -1;
	r = entry_read(q->dfd, id, &ent, why);
	if (r == 0) {
		ent.next_try = now;
		r = meta_rewrite(q, q->dfd, &ent, e);
		queue_entry_release(&ent);
		return r;
	}
	if (r == ENTRY_OOM)
		return err_set(e, ERR_OSERR, "out of memory");
	if (r < 0)
		return err_set(e, ERR_DATAERR,
			       "queue entry %s in '%s' is corrupt: %s", id,
			       q->dir, why);
	if (entry_get(q, q->failfd, id, &ent, e) < 0)
		return -1;
	/* Back from failed/: a new start, a new lifetime. */
	ent.tries = 0;
	ent.failed = 0;
	ent.created = now;
	ent.next_try = now;
	r = entry_move(q, q->failfd, q->dfd, &ent, e);
	queue_entry_release(&ent);
	return r;
}

/* Is de a crash leftover of directory dfd, old enough to remove? */
static int stale(int dfd, const char *name, int tmp, time_t now)
{
	char id[QUEUE_ID_LEN + 1], mname[NAME_SZ];
	struct stat st;

	if (!tmp) {
		if (strlen(name) != QUEUE_ID_LEN + strlen(data_ext) ||
		    strcmp(name + QUEUE_ID_LEN, data_ext) != 0)
			return 0;
		memcpy(id, name, QUEUE_ID_LEN);
		id[QUEUE_ID_LEN] = '\0';
		entry_name(mname, id, meta_ext);
		if (!queue_id_valid(id) ||
		    fstatat(dfd, mname, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
		    errno != ENOENT)
			return 0;
	}
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
		return 0;
	return st.st_mtime + QUEUE_STALE_S <= now;
}

static int cleanup_dir(struct queue *q, int dfd, int tmp, time_t now,
		       struct err *e)
{
	struct dirent *de;
	int fd = dup(dfd);
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return err_set(e, ERR_TEMPFAIL,
			       "cannot read the queue '%s': %s", q->dir,
			       strerror(errno));
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && stale(dfd, de->d_name, tmp, now))
			unlinkat(dfd, de->d_name, 0);
	closedir(d);
	return 0;
}

int queue_cleanup(struct queue *q, time_t now, struct err *e)
{
	if (need_lock(q, NULL, e) < 0 ||
	    cleanup_dir(q, q->tmpfd, 1, now, e) < 0 ||
	    cleanup_dir(q, q->dfd, 0, now, e) < 0)
		return -1;
	return 0;
}

/* ---- mailq -------------------------------------------------------------- */

/* Longest sanitised field shown (addresses are at most 256). */
#define QUEUE_SHOW_MAX ERR_MSG_MAX
/* Column of the sender/recipients: id, size and arrival time before. */
#define QUEUE_ADDR_COL (QUEUE_ID_LEN + 1 + 8 + 1 + 20 + 1)
/* The heading; its first column is QUEUE_ID_LEN wide. */
#define QUEUE_HEADING                                             \
	"-Queue ID--------------- --Size-- ----Arrival Time---- " \
	"-Sender/Recipient-------\n"

/* "Mon Nov 22 10:19:00" (our own names: no locale). */
static void fmt_arrival(char *dst, size_t n, time_t t)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed",
					"Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr",
					   "May", "Jun", "Jul", "Aug",
					   "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;

	if (!localtime_r(&t, &tm)) {
		snprintf(dst, n, "?");
		return;
	}
	snprintf(dst, n, "%s %s %2d %02d:%02d:%02d", days[tm.tm_wday],
		 months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

static const char *show(char *dst, const char *s)
{
	return sanitize(dst, QUEUE_SHOW_MAX, s, strlen(s));
}

static void print_entry(FILE *out, const struct queue_entry *ent, time_t now)
{
	char when[DURATION_SZ * 2], age[DURATION_SZ], next[DURATION_SZ + 8];
	char s1[QUEUE_SHOW_MAX];
	size_t i;

	fmt_arrival(when, sizeof(when), ent->created);
	fprintf(out, "%-*s %8lld %-20s %s\n", QUEUE_ID_LEN, ent->id, ent->size,
		when, *ent->from ? show(s1, ent->from) : "<>");
	fmt_duration(age, sizeof(age), (long long)(now - ent->created));
	if (ent->next_try <= now) {
		snprintf(next, sizeof(next), "now");
	} else {
		memcpy(next, "in ", 4);
		fmt_duration(next + 3, sizeof(next) - 3,
			     (long long)(ent->next_try - now));
	}
	fprintf(out, "(account %s, age %s, tries %ld, next try %s",
		show(s1, ent->account), age, ent->tries, next);
	if (ent->last_error)
		fprintf(out, ": %s", show(s1, ent->last_error));
	fputs(")\n", out);
	for (i = 0; i < ent->rcpts.n; i++)
		fprintf(out, "%*s%s\n", QUEUE_ADDR_COL, "",
			show(s1, ent->rcpts.v[i]));
	fputc('\n', out);
}

static void print_problems(FILE *out, const struct queue_list *l,
			   const char *where)
{
	char s1[QUEUE_SHOW_MAX];
	size_t i;

	for (i = 0; i < l->problems.n; i++)
		fprintf(out, "-- skipped%s: %s\n", where,
			show(s1, l->problems.v[i]));
}

int queue_print(struct queue *q, FILE *out, time_t now, struct err *e)
{
	struct queue_list l, f;
	long long total = 0;
	size_t i;
	int r = -1;

	queue_list_init(&l);
	queue_list_init(&f);
	if (queue_list(q, &l, e) < 0 || queue_list_failed(q, &f, e) < 0)
		goto out;
	if (l.n == 0)
		fputs("Mail queue is empty\n", out);
	else
		fputs(QUEUE_HEADING, out);
	for (i = 0; i < l.n; i++) {
		print_entry(out, &l.v[i], now);
		total += l.v[i].size;
	}
	if (l.n > 0)
		fprintf(out, "-- %lld Kbytes in %zu Request%s.\n",
			(total + 1023) / 1024, l.n, l.n == 1 ? "" : "s");
	print_problems(out, &l, "");
	print_problems(out, &f, " in failed/");
	if (f.n > 0)
		fprintf(out, "-- %zu failed message%s kept in %s/failed\n", f.n,
			f.n == 1 ? "" : "s", q->dir);
	r = 0;
out:
	queue_list_release(&l);
	queue_list_release(&f);
	return r;
}
