[info]
auth oauthbearer (RFC 7628) with the token from passwordeval: initial
response "n,a=alice,^Ahost=...^Aport=...^Aauth=Bearer TOKEN^A^A" (host and
port are optional, so only the token and user are checked); delivered.

[rc-extra]
auth oauthbearer
user alice
passwordeval %TMP%/token

[file token mode=0700]
#!/bin/sh
printf 'ya29.tok-%s\n' 'ABCdef123'

[server]
caps AUTH=OAUTHBEARER=XOAUTH2
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
AUTH OAUTHBEARER %RE([A-Za-z0-9+/]+=*)%
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
mechanism OAUTHBEARER
result ok
initial-response yes
user alice
token ya29\.tok-ABCdef123
