[info]
AUTH refused for now (454) with the queue on: the message is queued
(exit 0, one warning line) and the queue entry, the logfile and -d
output hold no password.

[rc-extra]
auth plain
user alice
password s3cret-PW
queue on
queue_dir %TMP%/q
logfile %TMP%/mailhop.log

[server]
caps AUTH=PLAIN
auth-user alice s3cret-PW
on AUTH reply 454 4.7.0 try later

[args]
-d
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

[expect-stderr contains]
.*AUTH.*

[expect-server]
EHLO localhost
AUTH PLAIN %B64(\0alice\0s3cret-PW)%
%OPTQUIT%

[expect-secret-absent]
s3cret-PW
%B64(\0alice\0s3cret-PW)%

[expect-no-mail]
