[info]
A recipient with an ASCII local part and a non-ASCII domain goes out with
the domain as an A-label (IDNA2008), so no SMTPUTF8 is needed even though
the server offers it.

[server]
caps PIPELINING 8BITMIME SMTPUTF8

[args]
bob@bücher.example

[stdin]
From: Alice <alice@example.org>
To: bob@xn--bcher-kva.example
Subject: IDN recipient
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-500@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@xn--bcher-kva.example>
DATA
From: Alice <alice@example.org>
To: bob@xn--bcher-kva.example
Subject: IDN recipient
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-500@example.org>

Hello.
.
QUIT
