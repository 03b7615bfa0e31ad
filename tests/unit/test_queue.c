/*
 * test_queue.c - the durable queue (queue.c), in a private temp
 * directory: round trips byte for byte (a 5 MB message included), meta
 * escaping of hostile values, ids, backoff, lifetime expiry, the lock
 * (a child process holds it), corrupt and planted files, crash
 * leftovers, permissions, a full disk (RLIMIT_FSIZE) and the mailq
 * listing.  Times are fixed (TEST_NOW); TZ is UTC for the listing.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "queue.h"
#include "tap.h"

/* 2026-11-22 10:19:00 UTC, a Sunday. */
#define TEST_NOW ((time_t)1795342740)
/* The 5 MB message of the large round trip. */
#define BIG_SIZE (5 * 1024 * 1024)

static char root[256];
static int dir_seq;

/* ---- helpers ------------------------------------------------------------- */

/* A fresh queue directory path under root (not created). */
static const char *new_dir(char *dst, size_t n)
{
	snprintf(dst, n, "%s/q%d", root, ++dir_seq);
	return dst;
}

static int make_msg(struct msg *m, const char *s, size_t n, struct err *e)
{
	char path[300];
	int fd, r;

	msg_init(m);
	snprintf(path, sizeof(path), "%s/in.XXXXXX", root);
	fd = mkstemp(path);
	unlink(path);
	if (fd < 0 || write(fd, s, n) != (ssize_t)n)
		return -1;
	lseek(fd, 0, SEEK_SET);
	r = msg_read(m, fd, 1, e);
	close(fd);
	return r;
}

/* Everything msg_reader yields, as a malloc'd buffer. */
static char *reader_all(const struct msg *m, size_t *len)
{
	struct msg_reader rd;
	struct err e = ERR_INIT;
	size_t alloc = 1 << 16, n = 0;
	char *out = malloc(alloc);
	ssize_t k;

	msg_reader_init(&rd, m);
	for (;;) {
		if (alloc - n < 4096)
			out = realloc(out, alloc *= 2);
		k = msg_reader_read(&rd, out + n, alloc - n, &e);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	*len = n;
	return out;
}

static void env_simple(struct envelope *env, const char *from,
		       const char *const *rcpts)
{
	envelope_init(env);
	env->from = strdup(from);
	for (; *rcpts; rcpts++)
		strlist_add(&env->rcpts, *rcpts);
}

static const char *const one_rcpt[] = {"bob@example.org", NULL};
static const char small_msg[] = "Subject: hi\nFrom: a@example.org\n\nbody\n";

/* Queue small_msg from a@example.org to bob; returns 0 and fills id. */
static int add_small(struct queue *q, const struct err *reason, time_t now,
		     const struct queue_policy *pol, char *id)
{
	struct envelope env;
	struct msg m;
	struct err e = ERR_INIT;
	int r;

	env_simple(&env, "a@example.org", one_rcpt);
	r = make_msg(&m, small_msg, strlen(small_msg), &e);
	if (r == 0)
		r = queue_add(q, &env, "default", &m, reason, now, pol, id, &e);
	if (r < 0)
		printf("# add_small: %s\n", e.msg);
	msg_release(&m);
	envelope_release(&env);
	return r;
}

static int count_files(const char *dir)
{
	char cmd[600];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "find '%s' -maxdepth 1 -type f | wc -l",
		 dir);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static int write_file(const char *path, const char *s, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, s, n) != (ssize_t)n)
		return -1;
	fchmod(fd, mode);
	return close(fd);
}

static char *read_file(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	if (read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		close(fd);
		return NULL;
	}
	buf[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	close(fd);
	return buf;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) < 0 ? (mode_t)-1 : st.st_mode & 07777;
}

/* ---- escaping, ids, policy --------------------------------------------- */

static void test_escape(void)
{
	static const struct {
		const char *in, *escaped;
	} t[] = {
		{"plain@example.org", "plain@example.org"},
		{"", ""},
		{"a b", "a%20b"},
		{"100%", "100%25"},
		{"x\r\ny", "x%0D%0Ay"},
		{"tab\there", "tab%09here"},
		{"del\x7f", "del%7F"},
		{"caf\xc3\xa9", "caf%C3%A9"},
		{"\x01\x1f", "%01%1F"},
	};
	static const char *const bad[] = {
		"a b", "%", "%4", "%4g", "%zz", "%00", "x\ry", "\x80", "%0a",
	};
	struct buf b = BUF_INIT(1 << 20);
	char big[QUEUE_VALUE_MAX + 2], *u;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&b);
		buf_puts(&b, "");
		ok(queue_escape(&b, t[i].in) == 0, "escape ok");
		is_str(b.data, t[i].escaped, "escape");
		u = queue_unescape(b.data, b.len);
		is_str(u, t[i].in, "unescape gives the value back");
		free(u);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		u = queue_unescape(bad[i], strlen(bad[i]));
		ok(u == NULL, "malformed escaped value refused");
		free(u);
	}
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	u = queue_unescape(big, strlen(big));
	ok(u == NULL, "value longer than QUEUE_VALUE_MAX refused");
	u = queue_unescape(big, QUEUE_VALUE_MAX);
	ok(u && strlen(u) == QUEUE_VALUE_MAX, "value of QUEUE_VALUE_MAX ok");
	free(u);
	buf_release(&b);
}

