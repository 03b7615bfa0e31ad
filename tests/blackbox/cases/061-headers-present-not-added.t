[info]
From, Date and Message-ID present (in another order): nothing added.

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
Message-ID: <x-1@example.org>
Subject: present
Date: Sun, 22 Nov 2026 10:00:00 +0000
From: Someone <someone@example.net>

Body.
.
QUIT
