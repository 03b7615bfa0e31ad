[info]
Server text with control bytes is sanitised in the error line.

[server]
on RCPT raw 550 5.1.1 bad\x1b[31m user\r\n

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
mailhop: .*550 5\.1\.1 bad\?\[31m user.*

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
QUIT
