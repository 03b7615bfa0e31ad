#!/bin/sh
# fuzz/corpus-check.sh - make check: fuzz/corpus.mk lists exactly the seeds
# and reproducers present (see fuzz/corpus-list.sh).
exec ${SHELL:-/bin/sh} "${top_srcdir:-.}/fuzz/corpus-list.sh" --check
