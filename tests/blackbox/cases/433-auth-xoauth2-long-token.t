[info]
A 4000-character bearer token (tokens of any length): sent whole, in the
XOAUTH2 initial response or (RFC 4954 lets a client omit it, e.g. for a
long AUTH line) after an empty 334; the server decodes it and checks the whole token;
delivered.

[rc-extra]
auth xoauth2
user alice
passwordeval %TMP%/token

[file token mode=0700]
#!/bin/sh
printf 'ya29.%REPEAT(4000,x)%\n'

[server]
caps AUTH=XOAUTH2
auth-token ya29.%REPEAT(4000,x)%
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
AUTH XOAUTH2%RE((?: |\r\n))%\
%RE([A-Za-z0-9+/]{5000,}=*)%
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
initial-response yes|no
user alice
token ya29\.x{4000}