static void test_id_valid(void)
{
	static const struct {
		const char *id;
		int valid;
	} t[] = {
		{"0123456789ABCDEF01234567", 1},
		{"0123456789abcdef01234567", 0},
		{"0123456789ABCDEF0123456", 0},
		{"0123456789ABCDEF012345678", 0},
		{"../../../../etc/passwd00", 0},
		{"0123456789ABCDEF0123456G", 0},
		{"", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(queue_id_valid(t[i].id), t[i].valid, t[i].id);
}

static void test_policy(void)
{
	static const struct {
		const char *spec;
		long want[10]; /* wait after tries 1..10 */
	} t[] = {
		{NULL, {60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600}},
		{"", {60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600}},
		{"1m,5m,15m,1h",
		 {60, 300, 900, 3600, 3600, 3600, 3600, 3600, 3600, 3600}},
		{"90", {90, 90, 90, 90, 90, 90, 90, 90, 90, 90}},
		{" 30s , 2h,1d",
		 {30, 7200, 86400, 86400, 86400, 86400, 86400, 86400, 86400,
		  86400}},
	};
	static const char *const bad[] = {"0", "5x",  "1m,",	",1m", "-1",
					  "m", "1mm", "1m,,2m", "1 m"};
	struct queue_policy p;
	size_t i, k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct err e = ERR_INIT;
		int same = 1;

		ok(queue_policy_init(&p, t[i].spec, 0, &e) == 0,
		   "queue_retry accepted");
		for (k = 0; k < 10; k++)
			if (queue_policy_wait(&p, (long)k + 1) != t[i].want[k])
				same = 0;
		ok(same, t[i].spec ? t[i].spec : "built-in backoff");
		is_int(p.lifetime, QUEUE_LIFETIME_DEFAULT,
		       "lifetime defaults to 5 days");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct err e = ERR_INIT;

		ok(queue_policy_init(&p, bad[i], 0, &e) < 0 &&
			   e.kind == ERR_CONFIG,
		   bad[i]);
	}
}

/* ---- open, permissions, location --------------------------------------- */

static void test_open_perms(void)
{
	char dir[300], path[400], id[QUEUE_ID_LEN + 1];
	struct queue q;
	struct err e = ERR_INIT;
	mode_t old = umask(0);

	snprintf(dir, sizeof(dir), "%s/deep/er/queue", root);
	ok(queue_open(&q, dir, &e) == 0, "queue_open creates parents");
	snprintf(path, sizeof(path), "%s/deep", root);
	is_int(mode_of(path), 0700, "created parent is 0700 (umask 0)");
	is_int(mode_of(dir), 0700, "queue dir 0700");
	snprintf(path, sizeof(path), "%s/tmp", dir);
	is_int(mode_of(path), 0700, "tmp/ 0700");
	snprintf(path, sizeof(path), "%s/failed", dir);
	is_int(mode_of(path), 0700, "failed/ 0700");
	ok(add_small(&q, NULL, TEST_NOW, NULL, id) == 0, "add with umask 0");
	snprintf(path, sizeof(path), "%s/%s.data", dir, id);
	is_int(mode_of(path), 0600, "data file 0600");
	snprintf(path, sizeof(path), "%s/%s.meta", dir, id);
	is_int(mode_of(path), 0600, "meta file 0600");
	ok(queue_lock(&q, 0, &e) == 0, "lock");
	snprintf(path, sizeof(path), "%s/lock", dir);
	is_int(mode_of(path), 0600, "lock file 0600");
	queue_close(&q);
	umask(old);

	/* An existing directory open to others is refused. */
	new_dir(dir, sizeof(dir));
	mkdir(dir, 0755);
	chmod(dir, 0755);
	e = (struct err)ERR_INIT;
	ok(queue_open(&q, dir, &e) < 0 && e.kind == ERR_CONFIG,
	   "queue dir with mode 0755 refused");
	ok(strstr(e.msg, "unsafe permissions") != NULL, "error says why");

	/* The queue dir as a symlink is refused. */
	new_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/real", root);
	mkdir(path, 0700);
	ok(symlink(path, dir) == 0, "planted a symlink queue dir");
	e = (struct err)ERR_INIT;
	ok(queue_open(&q, dir, &e) < 0 && e.kind == ERR_CONFIG,
	   "symlinked queue dir refused");

	/* tmp/ as a symlink is refused. */
	new_dir(dir, sizeof(dir));
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/tmp", dir);
	symlink("/tmp", path);
	e = (struct err)ERR_INIT;
	ok(queue_open(&q, dir, &e) < 0 && e.kind == ERR_CONFIG,
	   "symlinked tmp/ refused");

	/* A directory of another user is refused (needs root to make). */
	if (geteuid() == 0) {
		new_dir(dir, sizeof(dir));
		mkdir(dir, 0700);
		ok(chown(dir, 65534, 65534) == 0, "chown to nobody");
		e = (struct err)ERR_INIT;
		ok(queue_open(&q, dir, &e) < 0 && e.kind == ERR_CONFIG &&
			   strstr(e.msg, "another user"),
		   "queue dir of another user refused");
	}
}

static void test_default_dir(void)
{
	char *d = NULL;
	struct err e = ERR_INIT;

	if (geteuid() == 0) {
		ok(queue_default_dir(&d, &e) == 0, "default dir for root");
		is_str(d, LOCALSTATEDIR "/spool/mailhop", "root's queue");
		free(d);
		return;
	}
	setenv("XDG_STATE_HOME", "/x/state", 1);
	ok(queue_default_dir(&d, &e) == 0, "default dir");
	is_str(d, "/x/state/mailhop/queue", "XDG_STATE_HOME");
	free(d);
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	ok(queue_default_dir(&d, &e) == 0, "default dir");
	is_str(d, "/home/u/.local/state/mailhop/queue",
	       "relative XDG_STATE_HOME ignored");
	free(d);
}

/* ---- round trips --------------------------------------------------------- */

/* Queue m (after the given header edits) and load it back: the loaded
 * message yields the very same bytes, and so does the data file. */
static void round_trip(struct queue *q, const char *name, const char *input,
		       size_t n, const struct msg_edits *ed)
{
	static const char *const rcpts[] = {"bob@example.org",
					    "\"odd user\"@example.net",
					    "j\xc3\xbcrgen@example.de", NULL};
	char id[QUEUE_ID_LEN + 1], path[400], label[200];
	struct envelope env, back;
	struct queue_entry ent;
	struct msg m, m2;
	struct err e = ERR_INIT;
	char *want, *got, *file;
	size_t wn, gn, fn, i;
	int same;

	env_simple(&env, "", rcpts);
	env.dsn_notify = "SUCCESS,FAILURE";
	env.dsn_return = "HDRS";
	env.dsn_envid = "QQ+2Bid";
	env.body_8bit = 1;
	env.needs_smtputf8 = 1;
	envelope_init(&back);
	msg_init(&m2);
	snprintf(label, sizeof(label), "%s: queued", name);
	ok(make_msg(&m, input, n, &e) == 0, "message read");
	if (ed)
		msg_edit_headers(&m, ed, &e);
	ok(queue_add(q, &env, "acct", &m, NULL, TEST_NOW, NULL, id, &e) == 0,
	   label);
	snprintf(label, sizeof(label), "%s: loaded", name);
	ok(queue_load(q, id, &ent, &m2, &back, &e) == 0, label);
	if (e.kind)
		printf("# %s\n", e.msg);
	want = reader_all(&m, &wn);
	got = reader_all(&m2, &gn);
	snprintf(label, sizeof(label), "%s: byte-exact after load", name);
	ok(wn == gn && memcmp(want, got, wn) == 0, label);
	snprintf(path, sizeof(path), "%s/%s.data", q->dir, id);
	file = read_file(path, &fn);
	snprintf(label, sizeof(label), "%s: data file holds the bytes", name);
	ok(file && fn == wn && memcmp(file, want, wn) == 0, label);
	is_int(back.size, msg_out_size(&m), "size recomputed as sent");
	is_str(back.from, "", "null sender kept");
	same = back.rcpts.n == 3;
	for (i = 0; same && i < 3; i++)
		same = strcmp(back.rcpts.v[i], rcpts[i]) == 0;
	ok(same, "recipients kept in order");
	is_str(back.dsn_notify, "SUCCESS,FAILURE", "dsn_notify");
	is_str(back.dsn_return, "HDRS", "dsn_return");
	is_str(back.dsn_envid, "QQ+2Bid", "dsn_envid");
	ok(back.body_8bit && back.needs_smtputf8, "8-bit flags");
	is_str(ent.account, "acct", "account");
	is_int(ent.tries, 0, "never tried");
	is_int(ent.next_try, TEST_NOW, "due at once");
	ok(ent.last_error == NULL, "no error yet");
	free(want);
	free(got);
	free(file);
	queue_entry_release(&ent);
	msg_release(&m);
	msg_release(&m2);
	envelope_release(&env);
	envelope_release(&back);
}

static void test_round_trips(void)
{
	static const struct {
		const char *name, *text;
	} t[] = {
		{"LF", "From: a@example.org\nSubject: x\n\nline\n.\n..dot\n"},
		{"CRLF", "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n"},
		{"mixed line ends", "Subject: m\r\nX: y\n\rbare\rcr\r\nend"},
		{"no header block", "just a body line\nand another\n"},
		{"8-bit", "Subject: =?utf-8?q?x?=\n\ncaf\xc3\xa9 \xff\n"},
		{"lone dot last", "Subject: d\n\nbody\n."},
		{"empty body", "Subject: only headers\n"},
	};
	static const char edited[] =
		"Bcc: secret@example.org\nSubject: e\n\nbody\n";
	struct msg_edits ed;
	char dir[300], *big;
	struct queue q;
	struct err e = ERR_INIT;
	size_t i;

	ok(queue_open(&q, new_dir(dir, sizeof(dir)), &e) == 0, "open");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		round_trip(&q, t[i].name, t[i].text, strlen(t[i].text), NULL);
	memset(&ed, 0, sizeof(ed));
	ed.add_from = "Ann <a@example.org>";
	ed.add_date = 1;
	ed.add_msgid = "<20261122101900.AB@example.org>";
	ed.remove_bcc = 1;
	ed.now = TEST_NOW;
	round_trip(&q, "edited headers", edited, strlen(edited), &ed);

	big = malloc(BIG_SIZE);
	memcpy(big, "Subject: big\r\n\r\n", 16);
	for (i = 16; i < BIG_SIZE; i++)
		big[i] = (i % 77 == 76) ? '\n' : (char)('!' + i % 90);
	round_trip(&q, "5 MB", big, BIG_SIZE, NULL);
	free(big);
	queue_close(&q);
}

/* Hostile account names and error texts survive escaping unchanged and
 * never add a line to the meta file. */
static void test_hostile_meta(void)
{
	static const char *const accounts[] = {
		"my account", "evil\nrcpt root@localhost",
		"cr\rlf\r\n", "%41%",
		"tab\there",  "\xff\xfe",
	};
	char dir[300], path[400], id[QUEUE_ID_LEN + 1], *text;
	struct queue q;
	struct queue_list l;
	struct err e = ERR_INIT, reason = ERR_INIT;
	struct envelope env;
	struct msg m;
	size_t i, n, lines, k;

	ok(queue_open(&q, new_dir(dir, sizeof(dir)), &e) == 0, "open");
	env_simple(&env, "a@example.org", one_rcpt);
	make_msg(&m, small_msg, strlen(small_msg), &e);
	for (i = 0; i < sizeof(accounts) / sizeof(accounts[0]); i++) {
		struct queue_policy pol;

		queue_policy_init(&pol, NULL, 0, &e);
		reason.kind = ERR_TEMPFAIL;
		/* err_set would sanitise: plant raw bytes directly. */
		snprintf(reason.msg, sizeof(reason.msg),
			 "421 bye\r\nrcpt evil %s", accounts[i]);
		ok(queue_add(&q, &env, accounts[i], &m, &reason, TEST_NOW, &pol,
			     id, &e) == 0,
		   "queued with a hostile account name");
		snprintf(path, sizeof(path), "%s/%s.meta", dir, id);
		text = read_file(path, &n);
		for (k = 0, lines = 0; text && k < n; k++)
			lines += text[k] == '\n';
		/* magic id account from rcpt body_8bit smtputf8 size
		 * created tries next_try last_error */
		is_int(lines, 12, "no injected meta line");
		free(text);
	}
	queue_list_init(&l);
	ok(queue_list(&q, &l, &e) == 0, "list");
	is_int(l.n, sizeof(accounts) / sizeof(accounts[0]), "all listed");
	is_int(l.problems.n, 0, "no problems");
	for (i = 0; i < l.n; i++) {
		size_t j, found = 0;

		for (j = 0; j < sizeof(accounts) / sizeof(accounts[0]); j++)
			found += strcmp(l.v[i].account, accounts[j]) == 0;
		ok(found == 1, "account name read back unchanged");
		ok(strncmp(l.v[i].last_error, "421 bye\r\nrcpt evil ", 19) == 0,
		   "error text read back unchanged");
	}
	queue_list_release(&l);

	/* What cannot be read back is never written. */
	{
		static const char *const bad_rcpt[] = {"bob@x\r\nDATA", NULL};
		struct envelope bad;
		char big[QUEUE_VALUE_MAX + 10];

		env_simple(&bad, "a@example.org", bad_rcpt);
		e = (struct err)ERR_INIT;
		ok(queue_add(&q, &bad, "a", &m, NULL, TEST_NOW, NULL, id, &e) <
				   0 &&
			   e.kind == ERR_DATAERR,
		   "recipient with CRLF refused");
		envelope_release(&bad);
		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		e = (struct err)ERR_INIT;
		ok(queue_add(&q, &env, big, &m, NULL, TEST_NOW, NULL, id, &e) <
			   0,
		   "over-long account name refused");
		e = (struct err)ERR_INIT;
		ok(queue_add(&q, &env, "", &m, NULL, TEST_NOW, NULL, id, &e) <
			   0,
		   "empty account name refused");
		snprintf(path, sizeof(path), "%s/tmp", dir);
		is_int(count_files(path), 0, "nothing left in tmp/");
		is_int(count_files(dir), 2 * 6, "nothing half-visible");
	}
	msg_release(&m);
	envelope_release(&env);
	queue_close(&q);
}

/* Many ids from concurrent processes: all distinct, all listed. */
static void test_ids_unique(void)
{
	enum { KIDS = 4, EACH = 50 };
	char dir[300];
	struct queue q;
	struct queue_list l;
	struct err e = ERR_INIT;
	size_t i, dup = 0, bad = 0;
	int k, status, kids_ok = 1;

	new_dir(dir, sizeof(dir));
	ok(queue_open(&q, dir, &e) == 0, "open");
	for (k = 0; k < KIDS; k++) {
		fflush(stdout);
		if (fork() == 0) {
			struct queue cq;
			char id[QUEUE_ID_LEN + 1];
			int j, r = queue_open(&cq, dir, &e);

			for (j = 0; r == 0 && j < EACH; j++)
				r = add_small(&cq, NULL, TEST_NOW + j, NULL,
					      id);
			_exit(r == 0 ? 0 : 1);
		}
	}
	for (k = 0; k < KIDS; k++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			kids_ok = 0;
	ok(kids_ok, "concurrent writers succeeded");
	queue_list_init(&l);
	ok(queue_list(&q, &l, &e) == 0, "list");
	is_int(l.n, KIDS * EACH, "every entry listed");
	for (i = 0; i < l.n; i++) {
		bad += !queue_id_valid(l.v[i].id);
		if (i > 0 && strcmp(l.v[i - 1].id, l.v[i].id) == 0)
			dup++;
		if (i > 0 && l.v[i - 1].created > l.v[i].created)
			bad++;
	}
	is_int(dup, 0, "ids unique");
	is_int(bad, 0, "ids valid, oldest first");
	queue_list_release(&l);
	queue_close(&q);
}

/* ---- backoff, lifetime, failed/ ----------------------------------------- */

static void test_backoff(void)
{
	/* Tries made at these offsets from the arrival, with the built-in
	 * backoff and a 2 hour lifetime: expected tries and next_try. */
	static const struct {
		long at, tries, next;
		int expired;
	} t[] = {
		{60, 2, 60 + 120, 0},
		{180, 3, 180 + 240, 0},
		{420, 4, 420 + 480, 0},
		{900, 5, 900 + 960, 0},
		{1860, 6, 1860 + 1920, 0},
		{3780, 7, 7200, 0}, /* capped at the expiry */
		{7200, 8, 0, 1},
	};
	char dir[300], id[QUEUE_ID_LEN + 1], path[400];
	struct queue_policy pol;
	struct queue q;
	struct queue_list l, f;
	struct err e = ERR_INIT, reason = ERR_INIT;
	size_t i;

	ok(queue_open(&q, new_dir(dir, sizeof(dir)), &e) == 0, "open");
	queue_policy_init(&pol, NULL, 7200, &e);
	err_set(&reason, ERR_TEMPFAIL, "cannot connect: connection refused");
	ok(add_small(&q, &reason, TEST_NOW, &pol, id) == 0, "queued");
	queue_list_init(&l);
	queue_list(&q, &l, &e);
	ok(l.n == 1 && l.v[0].tries == 1 && l.v[0].next_try == TEST_NOW + 60,
	   "first failure counted, next try in 1m");
	is_str(l.n ? l.v[0].last_error : NULL,
	       "cannot connect: connection refused", "last error kept");
	queue_list_release(&l);
	e = (struct err)ERR_INIT;
	ok(queue_retry_later(&q, id, &reason, TEST_NOW, &pol, &e) < 0 &&
		   e.kind == ERR_SOFTWARE,
	   "changing an entry needs the lock");
	e = (struct err)ERR_INIT;
	ok(queue_lock(&q, 0, &e) == 0, "lock");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = queue_retry_later(&q, id, &reason, TEST_NOW + t[i].at,
					  &pol, &e);

		is_int(r, t[i].expired, "retry_later result");
		queue_list_init(&l);
		queue_list(&q, &l, &e);
		if (!t[i].expired)
			ok(l.n == 1 && l.v[0].tries == t[i].tries &&
				   l.v[0].next_try == TEST_NOW + t[i].next,
			   "tries and next try follow the backoff");
		else
			is_int(l.n, 0, "expired entry left the queue");
		queue_list_release(&l);
	}
	queue_list_init(&f);
	ok(queue_list_failed(&q, &f, &e) == 0 && f.n == 1, "in failed/");
	ok(f.n && strstr(f.v[0].last_error, "queue lifetime of 2h00m expired; "
					    "last error: cannot connect"),
	   "failed/ records the reason");
	ok(f.n && f.v[0].failed == TEST_NOW + 7200, "failed time recorded");
	queue_list_release(&f);
	snprintf(path, sizeof(path), "%s/failed/%s.data", dir, id);
	is_int(mode_of(path), 0600, "data kept in failed/");
	snprintf(path, sizeof(path), "%s/%s.data", dir, id);
	ok(mode_of(path) == (mode_t)-1, "data gone from the queue");

	/* Retry by hand: back into the queue, a fresh start. */
	ok(queue_retry_now(&q, id, TEST_NOW + 9000, &e) == 0, "retry failed");
	queue_list_init(&l);
	queue_list(&q, &l, &e);
	ok(l.n == 1 && l.v[0].tries == 0 &&
		   l.v[0].next_try == TEST_NOW + 9000 &&
		   l.v[0].created == TEST_NOW + 9000 && l.v[0].failed == 0,
	   "revived entry due now with a new lifetime");
	queue_list_release(&l);
	queue_list_init(&f);
	queue_list_failed(&q, &f, &e);
	is_int(f.n, 0, "no longer in failed/");
	queue_list_release(&f);
	queue_close(&q);
}

static void test_custom_retry(void)
{
	static const long want[] = {300, 900, 3600, 3600};
	char dir[300], id[QUEUE_ID_LEN + 1];
	struct queue_policy pol;
	struct queue q;
	struct queue_list l;
	struct err e = ERR_INIT, reason = ERR_INIT;
	time_t now = TEST_NOW;
	size_t i;

	ok(queue_open(&q, new_dir(dir, sizeof(dir)), &e) == 0, "open");
	ok(queue_policy_init(&pol, "1m,5m,15m,1h", 0, &e) == 0, "policy");
	err_set(&reason, ERR_TEMPFAIL, "451 try later");
	add_small(&q, &reason, now, &pol, id);
	queue_lock(&q, 0, &e);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		now += 1000;
		queue_retry_later(&q, id, &reason, now, &pol, &e);
		queue_list_init(&l);
		queue_list(&q, &l, &e);
		ok(l.n == 1 && l.v[0].next_try == now + want[i],
		   "queue_retry schedule");
		queue_list_release(&l);
	}
	queue_close(&q);
}

