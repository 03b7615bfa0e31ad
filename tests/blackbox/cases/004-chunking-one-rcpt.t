[info]
CHUNKING+PIPELINING, one recipient: MAIL, RCPT, BDAT n LAST with the
message and QUIT in one flight (no dot-stuffing, no terminator).

[server]
caps PIPELINING CHUNKING 8BITMIME
pipeline-group 3

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
.leading dot stays single in BDAT

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
BDAT 222 LAST
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.leading dot stays single in BDAT
QUIT

[expect-message]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.leading dot stays single in BDAT
