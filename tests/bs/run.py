#!/usr/bin/env python3
"""tests/bs/run.py - `mailhop -bs` (SMTP on stdin/stdout, issue 6) end to
end: a client talks SMTP to mailhop through pipes, as Symfony Mailer and
Laravel do, and tests/fakesmtp.py on loopback is the smarthost; each check
looks at the replies, the exit code and what the smarthost recorded.
TAP output.  Environment: MAILHOP, top_srcdir; KEEP=1 keeps the temp
directory.  Hermetic (127.0.0.1 only, temp HOME) and bounded (every
process has a timeout).
"""

import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SRCDIR = os.environ.get("top_srcdir") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAILHOP = os.environ.get("MAILHOP") or os.path.join(SRCDIR, "src", "mailhop")
FAKESMTP = os.path.join(SRCDIR, "tests", "fakesmtp.py")
# Every mailhop run and every reply wait is bounded by this.
RUN_TIMEOUT = 60

TMP = tempfile.mkdtemp(prefix="mailhop-bs.")
results = []
cases = []  # every Case, so no server outlives the script


def check(name, ok, diag=""):
    results.append(bool(ok))
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    if not ok and diag:
        for line in str(diag).splitlines():
            print("# " + line)
    sys.stdout.flush()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Case:
    """A fresh directory with its own HOME, rc file and (maybe) server."""

    def __init__(self, name, rc_extra="", script="# accept all",
                 server=True, caps="PIPELINING SIZE=1000000 8BITMIME"):
        self.d = os.path.join(TMP, name)
        os.makedirs(os.path.join(self.d, "home"))
        self.port = free_port()
        self.rec = os.path.join(self.d, "rec")
        self.queue = os.path.join(self.d, "queue")
        rc = os.path.join(self.d, "rc")
        with open(rc, "w") as f:
            f.write("defaults\ntimeout 5\nqueue_dir %s\n"
                    "from alice@example.org\n%s\n"
                    "account default\nhost 127.0.0.1\nport %d\n"
                    % (self.queue, rc_extra, self.port))
        os.chmod(rc, 0o600)
        self.rc = rc
        self.server = None
        cases.append(self)
        if server:
            self.start(script, caps)

    def start(self, script, caps):
        sf = os.path.join(self.d, "script")
        with open(sf, "w") as f:
            f.write(script + "\n")
        pf = os.path.join(self.d, "sport")
        self.server = subprocess.Popen(
            [sys.executable, FAKESMTP, "--record", self.rec, "--port",
             str(self.port), "--port-file", pf, "--timeout", "60",
             "--script", sf, "--caps", caps, "--quiet"])
        for _ in range(100):
            if os.path.exists(pf) and os.path.getsize(pf) > 0:
                break
            time.sleep(0.1)

    def stop(self):
        if self.server:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
            self.server = None

    def env(self):
        e = dict(os.environ)
        h = os.path.join(self.d, "home")
        e.update(HOME=h, XDG_STATE_HOME=h + "/state",
                 XDG_CONFIG_HOME=h + "/config", XDG_CACHE_HOME=h + "/cache",
                 TMPDIR=self.d)
        return e

    def argv(self, extra=()):
        return [MAILHOP, "-C", self.rc, "-bs"] + list(extra)

    def blast(self, data, extra=()):
        """Pipelined client: all input at once; (exit, stdout, stderr)."""
        p = subprocess.Popen(self.argv(extra), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=self.env())
        out, err = p.communicate(data, timeout=RUN_TIMEOUT)
        return p.returncode, out, err

    def session(self, extra=()):
        return Session(self, extra)

    def messages(self):
        files = sorted(glob.glob(os.path.join(self.rec, "conn-*.msg-*")))
        out = []
        for f in files:
            with open(f, "rb") as fh:
                out.append(fh.read())
        return out

    def server_in(self):
        data = b""
        for f in sorted(glob.glob(os.path.join(self.rec, "conn-*.in"))):
            with open(f, "rb") as fh:
                data += fh.read()
        return data

    def queued(self):
        return glob.glob(os.path.join(self.queue, "*.meta"))


class Session:
    """Lock-step client (Symfony's SmtpTransport): command, then reply."""

    def __init__(self, case, extra=()):
        self.p = subprocess.Popen(case.argv(extra), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=case.env())
        self.greeting = self.reply()

    def reply(self):
        lines = []
        deadline = time.time() + RUN_TIMEOUT
        while time.time() < deadline:
            line = self.p.stdout.readline()
            if not line:
                break
            lines.append(line)
            if len(line) < 4 or line[3:4] != b"-":
                break
        return b"".join(lines)

    def cmd(self, line):
        self.p.stdin.write(line + b"\r\n")
        self.p.stdin.flush()
        return self.reply()

    def send_data(self, body):
        self.p.stdin.write(body)
        self.p.stdin.flush()
        return self.reply()

    def finish(self):
        self.p.stdin.close()
        err = self.p.stderr.read()
        rc = self.p.wait(timeout=RUN_TIMEOUT)
        self.p.stdout.close()
        self.p.stderr.close()
        return rc, err