static void test_due_and_commands(void)
{
	char dir[300], ids[4][QUEUE_ID_LEN + 1], path[400];
	struct queue_policy pol;
	struct queue q;
	struct queue_list l, f;
	struct err e = ERR_INIT, reason = ERR_INIT;
	int i;

	ok(queue_open(&q, new_dir(dir, sizeof(dir)), &e) == 0, "open");
	queue_policy_init(&pol, NULL, 0, &e);
	err_set(&reason, ERR_TEMPFAIL, "421 busy");
	/* Arrivals out of order: listing sorts by arrival. */
	add_small(&q, NULL, TEST_NOW + 30, &pol, ids[0]);
	add_small(&q, &reason, TEST_NOW + 10, &pol, ids[1]); /* due +70 */
	add_small(&q, NULL, TEST_NOW + 20, &pol, ids[2]);
	add_small(&q, NULL, TEST_NOW + 500, &pol, ids[3]);
	queue_list_init(&l);
	ok(queue_due(&q, TEST_NOW + 40, &l, &e) == 0, "due");
	ok(l.n == 2 && strcmp(l.v[0].id, ids[2]) == 0 &&
		   strcmp(l.v[1].id, ids[0]) == 0,
	   "due entries, oldest first");
	queue_list_release(&l);
	queue_list_init(&l);
	queue_due(&q, TEST_NOW + 1000, &l, &e);
	ok(l.n == 4 && strcmp(l.v[0].id, ids[1]) == 0 &&
		   strcmp(l.v[3].id, ids[3]) == 0,
	   "all due later, oldest first");
	queue_list_release(&l);

	queue_lock(&q, 0, &e);
	ok(queue_retry_now(&q, ids[1], TEST_NOW + 40, &e) == 0, "retry now");
	queue_list_init(&l);
	queue_due(&q, TEST_NOW + 40, &l, &e);
	is_int(l.n, 3, "retried entry is due");
	queue_list_release(&l);
	ok(queue_done(&q, ids[2], &e) == 0, "done");
	ok(queue_done(&q, ids[2], &e) == 0, "done twice is fine");
	snprintf(path, sizeof(path), "%s/%s.data", dir, ids[2]);
	ok(mode_of(path) == (mode_t)-1, "done removes the data");
	ok(queue_fail(&q, ids[0], "550 5.1.1 no such user", TEST_NOW + 50,
		      &e) == 0,
	   "fail");
	queue_list_init(&f);
	queue_list_failed(&q, &f, &e);
	ok(f.n == 1 && strcmp(f.v[0].last_error, "550 5.1.1 no such user") == 0,
	   "permanent failure kept with its reason");
	queue_list_release(&f);
	ok(queue_remove(&q, ids[0], &e) == 0, "remove a failed entry");
	ok(queue_remove(&q, ids[3], &e) == 0, "remove a queued entry");
	e = (struct err)ERR_INIT;
	ok(queue_remove(&q, ids[3], &e) < 0 && e.kind == ERR_USAGE,
	   "remove unknown id: usage error");
	e = (struct err)ERR_INIT;
	ok(queue_remove(&q, "../../etc/passwd", &e) < 0 && e.kind == ERR_USAGE,
	   "invalid id refused");
	e = (struct err)ERR_INIT;
	ok(queue_retry_now(&q, ids[3], TEST_NOW, &e) < 0 && e.kind == ERR_USAGE,
	   "retry unknown id: usage error");
	queue_list_init(&l);
	queue_list(&q, &l, &e);
	ok(l.n == 1 && strcmp(l.v[0].id, ids[1]) == 0, "one entry left");
	queue_list_release(&l);
	for (i = 0; i < 1; i++) {
		struct msg m;
		struct envelope env;

		msg_init(&m);
		envelope_init(&env);
		e = (struct err)ERR_INIT;
		ok(queue_load(&q, ids[2], NULL, &m, &env, &e) < 0 &&
			   e.kind == ERR_TEMPFAIL,
		   "loading a removed entry: temporary");
		msg_release(&m);
		envelope_release(&env);
	}
	queue_close(&q);
}

