[info]
passwordeval prints the password and exits, but leaves a background
process holding its stdout: mailhop takes the output once the command has
exited instead of waiting for that process; the mail goes out (exit 0).

[options]
timeout 30

[rc-extra]
auth plain
user alice
passwordeval %TMP%/getpass

[file getpass mode=0700]
#!/bin/sh
sleep 600 &
echo s3cret
exit 0

[server]
caps AUTH=PLAIN PIPELINING
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
0

[expect-stderr]

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0s3cret)%
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

[expect-server-auth]
result ok
