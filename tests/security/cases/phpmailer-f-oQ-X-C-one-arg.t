[info]
-f 'a@example.org -oQ%TMP%/q -X%TMP%/x.php -C%TMP%/evil.rc' as one
argument: a bad sender (exit 65); no log, no queue directory, the
other rc file is never read (it would point elsewhere); no connection.

[server]
caps PIPELINING DSN

[args]
-f
a@example.org -oQ%TMP%/q -X%TMP%/x.php -C%TMP%/evil.rc
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

[file evil.rc]
account default
host 127.0.0.2
port 1
from evil@example.org
logfile %TMP%/evil.log

[expect-no-file]
%TMP%/q
%TMP%/x.php
%TMP%/evil.log
