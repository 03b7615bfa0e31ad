#!/usr/bin/env python3
"""fakesmtp.py - a scriptable fake SMTP/LMTP server for mailhop's tests.

Python 3 standard library only.  It listens on 127.0.0.1 (port 0 picks a
free port) or on a unix socket, serves connections one after the other,
records every byte it receives (raw) and every byte it sends, and stops by
itself: on SIGTERM/SIGINT (after draining the connection in progress), after
--max-connections connections, or at the overall --timeout.

Usage:
    fakesmtp.py [--script FILE] [--record DIR] [--port N | --unix PATH]
                [--port-file FILE] [--timeout SECONDS] [--max-connections N]
                [--caps "WORD..."] [--certs DIR] [--quiet]

The script language (also the [server] section of a black-box case) is one
directive per line; '#' starts a comment line.

Configuration:
    cap LINE              an EHLO/LHLO capability line (repeatable, in order)
    caps WORD...          several capabilities, '=' in a word becomes a space
                          (caps PIPELINING SIZE=1000 8BITMIME CHUNKING DSN)
    hostname NAME         name in the greeting and first EHLO line
    greeting TEXT         default greeting (default "220 NAME ESMTP fakesmtp")
    proto smtp|lmtp       LMTP: one reply per accepted recipient after data
    listen unix PATH      listen on a unix socket (overrides --port/--unix)
    idle SECONDS          give up on a silent client after this (default 30)
    max-connections N     serve N connections, then stop listening (later
                          connection attempts are refused)
    pipeline-group N      when MAIL arrives, at least N complete command
                          lines (MAIL included) must already have been sent
                          (waits up to 0.5 s); else a VIOLATION is logged
    allow-violations      do not log protocol violations of the client

TLS (Python's ssl module; the certificates come from tests/tls/mkcerts.sh):
    tls-cert NAME         present NAME.pem with key NAME-key.pem, looked up in
                          --certs DIR (or $FAKESMTP_CERTS) unless NAME holds
                          a '/'.  With it STARTTLS is answered 220 and the
                          handshake follows (offer it with "caps STARTTLS")
    tls-implicit          implicit TLS (RFC 8314): handshake right after
                          accept, then the greeting
    tls-caps WORD...      the EHLO capabilities after TLS (default: caps
                          without STARTTLS); "tls-caps" alone: none
    tls-version 1.2|1.3   the only TLS version the server accepts
    tls-client-ca NAME    require a client certificate signed by NAME.pem
    cut-data N            after N bytes of DATA content, drop the TCP
                          connection (no TLS close_notify)
  Any reply to STARTTLS whose code is 220 starts the handshake (so "on
  STARTTLS raw 220 go\r\n250 injected\r\n" sends injected bytes in the
  same packet as the 220, then tries the handshake); "on STARTTLS reply
  454 ..." or "502 ..." refuses it.  STARTTLS not offered, sent twice, or
  followed by bytes sent before the 220, and commands other than EHLO/
  HELO/LHLO/NOOP/RSET/QUIT before the EHLO after STARTTLS, are violations.
  After the handshake the session state is reset (EHLO expected again).
  Input received after the handshake is recorded decrypted in the same
  conn-N.in; server.log marks the switch.  After a failed handshake only
  input that does not look like TLS (a first byte other than 0x14-0x17,
  e.g. a plaintext fallback or a QUIT) is recorded in conn-N.in.

Authentication (RFC 4954; offer it with "caps AUTH=PLAIN=LOGIN=..." or
only after TLS with "tls-caps AUTH=..."):
    auth-user NAME [PASSWORD]   a SASL user (repeatable: several users)
    auth-pass PASSWORD    the password of the last auth-user
    auth-token TOKEN      an accepted OAuth2 bearer token (repeatable)
    auth-required         MAIL before a successful AUTH gets 530 5.7.0
    auth-iterations N     SCRAM iteration count (default 4096)
    auth-salt TEXT        SCRAM salt (default "fakesmtp-scram-salt")
    auth-cram-challenge T the CRAM-MD5 challenge (default
                          "<1896.697170952@HOSTNAME>", fixed so a case can
                          expect the exact answer)
  The server checks PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195),
  SCRAM-SHA-1/SCRAM-SHA-256 (RFC 5802/7677, verifier sent in a 334, the
  client's empty answer then gets 235), their -PLUS forms with tls-unique
  channel binding, XOAUTH2 and OAUTHBEARER (RFC 7628: the bearer token must
  be an auth-token; else the error JSON goes out in a 334 and, after the
  client's answer, 535) and EXTERNAL (accepted when the client presented a
  certificate).  Success: 235 2.7.0; failure: 535 5.7.8; "*" cancels (501).
  -PLUS mechanisms are only advertised (and accepted) inside TLS 1.2:
  Python's ssl module has tls-unique but no tls-exporter, which TLS 1.3
  needs; elsewhere they are silently dropped from the AUTH line.  A "y"
  gs2 flag while the -PLUS form was offered fails (downgrade, RFC 5802).
  Violations: AUTH not offered or a mechanism not offered, a second AUTH
  after success or inside a transaction (503), SASL data that is not
  base64, and anything sent before the reply to AUTH or to a SASL answer
  -- except that, with PIPELINING offered, commands may follow an AUTH
  that carries an initial response (recorded as "pipelined").
  "on AUTH ..." rules replace the whole exchange (e.g. "on AUTH reply 454
  4.7.0 try later"); a rule reply with code 334 (challenge-garbage,
  challenge-huge N, raw 334 ...) waits for one answer: "*" gets 501,
  QUIT is QUIT, anything else 535.

Rules for the automatic (accept-all) mode:
    on EVENT [@CONN] [#N] [/REGEX/] ACTION [&& ACTION...]
  EVENT is greeting, EHLO, HELO, LHLO, MAIL, RCPT, DATA, BDAT (a chunk that
  is not the last), dot (end of the message data: the final "." or the
  BDAT LAST chunk; with LMTP its rule runs before the per-recipient replies,
  for close/stall), lmtp-rcpt (LMTP per-recipient reply after the data; the
  REGEX is matched against that recipient's RCPT command), QUIT, RSET,
  NOOP, STARTTLS, AUTH, other (any other command), or "any".
  @CONN limits the rule to the CONN-th connection (1-based), #N to the N-th
  occurrence of EVENT in the connection, /REGEX/ to commands it searches.
  The first matching rule wins.  ACTIONs:
    reply TEXT       send TEXT; "\\n" in TEXT separates reply lines; CRLF
                     is added to each line
    raw BYTES        send BYTES exactly (escapes \\r \\n \\t \\0 \\xHH \\\\)
    close            drop the connection (FIN; then only record input);
                     under TLS a close_notify alert goes first
    cut              drop the connection without a TLS close_notify
    stall SECONDS    stop reading and replying for SECONDS
    hang             stall until the client goes away or the server stops
    longline N       send one "250 xxx..." reply line of N bytes
    endless          send "250-..." continuation lines until the client
                     closes the connection
    garbage          send a line that is not an SMTP reply
    challenge-garbage  send a 334 challenge that is not base64
    challenge-huge N send a 334 challenge of N bytes once decoded
  When the actions hold no reply-like action (reply, raw, close, longline,
  endless, garbage), the default reply follows them.  The default replies
  accept everything: 354 to DATA (then the data is read up to CRLF.CRLF),
  "BDAT n [LAST]" reads exactly n bytes, 221 to QUIT; MAIL/RCPT/DATA out of
  sequence get 503, DATA/BDAT without an accepted recipient 554.  The state
  follows the code actually sent (a RCPT answered 550 is not accepted; a
  DATA answered with anything but 354 reads no data).

Script mode (when any "step" line is present; no automatic greeting):
    step send TEXT        send reply lines (as "reply")
    step raw BYTES        send bytes
    step expect TEXT      read one command line; it must equal TEXT
    step expect-re REGEX  read one command line; REGEX must match all of it
    step data             read message data up to CRLF.CRLF (no reply)
    step bdat             read one "BDAT n [LAST]" command and its n bytes
    step close | cut | stall N | hang | longline N | endless | garbage
    step tls              run the server side of a TLS handshake now (after
                          e.g. "step send 220 go ahead")
    step auth             read one AUTH command and run the server side of
                          its exchange (as the automatic mode does)
    step auto             continue in the automatic mode (with the rules)
  A mismatch logs a VIOLATION and drops the connection.  After the last
  step the server records input until the client closes.

Records written to --record DIR (created):
    conn-N.in       every byte received on connection N, raw
    conn-N.out      every byte sent on connection N, raw
    conn-N.msg-M    message M of connection N as the server understood it
                    (DATA un-dot-stuffed, or BDAT chunks joined)
    server.log      readable transcript ("C: ...", "S: ...", "VIOLATION: ...")
    summary.json    {"connections": N, "violations": [...], "messages":
                    [...], "commands": [[...], ...], "tls": [...]} written
                    when it stops.  "tls" has one entry per connection: null
                    without a TLS attempt, else {"mode": "starttls" or
                    "implicit", "handshake": "ok" or "failed: REASON",
                    "version": "TLSv1.3", "cipher", "resumed": bool,
                    "client_cert": subject ("CN=...,O=...") or null, "sni":
                    name or null, "plain_in"/"plain_out": bytes received/
                    sent before TLS, "client_close": "close_notify", "eof"
                    or "error: ..." (how the client ended the TLS session)},
                    "auth": one list per connection of AUTH attempts:
                    {"mechanism", "initial_response": bool, "pipelined":
                    bool (commands arrived before the reply to AUTH),
                    "pipelined_with": those command lines, "result": "ok",
                    "failed: WHY", "cancelled", "refused: CODE" (a rule's
                    reply), "aborted" (connection gone mid-exchange),
                    "user", "authzid", "channel_binding" (the SCRAM gs2
                    flag: "n", "y", "p=tls-unique"), "token" (bearer),
                    "error_ack" (the answer to an OAuth2 error: "empty" or
                    its bytes)}
Exit status: 0, or 2 for a bad script or command line.
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import select
import signal
import socket
import ssl
import sys
import time

# A line of "endless" continuation output, and how many to send per write.
ENDLESS_LINE = b"250-fakesmtp endless continuation line\r\n"
ENDLESS_BATCH = 64
# How long to wait for a pipelined group to arrive completely.
PIPELINE_WAIT = 0.5
# After SIGTERM, how long to keep recording the connection in progress.
STOP_GRACE = 2.0
RECV_SIZE = 65536

EVENTS = {
    "greeting", "ehlo", "helo", "lhlo", "mail", "rcpt", "data", "bdat",
    "dot", "lmtp-rcpt", "quit", "rset", "noop", "starttls", "auth",
    "other", "any",
}
REPLYING = {"reply", "raw", "close", "cut", "longline", "endless",
            "garbage", "challenge-garbage", "challenge-huge"}
ACTIONS = REPLYING | {"stall", "hang"}
STEPS = ACTIONS | {"send", "expect", "expect-re", "data", "bdat", "auto",
                   "tls", "auth"}
# The first byte of a TLS handshake record (a ClientHello), and of any
# TLS record (change_cipher_spec, alert, handshake, application_data).
TLS_HANDSHAKE_BYTE = 0x16
TLS_RECORD_BYTES = (0x14, 0x15, 0x16, 0x17)
# SASL (AUTH): the SCRAM salt and iteration count unless the script says
# otherwise, the CRAM-MD5 challenge (fixed, so a case can expect the exact
# response), how many command lines a summary keeps of what was pipelined
# after AUTH, and the 334 challenge "challenge-garbage" sends.
SCRAM_SALT = b"fakesmtp-scram-salt"
SCRAM_ITERATIONS = 4096
CRAM_CHALLENGE = "<1896.697170952@%s>"
PIPELINED_KEEP = 8
GARBAGE_CHALLENGE = b"334 !!this is *not* base64$$\r\n"
SCRAM_HASHES = {"SCRAM-SHA-1": "sha1", "SCRAM-SHA-256": "sha256"}
# Commands allowed after STARTTLS before the new EHLO.
BEFORE_EHLO_OK = {b"EHLO", b"HELO", b"LHLO", b"QUIT", b"NOOP", b"RSET"}


class ScriptError(Exception):
    pass


class ConnClosed(Exception):
    """The connection is over (client gone, dropped, or stopping)."""


def unescape(text):
    """Turn the script escapes into bytes (UTF-8 for other characters)."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 >= len(text):
            out += c.encode("utf-8")
            i += 1
            continue
        n = text[i + 1]
        simple = {"r": b"\r", "n": b"\n", "t": b"\t", "0": b"\0",
                  "\\": b"\\"}
        if n in simple:
            out += simple[n]
            i += 2
        elif n == "x" and re.match(r"[0-9a-fA-F]{2}", text[i + 2:i + 4]):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out += b"\\"
            i += 1
    return bytes(out)


