[info]
set_from_header off: no From added.

[rc-extra]
set_from_header off

[server]
caps PIPELINING

[args]
bob@example.org

[stdin]
Subject: no from
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <x-2@example.org>

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
Subject: no from
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <x-2@example.org>

Body.
.
QUIT
