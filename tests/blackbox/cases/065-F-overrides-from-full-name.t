[info]
-F wins over from_full_name.

[rc-extra]
from_full_name Rc Name

[server]
caps PIPELINING

[args]
-F
Cli Name
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
From: Cli Name <alice@example.org>
Subject: no from
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <x-2@example.org>

Body.
.
QUIT
