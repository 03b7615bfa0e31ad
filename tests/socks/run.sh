#!/bin/sh
# tests/socks/run.sh - mailhop through a SOCKS5 proxy (proxy_host,
# proxy_port), against tests/fakesmtp.py, checked from both ends: what the
# proxy was asked to connect to, what the server received, the exit code.
# TAP output.  Environment: MAILHOP, top_srcdir, PYTHON3.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
mailhop=${MAILHOP:-src/mailhop}
python=${PYTHON3:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mailhop-socks.XXXXXX") || exit 1
pids=
n=0
failed=0
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
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

wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$1" ]
}

# start_server DIR: accept-all fake SMTP server; sets sport
start_server() {
	"$python" "$srcdir/tests/fakesmtp.py" --record "$1/rec" \
		--port-file "$1/sport" --max-connections 1 --timeout 30 \
		--caps "PIPELINING SIZE=100000" --quiet &
	pids="$pids $!"
	wait_file "$1/sport" && sport=$(cat "$1/sport")
}

# start_proxy DIR [--refuse]: sets pport
start_proxy() {
	d=$1
	shift
	"$python" "$srcdir/tests/socks/socks5.py" --port-file "$d/pport" \
		--log "$d/proxy.log" --timeout 30 "$@" &
	pids="$pids $!"
	wait_file "$d/pport" && pport=$(cat "$d/pport")
}

write_rc() { # write_rc DIR PROXYPORT SERVERPORT [PROXYHOST [HOST]]
	umask 077
	cat >"$1/rc" <<RC
account default
host ${5:-smtp.mailhop-socks.invalid}
port $3
proxy_host ${4:-127.0.0.1}
proxy_port $2
from me@example.org
timeout 10
# failures must show as exit codes here, not as queued messages
queue off
RC
}

# send DIR: submit $msg to you@example.net with DIR/rc; sets rc
send() {
	printf '%s' "$msg" | HOME="$1" "$mailhop" -C "$1/rc" you@example.net \
		>"$1/out" 2>"$1/err"
	rc=$?
}

msg='Subject: via socks
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <socks@example.org>
From: me@example.org

through the proxy
'

# 1: delivery through the proxy; the proxy, not mailhop, resolves the name
d="$tmp/ok"
mkdir -p "$d"
start_server "$d"
start_proxy "$d"
write_rc "$d" "$pport" "$sport"
send "$d"
check "delivered through the proxy: exit 0" test "$rc" -eq 0
check "delivered through the proxy: stderr empty" test ! -s "$d/err"
check "proxy asked for the unresolvable name and port" \
	grep -qx "smtp.mailhop-socks.invalid:$sport" "$d/proxy.log"
wait_file "$d/rec/conn-1.msg-1"
check "server received the message" grep -q '^through the proxy' \
	"$d/rec/conn-1.msg-1"
check "server received RCPT through the proxy" \
	grep -q 'RCPT TO:<you@example.net>' "$d/rec/conn-1.in"

# 2: the proxy refuses: a temporary failure naming the proxy
d="$tmp/refuse"
mkdir -p "$d"
start_proxy "$d" --refuse
write_rc "$d" "$pport" 9
send "$d"
check "proxy refuses: exit 75" test "$rc" -eq 75
check "proxy refuses: one line naming the proxy's reason" \
	sh -c "[ \$(wc -l <'$d/err') -eq 1 ] &&
		grep -q 'SOCKS5 proxy.*connection refused' '$d/err'"

# 3: no proxy listening: a temporary failure
d="$tmp/down"
mkdir -p "$d"
start_proxy "$d" --max-connections 0
write_rc "$d" "$pport" 9
sleep 0.2
send "$d"
check "proxy down: exit 75" test "$rc" -eq 75
check "proxy down: names the proxy address" grep -q "127.0.0.1:$pport" "$d/err"

# 4: international names.  proxy_host is looked up by its A-label: the
# full-width "ｌｏｃａｌｈｏｓｔ" maps (UTS#46) to "localhost", which the
# system resolves, while the name as written would not resolve at all.
# The smarthost name reaches the proxy as its A-label too.
fwlocal='\357\275\214\357\275\217\357\275\203\357\275\201\357\275\214'
fwlocal="$fwlocal"'\357\275\210\357\275\217\357\275\223\357\275\224'
fwlocal=$(printf "$fwlocal")
ubook=$(printf 'smtp.b\303\274cher.invalid')
d="$tmp/idn"
mkdir -p "$d"
start_server "$d"
start_proxy "$d"
write_rc "$d" "$pport" "$sport" "$fwlocal" "$ubook"
send "$d"
check "international proxy_host: exit 0" test "$rc" -eq 0
check "international proxy_host: stderr empty" test ! -s "$d/err"
check "proxy asked for the smarthost's A-label" \
	grep -qx "smtp.xn--bcher-kva.invalid:$sport" "$d/proxy.log"
