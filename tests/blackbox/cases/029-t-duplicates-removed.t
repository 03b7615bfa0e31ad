[info]
A recipient named twice (argv, To and Cc) is sent one RCPT.

[server]
caps PIPELINING

[args]
-t
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Cc: BOB <bob@example.org>, carol@example.org
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
RCPT TO:<carol@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Cc: BOB <bob@example.org>, carol@example.org
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT
