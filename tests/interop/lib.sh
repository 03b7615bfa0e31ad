# tests/interop/lib.sh: helpers for the interop tests (POSIX sh, sourced).
#
# Contract:
#  - TAP output: ok/not_ok/check count the tests; tap_plan prints the plan
#    at the end; diag prints "# " comment lines.
#  - A private Postfix instance (pf_*): every file it uses lives under one
#    directory (config, queue, data, log, mailboxes); it listens on
#    127.0.0.1:$PF_PORT only (a free port, never 25), accepts mail for
#    $PF_DOMAIN and delivers each recipient's copy into a Maildir
#    $PF_MAIL/<user>/new/ (virtual(8), files owned by nobody). Nothing
#    outside that directory is written and no system instance is touched.
#    Needs root (postfix(1) refuses otherwise) and the postfix package.
#  - International mail: mailbox addresses with a UTF-8 local part
#    (pf_add_mailbox_addr) and extra domains (PF_EXTRA_DOMAINS, as
#    A-labels); smtputf8_enable is set per listener (pf_listener -o).
#  - Extension points for later tests (TLS, Dovecot SASL): PF_MAIN_EXTRA is
#    appended to main.cf, PF_MASTER_EXTRA to master.cf (e.g. a submission
#    listener with -o overrides); set them before pf_write_config.
#  - TLS: pf_tls CERTDIR points smtpd at CERTDIR/server.pem (from
#    tests/tls/mkcerts.sh) and adds tlsmgr; pf_listener_tls adds an
#    implicit-TLS (wrapper mode) listener, whose greeting pf_start waits
#    for through TLS.
#  - Dovecot SASL (dc_*): a private Dovecot that serves only authentication
#    (protocols = none, no TCP listener, ssl = no) with its base_dir,
#    state, log, config and passwd-file under one directory; its auth
#    socket (owned by postfix, mode 0660) is an absolute path Postfix's
#    smtpd uses with smtpd_sasl_type=dovecot (smtpd is not chrooted here).
#    Needs root and dovecot-core; dc_stop kills its master by pid.
#  - Every wait is bounded ($PF_WAIT seconds); nothing blocks forever.

PF_DOMAIN=test.example
PF_WAIT=${PF_WAIT:-20} # Postfix delivers asynchronously; bound every wait
PF_MAIN_EXTRA=${PF_MAIN_EXTRA:-}
PF_MASTER_EXTRA=${PF_MASTER_EXTRA:-}
PF_EXTRA_DOMAINS=${PF_EXTRA_DOMAINS:-} # more virtual domains (A-labels)
PF_STARTED=
DC_STARTED=

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

# check DESCRIPTION COMMAND...: one TAP line from COMMAND's exit status.
check() {
	_desc=$1
	shift
	if "$@"; then ok "$_desc"; else not_ok "$_desc"; fi
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# diag_file FILE [LINES]: the last LINES (default 20) lines of FILE as TAP
# comments, non-printable bytes made visible.
diag_file() {
	[ -f "$1" ] || return 0
	tail -n "${2:-20}" "$1" | cut -c1-300 | LC_ALL=C tr -c '\n -~' '?' |
		sed 's/^/#   /'
}

tap_plan() {
	echo "1..$tap_n"
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

# free_port: print a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_banner PORT [tls]: wait until an SMTP server on 127.0.0.1:PORT
# greets 220 (with "tls": inside TLS, certificate not checked).
wait_banner() {
	python3 - "$1" "$PF_WAIT" "${2:-}" <<'EOF'
import socket, ssl, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
ctx = None
if sys.argv[3] == "tls":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
end = time.time() + limit
while time.time() < end:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            if ctx is not None:
                s = ctx.wrap_socket(s)
            if s.recv(512).startswith(b"220"):
                s.sendall(b"QUIT\r\n")
                s.recv(512)
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
EOF
}

# pf_init DIR: choose the instance's paths and port (DIR must exist).
pf_init() {
	PF_DIR=$1
	PF_CONF=$PF_DIR/etc
	PF_QUEUE=$PF_DIR/spool
	PF_DATA=$PF_DIR/data
	PF_MAIL=$PF_DIR/mail
	PF_LOG=$PF_DIR/maillog
	PF_PORT=$(free_port) || return 1
	PF_PORTS=$PF_PORT
	PF_TLS_PORTS=
	# The postfix user and nobody (mail delivery) must reach these paths.
	chmod 755 "$PF_DIR" &&
		mkdir -p "$PF_CONF" "$PF_QUEUE" "$PF_DATA" "$PF_MAIL" &&
		chown postfix:postfix "$PF_DATA" &&
		chown nobody:"$(id -g nobody)" "$PF_MAIL" &&
		: >"$PF_CONF/vmailbox" &&
		: >"$PF_CONF/rcpt_access"
}

# pf_listener VAR OPTIONS: one more smtpd on 127.0.0.1:<free port> with
# master.cf OPTIONS (e.g. "-o smtpd_discard_ehlo_keywords=chunking"); the
# port is stored in VAR. Call before pf_write_config.
pf_listener() {
	_p=$(free_port) || return 1
	while case " $PF_PORTS $PF_TLS_PORTS " in
		*" $_p "*) true ;;
		*) false ;;
		esac; do
		_p=$(free_port) || return 1
	done
	PF_PORTS="$PF_PORTS $_p"
	PF_MASTER_EXTRA="$PF_MASTER_EXTRA
127.0.0.1:$_p inet n - n - - smtpd $2"
	eval "$1=\$_p"
}

