#!/bin/sh
# tests/interop/postfix.sh: mailhop against a real Postfix (TAP).
#
# Starts a private Postfix instance on 127.0.0.1:<free port> (see lib.sh:
# own config, queue, data, log and Maildirs under one temp dir; no port 25,
# no system instance touched), submits messages with $MAILHOP, waits for
# Postfix to deliver (bounded) and compares what arrived with what was sent.
# Cases: (a) argv recipient, (b) -t with To/Cc/Bcc, (c) 8-bit body,
# (d) leading-dot lines, (e) one refused recipient fails the whole message,
# (f) a 5 MB message. Three smtpd listeners cover mailhop's three transfer
# paths: "full" (PIPELINING + CHUNKING: BDAT), "nochunk" (PIPELINING, no
# CHUNKING: pipelined DATA) and "basic" (neither: one command at a time).
# TLS (cases g-i): a test CA and server certificate made now by
# tests/tls/mkcerts.sh; a STARTTLS listener (smtpd_tls_security_level=
# encrypt) and an implicit-TLS one (wrapper mode): (g) STARTTLS and (h)
# implicit TLS deliver byte-identical copies over TLS, (i) a certificate
# from a CA the account does not trust: exit 77, nothing delivered.
# Authentication (cases j-k): a private Dovecot (lib.sh dc_*: own config,
# base_dir, log and passwd-file under the temp dir, no TCP listener) serves
# SASL to a "submission" smtpd listener (smtpd_sasl_type=dovecot, AUTH only
# after STARTTLS, unauthenticated clients rejected): (j) auth plain, login
# and scram-sha-256 each deliver a byte-identical copy and Postfix logs the
# mechanism; (k) a wrong password: exit 77, nothing delivered.
# International mail (cases l-q): a listener with smtputf8_enable=yes and
# one with smtputf8_enable=no; a virtual mailbox with a UTF-8 local part
# and a second domain known by its A-label (xn--bcher-kva.example): (l) a
# UTF-8 local part is delivered byte-identical with MAIL ... SMTPUTF8;
# (m) a UTF-8 Subject (ASCII addresses) goes with SMTPUTF8 where offered
# and (n) as plain 8-bit data without it; (o) a UTF-8 local part to the
# listener without SMTPUTF8: exit 65, no MAIL FROM; (p) an IDN recipient
# domain reaches Postfix as its A-label, without SMTPUTF8; (q) -F with a
# non-ASCII name gives an RFC 2047 encoded From.
#
# Needs root (postfix(1) runs only as root) and tests/install-deps: skips
# only when not root. Env: MAILHOP (client binary), top_srcdir,
# INTEROP_TMP (parent of the temp dir, default /tmp: must be traversable by
# the postfix and nobody users), INTEROP_KEEP=1 keeps the temp dir,
# MAILHOP_INTEROP_TLS: "auto" (default: run the TLS cases when
# `$MAILHOP --version` lists TLS under Features and not under "Not yet
# available", else report them as TAP skips), "yes" (run them; fail when
# they cannot run) or "no" (skip them). MAILHOP_INTEROP_AUTH: the same
# for the authentication cases ("auto": run them when `$MAILHOP --version`
# lists AUTH under Features and not under "Not yet available", dovecot is
# installed and the TLS cases run; "yes": run them, fail when they cannot).
# Exit status: 0 when every check passed.

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP not root (postfix needs root)"
	exit 0
fi

here=${top_srcdir:+$top_srcdir/tests/interop}
here=${here:-$(dirname "$0")}
# shellcheck source=tests/interop/lib.sh
. "$here/lib.sh"

MAILHOP=${MAILHOP:-${top_builddir:-$here/../..}/src/mailhop}
MAILHOP_TIMEOUT=60 # one submission; the 5 MB one takes well under 5 s

command -v postfix >/dev/null 2>&1 ||
	bail_out "postfix is not installed (run tests/install-deps)"
getent passwd postfix >/dev/null && getent group postdrop >/dev/null ||
	bail_out "postfix user/postdrop group missing (reinstall postfix)"
[ -x "$MAILHOP" ] || bail_out "mailhop binary not found: $MAILHOP"

T=$(mktemp -d "${INTEROP_TMP:-/tmp}/mailhop-interop.XXXXXX") ||
	bail_out "mktemp failed"

cleanup() {
	pf_stop
	dc_stop
	if [ -n "${INTEROP_KEEP:-}" ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# postfix and nobody must traverse $T to reach the instance under $T/pf.
chmod 755 "$T" && mkdir -p "$T/pf" "$T/msg" "$T/out" "$T/home" ||
	bail_out "mkdir failed"
pf_init "$T/pf" || bail_out "cannot prepare the postfix directories"
pf_add_mailbox alice bob carol dave sender
pf_reject_rcpt "reject@$PF_DOMAIN" "550 5.1.1 no such user (interop test)"
pf_listener PORT_NOCHUNK "-o smtpd_discard_ehlo_keywords=chunking" &&
	pf_listener PORT_BASIC \
		"-o smtpd_discard_ehlo_keywords=chunking,pipelining" ||
	bail_out "no free port"

# TLS: decide whether the TLS cases run (see MAILHOP_INTEROP_TLS above).
mailhop_has_tls() {
	_v=$("$MAILHOP" --version 2>/dev/null)
	printf '%s\n' "$_v" | grep '^Features:' | grep -q -w TLS &&
		! printf '%s\n' "$_v" | grep '^Not yet available:' | grep -q -w TLS
}
TLS_SKIP=
case ${MAILHOP_INTEROP_TLS:-auto} in
auto)
	if ! mailhop_has_tls; then
		TLS_SKIP="mailhop --version does not list TLS as a feature"
	elif ! command -v certtool >/dev/null 2>&1; then
		TLS_SKIP="certtool not found (install gnutls-bin)"
	fi
	;;
yes) ;;
no) TLS_SKIP="MAILHOP_INTEROP_TLS=no" ;;
*) bail_out "MAILHOP_INTEROP_TLS must be auto, yes or no" ;;
esac
CERTS=$T/certs
if [ -z "$TLS_SKIP" ]; then
	sh "$here/../tls/mkcerts.sh" "$CERTS" ||
		bail_out "cannot make the test certificates (tests/tls/mkcerts.sh)"
	pf_tls "$CERTS"
	pf_listener PORT_STARTTLS "-o smtpd_tls_security_level=encrypt" &&
		pf_listener_tls PORT_SMTPS "" ||
		bail_out "no free port"
fi

# Authentication: decide whether the SASL cases run (MAILHOP_INTEROP_AUTH).
mailhop_has_auth() {
	_v=$("$MAILHOP" --version 2>/dev/null)
	printf '%s\n' "$_v" | grep '^Features:' | grep -q -w AUTH &&
		! printf '%s\n' "$_v" | grep '^Not yet available:' |
		grep -q -i -w 'auth\(entication\)\?'
}
AUTH_SKIP=
case ${MAILHOP_INTEROP_AUTH:-auto} in
auto)
	if [ -n "$TLS_SKIP" ]; then
		AUTH_SKIP="needs the TLS cases ($TLS_SKIP)"
	elif ! mailhop_has_auth; then
		AUTH_SKIP="mailhop --version does not list AUTH as a feature"
	elif ! command -v dovecot >/dev/null 2>&1; then
		AUTH_SKIP="dovecot not found (install dovecot-core)"
	fi
	;;
yes)
	[ -z "$TLS_SKIP" ] ||
		bail_out "MAILHOP_INTEROP_AUTH=yes needs the TLS cases: $TLS_SKIP"
	;;
no) AUTH_SKIP="MAILHOP_INTEROP_AUTH=no" ;;
*) bail_out "MAILHOP_INTEROP_AUTH must be auto, yes or no" ;;
esac
SASL_USER=submitter
SASL_PASS='s3cret-Pass.42'
if [ -z "$AUTH_SKIP" ]; then
	mkdir -p "$T/dovecot" && dc_init "$T/dovecot" ||
		bail_out "cannot prepare the dovecot directories"
	dc_add_user "$SASL_USER" "$SASL_PASS"
	dc_write_config
	dc_start || bail_out "dovecot did not start"
	# AUTH only inside TLS; without a successful AUTH every RCPT is refused.
	pf_listener PORT_SUBMIT "-o smtpd_tls_security_level=encrypt \
-o smtpd_tls_auth_only=yes -o smtpd_sasl_auth_enable=yes \
-o smtpd_sasl_type=dovecot -o smtpd_sasl_path=$DC_SOCK \
-o smtpd_client_restrictions=permit_sasl_authenticated,reject \
-o smtpd_recipient_restrictions=permit_sasl_authenticated,reject" ||
		bail_out "no free port"
