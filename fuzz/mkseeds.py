#!/usr/bin/env python3
"""fuzz/mkseeds.py - (re)write the seed corpus fuzz/corpus/NAME/.

Run from the top source directory, then fuzz/corpus-list.sh.  The seeds
are small, meaningful inputs: real rc files (tests/corpus/msmtprc),
real server dialogues, messages, SASL exchanges.  The binary layouts
(control bytes, chunk lengths) are described at the top of each
fuzz/fuzz_NAME.c.
"""
import base64, hashlib, hmac, os, shutil, struct

def put(target, name, data):
    d = os.path.join("fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

CRLF = "\r\n"
def lines(*ls):
    return "".join(l + CRLF for l in ls)

# ---- conf: real msmtprc files and mailhop's own keys
for n in ["001", "010", "026", "029", "032", "045", "058"]:
    with open(f"tests/corpus/msmtprc/{n}.rc", "rb") as f:
        put("conf", f"msmtprc-{n}", f.read())
with open("contrib/mailhoprc.example", "rb") as f:
    put("conf", "mailhoprc-example", f.read())
put("conf", "mailhop-keys", """defaults
queue on
queue_dir ~/.local/state/mailhop/queue
queue_lifetime 5d
queue_retry 5m,1h
qualify_domain example.org
tls_session_cache off
account relay
host b\u00fccher.example
port 587
from %U@%H
domain %H
fallback backup
account backup : relay
host backup.example.org
tls on
tls_starttls off
tls_fingerprint 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33
auth xoauth2
user me@example.org
oauth2_token_endpoint https://login.example.org/token
oauth2_client_id id
oauth2_client_secret s3cret
oauth2_refresh_token rt
account default : relay
""")
put("conf", "errors", "defaults x\naccount\naccount a : nosuch\nport 99999\ntimeout -1\nauth bogus\n")

# ---- addr: address lists as people write them
put("addr", "simple", "a@example.org")
put("addr", "list", "Alice <alice@example.org>, bob@example.net,\r\n\tcarol@x.example")
put("addr", "group", "undisclosed-recipients:;, Team: a@x.org, \"B. Q.\" <b@y.org>;")
put("addr", "comments", "(c (nested)) john . doe @ (x) example . org (end)")
put("addr", "quoted", "\"john doe\"@example.org, \"a\\\"b\"@x.org, <\"x y\"@[192.0.2.1]>")
put("addr", "route", "<@relay.example,@b.example:user@c.example>")
put("addr", "intl", "J\u00f6rg <j\u00f6rg@b\u00fccher.example>, \u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a")
put("addr", "cron", "root, admin@example.org ops@example.org")
put("addr", "empty", ", <>, ,")
put("addr", "bad", "a@b\r\nRCPT TO:<evil@x>")

# ---- reply: real server replies, several per file
put("reply", "greeting", "220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n")
put("reply", "ehlo", lines("250-mx.example.org", "250-PIPELINING", "250-SIZE 10240000",
    "250-VRFY", "250-ETRN", "250-STARTTLS", "250-AUTH PLAIN LOGIN", "250-AUTH=PLAIN LOGIN",
    "250-ENHANCEDSTATUSCODES", "250-8BITMIME", "250-DSN", "250-SMTPUTF8", "250 CHUNKING"))
put("reply", "rejects", lines("550-5.1.1 <x@example.org>: Recipient address rejected:",
    "550 5.1.1 User unknown in virtual mailbox table", "421 4.7.0 mx.example.org Error: too many errors",
    "354 End data with <CR><LF>.<CR><LF>", "334 ", "235 2.7.0 Authentication successful"))
put("reply", "gmail", lines("250-smtp.gmail.com at your service, [192.0.2.7]", "250-SIZE 35882577",
    "250-8BITMIME", "250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH",
    "250-ENHANCEDSTATUSCODES", "250-PIPELINING", "250-CHUNKING", "250 SMTPUTF8"))
put("reply", "malformed", "25\n2500 x\n250-a\n251 b\n250\n999 x\n199 y\n250 a\x00b\n")
put("reply", "bare-lf", "250-a\n250-b\r\n250 c\n")

# ---- dotstuff: control byte (bit 0 BDAT; bits 1-7 piece size), body
def ds(ctl, body):
    return bytes([ctl]) + (body.encode() if isinstance(body, str) else body)
put("dotstuff", "plain", ds(0, "Subject: hi\r\n\r\nhello\r\n"))
put("dotstuff", "dots", ds(2, ".\n..\r\n.x\r.\r\n\n.\n"))
put("dotstuff", "smuggle", ds(6, "a\n.\nb\r.\rc\r\n.\nd\n.\r\ne\r\r\n."))
put("dotstuff", "no-eol", ds(1, "line without end"))
put("dotstuff", "bdat-mixed", ds(9, "x\ry\nz\r\n\r\r\n\n"))
put("dotstuff", "crlf-split", ds(4, "ab\r\ncd\r\n.\r\n"))

# ---- header: control bytes (see fuzz_header.c), message
def hd(f1, f2, msg):
    return bytes([f1, f2]) + (msg.encode() if isinstance(msg, str) else msg)
put("header", "minimal", hd(0x62, 0x00, "To: a@example.org\nSubject: x\n\nbody\n"))
put("header", "full", hd(0x4e, 0x10, lines("From: Sender <s@example.org>", "To: A <a@example.org>,",
    " B <b@example.org>", "Cc: c@example.org", "Bcc: hidden@example.org", "Subject: folded",
    "\tsubject", "Date: Sun, 22 Nov 2026 10:19:00 +0100", "Message-ID: <1@example.org>", "",
    "body", ".", "..dots", "")))
put("header", "resent", hd(0x0a, 0x11, "Resent-From: r@x.org\nResent-To: rt@x.org\nResent-Bcc: rb@x.org\n"
    "From: f@x.org\nTo: t@x.org\nBcc: b@x.org\n\nbody\n"))
put("header", "no-header", hd(0x28, 0x45, "just a body line\nand another\r\n"))
put("header", "dot-end", hd(0x62, 0x00, "To: a@x.org\n\nline\n.\nafter the dot\n"))
put("header", "obs-wsp", hd(0xa6, 0x30, "To : a, b\r\nCC\t: c@x.org\r\nbcc : d\r\nFrom: \"A B\" <ab@x.org>\r\n\r\n"))
put("header", "utf8", hd(0x62, 0xc0, "To: J\u00f6rg <j\u00f6rg@b\u00fccher.example>\nSubject: gr\u00fc\u00dfe\n\nk\u00e4se\n"))
put("header", "bare-cr", hd(0x63, 0x10, b"To: a@x.org\rBcc: b@x.org\r\rbody\rmore\r"))

# ---- smtp: control bytes (see fuzz_smtp.c), server stream
GREET = "220 mx.example.org ESMTP ready"
EHLO_PIPE = ["250-mx.example.org", "250-PIPELINING", "250-SIZE 100000", "250-8BITMIME",
             "250-DSN", "250-ENHANCEDSTATUSCODES", "250 SMTPUTF8"]
EHLO_CHUNK = EHLO_PIPE[:-1] + ["250-CHUNKING", "250 SMTPUTF8"]
OK = "250 2.1.0 Ok"; GO = "354 go ahead"; Q = "250 2.0.0 Ok: queued as 4ABC"
def sm(f0, f1, f2, *ls):
    return bytes([f0, f1, f2]) + lines(*ls).encode()
put("smtp", "plain", sm(0x02, 0x00, 0, GREET, "250-mx.example.org", "250 HELP", OK, OK, GO, Q))
put("smtp", "pipelining", sm(0x04, 0x10, 0, GREET, *EHLO_PIPE, OK, OK, OK, GO, Q))
put("smtp", "chunking", sm(0x00, 0x51, 0x40, GREET, *EHLO_CHUNK, OK, OK, OK, "250 chunk", Q))
put("smtp", "helo-fallback", sm(0x00, 0x00, 0, GREET, "502 5.5.2 EHLO not understood", "250 mx", OK, OK, GO, Q))
put("smtp", "rcpt-refused", sm(0x00, 0x30, 0, GREET, *EHLO_PIPE, OK, OK,
    "550 5.1.1 <c@y.org>: no such user", OK, OK, GO))
put("smtp", "starttls", sm(0x08, 0x00, 0, GREET, "250-mx.example.org", "250-PIPELINING", "250 STARTTLS",
    "220 2.0.0 Ready to start TLS", *EHLO_CHUNK, OK, OK, "250 chunk", Q))
put("smtp", "auth-plain", sm(0x80, 0x00, 0x11, GREET, "250-mx.example.org", "250-PIPELINING",
    "250 AUTH PLAIN LOGIN", "235 2.7.0 ok", OK, OK, GO, Q))
put("smtp", "auth-login", sm(0x82, 0x00, 0x12, GREET, "250-mx.example.org", "250 AUTH LOGIN",
    "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6", "235 2.7.0 ok", OK, OK, GO, Q))
put("smtp", "auth-cram", sm(0x80, 0x00, 0x13, GREET, "250-mx.example.org", "250 AUTH CRAM-MD5",
    "334 " + base64.b64encode(b"<1896.697170952@postoffice.example.net>").decode(),
    "535 5.7.8 Authentication credentials invalid"))
put("smtp", "auth-xoauth2-fail", sm(0x80, 0x00, 0x16, GREET, "250-mx.example.org", "250 AUTH XOAUTH2",
    "334 " + base64.b64encode(b'{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}').decode(),
    "535 5.7.8 Username and Password not accepted"))
put("smtp", "lmtp", sm(0x01, 0x10, 0, "220 lmtp ready", "250-lmtp.example", "250 PIPELINING",
    OK, OK, OK, GO, "250 2.1.5 b delivered", "452 4.2.2 c over quota"))
put("smtp", "batch", sm(0x20, 0x00, 0, GREET, *EHLO_PIPE, OK, OK, GO, Q, OK, OK, OK, GO, Q,
    OK, OK, "550 5.7.1 no", OK))
put("smtp", "serverinfo", sm(0x18, 0x00, 0, GREET, "250-mx.example.org", "250 STARTTLS",
    "220 go", *EHLO_CHUNK))
put("smtp", "421", sm(0x00, 0x00, 0, GREET, "421 4.3.2 shutting down"))
put("smtp", "8bit-no-8bitmime", sm(0x00, 0x03, 0, GREET, "250-mx.example.org", "250 SIZE 100000"))

# ---- sasl: mechanism index, flags, then chunks with a 2-byte length:
# chunk 0 the AUTH list, then challenges (decoded bytes; flag bit 4:
# passed as they are).  The client nonce comes from fuzz_sasl.c's
# deterministic gsasl_nonce().
MECHS = ["PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS",
         "SCRAM-SHA-256-PLUS", "XOAUTH2", "OAUTHBEARER", "DIGEST-MD5", "NTLM", "EXTERNAL"]
def chunks(*cs):
    out = b""
    for c in cs:
        c = c.encode() if isinstance(c, str) else c
        out += struct.pack(">H", len(c)) + c
    return out
def sa(mech, flags, offered, *challenges):
    return bytes([MECHS.index(mech), flags]) + chunks(offered, *challenges)
ALL = "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256"
put("sasl", "plain", sa("PLAIN", 1, ALL))
put("sasl", "login", sa("LOGIN", 1, "LOGIN", "Username:", "Password:"))
put("sasl", "cram-md5", sa("CRAM-MD5", 0, "CRAM-MD5 PLAIN", "<1896.697170952@postoffice.example.net>"))
put("sasl", "xoauth2", sa("XOAUTH2", 1, "XOAUTH2 OAUTHBEARER", '{"status":"400","schemes":"Bearer"}'))
put("sasl", "oauthbearer", sa("OAUTHBEARER", 1, "OAUTHBEARER",
    '{"status":"invalid_token","scope":"example_scope","openid-configuration":"https://x/.well-known"}'))
put("sasl", "digest-md5", sa("DIGEST-MD5", 0, "DIGEST-MD5",
    'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8',
    "rspauth=ea40f60335c427b5527b84dbabcdfffd"))
put("sasl", "ntlm", sa("NTLM", 0, "NTLM", b"NTLMSSP\x00\x02\x00\x00\x00" + bytes(40)))
put("sasl", "raw-b64", sa("PLAIN", 0x11, "PLAIN", "not base64!"))
put("sasl", "external", sa("EXTERNAL", 1, "EXTERNAL"))

# A SCRAM exchange that verifies: the client-first message is what
# libgsasl sends with the deterministic nonce (fuzz_sasl.c).
def scram(mech, hname, cbflag):
    raw = bytes((0x5a + i * 7) & 0xff for i in range(18))
    cnonce = base64.b64encode(raw).decode()
    gs2 = "p=tls-exporter,," if cbflag else "n,,"
    cfb = f"n=user,r={cnonce}"
    snonce = cnonce + "3rfcNHYJY1ZVvWVs7j"
    salt = base64.b64decode("QSXCR+Q6sek8bf92")
    it = 4096
    sfirst = f"r={snonce},s={base64.b64encode(salt).decode()},i={it}"
    pw = "pass\u00e9word".encode()
    salted = hashlib.pbkdf2_hmac(hname, pw, salt, it)
    ck = hmac.new(salted, b"Client Key", hname).digest()
    sk = hmac.new(salted, b"Server Key", hname).digest()
    cbdata = b"tls-exporter-0123456789abcdef012" if cbflag else b""
    cbind = base64.b64encode(gs2.encode() + cbdata).decode()
    cfinal_wo = f"c={cbind},r={snonce}"
    auth = f"{cfb},{sfirst},{cfinal_wo}".encode()
    ssig = hmac.new(sk, auth, hname).digest()
    sfinal = "v=" + base64.b64encode(ssig).decode()
    return sfirst, sfinal
for mech, hname, flags, cbf in [("SCRAM-SHA-1", "sha1", 0, 0), ("SCRAM-SHA-256", "sha256", 1, 0),
                                ("SCRAM-SHA-256-PLUS", "sha256", 3, 1)]:
    sf, sfin = scram(mech, hname, cbf)
    put("sasl", mech.lower(), sa(mech, flags, mech, sf, sfin))
