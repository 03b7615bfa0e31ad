[info]
A greeting line of 100 KB (RFC 5321 reply lines are at most 512
octets): a protocol error, exit 76, nothing sent but a QUIT at most.
Peak RSS (wait4 of the mailhop process) must stay under 128 MiB
(skipped under valgrind); the client stops on its own, long before the
30 s limit.

[options]
max-rss-kib 131072


[server]
caps PIPELINING
on greeting longline 102400

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
%OPTQUIT%

[expect-no-mail]