fi

# International mail: SMTPUTF8 announced on one listener, not on another.
UTF8_USER=$(printf 'j\303\266rg') # "jörg" in UTF-8, whatever the locale
IDN_DOMAIN=xn--bcher-kva.example # A-label of IDN_ULABEL
IDN_ULABEL=$(printf 'b\303\274cher.example')
PF_EXTRA_DOMAINS="$PF_EXTRA_DOMAINS $IDN_DOMAIN"
pf_add_mailbox_addr "$UTF8_USER@$PF_DOMAIN" "$UTF8_USER/"
pf_add_mailbox_addr "erin@$IDN_DOMAIN" "erin/"
pf_listener PORT_UTF8 "-o smtputf8_enable=yes" &&
	pf_listener PORT_NOUTF8 "-o smtputf8_enable=no" ||
	bail_out "no free port"

pf_write_config
pf_start || bail_out "postfix did not start"

# The mailhop side: an rc file for this server. RC_EXTRA lets a later test
# add e.g. "tls on" / "auth plain" lines (with PF_MAIN_EXTRA for Postfix).
RC=$T/mailhoprc
cat >"$RC" <<EOF
# mailhop rc for the Postfix interop test (generated)
defaults
timeout 30
# Failures must show as exit codes here, not as queued messages.
queue off

account full
host 127.0.0.1
port $PF_PORT
protocol smtp
tls off
auth off
from sender@$PF_DOMAIN
${RC_EXTRA:-}

account nochunk : full
port $PORT_NOCHUNK

account basic : full
port $PORT_BASIC

account utf8 : full
port $PORT_UTF8

account noutf8 : full
port $PORT_NOUTF8

account default : full
EOF
if [ -z "$TLS_SKIP" ]; then
	cat >>"$RC" <<EOF

account starttls : full
port $PORT_STARTTLS
tls on
tls_starttls on
tls_trust_file $CERTS/ca.pem

account smtps : starttls
port $PORT_SMTPS
tls_starttls off

# Postfix's certificate comes from the test CA; this account trusts another.
account untrusted : starttls
tls_trust_file $CERTS/ca2.pem
EOF
fi
if [ -z "$AUTH_SKIP" ]; then
	cat >>"$RC" <<EOF

# Submission with Dovecot SASL: one account per mechanism.
account sasl_plain : starttls
port $PORT_SUBMIT
user $SASL_USER
password $SASL_PASS
auth plain

account sasl_login : sasl_plain
auth login

account sasl_scram : sasl_plain
auth scram-sha-256

account sasl_wrong : sasl_plain
password wrong-$SASL_PASS
EOF
fi
chmod 600 "$RC"

# run_mailhop CASE ARGS... < MESSAGE: run the client on account $P with a
# private HOME (no user rc, private state); sets MH_RC, output in $T/out/.
run_mailhop() {
	_case=$1
	shift
	HOME=$T/home XDG_CONFIG_HOME=$T/home/.config \
		XDG_STATE_HOME=$T/home/.state \
		timeout -k 5 "$MAILHOP_TIMEOUT" "$MAILHOP" -C "$RC" -a "$P" "$@" \
		>"$T/out/$_case.out" 2>"$T/out/$_case.err"
	MH_RC=$?
}

# transfer_used MARK: the server saw BDAT on "full", DATA elsewhere.
transfer_used() {
	_cmds=$(pf_log_since "$1" |
		sed -n 's/.*: < [^ ]*: \(BDAT\|DATA\).*/\1/p' | sort -u)
	case $P in full) _want=BDAT ;; *) _want=DATA ;; esac
	[ "$_cmds" = "$_want" ] && return 0
	diag "server saw: $(printf '%s' "$_cmds" | tr '\n' ' ')"
	return 1
}

# exits_silently CASE: mailhop exited 0 and printed nothing.
exits_silently() {
	if [ "$MH_RC" = 0 ] && [ ! -s "$T/out/$1.err" ] &&
		[ ! -s "$T/out/$1.out" ]; then
		return 0
	fi
	diag "exit $MH_RC; stdout/stderr:"
	diag_file "$T/out/$1.out"
	diag_file "$T/out/$1.err"
	return 1
}

