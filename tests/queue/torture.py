#!/usr/bin/env python3
"""tests/queue/torture.py - the queue's guarantee under SIGKILL and a full disk.

Issue 5 asks for proof, not a happy path:
  * enqueue: mailhop runs against a smarthost that is down, killed with
    SIGKILL at a random moment until 60 kills landed mid-run.  Every run that exited 0 promised its
    message; afterwards a flush must deliver each promised message exactly
    once and byte for byte, and no half-written entry may ever be listed.
  * flush: queued messages, then `mailhop --flush` runs against a live
    (slowed) server killed at random moments until 50 kills landed mid-run,
    refilling the queue whenever it drains.  A last flush must leave the
    queue empty; every message must have arrived, intact; a message may
    arrive twice only through the documented window (killed after the final
    dot was sent, before the entry was removed), so duplicates are counted
    and reported, never corruption.
  * disk full: the queue on a 1 MiB tmpfs that is already full (root only,
    in a private mount namespace): the run exits 75, says it could not
    queue, and leaves no partial entry behind.
The random moments come from a fixed seed, so a failure can be replayed.
TAP output.  Environment: MAILHOP, top_srcdir, PYTHON3 (this interpreter).
"""
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SRCDIR = os.environ.get('top_srcdir') or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAILHOP = os.environ.get('MAILHOP') or 'src/mailhop'
SEED = int(os.environ.get('TORTURE_SEED', '20261122'))
# Kills that must land mid-run in each phase (100+ in all), and a cap on
# attempts so a machine where runs finish too fast still ends.
ENQUEUE_KILLS = 60
FLUSH_KILLS = 50
MAX_ATTEMPTS = 400
FLUSH_BATCH = 12
# The fake server pauses this long before answering each final dot, so a
# flush is slow enough to be caught between and inside transactions.
DOT_STALL = '0.03'

n = 0
failures = 0


def check(cond, name, detail=''):
    global n, failures
    n += 1
    print('%sok %d - %s' % ('' if cond else 'not ', n, name))
    if not cond:
        failures += 1
        for line in str(detail).splitlines()[:20]:
            print('#   ' + line)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Case:
    """A test directory: rc file, HOME, queue dir, fake server."""

    def __init__(self, root, name, queue_dir=None):
        self.dir = os.path.join(root, name)
        os.makedirs(os.path.join(self.dir, 'home'))
        self.port = free_port()
        self.queue = queue_dir or os.path.join(self.dir, 'queue')
        self.rc = os.path.join(self.dir, 'rc')
        with open(self.rc, 'w') as f:
            f.write('defaults\ntimeout 5\nqueue_dir %s\nfrom a@example.org\n'
                    'account default\nhost 127.0.0.1\nport %d\n'
                    % (self.queue, self.port))
        os.chmod(self.rc, 0o600)
        self.env = dict(os.environ, HOME=os.path.join(self.dir, 'home'),
                        XDG_STATE_HOME=os.path.join(self.dir, 'state'),
                        XDG_CACHE_HOME=os.path.join(self.dir, 'cache'))
        self.server = None
        self.starts = 0  # each server start records into its own rec-N

    def start(self, mailhop_args, stdin=b''):
        return subprocess.Popen([MAILHOP, '-C', self.rc] + mailhop_args,
                                env=self.env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE), stdin

    def run(self, args, stdin=b'', timeout=60):
        p = subprocess.run([MAILHOP, '-C', self.rc] + args, env=self.env,
                           input=stdin, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), \
            p.stderr.decode('utf-8', 'replace')

    def serve(self, extra=''):
        script = os.path.join(self.dir, 'script')
        with open(script, 'w') as f:
            f.write('caps PIPELINING SIZE=10000000\n' + extra)
        self.starts += 1
        portfile = os.path.join(self.dir, 'sport-%d' % self.starts)
        rec = os.path.join(self.dir, 'rec-%d' % self.starts)
        self.server = subprocess.Popen(
            [sys.executable, os.path.join(SRCDIR, 'tests', 'fakesmtp.py'),
             '--record', rec, '--port', str(self.port), '--port-file',
             portfile, '--timeout', '120', '--script', script, '--quiet'])
        for _ in range(100):
            if os.path.exists(portfile) and os.path.getsize(portfile):
                return
            time.sleep(0.1)
        raise RuntimeError('fake server did not start')

    def stop(self):
        if self.server:
            self.server.terminate()
            self.server.wait(30)
            self.server = None

    def delivered(self):
        """{subject: [message bytes, ...]} as the server took them."""
        out = {}
        for k in range(1, self.starts + 1):
            rec = os.path.join(self.dir, 'rec-%d' % k)
            if not os.path.isdir(rec):
                continue
            for name in sorted(os.listdir(rec)):
                if not re.match(r'^conn-\d+\.msg-\d+$', name):
                    continue
                with open(os.path.join(rec, name), 'rb') as f:
                    data = f.read()
                m = re.search(rb'^Subject: (\S+)\r?$', data, re.M)
                out.setdefault(m.group(1).decode() if m else '?',
                               []).append(data)
        return out

    def leftovers(self):
        """Entry files a reader must never see: .meta without .data."""
        bad = []
        if not os.path.isdir(self.queue):
            return bad
        names = set(os.listdir(self.queue))
        for name in names:
            if name.endswith('.meta') and name[:-5] + '.data' not in names:
                bad.append(name)
        return bad


