[info]
-F (the full name of the generated From header) holding a bare LF and a header:
refused with exit 65 before any connection; no header or command is
injected.

[server]
caps PIPELINING DSN

[args]
-F
Alice\nBcc: evil@example.org
bob@example.org

[stdin]
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
