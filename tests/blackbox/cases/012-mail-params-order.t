[info]
SIZE, BODY, RET and ENVID in the documented order.

[server]
caps PIPELINING SIZE=5000000 8BITMIME DSN

[args]
-N
failure
-R
hdrs
-V
env-42
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
MAIL FROM:<alice@example.org> SIZE=177 BODY=8BITMIME RET=HDRS ENVID=env-42
RCPT TO:<bob@example.org> NOTIFY=FAILURE
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Grüße aus Köln
.
QUIT