def message(tag, rnd):
    """A message whose body is long enough to be caught mid-write."""
    body = ''.join('%s line %d %s\n' % (tag, i, 'x' * rnd.randint(0, 70))
                   for i in range(rnd.randint(1, 3000)))
    return ('From: a@example.org\nTo: b@example.net\nSubject: %s\n'
            'Date: Sun, 22 Nov 2026 10:00:00 +0000\n'
            'Message-ID: <%s@example.org>\n\n%s' % (tag, tag, body)).encode()


def body_of(wire):
    """The message text without line-end differences (the server gets CRLF)."""
    return wire.replace(b'\r\n', b'\n')


def kill_at_random(case, args, stdin, rnd, max_delay):
    p, data = case.start(args, stdin)
    try:
        p.stdin.write(data)
        p.stdin.close()
    except BrokenPipeError:
        pass
    time.sleep(rnd.uniform(0, max_delay))
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
    p.wait(30)
    p.stdout.close()
    p.stderr.close()
    return p.returncode


def calibrate(c, sent, promised, rnd):
    """How long one unkilled enqueue takes here: the kill window."""
    times = []
    for i in range(3):
        tag = 'enq-cal-%d' % i
        sent[tag] = message(tag, rnd)
        t0 = time.monotonic()
        rc, _, err = c.run(['b@example.net'], sent[tag])
        times.append(time.monotonic() - t0)
        check(rc == 0, 'enqueue: %s queued with the server down' % tag, err)
        promised.add(tag)
    return sorted(times)[1]


def torture_enqueue(root, rnd):
    c = Case(root, 'enqueue')
    sent = {}
    promised = set()
    killed = 0
    window = calibrate(c, sent, promised, rnd)
    print('# enqueue: one run takes %.1f ms; kills land in that window'
          % (window * 1000))
    for i in range(MAX_ATTEMPTS):
        if killed >= ENQUEUE_KILLS:
            break
        tag = 'enq-%03d' % i
        sent[tag] = message(tag, rnd)
        rc = kill_at_random(c, ['b@example.net'], sent[tag], rnd, window)
        if rc == 0:
            promised.add(tag)
        elif rc == -signal.SIGKILL:
            killed += 1
        else:
            check(False, 'enqueue: %s exited %d, not 0 or killed' % (tag, rc))
    print('# enqueue: %d killed, %d completed (queued)' % (killed,
                                                           len(promised)))
    check(killed >= ENQUEUE_KILLS,
          'enqueue: %d runs were killed mid-way' % ENQUEUE_KILLS,
          'killed %d' % killed)
    check(not c.leftovers(), 'enqueue: no meta file without its data',
          c.leftovers())
    rc, out, err = c.run(['-bp'])
    check(rc == 0 and not re.search(r'(?i)skipp|corrupt|unreadable', out + err),
          'enqueue: mailq lists every entry cleanly', out + err)
    c.serve()
    rc, out, err = c.run(['--flush'])
    c.stop()
    check(rc == 0, 'enqueue: flush after the kills exits 0', err)
    got = c.delivered()
    lost = sorted(promised - set(got))
    check(not lost, 'enqueue: every message that exited 0 was delivered',
          'lost: %s' % lost)
    dup = sorted(t for t, v in got.items() if len(v) > 1)
    check(not dup, 'enqueue: no message delivered twice', dup)
    bad = sorted(t for t, v in got.items()
                 if t not in sent or any(body_of(x) != sent[t] for x in v))
    check(not bad, 'enqueue: every delivered message is byte-identical', bad)
    rc, out, _ = c.run(['-bp'])
    check('empty' in out.lower(), 'enqueue: the queue is empty afterwards',
          out)


