[info]
-f with a non-ASCII domain: MAIL FROM carries the A-label; a server with
no extensions at all takes it (nothing needs SMTPUTF8 or 8BITMIME), and
the generated Message-ID uses the A-label domain too.

[server]

[args]
-f
alice@bücher.example
bob@example.org

[stdin]
From: Alice <alice@xn--bcher-kva.example>
To: bob@example.org
Subject: IDN sender
Date: Sun, 22 Nov 2026 10:00:00 +0000

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@xn--bcher-kva.example>
RCPT TO:<bob@example.org>
DATA
Message-ID: %MSGID(xn--bcher-kva.example)%
From: Alice <alice@xn--bcher-kva.example>
To: bob@example.org
Subject: IDN sender
Date: Sun, 22 Nov 2026 10:00:00 +0000

Hello.
.
QUIT
