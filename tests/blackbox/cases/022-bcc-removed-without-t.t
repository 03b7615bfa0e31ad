[info]
Without -t the Bcc header is still removed (remove_bcc_headers defaults on)
and its addresses are not recipients.

[server]
caps PIPELINING

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Cc: carol@example.org
Bcc: Dave <dave@example.org>
Subject: with bcc
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-2@example.org>

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Cc: carol@example.org
Subject: with bcc
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-2@example.org>

Body.
.
QUIT
