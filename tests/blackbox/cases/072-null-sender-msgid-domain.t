[info]
-f '<>' is the null sender; the Message-ID domain then comes from the
account's domain (also the EHLO argument).

[rc-extra]
domain client.example.net

[server]
caps PIPELINING

[args]
-f
<>
bob@example.org

[stdin]
From: Alice <alice@example.org>
Subject: null sender

Body.

[expect-exit]
0

[expect-server]
EHLO client.example.net
MAIL FROM:<>
RCPT TO:<bob@example.org>
DATA
Date: %DATE%
Message-ID: %MSGID(client.example.net)%
From: Alice <alice@example.org>
Subject: null sender

Body.
.
QUIT
