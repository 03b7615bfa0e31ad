#!/usr/bin/env python3
"""msmtprc corpus test: every real-world rc file loads in mailhop as in msmtp 1.8.23.

For each tests/corpus/msmtprc/NNN.rc and each account it defines (and once without -a), run
`$MAILHOP --pretend -C FILE [-a NAME] rcpt@example.org </dev/null` in the environment the
expected results were made in (see msmtprc/README.md and regen_expected.py: fresh empty HOME,
USER=LOGNAME=mhuser, fixed PATH, LC_ALL=C, rc file at mode 0600; the stub helpers where msmtp's
result needed them).  Where msmtp exits 0, mailhop must use the same account and print the same
value for every setting msmtp prints; where msmtp fails, mailhop must exit 78 (EX_CONFIG) for the
same reason, and for an rc syntax error name the same line ("FILE:LINE:").

The host name cannot be set here, so <HOSTNAME> in expected values is the real host name.
Prints TAP ("ok N - 007 account gmail"); exits 1 when a check fails.
"""
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, 'msmtprc')
USER = 'mhuser'
EX_CONFIG = 78
BASE_PATH = '/usr/local/bin:/usr/bin:/bin'

# Deliberate, documented differences from msmtp 1.8.23 (see mailhoprc(5), "passwordeval"):
# msmtp takes whatever a passwordeval command prints, even when the command fails or prints
# only a newline; mailhop refuses both (DESIGN.md §2: "passwordeval failing or printing nothing
# is an error, not an empty password").  These runs must fail with exit 78 and msmtp's wording.
DEVIATIONS = {
    ('018', 'example.se'): 'kwallet-query is missing: exit 127, its error text on stdout (2>&1)',
    ('018', 'default'): 'kwallet-query is missing: exit 127, its error text on stdout (2>&1)',
    ('018', None): 'kwallet-query is missing: exit 127, its error text on stdout (2>&1)',
    ('045', 'gmail'): '"echo $MAILER_PASSWORD" with the variable unset prints only a newline',
    ('045', 'default'): '"echo $MAILER_PASSWORD" with the variable unset prints only a newline',
    ('045', None): '"echo $MAILER_PASSWORD" with the variable unset prints only a newline',
    ('058', 'default'): '"echo $MSMTP_PASSWORD" with the variable unset prints only a newline',
    ('058', None): '"echo $MSMTP_PASSWORD" with the variable unset prints only a newline',
}

# What mailhop's stderr must say for each class of msmtp failure.
ERROR_WORDS = {
    'account_not_found': 'not found',
    'host_not_set': 'host not set',
    'port_not_set': 'port not set',
    'passwordeval_failed': 'cannot read output of',
}


