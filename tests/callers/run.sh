#!/bin/sh
# tests/callers/run.sh - the real callers of sendmail drive the built
# mailhop (issue 6): git send-email, s-nail, bsd-mailx and PHP's mail() run
# for real; Debian cron, cronie, systemd-cron, logwatch, mdadm,
# unattended-upgrades and mutt are replayed with their exact command lines
# and the messages they write.  Every case checks, at tests/fakesmtp.py on
# loopback, the exact MAIL FROM/RCPT TO lines, the message bytes and the
# exit code.  Hermetic: a temp HOME holding ~/.mailhoprc (queue_dir in the
# temp dir, qualify_domain host.example), no system file is touched.  A
# caller that is not installed skips its cases (tests/install-deps installs
# them).  TAP output.  Environment: MAILHOP, top_srcdir, PYTHON3; KEEP=1
# keeps the temp directory.
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
mailhop=${MAILHOP:-$srcdir/src/mailhop}
case $mailhop in /*) ;; *) mailhop=$(pwd)/$mailhop ;; esac
python=${PYTHON3:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mailhop-callers.XXXXXX") || exit 1
me=$(id -un)
pids=
n=0
failed=0
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap 'echo "# kept $tmp"' EXIT
trap 'exit 1' HUP INT TERM
# the callers must not see the caller's own configuration
unset MAILRC NAIL_EXTRA_RC MAILHOPRC GIT_DIR GIT_WORK_TREE 2>/dev/null
GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_NOSYSTEM
# nor its locale: bsd-mailx labels the text with the locale's charset
# (charset="UTF-8" is expected below; without LANG it would be ASCII)
LC_ALL=C.UTF-8
export LC_ALL

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

skip() { # skip COUNT REASON
	i=0
	while [ "$i" -lt "$1" ]; do
		n=$((n + 1))
		i=$((i + 1))
		echo "ok $n # SKIP $2"
	done
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

# setup NAME [CAPS]: a fresh case directory $d: a fake server recording in
# $d/rec, HOME=$d/home with ~/.mailhoprc for it (also at $d/rc).
setup() {
	d="$tmp/$1"
	mkdir -p "$d/home"
	"$python" "$srcdir/tests/fakesmtp.py" --record "$d/rec" \
		--port-file "$d/sport" --timeout 60 \
		--caps "${2:-PIPELINING SIZE=1000000 8BITMIME}" --quiet &
	server=$!
	pids="$pids $server"
	wait_for test -s "$d/sport"
	umask 077
	cat >"$d/home/.mailhoprc" <<RC
defaults
timeout 5
queue_dir $d/queue
logfile $d/log
qualify_domain host.example
from %U
account default
host 127.0.0.1
port $(cat "$d/sport")
RC
	umask 022
	ln -s "$d/home/.mailhoprc" "$d/rc"
}

# stop: stop the case's server (it finishes the connection in progress)
stop() {
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
}

# sm ARGS...: mailhop as a caller runs it: no -C, the rc from HOME
sm() {
	HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config" \
		XDG_CACHE_HOME="$d/home/.cache" XDG_STATE_HOME="$d/home/.state" \
		timeout 20 "$mailhop" "$@"
}

# envelope N: the MAIL and RCPT commands of connection N, CR removed
envelope() {
	tr -d '\r' <"$d/rec/conn-$1.in" 2>/dev/null | sed -n '/^DATA$/q;/^MAIL /p;/^RCPT /p'
}

# env_is N LINES: connection N's envelope is exactly LINES (newline separated)
env_is() {
	[ "$(envelope "$1")" = "$2" ] && return 0
	echo "# connection $1 envelope:" && envelope "$1" | sed 's/^/#   /'
	return 1
}

# size_of N M: the SIZE parameter mailhop must send for message M of
# connection N (the server's copy is CRLF, un-dot-stuffed, ends in CRLF)
size_of() {
	wc -c <"$d/rec/conn-$1.msg-$2" 2>/dev/null | tr -d ' '
}

# msg_is FILE EXPECTED [SKIP]: FILE (a received message) without its first
# SKIP lines is EXPECTED (LF text) with every line end made CRLF
msg_is() {
	sed 's/$/\r/' "$2" >"$2.crlf"
	tail -n "+$((${3:-0} + 1))" "$1" >"$1.tail"
	cmp -s "$1.tail" "$2.crlf" && return 0
	echo "# $1 differs from $2:" && diff "$2.crlf" "$1.tail" | cat -A |
		sed 's/^/#   /' | head -n 20
	return 1
}

# added_date_msgid FILE DOMAIN: mailhop prepended exactly Date and Message-ID
added_date_msgid() {
	tr -d '\r' <"$1" | sed -n 1p |
		grep -Eq '^Date: [A-Z][a-z]{2}, [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} [-+][0-9]{4}$' &&
		tr -d '\r' <"$1" | sed -n 2p |
		grep -Eq "^Message-ID: <[0-9]{14}\\.[0-9a-f]+@$2>\$"
}

# run_case NAME: after the caller ran: exit code 0, silent, one message
ran_ok() {
	check "$1: exit 0" test "$rc" -eq 0
	check "$1: nothing on stderr" test ! -s "$d/err"
}

have() { command -v "$1" >/dev/null 2>&1; }

###########################################################################
# Debian cron: sendmail -FCronDaemon -i -B8BITMIME -oem root, 8-bit
# output, a lone "." in the output is data (-i)
setup debian-cron
cat >"$d/in" <<'EOF'
From: root (Cron Daemon)
To: root
Subject: Cron <root@web1> /usr/local/bin/report
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit
X-Cron-Env: <SHELL=/bin/sh>
X-Cron-Env: <HOME=/root>
X-Cron-Env: <PATH=/usr/bin:/bin>
X-Cron-Env: <LOGNAME=root>

Disk usage: 91 %
.
Grüße vom Server
EOF
sm -FCronDaemon -i -B8BITMIME -oem root <"$d/in" >"$d/out" 2>"$d/err"
rc=$?
stop
ran_ok "debian cron"
check "debian cron: envelope, unqualified rcpt gets qualify_domain" env_is 1 \
	"MAIL FROM:<$me@host.example> SIZE=$(size_of 1 1) BODY=8BITMIME
RCPT TO:<root@host.example>"
check "debian cron: Date and Message-ID added" \
	added_date_msgid "$d/rec/conn-1.msg-1" host.example
check "debian cron: message bytes" msg_is "$d/rec/conn-1.msg-1" "$d/in" 2

###########################################################################
# cronie: sendmail -FCronDaemon -i -odi -oem -oi -t -f root
setup cronie
cat >"$d/in" <<'EOF'
From: "(Cron Daemon)" <root>
To: ops@example.net, root
Subject: Cron <root@web1> /usr/local/bin/backup
Content-Type: text/plain; charset=UTF-8
Auto-Submitted: auto-generated
Precedence: bulk
X-Cron-Env: <LANG=C.UTF-8>
X-Cron-Env: <SHELL=/bin/sh>
X-Cron-Env: <HOME=/root>

backup done
EOF
sm -FCronDaemon -i -odi -oem -oi -t -f root <"$d/in" >"$d/out" 2>"$d/err"
rc=$?
stop
ran_ok "cronie"
check "cronie: envelope from -f root and To:, both qualified" env_is 1 \
	"MAIL FROM:<root@host.example> SIZE=$(size_of 1 1)
RCPT TO:<ops@example.net>
RCPT TO:<root@host.example>"
check "cronie: Date and Message-ID added" \
	added_date_msgid "$d/rec/conn-1.msg-1" host.example
check "cronie: message bytes" msg_is "$d/rec/conn-1.msg-1" "$d/in" 2

###########################################################################
# systemd-cron (mail_on_failure): sendmail -i -B 8BITMIME alice
setup systemd-cron
cat >"$d/in" <<'EOF'
From: root (systemd-cron)
To: alice
Subject: [web1] job cron-daily-backup.service failed
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit
Auto-Submitted: auto-generated

× cron-daily-backup.service - [Cron] "backup"
     Loaded: loaded
     Active: failed (Result: exit-code)
EOF
sm -i -B 8BITMIME alice <"$d/in" >"$d/out" 2>"$d/err"
rc=$?
stop
ran_ok "systemd-cron"
check "systemd-cron: envelope" env_is 1 \
	"MAIL FROM:<$me@host.example> SIZE=$(size_of 1 1) BODY=8BITMIME
RCPT TO:<alice@host.example>"
check "systemd-cron: message bytes" msg_is "$d/rec/conn-1.msg-1" "$d/in" 2

###########################################################################
# logwatch: sendmail -t -fLogwatch (no -i: a lone "." ends the input)
setup logwatch
cat >"$d/in" <<'EOF'
To: root
From: Logwatch
Subject: Logwatch for web1 (Linux)
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset="us-ascii"

 ################### Logwatch 7.8 (01/22/23) ####################
        Processing Initiated: Sun Nov 22 06:25:01 2026
 ###################### Logwatch End #########################
EOF
{ cat "$d/in"; printf '.\nnot part of the message\n'; } |
	sm -t -fLogwatch >"$d/out" 2>"$d/err"
rc=$?
stop
ran_ok "logwatch"
check "logwatch: envelope -fLogwatch glued, qualified" env_is 1 \
	"MAIL FROM:<Logwatch@host.example> SIZE=$(size_of 1 1)
RCPT TO:<root@host.example>"
check "logwatch: message bytes, input ends at the lone dot" \
	msg_is "$d/rec/conn-1.msg-1" "$d/in" 2

###########################################################################
# mdadm --monitor: sendmail -t (MAILFROM makes the From: header)
setup mdadm
cat >"$d/in" <<'EOF'
From: mdadm monitoring <root>
To: root, raid-admin@example.net
Subject: Fail event on /dev/md0:web1

This is an automatically generated mail message from mdadm
running on web1

A Fail event had been detected on md device /dev/md0.

It could be related to component device /dev/sdb1.

Faithfully yours, etc.

P.S. The /proc/mdstat file currently contains the following:

Personalities : [raid1]
md0 : active raid1 sdb1[1](F) sda1[0]
      976630464 blocks super 1.2 [2/1] [U_]

unused devices: <none>
EOF
sm -t <"$d/in" >"$d/out" 2>"$d/err"
rc=$?
stop
ran_ok "mdadm"
check "mdadm: envelope" env_is 1 \
	"MAIL FROM:<$me@host.example> SIZE=$(size_of 1 1)
RCPT TO:<root@host.example>
RCPT TO:<raid-admin@example.net>"
check "mdadm: message bytes" msg_is "$d/rec/conn-1.msg-1" "$d/in" 2

###########################################################################
# unattended-upgrades: sendmail -oi -t (Python's email package output)
setup unattended-upgrades
cat >"$d/in" <<'EOF'
Content-Type: text/plain; charset="utf-8"
MIME-Version: 1.0
Content-Transfer-Encoding: 7bit
From: root
To: root
Subject: unattended-upgrades result for web1: SUCCESS
Auto-Submitted: auto-generated

Unattended upgrade result: All upgrades installed

Packages that were upgraded:
 libssl3 openssl
.
Unattended-upgrades log:
EOF
sm -oi -t <"$d/in" >"$d/out" 2>"$d/err"
rc=$?
stop
ran_ok "unattended-upgrades"
check "unattended-upgrades: envelope" env_is 1 \
	"MAIL FROM:<$me@host.example> SIZE=$(size_of 1 1)
RCPT TO:<root@host.example>"
check "unattended-upgrades: message bytes (lone dot is data with -oi)" \
	msg_is "$d/rec/conn-1.msg-1" "$d/in" 2

###########################################################################
# mutt/neomutt: sendmail -oem -oi -B8BITMIME -f ADDR -N success,failure --
# rcpts (the Bcc recipient only in argv); the server offers DSN
setup mutt "PIPELINING SIZE=1000000 8BITMIME DSN"
cat >"$d/in" <<'EOF'
Date: Sun, 22 Nov 2026 10:00:00 +0100
From: Alice Example <alice@example.org>
To: bob@example.net
Cc: carol@example.net
Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=
Message-ID: <20261122090000.GA1234@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Disposition: inline
Content-Transfer-Encoding: 8bit
User-Agent: Mutt/2.2.9 (2022-11-12)

Grüße aus Köln
.
.. two dots
-- 
Alice
EOF
sm -oem -oi -B8BITMIME -f alice@example.org -N success,failure -- \
	bob@example.net carol@example.net hidden@example.org \
	<"$d/in" >"$d/out" 2>"$d/err"
rc=$?
stop
ran_ok "mutt"
check "mutt: envelope with NOTIFY, Bcc recipient from argv" env_is 1 \
	"MAIL FROM:<alice@example.org> SIZE=$(size_of 1 1) BODY=8BITMIME
RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE
RCPT TO:<carol@example.net> NOTIFY=SUCCESS,FAILURE
RCPT TO:<hidden@example.org> NOTIFY=SUCCESS,FAILURE"
check "mutt: message bytes unchanged (nothing added)" \
	msg_is "$d/rec/conn-1.msg-1" "$d/in" 0
check "mutt: dot-stuffed on the wire" \
	sh -c "tr -d '\\r' <'$d/rec/conn-1.in' | grep -qx '\\.\\.\\. two dots'"

###########################################################################
# PHP mail() through php-cli: sendmail_path "mailhop -t -i" (php.ini's
# default form), CRLF headers from PHP, LF in the body, Bcc in the headers;
# then the fifth argument "-fADDR" appended to the command line
if have php; then
	setup php
	cat >"$d/mail.php" <<'EOF'
<?php
$ok = mail("bob@example.net, carol@example.net", "PHP subject",
	"line one\nline two\r\n.\nlast line",
	"From: app@example.org\r\nBcc: hidden@example.org\r\nX-Mailer: PHP",
	$argc > 1 ? $argv[1] : "");
exit($ok ? 0 : 1);
EOF
	HOME="$d/home" timeout 20 php -n \
		-d sendmail_path="$mailhop -t -i" "$d/mail.php" \
		>"$d/out" 2>"$d/err"
	rc=$?
	HOME="$d/home" timeout 20 php -n \
		-d sendmail_path="$mailhop -t -i" "$d/mail.php" \
		-fwebmaster@example.org >"$d/out2" 2>"$d/err2"
	rc2=$?
	stop
	ran_ok "php mail()"
	check "php mail(): envelope with the Bcc recipient" env_is 1 \
		"MAIL FROM:<$me@host.example> SIZE=$(size_of 1 1)
RCPT TO:<bob@example.net>
RCPT TO:<carol@example.net>
RCPT TO:<hidden@example.org>"
	cat >"$d/expect" <<'EOF'
To: bob@example.net, carol@example.net
Subject: PHP subject
From: app@example.org
X-Mailer: PHP

line one
line two
.
last line
EOF
	check "php mail(): Date and Message-ID added" \
		added_date_msgid "$d/rec/conn-1.msg-1" host.example
	check "php mail(): Bcc removed, every line end CRLF" \
		msg_is "$d/rec/conn-1.msg-1" "$d/expect" 2
	check "php mail() -f: exit 0, silent" \
		test "$rc2" -eq 0 -a ! -s "$d/err2"
	check "php mail() -fADDR: envelope sender" env_is 2 \
		"MAIL FROM:<webmaster@example.org> SIZE=$(size_of 2 1)
RCPT TO:<bob@example.net>
RCPT TO:<carol@example.net>
RCPT TO:<hidden@example.org>"
	check "php mail() -fADDR: Message-ID in the sender's domain" \
		added_date_msgid "$d/rec/conn-2.msg-1" example.org
else
	skip 8 "php-cli not installed"
fi

###########################################################################
# bsd-mailx: the "sendmail" variable (in $MAILRC) names mailhop; mailx runs
# it with -i -t and puts Cc and Bcc in the header block
if have bsd-mailx; then
	setup bsd-mailx
	echo "set sendmail=$mailhop" >"$d/mailrc"
	printf 'hello from mailx\n' |
		HOME="$d/home" MAILRC="$d/mailrc" timeout 20 bsd-mailx \
			-s 'mailx subject' -c carol@example.net \
			-b hidden@example.org bob@example.net \
			>"$d/out" 2>"$d/err"
	rc=$?
	stop
	ran_ok "bsd-mailx"
	check "bsd-mailx: envelope from To, Cc and Bcc headers" env_is 1 \
		"MAIL FROM:<$me@host.example> SIZE=$(size_of 1 1)
RCPT TO:<bob@example.net>
RCPT TO:<carol@example.net>
RCPT TO:<hidden@example.org>"
	cat >"$d/expect" <<'EOF'
To: bob@example.net
Subject: mailx subject
Cc: carol@example.net
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

hello from mailx
EOF
	check "bsd-mailx: From (from the rc), Date, Message-ID added" sh -c "
		tr -d '\\r' <'$d/rec/conn-1.msg-1' | head -n 1 |
			grep -qx 'From: $me@host.example'"
	tail -n +2 "$d/rec/conn-1.msg-1" >"$d/rest"
	check "bsd-mailx: ... Date and Message-ID" \
		added_date_msgid "$d/rest" host.example
	check "bsd-mailx: Bcc header removed, message bytes" \
		msg_is "$d/rec/conn-1.msg-1" "$d/expect" 3
else
	skip 6 "bsd-mailx not installed"
fi

###########################################################################
# s-nail: "mta" names mailhop, "mta-arguments" the rc (s-nail resets HOME
# to the password database's for its children); with -b the Bcc recipient goes in argv
# after "-i --"; with -t s-nail reads To/Bcc from the message header
if have s-nail; then
	setup s-nail
	sn() {
		HOME="$d/home" XDG_CONFIG_HOME="$d/home/.config" \
			XDG_CACHE_HOME="$d/home/.cache" \
			XDG_STATE_HOME="$d/home/.state" timeout 20 "$@"
	}
	printf 'hello from s-nail\n' |
		sn s-nail -:/ -Smta="$mailhop" -Smta-arguments="-C $d/rc" \
			-Snosave -SDEAD="$d/dead.letter" \
			-s 'snail subject' -c carol@example.net \
			-b hidden@example.org bob@example.net \
			>"$d/out" 2>"$d/err"
	rc=$?
	printf 'To: bob@example.net\nBcc: hidden@example.org\nSubject: snail -t\n\nbody of -t\n' |
		sn s-nail -:/ -Smta="$mailhop" -Smta-arguments="-C $d/rc" \
			-Snosave -SDEAD="$d/dead.letter" -t \
			>"$d/out2" 2>"$d/err2"
	rc2=$?
	stop
	ran_ok "s-nail"
	check "s-nail: envelope with the Bcc recipient" env_is 1 \
		"MAIL FROM:<$me@host.example> SIZE=$(size_of 1 1)
RCPT TO:<bob@example.net>
RCPT TO:<carol@example.net>
RCPT TO:<hidden@example.org>"
	check "s-nail: no Bcc in the message, headers kept" sh -c "
		! grep -qi '^bcc:' '$d/rec/conn-1.msg-1' &&
		grep -q '^Subject: snail subject' '$d/rec/conn-1.msg-1' &&
		grep -q '^Cc: carol@example.net' '$d/rec/conn-1.msg-1' &&
		tail -n 1 '$d/rec/conn-1.msg-1' | grep -qx 'hello from s-nail.'"
	check "s-nail -t: exit 0, silent" test "$rc2" -eq 0 -a ! -s "$d/err2"
	check "s-nail -t: envelope from the header block" env_is 2 \
		"MAIL FROM:<$me@host.example> SIZE=$(size_of 2 1)
RCPT TO:<bob@example.net>
RCPT TO:<hidden@example.org>"
	check "s-nail -t: no Bcc in the message" sh -c "
		! grep -qi '^bcc:' '$d/rec/conn-2.msg-1' &&
		grep -q '^Subject: snail -t' '$d/rec/conn-2.msg-1'"
else
	skip 6 "s-nail not installed"
fi

###########################################################################
# git send-email: a 20-patch series through sendemail.sendmailcmd (with
# -C), Bcc only on the command line, threaded to the first patch
if have git && [ -x "$(git --exec-path)/git-send-email" ]; then
	setup git-send-email
	r="$d/repo"
	g() { HOME="$d/home" git -C "$r" "$@"; }
	HOME="$d/home" git init -q "$r"
	g config user.name "Patch Author"
	g config user.email author@example.org
	g config sendemail.sendmailcmd "$mailhop -C $d/rc"
	i=1
	while [ $i -le 20 ]; do
		printf 'line %d\n.\n' "$i" >>"$r/file"
		g add file
		g commit -q -m "change $i" -m "Body of change $i.
.
A lone dot above." --date "2026-11-22T10:00:$((i + 10))Z"
		i=$((i + 1))
	done
	g format-patch -q -20 -o "$d/patches" >/dev/null
	HOME="$d/home" timeout 40 git -C "$r" send-email --quiet \
		--to=list@example.org --bcc=hidden@example.org \
		--confirm=never --suppress-cc=all --no-annotate \
		"$d"/patches/*.patch >"$d/out" 2>"$d/err"
	rc=$?
	stop
	ran_ok "git send-email"
	check "git send-email: 20 connections, one message each" sh -c "
		[ \$(ls '$d/rec' | grep -c '^conn-[0-9]*\\.msg-1\$') -eq 20 ] &&
		[ ! -e '$d/rec/conn-21.in' ]"
	bad=
	i=1
	while [ $i -le 20 ]; do
		env_is $i "MAIL FROM:<$me@host.example> SIZE=$(size_of $i 1)
RCPT TO:<list@example.org>
RCPT TO:<hidden@example.org>" >/dev/null || bad="$bad $i"
		i=$((i + 1))
	done
	check "git send-email: every envelope has list and Bcc recipient" \
		test -z "$bad"
	check "git send-email: Bcc recipient in no message" \
		sh -c "! grep -il 'hidden@example.org\\|^bcc:' '$d'/rec/conn-*.msg-*"
	# threading: patches 2..20 answer patch 1's Message-ID
	first=$(tr -d '\r' <"$d/rec/conn-1.msg-1" |
		sed -n 's/^Message-ID: //Ip' | head -n 1)
	bad=
	i=1
	while [ $i -le 20 ]; do
		f="$d/rec/conn-$i.msg-1"
		h=$(tr -d '\r' <"$f" | sed '/^$/q')
		num=$(printf '%02d' $i)
		printf '%s\n' "$h" | grep -q "^Subject: \\[PATCH $num/20\\] change $i\$" &&
			printf '%s\n' "$h" | grep -qx 'To: list@example.org' &&
			printf '%s\n' "$h" | grep -qi '^Message-ID: <.*>$' || bad="$bad $i"
		if [ $i -gt 1 ]; then
			printf '%s\n' "$h" | grep -qx "In-Reply-To: $first" &&
				printf '%s\n' "$h" | grep -qx "References: $first" ||
				bad="$bad $i"
		else
			! printf '%s\n' "$h" | grep -qi '^In-Reply-To:' || bad="$bad $i"
		fi
		i=$((i + 1))
	done
	check "git send-email: subjects, To and threading headers intact" \
		test -n "$first" -a -z "$bad"
	# the patch bodies arrive byte for byte (CRLF on the wire)
	bad=
	i=1
	for p in "$d"/patches/*.patch; do
		sed '1,/^$/d' "$p" >"$d/body-$i"
		tr -d '\r' <"$d/rec/conn-$i.msg-1" | sed '1,/^$/d' >"$d/got-$i"
		cmp -s "$d/body-$i" "$d/got-$i" || bad="$bad $i"
		i=$((i + 1))
	done
	check "git send-email: patch bodies intact" test -z "$bad"
	check "git send-email: lone dots dot-stuffed on the wire" \
		sh -c "tr -d '\\r' <'$d/rec/conn-1.in' | grep -qx '\\.\\.'"
else
	skip 7 "git send-email not installed"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
