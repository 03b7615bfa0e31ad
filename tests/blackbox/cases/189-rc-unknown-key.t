[info]
An unknown rc key: exit 78 with FILE:LINE.

[rc]
account default
host 127.0.0.1
port %PORT%
from alice@example.org
queue off
no_such_key on

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
mailhop: %RCFILE%:6: .*no_such_key.*

[expect-connections]
0