def load_regen():
    """The stub helpers of regen_expected.py, so both sides use the same ones."""
    spec = importlib.util.spec_from_file_location('regen_expected',
                                                  os.path.join(CORPUS, 'regen_expected.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_mailhop(mailhop, text, account, stub):
    """Run one --pretend; returns (exit, stdout, stderr, rc path, home)."""
    d = tempfile.mkdtemp(prefix='mhcorpus_')
    try:
        home = os.path.join(d, 'home')
        os.makedirs(home)
        os.makedirs(os.path.join(d, 'cfg'))
        rc = os.path.join(d, 'cfg', 'msmtprc')
        with open(rc, 'w', newline='', encoding='utf-8') as f:
            f.write(text)
        os.chmod(rc, 0o600)
        env = {'HOME': home, 'PATH': BASE_PATH, 'USER': USER, 'LOGNAME': USER,
               'LANG': 'C', 'LC_ALL': 'C'}
        if stub:
            regen, stubdir = stub
            env['PATH'] = stubdir + ':' + BASE_PATH
            env.update(regen.STUB_ENV)
            env['XDG_RUNTIME_DIR'] = os.path.join(home, 'run')
            for p in regen.home_scripts(text):
                fp = os.path.join(home, p[2:])
                os.makedirs(os.path.dirname(fp), exist_ok=True)
                with open(fp, 'w') as f:
                    f.write(regen.STUB_BODY)
                os.chmod(fp, 0o755)
        args = [mailhop, '--pretend', '-C', rc] + (['-a', account] if account is not None else []) \
            + ['rcpt@example.org']
        p = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=60)
        return (p.returncode, p.stdout.decode('utf-8', 'replace'),
                p.stderr.decode('utf-8', 'replace'), rc, home)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def parse_pretend(out, rc):
    used, settings = None, {}
    for line in out.split('\n'):
        m = re.match(r'^using account (.*) from (.*)$', line)
        if m and m.group(2) == rc:
            used = m.group(1)
            continue
        m = re.match(r'^([a-z0-9_ ]+?) = (.*)$', line)
        if m:
            settings[m.group(1)] = m.group(2)
    return used, settings


def check(expected, got, key):
    """Problems (a list of strings) of one run against msmtp's result."""
    code, out, err, rc, home = got
    host = socket.gethostname()

    def real(s):
        return s.replace('<RCFILE>', rc).replace('<HOME>', home).replace('<USER>', USER) \
            .replace('<HOSTNAME>', host)

    if key in DEVIATIONS:
        expected = {'exit': EX_CONFIG, 'error_class': 'passwordeval_failed'}
    probs = []
    if expected['exit'] == 0:
        if code != 0:
            return ['exit %d, want 0; stderr: %s' % (code, err.strip())]
        used, settings = parse_pretend(out, rc)
        if used != expected['account_used']:
            probs.append('account used %r, want %r' % (used, expected['account_used']))
        for name, want in expected['settings'].items():
            want = real(want)
            if name not in settings:
                probs.append('%s: not printed (want %r)' % (name, want))
            elif settings[name] != want:
                probs.append('%s = %r, want %r' % (name, settings[name], want))
        return probs
    if code != EX_CONFIG:
        probs.append('exit %d, want %d; stderr: %s' % (code, EX_CONFIG, err.strip()))
    cls = expected.get('error_class')
    if cls == 'rc_syntax':
        if '%s:%d:' % (rc, expected['error_line']) not in err:
            probs.append('stderr lacks "FILE:%d:": %s' % (expected['error_line'], err.strip()))
    elif cls in ERROR_WORDS and ERROR_WORDS[cls] not in err:
        probs.append('stderr lacks %r: %s' % (ERROR_WORDS[cls], err.strip()))
    return probs


def plan_runs():
    runs = []
    for fn in sorted(os.listdir(CORPUS)):
        if not re.match(r'^\d{3}\.rc$', fn):
            continue
        base = fn[:-3]
        with open(os.path.join(CORPUS, fn), encoding='utf-8', newline='') as f:
            text = f.read()
        with open(os.path.join(CORPUS, base + '.expected.json'), encoding='utf-8') as f:
            exp = json.load(f)
        for acc in exp['accounts'] + [None]:
            if acc is None:
                plain, stubbed = exp['msmtp_without_a'], exp['msmtp_without_a_stubbed']
            else:
                plain, stubbed = exp['msmtp'][acc], exp['msmtp_stubbed'].get(acc)
            runs.append((base, text, exp['accounts'], acc, stubbed or plain, bool(stubbed)))
    return runs


def main():
    mailhop = os.environ.get('MAILHOP')
    if not mailhop and os.environ.get('top_builddir'):
        mailhop = os.path.join(os.environ['top_builddir'], 'src', 'mailhop')
    if not mailhop or not os.access(mailhop, os.X_OK):
        print('Bail out! set MAILHOP to the mailhop binary (got %r)' % mailhop)
        return 1
    regen = load_regen()
    runs = plan_runs()
    print('1..%d' % len(runs))
    failed = 0
    for n, (base, text, accounts, acc, expected, use_stubs) in enumerate(runs, 1):
        stub = None
        if use_stubs:
            stub = (regen, regen.make_stubdir(text, accounts))
        try:
            got = run_mailhop(mailhop, text, acc, stub)
        finally:
            if stub:
                shutil.rmtree(stub[1], ignore_errors=True)
        probs = check(expected, got, (base, acc))
        name = '%s %s' % (base, 'account ' + acc.replace('\t', '\\t') if acc is not None
                          else 'without -a')
        if use_stubs:
            name += ' (stub helpers)'
        if (base, acc) in DEVIATIONS:
            name += ' (deliberate: %s)' % DEVIATIONS[(base, acc)]
        print('%sok %d - %s' % ('not ' if probs else '', n, name))
        for p in probs:
            print('#   ' + p.replace('\n', '\n#   '))
        failed += bool(probs)
    if failed:
        print('# %d of %d runs differ from msmtp 1.8.23' % (failed, len(runs)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
