[info]
-R (DSN/body option copied into MAIL/RCPT parameters) holding a
smuggled command: a usage error, exit 64, no connection.

[server]
caps PIPELINING DSN

[args]
-R
hdrs\r\nRCPT TO:<evil@example.org>
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
64

[expect-connections]
0

[expect-no-mail]
