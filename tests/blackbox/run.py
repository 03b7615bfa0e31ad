#!/usr/bin/env python3
"""run.py - mailhop's black-box test runner (TAP on stdout).

Runs every tests/blackbox/cases/*.t (sorted), or the cases named on the
command line, each in a fresh temp directory that is also $HOME, against
tests/fakesmtp.py on loopback.  The case format is described in
tests/blackbox/README.

Usage: run.py [-v] [-k] [-j N] [--cases DIR] [CASE...]
    CASE   a case name (file name without .t), a unique prefix such as
           "012", or a shell pattern ("*lmtp*")
    -v     show diffs, the server log and the client's output on failure
    -k     keep the temp directories (their paths are printed)
    -j N   run N cases at a time (the TAP output stays in case order;
           default $MAILHOP_TEST_JOBS, else 1)
    --cases DIR   read the cases from DIR instead of tests/blackbox/cases
Environment: MAILHOP (the binary; default src/mailhop under the current
directory), PYTHON3 (for the fake server; default this interpreter).
MAILHOP_VALGRIND=1 runs every mailhop under valgrind memcheck (leak check
full); a case fails on any memcheck error or definite leak, reported from
valgrind's own log file (so mailhop's stderr is compared unchanged).  The
client time limits are multiplied by MAILHOP_VALGRIND_SLOWDOWN (default
4); extra valgrind options may come from MAILHOP_VALGRIND_OPTS and the
suppressions in tests/security/valgrind.supp are used.
The TLS test certificates are made once per run (tests/tls/mkcerts.sh,
needs certtool) when a chosen case uses %CERTS%, %FP_...% or tls-cert.
The last line of output is "# N passed, M failed"; the exit status is 1
when a case failed.
"""

import base64
import fcntl
import fnmatch
import concurrent.futures
import json
import os
import re
import resource
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import termios
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
FAKESMTP = os.path.join(os.path.dirname(HERE), "fakesmtp.py")
MKCERTS = os.path.join(os.path.dirname(HERE), "tls", "mkcerts.sh")
TOKENSERVER = os.path.join(os.path.dirname(HERE), "oauth2", "tokenserver.py")
VG_SUPP = os.path.join(os.path.dirname(HERE), "security", "valgrind.supp")
# What makes a case need the test certificates.
NEEDS_CERTS = re.compile(r"%CERTS%|%FP_SHA|^\s*tls-cert\s|^oauth2-server",
                         re.M)

# The rc file used when a case has no [rc] section; [rc-extra] lines are
# appended to it (so they land in account "default").
DEFAULT_RC = """\
# written by tests/blackbox/run.py
defaults
timeout 5
queue off
account default
host 127.0.0.1
port %PORT%
from alice@example.org
"""

SECTIONS = {
    "info", "options", "rc", "rc-extra", "file", "args", "stdin", "server",
    "expect-exit", "expect-server", "expect-message", "expect-stderr",
    "expect-stdout", "expect-connections", "expect-no-mail",
    "expect-no-file", "expect-server-tls", "expect-server-plain",
    "expect-file-mode", "expect-server-auth", "expect-stderr-absent",
    "tty-input", "expect-tty", "expect-oauth2", "expect-messages",
    "symlink", "expect-file", "expect-secret-absent", "expect-dir",
}
# [expect-server-tls] keys -> the summary's per-connection TLS fact.
TLS_FACTS = {"handshake": "handshake", "mode": "mode", "version": "version",
             "cipher": "cipher", "resumed": "resumed",
             "client-cert": "client_cert", "sni": "sni",
             "client-close": "client_close"}
# [expect-server-auth] keys -> the summary's per-attempt AUTH record.
AUTH_FACTS = {"mechanism": "mechanism", "result": "result",
              "initial-response": "initial_response",
              "pipelined": "pipelined", "pipelined-with": "pipelined_with",
              "user": "user", "authzid": "authzid",
              "channel-binding": "channel_binding", "error-ack": "error_ack",
              "token": "token"}
CLIENT_TIMEOUT = 30  # seconds per case unless [options] timeout N
SERVER_LIFETIME = 90
SERVER_START = 10  # seconds to wait for the fake server's port file
TTY_ECHO_WAIT = 1.0  # seconds a prompt may take to turn the echo off
LEFTOVER_WAIT = 5.0  # seconds stdout/stderr may stay open after the exit

# Regex macros for expectations.
DATE_RE = (rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [ 0-9]?[0-9] "
           rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
           rb"[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}")
MSGID_RE = rb"<[0-9]{14}\.[0-9A-Fa-f]+@%s>"
MACRO = re.compile(r"%([A-Z][A-Z0-9_]*)(?:\((.*?)\))?%")


class CaseError(Exception):
    """The case file itself is wrong."""


