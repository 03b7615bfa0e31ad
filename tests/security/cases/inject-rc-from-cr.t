[info]
rc value: from holding a bare CR and a command: a bad sender, exit 65.  Nothing reaches the server.

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
from alice@example.org\rRCPT TO:<evil@example.org>

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
65

[expect-connections]
0

[expect-no-mail]
