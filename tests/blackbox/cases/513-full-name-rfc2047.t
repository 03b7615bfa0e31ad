[info]
-F with non-ASCII: the generated From display name is an RFC 2047
encoded-word, so the header stays ASCII: no BODY=, no SMTPUTF8 (both are
offered).

[server]
caps PIPELINING 8BITMIME SMTPUTF8

[args]
-F
Jörg Müller
bob@example.org

[stdin]
Subject: encoded name
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-513@example.org>

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <alice@example.org>
Subject: encoded name
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <idn-513@example.org>

Body.
.
QUIT
