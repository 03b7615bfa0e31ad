[info]
-N/-R/-V with DSN offered: NOTIFY on each RCPT, RET and ENVID on MAIL
(values upper-cased as msmtp does).

[server]
caps PIPELINING DSN

[args]
-N
success,failure
-R
hdrs
-V
q1-2.3
bob@example.org
carol@example.org

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
MAIL FROM:<alice@example.org> RET=HDRS ENVID=q1-2.3
RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE
RCPT TO:<carol@example.org> NOTIFY=SUCCESS,FAILURE
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
