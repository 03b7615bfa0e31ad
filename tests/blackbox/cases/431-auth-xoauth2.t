[info]
auth xoauth2 with the bearer token from passwordeval (as with oama): the
initial response is exactly base64("user=alice^Aauth=Bearer TOKEN^A^A");
the server checks the token; delivered.

[rc-extra]
auth xoauth2
user alice
passwordeval %TMP%/token

[file token mode=0700]
#!/bin/sh
printf 'ya29.tok-%s\n' 'ABCdef123'

[server]
caps AUTH=XOAUTH2=PLAIN
auth-token ya29.tok-ABCdef123
auth-required

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

[expect-server-auth]
mechanism XOAUTH2
result ok
initial-response yes
user alice
token ya29\.tok-ABCdef123