def queue_more(c, sent, rnd, start):
    """With the server stopped, queue FLUSH_BATCH new messages."""
    for i in range(start, start + FLUSH_BATCH):
        tag = 'fl-%03d' % i
        sent[tag] = message(tag, rnd)
        rc, _, err = c.run(['b@example.net'], sent[tag])
        if rc != 0:
            check(False, 'flush: queueing %s exited %d' % (tag, rc), err)
    return start + FLUSH_BATCH


def queued(c):
    return sum(1 for x in os.listdir(c.queue) if x.endswith('.meta'))


def torture_flush(root, rnd):
    c = Case(root, 'flush')
    sent = {}
    next_tag = queue_more(c, sent, rnd, 0)
    stall = 'on dot stall %s\n' % DOT_STALL
    c.serve(stall)
    killed = attempts = 0
    while killed < FLUSH_KILLS and attempts < MAX_ATTEMPTS:
        attempts += 1
        if queued(c) == 0:
            c.stop()
            next_tag = queue_more(c, sent, rnd, next_tag)
            c.serve(stall)
        rc = kill_at_random(c, ['--flush'], b'', rnd, 0.2)
        killed += rc == -signal.SIGKILL
    print('# flush: %d of %d runs killed mid-way, %d messages' %
          (killed, attempts, len(sent)))
    check(killed >= FLUSH_KILLS,
          'flush: %d flushes were killed mid-way' % FLUSH_KILLS,
          'killed %d' % killed)
    check(not c.leftovers(), 'flush: no meta file without its data',
          c.leftovers())
    rc, out, err = c.run(['--flush'])
    c.stop()
    check(rc == 0, 'flush: a last flush exits 0', err)
    rc, out, _ = c.run(['-bp'])
    check('empty' in out.lower(), 'flush: the queue is empty afterwards', out)
    failed = os.path.join(c.queue, 'failed')
    check(not os.path.isdir(failed) or not os.listdir(failed),
          'flush: nothing moved to failed/')
    got = c.delivered()
    lost = sorted(set(sent) - set(got))
    check(not lost, 'flush: every queued message was delivered',
          'lost: %s' % lost)
    bad = sorted(t for t, v in got.items()
                 if t not in sent or any(body_of(x) != sent[t] for x in v))
    check(not bad, 'flush: every delivered copy is byte-identical', bad)
    dups = sum(len(v) - 1 for v in got.values())
    print('# flush: %d duplicate deliveries (killed between the final dot '
          'and removing the entry)' % dups)
    check(dups <= killed, 'flush: at most one duplicate per killed flush',
          'duplicates %d, killed %d' % (dups, killed))


def disk_full(root):
    if os.geteuid() != 0 or not shutil.which('unshare'):
        print('ok %d - disk full # SKIP needs root and unshare' % (n + 1))
        return 1
    c = Case(root, 'diskfull', queue_dir=os.path.join(root, 'diskfull-q'))
    os.makedirs(c.queue)
    msgfile = os.path.join(c.dir, 'msg')
    with open(msgfile, 'wb') as f:
        f.write(message('full-1', random.Random(1)) + b'x' * 300000 + b'\n')
    # A private mount namespace: the tmpfs vanishes with the shell.
    script = ('mount -t tmpfs -o size=1m,mode=0700 tmpfs "$Q" && '
              'dd if=/dev/zero of="$Q/filler" bs=64k 2>/dev/null; '
              'rm -f "$Q/small"; '
              '"$M" -C "$RC" b@example.net <"$MSG" 2>"$ERR"; echo "rc=$?"; '
              'ls -A "$Q" "$Q/tmp" 2>/dev/null | grep -v -e "^filler$" '
              '-e ":$" -e "^tmp$" -e "^failed$" -e "^lock$" -e "^$" '
              '| sed "s/^/left:/"')
    env = dict(c.env, Q=c.queue, M=MAILHOP, RC=c.rc, MSG=msgfile,
               ERR=os.path.join(c.dir, 'err'))
    p = subprocess.run(['unshare', '-m', '--propagation', 'private', 'sh',
                        '-c', script], env=env, capture_output=True,
                       timeout=60)
    out = p.stdout.decode()
    with open(env['ERR']) as f:
        err = f.read()
    check('rc=75' in out, 'disk full: exit 75', out + err)
    check(re.search(r'cannot queue', err) is not None,
          'disk full: stderr says the message could not be queued', err)
    check('left:' not in out, 'disk full: no partial entry left behind', out)
    return 0


def main():
    rnd = random.Random(SEED)
    root = tempfile.mkdtemp(prefix='mailhop-torture.')
    try:
        torture_enqueue(root, rnd)
        torture_flush(root, rnd)
        skipped = disk_full(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print('1..%d' % (n + skipped))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
