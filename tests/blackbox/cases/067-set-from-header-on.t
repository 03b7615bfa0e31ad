[info]
set_from_header on: an existing From is replaced by one from the envelope.

[rc-extra]
set_from_header on

[server]
caps PIPELINING

[args]
bob@example.org

[stdin]
Message-ID: <x-1@example.org>
Subject: present
Date: Sun, 22 Nov 2026 10:00:00 +0000
From: Someone <someone@example.net>

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: alice@example.org
Message-ID: <x-1@example.org>
Subject: present
Date: Sun, 22 Nov 2026 10:00:00 +0000

Body.
.
QUIT
