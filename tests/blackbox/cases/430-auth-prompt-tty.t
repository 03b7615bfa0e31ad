[info]
No password from rc, passwordeval or netrc, but a terminal: mailhop asks
"password for alice at 127.0.0.1: " on its controlling terminal (a pty
here), with the echo off, and uses what is typed; delivered. The password
never shows on the terminal, stdout or stderr.

[options]
tty yes

[rc-extra]
auth plain
user alice

[tty-input]
s3cret

[server]
caps AUTH=PLAIN
auth-user alice s3cret
auth-required

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.

[expect-exit]
0

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0s3cret)%
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT

[expect-tty contains]
.*password for alice at 127\.0\.0\.1: .*

[expect-stderr-absent]
s3cret
