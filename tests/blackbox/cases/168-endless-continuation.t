[info]
Endless 250- continuation lines: exit 76 (bounded, no timeout).

[options]
timeout 15

[server]
on EHLO endless

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

[expect-server]
EHLO localhost
%OPTQUIT%
