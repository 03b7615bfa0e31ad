[info]
rc value: from_full_name holding a bare CR and a Bcc header, used for the
generated From header: refused with exit 65, no connection.

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
from_full_name Alice\rBcc: evil@example.org

[args]
-C
%TMP%/myrc
bob@example.org

[stdin]
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
