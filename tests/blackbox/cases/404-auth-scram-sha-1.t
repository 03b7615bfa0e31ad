[info]
auth scram-sha-1: the same exchange with SHA-1; delivered.

[rc-extra]
auth scram-sha-1
user alice
password s3cret

[server]
caps AUTH=SCRAM-SHA-1=SCRAM-SHA-256
auth-user alice s3cret
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
AUTH SCRAM-SHA-1%RE((?: |\r\n))%\
%RE(biwsbj1hbGljZSxy[A-Za-z0-9+/]+=*)%
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
mechanism SCRAM-SHA-1
result ok
initial-response no|yes
user alice
channel-binding n
