[info]
A recipient argument holding '>' and an RCPT parameter: a bad recipient address,
exit 65 before any connection: nothing reaches the server.

[server]
caps PIPELINING DSN

[args]
bob@example.org> NOTIFY=NEVER

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.

[expect-exit]
65

[expect-connections]
0

[expect-no-mail]
