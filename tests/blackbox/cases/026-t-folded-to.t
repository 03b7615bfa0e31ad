[info]
-t with a To field folded over three lines.

[server]
caps PIPELINING

[args]
-t

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>,
	carol@example.org,
  dave@example.org
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.

[expect-exit]
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
RCPT TO:<carol@example.org>
RCPT TO:<dave@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>,
	carol@example.org,
  dave@example.org
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT
