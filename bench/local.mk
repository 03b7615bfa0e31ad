# bench/local.mk - make bench: the benchmark suite against msmtp (never part of make check).
# Included from Makefile.am; paths are relative to the top directory.
#
# make bench [BENCH_FLAGS='--quick' | BENCH_FLAGS='--runs 3 --only rt,big']
# needs root (a private Postfix, as tests/interop), msmtp (installed with
# apt-get when missing), valgrind and git send-email (tests/install-deps).
# See bench/run --help and README (Performance).
BENCH_FLAGS =

bench: src/mailhop
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	MAILHOP='$(abs_top_builddir)/src/mailhop' \
	$(PYTHON3) $(top_srcdir)/bench/run $(BENCH_FLAGS)

EXTRA_DIST += bench/run
EXTRA_DIST += bench/servers.sh
EXTRA_DIST += bench/sink.py

.PHONY: bench