# pf_listener_tls VAR OPTIONS: like pf_listener, but implicit TLS (RFC 8314,
# smtpd_tls_wrappermode); needs pf_tls.
pf_listener_tls() {
	pf_listener "$1" "-o smtpd_tls_wrappermode=yes \
-o smtpd_tls_security_level=encrypt $2" || return 1
	eval "_p=\$$1"
	# Its greeting comes through TLS: move it to PF_TLS_PORTS.
	_rest=
	for _q in $PF_PORTS; do
		[ "$_q" = "$_p" ] || _rest="$_rest $_q"
	done
	PF_PORTS=$_rest
	PF_TLS_PORTS="$PF_TLS_PORTS $_p"
}

# pf_tls CERTDIR: the server certificate and key for every TLS listener
# (STARTTLS is offered only where a listener sets smtpd_tls_security_level)
# and the tlsmgr service TLS needs. Call before pf_write_config.
pf_tls() {
	PF_MAIN_EXTRA="$PF_MAIN_EXTRA
smtpd_tls_cert_file = $1/server.pem
smtpd_tls_key_file = $1/server-key.pem
smtpd_tls_loglevel = 1
smtpd_tls_received_header = no"
	PF_MASTER_EXTRA="$PF_MASTER_EXTRA
tlsmgr    unix  - - n 1000? 1 tlsmgr"
}

# pf_add_mailbox USER...: accept USER@$PF_DOMAIN into $PF_MAIL/USER/.
pf_add_mailbox() {
	for _u in "$@"; do
		echo "$_u@$PF_DOMAIN $_u/" >>"$PF_CONF/vmailbox"
	done
}

# pf_add_mailbox_addr ADDRESS DIR: accept ADDRESS (any domain of
# $PF_DOMAIN $PF_EXTRA_DOMAINS; a UTF-8 local part needs smtputf8_enable)
# into $PF_MAIL/DIR/ (DIR ends with '/': a Maildir).
pf_add_mailbox_addr() {
	echo "$1 $2" >>"$PF_CONF/vmailbox"
}

# pf_reject_rcpt ADDRESS REPLY: smtpd answers RCPT TO:<ADDRESS> with REPLY.
pf_reject_rcpt() {
	echo "$1 $2" >>"$PF_CONF/rcpt_access"
}

pf_write_config() {
	cat >"$PF_CONF/main.cf" <<EOF
# Private Postfix instance for mailhop's interop tests (generated).
compatibility_level = 3.6
config_directory = $PF_CONF
queue_directory = $PF_QUEUE
data_directory = $PF_DATA
mail_owner = postfix
setgid_group = postdrop
maillog_file = $PF_LOG
maillog_file_prefixes = $PF_DIR
myhostname = mx.$PF_DOMAIN
mydomain = $PF_DOMAIN
myorigin = $PF_DOMAIN
mydestination =
relay_domains =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
# Deliver exactly what the client sent: no header rewriting, no added
# headers other than the delivery trace (Return-Path, X-Original-To,
# Delivered-To, Received).
local_header_rewrite_clients =
alias_maps =
alias_database =
biff = no
local_transport = error:local delivery is disabled in this test
default_transport = error:outbound mail is disabled in this test
virtual_mailbox_domains = $PF_DOMAIN $PF_EXTRA_DOMAINS
virtual_mailbox_base = $PF_MAIL
virtual_mailbox_maps = texthash:$PF_CONF/vmailbox
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
smtpd_recipient_restrictions =
    check_recipient_access texthash:$PF_CONF/rcpt_access,
    permit_mynetworks, reject_unauth_destination
message_size_limit = 20000000
# SMTPUTF8 (RFC 6531) for cleanup, lookups and delivery; each smtpd
# listener may announce it or not (-o smtputf8_enable=no).
smtputf8_enable = yes
# Log every SMTP command and reply the server sees (not message content):
# the tests read the MAIL FROM parameters from here.
debug_peer_list = 127.0.0.1
debug_peer_level = 1
$PF_MAIN_EXTRA
EOF
	cat >"$PF_CONF/master.cf" <<EOF
# service type private unpriv chroot wakeup maxproc command
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix  n - n 60    1 pickup
cleanup   unix  n - n -     0 cleanup
qmgr      unix  n - n 300   1 qmgr
rewrite   unix  - - n -     - trivial-rewrite
bounce    unix  - - n -     0 bounce
defer     unix  - - n -     0 bounce
trace     unix  - - n -     0 bounce
verify    unix  - - n -     1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -     - proxymap
showq     unix  n - n -     - showq
error     unix  - - n -     - error
retry     unix  - - n -     - error
discard   unix  - - n -     - discard
virtual   unix  - n n -     - virtual
anvil     unix  - - n -     1 anvil
scache    unix  - - n -     1 scache
postlog   unix-dgram n - n - 1 postlogd
$PF_MASTER_EXTRA
EOF
}

