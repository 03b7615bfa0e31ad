[info]
The queue's lock file is a symbolic link to another file: --flush
(-q) refuses it instead of opening (or creating) the file it names; that
file is unchanged; no connection.

[rc-extra]
queue on
queue_dir %TMP%/q

[symlink q/lock]
%TMP%/victim

[file victim]
precious

[file q/.keep]
x

[server]
caps PIPELINING

[args]
-q

[stdin]
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: test message
Date: Sun, 22 Nov 2026 10:00:00 +0000
Message-ID: <test-1@example.org>

Hello Bob,
this is a test.

[expect-exit]
75

[expect-stderr]
mailhop: cannot open the queue lock .*: it is a symbolic link

[expect-server]


[expect-file %TMP%/victim]
precious

[expect-connections]
0
