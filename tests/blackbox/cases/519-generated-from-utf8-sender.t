[info]
A UTF-8 local part in -f: SMTPUTF8 on MAIL; the From field mailhop adds
holds that address raw (RFC 6532), so the message is 8-bit too:
BODY=8BITMIME SMTPUTF8.

[server]
caps PIPELINING 8BITMIME SMTPUTF8

[args]
-f
jörg@example.org
bob@example.org

[stdin]
To: bob@example.org
Subject: from jörg
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-519@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<jörg@example.org> BODY=8BITMIME SMTPUTF8
RCPT TO:<bob@example.org>
DATA
From: jörg@example.org
To: bob@example.org
Subject: from jörg
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-519@example.org>

Hello.
.
QUIT
