[info]
The queue's failed/ directory is a symbolic link to another directory:
a permanently refused message (550 to RCPT: exit 67) is not kept
through it; nothing is written there.

[rc-extra]
queue on
queue_dir %TMP%/q

[symlink q/failed]
%TMP%/elsewhere

[file elsewhere/keep]
x

[file q/.keep]
x

[server]
caps PIPELINING
on RCPT reply 550 5.1.1 no such user

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
67

[expect-stderr]
mailhop: warning: the message could not be kept in failed/: cannot open the queue directory '.*/failed': it is a symbolic link
mailhop: .*550 5\.1\.1.*

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
QUIT

[expect-dir %TMP%/elsewhere]
keep