def codes(out):
    """Reply codes in order, one per reply (last line of multi-line)."""
    return [int(l[:3]) for l in out.split(b"\r\n")
            if len(l) >= 4 and l[3:4] == b" "]


MSG = (b"From: App <app@example.com>\r\n"
       b"To: bob@example.net\r\n"
       b"Subject: hello\r\n"
       b"Date: Sun, 22 Nov 2026 10:19:00 +0100\r\n"
       b"Message-ID: <1@example.com>\r\n"
       b"\r\n"
       b"Hello Bob.\r\n")


def t_symfony():
    c = Case("symfony")
    s = c.session()
    check("symfony: greeting", re.match(rb"^220 \S+ ESMTP mailhop\r\n$",
                                        s.greeting), s.greeting)
    ehlo = s.cmd(b"EHLO [127.0.0.1]")
    check("symfony: EHLO lists PIPELINING 8BITMIME SIZE "
          "ENHANCEDSTATUSCODES",
          all(k in ehlo for k in (b"250-PIPELINING\r\n", b"250-8BITMIME\r\n",
                                  b"250-SIZE ", b"250 ENHANCEDSTATUSCODES"))
          and b"AUTH" not in ehlo and b"STARTTLS" not in ehlo, ehlo)
    r1 = s.cmd(b"MAIL FROM:<app@example.com>")
    r2 = s.cmd(b"RCPT TO:<bob@example.net>")
    r3 = s.cmd(b"DATA")
    check("symfony: MAIL 250, RCPT 250, DATA 354",
          r1.startswith(b"250 2.1.0") and r2.startswith(b"250 2.1.5")
          and r3.startswith(b"354 "), r1 + r2 + r3)
    r4 = s.send_data(MSG + b".\r\n")
    check("symfony: 250 after the dot", r4.startswith(b"250 2.0.0"), r4)
    r5 = s.cmd(b"QUIT")
    check("symfony: QUIT 221", r5.startswith(b"221 2.0.0"), r5)
    rc, err = s.finish()
    check("symfony: exit 0, stderr empty", rc == 0 and err == b"",
          "%d %r" % (rc, err))
    c.stop()
    msgs = c.messages()
    check("symfony: smarthost got the exact bytes",
          msgs == [MSG], repr(msgs))
    sin = c.server_in()
    check("symfony: envelope from the SMTP session",
          b"MAIL FROM:<app@example.com>" in sin
          and b"RCPT TO:<bob@example.net>" in sin, sin)


def session_bytes(*txns, quit=True, ehlo=b"EHLO client.example"):
    out = ehlo + b"\r\n"
    for frm, rcpts, body in txns:
        out += b"MAIL FROM:<" + frm + b">\r\n"
        for r in rcpts:
            out += b"RCPT TO:<" + r + b">\r\n"
        out += b"DATA\r\n" + body + b".\r\n"
    if quit:
        out += b"QUIT\r\n"
    return out


def t_pipelined():
    c = Case("pipelined")
    rc, out, err = c.blast(session_bytes(
        (b"app@example.com", [b"bob@example.net", b"carol@example.net"],
         MSG)))
    c.stop()
    check("pipelined: replies in order",
          codes(out) == [220, 250, 250, 250, 250, 354, 250, 221], out)
    check("pipelined: exit 0", rc == 0, "%d %r" % (rc, err))
    sin = c.server_in()
    check("pipelined: delivered to both recipients",
          c.messages() == [MSG] and b"RCPT TO:<carol@example.net>" in sin,
          sin)


def t_two():
    c = Case("two")
    m2 = MSG.replace(b"hello", b"second").replace(b"<1@", b"<2@")
    rc, out, err = c.blast(session_bytes(
        (b"app@example.com", [b"bob@example.net"], MSG),
        (b"app@example.com", [b"dave@example.net"], m2)))
    c.stop()
    check("two transactions: replies",
          codes(out) == [220, 250, 250, 250, 354, 250, 250, 250, 354, 250,
                         221], out)
    check("two transactions: both delivered",
          rc == 0 and c.messages() == [MSG, m2], repr(c.messages()))


