[info]
MAIL 550 with PIPELINING (RCPT and DATA then get 503): exit 65, no data.

[server]
caps PIPELINING
on MAIL reply 550 5.7.1 sender rejected

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
mailhop: .*550 5\.7\.1 sender rejected.*

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
QUIT
