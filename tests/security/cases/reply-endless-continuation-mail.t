[info]
'250-' lines forever after MAIL (pipelined): exit 76, no data.
Peak RSS (wait4 of the mailhop process) must stay under 128 MiB
(skipped under valgrind); the client stops on its own, long before the
30 s limit.

[options]
max-rss-kib 131072


[server]
caps PIPELINING
on MAIL endless

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
76

[expect-stderr]
mailhop: .*

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
%OPTQUIT%
