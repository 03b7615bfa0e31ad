[info]
from_full_name in the rc file gives the added From a display name.

[rc-extra]
from_full_name Alice Example

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
From: Alice Example <alice@example.org>
Subject: no from
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <x-2@example.org>

Body.
.
QUIT