def reply_bytes(text):
    """Reply TEXT with "\\n" separating lines -> wire bytes."""
    lines = unescape(text).split(b"\n")
    return b"".join(line.rstrip(b"\r") + b"\r\n" for line in lines)


def parse_actions(text, lineno):
    actions = []
    for part in text.split("&&"):
        part = part.strip()
        if not part:
            raise ScriptError("line %d: empty action" % lineno)
        word, _, arg = part.partition(" ")
        word = word.lower()
        if word not in ACTIONS:
            raise ScriptError("line %d: unknown action '%s'" % (lineno, word))
        if word in ("stall", "longline", "challenge-huge"):
            try:
                float(arg)
            except ValueError:
                raise ScriptError("line %d: %s needs a number" % (lineno, word))
        actions.append((word, arg))
    return actions


class Rule:
    def __init__(self, event, conn, nth, regex, actions):
        self.event, self.conn, self.nth = event, conn, nth
        self.regex, self.actions = regex, actions


def parse_rule(rest, lineno):
    word, _, rest = rest.strip().partition(" ")
    event = word.lower()
    if event not in EVENTS:
        raise ScriptError("line %d: unknown event '%s'" % (lineno, word))
    conn = nth = regex = None
    rest = rest.strip()
    while rest:
        if rest[0] == "@" or rest[0] == "#":
            tok, _, tail = rest.partition(" ")
            if not tok[1:].isdigit():
                raise ScriptError("line %d: bad '%s'" % (lineno, tok))
            if tok[0] == "@":
                conn = int(tok[1:])
            else:
                nth = int(tok[1:])
            rest = tail.strip()
        elif rest[0] == "/":
            i = 1
            while i < len(rest) and rest[i] != "/":
                i += 2 if rest[i] == "\\" else 1
            if i >= len(rest):
                raise ScriptError("line %d: unterminated /regex/" % lineno)
            try:
                regex = re.compile(rest[1:i].replace("\\/", "/").encode(),
                                   re.I)
            except re.error as exc:
                raise ScriptError("line %d: bad regex: %s" % (lineno, exc))
            rest = rest[i + 1:].strip()
        else:
            break
    return Rule(event, conn, nth, regex, parse_actions(rest, lineno))


