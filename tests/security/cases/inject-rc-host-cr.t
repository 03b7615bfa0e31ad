[info]
rc value: host holding a bare CR: no such host (68), no connection.  Nothing reaches the server.

[server]
caps PIPELINING DSN

[options]
no-rc-arg

[file myrc]
defaults
timeout 5
queue off
account default
host 127.0.0.1
port %PORT%
from alice@example.org
host 127.0.0.1\rMAIL

[args]
-C
%TMP%/myrc
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
68

[expect-connections]
0

[expect-no-mail]
