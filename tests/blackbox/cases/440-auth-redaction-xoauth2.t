[info]
-v with XOAUTH2: the AUTH line is redacted; neither the token nor the
base64 initial response appears.

[rc-extra]
auth xoauth2
user alice
passwordeval %TMP%/token

[file token mode=0700]
#!/bin/sh
printf 'ya29.tok-%s\n' 'ABCdef123'

[server]
caps AUTH=XOAUTH2
auth-token ya29.tok-ABCdef123
auth-required

[args]
-v
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

[expect-stderr contains]
--> AUTH XOAUTH2 \[credentials hidden\]
<-- 235 .*

[expect-server]
EHLO localhost
AUTH XOAUTH2 %B64(user=alice\x01auth=Bearer ya29.tok-ABCdef123\x01\x01)%
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

[expect-stderr-absent]
ya29.tok-ABCdef123
tok-ABCdef123
%B64(user=alice\x01auth=Bearer ya29.tok-ABCdef123\x01\x01)%