/* ---- lock ---------------------------------------------------------------- */

static void test_lock(void)
{
	char dir[300], c;
	struct queue q, q2;
	struct err e = ERR_INIT;
	int held[2], go[2], status;
	pid_t pid;

	new_dir(dir, sizeof(dir));
	ok(queue_open(&q, dir, &e) == 0, "open");
	if (pipe(held) < 0 || pipe(go) < 0)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct queue cq;
		int r = queue_open(&cq, dir, &e) == 0 &&
					queue_lock(&cq, 0, &e) == 0
				? 0
				: 1;

		if (write(held[1], "x", 1) != 1 || read(go[0], &c, 1) != 1)
			r = 1;
		usleep(300 * 1000);
		queue_close(&cq); /* releases the lock */
		_exit(r);
	}
	ok(read(held[0], &c, 1) == 1, "child holds the lock");
	is_int(queue_lock(&q, 0, &e), 1, "second flusher: busy");
	ok(!q.locked, "not locked");
	ok(queue_open(&q2, dir, &e) == 0, "another handle");
	is_int(queue_lock(&q2, 0, &e), 1, "busy for every other handle");
	queue_close(&q2);
	if (write(go[1], "x", 1) != 1)
		return;
	is_int(queue_lock(&q, 5, &e), 0, "waiting gets it once released");
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		   WEXITSTATUS(status) == 0,
	   "child ok");
	ok(q.locked, "locked");
	ok(queue_open(&q2, dir, &e) == 0, "another handle");
	is_int(queue_lock(&q2, 0, &e), 1, "and now they are busy");
	queue_unlock(&q);
	is_int(queue_lock(&q2, 0, &e), 0, "unlock lets them in");
	queue_close(&q2);
	queue_close(&q);
	close(held[0]);
	close(held[1]);
	close(go[0]);
	close(go[1]);
}

