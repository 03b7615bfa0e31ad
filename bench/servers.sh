#!/bin/sh
# bench/servers.sh: the real servers of the benchmark (POSIX sh).
#
#   servers.sh start DIR   make a test CA in DIR/certs (tests/tls/mkcerts.sh),
#                          start a private Dovecot (SASL only) and a private
#                          Postfix on 127.0.0.1 (tests/interop/lib.sh), write
#                          their ports to DIR/ports.env and exit 0.
#   servers.sh stop DIR    stop both (by the pids their pid files name).
#
# Listeners (all on free ports, every one with AUTH only inside TLS and
# every recipient refused without a successful AUTH, as a submission
# server is set up; SASL mechanisms PLAIN LOGIN SCRAM-SHA-256 by Dovecot):
#   SUBMIT  STARTTLS (RFC 3207) + AUTH
#   SMTPS   implicit TLS (RFC 8314) + AUTH
# Postfix delivers into Maildirs under DIR/pf/mail (user "bench"); no
# per-command debug log (it would slow smtpd down). Needs root, postfix
# and dovecot-core (tests/install-deps).
set -u
cmd=${1:?usage: servers.sh start|stop DIR}
B=${2:?usage: servers.sh start|stop DIR}
here=$(cd "$(dirname "$0")" && pwd)
top=${top_srcdir:-$here/..}
# shellcheck source=tests/interop/lib.sh
. "$top/tests/interop/lib.sh"

case $cmd in
start)
	mkdir -p "$B/pf" "$B/dovecot" || exit 1
	sh "$top/tests/tls/mkcerts.sh" "$B/certs" || exit 1
	chmod 755 "$B" "$B/certs" && chmod 644 "$B"/certs/*.pem || exit 1
	dc_init "$B/dovecot" || exit 1
	dc_add_user bench 'bench-Pass.42'
	dc_write_config
	dc_start || exit 1
	pf_init "$B/pf" || exit 1
	pf_add_mailbox bench r1 r2 r3 r4 r5 r6 r7 r8 r9 r10
	# Later main.cf lines win: no debug log, no 20 MB limit.
	PF_MAIN_EXTRA="debug_peer_list =
message_size_limit = 0
mailbox_size_limit = 0
virtual_mailbox_limit = 0"
	pf_tls "$B/certs"
	_sasl="-o smtpd_tls_auth_only=yes -o smtpd_sasl_auth_enable=yes \
-o smtpd_sasl_type=dovecot -o smtpd_sasl_path=$DC_SOCK \
-o smtpd_client_restrictions=permit_sasl_authenticated,reject \
-o smtpd_recipient_restrictions=permit_sasl_authenticated,reject"
	pf_listener SUBMIT "-o smtpd_tls_security_level=encrypt $_sasl" &&
		pf_listener_tls SMTPS "$_sasl" || exit 1
	pf_write_config
	pf_start || exit 1
	cat >"$B/ports.env" <<EOF
SUBMIT=$SUBMIT
SMTPS=$SMTPS
PF_MAIL=$PF_MAIL
EOF
	;;
stop)
	PF_STARTED=1
	PF_CONF=$B/pf/etc
	PF_QUEUE=$B/pf/spool
	DC_STARTED=1
	DC_RUN=$B/dovecot/run
	[ -d "$PF_CONF" ] && pf_stop
	[ -d "$DC_RUN" ] && dc_stop
	exit 0
	;;
*)
	echo "usage: servers.sh start|stop DIR" >&2
	exit 64
	;;
esac
