[info]
Without -i, '.' followed by a bare CR does not end the input (only LF or
CRLF do) but is a line end on the wire, so it is stuffed.

[server]
caps PIPELINING

[args]
bob@example.org

[stdin nonl]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
x\r.\ry\n

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
x
..
y
.
QUIT