/* ---- corrupt and planted files ------------------------------------------ */

/* Copy src[0..n) into dst with "@ID@" replaced by id; the new length. */
static size_t put_id(char *dst, const char *src, size_t n, const char *id)
{
	const char *at = strstr(src, "@ID@"); /* before any NUL byte */
	size_t k = at ? (size_t)(at - src) : n;

	memcpy(dst, src, k);
	if (!at)
		return n;
	memcpy(dst + k, id, QUEUE_ID_LEN);
	memcpy(dst + k + QUEUE_ID_LEN, at + 4, n - k - 4);
	return n - 4 + QUEUE_ID_LEN;
}

static void test_corrupt(void)
{
	static const char body[] = "Subject: x\n\nhello\n"; /* 18 bytes */
	static const struct {
		const char *name, *meta;
		int with_data;
	} t[] = {
#define HEAD "mailhop-queue 1\nid @ID@\n"
#define REST                                                              \
	"body_8bit 0\nsmtputf8 0\nsize 18\ncreated 1795342740\ntries 0\n" \
	"next_try 1795342740\n"
		{"valid", HEAD "account a\nfrom a@x\nrcpt b@x\n" REST, 1},
		{"garbage",
		 "\x7f"
		 "ELF\x01\x02",
		 1},
		{"wrong version", "mailhop-queue 2\n", 1},
		{"empty", "", 1},
		{"no recipient", HEAD "account a\nfrom a@x\n" REST, 1},
		{"unknown key",
		 HEAD "account a\nfrom a@x\nrcpt b@x\nx 1\n" REST, 1},
		{"repeated from",
		 HEAD "account a\nfrom a@x\nfrom c@x\nrcpt b@x\n" REST, 1},
		{"bad number",
		 HEAD "account a\nfrom a@x\nrcpt b@x\n" REST "failed 12x\n", 1},
		{"negative number",
		 HEAD "account a\nfrom a@x\nrcpt b@x\n" REST "failed -1\n", 1},
		{"id mismatch",
		 "mailhop-queue 1\nid 0000000000000000000000AA\n"
		 "account a\nfrom a@x\nrcpt b@x\n" REST,
		 1},
		{"NUL byte", HEAD "account a\0\nfrom a@x\nrcpt b@x\n" REST, 1},
		{"truncated", HEAD "account a\nfrom a@x\nrcpt b@x\nsize 1", 1},
		{"raw space in value",
		 HEAD "account a b\nfrom a@x\nrcpt b@x\n" REST, 1},
		{"bad address", HEAD "account a\nfrom a@x\nrcpt <b@x>\n" REST,
		 1},
		{"bad flag",
		 HEAD "account a\nfrom a@x\nrcpt b@x\ndsn_return FOO\n" REST,
		 1},
		{"data missing", HEAD "account a\nfrom a@x\nrcpt b@x\n" REST,
		 0},
		{"data size differs",
		 HEAD "account a\nfrom a@x\nrcpt b@x\n" REST, 2},
#undef HEAD
#undef REST
	};
	char dir[300], path[400], id[QUEUE_ID_LEN + 1], meta[1024];
	struct queue q;
	struct queue_list l;
	struct err e = ERR_INIT;
	size_t i, ntests = sizeof(t) / sizeof(t[0]);

	new_dir(dir, sizeof(dir));
	ok(queue_open(&q, dir, &e) == 0, "open");
	for (i = 0; i < ntests; i++) {
		size_t mlen = strlen(t[i].meta);

		snprintf(id, sizeof(id), "%08X0000000000000000", (unsigned)i);
		/* The one entry with a NUL byte inside. */
		if (strcmp(t[i].name, "NUL byte") == 0)
			mlen += 1 + strlen(t[i].meta + mlen + 1);
		mlen = put_id(meta, t[i].meta, mlen, id);
		snprintf(path, sizeof(path), "%s/%s.meta", dir, id);
		write_file(path, meta, mlen, 0600);
		snprintf(path, sizeof(path), "%s/%s.data", dir, id);
		if (t[i].with_data)
			write_file(path, body,
				   t[i].with_data == 2 ? 10 : strlen(body),
				   0600);
	}
	queue_list_init(&l);
	ok(queue_list(&q, &l, &e) == 0, "listing survives corrupt entries");
	ok(l.n == 1 && strcmp(l.v[0].id, "000000000000000000000000") == 0,
	   "only the valid entry listed");
	is_int(l.problems.n, ntests - 1, "each corrupt entry reported");
	for (i = 0; i < l.problems.n; i++)
		printf("# %s\n", l.problems.v[i]);
	queue_list_release(&l);
	for (i = 1; i < ntests; i++) {
		struct msg m;
		struct envelope env;

		snprintf(id, sizeof(id), "%08X0000000000000000", (unsigned)i);
		msg_init(&m);
		envelope_init(&env);
		e = (struct err)ERR_INIT;
		ok(queue_load(&q, id, NULL, &m, &env, &e) < 0 &&
			   e.kind == ERR_DATAERR,
		   t[i].name);
		msg_release(&m);
		envelope_release(&env);
	}
	queue_close(&q);
}