# mail_from_has MARK REGEX: the MAIL FROM the server saw matches REGEX.
mail_from_has() {
	_l=$(mail_from_line "$1")
	if printf '%s\n' "$_l" | grep -q -E "$2"; then
		return 0
	fi
	diag "server saw: ${_l:-no MAIL FROM}"
	return 1
}

mail_from_lacks() {
	_l=$(mail_from_line "$1")
	if [ -n "$_l" ] && ! printf '%s\n' "$_l" | grep -q -E "$2"; then
		return 0
	fi
	diag "server saw: ${_l:-no MAIL FROM}"
	return 1
}

# headers_of FILE: the header block of FILE.
headers_of() {
	sed '/^$/q' "$1"
}

# Each case runs on account $P; its marker header names case and profile so
# copies from different profiles never mix. Output files: $T/out/<case>-$P.

# ---- (a) simple message, recipient from argv
case_simple() {
	c=a-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: Sender <sender@$PF_DOMAIN>
To: Alice <alice@$PF_DOMAIN>
Subject: interop a ($P): simple message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

Hello Alice,

a simple 7-bit message, recipient on the command line.
-- 
mailhop
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "alice@$PF_DOMAIN" <"$m"
	check "$c: mailhop exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: delivered to alice, byte-identical" \
		delivered_same alice "$c" "$m"
	check "$c: MAIL FROM has SIZE=$(smtp_size "$m")" \
		mail_from_has "$mark" \
		"^MAIL FROM:<sender@$PF_DOMAIN>.* SIZE=$(smtp_size "$m")( |\$)"
	check "$c: 7-bit message sent without BODY=" \
		mail_from_lacks "$mark" "BODY="
	check "$c: sent with $(case $P in full) echo BDAT ;; *) echo DATA ;; esac)" \
		transfer_used "$mark"
}

# ---- (b) -t: recipients from To/Cc/Bcc; Bcc removed from every copy
case_dash_t() {
	c=b-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: sender@$PF_DOMAIN
To: Alice <alice@$PF_DOMAIN>
Cc: bob@$PF_DOMAIN
Bcc: Carol <carol@$PF_DOMAIN>
Subject: interop b ($P): -t with To, Cc and Bcc
Date: Sun, 22 Nov 2026 10:01:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

Three recipients, one of them blind.
EOF
	grep -v '^Bcc:' "$m" >"$T/msg/$c.expected"
	run_mailhop "$c" -t -oi <"$m"
	check "$c: mailhop -t exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	for u in alice bob carol; do
		check "$c: delivered to $u (To/Cc/Bcc), without the Bcc line" \
			delivered_same "$u" "$c" "$T/msg/$c.expected"
	done
	nbcc=0
	for f in $(mbox_find alice "$c") $(mbox_find bob "$c") \
		$(mbox_find carol "$c"); do
		if headers_of "$f" | grep -q -i '^bcc:'; then
			nbcc=$((nbcc + 1))
		fi
	done
	check "$c: no delivered copy has a Bcc header" [ "$nbcc" = 0 ]
}

# ---- (c) 8-bit body: BODY=8BITMIME, bytes arrive unchanged
case_8bit() {
	c=c-$P
	m=$T/msg/$c.eml
	{
		cat <<EOF
X-Interop-Case: $c
From: sender@$PF_DOMAIN
To: bob@$PF_DOMAIN
Subject: interop c ($P): 8-bit body
Date: Sun, 22 Nov 2026 10:02:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

EOF
		# UTF-8 text, then raw high bytes that are not UTF-8.
		printf 'Gr\303\274\303\237e, na\303\257ve caf\303\251 \342\234\223\n'
		printf 'raw: \351\377\200\n'
		printf 'end\n'
	} >"$m"
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "bob@$PF_DOMAIN" <"$m"
	check "$c: mailhop exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: MAIL FROM carried BODY=8BITMIME (server accepted it)" \
		mail_from_has "$mark" " BODY=8BITMIME( |\$)"
	check "$c: no SMTPUTF8 for an 8-bit body with ASCII headers" \
		mail_from_lacks "$mark" "SMTPUTF8"
	check "$c: 8-bit body delivered to bob, byte-identical" \
		delivered_same bob "$c" "$m"
}

