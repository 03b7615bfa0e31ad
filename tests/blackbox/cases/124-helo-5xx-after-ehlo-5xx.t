[info]
EHLO and HELO both refused with 5xx: exit 69.

[server]
on EHLO reply 500 5.5.1 unknown
on HELO reply 554 5.7.1 go away

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
mailhop: .*554 5\.7\.1 go away.*

[expect-server]
EHLO localhost
HELO localhost
QUIT
