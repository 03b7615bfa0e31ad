[info]
SCRAM with a user name holding ',' and '=' (saslname escaping =2C / =3D,
RFC 5802): the server decodes it back and the proof checks; delivered.

[rc-extra]
auth scram-sha-256
user a,b=c
password s3cret

[server]
caps AUTH=SCRAM-SHA-256
auth-user a,b=c s3cret
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
AUTH SCRAM-SHA-256%RE((?: |\r\n))%\
%RE([A-Za-z0-9+/]+=*)%
%RE([A-Za-z0-9+/]+=*)%
%EMPTY%
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
result ok
user a,b=c
