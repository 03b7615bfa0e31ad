[info]
AUTH PLAIN answered 535 5.7.8 (wrong password): exit 77, one stderr line
with the server's reply; no MAIL, nothing delivered; QUIT.

[rc-extra]
auth plain
user alice
password wrong-password

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
77

[expect-stderr]
mailhop: .*authentication failed.*535 5\.7\.8 Authentication credentials invalid.*

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0wrong-password)%
QUIT

[expect-server-auth]
result failed: wrong password.*

[expect-no-mail]
