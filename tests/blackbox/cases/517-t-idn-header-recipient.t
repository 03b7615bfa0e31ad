[info]
-t with a U-label domain in To: the envelope gets the A-label; the header
keeps the raw UTF-8, so the message is 8-bit (BODY=8BITMIME) and, with no
SMTPUTF8 offered, goes without it (documented leniency).

[server]
caps PIPELINING 8BITMIME

[args]
-t

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@bücher.example>
Subject: -t
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-517@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> BODY=8BITMIME
RCPT TO:<bob@xn--bcher-kva.example>
DATA
From: Alice <alice@example.org>
To: Bob <bob@bücher.example>
Subject: -t
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-517@example.org>

Hello.
.
QUIT
