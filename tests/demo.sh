#!/bin/sh
# tests/demo.sh - the Quick start demo (`make demo`, run from the build dir).
#
# Starts tests/fakesmtp.py in accept-all mode on a free loopback port, writes
# a temporary rc file, submits a small message with `src/mailhop -v -C rc -t`
# (the SMTP transcript appears on stderr), then prints the message exactly as
# the server received it.  Exit status 0 only when the delivery succeeded.
# Environment: top_srcdir (default: this script's parent directory), MAILHOP
# (default: src/mailhop in the current directory), PYTHON3 (default python3).
set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
mailhop=${MAILHOP:-src/mailhop}
python=${PYTHON3:-python3}

if [ ! -x "$mailhop" ]; then
	echo "demo: $mailhop not found; run 'make' first" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mailhop-demo.XXXXXX") || exit 1
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

cat >"$tmp/server.script" <<'SCRIPT'
hostname demo.smtp.test
caps PIPELINING SIZE=10485760 8BITMIME ENHANCEDSTATUSCODES
SCRIPT

"$python" "$srcdir/tests/fakesmtp.py" --script "$tmp/server.script" \
	--record "$tmp/server" --port-file "$tmp/port" --max-connections 1 \
	--timeout 60 --quiet &
server_pid=$!

tries=0
while [ ! -s "$tmp/port" ]; do
	tries=$((tries + 1))
	if [ "$tries" -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then
		echo "demo: the fake SMTP server did not start" >&2
		exit 1
	fi
	sleep 0.1
done
port=$(cat "$tmp/port")

umask 077
cat >"$tmp/rc" <<RC
# demo account: the fake server on loopback, no TLS
account default
host 127.0.0.1
port $port
from demo@example.org
timeout 10
queue off
RC

cat >"$tmp/message" <<'MSG'
From: Demo User <demo@example.org>
To: Alice <alice@example.org>
Cc: bob@example.org
Subject: Hello from mailhop

This message was submitted by mailhop to a fake SMTP server
listening on 127.0.0.1.
.A line starting with a dot is dot-stuffed on the wire.
MSG

echo "== mailhop -v -C rc -t  (SMTP transcript on stderr)"
HOME=$tmp "$mailhop" -v -C "$tmp/rc" -t <"$tmp/message"
status=$?
echo "== mailhop exited with status $status"

# Let the server record the end of the session, then stop it.
tries=0
while kill -0 "$server_pid" 2>/dev/null && [ "$tries" -lt 30 ]; do
	tries=$((tries + 1))
	sleep 0.1
done
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=

msg="$tmp/server/conn-1.msg-1"
if [ "$status" -eq 0 ] && [ -f "$msg" ]; then
	echo "== the message as the server received it (after un-dot-stuffing):"
	cat "$msg"
	echo "== delivered"
	exit 0
fi
echo "== delivery FAILED" >&2
if [ -f "$tmp/server/server.log" ]; then
	echo "== fake server log:" >&2
	cat "$tmp/server/server.log" >&2
fi
exit 1
