[info]
A UTF-8 local part at a non-ASCII domain: SMTPUTF8 for the local part, and
the domain still goes as its A-label.  Without PIPELINING: one command per
reply.

[server]
caps 8BITMIME SMTPUTF8

[args]
jörg@bücher.example

[stdin]
From: Alice <alice@example.org>
To: undisclosed-recipients:;
Subject: both
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-514@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> SMTPUTF8
RCPT TO:<jörg@xn--bcher-kva.example>
DATA
From: Alice <alice@example.org>
To: undisclosed-recipients:;
Subject: both
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-514@example.org>

Hello.
.
QUIT
