#!/usr/bin/env python3
"""gen-cases.py - writes the SMTP smuggling matrix of the security suite.

Every tests/security/cases/smuggle-FORM-POSITION-{i,no-i}-{data,bdat}.t
comes from the tables below: an input FORM (a line-end trick that could
end the data early on some server) placed at a POSITION of the message on
standard input, sent with or without -i, with DATA or (the server offers
CHUNKING) BDAT.  Each case expects exit 0, exactly one message, and the
exact bytes the fake server received, which this script computes from
mailhop's rules (src/msg.c, src/compose.c, src/dotstuff.c):

  - Line ends on input are LF, CRLF or a bare CR; on the wire each is CRLF,
    and a last line without a line end gets one.
  - Without -i, input ends at a line holding a lone "." ended by LF or
    CRLF (or a "." that is the last byte); the dot line is not sent.  A
    "." line ended by a bare CR is data.  With -i nothing ends input.
  - Input whose first line is not a header field has no header block: it
    is sent as the text of a composed message (From, Date, Message-ID and
    MIME fields, an empty line, the text; the text ends with a line end,
    so an empty text is one empty line).  Input with a header block that
    has From, Date and Message-ID is sent unchanged (other header edits
    are not modelled: the script refuses such a table entry).
  - DATA: a line starting with "." gets one more "."; then ".".  BDAT:
    one "BDAT <size> LAST" chunk (the size of the message as sent; %NUM%
    when the message holds a date or message id, whose lengths vary).

How to change the matrix: edit FORMS, POSITIONS, DOTS or METHODS below
(or the model functions, if mailhop's rules change), run
tests/security/gen-cases.py from anywhere, add the new file names to (or
remove the old ones from) EXTRA_DIST in tests/security/local.mk (the
script prints which), and commit the script with the case files.  It
removes the smuggle-*.t files that are no longer in the matrix.

The inject-*.t cases are not generated: each is its own attack (an
option, argument or rc value holding a line end or a command), with its
own outcome (exit 64 or 65 with no connection, exit 78 with nothing
sent, or a normal delivery) and description, so a table of them would
hold every file's text anyway.

Usage: gen-cases.py [--out DIR]   write the cases into DIR (default
                                  tests/security/cases next to this file)
       gen-cases.py --check       TAP test (make check, through
                                  tests/security/gen-check.sh): the
                                  committed smuggle-*.t files are exactly
                                  what this script writes (it writes only
                                  into a temp directory), and local.mk
                                  lists each one; exit 1 naming every
                                  differing file otherwise.
"""

import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
LOCAL_MK = os.path.join(HERE, "local.mk")
PREFIX = "smuggle-"

# ------------------------------------------------------------- the matrix
# (name, input bytes): each could end the data early on a server that
# takes a bare LF or CR as a line end, or a dot line not preceded by CRLF.
FORMS = [
    ("bare-cr", b"a\rb"),
    ("bare-lf", b"a\nb"),
    ("cr-dot-cr", b"a\r.\rb"),
    ("cr-dot-lf", b"a\r.\nb"),
    ("crlf-dot-cr", b"a\r\n.\rb"),
    ("dot-crlf", b".\r\n"),
    ("lf-dot-crlf", b"a\n.\r\nb"),
    ("lf-dot-lf", b"a\n.\nb"),
]

HEADER = (b"From: Alice <alice@example.org>\n"
          b"To: Bob <bob@example.org>\n"
          b"Subject: test message\n"
          b"Date: Sun, 22 Nov 2026 10:00:00 +0000\n"
          b"Message-ID: <test-1@example.org>\n")
FORM = b"<FORM>"  # where the form goes in a position's standard input
# (name, standard input with FORM in it)
POSITIONS = [
    ("body-start", HEADER + b"\n" + FORM + b"\nHello Bob,\nthis is a test.\n"),
    ("end", HEADER + b"\nHello Bob,\nthis is a test.\n" + FORM),
    ("message-start",
     FORM + b"From: Alice <alice@example.org>\nSubject: s\n\nbody\n"),
    ("mid-body", HEADER + b"\nHello Bob,\n" + FORM + b"\nthis is a test.\n"),
]
# (name, -i given)
DOTS = [("i", True), ("no-i", False)]
# (name, the server offers CHUNKING: mailhop sends with BDAT)
METHODS = [("bdat", True), ("data", False)]

