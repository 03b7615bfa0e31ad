# bench/local.mk - make bench: the benchmark suite against msmtp (never part of make check).
# Included from Makefile.am; paths are relative to the top directory.
