#!/usr/bin/env python3
"""tests/progress/run.py - the progress line of a large message (TAP).

mailhop -v shows "\\r  sent X MiB of Y MiB (R MiB/s)" on stderr while a
large message goes out, ending with a newline, but only when stderr is a
terminal.  Each case sends a 3 MiB message to tests/fakesmtp.py on
loopback (DATA, then BDAT), with stderr on a pty (python's pty.openpty)
or on a pipe, and checks what appeared on stderr and what the server got.

Environment: MAILHOP (the binary), top_srcdir (for tests/fakesmtp.py).
"""
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("top_srcdir") or os.path.dirname(os.path.dirname(HERE))
FAKESMTP = os.path.join(SRCDIR, "tests", "fakesmtp.py")
MAILHOP = os.environ.get("MAILHOP") or os.path.join(SRCDIR, "src", "mailhop")
PYTHON = os.environ.get("PYTHON3") or sys.executable
BIG = 3 * 1024 * 1024     # above mailhop's PROGRESS_MIN_BYTES (1 MiB)
SMALL = 4 * 1024          # below it
RUN_TIMEOUT = 60          # seconds for one mailhop run
PROGRESS = re.compile(
    rb"\r  sent [0-9]+\.[0-9] MiB of ([0-9]+\.[0-9]) MiB \([0-9]+\.[0-9] MiB/s\)")

results = []


def ok(cond, name, diag=""):
    results.append(cond)
    print("%s %d - %s" % ("ok" if cond else "not ok", len(results), name))
    if not cond and diag:
        for line in str(diag).splitlines():
            print("# " + line)
    sys.stdout.flush()


def message(size):
    head = (b"From: alice@example.org\nTo: bob@example.org\n"
            b"Subject: big\n\n")
    line = b"0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopq\n"
    body = line * (size // len(line) + 1)
    return head + body


def start_server(tmp, caps):
    script = os.path.join(tmp, "server.script")
    with open(script, "w") as f:
        f.write("caps %s\n" % caps)
    pfile = os.path.join(tmp, "port")
    log = open(os.path.join(tmp, "server.stderr"), "wb")
    proc = subprocess.Popen(
        [PYTHON, FAKESMTP, "--script", script, "--record",
         os.path.join(tmp, "rec"), "--port", "0", "--port-file", pfile,
         "--timeout", "120", "--max-connections", "1", "--quiet"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    log.close()
    end = time.monotonic() + 10
    while not os.path.exists(pfile) or os.path.getsize(pfile) == 0:
        if proc.poll() is not None or time.monotonic() > end:
            raise RuntimeError("fake server did not start")
        time.sleep(0.01)
    time.sleep(0.05)
    with open(pfile) as f:
        return proc, int(f.read().strip())


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def read_until_exit(proc, master):
    """Everything written to the pty until mailhop exits."""
    out = b""
    end = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < end:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the slave side is closed
                break
            if not data:
                break
            out += data
        elif proc.poll() is not None:
            break
    return out


def run(tmp, args, data, tty):
    env = dict(os.environ, HOME=tmp, TMPDIR=tmp, LC_ALL="C",
               XDG_CONFIG_HOME=os.path.join(tmp, ".config"),
               XDG_STATE_HOME=os.path.join(tmp, ".local", "state"),
               XDG_CACHE_HOME=os.path.join(tmp, ".cache"))
    argv = [MAILHOP, "-C", os.path.join(tmp, "rc")] + args + [
        "bob@example.org"]
    inp = os.path.join(tmp, "msg")
    with open(inp, "wb") as f:
        f.write(data)
    with open(inp, "rb") as stdin:
        if not tty:
            res = subprocess.run(argv, stdin=stdin, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env,
                                 timeout=RUN_TIMEOUT)
            return res.returncode, res.stderr
        master, slave = pty.openpty()
        proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL,
                                stderr=slave, env=env)
        os.close(slave)
        out = read_until_exit(proc, master)
        os.close(master)
        return proc.wait(timeout=RUN_TIMEOUT), out


def case(name, caps, args, size, tty, expect_progress):
    tmp = tempfile.mkdtemp(prefix="mailhop-progress-")
    try:
        proc, port = start_server(tmp, caps)
        with open(os.path.join(tmp, "rc"), "w") as f:
            # queue off: as root the queue would be $(localstatedir)'s.
            f.write("account default\nhost 127.0.0.1\nport %d\n"
                    "from alice@example.org\ntimeout 20\nqueue off\n"
                    % port)
        try:
            code, err = run(tmp, args, message(size), tty)
        finally:
            stop_server(proc)
        got = os.path.join(tmp, "rec", "conn-1.msg-1")
        delivered = os.path.exists(got) and os.path.getsize(got) >= size
        ok(code == 0 and delivered, "%s: delivered" % name,
           "exit %d, stderr %r" % (code, err[-400:]))
        m = PROGRESS.search(err)
        if expect_progress:
            ok(m is not None, "%s: progress line shown" % name, repr(err[-400:]))
            last = err.rfind(b"\r  sent ")
            tail = err[last:].split(b"\n", 1)
            ok(last >= 0 and len(tail) == 2 and
               b"MiB of 3.0 MiB" in tail[0] and b"sent 3.0 MiB" in tail[0],
               "%s: the last progress line is complete and ends with a "
               "newline" % name, repr(err[-400:]))
        else:
            ok(m is None and b"\r" not in err.replace(b"\r\n", b"\n"),
               "%s: no progress line" % name, repr(err[-400:]))
    except Exception as exc:  # noqa: BLE001 - report, never hang
        ok(False, "%s: ran" % name, repr(exc))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


CASES = [
    ("DATA, -v, stderr a terminal", "PIPELINING 8BITMIME", ["-v"], BIG,
     True, True),
    ("BDAT, -v, stderr a terminal", "PIPELINING 8BITMIME CHUNKING", ["-v"],
     BIG, True, True),
    ("DATA, -v, stderr a pipe", "PIPELINING 8BITMIME", ["-v"], BIG, False,
     False),
    ("BDAT, -v, stderr a pipe", "PIPELINING CHUNKING", ["-v"], BIG, False,
     False),
    ("DATA, no -v, stderr a terminal", "PIPELINING", [], BIG, True, False),
    ("small message, -v, stderr a terminal", "PIPELINING", ["-v"], SMALL,
     True, False),
]


def main():
    print("1..%d" % (len(CASES) * 2 + sum(1 for c in CASES if c[5])))
    for c in CASES:
        case(*c)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