# ---- (d) lines starting with "." arrive un-stuffed
case_dots() {
	c=d-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: sender@$PF_DOMAIN
To: carol@$PF_DOMAIN
Subject: interop d ($P): leading dots
Date: Sun, 22 Nov 2026 10:03:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

.
..
...
.leading dot
..two leading dots
 . space before the dot

.
EOF
	run_mailhop "$c" -oi "carol@$PF_DOMAIN" <"$m"
	check "$c: mailhop -oi exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: dot lines delivered to carol exactly (un-stuffed)" \
		delivered_same carol "$c" "$m"
}

# ---- (e) one recipient refused: exit 67 and nothing delivered at all
case_refused() {
	c=e-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: sender@$PF_DOMAIN
To: alice@$PF_DOMAIN, reject@$PF_DOMAIN
Subject: interop e ($P): a refused recipient
Date: Sun, 22 Nov 2026 10:04:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

This must not be delivered to anyone.
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "alice@$PF_DOMAIN" "reject@$PF_DOMAIN" <"$m"
	if [ "$MH_RC" = 67 ]; then
		ok "$c: mailhop exits 67 when Postfix refuses a recipient"
	else
		not_ok "$c: mailhop exits 67 when Postfix refuses a recipient"
		diag "exit $MH_RC"
	fi
	if grep -q "reject@$PF_DOMAIN" "$T/out/$c.err" &&
		[ "$(wc -l <"$T/out/$c.err")" = 1 ]; then
		ok "$c: one stderr line naming the refused recipient"
	else
		not_ok "$c: one stderr line naming the refused recipient"
		diag_file "$T/out/$c.err"
	fi
	pf_wait_settled
	check "$c: nothing delivered to the accepted recipient alice" \
		[ -z "$(mbox_find alice "$c")" ]
	if pf_log_since "$mark" | grep -q ': > [^ ]*: 250 .*queued as'; then
		not_ok "$c: Postfix queued nothing (no final dot, no BDAT LAST)"
		pf_log_since "$mark" | grep 'queued as' | sed 's/^/#   /'
	else
		ok "$c: Postfix queued nothing (no final dot, no BDAT LAST)"
	fi
}

# ---- (f) a 5 MB message arrives byte-identical
case_large() {
	c=f-$P
	m=$T/msg/$c.eml
	{
		cat <<EOF
X-Interop-Case: $c
From: sender@$PF_DOMAIN
To: dave@$PF_DOMAIN
Subject: interop f ($P): 5 MB message
Date: Sun, 22 Nov 2026 10:05:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

EOF
		# ~5 MB of 76-column text lines, a few of them with leading dots.
		head -c 3800000 /dev/urandom | base64 -w 76 |
			sed 's/^\(.\)\(.*\)[Q]$/.\2/'
		echo "end of large message"
	} >"$m"
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "dave@$PF_DOMAIN" <"$m"
	check "$c: mailhop exits 0 and prints nothing ($(wc -c <"$m") bytes)" \
		exits_silently "$c"
	pf_wait_settled
	check "$c: large message delivered to dave, byte-identical" \
		delivered_same dave "$c" "$m"
	check "$c: MAIL FROM has SIZE=$(smtp_size "$m")" \
		mail_from_has "$mark" " SIZE=$(smtp_size "$m")( |\$)"
}

# tls_used MARK: Postfix logged a TLS session for a connection after MARK.
tls_used() {
	if pf_log_since "$1" | grep -q 'TLS connection established from'; then
		return 0
	fi
	diag "no 'TLS connection established' in the Postfix log"
	return 1
}

# no_mail_from MARK: no MAIL FROM reached Postfix after MARK.
no_mail_from() {
	_l=$(mail_from_line "$1")
	[ -z "$_l" ] && return 0
	diag "server saw: $_l"
	return 1
}

