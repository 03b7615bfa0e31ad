#!/bin/sh
# tests/format-check.sh - TAP: every C source and header must already be
# formatted as the repository's .clang-format says.  One test per file:
# src/*.c src/*.h tests/unit/*.c tests/unit/*.h under $top_srcdir (default:
# this script's parent directory).  $CLANG_FORMAT names the tool (default
# clang-format); when it cannot be found the whole test is skipped.
# `make format` fixes what this reports.
set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cf=${CLANG_FORMAT:-clang-format}

if ! command -v "$cf" >/dev/null 2>&1; then
	echo "1..0 # SKIP clang-format not found (set CLANG_FORMAT)"
	exit 0
fi
if [ ! -f "$srcdir/.clang-format" ]; then
	echo "1..1"
	echo "not ok 1 - $srcdir/.clang-format exists"
	echo "# 0 passed, 1 failed"
	exit 1
fi

files=
for f in "$srcdir"/src/*.c "$srcdir"/src/*.h "$srcdir"/tests/unit/*.c \
	"$srcdir"/tests/unit/*.h; do
	[ -f "$f" ] && files="$files $f"
done

n=0
for f in $files; do
	n=$((n + 1))
done
echo "1..$n"

i=0
passed=0
failed=0
out=$(mktemp "${TMPDIR:-/tmp}/format-check.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
for f in $files; do
	i=$((i + 1))
	name=${f#"$srcdir"/}
	# --style=file finds $srcdir/.clang-format from the file's directory.
	if "$cf" --dry-run -Werror --style=file "$f" >"$out" 2>&1; then
		echo "ok $i - $name"
		passed=$((passed + 1))
	else
		echo "not ok $i - $name"
		sed -n '1,12s/^/# /p' "$out"
		echo "# fix with: make format (or $cf -i $name)"
		failed=$((failed + 1))
	fi
done
echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