static void test_planted(void)
{
	char dir[300], path[400], target[400], id[QUEUE_ID_LEN + 1];
	char id2[QUEUE_ID_LEN + 1], id3[QUEUE_ID_LEN + 1];
	struct queue q;
	struct queue_list l;
	struct err e = ERR_INIT;
	struct msg m;
	struct envelope env;

	new_dir(dir, sizeof(dir));
	ok(queue_open(&q, dir, &e) == 0, "open");
	add_small(&q, NULL, TEST_NOW, NULL, id);
	add_small(&q, NULL, TEST_NOW + 1, NULL, id2);
	add_small(&q, NULL, TEST_NOW + 2, NULL, id3);

	/* id: its data file replaced by a symlink to a secret. */
	snprintf(target, sizeof(target), "%s/secret", root);
	write_file(target, "Subject: x\nFrom: a@example.org\n\nbody\n", 37,
		   0600);
	snprintf(path, sizeof(path), "%s/%s.data", dir, id);
	unlink(path);
	ok(symlink(target, path) == 0, "planted a data symlink");
	/* id2: its meta moved out and symlinked back. */
	snprintf(path, sizeof(path), "%s/%s.meta", dir, id2);
	snprintf(target, sizeof(target), "%s/meta2", root);
	rename(path, target);
	ok(symlink(target, path) == 0, "planted a meta symlink");
	/* id3: meta readable by others. */
	snprintf(path, sizeof(path), "%s/%s.meta", dir, id3);
	chmod(path, 0644);
	queue_list_init(&l);
	ok(queue_list(&q, &l, &e) == 0, "list");
	is_int(l.n, 0, "no planted entry listed");
	is_int(l.problems.n, 3, "each reported");
	ok(l.problems.n == 3 && strstr(l.problems.v[0], "symbolic link") &&
		   strstr(l.problems.v[1], "symbolic link") &&
		   strstr(l.problems.v[2], "unsafe permissions"),
	   "problems say why");
	queue_list_release(&l);
	msg_init(&m);
	envelope_init(&env);
	ok(queue_load(&q, id, NULL, &m, &env, &e) < 0 && e.kind == ERR_DATAERR,
	   "load does not follow a data symlink");
	msg_release(&m);
	envelope_release(&env);

	/* A file of another user (root can make one). */
	if (geteuid() == 0) {
		chmod(path, 0600);
		ok(chown(path, 65534, 65534) == 0, "chown meta to nobody");
		queue_list_init(&l);
		queue_list(&q, &l, &e);
		ok(l.n == 0 && l.problems.n == 3 &&
			   strstr(l.problems.v[2], "another user"),
		   "meta of another user refused");
		queue_list_release(&l);
	}
	/* A symlinked lock file is not followed. */
	snprintf(path, sizeof(path), "%s/lock", dir);
	snprintf(target, sizeof(target), "%s/lock-target", root);
	symlink(target, path);
	e = (struct err)ERR_INIT;
	ok(queue_lock(&q, 0, &e) < 0, "symlinked lock refused");
	ok(mode_of(target) == (mode_t)-1, "lock target not created");
	queue_close(&q);
}