# ---- (g, h) delivery over TLS: STARTTLS ($P=starttls), implicit ($P=smtps)
case_tls() {
	c=g-$P
	[ "$P" = smtps ] && c=h-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: Sender <sender@$PF_DOMAIN>
To: Alice <alice@$PF_DOMAIN>
Subject: interop $c: delivered over TLS
Date: Sun, 22 Nov 2026 10:06:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

Hello Alice,
.this line starts with a dot
sent over TLS ($P).
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "alice@$PF_DOMAIN" <"$m"
	check "$c: mailhop exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: delivered to alice, byte-identical" \
		delivered_same alice "$c" "$m"
	check "$c: Postfix saw a TLS session" tls_used "$mark"
	if [ "$P" = starttls ]; then
		check "$c: STARTTLS was used" eval \
			"pf_log_since $mark | grep -q ': < [^ ]*: STARTTLS'"
	fi
}

# send_refused CASE SUBJECT WHY: send a message to bob that must not be
# delivered and check that mailhop exits 77 (WHY names the cause); sets
# c, m and mark for the case's own checks.
send_refused() {
	c=$1
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: sender@$PF_DOMAIN
To: bob@$PF_DOMAIN
Subject: interop $c: $2
Date: Sun, 22 Nov 2026 10:07:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

This must not be delivered.
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "bob@$PF_DOMAIN" <"$m"
	if [ "$MH_RC" = 77 ]; then
		ok "$c: mailhop exits 77 $3"
	else
		not_ok "$c: mailhop exits 77 $3"
		diag "exit $MH_RC"
		diag_file "$T/out/$c.err"
	fi
}

# ---- (i) Postfix's certificate is not trusted: 77, nothing delivered
case_tls_untrusted() {
	send_refused "i-$P" "untrusted certificate" \
		"for a certificate it does not trust"
	if head -n 1 "$T/out/$c.err" | grep -q \
		"^mailhop: TLS certificate of '127.0.0.1' rejected: " &&
		grep -q '^  sha256 fingerprint: ' "$T/out/$c.err"; then
		ok "$c: stderr says why and shows the sha256 fingerprint"
	else
		not_ok "$c: stderr says why and shows the sha256 fingerprint"
		diag_file "$T/out/$c.err"
	fi
	pf_wait_settled
	check "$c: no MAIL FROM reached Postfix" no_mail_from "$mark"
	check "$c: nothing delivered to bob" [ -z "$(mbox_find bob "$c")" ]
}

# sasl_used MARK MECH: Postfix logged a SASL login with MECH after MARK.
sasl_used() {
	if pf_log_since "$1" |
		grep -q "sasl_method=$2, sasl_username=$SASL_USER\$"; then
		return 0
	fi
	diag "no 'sasl_method=$2, sasl_username=$SASL_USER' in the Postfix log"
	pf_log_since "$1" | grep -E 'sasl|AUTH' | head -n 5 | sed 's/^/#   /'
	return 1
}

# ---- (j) AUTH over STARTTLS with Dovecot SASL: $P = sasl_plain|login|scram
case_sasl() {
	c=j-$P
	case $P in
	sasl_plain) mech=PLAIN ;;
	sasl_login) mech=LOGIN ;;
	*) mech=SCRAM-SHA-256 ;;
	esac
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: Sender <sender@$PF_DOMAIN>
To: Alice <alice@$PF_DOMAIN>
Subject: interop $c: authenticated with $mech
Date: Sun, 22 Nov 2026 10:08:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

Hello Alice,
.this line starts with a dot
sent after AUTH $mech.
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "alice@$PF_DOMAIN" <"$m"
	check "$c: mailhop exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: delivered to alice, byte-identical" \
		delivered_same alice "$c" "$m"
	check "$c: Postfix logged AUTH $mech by $SASL_USER" \
		sasl_used "$mark" "$mech"
}

# ---- (k) wrong password: 77, nothing delivered, no MAIL FROM
case_sasl_wrong() {
	send_refused "k-$P" "wrong password" \
		"when Dovecot refuses the password"
	if [ "$(wc -l <"$T/out/$c.err")" = 1 ] &&
		grep -q '^mailhop: .*535' "$T/out/$c.err" &&
		! grep -q -F -e "$SASL_PASS" "$T/out/$c.err"; then
		ok "$c: one stderr line with the 535 reply, no password"
	else
		not_ok "$c: one stderr line with the 535 reply, no password"
		diag_file "$T/out/$c.err"
	fi
	pf_wait_settled
	# MAIL/RCPT may have been pipelined after AUTH PLAIN (RFC 4954): they
	# are refused or harmless; no message may have been queued.
	if pf_log_since "$mark" | grep -q ': > [^ ]*: 250 .*queued as'; then
		not_ok "$c: Postfix queued nothing"
		pf_log_since "$mark" | grep 'queued as' | sed 's/^/#   /'
	else
		ok "$c: Postfix queued nothing"
	fi
	check "$c: nothing delivered to bob" [ -z "$(mbox_find bob "$c")" ]
}