# pf_start: start the instance and wait for its greeting.
pf_start() {
	# Set first: a signal during "postfix start" must still stop it.
	PF_STARTED=1
	if ! postfix -c "$PF_CONF" start >"$PF_DIR/start.out" 2>&1; then
		# postfix(1) reports config errors to syslog unless on a tty.
		diag "postfix start failed:"
		diag_file "$PF_DIR/start.out"
		diag_file "$PF_LOG"
		if command -v script >/dev/null 2>&1; then
			script -qc "postfix -c '$PF_CONF' check" /dev/null |
				sed 's/^/#   /'
		fi
		return 1
	fi
	for _p in $PF_PORTS; do
		if ! wait_banner "$_p"; then
			diag "postfix did not greet on 127.0.0.1:$_p"
			diag_file "$PF_LOG"
			return 1
		fi
	done
	for _p in $PF_TLS_PORTS; do
		if ! wait_banner "$_p" tls; then
			diag "postfix did not greet through TLS on 127.0.0.1:$_p"
			diag_file "$PF_LOG"
			return 1
		fi
	done
}

# pf_stop: stop the instance (orderly, then by force) and wait for it.
pf_stop() {
	[ -n "$PF_STARTED" ] || return 0
	PF_STARTED=
	_pid=$(tr -dc 0-9 <"$PF_QUEUE/pid/master.pid" 2>/dev/null)
	postfix -c "$PF_CONF" stop >/dev/null 2>&1 ||
		postfix -c "$PF_CONF" abort >/dev/null 2>&1
	[ -n "$_pid" ] || return 0
	_i=0
	while kill -0 "$_pid" 2>/dev/null; do
		_i=$((_i + 1))
		if [ "$_i" -gt 50 ]; then
			kill -9 "$_pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
}

# pf_log_mark: print the current length of the log (for pf_log_since).
pf_log_mark() {
	if [ -f "$PF_LOG" ]; then wc -l <"$PF_LOG"; else echo 0; fi
}

# pf_log_since MARK: the log lines written after pf_log_mark said MARK.
pf_log_since() {
	tail -n "+$(($1 + 1))" "$PF_LOG"
}

# pf_settled: true when every SMTP session has ended and no message is
# still waiting for delivery (incoming/active/maildrop are empty).
pf_settled() {
	_c=$(grep -c ': connect from ' "$PF_LOG")
	_d=$(grep -c ': disconnect from ' "$PF_LOG")
	[ "$_c" = "$_d" ] || return 1
	[ -z "$(find "$PF_QUEUE/incoming" "$PF_QUEUE/active" \
		"$PF_QUEUE/maildrop" -type f 2>/dev/null | head -n 1)" ]
}

# pf_wait_settled: wait (at most PF_WAIT s) until pf_settled is true.
pf_wait_settled() {
	_i=0
	while ! pf_settled; do
		_i=$((_i + 1))
		if [ "$_i" -gt $((PF_WAIT * 10)) ]; then
			diag "postfix did not settle within ${PF_WAIT}s"
			diag_file "$PF_LOG"
			return 1
		fi
		sleep 0.1
	done
}

# pf_deferred_count: messages Postfix could not deliver (deferred/hold).
pf_deferred_count() {
	find "$PF_QUEUE/deferred" "$PF_QUEUE/hold" -type f 2>/dev/null | wc -l
}

# mbox_find USER MARKER: print the delivered files of USER that hold the
# header line "X-Interop-Case: MARKER".
mbox_find() {
	[ -d "$PF_MAIL/$1/new" ] || return 0
	find "$PF_MAIL/$1/new" -type f -exec \
		grep -l -x -F "X-Interop-Case: $2" {} +
}

