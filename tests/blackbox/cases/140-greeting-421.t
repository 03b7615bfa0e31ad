[info]
Greeting 421 (and the server closes): exit 75.

[server]
on greeting reply 421 4.3.2 too busy && close

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
75

[expect-stderr]
mailhop: .*421 4\.3\.2 too busy.*

[expect-server]
%OPTQUIT%