def t_rset():
    c = Case("rset")
    data = (b"EHLO x\r\nMAIL FROM:<app@example.com>\r\n"
            b"RCPT TO:<old@example.net>\r\nRSET\r\nDATA\r\n"
            b"MAIL FROM:<app@example.com>\r\nRCPT TO:<new@example.net>\r\n"
            b"DATA\r\n" + MSG + b".\r\nQUIT\r\n")
    rc, out, err = c.blast(data)
    c.stop()
    check("RSET: transaction forgotten (DATA 503)",
          codes(out) == [220, 250, 250, 250, 250, 503, 250, 250, 354, 250,
                         221], out)
    sin = c.server_in()
    check("RSET: only the new recipient relayed",
          b"new@example.net" in sin and b"old@example.net" not in sin, sin)


def t_refused():
    c = Case("refused", script="on RCPT /nobody@/ reply 550 5.1.1 no such "
             "user")
    rc, out, err = c.blast(session_bytes(
        (b"app@example.com", [b"nobody@example.net"], MSG),
        (b"app@example.com", [b"bob@example.net"], MSG)))
    c.stop()
    check("refused recipient: 550 for the transaction, then a good one",
          codes(out) == [220, 250, 250, 250, 354, 550, 250, 250, 354, 250,
                         221] and b"550 5.1.1 " in out
          and b"nobody@example.net" in out, out)
    check("refused recipient: exit 0, error on stderr",
          rc == 0 and b"nobody@example.net" in err, "%d %r" % (rc, err))
    check("refused recipient: only the good message delivered",
          c.messages() == [MSG], repr(c.messages()))


def t_down_queue():
    c = Case("down-queue", server=False)
    rc, out, err = c.blast(session_bytes(
        (b"app@example.com", [b"bob@example.net"], MSG)))
    check("smarthost down, queue on: 250",
          codes(out) == [220, 250, 250, 250, 354, 250, 221], out)
    check("smarthost down, queue on: exit 0 and queued",
          rc == 0 and len(c.queued()) == 1,
          "%d %r %r" % (rc, err, c.queued()))


def t_down_noqueue():
    c = Case("down-noqueue", rc_extra="queue off", server=False)
    rc, out, err = c.blast(session_bytes(
        (b"app@example.com", [b"bob@example.net"], MSG)))
    check("smarthost down, queue off: 451 4.x.x",
          codes(out) == [220, 250, 250, 250, 354, 451, 221]
          and re.search(rb"\r\n451 4\.\d\.\d ", out), out)
    check("smarthost down, queue off: exit 0, nothing queued",
          rc == 0 and not c.queued() and b"mailhop: " in err,
          "%d %r" % (rc, err))


def t_errors():
    c = Case("errors", server=False)
    long_cmd = b"NOOP " + b"x" * 600
    rc, out, err = c.blast(
        b"EHLO x\r\nFOO bar\r\nDATA\r\nMAIL FROM:<a@example.com>\r\n"
        b"DATA\r\nRCPT TO:<b@example.net>\r\nRSET\r\n" + long_cmd +
        b"\r\nNOOP\r\nVRFY bob\r\nRCPT TO:<b@example.net>\r\n"
        b"MAIL FROM:<a@example.com> SIZE=999999999999\r\n"
        b"MAIL FROM:<a@example.com> FOO=1\r\n"
        b"MAIL FROM:<a b@example.com>\r\nMAIL FROM:a@example.com\r\n"
        b"MAIL FROM:<a@example.com>\r\nMAIL FROM:<a@example.com>\r\n"
        b"RCPT TO:<>\r\nSTARTTLS\r\nQUIT\r\n")
    want = [220, 250, 500, 503, 250, 503, 250, 250, 500, 250, 252, 503,
            552, 555, 553, 501, 250, 503, 553, 502, 221]
    check("errors: 500 unknown, 503 sequence, 500 long line, 252 VRFY, "
          "552/555/553/501 MAIL, 502 STARTTLS",
          codes(out) == want, "%r\n%r" % (codes(out), out))
    check("errors: exit 0", rc == 0, "%d %r" % (rc, err))
    check("errors: long line reply", b"500 5.5.2 line too long" in out, out)


def t_long_data_line():
    c = Case("longdata")
    body = b"Subject: x\r\n\r\n" + b"y" * 1200 + b"\r\n"
    rc, out, err = c.blast(session_bytes(
        (b"app@example.com", [b"bob@example.net"], body)))
    c.stop()
    check("long DATA line: 500 after the dot, nothing sent",
          codes(out) == [220, 250, 250, 250, 354, 500, 221]
          and c.messages() == [] and rc == 0, "%r %r" % (out, err))


def t_dots():
    c = Case("dots")
    orig = (b"Subject: dots\r\nDate: Sun, 22 Nov 2026 10:19:00 +0100\r\n"
            b"Message-ID: <d@example.com>\r\nFrom: a@example.com\r\n\r\n"
            b".\r\n..\r\n.leading\r\nmid . dot\r\n...\r\n")
    stuffed = b"".join(
        (b"." + l if l.startswith(b".") else l) + b"\r\n"
        for l in orig.split(b"\r\n")[:-1])
    rc, out, err = c.blast(session_bytes(
        (b"app@example.com", [b"bob@example.net"], stuffed)))
    c.stop()
    check("dot-stuffing round trip: the smarthost got the original",
          rc == 0 and c.messages() == [orig],
          "%r\n%r\n%r" % (out, err, c.messages()))
    check("dot-stuffing round trip: stuffed on the wire",
          b"\r\n..\r\n...\r\n..leading\r\n" in c.server_in(),
          c.server_in())


