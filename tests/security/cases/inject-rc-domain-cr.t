[info]
rc value: domain (the EHLO argument) holding a bare CR and a command: rc error 78.  Nothing reaches the server.

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
domain localhost\rMAIL FROM:<evil@example.org>

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
78

[expect-connections]
1

[expect-server]

[expect-no-mail]
