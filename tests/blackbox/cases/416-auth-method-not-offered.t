[info]
auth plain, the server offers only CRAM-MD5 and SCRAM-SHA-1: no fallback to
another mechanism; exit 69; only QUIT after EHLO.

[rc-extra]
auth plain
user alice
password s3cret

[server]
caps AUTH=CRAM-MD5=SCRAM-SHA-1
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
69

[expect-stderr]
mailhop: .*PLAIN.*

[expect-server]
EHLO localhost
QUIT

[expect-server-auth]
attempts 0

[expect-no-mail]
