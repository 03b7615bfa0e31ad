#!/bin/sh
# fuzz/corpus-list.sh - keep fuzz/corpus.mk (the EXTRA_DIST list of every
# seed in fuzz/corpus/NAME/ and reproducer in fuzz/regress/NAME/) in step
# with the files.
#
#   fuzz/corpus-list.sh          rewrite fuzz/corpus.mk (run it after
#                                adding a seed or a reproducer)
#   fuzz/corpus-list.sh --check  TAP test (make check): the list names
#                                exactly the files present
#
# Run from the top source directory, or with $top_srcdir set.
top=${top_srcdir:-.}
list() {
	(cd "$top" && find fuzz/corpus fuzz/regress -type f ! -name '.*' \
		2>/dev/null | LC_ALL=C sort)
}
listed() {
	sed -n 's/^	\(fuzz\/[^ ]*\).*/\1/p' "$top/fuzz/corpus.mk" | LC_ALL=C sort
}

if test "x$1" = x--check; then
	echo 1..1
	tmp=${TMPDIR:-/tmp}/corpus-list.$$
	list > "$tmp.have"
	listed > "$tmp.listed"
	if cmp -s "$tmp.have" "$tmp.listed"; then
		echo "ok 1 - fuzz/corpus.mk lists every seed and reproducer"
		rm -f "$tmp.have" "$tmp.listed"
		exit 0
	fi
	echo "not ok 1 - fuzz/corpus.mk is out of date:" \
		"run fuzz/corpus-list.sh in the top source directory"
	diff "$tmp.listed" "$tmp.have" | sed 's/^/# /'
	rm -f "$tmp.have" "$tmp.listed"
	exit 1
fi

for f in $(list); do
	case $f in
	*[!A-Za-z0-9._/+-]*)
		echo "fuzz/corpus-list.sh: rename '$f' (make needs plain names)" >&2
		exit 1
		;;
	esac
done
{
	echo "# fuzz/corpus.mk - written by fuzz/corpus-list.sh: every seed and"
	echo "# crash reproducer, one by one (EXTRA_DIST; never a whole directory)."
	echo "FUZZ_INPUTS = \\"
	list | sed 's/^/	/; $!s/$/ \\/'
} > "$top/fuzz/corpus.mk"
