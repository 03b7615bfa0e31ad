[info]
A recipient argument holding CR LF and a command: exit 65, nothing sent.

[server]
caps PIPELINING

[args]
bob@example.org>\r\nDATA\r\n

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

[expect-no-mail]
