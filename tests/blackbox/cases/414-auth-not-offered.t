[info]
auth plain but the server offers no AUTH at all: exit 69 "does not offer
authentication"; no AUTH, no MAIL: only QUIT after EHLO.

[rc-extra]
auth plain
user alice
password s3cret

[server]
caps PIPELINING 8BITMIME

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
mailhop: server '127\.0\.0\.1' does not offer authentication.*

[expect-server]
EHLO localhost
QUIT

[expect-no-mail]
