[info]
--read-envelope-from takes the sender from the From header
(the account sets no 'from').

[rc]
account default
host 127.0.0.1
port %PORT%
timeout 5
queue off

[server]
caps PIPELINING

[args]
--read-envelope-from
bob@example.org

[stdin]
From: Carol <carol@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<carol@example.org>
RCPT TO:<bob@example.org>
DATA
From: Carol <carol@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT
