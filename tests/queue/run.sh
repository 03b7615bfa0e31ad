#!/bin/sh
# tests/queue/run.sh - the queue's guarantee, end to end (issue 5): a
# message is accepted by the server, or durably queued, or the caller is
# told; queued messages go out exactly once, in order, over one
# connection per account.  mailhop runs against tests/fakesmtp.py on
# loopback; every check looks at the exit code and at what the server
# recorded.  TAP output.  Environment: MAILHOP, top_srcdir, PYTHON3;
# KEEP=1 keeps the temp directory for a look afterwards.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
mailhop=${MAILHOP:-src/mailhop}
python=${PYTHON3:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mailhop-queue.XXXXXX") || exit 1
pids=
n=0
failed=0
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap "" EXIT
trap 'exit 1' HUP INT TERM

check() { # check NAME COMMAND...
	n=$((n + 1))
	name=$1
	shift
	if "$@"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		failed=$((failed + 1))
	fi
}

# wait_for COMMAND...: up to 10 s for COMMAND to succeed
wait_for() {
	i=0
	while ! "$@" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	"$@" 2>/dev/null
}

free_port() {
	"$python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# start_server DIR PORT [SCRIPT-LINES]: fake server on PORT, records in
# DIR/rec; serves connections one after another until stopped.
start_server() {
	printf '%s\n' "${3:-# accept all}" >"$1/script"
	"$python" "$srcdir/tests/fakesmtp.py" --record "$1/rec" --port "$2" \
		--port-file "$1/sport" --timeout 60 --script "$1/script" \
		--caps "PIPELINING SIZE=100000 8BITMIME" --quiet &
	server=$!
	pids="$pids $server"
	wait_for test -s "$1/sport"
}

stop_server() {
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
}

# setup NAME [RC-LINES]: a fresh test directory $d with its own HOME and
# XDG dirs, and an rc file for account "default" on port $port (closed
# until a server is started on it).
setup() {
	d="$tmp/$1"
	mkdir -p "$d/home" "$d/xdg"
	port=$(free_port)
	umask 077
	cat >"$d/rc" <<RC
defaults
timeout 5
queue_dir $d/queue
logfile $d/log
from alice@example.org
${2:-}
account default
host 127.0.0.1
port $port
RC
	umask 022
}

# mh [ARGS...]: mailhop with the test's rc, HOME and XDG dirs, bounded.
mh() {
	HOME="$d/home" XDG_STATE_HOME="$d/xdg/state" \
		XDG_CONFIG_HOME="$d/xdg/config" XDG_CACHE_HOME="$d/xdg/cache" \
		timeout 60 "$mailhop" -C "$d/rc" "$@"
}

# send SUBJECT [ARGS...]: one message to bob; sets rc, out in $d/err
send() {
	subj=$1
	shift
	printf 'Subject: %s\n\nbody of %s\n' "$subj" "$subj" |
		mh "$@" bob@example.net >"$d/out" 2>"$d/err"
	rc=$?
}

entries() { # number of queued entries
	ls "$d/queue" 2>/dev/null | grep -c '\.meta$'
}
failed_entries() {
	ls "$d/queue/failed" 2>/dev/null | grep -c '\.meta$'
}
first_id() {
	ls "$d/queue" | sed -n 's/\.meta$//p' | head -n 1
}
messages() { # messages the server received
	ls "$d/rec" 2>/dev/null | grep -c '^conn-[0-9]*\.msg-'
}
connections() {
	ls "$d/rec" 2>/dev/null | grep -c '^conn-[0-9]*\.in$'
}
count_in() { # count_in FILE REGEX: matching lines (CRLF stripped)
	tr -d '\r' <"$1" | grep -c "$2"
}

# ---------------------------------------------------------------------
# 1: smarthost down: exit 0, silently queued, listed with the error
setup down "queue_retry 1s"
send m1
check "down: exit 0" test "$rc" -eq 0
check "down: nothing on stderr" test ! -s "$d/err"
check "down: one entry queued" test "$(entries)" -eq 1
mh --queue-list >"$d/mailq" 2>&1
check "down: mailq exit 0" test $? -eq 0
check "down: mailq shows the entry and the error" \
	sh -c "grep -q '^$(first_id) ' '$d/mailq' &&
		grep -q 'tries 1.*Connection refused' '$d/mailq' &&
		grep -q 'bob@example.net' '$d/mailq'"
mh -bp >"$d/bp" 2>&1
# the same but for the age and next-try times (the two runs may straddle
# a second boundary)
for f in mailq bp; do
	sed -E 's/age [0-9a-z]+, /age T, /; s/next try (now|in [0-9a-z]+)/next try T/' \
		"$d/$f" >"$d/$f.untimed"
done
check "down: the listing shows an age and a next try" \
	grep -Eq 'age [0-9a-z]+, tries 1, next try (now|in [0-9a-z]+): ' "$d/mailq"
check "down: -bp prints the same listing" \
	cmp -s "$d/mailq.untimed" "$d/bp.untimed"
check "down: log line says queued, with the queue id" \
	grep -q "queueid=$(first_id) status=queued account=default" "$d/log"
check "down: the stored data is the message" \
	grep -q '^body of m1' "$d/queue/$(first_id).data"
send m2 -v
check "down, -v: exit 0" test "$rc" -eq 0
check "down, -v: says queued as ID" grep -q '^queued as [0-9A-F]\{24\}$' \
	"$d/err"
check "down: two entries" test "$(entries)" -eq 2

# 2: smarthost up: the next run sends both old ones, then its own, over
# one connection, once each, in order
sleep 1.2 # queue_retry 1s: both are due
start_server "$d" "$port"
send m3
check "up: exit 0" test "$rc" -eq 0
check "up: nothing on stderr" test ! -s "$d/err"
check "up: queue empty" test "$(entries)" -eq 0
wait_for test -s "$d/rec/conn-1.msg-3"
check "up: one connection" test "$(connections)" -eq 1
check "up: three messages" test "$(messages)" -eq 3
check "up: in order m1, m2, m3" sh -c "
	grep -q '^Subject: m1' '$d/rec/conn-1.msg-1' &&
	grep -q '^Subject: m2' '$d/rec/conn-1.msg-2' &&
	grep -q '^Subject: m3' '$d/rec/conn-1.msg-3'"
check "up: one EHLO" test "$(count_in "$d/rec/conn-1.in" '^EHLO ')" -eq 1
check "up: RSET between the transactions (2)" \
	test "$(count_in "$d/rec/conn-1.in" '^RSET$')" -eq 2
check "up: one QUIT at the end" sh -c "
	[ \$(tr -d '\r' <'$d/rec/conn-1.in' | grep -c '^QUIT$') -eq 1 ] &&
	tr -d '\r' <'$d/rec/conn-1.in' | tail -n 1 | grep -qx QUIT"
check "up: queued messages sent as stored (one Date header each)" \
	test "$(grep -c '^Date:' "$d/rec/conn-1.msg-1")" -eq 1
check "up: log says delivered for both queue ids" \
	test "$(grep -c 'status=delivered' "$d/log")" -eq 2
mh --queue-list >"$d/mailq" 2>&1
check "up: mailq says empty" grep -qx 'Mail queue is empty' "$d/mailq"
stop_server

# 3: 4xx to RCPT: queued (the message is safe), exit 0
setup tempfail
start_server "$d" "$port" "on RCPT reply 451 4.7.1 greylisted, try later"
send t1
check "451 to RCPT: exit 0" test "$rc" -eq 0
check "451 to RCPT: queued" test "$(entries)" -eq 1
mh --queue-list >"$d/mailq" 2>&1
check "451 to RCPT: mailq shows the reply" grep -q '451 4.7.1 greylisted' \
	"$d/mailq"
check "451 to RCPT: nothing delivered" test "$(messages)" -eq 0
stop_server

# 4: 5xx to RCPT: exit 67, kept in failed/ with the reason
setup permfail
start_server "$d" "$port" "on RCPT reply 550 5.1.1 no such user"
send p1
check "550 to RCPT: exit 67" test "$rc" -eq 67
check "550 to RCPT: one line naming the recipient" sh -c "
	[ \$(wc -l <'$d/err') -eq 1 ] &&
	grep -q 'refused recipient <bob@example.net>: 550 5.1.1' '$d/err'"
check "550 to RCPT: nothing queued for retry" test "$(entries)" -eq 0
check "550 to RCPT: kept in failed/" test "$(failed_entries)" -eq 1
check "550 to RCPT: failed/ holds the reason and the message" sh -c "
	grep -q '^last_error .*550%205.1.1' '$d'/queue/failed/*.meta &&
	grep -q '^body of p1' '$d'/queue/failed/*.data"
check "550 to RCPT: log says failed" grep -q 'status=failed' "$d/log"
mh --queue-list >"$d/mailq" 2>&1
check "550 to RCPT: mailq counts the failed message" \
	grep -q '1 failed message' "$d/mailq"

# 5: --queue-retry brings a failed/ entry back; --queue-delete removes
id=$(ls "$d/queue/failed" | sed -n 's/\.meta$//p')
mh --queue-retry "$id" >"$d/out" 2>"$d/err"
check "--queue-retry of a failed entry: exit 0" test $? -eq 0
check "--queue-retry: back in the queue, not in failed/" \
	test "$(entries)" -eq 1 -a "$(failed_entries)" -eq 0
mh --queue-delete "$id" >"$d/out" 2>"$d/err"
check "--queue-delete: exit 0" test $? -eq 0
check "--queue-delete: gone" test "$(entries)" -eq 0 -a ! -e \
	"$d/queue/$id.data"
mh --queue-delete "$id" >"$d/out" 2>"$d/err"
check "--queue-delete of an unknown id: exit 64" test $? -eq 64
mh --queue-delete "../../etc/passwd" >"$d/out" 2>"$d/err"
check "--queue-delete of a malformed id: exit 64" test $? -eq 64
stop_server

# 6: --queue-retry makes a waiting entry due (backoff 1m otherwise)
setup retry
send r1
check "retry: queued while down" test "$(entries)" -eq 1
start_server "$d" "$port"
send r2
check "retry: backoff respected (not due: only the new one went)" \
	sh -c "[ $rc -eq 0 ] && [ \$(ls '$d/rec' | grep -c 'msg-') -eq 1 ] &&
		grep -q '^Subject: r2' '$d/rec/conn-1.msg-1'"
check "retry: the old one is still queued" test "$(entries)" -eq 1
mh --queue-retry "$(first_id)" >"$d/out" 2>"$d/err"
check "retry: --queue-retry exit 0" test $? -eq 0
send r3
check "retry: next run sends the retried entry, then its own" sh -c "
	[ $rc -eq 0 ] && [ \$(ls '$d/rec' | grep -c 'msg-') -eq 3 ] &&
	grep -q '^Subject: r1' '$d/rec/conn-2.msg-1' &&
	grep -q '^Subject: r3' '$d/rec/conn-2.msg-2'"
check "retry: queue empty" test "$(entries)" -eq 0
stop_server

# 7: backoff and --flush: a waiting entry is only sent by --flush
setup flush
send f1
start_server "$d" "$port"
mh --flush >"$d/out" 2>"$d/err"
check "--flush: exit 0, silent" sh -c "[ $? -eq 0 ] && [ ! -s '$d/err' ]"
check "--flush: sent the waiting entry" sh -c "
	[ \$(ls '$d/rec' | grep -c 'msg-') -eq 1 ] &&
	grep -q '^Subject: f1' '$d/rec/conn-1.msg-1'"
check "--flush: queue empty" test "$(entries)" -eq 0
mh --flush >"$d/out" 2>"$d/err"
check "--flush of an empty queue: exit 0, no connection" sh -c "
	[ $? -eq 0 ] && [ \$(ls '$d/rec' | grep -c '\.in$') -eq 1 ]"
stop_server

# 8: queue off: exit 75, one line, nothing queued, no queue directory
setup off "queue off"
send o1
check "queue off: exit 75" test "$rc" -eq 75
check "queue off: one line naming the failure" sh -c "
	[ \$(wc -l <'$d/err') -eq 1 ] && grep -q 'Connection refused' '$d/err'"
check "queue off: no queue directory" test ! -e "$d/queue"
send o2 --queue
check "--queue overrides queue off: exit 0, queued" \
	sh -c "[ $rc -eq 0 ] && [ $(entries) -eq 1 ]"
setup noqueue
send o3 --no-queue
check "--no-queue: exit 75, nothing queued" \
	sh -c "[ $rc -eq 75 ] && [ ! -e '$d/queue' ]"

# 9: queue not writable: exit 75 with both errors
setup unwritable
sed -i "s|^queue_dir .*|queue_dir $d/file/queue|" "$d/rc"
: >"$d/file"
send u1
check "queue unwritable: exit 75" test "$rc" -eq 75
check "queue unwritable: two lines, delivery error and queue error" \
	sh -c "[ \$(wc -l <'$d/err') -eq 2 ] &&
		sed -n 1p '$d/err' | grep -q 'Connection refused' &&
		sed -n 2p '$d/err' | grep -q 'cannot queue the message'"

# 10: queue_lifetime: an entry past it goes to failed/
setup expire "queue_lifetime 1s
queue_retry 1s"
send e1
check "expire: queued" test "$(entries)" -eq 1
sleep 1.5
mh --flush >"$d/out" 2>"$d/err"
check "expire: --flush exit 0" test $? -eq 0
check "expire: moved to failed/" \
	test "$(entries)" -eq 0 -a "$(failed_entries)" -eq 1
check "expire: --flush says so on stderr" grep -q 'expired' "$d/err"
check "expire: log says expired" grep -q 'status=expired' "$d/log"

# 11: fallback account used when the primary is down
setup fallback "queue_retry 1s"
fport=$(free_port)
cat >>"$d/rc" <<RC
fallback backup
account backup
host 127.0.0.1
port $fport
RC
start_server "$d" "$fport"
send b1
check "fallback: exit 0, silent" sh -c "[ $rc -eq 0 ] && [ ! -s '$d/err' ]"
check "fallback: delivered by the fallback server" sh -c "
	[ \$(ls '$d/rec' | grep -c 'msg-') -eq 1 ] &&
	grep -q '^Subject: b1' '$d/rec/conn-1.msg-1'"
check "fallback: nothing queued" test "$(entries)" -eq 0
check "fallback: log names the account that delivered" \
	grep -q 'status=delivered account=backup' "$d/log"
stop_server
send b2
check "fallback down too: exit 0, queued" \
	sh -c "[ $rc -eq 0 ] && [ $(entries) -eq 1 ]"

# 12: two flushers at once never send the same entry twice
setup concurrent
i=1
while [ $i -le 5 ]; do
	send "c$i"
	i=$((i + 1))
done
check "concurrent: five entries queued" test "$(entries)" -eq 5
start_server "$d" "$port" "on dot stall 0.3"
mh --flush >"$d/out1" 2>"$d/err1" &
p1=$!
mh --flush >"$d/out2" 2>"$d/err2" &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
check "concurrent: both exit 0" test "$r1" -eq 0 -a "$r2" -eq 0
check "concurrent: queue empty" test "$(entries)" -eq 0
check "concurrent: each message delivered exactly once" sh -c "
	cat '$d'/rec/conn-*.msg-* | grep '^Subject:' | sort | uniq -c |
	awk '\$1 != 1 { bad = 1 } END { exit bad || NR != 5 }'"
stop_server

# 13: kill -9 while the server holds the data: the entry stays queued
setup kill
send k1
id=$(first_id)
start_server "$d" "$port" "on dot stall 20"
mh --flush >"$d/out" 2>"$d/err" &
pk=$!
wait_for grep -q '^body of k1' "$d/rec/conn-1.in"
sleep 0.3
kill -9 $pk 2>/dev/null
wait $pk 2>/dev/null
check "kill -9 during a flush: the entry is still queued" \
	test -e "$d/queue/$id.meta" -a -e "$d/queue/$id.data"
check "kill -9 during a flush: its data is intact" \
	grep -q '^body of k1' "$d/queue/$id.data"
check "kill -9 during a flush: no half-written files left visible" \
	test "$(entries)" -eq 1
stop_server

# 14: 20 concurrent runs while the server is down, then one flush: every
# message delivered exactly once, over one connection
setup twenty
i=1
while [ $i -le 20 ]; do
	(printf 'Subject: s%s\n\nbody\n' $i |
		mh bob@example.net >"$d/out$i" 2>&1
	echo $? >"$d/rc$i") &
	i=$((i + 1))
done
wait
check "20 concurrent runs, server down: all exit 0" sh -c "
	[ \$(cat '$d'/rc* | grep -cx 0) -eq 20 ]"
check "20 concurrent runs: 20 entries" test "$(entries)" -eq 20
start_server "$d" "$port"
mh --flush >"$d/out" 2>"$d/err"
check "20 concurrent runs, then --flush: exit 0" test $? -eq 0
check "20 concurrent runs: each delivered exactly once" sh -c "
	cat '$d'/rec/conn-*.msg-* | grep '^Subject:' | sort | uniq -c |
	awk '\$1 != 1 { bad = 1 } END { exit bad || NR != 20 }'"
check "20 concurrent runs: one connection, 19 RSETs" sh -c "
	[ \$(ls '$d/rec' | grep -c '\.in$') -eq 1 ] &&
	[ \$(tr -d '\r' <'$d/rec/conn-1.in' | grep -c '^RSET$') -eq 19 ]"
check "20 concurrent runs: queue empty" test "$(entries)" -eq 0
stop_server

# 15: file size limit: the caller is told (the message spool is written
# first, so it fails there: exit 74), and no partial entry is left
setup fsize
big=$(awk 'BEGIN { for (i = 0; i < 200; i++) print "line " i " of a message larger than the limit" }')
(ulimit -f 4 && printf 'Subject: big\n\n%s\n' "$big" |
	mh bob@example.net >"$d/out" 2>"$d/err")
rc=$?
check "file size limit: non-zero exit, one line" \
	sh -c "[ $rc -ne 0 ] && [ \$(wc -l <'$d/err') -eq 1 ]"
check "file size limit: no entry, nothing left in tmp/" sh -c "
	[ $(entries) -eq 0 ] && [ -z \"\$(ls '$d/queue/tmp' 2>/dev/null)\" ] &&
	[ -z \"\$(ls '$d/queue' 2>/dev/null | grep '\.data$')\" ]"

# 16: an unsafe queue directory is refused, not used
setup unsafe
send x1
chmod 0755 "$d/queue"
send x2
check "queue dir mode 0755: exit 75" test "$rc" -eq 75
check "queue dir mode 0755: says why" grep -q 'unsafe\|permission' "$d/err"
chmod 0700 "$d/queue"
ln -s /etc/passwd "$d/queue/6B02D2D76D474006081B064D.meta"
mh --queue-list >"$d/mailq" 2>&1
check "a symlink planted as an entry is not listed as one" sh -c "
	! grep -q '^6B02D2D76D474006081B064D ' '$d/mailq' &&
	grep -q '^$(first_id | grep -v 6B02D2D76D474006081B064D) ' '$d/mailq'"

echo "1..$n"
[ "$failed" -eq 0 ]