class Valgrind:
    """MAILHOP_VALGRIND=1: every mailhop run under valgrind memcheck.

    valgrind writes to its own log files (one per process, in a directory
    outside the case's temp directory), so what mailhop prints and writes
    is compared exactly as without it.  Errors and definite leaks are
    counted in "ERROR SUMMARY" (--errors-for-leak-kinds=definite); a
    process whose summary is not zero fails the case."""
    on = os.environ.get("MAILHOP_VALGRIND", "") not in ("", "0", "no")
    slowdown = float(os.environ.get("MAILHOP_VALGRIND_SLOWDOWN") or 4) \
        if on else 1.0
    SUMMARY = re.compile(rb"ERROR SUMMARY: ([0-9]+) errors")

    @classmethod
    def wrap(cls, argv, mailhop, logdir):
        """(argv whose argv[0] is the name to run as, binary) ->
        (argv, executable) to start."""
        if not cls.on:
            return argv, mailhop
        prog = mailhop
        name = os.path.basename(argv[0])
        if name != os.path.basename(mailhop):
            # argv[0] personalities (newaliases, mailq): a link so named
            bindir = os.path.join(logdir, "bin")
            os.makedirs(bindir, exist_ok=True)
            prog = os.path.join(bindir, name)
            if not os.path.lexists(prog):
                os.symlink(mailhop, prog)
        opts = ["--tool=memcheck", "--leak-check=full",
                "--errors-for-leak-kinds=definite",
                "--show-leak-kinds=definite", "--num-callers=30",
                "--child-silent-after-fork=yes",
                "--log-file=" + os.path.join(logdir, "vg.%p.log")]
        if os.path.exists(VG_SUPP):
            opts.append("--suppressions=" + VG_SUPP)
        opts += shlex.split(os.environ.get("MAILHOP_VALGRIND_OPTS", ""))
        vg = shutil.which("valgrind")
        if not vg:
            raise CaseError("MAILHOP_VALGRIND is set but there is no "
                            "valgrind in $PATH")
        return [vg] + opts + [prog] + argv[1:], vg

    @classmethod
    def check(cls, logdir):
        """Failure lines for every valgrind log with errors."""
        fails = []
        if not cls.on or not os.path.isdir(logdir):
            return fails
        for f in sorted(os.listdir(logdir)):
            if not f.startswith("vg."):
                continue
            data = read(os.path.join(logdir, f)) or b""
            m = cls.SUMMARY.search(data)
            if m and int(m.group(1)):
                fails.append("valgrind: %s error(s) (%s)"
                             % (m.group(1), os.path.join(logdir, f)))
                body = data.decode("utf-8", "replace").splitlines()
                fails += ["  " + l for l in body[:100]]
        return fails


# ------------------------------------------------------------ case files
def parse_case(path):
    """Return a list of (name, arg, lines) sections."""
    header = re.compile(r"^\[([a-z][a-z0-9-]*)(?:\s+([^\]]*))?\]\s*$")
    sections = []
    cur = None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for lineno, line in enumerate(text.split("\n"), 1):
        m = header.match(line)
        if m and m.group(1) in SECTIONS:
            cur = (m.group(1), (m.group(2) or "").strip(), [])
            sections.append(cur)
        elif m:
            raise CaseError("line %d: unknown section [%s]"
                            % (lineno, m.group(1)))
        elif cur is not None:
            cur[2].append(line)
        elif line.strip() and not line.startswith("#"):
            raise CaseError("line %d: text before the first section"
                            % lineno)
    for _, _, lines in sections:
        while lines and lines[-1].strip() == "":
            lines.pop()
    return sections