# The matrix: every path gets the simple, dot and refusal cases; header
# handling (-t) needs one path; 8-bit and size both transfer styles.
for P in full nochunk basic; do
	case_simple
	case_dots
	case_refused
done
P=full
case_dash_t
for P in full nochunk; do
	case_8bit
	case_large
done
if [ -z "$TLS_SKIP" ]; then
	for P in starttls smtps; do
		case_tls
	done
	P=untrusted
	case_tls_untrusted
else
	# The same number of TAP lines as the cases would print.
	for d in "g-starttls: delivery over STARTTLS (4 checks)" \
		"h-smtps: delivery over implicit TLS (3 checks)" \
		"i-untrusted: untrusted certificate refused (4 checks)"; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $d: $TLS_SKIP"
	done
fi
if [ -z "$AUTH_SKIP" ]; then
	for P in sasl_plain sasl_login sasl_scram; do
		case_sasl
	done
	P=sasl_wrong
	case_sasl_wrong
else
	for d in "j-sasl_plain: AUTH PLAIN (3 checks)" \
		"j-sasl_login: AUTH LOGIN (3 checks)" \
		"j-sasl_scram: AUTH SCRAM-SHA-256 (3 checks)" \
		"k-sasl_wrong: wrong password refused (4 checks)"; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $d: $AUTH_SKIP"
	done
fi

# rcpt_line_has MARK REGEX: a RCPT TO the server logged after MARK matches.
rcpt_line_has() {
	if pf_log_since "$1" | grep -q -E ": < [^ ]*: RCPT TO:$2"; then
		return 0
	fi
	diag "server saw: $(pf_log_since "$1" |
		sed -n 's/.*: < [^ ]*: \(RCPT TO:.*\)$/\1/p' | tr '\n' ' ')"
	return 1
}

# ---- (l) a UTF-8 local part: SMTPUTF8, delivered to that mailbox
case_utf8_mailbox() {
	c=l-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: Sender <sender@$PF_DOMAIN>
To: $UTF8_USER <$UTF8_USER@$PF_DOMAIN>
Subject: interop $c: $(printf 'Gr\303\274\303\237e an J\303\266rg')
Date: Sun, 22 Nov 2026 10:10:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

$(printf 'Hallo J\303\266rg, \342\234\223 \360\237\230\200')
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "$UTF8_USER@$PF_DOMAIN" <"$m"
	check "$c: mailhop exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: delivered to the UTF-8 mailbox, byte-identical" \
		delivered_same "$UTF8_USER" "$c" "$m"
	check "$c: MAIL FROM had BODY=8BITMIME SMTPUTF8" \
		mail_from_has "$mark" " BODY=8BITMIME SMTPUTF8( |\$)"
}

# ---- (m, n) a UTF-8 Subject, ASCII addresses: SMTPUTF8 only if offered
case_utf8_subject() {
	c=m-$P
	[ "$P" = noutf8 ] && c=n-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: $(printf 'S\303\251nder') <sender@$PF_DOMAIN>
To: alice@$PF_DOMAIN
Subject: interop $c: $(printf 'R\303\251sum\303\251 \342\202\254 \360\237\216\211')
Date: Sun, 22 Nov 2026 10:11:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

7-bit body, UTF-8 header fields.
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "alice@$PF_DOMAIN" <"$m"
	check "$c: mailhop exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: delivered to alice, byte-identical" \
		delivered_same alice "$c" "$m"
	if [ "$P" = noutf8 ]; then
		check "$c: SMTPUTF8 not offered: sent as 8-bit data" \
			mail_from_has "$mark" \
			"^MAIL FROM:<sender@$PF_DOMAIN> SIZE=[0-9]+ BODY=8BITMIME\$"
	else
		check "$c: MAIL FROM had BODY=8BITMIME SMTPUTF8" \
			mail_from_has "$mark" " BODY=8BITMIME SMTPUTF8( |\$)"
	fi
}

