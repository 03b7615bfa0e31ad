#!/bin/sh
# tests/security/gen-check.sh - make check (TAP): the smuggle-*.t cases in
# tests/security/cases are exactly what tests/security/gen-cases.py writes,
# and tests/security/local.mk lists each one.  gen-cases.py --check reads
# the source tree and writes only into a temp directory, so this works in
# a VPATH build with a read-only source tree (make distcheck).
exec "${PYTHON3:-python3}" "${top_srcdir:-.}/tests/security/gen-cases.py" --check
