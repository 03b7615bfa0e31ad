[info]
-t and no recipient anywhere: exit 64, nothing sent.

[server]
caps PIPELINING

[args]
-t

[stdin]
From: Alice <alice@example.org>
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
