[info]
Wrong password with PIPELINING on a server that does NOT require
authentication: when the envelope was pipelined after AUTH PLAIN, MAIL and
RCPT are accepted and DATA gets 354, yet the 535 fails the message: exit 77
and not one byte of the message is sent (the connection is closed instead
of sending the final dot); the server takes no message.

[rc-extra]
auth plain
user alice
password wrong-password

[server]
caps PIPELINING AUTH=PLAIN
auth-user alice s3cret

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
%OPTQUIT%

[expect-messages]
0

[expect-server-auth]
result failed: wrong password.*