wait_file "$d/rec/conn-1.msg-1"
check "international proxy_host: server received the message" \
	grep -q '^through the proxy' "$d/rec/conn-1.msg-1"

# 5: ... and an error about it names the A-label
d="$tmp/idn-down"
mkdir -p "$d"
start_proxy "$d" --max-connections 0
write_rc "$d" "$pport" 9 "$fwlocal"
sleep 0.2
send "$d"
check "international proxy_host down: exit 75" test "$rc" -eq 75
check "international proxy_host down: the error names the A-label" \
	sh -c "[ \$(wc -l <'$d/err') -eq 1 ] &&
		grep -q \"^mailhop: cannot connect to 'localhost:$pport': \" '$d/err'"

# 6-8: port 465 without implicit TLS.  The smarthost is an implicit-TLS
# server (it waits for a TLS ClientHello and sends no greeting); mailhop
# waits for a greeting until its timeout, then says which setting to
# change.  The hint is tied to the port number 465 itself, which a test
# cannot listen on: mailhop asks the proxy for port 465 and the proxy
# (--target-port) connects to the test server's free port instead.
if "$srcdir/tests/tls/mkcerts.sh" "$tmp/certs" >/dev/null 2>&1; then
	# hint_run NAME ASKED-PORT RC-LINES...: sets rc, d
	hint_run() {
		d="$tmp/$1"
		asked=$2
		shift 2
		mkdir -p "$d"
		printf 'tls-cert server\ntls-implicit\nidle 20\n' >"$d/script"
		"$python" "$srcdir/tests/fakesmtp.py" --script "$d/script" \
			--certs "$tmp/certs" --record "$d/rec" \
			--port-file "$d/sport" --max-connections 1 \
			--timeout 30 --quiet &
		pids="$pids $!"
		wait_file "$d/sport" && sport=$(cat "$d/sport")
		start_proxy "$d" --target-port "$sport"
		write_rc "$d" "$pport" "$asked" 127.0.0.1 smtp.example.org
		printf '%s\n' "timeout 2" "$@" >>"$d/rc" # the last value wins
		send "$d"
	}
	# one_line FILE TEXT: FILE is exactly the line TEXT
	one_line() {
		[ "$(wc -l <"$1")" -eq 1 ] && [ "$(cat "$1")" = "$2" ]
	}
	timeout_msg="mailhop: timeout waiting for a reply from 'smtp.example.org:465'"

	hint_run plain465 465
	check "465, tls off: exit 75" test "$rc" -eq 75
	check "465, tls off: the hint says to turn tls on and STARTTLS off" \
		one_line "$d/err" "$timeout_msg: port 465 expects implicit TLS: set tls on and tls_starttls off"
	check "465, tls off: the proxy was asked for port 465" \
		grep -qx "smtp.example.org:465" "$d/proxy.log"
	check "465, tls off: mailhop sent nothing (it waited for a greeting)" \
		test ! -s "$d/rec/conn-1.in"

	hint_run starttls465 465 "tls on" "tls_starttls on" \
		"tls_trust_file $tmp/certs/ca.pem"
	check "465, STARTTLS: exit 75" test "$rc" -eq 75
	check "465, STARTTLS: the hint says to turn STARTTLS off" \
		one_line "$d/err" "$timeout_msg: port 465 expects implicit TLS: set tls_starttls off"
	check "465, STARTTLS: mailhop sent nothing" \
		test ! -s "$d/rec/conn-1.in"

	hint_run plain466 466
	check "466, tls off: exit 75" test "$rc" -eq 75
	check "466, tls off: a timeout without the hint" \
		one_line "$d/err" "mailhop: timeout waiting for a reply from 'smtp.example.org:466'"
else
	# certtool (gnutls-bin) is a test dependency: no certificates is a
	# failure of all nine checks, never a skip
	echo "# mkcerts.sh failed (certtool missing?)"
	for t in 1 2 3 4 5 6 7 8 9; do
		n=$((n + 1))
		failed=1
		echo "not ok $n - port 465 hint: no test certificates"
	done
fi

echo "1..$n"
[ "$failed" -eq 0 ]
