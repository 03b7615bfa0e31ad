[info]
Raw UTF-8 in a header to a server that offers SMTPUTF8 but not 8BITMIME,
with send_8bit_without_8bitmime on: SMTPUTF8 (it is offered and useful),
no BODY=.

[rc-extra]
send_8bit_without_8bitmime on

[server]
caps PIPELINING SMTPUTF8

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: bob@example.org
Subject: Grüße
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-510@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> SMTPUTF8
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: bob@example.org
Subject: Grüße
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-510@example.org>

Hello.
.
QUIT
