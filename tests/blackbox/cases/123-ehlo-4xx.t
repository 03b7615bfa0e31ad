[info]
EHLO answered 4xx: temporary failure (no HELO fallback), exit 75.

[server]
on EHLO reply 451 4.3.2 try again later

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
mailhop: .*451 4\.3\.2 try again later.*

[expect-server]
EHLO localhost
QUIT
