[info]
-X FILE and -XFILE as real options (sendmail's traffic log): accepted
and ignored, never written (DESIGN: -X never writes a file); the mail
goes out unchanged, exit 0.

[server]
caps PIPELINING DSN

[args]
-X
%TMP%/log1
-X%TMP%/log2
-oQ%TMP%/q
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
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
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT

[expect-no-file]
%TMP%/log1
%TMP%/log2
%TMP%/q