class Script:
    def __init__(self):
        self.caps = []
        self.hostname = "fakesmtp.test"
        self.greeting = None
        self.lmtp = False
        self.unix = None
        self.idle = 30.0
        self.max_conns = 0
        self.group = 0
        self.allow_violations = False
        self.rules = []
        self.steps = []
        self.tls_cert = None
        self.tls_implicit = False
        self.tls_caps = None
        self.tls_version = None
        self.tls_client_ca = None
        self.cut_data = None
        self.auth_users = {}  # SASL user name -> password (str)
        self.auth_last_user = None
        self.auth_tokens = []  # accepted OAuth2 bearer tokens
        self.auth_required = False
        self.auth_iterations = SCRAM_ITERATIONS
        self.auth_salt = SCRAM_SALT
        self.cram_challenge = None

    @classmethod
    def parse(cls, text):
        s = cls()
        for lineno, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, _, arg = line.partition(" ")
            key = key.lower()
            arg = arg.strip()
            s.directive(key, arg, lineno)
        return s

    def directive(self, key, arg, lineno):
        if key == "cap":
            self.caps.append(arg)
        elif key == "caps":
            self.caps += [w.replace("=", " ") for w in arg.split()]
        elif key == "hostname":
            self.hostname = arg
        elif key == "greeting":
            self.greeting = arg
        elif key == "proto":
            if arg.lower() not in ("smtp", "lmtp"):
                raise ScriptError("line %d: proto smtp|lmtp" % lineno)
            self.lmtp = arg.lower() == "lmtp"
        elif key == "listen":
            kind, _, path = arg.partition(" ")
            if kind != "unix" or not path.strip():
                raise ScriptError("line %d: listen unix PATH" % lineno)
            self.unix = path.strip()
        elif key == "idle":
            self.idle = float(arg)
        elif key == "max-connections":
            self.max_conns = int(arg)
        elif key == "pipeline-group":
            self.group = int(arg)
        elif key == "allow-violations":
            self.allow_violations = True
        elif key == "on":
            self.rules.append(parse_rule(arg, lineno))
        elif key == "tls-cert":
            self.tls_cert = arg
        elif key == "tls-implicit":
            self.tls_implicit = True
        elif key == "tls-caps":
            self.tls_caps = [w.replace("=", " ") for w in arg.split()]
        elif key == "tls-version":
            if arg not in ("1.2", "1.3"):
                raise ScriptError("line %d: tls-version 1.2|1.3" % lineno)
            self.tls_version = arg
        elif key == "tls-client-ca":
            self.tls_client_ca = arg
        elif key == "cut-data":
            self.cut_data = int(arg)
        elif key == "auth-user":
            name, _, pw = arg.partition(" ")
            if not name:
                raise ScriptError("line %d: auth-user NAME [PASSWORD]"
                                  % lineno)
            self.auth_users[name] = pw.strip()
            self.auth_last_user = name
        elif key == "auth-pass":
            if self.auth_last_user is None:
                raise ScriptError("line %d: auth-pass needs an auth-user "
                                  "line before it" % lineno)
            self.auth_users[self.auth_last_user] = arg
        elif key == "auth-token":
            if not arg:
                raise ScriptError("line %d: auth-token TOKEN" % lineno)
            self.auth_tokens.append(arg)
        elif key == "auth-required":
            self.auth_required = True
        elif key == "auth-iterations":
            self.auth_iterations = int(arg)
        elif key == "auth-salt":
            self.auth_salt = arg.encode()
        elif key == "auth-cram-challenge":
            self.cram_challenge = arg
        elif key == "step":
            word, _, sarg = arg.partition(" ")
            if word.lower() not in STEPS:
                raise ScriptError("line %d: unknown step '%s'" % (lineno, word))
            if word.lower() == "expect-re":
                try:
                    re.compile(sarg.encode())
                except re.error as exc:
                    raise ScriptError("line %d: bad regex: %s" % (lineno, exc))
            self.steps.append((word.lower(), sarg, lineno))
        else:
            raise ScriptError("line %d: unknown directive '%s'" % (lineno, key))


def show(data):
    """Printable form of bytes for the log."""
    out = []
    for b in data:
        if b == 13:
            out.append("\\r")
        elif b == 10:
            out.append("\\n")
        elif b == 92:
            out.append("\\\\")
        elif 32 <= b < 127:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


def cert_paths(name, certs):
    """tls-cert NAME -> (certificate file, key file)."""
    base = name if "/" in name else os.path.join(certs or ".", name)
    return base + ".pem", base + "-key.pem"


def tls_context(script, certs):
    """The server's one SSLContext (shared by every connection, so TLS
    session tickets and the session cache work across connections), or
    None without tls-cert.  Raises ScriptError for missing files."""
    if script.tls_cert is None:
        if script.tls_implicit or script.tls_client_ca:
            raise ScriptError("tls-implicit/tls-client-ca need tls-cert")
        return None
    if "/" not in script.tls_cert and not certs:
        raise ScriptError("tls-cert %s: no certificate directory (--certs)"
                          % script.tls_cert)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert, key = cert_paths(script.tls_cert, certs)
    try:
        ctx.load_cert_chain(cert, key)
        if script.tls_client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(
                cert_paths(script.tls_client_ca, certs)[0])
    except (OSError, ssl.SSLError) as exc:
        raise ScriptError("TLS files: %s" % exc)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if script.tls_version == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif script.tls_version == "1.3":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    return ctx


def subject_text(cert):
    """getpeercert() subject -> "CN=x,O=y" (RFC 4514 order: last first)."""
    if not cert:
        return None
    parts = []
    short = {"commonName": "CN", "organizationName": "O",
             "countryName": "C", "organizationalUnitName": "OU"}
    for rdn in reversed(cert.get("subject", ())):
        for k, v in rdn:
            parts.append("%s=%s" % (short.get(k, k), v))
    return ",".join(parts)


# ------------------------------------------------------------ SASL server
# Each mechanism is a generator: mech(conn, rec, first) where first is the
# client's initial response (bytes) or None.  It yields challenges (bytes,
# sent base64 in a 334 reply) and receives the client's decoded answers;
# it returns (ok, reason).  rec is the attempt's summary record.
def text_of(data):
    return data.decode("utf-8", "replace")


def sasl_plain(conn, rec, first):
    """RFC 4616: authzid NUL authcid NUL passwd."""
    if first is None:
        first = yield b""
    parts = first.split(b"\0")
    if len(parts) != 3:
        return False, "malformed PLAIN message"
    rec["authzid"] = text_of(parts[0]) or None
    rec["user"] = text_of(parts[1])
    return conn.check_password(text_of(parts[1]), text_of(parts[2]))


def sasl_login(conn, rec, first):
    """The LOGIN mechanism: "Username:" and "Password:" challenges (an
    initial response is the user name)."""
    user = first
    if user is None:
        user = yield b"Username:"
    rec["user"] = text_of(user)
    password = yield b"Password:"
    return conn.check_password(text_of(user), text_of(password))


def sasl_cram_md5(conn, rec, first):
    """RFC 2195: "user HEX(HMAC-MD5(password, challenge))"."""
    if first is not None:
        return False, "CRAM-MD5 takes no initial response"
    chal = (conn.script.cram_challenge or
            CRAM_CHALLENGE % conn.script.hostname).encode()
    answer = yield chal
    user, _, digest = text_of(answer).rpartition(" ")
    rec["user"] = user
    want = conn.script.auth_users.get(user)
    if want is None:
        return False, "unknown user %r" % user
    good = hmac.new(want.encode(), chal, hashlib.md5).hexdigest()
    if not hmac.compare_digest(good, digest.lower()):
        return False, "wrong CRAM-MD5 digest for %r" % user
    return True, ""


def scram_attrs(text):
    """"a=1,b=2" -> [(name, value)]; raises ValueError."""
    out = []
    for part in text.split(","):
        if len(part) < 2 or part[1] != "=":
            raise ValueError("bad attribute %r" % part)
        out.append((part[0], part[2:]))
    return out


def scram_name(value):
    """RFC 5802 saslname: =2C is ',' and =3D is '='."""
    return value.replace("=2C", ",").replace("=3D", "=")


