[info]
SMTP smuggling: with -i, '.' lines ended by LF, CRLF or bare CR are
normalised to CRLF and stuffed; no bare LF/CR and no early CRLF.CRLF.

[server]
caps PIPELINING

[args]
-i
bob@example.org

[stdin nonl]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
a\n.\nb\r\n.\r\nc\r.\rd\n.\re\r\n.\nf\n

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
a
..
b
..
c
..
d
..
e
..
f
.
QUIT
