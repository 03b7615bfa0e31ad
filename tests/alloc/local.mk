# tests/alloc/local.mk - allocation-failure torture (fail the Nth allocation for every N).
# Included from Makefile.am; paths are relative to the top directory.
#
# tests/alloc/mailhop-torture is src/mailhop linked with failalloc.c, which
# wraps every allocating libc call mailhop's own code makes (the linker's
# --wrap only redirects references from these objects, never the shared
# libraries').  It is a check program: src/mailhop never contains the hook.
# tests/alloc/run.py runs it under MAILHOP_FAIL_ALLOC=N for every N.
ALLOC_WRAPS = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup \
	-Wl,--wrap=strndup,--wrap=fopen,--wrap=fdopen,--wrap=fdopendir \
	-Wl,--wrap=opendir,--wrap=getaddrinfo

check_PROGRAMS += tests/alloc/mailhop-torture
tests_alloc_mailhop_torture_SOURCES = src/main.c tests/alloc/failalloc.c
# -ldl: dladdr() before glibc 2.34 (an empty stub since).
tests_alloc_mailhop_torture_LDADD = src/libmailhop.a $(LIBDEPS) -ldl
tests_alloc_mailhop_torture_LDFLAGS = $(AM_LDFLAGS) $(ALLOC_WRAPS)

SCRIPT_TESTS += tests/alloc/run.py
TEST_DIRS += tests/alloc
EXTRA_DIST += tests/alloc/README
