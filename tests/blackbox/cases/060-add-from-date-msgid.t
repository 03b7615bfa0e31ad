[info]
From, Date and Message-ID are added when missing, prepended in that order
(the server also checks SIZE= against the message it got).

[server]
caps PIPELINING SIZE

[args]
bob@example.org

[stdin]
Subject: minimal

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> SIZE=%NUM%
RCPT TO:<bob@example.org>
DATA
From: alice@example.org
Date: %DATE%
Message-ID: %MSGID(example.org)%
Subject: minimal

Body.
.
QUIT
