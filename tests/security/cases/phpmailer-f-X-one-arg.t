[info]
PHPMailer CVE-2016-10033 shape: -f 'a -X%TMP%/x.php' arrives as ONE
argument: it is a (bad) sender address, never an option: exit 65, no
connection, no file written.

[server]
caps PIPELINING DSN

[args]
-f
a -X%TMP%/x.php
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

[expect-no-file]
%TMP%/x.php