def sasl_scram(conn, rec, first, mech):
    """RFC 5802 / RFC 7677 server side; -PLUS checks tls-unique."""
    plus = mech.endswith("-PLUS")
    algo = SCRAM_HASHES[mech[:-5] if plus else mech]
    if first is None:
        first = yield b""
    try:
        cbflag, authz, bare = text_of(first).split(",", 2)
        attrs = scram_attrs(bare)
    except ValueError as exc:
        return False, "malformed client-first-message (%s)" % exc
    if not attrs or attrs[0][0] != "n" or len(attrs) < 2 or \
            attrs[1][0] != "r":
        return False, "client-first-message must start n=...,r=..."
    rec["user"] = user = scram_name(attrs[0][1])
    rec["authzid"] = scram_name(authz[2:]) if authz.startswith("a=") \
        else None
    rec["channel_binding"] = cbflag
    cbdata = b""
    if plus and not conn.plus_ok():
        return False, "%s outside TLS 1.2 (no tls-unique here)" % mech
    if plus:
        if cbflag != "p=tls-unique":
            return False, "%s needs p=tls-unique (got %r)" % (mech, cbflag)
        cbdata = conn.tls.get_channel_binding("tls-unique") or b""
    elif cbflag.startswith("p="):
        return False, "channel binding asked for with %s" % mech
    elif cbflag == "y" and (mech + "-PLUS") in (conn.auth_offered() or []):
        return False, "'y' flag but %s-PLUS was offered (downgrade)" % mech
    elif cbflag not in ("n", "y"):
        return False, "bad gs2 channel binding flag %r" % cbflag
    nonce = attrs[1][1] + base64.b64encode(os.urandom(18)).decode()
    salt = conn.script.auth_salt
    iters = conn.script.auth_iterations
    server_first = "r=%s,s=%s,i=%d" % (
        nonce, base64.b64encode(salt).decode(), iters)
    final = text_of((yield server_first.encode()))
    i = final.rfind(",p=")
    if i < 0:
        return False, "client-final-message without proof"
    try:
        fattrs = scram_attrs(final[:i])
        proof = base64.b64decode(final[i + 3:], validate=True)
        cb = base64.b64decode(dict(fattrs).get("c", ""), validate=True)
    except (ValueError, binascii.Error) as exc:
        return False, "malformed client-final-message (%s)" % exc
    if dict(fattrs).get("r") != nonce:
        return False, "nonce mismatch"
    if cb != (cbflag + "," + authz + ",").encode() + cbdata:
        return False, "channel binding data mismatch"
    password = conn.script.auth_users.get(user)
    if password is None:
        return False, "unknown user %r" % user
    msg = ("%s,%s,%s" % (bare, server_first, final[:i])).encode()
    h = getattr(hashlib, algo)
    salted = hashlib.pbkdf2_hmac(algo, password.encode(), salt, iters)
    client_key = hmac.new(salted, b"Client Key", algo).digest()
    stored = h(client_key).digest()
    sig = hmac.new(stored, msg, algo).digest()
    if len(proof) != len(sig) or h(bytes(
            a ^ b for a, b in zip(proof, sig))).digest() != stored:
        return False, "wrong password for %r (bad proof)" % user
    server_key = hmac.new(salted, b"Server Key", algo).digest()
    verifier = base64.b64encode(hmac.new(server_key, msg, algo).digest())
    ack = yield b"v=" + verifier
    if ack:
        return False, "non-empty answer to server-final-message"
    return True, ""


def sasl_external(conn, rec, first):
    """RFC 4422 EXTERNAL: accepted when a client certificate was shown."""
    if first is None:
        first = yield b""
    rec["authzid"] = text_of(first) or None
    cert = conn.facts.get("client_cert") if conn.facts else None
    rec["user"] = cert
    if not cert:
        return False, "EXTERNAL without a client certificate"
    return True, ""


def bearer_check(conn, rec, user, token, error_json):
    """Shared end of XOAUTH2/OAUTHBEARER; on a bad token the error JSON
    goes out as a 334 and the client's acknowledgement is recorded."""
    rec["user"] = user
    rec["token"] = token
    if token is not None and token in conn.script.auth_tokens:
        return True, ""
    ack = yield error_json
    rec["error_ack"] = "empty" if ack == b"" else show(ack)
    return False, "bad bearer token" if token else "no bearer token"


def sasl_xoauth2(conn, rec, first):
    """Google/Microsoft XOAUTH2: user=U^Aauth=Bearer T^A^A."""
    if first is None:
        first = yield b""
    fields = dict(f.split("=", 1) for f in text_of(first).split("\x01")
                  if "=" in f)
    auth = fields.get("auth", "")
    token = auth[7:] if auth.startswith("Bearer ") else None
    err = b'{"status":"401","schemes":"Bearer",' \
        b'"scope":"https://mail.google.com/"}'
    return (yield from bearer_check(conn, rec, fields.get("user"), token,
                                    err))


def sasl_oauthbearer(conn, rec, first):
    """RFC 7628: gs2 header, then ^A-separated key=value pairs."""
    if first is None:
        first = yield b""
    parts = text_of(first).split("\x01")
    gs2 = parts[0].split(",")
    user = gs2[1][2:] if len(gs2) > 1 and gs2[1].startswith("a=") else None
    fields = dict(f.split("=", 1) for f in parts[1:] if "=" in f)
    auth = fields.get("auth", "")
    token = auth[7:] if auth[:7].lower() == "bearer " else None
    err = b'{"status":"invalid_token","scope":"mail",' \
        b'"openid-configuration":"https://fakesmtp.test/.well-known/' \
        b'openid-configuration"}'
    return (yield from bearer_check(conn, rec, user, token, err))


SASL_MECHS = {
    "PLAIN": sasl_plain,
    "LOGIN": sasl_login,
    "CRAM-MD5": sasl_cram_md5,
    "EXTERNAL": sasl_external,
    "XOAUTH2": sasl_xoauth2,
    "OAUTHBEARER": sasl_oauthbearer,
}
for _m in ("SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS",
           "SCRAM-SHA-256-PLUS"):
    SASL_MECHS[_m] = (lambda m: lambda conn, rec, first:
                      sasl_scram(conn, rec, first, m))(_m)


class Server:
    def __init__(self, script, record, timeout, max_conns, quiet,
                 ctx=None):
        self.script = script
        self.ctx = ctx
        self.tls = []
        self.current = None
        if ctx is not None:
            ctx.sni_callback = self.on_sni
        self.record = record
        self.deadline = time.monotonic() + timeout
        self.max_conns = max_conns
        self.quiet = quiet
        self.stop_at = None
        self.nconn = 0
        self.violations = []
        self.messages = []
        self.commands = []
        self.auth = []  # per connection: a list of AUTH attempt records
        os.makedirs(record, exist_ok=True)
        self.log = open(os.path.join(record, "server.log"), "a")

    def stop(self, *_):
        if self.stop_at is None:
            self.stop_at = time.monotonic() + STOP_GRACE

    def limit(self):
        """The moment every wait must end by."""
        t = self.deadline
        if self.stop_at is not None:
            t = min(t, self.stop_at)
        return t

    def logline(self, text):
        self.log.write(text + "\n")
        self.log.flush()

    def violation(self, conn, text):
        if self.script.allow_violations:
            self.logline("[conn %d] note: %s" % (conn.n, text))
            return
        self.violations.append("conn %d: %s" % (conn.n, text))
        self.logline("[conn %d] VIOLATION: %s" % (conn.n, text))

    def write_summary(self):
        tmp = os.path.join(self.record, "summary.json.tmp")
        with open(tmp, "w") as f:
            json.dump({"connections": self.nconn,
                       "violations": self.violations,
                       "messages": self.messages,
                       "commands": self.commands,
                       "tls": self.tls,
                       "auth": self.auth}, f, indent=1)
        os.replace(tmp, os.path.join(self.record, "summary.json"))

    def serve(self, lsock):
        lsock.settimeout(0.05)
        self.write_summary()
        while time.monotonic() < self.deadline:
            if self.max_conns and self.nconn >= self.max_conns:
                break
            if self.stop_at is not None:
                # Take connections already queued, then stop.
                lsock.setblocking(False)
            try:
                sock, _ = lsock.accept()
            except (socket.timeout, BlockingIOError):
                if self.stop_at is not None:
                    break
                continue
            except InterruptedError:
                continue
            self.handle(sock)
        self.write_summary()

    def on_sni(self, _obj, name, _ctx):
        if self.current is not None and self.current.facts is not None:
            self.current.facts["sni"] = name
        return None

    def handle(self, sock):
        self.nconn += 1
        self.commands.append([])
        self.tls.append(None)
        self.auth.append([])
        conn = Conn(self, sock, self.nconn)
        self.current = conn
        try:
            conn.run()
        finally:
            conn.finish()
            self.current = None
            self.write_summary()


