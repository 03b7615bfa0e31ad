[info]
The server offers SMTPUTF8 but the addresses and headers are ASCII (the
body is 8-bit): SMTPUTF8 is not sent (msmtp sent it whenever offered,
which large providers bounced), BODY=8BITMIME is.

[server]
caps PIPELINING CHUNKING 8BITMIME SMTPUTF8

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: bob@example.org
Subject: ASCII header
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-515@example.org>

Grüße

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> BODY=8BITMIME
RCPT TO:<bob@example.org>
BDAT 162 LAST
From: Alice <alice@example.org>
To: bob@example.org
Subject: ASCII header
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-515@example.org>

Grüße
QUIT
