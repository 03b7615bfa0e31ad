[info]
LMTP: one recipient refused after the data: exit 67 naming it.

[rc-extra]
protocol lmtp

[server]
proto lmtp
caps PIPELINING
on lmtp-rcpt /carol/ reply 550 5.1.1 mailbox unknown

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
mailhop: .*<carol@example\.org>.*550 5\.1\.1 mailbox unknown.*

[expect-server]
LHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
RCPT TO:<carol@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT
