[info]
Only RCPT refused with PIPELINING: DATA gets 554 (no valid
recipients); QUIT; exit 67 naming the recipient.

[server]
caps PIPELINING
on RCPT reply 550 5.1.1 no such user

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
67

[expect-stderr]
mailhop: .*<bob@example\.org>.*550 5\.1\.1 no such user.*

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
QUIT