/* ---- crash leftovers ------------------------------------------------------ */

static void test_crash_leftovers(void)
{
	char dir[300], path[400], src[400], id[QUEUE_ID_LEN + 1];
	char id2[QUEUE_ID_LEN + 1];
	struct queue q;
	struct queue_list l;
	struct err e = ERR_INIT;
	struct timespec old[2] = {{TEST_NOW - 7200, 0}, {TEST_NOW - 7200, 0}};

	new_dir(dir, sizeof(dir));
	ok(queue_open(&q, dir, &e) == 0, "open");
	add_small(&q, NULL, TEST_NOW, NULL, id);
	add_small(&q, NULL, TEST_NOW, NULL, id2);
	/* id: moved back into tmp/ as if killed before the renames. */
	snprintf(src, sizeof(src), "%s/%s.meta", dir, id);
	snprintf(path, sizeof(path), "%s/tmp/%s.meta", dir, id);
	rename(src, path);
	snprintf(src, sizeof(src), "%s/%s.data", dir, id);
	snprintf(path, sizeof(path), "%s/tmp/%s.data", dir, id);
	rename(src, path);
	/* id2: its meta lost, as if killed between the two renames. */
	snprintf(path, sizeof(path), "%s/%s.meta", dir, id2);
	unlink(path);
	queue_list_init(&l);
	ok(queue_list(&q, &l, &e) == 0, "list");
	ok(l.n == 0 && l.problems.n == 0,
	   "tmp/ files and data without meta are not entries");
	queue_list_release(&l);

	queue_lock(&q, 0, &e);
	ok(queue_cleanup(&q, TEST_NOW, &e) == 0, "cleanup");
	snprintf(path, sizeof(path), "%s/tmp", dir);
	is_int(count_files(path), 2,
	       "fresh leftovers kept (a writer may be "
	       "busy)");
	is_int(count_files(dir), 2, "fresh orphan data kept (+ lock)");
	snprintf(path, sizeof(path), "%s/tmp/%s.meta", dir, id);
	utimensat(AT_FDCWD, path, old, AT_SYMLINK_NOFOLLOW);
	snprintf(path, sizeof(path), "%s/tmp/%s.data", dir, id);
	utimensat(AT_FDCWD, path, old, AT_SYMLINK_NOFOLLOW);
	snprintf(path, sizeof(path), "%s/%s.data", dir, id2);
	utimensat(AT_FDCWD, path, old, AT_SYMLINK_NOFOLLOW);
	ok(queue_cleanup(&q, time(NULL) + QUEUE_STALE_S + 10, &e) == 0,
	   "cleanup later");
	snprintf(path, sizeof(path), "%s/tmp", dir);
	is_int(count_files(path), 0, "stale tmp/ files removed");
	is_int(count_files(dir), 1, "stale orphan data removed (lock kept)");
	queue_close(&q);
}

/* ---- a full disk ---------------------------------------------------------- */

/* ---- SIGKILL at random moments ------------------------------------------- */

/* Kill a child running body() after a random 0..25 ms, KILLS times. */
#define KILLS 100

static void kill_loop(void (*body)(const char *dir), const char *dir)
{
	int i, status;

	for (i = 0; i < KILLS; i++) {
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			body(dir);
			_exit(0);
		}
		usleep((useconds_t)(rand() % 25000));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
}

static const char *kill_msg(size_t *n)
{
	static char *text;
	static size_t len = 200 * 1024;
	size_t i;

	if (!text) {
		text = malloc(len);
		memcpy(text, "Subject: kill\n\n", 15);
		for (i = 15; i < len; i++)
			text[i] = i % 60 == 59 ? '\n' : (char)('a' + i % 26);
	}
	*n = len;
	return text;
}

static void adder(const char *dir)
{
	struct queue q;
	struct err e = ERR_INIT;
	struct envelope env;
	struct msg m;
	char id[QUEUE_ID_LEN + 1];
	size_t n;
	const char *text = kill_msg(&n);

	env_simple(&env, "a@example.org", one_rcpt);
	if (make_msg(&m, text, n, &e) < 0 || queue_open(&q, dir, &e) < 0)
		_exit(1);
	/* A few each: enough entries for the changer, in little time. */
	for (n = 0; n < 3; n++)
		queue_add(&q, &env, "a", &m, NULL, TEST_NOW, NULL, id, &e);
	pause();
}

static void changer(const char *dir)
{
	struct queue q;
	struct queue_list l;
	struct err e = ERR_INIT, reason = ERR_INIT;
	size_t i;

	err_set(&reason, ERR_TEMPFAIL, "421 later");
	if (queue_open(&q, dir, &e) < 0 || queue_lock(&q, 5, &e) != 0)
		_exit(1);
	for (;;) {
		queue_list_init(&l);
		queue_list(&q, &l, &e);
		for (i = 0; i < l.n && i < 4; i++) {
			queue_retry_later(&q, l.v[i].id, &reason, TEST_NOW,
					  NULL, &e);
			queue_fail(&q, l.v[i].id, "550 no", TEST_NOW, &e);
			queue_retry_now(&q, l.v[i].id, TEST_NOW, &e);
		}
		queue_list_release(&l);
	}
}

/* Every entry in the queue or failed/ loads with the right bytes. */
static int all_intact(struct queue *q, size_t *count)
{
	struct queue_list l, f;
	struct err e = ERR_INIT;
	size_t i, n, want_n;
	const char *want = kill_msg(&want_n);
	int good;

	queue_list_init(&l);
	queue_list_init(&f);
	good = queue_list(q, &l, &e) == 0 &&
	       queue_list_failed(q, &f, &e) == 0 && l.problems.n == 0 &&
	       f.problems.n == 0;
	for (i = 0; good && i < l.n; i++) {
		struct msg m;
		struct envelope env;
		char *got;

		msg_init(&m);
		envelope_init(&env);
		good = queue_load(q, l.v[i].id, NULL, &m, &env, &e) == 0;
		got = good ? reader_all(&m, &n) : NULL;
		good = good && n == want_n && memcmp(got, want, n) == 0;
		free(got);
		msg_release(&m);
		envelope_release(&env);
	}
	*count = l.n + f.n;
	for (i = 0; good && i < f.n; i++) {
		size_t k;

		for (k = 0; k < l.n; k++)
			if (strcmp(l.v[k].id, f.v[i].id) == 0)
				(*count)--; /* in both: the documented window */
	}
	if (!good && l.problems.n)
		printf("# %s\n", l.problems.v[0]);
	if (!good && f.problems.n)
		printf("# %s\n", f.problems.v[0]);
	queue_list_release(&l);
	queue_list_release(&f);
	return good;
}