# The composed message's added header (rc from alice@example.org); %...%
# are the runner's macros for what varies from run to run.
COMPOSED_HEADER = (b"From: alice@example.org\n"
                   b"Date: %DATE%\n"
                   b"Message-ID: %MSGID(example.org)%\n"
                   b"MIME-Version: 1.0\n"
                   b"Content-Type: text/plain; charset=utf-8\n"
                   b"Content-Transfer-Encoding: 7bit\n"
                   b"\n")
FIELD = re.compile(rb"[!-9;-~]+[ \t]*:")


# -------------------------------------------------------------- the model
def split_lines(data):
    """bytes -> [(text, line end)]; a line end is LF, CRLF or a bare CR,
    b"" for a last line without one (no empty last line)."""
    lines = []
    for m in re.finditer(rb"([^\r\n]*)(\r\n|\r|\n|$)", data):
        if m.group(2) or m.group(1):
            lines.append((m.group(1), m.group(2)))
        if not m.group(2):
            break
    return lines


def spool(stdin, ignore_dots):
    """What mailhop reads of stdin: without -i up to the lone-dot line."""
    out = b""
    for text, eol in split_lines(stdin):
        if not ignore_dots and text == b"." and eol in (b"\n", b"\r\n", b""):
            break
        out += text + eol
    return out


def message(text):
    """The message mailhop sends for spooled input text (line ends not yet
    normalised)."""
    lines = split_lines(text)
    if not lines or not FIELD.match(lines[0][0]):
        if not text or text[-1:] not in (b"\n", b"\r"):
            text += b"\n"
        return COMPOSED_HEADER + text
    names = set()
    for t, _ in lines:
        if not t:
            break
        m = FIELD.match(t)
        if m:
            names.add(m.group(0)[:-1].strip().lower())
    missing = {b"from", b"date", b"message-id"} - names
    if missing:
        sys.exit("gen-cases.py: the header lacks %s: header edits are not "
                 "modelled" % b", ".join(sorted(missing)).decode())
    return text


def wire_lines(msg):
    """The message's lines as sent (each ends with CRLF on the wire)."""
    return [text for text, _ in split_lines(msg)]


# ----------------------------------------------------- case file rendering
def escape(data):
    """bytes -> case-file text with the runner's escapes."""
    out = []
    for b in data:
        c = chr(b)
        if c == "\\":
            out.append("\\\\")
        elif c == "\r":
            out.append("\\r")
        elif c == "\n":
            out.append("\\n")
        elif b < 0x20 and c != "\t" or b >= 0x7f:
            out.append("\\x%02x" % b)
        else:
            out.append(c)
    return "".join(out)


def block(lines, eol):
    """Escaped lines; a section cannot end with an empty line (the runner
    drops it), so a trailing empty line is joined to the one before it as
    an escaped line end."""
    out = [escape(t) for t in lines]
    while len(out) > 1 and out[-1] == "":
        out.pop()
        out[-1] += eol
    return out


def render_case(form, form_name, pos_name, stdin_tpl, dots, ignore_dots,
                method, chunking):
    stdin = stdin_tpl.replace(FORM, form)
    if b"%" in stdin:
        sys.exit("gen-cases.py: '%' in an input would read as a macro")
    msg = wire_lines(message(spool(stdin, ignore_dots)))
    size = sum(len(t) + 2 for t in msg)
    text = block(msg, "\\r\\n")
    if chunking:
        sent = ["BDAT %s LAST" % ("%NUM%" if b"%" in b"".join(msg)
                                  else size)] + text
    else:
        sent = ["DATA"] + block([b"." + t if t.startswith(b".") else t
                                 for t in msg], "\\r\\n") + ["."]
    out = [
        "[info]",
        "SMTP smuggling input %r at %s, %s -i, sent with %s: every line"
        % (form, pos_name, "with" if ignore_dots else "without",
           "BDAT" if chunking else "DATA"),
        "end is CRLF on the wire, no bare CR/LF, dots stuffed (DATA), and",
        "nothing ends the data early: the server takes exactly one message.",
        "",
        "[server]",
        "caps PIPELINING" + (" CHUNKING" if chunking else ""),
        "",
        "[args]",
    ] + (["-i"] if ignore_dots else []) + [
        "bob@example.org",
        "",
        "[stdin nonl]",
    ] + block(stdin.split(b"\n"), "\\n") + [
        "",
        "[expect-exit]",
        "0",
        "",
        "[expect-messages]",
        "1",
        "",
        "[expect-server]",
        "EHLO localhost",
        "MAIL FROM:<alice@example.org>",
        "RCPT TO:<bob@example.org>",
    ] + sent + [
        "QUIT",
        "",
        "[expect-message]",
    ] + text
    name = "%s%s-%s-%s-%s.t" % (PREFIX, form_name, pos_name, dots, method)
    return name, ("\n".join(out) + "\n").encode("utf-8")


