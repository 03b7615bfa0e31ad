[info]
Wrong password with PIPELINING on a server that requires authentication:
if the envelope was pipelined after AUTH PLAIN, MAIL gets 530 and RCPT/DATA
503; either way exit 77 for the 535, no message is taken, and QUIT ends the
session.

[rc-extra]
auth plain
user alice
password wrong-password

[server]
caps PIPELINING AUTH=PLAIN
auth-user alice s3cret
auth-required

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
%RE((?:MAIL FROM:<alice@example\.org>\r\nRCPT TO:<bob@example\.org>\r\nDATA\r\n)?)%\
QUIT

[expect-server-auth]
result failed: wrong password.*