def t_headers_added():
    c = Case("headers")
    body = b"Subject: bare\r\n\r\nno date, no id\r\n"
    rc, out, err = c.blast(session_bytes(
        (b"app@example.com", [b"bob@example.net"], body)))
    c.stop()
    msgs = c.messages()
    ok = len(msgs) == 1 and rc == 0
    hdr = msgs[0].split(b"\r\n\r\n")[0] if ok else b""
    check("Date and Message-ID added",
          ok and re.search(rb"(^|\r\n)Date: \w{3}, \d+ \w{3} \d{4} ", hdr)
          and re.search(rb"(^|\r\n)Message-ID: <[^>]+@example\.com>", hdr)
          and msgs[0].endswith(b"\r\n\r\nno date, no id\r\n"),
          "%r %r" % (out, msgs))
    check("From added from the envelope sender",
          ok and re.search(rb"(^|\r\n)From: app@example\.com\r\n", hdr),
          repr(msgs))


def t_lf_client():
    c = Case("lf")
    data = (b"HELO x\nMAIL FROM:<app@example.com>\nRCPT TO:<bob@example.net>"
            b"\nDATA\n" + MSG.replace(b"\r\n", b"\n") + b"..x\n.\nQUIT\n")
    rc, out, err = c.blast(data)
    c.stop()
    check("LF-only client: LF.LF ends the data",
          rc == 0 and codes(out) == [220, 250, 250, 250, 354, 250, 221]
          and c.messages() == [MSG + b".x\r\n"],
          "%r %r" % (out, c.messages()))


def t_eof():
    c = Case("eof", server=False)
    rc, out, err = c.blast(b"EHLO x\r\nMAIL FROM:<a@example.com>\r\n")
    check("EOF without QUIT, nothing pending: exit 0",
          rc == 0 and codes(out) == [220, 250, 250], "%d %r" % (rc, out))
    rc, out, err = c.blast(b"EHLO x\r\nMAIL FROM:<a@example.com>\r\n"
                           b"RCPT TO:<b@example.net>\r\nDATA\r\nhalf\r\n")
    check("EOF inside DATA: exit 74, nothing queued",
          rc == 74 and codes(out) == [220, 250, 250, 250, 354]
          and not c.queued(), "%d %r %r" % (rc, out, err))


def t_null_sender_8bit():
    c = Case("null8bit")
    body = MSG.replace(b"Hello Bob.", "Grüße, Bob.".encode())
    rc, out, err = c.blast(
        b"EHLO x\r\nMAIL FROM:<> SIZE=300 BODY=8BITMIME\r\n"
        b"RCPT TO:<bob@example.net>\r\nDATA\r\n" + body + b".\r\nQUIT\r\n")
    c.stop()
    sin = c.server_in()
    check("null sender with SIZE and BODY=8BITMIME relayed as 8-bit",
          rc == 0 and codes(out) == [220, 250, 250, 250, 354, 250, 221]
          and re.search(rb"MAIL FROM:<> SIZE=\d+ BODY=8BITMIME\r\n", sin)
          and c.messages() == [body], "%r %r %r" % (out, err, sin))


def t_config():
    c = Case("config", server=False)
    p = subprocess.run([MAILHOP, "-C", os.path.join(c.d, "missing"), "-bs"],
                       input=b"EHLO x\r\n", capture_output=True,
                       env=c.env(), timeout=RUN_TIMEOUT)
    check("config failure: 421 4.3.0 before any greeting, exit 78",
          p.returncode == 78 and p.stdout.startswith(b"421 4.3.0 ")
          and b"220" not in p.stdout,
          "%d %r %r" % (p.returncode, p.stdout, p.stderr))


def main():
    tests = [t_symfony, t_pipelined, t_two, t_rset, t_refused, t_down_queue,
             t_down_noqueue, t_errors, t_long_data_line, t_dots,
             t_headers_added, t_lf_client, t_eof, t_null_sender_8bit,
             t_config]
    try:
        for t in tests:
            try:
                t()
            except Exception as ex:  # a crash is a failure, not a stop
                check(t.__name__ + " raised", False, repr(ex))
    finally:
        for c in cases:
            c.stop()
        if not os.environ.get("KEEP"):
            shutil.rmtree(TMP, ignore_errors=True)
        else:
            print("# kept " + TMP)
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
