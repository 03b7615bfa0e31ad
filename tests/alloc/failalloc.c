/*
 * failalloc.c - make the Nth allocation of mailhop's own code fail.
 *
 * Linked only into the test binary tests/alloc/mailhop-torture (never into
 * src/mailhop), with -Wl,--wrap=SYMBOL for every allocating libc call that
 * mailhop's own code makes (see ALLOC_WRAPS in tests/alloc/local.mk).  The
 * linker sends those calls, from the objects of src/ only, to the __wrap_ functions
 * below; calls made inside shared libraries (GnuTLS, GNU SASL, libidn2,
 * libc itself) are not redirected.  Each wrapper counts the call, and fails
 * it as the real function does when memory is short (NULL and errno
 * ENOMEM; EAI_MEMORY for getaddrinfo) when its number is the one asked for.
 * Under AddressSanitizer __real_malloc is ASan's malloc, so the sanitizer
 * build gets the same torture.
 *
 * Environment:
 *   MAILHOP_FAIL_ALLOC=N        fail allocation number N (1-based); 0 or
 *                               unset: fail none (count only)
 *   MAILHOP_FAIL_ALLOC_STICKY=1 fail N and every allocation after it
 *   MAILHOP_ALLOC_REPORT=FILE   at exit, write one line to FILE:
 *                               "allocs COUNT failed FAILED at OFF..."
 *                               (COUNT: allocations made; FAILED: how many
 *                               were failed; OFF...: the call stack of the
 *                               first failed one, see write_report())
 * Only the process that started counting writes the report (not a child
 * left by fork() that exits through exit()).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__real_fdopen(int fd, const char *mode);
DIR *__real_fdopendir(int fd);
DIR *__real_opendir(const char *path);
int __real_getaddrinfo(const char *node, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
FILE *__wrap_fopen(const char *path, const char *mode);
FILE *__wrap_fdopen(int fd, const char *mode);
DIR *__wrap_fdopendir(int fd);
DIR *__wrap_opendir(const char *path);
int __wrap_getaddrinfo(const char *node, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res);

static int started;
static pid_t owner;
static unsigned long fail_at;
static int sticky;
static const char *report;
static unsigned long count;
static unsigned long failed;
/* The call stack of the first failed allocation (for addr2line). */
#define TRACE_MAX 12
static void *trace[TRACE_MAX];
static int ntrace;

static void start(void)
{
	const char *s;

	started = 1;
	owner = getpid();
	s = getenv("MAILHOP_FAIL_ALLOC");
	if (s)
		fail_at = strtoul(s, NULL, 10);
	s = getenv("MAILHOP_FAIL_ALLOC_STICKY");
	sticky = s && strcmp(s, "1") == 0;
	report = getenv("MAILHOP_ALLOC_REPORT");
}

/* Count one allocation; 1 when this one must fail. */
static int must_fail(void)
{
	if (!started)
		start();
	count++;
	if (fail_at == 0 || count < fail_at || (count > fail_at && !sticky))
		return 0;
	if (failed++ == 0)
		ntrace = backtrace(trace, TRACE_MAX);
	errno = ENOMEM;
	return 1;
}

void *__wrap_malloc(size_t n)
{
	return must_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return must_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return must_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return must_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return must_fail() ? NULL : __real_strndup(s, n);
}

/* stdio and dirent allocate their FILE and DIR: ENOMEM when that fails. */
FILE *__wrap_fopen(const char *path, const char *mode)
{
	return must_fail() ? NULL : __real_fopen(path, mode);
}

FILE *__wrap_fdopen(int fd, const char *mode)
{
	return must_fail() ? NULL : __real_fdopen(fd, mode);
}

DIR *__wrap_fdopendir(int fd)
{
	return must_fail() ? NULL : __real_fdopendir(fd);
}

DIR *__wrap_opendir(const char *path)
{
	return must_fail() ? NULL : __real_opendir(path);
}

int __wrap_getaddrinfo(const char *node, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res)
{
	if (must_fail())
		return EAI_MEMORY;
	return __real_getaddrinfo(node, service, hints, res);
}

/*
 * "allocs COUNT failed FAILED at OFF OFF ...": the frames of the first
 * failed allocation that lie in this executable, as offsets from its load
 * address (addr2line -f -i -e mailhop-torture OFF...).
 */
static void __attribute__((destructor)) write_report(void)
{
	char line[1024];
	Dl_info self, info;
	int fd, i;
	size_t n;

	if (!started)
		start();
	if (!report || getpid() != owner)
		return;
	n = (size_t)snprintf(line, sizeof(line), "allocs %lu failed %lu at",
			     count, failed);
	if (!dladdr((void *)write_report, &self))
		self.dli_fbase = NULL;
	for (i = 1; i < ntrace && n < sizeof(line) - 24; i++)
		if (self.dli_fbase && dladdr(trace[i], &info) &&
		    info.dli_fbase == self.dli_fbase)
			n += (size_t)snprintf(
				line + n, sizeof(line) - n, " 0x%lx",
				(unsigned long)((char *)trace[i] -
						(char *)self.dli_fbase - 1));
	line[n++] = '\n';
	fd = open(report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, n) != (ssize_t)n)
		i = -1;
	close(fd);
}
