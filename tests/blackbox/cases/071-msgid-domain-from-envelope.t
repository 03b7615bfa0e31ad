[info]
-f sets the added From and the Message-ID domain.

[server]
caps PIPELINING

[args]
-f
carol@other.example
bob@example.org

[stdin]
Subject: minimal

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<carol@other.example>
RCPT TO:<bob@example.org>
DATA
From: carol@other.example
Date: %DATE%
Message-ID: %MSGID(other.example)%
Subject: minimal

Body.
.
QUIT
