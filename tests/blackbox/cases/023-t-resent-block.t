[info]
-t with a Resent- block: recipients come from the first Resent- block only
(not To/Cc); Resent-Bcc is removed.

[server]
caps PIPELINING

[args]
-t

[stdin]
Resent-From: Carol <carol@example.org>
Resent-To: eve@example.org
Resent-Cc: Frank <frank@example.org>
Resent-Bcc: grace@example.org
Resent-Date: Sun, 22 Nov 2026 11:00:00 +0000
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Cc: dave@example.org
Subject: resent
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-3@example.org>

Body.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<eve@example.org>
RCPT TO:<frank@example.org>
RCPT TO:<grace@example.org>
DATA
Resent-From: Carol <carol@example.org>
Resent-To: eve@example.org
Resent-Cc: Frank <frank@example.org>
Resent-Date: Sun, 22 Nov 2026 11:00:00 +0000
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Cc: dave@example.org
Subject: resent
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-3@example.org>

Body.
.
QUIT
