[info]
8-bit body and 8BITMIME offered: BODY=8BITMIME.

[server]
caps 8BITMIME

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Grüße aus Köln

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org> BODY=8BITMIME
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Grüße aus Köln
.
QUIT
