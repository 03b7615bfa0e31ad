#!/bin/sh
# tests/tls/mkcerts.sh DIR: make the test PKI for mailhop's TLS tests with
# GnuTLS certtool (package gnutls-bin). POSIX sh.
#
# Contract:
#  - Everything is generated at test time into DIR (created; existing files
#    of the same names are replaced); nothing else is written. No private
#    key or certificate is ever committed to the repository.
#  - ECDSA P-256 keys (fast); every server certificate except "wronghost"
#    names DNS "localhost" and IP 127.0.0.1, so each bad certificate fails
#    verification for exactly one reason.
#  - Files (NAME.pem certificate, NAME-key.pem its key):
#      ca            the test CA ("mailhop test CA")
#      server        good: signed by ca, localhost + 127.0.0.1
#      wronghost     signed by ca, only "other.test"
#      expired       signed by ca, valid 2000-01-01 .. 2001-01-01
#      notyet        signed by ca, valid 2090-01-01 .. 2091-01-01
#      selfsigned    self-signed (its own issuer), localhost + 127.0.0.1
#      ca2           a second CA nobody trusts ("mailhop unknown CA")
#      unknownca     signed by ca2, localhost + 127.0.0.1
#      revoked       signed by ca, listed in crl.pem
#      crl.pem       CRL issued by ca (revoked.pem is on it)
#      clientca      CA for client certificates ("mailhop test client CA")
#      client        client certificate signed by clientca
#                    ("CN=mailhop test client", TLS web client)
#    For each server certificate NAME also NAME.sha256 and NAME.sha1: its
#    fingerprint as "AA:BB:..." (upper case, colon separated, one line),
#    and for the good one fp-sha256.txt / fp-sha1.txt (the same values).
#  - Prints nothing on success; exit status 0, or 1 with a message.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: mkcerts.sh DIR" >&2
	exit 2
fi
DIR=$1
CERTTOOL=${CERTTOOL:-certtool}
if ! command -v "$CERTTOOL" >/dev/null 2>&1; then
	echo "mkcerts.sh: certtool not found (install gnutls-bin)" >&2
	exit 1
fi
mkdir -p "$DIR"
cd "$DIR"
# The keys are test material, but keep them private anyway.
umask 077

# certtool is chatty on stderr; keep its output for a failure message.
run() {
	if ! "$CERTTOOL" "$@" >certtool.log 2>&1; then
		echo "mkcerts.sh: certtool $* failed:" >&2
		cat certtool.log >&2
		exit 1
	fi
}

key() {
	run --generate-privkey --key-type=ecdsa --curve=secp256r1 \
		--no-text --outfile "$1-key.pem"
}

serial=1
# tmpl NAME LINES...: write NAME.tmpl with a fresh serial number.
tmpl() {
	_n=$1
	shift
	serial=$((serial + 1))
	printf '%s\n' "serial = $serial" "$@" >"$_n.tmpl"
}

# A CA valid far into the past and the future, so that the expired and
# not-yet-valid leaves fail only for their own dates.
ca() {
	key "$1"
	tmpl "$1" "cn = \"$2\"" "organization = \"mailhop tests\"" \
		"ca" "cert_signing_key" "crl_signing_key" \
		'activation_date = "1999-01-01 00:00:00 UTC"' \
		'expiration_date = "2099-12-31 00:00:00 UTC"'
	run --generate-self-signed --load-privkey "$1-key.pem" \
		--template "$1.tmpl" --outfile "$1.pem"
}

SERVER_NAMES='dns_name = "localhost"
ip_address = "127.0.0.1"'
NOW_DATES='activation_date = "2020-01-01 00:00:00 UTC"
expiration_date = "2089-12-31 00:00:00 UTC"'

# leaf NAME CA CN NAMES DATES [EXTRA]: a TLS server certificate for
# NAMES (template lines) signed by CA (or self-signed when CA is "-").
leaf() {
	key "$1"
	tmpl "$1" "cn = \"$3\"" "organization = \"mailhop tests\"" "$4" "$5" \
		"tls_www_server" "signing_key" "${6:-}"
	if [ "$2" = - ]; then
		run --generate-self-signed --load-privkey "$1-key.pem" \
			--template "$1.tmpl" --outfile "$1.pem"
	else
		run --generate-certificate --load-privkey "$1-key.pem" \
			--load-ca-certificate "$2.pem" \
			--load-ca-privkey "$2-key.pem" \
			--template "$1.tmpl" --outfile "$1.pem"
	fi
}

# fingerprint NAME ALGO: "AA:BB:..." of NAME.pem into NAME.ALGO.
fingerprint() {
	"$CERTTOOL" --fingerprint --hash="$2" --infile "$1.pem" 2>/dev/null |
		tr -d ' \n' | tr 'a-f' 'A-F' | sed 's/\(..\)/\1:/g; s/:$//' \
		>"$1.$2"
	if ! grep -q '^[0-9A-F][0-9A-F]\(:[0-9A-F][0-9A-F]\)*$' "$1.$2"; then
		echo "mkcerts.sh: no $2 fingerprint for $1.pem" >&2
		exit 1
	fi
	echo >>"$1.$2"
}

ca ca "mailhop test CA"
ca ca2 "mailhop unknown CA"
ca clientca "mailhop test client CA"

leaf server ca localhost "$SERVER_NAMES" "$NOW_DATES"
leaf wronghost ca other.test 'dns_name = "other.test"' "$NOW_DATES"
leaf expired ca localhost "$SERVER_NAMES" \
	'activation_date = "2000-01-01 00:00:00 UTC"
expiration_date = "2001-01-01 00:00:00 UTC"'
leaf notyet ca localhost "$SERVER_NAMES" \
	'activation_date = "2090-01-01 00:00:00 UTC"
expiration_date = "2091-01-01 00:00:00 UTC"'
leaf selfsigned - localhost "$SERVER_NAMES" "$NOW_DATES"
leaf unknownca ca2 localhost "$SERVER_NAMES" "$NOW_DATES"
leaf revoked ca localhost "$SERVER_NAMES" "$NOW_DATES"

# The client certificate (for servers that require one).
key client
tmpl client 'cn = "mailhop test client"' 'organization = "mailhop tests"' \
	"tls_www_client" "signing_key" "$NOW_DATES"
run --generate-certificate --load-privkey client-key.pem \
	--load-ca-certificate clientca.pem --load-ca-privkey clientca-key.pem \
	--template client.tmpl --outfile client.pem

# The CRL: ca revokes "revoked".
tmpl crl "crl_next_update = 36500" "crl_number = 1" \
	'crl_revocation_date = "2020-06-01 00:00:00 UTC"'
run --generate-crl --load-ca-privkey ca-key.pem --load-ca-certificate ca.pem \
	--load-certificate revoked.pem --template crl.tmpl --outfile crl.pem

for n in server wronghost expired notyet selfsigned unknownca revoked; do
	fingerprint "$n" sha256
	fingerprint "$n" sha1
done
cp server.sha256 fp-sha256.txt
cp server.sha1 fp-sha1.txt
rm -f ./*.tmpl certtool.log
# Certificates and the CRL are public; let every test user read them.
chmod 644 ./*.pem ./*.sha256 ./*.sha1 fp-sha256.txt fp-sha1.txt
chmod 600 ./*-key.pem