# strip_trace FILE: FILE without the trace header lines delivery prepended
# (Return-Path, X-Original-To, Delivered-To, Received and continuations).
strip_trace() {
	LC_ALL=C awk '
		skip && /^(Return-Path|X-Original-To|Delivered-To|Received):/ { next }
		skip && /^[ \t]/ { next }
		{ skip = 0; print }
	' skip=1 "$1"
}

# delivered_same USER MARKER EXPECTED: exactly one copy with MARKER was
# delivered to USER and, without its trace headers, it equals EXPECTED
# byte for byte (Maildir copies have LF line ends).
delivered_same() {
	_files=$(mbox_find "$1" "$2")
	_n=$(printf '%s' "$_files" | grep -c .)
	if [ "$_n" != 1 ]; then
		diag "$1: expected 1 copy of case $2, found $_n"
		return 1
	fi
	strip_trace "$_files" >"$PF_DIR/delivered.tmp"
	if ! cmp -s "$PF_DIR/delivered.tmp" "$3"; then
		diag "$1: delivered copy of case $2 differs from the original:"
		diff "$3" "$PF_DIR/delivered.tmp" | head -n 20 | sed 's/^/#   /'
		return 1
	fi
}

# smtp_size FILE: the message size as SMTP counts it (every line end CRLF).
smtp_size() {
	echo $(($(wc -c <"$1") + $(wc -l <"$1")))
}

# mail_from_line MARK: the first MAIL FROM command the server logged after
# MARK, without the log prefix.
mail_from_line() {
	pf_log_since "$1" | sed -n 's/.*: < [^ ]*: \(MAIL FROM:.*\)$/\1/p' |
		head -n 1
}

# dc_init DIR: choose the private Dovecot's paths (DIR must exist).
dc_init() {
	DC_DIR=$1
	DC_CONF=$DC_DIR/dovecot.conf
	DC_RUN=$DC_DIR/run
	DC_LOG=$DC_DIR/dovecot.log
	DC_PASSWD=$DC_DIR/passwd
	# Postfix (user postfix) must reach the socket: $DC_DIR and auth/ 755.
	DC_SOCK=$DC_DIR/auth/sock
	chmod 755 "$DC_DIR" &&
		mkdir -p "$DC_RUN" "$DC_DIR/state" "$DC_DIR/auth" &&
		chmod 755 "$DC_DIR/auth" &&
		: >"$DC_PASSWD" &&
		chgrp dovecot "$DC_PASSWD" && chmod 640 "$DC_PASSWD"
}

# dc_add_user USER PASSWORD: a SASL user; the {PLAIN} scheme keeps the
# password in clear so every mechanism (SCRAM too) can use it.
dc_add_user() {
	echo "$1:{PLAIN}$2" >>"$DC_PASSWD"
}

dc_write_config() {
	cat >"$DC_CONF" <<EOF
# Private Dovecot for mailhop's interop tests: SASL for Postfix only.
base_dir = $DC_RUN
state_dir = $DC_DIR/state
log_path = $DC_LOG
protocols = none
ssl = no
# Postfix asks over a local socket; TLS is enforced by Postfix itself.
disable_plaintext_auth = no
auth_mechanisms = plain login scram-sha-256
# No delay after a failure (default 2 s): keep the test fast.
auth_failure_delay = 0
auth_verbose = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN $DC_PASSWD
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
service auth {
  unix_listener $DC_SOCK {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
}

# dc_start: start Dovecot and wait (bounded) for its auth socket.
dc_start() {
	DC_STARTED=1
	if ! dovecot -c "$DC_CONF" >"$DC_DIR/start.out" 2>&1; then
		diag "dovecot did not start:"
		diag_file "$DC_DIR/start.out"
		diag_file "$DC_LOG"
		return 1
	fi
	_i=0
	while [ ! -S "$DC_SOCK" ]; do
		_i=$((_i + 1))
		if [ "$_i" -gt $((PF_WAIT * 10)) ]; then
			diag "dovecot made no auth socket within ${PF_WAIT}s"
			diag_file "$DC_LOG"
			return 1
		fi
		sleep 0.1
	done
}

# dc_stop: stop Dovecot by its master pid (TERM, then KILL) and wait.
dc_stop() {
	[ -n "$DC_STARTED" ] || return 0
	DC_STARTED=
	_i=0
	_pid=
	# dovecot(1) forks into the background: its pid file may come late.
	while [ -z "$_pid" ] && [ "$_i" -lt 20 ]; do
		_pid=$(tr -dc 0-9 <"$DC_RUN/master.pid" 2>/dev/null)
		[ -n "$_pid" ] || sleep 0.1
		_i=$((_i + 1))
	done
	[ -n "$_pid" ] || return 0
	kill "$_pid" 2>/dev/null
	_i=0
	while kill -0 "$_pid" 2>/dev/null; do
		_i=$((_i + 1))
		if [ "$_i" -gt 50 ]; then
			kill -9 "$_pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
}
