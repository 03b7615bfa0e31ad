[info]
The account has no auth (auth off) and the server requires it: MAIL gets
530 5.7.0, a permanent refusal of the sender: exit 65 (5xx MAIL) with the
reply on stderr; nothing delivered.

[rc-extra]


[server]
caps AUTH=PLAIN
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
65

[expect-stderr]
mailhop: .*530 5\.7\.0 Authentication required.*

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
QUIT

[expect-server-auth]
attempts 0
