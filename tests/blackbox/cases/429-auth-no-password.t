[info]
No password from any source and no terminal (mailhop runs without a
controlling terminal): exit 78 "no password for user 'alice' at
'127.0.0.1'"; no MAIL.

[rc-extra]
auth plain
user alice

[server]
caps AUTH=PLAIN
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
mailhop: no password for user 'alice' at '127\.0\.0\.1'.*

[expect-server-auth]
attempts 0

[expect-no-mail]
