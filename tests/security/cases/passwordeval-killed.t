[info]
passwordeval is killed by a signal: exit 78, no AUTH, no MAIL.

[rc-extra]
auth plain
user alice
passwordeval %TMP%/getpass

[file getpass mode=0700]
#!/bin/sh
echo s3cret
kill -9 $$

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

[expect-stderr contains]
mailhop: cannot read output of '.*getpass': the command failed

[expect-server]
EHLO localhost
QUIT

[expect-server-auth]
attempts 0

[expect-no-mail]
