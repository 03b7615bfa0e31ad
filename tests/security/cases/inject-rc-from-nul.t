[info]
rc value: from holding a NUL then a command.  The rc line ends at the NUL
(as msmtp reads it, tests/unit/test_conf.c 'NUL ends the line'): the
sender is alice@example.org and nothing after the NUL reaches the server.

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
from alice@example.org\0RCPT TO:<evil@example.org>

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
0

[expect-server]
EHLO localhost
MAIL FROM:<alice@example.org>
RCPT TO:<bob@example.org>
DATA
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.
.
QUIT
