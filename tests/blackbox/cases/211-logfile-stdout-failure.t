[info]
logfile "-" on a refused recipient: the log line carries the error and
EX_NOUSER, and no mailsize (nothing was delivered).

[server]
caps PIPELINING
on RCPT reply 550 5.1.1 no such user

[rc-extra]
from alice@example.org
logfile -

[args]
nobody@example.org

[stdin]
Subject: log me
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <log-2@example.org>
From: alice@example.org

body

[expect-exit]
67

[expect-stdout]
^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] host=127\.0\.0\.1 tls=off auth=off from=alice@example\.org recipients=nobody@example\.org errormsg='server refused recipient <nobody@example\.org>: 550 5\.1\.1 no such user' exitcode=EX_NOUSER$

[expect-stderr]
^mailhop: server refused recipient <nobody@example\.org>: 550 5\.1\.1 no such user$
