[info]
No recipient argument and no -t: exit 64.

[server]
caps PIPELINING

[args]

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

[expect-stderr]
mailhop: .*no recipients.*

[expect-no-mail]