def cases():
    """{file name: bytes} of the whole matrix."""
    out = {}
    for form_name, form in FORMS:
        for pos_name, stdin_tpl in POSITIONS:
            for dots, ignore_dots in DOTS:
                for method, chunking in METHODS:
                    name, data = render_case(form, form_name, pos_name,
                                             stdin_tpl, dots, ignore_dots,
                                             method, chunking)
                    out[name] = data
    return out


# ------------------------------------------------------------------ modes
def present(d):
    return sorted(f for f in os.listdir(d)
                  if f.startswith(PREFIX) and f.endswith(".t"))


def listed():
    """The smuggle-*.t case names EXTRA_DIST in local.mk has."""
    with open(LOCAL_MK, encoding="utf-8") as f:
        return set(re.findall(r"tests/security/cases/(%s[^\s\\]*\.t)"
                              % re.escape(PREFIX), f.read()))


def write(d, files):
    os.makedirs(d, exist_ok=True)
    for name, data in sorted(files.items()):
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def check():
    files = cases()
    tmp = tempfile.mkdtemp(prefix="mailhop-gen-cases-")
    try:
        write(tmp, files)
        bad = []
        for name in sorted(files):
            with open(os.path.join(tmp, name), "rb") as f:
                want = f.read()
            try:
                with open(os.path.join(CASES, name), "rb") as f:
                    if f.read() != want:
                        bad.append("differs: %s" % name)
            except FileNotFoundError:
                bad.append("missing: %s" % name)
        bad += ["not in the matrix: %s" % n for n in present(CASES)
                if n not in files]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    mk = listed()
    unlisted = sorted(set(files) - mk)
    stale = sorted(mk - set(files))
    print("1..2")
    print("%sok 1 - tests/security/cases: the %d %s*.t files are what "
          "tests/security/gen-cases.py writes"
          % ("not " if bad else "", len(files), PREFIX))
    for b in bad:
        print("# " + b)
    if bad:
        print("# run tests/security/gen-cases.py (or fix it) and commit "
              "the files")
    print("%sok 2 - tests/security/local.mk: EXTRA_DIST lists exactly the "
          "%s*.t cases" % ("not " if unlisted or stale else "", PREFIX))
    for n in unlisted:
        print("# not in EXTRA_DIST: tests/security/cases/%s" % n)
    for n in stale:
        print("# in EXTRA_DIST but not in the matrix: "
              "tests/security/cases/%s" % n)
    return 1 if bad or unlisted or stale else 0


def main(argv):
    if argv == ["--check"]:
        return check()
    if not argv:
        d = CASES
    elif len(argv) == 2 and argv[0] == "--out":
        d = argv[1]
    else:
        print(__doc__, file=sys.stderr)
        return 2
    files = cases()
    write(d, files)
    for n in present(d):
        if n not in files:
            os.remove(os.path.join(d, n))
            print("removed %s" % os.path.join(d, n))
    print("wrote %d %s*.t files into %s" % (len(files), PREFIX, d))
    if os.path.abspath(d) == CASES:
        mk = listed()
        for n in sorted(set(files) - mk):
            print("add to EXTRA_DIST in tests/security/local.mk: "
                  "tests/security/cases/%s" % n)
        for n in sorted(mk - set(files)):
            print("remove from EXTRA_DIST in tests/security/local.mk: "
                  "tests/security/cases/%s" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
