[info]
OAUTHBEARER with a rejected token: the error JSON comes in a 334; the
client's answer is an empty line or RFC 7628's single ^A ("AQ=="); then 535
and exit 77; no retry, no MAIL.

[rc-extra]
auth oauthbearer
user alice
passwordeval %TMP%/token

[file token mode=0700]
#!/bin/sh
printf 'ya29.tok-%s\n' 'ABCdef123'

[server]
caps AUTH=OAUTHBEARER
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
AUTH OAUTHBEARER %RE([A-Za-z0-9+/]+=*)%
%RE((?:AQ==)?)%
QUIT

[expect-server-auth]
result failed: bad bearer token
error-ack empty|\\x01

[expect-connections]
1

[expect-no-mail]
