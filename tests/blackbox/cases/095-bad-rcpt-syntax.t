[info]
A recipient with a space: exit 65 naming it, nothing sent.

[server]
caps PIPELINING

[args]
bob smith@example.org

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
