[info]
The logfile is a symbolic link to another file (a local attacker's
plant): it is not written through (O_NOFOLLOW).  The mail still goes out
(exit 0) with one line on stderr; the other file is unchanged.

[rc-extra]
logfile %TMP%/mailhop.log

[symlink mailhop.log]
%TMP%/victim

[file victim]
precious

[server]
caps PIPELINING

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
0

[expect-stderr]
mailhop: cannot write to logfile '.*mailhop\.log': .*symbolic links.*

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

[expect-file %TMP%/victim]
precious