static void test_kill(void)
{
	char dir[300];
	struct queue q;
	struct err e = ERR_INIT;
	size_t before, after;

	new_dir(dir, sizeof(dir));
	ok(queue_open(&q, dir, &e) == 0, "open");
	srand(42);
	kill_loop(adder, dir);
	ok(all_intact(&q, &before), "killed while adding: entries intact");
	ok(before > 0, "some entries were committed");
	printf("# %zu entries committed in %d kills\n", before, KILLS);
	kill_loop(changer, dir);
	ok(all_intact(&q, &after), "killed while changing: entries intact");
	is_int(after, before, "killed while changing: none lost");
	queue_lock(&q, 0, &e);
	ok(queue_cleanup(&q, time(NULL) + QUEUE_STALE_S + 1, &e) == 0,
	   "cleanup");
	ok(all_intact(&q, &after) && after == before,
	   "cleanup removes leftovers only");
	queue_close(&q);
}

static void test_disk_full(void)
{
	char dir[300], path[400];
	struct queue q;
	struct err e = ERR_INIT;
	int status;
	pid_t pid;

	new_dir(dir, sizeof(dir));
	ok(queue_open(&q, dir, &e) == 0, "open");
	queue_close(&q);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = {64 * 1024, 64 * 1024};
		char *big = malloc(1024 * 1024), id[QUEUE_ID_LEN + 1];
		struct envelope env;
		struct msg m;
		int r;

		memset(big, 'x', 1024 * 1024);
		memcpy(big, "Subject: big\n\n", 14);
		env_simple(&env, "a@example.org", one_rcpt);
		if (make_msg(&m, big, 1024 * 1024, &e) < 0)
			_exit(3);
		/* mailhop ignores SIGXFSZ: a write past the limit is EFBIG. */
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		if (queue_open(&q, dir, &e) < 0)
			_exit(4);
		r = queue_add(&q, &env, "a", &m, NULL, TEST_NOW, NULL, id, &e);
		printf("# %s\n", e.msg);
		fflush(stdout);
		_exit(r < 0 && e.kind == ERR_TEMPFAIL ? 0 : 1);
	}
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		   WEXITSTATUS(status) == 0,
	   "file size limit: queue_add fails with ERR_TEMPFAIL");
	snprintf(path, sizeof(path), "%s/tmp", dir);
	is_int(count_files(path), 0, "no partial file in tmp/");
	is_int(count_files(dir), 0, "no partial entry");
}

/* ---- mailq ---------------------------------------------------------------- */

static void test_print(void)
{
	static const char *const rcpts[] = {"bob@example.org",
					    "carol@example.net", NULL};
	char dir[300], id[QUEUE_ID_LEN + 1], id2[QUEUE_ID_LEN + 1];
	char id3[QUEUE_ID_LEN + 1], want[4096], *out = NULL;
	size_t outlen;
	struct queue_policy pol;
	struct queue q;
	struct envelope env;
	struct msg m;
	struct err e = ERR_INIT, reason = ERR_INIT;
	FILE *f;

	new_dir(dir, sizeof(dir));
	ok(queue_open(&q, dir, &e) == 0, "open");
	f = open_memstream(&out, &outlen);
	ok(queue_print(&q, f, TEST_NOW, &e) == 0, "print empty");
	fclose(f);
	is_str(out, "Mail queue is empty\n", "empty queue");
	free(out);

	queue_policy_init(&pol, NULL, 0, &e);
	env_simple(&env, "", rcpts);
	make_msg(&m, small_msg, strlen(small_msg), &e);
	reason.kind = ERR_TEMPFAIL;
	snprintf(reason.msg, sizeof(reason.msg),
		 "cannot connect to 'smtp.example.org:587': connection "
		 "refused\r\n\x1b[31m");
	queue_add(&q, &env, "work", &m, &reason, TEST_NOW - 7500, &pol, id, &e);
	envelope_release(&env);
	env_simple(&env, "ann@example.org", one_rcpt);
	queue_add(&q, &env, "home", &m, NULL, TEST_NOW - 30, &pol, id2, &e);
	queue_add_failed(&q, &env, "home", &m, &reason, TEST_NOW, id3, &e);
	envelope_release(&env);
	msg_release(&m);
	{
		struct queue_list l;

		queue_list_init(&l);
		queue_list(&q, &l, &e);
		snprintf(want, sizeof(want),
			 "-Queue ID--------------- --Size-- ----Arrival "
			 "Time---- "
			 "-Sender/Recipient-------\n"
			 "%s       %2zu Sun Nov 22 08:14:00  <>\n"
			 "(account work, age 2h05m, tries 1, next try now: "
			 "cannot connect to 'smtp.example.org:587': connection "
			 "refused??"
			 "?[31m)\n"
			 "%55sbob@example.org\n"
			 "%55scarol@example.net\n"
			 "\n"
			 "%s       %2zu Sun Nov 22 10:18:30  ann@example.org\n"
			 "(account home, age 30s, tries 0, next try now)\n"
			 "%55sbob@example.org\n"
			 "\n"
			 "-- 1 Kbytes in 2 Requests.\n"
			 "-- 1 failed message kept in %s/failed\n",
			 l.n > 0 ? l.v[0].id : "", strlen(small_msg), "", "",
			 l.n > 1 ? l.v[1].id : "", strlen(small_msg), "", dir);
		queue_list_release(&l);
	}
	out = NULL;
	f = open_memstream(&out, &outlen);
	ok(queue_print(&q, f, TEST_NOW, &e) == 0, "print");
	fclose(f);
	is_str(out, want, "mailq listing");
	free(out);
	queue_close(&q);
}

int main(void)
{
	snprintf(root, sizeof(root), "/tmp/test_queue.XXXXXX");
	if (!mkdtemp(root))
		return 1;
	setenv("TMPDIR", root, 1);
	setenv("TZ", "UTC", 1);
	tzset();
	test_escape();
	test_id_valid();
	test_policy();
	test_default_dir();
	test_open_perms();
	test_round_trips();
	test_hostile_meta();
	test_ids_unique();
	test_backoff();
	test_custom_retry();
	test_due_and_commands();
	test_lock();
	test_corrupt();
	test_planted();
	test_crash_leftovers();
	test_kill();
	test_disk_full();
	test_print();
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'",
			 root, root);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", root);
	}
	return tap_done();
}
