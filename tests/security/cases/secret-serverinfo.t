[info]
--serverinfo (-S) with a password in the rc file: the report and -d
output never show it.

[rc-extra]
auth plain
user alice
password s3cret-PW
logfile %TMP%/mailhop.log

[server]
caps AUTH=PLAIN PIPELINING
auth-user alice s3cret-PW

[args]
-d
--serverinfo

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

[expect-stdout contains]
.*PIPELINING.*

[expect-stderr contains]
.*

[expect-server]
EHLO localhost
%OPTQUIT%

[expect-secret-absent]
s3cret-PW
%B64(\0alice\0s3cret-PW)%
