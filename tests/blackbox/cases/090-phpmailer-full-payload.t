[info]
The argv PHPMailer < 5.2.18 produced for the published exploit: the
unbalanced quote makes a bad recipient (exit 65); no file is written.

[server]
caps PIPELINING

[args]
-t
-i
-fattacker\\
-oQ%TMP%/
-X%TMP%/phpcode.php
some"@email.com

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
%TMP%/phpcode.php