class Conn:
    def __init__(self, server, sock, n):
        self.srv = server
        self.script = server.script
        self.sock = sock
        self.n = n
        self.buf = bytearray()
        self.eof = False
        self.wclosed = False
        rec = server.record
        self.fin = open(os.path.join(rec, "conn-%d.in" % n), "wb")
        self.fout = open(os.path.join(rec, "conn-%d.out" % n), "wb")
        self.counts = {}
        self.msgno = 0
        self.reset()
        self.idle_deadline = None
        self.tls = None  # ssl.SSLObject over memory BIOs once TLS runs
        self.inbio = self.outbio = None
        self.facts = None  # this connection's entry in the summary's "tls"
        self.need_ehlo = False  # after STARTTLS, until the new EHLO
        self.last_sent = b""
        self.authed = False  # a successful AUTH in this session
        sock.setblocking(False)

    def reset(self):
        self.mail = False
        self.size = None
        self.rcpts = []
        self.bdat = bytearray()

    def log(self, text):
        self.srv.logline("[conn %d] %s" % (self.n, text))

    # ------------------------------------------------------------ input
    def raw_recv(self, wait):
        """One recv(2) from the socket, waiting up to `wait` seconds.
        Returns the bytes, b"" at end of input, None on timeout."""
        end = min(time.monotonic() + wait, self.srv.limit())
        while True:
            left = max(0.0, end - time.monotonic())
            try:
                r, _, _ = select.select([self.sock], [], [], left)
            except InterruptedError:
                r = []
            if r:
                break
            if time.monotonic() >= end:
                return None
        try:
            return self.sock.recv(RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError as exc:
            self.log("recv error: %s" % exc)
            return b""

    def tls_read(self, wait):
        """Decrypted bytes (as raw_recv) through the TLS session."""
        end = min(time.monotonic() + wait, self.srv.limit())
        while True:
            try:
                data = self.tls.read(RECV_SIZE)
                self.tls_flush()
                if not data:
                    self.facts.setdefault("client_close", "eof")
                return data
            except ssl.SSLWantReadError:
                self.tls_flush()
            except ssl.SSLZeroReturnError:
                self.facts.setdefault("client_close", "close_notify")
                self.log("TLS: client sent close_notify")
                return b""
            except (ssl.SSLError, ConnClosed) as exc:
                if isinstance(exc, ssl.SSLEOFError):
                    self.facts.setdefault("client_close", "eof")
                else:
                    self.facts.setdefault("client_close", "error: %s" % exc)
                self.log("TLS: %s" % exc)
                return b""
            raw = self.raw_recv(max(0.0, end - time.monotonic()))
            if raw is None:
                return None
            if raw:
                self.inbio.write(raw)
            else:
                self.inbio.write_eof()

    def fill(self, wait):
        """Receive once; wait up to `wait` seconds (0: poll).  False on
        timeout or end of input."""
        if self.eof:
            return False
        if self.tls is None:
            data = self.raw_recv(wait)
        else:
            data = self.tls_read(wait)
        if data is None:
            return False
        if data and self.facts is not None and self.tls is None and \
                data[0] in TLS_RECORD_BYTES:
            # TLS records after a failed handshake (the client may think
            # it succeeded): not plaintext, so not part of conn-N.in.
            self.log("ignoring %d bytes of TLS records after the failed "
                     "handshake" % len(data))
            return True
        if not data:
            self.eof = True
            self.log("client closed the connection")
            return False
        self.fin.write(data)
        self.fin.flush()
        self.log("recv %d bytes" % len(data))
        self.buf += data
        return True

    def wait_input(self):
        """Block for more input, bounded by idle time and the limits."""
        if self.eof:
            raise ConnClosed()
        if not self.fill(self.script.idle):
            if not self.eof:
                self.log("giving up waiting for the client")
            raise ConnClosed()

    def readline(self):
        while b"\n" not in self.buf:
            self.wait_input()
        i = self.buf.index(b"\n") + 1
        line = bytes(self.buf[:i])
        del self.buf[:i]
        return line

    def readn(self, n):
        while len(self.buf) < n:
            self.wait_input()
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def drain(self):
        """Record whatever the client still sends, until it closes (or
        falls silent, or the server must stop)."""
        last = time.monotonic()
        while not self.eof:
            now = time.monotonic()
            if now >= self.srv.limit() or now - last > self.script.idle:
                break
            if self.fill(0.2):
                last = time.monotonic()
        while not self.eof and self.fill(0):
            pass
        self.buf.clear()

    # ----------------------------------------------------------- output
    def send(self, data):
        if self.wclosed:
            raise ConnClosed()
        self.last_sent = data
        self.fout.write(data)
        self.fout.flush()
        lines = data.split(b"\r\n")
        if lines[-1] == b"":
            lines.pop()
        for line in lines:
            self.log("S: " + show(line))
        if self.tls is None:
            self.raw_send(data)
            return
        try:
            self.tls.write(data)
        except ssl.SSLError as exc:
            self.log("TLS write error: %s" % exc)
            self.wclosed = True
            raise ConnClosed()
        self.tls_flush()

    def tls_flush(self):
        """Send what the TLS layer has produced (records, alerts)."""
        out = self.outbio.read()
        if out:
            self.raw_send(out)

    def raw_send(self, data):
        view = memoryview(data)
        while view:
            try:
                _, w, _ = select.select([], [self.sock], [], 1.0)
                if not w:
                    if time.monotonic() >= self.srv.limit():
                        raise ConnClosed()
                    continue
                k = self.sock.send(view)
                view = view[k:]
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as exc:
                self.log("send error: %s" % exc)
                self.wclosed = True
                raise ConnClosed()

    def close_write(self, notify=True):
        """FIN to the client; under TLS a close_notify first unless
        notify is false (a cut connection)."""
        if not self.wclosed and self.tls is not None and notify:
            self.log("TLS: sending close_notify")
            try:
                self.tls.unwrap()
            except (ssl.SSLError, ValueError):
                pass
            try:
                self.tls_flush()
            except ConnClosed:
                pass
        if not self.wclosed:
            self.log("dropping the connection%s" % (
                "" if notify or self.tls is None else " (no close_notify)"))
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            self.wclosed = True

    # ---------------------------------------------------------- actions
    def stall(self, seconds):
        self.log("stalling %s s" % seconds)
        end = time.monotonic() + seconds
        while time.monotonic() < min(end, self.srv.limit()):
            if self.srv.stop_at is not None:
                break
            time.sleep(0.02)

    def endless(self):
        self.log("sending endless continuation lines")
        chunk = ENDLESS_LINE * ENDLESS_BATCH
        while time.monotonic() < self.srv.limit():
            try:
                r, w, _ = select.select([self.sock], [self.sock], [], 0.5)
            except InterruptedError:
                continue
            if r and not self.fill(0):
                if self.eof:
                    break
            if w and self.tls is not None:
                try:
                    self.tls.write(chunk)
                    self.tls_flush()
                except (ssl.SSLError, ConnClosed):
                    break
            elif w:
                try:
                    self.sock.send(chunk)
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError as exc:
                    self.log("send error: %s" % exc)
                    break
        self.wclosed = True
        raise ConnClosed()

    def do_actions(self, actions, default):
        """Run a rule's actions; return the reply bytes sent (for state)."""
        sent = b""
        replied = False
        for word, arg in actions:
            if word == "stall":
                self.stall(float(arg))
            elif word == "hang":
                self.stall(1e9)
            elif word == "reply":
                sent = reply_bytes(arg)
                self.send(sent)
            elif word == "raw":
                sent = unescape(arg)
                self.send(sent)
            elif word == "close":
                self.close_write()
                raise ConnClosed()
            elif word == "cut":
                self.close_write(notify=False)
                raise ConnClosed()
            elif word == "longline":
                n = max(int(float(arg)), 6)
                sent = b"250 " + b"x" * (n - 6) + b"\r\n"
                self.send(sent)
            elif word == "garbage":
                sent = b"\x01\xffgarbage: this is not SMTP\r\n"
                self.send(sent)
            elif word == "endless":
                self.endless()
            elif word == "challenge-garbage":
                sent = GARBAGE_CHALLENGE
                self.send(sent)
            elif word == "challenge-huge":
                n = max(int(float(arg)), 1)
                blob = bytes(i % 251 for i in range(n))
                sent = b"334 " + base64.b64encode(blob) + b"\r\n"
                self.send(sent)
            replied = replied or word in REPLYING
        if not replied:
            sent = default
            self.send(sent)
        return sent

    def find_rule(self, event, cmd):
        self.counts[event] = self.counts.get(event, 0) + 1
        for r in self.script.rules:
            if r.event != event and r.event != "any":
                continue
            if r.event == "any" and event in ("lmtp-rcpt", "greeting"):
                continue
            if r.conn is not None and r.conn != self.n:
                continue
            if r.nth is not None and r.nth != self.counts[event]:
                continue
            if r.regex is not None and not r.regex.search(cmd or b""):
                continue
            return r
        return None

    def respond(self, event, cmd, default):
        """Reply to an event: a matching rule, else the default.  Returns
        the reply code sent (0 when none could be parsed)."""
        self.check_unpipelined(event, cmd)
        rule = self.find_rule(event, cmd)
        if rule is None:
            sent = default
            self.send(sent)
        else:
            sent = self.do_actions(rule.actions, default)
        m = re.match(rb"(\d{3})", sent)
        return int(m.group(1)) if m else 0

    # ------------------------------------------------------- pipelining
    def caps(self):
        """The EHLO capabilities now: after TLS tls-caps (default: caps
        without STARTTLS)."""
        if self.tls is None:
            caps = self.script.caps
        elif self.script.tls_caps is not None:
            caps = self.script.tls_caps
        else:
            caps = [c for c in self.script.caps
                    if c.upper().split(" ")[0] != "STARTTLS"]
        return [self.auth_cap(c) for c in caps]

    def auth_cap(self, cap):
        """An AUTH capability line without the -PLUS mechanisms when the
        server cannot check their channel binding: it can only over TLS 1.2
        (tls-unique; Python's ssl has no tls-exporter for TLS 1.3)."""
        words = cap.split(" ")
        if words[0].upper() != "AUTH" or self.plus_ok():
            return cap
        return " ".join(w for w in words if not w.upper().endswith("-PLUS"))

    def plus_ok(self):
        return self.tls is not None and self.tls.version() == "TLSv1.2"

    def auth_offered(self):
        """The SASL mechanisms the AUTH capability offers now (upper
        case), or None when AUTH is not offered."""
        for c in self.caps():
            words = c.upper().split(" ")
            if words[0] == "AUTH":
                return [w for w in words[1:] if w]
            if words[0].startswith("AUTH="):  # the old "AUTH=X Y" form
                return [w for w in [words[0][5:]] + words[1:] if w]
        return None

    def offered(self, word):
        return any(c.upper().split(" ")[0] == word for c in self.caps())

    def check_unpipelined(self, event, cmd):
        """Bytes already buffered when a reply is due were sent before the
        client could see that reply.  Allowed: PIPELINING groups (not past
        EHLO/HELO/LHLO/DATA), QUIT right after the end of the data, and the
        BDAT payload."""
        if event in ("greeting", "lmtp-rcpt", "quit"):
            return
        self.fill(0)
        if not self.buf:
            return
        nxt = bytes(self.buf[:40])
        if event == "dot" and self.buf.upper().startswith(b"QUIT\r\n") \
                and len(self.buf) == 6:
            return
        pipelining = self.offered("PIPELINING")
        if pipelining and event not in ("ehlo", "helo", "lhlo", "data",
                                        "starttls"):
            return
        if event == "dot" and self.script.lmtp:
            return
        self.srv.violation(self, "client sent '%s' before the reply to '%s'"
                           % (show(nxt), show((cmd or b"").rstrip())))

    def check_group(self, cmd):
        need = self.script.group
        if not need:
            return
        end = time.monotonic() + PIPELINE_WAIT
        while self.buf.count(b"\n") + 1 < need and time.monotonic() < end:
            self.fill(end - time.monotonic())
        have = self.buf.count(b"\n") + 1
        if have < need:
            self.srv.violation(self, "MAIL sent in a group of %d lines, "
                               "expected %d (not pipelined)" % (have, need))

    # ------------------------------------------------------------- data
    def read_data(self):
        """Read DATA content up to CRLF.CRLF; return the message."""
        msg = bytearray()
        bad = set()
        while True:
            line = self.readline()
            if line == b".\r\n":
                break
            body = line[:-2] if line.endswith(b"\r\n") else line[:-1]
            if not line.endswith(b"\r\n"):
                bad.add("a line ended by a bare LF")
            if b"\r" in body:
                bad.add("a bare CR inside a line")
            if body.startswith(b"."):
                if not body.startswith(b".."):
                    bad.add("a line starting with an unstuffed '.'")
                line = line[1:]
            msg += line
            if self.script.cut_data is not None and \
                    len(msg) >= self.script.cut_data:
                self.log("cut-data: dropping the connection after %d bytes "
                         "of data" % len(msg))
                self.close_write(notify=False)
                raise ConnClosed()
        for b in sorted(bad):
            self.srv.violation(self, "DATA contains " + b)
        self.log("end of data (%d bytes)" % len(msg))
        return bytes(msg)

    def store_message(self, msg):
        self.msgno += 1
        name = "conn-%d.msg-%d" % (self.n, self.msgno)
        with open(os.path.join(self.srv.record, name), "wb") as f:
            f.write(msg)
        self.srv.messages.append(name)
        if self.size is not None and self.size != len(msg):
            self.srv.violation(self, "MAIL SIZE=%d but the message has %d "
                               "bytes" % (self.size, len(msg)))
        if msg and not msg.endswith(b"\r\n"):
            self.srv.violation(self, "message does not end with CRLF")

    def end_of_message(self, cmd, msg):
        """Final dot or BDAT LAST: reply (once, or per LMTP recipient)."""
        self.store_message(msg)
        if not self.script.lmtp:
            self.respond("dot", cmd, b"250 2.0.0 Ok: queued as FAKE%d\r\n"
                         % self.msgno)
        else:
            self.check_unpipelined("dot", cmd)
            rule = self.find_rule("dot", cmd)
            if rule is not None:  # e.g. "on dot close" or a stall first
                self.do_actions(rule.actions, b"")
            for rc in self.rcpts:
                m = re.search(rb"<([^>]*)>", rc)
                who = m.group(1) if m else b""
                self.respond("lmtp-rcpt", rc,
                             b"250 2.1.5 <%s> delivered\r\n" % who)
        self.reset()

    # ---------------------------------------------------------- commands
    def command(self, line):
        cmd = line.rstrip(b"\r\n")
        self.log("C: " + show(cmd))
        self.srv.commands[-1].append(show(cmd))
        if not line.endswith(b"\r\n"):
            self.srv.violation(self, "command not ended by CRLF: "
                               + show(cmd))
        verb = cmd.split(b" ", 1)[0].split(b":", 1)[0].upper()
        if self.need_ehlo and verb not in BEFORE_EHLO_OK:
            self.srv.violation(self, "%s before EHLO after STARTTLS"
                               % show(verb[:20]))
        if verb in (b"EHLO", b"HELO", b"LHLO"):
            self.need_ehlo = False
        handler = {
            b"EHLO": self.on_ehlo, b"LHLO": self.on_ehlo,
            b"HELO": self.on_helo, b"MAIL": self.on_mail,
            b"RCPT": self.on_rcpt, b"DATA": self.on_data,
            b"BDAT": self.on_bdat, b"QUIT": self.on_quit,
            b"RSET": self.on_rset, b"NOOP": self.on_noop,
            b"STARTTLS": self.on_starttls, b"AUTH": self.on_auth,
        }.get(verb, self.on_other)
        handler(cmd)

    def on_ehlo(self, cmd):
        verb = cmd[:4].upper()
        if (verb == b"LHLO") != self.script.lmtp:
            self.srv.violation(self, "%s in %s mode" % (
                show(verb), "LMTP" if self.script.lmtp else "SMTP"))
        lines = [self.script.hostname] + self.caps()
        default = b"".join(
            b"250%s%s\r\n" % (b" " if i == len(lines) - 1 else b"-",
                              l.encode())
            for i, l in enumerate(lines))
        self.reset()
        self.respond(verb.decode().lower(), cmd, default)

    def on_helo(self, cmd):
        self.reset()
        self.respond("helo", cmd, b"250 %s\r\n" % self.script.hostname.encode())

    def on_mail(self, cmd):
        self.check_group(cmd)
        if self.script.auth_required and not self.authed:
            default = b"530 5.7.0 Authentication required\r\n"
        elif self.mail:
            default = b"503 5.5.1 nested MAIL command\r\n"
        else:
            default = b"250 2.1.0 Ok\r\n"
        code = self.respond("mail", cmd, default)
        if 200 <= code < 300 and not self.mail:
            self.mail = True
            m = re.search(rb"\sSIZE=(\d+)", cmd, re.I)
            self.size = int(m.group(1)) if m else None

    def on_rcpt(self, cmd):
        if not self.mail:
            default = b"503 5.5.1 need MAIL command\r\n"
        else:
            default = b"250 2.1.5 Ok\r\n"
        code = self.respond("rcpt", cmd, default)
        if 200 <= code < 300 and self.mail:
            self.rcpts.append(cmd)

    def on_data(self, cmd):
        if not self.mail:
            default = b"503 5.5.1 need MAIL command\r\n"
        elif not self.rcpts:
            default = b"554 5.5.1 no valid recipients\r\n"
        else:
            default = b"354 End data with <CR><LF>.<CR><LF>\r\n"
        code = self.respond("data", cmd, default)
        if code == 354:
            self.end_of_message(cmd, self.read_data())

    def on_bdat(self, cmd):
        m = re.match(rb"BDAT (\d+)( LAST)?$", cmd, re.I)
        if not m:
            self.srv.violation(self, "malformed BDAT: " + show(cmd))
            self.respond("other", cmd, b"501 5.5.4 syntax error\r\n")
            return
        if not self.offered("CHUNKING"):
            self.srv.violation(self, "BDAT sent but CHUNKING not offered")
        chunk = self.readn(int(m.group(1)))
        self.log("BDAT chunk of %d bytes" % len(chunk))
        if not self.mail:
            self.respond("bdat", cmd, b"503 5.5.1 need MAIL command\r\n")
            return
        if not self.rcpts:
            self.respond("bdat", cmd, b"554 5.5.1 no valid recipients\r\n")
            self.reset()
            return
        self.bdat += chunk
        if m.group(2):
            self.end_of_message(cmd, bytes(self.bdat))
        else:
            self.respond("bdat", cmd, b"250 2.0.0 %d octets received\r\n"
                         % len(chunk))

    def on_quit(self, cmd):
        code = self.respond("quit", cmd, b"221 2.0.0 Bye\r\n")
        if code == 221:
            self.close_write()
            raise ConnClosed()

    def on_rset(self, cmd):
        self.reset()
        self.respond("rset", cmd, b"250 2.0.0 Ok\r\n")

    def on_noop(self, cmd):
        self.respond("noop", cmd, b"250 2.0.0 Ok\r\n")

    def on_starttls(self, cmd):
        if self.tls is not None:
            self.srv.violation(self, "STARTTLS inside TLS")
            self.respond("starttls", cmd, b"503 5.5.1 TLS already active\r\n")
            return
        if not self.offered("STARTTLS"):
            self.srv.violation(self, "STARTTLS sent but not offered")
        if self.srv.ctx is None:
            default = b"454 4.7.0 TLS not available\r\n"
        else:
            default = b"220 2.0.0 Ready to start TLS\r\n"
        try:
            code = self.respond("starttls", cmd, default)
        except ConnClosed:
            if self.last_sent.startswith(b"220"):
                # 220 and then closed: what follows is a ClientHello.
                self.new_facts("starttls")["handshake"] = \
                    "failed: the server closed the connection"
            raise
        if code == 220:
            self.start_tls("starttls")
            self.reset()
            self.need_ehlo = True

    # -------------------------------------------------------------- tls
    def start_tls(self, mode):
        """Server side of the TLS handshake; afterwards all I/O goes
        through it.  Raises ConnClosed when it fails."""
        self.new_facts(mode)
        if self.srv.ctx is None:
            self.fail_tls("no tls-cert in the script", b"")
        if self.buf:
            self.log("discarding %d plaintext bytes sent before the TLS "
                     "handshake" % len(self.buf))
            self.buf.clear()
        self.log("--- TLS handshake (%s) ---" % mode)
        self.inbio, self.outbio = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = self.srv.ctx.wrap_bio(self.inbio, self.outbio,
                                    server_side=True)
        raw = bytearray()
        end = time.monotonic() + self.script.idle
        while True:
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLError as exc:
                self.flush_bio()
                self.fail_tls(str(exc), raw)
            self.flush_bio()
            data = self.raw_recv(max(0.0, end - time.monotonic()))
            if data is None:
                self.fail_tls("timeout", raw)
            if data:
                raw += data
                self.inbio.write(data)
            else:
                self.eof = True
                self.inbio.write_eof()
        self.tls = obj
        self.authed = False  # RFC 3207: forget everything learnt before
        self.tls_flush()
        cert = obj.getpeercert()
        self.facts.update({
            "handshake": "ok", "version": obj.version(),
            "cipher": obj.cipher()[0], "resumed": obj.session_reused,
            "client_cert": subject_text(cert)})
        self.log("--- TLS started: %s %s resumed=%s client_cert=%s ---" % (
            obj.version(), obj.cipher()[0],
            "yes" if obj.session_reused else "no",
            self.facts["client_cert"]))

    def new_facts(self, mode):
        self.facts = {"mode": mode, "handshake": None, "version": None,
                      "cipher": None, "resumed": False, "client_cert": None,
                      "sni": None, "plain_in": self.fin.tell(),
                      "plain_out": self.fout.tell()}
        self.srv.tls[self.n - 1] = self.facts
        return self.facts

    def flush_bio(self):
        out = self.outbio.read()
        if out:
            try:
                self.raw_send(out)
            except ConnClosed:
                pass

    def fail_tls(self, why, raw):
        self.facts["handshake"] = "failed: " + why
        self.log("--- TLS handshake failed: %s ---" % why)
        if raw and raw[0] != TLS_HANDSHAKE_BYTE:
            # Not TLS at all: plaintext the client sent instead.
            self.log("the client sent %d non-TLS bytes: %s"
                     % (len(raw), show(bytes(raw[:80]))))
            self.fin.write(raw)
            self.fin.flush()
        raise ConnClosed()


    # ------------------------------------------------------------- auth
    def on_auth(self, cmd):
        """AUTH (RFC 4954): a matching rule's reply, else the server side
        of the mechanism (see SASL_MECHS), then 235 or 535 5.7.8."""
        self.fill(0)
        after = bytes(self.buf)
        words = cmd.split(b" ")
        mech = words[1].decode("ascii", "replace").upper() \
            if len(words) > 1 else ""
        ir = words[2] if len(words) > 2 else None
        rec = {"mechanism": mech, "initial_response": ir is not None,
               "pipelined": bool(after),
               "pipelined_with": [show(l.rstrip(b"\r"))
                                  for l in after.split(b"\n")
                                  if l.strip()][:PIPELINED_KEEP],
               "result": "aborted", "user": None, "authzid": None,
               "channel_binding": None, "error_ack": None, "token": None}
        self.srv.auth[self.n - 1].append(rec)
        if after and (ir is None or not self.offered("PIPELINING")):
            self.srv.violation(self, "client sent '%s' before the reply to "
                               "'%s'" % (show(after[:40]), show(cmd[:40])))
        offered = self.auth_offered()
        if offered is None:
            self.srv.violation(self, "AUTH sent but not offered")
        elif mech not in offered:
            self.srv.violation(self, "AUTH %s sent but only %s offered"
                               % (mech, " ".join(offered)))
        if self.authed or self.mail:
            self.srv.violation(self, "AUTH %s" % (
                "after a successful AUTH" if self.authed
                else "inside a mail transaction"))
            rec["result"] = "refused: 503"
            self.send(b"503 5.5.1 AUTH not allowed now\r\n")
            return
        rule = self.find_rule("auth", cmd)
        if rule is not None:
            self.auth_rule(rec, rule)
            return
        if mech not in SASL_MECHS:
            rec["result"] = "refused: 504"
            self.send(b"504 5.5.4 unrecognized authentication type\r\n")
            return
        first = None
        if ir is not None:
            first = self.sasl_decode(ir, rec)
            if first is None:
                return
        self.sasl_run(rec, SASL_MECHS[mech](self, rec, first))

    def auth_rule(self, rec, rule):
        """An "on AUTH" rule: its reply; a 334 (e.g. challenge-garbage)
        waits for the client's answer: "*" gets 501, QUIT is QUIT, anything
        else 535."""
        sent = self.do_actions(rule.actions, b"")
        m = re.match(rb"(\d{3})", sent)
        code = int(m.group(1)) if m else 0
        if code != 334:
            rec["result"] = "refused: %d" % code if code else "refused"
            return
        rec["result"] = "challenged"
        line = self.readline()
        data = line.rstrip(b"\r\n")
        self.log("C: " + show(data))
        self.srv.commands[-1].append(show(data))
        if data == b"*":
            rec["result"] = "cancelled"
            self.send(b"501 5.7.0 Authentication cancelled\r\n")
        elif data.upper() == b"QUIT":
            rec["result"] = "quit"
            self.on_quit(data)
        else:
            rec["result"] = "failed: answered an injected challenge"
            self.send(b"535 5.7.8 Authentication credentials invalid\r\n")

    def sasl_decode(self, data, rec):
        """A client SASL message (base64, "=" empty) -> bytes, or None
        after answering 501 to one that is not base64."""
        if data == b"=":
            return b""
        try:
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            self.srv.violation(self, "SASL data is not base64: '%s'"
                               % show(data[:60]))
            rec["result"] = "failed: not base64"
            self.send(b"501 5.5.2 cannot decode the response\r\n")
            return None

    def sasl_run(self, rec, gen):
        """Drive a mechanism generator: each value it yields goes out as a
        334 challenge, the client's decoded answer is sent back into it;
        its return value (ok, why) decides 235 or 535."""
        try:
            chal = next(gen)
            while True:
                self.send(b"334 " + base64.b64encode(chal) + b"\r\n")
                line = self.readline()
                data = line.rstrip(b"\r\n")
                self.log("C: " + show(data))
                self.srv.commands[-1].append(show(data))
                self.fill(0)
                if self.buf:
                    self.srv.violation(self, "client sent '%s' before the "
                                       "reply to its SASL response"
                                       % show(bytes(self.buf[:40])))
                if data == b"*":
                    rec["result"] = "cancelled"
                    self.send(b"501 5.7.0 Authentication cancelled\r\n")
                    return
                dec = self.sasl_decode(data, rec)
                if dec is None:
                    return
                chal = gen.send(dec)
        except StopIteration as stop:
            ok, why = stop.value
        if ok:
            rec["result"] = "ok"
            self.authed = True
            self.send(b"235 2.7.0 Authentication successful\r\n")
        else:
            rec["result"] = "failed: " + why
            self.log("authentication failed: " + why)
            self.send(b"535 5.7.8 Authentication credentials invalid\r\n")

    def check_password(self, user, password):
        want = self.script.auth_users.get(user)
        if want is None:
            return False, "unknown user %r" % user
        if want != password:
            return False, "wrong password for %r" % user
        return True, ""

    def on_other(self, cmd):
        self.srv.violation(self, "unknown command: " + show(cmd[:60]))
        self.respond("other", cmd, b"500 5.5.2 command unrecognized\r\n")

    # -------------------------------------------------------------- run
    def greeting(self):
        text = self.script.greeting or (
            "220 %s ESMTP fakesmtp" % self.script.hostname)
        self.respond("greeting", None, reply_bytes(text))

    def auto(self):
        while True:
            self.command(self.readline())

    def run(self):
        self.log("connection accepted")
        try:
            if self.script.tls_implicit:
                self.start_tls("implicit")
            if not self.script.steps:
                self.greeting()
                self.auto()
            for word, arg, lineno in self.script.steps:
                self.step(word, arg, lineno)
        except ConnClosed:
            pass

    def step(self, word, arg, lineno):
        if word == "auto":
            self.auto()
        elif word == "tls":
            self.start_tls("starttls")
            self.reset()
        elif word == "send":
            self.send(reply_bytes(arg))
        elif word in ACTIONS:
            self.do_actions([(word, arg)], b"")
        elif word in ("expect", "expect-re"):
            line = self.readline()
            cmd = line.rstrip(b"\r\n")
            self.log("C: " + show(cmd))
            self.srv.commands[-1].append(show(cmd))
            want = arg.encode()
            ok = (cmd == unescape(arg)) if word == "expect" else \
                re.fullmatch(want, cmd) is not None
            if not ok:
                self.srv.violation(self, "script line %d expected %r, got "
                                   "'%s'" % (lineno, arg, show(cmd)))
                self.close_write()
                raise ConnClosed()
        elif word == "auth":
            line = self.readline()
            cmd = line.rstrip(b"\r\n")
            self.log("C: " + show(cmd))
            self.srv.commands[-1].append(show(cmd))
            if cmd[:5].upper() != b"AUTH ":
                self.srv.violation(self, "script line %d expected AUTH, got "
                                   "'%s'" % (lineno, show(cmd)))
                raise ConnClosed()
            self.on_auth(cmd)
        elif word == "data":
            self.store_message(self.read_data())
        elif word == "bdat":
            line = self.readline()
            cmd = line.rstrip(b"\r\n")
            self.log("C: " + show(cmd))
            self.srv.commands[-1].append(show(cmd))
            m = re.match(rb"BDAT (\d+)( LAST)?$", cmd, re.I)
            if not m:
                self.srv.violation(self, "script line %d expected BDAT, got "
                                   "'%s'" % (lineno, show(cmd)))
                raise ConnClosed()
            self.bdat += self.readn(int(m.group(1)))
            if m.group(2):
                self.store_message(bytes(self.bdat))
                self.bdat = bytearray()

    def finish(self):
        try:
            self.drain()
        except ConnClosed:
            pass
        try:
            self.sock.close()
        except OSError:
            pass
        self.fin.close()
        self.fout.close()
        self.log("connection finished")


def listen(args, script):
    if script.unix or args.unix:
        path = script.unix or args.unix
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(8)
        return s, "UNIX " + path, path
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", args.port))
    s.listen(8)
    port = s.getsockname()[1]
    return s, "PORT %d" % port, str(port)


def main():
    ap = argparse.ArgumentParser(description="scriptable fake SMTP server")
    ap.add_argument("--script", help="script file (default: accept all)")
    ap.add_argument("--record", default=".", help="directory for records")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--unix", help="listen on this unix socket path")
    ap.add_argument("--port-file", help="write the port (or path) here")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="overall lifetime in seconds (default 60)")
    ap.add_argument("--max-connections", type=int, default=0)
    ap.add_argument("--caps", default="",
                    help='capabilities for accept-all use, as "caps" takes')
    ap.add_argument("--certs", default=os.environ.get("FAKESMTP_CERTS"),
                    help="directory of the tls-cert/tls-client-ca files")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    text = ""
    if args.script:
        with open(args.script, encoding="utf-8") as f:
            text = f.read()
    try:
        script = Script.parse(text + "\ncaps " + args.caps
                              if args.caps.strip() else text)
        ctx = tls_context(script, args.certs)
    except (ScriptError, ValueError) as exc:
        print("fakesmtp: %s: %s" % (args.script, exc), file=sys.stderr)
        return 2
    srv = Server(script, args.record, args.timeout,
                 script.max_conns or args.max_connections, args.quiet, ctx)
    signal.signal(signal.SIGTERM, srv.stop)
    signal.signal(signal.SIGINT, srv.stop)
    lsock, banner, where = listen(args, script)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(where + "\n")
        os.replace(tmp, args.port_file)
    if not args.quiet:
        print(banner, flush=True)
    try:
        srv.serve(lsock)
    finally:
        lsock.close()
        if script.unix or args.unix:
            try:
                os.unlink(script.unix or args.unix)
            except OSError:
                pass
        srv.write_summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