# ---- (o) a UTF-8 local part, server without SMTPUTF8: 65, no MAIL
case_utf8_refused() {
	c=o-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: sender@$PF_DOMAIN
Subject: interop $c: must not be sent
Date: Sun, 22 Nov 2026 10:12:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

This must not be delivered.
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "$UTF8_USER@$PF_DOMAIN" <"$m"
	if [ "$MH_RC" = 65 ] && [ "$(wc -l <"$T/out/$c.err")" = 1 ] &&
		grep -q "^mailhop: address <.*@$PF_DOMAIN> needs SMTPUTF8, which server '127.0.0.1' does not offer\$" \
			"$T/out/$c.err"; then
		ok "$c: exit 65 naming the address that needs SMTPUTF8"
	else
		not_ok "$c: exit 65 naming the address that needs SMTPUTF8"
		diag "exit $MH_RC"
		diag_file "$T/out/$c.err"
	fi
	pf_wait_settled
	check "$c: no MAIL FROM reached Postfix" no_mail_from "$mark"
	check "$c: nothing delivered" [ -z "$(mbox_find "$UTF8_USER" "$c")" ]
}

# ---- (p) an IDN recipient domain goes as its A-label, no SMTPUTF8
case_idn_domain() {
	c=p-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
From: sender@$PF_DOMAIN
To: erin@$IDN_DOMAIN
Subject: interop $c: IDN recipient domain
Date: Sun, 22 Nov 2026 10:13:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

Sent to erin at the U-label form of the domain.
EOF
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi "erin@$IDN_ULABEL" <"$m"
	check "$c: mailhop exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: delivered to erin@$IDN_DOMAIN, byte-identical" \
		delivered_same erin "$c" "$m"
	check "$c: RCPT TO carried the A-label" \
		rcpt_line_has "$mark" "<erin@$IDN_DOMAIN>"
	check "$c: no SMTPUTF8 (nothing needs it)" \
		mail_from_lacks "$mark" "SMTPUTF8"
}

# ---- (q) -F with a non-ASCII name: RFC 2047 From, 7-bit message
case_2047_from() {
	c=q-$P
	m=$T/msg/$c.eml
	cat >"$m" <<EOF
X-Interop-Case: $c
To: bob@$PF_DOMAIN
Subject: interop $c: encoded From
Date: Sun, 22 Nov 2026 10:14:00 +0000
Message-ID: <$c.$$@$PF_DOMAIN>

The From field is added by mailhop.
EOF
	# "Jörg Müller" as an RFC 2047 B encoded-word
	{
		echo "From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <sender@$PF_DOMAIN>"
		cat "$m"
	} >"$T/msg/$c.expected"
	mark=$(pf_log_mark)
	run_mailhop "$c" -oi -F "$(printf 'J\303\266rg M\303\274ller')" \
		"bob@$PF_DOMAIN" <"$m"
	check "$c: mailhop exits 0 and prints nothing" exits_silently "$c"
	pf_wait_settled
	check "$c: delivered with the encoded From, byte-identical" \
		delivered_same bob "$c" "$T/msg/$c.expected"
	check "$c: 7-bit: neither BODY= nor SMTPUTF8" \
		mail_from_lacks "$mark" "BODY=|SMTPUTF8"
}

P=utf8
case_utf8_mailbox
case_utf8_subject
P=noutf8
case_utf8_subject
case_utf8_refused
P=full
case_idn_domain
case_2047_from

# no_leftovers: nothing deferred and no bounce came back to the sender.
no_leftovers() {
	pf_wait_settled
	_n=$(pf_deferred_count)
	_b=$(find "$PF_MAIL/sender" -type f 2>/dev/null | wc -l)
	[ "$_n" = 0 ] && [ "$_b" = 0 ] && return 0
	diag "$_n deferred, $_b bounces"
	return 1
}
check "Postfix has no deferred mail and sent no bounce" no_leftovers

if [ "$tap_failed" -gt 0 ]; then
	diag "Postfix log (SMTP dialogue and delivery lines, last 60):"
	grep -E ': [<>] [^ ]*: |status=(sent|bounced|deferred)|: reject: |warning:|fatal:|error:|: (dis)?connect from' \
		"$PF_LOG" >"$T/log.short"
	diag_file "$T/log.short" 60
fi
tap_plan
[ "$tap_failed" = 0 ]
