[info]
LF, CRLF and CR mixed in one message all become CRLF.

[server]
caps PIPELINING

[args]
bob@example.org

[stdin nonl]
From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>
\ra\r\nb\nc\r\r\nd

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

a
b
c

d
.
QUIT
