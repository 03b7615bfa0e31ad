[info]
A display name holding RFC 5322 specials is quoted.

[server]
caps PIPELINING

[args]
-FExample, Alice (admin)
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
From: "Example, Alice (admin)" <alice@example.org>
Subject: no from
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <x-2@example.org>

Body.
.
QUIT
