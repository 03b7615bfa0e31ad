[info]
LMTP: connection lost after the dot before any per-recipient reply:
exit 75, 'may have been delivered'.

[rc-extra]
protocol lmtp

[server]
proto lmtp
caps PIPELINING
on dot close

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
75

[expect-stderr]
mailhop: .*may have been delivered.*

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
