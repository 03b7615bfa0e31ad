[info]
Greeting 554: exit 69; QUIT is sent.

[server]
on greeting reply 554 5.7.1 no service for you

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
69

[expect-stderr]
mailhop: .*554 5\.7\.1 no service for you.*

[expect-server]
QUIT