def unescape(text):
    """Backslash escapes (\\r \\n \\t \\0 \\xHH \\\\) -> bytes."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            simple = {"r": b"\r", "n": b"\n", "t": b"\t", "0": b"\0",
                      "\\": b"\\", "%": b"%"}
            if n in simple:
                out += simple[n]
                i += 2
                continue
            if n == "x" and re.match(r"[0-9a-fA-F]{2}$", text[i + 2:i + 4]):
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
                continue
        out += c.encode("utf-8")
        i += 1
    return bytes(out)


class Certs:
    """The test PKI (tests/tls/mkcerts.sh), made at most once per run."""
    dir = None
    error = None

    @classmethod
    def make(cls):
        if cls.dir or cls.error:
            return
        d = tempfile.mkdtemp(prefix="mailhop-certs-")
        try:
            res = subprocess.run(["sh", MKCERTS, d], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, timeout=60)
            ok, why = res.returncode == 0, res.stdout.decode(
                "utf-8", "replace").strip()
        except (OSError, subprocess.TimeoutExpired) as exc:
            ok, why = False, str(exc)
        if ok:
            cls.dir = d
        else:
            cls.error = "cannot make the test certificates: " + why
            shutil.rmtree(d, ignore_errors=True)

    @classmethod
    def fingerprint(cls, name, algo):
        """%FP_SHA256(name)%: NAME.sha256 written by mkcerts.sh."""
        if not cls.dir:
            raise CaseError(cls.error or "no test certificates")
        path = os.path.join(cls.dir, "%s.%s" % (name or "server", algo))
        try:
            with open(path) as f:
                return f.read().strip()
        except OSError:
            raise CaseError("no fingerprint file %s" % path)


class Ctx:
    """Substitution values of one case run."""

    def __init__(self, tmp):
        self.tty = {}  # run number -> what mailhop wrote to its terminal
        self.vars = {"TMP": tmp, "RCFILE": os.path.join(tmp, "rc"),
                     "SOCK": os.path.join(tmp, "smtp.sock"),
                     "SRCDIR": HERE}
        if Certs.dir:
            self.vars["CERTS"] = Certs.dir

    def value(self, name, arg=None):
        if name == "B64" and arg is not None:
            # %B64(text)%: base64 of text (escapes; %VAR% inside expanded)
            text = MACRO.sub(lambda m: self.vars.get(m.group(1), m.group(0))
                             if m.group(2) is None else m.group(0), arg)
            return base64.b64encode(unescape(text)).decode()
        if name in ("FP_SHA256", "FP_SHA1"):
            return Certs.fingerprint(arg, name[3:].lower())
        if name == "CERTS" and not Certs.dir:
            raise CaseError(Certs.error or "no test certificates")
        return self.vars.get(name) if arg is None else None


def line_parts(line, ctx, allow_regex, escapes=True):
    """Split a line into [(is_regex, bytes)] following the macros."""
    unescape_ = unescape if escapes else (lambda t: t.encode("utf-8"))
    parts = []
    pos = 0
    for m in MACRO.finditer(line):
        name, arg = m.group(1), m.group(2)
        val = expand(name, arg, ctx, allow_regex)
        if val is None:
            continue
        if m.start() > pos:
            parts.append((False, unescape_(line[pos:m.start()])))
        parts.append(val)
        pos = m.end()
    if pos < len(line):
        parts.append((False, unescape_(line[pos:])))
    return parts


def expand(name, arg, ctx, allow_regex):
    """One macro -> (is_regex, bytes), or None to keep it as text."""
    if name == "REPEAT" and arg is not None:
        count, _, text = arg.partition(",")
        try:
            return (False, unescape(text) * int(count))
        except ValueError:
            raise CaseError("bad %%REPEAT(%s)%%" % arg)
    if name == "EMPTY" and arg is None:
        return (False, b"")
    v = ctx.value(name, arg)
    if v is not None:
        return (False, v.encode())
    if not allow_regex:
        return None
    regexes = {"DATE": DATE_RE, "ANY": rb"[^\r\n]*", "NUM": rb"[0-9]+",
               "HEX": rb"[0-9A-Fa-f]+", "OPTQUIT": rb"(?:QUIT\r\n)?"}
    if name in regexes and arg is None:
        return (True, regexes[name])
    if name == "MSGID":
        dom = re.escape(arg.encode()) if arg else rb"[^>\s]+"
        return (True, MSGID_RE % dom)
    if name == "RE" and arg is not None:
        return (True, arg.encode())
    return None


def render(lines, ctx, eol=b"\n", final=True, escapes=True):
    """Literal text lines (macros expanded) -> bytes.  With escapes, a line
    ending in a single backslash gets no line end."""
    out = bytearray()
    for i, line in enumerate(lines):
        joined = escapes and line.endswith("\\") and \
            not line.endswith("\\\\")
        if joined:
            line = line[:-1]
        for _, b in line_parts(line, ctx, False, escapes):
            out += b
        if not joined and (final or i < len(lines) - 1):
            out += eol
    return bytes(out)


def expect_pieces(lines, ctx, eol):
    """Expected-text lines -> [(compiled regex, source line)]."""
    pieces = []
    for line in lines:
        joined = line.endswith("\\") and not line.endswith("\\\\")
        src = line
        if line.strip() == "%OPTQUIT%":
            joined, line = True, "%OPTQUIT%\\"
        if joined:
            line = line[:-1]
        rx = b"".join(b if is_re else re.escape(b)
                      for is_re, b in line_parts(line, ctx, True))
        if not joined:
            rx += re.escape(eol)
        try:
            pieces.append((re.compile(rx, re.S), src))
        except re.error as exc:
            raise CaseError("bad regex in %r: %s" % (src, exc))
    return pieces


def match_pieces(pieces, data):
    """Match the pieces one after another over data.  Returns None when
    all of data matched, else a description of the first mismatch."""
    pos = 0
    for i, (rx, src) in enumerate(pieces):
        m = rx.match(data, pos)
        if not m:
            got = data[pos:pos + 120]
            return ("expected line %d %r, got '%s'"
                    % (i + 1, src[:120], visible(got)))
        pos = m.end()
    if pos != len(data):
        return "unexpected extra bytes: '%s'" % visible(data[pos:pos + 200])
    return None


def visible(data):
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


def show_lines(data, limit=80):
    """Bytes as a list of visible lines (split after LF)."""
    lines = [visible(l) for l in data.splitlines(keepends=True)]
    if len(lines) > limit:
        lines = lines[:limit] + ["... (%d more lines)" % (len(lines) - limit)]
    return lines


def regex_lines_check(lines, text, ctx, mode):
    """stderr/stdout check.  mode "" = each line a regex matching the
    whole output line, same number of lines; "exact" = literal text;
    "contains" = every regex matches some output line."""
    out = text.decode("utf-8", "replace").splitlines()
    want = []
    for line in lines:
        if mode == "exact":
            want.append(re.escape(render([line], ctx, b"", True).decode(
                "utf-8", "replace")))
        else:
            want.append(subst_regex(line, ctx))
    if mode == "contains":
        for w in want:
            if not any(re.fullmatch(w, o) for o in out):
                return "no line matches /%s/" % w
        return None
    if len(out) != len(want):
        return "expected %d line(s), got %d" % (len(want), len(out))
    for i, (w, o) in enumerate(zip(want, out)):
        if not re.fullmatch(w, o):
            return "line %d: /%s/ does not match %r" % (i + 1, w, o)
    return None


def subst_regex(line, ctx):
    """A regex line: %VAR% values are inserted escaped."""
    def rep(m):
        v = ctx.value(m.group(1), m.group(2))
        return re.escape(v) if v is not None else m.group(0)
    return MACRO.sub(rep, line)


# ---------------------------------------------------------------- a run
class Case:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-2]
        self.sections = parse_case(path)

    def get(self, name, arg=None):
        for n, a, lines in self.sections:
            if n == name and (arg is None or a == arg):
                return lines
        return None

    def all(self, name):
        return [(a, lines) for n, a, lines in self.sections if n == name]

    def for_run(self, name, k):
        """(argument without run=, lines) of section NAME for run K: the
        one whose argument says run=K, else the first without run=, else
        None."""
        fallback = None
        for n, a, lines in self.sections:
            if n != name:
                continue
            words = a.split()
            runs = [w[4:] for w in words if w.startswith("run=")]
            rest = " ".join(w for w in words if not w.startswith("run="))
            if runs and runs[0] == str(k):
                return rest, lines
            if not runs and fallback is None:
                fallback = (rest, lines)
        return fallback

    def runs(self):
        try:
            return max(1, int(self.options().get("runs", "1")))
        except ValueError:
            raise CaseError("[options] runs needs a number")

    def options(self):
        opts = {}
        for line in self.get("options") or []:
            if line.strip() and not line.startswith("#"):
                k, _, v = line.strip().partition(" ")
                opts[k] = v.strip()
        return opts


def closed_port():
    """A loopback port nobody listens on: bound, never listening, so
    connecting is refused and no one else can take it meanwhile."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    return s, s.getsockname()[1]


