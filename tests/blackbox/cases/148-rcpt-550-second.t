[info]
Second RCPT refused (no PIPELINING): all or nothing, no DATA, exit 67.

[server]
on RCPT /carol/ reply 550 5.1.1 no such user

[args]
bob@example.org
carol@example.org

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
mailhop: .*<carol@example\.org>.*550 5\.1\.1 no such user.*

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
RCPT TO:<carol@example.org>
QUIT
