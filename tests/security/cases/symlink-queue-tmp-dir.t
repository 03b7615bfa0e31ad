[info]
the queue's tmp/ directory is a symbolic link to another directory: the message is
not queued through it (nothing is written there); with the server
busy (421) that is a temporary failure not queued: exit 75.

[rc-extra]
queue on
queue_dir %TMP%/q

[symlink q/tmp]
%TMP%/elsewhere

[file elsewhere/keep]
x

[file q/.keep]
x

[server]
on greeting reply 421 4.3.2 busy

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
75

[expect-stderr contains]
mailhop: cannot queue the message: cannot open the queue directory '.*': it is a symbolic link

[expect-server]
QUIT

[expect-dir %TMP%/elsewhere]
keep
