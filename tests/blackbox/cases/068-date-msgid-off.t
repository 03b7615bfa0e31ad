[info]
set_date_header off and set_msgid_header off: only From is added.

[rc-extra]
set_date_header off
set_msgid_header off

[server]
caps PIPELINING

[args]
bob@example.org

[stdin]
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
Subject: minimal

Body.
.
QUIT
