[info]
Added headers on CRLF input: still exactly one CRLF per line on the wire.

[server]
caps PIPELINING

[args]
bob@example.org

[stdin crlf]
Subject: minimal

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: alice@example.org
Date: %DATE%
Message-ID: %MSGID(example.org)%
Subject: minimal

Body.
.
QUIT