def start_server(case, ctx, tmp, python):
    script = case.get("server")
    if script is None:
        return None
    path = os.path.join(tmp, "server.script")
    with open(path, "wb") as f:
        f.write(render(script, ctx, escapes=False))
    rec = os.path.join(tmp, "server")
    pfile = os.path.join(tmp, "server.port")
    log = open(os.path.join(tmp, "server.stderr"), "wb")
    certs = ["--certs", Certs.dir] if Certs.dir else []
    proc = subprocess.Popen(
        [python, FAKESMTP, "--script", path, "--record", rec,
         "--port-file", pfile, "--timeout", str(SERVER_LIFETIME), "--quiet"]
        + certs,
        stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    log.close()
    end = time.monotonic() + SERVER_START
    while not os.path.exists(pfile):
        if proc.poll() is not None or time.monotonic() > end:
            with open(os.path.join(tmp, "server.stderr"), "rb") as f:
                err = f.read().decode("utf-8", "replace").strip()
            stop_server(proc)
            raise CaseError("fake server did not start: " + err)
        time.sleep(0.01)
    with open(pfile) as f:
        where = f.read().strip()
    if where.isdigit():
        ctx.vars["PORT"] = where
    return proc


def start_tokenserver(case, ctx, tmp, python):
    """[options] oauth2-server: tests/oauth2/tokenserver.py on a free
    port with the good server certificate (%OAUTH2_PORT%); it records every
    request in %TMP%/oauth2.log ([expect-oauth2])."""
    if "oauth2-server" not in case.options():
        return None
    if not os.path.exists(TOKENSERVER):
        raise CaseError("no token server %s" % TOKENSERVER)
    certs = ctx.value("CERTS")
    log = open(os.path.join(tmp, "oauth2.stderr"), "wb")
    proc = subprocess.Popen(
        [python, TOKENSERVER, "--cert", os.path.join(certs, "server.pem"),
         "--key", os.path.join(certs, "server-key.pem"),
         "--record", os.path.join(tmp, "oauth2.log")],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
    log.close()
    r, _, _ = select.select([proc.stdout], [], [], SERVER_START)
    port = proc.stdout.readline().decode().strip() if r else ""
    if not port.isdigit():
        stop_server(proc)
        raise CaseError("the token server did not start")
    ctx.vars["OAUTH2_PORT"] = port
    return proc


def stop_server(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def client_env(tmp, extra=None):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("XDG_") or k in ("MAILHOPRC", "MSMTPRC"):
            del env[k]
    env.update({
        "HOME": tmp, "TMPDIR": tmp, "TZ": "UTC", "LC_ALL": "C",
        "XDG_CONFIG_HOME": os.path.join(tmp, ".config"),
        "XDG_STATE_HOME": os.path.join(tmp, ".local", "state"),
        "XDG_CACHE_HOME": os.path.join(tmp, ".cache"),
    })
    env.update(extra or {})
    return env


def case_env(case, ctx):
    """[options] env NAME=VALUE (repeatable): mailhop's extra environment."""
    env = {}
    for line in case.get("options") or []:
        k, _, v = line.strip().partition(" ")
        if k == "env":
            name, eq, val = v.strip().partition("=")
            if not eq:
                raise CaseError("[options] env needs NAME=VALUE")
            env[name] = render([val], ctx, final=False).decode()
    return env


def prepare_files(case, ctx, tmp):
    opts = case.options()
    rc = case.get("rc")
    text = DEFAULT_RC.split("\n") if rc is None else rc
    extra = case.get("rc-extra") or []
    rcpath = ctx.vars["RCFILE"]
    with open(rcpath, "wb") as f:
        f.write(render([l for l in text if l != ""] + extra
                       if rc is None else text + extra, ctx, escapes=False))
    os.chmod(rcpath, int(opts.get("rc-mode", "0600"), 8))
    for arg, lines in case.all("file"):
        words = arg.split()
        if not words:
            raise CaseError("[file] needs a path")
        dest = os.path.join(tmp, render([words[0]], ctx, final=False)
                            .decode())
        os.makedirs(os.path.dirname(dest), mode=0o700, exist_ok=True)
        with open(dest, "wb") as f:
            f.write(render(lines, ctx))
        mode = [w[5:] for w in words[1:] if w.startswith("mode=")]
        os.chmod(dest, int(mode[0], 8) if mode else 0o600)
    for arg, lines in case.all("symlink"):
        # [symlink PATH]: %TMP%/PATH becomes a symbolic link to the
        # section's one line (macros expanded; need not exist)
        if not arg or len([l for l in lines if l.strip()]) != 1:
            raise CaseError("[symlink PATH] needs a path and one target")
        link = os.path.join(tmp, render([arg], ctx, final=False).decode())
        target = render([lines[0].strip()], ctx, final=False).decode()
        os.makedirs(os.path.dirname(link), mode=0o700, exist_ok=True)
        os.symlink(target, link)


def build_argv(case, ctx, mailhop, k=1):
    opts = case.options()
    argv = [opts.get("argv0", "mailhop")]
    if "no-rc-arg" not in opts:
        argv += ["-C", ctx.vars["RCFILE"]]
    sec = case.for_run("args", k)
    for line in sec[1] if sec else []:
        argv.append(os.fsdecode(render([line], ctx, final=False)))
    return argv


def build_stdin(case, ctx):
    for arg, lines in case.all("stdin"):
        words = arg.split()
        eol = b"\r\n" if "crlf" in words else b"\n"
        return render(lines, ctx, eol, final="nonl" not in words)
    return b""


def run_case(case, mailhop, python, verbose, keep):
    """Returns (ok, [diagnostic lines])."""
    tmp = tempfile.mkdtemp(prefix="mailhop-bb-")
    vgdir = tempfile.mkdtemp(prefix="mailhop-vg-") if Valgrind.on else ""
    ctx = Ctx(tmp)
    ctx.vgdir = vgdir
    hold, port = closed_port()
    ctx.vars["PORT"] = ctx.vars["CLOSEDPORT"] = str(port)
    proc = tokens = None
    diags = []
    try:
        tokens = start_tokenserver(case, ctx, tmp, python)
        proc = start_server(case, ctx, tmp, python)
        prepare_files(case, ctx, tmp)
        stdin = build_stdin(case, ctx)
        timeout = float(case.options().get("timeout", CLIENT_TIMEOUT)) \
            * Valgrind.slowdown
        results = []
        for k in range(1, case.runs() + 1):
            argv = build_argv(case, ctx, mailhop, k)
            with open(os.path.join(tmp, "argv"), "a") as f:
                f.write("\n".join(repr(a) for a in argv) + "\n")
            if "tty" in case.options():
                res, ctx.tty[k] = run_client_tty(
                    argv, mailhop, stdin, tmp, timeout,
                    render(case.get("tty-input") or [], ctx), vgdir,
                    case_env(case, ctx))
                results.append(res)
            else:
                res, rss = run_client(argv, mailhop, stdin, tmp, timeout,
                                      vgdir, case_env(case, ctx))
                results.append(res)
                ctx.max_rss = max(getattr(ctx, "max_rss", 0), rss)
        stop_server(proc)
        diags = check(case, ctx, tmp, results, verbose)
        diags += Valgrind.check(vgdir)
    except CaseError as exc:
        diags = ["case error: %s" % exc]
    except OSError as exc:
        diags = ["cannot run: %s" % exc]
    finally:
        stop_server(proc)
        stop_server(tokens)
        hold.close()
        ok = not diags
        if keep or (diags and verbose):
            diags.append("temp directory kept: %s" % tmp)
            if vgdir:
                diags.append("valgrind logs kept: %s" % vgdir)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
            if vgdir:
                shutil.rmtree(vgdir, ignore_errors=True)
    return ok, diags


def run_client(argv, mailhop, stdin, tmp, timeout, vgdir="", env=None):
    """One mailhop run: ((exit status or None when killed, stdout, stderr),
    its peak resident set size in KiB).  The peak is VmHWM of
    /proc/PID/status, read while mailhop runs (it only grows; the last
    reading is a few ms before the exit).  Without /proc it is wait4(2)'s
    ru_maxrss of that very child (so it holds with cases running in
    parallel), which Linux carries over exec: it also counts the forked
    Python runner, an over-estimate of some 20 MB."""
    argv, exe = Valgrind.wrap(argv, mailhop, vgdir)
    proc = subprocess.Popen(argv, executable=exe, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=tmp, env=client_env(tmp, env),
                            start_new_session=True)
    got = {}

    def pump(name, f):
        got[name] = f.read()

    def feed():
        try:
            proc.stdin.write(stdin)
        except (BrokenPipeError, OSError):
            pass
        try:
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    threads = [threading.Thread(target=pump, args=("out", proc.stdout)),
               threading.Thread(target=pump, args=("err", proc.stderr)),
               threading.Thread(target=feed)]
    for t in threads:
        t.start()
    end = time.monotonic() + timeout
    killed = False
    hwm = 0
    status_file = "/proc/%d/status" % proc.pid
    while True:
        try:
            with open(status_file, "rb") as f:
                m = re.search(rb"^VmHWM:\s*([0-9]+) kB", f.read(), re.M)
            if m:
                hwm = max(hwm, int(m.group(1)))
        except OSError:
            pass
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > end:
            killed = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    # A process mailhop left behind (e.g. a passwordeval command's
    # background job) may hold stdout or stderr open: give the readers a
    # moment, then end mailhop's whole process group.
    threads[0].join(LEFTOVER_WAIT)
    threads[1].join(LEFTOVER_WAIT)
    if threads[0].is_alive() or threads[1].is_alive():
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
    for t in threads:
        t.join()
    for f in (proc.stdout, proc.stderr):
        f.close()
    rc = None if killed else proc.returncode
    return (rc, got.get("out", b""), got.get("err", b"")), \
        hwm or usage.ru_maxrss


def wait_echo_off(master):
    """Give mailhop up to TTY_ECHO_WAIT seconds to turn the terminal's
    echo off after its prompt (so typing never races with that)."""
    end = time.monotonic() + TTY_ECHO_WAIT
    while time.monotonic() < end:
        try:
            if not termios.tcgetattr(master)[3] & termios.ECHO:
                return
        except termios.error:
            return
        time.sleep(0.02)


def run_client_tty(argv, mailhop, stdin, tmp, timeout, typed, vgdir="",
                   env=None):
    """One mailhop run with a pseudo-terminal as its controlling terminal
    (stdin/stdout/stderr stay pipes).  Once mailhop writes something to
    the terminal (a prompt), `typed` is written to it.  Returns ((status or
    None, stdout, stderr), terminal output)."""
    argv, mailhop = Valgrind.wrap(argv, mailhop, vgdir)
    master, slave = os.openpty()

    def controlling_tty():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    try:
        proc = subprocess.Popen(
            argv, executable=mailhop, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp,
            env=client_env(tmp, env), preexec_fn=controlling_tty,
            pass_fds=(slave,))
    finally:
        os.close(slave)
    got = {}
    worker = threading.Thread(target=lambda: got.update(
        zip(("out", "err"), proc.communicate(stdin))))
    worker.start()
    seen = bytearray()
    end = time.monotonic() + timeout
    sent = False
    while proc.poll() is None and time.monotonic() < end:
        r, _, _ = select.select([master], [], [], 0.05)
        if not r:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: every slave descriptor is closed
            break
        seen += chunk
        if chunk and not sent:
            wait_echo_off(master)
            os.write(master, typed)
            sent = True
    if proc.poll() is None and time.monotonic() >= end:
        proc.kill()
    worker.join()
    while select.select([master], [], [], 0)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    status = None if proc.returncode < 0 else proc.returncode
    return (status, got.get("out", b""), got.get("err", b"")), bytes(seen)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def check(case, ctx, tmp, results, verbose):
    fails = []
    for k, (rc, out, err) in enumerate(results, 1):
        tag = "run %d: " % k if len(results) > 1 else ""
        want = case.for_run("expect-exit", k)
        try:
            want_rc = int(want[1][0].strip()) if want and want[1] else 0
        except ValueError:
            raise CaseError("[expect-exit] must be a number")
        if rc is None:
            fails.append(tag + "mailhop did not finish in time (killed)")
        elif rc != want_rc:
            fails.append(tag + "exit status %s, expected %d" % (rc, want_rc))
        fails += [tag + f for f in
                  check_output(case, ctx, want_rc, out, err, k)]
        tty = ctx.tty.get(k)
        fails += [tag + f for f in check_absent(case, ctx, out, err, tty)]
        sec = case.get("expect-tty")
        if sec is not None and tty is not None:
            mode = [a for n, a, _ in case.sections if n == "expect-tty"][0]
            r = regex_lines_check(sec, tty, ctx, mode) if sec else (
                None if not tty else "expected no output, got %r"
                % (tty[:200],))
            if r:
                fails.append(tag + "terminal: " + r)
    fails += check_server(case, ctx, tmp, verbose)
    for line in case.get("expect-no-file") or []:
        p = render([line], ctx, final=False).decode()
        if os.path.lexists(p):
            fails.append("file %s exists but must not" % p)
    fails += check_file_modes(case, ctx)
    fails += check_files(case, ctx)
    fails += check_secret_absent(case, ctx, tmp, results)
    limit = case.options().get("max-rss-kib")
    if limit and not Valgrind.on and getattr(ctx, "max_rss", 0) > int(limit):
        fails.append("mailhop's peak RSS was %d KiB, the bound is %s KiB"
                     % (ctx.max_rss, limit))
    sec = case.get("expect-oauth2")
    if sec is not None:
        data = read(os.path.join(tmp, "oauth2.log")) or b""
        r = regex_lines_check(sec, data, ctx, "") if sec else (
            None if not data else "expected no request, got %r"
            % (data[:200],))
        if r:
            fails.append("token server requests: " + r)
    if fails and verbose:
        for k, (rc, out, err) in enumerate(results, 1):
            tag = "run %d " % k if len(results) > 1 else ""
            fails.append(tag + "argv: " + " ".join(
                repr(a) for a in build_argv(case, ctx, "", k)))
            fails += [tag + "stdout: " + l for l in show_lines(out, 20)]
            fails += [tag + "stderr: " + l for l in show_lines(err, 40)]
        log = read(os.path.join(tmp, "server", "server.log"))
        if log:
            fails += ["server: " + l for l in
                      log.decode("utf-8", "replace").splitlines()[-60:]]
    return fails


def check_absent(case, ctx, out, err, tty=None):
    """[expect-stderr-absent]: no line's text (escapes and macros, e.g.
    %B64(\\0user\\0pass)%) occurs anywhere in stderr, stdout or (with
    [options] tty) what mailhop wrote to its terminal."""
    fails = []
    for line in case.get("expect-stderr-absent") or []:
        if not line.strip():
            continue
        text = render([line], ctx, final=False)
        for what, data in (("stderr", err), ("stdout", out),
                           ("terminal", tty or b"")):
            if text in data:
                fails.append("%s contains %r, which must not appear"
                             % (what, text.decode("utf-8", "replace")))
    return fails


def check_files(case, ctx):
    """[expect-file PATH]: the file PATH (macros expanded; a symbolic link
    is followed) holds exactly these lines, each ending in LF (escapes;
    regex macros as in [expect-server]).  An empty section: the file
    exists and is empty."""
    fails = []
    for arg, lines in case.all("expect-file"):
        p = render([arg], ctx, final=False).decode()
        data = read(p)
        if data is None:
            fails.append("file %s does not exist" % p)
            continue
        r = match_pieces(expect_pieces(lines, ctx, b"\n"), data)
        if r:
            fails.append("file %s: %s" % (p, r))
    for arg, lines in case.all("expect-dir"):
        # [expect-dir PATH]: the directory holds exactly these entries
        p = render([arg], ctx, final=False).decode()
        want = sorted(render([l.strip()], ctx, final=False).decode()
                      for l in lines if l.strip())
        try:
            got = sorted(os.listdir(p))
        except OSError as exc:
            fails.append("directory %s: %s" % (p, exc.strerror))
            continue
        if got != want:
            fails.append("directory %s holds %s, expected %s"
                         % (p, got, want))
    return fails


def check_secret_absent(case, ctx, tmp, results):
    """[expect-secret-absent]: literal texts (escapes and macros) found
    nowhere mailhop could have put them: its stdout, stderr and terminal
    output of every run, and every file under %TMP% (logfile, queue
    entries, caches, --debug or --logfile output...) except the ones the
    case wrote itself (rc, [file]) and the fake servers' records."""
    texts = [render([l], ctx, final=False)
             for l in case.get("expect-secret-absent") or [] if l.strip()]
    if not texts:
        return []
    own = {os.path.realpath(ctx.vars["RCFILE"])}
    for arg, _ in case.all("file"):
        own.add(os.path.realpath(os.path.join(
            tmp, render([arg.split()[0]], ctx, final=False).decode())))
    skip_top = {"server", "server.script", "server.port", "server.stderr",
                "oauth2.log", "oauth2.stderr", "argv"}
    where = []
    for k, (_, out, err) in enumerate(results, 1):
        where += [("run %d stdout" % k, out), ("run %d stderr" % k, err),
                  ("run %d terminal" % k, ctx.tty.get(k) or b"")]
    for root, dirs, files in os.walk(tmp):
        if root == tmp:
            dirs[:] = [d for d in dirs if d not in skip_top]
        for f in files:
            p = os.path.join(root, f)
            if (root == tmp and f in skip_top) or os.path.islink(p) or \
                    os.path.realpath(p) in own:
                continue
            data = read(p)
            if data is not None:
                where.append((p, data))
    fails = []
    for text in texts:
        for what, data in where:
            if text in data:
                fails.append("%s contains the secret %r"
                             % (what, text.decode("utf-8", "replace")))
    return fails


def check_file_modes(case, ctx):
    """[expect-file-mode]: "PATH MODE" lines (octal permission bits)."""
    fails = []
    for line in case.get("expect-file-mode") or []:
        if not line.strip():
            continue
        path, _, mode = line.strip().rpartition(" ")
        p = render([path.strip()], ctx, final=False).decode()
        try:
            got = os.lstat(p).st_mode & 0o7777
        except OSError:
            fails.append("file %s does not exist" % p)
            continue
        if got != int(mode, 8):
            fails.append("file %s has mode %04o, expected %s"
                         % (p, got, mode))
    return fails


def check_output(case, ctx, want_rc, out, err, k=1):
    fails = []
    for name, data, what in (("expect-stderr", err, "stderr"),
                             ("expect-stdout", out, "stdout")):
        sec = case.for_run(name, k)
        if sec:
            mode, lines = sec
            if not lines:
                r = None if not data else "expected no output, got %r" % (
                    data[:200],)
            else:
                r = regex_lines_check(lines, data, ctx, mode)
        elif what == "stdout" or want_rc == 0:
            r = None if not data else "expected no output, got %r" % (
                data[:200],)
        else:
            r = regex_lines_check([r"mailhop: \S.*"], data, ctx, "")
        if r:
            fails.append("%s: %s" % (what, r))
    return fails


def check_server(case, ctx, tmp, verbose):
    if case.get("server") is None:
        return []
    rec = os.path.join(tmp, "server")
    raw = read(os.path.join(rec, "summary.json"))
    if raw is None:
        return ["the fake server left no summary"]
    summary = json.loads(raw)
    fails = ["server: " + v for v in summary["violations"]]
    nconn = summary["connections"]
    conns = [(int(a or "1"), lines) for a, lines in case.all("expect-server")]
    numbered = [int(a or "1") for n, a, _ in case.sections
                if n in ("expect-server", "expect-server-tls",
                         "expect-server-plain")]
    want = case.get("expect-connections")
    if want:
        if nconn != int(want[0]):
            fails.append("%d connection(s), expected %s" % (nconn, want[0]))
    elif numbered and nconn != max(numbered):
        fails.append("%d connection(s), expected %d"
                     % (nconn, max(numbered)))
    for n, lines in conns:
        data = read(os.path.join(rec, "conn-%d.in" % n)) or b""
        r = match_pieces(expect_pieces(lines, ctx, b"\r\n"), data)
        if r:
            fails.append("server received (connection %d): %s" % (n, r))
            if verbose:
                fails += ["  expected: " + l for l in lines[:80]]
                fails += ["  received: " + l for l in show_lines(data)]
    for arg, lines in case.all("expect-message"):
        name = "conn-%s.msg-1" % (arg or "1")
        if "." in arg:
            name = "conn-%s.msg-%s" % tuple(arg.split(".", 1))
        data = read(os.path.join(rec, name))
        if data is None:
            fails.append("no message %s was received" % name)
            continue
        r = match_pieces(expect_pieces(lines, ctx, b"\r\n"), data)
        if r:
            fails.append("message %s: %s" % (name, r))
    fails += check_server_tls(case, ctx, rec, summary, verbose)
    fails += check_server_auth(case, ctx, summary)
    want = case.get("expect-messages")
    if want and len(summary["messages"]) != int(want[0]):
        fails.append("the server took %d message(s), expected %s"
                     % (len(summary["messages"]), want[0]))
    if case.get("expect-no-mail") is not None:
        sent = any(any(c.upper().startswith("MAIL") for c in cmds)
                   for cmds in summary["commands"])
        for n in range(1, nconn + 1):
            raw = read(os.path.join(rec, "conn-%d.in" % n)) or b""
            sent = sent or re.search(rb"(?im)^MAIL FROM", raw) is not None
        if sent:
            fails.append("a MAIL command was sent but must not be")
    return fails


def tls_fact_text(value):
    """A summary TLS or AUTH fact as [expect-server-tls] and
    [expect-server-auth] compare it (a list: its items joined by " | ")."""
    if value is None:
        return "none"
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    return str(value)


def check_server_auth(case, ctx, summary):
    """[expect-server-auth N]: "KEY REGEX" lines about connection N's
    AUTH attempts: "attempts" is their number, the other keys are facts
    of the first attempt ("none" without one)."""
    fails = []
    auth = summary.get("auth") or []
    for arg, lines in case.all("expect-server-auth"):
        if arg == "all":
            n, tries = 0, [t for conn in auth for t in conn]
        else:
            n = int(arg or "1")
            tries = auth[n - 1] if n <= len(auth) else []
        first = tries[0] if tries else None
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            key, _, want = line.strip().partition(" ")
            if key == "attempts":
                got = str(len(tries))
            elif key in ("results", "tokens", "mechanisms"):
                got = " | ".join(tls_fact_text(t.get(key[:-1]))
                                 for t in tries)
            elif key in AUTH_FACTS:
                got = tls_fact_text(None if first is None
                                    else first.get(AUTH_FACTS[key]))
            else:
                raise CaseError("[expect-server-auth]: unknown key %r" % key)
            rx = subst_regex(want.strip(), ctx)
            if not re.fullmatch(rx, got):
                fails.append("server AUTH (%s): %s is %r, expected /%s/"
                             % ("all connections" if arg == "all" else
                                "connection %d" % n, key, got, rx))
    return fails


def check_server_tls(case, ctx, rec, summary, verbose):
    """[expect-server-tls N] facts and [expect-server-plain N] bytes."""
    fails = []
    tls = summary.get("tls") or []
    for arg, lines in case.all("expect-server-tls"):
        n = int(arg or "1")
        facts = tls[n - 1] if n <= len(tls) else None
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            key, _, want = line.strip().partition(" ")
            want = want.strip()
            if key == "tls":
                got = "none" if facts is None else "yes"
            elif key in TLS_FACTS:
                got = tls_fact_text(None if facts is None
                                    else facts.get(TLS_FACTS[key]))
            else:
                raise CaseError("[expect-server-tls]: unknown key %r" % key)
            rx = subst_regex(want, ctx)
            if not re.fullmatch(rx, got):
                fails.append("server TLS (connection %d): %s is %r, "
                             "expected /%s/" % (n, key, got, rx))
    for arg, lines in case.all("expect-server-plain"):
        n = int(arg or "1")
        data = read(os.path.join(rec, "conn-%d.in" % n)) or b""
        facts = tls[n - 1] if n <= len(tls) else None
        if facts is not None:
            data = data[:facts["plain_in"]]
        r = match_pieces(expect_pieces(lines, ctx, b"\r\n"), data)
        if r:
            fails.append("server received in plaintext (connection %d): %s"
                         % (n, r))
            if verbose:
                fails += ["  received: " + l for l in show_lines(data)]
    return fails


# ------------------------------------------------------------------ main
def select_cases(names):
    all_cases = sorted(f for f in os.listdir(CASES) if f.endswith(".t"))
    if not names:
        return all_cases
    chosen = []
    for n in names:
        n = os.path.basename(n)
        if n.endswith(".t"):
            n = n[:-2]
        hits = [f for f in all_cases if f[:-2] == n]
        if not hits:
            hits = [f for f in all_cases if fnmatch.fnmatch(f[:-2], n)
                    or f.startswith(n)]
        if not hits:
            print("run.py: no case matches '%s'" % n, file=sys.stderr)
            sys.exit(2)
        chosen += [h for h in hits if h not in chosen]
    return chosen


def main(argv):
    verbose = keep = False
    names = []
    jobs = os.environ.get("MAILHOP_TEST_JOBS") or "1"
    args = iter(argv)
    for a in args:
        if a == "--cases":
            global CASES
            CASES = os.path.abspath(next(args, "."))
        elif a == "-j" or (a.startswith("-j") and a[2:].isdigit()):
            jobs = a[2:] or next(args, "1")
        elif a == "-v":
            verbose = True
        elif a == "-k":
            keep = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            names.append(a)
    mailhop = os.path.abspath(os.environ.get("MAILHOP") or
                              os.path.join("src", "mailhop"))
    python = os.environ.get("PYTHON3") or sys.executable
    files = select_cases(names)
    for f in files:
        with open(os.path.join(CASES, f), encoding="utf-8") as fh:
            if NEEDS_CERTS.search(fh.read()):
                Certs.make()
                break
    try:
        return run_all(files, mailhop, python, verbose, keep,
                       max(1, int(jobs)))
    finally:
        if Certs.dir and keep:
            print("# certificates kept: %s" % Certs.dir)
        elif Certs.dir:
            shutil.rmtree(Certs.dir, ignore_errors=True)


def run_one(f, mailhop, python, verbose, keep):
    """(ok, diagnostics) of case file f; never raises."""
    if not os.access(mailhop, os.X_OK):
        return False, ["no executable at %s (set MAILHOP)" % mailhop]
    try:
        case = Case(os.path.join(CASES, f))
        return run_case(case, mailhop, python, verbose, keep)
    except CaseError as exc:
        return False, ["case error: %s" % exc]
    except Exception as exc:  # a runner bug must not stop the run
        return False, ["runner error: %r" % (exc,)]


def run_all(files, mailhop, python, verbose, keep, jobs=1):
    """Runs the cases, `jobs` at a time (each case has its own temp
    directory, server and ports, so they are independent); the results are
    printed in case order as soon as every earlier case is done."""
    print("1..%d" % len(files), flush=True)
    passed = failed = 0
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    futures = [pool.submit(run_one, f, mailhop, python, verbose, keep)
               for f in files]
    for i, (f, fut) in enumerate(zip(files, futures), 1):
        name = f[:-2]
        ok, diags = fut.result()
        print("%sok %d - %s" % ("" if ok else "not ", i, name))
        for d in diags:
            print("# " + d)
        sys.stdout.flush()
        passed += ok
        failed += not ok
    pool.shutdown()
    print("# %d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
