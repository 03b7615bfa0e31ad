[info]
Quoted local parts are kept quoted in RCPT TO.

[server]
caps PIPELINING

[args]
-t

[stdin]
From: Alice <alice@example.org>
To: "john doe"@example.org, "Smith, J." <"j.smith"@example.org>
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
RCPT TO:<"john doe"@example.org>
RCPT TO:<"j.smith"@example.org>
DATA
From: Alice <alice@example.org>
To: "john doe"@example.org, "Smith, J." <"j.smith"@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT
