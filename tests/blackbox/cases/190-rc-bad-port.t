[info]
A bad port value: exit 78 with FILE:LINE.

[rc]
# comment
account default
host 127.0.0.1
port notaport
from alice@example.org

[server]

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
78

[expect-stderr]
mailhop: %RCFILE%:4: .*

[expect-connections]
0
