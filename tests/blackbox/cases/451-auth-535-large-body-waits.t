[info]
A message larger than 64 KiB does not travel in AUTH's flight: BDAT waits
for the AUTH reply, so a failed AUTH costs no body bytes on the wire even
on a server that does not require AUTH: exit 77, no BDAT, no message.

[rc-extra]
auth plain
user alice
password wrong-password

[server]
caps PIPELINING CHUNKING AUTH=PLAIN
auth-user alice s3cret

[args]
bob@example.org

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: a large message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

%REPEAT(1100,0123456789012345678901234567890123456789012345678901234567890\n)%

[expect-exit]
77

[expect-stderr]
mailhop: .*authentication failed.*535 5\.7\.8.*

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0wrong-password)%
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
QUIT

[expect-messages]
0
