#!/bin/sh
# fuzz/run.sh NAME PROGRAM SRCDIR SECONDS [LIBFUZZER-FLAG...]
# One fuzzer of make fuzz: run PROGRAM for SECONDS on a scratch copy of
# SRCDIR/fuzz/corpus/NAME (new inputs go there, never into the source
# tree) and SRCDIR/fuzz/regress/NAME (read only), with
# SRCDIR/fuzz/NAME.dict when there is one.  Prints one summary line;
# on a crash (or leak, timeout, out-of-memory) prints the log's tail and
# the reproducer's path and exits 1.
name=$1 prog=$2 srcdir=$3 secs=$4
shift 4
work=fuzz/work/$name
mkdir -p "$work/corpus" "$work/artifacts" || exit 1
rm -f "$work/artifacts/"* "$work/log"
cp "$srcdir/fuzz/corpus/$name/"* "$work/corpus/" || exit 1
set -- -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@"
test -f "$srcdir/fuzz/$name.dict" && set -- -dict="$srcdir/fuzz/$name.dict" "$@"
dirs="$work/corpus"
test -d "$srcdir/fuzz/regress/$name" && dirs="$dirs $srcdir/fuzz/regress/$name"
echo "  FUZZ     $name ($secs s)"
"$prog" "$@" $dirs > "$work/log" 2>&1
rc=$?
stat() { sed -n "s/^stat::$1: *//p" "$work/log" | tail -n 1; }
found=$(ls "$work/artifacts" 2>/dev/null)
if test $rc -eq 0 && test -z "$found"; then
	echo "fuzz-$name: ok: $(stat number_of_executed_units) runs," \
		"$(stat average_exec_per_sec) exec/s, corpus" \
		"$(ls "$work/corpus" | wc -l) inputs (log: $work/log)"
	exit 0
fi
tail -n 60 "$work/log" | sed "s/^/fuzz-$name: /"
echo "fuzz-$name: FAILED (exit $rc); log: $work/log"
for f in $found; do
	echo "fuzz-$name: reproducer: $(pwd)/$work/artifacts/$f"
	echo "fuzz-$name:   replay: $prog $work/artifacts/$f"
	echo "fuzz-$name:   keep it: cp it to fuzz/regress/$name/, fix, run fuzz/corpus-list.sh"
done
exit 1
