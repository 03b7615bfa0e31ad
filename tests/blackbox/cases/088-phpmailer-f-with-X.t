[info]
PHPMailer CVE-2016-10033 shape: -f 'a -X/path' is one (bad) sender
address; exit 65, no file written, nothing sent.

[server]
caps PIPELINING

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

[expect-no-mail]

[expect-no-file]
%TMP%/x.php
