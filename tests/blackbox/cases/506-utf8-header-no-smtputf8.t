[info]
Raw UTF-8 in a header and a server with 8BITMIME but no SMTPUTF8: the
documented leniency sends it as 8-bit data (BODY=8BITMIME), no SMTPUTF8.

[server]
caps PIPELINING 8BITMIME

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: bob@example.org
Subject: Grüße
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-506@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> BODY=8BITMIME
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: bob@example.org
Subject: Grüße
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-506@example.org>

Hello.
.
QUIT
