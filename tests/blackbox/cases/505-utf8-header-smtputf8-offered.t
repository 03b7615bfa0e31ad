[info]
Raw UTF-8 in a header field (ASCII addresses): the server offers SMTPUTF8
and 8BITMIME, so MAIL carries SIZE, BODY=8BITMIME and SMTPUTF8 in that
order (RFC 6532 headers).

[server]
caps PIPELINING SIZE=100000 8BITMIME SMTPUTF8

[args]
bob@example.org

[stdin]
From: Jörg <alice@example.org>
To: bob@example.org
Subject: Grüße
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-505@example.org>

Hello.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> SIZE=156 BODY=8BITMIME SMTPUTF8
RCPT TO:<bob@example.org>
DATA
From: Jörg <alice@example.org>
To: bob@example.org
Subject: Grüße
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-505@example.org>

Hello.
.
QUIT
