[info]
AUTH answered 454 4.7.0 (temporary failure): exit 75 (no queue yet), the
reply on stderr; no MAIL; QUIT.

[rc-extra]
auth plain
user alice
password s3cret

[server]
caps AUTH=PLAIN
auth-user alice s3cret
on AUTH reply 454 4.7.0 Temporary authentication failure

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

[expect-stderr]
mailhop: .*454 4\.7\.0 Temporary authentication failure.*

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0s3cret)%
QUIT

[expect-server-auth]
result refused: 454

[expect-no-mail]
