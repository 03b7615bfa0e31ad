[info]
--pretend prints the resolved account: the password is not shown.

[rc-extra]
auth plain
user alice
password s3cret-PW

[server]
caps AUTH=PLAIN

[args]
--pretend
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

[expect-stdout contains]
.*alice.*

[expect-connections]
0

[expect-server]


[expect-secret-absent]
s3cret-PW
