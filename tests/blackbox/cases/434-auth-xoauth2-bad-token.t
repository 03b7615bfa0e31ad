[info]
XOAUTH2 with a token the server rejects: it answers 334 with an error JSON,
mailhop answers with an empty line and gets 535: exit 77 (the token came
from passwordeval, not from mailhop's own refresh, so no retry); no MAIL.

[rc-extra]
auth xoauth2
user alice
passwordeval %TMP%/token

[file token mode=0700]
#!/bin/sh
printf 'ya29.tok-%s\n' 'ABCdef123'

[server]
caps AUTH=XOAUTH2
auth-token another-token

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
77

[expect-stderr]
mailhop: .*authentication failed.*535 5\.7\.8.*

[expect-server]
EHLO localhost
AUTH XOAUTH2 %B64(user=alice\x01auth=Bearer ya29.tok-ABCdef123\x01\x01)%
%EMPTY%
QUIT

[expect-server-auth]
result failed: bad bearer token
error-ack empty
attempts 1

[expect-connections]
1

[expect-no-mail]
