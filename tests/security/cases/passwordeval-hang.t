[info]
passwordeval never finishes: mailhop kills it after its time limit
(MAILHOP_EVAL_TIMEOUT, 120 s by default) instead of hanging for ever;
exit 78, no AUTH, no MAIL.

[options]
timeout 30
env MAILHOP_EVAL_TIMEOUT=3

[rc-extra]
auth plain
user alice
passwordeval %TMP%/getpass

[file getpass mode=0700]
#!/bin/sh
exec sleep 600

[server]
caps AUTH=PLAIN PIPELINING
auth-user alice s3cret

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
78

[expect-stderr]
mailhop: cannot read output of '.*getpass': it did not finish within 3 seconds

[expect-server]
EHLO localhost
QUIT

[expect-server-auth]
attempts 0

[expect-no-mail]
