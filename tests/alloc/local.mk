# tests/alloc/local.mk - allocation-failure torture (fail the Nth allocation for every N).
# Included from Makefile.am; paths are relative to the top directory.
