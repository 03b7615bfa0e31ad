#!/usr/bin/env python3
"""tests/alloc/run.py - allocation-failure torture (issue 9, item 3).

For each scenario, tests/alloc/mailhop-torture (src/mailhop linked with
failalloc.c, see tests/alloc/README) runs once without a failure to count
its allocations, then once for every N from 1 to that count with
MAILHOP_FAIL_ALLOC=N: allocation N fails as it does when memory is short.
Every run must:
  * exit 0 or with a code of the sysexits table (DESIGN.md), never die of a
    signal, never print a sanitizer report, never hang (killed after
    RUN_TIMEOUT s);
  * when it exits non-zero, start its stderr with one "mailhop: ..." line
    (after exit 0, only "mailhop: warning: ..." lines may appear);
  * never make the server take a partial message: every message the fake
    server took (final dot or BDAT LAST) is byte for byte the expected one,
    and the server saw no protocol violation;
  * after exit 0 (queue off), have delivered the message exactly once;
  * with the queue on, never lose it: after exit 0 it is queued and a
    plain flush delivers it; a tortured --flush leaves it delivered or
    still queued (a plain flush then delivers it), never given up.
One fake server per scenario serves every run (tests/fakesmtp.py).
TAP output, one test per scenario and N range, with a summary line per
scenario ("# plain: 231 N tried, ...").  Environment: MAILHOP (the plain
binary, used to prepare and check queues), MAILHOP_TORTURE (default
$top_builddir/tests/alloc/mailhop-torture), top_srcdir, PYTHON3.
Two sweeps per scenario: allocation N alone fails, for every N; then
allocation N and every later one fail (curl's torture mode), for every
STICKY_STRIDE-th N.
Options: -s NAME (only this scenario, repeatable), -k (keep the temp
directory), -v (print every run), --single / --sticky (only that sweep,
every N), --stride K (or MAILHOP_ALLOC_STRIDE=K: only every Kth N and the
last; default 1).
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get('top_srcdir') or os.path.dirname(
    os.path.dirname(HERE))
BUILDDIR = os.environ.get('top_builddir') or '.'
MAILHOP = os.environ.get('MAILHOP') or os.path.join(BUILDDIR, 'src',
                                                    'mailhop')
TORTURE = os.environ.get('MAILHOP_TORTURE') or os.path.join(
    BUILDDIR, 'tests', 'alloc', 'mailhop-torture')
MAILHOP = os.path.abspath(MAILHOP)
TORTURE = os.path.abspath(TORTURE)
FAKESMTP = os.path.join(SRCDIR, 'tests', 'fakesmtp.py')
MKCERTS = os.path.join(SRCDIR, 'tests', 'tls', 'mkcerts.sh')
PYTHON = os.environ.get('PYTHON3') or sys.executable

# A run that takes longer than this hangs (the rc's timeout is 5 s).
RUN_TIMEOUT = 20
# How long the fake server may take to finish a connection after mailhop
# exited, and how often to look.
IDLE_WAIT = 10.0
IDLE_POLL = 0.002
# queue-add: flush the messages queued by this many runs at once.
HOLD_BATCH = 25
# The sysexits codes of DESIGN.md's table.
SYSEXITS = {0, 64, 65, 67, 68, 69, 70, 71, 74, 75, 76, 77, 78}
SANITIZER_MARKS = ('AddressSanitizer', 'LeakSanitizer', 'runtime error:',
                   'UndefinedBehaviorSanitizer')

# The message: every header mailhop would add is present, so the server
# must receive exactly these lines (CRLF).
MESSAGE = (b'From: Alice <alice@example.org>\n'
           b'To: bob@example.org, carol@example.org\n'
           b'Subject: allocation torture\n'
           b'Date: Sun, 22 Nov 2026 12:00:00 +0000\n'
           b'Message-ID: <torture.1@example.org>\n'
           b'\n'
           b'Line one.\n'
           b'.a line that needs dot-stuffing\n'
           b'\n'
           b'Last line.\n')
# -t: recipients from folded To/Cc and Bcc; Bcc is removed.
MESSAGE_T = (b'From: Alice <alice@example.org>\n'
             b'To: Bob <bob@example.org>,\n'
             b'  "Carol C." <carol@example.org>\n'
             b'Cc: dave@example.org\n'
             b'Bcc: erin@example.org\n'
             b'Subject: a folded\n'
             b' subject line\n'
             b'Date: Sun, 22 Nov 2026 12:00:00 +0000\n'
             b'Message-ID: <torture.2@example.org>\n'
             b'\n'
             b'First line.\n'
             b'..two dots\n'
             b'\n'
             + b'x' * 200 + b'\n'
             + b'Last line.\n')


def mask(msg):
    """A composed message without what changes from run to run."""
    msg = re.sub(rb'(?m)^(Date|Message-ID): .*$', rb'\1: X', msg)
    return re.sub(rb'=_mailhop_[0-9a-f]+', b'=_mailhop_X', msg)


def crlf(data, drop=None):
    lines = data.split(b'\n')[:-1]
    if drop:
        lines = [ln for ln in lines if not ln.startswith(drop)]
    return b''.join(ln + b'\r\n' for ln in lines)


SCENARIOS = [
    {
        'name': 'plain',
        'info': 'plain SMTP, PIPELINING, three recipients',
        'server': 'caps PIPELINING SIZE=1000000 8BITMIME DSN\n',
        'rc': '',
        'args': ['bob@example.org', 'carol@example.org, dave@example.org'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'starttls-plain',
        'info': 'STARTTLS (test CA) + AUTH PLAIN',
        'tls': True,
        'server': 'caps STARTTLS PIPELINING\n'
                  'tls-cert server\n'
                  'tls-caps PIPELINING AUTH=PLAIN 8BITMIME\n'
                  'auth-user alice s3cret\n'
                  'auth-required\n',
        'rc': 'tls on\ntls_starttls on\ntls_trust_file %CERTS%/ca.pem\n'
              'tls_session_cache off\n'
              'auth plain\nuser alice\npassword s3cret\n',
        'args': ['bob@example.org', 'carol@example.org'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'scram-bdat',
        'info': 'AUTH SCRAM-SHA-256, CHUNKING (BDAT)',
        'server': 'caps PIPELINING CHUNKING AUTH=SCRAM-SHA-256=LOGIN\n'
                  'auth-user alice s3cret\n'
                  'auth-iterations 4096\n'
                  'auth-required\n',
        'rc': 'auth scram-sha-256\nuser alice\npassword s3cret\n',
        'args': ['bob@example.org'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'login',
        'info': 'AUTH LOGIN over plain text (allowed by the rc)',
        'server': 'caps PIPELINING AUTH=LOGIN\n'
                  'auth-user alice s3cret\n'
                  'auth-required\n',
        'rc': 'auth login\nuser alice\npassword s3cret\n'
              'tls off\n',
        'args': ['bob@example.org'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'header-t',
        'info': '-t: envelope from folded To/Cc/Bcc, multi-line message',
        'server': 'caps PIPELINING 8BITMIME\n',
        'rc': '',
        'args': ['-t', '-i'],
        'stdin': MESSAGE_T,
        'expect': crlf(MESSAGE_T, drop=b'Bcc:'),
    },
    {
        'name': 'extras',
        'info': 'aliases, IDN qualify_domain, logfile, passwordeval, '
                'CRAM-MD5',
        'server': 'caps PIPELINING AUTH=CRAM-MD5\n'
                  'auth-user alice s3cret\n'
                  'auth-required\n',
        'rc': 'aliases %DIR%/aliases\nqualify_domain m\u00fcnchen.example\n'
              'logfile %DIR%/log\n'
              'auth cram-md5\nuser alice\npasswordeval echo s3cret\n',
        'files': {'aliases': 'team: carol, bob@b\u00fccher.example\n'},
        'args': ['team', 'dave@xn--bcher-kva.example'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'compose',
        'info': 'compose mode: --subject (RFC 2047) and --attach',
        'server': 'caps PIPELINING 8BITMIME\n',
        'rc': '',
        'files': {'att.txt': 'attachment text\n' * 40},
        'args': ['--subject', 'Gr\u00fc\u00dfe aus M\u00fcnchen',
                 '--attach', '%DIR%/att.txt', 'bob@example.org'],
        'stdin': b'Body line one\nBody line two\n',
        # Date, Message-ID and the MIME boundary differ from run to run:
        # the baseline run's message, masked, is the expected one.
        'expect': None,
    },
    {
        'name': 'tls-resume',
        'info': 'implicit TLS resuming a cached session (tls_session_cache)',
        'tls': True,
        'server': 'tls-implicit\ntls-cert server\ncaps PIPELINING\n',
        'rc': 'tls on\ntls_starttls off\ntls_trust_file %CERTS%/ca.pem\n'
              'tls_session_cache on\n',
        'snapshot': 'home/cache',
        'args': ['bob@example.org'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'serverinfo',
        'info': '--serverinfo over STARTTLS (certificate summary on stdout)',
        'tls': True,
        'stdout': True,
        'server': 'caps STARTTLS PIPELINING SIZE=1000\ntls-cert server\n'
                  'tls-caps PIPELINING SIZE=1000 AUTH=PLAIN=SCRAM-SHA-256 '
                  'DSN 8BITMIME CHUNKING\n',
        'rc': 'tls on\ntls_starttls on\ntls_trust_file %CERTS%/ca.pem\n'
              'tls_session_cache off\n',
        'args': ['--serverinfo'],
        'stdin': b'',
        'nomsg': True,
        'expect': b'(no message)',
    },
    {
        'name': 'mailq',
        'info': 'queue on: --queue-list of a queue holding a message',
        'queue': 'list',
        'stdout': True,
        'snapshot': 'queue',
        'server': 'caps PIPELINING\non MAIL reply 451 4.3.0 try later\n',
        'rc': '',
        'prep_args': ['bob@example.org', 'carol@example.org'],
        'args': ['--queue-list'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'fallback',
        'info': '451 from the account\'s server, a fallback account '
                'delivers (queue off)',
        'fallback': True,
        'server': 'caps PIPELINING\non MAIL reply 451 4.3.0 try later\n',
        'rc': 'fallback second\n\n'
              'account second : default\nport %OKPORT%\nfallback\n',
        'args': ['bob@example.org', 'carol@example.org'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'lmtp-dsn',
        'info': 'LMTP (a reply per recipient), DSN NOTIFY/RET, 8BITMIME',
        'server': 'proto lmtp\ncaps PIPELINING DSN 8BITMIME '
                  'ENHANCEDSTATUSCODES\n',
        'rc': 'protocol lmtp\ndsn_notify failure,delay\ndsn_return headers\n',
        'args': ['bob@example.org', 'carol@example.org', 'dave@example.org'],
        'stdin': MESSAGE.replace(b'Last line.', b'Caf\xc3\xa9 line.'),
        'expect': crlf(MESSAGE.replace(b'Last line.', b'Caf\xc3\xa9 line.')),
    },
    {
        'name': 'bs',
        'info': '-bs: an SMTP dialogue on stdin relayed to the server',
        'bs': True,
        'server': 'caps PIPELINING 8BITMIME\n',
        'rc': '',
        'args': ['-bs'],
        'stdin': b'EHLO client.example\r\n'
                 b'MAIL FROM:<alice@example.org>\r\n'
                 b'RCPT TO:<bob@example.org>\r\n'
                 b'RCPT TO:<carol@example.org>\r\n'
                 b'DATA\r\n' + MESSAGE.replace(b'\n.a', b'\n..a')
                 .replace(b'\n', b'\r\n') + b'.\r\nQUIT\r\n',
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'queue-add',
        'info': 'queue on: 451 to MAIL queues the message (exit 0); '
                'a plain --flush must then deliver it',
        'queue': 'add',
        'server': 'caps PIPELINING\non MAIL reply 451 4.3.0 try later\n',
        'rc': '',
        'args': ['bob@example.org', 'carol@example.org'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
    {
        'name': 'queue-flush',
        'info': 'queue on: a queued message, then a tortured --flush; '
                'a plain --flush then must leave nothing undelivered',
        'queue': 'flush',
        'server': 'caps PIPELINING\non MAIL reply 451 4.3.0 try later\n',
        'rc': '',
        'args': ['bob@example.org', 'carol@example.org'],
        'stdin': MESSAGE,
        'expect': crlf(MESSAGE),
    },
]

ntests = 0
nfail = 0
VERBOSE = False
# Try every STRIDE-th N only (and the last): for a slow machine, by hand
# or MAILHOP_ALLOC_STRIDE; the default, 1, is every N.
STRIDE = max(1, int(os.environ.get('MAILHOP_ALLOC_STRIDE') or 1))
# The sticky sweep (curl's mode: N and every later allocation fail) tries
# every STICKY_STRIDE-th N of that: it reaches the error paths that
# themselves allocate, and most of its runs repeat the single sweep's.
STICKY_STRIDE = 4


def tap(ok, name, detail=()):
    global ntests, nfail
    ntests += 1
    print('%sok %d - %s' % ('' if ok else 'not ', ntests, name))
    if not ok:
        nfail += 1
        for d in list(detail)[:40]:
            for line in str(d).splitlines()[:10]:
                print('#   ' + line)
    sys.stdout.flush()


class Server:
    """One fakesmtp.py process serving every run of a scenario."""

    def __init__(self, tmp, name, script, certs):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        path = os.path.join(self.dir, 'script')
        with open(path, 'w') as f:
            f.write(script)
        self.rec = os.path.join(self.dir, 'rec')
        pfile = os.path.join(self.dir, 'port')
        cmd = [PYTHON, FAKESMTP, '--script', path, '--record', self.rec,
               '--port-file', pfile, '--timeout', '3600', '--quiet']
        if certs:
            cmd += ['--certs', certs]
        self.log = open(os.path.join(self.dir, 'stderr'), 'wb')
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log)
        end = time.monotonic() + 20
        while not (os.path.exists(pfile) and os.path.getsize(pfile)):
            if self.proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError('fake server did not start')
            time.sleep(0.01)
        with open(pfile) as f:
            self.port = int(f.read().strip())
        self.seen_msgs = 0
        self.seen_viol = 0

    def summary(self):
        try:
            with open(os.path.join(self.rec, 'summary.json')) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def idle(self):
        """Wait until every accepted connection is finished; the summary."""
        end = time.monotonic() + IDLE_WAIT
        while True:
            s = self.summary()
            nconn = len(glob.glob(os.path.join(self.rec, 'conn-*.in')))
            if s is not None and s['connections'] == nconn:
                return s
            if time.monotonic() > end:
                raise RuntimeError('fake server stays busy')
            time.sleep(IDLE_POLL)

    def news(self):
        """The messages and violations since the last call."""
        s = self.idle()
        msgs = s['messages'][self.seen_msgs:]
        viol = s['violations'][self.seen_viol:]
        self.seen_msgs = len(s['messages'])
        self.seen_viol = len(s['violations'])
        out = []
        for name in msgs:
            with open(os.path.join(self.rec, name), 'rb') as f:
                out.append(f.read())
        return out, viol

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class Run:
    def __init__(self, rc, out, err, report):
        self.rc, self.out, self.err, self.report = rc, out, err, report

    def allocs(self):
        # "allocs COUNT failed FAILED at 0xOFFSET..."
        w = self.report.split()
        return (int(w[1]), int(w[3])) if len(w) >= 4 else (None, None)


class Scenario:
    def __init__(self, tmp, sc, certs):
        self.sc = sc
        self.name = sc['name']
        self.sticky = False
        self.duplicates = []
        self.stdout = None  # the baseline's stdout (digits masked)
        self.dir = os.path.join(tmp, self.name)
        os.makedirs(self.dir)
        self.home = os.path.join(self.dir, 'home')
        os.makedirs(self.home)
        self.queue = os.path.join(self.dir, 'queue')
        self.report = os.path.join(self.dir, 'allocs')
        self.server = Server(self.dir, 'server', sc['server'], certs)
        # queue scenarios: a second server that takes everything
        self.ok = None
        if sc.get('queue') or sc.get('fallback'):
            self.ok = Server(self.dir, 'ok-server', 'caps PIPELINING\n',
                             certs)
        self.rc = self.write_rc('rc', self.server.port, sc, certs)
        if sc.get('queue'):
            self.rc_ok = self.write_rc('rc-ok', self.ok.port, sc, certs)
            self.hold = os.path.join(self.dir, 'hold')
            os.makedirs(self.hold, mode=0o700)
            self.held = 0
            self.rc_hold = self.write_rc('rc-hold', self.ok.port, sc, certs,
                                         self.hold)
        self.env = dict(os.environ, HOME=self.home, TMPDIR=self.dir,
                        XDG_CONFIG_HOME=os.path.join(self.home, 'config'),
                        XDG_STATE_HOME=os.path.join(self.home, 'state'),
                        XDG_CACHE_HOME=os.path.join(self.home, 'cache'),
                        TZ='UTC', LC_ALL='C')
        for k in ('MAILHOP_FAIL_ALLOC', 'MAILHOP_FAIL_ALLOC_STICKY',
                  'MAILHOP_ALLOC_REPORT'):
            self.env.pop(k, None)

    def args(self):
        return [a.replace('%DIR%', self.dir) for a in self.sc['args']]

    def write_rc(self, name, port, sc, certs, queue_dir=None):
        path = os.path.join(self.dir, name)
        queue = ('queue on\nqueue_dir %s\n' % (queue_dir or self.queue)
                 if sc.get('queue') else 'queue off\n')
        text = ('defaults\ntimeout 5\n%s'
                'account default\nhost 127.0.0.1\nport %d\n'
                'from alice@example.org\n%s'
                % (queue, port, sc['rc'].replace('%CERTS%', certs or '')
                   .replace('%DIR%', self.dir)
                   .replace('%OKPORT%', str(self.ok.port if self.ok else 0))))
        for name, content in sc.get('files', {}).items():
            with open(os.path.join(self.dir, name), 'w') as f:
                f.write(content)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        os.chmod(path, 0o600)
        return path

    def run(self, binary, rc, args, stdin, n=None):
        env = dict(self.env)
        if n is not None:
            env['MAILHOP_FAIL_ALLOC'] = str(n)
            env['MAILHOP_ALLOC_REPORT'] = self.report
            if self.sticky:
                env['MAILHOP_FAIL_ALLOC_STICKY'] = '1'
            try:
                os.unlink(self.report)
            except FileNotFoundError:
                pass
        try:
            p = subprocess.run([binary, '-C', rc] + args, input=stdin,
                               capture_output=True, env=env, cwd=self.dir,
                               timeout=RUN_TIMEOUT, start_new_session=True)
            code, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as exc:
            code, out, err = 'timeout', exc.stdout or b'', exc.stderr or b''
        report = ''
        if n is not None:
            try:
                with open(self.report) as f:
                    report = f.read().strip()
            except OSError:
                pass
        return Run(code, out.decode('utf-8', 'replace'),
                   err.decode('utf-8', 'replace'), report)

    def queue_reset(self):
        shutil.rmtree(self.queue, ignore_errors=True)

    def queue_files(self):
        """Entries left in the queue and in failed/ (names)."""
        q, failed = [], []
        for d, out in ((self.queue, q),
                       (os.path.join(self.queue, 'failed'), failed)):
            if os.path.isdir(d):  # an entry is ID.data + ID.meta
                out += sorted({e.rsplit('.', 1)[0] for e in os.listdir(d)
                               if e.endswith(('.data', '.meta'))})
        return q, failed

    def restore(self, rel):
        """Put back directory rel (made once by a plain run: a TLS
        session cache, a queue) as it was after that run."""
        path = os.path.join(self.dir, rel)
        snap = path + '.snapshot'
        if not os.path.isdir(snap):
            prep = self.run(MAILHOP, self.rc, self.sc.get('prep_args',
                                                          self.args()),
                            self.sc.get('prep_stdin', self.sc['stdin']))
            self.server.news()
            if prep.rc != 0 or not os.path.isdir(path):
                return ['preparing %s: exit %s, %r' % (rel, prep.rc,
                                                       prep.err)]
            shutil.copytree(path, snap, symlinks=True)
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(snap, path, symlinks=True)
        return []

    def flush_hold(self):
        """Flush the holding queue (queue-add): every held message must
        arrive intact, and the holding queue must be empty after."""
        if not self.held:
            return []
        r = self.run(MAILHOP, self.rc_hold, ['--flush'], b'')
        msgs, viol = self.ok.news()
        probs = ['server (plain flush): ' + v for v in viol]
        probs += ['plain flush: wrong message'
                  for m in msgs if mask(m) != self.expect]
        left = [e for e in os.listdir(self.hold)
                if e.endswith(('.data', '.meta'))]
        if r.rc != 0 or len(msgs) != self.held or left:
            probs.append('a plain flush of %d queued messages delivered %d '
                         '(exit %s, left %s): %s'
                         % (self.held, len(msgs), r.rc, left, r.err))
        self.held = 0
        return probs

    def plain_flush(self):
        r = self.run(MAILHOP, self.rc_ok, ['--flush'], b'')
        msgs, viol = self.ok.news()
        return r, msgs, viol

    # ---------------------------------------------------------- one run
    def torture(self, n):
        """Run the scenario with allocation n failing (0: none).
        Returns (run, problems)."""
        sc = self.sc
        probs = []
        mode = sc.get('queue')
        if mode:
            self.queue_reset()
        if mode == 'flush':
            # The queue holding one message (made once, copied each time).
            snap = os.path.join(self.dir, 'queue-snapshot')
            if not os.path.isdir(snap):
                prep = self.run(MAILHOP, self.rc, self.args(), sc['stdin'])
                self.server.news()
                q, _ = self.queue_files()
                if prep.rc != 0 or len(q) != 1:
                    return prep, ['could not queue a message to flush: '
                                  'exit %s, %r' % (prep.rc, prep.err)]
                shutil.copytree(self.queue, snap, symlinks=True)
            self.queue_reset()
            shutil.copytree(snap, self.queue, symlinks=True)
            r = self.run(TORTURE, self.rc_ok, ['--flush'], b'', n)
            tmsgs, tviol = self.ok.news()
        else:
            if sc.get('snapshot'):
                probs += self.restore(sc['snapshot'])
            r = self.run(TORTURE, self.rc, self.args(), sc['stdin'], n)
            tmsgs, tviol = self.server.news()
            if mode == 'add':
                self.ok.news()
            if sc.get('fallback'):  # the fallback account's server
                fmsgs, fviol = self.ok.news()
                tmsgs += fmsgs
                tviol += fviol
        probs += self.check_run(r, n, sc.get('bs') or sc.get('stdout'))
        if sc.get('stdout') and r.rc == 0:
            # Digits vary, and so does the shape of the queue listing's
            # times as they grow ("59s", "1m"; "in 1m", "now").
            out = re.sub(r'age [0-9a-z]+, ', 'age T, ', r.out)
            out = re.sub(r'next try (now|in [0-9a-z]+)', 'next try T', out)
            out = re.sub(r'[0-9]', '0', out)
            if self.stdout is None:
                self.stdout = out
            elif out != self.stdout or not out:
                probs.append('exit 0 but stdout differs from the run '
                             'without a failure: %r' % r.out[-200:])
        probs += ['server: ' + v for v in tviol]
        for m in tmsgs:
            if mask(m) != self.expect:
                probs.append('the server took a wrong or partial message '
                             '(%d bytes, expected %d): %r'
                             % (len(m), len(self.expect), m[-80:]))
        if sc.get('bs'):
            # The client was told 250 after the data: it was delivered.
            after = r.out.split('\n354 ', 1)[1:] or ['']
            if any(ln.startswith('250 ') for ln in after[0].splitlines()[1:]) \
                    and len(tmsgs) != 1:
                probs.append('-bs answered 250 to the data but the server '
                             'took %d messages' % len(tmsgs))
        elif not mode:
            if r.rc == 0 and len(tmsgs) != (0 if sc.get('nomsg') else 1):
                probs.append('exit 0 but the server took %d messages'
                             % len(tmsgs))
        elif mode == 'add':
            # What was queued moves to the holding queue, which a plain
            # flush empties every HOLD_BATCH runs: all of it must arrive.
            q, failed = self.queue_files()
            if r.rc == 0 and len(q) != 1:
                probs.append('exit 0 but %d messages queued (failed/: %s)'
                             % (len(q), failed))
            if r.rc == 0 and failed:
                probs.append('exit 0 but the message is in failed/')
            for ent in q:
                for ext in ('.data', '.meta'):
                    os.rename(os.path.join(self.queue, ent + ext),
                              os.path.join(self.hold, ent + ext))
                self.held += 1
            if self.held >= HOLD_BATCH:
                probs += self.flush_hold()
        elif mode == 'list':
            pass  # stdout checked above
        else:  # flush
            q, failed = self.queue_files()
            if not q and not failed:
                # delivered by the tortured flush (or lost: got == 0)
                f, fmsgs, fviol = Run(0, '', '', ''), [], []
            else:
                f, fmsgs, fviol = self.plain_flush()
            probs += ['server (plain flush): ' + v for v in fviol]
            probs += ['plain flush: wrong message'
                      for m in fmsgs if mask(m) != self.expect]
            got = len(tmsgs) + len(fmsgs)
            if failed:
                probs.append('the tortured flush gave the message up '
                             '(failed/: %s): %r' % (failed, r.err))
            elif got == 0:
                probs.append('message lost: the tortured flush (exit %s) '
                             'and a plain flush delivered nothing (queue %s)'
                             % (r.rc, q))
            elif got > 1:
                self.duplicates.append(n)
            if f.rc != 0:
                probs.append('plain flush after it: exit %s: %s'
                             % (f.rc, f.err))
        return r, probs

    def check_run(self, r, n, bs=False):
        probs = []
        if r.rc == 'timeout':
            return ['hangs (killed after %d s)' % RUN_TIMEOUT]
        if r.rc < 0:
            probs.append('killed by signal %d' % -r.rc)
        elif r.rc not in SYSEXITS:
            probs.append('exit %d is not in the sysexits table' % r.rc)
        for mark in SANITIZER_MARKS:
            if mark in r.err:
                probs.append('sanitizer report: ' + mark)
                break
        lines = r.err.splitlines()
        if isinstance(r.rc, int) and r.rc > 0:
            if not lines or not lines[0].startswith('mailhop: ') or \
                    len(lines[0]) < 12 or 'unknown error' in lines[0]:
                probs.append('exit %d without a clear error line' % r.rc)
        elif r.rc == 0:
            # -bs: a failed transaction is told to the client and on
            # stderr, and the run goes on
            bad = [ln for ln in lines if not ln.startswith(
                'mailhop: ' if bs else 'mailhop: warning: ')]
            if bad:
                probs.append('exit 0 with output on stderr')
        if r.out and not bs:
            probs.append('output on stdout')
        return probs

    # ---------------------------------------------------------- all N
    def go(self, modes):
        """modes: (sticky, stride) sweeps, each one TAP test."""
        sc = self.sc
        self.sticky = False
        self.expect = mask(sc['expect']) if sc['expect'] else None
        if self.expect is None:  # the first message the server takes
            self.server.news()
            r = self.run(TORTURE, self.rc, self.args(), sc['stdin'])
            msgs, _ = self.server.news()
            self.expect = mask(msgs[0]) if msgs else b'(none)'
        base, probs = self.torture(0)
        count, _ = base.allocs()
        tap(not probs and base.rc == 0 and count,
            '%s: %s: a run without a failure exits 0 (%s allocations)'
            % (self.name, sc['info'], count),
            probs + ['exit %s' % base.rc, base.err, base.report])
        for sticky, stride in modes:
            if probs or base.rc != 0 or not count:
                tap(False, '%s: not tortured (the plain run failed)'
                    % self.name)
            else:
                self.sweep(count, sticky, stride)

    def sweep(self, count, sticky, stride):
        self.sticky = sticky
        self.duplicates = []
        what = 'allocation N and every later one fail' if sticky \
            else 'allocation N fails'
        t0 = time.monotonic()
        bad = []
        codes = {}
        short = 0
        todo = list(range(1, count + 1, stride))
        if todo[-1] != count:
            todo.append(count)
        for n in todo:
            r, probs = self.torture(n)
            _, failed = r.allocs()
            if failed == 0:
                short += 1  # this run made fewer than n allocations
            codes[r.rc] = codes.get(r.rc, 0) + 1
            if VERBOSE:
                print('# %s%s N=%d exit %s %s %s' % (
                    self.name, ' sticky' if sticky else '', n, r.rc,
                    r.err.splitlines()[:1], r.report))
            if probs:
                bad.append((n, r, probs))
        if self.sc.get('queue') == 'add':
            probs = self.flush_hold()
            if probs:
                bad.append((todo[-1], Run(0, '', '', ''), probs))
        took = time.monotonic() - t0
        detail = []
        for n, r, probs in bad[:15]:
            site = where(r.report)
            detail.append('N=%d exit %s: %s | stderr: %s | failed at %s'
                          % (n, r.rc, '; '.join(probs),
                             ' / '.join(r.err.splitlines()[:3])[:300],
                             site))
        if len(bad) > 15:
            detail.append('... and %d more' % (len(bad) - 15))
        tap(not bad, '%s: %s, %s N of 1..%d'
            % (self.name, what, 'every' if stride == 1 else
               'every %dth' % stride, count), detail)
        print('# %s%s: %d N tried in %.1f s, %d bad; exits %s%s%s'
              % (self.name, ' (sticky)' if sticky else '', len(todo), took,
                 len(bad), ', '.join('%s:%d' % kv for kv in sorted(
                     codes.items(), key=lambda kv: str(kv[0]))),
                 '; %d runs made fewer allocations' % short if short else '',
                 '; delivered twice at N=%s' % ','.join(
                     map(str, self.duplicates)) if self.duplicates else ''))

    def stop(self):
        self.server.stop()
        if self.ok:
            self.ok.stop()


def where(report):
    """The call stack of a report's failed allocation, as far as addr2line
    can tell ("buf_grow buf.c:74 < ...")."""
    offs = report.split(' at ', 1)[1].split() if ' at ' in report else []
    if not offs:
        return '?'
    try:
        r = subprocess.run(['addr2line', '-f', '-s', '-e', TORTURE] + offs,
                           capture_output=True, timeout=20)
        w = r.stdout.decode('utf-8', 'replace').split()
    except (OSError, subprocess.TimeoutExpired):
        return ' '.join(offs)
    frames = ['%s %s' % (w[i], w[i + 1]) for i in range(0, len(w) - 1, 2)
              if not w[i].startswith('__wrap_') and w[i] != 'must_fail']
    return ' < '.join(frames[:7])


def make_certs(tmp):
    d = os.path.join(tmp, 'certs')
    try:
        r = subprocess.run(['sh', MKCERTS, d], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    if r.returncode != 0:
        return None, r.stdout.decode('utf-8', 'replace').strip()
    return d, None


def main(argv):
    global VERBOSE, STRIDE
    only, keep, modes = [], False, None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == '-s' and args:
            only.append(args.pop(0))
        elif a == '-k':
            keep = True
        elif a == '-v':
            VERBOSE = True
        elif a == '--sticky':
            modes = [True]
        elif a == '--single':
            modes = [False]
        elif a == '--stride' and args:
            STRIDE = max(1, int(args.pop(0)))
        else:
            print('usage: run.py [-s SCENARIO]... [-k] [-v] '
                  '[--single|--sticky] [--stride K]',
                  file=sys.stderr)
            return 2
    chosen = [sc for sc in SCENARIOS if not only or sc['name'] in only]
    if not os.access(TORTURE, os.X_OK):
        print('1..0 # SKIP no %s (make check builds it)' % TORTURE)
        return 0
    if modes is None:  # the default: both, the sticky one sparser
        sweeps = [(False, STRIDE), (True, STRIDE * STICKY_STRIDE)]
    else:
        sweeps = [(m, STRIDE) for m in modes]
    print('1..%d' % (1 + (1 + len(sweeps)) * len(chosen)))
    # The hook is the test binary's alone (failalloc.c's variable name).
    try:
        with open(MAILHOP, 'rb') as f:
            hooked = b'MAILHOP_FAIL_ALLOC' in f.read()
        tap(not hooked, 'the installed binary %s has no allocation hook'
            % os.path.basename(MAILHOP))
    except OSError as exc:
        tap(False, 'cannot read %s: %s' % (MAILHOP, exc))
    tmp = tempfile.mkdtemp(prefix='mailhop-alloc-')
    certs = None
    t0 = time.monotonic()
    try:
        if any(sc.get('tls') for sc in chosen):
            certs, why = make_certs(tmp)
        for sc in chosen:
            if sc.get('tls') and not certs:
                tap(False, '%s: cannot make the test certificates: %s'
                    % (sc['name'], why))
                for _ in sweeps:
                    tap(False, '%s: not run' % sc['name'])
                continue
            s = Scenario(tmp, sc, certs)
            try:
                s.go(sweeps)
            finally:
                s.stop()
    finally:
        print('# %d passed, %d failed in %.1f s%s'
              % (ntests - nfail, nfail, time.monotonic() - t0,
                 ' (kept %s)' % tmp if keep else ''))
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if nfail else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
