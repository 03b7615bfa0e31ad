[info]
As 449, but the server requires AUTH (a submission server): MAIL gets
530, RCPT 503 and BDAT LAST is refused too.  The body went in AUTH's
flight, but nothing is delivered: exit 77 (the AUTH failure is the error
reported) and the server takes no message.

[rc-extra]
auth plain
user alice
password wrong-password

[server]
caps PIPELINING CHUNKING AUTH=PLAIN
auth-user alice s3cret
auth-required
pipeline-group 3

[args]
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
77

[expect-stderr]
mailhop: .*authentication failed.*535 5\.7\.8.*

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0wrong-password)%
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
BDAT 187 LAST
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
QUIT

[expect-messages]
0

[expect-server-auth]
result failed: wrong password.*
